/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A lowered table into the batch, in nft's order: the table, its ct
 * objects, all chains (so that jumps find their targets), then the rules
 * chain by chain, then the chains that attach the objects -- the same
 * ruleset print_ruleset_nft() prints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/chain.h>
#include <libnftnl/expr.h>
#include <libnftnl/object.h>
#include <libnftnl/rule.h>
#include <libnftnl/table.h>
#include "lin.h"
#include "lower_objs.h"

#define MSG_ROOM 16384

static struct nlmsghdr *lin_hdr(struct nl_batch *b, uint16_t type,
				uint8_t family, uint16_t flags)
{
	return nftnl_nlmsg_build_hdr(nl_batch_reserve(b, MSG_ROOM), type,
				     family, flags, nl_batch_seq(b));
}

static void lin_table_msg(struct nl_batch *b, uint8_t family, uint16_t type)
{
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *nlh;
	char what[64];

	nftnl_table_set_u32(t, NFTNL_TABLE_FAMILY, family);
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, "masqrule");
	nlh = lin_hdr(b, type, family, type == NFT_MSG_NEWTABLE ?
		      NLM_F_CREATE : 0);
	nftnl_table_nlmsg_build_payload(nlh, t);
	snprintf(what, sizeof(what), "table %s masqrule",
		 lin_family_name(family));
	nl_batch_commit(b, nlh, NULL, what);
	nftnl_table_free(t);
}

void lin_table_reset(struct nl_batch *b, uint8_t family)
{
	/* create-then-delete: gone afterwards whether it existed or not */
	lin_table_msg(b, family, NFT_MSG_NEWTABLE);
	lin_table_msg(b, family, NFT_MSG_DELTABLE);
}

/* ------------------------------------------------------------------ */
/* Chains                                                              */

static void lin_chain_msg(struct lin_ctx *c, const char *name, bool base,
			  uint8_t type, int8_t hook, int16_t prio,
			  uint16_t policy, uint64_t pkts, uint64_t bytes)
{
	static const char *const types[] = { "filter", "nat", "route" };
	struct nftnl_chain *ch = nftnl_chain_alloc();
	struct nlmsghdr *nlh;
	char what[96];

	nftnl_chain_set_u32(ch, NFTNL_CHAIN_FAMILY, c->family);
	nftnl_chain_set_str(ch, NFTNL_CHAIN_TABLE, "masqrule");
	nftnl_chain_set_str(ch, NFTNL_CHAIN_NAME, name);
	if (base) {
		nftnl_chain_set_u32(ch, NFTNL_CHAIN_HOOKNUM, (uint32_t)hook);
		nftnl_chain_set_s32(ch, NFTNL_CHAIN_PRIO, prio);
		nftnl_chain_set_str(ch, NFTNL_CHAIN_TYPE, types[type]);
		nftnl_chain_set_u32(ch, NFTNL_CHAIN_POLICY,
				    policy == MR_V_DROP ? NF_DROP : NF_ACCEPT);
		/* NFTA_CHAIN_COUNTERS: the kernel counts the packets that
		 * get the policy (as iptables-nft's policy counters) */
		nftnl_chain_set_u64(ch, NFTNL_CHAIN_PACKETS, pkts);
		nftnl_chain_set_u64(ch, NFTNL_CHAIN_BYTES, bytes);
	}
	nlh = lin_hdr(c->batch, NFT_MSG_NEWCHAIN, c->family, NLM_F_CREATE);
	nftnl_chain_nlmsg_build_payload(nlh, ch);
	snprintf(what, sizeof(what), "chain %s", name);
	nl_batch_commit(c->batch, nlh, NULL, what);
	nftnl_chain_free(ch);
}

static int lin_chain_check(struct lin_ctx *c, const struct mr_chain *ch)
{
	if (!ch->builtin)
		return 0;
	if (ch->hook < MR_HOOK_PREROUTING || ch->hook > MR_HOOK_POSTROUTING ||
	    ch->type > MR_CHT_ROUTE) {
		erec_add(c->errs, EREC_ERROR, MR_EXIT_OTHER, NULL,
			 "kernel backend: chain %s has no nftables hook",
			 ch->name);
		c->nerr++;
		return -1;
	}
	return 0;
}

void lin_chain(struct lin_ctx *c, const struct mr_chain *ch)
{
	if (!lin_chain_check(c, ch))
		lin_chain_msg(c, ch->name, ch->builtin, ch->type, ch->hook,
			      ch->prio, ch->policy, ch->pkts, ch->bytes);
}

void lin_table_create(struct nl_batch *b, uint8_t family)
{
	lin_table_msg(b, family, NFT_MSG_NEWTABLE);
}

