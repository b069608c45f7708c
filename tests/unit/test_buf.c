/* SPDX-License-Identifier: GPL-2.0-or-later */
/* buf.c: the text buffer printers write into. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "buf.h"

static void test_init_empty(void **state)
{
	struct mr_buf b;

	buf_init(&b);
	assert_null(b.s);
	assert_int_equal(b.len, 0);
	/* reset and rtrim of an empty buffer must not touch memory */
	buf_reset(&b);
	buf_rtrim(&b);
	assert_null(b.s);
	buf_free(&b);
	assert_null(b.s);
}

static void test_add_and_addc(void **state)
{
	struct mr_buf b;

	buf_init(&b);
	buf_add(&b, "");
	assert_non_null(b.s);
	assert_string_equal(b.s, "");
	buf_add(&b, "abc");
	buf_addc(&b, '-');
	buf_addn(&b, "xyz123", 3);
	assert_string_equal(b.s, "abc-xyz");
	assert_int_equal(b.len, 7);
	assert_true(b.cap > b.len);
	buf_free(&b);
}

static void test_addn_embedded_nul(void **state)
{
	struct mr_buf b;

	buf_init(&b);
	buf_addn(&b, "a\0b", 3);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.s, "a\0b", 4);
	buf_free(&b);
}

static void test_growth(void **state)
{
	struct mr_buf b;
	char expect[10001];
	int i;

	buf_init(&b);
	for (i = 0; i < 10000; i++) {
		buf_addc(&b, (char)('a' + i % 26));
		expect[i] = (char)('a' + i % 26);
	}
	expect[10000] = '\0';
	assert_int_equal(b.len, 10000);
	assert_string_equal(b.s, expect);
	assert_true(b.cap >= 10001);
	buf_free(&b);
}

static void test_printf(void **state)
{
	struct mr_buf b;
	char big[500];

	buf_init(&b);
	buf_printf(&b, "%s:%u:%d", "file", 12u, -3);
	assert_string_equal(b.s, "file:12:-3");
	/* longer than any initial capacity */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	buf_printf(&b, "[%s]", big);
	assert_int_equal(b.len, 10 + 2 + 499);
	assert_int_equal(b.s[10], '[');
	assert_int_equal(b.s[b.len - 1], ']');
	assert_int_equal(b.s[b.len], '\0');
	/* empty result still leaves a valid string */
	buf_printf(&b, "%s", "");
	assert_int_equal(b.len, 511);
	buf_free(&b);
}

static void vhelper(struct mr_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

static void test_vprintf(void **state)
{
	struct mr_buf b;

	buf_init(&b);
	vhelper(&b, "%d-%s", 42, "x");
	vhelper(&b, "%c", '!');
	assert_string_equal(b.s, "42-x!");
	buf_free(&b);
}

static void test_reset_keeps_memory(void **state)
{
	struct mr_buf b;
	char *mem;
	size_t cap;

	buf_init(&b);
	buf_add(&b, "some text");
	mem = b.s;
	cap = b.cap;
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.s, "");
	assert_ptr_equal(b.s, mem);
	assert_int_equal(b.cap, cap);
	buf_add(&b, "new");
	assert_string_equal(b.s, "new");
	buf_free(&b);
}

static void test_rtrim(void **state)
{
	struct mr_buf b;

	buf_init(&b);
	buf_add(&b, "a b  ");
	buf_rtrim(&b);
	assert_string_equal(b.s, "a b");
	assert_int_equal(b.len, 3);
	/* only spaces are trimmed, not tabs or newlines */
	buf_add(&b, "\t");
	buf_rtrim(&b);
	assert_string_equal(b.s, "a b\t");
	buf_reset(&b);
	buf_add(&b, "   ");
	buf_rtrim(&b);
	assert_string_equal(b.s, "");
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_empty),
		cmocka_unit_test(test_add_and_addc),
		cmocka_unit_test(test_addn_embedded_nul),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_vprintf),
		cmocka_unit_test(test_reset_keeps_memory),
		cmocka_unit_test(test_rtrim),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
