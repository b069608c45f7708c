/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The packet path of the 2.0/2.2 kernels (dialects.md 1.1): a forwarded
 * packet is judged by input (with its incoming interface), forward (with
 * its outgoing interface; MASQ here masquerades) and output (outgoing,
 * after masquerading).  Replies to masqueraded flows (and new port
 * forwarded ones) are recognised after input, translated back, and go
 * straight to output: they never meet the forward chain.  The REJECT of
 * the old kernels answered with port-unreachable on input and
 * host-unreachable on forward, and never answered an ICMP packet.
 */
#include "eng_int.h"

static void reject(struct eng *e, const struct pkt *p, const struct rule_ctx *rc,
		   unsigned chain)
{
	const struct mr_t_reject *rj = rc->hit ? rc->hit->target.data : NULL;
	uint8_t with = rj ? rj->with : MR_RJ_DEFAULT;

	if (with == MR_RJ_DEFAULT)
		with = chain == LG_FORWARD ? MR_RJ_HOST_UNREACH :
					     MR_RJ_PORT_UNREACH;
	eng_reject(e, p, with);
}

/* The verdict of a chain: true to go on; false when dropped here. */
static bool judge(struct eng *e, struct pkt *p, struct rule_ctx *rc,
		  unsigned chain, uint16_t *verdict)
{
	uint16_t v = MR_V_ACCEPT;

	if (e->lg[chain])
		v = rules_run(e, e->lg[chain], rc);
	if (verdict)
		*verdict = v;
	if (v == MR_V_ACCEPT || (v == MR_V_MASQ && chain == LG_FORWARD))
		return true;
	if (v == MR_V_REJECT)
		reject(e, p, rc, chain);
	else
		e->st.dropped++;	/* DENY, and MASQ off forward as 2.2 */
	return false;
}

/* output chain, accounting "out", then the wire */
static void output(struct eng *e, struct pkt *p, struct rule_ctx *rc,
		   unsigned oif)
{
	rule_ctx_if(e, rc, oif);
	if (!judge(e, p, rc, LG_OUTPUT, NULL))
		return;
	if (e->lg[LG_ACCT]) {
		rc->acct_dir = MR_ACCT_OUT;
		rules_account(e, e->lg[LG_ACCT], rc);
	}
	eng_send(e, p, oif);
}

static void forward(struct eng *e, struct pkt *p, struct rule_ctx *rc)
{
	uint16_t v;
	uint32_t nh;
	int oif = eng_route(e, p->daddr, &nh);

	if (oif < 0) {
		e->st.no_route++;
		eng_send_icmp_err(e, p, 3, 0);
		return;
	}
	if (!eng_ttl_ok(e, p) || !eng_mtu_ok(e, p, (unsigned)oif))
		return;
	rule_ctx_if(e, rc, (unsigned)oif);	/* forward -i: the outgoing one */
	if (!judge(e, p, rc, LG_FORWARD, &v))
		return;
	if (v == MR_V_MASQ && nat_masq_out(e, p, (unsigned)oif)) {
		e->st.dropped++;
		return;
	}
	pkt_dec_ttl(p);
	output(e, p, rc, (unsigned)oif);
}

/* A packet the engine made from one it received: output, then out. */
static void answer(struct eng *e, struct pkt *p, struct rule_ctx *rc)
{
	int oif = eng_route_pkt(e, p);

	if (oif < 0)
		return;
	rc->ctstate = MR_CT_ESTABLISHED;
	output(e, p, rc, (unsigned)oif);
}

/* A reply to translate back, or the first packet of a port forward. */
static bool demasq(struct eng *e, struct pkt *p, unsigned *oif)
{
	if (!nat_demasq(e, p, oif))
		return true;
	return !portfw_in(e, p) && !nat_demasq(e, p, oif);
}

/* Addressed to the engine: a reply to translate back, a ping, or nobody's. */
static void to_us(struct eng *e, struct pkt *p, struct rule_ctx *rc)
{
	unsigned oif;

	if (!demasq(e, p, &oif)) {
		if (eng_echo_reply(e, p))
			answer(e, p, rc);
		else
			e->st.unsolicited++;
		return;
	}
	if (!eng_ttl_ok(e, p))
		return;
	pkt_dec_ttl(p);
	output(e, p, rc, oif);
}

void legacy_path(struct eng *e, struct pkt *p)
{
	struct rule_ctx rc = { .p = p, .acct_dir = MR_ACCT_IN };

	rule_ctx_if(e, &rc, p->ifidx);
	if (e->need_ct)
		rc.ctstate = nat_ctstate(e, p);
	if (e->lg[LG_ACCT])
		rules_account(e, e->lg[LG_ACCT], &rc);
	if (!judge(e, p, &rc, LG_INPUT, NULL))
		return;
	if (eng_local_if(e, p->daddr) >= 0)
		to_us(e, p, &rc);
	else
		forward(e, p, &rc);
}
