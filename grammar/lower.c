/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Lowering, the entry point and the netfilter model: lower_ruleset() turns
 * the model as the user wrote it into the nft-shaped model (one table per
 * family, base chains with type, hook and priority).  iptables tables are
 * mapped here, one base chain per used built-in chain at iptables' hook
 * and priority; the legacy model is lower_legacy.c; objects (ct helper,
 * ct timeout) lower_objs.c.  Design: docs/lowering.md.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include "ir_ext.h"
#include "lower.h"
#include "lower_int.h"
#include "model.h"
#include "print.h"

/* ------------------------------------------------------------------ */
/* Messages                                                            */

static void lw_vmsg(struct lw *w, enum erec_kind kind, const struct mr_loc *loc,
		    const char *fmt, va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	erec_add(w->errs, kind, kind == EREC_ERROR ? MR_EXIT_OTHER : 0,
		 loc, "%s", msg);
}

void lw_error(struct lw *w, const struct mr_loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	lw_vmsg(w, EREC_ERROR, loc, fmt, ap);
	va_end(ap);
	w->nerr++;
}

void lw_warn(struct lw *w, const struct mr_loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	lw_vmsg(w, EREC_WARNING, loc, fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------------ */
/* Tables, chains, names                                               */

struct mr_table *lw_table(struct lw *w, uint8_t family)
{
	struct mr_table *t, **pp;

	for (pp = &w->out->tables; (t = *pp); pp = &t->next)
		if (t->family == family)
			return t;
	/* the backend names every lowered table "masqrule"; the id is unused */
	t = ir_alloc(sizeof(*t));
	t->family = family;
	t->id = MR_T_FILTER;
	*pp = t;
	return t;
}

struct mr_chain *lw_chain_find(const struct mr_table *t, const char *name)
{
	struct mr_chain *c;

	for (c = t->chains; c; c = c->next)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static struct mr_chain *lw_chain_add(struct mr_table *t, const char *name)
{
	struct mr_chain *c = ir_alloc(sizeof(*c)), **pp;

	c->name = ir_strdup(name);
	c->hook = MR_HOOK_NONE;
	c->policy = MR_V_NONE;
	c->tail = &c->rules;
	for (pp = &t->chains; *pp; pp = &(*pp)->next)
		;
	*pp = c;
	return c;
}

struct mr_chain *lw_base_chain(struct mr_table *t, const char *name,
			       uint8_t type, int8_t hook, int16_t prio,
			       uint16_t policy)
{
	struct mr_chain *c = lw_chain_add(t, name);

	c->builtin = true;
	c->type = type;
	c->hook = hook;
	c->prio = prio;
	c->policy = policy;
	return c;
}

struct mr_chain *lw_user_chain(struct mr_table *t, const char *name)
{
	return lw_chain_add(t, name);
}

void lw_append(struct mr_chain *c, struct mr_rule *r)
{
	r->next = NULL;
	*c->tail = r;
	c->tail = &r->next;
	c->nrules++;
}

/*
 * nft's scanner reads a chain name as one word when it is made of letters,
 * digits and "/-_." and is no keyword.  Every lowered name has a prefix
 * ending in '_' (so no keyword, no leading digit); the rest keeps letters,
 * digits, '-', '_' and '/', doubles '.', and writes any other byte as '.'
 * and two hex digits, so that distinct names stay distinct.
 */
char *lw_chain_name(const char *prefix, const char *name)
{
	size_t plen = strlen(prefix), n = 0;
	char *s = ir_alloc(plen + 3 * strlen(name) + 1);
	const unsigned char *p;

	memcpy(s, prefix, plen);
	n = plen;
	for (p = (const unsigned char *)name; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		    *p == '/') {
			s[n++] = (char)*p;
		} else if (*p == '.') {
			s[n++] = '.';
			s[n++] = '.';
		} else {
			n += (size_t)sprintf(s + n, ".%02X", *p);
		}
	}
	s[n] = '\0';
	return s;
}

/* ------------------------------------------------------------------ */
/* Rule builders                                                       */

struct mr_rule *lw_rule_new(const struct mr_loc *loc)
{
	struct mr_rule *r = ir_rule_new(MR_FAM_IP);

	if (loc)
		r->loc = *loc;
	return r;
}

void lw_verdict(struct mr_rule *r, uint16_t kind)
{
	ir_target_free(&r->target);
	r->target.kind = kind;
}

void lw_jump(struct mr_rule *r, uint16_t kind, const char *chain)
{
	lw_verdict(r, kind);
	r->target.chain = ir_strdup(chain);
}

void *lw_target(struct mr_rule *r, uint16_t kind, size_t size)
{
	lw_verdict(r, kind);
	r->target.data = ir_alloc(size);
	return r->target.data;
}

struct mr_m_conntrack *lw_match_ct(struct mr_rule *r, uint16_t has)
{
	struct mr_match *m = ir_match_add(r, MR_M_CONNTRACK,
					  sizeof(struct mr_m_conntrack));

	m->has = has;
	return MR_MDATA(m, struct mr_m_conntrack);
}

void lw_match_ctmark(struct mr_rule *r, uint32_t value, uint32_t mask)
{
	struct mr_match *m = ir_match_add(r, MR_M_CONNMARK,
					  sizeof(struct mr_m_mark));

	m->has = 1;
	MR_MDATA(m, struct mr_m_mark)->value = value;
	MR_MDATA(m, struct mr_m_mark)->mask = mask;
}

/* ------------------------------------------------------------------ */
/* The netfilter model (iptables tables)                               */

struct nf_hookdef {
	uint8_t table;
	const char *chain;
	uint8_t type;
	int8_t hook;
	int16_t prio;
};

/* iptables' built-in chains at the hooks and priorities iptables uses. */
static const struct nf_hookdef nf_hooks[] = {
	{ MR_T_RAW, "PREROUTING", MR_CHT_FILTER, MR_HOOK_PREROUTING, LW_PRIO_RAW },
	{ MR_T_RAW, "OUTPUT", MR_CHT_FILTER, MR_HOOK_OUTPUT, LW_PRIO_RAW },
	{ MR_T_MANGLE, "PREROUTING", MR_CHT_FILTER, MR_HOOK_PREROUTING, LW_PRIO_MANGLE },
	{ MR_T_MANGLE, "INPUT", MR_CHT_FILTER, MR_HOOK_INPUT, LW_PRIO_MANGLE },
	{ MR_T_MANGLE, "FORWARD", MR_CHT_FILTER, MR_HOOK_FORWARD, LW_PRIO_MANGLE },
	/* a route chain reroutes when a mark or address changes, as mangle did */
	{ MR_T_MANGLE, "OUTPUT", MR_CHT_ROUTE, MR_HOOK_OUTPUT, LW_PRIO_MANGLE },
	{ MR_T_MANGLE, "POSTROUTING", MR_CHT_FILTER, MR_HOOK_POSTROUTING, LW_PRIO_MANGLE },
	{ MR_T_NAT, "PREROUTING", MR_CHT_NAT, MR_HOOK_PREROUTING, LW_PRIO_DSTNAT },
	{ MR_T_NAT, "INPUT", MR_CHT_NAT, MR_HOOK_INPUT, LW_PRIO_SRCNAT },
	{ MR_T_NAT, "OUTPUT", MR_CHT_NAT, MR_HOOK_OUTPUT, LW_PRIO_DSTNAT },
	{ MR_T_NAT, "POSTROUTING", MR_CHT_NAT, MR_HOOK_POSTROUTING, LW_PRIO_SRCNAT },
	{ MR_T_FILTER, "INPUT", MR_CHT_FILTER, MR_HOOK_INPUT, LW_PRIO_FILTER },
	{ MR_T_FILTER, "FORWARD", MR_CHT_FILTER, MR_HOOK_FORWARD, LW_PRIO_FILTER },
	{ MR_T_FILTER, "OUTPUT", MR_CHT_FILTER, MR_HOOK_OUTPUT, LW_PRIO_FILTER },
	{ MR_T_SECURITY, "INPUT", MR_CHT_FILTER, MR_HOOK_INPUT, LW_PRIO_SECURITY },
	{ MR_T_SECURITY, "FORWARD", MR_CHT_FILTER, MR_HOOK_FORWARD, LW_PRIO_SECURITY },
	{ MR_T_SECURITY, "OUTPUT", MR_CHT_FILTER, MR_HOOK_OUTPUT, LW_PRIO_SECURITY },
};

static const struct nf_hookdef *nf_hookdef(uint8_t table, const char *chain)
{
	size_t i;

	for (i = 0; i < sizeof(nf_hooks) / sizeof(nf_hooks[0]); i++)
		if (nf_hooks[i].table == table &&
		    !strcmp(nf_hooks[i].chain, chain))
			return &nf_hooks[i];
	return NULL;
}

/* "<table>_<chain>": one namespace per table inside the masqrule table. */
static char *nf_name(const struct mr_table *t, const char *chain)
{
	char prefix[16];

	snprintf(prefix, sizeof(prefix), "%s_", ir_table_name(t->id));
	return lw_chain_name(prefix, chain);
}

static void nf_rules(struct lw *w, const struct mr_table *t,
		     const struct mr_chain *src, struct mr_chain *dst)
{
	struct mr_rule *r, *next, *c;
	char *name;

	for (r = src->rules; r; r = next) {
		next = r->next;
		c = w->take ? r : ir_rule_clone(r);
		if (c->target.kind == MR_V_JUMP || c->target.kind == MR_V_GOTO) {
			name = nf_name(t, c->target.chain);
			free(c->target.chain);
			c->target.chain = name;
		}
		lw_append(dst, c);
	}
	if (w->take) {	/* lower_ruleset_take(): the caller gave them */
		struct mr_chain *given = (struct mr_chain *)src;

		given->rules = NULL;
		given->tail = &given->rules;
		given->nrules = 0;
	}
}

/* An unused built-in chain (no rules, policy ACCEPT) changes nothing. */
static bool nf_chain_used(const struct mr_chain *c)
{
	return !c->builtin || c->rules || c->policy != MR_V_ACCEPT;
}

static void lower_netfilter(struct lw *w, const struct mr_table *t)
{
	struct mr_table *dst = lw_table(w, t->family);
	const struct nf_hookdef *hd;
	const struct mr_chain *c;
	struct mr_chain *dc;
	char *name;

	for (c = t->chains; c; c = c->next) {
		if (!nf_chain_used(c))
			continue;
		name = nf_name(t, c->name);
		if (!c->builtin) {
			dc = lw_user_chain(dst, name);
		} else if ((hd = nf_hookdef(t->id, c->name))) {
			if (c->policy != MR_V_ACCEPT && c->policy != MR_V_DROP)
				lw_error(w, NULL, "%s chain %s: policy %s has no nftables form",
					 ir_table_name(t->id), c->name,
					 ir_verdict_name(c->policy));
			dc = lw_base_chain(dst, name, hd->type, hd->hook,
					   hd->prio, c->policy == MR_V_DROP ?
					   MR_V_DROP : MR_V_ACCEPT);
		} else {
			lw_error(w, NULL, "%s chain %s: no nftables hook",
				 ir_table_name(t->id), c->name);
			free(name);
			continue;
		}
		free(name);
		nf_rules(w, t, c, dc);
	}
}

/* ------------------------------------------------------------------ */
/* Helpers and timeouts                                                */

/* The helpers the kernel has go on to the lowered ruleset; say who
 * serves the others. */
static void copy_helpers(struct lw *w)
{
	const struct mr_helper_list *h;
	struct mr_helper_list *n, **tail = &w->out->helpers;
	const struct helper_def *d;

	for (h = w->rs->helpers; h; h = h->next) {
		if (h->cfg.unload)
			continue;
		d = helper_by_name(h->cfg.name);
		if (!d || !d->kernel) {
			lw_warn(w, NULL, "helper %s (%s): Linux has no such conntrack helper; %s",
				h->cfg.name, h->cfg.module ? h->cfg.module : "?",
				d && d->engine ? "the nftables ruleset leaves it out (it is for the userspace engine backend, masqrule engine, which does not carry it yet either)" :
				"no backend of masqrule serves it");
			continue;
		}
		n = ir_alloc(sizeof(*n));
		n->cfg = h->cfg;
		n->cfg.name = ir_strdup(h->cfg.name);
		n->cfg.module = ir_strdup(h->cfg.module);
		*tail = n;
		tail = &n->next;
	}
}

/* Objects live in the IPv4 table; make sure it exists when there are any. */
static void lower_objects(struct lw *w)
{
	const struct mr_timeouts *to = &w->rs->timeouts;

	copy_helpers(w);
	w->out->timeouts = *to;
	w->out->masq_port_lo = w->rs->masq_port_lo ? w->rs->masq_port_lo :
			       MR_LEGACY_MASQ_LO;
	w->out->masq_port_hi = w->rs->masq_port_hi ? w->rs->masq_port_hi :
			       MR_LEGACY_MASQ_HI;
	if (w->out->helpers || to->tcp || to->tcpfin || to->udp)
		lw_table(w, MR_FAM_IP);
}

/* ------------------------------------------------------------------ */
/* Final order and the printability check                             */

static bool chain_before(const struct mr_chain *a, const struct mr_chain *b)
{
	if (!a->builtin || !b->builtin)
		return a->builtin && !b->builtin;
	if (a->hook != b->hook)
		return a->hook < b->hook;
	return a->prio < b->prio;
}

/* Base chains first in packet-path order, then the others as created
 * (a stable insertion sort: tables hold a few dozen chains). */
static void sort_chains(struct mr_table *t)
{
	struct mr_chain *sorted = NULL, *c, *next, **pp;

	for (c = t->chains; c; c = next) {
		next = c->next;
		for (pp = &sorted; *pp && !chain_before(c, *pp);
		     pp = &(*pp)->next)
			;
		c->next = *pp;
		*pp = c;
	}
	t->chains = sorted;
}

/* Count the jumps to each chain (the model keeps refs). */
static void count_refs(struct mr_table *t)
{
	struct mr_chain *c, *to;
	struct mr_rule *r;

	for (c = t->chains; c; c = c->next)
		for (r = c->rules; r; r = r->next)
			if ((r->target.kind == MR_V_JUMP ||
			     r->target.kind == MR_V_GOTO) &&
			    (to = lw_chain_find(t, r->target.chain)))
				to->refs++;
}

/* Every lowered rule must have an nft form; say which one has not. */
static void check_printable(struct lw *w, const struct mr_table *t)
{
	const struct mr_chain *c;
	const struct mr_rule *r;
	struct mr_buf b;

	buf_init(&b);
	for (c = t->chains; c; c = c->next) {
		for (r = c->rules; r; r = r->next) {
			buf_reset(&b);
			if (!print_rule_nft(&b, r))
				lw_error(w, &r->loc, "this rule has no nftables translation (in chain %s)",
					 c->name);
		}
	}
	buf_free(&b);
}

static struct mr_ruleset *lower(const struct mr_ruleset *rs, bool take,
				struct erec_list *errs)
{
	struct lw w = { .rs = rs, .errs = errs, .take = take };
	const struct mr_table *t;
	struct mr_table *lt;

	w.out = ir_alloc(sizeof(*w.out));
	for (t = rs->tables; t; t = t->next) {
		if (t->id == MR_T_LEGACY)
			lower_legacy(&w, t);
		else
			lower_netfilter(&w, t);
	}
	lower_portfws(&w);
	lower_objects(&w);
	for (lt = w.out->tables; lt; lt = lt->next) {
		sort_chains(lt);
		count_refs(lt);
		check_printable(&w, lt);
	}
	if (w.nerr) {
		model_free(w.out);
		return NULL;
	}
	return w.out;
}

struct mr_ruleset *lower_ruleset(const struct mr_ruleset *rs,
				 struct erec_list *errs)
{
	return lower(rs, false, errs);
}

struct mr_ruleset *lower_ruleset_take(struct mr_ruleset *rs,
				      struct erec_list *errs)
{
	return lower(rs, true, errs);
}
