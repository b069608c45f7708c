/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The masquerade table (see masq.h).  Index 0 is "none" in every link, so
 * entry 0 of chunk 0 is never handed out.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "masq.h"

#define BSLOTS MASQ_BSLOTS

/* The 2.2 timeouts (ip_masq.c's masq_timeout_table), in seconds. */
static const uint32_t default_timeout[CS_COUNT] = {
	[CS_NONE] = 30 * 60, [CS_ESTABLISHED] = 15 * 60,
	[CS_SYN_SENT] = 2 * 60, [CS_SYN_RECV] = 60, [CS_FIN_WAIT] = 2 * 60,
	[CS_TIME_WAIT] = 2 * 60, [CS_CLOSE] = 10, [CS_CLOSE_WAIT] = 60,
	[CS_LAST_ACK] = 30, [CS_LISTEN] = 2 * 60, [CS_UDP] = 5 * 60,
	[CS_ICMP] = 60,
};

struct masq_host {
	struct masq_host *next;
	uint32_t addr;
	uint32_t count;
};

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		abort();
	return p;
}

/*
 * Zeroed memory whose pages come on first use, in huge pages where the
 * kernel gives them (transparent huge pages may be madvise-only): at a
 * million entries a random lookup otherwise misses the TLB on the bucket
 * and on the entry.
 */
static void *region(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		abort();
#ifdef MADV_HUGEPAGE
	if (size >= (2u << 20))
		(void)madvise(p, size, MADV_HUGEPAGE);
#endif
	return p;
}

int masq_init(struct masq *m, const struct masq_cfg *cfg)
{
	unsigned i;

	memset(m, 0, sizeof(*m));
	m->cfg = *cfg;
	if (!m->cfg.max_conns)
		m->cfg.max_conns = 65536;
	if (!m->cfg.port_lo || m->cfg.port_hi < m->cfg.port_lo) {
		m->cfg.port_lo = MASQ_PORT_LO;
		m->cfg.port_hi = MASQ_PORT_HI;
	}
	for (i = 0; i < CS_COUNT; i++)
		if (!m->cfg.timeout[i])
			m->cfg.timeout[i] = default_timeout[i] * MASQ_HZ;
	/*
	 * A bucket per 4 entries at least (2 to 4 per bucket at a full table,
	 * of 10 slots): at most about 1 bucket in 350 overflows into a chain.
	 */
	for (m->nbuckets = 4; m->nbuckets * 4 < m->cfg.max_conns &&
	     m->nbuckets < (1u << 22); m->nbuckets <<= 1)
		;
	m->hash_size = (size_t)m->nbuckets * sizeof(struct masq_bucket);
	m->out_hash = region(m->hash_size);
	m->in_hash = region(m->hash_size);
	m->cap = m->cfg.max_conns + 1;		/* entry 0 is never used */
	m->conns_size = ((size_t)m->cfg.max_conns + 1) * sizeof(struct conn);
	m->conns = region(m->conns_size);
	m->top = 1;
	for (i = 0; i < 3; i++) {
		uint32_t n = (uint32_t)(m->cfg.port_hi - m->cfg.port_lo) + 1;

		m->cursor[i] = m->cfg.port_random ?
			(uint32_t)((m->cfg.seed >> (16 * i)) % n) : 0;
	}
	if (m->cfg.max_per_host) {
		m->nhosts = m->nbuckets;	/* max_conns / 4 at least */
		m->hosts = xcalloc(m->nhosts, sizeof(*m->hosts));
	}
	return 0;
}

void masq_destroy(struct masq *m)
{
	struct masq_host *h, *n;
	uint32_t i;

	munmap(m->conns, m->conns_size);
	for (i = 0; i < m->nhosts; i++)
		for (h = m->hosts[i]; h; h = n) {
			n = h->next;
			free(h);
		}
	free(m->hosts);
	munmap(m->out_hash, m->hash_size);
	munmap(m->in_hash, m->hash_size);
	for (i = 0; i < m->ext_nchunks; i++)
		free(m->ext_chunks[i]);
	free(m->ext_chunks);
	memset(m, 0, sizeof(*m));
}

