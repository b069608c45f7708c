/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The word scanner (scanner.l), as lexer.c sees it. */
#ifndef MR_SCAN_H
#define MR_SCAN_H

#include <stddef.h>
#include "buf.h"

struct arena;

enum { SCAN_EOF, SCAN_NL, SCAN_WORD, SCAN_BADQUOTE };

struct scan_state {
	void *yy;			/* flex's scanner */
	const char *in;			/* the text (not owned) */
	size_t in_len, in_pos;		/* its length; how much flex has read */
	struct arena *arena;		/* where words go; NULL: malloc */
	unsigned line, col;		/* of the next character */
	unsigned tok_line, tok_col;	/* of the last token */
	char *word;			/* SCAN_WORD: in *arena, or owned
					 * by the caller without one */
	size_t word_len;
	unsigned word_srclen;		/* bytes in the source */
	struct mr_buf unq;		/* scratch for removing quotes */
};

int scan_init(struct scan_state *st, const char *text, size_t len);
/* Allocate words in arena from now on (they live until its reset). */
void scan_set_arena(struct scan_state *st, struct arena *arena);
int scan_next(struct scan_state *st);
void scan_destroy(struct scan_state *st);
void scan_newlines(struct scan_state *st, const char *text, int len);
void scan_rewind(struct scan_state *st, const char *text, int len);
int scan_complete(const char *text, int len);
size_t scan_input(struct scan_state *st, char *buf, size_t max);
int scan_word(struct scan_state *st, const char *text, int len);

#endif
