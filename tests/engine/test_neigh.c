// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Host mode's neighbours on the injected clock (engine/arp.c): an entry
 * reachable for 15-45 s, then stale (still used, checked on use: a delay,
 * unicast probes, forgotten if silent, a broadcast finds the new MAC);
 * frames that waited for a silent next hop get host unreachable, about
 * what the inside host sent, from the address facing it, rate-limited.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include "eng_int.h"
#include "tutil.h"

#define LAN 0u
#define WAN 1u
#define MAXTX 64

static const uint8_t mac_r1[6] = { 2, 0, 0, 0, 2, 0xb2 };
static const uint8_t mac_r2[6] = { 2, 0, 0, 0, 2, 0xee };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

struct frame {
	unsigned ifidx;
	uint32_t len;
	uint8_t b[2048];
};

struct h {
	struct eng *e;
	unsigned ntx;
	struct frame tx[MAXTX];
	uint64_t now;
};

static void tx(void *ctx, unsigned ifidx, const uint8_t *f, uint32_t len)
{
	struct h *h = ctx;
	struct frame *t = &h->tx[h->ntx % MAXTX];

	h->ntx++;
	t->ifidx = ifidx;
	t->len = len < sizeof(t->b) ? len : sizeof(t->b);
	memcpy(t->b, f, t->len);
}

static struct h *new_h(void)
{
	struct h *h = calloc(1, sizeof(*h));
	struct eng_config cfg = { .seed = 1, .tx = tx, .host = true };

	cfg.tx_ctx = h;
	tu_ifs(&cfg);
	cfg.ifs[LAN].mac[5] = 1;
	cfg.ifs[WAN].mac[5] = 2;
	h->e = eng_new(&cfg);
	assert_non_null(h->e);
	assert_int_equal(tu_load(h->e, "ipchains -P forward DENY\n"
		"ipchains -A forward -s 192.168.1.0/24 -j MASQ\n", NULL, 0), 0);
	h->now = 1000;
	return h;
}

static void free_h(struct h *h)
{
	eng_free(h->e);
	free(h);
}

static const struct frame *last(const struct h *h)
{
	return &h->tx[(h->ntx - 1) % MAXTX];
}

static void feed(struct h *h, unsigned ifidx, uint8_t *f, uint32_t len)
{
	eng_input(h->e, ifidx, f, len, 2048, h->now);
}

/* The clock moves on in the live loop's 100 ms ticks. */
static void run_to(struct h *h, uint64_t t)
{
	while (h->now < t) {
		h->now += 100;
		eng_tick(h->e, h->now);
	}
}

/* An ARP frame from sender (mac, ip) about target ip. */
static void arp_from(struct h *h, unsigned ifidx, uint16_t op,
		     const uint8_t mac[6], const char *sip, const char *tip)
{
	uint8_t f[60] = { 0 }, *a = f + 14;
	uint32_t s = tu_addr(sip), t = tu_addr(tip);

	memcpy(f, bcast, 6);
	memcpy(f + 6, mac, 6);
	put16(f + 12, 0x0806);
	put16(a, 1);
	put16(a + 2, 0x0800);
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, op);
	memcpy(a + 8, mac, 6);
	memcpy(a + 14, &s, 4);
	memcpy(a + 24, &t, 4);
	feed(h, ifidx, f, sizeof(f));
}

/* A datagram from the lan host through the engine. */
static void udp_out(struct h *h, const char *dst)
{
	uint8_t f[128];
	uint32_t n = tu_udp(f, "192.168.1.3", 1025, dst, 53, "q");

	memcpy(f, h->e->cfg.ifs[LAN].mac, 6);
	feed(h, LAN, f, n);
}

static bool is_arp_req(const struct frame *f, const uint8_t *dst)
{
	return f->ifidx == WAN && get16(f->b + 12) == 0x0806 &&
	       get16(f->b + 20) == 1 && !memcmp(f->b, dst, 6);
}

