// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kmodel_edit(): one rule command on a netfilter table without reading
 * the ruleset.  A netfilter chain lowers to exactly one chain holding its
 * rules in order (lower.c), and its rules' tags carry no number (ktext.h),
 * so a rule can be appended, inserted or deleted there alone: the rest of
 * the kernel's rules and their counters stay as they are.  What the tool
 * would check (chain exists, jump target exists, index in range) is
 * checked against the table's declarations (chain mr_model, a handful of
 * rules) and, for -I N and -D, the handles and tags of that one chain.
 */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/common.h>
#include <libnftnl/rule.h>
#include "kmodel.h"
#include "ktext.h"
#include "lin.h"
#include "lower.h"
#include "lower_int.h"
#include "model.h"
#include "nl.h"
#include "print.h"

#define EDIT_TRIES 64
#define EDIT_MSG_ROOM 16384

enum edit_res { EDIT_OK, EDIT_FAIL, EDIT_FULL, EDIT_RETRY };

/* ------------------------------------------------------------------ */
/* Reading one chain: handles and tags only                            */

struct erule {
	uint64_t handle;
	char *tag;		/* BACKEND_UDATA_SOURCE, NULL: none */
	bool taken;		/* chosen for deletion */
};

struct echain {
	struct erule *v;
	unsigned n, cap;
};

static void echain_free(struct echain *ec)
{
	unsigned i;

	for (i = 0; i < ec->n; i++)
		free(ec->v[i].tag);
	free(ec->v);
	memset(ec, 0, sizeof(*ec));
}

static char *udata_source(const void *data, uint16_t len)
{
	const uint8_t *p = data, *end = p + len;

	/* nftnl TLVs: type, length, value */
	while (p + 2 <= end && p + 2 + p[1] <= end) {
		if (p[0] == BACKEND_UDATA_SOURCE)
			return strndup((const char *)p + 2, p[1]);
		p += 2 + p[1];
	}
	return NULL;
}

static int erule_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(a);

	if (type <= NFTA_RULE_MAX)
		tb[type] = a;
	return MNL_CB_OK;
}

/* Nothing but the handle and the tag: no expression is parsed. */
static int erule_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFTA_RULE_MAX + 1] = { 0 };
	struct echain *ec = data;
	struct erule *r;

	if (mnl_attr_parse(nlh, sizeof(struct nfgenmsg), erule_attr, tb) < 0 ||
	    !tb[NFTA_RULE_HANDLE])
		return MNL_CB_OK;
	if (ec->n == ec->cap) {
		ec->cap = ec->cap ? 2 * ec->cap : 256;
		ec->v = realloc(ec->v, ec->cap * sizeof(*ec->v));
		if (!ec->v)
			abort();
	}
	r = &ec->v[ec->n++];
	memset(r, 0, sizeof(*r));
	r->handle = be64toh(mnl_attr_get_u64(tb[NFTA_RULE_HANDLE]));
	if (tb[NFTA_RULE_USERDATA])
		r->tag = udata_source(mnl_attr_get_payload(tb[NFTA_RULE_USERDATA]),
				      mnl_attr_get_payload_len(tb[NFTA_RULE_USERDATA]));
	return MNL_CB_OK;
}

/* The rules of one chain of "<family> masqrule": 0 or -errno. */
static int read_chain(struct nl_sock *s, uint8_t family, const char *chain,
		      struct echain *ec)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETRULE, family, NLM_F_DUMP,
				    0);
	mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, BACKEND_TABLE);
	mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, chain);
	return nl_dump(s, nlh, erule_cb, ec);
}

static int ignore_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_OK;
}

/* Does the kernel have the chain?  1, 0, or -errno. */
static int have_chain(struct nl_sock *s, uint8_t family, const char *chain)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int err;

	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETCHAIN, family, NLM_F_ACK,
				    0);
	mnl_attr_put_strz(nlh, NFTA_CHAIN_TABLE, BACKEND_TABLE);
	mnl_attr_put_strz(nlh, NFTA_CHAIN_NAME, chain);
	err = nl_dump(s, nlh, ignore_cb, NULL);
	return !err ? 1 : err == -ENOENT ? 0 : err;
}

/* ------------------------------------------------------------------ */
/* The table's declarations                                            */

