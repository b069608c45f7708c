/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The legacy tools' listing formats, into a buffer (cli/ prints it). */
#ifndef MR_COMPAT_LIST_H
#define MR_COMPAT_LIST_H

#include "buf.h"
#include "ir.h"

/* iptables -L [chain] with MR_LF_NUMERIC, _VERBOSE, _EXACT, _LINENUM. */
void list_iptables(struct mr_buf *b, const struct mr_table *t,
		   const char *chain, unsigned lflags);

#endif
