/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The userspace masquerade engine: the model's chains run on real frames,
 * with a masquerade table, NAT rewrites, protocol helpers, and frames in
 * and out through callbacks (AF_PACKET live, pcap offline).  Nothing here
 * prints: problems with a ruleset come back as error records naming the
 * rule, events through counters and an optional log callback.
 */
#ifndef MR_ENGINE_H
#define MR_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include "erec.h"
#include "ir.h"

#define ENG_MAX_IF 8

struct eng_if_cfg {
	char name[MR_IFNAMSIZ];		/* what -i / -W / -o rules name */
	uint8_t mac[6];
	uint32_t addr;			/* network order; the masq address */
	uint8_t plen;			/* connected prefix length */
	uint32_t gw;			/* non-zero: default route via gw here */
	uint16_t mtu;			/* 0: 1500 */
};

/* Sends a frame out of interface ifidx (the engine's buffer: copy it). */
typedef void (*eng_tx_fn)(void *ctx, unsigned ifidx, const uint8_t *frame,
			  uint32_t len);

/* What a rule with a log flag or LOG target saw. */
struct eng_log {
	const struct mr_rule *rule;
	const char *chain;
	uint16_t verdict;		/* enum mr_verdict of the chain walk */
	const uint8_t *frame;
	uint32_t len;
	unsigned ifidx;
};
typedef void (*eng_log_fn)(void *ctx, const struct eng_log *ev);

struct eng_config {
	unsigned nifs;
	struct eng_if_cfg ifs[ENG_MAX_IF];
	uint32_t max_conns;		/* 0: 65536 */
	uint32_t max_per_host;		/* 0: no limit */
	uint64_t seed;			/* 0: random (getrandom) */
	bool port_random;		/* random start in the port range */
	eng_tx_fn tx;
	void *tx_ctx;
	eng_log_fn log;			/* may be NULL */
	void *log_ctx;
	/*
	 * Live mode: the engine is the host on its wires.  It answers ARP
	 * and ping for ifs[].addr and resolves next hops with ARP (frames
	 * wait in a short queue meanwhile).  Off, ARP frames are only
	 * counted and unknown next hops are counted no_neigh (offline).
	 */
	bool host;
};

/* Counters: why packets went where they went. */
struct eng_stats {
	uint64_t rx, tx, tx_bytes;
	uint64_t bad[8];		/* by enum pkt_err */
	uint64_t arp;			/* ARP frames (live mode answers them) */
	uint64_t dropped;		/* DENY / DROP verdicts and policies */
	uint64_t rejected;		/* REJECT: dropped, error sent */
	uint64_t masq_new;		/* entries created */
	uint64_t masq_out, masq_in;	/* packets translated each way */
	uint64_t masq_icmp_err;		/* ICMP errors translated back */
	uint64_t masq_full;		/* refused: table full */
	uint64_t masq_host_full;	/* refused: host's share used */
	uint64_t masq_no_port;		/* refused: no port left */
	uint64_t masq_expired;
	uint64_t unsolicited;		/* to a masq address, no entry */
	uint64_t local;			/* for the engine itself, not handled */
	uint64_t no_route, no_neigh, ttl_exceeded;
	uint64_t frag_dropped;		/* fragments dropped, datagrams timed out */
	uint64_t helper_rewrites, helper_refused, helper_expect;
	uint64_t too_big;		/* over the outgoing MTU */
	uint64_t logged;
	uint64_t arp_replies, arp_requests;	/* sent (host mode) */
	uint64_t arp_failed;		/* frames dropped: next hop silent */
	uint64_t echo_replies;		/* pings to our addresses answered */
	/* the iptables model's conntrack (entries live in the masq table) */
	uint64_t ct_new;		/* entries created by the iptables path */
	uint64_t ct_invalid;		/* packets of state INVALID */
	uint64_t portfw_new;		/* legacy port-forward entries */
	/* fragments (reassembled before the rule path) */
	uint64_t frag_in;		/* fragments received */
	uint64_t frag_reasm;		/* datagrams made whole */
	uint64_t frag_overlap;		/* datagrams dropped: overlapping */
	uint64_t frag_timeout;		/* datagrams dropped: 30 s passed */
	uint64_t frag_limit;		/* dropped: memory or per-source limit */
	uint64_t frag_bad;		/* fragments with impossible fields */
	uint64_t frag_out;		/* fragments sent (re-fragmenting) */
};

