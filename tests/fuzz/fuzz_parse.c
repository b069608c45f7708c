/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer entry point for the front end.  The input is read as a file
 * (tool words, save blocks, comments) through the whole path of
 * `masqrule save` and `masqrule translate -f`: parse, eval, model_apply,
 * the nft script printer, the save printer, lowering and the nft ruleset
 * printer, and every error record is formatted.  Everything is freed, so
 * LeakSanitizer reports what is not.
 *
 * The first byte picks the options:
 *   bits 0-3  dialect of lines without a tool word (mod MR_D_COUNT)
 *   bit 4     MR_PF_COUNTERS for the save printer
 *   bit 5     MR_PF_IPTABLES for the save printer
 *   bit 6     read as a command line (po.file = false)
 *
 * With MR_FUZZ_FIXPOINT=1 in the environment, the save output is read back
 * and must print the same again (abort otherwise).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "erec.h"
#include "eval.h"
#include "ir.h"
#include "lower.h"
#include "model.h"
#include "parse.h"
#include "print.h"
#include "src.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static bool fixpoint;

struct fz {
	struct erec_list errs;
	struct eval_ctx ev;
	struct mr_ruleset *rs;
	struct mr_buf nft;
	unsigned ncmds;
};

/* The commands translate prints one by one (as cli/translate.c decides). */
static bool rule_by_rule(const struct mr_cmd *c)
{
	if (c->table == MR_T_LEGACY)
		return false;
	switch (c->op) {
	case MR_OP_MASQ_TIMEOUTS: case MR_OP_HELPER: case MR_OP_NOP:
	case MR_OP_PORTFW_ADD: case MR_OP_PORTFW_DEL: case MR_OP_PORTFW_FLUSH:
	case MR_OP_AUTOFW_ADD: case MR_OP_AUTOFW_DEL: case MR_OP_AUTOFW_FLUSH:
	case MR_OP_MFW_ADD: case MR_OP_MFW_DEL: case MR_OP_MFW_FLUSH:
		return false;
	}
	return c->dialect == MR_D_NATIVE || c->dialect == MR_D_IPTABLES ||
	       c->dialect == MR_D_IP6TABLES;
}

static int on_line(void *data, struct mr_pcmd *p)
{
	struct fz *f = data;
	struct mr_cmd *cmds = NULL, **tail = &cmds, *c, *next;

	if (eval_pcmd(&f->ev, p, &tail)) {
		/* the contract: nothing appended on error */
		if (cmds)
			abort();
		return 0;
	}
	for (c = cmds; c; c = next) {
		next = c->next;
		c->next = NULL;
		f->ncmds++;
		if (rule_by_rule(c))
			print_cmd_nft_script(&f->nft, c);
		if (c->op == MR_OP_TABLE_BEGIN)
			model_flush_table(model_table(f->rs, c->family,
						      c->table));
		model_apply(f->rs, c, &f->errs);
		ir_cmd_free(c);
	}
	/* keep memory bounded on long inputs */
	if (f->nft.len > 65536)
		buf_reset(&f->nft);
	return 0;
}

static void format_errors(const struct erec_list *errs)
{
	const struct erec *e;
	struct mr_buf b;

	buf_init(&b);
	for (e = errs->head; e; e = e->next) {
		erec_format(&b, e);
		buf_reset(&b);
	}
	buf_free(&b);
}

/* Read text into a model; the caller frees it.  Returns the error count. */
static unsigned load(const struct mr_src *src, uint8_t dialect, bool file,
		     struct fz *f)
{
	struct parse_opts po = {
		.dialect = dialect,
		.family = dialect == MR_D_IP6TABLES ? MR_FAM_IP6 : MR_FAM_IP,
		.file = file,
	};
	struct mr_loc end = { .src = src };

	memset(f, 0, sizeof(*f));
	erec_init(&f->errs);
	eval_init(&f->ev, &f->errs);
	buf_init(&f->nft);
	f->rs = model_new();
	parse_src(src, &po, &f->errs, on_line, f);
	eval_finish(&f->ev, &end);
	format_errors(&f->errs);
	return f->errs.nerrors;
}

static void unload(struct fz *f)
{
	model_free(f->rs);
	buf_free(&f->nft);
	erec_free(&f->errs);
}

static void lower_and_print(const struct mr_ruleset *rs)
{
	struct erec_list errs;
	struct mr_ruleset *low;
	struct mr_buf b;

	erec_init(&errs);
	buf_init(&b);
	low = lower_ruleset(rs, &errs);
	if (low)
		print_ruleset_nft(&b, low);
	model_free(low);
	format_errors(&errs);
	erec_free(&errs);
	buf_free(&b);
}

/* What save prints must read back (as native text) to the same print. */
static void check_fixpoint(const struct mr_buf *first, unsigned flags)
{
	struct mr_src *src;
	struct mr_buf again;
	struct fz f;

	src = src_from_string("<save>", first->s, first->len);
	if (load(src, MR_D_NATIVE, true, &f)) {
		fprintf(stderr, "fixpoint: save output does not read back:\n%s",
			first->s);
		abort();
	}
	buf_init(&again);
	buf_add(&again, "");
	print_ruleset_save(&again, f.rs, flags);
	if (strcmp(again.s, first->s)) {
		fprintf(stderr, "fixpoint: first\n%s\nsecond\n%s",
			first->s, again.s);
		abort();
	}
	buf_free(&again);
	unload(&f);
	src_free(src);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *e = getenv("MR_FUZZ_FIXPOINT");

	fixpoint = e && *e == '1';
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t dialect, flags = 0;
	struct mr_src *src;
	struct mr_buf b;
	struct fz f;
	bool file;

	if (size < 1)
		return 0;
	dialect = (uint8_t)((data[0] & 0x0f) % MR_D_COUNT);
	if (data[0] & 0x10)
		flags |= MR_PF_COUNTERS;
	if (data[0] & 0x20)
		flags |= MR_PF_IPTABLES;
	file = !(data[0] & 0x40);

	src = src_from_string(file ? "<fuzz>" : "<cmdline>",
			      (const char *)data + 1, size - 1);
	src->cmdline = !file;
	load(src, dialect, file, &f);

	buf_init(&b);
	buf_add(&b, "");
	print_ruleset_save(&b, f.rs, flags);
	if (!f.errs.nerrors) {
		lower_and_print(f.rs);
		if (fixpoint && !(flags & MR_PF_IPTABLES))
			check_fixpoint(&b, flags);
	}
	buf_free(&b);
	unload(&f);
	src_free(src);
	return 0;
}