uint32_t masq_idx(const struct masq *m, const struct conn *c)
{
	(void)m;
	return c->self;
}

size_t masq_bytes_per_entry(const struct masq *m)
{
	return sizeof(struct conn) +
	       (2 * m->hash_size + m->cfg.max_conns - 1) / m->cfg.max_conns;
}

/* ------------------------------------------------------------------ */
/* Hashing                                                             */

static uint64_t mix(uint64_t x)
{
	/* a 64-bit finaliser (murmur3's): every input bit moves every output bit */
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return x;
}

/*
 * Keyed with the random seed so that nobody outside can pick tuples that
 * share a bucket; rport 0 is what an expected entry hashes with.  The low
 * bits pick the bucket, the top 16 are the entry's tag in it.
 */
static uint64_t hash5(const struct masq *m, uint8_t proto, uint32_t a1,
		      uint16_t p1, uint32_t a2, uint16_t p2)
{
	uint64_t h = mix(m->cfg.seed ^ ((uint64_t)a1 << 32 | (uint64_t)p1 << 16 |
				      p2));

	return mix(h ^ ((uint64_t)a2 << 8 | proto));
}

static uint16_t tag_of(uint64_t h)
{
	return (uint16_t)(h >> 48);	/* as masq_prefetch_entry() */
}

static uint64_t out_hash(const struct masq *m, const struct conn *c)
{
	return hash5(m, c->proto, c->iaddr, c->iport, c->oaddr, c->oport);
}

static uint64_t in_hash(const struct masq *m, const struct conn *c)
{
	return hash5(m, c->proto, c->aaddr, c->aport, c->raddr,
		     c->flags & CONN_F_NORPORT ? 0 : c->rport);
}

static struct masq_bucket *bucket(const struct masq *m, bool out, uint64_t h)
{
	return (struct masq_bucket *)masq_bucket_of(m, out, h);
}

static uint32_t *link_of(struct conn *c, bool out)
{
	return out ? &c->onext : &c->inext;
}

/*
 * Into its bucket as the newest: the slots shift by one, the oldest of a
 * full bucket goes to the head of the overflow chain (so the order is the
 * chain order of one list, newest first, as lookups need it).
 */
static void bucket_add(struct masq *m, bool out, struct conn *c)
{
	uint64_t h = out ? out_hash(m, c) : in_hash(m, c);
	struct masq_bucket *b = bucket(m, out, h);
	uint32_t last = b->idx[BSLOTS - 1];

	if (last) {
		*link_of(&m->conns[last], out) = b->ovf;
		b->ovf = last;
	}
	memmove(&b->idx[1], &b->idx[0], (BSLOTS - 1) * sizeof(b->idx[0]));
	memmove(&b->tag[1], &b->tag[0], (BSLOTS - 1) * sizeof(b->tag[0]));
	b->idx[0] = c->self;
	b->tag[0] = tag_of(h);
	*link_of(c, out) = 0;
}

/* Out of its bucket (computed from the entry's tuple as it is now). */
static void bucket_del(struct masq *m, bool out, struct conn *c)
{
	struct masq_bucket *b = bucket(m, out, out ? out_hash(m, c) :
					  in_hash(m, c));
	uint32_t *pp, y;
	struct conn *o;
	unsigned k;

	for (k = 0; k < BSLOTS && b->idx[k]; k++) {
		if (b->idx[k] != c->self)
			continue;
		memmove(&b->idx[k], &b->idx[k + 1],
			(BSLOTS - 1 - k) * sizeof(b->idx[0]));
		memmove(&b->tag[k], &b->tag[k + 1],
			(BSLOTS - 1 - k) * sizeof(b->tag[0]));
		y = b->ovf;
		if (y) {	/* the newest of the chain takes the last slot */
			o = &m->conns[y];
			b->ovf = *link_of(o, out);
			*link_of(o, out) = 0;
			b->idx[BSLOTS - 1] = y;
			b->tag[BSLOTS - 1] = tag_of(out ? out_hash(m, o) :
						    in_hash(m, o));
		} else {
			b->idx[BSLOTS - 1] = 0;
			b->tag[BSLOTS - 1] = 0;
		}
		return;
	}
	for (pp = &b->ovf; *pp; pp = link_of(o, out)) {
		o = &m->conns[*pp];
		if (*pp == c->self) {
			*pp = *link_of(o, out);
			return;
		}
	}
}

