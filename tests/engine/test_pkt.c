// SPDX-License-Identifier: GPL-2.0-or-later
/* Packet parsing and checksum rewrites (engine/pkt*.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "tutil.h"

static uint32_t rnd(void)
{
	static uint32_t x = 2463534242u;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return x;
}

/* Every truncation of a valid frame parses without reading past it. */
static void test_truncated(void **state)
{
	uint8_t full[128];
	uint32_t n = tu_tcp(full, "192.168.1.3", 1, "203.0.113.9", 2, 0x02,
			    1, 0, "data"), len;

	(void)state;
	for (len = 0; len <= n; len++) {
		/* an exact-size heap copy: ASan catches any overread */
		uint8_t *b = malloc(len ? len : 1);
		struct pkt p = { .buf = b, .len = len, .cap = len };
		enum pkt_err e;

		memcpy(b, full, len);
		e = pkt_parse(&p);
		assert_int_equal(e == PKT_OK, len == n);
		free(b);
	}
}

static void test_bad_headers(void **state)
{
	uint8_t b[128];
	uint32_t n = tu_udp(b, "1.2.3.4", 1, "5.6.7.8", 2, "x");
	struct pkt p = { .buf = b, .len = n, .cap = sizeof(b) };

	(void)state;
	b[14 + 10] ^= 1;			/* IP checksum */
	assert_int_equal(pkt_parse(&p), PKT_E_IPCSUM);
	b[14 + 10] ^= 1;
	b[14] = 0x46;				/* IHL past the data */
	p.len = n;
	assert_int_not_equal(pkt_parse(&p), PKT_OK);
	b[14] = 0x45;
	put16(b + 14 + 20 + 4, 200);		/* UDP length too long */
	p.len = n;
	assert_int_equal(pkt_parse(&p), PKT_E_L4HDR);
}

/* Incremental updates give what a full recomputation gives. */
static void test_rewrite_csums(void **state)
{
	uint8_t b[256];
	unsigned i;

	(void)state;
	for (i = 0; i < 2000; i++) {
		struct pkt p;
		uint32_t n = i & 1 ?
			tu_tcp(b, "192.168.1.3", (uint16_t)rnd(), "203.0.113.9",
			       80, 0x18, rnd(), rnd(), "GET / HTTP/1.0\r\n") :
			tu_udp(b, "192.168.1.3", (uint16_t)rnd(), "203.0.113.9",
			       53, "query!");

		p = (struct pkt){ .buf = b, .len = n, .cap = sizeof(b) };
		assert_int_equal(pkt_parse(&p), PKT_OK);
		pkt_set_saddr(&p, rnd());
		pkt_set_sport(&p, (uint16_t)rnd());
		pkt_set_daddr(&p, rnd());
		pkt_set_dport(&p, (uint16_t)rnd());
		if (p.proto == 6) {
			pkt_tcp_set_seq(&p, rnd());
			pkt_tcp_set_ack(&p, rnd());
		}
		assert_true(pkt_dec_ttl(&p));
		assert_true(tu_csums_ok(b, n));
	}
}

static void test_udp_zero_csum(void **state)
{
	uint8_t b[128];
	uint32_t n = tu_udp(b, "1.2.3.4", 1, "5.6.7.8", 2, "x");
	struct pkt p = { .buf = b, .len = n, .cap = sizeof(b) };

	(void)state;
	put16(b + 14 + 20 + 6, 0);		/* sender sent no checksum */
	assert_int_equal(pkt_parse(&p), PKT_OK);
	pkt_set_saddr(&p, tu_addr("9.9.9.9"));
	pkt_set_sport(&p, 61000);
	assert_int_equal(get16(b + 14 + 20 + 6), 0);
}

