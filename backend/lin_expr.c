/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Expression builders of the linearizer.  Two habits of nft are copied
 * because `nft list ruleset` shows them: adjacent "payload == value"
 * tests are merged into one load and compare (rule_postprocess in nft),
 * and a transport header field gets a "meta l4proto" test in front unless
 * the rule already tested the protocol.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/udata.h>
#include "lin.h"

void lin_fail(struct lin_rule *l, const struct mr_loc *loc,
	      const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!l->failed)
		erec_add(l->c->errs, EREC_ERROR, MR_EXIT_OTHER,
			 loc && loc->src ? loc : &l->r->loc,
			 "kernel backend: %s (rule in chain %s)", msg, l->chain);
	l->failed = true;
	l->c->nerr++;
}

static struct nftnl_expr *lin_new(const char *name)
{
	struct nftnl_expr *e = nftnl_expr_alloc(name);

	if (!e)
		abort();
	return e;
}

static void lin_put(struct lin_rule *l, struct nftnl_expr *e)
{
	nftnl_rule_add_expr(l->nr, e);
}

void lin_flush(struct lin_rule *l)
{
	struct lin_pay *p = &l->pend;

	if (!p->len)
		return;
	lin_payload_load(l, p->base, p->off, p->len);
	lin_cmp(l, LIN_EQ, p->val, p->len);
	p->len = 0;
}

void lin_add(struct lin_rule *l, struct nftnl_expr *e)
{
	lin_flush(l);
	lin_put(l, e);
}

void lin_meta_load(struct lin_rule *l, uint32_t key)
{
	struct nftnl_expr *e = lin_new("meta");

	nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, NFT_REG_1);
	lin_add(l, e);
}

void lin_ct_load(struct lin_rule *l, uint32_t key)
{
	struct nftnl_expr *e = lin_new("ct");

	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, key);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_DREG, NFT_REG_1);
	lin_add(l, e);
}

void lin_payload_load(struct lin_rule *l, uint32_t base, uint32_t off,
		      uint32_t len)
{
	struct nftnl_expr *e = lin_new("payload");

	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, off);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
	/* a direct put: lin_flush() itself loads the merged payload */
	lin_put(l, e);
}

static const uint32_t lin_cmp_ops[] = {
	[LIN_EQ] = NFT_CMP_EQ, [LIN_NE] = NFT_CMP_NEQ, [LIN_LT] = NFT_CMP_LT,
	[LIN_GT] = NFT_CMP_GT, [LIN_LTE] = NFT_CMP_LTE, [LIN_GTE] = NFT_CMP_GTE,
};

void lin_cmp(struct lin_rule *l, enum lin_op op, const void *data,
	     uint32_t len)
{
	struct nftnl_expr *e = lin_new("cmp");

	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, lin_cmp_ops[op]);
	nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, len);
	lin_put(l, e);
}

void lin_bitwise(struct lin_rule *l, const void *mask, const void *xor,
		 uint32_t len)
{
	struct nftnl_expr *e = lin_new("bitwise");

	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_OP, NFT_BITWISE_BOOL);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, len);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, mask, len);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, xor, len);
	lin_put(l, e);
}

void lin_range(struct lin_rule *l, bool neq, const void *lo, const void *hi,
	       uint32_t len)
{
	struct nftnl_expr *e = lin_new("range");

	nftnl_expr_set_u32(e, NFTNL_EXPR_RANGE_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_RANGE_OP,
			   neq ? NFT_RANGE_NEQ : NFT_RANGE_EQ);
	nftnl_expr_set(e, NFTNL_EXPR_RANGE_FROM_DATA, lo, len);
	nftnl_expr_set(e, NFTNL_EXPR_RANGE_TO_DATA, hi, len);
	lin_put(l, e);
}

void lin_cmp_range(struct lin_rule *l, bool neq, const void *lo,
		   const void *hi, uint32_t len)
{
	if (!memcmp(lo, hi, len)) {
		lin_cmp(l, neq ? LIN_NE : LIN_EQ, lo, len);
	} else if (neq) {
		lin_range(l, true, lo, hi, len);
	} else {
		/* nft: a range that is true is two compares */
		lin_cmp(l, LIN_GTE, lo, len);
		lin_cmp(l, LIN_LTE, hi, len);
	}
}

void lin_imm_data(struct lin_rule *l, uint32_t reg, const void *data,
		  uint32_t len)
{
	struct nftnl_expr *e = lin_new("immediate");

	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, reg);
	nftnl_expr_set(e, NFTNL_EXPR_IMM_DATA, data, len);
	lin_add(l, e);
}

