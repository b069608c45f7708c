// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * eng_input_burst() against eng_input(): the same random frame sequences
 * (both directions, replies that hit and miss, the router's own
 * addresses, port forwarding and DNAT, ICMP queries and errors,
 * fragments, ARP, TTL 1, interfaces out of range, mutated and random
 * bytes) through two engines alike, one a frame at a time, the other in
 * bursts of random sizes; every frame sent (bytes, interface, order),
 * every input buffer as left, the counters and the table must be the
 * same.  Both models, with and without host mode; the look-ahead forced
 * on (the tables here are small).  And frag_expire()'s shortcut against a
 * plain scan.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include "eng_int.h"
#include "engine.h"
#include "frag.h"
#include "tutil.h"

#define CAP 512u
#define MAXB 80u

/* Every frame an engine sent: interface, length, bytes. */
struct txall {
	uint8_t *b;
	size_t used, cap;
	unsigned n;
};

static void tx_all(void *ctx, unsigned ifidx, const uint8_t *f, uint32_t len)
{
	struct txall *t = ctx;

	if (t->used + len + 8 > t->cap) {
		t->cap = (t->used + len + 8) * 2;
		t->b = realloc(t->b, t->cap);
		assert_non_null(t->b);
	}
	memcpy(t->b + t->used, &ifidx, 4);
	memcpy(t->b + t->used + 4, &len, 4);
	memcpy(t->b + t->used + 8, f, len);
	t->used += len + 8;
	t->n++;
}

static uint64_t rnd_s;

