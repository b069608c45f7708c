// SPDX-License-Identifier: GPL-2.0-or-later
/* Loading rulesets into the engine, and the chain walk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include "engine.h"
#include "tutil.h"

static struct eng *new_eng(struct tu_txlog *t)
{
	struct eng_config cfg = { .seed = 1, .tx = tu_tx, .tx_ctx = t };
	static const uint8_t rmac[6] = { 2, 0, 0, 0, 2, 0xb2 };
	struct eng *e;

	tu_ifs(&cfg);
	cfg.ifs[1].gw = tu_addr("203.0.113.254");
	e = eng_new(&cfg);
	eng_neigh_add(e, 1, tu_addr("203.0.113.254"), rmac);
	eng_neigh_add(e, 1, tu_addr("203.0.113.178"), rmac);
	return e;
}

/* Load text: the number of errors (a parse error fails); msg, the first. */
static unsigned load(struct eng *e, const char *text, char *msg, size_t len)
{
	int n = tu_load(e, text, msg, len);

	assert_true(n >= 0);
	return (unsigned)n;
}

static void test_refusals(void **state)
{
	static const struct { const char *text, *want; } cases[] = {
		{ "ipchains -A input -p tcp -j REDIRECT 8080\n",
		  "t:1:" },
		{ "ipchains -A input -j ACCEPT\n"
		  "iptables -A INPUT -m limit --limit 1/s -j ACCEPT\n",
		  "t:2:" },
		{ "ipchains -A forward -j MASQ\n"
		  "iptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE\n",
		  "t:2:1: error: the userspace engine runs one model" },
		{ "ipchains -A input -p tcp -d 0/0 80 -j REDIRECT 8080\n",
		  "no local sockets to redirect to (use the kernel backend)" },
		{ "ipfwadm -I -a accept -r 8080 -P tcp -D 0/0 80\n",
		  "t:1:" },
		{ "iptables -t nat -A PREROUTING -p tcp --dport 80 "
		  "-j REDIRECT --to-ports 8080\n",
		  "no local sockets to redirect to" },
		{ "iptables -t mangle -A PREROUTING -j ACCEPT\n",
		  "the iptables mangle table is not supported" },
		{ "iptables -t nat -A INPUT -j ACCEPT\n", "nat INPUT" },
		{ "iptables -t nat -A OUTPUT -p tcp -j DNAT "
		  "--to-destination 192.168.1.3\n", "nat OUTPUT" },
		{ "iptables -t nat -N x\n"
		  "iptables -t nat -A x -j DNAT --to-destination 192.168.1.3\n"
		  "iptables -t nat -A POSTROUTING -j x\n",
		  "t:2:" },
		{ "ipchains -A forward -j MASQ -o\n", "-o (copying" },
		{ "modprobe ip_masq_irc\n", "no irc helper" },
		{ "ipmasqadm portfw -a -P tcp -L 203.0.113.1 80 -R 192.168.1.3 80\n"
		  "iptables -A FORWARD -j ACCEPT\n",
		  "port forwarding entries" },
	};
	struct tu_txlog t = { 0 };
	struct eng *e = new_eng(&t);
	char msg[512];
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		msg[0] = '\0';
		assert_int_not_equal(load(e, cases[i].text, msg, sizeof(msg)),
				     0);
		if (!strstr(msg, cases[i].want))
			fail_msg("case %u: %s", i, msg);
	}
	assert_null(eng_ruleset(e));
	assert_int_equal(load(e, "ipchains -P forward DENY\n"
			      "ipchains -A forward -s 192.168.1.0/24 -j MASQ\n"
			      "modprobe ip_masq_ftp\n", NULL, 0), 0);
	assert_non_null(eng_ruleset(e));
	eng_free(e);
}

static void send_udp(struct eng *e, const char *src, uint16_t sport,
		     const char *dst, uint16_t dport, unsigned ifidx)
{
	uint8_t b[256];
	uint32_t n = tu_udp(b, src, sport, dst, dport, "data");

	eng_input(e, ifidx, b, n, sizeof(b), 1000);
}