void lin_verdict(struct lin_rule *l, int verdict, const char *chain)
{
	struct nftnl_expr *e = lin_new("immediate");

	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, (uint32_t)verdict);
	if (chain)
		nftnl_expr_set_str(e, NFTNL_EXPR_IMM_CHAIN, chain);
	lin_add(l, e);
}

void lin_payload_eq(struct lin_rule *l, uint32_t base, uint32_t off,
		    uint32_t len, const void *val)
{
	struct lin_pay *p = &l->pend;

	/* nft merges neighbours into one 32-bit register at most */
	if (p->len && (p->base != base || p->off + p->len != off ||
		       p->len + len > 4))
		lin_flush(l);
	if (!p->len) {
		p->base = base;
		p->off = off;
	}
	memcpy(p->val + p->len, val, len);
	p->len += len;
}

void lin_payload_cmp(struct lin_rule *l, uint32_t base, uint32_t off,
		     uint32_t len, const void *mask, bool neq,
		     const void *val)
{
	static const uint8_t zero[16];

	lin_flush(l);
	lin_payload_load(l, base, off, len);
	if (mask)
		lin_bitwise(l, mask, zero, len);
	lin_cmp(l, neq ? LIN_NE : LIN_EQ, val, len);
}

void lin_l4_dep(struct lin_rule *l, uint8_t proto)
{
	if (l->l4 == proto)
		return;
	lin_meta_load(l, NFT_META_L4PROTO);
	lin_cmp(l, LIN_EQ, &proto, 1);
	l->l4 = proto;
}

/* ------------------------------------------------------------------ */
/* Anonymous sets                                                      */

/* Our own flag: a range that runs to the largest key (no end element). */
#define LIN_ELEM_OPEN 0x80000000u

/* nft notes an interval without end element in the element's user data. */
static void lin_elem_open(struct nftnl_set_elem *se)
{
	struct nftnl_udata_buf *ud = nftnl_udata_buf_alloc(16);

	if (!ud)
		abort();
	nftnl_udata_put_u32(ud, NFTNL_UDATA_SET_ELEM_FLAGS,
			    NFTNL_SET_ELEM_F_INTERVAL_OPEN);
	nftnl_set_elem_set(se, NFTNL_SET_ELEM_USERDATA,
			   nftnl_udata_buf_data(ud), nftnl_udata_buf_len(ud));
	nftnl_udata_buf_free(ud);
}

struct lin_elems {
	uint8_t key[2 * MR_MAX_PORTS + 2][2];
	uint32_t flags[2 * MR_MAX_PORTS + 2];
	unsigned n;
};

static void lin_elem(struct lin_elems *el, uint32_t v, uint32_t len,
		     uint32_t flags)
{
	if (len == 1) {
		el->key[el->n][0] = (uint8_t)v;
	} else {
		el->key[el->n][0] = (uint8_t)(v >> 8);
		el->key[el->n][1] = (uint8_t)v;
	}
	el->flags[el->n++] = flags;
}

/*
 * The elements as nft sends them: single values, or for an interval set
 * every start and the end + 1 of each range flagged as interval end, with
 * an end element at 0 when the first range does not start there.
 */
static bool lin_elems(const struct mr_range16 *r, unsigned n, uint32_t len,
		      struct lin_elems *el)
{
	uint32_t max = len == 1 ? 0xff : 0xffff;
	bool interval = false;
	unsigned i;

	el->n = 0;
	for (i = 0; i < n; i++)
		interval |= r[i].lo != r[i].hi;
	for (i = 0; i < n; i++) {
		if (!interval) {
			lin_elem(el, r[i].lo, len, 0);
			continue;
		}
		if (i == 0 && r[i].lo != 0)
			lin_elem(el, 0, len, NFT_SET_ELEM_INTERVAL_END);
		lin_elem(el, r[i].lo, len, r[i].hi == max ? LIN_ELEM_OPEN : 0);
		/* adjacent ranges: the next start ends this one */
		if (r[i].hi < max && !(i + 1 < n && r[i + 1].lo == r[i].hi + 1))
			lin_elem(el, r[i].hi + 1u, len,
				 NFT_SET_ELEM_INTERVAL_END);
	}
	return interval;
}

/* Set members in ascending order, overlaps joined: the same set. */
static unsigned lin_sort(const struct mr_range16 *in, unsigned n,
			 struct mr_range16 *r)
{
	struct mr_range16 t;
	unsigned i, j, k = 0;

	memcpy(r, in, n * sizeof(*r));
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && r[j].lo < r[j - 1].lo; j--) {
			t = r[j];
			r[j] = r[j - 1];
			r[j - 1] = t;
		}
	for (i = 0; i < n; i++) {
		if (k && r[i].lo <= r[k - 1].hi) {
			if (r[i].hi > r[k - 1].hi)
				r[k - 1].hi = r[i].hi;
			continue;
		}
		r[k++] = r[i];
	}
	return k;
}

