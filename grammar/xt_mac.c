/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The mac match: [!] --mac-source XX:XX:XX:XX:XX:XX (Ethernet source). */
#include <ctype.h>
#include <string.h>
#include "xt_util.h"

enum { O_SOURCE };

static const struct mr_optdef mac_opts[] = {
	{ "mac-source", 0, MR_A1, MR_OF_INV, O_SOURCE },
	{ NULL, 0, 0, 0, 0 },
};

#define GIVEN 1u
#define INV 1u

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Exactly six two-digit hex groups, as iptables requires. */
static int parse_mac(const char *s, uint8_t mac[6])
{
	int i, hi, lo;

	if (strlen(s) != 17)
		return -1;
	for (i = 0; i < 6; i++) {
		hi = hexval(s[i * 3]);
		lo = hexval(s[i * 3 + 1]);
		if (hi < 0 || lo < 0 || (i < 5 && s[i * 3 + 2] != ':'))
			return -1;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

static int mac_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_m_mac *mac = MR_MDATA(x->match, struct mr_m_mac);
	struct mr_match *m = x->match;

	if (xt_once(x, o, "mac", m->has & GIVEN))
		return -1;
	if (parse_mac(o->args[0].text, mac->addr))
		return erec_param(x->errs, &o->args[0].loc,
				  "Invalid MAC address specified");
	m->has |= GIVEN;
	if (popt_neg(o))
		m->inv |= INV;
	return 0;
}

static int mac_check(struct mr_xctx *x)
{
	if (!(x->match->has & GIVEN))
		return xt_missing(x, "mac", "mac-source");
	/* there is no source MAC once the packet is ours to send */
	return xt_check_place(x, "mac match", XT_H_PRE | XT_H_IN | XT_H_FWD,
			      false);
}

static void print_mac(struct mr_buf *b, const uint8_t *a)
{
	buf_printf(b, "%02x:%02x:%02x:%02x:%02x:%02x",
		   a[0], a[1], a[2], a[3], a[4], a[5]);
}

static void mac_save(struct mr_buf *b, const struct mr_rule *r,
		     const struct mr_match *m)
{
	const struct mr_m_mac *mac = MR_MDATA(m, const struct mr_m_mac);

	(void)r;
	buf_printf(b, "%s --mac-source ", m->inv & INV ? " !" : "");
	print_mac(b, mac->addr);
}

static bool mac_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_m_mac *mac = MR_MDATA(m, const struct mr_m_mac);

	buf_printf(x->b, "ether saddr %s", m->inv & INV ? "!= " : "");
	print_mac(x->b, mac->addr);
	buf_addc(x->b, ' ');
	return true;
}

const struct mr_xt xt_mac = {
	.name = "mac",
	.kind = MR_M_MAC,
	.size = sizeof(struct mr_m_mac),
	.opts = mac_opts,
	.parse = mac_parse,
	.check = mac_check,
	.save = mac_save,
	.xlate = mac_xlate,
};
