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

enum { LAN, WAN, NONE = -1 };		/* interfaces; NONE: not sent */
enum { UDP = 0, SYN = 0x02, SYNACK = 0x12, PSHACK = 0x18 };

/* Addresses: lan hosts, the router inside and outside, remote hosts. */
#define H3 "192.168.1.3"
#define H4 "192.168.1.4"
#define H5 "192.168.1.5"
#define RI "192.168.1.1"
#define RO "203.0.113.1"
#define REM "203.0.113.178"
#define REM2 "198.51.100.7"

/* The router: eth0 inside, eth1 outside via .254, four neighbours. */
static struct eng *router(struct eng_config *cfg)
{
	static const uint8_t rmac[6] = { 2, 0, 0, 0, 2, 0xb2 };
	static const uint8_t lmac[6] = { 2, 0, 0, 0, 1, 3 };
	static const uint8_t lmac4[6] = { 2, 0, 0, 0, 1, 4 };
	struct eng *e;

	tu_ifs(cfg);
	cfg->ifs[1].gw = tu_addr("203.0.113.254");
	e = eng_new(cfg);
	eng_neigh_add(e, 1, tu_addr("203.0.113.254"), rmac);
	eng_neigh_add(e, 1, tu_addr(REM), rmac);
	eng_neigh_add(e, 0, tu_addr(H3), lmac);
	eng_neigh_add(e, 0, tu_addr(H4), lmac4);
	return e;
}

/* The router with text loaded, sending into t. */
static struct eng *new_eng(struct tu_txlog *t, const char *text)
{
	struct eng_config cfg = { .seed = 1, .tx = tu_tx, .tx_ctx = t };
	struct eng *e = router(&cfg);

	assert_int_equal(tu_load(e, text, NULL, 0), 0);
	return e;
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

/* Frame i sent: parsed, checksums verified, on interface ifidx. */
static struct pkt sent(struct tu_txlog *t, unsigned i, unsigned ifidx)
{
	struct pkt p = { .buf = t->frame[i], .len = t->len[i], .cap = 512 };

