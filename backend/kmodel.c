// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The user-level model kept in the kernel (kmodel.h).  The kernel holds
 * the lowered ruleset, which does not decode back to what the user wrote
 * (a legacy forward rule becomes rules in three chains); so each lowered
 * rule also carries its source line, and the model is read from those.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "eval.h"
#include "kmodel.h"
#include "lower.h"
#include "model.h"
#include "parse.h"
#include "print.h"

/* ------------------------------------------------------------------ */
/* Text <-> model                                                      */

void kmodel_text(struct mr_buf *b, const struct mr_ruleset *rs)
{
	print_ruleset_save(b, rs, 0);
}

struct kp {
	struct mr_ruleset *rs;
	struct eval_ctx ev;
	struct erec_list *errs;
};

static int kp_line(void *data, struct mr_pcmd *p)
{
	struct kp *k = data;
	struct mr_cmd *cmds = NULL, **tail = &cmds, *c, *next;

	if (eval_pcmd(&k->ev, p, &tail))
		return 0;
	for (c = cmds; c; c = next) {
		next = c->next;
		/* a table block replaces the table, as in restore */
		if (c->op == MR_OP_TABLE_BEGIN)
			model_flush_table(model_table(k->rs, c->family, c->table));
		model_apply(k->rs, c, k->errs);
		ir_cmd_free(c);
	}
	return 0;
}

struct mr_ruleset *kmodel_parse(const struct mr_src *src, uint8_t dialect,
				struct erec_list *errs)
{
	struct parse_opts po = { .dialect = dialect, .family = MR_FAM_IP,
				 .file = true };
	struct mr_loc end = { .src = src };
	struct kp k = { .rs = model_new(), .errs = errs };
	unsigned nerr = errs->nerrors;

	if (dialect == MR_D_IP6TABLES)
		po.family = MR_FAM_IP6;
	eval_init(&k.ev, errs);
	parse_src(src, &po, errs, kp_line, &k);
	eval_finish(&k.ev, &end);
	if (errs->nerrors != nerr) {
		model_free(k.rs);
		return NULL;
	}
	return k.rs;
}

/* ------------------------------------------------------------------ */
/* Tags: the source line of a lowered rule                             */

struct ktag {
	const struct mr_src *src;
	char buf[1024];
};

static const char *ktag_fn(const struct mr_rule *r, void *arg)
{
	struct ktag *t = arg;
	const char *line;
	size_t len;

	if (r->loc.src != t->src)
		return "";	/* derived rule: only the mark */
	line = src_line(t->src, r->loc.line, &len);
	if (!line)
		return "";
	snprintf(t->buf, sizeof(t->buf), "%u %.*s", r->loc.line, (int)len, line);
	return t->buf;
}

/* ------------------------------------------------------------------ */
/* The mr_model chain: the lines no lowered rule carries               */

static void mark_used(const struct mr_ruleset *low, const struct mr_src *src,
		      bool *used, uint32_t nlines)
{
	const struct mr_table *t;
	const struct mr_chain *c;
	const struct mr_rule *r;

	for (t = low->tables; t; t = t->next)
		for (c = t->chains; c; c = c->next)
			for (r = c->rules; r; r = r->next)
				if (r->loc.src == src && r->loc.line &&
				    r->loc.line <= nlines)
					used[r->loc.line - 1] = true;
}

static struct mr_table *ip_table(struct mr_ruleset *low)
{
	struct mr_table *t, **pp;

	for (pp = &low->tables; (t = *pp); pp = &t->next)
		if (t->family == MR_FAM_IP)
			return t;
	t = ir_alloc(sizeof(*t));
	t->family = MR_FAM_IP;
	t->id = MR_T_FILTER;
	t->next = low->tables;	/* install order: ip first */
	low->tables = t;
	return t;
}

static uint32_t count_lines(const struct mr_src *src)
{
	uint32_t n = 0;
	size_t i;

	for (i = 0; i < src->len; i++)
		n += src->text[i] == '\n';
	return n + (src->len && src->text[src->len - 1] != '\n');
}

static void add_model_chain(struct mr_ruleset *low, const struct mr_src *src)
{
	uint32_t n = count_lines(src), i;
	bool *used = ir_alloc(n + 1);
	struct mr_chain *c = NULL, **pp;
	struct mr_table *t;
	struct mr_rule *r;

	mark_used(low, src, used, n);
	for (i = 0; i < n; i++) {
		if (used[i])
			continue;
		if (!c) {
			t = ip_table(low);
			c = ir_alloc(sizeof(*c));
			c->name = ir_strdup(KMODEL_CHAIN);
			c->hook = MR_HOOK_NONE;
			c->tail = &c->rules;
			for (pp = &t->chains; *pp; pp = &(*pp)->next)
				;
			*pp = c;
		}
		r = ir_rule_new(MR_FAM_IP);
		r->loc.src = src;
		r->loc.line = i + 1;
		r->loc.col = 1;
		*c->tail = r;
		c->tail = &r->next;
		c->nrules++;
	}
	free(used);
}

