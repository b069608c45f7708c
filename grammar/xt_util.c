/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers shared by the iptables extensions (xt.h, xt_util.h): numbers,
 * ports and port ranges with errors located at the argument word, the
 * quoting iptables-save applies to strings, range and address printers,
 * and the placement checks the kernel makes for matches and targets.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "addr.h"
#include "services.h"
#include "xt_util.h"

/* ------------------------------------------------------------------ */
/* Numbers                                                             */

int xt_strtoul(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long long v;
	char *end;

	/* strtoul would accept " 5", "+5" and wrap "-1" */
	if (!s || !isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		return -1;
	*out = (unsigned long)v;
	return 0;
}

int xt_parse_uint(struct mr_xctx *x, const struct mr_word *w,
		  unsigned long min, unsigned long max, unsigned long *out)
{
	if (xt_strtoul(w->text, max, out) || *out < min)
		return erec_param(x->errs, &w->loc,
				  "bad value `%s', or out of range (%lu-%lu)",
				  w->text, min, max);
	return 0;
}

int xt_parse_uint_opt(struct mr_xctx *x, const struct mr_popt *o,
		      const char *ext, unsigned long min, unsigned long max,
		      unsigned long *out)
{
	const struct mr_word *w = &o->args[0];
	char name[64];

	if (xt_strtoul(w->text, max, out) || *out < min)
		return erec_param(x->errs, &w->loc,
				  "%s: bad value for option \"%s\", or out of range (%lu-%lu)",
				  ext, opt_display(o, name, sizeof(name)),
				  min, max);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Ports                                                               */

/* A port number or service name; -1 if neither. */
static int port_value(const char *s, uint8_t proto)
{
	unsigned long v;

	if (!xt_strtoul(s, 65535, &v))
		return (int)v;
	if (isdigit((unsigned char)s[0]))
		return -1;
	return services_port(s, proto);
}

int xt_parse_port(struct mr_xctx *x, const struct mr_word *w, uint8_t proto,
		  uint16_t *out)
{
	int v = port_value(w->text, proto);

	if (v < 0)
		return erec_param(x->errs, &w->loc,
				  "invalid port/service `%s' specified",
				  w->text);
	*out = (uint16_t)v;
	return 0;
}

int xt_parse_port_range(struct mr_xctx *x, const struct mr_word *w,
			uint8_t proto, struct mr_range16 *out)
{
	const char *s = w->text;
	const char *colon = strchr(s, ':');
	char lo[64];
	size_t n;
	int v;

	if (!colon) {
		v = port_value(s, proto);
		if (v < 0)
			goto bad_port;
		out->lo = out->hi = (uint16_t)v;
		return 0;
	}
	n = (size_t)(colon - s);
	if (n >= sizeof(lo))
		goto bad_port;
	memcpy(lo, s, n);
	lo[n] = '\0';
	out->lo = 0;
	out->hi = 65535;
	if (n) {
		v = port_value(lo, proto);
		if (v < 0) {
			s = lo;
			goto bad_port;
		}
		out->lo = (uint16_t)v;
	}
	if (colon[1]) {
		v = port_value(colon + 1, proto);
		if (v < 0) {
			s = colon + 1;
			goto bad_port;
		}
		out->hi = (uint16_t)v;
	}
	if (out->lo > out->hi)
		return erec_param(x->errs, &w->loc,
				  "invalid portrange (min > max)");
	return 0;
bad_port:
	return erec_param(x->errs, &w->loc,
			  "invalid port/service `%s' specified", s);
}

/* ------------------------------------------------------------------ */
/* Printing                                                            */

void xt_save_string(struct mr_buf *b, const char *s)
{
	static const char plain[] =
		"_-0123456789abcdefghijklmnopqrstuvwxyz"
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	size_t n = strspn(s, plain);

	/* iptables-save leaves only non-empty [A-Za-z0-9_-] words bare */
	if (n > 0 && s[n] == '\0') {
		buf_add(b, s);
		return;
	}
	buf_addc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\'' || *s == '\\')
			buf_addc(b, '\\');
		buf_addc(b, *s);
	}
	buf_addc(b, '"');
}

void xt_save_range(struct mr_buf *b, const struct mr_range16 *r)
{
	if (r->lo == r->hi)
		buf_printf(b, "%u", r->lo);
	else
		buf_printf(b, "%u:%u", r->lo, r->hi);
}

