/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Printers of the IR: canonical/iptables-save text and nft text. */
#ifndef MR_PRINT_H
#define MR_PRINT_H

#include <stdbool.h>
#include "buf.h"
#include "ir.h"

enum {
	MR_PF_COUNTERS = 1 << 0,	/* "[p:b] " / "-c p b" */
	MR_PF_IPTABLES = 1 << 1,	/* strict iptables-save (no native words) */
	MR_PF_IP6 = 1 << 2,		/* with MR_PF_IPTABLES: ip6tables-save */
};

/* The rule's parameters as iptables-save prints them after "-A chain". */
void print_rule_args(struct mr_buf *b, const struct mr_rule *r, unsigned flags);
/* "-A chain <args>\n" */
void print_rule_save(struct mr_buf *b, const char *chain,
		     const struct mr_rule *r, unsigned flags);
/* -S output of one table (-P, -N, -A lines). */
void print_table_rules(struct mr_buf *b, const struct mr_table *t,
		       const char *chain, unsigned flags);
/* -S CHAIN RULENUM: that rule's -A line only (nothing past the end). */
void print_table_rule(struct mr_buf *b, const struct mr_table *t,
		      const char *chain, unsigned rulenum, unsigned flags);
/* Whole ruleset in save form ("*table" ... "COMMIT"), plus masqrule's
 * own lines for helpers, timeouts and port forwards. */
void print_ruleset_save(struct mr_buf *b, const struct mr_ruleset *rs,
			unsigned flags);

/*
 * One iptables-model command as iptables-translate prints it
 * ("nft 'add rule ip nat POSTROUTING ... masquerade'").  Returns false if it
 * has no translation; then b holds "nft # <args>" as iptables-translate does.
 */
bool print_cmd_nft(struct mr_buf *b, const struct mr_cmd *c);
/* The same in iptables-restore-translate's script form ("add rule ...",
 * "add table ...", "add chain ... { type ... }"), one command a line. */
bool print_cmd_nft_script(struct mr_buf *b, const struct mr_cmd *c);
/* The rule's match and action statements in nft syntax (no command). */
bool print_rule_nft(struct mr_buf *b, const struct mr_rule *r);

/* A lowered (nft-shaped) ruleset as an nft -f script. */
void print_ruleset_nft(struct mr_buf *b, const struct mr_ruleset *lowered);

#endif
