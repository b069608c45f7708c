/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The NAT targets: MASQUERADE and REDIRECT (--to-ports), SNAT
 * (--to-source), DNAT (--to-destination, with the port/base form) and
 * NETMAP (--to prefix).  All fill struct mr_t_nat.
 */
#include <string.h>
#include "addr.h"
#include "services.h"
#include "xt_util.h"

enum { O_TO, O_PORTS, O_RANDOM, O_FULLY, O_PERSIST };

static const struct mr_optdef masq_opts[] = {
	{ "to-ports", 0, MR_A1, 0, O_PORTS },
	{ "random", 0, MR_A0, 0, O_RANDOM },
	{ "random-fully", 0, MR_A0, 0, O_FULLY },
	{ NULL, 0, 0, 0, 0 },
};

static const struct mr_optdef redirect_opts[] = {
	{ "to-ports", 0, MR_A1, 0, O_PORTS },
	{ "random", 0, MR_A0, 0, O_RANDOM },
	{ NULL, 0, 0, 0, 0 },
};

static const struct mr_optdef snat_opts[] = {
	{ "to-source", 0, MR_A1, 0, O_TO },
	{ "random", 0, MR_A0, 0, O_RANDOM },
	{ "random-fully", 0, MR_A0, 0, O_FULLY },
	{ "persistent", 0, MR_A0, 0, O_PERSIST },
	{ NULL, 0, 0, 0, 0 },
};

static const struct mr_optdef dnat_opts[] = {
	{ "to-destination", 0, MR_A1, 0, O_TO },
	{ "random", 0, MR_A0, 0, O_RANDOM },
	{ "persistent", 0, MR_A0, 0, O_PERSIST },
	{ NULL, 0, 0, 0, 0 },
};

static const struct mr_optdef netmap_opts[] = {
	{ "to", 0, MR_A1, 0, O_TO },
	{ NULL, 0, 0, 0, 0 },
};

static const char need_proto[] =
	"Need TCP, UDP, SCTP or DCCP with port specification";

static struct mr_t_nat *nat_of(struct mr_xctx *x)
{
	return x->rule->target.data;
}

static const char *xt_name(const struct mr_xctx *x)
{
	switch (x->rule->target.kind) {
	case MR_V_MASQ:
		return "MASQUERADE";
	case MR_V_SNAT:
		return "SNAT";
	case MR_V_DNAT:
		return "DNAT";
	case MR_V_REDIRECT:
		return "REDIRECT";
	default:
		return "NETMAP";
	}
}

/* ------------------------------------------------------------------ */
/* Ports: "p", "a-b", and for DNAT "a-b/base"                          */

/* A whole word as a port: number or service name; -1 if neither. */
static int one_port(const char *s, uint8_t proto)
{
	unsigned long v;

	if (!xt_strtoul(s, 65535, &v))
		return (int)v;
	if (s[0] >= '0' && s[0] <= '9')
		return -1;
	return services_port(s, proto);
}

/* "p" (number or service) or "a-b" (numbers: "ftp-data" is a name). */
static int parse_ports(const char *s, uint8_t proto, uint16_t *lo,
		       uint16_t *hi)
{
	const char *dash;
	unsigned long a, b;
	char first[16];
	size_t n;
	int p = one_port(s, proto);

	if (p >= 0) {
		*lo = *hi = (uint16_t)p;
		return 0;
	}
	dash = strchr(s, '-');
	if (!dash)
		return -1;
	n = (size_t)(dash - s);
	if (n == 0 || n >= sizeof(first))
		return -1;
	memcpy(first, s, n);
	first[n] = '\0';
	if (xt_strtoul(first, 65535, &a) || xt_strtoul(dash + 1, 65535, &b) ||
	    a > b)
		return -1;
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return 0;
}

/* The port part of a --to-source/--to-destination spec. */
static int parse_nat_ports(struct mr_xctx *x, const struct mr_word *w,
			   const char *s, bool base_ok, struct mr_t_nat *t)
{
	const char *slash = strchr(s, '/');
	char ports[32];
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	int base;

	if (n >= sizeof(ports) || (slash && !base_ok))
		goto bad;
	memcpy(ports, s, n);
	ports[n] = '\0';
	if (parse_ports(ports, x->rule->proto, &t->min_port, &t->max_port))
		goto bad;
	t->flags |= MR_NAT_PORTS;
	if (!slash)
		return 0;
	base = one_port(slash + 1, x->rule->proto);
	if (base <= 0)
		goto bad;
	t->base_port = (uint16_t)base;
	t->flags |= MR_NAT_BASE;
	return 0;
bad:
	return erec_param(x->errs, &w->loc, "Port `%s' not valid", s);
}

