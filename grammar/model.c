// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The in-memory model: commands applied to tables and chains with the
 * checks and messages the kernels' tools gave.
 */
#include <stdlib.h>
#include <string.h>
#include "model.h"

struct builtin {
	const char *name;
	int8_t hook;
};

static const struct builtin legacy_chains[] = {
	{ "input", MR_HOOK_INPUT }, { "forward", MR_HOOK_FORWARD },
	{ "output", MR_HOOK_OUTPUT }, { "accounting", MR_HOOK_ACCOUNTING },
	{ NULL, 0 },
};
static const struct builtin filter_chains[] = {
	{ "INPUT", MR_HOOK_INPUT }, { "FORWARD", MR_HOOK_FORWARD },
	{ "OUTPUT", MR_HOOK_OUTPUT }, { NULL, 0 },
};
static const struct builtin nat_chains[] = {
	{ "PREROUTING", MR_HOOK_PREROUTING }, { "INPUT", MR_HOOK_INPUT },
	{ "OUTPUT", MR_HOOK_OUTPUT }, { "POSTROUTING", MR_HOOK_POSTROUTING },
	{ NULL, 0 },
};
static const struct builtin mangle_chains[] = {
	{ "PREROUTING", MR_HOOK_PREROUTING }, { "INPUT", MR_HOOK_INPUT },
	{ "FORWARD", MR_HOOK_FORWARD }, { "OUTPUT", MR_HOOK_OUTPUT },
	{ "POSTROUTING", MR_HOOK_POSTROUTING }, { NULL, 0 },
};
static const struct builtin raw_chains[] = {
	{ "PREROUTING", MR_HOOK_PREROUTING }, { "OUTPUT", MR_HOOK_OUTPUT },
	{ NULL, 0 },
};

static const struct builtin *const table_chains[MR_T_COUNT] = {
	[MR_T_LEGACY] = legacy_chains, [MR_T_FILTER] = filter_chains,
	[MR_T_NAT] = nat_chains, [MR_T_MANGLE] = mangle_chains,
	[MR_T_RAW] = raw_chains, [MR_T_SECURITY] = filter_chains,
};

const char *const *model_builtin_chains(uint8_t table)
{
	static const char *names[MR_T_COUNT][6];
	const struct builtin *b;
	unsigned i;

	if (table >= MR_T_COUNT)
		return NULL;
	for (b = table_chains[table], i = 0; b->name; b++, i++)
		names[table][i] = b->name;
	return names[table];
}

struct mr_ruleset *model_new(void)
{
	return ir_alloc(sizeof(struct mr_ruleset));
}

static void chain_flush(struct mr_chain *c)
{
	struct mr_rule *r, *next;

	for (r = c->rules; r; r = next) {
		next = r->next;
		ir_rule_free(r);
	}
	c->rules = NULL;
	c->tail = &c->rules;
	c->nrules = 0;
}

static void chain_free(struct mr_chain *c)
{
	chain_flush(c);
	free(c->name);
	free(c);
}

void model_free(struct mr_ruleset *rs)
{
	struct mr_table *t, *tn;
	struct mr_chain *c, *cn;
	struct mr_helper_list *h, *hn;
	struct mr_portfw_list *p, *pn;

	if (!rs)
		return;
	for (t = rs->tables; t; t = tn) {
		tn = t->next;
		for (c = t->chains; c; c = cn) {
			cn = c->next;
			chain_free(c);
		}
		free(t);
	}
	for (h = rs->helpers; h; h = hn) {
		hn = h->next;
		free(h->cfg.name);
		free(h->cfg.module);
		free(h);
	}
	for (p = rs->portfws; p; p = pn) {
		pn = p->next;
		free(p);
	}
	free(rs);
}

static struct mr_chain *chain_new(const char *name, int8_t hook, bool builtin)
{
	struct mr_chain *c = ir_alloc(sizeof(*c));

