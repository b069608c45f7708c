/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The live loop: one thread for the packets, one epoll set holding each
 * interface's AF_PACKET socket, a 100 ms timerfd and the watched fds (the
 * control socket's set, whose SET worker thread never touches packets).
 * Each wakeup drains the ready ring blocks through the engine, then sends
 * what the engine queued in one sendmmsg() per interface.  The clock is
 * CLOCK_MONOTONIC.
 *
 * Partial checksums: a TCP or UDP frame from a local sender through veth
 * comes with only the pseudo-header sum in its checksum field
 * (CHECKSUM_PARTIAL, TP_STATUS_CSUMNOTREADY).  With vnet headers on every
 * interface the engine does not complete it: the frame goes through the
 * engine as it is (the engine's incremental updates of that field mean
 * nothing then), and when it, or what a helper made of it, is sent, the
 * field is set to the pseudo-header sum of the headers as they leave and
 * the frame goes out partial, for the kernel or the receiver to finish
 * (as the kernel's own forwarding does).  The frame is recognised on the
 * way out by protocol and IP id, also later from the ARP queue (a short
 * list of such frames not sent at once).  Marking a well-formed frame
 * partial by mistake is harmless: its checksum is computed anew.  Frames
 * the engine could fragment (longer than the smallest MTU) and frames not
 * as the vnet header describes are completed in software first, as
 * without vnet headers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/if_packet.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include "csum.h"
#include "eng_int.h"
#include "live.h"
#include "netif.h"

#define LIVE_TICK_MS 100
#define LIVE_EVENTS 16
#define LIVE_WATCH 4
#define TAG_TIMER ENG_MAX_IF
#define TAG_WATCH (ENG_MAX_IF + 1)	/* + the watch's index */
#define LIVE_PARTIAL_Q 16		/* partial frames not sent at once */
#define LIVE_PARTIAL_MS 10000		/* longer than ARP's 3 tries */

/* A partial-checksum frame, to know it again on its way out. */
struct live_partial {
	uint64_t ms;			/* when it came (0: a free slot) */
	uint32_t saddr, daddr;		/* as it came, network order */
	uint16_t id;
	uint8_t proto;
};

/*
 * A GSO frame (GRO on the interface, or a peer's TSO) stays in the ring;
 * the engine sees only its first segment, in l->buf, and what it makes of
 * those headers is put back on the whole frame (see gso_rx()).
 */
struct live_gso {
	uint8_t *f;			/* NULL: none in eng_input() */
	uint32_t end;			/* frame length (IP datagram's end) */
	uint16_t l4, hdrlen, size;	/* TCP offset, headers, gso_size */
	uint8_t type;			/* VIRTIO_NET_HDR_GSO_* */
};

/* Another fd the loop serves (the control socket). */
struct live_watch {
	void (*fn)(void *ctx);
	void *ctx;
};

struct eng_live {
	struct eng *e;
	unsigned nifs;
	struct pio io[ENG_MAX_IF];
	int ep, tfd;
	unsigned cur_if;		/* interface of the frame being read */
	uint64_t now_ms;
	struct live_watch watch[LIVE_WATCH];
	unsigned nwatch;
	struct eng_live_stats st;
	bool vnet;			/* every interface has vnet headers */
	uint16_t min_mtu;
	bool in_partial, in_sent;	/* the frame in eng_input() is one */
	struct live_partial cur;
	struct live_partial q[LIVE_PARTIAL_Q];
	unsigned nq;			/* used slots, next one to fill */
	unsigned qnext;
	uint16_t max_mtu;
	uint8_t *inring;		/* the frame in eng_input(), in the ring */
	struct live_gso gso;		/* the GSO frame behind l->buf */
	bool tso[ENG_MAX_IF];		/* the device takes GSO frames */
	uint8_t seg[ENG_BUF];		/* one segment cut here */
	uint8_t buf[ENG_BUF];		/* one frame, rewritten in place */
};

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * An unfragmented IPv4 TCP or UDP frame: its IP header offset, and 0 if
 * not one.  *l4 the L4 offset, *end where the IP datagram ends.
 */
static uint32_t ip_l4(const uint8_t *f, uint32_t len, uint32_t *l4,
		      uint32_t *end)
{
	const uint8_t *ip = f + 14;
	uint32_t hl, tot;

	if (len < 14 + 20 || get16(f + 12) != PKT_ETH_IP || (ip[0] >> 4) != 4)
		return 0;
	hl = (ip[0] & 15u) * 4;
	tot = get16(ip + 2);
	if (hl < 20 || tot < hl + 8 || 14 + tot > len ||
	    (get16(ip + 6) & 0x3fff) ||
	    (ip[9] != PKT_P_TCP && ip[9] != PKT_P_UDP) ||
	    (ip[9] == PKT_P_TCP && tot < hl + 20))
		return 0;
	*l4 = 14 + hl;
	*end = 14 + tot;
	return 14;
}

static bool partial_match(const struct live_partial *c, const uint8_t *ip)
{
	return c->id == get16(ip + 4) && c->proto == ip[9] &&
	       (c->saddr == get32n(ip + 12) || c->daddr == get32n(ip + 16));
}

/* Is f (an unfragmented TCP/UDP frame) one that came partial? */
static bool was_partial(struct eng_live *l, const uint8_t *ip)
{
	unsigned i;

	if (l->in_partial && partial_match(&l->cur, ip)) {
		l->in_sent = true;
		return true;
	}
	for (i = 0; i < l->nq; i++)
		if (l->q[i].ms && l->now_ms - l->q[i].ms < LIVE_PARTIAL_MS &&
		    partial_match(&l->q[i], ip)) {
			l->q[i].ms = 0;
			return true;
		}
	return false;
}

/*
 * A device without TSO: cut the (rewritten) GSO frame here, as the
 * kernel would: IP id + i, sequence + i x size, FIN and PSH on the last
 * segment only, CWR on the first only; checksums partial.
 */
static void gso_cut(struct eng_live *l, unsigned ifidx)
{
	const struct live_gso *g = &l->gso;
	uint32_t off, n, seq = get32(g->f + g->l4 + 4), s, i;
	uint16_t id = get16(g->f + 18);
	uint8_t *ip = l->seg + 14, *th = l->seg + g->l4;
	unsigned k = 0;

	for (off = g->hdrlen; off < g->end; off += n, k++) {
		n = g->end - off < g->size ? g->end - off : g->size;
		memcpy(l->seg, g->f, g->hdrlen);
		memcpy(l->seg + g->hdrlen, g->f + off, n);
		put16(ip + 2, (uint16_t)(g->hdrlen - 14 + n));
		put16(ip + 4, (uint16_t)(id + k));
		put16(ip + 10, 0);
		for (s = 0, i = 0; i + 14 < g->l4; i += 2)
			s += get16(ip + i);
		put16(ip + 10, csum_finish(s));
		put32(th + 4, seq + (off - g->hdrlen));
		if (off + n < g->end)
			th[13] &= (uint8_t)~0x09;	/* FIN, PSH */
		if (k)
			th[13] &= (uint8_t)~0x80;	/* CWR */
		s = (uint32_t)get16(ip + 12) + get16(ip + 14) +
		    get16(ip + 16) + get16(ip + 18) + PKT_P_TCP +
		    (g->hdrlen - g->l4 + n);
		put16(th + 16, csum_fold(s));
		pio_tx_partial(&l->io[ifidx], l->seg, g->hdrlen + n, g->l4,
			       16, false);
	}
}

/*
 * The engine sends the first segment of a GSO frame: if it changed the
 * headers only (no helper touched the payload), the whole frame leaves
 * with those headers, as GSO with a partial checksum; the kernel (or the
 * receiver) cuts it, every segment with the same rewrite.  Otherwise only
 * that segment leaves and TCP sends the rest again.
 */
static bool gso_tx(struct eng_live *l, unsigned ifidx, const uint8_t *f,
		   uint32_t len)
{
	struct live_gso *g = &l->gso;
	uint32_t l4, end, s, i;
	uint8_t *ip = g->f + 14;

	if (len != (uint32_t)g->hdrlen + g->size || !ip_l4(f, len, &l4, &end) ||
	    l4 != g->l4 || f[23] != PKT_P_TCP ||
	    (f[l4 + 12] >> 4) * 4u != (uint32_t)(g->hdrlen - g->l4) ||
	    memcmp(f + g->hdrlen, g->f + g->hdrlen, g->size)) {
		l->st.gso_cut++;
		return false;
	}
	memcpy(g->f, f, g->hdrlen);
	put16(ip + 2, (uint16_t)(g->end - 14));
	put16(ip + 10, 0);
	for (s = 0, i = 0; i + 14 < g->l4; i += 2)
		s += get16(ip + i);
	put16(ip + 10, csum_finish(s));
	s = (uint32_t)get16(ip + 12) + get16(ip + 14) + get16(ip + 16) +
	    get16(ip + 18) + PKT_P_TCP + (g->end - g->l4);
	put16(g->f + g->l4 + 16, csum_fold(s));
	if (l->tso[ifidx])
		pio_tx_gso(&l->io[ifidx], g->f, g->end, g->l4, g->hdrlen,
			   g->size, g->type);
	else
		gso_cut(l, ifidx);
	l->in_sent = true;
	g->f = NULL;			/* once */
	return true;
}

static void live_tx(void *ctx, unsigned ifidx, const uint8_t *f, uint32_t len)
{
	struct eng_live *l = ctx;
	uint32_t l4, end, s;
	const uint8_t *ip;
	uint8_t *fw;
	/* the frame read in place goes out from the ring, uncopied */
	bool ref = f == l->inring;

	if (ifidx >= l->nifs)
		return;
	if (l->gso.f && f == l->buf && gso_tx(l, ifidx, f, len))
		return;
	if ((!l->in_partial && !l->nq) || !ip_l4(f, len, &l4, &end) ||
	    !was_partial(l, f + 14)) {
		if (ref)
			pio_tx_ref(&l->io[ifidx], f, len);
		else
			pio_tx(&l->io[ifidx], f, len);
		return;
	}
	/*
	 * The pseudo-header sum of the headers as they leave, not
	 * complemented (what a sender with checksum offload puts there).
	 * The engine's buffers are its own: f is writable.
	 */
	ip = f + 14;
	fw = (uint8_t *)(uintptr_t)f;
	s = (uint32_t)get16(ip + 12) + get16(ip + 14) + get16(ip + 16) +
	    get16(ip + 18) + ip[9] + (end - l4);
	put16(fw + l4 + (ip[9] == PKT_P_TCP ? 16 : 6), csum_fold(s));
	pio_tx_partial(&l->io[ifidx], f, end, (uint16_t)l4,
		       ip[9] == PKT_P_TCP ? 16 : 6, ref);
}

/*
 * A frame handed over before its checksum was computed (a local sender's
 * checksum offload, passed along by veth): the L4 field holds only the
 * pseudo-header sum.  Complete it so the engine's incremental updates
 * start from a right sum.
 */
static bool csum_complete(struct eng_live *l, uint8_t *buf, uint32_t len)
{
	struct pkt p = { .buf = buf, .len = len, .cap = len };

	if (pkt_parse(&p) != PKT_OK || p.ethertype != PKT_ETH_IP || p.frag)
		return false;
	pkt_l4_csum(&p);
	l->st.rx_csum_fixed++;
	return true;
}

/*
 * A partial frame the engine can pass on partial: vnet headers on every
 * interface, the checksum where the header says, short enough never to
 * be fragmented.  Then l->cur describes it.
 */
static bool keep_partial(struct eng_live *l, const uint8_t *buf,
			 uint32_t len, const struct virtio_net_hdr *vh)
{
	uint32_t l4, end;
	const uint8_t *ip = buf + 14;

	if (!l->vnet || !vh || !(vh->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) ||
	    vh->gso_type != VIRTIO_NET_HDR_GSO_NONE ||
	    !ip_l4(buf, len, &l4, &end) || vh->csum_start != l4 ||
	    vh->csum_offset != (ip[9] == PKT_P_TCP ? 16 : 6) ||
	    end - 14 > l->min_mtu)
		return false;
	l->cur.ms = l->now_ms | 1;
	l->cur.saddr = get32n(ip + 12);
	l->cur.daddr = get32n(ip + 16);
	l->cur.id = get16(ip + 4);
	l->cur.proto = ip[9];
	return true;
}

/*
 * A TCP/IPv4 GSO frame: its first segment goes through the engine in
 * l->buf (IP length cut to it), the frame waits in the ring for gso_tx().
 * Frames that are not as the vnet header says are dropped (rx_big).
 */
static void gso_rx(struct eng_live *l, const uint8_t *f, uint32_t len,
		   uint32_t snaplen, const struct virtio_net_hdr *vh)
{
	struct live_gso *g = &l->gso;
	uint32_t l4, end, hdrlen, rlen;
	uint8_t *ip = l->buf + 14;

	if (!l->vnet || snaplen < len ||
	    (vh->gso_type & ~VIRTIO_NET_HDR_GSO_ECN) !=
	    VIRTIO_NET_HDR_GSO_TCPV4 ||
	    !(vh->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) || !vh->gso_size ||
	    !ip_l4(f, len, &l4, &end) || f[23] != PKT_P_TCP ||
	    vh->csum_start != l4 || vh->csum_offset != 16) {
		l->st.rx_big++;
		return;
	}
	hdrlen = l4 + (f[l4 + 12] >> 4) * 4u;
	rlen = hdrlen + vh->gso_size;
	if (hdrlen < l4 + 20 || rlen - 14 > l->min_mtu || rlen > sizeof(l->buf)) {
		l->st.rx_big++;
		return;
	}
	if (end <= rlen) {		/* one segment: an ordinary frame */
		l->gso.f = NULL;
		rlen = end;
	} else {
		g->f = (uint8_t *)(uintptr_t)f;
		g->end = end;
		g->l4 = (uint16_t)l4;
		g->hdrlen = (uint16_t)hdrlen;
		g->size = vh->gso_size;
		g->type = vh->gso_type;
		l->st.rx_gso++;
	}
	memcpy(l->buf, f, rlen);
	csum_field16(ip + 10, get16(ip + 2), (uint16_t)(rlen - 14));
	put16(ip + 2, (uint16_t)(rlen - 14));
	l->cur.ms = l->now_ms | 1;
	l->cur.saddr = get32n(ip + 12);
	l->cur.daddr = get32n(ip + 16);
	l->cur.id = get16(ip + 4);
	l->cur.proto = PKT_P_TCP;
	l->in_partial = true;
	l->in_sent = false;
	l->st.rx_csum_partial++;
	eng_input(l->e, l->cur_if, l->buf, rlen, sizeof(l->buf), l->now_ms);
	if (!l->in_sent) {
		if (g->f)
			l->st.gso_cut++;
		l->q[l->qnext] = l->cur;
		l->qnext = (l->qnext + 1) % LIVE_PARTIAL_Q;
		if (l->nq < LIVE_PARTIAL_Q)
			l->nq++;
	}
	g->f = NULL;
	l->in_partial = false;
}

static void live_rx(void *ctx, const uint8_t *f, uint32_t len,
		    uint32_t snaplen, uint32_t status,
		    const struct virtio_net_hdr *vh)
{
	struct eng_live *l = ctx;
	uint8_t *buf;
	uint32_t cap;

	l->st.rx_frames++;
	if (vh && vh->gso_type != VIRTIO_NET_HDR_GSO_NONE) {
		gso_rx(l, f, len, snaplen, vh);
		return;
	}
	if (snaplen < len || len > sizeof(l->buf)) {
		l->st.rx_big++;
		return;
	}
	/*
	 * A frame no helper could lengthen (as long as the largest MTU) is
	 * rewritten where it lies in the ring, and sent from there; others
	 * are copied into a buffer with room to grow.
	 */
	if (len >= 14u + l->max_mtu) {
		buf = (uint8_t *)(uintptr_t)f;
		cap = len;
		l->inring = buf;
	} else {
		memcpy(l->buf, f, len);
		buf = l->buf;
		cap = sizeof(l->buf);
	}
	if (status & TP_STATUS_CSUMNOTREADY) {
		if (keep_partial(l, buf, len, vh)) {
			l->in_partial = true;
			l->in_sent = false;
			l->st.rx_csum_partial++;
		} else if (!csum_complete(l, buf, len)) {
			l->inring = NULL;
			return;
		}
	}
	eng_input(l->e, l->cur_if, buf, len, cap, l->now_ms);
	l->inring = NULL;
	if (l->in_partial && !l->in_sent) {
		/* maybe waiting for ARP: know it when it leaves */
		l->q[l->qnext] = l->cur;
		l->qnext = (l->qnext + 1) % LIVE_PARTIAL_Q;
		if (l->nq < LIVE_PARTIAL_Q)
			l->nq++;
	}
	l->in_partial = false;
}

static int add_fd(struct eng_live *l, int fd, uint32_t tag,
		  struct erec_list *errs)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = tag };

	if (epoll_ctl(l->ep, EPOLL_CTL_ADD, fd, &ev) == 0)
		return 0;
	erec_add(errs, EREC_ERROR, MR_EXIT_OTHER, NULL, "epoll: %s",
		 strerror(errno));
	return -1;
}