static void test_stale_and_new_mac(void **state)
{
	struct h *h = new_h();
	unsigned n;

	(void)state;
	arp_from(h, WAN, 2, mac_r1, "203.0.113.178", "203.0.113.1");
	udp_out(h, "203.0.113.178");
	assert_int_equal(last(h)->ifidx, WAN);
	assert_memory_equal(last(h)->b, mac_r1, 6);
	/* reachable for at most 45 s; then stale, and still used */
	run_to(h, 1000 + 45000);
	n = h->ntx;
	udp_out(h, "203.0.113.178");
	assert_int_equal(h->ntx, n + 1);
	assert_memory_equal(last(h)->b, mac_r1, 6);
	/* 5 s later the first probe, unicast to the MAC it knows */
	run_to(h, h->now + 4900);
	assert_int_equal(h->ntx, n + 1);
	run_to(h, h->now + 200);
	assert_true(is_arp_req(last(h), mac_r1));
	/* three probes a second apart, unanswered: forgotten */
	run_to(h, h->now + 3000);
	assert_int_equal(h->ntx, n + 4);
	n = h->ntx;
	udp_out(h, "203.0.113.178");
	assert_int_equal(h->ntx, n + 1);
	assert_true(is_arp_req(last(h), bcast));
	/* the new MAC answers: the waiting frame goes there */
	arp_from(h, WAN, 2, mac_r2, "203.0.113.178", "203.0.113.1");
	assert_int_equal(last(h)->ifidx, WAN);
	assert_memory_equal(last(h)->b, mac_r2, 6);
	assert_int_equal(get16(last(h)->b + 12), 0x0800);
	free_h(h);
}

/* A stale entry nobody uses is collected; an answer in time keeps it. */
static void test_gc_and_confirm(void **state)
{
	struct h *h = new_h();
	unsigned n;

	(void)state;
	arp_from(h, WAN, 2, mac_r1, "203.0.113.178", "203.0.113.1");
	run_to(h, 1000 + 45000 + 60100);	/* stale, unused for 60 s */
	n = h->ntx;
	udp_out(h, "203.0.113.178");
	assert_true(is_arp_req(last(h), bcast));
	arp_from(h, WAN, 2, mac_r1, "203.0.113.178", "203.0.113.1");
	assert_int_equal(h->ntx, n + 2);
	/* stale and used: a probe answered makes it reachable again */
	run_to(h, h->now + 45100);
	udp_out(h, "203.0.113.178");
	run_to(h, h->now + 5100);
	assert_true(is_arp_req(last(h), mac_r1));
	arp_from(h, WAN, 2, mac_r1, "203.0.113.178", "203.0.113.1");
	n = h->ntx;
	run_to(h, h->now + 10000);
	assert_int_equal(h->ntx, n);		/* no more probes */
	free_h(h);
}

static void test_unreachable(void **state)
{
	struct h *h = new_h();
	struct pkt p = { 0 };
	const struct frame *f;
	const uint8_t *q;

	(void)state;
	udp_out(h, "203.0.113.99");
	assert_true(is_arp_req(last(h), bcast));
	run_to(h, h->now + 2900);
	assert_false(last(h)->ifidx == LAN);
	run_to(h, h->now + 200);
	f = last(h);
	assert_int_equal(f->ifidx, LAN);
	p.buf = (uint8_t *)f->b;
	p.len = p.cap = f->len;
	assert_int_equal(pkt_parse(&p), PKT_OK);
	assert_int_equal(p.proto, PKT_P_ICMP);
	assert_int_equal(p.icmp_type, 3);
	assert_int_equal(p.icmp_code, 1);
	assert_int_equal(p.saddr, tu_addr("192.168.1.1"));
	assert_int_equal(p.daddr, tu_addr("192.168.1.3"));
	/* the quote is what the host sent, before the masquerade */
	q = pkt_l4(&p) + 8;
	assert_memory_equal(q + 12, &(uint32_t){ tu_addr("192.168.1.3") }, 4);
	assert_int_equal(get16(q + 20), 1025);
	assert_true(tu_csums_ok((uint8_t *)f->b, f->len));
	assert_int_equal(eng_stats(h->e)->arp_failed, 1);
	free_h(h);
}

/* Sixteen dead next hops at once: ten errors (the burst), no more. */
static void test_unreachable_limit(void **state)
{
	struct h *h = new_h();
	unsigned i, errs = 0;
	char a[32];

	(void)state;
	for (i = 0; i < ARP_PENDING; i++) {
		snprintf(a, sizeof(a), "203.0.113.%u", 100 + i);
		udp_out(h, a);
	}
	h->ntx = 0;
	run_to(h, h->now + 3000);
	for (i = 0; i < h->ntx && i < MAXTX; i++)
		errs += h->tx[i].ifidx == LAN;
	assert_int_equal(errs, 10);
	free_h(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stale_and_new_mac),
		cmocka_unit_test(test_gc_and_confirm),
		cmocka_unit_test(test_unreachable),
		cmocka_unit_test(test_unreachable_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
