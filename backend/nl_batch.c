/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Netlink plumbing: the socket, the ruleset generation, batches and their
 * acknowledgements.  Every message of a batch asks for an ack, so the
 * reader knows when it has heard about all of them and can map each
 * error's sequence number back to the input rule that made the message.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <linux/netlink.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/common.h>
#include <libnftnl/gen.h>
#include "nl.h"

#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

/* Enough for any one message masqrule builds (a rule with its data). */
#define NL_MSG_ROOM 16384
#define NL_RECV_SIZE (256 * 1024)
/* How long to wait for acks the kernel has not queued yet. */
#define NL_ACK_WAIT_MS 2000

int nl_open(struct nl_sock *s, struct erec_list *errs)
{
	int one = 1;

	memset(s, 0, sizeof(*s));
	s->nl = mnl_socket_open(NETLINK_NETFILTER);
	if (!s->nl || mnl_socket_bind(s->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		erec_add(errs, EREC_ERROR, MR_EXIT_RESOURCE, NULL,
			 "cannot open a netfilter netlink socket: %s",
			 strerror(errno));
		if (s->nl)
			mnl_socket_close(s->nl);
		s->nl = NULL;
		return -1;
	}
	/* errors without a copy of the (possibly large) message */
	mnl_socket_setsockopt(s->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	s->portid = mnl_socket_get_portid(s->nl);
	s->seq = 1;
	return 0;
}

void nl_close(struct nl_sock *s)
{
	if (s->nl)
		mnl_socket_close(s->nl);
	s->nl = NULL;
}

/* ------------------------------------------------------------------ */
/* Requests with replies                                               */

static int nl_read_replies(struct nl_sock *s, uint32_t seq,
			   mnl_cb_t cb, void *data)
{
	char *buf = malloc(NL_RECV_SIZE);
	ssize_t n;
	int ret = MNL_CB_OK;

	if (!buf)
		return -ENOMEM;
	while (ret > MNL_CB_STOP) {
		n = mnl_socket_recvfrom(s->nl, buf, NL_RECV_SIZE);
		if (n < 0) {
			ret = -errno;
			break;
		}
		ret = mnl_cb_run(buf, (size_t)n, seq, s->portid, cb, data);
		if (ret < 0)
			ret = -errno;
	}
	free(buf);
	return ret < 0 ? ret : 0;
}

static int gen_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nftnl_gen *gen = nftnl_gen_alloc();
	uint32_t *id = data;

	if (gen && nftnl_gen_nlmsg_parse(nlh, gen) == 0)
		*id = nftnl_gen_get_u32(gen, NFTNL_GEN_ID);
	nftnl_gen_free(gen);
	return MNL_CB_OK;
}

int nl_genid(struct nl_sock *s, uint32_t *genid)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	uint32_t seq = s->seq++;

	/* the ack ends the reply loop */
	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETGEN, AF_UNSPEC, NLM_F_ACK,
				    seq);
	if (mnl_socket_sendto(s->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	return nl_read_replies(s, seq, gen_cb, genid);
}

int nl_dump(struct nl_sock *s, struct nlmsghdr *req,
	    int (*cb)(const struct nlmsghdr *nlh, void *data), void *data)
{
	req->nlmsg_seq = s->seq++;
	if (mnl_socket_sendto(s->nl, req, req->nlmsg_len) < 0)
		return -errno;
	return nl_read_replies(s, req->nlmsg_seq, cb, data);
}

/* ------------------------------------------------------------------ */
/* Batches                                                             */

/*
 * The batch grows in chunks sent together with one sendmsg(): no copy
 * when it grows, little unused (a 50,000-rule batch in one doubling
 * buffer cost twice its size).  Each message is built in a scratch
 * buffer and copied in at its length, so chunks are full.  Small chunks
 * come from the heap, where the lowered rules freed while the batch is
 * built (BACKEND_F_CONSUME) are: peak memory is then about the batch
 * alone.  A chunk is at least 1/64 of what is there, so that a huge
 * batch stays within IOV_MAX.
 */
#define NL_CHUNK_MIN (64u << 10)

static struct nl_chunk *nl_chunk_new(struct nl_batch *b, size_t room)
{
	struct nl_chunk *c;
	size_t cap = b->len / 64;

	if (cap < NL_CHUNK_MIN)
		cap = NL_CHUNK_MIN;
	if (cap < room)
		cap = room;
	if (b->nchunks == b->chcap) {
		b->chcap = b->chcap ? 2 * b->chcap : 16;
		b->chunks = realloc(b->chunks, b->chcap * sizeof(*b->chunks));
		if (!b->chunks)
			abort();
	}
	c = &b->chunks[b->nchunks++];
	c->buf = malloc(cap);
	if (!c->buf)
		abort();
	c->len = 0;
	c->cap = cap;
	return c;
}

char *nl_batch_reserve(struct nl_batch *b, size_t room)
{
	if (room > b->scratch_cap) {
		free(b->scratch);
		b->scratch = malloc(room);
		if (!b->scratch)
			abort();
		b->scratch_cap = room;
	}
	/* the headers libnftnl's builders start from (attributes are
	 * written whole, with their padding) */
	memset(b->scratch, 0, room < 256 ? room : 256);
	return b->scratch;
}

uint32_t nl_batch_seq(const struct nl_batch *b)
{
	return b->next_seq;
}

/* The message built in the scratch buffer into the batch; where it is. */
static struct nlmsghdr *nl_batch_push(struct nl_batch *b,
				      const struct nlmsghdr *nlh)
{
	size_t len = NLMSG_ALIGN(nlh->nlmsg_len);
	struct nl_chunk *c = b->nchunks ? &b->chunks[b->nchunks - 1] : NULL;
	char *at;

	if (!c || c->len + len > c->cap)
		c = nl_chunk_new(b, len);
	at = c->buf + c->len;
	memcpy(at, nlh, nlh->nlmsg_len);
	memset(at + nlh->nlmsg_len, 0, len - nlh->nlmsg_len);
	c->len += len;
	b->len += len;
	b->next_seq++;
	return (struct nlmsghdr *)at;
}

/* Batch begin/end: an nfnetlink header addressed to nf_tables. */
static struct nlmsghdr *nl_batch_ctl(struct nl_batch *b, uint16_t type)
{
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;

	nlh = mnl_nlmsg_put_header(nl_batch_reserve(b, 64));
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = b->next_seq;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = AF_UNSPEC;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = htons(NFNL_SUBSYS_NFTABLES);
	return nlh;
}

void nl_batch_init(struct nl_batch *b, uint32_t seq, uint32_t genid)
{
	struct nlmsghdr *nlh;

	memset(b, 0, sizeof(*b));
	b->first_seq = b->next_seq = seq;
	nlh = nl_batch_ctl(b, NFNL_MSG_BATCH_BEGIN);
	/* the kernel refuses the batch with ERESTART if anyone changed the
	 * ruleset after we read it */
	mnl_attr_put_u32(nlh, NFNL_BATCH_GENID, htonl(genid));
	nl_batch_push(b, nlh);
}

void nl_batch_free(struct nl_batch *b)
{
	unsigned i;

	free(b->scratch);
	for (i = 0; i < b->nchunks; i++)
		free(b->chunks[i].buf);
	for (i = 0; i < b->nruns; i++)
		free(b->runs[i].what);
	free(b->chunks);
	free(b->at);
	free(b->runs);
	memset(b, 0, sizeof(*b));
}

static void *nl_grow(void *p, unsigned *cap, size_t size, unsigned first)
{
	*cap = *cap ? 2 * *cap : first;
	p = realloc(p, *cap * size);
	if (!p)
		abort();
	return p;
}

void nl_batch_commit(struct nl_batch *b, struct nlmsghdr *nlh,
		     const struct mr_loc *loc, const char *what)
{
	const struct mr_src *src = loc ? loc->src : NULL;
	struct nl_run *r = b->nruns ? &b->runs[b->nruns - 1] : NULL;
	struct nl_at *at;

	if (b->norig == b->ocap)
		b->at = nl_grow(b->at, &b->ocap, sizeof(*b->at), 256);
	at = &b->at[b->norig];
	memset(at, 0, sizeof(*at));
	if (src) {
		at->line = loc->line;
		at->col = loc->col;
		at->len = loc->len;
	}
	/* the rules of a chain share one run */
	if (!r || r->src != src || strcmp(r->what, what)) {
		if (b->nruns == b->rcap)
			b->runs = nl_grow(b->runs, &b->rcap, sizeof(*b->runs),
					  16);
		r = &b->runs[b->nruns++];
		r->first = b->norig;
		r->src = src;
		r->what = strdup(what);
		if (!r->what)
			abort();
	}
	b->norig++;
	/* message i after the begin is sequence number first_seq + 1 + i */
	nlh->nlmsg_seq = b->next_seq;
	b->last = nl_batch_push(b, nlh);
}

void nl_batch_end(struct nl_batch *b, bool commit)
{
	/* without an end message the kernel validates everything and then
	 * aborts the transaction: a dry run */
	/*
	 * nfnetlink answers a batch within the send: errors are queued for
	 * the messages that failed, and the last message's ack says that
	 * all answers are there.  An ack for every message cost the kernel
	 * one skb each (50,000 for a 50,000-rule restore).
	 */
	if (b->last)
		b->last->nlmsg_flags |= NLM_F_ACK;
	if (commit)
		nl_batch_push(b, nl_batch_ctl(b, NFNL_MSG_BATCH_END));
	b->ended = true;
}

/* ------------------------------------------------------------------ */
/* Sending and acknowledgements                                        */

struct nl_acks {
	const struct nl_batch *b;
	struct erec_list *errs;
	unsigned seen, failed;
	bool restart, batch_error, last_seen;
};

/* Message seq's origin: false if it has none (begin, end, not ours). */
static bool nl_origin(const struct nl_batch *b, uint32_t seq,
		      struct mr_loc *loc, const char **what)
{
	uint32_t i = seq - b->first_seq - 1;
	unsigned lo = 0, hi = b->nruns;
	const struct nl_run *r;

	if (seq - b->first_seq < 1 || i >= b->norig || !b->nruns)
		return false;
	/* the last run that starts at or before i */
	while (hi - lo > 1) {
		unsigned mid = (lo + hi) / 2;

		if (b->runs[mid].first <= i)
			lo = mid;
		else
			hi = mid;
	}
	r = &b->runs[lo];
	*what = r->what;
	memset(loc, 0, sizeof(*loc));
	if (r->src) {
		loc->src = r->src;
		loc->line = b->at[i].line;
		loc->col = b->at[i].col;
		loc->len = b->at[i].len;
	}
	return true;
}

static void nl_ack(struct nl_acks *a, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const char *what = "a message";
	struct mr_loc loc;
	bool known;
	int err = -e->error;

	a->seen++;
	if (a->b->last && nlh->nlmsg_seq == a->b->last->nlmsg_seq)
		a->last_seen = true;
	if (!err)
		return;
	if (nlh->nlmsg_seq == a->b->first_seq) {
		if (err == ERESTART) {
			a->restart = true;
			return;
		}
		a->batch_error = true;
		erec_add(a->errs, EREC_ERROR, MR_EXIT_OTHER, NULL,
			 "the kernel refused the batch: %s", strerror(err));
		return;
	}
	a->failed++;
	known = nl_origin(a->b, nlh->nlmsg_seq, &loc, &what);
	erec_add(a->errs, EREC_ERROR, err == ENOMEM || err == ENOBUFS ?
		 MR_EXIT_RESOURCE : MR_EXIT_OTHER,
		 known && loc.src ? &loc : NULL,
		 "the kernel refused %s: %s", what, strerror(err));
}

static void nl_parse_acks(struct nl_acks *a, const char *buf, size_t n)
{
	const struct nlmsghdr *nlh = (const void *)buf;
	int len = (int)n;

	for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len))
		if (nlh->nlmsg_type == NLMSG_ERROR)
			nl_ack(a, nlh);
}

