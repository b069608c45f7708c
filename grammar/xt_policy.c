/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The policy match: the IPsec policy a packet was (or will be) handled
 * by, with up to four policy elements (reqid, spi, proto, mode, tunnel
 * endpoints).  Only the element-free forms have an nft equivalent.
 */
#include <string.h>

#include "addr.h"
#include "xt_ext.h"

enum {
	O_DIR, O_POL, O_STRICT, O_NEXT,
	/* per element: their bits are in struct mr_policy_elem.has */
	O_REQID, O_SPI, O_PROTO, O_MODE, O_TSRC, O_TDST,
};

static const struct mr_optdef policy_opts[] = {
	{ "dir", 0, MR_A1, 0, O_DIR },
	{ "pol", 0, MR_A1, 0, O_POL },
	{ "strict", 0, MR_A0, 0, O_STRICT },
	{ "reqid", 0, MR_A1, MR_OF_INV, O_REQID },
	{ "spi", 0, MR_A1, MR_OF_INV, O_SPI },
	{ "proto", 0, MR_A1, MR_OF_INV, O_PROTO },
	{ "mode", 0, MR_A1, MR_OF_INV, O_MODE },
	{ "tunnel-src", 0, MR_A1, MR_OF_INV, O_TSRC },
	{ "tunnel-dst", 0, MR_A1, MR_OF_INV, O_TDST },
	{ "next", 0, MR_A0, 0, O_NEXT },
	{ 0 },
};

/* element option id -> MR_POLE_* bit */
static uint8_t pol_bit(unsigned id)
{
	return (uint8_t)(1u << (id - O_REQID));
}

struct pol_proto {
	const char *name;
	uint8_t num;
};
static const struct pol_proto pol_protos[] = {
	{ "esp", 50 }, { "ah", 51 }, { "ipcomp", 108 }, { NULL, 0 },
};

static const char *const pol_modes[] = { "transport", "tunnel", NULL };

static int pol_proto(struct mr_xctx *x, const struct mr_word *w, uint8_t *out)
{
	uint64_t v;

	for (int i = 0; pol_protos[i].name; i++)
		if (!strcmp(pol_protos[i].name, w->text)) {
			*out = pol_protos[i].num;
			return 0;
		}
	if (!xe_strtou(w->text, 255, &v))
		return erec_param(x->errs, &w->loc, "unknown protocol \"%s\" specified",
				  w->text);
	for (int i = 0; pol_protos[i].name; i++)
		if (pol_protos[i].num == v) {
			*out = (uint8_t)v;
			return 0;
		}
	return erec_param(x->errs, &w->loc,
			  "policy match: protocol must be ah/esp/ipcomp");
}

static int pol_elem_value(struct mr_xctx *x, const struct mr_popt *o,
			  struct mr_policy_elem *e)
{
	const struct mr_word *w = &o->args[0];
	const char *why = NULL;
	uint64_t v;
	int i;

	switch (o->def->id) {
	case O_REQID:
	case O_SPI:
		if (xe_uint(x, o, w, "policy", 0, 0xffffffffu, &v))
			return -1;
		*(o->def->id == O_REQID ? &e->reqid : &e->spi) = (uint32_t)v;
		return 0;
	case O_PROTO:
		return pol_proto(x, w, &e->proto);
	case O_MODE:
		i = xe_lookup(pol_modes, w->text);
		if (i < 0)
			return erec_param(x->errs, &w->loc,
					  "policy match: invalid mode \"%s\"", w->text);
		e->mode = (uint8_t)i;
		return 0;
	}
	if (addr_parse_prefix(w->text, x->family, MR_AS_IPTABLES,
			      o->def->id == O_TSRC ? &e->tsrc : &e->tdst, &why))
		return erec_param(x->errs, &w->loc, "host/network `%s' not found%s%s",
				  w->text, why ? ": " : "", why ? why : "");
	return 0;
}

static int pol_elem(struct mr_xctx *x, const struct mr_popt *o,
		    struct mr_m_policy *d)
{
	struct mr_policy_elem *e = &d->e[d->nelem ? d->nelem - 1 : 0];
	uint8_t bit = pol_bit(o->def->id);

	if (e->has & bit)
		return erec_param(x->errs, &o->loc, "policy match: double --%s option",
				  o->def->lname);
	if (pol_elem_value(x, o, e))
		return -1;
	if (!d->nelem)
		d->nelem = 1;
	e->has |= bit;
	if (popt_neg(o))
		e->inv |= bit;
	return 0;
}

static int pol_global(struct mr_xctx *x, const struct mr_popt *o,
		      struct mr_m_policy *d)
{
	static const char *const dirs[] = { "in", "out", NULL };
	static const char *const pols[] = { "ipsec", "none", NULL };
	const struct mr_word *w = &o->args[0];
	int i;

	switch (o->def->id) {
	case O_DIR:
		i = xe_lookup(dirs, w->text);
		if (i < 0)
			return erec_param(x->errs, &w->loc,
					  "policy_match: invalid dir \"%s\"", w->text);
		d->dir = (uint8_t)i;
		return 0;
	case O_POL:
		i = xe_lookup(pols, w->text);
		if (i < 0)
			return erec_param(x->errs, &w->loc,
					  "policy match: invalid policy \"%s\"", w->text);
		d->pol_none = i == 1;
		return 0;
	case O_STRICT:
		d->strict = true;
		return 0;
	}
	/* --next: start another element; an unused one still counts */
	if (!d->nelem)
		d->nelem = 1;
	if (d->nelem >= MR_POLICY_MAX)
		return erec_param(x->errs, &o->loc, "policy match: maximum policy depth reached");
	d->nelem++;
	return 0;
}

