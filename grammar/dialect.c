// SPDX-License-Identifier: GPL-2.0-or-later
/* Which option table and reading style each dialect uses. */
#include <string.h>
#include "eval.h"
#include "lexer.h"

/* Defined with each dialect's evaluation (eval_<dialect>.c). */
extern const struct mr_optdef opts_iptables[];
extern const struct mr_optdef opts_ipchains[];
extern const struct mr_optdef opts_ipfwadm[];
extern const struct mr_optdef opts_ipmasqadm_portfw[];
extern const struct mr_optdef opts_ipmasqadm_autofw[];
extern const struct mr_optdef opts_ipmasqadm_mfw[];
extern const struct mr_optdef opts_ipportfw[];
extern const struct mr_optdef opts_module[];

/* ipmasqadm's table before its module word: none of its options yet. */
static const struct mr_optdef opts_none[] = { { 0 } };

const struct mr_optdef *dialect_opts(uint8_t dialect)
{
	switch (dialect) {
	case MR_D_NATIVE:
	case MR_D_IPTABLES:
	case MR_D_IP6TABLES:
		return opts_iptables;
	case MR_D_IPCHAINS:
		return opts_ipchains;
	case MR_D_IPFWADM:
		return opts_ipfwadm;
	case MR_D_IPPORTFW:
		return opts_ipportfw;
	case MR_D_MODULE:
		return opts_module;
	default:
		return opts_none;
	}
}

uint8_t dialect_style(uint8_t dialect)
{
	switch (dialect) {
	case MR_D_NATIVE:
	case MR_D_IPTABLES:
	case MR_D_IP6TABLES:
		return MR_STYLE_MODULES;
	case MR_D_MODULE:
		return MR_STYLE_WORDS;
	default:
		return MR_STYLE_GNU;
	}
}

const struct mr_optdef *dialect_sub_opts(uint8_t dialect, const char *word)
{
	if (dialect != MR_D_IPMASQADM)
		return NULL;
	if (!strcmp(word, "portfw"))
		return opts_ipmasqadm_portfw;
	if (!strcmp(word, "autofw"))
		return opts_ipmasqadm_autofw;
	if (!strcmp(word, "mfw"))
		return opts_ipmasqadm_mfw;
	return NULL;
}
