/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The engine object: configuration, loading a ruleset, counters, listing. */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include "helper.h"
#include "model.h"

#define ENG_MAX_HELPERS 16

static uint32_t plen_mask(uint8_t plen)
{
	uint32_t m = plen ? ~0u << (32 - (plen > 32 ? 32 : plen)) : 0;
	uint8_t b[4] = { (uint8_t)(m >> 24), (uint8_t)(m >> 16),
			 (uint8_t)(m >> 8), (uint8_t)m };

	memcpy(&m, b, 4);
	return m;
}

static uint64_t random_seed(void)
{
	uint64_t s = 0;

	if (getrandom(&s, sizeof(s), 0) != sizeof(s) || !s)
		s = 0x9e3779b97f4a7c15ull ^ (uint64_t)(uintptr_t)&s;
	return s;
}

struct eng *eng_new(const struct eng_config *cfg)
{
	struct eng *e = calloc(1, sizeof(*e));
	struct masq_cfg mc = { 0 };
	unsigned i;

	if (!e || cfg->nifs > ENG_MAX_IF) {
		free(e);
		return NULL;
	}
	e->cfg = *cfg;
	if (!e->cfg.seed)
		e->cfg.seed = random_seed();
	for (i = 0; i < cfg->nifs; i++) {
		e->mask[i] = plen_mask(cfg->ifs[i].plen);
		if (!e->cfg.ifs[i].mtu)
			e->cfg.ifs[i].mtu = 1500;
	}
	mc.max_conns = cfg->max_conns;
	mc.max_per_host = cfg->max_per_host;
	mc.port_random = cfg->port_random;
	mc.seed = e->cfg.seed;
	masq_init(&e->masq, &mc);
	e->helpers = calloc(ENG_MAX_HELPERS, sizeof(*e->helpers));
	if (!e->helpers)
		abort();
	frag_init(&e->frag, NULL);
	e->big = malloc(ENG_BIG);
	if (!e->big)
		abort();
	return e;
}

void eng_free(struct eng *e)
{
	if (!e)
		return;
	masq_destroy(&e->masq);
	model_free(e->rs);
	free(e->helpers);
	frag_destroy(&e->frag);
	free(e->big);
	free(e->portfw);
	free(e);
}

static bool rule_tests_state(const struct mr_rule *r)
{
	const struct mr_match *m;

	for (m = r->matches; m; m = m->next)
		if (m->kind == MR_M_STATE || m->kind == MR_M_CONNTRACK)
			return true;
	return false;
}

static void bind_chains(struct eng *e)
{
	static const char *const names[LG_COUNT] = {
		"input", "forward", "output", "accounting",
	};
	struct mr_table *t = model_table_find(e->rs, MR_FAM_IP, MR_T_LEGACY);
	struct mr_chain *c;
	struct mr_rule *r;
	unsigned i;

	e->need_ct = false;
	for (i = 0; i < LG_COUNT; i++)
		e->lg[i] = t ? model_chain_find(t, names[i]) : NULL;
	for (c = t ? t->chains : NULL; c; c = c->next)
		for (r = c->rules; r; r = r->next)
			e->need_ct |= rule_tests_state(r);
}

/* The iptables model runs when its filter or nat table holds anything. */
static bool table_used(const struct mr_table *t)
{
	const struct mr_chain *c;

	for (c = t ? t->chains : NULL; c; c = c->next)
		if (c->rules || c->policy != MR_V_ACCEPT || !c->builtin)
			return true;
	return false;
}

static void bind_ipt(struct eng *e)
{
	static const char *const names[IPT_COUNT] = {
		"INPUT", "FORWARD", "OUTPUT", "PREROUTING", "POSTROUTING",
	};
	unsigned i;

	e->tfilter = model_table_find(e->rs, MR_FAM_IP, MR_T_FILTER);
	e->tnat = model_table_find(e->rs, MR_FAM_IP, MR_T_NAT);
	e->ipt = table_used(e->tfilter) || table_used(e->tnat);
	for (i = 0; i < IPT_COUNT; i++)
		e->ipt_chain[i] = model_chain_find(i < IPT_N_PRE ? e->tfilter :
						   e->tnat, names[i]);
}

