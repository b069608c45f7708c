// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IPv4 reassembly and fragmentation (see frag.h).  A datagram in progress
 * keeps the fragments' byte ranges unmerged, so an exact duplicate (a
 * retransmission) can be told from an overlap, which drops the datagram.
 */
#include <stdlib.h>
#include <string.h>
#include "csum.h"
#include "frag.h"

#define ETH 14
#define GROW 2048u

void frag_init(struct frag_table *t, const struct frag_cfg *cfg)
{
	memset(t, 0, sizeof(*t));
	if (cfg)
		t->cfg = *cfg;
	if (!t->cfg.max_bytes)
		t->cfg.max_bytes = 4u << 20;
	if (!t->cfg.max_per_src)
		t->cfg.max_per_src = 16;
	if (!t->cfg.timeout_ms)
		t->cfg.timeout_ms = 30000;
}

static void q_free(struct frag_table *t, struct frag_q *q)
{
	t->nused--;
	t->bytes -= q->cap;
	free(q->data);
	memset(q, 0, sizeof(*q));
}

void frag_destroy(struct frag_table *t)
{
	unsigned i;

	for (i = 0; i < FRAG_QUEUES; i++)
		if (t->q[i].used)
			q_free(t, &t->q[i]);
}

unsigned frag_pending(const struct frag_table *t)
{
	return t->nused;
}

/* The first fragment's headers and 8 bytes: what an ICMP error quotes. */
static void report(struct frag_q *q, frag_expired_fn fn, void *ctx)
{
	uint8_t f[FRAG_HDR + 8];
	uint32_t n = 8;
	unsigned i;

	for (i = 0; i < q->nr; i++)
		if (q->r[i].lo == 0 && q->r[i].hi < n)
			n = q->r[i].hi;
	memcpy(f, q->hdr, ETH + q->hlen);
	memcpy(f + ETH + q->hlen, q->data, n);
	put16(f + ETH + 2, (uint16_t)(q->hlen + n));
	put16(f + ETH + 10, 0);
	put16(f + ETH + 10, csum_finish(csum_add(0, f + ETH, q->hlen)));
	fn(ctx, f, ETH + q->hlen + n, q->tag);
}

unsigned frag_expire(struct frag_table *t, uint64_t now_ms,
		     frag_expired_fn fn, void *ctx)
{
	struct frag_q *q;
	unsigned i, n = 0;

	/*
	 * Nothing due: no queue, or the clock past every start (the
	 * subtraction below cannot wrap for any) and under the timeout
	 * since the oldest.  A clock behind a start wraps, as it always did.
	 */
	if (!t->nused || (now_ms >= t->newest &&
			  now_ms - t->oldest < t->cfg.timeout_ms))
		return 0;
	t->oldest = UINT64_MAX;
	t->newest = 0;
	for (i = 0; i < FRAG_QUEUES; i++) {
		q = &t->q[i];
		if (!q->used)
			continue;
		if (now_ms - q->start_ms < t->cfg.timeout_ms) {
			if (q->start_ms < t->oldest)
				t->oldest = q->start_ms;
			if (q->start_ms > t->newest)
				t->newest = q->start_ms;
			continue;
		}
		if (fn && q->have_first)
			report(q, fn, ctx);
		q_free(t, q);
		n++;
	}
	return n;
}

