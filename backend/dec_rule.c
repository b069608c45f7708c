/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Decoding one kernel rule back into a lowered IR rule.  The decoder reads
 * the expression patterns the linearizer emits; whatever it makes of a
 * rule is then linearized again and must give exactly the kernel's
 * expressions (counter values aside), so a rule someone else wrote or
 * changed can never pass for a masqrule rule.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_nat.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/udata.h>
#include "dec.h"
#include "ir_ext.h"
#include "lin.h"

#define DEC_MAX_EXPR 64
#define BIT(n) (1u << (n))

struct dec {
	const struct nftnl_expr *e[DEC_MAX_EXPR];
	unsigned n, i;
	uint8_t family;
	struct mr_rule *r;
	bool counted;		/* past the counter: the target follows */
	bool meta_l4;		/* the protocol came from "meta l4proto" */
	uint8_t imm[4][16];	/* data registers 1..4 set by immediates */
	uint32_t immlen[4];
};

/* A relation on register 1: [bitwise] cmp | cmp gte, cmp lte | range. */
struct dec_rel {
	bool masked, neq, range;
	uint8_t mask[16], lo[16], hi[16];
	uint32_t len;
};

static const char *ename(const struct nftnl_expr *e)
{
	return nftnl_expr_get_str(e, NFTNL_EXPR_NAME);
}

static const struct nftnl_expr *peek(struct dec *d, const char *name)
{
	if (d->i < d->n && !strcmp(ename(d->e[d->i]), name))
		return d->e[d->i];
	return NULL;
}

static bool get(const struct nftnl_expr *e, uint16_t attr, void *out,
		uint32_t max, uint32_t *len)
{
	const void *p = nftnl_expr_get(e, attr, len);

	if (!p || *len > max)
		return false;
	memcpy(out, p, *len);
	return true;
}

static bool dec_cmp(struct dec *d, struct dec_rel *rel)
{
	const struct nftnl_expr *e = peek(d, "cmp");
	uint32_t op, len, len2;

	if (!e)
		return false;
	op = nftnl_expr_get_u32(e, NFTNL_EXPR_CMP_OP);
	if (!get(e, NFTNL_EXPR_CMP_DATA, rel->lo, 16, &len))
		return false;
	d->i++;
	rel->len = len;
	if (op == NFT_CMP_EQ || op == NFT_CMP_NEQ) {
		rel->neq = op == NFT_CMP_NEQ;
		memcpy(rel->hi, rel->lo, len);
		return true;
	}
	e = peek(d, "cmp");
	if (op != NFT_CMP_GTE || !e ||
	    nftnl_expr_get_u32(e, NFTNL_EXPR_CMP_OP) != NFT_CMP_LTE ||
	    !get(e, NFTNL_EXPR_CMP_DATA, rel->hi, 16, &len2) || len2 != len)
		return false;
	d->i++;
	rel->range = true;
	return true;
}

