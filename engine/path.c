/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What both models share: frames in (parsed, fragments reassembled, then
 * the legacy path_legacy.c or the iptables path_ipt.c), routing,
 * neighbours, the errors the engine sends itself, and frames out (split
 * to the MTU when needed).
 */
#include <string.h>
#include "csum.h"
#include "eng_int.h"

static const char *ifname(const struct eng *e, unsigned i)
{
	return e->cfg.ifs[i].name;
}

int eng_local_if(const struct eng *e, uint32_t addr)
{
	unsigned i;

	for (i = 0; i < e->cfg.nifs; i++)
		if (e->cfg.ifs[i].addr == addr)
			return (int)i;
	return -1;
}

/* Connected prefixes first, then the interface with a gateway. */
int eng_route(const struct eng *e, uint32_t daddr, uint32_t *nexthop)
{
	unsigned i;

	for (i = 0; i < e->cfg.nifs; i++)
		if (((daddr ^ e->cfg.ifs[i].addr) & e->mask[i]) == 0) {
			*nexthop = daddr;
			return (int)i;
		}
	for (i = 0; i < e->cfg.nifs; i++)
		if (e->cfg.ifs[i].gw) {
			*nexthop = e->cfg.ifs[i].gw;
			return (int)i;
		}
	return -1;
}

int eng_route_pkt(struct eng *e, struct pkt *p)
{
	uint32_t nh;
	int oif = eng_route(e, p->daddr, &nh);

	if (oif < 0) {
		e->st.no_route++;
		return -1;
	}
	p->ifidx = (uint8_t)oif;
	return oif;
}

/* ------------------------------------------------------------------ */
/* Neighbours: static entries and what arriving frames teach          */

static struct eng_neigh *neigh_slot(struct eng *e, uint32_t addr, bool add)
{
	unsigned h = (get32((const uint8_t *)&addr) * 2654435761u) >> 24, i;
	struct eng_neigh *n;

	for (i = 0; i < ENG_NEIGH_MAX; i++) {
		n = &e->neigh[(h + i) % ENG_NEIGH_MAX];
		if (n->used && n->addr == addr)
			return n;
		if (!n->used)
			return add ? n : NULL;
	}
	return NULL;
}

int eng_neigh_add(struct eng *e, unsigned ifidx, uint32_t addr,
		  const uint8_t mac[6])
{
	struct eng_neigh *n = neigh_slot(e, addr, true);

	if (!n || ifidx >= e->cfg.nifs)
		return -1;
	n->used = true;
	n->addr = addr;
	n->ifidx = (uint8_t)ifidx;
	memcpy(n->mac, mac, 6);
	return 0;
}

void eng_neigh_learn(struct eng *e, const struct pkt *p)
{
	unsigned i = p->ifidx;

	if (((p->saddr ^ e->cfg.ifs[i].addr) & e->mask[i]) ||
	    p->saddr == e->cfg.ifs[i].addr || !p->saddr)
		return;
	eng_neigh_add(e, i, p->saddr, p->buf + 6);
}

/* ------------------------------------------------------------------ */
/* Sending                                                             */

void eng_log_event(struct eng *e, const struct mr_rule *r, const char *chain,
		   uint16_t verdict, const struct pkt *p)
{
	struct eng_log ev = { r, chain, verdict, p->buf, p->len, p->ifidx };

	e->st.logged++;
	if (e->cfg.log)
		e->cfg.log(e->cfg.log_ctx, &ev);
}

static void frag_needed(struct eng *e, const struct pkt *p, unsigned oif)
{
	uint32_t n = pkt_build_icmp_err(p, 3, 4, e->cfg.ifs[p->ifidx].addr,
					e->scratch, sizeof(e->scratch));

	if (!n)
		return;
	/* RFC 1191: the next-hop MTU in the low half of the unused word */
	put16(e->scratch + PKT_ETH_HLEN + 20 + 6, e->cfg.ifs[oif].mtu);
	csum_field16(e->scratch + PKT_ETH_HLEN + 20 + 2, 0,
		     e->cfg.ifs[oif].mtu);
	eng_send_icmp_err(e, NULL, 0, 0);
}

