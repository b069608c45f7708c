/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The NFQUEUE target: hand packets to a userspace queue (nft "queue"). */
#include <string.h>

#include "xt_ext.h"

enum { O_NUM, O_BALANCE, O_BYPASS, O_FANOUT };

static const struct mr_optdef NFQUEUE_opts[] = {
	{ "queue-num", 0, MR_A1, 0, O_NUM },
	{ "queue-balance", 0, MR_A1, 0, O_BALANCE },
	{ "queue-bypass", 0, MR_A0, 0, O_BYPASS },
	{ "queue-cpu-fanout", 0, MR_A0, 0, O_FANOUT },
	{ 0 },
};

static void NFQUEUE_init(struct mr_xctx *x)
{
	struct mr_t_nfqueue *d = x->rule->target.data;

	d->total = 1;
}

/* "first:last", first < last */
static int NFQUEUE_balance(struct mr_xctx *x, const struct mr_popt *o,
			   struct mr_t_nfqueue *d)
{
	const struct mr_word *w = &o->args[0];
	const char *c = strchr(w->text, ':');
	uint64_t lo, hi;

	if (!c || c == w->text || !c[1])
		return erec_param(x->errs, &w->loc, "Bad range \"%s\"", w->text);
	if (xe_range(x, o, "NFQUEUE", 0xffff, ':', &lo, &hi))
		return -1;
	if (lo >= hi)
		return erec_param(x->errs, &w->loc, "%llu should be less than %llu",
				  (unsigned long long)lo, (unsigned long long)hi);
	d->num = (uint16_t)lo;
	d->total = (uint16_t)(hi - lo + 1);
	d->flags |= MR_NFQ_BALANCE;
	return 0;
}

static int NFQUEUE_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_t_nfqueue *d = x->rule->target.data;
	uint64_t v;

	if (xe_begin(x, o, "NFQUEUE", &d->given))
		return -1;
	switch (o->def->id) {
	case O_NUM:
		if (d->given & (1u << O_BALANCE))
			return xe_conflict(x, o, "NFQUEUE", xe_def(NFQUEUE_opts, O_BALANCE));
		if (xe_uint(x, o, &o->args[0], "NFQUEUE", 0, 0xffff, &v))
			return -1;
		d->num = (uint16_t)v;
		return 0;
	case O_BALANCE:
		if (d->given & (1u << O_NUM))
			return xe_conflict(x, o, "NFQUEUE", xe_def(NFQUEUE_opts, O_NUM));
		return NFQUEUE_balance(x, o, d);
	case O_BYPASS:
		d->flags |= MR_NFQ_BYPASS;
		return 0;
	case O_FANOUT:
		d->flags |= MR_NFQ_FANOUT;
		return 0;
	}
	return 0;
}

static int NFQUEUE_check(struct mr_xctx *x)
{
	const struct mr_t_nfqueue *d = x->rule->target.data;

	if ((d->flags & MR_NFQ_FANOUT) && !(d->flags & MR_NFQ_BALANCE))
		return xe_check_err(x, "NFQUEUE: option \"--queue-cpu-fanout\" also requires \"--queue-balance\"");
	return 0;
}

static void NFQUEUE_save(struct mr_buf *b, const struct mr_rule *r,
			 const struct mr_match *m)
{
	const struct mr_t_nfqueue *d = r->target.data;

	if (d->flags & MR_NFQ_BALANCE)
		buf_printf(b, " --queue-balance %u:%u", d->num, d->num + d->total - 1);
	else
		buf_printf(b, " --queue-num %u", d->num);
	if (d->flags & MR_NFQ_BYPASS)
		buf_add(b, " --queue-bypass");
	if (d->flags & MR_NFQ_FANOUT)
		buf_add(b, " --queue-cpu-fanout");
}

static bool NFQUEUE_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_t_nfqueue *d = x->rule->target.data;
	bool bypass = d->flags & MR_NFQ_BYPASS, fanout = d->flags & MR_NFQ_FANOUT;

	buf_printf(x->b, "queue num %u", d->num);
	if (d->total > 1)
		buf_printf(x->b, "-%u", d->num + d->total - 1);
	if (bypass || fanout)
		buf_printf(x->b, " %s%s%s", bypass ? "bypass" : "",
			   bypass && fanout ? "," : "", fanout ? "fanout" : "");
	buf_addc(x->b, ' ');
	return true;
}

const struct mr_xt xt_NFQUEUE = {
	.name = "NFQUEUE",
	.kind = MR_V_NFQUEUE,
	.target = true,
	.size = sizeof(struct mr_t_nfqueue),
	.opts = NFQUEUE_opts,
	.init = NFQUEUE_init,
	.parse = NFQUEUE_parse,
	.check = NFQUEUE_check,
	.save = NFQUEUE_save,
	.xlate = NFQUEUE_xlate,
};