static bool dec_rel(struct dec *d, struct dec_rel *rel)
{
	const struct nftnl_expr *e;
	uint32_t len;

	memset(rel, 0, sizeof(*rel));
	if ((e = peek(d, "bitwise"))) {
		if (!get(e, NFTNL_EXPR_BITWISE_MASK, rel->mask, 16, &len))
			return false;
		rel->masked = true;
		d->i++;
	}
	if ((e = peek(d, "range"))) {
		rel->range = true;
		rel->neq = nftnl_expr_get_u32(e, NFTNL_EXPR_RANGE_OP) ==
			   NFT_RANGE_NEQ;
		d->i++;
		return get(e, NFTNL_EXPR_RANGE_FROM_DATA, rel->lo, 16, &len) &&
		       get(e, NFTNL_EXPR_RANGE_TO_DATA, rel->hi, 16, &rel->len);
	}
	return dec_cmp(d, rel);
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t u32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */

static bool dec_iface(struct dec *d, bool out, const struct dec_rel *rel)
{
	struct mr_rule *r = d->r;
	char *name = out ? r->oif : r->iif;

	if (rel->masked || rel->range || rel->len > MR_IFNAMSIZ)
		return false;
	memcpy(name, rel->lo, rel->len < MR_IFNAMSIZ ? rel->len : MR_IFNAMSIZ - 1);
	if (rel->len < MR_IFNAMSIZ)
		strcat(name, "+");
	else if (!strcmp(name, "INVAL/D"))
		strcpy(name, "+");
	r->has |= out ? MR_HAS_OIF : MR_HAS_IIF;
	if (rel->neq)
		r->inv |= out ? MR_INV_OIF : MR_INV_IIF;
	return true;
}

static bool dec_proto(struct dec *d, const struct dec_rel *rel)
{
	if (rel->masked || rel->range || rel->len != 1)
		return false;
	d->r->proto = rel->lo[0];
	d->r->has |= MR_HAS_PROTO;
	if (rel->neq)
		d->r->inv |= MR_INV_PROTO;
	return true;
}

static bool dec_addr(struct dec *d, bool src, uint32_t len,
		     const struct dec_rel *rel)
{
	struct mr_prefix *p = src ? &d->r->src : &d->r->dst;
	uint32_t alen = d->family == MR_FAM_IP6 ? 16 : 4;

	if (rel->range || rel->len != len)
		return false;
	memcpy(p->addr, rel->lo, len);
	if (rel->masked)
		memcpy(p->mask, rel->mask, len);
	else
		memset(p->mask, 0xff, len);	/* byte-aligned prefix */
	if (rel->masked && len != alen)
		return false;
	d->r->has |= src ? MR_HAS_SRC : MR_HAS_DST;
	if (rel->neq)
		d->r->inv |= src ? MR_INV_SRC : MR_INV_DST;
	return true;
}

static struct mr_match *dec_l4match(struct dec *d)
{
	uint16_t kind = d->r->proto == 6 ? MR_M_TCP : MR_M_UDP;
	struct mr_match *m = ir_match_find(d->r, kind);

	if (!m)
		m = ir_match_add(d->r, kind, kind == MR_M_TCP ?
				 sizeof(struct mr_m_tcp) : sizeof(struct mr_m_udp));
	return m;
}

static bool dec_port(struct dec *d, uint32_t off, uint32_t len,
		     const struct dec_rel *rel)
{
	struct mr_match *m;
	struct mr_range16 *sp, *dp;

	if (rel->masked || (d->r->proto != 6 && d->r->proto != 17))
		return false;
	m = dec_l4match(d);
	sp = m->kind == MR_M_TCP ? &MR_MDATA(m, struct mr_m_tcp)->sport :
	     &MR_MDATA(m, struct mr_m_udp)->sport;
	dp = m->kind == MR_M_TCP ? &MR_MDATA(m, struct mr_m_tcp)->dport :
	     &MR_MDATA(m, struct mr_m_udp)->dport;
	if (off == 0 && len == 4 && !rel->range && !rel->neq) {
		sp->lo = sp->hi = be16(rel->lo);
		dp->lo = dp->hi = be16(rel->lo + 2);
		m->has |= BIT(MR_TCP_SPORT) | BIT(MR_TCP_DPORT);
		return true;
	}
	if ((off != 0 && off != 2) || len != 2)
		return false;
	if (off == 0)
		dp = sp;
	dp->lo = be16(rel->lo);
	dp->hi = be16(rel->hi);
	m->has |= BIT(off ? MR_TCP_DPORT : MR_TCP_SPORT);
	if (rel->neq)
		m->inv |= BIT(off ? MR_TCP_DPORT : MR_TCP_SPORT);
	return true;
}

static bool dec_tcpflags(struct dec *d, const struct dec_rel *rel)
{
	struct mr_match *m;

	if (!rel->masked || rel->range || d->r->proto != 6)
		return false;
	m = dec_l4match(d);
	MR_MDATA(m, struct mr_m_tcp)->flg_mask = rel->mask[0];
	MR_MDATA(m, struct mr_m_tcp)->flg_cmp = rel->lo[0];
	m->has |= BIT(MR_TCP_FLAGS);
	if (rel->neq)
		m->inv |= BIT(MR_TCP_FLAGS);
	return true;
}

static bool dec_icmp(struct dec *d, uint32_t off, uint32_t len,
		     const struct dec_rel *rel)
{
	struct mr_match *m = ir_match_add(d->r, d->family == MR_FAM_IP6 ?
					  MR_M_ICMP6 : MR_M_ICMP,
					  sizeof(struct mr_m_icmp));
	struct mr_m_icmp *ic = MR_MDATA(m, struct mr_m_icmp);

	if (off != 0 || rel->masked || (len == 2 && (rel->neq || rel->range)))
		return false;
	ic->type = rel->lo[0];
	m->has = BIT(MR_ICMP_TYPE);
	if (rel->neq)
		m->inv = BIT(0);
	if (len == 1) {
		/* a code test of its own may follow */
		const struct nftnl_expr *e = peek(d, "payload");
		struct dec_rel c;

		if (e && nftnl_expr_get_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET) == 1 &&
		    nftnl_expr_get_u32(e, NFTNL_EXPR_PAYLOAD_BASE) ==
		    NFT_PAYLOAD_TRANSPORT_HEADER) {
			d->i++;
			if (!dec_rel(d, &c) || c.masked || c.neq)
				return false;
			ic->code_lo = c.lo[0];
			ic->code_hi = c.hi[0];
			m->has |= BIT(MR_ICMP_CODE);
		}
		return rel->range ? false : true;
	}
	ic->code_lo = ic->code_hi = rel->lo[1];
	m->has |= BIT(MR_ICMP_CODE);
	return true;
}

