/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test driver of the kernel backend (tests/kernel/): reads FILE with the
 * grammar library (any dialect, all commands applied to one model),
 * lowers it, and then
 *   install FILE    installs it (-n: the kernel checks it, nothing changes)
 *   print FILE      prints the lowered ruleset as nft text (the witness
 *                   that `nft -f` loads for comparison)
 *   read            reads masqrule's tables back and prints them
 * usage: mr-backend-test [-n] [-d dialect] install|print FILE | read
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "backend.h"
#include "erec.h"
#include "eval.h"
#include "lower.h"
#include "model.h"
#include "parse.h"
#include "print.h"
#include "src.h"

struct rd {
	struct eval_ctx ev;
	struct erec_list *errs;
	struct mr_ruleset *rs;
};

static int on_line(void *data, struct mr_pcmd *p)
{
	struct rd *d = data;
	struct mr_cmd *cmds = NULL, **tail = &cmds, *c, *next;

	if (eval_pcmd(&d->ev, p, &tail))
		return 0;
	for (c = cmds; c; c = next) {
		next = c->next;
		if (c->op == MR_OP_TABLE_BEGIN)
			model_flush_table(model_table(d->rs, c->family,
						      c->table));
		model_apply(d->rs, c, d->errs);
		ir_cmd_free(c);
	}
	return 0;
}

/* The file applied to a model and lowered; NULL with errors queued. */
static struct mr_ruleset *load_lowered(const struct mr_src *src,
				       uint8_t dialect, struct erec_list *errs)
{
	struct parse_opts po = { .dialect = dialect, .family = MR_FAM_IP,
				 .file = true };
	struct mr_loc end = { .src = src };
	struct mr_ruleset *low = NULL;
	struct rd d = { .errs = errs };

	eval_init(&d.ev, errs);
	d.rs = model_new();
	parse_src(src, &po, errs, on_line, &d);
	eval_finish(&d.ev, &end);
	if (!errs->nerrors)
		low = lower_ruleset(d.rs, errs);
	model_free(d.rs);
	return low;
}

static void print_errs(const struct erec_list *l)
{
	const struct erec *e;
	struct mr_buf b;

	buf_init(&b);
	for (e = l->head; e; e = e->next)
		erec_format(&b, e);
	if (b.len)
		fputs(b.s, stderr);
	buf_free(&b);
}

static void print_lowered(const struct mr_ruleset *low)
{
	struct mr_buf b;

	buf_init(&b);
	print_ruleset_nft(&b, low);
	if (b.len)
		fputs(b.s, stdout);
	buf_free(&b);
}

static int usage(void)
{
	fprintf(stderr, "usage: mr-backend-test [-n] [-d dialect] install|print FILE | read\n");
	return 2;
}

static int run(const char *cmd, const char *file, uint8_t dialect,
	       unsigned flags, struct erec_list *errs)
{
	struct mr_ruleset *low;
	struct mr_src *src;
	int rc = 0;

	if (!strcmp(cmd, "read")) {
		low = backend_read(errs);
		if (low)
			print_lowered(low);
		model_free(low);
		return low ? 0 : 1;
	}
	if (!file || !(src = src_from_file(file)))
		return usage();
	low = load_lowered(src, dialect, errs);
	if (!low)
		rc = 1;
	else if (!strcmp(cmd, "print"))
		print_lowered(low);
	else if (!strcmp(cmd, "install"))
		rc = backend_install(low, flags, errs) ? 1 : 0;
	else
		rc = usage();
	print_errs(errs);
	model_free(low);
	src_free(src);
	return rc;
}

int main(int argc, char **argv)
{
	uint8_t dialect = MR_D_NATIVE;
	struct erec_list errs;
	unsigned flags = 0;
	int opt, rc;

	while ((opt = getopt(argc, argv, "nd:")) != -1) {
		if (opt == 'n')
			flags |= BACKEND_F_TEST;
		else if (opt == 'd' && ir_dialect_lookup(optarg) >= 0)
			dialect = (uint8_t)ir_dialect_lookup(optarg);
		else
			return usage();
	}
	if (optind >= argc)
		return usage();
	erec_init(&errs);
	rc = run(argv[optind], optind + 1 < argc ? argv[optind + 1] : NULL,
		 dialect, flags, &errs);
	if (!strcmp(argv[optind], "read"))
		print_errs(&errs);
	erec_free(&errs);
	return rc;
}