/*
 * A hit: the packet's masq_touch() will unlink the entry from its expiry
 * list, which writes both neighbours; start loading them now.
 */
static struct conn *hit(const struct masq *m, struct conn *c)
{
	if (c->state < CS_COUNT) {
		__builtin_prefetch(&m->conns[c->prev], 1);
		__builtin_prefetch(&m->conns[c->next], 1);
	}
	return c;
}

uint64_t masq_hash_out(const struct masq *m, uint8_t proto, uint32_t iaddr,
		       uint16_t iport, uint32_t raddr, uint16_t rport)
{
	return hash5(m, proto, iaddr, iport, raddr, rport);
}

uint64_t masq_hash_in(const struct masq *m, uint8_t proto, uint32_t aaddr,
		      uint16_t aport, uint32_t raddr, uint16_t rport)
{
	return hash5(m, proto, aaddr, aport, raddr, rport);
}

static bool out_match(const struct conn *c, uint8_t proto, uint32_t iaddr,
		      uint16_t iport, uint32_t raddr, uint16_t rport)
{
	return c->iport == iport && c->oport == rport && c->iaddr == iaddr &&
	       c->oaddr == raddr && c->proto == proto;
}

struct conn *masq_out_find(struct masq *m, uint8_t proto, uint32_t iaddr,
			   uint16_t iport, uint32_t raddr, uint16_t rport)
{
	uint64_t h = hash5(m, proto, iaddr, iport, raddr, rport);
	const struct masq_bucket *b = bucket(m, true, h);
	uint16_t tag = tag_of(h);
	struct conn *c;
	unsigned k;
	uint32_t i;

	for (k = 0; k < BSLOTS; k++) {
		i = b->idx[k];
		if (!i)
			return NULL;	/* no overflow chain either */
		c = &m->conns[i];
		if (b->tag[k] == tag &&
		    out_match(c, proto, iaddr, iport, raddr, rport))
			return hit(m, c);
	}
	for (i = b->ovf; (c = masq_conn(m, i)); i = c->onext)
		if (out_match(c, proto, iaddr, iport, raddr, rport))
			return hit(m, c);
	return NULL;
}

static bool in_match(const struct conn *c, uint8_t proto, uint32_t aaddr,
		     uint16_t aport, uint32_t raddr, uint16_t rport,
		     bool partial)
{
	return c->aport == aport && c->aaddr == aaddr && c->raddr == raddr &&
	       c->proto == proto &&
	       (partial ? (c->flags & CONN_F_NORPORT) :
		(!(c->flags & CONN_F_NORPORT) && c->rport == rport));
}

static struct conn *in_lookup(struct masq *m, uint8_t proto, uint32_t aaddr,
			      uint16_t aport, uint32_t raddr, uint16_t rport,
			      bool partial)
{
	uint64_t h = hash5(m, proto, aaddr, aport, raddr, partial ? 0 : rport);
	const struct masq_bucket *b = bucket(m, false, h);
	uint16_t tag = tag_of(h);
	struct conn *c;
	unsigned k;
	uint32_t i;

	for (k = 0; k < BSLOTS; k++) {
		i = b->idx[k];
		if (!i)
			return NULL;
		c = &m->conns[i];
		if (b->tag[k] == tag &&
		    in_match(c, proto, aaddr, aport, raddr, rport, partial))
			return hit(m, c);
	}
	for (i = b->ovf; (c = masq_conn(m, i)); i = c->inext)
		if (in_match(c, proto, aaddr, aport, raddr, rport, partial))
			return hit(m, c);
	return NULL;
}

