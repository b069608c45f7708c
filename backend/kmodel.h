/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The user-level model kept in the kernel: every rule masqrule installs
 * carries, in its user data, its line of the model's canonical save text
 * (ktext.h says how); lines no lowered rule carries (tables, chain
 * declarations, helpers, rules that lower to nothing) are rules of the
 * unreferenced chain "mr_model".  Reading the lines back gives the save
 * text, hence the model; re-lowering it proves the rules are still what
 * masqrule installed (docs/backend.md, "The model").
 */
#ifndef MR_BACKEND_KMODEL_H
#define MR_BACKEND_KMODEL_H

#include "backend.h"
#include "buf.h"
#include "erec.h"
#include "ir.h"
#include "src.h"

#define KMODEL_CHAIN "mr_model"

struct kmodel {
	struct mr_ruleset *rs;		/* as read back; empty if none */
	struct mr_src *src;		/* the text rs was read from */
	uint32_t *kn;			/* src's lines' numbers in the tags */
	struct backend_state *st;
	unsigned ndiff;			/* kernel rules that are not ours */
};

/*
 * Read the model from the kernel, counters from the kernel's rules.  -1
 * with errors queued if the kernel cannot be read or its text does not
 * read back; differences from what masqrule installed are warnings.
 * Either way km is kmodel_free()d after the messages are printed (they
 * may point into km->src).
 */
int kmodel_read(struct kmodel *km, struct erec_list *errs);
/* The same without the rules of skipped iptables tables (their chains
 * read back empty): for a change that replaces those tables. */
int kmodel_read_skip(struct kmodel *km, const struct backend_skip *skip,
		     struct erec_list *errs);
void kmodel_free(struct kmodel *km);

/* The canonical save text of a model (no counters). */
void kmodel_text(struct mr_buf *b, const struct mr_ruleset *rs);
/*
 * Lower rs and replace masqrule's tables with it in one batch
 * (BACKEND_F_TEST: check only), against generation genid (that of the
 * state rs was built from).  Lowering warnings located in quiet_src (the
 * rules read from the kernel, warned about when they were added) are left
 * out.  0, -1 with errors queued (nothing changed), or BACKEND_RETRY:
 * the ruleset changed since genid, nothing changed.  Once lowered, rs
 * loses its rules and user chains (memory): only kmodel_free() it then.
 */
int kmodel_install(struct mr_ruleset *rs, const struct mr_src *quiet_src,
		   unsigned flags, uint32_t genid, struct erec_list *errs);

/*
 * A change of the model: applied to km->rs (read just before); returns
 * 1 if km->rs must be installed, 0 if nothing changed, -1 on errors.
 * Called again on a fresh read when another writer committed meanwhile,
 * so it must not depend on an earlier call.
 */
typedef int (*kmodel_change_fn)(struct kmodel *km, void *arg,
				struct erec_list *errs);

/*
 * Read (skip: NULL, or tables whose rules the change replaces), change,
 * install, redone from the read (a bounded number of times) when the
 * kernel refuses the install because the ruleset changed since the read.
 * km holds the last read for the messages: kmodel_free() it after
 * printing them.  0 or -1 (errors queued).
 */
int kmodel_update(struct kmodel *km, const struct backend_skip *skip,
		  kmodel_change_fn fn, void *arg, unsigned flags,
		  struct erec_list *errs);

/*
 * One rule command (-A, -I, -R, -D with a rule or a number, -C) on a
 * netfilter table, done without reading the ruleset: the table's
 * declarations from chain mr_model, the chain's handles and tags only for
 * -I N, -R, -D and -C, the new rule
 * lowered alone and added with NEWRULE (or removed with DELRULE) in one
 * batch against the generation read first; other rules and their counters
 * stay as they are.  Returns 1 if the command is not one of these (or the
 * kernel has no model of that table yet): the caller takes kmodel_update.
 */
int kmodel_edit(struct mr_cmd *c, unsigned flags, struct erec_list *errs);

#endif
