/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Lowering of the legacy model (ipfwadm / ipchains, MR_T_LEGACY) so that
 * nftables runs it as the 2.0/2.2 kernels did (architecture.md section 4,
 * docs/lowering.md):
 *
 *  - input   -> filter prerouting -150: every received packet, forwarded
 *               ones too, replies still addressed to the masq port;
 *  - forward -> filter forward 0, -i/-W is the outgoing interface; MASQ
 *               sets a conntrack mark bit that nat postrouting masquerades
 *               (ports 61000-65095); replies of those connections pass;
 *  - output  -> filter postrouting 150: local and forwarded packets after
 *               masquerading (REJECT becomes drop: no reject there);
 *  - REDIRECT in input: the input chain compiled again into nat prerouting;
 *  - accounting -> counters at prerouting -160 (in) / postrouting 200 (out);
 *  - user chains are compiled once per built-in chain that reaches them,
 *    since -i, REJECT, MASQ and REDIRECT mean what the caller makes them.
 */
#include <stdlib.h>
#include <string.h>
#include "addr.h"
#include "ir_ext.h"
#include "lower.h"
#include "lower_int.h"

#define BIT(n) (1u << (n))

/* Compilation contexts: the legacy built-in chain a packet entered. */
enum lg_ctx { LG_IN, LG_FWD, LG_OUT, LG_RD, LG_NCTX };

struct lg_ctxdef {
	const char *src;	/* the legacy built-in chain */
	const char *base;	/* its lowered base chain */
	const char *prefix;	/* user chains compiled in this context */
	uint8_t type;
	int8_t hook;
	int16_t prio;
	bool iif_out;		/* r->iif is the outgoing interface */
};

static const struct lg_ctxdef lg_ctx[LG_NCTX] = {
	[LG_IN] = { "input", "input", "in_", MR_CHT_FILTER,
		    MR_HOOK_PREROUTING, LW_PRIO_MANGLE, false },
	[LG_FWD] = { "forward", "forward", "fwd_", MR_CHT_FILTER,
		     MR_HOOK_FORWARD, LW_PRIO_FILTER, true },
	[LG_OUT] = { "output", "output", "out_", MR_CHT_FILTER,
		     MR_HOOK_POSTROUTING, LW_PRIO_LEG_OUTPUT, true },
	/* the input chain again, deciding REDIRECT */
	[LG_RD] = { "input", "mr_redirect", "rd_", MR_CHT_NAT,
		    MR_HOOK_PREROUTING, LW_PRIO_DSTNAT, false },
};

/* Chains of the lowering's own. */
#define LG_MASQ		"mr_masq"
#define LG_MASQ_NAT	"mr_masquerade"
#define LG_REJ_PORT	"mr_reject_port"
#define LG_REJ_HOST	"mr_reject_host"
#define LG_PORTFW	"mr_portfw"
#define LG_ACCT_IN	"acct_in"
#define LG_ACCT_OUT	"acct_out"

/* ICMP type lists expand to one rule per type, up to this many. */
#define LG_MAXVAR 32

struct lg {
	struct lw *w;
	const struct mr_table *src;
	struct mr_table *dst;
	const struct mr_chain *builtin[LG_NCTX];
	const struct mr_chain *acct;
	unsigned nuser;
	const struct mr_chain **user;
	uint8_t *reach;		/* per user chain: BIT(ctx) reached */
	uint8_t *busy;		/* per user chain: BIT(ctx) being walked */
	bool masq;		/* forward can say MASQ */
	bool redirect;		/* input can say REDIRECT */
	bool rej_port, rej_host;	/* reject chains used */
	bool out_reject_warned;
};

/* ------------------------------------------------------------------ */
/* Which user chains each built-in chain reaches                       */

static int lg_user_index(const struct lg *g, const char *name)
{
	unsigned i;

	for (i = 0; i < g->nuser; i++)
		if (!strcmp(g->user[i]->name, name))
			return (int)i;
	return -1;
}

