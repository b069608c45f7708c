// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Conntrack of the iptables model.  Every flow that passes gets an entry
 * of the masquerade table, generalised (masq.h): the original direction
 * goes i -> o and leaves as a -> r, its replies come r -> a and leave as
 * o -> i.  As in netfilter, NAT is decided once, on a flow's first
 * packet, by the nat chains (DNAT in PREROUTING, SNAT/MASQUERADE in
 * POSTROUTING); later packets follow the entry: destinations are
 * rewritten before routing, sources after the filter chains.
 */
#include <string.h>
#include "csum.h"
#include "helper.h"

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_ACK 0x10

static bool icmp_request(uint8_t type)
{
	return type == 8 || type == 13 || type == 15 || type == 17;
}

/* The port a tuple keys by on the remote side (ICMP: none). */
static uint16_t far_port(uint8_t proto, uint16_t port)
{
	return proto == PKT_P_ICMP ? 0 : port;
}

/*
 * A packet without an entry: NEW if it may open a flow.  TCP is picked
 * up mid-stream from a plain ACK (nf_conntrack_tcp_loose's default);
 * an ICMP reply or a segment with only FIN or RST opens nothing.
 */
static uint8_t new_state(const struct pkt *p)
{
	uint8_t f = p->tcp_flags & (TCP_SYN | TCP_ACK | TCP_RST | TCP_FIN);

	if (p->proto == PKT_P_TCP)
		return f == TCP_SYN || f == TCP_ACK ? MR_CT_NEW : MR_CT_INVALID;
	if (p->proto == PKT_P_ICMP)
		return icmp_request(p->icmp_type) ? MR_CT_NEW : MR_CT_INVALID;
	return MR_CT_NEW;
}

/* An ICMP error: the flow of the packet it quotes, in either form. */
static void err_classify(struct eng *e, const struct pkt *p,
			 struct ct_pkt *cp)
{
	const struct pkt_inner *in = &p->in;
	struct conn *c = NULL;

	cp->state = MR_CT_INVALID;
	if (!in->ports)
		return;
	/* quoted as it left in the original direction: a -> r */
	c = masq_in_exact(&e->masq, in->proto, in->saddr, in->sport,
			  in->daddr, far_port(in->proto, in->dport));
	cp->out = false;
	if (!c) {
		/* quoted as it left in the reply direction: o -> i */
		c = masq_out_find(&e->masq, in->proto, in->daddr, in->dport,
				  in->saddr, far_port(in->proto, in->sport));
		cp->out = true;
	}
	if (!c)
		return;
	cp->c = c;
	cp->state = MR_CT_RELATED;
}

/* ICMP queries: a request in the original direction, replies back. */
static bool icmp_fits(const struct conn *c, const struct pkt *p, bool orig)
{
	if (c->proto != PKT_P_ICMP)
		return true;
	return icmp_request(p->icmp_type) == orig;
}

void ct_classify(struct eng *e, const struct pkt *p, struct ct_pkt *cp)
{
	struct conn *c;

	memset(cp, 0, sizeof(*cp));
	if (p->icmp_err) {
		err_classify(e, p, cp);
		return;
	}
	c = masq_out_find(&e->masq, p->proto, p->saddr, p->sport, p->daddr,
			  far_port(p->proto, p->dport));
	cp->out = c != NULL;
	if (!c)
		c = masq_in_find(&e->masq, p->proto, p->daddr, p->dport,
				 p->saddr, far_port(p->proto, p->sport));
	if (c) {
		cp->orig = cp->out == conn_orig_out(c);
		if (!icmp_fits(c, p, cp->orig))
			c = NULL;
	}
	cp->c = c;
	if (!c)
		cp->state = new_state(p);
	else if (!cp->orig || (c->flags & CONN_F_REPLIED))
		cp->state = MR_CT_ESTABLISHED;
	else if (c->flags & CONN_F_RELATED)
		cp->state = MR_CT_RELATED;
	else
		cp->state = MR_CT_NEW;
}

/* ------------------------------------------------------------------ */
/* ICMP errors about a known flow                                      */

/*
 * Translated at once, before routing: the quote is turned into the form
 * the receiving side sent or expects, and the outer addresses that are
 * the flow's endpoints follow (an error from a router between keeps its
 * source).  Every rewrite keeps the inner and outer checksums right.
 */
