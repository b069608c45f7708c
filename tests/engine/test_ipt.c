// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The iptables model in the engine: conntrack states, MASQUERADE keeping
 * source ports, SNAT ranges, DNAT (alone and with MASQUERADE on the same
 * flow), user chains, REJECT, limits, expiry, the FTP helper's RELATED
 * data connection; and the legacy model's port forwarding with weights.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include "engine.h"
#include "tutil.h"

#define NTX 32

struct tx_log {
	unsigned n, ifidx[NTX];
	uint8_t frame[NTX][512];
	uint32_t len[NTX];
};

static void tx(void *ctx, unsigned ifidx, const uint8_t *f, uint32_t len)
{
	struct tx_log *t = ctx;

	if (t->n < NTX && len <= 512) {
		t->ifidx[t->n] = ifidx;
		memcpy(t->frame[t->n], f, len);
		t->len[t->n++] = len;
	}
}

static struct eng *new_eng_cfg(struct tx_log *t, uint32_t max_conns,
			       uint32_t max_per_host)
{
	struct eng_config cfg = { .nifs = 2, .seed = 1, .tx = tx, .tx_ctx = t,
				  .max_conns = max_conns,
				  .max_per_host = max_per_host };
	static const uint8_t rmac[6] = { 2, 0, 0, 0, 2, 0xb2 };
	static const uint8_t lmac[6] = { 2, 0, 0, 0, 1, 3 };
	static const uint8_t lmac4[6] = { 2, 0, 0, 0, 1, 4 };
	struct eng *e;

	snprintf(cfg.ifs[0].name, sizeof(cfg.ifs[0].name), "eth0");
	cfg.ifs[0].addr = tu_addr("192.168.1.1");
	cfg.ifs[0].plen = 24;
	snprintf(cfg.ifs[1].name, sizeof(cfg.ifs[1].name), "eth1");
	cfg.ifs[1].addr = tu_addr("203.0.113.1");
	cfg.ifs[1].plen = 24;
	cfg.ifs[1].gw = tu_addr("203.0.113.254");
	e = eng_new(&cfg);
	eng_neigh_add(e, 1, tu_addr("203.0.113.254"), rmac);
	eng_neigh_add(e, 1, tu_addr("203.0.113.178"), rmac);
	eng_neigh_add(e, 0, tu_addr("192.168.1.3"), lmac);
	eng_neigh_add(e, 0, tu_addr("192.168.1.4"), lmac4);
	return e;
}

static struct eng *new_eng(struct tx_log *t)
{
	return new_eng_cfg(t, 0, 0);
}

static void load_ok(struct eng *e, const char *text)
{
	struct mr_src *src = src_from_string("t", text, strlen(text));
	struct erec_list errs;
	struct mr_ruleset *rs;

	erec_init(&errs);
	rs = tu_rules(src, &errs);
	assert_non_null(rs);
	assert_int_equal(eng_load(e, rs, &errs), 0);
	assert_int_equal(errs.nerrors, 0);
	erec_free(&errs);
	src_free(src);
}

static uint64_t clock_ms = 1000;

static void in_frame(struct eng *e, unsigned ifidx, uint8_t *b, uint32_t n)
{
	eng_input(e, ifidx, b, n, 512, clock_ms);
	clock_ms += 10;
}

static void tcp_in(struct eng *e, unsigned ifidx, const char *s, uint16_t sp,
		   const char *d, uint16_t dp, uint8_t flags, const char *data)
{
	uint8_t b[512];

	in_frame(e, ifidx, b, tu_tcp(b, s, sp, d, dp, flags, 1, 1, data));
}

static void udp_in(struct eng *e, unsigned ifidx, const char *s, uint16_t sp,
		   const char *d, uint16_t dp)
{
	uint8_t b[512];

	in_frame(e, ifidx, b, tu_udp(b, s, sp, d, dp, "data"));
}

/* The last frame sent: parsed, checksums verified, on interface ifidx. */
static struct pkt last(struct tx_log *t, unsigned ifidx)
{
	struct pkt p = { .buf = t->frame[t->n - 1], .len = t->len[t->n - 1],
			 .cap = 512 };

	assert_true(t->n > 0);
	assert_int_equal(t->ifidx[t->n - 1], ifidx);
	assert_int_equal(pkt_parse(&p), PKT_OK);
	assert_true(pkt_l4_csum_ok(&p));
	return p;
}

static void assert_ends(const struct pkt *p, const char *s, uint16_t sp,
			const char *d, uint16_t dp)
{
	assert_int_equal(p->saddr, tu_addr(s));
	assert_int_equal(p->sport, sp);
	assert_int_equal(p->daddr, tu_addr(d));
	assert_int_equal(p->dport, dp);
}

/* The filter table's FORWARD chain of the loaded ruleset. */
static const struct mr_chain *fwd_chain(const struct eng *e)
{
	const struct mr_table *tb = eng_ruleset(e)->tables;

	while (tb && tb->id != MR_T_FILTER)
		tb = tb->next;
	assert_non_null(tb);
	assert_string_equal(tb->chains->next->name, "FORWARD");
	return tb->chains->next;
}

