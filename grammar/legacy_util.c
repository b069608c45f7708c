/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared pieces of the legacy dialects' evaluation: the number, address and
 * port syntax ipfwadm and ipchains had in common, skeletons of commands and
 * rules in the legacy model, port matches and the -b swap.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "addr.h"
#include "legacy_util.h"
#include "services.h"
#include "xt.h"

bool lg_number(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end || errno || v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool lg_dotted(const char *s, uint8_t out[4])
{
	char part[16];
	const char *dot;
	long v;
	int i;

	for (i = 0; i < 4; i++) {
		dot = i < 3 ? strchr(s, '.') : s + strlen(s);
		if (!dot || (size_t)(dot - s) >= sizeof(part))
			return false;
		memcpy(part, s, (size_t)(dot - s));
		part[dot - s] = '\0';
		if (!lg_number(part, 0, 255, &v))
			return false;
		out[i] = (uint8_t)v;
		s = dot + 1;
	}
	return true;
}

/* "/mask": dotted quad first, then a bit count, as parse_mask() did. */
static bool lg_mask(const char *m, uint8_t mask[16])
{
	long bits;

	memset(mask, 0, 16);
	if (lg_dotted(m, mask))
		return true;
	if (!lg_number(m, 0, 32, &bits))
		return false;
	addr_mask_from_len(mask, MR_FAM_IP, (unsigned)bits);
	return true;
}

/*
 * Strict dotted quads are read in decimal ("010.1.1.1" is 10.1.1.1); other
 * forms went to gethostbyname(), i.e. inet_aton (addr.c's legacy style).
 */
static bool lg_host(const char *h, uint8_t addr[4])
{
	struct mr_prefix tmp;
	const char *why;

	if (lg_dotted(h, addr))
		return true;
	if (strchr(h, '/') ||
	    addr_parse_prefix(h, MR_FAM_IP, MR_AS_LEGACY, &tmp, &why))
		return false;
	memcpy(addr, tmp.addr, 4);
	return true;
}

enum lg_addr_err lg_parse_addr(const char *s, struct mr_prefix *out,
			       const char **mask_text)
{
	char host[256];
	const char *slash = strrchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	int i;

	memset(out, 0, sizeof(*out));
	*mask_text = NULL;
	if (slash) {
		if (!lg_mask(slash + 1, out->mask)) {
			*mask_text = slash + 1;
			return LG_ADDR_BADMASK;
		}
	} else {
		addr_mask_from_len(out->mask, MR_FAM_IP, 32);
	}
	/* "any/0": a zero mask made the tools ignore the name */
	if (addr_is_zero(out->mask, MR_FAM_IP))
		return LG_ADDR_OK;
	if (n >= sizeof(host))
		return LG_ADDR_BADHOST;
	memcpy(host, s, n);
	host[n] = '\0';
	if (!lg_host(host, out->addr))
		return LG_ADDR_BADHOST;
	for (i = 0; i < 4; i++)
		out->addr[i] &= out->mask[i];
	return LG_ADDR_OK;
}

long lg_port(const char *s, uint8_t proto)
{
	long v;

	if (lg_number(s, 0, 65535, &v))
		return v;
	if (proto != LG_TCP && proto != LG_UDP)
		return -1;
	return services_port(s, proto);
}

struct mr_cmd *lg_cmd_new(uint8_t op, uint8_t dialect,
			  const struct mr_pcmd *p)
{
	struct mr_cmd *c = ir_cmd_new(op, dialect);

	c->family = MR_FAM_IP;
	c->table = MR_T_LEGACY;
	c->loc = p->loc;
	return c;
}

void lg_cmd_chain(struct mr_cmd *c, const char *name, const struct mr_loc *loc)
{
	free(c->chain);
	c->chain = ir_strdup(name);
	if (loc)
		c->chain_loc = *loc;
}

struct mr_rule *lg_rule_new(const struct mr_pcmd *p)
{
	struct mr_rule *r = ir_rule_new(MR_FAM_IP);

	r->loc = p->loc;
	return r;
}

void *lg_target(struct mr_rule *r, uint16_t kind, const struct mr_loc *loc)
{
	size_t size = 0;

	ir_target_free(&r->target);
	r->target.kind = kind;
	if (loc)
		r->target.loc = *loc;
	if (kind == MR_V_REJECT)
		size = sizeof(struct mr_t_reject);	/* MR_RJ_DEFAULT == 0 */
	else if (kind == MR_V_MASQ || kind == MR_V_REDIRECT)
		size = sizeof(struct mr_t_nat);
	if (size)
		r->target.data = ir_alloc(size);
	return r->target.data;
}

struct mr_match *lg_l4_match(struct mr_rule *r, const struct mr_loc *loc)
{
	uint16_t kind = r->proto == LG_TCP ? MR_M_TCP : MR_M_UDP;
	struct mr_match *m = ir_match_find(r, kind);

	if (m)
		return m;
	m = ir_match_add(r, kind, kind == MR_M_TCP ? sizeof(struct mr_m_tcp)
					     : sizeof(struct mr_m_udp));
	if (loc)
		m->loc = *loc;
	/* unset sides match everything */
	lg_l4_set(m, 0, (struct mr_range16){ 0, 65535 }, false);
	lg_l4_set(m, 1, (struct mr_range16){ 0, 65535 }, false);
	m->has = 0;
	return m;
}

static struct mr_range16 *lg_l4_range(struct mr_match *m, int side)
{
	if (m->kind == MR_M_TCP)
		return side ? &MR_MDATA(m, struct mr_m_tcp)->dport
			    : &MR_MDATA(m, struct mr_m_tcp)->sport;
	return side ? &MR_MDATA(m, struct mr_m_udp)->dport
		    : &MR_MDATA(m, struct mr_m_udp)->sport;
}

void lg_l4_set(struct mr_match *m, int side, struct mr_range16 rng, bool inv)
{
	uint16_t bit = LG_BIT(side ? MR_TCP_DPORT : MR_TCP_SPORT);

	*lg_l4_range(m, side) = rng;
	m->has |= bit;
	if (inv)
		m->inv |= bit;
	else
		m->inv &= (uint16_t)~bit;
}

extern const struct mr_xt xt_legacy_ports;

struct mr_match *lg_legacy_ports(struct mr_rule *r, const struct mr_loc *loc)
{
	struct mr_match *m = ir_match_add(r, xt_legacy_ports.kind,
					  xt_legacy_ports.size);

	if (loc)
		m->loc = *loc;
	return m;
}

/* Exchange bits a and b of *v. */
static void swap_bits(uint16_t *v, uint16_t a, uint16_t b)
{
	bool va = *v & a, vb = *v & b;

	*v &= (uint16_t)~(a | b);
	*v |= (uint16_t)((va ? b : 0) | (vb ? a : 0));
}

static void swap_match(struct mr_match *m)
{
	struct mr_range16 tmp;
	struct mr_m_multiport *mp;

	switch (m->kind) {
	case MR_M_TCP:
	case MR_M_UDP:
		tmp = *lg_l4_range(m, 0);
		*lg_l4_range(m, 0) = *lg_l4_range(m, 1);
		*lg_l4_range(m, 1) = tmp;
		swap_bits(&m->has, LG_BIT(MR_TCP_SPORT), LG_BIT(MR_TCP_DPORT));
		swap_bits(&m->inv, LG_BIT(MR_TCP_SPORT), LG_BIT(MR_TCP_DPORT));
		break;
	case MR_M_MULTIPORT:
		mp = MR_MDATA(m, struct mr_m_multiport);
		if (mp->dir != MR_MP_ANY)
			mp->dir = mp->dir == MR_MP_SRC ? MR_MP_DST : MR_MP_SRC;
		break;
	default:
		/* ICMP types and codes keep their meaning both ways */
		break;
	}
}

void lg_swap_sides(struct mr_rule *r)
{
	struct mr_prefix tmp = r->src;
	uint32_t has = r->has;
	uint16_t inv = r->inv;
	struct mr_match *m;

	r->src = r->dst;
	r->dst = tmp;
	r->has &= ~(uint32_t)(MR_HAS_SRC | MR_HAS_DST);
	r->has |= (has & MR_HAS_SRC ? MR_HAS_DST : 0) |
		  (has & MR_HAS_DST ? MR_HAS_SRC : 0);
	r->inv &= (uint16_t)~(MR_INV_SRC | MR_INV_DST);
	r->inv |= (uint16_t)((inv & MR_INV_SRC ? MR_INV_DST : 0) |
			     (inv & MR_INV_DST ? MR_INV_SRC : 0));
	for (m = r->matches; m; m = m->next)
		swap_match(m);
}

void lg_add_reverse(struct mr_rule *r)
{
	struct mr_rule *rev = ir_rule_clone(r);

	lg_swap_sides(rev);
	rev->next = r->next;
	r->next = rev;
}

const char *lg_basename(const char *s)
{
	const char *slash = s ? strrchr(s, '/') : NULL;

	return slash ? slash + 1 : s;
}
