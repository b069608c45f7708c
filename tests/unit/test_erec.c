/* SPDX-License-Identifier: GPL-2.0-or-later */
/* erec.c: error records, their counts and exit codes, and their format. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "erec.h"
#include "src.h"

static struct mr_loc at(const struct mr_src *s, uint32_t line, uint16_t col,
			uint16_t len)
{
	struct mr_loc l = { .src = s, .line = line, .col = col, .len = len };

	return l;
}

/* Format the one record and compare with want. */
static void expect_format(const struct erec *e, const char *want)
{
	struct mr_buf b;

	buf_init(&b);
	buf_add(&b, "");
	erec_format(&b, e);
	assert_string_equal(b.s, want);
	buf_free(&b);
}

static void test_format_caret(void **state)
{
	const char text[] = "-A INPUT -s 1.2.3.999 -j ACCEPT\n";
	struct mr_src *s = src_from_string("rules.txt", text, sizeof(text) - 1);
	struct mr_loc l = at(s, 1, 13, 9);
	struct erec_list el;

	erec_init(&el);
	erec_add(&el, EREC_ERROR, MR_EXIT_PARAM, &l, "host/network `%s' not found",
		 "1.2.3.999");
	expect_format(el.head,
		"rules.txt:1:13: error: host/network `1.2.3.999' not found\n"
		"-A INPUT -s 1.2.3.999 -j ACCEPT\n"
		"            ^~~~~~~~~\n");
	erec_free(&el);
	src_free(s);
}

static void test_format_second_line_and_col1(void **state)
{
	const char text[] = "*filter\nbogus line here\nCOMMIT\n";
	struct mr_src *s = src_from_string("f", text, sizeof(text) - 1);
	struct mr_loc l = at(s, 2, 1, 5);
	struct erec_list el;

	erec_init(&el);
	erec_add(&el, EREC_ERROR, MR_EXIT_OTHER, &l, "bad");
	expect_format(el.head, "f:2:1: error: bad\nbogus line here\n^~~~~\n");
	erec_free(&el);
	src_free(s);
}

static void test_format_tabs_kept(void **state)
{
	/* INPUT is at byte column 5 after two tabs */
	const char text[] = "\t-A\tINPUT -j X";
	struct mr_src *s = src_from_string("t", text, sizeof(text) - 1);
	struct mr_loc l = at(s, 1, 5, 5);
	struct erec_list el;

	erec_init(&el);
	erec_add(&el, EREC_ERROR, MR_EXIT_PARAM, &l, "no chain");
	expect_format(el.head,
		"t:1:5: error: no chain\n"
		"\t-A\tINPUT -j X\n"
		"\t  \t^~~~~\n");
	erec_free(&el);
	src_free(s);
}

static void test_format_one_char(void **state)
{
	struct mr_src *s = src_from_string("<cmdline>", "-L -ny", 6);
	struct mr_loc l = at(s, 1, 6, 1);
	struct erec_list el;

	erec_init(&el);
	erec_param(&el, &l, "invalid option -- '%c'", 'y');
	expect_format(el.head,
		"<cmdline>:1:6: error: invalid option -- 'y'\n"
		"-L -ny\n"
		"     ^\n");
	erec_free(&el);
	src_free(s);
}

static void test_format_kinds(void **state)
{
	struct mr_src *s = src_from_string("k", "abc", 3);
	struct mr_loc l = at(s, 1, 2, 1);
	struct erec_list el;

	erec_init(&el);
	erec_add(&el, EREC_WARNING, 0, &l, "careful");
	erec_add(&el, EREC_NOTE, 0, &l, "see here");
	expect_format(el.head, "k:1:2: warning: careful\nabc\n ^\n");
	expect_format(el.head->next, "k:1:2: note: see here\nabc\n ^\n");
	assert_int_equal(el.nerrors, 0);
	assert_int_equal(el.nwarnings, 1);
	assert_int_equal(el.exit_code, 0);
	erec_free(&el);
	src_free(s);
}

static void test_format_no_location(void **state)
{
	struct erec_list el;

	erec_init(&el);
	erec_add(&el, EREC_ERROR, MR_EXIT_RESOURCE, NULL, "out of %s", "luck");
	assert_null(el.head->loc.src);
	expect_format(el.head, "error: out of luck\n");
	erec_free(&el);
}

static void test_format_line_out_of_range(void **state)
{
	struct mr_src *s = src_from_string("r", "one\n", 4);
	struct mr_loc l = at(s, 7, 1, 1);
	struct erec_list el;

	erec_init(&el);
	erec_add(&el, EREC_ERROR, 1, &l, "gone");
	/* no source line to show: the message alone */
	expect_format(el.head, "r:7:1: error: gone\n");
	erec_free(&el);
	src_free(s);
}

