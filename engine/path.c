/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The packet path of the 2.0/2.2 kernels (dialects.md 1.1): a forwarded
 * packet is judged by input (with its incoming interface), forward (with
 * its outgoing interface; MASQ here masquerades) and output (outgoing,
 * after masquerading).  Replies to masqueraded flows are recognised after
 * input, translated back, and go straight to output: they never meet the
 * forward chain.
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

void eng_send(struct eng *e, struct pkt *p, unsigned oif)
{
	const struct eng_neigh *n;
	uint32_t nh;
	int r = eng_route(e, p->daddr, &nh);

	if (r < 0) {
		e->st.no_route++;
		return;
	}
	if (p->len - p->l3 > e->cfg.ifs[oif].mtu) {
		e->st.too_big++;
		if (get16(pkt_ip(p) + 6) & 0x4000)
			frag_needed(e, p, oif);
		return;
	}
	memcpy(p->buf + 6, e->cfg.ifs[oif].mac, 6);
	put16(p->buf + 12, PKT_ETH_IP);
	n = neigh_slot(e, nh, false);
	if (!n) {
		if (e->cfg.host)
			arp_resolve(e, oif, nh, p->buf, p->len);
		else
			e->st.no_neigh++;
		return;
	}
	memcpy(p->buf, n->mac, 6);
	e->st.tx++;
	e->st.tx_bytes += p->len;
	if (e->cfg.tx)
		e->cfg.tx(e->cfg.tx_ctx, oif, p->buf, p->len);
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
	oif = eng_route(e, q.daddr, &nh);
	if (oif < 0)
		return;
	rc.ifname = ifname(e, (unsigned)oif);
	rc.ifaddr = e->cfg.ifs[oif].addr;
	q.ifidx = (uint8_t)oif;
	if (e->lg[LG_OUTPUT] &&
	    rules_run(e, e->lg[LG_OUTPUT], &rc) != MR_V_ACCEPT)
		return;
	eng_send(e, &q, (unsigned)oif);
}
