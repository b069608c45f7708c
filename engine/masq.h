/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The masquerade table: one entry per flow with its inside endpoint, the
 * alias endpoint the outside sees, and the remote endpoint.  Two hash
 * indexes (by inside tuple for outgoing packets, by alias tuple for
 * incoming ones) with a random seed, one expiry list per timeout class
 * (in each list the order of last use is the order of expiry, so expiry
 * only ever looks at list heads), ports from a range reused per remote
 * endpoint, limits in total and per inside host.
 *
 * Entries live in one region reserved at init for max_conns entries,
 * whose pages come on first use (huge pages where the kernel gives them);
 * entries never move: a struct conn pointer stays valid until the entry
 * is deleted, and links are 32-bit indices to keep entries small.
 * An entry is one 64-byte cache line.  A hash bucket is one cache line
 * too: the indices of the bucket's newest entries, each with a 16-bit tag
 * of its hash, so a lookup reads the bucket line and then (nearly always)
 * only the entry it wants; older entries of a crowded bucket chain on
 * through the entries.  Time is in ticks of 10 ms (the 2.2 kernel's
 * jiffies).
 */
#ifndef MR_ENG_MASQ_H
#define MR_ENG_MASQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MASQ_HZ 100			/* ticks per second */
#define MASQ_PORT_LO 61000		/* 2.2 PORT_MASQ_BEGIN */
#define MASQ_PORT_HI 65095		/* PORT_MASQ_END - 1 */

/* Timeout classes: the 2.2 TCP states, then UDP, ICMP, expected. */
enum conn_state {
	CS_NONE, CS_ESTABLISHED, CS_SYN_SENT, CS_SYN_RECV, CS_FIN_WAIT,
	CS_TIME_WAIT, CS_CLOSE, CS_CLOSE_WAIT, CS_LAST_ACK, CS_LISTEN,
	CS_UDP, CS_ICMP,
	CS_COUNT,
};

enum {
	CONN_F_USED = 1 << 0,
	CONN_F_NORPORT = 1 << 1,	/* expected: remote port not known yet */
	CONN_F_FIN_OUT = 1 << 2,	/* FIN seen from the inside */
	CONN_F_FIN_IN = 1 << 3,		/* FIN seen from the outside */
	CONN_F_REPLIED = 1 << 4,	/* a packet came back */
	CONN_F_INBOUND = 1 << 5,	/* opened from outside (port forward) */
	CONN_F_CT = 1 << 6,		/* an iptables-model conntrack entry */
	CONN_F_RELATED = 1 << 7,	/* a completed expected entry */
};

struct conn {
	uint32_t onext, inext;		/* bucket overflow chains; 0 ends */
	uint32_t prev, next;		/* timeout-class list; free list */
	uint32_t expires;		/* tick */
	/*
	 * "out" packets go i -> o and leave as a -> r; "in" packets come
	 * r -> a and leave as o -> i.  Masquerading leaves o == r (the
	 * remote); iptables DNAT makes r the new destination, o the old.
	 */
	uint32_t iaddr, aaddr, raddr, oaddr;	/* network order */
	uint16_t iport, aport, rport, oport;	/* host order; ICMP: ids */
	uint8_t proto;
	uint8_t state;			/* enum conn_state */
	uint8_t flags;			/* CONN_F_* */
	uint8_t helper;			/* helper table index + 1; 0 none */
	uint32_t self;			/* own index, for the links */
	uint32_t ctl;			/* control entry of a data entry */
	uint32_t ext;			/* helper state (seq deltas); 0 none */
} __attribute__((aligned(64)));		/* one cache line */

/* A hash bucket, one cache line: its newest entries, newest first. */
#define MASQ_BSLOTS 10
struct masq_bucket {
	uint32_t idx[MASQ_BSLOTS];	/* 0: free, and so are the next */
	uint16_t tag[MASQ_BSLOTS];	/* hash bits above the bucket's */
	uint32_t ovf;			/* older ones (all slots in use) */
} __attribute__((aligned(64)));

/* Why an entry could not be made (counted by the engine). */
enum masq_err {
	MASQ_OK,
	MASQ_E_FULL,		/* max_conns reached */
	MASQ_E_HOST,		/* the inside host's share reached */
	MASQ_E_PORTS,		/* no free port for this remote endpoint */
	MASQ_E_EXISTS,		/* the tuple is taken */
};

struct masq_cfg {
	uint32_t max_conns;		/* 0: 65536 */
	uint32_t max_per_host;		/* 0: no limit */
	uint16_t port_lo, port_hi;	/* 0: 61000-65095 */
	bool port_random;		/* random cursor start, not 2.2's */
	uint64_t seed;			/* hash key and port cursor */
	uint32_t timeout[CS_COUNT];	/* ticks; 0: the 2.2 default */
};