static int parse_to_ports(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_t_nat *t = nat_of(x);
	const struct mr_word *w = &o->args[0];

	if (xt_once(x, o, xt_name(x), t->flags & MR_NAT_PORTS))
		return -1;
	if (parse_ports(w->text, x->rule->proto, &t->min_port, &t->max_port))
		return erec_param(x->errs, &w->loc,
				  "%s: Bad value for \"--to-ports\" option: \"%s\"",
				  xt_name(x), w->text);
	t->flags |= MR_NAT_PORTS;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Addresses: "a", "a-b"; IPv6 ports need "[a-b]:ports"                */

static int parse_addr_range(struct mr_xctx *x, const struct mr_word *w,
			    const char *s, size_t len, struct mr_t_nat *t)
{
	char buf[128];
	char *dash;

	if (len == 0)
		return 0;	/* ":port" alone keeps the address */
	if (len >= sizeof(buf))
		goto bad;
	memcpy(buf, s, len);
	buf[len] = '\0';
	dash = strchr(buf, '-');
	if (dash)
		*dash++ = '\0';
	if (addr_parse(buf, x->family, t->min_addr) ||
	    addr_parse(dash ? dash : buf, x->family, t->max_addr))
		goto bad;
	t->flags |= MR_NAT_ADDR;
	return 0;
bad:
	return erec_param(x->errs, &w->loc, "Bad IP address \"%s\"", w->text);
}

static int parse_to(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_t_nat *t = nat_of(x);
	const struct mr_word *w = &o->args[0];
	bool base_ok = x->rule->target.kind == MR_V_DNAT;
	const char *s = w->text, *end, *ports = NULL;

	if (xt_once(x, o, xt_name(x), t->flags & (MR_NAT_ADDR | MR_NAT_PORTS)))
		return -1;
	if (x->family == MR_FAM_IP6 && s[0] == '[') {
		end = strchr(s, ']');
		if (!end || (end[1] && end[1] != ':'))
			return erec_param(x->errs, &w->loc,
					  "Bad IP address \"%s\"", s);
		if (parse_addr_range(x, w, s + 1, (size_t)(end - s - 1), t))
			return -1;
		if (!(t->flags & MR_NAT_ADDR))
			return erec_param(x->errs, &w->loc,
					  "Bad IP address \"%s\"", s);
		ports = end[1] ? end + 2 : NULL;
	} else if (x->family == MR_FAM_IP6) {
		if (parse_addr_range(x, w, s, strlen(s), t))
			return -1;
	} else {
		end = strchr(s, ':');
		if (parse_addr_range(x, w, s,
				     end ? (size_t)(end - s) : strlen(s), t))
			return -1;
		ports = end ? end + 1 : NULL;
	}
	if (ports && parse_nat_ports(x, w, ports, base_ok, t))
		return -1;
	if (!(t->flags & (MR_NAT_ADDR | MR_NAT_PORTS)))
		return erec_param(x->errs, &w->loc, "Bad IP address \"%s\"", s);
	return 0;
}

static int parse_netmap(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_t_nat *t = nat_of(x);
	const struct mr_word *w = &o->args[0];
	struct mr_prefix p;
	unsigned i;
	int len;

	if (xt_once(x, o, "NETMAP", t->flags & MR_NAT_ADDR) ||
	    xt_parse_prefix(x, w, &p))
		return -1;
	len = addr_mask_len(p.mask, x->family);
	if (len < 0)
		return erec_param(x->errs, &w->loc, "Bad netmask \"%s\"",
				  w->text);
	for (i = 0; i < 16; i++) {
		t->min_addr[i] = p.addr[i];
		t->max_addr[i] = p.addr[i] | (uint8_t)~p.mask[i];
	}
	t->prefix_len = (uint8_t)len;
	t->flags |= MR_NAT_ADDR;
	return 0;
}

static int nat_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_t_nat *t = nat_of(x);

	if (xt_no_inv(x, o, xt_name(x)))
		return -1;
	switch (o->def->id) {
	case O_TO:
		if (x->rule->target.kind == MR_V_NETMAP)
			return parse_netmap(x, o);
		return parse_to(x, o);
	case O_PORTS:
		return parse_to_ports(x, o);
	case O_RANDOM:
		t->flags |= MR_NAT_RANDOM;
		return 0;
	case O_FULLY:
		t->flags |= MR_NAT_RANDOM_FULLY;
		return 0;
	default:
		t->flags |= MR_NAT_PERSISTENT;
		return 0;
	}
}

