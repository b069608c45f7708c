// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel's copy of masqrule's tables as they are (backend_state_read)
 * and the check that they are exactly what masqrule would install for a
 * given lowered ruleset (backend_state_verify).  Unlike backend_read()
 * nothing is decoded: the rules' source texts say what they came from,
 * and the check compares expressions, so a rule someone added or changed
 * is found even if it decodes to something sensible.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/udata.h>
#include "backend.h"
#include "dec.h"
#include "lin.h"
#include "lower_objs.h"
#include "nl.h"

struct st_rd {
	struct backend_state *st;
	uint8_t family;
	const struct backend_skip *skip;
};

static struct backend_kchain *st_chain(struct backend_state *st,
				       uint8_t family, const char *name)
{
	struct backend_kchain *c;

	for (c = st->chains; c; c = c->next)
		if (c->family == family && !strcmp(c->name, name))
			return c;
	return NULL;
}

static int st_chain_cb(const struct nlmsghdr *nlh, void *data)
{
	struct st_rd *d = data;
	struct nftnl_chain *ch = nftnl_chain_alloc();
	struct backend_kchain *c, **pp;

	if (!ch || nftnl_chain_nlmsg_parse(nlh, ch) < 0 ||
	    strcmp(nftnl_chain_get_str(ch, NFTNL_CHAIN_TABLE), BACKEND_TABLE)) {
		nftnl_chain_free(ch);
		return MNL_CB_OK;
	}
	c = ir_alloc(sizeof(*c));
	c->family = d->family;
	c->name = ir_strdup(nftnl_chain_get_str(ch, NFTNL_CHAIN_NAME));
	c->base = nftnl_chain_is_set(ch, NFTNL_CHAIN_HOOKNUM);
	if (c->base && nftnl_chain_is_set(ch, NFTNL_CHAIN_PACKETS)) {
		/* the base chain's counters: the packets its policy took */
		c->has_counters = true;
		c->pkts = nftnl_chain_get_u64(ch, NFTNL_CHAIN_PACKETS);
		c->bytes = nftnl_chain_get_u64(ch, NFTNL_CHAIN_BYTES);
	}
	c->tail = &c->rules;
	for (pp = &d->st->chains; *pp; pp = &(*pp)->next)
		;
	*pp = c;
	nftnl_chain_free(ch);
	return MNL_CB_OK;
}

/* The source text TLV, if the rule has one. */
static char *st_source(const struct nftnl_rule *nr)
{
	const struct nftnl_udata *ud;
	const char *data;
	uint32_t len = 0;

	data = nftnl_rule_get_data(nr, NFTNL_RULE_USERDATA, &len);
	if (!data)
		return NULL;
	for (ud = (const void *)data; (const char *)ud < data + len;
	     ud = nftnl_udata_next(ud))
		if (nftnl_udata_type(ud) == BACKEND_UDATA_SOURCE)
			return strndup(nftnl_udata_get(ud), nftnl_udata_len(ud));
	return NULL;
}

static void st_counter(struct backend_krule *k)
{
	struct nftnl_expr_iter *it = nftnl_expr_iter_create(k->nr);
	struct nftnl_expr *e;

	while (it && (e = nftnl_expr_iter_next(it))) {
		if (strcmp(nftnl_expr_get_str(e, NFTNL_EXPR_NAME), "counter"))
			continue;
		k->has_counter = true;
		k->pkts = nftnl_expr_get_u64(e, NFTNL_EXPR_CTR_PACKETS);
		k->bytes = nftnl_expr_get_u64(e, NFTNL_EXPR_CTR_BYTES);
		break;
	}
	nftnl_expr_iter_destroy(it);
}

static int st_rule_cb(const struct nlmsghdr *nlh, void *data)
{
	struct st_rd *d = data;
	struct nftnl_rule *nr = nftnl_rule_alloc();
	struct backend_kchain *c;
	struct backend_krule *k;

	if (!nr || nftnl_rule_nlmsg_parse(nlh, nr) < 0 ||
	    strcmp(nftnl_rule_get_str(nr, NFTNL_RULE_TABLE), BACKEND_TABLE)) {
		nftnl_rule_free(nr);
		return MNL_CB_OK;
	}
	c = st_chain(d->st, d->family, nftnl_rule_get_str(nr, NFTNL_RULE_CHAIN));
	if (!c) {	/* a chain added between the two dumps */
		nftnl_rule_free(nr);
		return MNL_CB_OK;
	}
	k = ir_alloc(sizeof(*k));
	k->nr = nr;
	k->handle = nftnl_rule_get_u64(nr, NFTNL_RULE_HANDLE);
	k->source = st_source(nr);
	st_counter(k);
	*c->tail = k;
	c->tail = &k->next;
	return MNL_CB_OK;
}

