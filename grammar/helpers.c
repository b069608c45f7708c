/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The table of protocol helpers (helpers.h): which modules select which
 * helper, its protocol and default ports (2.2 ip_masq_* and netfilter
 * sources, dialects.md 6 and engine-notes.md 2-3), and who implements it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"

#define TCP 6
#define UDP 17

/* MAX_MASQ_APP_PORTS of 2.0/2.2, MAX_PORTS of the netfilter helpers */
#define MASQ_MAX_PORTS 12
#define NF_MAX_PORTS 8

static const char *const m_ftp[] = {
	"ip_masq_ftp", "ip_conntrack_ftp", "ip_nat_ftp",
	"nf_conntrack_ftp", "nf_nat_ftp", NULL,
};
static const char *const m_irc[] = {
	"ip_masq_irc", "ip_conntrack_irc", "ip_nat_irc",
	"nf_conntrack_irc", "nf_nat_irc", NULL,
};
static const char *const m_tftp[] = {
	"ip_conntrack_tftp", "ip_nat_tftp", "nf_conntrack_tftp",
	"nf_nat_tftp", NULL,
};
static const char *const m_sip[] = {
	"ip_conntrack_sip", "ip_nat_sip", "nf_conntrack_sip", "nf_nat_sip",
	NULL,
};
static const char *const m_pptp[] = {
	"ip_conntrack_pptp", "ip_nat_pptp", "nf_conntrack_pptp",
	"nf_nat_pptp", NULL,
};
static const char *const m_amanda[] = {
	"ip_conntrack_amanda", "ip_nat_amanda", "nf_conntrack_amanda",
	"nf_nat_amanda", NULL,
};
static const char *const m_snmp[] = {
	"ip_nat_snmp_basic", "nf_conntrack_snmp", "nf_nat_snmp_basic", NULL,
};
static const char *const m_h323[] = {
	"ip_conntrack_h323", "ip_nat_h323", "nf_conntrack_h323",
	"nf_nat_h323", NULL,
};
static const char *const m_netbios[] = {
	"ip_conntrack_netbios_ns", "nf_conntrack_netbios_ns", NULL,
};
static const char *const m_sane[] = { "nf_conntrack_sane", NULL };
static const char *const m_raudio[] = { "ip_masq_raudio", NULL };
static const char *const m_cuseeme[] = { "ip_masq_cuseeme", NULL };
static const char *const m_vdolive[] = { "ip_masq_vdolive", NULL };
static const char *const m_quake[] = { "ip_masq_quake", NULL };

/*
 * engine: the helpers the userspace engine is planned to carry (the 2.2
 * set plus tftp); the engine's owner keeps this column true.
 */
const struct helper_def helper_table[] = {
	{ "ftp", TCP, 1, { 21 }, MASQ_MAX_PORTS, "ftp", NULL, 0, 0,
	  true, m_ftp },
	{ "irc", TCP, 1, { 6667 }, MASQ_MAX_PORTS, "irc", NULL, 0, 0,
	  true, m_irc },
	{ "tftp", UDP, 1, { 69 }, NF_MAX_PORTS, "tftp", NULL, 0, 0,
	  true, m_tftp },
	{ "sip", UDP, 1, { 5060 }, NF_MAX_PORTS, "sip", "sip", TCP, 5060,
	  false, m_sip },
	{ "pptp", TCP, 1, { 1723 }, NF_MAX_PORTS, "pptp", NULL, 0, 0,
	  false, m_pptp },
	{ "amanda", UDP, 1, { 10080 }, NF_MAX_PORTS, "amanda", NULL, 0, 0,
	  false, m_amanda },
	{ "snmp", UDP, 1, { 161 }, NF_MAX_PORTS, "snmp", NULL, 0, 0,
	  false, m_snmp },
	{ "h323", TCP, 1, { 1720 }, NF_MAX_PORTS, "Q.931", "RAS", UDP, 1719,
	  false, m_h323 },
	{ "netbios-ns", UDP, 1, { 137 }, NF_MAX_PORTS, "netbios-ns", NULL, 0,
	  0, false, m_netbios },
	{ "sane", TCP, 1, { 6566 }, NF_MAX_PORTS, "sane", NULL, 0, 0,
	  false, m_sane },
	{ "raudio", TCP, 2, { 554, 7070 }, MASQ_MAX_PORTS, NULL, NULL, 0, 0,
	  true, m_raudio },
	{ "cuseeme", UDP, 1, { 7648 }, MASQ_MAX_PORTS, NULL, NULL, 0, 0,
	  true, m_cuseeme },
	{ "vdolive", TCP, 1, { 7000 }, MASQ_MAX_PORTS, NULL, NULL, 0, 0,
	  true, m_vdolive },
	{ "quake", UDP, 2, { 26000, 27000 }, MASQ_MAX_PORTS, NULL, NULL, 0,
	  0, true, m_quake },
};