/*
 * What kmodel_install() installs for the canonical text src: the model
 * read from it, lowered, plus the mr_model chain.  NULL on errors.
 */
static void splice_text(struct erec_list *to, struct erec_list *from,
			const struct mr_src *text);

static struct mr_ruleset *lower_text(const struct mr_src *src,
				     struct erec_list *errs)
{
	struct erec_list quiet;
	struct mr_ruleset *rs, *low = NULL;

	erec_init(&quiet);
	rs = kmodel_parse(src, MR_D_NATIVE, &quiet);
	if (rs)
		low = lower_ruleset(rs, &quiet);
	if (!low) {
		erec_add(errs, EREC_ERROR, MR_EXIT_OTHER, NULL,
			 "masqrule cannot read its own save text back (a bug); the messages follow");
		splice_text(errs, &quiet, src);
	} else {
		add_model_chain(low, src);
	}
	erec_free(&quiet);
	model_free(rs);
	return low;
}

/* ------------------------------------------------------------------ */
/* Install                                                             */

/*
 * Records of from into to; those located in the canonical text (freed
 * before they are printed) name its line instead.
 */
static void splice_text(struct erec_list *to, struct erec_list *from,
			const struct mr_src *text)
{
	const struct erec *e;
	const char *line;
	size_t len;

	for (e = from->head; e; e = e->next) {
		if (e->loc.src != text) {
			erec_add(to, e->kind, e->exit_code,
				 e->loc.src ? &e->loc : NULL, "%s", e->msg);
			continue;
		}
		line = src_line(text, e->loc.line, &len);
		erec_add(to, e->kind, e->exit_code, NULL, "%s (rule: %.*s)",
			 e->msg, line ? (int)len : 0, line ? line : "");
	}
}

/* Records of from into to, but the warnings located in quiet_src. */
static void splice_loud(struct erec_list *to, struct erec_list *from,
			const struct mr_src *quiet_src)
{
	const struct erec *e;

	for (e = from->head; e; e = e->next) {
		if (e->kind != EREC_ERROR && quiet_src && e->loc.src == quiet_src)
			continue;
		erec_add(to, e->kind, e->exit_code, e->loc.src ? &e->loc : NULL,
			 "%s", e->msg);
	}
}

/* Lowering the model as the user's commands left it: their errors and
 * warnings, at their input lines. */
static int check_lowering(const struct mr_ruleset *rs,
			  const struct mr_src *quiet_src,
			  struct erec_list *errs)
{
	struct erec_list tmp;
	struct mr_ruleset *low;

	erec_init(&tmp);
	low = lower_ruleset(rs, &tmp);
	splice_loud(errs, &tmp, quiet_src);
	erec_free(&tmp);
	model_free(low);
	return low ? 0 : -1;
}