void xt_nft_range(struct mr_buf *b, const struct mr_range16 *r)
{
	if (r->lo == r->hi)
		buf_printf(b, "%u", r->lo);
	else
		buf_printf(b, "%u-%u", r->lo, r->hi);
}

void xt_addr_str(struct mr_buf *b, uint8_t family, const uint8_t *addr)
{
	addr_format(b, family, addr);
}

static bool prefix_is_host(uint8_t family, const struct mr_prefix *p)
{
	return addr_mask_len(p->mask, family) == (int)addr_bytes(family) * 8;
}

void xt_save_prefix(struct mr_buf *b, uint8_t family,
		    const struct mr_prefix *p)
{
	if (prefix_is_host(family, p))
		addr_format(b, family, p->addr);
	else
		addr_format_prefix(b, family, p);
}

void xt_nft_prefix_cmp(struct mr_buf *b, const char *lhs, uint8_t family,
		       const struct mr_prefix *p, bool inv)
{
	if (addr_mask_len(p->mask, family) >= 0) {
		buf_printf(b, "%s %s", lhs, inv ? "!= " : "");
		xt_save_prefix(b, family, p);
	} else {
		buf_printf(b, "%s & ", lhs);
		addr_format(b, family, p->mask);
		buf_add(b, inv ? " != " : " == ");
		addr_format(b, family, p->addr);
	}
	buf_addc(b, ' ');
}

const char *xt_l3(uint8_t family)
{
	return family == MR_FAM_IP6 ? "ip6" : "ip";
}

/* ------------------------------------------------------------------ */
/* Rule context                                                        */

bool xt_proto_is(const struct mr_rule *r, uint8_t proto)
{
	return (r->has & MR_HAS_PROTO) && !(r->inv & MR_INV_PROTO) &&
	       r->proto == proto;
}

bool xt_proto_nat_ports(const struct mr_rule *r)
{
	return xt_proto_is(r, XT_P_TCP) || xt_proto_is(r, XT_P_UDP) ||
	       xt_proto_is(r, XT_P_SCTP) || xt_proto_is(r, XT_P_DCCP);
}

int xt_once(struct mr_xctx *x, const struct mr_popt *o, const char *ext,
	    bool seen)
{
	char name[64];

	if (!seen)
		return 0;
	return erec_param(x->errs, &o->loc,
			  "%s: option \"%s\" can only be used once", ext,
			  opt_display(o, name, sizeof(name)));
}

int xt_no_inv(struct mr_xctx *x, const struct mr_popt *o, const char *ext)
{
	char name[64];

	if (!popt_neg(o))
		return 0;
	return erec_param(x->errs, o->neg ? &o->neg_loc : &o->args[0].neg_loc,
			  "%s: option \"%s\" cannot be inverted", ext,
			  opt_display(o, name, sizeof(name)));
}

int xt_missing(struct mr_xctx *x, const char *ext, const char *opt)
{
	return erec_param(x->errs, x->loc,
			  "%s: option \"--%s\" must be specified", ext, opt);
}

struct hookname {
	const char *chain;
	unsigned hook;
};

static const struct hookname hooknames[] = {
	{ "PREROUTING", XT_H_PRE }, { "INPUT", XT_H_IN },
	{ "FORWARD", XT_H_FWD }, { "OUTPUT", XT_H_OUT },
	{ "POSTROUTING", XT_H_POST },
};

/* Built-in chains per netfilter table, as XT_H_* bits. */
static unsigned table_hooks(uint8_t table)
{
	switch (table) {
	case MR_T_FILTER:
	case MR_T_SECURITY:
		return XT_H_IN | XT_H_FWD | XT_H_OUT;
	case MR_T_NAT:
		return XT_H_PRE | XT_H_IN | XT_H_OUT | XT_H_POST;
	case MR_T_MANGLE:
		return XT_H_PRE | XT_H_IN | XT_H_FWD | XT_H_OUT | XT_H_POST;
	case MR_T_RAW:
		return XT_H_PRE | XT_H_OUT;
	default:
		return 0;
	}
}

