/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * print_ruleset_nft(): a lowered ruleset (lower_ruleset()) as an `nft -f`
 * script that replaces masqrule's tables: per family "table <fam>
 * masqrule" with its ct objects, base chains (type, hook, priority,
 * policy) and rules, the rule bodies printed by print_rule_nft().
 */
#include <string.h>
#include "lower_objs.h"
#include "print.h"

static const char *const hook_names[] = {
	[MR_HOOK_PREROUTING] = "prerouting",
	[MR_HOOK_INPUT] = "input",
	[MR_HOOK_FORWARD] = "forward",
	[MR_HOOK_OUTPUT] = "output",
	[MR_HOOK_POSTROUTING] = "postrouting",
};

static const char *const type_names[] = {
	[MR_CHT_FILTER] = "filter",
	[MR_CHT_NAT] = "nat",
	[MR_CHT_ROUTE] = "route",
};

/* What the chains of the lowering's own are for, as nft comments. */
static const struct {
	const char *chain, *what;
} chain_notes[] = {
	{ "acct_in", "ipfwadm accounting, packets received" },
	{ "input", "legacy input chain: every packet received, forwarded ones too, before NAT" },
	{ "forward", "legacy forward chain: -i names the outgoing interface" },
	{ "output", "legacy output chain: every packet sent, forwarded ones after masquerading" },
	{ "acct_out", "ipfwadm accounting, packets sent" },
	{ "mr_redirect", "the legacy input chain again: its REDIRECT verdicts" },
	{ "mr_portfw", "port forwards (ipmasqadm portfw, ipportfw)" },
	{ "mr_masquerade", "connections the forward chain said MASQ for, source ports as 2.2 chose them" },
	{ "mr_masq", "forward verdict MASQ: mark the connection for mr_masquerade" },
	{ "mr_reject_port", "REJECT as 2.2 did it in input: no ICMP error about ICMP" },
	{ "mr_reject_host", "REJECT as 2.2 did it in forward: no ICMP error about ICMP" },
	{ "mr_helpers", "conntrack helpers on their ports" },
	{ "mr_helpers_out", "conntrack helpers for connections the router opens" },
	{ "mr_timeouts", "masquerade timeouts" },
};

static const char *fam_name(uint8_t family)
{
	return family == MR_FAM_IP6 ? "ip6" : "ip";
}

static const char *proto_word(uint8_t proto)
{
	return proto == 6 ? "tcp" : "udp";
}

static void pr_note(struct mr_buf *b, const char *chain)
{
	size_t i;

	for (i = 0; i < sizeof(chain_notes) / sizeof(chain_notes[0]); i++)
		if (!strcmp(chain_notes[i].chain, chain))
			buf_printf(b, "\t# %s\n", chain_notes[i].what);
}

static void pr_chain_head(struct mr_buf *b, const char *name, bool base,
			  uint8_t type, int8_t hook, int16_t prio,
			  uint16_t policy)
{
	pr_note(b, name);
	buf_printf(b, "\tchain %s {\n", name);
	if (!base || hook < MR_HOOK_PREROUTING || hook > MR_HOOK_POSTROUTING ||
	    type > MR_CHT_ROUTE)
		return;
	buf_printf(b, "\t\ttype %s hook %s priority %d; policy %s;\n",
		   type_names[type], hook_names[hook], prio,
		   policy == MR_V_DROP ? "drop" : "accept");
}

static void pr_rule(struct mr_buf *b, struct mr_buf *tmp,
		    const struct mr_rule *r)
{
	buf_reset(tmp);
	if (!print_rule_nft(tmp, r)) {
		/* lower_ruleset() refuses such rules; keep the script loadable */
		buf_add(b, "\t\t# a rule without nftables translation\n");
		return;
	}
	buf_rtrim(tmp);
	buf_printf(b, "\t\t%s\n", tmp->len ? tmp->s : "counter");
}

static void pr_chain(struct mr_buf *b, struct mr_buf *tmp,
		     const struct mr_chain *c)
{
	const struct mr_rule *r;

	pr_chain_head(b, c->name, c->builtin, c->type, c->hook, c->prio,
		      c->policy);
	for (r = c->rules; r; r = r->next)
		pr_rule(b, tmp, r);
	buf_add(b, "\t}\n");
}

