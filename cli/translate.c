// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * masqrule translate: nft text.  iptables-model commands translate one by
 * one, as iptables-translate (command line) and iptables-restore-translate
 * (files) print them.  Legacy-model input means nothing rule by rule: it is
 * applied to a model, lowered (architecture section 4) and printed as one
 * nft -f script.
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "load.h"
#include "lower.h"
#include "model.h"
#include "print.h"
#include "report.h"

struct tr {
	struct mr_buf out;
	struct mr_ruleset *rs;	/* model mode: everything goes here */
	bool script;		/* -f: iptables-restore-translate's form */
	bool model;
};

/* What iptables-translate translates one command at a time. */
static bool rule_by_rule(const struct mr_cmd *c)
{
	if (c->table == MR_T_LEGACY)
		return false;
	if (c->dialect != MR_D_NATIVE && c->dialect != MR_D_IPTABLES &&
	    c->dialect != MR_D_IP6TABLES)
		return false;
	switch (c->op) {
	case MR_OP_APPEND: case MR_OP_INSERT: case MR_OP_FLUSH:
	case MR_OP_NEW_CHAIN: case MR_OP_DEL_CHAIN: case MR_OP_LIST:
	case MR_OP_POLICY: case MR_OP_TABLE_BEGIN: case MR_OP_CHAIN_DECL:
	case MR_OP_COMMIT:
		return true;
	}
	return false;
}

/*
 * Streaming: print each command as it comes.  The first command that has
 * no meaning rule by rule (legacy chains, helpers, -D, -R ...) stops the
 * stream; the input is then read again into a model (model mode).
 */
static int tr_cmd(struct load *ld, struct mr_cmd *c)
{
	struct tr *t = ld->data;
	bool ok;

	if (t->model) {
		model_apply(t->rs, c, &ld->errs);
		ir_cmd_free(c);
		return 0;
	}
	if (!rule_by_rule(c) && (t->script || c->op != MR_OP_DELETE)) {
		ir_cmd_free(c);
		t->model = true;
		return 1;
	}
	ok = t->script ? print_cmd_nft_script(&t->out, c) :
			 print_cmd_nft(&t->out, c);
	if (!ok)
		erec_add(&ld->errs, EREC_ERROR, MR_EXIT_OTHER, &c->loc,
			 "Translation not implemented");
	/* kept until the end: a later command may call for model mode */
	ir_cmd_free(c);
	return 0;
}

static void print_lowered(struct tr *t, struct erec_list *errs)
{
	struct mr_ruleset *low = lower_ruleset(t->rs, errs);

	if (low)
		print_ruleset_nft(&t->out, low);
	model_free(low);
}

static int run(struct tr *t, const struct cli_opts *o,
	       const struct mr_src *src)
{
	struct load ld;
	int rc;

	load_init(&ld, o->dialect, o->file != NULL);
	ld.on_cmd = tr_cmd;
	ld.data = t;
	load_src(&ld, src);
	if (t->model && t->rs && !ld.errs.nerrors)
		print_lowered(t, &ld.errs);
	if (ld.stop && !ld.errs.nerrors) {
		/* stopped by a command that needs the model: start again */
		load_destroy(&ld);
		return -1;
	}
	if (!ld.errs.nerrors && t->out.len)
		fwrite(t->out.s, 1, t->out.len, stdout);
	rc = report(&ld.errs);
	load_destroy(&ld);
	return rc;
}

int cmd_translate(const struct cli_opts *o)
{
	struct tr t = { .script = o->file != NULL };
	struct mr_src *src;
	int rc;

	if (o->file)
		src = src_from_file(o->file);
	else
		src = src_from_argv(o->argc, o->argv);
	if (!src) {
		perror(o->file);
		return 1;
	}
	buf_init(&t.out);
	rc = run(&t, o, src);
	if (rc < 0) {
		buf_reset(&t.out);
		t.rs = model_new();
		rc = run(&t, o, src);
	}
	model_free(t.rs);
	buf_free(&t.out);
	src_free(src);
	return rc;
}
