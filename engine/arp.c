/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Host mode: the kernel keeps no addresses on the engine's interfaces, so
 * the engine answers ARP for its own addresses, resolves its next hops
 * (a few frames wait per next hop, as the kernel's neighbour queue does),
 * and answers pings to its addresses.  Only the address of the interface
 * a request came in on is answered (Linux's arp_ignore=1), so the two
 * wires never learn each other's addresses.
 *
 * Neighbours live as Linux's do: reachable for a random time around a
 * base (30 s), then stale.  A stale neighbour leaves the fast-path table
 * (path.c's e->neigh) for e->nl.stale; its next use still sends to the
 * known MAC but starts the check (a delay, then unicast probes), and one
 * that never answers is forgotten, so the next frame asks by broadcast.
 * Unused stale entries are collected.  Frames that waited for a next hop
 * that never answered get a host unreachable back, as from Linux.
 */
#include <string.h>
#include "csum.h"
#include "eng_int.h"

#define ARP_LEN 28
#define ARP_FRAME 60		/* the Ethernet minimum, padding included */
#define ARP_RETRY_MS 1000	/* Linux's retrans_time */
#define ARP_TRIES 3
#define ARP_REQUEST 1
#define ARP_REPLY 2

#define NEIGH_REACH_MS 30000	/* base_reachable_time */
#define NEIGH_DELAY_MS 5000	/* delay_first_probe_time */
#define NEIGH_PROBES 3		/* ucast_solicit */
#define NEIGH_GC_STALE_MS 60000	/* gc_stale_time */
/* above this many fast-path entries the soonest to expire go stale */
#define NEIGH_GC_THRESH (ENG_NEIGH_MAX * 3 / 4)

#define NEIGH_SCAN_MS 100	/* the live loop's tick */

enum { NS_STALE = 1, NS_DELAY, NS_PROBE };

/* Unreachable errors: a token bucket of 10 with 10 a second. */
#define UNREACH_COST_MS 100
#define UNREACH_BURST_MS 1000

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

/* ------------------------------------------------------------------ */
/* Neighbour lifetimes                                                 */

void arp_set_reachable(struct eng *e, uint32_t base_ms, uint32_t seed)
{
	e->nl.base_reach_ms = base_ms;
	e->nl.rnd = seed;
}

static uint32_t base_reach(const struct eng *e)
{
	return e->nl.base_reach_ms ? e->nl.base_reach_ms : NEIGH_REACH_MS;
}

/* Linux's random factor: uniform in [base/2, 3 base/2). */
static uint32_t reach_ms(struct eng *e)
{
	uint32_t x = e->nl.rnd ? e->nl.rnd : 0x9e3779b9u, b = base_reach(e);

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	e->nl.rnd = x;
	return b / 2 + x % b;
}

/* A short base (tests) shortens the wait before the first probe too. */
static uint32_t delay_ms(const struct eng *e)
{
	return base_reach(e) < NEIGH_DELAY_MS ? base_reach(e) : NEIGH_DELAY_MS;
}

static struct eng_neigh *neigh_find(struct eng *e, uint32_t addr)
{
	unsigned i;

	for (i = 0; i < ENG_NEIGH_MAX; i++)
		if (e->neigh[i].used && e->neigh[i].addr == addr)
			return &e->neigh[i];
	return NULL;
}

static struct neigh_stale *stale_find(struct eng *e, uint32_t addr)
{
	unsigned i;

	for (i = 0; i < NEIGH_STALE_MAX; i++)
		if (e->nl.stale[i].used && e->nl.stale[i].addr == addr)
			return &e->nl.stale[i];
	return NULL;
}

static void stale_forget(struct eng *e, uint32_t addr)
{
	struct neigh_stale *s = stale_find(e, addr);

	if (s)
		memset(s, 0, sizeof(*s));
}

/* A slot for addr: its own, a free one, or the longest stale. */
static struct neigh_stale *stale_slot(struct eng *e, uint32_t addr)
{
	struct neigh_stale *s = stale_find(e, addr), *old = NULL;
	unsigned i;

	for (i = 0; !s && i < NEIGH_STALE_MAX; i++) {
		s = e->nl.stale[i].used ? NULL : &e->nl.stale[i];
		if (!old || (e->nl.stale[i].state == NS_STALE &&
			     e->nl.stale[i].since_ms < old->since_ms))
			old = &e->nl.stale[i];
	}
	return s ? s : old;
}

static void stale_put(struct eng *e, const struct eng_neigh *n)
{
	struct neigh_stale *s = stale_slot(e, n->addr);

	memset(s, 0, sizeof(*s));
	s->used = true;
	s->addr = n->addr;
	s->ifidx = n->ifidx;
	memcpy(s->mac, n->mac, 6);
	s->state = NS_STALE;
	s->since_ms = e->now_ms;
}

/* The neighbour answered (mac may be new): reachable again. */
static void neigh_confirm(struct eng *e, unsigned ifidx, uint32_t addr,
			  const uint8_t mac[6])
{
	struct eng_neigh *n;

	stale_forget(e, addr);
	if (eng_neigh_add(e, ifidx, addr, mac))
		return;		/* table full: the queued frames still go */
	n = neigh_find(e, addr);
	if (n)
		n->until_ms = e->now_ms + reach_ms(e);
}

/*
 * path.c's table probes linearly and knows no deletion: what stays goes
 * back in through eng_neigh_add, with its lifetime.
 */
static void neigh_rebuild(struct eng *e, const bool *drop)
{
	struct eng_neigh keep[ENG_NEIGH_MAX], *n;
	unsigned i, k = 0;

	for (i = 0; i < ENG_NEIGH_MAX; i++)
		if (e->neigh[i].used && !drop[i])
			keep[k++] = e->neigh[i];
	memset(e->neigh, 0, sizeof(e->neigh));
	for (i = 0; i < k; i++) {
		eng_neigh_add(e, keep[i].ifidx, keep[i].addr, keep[i].mac);
		n = neigh_find(e, keep[i].addr);
		if (n)
			n->until_ms = keep[i].until_ms;
	}
}

/* Over the bound: the entry soonest to expire goes stale now. */
static int neigh_soonest(const struct eng *e, const bool *drop)
{
	int best = -1;
	unsigned i;

	for (i = 0; i < ENG_NEIGH_MAX; i++)
		if (e->neigh[i].used && !drop[i] &&
		    (best < 0 || e->neigh[i].until_ms <
				 e->neigh[best].until_ms))
			best = (int)i;
	return best;
}

/* Fast-path entries past their time become stale. */
static void neigh_expire(struct eng *e)
{
	bool drop[ENG_NEIGH_MAX] = { false };
	unsigned i, live = 0, gone = 0;
	struct eng_neigh *n;
	int j;

	for (i = 0; i < ENG_NEIGH_MAX; i++) {
		n = &e->neigh[i];
		if (!n->used)
			continue;
		live++;
		if (!n->until_ms) {	/* learnt from its frames (path.c) */
			n->until_ms = e->now_ms + reach_ms(e);
			stale_forget(e, n->addr);
		}
		if (n->until_ms <= e->now_ms) {
			drop[i] = true;
			gone++;
		}
	}
	while (live - gone > NEIGH_GC_THRESH &&
	       (j = neigh_soonest(e, drop)) >= 0) {
		drop[j] = true;
		gone++;
	}
	if (!gone)
		return;
	for (i = 0; i < ENG_NEIGH_MAX; i++)
		if (drop[i])
			stale_put(e, &e->neigh[i]);
	neigh_rebuild(e, drop);
}

/* Stale entries: collect the unused, probe the used, forget the silent. */
static void stale_tick(struct eng *e)
{
	struct neigh_stale *s;
	unsigned i;

	for (i = 0; i < NEIGH_STALE_MAX; i++) {
		s = &e->nl.stale[i];
		if (!s->used)
			continue;
		if (s->state == NS_STALE) {
			if (e->now_ms - s->since_ms >= NEIGH_GC_STALE_MS)
				memset(s, 0, sizeof(*s));
			continue;
		}
		if (s->next_ms > e->now_ms)
			continue;
		if (s->probes >= NEIGH_PROBES) {
			memset(s, 0, sizeof(*s));	/* failed */
			continue;
		}
		s->state = NS_PROBE;
		s->probes++;
		s->next_ms = e->now_ms + ARP_RETRY_MS;
		arp_send(e, s->ifidx, ARP_REQUEST, s->mac, zero, s->addr);
	}
}

/* A frame for a stale neighbour: send it there, and start the check. */
static void stale_use(struct eng *e, struct neigh_stale *s,
		      const uint8_t *frame, uint32_t len)
{
	uint8_t f[ENG_BUF];

	if (s->state == NS_STALE) {
		s->state = NS_DELAY;
		s->next_ms = e->now_ms + delay_ms(e);
	}
	memcpy(f, frame, len);
	memcpy(f, s->mac, 6);
	tx(e, s->ifidx, f, len);
}

/* ------------------------------------------------------------------ */
/* Resolution                                                          */

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
		neigh_confirm(e, i, spa, a + 8);
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
	struct neigh_stale *s = stale_find(e, nh);
	struct arp_pending *q;

	if (s && s->ifidx == oif && len <= ENG_BUF) {
		stale_use(e, s, frame, len);
		return;
	}
	q = pending_find(e, nh);
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

/* ------------------------------------------------------------------ */
/* Host unreachable for what waited in vain                            */

static bool unreach_allowed(struct eng *e)
{
	struct neigh_life *l = &e->nl;

	l->icmp_credit_ms += e->now_ms - l->icmp_last_ms;
	l->icmp_last_ms = e->now_ms;
	if (l->icmp_credit_ms > UNREACH_BURST_MS)
		l->icmp_credit_ms = UNREACH_BURST_MS;
	if (l->icmp_credit_ms < UNREACH_COST_MS)
		return false;
	l->icmp_credit_ms -= UNREACH_COST_MS;
	return true;
}

/*
 * Who sent p, and what did it send?  A masqueraded frame left with our
 * address: the error goes to the inside host about the packet as it sent
 * it (Linux reverses the NAT of the quote too).  p->ifidx becomes the
 * interface facing the sender, whose address the error comes from.
 */
static bool unreach_sender(struct eng *e, struct pkt *p)
{
	struct conn *c = NULL;
	uint32_t nh;
	int oif;

	if (eng_local_if(e, p->saddr) >= 0) {
		if (p->proto == PKT_P_TCP || p->proto == PKT_P_UDP ||
		    p->proto == PKT_P_ICMP)
			c = masq_in_exact(&e->masq, p->proto, p->saddr,
					  p->sport, p->daddr,
					  p->proto == PKT_P_ICMP ? 0 : p->dport);
		if (!c)
			return false;	/* the engine's own frame */
		pkt_set_saddr(p, c->iaddr);
		if (p->proto == PKT_P_ICMP)
			pkt_set_icmp_id(p, c->iport);
		else
			pkt_set_sport(p, c->iport);
	}
	oif = eng_route(e, p->saddr, &nh);
	if (oif < 0)
		return false;
	p->ifidx = (uint8_t)oif;
	return true;
}

static void unreach(struct eng *e, uint8_t *frame, uint32_t len)
{
	struct pkt p = { .buf = frame, .len = len, .cap = ENG_BUF };

	if (pkt_parse(&p) != PKT_OK || p.ethertype != PKT_ETH_IP ||
	    p.nonfirst || p.icmp_err ||
	    (p.proto == PKT_P_ICMP && !pkt_icmp_is_query(p.icmp_type)))
		return;		/* never about an error */
	if (unreach_sender(e, &p) && unreach_allowed(e))
		eng_send_icmp_err(e, &p, 3, 1);
}

/* The next hop never answered: an error for each frame that waited. */
static void pending_fail(struct eng *e, struct arp_pending *q)
{
	uint8_t f[ARP_QLEN][ENG_BUF];
	uint16_t len[ARP_QLEN];
	unsigned i, n = q->n;

	e->st.arp_failed += n;
	e->st.no_neigh += n;
	/* the errors may need a resolution themselves: free the slot first */
	for (i = 0; i < n; i++) {
		len[i] = q->len[i];
		memcpy(f[i], q->frame[i], len[i]);
	}
	q->used = false;
	for (i = 0; i < n; i++)
		unreach(e, f[i], len[i]);
}

void arp_tick(struct eng *e)
{
	struct arp_pending *q;
	unsigned i;

	/* eng_input ticks on every frame: lifetimes need only ours */
	if (e->now_ms >= e->nl.scan_ms) {
		e->nl.scan_ms = e->now_ms + NEIGH_SCAN_MS;
		neigh_expire(e);
		stale_tick(e);
	}
	for (i = 0; i < ARP_PENDING; i++) {
		q = &e->arp[i];
		if (!q->used || q->next_ms > e->now_ms)
			continue;
		if (q->tries >= ARP_TRIES) {
			pending_fail(e, q);
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
