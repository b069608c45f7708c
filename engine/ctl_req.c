// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The control socket's requests: the running ruleset as text (GET), a new
 * ruleset from text (SET), the masquerade table (MASQ).  The text is the
 * canonical save form (print_ruleset_save), so what a client reads back
 * parses to the same model it had.
 */
#include <stdlib.h>
#include <string.h>
#include "ctl.h"
#include "eng_int.h"
#include "eval.h"
#include "helper.h"
#include "model.h"
#include "parse.h"
#include "print.h"


void ctl_state_init(struct ctl_state *s, struct eng *e)
{
	memset(s, 0, sizeof(*s));
	s->e = e;
	s->gen = 1;
}

static void reply(struct mr_buf *out, uint16_t status, uint64_t gen,
		  const void *data, size_t len)
{
	struct ctl_hdr h = { .magic = CTL_MAGIC, .op = status, .gen = gen,
			     .len = (uint32_t)len };

	buf_addn(out, (const char *)&h, sizeof(h));
	if (len)
		buf_addn(out, data, len);
}

/* ------------------------------------------------------------------ */
/* GET                                                                 */

static void do_get(struct ctl_state *s, struct mr_buf *out)
{
	const struct mr_ruleset *rs = eng_ruleset(s->e);
	struct mr_buf b;

	buf_init(&b);
	if (rs)
		print_ruleset_save(&b, rs, MR_PF_COUNTERS);
	reply(out, CTL_OK, s->gen, b.s, b.len);
	buf_free(&b);
}

/* ------------------------------------------------------------------ */
/* SET: text -> model                                                  */

struct rd {
	struct mr_ruleset *rs;
	struct eval_ctx ev;
	struct erec_list *errs;
};

static int rd_line(void *data, struct mr_pcmd *p)
{
	struct rd *r = data;
	struct mr_cmd *cmds = NULL, **tail = &cmds, *c, *next;

	if (eval_pcmd(&r->ev, p, &tail))
		return 0;
	for (c = cmds; c; c = next) {
		next = c->next;
		/* a table block replaces the table, as in restore */
		if (c->op == MR_OP_TABLE_BEGIN)
			model_flush_table(model_table(r->rs, c->family, c->table));
		model_apply(r->rs, c, r->errs);
		ir_cmd_free(c);
	}
	return 0;
}

/* Native save text into a new model; NULL with errors queued. */
static struct mr_ruleset *read_text(const struct mr_src *src,
				    struct erec_list *errs)
{
	struct parse_opts po = { .dialect = MR_D_NATIVE, .family = MR_FAM_IP,
				 .file = true };
	struct mr_loc end = { .src = src };
	struct rd r = { .rs = model_new(), .errs = errs };

	eval_init(&r.ev, errs);
	parse_src(src, &po, errs, rd_line, &r);
	eval_finish(&r.ev, &end);
	if (errs->nerrors) {
		model_free(r.rs);
		return NULL;
	}
	/* nothing at all: the empty legacy table, with its policies shown */
	if (!r.rs->tables)
		model_table(r.rs, MR_FAM_IP, MR_T_LEGACY);
	return r.rs;
}

/* ------------------------------------------------------------------ */
/* SET: counters of unchanged rules go on counting                     */

/*
 * Which new counter takes which old one, found off the loop; the values
 * are copied at the swap, so packets counted meanwhile are not lost.
 */
struct ctr_pair {
	uint64_t *np, *nb;
	const uint64_t *op, *ob;
};

struct ctl_set {
	struct ctl_hdr h;
	struct mr_src *src;
	struct mr_ruleset *rs;		/* NULL: refused, stale or a test */
	const struct mr_ruleset *base;	/* the running one it was built on */
	bool stale, ok;
	struct erec_list errs;
	struct ctr_pair *carry;
	size_t ncarry, capcarry;
};

static void carry_add(struct ctl_set *j, uint64_t *np, uint64_t *nb,
		      const uint64_t *op, const uint64_t *ob)
{
	if (j->ncarry == j->capcarry) {
		j->capcarry = j->capcarry ? 2 * j->capcarry : 64;
		j->carry = realloc(j->carry, j->capcarry * sizeof(*j->carry));
		if (!j->carry)
			abort();	/* as ir_alloc */
	}
	j->carry[j->ncarry++] = (struct ctr_pair){ np, nb, op, ob };
}

/* The old chain's rules with their text, printed once. */
struct old_rules {
	const struct mr_rule **r;
	char **text;
	bool *used;
	size_t n;
};