static bool nl_acks_done(const struct nl_acks *a)
{
	return a->restart || a->batch_error || a->last_seen;
}

static int nl_read_acks(struct nl_sock *s, struct nl_acks *a)
{
	struct pollfd pfd = { .fd = mnl_socket_get_fd(s->nl), .events = POLLIN };
	char *buf = malloc(NL_RECV_SIZE);
	ssize_t n;
	int ret = 0;

	if (!buf)
		abort();
	while (!nl_acks_done(a)) {
		n = recv(pfd.fd, buf, NL_RECV_SIZE, MSG_DONTWAIT);
		if (n >= 0) {
			nl_parse_acks(a, buf, (size_t)n);
			continue;
		}
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			ret = -errno;
			break;
		}
		/* all answers come within the send; waiting is a safety net */
		if (a->failed || poll(&pfd, 1, NL_ACK_WAIT_MS) <= 0) {
			ret = a->failed ? 0 : -ETIMEDOUT;
			break;
		}
	}
	free(buf);
	return ret;
}

/* Buffers large enough for the whole batch in one message (nf_tables
 * sees a batch only within one send) and for one ack per message. */
static void nl_size_buffers(struct nl_sock *s, const struct nl_batch *b)
{
	int snd = (int)b->len + 65536;
	int rcv = (int)b->norig * 1024 + 262144;
	int fd = mnl_socket_get_fd(s->nl);

	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &snd, sizeof(snd)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &snd, sizeof(snd));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
}

