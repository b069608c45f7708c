/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Addresses and prefixes: parsing and printing, IPv4 and IPv6. */
#ifndef MR_ADDR_H
#define MR_ADDR_H

#include <stdbool.h>
#include <stdint.h>
#include "buf.h"
#include "ir.h"

enum addr_style {
	MR_AS_IPTABLES,	/* "a.b.c" pads with zeros (iptables 1.8) */
	MR_AS_LEGACY,	/* ipfwadm/ipchains: mask 0 ignores the address,
			   "any"/"anywhere" accepted, inet_aton forms */
};

/* One address, numeric only. 0 or -1. */
int addr_parse(const char *s, uint8_t family, uint8_t out[16]);
/*
 * "addr[/len|/mask]"; host bits are cleared.  No mask = host.  Returns 0,
 * or -1 with *why set to a static message.
 */
int addr_parse_prefix(const char *s, uint8_t family, enum addr_style style,
		      struct mr_prefix *out, const char **why);

unsigned addr_bytes(uint8_t family);			/* 4 or 16 */
/* Prefix length if the mask is contiguous, else -1. */
int addr_mask_len(const uint8_t *mask, uint8_t family);
bool addr_is_zero(const uint8_t *a, uint8_t family);
void addr_mask_from_len(uint8_t *mask, uint8_t family, unsigned len);

/* "192.168.1.3" / "feed::1" */
void addr_format(struct mr_buf *b, uint8_t family, const uint8_t *addr);
/* iptables-save form: "a/len", dotted mask when non-contiguous. */
void addr_format_prefix(struct mr_buf *b, uint8_t family,
			const struct mr_prefix *p);

#endif
