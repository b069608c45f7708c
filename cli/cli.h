/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The subcommands of the masqrule program. */
#ifndef MR_CLI_H
#define MR_CLI_H

#include <stdbool.h>
#include <stdint.h>

struct cli_opts {
	uint8_t dialect;
	const char *file;	/* -f FILE */
	unsigned flags;		/* MR_PF_* for save */
	bool engine;		/* --backend engine: the userspace engine */
	const char *socket;	/* --socket PATH: its control socket */
	int argc;		/* the rest: command words */
	char **argv;
};

int cmd_translate(const struct cli_opts *o);
int cmd_save(const struct cli_opts *o);
int cmd_check(const struct cli_opts *o);
int cmd_apply(const struct cli_opts *o);
int cmd_restore(const struct cli_opts *o);
int cmd_engine(const struct cli_opts *o);
/* --backend engine: the same commands on a running engine (engine_client.c) */
int cmd_engine_apply(const struct cli_opts *o);
int cmd_engine_restore(const struct cli_opts *o);
int cmd_engine_save(const struct cli_opts *o);

#endif
