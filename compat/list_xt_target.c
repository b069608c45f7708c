// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The target's options as iptables -L prints them after the matches
 * ("reject-with icmp-port-unreachable", "to:1.2.3.4:80",
 * "LOG flags 0 level 4 prefix \"x\""), iptables 1.8.9 wording.  Targets
 * without a wording here fall back to their save options.
 */
#include <string.h>
#include "addr.h"
#include "list.h"
#include "list_int.h"
#include "xt.h"

static const struct mr_t_nat *lt_nat(const struct mr_rule *r)
{
	static const struct mr_t_nat none;

	return r->target.data ? r->target.data : &none;
}

static void lt_nat_flags(struct mr_buf *b, const struct mr_t_nat *t)
{
	if (t->flags & MR_NAT_RANDOM)
		buf_add(b, " random");
	if (t->flags & MR_NAT_RANDOM_FULLY)
		buf_add(b, " random-fully");
	if (t->flags & MR_NAT_PERSISTENT)
		buf_add(b, " persistent");
}

static void lt_port_range(struct mr_buf *b, const struct mr_t_nat *t)
{
	buf_printf(b, "%u", t->min_port);
	if (t->max_port != t->min_port)
		buf_printf(b, "-%u", t->max_port);
}

/* MASQUERADE "masq ports: a-b", REDIRECT "redir ports a-b" */
static void lt_ports(struct mr_buf *b, const struct mr_rule *r,
		     const char *word)
{
	const struct mr_t_nat *t = lt_nat(r);

	if (t->flags & MR_NAT_PORTS) {
		buf_printf(b, " %s", word);
		lt_port_range(b, t);
	}
	lt_nat_flags(b, t);
}

/* SNAT / DNAT "to:a[-b][:p[-q][/base]]", IPv6 with ports in brackets */
static void lt_to(struct mr_buf *b, const struct mr_rule *r)
{
	const struct mr_t_nat *t = lt_nat(r);
	bool br = r->family == MR_FAM_IP6 && (t->flags & MR_NAT_PORTS);

	buf_add(b, br ? " to:[" : " to:");
	if (t->flags & MR_NAT_ADDR) {
		addr_format(b, r->family, t->min_addr);
		if (memcmp(t->min_addr, t->max_addr, addr_bytes(r->family))) {
			buf_addc(b, '-');
			addr_format(b, r->family, t->max_addr);
		}
	}
	if (br)
		buf_addc(b, ']');
	if (t->flags & MR_NAT_PORTS) {
		buf_addc(b, ':');
		lt_port_range(b, t);
		if (t->flags & MR_NAT_BASE)
			buf_printf(b, "/%u", t->base_port);
	}
	lt_nat_flags(b, t);
}

static void lt_netmap(struct mr_buf *b, const struct mr_rule *r)
{
	const struct mr_t_nat *t = lt_nat(r);

	buf_add(b, " to:");
	addr_format(b, r->family, t->min_addr);
	buf_printf(b, "/%u", t->prefix_len);
}

static void lt_reject(struct mr_buf *b, const struct mr_rule *r)
{
	static const char *const names[] = {
		[MR_RJ_NET_UNREACH] = "icmp-net-unreachable",
		[MR_RJ_HOST_UNREACH] = "icmp-host-unreachable",
		[MR_RJ_PORT_UNREACH] = "icmp-port-unreachable",
		[MR_RJ_PROTO_UNREACH] = "icmp-proto-unreachable",
		[MR_RJ_NET_PROHIB] = "icmp-net-prohibited",
		[MR_RJ_HOST_PROHIB] = "icmp-host-prohibited",
		[MR_RJ_ADMIN_PROHIB] = "icmp-admin-prohibited",
		[MR_RJ_TCP_RESET] = "tcp-reset",
		[MR_RJ6_NO_ROUTE] = "icmp6-no-route",
		[MR_RJ6_ADM_PROHIB] = "icmp6-adm-prohibited",
		[MR_RJ6_ADDR_UNREACH] = "icmp6-addr-unreachable",
		[MR_RJ6_PORT_UNREACH] = "icmp6-port-unreachable",
		[MR_RJ6_POLICY_FAIL] = "icmp6-policy-fail",
		[MR_RJ6_REJECT_ROUTE] = "icmp6-reject-route",
	};
	const struct mr_t_reject *rj = r->target.data;
	unsigned w = rj ? rj->with : MR_RJ_DEFAULT;

	if (w == MR_RJ_DEFAULT || w >= sizeof(names) / sizeof(names[0]))
		w = r->family == MR_FAM_IP6 ? MR_RJ6_PORT_UNREACH :
		    MR_RJ_PORT_UNREACH;
	buf_printf(b, " reject-with %s", names[w]);
}