/* ------------------------------------------------------------------ */
/* Checks                                                              */

static int ports_need_proto(struct mr_xctx *x)
{
	if ((nat_of(x)->flags & MR_NAT_PORTS) && !xt_proto_nat_ports(x->rule))
		return erec_param(x->errs, x->loc, need_proto);
	return 0;
}

static int masq_check(struct mr_xctx *x)
{
	if (ports_need_proto(x))
		return -1;
	return xt_check_place(x, "MASQUERADE target", XT_H_POST, true);
}

static int redirect_check(struct mr_xctx *x)
{
	if (ports_need_proto(x))
		return -1;
	return xt_check_place(x, "REDIRECT target", XT_H_PRE | XT_H_OUT, true);
}

static int snat_check(struct mr_xctx *x)
{
	if (!(nat_of(x)->flags & (MR_NAT_ADDR | MR_NAT_PORTS)))
		return xt_missing(x, "SNAT", "to-source");
	if (ports_need_proto(x))
		return -1;
	return xt_check_place(x, "SNAT target", XT_H_POST | XT_H_IN, true);
}

static int dnat_check(struct mr_xctx *x)
{
	if (!(nat_of(x)->flags & (MR_NAT_ADDR | MR_NAT_PORTS)))
		return xt_missing(x, "DNAT", "to-destination");
	if (ports_need_proto(x))
		return -1;
	return xt_check_place(x, "DNAT target", XT_H_PRE | XT_H_OUT, true);
}

static int netmap_check(struct mr_xctx *x)
{
	if (!(nat_of(x)->flags & MR_NAT_ADDR))
		return xt_missing(x, "NETMAP", "to");
	return xt_check_place(x, "NETMAP target",
			      XT_H_PRE | XT_H_IN | XT_H_OUT | XT_H_POST, true);
}

/* ------------------------------------------------------------------ */
/* Printing                                                            */

static const struct mr_t_nat *nat_data(const struct mr_rule *r)
{
	static const struct mr_t_nat none;

	return r->target.data ? r->target.data : &none;
}

static void port_range(struct mr_buf *b, const struct mr_t_nat *t)
{
	buf_printf(b, "%u", t->min_port);
	if (t->max_port != t->min_port)
		buf_printf(b, "-%u", t->max_port);
}

static void addr_range(struct mr_buf *b, uint8_t family,
		       const struct mr_t_nat *t)
{
	addr_format(b, family, t->min_addr);
	if (memcmp(t->min_addr, t->max_addr, addr_bytes(family))) {
		buf_addc(b, '-');
		addr_format(b, family, t->max_addr);
	}
}

/* "a[-b][:p[-q]]", IPv6 with ports "[a[-b]]:p[-q]"; base for DNAT. */
static void nat_spec(struct mr_buf *b, uint8_t family,
		     const struct mr_t_nat *t, bool with_base)
{
	bool br = family == MR_FAM_IP6 && (t->flags & MR_NAT_PORTS);

	if (br)
		buf_addc(b, '[');
	if (t->flags & MR_NAT_ADDR)
		addr_range(b, family, t);
	if (br)
		buf_addc(b, ']');
	if (t->flags & MR_NAT_PORTS) {
		buf_addc(b, ':');
		port_range(b, t);
		if (with_base && (t->flags & MR_NAT_BASE))
			buf_printf(b, "/%u", t->base_port);
	}
}

static void save_flags(struct mr_buf *b, const struct mr_t_nat *t)
{
	if (t->flags & MR_NAT_RANDOM)
		buf_add(b, " --random");
	if (t->flags & MR_NAT_RANDOM_FULLY)
		buf_add(b, " --random-fully");
	if (t->flags & MR_NAT_PERSISTENT)
		buf_add(b, " --persistent");
}

