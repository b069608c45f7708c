/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the engine can run.  Every rule, match and target is checked when
 * a ruleset is loaded; anything the packet path would not honour is an
 * error at that rule, never a test silently skipped at run time.
 */
#include <string.h>
#include "eng_int.h"
#include "ir_ext.h"
#include "model.h"

#define BIT(n) (1u << (n))
#define CALL_DEPTH 32

static int refuse(struct erec_list *errs, const struct mr_loc *loc,
		  const char *what)
{
	erec_add(errs, EREC_ERROR, MR_EXIT_OTHER, loc,
		 "the userspace engine cannot run %s", what);
	return -1;
}

/*
 * The iptables model knows every state: UNTRACKED never happens (no raw
 * table, as a kernel without NOTRACK rules), SNAT and DNAT come from the
 * flow's entry.  The legacy model's table knows only its masquerading.
 */
static const char *states_problem(uint8_t states, bool legacy)
{
	if (legacy && (states & (MR_CT_UNTRACKED | MR_CT_SNAT | MR_CT_DNAT)))
		return "this state (UNTRACKED, SNAT, DNAT) in ipchains or "
		       "ipfwadm rules";
	return NULL;
}

static const char *match_problem(const struct mr_match *m, bool legacy)
{
	switch (m->kind) {
	case MR_M_TCP:
		return m->has & BIT(MR_TCP_OPTION) ? "--tcp-option" : NULL;
	case MR_M_CONNTRACK:
		if (m->has & ~BIT(MR_CTM_STATE))
			return "conntrack tests other than --ctstate";
		return states_problem(MR_MDATA(m,
			const struct mr_m_conntrack)->states, legacy);
	case MR_M_STATE:
		return states_problem(MR_MDATA(m,
			const struct mr_m_ctstate)->states, legacy);
	case MR_M_UDP: case MR_M_ICMP: case MR_M_MULTIPORT:
	case MR_M_LEGACY_PORTS: case MR_M_MARK: case MR_M_MAC:
	case MR_M_IPRANGE: case MR_M_COMMENT: case MR_M_TTL:
	case MR_M_LENGTH: case MR_M_TOS: case MR_M_DSCP:
		return NULL;
	case MR_M_ICMP6:
		return "the icmp6 match";
	case MR_M_LIMIT:
		return "the limit match";
	}
	return "this match";
}

static const char *target_problem(const struct mr_target *t)
{
	const struct mr_t_nat *nat = t->data;
	const struct mr_t_reject *rj = t->data;

	switch (t->kind) {
	case MR_V_NONE: case MR_V_ACCEPT: case MR_V_DROP: case MR_V_RETURN:
	case MR_V_JUMP: case MR_V_GOTO: case MR_V_LOG: case MR_V_MARK:
		return NULL;
	case MR_V_REJECT:
		return rj && rj->with > MR_RJ_TCP_RESET ?
			"an ICMPv6 reject" : NULL;
	case MR_V_MASQ: case MR_V_SNAT: case MR_V_DNAT:
		return nat && (nat->flags & ~(MR_NAT_ADDR | MR_NAT_PORTS)) ?
			"NAT with --random, --persistent or a base port" :
			NULL;
	case MR_V_REDIRECT:
		return "REDIRECT: the engine has no local sockets to redirect "
		       "to (use the kernel backend)";
	case MR_V_NETMAP:
		return "NETMAP";
	}
	return "this target";
}

/* Where a target may stand: which table, reached from which hook. */
static const char *placement_problem(const struct mr_target *t,
				     uint8_t table, int hook)
{
	const struct mr_t_nat *nat = t->data;
	bool legacy = table == MR_T_LEGACY, in_nat = table == MR_T_NAT;

	switch (t->kind) {
	case MR_V_MASQ:
		if (legacy)
			return nat && nat->flags ?
				"MASQ with ports or options" : NULL;
		return in_nat && hook == MR_HOOK_POSTROUTING ? NULL :
			"MASQUERADE outside nat POSTROUTING";
	case MR_V_SNAT:
		if (!nat || !(nat->flags & MR_NAT_ADDR))
			return "SNAT without an address";
		return in_nat && hook == MR_HOOK_POSTROUTING ? NULL :
			"SNAT outside nat POSTROUTING";
	case MR_V_DNAT:
		return in_nat && hook == MR_HOOK_PREROUTING ? NULL :
			"DNAT outside nat PREROUTING";
	case MR_V_REJECT:
		return in_nat ? "REJECT in the nat table" : NULL;
	}
	return NULL;
}

static int check_rule(const struct mr_rule *r, bool legacy,
		      struct erec_list *errs)
{
	const struct mr_match *m;
	const char *why;

	if (r->family != MR_FAM_IP)
		return refuse(errs, &r->loc, "IPv6 rules");
	if (r->has & MR_HAS_COPY)
		return refuse(errs, &r->loc,
			      "-o (copying packets to netlink)");
	for (m = r->matches; m; m = m->next) {
		why = match_problem(m, legacy);
		if (why)
			return refuse(errs, m->loc.src ? &m->loc : &r->loc, why);
	}
	why = target_problem(&r->target);
	if (why)
		return refuse(errs, r->target.loc.src ? &r->target.loc :
			      &r->loc, why);
	return 0;
}

