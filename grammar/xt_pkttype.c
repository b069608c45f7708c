/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The pkttype match: link-layer packet type (unicast, broadcast, ...). */
#include "xt_ext.h"

enum { O_PKT_TYPE };

static const struct mr_optdef pkttype_opts[] = {
	{ "pkt-type", 0, MR_A1, MR_OF_INV, O_PKT_TYPE },
	{ 0 },
};

/* by enum mr_pkttype; "host" is an old spelling of unicast */
static const char *const pkttype_names[] = {
	"unicast", "broadcast", "multicast", "otherhost", "host", NULL,
};

static int pkttype_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_m_pkttype *d = MR_MDATA(x->match, struct mr_m_pkttype);
	int t;

	if (xe_begin(x, o, "pkttype", &x->match->has))
		return -1;
	t = xe_lookup(pkttype_names, o->args[0].text);
	if (t < 0)
		return erec_param(x->errs, &o->args[0].loc, "Bad packet type '%s'",
				  o->args[0].text);
	d->type = t == 4 ? MR_PKT_UNICAST : (uint8_t)t;
	if (popt_neg(o))
		x->match->inv |= MR_MINV(0);
	return 0;
}

static int pkttype_check(struct mr_xctx *x)
{
	if (!x->match->has)
		return xe_check_err(x, "pkttype: option \"--pkt-type\" must be specified");
	return 0;
}

static void pkttype_save(struct mr_buf *b, const struct mr_rule *r,
			 const struct mr_match *m)
{
	const struct mr_m_pkttype *d = MR_MDATA(m, struct mr_m_pkttype);

	xe_save_inv(b, m->inv & MR_MINV(0));
	buf_printf(b, " --pkt-type %s", pkttype_names[d->type & 3]);
}

static bool pkttype_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_m_pkttype *d = MR_MDATA(m, struct mr_m_pkttype);
	const char *neg = (m->inv & MR_MINV(0)) ? "!= " : "";

	/* iptables-translate names the first three and numbers the rest */
	if (d->type < MR_PKT_OTHERHOST)
		buf_printf(x->b, "pkttype %s%s ", neg, pkttype_names[d->type]);
	else
		buf_printf(x->b, "pkttype %s%u ", neg, d->type);
	return true;
}

const struct mr_xt xt_pkttype = {
	.name = "pkttype",
	.kind = MR_M_PKTTYPE,
	.size = sizeof(struct mr_m_pkttype),
	.opts = pkttype_opts,
	.parse = pkttype_parse,
	.check = pkttype_check,
	.save = pkttype_save,
	.xlate = pkttype_xlate,
};
