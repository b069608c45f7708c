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

static const struct mr_xt *find_slow(const char *name, bool target,
				     uint8_t family)
{
	struct xt_tab t[3];
	unsigned nt, i, j;

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

/*
 * The lexer asks for the extension of every -m, -j and -p, and eval again:
 * the same few names over and over, most often "ACCEPT", which is no
 * extension at all and so cost a walk of every table.  The tables are
 * constant, so answers (NULL ones too) are remembered.
 */
#define FIND_CACHE	64
#define FIND_NAME	24

struct find_entry {
	char name[FIND_NAME];
	bool used, target;
	uint8_t family;
	const struct mr_xt *xt;
};

static unsigned find_hash(const char *name, size_t n, bool target,
			  uint8_t family)
{
	unsigned h = 2166136261u ^ (target ? 0x9e37u : 0) ^ family;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)name[i]) * 16777619u;
	return (h ^ (h >> 15)) % FIND_CACHE;
}

const struct mr_xt *xt_find(const char *name, bool target, uint8_t family)
{
	static struct find_entry cache[FIND_CACHE];
	struct find_entry *e;
	size_t n;

	if (!name)
		return NULL;
	n = strlen(name);
	if (n >= FIND_NAME)
		return find_slow(name, target, family);
	e = &cache[find_hash(name, n, target, family)];
	if (e->used && e->target == target && e->family == family &&
	    !memcmp(e->name, name, n + 1))
		return e->xt;
	e->xt = find_slow(name, target, family);
	memcpy(e->name, name, n + 1);
	e->target = target;
	e->family = family;
	e->used = true;
	return e->xt;
}

static const struct mr_xt *by_kind_slow(uint16_t kind, bool target)
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

/* Printers and eval ask per match and target: an index, made once. */
#define KIND_INDEX 256

const struct mr_xt *xt_by_kind(uint16_t kind, bool target)
{
	static const struct mr_xt *index[2][KIND_INDEX];
	static bool built;
	struct xt_tab t[3];
	unsigned nt, i, j;

	if (kind >= KIND_INDEX)
		return by_kind_slow(kind, target);
	if (!built) {
		nt = tables(t);
		/* the first of the tables' order wins, as in by_kind_slow() */
		for (i = 0; i < nt; i++) {
			for (j = 0; j < t[i].n; j++) {
				const struct mr_xt *xt = t[i].v[j];

				if (xt && xt->kind < KIND_INDEX &&
				    !index[xt->target][xt->kind])
					index[xt->target][xt->kind] = xt;
			}
		}
		built = true;
	}
	return index[target][kind];
}