static const char router[] =
	"iptables -P FORWARD DROP\n"
	"iptables -A FORWARD -m state --state ESTABLISHED,RELATED -j ACCEPT\n"
	"iptables -A FORWARD -i eth0 -j ACCEPT\n"
	"iptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE\n";

/* The task's ruleset: state, the policy, MASQUERADE keeping ports. */
static void test_masquerade_state(void **state)
{
	struct tx_log t = { 0 };
	struct eng *e = new_eng(&t);
	const struct mr_chain *fwd;
	struct pkt p;

	(void)state;
	load_ok(e, router);
	tcp_in(e, 0, "192.168.1.3", 40000, "203.0.113.178", 80, 0x02, NULL);
	p = last(&t, 1);
	assert_ends(&p, "203.0.113.1", 40000, "203.0.113.178", 80);
	assert_int_equal(p.ttl, 63);
	tcp_in(e, 1, "203.0.113.178", 80, "203.0.113.1", 40000, 0x12, NULL);
	p = last(&t, 0);
	assert_ends(&p, "203.0.113.178", 80, "192.168.1.3", 40000);
	/* a second host, same port, same remote: the next free port */
	tcp_in(e, 0, "192.168.1.4", 40000, "203.0.113.178", 80, 0x02, NULL);
	p = last(&t, 1);
	assert_ends(&p, "203.0.113.1", 40001, "203.0.113.178", 80);
	/* NEW from outside: the policy drops it */
	tcp_in(e, 1, "203.0.113.178", 999, "192.168.1.3", 22, 0x02, NULL);
	assert_int_equal(t.n, 3);
	/* ESTABLISHED only after a reply: the lan host's ACK is ESTABLISHED */
	fwd = fwd_chain(e);
	assert_int_equal(fwd->rules->pkts, 1);		/* the SYN+ACK */
	assert_int_equal(fwd->rules->next->pkts, 2);	/* two SYNs */
	assert_int_equal(fwd->pkts, 1);			/* policy */
	assert_int_equal(eng_stats(e)->dropped, 1);
	assert_int_equal(eng_stats(e)->ct_new, 2);
	assert_int_equal(eng_conn_count(e), 2);
	eng_free(e);
}

/* --ctstate DNAT in FORWARD (first packet on), SNAT for later ones. */
static void test_ctstate_nat(void **state)
{
	struct tx_log t = { 0 };
	struct eng *e = new_eng(&t);

	(void)state;
	load_ok(e, "iptables -A FORWARD -m conntrack --ctstate DNAT "
		   "-j ACCEPT\n"
		   "iptables -A FORWARD -m conntrack --ctstate SNAT "
		   "-j ACCEPT\n"
		   "iptables -A FORWARD -i eth0 -p udp --dport 53 -j ACCEPT\n"
		   "iptables -P FORWARD DROP\n"
		   "iptables -t nat -A PREROUTING -i eth1 -p udp --dport 5353 "
		   "-j DNAT --to-destination 192.168.1.3:53\n"
		   "iptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE\n");
	udp_in(e, 1, "203.0.113.178", 4000, "203.0.113.1", 5353);
	assert_int_equal(t.n, 1);		/* DNAT */
	udp_in(e, 1, "203.0.113.178", 4000, "192.168.1.3", 5354);
	assert_int_equal(t.n, 1);		/* not translated: dropped */
	udp_in(e, 0, "192.168.1.3", 1000, "203.0.113.178", 53);
	assert_int_equal(t.n, 2);		/* rule 3 */
	udp_in(e, 0, "192.168.1.3", 1000, "203.0.113.178", 53);
	assert_int_equal(t.n, 3);		/* SNAT now */
	udp_in(e, 1, "203.0.113.178", 53, "203.0.113.1", 1000);
	assert_int_equal(t.n, 4);		/* the reply: SNAT too */
	assert_int_equal(fwd_chain(e)->rules->pkts, 1);
	assert_int_equal(fwd_chain(e)->rules->next->pkts, 2);
	assert_int_equal(fwd_chain(e)->rules->next->next->pkts, 1);
	eng_free(e);
}

