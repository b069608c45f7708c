// SPDX-License-Identifier: GPL-2.0-or-later
/* A growable text buffer. */
#include <stdbool.h>
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
	if (b->len + n >= b->cap)
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
	if (b->len + 1 >= b->cap)
		buf_grow(b, 1);
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}

static void add_unsigned(struct mr_buf *b, unsigned long long v, bool hex)
{
	char tmp[24], *p = tmp + sizeof(tmp);

	do {
		*--p = "0123456789abcdef"[hex ? v & 15 : v % 10];
		v = hex ? v >> 4 : v / 10;
	} while (v);
	buf_addn(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

/*
 * The printers' formats are mostly plain %s, %u and %d: those are done
 * here, which costs a fraction of vsnprintf.  Anything else (widths,
 * flags, precision, other conversions) returns false, having consumed
 * part of ap: the caller formats again from a copy.
 */
static bool simple_vprintf(struct mr_buf *b, const char *fmt, va_list ap)
{
	const char *p = fmt, *q;
	unsigned long long u;
	long long d;
	const char *s;
	int lmod;

	for (;;) {
		for (q = p; *q && *q != '%'; q++)
			;
		if (q > p)
			buf_addn(b, p, (size_t)(q - p));
		if (!*q)
			return true;
		q++;
		lmod = 0;
		if (*q == 'z') {
			lmod = 3;
			q++;
		} else {
			while (*q == 'l' && lmod < 2) {
				lmod++;
				q++;
			}
		}
		switch (*q) {
		case 's':
			if (lmod)
				return false;
			s = va_arg(ap, const char *);
			buf_add(b, s ? s : "(null)");
			break;
		case 'c':
			if (lmod)
				return false;
			buf_addc(b, (char)va_arg(ap, int));
			break;
		case 'd':
		case 'i':
			d = lmod == 0 ? va_arg(ap, int) :
			    lmod == 1 ? va_arg(ap, long) :
			    lmod == 2 ? va_arg(ap, long long) :
			    (long long)va_arg(ap, ptrdiff_t);
			if (d < 0) {
				buf_addc(b, '-');
				u = 0ULL - (unsigned long long)d;
			} else {
				u = (unsigned long long)d;
			}
			add_unsigned(b, u, false);
			break;
		case 'u':
		case 'x':
			u = lmod == 0 ? va_arg(ap, unsigned int) :
			    lmod == 1 ? va_arg(ap, unsigned long) :
			    lmod == 2 ? va_arg(ap, unsigned long long) :
			    va_arg(ap, size_t);
			add_unsigned(b, u, *q == 'x');
			break;
		case '%':
			if (lmod)
				return false;
			buf_addc(b, '%');
			break;
		default:
			return false;
		}
		p = q + 1;
	}
}

void buf_vprintf(struct mr_buf *b, const char *fmt, va_list ap)
{
	size_t start = b->len;
	va_list aq;
	size_t room;
	bool ok;
	int n;

	va_copy(aq, ap);
	ok = simple_vprintf(b, fmt, aq);
	va_end(aq);
	if (ok) {
		if (!b->s)	/* nothing written: "" must still be a string */
			buf_grow(b, 0), b->s[0] = '\0';
		return;
	}
	b->len = start;
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
