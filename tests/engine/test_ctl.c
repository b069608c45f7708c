// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The control socket's requests (engine/ctl_req.c) without a socket:
 * GET / SET / stale generations / refusals located in the sent text /
 * counters carried over / TEST / MASQ; and the framing through a real
 * socketpair-free listener on a temporary path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <cmocka.h>
#include "ctl.h"
#include "model.h"
#include "tutil.h"

static void tx(void *ctx, unsigned ifidx, const uint8_t *f, uint32_t len)
{
	(void)ctx; (void)ifidx; (void)f; (void)len;
}

static struct eng *new_eng(void)
{
	struct eng_config cfg = { .seed = 1, .tx = tx };
	struct mr_ruleset *rs = model_new();
	struct erec_list errs;
	struct eng *e;

	tu_ifs(&cfg);
	e = eng_new(&cfg);
	model_table(rs, MR_FAM_IP, MR_T_LEGACY);
	erec_init(&errs);
	assert_int_equal(eng_load(e, rs, &errs), 0);
	erec_free(&errs);
	return e;
}

struct rep {
	struct ctl_hdr h;
	char *data;
};

static void req(struct ctl_state *s, uint16_t op, uint16_t flags,
		uint64_t gen, const char *text, struct rep *r)
{
	struct ctl_hdr h = { .magic = CTL_MAGIC, .op = op, .flags = flags,
			     .gen = gen, .len = text ? (uint32_t)strlen(text) : 0 };
	struct mr_buf out;

	buf_init(&out);
	ctl_request(s, &h, (const uint8_t *)text, &out);
	assert_true(out.len >= sizeof(r->h));
	memcpy(&r->h, out.s, sizeof(r->h));
	assert_int_equal(out.len, sizeof(r->h) + r->h.len);
	r->data = calloc(1, r->h.len + 1);
	memcpy(r->data, out.s + sizeof(r->h), r->h.len);
	buf_free(&out);
}

static const char base[] =
	"*legacy\n"
	":input ACCEPT [0:0]\n"
	":forward DROP [0:0]\n"
	":output ACCEPT [0:0]\n"
	"-A forward -s 192.168.1.0/24 -j MASQUERADE\n"
	"COMMIT\n";

static void test_get_set_stale(void **state)
{
	struct eng *e = new_eng();
	struct ctl_state s;
	struct rep r;

	(void)state;
	ctl_state_init(&s, e);
	req(&s, CTL_GET, 0, 0, NULL, &r);
	assert_int_equal(r.h.op, CTL_OK);
	assert_int_equal(r.h.gen, 1);
	assert_non_null(strstr(r.data, ":forward ACCEPT [0:0]"));
	free(r.data);

	req(&s, CTL_SET, 0, 1, base, &r);
	assert_int_equal(r.h.op, CTL_OK);
	assert_int_equal(r.h.gen, 2);
	free(r.data);

	req(&s, CTL_SET, 0, 1, base, &r);	/* built on gen 1: stale */
	assert_int_equal(r.h.op, CTL_STALE);
	assert_int_equal(r.h.gen, 2);
	free(r.data);

	req(&s, CTL_GET, 0, 0, NULL, &r);
	assert_non_null(strstr(r.data, ":forward DROP [0:0]"));
	assert_non_null(strstr(r.data,
		"[0:0] -A forward -s 192.168.1.0/24 -j MASQUERADE"));
	free(r.data);
	src_free(s.src);
	eng_free(e);
}

/* A rule the engine cannot run: ERR at its line, nothing changed. */
static void test_refused(void **state)
{
	static const char bad[] =
		"*legacy\n"
		":input ACCEPT [0:0]\n"
		"-A input -p tcp -j REDIRECT --to-ports 8080\n"
		"COMMIT\n";
	struct eng *e = new_eng();
	struct ctl_state s;
	struct ctl_erec w;
	struct rep r, g1, g2;

	(void)state;
	ctl_state_init(&s, e);
	req(&s, CTL_GET, 0, 0, NULL, &g1);
	req(&s, CTL_SET, 0, 1, bad, &r);
	assert_int_equal(r.h.op, CTL_ERR);
	assert_int_equal(r.h.gen, 1);
	assert_true(r.h.len > sizeof(w));
	memcpy(&w, r.data, sizeof(w));
	assert_int_equal(w.kind, EREC_ERROR);
	assert_int_equal(w.line, 3);
	assert_true(w.col > 0);
	assert_non_null(strstr(r.data + sizeof(w), "REDIRECT"));
	req(&s, CTL_GET, 0, 0, NULL, &g2);
	assert_string_equal(g1.data, g2.data);
	assert_int_equal(g2.h.gen, 1);
	free(r.data);
	free(g1.data);
	free(g2.data);

	/* TEST: checked, not taken */
	req(&s, CTL_SET, CTL_F_TEST, 1, base, &r);
	assert_int_equal(r.h.op, CTL_OK);
	assert_int_equal(r.h.gen, 1);
	free(r.data);
	src_free(s.src);
	eng_free(e);
}

