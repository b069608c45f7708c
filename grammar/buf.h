/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A growable text buffer: what printers write into (nothing below cli/ prints). */
#ifndef MR_BUF_H
#define MR_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct mr_buf {
	char *s;		/* always NUL-terminated once anything was added */
	size_t len, cap;
};

void buf_init(struct mr_buf *b);
void buf_free(struct mr_buf *b);
void buf_reset(struct mr_buf *b);	/* len = 0, keep memory */
void buf_add(struct mr_buf *b, const char *s);
void buf_addn(struct mr_buf *b, const char *s, size_t n);
void buf_addc(struct mr_buf *b, char c);
__attribute__((format(printf, 2, 3)))
void buf_printf(struct mr_buf *b, const char *fmt, ...);
void buf_vprintf(struct mr_buf *b, const char *fmt, va_list ap);
/* Drop trailing spaces. */
void buf_rtrim(struct mr_buf *b);

#endif
