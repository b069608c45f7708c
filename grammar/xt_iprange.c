/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The iprange match: [!] --src-range / --dst-range a[-b] (IPv4 or IPv6). */
#include <string.h>
#include "addr.h"
#include "xt_util.h"

enum { O_SRC, O_DST };

static const struct mr_optdef iprange_opts[] = {
	{ "src-range", 0, MR_A1, MR_OF_INV, O_SRC },
	{ "dst-range", 0, MR_A1, MR_OF_INV, O_DST },
	{ NULL, 0, 0, 0, 0 },
};

#define BIT(n) (1u << (n))

static int parse_addr(struct mr_xctx *x, const struct mr_word *w,
		      const char *s, uint8_t out[16])
{
	if (addr_parse(s, x->family, out))
		return erec_param(x->errs, &w->loc,
				  "iprange match: Bad IP address \"%s\"", s);
	return 0;
}

static int iprange_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_m_iprange *ir = MR_MDATA(x->match, struct mr_m_iprange);
	struct mr_match *m = x->match;
	const struct mr_word *w = &o->args[0];
	unsigned id = o->def->id;
	uint8_t *lo = id == O_SRC ? ir->src_lo : ir->dst_lo;
	uint8_t *hi = id == O_SRC ? ir->src_hi : ir->dst_hi;
	const char *dash = strchr(w->text, '-');
	char first[64];
	size_t n = dash ? (size_t)(dash - w->text) : strlen(w->text);

	if (xt_once(x, o, "iprange", m->has & BIT(id)))
		return -1;
	if (n >= sizeof(first))
		n = sizeof(first) - 1;
	memcpy(first, w->text, n);
	first[n] = '\0';
	if (parse_addr(x, w, first, lo) ||
	    parse_addr(x, w, dash ? dash + 1 : first, hi))
		return -1;
	m->has |= BIT(id);
	if (popt_neg(o))
		m->inv |= BIT(id);
	return 0;
}

static int iprange_check(struct mr_xctx *x)
{
	if (!x->match->has)
		return erec_param(x->errs, x->loc,
				  "iprange match: You must specify `--src-range' or `--dst-range'");
	return 0;
}

static void print_range(struct mr_buf *b, uint8_t family, const uint8_t *lo,
			const uint8_t *hi)
{
	addr_format(b, family, lo);
	buf_addc(b, '-');
	addr_format(b, family, hi);
}

static void iprange_save(struct mr_buf *b, const struct mr_rule *r,
			 const struct mr_match *m)
{
	const struct mr_m_iprange *ir = MR_MDATA(m, const struct mr_m_iprange);

	if (m->has & BIT(O_SRC)) {
		buf_printf(b, "%s --src-range ",
			   m->inv & BIT(O_SRC) ? " !" : "");
		print_range(b, r->family, ir->src_lo, ir->src_hi);
	}
	if (m->has & BIT(O_DST)) {
		buf_printf(b, "%s --dst-range ",
			   m->inv & BIT(O_DST) ? " !" : "");
		print_range(b, r->family, ir->dst_lo, ir->dst_hi);
	}
}

static bool iprange_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_m_iprange *ir = MR_MDATA(m, const struct mr_m_iprange);
	const char *l3 = xt_l3(x->family);

	if (m->has & BIT(O_SRC)) {
		buf_printf(x->b, "%s saddr %s", l3,
			   m->inv & BIT(O_SRC) ? "!= " : "");
		print_range(x->b, x->family, ir->src_lo, ir->src_hi);
		buf_addc(x->b, ' ');
	}
	if (m->has & BIT(O_DST)) {
		buf_printf(x->b, "%s daddr %s", l3,
			   m->inv & BIT(O_DST) ? "!= " : "");
		print_range(x->b, x->family, ir->dst_lo, ir->dst_hi);
		buf_addc(x->b, ' ');
	}
	return true;
}

const struct mr_xt xt_iprange = {
	.name = "iprange",
	.kind = MR_M_IPRANGE,
	.size = sizeof(struct mr_m_iprange),
	.opts = iprange_opts,
	.parse = iprange_parse,
	.check = iprange_check,
	.save = iprange_save,
	.xlate = iprange_xlate,
};