/* Unchanged rules keep counting across a SET; COUNTERS takes the text's. */
static void test_counters(void **state)
{
	static const char more[] =
		"*legacy\n"
		":forward DROP [0:0]\n"
		"-A forward -s 192.168.1.9/32 -j DENY\n"
		"-A forward -s 192.168.1.0/24 -j MASQUERADE\n"
		"COMMIT\n";
	struct eng *e = new_eng();
	struct ctl_state s;
	struct mr_chain *c;
	struct rep r;

	(void)state;
	ctl_state_init(&s, e);
	req(&s, CTL_SET, 0, 1, base, &r);
	free(r.data);
	c = model_chain_find(model_table_find(eng_ruleset(e), MR_FAM_IP,
					      MR_T_LEGACY), "forward");
	c->rules->pkts = 5;
	c->rules->bytes = 100;
	c->pkts = 7;
	req(&s, CTL_SET, 0, 2, more, &r);
	assert_int_equal(r.h.op, CTL_OK);
	free(r.data);
	req(&s, CTL_GET, 0, 0, NULL, &r);
	assert_non_null(strstr(r.data, ":forward DROP [7:0]"));
	assert_non_null(strstr(r.data, "[0:0] -A forward -s 192.168.1.9/32"));
	assert_non_null(strstr(r.data,
		"[5:100] -A forward -s 192.168.1.0/24 -j MASQUERADE"));
	free(r.data);
	req(&s, CTL_SET, CTL_F_COUNTERS, 3, more, &r);
	free(r.data);
	req(&s, CTL_GET, 0, 0, NULL, &r);
	assert_non_null(strstr(r.data,
		"[0:0] -A forward -s 192.168.1.0/24 -j MASQUERADE"));
	free(r.data);
	req(&s, CTL_MASQ, 0, 0, NULL, &r);
	assert_int_equal(r.h.op, CTL_OK);
	assert_int_equal(r.h.len, 0);
	free(r.data);
	req(&s, 99, 0, 0, NULL, &r);
	assert_int_equal(r.h.op, CTL_BAD);
	free(r.data);
	src_free(s.src);
	eng_free(e);
}

/* The socket: a GET split in two writes, answered; a bad magic dropped. */
static void test_socket(void **state)
{
	struct ctl_hdr h = { .magic = CTL_MAGIC, .op = CTL_GET }, rh;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct erec_list errs;
	struct eng *e = new_eng();
	struct ctl *c;
	char dir[] = "/tmp/mr-ctl-XXXXXX";
	int fd, i;
	ssize_t n = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/s", dir);
	erec_init(&errs);
	c = ctl_open(sa.sun_path, e, NULL, &errs);
	assert_non_null(c);
	assert_null(ctl_open(sa.sun_path, e, NULL, &errs));	/* taken */
	assert_int_equal(errs.nerrors, 1);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(write(fd, &h, 5), 5);
	for (i = 0; i < 3; i++)
		ctl_service(c);
	assert_int_equal(write(fd, (char *)&h + 5, sizeof(h) - 5),
			 (ssize_t)(sizeof(h) - 5));
	for (i = 0; i < 3; i++)
		ctl_service(c);
	n = read(fd, &rh, sizeof(rh));
	assert_int_equal(n, sizeof(rh));
	assert_int_equal(rh.op, CTL_OK);
	h.magic = 0;
	assert_int_equal(write(fd, &h, sizeof(h)), (ssize_t)sizeof(h));
	for (i = 0; i < 3; i++)
		ctl_service(c);
	{
		char sink[4096];

		while ((n = read(fd, sink, sizeof(sink))) > 0)
			;
		assert_int_equal(n, 0);		/* closed by the engine */
	}
	close(fd);
	ctl_close(c);
	assert_int_equal(access(sa.sun_path, F_OK), -1);
	rmdir(dir);
	erec_free(&errs);
	eng_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_set_stale),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_counters),
		cmocka_unit_test(test_socket),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
