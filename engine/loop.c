/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The live loop: one thread for the packets, one epoll set holding each
 * interface's AF_PACKET socket, a 100 ms timerfd and the watched fds (the
 * control socket's set, whose SET worker thread never touches packets).
 * Each wakeup drains the ready ring blocks through the engine, then sends
 * what the engine queued in one sendmmsg() per interface.  The clock is
 * CLOCK_MONOTONIC.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/if_packet.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include "eng_int.h"
#include "live.h"
#include "netif.h"

#define LIVE_TICK_MS 100
#define LIVE_EVENTS 16
#define LIVE_WATCH 4
#define TAG_TIMER ENG_MAX_IF
#define TAG_WATCH (ENG_MAX_IF + 1)	/* + the watch's index */

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
	uint8_t buf[ENG_BUF];		/* one frame, rewritten in place */
};

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void live_tx(void *ctx, unsigned ifidx, const uint8_t *f, uint32_t len)
{
	struct eng_live *l = ctx;

	if (ifidx < l->nifs)
		pio_tx(&l->io[ifidx], f, len);
}

/*
 * A frame handed over before its checksum was computed (a local sender's
 * checksum offload, passed along by veth): the L4 field holds only the
 * pseudo-header sum.  Complete it so the engine's incremental updates
 * start from a right sum.
 */
static bool csum_complete(struct eng_live *l, uint32_t len)
{
	struct pkt p = { .buf = l->buf, .len = len, .cap = sizeof(l->buf) };

	if (pkt_parse(&p) != PKT_OK || p.ethertype != PKT_ETH_IP || p.frag)
		return false;
	pkt_l4_csum(&p);
	l->st.rx_csum_fixed++;
	return true;
}

static void live_rx(void *ctx, const uint8_t *f, uint32_t len,
		    uint32_t snaplen, uint32_t status)
{
	struct eng_live *l = ctx;

	l->st.rx_frames++;
	if (snaplen < len || len > sizeof(l->buf)) {
		l->st.rx_big++;
		return;
	}
	memcpy(l->buf, f, len);
	if ((status & TP_STATUS_CSUMNOTREADY) && !csum_complete(l, len))
		return;
	eng_input(l->e, l->cur_if, l->buf, len, sizeof(l->buf), l->now_ms);
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

static void on_event(struct eng_live *l, uint32_t tag)
{
	uint64_t n;

	if (tag < l->nifs) {
		l->cur_if = tag;
		pio_rx(&l->io[tag], live_rx, l);
		return;
	}
	if (tag >= TAG_WATCH && tag - TAG_WATCH < l->nwatch) {
		l->watch[tag - TAG_WATCH].fn(l->watch[tag - TAG_WATCH].ctx);
		return;
	}
	if (read(l->tfd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		return;
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
	for (i = 0; i < l->nifs; i++) {
		l->st.rx_ring_drops += pio_drops(&l->io[i]);
		l->st.tx_errors += l->io[i].tx_errors;
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
