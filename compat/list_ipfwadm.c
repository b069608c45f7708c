// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ipfwadm -I|-O|-F|-A -l [-n] [-e] [-x] (ipfwadm 2.3.0, dialects.md 2.6)
 * of one chain of the legacy table, rebuilt from the IR the ipfwadm
 * evaluation made of each rule (eval_ipfwadm.c): port lists from the
 * tcp/udp or multiport matches, -y / -k from the TCP flag test.
 */
#include <string.h>
#include "addr.h"
#include "list.h"
#include "list_int.h"

/* One side's ports, ranges first, as the 2.0 kernel kept them. */
struct fwports {
	unsigned n;
	struct mr_range16 r[MR_MAX_PORTS];
};

static void fw_add_range(struct fwports *p, struct mr_range16 r)
{
	if (p->n < MR_MAX_PORTS)
		p->r[p->n++] = r;
}

/* The 2.0 kernel kept a side's one range in front of its single ports. */
static void fw_range_first(struct fwports *p)
{
	struct mr_range16 r;
	unsigned i;

	for (i = 1; i < p->n; i++)
		if (p->r[i].lo != p->r[i].hi) {
			r = p->r[i];
			memmove(&p->r[1], &p->r[0], i * sizeof(r));
			p->r[0] = r;
			return;
		}
}

static void fw_add_list(struct fwports *p, const struct mr_portlist *l)
{
	unsigned i;

	for (i = 0; i < l->n; i++)
		fw_add_range(p, l->r[i]);
}

/* What one match says of a side's ports (ICMP types: source side). */
static void fw_match_ports(struct fwports *p, const struct mr_match *m,
			   int side)
{
	const struct mr_m_multiport *mp = MR_MDATA(m, struct mr_m_multiport);
	const struct mr_m_icmp *ic = MR_MDATA(m, struct mr_m_icmp);
	const struct mr_m_legacy_ports *lp =
		MR_MDATA(m, struct mr_m_legacy_ports);
	struct mr_range16 type;

	switch (m->kind) {
	case MR_M_TCP: case MR_M_UDP:
		if (m->has & MR_MINV(side))
			fw_add_range(p, *list_l4_range(m, side));
		return;
	case MR_M_MULTIPORT:
		if (mp->dir == (side ? MR_MP_DST : MR_MP_SRC))
			fw_add_list(p, &mp->ports);
		return;
	case MR_M_ICMP:
		if (side || !(m->has & MR_MINV(MR_ICMP_TYPE)))
			return;
		type.lo = type.hi = ic->type;
		fw_add_range(p, type);
		return;
	case MR_M_LEGACY_PORTS:
		if (!side)
			fw_add_list(p, &lp->sport);
		return;
	}
}

static void fw_side(const struct mr_rule *r, int side, struct fwports *p)
{
	const struct mr_match *m;

	memset(p, 0, sizeof(*p));
	for (m = r->matches; m; m = m->next)
		fw_match_ports(p, m, side);
	fw_range_first(p);
}

/* 'y' (SYN set, ACK clear) or 'k' (ACK set), from the TCP flag test */
static char fw_tcp_flag(const struct mr_rule *r)
{
	const struct mr_match *m = ir_match_find(r, MR_M_TCP);
	const struct mr_m_tcp *t;

	if (!m || !(m->has & MR_MINV(MR_TCP_FLAGS)))
		return 0;
	t = MR_MDATA(m, struct mr_m_tcp);
	if (t->flg_mask == MR_TCPF_ACK && t->flg_cmp == MR_TCPF_ACK)
		return 'k';
	return t->flg_cmp == MR_TCPF_SYN ? 'y' : 0;
}

static uint8_t fw_kind(const struct mr_rule *r)
{
	if (!(r->has & MR_HAS_PROTO) || (r->inv & MR_INV_PROTO))
		return 0;
	return r->proto == 6 || r->proto == 17 || r->proto == 1 ?
	       r->proto : 0;
}

static const char *fw_type(const struct mr_rule *r)
{
	switch (r->target.kind) {
	case MR_V_REDIRECT: return "acc/r";
	case MR_V_MASQ: return "acc/m";
	case MR_V_ACCEPT: return "acc";
	case MR_V_REJECT: return "rej";
	}
	return "deny";
}

static const char *fw_dir(const struct mr_rule *r)
{
	if (!(r->has & MR_HAS_ACCT_DIR) ||
	    r->acct_dir == (MR_ACCT_IN | MR_ACCT_OUT))
		return "i/o";
	return r->acct_dir == MR_ACCT_IN ? "in" : "out";
}

static void fw_counts(struct mr_buf *b, const struct mr_rule *r, bool x)
{
	list_count(b, r->pkts, LIST_KMG_IPFWADM, x, 8);
	list_count(b, r->bytes, LIST_KMG_IPFWADM, x, 10);
}

