/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The REJECT target for IPv4 and IPv6: --reject-with TYPE.  The two
 * share one kind (MR_V_REJECT), so save and xlate pick by the rule's
 * family.
 */
#include <string.h>
#include <strings.h>
#include "xt_util.h"

enum { O_WITH };

static const struct mr_optdef reject_opts[] = {
	{ "reject-with", 0, MR_A1, 0, O_WITH },
	{ NULL, 0, 0, 0, 0 },
};

struct reject_type {
	const char *name;	/* iptables-save */
	const char *alias;
	const char *nft;	/* after "reject with icmp[v6] type" */
	uint8_t with;
};

static const struct reject_type types4[] = {
	{ "icmp-net-unreachable", "net-unreach", "net-unreachable",
	  MR_RJ_NET_UNREACH },
	{ "icmp-host-unreachable", "host-unreach", "host-unreachable",
	  MR_RJ_HOST_UNREACH },
	{ "icmp-port-unreachable", "port-unreach", "port-unreachable",
	  MR_RJ_PORT_UNREACH },
	{ "icmp-proto-unreachable", "proto-unreach", "prot-unreachable",
	  MR_RJ_PROTO_UNREACH },
	{ "icmp-net-prohibited", "net-prohib", "net-prohibited",
	  MR_RJ_NET_PROHIB },
	{ "icmp-host-prohibited", "host-prohib", "host-prohibited",
	  MR_RJ_HOST_PROHIB },
	{ "tcp-reset", "tcp-rst", NULL, MR_RJ_TCP_RESET },
	{ "icmp-admin-prohibited", "admin-prohib", "admin-prohibited",
	  MR_RJ_ADMIN_PROHIB },
	{ NULL, NULL, NULL, 0 },
};

static const struct reject_type types6[] = {
	{ "icmp6-no-route", "no-route", "no-route", MR_RJ6_NO_ROUTE },
	{ "icmp6-adm-prohibited", "adm-prohibited", "admin-prohibited",
	  MR_RJ6_ADM_PROHIB },
	{ "icmp6-addr-unreachable", "addr-unreach", "addr-unreachable",
	  MR_RJ6_ADDR_UNREACH },
	{ "icmp6-port-unreachable", "port-unreach", "port-unreachable",
	  MR_RJ6_PORT_UNREACH },
	{ "icmp6-policy-fail", "policy-fail", "policy-fail",
	  MR_RJ6_POLICY_FAIL },
	{ "icmp6-reject-route", "reject-route", "reject-route",
	  MR_RJ6_REJECT_ROUTE },
	{ "tcp-reset", "tcp-rst", NULL, MR_RJ_TCP_RESET },
	{ NULL, NULL, NULL, 0 },
};

static const struct reject_type *table(uint8_t family)
{
	return family == MR_FAM_IP6 ? types6 : types4;
}

/* The kernel's choice when nothing was said: port unreachable. */
static uint8_t effective(uint8_t with, uint8_t family)
{
	if (with != MR_RJ_DEFAULT)
		return with;
	return family == MR_FAM_IP6 ? MR_RJ6_PORT_UNREACH : MR_RJ_PORT_UNREACH;
}

static const struct reject_type *by_with(uint8_t family, uint8_t with)
{
	const struct reject_type *t;

	for (t = table(family); t->name; t++)
		if (t->with == with)
			return t;
	return NULL;
}

/*
 * Exact name or alias, else the first name or alias that s is a prefix
 * of, in table order ("host" is host-unreach), as iptables does.
 */
static const struct reject_type *by_name(uint8_t family, const char *s)
{
	const struct reject_type *t;
	size_t len = strlen(s);

	for (t = table(family); t->name; t++)
		if (!strcasecmp(t->name, s) || !strcasecmp(t->alias, s))
			return t;
	for (t = table(family); len && t->name; t++)
		if (!strncasecmp(t->name, s, len) ||
		    !strncasecmp(t->alias, s, len))
			return t;
	return NULL;
}

static void reject_init(struct mr_xctx *x)
{
	struct mr_t_reject *rj = x->rule->target.data;

	/* the 2.0/2.2 kernels chose by chain: the lowering decides */
	rj->with = x->table == MR_T_LEGACY ? MR_RJ_DEFAULT :
		   effective(MR_RJ_DEFAULT, x->family);
}

static int reject_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_t_reject *rj = x->rule->target.data;
	const struct reject_type *t;

	if (xt_no_inv(x, o, "REJECT"))
		return -1;
	t = by_name(x->family, o->args[0].text);
	if (!t)
		return erec_param(x->errs, &o->args[0].loc,
				  "unknown reject type \"%s\"",
				  o->args[0].text);
	rj->with = t->with;
	return 0;
}

static int reject_check(struct mr_xctx *x)
{
	const struct mr_t_reject *rj = x->rule->target.data;

	/* the kernel refuses a TCP reset for what may not be TCP */
	if (rj->with == MR_RJ_TCP_RESET && !xt_proto_is(x->rule, XT_P_TCP))
		return erec_param(x->errs, x->loc,
				  "REJECT: --reject-with tcp-reset is only valid with -p tcp");
	return xt_check_place(x, "REJECT target",
			      XT_H_IN | XT_H_FWD | XT_H_OUT, false);
}

static void reject_save(struct mr_buf *b, const struct mr_rule *r,
			const struct mr_match *m)
{
	const struct mr_t_reject *rj = r->target.data;
	const struct reject_type *t;

	(void)m;
	if (rj && rj->with == MR_RJ_DEFAULT)
		return;		/* legacy: the chain's own kind of reject */
	t = by_with(r->family, effective(rj ? rj->with : 0, r->family));
	if (!t)		/* a type of the other family: its default */
		t = by_with(r->family, effective(0, r->family));
	buf_printf(b, " --reject-with %s", t->name);
}

static bool reject_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_t_reject *rj = x->rule->target.data;
	uint8_t with = effective(rj ? rj->with : 0, x->family);
	const struct reject_type *t = by_with(x->family, with);

	(void)m;
	if (!t)
		return false;
	if (with == MR_RJ_PORT_UNREACH || with == MR_RJ6_PORT_UNREACH)
		buf_add(x->b, "reject ");
	else if (with == MR_RJ_TCP_RESET)
		buf_add(x->b, "reject with tcp reset ");
	else
		buf_printf(x->b, "reject with %s type %s ",
			   x->family == MR_FAM_IP6 ? "icmpv6" : "icmp", t->nft);
	return true;
}

const struct mr_xt xt_reject4 = {
	.name = "REJECT",
	.kind = MR_V_REJECT,
	.target = true,
	.family = MR_FAM_IP,
	.size = sizeof(struct mr_t_reject),
	.opts = reject_opts,
	.init = reject_init,
	.parse = reject_parse,
	.check = reject_check,
	.save = reject_save,
	.xlate = reject_xlate,
};

const struct mr_xt xt_reject6 = {
	.name = "REJECT",
	.kind = MR_V_REJECT,
	.target = true,
	.family = MR_FAM_IP6,
	.size = sizeof(struct mr_t_reject),
	.opts = reject_opts,
	.init = reject_init,
	.parse = reject_parse,
	.check = reject_check,
	.save = reject_save,
	.xlate = reject_xlate,
};
