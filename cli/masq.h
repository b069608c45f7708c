/* SPDX-License-Identifier: GPL-2.0-or-later */
/* -M -L against the kernel: the masquerade table from conntrack. */
#ifndef MR_CLI_MASQ_H
#define MR_CLI_MASQ_H

#include "erec.h"
#include "ir.h"

/* Print the table in the layout of c->dialect with c->lflags; 0 or -1
 * with an error queued at the command. */
int masq_list_cmd(const struct mr_cmd *c, struct erec_list *errs);

#endif
