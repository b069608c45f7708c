/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The tcpmss match (MSS option range) and the TCPMSS target (set/clamp MSS). */
#include "xt_ext.h"

/* ---- tcpmss match ---- */

enum { O_MSS };

static const struct mr_optdef tcpmss_opts[] = {
	{ "mss", 0, MR_A1, MR_OF_INV, O_MSS },
	{ 0 },
};

static int tcpmss_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_m_tcpmss *d = MR_MDATA(x->match, struct mr_m_tcpmss);
	uint64_t lo, hi;

	if (xe_begin(x, o, "tcpmss", &x->match->has) ||
	    xe_range(x, o, "tcpmss", 0xffff, ':', &lo, &hi))
		return -1;
	if (lo > hi)
		return erec_param(x->errs, &o->args[0].loc,
				  "tcpmss: invalid range given");
	d->mss.lo = (uint16_t)lo;
	d->mss.hi = (uint16_t)hi;
	if (popt_neg(o))
		x->match->inv |= MR_MINV(0);
	return 0;
}

static int tcpmss_check(struct mr_xctx *x)
{
	if (!(x->match->has & (1u << O_MSS)))
		return xe_check_err(x, "tcpmss: option \"--mss\" must be specified");
	return 0;
}

static void tcpmss_save(struct mr_buf *b, const struct mr_rule *r,
			const struct mr_match *m)
{
	const struct mr_m_tcpmss *d = MR_MDATA(m, struct mr_m_tcpmss);

	xe_save_inv(b, m->inv & MR_MINV(0));
	buf_printf(b, " --mss %u", d->mss.lo);
	if (d->mss.hi != d->mss.lo)
		buf_printf(b, ":%u", d->mss.hi);
}

static bool tcpmss_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_m_tcpmss *d = MR_MDATA(m, struct mr_m_tcpmss);

	buf_printf(x->b, "tcp option maxseg size %s%u",
		   (m->inv & MR_MINV(0)) ? "!= " : "", d->mss.lo);
	if (d->mss.hi != d->mss.lo)
		buf_printf(x->b, "-%u", d->mss.hi);
	buf_addc(x->b, ' ');
	return true;
}

const struct mr_xt xt_tcpmss = {
	.name = "tcpmss",
	.kind = MR_M_TCPMSS,
	.size = sizeof(struct mr_m_tcpmss),
	.opts = tcpmss_opts,
	.parse = tcpmss_parse,
	.check = tcpmss_check,
	.save = tcpmss_save,
	.xlate = tcpmss_xlate,
};

/* ---- TCPMSS target ---- */

enum { O_SET_MSS, O_CLAMP };

static const struct mr_optdef TCPMSS_opts[] = {
	{ "set-mss", 0, MR_A1, 0, O_SET_MSS },
	{ "clamp-mss-to-pmtu", 0, MR_A0, 0, O_CLAMP },
	{ 0 },
};

static int TCPMSS_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_t_tcpmss *d = x->rule->target.data;
	/* room for the IP and TCP headers below 64k */
	uint64_t max = x->family == MR_FAM_IP6 ? 65495 : 65515, v;

	if (xe_begin(x, o, "TCPMSS", &d->given))
		return -1;
	if (o->def->id == O_CLAMP) {
		d->clamp = true;
		return 0;
	}
	if (xe_uint(x, o, &o->args[0], "TCPMSS", 0, max, &v))
		return -1;
	/* iptables keeps whichever of the two options came last */
	d->clamp = false;
	d->mss = (uint16_t)v;
	return 0;
}

static int TCPMSS_check(struct mr_xctx *x)
{
	const struct mr_t_tcpmss *d = x->rule->target.data;

	if (!d->given)
		return xe_check_err(x, "TCPMSS target: At least one parameter is required");
	return 0;
}

static void TCPMSS_save(struct mr_buf *b, const struct mr_rule *r,
			const struct mr_match *m)
{
	const struct mr_t_tcpmss *d = r->target.data;

	if (d->clamp)
		buf_add(b, " --clamp-mss-to-pmtu");
	else
		buf_printf(b, " --set-mss %u", d->mss);
}

static bool TCPMSS_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_t_tcpmss *d = x->rule->target.data;

	if (d->clamp)
		buf_add(x->b, "tcp option maxseg size set rt mtu ");
	else
		buf_printf(x->b, "tcp option maxseg size set %u ", d->mss);
	return true;
}

const struct mr_xt xt_TCPMSS = {
	.name = "TCPMSS",
	.kind = MR_V_TCPMSS,
	.target = true,
	.size = sizeof(struct mr_t_tcpmss),
	.opts = TCPMSS_opts,
	.parse = TCPMSS_parse,
	.check = TCPMSS_check,
	.save = TCPMSS_save,
	.xlate = TCPMSS_xlate,
};