/* All chunks in one sendmsg(): nf_tables sees one batch per send. */
static int nl_send_chunks(struct nl_sock *s, const struct nl_batch *b)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct iovec *iov = calloc(b->nchunks, sizeof(*iov));
	struct msghdr msg = { .msg_name = &sa, .msg_namelen = sizeof(sa),
			      .msg_iov = iov, .msg_iovlen = b->nchunks };
	unsigned i;
	ssize_t n;

	if (!iov)
		abort();
	for (i = 0; i < b->nchunks; i++) {
		iov[i].iov_base = b->chunks[i].buf;
		iov[i].iov_len = b->chunks[i].len;
	}
	n = sendmsg(mnl_socket_get_fd(s->nl), &msg, 0);
	free(iov);
	return n < 0 ? -1 : 0;
}

enum nl_result nl_batch_send(struct nl_sock *s, struct nl_batch *b,
			     struct erec_list *errs)
{
	struct nl_acks a = { .b = b, .errs = errs };
	int ret;

	nl_size_buffers(s, b);
	if (nl_send_chunks(s, b) < 0) {
		erec_add(errs, EREC_ERROR, MR_EXIT_RESOURCE, NULL,
			 "cannot send the batch to the kernel: %s",
			 strerror(errno));
		return NL_FAIL;
	}
	ret = nl_read_acks(s, &a);
	if (a.restart)
		return NL_RETRY;
	if (ret < 0 && !a.failed && !a.batch_error) {
		erec_add(errs, EREC_ERROR, MR_EXIT_RESOURCE, NULL,
			 "no complete answer from the kernel (%u answers to %u messages): %s",
			 a.seen, b->norig, strerror(-ret));
		return NL_FAIL;
	}
	return a.failed || a.batch_error ? NL_FAIL : NL_OK;
}
