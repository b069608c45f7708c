// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One packet through the iptables model, in netfilter's order:
 * conntrack, nat PREROUTING (a new flow's first packet only; DNAT), the
 * routing decision, filter INPUT for the engine's own addresses or
 * filter FORWARD (-i incoming, -o outgoing), nat POSTROUTING (new flows;
 * SNAT, MASQUERADE), the entry made, the source rewritten, the wire.
 * Later packets of a flow skip the nat chains and follow its entry.
 */
#include "eng_int.h"

/* A built-in chain's verdict: ACCEPT (or none) goes on; false: gone. */
static bool filter(struct eng *e, struct pkt *p, struct rule_ctx *rc,
		   unsigned chain)
{
	uint16_t v = MR_V_ACCEPT;

	rc->table = e->tfilter;
	if (e->ipt_chain[chain])
		v = rules_run(e, e->ipt_chain[chain], rc);
	if (v == MR_V_ACCEPT)
		return true;
	if (v == MR_V_REJECT) {
		const struct mr_t_reject *rj = rc->hit ? rc->hit->target.data :
							 NULL;

		eng_reject(e, p, rj && rj->with != MR_RJ_DEFAULT ? rj->with :
			   MR_RJ_PORT_UNREACH);
	} else {
		e->st.dropped++;
	}
	return false;
}

/* A nat chain on a new flow's first packet: the verdict, rc->hit. */
static uint16_t nat_chain(struct eng *e, struct rule_ctx *rc, unsigned chain)
{
	rc->table = e->tnat;
	if (!e->ipt_chain[chain])
		return MR_V_ACCEPT;
	return rules_run(e, e->ipt_chain[chain], rc);
}

static bool prerouting(struct eng *e, struct pkt *p, struct rule_ctx *rc,
		       struct ct_pkt *cp)
{
	uint16_t v;

	if (cp->state == MR_CT_INVALID)
		e->st.ct_invalid++;
	if (cp->c)
		return ct_pre(e, p, cp) == 0;
	if (cp->state != MR_CT_NEW)
		return true;
	v = nat_chain(e, rc, IPT_N_PRE);
	if (v == MR_V_DNAT)
		ct_dnat(e, p, cp, rc->hit);
	else if (v != MR_V_ACCEPT) {
		e->st.dropped++;
		return false;
	}
	return true;
}

static bool postrouting(struct eng *e, struct pkt *p, struct rule_ctx *rc,
			struct ct_pkt *cp, unsigned oif)
{
	uint16_t v;

	if (!cp->c && cp->state == MR_CT_NEW) {
		rc->ifname = NULL;		/* no -i in POSTROUTING */
		v = nat_chain(e, rc, IPT_N_POST);
		if (v == MR_V_SNAT || v == MR_V_MASQ)
			ct_snat(e, p, cp, rc->hit, oif);
		else if (v != MR_V_ACCEPT) {
			e->st.dropped++;
			return false;
		}
	}
	if (ct_post(e, p, cp)) {
		e->st.dropped++;
		return false;
	}
	return true;
}

/* The engine's own packet (an echo reply): filter OUTPUT, the wire. */
static void own_out(struct eng *e, struct pkt *p, struct rule_ctx *rc)
{
	int oif = eng_route_pkt(e, p);

	if (oif < 0)
		return;
	rc->ifname = NULL;
	rc->oifname = e->cfg.ifs[oif].name;
	rc->ctstate = MR_CT_ESTABLISHED;
	if (filter(e, p, rc, IPT_F_OUT))
		eng_send(e, p, (unsigned)oif);
}

/* For one of our addresses: INPUT; only pings are answered. */
static void local_in(struct eng *e, struct pkt *p, struct rule_ctx *rc)
{
	if (!filter(e, p, rc, IPT_F_IN))
		return;
	if (eng_echo_reply(e, p))
		own_out(e, p, rc);
	else
		e->st.unsolicited++;
}

static void forward(struct eng *e, struct pkt *p, struct rule_ctx *rc,
		    struct ct_pkt *cp)
{
	uint32_t nh;
	int oif = eng_route(e, p->daddr, &nh);

	if (oif < 0) {
		e->st.no_route++;
		eng_send_icmp_err(e, p, 3, 0);
		return;
	}
	if (!eng_ttl_ok(e, p) || !eng_mtu_ok(e, p, (unsigned)oif))
		return;
	rc->oifname = e->cfg.ifs[oif].name;
	if (!filter(e, p, rc, IPT_F_FWD))
		return;
	if (!postrouting(e, p, rc, cp, (unsigned)oif))
		return;
	pkt_dec_ttl(p);
	eng_send(e, p, (unsigned)oif);
}

/* --ctstate SNAT / DNAT: the flow's translations known so far. */
static uint8_t nat_states(const struct ct_pkt *cp)
{
	const struct conn *c = cp->c;
	uint8_t s = cp->dnat ? MR_CT_DNAT : 0;

	if (c && conn_translated(c))
		s |= MR_CT_SNAT;
	if (c && conn_dnat(c))
		s |= MR_CT_DNAT;
	return s;
}

void ipt_path(struct eng *e, struct pkt *p)
{
	struct rule_ctx rc = { .p = p };
	struct ct_pkt cp;

	ct_classify(e, p, &cp);
	rc.ctstate = cp.state;
	rule_ctx_if(e, &rc, p->ifidx);
	if (!prerouting(e, p, &rc, &cp))
		return;
	rc.ctstate |= nat_states(&cp);
	if (eng_local_if(e, p->daddr) >= 0)
		local_in(e, p, &rc);
	else
		forward(e, p, &rc, &cp);
}