/* INVALID: a reset or a reply for no flow; a UDP flow expires. */
static void test_invalid_and_expiry(void **state)
{
	struct tx_log t = { 0 };
	struct eng *e = new_eng(&t);

	(void)state;
	load_ok(e, "iptables -A FORWARD -m state --state INVALID -j DROP\n"
		   "iptables -A FORWARD -m state --state ESTABLISHED -j ACCEPT\n"
		   "iptables -A FORWARD -i eth0 -j ACCEPT\n"
		   "iptables -A FORWARD -j DROP\n"
		   "iptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE\n");
	tcp_in(e, 0, "192.168.1.3", 40000, "203.0.113.178", 80, 0x04, NULL);
	tcp_in(e, 0, "192.168.1.3", 40000, "203.0.113.178", 80, 0x01, NULL);
	assert_int_equal(t.n, 0);
	assert_int_equal(eng_stats(e)->ct_invalid, 2);
	udp_in(e, 0, "192.168.1.3", 5000, "203.0.113.178", 53);
	assert_int_equal(t.n, 1);
	udp_in(e, 1, "203.0.113.178", 53, "203.0.113.1", 5000);
	assert_int_equal(t.n, 2);
	clock_ms += 301 * 1000;		/* UDP: 5 minutes */
	udp_in(e, 1, "203.0.113.178", 53, "203.0.113.1", 5000);
	assert_int_equal(t.n, 2);	/* for the engine now: unsolicited */
	assert_int_equal(eng_stats(e)->unsolicited, 1);
	assert_int_equal(eng_conn_count(e), 0);
	eng_free(e);
}

/* SNAT to a port range: kept while free, then searched, then refused. */
static void test_snat_range(void **state)
{
	struct tx_log t = { 0 };
	struct eng *e = new_eng(&t);
	struct pkt p;

	(void)state;
	load_ok(e, "iptables -t nat -A POSTROUTING -o eth1 -p udp "
		   "-j SNAT --to-source 203.0.113.9:2000-2001\n");
	udp_in(e, 0, "192.168.1.3", 2001, "203.0.113.178", 53);
	p = last(&t, 1);
	assert_ends(&p, "203.0.113.9", 2001, "203.0.113.178", 53);
	udp_in(e, 0, "192.168.1.4", 2001, "203.0.113.178", 53);
	p = last(&t, 1);
	assert_ends(&p, "203.0.113.9", 2000, "203.0.113.178", 53);
	udp_in(e, 0, "192.168.1.5", 2001, "203.0.113.178", 53);
	assert_int_equal(t.n, 2);
	assert_int_equal(eng_stats(e)->masq_no_port, 1);
	/* another remote: the ports serve it again */
	udp_in(e, 0, "192.168.1.5", 2001, "198.51.100.7", 53);
	assert_int_equal(t.n, 3);
	/* not udp: untranslated, still tracked */
	tcp_in(e, 0, "192.168.1.3", 3000, "203.0.113.178", 80, 0x02, NULL);
	p = last(&t, 1);
	assert_ends(&p, "192.168.1.3", 3000, "203.0.113.178", 80);
	assert_int_equal(eng_stats(e)->ct_new, 4);
	eng_free(e);
}

/* DNAT to a lan server, replies from the forwarded port. */
static void test_dnat(void **state)
{
	struct tx_log t = { 0 };
	struct eng *e = new_eng(&t);
	struct pkt p;

	(void)state;
	load_ok(e, "iptables -t nat -A PREROUTING -i eth1 -p tcp --dport 8080 "
		   "-j DNAT --to-destination 192.168.1.3:80\n"
		   "iptables -A FORWARD -i eth1 -d 192.168.1.3 -p tcp "
		   "--dport 80 -j ACCEPT\n"
		   "iptables -A FORWARD -m state --state ESTABLISHED -j ACCEPT\n"
		   "iptables -P FORWARD DROP\n");
	tcp_in(e, 1, "203.0.113.178", 33000, "203.0.113.1", 8080, 0x02, NULL);
	p = last(&t, 0);
	assert_ends(&p, "203.0.113.178", 33000, "192.168.1.3", 80);
	tcp_in(e, 0, "192.168.1.3", 80, "203.0.113.178", 33000, 0x12, NULL);
	p = last(&t, 1);
	assert_ends(&p, "203.0.113.1", 8080, "203.0.113.178", 33000);
	tcp_in(e, 1, "203.0.113.178", 33000, "203.0.113.1", 8080, 0x18, "hi");
	p = last(&t, 0);
	assert_ends(&p, "203.0.113.178", 33000, "192.168.1.3", 80);
	assert_int_equal(t.n, 3);
	/* the server's own new connection out is not forwarded */
	tcp_in(e, 0, "192.168.1.3", 80, "203.0.113.178", 33001, 0x02, NULL);
	assert_int_equal(t.n, 3);
	eng_free(e);
}

/* The engine's own error about a DNAT'd packet quotes what was sent. */
static void test_own_error_quote(void **state)
{
	struct tx_log t = { 0 };
	struct eng *e = new_eng(&t);
	uint8_t b[512];
	uint32_t n;
	struct pkt p;

	(void)state;
	load_ok(e, "iptables -t nat -A PREROUTING -i eth1 -p udp --dport 5353 "
		   "-j DNAT --to-destination 192.168.1.3:53\n");
	udp_in(e, 1, "203.0.113.178", 4000, "203.0.113.1", 5353);
	n = tu_udp(b, "203.0.113.178", 4000, "203.0.113.1", 5353, "data");
	b[14 + 8] = 1;				/* TTL 1 */
	put16(b + 14 + 10, 0);
	put16(b + 14 + 10, csum_finish(csum_add(0, b + 14, 20)));
	in_frame(e, 1, b, n);
	p = last(&t, 1);
	assert_int_equal(p.icmp_type, 11);
	assert_true(p.icmp_err);
	assert_int_equal(p.in.saddr, tu_addr("203.0.113.178"));
	assert_int_equal(p.in.daddr, tu_addr("203.0.113.1"));
	assert_int_equal(p.in.dport, 5353);
	assert_int_equal(csum_finish(csum_add(0, p.buf + p.in.l3, 20)), 0);
	eng_free(e);
}

