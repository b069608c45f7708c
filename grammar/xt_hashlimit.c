/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The hashlimit match: a token bucket per flow key (nft "meter").  Rates
 * are kept in iptables' own encoding (see ir_ext.h) because save must
 * print them back as iptables rounds them ("100b/s" saves as "96b/s").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xt_ext.h"

enum {
	O_UPTO, O_ABOVE, O_SRCMASK, O_DSTMASK, O_BURST, O_SIZE, O_MAX,
	O_GCINT, O_EXPIRE, O_MODE, O_NAME, O_RATEMATCH, O_INTERVAL,
};

static const struct mr_optdef hashlimit_opts[] = {
	{ "hashlimit-upto", 0, MR_A1, MR_OF_INV, O_UPTO },
	{ "hashlimit-above", 0, MR_A1, MR_OF_INV, O_ABOVE },
	{ "hashlimit", 0, MR_A1, MR_OF_INV, O_UPTO },	/* old name */
	{ "hashlimit-srcmask", 0, MR_A1, 0, O_SRCMASK },
	{ "hashlimit-dstmask", 0, MR_A1, 0, O_DSTMASK },
	{ "hashlimit-burst", 0, MR_A1, 0, O_BURST },
	{ "hashlimit-htable-size", 0, MR_A1, 0, O_SIZE },
	{ "hashlimit-htable-max", 0, MR_A1, 0, O_MAX },
	{ "hashlimit-htable-gcinterval", 0, MR_A1, 0, O_GCINT },
	{ "hashlimit-htable-expire", 0, MR_A1, 0, O_EXPIRE },
	{ "hashlimit-mode", 0, MR_A1, 0, O_MODE },
	{ "hashlimit-name", 0, MR_A1, 0, O_NAME },
	{ "hashlimit-rate-match", 0, MR_A0, 0, O_RATEMATCH },
	{ "hashlimit-rate-interval", 0, MR_A1, 0, O_INTERVAL },
	{ 0 },
};

#define HL_SCALE 1000000ull		/* avg of one packet per second */
#define HL_BURST_DEFAULT 5
#define HL_BURST_MAX 1000000ull
#define HL_GC_DEFAULT 1000		/* ms */
#define HL_BYTE_SHIFT 4
#define HL_BYTE_EXPIRE 15		/* s, byte mode */
#define HL_BYTE_EXPIRE_BURST 60		/* s, byte mode with a burst */

struct hl_unit {
	const char *save, *nft, *in;	/* "min", "minute", accepted prefix */
	uint64_t seconds;
};

/* largest first: printing picks the largest unit that is exact enough */
static const struct hl_unit hl_units[] = {
	{ "day", "day", "day", 86400 },
	{ "hour", "hour", "hour", 3600 },
	{ "min", "minute", "minute", 60 },
	{ "sec", "second", "second", 1 },
};

struct hl_bunit {
	const char *name;
	uint64_t size;
};
static const struct hl_bunit hl_bunits[] = {
	{ "m", 1024 * 1024 }, { "k", 1024 }, { "", 1 },
};

static uint64_t hl_bytes_to_cost(uint64_t bytes)
{
	uint32_t r = (uint32_t)(bytes >> HL_BYTE_SHIFT);

	return 0xffffffffull / ((uint64_t)r + 1);
}

static uint64_t hl_cost_to_bytes(uint64_t cost)
{
	uint64_t r = cost ? 0xffffffffull / cost : 0xffffffffull;

	return (r - 1) << HL_BYTE_SHIFT;
}

/* the leading decimal digits, as atoll reads them; 0 if none */
static uint64_t hl_lead(const char *s, const char **end)
{
	uint64_t v = 0;

	while (*s >= '0' && *s <= '9')
		v = v * 10 + (uint64_t)(*s++ - '0');
	if (end)
		*end = s;
	return v;
}

/* "20kb/s": bytes per second; false if the word is not of that form */
static bool hl_parse_bytes(struct mr_m_hashlimit *d, const char *s)
{
	const char *bs = strstr(s, "b/s");
	uint64_t r, factor = 1;

	if (!bs || bs == s)
		return false;
	r = hl_lead(s, NULL);
	if (r == 0)
		return false;
	if (bs[-1] == 'm')
		factor = 1024 * 1024;
	else if (bs[-1] == 'k')
		factor = 1024;
	d->avg = hl_bytes_to_cost(r * factor);
	d->bytes = true;
	d->unit_s = 1;
	return d->avg != 0;
}