/* The datagram's queue: (source, destination, id, protocol) as RFC 791. */
static struct frag_q *q_find(struct frag_table *t, const uint8_t *ip,
			     uint8_t tag, uint64_t now_ms, enum frag_res *why)
{
	uint32_t s = get32n(ip + 12), d = get32n(ip + 16);
	uint16_t id = get16(ip + 4);
	struct frag_q *q, *free_q = NULL;
	unsigned i, from_src = 0;

	for (i = 0; i < FRAG_QUEUES; i++) {
		q = &t->q[i];
		if (!q->used) {
			if (!free_q)
				free_q = q;
			continue;
		}
		if (q->saddr == s && q->daddr == d && q->id == id &&
		    q->proto == ip[9])
			return q;
		from_src += q->saddr == s;
	}
	*why = FRAG_LIMIT;
	if (!free_q || from_src >= t->cfg.max_per_src)
		return NULL;
	free_q->used = true;
	if (!t->nused++ || now_ms < t->oldest)
		t->oldest = now_ms;
	if (t->nused == 1 || now_ms > t->newest)
		t->newest = now_ms;
	free_q->saddr = s;
	free_q->daddr = d;
	free_q->id = id;
	free_q->proto = ip[9];
	free_q->start_ms = now_ms;
	free_q->tag = tag;
	return free_q;
}

/* Room for payload bytes up to end, within the memory limit. */
static bool q_room(struct frag_table *t, struct frag_q *q, uint32_t end)
{
	uint32_t want = (end + GROW - 1) / GROW * GROW;
	uint8_t *d;

	if (want <= q->cap)
		return true;
	if (t->bytes + (want - q->cap) > t->cfg.max_bytes)
		return false;
	d = realloc(q->data, want);
	if (!d)
		return false;
	t->bytes += want - q->cap;
	q->data = d;
	q->cap = want;
	return true;
}

/* Where [lo, hi) stands against what the queue holds. */
static enum frag_res q_place(const struct frag_q *q, uint32_t lo, uint32_t hi,
			     bool last)
{
	unsigned i;

	if (q->total && (hi > q->total || (last && hi != q->total)))
		return FRAG_BAD;
	for (i = 0; i < q->nr; i++) {
		if (q->r[i].lo == lo && q->r[i].hi == hi)
			return FRAG_DUP;
		if (lo < q->r[i].hi && q->r[i].lo < hi)
			return FRAG_OVERLAP;
		if (last && q->r[i].hi > hi)
			return FRAG_BAD;	/* data beyond the end */
	}
	return q->nr == FRAG_RANGES ? FRAG_LIMIT : FRAG_HELD;
}

static uint32_t q_build(struct frag_q *q, uint8_t *out, uint32_t cap)
{
	uint32_t n = ETH + q->hlen + q->total;
	uint8_t *ip = out + ETH;

	if (n > cap)
		return 0;
	memcpy(out, q->hdr, ETH + q->hlen);
	memcpy(ip + q->hlen, q->data, q->total);
	put16(ip + 2, (uint16_t)(q->hlen + q->total));
	put16(ip + 6, get16(ip + 6) & 0x4000);	/* DF stays, no offset */
	put16(ip + 10, 0);
	put16(ip + 10, csum_finish(csum_add(0, ip, q->hlen)));
	return n;
}

/* Check a fragment's own fields: -1 if they are impossible. */
static int frag_fields(const uint8_t *ip, uint32_t *lo, uint32_t *hi,
		       bool *last)
{
	unsigned hl = (unsigned)(ip[0] & 15) * 4;
	uint32_t plen = get16(ip + 2) - hl;
	uint16_t f = get16(ip + 6);

	*lo = (uint32_t)(f & 0x1fff) * 8;
	*hi = *lo + plen;
	*last = !(f & 0x2000);
	if (!plen || (!*last && (plen & 7)) || hl + *hi > FRAG_MAX_IP)
		return -1;
	return 0;
}