static void lin_rule_msg(struct lin_ctx *c, struct nftnl_rule *nr,
			 const struct mr_loc *loc, const char *chain)
{
	struct nlmsghdr *nlh;
	char what[96];

	nlh = lin_hdr(c->batch, NFT_MSG_NEWRULE, c->family,
		      NLM_F_CREATE | NLM_F_APPEND);
	nftnl_rule_nlmsg_build_payload(nlh, nr);
	snprintf(what, sizeof(what), "this rule (chain %s)", chain);
	nl_batch_commit(c->batch, nlh, loc, what);
}

static void lin_chain_rules(struct lin_ctx *c, const struct mr_chain *ch)
{
	const struct mr_rule *r, *next;
	struct mr_chain *owned = (struct mr_chain *)ch;
	struct nftnl_rule *nr;

	for (r = ch->rules; r; r = next) {
		next = r->next;
		nr = lin_rule_build(c, ch->name, r);
		if (nr) {
			lin_rule_msg(c, nr, &r->loc, ch->name);
			nftnl_rule_free(nr);
		}
		/* the batch's origins keep a copy of the location */
		if (c->consume)
			ir_rule_free((struct mr_rule *)r);
	}
	if (c->consume) {	/* the caller gave the rules up */
		owned->rules = NULL;
		owned->tail = &owned->rules;
		owned->nrules = 0;
	}
}

/* ------------------------------------------------------------------ */
/* ct helper and ct timeout objects                                    */

/* nft fills the states a policy leaves out with these (kernel defaults). */
static const uint32_t tcp_dflt[NFTNL_CTTIMEOUT_TCP_MAX] = {
	120, 60, 432000, 120, 60, 30, 120, 10, 120, 300, 300,
};
static const uint32_t udp_dflt[NFTNL_CTTIMEOUT_UDP_MAX] = { 30, 180 };

static void lin_obj_timeout(struct nftnl_obj *o, const struct lobj *x)
{
	uint32_t tcp[NFTNL_CTTIMEOUT_TCP_MAX], udp[NFTNL_CTTIMEOUT_UDP_MAX];

	nftnl_obj_set_u32(o, NFTNL_OBJ_TYPE, NFT_OBJECT_CT_TIMEOUT);
	nftnl_obj_set_u16(o, NFTNL_OBJ_CT_TIMEOUT_L3PROTO, NFPROTO_IPV4);
	nftnl_obj_set_u8(o, NFTNL_OBJ_CT_TIMEOUT_L4PROTO, x->l4proto);
	if (x->l4proto == 6) {
		memcpy(tcp, tcp_dflt, sizeof(tcp));
		if (x->established)
			tcp[NFTNL_CTTIMEOUT_TCP_ESTABLISHED] = x->established;
		if (x->fin_wait)
			tcp[NFTNL_CTTIMEOUT_TCP_FIN_WAIT] = x->fin_wait;
		nftnl_obj_set_data(o, NFTNL_OBJ_CT_TIMEOUT_ARRAY, tcp,
				   sizeof(tcp));
		return;
	}
	memcpy(udp, udp_dflt, sizeof(udp));
	if (x->unreplied)
		udp[NFTNL_CTTIMEOUT_UDP_UNREPLIED] = x->unreplied;
	if (x->replied)
		udp[NFTNL_CTTIMEOUT_UDP_REPLIED] = x->replied;
	nftnl_obj_set_data(o, NFTNL_OBJ_CT_TIMEOUT_ARRAY, udp, sizeof(udp));
}

static void lin_obj(struct lin_ctx *c, const struct lobj *x)
{
	struct nftnl_obj *o = nftnl_obj_alloc();
	struct nlmsghdr *nlh;
	char what[96];

	nftnl_obj_set_u32(o, NFTNL_OBJ_FAMILY, c->family);
	nftnl_obj_set_str(o, NFTNL_OBJ_TABLE, "masqrule");
	nftnl_obj_set_str(o, NFTNL_OBJ_NAME, x->name);
	if (x->kind == LOBJ_CT_HELPER) {
		nftnl_obj_set_u32(o, NFTNL_OBJ_TYPE, NFT_OBJECT_CT_HELPER);
		nftnl_obj_set_str(o, NFTNL_OBJ_CT_HELPER_NAME, x->type);
		nftnl_obj_set_u16(o, NFTNL_OBJ_CT_HELPER_L3PROTO, NFPROTO_IPV4);
		nftnl_obj_set_u8(o, NFTNL_OBJ_CT_HELPER_L4PROTO, x->l4proto);
	} else {
		lin_obj_timeout(o, x);
	}
	nlh = lin_hdr(c->batch, NFT_MSG_NEWOBJ, c->family, NLM_F_CREATE);
	nftnl_obj_nlmsg_build_payload(nlh, o);
	snprintf(what, sizeof(what), "ct %s %s",
		 x->kind == LOBJ_CT_HELPER ? "helper" : "timeout", x->name);
	nl_batch_commit(c->batch, nlh, NULL, what);
	nftnl_obj_free(o);
}

