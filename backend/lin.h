/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Linearization: lowered IR -> libnftnl table, chains, objects, anonymous
 * sets and rules, added to a batch.  The expressions are the ones nft
 * generates for the text print_rule_nft() prints for the same rule, so
 * that `nft list ruleset` cannot tell the two apart.
 */
#ifndef MR_BACKEND_LIN_H
#define MR_BACKEND_LIN_H

#include <stdbool.h>
#include <stdint.h>
#include "erec.h"
#include "ir.h"
#include "nl.h"

struct backend_tagger;

struct nftnl_rule;
struct nftnl_expr;

/* State of one table's linearization. */
struct lin_ctx {
	uint8_t family;
	struct nl_batch *batch;		/* NULL: build rules only (decoder) */
	struct erec_list *errs;
	uint32_t set_id;		/* ids of anonymous sets in the batch */
	unsigned nerr;
	/* NULL, or the source text each rule carries (backend_tagger) */
	const struct backend_tagger *tag;
	bool consume;			/* BACKEND_F_CONSUME */
};

/* Pending payload comparisons that nft would merge into one. */
#define LIN_MERGE_MAX 16
struct lin_pay {
	uint32_t base, off, len;
	uint8_t val[LIN_MERGE_MAX];
};

/* State of one rule's linearization. */
struct lin_rule {
	struct lin_ctx *c;
	const struct mr_rule *r;
	const char *chain;
	struct nftnl_rule *nr;
	uint8_t l4;		/* transport protocol the rule already tests */
	bool failed;
	struct lin_pay pend;	/* pend.len 0: none */
};

enum lin_op { LIN_EQ, LIN_NE, LIN_LT, LIN_GT, LIN_LTE, LIN_GTE };

/* lin_expr.c: expression builders (all flush pending payloads first). */
__attribute__((format(printf, 3, 4)))
void lin_fail(struct lin_rule *l, const struct mr_loc *loc,
	      const char *fmt, ...);
void lin_add(struct lin_rule *l, struct nftnl_expr *e);
void lin_flush(struct lin_rule *l);
void lin_meta_load(struct lin_rule *l, uint32_t key);
void lin_ct_load(struct lin_rule *l, uint32_t key);
void lin_payload_load(struct lin_rule *l, uint32_t base, uint32_t off,
		      uint32_t len);
void lin_cmp(struct lin_rule *l, enum lin_op op, const void *data,
	     uint32_t len);
void lin_bitwise(struct lin_rule *l, const void *mask, const void *xor,
		 uint32_t len);
void lin_range(struct lin_rule *l, bool neq, const void *lo, const void *hi,
	       uint32_t len);
void lin_imm_data(struct lin_rule *l, uint32_t reg, const void *data,
		  uint32_t len);
void lin_verdict(struct lin_rule *l, int verdict, const char *chain);
/* "payload == value", merged with an adjacent one as nft does. */
void lin_payload_eq(struct lin_rule *l, uint32_t base, uint32_t off,
		    uint32_t len, const void *val);
/* "payload [!=] value / mask" in full (prefix, mask or ranges). */
void lin_payload_cmp(struct lin_rule *l, uint32_t base, uint32_t off,
		     uint32_t len, const void *mask, bool neq,
		     const void *val);
/* A transport header field needs the protocol: meta l4proto as nft adds
 * it, unless the rule already said so. */
void lin_l4_dep(struct lin_rule *l, uint8_t proto);
/* "lhs [!=] lo-hi" on the loaded register (eq: two cmps, neq: range). */
void lin_cmp_range(struct lin_rule *l, bool neq, const void *lo,
		   const void *hi, uint32_t len);

/* An anonymous constant set of big-endian keys: lookup on register 1. */
struct lin_set_key {
	uint32_t dtype;		/* nft datatype id of the key */
	uint32_t len;		/* bytes */
	const void *typeof_ud;	/* nft's typeof user data, or NULL */
	uint32_t typeof_len;
};
void lin_lookup_ranges(struct lin_rule *l, const struct lin_set_key *k,
		       const struct mr_range16 *r, unsigned n, bool inv);

/* lin_match.c: the rule's matches (core fields and match list). */
void lin_matches(struct lin_rule *l);
/* "tcp|udp sport|dport [!=] list" with its dependency. */
void lin_l4_ports(struct lin_rule *l, uint8_t proto, bool dport,
		  const struct mr_range16 *r, unsigned n, bool inv);
/* The bits of a ct key: "ct state new" and "ct status snat". */
void lin_ct_bits(struct lin_rule *l, uint32_t ctkey, uint32_t bits, bool inv);
/* lin_target.c: legacy side actions, counter, target. */
void lin_actions(struct lin_rule *l);

/*
 * lin_rule.c: one rule of a chain into an nftnl_rule (and its anonymous
 * sets into the batch).  NULL, with a located error, if some part of it
 * has no linearization.
 */
struct nftnl_rule *lin_rule_build(struct lin_ctx *c, const char *chain,
				  const struct mr_rule *r);

/* lin_table.c: a whole lowered table into the batch; 0 or -1. */
int lin_table(struct lin_ctx *c, const struct mr_ruleset *rs,
	      const struct mr_table *t);
/* "table <fam> masqrule" messages: create (if missing) and delete. */
void lin_table_reset(struct nl_batch *b, uint8_t family);
/* "add table <fam> masqrule": created if missing, else unchanged. */
void lin_table_create(struct nl_batch *b, uint8_t family);
/* One chain of a lowered table (base chains with hook, type, policy). */
void lin_chain(struct lin_ctx *c, const struct mr_chain *ch);

const char *lin_family_name(uint8_t family);

#endif