/* -e: the flags b k y o, TOS masks (not accounting), interface */
static void fw_extended(struct mr_buf *b, const struct mr_rule *r,
			bool acct, bool numeric)
{
	char f = fw_tcp_flag(r);
	struct mr_buf a;

	buf_printf(b, "-%c%c%c ", f == 'k' ? 'k' : '-', f == 'y' ? 'y' : '-',
		   (r->has & MR_HAS_LOGFLAG) ? 'o' : '-');
	if (!acct)
		buf_printf(b, "0x%02X 0x%02X ",
			   (r->has & MR_HAS_TOS) ? r->tos_and : 0xFF,
			   (r->has & MR_HAS_TOS) ? r->tos_xor : 0x00);
	buf_printf(b, "%-7.16s ", (r->has & MR_HAS_IIF) && *r->iif ? r->iif :
		   numeric ? "*" : "any");
	buf_init(&a);
	if (!(r->has & MR_HAS_VIAADDR) && !numeric)
		buf_add(&a, "any");
	else
		addr_format(&a, MR_FAM_IP, r->viaaddr);
	buf_printf(b, "%-15s ", a.s);
	buf_free(&a);
}

static void fw_ports(struct mr_buf *b, const struct fwports *p, uint8_t kind,
		     bool numeric)
{
	unsigned i;

	if (!p->n) {
		buf_add(b, numeric ? " *" : " any");
		return;
	}
	for (i = 0; i < p->n; i++) {
		buf_addc(b, i ? ',' : ' ');
		list_port(b, p->r[i].lo, kind, numeric || kind == 1, true);
		if (p->r[i].hi != p->r[i].lo) {
			buf_addc(b, ':');
			list_port(b, p->r[i].hi, kind, numeric || kind == 1,
				  true);
		}
	}
}

static void fw_redirect(struct mr_buf *b, const struct mr_rule *r,
			bool numeric)
{
	const struct mr_t_nat *t = r->target.data;

	if (!t || !(t->flags & MR_NAT_PORTS) || !t->min_port) {
		buf_add(b, numeric ? " => *" : " => any");
		return;
	}
	buf_add(b, " => ");
	list_port(b, t->min_port, r->proto, numeric, true);
}

static void fw_tail(struct mr_buf *b, const struct mr_rule *r, bool numeric)
{
	uint8_t kind = fw_kind(r);
	struct fwports p;

	if (!kind) {
		buf_add(b, " n/a");
		return;
	}
	fw_side(r, 0, &p);
	fw_ports(b, &p, kind, numeric);
	if (kind == 1)
		return;
	buf_add(b, " ->");
	fw_side(r, 1, &p);
	fw_ports(b, &p, kind, numeric);
	if (r->target.kind == MR_V_REDIRECT)
		fw_redirect(b, r, numeric);
}

static void fw_rule(struct mr_buf *b, const struct mr_rule *r, bool acct,
		    unsigned lf)
{
	static const char *const kinds[] = { [1] = "icmp", [6] = "tcp",
					     [17] = "udp" };
	bool n = lf & MR_LF_NUMERIC, e = lf & MR_LF_EXTENDED;
	uint8_t kind = fw_kind(r);
	struct mr_buf a;

	if (acct || e)
		fw_counts(b, r, lf & MR_LF_EXACT);
	buf_printf(b, acct ? "%-3s " : "%-5s ", acct ? fw_dir(r) : fw_type(r));
	buf_printf(b, "%-5s", kind ? kinds[kind] : "all");
	if (e)
		fw_extended(b, r, acct, n);
	buf_init(&a);
	list_host(&a, MR_FAM_IP, &r->src, r->has & MR_HAS_SRC, n);
	buf_printf(b, "%-20s ", a.s);
	buf_reset(&a);
	list_host(&a, MR_FAM_IP, &r->dst, r->has & MR_HAS_DST, n);
	buf_printf(b, "%-20s", a.s);
	buf_free(&a);
	fw_tail(b, r, n);
	buf_addc(b, '\n');
}

static void fw_header(struct mr_buf *b, bool acct, unsigned lf)
{
	bool e = lf & MR_LF_EXTENDED;

	if (acct || e)
		buf_printf(b, (lf & MR_LF_EXACT) ? "%8s %10s " : "%5s %5s ",
			   "pkts", "bytes");
	buf_printf(b, acct ? "%-3s " : "%-5s ", acct ? "dir" : "type");
	buf_add(b, "prot ");
	if (e)
		buf_add(b, acct ? "opt  " : "opt  tosa tosx ");
	if (e)
		buf_printf(b, "%-7s %-15s ", "ifname", "ifaddress");
	buf_printf(b, "%-20s %-20s ports\n", "source", "destination");
}

static const char *fw_policy(const struct mr_chain *c)
{
	switch (c->policy) {
	case MR_V_MASQ: return "accept/masquerade";
	case MR_V_REJECT: return "reject";
	case MR_V_DROP: return "deny";
	}
	return "accept";
}

void list_ipfwadm(struct mr_buf *b, const struct mr_chain *c,
		  unsigned lflags)
{
	bool acct = c->hook == MR_HOOK_ACCOUNTING;
	const struct mr_rule *r;

	if (acct)
		buf_add(b, "IP accounting rules\n");
	else
		buf_printf(b, "IP firewall %s rules, default policy: %s\n",
			   c->name, fw_policy(c));
	for (r = c->rules; r; r = r->next) {
		if (r == c->rules)
			fw_header(b, acct, lflags);
		fw_rule(b, r, acct, lflags);
	}
}