/* "10", "10/min", "3/h": packets per unit */
static bool hl_parse_rate(struct mr_m_hashlimit *d, const char *s)
{
	const char *slash = strchr(s, '/');
	uint64_t r, unit = 1;

	if (slash) {
		size_t n = strlen(slash + 1);
		unsigned i;

		if (n == 0)
			return false;
		for (i = 0; i < 4; i++)
			if (!strncasecmp(slash + 1, hl_units[i].in, n))
				break;
		if (i == 4)
			return false;
		unit = hl_units[i].seconds;
	}
	r = hl_lead(s, NULL);
	if (r == 0)
		return false;
	d->avg = HL_SCALE * unit / r;
	d->bytes = false;
	d->unit_s = (uint32_t)unit;
	return true;
}

static int hl_rate(struct mr_xctx *x, const struct mr_popt *o,
		   struct mr_m_hashlimit *d)
{
	const struct mr_word *w = &o->args[0];

	/* above, unless negated: "! --hashlimit-above" is "--hashlimit-upto" */
	d->above = (o->def->id == O_ABOVE) != popt_neg(o);
	if (!hl_parse_bytes(d, w->text)) {
		if (strstr(w->text, "b/s") && hl_lead(w->text, NULL))
			return erec_param(x->errs, &w->loc, "Rate too high \"%s\"", w->text);
		if (!hl_parse_rate(d, w->text))
			return erec_param(x->errs, &w->loc,
					  "hashlimit: Bad value for \"--hashlimit-%s\" option: \"%s\"",
					  o->def->id == O_ABOVE ? "above" : "upto", w->text);
		if (d->avg == 0)
			return erec_param(x->errs, &w->loc, "Rate too fast \"%s\"", w->text);
	}
	return 0;
}

/* "5", "10k", "1mb": a count, or bytes in byte mode (checked later) */
static int hl_burst(struct mr_xctx *x, const struct mr_word *w,
		    struct mr_m_hashlimit *d)
{
	const char *end;
	uint64_t v = hl_lead(w->text, &end);

	if (end == w->text || v == 0 || (*end == '\0' && v > HL_BURST_MAX))
		return erec_param(x->errs, &w->loc,
				  "bad value for option \"--hashlimit-burst\", or out of range (1-%llu)",
				  HL_BURST_MAX);
	if (*end == 'm')
		v *= 1024 * 1024;
	else if (*end == 'k')
		v *= 1024;
	d->burst = v;
	return 0;
}

static int hl_mode(struct mr_xctx *x, const struct mr_word *w,
		   struct mr_m_hashlimit *d)
{
	static const char *const names[] = {
		"dstip", "dstport", "srcip", "srcport", NULL,	/* MR_HASHL_* bits */
	};
	char *list = ir_strdup(w->text), *save = NULL;
	int rc = 0;

	for (char *t = strtok_r(list, ",|", &save); t; t = strtok_r(NULL, ",|", &save)) {
		int i;

		for (i = 0; names[i] && strcmp(names[i], t); i++)
			;
		if (!names[i]) {
			rc = erec_param(x->errs, &w->loc,
					"hashlimit: Bad value for \"--hashlimit-mode\" option: \"%s\"",
					w->text);
			break;
		}
		d->mode |= (uint8_t)(1u << i);
	}
	free(list);
	return rc;
}

static int hl_name(struct mr_xctx *x, const struct mr_word *w,
		   struct mr_m_hashlimit *d)
{
	size_t n = strlen(w->text);

	if (n == 0 || n >= sizeof(d->name))
		return erec_param(x->errs, &w->loc,
				  "hashlimit: name must be 1 to %zu characters",
				  sizeof(d->name) - 1);
	memcpy(d->name, w->text, n + 1);
	return 0;
}

static unsigned hl_maxlen(uint8_t family)
{
	return family == MR_FAM_IP6 ? 128 : 32;
}

