// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iptables -L words of the extra extensions (grammar/ir_ext.h) that
 * iptables 1.8.9 was measured printing: ttl / hl, pkttype, length,
 * tcpmss, dscp, tos, helper, connmark, connlimit; targets TCPMSS,
 * CONNMARK, NFLOG, NFQUEUE, CT, TOS, DSCP.  The others are left to the
 * save form (list_xt.c, list_xt_target.c).
 */
#include "ir_ext.h"
#include "list_int.h"
#include "xt.h"

static const char *lxe_not(const struct mr_match *m)
{
	return (m->inv & MR_MINV(0)) ? "!" : "";
}

static void lxe_ttl(struct mr_buf *b, const struct mr_match *m, bool hl)
{
	static const char *const ops[] = {
		[MR_CMP_EQ] = "==", [MR_CMP_NE] = "!=", [MR_CMP_LT] = "<",
		[MR_CMP_GT] = ">",
	};
	const struct mr_m_ttl *t = MR_MDATA(m, struct mr_m_ttl);

	buf_printf(b, hl ? " HL match HL %s %u" : " TTL match TTL %s %u",
		   ops[t->op & 3], t->value);
}

static void lxe_pkttype(struct mr_buf *b, const struct mr_match *m)
{
	static const char *const names[] = {
		[MR_PKT_UNICAST] = "unicast", [MR_PKT_BROADCAST] = "broadcast",
		[MR_PKT_MULTICAST] = "multicast",
		[MR_PKT_OTHERHOST] = "otherhost",
	};
	uint8_t t = MR_MDATA(m, struct mr_m_pkttype)->type;

	buf_printf(b, " PKTTYPE %s= %s", *lxe_not(m) ? "!" : "",
		   names[t & 3]);
}

/* length and tcpmss: "lo" or "lo:hi", '!' glued in front */
static void lxe_range(struct mr_buf *b, const char *word,
		      const struct mr_match *m, unsigned lo, unsigned hi)
{
	buf_printf(b, " %s %s%u", word, lxe_not(m), lo);
	if (hi != lo)
		buf_printf(b, ":%u", hi);
}

static void lxe_connmark(struct mr_buf *b, const struct mr_match *m)
{
	const struct mr_m_mark *k = MR_MDATA(m, struct mr_m_mark);

	buf_printf(b, " connmark match %s 0x%x", lxe_not(m), k->value);
	if (k->mask != 0xFFFFFFFFu)
		buf_printf(b, "/0x%x", k->mask);
}

static void lxe_connlimit(struct mr_buf *b, const struct mr_match *m)
{
	const struct mr_m_connlimit *c = MR_MDATA(m, struct mr_m_connlimit);

	buf_printf(b, " #conn %s/%u %s %u", c->daddr ? "dst" : "src",
		   c->mask_len, c->above ? ">" : "<=", c->limit);
}

bool list_xt_ext_match(struct mr_buf *b, const struct mr_rule *r,
		       const struct mr_match *m)
{
	const struct mr_m_tos *tos = MR_MDATA(m, struct mr_m_tos);
	const struct mr_m_length *len = MR_MDATA(m, struct mr_m_length);
	const struct mr_range16 *mss =
		&MR_MDATA(m, struct mr_m_tcpmss)->mss;

	(void)r;
	switch (m->kind) {
	case MR_M_TTL: lxe_ttl(b, m, false); return true;
	case MR_M_HL: lxe_ttl(b, m, true); return true;
	case MR_M_PKTTYPE: lxe_pkttype(b, m); return true;
	case MR_M_LENGTH:
		lxe_range(b, "length", m, len->lo, len->hi);
		return true;
	case MR_M_TCPMSS:
		lxe_range(b, "tcpmss match", m, mss->lo, mss->hi);
		return true;
	case MR_M_DSCP:
		buf_printf(b, " DSCP match %s0x%02x", lxe_not(m),
			   MR_MDATA(m, struct mr_m_dscp)->dscp);
		return true;
	case MR_M_TOS:	/* no space after "match": iptables' own */
		buf_printf(b, " tos match%s0x%02x/0x%02x", lxe_not(m),
			   tos->value, tos->mask);
		return true;
	case MR_M_HELPER:
		buf_printf(b, " helper match %s\"%s\"",
			   *lxe_not(m) ? "! " : "",
			   MR_MDATA(m, struct mr_m_helper)->name);
		return true;
	case MR_M_CONNMARK: lxe_connmark(b, m); return true;
	case MR_M_CONNLIMIT: lxe_connlimit(b, m); return true;
	}
	return false;
}

/* ------------------------------------------------------------------ */
/* Targets                                                             */

