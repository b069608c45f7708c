/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The lexer between scanner and parser: turns words into option, argument,
 * '!' and line-structure tokens with the option tables of the line's dialect.
 */
#ifndef MR_LEXER_H
#define MR_LEXER_H

#include <stdbool.h>
#include "erec.h"
#include "opt.h"
#include "parse.h"
#include "scan.h"
#include "src.h"

struct mr_xt;

struct lex_tok {
	int type;			/* parser token */
	char *text;			/* owned (WORD, ARG, TOOL, ...) */
	struct mr_loc loc;
	const struct mr_optdef *def;	/* OPT */
	const struct mr_xt *xt;		/* OPT of an extension */
	uint8_t dialect, family;	/* NL: of the line it ends */
};

#define LEX_QUEUE 8
#define LEX_MAX_MODS 16

struct lexer {
	struct scan_state sc;
	const struct mr_src *src;
	const struct parse_opts *po;
	struct erec_list *errs;
	/* one word of lookahead from the scanner */
	int peek_type;
	char *peek_word;
	struct mr_loc peek_loc;
	bool have_peek;
	/* tokens made from one word (a short-option cluster) */
	struct lex_tok q[LEX_QUEUE];
	unsigned qhead, qlen;
	/* per line */
	bool line_start;
	uint8_t dialect, family;
	const struct mr_optdef *opts;
	bool opts_ended;		/* after "--" */
	unsigned npositional;
	const struct mr_optdef *cur_def;	/* option taking arguments */
	const struct mr_xt *cur_xt;
	struct mr_loc cur_loc;
	unsigned argi;			/* arguments taken so far */
	unsigned need, optional;	/* argument words still required / allowed */
	bool variadic;
	const struct mr_xt *mods[LEX_MAX_MODS];	/* loaded, latest last */
	unsigned nmods;
	char proto[32];
	bool failed;			/* an error on this line was queued */
};

void lexer_init(struct lexer *lx, const struct mr_src *src,
		const struct parse_opts *po, struct erec_list *errs);
void lexer_destroy(struct lexer *lx);
/* Next token; fills *tok (ownership of tok->text passes to the caller). */
int lexer_next(struct lexer *lx, struct lex_tok *tok);

/* Extra option tables of dialects with sub-commands (ipmasqadm portfw...). */
const struct mr_optdef *dialect_sub_opts(uint8_t dialect, const char *word);

#endif
