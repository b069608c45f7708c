/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IPv4 fragments: reassembly before the rule path (as Linux's defrag in
 * front of conntrack, and 2.2's always-defrag under masquerading), and
 * splitting a datagram to an outgoing MTU.  Bounded: a fixed number of
 * datagrams in progress, a per-source share of them, a total memory limit
 * and a 30 s timer.  Overlapping fragments drop the whole datagram, as
 * Linux does since 4.19; an exact duplicate is ignored.  Knows frames and
 * bytes only, nothing of the engine.
 */
#ifndef MR_ENG_FRAG_H
#define MR_ENG_FRAG_H

#include <stdbool.h>
#include <stdint.h>

#define FRAG_QUEUES 64			/* datagrams in progress at once */
#define FRAG_RANGES 128			/* fragments of one datagram */
#define FRAG_HDR (14 + 60)		/* Ethernet + largest IP header */
/* Reassembled frames stay under 64 KiB so frame offsets fit 16 bits. */
#define FRAG_MAX_IP (65535u - 14u)

struct frag_range {
	uint16_t lo, hi;		/* payload bytes [lo, hi) */
};

struct frag_q {
	bool used, have_first;
	uint8_t proto, hlen;		/* hlen: IP header of the first */
	uint8_t tag;			/* the first's, from the caller */
	uint16_t id, nr;
	uint32_t saddr, daddr;		/* network order */
	uint64_t start_ms;
	uint32_t total;			/* payload length; 0 until the last */
	uint32_t got;			/* payload bytes held */
	uint32_t cap;			/* bytes allocated at data */
	uint8_t *data;
	uint8_t hdr[FRAG_HDR];		/* the first fragment's headers */
	struct frag_range r[FRAG_RANGES];
};

struct frag_cfg {
	uint32_t max_bytes;		/* 0: 4 MiB (ipfrag_high_thresh) */
	uint32_t max_per_src;		/* 0: 16 datagrams per source */
	uint32_t timeout_ms;		/* 0: 30 s (Linux's ipfrag_time) */
};

struct frag_table {
	struct frag_cfg cfg;
	uint32_t bytes;			/* allocated payload bytes */
	/*
	 * Queues in use and bounds on their start times (oldest <= every
	 * start_ms <= newest; loose after a queue goes, exact after a scan):
	 * frag_expire() on every packet reads these, not the 64 queues.
	 */
	unsigned nused;
	uint64_t oldest, newest;
	struct frag_q q[FRAG_QUEUES];
};

enum frag_res {
	FRAG_HELD,			/* kept, datagram not whole yet */
	FRAG_DONE,			/* the datagram is whole in out */
	FRAG_DUP,			/* an exact duplicate: ignored */
	FRAG_BAD,			/* impossible fields: dropped */
	FRAG_OVERLAP,			/* overlap: datagram dropped */
	FRAG_LIMIT,			/* memory, queue or source limit */
};

void frag_init(struct frag_table *t, const struct frag_cfg *cfg);
void frag_destroy(struct frag_table *t);

/*
 * A fragment: frame[0..len) is Ethernet + a checked IPv4 header (total
 * length within len).  FRAG_DONE: the whole datagram, with the first
 * fragment's Ethernet and IP headers (fragment fields cleared, length
 * and checksum set), is in out (room cap) and *outlen its frame length.
 */
enum frag_res frag_input(struct frag_table *t, const uint8_t *frame,
			 uint32_t len, uint8_t tag, uint64_t now_ms,
			 uint8_t *out, uint32_t cap, uint32_t *outlen);

/*
 * Drop datagrams older than the timeout; returns how many (O(1) while
 * none is in progress or none can be due yet).  For each
 * whose first fragment came, fn (may be NULL) gets that fragment's
 * headers and first 8 payload bytes, and its tag: RFC 1122 3.3.2 wants
 * a time-exceeded (code 1) to the sender then.
 */
typedef void (*frag_expired_fn)(void *ctx, const uint8_t *frame,
				uint32_t len, uint8_t tag);
unsigned frag_expire(struct frag_table *t, uint64_t now_ms,
		     frag_expired_fn fn, void *ctx);

/* Datagrams in progress (for tests). */
unsigned frag_pending(const struct frag_table *t);

/*
 * Split frame (Ethernet + IPv4) into fragments of at most mtu IP bytes,
 * each built in buf (room cap) and handed to fn.  Later fragments carry
 * only the options marked copied.  Returns the number sent, -1 if the
 * MTU leaves no room for 8 payload bytes.
 */
typedef void (*frag_out_fn)(void *ctx, uint8_t *frame, uint32_t len);
int frag_split(const uint8_t *frame, uint32_t len, uint16_t mtu,
	       uint8_t *buf, uint32_t cap, frag_out_fn fn, void *ctx);

#endif
