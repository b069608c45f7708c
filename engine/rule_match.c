/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a rule tests: the core fields every dialect shares, then its
 * matches in order.  Only kinds that rules_check() lets through reach
 * here; an unknown one never matches.
 */
#include <string.h>
#include "csum.h"
#include "eng_int.h"
#include "ir_ext.h"

#define BIT(n) (1u << (n))

static uint32_t pfx_word(const uint8_t *b)
{
	uint32_t v;

	memcpy(&v, b, 4);
	return v;
}

static bool in_prefix(const struct mr_prefix *pf, uint32_t a)
{
	uint32_t m = pfx_word(pf->mask);

	return (a & m) == (pfx_word(pf->addr) & m);
}

/* ipchains / iptables names: "eth+" is every name starting with "eth". */
static bool iface_match(const char *pat, const char *name)
{
	size_t n = strlen(pat);

	if (!name)
		return false;
	if (n && pat[n - 1] == '+')
		return !strncmp(pat, name, n - 1);
	return !strcmp(pat, name);
}

static bool core_match(const struct mr_rule *r, const struct rule_ctx *rc)
{
	const struct pkt *p = rc->p;
	uint32_t has = r->has, inv = r->inv;

	if ((has & MR_HAS_PROTO) &&
	    (r->proto == p->proto) == !!(inv & MR_INV_PROTO))
		return false;
	if ((has & MR_HAS_SRC) &&
	    in_prefix(&r->src, p->saddr) == !!(inv & MR_INV_SRC))
		return false;
	if ((has & MR_HAS_DST) &&
	    in_prefix(&r->dst, p->daddr) == !!(inv & MR_INV_DST))
		return false;
	if ((has & MR_HAS_IIF) &&
	    iface_match(r->iif, rc->ifname) == !!(inv & MR_INV_IIF))
		return false;
	if ((has & MR_HAS_OIF) &&
	    iface_match(r->oif, rc->oifname) == !!(inv & MR_INV_OIF))
		return false;
	if ((has & MR_HAS_FRAG) && p->nonfirst == !!(inv & MR_INV_FRAG))
		return false;
	if ((has & MR_HAS_VIAADDR) && pfx_word(r->viaaddr) != rc->ifaddr)
		return false;
	return true;
}

static bool in_range(const struct mr_range16 *r, uint16_t v)
{
	return v >= r->lo && v <= r->hi;
}

/* A field test with its own has and inv bit. */
static bool field(const struct mr_match *m, unsigned bit, bool hit)
{
	if (!(m->has & BIT(bit)))
		return true;
	return hit != !!(m->inv & BIT(bit));
}

static bool ports_ok(const struct pkt *p, uint8_t proto)
{
	return p->proto == proto && !p->nonfirst;
}

static bool m_tcp(const struct mr_match *m, const struct pkt *p)
{
	const struct mr_m_tcp *t = MR_MDATA(m, const struct mr_m_tcp);

	if (!ports_ok(p, PKT_P_TCP))
		return false;
	return field(m, MR_TCP_SPORT, in_range(&t->sport, p->sport)) &&
	       field(m, MR_TCP_DPORT, in_range(&t->dport, p->dport)) &&
	       field(m, MR_TCP_FLAGS,
		     (p->tcp_flags & t->flg_mask) == t->flg_cmp);
}

static bool m_udp(const struct mr_match *m, const struct pkt *p)
{
	const struct mr_m_udp *u = MR_MDATA(m, const struct mr_m_udp);

	if (!ports_ok(p, PKT_P_UDP))
		return false;
	return field(m, MR_TCP_SPORT, in_range(&u->sport, p->sport)) &&
	       field(m, MR_TCP_DPORT, in_range(&u->dport, p->dport));
}

static bool m_icmp(const struct mr_match *m, const struct pkt *p)
{
	const struct mr_m_icmp *ic = MR_MDATA(m, const struct mr_m_icmp);
	bool hit;

	if (!ports_ok(p, PKT_P_ICMP))
		return false;
	if (ic->any || !(m->has & BIT(MR_ICMP_TYPE)))
		hit = true;
	else
		hit = p->icmp_type == ic->type &&
		      (!(m->has & BIT(MR_ICMP_CODE)) ||
		       (p->icmp_code >= ic->code_lo &&
			p->icmp_code <= ic->code_hi));
	return hit != !!(m->inv & BIT(0));
}

static bool in_list(const struct mr_portlist *l, uint16_t v)
{
	unsigned i;

	for (i = 0; i < l->n; i++)
		if (in_range(&l->r[i], v))
			return true;
	return false;
}

static bool m_multiport(const struct mr_match *m, const struct pkt *p)
{
	const struct mr_m_multiport *mp =
		MR_MDATA(m, const struct mr_m_multiport);
	bool hit;

	if (p->nonfirst || (p->proto != PKT_P_TCP && p->proto != PKT_P_UDP))
		return false;
	if (mp->dir == MR_MP_SRC)
		hit = in_list(&mp->ports, p->sport);
	else if (mp->dir == MR_MP_DST)
		hit = in_list(&mp->ports, p->dport);
	else
		hit = in_list(&mp->ports, p->sport) ||
		      in_list(&mp->ports, p->dport);
	return hit != !!(m->inv & BIT(0));
}

