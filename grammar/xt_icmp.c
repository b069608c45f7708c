/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The icmp (IPv4) and icmp6 (IPv6) matches: --icmp-type / --icmpv6-type
 * as a name, "any", or type[/code[:code]].
 */
#include <string.h>
#include "icmp_names.h"
#include "xt_util.h"

enum { O_TYPE };

static const struct mr_optdef icmp_opts[] = {
	{ "icmp-type", 0, MR_A1, MR_OF_INV, O_TYPE },
	{ NULL, 0, 0, 0, 0 },
};

static const struct mr_optdef icmp6_opts[] = {
	{ "icmpv6-type", 0, MR_A1, MR_OF_INV, O_TYPE },
	{ NULL, 0, 0, 0, 0 },
};

#define HAS_TYPE (1u << MR_ICMP_TYPE)
#define HAS_CODE (1u << MR_ICMP_CODE)
#define INV (1u << 0)

static bool is6(const struct mr_match *m)
{
	return m->kind == MR_M_ICMP6;
}

/* "t", "t/c" or "t/c:c" */
static int parse_numeric(struct mr_xctx *x, const struct mr_word *w,
			 const char *v6, struct mr_m_icmp *ic)
{
	const char *slash = strchr(w->text, '/');
	char num[16];
	unsigned long t, lo = 0, hi = 255;
	size_t n = slash ? (size_t)(slash - w->text) : strlen(w->text);

	if (n >= sizeof(num))
		goto bad_type;
	memcpy(num, w->text, n);
	num[n] = '\0';
	if (xt_strtoul(num, 255, &t))
		goto bad_type;
	if (slash) {
		const char *colon = strchr(slash + 1, ':');

		n = colon ? (size_t)(colon - slash - 1) : strlen(slash + 1);
		if (n >= sizeof(num))
			goto bad_code;
		memcpy(num, slash + 1, n);
		num[n] = '\0';
		if (xt_strtoul(num, 255, &lo))
			goto bad_code;
		hi = lo;
		if (colon && (xt_strtoul(colon + 1, 255, &hi) || hi < lo))
			goto bad_code;
	}
	ic->type = (uint8_t)t;
	ic->code_lo = (uint8_t)lo;
	ic->code_hi = (uint8_t)hi;
	return 0;
bad_type:
	return erec_param(x->errs, &w->loc, "Unknown ICMP%s type `%s'", v6,
			  w->text);
bad_code:
	return erec_param(x->errs, &w->loc, "Unknown ICMP%s code `%s'", v6,
			  w->text);
}

static int icmp_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_m_icmp *ic = MR_MDATA(x->match, struct mr_m_icmp);
	struct mr_match *m = x->match;
	const struct mr_word *w = &o->args[0];
	const struct icmp_name *n, *other;
	uint8_t fam = is6(m) ? MR_FAM_IP6 : MR_FAM_IP;
	const char *v6 = is6(m) ? "v6" : "";

	if (xt_once(x, o, is6(m) ? "icmp6" : "icmp", m->has & HAS_TYPE))
		return -1;
	n = icmp_name_find(fam, w->text, &other);
	if (n && other)
		return erec_param(x->errs, &w->loc,
				  "Ambiguous ICMP%s type `%s': `%s' or `%s'?",
				  v6, w->text, n->name, other->name);
	if (n) {
		ic->type = n->type;
		ic->code_lo = n->code_lo;
		ic->code_hi = n->code_hi;
	} else if (parse_numeric(x, w, v6, ic)) {
		return -1;
	}
	m->has |= HAS_TYPE;
	if (ic->code_lo != 0 || ic->code_hi != 255)
		m->has |= HAS_CODE;
	/* type 255 with every code is how iptables stores "any" */
	ic->any = !is6(m) && ic->type == 255 && !(m->has & HAS_CODE);
	if (popt_neg(o))
		m->inv |= INV;
	return 0;
}

