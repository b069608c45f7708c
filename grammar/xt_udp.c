/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The udp match (-p udp, -m udp): source and destination port ranges. */
#include "xt_util.h"

enum { O_SPORT, O_DPORT };

static const struct mr_optdef udp_opts[] = {
	{ "source-port", 0, MR_A1, MR_OF_INV, O_SPORT },
	{ "sport", 0, MR_A1, MR_OF_INV, O_SPORT },
	{ "destination-port", 0, MR_A1, MR_OF_INV, O_DPORT },
	{ "dport", 0, MR_A1, MR_OF_INV, O_DPORT },
	{ NULL, 0, 0, 0, 0 },
};

#define BIT(n) (1u << (n))

static void udp_init(struct mr_xctx *x)
{
	struct mr_m_udp *u = MR_MDATA(x->match, struct mr_m_udp);

	u->sport.hi = u->dport.hi = 65535;
}

static int udp_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_m_udp *u = MR_MDATA(x->match, struct mr_m_udp);
	struct mr_match *m = x->match;
	unsigned bit = o->def->id == O_SPORT ? MR_TCP_SPORT : MR_TCP_DPORT;
	struct mr_range16 *r = bit == MR_TCP_SPORT ? &u->sport : &u->dport;

	if (m->has & BIT(bit))
		return erec_param(x->errs, &o->loc, "Only one `--%s' allowed",
				  bit == MR_TCP_SPORT ? "source-port" :
				  "destination-port");
	if (xt_parse_port_range(x, &o->args[0], XT_P_UDP, r))
		return -1;
	m->has |= BIT(bit);
	if (popt_neg(o))
		m->inv |= BIT(bit);
	return 0;
}

/* A full range that is not negated matches anything (iptables drops it). */
static void drop_full(struct mr_match *m, const struct mr_range16 *r,
		      unsigned bit)
{
	if (r->lo == 0 && r->hi == 65535 && !(m->inv & BIT(bit)))
		m->has &= ~BIT(bit);
}

static int udp_check(struct mr_xctx *x)
{
	struct mr_m_udp *u = MR_MDATA(x->match, struct mr_m_udp);

	if (!xt_proto_is(x->rule, XT_P_UDP))
		return erec_param(x->errs, x->loc,
				  "udp match: only valid for protocol 17 (-p udp)");
	drop_full(x->match, &u->sport, MR_TCP_SPORT);
	drop_full(x->match, &u->dport, MR_TCP_DPORT);
	return 0;
}

static void udp_save(struct mr_buf *b, const struct mr_rule *r,
		     const struct mr_match *m)
{
	const struct mr_m_udp *u = MR_MDATA(m, const struct mr_m_udp);

	(void)r;
	if (m->has & BIT(MR_TCP_SPORT)) {
		buf_printf(b, "%s --sport ",
			   m->inv & BIT(MR_TCP_SPORT) ? " !" : "");
		xt_save_range(b, &u->sport);
	}
	if (m->has & BIT(MR_TCP_DPORT)) {
		buf_printf(b, "%s --dport ",
			   m->inv & BIT(MR_TCP_DPORT) ? " !" : "");
		xt_save_range(b, &u->dport);
	}
}

static bool udp_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_m_udp *u = MR_MDATA(m, const struct mr_m_udp);
	struct mr_buf *b = x->b;
	size_t start = b->len;

	if (m->has & BIT(MR_TCP_SPORT)) {
		buf_printf(b, "udp sport %s",
			   m->inv & BIT(MR_TCP_SPORT) ? "!= " : "");
		xt_nft_range(b, &u->sport);
		buf_addc(b, ' ');
	}
	if (m->has & BIT(MR_TCP_DPORT)) {
		buf_printf(b, "udp dport %s",
			   m->inv & BIT(MR_TCP_DPORT) ? "!= " : "");
		xt_nft_range(b, &u->dport);
		buf_addc(b, ' ');
	}
	/* a bare -m udp still requires udp (print_nft left -p udp to us) */
	if (b->len == start)
		buf_add(b, "meta l4proto udp ");
	return true;
}

const struct mr_xt xt_udp = {
	.name = "udp",
	.kind = MR_M_UDP,
	.size = sizeof(struct mr_m_udp),
	.opts = udp_opts,
	.init = udp_init,
	.parse = udp_parse,
	.check = udp_check,
	.save = udp_save,
	.xlate = udp_xlate,
};
