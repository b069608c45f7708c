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
#include "kmodel.h"
#include "load.h"
#include "model.h"
#include "report.h"

struct rst {
	struct mr_ruleset *rs;
	bool noflush;
};

static int restore_cmd(struct load *ld, struct mr_cmd *c)
{
	struct rst *r = ld->data;

	if (c->op == MR_OP_TABLE_BEGIN && !r->noflush)
		model_flush_table(model_table(r->rs, c->family, c->table));
	model_apply(r->rs, c, &ld->errs);
	ir_cmd_free(c);
	return 0;
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
	struct rst r = { 0 };
	unsigned flags = 0;
	struct mr_src *src;
	struct kmodel km;
	struct load ld;
	int rc;

	if (restore_args(o, &r, &flags, &file))
		return 2;
	src = src_from_file(file);
	if (!src) {
		perror(file);
		return 1;
	}
	load_init(&ld, o->dialect, true);
	if (!kmodel_read(&km, &ld.errs)) {
		r.rs = km.rs;
		ld.on_cmd = restore_cmd;
		ld.data = &r;
		load_src(&ld, src);
		if (!ld.errs.nerrors)
			kmodel_install(km.rs, km.src, flags, &ld.errs);
	}
	/* before kmodel_free: messages may point into the kernel's text */
	rc = report(&ld.errs);
	kmodel_free(&km);
	load_destroy(&ld);
	src_free(src);
	return rc;
}
