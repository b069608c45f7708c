/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Linearization of a rule's tests: the core fields in the order
 * print_rule_nft() prints them (iif, oif, fragment, protocol, source,
 * destination), then the matches in the order written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>
#include "addr.h"
#include "ir_ext.h"
#include "lin.h"
#include "services.h"
#include "xt.h"

#define BIT(n) (1u << (n))
#define NH NFT_PAYLOAD_NETWORK_HEADER
#define TH NFT_PAYLOAD_TRANSPORT_HEADER
#define LL NFT_PAYLOAD_LL_HEADER

/* nft datatypes and protocol description ids used in set keys. */
enum { DT_INET_SERVICE = 13, DT_ICMP_TYPE = 14, DT_ICMP_CODE = 32 };
enum { DESC_ICMP = 4, DESC_UDP = 6, DESC_TCP = 8 };

static bool is6(const struct lin_rule *l)
{
	return l->c->family == MR_FAM_IP6;
}

/* ------------------------------------------------------------------ */
/* Core fields                                                         */

/* iptables' '+' suffix is a prefix match on the name's bytes. */
static void lin_iface(struct lin_rule *l, uint32_t key, const char *name,
		      bool inv)
{
	char buf[MR_IFNAMSIZ] = { 0 };
	size_t n = strnlen(name, MR_IFNAMSIZ - 1);

	if (!strcmp(name, "+")) {
		if (!inv)
			return;
		/* nft's spelling of "no interface at all" */
		strcpy(buf, "INVAL/D");
		n = sizeof(buf);
	} else if (n && name[n - 1] == '+') {
		memcpy(buf, name, --n);
	} else {
		memcpy(buf, name, n);
		n = sizeof(buf);
	}
	lin_meta_load(l, key);
	lin_cmp(l, inv ? LIN_NE : LIN_EQ, buf, (uint32_t)n);
}

static void lin_prefix(struct lin_rule *l, bool src,
		       const struct mr_prefix *p, bool inv)
{
	uint32_t alen = addr_bytes(l->c->family);
	uint32_t off = is6(l) ? (src ? 8 : 24) : (src ? 12 : 16);
	int len = addr_mask_len(p->mask, l->c->family);
	uint8_t val[16];
	unsigned i;

	for (i = 0; i < alen; i++)
		val[i] = p->addr[i] & p->mask[i];
	if (len == (int)alen * 8 && !inv)
		lin_payload_eq(l, NH, off, alen, val);
	else if (len == (int)alen * 8)
		lin_payload_cmp(l, NH, off, alen, NULL, true, val);
	else if (len > 0 && len % 8 == 0)
		/* nft loads only the bytes of a byte-aligned prefix */
		lin_payload_cmp(l, NH, off, (uint32_t)len / 8, NULL, inv, val);
	else
		lin_payload_cmp(l, NH, off, alen, p->mask, inv, val);
}

static void lin_proto(struct lin_rule *l)
{
	const struct mr_rule *r = l->r;
	bool inv = r->inv & MR_INV_PROTO;

	if (is6(l)) {
		lin_meta_load(l, NFT_META_L4PROTO);
		lin_cmp(l, inv ? LIN_NE : LIN_EQ, &r->proto, 1);
	} else if (inv) {
		lin_payload_cmp(l, NH, 9, 1, NULL, true, &r->proto);
	} else {
		lin_payload_eq(l, NH, 9, 1, &r->proto);
	}
	if (!inv)
		l->l4 = r->proto;
}

/* The same test as print_nft.c: iptables-translate leaves the protocol
 * to a match named after it. */
static bool proto_in_match(const struct mr_rule *r)
{
	const char *name = proto_name(r->proto);
	const struct mr_match *m;
	const struct mr_xt *xt;

	if (!name)
		return false;
	for (m = r->matches; m; m = m->next) {
		xt = xt_by_kind(m->kind, false);
		if (xt && (!strcmp(xt->name, name) ||
			   (r->proto == 58 && !strcmp(xt->name, "icmp6"))))
			return true;
	}
	return false;
}