static bool dec_payload(struct dec *d, const struct nftnl_expr *e)
{
	uint32_t base = nftnl_expr_get_u32(e, NFTNL_EXPR_PAYLOAD_BASE);
	uint32_t off = nftnl_expr_get_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET);
	uint32_t len = nftnl_expr_get_u32(e, NFTNL_EXPR_PAYLOAD_LEN);
	bool v6 = d->family == MR_FAM_IP6;
	struct dec_rel rel;

	if (nftnl_expr_is_set(e, NFTNL_EXPR_PAYLOAD_SREG) || !dec_rel(d, &rel))
		return false;
	if (base == NFT_PAYLOAD_NETWORK_HEADER) {
		if (!v6 && off == 9 && len == 1)
			return dec_proto(d, &rel);
		if (!v6 && off == 6 && len == 2 && rel.masked && !rel.range) {
			d->r->has |= MR_HAS_FRAG;
			if (!rel.neq)
				d->r->inv |= MR_INV_FRAG;
			return true;
		}
		if (off == (v6 ? 8u : 12u) || off == (v6 ? 24u : 16u))
			return dec_addr(d, off == (v6 ? 8u : 12u), len, &rel);
		return false;
	}
	if (base != NFT_PAYLOAD_TRANSPORT_HEADER)
		return false;
	if (d->r->proto == 1 || d->r->proto == 58)
		return dec_icmp(d, off, len, &rel);
	if (off == 13 && len == 1)
		return dec_tcpflags(d, &rel);
	return dec_port(d, off, len, &rel);
}

static bool dec_mark(struct dec *d, uint16_t kind, const struct dec_rel *rel)
{
	struct mr_match *m = ir_match_add(d->r, kind, sizeof(struct mr_m_mark));
	struct mr_m_mark *k = MR_MDATA(m, struct mr_m_mark);

	if (rel->range || rel->len != 4)
		return false;
	k->value = u32(rel->lo);
	k->mask = rel->masked ? u32(rel->mask) : 0xffffffffu;
	m->has = 1;
	if (rel->neq)
		m->inv = BIT(0);
	return true;
}

static uint8_t ir_states(uint32_t bits)
{
	return (uint8_t)((bits & 1 ? MR_CT_INVALID : 0) |
			 (bits & 2 ? MR_CT_ESTABLISHED : 0) |
			 (bits & 4 ? MR_CT_RELATED : 0) |
			 (bits & 8 ? MR_CT_NEW : 0) |
			 (bits & 64 ? MR_CT_UNTRACKED : 0));
}

/* The conntrack match a field goes to: the last one, or a new one when
 * that has the field already. */
static struct mr_m_conntrack *dec_ctmatch(struct dec *d, struct mr_match **mp,
					  unsigned field)
{
	struct mr_match *m = NULL, *x;

	for (x = d->r->matches; x; x = x->next)
		if (x->kind == MR_M_CONNTRACK)
			m = x;
	if (!m || (m->has & BIT(field)))
		m = ir_match_add(d->r, MR_M_CONNTRACK,
				 sizeof(struct mr_m_conntrack));
	*mp = m;
	return MR_MDATA(m, struct mr_m_conntrack);
}

