/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The user-level model kept in the kernel: every rule masqrule installs
 * carries, in its user data, one line of the model's canonical save text
 * ("N text", N its line number); lines no lowered rule carries (tables,
 * chain declarations, helpers, rules that lower to nothing) are rules of
 * the unreferenced chain "mr_model".  Reading the lines back in order
 * gives the save text, hence the model; re-lowering it proves the rules
 * are still what masqrule installed (docs/backend.md, "The model").
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
void kmodel_free(struct kmodel *km);

/* The canonical save text of a model (no counters). */
void kmodel_text(struct mr_buf *b, const struct mr_ruleset *rs);
/* Native-dialect text (save blocks, command lines) into a new model;
 * NULL with errors queued. */
struct mr_ruleset *kmodel_parse(const struct mr_src *src, uint8_t dialect,
				struct erec_list *errs);

/*
 * Lower rs and replace masqrule's tables with it in one batch
 * (BACKEND_F_TEST: check only).  Lowering warnings located in quiet_src
 * (the rules read from the kernel, warned about when they were added)
 * are left out.  0, or -1 with errors queued; nothing changed then.
 */
int kmodel_install(const struct mr_ruleset *rs, const struct mr_src *quiet_src,
		   unsigned flags, struct erec_list *errs);

#endif