static uint32_t rn(uint32_t n)
{
	uint64_t z = (rnd_s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	return n ? (uint32_t)(((z >> 32) * n) >> 32) : 0;
}

static const char *const inside[] = {
	"192.168.1.3", "192.168.1.4", "192.168.1.5", "192.168.1.6",
};
static const char *const remote[] = {
	"203.0.113.178", "198.51.100.7", "203.0.113.9",
};
static const uint16_t rports[] = { 53, 80, 443, 21, 5353, 8080 };

static uint32_t icmp_query(uint8_t *b, const char *s, const char *d,
			   uint8_t type, uint16_t id);

/* Flows seen leaving outside, to answer exactly: proto, ends, ports. */
#define NRECENT 32
static struct recent {
	uint8_t proto;
	uint32_t saddr, daddr;
	uint16_t sport, dport;
} recent[NRECENT];
static unsigned nrecent;

static void learn(const struct txall *t, size_t *at)
{
	uint32_t ifidx, len;
	const uint8_t *f, *ip;
	struct recent *r;

	for (; *at < t->used; *at += 8 + len) {
		memcpy(&ifidx, t->b + *at, 4);
		memcpy(&len, t->b + *at + 4, 4);
		f = t->b + *at + 8;
		ip = f + 14;
		if (ifidx != 1 || len < 14 + 20 + 8 || get16(f + 12) != 0x0800 ||
		    ip[0] != 0x45 || (get16(ip + 6) & 0x3fff) ||
		    (ip[9] != 6 && ip[9] != 17 && ip[9] != 1))
			continue;
		r = &recent[nrecent++ % NRECENT];
		r->proto = ip[9];
		memcpy(&r->saddr, ip + 12, 4);
		memcpy(&r->daddr, ip + 16, 4);
		r->sport = get16(ip + 20 + (ip[9] == 1 ? 4 : 0));
		r->dport = ip[9] == 1 ? r->sport : get16(ip + 22);
	}
}

/* A reply to a flow that left: exactly, or with one field off. */
static uint32_t answer(uint8_t *b)
{
	const struct recent *r = &recent[rn(nrecent < NRECENT ? nrecent :
					      NRECENT)];
	char s[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN];
	uint16_t sp = r->dport, dp = r->sport;

	inet_ntop(AF_INET, &r->daddr, s, sizeof(s));
	inet_ntop(AF_INET, &r->saddr, d, sizeof(d));
	if (rn(8) == 0)
		dp++;
	if (r->proto == 1)
		return icmp_query(b, s, d, rn(8) ? 0 : 8, dp);
	if (r->proto == 17)
		return tu_udp(b, s, sp, d, dp, "answer");
	return tu_tcp(b, s, sp, d, dp,
		      (uint8_t[]){ 0x12, 0x10, 0x18, 0x11, 0x04 }[rn(5)],
		      rn(1000), rn(1000), NULL);
}

static const char *any_inside(void) { return inside[rn(4)]; }
static const char *any_remote(void) { return remote[rn(3)]; }

/* An alias port a reply may name: 2.2's range, or a kept source port. */
static uint16_t reply_port(void)
{
	return rn(2) ? (uint16_t)(61000 + rn(24)) : (uint16_t)(1000 + rn(8));
}

static uint32_t icmp_query(uint8_t *b, const char *s, const char *d,
			   uint8_t type, uint16_t id)
{
	uint8_t h[8] = { type, 0 };

	put16(h + 4, id);
	put16(h + 6, (uint16_t)rn(100));
	return tu_frame(b, s, d, 1, h, 8, "pingdata", 8);
}

/* An ICMP error from s to d quoting a UDP or TCP packet qs:qp -> qd:qd. */
static uint32_t icmp_error(uint8_t *b, const char *s, const char *d,
			   const char *qs, uint16_t qsp, const char *qd,
			   uint16_t qdp)
{
	uint8_t q[64], h[8] = { 3, 3 };
	uint32_t n = tu_udp(q, qs, qsp, qd, qdp, "");

	if (rn(2)) {
		n = tu_tcp(q, qs, qsp, qd, qdp, 0x10, 1, 1, NULL);
		n = 14 + 28;
	}
	return tu_frame(b, s, d, 1, h, 8, q + 14, n - 14);
}

static uint32_t arp_frame(uint8_t *b, const char *spa, const char *tpa)
{
	uint32_t s = tu_addr(spa), t = tu_addr(tpa);

	memset(b, 0, 60);
	memset(b, 0xff, 6);
	b[6] = 2;
	b[11] = 9;
	put16(b + 12, 0x0806);
	put16(b + 14, 1);
	put16(b + 16, 0x0800);
	b[18] = 6;
	b[19] = 4;
	put16(b + 20, 1);
	memcpy(b + 22, b + 6, 6);
	memcpy(b + 28, &s, 4);
	memcpy(b + 38, &t, 4);
	return 60;
}

/* Half of a UDP datagram (first or second 16 bytes of its 32). */
static uint32_t fragment(uint8_t *b, const char *s, const char *d,
			 uint16_t id, bool second)
{
	uint8_t whole[128], *ip = b + 14;
	uint32_t n = tu_udp(whole, s, 2000 + id % 4, d, 53,
			    "0123456789abcdefghijklmn");

	assert_int_equal(n, 14 + 20 + 32);
	memcpy(b, whole, 34);
	memcpy(b + 34, whole + 34 + (second ? 16 : 0), 16);
	put16(ip + 2, 36);
	put16(ip + 4, id);
	put16(ip + 6, second ? 2 : 0x2000);
	put16(ip + 10, 0);
	put16(ip + 10, csum_finish(csum_add(0, ip, 20)));
	return 50;
}

/* One random frame into b: its length, and *ifidx. */
static uint32_t gen(uint8_t *b, unsigned *ifidx)
{
	unsigned k = rn(100), i;
	uint32_t n;

	*ifidx = 0;
	if (k < 28) {			/* out from the lan */
		const char *s = any_inside(), *d = any_remote();
		uint16_t sp = (uint16_t)(1000 + rn(8)), dp = rports[rn(6)];

		switch (rn(4)) {
		case 0:
			return tu_udp(b, s, sp, d, dp, "query");
		case 1:
			return icmp_query(b, s, d, 8, sp);
		default:
			return tu_tcp(b, s, sp, d, dp,
				      (uint8_t[]){ 0x02, 0x10, 0x18, 0x11,
						   0x04 }[rn(5)],
				      rn(1000), rn(1000), rn(2) ? "x" : NULL);
		}
	}
	*ifidx = 1;
	if (k < 44 && nrecent)		/* replies to what left */
		return answer(b);
	if (k < 56) {			/* replies (some hit) from outside */
		const char *s = any_remote(), *d = rn(8) ? "203.0.113.1" :
						   "192.168.1.3";
		uint16_t sp = rports[rn(6)], dp = reply_port();

		switch (rn(4)) {
		case 0:
			return tu_udp(b, s, sp, d, dp, "answer");
		case 1:
			return icmp_query(b, s, d, rn(4) ? 0 : 8, dp);
		default:
			return tu_tcp(b, s, sp, d, dp,
				      (uint8_t[]){ 0x12, 0x10, 0x18, 0x11,
						   0x04 }[rn(5)],
				      rn(1000), rn(1000), NULL);
		}
	}
	if (k < 62) {			/* port forward / DNAT, both ways */
		if (rn(2))
			return rn(2) ? tu_udp(b, any_remote(), 4000, "203.0.113.1",
					      5353, "fw") :
				tu_tcp(b, any_remote(), 4001, "203.0.113.1",
				       8080, rn(2) ? 0x02 : 0x10, 1, 1, NULL);
		*ifidx = 0;
		return rn(2) ? tu_udp(b, "192.168.1.3", 53, any_remote(), 4000,
				      "fw") :
			tu_tcp(b, "192.168.1.3", 80, any_remote(), 4001, 0x12,
			       1, 2, NULL);
	}
	if (k < 66) {			/* the router's own addresses */
		*ifidx = rn(2);
		return icmp_query(b, *ifidx ? any_remote() : any_inside(),
				  *ifidx ? "203.0.113.1" : "192.168.1.1", 8,
				  (uint16_t)rn(4));
	}
	if (k < 71) {			/* ICMP errors both ways */
		if (rn(2))
			return icmp_error(b, any_remote(), "203.0.113.1",
					  "203.0.113.1", reply_port(),
					  any_remote(), rports[rn(6)]);
		*ifidx = 0;
		return icmp_error(b, any_inside(), any_remote(), any_remote(),
				  rports[rn(6)], any_inside(),
				  (uint16_t)(1000 + rn(8)));
	}
	if (k < 76) {			/* fragments, in any order */
		*ifidx = rn(2);
		return fragment(b, *ifidx ? any_remote() : any_inside(),
				*ifidx ? "192.168.1.3" : any_remote(),
				(uint16_t)rn(6), rn(2));
	}
	if (k < 79) {
		*ifidx = rn(2);
		return arp_frame(b, *ifidx ? "203.0.113.254" : any_inside(),
				 *ifidx ? "203.0.113.1" : "192.168.1.1");
	}
	if (k < 82) {			/* TTL running out */
		*ifidx = 0;
		return tu_frame_ttl(b, any_inside(), any_remote(), 17, 1,
				    (const uint8_t *)"\x03\xe8\x00\x35\x00\x08"
				    "\x00\x00", 8, NULL, 0);
	}
	if (k < 84) {			/* an interface the engine lacks */
		*ifidx = 2 + rn(8);
		return tu_udp(b, any_inside(), 1000, any_remote(), 53, "x");
	}
	if (k < 95) {			/* a good frame, mutated */
		n = gen(b, ifidx);
		for (i = rn(3) + 1; i; i--)
			b[rn(n)] ^= (uint8_t)(1 + rn(255));
		if (rn(3) == 0)
			n = rn(n + 1);
		return n;
	}
	*ifidx = rn(3);			/* random bytes */
	n = rn(120);
	for (i = 0; i < n; i++)
		b[i] = (uint8_t)rn(256);
	if (n > 14 && rn(2)) {
		put16(b + 12, 0x0800);
		b[14] = 0x45;
	}
	return n;
}

struct model {
	const char *name, *rules;
	bool host;
};

static const struct model models[] = {
	{ "legacy masq",
	  "ipchains -P forward DENY\n"
	  "ipchains -A forward -s 192.168.1.0/24 -j MASQ\n", false },
	{ "legacy masq, host, portfw, input deny",
	  "ipchains -P forward DENY\n"
	  "ipchains -A forward -s 192.168.1.0/24 -j MASQ\n"
	  "ipchains -A input -p udp -d 203.0.113.9 -j DENY\n"
	  "ipportfw -A -u 203.0.113.1/5353 -R 192.168.1.3/53\n", true },
	{ "legacy masq, reject",
	  "ipchains -A forward -p tcp -d 198.51.100.7 -j REJECT\n"
	  "ipchains -P forward DENY\n"
	  "ipchains -A forward -s 192.168.1.0/24 -j MASQ\n", false },
	{ "iptables masquerade",
	  "iptables -P FORWARD DROP\n"
	  "iptables -A FORWARD -m state --state ESTABLISHED,RELATED -j ACCEPT\n"
	  "iptables -A FORWARD -i eth0 -j ACCEPT\n"
	  "iptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE\n", false },
	{ "iptables dnat, snat, host",
	  "iptables -t nat -A PREROUTING -i eth1 -p tcp --dport 8080 "
	  "-j DNAT --to-destination 192.168.1.3:80\n"
	  "iptables -t nat -A PREROUTING -p udp --dport 5353 "
	  "-j DNAT --to-destination 192.168.1.3:53\n"
	  "iptables -A FORWARD -m state --state INVALID -j DROP\n"
	  "iptables -A FORWARD -p udp --dport 443 -j REJECT\n"
	  "iptables -t nat -A POSTROUTING -o eth1 -p udp "
	  "-j SNAT --to-source 203.0.113.1:62000-62010\n"
	  "iptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE\n", true },
};

static struct eng *router(struct txall *t, const struct model *m)
{
	static const uint8_t gw[6] = { 2, 0, 0, 0, 2, 0xfe };
	struct eng_config cfg = { .seed = 7, .tx = tx_all, .tx_ctx = t,
				  .max_conns = 64, .max_per_host = 40,
				  .host = m->host };
	uint8_t mac[6] = { 2, 0, 0, 0, 1, 0 };
	struct eng *e;
	char msg[200] = "";
	unsigned i;

	tu_ifs(&cfg);
	cfg.ifs[1].gw = tu_addr("203.0.113.254");
	cfg.ifs[1].mtu = 60;		/* some frames leave in fragments */
	e = eng_new(&cfg);
	assert_non_null(e);
	eng_neigh_add(e, 1, tu_addr("203.0.113.254"), gw);
	eng_neigh_add(e, 1, tu_addr("203.0.113.178"), gw);
	for (i = 0; i < 3; i++) {	/* 192.168.1.6 is resolved (host) */
		mac[5] = (uint8_t)(3 + i);
		eng_neigh_add(e, 0, tu_addr(inside[i]), mac);
	}
	if (tu_load(e, m->rules, msg, sizeof(msg)))
		fail_msg("%s: %s", m->name, msg);
	return e;
}

static void same_table(const struct eng *a, const struct eng *b)
{
	struct eng_conn_info x, y;
	uint32_t ia = 0, ib = 0;
	bool ma, mb;

	assert_int_equal(eng_conn_count(a), eng_conn_count(b));
	do {
		memset(&x, 0, sizeof(x));
		memset(&y, 0, sizeof(y));
		ma = eng_conn_next(a, &ia, &x);
		mb = eng_conn_next(b, &ib, &y);
		assert_int_equal(ma, mb);
		assert_int_equal(ia, ib);
		if (!ma)
			break;
		assert_string_equal(x.state, y.state);
		x.state = y.state = NULL;
		assert_memory_equal(&x, &y, sizeof(x));
	} while (1);
}

/* One model, one seed: frames in bursts, compared after each burst. */
static void one_run(const struct model *m, uint64_t seed, unsigned frames,
		    bool always)
{
	static uint8_t fa[MAXB][CAP], fb[MAXB][CAP];
	struct txall ta = { 0 }, tb = { 0 };
	struct eng *a = router(&ta, m), *b = router(&tb, m);
	struct eng_frame v[MAXB];
	uint64_t now = 5000;
	size_t seen = 0;
	unsigned done = 0, n, k, ifs[MAXB];
	uint32_t len[MAXB];

	/* the look-ahead itself, or (small table) the plain loop */
	b->la_always = always;
	rnd_s = seed;
	nrecent = 0;
	while (done < frames) {
		n = rn(4) ? 1 + rn(64) : rn(MAXB + 1);	/* 0 too */
		for (k = 0; k < n; k++) {
			memset(fa[k], 0, CAP);
			len[k] = gen(fa[k], &ifs[k]);
			memcpy(fb[k], fa[k], CAP);
			v[k] = (struct eng_frame){ .ifidx = ifs[k],
				.buf = fb[k], .len = len[k], .cap = CAP };
		}
		for (k = 0; k < n; k++)
			eng_input(a, ifs[k], fa[k], len[k], CAP, now);
		eng_input_burst(b, v, n, now);
		for (k = 0; k < n; k++)
			assert_memory_equal(fa[k], fb[k], CAP);
		assert_int_equal(ta.n, tb.n);
		assert_int_equal(ta.used, tb.used);
		if (ta.used)
			assert_memory_equal(ta.b, tb.b, ta.used);
		assert_memory_equal(eng_stats(a), eng_stats(b),
				    sizeof(struct eng_stats));
		done += n;
		learn(&ta, &seen);
		/* mostly a few ms; now and then past timeouts */
		k = rn(50);
		now += k == 0 ? 31000 : k == 1 ? 61000 : k == 2 ? 400000 :
			rn(30);
		if (rn(200) == 0) {
			eng_tick(a, now);
			eng_tick(b, now);
		}
	}
	same_table(a, b);
	if (getenv("BURST_DEBUG"))
		print_message("%s: tx %llu masq out %llu in %llu new %llu "
			      "ct %llu frag %llu/%llu arp %llu bad %llu\n",
			      m->name,
			      (unsigned long long)eng_stats(a)->tx,
			      (unsigned long long)eng_stats(a)->masq_out,
			      (unsigned long long)eng_stats(a)->masq_in,
			      (unsigned long long)eng_stats(a)->masq_new,
			      (unsigned long long)eng_stats(a)->ct_new,
			      (unsigned long long)eng_stats(a)->frag_reasm,
			      (unsigned long long)eng_stats(a)->frag_timeout,
			      (unsigned long long)eng_stats(a)->arp_replies,
			      (unsigned long long)eng_stats(a)->bad[1]);
	/* something happened: translated both ways, sent, refused */
	assert_true(eng_stats(a)->tx > frames / 10);
	assert_true(eng_stats(a)->masq_out + eng_stats(a)->masq_in > 0);
	eng_free(a);
	eng_free(b);
	free(ta.b);
	free(tb.b);
}

static void test_burst_same(void **state)
{
	unsigned i, s;

	(void)state;
	for (i = 0; i < sizeof(models) / sizeof(models[0]); i++)
		for (s = 1; s <= 4; s++)
			one_run(&models[i], s * 1000003ull + i, 6000, s != 4);
}

/* A table this full: a burst sees entries made and refused in it. */
static void test_burst_full_table(void **state)
{
	(void)state;
	one_run(&models[0], 99, 20000, true);
	one_run(&models[3], 98, 20000, true);
}

/* frag_expire() with its bounds against a scan of start times. */
static void test_frag_expire_bounds(void **state)
{
	struct frag_table t;
	uint64_t start[4 * FRAG_QUEUES], now = 100000;
	unsigned nq = 0, live = 0, i, k, want;
	uint8_t f[64], out[256];
	uint32_t olen;

	(void)state;
	rnd_s = 4242;
	frag_init(&t, NULL);
	assert_int_equal(frag_expire(&t, 0, NULL, NULL), 0);
	for (k = 0; k < 20000; k++) {
		if (rn(3) == 0) {
			/* a new datagram's first half: a queue from now */
			fragment(f, inside[rn(4)], remote[rn(3)],
				 (uint16_t)rn(1u << 16), false);
			if (frag_input(&t, f, 50, 0, now, out, sizeof(out),
				       &olen) == FRAG_HELD &&
			    frag_pending(&t) == live + 1) {
				if (nq == 4 * FRAG_QUEUES) {	/* compact */
					for (i = want = 0; i < nq; i++)
						if (start[i] != UINT64_MAX)
							start[want++] = start[i];
					nq = want;
				}
				start[nq++] = now;
				live++;
			}
		}
		now += rn(4) == 0 ? rn(40000) : rn(100);
		/* what a scan expires: started timeout ago or more */
		want = 0;
		for (i = 0; i < nq; i++)
			if (start[i] != UINT64_MAX && now - start[i] >= 30000) {
				start[i] = UINT64_MAX;
				want++;
			}
		assert_int_equal(frag_expire(&t, now, NULL, NULL), want);
		live -= want;
		assert_int_equal(frag_pending(&t), live);
	}
	frag_destroy(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst_same),
		cmocka_unit_test(test_burst_full_table),
		cmocka_unit_test(test_frag_expire_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
