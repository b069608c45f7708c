// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The nft printer of single rules and commands, as iptables-translate
 * prints them: core fields, then each match in the order written, then
 * "counter", the target, and a comment last.
 */
#include <string.h>
#include "addr.h"
#include "parse.h"
#include "print.h"
#include "services.h"
#include "src.h"
#include "xt.h"
#include "xt_ext.h"

static const char *fam_name(uint8_t family)
{
	return family == MR_FAM_IP6 ? "ip6" : "ip";
}

/*
 * Appends for the per-rule path: a rule's text is some twenty pieces, and
 * most are literals whose length the compiler knows.
 */
static inline void put(struct mr_buf *b, const char *s, size_t n)
{
	if (b->len + n < b->cap) {
		memcpy(b->s + b->len, s, n);
		b->len += n;
		b->s[b->len] = '\0';
	} else {
		buf_addn(b, s, n);
	}
}

#define PUT(b, lit)	put((b), (lit), sizeof(lit) - 1)

static inline void put_str(struct mr_buf *b, const char *s)
{
	put(b, s, strlen(s));
}

/*
 * iptables' "+" suffix is nft's "*"; a "*" at the end of a real name is
 * escaped so nft does not read it as a wildcard.  "+" alone matches any
 * interface: no statement, or a name that never matches when negated.
 */
static void nft_iface(struct mr_buf *b, const char *meta, const char *name,
		      bool inv)
{
	size_t n = strlen(name);

	if (!strcmp(name, "+")) {
		if (inv)
			buf_printf(b, "%s \"INVAL/D\" ", meta);
		return;
	}
	buf_printf(b, "%s %s\"", meta, inv ? "!= " : "");
	if (n && name[n - 1] == '+') {
		buf_addn(b, name, n - 1);
		buf_addc(b, '*');
	} else if (n && name[n - 1] == '*') {
		buf_addn(b, name, n - 1);
		buf_add(b, "\\*");
	} else {
		buf_add(b, name);
	}
	buf_add(b, "\" ");
}

static void nft_prefix(struct mr_buf *b, const struct mr_rule *r,
		       const char *what, const struct mr_prefix *p, bool inv)
{
	int len = addr_mask_len(p->mask, r->family);
	unsigned bits = addr_bytes(r->family) * 8;

	if (r->family == MR_FAM_IP6)
		PUT(b, "ip6 ");
	else
		PUT(b, "ip ");
	put_str(b, what);
	PUT(b, " ");
	if (len < 0) {
		buf_add(b, "& ");
		addr_format(b, r->family, p->mask);
		buf_printf(b, " %s", inv ? "!= " : "== ");
		addr_format(b, r->family, p->addr);
		buf_addc(b, ' ');
		return;
	}
	if (inv)
		PUT(b, "!= ");
	addr_format(b, r->family, p->addr);
	if ((unsigned)len != bits)
		buf_printf(b, "/%d", len);
	PUT(b, " ");
}

/* iptables-translate leaves the protocol to a match named after it. */
static bool proto_in_match(const struct mr_rule *r)
{
	const char *name = proto_name(r->proto);
	const struct mr_match *m;
	const struct mr_xt *xt;

	if (!name)
		return false;
	for (m = r->matches; m; m = m->next) {
		xt = xt_by_kind(m->kind, false);
		if (xt && (!strcmp(xt->name, name) ||
			   (r->proto == 58 && !strcmp(xt->name, "icmp6"))))
			return true;
	}
	return false;
}

static void nft_proto(struct mr_buf *b, const struct mr_rule *r)
{
	const char *name = proto_name(r->proto);
	bool inv = r->inv & MR_INV_PROTO;

	if (r->proto == 58 && r->family == MR_FAM_IP6)
		name = "ipv6-icmp";
	buf_add(b, r->family == MR_FAM_IP6 ? "meta l4proto " : "ip protocol ");
	if (inv)
		buf_add(b, "!= ");
	if (name)
		buf_printf(b, "%s ", name);
	else
		buf_printf(b, "%u ", r->proto);
}

static void nft_core(struct mr_buf *b, const struct mr_rule *r)
{
	if (r->has & MR_HAS_IIF)
		nft_iface(b, "iifname", r->iif, r->inv & MR_INV_IIF);
	if (r->has & MR_HAS_OIF)
		nft_iface(b, "oifname", r->oif, r->inv & MR_INV_OIF);
	if (r->has & MR_HAS_FRAG)
		buf_printf(b, "ip frag-off & 0x1fff %s0 ",
			   r->inv & MR_INV_FRAG ? "" : "!= ");
	if ((r->has & MR_HAS_PROTO) && !proto_in_match(r))
		nft_proto(b, r);
	if (r->has & MR_HAS_SRC)
		nft_prefix(b, r, "saddr", &r->src, r->inv & MR_INV_SRC);
	if (r->has & MR_HAS_DST)
		nft_prefix(b, r, "daddr", &r->dst, r->inv & MR_INV_DST);
}

