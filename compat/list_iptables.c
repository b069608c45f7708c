// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iptables -L [chain] with -n -v -x --line-numbers: the layout of
 * iptables 1.8.9 byte for byte (measured; docs/listing.md), trailing
 * spaces included.  The match and target words come from list_xt*.c.
 */
#include <stdio.h>
#include <string.h>
#include "list.h"
#include "model.h"
#include "list_int.h"
#include "services.h"

static void ipt_counts(struct mr_buf *b, const struct mr_rule *r, unsigned lf)
{
	bool x = lf & MR_LF_EXACT;

	list_count(b, r->pkts, LIST_KMG_IPTABLES, x, 8);
	list_count(b, r->bytes, LIST_KMG_IPTABLES, x, 8);
}

static void ipt_proto(struct mr_buf *b, const struct mr_rule *r, unsigned lf)
{
	bool has = r->has & MR_HAS_PROTO;
	const char *name = has ? proto_name(r->proto) : "all";
	char num[8];

	buf_addc(b, (r->inv & MR_INV_PROTO) ? '!' : ' ');
	snprintf(num, sizeof(num), "%u", has ? r->proto : 0);
	/* "%-4s " rather than "%-5s": "ipv6-icmp --" keeps its space */
	buf_printf(b, "%-4s ", (lf & MR_LF_NUMERIC) || !name ? num : name);
}

static void ipt_ifaces(struct mr_buf *b, const struct mr_rule *r, unsigned lf)
{
	const char *any = (lf & MR_LF_NUMERIC) ? "*" : "any";
	char s[MR_IFNAMSIZ + 2];

	snprintf(s, sizeof(s), "%s%s", (r->inv & MR_INV_IIF) ? "!" : "",
		 (r->has & MR_HAS_IIF) && *r->iif ? r->iif : any);
	buf_printf(b, " %-6s ", s);
	snprintf(s, sizeof(s), "%s%s", (r->inv & MR_INV_OIF) ? "!" : "",
		 (r->has & MR_HAS_OIF) && *r->oif ? r->oif : any);
	buf_printf(b, "%-6s ", s);
}

static void ipt_host(struct mr_buf *b, const struct mr_rule *r,
		     const struct mr_prefix *p, bool has, bool inv,
		     unsigned lf)
{
	struct mr_buf a;

	buf_init(&a);
	list_host(&a, r->family, p, has, lf & MR_LF_NUMERIC);
	buf_printf(b, "%c%-19s ", inv ? '!' : ' ', a.s);
	buf_free(&a);
}

static const char *ipt_target_name(const struct mr_rule *r)
{
	if (r->target.kind == MR_V_NONE)
		return "";
	if (r->target.chain)
		return r->target.chain;
	return ir_verdict_name(r->target.kind);
}

static void ipt_rule(struct mr_buf *b, const struct mr_rule *r, unsigned num,
		     unsigned lf)
{
	const char *t = ipt_target_name(r);

	if (lf & MR_LF_LINENUM)
		buf_printf(b, "%-4u ", num);
	if (lf & MR_LF_VERBOSE)
		ipt_counts(b, r, lf);
	buf_printf(b, "%-9s ", t);
	ipt_proto(b, r, lf);
	buf_printf(b, "%c%c ", (r->inv & MR_INV_FRAG) ? '!' : '-',
		   (r->has & MR_HAS_FRAG) ? 'f' : '-');
	if (lf & MR_LF_VERBOSE)
		ipt_ifaces(b, r, lf);
	ipt_host(b, r, &r->src, r->has & MR_HAS_SRC, r->inv & MR_INV_SRC, lf);
	ipt_host(b, r, &r->dst, r->has & MR_HAS_DST, r->inv & MR_INV_DST, lf);
	if (r->target.kind == MR_V_GOTO)
		buf_add(b, "[goto] ");
	list_xt_matches(b, r, lf);
	list_xt_target(b, r, lf);
	buf_addc(b, '\n');
}

static void ipt_chain_line(struct mr_buf *b, const struct mr_chain *c,
			   unsigned lf)
{
	bool x = lf & MR_LF_EXACT;

	if (!c->builtin) {
		buf_printf(b, "Chain %s (%u references)\n", c->name, c->refs);
		return;
	}
	buf_printf(b, "Chain %s (policy %s", c->name,
		   ir_verdict_name(c->policy ? c->policy : MR_V_ACCEPT));
	if (lf & MR_LF_VERBOSE) {
		buf_addc(b, ' ');
		list_count(b, c->pkts, LIST_KMG_IPTABLES, x, 0);
		buf_add(b, "packets, ");
		list_count(b, c->bytes, LIST_KMG_IPTABLES, x, 0);
		buf_add(b, "bytes");
	}
	buf_add(b, ")\n");
}

static void ipt_head(struct mr_buf *b, const struct mr_chain *c, unsigned lf)
{
	bool v = lf & MR_LF_VERBOSE;

	ipt_chain_line(b, c, lf);
	if (lf & MR_LF_LINENUM)
		buf_printf(b, "%-4s ", "num");
	if (v)
		buf_printf(b, (lf & MR_LF_EXACT) ? "%8s %10s " : "%5s %5s ",
			   "pkts", "bytes");
	buf_printf(b, "%-9s  prot opt", "target");
	if (v)
		buf_printf(b, " %-6s %-6s ", "in", "out");
	buf_printf(b, " %-19s  %-19s \n", "source", "destination");
}

void list_iptables(struct mr_buf *b, const struct mr_table *t,
		   const char *chain, unsigned lflags)
{
	const struct mr_chain *c;
	const struct mr_rule *r;
	bool first = true;
	unsigned n;

	for (c = t->chains; c; c = c->next) {
		if (chain && strcmp(chain, c->name))
			continue;
		if (!first)
			buf_addc(b, '\n');
		first = false;
		ipt_head(b, c, lflags);
		for (r = c->rules, n = 1; r; r = r->next, n++)
			ipt_rule(b, r, n, lflags);
	}
}

/*
 * iptables -L CHAIN RULENUM: that rule's line alone, without the chain's
 * two header lines, numbered as in the chain with --line-numbers; nothing
 * when the chain has fewer rules (iptables 1.8.9, measured).
 */
void list_iptables_rule(struct mr_buf *b, const struct mr_table *t,
			const char *chain, unsigned rulenum, unsigned lflags)
{
	const struct mr_rule *r = model_rule_at(t, chain, rulenum);

	if (r)
		ipt_rule(b, r, rulenum, lflags);
}