/* chain: NULL, or the one chain whose rules to dump */
static int st_dump(struct nl_sock *s, uint16_t type, struct st_rd *d,
		   const char *chain,
		   int (*cb)(const struct nlmsghdr *, void *))
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = nftnl_nlmsg_build_hdr(buf, type, d->family, NLM_F_DUMP, 0);
	if (type == NFT_MSG_GETRULE)
		mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, BACKEND_TABLE);
	if (chain)
		mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, chain);
	return nl_dump(s, nlh, cb, d);
}

/* Does the caller want the rules of this chain? */
static bool st_wanted(const struct st_rd *d, const char *chain)
{
	size_t len;
	int id;

	for (id = 0; id < MR_T_COUNT; id++) {
		if (id == MR_T_LEGACY ||
		    !d->skip->table[d->family == MR_FAM_IP6][id])
			continue;
		len = strlen(ir_table_name((enum mr_tabid)id));
		if (!strncmp(chain, ir_table_name((enum mr_tabid)id), len) &&
		    chain[len] == '_')
			return false;
	}
	return true;
}

/* The rules of the family's chains: all in one dump, or chain by chain
 * leaving out those of skipped tables. */
static int st_rules(struct nl_sock *s, struct st_rd *d)
{
	const struct backend_kchain *c;
	int err = 0;

	if (!d->skip)
		return st_dump(s, NFT_MSG_GETRULE, d, NULL, st_rule_cb);
	for (c = d->st->chains; c && !err; c = c->next)
		if (c->family == d->family && st_wanted(d, c->name))
			err = st_dump(s, NFT_MSG_GETRULE, d, c->name,
				      st_rule_cb);
	return err;
}

#define ST_READ_TRIES 16

/* One reading of both families' tables: 0 or -errno (-EINTR: a commit
 * interrupted a dump, the parts do not belong together). */
static int st_read_once(struct nl_sock *s, struct st_rd *d)
{
	static const uint8_t families[] = { MR_FAM_IP, MR_FAM_IP6 };
	size_t i;
	int err;

	/* before the dumps: a batch built from them carries it, and the
	 * kernel refuses the batch if anyone committed in between */
	err = nl_genid(s, &d->st->genid);
	for (i = 0; i < sizeof(families) && !err; i++) {
		d->family = families[i];
		err = st_dump(s, NFT_MSG_GETCHAIN, d, NULL, st_chain_cb);
		if (!err)
			err = st_rules(s, d);
		if (err == -ENOENT)
			err = 0;
	}
	return err;
}

struct backend_state *backend_state_read(struct erec_list *errs)
{
	return backend_state_read_skip(NULL, errs);
}

struct backend_state *backend_state_read_skip(const struct backend_skip *skip,
					      struct erec_list *errs)
{
	struct st_rd d = { .skip = skip };
	struct nl_sock s;
	int err = -EINTR, tries;

	for (tries = 0; tries < ST_READ_TRIES && err == -EINTR; tries++) {
		/* a new socket: the rest of an interrupted dump is unread */
		if (nl_open(&s, errs) < 0)
			return NULL;
		backend_state_free(d.st);
		d.st = ir_alloc(sizeof(*d.st));
		err = st_read_once(&s, &d);
		nl_close(&s);
	}
	if (err) {
		erec_add(errs, EREC_ERROR, MR_EXIT_RESOURCE, NULL,
			 "cannot read masqrule's tables from the kernel: %s",
			 strerror(-err));
		backend_state_free(d.st);
		return NULL;
	}
	return d.st;
}

void backend_state_free(struct backend_state *st)
{
	struct backend_kchain *c, *cn;
	struct backend_krule *k, *kn;

	if (!st)
		return;
	for (c = st->chains; c; c = cn) {
		cn = c->next;
		for (k = c->rules; k; k = kn) {
			kn = k->next;
			nftnl_rule_free(k->nr);
			free(k->source);
			free(k);
		}
		free(c->name);
		free(c);
	}
	free(st);
}

/* ------------------------------------------------------------------ */
/* The check                                                           */

#define ST_MAX_EXPR 128

static unsigned st_exprs(const struct nftnl_rule *nr, struct nftnl_expr **v)
{
	struct nftnl_expr_iter *it = nftnl_expr_iter_create(nr);
	struct nftnl_expr *e;
	unsigned n = 0;

	while (it && (e = nftnl_expr_iter_next(it)))
		if (n < ST_MAX_EXPR + 1)
			v[n++] = e;
	nftnl_expr_iter_destroy(it);
	return n;
}

