/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Linearization of what a rule does: the legacy side actions (log, copy
 * to userspace, mark), the counter every lowered rule carries, then the
 * target -- in print_rule_nft()'s order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_nat.h>
#include <libnftnl/expr.h>
#include "addr.h"
#include "ir_ext.h"
#include "lin.h"
#include "xt.h"

#define NH NFT_PAYLOAD_NETWORK_HEADER

/* nf_log flags (linux/netfilter/nf_log.h) */
enum {
	LOGF_TCPSEQ = 0x01, LOGF_TCPOPT = 0x02, LOGF_IPOPT = 0x04,
	LOGF_UID = 0x08, LOGF_MACDECODE = 0x20,
};

static struct nftnl_expr *lin_new(const char *name)
{
	struct nftnl_expr *e = nftnl_expr_alloc(name);

	if (!e)
		abort();
	return e;
}

/* ------------------------------------------------------------------ */
/* Side actions                                                        */

static void lin_meta_set(struct lin_rule *l, uint32_t key)
{
	struct nftnl_expr *e = lin_new("meta");

	nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_SREG, NFT_REG_1);
	lin_add(l, e);
}

static void lin_ct_set(struct lin_rule *l, uint32_t key)
{
	struct nftnl_expr *e = lin_new("ct");

	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, key);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_SREG, NFT_REG_1);
	lin_add(l, e);
}

static void lin_log_group(struct lin_rule *l, uint32_t snaplen)
{
	struct nftnl_expr *e = lin_new("log");

	nftnl_expr_set_u16(e, NFTNL_EXPR_LOG_GROUP, 0);
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOG_SNAPLEN, snaplen);
	lin_add(l, e);
}

static void lin_legacy(struct lin_rule *l)
{
	const struct mr_rule *r = l->r;

	if (r->has & (MR_HAS_VIAADDR | MR_HAS_TOS | MR_HAS_ACCT_DIR)) {
		lin_fail(l, NULL, "-V, -t and accounting directions are left to the lowering, which did not remove them");
		return;
	}
	if (r->has & MR_HAS_LOGFLAG)
		lin_add(l, lin_new("log"));
	if (r->has & MR_HAS_COPY)
		lin_log_group(l, r->copy_size);
	if (r->has & MR_HAS_FWMARK) {
		if (r->fwmark_op != MR_FWM_SET) {
			lin_fail(l, NULL, "mark arithmetic has no nftables form");
			return;
		}
		lin_imm_data(l, NFT_REG_1, &r->fwmark, 4);
		lin_meta_set(l, NFT_META_MARK);
	}
}

/* ------------------------------------------------------------------ */
/* Targets                                                             */

static void lin_reject(struct lin_rule *l)
{
	static const uint8_t code4[] = {
		[MR_RJ_NET_UNREACH] = 0, [MR_RJ_HOST_UNREACH] = 1,
		[MR_RJ_PROTO_UNREACH] = 2, [MR_RJ_PORT_UNREACH] = 3,
		[MR_RJ_NET_PROHIB] = 9, [MR_RJ_HOST_PROHIB] = 10,
		[MR_RJ_ADMIN_PROHIB] = 13,
	};
	static const uint8_t code6[] = {
		[MR_RJ6_NO_ROUTE - MR_RJ6_NO_ROUTE] = 0,
		[MR_RJ6_ADM_PROHIB - MR_RJ6_NO_ROUTE] = 1,
		[MR_RJ6_ADDR_UNREACH - MR_RJ6_NO_ROUTE] = 3,
		[MR_RJ6_PORT_UNREACH - MR_RJ6_NO_ROUTE] = 4,
		[MR_RJ6_POLICY_FAIL - MR_RJ6_NO_ROUTE] = 5,
		[MR_RJ6_REJECT_ROUTE - MR_RJ6_NO_ROUTE] = 6,
	};
	const struct mr_t_reject *rj = l->r->target.data;
	uint8_t with = rj ? rj->with : MR_RJ_DEFAULT;
	bool v6 = l->c->family == MR_FAM_IP6;
	struct nftnl_expr *e = lin_new("reject");
	uint32_t type = NFT_REJECT_ICMP_UNREACH, code;

	if (with == MR_RJ_DEFAULT)
		with = v6 ? MR_RJ6_PORT_UNREACH : MR_RJ_PORT_UNREACH;
	if (with == MR_RJ_TCP_RESET) {
		type = NFT_REJECT_TCP_RST;
		code = 0;
	} else if (v6 && with >= MR_RJ6_NO_ROUTE) {
		code = code6[with - MR_RJ6_NO_ROUTE];
	} else if (!v6 && with >= MR_RJ_NET_UNREACH &&
		   with <= MR_RJ_ADMIN_PROHIB) {
		code = code4[with];
	} else {
		nftnl_expr_free(e);
		lin_fail(l, &l->r->target.loc, "reject type of the other family");
		return;
	}
	nftnl_expr_set_u32(e, NFTNL_EXPR_REJECT_TYPE, type);
	nftnl_expr_set_u8(e, NFTNL_EXPR_REJECT_CODE, (uint8_t)code);
	lin_add(l, e);
}