	assert_true(i < t->n);
	assert_int_equal(t->ifidx[i], ifidx);
	assert_int_equal(pkt_parse(&p), PKT_OK);
	assert_true(pkt_l4_csum_ok(&p));
	return p;
}

static struct pkt last(struct tu_txlog *t, unsigned ifidx)
{
	return sent(t, t->n - 1, ifidx);
}

struct ends {
	const char *s;
	uint16_t sp;
	const char *d;
	uint16_t dp;
};

/*
 * A datagram or TCP segment in, and the one frame it must make on
 * interface out, with the endpoints to (not checked without to.s).
 */
struct hop {
	int in;
	uint8_t flags;			/* UDP, or TCP with these flags */
	struct ends from;
	int out;			/* NONE: nothing is sent */
	struct ends to;
	const char *data;		/* TCP payload */
};

/* The hops in turn, up to n of them or one without from.s. */
static void hops(struct eng *e, struct tu_txlog *t, const struct hop *h,
		 unsigned n)
{
	const struct ends *f, *w;
	unsigned before;
	struct pkt p;

	for (; n-- && h->from.s; h++) {
		f = &h->from;
		w = &h->to;
		before = t->n;
		if (h->flags)
			tcp_in(e, (unsigned)h->in, f->s, f->sp, f->d, f->dp,
			       h->flags, h->data);
		else
			udp_in(e, (unsigned)h->in, f->s, f->sp, f->d, f->dp);
		assert_int_equal(t->n, before + (h->out != NONE));
		if (h->out == NONE)
			continue;
		p = last(t, (unsigned)h->out);
		if (!w->s)
			continue;
		assert_int_equal(p.saddr, tu_addr(w->s));
		assert_int_equal(p.sport, w->sp);
		assert_int_equal(p.daddr, tu_addr(w->d));
		assert_int_equal(p.dport, w->dp);
	}
}

#define HOPS(e, t, h) hops(e, t, h, sizeof(h) / sizeof(h[0]))

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

static const char router_rules[] =
	"iptables -P FORWARD DROP\n"
	"iptables -A FORWARD -m state --state ESTABLISHED,RELATED -j ACCEPT\n"
	"iptables -A FORWARD -i eth0 -j ACCEPT\n"
	"iptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE\n";

/* A test of rules and hops, then (if not NULL) what else must hold. */
struct flow {
	const char *name, *rules;
	struct hop h[6];
	void (*then)(struct eng *e, struct tu_txlog *t);
};

static void test_flow(void **state)
{
	const struct flow *f = *state;
	struct tu_txlog t = { 0 };
	struct eng *e = new_eng(&t, f->rules);

	HOPS(e, &t, f->h);
	if (f->then)
		f->then(e, &t);
	eng_free(e);
}

/* What else must hold after some flows' hops. */
static void masquerade_state(struct eng *e, struct tu_txlog *t)
{
	const struct mr_chain *fwd = fwd_chain(e);

	assert_int_equal(sent(t, 0, WAN).ttl, 63);
	assert_int_equal(t->n, 3);
	/* ESTABLISHED only after a reply: the lan host's ACK is ESTABLISHED */
	assert_int_equal(fwd->rules->pkts, 1);		/* the SYN+ACK */
	assert_int_equal(fwd->rules->next->pkts, 2);	/* two SYNs */
	assert_int_equal(fwd->pkts, 1);			/* policy */
	assert_int_equal(eng_stats(e)->dropped, 1);
	assert_int_equal(eng_stats(e)->ct_new, 2);
	assert_int_equal(eng_conn_count(e), 2);
}

static void ctstate_nat(struct eng *e, struct tu_txlog *t)
{
	(void)t;
	assert_int_equal(fwd_chain(e)->rules->pkts, 1);
	assert_int_equal(fwd_chain(e)->rules->next->pkts, 2);
	assert_int_equal(fwd_chain(e)->rules->next->next->pkts, 1);
}

static void ipportfw(struct eng *e, struct tu_txlog *t)
{
	assert_int_equal(t->n, 2);
	assert_int_equal(eng_stats(e)->unsolicited, 1);
}

static const struct flow flows[] = {
	/* The task's ruleset: state, the policy, MASQUERADE keeping ports. */
	{ "test_masquerade_state", router_rules, {
		{ LAN, SYN, {H3, 40000, REM, 80}, WAN, {RO, 40000, REM, 80} },
		{ WAN, SYNACK, {REM, 80, RO, 40000},
		  LAN, {REM, 80, H3, 40000} },
		/* a second host, same port, same remote: the next free port */
		{ LAN, SYN, {H4, 40000, REM, 80}, WAN, {RO, 40001, REM, 80} },
		/* NEW from outside: the policy drops it */
		{ WAN, SYN, {REM, 999, H3, 22}, NONE },
	}, masquerade_state },
	/* --ctstate DNAT in FORWARD (first packet on), SNAT for later ones. */
	{ "test_ctstate_nat",
	  "iptables -A FORWARD -m conntrack --ctstate DNAT -j ACCEPT\n"
	  "iptables -A FORWARD -m conntrack --ctstate SNAT -j ACCEPT\n"
	  "iptables -A FORWARD -i eth0 -p udp --dport 53 -j ACCEPT\n"
	  "iptables -P FORWARD DROP\n"
	  "iptables -t nat -A PREROUTING -i eth1 -p udp --dport 5353 "
	  "-j DNAT --to-destination 192.168.1.3:53\n"
	  "iptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE\n", {
		{ WAN, UDP, {REM, 4000, RO, 5353}, LAN },	/* DNAT */
		/* not translated: dropped */
		{ WAN, UDP, {REM, 4000, H3, 5354}, NONE },
		{ LAN, UDP, {H3, 1000, REM, 53}, WAN },	/* rule 3 */
		{ LAN, UDP, {H3, 1000, REM, 53}, WAN },	/* SNAT now */
		/* the reply: SNAT too */
		{ WAN, UDP, {REM, 53, RO, 1000}, LAN },
	}, ctstate_nat },
	/* DNAT to a lan server, replies from the forwarded port. */
	{ "test_dnat",
	  "iptables -t nat -A PREROUTING -i eth1 -p tcp --dport 8080 "
	  "-j DNAT --to-destination 192.168.1.3:80\n"
	  "iptables -A FORWARD -i eth1 -d 192.168.1.3 -p tcp "
	  "--dport 80 -j ACCEPT\n"
	  "iptables -A FORWARD -m state --state ESTABLISHED -j ACCEPT\n"
	  "iptables -P FORWARD DROP\n", {
		{ WAN, SYN, {REM, 33000, RO, 8080}, LAN, {REM, 33000, H3, 80} },
		{ LAN, SYNACK, {H3, 80, REM, 33000},
		  WAN, {RO, 8080, REM, 33000} },
		{ WAN, PSHACK, {REM, 33000, RO, 8080},
		  LAN, {REM, 33000, H3, 80}, "hi" },
		/* the server's own new connection out is not forwarded */
		{ LAN, SYN, {H3, 80, REM, 33001}, NONE },
	} },
	/* DNAT and MASQUERADE on one flow: all four endpoints differ. */
	{ "test_dnat_and_masquerade",
	  "iptables -t nat -A PREROUTING -p udp --dport 5353 "
	  "-j DNAT --to-destination 192.168.1.3:53\n"
	  "iptables -t nat -A POSTROUTING -j MASQUERADE\n", {
		{ WAN, UDP, {REM, 4000, RO, 5353}, LAN, {RI, 4000, H3, 53} },
		{ LAN, UDP, {H3, 53, RI, 4000}, WAN, {RO, 5353, REM, 4000} },
	} },
	/* A flow whose reply tuple another one has: its source port moves. */
	{ "test_null_binding",
	  "iptables -t nat -A PREROUTING -p udp --dport 5353 "
	  "-j DNAT --to-destination 192.168.1.3:53\n", {
		{ WAN, UDP, {REM, 4000, RO, 5353}, LAN, {REM, 4000, H3, 53} },
		{ WAN, UDP, {REM, 4000, H3, 53}, LAN, {REM, 4001, H3, 53} },
		{ LAN, UDP, {H3, 53, REM, 4001}, WAN, {H3, 53, REM, 4000} },
		{ LAN, UDP, {H3, 53, REM, 4000}, WAN, {RO, 5353, REM, 4000} },
	} },
	/* 2.0's ipportfw, UDP: the datagram in, the answer from the port. */
	{ "test_ipportfw",
	  "ipfwadm -F -a m -S 192.168.1.0/24\n"
	  "ipportfw -A -u 203.0.113.1/5353 -R 192.168.1.3/53\n", {
		{ WAN, UDP, {REM, 4000, RO, 5353}, LAN, {REM, 4000, H3, 53} },
		{ LAN, UDP, {H3, 53, REM, 4000}, WAN, {RO, 5353, REM, 4000} },
		{ WAN, UDP, {REM, 4000, RO, 5354}, NONE },
	}, ipportfw },
};

#define FLOW(i) { flows[i].name, test_flow, NULL, NULL, (void *)&flows[i] }

/* INVALID: a reset or a reply for no flow; a UDP flow expires. */
static void test_invalid_and_expiry(void **state)
{
	static const struct hop invalid[] = {
		{ LAN, 0x04, {H3, 40000, REM, 80}, NONE },
		{ LAN, 0x01, {H3, 40000, REM, 80}, NONE },
	}, flow[] = {
		{ LAN, UDP, {H3, 5000, REM, 53}, WAN },
		{ WAN, UDP, {REM, 53, RO, 5000}, LAN },
	}, late[] = {	/* for the engine now: unsolicited */
		{ WAN, UDP, {REM, 53, RO, 5000}, NONE },
	};
	struct tu_txlog t = { 0 };
	struct eng *e = new_eng(&t,
		"iptables -A FORWARD -m state --state INVALID -j DROP\n"
		"iptables -A FORWARD -m state --state ESTABLISHED -j ACCEPT\n"
		"iptables -A FORWARD -i eth0 -j ACCEPT\n"
		"iptables -A FORWARD -j DROP\n"
		"iptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE\n");

	(void)state;
	HOPS(e, &t, invalid);
	assert_int_equal(t.n, 0);
	assert_int_equal(eng_stats(e)->ct_invalid, 2);
	HOPS(e, &t, flow);
	clock_ms += 301 * 1000;		/* UDP: 5 minutes */
	HOPS(e, &t, late);
	assert_int_equal(t.n, 2);
	assert_int_equal(eng_stats(e)->unsolicited, 1);
	assert_int_equal(eng_conn_count(e), 0);
	eng_free(e);
}

/* SNAT to a port range: kept while free, then searched, then refused. */
static void test_snat_range(void **state)
{
	static const struct hop h[] = {
		{ LAN, UDP, {H3, 2001, REM, 53},
		  WAN, {"203.0.113.9", 2001, REM, 53} },
		{ LAN, UDP, {H4, 2001, REM, 53},
		  WAN, {"203.0.113.9", 2000, REM, 53} },
		{ LAN, UDP, {H5, 2001, REM, 53}, NONE },
	}, more[] = {
		/* another remote: the ports serve it again */
		{ LAN, UDP, {H5, 2001, REM2, 53}, WAN },
		/* not udp: untranslated, still tracked */
		{ LAN, SYN, {H3, 3000, REM, 80}, WAN, {H3, 3000, REM, 80} },
	};
	struct tu_txlog t = { 0 };
	struct eng *e = new_eng(&t,
		"iptables -t nat -A POSTROUTING -o eth1 -p udp "
		"-j SNAT --to-source 203.0.113.9:2000-2001\n");

	(void)state;
	HOPS(e, &t, h);
	assert_int_equal(t.n, 2);
	assert_int_equal(eng_stats(e)->masq_no_port, 1);
	HOPS(e, &t, more);
	assert_int_equal(eng_stats(e)->ct_new, 4);
	eng_free(e);
}

/* The engine's own error about a DNAT'd packet quotes what was sent. */
static void test_own_error_quote(void **state)
{
	struct tu_txlog t = { 0 };
	struct eng *e = new_eng(&t,
		"iptables -t nat -A PREROUTING -i eth1 -p udp --dport 5353 "
		"-j DNAT --to-destination 192.168.1.3:53\n");
	uint8_t b[512];
	uint32_t n;
	struct pkt p;

	(void)state;
	udp_in(e, 1, REM, 4000, RO, 5353);
	n = tu_udp(b, REM, 4000, RO, 5353, "data");
	b[14 + 8] = 1;				/* TTL 1 */
	put16(b + 14 + 10, 0);
	put16(b + 14 + 10, csum_finish(csum_add(0, b + 14, 20)));
	in_frame(e, 1, b, n);
	p = last(&t, 1);
	assert_int_equal(p.icmp_type, 11);
	assert_true(p.icmp_err);
	assert_int_equal(p.in.saddr, tu_addr(REM));
	assert_int_equal(p.in.daddr, tu_addr(RO));
	assert_int_equal(p.in.dport, 5353);
	assert_int_equal(csum_finish(csum_add(0, p.buf + p.in.l3, 20)), 0);
	eng_free(e);
}

/* User chains, RETURN, LOG, MARK, REJECT with and without --reject-with. */
static void test_chains_reject(void **state)
{
	struct tu_txlog t = { 0 };
	struct eng *e = new_eng(&t,
		"iptables -N chk\n"
		"iptables -A chk -p udp --dport 53 -j RETURN\n"
		"iptables -A chk -j LOG\n"
		"iptables -A chk -p tcp -j REJECT --reject-with tcp-reset\n"
		"iptables -A chk -j MARK --set-mark 7\n"
		"iptables -A chk -m mark --mark 7 -j REJECT\n"
		"iptables -A FORWARD -j chk\n"
		"iptables -A FORWARD -j ACCEPT\n");
	const uint8_t *icmp;
	struct pkt p;

	(void)state;
	udp_in(e, 0, H3, 5000, REM, 53);
	assert_int_equal(t.n, 1);		/* RETURN, then ACCEPT */
	tcp_in(e, 0, H3, 40000, REM, 80, 0x02, NULL);
	p = last(&t, 0);			/* a reset back to the lan */
	assert_int_equal(p.proto, PKT_P_TCP);
	assert_true(p.tcp_flags & 0x04);
	udp_in(e, 0, H3, 5000, REM, 54);
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
	struct tu_txlog t = { 0 };
	struct eng_config cfg = { .seed = 1, .tx = tu_tx, .tx_ctx = &t,
				  .max_conns = 3, .max_per_host = 2 };
	struct eng *e = router(&cfg);

	(void)state;
	assert_int_equal(tu_load(e, router_rules, NULL, 0), 0);
	udp_in(e, 0, H3, 1, REM, 53);
	udp_in(e, 0, H3, 2, REM, 53);
	udp_in(e, 0, H3, 3, REM, 53);
	assert_int_equal(eng_stats(e)->masq_host_full, 1);
	udp_in(e, 0, H4, 1, REM, 53);
	udp_in(e, 0, H5, 1, REM, 53);
	assert_int_equal(eng_stats(e)->masq_full, 1);
	assert_int_equal(t.n, 3);
	assert_int_equal(eng_conn_count(e), 3);
	eng_free(e);
}

/* The last frame sent, on ifidx, carries text as its payload. */
static struct pkt said(struct tu_txlog *t, unsigned ifidx, const char *text)
{
	struct pkt p = last(t, ifidx);

