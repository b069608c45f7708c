/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Evaluation: the one place where meaning is decided.  A parsed line
 * (struct mr_pcmd) becomes zero or more checked commands (struct mr_cmd):
 * defaults, dialect quirks, and located errors.
 */
#ifndef MR_EVAL_H
#define MR_EVAL_H

#include "erec.h"
#include "ir.h"
#include "opt.h"

struct eval_ctx {
	struct erec_list *errs;
	/* save-file state: inside "*table" ... "COMMIT" */
	bool in_block;
	uint8_t block_table;
	uint8_t block_family;
	uint8_t block_dialect;
	struct mr_loc block_loc;
};

void eval_init(struct eval_ctx *ctx, struct erec_list *errs);
/* At end of input: an open block without COMMIT is an error. */
int eval_finish(struct eval_ctx *ctx, const struct mr_loc *end);

/*
 * Evaluate one line; append the commands to *tail (advanced).  Returns 0,
 * or -1 with errors queued (nothing appended).
 */
int eval_pcmd(struct eval_ctx *ctx, const struct mr_pcmd *p,
	      struct mr_cmd ***tail);

/* Per dialect (eval_<dialect>.c); same contract as eval_pcmd. */
int eval_iptables(struct eval_ctx *ctx, const struct mr_pcmd *p,
		  struct mr_cmd ***tail);
int eval_ipchains(struct eval_ctx *ctx, const struct mr_pcmd *p,
		  struct mr_cmd ***tail);
int eval_ipfwadm(struct eval_ctx *ctx, const struct mr_pcmd *p,
		 struct mr_cmd ***tail);
int eval_ipmasqadm(struct eval_ctx *ctx, const struct mr_pcmd *p,
		   struct mr_cmd ***tail);
int eval_ipportfw(struct eval_ctx *ctx, const struct mr_pcmd *p,
		  struct mr_cmd ***tail);
int eval_module(struct eval_ctx *ctx, const struct mr_pcmd *p,
		struct mr_cmd ***tail);

/* "ACCEPT", "DROP", "-" (and DENY, REJECT, MASQ in the legacy table). */
int eval_policy_word(const char *w, uint8_t table, uint16_t *out);

/* Option tables of each dialect, for the lexer (dialect.c). */
const struct mr_optdef *dialect_opts(uint8_t dialect);
/* How a dialect reads its argv: see lexer.c. */
enum dialect_style {
	MR_STYLE_GNU,		/* getopt_long with permutation, long abbrevs */
	MR_STYLE_MODULES,	/* + iptables extension tables via -m/-p/-j */
	MR_STYLE_WORDS,		/* module lines: options and plain words */
};
uint8_t dialect_style(uint8_t dialect);

#endif
