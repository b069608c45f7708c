/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The statistic match: random sampling or every nth packet. */
#include <stdlib.h>

#include "xt_ext.h"

enum { O_MODE, O_PROBABILITY, O_EVERY, O_PACKET };

static const struct mr_optdef statistic_opts[] = {
	{ "mode", 0, MR_A1, 0, O_MODE },
	{ "probability", 0, MR_A1, MR_OF_INV, O_PROBABILITY },
	{ "every", 0, MR_A1, MR_OF_INV, O_EVERY },
	{ "packet", 0, MR_A1, 0, O_PACKET },
	{ 0 },
};

static const char *const stat_modes[] = { "random", "nth", NULL };

/* the kernel compares a random 31-bit number with prob */
#define STAT_ONE 0x80000000u

/*
 * lround() of 0 <= x <= 2^31 without libm: linking libm for this one
 * call mapped ~320 KiB more into every masqrule process (its IFUNC
 * resolvers touch its text at start-up).  x is exact (p times a power
 * of two) and below 2^53, so its integer part and fraction are too.
 */
static uint32_t stat_round(double x)
{
	uint64_t i = (uint64_t)x;

	return (uint32_t)(x - (double)i >= 0.5 ? i + 1 : i);
}

static int stat_probability(struct mr_xctx *x, const struct mr_word *w,
			    struct mr_m_statistic *d)
{
	char *end;
	double p = strtod(w->text, &end);

	if (end == w->text || *end || !(p >= 0.0 && p <= 1.0))
		return erec_param(x->errs, &w->loc,
				  "statistic: bad value for option \"--probability\", or out of range (0-1)");
	d->prob = stat_round(p * STAT_ONE);
	return 0;
}

static int statistic_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_m_statistic *d = MR_MDATA(x->match, struct mr_m_statistic);
	const struct mr_word *w = &o->args[0];
	uint64_t v;
	int i;

	if (xe_begin(x, o, "statistic", &x->match->has))
		return -1;
	if (popt_neg(o))
		x->match->inv |= MR_MINV(0);
	switch (o->def->id) {
	case O_MODE:
		i = xe_lookup(stat_modes, w->text);
		if (i < 0)
			return erec_param(x->errs, &w->loc, "Bad mode \"%s\"", w->text);
		d->mode = (uint8_t)i;
		return 0;
	case O_PROBABILITY:
		return stat_probability(x, w, d);
	case O_EVERY:
		if (xe_uint(x, o, w, "statistic", 1, 0xffffffffu, &v))
			return -1;
		d->every = (uint32_t)v;
		return 0;
	case O_PACKET:
		if (xe_uint(x, o, w, "statistic", 0, 0xffffffffu, &v))
			return -1;
		d->packet = (uint32_t)v;
		return 0;
	}
	return 0;
}

static int statistic_check(struct mr_xctx *x)
{
	const struct mr_m_statistic *d = MR_MDATA(x->match, struct mr_m_statistic);
	uint16_t has = x->match->has;

	/* in iptables' order: mode needs, packet range, then --every's partner */
	if (d->mode == MR_STAT_RANDOM && !(has & (1u << O_PROBABILITY)))
		return xe_check_err(x, "--probability must be specified when using random mode");
	if (d->mode == MR_STAT_NTH && !(has & ((1u << O_EVERY) | (1u << O_PACKET))))
		return xe_check_err(x, "--every and --packet must be specified when using nth mode");
	if (d->mode == MR_STAT_NTH && (has & (1u << O_PACKET)) &&
	    (!d->every || d->packet > d->every - 1))
		return xe_check_err(x, "the --packet p must be 0 <= p <= n-1");
	if ((has & (1u << O_EVERY)) && !(has & (1u << O_PACKET)))
		return xe_check_err(x, "statistic: option \"--every\" also requires \"--packet\"");
	return 0;
}

static void statistic_save(struct mr_buf *b, const struct mr_rule *r,
			   const struct mr_match *m)
{
	const struct mr_m_statistic *d = MR_MDATA(m, struct mr_m_statistic);
	bool inv = m->inv & MR_MINV(0);

	if (d->mode == MR_STAT_RANDOM) {
		buf_add(b, " --mode random");
		xe_save_inv(b, inv);
		buf_printf(b, " --probability %.11f", (double)d->prob / STAT_ONE);
	} else {
		buf_add(b, " --mode nth");
		xe_save_inv(b, inv);
		buf_printf(b, " --every %u --packet %u", d->every, d->packet);
	}
}

static bool statistic_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_m_statistic *d = MR_MDATA(m, struct mr_m_statistic);
	bool inv = m->inv & MR_MINV(0);

	if (d->mode == MR_STAT_RANDOM)
		buf_printf(x->b, "meta random & %u %s %u ", STAT_ONE - 1,
			   inv ? ">=" : "<", d->prob);
	else
		buf_printf(x->b, "numgen inc mod %u %s%u ", d->every,
			   inv ? "!= " : "", d->packet);
	return true;
}

const struct mr_xt xt_statistic = {
	.name = "statistic",
	.kind = MR_M_STATISTIC,
	.size = sizeof(struct mr_m_statistic),
	.opts = statistic_opts,
	.parse = statistic_parse,
	.check = statistic_check,
	.save = statistic_save,
	.xlate = statistic_xlate,
};