	assert_int_equal(p.len - p.payload, strlen(text));
	assert_memory_equal(p.buf + p.payload, text, strlen(text));
	return p;
}

/*
 * An FTP control connection from c:40001 to s:21 coming in on cif, the
 * server at sv answering ca (the client as it sees it); the client's next
 * segment has seq 101, the server's 901.
 */
static void ftp_open(struct eng *e, unsigned cif, const char *c,
		     const char *s, const char *sv, const char *ca)
{
	uint8_t b[512];

	in_frame(e, cif, b, tu_tcp(b, c, 40001, s, 21, SYN, 100, 0, NULL));
	in_frame(e, !cif, b, tu_tcp(b, sv, 21, ca, 40001, SYNACK, 900, 101,
				    NULL));
}

/* The FTP helper; FORWARD drops all but ESTABLISHED, RELATED and the
 * rules that follow. */
#define FTP_STATEFUL \
	"modprobe nf_conntrack_ftp\n" \
	"iptables -P FORWARD DROP\n" \
	"iptables -A FORWARD -m state --state ESTABLISHED,RELATED -j ACCEPT\n"

/* FTP through MASQUERADE: PORT rewritten, the data connection RELATED. */
static void test_ftp_related(void **state)
{
	static const char want[] = "PORT 203,0,113,1,238,72\r\n";
	/* the helper's alias ports: the 2.2 range, 61000 = 238 * 256 + 72 */
	static const struct hop data[] = {
		/* the server's data connection from port 20: RELATED */
		{ WAN, SYN, {REM, 20, RO, 61000}, LAN, {REM, 20, H3, 1025} },
		/* another port from outside stays out */
		{ WAN, SYN, {REM, 20, RO, 61001}, NONE },
	};
	struct tu_txlog t = { 0 };
	struct eng *e = new_eng(&t,
		"modprobe ip_conntrack_ftp\n"
		"iptables -P FORWARD DROP\n"
		"iptables -A FORWARD -m state --state ESTABLISHED -j ACCEPT\n"
		"iptables -A FORWARD -m state --state RELATED -j ACCEPT\n"
		"iptables -A FORWARD -i eth0 -m state --state NEW -j ACCEPT\n"
		"iptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE\n");
	uint8_t b[512];

	(void)state;
	ftp_open(e, LAN, H3, REM, REM, RO);
	in_frame(e, LAN, b, tu_tcp(b, H3, 40001, REM, 21, PSHACK, 101, 901,
				   "PORT 192,168,1,3,4,1\r\n"));
	said(&t, WAN, want);
	assert_int_equal(eng_stats(e)->helper_expect, 1);
	HOPS(e, &t, data);
	assert_int_equal(t.n, 4);
	eng_free(e);
}

/* FTP without NAT: PORT untouched, the data connection RELATED. */
static void test_ftp_plain(void **state)
{
	static const char port[] = "PORT 192,168,1,3,4,1\r\n";
	static const struct hop data[] = {
		{ WAN, SYN, {REM, 20, H3, 1025}, LAN, {REM, 20, H3, 1025} },
		/* not expected: NEW, dropped */
		{ WAN, SYN, {REM, 20, H3, 1026}, NONE },
	};
	struct tu_txlog t = { 0 };
	struct eng *e = new_eng(&t,
		FTP_STATEFUL
		"iptables -A FORWARD -i eth0 -j ACCEPT\n");
	uint8_t b[512];
	unsigned i;

	(void)state;
	ftp_open(e, LAN, H3, REM, REM, H3);
	for (i = 0; i < 2; i++) {	/* the second: a retransmission */
		in_frame(e, LAN, b, tu_tcp(b, H3, 40001, REM, 21, PSHACK, 101,
					   901, port));
		said(&t, WAN, port);
	}
	assert_int_equal(eng_stats(e)->helper_rewrites, 0);
	HOPS(e, &t, data);
	assert_int_equal(t.n, 5);
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
	static const struct hop active[] = {
		/* the server's data connection: from the public address */
		{ LAN, SYN, {H3, 20, REM, 1025}, WAN, {RO, 20, REM, 1025} },
		{ WAN, SYNACK, {REM, 1025, RO, 20}, LAN, {REM, 1025, H3, 20} },
	}, passive[] = {
		{ WAN, SYN, {REM, 1030, RO, 5001}, LAN, {REM, 1030, H3, 5001} },
		{ LAN, SYNACK, {H3, 5001, REM, 1030},
		  WAN, {RO, 5001, REM, 1030} },
	};
	struct tu_txlog t = { 0 };
	struct eng *e = new_eng(&t,
		FTP_STATEFUL
		"iptables -A FORWARD -i eth1 -p tcp --dport 21 -j ACCEPT\n"
		"iptables -t nat -A PREROUTING -i eth1 -p tcp --dport 21 "
		"-j DNAT --to-destination 192.168.1.3\n");
	uint8_t b[512];
	struct pkt p;

	(void)state;
	ftp_open(e, WAN, REM, RO, H3, REM);
	in_frame(e, WAN, b, tu_tcp(b, REM, 40001, RO, 21, PSHACK, 101, 901,
				   port));
	said(&t, LAN, port);
	HOPS(e, &t, active);

	/* passive: the 227 names the public address, 5001 leads inside */
	in_frame(e, LAN, b, tu_tcp(b, H3, 21, REM, 40001, PSHACK, 901, 124,
				   pasv));
	p = said(&t, WAN, pasv_out);
	assert_int_equal(pkt_tcp_seq(&p), 901);
	/* the client's ack of it (the texts are as long: no shift) */
	in_frame(e, WAN, b, tu_tcp(b, REM, 40001, RO, 21, 0x10, 124,
				   901 + strlen(pasv_out), NULL));
	p = last(&t, LAN);
	assert_int_equal(pkt_tcp_ack(&p), 901 + strlen(pasv));
	HOPS(e, &t, passive);
	eng_free(e);
}

/* Legacy port forwarding: -p pref weights share one port. */
static void test_portfw_pref(void **state)
{
	static const char *const want[] = {
		H3, H3, H4,
		H3, H3, H4,
	};
	/* the server's reply is masqueraded back from port 80 */
	static const struct hop reply[] = {
		{ LAN, SYNACK, {H4, 8000, REM, 30002},
		  WAN, {RO, 80, REM, 30002} },
	};
	struct tu_txlog t = { 0 };
	struct eng *e = new_eng(&t,
		"ipchains -A forward -s 192.168.1.0/24 -j MASQ\n"
		"ipmasqadm portfw -a -P tcp -L 203.0.113.1 80 "
		"-R 192.168.1.3 80 -p 2\n"
		"ipmasqadm portfw -a -P tcp -L 203.0.113.1 80 "
		"-R 192.168.1.4 8000 -p 1\n");
	struct pkt p;
	unsigned i;

	(void)state;
	for (i = 0; i < 6; i++) {
		tcp_in(e, 1, REM, (uint16_t)(30000 + i), RO, 80, 0x02, NULL);
		p = last(&t, 0);
		assert_int_equal(p.daddr, tu_addr(want[i]));
		assert_int_equal(p.dport, i % 3 == 2 ? 8000 : 80);
	}
	HOPS(e, &t, reply);
	assert_int_equal(eng_stats(e)->portfw_new, 6);
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
	return tu_frame(b, pick((const char *const[]){ REM,
		REM2, "203.0.113.254" }, 3), RO, 1,
		h, 8, fl->last + 14, q);
}

static uint32_t random_frame(uint8_t *b, unsigned ifidx,
			     const struct fuzz_log *fl)
{
	static const char *const lan_src[] = {H3, H4};
	static const char *const lan_dst[] = { REM, REM2,
					       RO, RI };
	static const char *const wan_src[] = { REM,
					       REM2 };
	static const char *const wan_dst[] = {RO, H3};
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
	struct eng_config cfg = { .seed = 3, .tx = fuzz_tx,
				  .max_conns = 512, .max_per_host = 300 };
	struct fuzz_log fl = { 0 };
	uint8_t b[512];
	struct eng *e;
	unsigned i, ifidx;
	uint32_t n;

	(void)state;
	cfg.tx_ctx = &fl;
	e = router(&cfg);
	assert_int_equal(tu_load(e,
		"iptables -P FORWARD DROP\n"
		"iptables -A FORWARD -m state --state ESTABLISHED,RELATED "
		"-j ACCEPT\n"
		"iptables -A FORWARD -m state --state INVALID -j DROP\n"
		"iptables -A FORWARD -i eth0 -j ACCEPT\n"
		"iptables -A FORWARD -p tcp --dport 80 -j ACCEPT\n"
		"iptables -A INPUT -p udp --dport 53 -j REJECT\n"
		"iptables -t nat -A PREROUTING -i eth1 -p tcp --dport 8080 "
		"-j DNAT --to-destination 192.168.1.3:80\n"
		"iptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE\n",
		NULL, 0), 0);
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
		FLOW(0),			/* masquerade_state */
		cmocka_unit_test(test_invalid_and_expiry),
		FLOW(1),			/* ctstate_nat */
		cmocka_unit_test(test_snat_range),
		FLOW(2),			/* dnat */
		FLOW(3),			/* dnat_and_masquerade */
		FLOW(4),			/* null_binding */
		cmocka_unit_test(test_own_error_quote),
		cmocka_unit_test(test_chains_reject),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_ftp_related),
		cmocka_unit_test(test_ftp_plain),
		cmocka_unit_test(test_ftp_dnat_server),
		cmocka_unit_test(test_portfw_pref),
		FLOW(5),			/* ipportfw */
		cmocka_unit_test(test_random_traffic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
