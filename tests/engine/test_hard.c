// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Hard input for the whole packet path (eng_input): truncated headers, bad
 * IHL and lengths, bad checksums, ICMP errors quoting garbage, fragments
 * that overlap.  Each frame is an exact-size heap copy, so ASan sees any
 * read past it; each must be dropped, counted, and never crash.
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

#define LAN 0u
#define WAN 1u

struct hard {
	struct eng *e;
	unsigned ntx;
	uint8_t last[2048];
	uint32_t last_len;
	unsigned last_if;
	uint64_t now;
};

static void tx(void *ctx, unsigned ifidx, const uint8_t *f, uint32_t len)
{
	struct hard *h = ctx;

	h->ntx++;
	h->last_if = ifidx;
	h->last_len = len < sizeof(h->last) ? len : sizeof(h->last);
	memcpy(h->last, f, h->last_len);
}

/* Feed len bytes in a heap block of cap bytes (ASan sees overreads). */
static void feed_cap(struct hard *h, unsigned ifidx, const uint8_t *f,
		     uint32_t len, uint32_t cap)
{
	uint8_t *b = malloc(cap ? cap : 1);

	assert_non_null(b);
	memcpy(b, f, len);
	eng_input(h->e, ifidx, b, len, cap, h->now);
	h->now += 10;
	free(b);
}

static void feed(struct hard *h, unsigned ifidx, const uint8_t *f,
		 uint32_t len)
{
	feed_cap(h, ifidx, f, len, len);
}

/* Everything that says a frame was not passed on. */
static uint64_t drops(const struct eng_stats *s)
{
	uint64_t n = s->dropped + s->rejected + s->unsolicited + s->local +
		     s->frag_dropped + s->no_route + s->helper_refused +
		     s->masq_full + s->masq_no_port;
	unsigned i;

	for (i = 0; i < 8; i++)
		n += s->bad[i];
	return n;
}

/* The frame must produce nothing on the wire and be counted (a dropped
 * fragment may count twice: frag_dropped and the verdict). */
static void expect_dropped(struct hard *h, unsigned ifidx, const uint8_t *f,
			   uint32_t len, const char *what)
{
	uint64_t before = drops(eng_stats(h->e));
	unsigned ntx = h->ntx;

	feed(h, ifidx, f, len);
	if (h->ntx != ntx)
		fail_msg("%s (len %u): a frame went out of if %u", what,
			 (unsigned)len, h->last_if);
	if (drops(eng_stats(h->e)) == before)
		fail_msg("%s (len %u): dropped without a count", what,
			 (unsigned)len);
}

/*
 * An engine with the seed masquerade and the FTP helper, one TCP flow
 * 192.168.1.3:1025 -> 203.0.113.178:21 (alias port 61000) and one UDP
 * flow :1025 -> :53 (alias 61000) already in the table.
 */
static int setup(void **state)
{
	static const uint8_t rmac[6] = { 2, 0, 0, 0, 2, 0xb2 };
	static const uint8_t lmac[6] = { 2, 0, 0, 0, 1, 3 };
	struct hard *h = calloc(1, sizeof(*h));
	struct eng_config cfg = { .seed = 1, .tx = tx };
	uint8_t b[256];
	uint32_t n;

	cfg.tx_ctx = h;
	tu_ifs(&cfg);
	h->e = eng_new(&cfg);
	h->now = 1000;
	eng_neigh_add(h->e, WAN, tu_addr("203.0.113.178"), rmac);
	eng_neigh_add(h->e, LAN, tu_addr("192.168.1.3"), lmac);
	assert_int_equal(tu_load(h->e, "ipchains -P forward DENY\n"
		"ipchains -A forward -s 192.168.1.0/24 -j MASQ\n"
		"modprobe ip_masq_ftp\n", NULL, 0), 0);
	n = tu_tcp(b, "192.168.1.3", 1025, "203.0.113.178", 21, 0x02, 100, 0,
		   NULL);
	feed(h, LAN, b, n);
	n = tu_tcp(b, "203.0.113.178", 21, "203.0.113.1", 61000, 0x12, 500,
		   101, NULL);
	feed(h, WAN, b, n);
	n = tu_udp(b, "192.168.1.3", 1025, "203.0.113.178", 53, "q");
	feed(h, LAN, b, n);
	assert_int_equal(h->ntx, 3);
	assert_int_equal(eng_conn_count(h->e), 2);
	*state = h;
	return 0;
}

