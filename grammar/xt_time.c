/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The time match: date range, time of day, days of the month and of the
 * week (nft "meta time", "meta hour", "meta day").  Dates are UTC; the
 * calendar arithmetic is done here so results do not depend on the
 * machine's timezone.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xt_ext.h"

enum {
	O_DATESTART, O_DATESTOP, O_TIMESTART, O_TIMESTOP, O_MONTHDAYS,
	O_WEEKDAYS, O_KERNELTZ, O_LOCALTZ, O_UTC, O_CONTIGUOUS,
};

static const struct mr_optdef time_opts[] = {
	{ "datestart", 0, MR_A1, 0, O_DATESTART },
	{ "datestop", 0, MR_A1, 0, O_DATESTOP },
	{ "timestart", 0, MR_A1, 0, O_TIMESTART },
	{ "timestop", 0, MR_A1, 0, O_TIMESTOP },
	{ "monthdays", 0, MR_A1, MR_OF_INV, O_MONTHDAYS },
	{ "weekdays", 0, MR_A1, MR_OF_INV, O_WEEKDAYS },
	{ "kerneltz", 0, MR_A0, 0, O_KERNELTZ },
	{ "localtz", 0, MR_A0, 0, O_LOCALTZ },
	{ "utc", 0, MR_A0, 0, O_UTC },
	{ "contiguous", 0, MR_A0, 0, O_CONTIGUOUS },
	{ 0 },
};

/* bit n of weekdays = day n; nft numbers Sunday 0 */
static const char *const week_days[] = {
	NULL, "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun",
};

#define DAY_SECONDS 86400u
#define TIME_MAX_DATE 0x7fffffffu

static void time_init(struct mr_xctx *x)
{
	struct mr_m_time *d = MR_MDATA(x->match, struct mr_m_time);

	d->date_stop = TIME_MAX_DATE;
	d->daytime_stop = DAY_SECONDS - 1;
	d->monthdays = MR_TIME_ALL_MONTHDAYS;
	d->weekdays = MR_TIME_ALL_WEEKDAYS;
}

/* days since 1970-01-01 of a proleptic Gregorian date (day may overflow) */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Next number of a date/time word; *s advanced past it and one separator. */
static bool time_field(const char **s, char sep, unsigned max, unsigned *out)
{
	char *end;
	unsigned long v;

	if (**s < '0' || **s > '9')
		return false;
	v = strtoul(*s, &end, 10);
	if (v > max)
		return false;
	*out = (unsigned)v;
	*s = end;
	if (**s == sep && sep)
		(*s)++;
	else if (**s)
		return false;
	return true;
}

/* YYYY[-MM[-DD[Thh[:mm[:ss]]]]], UTC */
static bool time_parse_date(const char *s, uint32_t *out)
{
	unsigned v[6] = { 0, 1, 1, 0, 0, 0 };
	static const char seps[] = { '-', '-', 'T', ':', ':', 0 };
	static const unsigned max[] = { 9999, 12, 31, 23, 59, 59 };
	int64_t t;

	for (unsigned i = 0; i < 6 && *s; i++)
		if (!time_field(&s, seps[i], max[i], &v[i]))
			return false;
	if (*s || v[0] < 1970 || v[1] < 1 || v[2] < 1)
		return false;
	/* "2021-02-30" is 2021-03-02, as mktime would have it */
	t = days_from_civil(v[0], v[1], 1) + v[2] - 1;
	t = t * DAY_SECONDS + v[3] * 3600 + v[4] * 60 + v[5];
	if (t < 0 || t > TIME_MAX_DATE)
		return false;
	*out = (uint32_t)t;
	return true;
}

/* hh:mm[:ss] */
static bool time_parse_daytime(const char *s, uint32_t *out)
{
	unsigned h, m, sec = 0;

	if (!time_field(&s, ':', 23, &h) || !*s ||
	    !time_field(&s, ':', 59, &m) || (*s && !time_field(&s, 0, 59, &sec)))
		return false;
	*out = h * 3600 + m * 60 + sec;
	return true;
}

