/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Netlink plumbing of the kernel backend: one NETLINK_NETFILTER socket,
 * the ruleset generation, and batches whose every message remembers which
 * input rule it came from, so that a kernel error can name it.
 */
#ifndef MR_BACKEND_NL_H
#define MR_BACKEND_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "erec.h"
#include "ir.h"

struct mnl_socket;
struct nlmsghdr;

struct nl_sock {
	struct mnl_socket *nl;
	uint32_t portid;
	uint32_t seq;
};

int nl_open(struct nl_sock *s, struct erec_list *errs);
void nl_close(struct nl_sock *s);
/* The ruleset generation id (NFT_MSG_GETGEN); 0 or -errno. */
int nl_genid(struct nl_sock *s, uint32_t *genid);

/*
 * Where the batch's messages came from: message i (sequence number
 * first_seq + 1 + i) has at[i]; a run of messages shares its source text
 * and its "what" ("rule in chain forward", "table ip masqrule").  8 bytes
 * a message instead of a whole struct mr_loc and a pointer each.
 */
struct nl_at {
	uint32_t line;		/* 0 with src NULL: no input location */
	uint16_t col, len;
};

struct nl_run {
	uint32_t first;		/* index of its first message */
	const struct mr_src *src;
	char *what;
};

/* A piece of the batch: messages never span two (sent as one iovec). */
struct nl_chunk {
	char *buf;
	size_t len, cap;
};

struct nl_batch {
	char *scratch;		/* the message being built */
	size_t scratch_cap;
	struct nl_chunk *chunks;
	unsigned nchunks, chcap;
	size_t len;		/* all chunks */
	uint32_t first_seq, next_seq;
	struct nl_at *at;	/* one a message after the begin */
	unsigned norig, ocap;
	struct nl_run *runs;
	unsigned nruns, rcap;
	struct nlmsghdr *last;	/* the one message that asks for an ack */
	bool ended;
};

void nl_batch_init(struct nl_batch *b, uint32_t seq, uint32_t genid);
void nl_batch_free(struct nl_batch *b);
/*
 * Room for the next message (at least `room` bytes); then the caller
 * builds it with nftnl_nlmsg_build_hdr() and hands it to nl_batch_commit(),
 * which copies it into the batch.
 */
char *nl_batch_reserve(struct nl_batch *b, size_t room);
uint32_t nl_batch_seq(const struct nl_batch *b);
void nl_batch_commit(struct nl_batch *b, struct nlmsghdr *nlh,
		     const struct mr_loc *loc, const char *what);
/* Close the batch: with commit, or (test) without, so the kernel checks
 * every message and then aborts. */
void nl_batch_end(struct nl_batch *b, bool commit);

enum nl_result { NL_OK, NL_RETRY, NL_FAIL };

/*
 * Send the batch and read one acknowledgement per message.  Errors are
 * queued at the origin of the message that caused them.  NL_RETRY: the
 * ruleset generation changed since the batch was built.
 */
enum nl_result nl_batch_send(struct nl_sock *s, struct nl_batch *b,
			     struct erec_list *errs);

/*
 * A dump request (NFT_MSG_GET*, NLM_F_DUMP) built by the caller in buf;
 * cb is called for every reply message.  0 or -errno.
 */
int nl_dump(struct nl_sock *s, struct nlmsghdr *req,
	    int (*cb)(const struct nlmsghdr *nlh, void *data), void *data);

#endif