static void hashlimit_init(struct mr_xctx *x)
{
	struct mr_m_hashlimit *d = MR_MDATA(x->match, struct mr_m_hashlimit);

	d->burst = HL_BURST_DEFAULT;
	d->gc_interval = HL_GC_DEFAULT;
	d->srcmask = d->dstmask = (uint8_t)hl_maxlen(x->family);
}

/* the numeric options: value range and where it goes */
static int hl_number(struct mr_xctx *x, const struct mr_popt *o,
		     struct mr_m_hashlimit *d)
{
	bool mask = o->def->id == O_SRCMASK || o->def->id == O_DSTMASK;
	uint64_t v;

	if (o->def->id == O_INTERVAL) {
		int n = atoi(o->args[0].text);

		if (n <= 0)
			return erec_param(x->errs, &o->args[0].loc,
					  "hashlimit: Bad value for \"--hashlimit-rate-interval\" option: \"%s\"",
					  o->args[0].text);
		d->interval = (uint32_t)n;
		return 0;
	}
	if (xe_uint(x, o, &o->args[0], "hashlimit", 0,
		    mask ? hl_maxlen(x->family) : 0xffffffffu, &v))
		return -1;
	switch (o->def->id) {
	case O_SRCMASK: d->srcmask = (uint8_t)v; break;
	case O_DSTMASK: d->dstmask = (uint8_t)v; break;
	case O_SIZE: d->size = (uint32_t)v; break;
	case O_MAX: d->max = (uint32_t)v; break;
	case O_GCINT: d->gc_interval = (uint32_t)v; break;
	case O_EXPIRE: d->expire = (uint32_t)v; break;
	}
	return 0;
}

static int hashlimit_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_m_hashlimit *d = MR_MDATA(x->match, struct mr_m_hashlimit);
	unsigned id = o->def->id;

	if (id == O_UPTO && (x->match->has & (1u << O_ABOVE)))
		return xe_conflict(x, o, "hashlimit", xe_def(hashlimit_opts, O_ABOVE));
	if (id == O_ABOVE && (x->match->has & (1u << O_UPTO)))
		return xe_conflict(x, o, "hashlimit", xe_def(hashlimit_opts, O_UPTO));
	if (xe_begin(x, o, "hashlimit", &x->match->has))
		return -1;
	switch (id) {
	case O_UPTO:
	case O_ABOVE:
		return hl_rate(x, o, d);
	case O_BURST:
		return hl_burst(x, &o->args[0], d);
	case O_MODE:
		return hl_mode(x, &o->args[0], d);
	case O_NAME:
		return hl_name(x, &o->args[0], d);
	case O_RATEMATCH:
		d->rate_match = true;
		return 0;
	}
	return hl_number(x, o, d);
}

/* byte mode: the burst becomes a multiple of the per-second bytes */
static int hl_check_bytes(struct mr_xctx *x, struct mr_m_hashlimit *d)
{
	uint64_t unit = hl_cost_to_bytes(d->avg), n;

	if (!(x->match->has & (1u << O_BURST))) {
		d->burst = 0;
		return 0;
	}
	if (d->burst < unit)
		return xe_check_err(x, "burst cannot be smaller than %llub",
				    (unsigned long long)unit);
	n = d->burst / unit + (d->burst % unit ? 1 : 0);
	d->burst = n;
	if (!(x->match->has & (1u << O_EXPIRE)))
		d->expire = HL_BYTE_EXPIRE_BURST * 1000;
	return 0;
}

static int hashlimit_check(struct mr_xctx *x)
{
	struct mr_m_hashlimit *d = MR_MDATA(x->match, struct mr_m_hashlimit);

	if (!(x->match->has & ((1u << O_UPTO) | (1u << O_ABOVE))))
		return xe_check_err(x, "You have to specify --hashlimit");
	if (!(x->match->has & (1u << O_NAME)))
		return xe_check_err(x, "hashlimit: option \"--hashlimit-name\" must be specified");
	if (!(x->match->has & (1u << O_EXPIRE)))
		d->expire = (d->bytes ? HL_BYTE_EXPIRE : d->unit_s) * 1000;
	if (d->bytes) {
		if (hl_check_bytes(x, d))
			return -1;
	} else if (d->burst > HL_BURST_MAX) {
		return xe_check_err(x, "bad value for option \"--hashlimit-burst\", or out of range (1-%llu)",
				    HL_BURST_MAX);
	}
	if (d->rate_match) {
		/* rate-match counts per interval: iptables rescales the rate */
		if (!d->bytes)
			d->avg /= d->unit_s;
		if (!d->interval)
			d->interval = d->bytes ? 1 : d->unit_s;
	}
	return 0;
}

