/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the listing formats of compat/ share: counters in the tools' short
 * K/M/G form, hosts with their mask, port and ICMP names.  Internal to
 * compat/list_*.c.
 */
#ifndef MR_COMPAT_LIST_INT_H
#define MR_COMPAT_LIST_INT_H

#include <stdbool.h>
#include <stdint.h>
#include "buf.h"
#include "ir.h"

/* How a tool shortens counters above 99999 (they all differ a little). */
enum list_kmg {
	LIST_KMG_IPTABLES,	/* each step rounds the last: K M G T */
	LIST_KMG_IPCHAINS,	/* K, M from the exact value, G from M */
	LIST_KMG_IPFWADM,	/* K, M from the exact value; no G */
};

/*
 * A counter: exact in width columns (0: no padding) with -x, else the
 * tool's "%5llu" / "%4lluK" form (no padding either with width 0).
 * Always followed by one space.
 */
void list_count(struct mr_buf *b, uint64_t n, enum list_kmg kmg, bool exact,
		int width);

/*
 * A host and mask as the tools print them: "anywhere" for mask 0 unless
 * numeric ("0.0.0.0/0", "::/0"), else the address (never resolved to a
 * name), "/len" unless a host mask, "/a.b.c.d" for a non-contiguous mask.
 */
void list_host(struct mr_buf *b, uint8_t family, const struct mr_prefix *p,
	       bool has, bool numeric);

/* A port: its service name unless numeric or it has none. */
void list_port(struct mr_buf *b, uint16_t port, uint8_t proto, bool numeric,
	       bool legacy_names);

/* The source (side 0) or destination (1) range of a tcp or udp match. */
const struct mr_range16 *list_l4_range(const struct mr_match *m, int side);

/*
 * The iptables -L words of the extensions of grammar/ir_ext.h that have
 * them (list_xt_ext.c); false if not (the caller prints the save form).
 */
bool list_xt_ext_match(struct mr_buf *b, const struct mr_rule *r,
		       const struct mr_match *m);
bool list_xt_ext_target(struct mr_buf *b, const struct mr_rule *r);

/* The field padded to width with spaces (longer: as it is). */
void list_pad(struct mr_buf *b, const char *s, int width);

#endif