/* An expected entry meets its first packet: now it has a remote port. */
static void complete(struct masq *m, struct conn *c, uint16_t rport)
{
	bucket_del(m, false, c);
	c->flags &= (uint8_t)~CONN_F_NORPORT;
	c->flags |= CONN_F_RELATED;
	c->rport = rport;
	c->oport = rport;
	bucket_add(m, false, c);
	bucket_add(m, true, c);
}

struct conn *masq_in_exact(struct masq *m, uint8_t proto, uint32_t aaddr,
			   uint16_t aport, uint32_t raddr, uint16_t rport)
{
	return in_lookup(m, proto, aaddr, aport, raddr, rport, false);
}

struct conn *masq_in_find(struct masq *m, uint8_t proto, uint32_t aaddr,
			  uint16_t aport, uint32_t raddr, uint16_t rport)
{
	struct conn *c = in_lookup(m, proto, aaddr, aport, raddr, rport, false);

	if (c || proto == 1)
		return c;
	c = in_lookup(m, proto, aaddr, aport, raddr, rport, true);
	if (c)
		complete(m, c, rport);
	return c;
}

/* ------------------------------------------------------------------ */
/* Helper states                                                       */

#define EXT_SHIFT 8

static struct conn_ext *ext_at(const struct masq *m, uint32_t i)
{
	return &m->ext_chunks[i >> EXT_SHIFT][i & ((1u << EXT_SHIFT) - 1)];
}

struct conn_ext *masq_ext(struct masq *m, struct conn *c, bool create)
{
	uint32_t i = m->ext_free;
	struct conn_ext *x;

	if (c->ext || !create)
		return c->ext ? ext_at(m, c->ext) : NULL;
	if (i) {
		m->ext_free = ext_at(m, i)->next_free;
	} else {
		if (!m->ext_top)
			m->ext_top = 1;		/* 0 means none */
		i = m->ext_top;
		if ((i >> EXT_SHIFT) >= m->ext_nchunks) {
			m->ext_chunks = realloc(m->ext_chunks,
				(m->ext_nchunks + 1) * sizeof(*m->ext_chunks));
			if (!m->ext_chunks)
				abort();
			m->ext_chunks[m->ext_nchunks++] =
				xcalloc(1u << EXT_SHIFT, sizeof(struct conn_ext));
		}
		m->ext_top++;
	}
	x = ext_at(m, i);
	memset(x, 0, sizeof(*x));
	c->ext = i;
	return x;
}

/* ------------------------------------------------------------------ */
/* Per inside host counts                                              */

static struct masq_host **host_slot(struct masq *m, uint32_t addr)
{
	struct masq_host **pp = &m->hosts[(uint32_t)mix(m->cfg.seed ^ addr) &
					  (m->nhosts - 1)];

	while (*pp && (*pp)->addr != addr)
		pp = &(*pp)->next;
	return pp;
}

static bool host_full(struct masq *m, uint32_t addr)
{
	struct masq_host **pp;

	if (!m->hosts)
		return false;
	pp = host_slot(m, addr);
	return *pp && (*pp)->count >= m->cfg.max_per_host;
}

static void host_count(struct masq *m, uint32_t addr, int delta)
{
	struct masq_host **pp, *h;

	if (!m->hosts)
		return;
	pp = host_slot(m, addr);
	h = *pp;
	if (!h) {
		h = xcalloc(1, sizeof(*h));
		h->addr = addr;
		*pp = h;
	}
	h->count = (uint32_t)((int32_t)h->count + delta);
	if (!h->count) {
		*pp = h->next;
		free(h);
	}
}

/* ------------------------------------------------------------------ */
/* Entries                                                             */

static struct conn *conn_alloc(struct masq *m)
{
	uint32_t idx = m->free;
	struct conn *c;