struct masq_host;

struct masq {
	struct masq_cfg cfg;
	uint32_t nbuckets;		/* power of two */
	struct masq_bucket *out_hash, *in_hash;
	size_t hash_size;		/* bytes of each */
	struct conn *conns;		/* the region: cap entries */
	size_t conns_size;
	uint32_t cap, top;		/* top: entries handed out so far */
	uint32_t free;			/* free list head */
	uint32_t count;
	uint32_t head[CS_COUNT], tail[CS_COUNT];
	uint32_t head_exp[CS_COUNT];	/* expires of each head entry */
	uint32_t cursor[3];		/* per protocol: tcp, udp, icmp */
	struct masq_host **hosts;	/* per-host counts (with a limit) */
	uint32_t nhosts;
	/* helper states, one per entry that needs one, in chunks too */
	struct conn_ext **ext_chunks;
	uint32_t ext_nchunks, ext_top, ext_free;
};

int masq_init(struct masq *m, const struct masq_cfg *cfg);
void masq_destroy(struct masq *m);
/* Change timeouts (ticks; 0 keeps): entries keep their last use. */
void masq_set_timeout(struct masq *m, enum conn_state st, uint32_t ticks);
uint32_t masq_timeout(const struct masq *m, enum conn_state st);

/* The entry of an index; NULL for 0 (none) and beyond those handed out. */
static inline struct conn *masq_conn(const struct masq *m, uint32_t idx)
{
	if (!idx || idx >= m->top)
		return NULL;
	return &m->conns[idx];
}

uint32_t masq_idx(const struct masq *m, const struct conn *c);

/* Outgoing packet of a known flow: by inside and (untranslated) remote. */
struct conn *masq_out_find(struct masq *m, uint8_t proto, uint32_t iaddr,
			   uint16_t iport, uint32_t raddr, uint16_t rport);
/*
 * Incoming packet: by alias and remote endpoints; an expected entry
 * (remote port unknown) matches any remote port and becomes complete.
 */
struct conn *masq_in_find(struct masq *m, uint8_t proto, uint32_t aaddr,
			  uint16_t aport, uint32_t raddr, uint16_t rport);
/* The same without expected entries (ICMP errors, state tests). */
struct conn *masq_in_exact(struct masq *m, uint8_t proto, uint32_t aaddr,
			   uint16_t aport, uint32_t raddr, uint16_t rport);

/*
 * Loading ahead for a burst of packets.  At a million entries a lookup
 * waits on memory twice, for the bucket line and then for the entry (and
 * the touch after it writes the entry's two expiry-list neighbours); one
 * packet at a time that is two memory latencies per packet whatever the
 * layout.  A caller holding the next packets hashes each tuple
 * (masq_hash_out() for an outgoing packet's, masq_hash_in() for an
 * incoming one's), loads its bucket some packets ahead, its entry fewer
 * ahead (the bucket being in the cache by then: the first entry whose tag
 * matches, the one the lookup nearly always wants) and that entry's list
 * neighbours fewer still.  Hints only: nothing is changed, a stale hash
 * or index costs nothing but the loads.
 */
uint64_t masq_hash_out(const struct masq *m, uint8_t proto, uint32_t iaddr,
		       uint16_t iport, uint32_t raddr, uint16_t rport);
uint64_t masq_hash_in(const struct masq *m, uint8_t proto, uint32_t aaddr,
		      uint16_t aport, uint32_t raddr, uint16_t rport);

static inline const struct masq_bucket *
masq_bucket_of(const struct masq *m, bool out, uint64_t h)
{
	return &(out ? m->out_hash : m->in_hash)[h & (m->nbuckets - 1)];
}

static inline void masq_prefetch_bucket(const struct masq *m, bool out,
					uint64_t h)
{
	__builtin_prefetch(masq_bucket_of(m, out, h));
}

/* Returns the entry's index (0: none) for masq_prefetch_links(). */
static inline uint32_t masq_prefetch_entry(const struct masq *m, bool out,
					   uint64_t h)
{
	const struct masq_bucket *b = masq_bucket_of(m, out, h);
	uint16_t tag = (uint16_t)(h >> 48);
	unsigned k;

	for (k = 0; k < MASQ_BSLOTS && b->idx[k]; k++)
		if (b->tag[k] == tag && b->idx[k] < m->top) {
			__builtin_prefetch(&m->conns[b->idx[k]], 1);
			return b->idx[k];
		}
	return 0;
}