static int policy_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_m_policy *d = MR_MDATA(x->match, struct mr_m_policy);

	if (o->def->id >= O_REQID)
		return pol_elem(x, o, d);
	if (xe_begin(x, o, "policy", o->def->id == O_NEXT ? NULL : &x->match->has))
		return -1;
	if (o->def->id == O_NEXT)
		x->match->has |= 1u << O_NEXT;
	return pol_global(x, o, d);
}

static int policy_check_elems(struct mr_xctx *x, const struct mr_m_policy *d)
{
	/* --strict with no element at all is an empty element 0 */
	unsigned n = d->strict && !d->nelem ? 1 : d->nelem;

	for (unsigned i = 0; i < n; i++) {
		const struct mr_policy_elem *e = &d->e[i];

		if (d->strict && !e->has)
			return xe_check_err(x, "policy match: empty policy element %u. --strict is in effect, but at least one of reqid, spi, tunnel-src, tunnel-dst, proto or mode is required",
					    i);
		if ((e->has & (MR_POLE_TSRC | MR_POLE_TDST)) &&
		    !((e->has & MR_POLE_MODE) && e->mode == MR_POLMODE_TUNNEL))
			return xe_check_err(x, "policy match: --tunnel-src/--tunnel-dst is only valid in tunnel mode");
	}
	return 0;
}

static int policy_check(struct mr_xctx *x)
{
	struct mr_m_policy *d = MR_MDATA(x->match, struct mr_m_policy);

	if (!(x->match->has & (1u << O_DIR)))
		return xe_check_err(x, "policy match: neither --dir in nor --dir out specified");
	if (d->pol_none && d->strict)
		return xe_check_err(x, "policy match: policy none but --strict given");
	if ((x->match->has & (1u << O_NEXT)) && !d->strict)
		return xe_check_err(x, "policy: option \"--next\" also requires \"--strict\"");
	return policy_check_elems(x, d);
}

static void pol_save_prefix(struct mr_buf *b, uint8_t family,
			    const struct mr_prefix *p)
{
	int len = addr_mask_len(p->mask, family);

	addr_format(b, family, p->addr);
	if (len < 0) {
		buf_addc(b, '/');
		addr_format(b, family, p->mask);
	} else if ((unsigned)len != addr_bytes(family) * 8) {
		buf_printf(b, "/%d", len);
	}
}

static void pol_save_elem(struct mr_buf *b, uint8_t family,
			  const struct mr_policy_elem *e)
{
	if (e->has & MR_POLE_REQID) {
		xe_save_inv(b, e->inv & MR_POLE_REQID);
		buf_printf(b, " --reqid %u", e->reqid);
	}
	if (e->has & MR_POLE_SPI) {
		xe_save_inv(b, e->inv & MR_POLE_SPI);
		buf_printf(b, " --spi 0x%x", e->spi);
	}
	if (e->has & MR_POLE_PROTO) {
		const char *name = NULL;

		for (int i = 0; pol_protos[i].name; i++)
			if (pol_protos[i].num == e->proto)
				name = pol_protos[i].name;
		xe_save_inv(b, e->inv & MR_POLE_PROTO);
		buf_printf(b, " --proto %s", name ? name : "?");
	}
	if (e->has & MR_POLE_MODE) {
		xe_save_inv(b, e->inv & MR_POLE_MODE);
		buf_printf(b, " --mode %s", pol_modes[e->mode & 1]);
	}
	if (e->has & MR_POLE_TDST) {
		xe_save_inv(b, e->inv & MR_POLE_TDST);
		buf_add(b, " --tunnel-dst ");
		pol_save_prefix(b, family, &e->tdst);
	}
	if (e->has & MR_POLE_TSRC) {
		xe_save_inv(b, e->inv & MR_POLE_TSRC);
		buf_add(b, " --tunnel-src ");
		pol_save_prefix(b, family, &e->tsrc);
	}
}

static void policy_save(struct mr_buf *b, const struct mr_rule *r,
			const struct mr_match *m)
{
	const struct mr_m_policy *d = MR_MDATA(m, struct mr_m_policy);

	buf_printf(b, " --dir %s --pol %s", d->dir == MR_POLDIR_OUT ? "out" : "in",
		   d->pol_none ? "none" : "ipsec");
	if (d->strict)
		buf_add(b, " --strict");
	/* with --pol none the kernel ignores elements; iptables drops them */
	if (d->pol_none)
		return;
	for (unsigned i = 0; i < d->nelem; i++) {
		if (i)
			buf_add(b, " --next");
		pol_save_elem(b, r->family, &d->e[i]);
	}
}

/* Only "was this packet decapsulated by IPsec" has an nft form. */
static bool policy_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_m_policy *d = MR_MDATA(m, struct mr_m_policy);

	if (d->nelem || d->dir != MR_POLDIR_IN)
		return false;
	buf_printf(x->b, "meta secpath %s ", d->pol_none ? "missing" : "exists");
	return true;
}

const struct mr_xt xt_policy = {
	.name = "policy",
	.kind = MR_M_POLICY,
	.size = sizeof(struct mr_m_policy),
	.opts = policy_opts,
	.parse = policy_parse,
	.check = policy_check,
	.save = policy_save,
	.xlate = policy_xlate,
};