static int time_days(struct mr_xctx *x, const struct mr_word *w, bool week,
		     uint32_t *out)
{
	char *list = ir_strdup(w->text), *save = NULL;
	int rc = 0;

	*out = 0;
	for (char *t = strtok_r(list, ",", &save); t && !rc; t = strtok_r(NULL, ",", &save)) {
		uint64_t n = 0;
		bool num = xe_strtou(t, 31, &n);

		if (week && !num) {
			/* iptables reads a day by its first two letters */
			for (unsigned i = 1; i <= 7; i++)
				if (strlen(t) >= 2 && !strncmp(t, week_days[i], 2))
					n = i;
			num = n != 0;
		}
		if (week && num && n == 0)
			rc = erec_param(x->errs, &w->loc, "No, the week does NOT begin with Sunday");
		else if (!num || n == 0 || n > (week ? 7u : 31u))
			rc = week ? erec_param(x->errs, &w->loc, "%s is not a valid day specifier", t)
				  : erec_param(x->errs, &w->loc, "%s is not a valid day for --monthdays", t);
		else
			*out |= 1u << n;
	}
	free(list);
	return rc;
}

static int time_parse_when(struct mr_xctx *x, const struct mr_popt *o,
			   struct mr_m_time *d)
{
	const struct mr_word *w = &o->args[0];
	uint32_t *dst[] = {
		[O_DATESTART] = &d->date_start, [O_DATESTOP] = &d->date_stop,
		[O_TIMESTART] = &d->daytime_start, [O_TIMESTOP] = &d->daytime_stop,
	};
	bool date = o->def->id <= O_DATESTOP;

	if (date ? time_parse_date(w->text, dst[o->def->id])
		 : time_parse_daytime(w->text, dst[o->def->id]))
		return 0;
	if (date)
		return erec_param(x->errs, &w->loc,
				  "Invalid date \"%s\" specified. Should be YYYY[-MM[-DD[Thh[:mm[:ss]]]]]",
				  w->text);
	return erec_param(x->errs, &w->loc,
			  "invalid time \"%s\" specified, should be hh:mm[:ss] format and within the boundaries",
			  w->text);
}

static int time_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_m_time *d = MR_MDATA(x->match, struct mr_m_time);
	uint32_t days;

	if (xe_begin(x, o, "time", &x->match->has))
		return -1;
	switch (o->def->id) {
	case O_MONTHDAYS:
	case O_WEEKDAYS:
		if (time_days(x, &o->args[0], o->def->id == O_WEEKDAYS, &days))
			return -1;
		if (o->def->id == O_WEEKDAYS)
			d->weekdays = (uint8_t)(popt_neg(o) ? ~days & MR_TIME_ALL_WEEKDAYS : days);
		else
			d->monthdays = popt_neg(o) ? ~days & MR_TIME_ALL_MONTHDAYS : days;
		return 0;
	case O_LOCALTZ:
		erec_add(x->errs, EREC_WARNING, 0, &o->loc,
			 "--localtz is being replaced by --kerneltz, since \"local\" is ambiguous. Note the kernel timezone has caveats - see manpage for details");
		/* fall through */
	case O_KERNELTZ:
		d->kerneltz = true;
		return 0;
	case O_UTC:
		d->kerneltz = false;
		return 0;
	case O_CONTIGUOUS:
		d->contiguous = true;
		return 0;
	}
	return time_parse_when(x, o, d);
}

static void time_fmt_date(struct mr_buf *b, uint32_t t, char sep)
{
	unsigned m, d, s = t % DAY_SECONDS;
	int y;

	civil_from_days(t / DAY_SECONDS, &y, &m, &d);
	buf_printf(b, "%04d-%02u-%02u%c%02u:%02u:%02u", y, m, d, sep, s / 3600,
		   s / 60 % 60, s % 60);
}

