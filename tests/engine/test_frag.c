// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fragments: reassembly in and out of order, duplicates, overlaps, the
 * limits (per source, memory, queues) and the timer, impossible fields,
 * truncated and random frames through the engine (exact-size heap
 * copies, so ASan sees any overread), splitting to an MTU with options,
 * and DF datagrams over the MTU.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include "engine.h"
#include "frag.h"
#include "tutil.h"

#define BIG 4000

/* A UDP datagram of plen payload bytes (pattern i * 7) into buf. */
static uint32_t datagram(uint8_t *buf, uint16_t id, uint32_t plen)
{
	static uint8_t data[BIG];
	uint32_t i, n;

	for (i = 0; i < plen; i++)
		data[i] = (uint8_t)(i * 7);
	n = tu_frame(buf, "192.168.1.3", "203.0.113.178", 17,
		     (const uint8_t[8]){ 0x13, 0x88, 0, 53 }, 8, data, plen);
	put16(buf + 14 + 4, id);
	put16(buf + 14 + 10, 0);
	put16(buf + 14 + 10, csum_finish(csum_add(0, buf + 14, 20)));
	return n;
}

/* Fragment [off, off + len) of the datagram in whole (20-byte header). */
static uint32_t piece(uint8_t *out, const uint8_t *whole, uint32_t off,
		      uint32_t len, bool more)
{
	uint8_t *ip = out + 14;

	memcpy(out, whole, 14 + 20);
	memcpy(ip + 20, whole + 14 + 20 + off, len);
	put16(ip + 2, (uint16_t)(20 + len));
	put16(ip + 6, (uint16_t)((more ? 0x2000 : 0) | off / 8));
	put16(ip + 10, 0);
	put16(ip + 10, csum_finish(csum_add(0, ip, 20)));
	return 14 + 20 + len;
}

static enum frag_res feed(struct frag_table *t, const uint8_t *whole,
			  uint32_t off, uint32_t len, bool more, uint64_t now,
			  uint8_t *out, uint32_t *outlen)
{
	uint8_t f[BIG];
	uint32_t n = piece(f, whole, off, len, more);

	return frag_input(t, f, n, 0, now, out, BIG + 100, outlen);
}

static void test_reassembly(void **state)
{
	static uint8_t whole[BIG], out[BIG + 100];
	struct frag_table t;
	uint32_t n = datagram(whole, 1, 2000), olen = 0;

	(void)state;
	frag_init(&t, NULL);
	/* out of order, with a duplicate in the middle */
	assert_int_equal(feed(&t, whole, 1600, 408, false, 0, out, &olen),
			 FRAG_HELD);
	assert_int_equal(feed(&t, whole, 0, 800, true, 1, out, &olen),
			 FRAG_HELD);
	assert_int_equal(feed(&t, whole, 0, 800, true, 2, out, &olen),
			 FRAG_DUP);
	assert_int_equal(frag_pending(&t), 1);
	assert_int_equal(feed(&t, whole, 800, 800, true, 3, out, &olen),
			 FRAG_DONE);
	assert_int_equal(olen, n);
	assert_memory_equal(out, whole, n);
	assert_true(tu_csums_ok(out, olen));
	assert_int_equal(frag_pending(&t), 0);
	assert_int_equal(t.bytes, 0);
	frag_destroy(&t);
}