static void lg_walk(struct lg *g, int ctx, const struct mr_chain *c)
{
	const struct mr_rule *r;
	int i;

	for (r = c->rules; r; r = r->next) {
		if (r->target.kind == MR_V_MASQ && ctx == LG_FWD)
			g->masq = true;
		if (r->target.kind == MR_V_REDIRECT && ctx == LG_IN)
			g->redirect = true;
		if (r->target.kind != MR_V_JUMP && r->target.kind != MR_V_GOTO)
			continue;
		i = lg_user_index(g, r->target.chain);
		if (i < 0) {
			lw_error(g->w, &r->target.loc, "chain %s does not exist",
				 r->target.chain);
			continue;
		}
		if (g->busy[i] & BIT(ctx)) {
			/* 2.2 dropped looping packets at run time; nft refuses
			 * a looping ruleset when it is loaded */
			lw_error(g->w, &r->target.loc, "jump to %s makes a loop, which nftables refuses",
				 r->target.chain);
			continue;
		}
		if (g->reach[i] & BIT(ctx))
			continue;
		g->reach[i] |= BIT(ctx);
		g->busy[i] |= BIT(ctx);
		lg_walk(g, ctx, g->user[i]);
		g->busy[i] &= ~BIT(ctx);
	}
}

static void lg_analyse(struct lg *g)
{
	const struct mr_chain *c;
	int ctx;

	for (c = g->src->chains; c; c = c->next) {
		if (c->hook == MR_HOOK_ACCOUNTING)
			g->acct = c;
		else if (c->hook == MR_HOOK_INPUT)
			g->builtin[LG_IN] = g->builtin[LG_RD] = c;
		else if (c->hook == MR_HOOK_FORWARD)
			g->builtin[LG_FWD] = c;
		else if (c->hook == MR_HOOK_OUTPUT)
			g->builtin[LG_OUT] = c;
		else if (!c->builtin)
			g->nuser++;
	}
	g->user = ir_alloc((g->nuser + 1) * sizeof(*g->user));
	g->reach = ir_alloc(g->nuser + 1);
	g->busy = ir_alloc(g->nuser + 1);
	g->nuser = 0;
	for (c = g->src->chains; c; c = c->next)
		if (!c->builtin && c->hook != MR_HOOK_ACCOUNTING)
			g->user[g->nuser++] = c;
	for (ctx = LG_IN; ctx <= LG_OUT; ctx++)
		if (g->builtin[ctx])
			lg_walk(g, ctx, g->builtin[ctx]);
	if (g->builtin[LG_FWD] && g->builtin[LG_FWD]->policy == MR_V_MASQ)
		g->masq = true;
}

/* ------------------------------------------------------------------ */
/* Rule copies                                                         */

/*
 * A copy of r without its target and the fields the lowered model has no
 * use for, with the interface where the hook sees it.
 */
static struct mr_rule *lg_clone(const struct mr_rule *r, bool iif_out)
{
	struct mr_rule *c = ir_rule_clone(r);

	lw_verdict(c, MR_V_NONE);
	c->has &= ~(MR_HAS_ACCT_DIR | MR_HAS_VIAADDR);
	if (iif_out && (c->has & MR_HAS_IIF)) {
		memcpy(c->oif, c->iif, sizeof(c->oif));
		memset(c->iif, 0, sizeof(c->iif));
		c->has = (c->has & ~MR_HAS_IIF) | MR_HAS_OIF;
		if (c->inv & MR_INV_IIF)
			c->inv = (c->inv & ~MR_INV_IIF) | MR_INV_OIF;
	}
	return c;
}

/* ipfwadm -V (interface address) has no nftables test. */
static bool lg_via_ok(struct lg *g, const struct mr_rule *r)
{
	if (!(r->has & MR_HAS_VIAADDR) || addr_is_zero(r->viaaddr, MR_FAM_IP))
		return true;
	lw_error(g->w, &r->loc, "-V (interface address) cannot be lowered: nftables cannot match an interface by its address; use -W with the interface name");
	return false;
}

static void lg_match_unlink(struct mr_rule *r, struct mr_match *m)
{
	struct mr_match **pp;

	for (pp = &r->matches; *pp != m; pp = &(*pp)->next)
		;
	*pp = m->next;
	free(m);
}

static void lg_add_icmp(struct mr_rule *r, unsigned type, bool inv,
			int code_lo, int code_hi)
{
	struct mr_match *m = ir_match_add(r, MR_M_ICMP,
					  sizeof(struct mr_m_icmp));
	struct mr_m_icmp *ic = MR_MDATA(m, struct mr_m_icmp);

	ic->type = (uint8_t)type;
	m->has = BIT(MR_ICMP_TYPE);
	if (inv)
		m->inv = BIT(0);
	if (code_lo >= 0) {
		ic->code_lo = (uint8_t)code_lo;
		ic->code_hi = (uint8_t)code_hi;
		m->has |= BIT(MR_ICMP_CODE);
	}
}

