/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The addrtype match: routing type of the source / destination address. */
#include <stdlib.h>
#include <string.h>

#include "xt_ext.h"

enum { O_SRC_TYPE = MR_ADDRT_SRC, O_DST_TYPE = MR_ADDRT_DST, O_IFACE_IN, O_IFACE_OUT };

static const struct mr_optdef addrtype_opts[] = {
	{ "src-type", 0, MR_A1, MR_OF_INV, O_SRC_TYPE },
	{ "dst-type", 0, MR_A1, MR_OF_INV, O_DST_TYPE },
	{ "limit-iface-in", 0, MR_A0, 0, O_IFACE_IN },
	{ "limit-iface-out", 0, MR_A0, 0, O_IFACE_OUT },
	{ 0 },
};

/* bit n = route type n (RTN_*), in iptables' and nft's spelling */
static const char *const addrtype_names[] = {
	"UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST",
	"BLACKHOLE", "UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE",
	NULL,
};
static const char *const addrtype_nft[] = {
	"unspec", "unicast", "local", "broadcast", "anycast", "multicast",
	"blackhole", "unreachable", "prohibit", "throw", "nat", "xresolve",
	NULL,
};

static int addrtype_list(struct mr_xctx *x, const struct mr_word *w,
			 uint16_t *out)
{
	char *list = ir_strdup(w->text), *save = NULL;
	int rc = 0;

	for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		int i = xe_lookup(addrtype_names, t);

		if (i < 0) {
			rc = erec_param(x->errs, &w->loc, "addrtype: bad type \"%s\"", t);
			break;
		}
		*out |= (uint16_t)(1u << i);
	}
	free(list);
	return rc;
}

static int addrtype_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_m_addrtype *d = MR_MDATA(x->match, struct mr_m_addrtype);
	unsigned id = o->def->id;

	if ((id == O_IFACE_IN && (x->match->has & (1u << O_IFACE_OUT))) ||
	    (id == O_IFACE_OUT && (x->match->has & (1u << O_IFACE_IN))))
		return xe_conflict(x, o, "addrtype",
				   xe_def(addrtype_opts, id == O_IFACE_IN ? O_IFACE_OUT : O_IFACE_IN));
	if (xe_begin(x, o, "addrtype", &x->match->has))
		return -1;
	if (id == O_IFACE_IN || id == O_IFACE_OUT) {
		d->iface = id == O_IFACE_IN ? MR_ADDRT_IIF : MR_ADDRT_OIF;
		return 0;
	}
	if (addrtype_list(x, &o->args[0], id == O_SRC_TYPE ? &d->src : &d->dst))
		return -1;
	if (popt_neg(o))
		x->match->inv |= MR_MINV(id);
	return 0;
}

static int addrtype_check(struct mr_xctx *x)
{
	if (!(x->match->has & ((1u << O_SRC_TYPE) | (1u << O_DST_TYPE))))
		return xe_check_err(x, "addrtype: you must specify --src-type or --dst-type");
	return 0;
}

static void addrtype_save_list(struct mr_buf *b, uint16_t bits)
{
	char sep = ' ';

	for (int i = 0; addrtype_names[i]; i++)
		if (bits & (1u << i)) {
			buf_printf(b, "%c%s", sep, addrtype_names[i]);
			sep = ',';
		}
}

static void addrtype_save(struct mr_buf *b, const struct mr_rule *r,
			  const struct mr_match *m)
{
	const struct mr_m_addrtype *d = MR_MDATA(m, struct mr_m_addrtype);

	if (m->has & (1u << O_SRC_TYPE)) {
		xe_save_inv(b, m->inv & MR_MINV(O_SRC_TYPE));
		buf_add(b, " --src-type");
		addrtype_save_list(b, d->src);
	}
	if (m->has & (1u << O_DST_TYPE)) {
		xe_save_inv(b, m->inv & MR_MINV(O_DST_TYPE));
		buf_add(b, " --dst-type");
		addrtype_save_list(b, d->dst);
	}
	if (d->iface == MR_ADDRT_IIF)
		buf_add(b, " --limit-iface-in");
	else if (d->iface == MR_ADDRT_OIF)
		buf_add(b, " --limit-iface-out");
}

/* "fib saddr . iif type != { local, anycast } " */
static void addrtype_xlate_one(struct mr_buf *b, const char *addr,
			       uint8_t iface, bool inv, uint16_t bits)
{
	int n = __builtin_popcount(bits);
	const char *sep = "";

	buf_printf(b, "fib %s%s type %s%s", addr,
		   iface == MR_ADDRT_IIF ? " . iif" : iface == MR_ADDRT_OIF ? " . oif" : "",
		   inv ? "!= " : "", n > 1 ? "{ " : "");
	for (int i = 0; addrtype_nft[i]; i++)
		if (bits & (1u << i)) {
			buf_printf(b, "%s%s", sep, addrtype_nft[i]);
			sep = ", ";
		}
	buf_add(b, n > 1 ? " } " : " ");
}

/*
 * iptables-translate 1.8.9 prints only the source test when both are
 * given, and drops throw/nat/xresolve; this prints all of them.
 */
static bool addrtype_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_m_addrtype *d = MR_MDATA(m, struct mr_m_addrtype);

	if (m->has & (1u << O_SRC_TYPE))
		addrtype_xlate_one(x->b, "saddr", d->iface,
				   m->inv & MR_MINV(O_SRC_TYPE), d->src);
	if (m->has & (1u << O_DST_TYPE))
		addrtype_xlate_one(x->b, "daddr", d->iface,
				   m->inv & MR_MINV(O_DST_TYPE), d->dst);
	return true;
}

const struct mr_xt xt_addrtype = {
	.name = "addrtype",
	.kind = MR_M_ADDRTYPE,
	.size = sizeof(struct mr_m_addrtype),
	.opts = addrtype_opts,
	.parse = addrtype_parse,
	.check = addrtype_check,
	.save = addrtype_save,
	.xlate = addrtype_xlate,
};