static int open_timer(struct eng_live *l, struct erec_list *errs)
{
	struct itimerspec its = {
		.it_interval.tv_nsec = LIVE_TICK_MS * 1000000L,
		.it_value.tv_nsec = LIVE_TICK_MS * 1000000L,
	};

	l->ep = epoll_create1(EPOLL_CLOEXEC);
	l->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (l->ep < 0 || l->tfd < 0 || timerfd_settime(l->tfd, 0, &its, NULL)) {
		erec_add(errs, EREC_ERROR, MR_EXIT_OTHER, NULL,
			 "timerfd/epoll: %s", strerror(errno));
		return -1;
	}
	return add_fd(l, l->tfd, TAG_TIMER, errs);
}

/* Check and open each interface; the engine's view of it in ec. */
static int open_ifs(struct eng_live *l, const struct eng_live_cfg *cfg,
		    struct eng_config *ec, struct erec_list *errs)
{
	struct netif_info ni;
	unsigned i;
	int rc = 0;

	for (i = 0; i < cfg->nifs; i++) {
		const struct eng_live_if *li = &cfg->ifs[i];
		struct eng_if_cfg *f = &ec->ifs[i];

		if (netif_take(li->name, &ni, errs) ||
		    pio_open(&l->io[i], li->name, ni.ifindex, errs)) {
			rc = -1;	/* go on: report every interface */
			continue;
		}
		l->nifs = i + 1;
		if (!l->io[i].vnet)
			l->vnet = false;
		if (ni.mtu < l->min_mtu)
			l->min_mtu = ni.mtu;
		if (ni.mtu > l->max_mtu)
			l->max_mtu = ni.mtu;
		memcpy(f->name, li->name, sizeof(f->name));
		memcpy(f->mac, ni.mac, 6);
		f->addr = li->addr;
		f->plen = li->plen;
		f->gw = li->gw;
		f->mtu = ni.mtu;
		if (add_fd(l, l->io[i].fd, i, errs))
			rc = -1;
	}
	return rc;
}

