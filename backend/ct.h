/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The masquerade table of the kernel backend: the conntrack entries of the
 * connections masqrule masqueraded, read over ctnetlink, as the
 * struct masq_entry that -M -L lists (compat/list_masq.h).
 */
#ifndef MR_BACKEND_CT_H
#define MR_BACKEND_CT_H

#include <stddef.h>
#include "erec.h"
#include "list_masq.h"

/*
 * Dump the kernel's IPv4 conntrack table of the current network namespace
 * and keep the masqueraded entries, sorted by protocol, inside address and
 * port.  *v is malloc'd (free it; NULL when *n is 0).  0, or -1 with an
 * error queued.
 */
int ct_masq_dump(struct masq_entry **v, size_t *n, struct erec_list *errs);

#endif