static bool dec_ct(struct dec *d, uint32_t key, const struct dec_rel *rel)
{
	struct mr_m_conntrack *c;
	struct mr_match *m;
	uint32_t bits;

	if (key == NFT_CT_MARK)
		return dec_mark(d, MR_M_CONNMARK, rel);
	if (key == NFT_CT_DIRECTION) {
		c = dec_ctmatch(d, &m, MR_CTM_DIR);
		c->dir_reply = rel->lo[0];
		m->has |= BIT(MR_CTM_DIR);
		return !rel->neq && !rel->masked && rel->len == 1;
	}
	if ((key != NFT_CT_STATE && key != NFT_CT_STATUS) || !rel->masked ||
	    rel->range || u32(rel->lo) != 0)
		return false;
	bits = u32(rel->mask);
	/* status snat/dnat are the conntrack match's SNAT/DNAT states */
	if (key == NFT_CT_STATUS && (bits & 0x30)) {
		if (bits & ~0x30u)
			return false;
		c = dec_ctmatch(d, &m, MR_CTM_STATE);
		c->states = (uint8_t)((bits & 16 ? MR_CT_SNAT : 0) |
				      (bits & 32 ? MR_CT_DNAT : 0));
		key = NFT_CT_STATE;
	} else {
		c = dec_ctmatch(d, &m, key == NFT_CT_STATE ? MR_CTM_STATE :
				MR_CTM_STATUS);
		if (key == NFT_CT_STATE)
			c->states = ir_states(bits);
	}
	if (key == NFT_CT_STATE) {
		m->has |= BIT(MR_CTM_STATE);
		if (!rel->neq)
			m->inv |= BIT(MR_CTM_STATE);
		return true;
	}
	if (bits & ~0x0fu)
		return false;
	c->status = (uint8_t)bits;
	m->has |= BIT(MR_CTM_STATUS);
	if (!rel->neq)
		m->inv |= BIT(MR_CTM_STATUS);
	return true;
}

static bool dec_limit(struct dec *d, const struct nftnl_expr *e)
{
	struct mr_match *m = ir_match_add(d->r, MR_M_LIMIT,
					  sizeof(struct mr_m_limit));
	struct mr_m_limit *k = MR_MDATA(m, struct mr_m_limit);
	uint64_t unit = nftnl_expr_get_u64(e, NFTNL_EXPR_LIMIT_UNIT);

	k->rate = (uint32_t)nftnl_expr_get_u64(e, NFTNL_EXPR_LIMIT_RATE);
	k->burst = nftnl_expr_get_u32(e, NFTNL_EXPR_LIMIT_BURST);
	k->unit = unit == 60 ? MR_LU_MINUTE : unit == 3600 ? MR_LU_HOUR :
		  unit == 86400 ? MR_LU_DAY : MR_LU_SECOND;
	return true;
}

/* ------------------------------------------------------------------ */
/* Actions                                                             */

static void *dec_target(struct dec *d, uint16_t kind, size_t size)
{
	ir_target_free(&d->r->target);
	d->r->target.kind = kind;
	if (size)
		d->r->target.data = ir_alloc(size);
	return d->r->target.data;
}

static uint16_t dec_reg16(struct dec *d, const struct nftnl_expr *e,
			  uint16_t attr)
{
	uint32_t reg;

	if (!nftnl_expr_is_set(e, attr))
		return 0;
	reg = nftnl_expr_get_u32(e, attr);
	if (reg < 1 || reg > 4)
		return 0;
	return be16(d->imm[reg - 1]);
}

static void dec_nat_flags(struct mr_t_nat *t, uint32_t f)
{
	t->flags |= f & NF_NAT_RANGE_PROTO_RANDOM ? MR_NAT_RANDOM : 0;
	t->flags |= f & NF_NAT_RANGE_PERSISTENT ? MR_NAT_PERSISTENT : 0;
	t->flags |= f & NF_NAT_RANGE_PROTO_RANDOM_FULLY ?
		    MR_NAT_RANDOM_FULLY : 0;
}

static bool dec_ports(struct dec *d, const struct nftnl_expr *e,
		      struct mr_t_nat *t, uint16_t amin, uint16_t amax)
{
	t->min_port = dec_reg16(d, e, amin);
	t->max_port = dec_reg16(d, e, amax);
	if (t->min_port) {
		t->flags |= MR_NAT_PORTS;
		if (!t->max_port)
			t->max_port = t->min_port;
	}
	return true;
}

static bool dec_masq(struct dec *d, const struct nftnl_expr *e, bool masq)
{
	struct mr_t_nat *t = dec_target(d, masq ? MR_V_MASQ : MR_V_REDIRECT,
					sizeof(*t));

	dec_nat_flags(t, nftnl_expr_get_u32(e, masq ? NFTNL_EXPR_MASQ_FLAGS :
					    NFTNL_EXPR_REDIR_FLAGS));
	return dec_ports(d, e, t, masq ? NFTNL_EXPR_MASQ_REG_PROTO_MIN :
			 NFTNL_EXPR_REDIR_REG_PROTO_MIN,
			 masq ? NFTNL_EXPR_MASQ_REG_PROTO_MAX :
			 NFTNL_EXPR_REDIR_REG_PROTO_MAX);
}