/* One frame out of oif to next hop nh: neighbour, counters, callback. */
static void xmit(struct eng *e, unsigned oif, uint32_t nh, uint8_t *f,
		 uint32_t len)
{
	const struct eng_neigh *n;

	memcpy(f + 6, e->cfg.ifs[oif].mac, 6);
	put16(f + 12, PKT_ETH_IP);
	n = neigh_slot(e, nh, false);
	if (!n) {
		if (e->cfg.host)
			arp_resolve(e, oif, nh, f, len);
		else
			e->st.no_neigh++;
		return;
	}
	memcpy(f, n->mac, 6);
	e->st.tx++;
	e->st.tx_bytes += len;
	if (e->cfg.tx)
		e->cfg.tx(e->cfg.tx_ctx, oif, f, len);
}

struct frag_ctx {
	struct eng *e;
	unsigned oif;
	uint32_t nh;
};

static void frag_xmit(void *ctx, uint8_t *f, uint32_t len)
{
	struct frag_ctx *fc = ctx;

	fc->e->st.frag_out++;
	xmit(fc->e, fc->oif, fc->nh, f, len);
}

/*
 * Over the MTU: DF set gets frag-needed (RFC 1191); otherwise the
 * datagram (often one the engine reassembled) leaves in fragments.
 */
static void too_big(struct eng *e, struct pkt *p, unsigned oif, uint32_t nh)
{
	struct frag_ctx fc = { e, oif, nh };

	if (get16(pkt_ip(p) + 6) & 0x4000) {
		e->st.too_big++;
		frag_needed(e, p, oif);
		return;
	}
	if (frag_split(p->buf, p->len, e->cfg.ifs[oif].mtu, e->fragbuf,
		       sizeof(e->fragbuf), frag_xmit, &fc) < 0)
		e->st.too_big++;
}

void eng_send(struct eng *e, struct pkt *p, unsigned oif)
{
	uint32_t nh;
	int r = eng_route(e, p->daddr, &nh);

	if (r < 0) {
		e->st.no_route++;
		return;
	}
	if (p->len - p->l3 > e->cfg.ifs[oif].mtu) {
		too_big(e, p, oif, nh);
		return;
	}
	xmit(e, oif, nh, p->buf, p->len);
}

/*
 * DF and over the outgoing MTU: frag-needed about the packet as it
 * arrived (before any NAT, so it reaches the sender: 2.2 un-masqueraded
 * the quote for this, Linux checks before its FORWARD hook).
 */
bool eng_mtu_ok(struct eng *e, const struct pkt *p, unsigned oif)
{
	if (p->len - p->l3 <= e->cfg.ifs[oif].mtu ||
	    !(get16(pkt_ip(p) + 6) & 0x4000))
		return true;
	e->st.too_big++;
	frag_needed(e, p, oif);
	return false;
}

bool eng_ttl_ok(struct eng *e, struct pkt *p)
{
	if (p->ttl > 1)
		return true;
	e->st.ttl_exceeded++;
	eng_send_icmp_err(e, p, 11, 0);
	return false;
}

static const uint8_t reject_code[] = {
	[MR_RJ_NET_UNREACH] = 0, [MR_RJ_HOST_UNREACH] = 1,
	[MR_RJ_PORT_UNREACH] = 3, [MR_RJ_PROTO_UNREACH] = 2,
	[MR_RJ_NET_PROHIB] = 9, [MR_RJ_HOST_PROHIB] = 10,
	[MR_RJ_ADMIN_PROHIB] = 13,
};

void eng_reject(struct eng *e, const struct pkt *p, uint8_t with)
{
	e->st.rejected++;
	if (with == MR_RJ_TCP_RESET) {
		if (pkt_build_tcp_rst(p, e->scratch, sizeof(e->scratch)))
			eng_send_icmp_err(e, NULL, 0, 0);
		return;
	}
	if (with >= sizeof(reject_code) || with == MR_RJ_DEFAULT)
		with = MR_RJ_PORT_UNREACH;
	eng_send_icmp_err(e, p, 3, reject_code[with]);
}