/* Chain mr_model's rules (the numbered lines) as a model: tables,
 * chains and policies, no rules.  NULL if there is none (*intr: a commit
 * interrupted the dump). */
static struct mr_ruleset *read_decls(struct nl_sock *s, bool *intr)
{
	struct echain ec = { 0 };
	struct backend_krule *list = NULL, **tail = &list, *k, *kn;
	struct erec_list quiet;
	struct mr_ruleset *rs = NULL;
	struct mr_src *src;
	struct mr_buf b;
	unsigned i;
	int err;

	err = read_chain(s, MR_FAM_IP, KMODEL_CHAIN, &ec);
	*intr = err == -EINTR;
	if (err || !ec.n) {
		echain_free(&ec);
		return NULL;
	}
	for (i = 0; i < ec.n; i++) {
		k = ir_alloc(sizeof(*k));
		k->source = ec.v[i].tag;
		ec.v[i].tag = NULL;
		*tail = k;
		tail = &k->next;
	}
	echain_free(&ec);
	buf_init(&b);
	ktext_numbered(&b, list);
	src = src_from_string("<kernel>", b.s ? b.s : "", b.len);
	erec_init(&quiet);
	rs = model_parse(src, MR_D_NATIVE, true, &quiet);
	erec_free(&quiet);
	src_free(src);
	buf_free(&b);
	for (k = list; k; k = kn) {
		kn = k->next;
		free(k->source);
		free(k);
	}
	return rs;
}

/* ------------------------------------------------------------------ */
/* One edit                                                            */

struct edit {
	struct nl_sock *s;
	struct mr_cmd *c;
	unsigned flags;
	struct erec_list *errs;
	uint32_t genid;
	uint8_t family;
	char *lchain;			/* lowered chain name */
	struct mr_ruleset *decl;	/* the command's table alone */
	struct echain ec;		/* the chain's rules, if read */
	struct nl_batch b;
};

/* The model's message and location for a refused command. */
static enum edit_res edit_fail(struct edit *e, const char *msg)
{
	const struct mr_cmd *c = e->c;
	const struct mr_loc *loc = c->chain_loc.src ? &c->chain_loc : &c->loc;

	erec_add(e->errs, EREC_ERROR, MR_EXIT_OTHER, loc, "%s", msg);
	return EDIT_FAIL;
}

/* The command's table, alone in e->decl; EDIT_FULL if the kernel has no
 * model of it yet. */
static enum edit_res edit_table(struct edit *e)
{
	struct mr_table *t, **pp;
	struct mr_ruleset *rs;
	char prefix[32];
	bool intr;

	rs = read_decls(e->s, &intr);
	if (!rs)
		return intr ? EDIT_RETRY : EDIT_FULL;
	for (pp = &rs->tables; (t = *pp); pp = &t->next)
		if (t->family == e->c->family && t->id == e->c->table)
			break;
	if (!t) {
		model_free(rs);
		return EDIT_FULL;
	}
	*pp = t->next;
	t->next = NULL;
	model_free(rs);
	e->decl = model_new();
	e->decl->tables = t;
	snprintf(prefix, sizeof(prefix), "%s_", ir_table_name(t->id));
	e->lchain = lw_chain_name(prefix, e->c->chain);
	e->family = t->family;
	return EDIT_OK;
}

static enum edit_res edit_read_chain(struct edit *e)
{
	int err = read_chain(e->s, e->family, e->lchain, &e->ec);

	if (err == -EINTR)	/* a commit interrupted the dump */
		return EDIT_RETRY;
	if (err && err != -ENOENT) {
		erec_add(e->errs, EREC_ERROR, MR_EXIT_RESOURCE, NULL,
			 "cannot read chain %s of table %s masqrule: %s",
			 e->lchain, lin_family_name(e->family), strerror(-err));
		return EDIT_FAIL;
	}
	return EDIT_OK;
}

static struct nlmsghdr *edit_hdr(struct edit *e, uint16_t type,
				 uint16_t flags)
{
	return nftnl_nlmsg_build_hdr(nl_batch_reserve(&e->b, EDIT_MSG_ROOM),
				     type, e->family, flags,
				     nl_batch_seq(&e->b));
}

