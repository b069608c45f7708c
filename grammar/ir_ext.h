/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IR of the extra iptables extensions (grammar/xt_ext.c and the
 * xt_<name>.c files of the "xt-ext" set): match kinds from MR_M_EXT_BASE,
 * target kinds from MR_V_EXT_BASE, and the data of each.
 *
 * The fields say what the packet test or action is, so that the kernel
 * backend and the userspace engine can read them without knowing iptables'
 * spelling; where iptables-save needs more to print a rule back exactly
 * (hashlimit's rate units, NFLOG's "size given"), that is kept too and
 * marked as such.
 *
 * struct mr_match.has: where a kind below lists has bits, they say which
 * of its fields are set; any other bits are the parser's own record of
 * which options were given (as is the `given' field of the targets) and
 * mean nothing to readers of the IR.
 *
 * No struct here owns a pointer: names and prefixes are fixed arrays, so
 * ir_rule_free() releases a match or target data in one free().
 */
#ifndef MR_IR_EXT_H
#define MR_IR_EXT_H

#include <stdbool.h>
#include <stdint.h>
#include "ir.h"

/* ------------------------------------------------------------------ */
/* Match kinds                                                         */

enum mr_xkind {
	MR_M_TCPMSS = MR_M_EXT_BASE,	/* struct mr_m_tcpmss */
	MR_M_CONNMARK,		/* struct mr_m_mark (ir.h), on the ct mark */
	MR_M_DSCP,		/* struct mr_m_dscp */
	MR_M_TOS,		/* struct mr_m_tos */
	MR_M_TTL,		/* struct mr_m_ttl: IPv4 TTL */
	MR_M_HL,		/* struct mr_m_ttl: IPv6 hop limit */
	MR_M_PKTTYPE,		/* struct mr_m_pkttype */
	MR_M_ADDRTYPE,		/* struct mr_m_addrtype */
	MR_M_LENGTH,		/* struct mr_m_length */
	MR_M_OWNER,		/* struct mr_m_owner */
	MR_M_HASHLIMIT,		/* struct mr_m_hashlimit */
	MR_M_CONNLIMIT,		/* struct mr_m_connlimit */
	MR_M_HELPER,		/* struct mr_m_helper */
	MR_M_POLICY,		/* struct mr_m_policy */
	MR_M_ESP,		/* struct mr_m_spi */
	MR_M_AH,		/* struct mr_m_spi (+ IPv6 length/reserved) */
	MR_M_SCTP,		/* struct mr_m_sctp */
	MR_M_STATISTIC,		/* struct mr_m_statistic */
	MR_M_TIME,		/* struct mr_m_time */
	MR_M_EXT_END,
};

/* tcpmss: the TCP MSS option is in [lo, hi]; inv bit 0 */
struct mr_m_tcpmss {
	struct mr_range16 mss;
};

/* connmark: struct mr_m_mark: (ct mark & mask) == value; inv bit 0 */

/* dscp: DSCP (upper 6 bits of TOS / traffic class) == dscp; inv bit 0 */
struct mr_m_dscp {
	uint8_t dscp;		/* 0..63 */
};

/* tos: (TOS & mask) == value; inv bit 0 */
struct mr_m_tos {
	uint8_t value, mask;
};

/* ttl / hl: TTL (or hop limit) <op> value; no inv bits (op has NE) */
enum mr_cmp_op { MR_CMP_EQ, MR_CMP_NE, MR_CMP_LT, MR_CMP_GT };
struct mr_m_ttl {
	uint8_t op;		/* enum mr_cmp_op */
	uint8_t value;
};

/* pkttype: the link-layer packet type is type; inv bit 0 */
enum mr_pkttype {
	MR_PKT_UNICAST = 0,	/* PACKET_HOST */
	MR_PKT_BROADCAST = 1,
	MR_PKT_MULTICAST = 2,
	MR_PKT_OTHERHOST = 3,
};
struct mr_m_pkttype {
	uint8_t type;		/* enum mr_pkttype */
};

/*
 * addrtype: routing type of the source / destination address is one of
 * the bits (1 << RTN_*: UNSPEC 0, UNICAST 1, LOCAL 2, BROADCAST 3,
 * ANYCAST 4, MULTICAST 5, BLACKHOLE 6, UNREACHABLE 7, PROHIBIT 8,
 * THROW 9, NAT 10, XRESOLVE 11).  has/inv bit 0 = src, bit 1 = dst.
 * iface: look the address up only on the input / output interface.
 */
enum { MR_ADDRT_SRC = 0, MR_ADDRT_DST = 1 };
enum { MR_ADDRT_ANY_IF, MR_ADDRT_IIF, MR_ADDRT_OIF };
struct mr_m_addrtype {
	uint16_t src, dst;
	uint8_t iface;
};

/* length: IP packet length (layer 3 and up) in [lo, hi]; inv bit 0.
 * lo > hi is kept as written (iptables accepts it; it never matches). */
struct mr_m_length {
	uint16_t lo, hi;
};

/*
 * owner: the local socket's uid / gid is in the range, or a socket
 * exists at all.  has bits MR_OWN_*; inv bits the same (not SUPPL).
 * SUPPL: gid also matches the socket owner's supplementary groups.
 */
enum { MR_OWN_UID = 0, MR_OWN_GID = 1, MR_OWN_SOCKET = 2, MR_OWN_SUPPL = 3 };
struct mr_m_owner {
	uint32_t uid_lo, uid_hi;
	uint32_t gid_lo, gid_hi;
};

/*
 * hashlimit: token bucket per flow key.  The key is the set of mode
 * fields (addresses reduced to srcmask / dstmask bits).  The rate is
 * iptables' own encoding so that save prints it back exactly:
 *  - packets: avg = 1000000 * seconds per packet (1000000 = 1/sec),
 *    burst = packets;
 *  - bytes (MR_HASHL_BYTES): avg = 0xffffffff / ((bytes/s >> 4) + 1),
 *    burst = the burst in multiples of the per-second byte rate.
 * expire and gc_interval in milliseconds; size/max 0 = kernel default.
 */
enum {
	MR_HASHL_DSTIP = 1 << 0,
	MR_HASHL_DSTPORT = 1 << 1,
	MR_HASHL_SRCIP = 1 << 2,
	MR_HASHL_SRCPORT = 1 << 3,
};
#define MR_HASHL_NAMELEN 256
struct mr_m_hashlimit {
	uint8_t mode;		/* MR_HASHL_* key fields */
	uint32_t unit_s;	/* the rate's unit as written, in seconds */
	bool above;		/* match when over the rate (else up to it) */
	bool bytes;		/* rate counts bytes, not packets */
	bool rate_match;	/* match on the rate, do not limit */
	uint8_t srcmask, dstmask;	/* prefix lengths */
	uint64_t avg;
	uint64_t burst;
	uint32_t size, max;
	uint32_t gc_interval;	/* ms; default 1000 */
	uint32_t expire;	/* ms */
	uint32_t interval;	/* rate-match interval, seconds */
	char name[MR_HASHL_NAMELEN];
};

/* connlimit: number of connections of the key (src or dst address
 * reduced to mask_len bits) is <= limit, or > limit when above. */
struct mr_m_connlimit {
	uint32_t limit;
	uint8_t mask_len;
	bool above;
	bool daddr;		/* key on the destination address */
};

/* helper: the conntrack helper's name is name; inv bit 0 */
#define MR_HELPER_NAMELEN 32
struct mr_m_helper {
	char name[MR_HELPER_NAMELEN];
};

/*
 * policy: IPsec policy that decapsulated (dir in) or will encapsulate
 * (dir out) the packet.  pol_none: match packets with no policy.  With
 * elements: any element (or, with strict, all in order) must match.
 * Element has/inv bits MR_POLE_*.
 */
enum {
	MR_POLE_REQID = 1 << 0, MR_POLE_SPI = 1 << 1, MR_POLE_PROTO = 1 << 2,
	MR_POLE_MODE = 1 << 3, MR_POLE_TSRC = 1 << 4, MR_POLE_TDST = 1 << 5,
};
enum { MR_POLMODE_TRANSPORT, MR_POLMODE_TUNNEL };
#define MR_POLICY_MAX 4
struct mr_policy_elem {
	uint8_t has, inv;
	uint8_t proto;		/* IPPROTO_ESP / AH / COMP */
	uint8_t mode;		/* MR_POLMODE_* */
	uint32_t reqid, spi;
	struct mr_prefix tsrc, tdst;
};
enum { MR_POLDIR_IN, MR_POLDIR_OUT };
struct mr_m_policy {
	uint8_t dir;		/* MR_POLDIR_* */
	bool pol_none;
	bool strict;
	uint8_t nelem;
	struct mr_policy_elem e[MR_POLICY_MAX];
};

/*
 * esp / ah: SPI in [lo, hi] (inv bit 0).  AH over IPv6 also: has bit 1
 * header length == hdrlen (inv bit 1); has bit 2 reserved field non-zero.
 */
enum { MR_SPI_SPI = 0, MR_SPI_LEN = 1, MR_SPI_RES = 2 };
struct mr_m_spi {
	uint32_t lo, hi;	/* default 0..0xffffffff */
	uint32_t hdrlen;
};

/*
 * sctp: ports (has/inv bits MR_SCTP_SPORT/DPORT as tcp) and chunk types.
 * chunks: bitmap of chunk type numbers; chunk_match says whether the
 * packet must hold any / all of them or only them.  Chunk flag tests:
 * chunk `type' present with (flags & mask) == value.
 */
enum { MR_SCTP_SPORT = 0, MR_SCTP_DPORT = 1, MR_SCTP_CHUNKS = 2 };
enum { MR_SCTP_ANY, MR_SCTP_ALL, MR_SCTP_ONLY };
#define MR_SCTP_MAX_FLAGS 4
struct mr_sctp_flag {
	uint8_t type, mask, value;
};
struct mr_m_sctp {
	struct mr_range16 sport, dport;
	uint8_t chunk_match;	/* MR_SCTP_ANY/ALL/ONLY */
	uint8_t nflags;
	uint32_t chunks[8];	/* bit n of word n/32: chunk type n */
	struct mr_sctp_flag flags[MR_SCTP_MAX_FLAGS];
};

/*
 * statistic: random: match with probability prob / 2^31 (inv bit 0:
 * the complement); nth: a counter modulo every, match when it is packet
 * (inv bit 0: when it is not).
 */
enum { MR_STAT_RANDOM, MR_STAT_NTH };
struct mr_m_statistic {
	uint8_t mode;		/* MR_STAT_* */
	uint32_t prob;		/* 0 .. 0x80000000 */
	uint32_t every;		/* >= 1 */
	uint32_t packet;	/* 0 .. every - 1 */
};

/*
 * time: all that are given must hold.  Dates in seconds since the epoch
 * (UTC), day times in seconds since midnight (UTC unless kerneltz),
 * monthdays bit n = day n (1..31), weekdays bit n = day n (1 Mon .. 7 Sun).
 * Defaults: whole date range 0..INT32_MAX, 0..86399, all days.
 */
#define MR_TIME_ALL_MONTHDAYS 0xfffffffeu
#define MR_TIME_ALL_WEEKDAYS 0xfe
struct mr_m_time {
	uint32_t date_start, date_stop;
	uint32_t daytime_start, daytime_stop;
	uint32_t monthdays;
	uint8_t weekdays;
	bool kerneltz;
	bool contiguous;	/* start > stop spans midnight as one period */
};

/* ------------------------------------------------------------------ */
/* Target kinds                                                        */

enum mr_xverdict {
	MR_V_TCPMSS = MR_V_EXT_BASE,	/* struct mr_t_tcpmss */
	MR_V_CONNMARK,		/* struct mr_t_connmark; non-terminating */
	MR_V_NFLOG,		/* struct mr_t_nflog; non-terminating */
	MR_V_NFQUEUE,		/* struct mr_t_nfqueue */
	MR_V_NOTRACK,		/* no data; non-terminating */
	MR_V_CT,		/* struct mr_t_ct; non-terminating */
	MR_V_TOS,		/* struct mr_t_tos; non-terminating */
	MR_V_DSCP,		/* struct mr_t_dscp; non-terminating */
	MR_V_EXT_END,
};

/* TCPMSS: set the SYN's MSS option to mss, or to path MTU - 40 (clamp) */
struct mr_t_tcpmss {
	bool clamp;
	uint16_t mss;
	uint16_t given;		/* options given, by option number */
};

/*
 * CONNMARK:
 *  SET:     ctmark = (ctmark & ~ctmask) ^ value
 *  SAVE:    ctmark = (ctmark & ~ctmask) ^ (nfmark & nfmask)
 *  RESTORE: nfmark = (nfmark & ~nfmask) ^ (ctmark & ctmask)
 * then the new value is shifted by shift_bits (left or right).
 */
enum { MR_CONNMARK_SET, MR_CONNMARK_SAVE, MR_CONNMARK_RESTORE };
enum { MR_SHIFT_LEFT, MR_SHIFT_RIGHT };
struct mr_t_connmark {
	uint8_t mode;		/* MR_CONNMARK_* */
	uint8_t shift_dir;	/* MR_SHIFT_* */
	uint8_t shift_bits;	/* 0 = no shift */
	uint16_t given;		/* options given, by option number */
	uint32_t value, ctmask, nfmask;
};

/* NFLOG: send to netlink log group; size = bytes copied when size_set;
 * threshold: packets queued in the kernel before sending (0 default). */
#define MR_NFLOG_PREFIXLEN 128
struct mr_t_nflog {
	uint16_t group;
	uint16_t threshold;
	uint32_t size;
	bool size_set;
	uint16_t given;		/* options given, by option number */
	char prefix[MR_NFLOG_PREFIXLEN];	/* "" = none */
};

/* NFQUEUE: queue num .. num + total - 1 (total 1 = one queue) */
enum {
	MR_NFQ_BYPASS = 1 << 0,		/* accept if no listener */
	MR_NFQ_FANOUT = 1 << 1,		/* pick the queue by CPU */
	MR_NFQ_BALANCE = 1 << 2,	/* written as --queue-balance */
};
struct mr_t_nfqueue {
	uint16_t num;
	uint16_t total;
	uint8_t flags;		/* MR_NFQ_* */
	uint16_t given;		/* options given, by option number */
};

/* CT: notrack, or attach helper / timeout policy / zone / event masks.
 * has bits MR_CT_HAS_*. */
enum {
	MR_CT_HAS_HELPER = 1 << 0, MR_CT_HAS_TIMEOUT = 1 << 1,
	MR_CT_HAS_CTEVENTS = 1 << 2, MR_CT_HAS_EXPEVENTS = 1 << 3,
	MR_CT_HAS_ZONE = 1 << 4,
};
enum {
	MR_CTZ_MARK = 1 << 0,		/* zone id taken from the packet mark */
	MR_CTZ_ORIG = 1 << 1,		/* zone applies to original direction */
	MR_CTZ_REPL = 1 << 2,		/* ... and/or to the reply direction */
};
struct mr_t_ct {
	bool notrack;
	uint8_t has;
	uint8_t zone_flags;	/* MR_CTZ_*; neither ORIG nor REPL = both */
	uint16_t zone;
	uint16_t given;		/* options given, by option number */
	uint32_t ctevents;	/* bit per event, iptables' order (IPCT_*) */
	uint32_t expevents;
	char helper[16];
	char timeout[32];
};

/* TOS: tos = (tos & ~mask) ^ value (IPv4 TOS / IPv6 traffic class) */
struct mr_t_tos {
	uint8_t value, mask;
	uint16_t given;		/* options given, by option number */
};

/* DSCP: set the DSCP bits (upper 6 of TOS / traffic class) */
struct mr_t_dscp {
	uint8_t dscp;		/* 0..63 */
	uint16_t given;		/* options given, by option number */
};

#endif