static int teardown(void **state)
{
	struct hard *h = *state;

	eng_free(h->e);
	free(h);
	return 0;
}

static void fix_ip_csum(uint8_t *f)
{
	uint8_t *ip = f + 14;
	unsigned hl = (ip[0] & 15u) * 4;

	put16(ip + 10, 0);
	if (hl >= 20)
		put16(ip + 10, csum_finish(csum_add(0, ip, hl)));
}

/* Every truncation of valid frames, both directions. */
static void test_truncated(void **state)
{
	struct hard *h = *state;
	uint8_t f[3][256];
	uint32_t len[3], cut;
	unsigned i;

	len[0] = tu_tcp(f[0], "192.168.1.3", 1025, "203.0.113.178", 21, 0x10,
			101, 501, "USER x\r\n");
	len[1] = tu_tcp(f[1], "203.0.113.178", 21, "203.0.113.1", 61000, 0x10,
			501, 109, "220 hi\r\n");
	len[2] = tu_udp(f[2], "203.0.113.178", 53, "203.0.113.1", 61000, "a");
	for (i = 0; i < 3; i++)
		for (cut = 0; cut < len[i]; cut++)
			expect_dropped(h, i ? WAN : LAN, f[i], cut, "truncated");
	assert_true(eng_stats(h->e)->bad[PKT_E_SHORT] > 0);
}

/* IHL below 5 or past the frame, a total length shorter than the header
 * or longer than the frame, version 6 in an IPv4 frame, TCP data offset
 * below 5 or past the segment, a UDP length past the datagram. */
static void test_bad_lengths(void **state)
{
	struct hard *h = *state;
	uint8_t f[256], g[256];
	uint32_t n;
	unsigned ihl, i;

	n = tu_tcp(f, "192.168.1.3", 1025, "203.0.113.178", 21, 0x10, 101,
		   501, NULL);
	for (ihl = 0; ihl < 16; ihl++) {
		if (ihl == 5)
			continue;
		memcpy(g, f, n);
		g[14] = (uint8_t)(0x40 | ihl);
		fix_ip_csum(g);
		expect_dropped(h, LAN, g, n, "ihl");
	}
	static const uint16_t tots[] = { 0, 1, 19, 39, 41, 200, 65535 };
	for (i = 0; i < sizeof(tots) / sizeof(tots[0]); i++) {
		memcpy(g, f, n);
		put16(g + 16, tots[i]);
		fix_ip_csum(g);
		expect_dropped(h, LAN, g, n, "total length");
	}
	memcpy(g, f, n);
	g[14] = 0x65;
	fix_ip_csum(g);
	expect_dropped(h, LAN, g, n, "version 6");
	for (i = 0; i < 16; i++) {
		if (i == 5)
			continue;
		memcpy(g, f, n);
		g[14 + 20 + 12] = (uint8_t)(i << 4);
		expect_dropped(h, LAN, g, n, "tcp data offset");
	}
	n = tu_udp(f, "192.168.1.3", 1025, "203.0.113.178", 53, "abc");
	for (i = 0; i < 3; i++) {
		memcpy(g, f, n);
		put16(g + 14 + 20 + 4, (uint16_t[]){ 0, 7, 12 }[i]);
		expect_dropped(h, LAN, g, n, "udp length");
	}
	assert_true(eng_stats(h->e)->bad[PKT_E_IPHDR] > 0);
	assert_true(eng_stats(h->e)->bad[PKT_E_L4HDR] > 0);
}

/*
 * A bad IP header checksum and a bad checksum on an ICMP error are dropped
 * (the engine checks what it cannot rewrite incrementally).  A router
 * does not verify TCP/UDP checksums, but must not launder one: a corrupt
 * segment it forwards still fails its checksum at the receiver.
 */
static void test_bad_checksums(void **state)
{
	struct hard *h = *state;
	uint8_t f[256];
	uint32_t n;

	n = tu_tcp(f, "192.168.1.3", 1025, "203.0.113.178", 21, 0x10, 101,
		   501, NULL);
	f[14 + 10] ^= 0x5a;
	expect_dropped(h, LAN, f, n, "ip checksum");
	assert_int_equal(eng_stats(h->e)->bad[PKT_E_IPCSUM], 1);

	n = tu_tcp(f, "192.168.1.3", 1025, "203.0.113.178", 21, 0x18, 101,
		   501, "NOOP\r\n");
	f[14 + 20 + 16] ^= 0x11;
	feed(h, LAN, f, n);
	assert_int_equal(h->last_if, WAN);
	assert_false(tu_csums_ok(h->last, h->last_len));
}

