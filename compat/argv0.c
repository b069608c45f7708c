// SPDX-License-Identifier: GPL-2.0-or-later
/* argv[0] dispatch: masqrule answers as the legacy tools' names. */
#include <string.h>
#include "argv0.h"
#include "ir.h"

const struct argv0_entry argv0_table[] = {
	{ "masqrule", MR_D_NATIVE, MR_MODE_MASQRULE },
	{ "iptables", MR_D_IPTABLES, MR_MODE_RUN },
	{ "ip6tables", MR_D_IP6TABLES, MR_MODE_RUN },
	{ "ipchains", MR_D_IPCHAINS, MR_MODE_RUN },
	{ "ipfwadm", MR_D_IPFWADM, MR_MODE_RUN },
	{ "ipmasqadm", MR_D_IPMASQADM, MR_MODE_RUN },
	{ "ipportfw", MR_D_IPPORTFW, MR_MODE_RUN },
	{ "iptables-translate", MR_D_IPTABLES, MR_MODE_TRANSLATE },
	{ "ip6tables-translate", MR_D_IP6TABLES, MR_MODE_TRANSLATE },
	{ NULL, 0, 0 },
};

const struct argv0_entry *argv0_lookup(const char *argv0)
{
	const char *base = strrchr(argv0, '/');
	const struct argv0_entry *e;

	base = base ? base + 1 : argv0;
	for (e = argv0_table; e->name; e++)
		if (!strcmp(base, e->name))
			return e;
	return &argv0_table[0];
}
