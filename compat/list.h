/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The legacy tools' listing formats, into a buffer (cli/ prints it):
 * iptables -L, ipchains -L, ipfwadm -l, ipmasqadm portfw -l and
 * ipportfw -L, each from the model (docs/listing.md).  lflags are the
 * MR_LF_* of the listing command.
 */
#ifndef MR_COMPAT_LIST_H
#define MR_COMPAT_LIST_H

#include <stdint.h>
#include "buf.h"
#include "erec.h"
#include "ir.h"

/*
 * What a listing command (-L, -S, portfw -l/-L) prints, in its tool's
 * format, from the model rs; -1 with an error queued if it names a chain
 * rs does not have.
 */
int list_command(struct mr_buf *b, struct mr_ruleset *rs,
		 const struct mr_cmd *c, struct erec_list *errs);

/* iptables -L [chain] with MR_LF_NUMERIC, _VERBOSE, _EXACT, _LINENUM. */
void list_iptables(struct mr_buf *b, const struct mr_table *t,
		   const char *chain, unsigned lflags);
/* iptables -L CHAIN RULENUM: that rule's line only, no headers. */
void list_iptables_rule(struct mr_buf *b, const struct mr_table *t,
			const char *chain, unsigned rulenum, unsigned lflags);
/* The words after iptables -L's destination column: matches, then the
 * target's options, each with a leading space. */
void list_xt_matches(struct mr_buf *b, const struct mr_rule *r,
		     unsigned lflags);
void list_xt_target(struct mr_buf *b, const struct mr_rule *r,
		    unsigned lflags);

/* ipchains -L [chain] of the legacy table: _NUMERIC, _VERBOSE, _EXACT,
 * _LINENUM.  The accounting chain is ipfwadm's and is not listed. */
void list_ipchains(struct mr_buf *b, const struct mr_table *t,
		   const char *chain, unsigned lflags);

/* ipfwadm -I|-O|-F|-A -l of one chain of the legacy table: _NUMERIC,
 * _EXTENDED, _EXACT. */
void list_ipfwadm(struct mr_buf *b, const struct mr_chain *c,
		  unsigned lflags);

/* ipmasqadm portfw -l [-n] (dialect MR_D_IPMASQADM) or ipportfw -L
 * (MR_D_IPPORTFW, the kernel's /proc text) of the port forwards. */
void list_portfw(struct mr_buf *b, const struct mr_portfw_list *l,
		 uint8_t dialect, unsigned lflags);

#endif