struct eng;

struct eng *eng_new(const struct eng_config *cfg);
void eng_free(struct eng *e);

/*
 * Check the ruleset and take it over (counters are kept in its rules and
 * chains).  Any rule, match or target the engine cannot run is an error
 * located at that rule: the ruleset is then refused as a whole, not
 * taken, and -1 returned.  A later eng_load() replaces the ruleset; the
 * masquerade table is kept.
 */
int eng_load(struct eng *e, struct mr_ruleset *rs, struct erec_list *errs);
/*
 * The checks eng_load() makes, without loading: what a client runs on its
 * own model first, so that refusals point at the words the user typed.
 */
int eng_check(const struct mr_ruleset *rs, struct erec_list *errs);
/*
 * eng_load() in two halves for the control socket: rs, already passed by
 * eng_check() (on another thread), replaces the running ruleset between
 * packets; the one it replaces comes back in *old for the caller to free.
 */
int eng_swap(struct eng *e, struct mr_ruleset *rs, struct mr_ruleset **old,
	     struct erec_list *errs);
/* The ruleset in use (NULL before eng_load). */
const struct mr_ruleset *eng_ruleset(const struct eng *e);

/* A static neighbour: frames to addr on ifidx go to mac. */
int eng_neigh_add(struct eng *e, unsigned ifidx, uint32_t addr,
		  const uint8_t mac[6]);

/*
 * A frame arrived on interface ifidx at now_ms (the injected clock,
 * milliseconds, never going back).  buf is rewritten in place; cap is its
 * room, which a helper may use to lengthen a payload.  Frames to send go
 * out through cfg.tx before this returns.
 */
void eng_input(struct eng *e, unsigned ifidx, uint8_t *buf, uint32_t len,
	       uint32_t cap, uint64_t now_ms);

/* One frame of a burst: as eng_input()'s arguments. */
struct eng_frame {
	unsigned ifidx;
	uint8_t *buf;
	uint32_t len;
	uint32_t cap;
};

/*
 * v[0..n) in order, all at now_ms: exactly what n eng_input() calls
 * would do (verdicts, frames sent and their order, counters), only
 * faster for a ring's burst.  While one frame runs, the masquerade
 * lookups of the next few are loaded ahead (a cheap look at each
 * upcoming frame's IPv4 tuple, its hash bucket some frames ahead, its
 * entry and that entry's expiry-list neighbours fewer ahead), so the
 * memory waits of several frames overlap.  A guess that turns out wrong
 * (a frame changed by an earlier one, an entry made or deleted meanwhile)
 * costs only the loads.
 */
void eng_input_burst(struct eng *e, struct eng_frame *v, unsigned n,
		     uint64_t now_ms);

/* Expire entries up to now_ms (eng_input does it too); ARP retries. */
void eng_tick(struct eng *e, uint64_t now_ms);

/* Host mode: gratuitous ARP for each interface's address. */
void eng_announce(struct eng *e);

const struct eng_stats *eng_stats(const struct eng *e);
/* Entries in the masquerade table, and the bytes each one costs. */
uint32_t eng_conn_count(const struct eng *e);
size_t eng_conn_bytes(const struct eng *e);

/* One masquerade entry for listings (ipchains -M -L). */
struct eng_conn_info {
	uint8_t proto;
	uint32_t iaddr, aaddr, raddr;	/* network order */
	uint16_t iport, aport, rport;
	uint32_t expires_ms;		/* from now */
	const char *state;
	/* the remote as first addressed: differs from raddr after DNAT */
	uint32_t oaddr;
	uint16_t oport;
};
/* Start with *it = 0; false at the end. */
bool eng_conn_next(const struct eng *e, uint32_t *it,
		   struct eng_conn_info *out);

/*
 * Offline: run frames from pcap files through the engine.  in[i] names
 * the pcap of frames arriving on interface i (NULL: none); they are
 * merged by timestamp (ties: lower interface first), and the pcap
 * timestamps are the clock.  out[i] (NULL: discard) receives the frames
 * sent out of interface i, stamped with the time of the frame that caused
 * them.  Returns 0, or -1 with a message in err (errlen bytes).
 */
int eng_run_pcap(struct eng *e, const char *const in[ENG_MAX_IF],
		 const char *const out[ENG_MAX_IF], char *err, size_t errlen);

#endif
