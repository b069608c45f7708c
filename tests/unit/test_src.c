/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * src.c: named input texts.  The command line is quoted back to one line
 * of text; scanning that line (scanner.l) must give the same words.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "scan.h"
#include "src.h"

#define MAXW 32

struct words {
	unsigned n;
	char *w[MAXW];
	unsigned line[MAXW], col[MAXW];
	int other;		/* SCAN_BADQUOTE seen */
};

static void scan_all(const struct mr_src *s, struct words *out)
{
	struct scan_state st;
	int t;

	memset(out, 0, sizeof(*out));
	assert_int_equal(scan_init(&st, s->text, s->len), 0);
	while ((t = scan_next(&st)) != SCAN_EOF) {
		if (t == SCAN_WORD) {
			assert_true(out->n < MAXW);
			out->line[out->n] = st.tok_line;
			out->col[out->n] = st.tok_col;
			out->w[out->n++] = st.word;
		} else if (t == SCAN_BADQUOTE) {
			out->other++;
		}
	}
	scan_destroy(&st);
}

static void words_free(struct words *w)
{
	unsigned i;

	for (i = 0; i < w->n; i++)
		free(w->w[i]);
}

/* argv -> text -> scanner gives argv back, all on line 1 */
static void roundtrip(int argc, char *const argv[])
{
	struct mr_src *s = src_from_argv(argc, argv);
	struct words w;
	int i;

	assert_string_equal(s->name, "<cmdline>");
	assert_true(s->cmdline);
	assert_int_equal(strlen(s->text), s->len);
	scan_all(s, &w);
	assert_int_equal(w.other, 0);
	assert_int_equal(w.n, (unsigned)argc);
	for (i = 0; i < argc; i++) {
		assert_string_equal(w.w[i], argv[i]);
		assert_int_equal(w.line[i], 1);
	}
	words_free(&w);
	src_free(s);
}

static void test_argv_plain(void **state)
{
	char *argv[] = { "-t", "nat", "-A", "POSTROUTING", "-o", "eth0",
			 "-j", "MASQUERADE" };
	struct mr_src *s = src_from_argv(8, argv);

	/* plain words are not quoted */
	assert_string_equal(s->text, "-t nat -A POSTROUTING -o eth0 -j MASQUERADE");
	src_free(s);
	roundtrip(8, argv);
}

static void test_argv_spaces_and_quotes(void **state)
{
	char *argv[] = { "-m", "comment", "--comment", "a b  c",
			 "say \"hi\"", "it's", "\"", "'" };

	roundtrip(8, argv);
}

static void test_argv_hash_is_no_comment(void **state)
{
	char *argv[] = { "--comment", "#1", "a#b", "#", "x" };
	struct mr_src *s = src_from_argv(5, argv);

	/* a word starting with '#' must be quoted, or it starts a comment */
	assert_non_null(strstr(s->text, "\"#1\""));
	src_free(s);
	roundtrip(5, argv);
}

static void test_argv_backslashes(void **state)
{
	char *argv[] = { "back\\slash", "\\", "end\\", "\\\"", "\\\\n",
			 "$HOME", "`cmd`", "\\$x" };

	roundtrip(8, argv);
}

static void test_argv_empty_and_tab(void **state)
{
	char *argv[] = { "", "tab\there", "\t", "x" };

	roundtrip(4, argv);
}

static void test_argv_carriage_return(void **state)
{
	/* the scanner treats '\r' as a blank: it must be quoted */
	char *argv[] = { "cr\rx", "y" };

	roundtrip(2, argv);
}

static void test_argv_newline(void **state)
{
	/* a newline inside an argument must come back as a newline */
	char *argv[] = { "--comment", "two\nlines" };

	roundtrip(2, argv);
}

static void test_argv_none(void **state)
{
	struct mr_src *s = src_from_argv(0, NULL);
	struct words w;

	assert_string_equal(s->text, "");
	assert_int_equal(s->len, 0);
	scan_all(s, &w);
	assert_int_equal(w.n, 0);
	src_free(s);
}

