/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DSCP and TOS: the dscp and tos matches, the DSCP and TOS targets.
 * DiffServ class names and the old TOS symbols live in tables here.
 */
#include <string.h>
#include <strings.h>

#include "xt_ext.h"

/* ---- shared vocabularies ---- */

struct ds_class {
	const char *name;
	uint8_t dscp;
};

/* RFC 2474 class selectors, RFC 2597 assured forwarding, RFC 3246 EF */
static const struct ds_class ds_classes[] = {
	{ "CS0", 0x00 }, { "CS1", 0x08 }, { "CS2", 0x10 }, { "CS3", 0x18 },
	{ "CS4", 0x20 }, { "CS5", 0x28 }, { "CS6", 0x30 }, { "CS7", 0x38 },
	{ "BE", 0x00 },
	{ "AF11", 0x0a }, { "AF12", 0x0c }, { "AF13", 0x0e },
	{ "AF21", 0x12 }, { "AF22", 0x14 }, { "AF23", 0x16 },
	{ "AF31", 0x1a }, { "AF32", 0x1c }, { "AF33", 0x1e },
	{ "AF41", 0x22 }, { "AF42", 0x24 }, { "AF43", 0x26 },
	{ "EF", 0x2e },
	{ NULL, 0 },
};

/* RFC 1349 TOS values; a symbol replaces only the low 6 bits */
static const struct ds_class tos_symbols[] = {
	{ "Minimize-Delay", 0x10 },
	{ "Maximize-Throughput", 0x08 },
	{ "Maximize-Reliability", 0x04 },
	{ "Minimize-Cost", 0x02 },
	{ "Normal-Service", 0x00 },
	{ NULL, 0 },
};
#define TOS_SYMBOL_MASK 0x3f

static int ds_find(const struct ds_class *t, const char *s)
{
	for (int i = 0; t[i].name; i++)
		if (!strcasecmp(t[i].name, s))
			return t[i].dscp;
	return -1;
}

/* A DSCP value (0..63) from --dscp / --set-dscp or a class name. */
static int ds_parse(struct mr_xctx *x, const struct mr_popt *o, bool byclass,
		    const char *ext, uint8_t *out)
{
	uint64_t v;
	int c;

	if (!byclass) {
		if (xe_uint(x, o, &o->args[0], ext, 0, 63, &v))
			return -1;
		*out = (uint8_t)v;
		return 0;
	}
	c = ds_find(ds_classes, o->args[0].text);
	if (c < 0)
		return erec_param(x->errs, &o->args[0].loc, "Invalid DSCP value `%s'",
				  o->args[0].text);
	*out = (uint8_t)c;
	return 0;
}

/*
 * "value[/mask]" (8 bits each, mask 0xff by default) or a TOS symbol
 * (mask 0x3f), as the tos match and the TOS target read them.
 */
static int tos_value(struct mr_xctx *x, const struct mr_word *w,
		     uint8_t *value, uint8_t *mask)
{
	const char *slash = strchr(w->text, '/');
	uint64_t v, m = 0xff;
	char num[32];
	int s;

	if (!slash && xe_strtou(w->text, 0xff, &v)) {
		*value = (uint8_t)v;
		*mask = 0xff;
		return 0;
	}
	if (slash) {
		size_t n = (size_t)(slash - w->text);

		if (n >= sizeof(num))
			n = sizeof(num) - 1;
		memcpy(num, w->text, n);
		num[n] = '\0';
		if (!xe_strtou(num, 0xff, &v) || !xe_strtou(slash + 1, 0xff, &m))
			return erec_param(x->errs, &w->loc, "Illegal value: \"%s\"",
					  w->text);
		*value = (uint8_t)v;
		*mask = (uint8_t)m;
		return 0;
	}
	s = ds_find(tos_symbols, w->text);
	if (s < 0)
		return erec_param(x->errs, &w->loc, "Symbolic name \"%s\" is unknown",
				  w->text);
	*value = (uint8_t)s;
	*mask = TOS_SYMBOL_MASK;
	return 0;
}

/* ---- dscp match ---- */

enum { O_DSCP, O_DSCP_CLASS };

static const struct mr_optdef dscp_opts[] = {
	{ "dscp", 0, MR_A1, MR_OF_INV, O_DSCP },
	{ "dscp-class", 0, MR_A1, MR_OF_INV, O_DSCP_CLASS },
	{ 0 },
};