/* Longest call path from chain c; -1 at a loop (or too deep). */
static int depth(const struct mr_table *t, const struct mr_chain *c,
		 unsigned level, struct erec_list *errs)
{
	const struct mr_rule *r;
	const struct mr_chain *to;

	for (r = c->rules; r; r = r->next) {
		if (r->target.kind != MR_V_JUMP && r->target.kind != MR_V_GOTO)
			continue;
		to = model_chain_find(t, r->target.chain);
		if (!to)
			return refuse(errs, &r->target.loc,
				      "a jump to a chain that does not exist");
		if (level + 1 >= CALL_DEPTH)
			return refuse(errs, &r->target.loc,
				      "a jump loop or calls nested over 32 deep");
		if (depth(t, to, level + 1, errs))
			return -1;
	}
	return 0;
}

static int check_policy(const struct mr_chain *c, struct erec_list *errs)
{
	static const struct mr_loc none;

	if (!c->builtin)
		return 0;
	switch (c->policy) {
	case MR_V_ACCEPT: case MR_V_DROP: case MR_V_REJECT:
		return 0;
	case MR_V_MASQ:
		if (c->hook == MR_HOOK_FORWARD)
			return 0;
	}
	erec_add(errs, EREC_ERROR, MR_EXIT_OTHER, &none,
		 "the userspace engine cannot run the policy of chain %s",
		 c->name);
	return -1;
}

/*
 * Every rule reachable from built-in chain hook: its target must suit
 * the table and that hook (a user chain called from PREROUTING may DNAT,
 * one called from POSTROUTING may not).  The walk is bounded: depth()
 * has refused loops and deep nesting before.
 */
static int placement(const struct mr_table *t, const struct mr_chain *c,
		     int hook, unsigned level, struct erec_list *errs)
{
	const struct mr_rule *r;
	const struct mr_chain *to;
	const char *why;

	for (r = c->rules; r; r = r->next) {
		why = placement_problem(&r->target, t->id, hook);
		if (why)
			return refuse(errs, r->target.loc.src ?
				      &r->target.loc : &r->loc, why);
		if (r->target.kind != MR_V_JUMP && r->target.kind != MR_V_GOTO)
			continue;
		to = model_chain_find(t, r->target.chain);
		if (to && level < CALL_DEPTH &&
		    placement(t, to, hook, level + 1, errs))
			return -1;
	}
	return 0;
}

static bool table_empty(const struct mr_table *t)
{
	const struct mr_chain *c;

	for (c = t->chains; c; c = c->next)
		if (c->rules || c->policy != MR_V_ACCEPT || !c->builtin)
			return false;
	return true;
}

static const struct mr_loc *first_loc(const struct mr_table *t)
{
	static const struct mr_loc none;
	const struct mr_chain *c;

	for (c = t->chains; c; c = c->next)
		if (c->rules)
			return &c->rules->loc;
	return &none;
}

/* Tables, chains and families the engine has no model for. */
static int check_kind(const struct mr_table *t, struct erec_list *errs)
{
	const struct mr_chain *c;

	if (t->family != MR_FAM_IP)
		return refuse(errs, first_loc(t), "IPv6 rules");
	if (t->id != MR_T_LEGACY && t->id != MR_T_FILTER && t->id != MR_T_NAT) {
		erec_add(errs, EREC_ERROR, MR_EXIT_OTHER, first_loc(t),
			 "the userspace engine runs the filter and nat tables; "
			 "the iptables %s table is not supported",
			 ir_table_name(t->id));
		return -1;
	}
	c = t->id == MR_T_NAT ? model_chain_find(t, "OUTPUT") : NULL;
	if (c && c->rules)
		return refuse(errs, &c->rules->loc,
			      "nat OUTPUT: it makes no connections of its own "
			      "(use the kernel backend)");
	c = t->id == MR_T_NAT ? model_chain_find(t, "INPUT") : NULL;
	if (c && c->rules)
		return refuse(errs, &c->rules->loc,
			      "nat INPUT: it has no local sockets "
			      "(use the kernel backend)");
	return 0;
}

static int check_table(const struct mr_table *t, struct erec_list *errs)
{
	const struct mr_chain *c;
	const struct mr_rule *r;
	int rc = 0;

	if (table_empty(t))
		return 0;		/* nothing to run */
	if (check_kind(t, errs))
		return -1;
	for (c = t->chains; c; c = c->next) {
		rc |= check_policy(c, errs);
		for (r = c->rules; r; r = r->next)
			rc |= check_rule(r, t->id == MR_T_LEGACY, errs);
		if (c->builtin && !depth(t, c, 0, errs))
			rc |= placement(t, c, c->hook, 0, errs);
		else if (c->builtin)
			rc = -1;
	}
	return rc ? -1 : 0;
}

/* One model runs: 2.0/2.2 chains (with port forwarding) or iptables. */
static int check_models(const struct mr_ruleset *rs, struct erec_list *errs)
{
	const struct mr_table *t, *legacy = NULL, *ipt = NULL;

	for (t = rs->tables; t; t = t->next) {
		if (table_empty(t) || t->family != MR_FAM_IP)
			continue;
		if (t->id == MR_T_LEGACY)
			legacy = t;
		else if (!ipt)
			ipt = t;
	}
	if (ipt && (legacy || rs->portfws)) {
		erec_add(errs, EREC_ERROR, MR_EXIT_OTHER, first_loc(ipt),
			 "the userspace engine runs one model: these iptables "
			 "rules cannot run beside ipfwadm/ipchains rules or "
			 "port forwarding entries");
		return -1;
	}
	return 0;
}

int rules_check(const struct mr_ruleset *rs, struct erec_list *errs)
{
	const struct mr_table *t;
	int rc = 0;

	for (t = rs->tables; t; t = t->next)
		rc |= check_table(t, errs);
	return rc | check_models(rs, errs);
}
