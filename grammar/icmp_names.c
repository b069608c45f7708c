/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ICMP / ICMPv6 type and code names (icmp_names.h): the iptables names
 * that rules are written with and the nft names translations print.
 */
#include <string.h>
#include <strings.h>
#include "icmp_names.h"
#include "ir.h"

#define ALL 0, 255
#define C(c) (c), (c)

static const struct icmp_name icmp4[] = {
	{ "any", 255, ALL, false },
	{ "echo-reply", 0, ALL, false },
	{ "pong", 0, ALL, true },
	{ "destination-unreachable", 3, ALL, false },
	{ "network-unreachable", 3, C(0), false },
	{ "host-unreachable", 3, C(1), false },
	{ "protocol-unreachable", 3, C(2), false },
	{ "port-unreachable", 3, C(3), false },
	{ "fragmentation-needed", 3, C(4), false },
	{ "source-route-failed", 3, C(5), false },
	{ "network-unknown", 3, C(6), false },
	{ "host-unknown", 3, C(7), false },
	{ "network-prohibited", 3, C(9), false },
	{ "host-prohibited", 3, C(10), false },
	{ "TOS-network-unreachable", 3, C(11), false },
	{ "TOS-host-unreachable", 3, C(12), false },
	{ "communication-prohibited", 3, C(13), false },
	{ "host-precedence-violation", 3, C(14), false },
	{ "precedence-cutoff", 3, C(15), false },
	{ "source-quench", 4, ALL, false },
	{ "redirect", 5, ALL, false },
	{ "network-redirect", 5, C(0), false },
	{ "host-redirect", 5, C(1), false },
	{ "TOS-network-redirect", 5, C(2), false },
	{ "TOS-host-redirect", 5, C(3), false },
	{ "echo-request", 8, ALL, false },
	{ "ping", 8, ALL, true },
	{ "router-advertisement", 9, ALL, false },
	{ "router-solicitation", 10, ALL, false },
	{ "time-exceeded", 11, ALL, false },
	{ "ttl-exceeded", 11, ALL, true },
	{ "ttl-zero-during-transit", 11, C(0), false },
	{ "ttl-zero-during-reassembly", 11, C(1), false },
	{ "parameter-problem", 12, ALL, false },
	{ "ip-header-bad", 12, C(0), false },
	{ "required-option-missing", 12, C(1), false },
	{ "timestamp-request", 13, ALL, false },
	{ "timestamp-reply", 14, ALL, false },
	{ "info-request", 15, ALL, false },
	{ "info-reply", 16, ALL, false },
	{ "address-mask-request", 17, ALL, false },
	{ "address-mask-reply", 18, ALL, false },
};

static const struct icmp_name icmp6[] = {
	{ "destination-unreachable", 1, ALL, false },
	{ "no-route", 1, C(0), false },
	{ "communication-prohibited", 1, C(1), false },
	{ "beyond-scope", 1, C(2), false },
	{ "address-unreachable", 1, C(3), false },
	{ "port-unreachable", 1, C(4), false },
	{ "failed-policy", 1, C(5), false },
	{ "reject-route", 1, C(6), false },
	{ "packet-too-big", 2, ALL, false },
	{ "time-exceeded", 3, ALL, false },
	{ "ttl-exceeded", 3, ALL, true },
	{ "ttl-zero-during-transit", 3, C(0), false },
	{ "ttl-zero-during-reassembly", 3, C(1), false },
	{ "parameter-problem", 4, ALL, false },
	{ "bad-header", 4, C(0), false },
	{ "unknown-header-type", 4, C(1), false },
	{ "unknown-option", 4, C(2), false },
	{ "echo-request", 128, ALL, false },
	{ "ping", 128, ALL, true },
	{ "echo-reply", 129, ALL, false },
	{ "pong", 129, ALL, true },
	{ "mld-listener-query", 130, ALL, false },
	{ "mld-listener-report", 131, ALL, false },
	{ "mld-listener-done", 132, ALL, false },
	{ "mld-listener-reduction", 132, ALL, true },
	{ "router-solicitation", 133, ALL, false },
	{ "router-advertisement", 134, ALL, false },
	{ "neighbour-solicitation", 135, ALL, false },
	{ "neighbor-solicitation", 135, ALL, true },
	{ "neighbour-advertisement", 136, ALL, false },
	{ "neighbor-advertisement", 136, ALL, true },
	{ "redirect", 137, ALL, false },
};

