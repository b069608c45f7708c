// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The user-level model kept in the kernel (kmodel.h).  The kernel holds
 * the lowered ruleset, which does not decode back to what the user wrote
 * (a legacy forward rule becomes rules in three chains); so each lowered
 * rule also carries its source line (ktext.h), and the model is read from
 * those.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "eval.h"
#include "kmodel.h"
#include "ktext.h"
#include "lower.h"
#include "model.h"
#include "parse.h"
#include "print.h"

#define UPDATE_TRIES 64

/* ------------------------------------------------------------------ */
/* Text <-> model                                                      */

void kmodel_text(struct mr_buf *b, const struct mr_ruleset *rs)
{
	print_ruleset_save(b, rs, 0);
}

/* ------------------------------------------------------------------ */
/* Rules located in their canonical line                               */

/*
 * The model's rules are lowered once, located in the canonical text, so
 * that every lowered rule knows its line (the tag) without parsing that
 * text again; messages go back to the rules' own locations (orig).
 * The walk follows print_ruleset_save(): tables in order, built-in
 * chains in order, then user chains by name.
 */
/*
 * Locate every rule of rs in its canonical line, keeping its own location
 * in orig[line - 1]; back: put the own locations back.
 */
static int relocate(struct mr_ruleset *rs, const struct ktext *k,
		    struct mr_loc *orig, bool back)
{
	struct mr_table *t;
	struct mr_chain **v;
	struct mr_rule *r;
	uint32_t line = 1;
	unsigned n, i;
	const char *s;
	size_t len;
	int bad = 0;

	for (t = rs->tables; t && !bad; t = t->next) {
		v = model_chains_in_order(t, &n);
		line += 1 + n;		/* "*table", declarations */
		for (i = 0; i < n && !bad; i++)
			for (r = v[i]->rules; r; r = r->next, line++) {
				s = ktext_line(k, line, &len);
				bad = !s || len < 3 || memcmp(s, "-A ", 3);
				if (bad)
					break;
				if (back) {
					r->loc = orig[line - 1];
					continue;
				}
				orig[line - 1] = r->loc;
				r->loc = (struct mr_loc){ .src = k->src,
					.line = line, .col = 1 };
			}
		line++;			/* COMMIT */
		free(v);
	}
	return bad ? -1 : 0;
}

/*
 * What kmodel_install() keeps of the canonical text for its messages
 * (kept_setup()): the lines a message may still quote -- those with no
 * own location (tables, chain declarations, COMMIT) -- sorted by number;
 * the rest of the text goes while the batch is built.
 */
struct kept {
	bool on;			/* read these, not k's text */
	uint32_t n, *line;
	size_t *off;			/* n + 1 into text */
	char *text;
};