	if (idx) {
		c = masq_conn(m, idx);
		m->free = c->next;
	} else {
		idx = m->top++;		/* < cap: count < max_conns */
		c = masq_conn(m, idx);
	}
	memset(c, 0, sizeof(*c));
	c->self = idx;
	c->flags = CONN_F_USED;
	m->count++;
	return c;
}

static unsigned proto_slot(uint8_t proto)
{
	return proto == 6 ? 0 : proto == 17 ? 1 : 2;
}

static bool alias_taken(struct masq *m, uint8_t proto, uint32_t aaddr,
			uint16_t aport, uint32_t raddr, uint16_t rport,
			bool rport_known)
{
	if (rport_known && in_lookup(m, proto, aaddr, aport, raddr, rport, false))
		return true;
	return proto != 1 &&
	       in_lookup(m, proto, aaddr, aport, raddr, 0, true) != NULL;
}

/*
 * 2.2's allocator: a cyclic cursor per protocol over the range, a port
 * taken when no entry has the same alias and remote endpoints, so one
 * port serves many remote endpoints and more than range-size flows fit.
 */
static uint16_t port_alloc(struct masq *m, uint8_t proto, uint32_t aaddr,
			   uint32_t raddr, uint16_t rport, bool rport_known)
{
	uint32_t n = (uint32_t)(m->cfg.port_hi - m->cfg.port_lo) + 1, i;
	uint32_t *cur = &m->cursor[proto_slot(proto)];
	uint16_t port;

	for (i = 0; i < n; i++) {
		port = (uint16_t)(m->cfg.port_lo + *cur);
		*cur = (*cur + 1) % n;
		if (!alias_taken(m, proto, aaddr, port, raddr, rport,
				 rport_known))
			return port;
	}
	return 0;
}

static enum masq_err may_add(struct masq *m, uint32_t iaddr)
{
	if (m->count >= m->cfg.max_conns)
		return MASQ_E_FULL;
	if (host_full(m, iaddr))
		return MASQ_E_HOST;
	return MASQ_OK;
}

struct conn *masq_new(struct masq *m, uint8_t proto, uint32_t iaddr,
		      uint16_t iport, uint32_t aaddr, uint16_t aport,
		      uint32_t raddr, uint16_t rport, bool rport_known,
		      enum masq_err *err)
{
	struct conn *c;

	*err = may_add(m, iaddr);
	if (*err)
		return NULL;
	if (aport) {
		if (alias_taken(m, proto, aaddr, aport, raddr, rport,
				rport_known)) {
			*err = MASQ_E_EXISTS;
			return NULL;
		}
	} else {
		aport = port_alloc(m, proto, aaddr, raddr, rport, rport_known);
		if (!aport) {
			*err = MASQ_E_PORTS;
			return NULL;
		}
	}
	c = conn_alloc(m);
	c->proto = proto;
	c->iaddr = iaddr;
	c->iport = iport;
	c->aaddr = aaddr;
	c->aport = aport;
	c->raddr = raddr;
	c->rport = rport_known ? rport : 0;
	c->oaddr = c->raddr;
	c->oport = c->rport;
	if (!rport_known)
		c->flags |= CONN_F_NORPORT;
	else
		bucket_add(m, true, c);
	bucket_add(m, false, c);
	host_count(m, iaddr, 1);
	c->state = CS_COUNT;		/* on no list until touched */
	return c;
}

/*
 * Linux's choice for a NAT'd source port: the port itself while the
 * reply tuple stays unique, else the next free one in the range, cyclic
 * (Linux starts at a hashed offset; counting up from the port keeps the
 * golden tests deterministic).
 */
static uint16_t port_near(struct masq *m, const struct masq_tuple *t,
			  uint16_t lo, uint16_t hi)
{
	uint32_t n = (uint32_t)(hi - lo) + 1, i, start;
	uint16_t port;

	start = t->aport >= lo && t->aport <= hi ? t->aport - lo : 0;
	for (i = 0; i < n; i++) {
		port = (uint16_t)(lo + (start + i) % n);
		if (!alias_taken(m, t->proto, t->aaddr, port, t->raddr,
				 t->rport, true))
			return port;
	}
	return 0;
}

