/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The conntrack match: --ctstate, --ctproto, the original and reply
 * tuple addresses and ports, --ctstatus, --ctexpire and --ctdir.  Also
 * the state-name tables the state match (xt_state.c) shares.
 */
#include <string.h>
#include <strings.h>
#include "services.h"
#include "xt_util.h"

/* iptables-save prints states in this order (not bit order). */
const struct xt_flagname xt_ct_states[] = {
	{ "INVALID", MR_CT_INVALID }, { "NEW", MR_CT_NEW },
	{ "RELATED", MR_CT_RELATED }, { "ESTABLISHED", MR_CT_ESTABLISHED },
	{ "UNTRACKED", MR_CT_UNTRACKED }, { "SNAT", MR_CT_SNAT },
	{ "DNAT", MR_CT_DNAT },
	{ NULL, 0 },
};

const struct xt_flagname xt_ct_states_nft[] = {
	{ "invalid", MR_CT_INVALID }, { "new", MR_CT_NEW },
	{ "related", MR_CT_RELATED }, { "established", MR_CT_ESTABLISHED },
	{ "untracked", MR_CT_UNTRACKED },
	{ NULL, 0 },
};

/* --ctstate SNAT/DNAT are conntrack status bits in nft */
static const struct xt_flagname nat_states_nft[] = {
	{ "snat", MR_CT_SNAT }, { "dnat", MR_CT_DNAT },
	{ NULL, 0 },
};

static const struct xt_flagname status_words[] = {
	{ "NONE", 0 }, { "EXPECTED", MR_CTS_EXPECTED },
	{ "SEEN_REPLY", MR_CTS_SEEN_REPLY }, { "ASSURED", MR_CTS_ASSURED },
	{ "CONFIRMED", MR_CTS_CONFIRMED },
	{ NULL, 0 },
};

static const struct xt_flagname status_nft[] = {
	{ "expected", MR_CTS_EXPECTED }, { "seen-reply", MR_CTS_SEEN_REPLY },
	{ "assured", MR_CTS_ASSURED }, { "confirmed", MR_CTS_CONFIRMED },
	{ NULL, 0 },
};

#define I MR_OF_INV
static const struct mr_optdef ct_opts[] = {
	{ "ctstate", 0, MR_A1, I, MR_CTM_STATE },
	{ "ctproto", 0, MR_A1, I, MR_CTM_PROTO },
	{ "ctorigsrc", 0, MR_A1, I, MR_CTM_ORIGSRC },
	{ "ctorigdst", 0, MR_A1, I, MR_CTM_ORIGDST },
	{ "ctreplsrc", 0, MR_A1, I, MR_CTM_REPLSRC },
	{ "ctrepldst", 0, MR_A1, I, MR_CTM_REPLDST },
	{ "ctorigsrcport", 0, MR_A1, I, MR_CTM_ORIGSPORT },
	{ "ctorigdstport", 0, MR_A1, I, MR_CTM_ORIGDPORT },
	{ "ctreplsrcport", 0, MR_A1, I, MR_CTM_REPLSPORT },
	{ "ctrepldstport", 0, MR_A1, I, MR_CTM_REPLDPORT },
	{ "ctstatus", 0, MR_A1, I, MR_CTM_STATUS },
	{ "ctexpire", 0, MR_A1, I, MR_CTM_EXPIRE },
	{ "ctdir", 0, MR_A1, 0, MR_CTM_DIR },
	{ NULL, 0, 0, 0, 0 },
};
#undef I

#define BIT(n) (1u << (n))

static struct mr_prefix *ct_prefix(struct mr_m_conntrack *c, unsigned id)
{
	switch (id) {
	case MR_CTM_ORIGSRC:
		return &c->origsrc;
	case MR_CTM_ORIGDST:
		return &c->origdst;
	case MR_CTM_REPLSRC:
		return &c->replsrc;
	default:
		return &c->repldst;
	}
}