/* Types of an ICMP list, as a bitmap; returns how many. */
static unsigned lg_icmp_types(const struct mr_portlist *pl, uint8_t set[32])
{
	unsigned i, t, n = 0;

	memset(set, 0, 32);
	for (i = 0; i < pl->n; i++) {
		for (t = pl->r[i].lo; t <= pl->r[i].hi && t <= 255; t++) {
			if (!(set[t / 8] & BIT(t % 8)))
				n++;
			set[t / 8] |= (uint8_t)BIT(t % 8);
		}
	}
	return n;
}

/*
 * ICMP type lists and ranges (MR_M_LEGACY_PORTS: types in sport, codes in
 * dport) become icmp matches: one rule per type, or one rule testing
 * "type != t" for each t of a negated list.  Returns the number of
 * variants stored in v (0: the rule never matches), -1 on error.  base is
 * consumed.
 */
static int lg_icmp_variants(struct lg *g, struct mr_rule *base,
			    struct mr_rule **v)
{
	struct mr_match *m = ir_match_find(base, MR_M_LEGACY_PORTS);
	const struct mr_m_legacy_ports *lp;
	bool has_t, has_c, tinv, cinv;
	int clo = -1, chi = -1, n = 0;
	uint8_t set[32];
	unsigned t, ntypes = 0;

	v[0] = base;
	if (!m || base->proto != 1 || (base->inv & MR_INV_PROTO))
		return 1;
	lp = MR_MDATA(m, const struct mr_m_legacy_ports);
	has_t = (m->has & BIT(0)) && lp->sport.n;
	has_c = (m->has & BIT(1)) && lp->dport.n;
	tinv = m->inv & BIT(0);
	cinv = m->inv & BIT(1);
	if (has_t && (ntypes = lg_icmp_types(&lp->sport, set)) == 256) {
		if (tinv)
			goto never;
		has_t = false;
	}
	if (has_c) {
		if (lp->dport.n != 1)
			goto fail;
		clo = lp->dport.r[0].lo > 255 ? 255 : lp->dport.r[0].lo;
		chi = lp->dport.r[0].hi > 255 ? 255 : lp->dport.r[0].hi;
		if (clo == 0 && chi == 255 && !cinv)
			has_c = false, clo = chi = -1;
	}
	if ((has_c && (cinv || !has_t || tinv)) ||
	    (!tinv && ntypes > LG_MAXVAR))
		goto fail;
	lg_match_unlink(base, m);
	if (!has_t)
		return 1;
	for (t = 0; t < 256; t++) {
		if (!(set[t / 8] & BIT(t % 8)))
			continue;
		if (tinv) {
			lg_add_icmp(base, t, true, -1, -1);
			continue;
		}
		v[n] = ir_rule_clone(base);
		lg_add_icmp(v[n++], t, false, clo, chi);
	}
	if (tinv)
		return 1;
	ir_rule_free(base);
	return n;
never:
	ir_rule_free(base);
	return 0;
fail:
	lw_error(g->w, &m->loc, "this ICMP type/code combination cannot be lowered to nftables");
	ir_rule_free(base);
	return -1;
}

/* ------------------------------------------------------------------ */
/* Verdicts                                                            */

/* REJECT, MASQ and REDIRECT (targets and policies) in a filter context. */
static int lg_special(struct lg *g, int ctx, uint16_t k,
		      const struct mr_loc *loc, struct mr_rule *out)
{
	switch (k) {
	case MR_V_ACCEPT:
	case MR_V_DROP:
		lw_verdict(out, k);
		return 0;
	case MR_V_REJECT:
		if (ctx == LG_IN || ctx == LG_FWD) {
			*(ctx == LG_IN ? &g->rej_port : &g->rej_host) = true;
			lw_jump(out, MR_V_JUMP, ctx == LG_IN ? LG_REJ_PORT :
				LG_REJ_HOST);
			return 0;
		}
		if (!g->out_reject_warned)
			lw_warn(g->w, loc, "REJECT in the output chain is lowered to drop: masqrule runs the output chain at postrouting (to see forwarded packets after masquerading as 2.2 did), where nftables cannot reject; local senders still get EPERM");
		g->out_reject_warned = true;
		lw_verdict(out, MR_V_DROP);
		return 0;
	case MR_V_MASQ:
		if (ctx == LG_FWD) {
			lw_jump(out, MR_V_JUMP, LG_MASQ);
			return 0;
		}
		lw_warn(g->w, loc, "MASQ reached from the %s chain: the 2.2 kernel dropped such packets; lowered to drop",
			lg_ctx[ctx].src);
		lw_verdict(out, MR_V_DROP);
		return 0;
	case MR_V_REDIRECT:
		/* the nat copy of the input chain (LG_RD) redirects */
		if (ctx == LG_IN) {
			lw_verdict(out, MR_V_ACCEPT);
			return 0;
		}
		lw_warn(g->w, loc, "REDIRECT reached from the %s chain: the 2.2 kernel redirected in input only; lowered to drop",
			lg_ctx[ctx].src);
		lw_verdict(out, MR_V_DROP);
		return 0;
	}
	lw_error(g->w, loc, "target %s cannot be lowered to nftables",
		 ir_verdict_name(k));
	return -1;
}