struct conn *masq_new_ct(struct masq *m, const struct masq_tuple *t,
			 uint16_t lo, uint16_t hi, enum masq_err *err)
{
	uint16_t aport = t->aport;
	struct conn *c;

	*err = may_add(m, t->iaddr);
	if (*err)
		return NULL;
	if (hi && hi >= lo) {
		aport = port_near(m, t, lo, hi);
		if (!aport) {
			*err = MASQ_E_PORTS;
			return NULL;
		}
	} else if (alias_taken(m, t->proto, t->aaddr, aport, t->raddr,
			       t->rport, true)) {
		*err = MASQ_E_EXISTS;
		return NULL;
	}
	c = conn_alloc(m);
	c->proto = t->proto;
	c->iaddr = t->iaddr;
	c->iport = t->iport;
	c->oaddr = t->oaddr;
	c->oport = t->oport;
	c->aaddr = t->aaddr;
	c->aport = aport;
	c->raddr = t->raddr;
	c->rport = t->rport;
	c->flags |= CONN_F_CT;
	bucket_add(m, true, c);
	bucket_add(m, false, c);
	host_count(m, t->iaddr, 1);
	c->state = CS_COUNT;
	return c;
}

/* ------------------------------------------------------------------ */
/* Expiry lists                                                        */

static void list_unlink(struct masq *m, struct conn *c)
{
	struct conn *p, *n;

	if (c->state >= CS_COUNT)
		return;
	p = masq_conn(m, c->prev);
	n = masq_conn(m, c->next);
	if (p) {
		p->next = c->next;
	} else {
		m->head[c->state] = c->next;
		if (n)
			m->head_exp[c->state] = n->expires;
	}
	if (n)
		n->prev = c->prev;
	else
		m->tail[c->state] = c->prev;
	c->prev = c->next = 0;
}

static void list_append(struct masq *m, struct conn *c)
{
	struct conn *t = masq_conn(m, m->tail[c->state]);

	c->prev = m->tail[c->state];
	c->next = 0;
	if (t) {
		t->next = c->self;
	} else {
		m->head[c->state] = c->self;
		m->head_exp[c->state] = c->expires;
	}
	m->tail[c->state] = c->self;
}

void masq_touch(struct masq *m, struct conn *c, enum conn_state st,
		uint32_t now)
{
	if (c->state == st && m->tail[st] == c->self) {
		/* the newest of its list already (a burst): it stays there */
		c->expires = now + m->cfg.timeout[st];
		if (m->head[st] == c->self)
			m->head_exp[st] = c->expires;
		return;
	}
	list_unlink(m, c);
	c->state = (uint8_t)st;
	c->expires = now + m->cfg.timeout[st];
	list_append(m, c);
}

void masq_del(struct masq *m, struct conn *c)
{
	list_unlink(m, c);
	if (!(c->flags & CONN_F_NORPORT))
		bucket_del(m, true, c);
	bucket_del(m, false, c);
	host_count(m, c->iaddr, -1);
	if (c->ext) {
		ext_at(m, c->ext)->next_free = m->ext_free;
		m->ext_free = c->ext;
	}
	c->flags = 0;
	c->next = m->free;
	m->free = c->self;
	m->count--;
}

static bool tick_before_eq(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) <= 0;
}

unsigned masq_expire(struct masq *m, uint32_t now)
{
	unsigned st, n = 0;

	/* per class a look at the head's deadline, kept beside the head */
	for (st = 0; st < CS_COUNT; st++)
		while (m->head[st] && tick_before_eq(m->head_exp[st], now)) {
			masq_del(m, masq_conn(m, m->head[st]));
			n++;
		}
	return n;
}

void masq_set_timeout(struct masq *m, enum conn_state st, uint32_t ticks)
{
	uint32_t old = m->cfg.timeout[st], i;
	struct conn *c;

	if (!ticks || ticks == old)
		return;
	m->cfg.timeout[st] = ticks;
	/* shift every deadline alike: the list stays in expiry order */
	for (i = m->head[st]; (c = masq_conn(m, i)); i = c->next)
		c->expires = c->expires - old + ticks;
	m->head_exp[st] -= old - ticks;
}