static void old_rules_get(struct old_rules *o, const struct mr_chain *c)
{
	const struct mr_rule *r;
	struct mr_buf b;
	size_t i = 0;

	o->n = c->nrules;
	o->r = ir_alloc((o->n + 1) * sizeof(*o->r));
	o->text = ir_alloc((o->n + 1) * sizeof(*o->text));
	o->used = ir_alloc(o->n + 1);
	buf_init(&b);
	for (r = c->rules; r && i < o->n; r = r->next, i++) {
		buf_reset(&b);
		print_rule_args(&b, r, 0);
		o->r[i] = r;
		o->text[i] = ir_strdup(b.s ? b.s : "");
	}
	o->n = i;
	buf_free(&b);
}

static void old_rules_free(struct old_rules *o)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		free(o->text[i]);
	free(o->text);
	free(o->r);
	free(o->used);
}

/*
 * A rule of the new chain takes the counters of the first unclaimed old
 * rule with the same text, looked for from just after the last one
 * claimed: one pass for the usual edit (a rule added, deleted or moved).
 * Only the old rules' text is read: the loop counts into them meanwhile.
 */
static void carry_chain(struct ctl_set *j, struct mr_chain *nc,
			const struct mr_chain *oc)
{
	struct old_rules o;
	struct mr_rule *r;
	struct mr_buf a;
	size_t from = 0, k, i;

	carry_add(j, &nc->pkts, &nc->bytes, &oc->pkts, &oc->bytes);
	old_rules_get(&o, oc);
	buf_init(&a);
	for (r = nc->rules; r && o.n; r = r->next) {
		buf_reset(&a);
		print_rule_args(&a, r, 0);
		for (k = 0; k < o.n; k++) {
			i = (from + k) % o.n;
			if (o.used[i] || strcmp(o.text[i], a.s ? a.s : ""))
				continue;
			o.used[i] = true;
			carry_add(j, &r->pkts, &r->bytes, &o.r[i]->pkts,
				  &o.r[i]->bytes);
			from = i + 1;
			break;
		}
	}
	buf_free(&a);
	old_rules_free(&o);
}

static void carry_counters(struct ctl_set *j)
{
	const struct mr_table *ot;
	const struct mr_chain *oc;
	struct mr_table *t;
	struct mr_chain *c;

	if (!j->base)
		return;
	for (t = j->rs->tables; t; t = t->next) {
		ot = model_table_find(j->base, t->family, t->id);
		for (c = t->chains; ot && c; c = c->next) {
			oc = model_chain_find(ot, c->name);
			if (oc)
				carry_chain(j, c, oc);
		}
	}
}

/* ------------------------------------------------------------------ */
/* SET                                                                 */

static void put_erecs(struct mr_buf *b, const struct erec_list *errs)
{
	const struct erec *e;
	struct ctl_erec w;

	for (e = errs->head; e; e = e->next) {
		memset(&w, 0, sizeof(w));
		w.kind = (uint8_t)e->kind;
		w.exit_code = (uint8_t)e->exit_code;
		if (e->loc.src) {
			w.line = e->loc.line;
			w.col = e->loc.col;
			w.len = e->loc.len;
		}
		w.msglen = (uint16_t)strnlen(e->msg, UINT16_MAX);
		buf_addn(b, (const char *)&w, sizeof(w));
		buf_addn(b, e->msg, w.msglen);
	}
}

struct ctl_set *ctl_set_prepare(const struct ctl_state *s,
				const struct ctl_hdr *h, const uint8_t *text)
{
	struct ctl_set *j = ir_alloc(sizeof(*j));

	j->h = *h;
	erec_init(&j->errs);
	j->base = eng_ruleset(s->e);
	if (h->gen != s->gen) {
		j->stale = true;
		return j;
	}
	j->src = src_from_string("<engine>", (const char *)text, h->len);
	j->rs = read_text(j->src, &j->errs);
	if (!j->rs)
		return j;
	if (eng_check(j->rs, &j->errs) || (h->flags & CTL_F_TEST)) {
		model_free(j->rs);
		j->rs = NULL;
		j->ok = !j->errs.nerrors;
		return j;
	}
	if (!(h->flags & CTL_F_COUNTERS))
		carry_counters(j);
	j->ok = true;
	return j;
}

void ctl_set_free(struct ctl_set *j)
{
	if (!j)
		return;
	model_free(j->rs);
	src_free(j->src);
	erec_free(&j->errs);
	free(j->carry);
	free(j);
}

