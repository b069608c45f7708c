// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The save printer: rules, tables and whole rulesets in iptables-save
 * form.  masqrule's canonical text is the same form, plus the legacy table
 * and the legacy-only fields in native options, so that what is printed
 * parses back to the same IR (a fixpoint, checked by the golden tests).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "addr.h"
#include "model.h"
#include "print.h"
#include "services.h"
#include "xt.h"

static void save_prefix(struct mr_buf *b, const struct mr_rule *r,
			const char *opt, const struct mr_prefix *p, bool inv)
{
	buf_printf(b, " %s%s ", inv ? "! " : "", opt);
	addr_format_prefix(b, r->family, p);
}

static void save_iface(struct mr_buf *b, const char *opt, const char *name,
		       bool inv)
{
	buf_printf(b, " %s%s %s", inv ? "! " : "", opt, name);
}

static void save_proto(struct mr_buf *b, const struct mr_rule *r)
{
	const char *name = proto_name(r->proto);

	buf_printf(b, " %s-p ", r->inv & MR_INV_PROTO ? "! " : "");
	if (name)
		buf_add(b, name);
	else
		buf_printf(b, "%u", r->proto);
}

static void save_legacy_fields(struct mr_buf *b, const struct mr_rule *r)
{
	static const char fwm_op[] = { [MR_FWM_SET] = 0, [MR_FWM_ADD] = '+',
				       [MR_FWM_SUB] = '-' };
	static const char *const dirs[] = { "", "in", "out", "both" };

	if (r->has & MR_HAS_VIAADDR) {
		buf_add(b, " --via-addr ");
		addr_format(b, MR_FAM_IP, r->viaaddr);
	}
	if (r->has & MR_HAS_ACCT_DIR)
		buf_printf(b, " --acct-dir %s", dirs[r->acct_dir & 3]);
	if (r->has & MR_HAS_LOGFLAG)
		buf_add(b, " --log-packet");
	if (r->has & MR_HAS_COPY)
		buf_printf(b, " --copy-netlink %u", r->copy_size);
	if (r->has & MR_HAS_FWMARK) {
		buf_add(b, " --fwmark ");
		if (fwm_op[r->fwmark_op])
			buf_addc(b, fwm_op[r->fwmark_op]);
		buf_printf(b, "0x%x", r->fwmark);
	}
	if (r->has & MR_HAS_TOS)
		buf_printf(b, " --mangle-tos 0x%02x 0x%02x", r->tos_and,
			   r->tos_xor);
}

static void save_target(struct mr_buf *b, const struct mr_rule *r)
{
	const struct mr_target *t = &r->target;
	const struct mr_xt *xt;

	switch (t->kind) {
	case MR_V_NONE:
		return;
	case MR_V_JUMP:
		buf_printf(b, " -j %s", t->chain);
		return;
	case MR_V_GOTO:
		buf_printf(b, " -g %s", t->chain);
		return;
	case MR_V_ACCEPT:
	case MR_V_DROP:
	case MR_V_RETURN:
		buf_printf(b, " -j %s", ir_verdict_name(t->kind));
		return;
	}
	xt = xt_by_kind(t->kind, true);
	buf_printf(b, " -j %s", xt ? xt->name : ir_verdict_name(t->kind));
	if (xt && xt->save)
		xt->save(b, r, NULL);
}

void print_rule_args(struct mr_buf *b, const struct mr_rule *r, unsigned flags)
{
	const struct mr_match *m;
	const struct mr_xt *xt;
	size_t start = b->len;

	if (r->has & MR_HAS_SRC)
		save_prefix(b, r, "-s", &r->src, r->inv & MR_INV_SRC);
	if (r->has & MR_HAS_DST)
		save_prefix(b, r, "-d", &r->dst, r->inv & MR_INV_DST);
	if (r->has & MR_HAS_IIF)
		save_iface(b, "-i", r->iif, r->inv & MR_INV_IIF);
	if (r->has & MR_HAS_OIF)
		save_iface(b, "-o", r->oif, r->inv & MR_INV_OIF);
	if (r->has & MR_HAS_PROTO)
		save_proto(b, r);
	if (r->has & MR_HAS_FRAG)
		buf_printf(b, " %s-f", r->inv & MR_INV_FRAG ? "! " : "");
	for (m = r->matches; m; m = m->next) {
		xt = xt_by_kind(m->kind, false);
		if (!xt) {
			buf_printf(b, " -m unknown-%u", m->kind);
			continue;
		}
		buf_printf(b, " -m %s", xt->name);
		if (xt->save)
			xt->save(b, r, m);
	}
	if (!(flags & MR_PF_IPTABLES))
		save_legacy_fields(b, r);
	save_target(b, r);
	/* callers add their own leading word: drop our first space */
	if (b->len > start && b->s[start] == ' ')
		memmove(b->s + start, b->s + start + 1, b->len-- - start);
}

