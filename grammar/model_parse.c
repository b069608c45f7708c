// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Text into a model: every command of src parsed, evaluated and applied,
 * a table block replacing its table as restore does.  What save reads,
 * what the kernel's and the engine's model text are read back with.
 */
#include "eval.h"
#include "model.h"
#include "parse.h"

struct mp {
	struct mr_ruleset *rs;
	struct eval_ctx ev;
	struct erec_list *errs;
};

static int mp_line(void *data, struct mr_pcmd *p)
{
	struct mp *m = data;
	struct mr_cmd *cmds = NULL, **tail = &cmds, *c, *next;

	if (eval_pcmd(&m->ev, p, &tail))
		return 0;
	for (c = cmds; c; c = next) {
		next = c->next;
		if (c->op == MR_OP_TABLE_BEGIN)
			model_flush_table(model_table(m->rs, c->family, c->table));
		model_apply(m->rs, c, m->errs);
		ir_cmd_free(c);
	}
	return 0;
}

struct mr_ruleset *model_parse(const struct mr_src *src, uint8_t dialect,
			       bool file, struct erec_list *errs)
{
	struct parse_opts po = { .dialect = dialect, .family = MR_FAM_IP,
				 .file = file };
	struct mr_loc end = { .src = src };
	struct mp m = { .rs = model_new(), .errs = errs };
	unsigned nerr = errs->nerrors;

	if (dialect == MR_D_IP6TABLES)
		po.family = MR_FAM_IP6;
	eval_init(&m.ev, errs);
	parse_src(src, &po, errs, mp_line, &m);
	eval_finish(&m.ev, &end);
	if (errs->nerrors != nerr) {
		model_free(m.rs);
		return NULL;
	}
	return m.rs;
}
