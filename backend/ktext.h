/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The model's save text as rule user data (docs/backend.md, "The model"):
 * which text each installed rule carries (the tagger) and the text read
 * back from the kernel's rules.  Two kinds of tags:
 *
 *   "N text"  line N of the canonical text: table, chain and COMMIT lines
 *             (chain mr_model), helper/timeout/port-forward lines, rules
 *             of the legacy table (their lowering spreads one rule over
 *             several chains, so their place needs the number);
 *   "-A ..."  a rule of a netfilter table: its lowered chain holds exactly
 *             that chain's rules, so the kernel's order in the chain is
 *             its place and no number is needed -- appending or inserting
 *             one rule renumbers nothing.
 *
 * Reading back: the numbered lines in order; before the COMMIT of a
 * netfilter table block, for each chain it declares, the rules of its
 * lowered chain in kernel order.
 */
#ifndef MR_BACKEND_KTEXT_H
#define MR_BACKEND_KTEXT_H

#include <stdbool.h>
#include <stdint.h>
#include "backend.h"
#include "buf.h"
#include "src.h"

/* A text's lines, indexed once (src_line() scans from the start). */
struct ktext {
	const struct mr_src *src;
	uint32_t n;
	size_t *off;		/* n + 1: line i (0-based) is off[i]..off[i+1] */
	bool *nf;		/* line i is a rule of a netfilter table */
	/* NULL, or line i's number in the kernel's tags (ktext_read) */
	const uint32_t *kn;
};

void ktext_index(struct ktext *k, const struct mr_src *src);
void ktext_free(struct ktext *k);
/* Line (1-based) without its newline; NULL if out of range. */
const char *ktext_line(const struct ktext *k, uint32_t line, size_t *len);

/* The tagger of rules lowered from the text k indexes. */
struct ktag {
	const struct ktext *k;
	char buf[1024];
};
const char *ktag_fn(const char *chain, const struct mr_rule *r, void *arg);

/* A tag is numbered ("N text") or a netfilter rule's ("-A ..."). */
bool ktag_numbered(const char *tag, uint32_t *n, const char **text);

/*
 * The kernel's model text.  Every kernel rule whose tag is used gets
 * k->line, its line in the result; *kn (n entries, free()) maps the
 * result's lines to the numbers the kernel's tags had (0: no number).
 * Disagreeing copies of a line are warnings.
 */
struct mr_src *ktext_read(struct backend_state *st, uint32_t **kn,
			  struct erec_list *errs);

/* The numbered tags of the given rules in order, as text (the fast
 * path reads the mr_model chain only: tables and chains). */
void ktext_numbered(struct mr_buf *b, const struct backend_krule *rules);

#endif