/* The unit iptables prints a packet rate in (largest that is exact enough). */
static const struct hl_unit *hl_pick_unit(uint64_t avg)
{
	unsigned i;

	for (i = 1; i < 4; i++) {
		uint64_t mult = hl_units[i].seconds * HL_SCALE;

		if (avg > mult || mult / avg < mult % avg)
			break;
	}
	return &hl_units[i - 1];
}

/* The byte unit for a byte rate: the largest that still encodes avg. */
static const struct hl_bunit *hl_pick_bunit(uint64_t r, uint64_t avg, bool exact)
{
	unsigned i;

	for (i = 0; i < 2; i++)
		if (r >= hl_bunits[i].size &&
		    (!exact || hl_bytes_to_cost(r & ~(hl_bunits[i].size - 1)) == avg))
			break;
	return &hl_bunits[i];
}

/* The rate and burst; returns the expire time iptables would default to. */
static uint32_t hl_save_rate(struct mr_buf *b, const struct mr_m_hashlimit *d)
{
	const struct hl_unit *u;

	if (d->bytes) {
		uint64_t r = hl_cost_to_bytes(d->avg);
		const struct hl_bunit *bu = hl_pick_bunit(r, d->avg, true);

		buf_printf(b, " %llu%sb/s", (unsigned long long)(r / bu->size), bu->name);
		if (d->burst == 0)
			return HL_BYTE_EXPIRE * 1000;
		r *= d->burst;
		bu = hl_pick_bunit(r, 0, false);
		buf_printf(b, " --hashlimit-burst %llu%sb",
			   (unsigned long long)(r / bu->size), bu->name);
		return HL_BYTE_EXPIRE_BURST * 1000;
	}
	u = hl_pick_unit(d->avg);
	buf_printf(b, " %llu/%s --hashlimit-burst %llu",
		   (unsigned long long)(u->seconds * HL_SCALE / d->avg), u->save,
		   (unsigned long long)d->burst);
	return (uint32_t)(u->seconds * 1000);
}

static void hl_save_mode(struct mr_buf *b, uint8_t mode)
{
	/* iptables-save's order differs from the bit order */
	static const struct { uint8_t bit; const char *name; } order[] = {
		{ MR_HASHL_SRCIP, "srcip" }, { MR_HASHL_SRCPORT, "srcport" },
		{ MR_HASHL_DSTIP, "dstip" }, { MR_HASHL_DSTPORT, "dstport" },
	};
	char sep = ' ';

	buf_add(b, " --hashlimit-mode");
	for (unsigned i = 0; i < 4; i++)
		if (mode & order[i].bit) {
			buf_printf(b, "%c%s", sep, order[i].name);
			sep = ',';
		}
}

static void hashlimit_save(struct mr_buf *b, const struct mr_rule *r,
			   const struct mr_match *m)
{
	const struct mr_m_hashlimit *d = MR_MDATA(m, struct mr_m_hashlimit);
	unsigned dmask = hl_maxlen(r->family);
	uint32_t quantum;

	buf_add(b, d->above ? " --hashlimit-above" : " --hashlimit-upto");
	quantum = hl_save_rate(b, d);
	if (d->mode)
		hl_save_mode(b, d->mode);
	buf_printf(b, " --hashlimit-name %s", d->name);
	if (d->size)
		buf_printf(b, " --hashlimit-htable-size %u", d->size);
	if (d->max)
		buf_printf(b, " --hashlimit-htable-max %u", d->max);
	if (d->gc_interval != HL_GC_DEFAULT)
		buf_printf(b, " --hashlimit-htable-gcinterval %u", d->gc_interval);
	if (d->expire != quantum)
		buf_printf(b, " --hashlimit-htable-expire %u", d->expire);
	if (d->srcmask != dmask)
		buf_printf(b, " --hashlimit-srcmask %u", d->srcmask);
	if (d->dstmask != dmask)
		buf_printf(b, " --hashlimit-dstmask %u", d->dstmask);
	if (d->rate_match) {
		buf_add(b, " --hashlimit-rate-match");
		if (d->interval != 1)
			buf_printf(b, " --hashlimit-rate-interval %u", d->interval);
	}
}

