/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The grammar of a line: a tool word, options with their arguments, '!'
 * in both placements, plain words; and the structure lines of save files
 * ("*table", ":chain policy [p:b]", "COMMIT", "[p:b]" before a rule).
 * Each finished line is handed to the caller as a struct mr_pcmd.
 */
%define api.pure full
%define parse.error custom
%define api.prefix {mrp_}
%locations
%define api.location.type {struct mr_loc}
%param {struct parser_state *ps}

%code requires {
#include "lexer.h"
#include "opt.h"
struct parser_state;
#define YYLOCATION_PRINT(File, Loc) ((void)0)
#define YY_LOCATION_PRINT(File, Loc) ((void)0)
#define YYLLOC_DEFAULT(Cur, Rhs, N)			\
	do {						\
		if (N)					\
			(Cur) = YYRHSLOC(Rhs, 1);	\
		else					\
			(Cur) = YYRHSLOC(Rhs, 0);	\
	} while (0)
}

%code provides {
#define PARSE_RING 8

struct parser_state {
	struct lexer lx;
	struct lex_tok ring[PARSE_RING];	/* the tokens being parsed */
	unsigned ring_next;
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
};
int mrp_lex(MRP_STYPE *val, struct mr_loc *loc, struct parser_state *ps);
}

%code {
static void mrp_error(struct mr_loc *loc, struct parser_state *ps,
		      const char *msg);
#include <stdlib.h>
#include <string.h>
#include "grammar_actions.h"
}

/*
 * Semantic values point into the parser's ring of tokens (parse.c): each
 * token is consumed by an action within a step or two of being read, and
 * its text, if no action took it, is freed when its slot is reused.
 */
%define api.value.type {struct lex_tok *}

%token TOOL TABLEHDR CHAINDECL COUNTERS COMMIT WORD ARG ARGBANG BANG OPT
%token NL BADNL
%token END 0 "end of input"

%%

input		: %empty
		| input line
		;

line		: head items NL		{ act_line_end(ps, $3); }
		| head items BADNL	{ act_line_drop(ps); }
		| table words NL	{ act_line_end(ps, $3); }
		| table words BADNL	{ act_line_drop(ps); }
		| chain words NL	{ act_chain_end(ps); act_line_end(ps, $3); }
		| chain words BADNL	{ act_line_drop(ps); }
		| commit words NL	{ act_line_end(ps, $3); }
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

head		: %empty
		| TOOL			{ act_tool(ps, $1); }
		| COUNTERS		{ act_counters(ps, $1); }
		| COUNTERS TOOL		{ act_counters(ps, $1); act_tool(ps, $2); }
		;

words		: %empty
		| words WORD		{ act_word(ps, $2); }
		;

items		: %empty
		| items item
		;

item		: option args
		| bang option args
		| WORD			{ act_positional(ps, $1); }
		;

bang		: BANG			{ act_bang(ps, $1); }
		;

option		: OPT			{ act_option(ps, $1); }
		;

args		: %empty
		| args arg
		;

arg		: ARG			{ act_arg(ps, $1); }
		| ARGBANG ARG		{ act_argbang(ps, $1); act_arg(ps, $2); }
		;

%%

int mrp_lex(MRP_STYPE *val, struct mr_loc *loc, struct parser_state *ps)
{
	struct lex_tok *t = &ps->ring[ps->ring_next++ % PARSE_RING];

	free(t->text);
	lexer_next(&ps->lx, t);
	*val = t;
	*loc = t->loc;
	return t->type;
}

static void mrp_error(struct mr_loc *loc, struct parser_state *ps,
		      const char *msg)
{
	ps->nerrors++;
	erec_add(ps->errs, EREC_ERROR, MR_EXIT_RESOURCE, loc, "%s", msg);
}

static int yyreport_syntax_error(const yypcontext_t *ctx,
				 struct parser_state *ps)
{
	const struct mr_loc *loc = yypcontext_location(ctx);
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
		erec_param(ps->errs, loc, "nothing appropriate following !");
		break;
	case YYSYMBOL_TOOL:
		erec_param(ps->errs, loc, "a tool name must start the line");
		break;
	default:
		erec_param(ps->errs, loc, "unexpected %s",
			   yysymbol_name(got));
		break;
	}
	return 0;
}
