// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -M -L (ipfwadm -M -l, ipchains -M -L, masqrule -M -L) on the kernel
 * backend: the connections masqrule masqueraded, read from conntrack
 * (backend/ct_dump.c), listed in the layout of the command's dialect.
 */
#include <stdio.h>
#include <stdlib.h>
#include "ct.h"
#include "list_masq.h"
#include "masq.h"

int masq_list_cmd(const struct mr_cmd *c, struct erec_list *errs)
{
	struct erec_list e;
	struct masq_entry *v;
	struct mr_buf b;
	size_t n;

	/* the dump's own error has no location: put it at the command */
	erec_init(&e);
	if (ct_masq_dump(&v, &n, &e)) {
		erec_add(errs, EREC_ERROR, e.exit_code ? e.exit_code :
			 MR_EXIT_OTHER, &c->loc, "%s",
			 e.head ? e.head->msg : "cannot read the masquerade table");
		erec_free(&e);
		return -1;
	}
	erec_free(&e);
	buf_init(&b);
	list_masq(&b, v, n, c->dialect, c->lflags);
	if (b.len)
		fwrite(b.s, 1, b.len, stdout);
	buf_free(&b);
	free(v);
	return 0;
}