static int lg_filter_verdict(struct lg *g, int ctx, bool base,
			     const struct mr_rule *r, struct mr_rule *out)
{
	uint16_t k = r->target.kind;
	char *name;

	switch (k) {
	case MR_V_NONE:
	case MR_V_ACCEPT:
	case MR_V_DROP:
		lw_verdict(out, k);
		return 0;
	case MR_V_RETURN:
		/* RETURN in a built-in chain: its policy */
		if (base)
			return lg_special(g, ctx, g->builtin[ctx]->policy,
					  &r->target.loc, out);
		lw_verdict(out, MR_V_RETURN);
		return 0;
	case MR_V_JUMP:
	case MR_V_GOTO:
		name = lw_chain_name(lg_ctx[ctx].prefix, r->target.chain);
		lw_jump(out, k, name);
		free(name);
		return 0;
	}
	return lg_special(g, ctx, k, &r->target.loc, out);
}

/* ------------------------------------------------------------------ */
/* Side actions                                                        */

enum {
	LG_SIDE = MR_HAS_LOGFLAG | MR_HAS_COPY | MR_HAS_FWMARK | MR_HAS_TOS,
};

/* A rule with main's matches that only does something on the side. */
static struct mr_rule *lg_extra(const struct mr_rule *main, uint32_t keep)
{
	struct mr_rule *e = ir_rule_clone(main);

	lw_verdict(e, MR_V_NONE);
	e->has &= ~((LG_SIDE & ~keep) | MR_HAS_COUNTERS);
	e->pkts = e->bytes = 0;
	return e;
}

/*
 * ipchains -m +N / -m -N: nft has no arithmetic on marks.  Lowered to the
 * case that is exact: a mark of 0 becomes N (+N), a mark of N becomes 0
 * (-N) -- what a packet marked by one rule sees.
 */
static struct mr_rule *lg_mark_arith(struct lg *g, const struct mr_rule *r,
				     const struct mr_rule *main)
{
	struct mr_rule *e = lg_extra(main, 0);
	struct mr_match *m = ir_match_add(e, MR_M_MARK,
					  sizeof(struct mr_m_mark));
	bool add = r->fwmark_op == MR_FWM_ADD;

	m->has = 1;
	MR_MDATA(m, struct mr_m_mark)->value = add ? 0 : r->fwmark;
	MR_MDATA(m, struct mr_m_mark)->mask = 0xffffffffu;
	e->has |= MR_HAS_FWMARK;
	e->fwmark_op = MR_FWM_SET;
	e->fwmark = add ? r->fwmark : 0;
	lw_warn(g->w, &r->loc, "-m %c%u: nftables cannot add to or subtract from a mark; lowered as \"mark %u becomes %u\", which is exact for packets no other rule marked",
		add ? '+' : '-', r->fwmark, add ? 0 : r->fwmark,
		add ? r->fwmark : 0);
	return e;
}

/*
 * -t and xor: TOS = (TOS & and) ^ xor.  nft sets the DSCP bits (the upper
 * six) to a constant only, so a rule that replaces them all becomes
 * "ip dscp set"; the two low bits are ECN's today and are left alone.
 */
static struct mr_rule *lg_tos(struct lg *g, const struct mr_rule *r,
			      const struct mr_rule *main)
{
	struct mr_rule *e;
	struct mr_t_dscp *t;

	if ((r->tos_and & 0xfc) == 0xfc && !(r->tos_xor & 0xfc))
		return NULL;	/* DSCP unchanged */
	if (r->tos_and & 0xfc) {
		lw_warn(g->w, &r->loc, "-t 0x%02x 0x%02x changes some TOS bits and keeps others: nftables sets the DSCP bits to a constant only; the TOS change is left out",
			r->tos_and, r->tos_xor);
		return NULL;
	}
	if (r->tos_xor & 0x02)
		lw_warn(g->w, &r->loc, "-t 0x%02x 0x%02x: TOS bit 0x02 is ECN's today and is left alone",
			r->tos_and, r->tos_xor);
	e = lg_extra(main, 0);
	t = lw_target(e, MR_V_DSCP, sizeof(*t));
	t->dscp = r->tos_xor >> 2;
	return e;
}