/* Legacy side actions, where nft has them (lowered rules carry them). */
static bool nft_legacy_actions(struct mr_buf *b, const struct mr_rule *r)
{
	if (r->has & (MR_HAS_VIAADDR | MR_HAS_TOS | MR_HAS_ACCT_DIR))
		return false;
	if (r->has & MR_HAS_LOGFLAG)
		buf_add(b, "log ");
	if (r->has & MR_HAS_COPY)
		buf_printf(b, "log group 0 snaplen %u ", r->copy_size);
	if (r->has & MR_HAS_FWMARK) {
		if (r->fwmark_op != MR_FWM_SET)
			return false;
		buf_printf(b, "meta mark set 0x%x ", r->fwmark);
	}
	return true;
}

static bool nft_target(struct mr_buf *b, const struct mr_rule *r)
{
	const struct mr_target *t = &r->target;
	const struct mr_xt *xt;
	struct mr_xlctx x = { .b = b, .rule = r, .family = r->family };

	switch (t->kind) {
	case MR_V_NONE:
		return true;
	case MR_V_ACCEPT:
		PUT(b, "accept");
		return true;
	case MR_V_DROP:
		PUT(b, "drop");
		return true;
	case MR_V_RETURN:
		PUT(b, "return");
		return true;
	case MR_V_JUMP:
		buf_printf(b, "jump %s", t->chain);
		return true;
	case MR_V_GOTO:
		buf_printf(b, "goto %s", t->chain);
		return true;
	}
	xt = xt_by_kind(t->kind, true);
	return xt && xt->xlate && xt->xlate(&x, NULL);
}

bool print_rule_nft(struct mr_buf *b, const struct mr_rule *r)
{
	struct mr_xlctx x = { .b = b, .rule = r, .family = r->family };
	const struct mr_match *m, *comment = NULL;
	const struct mr_xt *xt;

	nft_core(b, r);
	for (m = r->matches; m; m = m->next) {
		if (m->kind == MR_M_COMMENT) {
			comment = m;
			continue;
		}
		xt = xt_by_kind(m->kind, false);
		if (!xt || !xt->xlate || !xt->xlate(&x, m))
			return false;
	}
	if (!nft_legacy_actions(b, r))
		return false;
	PUT(b, "counter ");
	if (!nft_target(b, r))
		return false;
	buf_rtrim(b);
	if (comment) {
		buf_addc(b, ' ');
		xt = xt_by_kind(comment->kind, false);
		if (!xt || !xt->xlate || !xt->xlate(&x, comment))
			return false;
		buf_rtrim(b);
	}
	return true;
}

/* "nft # <args>": the command as written, for what has no translation. */
static void untranslated(struct mr_buf *b, const struct mr_cmd *c)
{
	const char *line, *p;
	size_t len;
	uint8_t fam;
	char word[64];
	size_t n;

	buf_add(b, "nft # ");
	if (!c->loc.src || !(line = src_line(c->loc.src, c->loc.line, &len)))
		return;
	p = line;
	while (p < line + len && (*p == ' ' || *p == '\t'))
		p++;
	n = strcspn(p, " \t\n");
	if (n < sizeof(word) && p + n <= line + len) {
		memcpy(word, p, n);
		word[n] = '\0';
		if (parse_tool_dialect(word, &fam) >= 0) {
			p += n;
			while (p < line + len && (*p == ' ' || *p == '\t'))
				p++;
		}
	}
	buf_addn(b, p, (size_t)(line + len - p));
}

/* Commands a rule needs before it (connlimit's sets), each on its line. */
static void prelude(struct mr_buf *b, const struct mr_rule *r,
		    const struct mr_cmd *c, bool script)
{
	/* one numbering per process, as one iptables-translate run */
	static unsigned seq;
	struct mr_buf pre;
	const char *line, *nl;

	buf_init(&pre);
	if (xt_ext_nft_prelude(&pre, r, fam_name(c->family),
			       ir_table_name(c->table), &seq)) {
		for (line = pre.s; *line; line = nl + 1) {
			nl = strchr(line, '\n');
			if (!nl)
				break;
			buf_add(b, script ? "" : "nft '");
			buf_addn(b, line, (size_t)(nl - line));
			buf_add(b, script ? "\n" : "'\n");
		}
	}
	buf_free(&pre);
}