static struct nftnl_set *lin_set_new(struct lin_rule *l,
				     const struct lin_set_key *k,
				     bool interval, unsigned nelem)
{
	struct nftnl_set *s = nftnl_set_alloc();
	struct nftnl_udata_buf *ud = nftnl_udata_buf_alloc(256);

	if (!s || !ud)
		abort();
	nftnl_set_set_str(s, NFTNL_SET_TABLE, "masqrule");
	nftnl_set_set_str(s, NFTNL_SET_NAME, "__set%d");
	nftnl_set_set_u32(s, NFTNL_SET_ID, ++l->c->set_id);
	nftnl_set_set_u32(s, NFTNL_SET_FAMILY, l->c->family);
	nftnl_set_set_u32(s, NFTNL_SET_FLAGS, NFT_SET_ANONYMOUS |
			  NFT_SET_CONSTANT | (interval ? NFT_SET_INTERVAL : 0));
	nftnl_set_set_u32(s, NFTNL_SET_KEY_TYPE, k->dtype);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_LEN, k->len);
	nftnl_set_set_u32(s, NFTNL_SET_DESC_SIZE, nelem);
	/* nft's own notes on the key, which its listing reads back:
	 * big-endian key, merged intervals, the typeof expression */
	nftnl_udata_put_u32(ud, NFTNL_UDATA_SET_KEYBYTEORDER, 2);
	if (interval)
		nftnl_udata_put_u32(ud, NFTNL_UDATA_SET_MERGE_ELEMENTS, 1);
	if (k->typeof_ud)
		nftnl_udata_put(ud, NFTNL_UDATA_SET_KEY_TYPEOF, k->typeof_len,
				k->typeof_ud);
	nftnl_set_set_data(s, NFTNL_SET_USERDATA, nftnl_udata_buf_data(ud),
			   nftnl_udata_buf_len(ud));
	nftnl_udata_buf_free(ud);
	return s;
}

static void lin_set_send(struct lin_rule *l, struct nftnl_set *s,
			 uint16_t type)
{
	struct nl_batch *b = l->c->batch;
	struct nlmsghdr *nlh;

	nlh = nftnl_nlmsg_build_hdr(nl_batch_reserve(b, 16384), type,
				    l->c->family, NLM_F_CREATE,
				    nl_batch_seq(b));
	if (type == NFT_MSG_NEWSET)
		nftnl_set_nlmsg_build_payload(nlh, s);
	else
		nftnl_set_elems_nlmsg_build_payload(nlh, s);
	nl_batch_commit(b, nlh, &l->r->loc, "a set of this rule");
}

void lin_lookup_ranges(struct lin_rule *l, const struct lin_set_key *k,
		       const struct mr_range16 *in, unsigned n, bool inv)
{
	struct mr_range16 r[2 * MR_MAX_PORTS + 2];
	struct nftnl_set_elem *se;
	struct nftnl_expr *e;
	struct nftnl_set *s;
	struct lin_elems el;
	bool interval;
	unsigned i;

	if (n > 2 * MR_MAX_PORTS + 2) {
		lin_fail(l, NULL, "too many ports for one set");
		return;
	}
	interval = lin_elems(in, n, k->len, &el);
	if (interval) {
		/* nft sends interval sets sorted, overlaps joined */
		n = lin_sort(in, n, r);
		lin_elems(r, n, k->len, &el);
	}
	s = lin_set_new(l, k, interval, el.n);
	for (i = 0; i < el.n; i++) {
		se = nftnl_set_elem_alloc();
		nftnl_set_elem_set(se, NFTNL_SET_ELEM_KEY, el.key[i], k->len);
		if (el.flags[i] & NFT_SET_ELEM_INTERVAL_END)
			nftnl_set_elem_set_u32(se, NFTNL_SET_ELEM_FLAGS,
					       NFT_SET_ELEM_INTERVAL_END);
		if (el.flags[i] & LIN_ELEM_OPEN)
			lin_elem_open(se);
		nftnl_set_elem_add(s, se);
	}
	if (l->c->batch) {
		lin_set_send(l, s, NFT_MSG_NEWSET);
		lin_set_send(l, s, NFT_MSG_NEWSETELEM);
	}
	e = lin_new("lookup");
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SREG, NFT_REG_1);
	nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, "__set%d");
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SET_ID, l->c->set_id);
	if (inv)
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_FLAGS, NFT_LOOKUP_F_INV);
	lin_put(l, e);
	nftnl_set_free(s);
}
