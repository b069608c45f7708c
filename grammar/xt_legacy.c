/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The icmptypes match (MR_M_LEGACY_PORTS): ICMP type and code lists that
 * ipfwadm and ipchains could say and the icmp match cannot (several types,
 * type ranges, a negated code).  Types are the "source ports", codes the
 * "destination ports", as in the old kernels.  Canonical text
 * "-m icmptypes [!] --icmp-types 0,3,8 [!] --icmp-codes 0:3", so the
 * native dialect reads back what save prints; nft "icmp type { 0, 3, 8 }".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xt.h"

enum { O_TYPES, O_CODES };

static const struct mr_optdef legacy_opts[] = {
	{ "icmp-types", 0, MR_A1, MR_OF_INV, O_TYPES },
	{ "icmp-codes", 0, MR_A1, MR_OF_INV, O_CODES },
	{ NULL, 0, 0, 0, 0 },
};

#define BIT(n) ((uint16_t)(1u << (n)))

static struct mr_portlist *side(struct mr_m_legacy_ports *lp, unsigned o)
{
	return o == O_TYPES ? &lp->sport : &lp->dport;
}

static const struct mr_portlist *cside(const struct mr_m_legacy_ports *lp,
				       unsigned o)
{
	return o == O_TYPES ? &lp->sport : &lp->dport;
}

/* One number 0-65535 (the kernels compared 16-bit "ports"). */
static int num(const char *s, size_t n, uint16_t *out)
{
	char buf[8], *end;
	unsigned long v;

	if (!n || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	v = strtoul(buf, &end, 10);
	if (*end || buf[0] < '0' || buf[0] > '9' || v > 65535)
		return -1;
	*out = (uint16_t)v;
	return 0;
}

/* "t", "lo:hi" */
static int elem(const char *s, size_t n, struct mr_range16 *r)
{
	const char *colon = memchr(s, ':', n);

	if (!colon)
		return num(s, n, &r->lo) ? -1 : (r->hi = r->lo, 0);
	if (num(s, (size_t)(colon - s), &r->lo) ||
	    num(colon + 1, n - (size_t)(colon - s) - 1, &r->hi) ||
	    r->lo > r->hi)
		return -1;
	return 0;
}

static int legacy_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_m_legacy_ports *lp =
		MR_MDATA(x->match, struct mr_m_legacy_ports);
	struct mr_match *m = x->match;
	const struct mr_word *w = &o->args[0];
	struct mr_portlist *l = side(lp, o->def->id);
	const char *s = w->text;
	size_t n;

	if (m->has & BIT(o->def->id))
		return erec_param(x->errs, &o->loc, "icmptypes: option \"--%s\" "
				  "can only be used once", o->def->lname);
	for (l->n = 0;; s += n + 1) {
		n = strcspn(s, ",");
		if (l->n == MR_MAX_PORTS)
			return erec_param(x->errs, &w->loc,
					  "icmptypes: too many values in `%s'",
					  w->text);
		if (elem(s, n, &l->r[l->n]))
			return erec_param(x->errs, &w->loc,
					  "icmptypes: invalid ICMP %s `%s'",
					  o->def->id == O_TYPES ? "types" :
					  "codes", w->text);
		l->n++;
		if (!s[n])
			break;
	}
	m->has |= BIT(o->def->id);
	if (popt_neg(o))
		m->inv |= BIT(o->def->id);
	return 0;
}

static int legacy_check(struct mr_xctx *x)
{
	const struct mr_rule *r = x->rule;

	if (!(x->match->has & (BIT(O_TYPES) | BIT(O_CODES))))
		return erec_param(x->errs, x->loc, "icmptypes: \"--icmp-types\" "
				  "or \"--icmp-codes\" must be specified");
	if ((r->has & MR_HAS_PROTO) &&
	    (r->proto != 1 || (r->inv & MR_INV_PROTO)))
		return erec_param(x->errs, x->loc, "icmptypes match: only valid "
				  "for protocol 1 (-p icmp)");
	return 0;
}

static void save_list(struct mr_buf *b, const struct mr_portlist *l)
{
	unsigned i;

	for (i = 0; i < l->n; i++) {
		buf_printf(b, "%s%u", i ? "," : "", l->r[i].lo);
		if (l->r[i].hi != l->r[i].lo)
			buf_printf(b, ":%u", l->r[i].hi);
	}
}

static void legacy_save(struct mr_buf *b, const struct mr_rule *r,
			const struct mr_match *m)
{
	const struct mr_m_legacy_ports *lp =
		MR_MDATA(m, const struct mr_m_legacy_ports);
	unsigned o;

	(void)r;
	for (o = O_TYPES; o <= O_CODES; o++) {
		if (!(m->has & BIT(o)))
			continue;
		buf_printf(b, "%s --%s ", m->inv & BIT(o) ? " !" : "",
			   legacy_opts[o].lname);
		save_list(b, cside(lp, o));
	}
}

/* nft: ICMP fields are 8 bits wide; ends beyond 255 are cut there. */
static bool xlate_list(struct mr_buf *b, const char *what,
		       const struct mr_portlist *l, bool inv)
{
	unsigned i, n = 0;

	for (i = 0; i < l->n; i++)
		n += l->r[i].lo <= 255;
	if (!n)
		return false;	/* no such type: the rule can never match */
	buf_printf(b, "icmp %s %s%s", what, inv ? "!= " : "",
		   n > 1 ? "{ " : "");
	for (i = 0, n = 0; i < l->n; i++) {
		if (l->r[i].lo > 255)
			continue;
		buf_printf(b, "%s%u", n++ ? ", " : "", l->r[i].lo);
		if (l->r[i].hi != l->r[i].lo)
			buf_printf(b, "-%u", l->r[i].hi > 255 ? 255 : l->r[i].hi);
	}
	buf_add(b, n > 1 ? " } " : " ");
	return true;
}

static bool legacy_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_m_legacy_ports *lp =
		MR_MDATA(m, const struct mr_m_legacy_ports);
	unsigned o;

	for (o = O_TYPES; o <= O_CODES; o++)
		if ((m->has & BIT(o)) &&
		    !xlate_list(x->b, o == O_TYPES ? "type" : "code",
				cside(lp, o), m->inv & BIT(o)))
			return false;
	return true;
}

const struct mr_xt xt_legacy_ports = {
	.name = "icmptypes",
	.kind = MR_M_LEGACY_PORTS,
	.family = MR_FAM_IP,
	.size = sizeof(struct mr_m_legacy_ports),
	.opts = legacy_opts,
	.parse = legacy_parse,
	.check = legacy_check,
	.save = legacy_save,
	.xlate = legacy_xlate,
};

const struct mr_xt *const xt_legacy_table[] = { &xt_legacy_ports };
const unsigned xt_legacy_count = 1;
