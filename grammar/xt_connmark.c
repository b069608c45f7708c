/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The connmark match (ct mark test) and the CONNMARK target (set/save/restore). */
#include <stdio.h>

#include "xt_ext.h"

/* ---- connmark match ---- */

enum { O_MARK };

static const struct mr_optdef connmark_opts[] = {
	{ "mark", 0, MR_A1, MR_OF_INV, O_MARK },
	{ 0 },
};

static int connmark_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_m_mark *d = MR_MDATA(x->match, struct mr_m_mark);

	if (xe_begin(x, o, "connmark", &x->match->has) ||
	    xe_mark(x, o, "connmark", &d->value, &d->mask))
		return -1;
	if (popt_neg(o))
		x->match->inv |= MR_MINV(0);
	return 0;
}

static int connmark_check(struct mr_xctx *x)
{
	if (!x->match->has)
		return xe_check_err(x, "connmark: option \"--mark\" must be specified");
	return 0;
}

static void connmark_save(struct mr_buf *b, const struct mr_rule *r,
			  const struct mr_match *m)
{
	const struct mr_m_mark *d = MR_MDATA(m, struct mr_m_mark);

	xe_save_inv(b, m->inv & MR_MINV(0));
	buf_printf(b, " --mark 0x%x", d->value);
	if (d->mask != 0xffffffffu)
		buf_printf(b, "/0x%x", d->mask);
}

static bool connmark_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_m_mark *d = MR_MDATA(m, struct mr_m_mark);
	bool inv = m->inv & MR_MINV(0);

	if (d->mask == 0xffffffffu)
		buf_printf(x->b, "ct mark %s0x%x ", inv ? "!= " : "", d->value);
	else
		buf_printf(x->b, "ct mark and 0x%x %s 0x%x ", d->mask,
			   inv ? "!=" : "==", d->value);
	return true;
}

const struct mr_xt xt_connmark = {
	.name = "connmark",
	.kind = MR_M_CONNMARK,
	.size = sizeof(struct mr_m_mark),
	.opts = connmark_opts,
	.parse = connmark_parse,
	.check = connmark_check,
	.save = connmark_save,
	.xlate = connmark_xlate,
};

/* ---- CONNMARK target ---- */

enum {
	O_SET_XMARK, O_SET_MARK, O_SAVE_MARK, O_RESTORE_MARK, O_AND_MARK,
	O_OR_MARK, O_XOR_MARK, O_MASK, O_CTMASK, O_NFMASK, O_LSHIFT, O_RSHIFT,
};
/* the options that choose the operation; only one may be given */
#define F_OPS ((1u << O_SET_XMARK) | (1u << O_SET_MARK) | (1u << O_SAVE_MARK) | \
	       (1u << O_RESTORE_MARK) | (1u << O_AND_MARK) | (1u << O_OR_MARK) | \
	       (1u << O_XOR_MARK))
#define F_MASKS ((1u << O_MASK) | (1u << O_CTMASK) | (1u << O_NFMASK))

static const struct mr_optdef CONNMARK_opts[] = {
	/* iptables' order: conflict messages name options in it */
	{ "set-xmark", 0, MR_A1, 0, O_SET_XMARK },
	{ "set-mark", 0, MR_A1, 0, O_SET_MARK },
	{ "and-mark", 0, MR_A1, 0, O_AND_MARK },
	{ "or-mark", 0, MR_A1, 0, O_OR_MARK },
	{ "xor-mark", 0, MR_A1, 0, O_XOR_MARK },
	{ "save-mark", 0, MR_A0, 0, O_SAVE_MARK },
	{ "restore-mark", 0, MR_A0, 0, O_RESTORE_MARK },
	{ "left-shift-mark", 0, MR_A1, 0, O_LSHIFT },
	{ "right-shift-mark", 0, MR_A1, 0, O_RSHIFT },
	{ "ctmask", 0, MR_A1, 0, O_CTMASK },
	{ "nfmask", 0, MR_A1, 0, O_NFMASK },
	{ "mask", 0, MR_A1, 0, O_MASK },
	{ 0 },
};

static void CONNMARK_init(struct mr_xctx *x)
{
	struct mr_t_connmark *d = x->rule->target.data;

	d->ctmask = d->nfmask = 0xffffffffu;
}

/* The table entry of the first option in the bit set. */
static const struct mr_optdef *CONNMARK_given_def(unsigned bits)
{
	for (const struct mr_optdef *d = CONNMARK_opts; d->lname; d++)
		if (bits & (1u << d->id))
			return d;
	return NULL;
}

/* Refuse a second operation, or --mask next to --ctmask / --nfmask. */
static int CONNMARK_exclusive(struct mr_xctx *x, const struct mr_popt *o,
			      uint16_t given)
{
	unsigned bit = 1u << o->def->id, clash = 0;

	if (bit & F_OPS)
		clash = given & F_OPS;
	else if (bit == (1u << O_MASK))
		clash = given & ((1u << O_CTMASK) | (1u << O_NFMASK));
	else if (bit & F_MASKS)
		clash = given & (1u << O_MASK);
	clash &= ~bit;		/* a repeat is xe_begin's "only once" */
	if (!clash)
		return 0;
	return xe_conflict(x, o, "CONNMARK", CONNMARK_given_def(clash));
}

static int CONNMARK_value(struct mr_xctx *x, const struct mr_popt *o,
			  uint32_t *v)
{
	uint64_t n;

	if (!xe_strtou(o->args[0].text, 0xffffffffu, &n)) {
		char name[40];

		return erec_param(x->errs, &o->args[0].loc,
				  "CONNMARK: bad integer value for option \"%s\", or out of range",
				  xe_optname(o, name, sizeof(name)));
	}
	*v = (uint32_t)n;
	return 0;
}