	c->name = ir_strdup(name);
	c->hook = hook;
	c->builtin = builtin;
	c->policy = builtin ? MR_V_ACCEPT : MR_V_NONE;
	c->tail = &c->rules;
	return c;
}

static void chain_append(struct mr_table *t, struct mr_chain *c)
{
	struct mr_chain **pp;

	for (pp = &t->chains; *pp; pp = &(*pp)->next)
		;
	*pp = c;
}

struct mr_table *model_table_find(const struct mr_ruleset *rs, uint8_t family,
				  uint8_t id)
{
	struct mr_table *t;

	for (t = rs->tables; t; t = t->next)
		if (t->family == family && t->id == id)
			return t;
	return NULL;
}

struct mr_table *model_table(struct mr_ruleset *rs, uint8_t family, uint8_t id)
{
	struct mr_table *t = model_table_find(rs, family, id), **pp;
	const struct builtin *b;

	if (t)
		return t;
	t = ir_alloc(sizeof(*t));
	t->family = family;
	t->id = id;
	for (b = table_chains[id]; b->name; b++)
		chain_append(t, chain_new(b->name, b->hook, true));
	/* keep tables ordered: family, then table id */
	for (pp = &rs->tables; *pp; pp = &(*pp)->next)
		if ((*pp)->family > family ||
		    ((*pp)->family == family && (*pp)->id > id))
			break;
	t->next = *pp;
	*pp = t;
	return t;
}

struct mr_chain *model_chain_find(const struct mr_table *t, const char *name)
{
	struct mr_chain *c;

	for (c = t ? t->chains : NULL; c; c = c->next)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

void model_flush_table(struct mr_table *t)
{
	struct mr_chain **pp = &t->chains, *c;

	while ((c = *pp)) {
		chain_flush(c);
		c->refs = 0;
		if (c->builtin) {
			c->policy = MR_V_ACCEPT;
			pp = &c->next;
		} else {
			*pp = c->next;
			chain_free(c);
		}
	}
}

static void portfw_flush(struct mr_ruleset *rs)
{
	struct mr_portfw_list *p;

	while ((p = rs->portfws)) {
		rs->portfws = p->next;
		free(p);
	}
}

void model_restore_flush(struct mr_ruleset *rs, const struct mr_cmd *c,
			 bool *pf_seen)
{
	if (c->op == MR_OP_TABLE_BEGIN)
		model_flush_table(model_table(rs, c->family, c->table));
	if (!*pf_seen && (c->op == MR_OP_PORTFW_ADD ||
			  c->op == MR_OP_PORTFW_DEL ||
			  c->op == MR_OP_PORTFW_FLUSH)) {
		*pf_seen = true;
		portfw_flush(rs);
	}
}

/* ------------------------------------------------------------------ */

static int fail(struct erec_list *errs, const struct mr_cmd *c,
		const char *msg)
{
	const struct mr_loc *loc = c->chain_loc.src ? &c->chain_loc : &c->loc;

	erec_add(errs, EREC_ERROR, MR_EXIT_OTHER, loc, "%s", msg);
	return -1;
}

static struct mr_chain *need_chain(struct mr_table *t, const struct mr_cmd *c,
				   struct erec_list *errs)
{
	struct mr_chain *ch = model_chain_find(t, c->chain);

	if (!ch)
		fail(errs, c, "No chain/target/match by that name");
	return ch;
}

/* Jump targets must exist; count references. */
static int link_rules(struct mr_table *t, struct mr_rule *rules,
		      struct erec_list *errs, int delta)
{
	struct mr_rule *r;
	struct mr_chain *to;