/* DNAT and MASQUERADE on one flow: all four endpoints differ. */
static void test_dnat_and_masquerade(void **state)
{
	struct tx_log t = { 0 };
	struct eng *e = new_eng(&t);
	struct pkt p;

	(void)state;
	load_ok(e, "iptables -t nat -A PREROUTING -p udp --dport 5353 "
		   "-j DNAT --to-destination 192.168.1.3:53\n"
		   "iptables -t nat -A POSTROUTING -j MASQUERADE\n");
	udp_in(e, 1, "203.0.113.178", 4000, "203.0.113.1", 5353);
	p = last(&t, 0);
	assert_ends(&p, "192.168.1.1", 4000, "192.168.1.3", 53);
	udp_in(e, 0, "192.168.1.3", 53, "192.168.1.1", 4000);
	p = last(&t, 1);
	assert_ends(&p, "203.0.113.1", 5353, "203.0.113.178", 4000);
	eng_free(e);
}

/* A flow whose reply tuple another one has: its source port moves. */
static void test_null_binding(void **state)
{
	struct tx_log t = { 0 };
	struct eng *e = new_eng(&t);
	struct pkt p;

	(void)state;
	load_ok(e, "iptables -t nat -A PREROUTING -p udp --dport 5353 "
		   "-j DNAT --to-destination 192.168.1.3:53\n");
	udp_in(e, 1, "203.0.113.178", 4000, "203.0.113.1", 5353);
	p = last(&t, 0);
	assert_ends(&p, "203.0.113.178", 4000, "192.168.1.3", 53);
	udp_in(e, 1, "203.0.113.178", 4000, "192.168.1.3", 53);
	p = last(&t, 0);
	assert_ends(&p, "203.0.113.178", 4001, "192.168.1.3", 53);
	udp_in(e, 0, "192.168.1.3", 53, "203.0.113.178", 4001);
	p = last(&t, 1);
	assert_ends(&p, "192.168.1.3", 53, "203.0.113.178", 4000);
	udp_in(e, 0, "192.168.1.3", 53, "203.0.113.178", 4000);
	p = last(&t, 1);
	assert_ends(&p, "203.0.113.1", 5353, "203.0.113.178", 4000);
	eng_free(e);
}

/* User chains, RETURN, LOG, MARK, REJECT with and without --reject-with. */
static void test_chains_reject(void **state)
{
	struct tx_log t = { 0 };
	struct eng *e = new_eng(&t);
	const uint8_t *icmp;
	struct pkt p;

	(void)state;
	load_ok(e, "iptables -N chk\n"
		   "iptables -A chk -p udp --dport 53 -j RETURN\n"
		   "iptables -A chk -j LOG\n"
		   "iptables -A chk -p tcp -j REJECT --reject-with tcp-reset\n"
		   "iptables -A chk -j MARK --set-mark 7\n"
		   "iptables -A chk -m mark --mark 7 -j REJECT\n"
		   "iptables -A FORWARD -j chk\n"
		   "iptables -A FORWARD -j ACCEPT\n");
	udp_in(e, 0, "192.168.1.3", 5000, "203.0.113.178", 53);
	assert_int_equal(t.n, 1);		/* RETURN, then ACCEPT */
	tcp_in(e, 0, "192.168.1.3", 40000, "203.0.113.178", 80, 0x02, NULL);
	p = last(&t, 0);			/* a reset back to the lan */
	assert_int_equal(p.proto, PKT_P_TCP);
	assert_true(p.tcp_flags & 0x04);
	udp_in(e, 0, "192.168.1.3", 5000, "203.0.113.178", 54);
	p = last(&t, 0);			/* port unreachable */
	icmp = pkt_l4(&p);
	assert_int_equal(icmp[0], 3);
	assert_int_equal(icmp[1], 3);
	assert_int_equal(eng_stats(e)->logged, 2);
	assert_int_equal(eng_stats(e)->rejected, 2);
	eng_free(e);
}