/* An FTP PORT command in a corrupt segment: a helper that splices it
 * must not hand the server a segment with a good checksum. */
static void test_helper_keeps_bad_checksum(void **state)
{
	struct hard *h = *state;
	uint8_t f[256];
	uint32_t n;
	unsigned ntx = h->ntx;

	n = tu_tcp(f, "192.168.1.3", 1025, "203.0.113.178", 21, 0x18, 101,
		   501, "PORT 192,168,1,3,4,1\r\n");
	f[14 + 20 + 16] ^= 0x11;
	feed_cap(h, LAN, f, n, 2048);	/* room to lengthen the command */
	assert_int_equal(h->ntx, ntx + 1);
	assert_int_equal(h->last_if, WAN);
	assert_non_null(memmem(h->last, h->last_len, "PORT 203,0,113,1,", 17));
	/* the sender's error carried over: the receiver drops it too */
	assert_false(tu_csums_ok(h->last, h->last_len));
}

/* An ICMP error from outside to the alias address quoting q (qlen bytes),
 * with a correct ICMP checksum so that the quote itself is judged. */
static uint32_t icmp_err(uint8_t *f, const uint8_t *q, uint32_t qlen)
{
	uint8_t hdr[8] = { 3, 3, 0, 0, 0, 0, 0, 0 };

	return tu_frame(f, "203.0.113.178", "203.0.113.1", 1, hdr, 8, q, qlen);
}

/* The IP + 8 bytes of the masqueraded UDP flow as the remote saw it. */
static uint32_t good_quote(uint8_t *q)
{
	uint8_t fr[128];
	uint32_t n = tu_udp(fr, "203.0.113.1", 61000, "203.0.113.178", 53,
			    "q");

	memcpy(q, fr + 14, n - 14);
	return n - 14;
}

static void test_icmp_garbage(void **state)
{
	struct hard *h = *state;
	uint8_t f[512], q[256], g[256];
	uint32_t n, qn, i;

	for (i = 0; i < sizeof(g); i++)
		g[i] = (uint8_t)(i * 37 + 11);
	for (i = 0; i <= 40; i += 4) {		/* garbage of each size */
		n = icmp_err(f, g, i);
		expect_dropped(h, WAN, f, n, "icmp garbage");
	}
	qn = good_quote(q);
	/* every cut of a good quote short of its ports: no flow to find */
	for (i = 0; i < 24; i++) {
		n = icmp_err(f, q, i);
		expect_dropped(h, WAN, f, n, "icmp short quote");
	}
	for (; i < qn; i++) {	/* with the ports: may go to the lan, intact */
		unsigned ntx = h->ntx;

		n = icmp_err(f, q, i);
		feed(h, WAN, f, n);
		if (h->ntx != ntx)
			assert_true(tu_csums_ok(h->last, h->last_len));
	}
	memcpy(g, q, qn);			/* a quoted IHL past the quote */
	g[0] = 0x4f;
	n = icmp_err(f, g, qn);
	expect_dropped(h, WAN, f, n, "icmp quoted ihl");
	memcpy(g, q, qn);			/* another flow's port */
	put16(g + 20, 61999);
	n = icmp_err(f, g, qn);
	expect_dropped(h, WAN, f, n, "icmp unknown flow");
	memcpy(g, q, qn);			/* quoting a later fragment */
	put16(g + 6, 0x0010);
	n = icmp_err(f, g, qn);
	expect_dropped(h, WAN, f, n, "icmp quoted fragment");
	n = icmp_err(f, q, qn);			/* the good one, bad checksum */
	f[14 + 20 + 2] ^= 1;
	expect_dropped(h, WAN, f, n, "icmp checksum");
	assert_true(eng_stats(h->e)->bad[PKT_E_ICMPCSUM] > 0);
	/* an error quoting an error, from the lan side */
	n = icmp_err(f, q, qn);
	memcpy(g, f + 14, n - 14);
	n = tu_frame(f, "192.168.1.3", "203.0.113.178", 1,
		     (const uint8_t[]){ 3, 3, 0, 0, 0, 0, 0, 0 }, 8, g, 48);
	expect_dropped(h, LAN, f, n, "icmp error about an icmp error");
}

