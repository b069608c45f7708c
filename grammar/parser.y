/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The grammar of a line: a tool word, options with their arguments, '!'
 * in both placements, plain words; and the structure lines of save files
 * ("*table", ":chain policy [p:b]", "COMMIT", "[p:b]" before a rule).
 * Each finished line is handed to the caller as a struct mr_pcmd; the
 * chain lines of an ipchains-save file come with a block around them
 * (parse.c).
 */
%define api.pure full
%define parse.error custom
%define api.prefix {mrp_}
%param {struct parser_state *ps}

%code requires {
#include "lexer.h"
#include "opt.h"
struct parser_state;
}

%code provides {
struct parser_state {
	struct lexer lx;
	struct lex_tok *last;		/* the latest token read: errors' place */
	struct lex_tok *prev;		/* the one before */
	bool line_bad;			/* an action found the line wrong */
	struct erec_list *errs;
	parse_line_fn fn;
	void *data;
	int stop;
	int nerrors;
	struct mr_pcmd *cur;		/* the line being built */
	struct mr_popt *opt;		/* the option taking arguments */
	bool neg_next;			/* '!' read, for the next option */
	struct mr_loc neg_loc;
	bool neg_arg;			/* '!' read, for the next argument */
	struct mr_loc neg_arg_loc;
	/* blocks handed on: "*table" ... "COMMIT", and the legacy table's
	 * block the parser opens for an ipchains-save file (parse.c) */
	bool in_table;
	bool chains_block;
	struct mr_loc chains_loc;	/* the chain line that opened it */
};
int mrp_lex(MRP_STYPE *val, struct parser_state *ps);
}

%code {
static void mrp_error(struct parser_state *ps, const char *msg);
#include <stdlib.h>
#include <string.h>
#include "grammar_actions.h"
}

/*
 * Semantic values point into the lexer's ring of tokens (lexer.h): each
 * token is consumed by an action within a step or two of being read.
 * Texts live in the line's arena until the line has been handed on.  A
 * token's location is in the token: the parser keeps none of its own.
 */
%define api.value.type {struct lex_tok *}

%token TOOL TABLEHDR CHAINDECL COUNTERS COMMIT WORD ARG ARGBANG BANG OPT
%token OPTARG		/* OPT ARG, merged by the lexer: $$->arg is the ARG */
%token NL BADNL
%token END 0 "end of input"

%%

input		: %empty
		| input line
		;

/*
 * A command line is a flat list: a state for "no option is taking
 * arguments" (items0) and one for "an option is" (items1), so each token
 * costs one shift and one reduction.  It reads the same lines as
 *	line: head item* NL;  item: ['!'] OPT arg* | WORD;
 *	arg: ARG | ARGBANG ARG
 * and so stops at the same token on a bad line.  OPTARG is OPT ARG.
 */
line		: items0 NL		{ act_line_end(ps, $2); if (ps->stop) YYACCEPT; }
		| items1 NL		{ act_line_end(ps, $2); if (ps->stop) YYACCEPT; }
		| items0 BADNL		{ act_line_drop(ps); }
		| items1 BADNL		{ act_line_drop(ps); }
		| table words NL	{ act_line_end(ps, $3); if (ps->stop) YYACCEPT; }
		| table words BADNL	{ act_line_drop(ps); }
		| chain words NL	{ act_chain_end(ps); act_line_end(ps, $3);
					  if (ps->stop) YYACCEPT; }
		| chain words BADNL	{ act_line_drop(ps); }
		| commit words NL	{ act_line_end(ps, $3); if (ps->stop) YYACCEPT; }
		| commit words BADNL	{ act_line_drop(ps); }
		| error NL		{ act_line_drop(ps); yyerrok; }
		| error BADNL		{ act_line_drop(ps); yyerrok; }
		;

table		: TABLEHDR		{ act_table(ps, $1); }
		;

chain		: CHAINDECL		{ act_chain(ps, $1); }
		;

commit		: COMMIT		{ act_commit(ps, $1); }
		;

items0		: %empty
		| TOOL			{ act_tool(ps, $1); }
		| COUNTERS		{ act_counters(ps, $1); }
		| COUNTERS TOOL		{ act_counters(ps, $1); act_tool(ps, $2); }
		| items0 WORD		{ act_positional(ps, $2); }
		| items1 WORD		{ act_positional(ps, $2); }
		;

items1		: items0 OPT		{ act_option(ps, $2); }
		| items1 OPT		{ act_option(ps, $2); }
		| items0 BANG OPT	{ act_bang(ps, $2); act_option(ps, $3); }
		| items1 BANG OPT	{ act_bang(ps, $2); act_option(ps, $3); }
		| items0 OPTARG		{ act_option(ps, $2);
					  act_arg(ps, $2->arg); }
		| items1 OPTARG		{ act_option(ps, $2);
					  act_arg(ps, $2->arg); }
		| items0 BANG OPTARG	{ act_bang(ps, $2); act_option(ps, $3);
					  act_arg(ps, $3->arg); }
		| items1 BANG OPTARG	{ act_bang(ps, $2); act_option(ps, $3);
					  act_arg(ps, $3->arg); }
		| items1 ARG		{ act_arg(ps, $2); }
		| items1 ARGBANG ARG	{ act_argbang(ps, $2); act_arg(ps, $3); }
		;

words		: %empty
		| words WORD		{ act_word(ps, $2); }
		;

%%

int mrp_lex(MRP_STYPE *val, struct parser_state *ps)
{
	struct lex_tok *t = lexer_next(&ps->lx);

	ps->prev = ps->last;
	ps->last = t;
	*val = t;
	return t->type;
}

/* Only "memory exhausted": at the token being read, as a syntax error. */
static void mrp_error(struct parser_state *ps, const char *msg)
{
	ps->nerrors++;
	erec_add(ps->errs, EREC_ERROR, MR_EXIT_RESOURCE, &ps->last->loc,
		 "%s", msg);
}

/* A syntax error is always found at the lookahead: the latest token. */
static int yyreport_syntax_error(const yypcontext_t *ctx,
				 struct parser_state *ps)
{
	const struct mr_loc *loc = &ps->last->loc;
	yysymbol_kind_t got = yypcontext_token(ctx);

	(void)yypcontext_expected_tokens;
	ps->nerrors++;
	switch (got) {
	case YYSYMBOL_BANG:
	case YYSYMBOL_ARGBANG:
		erec_param(ps->errs, loc, "Multiple `!' flags not allowed");
		break;
	case YYSYMBOL_NL:
	case YYSYMBOL_BADNL:
	case YYSYMBOL_YYEOF:
		/* point at the '!' itself, not at the end of the line */
		if (ps->prev && ps->prev->type == BANG)
			loc = &ps->prev->loc;
		erec_param(ps->errs, loc, "nothing appropriate following !");
		break;
	case YYSYMBOL_TOOL:
		erec_param(ps->errs, loc, "a tool name must start the line");
		break;
	case YYSYMBOL_OPTARG:	/* the lexer's merge: still an option */
		erec_param(ps->errs, loc, "unexpected %s", "OPT");
		break;
	default:
		erec_param(ps->errs, loc, "unexpected %s",
			   yysymbol_name(got));
		break;
	}
	return 0;
}
