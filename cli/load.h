/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading input: parse, evaluate, and hand each command to a consumer. */
#ifndef MR_CLI_LOAD_H
#define MR_CLI_LOAD_H

#include "erec.h"
#include "eval.h"
#include "ir.h"
#include "parse.h"
#include "src.h"

struct load {
	struct erec_list errs;
	struct eval_ctx ev;
	struct parse_opts po;
	/* Takes each evaluated command; frees it or keeps it.  Return
	 * non-zero to stop reading. */
	int (*on_cmd)(struct load *ld, struct mr_cmd *c);
	void *data;
	unsigned ncmds;
	int stop;
};

void load_init(struct load *ld, uint8_t dialect, bool file);
/* Parse and evaluate src; returns the number of errors so far. */
unsigned load_src(struct load *ld, const struct mr_src *src);
/* A command line (not a file) into ld, its commands kept in order: the
 * list is the caller's to free (ir_cmd_list_free), errors in ld->errs. */
struct mr_cmd *load_cmds(struct load *ld, uint8_t dialect,
			 const struct mr_src *src);
void load_destroy(struct load *ld);

#endif
