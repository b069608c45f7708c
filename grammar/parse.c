// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The grammar's actions and the parser's entry point: tokens become one
 * struct mr_pcmd per line, handed to the caller and then freed (and the
 * block around an ipchains-save file's lines: chains_blocks()).  A line's
 * records and words all live in the lexer's arena, freed at once when the
 * line is done: nothing is allocated or freed per word or option.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "grammar_actions.h"
#include "parse.h"
#include "parser.h"

static struct mr_pcmd *cur(struct parser_state *ps, const struct mr_loc *loc)
{
	struct mr_pcmd *p = ps->cur;

	if (p)
		return p;
	p = arena_alloc(&ps->lx.arena, sizeof(*p));
	p->opts_tail = &p->opts;
	p->loc = *loc;
	p->loc.col = 1;
	p->loc.len = 0;
	ps->cur = p;
	return p;
}

static struct mr_word word_of(struct lex_tok *t)
{
	struct mr_word w = { .text = t->text, .loc = t->loc };

	t->text = NULL;
	return w;
}

void act_tool(struct parser_state *ps, struct lex_tok *t)
{
	cur(ps, &t->loc)->tool = word_of(t);
}

static int parse_counters(const char *s, uint64_t *pkts, uint64_t *bytes)
{
	char tail;

	return sscanf(s, "[%" SCNu64 ":%" SCNu64 "]%c", pkts, bytes, &tail) == 2
		? 0 : -1;
}

void act_counters(struct parser_state *ps, struct lex_tok *t)
{
	struct mr_pcmd *p = cur(ps, &t->loc);

	if (parse_counters(t->text, &p->pkts, &p->bytes)) {
		erec_param(ps->errs, &t->loc, "bad counters \"%s\"", t->text);
		ps->line_bad = true;	/* the rule is not read without them */
	} else {
		p->has_counters = true;
	}
}

/* add_opt() zeroes everything before args_in: that must be everything. */
_Static_assert(offsetof(struct mr_popt, args_in) +
	       sizeof(((struct mr_popt *)0)->args_in) == sizeof(struct mr_popt),
	       "struct mr_popt: args_in must be the last field");

static struct mr_popt *add_opt(struct parser_state *ps,
			       const struct mr_loc *loc)
{
	struct mr_pcmd *p = cur(ps, loc);
	/* the words in args_in need no zeroing: nargs says how many */
	struct mr_popt *o = arena_alloc_raw(&ps->lx.arena, sizeof(*o));

	memset(o, 0, offsetof(struct mr_popt, args_in));
	o->loc = *loc;
	*p->opts_tail = o;
	p->opts_tail = &o->next;
	p->nopts++;
	return o;
}

static void add_arg(struct parser_state *ps, struct mr_popt *o,
		    struct mr_word w)
{
	const unsigned in = sizeof(o->args_in) / sizeof(o->args_in[0]);
	struct mr_word *a;

	if (!o->args)
		o->args = o->args_in;
	/* beyond args_in the room doubles: in, 2 in, 4 in ... */
	if (o->nargs >= in && o->nargs % in == 0 &&
	    !((o->nargs / in) & (o->nargs / in - 1))) {
		a = arena_alloc_raw(&ps->lx.arena, 2u * o->nargs * sizeof(*a));
		memcpy(a, o->args, o->nargs * sizeof(*a));
		o->args = a;
	}
	o->args[o->nargs++] = w;
}

/* Plain words after a structure line's first word. */
void act_word(struct parser_state *ps, struct lex_tok *t)
{
	act_positional(ps, t);
}

void act_positional(struct parser_state *ps, struct lex_tok *t)
{
	struct mr_popt *o = add_opt(ps, &t->loc);

	add_arg(ps, o, word_of(t));
	if (ps->neg_next) {
		o->neg = true;
		o->neg_loc = ps->neg_loc;
		ps->neg_next = false;
	}
	ps->opt = NULL;
}

void act_bang(struct parser_state *ps, struct lex_tok *t)
{
	ps->neg_next = true;
	ps->neg_loc = t->loc;
}

void act_option(struct parser_state *ps, struct lex_tok *t)
{
	struct mr_popt *o = add_opt(ps, &t->loc);

	o->def = t->def;
	o->xt = t->xt;
	if (ps->neg_next) {
		o->neg = true;
		o->neg_loc = ps->neg_loc;
		ps->neg_next = false;
	}
	ps->opt = o;
}

void act_argbang(struct parser_state *ps, struct lex_tok *t)
{
	ps->neg_arg = true;
	ps->neg_arg_loc = t->loc;
}

void act_arg(struct parser_state *ps, struct lex_tok *t)
{
	struct mr_word w = word_of(t);

	if (ps->neg_arg) {
		w.neg = true;
		w.neg_loc = ps->neg_arg_loc;
		ps->neg_arg = false;
	}
	if (ps->opt)
		add_arg(ps, ps->opt, w);
}

void act_table(struct parser_state *ps, struct lex_tok *t)
{
	struct mr_pcmd *p = cur(ps, &t->loc);

	p->kind = MR_P_TABLE;
	p->name = word_of(t);
	/* drop the '*' but keep pointing at the word */
	p->name.text++;
}

/* Take the first option record off the line (the arena keeps it). */
static void drop_first(struct mr_pcmd *p)
{
	struct mr_popt *o = p->opts;

	p->opts = o->next;
	if (!p->opts)
		p->opts_tail = &p->opts;
	p->nopts--;
	o->next = NULL;
}

void act_chain(struct parser_state *ps, struct lex_tok *t)
{
	struct mr_pcmd *p = cur(ps, &t->loc);

	p->kind = MR_P_CHAIN;
	p->name = word_of(t);
	p->name.text++;
}

/* ":chain POLICY [p:b]": the words after the name. */
void act_chain_end(struct parser_state *ps)
{
	struct mr_pcmd *p = ps->cur;
	struct mr_popt *o = p ? p->opts : NULL;

	if (!o)
		return;
	p->policy = o->args[0];
	drop_first(p);
	o = p->opts;
	if (o && !parse_counters(o->args[0].text, &p->pkts, &p->bytes)) {
		p->has_counters = true;
		drop_first(p);
	}
}

void act_commit(struct parser_state *ps, struct lex_tok *t)
{
	cur(ps, &t->loc)->kind = MR_P_COMMIT;
}

static void reset_line(struct parser_state *ps)
{
	ps->cur = NULL;
	lexer_line_done(&ps->lx);
	ps->opt = NULL;
	ps->neg_next = ps->neg_arg = false;
	ps->line_bad = false;
}

/*
 * ipchains-save writes no "*table" and no "COMMIT": chain lines
 * (":input ACCEPT", ":ppp-in -") and "-A" lines without the tool's name.
 * Its first chain line outside a block opens a block of the legacy table,
 * handed on as if "*legacy" had been written, so that the file means what
 * a save file means: restore replaces the legacy table unless --noflush
 * (ipchains-restore -f flushed the chains it restored; dialects.md 3.8).
 * The block ends at the end of input, at a COMMIT, or before a table
 * header or a line with a tool word, none of which ipchains-save writes.
 */
static void hand_structure(struct parser_state *ps, uint8_t kind,
			   const struct mr_loc *loc)
{
	struct mr_pcmd p;

	memset(&p, 0, sizeof(p));
	p.kind = kind;
	p.dialect = MR_D_IPCHAINS;
	p.family = MR_FAM_IP;
	p.loc = *loc;
	p.opts_tail = &p.opts;
	if (kind == MR_P_TABLE) {
		p.name.text = arena_strndup(&ps->lx.arena, "legacy", 6);
		p.name.loc = *loc;
	}
	ps->stop = ps->fn(ps->data, &p);
}

/* Before line p is handed on: the blocks of ipchains-save files. */
static void chains_blocks(struct parser_state *ps, const struct mr_pcmd *p)
{
	if (ps->chains_block && (p->kind == MR_P_TABLE || p->tool.text)) {
		ps->chains_block = false;
		hand_structure(ps, MR_P_COMMIT, &p->loc);
	} else if (p->kind == MR_P_CHAIN && p->dialect == MR_D_IPCHAINS &&
		   !ps->in_table && !ps->chains_block) {
		ps->chains_block = true;
		ps->chains_loc = p->loc;
		hand_structure(ps, MR_P_TABLE, &p->loc);
	}
	if (p->kind == MR_P_TABLE)
		ps->in_table = true;
	else if (p->kind == MR_P_COMMIT)
		ps->in_table = ps->chains_block = false;
}

void act_line_end(struct parser_state *ps, struct lex_tok *nl)
{
	struct mr_pcmd *p = ps->cur;

	if (ps->neg_next && p) {
		erec_param(ps->errs, &ps->neg_loc,
			   "nothing appropriate following !");
		ps->nerrors++;
	} else if (p && !ps->stop && !ps->line_bad) {
		p->dialect = nl->dialect;
		p->family = nl->family;
		chains_blocks(ps, p);
		if (!ps->stop)
			ps->stop = ps->fn(ps->data, p);
	}
	reset_line(ps);
}

void act_line_drop(struct parser_state *ps)
{
	reset_line(ps);
}

int parse_src(const struct mr_src *src, const struct parse_opts *po,
	      struct erec_list *errs, parse_line_fn fn, void *data)
{
	struct parser_state ps;
	unsigned before = errs->nerrors;

	memset(&ps, 0, sizeof(ps));
	ps.errs = errs;
	ps.fn = fn;
	ps.data = data;
	lexer_init(&ps.lx, src, po, errs);
	mrp_parse(&ps);
	if (ps.chains_block && !ps.stop)
		hand_structure(&ps, MR_P_COMMIT, &ps.chains_loc);
	reset_line(&ps);
	lexer_destroy(&ps.lx);
	return (int)(errs->nerrors - before);
}
