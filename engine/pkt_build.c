/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Packets the engine sends on its own: ICMP errors and TCP resets. */
#include <string.h>
#include "csum.h"
#include "pkt.h"

/* RFC 1812 4.3.2.3: quote as much as fits in 576 bytes. */
#define ICMP_ERR_MAX 576

static bool addr_special(uint32_t a)
{
	const uint8_t *b = (const uint8_t *)&a;

	return !a || a == 0xffffffff || (b[0] & 0xf0) == 0xe0 || b[0] == 127;
}

/* A 20-byte IPv4 header with its checksum. */
static void ip_header(uint8_t *ip, uint8_t tos, uint16_t tot, uint8_t proto,
		      uint32_t src, uint32_t dst)
{
	memset(ip, 0, 20);
	ip[0] = 0x45;
	ip[1] = tos;
	put16(ip + 2, tot);
	ip[8] = 64;
	ip[9] = proto;
	put32n(ip + 12, src);
	put32n(ip + 16, dst);
	put16(ip + 10, csum_finish(csum_add(0, ip, 20)));
}

uint32_t pkt_build_icmp_err(const struct pkt *orig, uint8_t type, uint8_t code,
			    uint32_t src, uint8_t *out, uint32_t cap)
{
	uint32_t quote = orig->len - orig->l3, tot;
	uint8_t *ip = out + PKT_ETH_HLEN, *icmp = ip + 20;

	/* RFC 1122 3.2.2: never about an error, a fragment tail, a group */
	if (orig->ethertype != PKT_ETH_IP || orig->nonfirst || orig->icmp_err ||
	    (orig->proto == PKT_P_ICMP && !pkt_icmp_is_query(orig->icmp_type)) ||
	    addr_special(orig->saddr) || addr_special(orig->daddr))
		return 0;
	if (quote > ICMP_ERR_MAX - 28)
		quote = ICMP_ERR_MAX - 28;
	tot = 28 + quote;
	if (PKT_ETH_HLEN + tot > cap)
		return 0;
	memset(out, 0, PKT_ETH_HLEN);
	put16(out + 12, PKT_ETH_IP);
	/* precedence "internetwork control", as Linux's icmp_send() */
	ip_header(ip, (uint8_t)((pkt_ip(orig)[1] & 0x1e) | 0xc0), (uint16_t)tot,
		  PKT_P_ICMP, src, orig->saddr);
	memset(icmp, 0, 8);
	icmp[0] = type;
	icmp[1] = code;
	memcpy(icmp + 8, pkt_ip(orig), quote);
	put16(icmp + 2, csum_finish(csum_add(0, icmp, 8 + quote)));
	return PKT_ETH_HLEN + tot;
}

uint32_t pkt_build_tcp_rst(const struct pkt *orig, uint8_t *out, uint32_t cap)
{
	uint8_t *ip = out + PKT_ETH_HLEN, *th = ip + 20;
	uint32_t seg, s;

	if (orig->proto != PKT_P_TCP || orig->nonfirst ||
	    (orig->tcp_flags & 0x04) || cap < PKT_ETH_HLEN + 40)
		return 0;
	memset(out, 0, PKT_ETH_HLEN);
	put16(out + 12, PKT_ETH_IP);
	ip_header(ip, 0, 40, PKT_P_TCP, orig->daddr, orig->saddr);
	memset(th, 0, 20);
	put16(th, orig->dport);
	put16(th + 2, orig->sport);
	th[12] = 5 << 4;
	if (orig->tcp_flags & 0x10) {
		/* RFC 793: the reset takes its sequence from the ACK */
		put32(th + 4, pkt_tcp_ack(orig));
		th[13] = 0x04;
	} else {
		seg = orig->len - orig->payload;
		seg += (orig->tcp_flags & 0x02 ? 1 : 0) +
		       (orig->tcp_flags & 0x01 ? 1 : 0);
		put32(th + 8, pkt_tcp_seq(orig) + seg);
		th[13] = 0x14;
	}
	s = csum_pseudo(orig->daddr, orig->saddr, PKT_P_TCP, 20);
	put16(th + 16, csum_finish(csum_add(s, th, 20)));
	return PKT_ETH_HLEN + 40;
}