static bool lg_dies(const struct mr_rule *r)
{
	return r->target.kind == MR_V_DROP ||
	       (r->target.kind == MR_V_JUMP &&
		(!strcmp(r->target.chain, LG_REJ_PORT) ||
		 !strcmp(r->target.chain, LG_REJ_HOST)));
}

/*
 * The rules of one variant in a filter context: logging first (2.2 logged
 * before changing the packet), then mark and TOS changes nft cannot make
 * in the same rule, then the rule itself.  print_rule_nft() prints the
 * side actions left in main (log, log group, mark set) before the verdict.
 */
static void lg_emit(struct lg *g, const struct mr_rule *r,
		    struct mr_rule *main, struct mr_chain *dst)
{
	bool arith = (main->has & MR_HAS_FWMARK) && main->fwmark_op != MR_FWM_SET;
	bool tos = (main->has & MR_HAS_TOS) && !lg_dies(main);
	struct mr_rule *e;

	if ((main->has & (MR_HAS_LOGFLAG | MR_HAS_COPY)) && (arith || tos)) {
		lw_append(dst, lg_extra(main, MR_HAS_LOGFLAG | MR_HAS_COPY));
		main->has &= ~(MR_HAS_LOGFLAG | MR_HAS_COPY);
	}
	if (arith) {
		lw_append(dst, lg_mark_arith(g, r, main));
		main->has &= ~MR_HAS_FWMARK;
	}
	if (tos && (e = lg_tos(g, r, main)))
		lw_append(dst, e);
	main->has &= ~MR_HAS_TOS;
	lw_append(dst, main);
}

/* ------------------------------------------------------------------ */
/* Chains                                                              */

static void lg_rule_filter(struct lg *g, int ctx, bool base,
			   const struct mr_rule *r, struct mr_chain *dst)
{
	struct mr_rule *v[LG_MAXVAR];
	int n, i;

	if (!lg_via_ok(g, r))
		return;
	n = lg_icmp_variants(g, lg_clone(r, lg_ctx[ctx].iif_out), v);
	for (i = 0; i < n; i++) {
		if (lg_filter_verdict(g, ctx, base, r, v[i]) < 0) {
			ir_rule_free(v[i]);
			continue;
		}
		lg_emit(g, r, v[i], dst);
	}
}

/* REDIRECT [port]: nft needs a transport protocol for a port. */
static void lg_redirect(struct lg *g, const struct mr_rule *r,
			struct mr_rule *v, struct mr_chain *dst)
{
	const struct mr_t_nat *src = r->target.data;
	static const uint8_t l4[] = { 6, 17 };
	struct mr_t_nat *nat;
	struct mr_rule *c;
	size_t i;

	nat = lw_target(v, MR_V_REDIRECT, sizeof(*nat));
	if (src && (src->flags & MR_NAT_PORTS) && src->min_port) {
		nat->flags = MR_NAT_PORTS;
		nat->min_port = src->min_port;
		nat->max_port = src->max_port ? src->max_port : src->min_port;
	}
	if (!(nat->flags & MR_NAT_PORTS) ||
	    ((v->has & MR_HAS_PROTO) && !(v->inv & MR_INV_PROTO) &&
	     (v->proto == 6 || v->proto == 17))) {
		lw_append(dst, v);
		return;
	}
	if (v->has & MR_HAS_PROTO) {
		lw_error(g->w, &r->loc, "REDIRECT to a port needs protocol tcp or udp");
		ir_rule_free(v);
		return;
	}
	for (i = 0; i < sizeof(l4); i++) {
		c = ir_rule_clone(v);
		c->has |= MR_HAS_PROTO;
		c->proto = l4[i];
		lw_append(dst, c);
	}
	ir_rule_free(v);
}

/*
 * The nat copy of the input chain: the first match decides REDIRECT,
 * every other verdict leaves the packet alone.  No counters or side
 * actions: the filter chain did those.
 */
static void lg_rule_rd(struct lg *g, bool base, const struct mr_rule *r,
		       struct mr_chain *dst)
{
	uint16_t k = r->target.kind;
	struct mr_rule *v[LG_MAXVAR];
	char *name;
	int n, i;

