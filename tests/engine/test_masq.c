// SPDX-License-Identifier: GPL-2.0-or-later
/* The masquerade table (engine/masq.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include "masq.h"

#define IN1 0x0301a8c0u		/* 192.168.1.3 in network order (LE host) */
#define AL 0x017100cbu		/* 203.0.113.1 */
#define RM(n) (0x007100cbu | ((uint32_t)(n) << 24))

static struct conn *out_new(struct masq *m, uint8_t proto, uint32_t iaddr,
			    uint16_t iport, uint32_t raddr, uint16_t rport,
			    enum masq_err *err)
{
	struct conn *c = masq_new(m, proto, iaddr, iport, AL, 0, raddr, rport,
				  true, err);

	if (c)
		masq_touch(m, c, proto == 17 ? CS_UDP : CS_SYN_SENT, 0);
	return c;
}

static void test_ports_2_2(void **state)
{
	struct masq_cfg cfg = { .seed = 1 };
	struct masq m;
	enum masq_err err;
	struct conn *a, *b, *c;

	(void)state;
	masq_init(&m, &cfg);
	a = out_new(&m, 6, IN1, 1000, RM(9), 80, &err);
	b = out_new(&m, 6, IN1, 1001, RM(9), 80, &err);
	c = out_new(&m, 17, IN1, 1000, RM(9), 53, &err);
	assert_int_equal(a->aport, 61000);
	assert_int_equal(b->aport, 61001);
	assert_int_equal(c->aport, 61000);	/* a pool per protocol */
	assert_ptr_equal(masq_out_find(&m, 6, IN1, 1001, RM(9), 80), b);
	assert_ptr_equal(masq_in_find(&m, 6, AL, 61001, RM(9), 80), b);
	assert_null(masq_in_find(&m, 6, AL, 61001, RM(9), 81));
	assert_null(masq_in_find(&m, 6, AL, 61001, RM(8), 80));
	masq_destroy(&m);
}

/* More than 4096 flows: ports are reused across remote endpoints. */
static void test_port_reuse(void **state)
{
	struct masq_cfg cfg = { .seed = 7, .max_conns = 20000 };
	struct masq m;
	enum masq_err err;
	struct conn *c;
	unsigned i;

	(void)state;
	masq_init(&m, &cfg);
	for (i = 0; i < 4096; i++)
		assert_non_null(out_new(&m, 6, IN1, (uint16_t)(1024 + i), RM(1),
					80, &err));
	/* the range is used up for this remote endpoint ... */
	assert_null(out_new(&m, 6, IN1, 9999, RM(1), 80, &err));
	assert_int_equal(err, MASQ_E_PORTS);
	/* ... but not for another one */
	for (i = 0; i < 4096; i++) {
		c = out_new(&m, 6, IN1, (uint16_t)(1024 + i), RM(2), 80, &err);
		assert_non_null(c);
	}
	assert_int_equal(m.count, 8192);
	assert_non_null(out_new(&m, 6, IN1, 1024, RM(1), 443, &err));
	masq_destroy(&m);
}

static void test_limits(void **state)
{
	struct masq_cfg cfg = { .seed = 3, .max_conns = 10,
				.max_per_host = 4 };
	struct masq m;
	enum masq_err err;
	struct conn *first;
	unsigned i;

	(void)state;
	masq_init(&m, &cfg);
	first = out_new(&m, 17, IN1, 1, RM(1), 53, &err);
	for (i = 2; i <= 4; i++)
		assert_non_null(out_new(&m, 17, IN1, (uint16_t)i, RM(1), 53,
					&err));
	assert_null(out_new(&m, 17, IN1, 5, RM(1), 53, &err));
	assert_int_equal(err, MASQ_E_HOST);
	for (i = 0; i < 6; i++)
		assert_non_null(out_new(&m, 17, IN1 + (i + 1), 1, RM(1), 53,
					&err));
	assert_null(out_new(&m, 17, IN1 + 100, 1, RM(1), 53, &err));
	assert_int_equal(err, MASQ_E_FULL);
	/* the old entries are untouched */
	assert_ptr_equal(masq_out_find(&m, 17, IN1, 1, RM(1), 53), first);
	/* a host that drops an entry may open one again */
	masq_del(&m, first);
	assert_non_null(out_new(&m, 17, IN1, 6, RM(1), 53, &err));
	masq_destroy(&m);
}

