// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Evaluation entry: dispatch a parsed line to its dialect, and keep the
 * structure of save files ("*table" ... "COMMIT").
 */
#include <string.h>
#include "eval.h"
#include "ir.h"

void eval_init(struct eval_ctx *ctx, struct erec_list *errs)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->errs = errs;
}

int eval_finish(struct eval_ctx *ctx, const struct mr_loc *end)
{
	if (!ctx->in_block)
		return 0;
	ctx->in_block = false;
	erec_add(ctx->errs, EREC_ERROR, MR_EXIT_PARAM, &ctx->block_loc,
		 "COMMIT expected for table \"%s\" started here",
		 ir_table_name(ctx->block_table));
	(void)end;
	return -1;
}

static void append(struct mr_cmd ***tail, struct mr_cmd *c)
{
	**tail = c;
	*tail = &c->next;
}

static int eval_table(struct eval_ctx *ctx, const struct mr_pcmd *p,
		      struct mr_cmd ***tail)
{
	struct mr_cmd *c;
	uint8_t family = p->family;
	int t;

	if (ctx->in_block)
		return erec_param(ctx->errs, &p->loc,
				  "COMMIT expected before a new table");
	t = ir_table_lookup(p->name.text);
	if (t < 0)
		return erec_param(ctx->errs, &p->name.loc,
				  "table '%s' does not exist", p->name.text);
	if (p->opts && p->opts->nargs) {
		const struct mr_word *w = &p->opts->args[0];

		if (!strcmp(w->text, "ip6"))
			family = MR_FAM_IP6;
		else if (!strcmp(w->text, "ip"))
			family = MR_FAM_IP;
		else
			return erec_param(ctx->errs, &w->loc,
					  "unknown family '%s' (ip or ip6)",
					  w->text);
	}
	ctx->in_block = true;
	ctx->block_table = (uint8_t)t;
	ctx->block_family = family;
	ctx->block_dialect = p->dialect;
	ctx->block_loc = p->name.loc;
	c = ir_cmd_new(MR_OP_TABLE_BEGIN, p->dialect);
	c->table = (uint8_t)t;
	c->family = family;
	c->loc = p->loc;
	append(tail, c);
	return 0;
}

/* Policy words of chain lines: iptables' and the 2.2 ones. */
int eval_policy_word(const char *w, uint8_t table, uint16_t *out)
{
	static const struct { const char *w; uint16_t v; bool legacy; } t[] = {
		{ "ACCEPT", MR_V_ACCEPT, false }, { "DROP", MR_V_DROP, false },
		{ "-", MR_V_NONE, false }, { "DENY", MR_V_DROP, true },
		{ "REJECT", MR_V_REJECT, true }, { "MASQ", MR_V_MASQ, true },
		{ "MASQUERADE", MR_V_MASQ, true },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (strcmp(w, t[i].w))
			continue;
		if (t[i].legacy && table != MR_T_LEGACY)
			return -1;
		*out = t[i].v;
		return 0;
	}
	return -1;
}

static int eval_chain(struct eval_ctx *ctx, const struct mr_pcmd *p,
		      struct mr_cmd ***tail)
{
	struct mr_cmd *c;
	uint16_t pol = MR_V_NONE;

	if (!ctx->in_block)
		return erec_param(ctx->errs, &p->loc,
				  "chain line outside a table block");
	if (!p->policy.text)
		return erec_param(ctx->errs, &p->name.loc,
				  "chain line without a policy");
	if (eval_policy_word(p->policy.text, ctx->block_table, &pol))
		return erec_param(ctx->errs, &p->policy.loc,
				  "Bad policy name `%s'", p->policy.text);
	if (p->opts)
		return erec_param(ctx->errs, &p->opts->loc,
				  "unexpected word after the chain's policy");
	c = ir_cmd_new(MR_OP_CHAIN_DECL, ctx->block_dialect);
	c->table = ctx->block_table;
	c->family = ctx->block_family;
	c->loc = p->loc;
	c->chain = ir_strdup(p->name.text);
	c->chain_loc = p->name.loc;
	c->policy = pol;
	c->has_counters = p->has_counters;
	c->pkts = p->pkts;
	c->bytes = p->bytes;
	append(tail, c);
	return 0;
}

static int eval_commit(struct eval_ctx *ctx, const struct mr_pcmd *p,
		       struct mr_cmd ***tail)
{
	struct mr_cmd *c;

	if (!ctx->in_block)
		return erec_param(ctx->errs, &p->loc, "COMMIT without a table");
	c = ir_cmd_new(MR_OP_COMMIT, ctx->block_dialect);
	c->table = ctx->block_table;
	c->family = ctx->block_family;
	c->loc = p->loc;
	ctx->in_block = false;
	append(tail, c);
	return 0;
}

int eval_pcmd(struct eval_ctx *ctx, const struct mr_pcmd *p,
	      struct mr_cmd ***tail)
{
	switch (p->kind) {
	case MR_P_TABLE:
		return eval_table(ctx, p, tail);
	case MR_P_CHAIN:
		return eval_chain(ctx, p, tail);
	case MR_P_COMMIT:
		return eval_commit(ctx, p, tail);
	}
	switch (p->dialect) {
	case MR_D_NATIVE:
	case MR_D_IPTABLES:
	case MR_D_IP6TABLES:
		return eval_iptables(ctx, p, tail);
	case MR_D_IPCHAINS:
		return eval_ipchains(ctx, p, tail);
	case MR_D_IPFWADM:
		return eval_ipfwadm(ctx, p, tail);
	case MR_D_IPMASQADM:
		return eval_ipmasqadm(ctx, p, tail);
	case MR_D_IPPORTFW:
		return eval_ipportfw(ctx, p, tail);
	case MR_D_MODULE:
		return eval_module(ctx, p, tail);
	}
	return erec_param(ctx->errs, &p->loc, "unknown dialect");
}
