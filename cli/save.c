// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * masqrule save / check: read a file (or a command line) into the model
 * and print it in save form, or only report what is wrong.  save without
 * input prints the model read back from the kernel (kmodel.h).
 */
#include <stdio.h>
#include "cli.h"
#include "kmodel.h"
#include "load.h"
#include "model.h"
#include "print.h"
#include "report.h"

/* Read input into a model; NULL (errors reported) if anything failed. */
static struct mr_ruleset *read_model(const struct cli_opts *o, int *rc)
{
	struct mr_ruleset *rs;
	struct erec_list errs;
	struct mr_src *src;

	src = o->file ? src_from_file(o->file) : src_from_argv(o->argc, o->argv);
	if (!src) {
		perror(o->file);
		*rc = 1;
		return NULL;
	}
	erec_init(&errs);
	rs = model_parse(src, o->dialect, o->file != NULL, &errs);
	*rc = report(&errs);
	erec_free(&errs);
	src_free(src);
	return rs;
}

/* No input: the model read back from the kernel. */
static struct mr_ruleset *kernel_model(int *rc)
{
	struct erec_list errs;
	struct mr_ruleset *rs;
	struct kmodel km;

	erec_init(&errs);
	rs = NULL;
	if (!kmodel_read(&km, &errs)) {
		rs = km.rs;
		km.rs = NULL;
	}
	*rc = report(&errs);
	kmodel_free(&km);
	erec_free(&errs);
	return rs;
}

int cmd_save(const struct cli_opts *o)
{
	struct mr_ruleset *rs;
	struct mr_buf b;
	int rc;

	if (!o->file && !o->argc)
		rs = kernel_model(&rc);
	else
		rs = read_model(o, &rc);
	if (!rs)
		return rc;
	buf_init(&b);
	print_ruleset_save(&b, rs, o->flags |
			   (o->dialect == MR_D_IP6TABLES ? MR_PF_IP6 : 0));
	if (b.len)
		fwrite(b.s, 1, b.len, stdout);
	buf_free(&b);
	model_free(rs);
	return rc;
}

int cmd_check(const struct cli_opts *o)
{
	struct mr_ruleset *rs;
	int rc;

	rs = read_model(o, &rc);
	model_free(rs);
	return rc;
}