static const char *line_text(const struct ktext *k, const struct kept *kp,
			     uint32_t line, size_t *len)
{
	uint32_t lo = 0, hi;

	if (!kp || !kp->on)
		return ktext_line(k, line, len);
	hi = kp->n;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;

		if (kp->line[mid] == line) {
			*len = kp->off[mid + 1] - kp->off[mid];
			return kp->text + kp->off[mid];
		}
		if (kp->line[mid] < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Records of from into to, located where the rules came from; warnings
 * of quiet_src left out.  kp: NULL, or the lines kept of k's text. */
static void map_errs(struct erec_list *to, struct erec_list *from,
		     const struct ktext *k, const struct mr_loc *orig,
		     const struct mr_src *quiet_src, const struct kept *kp)
{
	const struct erec *e;
	const struct mr_loc *loc;
	const char *line;
	size_t len;

	for (e = from->head; e; e = e->next) {
		loc = e->loc.src ? &e->loc : NULL;
		if (orig && loc && loc->src == k->src && loc->line &&
		    loc->line <= k->n && orig[loc->line - 1].src)
			loc = &orig[loc->line - 1];
		if (e->kind != EREC_ERROR && quiet_src && loc &&
		    loc->src == quiet_src)
			continue;
		if (loc && loc->src == k->src) {
			line = line_text(k, kp, loc->line, &len);
			erec_add(to, e->kind, e->exit_code, NULL,
				 "%s (rule: %.*s)", e->msg,
				 line ? (int)len : 0, line ? line : "");
			continue;
		}
		erec_add(to, e->kind, e->exit_code, loc, "%s", e->msg);
	}
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

static struct mr_chain *model_chain(struct mr_ruleset *low)
{
	struct mr_table *t = ip_table(low);
	struct mr_chain *c = ir_alloc(sizeof(*c)), **pp;

	c->name = ir_strdup(KMODEL_CHAIN);
	c->hook = MR_HOOK_NONE;
	c->tail = &c->rules;
	for (pp = &t->chains; *pp; pp = &(*pp)->next)
		;
	*pp = c;
	return c;
}

static void add_model_chain(struct mr_ruleset *low, const struct ktext *k)
{
	bool *used = ir_alloc(k->n + 1);
	struct mr_chain *c = NULL;
	struct mr_rule *r;
	uint32_t i;

	mark_used(low, k->src, used, k->n);
	for (i = 0; i < k->n; i++) {
		if (used[i])
			continue;
		if (!c)
			c = model_chain(low);
		r = ir_rule_new(MR_FAM_IP);
		r->loc = (struct mr_loc){ .src = k->src, .line = i + 1,
					  .col = 1 };
		*c->tail = r;
		c->tail = &r->next;
		c->nrules++;
	}
	free(used);
}

/*
 * rs lowered with its rules located in the canonical text k indexes
 * (their own locations in orig until relocate(back)), plus the mr_model
 * chain: what kmodel_install() installs.  NULL with errors queued
 * (located in k: map_errs() them).
 */
static struct mr_ruleset *lower_tagged(struct mr_ruleset *rs,
				       const struct ktext *k,
				       struct mr_loc *orig, bool take,
				       struct erec_list *errs)
{
	struct mr_ruleset *low;

	if (relocate(rs, k, orig, false)) {
		relocate(rs, k, orig, true);
		erec_add(errs, EREC_ERROR, MR_EXIT_OTHER, NULL,
			 "masqrule's save text does not follow its model (a bug)");
		return NULL;
	}
	low = take ? lower_ruleset_take(rs, errs) : lower_ruleset(rs, errs);
	if (low)
		add_model_chain(low, k);
	return low;
}

/* ------------------------------------------------------------------ */
/* Install                                                             */

/* The canonical text, in the buffer it was printed into (no copy). */
static struct mr_src *canonical(const struct mr_ruleset *rs)
{
	struct mr_src *src = ir_alloc(sizeof(*src));
	struct mr_buf b;

	buf_init(&b);
	kmodel_text(&b, rs);
	src->name = ir_strdup("<ruleset>");
	src->len = b.len;
	if (!b.s) {
		src->text = ir_alloc(1);
		return src;
	}
	src->text = realloc(b.s, b.len + 1);
	if (!src->text)
		abort();
	return src;
}

static void drop_rules(struct mr_ruleset *rs)
{
	struct mr_table *t;

	for (t = rs->tables; t; t = t->next)
		model_flush_table(t);
}

/*
 * kmodel_install()'s tagger.  The canonical text is as large as the
 * input and every rule's tag is copied from it into the batch; so it
 * lives in its own mapping, and each page of it is given back as soon as
 * the last rule whose line touches it has its tag (rules go into the
 * batch about in the text's order).  Before that, the lines a message may
 * still quote after the send -- those without an own location (tables,
 * chain declarations, COMMIT) -- are copied aside (kept).
 */
struct kinst {
	struct ktag tag;		/* first: ktag_fn() takes it */
	struct ktext *k;
	const struct mr_loc *orig;
	char *map;			/* the text's mapping; NULL: heap */
	size_t map_len, page;
	uint16_t *uses;			/* line: tags still to copy */
	uint32_t *pin;			/* page: lines on it still in use */
	struct kept kept;
};

#define USES_MAX 0xffff			/* saturated: never released */

/* The canonical text in a mapping of its own (heap if that fails). */
static struct mr_src *canonical_mapped(const struct mr_ruleset *rs,
				       struct kinst *ki)
{
	struct mr_src *src = canonical(rs);
	long page = sysconf(_SC_PAGESIZE);
	void *p;

	if (page <= 0 || !src->len)
		return src;
	ki->page = (size_t)page;
	ki->map_len = (src->len + 1 + ki->page - 1) / ki->page * ki->page;
	p = mmap(NULL, ki->map_len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		ki->map_len = 0;
		return src;
	}
	memcpy(p, src->text, src->len + 1);
	free(src->text);
	src->text = ki->map = p;
	return src;
}

static void line_pages(const struct kinst *ki, uint32_t line, size_t *first,
		       size_t *last)
{
	size_t a = ki->k->off[line - 1], b = ki->k->off[line];

	*first = a / ki->page;
	*last = (b > a ? b - 1 : a) / ki->page;
}

static void page_unpin(struct kinst *ki, size_t pg)
{
	if (--ki->pin[pg] == 0)
		madvise(ki->map + pg * ki->page, ki->page, MADV_DONTNEED);
}

/*
 * After lowering: the lines to keep, and how many tags each line gives
 * (every lowered rule located in the text asks for its line once).
 */
static void kept_setup(struct kinst *ki, const struct mr_ruleset *low)
{
	const struct ktext *k = ki->k;
	struct kept *kp = &ki->kept;
	const struct mr_table *t;
	const struct mr_chain *c;
	const struct mr_rule *r;
	size_t pg, first, last, npages;
	struct mr_buf b;
	const char *s;
	uint32_t i, n = 0;
	size_t len;

	for (i = 0; i < k->n; i++)
		n += !ki->orig[i].src;
	kp->line = ir_alloc((n + 1) * sizeof(*kp->line));
	kp->off = ir_alloc((n + 1) * sizeof(*kp->off));
	buf_init(&b);
	for (i = 0; i < k->n; i++) {
		if (ki->orig[i].src)
			continue;
		s = ktext_line(k, i + 1, &len);
		kp->line[kp->n] = i + 1;
		kp->off[kp->n++] = b.len;
		buf_addn(&b, s, len);
	}
	kp->off[kp->n] = b.len;
	kp->text = b.s ? b.s : ir_alloc(1);
	kp->on = true;
	if (!ki->map)
		return;
	ki->uses = ir_alloc((k->n + 1) * sizeof(*ki->uses));
	for (t = low->tables; t; t = t->next)
		for (c = t->chains; c; c = c->next)
			for (r = c->rules; r; r = r->next)
				if (r->loc.src == k->src && r->loc.line &&
				    r->loc.line <= k->n &&
				    ki->uses[r->loc.line - 1] < USES_MAX)
					ki->uses[r->loc.line - 1]++;
	npages = ki->map_len / ki->page;
	ki->pin = ir_alloc(npages * sizeof(*ki->pin));
	for (i = 0; i < k->n; i++) {
		if (!ki->uses[i])
			continue;
		line_pages(ki, i + 1, &first, &last);
		for (pg = first; pg <= last; pg++)
			ki->pin[pg]++;
	}
	/* pages no tag needs go now */
	for (pg = 0; pg < npages; pg++)
		if (!ki->pin[pg]) {
			ki->pin[pg] = 1;
			page_unpin(ki, pg);
		}
}

static const char *kinst_tag(const char *chain, const struct mr_rule *r,
			     void *arg)
{
	struct kinst *ki = arg;
	uint32_t line = r->loc.line;
	size_t pg, first, last;
	const char *tag;

	/* a line asked for more often than counted would read zeros */
	if (ki->uses && r->loc.src == ki->k->src && line && line <= ki->k->n &&
	    !ki->uses[line - 1]) {
		line_pages(ki, line, &first, &last);
		for (pg = first; pg <= last; pg++)
			if (!ki->pin[pg]) {
				fprintf(stderr, "masqrule: the tag of line %u was released (a bug)\n",
					line);
				abort();
			}
	}
	tag = ktag_fn(chain, r, &ki->tag);
	/* the tag is in ki->tag.buf: the line's pages may go */
	if (ki->uses && r->loc.src == ki->k->src && line && line <= ki->k->n &&
	    ki->uses[line - 1] && ki->uses[line - 1] < USES_MAX &&
	    --ki->uses[line - 1] == 0) {
		line_pages(ki, line, &first, &last);
		for (pg = first; pg <= last; pg++)
			page_unpin(ki, pg);
	}
	return tag;
}

static void kinst_free(struct kinst *ki, struct mr_src *src)
{
	if (ki->map) {
		munmap(ki->map, ki->map_len);
		src->text = ir_alloc(1);
		src->len = 0;
	}
	free(ki->uses);
	free(ki->pin);
	free(ki->kept.line);
	free(ki->kept.off);
	free(ki->kept.text);
	free(ki);
}

/* The lowered base chain of an iptables table's built-in chain. */
static void nf_base_name(char *buf, size_t len, const struct mr_table *t,
			 const struct mr_chain *ch)
{
	snprintf(buf, len, "%s_%s", ir_table_name((enum mr_tabid)t->id),
		 ch->name);
}

/*
 * Policy counters: an iptables table's built-in chain is one base chain
 * whose policy is the chain's (lowering.md section 2), so the base
 * chain's own counters (NFTA_CHAIN_COUNTERS) count exactly the packets
 * that got the policy.  The model's go into the lowered chains.
 */
static void policy_counters_out(const struct mr_ruleset *rs,
				struct mr_ruleset *low)
{
	const struct mr_table *t;
	const struct mr_chain *ch;
	struct mr_table *lt;
	struct mr_chain *lc;
	char name[96];

	for (t = rs->tables; t; t = t->next) {
		if (t->id == MR_T_LEGACY)
			continue;
		for (ch = t->chains; ch; ch = ch->next) {
			if (!ch->builtin || (!ch->pkts && !ch->bytes))
				continue;
			nf_base_name(name, sizeof(name), t, ch);
			for (lt = low->tables; lt; lt = lt->next)
				for (lc = lt->family == t->family ?
				     lt->chains : NULL; lc; lc = lc->next)
					if (lc->builtin &&
					    !strcmp(lc->name, name)) {
						lc->pkts = ch->pkts;
						lc->bytes = ch->bytes;
					}
		}
	}
}

/* The kernel's base chain counters into the model's built-in chains. */
static void policy_counters_in(struct kmodel *km)
{
	const struct backend_kchain *c;
	struct mr_table *t;
	struct mr_chain *ch;
	char name[96];

	for (t = km->rs->tables; t; t = t->next) {
		if (t->id == MR_T_LEGACY)
			continue;
		for (ch = t->chains; ch; ch = ch->next) {
			if (!ch->builtin)
				continue;
			nf_base_name(name, sizeof(name), t, ch);
			for (c = km->st->chains; c; c = c->next)
				if (c->family == t->family && c->base &&
				    c->has_counters && !strcmp(c->name, name)) {
					ch->pkts = c->pkts;
					ch->bytes = c->bytes;
				}
		}
	}
}

int kmodel_install(struct mr_ruleset *rs, const struct mr_src *quiet_src,
		   unsigned flags, uint32_t genid, struct erec_list *errs)
{
	struct backend_tagger tagger = { .fn = kinst_tag };
	struct kinst *ki = ir_alloc(sizeof(*ki));
	struct mr_src *src = canonical_mapped(rs, ki);
	struct mr_ruleset *low;
	struct erec_list tmp;
	struct mr_loc *orig;
	struct ktext k;
	int ret = -1;

	ktext_index(&k, src);
	orig = ir_alloc((k.n + 1) * sizeof(*orig));
	erec_init(&tmp);
	/*
	 * Memory: at 50,000 rules the model, its lowered copy and the batch
	 * cost about the same each.  So the netfilter rules move into the
	 * lowered ruleset, the rest of the model goes, and the backend frees
	 * each lowered rule once it is in the batch; the canonical text goes
	 * page by page as the tags are copied (kinst_tag()).
	 */
	low = lower_tagged(rs, &k, orig, true, &tmp);
	if (low)
		policy_counters_out(rs, low);
	drop_rules(rs);
	if (low) {
		ki->tag.k = &k;
		ki->k = &k;
		ki->orig = orig;
		kept_setup(ki, low);
		tagger.arg = ki;
		ret = backend_install_gen(low, flags | BACKEND_F_CONSUME,
					  &tagger, genid, &tmp);
	}
	/* lowering and kernel errors at the rules' own lines */
	map_errs(errs, &tmp, &k, orig, quiet_src, &ki->kept);
	erec_free(&tmp);
	model_free(low);
	ktext_free(&k);
	kinst_free(ki, src);
	src_free(src);
	free(orig);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Read                                                                */

/* Each rule's counters: those of the first lowered rule it became. */
static void take_counters(struct kmodel *km)
{
	const struct backend_kchain *c;
	const struct backend_krule *k;
	struct mr_rule **at, *r;
	const struct mr_table *t;
	const struct mr_chain *ch;
	uint32_t n = 0, i;

	for (i = 0; i < km->src->len; i++)
		n += km->src->text[i] == '\n';
	at = ir_alloc((n + 2) * sizeof(*at));
	for (t = km->rs->tables; t; t = t->next)
		for (ch = t->chains; ch; ch = ch->next)
			for (r = ch->rules; r; r = r->next)
				if (r->loc.src == km->src && r->loc.line <= n + 1)
					at[r->loc.line] = r;
	for (c = km->st->chains; c; c = c->next) {
		if (!strcmp(c->name, KMODEL_CHAIN))
			continue;
		for (k = c->rules; k; k = k->next) {
			if (!k->ours || !k->has_counter || !k->line ||
			    k->line > n + 1 || !(r = at[k->line]) ||
			    (r->has & MR_HAS_COUNTERS))
				continue;
			r->has |= MR_HAS_COUNTERS;
			r->pkts = k->pkts;
			r->bytes = k->bytes;
		}
	}
	free(at);
}

/* Prove the kernel's rules are what installing the model gives. */
static void verify(struct kmodel *km, struct erec_list *errs)
{
	struct backend_tagger tagger = { .fn = ktag_fn };
	struct ktag *tag = ir_alloc(sizeof(*tag));
	struct mr_src *src = canonical(km->rs);
	struct erec_list lw, tmp;
	struct mr_ruleset *low;
	struct mr_loc *orig;
	struct ktext k;

	ktext_index(&k, src);
	/* the text as read back: expect the kernel's own line numbers
	 * (appends and inserts renumber nothing) */
	if (src->len == km->src->len &&
	    !memcmp(src->text, km->src->text, src->len))
		k.kn = km->kn;
	orig = ir_alloc((k.n + 1) * sizeof(*orig));
	erec_init(&lw);
	erec_init(&tmp);
	/* lowering warnings were given when the rules were added */
	low = lower_tagged(km->rs, &k, orig, false, &lw);
	if (low) {
		tag->k = &k;
		tagger.arg = tag;
		km->ndiff = backend_state_verify(km->st, low, &tagger, &tmp);
	} else {
		erec_add(errs, EREC_ERROR, MR_EXIT_OTHER, NULL,
			 "masqrule cannot lower its own ruleset read back (a bug); the messages follow");
		map_errs(errs, &lw, &k, orig, NULL, NULL);
	}
	map_errs(errs, &tmp, &k, orig, NULL, NULL);
	relocate(km->rs, &k, orig, true);
	erec_free(&lw);
	erec_free(&tmp);
	model_free(low);
	ktext_free(&k);
	src_free(src);
	free(orig);
	free(tag);
}

int kmodel_read(struct kmodel *km, struct erec_list *errs)
{
	return kmodel_read_skip(km, NULL, errs);
}

int kmodel_read_skip(struct kmodel *km, const struct backend_skip *skip,
		     struct erec_list *errs)
{
	struct erec_list perr;

	memset(km, 0, sizeof(*km));
	km->st = backend_state_read_skip(skip, errs);
	if (!km->st)
		return -1;
	km->src = ktext_read(km->st, &km->kn, errs);
	erec_init(&perr);
	km->rs = model_parse(km->src, MR_D_NATIVE, true, &perr);
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
	policy_counters_in(km);
	return 0;
}

void kmodel_free(struct kmodel *km)
{
	model_free(km->rs);
	src_free(km->src);
	free(km->kn);
	backend_state_free(km->st);
	memset(km, 0, sizeof(*km));
}

/* ------------------------------------------------------------------ */
/* Read, change, install                                               */

/* Writers that keep colliding take turns: wait a little, longer and
 * with some jitter each time. */
static void backoff(int try)
{
	unsigned us = 200u * (unsigned)(try < 10 ? try + 1 : 10);

	usleep(us + (unsigned)(rand() % (int)us));
}

int kmodel_update(struct kmodel *km, const struct backend_skip *skip,
		  kmodel_change_fn fn, void *arg, unsigned flags,
		  struct erec_list *errs)
{
	struct erec_list tmp;
	int rc = -1, try;

	srand((unsigned)getpid());
	memset(km, 0, sizeof(*km));
	for (try = 0; try < UPDATE_TRIES; try++) {
		erec_init(&tmp);
		rc = kmodel_read_skip(km, skip, &tmp);
		if (!rc)
			rc = fn(km, arg, &tmp);
		if (rc == 1)
			rc = kmodel_install(km->rs, km->src, flags,
					    km->st->genid, &tmp);
		if (rc != BACKEND_RETRY) {
			erec_splice(errs, &tmp);
			erec_free(&tmp);
			return rc < 0 ? -1 : 0;
		}
		/* someone committed since the read: do it all again */
		erec_free(&tmp);
		kmodel_free(km);
		backoff(try);
	}
	erec_add(errs, EREC_ERROR, MR_EXIT_RESOURCE, NULL,
		 "the ruleset kept changing under masqrule (%d attempts): nothing changed",
		 UPDATE_TRIES);
	return -1;
}
