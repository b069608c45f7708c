/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Host mode: the kernel keeps no addresses on the engine's interfaces, so
 * the engine answers ARP for its own addresses, resolves its next hops
 * (a few frames wait per next hop, as the kernel's neighbour queue does),
 * and answers pings to its addresses.  Only the address of the interface
 * a request came in on is answered (Linux's arp_ignore=1), so the two
 * wires never learn each other's addresses.
 */
#include <string.h>
#include "csum.h"
#include "eng_int.h"

#define ARP_LEN 28
#define ARP_FRAME 60		/* the Ethernet minimum, padding included */
#define ARP_RETRY_MS 1000
#define ARP_TRIES 3
#define ARP_REQUEST 1
#define ARP_REPLY 2

static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t zero[6];

static void tx(struct eng *e, unsigned ifidx, const uint8_t *f, uint32_t len)
{
	e->st.tx++;
	e->st.tx_bytes += len;
	if (e->cfg.tx)
		e->cfg.tx(e->cfg.tx_ctx, ifidx, f, len);
}

/* dst: Ethernet destination; tha/tpa: whom the ARP is about. */
static void arp_send(struct eng *e, unsigned ifidx, uint16_t op,
		     const uint8_t dst[6], const uint8_t tha[6], uint32_t tpa)
{
	const struct eng_if_cfg *ifc = &e->cfg.ifs[ifidx];
	uint8_t f[ARP_FRAME] = { 0 }, *a = f + PKT_ETH_HLEN;

	memcpy(f, dst, 6);
	memcpy(f + 6, ifc->mac, 6);
	put16(f + 12, PKT_ETH_ARP);
	put16(a, 1);			/* Ethernet */
	put16(a + 2, PKT_ETH_IP);
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, op);
	memcpy(a + 8, ifc->mac, 6);
	put32n(a + 14, ifc->addr);
	memcpy(a + 18, tha, 6);
	put32n(a + 24, tpa);
	if (op == ARP_REPLY)
		e->st.arp_replies++;
	else
		e->st.arp_requests++;
	tx(e, ifidx, f, sizeof(f));
}

void eng_announce(struct eng *e)
{
	unsigned i;

	for (i = 0; i < e->cfg.nifs; i++)
		arp_send(e, i, ARP_REQUEST, bcast, zero, e->cfg.ifs[i].addr);
}

static struct arp_pending *pending_find(struct eng *e, uint32_t addr)
{
	unsigned i;

	for (i = 0; i < ARP_PENDING; i++)
		if (e->arp[i].used && e->arp[i].addr == addr)
			return &e->arp[i];
	return NULL;
}

/* The next hop answered: send what waited for it. */
static void pending_flush(struct eng *e, uint32_t addr, const uint8_t mac[6])
{
	struct arp_pending *q = pending_find(e, addr);
	unsigned i;

	if (!q)
		return;
	for (i = 0; i < q->n; i++) {
		memcpy(q->frame[i], mac, 6);
		tx(e, q->ifidx, q->frame[i], q->len[i]);
	}
	q->used = false;
}

static bool on_link(const struct eng *e, unsigned i, uint32_t a)
{
	return a && a != e->cfg.ifs[i].addr &&
	       !((a ^ e->cfg.ifs[i].addr) & e->mask[i]);
}

void arp_input(struct eng *e, const struct pkt *p)
{
	const uint8_t *a = p->buf + PKT_ETH_HLEN;
	unsigned i = p->ifidx;
	uint32_t spa, tpa;

	if (p->len < PKT_ETH_HLEN + ARP_LEN || get16(a) != 1 ||
	    get16(a + 2) != PKT_ETH_IP || a[4] != 6 || a[5] != 4)
		return;
	spa = get32n(a + 14);
	tpa = get32n(a + 24);
	if (on_link(e, i, spa)) {
		eng_neigh_add(e, i, spa, a + 8);
		pending_flush(e, spa, a + 8);
	}
	if (get16(a + 6) == ARP_REQUEST && tpa == e->cfg.ifs[i].addr)
		arp_send(e, i, ARP_REPLY, a + 8, a + 8, spa);
}

static struct arp_pending *pending_new(struct eng *e, unsigned oif,
				       uint32_t nh)
{
	struct arp_pending *q;
	unsigned i;

	for (i = 0; i < ARP_PENDING; i++) {
		q = &e->arp[i];
		if (q->used)
			continue;
		q->used = true;
		q->addr = nh;
		q->ifidx = (uint8_t)oif;
		q->n = 0;
		q->tries = 1;
		q->next_ms = e->now_ms + ARP_RETRY_MS;
		arp_send(e, oif, ARP_REQUEST, bcast, zero, nh);
		return q;
	}
	return NULL;
}

void arp_resolve(struct eng *e, unsigned oif, uint32_t nh,
		 const uint8_t *frame, uint32_t len)
{
	struct arp_pending *q = pending_find(e, nh);

	if (!q)
		q = pending_new(e, oif, nh);
	/* a full queue drops the newest, as the kernel's unres_qlen */
	if (!q || q->n == ARP_QLEN || len > ENG_BUF) {
		e->st.no_neigh++;
		return;
	}
	memcpy(q->frame[q->n], frame, len);
	q->len[q->n++] = (uint16_t)len;
}

void arp_tick(struct eng *e)
{
	struct arp_pending *q;
	unsigned i;

	for (i = 0; i < ARP_PENDING; i++) {
		q = &e->arp[i];
		if (!q->used || q->next_ms > e->now_ms)
			continue;
		if (q->tries >= ARP_TRIES) {
			e->st.arp_failed += q->n;
			e->st.no_neigh += q->n;
			q->used = false;
			continue;
		}
		q->tries++;
		q->next_ms = e->now_ms + ARP_RETRY_MS;
		arp_send(e, q->ifidx, ARP_REQUEST, bcast, zero, q->addr);
	}
}

/*
 * Echo request to us becomes the echo reply in place: swapping the
 * addresses leaves the IP sum as it is; the TTL and the ICMP type change
 * incrementally.
 */
bool eng_echo_reply(struct eng *e, struct pkt *p)
{
	uint8_t *ip = pkt_ip(p), *icmp = pkt_l4(p);
	uint32_t s = p->saddr, d = p->daddr;

	if (!e->cfg.host || p->proto != PKT_P_ICMP || p->frag ||
	    p->icmp_type != 8 || !pkt_l4_csum_ok(p))
		return false;
	put32n(ip + 12, d);
	put32n(ip + 16, s);
	csum_field16(ip + 10, get16(ip + 8), (uint16_t)(64 << 8 | ip[9]));
	ip[8] = 64;
	csum_field16(icmp + 2, get16(icmp), (uint16_t)(0 << 8 | icmp[1]));
	icmp[0] = 0;
	p->saddr = d;
	p->daddr = s;
	p->ttl = 64;
	p->icmp_type = 0;
	e->st.echo_replies++;
	return true;
}