/*
 * Neighbours' base reachable time: 30 s unless MASQRULE_NEIGH_REACHABLE_MS
 * says otherwise (Linux's base_reachable_time_ms; tests shorten it).  The
 * random factor is seeded per run, as the kernel's.
 */
static void set_reachable(struct eng *e)
{
	const char *v = getenv("MASQRULE_NEIGH_REACHABLE_MS");
	unsigned long ms = 0;
	char *end;

	if (v && *v) {
		ms = strtoul(v, &end, 10);
		if (*end || ms > 3600000)
			ms = 0;
	}
	arp_set_reachable(e, (uint32_t)ms,
			  (uint32_t)(mono_ms() ^ (uint64_t)getpid() << 16) | 1);
}

struct eng_live *eng_live_open(const struct eng_live_cfg *cfg,
			       struct erec_list *errs)
{
	struct eng_live *l = calloc(1, sizeof(*l));
	struct eng_config ec = { 0 };
	unsigned i;

	if (!l || cfg->nifs > ENG_MAX_IF) {
		free(l);
		return NULL;
	}
	for (i = 0; i < ENG_MAX_IF; i++)
		l->io[i].fd = -1;
	l->tfd = -1;
	l->vnet = true;
	l->min_mtu = 0xffff;
	if (open_timer(l, errs) || open_ifs(l, cfg, &ec, errs))
		goto err;
	ec.nifs = cfg->nifs;
	ec.max_conns = cfg->max_conns;
	ec.max_per_host = cfg->max_per_host;
	ec.tx = live_tx;
	ec.tx_ctx = l;
	ec.log = cfg->log;
	ec.log_ctx = cfg->log_ctx;
	ec.host = true;
	l->nifs = cfg->nifs;
	/* GSO only with vnet headers on every interface (loop.c's top) */
	for (i = 0; l->vnet && i < l->nifs; i++)
		l->tso[i] = netif_gso_on(cfg->ifs[i].name);
	l->e = eng_new(&ec);
	if (l->e) {
		set_reachable(l->e);
		return l;
	}
	erec_add(errs, EREC_ERROR, MR_EXIT_RESOURCE, NULL, "out of memory");
err:
	eng_live_close(l);
	return NULL;
}

