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

static const char *match_problem(const struct mr_match *m)
{
	switch (m->kind) {
	case MR_M_TCP:
		return m->has & BIT(MR_TCP_OPTION) ? "--tcp-option" : NULL;
	case MR_M_CONNTRACK:
		return m->has & ~BIT(MR_CTM_STATE) ?
			"conntrack tests other than --ctstate" : NULL;
	case MR_M_STATE:
		return MR_MDATA(m, const struct mr_m_ctstate)->states &
			(MR_CT_UNTRACKED | MR_CT_SNAT | MR_CT_DNAT) ?
			"this state (UNTRACKED, SNAT, DNAT)" : NULL;
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
	case MR_V_MASQ:
		return nat && nat->flags ?
			"MASQUERADE with ports or options" : NULL;
	case MR_V_REDIRECT:
		return "REDIRECT: it has no local ports to redirect to";
	case MR_V_SNAT: case MR_V_DNAT: case MR_V_NETMAP:
		return "SNAT, DNAT or NETMAP (the nat table)";
	}
	return "this target";
}

static int check_rule(const struct mr_rule *r, struct erec_list *errs)
{
	const struct mr_match *m;
	const char *why;

	if (r->family != MR_FAM_IP)
		return refuse(errs, &r->loc, "IPv6 rules");
	if (r->has & MR_HAS_COPY)
		return refuse(errs, &r->loc,
			      "-o (copying packets to netlink)");
	for (m = r->matches; m; m = m->next) {
		why = match_problem(m);
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

static int check_table(const struct mr_table *t, struct erec_list *errs)
{
	static const struct mr_loc none;
	const struct mr_chain *c;
	const struct mr_rule *r;
	int rc = 0;

	if (t->id != MR_T_LEGACY || t->family != MR_FAM_IP) {
		for (c = t->chains; c; c = c->next)
			if (c->rules || c->policy != MR_V_ACCEPT)
				break;
		if (!c)
			return 0;	/* empty: nothing to run */
		erec_add(errs, EREC_ERROR, MR_EXIT_OTHER,
			 c->rules ? &c->rules->loc : &none,
			 "the userspace engine runs the ipfwadm/ipchains "
			 "model; the iptables %s table is not supported yet",
			 ir_table_name(t->id));
		return -1;
	}
	for (c = t->chains; c; c = c->next) {
		rc |= check_policy(c, errs);
		for (r = c->rules; r; r = r->next)
			rc |= check_rule(r, errs);
		if (c->builtin)
			rc |= depth(t, c, 0, errs);
	}
	return rc ? -1 : 0;
}

int rules_check(const struct mr_ruleset *rs, struct erec_list *errs)
{
	const struct mr_table *t;
	int rc = 0;

	for (t = rs->tables; t; t = t->next)
		rc |= check_table(t, errs);
	if (rs->portfws) {
		erec_add(errs, EREC_ERROR, MR_EXIT_OTHER, NULL,
			 "the userspace engine does not run port forwarding "
			 "(ipmasqadm portfw / ipportfw) yet");
		rc = -1;
	}
	return rc;
}