/* nft's names: a type or code number and its symbol. */
struct nft_sym {
	uint8_t num;
	const char *name;
};

static const struct nft_sym nft_type4[] = {
	{ 0, "echo-reply" }, { 3, "destination-unreachable" },
	{ 4, "source-quench" }, { 5, "redirect" }, { 8, "echo-request" },
	{ 9, "router-advertisement" }, { 10, "router-solicitation" },
	{ 11, "time-exceeded" }, { 12, "parameter-problem" },
	{ 13, "timestamp-request" }, { 14, "timestamp-reply" },
	{ 15, "info-request" }, { 16, "info-reply" },
	{ 17, "address-mask-request" }, { 18, "address-mask-reply" },
};

/* nft's code names belong to destination-unreachable only. */
static const struct nft_sym nft_code4[] = {
	{ 0, "net-unreachable" }, { 1, "host-unreachable" },
	{ 2, "prot-unreachable" }, { 3, "port-unreachable" },
	{ 4, "frag-needed" }, { 9, "net-prohibited" },
	{ 10, "host-prohibited" }, { 13, "admin-prohibited" },
};

static const struct nft_sym nft_type6[] = {
	{ 1, "destination-unreachable" }, { 2, "packet-too-big" },
	{ 3, "time-exceeded" }, { 4, "parameter-problem" },
	{ 128, "echo-request" }, { 129, "echo-reply" },
	{ 130, "mld-listener-query" }, { 131, "mld-listener-report" },
	{ 132, "mld-listener-done" }, { 133, "nd-router-solicit" },
	{ 134, "nd-router-advert" }, { 135, "nd-neighbor-solicit" },
	{ 136, "nd-neighbor-advert" }, { 137, "nd-redirect" },
	{ 138, "router-renumbering" }, { 141, "ind-neighbor-solicit" },
	{ 142, "ind-neighbor-advert" }, { 143, "mld2-listener-report" },
};

static const struct nft_sym nft_code6[] = {
	{ 0, "no-route" }, { 1, "admin-prohibited" },
	{ 3, "addr-unreachable" }, { 4, "port-unreachable" },
	{ 5, "policy-fail" }, { 6, "reject-route" },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

const struct icmp_name *icmp_names(uint8_t family, size_t *n)
{
	if (family == MR_FAM_IP6) {
		*n = N(icmp6);
		return icmp6;
	}
	*n = N(icmp4);
	return icmp4;
}

const struct icmp_name *icmp_name_find(uint8_t family, const char *s,
				       const struct icmp_name **other)
{
	const struct icmp_name *tab, *found = NULL;
	size_t n, i, len = strlen(s);

	*other = NULL;
	if (!len)
		return NULL;
	tab = icmp_names(family, &n);
	for (i = 0; i < n; i++)
		if (strcasecmp(tab[i].name, s) == 0)
			return &tab[i];
	for (i = 0; i < n; i++) {
		if (strncasecmp(tab[i].name, s, len))
			continue;
		if (!found) {
			found = &tab[i];
		} else if (!*other) {
			*other = &tab[i];
		}
	}
	return found;
}

const char *icmp_name_of(uint8_t family, uint8_t type, uint8_t code_lo,
			 uint8_t code_hi)
{
	const struct icmp_name *tab;
	size_t n, i;

	tab = icmp_names(family, &n);
	for (i = 0; i < n; i++)
		if (!tab[i].alias && tab[i].type == type &&
		    tab[i].code_lo == code_lo && tab[i].code_hi == code_hi)
			return tab[i].name;
	return NULL;
}

static const char *sym(const struct nft_sym *t, size_t n, uint8_t num)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].num == num)
			return t[i].name;
	return NULL;
}

const char *icmp_nft_type(uint8_t family, uint8_t type)
{
	if (family == MR_FAM_IP6)
		return sym(nft_type6, N(nft_type6), type);
	return sym(nft_type4, N(nft_type4), type);
}

const char *icmp_nft_code(uint8_t family, uint8_t type, uint8_t code)
{
	if (family == MR_FAM_IP6)
		return type == 1 ? sym(nft_code6, N(nft_code6), code) : NULL;
	return type == 3 ? sym(nft_code4, N(nft_code4), code) : NULL;
}
