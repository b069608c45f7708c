/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The NOTRACK target and the CT target (notrack, helper, timeout policy,
 * zone, event masks).  Only "notrack" has an nft form in iptables-translate.
 */
#include <stdlib.h>
#include <string.h>

#include "xt_ext.h"

/* ---- NOTRACK ---- */

static void NOTRACK_save(struct mr_buf *b, const struct mr_rule *r,
			 const struct mr_match *m)
{
}

static bool NOTRACK_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	buf_add(x->b, "notrack ");
	return true;
}

const struct mr_xt xt_NOTRACK = {
	.name = "NOTRACK",
	.kind = MR_V_NOTRACK,
	.target = true,
	.save = NOTRACK_save,
	.xlate = NOTRACK_xlate,
};

/* ---- CT ---- */

enum {
	O_NOTRACK, O_HELPER, O_TIMEOUT, O_CTEVENTS, O_EXPEVENTS, O_ZONE,
	O_ZONE_ORIG, O_ZONE_REPLY,
};

static const struct mr_optdef CT_opts[] = {
	{ "notrack", 0, MR_A0, 0, O_NOTRACK },
	{ "helper", 0, MR_A1, 0, O_HELPER },
	{ "timeout", 0, MR_A1, 0, O_TIMEOUT },
	{ "ctevents", 0, MR_A1, 0, O_CTEVENTS },
	{ "expevents", 0, MR_A1, 0, O_EXPEVENTS },
	{ "zone", 0, MR_A1, 0, O_ZONE },
	{ "zone-orig", 0, MR_A1, 0, O_ZONE_ORIG },
	{ "zone-reply", 0, MR_A1, 0, O_ZONE_REPLY },
	{ 0 },
};

/* conntrack event names in bit order (kernel IPCT_* numbering) */
static const char *const ct_events[] = {
	"new", "related", "destroy", "reply", "assured", "protoinfo",
	"helper", "mark", "natseqinfo", "secmark", NULL,
};
static const char *const exp_events[] = { "new", NULL };

static int CT_events(struct mr_xctx *x, const struct mr_word *w,
		     const char *const *names, uint32_t *out)
{
	char *list = ir_strdup(w->text), *save = NULL;
	int rc = 0;

	for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		int i = xe_lookup(names, t);

		if (i < 0) {
			rc = erec_param(x->errs, &w->loc, "Unknown event type \"%s\"", t);
			break;
		}
		*out |= 1u << i;
	}
	free(list);
	return rc;
}

static int CT_name(struct mr_xctx *x, const struct mr_word *w, char *dst,
		   size_t size, const char *what)
{
	size_t n = strlen(w->text);

	if (n == 0 || n >= size)
		return erec_param(x->errs, &w->loc,
				  "CT: %s name must be 1 to %zu characters", what, size - 1);
	memcpy(dst, w->text, n + 1);
	return 0;
}

static int CT_zone(struct mr_xctx *x, const struct mr_popt *o,
		   struct mr_t_ct *d)
{
	static const uint8_t dir[] = {
		[O_ZONE] = 0, [O_ZONE_ORIG] = MR_CTZ_ORIG, [O_ZONE_REPLY] = MR_CTZ_REPL,
	};
	const struct mr_word *w = &o->args[0];
	uint64_t v;

	if (!strcmp(w->text, "mark")) {
		d->zone_flags |= MR_CTZ_MARK;
		d->zone = 0;
	} else if (xe_strtou(w->text, 0xffff, &v)) {
		d->zone = (uint16_t)v;
	} else {
		return erec_param(x->errs, &w->loc, "Cannot parse %s as a zone ID",
				  w->text);
	}
	d->zone_flags |= dir[o->def->id];
	d->has |= MR_CT_HAS_ZONE;
	return 0;
}

static int CT_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_t_ct *d = x->rule->target.data;
	const struct mr_word *w = &o->args[0];

	if (xe_begin(x, o, "CT", &d->given))
		return -1;
	switch (o->def->id) {
	case O_NOTRACK:
		d->notrack = true;
		return 0;
	case O_HELPER:
		d->has |= MR_CT_HAS_HELPER;
		return CT_name(x, w, d->helper, sizeof(d->helper), "helper");
	case O_TIMEOUT:
		d->has |= MR_CT_HAS_TIMEOUT;
		return CT_name(x, w, d->timeout, sizeof(d->timeout), "timeout");
	case O_CTEVENTS:
		d->has |= MR_CT_HAS_CTEVENTS;
		return CT_events(x, w, ct_events, &d->ctevents);
	case O_EXPEVENTS:
		d->has |= MR_CT_HAS_EXPEVENTS;
		return CT_events(x, w, exp_events, &d->expevents);
	}
	return CT_zone(x, o, d);
}

static void CT_save_events(struct mr_buf *b, const char *opt,
			   const char *const *names, uint32_t bits)
{
	char sep = ' ';

	buf_printf(b, " --%s", opt);
	for (int i = 0; names[i]; i++)
		if (bits & (1u << i)) {
			buf_printf(b, "%c%s", sep, names[i]);
			sep = ',';
		}
}

static void CT_save_zone(struct mr_buf *b, const struct mr_t_ct *d)
{
	uint8_t dir = d->zone_flags & (MR_CTZ_ORIG | MR_CTZ_REPL);

	if (!d->zone && !(d->zone_flags & MR_CTZ_MARK))
		return;
	buf_add(b, dir == MR_CTZ_ORIG ? " --zone-orig" :
		   dir == MR_CTZ_REPL ? " --zone-reply" : " --zone");
	if (d->zone_flags & MR_CTZ_MARK)
		buf_add(b, " mark");
	else
		buf_printf(b, " %u", d->zone);
}

static void CT_save(struct mr_buf *b, const struct mr_rule *r,
		    const struct mr_match *m)
{
	const struct mr_t_ct *d = r->target.data;

	if (d->notrack)
		buf_add(b, " --notrack");
	if (d->has & MR_CT_HAS_HELPER)
		buf_printf(b, " --helper %s", d->helper);
	if (d->has & MR_CT_HAS_TIMEOUT)
		buf_printf(b, " --timeout %s", d->timeout);
	if (d->ctevents)
		CT_save_events(b, "ctevents", ct_events, d->ctevents);
	if (d->expevents)
		CT_save_events(b, "expevents", exp_events, d->expevents);
	CT_save_zone(b, d);
}

static bool CT_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_t_ct *d = x->rule->target.data;

	/* iptables-translate renders --notrack alone and drops the rest */
	if (!d->notrack)
		return false;
	buf_add(x->b, "notrack ");
	return true;
}

const struct mr_xt xt_CT = {
	.name = "CT",
	.kind = MR_V_CT,
	.target = true,
	.size = sizeof(struct mr_t_ct),
	.opts = CT_opts,
	.parse = CT_parse,
	.save = CT_save,
	.xlate = CT_xlate,
};