static struct mr_range16 *ct_range(struct mr_m_conntrack *c, unsigned id)
{
	switch (id) {
	case MR_CTM_ORIGSPORT:
		return &c->origsport;
	case MR_CTM_ORIGDPORT:
		return &c->origdport;
	case MR_CTM_REPLSPORT:
		return &c->replsport;
	default:
		return &c->repldport;
	}
}

static int parse_proto(struct mr_xctx *x, const struct mr_word *w,
		       struct mr_m_conntrack *c)
{
	int p = proto_number(w->text);

	if (p < 0)
		return erec_param(x->errs, &w->loc,
				  "unknown protocol \"%s\" specified", w->text);
	if (p == 0)
		return erec_param(x->errs, &w->loc,
				  "conntrack: --ctproto 0 is not supported");
	c->proto = (uint8_t)p;
	return 0;
}

static int parse_expire(struct mr_xctx *x, const struct mr_popt *o,
			struct mr_m_conntrack *c)
{
	const struct mr_word *w = &o->args[0];
	const char *colon = strchr(w->text, ':');
	unsigned long lo, hi;
	char head[16];
	size_t n = colon ? (size_t)(colon - w->text) : strlen(w->text);
	char name[32];

	if (n >= sizeof(head))
		goto bad;
	memcpy(head, w->text, n);
	head[n] = '\0';
	if (xt_strtoul(head, 0xffffffffUL, &lo))
		goto bad;
	hi = lo;
	if (colon && xt_strtoul(colon + 1, 0xffffffffUL, &hi))
		goto bad;
	if (lo > hi)
		goto bad;
	c->expire_lo = (uint32_t)lo;
	c->expire_hi = (uint32_t)hi;
	return 0;
bad:
	return erec_param(x->errs, &w->loc,
			  "conntrack: bad value for option \"%s\", or out of range (0-4294967295)",
			  opt_display(o, name, sizeof(name)));
}

static int parse_dir(struct mr_xctx *x, const struct mr_word *w,
		     struct mr_m_conntrack *c)
{
	if (!strcasecmp(w->text, "ORIGINAL"))
		c->dir_reply = 0;
	else if (!strcasecmp(w->text, "REPLY"))
		c->dir_reply = 1;
	else
		return erec_param(x->errs, &w->loc,
				  "Unknown --ctdir value \"%s\"", w->text);
	return 0;
}

static int ct_field(struct mr_xctx *x, const struct mr_popt *o,
		    struct mr_m_conntrack *c, unsigned id)
{
	const struct mr_word *w = &o->args[0];
	uint32_t bits;

	switch (id) {
	case MR_CTM_STATE:
		if (xt_parse_flaglist(x, w, xt_ct_states, "Bad ctstate \"%s\"",
				      &bits))
			return -1;
		c->states = (uint8_t)bits;
		return 0;
	case MR_CTM_PROTO:
		return parse_proto(x, w, c);
	case MR_CTM_ORIGSRC:
	case MR_CTM_ORIGDST:
	case MR_CTM_REPLSRC:
	case MR_CTM_REPLDST:
		return xt_parse_prefix(x, w, ct_prefix(c, id));
	case MR_CTM_ORIGSPORT:
	case MR_CTM_ORIGDPORT:
	case MR_CTM_REPLSPORT:
	case MR_CTM_REPLDPORT:
		return xt_parse_port_range(x, w, c->proto, ct_range(c, id));
	case MR_CTM_STATUS:
		if (xt_parse_flaglist(x, w, status_words,
				      "Bad ctstatus \"%s\"", &bits))
			return -1;
		c->status = (uint8_t)bits;
		return 0;
	case MR_CTM_EXPIRE:
		return parse_expire(x, o, c);
	default:
		return parse_dir(x, w, c);
	}
}