void eng_own_chain(const struct eng *e, struct rule_ctx *rc,
		   struct mr_chain **c)
{
	rc->table = e->ipt ? e->tfilter : NULL;
	*c = e->ipt ? e->ipt_chain[IPT_F_OUT] : e->lg[LG_OUTPUT];
}

/*
 * An error the engine itself sends (REJECT, TTL, MTU): from the address
 * of the interface the offending packet came in on, through the output
 * chain like any packet the router made.  orig NULL: the frame is in
 * scratch already.
 */
void eng_send_icmp_err(struct eng *e, const struct pkt *orig, uint8_t type,
		       uint8_t code)
{
	struct pkt q = { .buf = e->scratch, .cap = sizeof(e->scratch) };
	struct rule_ctx rc = { .p = &q, .ctstate = MR_CT_RELATED };
	struct mr_chain *out;
	uint32_t nh;
	int oif;

	if (orig) {
		q.len = pkt_build_icmp_err(orig, type, code,
					   e->cfg.ifs[orig->ifidx].addr,
					   e->scratch, sizeof(e->scratch));
	} else {
		q.len = PKT_ETH_HLEN + get16(e->scratch + PKT_ETH_HLEN + 2);
	}
	if (!q.len || pkt_parse(&q) != PKT_OK)
		return;
	if (e->ipt)
		ct_own_error(e, &q);
	else
		nat_own_error(e, &q);
	oif = eng_route(e, q.daddr, &nh);
	if (oif < 0)
		return;
	rc.ifname = ifname(e, (unsigned)oif);
	rc.ifaddr = e->cfg.ifs[oif].addr;
	q.ifidx = (uint8_t)oif;
	eng_own_chain(e, &rc, &out);
	if (e->ipt) {
		rc.ifname = NULL;	/* OUTPUT: -o only */
		rc.oifname = ifname(e, (unsigned)oif);
	}
	if (out && rules_run(e, out, &rc) != MR_V_ACCEPT)
		return;
	eng_send(e, &q, (unsigned)oif);
}

/* ------------------------------------------------------------------ */
/* Frames in                                                           */

/*
 * A fragment is held until its datagram is whole; that datagram then
 * runs the rule path from the engine's large buffer.  false: held or
 * dropped (counted).
 */
static bool defrag(struct eng *e, struct pkt *p)
{
	uint32_t n = 0;
	enum frag_res r;

	e->st.frag_in++;
	r = frag_input(&e->frag, p->buf, p->len, p->ifidx, e->now_ms, e->big,
		       ENG_BIG, &n);
	switch (r) {
	case FRAG_DONE:
		break;
	case FRAG_HELD: case FRAG_DUP:
		return false;
	case FRAG_OVERLAP:
		e->st.frag_overlap++;
		break;
	case FRAG_LIMIT:
		e->st.frag_limit++;
		break;
	default:
		e->st.frag_bad++;
		break;
	}
	if (r != FRAG_DONE) {
		e->st.frag_dropped++;	/* the total; the reason above */
		return false;
	}
	e->st.frag_reasm++;
	p->buf = e->big;
	p->len = n;
	p->cap = ENG_BIG;
	return true;
}

void eng_input(struct eng *e, unsigned ifidx, uint8_t *buf, uint32_t len,
	       uint32_t cap, uint64_t now_ms)
{
	struct pkt p = { .buf = buf, .len = len, .cap = cap };
	enum pkt_err err;

	eng_tick(e, now_ms);
	e->st.rx++;
	if (ifidx >= e->cfg.nifs)
		return;
	p.ifidx = (uint8_t)ifidx;
	err = pkt_parse(&p);
	if (!err && p.frag) {
		if (!defrag(e, &p))
			return;		/* held, or dropped and counted */
		err = pkt_parse(&p);
	}
	if (err) {
		e->st.bad[err]++;
		return;
	}
	if (p.ethertype == PKT_ETH_ARP) {
		e->st.arp++;
		if (e->cfg.host)
			arp_input(e, &p);
		return;
	}
	eng_neigh_learn(e, &p);
	if (!e->rs) {
		e->st.dropped++;
		return;
	}
	if (e->ipt)
		ipt_path(e, &p);
	else
		legacy_path(e, &p);
}