static void ports_save(struct mr_buf *b, const struct mr_rule *r,
		       const struct mr_match *m)
{
	const struct mr_t_nat *t = nat_data(r);

	(void)m;
	if (t->flags & MR_NAT_PORTS) {
		buf_add(b, " --to-ports ");
		port_range(b, t);
	}
	save_flags(b, t);
}

static void snat_save(struct mr_buf *b, const struct mr_rule *r,
		      const struct mr_match *m)
{
	const struct mr_t_nat *t = nat_data(r);
	bool dnat = r->target.kind == MR_V_DNAT;

	(void)m;
	buf_add(b, dnat ? " --to-destination " : " --to-source ");
	nat_spec(b, r->family, t, dnat);
	save_flags(b, t);
}

static void netmap_save(struct mr_buf *b, const struct mr_rule *r,
			const struct mr_match *m)
{
	const struct mr_t_nat *t = nat_data(r);

	(void)m;
	buf_add(b, " --to ");
	addr_format(b, r->family, t->min_addr);
	buf_printf(b, "/%u", t->prefix_len);
}

/* " random,fully-random,persistent" as far as set */
static void xlate_flags(struct mr_buf *b, const struct mr_t_nat *t)
{
	static const struct xt_flagname names[] = {
		{ "random", MR_NAT_RANDOM },
		{ "fully-random", MR_NAT_RANDOM_FULLY },
		{ "persistent", MR_NAT_PERSISTENT },
		{ NULL, 0 },
	};
	uint32_t f = t->flags & (MR_NAT_RANDOM | MR_NAT_RANDOM_FULLY |
				 MR_NAT_PERSISTENT);

	if (!f)
		return;
	buf_addc(b, ' ');
	xt_print_flaglist(b, names, f);
}

static bool ports_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_t_nat *t = nat_data(x->rule);

	(void)m;
	buf_add(x->b, x->rule->target.kind == MR_V_MASQ ? "masquerade" :
		"redirect");
	if (t->flags & MR_NAT_PORTS) {
		buf_add(x->b, " to :");
		port_range(x->b, t);
	}
	xlate_flags(x->b, t);
	buf_addc(x->b, ' ');
	return true;
}

static bool snat_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_t_nat *t = nat_data(x->rule);

	(void)m;
	/* nft has no port/base form (iptables-translate gives up too) */
	if (t->flags & MR_NAT_BASE)
		return false;
	buf_add(x->b, x->rule->target.kind == MR_V_DNAT ? "dnat to " :
		"snat to ");
	nat_spec(x->b, x->family, t, false);
	xlate_flags(x->b, t);
	buf_addc(x->b, ' ');
	return true;
}

/*
 * NETMAP is "snat/dnat ip prefix to" in nft, but which of the two depends
 * on the chain, which the printer does not tell us; iptables-translate
 * has no translation either.
 */
static bool netmap_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	(void)x;
	(void)m;
	return false;
}

#define NAT_TARGET(var, nm, k, o, chk, sv, xl, fam)	\
	const struct mr_xt var = {				\
		.name = nm,					\
		.kind = k,					\
		.target = true,					\
		.family = fam,					\
		.size = sizeof(struct mr_t_nat),		\
		.opts = o,					\
		.parse = nat_parse,				\
		.check = chk,					\
		.save = sv,					\
		.xlate = xl,					\
	}

NAT_TARGET(xt_masquerade, "MASQUERADE", MR_V_MASQ, masq_opts, masq_check,
	   ports_save, ports_xlate, 0);
NAT_TARGET(xt_redirect, "REDIRECT", MR_V_REDIRECT, redirect_opts,
	   redirect_check, ports_save, ports_xlate, 0);
NAT_TARGET(xt_snat, "SNAT", MR_V_SNAT, snat_opts, snat_check, snat_save,
	   snat_xlate, 0);
NAT_TARGET(xt_dnat, "DNAT", MR_V_DNAT, dnat_opts, dnat_check, snat_save,
	   snat_xlate, 0);
NAT_TARGET(xt_netmap, "NETMAP", MR_V_NETMAP, netmap_opts, netmap_check,
	   netmap_save, netmap_xlate, 0);