static int ct_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_m_conntrack *c = MR_MDATA(x->match, struct mr_m_conntrack);
	struct mr_match *m = x->match;
	unsigned id = o->def->id;

	if (xt_once(x, o, "conntrack", m->has & BIT(id)) ||
	    (id == MR_CTM_DIR && xt_no_inv(x, o, "conntrack")) ||
	    ct_field(x, o, c, id))
		return -1;
	m->has |= (uint16_t)BIT(id);
	if (popt_neg(o))
		m->inv |= (uint16_t)BIT(id);
	return 0;
}

static int ct_check(struct mr_xctx *x)
{
	if (!x->match->has)
		return erec_param(x->errs, x->loc,
				  "conntrack match: you must specify one or more options");
	return 0;
}

/* ------------------------------------------------------------------ */

static const char *const save_names[] = {
	[MR_CTM_STATE] = "ctstate", [MR_CTM_PROTO] = "ctproto",
	[MR_CTM_ORIGSRC] = "ctorigsrc", [MR_CTM_ORIGDST] = "ctorigdst",
	[MR_CTM_REPLSRC] = "ctreplsrc", [MR_CTM_REPLDST] = "ctrepldst",
	[MR_CTM_ORIGSPORT] = "ctorigsrcport",
	[MR_CTM_ORIGDPORT] = "ctorigdstport",
	[MR_CTM_REPLSPORT] = "ctreplsrcport",
	[MR_CTM_REPLDPORT] = "ctrepldstport",
	[MR_CTM_STATUS] = "ctstatus", [MR_CTM_EXPIRE] = "ctexpire",
	[MR_CTM_DIR] = "ctdir",
};

static void save_field(struct mr_buf *b, const struct mr_m_conntrack *c,
		       unsigned id, uint8_t family)
{
	struct mr_m_conntrack *cc = (struct mr_m_conntrack *)c;

	switch (id) {
	case MR_CTM_STATE:
		xt_print_flaglist(b, xt_ct_states, c->states);
		break;
	case MR_CTM_PROTO:
		buf_printf(b, "%u", c->proto);
		break;
	case MR_CTM_ORIGSRC:
	case MR_CTM_ORIGDST:
	case MR_CTM_REPLSRC:
	case MR_CTM_REPLDST:
		xt_save_prefix(b, family, ct_prefix(cc, id));
		break;
	case MR_CTM_ORIGSPORT:
	case MR_CTM_ORIGDPORT:
	case MR_CTM_REPLSPORT:
	case MR_CTM_REPLDPORT:
		xt_save_range(b, ct_range(cc, id));
		break;
	case MR_CTM_STATUS:
		if (c->status)
			xt_print_flaglist(b, status_words, c->status);
		else
			buf_add(b, "NONE");
		break;
	case MR_CTM_EXPIRE:
		buf_printf(b, "%u", c->expire_lo);
		if (c->expire_hi != c->expire_lo)
			buf_printf(b, ":%u", c->expire_hi);
		break;
	default:
		buf_add(b, c->dir_reply ? "REPLY" : "ORIGINAL");
		break;
	}
}

static void ct_save(struct mr_buf *b, const struct mr_rule *r,
		    const struct mr_match *m)
{
	const struct mr_m_conntrack *c =
		MR_MDATA(m, const struct mr_m_conntrack);
	unsigned id;

	/* the MR_CTM_* order is iptables-save's order */
	for (id = MR_CTM_STATE; id <= MR_CTM_DIR; id++) {
		if (!(m->has & BIT(id)))
			continue;
		buf_printf(b, "%s --%s ", m->inv & BIT(id) ? " !" : "",
			   save_names[id]);
		save_field(b, c, id, r->family);
	}
}

/* ------------------------------------------------------------------ */

