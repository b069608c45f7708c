/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One lowered rule into an nftnl_rule: its tests, actions and counter
 * (lin_match.c, lin_target.c) and its comment as nft's rule user data.
 */
#include <stdlib.h>
#include <string.h>
#include <libnftnl/rule.h>
#include <libnftnl/udata.h>
#include <linux/netfilter/nf_tables.h>
#include "backend.h"
#include "lin.h"

const char *lin_family_name(uint8_t family)
{
	return family == MR_FAM_IP6 ? "ip6" : "ip";
}

/* nft keeps a comment as a NUL-terminated string in the user data. */
static bool lin_comment(struct lin_rule *l, struct nftnl_udata_buf *ud)
{
	const struct mr_match *m = ir_match_find(l->r, MR_M_COMMENT);
	const char *text;

	if (!m)
		return false;
	text = MR_MDATA(m, const struct mr_m_comment)->text;
	if (!text)
		text = "";
	if (strlen(text) > 128) {
		lin_fail(l, &m->loc, "a comment longer than 128 bytes does not fit the kernel's rule user data");
		return false;
	}
	nftnl_udata_put_strz(ud, NFTNL_UDATA_RULE_COMMENT, text);
	return true;
}

/*
 * masqrule's own TLV after nft's comment: the rule's source text, which
 * nft ignores (unknown TLV types are skipped when it lists rules).  Even
 * an empty text marks the rule as masqrule's.
 */
static bool lin_source(struct lin_rule *l, struct nftnl_udata_buf *ud)
{
	const char *text;

	if (!l->c->tag)
		return false;
	text = l->c->tag->fn(l->chain, l->r, l->c->tag->arg);
	if (!text)
		text = "";
	if (strlen(text) + 1 > BACKEND_UDATA_SOURCE_MAX ||
	    !nftnl_udata_put_strz(ud, BACKEND_UDATA_SOURCE, text)) {
		lin_fail(l, &l->r->loc, "this rule's text (%zu bytes, with its comment) does not fit the kernel's rule user data (256 bytes)",
			 strlen(text));
		return false;
	}
	return true;
}

static void lin_udata(struct lin_rule *l)
{
	struct nftnl_udata_buf *ud = nftnl_udata_buf_alloc(NFT_USERDATA_MAXLEN);
	bool any;

	if (!ud)
		abort();
	any = lin_comment(l, ud);
	any |= lin_source(l, ud);
	if (any && !l->failed)
		nftnl_rule_set_data(l->nr, NFTNL_RULE_USERDATA,
				    nftnl_udata_buf_data(ud),
				    nftnl_udata_buf_len(ud));
	nftnl_udata_buf_free(ud);
}

struct nftnl_rule *lin_rule_build(struct lin_ctx *c, const char *chain,
				  const struct mr_rule *r)
{
	struct lin_rule l = { .c = c, .r = r, .chain = chain };

	l.nr = nftnl_rule_alloc();
	if (!l.nr)
		abort();
	nftnl_rule_set_u32(l.nr, NFTNL_RULE_FAMILY, c->family);
	nftnl_rule_set_str(l.nr, NFTNL_RULE_TABLE, "masqrule");
	nftnl_rule_set_str(l.nr, NFTNL_RULE_CHAIN, chain);
	if (r->family != c->family)
		lin_fail(&l, NULL, "a rule of the other family");
	if (!l.failed)
		lin_matches(&l);
	lin_actions(&l);
	lin_flush(&l);
	if (!l.failed)
		lin_udata(&l);
	if (l.failed) {
		nftnl_rule_free(l.nr);
		return NULL;
	}
	return l.nr;
}
