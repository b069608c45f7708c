/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The state match (-m state --state LIST): the conntrack state subset. */
#include "xt_util.h"

enum { O_STATE };

static const struct mr_optdef state_opts[] = {
	{ "state", 0, MR_A1, MR_OF_INV, O_STATE },
	{ NULL, 0, 0, 0, 0 },
};

#define GIVEN 1u
#define INV 1u
#define STATE_BITS (MR_CT_INVALID | MR_CT_ESTABLISHED | MR_CT_RELATED | \
		    MR_CT_NEW | MR_CT_UNTRACKED)

static int state_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_m_ctstate *s = MR_MDATA(x->match, struct mr_m_ctstate);
	struct mr_match *m = x->match;
	uint32_t bits;

	if (xt_once(x, o, "state", m->has & GIVEN))
		return -1;
	if (xt_parse_flaglist(x, &o->args[0], xt_ct_states,
			      "Bad state \"%s\"", &bits))
		return -1;
	if (bits & ~STATE_BITS)		/* SNAT/DNAT are conntrack's */
		return erec_param(x->errs, &o->args[0].loc,
				  "Bad state \"%s\"", o->args[0].text);
	s->states = (uint8_t)bits;
	m->has |= GIVEN;
	if (popt_neg(o))
		m->inv |= INV;
	return 0;
}

static int state_check(struct mr_xctx *x)
{
	if (!(x->match->has & GIVEN))
		return xt_missing(x, "state", "state");
	return 0;
}

static void state_save(struct mr_buf *b, const struct mr_rule *r,
		       const struct mr_match *m)
{
	const struct mr_m_ctstate *s = MR_MDATA(m, const struct mr_m_ctstate);

	(void)r;
	buf_printf(b, "%s --state ", m->inv & INV ? " !" : "");
	xt_print_flaglist(b, xt_ct_states, s->states);
}

static bool state_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_m_ctstate *s = MR_MDATA(m, const struct mr_m_ctstate);

	buf_printf(x->b, "ct state %s", m->inv & INV ? "! " : "");
	xt_print_flaglist(x->b, xt_ct_states_nft, s->states);
	buf_addc(x->b, ' ');
	return true;
}

const struct mr_xt xt_state = {
	.name = "state",
	.kind = MR_M_STATE,
	.size = sizeof(struct mr_m_ctstate),
	.opts = state_opts,
	.parse = state_parse,
	.check = state_check,
	.save = state_save,
	.xlate = state_xlate,
};
