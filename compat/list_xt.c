// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The words iptables -L prints after the destination column: each
 * match's own wording ("tcp dpt:22", "state RELATED,ESTABLISHED") and the
 * target's options ("masq ports: 1024-65535"), as iptables 1.8.9 prints
 * them (measured, docs/listing.md).  Matches without a wording here fall
 * back to their save form.
 */
#include <inttypes.h>
#include <string.h>
#include "addr.h"
#include "icmp_names.h"
#include "ir_ext.h"
#include "list.h"
#include "list_int.h"
#include "xt.h"

struct lx {
	struct mr_buf *b;
	const struct mr_rule *r;
	bool numeric;
};

static void lx_port(struct lx *x, uint16_t port)
{
	list_port(x->b, port, x->r->proto, x->numeric, false);
}

/* " spt:22", " dpts:!1024:65535": nothing for the whole range. */
static void lx_ports(struct lx *x, const char *name,
		     const struct mr_range16 *p, bool inv)
{
	if (p->lo == 0 && p->hi == 0xFFFF && !inv)
		return;
	buf_printf(x->b, " %s%s:%s", name, p->lo == p->hi ? "" : "s",
		   inv ? "!" : "");
	lx_port(x, p->lo);
	if (p->lo != p->hi) {
		buf_addc(x->b, ':');
		lx_port(x, p->hi);
	}
}

static void lx_tcp_flagnames(struct mr_buf *b, uint8_t f)
{
	static const char *const names[] = {
		"FIN", "SYN", "RST", "PSH", "ACK", "URG",
	};
	const char *sep = "";
	unsigned i;

	for (i = 0; i < 6; i++)
		if (f & (1u << i)) {
			buf_printf(b, "%s%s", sep, names[i]);
			sep = ",";
		}
	if (!*sep)
		buf_add(b, "NONE");
}

/* tcp and udp share the port bits (MR_TCP_SPORT / _DPORT) */
static void lx_tcp(struct lx *x, const struct mr_match *m, bool tcp)
{
	const struct mr_m_tcp *t = MR_MDATA(m, struct mr_m_tcp);
	unsigned inv = m->inv;

	buf_add(x->b, tcp ? " tcp" : " udp");
	if (m->has & MR_MINV(MR_TCP_SPORT))
		lx_ports(x, "spt", list_l4_range(m, 0),
			 inv & MR_MINV(MR_TCP_SPORT));
	if (m->has & MR_MINV(MR_TCP_DPORT))
		lx_ports(x, "dpt", list_l4_range(m, 1),
			 inv & MR_MINV(MR_TCP_DPORT));
	if (!tcp)
		return;
	if (m->has & MR_MINV(MR_TCP_OPTION))
		buf_printf(x->b, " option=%s%u",
			   inv & MR_MINV(MR_TCP_OPTION) ? "!" : "", t->option);
	if (!(m->has & MR_MINV(MR_TCP_FLAGS)))
		return;
	buf_printf(x->b, " flags:%s", inv & MR_MINV(MR_TCP_FLAGS) ? "!" : "");
	if (x->numeric) {
		buf_printf(x->b, "0x%02X/0x%02X", t->flg_mask, t->flg_cmp);
		return;
	}
	lx_tcp_flagnames(x->b, t->flg_mask);
	buf_addc(x->b, '/');
	lx_tcp_flagnames(x->b, t->flg_cmp);
}

/* iptables glues "type" to "icmp" when it prints numbers ("icmptype 8"). */
static void lx_icmp(struct lx *x, const struct mr_match *m, bool v6)
{
	const struct mr_m_icmp *ic = MR_MDATA(m, struct mr_m_icmp);
	bool inv = m->inv & MR_MINV(MR_ICMP_TYPE);
	bool any = ic->any || !(m->has & MR_MINV(MR_ICMP_TYPE));
	uint8_t type = any ? 0xFF : ic->type;
	uint8_t lo = 0, hi = 0xFF;
	const char *name;

	if (!any && (m->has & MR_MINV(MR_ICMP_CODE))) {
		lo = ic->code_lo;
		hi = ic->code_hi;
	}
	buf_add(x->b, v6 ? " ipv6-icmp" : " icmp");
	name = any ? "any" : icmp_name_of(v6 ? MR_FAM_IP6 : MR_FAM_IP,
					  type, lo, hi);
	if (!x->numeric && name) {
		buf_printf(x->b, " %s%s", inv ? "!" : "", name);
		return;
	}
	buf_printf(x->b, "%stype %u", inv ? " !" : "", type);
	if (lo == hi)
		buf_printf(x->b, " code %u", lo);
	else if (lo != 0 || hi != 0xFF)
		buf_printf(x->b, " codes %u-%u", lo, hi);
}

