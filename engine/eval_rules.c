/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Running a packet through the model's chains as the 2.0/2.2 kernels did:
 * first match with a verdict wins, counting-only rules count and go on,
 * user chains are called and RETURN comes back, the end of a built-in
 * chain is its policy.  What a rule tests is in rule_match.c; what the
 * engine can run at all is checked at load time in rules_check.c.
 */
#include <string.h>
#include "eng_int.h"
#include "model.h"

#define CALL_DEPTH 32

struct frame {
	struct mr_chain *chain;
	struct mr_rule *next;
};

static struct mr_chain *chain_of(struct eng *e, const struct rule_ctx *rc,
				  const char *name)
{
	const struct mr_table *t = rc->table ? rc->table :
		model_table_find(e->rs, MR_FAM_IP, MR_T_LEGACY);

	return model_chain_find(t, name);
}

static uint32_t ip_bytes(const struct pkt *p)
{
	return p->len - p->l3;
}

/* A non-terminating target: do it and go on with the next rule. */
static bool nonterminal(struct eng *e, const struct mr_rule *r,
			struct rule_ctx *rc, const struct mr_chain *c)
{
	const struct mr_t_mark *mk;

	switch (r->target.kind) {
	case MR_V_NONE:
		return true;
	case MR_V_LOG:
		eng_log_event(e, r, c->name, MR_V_LOG, rc->p);
		return true;
	case MR_V_MARK:
		mk = r->target.data;
		rc->p->mark = (rc->p->mark & ~mk->mask) ^ mk->value;
		return true;
	}
	return false;
}

uint16_t rules_run(struct eng *e, struct mr_chain *c, struct rule_ctx *rc)
{
	struct frame stack[CALL_DEPTH];
	struct mr_chain *base = c, *to;
	struct mr_rule *r = c->rules, *cur;
	unsigned sp = 0;
	uint16_t k;

	rc->hit = NULL;
	for (;;) {
		while ((cur = r)) {
			r = r->next;
			if (!rule_match(cur, rc))
				continue;
			cur->pkts++;
			cur->bytes += ip_bytes(rc->p);
			k = cur->target.kind;
			rule_side_actions(e, cur, rc, k);
			if (nonterminal(e, cur, rc, c))
				continue;
			if (k == MR_V_RETURN)
				break;
			if (k != MR_V_JUMP && k != MR_V_GOTO) {
				rc->hit = cur;
				return k;
			}
			to = chain_of(e, rc, cur->target.chain);
			if (!to || (k == MR_V_JUMP && sp == CALL_DEPTH)) {
				rc->hit = cur;	/* refused at load: never */
				return MR_V_DROP;
			}
			if (k == MR_V_JUMP)
				stack[sp++] = (struct frame){ c, r };
			c = to;
			r = c->rules;
		}
		if (!sp)
			break;
		sp--;
		c = stack[sp].chain;
		r = stack[sp].next;
	}
	base->pkts++;
	base->bytes += ip_bytes(rc->p);
	return base->policy;
}

/*
 * ipfwadm -A: every matching rule counts, in the directions it names;
 * nothing is decided here.
 */
void rules_account(struct eng *e, struct mr_chain *c, struct rule_ctx *rc)
{
	struct mr_rule *r;

	(void)e;
	for (r = c ? c->rules : NULL; r; r = r->next) {
		if ((r->has & MR_HAS_ACCT_DIR) && !(r->acct_dir & rc->acct_dir))
			continue;
		if (!rule_match(r, rc))
			continue;
		r->pkts++;
		r->bytes += ip_bytes(rc->p);
	}
}