static void lin_objref(struct lin_rule *l, uint32_t type, const char *name)
{
	struct nftnl_expr *e = nftnl_expr_alloc("objref");

	nftnl_expr_set_u32(e, NFTNL_EXPR_OBJREF_IMM_TYPE, type);
	nftnl_expr_set_str(e, NFTNL_EXPR_OBJREF_IMM_NAME, name);
	lin_add(l, e);
}

/* "tcp dport <ports> ct helper set NAME" and "ct state new ct status
 * snat meta l4proto P ct timeout set NAME" */
static struct nftnl_rule *lin_attach_rule(struct lin_ctx *c, const char *chain,
					  const struct lobj *x)
{
	struct mr_rule *r = ir_rule_new(c->family);
	struct lin_rule l = { .c = c, .r = r, .chain = chain };
	struct mr_range16 pr[LOBJ_MAX_PORTS];
	unsigned i;

	l.nr = nftnl_rule_alloc();
	nftnl_rule_set_u32(l.nr, NFTNL_RULE_FAMILY, c->family);
	nftnl_rule_set_str(l.nr, NFTNL_RULE_TABLE, "masqrule");
	nftnl_rule_set_str(l.nr, NFTNL_RULE_CHAIN, chain);
	if (x->kind == LOBJ_CT_HELPER) {
		for (i = 0; i < x->nports; i++)
			pr[i].lo = pr[i].hi = x->ports[i];
		lin_l4_ports(&l, x->l4proto, true, pr, x->nports, false);
		lin_objref(&l, NFT_OBJECT_CT_HELPER, x->name);
	} else {
		lin_ct_bits(&l, NFT_CT_STATE, 8, false);
		lin_ct_bits(&l, NFT_CT_STATUS, 16, false);
		lin_meta_load(&l, NFT_META_L4PROTO);
		lin_cmp(&l, LIN_EQ, &x->l4proto, 1);
		lin_objref(&l, NFT_OBJECT_CT_TIMEOUT, x->name);
	}
	lin_flush(&l);
	ir_rule_free(r);
	if (l.failed) {
		nftnl_rule_free(l.nr);
		return NULL;
	}
	return l.nr;
}

static void lin_attach_chain(struct lin_ctx *c, const struct lower_objs *o,
			     enum lobj_chain_id id, bool rules)
{
	const struct lobj_chain *ch = &lobj_chains[id];
	struct nftnl_rule *nr;
	unsigned i;

	if (!lower_objs_use_chain(o, id))
		return;
	if (!rules) {
		lin_chain_msg(c, ch->name, true, ch->type, ch->hook, ch->prio,
			      MR_V_ACCEPT, 0, 0);
		return;
	}
	for (i = 0; i < o->n; i++) {
		const struct lobj *x = &o->v[i];

		if ((x->kind == LOBJ_CT_TIMEOUT) != (id == LOBJ_CH_TIMEOUTS) ||
		    (x->kind == LOBJ_CT_HELPER && !x->nports))
			continue;
		nr = lin_attach_rule(c, ch->name, x);
		if (!nr)
			continue;
		lin_rule_msg(c, nr, NULL, ch->name);
		nftnl_rule_free(nr);
	}
}

int lin_table(struct lin_ctx *c, const struct mr_ruleset *rs,
	      const struct mr_table *t)
{
	const struct mr_chain *ch;
	struct lower_objs o;
	unsigned nerr = c->nerr, i;
	int id;

	c->family = t->family;
	lin_table_msg(c->batch, t->family, NFT_MSG_NEWTABLE);
	lower_objs_build(rs, t, &o);
	for (i = 0; i < o.n; i++)
		lin_obj(c, &o.v[i]);
	for (ch = t->chains; ch; ch = ch->next)
		lin_chain(c, ch);
	for (id = 0; id < LOBJ_NCHAINS; id++)
		lin_attach_chain(c, &o, (enum lobj_chain_id)id, false);
	for (ch = t->chains; ch; ch = ch->next)
		lin_chain_rules(c, ch);
	for (id = 0; id < LOBJ_NCHAINS; id++)
		lin_attach_chain(c, &o, (enum lobj_chain_id)id, true);
	lower_objs_free(&o);
	return c->nerr == nerr ? 0 : -1;
}