static void lin_core(struct lin_rule *l)
{
	const struct mr_rule *r = l->r;
	static const uint8_t frag_mask[2] = { 0x1f, 0xff }, zero[2];

	if (r->has & MR_HAS_IIF)
		lin_iface(l, NFT_META_IIFNAME, r->iif, r->inv & MR_INV_IIF);
	if (r->has & MR_HAS_OIF)
		lin_iface(l, NFT_META_OIFNAME, r->oif, r->inv & MR_INV_OIF);
	if (r->has & MR_HAS_FRAG) {
		if (is6(l)) {
			lin_fail(l, NULL, "the fragment test is IPv4 only");
			return;
		}
		lin_payload_cmp(l, NH, 6, 2, frag_mask,
				!(r->inv & MR_INV_FRAG), zero);
	}
	if ((r->has & MR_HAS_PROTO) && !proto_in_match(r))
		lin_proto(l);
	if (r->has & MR_HAS_SRC)
		lin_prefix(l, true, &r->src, r->inv & MR_INV_SRC);
	if (r->has & MR_HAS_DST)
		lin_prefix(l, false, &r->dst, r->inv & MR_INV_DST);
}

/* ------------------------------------------------------------------ */
/* Ports, ICMP, lists                                                  */

static void be16(uint8_t out[2], uint16_t v)
{
	out[0] = (uint8_t)(v >> 8);
	out[1] = (uint8_t)v;
}

/* "th field [!=] lo[-hi]" on a loaded-or-merged payload. */
static void lin_field_range(struct lin_rule *l, uint32_t off, uint32_t len,
			    uint16_t lo, uint16_t hi, bool inv)
{
	uint8_t a[2], b[2];

	if (len == 2) {
		be16(a, lo);
		be16(b, hi);
	} else {
		a[0] = (uint8_t)lo;
		b[0] = (uint8_t)hi;
	}
	if (lo == hi && !inv) {
		lin_payload_eq(l, TH, off, len, a);
		return;
	}
	lin_flush(l);
	lin_payload_load(l, TH, off, len);
	lin_cmp_range(l, inv, a, b, len);
}

static void lin_tcp_flags(struct lin_rule *l, const struct mr_m_tcp *t,
			  bool inv)
{
	static const uint8_t zero;

	lin_flush(l);
	lin_payload_load(l, TH, 13, 1);
	lin_bitwise(l, &t->flg_mask, &zero, 1);
	lin_cmp(l, inv ? LIN_NE : LIN_EQ, &t->flg_cmp, 1);
}

static void lin_tcpudp(struct lin_rule *l, const struct mr_match *m,
		       uint8_t proto)
{
	const struct mr_range16 *sp, *dp;
	const struct mr_m_tcp *t = NULL;

	if (proto == 6) {
		t = MR_MDATA(m, const struct mr_m_tcp);
		sp = &t->sport;
		dp = &t->dport;
	} else {
		sp = &MR_MDATA(m, const struct mr_m_udp)->sport;
		dp = &MR_MDATA(m, const struct mr_m_udp)->dport;
	}
	if (proto == 6 && (m->has & BIT(MR_TCP_OPTION))) {
		lin_fail(l, &m->loc, "tcp option tests are not linearized yet");
		return;
	}
	if (!(m->has & (BIT(MR_TCP_SPORT) | BIT(MR_TCP_DPORT) |
			BIT(MR_TCP_FLAGS)))) {
		/* a bare -m tcp: "meta l4proto tcp" */
		lin_meta_load(l, NFT_META_L4PROTO);
		lin_cmp(l, LIN_EQ, &proto, 1);
		l->l4 = proto;
		return;
	}
	lin_l4_dep(l, proto);
	if (m->has & BIT(MR_TCP_SPORT))
		lin_field_range(l, 0, 2, sp->lo, sp->hi,
				m->inv & BIT(MR_TCP_SPORT));
	if (m->has & BIT(MR_TCP_DPORT))
		lin_field_range(l, 2, 2, dp->lo, dp->hi,
				m->inv & BIT(MR_TCP_DPORT));
	if (t && (m->has & BIT(MR_TCP_FLAGS)))
		lin_tcp_flags(l, t, m->inv & BIT(MR_TCP_FLAGS));
}

