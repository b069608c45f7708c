/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The lexer between scanner and parser: turns words into option, argument,
 * '!' and line-structure tokens with the option tables of the line's dialect.
 */
#ifndef MR_LEXER_H
#define MR_LEXER_H

#include <stdbool.h>
#include "arena.h"
#include "erec.h"
#include "opt.h"
#include "parse.h"
#include "scan.h"
#include "src.h"

struct mr_xt;

struct lex_tok {
	int type;			/* parser token */
	char *text;			/* WORD, ARG, TOOL ...: in the line's
					 * arena (struct lexer) */
	struct mr_loc loc;
	const struct mr_optdef *def;	/* OPT */
	const struct mr_xt *xt;		/* OPT of an extension */
	struct lex_tok *arg;		/* OPTARG: the option's first ARG */
	uint8_t dialect, family;	/* NL: of the line it ends */
};

/*
 * Tokens are handed to the parser as pointers into a ring: one word makes
 * at most LEX_BURST tokens, and a word is read only when the ring holds
 * no token not yet handed out, so a token stays valid for at least
 * LEX_RING - LEX_BURST further tokens (the parser needs two or three).
 */
#define LEX_BURST 8
#define LEX_RING 16
#define LEX_MAX_MODS 16

struct lexer {
	struct scan_state sc;
	/* words, tokens' texts and the parser's output for the current line */
	struct arena arena;
	const char *cl_word;		/* a short-option cluster going on */
	size_t cl_pos;
	struct mr_loc cl_loc;
	const struct mr_src *src;
	const struct parse_opts *po;
	struct erec_list *errs;
	/* one word of lookahead from the scanner */
	int peek_type;
	char *peek_word;
	struct mr_loc peek_loc;
	bool have_peek;
	/* tokens made from one word (a short-option cluster) */
	struct lex_tok q[LEX_RING];
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
	/* proto_match() of proto_key and proto_fam, kept across lines */
	const struct mr_xt *proto_xt;
	char proto_key[32];
	uint8_t proto_fam;
	bool proto_known;
	bool failed;			/* an error on this line was queued */
};

void lexer_init(struct lexer *lx, const struct mr_src *src,
		const struct parse_opts *po, struct erec_list *errs);
void lexer_destroy(struct lexer *lx);
/* Next token: valid for LEX_RING - LEX_BURST more calls, its text until
 * lexer_line_done(). */
struct lex_tok *lexer_next(struct lexer *lx);
/* The parser is done with the line just ended: free its words. */
void lexer_line_done(struct lexer *lx);

/* Extra option tables of dialects with sub-commands (ipmasqadm portfw...). */
const struct mr_optdef *dialect_sub_opts(uint8_t dialect, const char *word);

#endif