static void edit_del_msg(struct edit *e, uint64_t handle)
{
	struct nftnl_rule *nr = nftnl_rule_alloc();
	struct nlmsghdr *nlh;

	if (!nr)
		abort();
	nftnl_rule_set_u32(nr, NFTNL_RULE_FAMILY, e->family);
	nftnl_rule_set_str(nr, NFTNL_RULE_TABLE, BACKEND_TABLE);
	nftnl_rule_set_str(nr, NFTNL_RULE_CHAIN, e->lchain);
	nftnl_rule_set_u64(nr, NFTNL_RULE_HANDLE, handle);
	nlh = edit_hdr(e, NFT_MSG_DELRULE, 0);
	nftnl_rule_nlmsg_build_payload(nlh, nr);
	nl_batch_commit(&e->b, nlh, &e->c->loc, "the rule to delete");
	nftnl_rule_free(nr);
}

/* The canonical text of a rule of the command's chain: its tag. */
static char *rule_text(const char *chain, const struct mr_rule *r)
{
	struct mr_buf b;
	char *s;

	buf_init(&b);
	print_rule_save(&b, chain, r, 0);
	if (b.len && b.s[b.len - 1] == '\n')
		b.s[--b.len] = '\0';
	s = ir_strdup(b.s ? b.s : "");
	buf_free(&b);
	return s;
}

/* -D rule / -D N: the handles to delete; -C: the rule is there. */
static enum edit_res edit_delete(struct edit *e)
{
	enum edit_res res;
	const struct mr_rule *r;
	unsigned i;
	char *text;

	if (!model_chain_find(e->decl->tables, e->c->chain))
		return edit_fail(e, "No chain/target/match by that name");
	res = edit_read_chain(e);
	if (res != EDIT_OK)
		return res;
	if (e->c->op == MR_OP_DELETE_NUM) {
		if (e->c->rulenum < 1 || (unsigned)e->c->rulenum > e->ec.n)
			return edit_fail(e, "Index of deletion too big");
		edit_del_msg(e, e->ec.v[e->c->rulenum - 1].handle);
		return EDIT_OK;
	}
	if (e->c->op == MR_OP_CHECK && !e->c->rules)
		return edit_fail(e, "Bad rule (does a matching rule exist in that chain?)");
	/* -C: the first rule is there (as model.c checks) */
	for (r = e->c->rules; r; r = e->c->op == MR_OP_CHECK ? NULL : r->next) {
		text = rule_text(e->c->chain, r);
		for (i = 0; i < e->ec.n; i++)
			if (!e->ec.v[i].taken && e->ec.v[i].tag &&
			    !strcmp(e->ec.v[i].tag, text))
				break;
		free(text);
		if (i == e->ec.n)
			return edit_fail(e, "Bad rule (does a matching rule exist in that chain?)");
		e->ec.v[i].taken = true;
		if (e->c->op != MR_OP_CHECK)
			edit_del_msg(e, e->ec.v[i].handle);
	}
	return EDIT_OK;
}

/* The tag of the rule being linearized. */
static const char *edit_tag(const char *chain, const struct mr_rule *r,
			    void *arg)
{
	(void)chain;
	(void)r;
	return arg;
}

/* Where a new rule goes: the end, the head, before the rule with handle
 * pos, or in its place. */
enum { EDIT_AT_HEAD = -1, EDIT_AT_END, EDIT_AT_BEFORE, EDIT_AT_REPLACE };

/* NEWRULE at where (handle pos). */
static void edit_new_msg(struct edit *e, struct lin_ctx *lc,
			 const struct mr_rule *low, const char *text,
			 int where, uint64_t pos)
{
	struct backend_tagger tagger = { .fn = edit_tag, .arg = (void *)text };
	struct nftnl_rule *nr;
	struct nlmsghdr *nlh;
	uint16_t fl = NLM_F_CREATE;

	lc->tag = &tagger;
	nr = lin_rule_build(lc, e->lchain, low);
	lc->tag = NULL;
	if (!nr)
		return;
	if (where == EDIT_AT_REPLACE) {
		nftnl_rule_set_u64(nr, NFTNL_RULE_HANDLE, pos);
		fl |= NLM_F_REPLACE;
	} else if (where == EDIT_AT_BEFORE) {
		nftnl_rule_set_u64(nr, NFTNL_RULE_POSITION, pos);
	} else if (where == EDIT_AT_END) {
		fl |= NLM_F_APPEND;
	}
	nlh = edit_hdr(e, NFT_MSG_NEWRULE, fl);
	nftnl_rule_nlmsg_build_payload(nlh, nr);
	nl_batch_commit(&e->b, nlh, &low->loc, "this rule");
	nftnl_rule_free(nr);
}

