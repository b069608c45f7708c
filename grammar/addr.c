// SPDX-License-Identifier: GPL-2.0-or-later
/* Addresses and prefixes: parsing and printing, IPv4 and IPv6. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "addr.h"

unsigned addr_bytes(uint8_t family)
{
	return family == MR_FAM_IP6 ? 16 : 4;
}

bool addr_is_zero(const uint8_t *a, uint8_t family)
{
	unsigned i;

	for (i = 0; i < addr_bytes(family); i++)
		if (a[i])
			return false;
	return true;
}

void addr_mask_from_len(uint8_t *mask, uint8_t family, unsigned len)
{
	unsigned i;

	memset(mask, 0, 16);
	for (i = 0; i < addr_bytes(family); i++, len = len > 8 ? len - 8 : 0)
		mask[i] = len >= 8 ? 0xff : (uint8_t)(0xff00 >> len);
}

int addr_mask_len(const uint8_t *mask, uint8_t family)
{
	unsigned i, len = 0;
	uint8_t m;

	for (i = 0; i < addr_bytes(family); i++) {
		m = mask[i];
		if (m == 0xff) {
			len += 8;
			continue;
		}
		while (m & 0x80) {
			len++;
			m <<= 1;
		}
		if (m)
			return -1;
		for (i++; i < addr_bytes(family); i++)
			if (mask[i])
				return -1;
		break;
	}
	return (int)len;
}

/* iptables 1.8 reads "a.b.c" as a.b.c.0: up to 4 decimal parts, padded. */
static int parse_v4_iptables(const char *s, uint8_t out[4])
{
	unsigned parts = 0;
	unsigned long v;
	char *end;

	memset(out, 0, 4);
	while (*s) {
		if (parts == 4 || !isdigit((unsigned char)*s))
			return -1;
		v = strtoul(s, &end, 10);
		if (v > 255)
			return -1;
		out[parts++] = (uint8_t)v;
		s = end;
		if (*s == '.') {
			s++;
			if (!*s)
				return -1;
		} else if (*s) {
			return -1;
		}
	}
	return parts ? 0 : -1;
}

/* 2.0/2.2 tools fell back to gethostbyname(), i.e. inet_aton forms. */
static int parse_v4_legacy(const char *s, uint8_t out[4])
{
	struct in_addr in;

	if (!inet_aton(s, &in))
		return -1;
	memcpy(out, &in, 4);
	return 0;
}

int addr_parse(const char *s, uint8_t family, uint8_t out[16])
{
	memset(out, 0, 16);
	if (family == MR_FAM_IP6)
		return inet_pton(AF_INET6, s, out) == 1 ? 0 : -1;
	return parse_v4_iptables(s, out);
}

static int parse_mask(const char *m, uint8_t family, uint8_t mask[16],
		      const char **why)
{
	unsigned long len;
	char *end;

	if (!*m) {
		*why = "missing mask";
		return -1;
	}
	if (isdigit((unsigned char)*m) && !strpbrk(m, ".:")) {
		len = strtoul(m, &end, 10);
		if (*end || len > addr_bytes(family) * 8) {
			*why = "invalid mask";
			return -1;
		}
		addr_mask_from_len(mask, family, (unsigned)len);
		return 0;
	}
	if (inet_pton(family == MR_FAM_IP6 ? AF_INET6 : AF_INET, m, mask) != 1) {
		*why = "invalid mask";
		return -1;
	}
	return 0;
}

int addr_parse_prefix(const char *s, uint8_t family, enum addr_style style,
		      struct mr_prefix *out, const char **why)
{
	char host[256];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	unsigned i;
	int rc;

	memset(out, 0, sizeof(*out));
	if (n >= sizeof(host)) {
		*why = "host/network name too long";
		return -1;
	}
	memcpy(host, s, n);
	host[n] = '\0';
	if (slash) {
		if (parse_mask(slash + 1, family, out->mask, why))
			return -1;
	} else {
		addr_mask_from_len(out->mask, family, addr_bytes(family) * 8);
	}
	/* A zero mask matches anything: the old tools ignored the address. */
	if (style == MR_AS_LEGACY && addr_is_zero(out->mask, family))
		return 0;
	if (family == MR_FAM_IP6)
		rc = inet_pton(AF_INET6, host, out->addr) == 1 ? 0 : -1;
	else if (style == MR_AS_LEGACY)
		rc = parse_v4_legacy(host, out->addr);
	else
		rc = parse_v4_iptables(host, out->addr);
	if (rc) {
		*why = "host/network not found";
		return -1;
	}
	for (i = 0; i < 16; i++)
		out->addr[i] &= out->mask[i];
	return 0;
}

/* IPv4 by hand: inet_ntop costs more than the rest of a rule's printing. */
static void format_v4(struct mr_buf *b, const uint8_t *a)
{
	char s[16], *p = s;
	unsigned i, v;

	for (i = 0; i < 4; i++) {
		v = a[i];
		if (v >= 100)
			*p++ = (char)('0' + v / 100);
		if (v >= 10)
			*p++ = (char)('0' + v / 10 % 10);
		*p++ = (char)('0' + v % 10);
		*p++ = '.';
	}
	buf_addn(b, s, (size_t)(p - s - 1));
}

void addr_format(struct mr_buf *b, uint8_t family, const uint8_t *addr)
{
	char s[INET6_ADDRSTRLEN];

	if (family != MR_FAM_IP6) {
		format_v4(b, addr);
		return;
	}
	inet_ntop(family == MR_FAM_IP6 ? AF_INET6 : AF_INET, addr, s, sizeof(s));
	buf_add(b, s);
}

void addr_format_prefix(struct mr_buf *b, uint8_t family,
			const struct mr_prefix *p)
{
	int len = addr_mask_len(p->mask, family);

	addr_format(b, family, p->addr);
	buf_addc(b, '/');
	if (len >= 0)
		buf_printf(b, "%d", len);
	else
		addr_format(b, family, p->mask);
}
