/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Stateful nft objects of a lowered table (ct helper, ct timeout) and the
 * base chains whose rules attach them.
 *
 * The IR has no object type yet, so these are not stored: they are derived
 * from the lowered ruleset's helpers and timeouts (which lower_ruleset()
 * fills) every time a printer or a backend needs them.  Once ir.h gains
 * objects on struct mr_table and a "ct helper/timeout set" target (see
 * docs/lowering.md), lower.c can store them and this header goes away.
 */
#ifndef MR_LOWER_OBJS_H
#define MR_LOWER_OBJS_H

#include <stdbool.h>
#include <stdint.h>
#include "ir.h"

enum lobj_kind { LOBJ_CT_HELPER, LOBJ_CT_TIMEOUT };

/* The base chains that hold the attaching rules. */
enum lobj_chain_id {
	LOBJ_CH_HELPERS,	/* prerouting: forwarded and incoming */
	LOBJ_CH_HELPERS_OUT,	/* output: connections the router opens */
	LOBJ_CH_TIMEOUTS,	/* postrouting, after masquerading */
	LOBJ_NCHAINS,
};

struct lobj_chain {
	const char *name;
	uint8_t type;		/* enum mr_chain_type */
	int8_t hook;		/* enum mr_hook */
	int16_t prio;
};

extern const struct lobj_chain lobj_chains[LOBJ_NCHAINS];

#define LOBJ_MAX_PORTS (2 * MR_HELPER_MAX_PORTS + 4)

/*
 * One object.  A helper is attached to new connections to its ports (in
 * LOBJ_CH_HELPERS and LOBJ_CH_HELPERS_OUT); a timeout policy to new
 * masqueraded (source-NATed) connections of its protocol (in
 * LOBJ_CH_TIMEOUTS).
 */
struct lobj {
	uint8_t kind;		/* enum lobj_kind */
	uint8_t l4proto;	/* IPPROTO_TCP / IPPROTO_UDP */
	char name[32];		/* object name, nft-safe */
	char type[16];		/* helper: the kernel's helper name */
	uint8_t nports;		/* helper: destination ports */
	uint16_t ports[LOBJ_MAX_PORTS];
	/* timeout, seconds, 0 = the kernel's default */
	uint32_t established, fin_wait;	/* tcp */
	uint32_t unreplied, replied;	/* udp */
};

struct lower_objs {
	struct lobj *v;
	unsigned n;
};

/*
 * The objects of lowered table t (only the IPv4 table has any: helpers and
 * masquerade timeouts are IPv4 things in the legacy tools).
 */
void lower_objs_build(const struct mr_ruleset *lowered,
		      const struct mr_table *t, struct lower_objs *o);
void lower_objs_free(struct lower_objs *o);
/* Does any object attach through chain id? */
bool lower_objs_use_chain(const struct lower_objs *o, enum lobj_chain_id id);

#endif