	for (r = rules; r; r = r->next) {
		if (r->target.kind != MR_V_JUMP && r->target.kind != MR_V_GOTO)
			continue;
		to = model_chain_find(t, r->target.chain);
		if (!to || to->builtin) {
			if (delta > 0)
				erec_add(errs, EREC_ERROR, MR_EXIT_OTHER,
					 &r->target.loc,
					 "Couldn't load target `%s': no such chain",
					 r->target.chain);
			return -1;
		}
		to->refs = (unsigned)((int)to->refs + delta);
	}
	return 0;
}

static struct mr_rule **rule_slot(struct mr_chain *ch, int num)
{
	struct mr_rule **pp = &ch->rules;

	while (--num > 0 && *pp)
		pp = &(*pp)->next;
	return pp;
}

static void fix_tail(struct mr_chain *ch)
{
	struct mr_rule **pp = &ch->rules;

	while (*pp)
		pp = &(*pp)->next;
	ch->tail = pp;
}

static void unlink_rule(struct mr_table *t, struct mr_chain *ch,
			struct mr_rule **pp)
{
	struct mr_rule *r = *pp;

	*pp = r->next;
	r->next = NULL;
	link_rules(t, r, NULL, -1);
	ir_rule_free(r);
	ch->nrules--;
	fix_tail(ch);
}

static int insert_rules(struct mr_table *t, struct mr_chain *ch,
			struct mr_cmd *c, struct mr_rule **at,
			struct erec_list *errs)
{
	struct mr_rule *last, *rules = c->rules;
	unsigned n = 1;

	if (!rules)
		return 0;
	if (link_rules(t, rules, errs, 1))
		return -1;
	for (last = rules; last->next; last = last->next)
		n++;
	last->next = *at;
	*at = rules;
	c->rules = NULL;
	ch->nrules += n;
	/* only an insert at the end moves the tail: walking the chain each
	 * time made restoring N rules O(N^2) */
	if (!last->next)
		ch->tail = &last->next;
	return 0;
}

/* iptables inserts each rule of an address list at the same number, so
 * they end up in reverse order. */
static int insert_each(struct mr_table *t, struct mr_chain *ch,
		       struct mr_cmd *c, struct erec_list *errs)
{
	struct mr_rule *rules = c->rules, *next;
	int rc = 0;

	for (; rules && !rc; rules = next) {
		next = rules->next;
		rules->next = NULL;
		c->rules = rules;
		rc = insert_rules(t, ch, c, rule_slot(ch, c->rulenum), errs);
	}
	if (rc) {
		/* what was not inserted stays with the command, to be freed */
		if (c->rules)
			c->rules->next = next;
		else
			c->rules = next;
	}
	return rc;
}

static struct mr_rule **find_rule(struct mr_chain *ch, const struct mr_rule *r)
{
	struct mr_rule **pp;

	for (pp = &ch->rules; *pp; pp = &(*pp)->next)
		if (ir_rule_equal(*pp, r))
			return pp;
	return NULL;
}

static int apply_delete(struct mr_table *t, struct mr_chain *ch,
			struct mr_cmd *c, struct erec_list *errs)
{
	struct mr_rule *r, **pp;

	for (r = c->rules; r; r = r->next) {
		pp = find_rule(ch, r);
		if (!pp)
			return fail(errs, c,
				"Bad rule (does a matching rule exist in that chain?)");
		unlink_rule(t, ch, pp);
	}
	return 0;
}

static int apply_del_chain(struct mr_table *t, struct mr_cmd *c,
			   struct erec_list *errs)
{
	struct mr_chain **pp, *ch;
	bool each = c->dialect == MR_D_IPCHAINS;