static void lte_connmark_set(struct mr_buf *b, uint32_t v, uint32_t m)
{
	if (v == 0)
		buf_printf(b, " CONNMARK and 0x%x", ~m);
	else if (v == m)
		buf_printf(b, " CONNMARK or 0x%x", v);
	else if (m == 0)
		buf_printf(b, " CONNMARK xor 0x%x", v);
	else if (m == 0xFFFFFFFFu)
		buf_printf(b, " CONNMARK set 0x%x", v);
	else
		buf_printf(b, " CONNMARK xset 0x%x/0x%x", v, m);
}

/* save: nfmask then ctmask; restore: ctmask then nfmask */
static void lte_connmark_copy(struct mr_buf *b, const char *what,
			      uint32_t first, uint32_t second,
			      const char *n1, const char *n2)
{
	if (first == 0xFFFFFFFFu && second == 0xFFFFFFFFu)
		buf_printf(b, " CONNMARK %s", what);
	else if (first == second)
		buf_printf(b, " CONNMARK %s mask 0x%x", what, first);
	else
		buf_printf(b, " CONNMARK %s %s 0x%x %s ~0x%x", what, n1, first,
			   n2, second);
}

static bool lte_connmark(struct mr_buf *b, const struct mr_t_connmark *c)
{
	if (c->shift_bits)
		return false;
	if (c->mode == MR_CONNMARK_SET)
		lte_connmark_set(b, c->value, c->ctmask);
	else if (c->mode == MR_CONNMARK_SAVE)
		lte_connmark_copy(b, "save", c->nfmask, c->ctmask, "nfmask",
				  "ctmask");
	else
		lte_connmark_copy(b, "restore", c->ctmask, c->nfmask,
				  "ctmask", "nfmask");
	return true;
}

static void lte_nflog(struct mr_buf *b, const struct mr_t_nflog *n)
{
	if (n->prefix[0]) {
		buf_add(b, " nflog-prefix ");
		xt_save_string(b, n->prefix);
	}
	if (n->group)
		buf_printf(b, " nflog-group %u", n->group);
	if (n->size_set)
		buf_printf(b, " nflog-size %u", n->size);
	if (n->threshold)
		buf_printf(b, " nflog-threshold %u", n->threshold);
}

static void lte_nfqueue(struct mr_buf *b, const struct mr_t_nfqueue *q)
{
	if (q->total > 1)
		buf_printf(b, " NFQUEUE balance %u:%u", q->num,
			   q->num + q->total - 1);
	else
		buf_printf(b, " NFQUEUE num %u", q->num);
	if (q->flags & MR_NFQ_BYPASS)
		buf_add(b, " bypass");
	if (q->flags & MR_NFQ_FANOUT)
		buf_add(b, " cpu-fanout");
}

/* event masks and zone directions: left to the save form */
static bool lte_ct(struct mr_buf *b, const struct mr_t_ct *c)
{
	if (c->has & (MR_CT_HAS_CTEVENTS | MR_CT_HAS_EXPEVENTS) ||
	    c->zone_flags)
		return false;
	buf_add(b, " CT");
	if (c->notrack)
		buf_add(b, " notrack");
	if (c->has & MR_CT_HAS_HELPER)
		buf_printf(b, " helper %s", c->helper);
	if (c->has & MR_CT_HAS_TIMEOUT)
		buf_printf(b, " timeout %s", c->timeout);
	if (c->has & MR_CT_HAS_ZONE)
		buf_printf(b, " zone %u", c->zone);
	return true;
}

static void lte_tos(struct mr_buf *b, const struct mr_t_tos *t)
{
	if (t->value == 0)
		buf_printf(b, " TOS and 0x%02x", (uint8_t)~t->mask);
	else if (t->value == t->mask)
		buf_printf(b, " TOS or 0x%02x", t->value);
	else if (t->mask == 0)
		buf_printf(b, " TOS xor 0x%02x", t->value);
	else
		buf_printf(b, " TOS set 0x%02x/0x%02x", t->value, t->mask);
}

static void lte_tcpmss(struct mr_buf *b, const struct mr_t_tcpmss *t)
{
	if (t->clamp)
		buf_add(b, " TCPMSS clamp to PMTU");
	else
		buf_printf(b, " TCPMSS set %u", t->mss);
}

bool list_xt_ext_target(struct mr_buf *b, const struct mr_rule *r)
{
	const void *d = r->target.data;

	if (!d)
		return false;
	switch (r->target.kind) {
	case MR_V_TCPMSS: lte_tcpmss(b, d); return true;
	case MR_V_CONNMARK: return lte_connmark(b, d);
	case MR_V_NFLOG: lte_nflog(b, d); return true;
	case MR_V_NFQUEUE: lte_nfqueue(b, d); return true;
	case MR_V_CT: return lte_ct(b, d);
	case MR_V_TOS: lte_tos(b, d); return true;
	case MR_V_DSCP:
		buf_printf(b, " DSCP set 0x%02x",
			   ((const struct mr_t_dscp *)d)->dscp);
		return true;
	}
	return false;
}
