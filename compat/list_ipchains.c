// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ipchains -L [chain] (ipchains 1.3.9, dialects.md 3.5) of the legacy
 * table: the kernel's one rule record per line, rebuilt from the IR the
 * ipchains evaluation made of it (eval_ipchains.c says how).  Matches the
 * 2.2 kernel had no field for (rules of the native dialect) follow the
 * ports in save form.
 */
#include <inttypes.h>
#include <string.h>
#include "icmp_names.h"
#include "list.h"
#include "list_int.h"
#include "services.h"
#include "xt.h"

/* What ipchains' record kept in two port ranges and two flags. */
struct chrec {
	struct mr_range16 sp, dp;	/* ICMP: type, code */
	bool sp_inv, dp_inv;
	bool syn, syn_inv;
	const struct mr_match *extra;	/* first match of no ipchains field */
};

static const struct mr_range16 full = { 0, 0xFFFF };

static void ch_l4(struct chrec *c, const struct mr_match *m)
{
	if (m->has & MR_MINV(MR_TCP_SPORT)) {
		c->sp = *list_l4_range(m, 0);
		c->sp_inv = m->inv & MR_MINV(MR_TCP_SPORT);
	}
	if (m->has & MR_MINV(MR_TCP_DPORT)) {
		c->dp = *list_l4_range(m, 1);
		c->dp_inv = m->inv & MR_MINV(MR_TCP_DPORT);
	}
	if (m->kind == MR_M_TCP && (m->has & MR_MINV(MR_TCP_FLAGS))) {
		c->syn = true;
		c->syn_inv = m->inv & MR_MINV(MR_TCP_FLAGS);
	}
}

/* ICMP: a type and maybe a code range; "no code" is the whole 16 bits */
static void ch_icmp(struct chrec *c, const struct mr_match *m)
{
	const struct mr_m_icmp *ic = MR_MDATA(m, struct mr_m_icmp);

	if (ic->any || !(m->has & MR_MINV(MR_ICMP_TYPE)))
		return;
	c->sp.lo = c->sp.hi = ic->type;
	c->sp_inv = m->inv & MR_MINV(MR_ICMP_TYPE);
	if ((m->has & MR_MINV(MR_ICMP_CODE)) &&
	    (ic->code_lo != 0 || ic->code_hi != 0xFF)) {
		c->dp.lo = ic->code_lo;
		c->dp.hi = ic->code_hi;
	}
}

static void ch_legacy_ports(struct chrec *c, const struct mr_match *m)
{
	const struct mr_m_legacy_ports *lp =
		MR_MDATA(m, struct mr_m_legacy_ports);

	if ((m->has & MR_MINV(0)) && lp->sport.n) {
		c->sp = lp->sport.r[0];
		c->sp_inv = m->inv & MR_MINV(0);
	}
	if ((m->has & MR_MINV(1)) && lp->dport.n) {
		c->dp = lp->dport.r[0];
		c->dp_inv = m->inv & MR_MINV(1);
	}
}

static void ch_record(struct chrec *c, const struct mr_rule *r)
{
	const struct mr_match *m;

	memset(c, 0, sizeof(*c));
	c->sp = c->dp = full;
	for (m = r->matches; m; m = m->next) {
		if (m->kind == MR_M_TCP || m->kind == MR_M_UDP)
			ch_l4(c, m);
		else if (m->kind == MR_M_ICMP)
			ch_icmp(c, m);
		else if (m->kind == MR_M_LEGACY_PORTS)
			ch_legacy_ports(c, m);
		else if (!c->extra)
			c->extra = m;
	}
	/* 8-bit ICMP fields: 13:255 was 13:65535 as written */
	if (r->proto == 1 && c->dp.lo == 0 && c->dp.hi >= 0xFF)
		c->dp = full;
}

static const char *ch_label(const struct mr_rule *r)
{
	switch (r->target.kind) {
	case MR_V_NONE: return "-";
	case MR_V_DROP: return "DENY";
	case MR_V_MASQ: return "MASQ";
	case MR_V_JUMP: case MR_V_GOTO:
		return r->target.chain ? r->target.chain : "?";
	}
	return ir_verdict_name(r->target.kind);
}

static const char *ch_policy(const struct mr_chain *c)
{
	switch (c->policy) {
	case MR_V_DROP: return "DENY";
	case MR_V_MASQ: return "MASQ";
	case MR_V_REJECT: return "REJECT";
	}
	return "ACCEPT";
}