enum frag_res frag_input(struct frag_table *t, const uint8_t *frame,
			 uint32_t len, uint8_t tag, uint64_t now_ms,
			 uint8_t *out, uint32_t cap, uint32_t *outlen)
{
	const uint8_t *ip = frame + ETH;
	unsigned hl = (unsigned)(ip[0] & 15) * 4;
	enum frag_res res = FRAG_LIMIT;
	uint32_t lo, hi;
	struct frag_q *q;
	bool last;

	if (len < ETH + 20 || frag_fields(ip, &lo, &hi, &last))
		return FRAG_BAD;
	q = q_find(t, ip, tag, now_ms, &res);
	if (!q)
		return res;
	res = q_place(q, lo, hi, last);
	if (res == FRAG_HELD && !q_room(t, q, hi))
		res = FRAG_LIMIT;
	if (res == FRAG_DUP)
		return res;
	if (res != FRAG_HELD) {
		q_free(t, q);		/* the datagram cannot be trusted */
		return res;
	}
	memcpy(q->data + lo, ip + hl, hi - lo);
	q->r[q->nr++] = (struct frag_range){ (uint16_t)lo, (uint16_t)hi };
	q->got += hi - lo;
	if (last)
		q->total = hi;
	if (!lo) {
		memcpy(q->hdr, frame, ETH + hl);
		q->hlen = (uint8_t)hl;
		q->have_first = true;
		q->tag = tag;
	}
	if (!q->total || q->got != q->total || !q->have_first)
		return FRAG_HELD;
	*outlen = q_build(q, out, cap);
	q_free(t, q);
	return *outlen ? FRAG_DONE : FRAG_LIMIT;
}

/* ------------------------------------------------------------------ */
/* Splitting to an MTU                                                 */

/* The options a later fragment carries: those with the copied bit. */
static unsigned copied_opts(const uint8_t *ip, unsigned hl, uint8_t *to)
{
	unsigned i = 20, n = 0, olen;

	while (i < hl) {
		if (ip[i] == 0)
			break;
		if (ip[i] == 1) {
			i++;
			continue;
		}
		olen = i + 1 < hl ? ip[i + 1] : 0;
		if (olen < 2 || i + olen > hl)
			break;
		if (ip[i] & 0x80) {
			memcpy(to + n, ip + i, olen);
			n += olen;
		}
		i += olen;
	}
	while (n & 3)
		to[n++] = 0;
	return 20 + n;
}

static void put_frag(uint8_t *ip, unsigned hl, uint32_t off, uint32_t plen,
		     bool more)
{
	ip[0] = (uint8_t)(0x40 | hl / 4);
	put16(ip + 2, (uint16_t)(hl + plen));
	put16(ip + 6, (uint16_t)((more ? 0x2000 : 0) | (off / 8)));
	put16(ip + 10, 0);
	put16(ip + 10, csum_finish(csum_add(0, ip, hl)));
}

int frag_split(const uint8_t *frame, uint32_t len, uint16_t mtu,
	       uint8_t *buf, uint32_t cap, frag_out_fn fn, void *ctx)
{
	const uint8_t *ip = frame + ETH;
	unsigned hl = (unsigned)(ip[0] & 15) * 4, lhl, fhl;
	uint32_t tot = get16(ip + 2), plen = tot - hl, done = 0, chunk;
	uint16_t f = get16(ip + 6);
	uint32_t base = (uint32_t)(f & 0x1fff) * 8;
	bool more_after = f & 0x2000;
	uint8_t later[40];
	int n = 0;

	if (len < ETH + tot || mtu < hl + 8 || cap < ETH + 60 + 8u)
		return -1;
	lhl = copied_opts(ip, hl, later);
	while (done < plen) {
		fhl = done ? lhl : hl;
		chunk = ((uint32_t)mtu - fhl) & ~7u;
		if (chunk > cap - ETH - fhl)
			chunk = (cap - ETH - fhl) & ~7u;
		if (chunk >= plen - done)
			chunk = plen - done;
		memcpy(buf, frame, ETH);
		memcpy(buf + ETH, ip, 20);
		memcpy(buf + ETH + 20, done ? later : ip + 20, fhl - 20);
		memcpy(buf + ETH + fhl, ip + hl + done, chunk);
		put_frag(buf + ETH, fhl, base + done, chunk,
			 done + chunk < plen || more_after);
		fn(ctx, buf, ETH + fhl + chunk);
		done += chunk;
		n++;
	}
	return n;
}
