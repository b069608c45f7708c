/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The MARK target (revision 2): --set-xmark, --set-mark, --and-mark,
 * --or-mark, --xor-mark, all kept as new = (old & ~mask) ^ value.
 */
#include "xt_util.h"

static const struct mr_optdef mark_opts[] = {
	{ "set-xmark", 0, MR_A1, 0, MR_MK_XSET },
	{ "set-mark", 0, MR_A1, 0, MR_MK_SET },
	{ "and-mark", 0, MR_A1, 0, MR_MK_AND },
	{ "or-mark", 0, MR_A1, 0, MR_MK_OR },
	{ "xor-mark", 0, MR_A1, 0, MR_MK_XOR },
	{ NULL, 0, 0, 0, 0 },
};

static const char *op_name(uint8_t op)
{
	const struct mr_optdef *d;

	for (d = mark_opts; d->lname; d++)
		if (d->id == op)
			return d->lname;
	return "set-xmark";
}

static int mark_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_t_mark *k = x->rule->target.data;
	uint8_t op = (uint8_t)o->def->id;
	bool mask_ok = op == MR_MK_XSET || op == MR_MK_SET;
	uint32_t v, m;

	if (xt_no_inv(x, o, "MARK"))
		return -1;
	/*
	 * target.data starts zeroed and op 0 is SET, whose mask is never 0
	 * once parsed: all-zero means no option yet.
	 */
	if (k->mask || k->value || k->op)
		return erec_param(x->errs, &o->loc,
				  "MARK: option \"--%s\" cannot be used together with \"--%s\"",
				  op_name(k->op), op_name(op));
	if (xt_parse_u32_mask(x, o, "MARK", mask_ok, &v, &m))
		return -1;
	k->op = op;
	switch (op) {
	case MR_MK_XSET:
		k->value = v;
		k->mask = m;
		break;
	case MR_MK_SET:		/* v is or-ed into what the mask keeps */
		k->value = v;
		k->mask = m | v;
		break;
	case MR_MK_AND:
		k->value = 0;
		k->mask = ~v;
		break;
	case MR_MK_OR:
		k->value = v;
		k->mask = v;
		break;
	default:
		k->value = v;
		k->mask = 0;
		break;
	}
	/* --and-mark 0xffffffff / --xor-mark 0 leave all zero: note it */
	if (!k->mask && !k->value && !k->op)
		k->op = MR_MK_XSET;
	return 0;
}

static int mark_check(struct mr_xctx *x)
{
	const struct mr_t_mark *k = x->rule->target.data;

	if (!k->mask && !k->value && !k->op)
		return erec_param(x->errs, x->loc,
				  "MARK target: Parameter --set/and/or/xor-mark is required");
	return 0;
}

static void mark_save(struct mr_buf *b, const struct mr_rule *r,
		      const struct mr_match *m)
{
	const struct mr_t_mark *k = r->target.data;

	(void)m;
	if (k)
		buf_printf(b, " --set-xmark 0x%x/0x%x", k->value, k->mask);
}

static bool mark_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_t_mark *k = x->rule->target.data;
	struct mr_buf *b = x->b;

	(void)m;
	if (!k)
		return false;
	buf_add(b, "meta mark set ");
	if (k->mask == 0xffffffffU)
		buf_printf(b, "0x%x ", k->value);
	else if (k->value == 0)
		buf_printf(b, "mark and 0x%x ", ~k->mask);
	else if (k->value == k->mask)
		buf_printf(b, "mark or 0x%x ", k->value);
	else if (k->mask == 0)
		buf_printf(b, "mark xor 0x%x ", k->value);
	else
		buf_printf(b, "mark and 0x%x xor 0x%x ", ~k->mask, k->value);
	return true;
}

const struct mr_xt xt_mark_target = {
	.name = "MARK",
	.kind = MR_V_MARK,
	.target = true,
	.size = sizeof(struct mr_t_mark),
	.opts = mark_opts,
	.parse = mark_parse,
	.check = mark_check,
	.save = mark_save,
	.xlate = mark_xlate,
};