static void lin_icmp(struct lin_rule *l, const struct mr_match *m)
{
	const struct mr_m_icmp *ic = MR_MDATA(m, const struct mr_m_icmp);
	uint8_t proto = m->kind == MR_M_ICMP6 ? 58 : 1;

	if (ic->any) {
		if (is6(l)) {
			lin_fail(l, &m->loc, "icmp type any in an IPv6 rule");
			return;
		}
		lin_payload_eq(l, NH, 9, 1, &proto);
		l->l4 = proto;
		return;
	}
	if ((m->has & BIT(MR_ICMP_CODE)) && (m->inv & BIT(0))) {
		lin_fail(l, &m->loc, "a negated type and code has no nftables form");
		return;
	}
	lin_l4_dep(l, proto);
	lin_field_range(l, 0, 1, ic->type, ic->type, m->inv & BIT(0));
	if (m->has & BIT(MR_ICMP_CODE))
		lin_field_range(l, 1, 1, ic->code_lo, ic->code_hi, false);
}

/* nft's typeof note of a set keyed by a transport header field:
 * expression payload, protocol description id, field id. */
static void lin_typeof(uint8_t ud[20], uint8_t desc, uint8_t field)
{
	static const uint8_t tmpl[20] = {
		0, 4, 7, 0, 0, 0,	/* TYPEOF_EXPR: EXPR_PAYLOAD */
		1, 12,			/* TYPEOF_DATA */
		0, 4, 0, 0, 0, 0,	/*   protocol description */
		1, 4, 0, 0, 0, 0,	/*   header field */
	};

	memcpy(ud, tmpl, sizeof(tmpl));
	ud[10] = desc;
	ud[16] = field;
}

/* A list of ports or ICMP types/codes: one value, one range or a set. */
static void lin_list(struct lin_rule *l, uint32_t off, uint32_t len,
		     const struct mr_range16 *r, unsigned n, bool inv,
		     uint32_t dtype, uint8_t desc)
{
	struct lin_set_key k = { .dtype = dtype, .len = len };
	uint8_t ud[20];

	if (n == 1) {
		lin_field_range(l, off, len, r[0].lo, r[0].hi, inv);
		return;
	}
	lin_typeof(ud, desc, len == 2 ? (off == 0 ? 1 : 2) : off + 1);
	k.typeof_ud = ud;
	k.typeof_len = sizeof(ud);
	lin_flush(l);
	lin_payload_load(l, TH, off, len);
	lin_lookup_ranges(l, &k, r, n, inv);
}

void lin_l4_ports(struct lin_rule *l, uint8_t proto, bool dport,
		  const struct mr_range16 *r, unsigned n, bool inv)
{
	lin_l4_dep(l, proto);
	lin_list(l, dport ? 2 : 0, 2, r, n, inv, DT_INET_SERVICE,
		 proto == 6 ? DESC_TCP : DESC_UDP);
}

static void lin_multiport(struct lin_rule *l, const struct mr_match *m)
{
	const struct mr_m_multiport *mp =
		MR_MDATA(m, const struct mr_m_multiport);
	uint8_t proto = l->r->proto;

	if (!(l->r->has & MR_HAS_PROTO) || (proto != 6 && proto != 17)) {
		lin_fail(l, &m->loc, "multiport is linearized for tcp and udp only");
		return;
	}
	if (mp->dir == MR_MP_ANY) {
		lin_fail(l, &m->loc, "multiport --ports (either direction) is not linearized yet");
		return;
	}
	lin_l4_ports(l, proto, mp->dir == MR_MP_DST, mp->ports.r, mp->ports.n,
		     m->inv & BIT(0));
}

/* ICMP types (sport) and codes (dport) of ipfwadm / ipchains lists,
 * entries above 255 left out as print does. */
static void lin_legacy_list(struct lin_rule *l, const struct mr_portlist *pl,
			    bool code, bool inv)
{
	struct mr_range16 r[MR_MAX_PORTS];
	unsigned i, n = 0;

	for (i = 0; i < pl->n; i++) {
		if (pl->r[i].lo > 255)
			continue;
		r[n].lo = pl->r[i].lo;
		r[n++].hi = pl->r[i].hi > 255 ? 255 : pl->r[i].hi;
	}
	if (!n) {
		lin_fail(l, NULL, "an ICMP list without any type or code");
		return;
	}
	lin_list(l, code ? 1 : 0, 1, r, n, inv,
		 code ? DT_ICMP_CODE : DT_ICMP_TYPE, DESC_ICMP);
}