static int dscp_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_m_dscp *d = MR_MDATA(x->match, struct mr_m_dscp);
	unsigned other = o->def->id == O_DSCP ? O_DSCP_CLASS : O_DSCP;

	if (x->match->has & (1u << other))
		return xe_conflict(x, o, "dscp", xe_def(dscp_opts, other));
	if (xe_begin(x, o, "dscp", &x->match->has) ||
	    ds_parse(x, o, o->def->id == O_DSCP_CLASS, "dscp", &d->dscp))
		return -1;
	if (popt_neg(o))
		x->match->inv |= MR_MINV(0);
	return 0;
}

static int dscp_check(struct mr_xctx *x)
{
	if (!x->match->has)
		return xe_check_err(x, "DSCP match: Parameter --dscp is required");
	return 0;
}

static void dscp_save(struct mr_buf *b, const struct mr_rule *r,
		      const struct mr_match *m)
{
	xe_save_inv(b, m->inv & MR_MINV(0));
	buf_printf(b, " --dscp 0x%02x", MR_MDATA(m, struct mr_m_dscp)->dscp);
}

static bool dscp_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	buf_printf(x->b, "%s dscp %s0x%02x ", xe_nfproto(x->family),
		   (m->inv & MR_MINV(0)) ? "!= " : "",
		   MR_MDATA(m, struct mr_m_dscp)->dscp);
	return true;
}

const struct mr_xt xt_dscp = {
	.name = "dscp",
	.kind = MR_M_DSCP,
	.size = sizeof(struct mr_m_dscp),
	.opts = dscp_opts,
	.parse = dscp_parse,
	.check = dscp_check,
	.save = dscp_save,
	.xlate = dscp_xlate,
};

/* ---- DSCP target ---- */

enum { O_SET_DSCP, O_SET_DSCP_CLASS };

static const struct mr_optdef DSCP_opts[] = {
	{ "set-dscp", 0, MR_A1, 0, O_SET_DSCP },
	{ "set-dscp-class", 0, MR_A1, 0, O_SET_DSCP_CLASS },
	{ 0 },
};

static int DSCP_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_t_dscp *d = x->rule->target.data;
	unsigned other = o->def->id == O_SET_DSCP ? O_SET_DSCP_CLASS : O_SET_DSCP;

	if (d->given & (1u << other))
		return xe_conflict(x, o, "DSCP", xe_def(DSCP_opts, other));
	if (xe_begin(x, o, "DSCP", &d->given))
		return -1;
	return ds_parse(x, o, o->def->id == O_SET_DSCP_CLASS, "DSCP", &d->dscp);
}

static int DSCP_check(struct mr_xctx *x)
{
	const struct mr_t_dscp *d = x->rule->target.data;

	if (!d->given)
		return xe_check_err(x, "DSCP target: Parameter --set-dscp is required");
	return 0;
}

static void DSCP_save(struct mr_buf *b, const struct mr_rule *r,
		      const struct mr_match *m)
{
	const struct mr_t_dscp *d = r->target.data;

	buf_printf(b, " --set-dscp 0x%02x", d->dscp);
}

static bool DSCP_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_t_dscp *d = x->rule->target.data;

	buf_printf(x->b, "%s dscp set 0x%02x ", xe_nfproto(x->family), d->dscp);
	return true;
}

const struct mr_xt xt_DSCP = {
	.name = "DSCP",
	.kind = MR_V_DSCP,
	.target = true,
	.size = sizeof(struct mr_t_dscp),
	.opts = DSCP_opts,
	.parse = DSCP_parse,
	.check = DSCP_check,
	.save = DSCP_save,
	.xlate = DSCP_xlate,
};

/* ---- tos match ---- */

enum { O_TOS };

static const struct mr_optdef tos_opts[] = {
	{ "tos", 0, MR_A1, MR_OF_INV, O_TOS },
	{ 0 },
};

static int tos_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_m_tos *d = MR_MDATA(x->match, struct mr_m_tos);

	if (xe_begin(x, o, "tos", &x->match->has) ||
	    tos_value(x, &o->args[0], &d->value, &d->mask))
		return -1;
	if (popt_neg(o))
		x->match->inv |= MR_MINV(0);
	return 0;
}

