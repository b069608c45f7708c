/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The mark match: [!] --mark value[/mask] against the packet mark. */
#include "xt_util.h"

enum { O_MARK };

static const struct mr_optdef mark_opts[] = {
	{ "mark", 0, MR_A1, MR_OF_INV, O_MARK },
	{ NULL, 0, 0, 0, 0 },
};

#define GIVEN 1u
#define INV 1u

static int mark_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_m_mark *k = MR_MDATA(x->match, struct mr_m_mark);
	struct mr_match *m = x->match;

	if (xt_once(x, o, "mark", m->has & GIVEN) ||
	    xt_parse_u32_mask(x, o, "mark", true, &k->value, &k->mask))
		return -1;
	m->has |= GIVEN;
	if (popt_neg(o))
		m->inv |= INV;
	return 0;
}

static int mark_check(struct mr_xctx *x)
{
	if (!(x->match->has & GIVEN))
		return xt_missing(x, "mark", "mark");
	return 0;
}

static void mark_save(struct mr_buf *b, const struct mr_rule *r,
		      const struct mr_match *m)
{
	const struct mr_m_mark *k = MR_MDATA(m, const struct mr_m_mark);

	(void)r;
	buf_printf(b, "%s --mark 0x%x", m->inv & INV ? " !" : "", k->value);
	if (k->mask != 0xffffffffU)
		buf_printf(b, "/0x%x", k->mask);
}

static bool mark_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_m_mark *k = MR_MDATA(m, const struct mr_m_mark);
	bool inv = m->inv & INV;

	if (k->mask == 0xffffffffU)
		buf_printf(x->b, "mark %s0x%x ", inv ? "!= " : "", k->value);
	else
		buf_printf(x->b, "mark and 0x%x %s 0x%x ", k->mask,
			   inv ? "!=" : "==", k->value);
	return true;
}

const struct mr_xt xt_mark = {
	.name = "mark",
	.kind = MR_M_MARK,
	.size = sizeof(struct mr_m_mark),
	.opts = mark_opts,
	.parse = mark_parse,
	.check = mark_check,
	.save = mark_save,
	.xlate = mark_xlate,
};