static void lin_legacy_ports(struct lin_rule *l, const struct mr_match *m)
{
	const struct mr_m_legacy_ports *lp =
		MR_MDATA(m, const struct mr_m_legacy_ports);

	lin_l4_dep(l, 1);
	if (m->has & BIT(0))
		lin_legacy_list(l, &lp->sport, false, m->inv & BIT(0));
	if (m->has & BIT(1))
		lin_legacy_list(l, &lp->dport, true, m->inv & BIT(1));
}

/* ------------------------------------------------------------------ */
/* Conntrack, marks, limit and the rest                                */

void lin_ct_bits(struct lin_rule *l, uint32_t ctkey, uint32_t bits, bool inv)
{
	static const uint32_t zero;

	lin_ct_load(l, ctkey);
	lin_bitwise(l, &bits, &zero, 4);
	lin_cmp(l, inv ? LIN_EQ : LIN_NE, &zero, 4);
}

static uint32_t ct_state_bits(uint8_t s)
{
	/* IR order invalid, established, related, new, untracked */
	return (s & MR_CT_INVALID ? 1 : 0) | (s & MR_CT_ESTABLISHED ? 2 : 0) |
	       (s & MR_CT_RELATED ? 4 : 0) | (s & MR_CT_NEW ? 8 : 0) |
	       (s & MR_CT_UNTRACKED ? 64 : 0);
}

static void lin_states(struct lin_rule *l, const struct mr_match *m,
		       uint8_t states, bool inv)
{
	uint8_t nat = states & (MR_CT_SNAT | MR_CT_DNAT);

	if (nat && nat != states) {
		lin_fail(l, &m->loc, "conntrack states mixed with SNAT/DNAT have no nftables form");
		return;
	}
	if (nat)
		lin_ct_bits(l, NFT_CT_STATUS, (nat & MR_CT_SNAT ? 16 : 0) |
			 (nat & MR_CT_DNAT ? 32 : 0), inv);
	else
		lin_ct_bits(l, NFT_CT_STATE, ct_state_bits(states), inv);
}

static void lin_conntrack(struct lin_rule *l, const struct mr_match *m)
{
	const struct mr_m_conntrack *c = MR_MDATA(m, const struct mr_m_conntrack);
	uint16_t other = (uint16_t)(m->has & ~(BIT(MR_CTM_DIR) |
			  BIT(MR_CTM_STATE) | BIT(MR_CTM_STATUS)));

	if (other || ((m->has & BIT(MR_CTM_STATUS)) && !c->status)) {
		lin_fail(l, &m->loc, "this conntrack test is not linearized yet (state, status and direction are)");
		return;
	}
	if (m->has & BIT(MR_CTM_DIR)) {
		lin_ct_load(l, NFT_CT_DIRECTION);
		lin_cmp(l, LIN_EQ, &c->dir_reply, 1);
	}
	if (m->has & BIT(MR_CTM_STATE))
		lin_states(l, m, c->states, m->inv & BIT(MR_CTM_STATE));
	if (m->has & BIT(MR_CTM_STATUS))
		lin_ct_bits(l, NFT_CT_STATUS, c->status,
			 m->inv & BIT(MR_CTM_STATUS));
}

static void lin_mark(struct lin_rule *l, const struct mr_match *m, bool ct)
{
	const struct mr_m_mark *k = MR_MDATA(m, const struct mr_m_mark);
	static const uint32_t zero;

	if (ct)
		lin_ct_load(l, NFT_CT_MARK);
	else
		lin_meta_load(l, NFT_META_MARK);
	if (k->mask != 0xffffffffu)
		lin_bitwise(l, &k->mask, &zero, 4);
	lin_cmp(l, m->inv & BIT(0) ? LIN_NE : LIN_EQ, &k->value, 4);
}