/* Limits of the table: in total and per inside host. */
static void test_limits(void **state)
{
	struct tx_log t = { 0 };
	struct eng *e = new_eng_cfg(&t, 3, 2);

	(void)state;
	load_ok(e, router);
	udp_in(e, 0, "192.168.1.3", 1, "203.0.113.178", 53);
	udp_in(e, 0, "192.168.1.3", 2, "203.0.113.178", 53);
	udp_in(e, 0, "192.168.1.3", 3, "203.0.113.178", 53);
	assert_int_equal(eng_stats(e)->masq_host_full, 1);
	udp_in(e, 0, "192.168.1.4", 1, "203.0.113.178", 53);
	udp_in(e, 0, "192.168.1.5", 1, "203.0.113.178", 53);
	assert_int_equal(eng_stats(e)->masq_full, 1);
	assert_int_equal(t.n, 3);
	assert_int_equal(eng_conn_count(e), 3);
	eng_free(e);
}

/* FTP through MASQUERADE: PORT rewritten, the data connection RELATED. */
static void test_ftp_related(void **state)
{
	struct tx_log t = { 0 };
	struct eng *e = new_eng(&t);
	uint8_t b[512];
	struct pkt p;
	char want[64];
	unsigned dport;

	(void)state;
	load_ok(e, "modprobe ip_conntrack_ftp\n"
		   "iptables -P FORWARD DROP\n"
		   "iptables -A FORWARD -m state --state ESTABLISHED -j ACCEPT\n"
		   "iptables -A FORWARD -m state --state RELATED -j ACCEPT\n"
		   "iptables -A FORWARD -i eth0 -m state --state NEW -j ACCEPT\n"
		   "iptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE\n");
	in_frame(e, 0, b, tu_tcp(b, "192.168.1.3", 40001, "203.0.113.178", 21,
				 0x02, 100, 0, NULL));
	in_frame(e, 1, b, tu_tcp(b, "203.0.113.178", 21, "203.0.113.1", 40001,
				 0x12, 900, 101, NULL));
	in_frame(e, 0, b, tu_tcp(b, "192.168.1.3", 40001, "203.0.113.178", 21,
				 0x18, 101, 901, "PORT 192,168,1,3,4,1\r\n"));
	p = last(&t, 1);
	assert_int_equal(eng_stats(e)->helper_expect, 1);
	dport = 61000;		/* the helper's alias ports: the 2.2 range */
	snprintf(want, sizeof(want), "PORT 203,0,113,1,%u,%u\r\n",
		 dport >> 8, dport & 255);
	assert_int_equal(p.len - p.payload, strlen(want));
	assert_memory_equal(p.buf + p.payload, want, strlen(want));
	/* the server's data connection from port 20: RELATED */
	tcp_in(e, 1, "203.0.113.178", 20, "203.0.113.1", (uint16_t)dport, 0x02,
	       NULL);
	p = last(&t, 0);
	assert_ends(&p, "203.0.113.178", 20, "192.168.1.3", 1025);
	/* another port from outside stays out */
	tcp_in(e, 1, "203.0.113.178", 20, "203.0.113.1", 61001, 0x02, NULL);
	assert_int_equal(t.n, 4);
	eng_free(e);
}

/* FTP without NAT: PORT untouched, the data connection RELATED. */
static void test_ftp_plain(void **state)
{
	static const char port[] = "PORT 192,168,1,3,4,1\r\n";
	struct tx_log t = { 0 };
	struct eng *e = new_eng(&t);
	uint8_t b[512];
	struct pkt p;
	unsigned i;

	(void)state;
	load_ok(e, "modprobe nf_conntrack_ftp\n"
		   "iptables -P FORWARD DROP\n"
		   "iptables -A FORWARD -m state --state ESTABLISHED,RELATED "
		   "-j ACCEPT\n"
		   "iptables -A FORWARD -i eth0 -j ACCEPT\n");
	in_frame(e, 0, b, tu_tcp(b, "192.168.1.3", 40001, "203.0.113.178", 21,
				 0x02, 100, 0, NULL));
	in_frame(e, 1, b, tu_tcp(b, "203.0.113.178", 21, "192.168.1.3", 40001,
				 0x12, 900, 101, NULL));
	for (i = 0; i < 2; i++) {	/* the second: a retransmission */
		in_frame(e, 0, b, tu_tcp(b, "192.168.1.3", 40001,
					 "203.0.113.178", 21, 0x18, 101, 901,
					 port));
		p = last(&t, 1);
		assert_int_equal(p.len - p.payload, strlen(port));
		assert_memory_equal(p.buf + p.payload, port, strlen(port));
	}
	assert_int_equal(eng_stats(e)->helper_rewrites, 0);
	tcp_in(e, 1, "203.0.113.178", 20, "192.168.1.3", 1025, 0x02, NULL);
	p = last(&t, 0);
	assert_ends(&p, "203.0.113.178", 20, "192.168.1.3", 1025);
	tcp_in(e, 1, "203.0.113.178", 20, "192.168.1.3", 1026, 0x02, NULL);
	assert_int_equal(t.n, 5);	/* not expected: NEW, dropped */
	eng_free(e);
}