static void test_argv_columns(void **state)
{
	/* columns point into the quoted line the user is shown */
	char *argv[] = { "-A", "a b", "-j", "X" };
	struct mr_src *s = src_from_argv(4, argv);
	struct words w;

	assert_string_equal(s->text, "-A \"a b\" -j X");
	scan_all(s, &w);
	assert_int_equal(w.n, 4);
	assert_int_equal(w.col[0], 1);
	assert_int_equal(w.col[1], 4);
	assert_int_equal(w.col[2], 10);
	assert_int_equal(w.col[3], 13);
	words_free(&w);
	src_free(s);
}

static void test_from_string(void **state)
{
	const char text[] = "abc\0def";
	struct mr_src *s = src_from_string("name", text, 3);

	assert_string_equal(s->name, "name");
	assert_false(s->cmdline);
	assert_int_equal(s->len, 3);
	assert_string_equal(s->text, "abc");
	/* the text is an owned copy */
	assert_ptr_not_equal(s->text, text);
	src_free(s);
	src_free(NULL);
}

static void test_from_file(void **state)
{
	char path[] = "/tmp/mr-unit-src-XXXXXX";
	const char body[] = "*nat\nCOMMIT\n";
	struct mr_src *s;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, body, sizeof(body) - 1), sizeof(body) - 1);
	close(fd);
	s = src_from_file(path);
	unlink(path);
	assert_non_null(s);
	assert_string_equal(s->name, path);
	assert_int_equal(s->len, sizeof(body) - 1);
	assert_string_equal(s->text, body);
	src_free(s);

	assert_null(src_from_file("/nonexistent/dir/file"));
}

static void test_from_empty_file(void **state)
{
	char path[] = "/tmp/mr-unit-src-XXXXXX";
	struct mr_src *s;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	s = src_from_file(path);
	unlink(path);
	assert_non_null(s);
	assert_non_null(s->text);
	assert_int_equal(s->len, 0);
	assert_string_equal(s->text, "");
	src_free(s);
}

static void expect_line(const struct mr_src *s, uint32_t n, const char *want)
{
	size_t len = 12345;
	const char *l = src_line(s, n, &len);

	if (!want) {
		assert_null(l);
		return;
	}
	assert_non_null(l);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(l, want, len);
}

static void test_src_line(void **state)
{
	const char text[] = "first\n\nthird line\nlast";
	struct mr_src *s = src_from_string("f", text, sizeof(text) - 1);

	expect_line(s, 1, "first");
	expect_line(s, 2, "");
	expect_line(s, 3, "third line");
	expect_line(s, 4, "last");
	expect_line(s, 5, NULL);
	expect_line(s, 100, NULL);
	src_free(s);
}

static void test_src_line_trailing_newline(void **state)
{
	const char text[] = "a\nb\n";
	struct mr_src *s = src_from_string("f", text, sizeof(text) - 1);

	expect_line(s, 1, "a");
	expect_line(s, 2, "b");
	/* the empty text after the last newline */
	expect_line(s, 3, "");
	expect_line(s, 4, NULL);
	src_free(s);
}

static void test_src_line_empty(void **state)
{
	struct mr_src *s = src_from_string("f", "", 0);

	expect_line(s, 1, "");
	expect_line(s, 2, NULL);
	src_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_argv_plain),
		cmocka_unit_test(test_argv_spaces_and_quotes),
		cmocka_unit_test(test_argv_hash_is_no_comment),
		cmocka_unit_test(test_argv_backslashes),
		cmocka_unit_test(test_argv_empty_and_tab),
		cmocka_unit_test(test_argv_carriage_return),
		cmocka_unit_test(test_argv_newline),
		cmocka_unit_test(test_argv_none),
		cmocka_unit_test(test_argv_columns),
		cmocka_unit_test(test_from_string),
		cmocka_unit_test(test_from_file),
		cmocka_unit_test(test_from_empty_file),
		cmocka_unit_test(test_src_line),
		cmocka_unit_test(test_src_line_trailing_newline),
		cmocka_unit_test(test_src_line_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