static void err_translate(struct eng *e, struct pkt *p, struct ct_pkt *cp)
{
	const struct conn *c = cp->c;
	bool icmp = p->in.proto == PKT_P_ICMP;

	if (!cp->out) {			/* it quotes a -> r: back to i -> o */
		if (p->daddr == c->aaddr)
			pkt_set_daddr(p, c->iaddr);
		if (p->saddr == c->raddr && c->raddr != c->oaddr)
			pkt_set_saddr(p, c->oaddr);
		pkt_inner_set_saddr(p, c->iaddr);
		pkt_inner_set_sport(p, c->iport);
		pkt_inner_set_daddr(p, c->oaddr);
		if (!icmp && c->oport != c->rport)
			pkt_inner_set_dport(p, c->oport);
	} else {			/* it quotes o -> i: on as r -> a */
		if (p->saddr == c->iaddr)
			pkt_set_saddr(p, c->aaddr);
		if (p->daddr == c->oaddr)
			pkt_set_daddr(p, c->raddr);
		pkt_inner_set_daddr(p, c->aaddr);
		pkt_inner_set_dport(p, c->aport);
		pkt_inner_set_saddr(p, c->raddr);
		if (!icmp && c->oport != c->rport)
			pkt_inner_set_sport(p, c->rport);
	}
	e->st.masq_icmp_err++;
}

/*
 * An error the engine itself made about a packet of a known flow (its
 * TTL ran out after the destination was translated): quoted as that
 * flow's far end sent it.  A flow's first packet has no entry yet and
 * is quoted as translated, as Linux does with an unconfirmed flow.
 */
void ct_own_error(struct eng *e, struct pkt *p)
{
	struct ct_pkt cp;

	if (!p->icmp_err)
		return;
	ct_classify(e, p, &cp);
	if (cp.c)
		err_translate(e, p, &cp);
}

/* ------------------------------------------------------------------ */
/* Known flows                                                         */

static void touch(struct eng *e, struct conn *c, const struct pkt *p,
		  bool orig)
{
	enum conn_state st = c->proto == PKT_P_TCP ?
		masq_tcp_state(c, p->tcp_flags, orig) :
		c->proto == PKT_P_ICMP ? CS_ICMP : CS_UDP;
	struct conn *ctl = masq_conn(&e->masq, c->ctl);

	masq_touch(&e->masq, c, st, e->now);
	if (ctl && (ctl->flags & CONN_F_USED) && ctl->iaddr == c->iaddr)
		masq_touch(&e->masq, ctl, (enum conn_state)ctl->state, e->now);
}

static void set_dport(struct pkt *p, uint16_t port)
{
	if (p->proto == PKT_P_ICMP)
		pkt_set_icmp_id(p, port);
	else if (p->proto == PKT_P_TCP || p->proto == PKT_P_UDP)
		pkt_set_dport(p, port);
}

static void set_sport(struct pkt *p, uint16_t port)
{
	if (p->proto == PKT_P_ICMP)
		pkt_set_icmp_id(p, port);
	else if (p->proto == PKT_P_TCP || p->proto == PKT_P_UDP)
		pkt_set_sport(p, port);
}

int ct_pre(struct eng *e, struct pkt *p, struct ct_pkt *cp)
{
	struct conn *c = cp->c;

	if (p->icmp_err) {
		err_translate(e, p, cp);
		return 0;
	}
	if (!cp->out) {
		/* a helper reads the payload before any address changes */
		if (helper_run(e, c, p, false) < 0) {
			e->st.helper_refused++;
			return -1;
		}
		helper_seq_adjust(e, c, p, false);
	}
	if (!cp->orig)
		c->flags |= CONN_F_REPLIED;
	touch(e, c, p, cp->orig);
	if (cp->out) {
		if (c->oaddr != c->raddr)
			pkt_set_daddr(p, c->raddr);
		if (c->oport != c->rport && p->proto != PKT_P_ICMP)
			set_dport(p, c->rport);
		return 0;
	}
	if (p->daddr != c->iaddr)
		pkt_set_daddr(p, c->iaddr);
	if (p->dport != c->iport)
		set_dport(p, c->iport);
	e->st.masq_in += conn_translated(c) || conn_dnat(c);
	return 0;
}

static void out_rewrite(struct eng *e, struct conn *c, struct pkt *p)
{
	if (p->saddr != c->aaddr)
		pkt_set_saddr(p, c->aaddr);
	if (p->sport != c->aport)
		set_sport(p, c->aport);
	e->st.masq_out += conn_translated(c) || conn_dnat(c);
}

/*
 * Linux's source port ranges when none is given: a port keeps its class
 * (1-511, 600-1023, 1024-65535), an ICMP id any value.
 */
static void default_range(const struct pkt *p, uint16_t *lo, uint16_t *hi)
{
	if (p->proto == PKT_P_ICMP) {
		*lo = 0;
		*hi = 0xffff;
	} else if (p->proto != PKT_P_TCP && p->proto != PKT_P_UDP) {
		*lo = *hi = 0;		/* no ports: the address only */
	} else if (p->sport < 512) {
		*lo = 1;
		*hi = 511;
	} else if (p->sport < 1024) {
		*lo = 600;
		*hi = 1023;
	} else {
		*lo = 1024;
		*hi = 65535;
	}
}