static void lx_multiport(struct lx *x, const struct mr_match *m)
{
	static const char *const dirs[] = { "sports", "dports", "ports" };
	const struct mr_m_multiport *mp = MR_MDATA(m, struct mr_m_multiport);
	unsigned i;

	buf_printf(x->b, " multiport %s ", dirs[mp->dir % 3]);
	if (m->inv & MR_MINV(0))
		buf_add(x->b, " !");
	for (i = 0; i < mp->ports.n; i++) {
		if (i)
			buf_addc(x->b, ',');
		lx_port(x, mp->ports.r[i].lo);
		if (mp->ports.r[i].hi != mp->ports.r[i].lo) {
			buf_addc(x->b, ':');
			lx_port(x, mp->ports.r[i].hi);
		}
	}
}

/* conntrack's printing order, not the bit order of the IR */
static void lx_states(struct mr_buf *b, uint8_t s)
{
	static const struct { uint8_t bit; const char *name; } order[] = {
		{ MR_CT_INVALID, "INVALID" }, { MR_CT_NEW, "NEW" },
		{ MR_CT_RELATED, "RELATED" },
		{ MR_CT_ESTABLISHED, "ESTABLISHED" },
		{ MR_CT_UNTRACKED, "UNTRACKED" }, { MR_CT_SNAT, "SNAT" },
		{ MR_CT_DNAT, "DNAT" },
	};
	const char *sep = " ";
	unsigned i;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (s & order[i].bit) {
			buf_printf(b, "%s%s", sep, order[i].name);
			sep = ",";
		}
	if (*sep == ' ')
		buf_add(b, " NONE");
}

static void lx_state(struct lx *x, const struct mr_match *m)
{
	buf_add(x->b, m->inv & MR_MINV(0) ? " ! state" : " state");
	lx_states(x->b, MR_MDATA(m, struct mr_m_ctstate)->states);
}

static bool lx_ct_word(struct lx *x, const struct mr_match *m, unsigned bit,
		       const char *word)
{
	if (!(m->has & MR_MINV(bit)))
		return false;
	buf_printf(x->b, "%s %s", m->inv & MR_MINV(bit) ? " !" : "", word);
	return true;
}

static void lx_ct_addr(struct lx *x, const struct mr_match *m, unsigned bit,
		       const char *word, const struct mr_prefix *p)
{
	if (!lx_ct_word(x, m, bit, word))
		return;
	buf_addc(x->b, ' ');
	list_host(x->b, x->r->family, p, true, true);
}

static void lx_ct_range(struct lx *x, const struct mr_match *m, unsigned bit,
			const char *word, uint32_t lo, uint32_t hi)
{
	if (!lx_ct_word(x, m, bit, word))
		return;
	buf_printf(x->b, " %" PRIu32, lo);
	if (hi != lo)
		buf_printf(x->b, ":%" PRIu32, hi);
}

static void lx_ct_status(struct lx *x, const struct mr_match *m, uint8_t st)
{
	static const char *const names[] = {
		"EXPECTED", "SEEN_REPLY", "ASSURED", "CONFIRMED",
	};
	const char *sep = " ";
	unsigned i;

	if (!lx_ct_word(x, m, MR_CTM_STATUS, "ctstatus"))
		return;
	for (i = 0; i < 4; i++)
		if (st & (1u << i)) {
			buf_printf(x->b, "%s%s", sep, names[i]);
			sep = ",";
		}
	if (*sep == ' ')
		buf_add(x->b, " NONE");
}