static void test_format_col_past_end(void **state)
{
	/* an error at the end of a line (missing argument) */
	struct mr_src *s = src_from_string("e", "-A", 2);
	struct mr_loc l = at(s, 1, 3, 1);
	struct erec_list el;

	erec_init(&el);
	erec_add(&el, EREC_ERROR, 2, &l, "end");
	expect_format(el.head, "e:1:3: error: end\n-A\n  ^\n");
	erec_free(&el);
	src_free(s);
}

static void test_counts_and_exit_code(void **state)
{
	struct erec_list el;

	erec_init(&el);
	assert_null(el.head);
	assert_int_equal(el.nerrors, 0);
	assert_int_equal(el.exit_code, 0);
	erec_add(&el, EREC_WARNING, 4, NULL, "w");
	/* a warning decides no exit code */
	assert_int_equal(el.exit_code, 0);
	assert_int_equal(erec_param(&el, NULL, "p%d", 1), -1);
	assert_int_equal(el.exit_code, MR_EXIT_PARAM);
	erec_add(&el, EREC_ERROR, MR_EXIT_OTHER, NULL, "second");
	/* the first error's code stays */
	assert_int_equal(el.exit_code, MR_EXIT_PARAM);
	assert_int_equal(el.nerrors, 2);
	assert_int_equal(el.nwarnings, 1);
	assert_string_equal(el.head->msg, "w");
	assert_string_equal(el.head->next->msg, "p1");
	assert_int_equal(el.head->next->exit_code, MR_EXIT_PARAM);
	assert_string_equal(el.head->next->next->msg, "second");
	assert_ptr_equal(el.tail, &el.head->next->next->next);
	erec_free(&el);
	assert_null(el.head);
	assert_int_equal(el.nerrors, 0);
	assert_int_equal(el.exit_code, 0);
	/* usable again after free */
	erec_add(&el, EREC_ERROR, 1, NULL, "again");
	assert_int_equal(el.nerrors, 1);
	erec_free(&el);
}

static void test_long_message(void **state)
{
	struct erec_list el;
	char big[3000];

	memset(big, 'm', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	erec_init(&el);
	erec_add(&el, EREC_ERROR, 1, NULL, "%s", big);
	assert_string_equal(el.head->msg, big);
	erec_free(&el);
}

static void test_splice(void **state)
{
	struct erec_list a, b;

	erec_init(&a);
	erec_init(&b);
	erec_add(&a, EREC_WARNING, 0, NULL, "a1");
	erec_add(&b, EREC_ERROR, MR_EXIT_RESOURCE, NULL, "b1");
	erec_add(&b, EREC_ERROR, MR_EXIT_PARAM, NULL, "b2");
	erec_splice(&a, &b);
	assert_null(b.head);
	assert_int_equal(b.nerrors, 0);
	assert_int_equal(a.nerrors, 2);
	assert_int_equal(a.nwarnings, 1);
	/* a had no error yet: b's first error decides */
	assert_int_equal(a.exit_code, MR_EXIT_RESOURCE);
	assert_string_equal(a.head->next->msg, "b1");
	assert_string_equal(a.head->next->next->msg, "b2");
	/* the tail follows: appending to a still works */
	erec_add(&a, EREC_ERROR, MR_EXIT_OTHER, NULL, "a2");
	assert_string_equal(a.head->next->next->next->msg, "a2");
	assert_int_equal(a.exit_code, MR_EXIT_RESOURCE);
	/* splicing an empty list changes nothing */
	erec_splice(&a, &b);
	assert_int_equal(a.nerrors, 3);
	/* b is usable after the splice */
	erec_add(&b, EREC_ERROR, MR_EXIT_PARAM, NULL, "b3");
	erec_splice(&a, &b);
	assert_int_equal(a.nerrors, 4);
	assert_int_equal(a.exit_code, MR_EXIT_RESOURCE);
	erec_free(&a);
	erec_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_caret),
		cmocka_unit_test(test_format_second_line_and_col1),
		cmocka_unit_test(test_format_tabs_kept),
		cmocka_unit_test(test_format_one_char),
		cmocka_unit_test(test_format_kinds),
		cmocka_unit_test(test_format_no_location),
		cmocka_unit_test(test_format_line_out_of_range),
		cmocka_unit_test(test_format_col_past_end),
		cmocka_unit_test(test_counts_and_exit_code),
		cmocka_unit_test(test_long_message),
		cmocka_unit_test(test_splice),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
