/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * iptables extensions (matches and targets): one file each, xt_<name>.c,
 * holding the option table, parsing into the IR, the checks, and the
 * iptables-save and nft text forms.  xt.c keeps the table of all of them.
 */
#ifndef MR_XT_H
#define MR_XT_H

#include <stdbool.h>
#include "buf.h"
#include "erec.h"
#include "ir.h"
#include "opt.h"

/* What an extension's parse and check callbacks see. */
struct mr_xctx {
	struct mr_rule *rule;
	struct mr_match *match;		/* being built; NULL for a target */
	struct erec_list *errs;
	const struct mr_loc *loc;	/* the -m / -j word, for check errors */
	uint8_t dialect;		/* enum mr_dialect */
	uint8_t family;			/* enum mr_family */
	uint8_t table;			/* enum mr_tabid */
	const char *chain;
};

/* What an extension's nft printer sees. */
struct mr_xlctx {
	struct mr_buf *b;
	const struct mr_rule *rule;
	uint8_t family;
};

struct mr_xt {
	const char *name;		/* "tcp", "MASQUERADE" */
	const char *alias;		/* another spelling ("state" for ...), or NULL */
	uint16_t kind;			/* mr_mkind/mr_xkind or mr_verdict/mr_xverdict */
	bool target;
	uint8_t family;			/* 0: both, else MR_FAM_IP or MR_FAM_IP6 */
	size_t size;			/* bytes of kind-specific data */
	const struct mr_optdef *opts;	/* NULL-terminated; may be NULL */
	/* Set defaults in x->match / rule->target.data (may be NULL). */
	void (*init)(struct mr_xctx *x);
	/* One option (o->def is from opts); 0 or -1 with an error queued. */
	int (*parse)(struct mr_xctx *x, const struct mr_popt *o);
	/* After all options: required options, combinations (may be NULL). */
	int (*check)(struct mr_xctx *x);
	/* Options in iptables-save form, each with a leading space. */
	void (*save)(struct mr_buf *b, const struct mr_rule *r,
		     const struct mr_match *m);
	/*
	 * nft text, each statement followed by one space.  Returns false if
	 * there is no nft equivalent (the rule is then "nft # ...").
	 * m is NULL for targets (read r->target).
	 */
	bool (*xlate)(struct mr_xlctx *x, const struct mr_match *m);
};

/* All extensions (xt.c). */
const struct mr_xt *xt_find(const char *name, bool target, uint8_t family);
const struct mr_xt *xt_by_kind(uint16_t kind, bool target);

/*
 * Helpers shared by extensions (xt_util.c): number and port parsing with
 * errors located at the argument word; -1 with an error queued on failure.
 */
int xt_parse_uint(struct mr_xctx *x, const struct mr_word *w,
		  unsigned long min, unsigned long max, unsigned long *out);
int xt_parse_port(struct mr_xctx *x, const struct mr_word *w, uint8_t proto,
		  uint16_t *out);
/* "a", "a:b", "a:", ":b" (sep ':' ; also '-' when dash_ok) */
int xt_parse_port_range(struct mr_xctx *x, const struct mr_word *w,
			uint8_t proto, struct mr_range16 *out);
/* Quote a string argument as iptables-save does. */
void xt_save_string(struct mr_buf *b, const char *s);
/* Print a port range in iptables-save form ("80", "1024:65535"). */
void xt_save_range(struct mr_buf *b, const struct mr_range16 *r);
/* Print a port range in nft form ("80", "1024-65535"). */
void xt_nft_range(struct mr_buf *b, const struct mr_range16 *r);
/* Address, with /len when not a host prefix, in nft or save form. */
void xt_addr_str(struct mr_buf *b, uint8_t family, const uint8_t *addr);

#endif
