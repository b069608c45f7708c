/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Packet parsing: every length is checked against what the frame really
 * holds before a byte past it is read, so that a rewrite can trust the
 * offsets pkt_parse() leaves behind.
 */
#include <string.h>
#include "csum.h"
#include "pkt.h"

uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	uint64_t s = sum;

	for (; n >= 2; p += 2, n -= 2)
		s += get16(p);
	if (n)
		s += (uint32_t)p[0] << 8;
	while (s >> 32)
		s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffff) + (s >> 16);
	return (uint32_t)s;
}

uint32_t csum_pseudo(uint32_t saddr, uint32_t daddr, uint8_t proto,
		     uint16_t len)
{
	uint32_t s = 0;

	s = csum_add(s, (const uint8_t *)&saddr, 4);
	s = csum_add(s, (const uint8_t *)&daddr, 4);
	return s + proto + len;
}

bool pkt_icmp_is_error(uint8_t type)
{
	/* unreachable, source quench, redirect, time exceeded, param */
	return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

bool pkt_icmp_is_query(uint8_t type)
{
	/* echo, timestamp, info, address mask: requests and replies */
	return type == 0 || type == 8 || type == 13 || type == 14 ||
	       type == 15 || type == 16 || type == 17 || type == 18;
}

static enum pkt_err parse_tcp(struct pkt *p, const uint8_t *l4)
{
	unsigned doff;

	if (p->l4len < 20)
		return PKT_E_L4HDR;
	doff = (unsigned)(l4[12] >> 4) * 4;
	if (doff < 20 || doff > p->l4len)
		return PKT_E_L4HDR;
	p->sport = get16(l4);
	p->dport = get16(l4 + 2);
	p->tcp_flags = l4[13];
	p->payload = (uint16_t)(p->l4 + doff);
	return PKT_OK;
}

static enum pkt_err parse_udp(struct pkt *p, const uint8_t *l4)
{
	uint16_t ulen;

	if (p->l4len < 8)
		return PKT_E_L4HDR;
	ulen = get16(l4 + 4);
	if (ulen < 8 || ulen > p->l4len)
		return PKT_E_L4HDR;
	p->sport = get16(l4);
	p->dport = get16(l4 + 2);
	p->payload = (uint16_t)(p->l4 + 8);
	return PKT_OK;
}

/* The quoted datagram of an ICMP error: its IP header and first bytes. */
static enum pkt_err parse_inner(struct pkt *p)
{
	struct pkt_inner *in = &p->in;
	uint32_t off = p->l4 + 8u, end = p->l4 + (uint32_t)p->l4len;
	const uint8_t *ip = p->buf + off;
	unsigned hl, room;

	if (end - off < 20 || (ip[0] >> 4) != 4)
		return PKT_E_L4HDR;
	hl = (unsigned)(ip[0] & 15) * 4;
	if (hl < 20 || hl > end - off)
		return PKT_E_L4HDR;
	in->l3 = (uint16_t)off;
	in->l4 = (uint16_t)(off + hl);
	in->end = (uint16_t)end;
	in->proto = ip[9];
	in->saddr = get32n(ip + 12);
	in->daddr = get32n(ip + 16);
	room = end - in->l4;
	in->ports = false;
	if (get16(ip + 6) & 0x1fff)
		return PKT_OK;		/* quotes a later fragment: no ports */
	if ((in->proto == PKT_P_TCP || in->proto == PKT_P_UDP) && room >= 4) {
		in->sport = get16(p->buf + in->l4);
		in->dport = get16(p->buf + in->l4 + 2);
		in->ports = true;
	} else if (in->proto == PKT_P_ICMP && room >= 6 &&
		   pkt_icmp_is_query(p->buf[in->l4])) {
		in->sport = in->dport = get16(p->buf + in->l4 + 4);
		in->ports = true;
	}
	return PKT_OK;
}

static enum pkt_err parse_icmp(struct pkt *p, const uint8_t *l4)
{
	if (p->l4len < 8)
		return PKT_E_L4HDR;
	p->icmp_type = l4[0];
	p->icmp_code = l4[1];
	if (pkt_icmp_is_query(p->icmp_type))
		p->sport = p->dport = get16(l4 + 4);
	if (!pkt_icmp_is_error(p->icmp_type))
		return PKT_OK;
	/*
	 * The quote is rewritten with incremental updates, which would carry
	 * a wrong checksum along: check it now, as conntrack does.
	 */
	if (p->frag || csum_finish(csum_add(0, l4, p->l4len)))
		return PKT_E_ICMPCSUM;
	p->icmp_err = true;
	return parse_inner(p);
}

static enum pkt_err parse_l4(struct pkt *p)
{
	const uint8_t *l4 = p->buf + p->l4;

	switch (p->proto) {
	case PKT_P_TCP:
		return parse_tcp(p, l4);
	case PKT_P_UDP:
		return parse_udp(p, l4);
	case PKT_P_ICMP:
		return parse_icmp(p, l4);
	}
	return PKT_OK;
}

static enum pkt_err parse_ip(struct pkt *p)
{
	const uint8_t *ip = p->buf + PKT_ETH_HLEN;
	uint32_t room = p->len - PKT_ETH_HLEN;
	unsigned hl, tot, frag;

	if (room < 20)
		return PKT_E_SHORT;
	hl = (unsigned)(ip[0] & 15) * 4;
	if ((ip[0] >> 4) != 4 || hl < 20 || hl > room)
		return PKT_E_IPHDR;
	tot = get16(ip + 2);
	if (tot < hl || tot > room)
		return PKT_E_IPHDR;
	if (csum_finish(csum_add(0, ip, hl)))
		return PKT_E_IPCSUM;
	p->len = PKT_ETH_HLEN + tot;	/* drop Ethernet padding */
	p->l3 = PKT_ETH_HLEN;
	p->l4 = (uint16_t)(PKT_ETH_HLEN + hl);
	p->l4len = (uint16_t)(tot - hl);
	p->payload = (uint16_t)p->len;
	p->ttl = ip[8];
	p->proto = ip[9];
	p->saddr = get32n(ip + 12);
	p->daddr = get32n(ip + 16);
	frag = get16(ip + 6);
	p->nonfirst = (frag & 0x1fff) != 0;
	p->frag = p->nonfirst || (frag & 0x2000);
	/* a fragment's L4 header is read once the datagram is whole */
	if (p->frag)
		return PKT_OK;
	return parse_l4(p);
}

enum pkt_err pkt_parse(struct pkt *p)
{
	uint8_t ifidx = p->ifidx;
	uint32_t mark = p->mark;

	memset((uint8_t *)p + offsetof(struct pkt, ethertype), 0,
	       sizeof(*p) - offsetof(struct pkt, ethertype));
	p->ifidx = ifidx;
	p->mark = mark;
	if (p->len < PKT_ETH_HLEN)
		return PKT_E_SHORT;
	p->ethertype = get16(p->buf + 12);
	p->l3 = PKT_ETH_HLEN;
	if (p->ethertype == PKT_ETH_ARP)
		return PKT_OK;
	if (p->ethertype != PKT_ETH_IP)
		return PKT_E_ETHERTYPE;
	return parse_ip(p);
}
