// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The model's save text in rule user data (ktext.h): the tags written
 * on install and the text read back from them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kmodel.h"
#include "ktext.h"
#include "lower_int.h"

/* ------------------------------------------------------------------ */
/* Line index                                                          */

static bool starts(const char *s, size_t len, const char *word)
{
	size_t n = strlen(word);

	return len >= n && !memcmp(s, word, n);
}

/* "*legacy" opens the legacy table; every other "*name" a netfilter one. */
static bool nf_block(const char *s, size_t len)
{
	return !(starts(s, len, "*legacy") &&
		 (len == 7 || s[7] == ' '));
}

void ktext_index(struct ktext *k, const struct mr_src *src)
{
	const char *p = src->text, *end = src->text + src->len, *nl;
	uint32_t cap = 0;
	bool in_nf = false;
	size_t len;

	memset(k, 0, sizeof(*k));
	k->src = src;
	/* the lines counted first: the index at its size, no doubling */
	for (; p < end && (nl = memchr(p, '\n', (size_t)(end - p)));
	     p = nl + 1)
		cap++;
	cap += 2;
	k->off = malloc(cap * sizeof(*k->off));
	k->nf = malloc(cap);
	if (!k->off || !k->nf)
		abort();
	for (p = src->text; p < end; p = nl ? nl + 1 : end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (*p == '*')
			in_nf = nf_block(p, len);
		k->nf[k->n] = in_nf && starts(p, len, "-A ");
		if (starts(p, len, "COMMIT"))
			in_nf = false;
		k->off[k->n++] = (size_t)(p - src->text);
	}
	k->off[k->n] = src->len;
}

void ktext_free(struct ktext *k)
{
	free(k->off);
	free(k->nf);
	memset(k, 0, sizeof(*k));
}

const char *ktext_line(const struct ktext *k, uint32_t line, size_t *len)
{
	const char *s;

	if (!line || line > k->n)
		return NULL;
	s = k->src->text + k->off[line - 1];
	*len = k->off[line] - k->off[line - 1];
	if (*len && s[*len - 1] == '\n')
		(*len)--;
	return s;
}

/* ------------------------------------------------------------------ */
/* Tags                                                                */

const char *ktag_fn(const char *chain, const struct mr_rule *r, void *arg)
{
	struct ktag *t = arg;
	const struct ktext *k = t->k;
	uint32_t line = r->loc.line;
	const char *text;
	size_t len;

	if (r->loc.src != k->src || !(text = ktext_line(k, line, &len)))
		return "";	/* derived rule: only the mark */
	/* a netfilter rule in its lowered chain: the chain's order is its
	 * place (the mr_model chain keeps numbers for everything) */
	if (k->nf[line - 1] && strcmp(chain, KMODEL_CHAIN))
		snprintf(t->buf, sizeof(t->buf), "%.*s", (int)len, text);
	else
		snprintf(t->buf, sizeof(t->buf), "%u %.*s",
			 k->kn && k->kn[line - 1] ? k->kn[line - 1] : line,
			 (int)len, text);
	return t->buf;
}

bool ktag_numbered(const char *tag, uint32_t *n, const char **text)
{
	char *end;

	if (!tag || *tag < '0' || *tag > '9')
		return false;
	*n = (uint32_t)strtoul(tag, &end, 10);
	*text = *end == ' ' ? end + 1 : end;
	return true;
}

/* ------------------------------------------------------------------ */
/* Reading back                                                        */

struct kline {
	uint32_t n;
	const char *text;
	struct backend_krule *k;
};

struct klines {
	struct kline *v;
	unsigned n, cap;
};

static void klines_add(struct klines *l, struct backend_krule *k)
{
	struct kline *x;

	if (!ktag_numbered(k->source, &(uint32_t){ 0 }, &(const char *){ 0 }))
		return;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v)
			abort();
	}
	x = &l->v[l->n++];
	x->k = k;
	ktag_numbered(k->source, &x->n, &x->text);
}

static int kline_cmp(const void *a, const void *b)
{
	const struct kline *x = a, *y = b;

	return x->n < y->n ? -1 : x->n > y->n;
}

/* The text being built, and each of its lines' kernel number. */
struct kout {
	struct mr_buf b;
	uint32_t nlines, cap;
	uint32_t *kn;
};

static void kout_line(struct kout *o, const char *text, uint32_t n)
{
	if (o->nlines == o->cap) {
		o->cap = o->cap ? 2 * o->cap : 256;
		o->kn = realloc(o->kn, o->cap * sizeof(*o->kn));
		if (!o->kn)
			abort();
	}
	o->kn[o->nlines++] = n;
	buf_add(&o->b, text);
	buf_addc(&o->b, '\n');
}