static void test_overlap_and_bad(void **state)
{
	static uint8_t whole[BIG], out[BIG + 100];
	struct frag_table t;
	uint32_t olen = 0;

	(void)state;
	datagram(whole, 2, 2000);
	frag_init(&t, NULL);
	assert_int_equal(feed(&t, whole, 0, 800, true, 0, out, &olen),
			 FRAG_HELD);
	/* 400..1200 overlaps 0..800: the datagram is dropped */
	assert_int_equal(feed(&t, whole, 400, 800, true, 0, out, &olen),
			 FRAG_OVERLAP);
	assert_int_equal(frag_pending(&t), 0);
	/* what remains starts a new datagram that never completes */
	assert_int_equal(feed(&t, whole, 800, 1208, false, 0, out, &olen),
			 FRAG_HELD);
	/* impossible: a middle fragment not a multiple of 8 */
	assert_int_equal(feed(&t, whole, 0, 801, true, 0, out, &olen),
			 FRAG_BAD);
	/* data beyond the end the last fragment set */
	assert_int_equal(feed(&t, whole, 2008, 8, true, 0, out, &olen),
			 FRAG_BAD);
	assert_int_equal(frag_pending(&t), 0);
	/* a second last fragment with another end */
	assert_int_equal(feed(&t, whole, 800, 1208, false, 0, out, &olen),
			 FRAG_HELD);
	assert_int_equal(feed(&t, whole, 800, 1000, false, 0, out, &olen),
			 FRAG_BAD);
	frag_destroy(&t);
}

static void test_limits_timer(void **state)
{
	static uint8_t whole[BIG], out[BIG + 100];
	struct frag_cfg cfg = { .max_bytes = 5 * 1024 };
	struct frag_table t;
	uint32_t olen = 0;
	uint16_t id;

	(void)state;
	frag_init(&t, NULL);
	for (id = 0; id < 16; id++) {
		datagram(whole, id, 2000);
		assert_int_equal(feed(&t, whole, 0, 800, true, id, out, &olen),
				 FRAG_HELD);
	}
	datagram(whole, 16, 2000);
	assert_int_equal(feed(&t, whole, 0, 800, true, 16, out, &olen),
			 FRAG_LIMIT);		/* the source's share */
	assert_int_equal(frag_pending(&t), 16);
	assert_int_equal(frag_expire(&t, 29999, NULL, NULL), 0);
	/* ids 0..5 */
	assert_int_equal(frag_expire(&t, 30005, NULL, NULL), 6);
	assert_int_equal(frag_expire(&t, 40000, NULL, NULL), 10);
	assert_int_equal(t.bytes, 0);
	frag_destroy(&t);

	frag_init(&t, &cfg);			/* memory: 5 KiB */
	datagram(whole, 1, 3000);
	assert_int_equal(feed(&t, whole, 0, 2000, true, 0, out, &olen),
			 FRAG_HELD);
	datagram(whole, 2, 3000);
	assert_int_equal(feed(&t, whole, 1000, 2008, false, 0, out, &olen),
			 FRAG_LIMIT);
	assert_int_equal(frag_pending(&t), 1);
	frag_destroy(&t);
}

/* ---- through the engine ---- */

struct tx_log {
	unsigned n;
	uint32_t len[16];
	uint8_t frame[16][1600];
};

static void tx(void *ctx, unsigned ifidx, const uint8_t *f, uint32_t len)
{
	struct tx_log *t = ctx;

	(void)ifidx;
	if (t->n < 16 && len <= 1600) {
		memcpy(t->frame[t->n], f, len);
		t->len[t->n++] = len;
	}
}

static struct eng *new_eng(struct tx_log *t)
{
	struct eng_config cfg = { .seed = 1, .tx = tx, .tx_ctx = t };
	static const uint8_t rmac[6] = { 2, 0, 0, 0, 2, 0xb2 };
	struct eng *e;

	tu_ifs(&cfg);
	cfg.ifs[1].mtu = 576;
	e = eng_new(&cfg);
	eng_neigh_add(e, 1, tu_addr("203.0.113.178"), rmac);
	eng_neigh_add(e, 0, tu_addr("192.168.1.3"), rmac);
	assert_int_equal(tu_load(e, "ipchains -A forward -s 192.168.1.0/24 "
				 "-j MASQ\n", NULL, 0), 0);
	return e;
}

/* Each frame in an exact-size heap copy: ASan sees any overread. */
static void input_copy(struct eng *e, const uint8_t *f, uint32_t len,
		       uint64_t now)
{
	uint8_t *b = malloc(len ? len : 1);

	memcpy(b, f, len);
	eng_input(e, 0, b, len, len, now);
	free(b);
}

