/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Packet parsing and rewriting: Ethernet, IPv4, TCP, UDP, ICMP (with the
 * header an ICMP error quotes).  pkt_parse() checks every length before
 * anything reads the bytes; the rewrite functions keep the IP, TCP, UDP
 * and ICMP checksums right with incremental updates.
 */
#ifndef MR_ENG_PKT_H
#define MR_ENG_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PKT_ETH_HLEN 14
#define PKT_ETH_IP 0x0800
#define PKT_ETH_ARP 0x0806

#define PKT_P_ICMP 1
#define PKT_P_TCP 6
#define PKT_P_UDP 17

/* Why a frame was not parsed (engine counters index by these). */
enum pkt_err {
	PKT_OK,
	PKT_E_SHORT,		/* shorter than its headers say */
	PKT_E_ETHERTYPE,	/* neither IPv4 nor ARP */
	PKT_E_IPHDR,		/* version, header length, total length */
	PKT_E_IPCSUM,		/* bad IP header checksum */
	PKT_E_L4HDR,		/* TCP/UDP/ICMP header truncated or bad */
	PKT_E_ICMPCSUM,		/* bad checksum on an ICMP error */
	PKT_E_COUNT,
};

/* The IP header an ICMP error quotes, and its first L4 bytes. */
struct pkt_inner {
	uint16_t l3, l4;	/* frame offsets */
	uint16_t end;		/* end of the quote (frame offset) */
	uint8_t proto;
	bool ports;		/* l4 has at least 4 bytes (ports / type+id) */
	uint32_t saddr, daddr;	/* network order */
	uint16_t sport, dport;	/* host order; ICMP query: id in both */
};

struct pkt {
	uint8_t *buf;		/* the frame, Ethernet header first */
	uint32_t len;		/* frame length (Ethernet padding cut off) */
	uint32_t cap;		/* room in buf (helpers may grow the payload) */
	uint16_t ethertype;
	uint16_t l3, l4;	/* offsets of the IP and L4 headers */
	uint16_t l4len;		/* L4 header + payload length */
	uint16_t payload;	/* offset of TCP/UDP payload */
	uint8_t proto;
	uint8_t ttl;
	uint8_t tcp_flags;
	uint8_t icmp_type, icmp_code;
	bool frag;		/* a fragment (any) */
	bool nonfirst;		/* a fragment other than the first: no L4 */
	bool icmp_err;		/* an ICMP error: inner is valid */
	uint32_t saddr, daddr;	/* network order */
	uint16_t sport, dport;	/* host order; ICMP query: id in both */
	struct pkt_inner in;
	/* set by the caller, not by the parser */
	uint8_t ifidx;		/* interface it arrived on */
	uint32_t mark;		/* ipchains -m / MARK */
};

/* Parse buf[0..len); p->buf/len/cap set, the rest filled in. */
enum pkt_err pkt_parse(struct pkt *p);

static inline uint8_t *pkt_ip(const struct pkt *p)
{
	return p->buf + p->l3;
}

static inline uint8_t *pkt_l4(const struct pkt *p)
{
	return p->buf + p->l4;
}

/* ICMP types that carry a quoted datagram. */
bool pkt_icmp_is_error(uint8_t type);
/* ICMP queries whose id the masquerade uses as a port. */
bool pkt_icmp_is_query(uint8_t type);

/*
 * Rewrites.  Each updates the field and every checksum that covers it
 * (IP header, TCP/UDP pseudo header, ICMP).  Addresses in network order,
 * ports host order.
 */
void pkt_set_saddr(struct pkt *p, uint32_t a);
void pkt_set_daddr(struct pkt *p, uint32_t a);
void pkt_set_sport(struct pkt *p, uint16_t port);
void pkt_set_dport(struct pkt *p, uint16_t port);
/* The ICMP query id (echo, timestamp, ...). */
void pkt_set_icmp_id(struct pkt *p, uint16_t id);
void pkt_set_tos(struct pkt *p, uint8_t tos);
/* Decrement the TTL; false if it was already <= 1 (do not forward). */
bool pkt_dec_ttl(struct pkt *p);

/*
 * Rewrites of the header an ICMP error quotes: the inner IP checksum, the
 * inner TCP/UDP checksum when the quote holds it, and the outer ICMP
 * checksum are all kept right.
 */
void pkt_inner_set_saddr(struct pkt *p, uint32_t a);
void pkt_inner_set_daddr(struct pkt *p, uint32_t a);
void pkt_inner_set_sport(struct pkt *p, uint16_t port);
void pkt_inner_set_dport(struct pkt *p, uint16_t port);

/* TCP sequence and acknowledgement numbers (host order). */
uint32_t pkt_tcp_seq(const struct pkt *p);
uint32_t pkt_tcp_ack(const struct pkt *p);
void pkt_tcp_set_seq(struct pkt *p, uint32_t seq);
void pkt_tcp_set_ack(struct pkt *p, uint32_t ack);

/*
 * Replace len bytes at frame offset off (inside the L4 payload) with
 * rlen bytes of rep; the IP total length and checksum and the L4 length
 * and checksum (recomputed in full) follow.  -1 if it does not fit in cap
 * or the result exceeds mtu (IP bytes).
 */
int pkt_splice(struct pkt *p, uint32_t off, uint32_t len, const uint8_t *rep,
	       uint32_t rlen, uint32_t mtu);

/* Recompute the L4 checksum in full (after payload changes). */
void pkt_l4_csum(struct pkt *p);
/*
 * Whether the L4 checksum verifies (TCP, UDP with a sum, ICMP; other
 * protocols: true, the engine knows no checksum of theirs).
 */
bool pkt_l4_csum_ok(const struct pkt *p);

/*
 * Build an ICMP error (type, code) about packet orig into out (room
 * cap): Ethernet header left zero for the caller, IP from src to orig's
 * source, quoting orig's IP header and 8 bytes.  Returns the frame length
 * or 0 if orig must not get one (an ICMP error, a non-first fragment, a
 * broadcast source).
 */
uint32_t pkt_build_icmp_err(const struct pkt *orig, uint8_t type, uint8_t code,
			    uint32_t src, uint8_t *out, uint32_t cap);

/* A TCP RST answering orig (for REJECT --reject-with tcp-reset). */
uint32_t pkt_build_tcp_rst(const struct pkt *orig, uint8_t *out, uint32_t cap);

#endif