/* " and 255.255.255.0" / " and ffff:ffff:...:0000" (all 8 groups) */
static void hl_xlate_mask(struct mr_buf *b, uint8_t family, unsigned len)
{
	unsigned groups = family == MR_FAM_IP6 ? 8 : 4;
	unsigned bits = family == MR_FAM_IP6 ? 16 : 8;

	buf_add(b, " and ");
	for (unsigned g = 0; g < groups; g++) {
		unsigned v = 0;

		for (unsigned i = 0; i < bits; i++) {
			v <<= 1;
			if (len) {
				v |= 1;
				len--;
			}
		}
		if (family == MR_FAM_IP6)
			buf_printf(b, "%s%04x", g ? ":" : "", v);
		else
			buf_printf(b, "%s%u", g ? "." : "", v);
	}
}

/* the flow key: fields in bit order, joined by " . " */
static void hl_xlate_key(struct mr_buf *b, const struct mr_m_hashlimit *d,
			 uint8_t family)
{
	const char *ip = xe_nfproto(family);
	unsigned max = hl_maxlen(family);
	const char *sep = " ";

	for (unsigned bit = 1; bit <= MR_HASHL_SRCPORT; bit <<= 1) {
		if (!(d->mode & bit))
			continue;
		buf_add(b, sep);
		sep = " . ";
		switch (bit) {
		case MR_HASHL_DSTIP:
			buf_printf(b, "%s daddr", ip);
			if (d->dstmask != max)
				hl_xlate_mask(b, family, d->dstmask);
			break;
		case MR_HASHL_DSTPORT:
			buf_add(b, "tcp dport");
			break;
		case MR_HASHL_SRCIP:
			buf_printf(b, "%s saddr", ip);
			if (d->srcmask != max)
				hl_xlate_mask(b, family, d->srcmask);
			break;
		case MR_HASHL_SRCPORT:
			buf_add(b, "tcp sport");
			break;
		}
	}
}

static void hl_xlate_rate(struct mr_buf *b, const struct mr_m_hashlimit *d)
{
	const struct hl_unit *u;

	if (d->bytes) {
		uint64_t r = hl_cost_to_bytes(d->avg);
		const struct hl_bunit *bu = hl_pick_bunit(r, d->avg, true);

		buf_printf(b, " %llu %sbytes/second",
			   (unsigned long long)(r / bu->size), bu->name);
		if (d->burst) {
			r *= d->burst;
			bu = hl_pick_bunit(r, 0, false);
			buf_printf(b, " burst %llu %sbytes",
				   (unsigned long long)(r / bu->size), bu->name);
		}
		return;
	}
	u = hl_pick_unit(d->avg);
	buf_printf(b, " %llu/%s", (unsigned long long)(u->seconds * HL_SCALE / d->avg),
		   u->nft);
	if (d->burst != HL_BURST_DEFAULT)
		buf_printf(b, " burst %llu packets", (unsigned long long)d->burst);
}

/*
 * "meter NAME { KEY [timeout Ns] limit rate [over] RATE [burst B] } ".
 * No key (no --hashlimit-mode) and rate-match have no nft form.
 */
static bool hashlimit_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_m_hashlimit *d = MR_MDATA(m, struct mr_m_hashlimit);

	if (!d->mode || d->rate_match)
		return false;
	buf_printf(x->b, "meter %s {", d->name);
	hl_xlate_key(x->b, d, x->family);
	if (d->expire != 1000)
		buf_printf(x->b, " timeout %us", d->expire / 1000);
	buf_printf(x->b, " limit rate%s", d->above ? " over" : "");
	hl_xlate_rate(x->b, d);
	buf_add(x->b, " } ");
	return true;
}

const struct mr_xt xt_hashlimit = {
	.name = "hashlimit",
	.kind = MR_M_HASHLIMIT,
	.size = sizeof(struct mr_m_hashlimit),
	.opts = hashlimit_opts,
	.init = hashlimit_init,
	.parse = hashlimit_parse,
	.check = hashlimit_check,
	.save = hashlimit_save,
	.xlate = hashlimit_xlate,
};
