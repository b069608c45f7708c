/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers private to the core extensions (xt_*.c), beyond the shared ones
 * that xt.h declares; implemented in xt_util.c.
 */
#ifndef MR_XT_UTIL_H
#define MR_XT_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include "xt.h"

/* Protocol numbers the extensions test for. */
enum {
	XT_P_ICMP = 1,
	XT_P_TCP = 6,
	XT_P_UDP = 17,
	XT_P_DCCP = 33,
	XT_P_ICMP6 = 58,
	XT_P_SCTP = 132,
	XT_P_UDPLITE = 136,
};

/* Hooks, for where a match or target may be used. */
enum {
	XT_H_PRE = 1 << 0,
	XT_H_IN = 1 << 1,
	XT_H_FWD = 1 << 2,
	XT_H_OUT = 1 << 3,
	XT_H_POST = 1 << 4,
};

/* The rule says "-p proto" (not negated). */
bool xt_proto_is(const struct mr_rule *r, uint8_t proto);
/* "-p tcp|udp|sctp|dccp" (not negated): NAT port ranges need one. */
bool xt_proto_nat_ports(const struct mr_rule *r);

/* "ip" or "ip6" for nft text. */
const char *xt_l3(uint8_t family);

/* "ext: option "--opt" can only be used once" when seen; else 0. */
int xt_once(struct mr_xctx *x, const struct mr_popt *o, const char *ext,
	    bool seen);
/* "ext: option "--opt" cannot be inverted" when negated; else 0. */
int xt_no_inv(struct mr_xctx *x, const struct mr_popt *o, const char *ext);
/* "ext: option "--opt" must be specified", located at the -m/-j word. */
int xt_missing(struct mr_xctx *x, const char *ext, const char *opt);

/*
 * Where a built-in chain of a netfilter table may use the extension:
 * hooks = XT_H_* allowed, nat_only = the nat table only.  User chains
 * and the legacy model are not checked (their callers are unknown here).
 * what is "MASQUERADE target" / "mac match".
 */
int xt_check_place(struct mr_xctx *x, const char *what, unsigned hooks,
		   bool nat_only);

/* An unsigned number with the option named in the error. */
int xt_parse_uint_opt(struct mr_xctx *x, const struct mr_popt *o,
		      const char *ext, unsigned long min, unsigned long max,
		      unsigned long *out);
/* Strict unsigned number (base 0), no error queued; 0 or -1. */
int xt_strtoul(const char *s, unsigned long max, unsigned long *out);

/* "value[/mask]" 32-bit (mark); mask defaults to 0xffffffff. */
int xt_parse_u32_mask(struct mr_xctx *x, const struct mr_popt *o,
		      const char *ext, bool mask_ok, uint32_t *val,
		      uint32_t *mask);

/* "addr[/mask]" in the rule's family, located error. */
int xt_parse_prefix(struct mr_xctx *x, const struct mr_word *w,
		    struct mr_prefix *p);
/* Host prefix -> "a", contiguous -> "a/len", else "a/dotted-mask". */
void xt_save_prefix(struct mr_buf *b, uint8_t family,
		    const struct mr_prefix *p);
/*
 * nft relational form for "<lhs> [!=] prefix": contiguous masks print
 * "lhs a/len", others "lhs & mask ==|!= a".  lhs is e.g. "ct original
 * saddr".  Adds the trailing space.
 */
void xt_nft_prefix_cmp(struct mr_buf *b, const char *lhs, uint8_t family,
		       const struct mr_prefix *p, bool inv);

/* Comma-separated NAME list to bits, names matched case-insensitively. */
struct xt_flagname {
	const char *name;
	uint32_t bit;
};
int xt_parse_flaglist(struct mr_xctx *x, const struct mr_word *w,
		      const struct xt_flagname *tab, const char *errfmt,
		      uint32_t *out);
/* Print the names of the bits set, in table order, comma-separated. */
void xt_print_flaglist(struct mr_buf *b, const struct xt_flagname *tab,
		       uint32_t bits);

/* conntrack state names in iptables-save order, and nft's (xt_conntrack.c) */
extern const struct xt_flagname xt_ct_states[];
extern const struct xt_flagname xt_ct_states_nft[];

/* The core extensions, one object each (xt_<name>.c); xt.c lists them. */
extern const struct mr_xt xt_tcp, xt_udp, xt_icmp, xt_icmp6, xt_multiport,
	xt_state, xt_conntrack, xt_limit, xt_mark, xt_mac, xt_iprange,
	xt_comment;
extern const struct mr_xt xt_reject4, xt_reject6, xt_log, xt_masquerade,
	xt_snat, xt_dnat, xt_redirect, xt_netmap, xt_mark_target;

#endif