static uint32_t nat_flags(const struct mr_t_nat *t)
{
	uint32_t f = 0;

	if (t->flags & MR_NAT_PORTS)
		f |= NF_NAT_RANGE_PROTO_SPECIFIED;
	if (t->flags & MR_NAT_RANDOM)
		f |= NF_NAT_RANGE_PROTO_RANDOM;
	if (t->flags & MR_NAT_PERSISTENT)
		f |= NF_NAT_RANGE_PERSISTENT;
	if (t->flags & MR_NAT_RANDOM_FULLY)
		f |= NF_NAT_RANGE_PROTO_RANDOM_FULLY;
	return f;
}

/* Port registers as nft fills them: min, and max only when different. */
static uint32_t lin_nat_ports(struct lin_rule *l, const struct mr_t_nat *t,
			      uint32_t reg, uint32_t *pmin, uint32_t *pmax)
{
	uint16_t lo = htons(t->min_port), hi = htons(t->max_port);

	*pmin = *pmax = 0;
	if (!(t->flags & MR_NAT_PORTS))
		return reg;
	lin_imm_data(l, reg, &lo, 2);
	*pmin = reg++;
	if (t->max_port != t->min_port) {
		lin_imm_data(l, reg, &hi, 2);
		*pmax = reg++;
	}
	return reg;
}

static void lin_masq_redir(struct lin_rule *l, bool masq)
{
	static const struct mr_t_nat none;
	const struct mr_t_nat *t = l->r->target.data ? l->r->target.data : &none;
	struct nftnl_expr *e;
	uint32_t pmin, pmax, f = nat_flags(t);

	lin_nat_ports(l, t, NFT_REG_1, &pmin, &pmax);
	e = lin_new(masq ? "masq" : "redir");
	if (pmin)
		nftnl_expr_set_u32(e, masq ? NFTNL_EXPR_MASQ_REG_PROTO_MIN :
				   NFTNL_EXPR_REDIR_REG_PROTO_MIN, pmin);
	if (pmax)
		nftnl_expr_set_u32(e, masq ? NFTNL_EXPR_MASQ_REG_PROTO_MAX :
				   NFTNL_EXPR_REDIR_REG_PROTO_MAX, pmax);
	if (f)
		nftnl_expr_set_u32(e, masq ? NFTNL_EXPR_MASQ_FLAGS :
				   NFTNL_EXPR_REDIR_FLAGS, f);
	lin_add(l, e);
}

static void lin_nat(struct lin_rule *l, bool dnat)
{
	const struct mr_t_nat *t = l->r->target.data;
	uint32_t alen = addr_bytes(l->c->family), reg = NFT_REG_1;
	uint32_t amin = 0, amax = 0, pmin, pmax, f;
	struct nftnl_expr *e;

	if (!t || (t->flags & MR_NAT_BASE)) {
		lin_fail(l, &l->r->target.loc, "this NAT target has no nftables form");
		return;
	}
	if (t->flags & MR_NAT_ADDR) {
		lin_imm_data(l, amin = reg++, t->min_addr, alen);
		if (memcmp(t->min_addr, t->max_addr, alen))
			lin_imm_data(l, amax = reg++, t->max_addr, alen);
	}
	lin_nat_ports(l, t, reg, &pmin, &pmax);
	e = lin_new("nat");
	nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_TYPE,
			   dnat ? NFT_NAT_DNAT : NFT_NAT_SNAT);
	nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_FAMILY, l->c->family);
	if (amin)
		nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_ADDR_MIN, amin);
	if (amax)
		nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_ADDR_MAX, amax);
	if (pmin)
		nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_PROTO_MIN, pmin);
	if (pmax)
		nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_PROTO_MAX, pmax);
	if ((f = nat_flags(t)))
		nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_FLAGS, f);
	lin_add(l, e);
}

static void lin_log(struct lin_rule *l)
{
	const struct mr_t_log *g = l->r->target.data;
	struct nftnl_expr *e = lin_new("log");
	uint32_t f = 0;

	if (g && g->prefix && *g->prefix)
		nftnl_expr_set_str(e, NFTNL_EXPR_LOG_PREFIX, g->prefix);
	/* print_nft prints a level only when it is not the default 4 */
	if (g && g->level != 4 && g->level < 8)
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOG_LEVEL, g->level);
	if (g) {
		f |= g->flags & MR_LOG_TCPSEQ ? LOGF_TCPSEQ : 0;
		f |= g->flags & MR_LOG_TCPOPT ? LOGF_TCPOPT : 0;
		f |= g->flags & MR_LOG_IPOPT ? LOGF_IPOPT : 0;
		f |= g->flags & MR_LOG_UID ? LOGF_UID : 0;
		f |= g->flags & MR_LOG_MACDECODE ? LOGF_MACDECODE : 0;
	}
	if (f)
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOG_FLAGS, f);
	lin_add(l, e);
}

/* new = (old & ~mask) ^ value, as "meta/ct mark set"; load is the key
 * the old value comes from. */