/* Reassembled, masqueraded, split to 576; DF gets frag-needed. */
static void test_engine_split(void **state)
{
	static uint8_t whole[BIG], f[BIG], back[BIG + 100];
	struct frag_table t;
	struct tx_log tl = { 0 };
	struct eng *e = new_eng(&tl);
	uint32_t n, olen = 0, i;
	enum frag_res r = FRAG_HELD;

	(void)state;
	datagram(whole, 5, 1200);
	n = piece(f, whole, 0, 1000, true);
	input_copy(e, f, n, 1000);
	n = piece(f, whole, 1000, 208, false);
	input_copy(e, f, n, 1001);
	assert_int_equal(eng_stats(e)->frag_reasm, 1);
	assert_int_equal(tl.n, 3);		/* 556 + 552 + 100 bytes */
	frag_init(&t, NULL);
	for (i = 0; i < tl.n; i++) {
		assert_true(tl.len[i] - 14 <= 576);
		r = frag_input(&t, tl.frame[i], tl.len[i], 0, 0, back,
			       sizeof(back), &olen);
	}
	assert_int_equal(r, FRAG_DONE);
	assert_int_equal(olen, 14 + 20 + 1208);
	assert_true(tu_csums_ok(back, olen));
	assert_int_equal(get16(back + 14 + 20), 61000);	/* masqueraded */
	assert_memory_equal(back + 14 + 28, whole + 14 + 28, 1200);
	frag_destroy(&t);

	/* DF and too big: frag-needed back with eth1's MTU */
	n = datagram(whole, 6, 1200);
	put16(whole + 14 + 6, 0x4000);
	put16(whole + 14 + 10, 0);
	put16(whole + 14 + 10, csum_finish(csum_add(0, whole + 14, 20)));
	input_copy(e, whole, n, 1002);
	assert_int_equal(tl.n, 4);
	assert_int_equal(tl.frame[3][14 + 20], 3);
	assert_int_equal(tl.frame[3][14 + 21], 4);
	assert_int_equal(get16(tl.frame[3] + 14 + 26), 576);
	assert_int_equal(eng_stats(e)->too_big, 1);

	/* a first fragment alone: after 30 s, time-exceeded (reassembly) */
	datagram(whole, 7, 1200);
	n = piece(f, whole, 0, 1000, true);
	input_copy(e, f, n, 2000);
	eng_tick(e, 31999);
	assert_int_equal(tl.n, 4);
	eng_tick(e, 32000);
	assert_int_equal(tl.n, 5);
	assert_int_equal(tl.frame[4][14 + 20], 11);
	assert_int_equal(tl.frame[4][14 + 21], 1);
	assert_int_equal(get32n(tl.frame[4] + 14 + 16),
			 tu_addr("192.168.1.3"));
	assert_int_equal(get16(tl.frame[4] + 14 + 28 + 4), 7);	/* its id */
	assert_int_equal(tl.len[4], 14 + 20 + 8 + 20 + 8);
	assert_int_equal(eng_stats(e)->frag_timeout, 1);
	eng_free(e);
}