/* An FTP server behind DNAT, a client outside in active mode. */
static void test_ftp_dnat_server(void **state)
{
	static const char port[] = "PORT 203,0,113,178,4,1\r\n";
	static const char pasv[] =
		"227 Entering Passive Mode (192,168,1,3,19,137)\r\n";
	static const char pasv_out[] =
		"227 Entering Passive Mode (203,0,113,1,19,137)\r\n";
	struct tx_log t = { 0 };
	struct eng *e = new_eng(&t);
	uint8_t b[512];
	struct pkt p;

	(void)state;
	load_ok(e, "modprobe nf_conntrack_ftp\n"
		   "iptables -P FORWARD DROP\n"
		   "iptables -A FORWARD -m state --state ESTABLISHED,RELATED "
		   "-j ACCEPT\n"
		   "iptables -A FORWARD -i eth1 -p tcp --dport 21 -j ACCEPT\n"
		   "iptables -t nat -A PREROUTING -i eth1 -p tcp --dport 21 "
		   "-j DNAT --to-destination 192.168.1.3\n");
	in_frame(e, 1, b, tu_tcp(b, "203.0.113.178", 40001, "203.0.113.1", 21,
				 0x02, 100, 0, NULL));
	in_frame(e, 0, b, tu_tcp(b, "192.168.1.3", 21, "203.0.113.178", 40001,
				 0x12, 900, 101, NULL));
	in_frame(e, 1, b, tu_tcp(b, "203.0.113.178", 40001, "203.0.113.1", 21,
				 0x18, 101, 901, port));
	p = last(&t, 0);
	assert_memory_equal(p.buf + p.payload, port, strlen(port));
	/* the server's data connection leaves from the public address */
	tcp_in(e, 0, "192.168.1.3", 20, "203.0.113.178", 1025, 0x02, NULL);
	p = last(&t, 1);
	assert_ends(&p, "203.0.113.1", 20, "203.0.113.178", 1025);
	tcp_in(e, 1, "203.0.113.178", 1025, "203.0.113.1", 20, 0x12, NULL);
	p = last(&t, 0);
	assert_ends(&p, "203.0.113.178", 1025, "192.168.1.3", 20);

	/* passive: the 227 names the public address, 5001 leads inside */
	in_frame(e, 0, b, tu_tcp(b, "192.168.1.3", 21, "203.0.113.178", 40001,
				 0x18, 901, 124, pasv));
	p = last(&t, 1);
	assert_int_equal(p.len - p.payload, strlen(pasv_out));
	assert_memory_equal(p.buf + p.payload, pasv_out, strlen(pasv_out));
	assert_int_equal(pkt_tcp_seq(&p), 901);
	/* the client's ack of it (the texts are as long: no shift) */
	in_frame(e, 1, b, tu_tcp(b, "203.0.113.178", 40001, "203.0.113.1", 21,
				 0x10, 124, 901 + strlen(pasv_out), NULL));
	p = last(&t, 0);
	assert_int_equal(pkt_tcp_ack(&p), 901 + strlen(pasv));
	tcp_in(e, 1, "203.0.113.178", 1030, "203.0.113.1", 5001, 0x02, NULL);
	p = last(&t, 0);
	assert_ends(&p, "203.0.113.178", 1030, "192.168.1.3", 5001);
	tcp_in(e, 0, "192.168.1.3", 5001, "203.0.113.178", 1030, 0x12, NULL);
	p = last(&t, 1);
	assert_ends(&p, "203.0.113.1", 5001, "203.0.113.178", 1030);
	eng_free(e);
}

/* Legacy port forwarding: -p pref weights share one port. */
static void test_portfw_pref(void **state)
{
	static const char *const want[] = {
		"192.168.1.3", "192.168.1.3", "192.168.1.4",
		"192.168.1.3", "192.168.1.3", "192.168.1.4",
	};
	struct tx_log t = { 0 };
	struct eng *e = new_eng(&t);
	struct pkt p;
	unsigned i;

	(void)state;
	load_ok(e, "ipchains -A forward -s 192.168.1.0/24 -j MASQ\n"
		   "ipmasqadm portfw -a -P tcp -L 203.0.113.1 80 "
		   "-R 192.168.1.3 80 -p 2\n"
		   "ipmasqadm portfw -a -P tcp -L 203.0.113.1 80 "
		   "-R 192.168.1.4 8000 -p 1\n");
	for (i = 0; i < 6; i++) {
		tcp_in(e, 1, "203.0.113.178", (uint16_t)(30000 + i),
		       "203.0.113.1", 80, 0x02, NULL);
		p = last(&t, 0);
		assert_int_equal(p.daddr, tu_addr(want[i]));
		assert_int_equal(p.dport, i % 3 == 2 ? 8000 : 80);
	}
	/* the server's reply is masqueraded back from port 80 */
	tcp_in(e, 0, "192.168.1.4", 8000, "203.0.113.178", 30002, 0x12, NULL);
	p = last(&t, 1);
	assert_ends(&p, "203.0.113.1", 80, "203.0.113.178", 30002);
	assert_int_equal(eng_stats(e)->portfw_new, 6);
	eng_free(e);
}