/* -M -S: ESTABLISHED, FIN_WAIT and UDP, in seconds. */
static void set_timeouts(struct eng *e, const struct mr_timeouts *t)
{
	masq_set_timeout(&e->masq, CS_ESTABLISHED, t->tcp * MASQ_HZ);
	masq_set_timeout(&e->masq, CS_FIN_WAIT, t->tcpfin * MASQ_HZ);
	masq_set_timeout(&e->masq, CS_UDP, t->udp * MASQ_HZ);
}

/* What eng_load() refuses; the control client checks with it too, so
 * that the two never disagree. */
int eng_check(const struct mr_ruleset *rs, struct erec_list *errs)
{
	struct helper_cfg h[ENG_MAX_HELPERS];
	unsigned nh;
	int rc;

	rc = rules_check(rs, errs);
	rc |= helper_setup(rs, h, ENG_MAX_HELPERS, &nh, errs);
	return rc ? -1 : 0;
}

int eng_swap(struct eng *e, struct mr_ruleset *rs, struct mr_ruleset **old,
	     struct erec_list *errs)
{
	struct helper_cfg h[ENG_MAX_HELPERS];
	unsigned nh;

	if (helper_setup(rs, h, ENG_MAX_HELPERS, &nh, errs))
		return -1;
	memcpy(e->helpers, h, sizeof(h));
	e->nhelpers = nh;
	*old = e->rs;
	e->rs = rs;
	set_timeouts(e, &rs->timeouts);
	bind_chains(e);
	bind_ipt(e);
	portfw_setup(e, rs);
	return 0;
}

int eng_load(struct eng *e, struct mr_ruleset *rs, struct erec_list *errs)
{
	struct mr_ruleset *old;

	if (eng_check(rs, errs) || eng_swap(e, rs, &old, errs))
		return -1;
	model_free(old);
	return 0;
}

const struct mr_ruleset *eng_ruleset(const struct eng *e)
{
	return e->rs;
}

const struct eng_stats *eng_stats(const struct eng *e)
{
	return &e->st;
}

uint32_t eng_conn_count(const struct eng *e)
{
	return e->masq.count;
}

size_t eng_conn_bytes(const struct eng *e)
{
	return masq_bytes_per_entry(&e->masq);
}

static const char *const state_names[CS_COUNT] = {
	"NONE", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT",
	"TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "UDP",
	"ICMP",
};

bool eng_conn_next(const struct eng *e, uint32_t *it, struct eng_conn_info *o)
{
	const struct conn *c = masq_next(&e->masq, it);

	if (!c)
		return false;
	o->proto = c->proto;
	o->iaddr = c->iaddr;
	o->aaddr = c->aaddr;
	o->raddr = c->raddr;
	o->iport = c->iport;
	o->aport = c->aport;
	o->rport = c->rport;
	o->oaddr = c->oaddr;
	o->oport = c->oport;
	o->expires_ms = (uint32_t)(c->expires - e->now) * (1000 / MASQ_HZ);
	o->state = c->state < CS_COUNT ? state_names[c->state] : "NEW";
	return true;
}

void eng_tick(struct eng *e, uint64_t now_ms)
{
	unsigned n;

	if (now_ms > e->now_ms)
		e->now_ms = now_ms;
	e->now = (uint32_t)(e->now_ms / (1000 / MASQ_HZ));
	e->st.masq_expired += masq_expire(&e->masq, e->now);
	n = frag_expire(&e->frag, e->now_ms, eng_frag_expired, e);
	e->st.frag_timeout += n;
	e->st.frag_dropped += n;
	if (e->cfg.host)
		arp_tick(e);
}
