// SPDX-License-Identifier: GPL-2.0-or-later
/* A growable text buffer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "ir.h"

void buf_init(struct mr_buf *b)
{
	b->s = NULL;
	b->len = b->cap = 0;
}

void buf_free(struct mr_buf *b)
{
	free(b->s);
	buf_init(b);
}

void buf_reset(struct mr_buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

static void buf_grow(struct mr_buf *b, size_t more)
{
	size_t need = b->len + more + 1;
	char *s;

	if (need <= b->cap)
		return;
	if (need < 2 * b->cap)
		need = 2 * b->cap;
	if (need < 64)
		need = 64;
	s = realloc(b->s, need);
	if (!s)
		abort();
	b->s = s;
	b->cap = need;
}

void buf_addn(struct mr_buf *b, const char *s, size_t n)
{
	buf_grow(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void buf_add(struct mr_buf *b, const char *s)
{
	buf_addn(b, s, strlen(s));
}

void buf_addc(struct mr_buf *b, char c)
{
	buf_addn(b, &c, 1);
}

void buf_vprintf(struct mr_buf *b, const char *fmt, va_list ap)
{
	va_list aq;
	size_t room;
	int n;

	/* one pass when it fits, as it nearly always does */
	buf_grow(b, 128);
	room = b->cap - b->len;
	va_copy(aq, ap);
	n = vsnprintf(b->s + b->len, room, fmt, aq);
	va_end(aq);
	if (n < 0)
		abort();
	if ((size_t)n >= room) {
		buf_grow(b, (size_t)n);
		vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
}

void buf_printf(struct mr_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void buf_rtrim(struct mr_buf *b)
{
	while (b->len > 0 && b->s[b->len - 1] == ' ')
		b->s[--b->len] = '\0';
}
