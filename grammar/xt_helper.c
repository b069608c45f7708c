/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The helper match: the conntrack helper attached to the connection. */
#include <string.h>

#include "xt_ext.h"

enum { O_HELPER };

static const struct mr_optdef helper_opts[] = {
	{ "helper", 0, MR_A1, MR_OF_INV, O_HELPER },
	{ 0 },
};

/* the kernel's name field holds 29 characters; iptables cuts the rest */
#define HELPER_KERNEL_MAX 29

static int helper_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_m_helper *d = MR_MDATA(x->match, struct mr_m_helper);
	size_t n = strlen(o->args[0].text);

	if (xe_begin(x, o, "helper", &x->match->has))
		return -1;
	if (n > HELPER_KERNEL_MAX)
		n = HELPER_KERNEL_MAX;
	memcpy(d->name, o->args[0].text, n);
	d->name[n] = '\0';
	if (popt_neg(o))
		x->match->inv |= MR_MINV(0);
	return 0;
}

static int helper_check(struct mr_xctx *x)
{
	if (!x->match->has)
		return xe_check_err(x, "helper: option \"--helper\" must be specified");
	return 0;
}

static void helper_save(struct mr_buf *b, const struct mr_rule *r,
			const struct mr_match *m)
{
	xe_save_inv(b, m->inv & MR_MINV(0));
	buf_add(b, " --helper ");
	xt_save_string(b, MR_MDATA(m, struct mr_m_helper)->name);
}

static bool helper_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	buf_printf(x->b, "ct helper %s\"%s\" ", (m->inv & MR_MINV(0)) ? "!= " : "",
		   MR_MDATA(m, struct mr_m_helper)->name);
	return true;
}

const struct mr_xt xt_helper = {
	.name = "helper",
	.kind = MR_M_HELPER,
	.size = sizeof(struct mr_m_helper),
	.opts = helper_opts,
	.parse = helper_parse,
	.check = helper_check,
	.save = helper_save,
	.xlate = helper_xlate,
};
