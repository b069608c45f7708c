/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The live engine's control socket: a unix stream socket (mode 0600) in
 * the engine's epoll loop.  Clients (`masqrule --backend engine ...')
 * read the running ruleset as canonical save text with a generation
 * number, and replace it with a new text built on that generation; a
 * stale generation is refused, so concurrent clients never lose each
 * other's changes.  A new ruleset is read and checked as eng_load()
 * checks it on a worker thread, one SET at a time (others wait their
 * turn), and swapped between two packets; the masquerade table is kept.
 *
 * Every message is a struct ctl_hdr and hdr.len bytes of payload.  Both
 * ends are the same program on the same host: fixed-size structs travel
 * as they are, and the magic carries a version.
 */
#ifndef MR_ENG_CTL_H
#define MR_ENG_CTL_H

#include <stdint.h>
#include "engine.h"
#include "src.h"

#define CTL_PATH "/run/masqrule/engine.sock"
#define CTL_MAGIC 0x4d524331u		/* "MRC1" */
#define CTL_MAX_MSG (64u << 20)		/* a ruleset of a million lines */

enum ctl_op {
	CTL_GET = 1,	/* -> OK, gen, save text with counters */
	CTL_SET,	/* gen, text -> OK (new gen) | ERR records | STALE */
	CTL_MASQ,	/* -> OK, struct ctl_masq[] */
};

enum ctl_status {
	CTL_OK = 0x100,
	CTL_ERR,	/* payload: error records (struct ctl_erec + message) */
	CTL_STALE,	/* gen: the current generation */
	CTL_BAD,	/* malformed request: the connection is closed */
};

enum {
	CTL_F_TEST = 1 << 0,		/* SET: check only, change nothing */
	/*
	 * SET: the text's counters are the new counters (-Z, restore of
	 * counters).  Without it a rule keeps the running counters of the
	 * rule with the same text in the same chain, so packets counted
	 * between a client's GET and SET are not lost.
	 */
	CTL_F_COUNTERS = 1 << 1,
};

struct ctl_hdr {
	uint32_t magic;
	uint16_t op;			/* enum ctl_op or ctl_status */
	uint16_t flags;			/* CTL_F_* */
	uint64_t gen;
	uint32_t len;			/* payload bytes */
	uint32_t pad;
};

/* One error record of a refused SET, located in the text that was sent. */
struct ctl_erec {
	uint8_t kind;			/* enum erec_kind */
	uint8_t exit_code;
	uint16_t col, len;		/* 0: no location */
	uint16_t msglen;		/* message bytes that follow */
	uint32_t line;
};

/* One masquerade entry (-M -L). */
struct ctl_masq {
	uint8_t proto;
	char state[15];			/* "ESTABLISHED", "UDP", ... */
	uint32_t expires_ms;
	uint32_t iaddr, aaddr, raddr;	/* network order */
	uint16_t iport, aport, rport;	/* host order; ICMP: id */
	uint16_t pad;
	/* the newest sequence rewrite from the inside (helpers), else 0 */
	uint32_t init_seq;
	int32_t delta, prev_delta;
};

/*
 * The masquerade table for listings, at most max entries into v; returns
 * how many there are in all (more than max: call again with room).
 */
size_t eng_masq_entries(const struct eng *e, struct ctl_masq *v, size_t max);

struct ctl;

/*
 * Listen on path (its directory made 0700 if missing).  A socket there
 * that still answers is another engine: refused.  src is the text the
 * engine's ruleset was read from, taken over on success (freed when the
 * ruleset is replaced or at ctl_close; NULL: none).  NULL with an
 * error record on failure.
 */
struct ctl *ctl_open(const char *path, struct eng *e, struct mr_src *src,
		     struct erec_list *errs);
/* One fd to watch for input (an epoll set of its own sockets). */
int ctl_fd(const struct ctl *c);
/* Serve what is ready; never blocks. */
void ctl_service(struct ctl *c);
/* Requests served and refused, for the final counters line. */
void ctl_counts(const struct ctl *c, uint64_t *served, uint64_t *refused);
/* Close every socket and remove the socket file. */
void ctl_close(struct ctl *c);

/* ---- between ctl.c (framing) and ctl_req.c (requests) ---- */

struct ctl_state {
	struct eng *e;
	uint64_t gen;			/* bumped by every ruleset change */
	struct mr_src *src;		/* the running ruleset's text */
};

void ctl_state_init(struct ctl_state *s, struct eng *e);
/* Answer one request (h, then h->len bytes): header and payload into out. */
void ctl_request(struct ctl_state *s, const struct ctl_hdr *h,
		 const uint8_t *payload, struct mr_buf *out);

/*
 * SET in two halves, so that reading a big ruleset never holds up the
 * packets.  ctl_set_prepare() parses and checks the text (h, then h->len
 * bytes) and matches its counters to the running ruleset's rules: it
 * reads that ruleset's rules, never their counters, so it may run on
 * another thread while the loop runs, as long as nothing swaps the
 * ruleset meanwhile.  ctl_set_finish(), in the loop, checks the
 * generation again, copies the counters, swaps, and writes the reply;
 * it frees j.
 */
struct ctl_set;
struct ctl_set *ctl_set_prepare(const struct ctl_state *s,
				const struct ctl_hdr *h, const uint8_t *text);
void ctl_set_finish(struct ctl_state *s, struct ctl_set *j,
		    struct mr_buf *out);
void ctl_set_free(struct ctl_set *j);

#endif
