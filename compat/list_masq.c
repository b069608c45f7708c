// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -M -L: the masquerade table in ipfwadm's (dialects.md 2.7), ipchains'
 * (3.6) and masqrule's own layout (docs/masq-table.md).  The entries come
 * from the kernel's conntrack table or from the userspace engine; this
 * file only formats them.
 *
 * Addresses are always numeric: the old tools asked the resolver, which on
 * a router whose uplink is down made -M -L hang; ports take their names
 * from the pinned services table unless -n.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include "ir.h"
#include "list_masq.h"
#include "services.h"

static const char *const tcp_states[MASQ_TCP_COUNT] = {
	[MASQ_TCP_NONE] = "",
	[MASQ_TCP_SYN_SENT] = "SYN_SENT",
	[MASQ_TCP_SYN_RECV] = "SYN_RECV",
	[MASQ_TCP_ESTABLISHED] = "ESTABLISHED",
	[MASQ_TCP_FIN_WAIT] = "FIN_WAIT",
	[MASQ_TCP_CLOSE_WAIT] = "CLOSE_WAIT",
	[MASQ_TCP_LAST_ACK] = "LAST_ACK",
	[MASQ_TCP_TIME_WAIT] = "TIME_WAIT",
	[MASQ_TCP_CLOSE] = "CLOSE",
	[MASQ_TCP_SYN_SENT2] = "SYN_SENT2",
};

const char *masq_tcp_state_name(uint8_t state)
{
	return state < MASQ_TCP_COUNT ? tcp_states[state] : "";
}

static const char *addr_str(uint32_t a, char *s)
{
	return inet_ntop(AF_INET, &a, s, INET_ADDRSTRLEN);
}

/* A port by name unless -n; ICMP ids and other protocols by number. */
static void port_str(struct mr_buf *b, uint16_t port, uint8_t proto,
		     unsigned lf)
{
	const char *name = NULL;

	if (!(lf & MR_LF_NUMERIC) &&
	    (proto == IPPROTO_TCP || proto == IPPROTO_UDP))
		name = services_name(port, proto, 1);
	if (name)
		buf_add(b, name);
	else
		buf_printf(b, "%u", port);
}

/* ipfwadm writes "tcp", ipchains the kernel's upper-case name. */
static void proto_col(struct mr_buf *b, uint8_t proto, bool upper)
{
	const char *n = proto == IPPROTO_TCP ? "tcp" :
			proto == IPPROTO_UDP ? "udp" :
			proto == IPPROTO_ICMP ? "icmp" : NULL;
	char s[16];
	unsigned i;

	if (!n) {
		snprintf(s, sizeof(s), "IP_%u", proto);
	} else {
		for (i = 0; n[i] && i + 1 < sizeof(s); i++)
			s[i] = (char)(upper ? n[i] - 'a' + 'A' : n[i]);
		s[i] = 0;
	}
	buf_printf(b, "%-5s", s);
}

/*
 * The 2.x layout: mm:ss.hh expiry (conntrack counts whole seconds, so the
 * hundredths are 0), the FTP sequence fixups with -e / -v, inside source
 * and destination, "sport (mport) -> dport".
 */
static void legacy_line(struct mr_buf *b, const struct masq_entry *e,
			bool upper, bool deltas, unsigned lf)
{
	char s[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN];

	proto_col(b, e->proto, upper);
	buf_printf(b, "%02u:%02u.00 ", e->expires / 60, e->expires % 60);
	if (deltas)
		buf_printf(b, "%10lu %5d %5d ", (unsigned long)e->init_seq,
			   e->delta, e->prev_delta);
	buf_printf(b, "%-20s %-20s ", addr_str(e->in_addr, s),
		   addr_str(e->dst_addr, d));
	port_str(b, e->in_port, e->proto, lf);
	buf_printf(b, " (%u) -> ", e->masq_port);
	port_str(b, e->dst_port, e->proto, lf);
	buf_addc(b, '\n');
}

static void list_legacy(struct mr_buf *b, const struct masq_entry *v,
			size_t n, bool upper, bool deltas, unsigned lf)
{
	size_t i;

	/* as 2.0/2.2: the title always, the column header only above entries */
	buf_add(b, "IP masquerading entries\n");
	if (!n)
		return;
	buf_printf(b, "prot %-8s ", "expire");
	if (deltas)
		buf_printf(b, "%10s delta prevd ", "initseq");
	buf_printf(b, "%-20s %-20s ports\n", "source", "destination");
	for (i = 0; i < n; i++)
		legacy_line(b, &v[i], upper, deltas, lf);
}

/* addr:port into a column of width w. */
static void endpoint_col(struct mr_buf *b, uint32_t addr, uint16_t port,
			 uint8_t proto, unsigned lf, int w)
{
	char s[INET_ADDRSTRLEN];
	struct mr_buf t;

	buf_init(&t);
	buf_printf(&t, "%s:", addr_str(addr, s));
	port_str(&t, port, proto, lf);
	buf_printf(b, "%-*s ", w, t.s);
	buf_free(&t);
}

/* masqrule's own: every field, the masquerade address and TCP state too. */
static void list_native(struct mr_buf *b, const struct masq_entry *v,
			size_t n, unsigned lf)
{
	bool deltas = lf & (MR_LF_VERBOSE | MR_LF_EXTENDED);
	const struct masq_entry *e;
	size_t i;

	buf_printf(b, "%-5s %-11s %7s ", "prot", "state", "expires");
	if (deltas)
		buf_printf(b, "%10s %5s %5s ", "initseq", "delta", "prevd");
	buf_printf(b, "%-21s %-21s %s\n", "inside", "masquerade",
		   "destination");
	for (i = 0; i < n; i++) {
		e = &v[i];
		proto_col(b, e->proto, false);
		buf_printf(b, " %-11s %7u ",
			   e->proto == IPPROTO_TCP ?
			   masq_tcp_state_name(e->tcp_state) : "-",
			   e->expires);
		if (deltas)
			buf_printf(b, "%10lu %5d %5d ",
				   (unsigned long)e->init_seq, e->delta,
				   e->prev_delta);
		endpoint_col(b, e->in_addr, e->in_port, e->proto, lf, 21);
		endpoint_col(b, e->masq_addr, e->masq_port, e->proto,
			     lf | MR_LF_NUMERIC, 21);
		endpoint_col(b, e->dst_addr, e->dst_port, e->proto, lf, 0);
		buf_rtrim(b);
		buf_addc(b, '\n');
	}
}

void list_masq(struct mr_buf *b, const struct masq_entry *v, size_t n,
	       uint8_t dialect, unsigned lflags)
{
	switch (dialect) {
	case MR_D_IPFWADM:
		list_legacy(b, v, n, false, lflags & MR_LF_EXTENDED, lflags);
		break;
	case MR_D_IPCHAINS:
		list_legacy(b, v, n, true, lflags & MR_LF_VERBOSE, lflags);
		break;
	default:
		list_native(b, v, n, lflags);
		break;
	}
}
