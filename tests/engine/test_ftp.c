// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The FTP helper with a server inside (227 / 229 replies rewritten) and
 * the parser's edge cases; the client-inside path (PORT / EPRT, seq
 * deltas, retransmissions) is in the offline golden test "ftp".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include "eng_int.h"
#include "tutil.h"

struct tx_last {
	unsigned n;
	uint8_t frame[512];
	uint32_t len;
};

static void tx(void *ctx, unsigned ifidx, const uint8_t *f, uint32_t len)
{
	struct tx_last *t = ctx;

	(void)ifidx;
	t->n++;
	t->len = len < sizeof(t->frame) ? len : sizeof(t->frame);
	memcpy(t->frame, f, t->len);
}

static struct eng *setup(struct tx_last *t)
{
	struct eng_config cfg = { .seed = 1, .tx = tx, .tx_ctx = t };
	static const uint8_t mac[6] = { 2, 0, 0, 0, 2, 0xb2 };
	struct eng *e;

	tu_ifs(&cfg);
	e = eng_new(&cfg);
	eng_neigh_add(e, 1, tu_addr("203.0.113.178"), mac);
	assert_int_equal(tu_load(e, "modprobe ip_masq_ftp\n"
		"ipchains -A forward -s 192.168.1.0/24 -j MASQ\n", NULL, 0), 0);
	return e;
}

/* A port-forwarded control connection: server 192.168.1.3:21 inside. */
static struct conn *inbound_ctl(struct eng *e)
{
	enum masq_err err;
	struct conn *c = masq_new(&e->masq, 6, tu_addr("192.168.1.3"), 21,
				  tu_addr("203.0.113.1"), 21,
				  tu_addr("203.0.113.178"), 5555, true, &err);

	assert_non_null(c);
	c->flags |= CONN_F_INBOUND;
	c->helper = 1;
	masq_touch(&e->masq, c, CS_ESTABLISHED, 0);
	return c;
}

static const char *payload(const struct tx_last *t)
{
	static char s[256];
	unsigned off = 14 + 20 + 20;

	snprintf(s, sizeof(s), "%.*s", (int)(t->len - off), t->frame + off);
	return s;
}

static void reply(struct eng *e, uint32_t seq, const char *text)
{
	uint8_t b[512];
	uint32_t n = tu_tcp(b, "192.168.1.3", 21, "203.0.113.178", 5555, 0x18,
			    seq, 1, text);

	eng_input(e, 0, b, n, sizeof(b), 1000);
}

static void test_pasv_inside(void **state)
{
	struct tx_last t = { 0 };
	struct eng *e = setup(&t);
	struct conn *d;

	(void)state;
	inbound_ctl(e);
	reply(e, 10, "227 Entering Passive Mode (192,168,1,3,19,137)\r\n");
	assert_int_equal(t.n, 1);
	assert_string_equal(payload(&t),
		"227 Entering Passive Mode (203,0,113,1,238,72)\r\n");
	assert_true(tu_csums_ok(t.frame, t.len));
	/* the client's data connection finds the server's port 5001 */
	d = masq_in_find(&e->masq, 6, tu_addr("203.0.113.1"), 61000,
			 tu_addr("203.0.113.178"), 40000);
	assert_non_null(d);
	assert_int_equal(d->iport, 19 * 256 + 137);
	/* 229 names no address: only the port changes (4 -> 5 digits) */
	reply(e, 58, "229 Entering Extended Passive Mode (|||5002|)\r\n");
	assert_string_equal(payload(&t),
		"229 Entering Extended Passive Mode (|||61001|)\r\n");
	/* the next segment is one byte further on */
	reply(e, 105, "226 done\r\n");
	assert_int_equal(get32(t.frame + 14 + 20 + 4), 106);
	eng_free(e);
}

static void test_refused(void **state)
{
	static const char *const bad[] = {
		"227 Entering Passive Mode (10,0,0,9,19,137)\r\n",
		"227 Entering Passive Mode (192,168,1,3,0,80)\r\n",
	};
	struct tx_last t = { 0 };
	struct eng *e = setup(&t);
	unsigned i;

	(void)state;
	inbound_ctl(e);
	for (i = 0; i < 2; i++)
		reply(e, 10, bad[i]);
	assert_int_equal(t.n, 0);
	assert_int_equal(eng_stats(e)->helper_refused, 2);
	/* not a whole line, or something else: passed as it is */
	reply(e, 10, "227 Entering Passive Mode (192,168,1,3,19,137)");
	reply(e, 10, "230 Login ok\r\n");
	assert_int_equal(t.n, 2);
	assert_string_equal(payload(&t), "230 Login ok\r\n");
	eng_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pasv_inside),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