	if (c->chain) {
		ch = need_chain(t, c, errs);
		if (!ch)
			return -1;
		if (ch->builtin)
			return fail(errs, c, "Can't delete built-in chain");
		if (ch->refs)
			return fail(errs, c, "Too many links");
		if (ch->rules)
			return fail(errs, c, "Directory not empty");
	} else if (!each) {
		/* iptables: all or nothing */
		for (ch = t->chains; ch; ch = ch->next)
			if (!ch->builtin && (ch->rules || ch->refs))
				return fail(errs, c, "Directory not empty");
	}
	for (pp = &t->chains; (ch = *pp);) {
		if (ch->builtin || (c->chain && strcmp(ch->name, c->chain)) ||
		    ch->rules || ch->refs) {
			pp = &ch->next;
			continue;
		}
		*pp = ch->next;
		chain_free(ch);
	}
	return 0;
}

static void zero_chain(struct mr_chain *ch, int num)
{
	struct mr_rule *r;
	int i = 1;

	if (!num)
		ch->pkts = ch->bytes = 0;
	for (r = ch->rules; r; r = r->next, i++)
		if (!num || num == i)
			r->pkts = r->bytes = 0;
}

/* Flush a chain's rules, releasing the chains they jumped to. */
static void chain_flush_refs(struct mr_table *t, struct mr_chain *ch)
{
	link_rules(t, ch->rules, NULL, -1);
	chain_flush(ch);
}

static int apply_chains(struct mr_table *t, struct mr_cmd *c,
			struct erec_list *errs, bool flush)
{
	struct mr_chain *ch;

	if (c->chain) {
		ch = need_chain(t, c, errs);
		if (!ch)
			return -1;
		if (flush) {
			chain_flush_refs(t, ch);
		} else {
			if (c->rulenum && (unsigned)c->rulenum > ch->nrules)
				return fail(errs, c, "Index of rule too big");
			zero_chain(ch, c->rulenum);
		}
		return 0;
	}
	for (ch = t->chains; ch; ch = ch->next)
		flush ? chain_flush_refs(t, ch) : zero_chain(ch, 0);
	return 0;
}

static int apply_chain_decl(struct mr_table *t, struct mr_cmd *c,
			    struct erec_list *errs)
{
	struct mr_chain *ch = model_chain_find(t, c->chain);

	if (ch && ch->builtin) {
		if (c->policy == MR_V_NONE)
			return fail(errs, c, "Can't set policy `-' on built-in chain");
		ch->policy = c->policy;
	} else if (c->policy != MR_V_NONE) {
		return fail(errs, c, "Bad built-in chain name");
	} else if (ch) {
		chain_flush_refs(t, ch);
	} else {
		ch = chain_new(c->chain, MR_HOOK_NONE, false);
		chain_append(t, ch);
	}
	if (c->has_counters) {
		ch->pkts = c->pkts;
		ch->bytes = c->bytes;
	}
	return 0;
}

static int apply_rule_cmd(struct mr_table *t, struct mr_cmd *c,
			  struct erec_list *errs)
{
	struct mr_chain *ch = need_chain(t, c, errs);
	struct mr_rule **pp;

	if (!ch)
		return -1;
	switch (c->op) {
	case MR_OP_APPEND:
		return insert_rules(t, ch, c, ch->tail, errs);
	case MR_OP_INSERT:
		if ((unsigned)c->rulenum > ch->nrules + 1)
			return fail(errs, c, "Index of insertion too big");
		return insert_each(t, ch, c, errs);
	case MR_OP_REPLACE:
		if (c->rules && c->rules->next)
			return fail(errs, c,
				"Replacement rule does not specify a unique address");
		if (!c->rulenum || (unsigned)c->rulenum > ch->nrules)
			return fail(errs, c, "Index of replacement too big");
		if (insert_rules(t, ch, c, rule_slot(ch, c->rulenum), errs))
			return -1;
		pp = rule_slot(ch, c->rulenum + 1);
		unlink_rule(t, ch, pp);
		return 0;
	case MR_OP_DELETE:
		return apply_delete(t, ch, c, errs);
	case MR_OP_DELETE_NUM:
		if ((unsigned)c->rulenum > ch->nrules)
			return fail(errs, c, "Index of deletion too big");
		unlink_rule(t, ch, rule_slot(ch, c->rulenum));
		return 0;
	case MR_OP_CHECK:
		if (!c->rules || !find_rule(ch, c->rules))
			return fail(errs, c,
				"Bad rule (does a matching rule exist in that chain?)");
		return 0;
	}
	return 0;
}

/* Jumps follow a renamed chain, as they do in iptables. */
static void rename_jumps(struct mr_table *t, const char *from, const char *to)
{
	struct mr_chain *ch;
	struct mr_rule *r;

	for (ch = t->chains; ch; ch = ch->next)
		for (r = ch->rules; r; r = r->next)
			if (r->target.chain && !strcmp(r->target.chain, from)) {
				free(r->target.chain);
				r->target.chain = ir_strdup(to);
			}
}

static int apply_chain_cmd(struct mr_table *t, struct mr_cmd *c,
			   struct erec_list *errs)
{
	struct mr_chain *ch;