static bool dec_nat(struct dec *d, const struct nftnl_expr *e)
{
	bool dnat = nftnl_expr_get_u32(e, NFTNL_EXPR_NAT_TYPE) == NFT_NAT_DNAT;
	struct mr_t_nat *t = dec_target(d, dnat ? MR_V_DNAT : MR_V_SNAT,
					sizeof(*t));
	uint32_t alen = d->family == MR_FAM_IP6 ? 16 : 4, reg;

	if (nftnl_expr_is_set(e, NFTNL_EXPR_NAT_REG_ADDR_MIN)) {
		reg = nftnl_expr_get_u32(e, NFTNL_EXPR_NAT_REG_ADDR_MIN);
		if (reg < 1 || reg > 4)
			return false;
		memcpy(t->min_addr, d->imm[reg - 1], alen);
		memcpy(t->max_addr, d->imm[reg - 1], alen);
		t->flags |= MR_NAT_ADDR;
	}
	if (nftnl_expr_is_set(e, NFTNL_EXPR_NAT_REG_ADDR_MAX)) {
		reg = nftnl_expr_get_u32(e, NFTNL_EXPR_NAT_REG_ADDR_MAX);
		if (reg < 1 || reg > 4)
			return false;
		memcpy(t->max_addr, d->imm[reg - 1], alen);
	}
	dec_nat_flags(t, nftnl_expr_get_u32(e, NFTNL_EXPR_NAT_FLAGS));
	return dec_ports(d, e, t, NFTNL_EXPR_NAT_REG_PROTO_MIN,
			 NFTNL_EXPR_NAT_REG_PROTO_MAX);
}

static bool dec_reject(struct dec *d, const struct nftnl_expr *e)
{
	static const uint8_t with4[] = {
		MR_RJ_NET_UNREACH, MR_RJ_HOST_UNREACH, MR_RJ_PROTO_UNREACH,
		MR_RJ_PORT_UNREACH, 0, 0, 0, 0, 0, MR_RJ_NET_PROHIB,
		MR_RJ_HOST_PROHIB, 0, 0, MR_RJ_ADMIN_PROHIB,
	};
	static const uint8_t with6[] = {
		MR_RJ6_NO_ROUTE, MR_RJ6_ADM_PROHIB, 0, MR_RJ6_ADDR_UNREACH,
		MR_RJ6_PORT_UNREACH, MR_RJ6_POLICY_FAIL, MR_RJ6_REJECT_ROUTE,
	};
	struct mr_t_reject *rj = dec_target(d, MR_V_REJECT, sizeof(*rj));
	uint32_t type = nftnl_expr_get_u32(e, NFTNL_EXPR_REJECT_TYPE);
	uint8_t code = nftnl_expr_get_u8(e, NFTNL_EXPR_REJECT_CODE);

	if (type == NFT_REJECT_TCP_RST)
		rj->with = MR_RJ_TCP_RESET;
	else if (d->family == MR_FAM_IP6 && code < sizeof(with6))
		rj->with = with6[code];
	else if (d->family == MR_FAM_IP && code < sizeof(with4))
		rj->with = with4[code];
	return rj->with != MR_RJ_DEFAULT;
}

static bool dec_log(struct dec *d, const struct nftnl_expr *e)
{
	struct mr_t_log *g;
	uint32_t f;

	if (!d->counted) {
		/* legacy -l / -o: "log" or "log group 0 snaplen N" */
		if (nftnl_expr_is_set(e, NFTNL_EXPR_LOG_GROUP)) {
			d->r->has |= MR_HAS_COPY;
			d->r->copy_size = nftnl_expr_get_u32(e, NFTNL_EXPR_LOG_SNAPLEN);
		} else {
			d->r->has |= MR_HAS_LOGFLAG;
		}
		return true;
	}
	g = dec_target(d, MR_V_LOG, sizeof(*g));
	g->level = 4;
	if (nftnl_expr_is_set(e, NFTNL_EXPR_LOG_PREFIX))
		g->prefix = ir_strdup(nftnl_expr_get_str(e, NFTNL_EXPR_LOG_PREFIX));
	if (nftnl_expr_is_set(e, NFTNL_EXPR_LOG_LEVEL)) {
		g->level = (uint8_t)nftnl_expr_get_u32(e, NFTNL_EXPR_LOG_LEVEL);
		g->level_set = true;
	}
	f = nftnl_expr_get_u32(e, NFTNL_EXPR_LOG_FLAGS);
	g->flags = (uint8_t)((f & 1 ? MR_LOG_TCPSEQ : 0) |
			     (f & 2 ? MR_LOG_TCPOPT : 0) |
			     (f & 4 ? MR_LOG_IPOPT : 0) |
			     (f & 8 ? MR_LOG_UID : 0) |
			     (f & 0x20 ? MR_LOG_MACDECODE : 0));
	return true;
}

