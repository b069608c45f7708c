/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The extra iptables extensions (xt-ext): their registry for xt.c, the
 * nft prelude some of them need, and the small parsing helpers they
 * share (xt_ext.c).  Messages follow iptables' wording.
 */
#ifndef MR_XT_EXT_H
#define MR_XT_EXT_H

#include <stdbool.h>
#include <stdint.h>
#include "buf.h"
#include "ir.h"
#include "ir_ext.h"
#include "opt.h"
#include "xt.h"

extern const struct mr_xt *const xt_ext_table[];
extern const unsigned xt_ext_count;

extern const struct mr_xt xt_tcpmss, xt_TCPMSS, xt_connmark, xt_CONNMARK,
	xt_NFLOG, xt_NFQUEUE, xt_NOTRACK, xt_CT, xt_TOS, xt_DSCP, xt_dscp,
	xt_tos, xt_ttl, xt_hl, xt_pkttype, xt_addrtype, xt_length, xt_owner,
	xt_hashlimit, xt_connlimit, xt_helper, xt_policy, xt_esp, xt_ah,
	xt_ah6, xt_sctp, xt_statistic, xt_time;

/*
 * nft commands a rule needs before its own "add rule": connlimit's
 * dynamic sets, as iptables-translate prints them.  Appends one command
 * per line ("add set ip filter connlimit0 { type ipv4_addr; flags
 * dynamic; }\n"), without the "nft '...'" wrapper; nothing if the rule
 * needs none.  Returns the number of lines.  The set names are numbered
 * from *seq (advanced), and the rule's xlate uses the same names, so call
 * this just before printing the rule (seq starts at 0 per translation
 * run, as one iptables-translate process does).
 */
unsigned xt_ext_nft_prelude(struct mr_buf *b, const struct mr_rule *r,
			    const char *family, const char *table,
			    unsigned *seq);

/* ---- helpers shared by the xt-ext files (xt_ext.c) ---- */

/* The option's canonical name for messages: "--mss". */
const char *xe_optname(const struct mr_popt *o, char *buf, size_t len);

/*
 * Start parsing an option of extension `ext': refuses '!' where the
 * option does not allow it and, when *given already has the option's bit
 * (1 << o->def->id), a second use.  Sets the bit.  0 or -1 (error queued).
 */
int xe_begin(struct mr_xctx *x, const struct mr_popt *o, const char *ext,
	     uint16_t *given);

/*
 * "ext: option "--a" cannot be used together with "--b"" at o, where
 * other is the earlier option from the same table; the two are named in
 * table order, as iptables does.
 */
int xe_conflict(struct mr_xctx *x, const struct mr_popt *o, const char *ext,
		const struct mr_optdef *other);
/* The entry of tab with this id (the first), NULL if none. */
const struct mr_optdef *xe_def(const struct mr_optdef *tab, unsigned id);

/*
 * An unsigned number (decimal, 0x hex or 0 octal, as strtoul base 0) in
 * [min, max]; else "ext: bad value for option "--opt", or out of range
 * (min-max)" at the word.
 */
int xe_uint(struct mr_xctx *x, const struct mr_popt *o,
	    const struct mr_word *w, const char *ext, uint64_t min,
	    uint64_t max, uint64_t *out);
/* Same without a message; false if s is not such a number. */
bool xe_strtou(const char *s, uint64_t max, uint64_t *out);

/* "value[/mask]" 32-bit; mask 0xffffffff if none. */
int xe_mark(struct mr_xctx *x, const struct mr_popt *o, const char *ext,
	    uint32_t *value, uint32_t *mask);

/* "a", "a:b", ":b", "a:" with numbers up to max (':' or sep). */
int xe_range(struct mr_xctx *x, const struct mr_popt *o, const char *ext,
	     uint64_t max, char sep, uint64_t *lo, uint64_t *hi);

/* Case-insensitive lookup in a NULL-terminated name table; -1 if none. */
int xe_lookup(const char *const *names, const char *s);

/* Error located at the -m / -j word (check callbacks). */
__attribute__((format(printf, 2, 3)))
int xe_check_err(struct mr_xctx *x, const char *fmt, ...);

/* "ip" or "ip6" for nft payload expressions. */
static inline const char *xe_nfproto(uint8_t family)
{
	return family == MR_FAM_IP6 ? "ip6" : "ip";
}

/* " !" when negated, for save lines */
static inline void xe_save_inv(struct mr_buf *b, bool inv)
{
	if (inv)
		buf_add(b, " !");
}

#endif