/* Every truncation of a fragment and random fragment headers. */
static void test_garbage(void **state)
{
	static uint8_t whole[BIG], f[BIG];
	struct tx_log tl = { 0 };
	struct eng *e = new_eng(&tl);
	uint32_t n, cut, i, tot, hl;
	uint8_t *ip = f + 14;

	(void)state;
	datagram(whole, 9, 600);
	n = piece(f, whole, 0, 304, true);
	for (cut = 0; cut <= n; cut++)
		input_copy(e, f, cut, 2000);
	srand(7);
	for (i = 0; i < 20000; i++) {
		hl = 20 + 4 * (uint32_t)(rand() % 3);
		n = 14 + hl + (uint32_t)(rand() % 600);
		memcpy(f, whole, 14);
		for (cut = 14; cut < n; cut++)
			f[cut] = (uint8_t)rand();
		tot = hl + (uint32_t)rand() % (n - 14 - hl + 1);
		ip[0] = (uint8_t)(0x40 | hl / 4);
		put16(ip + 2, (uint16_t)tot);
		ip[9] = (uint8_t)(rand() % 2 ? 17 : rand());
		put32n(ip + 12, tu_addr(rand() % 2 ? "192.168.1.3" :
					"192.168.1.4"));
		put16(ip + 6, (uint16_t)((rand() % 2 ? 0x2000 : 0) |
					 (rand() % 4 ? rand() % 8 :
					  rand() & 0x1fff)));
		put16(ip + 10, 0);
		put16(ip + 10, csum_finish(csum_add(0, ip, hl)));
		input_copy(e, f, n, 2000 + i);
	}
	assert_true(eng_stats(e)->frag_in > 1000);
	assert_true(eng_stats(e)->frag_limit + eng_stats(e)->frag_overlap +
		    eng_stats(e)->frag_bad > 0);
	eng_tick(e, 2000 + 20000 + 31000);
	assert_true(eng_stats(e)->frag_timeout > 0);
	eng_free(e);
}

struct split_log {
	unsigned n;
	uint8_t frame[8][600];
	uint32_t len[8];
};

static void keep(void *ctx, uint8_t *f, uint32_t len)
{
	struct split_log *s = ctx;

	assert_true(s->n < 8 && len <= 600);
	memcpy(s->frame[s->n], f, len);
	s->len[s->n++] = len;
}

/* Options: all in the first fragment, the copied ones in the others. */
static void test_split_options(void **state)
{
	static uint8_t whole[BIG], f[BIG], buf[600], back[BIG + 100];
	struct split_log s = { 0 };
	struct frag_table t;
	uint32_t n = datagram(whole, 3, 1000), olen = 0;
	enum frag_res r = FRAG_HELD;
	uint8_t *ip = f + 14;
	unsigned i;

	(void)state;
	/* header with 8 option bytes: a copied one (0x94 router alert, 4)
	 * and a non-copied one (0x07 record route, 3 + pad) */
	memcpy(f, whole, 34);
	memcpy(f + 42, whole + 34, n - 34);
	ip[0] = 0x47;
	memcpy(ip + 20, (const uint8_t[]){ 0x94, 4, 0, 0, 7, 3, 4, 0 }, 8);
	put16(ip + 2, (uint16_t)(n - 14 + 8));
	put16(ip + 10, 0);
	put16(ip + 10, csum_finish(csum_add(0, ip, 28)));
	assert_int_equal(frag_split(f, n + 8, 400, buf, sizeof(buf), keep, &s),
			 3);
	assert_int_equal(s.frame[0][14] & 15, 7);	/* all options */
	assert_int_equal(s.frame[1][14] & 15, 6);	/* router alert */
	assert_int_equal(s.frame[1][14 + 20], 0x94);
	frag_init(&t, NULL);
	for (i = 0; i < s.n; i++) {
		assert_true(s.len[i] - 14 <= 400);
		assert_int_equal(csum_finish(csum_add(0, s.frame[i] + 14,
			(s.frame[i][14] & 15) * 4u)), 0);
		r = frag_input(&t, s.frame[i], s.len[i], 0, 0, back,
			       sizeof(back), &olen);
	}
	assert_int_equal(r, FRAG_DONE);
	assert_int_equal(olen, n + 8);
	assert_memory_equal(back + 14 + 28, whole + 14 + 20, n - 34);
	assert_int_equal(frag_split(f, n + 8, 30, buf, sizeof(buf), keep, &s),
			 -1);
	frag_destroy(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reassembly),
		cmocka_unit_test(test_overlap_and_bad),
		cmocka_unit_test(test_limits_timer),
		cmocka_unit_test(test_engine_split),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_split_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