static bool dec_verdict(struct dec *d, const struct nftnl_expr *e)
{
	int v = (int)nftnl_expr_get_u32(e, NFTNL_EXPR_IMM_VERDICT);
	const char *chain = nftnl_expr_get_str(e, NFTNL_EXPR_IMM_CHAIN);

	switch (v) {
	case NF_ACCEPT:
		dec_target(d, MR_V_ACCEPT, 0);
		return true;
	case NF_DROP:
		dec_target(d, MR_V_DROP, 0);
		return true;
	case NFT_RETURN:
		dec_target(d, MR_V_RETURN, 0);
		return true;
	case NFT_JUMP:
	case NFT_GOTO:
		if (!chain)
			return false;
		dec_target(d, v == NFT_JUMP ? MR_V_JUMP : MR_V_GOTO, 0);
		d->r->target.chain = ir_strdup(chain);
		return true;
	}
	return false;
}

static bool dec_immediate(struct dec *d, const struct nftnl_expr *e)
{
	uint32_t reg = nftnl_expr_get_u32(e, NFTNL_EXPR_IMM_DREG);

	if (reg == NFT_REG_VERDICT)
		return dec_verdict(d, e);
	if (reg < 1 || reg > 4)
		return false;
	return get(e, NFTNL_EXPR_IMM_DATA, d->imm[reg - 1], 16,
		   &d->immlen[reg - 1]);
}

/* "meta|ct set mark" from register 1: value (immediate) or the loaded
 * mark changed by a bitwise just before. */
static bool dec_mark_set(struct dec *d, bool ct, uint32_t value,
			 uint32_t mask)
{
	struct mr_t_connmark *cm;
	struct mr_t_mark *k;

	if (!ct && !d->counted && mask == 0xffffffffu) {
		d->r->has |= MR_HAS_FWMARK;
		d->r->fwmark_op = MR_FWM_SET;
		d->r->fwmark = value;
		return true;
	}
	if (ct) {
		cm = dec_target(d, MR_V_CONNMARK, sizeof(*cm));
		cm->mode = MR_CONNMARK_SET;
		cm->value = value;
		cm->ctmask = mask;
		cm->nfmask = 0xffffffffu;
		return true;
	}
	k = dec_target(d, MR_V_MARK, sizeof(*k));
	k->op = MR_MK_XSET;
	k->value = value;
	k->mask = mask;
	return true;
}

/* A load that feeds a "set": [load mark] bitwise, then meta/ct set. */
static bool dec_load_set(struct dec *d, bool ct_load)
{
	const struct nftnl_expr *b = peek(d, "bitwise"), *s;
	uint8_t keep[16], xor[16];
	uint32_t len;
	bool ct_set;

	if (!b || d->i + 1 >= d->n)
		return false;
	s = d->e[d->i + 1];
	ct_set = !strcmp(ename(s), "ct");
	if ((!ct_set && strcmp(ename(s), "meta")) ||
	    !nftnl_expr_is_set(s, ct_set ? NFTNL_EXPR_CT_SREG : NFTNL_EXPR_META_SREG) ||
	    ct_load != ct_set ||
	    !get(b, NFTNL_EXPR_BITWISE_MASK, keep, 16, &len) || len != 4 ||
	    !get(b, NFTNL_EXPR_BITWISE_XOR, xor, 16, &len))
		return false;
	d->i += 2;
	return dec_mark_set(d, ct_set, u32(xor), ~u32(keep));
}

/* ------------------------------------------------------------------ */
/* The expression loop                                                 */

static bool dec_meta(struct dec *d, const struct nftnl_expr *e)
{
	uint32_t key = nftnl_expr_get_u32(e, NFTNL_EXPR_META_KEY);
	struct dec_rel rel;

	if (nftnl_expr_is_set(e, NFTNL_EXPR_META_SREG))
		return key == NFT_META_MARK &&
		       dec_mark_set(d, false, u32(d->imm[0]), 0xffffffffu);
	if (key == NFT_META_MARK && peek(d, "bitwise") && d->i + 1 < d->n &&
	    strcmp(ename(d->e[d->i + 1]), "cmp"))
		return dec_load_set(d, false);
	if (!dec_rel(d, &rel))
		return false;
	switch (key) {
	case NFT_META_IIFNAME:
		return dec_iface(d, false, &rel);
	case NFT_META_OIFNAME:
		return dec_iface(d, true, &rel);
	case NFT_META_L4PROTO:
		d->meta_l4 = true;
		return dec_proto(d, &rel);
	case NFT_META_MARK:
		return dec_mark(d, MR_M_MARK, &rel);
	}
	return false;
}

