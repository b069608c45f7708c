// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Applying commands to a running ruleset.  The kernel backend and the
 * engine are later work (issues 3 and 4); until one is built, a command
 * is checked in full and then refused with a clear message, so scripts
 * learn what is wrong with their rules already.
 */
#include <stdio.h>
#include "cli.h"
#include "load.h"
#include "report.h"

static int drop_cmd(struct load *ld, struct mr_cmd *c)
{
	ir_cmd_free(c);
	return 0;
}

int cmd_apply(const struct cli_opts *o)
{
	struct mr_src *src = src_from_argv(o->argc, o->argv);
	struct load ld;
	int rc;

	load_init(&ld, o->dialect, false);
	ld.on_cmd = drop_cmd;
	load_src(&ld, src);
	rc = report_cmdline(&ld.errs, o->dialect);
	if (!rc) {
		fputs("masqrule: the command is valid, but no backend to apply it "
		      "is built yet (kernel backend: issue 3); use 'masqrule "
		      "translate' to see its nftables form\n", stderr);
		rc = 1;
	}
	load_destroy(&ld);
	src_free(src);
	return rc;
}