static void reply_errs(struct mr_buf *out, uint64_t gen,
		       const struct erec_list *errs)
{
	struct mr_buf b;

	buf_init(&b);
	put_erecs(&b, errs);
	reply(out, CTL_ERR, gen, b.s, b.len);
	buf_free(&b);
}

/* The swap: counters carried, the new ruleset in, its text kept. */
static int set_swap(struct ctl_state *s, struct ctl_set *j)
{
	struct mr_ruleset *old;
	size_t i;

	for (i = 0; i < j->ncarry; i++) {
		*j->carry[i].np = *j->carry[i].op;
		*j->carry[i].nb = *j->carry[i].ob;
	}
	/* checked on the worker already: only the swap runs here */
	if (eng_swap(s->e, j->rs, &old, &j->errs))
		return -1;
	j->rs = NULL;		/* the engine's now */
	model_free(old);
	/* the old ruleset is gone: its text may go too */
	src_free(s->src);
	s->src = j->src;
	j->src = NULL;
	s->gen++;
	return 0;
}

void ctl_set_finish(struct ctl_state *s, struct ctl_set *j,
		    struct mr_buf *out)
{
	/* built on a ruleset no longer running: as stale as a wrong gen */
	if (j->stale || j->h.gen != s->gen ||
	    (j->rs && j->base != eng_ruleset(s->e)))
		reply(out, CTL_STALE, s->gen, NULL, 0);
	else if (!j->ok)
		reply_errs(out, s->gen, &j->errs);
	else if (!j->rs)
		reply(out, CTL_OK, s->gen, NULL, 0);	/* test passed */
	else if (set_swap(s, j))
		reply_errs(out, s->gen, &j->errs);
	else
		reply(out, CTL_OK, s->gen, NULL, 0);
	ctl_set_free(j);
}

static void do_set(struct ctl_state *s, const struct ctl_hdr *h,
		   const uint8_t *text, struct mr_buf *out)
{
	ctl_set_finish(s, ctl_set_prepare(s, h, text), out);
}

/* ------------------------------------------------------------------ */
/* MASQ                                                                */

static void fill_seq(struct ctl_masq *m, const struct masq *mq,
		     const struct conn *c)
{
	struct conn_ext *x;
	const struct conn_seqadj *s;

	if (!c->ext)
		return;
	x = masq_ext((struct masq *)mq, (struct conn *)c, false);
	s = x ? &x->dir[0] : NULL;
	if (!s || !s->n)
		return;
	m->init_seq = s->rec[s->n - 1].pos;
	m->delta = s->rec[s->n - 1].after;
	m->prev_delta = s->n > 1 ? s->rec[s->n - 2].after : s->base;
}

size_t eng_masq_entries(const struct eng *e, struct ctl_masq *v, size_t max)
{
	struct eng_conn_info ci;
	const struct conn *c;
	uint32_t it = 0, it2 = 0;
	size_t n = 0;

	while (eng_conn_next(e, &it, &ci)) {
		c = masq_next(&e->masq, &it2);
		if (n < max && c) {
			struct ctl_masq *m = &v[n];

			memset(m, 0, sizeof(*m));
			m->proto = ci.proto;
			strncpy(m->state, ci.state, sizeof(m->state) - 1);
			m->expires_ms = ci.expires_ms;
			m->iaddr = ci.iaddr;
			m->aaddr = ci.aaddr;
			m->raddr = ci.raddr;
			m->iport = ci.iport;
			m->aport = ci.aport;
			m->rport = ci.rport;
			fill_seq(m, &e->masq, c);
		}
		n++;
	}
	return n;
}

static void do_masq(struct ctl_state *s, struct mr_buf *out)
{
	size_t n = eng_conn_count(s->e) + 16, got;
	struct ctl_masq *v = ir_alloc(n * sizeof(*v));

	/* the table cannot change while we are here: count + 16 is room */
	got = eng_masq_entries(s->e, v, n);
	if (got > n)
		got = n;
	reply(out, CTL_OK, s->gen, v, got * sizeof(*v));
	free(v);
}

void ctl_request(struct ctl_state *s, const struct ctl_hdr *h,
		 const uint8_t *payload, struct mr_buf *out)
{
	switch (h->op) {
	case CTL_GET:
		do_get(s, out);
		break;
	case CTL_SET:
		do_set(s, h, payload, out);
		break;
	case CTL_MASQ:
		do_masq(s, out);
		break;
	default:
		reply(out, CTL_BAD, s->gen, NULL, 0);
	}
}