const size_t helper_count = sizeof(helper_table) / sizeof(helper_table[0]);

const struct helper_def *helper_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < helper_count; i++)
		if (!strcmp(helper_table[i].name, name))
			return &helper_table[i];
	return NULL;
}

/* Suffixes of module files that insmod was given by path. */
static const char *const mod_suffixes[] = {
	".ko.zst", ".ko.xz", ".ko.gz", ".ko", ".o",
};

void helper_module_normalize(const char *module, char *out, size_t len)
{
	const char *base = strrchr(module, '/');
	size_t i, n, sl;
	char *p;

	snprintf(out, len, "%s", base ? base + 1 : module);
	n = strlen(out);
	for (i = 0; i < sizeof(mod_suffixes) / sizeof(mod_suffixes[0]); i++) {
		sl = strlen(mod_suffixes[i]);
		if (n > sl && !strcmp(out + n - sl, mod_suffixes[i])) {
			out[n - sl] = '\0';
			break;
		}
	}
	/* modprobe treats '-' and '_' alike in module names */
	for (p = out; *p; p++)
		if (*p == '-')
			*p = '_';
}

const struct helper_def *helper_by_module(const char *module)
{
	char name[64];
	const char *const *m;
	size_t i;

	helper_module_normalize(module, name, sizeof(name));
	for (i = 0; i < helper_count; i++)
		for (m = helper_table[i].modules; *m; m++)
			if (!strcmp(*m, name))
				return &helper_table[i];
	return NULL;
}

unsigned helper_module_max_ports(const char *module)
{
	char name[64];

	helper_module_normalize(module, name, sizeof(name));
	return strncmp(name, "ip_masq_", 8) ? NF_MAX_PORTS : MASQ_MAX_PORTS;
}

bool helper_module_in_ports(const char *module)
{
	char name[64];

	helper_module_normalize(module, name, sizeof(name));
	return !strcmp(name, "ip_masq_ftp");
}

int helper_parse_ports(const char *list, uint16_t *ports, uint8_t *n,
		       unsigned max)
{
	const char *p = list;
	unsigned long v;
	char *end;

	*n = 0;
	do {
		if (*p < '0' || *p > '9')
			return -1;
		errno = 0;
		v = strtoul(p, &end, 10);
		if (errno || v < 1 || v > 65535 || *n >= max ||
		    (*end && *end != ','))
			return -1;
		ports[(*n)++] = (uint16_t)v;
		p = end + (*end == ',');
	} while (*end);
	return 0;
}

/*
 * The module a helper is saved as (save prints helpers as modprobe
 * lines): the modern nf_conntrack_ one when it takes the ports, else the
 * first (ip_masq_ modules take 12 ports).
 */
const char *helper_module_for(const struct helper_def *d, unsigned nports)
{
	const char *const *m;

	for (m = d->modules; *m; m++)
		if (!strncmp(*m, "nf_conntrack_", 13) && nports <= NF_MAX_PORTS)
			return *m;
	return d->modules[0];
}

int helper_kernel_refuse(const struct mr_cmd *c, struct erec_list *errs)
{
	const struct helper_def *d;

	if (c->op != MR_OP_HELPER || c->u.helper.unload)
		return 0;
	d = helper_by_name(c->u.helper.name);
	if (d && d->kernel)
		return 0;
	erec_add(errs, EREC_ERROR, MR_EXIT_OTHER, &c->loc,
		 "helper %s (%s): Linux has no such conntrack helper, so the kernel backend cannot serve it; %s",
		 c->u.helper.name,
		 c->u.helper.module ? c->u.helper.module : c->u.helper.name,
		 d && d->engine ?
		 "it is for the userspace engine backend (masqrule engine), which does not carry it yet either" :
		 "no backend of masqrule serves it");
	return -1;
}