	if (k == MR_V_NONE || (r->has & MR_HAS_VIAADDR))
		return;
	n = lg_icmp_variants(g, lg_clone(r, false), v);
	for (i = 0; i < n; i++) {
		v[i]->has &= ~(LG_SIDE | MR_HAS_COUNTERS);
		v[i]->pkts = v[i]->bytes = 0;
		if (k == MR_V_REDIRECT) {
			lg_redirect(g, r, v[i], dst);
			continue;
		}
		if (k == MR_V_JUMP || k == MR_V_GOTO) {
			name = lw_chain_name(lg_ctx[LG_RD].prefix, r->target.chain);
			lw_jump(v[i], k, name);
			free(name);
		} else {
			lw_verdict(v[i], k == MR_V_RETURN && !base ?
				   MR_V_RETURN : MR_V_ACCEPT);
		}
		lw_append(dst, v[i]);
	}
}

static void lg_rules(struct lg *g, int ctx, bool base,
		     const struct mr_chain *src, struct mr_chain *dst)
{
	const struct mr_rule *r;

	for (r = src->rules; r; r = r->next) {
		if (ctx == LG_RD)
			lg_rule_rd(g, base, r, dst);
		else
			lg_rule_filter(g, ctx, base, r, dst);
	}
}

/*
 * 2.2 behaviour the forward chain must make explicit, before the user's
 * rules.
 */
static void lg_forward_implicit(struct lg *g, struct mr_chain *fwd)
{
	struct mr_m_conntrack *ct;
	struct mr_rule *r;

	if (!g->masq)
		return;
	/* replies of masqueraded connections (and ICMP errors about them)
	 * were demasqueraded after input and went straight to output */
	r = lw_rule_new(NULL);
	ct = lw_match_ct(r, BIT(MR_CTM_DIR));
	ct->dir_reply = 1;
	lw_match_ctmark(r, LW_MASQ_CTMARK, LW_MASQ_CTMARK);
	lw_verdict(r, MR_V_ACCEPT);
	lw_append(fwd, r);
	if (!g->w->rs->helpers)
		return;
	/* so were the connections a helper let in for a masqueraded client
	 * (active FTP data): they inherit the master's mark */
	r = lw_rule_new(NULL);
	ct = lw_match_ct(r, BIT(MR_CTM_DIR) | BIT(MR_CTM_STATE) |
			 BIT(MR_CTM_STATUS));
	ct->states = MR_CT_DNAT;
	ct->status = MR_CTS_EXPECTED;
	lw_match_ctmark(r, LW_MASQ_CTMARK, LW_MASQ_CTMARK);
	lw_verdict(r, MR_V_ACCEPT);
	lw_append(fwd, r);
}

static struct mr_rule *lg_portfw_match(const struct mr_portfw *pf, bool local)
{
	struct mr_rule *r = lw_rule_new(NULL);
	struct mr_match *m;
	struct mr_range16 port;

	r->has |= MR_HAS_PROTO | MR_HAS_DST;
	r->proto = pf->proto;
	memcpy(r->dst.addr, local ? pf->laddr : pf->raddr, 4);
	memset(r->dst.mask, 0xff, 4);
	port.lo = port.hi = local ? pf->lport : (pf->rport ? pf->rport : pf->lport);
	if (pf->proto == 6) {
		m = ir_match_add(r, MR_M_TCP, sizeof(struct mr_m_tcp));
		MR_MDATA(m, struct mr_m_tcp)->dport = port;
	} else {
		m = ir_match_add(r, MR_M_UDP, sizeof(struct mr_m_udp));
		MR_MDATA(m, struct mr_m_udp)->dport = port;
	}
	m->has = BIT(MR_TCP_DPORT);
	return r;
}

static bool lg_portfw_ok(const struct mr_portfw *pf)
{
	return (pf->proto == 6 || pf->proto == 17) && pf->has_laddr &&
	       pf->has_raddr && pf->lport;
}

/* Port-forwarded connections were demasqueraded on the way in: their
 * packets from outside never saw the forward chain. */
static void lg_forward_portfw(struct lg *g, struct mr_chain *fwd)
{
	const struct mr_portfw_list *p;
	struct mr_m_conntrack *ct;
	struct mr_rule *r;

	for (p = g->w->rs->portfws; p; p = p->next) {
		if (!lg_portfw_ok(&p->pf))
			continue;
		r = lg_portfw_match(&p->pf, false);
		ct = lw_match_ct(r, BIT(MR_CTM_DIR) | BIT(MR_CTM_STATE));
		ct->states = MR_CT_DNAT;
		lw_verdict(r, MR_V_ACCEPT);
		lw_append(fwd, r);
	}
}

/* The built-in chain's policy as nft policy plus, for REJECT and MASQ,
 * a last rule. */
