// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Pieces the listing formats share (list_int.h).  Names are looked up in
 * masqrule's pinned tables only: hosts are never resolved, so a listing
 * without -n shows addresses as -n does (docs/listing.md).
 */
#include <inttypes.h>
#include <string.h>
#include "addr.h"
#include "list_int.h"
#include "services.h"

static void kmg_unit(struct mr_buf *b, uint64_t v, char unit, int width)
{
	if (width)
		buf_printf(b, "%4" PRIu64 "%c ", v, unit);
	else
		buf_printf(b, "%" PRIu64 "%c ", v, unit);
}

/* iptables: every step divides the value rounded by the last one. */
static void kmg_iptables(struct mr_buf *b, uint64_t n, int width)
{
	static const char units[] = "KMGT";
	unsigned i;

	n = (n + 500) / 1000;
	for (i = 0; n > 9999 && i < sizeof(units) - 2; i++)
		n = (n + 500) / 1000;
	kmg_unit(b, n, units[i], width);
}

/* ipchains and ipfwadm: M from the exact value; ipchains G from M. */
static void kmg_legacy(struct mr_buf *b, uint64_t n, bool giga, int width)
{
	uint64_t k = (n + 500) / 1000, m = (n + 500000) / 1000000;

	if (k <= 9999)
		kmg_unit(b, k, 'K', width);
	else if (!giga || m <= 9999)
		kmg_unit(b, m, 'M', width);
	else
		kmg_unit(b, (m + 500) / 1000, 'G', width);
}

void list_count(struct mr_buf *b, uint64_t n, enum list_kmg kmg, bool exact,
		int width)
{
	if (exact || n <= 99999) {
		buf_printf(b, "%*" PRIu64 " ", exact ? width : width ? 5 : 0,
			   n);
		return;
	}
	if (kmg == LIST_KMG_IPTABLES)
		kmg_iptables(b, n, width);
	else
		kmg_legacy(b, n, kmg == LIST_KMG_IPCHAINS, width);
}

void list_host(struct mr_buf *b, uint8_t family, const struct mr_prefix *p,
	       bool has, bool numeric)
{
	unsigned bits = addr_bytes(family) * 8;
	int len = has ? addr_mask_len(p->mask, family) : 0;

	if (len == 0 && !numeric) {
		buf_add(b, "anywhere");
		return;
	}
	if (!has) {
		buf_add(b, family == MR_FAM_IP6 ? "::/0" : "0.0.0.0/0");
		return;
	}
	addr_format(b, family, p->addr);
	if (len < 0) {
		buf_addc(b, '/');
		addr_format(b, family, p->mask);
	} else if ((unsigned)len != bits) {
		buf_printf(b, "/%d", len);
	}
}

void list_port(struct mr_buf *b, uint16_t port, uint8_t proto, bool numeric,
	       bool legacy_names)
{
	const char *name = numeric ? NULL :
			   services_name(port, proto, legacy_names);

	if (name)
		buf_add(b, name);
	else
		buf_printf(b, "%u", port);
}

void list_pad(struct mr_buf *b, const char *s, int width)
{
	buf_printf(b, "%-*s", width, s);
}

const struct mr_range16 *list_l4_range(const struct mr_match *m, int side)
{
	const struct mr_m_tcp *t = MR_MDATA(m, struct mr_m_tcp);
	const struct mr_m_udp *u = MR_MDATA(m, struct mr_m_udp);

	if (m->kind == MR_M_TCP)
		return side ? &t->dport : &t->sport;
	return side ? &u->dport : &u->sport;
}
