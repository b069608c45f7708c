// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A listing command (-L, -S, portfw -l) of any dialect, from a model: the
 * one place that picks the format, so that the kernel backend and the
 * engine's client list alike (docs/listing.md).
 */
#include <string.h>
#include "list.h"
#include "model.h"
#include "print.h"

/* -S: iptables' form for netfilter tables and iptables commands. */
static unsigned save_flags(const struct mr_cmd *c)
{
	unsigned f = 0;

	if (c->dialect == MR_D_IPTABLES || c->dialect == MR_D_IP6TABLES ||
	    c->table != MR_T_LEGACY)
		f |= MR_PF_IPTABLES;
	if (c->family == MR_FAM_IP6)
		f |= MR_PF_IP6;
	if (c->lflags & MR_LF_VERBOSE)
		f |= MR_PF_COUNTERS;
	return f;
}

/* ipfwadm -l names its chain; without one, each built-in chain in turn. */
static void list_fwadm(struct mr_buf *b, const struct mr_table *t,
		       const struct mr_cmd *c)
{
	const struct mr_chain *ch;

	for (ch = t->chains; ch; ch = ch->next)
		if (c->chain ? !strcmp(ch->name, c->chain) : ch->builtin)
			list_ipfwadm(b, ch, c->lflags);
}

/* -L in the layout of the command's tool; the native dialect uses
 * ipchains' for the legacy table, iptables' for the others. */
static void list_rules(struct mr_buf *b, const struct mr_table *t,
		       const struct mr_cmd *c)
{
	if (t->id == MR_T_LEGACY && c->dialect == MR_D_IPFWADM)
		list_fwadm(b, t, c);
	else if (t->id == MR_T_LEGACY)
		list_ipchains(b, t, c->chain, c->lflags);
	else if (c->rulenum)
		list_iptables_rule(b, t, c->chain, (unsigned)c->rulenum,
				   c->lflags);
	else
		list_iptables(b, t, c->chain, c->lflags);
}

int list_command(struct mr_buf *b, struct mr_ruleset *rs,
		 const struct mr_cmd *c, struct erec_list *errs)
{
	struct mr_table *t;

	if (c->op == MR_OP_PORTFW_LIST) {
		list_portfw(b, rs->portfws, c->dialect, c->lflags);
		return 0;
	}
	t = model_table(rs, c->family, c->table);
	if (c->chain && !model_chain_find(t, c->chain)) {
		erec_add(errs, EREC_ERROR, MR_EXIT_OTHER, &c->loc,
			 "No chain/target/match by that name.");
		return -1;
	}
	if (c->op == MR_OP_LIST_RULES && c->rulenum)
		print_table_rule(b, t, c->chain, (unsigned)c->rulenum,
				 save_flags(c));
	else if (c->op == MR_OP_LIST_RULES)
		print_table_rules(b, t, c->chain, save_flags(c));
	else
		list_rules(b, t, c);
	return 0;
}