static void lg_policy(struct lg *g, int ctx, const struct mr_chain *src,
		      struct mr_chain *dst)
{
	struct mr_rule *r;

	if (ctx == LG_RD || src->policy == MR_V_ACCEPT ||
	    src->policy == MR_V_DROP)
		return;
	dst->policy = src->policy == MR_V_MASQ ? MR_V_ACCEPT : MR_V_DROP;
	r = lw_rule_new(NULL);
	if (lg_special(g, ctx, src->policy, NULL, r) < 0 ||
	    r->target.kind == MR_V_DROP) {
		ir_rule_free(r);
		dst->policy = MR_V_DROP;
		return;
	}
	lw_append(dst, r);
}

/* An empty built-in chain with policy ACCEPT changes nothing. */
static bool lg_used(const struct lg *g, int ctx, const struct mr_chain *c)
{
	return c && (c->rules || c->policy != MR_V_ACCEPT ||
		     (ctx == LG_FWD && (g->masq || g->w->rs->portfws)));
}

static void lg_context(struct lg *g, int ctx)
{
	const struct mr_chain *src = g->builtin[ctx];
	const struct lg_ctxdef *d = &lg_ctx[ctx];
	struct mr_chain *dst;
	unsigned i;
	char *name;

	if (!lg_used(g, ctx, src))
		return;
	dst = lw_base_chain(g->dst, d->base, d->type, d->hook, d->prio,
			    ctx == LG_RD || src->policy != MR_V_DROP ?
			    MR_V_ACCEPT : MR_V_DROP);
	if (ctx == LG_FWD) {
		lg_forward_implicit(g, dst);
		lg_forward_portfw(g, dst);
	}
	lg_rules(g, ctx, true, src, dst);
	lg_policy(g, ctx, src, dst);
	for (i = 0; i < g->nuser; i++) {
		if (!(g->reach[i] & BIT(ctx == LG_RD ? LG_IN : ctx)))
			continue;
		name = lw_chain_name(d->prefix, g->user[i]->name);
		dst = lw_user_chain(g->dst, name);
		free(name);
		lg_rules(g, ctx, false, g->user[i], dst);
	}
}

/* ipfwadm -A: count in the direction(s) the rule says, nothing else. */
static void lg_accounting(struct lg *g)
{
	struct mr_chain *in = NULL, *out = NULL, **dst;
	const struct mr_rule *r;
	struct mr_rule *v[LG_MAXVAR];
	uint8_t dir;
	int d, n, i;

	if (!g->acct)
		return;
	for (r = g->acct->rules; r; r = r->next) {
		dir = (r->has & MR_HAS_ACCT_DIR) ? r->acct_dir :
		      MR_ACCT_IN | MR_ACCT_OUT;
		if (!lg_via_ok(g, r))
			continue;
		for (d = 0; d < 2; d++) {
			if (!(dir & (d ? MR_ACCT_OUT : MR_ACCT_IN)))
				continue;
			dst = d ? &out : &in;
			if (!*dst)
				*dst = lw_base_chain(g->dst, d ? LG_ACCT_OUT : LG_ACCT_IN,
						     MR_CHT_FILTER, d ? MR_HOOK_POSTROUTING :
						     MR_HOOK_PREROUTING, d ? LW_PRIO_ACCT_OUT :
						     LW_PRIO_ACCT_IN, MR_V_ACCEPT);
			n = lg_icmp_variants(g, lg_clone(r, d), v);
			for (i = 0; i < n; i++)
				lw_append(*dst, v[i]);
		}
	}
}

/* ------------------------------------------------------------------ */
/* Chains of the lowering's own                                        */

/* Forward said MASQ: mark the connection and accept; nat postrouting
 * masquerades marked connections, tcp/udp from the 2.2 port range. */
