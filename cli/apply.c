// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Applying commands to the running ruleset.  The kernel is the only state:
 * the user-level model is read back from masqrule's tables (kmodel.h),
 * the command is applied to it with the checks of its tool, and the
 * result is lowered and installed in one batch.  Listing commands print
 * from the model read back.
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "helpers.h"
#include "kmodel.h"
#include "list.h"
#include "load.h"
#include "masq.h"
#include "model.h"
#include "print.h"
#include "report.h"

/* -L / -S / portfw -l: print from the model read back (compat/list.h). */
static int list_cmd(struct mr_ruleset *rs, const struct mr_cmd *c,
		    struct erec_list *errs)
{
	struct mr_buf b;
	int rc;

	buf_init(&b);
	rc = list_command(&b, rs, c, errs);
	if (b.len)
		fwrite(b.s, 1, b.len, stdout);
	buf_free(&b);
	return rc;
}

/* Apply each command to the model; 1 if one of them changes it. */
static int run_cmds(struct kmodel *km, struct mr_cmd *c,
		    struct erec_list *errs, bool *changed)
{
	for (; c; c = c->next) {
		if (model_cmd_refused(c)) {
			erec_add(errs, EREC_ERROR, MR_EXIT_OTHER, &c->loc,
				 "the kernel backend cannot do this yet (issue 3)");
			return -1;
		}
		if (c->op == MR_OP_LIST || c->op == MR_OP_LIST_RULES ||
		    c->op == MR_OP_PORTFW_LIST) {
			if (list_cmd(km->rs, c, errs))
				return -1;
			if (c->op != MR_OP_LIST || !(c->lflags & MR_LF_ZERO))
				continue;
			/* -L -Z: listed above, now zeroed (a reinstall
			 * with the counters at 0) */
			c->op = MR_OP_ZERO;
			c->rulenum = 0;
		}
		if (c->op == MR_OP_MASQ_LIST) {
			if (masq_list_cmd(c, errs))
				return -1;
			continue;
		}
		if (helper_kernel_refuse(c, errs) || model_apply(km->rs, c, errs))
			return -1;
		*changed |= model_cmd_changes(c);
	}
	return 0;
}

struct apply_arg {
	const struct cli_opts *o;
	const struct mr_src *src;
};

/*
 * kmodel_update()'s change: the commands on the model just read.  Each
 * try parses the line again (model_apply() takes the rules), with the
 * messages of the first parse already given.
 */
static int apply_change(struct kmodel *km, void *arg, struct erec_list *errs)
{
	struct apply_arg *a = arg;
	struct mr_cmd *cmds;
	struct load ld;
	bool changed = false;
	int rc;

	cmds = load_cmds(&ld, a->o->dialect, a->src);
	rc = ld.errs.nerrors ? -1 : run_cmds(km, cmds, errs, &changed);
	ir_cmd_list_free(cmds);
	load_destroy(&ld);
	return rc < 0 ? -1 : changed;
}

int cmd_apply(const struct cli_opts *o)
{
	struct mr_src *src = src_from_argv(o->argc, o->argv);
	struct apply_arg a = { .o = o, .src = src };
	struct kmodel km;
	struct mr_cmd *cmds;
	struct load ld;
	int rc = 1;

	memset(&km, 0, sizeof(km));
	cmds = load_cmds(&ld, o->dialect, src);
	/* one rule command of a netfilter table: done in place (fast) */
	if (!ld.errs.nerrors && cmds && !cmds->next && !model_cmd_refused(cmds))
		rc = kmodel_edit(cmds, 0, &ld.errs);
	if (!ld.errs.nerrors && rc == 1)
		kmodel_update(&km, NULL, apply_change, &a, 0, &ld.errs);
	/* before kmodel_free: messages may point into the kernel's text */
	rc = report_cmdline(&ld.errs, o->dialect);
	kmodel_free(&km);
	ir_cmd_list_free(cmds);
	load_destroy(&ld);
	src_free(src);
	return rc;
}