/* User chains, RETURN, counters, policies, the forward -i = outgoing. */
static void test_walk(void **state)
{
	struct tu_txlog t = { 0 };
	struct eng *e = new_eng(&t);
	const struct mr_ruleset *rs;
	const struct mr_chain *c;

	(void)state;
	assert_int_equal(load(e,
		"ipchains -N lan\n"
		"ipchains -A lan -p udp -d 0/0 53 -j RETURN\n"
		"ipchains -A lan -p udp -j DENY\n"
		"ipchains -P forward DENY\n"
		"ipchains -A forward -i eth0 -j DENY\n"	/* outgoing eth0 */
		"ipchains -A forward -s 192.168.1.0/24 -j lan\n"
		"ipchains -A forward -p udp\n"		/* counts only */
		"ipchains -A forward -s 192.168.1.0/24 -i eth1 -j MASQ\n",
		NULL, 0), 0);
	send_udp(e, "192.168.1.3", 1000, "203.0.113.178", 53, 0);
	assert_int_equal(t.n, 1);
	assert_int_equal(t.ifidx[0], 1);
	send_udp(e, "192.168.1.3", 1000, "203.0.113.178", 54, 0);
	assert_int_equal(t.n, 1);		/* DENY in lan */
	send_udp(e, "203.0.113.178", 1, "192.168.1.3", 1, 1);
	assert_int_equal(t.n, 1);		/* -i eth0 (outgoing): DENY */
	rs = eng_ruleset(e);
	c = rs->tables->chains->next;		/* forward */
	assert_string_equal(c->name, "forward");
	assert_int_equal(c->rules->pkts, 1);
	assert_int_equal(c->rules->next->pkts, 2);
	assert_int_equal(c->rules->next->next->pkts, 1);
	assert_int_equal(c->rules->next->next->next->pkts, 1);
	assert_int_equal(c->pkts, 0);
	assert_int_equal(eng_stats(e)->dropped, 2);
	eng_free(e);
}

/* Input sees replies still addressed to the masq port, before demasq. */
static void test_input_sees_masq_port(void **state)
{
	struct tu_txlog t = { 0 };
	struct eng *e = new_eng(&t);

	(void)state;
	assert_int_equal(load(e,
		"ipchains -A input -p udp -d 203.0.113.1 61000 -j DENY\n"
		"ipchains -A forward -s 192.168.1.0/24 -j MASQ\n",
		NULL, 0), 0);
	send_udp(e, "192.168.1.3", 1000, "203.0.113.178", 53, 0);
	assert_int_equal(t.n, 1);
	send_udp(e, "203.0.113.178", 53, "203.0.113.1", 61000, 1);
	assert_int_equal(t.n, 1);
	assert_int_equal(eng_stats(e)->masq_in, 0);
	eng_free(e);
}

/* TTL out after demasquerading: the error quotes the alias, not .3. */
static void test_own_error_quote(void **state)
{
	struct tu_txlog t = { 0 };
	struct eng *e = new_eng(&t);
	uint8_t b[256];
	uint32_t n;
	struct pkt p;

	(void)state;
	assert_int_equal(load(e, "ipchains -A forward -s 192.168.1.0/24 "
			      "-j MASQ\n", NULL, 0), 0);
	send_udp(e, "192.168.1.3", 1000, "203.0.113.178", 53, 0);
	n = tu_udp(b, "203.0.113.178", 53, "203.0.113.1", 61000, "data");
	b[14 + 8] = 1;				/* TTL 1 */
	put16(b + 14 + 10, 0);
	put16(b + 14 + 10, csum_finish(csum_add(0, b + 14, 20)));
	eng_input(e, 1, b, n, sizeof(b), 1000);
	assert_int_equal(t.n, 2);
	p = (struct pkt){ .buf = t.frame[1], .len = t.len[1],
			  .cap = sizeof(t.frame[1]) };
	assert_int_equal(pkt_parse(&p), PKT_OK);
	assert_true(p.icmp_err);
	assert_int_equal(p.daddr, tu_addr("203.0.113.178"));
	assert_int_equal(p.in.daddr, tu_addr("203.0.113.1"));
	assert_int_equal(p.in.dport, 61000);
	assert_true(pkt_l4_csum_ok(&p));
	eng_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_input_sees_masq_port),
		cmocka_unit_test(test_own_error_quote),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
