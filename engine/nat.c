/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Masquerading a packet and translating the answers back: the entry is
 * found (or made) by the flow's tuple, the helper sees the packet first,
 * then the sequence deltas, the state and timer, and last the address
 * and port rewrite with incremental checksums.
 */
#include "helper.h"

static bool masq_proto(uint8_t proto)
{
	/* what 2.2 masqueraded: TCP, UDP and ICMP */
	return proto == PKT_P_TCP || proto == PKT_P_UDP || proto == PKT_P_ICMP;
}

static enum conn_state next_state(struct conn *c, const struct pkt *p,
				  bool out)
{
	if (c->proto == PKT_P_TCP)
		return masq_tcp_state(c, p->tcp_flags, out);
	return c->proto == PKT_P_UDP ? CS_UDP : CS_ICMP;
}

static void touch(struct eng *e, struct conn *c, const struct pkt *p,
		  bool out)
{
	struct conn *ctl = masq_conn(&e->masq, c->ctl);

	masq_touch(&e->masq, c, next_state(c, p, out), e->now);
	/* 2.2 kept a control connection alive while its data flowed */
	if (ctl && (ctl->flags & CONN_F_USED) && ctl->iaddr == c->iaddr)
		masq_touch(&e->masq, ctl, (enum conn_state)ctl->state, e->now);
}

/* Why the table took no new entry, counted. */
void eng_count_refusal(struct eng *e, enum masq_err err)
{
	if (err == MASQ_E_FULL)
		e->st.masq_full++;
	else if (err == MASQ_E_HOST)
		e->st.masq_host_full++;
	else
		e->st.masq_no_port++;
}

/* An inside host's ICMP error about a flow that came in masqueraded. */
static int masq_out_icmp_err(struct eng *e, struct pkt *p)
{
	struct pkt_inner *in = &p->in;
	struct conn *c;

	if (!in->ports)
		return -1;
	/* the quoted packet went remote -> inside: reversed tuple */
	c = masq_out_find(&e->masq, in->proto, in->daddr, in->dport,
			  in->saddr, in->proto == PKT_P_ICMP ? 0 : in->sport);
	if (!c)
		return -1;
	pkt_inner_set_daddr(p, c->aaddr);
	pkt_inner_set_dport(p, c->aport);
	pkt_set_saddr(p, c->aaddr);
	e->st.masq_out++;
	return 0;
}

/*
 * An error the engine itself made about a reply it translated back (TTL
 * ran out after demasquerading): the quote names the alias, as the
 * remote sent it, never the inside host (2.2's icmp_send un-masqueraded
 * it the same way).
 */
void nat_own_error(struct eng *e, struct pkt *p)
{
	if (p->icmp_err)
		masq_out_icmp_err(e, p);
}

static struct conn *out_entry(struct eng *e, struct pkt *p, unsigned oif)
{
	uint16_t rport = p->proto == PKT_P_ICMP ? 0 : p->dport;
	enum masq_err err;
	struct conn *c;

	c = masq_out_find(&e->masq, p->proto, p->saddr, p->sport, p->daddr,
			  rport);
	if (c)
		return c;
	c = masq_new(&e->masq, p->proto, p->saddr, p->sport,
		     e->cfg.ifs[oif].addr, 0, p->daddr, rport, true, &err);
	if (!c) {
		eng_count_refusal(e, err);
		return NULL;
	}
	e->st.masq_new++;
	c->helper = helper_for(e, c);
	return c;
}

