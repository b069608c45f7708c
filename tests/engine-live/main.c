// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mr-engine-live: `masqrule engine' without masqrule's subcommand table,
 * for tests/engine-live/seed.sh.  Called as `mr-engine-live engine ARGS',
 * the words masqrule itself would get.
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "ir.h"

int cmd_engine(const struct cli_opts *o);

int main(int argc, char **argv)
{
	struct cli_opts o = { .dialect = MR_D_NATIVE };

	if (argc < 2 || strcmp(argv[1], "engine")) {
		fputs("usage: mr-engine-live engine ARGS...\n", stderr);
		return 2;
	}
	o.argc = argc - 2;
	o.argv = argv + 2;
	return cmd_engine(&o);
}
