/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The word scanner (scanner.l), as lexer.c sees it. */
#ifndef MR_SCAN_H
#define MR_SCAN_H

#include <stddef.h>

enum { SCAN_EOF, SCAN_NL, SCAN_WORD, SCAN_BADQUOTE };

struct scan_state {
	void *yy;			/* flex's scanner */
	unsigned line, col;		/* of the next character */
	unsigned tok_line, tok_col;	/* of the last token */
	char *word;			/* SCAN_WORD: owned by the caller */
	size_t word_len;
	unsigned word_srclen;		/* bytes in the source */
};

int scan_init(struct scan_state *st, const char *text, size_t len);
int scan_next(struct scan_state *st);
void scan_destroy(struct scan_state *st);
void scan_advance(struct scan_state *st, const char *text, int len);
int scan_word(struct scan_state *st, const char *text, int len);

#endif