static void ch_counts(struct mr_buf *b, const struct mr_rule *r, unsigned lf)
{
	bool x = lf & MR_LF_EXACT;

	list_count(b, r->pkts, LIST_KMG_IPCHAINS, x, 8);
	list_count(b, r->bytes, LIST_KMG_IPCHAINS, x, 10);
}

static void ch_proto(struct mr_buf *b, const struct mr_rule *r)
{
	const char *name = !(r->has & MR_HAS_PROTO) ? "all" :
			   proto_name(r->proto);

	buf_addc(b, (r->inv & MR_INV_PROTO) ? '!' : ' ');
	if (name)
		buf_printf(b, "%-5s", name);
	else
		buf_printf(b, "%-5u", r->proto);
}

static void ch_opt(struct mr_buf *b, const struct mr_rule *r,
		   const struct chrec *c)
{
	buf_addc(b, c->syn_inv ? '!' : '-');
	buf_addc(b, c->syn ? 'y' : '-');
	buf_addc(b, (r->inv & MR_INV_FRAG) ? '!' : '-');
	buf_addc(b, (r->has & MR_HAS_FRAG) ? 'f' : '-');
	buf_addc(b, (r->has & MR_HAS_LOGFLAG) ? 'l' : '-');
	buf_addc(b, (r->has & MR_HAS_COPY) ? 'o' : '-');
	buf_addc(b, ' ');
}

/* -v: TOS masks, interface, mark and netlink size columns */
static void ch_verbose_cols(struct mr_buf *b, const struct mr_rule *r,
			    unsigned lf)
{
	bool tos = r->has & MR_HAS_TOS;
	bool ifc = (r->has & MR_HAS_IIF) && *r->iif;
	uint32_t mark = r->fwmark;

	buf_printf(b, "0x%02X 0x%02X ", tos ? r->tos_and : 0xFF,
		   tos ? r->tos_xor : 0x00);
	buf_addc(b, (r->inv & MR_INV_IIF) ? '!' : ' ');
	buf_printf(b, "%-10.16s ", ifc ? r->iif :
		   (lf & MR_LF_NUMERIC) ? "*" : "any");
	if (r->fwmark_op == MR_FWM_SUB)
		mark = (uint32_t)-mark;
	if ((r->has & MR_HAS_FWMARK) && (r->fwmark_op == MR_FWM_SET || mark))
		buf_printf(b, "0x%-10x ", mark);
	else
		buf_add(b, "           ");
	if ((r->has & MR_HAS_COPY) && r->copy_size != 0xFFFF)
		buf_printf(b, "%-7u ", r->copy_size);
	else
		buf_add(b, "        ");
}

static void ch_hosts(struct mr_buf *b, const struct mr_rule *r, unsigned lf)
{
	bool n = lf & MR_LF_NUMERIC;
	struct mr_buf a;

	buf_init(&a);
	list_host(&a, MR_FAM_IP, &r->src, r->has & MR_HAS_SRC, n);
	buf_printf(b, "%c%-20s ", (r->inv & MR_INV_SRC) ? '!' : ' ', a.s);
	buf_reset(&a);
	list_host(&a, MR_FAM_IP, &r->dst, r->has & MR_HAS_DST, n);
	buf_printf(b, "%s%-20s", (r->inv & MR_INV_DST) ? "!" : "", a.s);
	buf_free(&a);
}

static void ch_range(struct mr_buf *b, const struct mr_range16 *p,
		     uint8_t proto, bool inv, bool numeric)
{
	buf_add(b, inv ? " !" : "  ");
	if (p->lo == 0 && p->hi == 0xFFFF) {
		buf_add(b, numeric ? "*" : "any");
		return;
	}
	list_port(b, p->lo, proto, numeric, true);
	if (p->lo != p->hi) {
		buf_addc(b, ':');
		list_port(b, p->hi, proto, numeric, true);
	}
}

/* Only a whole ICMP type, or one of its named codes, has a name. */
static const char *ch_icmp_name(const struct chrec *c)
{
	bool whole = c->dp.lo == 0 && c->dp.hi == 0xFFFF;

	if (c->sp.lo != c->sp.hi || c->sp.lo > 0xFF)
		return NULL;
	if (!whole && c->dp.hi > 0xFF)
		return NULL;
	return icmp_name_of(MR_FAM_IP, (uint8_t)c->sp.lo,
			    whole ? 0 : (uint8_t)c->dp.lo,
			    whole ? 0xFF : (uint8_t)c->dp.hi);
}

