/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internet checksums: the full sum (RFC 1071) for what the engine builds
 * or verifies, and the incremental update (RFC 1624, equation 3) for what
 * it rewrites, so that a NAT rewrite costs a few additions whatever the
 * packet size.  Values are 16-bit words as they stand in the packet, read
 * big-endian; one's complement sums do not care which order as long as it
 * is the same throughout.
 */
#ifndef MR_ENG_CSUM_H
#define MR_ENG_CSUM_H

#include <stddef.h>
#include <stdint.h>

static inline uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Addresses stay in network order in a uint32_t: copy, never swap. */
static inline uint32_t get32n(const uint8_t *p)
{
	uint32_t v;

	__builtin_memcpy(&v, p, 4);
	return v;
}

static inline void put32n(uint8_t *p, uint32_t v)
{
	__builtin_memcpy(p, &v, 4);
}

static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static inline uint16_t csum_fold(uint32_t s)
{
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* Add n bytes to a running sum (not folded, not complemented). */
uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n);

/* The checksum field value for data summing to sum. */
static inline uint16_t csum_finish(uint32_t sum)
{
	return (uint16_t)~csum_fold(sum);
}

/* The TCP/UDP pseudo header of IPv4 (addresses in network order). */
uint32_t csum_pseudo(uint32_t saddr, uint32_t daddr, uint8_t proto,
		     uint16_t len);

/*
 * RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m').  Its one wrong answer is for
 * data that sums to +0 (all zero, e.g. an echo reply of id 0, seq 0, no
 * payload): it gives 0x0000 where 0xffff is right.  0xffff verifies
 * wherever 0x0000 would (both are zero in ones' complement), so it is
 * what a zero result becomes.
 */
static inline uint16_t csum_adj16(uint16_t hc, uint16_t m, uint16_t m2)
{
	uint32_t s = (uint16_t)~hc + (uint32_t)(uint16_t)~m + m2;
	uint16_t r = (uint16_t)~csum_fold(s);

	return r ? r : 0xffff;
}

/* A 32-bit field (an address, in network order) changed from m to m2. */
static inline uint16_t csum_adj32(uint16_t hc, uint32_t m, uint32_t m2)
{
	const uint8_t *a = (const uint8_t *)&m, *b = (const uint8_t *)&m2;

	hc = csum_adj16(hc, get16(a), get16(b));
	return csum_adj16(hc, get16(a + 2), get16(b + 2));
}

/* Update the checksum field at f for a 16-bit word changed from m to m2. */
static inline void csum_field16(uint8_t *f, uint16_t m, uint16_t m2)
{
	put16(f, csum_adj16(get16(f), m, m2));
}

static inline void csum_field32(uint8_t *f, uint32_t m, uint32_t m2)
{
	put16(f, csum_adj32(get16(f), m, m2));
}

#endif
