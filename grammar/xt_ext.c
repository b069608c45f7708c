/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The extra iptables extensions: the table xt.c searches, and the small
 * helpers their parsers share (option bookkeeping, numbers, masks and
 * ranges with iptables' messages).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "erec.h"
#include "xt_ext.h"

const struct mr_xt *const xt_ext_table[] = {
	&xt_tcpmss, &xt_TCPMSS, &xt_connmark, &xt_CONNMARK, &xt_NFLOG,
	&xt_NFQUEUE, &xt_NOTRACK, &xt_CT, &xt_TOS, &xt_DSCP, &xt_dscp,
	&xt_tos, &xt_ttl, &xt_hl, &xt_pkttype, &xt_addrtype, &xt_length,
	&xt_owner, &xt_hashlimit, &xt_connlimit, &xt_helper, &xt_policy,
	&xt_esp, &xt_ah, &xt_ah6, &xt_sctp, &xt_statistic, &xt_time,
};
const unsigned xt_ext_count = sizeof(xt_ext_table) / sizeof(xt_ext_table[0]);

const char *xe_optname(const struct mr_popt *o, char *buf, size_t len)
{
	if (o->def && o->def->lname)
		snprintf(buf, len, "--%s", o->def->lname);
	else if (o->def)
		snprintf(buf, len, "-%c", o->def->sname);
	else
		snprintf(buf, len, "?");
	return buf;
}

int xe_begin(struct mr_xctx *x, const struct mr_popt *o, const char *ext,
	     uint16_t *given)
{
	char n[64];
	uint16_t bit = (uint16_t)(1u << o->def->id);

	if (popt_neg(o) && !(o->def->flags & MR_OF_INV)) {
		const struct mr_loc *l = o->neg ? &o->neg_loc : &o->args[0].neg_loc;

		return erec_param(x->errs, l, "%s: option \"%s\" cannot be inverted",
				  ext, xe_optname(o, n, sizeof(n)));
	}
	if (given) {
		if (*given & bit)
			return erec_param(x->errs, &o->loc,
					  "%s: option \"%s\" can only be used once",
					  ext, xe_optname(o, n, sizeof(n)));
		*given |= bit;
	}
	return 0;
}

int xe_conflict(struct mr_xctx *x, const struct mr_popt *o, const char *ext,
		const struct mr_optdef *other)
{
	const struct mr_optdef *a = other, *b = o->def;

	if (b < a) {
		a = b;
		b = other;
	}
	return erec_param(x->errs, &o->loc,
			  "%s: option \"--%s\" cannot be used together with \"--%s\"",
			  ext, a->lname, b->lname);
}

const struct mr_optdef *xe_def(const struct mr_optdef *tab, unsigned id)
{
	for (; tab->lname; tab++)
		if (tab->id == id)
			return tab;
	return NULL;
}

bool xe_strtou(const char *s, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	/* strtoull would take "-1" as a huge number and skip blanks */
	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

int xe_uint(struct mr_xctx *x, const struct mr_popt *o,
	    const struct mr_word *w, const char *ext, uint64_t min,
	    uint64_t max, uint64_t *out)
{
	char n[64];

	if (xe_strtou(w->text, max, out) && *out >= min)
		return 0;
	return erec_param(x->errs, &w->loc,
			  "%s: bad value for option \"%s\", or out of range (%llu-%llu)",
			  ext, xe_optname(o, n, sizeof(n)),
			  (unsigned long long)min, (unsigned long long)max);
}

/* Parse one number of a longer word (up to the stop character). */
static bool xe_part(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	char tmp[32];

	if (len == 0 || len >= sizeof(tmp))
		return false;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	return xe_strtou(tmp, max, out);
}

int xe_mark(struct mr_xctx *x, const struct mr_popt *o, const char *ext,
	    uint32_t *value, uint32_t *mask)
{
	const struct mr_word *w = &o->args[0];
	const char *slash = strchr(w->text, '/');
	uint64_t v, m = 0xffffffffu;
	char n[64];

	if (!xe_part(w->text, slash ? (size_t)(slash - w->text) : strlen(w->text),
		     0xffffffffu, &v) ||
	    (slash && !xe_strtou(slash + 1, 0xffffffffu, &m)))
		return erec_param(x->errs, &w->loc,
				  "%s: bad integer value for option \"%s\", or out of range",
				  ext, xe_optname(o, n, sizeof(n)));
	*value = (uint32_t)v;
	*mask = (uint32_t)m;
	return 0;
}

int xe_range(struct mr_xctx *x, const struct mr_popt *o, const char *ext,
	     uint64_t max, char sep, uint64_t *lo, uint64_t *hi)
{
	const struct mr_word *w = &o->args[0];
	const char *s = w->text, *c = strchr(s, sep);
	char n[64];
	bool ok;

	if (!c) {
		ok = xe_strtou(s, max, lo);
		*hi = *lo;
	} else {
		*lo = 0;
		*hi = max;
		ok = (c == s || xe_part(s, (size_t)(c - s), max, lo)) &&
		     (c[1] == '\0' || xe_strtou(c + 1, max, hi));
		/* a lone ":" gives no number at all */
		ok = ok && !(c == s && c[1] == '\0');
	}
	if (ok)
		return 0;
	return erec_param(x->errs, &w->loc,
			  "%s: bad value for option \"%s\" near \"%s\", or out of range (0-%llu)",
			  ext, xe_optname(o, n, sizeof(n)), s,
			  (unsigned long long)max);
}

int xe_lookup(const char *const *names, const char *s)
{
	for (int i = 0; names[i]; i++)
		if (!strcasecmp(names[i], s))
			return i;
	return -1;
}

int xe_check_err(struct mr_xctx *x, const char *fmt, ...)
{
	static const struct mr_loc none;
	struct mr_buf b;
	va_list ap;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	erec_param(x->errs, x->loc ? x->loc : &none, "%s", b.s ? b.s : "");
	buf_free(&b);
	return -1;
}