static void ch_redirect(struct mr_buf *b, const struct mr_rule *r,
			bool numeric)
{
	const struct mr_t_nat *t = r->target.data;

	buf_add(b, " => ");
	if (!t || !(t->flags & MR_NAT_PORTS) || !t->min_port)
		buf_add(b, numeric ? " *" : " any");
	else
		list_port(b, t->min_port, r->proto, numeric, true);
}

static void ch_ports(struct mr_buf *b, const struct mr_rule *r,
		     const struct chrec *c, bool numeric)
{
	uint8_t p = (r->has & MR_HAS_PROTO) ? r->proto : 0;
	const char *name;

	if (p != 6 && p != 17 && p != 1) {
		buf_add(b, "  n/a");
		return;
	}
	if (p == 1 && !c->sp_inv && !c->dp_inv && !numeric &&
	    (name = ch_icmp_name(c))) {
		buf_printf(b, "  %s", name);
		return;
	}
	ch_range(b, &c->sp, p, c->sp_inv, numeric);
	buf_add(b, " -> ");
	ch_range(b, &c->dp, p, c->dp_inv, numeric);
	if (r->target.kind == MR_V_REDIRECT)
		ch_redirect(b, r, numeric);
}

/* Matches of no ipchains field, in save form after the ports. */
static void ch_extra(struct mr_buf *b, const struct chrec *c,
		     const struct mr_rule *r)
{
	const struct mr_match *m;
	const struct mr_xt *xt;

	for (m = c->extra; m; m = m->next) {
		if (m->kind == MR_M_TCP || m->kind == MR_M_UDP ||
		    m->kind == MR_M_ICMP || m->kind == MR_M_LEGACY_PORTS)
			continue;
		xt = xt_by_kind(m->kind, false);
		if (!xt)
			continue;
		buf_printf(b, " -m %s", xt->name);
		if (xt->save)
			xt->save(b, r, m);
	}
}

static void ch_rule(struct mr_buf *b, const struct mr_rule *r, unsigned num,
		    unsigned lf)
{
	struct chrec c;

	ch_record(&c, r);
	if (lf & MR_LF_LINENUM)
		buf_printf(b, "%-4u ", num);
	if (lf & MR_LF_VERBOSE)
		ch_counts(b, r, lf);
	buf_printf(b, "%-9s ", ch_label(r));
	ch_proto(b, r);
	ch_opt(b, r, &c);
	if (lf & MR_LF_VERBOSE)
		ch_verbose_cols(b, r, lf);
	ch_hosts(b, r, lf);
	ch_ports(b, r, &c, lf & MR_LF_NUMERIC);
	ch_extra(b, &c, r);
	buf_addc(b, '\n');
}

static void ch_header(struct mr_buf *b, unsigned lf)
{
	bool v = lf & MR_LF_VERBOSE;

	if (lf & MR_LF_LINENUM)
		buf_printf(b, "%-4s ", "num");
	if (v)
		buf_printf(b, (lf & MR_LF_EXACT) ? "%8s %10s " : "%5s %5s ",
			   "pkts", "bytes");
	buf_printf(b, "%-9s  prot opt    ", "target");
	if (v)
		buf_printf(b, "tosa tosx  %-10s %-10s %-7s ", "ifname", "mark",
			   "outsize");
	buf_printf(b, " %-20s  %-20s  ports\n", "source", "destination");
}

static void ch_chain_line(struct mr_buf *b, const struct mr_chain *c,
			  unsigned lf)
{
	if (!c->builtin)
		buf_printf(b, "Chain %s (%u references):\n", c->name, c->refs);
	else if (lf & MR_LF_VERBOSE)
		buf_printf(b, "Chain %s (policy %s: %" PRIu64 " packets, %"
			   PRIu64 " bytes):\n", c->name, ch_policy(c),
			   c->pkts, c->bytes);
	else
		buf_printf(b, "Chain %s (policy %s):\n", c->name,
			   ch_policy(c));
}

void list_ipchains(struct mr_buf *b, const struct mr_table *t,
		   const char *chain, unsigned lflags)
{
	const struct mr_chain *c;
	const struct mr_rule *r;
	unsigned n;

	for (c = t->chains; c; c = c->next) {
		if (chain ? strcmp(chain, c->name) != 0 :
		    c->hook == MR_HOOK_ACCOUNTING)
			continue;
		ch_chain_line(b, c, lflags);
		for (r = c->rules, n = 1; r; r = r->next, n++) {
			if (n == 1)
				ch_header(b, lflags);
			ch_rule(b, r, n, lflags);
		}
	}
}
