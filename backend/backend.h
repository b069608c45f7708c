/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel backend: a lowered ruleset (lower_ruleset()) into nf_tables
 * through libnftnl objects sent in one libmnl batch, and back.  Only the
 * tables "ip masqrule" and "ip6 masqrule" are ever written or read.
 * Nothing here prints: problems are error records, located at the input
 * rule (struct mr_rule.loc / target.loc) that caused them.
 */
#ifndef MR_BACKEND_H
#define MR_BACKEND_H

#include "erec.h"
#include "ir.h"

#define BACKEND_TABLE "masqrule"

enum {
	/* Build and send the batch, let the kernel check every message,
	 * then abort instead of commit: nothing changes. */
	BACKEND_F_TEST = 1 << 0,
	/* backend_install_gen(): free each rule of the lowered ruleset once
	 * it is in the batch (memory); the ruleset has no rules afterwards,
	 * only model_free() it. */
	BACKEND_F_CONSUME = 1 << 1,
};

/*
 * Replace masqrule's tables with lowered (both families: a family with
 * no table in lowered loses its masqrule table) in one batch: all of it
 * or nothing.  Retries a few times when another writer changed the
 * ruleset meanwhile.  Returns 0, or -1 with errors queued.
 */
int backend_install(const struct mr_ruleset *lowered, unsigned flags,
		    struct erec_list *errs);

/*
 * Read masqrule's tables from the kernel into a new lowered ruleset, with
 * counters.  A rule that masqrule did not write (or that was changed
 * since) is left out with a warning naming its chain and handle.  NULL
 * with errors queued if the kernel cannot be read.
 */
struct mr_ruleset *backend_read(struct erec_list *errs);

/*
 * Rule user data (nftnl TLV) that masqrule adds to every rule it installs
 * through backend_install_tagged(): the source text the rule came from,
 * NUL-terminated.  nft's comment is type 0 (NFTNL_UDATA_RULE_COMMENT),
 * iptables-nft's ebtables policy type 1; nft skips types it does not know.
 */
#define BACKEND_UDATA_SOURCE 0x6d
#define BACKEND_UDATA_SOURCE_MAX 255	/* a TLV length is one byte */

/* The source text of a lowered rule of a chain ("" or NULL: none, only
 * the mark). */
struct backend_tagger {
	const char *(*fn)(const char *chain, const struct mr_rule *lowered,
			  void *arg);
	void *arg;
};

/* backend_install() with the tagger's text in every rule's user data. */
int backend_install_tagged(const struct mr_ruleset *lowered, unsigned flags,
			   const struct backend_tagger *tag,
			   struct erec_list *errs);

/* backend_install_gen(): another writer committed since genid. */
#define BACKEND_RETRY 1

/*
 * One try of backend_install_tagged() against the generation the caller
 * read its state at (backend_state.genid): if the ruleset changed since,
 * nothing is installed and BACKEND_RETRY is returned, so that the caller
 * reads again and redoes its change on the new state.  0 or -1 as above.
 */
int backend_install_gen(const struct mr_ruleset *lowered, unsigned flags,
			const struct backend_tagger *tag, uint32_t genid,
			struct erec_list *errs);

/* One kernel rule of masqrule's tables (backend_state_read()). */
struct backend_krule {
	struct backend_krule *next;
	uint64_t handle;
	char *source;		/* BACKEND_UDATA_SOURCE text; NULL: none */
	bool has_counter;
	bool ours;		/* set by backend_state_verify() */
	uint32_t line;		/* of the model text read back; 0: none */
	uint64_t pkts, bytes;
	struct nftnl_rule *nr;
};

struct backend_kchain {
	struct backend_kchain *next;
	uint8_t family;
	char *name;
	bool base;
	bool has_counters;	/* base chain: its policy counters */
	uint64_t pkts, bytes;
	bool placed;		/* its rules are in the text read back */
	struct backend_krule *rules, **tail;
};

struct backend_state {
	struct backend_kchain *chains;	/* ip, then ip6; dump order */
	uint32_t genid;			/* read before the dumps */
};

struct nftnl_rule;

/* masqrule's tables as the kernel has them: chains, rules, their user
 * data and counters.  NULL with errors queued if they cannot be read. */
struct backend_state *backend_state_read(struct erec_list *errs);
void backend_state_free(struct backend_state *st);

/* iptables tables whose lowered chains' rules are not wanted (a restore
 * replaces them): [0] ip, [1] ip6, by enum mr_tabid. */
struct backend_skip {
	bool table[2][MR_T_COUNT];
};

/* backend_state_read() without the rules of the skipped tables' chains
 * (the chains are there, empty). */
struct backend_state *backend_state_read_skip(const struct backend_skip *skip,
					      struct erec_list *errs);

/*
 * Compare the kernel's rules with what installing lowered (with tag)
 * would write, chain by chain, in order.  Kernel rules that match are
 * marked ours; every other one (foreign, changed, missing its text) and
 * every expected rule the kernel lacks is a warning.  Returns the number
 * of differences.
 */
unsigned backend_state_verify(struct backend_state *st,
			      const struct mr_ruleset *lowered,
			      const struct backend_tagger *tag,
			      struct erec_list *errs);

#endif