static int icmp_check(struct mr_xctx *x)
{
	struct mr_match *m = x->match;
	bool v6 = is6(m);

	/*
	 * Userspace iptables (and iptables-translate) take "-m icmp" without
	 * "-p icmp"; nft's "icmp type" implies the protocol.  Another
	 * protocol can never match, though.
	 */
	if ((x->rule->has & MR_HAS_PROTO) &&
	    !xt_proto_is(x->rule, v6 ? XT_P_ICMP6 : XT_P_ICMP))
		return erec_param(x->errs, x->loc, v6 ?
				  "icmp6 match: only valid for protocol 58 (-p ipv6-icmp)" :
				  "icmp match: only valid for protocol 1 (-p icmp)");
	if (!(m->has & HAS_TYPE))
		return xt_missing(x, v6 ? "icmp6" : "icmp",
				  v6 ? "icmpv6-type" : "icmp-type");
	return 0;
}

static void icmp_save(struct mr_buf *b, const struct mr_rule *r,
		      const struct mr_match *m)
{
	const struct mr_m_icmp *ic = MR_MDATA(m, const struct mr_m_icmp);

	(void)r;
	if (m->inv & INV)
		buf_add(b, " !");
	buf_add(b, is6(m) ? " --icmpv6-type " : " --icmp-type ");
	if (ic->any) {
		buf_add(b, "any");
		return;
	}
	buf_printf(b, "%u", ic->type);
	if (m->has & HAS_CODE)
		buf_printf(b, "/%u", ic->code_lo);
	/* a code range comes only from ipchains; it reads back the same */
	if ((m->has & HAS_CODE) && ic->code_hi != ic->code_lo)
		buf_printf(b, ":%u", ic->code_hi);
}

static void nft_sym(struct mr_buf *b, const char *name, unsigned num)
{
	if (name)
		buf_add(b, name);
	else
		buf_printf(b, "%u", num);
}

static bool icmp_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_m_icmp *ic = MR_MDATA(m, const struct mr_m_icmp);
	uint8_t fam = is6(m) ? MR_FAM_IP6 : MR_FAM_IP;
	const char *kw = is6(m) ? "icmpv6" : "icmp";
	bool inv = m->inv & INV;
	struct mr_buf *b = x->b;

	if (ic->any) {
		/* a no-op by itself, but print_nft left "-p icmp" to us */
		buf_add(b, "ip protocol icmp ");
		return true;
	}
	/* not (type and code) has no single nft relation */
	if ((m->has & HAS_CODE) && inv)
		return false;
	buf_printf(b, "%s type %s", kw, inv ? "!= " : "");
	nft_sym(b, icmp_nft_type(fam, ic->type), ic->type);
	buf_addc(b, ' ');
	if (!(m->has & HAS_CODE))
		return true;
	buf_printf(b, "%s code ", kw);
	if (ic->code_lo == ic->code_hi)
		nft_sym(b, icmp_nft_code(fam, ic->type, ic->code_lo),
			ic->code_lo);
	else
		buf_printf(b, "%u-%u", ic->code_lo, ic->code_hi);
	buf_addc(b, ' ');
	return true;
}

const struct mr_xt xt_icmp = {
	.name = "icmp",
	.kind = MR_M_ICMP,
	.family = MR_FAM_IP,
	.size = sizeof(struct mr_m_icmp),
	.opts = icmp_opts,
	.parse = icmp_parse,
	.check = icmp_check,
	.save = icmp_save,
	.xlate = icmp_xlate,
};

const struct mr_xt xt_icmp6 = {
	.name = "icmp6",
	.kind = MR_M_ICMP6,
	.family = MR_FAM_IP6,
	.size = sizeof(struct mr_m_icmp),
	.opts = icmp6_opts,
	.parse = icmp_parse,
	.check = icmp_check,
	.save = icmp_save,
	.xlate = icmp_xlate,
};