	switch (c->op) {
	case MR_OP_NEW_CHAIN:
		if (model_chain_find(t, c->chain))
			return fail(errs, c, "Chain already exists");
		chain_append(t, chain_new(c->chain, MR_HOOK_NONE, false));
		return 0;
	case MR_OP_DEL_CHAIN:
		return apply_del_chain(t, c, errs);
	case MR_OP_RENAME_CHAIN:
		ch = need_chain(t, c, errs);
		if (!ch)
			return -1;
		if (ch->builtin)
			return fail(errs, c, "Can't rename a built-in chain");
		if (model_chain_find(t, c->newname))
			return fail(errs, c, "File exists");
		rename_jumps(t, ch->name, c->newname);
		free(ch->name);
		ch->name = ir_strdup(c->newname);
		return 0;
	case MR_OP_POLICY:
		ch = need_chain(t, c, errs);
		if (!ch)
			return -1;
		if (!ch->builtin)
			return fail(errs, c, "Bad built-in chain name");
		ch->policy = c->policy;
		return 0;
	case MR_OP_FLUSH:
		return apply_chains(t, c, errs, true);
	case MR_OP_ZERO:
		return apply_chains(t, c, errs, false);
	case MR_OP_CHAIN_DECL:
		return apply_chain_decl(t, c, errs);
	}
	return 0;
}

static void apply_helper(struct mr_ruleset *rs, struct mr_cmd *c)
{
	struct mr_helper_list **pp, *h;

	for (pp = &rs->helpers; *pp; pp = &(*pp)->next)
		if (!strcmp((*pp)->cfg.name, c->u.helper.name))
			break;
	if ((h = *pp)) {
		*pp = h->next;
		free(h->cfg.name);
		free(h->cfg.module);
		free(h);
	}
	if (c->u.helper.unload)
		return;
	h = ir_alloc(sizeof(*h));
	h->cfg = c->u.helper;
	h->cfg.name = ir_strdup(c->u.helper.name);
	h->cfg.module = ir_strdup(c->u.helper.module);
	h->next = *pp;
	*pp = h;
}

static bool portfw_match(const struct mr_portfw *a, const struct mr_portfw *b)
{
	return a->proto == b->proto && a->lport == b->lport &&
	       !memcmp(a->laddr, b->laddr, 4) &&
	       (!b->has_raddr || (!memcmp(a->raddr, b->raddr, 4) &&
				  a->rport == b->rport));
}

static int apply_portfw(struct mr_ruleset *rs, struct mr_cmd *c,
			struct erec_list *errs)
{
	struct mr_portfw_list **pp, *p;
	bool found = false;