/* ours (just linearized) is put into the kernel's form on the way. */
static bool st_same(const struct nftnl_rule *kernel, struct nftnl_rule *ours)
{
	struct nftnl_expr *a[ST_MAX_EXPR + 1], *b[ST_MAX_EXPR + 1];
	unsigned na, nb, i;

	if (!dec_same_udata(kernel, ours))
		return false;
	na = st_exprs(kernel, a);
	nb = st_exprs(ours, b);
	if (na != nb || na > ST_MAX_EXPR)
		return false;
	for (i = 0; i < nb; i++) {
		dec_kernel_form(b[i]);
		if (!dec_same_expr(a[i], b[i]))
			return false;
	}
	return true;
}

static void st_warn(struct erec_list *errs, const struct backend_kchain *c,
		    const struct backend_krule *k)
{
	const char *fam = lin_family_name(c->family);

	erec_add(errs, EREC_WARNING, 0, NULL,
		 "table %s masqrule, chain %s: rule handle %llu is %s; it is not part of masqrule's ruleset and the next change drops it (nft -a list chain %s masqrule %s shows it)",
		 fam, c->name, (unsigned long long)k->handle,
		 k->source ? "not what masqrule installed there (changed?)" :
			     "not masqrule's (added by another program?)",
		 fam, c->name);
}

/*
 * The kernel chain's rules against the expected ones, in order.  A kernel
 * rule that is not the next expected one is foreign; an expected rule
 * left over at the end was removed by someone.
 */
static unsigned st_chain_verify(struct lin_ctx *lc, struct backend_kchain *kc,
				const struct mr_chain *ch,
				struct erec_list *errs)
{
	const struct mr_rule *r = ch ? ch->rules : NULL;
	struct backend_krule *k;
	struct nftnl_rule *nr = NULL;
	unsigned ndiff = 0;

	for (k = kc->rules; k; k = k->next) {
		if (!nr && r)
			nr = lin_rule_build(lc, kc->name, r);
		if (nr && st_same(k->nr, nr)) {
			k->ours = true;
			nftnl_rule_free(nr);
			nr = NULL;
			r = r->next;
			continue;
		}
		st_warn(errs, kc, k);
		ndiff++;
	}
	if (nr)		/* libnftnl's free does not take NULL */
		nftnl_rule_free(nr);
	for (; r; r = r->next, ndiff++)
		erec_add(errs, EREC_WARNING, 0, &r->loc,
			 "table %s masqrule, chain %s: a rule of this line is missing from the kernel (deleted by another program?)",
			 lin_family_name(kc->family), kc->name);
	return ndiff;
}

static const struct mr_chain *st_lowered_chain(const struct mr_ruleset *rs,
					       uint8_t family, const char *name)
{
	const struct mr_table *t;
	const struct mr_chain *c;

	for (t = rs->tables; t; t = t->next)
		for (c = t->family == family ? t->chains : NULL; c; c = c->next)
			if (!strcmp(c->name, name))
				return c;
	return NULL;
}

/* The chains that attach ct objects are derived, not lowered rules. */
static bool st_object_chain(const char *name)
{
	int i;

	for (i = 0; i < LOBJ_NCHAINS; i++)
		if (!strcmp(lobj_chains[i].name, name))
			return true;
	return false;
}

static unsigned st_missing_chains(const struct backend_state *st,
				  const struct mr_ruleset *lowered,
				  struct erec_list *errs)
{
	const struct mr_table *t;
	const struct mr_chain *c;
	unsigned ndiff = 0;

	for (t = lowered->tables; t; t = t->next)
		for (c = t->chains; c; c = c->next) {
			if (st_chain((struct backend_state *)st, t->family, c->name))
				continue;
			erec_add(errs, EREC_WARNING, 0, NULL,
				 "table %s masqrule: chain %s is missing from the kernel",
				 lin_family_name(t->family), c->name);
			ndiff++;
		}
	return ndiff;
}

unsigned backend_state_verify(struct backend_state *st,
			      const struct mr_ruleset *lowered,
			      const struct backend_tagger *tag,
			      struct erec_list *errs)
{
	struct erec_list quiet;
	struct lin_ctx lc = { .tag = tag };
	struct backend_kchain *kc;
	unsigned ndiff;

	/* expected rules the linearizer refuses simply do not match */
	erec_init(&quiet);
	lc.errs = &quiet;
	ndiff = st_missing_chains(st, lowered, errs);
	for (kc = st->chains; kc; kc = kc->next) {
		if (st_object_chain(kc->name)) {
			for (struct backend_krule *k = kc->rules; k; k = k->next)
				k->ours = true;
			continue;
		}
		lc.family = kc->family;
		ndiff += st_chain_verify(&lc, kc,
					 st_lowered_chain(lowered, kc->family,
							  kc->name), errs);
	}
	erec_free(&quiet);
	return ndiff;
}