static int tos_check(struct mr_xctx *x)
{
	if (!x->match->has)
		return xe_check_err(x, "tos: option \"--tos\" must be specified");
	return 0;
}

static void tos_save(struct mr_buf *b, const struct mr_rule *r,
		     const struct mr_match *m)
{
	const struct mr_m_tos *d = MR_MDATA(m, struct mr_m_tos);

	xe_save_inv(b, m->inv & MR_MINV(0));
	buf_printf(b, " --tos 0x%02x/0x%02x", d->value, d->mask);
}

/* iptables-translate has no nft form for -m tos */
static bool tos_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	return false;
}

const struct mr_xt xt_tos = {
	.name = "tos",
	.kind = MR_M_TOS,
	.size = sizeof(struct mr_m_tos),
	.opts = tos_opts,
	.parse = tos_parse,
	.check = tos_check,
	.save = tos_save,
	.xlate = tos_xlate,
};

/* ---- TOS target ---- */

enum { O_SET_TOS, O_AND_TOS, O_OR_TOS, O_XOR_TOS };

static const struct mr_optdef TOS_opts[] = {
	{ "set-tos", 0, MR_A1, 0, O_SET_TOS },
	{ "and-tos", 0, MR_A1, 0, O_AND_TOS },
	{ "or-tos", 0, MR_A1, 0, O_OR_TOS },
	{ "xor-tos", 0, MR_A1, 0, O_XOR_TOS },
	{ 0 },
};

static int TOS_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_t_tos *d = x->rule->target.data;
	uint64_t v;

	if (d->given) {
		for (const struct mr_optdef *od = TOS_opts; od->lname; od++)
			if (d->given & (1u << od->id))
				return xe_conflict(x, o, "TOS", od);
	}
	if (xe_begin(x, o, "TOS", &d->given))
		return -1;
	if (o->def->id == O_SET_TOS)
		return tos_value(x, &o->args[0], &d->value, &d->mask);
	if (xe_uint(x, o, &o->args[0], "TOS", 0, 0xff, &v))
		return -1;
	/* all three are new = (old & ~mask) ^ value */
	switch (o->def->id) {
	case O_AND_TOS:
		d->value = 0;
		d->mask = (uint8_t)~v;
		break;
	case O_OR_TOS:
		d->value = d->mask = (uint8_t)v;
		break;
	case O_XOR_TOS:
		d->value = (uint8_t)v;
		d->mask = 0;
		break;
	}
	return 0;
}

static int TOS_check(struct mr_xctx *x)
{
	const struct mr_t_tos *d = x->rule->target.data;

	if (!d->given)
		return xe_check_err(x, "TOS: An action is required");
	return 0;
}

static void TOS_save(struct mr_buf *b, const struct mr_rule *r,
		     const struct mr_match *m)
{
	const struct mr_t_tos *d = r->target.data;

	buf_printf(b, " --set-tos 0x%02x/0x%02x", d->value, d->mask);
}

/*
 * iptables-translate maps the TOS byte onto the DSCP field (dropping the
 * two ECN bits): value >> 2, and the kept bits ~mask >> 2.  It always
 * says "ip6 dscp"; this prints "ip dscp" for IPv4 rules.
 */
static bool TOS_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_t_tos *d = x->rule->target.data;
	const char *f = xe_nfproto(x->family);
	unsigned val = d->value >> 2, keep = ((uint8_t)~d->mask) >> 2;

	buf_printf(x->b, "%s dscp set ", f);
	if ((d->mask & 0x3f) == 0x3f)
		buf_printf(x->b, "0x%02x ", val);
	else if (d->value == 0)
		buf_printf(x->b, "%s dscp and 0x%02x ", f, keep);
	else if (d->value == d->mask)
		buf_printf(x->b, "%s dscp or 0x%02x ", f, val);
	else if (d->mask == 0)
		buf_printf(x->b, "%s dscp xor 0x%02x ", f, val);
	else
		buf_printf(x->b, "%s dscp and 0x%02x xor 0x%02x ", f, keep, val);
	return true;
}

const struct mr_xt xt_TOS = {
	.name = "TOS",
	.kind = MR_V_TOS,
	.target = true,
	.size = sizeof(struct mr_t_tos),
	.opts = TOS_opts,
	.parse = TOS_parse,
	.check = TOS_check,
	.save = TOS_save,
	.xlate = TOS_xlate,
};