static inline void masq_prefetch_links(const struct masq *m, uint32_t idx)
{
	const struct conn *c = &m->conns[idx < m->top ? idx : 0];

	if (c->state < CS_COUNT) {
		__builtin_prefetch(&m->conns[c->prev], 1);
		__builtin_prefetch(&m->conns[c->next], 1);
	}
}

/*
 * A new entry with an alias port from the range (tried in order from the
 * cursor; a port is free if no entry has the same alias and remote
 * endpoints).  rport_known false: an expected entry.  aport != 0: that
 * alias port exactly (port forwarding), no allocation.
 */
struct conn *masq_new(struct masq *m, uint8_t proto, uint32_t iaddr,
		      uint16_t iport, uint32_t aaddr, uint16_t aport,
		      uint32_t raddr, uint16_t rport, bool rport_known,
		      enum masq_err *err);

/*
 * The iptables model's entry: every endpoint decided by the nat chains
 * (no translation: a == i, r == o).  hi non-zero: the alias port is
 * searched in that range, aport first, as Linux keeps a source port when
 * the reply tuple stays unique; hi 0: aport exactly.
 */
struct masq_tuple {
	uint8_t proto;
	uint32_t iaddr, oaddr, aaddr, raddr;
	uint16_t iport, oport, aport, rport;
};
struct conn *masq_new_ct(struct masq *m, const struct masq_tuple *t,
			 uint16_t lo, uint16_t hi, enum masq_err *err);

/* Whether the source side is translated (a differs from i). */
static inline bool conn_translated(const struct conn *c)
{
	return c->aaddr != c->iaddr || c->aport != c->iport;
}

/* Whether the destination side is translated (r differs from o). */
static inline bool conn_dnat(const struct conn *c)
{
	return c->raddr != c->oaddr || c->rport != c->oport;
}

/* Whether packets "out" (i -> o) are the flow's original direction. */
static inline bool conn_orig_out(const struct conn *c)
{
	return !(c->flags & (CONN_F_INBOUND | CONN_F_RELATED));
}

/* Used now in state st: expires after st's timeout. */
void masq_touch(struct masq *m, struct conn *c, enum conn_state st,
		uint32_t now);
void masq_del(struct masq *m, struct conn *c);
/* Delete what expired by now; returns how many. */
unsigned masq_expire(struct masq *m, uint32_t now);

/* Entries in use, in index order: start with idx 0. NULL at the end. */
struct conn *masq_next(const struct masq *m, uint32_t *idx);

/* Memory per entry at a full table: the entry and its hash buckets. */
size_t masq_bytes_per_entry(const struct masq *m);

/* Advance the TCP state by a segment's flags (out: from the inside). */
enum conn_state masq_tcp_state(struct conn *c, uint8_t flags, bool out);

/* ---- helper state: TCP sequence deltas and what was rewritten ---- */

/*
 * The last few rewrites of one direction, oldest first: a segment after
 * rec[i].pos (and not after rec[i+1].pos) shifts by rec[i].after; one
 * before them all by base.  Three records (as libalias keeps) so that a
 * retransmission of an older segment still finds its offset and its
 * port after newer rewrites.
 */
#define CONN_SEQ_RECS 3
struct conn_seqrec {
	uint32_t pos;			/* seq of the rewritten segment */
	int32_t after;			/* total offset after it */
	uint16_t port;			/* the alias port its text got */
};

struct conn_seqadj {
	struct conn_seqrec rec[CONN_SEQ_RECS];
	int32_t base;			/* offset before rec[0] */
	uint8_t n;
};

struct conn_ext {
	struct conn_seqadj dir[2];	/* 0: from inside, 1: from outside */
	uint32_t next_free;
};

/* The entry's helper state, created when asked (NULL if none). */
struct conn_ext *masq_ext(struct masq *m, struct conn *c, bool create);

/*
 * Record the rewrite of the segment at seq (length change delta, alias
 * port given).  A segment not after the newest record is a retransmission
 * (or older): it was recorded already and is not counted twice.
 */
void conn_seqadj_add(struct conn_seqadj *s, uint32_t seq, int32_t delta,
		     uint16_t port);
/* The record of the segment at seq, if it was rewritten. */
const struct conn_seqrec *conn_seqadj_find(const struct conn_seqadj *s,
					   uint32_t seq);
/* The offset for a segment's seq in this direction. */
int32_t conn_seqadj_seq(const struct conn_seqadj *s, uint32_t seq);
/* The offset to take off an ack of this direction's data. */
int32_t conn_seqadj_ack(const struct conn_seqadj *s, uint32_t ack);

#endif