/* The lowered chain of the command (its new rules only), or NULL. */
static struct mr_chain *lowered_chain(struct edit *e, struct mr_ruleset *low)
{
	struct mr_table *t;

	for (t = low->tables; t; t = t->next)
		if (t->family == e->family)
			return lw_chain_find(t, e->lchain);
	return NULL;
}

/* The new rules, lowered alone, into the batch in the kernel's order. */
static enum edit_res edit_add_rules(struct edit *e, int where, uint64_t pos)
{
	struct lin_ctx lc = { .family = e->family, .batch = &e->b,
			      .errs = e->errs };
	struct mr_chain *uc = model_chain_find(e->decl->tables, e->c->chain);
	struct mr_ruleset *low = lower_ruleset(e->decl, e->errs);
	struct mr_chain *lch = low ? lowered_chain(e, low) : NULL;
	const struct mr_rule *u, *r;
	const struct mr_rule **v;
	char **texts;
	unsigned n = 0, i, j;
	int have;

	if (!lch) {
		model_free(low);
		return EDIT_FAIL;
	}
	have = have_chain(e->s, e->family, e->lchain);
	if (have == 0) {	/* an unused built-in chain until now */
		lin_table_create(&e->b, e->family);
		lin_chain(&lc, lch);
	}
	v = ir_alloc((lch->nrules + 1) * sizeof(*v));
	texts = ir_alloc((lch->nrules + 1) * sizeof(*texts));
	/* one lowered rule per rule, in order (lower.c, nf_rules) */
	for (r = lch->rules, u = uc->rules; r && u; r = r->next, u = u->next) {
		v[n] = r;
		texts[n++] = rule_text(e->c->chain, u);
	}
	/* at the head, each goes before the one added before it */
	for (i = 0; i < n; i++) {
		j = where == EDIT_AT_HEAD ? n - 1 - i : i;
		edit_new_msg(e, &lc, v[j], texts[j], where, pos);
	}
	for (i = 0; i < n; i++)
		free(texts[i]);
	free(texts);
	free(v);
	model_free(low);
	return lc.nerr ? EDIT_FAIL : EDIT_OK;
}

/* -I N (N > 1), -R N: the chain's rules say where. */
static enum edit_res edit_position(struct edit *e, int *where, uint64_t *pos)
{
	unsigned num = (unsigned)e->c->rulenum;
	enum edit_res res;

	if (e->c->op == MR_OP_REPLACE && e->c->rules && e->c->rules->next)
		return edit_fail(e, "Replacement rule does not specify a unique address");
	if (!model_chain_find(e->decl->tables, e->c->chain))
		return edit_fail(e, "No chain/target/match by that name");
	res = edit_read_chain(e);
	if (res != EDIT_OK)
		return res;
	if (e->c->op == MR_OP_REPLACE) {
		if (!num || num > e->ec.n)
			return edit_fail(e, "Index of replacement too big");
		*where = EDIT_AT_REPLACE;
	} else if (num > e->ec.n + 1) {
		return edit_fail(e, "Index of insertion too big");
	} else {
		*where = num == e->ec.n + 1 ? EDIT_AT_END : EDIT_AT_BEFORE;
	}
	if (*where != EDIT_AT_END)
		*pos = e->ec.v[num - 1].handle;
	return EDIT_OK;
}

/*
 * -A, -I [N], -R N: the model's checks on the declarations (as an insert
 * at 1 or an append: the declarations have no rules), then NEWRULEs.
 */
static enum edit_res edit_insert(struct edit *e)
{
	int num = e->c->rulenum, where = EDIT_AT_END;
	uint8_t op = e->c->op;
	enum edit_res res;
	uint64_t pos = 0;

