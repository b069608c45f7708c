// SPDX-License-Identifier: GPL-2.0-or-later
/* Named input texts: files, strings, and command lines quoted back to text. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "ir.h"
#include "src.h"

static struct mr_src *src_new(const char *name, char *text, size_t len)
{
	struct mr_src *s = ir_alloc(sizeof(*s));

	s->name = ir_strdup(name);
	s->text = text;
	s->len = len;
	return s;
}

struct mr_src *src_from_string(const char *name, const char *text, size_t len)
{
	char *copy = ir_alloc(len + 1);

	memcpy(copy, text, len);
	return src_new(name, copy, len);
}

struct mr_src *src_from_file(const char *path)
{
	struct mr_buf b;
	char chunk[65536];
	FILE *f;
	size_t n;
	int err;

	f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f)
		return NULL;
	buf_init(&b);
	buf_add(&b, "");
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_addn(&b, chunk, n);
	err = ferror(f) ? EIO : 0;
	if (f != stdin)
		fclose(f);
	if (err) {
		buf_free(&b);
		errno = err;
		return NULL;
	}
	return src_new(strcmp(path, "-") ? path : "<stdin>", b.s, b.len);
}

/* Characters that make the scanner split or treat a word specially. */
static bool word_needs_quotes(const char *w)
{
	if (!*w)
		return true;
	for (; *w; w++)
		if (strchr(" \t\r\n\"'\\#", *w))
			return true;
	return false;
}

static void add_quoted(struct mr_buf *b, const char *w)
{
	buf_addc(b, '"');
	for (; *w; w++) {
		/* a newline stays itself: the scanner keeps it in quotes */
		if (*w == '"' || *w == '\\')
			buf_addc(b, '\\');
		buf_addc(b, *w);
	}
	buf_addc(b, '"');
}

struct mr_src *src_from_argv(int argc, char *const argv[])
{
	struct mr_src *s;
	struct mr_buf b;
	int i;

	buf_init(&b);
	buf_add(&b, "");
	for (i = 0; i < argc; i++) {
		if (i)
			buf_addc(&b, ' ');
		if (word_needs_quotes(argv[i]))
			add_quoted(&b, argv[i]);
		else
			buf_add(&b, argv[i]);
	}
	s = src_new("<cmdline>", b.s, b.len);
	s->cmdline = true;
	return s;
}

void src_free(struct mr_src *s)
{
	if (!s)
		return;
	free(s->name);
	free(s->text);
	free(s);
}

const char *src_line(const struct mr_src *s, uint32_t line, size_t *len)
{
	const char *p = s->text, *end = s->text + s->len, *nl;
	uint32_t n;

	for (n = 1; n < line; n++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return NULL;
		p = nl + 1;
	}
	nl = memchr(p, '\n', (size_t)(end - p));
	*len = nl ? (size_t)(nl - p) : (size_t)(end - p);
	return p;
}
