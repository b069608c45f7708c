// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IR allocation, copying, freeing and names.  Kind-specific data sizes come
 * from the extension table (xt.c); the few kinds that own strings are listed
 * here so that copies and frees stay deep.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "ir.h"
#include "print.h"
#include "xt.h"

void *ir_alloc(size_t size)
{
	void *p = calloc(1, size ? size : 1);

	if (!p)
		abort();
	return p;
}

char *ir_strdup(const char *s)
{
	char *p;

	if (!s)
		return NULL;
	p = strdup(s);
	if (!p)
		abort();
	return p;
}

/* Kind-specific data that holds an owned string, at this offset. */
struct str_field {
	uint16_t kind;
	bool target;
	size_t off;
};

static const struct str_field str_fields[] = {
	{ MR_M_COMMENT, false, offsetof(struct mr_m_comment, text) },
	{ MR_V_LOG, true, offsetof(struct mr_t_log, prefix) },
};

static void data_strings(uint16_t kind, bool target, void *data, bool copy)
{
	size_t i;
	char **p;

	for (i = 0; i < sizeof(str_fields) / sizeof(str_fields[0]); i++) {
		if (str_fields[i].kind != kind || str_fields[i].target != target)
			continue;
		p = (char **)(void *)((char *)data + str_fields[i].off);
		if (copy)
			*p = ir_strdup(*p);
		else
			free(*p);
	}
}

static size_t target_size(uint16_t kind)
{
	const struct mr_xt *xt;

	switch (kind) {
	case MR_V_REJECT:
		return sizeof(struct mr_t_reject);
	case MR_V_MASQ: case MR_V_SNAT: case MR_V_DNAT:
	case MR_V_REDIRECT: case MR_V_NETMAP:
		return sizeof(struct mr_t_nat);
	case MR_V_LOG:
		return sizeof(struct mr_t_log);
	case MR_V_MARK:
		return sizeof(struct mr_t_mark);
	}
	xt = xt_by_kind(kind, true);
	return xt ? xt->size : 0;
}

static size_t match_size(uint16_t kind)
{
	const struct mr_xt *xt = xt_by_kind(kind, false);

	return xt ? xt->size : 0;
}

struct mr_rule *ir_rule_new(uint8_t family)
{
	struct mr_rule *r = ir_alloc(sizeof(*r));

	r->family = family;
	return r;
}

struct mr_match *ir_match_add(struct mr_rule *r, uint16_t kind, size_t size)
{
	struct mr_match *m = ir_alloc(sizeof(*m) + size);
	struct mr_match **pp;

	m->kind = kind;
	for (pp = &r->matches; *pp; pp = &(*pp)->next)
		;
	*pp = m;
	return m;
}

struct mr_match *ir_match_find(const struct mr_rule *r, uint16_t kind)
{
	struct mr_match *m;

	for (m = r->matches; m; m = m->next)
		if (m->kind == kind)
			return m;
	return NULL;
}

void ir_target_free(struct mr_target *t)
{
	if (t->data) {
		data_strings(t->kind, true, t->data, false);
		free(t->data);
	}
	free(t->chain);
	t->data = NULL;
	t->chain = NULL;
}

void ir_rule_free(struct mr_rule *r)
{
	struct mr_match *m, *next;

	if (!r)
		return;
	for (m = r->matches; m; m = next) {
		next = m->next;
		data_strings(m->kind, false, m->data, false);
		free(m);
	}
	ir_target_free(&r->target);
	free(r);
}

struct mr_rule *ir_rule_clone(const struct mr_rule *r)
{
	struct mr_rule *c = ir_alloc(sizeof(*c));
	const struct mr_match *m;
	struct mr_match *cm;
	size_t size;

	*c = *r;
	c->next = NULL;
	c->matches = NULL;
	for (m = r->matches; m; m = m->next) {
		size = match_size(m->kind);
		cm = ir_match_add(c, m->kind, size);
		cm->inv = m->inv;
		cm->has = m->has;
		cm->loc = m->loc;
		memcpy(cm->data, m->data, size);
		data_strings(m->kind, false, cm->data, true);
	}
	c->target.chain = ir_strdup(r->target.chain);
	if (r->target.data) {
		size = target_size(r->target.kind);
		c->target.data = ir_alloc(size);
		memcpy(c->target.data, r->target.data, size);
		data_strings(r->target.kind, true, c->target.data, true);
	}
	return c;
}