/*
 * A datagram whose first fragment came timed out: time-exceeded, code 1
 * (fragment reassembly), to its sender from the interface it came in on.
 */
void eng_frag_expired(void *ctx, const uint8_t *frame, uint32_t len,
		      uint8_t ifidx)
{
	struct eng *e = ctx;
	uint8_t f[FRAG_HDR + 8];
	struct pkt p = { .buf = f, .len = len, .cap = sizeof(f),
			 .ifidx = ifidx };

	if (len > sizeof(f) || ifidx >= e->cfg.nifs)
		return;
	memcpy(f, frame, len);
	if (pkt_parse(&p) == PKT_OK)
		eng_send_icmp_err(e, &p, 11, 1);
}

/* ------------------------------------------------------------------ */
/* Bursts: the next frames' masquerade lookups loaded ahead            */

/*
 * Frame i + LA_DIST has its tuple read and its bucket(s) loaded while
 * frame i runs, frame i + LA_DIST / 2 its entry (the bucket line has had
 * LA_DIST / 2 frames to arrive), frame i + LA_DIST / 4 the entry's two
 * expiry-list neighbours (which the touch writes); frame headers come
 * 2 * LA_DIST ahead.  bench/engine_offline.c measured the distances.
 */
#define LA_DIST 8u
#define LA_RING 32u		/* power of two, > LA_DIST */
/*
 * Below this many entries what the lookups read (entries and buckets of
 * both indexes, ~3 MB here) mostly stays in the cache and looking ahead
 * costs more than it saves: 30 ns a frame at 1,000 entries, even at about
 * 16,000, 60 ns saved at 100,000 (bench/engine_offline.c).
 */
#define LA_MIN_COUNT 16384u

enum { LA_OUT = 1, LA_IN = 2 };

struct la_slot {
	uint64_t h[2];			/* hashes: [0] out index, [1] in */
	uint8_t want;			/* LA_OUT | LA_IN: lookups expected */
};

/*
 * Which index the path will look in, as it decides: the legacy model
 * demasquerades what is addressed to one of our addresses (nat_demasq:
 * in) and masquerades the rest (nat_masq_out: out), and with state
 * matches nat_ctstate() looks in out first for every packet; the
 * iptables model's ct_classify() looks in out first for every packet,
 * then in when out has none: replies, which come to one of our addresses
 * (MASQUERADE) or in on the side with the default route (SNAT to other
 * addresses).
 */
static uint8_t la_want(const struct eng *e, unsigned ifidx, uint32_t daddr)
{
	bool local = eng_local_if(e, daddr) >= 0;

	if (e->ipt)
		return LA_OUT | (local || e->cfg.ifs[ifidx].gw ? LA_IN : 0);
	if (local)
		return LA_IN | (e->need_ct ? LA_OUT : 0);
	return LA_OUT;
}

/*
 * A look at a frame without parsing it: IPv4 (no fragment) with TCP or
 * UDP ports or an ICMP query id; hash its tuple for the lookups expected,
 * as they will, and load the bucket(s).  Anything else is left to the
 * frame's turn (nothing loaded).  Nothing here is trusted: no checksum,
 * no length beyond what is read.
 */
static void la_tuple(const struct eng *e, const struct eng_frame *f,
		     struct la_slot *s)
{
	const struct masq *m = &e->masq;
	const uint8_t *ip = f->buf + PKT_ETH_HLEN, *l4;
	uint32_t sa, da;
	uint16_t sp, dp;
	unsigned hl;
	uint8_t proto;