/* 2.0's ipportfw, UDP: the datagram in, the answer out from the port. */
static void test_ipportfw(void **state)
{
	struct tx_log t = { 0 };
	struct eng *e = new_eng(&t);
	struct pkt p;

	(void)state;
	load_ok(e, "ipfwadm -F -a m -S 192.168.1.0/24\n"
		   "ipportfw -A -u 203.0.113.1/5353 -R 192.168.1.3/53\n");
	udp_in(e, 1, "203.0.113.178", 4000, "203.0.113.1", 5353);
	p = last(&t, 0);
	assert_ends(&p, "203.0.113.178", 4000, "192.168.1.3", 53);
	udp_in(e, 0, "192.168.1.3", 53, "203.0.113.178", 4000);
	p = last(&t, 1);
	assert_ends(&p, "203.0.113.1", 5353, "203.0.113.178", 4000);
	udp_in(e, 1, "203.0.113.178", 4000, "203.0.113.1", 5354);
	assert_int_equal(t.n, 2);
	assert_int_equal(eng_stats(e)->unsolicited, 1);
	eng_free(e);
}

/* ---- random traffic through the iptables router ---- */

struct fuzz_log {
	unsigned sent;
	uint32_t last_len;
	uint8_t last[512];
};

/* Every frame the engine sends parses and carries right checksums. */
static void fuzz_tx(void *ctx, unsigned ifidx, const uint8_t *f, uint32_t len)
{
	struct fuzz_log *fl = ctx;
	uint8_t *b = malloc(len);
	struct pkt p = { .buf = b, .len = len, .cap = len };
	unsigned hl;

	(void)ifidx;
	memcpy(b, f, len);
	assert_int_equal(pkt_parse(&p), PKT_OK);
	if (!p.frag)
		assert_true(pkt_l4_csum_ok(&p));
	if (p.icmp_err && p.in.l4 <= p.in.end) {
		hl = (unsigned)(p.in.l4 - p.in.l3);
		assert_int_equal(csum_finish(csum_add(0, b + p.in.l3, hl)), 0);
	}
	if (len <= sizeof(fl->last)) {
		memcpy(fl->last, f, len);
		fl->last_len = len;
	}
	fl->sent++;
	free(b);
}

static const char *pick(const char *const *v, unsigned n)
{
	return v[(unsigned)rand() % n];
}

static uint16_t any_port(void)
{
	static const uint16_t ports[] = { 80, 8080, 40000, 40001, 53, 5353,
					  1024, 61000 };

	return rand() % 8 ? ports[rand() % 8] : (uint16_t)rand();
}

/* An ICMP error from outside quoting what the engine sent last. */
static uint32_t error_about(uint8_t *b, const struct fuzz_log *fl)
{
	static const uint8_t types[][2] = { { 3, 3 }, { 3, 1 }, { 11, 0 } };
	uint8_t h[8] = { 0 };
	uint32_t q = fl->last_len - 14;

	if (q > 28 + (uint32_t)(rand() % 40))
		q = 28 + (uint32_t)(rand() % 40);
	memcpy(h, types[rand() % 3], 2);
	return tu_frame(b, pick((const char *const[]){ "203.0.113.178",
		"198.51.100.7", "203.0.113.254" }, 3), "203.0.113.1", 1,
		h, 8, fl->last + 14, q);
}

static uint32_t random_frame(uint8_t *b, unsigned ifidx,
			     const struct fuzz_log *fl)
{
	static const char *const lan_src[] = { "192.168.1.3", "192.168.1.4" };
	static const char *const lan_dst[] = { "203.0.113.178", "198.51.100.7",
					       "203.0.113.1", "192.168.1.1" };
	static const char *const wan_src[] = { "203.0.113.178",
					       "198.51.100.7" };
	static const char *const wan_dst[] = { "203.0.113.1", "192.168.1.3" };
	static const uint8_t flags[] = { 0x02, 0x12, 0x10, 0x18, 0x11, 0x04,
					 0x03, 0x14 };
	const char *s = ifidx ? pick(wan_src, 2) : pick(lan_src, 2);
	const char *d = ifidx ? pick(wan_dst, 2) : pick(lan_dst, 4);
	uint8_t icmp[8] = { 8, 0, 0, 0, 0x12, 0x34, 0, 1 };

	switch (rand() % 5) {
	case 0:
		return tu_udp(b, s, any_port(), d, any_port(), "data");
	case 1:
		icmp[0] = rand() % 2 ? 8 : 0;
		return tu_frame(b, s, d, 1, icmp, 8, "ping", 4);
	case 2:
		if (ifidx && fl->last_len > 34)
			return error_about(b, fl);
		/* fall through */
	default:
		return tu_tcp(b, s, any_port(), d, any_port(),
			      flags[rand() % 8], (uint32_t)rand(),
			      (uint32_t)rand(), rand() % 2 ? "x" : NULL);
	}
}