bool ir_rule_equal(const struct mr_rule *a, const struct mr_rule *b)
{
	struct mr_buf ba, bb;
	bool eq;

	/* Two rules are the same rule when they print the same. */
	buf_init(&ba);
	buf_init(&bb);
	print_rule_args(&ba, a, 0);
	print_rule_args(&bb, b, 0);
	eq = a->family == b->family && ba.len == bb.len &&
	     (!ba.len || !memcmp(ba.s, bb.s, ba.len));
	buf_free(&ba);
	buf_free(&bb);
	return eq;
}

struct mr_cmd *ir_cmd_new(uint8_t op, uint8_t dialect)
{
	struct mr_cmd *c = ir_alloc(sizeof(*c));

	c->op = op;
	c->dialect = dialect;
	c->family = MR_FAM_IP;
	return c;
}

void ir_cmd_free(struct mr_cmd *c)
{
	struct mr_rule *r, *next;

	if (!c)
		return;
	for (r = c->rules; r; r = next) {
		next = r->next;
		ir_rule_free(r);
	}
	free(c->chain);
	free(c->newname);
	if (c->op == MR_OP_HELPER)
		free(c->u.helper.name), free(c->u.helper.module);
	free(c);
}

void ir_cmd_list_free(struct mr_cmd *c)
{
	struct mr_cmd *next;

	for (; c; c = next) {
		next = c->next;
		ir_cmd_free(c);
	}
}

static const char *const table_names[MR_T_COUNT] = {
	[MR_T_LEGACY] = "legacy",
	[MR_T_FILTER] = "filter",
	[MR_T_NAT] = "nat",
	[MR_T_MANGLE] = "mangle",
	[MR_T_RAW] = "raw",
	[MR_T_SECURITY] = "security",
};

const char *ir_table_name(enum mr_tabid t)
{
	return (unsigned)t < MR_T_COUNT ? table_names[t] : "?";
}

int ir_table_lookup(const char *name)
{
	int i;

	for (i = 0; i < MR_T_COUNT; i++)
		if (!strcmp(name, table_names[i]))
			return i;
	return -1;
}

static const char *const dialect_names[MR_D_COUNT] = {
	[MR_D_NATIVE] = "masqrule",
	[MR_D_IPTABLES] = "iptables",
	[MR_D_IP6TABLES] = "ip6tables",
	[MR_D_IPCHAINS] = "ipchains",
	[MR_D_IPFWADM] = "ipfwadm",
	[MR_D_IPMASQADM] = "ipmasqadm",
	[MR_D_IPPORTFW] = "ipportfw",
	[MR_D_MODULE] = "modprobe",
};

const char *ir_dialect_name(enum mr_dialect d)
{
	return (unsigned)d < MR_D_COUNT ? dialect_names[d] : "?";
}

int ir_dialect_lookup(const char *name)
{
	int i;

	if (!strcmp(name, "native"))
		return MR_D_NATIVE;
	if (!strcmp(name, "insmod"))
		return MR_D_MODULE;
	for (i = 0; i < MR_D_COUNT; i++)
		if (!strcmp(name, dialect_names[i]))
			return i;
	return -1;
}

const char *ir_hook_name(enum mr_hook h)
{
	static const char *const names[] = {
		"prerouting", "input", "forward", "output", "postrouting",
		"accounting",
	};

	if (h < 0 || h > MR_HOOK_ACCOUNTING)
		return "none";
	return names[h];
}

const char *ir_verdict_name(uint16_t kind)
{
	static const char *const names[MR_V_CORE_COUNT] = {
		[MR_V_NONE] = "", [MR_V_ACCEPT] = "ACCEPT",
		[MR_V_DROP] = "DROP", [MR_V_REJECT] = "REJECT",
		[MR_V_RETURN] = "RETURN", [MR_V_JUMP] = "", [MR_V_GOTO] = "",
		[MR_V_MASQ] = "MASQUERADE", [MR_V_SNAT] = "SNAT",
		[MR_V_DNAT] = "DNAT", [MR_V_REDIRECT] = "REDIRECT",
		[MR_V_NETMAP] = "NETMAP", [MR_V_LOG] = "LOG",
		[MR_V_MARK] = "MARK",
	};
	const struct mr_xt *xt;

	if (kind < MR_V_CORE_COUNT)
		return names[kind];
	xt = xt_by_kind(kind, true);
	return xt ? xt->name : "?";
}
