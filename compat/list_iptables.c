// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iptables -L: the column layout of dialects.md 5.8.  The columns after
 * destination are the rule's matches and target options in save form
 * (iptables prints its own words there, e.g. "tcp dpt:22"; not done yet).
 */
#include <stdio.h>
#include <string.h>
#include "addr.h"
#include "list.h"
#include "print.h"
#include "services.h"

/* iptables' short counters: K, M, G ... above 99999, unless -x. */
static void list_num(struct mr_buf *b, uint64_t n, unsigned lf, int width)
{
	static const char units[] = "KMGT";
	unsigned i = 0;

	if ((lf & MR_LF_EXACT) || n <= 99999) {
		buf_printf(b, "%*llu ", (lf & MR_LF_EXACT) ? width : 5,
			   (unsigned long long)n);
		return;
	}
	n = (n + 500) / 1000;
	while (n > 9999 && i < sizeof(units) - 2) {
		n = (n + 500) / 1000;
		i++;
	}
	buf_printf(b, "%4llu%c ", (unsigned long long)n, units[i]);
}

static void list_iface(struct mr_buf *b, const char *name, bool inv)
{
	char s[MR_IFNAMSIZ + 2];

	snprintf(s, sizeof(s), "%s%s", inv ? "!" : "", *name ? name : "*");
	buf_printf(b, "%-6s ", s);
}

static void list_addr(struct mr_buf *b, const struct mr_rule *r,
		      const struct mr_prefix *p, bool has, bool inv,
		      unsigned lf)
{
	struct mr_buf a;

	buf_init(&a);
	if (inv)
		buf_addc(&a, '!');
	if (!has || addr_mask_len(p->mask, r->family) == 0)
		buf_add(&a, !(lf & MR_LF_NUMERIC) ? "anywhere" :
			r->family == MR_FAM_IP6 ? "::/0" : "0.0.0.0/0");
	else
		addr_format_prefix(&a, r->family, p);
	buf_printf(b, "%-20s ", a.s);
	buf_free(&a);
}

/* Matches and target options: save form without the core fields. */
static void list_extra(struct mr_buf *b, const struct mr_rule *r)
{
	struct mr_rule x = *r;
	struct mr_buf s;

	x.has &= ~(MR_HAS_PROTO | MR_HAS_SRC | MR_HAS_DST | MR_HAS_IIF |
		   MR_HAS_OIF | MR_HAS_FRAG | MR_HAS_COUNTERS);
	x.inv = 0;
	buf_init(&s);
	print_rule_args(&s, &x, MR_PF_IPTABLES);
	buf_rtrim(&s);
	if (s.len)
		buf_printf(b, " %s", s.s);
	buf_free(&s);
}

static void list_target_name(struct mr_buf *b, const struct mr_rule *r)
{
	const char *n = r->target.kind == MR_V_NONE ? "" :
			r->target.chain ? r->target.chain :
			ir_verdict_name(r->target.kind);

	buf_printf(b, "%-10s ", n ? n : "?");
}

static void list_rule(struct mr_buf *b, const struct mr_rule *r,
		      unsigned num, unsigned lf)
{
	bool v = lf & MR_LF_VERBOSE;
	const char *p = (r->has & MR_HAS_PROTO) ? proto_name(r->proto) : "all";

	if (lf & MR_LF_LINENUM)
		buf_printf(b, "%-4u ", num);
	if (v) {
		list_num(b, r->pkts, lf, 8);
		list_num(b, r->bytes, lf, 10);
	}
	list_target_name(b, r);
	buf_addc(b, (r->inv & MR_INV_PROTO) ? '!' : ' ');
	if ((lf & MR_LF_NUMERIC) || !p)
		buf_printf(b, "%-5u", (r->has & MR_HAS_PROTO) ? r->proto : 0);
	else
		buf_printf(b, "%-5s", p);
	buf_printf(b, "%c%c ", (r->inv & MR_INV_FRAG) ? '!' : '-',
		   (r->has & MR_HAS_FRAG) ? 'f' : '-');
	if (v) {
		list_iface(b, r->iif, r->inv & MR_INV_IIF);
		list_iface(b, r->oif, r->inv & MR_INV_OIF);
	}
	list_addr(b, r, &r->src, r->has & MR_HAS_SRC, r->inv & MR_INV_SRC, lf);
	list_addr(b, r, &r->dst, r->has & MR_HAS_DST, r->inv & MR_INV_DST, lf);
	list_extra(b, r);
	buf_rtrim(b);
	buf_addc(b, '\n');
}

static void list_head(struct mr_buf *b, const struct mr_chain *c, unsigned lf)
{
	bool v = lf & MR_LF_VERBOSE;

	if (!c->builtin)
		buf_printf(b, "Chain %s (%u references)\n", c->name, c->refs);
	else if (v)
		buf_printf(b, "Chain %s (policy %s %llu packets, %llu bytes)\n",
			   c->name, ir_verdict_name(c->policy),
			   (unsigned long long)c->pkts,
			   (unsigned long long)c->bytes);
	else
		buf_printf(b, "Chain %s (policy %s)\n", c->name,
			   ir_verdict_name(c->policy));
	if (lf & MR_LF_LINENUM)
		buf_add(b, "num  ");
	if (v)
		buf_printf(b, (lf & MR_LF_EXACT) ? "%8s %10s " : "%5s %5s ",
			   "pkts", "bytes");
	buf_add(b, "target     prot opt ");
	if (v)
		buf_add(b, "in     out    ");
	buf_add(b, "source               destination\n");
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
		list_head(b, c, lflags);
		for (r = c->rules, n = 1; r; r = r->next, n++)
			list_rule(b, r, n, lflags);
	}
}