/* The kernel's flag bits, which -n prints as a number. */
static unsigned lt_log_kflags(uint8_t f)
{
	return (f & (MR_LOG_TCPSEQ | MR_LOG_TCPOPT | MR_LOG_IPOPT |
		     MR_LOG_UID)) | (f & MR_LOG_MACDECODE ? 0x20 : 0);
}

static void lt_log(struct mr_buf *b, const struct mr_rule *r, bool numeric)
{
	static const char *const levels[] = {
		"emerg", "alert", "crit", "err", "warn", "notice", "info",
		"debug",
	};
	static const struct { uint8_t bit; const char *name; } flags[] = {
		{ MR_LOG_TCPSEQ, "tcp-sequence" },
		{ MR_LOG_TCPOPT, "tcp-options" },
		{ MR_LOG_IPOPT, "ip-options" }, { MR_LOG_UID, "uid" },
		{ MR_LOG_MACDECODE, "macdecode" },
	};
	const struct mr_t_log *l = r->target.data;
	struct mr_t_log def = { .level = 4 };
	unsigned i;

	if (!l)
		l = &def;
	if (numeric) {
		buf_printf(b, " LOG flags %u level %u", lt_log_kflags(l->flags),
			   l->level);
	} else {
		if (l->level < 8)
			buf_printf(b, " LOG level %s", levels[l->level]);
		else
			buf_printf(b, " LOG UNKNOWN level %u", l->level);
		for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
			if (l->flags & flags[i].bit)
				buf_printf(b, " %s", flags[i].name);
	}
	if (l->prefix && *l->prefix)
		buf_printf(b, " prefix \"%s\"", l->prefix);
}

/* iptables names the operation from value and mask, not as written. */
static void lt_mark(struct mr_buf *b, const struct mr_rule *r)
{
	const struct mr_t_mark *k = r->target.data;
	uint32_t v = k ? k->value : 0, m = k ? k->mask : 0xFFFFFFFFu;

	if (v == 0)
		buf_printf(b, " MARK and 0x%x", ~m);
	else if (v == m)
		buf_printf(b, " MARK or 0x%x", v);
	else if (m == 0)
		buf_printf(b, " MARK xor 0x%x", v);
	else if (m == 0xFFFFFFFFu)
		buf_printf(b, " MARK set 0x%x", v);
	else
		buf_printf(b, " MARK xset 0x%x/0x%x", v, m);
}

static void lt_save_form(struct mr_buf *b, const struct mr_rule *r)
{
	const struct mr_xt *xt = xt_by_kind(r->target.kind, true);

	if (xt && xt->save)
		xt->save(b, r, NULL);
}

void list_xt_target(struct mr_buf *b, const struct mr_rule *r,
		    unsigned lflags)
{
	switch (r->target.kind) {
	case MR_V_NONE: case MR_V_ACCEPT: case MR_V_DROP: case MR_V_RETURN:
	case MR_V_JUMP: case MR_V_GOTO:
		return;
	case MR_V_REJECT: lt_reject(b, r); return;
	case MR_V_MASQ: lt_ports(b, r, "masq ports: "); return;
	case MR_V_REDIRECT: lt_ports(b, r, "redir ports "); return;
	case MR_V_SNAT: case MR_V_DNAT: lt_to(b, r); return;
	case MR_V_NETMAP: lt_netmap(b, r); return;
	case MR_V_LOG: lt_log(b, r, lflags & MR_LF_NUMERIC); return;
	case MR_V_MARK: lt_mark(b, r); return;
	}
	if (!list_xt_ext_target(b, r))
		lt_save_form(b, r);
}
