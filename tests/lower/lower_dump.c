/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test driver of the lowering: applies every command of FILE (any
 * dialect, iptables too) to one model, lowers it and prints the nft -f
 * script, or the errors.  `masqrule translate` lowers legacy input only;
 * this shows what the kernel backend will get for all of it.
 *
 * usage: lower_dump [-d dialect] FILE
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "erec.h"
#include "eval.h"
#include "lower.h"
#include "model.h"
#include "parse.h"
#include "print.h"
#include "src.h"

struct dump {
	struct eval_ctx ev;
	struct erec_list errs;
	struct mr_ruleset *rs;
};

static int on_line(void *data, struct mr_pcmd *p)
{
	struct dump *d = data;
	struct mr_cmd *cmds = NULL, **tail = &cmds, *c, *next;

	if (eval_pcmd(&d->ev, p, &tail))
		return 0;
	for (c = cmds; c; c = next) {
		next = c->next;
		model_apply(d->rs, c, &d->errs);
		ir_cmd_free(c);
	}
	return 0;
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

int main(int argc, char **argv)
{
	struct parse_opts po = { .dialect = MR_D_NATIVE, .family = MR_FAM_IP,
				 .file = true };
	struct mr_loc end = { 0 };
	struct mr_ruleset *low;
	struct mr_src *src;
	struct dump d;
	struct mr_buf b;
	int opt, rc;

	while ((opt = getopt(argc, argv, "d:")) != -1) {
		if (opt != 'd' || ir_dialect_lookup(optarg) < 0) {
			fprintf(stderr, "usage: lower_dump [-d dialect] FILE\n");
			return 2;
		}
		po.dialect = (uint8_t)ir_dialect_lookup(optarg);
	}
	if (optind + 1 != argc || !(src = src_from_file(argv[optind]))) {
		fprintf(stderr, "usage: lower_dump [-d dialect] FILE\n");
		return 2;
	}
	memset(&d, 0, sizeof(d));
	erec_init(&d.errs);
	eval_init(&d.ev, &d.errs);
	d.rs = model_new();
	end.src = src;
	parse_src(src, &po, &d.errs, on_line, &d);
	eval_finish(&d.ev, &end);
	low = d.errs.nerrors ? NULL : lower_ruleset(d.rs, &d.errs);
	print_errs(&d.errs);
	buf_init(&b);
	if (low)
		print_ruleset_nft(&b, low);
	if (b.len)
		fputs(b.s, stdout);
	rc = low ? 0 : 1;
	buf_free(&b);
	model_free(low);
	model_free(d.rs);
	erec_free(&d.errs);
	src_free(src);
	return rc;
}