/* b as two fragments (the second maybe first, maybe overlapping). */
static void feed_split(struct eng *e, unsigned ifidx, const uint8_t *b,
		       uint32_t n, uint64_t now)
{
	uint8_t f[2][512];
	uint32_t pl = n - 34, cut = 8 * (1 + (uint32_t)rand() % (pl / 8));
	uint32_t from[2] = { 0, cut - (rand() % 4 ? 0 : 8) }, len[2];
	unsigned i, k = (unsigned)rand() % 2;
	static uint16_t id;

	/* a fresh IP id: a datagram left half-done must not meet this one */
	id++;

	len[0] = cut;
	len[1] = pl - from[1];
	for (i = 0; i < 2; i++) {
		memcpy(f[i], b, 34);
		memcpy(f[i] + 34, b + 34 + from[i], len[i]);
		put16(f[i] + 16, (uint16_t)(20 + len[i]));
		put16(f[i] + 18, id);
		put16(f[i] + 20, (uint16_t)((i ? 0 : 0x2000) | from[i] / 8));
		put16(f[i] + 24, 0);
		put16(f[i] + 24, csum_finish(csum_add(0, f[i] + 14, 20)));
	}
	eng_input(e, ifidx, f[k], 34 + len[k], 512, now);
	eng_input(e, ifidx, f[!k], 34 + len[!k], 512, now);
}

static void test_random_traffic(void **state)
{
	struct eng_config cfg = { .nifs = 2, .seed = 3, .tx = fuzz_tx,
				  .max_conns = 512, .max_per_host = 300 };
	static const uint8_t mac[6] = { 2, 0, 0, 0, 2, 0xb2 };
	struct fuzz_log fl = { 0 };
	uint8_t b[512];
	struct eng *e;
	unsigned i, ifidx;
	uint32_t n;

	(void)state;
	cfg.tx_ctx = &fl;
	snprintf(cfg.ifs[0].name, sizeof(cfg.ifs[0].name), "eth0");
	cfg.ifs[0].addr = tu_addr("192.168.1.1");
	cfg.ifs[0].plen = 24;
	snprintf(cfg.ifs[1].name, sizeof(cfg.ifs[1].name), "eth1");
	cfg.ifs[1].addr = tu_addr("203.0.113.1");
	cfg.ifs[1].plen = 24;
	cfg.ifs[1].gw = tu_addr("203.0.113.254");
	e = eng_new(&cfg);
	eng_neigh_add(e, 1, tu_addr("203.0.113.254"), mac);
	eng_neigh_add(e, 1, tu_addr("203.0.113.178"), mac);
	eng_neigh_add(e, 0, tu_addr("192.168.1.3"), mac);
	eng_neigh_add(e, 0, tu_addr("192.168.1.4"), mac);
	load_ok(e, "iptables -P FORWARD DROP\n"
		   "iptables -A FORWARD -m state --state ESTABLISHED,RELATED "
		   "-j ACCEPT\n"
		   "iptables -A FORWARD -m state --state INVALID -j DROP\n"
		   "iptables -A FORWARD -i eth0 -j ACCEPT\n"
		   "iptables -A FORWARD -p tcp --dport 80 -j ACCEPT\n"
		   "iptables -A INPUT -p udp --dport 53 -j REJECT\n"
		   "iptables -t nat -A PREROUTING -i eth1 -p tcp --dport 8080 "
		   "-j DNAT --to-destination 192.168.1.3:80\n"
		   "iptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE\n");
	srand(11);
	for (i = 0; i < 20000; i++) {
		ifidx = (unsigned)rand() % 2;
		n = random_frame(b, ifidx, &fl);
		if (n > 34 + 8 && rand() % 10 == 0)
			feed_split(e, ifidx, b, n, 1000 + i * 50ull);
		else
			eng_input(e, ifidx, b, n, sizeof(b), 1000 + i * 50ull);
	}
	/* both limits reached sometimes, and errors translated back */
	assert_true(eng_stats(e)->masq_full > 0);
	assert_true(fl.sent > 3000);
	assert_true(eng_stats(e)->masq_icmp_err > 100);
	assert_true(eng_conn_count(e) <= 512);
	assert_true(eng_stats(e)->frag_reasm > 500);
	assert_true(eng_stats(e)->frag_overlap > 100);
	eng_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_masquerade_state),
		cmocka_unit_test(test_invalid_and_expiry),
		cmocka_unit_test(test_ctstate_nat),
		cmocka_unit_test(test_snat_range),
		cmocka_unit_test(test_dnat),
		cmocka_unit_test(test_dnat_and_masquerade),
		cmocka_unit_test(test_null_binding),
		cmocka_unit_test(test_own_error_quote),
		cmocka_unit_test(test_chains_reject),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_ftp_related),
		cmocka_unit_test(test_ftp_plain),
		cmocka_unit_test(test_ftp_dnat_server),
		cmocka_unit_test(test_portfw_pref),
		cmocka_unit_test(test_ipportfw),
		cmocka_unit_test(test_random_traffic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
