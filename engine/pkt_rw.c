/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Packet rewrites with incremental checksum updates (RFC 1624).  A field
 * change touches the IP header checksum, the TCP/UDP checksum through the
 * pseudo header, and inside an ICMP error the quoted headers' checksums
 * and the ICMP checksum that covers them all.
 */
#include <string.h>
#include "csum.h"
#include "pkt.h"

/* Where the L4 checksum of a TCP/UDP header at l4 is, if it is there. */
static uint8_t *l4_csum_field(uint8_t *l4, uint8_t proto, uint32_t room)
{
	if (proto == PKT_P_TCP && room >= 18)
		return l4 + 16;
	if (proto == PKT_P_UDP && room >= 8 && get16(l4 + 6))
		return l4 + 6;
	return NULL;
}

/* UDP says "no checksum" with 0, so a computed 0 is sent as 0xffff. */
static void fix_udp_zero(uint8_t *f, uint8_t proto)
{
	if (proto == PKT_P_UDP && !get16(f))
		put16(f, 0xffff);
}

static uint8_t *outer_l4_csum(struct pkt *p)
{
	if (p->nonfirst)
		return NULL;
	return l4_csum_field(pkt_l4(p), p->proto, p->l4len);
}

static void set_addr(struct pkt *p, unsigned at, uint32_t a)
{
	uint8_t *ip = pkt_ip(p), *f = outer_l4_csum(p);
	uint32_t old = get32n(ip + at);

	put32n(ip + at, a);
	csum_field32(ip + 10, old, a);
	if (f) {
		csum_field32(f, old, a);
		fix_udp_zero(f, p->proto);
	}
}

void pkt_set_saddr(struct pkt *p, uint32_t a)
{
	set_addr(p, 12, a);
	p->saddr = a;
}

void pkt_set_daddr(struct pkt *p, uint32_t a)
{
	set_addr(p, 16, a);
	p->daddr = a;
}

static void set_port(struct pkt *p, unsigned at, uint16_t port)
{
	uint8_t *l4 = pkt_l4(p), *f = outer_l4_csum(p);
	uint16_t old = get16(l4 + at);

	put16(l4 + at, port);
	if (f) {
		csum_field16(f, old, port);
		fix_udp_zero(f, p->proto);
	}
}

void pkt_set_sport(struct pkt *p, uint16_t port)
{
	set_port(p, 0, port);
	p->sport = port;
}

void pkt_set_dport(struct pkt *p, uint16_t port)
{
	set_port(p, 2, port);
	p->dport = port;
}

void pkt_set_icmp_id(struct pkt *p, uint16_t id)
{
	uint8_t *l4 = pkt_l4(p);
	uint16_t old = get16(l4 + 4);

	put16(l4 + 4, id);
	csum_field16(l4 + 2, old, id);
	p->sport = p->dport = id;
}

void pkt_set_tos(struct pkt *p, uint8_t tos)
{
	uint8_t *ip = pkt_ip(p);
	uint16_t old = get16(ip);

	ip[1] = tos;
	csum_field16(ip + 10, old, get16(ip));
}

bool pkt_dec_ttl(struct pkt *p)
{
	uint8_t *ip = pkt_ip(p);
	uint16_t old = get16(ip + 8);

	if (ip[8] <= 1)
		return false;
	ip[8]--;
	p->ttl = ip[8];
	csum_field16(ip + 10, old, get16(ip + 8));
	return true;
}

/* ------------------------------------------------------------------ */
/* The quoted datagram of an ICMP error                                */

/*
 * A 16-bit word of the ICMP message changed from m to m2 (every field the
 * quote rewrites sits at an even offset from the ICMP header): fix the
 * ICMP checksum to match.
 */
static void icmp_word(struct pkt *p, uint16_t m, uint16_t m2)
{
	csum_field16(pkt_l4(p) + 2, m, m2);
}

/* Change a checksum field inside the quote, telling the ICMP sum. */
static void inner_csum16(struct pkt *p, uint8_t *f, uint16_t m, uint16_t m2,
			 uint8_t proto)
{
	uint16_t before = get16(f);

	csum_field16(f, m, m2);
	fix_udp_zero(f, proto);
	icmp_word(p, before, get16(f));
}

static uint8_t *inner_l4_csum(struct pkt *p)
{
	struct pkt_inner *in = &p->in;

	if (!in->ports)
		return NULL;
	if (in->proto == PKT_P_ICMP)
		return in->end - in->l4 >= 4 ? p->buf + in->l4 + 2 : NULL;
	return l4_csum_field(p->buf + in->l4, in->proto, in->end - in->l4);
}

static void inner_addr(struct pkt *p, unsigned at, uint32_t a)
{
	uint8_t *ip = p->buf + p->in.l3, *f = inner_l4_csum(p);
	uint32_t old = get32n(ip + at);
	const uint8_t *o = (const uint8_t *)&old, *n = (const uint8_t *)&a;

	put32n(ip + at, a);
	icmp_word(p, get16(o), get16(n));
	icmp_word(p, get16(o + 2), get16(n + 2));
	inner_csum16(p, ip + 10, get16(o), get16(n), 0);
	inner_csum16(p, ip + 10, get16(o + 2), get16(n + 2), 0);
	/* ICMP has no pseudo header */
	if (f && p->in.proto != PKT_P_ICMP) {
		inner_csum16(p, f, get16(o), get16(n), p->in.proto);
		inner_csum16(p, f, get16(o + 2), get16(n + 2), p->in.proto);
	}
}