static void time_fmt_daytime(struct mr_buf *b, uint32_t s)
{
	buf_printf(b, "%02u:%02u:%02u", s / 3600, s / 60 % 60, s % 60);
}

static bool time_default_daytime(const struct mr_m_time *d)
{
	return d->daytime_start == 0 && d->daytime_stop == DAY_SECONDS - 1;
}

static void time_save_days(struct mr_buf *b, const struct mr_m_time *d)
{
	char sep = ' ';

	if (d->monthdays != MR_TIME_ALL_MONTHDAYS) {
		buf_add(b, " --monthdays");
		for (unsigned i = 1; i <= 31; i++)
			if (d->monthdays & (1u << i)) {
				buf_printf(b, "%c%u", sep, i);
				sep = ',';
			}
	}
	sep = ' ';
	if (d->weekdays != MR_TIME_ALL_WEEKDAYS) {
		buf_add(b, " --weekdays");
		for (unsigned i = 1; i <= 7; i++)
			if (d->weekdays & (1u << i)) {
				buf_printf(b, "%c%s", sep, week_days[i]);
				sep = ',';
			}
	}
}

/* iptables 1.8.9 always prints --datestop, even the default one */
static void time_save(struct mr_buf *b, const struct mr_rule *r,
		      const struct mr_match *m)
{
	const struct mr_m_time *d = MR_MDATA(m, struct mr_m_time);

	if (!time_default_daytime(d)) {
		buf_add(b, " --timestart ");
		time_fmt_daytime(b, d->daytime_start);
		buf_add(b, " --timestop ");
		time_fmt_daytime(b, d->daytime_stop);
	}
	time_save_days(b, d);
	if (d->date_start) {
		buf_add(b, " --datestart ");
		time_fmt_date(b, d->date_start, 'T');
	}
	buf_add(b, " --datestop ");
	time_fmt_date(b, d->date_stop, 'T');
	if (d->kerneltz)
		buf_add(b, " --kerneltz");
	if (d->contiguous)
		buf_add(b, " --contiguous");
}

/* "meta day 6" or "meta day { 1, 2, 3 }", Monday first, Sunday as 0 */
static void time_xlate_days(struct mr_buf *b, uint8_t days)
{
	int n = __builtin_popcount(days);
	const char *sep = "";

	buf_add(b, n > 1 ? "meta day { " : "meta day ");
	for (unsigned i = 1; i <= 7; i++)
		if (days & (1u << i)) {
			buf_printf(b, "%s%u", sep, i % 7);
			sep = ", ";
		}
	buf_add(b, n > 1 ? " } " : " ");
}

static bool time_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_m_time *d = MR_MDATA(m, struct mr_m_time);

	/* nft has no day-of-month test; an empty day set none either */
	if (d->monthdays != MR_TIME_ALL_MONTHDAYS || !d->weekdays)
		return false;
	if (d->date_start != 0 || d->date_stop != TIME_MAX_DATE) {
		buf_add(x->b, "meta time \"");
		time_fmt_date(x->b, d->date_start, ' ');
		buf_add(x->b, "\"-\"");
		time_fmt_date(x->b, d->date_stop, ' ');
		buf_add(x->b, "\" ");
	}
	if (!time_default_daytime(d)) {
		buf_add(x->b, "meta hour \"");
		time_fmt_daytime(x->b, d->daytime_start);
		buf_add(x->b, "\"-\"");
		time_fmt_daytime(x->b, d->daytime_stop);
		buf_add(x->b, "\" ");
	}
	if (d->weekdays != MR_TIME_ALL_WEEKDAYS)
		time_xlate_days(x->b, d->weekdays);
	return true;
}

const struct mr_xt xt_time = {
	.name = "time",
	.kind = MR_M_TIME,
	.size = sizeof(struct mr_m_time),
	.opts = time_opts,
	.init = time_init,
	.parse = time_parse,
	.save = time_save,
	.xlate = time_xlate,
};
