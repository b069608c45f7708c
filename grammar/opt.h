/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Option vocabularies and the parser's output.
 *
 * Each dialect (and each iptables extension) has a table of options with
 * their arity.  The lexer (lexer.c) classifies argv-like words with these
 * tables into option and argument tokens; the grammar (parser.y) builds
 * struct mr_pcmd from them; eval (eval_*.c) decides what they mean.
 */
#ifndef MR_OPT_H
#define MR_OPT_H

#include <stdbool.h>
#include <stdint.h>
#include "ir.h"

enum mr_arity {
	MR_A0,		/* flag */
	MR_A1,		/* one argument, taken whatever it looks like */
	MR_A2,
	MR_A3,
	MR_AQ,		/* optional argument: the next word unless it starts with '-' */
	MR_A1Q,		/* one argument, then an optional one (-I chain [num]) */
	MR_AQQ,		/* up to two optional arguments (-S [chain [num]]) */
	MR_AV,		/* one argument, then every following word not starting with '-' */
};

enum {
	MR_OF_INV = 1 << 0,	/* may be negated with '!' */
	MR_OF_CMD = 1 << 1,	/* a command (-A, -L ...), not a parameter */
	MR_OF_NOABBREV = 1 << 2,	/* long form must be spelt out */
	/* for the lexer of iptables-like dialects: */
	MR_OF_LOADMATCH = 1 << 3,	/* -m NAME loads match NAME's options */
	MR_OF_LOADTARGET = 1 << 4,	/* -j NAME loads target NAME's options */
	MR_OF_PROTO = 1 << 5,		/* -p NAME: its match may load implicitly */
	MR_OF_FAMILY = 1 << 6,		/* -4 / -6 (id 4 or 6) */
};

struct mr_optdef {
	const char *lname;	/* long name without "--"; NULL ends a table */
	char sname;		/* short letter, 0 if none */
	uint8_t arity;		/* enum mr_arity */
	uint8_t flags;		/* MR_OF_* */
	uint16_t id;		/* meaning, per table */
};

struct mr_xt;

/* One argument word of an option. */
struct mr_word {
	char *text;		/* owned */
	struct mr_loc loc;
	bool neg;		/* preceded by '!' (-s ! addr) */
	struct mr_loc neg_loc;
};

/* One option occurrence. */
struct mr_popt {
	struct mr_popt *next;
	const struct mr_optdef *def;	/* NULL: a stray positional word in args[0] */
	const struct mr_xt *xt;		/* the extension that owns it, or NULL */
	struct mr_loc loc;		/* the option word (or letter in a cluster) */
	bool neg;			/* '!' before the option */
	struct mr_loc neg_loc;
	uint8_t nargs;
	struct mr_word *args;		/* nargs words: args_in or owned */
	struct mr_word args_in[3];	/* room for most options' arguments */
};

enum mr_pkind {
	MR_P_LINE,		/* a command line: opts */
	MR_P_TABLE,		/* "*table [family]": name, family word in opts args */
	MR_P_CHAIN,		/* ":chain policy [p:b]" */
	MR_P_COMMIT,		/* COMMIT */
};

/* One parsed line. */
struct mr_pcmd {
	struct mr_pcmd *next;
	uint8_t kind;		/* enum mr_pkind */
	uint8_t dialect;	/* enum mr_dialect */
	uint8_t family;		/* ip6tables, '*nat ip6', -6 */
	struct mr_loc loc;	/* the whole line */
	struct mr_word tool;	/* tool word as written (text NULL if none) */
	struct mr_word name;	/* TABLE: table; CHAIN: chain */
	struct mr_word policy;	/* CHAIN: policy word */
	bool has_counters;	/* "[p:b]" before a rule or after a chain */
	uint64_t pkts, bytes;
	struct mr_popt *opts, **opts_tail;
	unsigned nopts;
};

void popt_free(struct mr_popt *o);
void pcmd_free(struct mr_pcmd *p);
void pcmd_list_free(struct mr_pcmd *p);

/* Look an option up by long name (exact, then unique prefix unless
 * MR_OF_NOABBREV), or by short letter.  NULL if none; *ambiguous set when
 * a prefix matched several. */
const struct mr_optdef *opt_find_long(const struct mr_optdef *tab,
				      const char *name, size_t len,
				      bool *ambiguous);
const struct mr_optdef *opt_find_exact(const struct mr_optdef *tab,
				       const char *name, size_t len);
const struct mr_optdef *opt_find_prefix(const struct mr_optdef *tab,
					const char *name, size_t len,
					bool *ambiguous);
const struct mr_optdef *opt_find_short(const struct mr_optdef *tab, char c);

/* "--dport" or "-p" for messages */
const char *opt_display(const struct mr_popt *o, char *buf, size_t len);

/* Negated with '!' before the option or before its first argument. */
static inline bool popt_neg(const struct mr_popt *o)
{
	return o->neg || (o->nargs > 0 && o->args[0].neg);
}

#endif