/* The netfilter table block being read: "*name [ip6]" and its chains. */
struct kblock {
	bool on;
	uint8_t family;
	char prefix[40];	/* "<table>_": lowered chain names */
	char **decl;
	unsigned ndecl, cap;
};

static void kblock_reset(struct kblock *bl)
{
	unsigned i;

	for (i = 0; i < bl->ndecl; i++)
		free(bl->decl[i]);
	bl->ndecl = 0;
	bl->on = false;
}

static void kblock_open(struct kblock *bl, const char *text)
{
	size_t len = strcspn(text + 1, " ");

	kblock_reset(bl);
	bl->on = nf_block(text, strlen(text)) && len < sizeof(bl->prefix) - 2;
	bl->family = strstr(text + 1 + len, "ip6") ? MR_FAM_IP6 : MR_FAM_IP;
	snprintf(bl->prefix, sizeof(bl->prefix), "%.*s_", (int)len, text + 1);
}

static void kblock_decl(struct kblock *bl, const char *text)
{
	if (bl->ndecl == bl->cap) {
		bl->cap = bl->cap ? 2 * bl->cap : 8;
		bl->decl = realloc(bl->decl, bl->cap * sizeof(*bl->decl));
		if (!bl->decl)
			abort();
	}
	bl->decl[bl->ndecl++] = strndup(text + 1, strcspn(text + 1, " "));
}

static struct backend_kchain *kchain(struct backend_state *st, uint8_t family,
				     const char *name)
{
	struct backend_kchain *c;

	for (c = st->chains; c; c = c->next)
		if (c->family == family && !strcmp(c->name, name))
			return c;
	return NULL;
}

/* Before the block's COMMIT: each declared chain's rules, kernel order. */
static void kblock_rules(struct kblock *bl, struct backend_state *st,
			 struct kout *o)
{
	struct backend_kchain *c;
	struct backend_krule *k;
	unsigned i;
	char *name;

	for (i = 0; i < bl->ndecl; i++) {
		name = lw_chain_name(bl->prefix, bl->decl[i]);
		c = kchain(st, bl->family, name);
		free(name);
		if (!c || c->placed)
			continue;
		c->placed = true;
		for (k = c->rules; k; k = k->next) {
			if (!k->source || strncmp(k->source, "-A ", 3))
				continue;
			kout_line(o, k->source, 0);
			k->line = o->nlines;
		}
	}
}

static void kread_line(struct kout *o, struct kblock *bl,
		       struct backend_state *st, const struct kline *x)
{
	if (x->text[0] == '*') {
		kblock_open(bl, x->text);
	} else if (x->text[0] == ':' && bl->on) {
		kblock_decl(bl, x->text);
	} else if (!strcmp(x->text, "COMMIT") && bl->on) {
		kblock_rules(bl, st, o);
		kblock_reset(bl);
	}
	kout_line(o, x->text, x->n);
}

struct mr_src *ktext_read(struct backend_state *st, uint32_t **kn,
			  struct erec_list *errs)
{
	struct klines l = { 0 };
	struct kout o = { 0 };
	struct kblock bl = { 0 };
	struct backend_kchain *c;
	struct backend_krule *k;
	struct mr_src *src;
	unsigned i;

	for (c = st->chains; c; c = c->next)
		for (k = c->rules; k; k = k->next)
			klines_add(&l, k);
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), kline_cmp);
	buf_init(&o.b);
	for (i = 0; i < l.n; i++) {
		if (i && l.v[i].n == l.v[i - 1].n) {
			if (strcmp(l.v[i].text, l.v[i - 1].text))
				erec_add(errs, EREC_WARNING, 0, NULL,
					 "masqrule's rules disagree about line %u of their ruleset; the first text is used",
					 l.v[i].n);
			l.v[i].k->line = o.nlines;
			continue;
		}
		kread_line(&o, &bl, st, &l.v[i]);
		l.v[i].k->line = o.nlines;
	}
	kblock_reset(&bl);
	free(bl.decl);
	free(l.v);
	src = src_from_string("<kernel>", o.b.s ? o.b.s : "", o.b.len);
	buf_free(&o.b);
	*kn = o.kn;
	return src;
}

void ktext_numbered(struct mr_buf *b, const struct backend_krule *rules)
{
	struct klines l = { 0 };
	const struct backend_krule *k;
	unsigned i;

	for (k = rules; k; k = k->next)
		klines_add(&l, (struct backend_krule *)k);
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), kline_cmp);
	for (i = 0; i < l.n; i++)
		if (!i || l.v[i].n != l.v[i - 1].n)
			buf_printf(b, "%s\n", l.v[i].text);
	free(l.v);
}
