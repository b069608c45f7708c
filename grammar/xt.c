/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The registry of iptables extensions (xt.h): the core ones listed here,
 * then the extras of xt_ext.c and the legacy port lists of xt_legacy.c.
 */
#include <string.h>
#include "xt_util.h"

static const struct mr_xt *const core_table[] = {
	&xt_tcp, &xt_udp, &xt_icmp, &xt_icmp6, &xt_multiport, &xt_state,
	&xt_conntrack, &xt_limit, &xt_mark, &xt_mac, &xt_iprange,
	&xt_comment,
	&xt_reject4, &xt_reject6, &xt_log, &xt_masquerade, &xt_snat,
	&xt_dnat, &xt_redirect, &xt_netmap, &xt_mark_target,
};

/* The further extensions (xt_ext.c) and the legacy ones (xt_legacy.c). */
extern const struct mr_xt *const xt_ext_table[];
extern const unsigned xt_ext_count;
extern const struct mr_xt *const xt_legacy_table[];
extern const unsigned xt_legacy_count;

struct xt_tab {
	const struct mr_xt *const *v;
	unsigned n;
};

static unsigned tables(struct xt_tab t[3])
{
	unsigned n = 0;

	t[n].v = core_table;
	t[n++].n = sizeof(core_table) / sizeof(core_table[0]);
	t[n].v = xt_ext_table;
	t[n++].n = xt_ext_count;
	t[n].v = xt_legacy_table;
	t[n++].n = xt_legacy_count;
	return n;
}

static bool family_ok(const struct mr_xt *xt, uint8_t family)
{
	return !xt->family || !family || xt->family == family;
}

const struct mr_xt *xt_find(const char *name, bool target, uint8_t family)
{
	struct xt_tab t[3];
	unsigned nt, i, j;

	if (!name)
		return NULL;
	nt = tables(t);
	for (i = 0; i < nt; i++) {
		for (j = 0; j < t[i].n; j++) {
			const struct mr_xt *xt = t[i].v[j];

			if (!xt || xt->target != target ||
			    !family_ok(xt, family))
				continue;
			if ((xt->name[0] == name[0] && !strcmp(xt->name, name)) ||
			    (xt->alias && !strcmp(xt->alias, name)))
				return xt;
		}
	}
	return NULL;
}

const struct mr_xt *xt_by_kind(uint16_t kind, bool target)
{
	struct xt_tab t[3];
	unsigned nt, i, j;

	nt = tables(t);
	for (i = 0; i < nt; i++)
		for (j = 0; j < t[i].n; j++)
			if (t[i].v[j] && t[i].v[j]->kind == kind &&
			    t[i].v[j]->target == target)
				return t[i].v[j];
	return NULL;
}