	for (pp = &rs->portfws; (p = *pp);) {
		if (c->op == MR_OP_PORTFW_FLUSH ||
		    (c->op == MR_OP_PORTFW_DEL && portfw_match(&p->pf, &c->u.portfw))) {
			*pp = p->next;
			free(p);
			found = true;
			continue;
		}
		pp = &p->next;
	}
	if (c->op == MR_OP_PORTFW_DEL && !found)
		return fail(errs, c, "no such port forwarding entry");
	if (c->op == MR_OP_PORTFW_ADD) {
		p = ir_alloc(sizeof(*p));
		p->pf = c->u.portfw;
		*pp = p;
	}
	return 0;
}

static void apply_timeouts(struct mr_ruleset *rs, const struct mr_timeouts *t)
{
	if (t->tcp)
		rs->timeouts.tcp = t->tcp;
	if (t->tcpfin)
		rs->timeouts.tcpfin = t->tcpfin;
	if (t->udp)
		rs->timeouts.udp = t->udp;
}

static int cmp_names(const void *a, const void *b)
{
	const struct mr_chain *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

struct mr_chain **model_chains_in_order(const struct mr_table *t,
					unsigned *n)
{
	struct mr_chain *c, **v;
	unsigned count = 0, nb = 0;

	for (c = t->chains; c; c = c->next)
		count++;
	v = ir_alloc(sizeof(*v) * (count + 1));
	for (c = t->chains; c; c = c->next)
		if (c->builtin)
			v[nb++] = c;
	*n = nb;
	for (c = t->chains; c; c = c->next)
		if (!c->builtin)
			v[(*n)++] = c;
	qsort(v + nb, *n - nb, sizeof(*v), cmp_names);
	return v;
}

const struct mr_rule *model_rule_at(const struct mr_table *t,
				    const char *chain, unsigned num)
{
	const struct mr_chain *c = model_chain_find(t, chain);
	const struct mr_rule *r;

	if (!c || !num)
		return NULL;
	for (r = c->rules; r && --num; r = r->next)
		;
	return r;
}

bool model_cmd_changes(const struct mr_cmd *c)
{
	switch (c->op) {
	case MR_OP_CHECK: case MR_OP_LIST: case MR_OP_LIST_RULES:
	case MR_OP_MASQ_LIST: case MR_OP_PORTFW_LIST: case MR_OP_AUTOFW_LIST:
	case MR_OP_MFW_LIST: case MR_OP_HELP: case MR_OP_VERSION:
	case MR_OP_NOP: case MR_OP_COMMIT:
		return false;
	}
	return true;
}

bool model_cmd_refused(const struct mr_cmd *c)
{
	switch (c->op) {
	case MR_OP_AUTOFW_ADD: case MR_OP_AUTOFW_DEL: case MR_OP_AUTOFW_FLUSH:
	case MR_OP_AUTOFW_LIST: case MR_OP_MFW_ADD: case MR_OP_MFW_DEL:
	case MR_OP_MFW_FLUSH: case MR_OP_MFW_LIST: case MR_OP_PACKET_CHECK:
		return true;
	}
	return false;
}

int model_apply(struct mr_ruleset *rs, struct mr_cmd *c,
		struct erec_list *errs)
{
	struct mr_table *t;

	switch (c->op) {
	case MR_OP_APPEND: case MR_OP_INSERT: case MR_OP_REPLACE:
	case MR_OP_DELETE: case MR_OP_DELETE_NUM: case MR_OP_CHECK:
		return apply_rule_cmd(model_table(rs, c->family, c->table), c,
				      errs);
	case MR_OP_NEW_CHAIN: case MR_OP_DEL_CHAIN: case MR_OP_RENAME_CHAIN:
	case MR_OP_POLICY: case MR_OP_FLUSH: case MR_OP_ZERO:
	case MR_OP_CHAIN_DECL:
		t = model_table(rs, c->family, c->table);
		return apply_chain_cmd(t, c, errs);
	case MR_OP_TABLE_BEGIN:
		model_table(rs, c->family, c->table);
		return 0;
	case MR_OP_MASQ_TIMEOUTS:
		apply_timeouts(rs, &c->u.timeouts);
		return 0;
	case MR_OP_HELPER:
		apply_helper(rs, c);
		return 0;
	case MR_OP_PORTFW_ADD: case MR_OP_PORTFW_DEL: case MR_OP_PORTFW_FLUSH:
		return apply_portfw(rs, c, errs);
	}
	return 0;
}
