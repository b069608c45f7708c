/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The masquerade table listing (-M -L): one entry type that both the
 * kernel backend (backend/ct_dump.c, from conntrack) and the userspace
 * engine fill, and the three layouts (ipfwadm, ipchains, masqrule).
 * Free of backend and engine types on purpose: this is the meeting point.
 */
#ifndef MR_COMPAT_LIST_MASQ_H
#define MR_COMPAT_LIST_MASQ_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"

/* TCP state of an entry, in the order of the kernel's conntrack states. */
enum {
	MASQ_TCP_NONE,		/* not TCP, or unknown */
	MASQ_TCP_SYN_SENT,
	MASQ_TCP_SYN_RECV,
	MASQ_TCP_ESTABLISHED,
	MASQ_TCP_FIN_WAIT,
	MASQ_TCP_CLOSE_WAIT,
	MASQ_TCP_LAST_ACK,
	MASQ_TCP_TIME_WAIT,
	MASQ_TCP_CLOSE,
	MASQ_TCP_SYN_SENT2,
	MASQ_TCP_COUNT,
};

struct masq_entry {
	uint8_t proto;			/* IPPROTO_TCP, _UDP, _ICMP */
	uint8_t tcp_state;		/* MASQ_TCP_* */
	uint32_t expires;		/* seconds left */
	uint32_t in_addr, masq_addr, dst_addr;	/* network byte order */
	uint16_t in_port, masq_port, dst_port;	/* host order; ICMP: id */
	uint32_t init_seq; int32_t delta, prev_delta;	/* 0 unless a helper changed lengths */
};

/* State name as conntrack prints it ("ESTABLISHED"); "" for MASQ_TCP_NONE. */
const char *masq_tcp_state_name(uint8_t state);

/*
 * Append the listing of v[0..n) to b in the layout of dialect (enum
 * mr_dialect: MR_D_IPFWADM, MR_D_IPCHAINS; anything else is masqrule's
 * own) with lflags MR_LF_NUMERIC, _VERBOSE, _EXTENDED.
 */
void list_masq(struct mr_buf *b, const struct masq_entry *v, size_t n,
	       uint8_t dialect, unsigned lflags);

#endif