static bool rule_cmd(struct mr_buf *b, const struct mr_cmd *c,
		     const char *verb, bool script)
{
	const struct mr_rule *r;
	size_t start;

	for (r = c->rules; r; r = r->next) {
		start = b->len;
		prelude(b, r, c, script);
		if (!script)
			PUT(b, "nft '");
		put_str(b, verb);
		PUT(b, " rule ");
		put_str(b, fam_name(c->family));
		PUT(b, " ");
		put_str(b, ir_table_name(c->table));
		PUT(b, " ");
		put_str(b, c->chain);
		PUT(b, " ");
		if (!print_rule_nft(b, r)) {
			b->len = start;
			b->s[start] = '\0';
			untranslated(b, c);
			buf_addc(b, '\n');
			continue;
		}
		if (script)
			PUT(b, "\n");
		else
			PUT(b, "'\n");
	}
	return true;
}

/* Type and priority of iptables' built-in chains, as iptables-nft makes them. */
static void chain_spec(struct mr_buf *b, const struct mr_cmd *c)
{
	static const char *const hooks[] = { "PREROUTING", "INPUT", "FORWARD",
					     "OUTPUT", "POSTROUTING" };
	const char *type = "filter";
	int prio = 0, h;

	for (h = 0; h < 5; h++)
		if (!strcmp(c->chain, hooks[h]))
			break;
	switch (c->table) {
	case MR_T_NAT:
		type = "nat";
		prio = h == MR_HOOK_PREROUTING || h == MR_HOOK_OUTPUT ? -100 : 100;
		break;
	case MR_T_MANGLE:
		prio = -150;
		if (h == MR_HOOK_OUTPUT)
			type = "route";
		break;
	case MR_T_RAW:
		prio = -300;
		break;
	case MR_T_SECURITY:
		prio = 50;
		break;
	}
	buf_printf(b, " { type %s hook %s priority %d; policy %s; }", type,
		   ir_hook_name(h), prio,
		   c->policy == MR_V_DROP ? "drop" : "accept");
}

static bool cmd_nft(struct mr_buf *b, const struct mr_cmd *c, bool script)
{
	const char *fam = fam_name(c->family), *tab = ir_table_name(c->table);
	const char *pre = script ? "" : "nft ";

	switch (c->op) {
	case MR_OP_APPEND:
		return rule_cmd(b, c, "add", script);
	case MR_OP_INSERT:
		return rule_cmd(b, c, "insert", script);
	case MR_OP_FLUSH:
		if (c->chain)
			buf_printf(b, "%sflush chain %s %s %s\n", pre, fam, tab,
				   c->chain);
		else
			buf_printf(b, "%sflush table %s %s\n", pre, fam, tab);
		return true;
	case MR_OP_NEW_CHAIN:
		buf_printf(b, "%sadd chain %s %s %s\n", pre, fam, tab, c->chain);
		return true;
	case MR_OP_DEL_CHAIN:
		if (!c->chain)
			return false;
		buf_printf(b, "%sdelete chain %s %s %s\n", pre, fam, tab,
			   c->chain);
		return true;
	case MR_OP_LIST:
		buf_printf(b, "%slist table %s %s\n", pre, fam, tab);
		return true;
	case MR_OP_POLICY:
		buf_printf(b, "%schain %s %s %s %s{ policy %s; }%s\n", pre, fam,
			   tab, c->chain, script ? "" : "'",
			   c->policy == MR_V_DROP ? "drop" : "accept",
			   script ? "" : "'");
		return true;
	case MR_OP_TABLE_BEGIN:
		buf_printf(b, "%sadd table %s %s\n", pre, fam, tab);
		return true;
	case MR_OP_CHAIN_DECL:
		buf_printf(b, "%sadd chain %s %s %s", pre, fam, tab, c->chain);
		if (c->policy != MR_V_NONE)
			chain_spec(b, c);
		buf_addc(b, '\n');
		return true;
	case MR_OP_COMMIT:
		return true;
	}
	return false;
}

bool print_cmd_nft(struct mr_buf *b, const struct mr_cmd *c)
{
	return cmd_nft(b, c, false);
}

bool print_cmd_nft_script(struct mr_buf *b, const struct mr_cmd *c)
{
	return cmd_nft(b, c, true);
}