int kmodel_install(const struct mr_ruleset *rs, const struct mr_src *quiet_src,
		   unsigned flags, struct erec_list *errs)
{
	struct backend_tagger tagger = { .fn = ktag_fn };
	struct erec_list tmp;
	struct ktag *tag;
	struct mr_ruleset *low;
	struct mr_src *src;
	struct mr_buf b;
	int ret = -1;

	if (check_lowering(rs, quiet_src, errs))
		return -1;
	erec_init(&tmp);
	buf_init(&b);
	kmodel_text(&b, rs);
	src = src_from_string("<ruleset>", b.s ? b.s : "", b.len);
	buf_free(&b);
	low = lower_text(src, &tmp);
	if (low) {
		tag = ir_alloc(sizeof(*tag));
		tag->src = src;
		tagger.arg = tag;
		ret = backend_install_tagged(low, flags, &tagger, &tmp);
		free(tag);
	}
	splice_text(errs, &tmp, src);
	erec_free(&tmp);
	model_free(low);
	src_free(src);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Read                                                                */

struct kline {
	uint32_t n;
	const char *text;
};

static int kline_cmp(const void *a, const void *b)
{
	const struct kline *x = a, *y = b;

	return x->n < y->n ? -1 : x->n > y->n;
}

static unsigned collect(const struct backend_state *st, struct kline **out)
{
	const struct backend_kchain *c;
	const struct backend_krule *k;
	struct kline *v = NULL;
	unsigned n = 0, cap = 0;
	char *end;

	for (c = st->chains; c; c = c->next)
		for (k = c->rules; k; k = k->next) {
			if (!k->source || !*k->source)
				continue;
			if (n == cap) {
				cap = cap ? 2 * cap : 64;
				v = realloc(v, cap * sizeof(*v));
				if (!v)
					abort();
			}
			v[n].n = (uint32_t)strtoul(k->source, &end, 10);
			v[n].text = *end == ' ' ? end + 1 : end;
			n++;
		}
	if (n)
		qsort(v, n, sizeof(*v), kline_cmp);
	*out = v;
	return n;
}

/* The kernel's lines in order, each once: the model's save text. */
static struct mr_src *kernel_text(const struct backend_state *st,
				  struct erec_list *errs)
{
	struct kline *v;
	unsigned n = collect(st, &v), i;
	struct mr_src *src;
	struct mr_buf b;

	buf_init(&b);
	for (i = 0; i < n; i++) {
		if (i && v[i].n == v[i - 1].n) {
			if (strcmp(v[i].text, v[i - 1].text))
				erec_add(errs, EREC_WARNING, 0, NULL,
					 "masqrule's rules disagree about line %u of their ruleset; the first text is used",
					 v[i].n);
			continue;
		}
		buf_printf(&b, "%s\n", v[i].text);
	}
	free(v);
	src = src_from_string("<kernel>", b.s ? b.s : "", b.len);
	buf_free(&b);
	return src;
}

/* A rule of rs by the line it was read from. */
static struct mr_rule *rule_at(const struct mr_ruleset *rs, uint32_t line)
{
	const struct mr_table *t;
	const struct mr_chain *c;
	struct mr_rule *r;

	for (t = rs->tables; t; t = t->next)
		for (c = t->chains; c; c = c->next)
			for (r = c->rules; r; r = r->next)
				if (r->loc.line == line)
					return r;
	return NULL;
}

/* Each rule's counters: those of the first lowered rule it became. */
static void take_counters(struct kmodel *km)
{
	const struct backend_kchain *c;
	const struct backend_krule *k;
	struct mr_rule *r;

	for (c = km->st->chains; c; c = c->next) {
		if (!strcmp(c->name, KMODEL_CHAIN))
			continue;
		for (k = c->rules; k; k = k->next) {
			if (!k->ours || !k->has_counter || !k->source)
				continue;
			r = rule_at(km->rs, (uint32_t)strtoul(k->source, NULL, 10));
			if (!r || (r->has & MR_HAS_COUNTERS))
				continue;
			r->has |= MR_HAS_COUNTERS;
			r->pkts = k->pkts;
			r->bytes = k->bytes;
		}
	}
}

/* Prove the kernel's rules are what installing the model gives. */
static void verify(struct kmodel *km, struct erec_list *errs)
{
	struct backend_tagger tagger = { .fn = ktag_fn };
	struct ktag *tag = ir_alloc(sizeof(*tag));
	struct erec_list tmp;
	struct mr_ruleset *low;
	struct mr_src *src;
	struct mr_buf b;

	buf_init(&b);
	kmodel_text(&b, km->rs);
	src = src_from_string("<ruleset>", b.s ? b.s : "", b.len);
	buf_free(&b);
	erec_init(&tmp);
	low = lower_text(src, &tmp);
	if (low) {
		tag->src = src;
		tagger.arg = tag;
		km->ndiff = backend_state_verify(km->st, low, &tagger, &tmp);
	}
	splice_text(errs, &tmp, src);
	erec_free(&tmp);
	model_free(low);
	src_free(src);
	free(tag);
}

int kmodel_read(struct kmodel *km, struct erec_list *errs)
{
	struct erec_list perr;

	memset(km, 0, sizeof(*km));
	km->st = backend_state_read(errs);
	if (!km->st)
		return -1;
	km->src = kernel_text(km->st, errs);
	erec_init(&perr);
	km->rs = kmodel_parse(km->src, MR_D_NATIVE, &perr);
	if (!km->rs) {
		erec_add(errs, EREC_ERROR, MR_EXIT_OTHER, NULL,
			 "masqrule's ruleset in the kernel does not read back (changed by another program?); the messages follow");
		erec_splice(errs, &perr);
		erec_free(&perr);
		return -1;
	}
	erec_free(&perr);
	verify(km, errs);
	take_counters(km);
	return 0;
}

void kmodel_free(struct kmodel *km)
{
	model_free(km->rs);
	src_free(km->src);
	backend_state_free(km->st);
	memset(km, 0, sizeof(*km));
}