static void lin_limit(struct lin_rule *l, const struct mr_match *m)
{
	static const uint64_t unit[] = { 1, 60, 3600, 86400 };
	const struct mr_m_limit *k = MR_MDATA(m, const struct mr_m_limit);
	struct nftnl_expr *e = nftnl_expr_alloc("limit");

	nftnl_expr_set_u64(e, NFTNL_EXPR_LIMIT_RATE, k->rate);
	nftnl_expr_set_u64(e, NFTNL_EXPR_LIMIT_UNIT, unit[k->unit & 3]);
	nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_BURST, k->burst);
	nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_TYPE, NFT_LIMIT_PKTS);
	nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_FLAGS, 0);
	lin_add(l, e);
}

static void lin_mac(struct lin_rule *l, const struct mr_match *m)
{
	static const uint16_t ether = 1;	/* ARPHRD_ETHER */

	/* nft's dependency of an ethernet header field */
	lin_meta_load(l, NFT_META_IIFTYPE);
	lin_cmp(l, LIN_EQ, &ether, 2);
	if (m->inv & BIT(0))
		lin_payload_cmp(l, LL, 6, 6, NULL, true,
				MR_MDATA(m, const struct mr_m_mac)->addr);
	else
		lin_payload_eq(l, LL, 6, 6,
			       MR_MDATA(m, const struct mr_m_mac)->addr);
}

static void lin_iprange(struct lin_rule *l, const struct mr_match *m)
{
	const struct mr_m_iprange *r = MR_MDATA(m, const struct mr_m_iprange);
	uint32_t alen = addr_bytes(l->c->family);
	bool v6 = is6(l);

	if (m->has & BIT(0)) {
		lin_flush(l);
		lin_payload_load(l, NH, v6 ? 8 : 12, alen);
		lin_cmp_range(l, m->inv & BIT(0), r->src_lo, r->src_hi, alen);
	}
	if (m->has & BIT(1)) {
		lin_flush(l);
		lin_payload_load(l, NH, v6 ? 24 : 16, alen);
		lin_cmp_range(l, m->inv & BIT(1), r->dst_lo, r->dst_hi, alen);
	}
}

static void lin_dscp(struct lin_rule *l, const struct mr_match *m)
{
	uint8_t mask = 0xfc, zero = 0;
	uint8_t v = (uint8_t)(MR_MDATA(m, const struct mr_m_dscp)->dscp << 2);

	if (is6(l)) {
		lin_fail(l, &m->loc, "the IPv6 dscp test is not linearized yet");
		return;
	}
	lin_flush(l);
	lin_payload_load(l, NH, 1, 1);
	lin_bitwise(l, &mask, &zero, 1);
	lin_cmp(l, m->inv & BIT(0) ? LIN_NE : LIN_EQ, &v, 1);
}

static void lin_match(struct lin_rule *l, const struct mr_match *m)
{
	const struct mr_xt *xt;

	switch (m->kind) {
	case MR_M_TCP:
		return lin_tcpudp(l, m, 6);
	case MR_M_UDP:
		return lin_tcpudp(l, m, 17);
	case MR_M_ICMP:
	case MR_M_ICMP6:
		return lin_icmp(l, m);
	case MR_M_MULTIPORT:
		return lin_multiport(l, m);
	case MR_M_LEGACY_PORTS:
		return lin_legacy_ports(l, m);
	case MR_M_STATE:
		return lin_states(l, m, MR_MDATA(m, const struct mr_m_ctstate)->states,
				  m->inv & BIT(0));
	case MR_M_CONNTRACK:
		return lin_conntrack(l, m);
	case MR_M_LIMIT:
		return lin_limit(l, m);
	case MR_M_MARK:
		return lin_mark(l, m, false);
	case MR_M_CONNMARK:
		return lin_mark(l, m, true);
	case MR_M_MAC:
		return lin_mac(l, m);
	case MR_M_IPRANGE:
		return lin_iprange(l, m);
	case MR_M_DSCP:
		return lin_dscp(l, m);
	case MR_M_COMMENT:
		return;		/* rule user data, lin_rule.c */
	}
	xt = xt_by_kind(m->kind, false);
	lin_fail(l, &m->loc, "the %s match is not linearized yet",
		 xt ? xt->name : "(unknown)");
}

void lin_matches(struct lin_rule *l)
{
	const struct mr_match *m;

	lin_core(l);
	for (m = l->r->matches; m && !l->failed; m = m->next)
		lin_match(l, m);
}