static bool xlate_states(struct mr_buf *b, const struct mr_m_conntrack *c,
			 bool inv)
{
	uint8_t plain = c->states & ~(MR_CT_SNAT | MR_CT_DNAT);
	uint8_t nat = c->states & (MR_CT_SNAT | MR_CT_DNAT);

	/* "state X or status snat" is no conjunction of nft relations */
	if (plain && nat)
		return false;
	buf_printf(b, "ct %s %s", nat ? "status" : "state", inv ? "! " : "");
	xt_print_flaglist(b, nat ? nat_states_nft : xt_ct_states_nft,
			  nat ? nat : plain);
	buf_addc(b, ' ');
	return true;
}

static bool xlate_field(struct mr_buf *b, const struct mr_m_conntrack *c,
			unsigned id, bool inv, uint8_t family)
{
	static const char *const lhs[] = {
		[MR_CTM_ORIGSRC] = "ct original saddr",
		[MR_CTM_ORIGDST] = "ct original daddr",
		[MR_CTM_REPLSRC] = "ct reply saddr",
		[MR_CTM_REPLDST] = "ct reply daddr",
		[MR_CTM_ORIGSPORT] = "ct original proto-src",
		[MR_CTM_ORIGDPORT] = "ct original proto-dst",
		[MR_CTM_REPLSPORT] = "ct reply proto-src",
		[MR_CTM_REPLDPORT] = "ct reply proto-dst",
	};
	struct mr_m_conntrack *cc = (struct mr_m_conntrack *)c;
	const char *ne = inv ? "!= " : "";

	switch (id) {
	case MR_CTM_DIR:
		buf_printf(b, "ct direction %s ",
			   c->dir_reply ? "reply" : "original");
		return true;
	case MR_CTM_PROTO:
		buf_printf(b, "ct original protocol %s%u ", ne, c->proto);
		return true;
	case MR_CTM_STATE:
		return xlate_states(b, c, inv);
	case MR_CTM_STATUS:
		if (!c->status)
			return false;	/* NONE: nft has no spelling */
		buf_printf(b, "ct status %s", inv ? "! " : "");
		xt_print_flaglist(b, status_nft, c->status);
		buf_addc(b, ' ');
		return true;
	case MR_CTM_EXPIRE:
		buf_printf(b, "ct expiration %s%u", ne, c->expire_lo);
		if (c->expire_hi != c->expire_lo)
			buf_printf(b, "-%u", c->expire_hi);
		buf_addc(b, ' ');
		return true;
	case MR_CTM_ORIGSRC:
	case MR_CTM_ORIGDST:
	case MR_CTM_REPLSRC:
	case MR_CTM_REPLDST:
		xt_nft_prefix_cmp(b, lhs[id], family, ct_prefix(cc, id), inv);
		return true;
	default:
		buf_printf(b, "%s %s", lhs[id], ne);
		xt_nft_range(b, ct_range(cc, id));
		buf_addc(b, ' ');
		return true;
	}
}

static bool ct_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	static const uint8_t order[] = {
		MR_CTM_DIR, MR_CTM_PROTO, MR_CTM_STATE, MR_CTM_STATUS,
		MR_CTM_EXPIRE, MR_CTM_ORIGSRC, MR_CTM_ORIGDST,
		MR_CTM_REPLSRC, MR_CTM_REPLDST, MR_CTM_ORIGSPORT,
		MR_CTM_ORIGDPORT, MR_CTM_REPLSPORT, MR_CTM_REPLDPORT,
	};
	const struct mr_m_conntrack *c =
		MR_MDATA(m, const struct mr_m_conntrack);
	size_t i;

	for (i = 0; i < sizeof(order); i++) {
		unsigned id = order[i];

		if ((m->has & BIT(id)) &&
		    !xlate_field(x->b, c, id, m->inv & BIT(id), x->family))
			return false;
	}
	return true;
}

const struct mr_xt xt_conntrack = {
	.name = "conntrack",
	.kind = MR_M_CONNTRACK,
	.size = sizeof(struct mr_m_conntrack),
	.opts = ct_opts,
	.parse = ct_parse,
	.check = ct_check,
	.save = ct_save,
	.xlate = ct_xlate,
};
