/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The in-memory ruleset model: commands applied to tables and chains with
 * the checks the kernels made (chain exists, rule number in range, chain
 * empty and unreferenced before deletion, ...).
 */
#ifndef MR_MODEL_H
#define MR_MODEL_H

#include "erec.h"
#include "ir.h"

struct mr_ruleset *model_new(void);
void model_free(struct mr_ruleset *rs);

/* Get (creating with its built-in chains) a table. */
struct mr_table *model_table(struct mr_ruleset *rs, uint8_t family,
			     uint8_t id);
struct mr_table *model_table_find(const struct mr_ruleset *rs, uint8_t family,
				  uint8_t id);
struct mr_chain *model_chain_find(const struct mr_table *t, const char *name);

/*
 * Apply one command.  Rules are moved out of cmd (cmd->rules becomes
 * NULL) when the command stores them.  Listing commands do nothing here.
 * Returns 0, or -1 with an error located at the command.
 */
int model_apply(struct mr_ruleset *rs, struct mr_cmd *cmd,
		struct erec_list *errs);

/* Remove a table's rules and user chains (restore without --noflush). */
void model_flush_table(struct mr_table *t);
/* Built-in chains in hook order, then user chains by name: the order
 * save prints them in.  n set; the array is the caller's to free. */
struct mr_chain **model_chains_in_order(const struct mr_table *t,
					unsigned *n);
/* Rule num (from 1) of a chain, or NULL. */
const struct mr_rule *model_rule_at(const struct mr_table *t,
				    const char *chain, unsigned num);
/* Whether c changes the ruleset (so a backend must install). */
bool model_cmd_changes(const struct mr_cmd *c);
/* What the model has no place for yet (autofw, mfw, ipchains -C
 * packets): backends refuse it rather than lose it silently. */
bool model_cmd_refused(const struct mr_cmd *c);
/*
 * What restore without --noflush replaces before applying c: a table
 * block's table, and at the input's first port-forward line the port
 * forwards (*pf_seen, false at the start, remembers it), so that restoring
 * save output gives the same model, not a second copy of its entries.
 */
void model_restore_flush(struct mr_ruleset *rs, const struct mr_cmd *c,
			 bool *pf_seen);

/*
 * All of src (in dialect; file: lines may name their tool) into a new
 * model, a table block replacing its table as restore does; NULL with
 * the errors queued if anything failed.
 */
struct mr_ruleset *model_parse(const struct mr_src *src, uint8_t dialect,
			       bool file, struct erec_list *errs);

/* Built-in chains of a table in hook order; NULL-terminated names. */
const char *const *model_builtin_chains(uint8_t table);

#endif