static void test_expiry(void **state)
{
	struct masq_cfg cfg = { .seed = 5 };
	struct masq m;
	enum masq_err err;
	struct conn *u, *t;

	(void)state;
	masq_init(&m, &cfg);
	u = out_new(&m, 17, IN1, 1, RM(1), 53, &err);
	t = out_new(&m, 6, IN1, 1, RM(1), 80, &err);
	masq_touch(&m, t, CS_ESTABLISHED, 0);
	assert_int_equal(masq_expire(&m, 300 * MASQ_HZ - 1), 0);
	assert_int_equal(masq_expire(&m, 300 * MASQ_HZ), 1);	/* UDP 5 min */
	assert_null(masq_out_find(&m, 17, IN1, 1, RM(1), 53));
	(void)u;
	/* use refreshes; ESTABLISHED is 15 min from the last use */
	masq_touch(&m, t, CS_ESTABLISHED, 600 * MASQ_HZ);
	assert_int_equal(masq_expire(&m, 1499 * MASQ_HZ), 0);
	/* -M -S: shorter ESTABLISHED applies to the entries there too */
	masq_set_timeout(&m, CS_ESTABLISHED, 60 * MASQ_HZ);
	assert_int_equal(masq_expire(&m, 660 * MASQ_HZ), 1);
	assert_int_equal(m.count, 0);
	/* RST: CLOSE, 10 s */
	t = out_new(&m, 6, IN1, 2, RM(1), 80, &err);
	masq_touch(&m, t, masq_tcp_state(t, 0x04, false), 1000 * MASQ_HZ);
	assert_int_equal(masq_expire(&m, 1010 * MASQ_HZ), 1);
	masq_destroy(&m);
}

static void test_expected(void **state)
{
	struct masq_cfg cfg = { .seed = 9 };
	struct masq m;
	enum masq_err err;
	struct conn *d, *hit;

	(void)state;
	masq_init(&m, &cfg);
	d = masq_new(&m, 6, IN1, 1030, AL, 0, RM(1), 0, false, &err);
	masq_touch(&m, d, CS_LISTEN, 0);
	assert_null(masq_out_find(&m, 6, IN1, 1030, RM(1), 20));
	assert_null(masq_in_exact(&m, 6, AL, d->aport, RM(1), 20));
	assert_null(masq_in_find(&m, 6, AL, d->aport, RM(2), 20));
	hit = masq_in_find(&m, 6, AL, d->aport, RM(1), 20);
	assert_ptr_equal(hit, d);
	assert_int_equal(d->rport, 20);
	assert_ptr_equal(masq_out_find(&m, 6, IN1, 1030, RM(1), 20), d);
	assert_ptr_equal(masq_in_exact(&m, 6, AL, d->aport, RM(1), 20), d);
	masq_destroy(&m);
}

static void test_seqadj(void **state)
{
	struct conn_seqadj s = { 0 };

	(void)state;
	conn_seqadj_add(&s, 100, 3, 61001);
	conn_seqadj_add(&s, 100, 3, 61001);	/* retransmission */
	assert_int_equal(conn_seqadj_seq(&s, 100), 0);
	assert_int_equal(conn_seqadj_seq(&s, 122), 3);
	conn_seqadj_add(&s, 130, 3, 61002);
	conn_seqadj_add(&s, 160, -2, 61003);
	conn_seqadj_add(&s, 170, 1, 61004);	/* pushes out the first */
	assert_int_equal(conn_seqadj_seq(&s, 150), 6);
	assert_int_equal(conn_seqadj_seq(&s, 165), 4);
	assert_int_equal(conn_seqadj_seq(&s, 175), 5);
	assert_int_equal(conn_seqadj_find(&s, 160)->port, 61003);
	assert_null(conn_seqadj_find(&s, 100));
	/* acks: the peer saw the new lengths */
	assert_int_equal(conn_seqadj_ack(&s, 130 + 3), 3);
	assert_int_equal(conn_seqadj_ack(&s, 140 + 6), 6);
}

static void test_memory(void **state)
{
	struct masq_cfg cfg = { .max_conns = 1u << 20 };
	struct masq m;
	size_t per;

	(void)state;
	masq_init(&m, &cfg);
	per = masq_bytes_per_entry(&m);
	printf("# struct conn %zu bytes, %zu bytes per entry with buckets\n",
	       sizeof(struct conn), per);
	assert_true(per <= 128);
	masq_destroy(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ports_2_2),
		cmocka_unit_test(test_port_reuse),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_expected),
		cmocka_unit_test(test_seqadj),
		cmocka_unit_test(test_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
