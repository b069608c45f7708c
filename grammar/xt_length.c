/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The length match: IP packet length in a range. */
#include "xt_ext.h"

enum { O_LENGTH };

static const struct mr_optdef length_opts[] = {
	{ "length", 0, MR_A1, MR_OF_INV, O_LENGTH },
	{ 0 },
};

static int length_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_m_length *d = MR_MDATA(x->match, struct mr_m_length);
	uint64_t lo, hi;

	/* no lo <= hi check: iptables takes "50:40" as written */
	if (xe_begin(x, o, "length", &x->match->has) ||
	    xe_range(x, o, "length", 0xffff, ':', &lo, &hi))
		return -1;
	d->lo = (uint16_t)lo;
	d->hi = (uint16_t)hi;
	if (popt_neg(o))
		x->match->inv |= MR_MINV(0);
	return 0;
}

static int length_check(struct mr_xctx *x)
{
	if (!x->match->has)
		return xe_check_err(x, "length: option \"--length\" must be specified");
	return 0;
}

static void length_save(struct mr_buf *b, const struct mr_rule *r,
			const struct mr_match *m)
{
	const struct mr_m_length *d = MR_MDATA(m, struct mr_m_length);

	xe_save_inv(b, m->inv & MR_MINV(0));
	buf_printf(b, " --length %u", d->lo);
	if (d->hi != d->lo)
		buf_printf(b, ":%u", d->hi);
}

static bool length_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_m_length *d = MR_MDATA(m, struct mr_m_length);

	buf_printf(x->b, "meta length %s%u", (m->inv & MR_MINV(0)) ? "!= " : "",
		   d->lo);
	if (d->hi != d->lo)
		buf_printf(x->b, "-%u", d->hi);
	buf_addc(x->b, ' ');
	return true;
}

const struct mr_xt xt_length = {
	.name = "length",
	.kind = MR_M_LENGTH,
	.size = sizeof(struct mr_m_length),
	.opts = length_opts,
	.parse = length_parse,
	.check = length_check,
	.save = length_save,
	.xlate = length_xlate,
};