	s->want = 0;
	if (f->ifidx >= e->cfg.nifs || !m->nbuckets ||
	    f->len < PKT_ETH_HLEN + 20 ||
	    get16(f->buf + 12) != PKT_ETH_IP)
		return;
	hl = (unsigned)(ip[0] & 15) * 4;
	if ((ip[0] >> 4) != 4 || hl < 20 || f->len < PKT_ETH_HLEN + hl + 8 ||
	    (get16(ip + 6) & 0x3fff))
		return;
	proto = ip[9];
	l4 = ip + hl;
	if (proto == PKT_P_TCP || proto == PKT_P_UDP) {
		sp = get16(l4);
		dp = get16(l4 + 2);
	} else if (proto == PKT_P_ICMP && pkt_icmp_is_query(l4[0])) {
		sp = dp = get16(l4 + 4);
	} else {
		return;
	}
	memcpy(&sa, ip + 12, 4);
	memcpy(&da, ip + 16, 4);
	s->want = la_want(e, f->ifidx, da);
	/* ICMP keys by id alone on the remote side */
	if (s->want & LA_OUT) {
		s->h[0] = masq_hash_out(m, proto, sa, sp, da,
					proto == PKT_P_ICMP ? 0 : dp);
		masq_prefetch_bucket(m, true, s->h[0]);
	}
	if (s->want & LA_IN) {
		s->h[1] = masq_hash_in(m, proto, da, dp, sa,
				       proto == PKT_P_ICMP ? 0 : sp);
		masq_prefetch_bucket(m, false, s->h[1]);
	}
}

/* The bucket is near: the index of the entry its tag names, loading. */
static uint32_t la_entry(const struct eng *e, const struct la_slot *s)
{
	uint32_t i = 0;

	if (s->want & LA_OUT)
		i = masq_prefetch_entry(&e->masq, true, s->h[0]);
	if (!i && (s->want & LA_IN))
		i = masq_prefetch_entry(&e->masq, false, s->h[1]);
	return i;
}

void eng_input_burst(struct eng *e, struct eng_frame *v, unsigned n,
		     uint64_t now_ms)
{
	const struct masq *m = &e->masq;
	struct la_slot la[LA_RING];
	uint32_t idx[LA_RING];		/* 0 (none) loads only entry 0 */
	unsigned i, j;

	if (m->count < LA_MIN_COUNT && !e->la_always) {
		for (i = 0; i < n; i++) {
			if (i + 2 < n)
				__builtin_prefetch(v[i + 2].buf);
			eng_input(e, v[i].ifidx, v[i].buf, v[i].len, v[i].cap,
				  now_ms);
		}
		return;
	}

	/* the first frames: every load of a stage in flight before the next */
	for (i = 0; i < n && i < 2 * LA_DIST; i++)
		__builtin_prefetch(v[i].buf);
	for (i = 0; i < n && i < LA_DIST; i++)
		la_tuple(e, &v[i], &la[i % LA_RING]);
	for (i = 0; i < n && i < LA_DIST / 2; i++)
		idx[i % LA_RING] = la_entry(e, &la[i % LA_RING]);
	for (i = 0; i < n && i < LA_DIST / 4; i++)
		masq_prefetch_links(m, idx[i % LA_RING]);
	for (i = 0; i < n; i++) {
		j = i + 2 * LA_DIST;
		if (j < n)
			__builtin_prefetch(v[j].buf);
		j = i + LA_DIST;
		if (j < n)
			la_tuple(e, &v[j], &la[j % LA_RING]);
		j = i + LA_DIST / 2;
		if (j < n)
			idx[j % LA_RING] = la_entry(e, &la[j % LA_RING]);
		j = i + LA_DIST / 4;
		if (j < n)
			masq_prefetch_links(m, idx[j % LA_RING]);
		eng_input(e, v[i].ifidx, v[i].buf, v[i].len, v[i].cap, now_ms);
	}
}
