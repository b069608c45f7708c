/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The comment match: --comment TEXT (up to 255 bytes).  Matches
 * everything; nft keeps it as the rule's comment, printed last.
 */
#include <string.h>
#include "xt_util.h"

enum { O_COMMENT };

static const struct mr_optdef comment_opts[] = {
	{ "comment", 0, MR_A1, 0, O_COMMENT },
	{ NULL, 0, 0, 0, 0 },
};

#define GIVEN 1u
#define COMMENT_MAX 255

static int comment_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_m_comment *c = MR_MDATA(x->match, struct mr_m_comment);
	struct mr_match *m = x->match;
	const struct mr_word *w = &o->args[0];

	if (xt_once(x, o, "comment", m->has & GIVEN) ||
	    xt_no_inv(x, o, "comment"))
		return -1;
	if (strlen(w->text) > COMMENT_MAX)
		return erec_param(x->errs, &w->loc,
				  "comment: option \"--comment\" value is too long (at most %d characters)",
				  COMMENT_MAX);
	c->text = ir_strdup(w->text);
	m->has |= GIVEN;
	return 0;
}

static int comment_check(struct mr_xctx *x)
{
	if (!(x->match->has & GIVEN))
		return xt_missing(x, "comment", "comment");
	return 0;
}

static void comment_save(struct mr_buf *b, const struct mr_rule *r,
			 const struct mr_match *m)
{
	const struct mr_m_comment *c = MR_MDATA(m, const struct mr_m_comment);

	(void)r;
	buf_add(b, " --comment ");
	xt_save_string(b, c->text ? c->text : "");
}

static bool comment_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_m_comment *c = MR_MDATA(m, const struct mr_m_comment);
	const char *t = c->text ? c->text : "";

	/* nft strings have no escape for a double quote */
	if (strchr(t, '"'))
		return false;
	buf_printf(x->b, "comment \"%s\" ", t);
	return true;
}

const struct mr_xt xt_comment = {
	.name = "comment",
	.kind = MR_M_COMMENT,
	.size = sizeof(struct mr_m_comment),
	.opts = comment_opts,
	.parse = comment_parse,
	.check = comment_check,
	.save = comment_save,
	.xlate = comment_xlate,
};
