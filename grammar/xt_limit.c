/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The limit match: --limit N[/second|/minute|/hour|/day] (default
 * 3/hour) and --limit-burst N (default 5).  The rate is kept in the
 * canonical form iptables prints (60/min reads back as 1/sec).
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include "xt_util.h"

enum { O_LIMIT, O_BURST };

static const struct mr_optdef limit_opts[] = {
	{ "limit", 0, MR_A1, 0, O_LIMIT },
	{ "limit-burst", 0, MR_A1, 0, O_BURST },
	{ NULL, 0, 0, 0, 0 },
};

#define HAS_RATE 1u
#define HAS_BURST 2u

/* The kernel counts time in 1/10000 s per packet. */
#define LIMIT_SCALE 10000ULL

struct unit {
	const char *name;	/* --limit spelling; prefixes accepted */
	const char *save;	/* iptables-save */
	const char *nft;
	uint32_t secs;
};

static const struct unit units[] = {
	[MR_LU_SECOND] = { "second", "sec", "second", 1 },
	[MR_LU_MINUTE] = { "minute", "min", "minute", 60 },
	[MR_LU_HOUR] = { "hour", "hour", "hour", 3600 },
	[MR_LU_DAY] = { "day", "day", "day", 86400 },
};

static void limit_init(struct mr_xctx *x)
{
	struct mr_m_limit *l = MR_MDATA(x->match, struct mr_m_limit);

	l->rate = 3;
	l->unit = MR_LU_HOUR;
	l->burst = 5;
}

static int find_unit(const char *s)
{
	size_t len = strlen(s);
	int i;

	for (i = MR_LU_SECOND; len && i <= MR_LU_DAY; i++)
		if (!strncasecmp(units[i].name, s, len))
			return i;
	return -1;
}

/*
 * The per-packet period is what the kernel keeps; print it back with the
 * largest unit that still shows it exactly, as iptables does.
 */
static void canonical(struct mr_m_limit *l, unsigned long long period)
{
	static const uint8_t big_first[] = {
		MR_LU_DAY, MR_LU_HOUR, MR_LU_MINUTE, MR_LU_SECOND,
	};
	unsigned long long mult;
	size_t i;

	for (i = 1; i < sizeof(big_first); i++) {
		mult = units[big_first[i]].secs * LIMIT_SCALE;
		if (period > mult || mult / period < mult % period)
			break;
	}
	l->unit = big_first[i - 1];
	l->rate = (uint32_t)(units[l->unit].secs * LIMIT_SCALE / period);
}

static int parse_rate(struct mr_xctx *x, const struct mr_word *w,
		      struct mr_m_limit *l)
{
	const char *slash = strchr(w->text, '/');
	unsigned long long period;
	unsigned long n;
	char num[16];
	size_t len = slash ? (size_t)(slash - w->text) : strlen(w->text);
	int unit = MR_LU_SECOND;

	if (len >= sizeof(num))
		goto bad;
	memcpy(num, w->text, len);
	num[len] = '\0';
	if (xt_strtoul(num, 0xffffffffUL, &n) || n == 0)
		goto bad;
	if (slash && (unit = find_unit(slash + 1)) < 0)
		goto bad;
	if (n > units[unit].secs * LIMIT_SCALE)
		return erec_param(x->errs, &w->loc, "Rate too fast \"%s\"",
				  w->text);
	period = units[unit].secs * LIMIT_SCALE / n;
	canonical(l, period);
	return 0;
bad:
	return erec_param(x->errs, &w->loc, "bad rate \"%s\"", w->text);
}

static int limit_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_m_limit *l = MR_MDATA(x->match, struct mr_m_limit);
	struct mr_match *m = x->match;
	unsigned bit = o->def->id == O_LIMIT ? HAS_RATE : HAS_BURST;
	unsigned long v;

	if (xt_once(x, o, "limit", m->has & bit) ||
	    xt_no_inv(x, o, "limit"))
		return -1;
	if (bit == HAS_RATE) {
		if (parse_rate(x, &o->args[0], l))
			return -1;
	} else {
		if (xt_parse_uint_opt(x, o, "limit", 0, 10000, &v))
			return -1;
		l->burst = (uint32_t)v;
	}
	m->has |= bit;
	return 0;
}

static const char *unit_word(uint8_t unit, bool nft)
{
	if (unit > MR_LU_DAY)
		unit = MR_LU_SECOND;
	return nft ? units[unit].nft : units[unit].save;
}

static void limit_save(struct mr_buf *b, const struct mr_rule *r,
		       const struct mr_match *m)
{
	const struct mr_m_limit *l = MR_MDATA(m, const struct mr_m_limit);

	(void)r;
	buf_printf(b, " --limit %u/%s", l->rate, unit_word(l->unit, false));
	if (l->burst != 5)
		buf_printf(b, " --limit-burst %u", l->burst);
}

static bool limit_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_m_limit *l = MR_MDATA(m, const struct mr_m_limit);

	buf_printf(x->b, "limit rate %u/%s ", l->rate,
		   unit_word(l->unit, true));
	if (l->burst)
		buf_printf(x->b, "burst %u packets ", l->burst);
	return true;
}

const struct mr_xt xt_limit = {
	.name = "limit",
	.kind = MR_M_LIMIT,
	.size = sizeof(struct mr_m_limit),
	.opts = limit_opts,
	.init = limit_init,
	.parse = limit_parse,
	.save = limit_save,
	.xlate = limit_xlate,
};
