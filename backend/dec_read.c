/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * backend_read(): masqrule's tables from the kernel (chain and rule
 * dumps of "ip masqrule" and "ip6 masqrule") as a lowered ruleset.  What
 * does not decode is left out with a warning that names its chain and
 * handle, so a listing never shows a rule other than the kernel's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/object.h>
#include <libnftnl/rule.h>
#include "backend.h"
#include "dec.h"
#include "lin.h"
#include "nl.h"

struct rd {
	struct mr_ruleset *rs;
	struct mr_table *t;
	struct erec_list *errs;
	uint8_t family;
	unsigned nobj;
};

static struct mr_chain *rd_chain_find(struct mr_table *t, const char *name)
{
	struct mr_chain *c;

	for (c = t->chains; c; c = c->next)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static uint8_t rd_type(const char *s)
{
	return !s ? MR_CHT_FILTER : !strcmp(s, "nat") ? MR_CHT_NAT :
	       !strcmp(s, "route") ? MR_CHT_ROUTE : MR_CHT_FILTER;
}

static int rd_chain_cb(const struct nlmsghdr *nlh, void *data)
{
	struct rd *d = data;
	struct nftnl_chain *ch = nftnl_chain_alloc();
	struct mr_chain *c, **pp;

	if (!ch || nftnl_chain_nlmsg_parse(nlh, ch) < 0 ||
	    strcmp(nftnl_chain_get_str(ch, NFTNL_CHAIN_TABLE), BACKEND_TABLE)) {
		nftnl_chain_free(ch);
		return MNL_CB_OK;
	}
	c = ir_alloc(sizeof(*c));
	c->name = ir_strdup(nftnl_chain_get_str(ch, NFTNL_CHAIN_NAME));
	c->hook = MR_HOOK_NONE;
	c->tail = &c->rules;
	if (nftnl_chain_is_set(ch, NFTNL_CHAIN_HOOKNUM)) {
		c->builtin = true;
		c->hook = (int8_t)nftnl_chain_get_u32(ch, NFTNL_CHAIN_HOOKNUM);
		c->prio = (int16_t)nftnl_chain_get_s32(ch, NFTNL_CHAIN_PRIO);
		c->type = rd_type(nftnl_chain_get_str(ch, NFTNL_CHAIN_TYPE));
		c->policy = nftnl_chain_get_u32(ch, NFTNL_CHAIN_POLICY) == NF_DROP ?
			    MR_V_DROP : MR_V_ACCEPT;
	}
	for (pp = &d->t->chains; *pp; pp = &(*pp)->next)
		;
	*pp = c;
	nftnl_chain_free(ch);
	return MNL_CB_OK;
}

static void rd_foreign(struct rd *d, const char *chain, uint64_t handle)
{
	erec_add(d->errs, EREC_WARNING, 0, NULL,
		 "table %s masqrule, chain %s: rule handle %llu was not written by masqrule or was changed since; it is not shown (nft list chain %s masqrule %s shows it)",
		 lin_family_name(d->family), chain, (unsigned long long)handle,
		 lin_family_name(d->family), chain);
}

static int rd_rule_cb(const struct nlmsghdr *nlh, void *data)
{
	struct rd *d = data;
	struct nftnl_rule *nr = nftnl_rule_alloc();
	struct mr_chain *c;
	struct mr_rule *r;
	const char *chain;

	if (!nr || nftnl_rule_nlmsg_parse(nlh, nr) < 0 ||
	    strcmp(nftnl_rule_get_str(nr, NFTNL_RULE_TABLE), BACKEND_TABLE)) {
		nftnl_rule_free(nr);
		return MNL_CB_OK;
	}
	chain = nftnl_rule_get_str(nr, NFTNL_RULE_CHAIN);
	c = rd_chain_find(d->t, chain);
	r = c ? dec_rule(nr, d->family, chain, d->errs) : NULL;
	if (!r) {
		rd_foreign(d, chain, nftnl_rule_get_u64(nr, NFTNL_RULE_HANDLE));
	} else {
		*c->tail = r;
		c->tail = &r->next;
		c->nrules++;
	}
	nftnl_rule_free(nr);
	return MNL_CB_OK;
}

static int rd_obj_cb(const struct nlmsghdr *nlh, void *data)
{
	struct rd *d = data;

	(void)nlh;
	d->nobj++;
	return MNL_CB_OK;
}

static int rd_dump(struct nl_sock *s, uint16_t type, struct rd *d,
		   int (*cb)(const struct nlmsghdr *, void *))
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = nftnl_nlmsg_build_hdr(buf, type, d->family, NLM_F_DUMP, 0);
	if (type == NFT_MSG_GETRULE || type == NFT_MSG_GETOBJ)
		/* the kernel filters dumps by table */
		mnl_attr_put_strz(nlh, type == NFT_MSG_GETRULE ?
				  NFTA_RULE_TABLE : NFTA_OBJ_TABLE,
				  BACKEND_TABLE);
	return nl_dump(s, nlh, cb, d);
}

/* The chains that attach ct objects are derived from helpers and
 * timeouts, which this reader does not decode yet: say so. */
static void rd_objects(struct rd *d)
{
	if (!d->nobj)
		return;
	erec_add(d->errs, EREC_WARNING, 0, NULL,
		 "table %s masqrule holds %u ct helper/timeout objects: reading them back is not implemented yet, their chains are shown as undecoded rules",
		 lin_family_name(d->family), d->nobj);
}

static int rd_family(struct nl_sock *s, struct rd *d)
{
	struct mr_table *t = ir_alloc(sizeof(*t)), **pp;
	int err;

	t->family = d->family;
	t->id = MR_T_FILTER;
	d->t = t;
	d->nobj = 0;
	err = rd_dump(s, NFT_MSG_GETCHAIN, d, rd_chain_cb);
	if (!err && t->chains) {
		err = rd_dump(s, NFT_MSG_GETRULE, d, rd_rule_cb);
		if (!err)
			err = rd_dump(s, NFT_MSG_GETOBJ, d, rd_obj_cb);
		rd_objects(d);
	}
	if (err == -ENOENT)
		err = 0;
	if (err || !t->chains) {
		free(t);	/* no chains: the table is empty or absent */
		return err;
	}
	for (pp = &d->rs->tables; *pp; pp = &(*pp)->next)
		;
	*pp = t;
	return 0;
}

struct mr_ruleset *backend_read(struct erec_list *errs)
{
	static const uint8_t families[] = { MR_FAM_IP, MR_FAM_IP6 };
	struct rd d = { .errs = errs };
	struct nl_sock s;
	size_t i;
	int err = 0;

	if (nl_open(&s, errs) < 0)
		return NULL;
	d.rs = ir_alloc(sizeof(*d.rs));
	for (i = 0; i < sizeof(families) && !err; i++) {
		d.family = families[i];
		err = rd_family(&s, &d);
	}
	nl_close(&s);
	if (err) {
		erec_add(errs, EREC_ERROR, MR_EXIT_RESOURCE, NULL,
			 "cannot read masqrule's tables from the kernel: %s",
			 strerror(-err));
		return NULL;
	}
	return d.rs;
}
