/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ICMP and ICMPv6 type names: iptables' spelling (`iptables -p icmp -h`,
 * `ip6tables -p ipv6-icmp -h`, plus the later info-request/info-reply and
 * mld-listener-* names) and nft's spelling of types and codes.
 */
#ifndef MR_ICMP_NAMES_H
#define MR_ICMP_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct icmp_name {
	const char *name;
	uint8_t type;
	uint8_t code_lo, code_hi;	/* 0..255: the whole type */
	bool alias;		/* another spelling (ping, pong, ...) */
};

/* iptables' table for a family (MR_FAM_IP or MR_FAM_IP6), in help order. */
const struct icmp_name *icmp_names(uint8_t family, size_t *n);

/*
 * Look a name up as iptables does: case-insensitive, exact, else a unique
 * prefix.  NULL if nothing matched.  When a prefix matched several names,
 * returns the first and sets *other to the second (else *other = NULL).
 */
const struct icmp_name *icmp_name_find(uint8_t family, const char *s,
				       const struct icmp_name **other);

/* iptables' (non-alias) name of a type and code range, NULL if none. */
const char *icmp_name_of(uint8_t family, uint8_t type, uint8_t code_lo,
			 uint8_t code_hi);

/* nft's symbolic names ("echo-request", "port-unreachable"), NULL if none. */
const char *icmp_nft_type(uint8_t family, uint8_t type);
const char *icmp_nft_code(uint8_t family, uint8_t type, uint8_t code);

#endif