	if (op != MR_OP_APPEND)
		where = EDIT_AT_HEAD;
	if (num > 1 || op == MR_OP_REPLACE) {
		res = edit_position(e, &where, &pos);
		if (res != EDIT_OK)
			return res;
	}
	if (op == MR_OP_REPLACE)
		e->c->op = MR_OP_APPEND;
	e->c->rulenum = 1;
	if (model_apply(e->decl, e->c, e->errs)) {
		e->c->rulenum = num;
		e->c->op = op;
		return EDIT_FAIL;
	}
	e->c->rulenum = num;
	e->c->op = op;
	return edit_add_rules(e, where, pos);
}

static enum edit_res edit_send(struct edit *e)
{
	enum nl_result res;

	nl_batch_end(&e->b, !(e->flags & BACKEND_F_TEST));
	e->s->seq = e->b.next_seq;
	res = nl_batch_send(e->s, &e->b, e->errs);
	return res == NL_OK ? EDIT_OK : res == NL_RETRY ? EDIT_RETRY :
	       EDIT_FAIL;
}

/* A copy of the command's rules: model_apply() takes them. */
static struct mr_rule *clone_rules(const struct mr_rule *r)
{
	struct mr_rule *head = NULL, **tail = &head;

	for (; r; r = r->next) {
		*tail = ir_rule_clone(r);
		tail = &(*tail)->next;
	}
	return head;
}

static enum edit_res edit_try(struct nl_sock *s, struct mr_cmd *c,
			      unsigned flags, struct erec_list *errs)
{
	struct edit e = { .s = s, .c = c, .flags = flags, .errs = errs };
	struct mr_rule *keep = c->rules;
	enum edit_res res;
	int err = nl_genid(s, &e.genid);

	if (err < 0) {
		erec_add(errs, EREC_ERROR, MR_EXIT_RESOURCE, NULL,
			 "cannot read the ruleset generation: %s",
			 strerror(-err));
		return EDIT_FAIL;
	}
	res = edit_table(&e);
	if (res != EDIT_OK)
		return res;
	nl_batch_init(&e.b, s->seq, e.genid);
	c->rules = clone_rules(keep);
	if (c->op == MR_OP_APPEND || c->op == MR_OP_INSERT ||
	    c->op == MR_OP_REPLACE)
		res = edit_insert(&e);
	else
		res = edit_delete(&e);
	if (res == EDIT_OK && c->op != MR_OP_CHECK)	/* -C changes nothing */
		res = edit_send(&e);
	for (struct mr_rule *r = c->rules, *n; r; r = n) {
		n = r->next;
		ir_rule_free(r);
	}
	c->rules = keep;
	nl_batch_free(&e.b);
	echain_free(&e.ec);
	model_free(e.decl);
	free(e.lchain);
	return res;
}

static bool edit_local(const struct mr_cmd *c)
{
	if (c->table == MR_T_LEGACY || !c->chain ||
	    (c->family != MR_FAM_IP && c->family != MR_FAM_IP6))
		return false;
	return c->op == MR_OP_APPEND || c->op == MR_OP_INSERT ||
	       c->op == MR_OP_REPLACE || c->op == MR_OP_DELETE ||
	       c->op == MR_OP_DELETE_NUM || c->op == MR_OP_CHECK;
}

int kmodel_edit(struct mr_cmd *c, unsigned flags, struct erec_list *errs)
{
	enum edit_res res = EDIT_RETRY;
	struct erec_list tmp;
	struct nl_sock s;
	int try;

	if (!edit_local(c))
		return 1;
	srand((unsigned)getpid());
	for (try = 0; try < EDIT_TRIES && res == EDIT_RETRY; try++) {
		if (try)	/* colliding writers take turns */
			usleep(200u + (unsigned)(rand() % 800));
		/* a new socket each time: an interrupted dump leaves its rest */
		if (nl_open(&s, errs) < 0)
			return -1;
		erec_init(&tmp);
		res = edit_try(&s, c, flags, &tmp);
		if (res != EDIT_RETRY)
			erec_splice(errs, &tmp);
		erec_free(&tmp);
		nl_close(&s);
	}
	if (res == EDIT_RETRY)
		erec_add(errs, EREC_ERROR, MR_EXIT_RESOURCE, NULL,
			 "the ruleset kept changing under masqrule (%d attempts): nothing changed",
			 EDIT_TRIES);
	return res == EDIT_FULL ? 1 : res == EDIT_OK ? 0 : -1;
}
