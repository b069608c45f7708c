/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The connlimit match: number of connections per address (or prefix).
 * Its nft form counts in a dynamic set that must be declared before the
 * rule; xt_ext_nft_prelude() prints those declarations.
 */
#include <arpa/inet.h>
#include <sys/socket.h>

#include "xt_ext.h"

enum { O_UPTO, O_ABOVE, O_MASK, O_SADDR, O_DADDR };

static const struct mr_optdef connlimit_opts[] = {
	{ "connlimit-upto", 0, MR_A1, MR_OF_INV, O_UPTO },
	{ "connlimit-above", 0, MR_A1, MR_OF_INV, O_ABOVE },
	{ "connlimit-mask", 0, MR_A1, 0, O_MASK },
	{ "connlimit-saddr", 0, MR_A0, 0, O_SADDR },
	{ "connlimit-daddr", 0, MR_A0, 0, O_DADDR },
	{ 0 },
};

static unsigned connlimit_maxlen(uint8_t family)
{
	return family == MR_FAM_IP6 ? 128 : 32;
}

static void connlimit_init(struct mr_xctx *x)
{
	struct mr_m_connlimit *d = MR_MDATA(x->match, struct mr_m_connlimit);

	d->mask_len = (uint8_t)connlimit_maxlen(x->family);
}

/* the other option of the pairs upto/above and saddr/daddr */
static int connlimit_pair(unsigned id)
{
	switch (id) {
	case O_UPTO: return O_ABOVE;
	case O_ABOVE: return O_UPTO;
	case O_SADDR: return O_DADDR;
	case O_DADDR: return O_SADDR;
	}
	return -1;
}

static int connlimit_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_m_connlimit *d = MR_MDATA(x->match, struct mr_m_connlimit);
	int other = connlimit_pair(o->def->id);
	uint64_t v;

	if (other >= 0 && (x->match->has & (1u << other)))
		return xe_conflict(x, o, "connlimit", xe_def(connlimit_opts, (unsigned)other));
	if (xe_begin(x, o, "connlimit", &x->match->has))
		return -1;
	switch (o->def->id) {
	case O_UPTO:
	case O_ABOVE:
		if (xe_uint(x, o, &o->args[0], "connlimit", 0, 0xffffffffu, &v))
			return -1;
		d->limit = (uint32_t)v;
		/* "! --connlimit-above n" is "--connlimit-upto n" */
		d->above = (o->def->id == O_ABOVE) != popt_neg(o);
		break;
	case O_MASK:
		if (xe_uint(x, o, &o->args[0], "connlimit", 0,
			    connlimit_maxlen(x->family), &v))
			return -1;
		d->mask_len = (uint8_t)v;
		break;
	case O_SADDR:
	case O_DADDR:
		d->daddr = o->def->id == O_DADDR;
		break;
	}
	return 0;
}

static int connlimit_check(struct mr_xctx *x)
{
	if (!(x->match->has & ((1u << O_UPTO) | (1u << O_ABOVE))))
		return xe_check_err(x, "You must specify \"--connlimit-above\" or \"--connlimit-upto\"");
	return 0;
}

static void connlimit_save(struct mr_buf *b, const struct mr_rule *r,
			   const struct mr_match *m)
{
	const struct mr_m_connlimit *d = MR_MDATA(m, struct mr_m_connlimit);

	buf_printf(b, " --connlimit-%s %u --connlimit-mask %u --connlimit-%s",
		   d->above ? "above" : "upto", d->limit, d->mask_len,
		   d->daddr ? "daddr" : "saddr");
}

/* first set number of the rule being printed (set by the prelude) */
static unsigned connlimit_base;

unsigned xt_ext_nft_prelude(struct mr_buf *b, const struct mr_rule *r,
			    const char *family, const char *table,
			    unsigned *seq)
{
	unsigned lines = 0;

	connlimit_base = *seq;
	for (const struct mr_match *m = r->matches; m; m = m->next) {
		if (m->kind != MR_M_CONNLIMIT)
			continue;
		/* iptables-translate 1.8.9 says ipv4_addr for ip6 too; nft
		 * needs ipv6_addr there */
		buf_printf(b, "add set %s %s connlimit%u { type %s; flags dynamic; }\n",
			   family, table, (*seq)++,
			   r->family == MR_FAM_IP6 ? "ipv6_addr" : "ipv4_addr");
		lines++;
	}
	return lines;
}

/* "and 255.255.255.0" / "and ffff:ffff::" when the key is a prefix */
static void connlimit_xlate_mask(struct mr_buf *b, uint8_t family, unsigned len)
{
	uint8_t mask[16] = { 0 };
	char text[INET6_ADDRSTRLEN];

	if (len >= connlimit_maxlen(family))
		return;
	for (unsigned i = 0; i < len; i++)
		mask[i / 8] |= (uint8_t)(0x80 >> (i % 8));
	inet_ntop(family == MR_FAM_IP6 ? AF_INET6 : AF_INET, mask, text, sizeof(text));
	buf_printf(b, " and %s", text);
}

static bool connlimit_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_m_connlimit *d = MR_MDATA(m, struct mr_m_connlimit);
	unsigned k = 0;

	/* this match's set: the rule's connlimit matches are numbered in order */
	for (const struct mr_match *p = x->rule->matches; p && p != m; p = p->next)
		if (p->kind == MR_M_CONNLIMIT)
			k++;
	buf_printf(x->b, "add @connlimit%u { %s %s", connlimit_base + k,
		   xe_nfproto(x->family), d->daddr ? "daddr" : "saddr");
	connlimit_xlate_mask(x->b, x->family, d->mask_len);
	buf_printf(x->b, " ct count %s%u } ", d->above ? "over " : "", d->limit);
	return true;
}

const struct mr_xt xt_connlimit = {
	.name = "connlimit",
	.kind = MR_M_CONNLIMIT,
	.size = sizeof(struct mr_m_connlimit),
	.opts = connlimit_opts,
	.init = connlimit_init,
	.parse = connlimit_parse,
	.check = connlimit_check,
	.save = connlimit_save,
	.xlate = connlimit_xlate,
};
