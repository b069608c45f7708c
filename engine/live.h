/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Live mode: the engine on real interfaces.  One AF_PACKET socket per
 * interface (TPACKET_V3 RX ring, sendmmsg batches out, vnet headers so
 * that partial checksums pass through unfinished and TCP GSO frames pass
 * whole), a timerfd for
 * expiry, neighbour lifetimes and ARP retries, one epoll loop.  The
 * environment's MASQRULE_NEIGH_REACHABLE_MS, if set, is the neighbours'
 * base reachable time (default 30 s).  The engine owns its interfaces:
 * opening refuses interfaces that are missing, down, not Ethernet, or that
 * the kernel still has IPv4 addresses on, and sets the offloads (GRO, TSO,
 * GSO and checksumming on when the sockets have vnet headers, else off).  Problems come back as error records
 * (no location); nothing here prints.
 */
#ifndef MR_ENG_LIVE_H
#define MR_ENG_LIVE_H

#include <signal.h>
#include "engine.h"

struct eng_live_if {
	char name[MR_IFNAMSIZ];
	uint32_t addr;			/* network order */
	uint8_t plen;
	uint32_t gw;			/* non-zero: default route via gw */
};

struct eng_live_cfg {
	unsigned nifs;
	struct eng_live_if ifs[ENG_MAX_IF];
	uint32_t max_conns, max_per_host;
	eng_log_fn log;
	void *log_ctx;
};

/* What the I/O layer saw besides the engine's own counters. */
struct eng_live_stats {
	uint64_t rx_frames;
	uint64_t rx_big;		/* over the engine's buffer (GSO?) */
	uint64_t rx_csum_fixed;		/* checksum completed (CSUMNOTREADY) */
	uint64_t rx_csum_partial;	/* CSUMNOTREADY passed on partial */
	uint64_t tx_csum_partial;	/* sent partial (vnet header) */
	uint64_t rx_gso;		/* GSO frames taken whole */
	uint64_t gso_cut;		/* of which only the first segment left */
	uint64_t tx_gso;		/* GSO frames sent */
	uint64_t rx_ring_drops;		/* the kernel's PACKET_STATISTICS */
	uint64_t tx_errors;
};

struct eng_live;

/*
 * Check and open the interfaces, make the engine (host mode, the
 * interfaces' own MACs and MTUs).  NULL with error records on failure;
 * warnings may be added on success.
 */
struct eng_live *eng_live_open(const struct eng_live_cfg *cfg,
			       struct erec_list *errs);
/* The engine, for eng_load() and the counters. */
struct eng *eng_live_engine(struct eng_live *l);
/*
 * Announce the addresses and run until *stop is set (checked at least
 * every 100 ms).  0, or -1 with an error record.
 */
int eng_live_run(struct eng_live *l, volatile sig_atomic_t *stop,
		 struct erec_list *errs);
const struct eng_live_stats *eng_live_stats(struct eng_live *l);
void eng_live_close(struct eng_live *l);

/*
 * Call fn(ctx) from the loop, between packets, whenever fd is readable
 * (the control socket's epoll set).  At most 4 such fds.
 */
int eng_live_watch(struct eng_live *l, int fd, void (*fn)(void *ctx),
		   void *ctx, struct erec_list *errs);

/*
 * priv.c: once every socket is open, keep no privilege: no capability
 * (bounding and ambient sets emptied too), no_new_privs, and with user
 * non-NULL that user's uid and gid without supplementary groups.
 */
int eng_drop_privs(const char *user, struct erec_list *errs);

#endif
