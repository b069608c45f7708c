/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ct helper and ct timeout objects of a lowered table, derived from
 * the lowered ruleset's helpers (modprobe/insmod lines) and masquerade
 * timeouts (ipfwadm -M -s, ipchains -M -S), with the kernel helper names
 * of helpers.h.  See lower_objs.h for why they are derived, not stored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include "lower_int.h"
#include "lower_objs.h"

const struct lobj_chain lobj_chains[LOBJ_NCHAINS] = {
	[LOBJ_CH_HELPERS] = { "mr_helpers", MR_CHT_FILTER,
			      MR_HOOK_PREROUTING, LW_PRIO_HELPERS },
	[LOBJ_CH_HELPERS_OUT] = { "mr_helpers_out", MR_CHT_FILTER,
				  MR_HOOK_OUTPUT, LW_PRIO_HELPERS },
	/* after masquerading (status snat is known), before confirmation */
	[LOBJ_CH_TIMEOUTS] = { "mr_timeouts", MR_CHT_FILTER,
			       MR_HOOK_POSTROUTING, LW_PRIO_TIMEOUTS },
};

static void obj_add_port(struct lobj *o, uint16_t port)
{
	unsigned i;

	for (i = 0; i < o->nports; i++)
		if (o->ports[i] == port)
			return;
	if (o->nports < LOBJ_MAX_PORTS)
		o->ports[o->nports++] = port;
}

static struct lobj *obj_helper(struct lower_objs *o, const char *type,
			       uint8_t proto)
{
	struct lobj *x;
	unsigned i;
	char *name;

	for (i = 0; i < o->n; i++)
		if (o->v[i].kind == LOBJ_CT_HELPER && o->v[i].l4proto == proto &&
		    !strcmp(o->v[i].type, type))
			return &o->v[i];
	x = &o->v[o->n++];
	x->kind = LOBJ_CT_HELPER;
	x->l4proto = proto;
	snprintf(x->type, sizeof(x->type), "%s", type);
	/* "Q.931" must become a word nft reads; the same helper for a
	 * second protocol gets the protocol appended */
	name = lw_chain_name("mr_", type);
	snprintf(x->name, sizeof(x->name), "%s", name);
	for (i = 0; i + 1 < o->n; i++)
		if (!strcmp(o->v[i].name, x->name))
			snprintf(x->name, sizeof(x->name), "%s_%s", name,
				 proto == 6 ? "tcp" : "udp");
	free(name);
	return x;
}

/* The ports given (ports=, in_ports=) or else the module's defaults. */
static void obj_ports(struct lobj *x, const struct mr_helper_cfg *h,
		      const uint16_t *defaults, unsigned ndefaults)
{
	unsigned i;

	if (!h->nports)
		for (i = 0; i < ndefaults; i++)
			obj_add_port(x, defaults[i]);
	for (i = 0; i < h->nports; i++)
		obj_add_port(x, h->ports[i]);
	/* ip_masq_ftp in_ports=: port-forwarded servers inside */
	for (i = 0; i < h->nin_ports; i++)
		obj_add_port(x, h->in_ports[i]);
}

static void objs_helper(struct lower_objs *o, const struct mr_helper_cfg *h)
{
	const struct helper_def *d = helper_by_name(h->name);
	struct lobj *x;

	if (!d || !d->kernel || h->unload)
		return;
	x = obj_helper(o, d->kernel, h->proto ? h->proto : d->proto);
	obj_ports(x, h, d->defaults, d->ndefaults);
	if (!d->kernel2)
		return;
	/* h323's RAS, sip over tcp: a second kernel helper */
	x = obj_helper(o, d->kernel2, d->proto2);
	if (!strcmp(d->kernel2, d->kernel))
		obj_ports(x, h, &d->port2, 1);
	else
		obj_add_port(x, d->port2);
}

static void objs_timeouts(struct lower_objs *o, const struct mr_timeouts *t)
{
	struct lobj *x;

	if (t->tcp || t->tcpfin) {
		x = &o->v[o->n++];
		x->kind = LOBJ_CT_TIMEOUT;
		x->l4proto = 6;
		snprintf(x->name, sizeof(x->name), "mr_masq_tcp");
		x->established = t->tcp;
		x->fin_wait = t->tcpfin;
	}
	if (t->udp) {
		x = &o->v[o->n++];
		x->kind = LOBJ_CT_TIMEOUT;
		x->l4proto = 17;
		snprintf(x->name, sizeof(x->name), "mr_masq_udp");
		x->unreplied = x->replied = t->udp;
	}
}

void lower_objs_build(const struct mr_ruleset *lowered,
		      const struct mr_table *t, struct lower_objs *o)
{
	const struct mr_helper_list *h;
	unsigned n = 2;	/* the timeouts */

	memset(o, 0, sizeof(*o));
	if (t->family != MR_FAM_IP)
		return;
	for (h = lowered->helpers; h; h = h->next)
		n += 2;
	o->v = ir_alloc(n * sizeof(*o->v));
	for (h = lowered->helpers; h; h = h->next)
		objs_helper(o, &h->cfg);
	objs_timeouts(o, &lowered->timeouts);
}

void lower_objs_free(struct lower_objs *o)
{
	free(o->v);
	memset(o, 0, sizeof(*o));
}

bool lower_objs_use_chain(const struct lower_objs *o, enum lobj_chain_id id)
{
	unsigned i;

	for (i = 0; i < o->n; i++)
		if (o->v[i].kind == (id == LOBJ_CH_TIMEOUTS ? LOBJ_CT_TIMEOUT :
				     LOBJ_CT_HELPER))
			return true;
	return false;
}