static void lin_mark_set(struct lin_rule *l, bool ct_load, bool ct_store,
			 uint32_t value, uint32_t mask)
{
	uint32_t keep = ~mask;

	if (mask == 0xffffffffu) {
		lin_imm_data(l, NFT_REG_1, &value, 4);
	} else {
		if (ct_load)
			lin_ct_load(l, NFT_CT_MARK);
		else
			lin_meta_load(l, NFT_META_MARK);
		lin_bitwise(l, &keep, &value, 4);
	}
	if (ct_store)
		lin_ct_set(l, NFT_CT_MARK);
	else
		lin_meta_set(l, NFT_META_MARK);
}

static void lin_connmark(struct lin_rule *l)
{
	const struct mr_t_connmark *d = l->r->target.data;
	static const uint32_t zero;
	bool save;

	if (d->shift_bits || (d->mode != MR_CONNMARK_SET &&
			      d->nfmask != d->ctmask)) {
		lin_fail(l, &l->r->target.loc, "this CONNMARK form is not linearized yet");
		return;
	}
	if (d->mode == MR_CONNMARK_SET) {
		lin_mark_set(l, true, true, d->value, d->ctmask);
		return;
	}
	/* save: ct mark set mark [and m]; restore: the other way round */
	save = d->mode == MR_CONNMARK_SAVE;
	if (save)
		lin_meta_load(l, NFT_META_MARK);
	else
		lin_ct_load(l, NFT_CT_MARK);
	if (d->ctmask != 0xffffffffu)
		lin_bitwise(l, &d->ctmask, &zero, 4);
	if (save)
		lin_ct_set(l, NFT_CT_MARK);
	else
		lin_meta_set(l, NFT_META_MARK);
}

static void lin_dscp_set(struct lin_rule *l)
{
	const struct mr_t_dscp *d = l->r->target.data;
	uint8_t mask[2] = { 0xff, 0x03 }, xor[2] = { 0, (uint8_t)(d->dscp << 2) };
	struct nftnl_expr *e;

	if (l->c->family != MR_FAM_IP) {
		lin_fail(l, &l->r->target.loc, "the IPv6 DSCP target is not linearized yet");
		return;
	}
	/* nft rewrites the first two bytes and fixes the IPv4 checksum */
	lin_flush(l);
	lin_payload_load(l, NH, 0, 2);
	lin_bitwise(l, mask, xor, 2);
	e = lin_new("payload");
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, NH);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, 0);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, 2);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_CSUM_TYPE, NFT_PAYLOAD_CSUM_INET);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_CSUM_OFFSET, 10);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_FLAGS, 0);
	lin_add(l, e);
}

static void lin_target(struct lin_rule *l)
{
	const struct mr_target *t = &l->r->target;
	const struct mr_t_mark *k;
	const struct mr_xt *xt;

	switch (t->kind) {
	case MR_V_NONE:
		return;
	case MR_V_ACCEPT:
		return lin_verdict(l, NF_ACCEPT, NULL);
	case MR_V_DROP:
		return lin_verdict(l, NF_DROP, NULL);
	case MR_V_RETURN:
		return lin_verdict(l, NFT_RETURN, NULL);
	case MR_V_JUMP:
		return lin_verdict(l, NFT_JUMP, t->chain);
	case MR_V_GOTO:
		return lin_verdict(l, NFT_GOTO, t->chain);
	case MR_V_REJECT:
		return lin_reject(l);
	case MR_V_MASQ:
		return lin_masq_redir(l, true);
	case MR_V_REDIRECT:
		return lin_masq_redir(l, false);
	case MR_V_SNAT:
	case MR_V_DNAT:
		return lin_nat(l, t->kind == MR_V_DNAT);
	case MR_V_LOG:
		return lin_log(l);
	case MR_V_MARK:
		if (!(k = t->data))
			break;
		return lin_mark_set(l, false, false, k->value, k->mask);
	case MR_V_CONNMARK:
		return lin_connmark(l);
	case MR_V_DSCP:
		return lin_dscp_set(l);
	case MR_V_NOTRACK:
		return lin_add(l, lin_new("notrack"));
	}
	xt = xt_by_kind(t->kind, true);
	lin_fail(l, &t->loc, "the %s target is not linearized yet",
		 xt ? xt->name : ir_verdict_name(t->kind));
}

/* The counter, at the rule's counters (restore's [p:b], or those read
 * back before a reinstall). */
static void lin_counter(struct lin_rule *l)
{
	struct nftnl_expr *e = lin_new("counter");

	if (l->r->pkts || l->r->bytes) {
		nftnl_expr_set_u64(e, NFTNL_EXPR_CTR_PACKETS, l->r->pkts);
		nftnl_expr_set_u64(e, NFTNL_EXPR_CTR_BYTES, l->r->bytes);
	}
	lin_add(l, e);
}

void lin_actions(struct lin_rule *l)
{
	if (l->failed)
		return;
	lin_legacy(l);
	if (l->failed)
		return;
	lin_counter(l);
	lin_target(l);
}