/* An ICMP error quoting a UDP datagram: rewrite outer and inner. */
static void test_icmp_error_inner(void **state)
{
	uint8_t inner[128], b[256], icmp[8] = { 3, 3 };
	uint32_t in = tu_udp(inner, "203.0.113.1", 61000, "203.0.113.9", 9999,
			     "probe");
	uint32_t n = tu_frame(b, "203.0.113.9", "203.0.113.1", 1, icmp, 8,
			      inner + 14, in - 14);
	struct pkt p = { .buf = b, .len = n, .cap = sizeof(b) }, q;

	(void)state;
	assert_int_equal(pkt_parse(&p), PKT_OK);
	assert_true(p.icmp_err);
	assert_true(p.in.ports);
	assert_int_equal(p.in.sport, 61000);
	pkt_set_daddr(&p, tu_addr("192.168.1.3"));
	pkt_inner_set_saddr(&p, tu_addr("192.168.1.3"));
	pkt_inner_set_sport(&p, 40000);
	assert_true(pkt_l4_csum_ok(&p));	/* outer ICMP */
	/* the quote is a whole datagram again: parse it on its own */
	memcpy(inner + 14, b + p.in.l3, in - 14);
	q = (struct pkt){ .buf = inner, .len = in, .cap = sizeof(inner) };
	assert_int_equal(pkt_parse(&q), PKT_OK);
	assert_int_equal(q.sport, 40000);
	assert_true(pkt_l4_csum_ok(&q));
	/* a corrupt ICMP error is refused, not rewritten */
	b[14 + 20 + 2] ^= 0x40;
	p.len = n;
	assert_int_equal(pkt_parse(&p), PKT_E_ICMPCSUM);
}

static void test_splice(void **state)
{
	uint8_t b[256];
	uint32_t n = tu_tcp(b, "192.168.1.3", 1, "203.0.113.9", 21, 0x18, 5,
			    6, "PORT 1,2,3,4,5,6\r\n");
	struct pkt p = { .buf = b, .len = n, .cap = sizeof(b) };

	(void)state;
	assert_int_equal(pkt_parse(&p), PKT_OK);
	assert_int_equal(pkt_splice(&p, p.payload + 5, 7,
				    (const uint8_t *)"203,0,113,1", 11, 1500), 0);
	assert_int_equal(pkt_splice(&p, p.payload + 5, 11,
				    (const uint8_t *)"2,0,1,1", 7, 1500), 0);
	assert_int_equal(p.len, n);
	assert_memory_equal(b + p.payload, "PORT 2,0,1,1,5,6\r\n", 18);
	assert_true(tu_csums_ok(b, p.len));
	/* too long for the MTU: refused, untouched */
	assert_int_equal(pkt_splice(&p, p.payload, 1,
				    (const uint8_t *)"xxxxxxxxxx", 10, 50), -1);
}

static void test_build_errors(void **state)
{
	uint8_t b[128], out[1024];
	uint32_t n = tu_tcp(b, "192.168.1.3", 1000, "203.0.113.9", 23, 0x02,
			    77, 0, NULL), m;
	struct pkt p = { .buf = b, .len = n, .cap = sizeof(b) };

	(void)state;
	assert_int_equal(pkt_parse(&p), PKT_OK);
	m = pkt_build_icmp_err(&p, 3, 1, tu_addr("192.168.1.1"), out,
			       sizeof(out));
	assert_int_equal(m, 14 + 20 + 8 + n - 14);
	assert_true(tu_csums_ok(out, m));
	m = pkt_build_tcp_rst(&p, out, sizeof(out));
	assert_int_equal(m, 54);
	assert_true(tu_csums_ok(out, m));
	assert_int_equal(get32(out + 14 + 20 + 8), 78);	/* ack = seq + SYN */
	/* never an error about an ICMP error */
	p.icmp_err = true;
	assert_int_equal(pkt_build_icmp_err(&p, 3, 1, 1, out, sizeof(out)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_rewrite_csums),
		cmocka_unit_test(test_udp_zero_csum),
		cmocka_unit_test(test_icmp_error_inner),
		cmocka_unit_test(test_splice),
		cmocka_unit_test(test_build_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
