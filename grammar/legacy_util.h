/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared pieces of the legacy dialects' evaluation (ipfwadm, ipchains,
 * ipmasqadm, ipportfw): the old tools' number and address syntax, rule
 * and command skeletons in the legacy model, port matches, and the
 * source/destination swap of -b.
 */
#ifndef MR_LEGACY_UTIL_H
#define MR_LEGACY_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include "erec.h"
#include "ir.h"
#include "opt.h"

#define LG_TCP 6
#define LG_UDP 17
#define LG_ICMP 1

/* Bit n of a match's has/inv fields. */
#define LG_BIT(n) ((uint16_t)(1u << (n)))

/*
 * The tools' string_to_number(): the whole string is a decimal number
 * (strtol syntax) within [min, max].
 */
bool lg_number(const char *s, long min, long max, long *out);

/* A strict dotted quad "a.b.c.d" (the tools' dotted_to_addr). */
bool lg_dotted(const char *s, uint8_t out[4]);

enum lg_addr_err { LG_ADDR_OK, LG_ADDR_BADMASK, LG_ADDR_BADHOST };

/*
 * "addr[/mask]" as ipfwadm and ipchains read it: mask dotted or 0-32, no
 * mask = /32, mask 0 ignores the address.  *mask_text points into s at
 * the mask when it is the bad part.
 */
enum lg_addr_err lg_parse_addr(const char *s, struct mr_prefix *out,
			       const char **mask_text);

/* A port number 0-65535, or a service name for tcp/udp; -1 if neither. */
long lg_port(const char *s, uint8_t proto);

/* A command of the legacy model located at the line. */
struct mr_cmd *lg_cmd_new(uint8_t op, uint8_t dialect,
			  const struct mr_pcmd *p);
void lg_cmd_chain(struct mr_cmd *c, const char *name,
		  const struct mr_loc *loc);
struct mr_rule *lg_rule_new(const struct mr_pcmd *p);

/* Set the rule's target; allocates the data the kind needs. */
void *lg_target(struct mr_rule *r, uint16_t kind, const struct mr_loc *loc);

/* The rule's tcp or udp match (by r->proto), created on first use. */
struct mr_match *lg_l4_match(struct mr_rule *r, const struct mr_loc *loc);
/* Its source (side 0) or destination (side 1) port range. */
void lg_l4_set(struct mr_match *m, int side, struct mr_range16 rng, bool inv);

/* A new icmptypes match (xt_legacy.c), sized by its extension. */
struct mr_match *lg_legacy_ports(struct mr_rule *r, const struct mr_loc *loc);

/* -b: swap addresses, masks, inversions and ports (not ICMP fields). */
void lg_swap_sides(struct mr_rule *r);

/* Append a second rule that is r with its sides swapped. */
void lg_add_reverse(struct mr_rule *r);

/* Append cmd to the output list. */
static inline void lg_emit(struct mr_cmd ***tail, struct mr_cmd *c)
{
	**tail = c;
	*tail = &c->next;
}

/* The last path component of a tool or module word. */
const char *lg_basename(const char *s);

#endif