static bool dec_ctexpr(struct dec *d, const struct nftnl_expr *e)
{
	uint32_t key = nftnl_expr_get_u32(e, NFTNL_EXPR_CT_KEY);
	struct dec_rel rel;

	if (nftnl_expr_is_set(e, NFTNL_EXPR_CT_SREG))
		return key == NFT_CT_MARK &&
		       dec_mark_set(d, true, u32(d->imm[0]), 0xffffffffu);
	if (key == NFT_CT_MARK && d->counted)
		return dec_load_set(d, true);
	return dec_rel(d, &rel) && dec_ct(d, key, &rel);
}

static bool dec_one(struct dec *d)
{
	const struct nftnl_expr *e = d->e[d->i++];
	const char *n = ename(e);

	if (!strcmp(n, "payload"))
		return dec_payload(d, e);
	if (!strcmp(n, "meta"))
		return dec_meta(d, e);
	if (!strcmp(n, "ct"))
		return dec_ctexpr(d, e);
	if (!strcmp(n, "limit"))
		return dec_limit(d, e);
	if (!strcmp(n, "log"))
		return dec_log(d, e);
	if (!strcmp(n, "immediate"))
		return dec_immediate(d, e);
	if (!strcmp(n, "masq") || !strcmp(n, "redir"))
		return dec_masq(d, e, n[0] == 'm');
	if (!strcmp(n, "nat"))
		return dec_nat(d, e);
	if (!strcmp(n, "reject"))
		return dec_reject(d, e);
	if (!strcmp(n, "notrack")) {
		dec_target(d, MR_V_NOTRACK, 0);
		return true;
	}
	if (!strcmp(n, "counter") && !d->counted) {
		d->counted = true;
		d->r->pkts = nftnl_expr_get_u64(e, NFTNL_EXPR_CTR_PACKETS);
		d->r->bytes = nftnl_expr_get_u64(e, NFTNL_EXPR_CTR_BYTES);
		return true;
	}
	return false;
}

/* A "meta l4proto" that no transport field followed was a bare -m tcp. */
static void dec_bare_l4(struct dec *d)
{
	struct mr_rule *r = d->r;

	if (d->family != MR_FAM_IP || !d->meta_l4 || !(r->has & MR_HAS_PROTO) ||
	    (r->proto != 6 && r->proto != 17) || ir_match_find(r, MR_M_TCP) ||
	    ir_match_find(r, MR_M_UDP))
		return;
	dec_l4match(d);
}

static void dec_comment(struct dec *d, const struct nftnl_rule *nr)
{
	const struct nftnl_udata *ud;
	const void *data;
	uint32_t len;
	struct mr_match *m;

	data = nftnl_rule_get_data(nr, NFTNL_RULE_USERDATA, &len);
	if (!data)
		return;
	for (ud = data; (const char *)ud < (const char *)data + len;
	     ud = nftnl_udata_next(ud)) {
		if (nftnl_udata_type(ud) != NFTNL_UDATA_RULE_COMMENT)
			continue;
		m = ir_match_add(d->r, MR_M_COMMENT, sizeof(struct mr_m_comment));
		MR_MDATA(m, struct mr_m_comment)->text =
			strndup(nftnl_udata_get(ud), nftnl_udata_len(ud));
	}
}

/* ------------------------------------------------------------------ */
/* The check: linearize the decoded rule again                         */

/*
 * The kernel dumps what it filled in itself: the maximum register of a
 * NAT port or address range equal to the minimum, and the log level.  Our
 * own expressions get the same before the comparison.
 */
