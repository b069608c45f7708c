// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * masqrule restore [--noflush] [--test] [-f FILE]: an iptables-save file,
 * masqrule save output or a command file (stdin without -f) applied on
 * top of the kernel's model -- a table block replaces its table unless
 * --noflush, as iptables-restore does -- then installed in one batch.  An
 * error anywhere in the input changes nothing.
 */
#include <stdio.h>
#include <string.h>
#include "backend.h"
#include "cli.h"
#include "helpers.h"
#include "kmodel.h"
#include "load.h"
#include "model.h"
#include "report.h"

struct rst {
	struct mr_ruleset *rs;
	bool noflush;
	bool pf_seen;			/* model_restore_flush() */
	uint8_t dialect;
	const struct mr_src *src;
	struct backend_skip skip;	/* the tables the input replaces */
};

static void restore_apply(struct rst *r, struct mr_cmd *c,
			  struct erec_list *errs)
{
	if (!r->noflush)
		model_restore_flush(r->rs, c, &r->pf_seen);
	if (!helper_kernel_refuse(c, errs))
		model_apply(r->rs, c, errs);
	ir_cmd_free(c);
}

static int restore_cmd(struct load *ld, struct mr_cmd *c)
{
	restore_apply(ld->data, c, &ld->errs);
	return 0;
}

/* Only the errors: the warnings of the input were given by the first
 * parse. */
static void splice_errors(struct erec_list *to, const struct erec_list *from)
{
	const struct erec *e;

	for (e = from->head; e; e = e->next)
		if (e->kind == EREC_ERROR)
			erec_add(to, e->kind, e->exit_code,
				 e->loc.src ? &e->loc : NULL, "%s", e->msg);
}

/*
 * kmodel_update()'s change: the input parsed again (parsing is cheap; the
 * commands kept from the first parse cost more memory than that) and
 * applied to the model just read (again, if another writer committed
 * meanwhile).
 */
static int restore_change(struct kmodel *km, void *arg,
			  struct erec_list *errs)
{
	struct rst *r = arg;
	unsigned nerr = errs->nerrors;
	struct load ld;

	r->rs = km->rs;
	r->pf_seen = false;
	load_init(&ld, r->dialect, true);
	ld.on_cmd = restore_cmd;
	ld.data = r;
	load_src(&ld, r->src);
	splice_errors(errs, &ld.errs);
	load_destroy(&ld);
	return errs->nerrors == nerr ? 1 : -1;
}

/* First parse: which tables the input replaces. */
static int scan_cmd(struct load *ld, struct mr_cmd *c)
{
	struct rst *r = ld->data;

	if (c->op == MR_OP_TABLE_BEGIN && c->table < MR_T_COUNT &&
	    !r->noflush)
		r->skip.table[c->family == MR_FAM_IP6][c->table] = true;
	ir_cmd_free(c);
	return 0;
}

/*
 * The input parsed before the kernel is read: its errors stop here, and
 * the tables it replaces need not be read back (at 50,000 rules the read
 * cost more than the restore).  0, or -1 with the errors in errs.
 */
static int scan_input(struct rst *r, struct erec_list *errs)
{
	struct load ld;
	int rc;

	load_init(&ld, r->dialect, true);
	ld.on_cmd = scan_cmd;
	ld.data = r;
	load_src(&ld, r->src);
	rc = ld.errs.nerrors ? -1 : 0;
	erec_splice(errs, &ld.errs);
	load_destroy(&ld);
	return rc;
}

static int restore_args(const struct cli_opts *o, struct rst *r,
			unsigned *flags, const char **file)
{
	int i;

	for (i = 0; i < o->argc; i++) {
		const char *a = o->argv[i];

		if (!strcmp(a, "--noflush") || !strcmp(a, "-n")) {
			r->noflush = true;
		} else if (!strcmp(a, "--test") || !strcmp(a, "-t")) {
			*flags |= BACKEND_F_TEST;
		} else if (!strcmp(a, "-f") && i + 1 < o->argc) {
			*file = o->argv[++i];
		} else {
			fprintf(stderr, "masqrule restore: unknown option `%s'\n", a);
			return -1;
		}
	}
	return 0;
}

int cmd_restore(const struct cli_opts *o)
{
	const char *file = o->file ? o->file : "-";
	struct rst r = { .dialect = o->dialect };
	struct erec_list errs;
	unsigned flags = 0;
	struct mr_src *src;
	struct kmodel km;
	int rc;

	if (restore_args(o, &r, &flags, &file))
		return 2;
	src = src_from_file(file);
	if (!src) {
		perror(file);
		return 1;
	}
	r.src = src;
	erec_init(&errs);
	memset(&km, 0, sizeof(km));
	if (!scan_input(&r, &errs))
		kmodel_update(&km, &r.skip, restore_change, &r, flags, &errs);
	/* before kmodel_free: messages may point into the kernel's text */
	rc = report(&errs);
	kmodel_free(&km);
	erec_free(&errs);
	src_free(src);
	return rc;
}
