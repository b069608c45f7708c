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
	struct mr_ruleset *rs;	/* legacy model, helpers, port forwards */
	bool script;
};

/* Commands that iptables-translate handles itself. */
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

static int tr_cmd(struct load *ld, struct mr_cmd *c)
{
	struct tr *t = ld->data;
	bool ok;

	if (rule_by_rule(c)) {
		ok = t->script ? print_cmd_nft_script(&t->out, c) :
				 print_cmd_nft(&t->out, c);
		if (!ok)
			erec_add(&ld->errs, EREC_ERROR, MR_EXIT_OTHER, &c->loc,
				 "Translation not implemented");
	} else {
		if (!t->rs)
			t->rs = model_new();
		model_apply(t->rs, c, &ld->errs);
	}
	ir_cmd_free(c);
	/* stream: what is translated goes out as it comes */
	if (t->out.len > 65536) {
		fwrite(t->out.s, 1, t->out.len, stdout);
		buf_reset(&t->out);
	}
	return 0;
}

static void print_lowered(struct tr *t, struct erec_list *errs)
{
	struct mr_ruleset *low;

	if (!t->rs)
		return;
	low = lower_ruleset(t->rs, errs);
	if (low)
		print_ruleset_nft(&t->out, low);
	model_free(low);
}

int cmd_translate(const struct cli_opts *o)
{
	struct tr t = { .script = o->file != NULL };
	struct mr_src *src;
	struct load ld;
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
	load_init(&ld, o->dialect, o->file != NULL);
	ld.on_cmd = tr_cmd;
	ld.data = &t;
	if (!load_src(&ld, src))
		print_lowered(&t, &ld.errs);
	if (!ld.errs.nerrors && t.out.len)
		fwrite(t.out.s, 1, t.out.len, stdout);
	rc = report(&ld.errs);
	load_destroy(&ld);
	model_free(t.rs);
	buf_free(&t.out);
	src_free(src);
	return rc;
}
