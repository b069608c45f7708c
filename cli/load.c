// SPDX-License-Identifier: GPL-2.0-or-later
/* Reading input: parse, evaluate, and hand each command to a consumer. */
#include <string.h>
#include "load.h"

void load_init(struct load *ld, uint8_t dialect, bool file)
{
	memset(ld, 0, sizeof(*ld));
	erec_init(&ld->errs);
	eval_init(&ld->ev, &ld->errs);
	ld->po.dialect = dialect;
	ld->po.family = dialect == MR_D_IP6TABLES ? MR_FAM_IP6 : MR_FAM_IP;
	ld->po.file = file;
}

static int on_line(void *data, struct mr_pcmd *p)
{
	struct load *ld = data;
	struct mr_cmd *cmds = NULL, **tail = &cmds, *c, *next;

	if (eval_pcmd(&ld->ev, p, &tail))
		return 0;
	for (c = cmds; c; c = next) {
		next = c->next;
		c->next = NULL;
		ld->ncmds++;
		if (!ld->stop)
			ld->stop = ld->on_cmd(ld, c);
		else
			ir_cmd_free(c);
	}
	return ld->stop;
}

unsigned load_src(struct load *ld, const struct mr_src *src)
{
	struct mr_loc end = { .src = src };

	parse_src(src, &ld->po, &ld->errs, on_line, ld);
	/* a reader that stopped early (translate switching to the whole
	 * file) has no open block to complain about */
	if (!ld->stop)
		eval_finish(&ld->ev, &end);
	return ld->errs.nerrors;
}

static int keep(struct load *ld, struct mr_cmd *c)
{
	struct mr_cmd ***tail = ld->data;

	**tail = c;
	*tail = &c->next;
	return 0;
}

struct mr_cmd *load_cmds(struct load *ld, uint8_t dialect,
			 const struct mr_src *src)
{
	struct mr_cmd *head = NULL, **tail = &head;

	load_init(ld, dialect, false);
	ld->on_cmd = keep;
	ld->data = &tail;
	load_src(ld, src);
	ld->data = NULL;
	return head;
}

void load_destroy(struct load *ld)
{
	erec_free(&ld->errs);
}
