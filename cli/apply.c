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
#include "kmodel.h"
#include "list.h"
#include "load.h"
#include "model.h"
#include "print.h"
#include "report.h"

struct cmds {
	struct mr_cmd *head, **tail;
};

static int keep_cmd(struct load *ld, struct mr_cmd *c)
{
	struct cmds *l = ld->data;

	*l->tail = c;
	l->tail = &c->next;
	return 0;
}

/* Commands that change the ruleset (and so need an install). */
static bool changes(const struct mr_cmd *c)
{
	switch (c->op) {
	case MR_OP_CHECK: case MR_OP_LIST: case MR_OP_LIST_RULES:
	case MR_OP_MASQ_LIST: case MR_OP_PORTFW_LIST: case MR_OP_AUTOFW_LIST:
	case MR_OP_MFW_LIST: case MR_OP_HELP: case MR_OP_VERSION:
	case MR_OP_NOP: case MR_OP_COMMIT:
		return false;
	}
	return true;
}

/* What the model has no place for yet: refused, not silently lost. */
static bool unsupported(const struct mr_cmd *c)
{
	switch (c->op) {
	case MR_OP_AUTOFW_ADD: case MR_OP_AUTOFW_DEL: case MR_OP_AUTOFW_FLUSH:
	case MR_OP_AUTOFW_LIST: case MR_OP_MFW_ADD: case MR_OP_MFW_DEL:
	case MR_OP_MFW_FLUSH: case MR_OP_MFW_LIST: case MR_OP_PACKET_CHECK:
	case MR_OP_MASQ_LIST: case MR_OP_PORTFW_LIST:
		return true;
	}
	return false;
}

static unsigned list_flags(const struct mr_cmd *c)
{
	unsigned f = 0;

	if (c->dialect == MR_D_IPTABLES || c->dialect == MR_D_IP6TABLES ||
	    c->table != MR_T_LEGACY)
		f |= MR_PF_IPTABLES;
	if (c->family == MR_FAM_IP6)
		f |= MR_PF_IP6;
	if (c->lflags & MR_LF_VERBOSE)
		f |= MR_PF_COUNTERS;
	return f;
}

/* -L / -S: print the table of the command from the model read back. */
static int list_cmd(struct mr_ruleset *rs, const struct mr_cmd *c,
		    struct erec_list *errs)
{
	struct mr_table *t = model_table(rs, c->family, c->table);
	struct mr_buf b;

	if (c->chain && !model_chain_find(t, c->chain)) {
		erec_add(errs, EREC_ERROR, MR_EXIT_OTHER, &c->loc,
			 "No chain/target/match by that name.");
		return -1;
	}
	buf_init(&b);
	if (c->op == MR_OP_LIST_RULES)
		print_table_rules(&b, t, c->chain, list_flags(c));
	else
		list_iptables(&b, t, c->chain, c->lflags);
	if (b.len)
		fwrite(b.s, 1, b.len, stdout);
	buf_free(&b);
	return 0;
}

/* Apply each command to the model; 1 if one of them changes it. */
static int run_cmds(struct kmodel *km, struct mr_cmd *c,
		    struct erec_list *errs, bool *changed)
{
	for (; c; c = c->next) {
		if (unsupported(c)) {
			erec_add(errs, EREC_ERROR, MR_EXIT_OTHER, &c->loc,
				 "the kernel backend cannot do this yet (issue 3)");
			return -1;
		}
		if (c->op == MR_OP_LIST || c->op == MR_OP_LIST_RULES) {
			if (list_cmd(km->rs, c, errs))
				return -1;
			continue;
		}
		if (model_apply(km->rs, c, errs))
			return -1;
		*changed |= changes(c);
	}
	return 0;
}

int cmd_apply(const struct cli_opts *o)
{
	struct mr_src *src = src_from_argv(o->argc, o->argv);
	struct cmds l = { .tail = &l.head };
	struct kmodel km;
	bool changed = false;
	struct load ld;
	int rc;

	load_init(&ld, o->dialect, false);
	ld.on_cmd = keep_cmd;
	ld.data = &l;
	load_src(&ld, src);
	memset(&km, 0, sizeof(km));
	if (!ld.errs.nerrors && !kmodel_read(&km, &ld.errs) &&
	    !run_cmds(&km, l.head, &ld.errs, &changed) && changed)
		kmodel_install(km.rs, km.src, 0, &ld.errs);
	/* before kmodel_free: messages may point into the kernel's text */
	rc = report_cmdline(&ld.errs, o->dialect);
	kmodel_free(&km);
	ir_cmd_list_free(l.head);
	load_destroy(&ld);
	src_free(src);
	return rc;
}
