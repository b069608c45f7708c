/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The ttl (IPv4) and hl (IPv6 hop limit) matches: compare with a value. */
#include "xt_ext.h"

enum { O_EQ, O_LT, O_GT };

static const struct mr_optdef ttl_opts[] = {
	{ "ttl-eq", 0, MR_A1, MR_OF_INV, O_EQ },
	{ "ttl-lt", 0, MR_A1, 0, O_LT },
	{ "ttl-gt", 0, MR_A1, 0, O_GT },
	{ "ttl", 0, MR_A1, MR_OF_INV, O_EQ },	/* old spelling of --ttl-eq */
	{ 0 },
};

static const struct mr_optdef hl_opts[] = {
	{ "hl-eq", 0, MR_A1, MR_OF_INV, O_EQ },
	{ "hl-lt", 0, MR_A1, 0, O_LT },
	{ "hl-gt", 0, MR_A1, 0, O_GT },
	{ "hl", 0, MR_A1, MR_OF_INV, O_EQ },
	{ 0 },
};

static const uint8_t ttl_op_of[] = {
	[O_EQ] = MR_CMP_EQ, [O_LT] = MR_CMP_LT, [O_GT] = MR_CMP_GT,
};

static int ttl_parse_common(struct mr_xctx *x, const struct mr_popt *o,
			    const char *ext, const struct mr_optdef *tab)
{
	struct mr_m_ttl *d = MR_MDATA(x->match, struct mr_m_ttl);
	uint64_t v;

	/* only one comparison per match */
	for (const struct mr_optdef *od = tab; od->lname; od++)
		if ((x->match->has & (1u << od->id)) && od->id != o->def->id)
			return xe_conflict(x, o, ext, od);
	if (xe_begin(x, o, ext, &x->match->has) ||
	    xe_uint(x, o, &o->args[0], ext, 0, 255, &v))
		return -1;
	d->op = ttl_op_of[o->def->id];
	if (popt_neg(o))
		d->op = MR_CMP_NE;
	d->value = (uint8_t)v;
	return 0;
}

static int ttl_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	return ttl_parse_common(x, o, "ttl", ttl_opts);
}

static int hl_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	return ttl_parse_common(x, o, "hl", hl_opts);
}

static int ttl_check(struct mr_xctx *x)
{
	if (!x->match->has)
		return xe_check_err(x, "TTL match: You must specify one of `--ttl-eq', `--ttl-lt', `--ttl-gt'");
	return 0;
}

static int hl_check(struct mr_xctx *x)
{
	if (!x->match->has)
		return xe_check_err(x, "HL match: You must specify one of `--hl-eq', `--hl-lt', `--hl-gt'");
	return 0;
}

static void ttl_save_common(struct mr_buf *b, const struct mr_match *m,
			    const char *pfx)
{
	static const char *const suffix[] = {
		[MR_CMP_EQ] = "eq", [MR_CMP_NE] = "eq", [MR_CMP_LT] = "lt",
		[MR_CMP_GT] = "gt",
	};
	const struct mr_m_ttl *d = MR_MDATA(m, struct mr_m_ttl);

	xe_save_inv(b, d->op == MR_CMP_NE);
	buf_printf(b, " --%s-%s %u", pfx, suffix[d->op], d->value);
}

static void ttl_save(struct mr_buf *b, const struct mr_rule *r,
		     const struct mr_match *m)
{
	ttl_save_common(b, m, "ttl");
}

static void hl_save(struct mr_buf *b, const struct mr_rule *r,
		    const struct mr_match *m)
{
	ttl_save_common(b, m, "hl");
}

static void ttl_xlate_common(struct mr_buf *b, const struct mr_match *m,
			     const char *field)
{
	static const char *const op[] = {
		[MR_CMP_EQ] = "", [MR_CMP_NE] = "!= ", [MR_CMP_LT] = "lt ",
		[MR_CMP_GT] = "gt ",
	};
	const struct mr_m_ttl *d = MR_MDATA(m, struct mr_m_ttl);

	buf_printf(b, "%s %s%u ", field, op[d->op], d->value);
}

static bool ttl_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	ttl_xlate_common(x->b, m, "ip ttl");
	return true;
}

static bool hl_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	ttl_xlate_common(x->b, m, "ip6 hoplimit");
	return true;
}

const struct mr_xt xt_ttl = {
	.name = "ttl",
	.kind = MR_M_TTL,
	.family = MR_FAM_IP,
	.size = sizeof(struct mr_m_ttl),
	.opts = ttl_opts,
	.parse = ttl_parse,
	.check = ttl_check,
	.save = ttl_save,
	.xlate = ttl_xlate,
};

const struct mr_xt xt_hl = {
	.name = "hl",
	.kind = MR_M_HL,
	.family = MR_FAM_IP6,
	.size = sizeof(struct mr_m_ttl),
	.opts = hl_opts,
	.parse = hl_parse,
	.check = hl_check,
	.save = hl_save,
	.xlate = hl_xlate,
};