struct eng *eng_live_engine(struct eng_live *l)
{
	return l->e;
}

static void flush_all(struct eng_live *l)
{
	unsigned i;

	for (i = 0; i < l->nifs; i++)
		pio_flush(&l->io[i]);
}

/* An empty list of waiting partial frames costs live_tx() nothing. */
static void partial_expire(struct eng_live *l)
{
	unsigned i;

	for (i = 0; i < l->nq; i++)
		if (l->q[i].ms && l->now_ms - l->q[i].ms < LIVE_PARTIAL_MS)
			return;
	l->nq = 0;
	l->qnext = 0;
}

static void on_event(struct eng_live *l, uint32_t tag)
{
	uint64_t n;

	if (tag < l->nifs) {
		l->cur_if = tag;
		/* the batches may point into the block: out before it goes back */
		while (pio_rx_block(&l->io[tag], live_rx, l)) {
			flush_all(l);
			pio_rx_done(&l->io[tag]);
		}
		return;
	}
	if (tag >= TAG_WATCH && tag - TAG_WATCH < l->nwatch) {
		l->watch[tag - TAG_WATCH].fn(l->watch[tag - TAG_WATCH].ctx);
		return;
	}
	if (read(l->tfd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		return;
	partial_expire(l);
	eng_tick(l->e, l->now_ms);
}

int eng_live_run(struct eng_live *l, volatile sig_atomic_t *stop,
		 struct erec_list *errs)
{
	struct epoll_event ev[LIVE_EVENTS];
	int i, n;

	l->now_ms = mono_ms();
	eng_tick(l->e, l->now_ms);
	eng_announce(l->e);
	flush_all(l);
	while (!*stop) {
		n = epoll_wait(l->ep, ev, LIVE_EVENTS, LIVE_TICK_MS);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			erec_add(errs, EREC_ERROR, MR_EXIT_OTHER, NULL,
				 "epoll_wait: %s", strerror(errno));
			return -1;
		}
		l->now_ms = mono_ms();
		for (i = 0; i < n; i++)
			on_event(l, ev[i].data.u32);
		flush_all(l);
	}
	return 0;
}

int eng_live_watch(struct eng_live *l, int fd, void (*fn)(void *ctx),
		   void *ctx, struct erec_list *errs)
{
	if (l->nwatch == LIVE_WATCH) {
		erec_add(errs, EREC_ERROR, MR_EXIT_OTHER, NULL,
			 "too many fds to watch");
		return -1;
	}
	if (add_fd(l, fd, TAG_WATCH + l->nwatch, errs))
		return -1;
	l->watch[l->nwatch].fn = fn;
	l->watch[l->nwatch++].ctx = ctx;
	return 0;
}

const struct eng_live_stats *eng_live_stats(struct eng_live *l)
{
	unsigned i;

	l->st.tx_errors = 0;
	l->st.tx_csum_partial = 0;
	l->st.tx_gso = 0;
	for (i = 0; i < l->nifs; i++) {
		l->st.rx_ring_drops += pio_drops(&l->io[i]);
		l->st.tx_errors += l->io[i].tx_errors;
		l->st.tx_csum_partial += l->io[i].tx_partial;
		l->st.tx_gso += l->io[i].tx_gso;
	}
	return &l->st;
}

void eng_live_close(struct eng_live *l)
{
	unsigned i;

	if (!l)
		return;
	for (i = 0; i < ENG_MAX_IF; i++)
		if (l->io[i].fd >= 0)
			pio_close(&l->io[i]);
	if (l->tfd >= 0)
		close(l->tfd);
	if (l->ep >= 0)
		close(l->ep);
	eng_free(l->e);
	free(l);
}