void dec_kernel_form(struct nftnl_expr *e)
{
	static const uint16_t pairs[][3] = {
		{ 'm', NFTNL_EXPR_MASQ_REG_PROTO_MIN, NFTNL_EXPR_MASQ_REG_PROTO_MAX },
		{ 'r', NFTNL_EXPR_REDIR_REG_PROTO_MIN, NFTNL_EXPR_REDIR_REG_PROTO_MAX },
		{ 'n', NFTNL_EXPR_NAT_REG_PROTO_MIN, NFTNL_EXPR_NAT_REG_PROTO_MAX },
		{ 'n', NFTNL_EXPR_NAT_REG_ADDR_MIN, NFTNL_EXPR_NAT_REG_ADDR_MAX },
	};
	const char *n = ename(e);
	size_t i;

	if (!strcmp(n, "log")) {
		if (!nftnl_expr_is_set(e, NFTNL_EXPR_LOG_GROUP) &&
		    !nftnl_expr_is_set(e, NFTNL_EXPR_LOG_LEVEL))
			nftnl_expr_set_u32(e, NFTNL_EXPR_LOG_LEVEL, 4);
		return;
	}
	if (strcmp(n, "masq") && strcmp(n, "redir") && strcmp(n, "nat"))
		return;
	if (!strcmp(n, "nat") && nftnl_expr_is_set(e, NFTNL_EXPR_NAT_REG_ADDR_MIN))
		nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_FLAGS, NF_NAT_RANGE_MAP_IPS |
				   nftnl_expr_get_u32(e, NFTNL_EXPR_NAT_FLAGS));
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		if (pairs[i][0] == n[0] && nftnl_expr_is_set(e, pairs[i][1]) &&
		    !nftnl_expr_is_set(e, pairs[i][2]))
			nftnl_expr_set_u32(e, pairs[i][2],
					   nftnl_expr_get_u32(e, pairs[i][1]));
}

static unsigned dec_exprs(const struct nftnl_rule *nr,
			  const struct nftnl_expr **v)
{
	struct nftnl_expr_iter *it = nftnl_expr_iter_create(nr);
	struct nftnl_expr *e;
	unsigned n = 0;

	while (it && (e = nftnl_expr_iter_next(it)))
		if (n < DEC_MAX_EXPR + 1)
			v[n++] = e;
	nftnl_expr_iter_destroy(it);
	return n;
}

bool dec_same_expr(const struct nftnl_expr *a, const struct nftnl_expr *b)
{
	char sa[512], sb[512];

	if (strcmp(ename(a), ename(b)))
		return false;
	if (!strcmp(ename(a), "counter"))
		return true;	/* the values are the kernel's */
	if (!strcmp(ename(a), "lookup"))
		return nftnl_expr_get_u32(a, NFTNL_EXPR_LOOKUP_SREG) ==
		       nftnl_expr_get_u32(b, NFTNL_EXPR_LOOKUP_SREG);	/* anonymous set names are the kernel's */
	nftnl_expr_snprintf(sa, sizeof(sa), a, NFTNL_OUTPUT_DEFAULT, 0);
	nftnl_expr_snprintf(sb, sizeof(sb), b, NFTNL_OUTPUT_DEFAULT, 0);
	return !strcmp(sa, sb);
}

/* Both rules carry the same user data (the source text), or neither. */
bool dec_same_udata(const struct nftnl_rule *a, const struct nftnl_rule *b)
{
	const void *da, *db;
	uint32_t la = 0, lb = 0;

	da = nftnl_rule_get_data(a, NFTNL_RULE_USERDATA, &la);
	db = nftnl_rule_get_data(b, NFTNL_RULE_USERDATA, &lb);
	if (!da || !db)
		return !da && !db;
	return la == lb && !memcmp(da, db, la);
}

static bool dec_verify(const struct nftnl_rule *kernel, const struct dec *d,
		       const char *chain, struct erec_list *errs)
{
	const struct nftnl_expr *b[DEC_MAX_EXPR + 1];
	struct lin_ctx c = { .family = d->family, .errs = errs };
	struct erec_list quiet;
	struct nftnl_rule *nr;
	unsigned n, i;
	bool same;

	/* a rule the linearizer refuses is simply not ours */
	erec_init(&quiet);
	c.errs = &quiet;
	nr = lin_rule_build(&c, chain, d->r);
	erec_free(&quiet);
	if (!nr)
		return false;
	n = dec_exprs(nr, b);
	for (i = 0; i < n && i <= DEC_MAX_EXPR; i++)
		dec_kernel_form((struct nftnl_expr *)b[i]);
	same = n == d->n && dec_same_udata(kernel, nr);
	for (i = 0; same && i < n; i++)
		same = dec_same_expr(d->e[i], b[i]);
	nftnl_rule_free(nr);
	return same;
}

struct mr_rule *dec_rule(const struct nftnl_rule *nr, uint8_t family,
			 const char *chain, struct erec_list *errs)
{
	struct dec d = { .family = family };
	bool ok = true;

	d.n = dec_exprs(nr, d.e);
	if (d.n > DEC_MAX_EXPR)
		return NULL;
	d.r = ir_rule_new(family);
	while (ok && d.i < d.n)
		ok = dec_one(&d);
	if (ok) {
		dec_bare_l4(&d);
		dec_comment(&d, nr);
		ok = dec_verify(nr, &d, chain, errs);
	}
	if (!ok) {
		ir_rule_free(d.r);
		return NULL;
	}
	return d.r;
}