static void lg_masq_chains(struct lg *g)
{
	static const uint8_t l4[] = { 6, 17 };
	struct mr_chain *c = lw_user_chain(g->dst, LG_MASQ);
	struct mr_t_connmark *cm;
	struct mr_t_nat *nat;
	struct mr_rule *r;
	size_t i;

	r = lw_rule_new(NULL);
	cm = lw_target(r, MR_V_CONNMARK, sizeof(*cm));
	cm->mode = MR_CONNMARK_SET;
	cm->value = cm->ctmask = LW_MASQ_CTMARK;
	cm->nfmask = 0xffffffffu;
	lw_append(c, r);
	r = lw_rule_new(NULL);
	lw_verdict(r, MR_V_ACCEPT);
	lw_append(c, r);

	c = lw_base_chain(g->dst, LG_MASQ_NAT, MR_CHT_NAT, MR_HOOK_POSTROUTING,
			  LW_PRIO_SRCNAT, MR_V_ACCEPT);
	for (i = 0; i <= sizeof(l4); i++) {
		r = lw_rule_new(NULL);
		lw_match_ctmark(r, LW_MASQ_CTMARK, LW_MASQ_CTMARK);
		nat = lw_target(r, MR_V_MASQ, sizeof(*nat));
		if (i < sizeof(l4)) {
			/* nft takes a port range only after a protocol */
			r->has |= MR_HAS_PROTO;
			r->proto = l4[i];
			nat->flags = MR_NAT_PORTS;
			nat->min_port = g->w->rs->masq_port_lo ?
					g->w->rs->masq_port_lo : MR_LEGACY_MASQ_LO;
			nat->max_port = g->w->rs->masq_port_hi ?
					g->w->rs->masq_port_hi : MR_LEGACY_MASQ_HI;
		}
		lw_append(c, r);
	}
}

/* 2.2 REJECT answered with an ICMP error, except to ICMP packets. */
static void lg_reject_chain(struct lg *g, const char *name, uint8_t with)
{
	struct mr_chain *c = lw_user_chain(g->dst, name);
	struct mr_t_reject *rj;
	struct mr_rule *r;

	r = lw_rule_new(NULL);
	r->has |= MR_HAS_PROTO;
	r->proto = 1;
	lw_verdict(r, MR_V_DROP);
	lw_append(c, r);
	r = lw_rule_new(NULL);
	rj = lw_target(r, MR_V_REJECT, sizeof(*rj));
	rj->with = with;
	lw_append(c, r);
}

void lower_legacy(struct lw *w, const struct mr_table *t)
{
	struct lg g = { .w = w, .src = t };
	int ctx;

	if (t->family != MR_FAM_IP) {
		lw_error(w, NULL, "the legacy model is IPv4 only");
		return;
	}
	g.dst = lw_table(w, MR_FAM_IP);
	lg_analyse(&g);
	lg_accounting(&g);
	for (ctx = LG_IN; ctx <= LG_OUT; ctx++)
		lg_context(&g, ctx);
	if (g.redirect)
		lg_context(&g, LG_RD);
	if (g.masq)
		lg_masq_chains(&g);
	if (g.rej_port)
		lg_reject_chain(&g, LG_REJ_PORT, MR_RJ_PORT_UNREACH);
	if (g.rej_host)
		lg_reject_chain(&g, LG_REJ_HOST, MR_RJ_HOST_UNREACH);
	free(g.user);
	free(g.reach);
	free(g.busy);
}

/* ------------------------------------------------------------------ */
/* Port forwards (ipmasqadm portfw, ipportfw)                          */

static bool portfw_same(const struct mr_portfw *a, const struct mr_portfw *b)
{
	return a->proto == b->proto && a->lport == b->lport &&
	       !memcmp(a->laddr, b->laddr, 4);
}

/* DNAT in nat prerouting, after the REDIRECT copy of the input chain
 * (2.2 redirected in the input chain, before demasquerading). */
void lower_portfws(struct lw *w)
{
	const struct mr_portfw_list *p, *q;
	struct mr_chain *c = NULL;
	struct mr_t_nat *nat;
	struct mr_rule *r;

	for (p = w->rs->portfws; p; p = p->next) {
		if (!lg_portfw_ok(&p->pf)) {
			lw_warn(w, NULL, "port forward without protocol, local address, local port or destination: left out");
			continue;
		}
		for (q = w->rs->portfws; q != p && !portfw_same(&q->pf, &p->pf);
		     q = q->next)
			;
		if (q != p) {
			lw_warn(w, NULL, "port forwards sharing one local port: nftables gets the first one only (no load balancing by preference)");
			continue;
		}
		if (!c)
			c = lw_base_chain(lw_table(w, MR_FAM_IP), LG_PORTFW,
					  MR_CHT_NAT, MR_HOOK_PREROUTING,
					  LW_PRIO_PORTFW, MR_V_ACCEPT);
		r = lg_portfw_match(&p->pf, true);
		nat = lw_target(r, MR_V_DNAT, sizeof(*nat));
		nat->flags = MR_NAT_ADDR | MR_NAT_PORTS;
		memcpy(nat->min_addr, p->pf.raddr, 4);
		memcpy(nat->max_addr, p->pf.raddr, 4);
		nat->min_port = nat->max_port = p->pf.rport ? p->pf.rport :
						p->pf.lport;
		lw_append(c, r);
	}
}