/*
 * An inside host's ICMP error about a reply of the masqueraded UDP flow
 * (203.0.113.178:53 -> 192.168.1.3:1025), cut at every length: short of
 * the ports it names no flow and is dropped; with them it may go out,
 * translated, with every checksum right.
 */
static void test_icmp_from_inside(void **state)
{
	static const uint8_t hdr[8] = { 3, 3, 0, 0, 0, 0, 0, 0 };
	struct hard *h = *state;
	uint8_t f[512], q[128];
	uint32_t n, qn, i;

	n = tu_udp(f, "203.0.113.178", 53, "192.168.1.3", 1025, "r");
	qn = n - 14;
	memcpy(q, f + 14, qn);
	for (i = 0; i <= qn; i++) {
		unsigned ntx = h->ntx;

		n = tu_frame(f, "192.168.1.3", "203.0.113.178", 1, hdr, 8, q, i);
		if (i < 24) {
			expect_dropped(h, LAN, f, n, "inside icmp short quote");
			continue;
		}
		feed(h, LAN, f, n);
		if (i == qn)			/* the whole quote: translated */
			assert_int_equal(h->ntx, ntx + 1);
		if (h->ntx != ntx) {
			assert_int_equal(h->last_if, WAN);
			assert_true(tu_csums_ok(h->last, h->last_len));
		}
	}
}

/*
 * A UDP datagram in fragments whose second one overlaps the first
 * (offset 8 bytes into its 40), in both directions; then a fragment
 * reaching past 65535 and a first fragment too short for the UDP header.
 * Whether the engine reassembles or not, none of it may come out whole,
 * and the drops are counted (a held fragment counts once the overlap
 * kills its queue).
 */
static void frag_dir(struct hard *h, unsigned ifidx, const char *src,
		     uint16_t sp, const char *dst, uint16_t dp)
{
	static const char *pay = "0123456789abcdef0123456789abcdef";
	uint64_t before = drops(eng_stats(h->e));
	unsigned ntx = h->ntx;
	uint8_t f[256];
	uint32_t n;

	n = tu_udp(f, src, sp, dst, dp, pay);
	put16(f + 14 + 6, 0x2000);		/* MF, offset 0 */
	fix_ip_csum(f);
	feed(h, ifidx, f, n);
	put16(f + 14 + 6, 0x0001);		/* last, offset 8: overlaps */
	fix_ip_csum(f);
	feed(h, ifidx, f, n);
	assert_int_equal(h->ntx, ntx);
	assert_true(drops(eng_stats(h->e)) > before);
	put16(f + 14 + 6, 0x2000 | 0x1fff);	/* offset 65528 + 40 bytes */
	fix_ip_csum(f);
	expect_dropped(h, ifidx, f, n, "fragment past 64k");
	n = tu_udp(f, src, sp, dst, dp, "");
	put16(f + 14 + 2, 24);			/* 4 bytes of UDP header */
	put16(f + 14 + 6, 0x2000);
	fix_ip_csum(f);
	expect_dropped(h, ifidx, f, 14 + 24, "tiny fragment");
	assert_int_equal(h->ntx, ntx);
}

static void test_fragments(void **state)
{
	struct hard *h = *state;

	frag_dir(h, LAN, "192.168.1.3", 1025, "203.0.113.178", 53);
	frag_dir(h, WAN, "203.0.113.178", 53, "203.0.113.1", 61000);
}

/* Non-IP, runt and giant frames on both interfaces. */
static void test_odd_frames(void **state)
{
	struct hard *h = *state;
	uint8_t f[2048];
	uint32_t n;

	memset(f, 0xff, sizeof(f));
	expect_dropped(h, LAN, f, 14, "broadcast, ethertype ffff");
	n = tu_udp(f, "192.168.1.3", 1025, "203.0.113.178", 53, "x");
	put16(f + 12, 0x86dd);
	expect_dropped(h, WAN, f, n, "ipv6 ethertype");
	n = tu_udp(f, "192.168.1.3", 1025, "203.0.113.178", 53, "x");
	memset(f + n, 0, sizeof(f) - n);	/* padding: passed on */
	feed(h, LAN, f, sizeof(f));
	assert_int_equal(h->last_len, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_lengths, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_checksums, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_helper_keeps_bad_checksum,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_icmp_garbage, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_icmp_from_inside, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_fragments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_odd_frames, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
