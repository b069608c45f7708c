/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The NFLOG target: log to a netlink group (nft "log group"). */
#include <string.h>

#include "xt_ext.h"

enum { O_GROUP, O_PREFIX, O_RANGE, O_SIZE, O_THRESHOLD };

static const struct mr_optdef NFLOG_opts[] = {
	{ "nflog-group", 0, MR_A1, 0, O_GROUP },
	{ "nflog-prefix", 0, MR_A1, 0, O_PREFIX },
	{ "nflog-range", 0, MR_A1, 0, O_RANGE },
	{ "nflog-size", 0, MR_A1, 0, O_SIZE },
	{ "nflog-threshold", 0, MR_A1, 0, O_THRESHOLD },
	{ 0 },
};

/* nft's log prefix holds at most this many characters, as translated */
#define NFT_PREFIX_MAX 63

static int NFLOG_prefix(struct mr_xctx *x, const struct mr_word *w,
			struct mr_t_nflog *d)
{
	size_t n = strlen(w->text);

	if (n == 0)
		return erec_param(x->errs, &w->loc,
				  "Argument must have a minimum length of 1 characters");
	if (n >= sizeof(d->prefix))
		return erec_param(x->errs, &w->loc,
				  "NFLOG: prefix is longer than %zu characters",
				  sizeof(d->prefix) - 1);
	memcpy(d->prefix, w->text, n + 1);
	return 0;
}

static int NFLOG_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_t_nflog *d = x->rule->target.data;
	const struct mr_word *w = &o->args[0];
	uint64_t v;

	if (xe_begin(x, o, "NFLOG", &d->given))
		return -1;
	switch (o->def->id) {
	case O_GROUP:
		if (xe_uint(x, o, w, "NFLOG", 0, 0xffff, &v))
			return -1;
		d->group = (uint16_t)v;
		return 0;
	case O_PREFIX:
		return NFLOG_prefix(x, w, d);
	case O_RANGE:
		/* accepted and ignored, as iptables does, with its warning */
		erec_add(x->errs, EREC_WARNING, 0, &o->loc,
			 "--nflog-range has never worked and is no longer supported, please use --nflog-size instead");
		if (d->given & (1u << O_SIZE))
			return xe_conflict(x, o, "NFLOG", xe_def(NFLOG_opts, O_SIZE));
		return xe_uint(x, o, w, "NFLOG", 0, 0xffffffffu, &v);
	case O_SIZE:
		if (d->given & (1u << O_RANGE))
			return xe_conflict(x, o, "NFLOG", xe_def(NFLOG_opts, O_RANGE));
		if (xe_uint(x, o, w, "NFLOG", 0, 0xffffffffu, &v))
			return -1;
		d->size = (uint32_t)v;
		d->size_set = true;
		return 0;
	case O_THRESHOLD:
		if (xe_uint(x, o, w, "NFLOG", 0, 0xffff, &v))
			return -1;
		d->threshold = (uint16_t)v;
		return 0;
	}
	return 0;
}

static void NFLOG_save(struct mr_buf *b, const struct mr_rule *r,
		       const struct mr_match *m)
{
	const struct mr_t_nflog *d = r->target.data;

	if (d->prefix[0]) {
		buf_add(b, " --nflog-prefix ");
		xt_save_string(b, d->prefix);
	}
	if (d->group)
		buf_printf(b, " --nflog-group %u", d->group);
	if (d->size_set)
		buf_printf(b, " --nflog-size %u", d->size);
	if (d->threshold)
		buf_printf(b, " --nflog-threshold %u", d->threshold);
}

static bool NFLOG_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_t_nflog *d = x->rule->target.data;

	buf_add(x->b, "log ");
	if (d->prefix[0])
		buf_printf(x->b, "prefix \"%.*s\" ", NFT_PREFIX_MAX, d->prefix);
	if (d->size_set)
		buf_printf(x->b, "snaplen %u ", d->size);
	if (d->threshold)
		buf_printf(x->b, "queue-threshold %u ", d->threshold);
	buf_printf(x->b, "group %u ", d->group);
	return true;
}

const struct mr_xt xt_NFLOG = {
	.name = "NFLOG",
	.kind = MR_V_NFLOG,
	.target = true,
	.size = sizeof(struct mr_t_nflog),
	.opts = NFLOG_opts,
	.parse = NFLOG_parse,
	.save = NFLOG_save,
	.xlate = NFLOG_xlate,
};