uint32_t masq_timeout(const struct masq *m, enum conn_state st)
{
	return m->cfg.timeout[st];
}

struct conn *masq_next(const struct masq *m, uint32_t *idx)
{
	struct conn *c;

	while (++*idx < m->top) {
		c = masq_conn(m, *idx);
		if (c->flags & CONN_F_USED)
			return c;
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* TCP states                                                          */

/*
 * The states 2.2 timed TCP entries by, driven by the flags seen in each
 * direction: SYN opens, SYN+ACK answers, the first plain segment after
 * both establishes, each side's FIN closes its half, RST closes at once.
 */
enum conn_state masq_tcp_state(struct conn *c, uint8_t flags, bool out)
{
	enum conn_state st = (enum conn_state)c->state;

	if (flags & 0x04)
		return CS_CLOSE;
	if (flags & 0x01) {
		c->flags |= out ? CONN_F_FIN_OUT : CONN_F_FIN_IN;
		if ((c->flags & (CONN_F_FIN_OUT | CONN_F_FIN_IN)) ==
		    (CONN_F_FIN_OUT | CONN_F_FIN_IN))
			return CS_LAST_ACK;
		return out ? CS_FIN_WAIT : CS_CLOSE_WAIT;
	}
	if ((flags & 0x12) == 0x02)
		return out ? CS_SYN_SENT : CS_SYN_RECV;
	if ((flags & 0x12) == 0x12)
		return CS_SYN_RECV;
	if (st == CS_LAST_ACK || st == CS_TIME_WAIT)
		return CS_TIME_WAIT;
	if (st == CS_FIN_WAIT || st == CS_CLOSE_WAIT || st == CS_CLOSE)
		return st;
	if (st == CS_SYN_SENT && !out)
		return CS_SYN_SENT;	/* no answer to the SYN yet */
	return CS_ESTABLISHED;
}

/* ------------------------------------------------------------------ */
/* Sequence deltas                                                     */

static bool seq_after(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

void conn_seqadj_add(struct conn_seqadj *s, uint32_t seq, int32_t delta,
		     uint16_t port)
{
	struct conn_seqrec *r;
	int32_t prev = s->n ? s->rec[s->n - 1].after : s->base;

	if (s->n && !seq_after(seq, s->rec[s->n - 1].pos))
		return;
	if (s->n == CONN_SEQ_RECS) {
		/* the oldest record's offset becomes the base */
		s->base = s->rec[0].after;
		memmove(&s->rec[0], &s->rec[1],
			(CONN_SEQ_RECS - 1) * sizeof(s->rec[0]));
		s->n--;
	}
	r = &s->rec[s->n++];
	r->pos = seq;
	r->after = prev + delta;
	r->port = port;
}

const struct conn_seqrec *conn_seqadj_find(const struct conn_seqadj *s,
					   uint32_t seq)
{
	unsigned i;

	for (i = 0; i < s->n; i++)
		if (s->rec[i].pos == seq)
			return &s->rec[i];
	return NULL;
}

int32_t conn_seqadj_seq(const struct conn_seqadj *s, uint32_t seq)
{
	unsigned i = s->n;

	while (i--)
		if (seq_after(seq, s->rec[i].pos))
			return s->rec[i].after;
	return s->base;
}

int32_t conn_seqadj_ack(const struct conn_seqadj *s, uint32_t ack)
{
	unsigned i = s->n;
	int32_t before;

	/*
	 * Segment i starts at pos + (offset before it) as the peer sees it:
	 * an ack beyond that covers its new length.
	 */
	while (i--) {
		before = i ? s->rec[i - 1].after : s->base;
		if (seq_after(ack - (uint32_t)before, s->rec[i].pos))
			return s->rec[i].after;
	}
	return s->base;
}
