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

/* What each tool said after a parameter problem on its command line. */
static const char *const hints[MR_D_COUNT] = {
	[MR_D_NATIVE] = "Try `masqrule --help' for more information.",
	[MR_D_IPTABLES] = "Try `iptables -h' or 'iptables --help' for more information.",
	[MR_D_IP6TABLES] = "Try `ip6tables -h' or 'ip6tables --help' for more information.",
	[MR_D_IPCHAINS] = "Try `ipchains -h' or 'ipchains --help' for more information.",
	[MR_D_IPFWADM] = "Try `ipfwadm -h' for more information.",
};

int report_cmdline(const struct erec_list *errs, uint8_t dialect)
{
	int rc = report(errs);

	if (rc == MR_EXIT_PARAM && dialect < MR_D_COUNT && hints[dialect])
		fprintf(stderr, "%s\n", hints[dialect]);
	return rc;
}