/* ipfwadm/ipchains lists: ports, or for ICMP types and codes. */
static bool m_legacy_ports(const struct mr_match *m, const struct pkt *p)
{
	const struct mr_m_legacy_ports *lp =
		MR_MDATA(m, const struct mr_m_legacy_ports);
	uint16_t a, b;

	if (p->nonfirst)
		return false;
	if (p->proto == PKT_P_ICMP) {
		a = p->icmp_type;
		b = p->icmp_code;
	} else if (p->proto == PKT_P_TCP || p->proto == PKT_P_UDP) {
		a = p->sport;
		b = p->dport;
	} else {
		return false;
	}
	return field(m, 0, in_list(&lp->sport, a)) &&
	       field(m, 1, in_list(&lp->dport, b));
}

static bool m_state(const struct mr_match *m, uint8_t states,
		    const struct rule_ctx *rc)
{
	return !!(states & rc->ctstate) != !!(m->inv & BIT(0));
}

static bool m_ext(const struct mr_match *m, const struct pkt *p)
{
	const uint8_t *ip = pkt_ip(p);
	const struct mr_m_ttl *t;
	const struct mr_m_length *l;
	uint16_t len = get16(ip + 2);
	bool hit;

	switch (m->kind) {
	case MR_M_TTL:
		t = MR_MDATA(m, const struct mr_m_ttl);
		switch (t->op) {
		case MR_CMP_EQ: return ip[8] == t->value;
		case MR_CMP_NE: return ip[8] != t->value;
		case MR_CMP_LT: return ip[8] < t->value;
		default: return ip[8] > t->value;
		}
	case MR_M_LENGTH:
		l = MR_MDATA(m, const struct mr_m_length);
		hit = len >= l->lo && len <= l->hi;
		break;
	case MR_M_TOS:
		hit = (ip[1] & MR_MDATA(m, const struct mr_m_tos)->mask) ==
		      MR_MDATA(m, const struct mr_m_tos)->value;
		break;
	case MR_M_DSCP:
		hit = (ip[1] >> 2) == MR_MDATA(m, const struct mr_m_dscp)->dscp;
		break;
	default:
		return false;
	}
	return hit != !!(m->inv & BIT(0));
}

static bool one_match(const struct mr_match *m, const struct rule_ctx *rc)
{
	const struct pkt *p = rc->p;
	const struct mr_m_mark *mk;
	const uint8_t *mac;

	switch (m->kind) {
	case MR_M_TCP: return m_tcp(m, p);
	case MR_M_UDP: return m_udp(m, p);
	case MR_M_ICMP: return m_icmp(m, p);
	case MR_M_MULTIPORT: return m_multiport(m, p);
	case MR_M_LEGACY_PORTS: return m_legacy_ports(m, p);
	case MR_M_STATE:
		return m_state(m, MR_MDATA(m, const struct mr_m_ctstate)->states,
			       rc);
	case MR_M_CONNTRACK:
		return m_state(m, MR_MDATA(m, const struct mr_m_conntrack)->states,
			       rc);
	case MR_M_MARK:
		mk = MR_MDATA(m, const struct mr_m_mark);
		return ((p->mark & mk->mask) == mk->value) != !!(m->inv & 1);
	case MR_M_MAC:
		mac = MR_MDATA(m, const struct mr_m_mac)->addr;
		return !memcmp(p->buf + 6, mac, 6) != !!(m->inv & 1);
	case MR_M_COMMENT:
		return true;
	}
	return m_ext(m, p);
}

static bool iprange(const struct mr_match *m, const struct pkt *p)
{
	const struct mr_m_iprange *ir = MR_MDATA(m, const struct mr_m_iprange);
	uint32_t s = get32((const uint8_t *)&p->saddr);
	uint32_t d = get32((const uint8_t *)&p->daddr);

	return field(m, 0, s >= get32(ir->src_lo) && s <= get32(ir->src_hi)) &&
	       field(m, 1, d >= get32(ir->dst_lo) && d <= get32(ir->dst_hi));
}

bool rule_match(const struct mr_rule *r, const struct rule_ctx *rc)
{
	const struct mr_match *m;

	if (!core_match(r, rc))
		return false;
	for (m = r->matches; m; m = m->next)
		if (!(m->kind == MR_M_IPRANGE ? iprange(m, rc->p) :
		      one_match(m, rc)))
			return false;
	return true;
}

/*
 * The legacy side actions of a matching rule: -l logs whatever the
 * verdict, -m sets the mark, -t changes TOS (2.0 only on accepting
 * verdicts; 2.2 likewise did not touch packets it dropped).
 */
void rule_side_actions(struct eng *e, const struct mr_rule *r,
		       struct rule_ctx *rc, uint16_t verdict)
{
	struct pkt *p = rc->p;
	uint8_t tos;

	if (r->has & MR_HAS_LOGFLAG)
		eng_log_event(e, r, NULL, verdict, p);
	if (r->has & MR_HAS_FWMARK) {
		if (r->fwmark_op == MR_FWM_ADD)
			p->mark += r->fwmark;
		else if (r->fwmark_op == MR_FWM_SUB)
			p->mark -= r->fwmark;
		else
			p->mark = r->fwmark;
	}
	if ((r->has & MR_HAS_TOS) && verdict != MR_V_DROP &&
	    verdict != MR_V_REJECT) {
		tos = (uint8_t)((pkt_ip(p)[1] & r->tos_and) ^ r->tos_xor);
		if (tos != pkt_ip(p)[1])
			pkt_set_tos(p, tos);
	}
}