static int CONNMARK_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_t_connmark *d = x->rule->target.data;
	uint16_t before = d->given;
	uint32_t v, m;
	uint64_t n;

	if (CONNMARK_exclusive(x, o, before) ||
	    xe_begin(x, o, "CONNMARK", &d->given))
		return -1;
	switch (o->def->id) {
	case O_SET_XMARK:
	case O_SET_MARK:
		if (xe_mark(x, o, "CONNMARK", &v, &m))
			return -1;
		d->mode = MR_CONNMARK_SET;
		d->value = v;
		/* --set-mark v/m zeroes m and sets v: as xmark, mask m | v */
		d->ctmask = (o->def->id == O_SET_MARK && m != 0xffffffffu) ? (m | v) : m;
		return 0;
	case O_SAVE_MARK:
		d->mode = MR_CONNMARK_SAVE;
		return 0;
	case O_RESTORE_MARK:
		d->mode = MR_CONNMARK_RESTORE;
		return 0;
	case O_LSHIFT:
	case O_RSHIFT:
		if (xe_uint(x, o, &o->args[0], "CONNMARK", 0, 32, &n))
			return -1;
		d->shift_dir = o->def->id == O_LSHIFT ? MR_SHIFT_LEFT : MR_SHIFT_RIGHT;
		d->shift_bits = (uint8_t)n;
		return 0;
	}
	if (CONNMARK_value(x, o, &v))
		return -1;
	switch (o->def->id) {
	case O_AND_MARK:
		d->mode = MR_CONNMARK_SET;
		d->value = 0;
		d->ctmask = ~v;
		break;
	case O_OR_MARK:
		d->mode = MR_CONNMARK_SET;
		d->value = d->ctmask = v;
		break;
	case O_XOR_MARK:
		d->mode = MR_CONNMARK_SET;
		d->value = v;
		d->ctmask = 0;
		break;
	case O_MASK:
		d->ctmask = d->nfmask = v;
		break;
	case O_CTMASK:
		d->ctmask = v;
		break;
	case O_NFMASK:
		d->nfmask = v;
		break;
	}
	return 0;
}

static int CONNMARK_check(struct mr_xctx *x)
{
	const struct mr_t_connmark *d = x->rule->target.data;

	if (!(d->given & F_OPS))
		return xe_check_err(x, "CONNMARK target: No operation specified");
	return 0;
}

static void CONNMARK_save(struct mr_buf *b, const struct mr_rule *r,
			  const struct mr_match *m)
{
	const struct mr_t_connmark *d = r->target.data;

	if (d->mode == MR_CONNMARK_SET)
		buf_printf(b, " --set-xmark 0x%x/0x%x", d->value, d->ctmask);
	else
		buf_printf(b, " --%s-mark --nfmask 0x%x --ctmask 0x%x",
			   d->mode == MR_CONNMARK_SAVE ? "save" : "restore",
			   d->nfmask, d->ctmask);
	if (d->shift_bits)
		buf_printf(b, " --%s-shift-mark %u",
			   d->shift_dir == MR_SHIFT_LEFT ? "left" : "right",
			   d->shift_bits);
}

/* The new ct mark of a SET, as iptables-translate words it. */
static void CONNMARK_set_expr(struct mr_buf *b, const struct mr_t_connmark *d)
{
	if (d->ctmask == 0xffffffffu)
		/* iptables-translate leaves a space here; kept for "( 0x1  )" */
		buf_printf(b, "0x%x%s", d->value, d->shift_bits ? " " : "");
	else if (d->value == 0)
		buf_printf(b, "ct mark and 0x%x", ~d->ctmask);
	else if (d->value == d->ctmask)
		buf_printf(b, "ct mark or 0x%x", d->value);
	else if (d->ctmask == 0)
		buf_printf(b, "ct mark xor 0x%x", d->value);
	else
		buf_printf(b, "ct mark xor 0x%x and 0x%x", d->value, ~d->ctmask);
}

static bool CONNMARK_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_t_connmark *d = x->rule->target.data;
	struct mr_buf *b = x->b;

	/* copying between marks with different masks has no nft form */
	if (d->mode != MR_CONNMARK_SET && d->nfmask != d->ctmask)
		return false;
	buf_add(b, d->mode == MR_CONNMARK_RESTORE ? "meta mark set " : "ct mark set ");
	if (d->shift_bits)
		buf_add(b, "( ");
	if (d->mode == MR_CONNMARK_SET)
		CONNMARK_set_expr(b, d);
	else
		buf_add(b, d->mode == MR_CONNMARK_SAVE ? "mark" : "ct mark");
	if (d->mode != MR_CONNMARK_SET && d->ctmask != 0xffffffffu)
		buf_printf(b, " and 0x%x", d->ctmask);
	if (d->shift_bits)
		buf_printf(b, " ) %s %u", d->shift_dir == MR_SHIFT_LEFT ? "<<" : ">>",
			   d->shift_bits);
	buf_addc(b, ' ');
	return true;
}

const struct mr_xt xt_CONNMARK = {
	.name = "CONNMARK",
	.kind = MR_V_CONNMARK,
	.target = true,
	.size = sizeof(struct mr_t_connmark),
	.opts = CONNMARK_opts,
	.init = CONNMARK_init,
	.parse = CONNMARK_parse,
	.check = CONNMARK_check,
	.save = CONNMARK_save,
	.xlate = CONNMARK_xlate,
};
