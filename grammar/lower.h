/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Lowering: the model as the user wrote it (legacy and netfilter tables)
 * into the nft-shaped model that backends install and print_ruleset_nft
 * prints: one table per family named "masqrule", base chains with type,
 * hook and priority, and the legacy semantics of architecture.md section 4
 * made explicit.
 */
#ifndef MR_LOWER_H
#define MR_LOWER_H

#include "erec.h"
#include "ir.h"

#define MR_LEGACY_MASQ_LO 61000
#define MR_LEGACY_MASQ_HI 65095

/* A new ruleset; rs is not changed.  NULL with errors queued if some
 * construct cannot be lowered. */
struct mr_ruleset *lower_ruleset(const struct mr_ruleset *rs,
				 struct erec_list *errs);
/* The same, but the rules of rs's netfilter tables are moved into the
 * result instead of copied (their chains are left empty, rs's jump
 * counts stale): half the memory for a large ruleset that is about to
 * be freed (the kernel backend's install). */
struct mr_ruleset *lower_ruleset_take(struct mr_ruleset *rs,
				      struct erec_list *errs);

#endif
