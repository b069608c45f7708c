// SPDX-License-Identifier: GPL-2.0-or-later
/* Printing errors and warnings with their source line and caret. */
#include <stdio.h>
#include "report.h"

int report(const struct erec_list *errs)
{
	const struct erec *e;
	struct mr_buf b;

	buf_init(&b);
	for (e = errs->head; e; e = e->next)
		erec_format(&b, e);
	if (b.len)
		fputs(b.s, stderr);
	buf_free(&b);
	return errs->nerrors ? (errs->exit_code ? errs->exit_code : 1) : 0;
}