void print_rule_save(struct mr_buf *b, const char *chain,
		     const struct mr_rule *r, unsigned flags)
{
	size_t mark;

	if (flags & MR_PF_COUNTERS)
		buf_printf(b, "[%" PRIu64 ":%" PRIu64 "] ", r->pkts, r->bytes);
	buf_printf(b, "-A %s", chain);
	mark = b->len;
	buf_addc(b, ' ');
	print_rule_args(b, r, flags);
	if (b->len == mark + 1)
		b->len--, b->s[b->len] = '\0';
	buf_addc(b, '\n');
}

static const char *policy_name(const struct mr_chain *c)
{
	if (!c->builtin)
		return "-";
	return ir_verdict_name(c->policy ? c->policy : MR_V_ACCEPT);
}

void print_table_rules(struct mr_buf *b, const struct mr_table *t,
		       const char *chain, unsigned flags)
{
	const struct mr_chain **v;
	const struct mr_rule *r;
	unsigned n, i;

	v = (const struct mr_chain **)model_chains_in_order(t, &n);
	for (i = 0; i < n; i++) {
		if (chain && strcmp(chain, v[i]->name))
			continue;
		if (v[i]->builtin)
			buf_printf(b, "-P %s %s\n", v[i]->name,
				   policy_name(v[i]));
		else
			buf_printf(b, "-N %s\n", v[i]->name);
	}
	for (i = 0; i < n; i++) {
		if (chain && strcmp(chain, v[i]->name))
			continue;
		for (r = v[i]->rules; r; r = r->next)
			print_rule_save(b, v[i]->name, r,
					flags & ~MR_PF_COUNTERS);
	}
	free(v);
}

/*
 * -S CHAIN RULENUM: that rule's -A line alone, no -P or -N line; nothing
 * when the chain has fewer rules (iptables 1.8.9, measured).
 */
void print_table_rule(struct mr_buf *b, const struct mr_table *t,
		      const char *chain, unsigned rulenum, unsigned flags)
{
	const struct mr_rule *r = model_rule_at(t, chain, rulenum);

	if (r)
		print_rule_save(b, chain, r, flags & ~MR_PF_COUNTERS);
}

static void print_table_save(struct mr_buf *b, const struct mr_table *t,
			     unsigned flags)
{
	const struct mr_chain **v;
	const struct mr_rule *r;
	unsigned n, i;

	buf_printf(b, "*%s%s\n", ir_table_name(t->id),
		   t->family == MR_FAM_IP6 && !(flags & MR_PF_IPTABLES) ?
		   " ip6" : "");
	v = (const struct mr_chain **)model_chains_in_order(t, &n);
	for (i = 0; i < n; i++)
		buf_printf(b, ":%s %s [%" PRIu64 ":%" PRIu64 "]\n",
			   v[i]->name, policy_name(v[i]),
			   flags & MR_PF_COUNTERS ? v[i]->pkts : 0,
			   flags & MR_PF_COUNTERS ? v[i]->bytes : 0);
	for (i = 0; i < n; i++)
		for (r = v[i]->rules; r; r = r->next)
			print_rule_save(b, v[i]->name, r, flags);
	buf_add(b, "COMMIT\n");
	free(v);
}

static void print_extras(struct mr_buf *b, const struct mr_ruleset *rs)
{
	const struct mr_helper_list *h;
	const struct mr_portfw_list *pf;
	unsigned i;

	if (rs->timeouts.tcp || rs->timeouts.tcpfin || rs->timeouts.udp)
		buf_printf(b, "masqrule --masq-timeouts %u %u %u\n",
			   rs->timeouts.tcp, rs->timeouts.tcpfin,
			   rs->timeouts.udp);
	for (h = rs->helpers; h; h = h->next) {
		buf_printf(b, "modprobe %s", h->cfg.module);
		for (i = 0; i < h->cfg.nports; i++)
			buf_printf(b, "%s%u", i ? "," : " ports=",
				   h->cfg.ports[i]);
		for (i = 0; i < h->cfg.nin_ports; i++)
			buf_printf(b, "%s%u", i ? "," : " in_ports=",
				   h->cfg.in_ports[i]);
		buf_addc(b, '\n');
	}
	for (pf = rs->portfws; pf; pf = pf->next) {
		buf_printf(b, "ipmasqadm portfw -a -P %s -L ",
			   pf->pf.proto == 17 ? "udp" : "tcp");
		addr_format(b, MR_FAM_IP, pf->pf.laddr);
		buf_printf(b, " %u -R ", pf->pf.lport);
		addr_format(b, MR_FAM_IP, pf->pf.raddr);
		buf_printf(b, " %u -p %u\n", pf->pf.rport, pf->pf.pref);
	}
}

void print_ruleset_save(struct mr_buf *b, const struct mr_ruleset *rs,
			unsigned flags)
{
	const struct mr_table *t;

	for (t = rs->tables; t; t = t->next) {
		/* iptables-save: its own family's netfilter tables only */
		if ((flags & MR_PF_IPTABLES) &&
		    (t->id == MR_T_LEGACY ||
		     t->family != (flags & MR_PF_IP6 ? MR_FAM_IP6 : MR_FAM_IP)))
			continue;
		print_table_save(b, t, flags);
	}
	if (!(flags & MR_PF_IPTABLES))
		print_extras(b, rs);
}