void pkt_inner_set_saddr(struct pkt *p, uint32_t a)
{
	inner_addr(p, 12, a);
	p->in.saddr = a;
}

void pkt_inner_set_daddr(struct pkt *p, uint32_t a)
{
	inner_addr(p, 16, a);
	p->in.daddr = a;
}

static void inner_port(struct pkt *p, unsigned at, uint16_t port)
{
	uint8_t *l4 = p->buf + p->in.l4, *f = inner_l4_csum(p);
	uint16_t old;

	if (!p->in.ports)
		return;
	if (p->in.proto == PKT_P_ICMP)
		at = 4;			/* the query id */
	old = get16(l4 + at);
	put16(l4 + at, port);
	icmp_word(p, old, port);
	if (f)
		inner_csum16(p, f, old, port, p->in.proto);
}

void pkt_inner_set_sport(struct pkt *p, uint16_t port)
{
	inner_port(p, 0, port);
	p->in.sport = port;
	if (p->in.proto == PKT_P_ICMP)
		p->in.dport = port;
}

void pkt_inner_set_dport(struct pkt *p, uint16_t port)
{
	inner_port(p, 2, port);
	p->in.dport = port;
	if (p->in.proto == PKT_P_ICMP)
		p->in.sport = port;
}

/* ------------------------------------------------------------------ */
/* TCP sequence numbers and payload changes                            */

uint32_t pkt_tcp_seq(const struct pkt *p)
{
	return get32(pkt_l4(p) + 4);
}

uint32_t pkt_tcp_ack(const struct pkt *p)
{
	return get32(pkt_l4(p) + 8);
}

static void set_word32(struct pkt *p, unsigned at, uint32_t v)
{
	uint8_t *l4 = pkt_l4(p);
	uint32_t old = get32(l4 + at);

	put32(l4 + at, v);
	csum_field16(l4 + 16, (uint16_t)(old >> 16), (uint16_t)(v >> 16));
	csum_field16(l4 + 16, (uint16_t)old, (uint16_t)v);
}

void pkt_tcp_set_seq(struct pkt *p, uint32_t seq)
{
	set_word32(p, 4, seq);
}

void pkt_tcp_set_ack(struct pkt *p, uint32_t ack)
{
	set_word32(p, 8, ack);
}

void pkt_l4_csum(struct pkt *p)
{
	uint8_t *l4 = pkt_l4(p);
	uint32_t s;

	switch (p->proto) {
	case PKT_P_TCP:
	case PKT_P_UDP:
		put16(l4 + (p->proto == PKT_P_TCP ? 16 : 6), 0);
		s = csum_pseudo(p->saddr, p->daddr, p->proto, p->l4len);
		put16(l4 + (p->proto == PKT_P_TCP ? 16 : 6),
		      csum_finish(csum_add(s, l4, p->l4len)));
		fix_udp_zero(l4 + 6, p->proto);
		break;
	case PKT_P_ICMP:
		put16(l4 + 2, 0);
		put16(l4 + 2, csum_finish(csum_add(0, l4, p->l4len)));
		break;
	}
}

bool pkt_l4_csum_ok(const struct pkt *p)
{
	const uint8_t *l4 = pkt_l4(p);
	uint32_t s = 0;

	if (p->frag)
		return true;		/* covers bytes we do not have */
	if (p->proto != PKT_P_TCP && p->proto != PKT_P_UDP &&
	    p->proto != PKT_P_ICMP)
		return true;		/* a checksum the engine does not know */
	if (p->proto == PKT_P_UDP && !get16(l4 + 6))
		return true;
	if (p->proto == PKT_P_TCP || p->proto == PKT_P_UDP)
		s = csum_pseudo(p->saddr, p->daddr, p->proto, p->l4len);
	return !csum_finish(csum_add(s, l4, p->l4len));
}

int pkt_splice(struct pkt *p, uint32_t off, uint32_t len, const uint8_t *rep,
	       uint32_t rlen, uint32_t mtu)
{
	uint8_t *ip = pkt_ip(p), *cf = outer_l4_csum(p);
	uint32_t nlen = p->len - len + rlen;
	uint16_t old_tot = get16(ip + 2), tot, sent = 0, good = 0;

	if (off < p->payload || off + len > p->len || nlen > p->cap ||
	    nlen - p->l3 > mtu || nlen - p->l3 > 0xffff)
		return -1;
	if (cf) {
		/* what the sender's checksum was, and what it should have been */
		sent = get16(cf);
		pkt_l4_csum(p);
		good = get16(cf);
	}
	memmove(p->buf + off + rlen, p->buf + off + len, p->len - off - len);
	memcpy(p->buf + off, rep, rlen);
	p->len = nlen;
	tot = (uint16_t)(nlen - p->l3);
	put16(ip + 2, tot);
	csum_field16(ip + 10, old_tot, tot);
	p->l4len = (uint16_t)(nlen - p->l4);
	if (p->proto == PKT_P_UDP)
		put16(pkt_l4(p) + 4, p->l4len);
	pkt_l4_csum(p);
	/*
	 * The sum is computed anew (the length changed), but a corrupt
	 * segment must stay corrupt, so that the receiver drops it as it
	 * would have: carry the sender's error over, as an incremental
	 * update would (RFC 1624).
	 */
	if (cf && sent != good)
		put16(cf, csum_adj16(get16(cf), (uint16_t)~good, (uint16_t)~sent));
	return 0;
}
