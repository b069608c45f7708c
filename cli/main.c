// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * masqrule: the program.  argv[0] says which tool it stands in for;
 * otherwise the first word names a subcommand, or the words are a
 * command in the chosen dialect.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "argv0.h"
#include "cli.h"
#include "ir.h"
#include "print.h"

#define MR_VERSION "0.1.0"

static void usage(FILE *f)
{
	fputs("usage: masqrule [--dialect NAME] COMMAND...\n"
	      "       masqrule translate [--dialect NAME] [--] ARGS...\n"
	      "       masqrule translate [--dialect NAME] -f FILE\n"
	      "       masqrule save [--dialect NAME] [--iptables] [-c] [-f FILE]\n"
	      "       masqrule restore [--noflush] [--test] [-f FILE]\n"
	      "       masqrule check [--dialect NAME] -f FILE\n"
	      "       masqrule engine --inside IF=ADDR/LEN --outside IF=ADDR/LEN\n"
	      "                       [--gateway ADDR] [--rules FILE] [--dialect D]\n"
	      "                       [--socket PATH] [--user NAME]\n"
	      "       masqrule --backend engine [--socket PATH]\n"
	      "                COMMAND... | save [-c] | restore [-f FILE]\n"
	      "\n"
	      "dialects: masqrule (default), iptables, ip6tables, ipchains,\n"
	      "          ipfwadm, ipmasqadm, ipportfw, modprobe\n"
	      "FILE may hold save blocks (*table ... COMMIT) and command lines\n"
	      "that start with their tool's name (ipchains -A ..., modprobe ...).\n",
	      f);
}

struct subcmd {
	const char *name;
	int (*fn)(const struct cli_opts *o);
};

static const struct subcmd subcmds[] = {
	{ "translate", cmd_translate },
	{ "save", cmd_save },
	{ "check", cmd_check },
	{ "restore", cmd_restore },
	{ "engine", cmd_engine },
	{ NULL, NULL },
};

/* --backend kernel (the default) or engine (a running userspace engine). */
static int set_backend(struct cli_opts *o, const char *name)
{
	if (strcmp(name, "kernel") && strcmp(name, "engine")) {
		fprintf(stderr, "masqrule: unknown backend `%s'\n", name);
		return -1;
	}
	o->engine = !strcmp(name, "engine");
	return 0;
}

/* The legacy names have no room for options: the environment says it. */
static int env_backend(struct cli_opts *o)
{
	const char *b = getenv("MASQRULE_BACKEND");

	o->socket = getenv("MASQRULE_SOCKET");
	return b && *b ? set_backend(o, b) : 0;
}

/* With --backend engine, the subcommands that read or change the state. */
static int (*backend_fn(const struct cli_opts *o,
			int (*fn)(const struct cli_opts *)))(const struct cli_opts *)
{
	if (!o->engine)
		return fn;
	if (fn == cmd_apply)
		return cmd_engine_apply;
	if (fn == cmd_restore)
		return cmd_engine_restore;
	if (fn == cmd_save && !o->file)
		return cmd_engine_save;
	return fn;
}

static int set_dialect(struct cli_opts *o, const char *name)
{
	int d = ir_dialect_lookup(name);

	if (d < 0) {
		fprintf(stderr, "masqrule: unknown dialect `%s'\n", name);
		return -1;
	}
	o->dialect = (uint8_t)d;
	return 0;
}

/* Options of masqrule itself, before and after the subcommand word. */
static int own_options(struct cli_opts *o, int *i, int argc, char **argv,
		       bool sub)
{
	for (; *i < argc; (*i)++) {
		const char *a = argv[*i];

		if (!strcmp(a, "--dialect") && *i + 1 < argc) {
			if (set_dialect(o, argv[++*i]))
				return -1;
		} else if (!strncmp(a, "--dialect=", 10)) {
			if (set_dialect(o, a + 10))
				return -1;
		} else if (!strcmp(a, "--backend") && *i + 1 < argc) {
			if (set_backend(o, argv[++*i]))
				return -1;
		} else if (!strncmp(a, "--backend=", 10)) {
			if (set_backend(o, a + 10))
				return -1;
		} else if (!strcmp(a, "--socket") && *i + 1 < argc) {
			o->socket = argv[++*i];
		} else if (sub && !strcmp(a, "-f") && *i + 1 < argc) {
			o->file = argv[++*i];
		} else if (sub && !strcmp(a, "--iptables")) {
			o->flags |= MR_PF_IPTABLES;
		} else if (sub && !strcmp(a, "-c")) {
			o->flags |= MR_PF_COUNTERS;
		} else if (!strcmp(a, "--")) {
			(*i)++;
			break;
		} else {
			break;
		}
	}
	return 0;
}

/*
 * A subcommand's own options may come in any order (restore --noflush -f F
 * --dialect ipchains): take --dialect out of argv[from..] up to "--"
 * before the subcommand reads the rest.  The new argc is returned.
 */
static int hoist_dialect(struct cli_opts *o, int from, int argc, char **argv)
{
	int i, j = from;

	for (i = from; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--dialect") && i + 1 < argc) {
			if (set_dialect(o, argv[++i]))
				return -1;
		} else if (!strncmp(argv[i], "--dialect=", 10)) {
			if (set_dialect(o, argv[i] + 10))
				return -1;
		} else {
			argv[j++] = argv[i];
		}
	}
	while (i < argc)
		argv[j++] = argv[i++];
	return j;
}

int main(int argc, char **argv)
{
	const struct argv0_entry *e = argv0_lookup(argv[0]);
	struct cli_opts o = { .dialect = e->dialect };
	const struct subcmd *s;
	int i = 1;

	if (env_backend(&o))
		return 2;
	if (e->mode == MR_MODE_TRANSLATE) {
		o.argc = argc - 1;
		o.argv = argv + 1;
		return cmd_translate(&o);
	}
	if (e->mode == MR_MODE_RUN) {
		o.argc = argc - 1;
		o.argv = argv + 1;
		return backend_fn(&o, cmd_apply)(&o);
	}
	if (own_options(&o, &i, argc, argv, false))
		return 2;
	if (i < argc && (!strcmp(argv[i], "--help") || !strcmp(argv[i], "help"))) {
		usage(stdout);
		return 0;
	}
	if (i < argc && !strcmp(argv[i], "--version")) {
		printf("masqrule %s\n", MR_VERSION);
		return 0;
	}
	for (s = subcmds; i < argc && s->name; s++) {
		if (strcmp(argv[i], s->name))
			continue;
		i++;
		if (s->fn != cmd_translate &&
		    (argc = hoist_dialect(&o, i, argc, argv)) < 0)
			return 2;
		if (own_options(&o, &i, argc, argv, true))
			return 2;
		o.argc = argc - i;
		o.argv = argv + i;
		if (!o.file && !o.argc && s->fn != cmd_translate &&
		    s->fn != cmd_save && s->fn != cmd_restore) {
			usage(stderr);
			return 2;
		}
		return backend_fn(&o, s->fn)(&o);
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	o.argc = argc - i;
	o.argv = argv + i;
	return backend_fn(&o, cmd_apply)(&o);
}
