/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel backend: a lowered ruleset (lower_ruleset()) into nf_tables
 * through libnftnl objects sent in one libmnl batch, and back.  Only the
 * tables "ip masqrule" and "ip6 masqrule" are ever written or read.
 * Nothing here prints: problems are error records, located at the input
 * rule (struct mr_rule.loc / target.loc) that caused them.
 */
#ifndef MR_BACKEND_H
#define MR_BACKEND_H

#include "erec.h"
#include "ir.h"

#define BACKEND_TABLE "masqrule"

enum {
	/* Build and send the batch, let the kernel check every message,
	 * then abort instead of commit: nothing changes. */
	BACKEND_F_TEST = 1 << 0,
};

/*
 * Replace masqrule's tables with lowered (both families: a family with
 * no table in lowered loses its masqrule table) in one batch: all of it
 * or nothing.  Retries a few times when another writer changed the
 * ruleset meanwhile.  Returns 0, or -1 with errors queued.
 */
int backend_install(const struct mr_ruleset *lowered, unsigned flags,
		    struct erec_list *errs);

/*
 * Read masqrule's tables from the kernel into a new lowered ruleset, with
 * counters.  A rule that masqrule did not write (or that was changed
 * since) is left out with a warning naming its chain and handle.  NULL
 * with errors queued if the kernel cannot be read.
 */
struct mr_ruleset *backend_read(struct erec_list *errs);

#endif
