/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The multiport match (revision 1): --sports, --dports or --ports with a
 * list of up to 15 ports, where a range a:b counts as two.
 */
#include <string.h>
#include "services.h"
#include "xt_util.h"

static const struct mr_optdef mp_opts[] = {
	{ "source-ports", 0, MR_A1, MR_OF_INV, MR_MP_SRC },
	{ "sports", 0, MR_A1, MR_OF_INV, MR_MP_SRC },
	{ "destination-ports", 0, MR_A1, MR_OF_INV, MR_MP_DST },
	{ "dports", 0, MR_A1, MR_OF_INV, MR_MP_DST },
	{ "ports", 0, MR_A1, MR_OF_INV, MR_MP_ANY },
	{ NULL, 0, 0, 0, 0 },
};

#define GIVEN 1u	/* has bit: an option was given */
#define INV 1u

/* One list element "p" or "a:b"; services for the rule's protocol. */
static int parse_elem(struct mr_xctx *x, const struct mr_word *w,
		      const char *s, size_t len, struct mr_range16 *r)
{
	struct mr_word part = *w;
	char buf[64];
	int rc;

	if (len == 0 || len >= sizeof(buf))
		return erec_param(x->errs, &w->loc,
				  "invalid port/service `%s' specified",
				  w->text);
	memcpy(buf, s, len);
	buf[len] = '\0';
	part.text = buf;
	/* multiport wants both ends of a range */
	if (buf[0] == ':' || buf[len - 1] == ':')
		return erec_param(x->errs, &w->loc,
				  "invalid port/service `%s' specified", buf);
	rc = xt_parse_port_range(x, &part, x->rule->proto, r);
	if (!rc && strchr(buf, ':') && r->lo >= r->hi)
		return erec_param(x->errs, &w->loc,
				  "invalid portrange specified");
	return rc;
}

static int mp_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_m_multiport *mp = MR_MDATA(x->match, struct mr_m_multiport);
	struct mr_match *m = x->match;
	const struct mr_word *w = &o->args[0];
	const char *s = w->text;
	unsigned used = 0;
	size_t n;

	if (m->has & GIVEN)
		return erec_param(x->errs, &o->loc,
				  "multiport can only have one option");
	mp->dir = (uint8_t)o->def->id;
	mp->ports.n = 0;
	for (;;) {
		struct mr_range16 r;

		n = strcspn(s, ",");
		if (parse_elem(x, w, s, n, &r))
			return -1;
		used += r.lo == r.hi ? 1 : 2;
		if (used > MR_MAX_PORTS)
			return erec_param(x->errs, &w->loc,
					  "too many ports specified");
		mp->ports.r[mp->ports.n++] = r;
		if (!s[n])
			break;
		s += n + 1;
	}
	m->has |= GIVEN;
	if (popt_neg(o))
		m->inv |= INV;
	return 0;
}

static bool mp_proto_ok(const struct mr_rule *r)
{
	return xt_proto_is(r, XT_P_TCP) || xt_proto_is(r, XT_P_UDP) ||
	       xt_proto_is(r, XT_P_UDPLITE) || xt_proto_is(r, XT_P_SCTP) ||
	       xt_proto_is(r, XT_P_DCCP);
}

static int mp_check(struct mr_xctx *x)
{
	if (!(x->match->has & GIVEN))
		return erec_param(x->errs, x->loc,
				  "multiport expects an option");
	if (!mp_proto_ok(x->rule))
		return erec_param(x->errs, x->loc,
				  "multiport needs `-p tcp', `-p udp', `-p udplite', `-p sctp' or `-p dccp'");
	return 0;
}

static void print_list(struct mr_buf *b, const struct mr_portlist *l,
		       void (*pr)(struct mr_buf *, const struct mr_range16 *),
		       const char *sep)
{
	unsigned i;

	for (i = 0; i < l->n; i++) {
		if (i)
			buf_add(b, sep);
		pr(b, &l->r[i]);
	}
}

static void mp_save(struct mr_buf *b, const struct mr_rule *r,
		    const struct mr_match *m)
{
	const struct mr_m_multiport *mp =
		MR_MDATA(m, const struct mr_m_multiport);
	static const char *const opt[] = {
		[MR_MP_SRC] = "sports", [MR_MP_DST] = "dports",
		[MR_MP_ANY] = "ports",
	};

	(void)r;
	buf_printf(b, "%s --%s ", m->inv & INV ? " !" : "",
		   opt[mp->dir <= MR_MP_ANY ? mp->dir : MR_MP_ANY]);
	print_list(b, &mp->ports, xt_save_range, ",");
}

/* --ports: "sport . dport { 0-65535 . p, p . 0-65535, ... }" */
static void xlate_any(struct mr_buf *b, const char *pn,
		      const struct mr_m_multiport *mp, bool inv)
{
	unsigned i;

	buf_printf(b, "%s sport . %s dport %s{ ", pn, pn, inv ? "!= " : "");
	for (i = 0; i < mp->ports.n; i++) {
		if (i)
			buf_add(b, ", ");
		buf_add(b, "0-65535 . ");
		xt_nft_range(b, &mp->ports.r[i]);
		buf_add(b, ", ");
		xt_nft_range(b, &mp->ports.r[i]);
		buf_add(b, " . 0-65535");
	}
	buf_add(b, " } ");
}

static bool mp_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_m_multiport *mp =
		MR_MDATA(m, const struct mr_m_multiport);
	const char *pn = proto_name(x->rule->proto);
	bool inv = m->inv & INV;
	struct mr_buf *b = x->b;

	if (!pn || !(x->rule->has & MR_HAS_PROTO))
		return false;
	if (mp->dir == MR_MP_ANY) {
		xlate_any(b, pn, mp, inv);
		return true;
	}
	buf_printf(b, "%s %s %s", pn, mp->dir == MR_MP_SRC ? "sport" : "dport",
		   inv ? "!= " : "");
	if (mp->ports.n == 1) {
		xt_nft_range(b, &mp->ports.r[0]);
	} else {
		buf_add(b, "{ ");
		print_list(b, &mp->ports, xt_nft_range, ", ");
		buf_add(b, " }");
	}
	buf_addc(b, ' ');
	return true;
}

const struct mr_xt xt_multiport = {
	.name = "multiport",
	.kind = MR_M_MULTIPORT,
	.size = sizeof(struct mr_m_multiport),
	.opts = mp_opts,
	.parse = mp_parse,
	.check = mp_check,
	.save = mp_save,
	.xlate = mp_xlate,
};
