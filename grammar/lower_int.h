/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internal interface of the lowering (lower.c, lower_legacy.c,
 * lower_objs.c): the state of one lower_ruleset() call and the small
 * builders of lowered tables, chains and rules.
 */
#ifndef MR_LOWER_INT_H
#define MR_LOWER_INT_H

#include "erec.h"
#include "ir.h"

/*
 * Conntrack mark bit that carries "the legacy forward chain said MASQ" from
 * the forward hook to the nat postrouting chain, and marks the connections
 * masqrule masqueraded (their replies skip the forward chain as in 2.2).
 * Legacy dialects cannot touch conntrack marks, so only iptables CONNMARK
 * rules in the same ruleset could collide (docs/lowering.md).
 */
#define LW_MASQ_CTMARK 0x20000000u

/* nf_tables priorities of the lowered base chains. */
enum {
	LW_PRIO_RAW = -300,
	/* helpers: after conntrack (-200), before NAT sets up (seqadj) and
	 * before DNAT changes the ports they are attached by */
	LW_PRIO_HELPERS = -190,
	LW_PRIO_ACCT_IN = -160,		/* ipfwadm -A in: before the input chain */
	LW_PRIO_MANGLE = -150,		/* also legacy input: after conntrack, before NAT */
	LW_PRIO_DSTNAT = -100,
	LW_PRIO_PORTFW = -99,		/* after the REDIRECT copy of input */
	LW_PRIO_FILTER = 0,
	LW_PRIO_SECURITY = 50,
	LW_PRIO_SRCNAT = 100,
	LW_PRIO_TIMEOUTS = 101,		/* after masquerading, before confirmation */
	LW_PRIO_LEG_OUTPUT = 150,	/* legacy output: after masquerading */
	LW_PRIO_ACCT_OUT = 200,		/* ipfwadm -A out: what really leaves */
};

/* State of one lower_ruleset() call. */
struct lw {
	const struct mr_ruleset *rs;
	struct mr_ruleset *out;
	struct erec_list *errs;
	unsigned nerr;
	bool take;	/* netfilter rules moved out of rs, not copied */
};

__attribute__((format(printf, 3, 4)))
void lw_error(struct lw *w, const struct mr_loc *loc, const char *fmt, ...);
__attribute__((format(printf, 3, 4)))
void lw_warn(struct lw *w, const struct mr_loc *loc, const char *fmt, ...);

/* The lowered table of a family, created on first use. */
struct mr_table *lw_table(struct lw *w, uint8_t family);
struct mr_chain *lw_chain_find(const struct mr_table *t, const char *name);
/* New chains, appended to t (the final order is fixed by lower.c). */
struct mr_chain *lw_base_chain(struct mr_table *t, const char *name,
			       uint8_t type, int8_t hook, int16_t prio,
			       uint16_t policy);
struct mr_chain *lw_user_chain(struct mr_table *t, const char *name);
void lw_append(struct mr_chain *c, struct mr_rule *r);

/* prefix + name escaped so that nft's text parser reads it as one word;
 * ir_alloc'ed. */
char *lw_chain_name(const char *prefix, const char *name);

/* Rule builders. */
struct mr_rule *lw_rule_new(const struct mr_loc *loc);	/* family ip */
void lw_verdict(struct mr_rule *r, uint16_t kind);
void lw_jump(struct mr_rule *r, uint16_t kind, const char *chain);
void *lw_target(struct mr_rule *r, uint16_t kind, size_t size);
struct mr_m_conntrack *lw_match_ct(struct mr_rule *r, uint16_t has);
void lw_match_ctmark(struct mr_rule *r, uint32_t value, uint32_t mask);

/* The legacy model (MR_T_LEGACY) and the port forwards: lower_legacy.c */
void lower_legacy(struct lw *w, const struct mr_table *t);
void lower_portfws(struct lw *w);

#endif