static void lx_conntrack(struct lx *x, const struct mr_match *m)
{
	const struct mr_m_conntrack *c = MR_MDATA(m, struct mr_m_conntrack);

	if (lx_ct_word(x, m, MR_CTM_STATE, "ctstate"))
		lx_states(x->b, c->states);
	if (lx_ct_word(x, m, MR_CTM_PROTO, "ctproto"))
		buf_printf(x->b, " %u", c->proto);
	lx_ct_addr(x, m, MR_CTM_ORIGSRC, "ctorigsrc", &c->origsrc);
	lx_ct_addr(x, m, MR_CTM_ORIGDST, "ctorigdst", &c->origdst);
	lx_ct_addr(x, m, MR_CTM_REPLSRC, "ctreplsrc", &c->replsrc);
	lx_ct_addr(x, m, MR_CTM_REPLDST, "ctrepldst", &c->repldst);
	lx_ct_range(x, m, MR_CTM_ORIGSPORT, "ctorigsrcport",
		    c->origsport.lo, c->origsport.hi);
	lx_ct_range(x, m, MR_CTM_ORIGDPORT, "ctorigdstport",
		    c->origdport.lo, c->origdport.hi);
	lx_ct_range(x, m, MR_CTM_REPLSPORT, "ctreplsrcport",
		    c->replsport.lo, c->replsport.hi);
	lx_ct_range(x, m, MR_CTM_REPLDPORT, "ctrepldstport",
		    c->repldport.lo, c->repldport.hi);
	lx_ct_status(x, m, c->status);
	lx_ct_range(x, m, MR_CTM_EXPIRE, "ctexpire", c->expire_lo,
		    c->expire_hi);
	if (m->has & MR_MINV(MR_CTM_DIR))
		buf_printf(x->b, " ctdir %s", c->dir_reply ? "REPLY" :
			   "ORIGINAL");
}

static void lx_limit(struct lx *x, const struct mr_match *m)
{
	static const char *const units[] = {
		[MR_LU_SECOND] = "sec", [MR_LU_MINUTE] = "min",
		[MR_LU_HOUR] = "hour", [MR_LU_DAY] = "day",
	};
	const struct mr_m_limit *l = MR_MDATA(m, struct mr_m_limit);

	/* the parser keeps the rate in iptables' canonical unit already */
	buf_printf(x->b, " limit: avg %u/%s burst %u", l->rate,
		   units[l->unit & 3], l->burst);
}

static void lx_mark(struct lx *x, const struct mr_match *m)
{
	const struct mr_m_mark *k = MR_MDATA(m, struct mr_m_mark);

	buf_printf(x->b, " mark match%s 0x%x", m->inv & MR_MINV(0) ? " !" : "",
		   k->value);
	if (k->mask != 0xFFFFFFFFu)
		buf_printf(x->b, "/0x%x", k->mask);
}

static void lx_mac(struct lx *x, const struct mr_match *m)
{
	const uint8_t *a = MR_MDATA(m, struct mr_m_mac)->addr;

	buf_printf(x->b, " MAC%s %02x:%02x:%02x:%02x:%02x:%02x",
		   m->inv & MR_MINV(0) ? " !" : "", a[0], a[1], a[2], a[3],
		   a[4], a[5]);
}

static void lx_iprange(struct lx *x, const struct mr_match *m)
{
	const struct mr_m_iprange *ir = MR_MDATA(m, struct mr_m_iprange);
	uint8_t f = x->r->family;

	if (m->has & MR_MINV(0)) {
		buf_printf(x->b, " source IP range%s ",
			   m->inv & MR_MINV(0) ? " !" : "");
		addr_format(x->b, f, ir->src_lo);
		buf_addc(x->b, '-');
		addr_format(x->b, f, ir->src_hi);
	}
	if (m->has & MR_MINV(1)) {
		buf_printf(x->b, " destination IP range%s ",
			   m->inv & MR_MINV(1) ? " !" : "");
		addr_format(x->b, f, ir->dst_lo);
		buf_addc(x->b, '-');
		addr_format(x->b, f, ir->dst_hi);
	}
}

static void lx_owner_id(struct lx *x, const struct mr_match *m, unsigned bit,
			const char *what, uint32_t lo, uint32_t hi)
{
	if (!(m->has & MR_MINV(bit)))
		return;
	buf_printf(x->b, "%s owner %s match %" PRIu32,
		   m->inv & MR_MINV(bit) ? " !" : "", what, lo);
	if (hi != lo)
		buf_printf(x->b, "-%" PRIu32, hi);
}