static void hook_list(char *s, size_t len, unsigned hooks)
{
	size_t i;

	s[0] = '\0';
	for (i = 0; i < sizeof(hooknames) / sizeof(hooknames[0]); i++) {
		if (!(hooks & hooknames[i].hook))
			continue;
		if (s[0])
			strncat(s, "/", len - strlen(s) - 1);
		strncat(s, hooknames[i].chain, len - strlen(s) - 1);
	}
}

int xt_check_place(struct mr_xctx *x, const char *what, unsigned hooks,
		   bool nat_only)
{
	char allowed[64];
	size_t i;

	if (x->table == MR_T_LEGACY || x->table >= MR_T_COUNT)
		return 0;
	if (nat_only && x->table != MR_T_NAT)
		return erec_param(x->errs, x->loc,
				  "%s: only valid in nat table, not %s", what,
				  ir_table_name(x->table));
	if (!x->chain)
		return 0;
	for (i = 0; i < sizeof(hooknames) / sizeof(hooknames[0]); i++) {
		const struct hookname *h = &hooknames[i];

		if (strcmp(x->chain, h->chain) ||
		    !(table_hooks(x->table) & h->hook))
			continue;
		if (hooks & h->hook)
			return 0;
		hook_list(allowed, sizeof(allowed), hooks);
		return erec_param(x->errs, x->loc,
				  "%s: used from chain %s, but only usable from %s",
				  what, x->chain, allowed);
	}
	return 0;	/* a user chain: depends on who jumps to it */
}

/* ------------------------------------------------------------------ */
/* Values                                                              */

int xt_parse_u32_mask(struct mr_xctx *x, const struct mr_popt *o,
		      const char *ext, bool mask_ok, uint32_t *val,
		      uint32_t *mask)
{
	const struct mr_word *w = &o->args[0];
	const char *slash = strchr(w->text, '/');
	unsigned long v, m = 0xffffffffUL;
	char head[32];
	char name[64];
	size_t n = slash ? (size_t)(slash - w->text) : strlen(w->text);

	if (n >= sizeof(head) || (slash && !mask_ok))
		goto bad;
	memcpy(head, w->text, n);
	head[n] = '\0';
	if (xt_strtoul(head, 0xffffffffUL, &v))
		goto bad;
	if (slash && xt_strtoul(slash + 1, 0xffffffffUL, &m))
		goto bad;
	*val = (uint32_t)v;
	*mask = (uint32_t)m;
	return 0;
bad:
	return erec_param(x->errs, &w->loc,
			  "%s: bad value for option \"%s\", or out of range (0-4294967295)",
			  ext, opt_display(o, name, sizeof(name)));
}

int xt_parse_prefix(struct mr_xctx *x, const struct mr_word *w,
		    struct mr_prefix *p)
{
	const char *why = NULL;

	if (addr_parse_prefix(w->text, x->family, MR_AS_IPTABLES, p, &why))
		return erec_param(x->errs, &w->loc, "%s `%s'",
				  why ? why : "host/network not found",
				  w->text);
	return 0;
}

int xt_parse_flaglist(struct mr_xctx *x, const struct mr_word *w,
		      const struct xt_flagname *tab, const char *errfmt,
		      uint32_t *out)
{
	const char *s = w->text;
	char item[64];
	size_t n, i;

	*out = 0;
	for (;;) {
		n = strcspn(s, ",");
		if (n == 0 || n >= sizeof(item))
			goto bad;
		memcpy(item, s, n);
		item[n] = '\0';
		for (i = 0; tab[i].name; i++)
			if (!strcasecmp(tab[i].name, item))
				break;
		if (!tab[i].name)
			goto bad;
		*out |= tab[i].bit;
		if (!s[n])
			return 0;
		s += n + 1;
	}
bad:
	if (n >= sizeof(item))
		n = sizeof(item) - 1;
	memcpy(item, s, n);
	item[n] = '\0';
	return erec_param(x->errs, &w->loc, errfmt, item);
}

void xt_print_flaglist(struct mr_buf *b, const struct xt_flagname *tab,
		       uint32_t bits)
{
	bool first = true;
	size_t i;

	for (i = 0; tab[i].name; i++) {
		if (!(bits & tab[i].bit) || !tab[i].bit)
			continue;
		if (!first)
			buf_addc(b, ',');
		buf_add(b, tab[i].name);
		first = false;
		bits &= ~tab[i].bit;	/* aliases print once */
	}
}