/* The entry of a new flow, with what its nat chains decided. */
static struct conn *ct_new(struct eng *e, const struct pkt *p,
			   const struct ct_pkt *cp)
{
	struct masq_tuple t = {
		.proto = p->proto,
		.iaddr = p->saddr, .iport = p->sport,
		.oaddr = cp->dnat ? cp->odaddr : p->daddr,
		.oport = far_port(p->proto, cp->dnat ? cp->odport : p->dport),
		.raddr = p->daddr, .rport = far_port(p->proto, p->dport),
		.aaddr = cp->snat ? cp->snat_addr : p->saddr,
		.aport = p->sport,
	};
	uint16_t lo = cp->snat_lo, hi = cp->snat_hi;
	enum masq_err err;
	struct conn *c;

	/*
	 * Without SNAT the source port still moves if the reply tuple is
	 * taken (a DNAT'd flow meeting another): Linux's null binding.
	 */
	if (!cp->snat)
		default_range(p, &lo, &hi);
	c = masq_new_ct(&e->masq, &t, lo, hi, &err);
	if (!c) {
		eng_count_refusal(e, err);
		return NULL;
	}
	e->st.ct_new++;
	if (cp->snat || cp->dnat)
		e->st.masq_new++;
	/*
	 * Helpers rewrite what a translated source announces; for any flow
	 * they expect its data connections, which then arrive RELATED.
	 */
	c->helper = helper_for(e, c);
	touch(e, c, p, true);
	return c;
}

int ct_post(struct eng *e, struct pkt *p, struct ct_pkt *cp)
{
	struct conn *c = cp->c;

	if (p->icmp_err || cp->state == MR_CT_INVALID)
		return 0;
	if (!c) {
		c = ct_new(e, p, cp);
		if (!c)
			return -1;
		cp->c = c;
		cp->out = cp->orig = true;
	}
	if (!cp->out) {
		if (p->saddr != c->oaddr)
			pkt_set_saddr(p, c->oaddr);
		if (c->oport != c->rport && p->proto != PKT_P_ICMP)
			set_sport(p, c->oport);
		return 0;
	}
	if (helper_run(e, c, p, true) < 0) {
		e->st.helper_refused++;
		return -1;
	}
	helper_seq_adjust(e, c, p, true);
	out_rewrite(e, c, p);
	return 0;
}

/* ------------------------------------------------------------------ */
/* What the nat chains decided                                         */

static uint32_t word(const uint8_t *b)
{
	uint32_t v;

	memcpy(&v, b, 4);
	return v;
}

/* One address of a range: the same for a host every time (Linux hashes). */
static uint32_t pick_addr(const struct mr_t_nat *n, uint32_t key)
{
	uint32_t lo = get32(n->min_addr), hi = get32(n->max_addr);
	uint8_t b[4];

	if (hi <= lo)
		return word(n->min_addr);
	key = get32((const uint8_t *)&key) * 2654435761u;
	put32(b, lo + key % (hi - lo + 1));
	return word(b);
}

void ct_dnat(struct eng *e, struct pkt *p, struct ct_pkt *cp,
	     const struct mr_rule *hit)
{
	const struct mr_t_nat *n = hit->target.data;
	uint32_t a;

	(void)e;
	cp->dnat = true;
	cp->odaddr = p->daddr;
	cp->odport = p->dport;
	a = n->flags & MR_NAT_ADDR ? pick_addr(n, p->saddr) : p->daddr;
	if (a != p->daddr)
		pkt_set_daddr(p, a);
	if ((n->flags & MR_NAT_PORTS) &&
	    (p->proto == PKT_P_TCP || p->proto == PKT_P_UDP) &&
	    (p->dport < n->min_port || p->dport > n->max_port))
		pkt_set_dport(p, n->min_port);
}

void ct_snat(struct eng *e, const struct pkt *p, struct ct_pkt *cp,
	     const struct mr_rule *hit, unsigned oif)
{
	const struct mr_t_nat *n = hit->target.data;
	bool ports = p->proto == PKT_P_TCP || p->proto == PKT_P_UDP;

	cp->snat = true;
	if (hit->target.kind == MR_V_MASQ)
		cp->snat_addr = e->cfg.ifs[oif].addr;
	else
		cp->snat_addr = pick_addr(n, p->saddr);
	if (n && (n->flags & MR_NAT_PORTS) && ports) {
		cp->snat_lo = n->min_port;
		cp->snat_hi = n->max_port;
	} else {
		default_range(p, &cp->snat_lo, &cp->snat_hi);
	}
}