/* user and group ids stay numeric: masqrule resolves no names */
static void lx_owner(struct lx *x, const struct mr_match *m)
{
	const struct mr_m_owner *o = MR_MDATA(m, struct mr_m_owner);

	if (m->has & MR_MINV(MR_OWN_SOCKET))
		buf_printf(x->b, "%s owner socket exists",
			   m->inv & MR_MINV(MR_OWN_SOCKET) ? " !" : "");
	lx_owner_id(x, m, MR_OWN_UID, "UID", o->uid_lo, o->uid_hi);
	lx_owner_id(x, m, MR_OWN_GID, "GID", o->gid_lo, o->gid_hi);
	if (m->has & MR_MINV(MR_OWN_SUPPL))
		buf_add(x->b, " incl. suppl. groups");
}

static void lx_addrtypes(struct mr_buf *b, uint16_t bits)
{
	static const char *const names[] = {
		"UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST",
		"MULTICAST", "BLACKHOLE", "UNREACHABLE", "PROHIBIT", "THROW",
		"NAT", "XRESOLVE",
	};
	const char *sep = "";
	unsigned i;

	for (i = 0; i < 12; i++)
		if (bits & (1u << i)) {
			buf_printf(b, "%s%s", sep, names[i]);
			sep = ",";
		}
}

static void lx_addrtype(struct lx *x, const struct mr_match *m)
{
	const struct mr_m_addrtype *a = MR_MDATA(m, struct mr_m_addrtype);

	buf_add(x->b, " ADDRTYPE match");
	if (m->has & MR_MINV(MR_ADDRT_SRC)) {
		buf_printf(x->b, " src-type %s",
			   m->inv & MR_MINV(MR_ADDRT_SRC) ? "!" : "");
		lx_addrtypes(x->b, a->src);
	}
	if (m->has & MR_MINV(MR_ADDRT_DST)) {
		buf_printf(x->b, " dst-type %s",
			   m->inv & MR_MINV(MR_ADDRT_DST) ? "!" : "");
		lx_addrtypes(x->b, a->dst);
	}
	if (a->iface == MR_ADDRT_IIF)
		buf_add(x->b, " limit-in");
	else if (a->iface == MR_ADDRT_OIF)
		buf_add(x->b, " limit-out");
}

/* A match iptables' wording is not known for: "name opts" in save form. */
static void lx_save_form(struct lx *x, const struct mr_match *m)
{
	const struct mr_xt *xt = xt_by_kind(m->kind, false);

	if (!xt) {
		buf_printf(x->b, " unknown-%u", m->kind);
		return;
	}
	buf_printf(x->b, " %s", xt->name);
	if (xt->save)
		xt->save(x->b, x->r, m);
}

static void lx_match(struct lx *x, const struct mr_match *m)
{
	switch (m->kind) {
	case MR_M_TCP: lx_tcp(x, m, true); return;
	case MR_M_UDP: lx_tcp(x, m, false); return;
	case MR_M_ICMP: lx_icmp(x, m, false); return;
	case MR_M_ICMP6: lx_icmp(x, m, true); return;
	case MR_M_MULTIPORT: lx_multiport(x, m); return;
	case MR_M_STATE: lx_state(x, m); return;
	case MR_M_CONNTRACK: lx_conntrack(x, m); return;
	case MR_M_LIMIT: lx_limit(x, m); return;
	case MR_M_MARK: lx_mark(x, m); return;
	case MR_M_MAC: lx_mac(x, m); return;
	case MR_M_IPRANGE: lx_iprange(x, m); return;
	case MR_M_COMMENT:
		buf_printf(x->b, " /* %s */",
			   MR_MDATA(m, struct mr_m_comment)->text);
		return;
	case MR_M_OWNER: lx_owner(x, m); return;
	case MR_M_ADDRTYPE: lx_addrtype(x, m); return;
	}
	if (!list_xt_ext_match(x->b, x->r, m))
		lx_save_form(x, m);
}

void list_xt_matches(struct mr_buf *b, const struct mr_rule *r,
		     unsigned lflags)
{
	struct lx x = { b, r, lflags & MR_LF_NUMERIC };
	const struct mr_match *m;

	for (m = r->matches; m; m = m->next)
		lx_match(&x, m);
}