static void pr_object(struct mr_buf *b, const struct lobj *o)
{
	if (o->kind == LOBJ_CT_HELPER) {
		buf_printf(b, "\tct helper %s {\n\t\ttype \"%s\" protocol %s\n"
			   "\t\tl3proto ip\n\t}\n", o->name, o->type,
			   proto_word(o->l4proto));
		return;
	}
	buf_printf(b, "\tct timeout %s {\n\t\tprotocol %s\n\t\tl3proto ip\n"
		   "\t\tpolicy = { ", o->name, proto_word(o->l4proto));
	if (o->l4proto == 6 && o->established && o->fin_wait)
		buf_printf(b, "established : %u, fin_wait : %u", o->established,
			   o->fin_wait);
	else if (o->l4proto == 6)
		buf_printf(b, "%s : %u", o->established ? "established" :
			   "fin_wait", o->established ? o->established :
			   o->fin_wait);
	else
		buf_printf(b, "unreplied : %u, replied : %u", o->unreplied,
			   o->replied);
	buf_add(b, " }\n\t}\n");
}

static void pr_ports(struct mr_buf *b, const struct lobj *o)
{
	unsigned i;

	if (o->nports == 1) {
		buf_printf(b, "%u", o->ports[0]);
		return;
	}
	buf_add(b, "{ ");
	for (i = 0; i < o->nports; i++)
		buf_printf(b, "%s%u", i ? ", " : "", o->ports[i]);
	buf_add(b, " }");
}

/* A chain of rules that attach objects (helpers or timeouts). */
static void pr_attach_chain(struct mr_buf *b, const struct lower_objs *o,
			    enum lobj_chain_id id)
{
	const struct lobj_chain *c = &lobj_chains[id];
	const struct lobj *x;
	unsigned i;

	if (!lower_objs_use_chain(o, id))
		return;
	buf_addc(b, '\n');	/* never first: objects come before */
	pr_chain_head(b, c->name, true, c->type, c->hook, c->prio, MR_V_ACCEPT);
	for (i = 0; i < o->n; i++) {
		x = &o->v[i];
		if (x->kind == LOBJ_CT_TIMEOUT && id == LOBJ_CH_TIMEOUTS) {
			buf_printf(b, "\t\tct state new ct status snat meta l4proto %s ct timeout set \"%s\"\n",
				   proto_word(x->l4proto), x->name);
		} else if (x->kind == LOBJ_CT_HELPER && id != LOBJ_CH_TIMEOUTS &&
			   x->nports) {
			buf_printf(b, "\t\t%s dport ", proto_word(x->l4proto));
			pr_ports(b, x);
			buf_printf(b, " ct helper set \"%s\"\n", x->name);
		}
	}
	buf_add(b, "\t}\n");
}

static void pr_table(struct mr_buf *b, const struct mr_ruleset *rs,
		     const struct mr_table *t)
{
	const char *fam = fam_name(t->family);
	const struct mr_chain *c;
	struct lower_objs o;
	struct mr_buf tmp;
	unsigned i;
	int id;

	lower_objs_build(rs, t, &o);
	buf_init(&tmp);
	/* create-then-delete: the script replaces the table, fresh or not */
	buf_printf(b, "table %s masqrule\ndelete table %s masqrule\n\n", fam,
		   fam);
	buf_printf(b, "table %s masqrule {\n", fam);
	for (i = 0; i < o.n; i++) {
		if (i)
			buf_addc(b, '\n');
		pr_object(b, &o.v[i]);
	}
	for (c = t->chains; c; c = c->next) {
		if (c != t->chains || o.n)
			buf_addc(b, '\n');
		pr_chain(b, &tmp, c);
	}
	for (id = 0; id < LOBJ_NCHAINS; id++)
		pr_attach_chain(b, &o, (enum lobj_chain_id)id);
	buf_add(b, "}\n");
	buf_free(&tmp);
	lower_objs_free(&o);
}

void print_ruleset_nft(struct mr_buf *b, const struct mr_ruleset *lowered)
{
	const struct mr_table *t;

	for (t = lowered->tables; t; t = t->next) {
		if (t != lowered->tables)
			buf_addc(b, '\n');
		pr_table(b, lowered, t);
	}
}