int nat_masq_out(struct eng *e, struct pkt *p, unsigned oif)
{
	struct conn *c;

	if (!masq_proto(p->proto))
		return -1;
	if (p->icmp_err)
		return masq_out_icmp_err(e, p);
	if (p->proto == PKT_P_ICMP && p->icmp_type != 8 && p->icmp_type != 13 &&
	    p->icmp_type != 15 && p->icmp_type != 17 &&
	    !masq_out_find(&e->masq, 1, p->saddr, p->sport, p->daddr, 0))
		return -1;		/* a reply or an unknown type opens nothing */
	c = out_entry(e, p, oif);
	if (!c)
		return -1;
	if (helper_run(e, c, p, true) < 0) {
		e->st.helper_refused++;
		return -1;
	}
	helper_seq_adjust(e, c, p, true);
	touch(e, c, p, true);
	pkt_set_saddr(p, c->aaddr);
	if (p->proto == PKT_P_ICMP)
		pkt_set_icmp_id(p, c->aport);
	else
		pkt_set_sport(p, c->aport);
	e->st.masq_out++;
	return 0;
}

/* An ICMP error from outside about a packet we masqueraded. */
static int demasq_icmp_err(struct eng *e, struct pkt *p, unsigned *oif)
{
	struct pkt_inner *in = &p->in;
	struct conn *c;
	uint32_t nh;
	int r;

	if (!in->ports)
		return -1;
	c = masq_in_exact(&e->masq, in->proto, in->saddr, in->sport, in->daddr,
			  in->proto == PKT_P_ICMP ? 0 : in->dport);
	if (!c)
		return -1;
	r = eng_route(e, c->iaddr, &nh);
	if (r < 0)
		return -1;
	pkt_set_daddr(p, c->iaddr);
	pkt_inner_set_saddr(p, c->iaddr);
	pkt_inner_set_sport(p, c->iport);
	*oif = (unsigned)r;
	e->st.masq_icmp_err++;
	return 0;
}

int nat_demasq(struct eng *e, struct pkt *p, unsigned *oif)
{
	struct conn *c;
	uint32_t nh;
	int r;

	if (p->frag || !masq_proto(p->proto))
		return -1;
	if (p->icmp_err)
		return demasq_icmp_err(e, p, oif);
	if (p->proto == PKT_P_ICMP && !pkt_icmp_is_query(p->icmp_type))
		return -1;
	c = masq_in_find(&e->masq, p->proto, p->daddr, p->dport, p->saddr,
			 p->proto == PKT_P_ICMP ? 0 : p->sport);
	if (!c)
		return -1;
	r = eng_route(e, c->iaddr, &nh);
	if (r < 0)
		return -1;
	if (helper_run(e, c, p, false) < 0) {
		e->st.helper_refused++;
		return -1;
	}
	helper_seq_adjust(e, c, p, false);
	touch(e, c, p, false);
	c->flags |= CONN_F_REPLIED;
	pkt_set_daddr(p, c->iaddr);
	if (p->proto == PKT_P_ICMP)
		pkt_set_icmp_id(p, c->iport);
	else
		pkt_set_dport(p, c->iport);
	*oif = (unsigned)r;
	e->st.masq_in++;
	return 0;
}

uint8_t nat_ctstate(struct eng *e, const struct pkt *p)
{
	const struct pkt_inner *in = &p->in;
	uint16_t rport = p->proto == PKT_P_ICMP ? 0 : p->dport;

	if (p->icmp_err)
		return in->ports && (masq_in_exact(&e->masq, in->proto,
				in->saddr, in->sport, in->daddr,
				in->proto == PKT_P_ICMP ? 0 : in->dport) ||
			masq_out_find(&e->masq, in->proto, in->daddr,
				in->dport, in->saddr,
				in->proto == PKT_P_ICMP ? 0 : in->sport)) ?
			MR_CT_RELATED : MR_CT_INVALID;
	if (masq_out_find(&e->masq, p->proto, p->saddr, p->sport, p->daddr,
			  rport))
		return MR_CT_ESTABLISHED;
	if (eng_local_if(e, p->daddr) >= 0 &&
	    masq_in_exact(&e->masq, p->proto, p->daddr, p->dport, p->saddr,
			  p->proto == PKT_P_ICMP ? 0 : p->sport))
		return MR_CT_ESTABLISHED;
	return MR_CT_NEW;
}
