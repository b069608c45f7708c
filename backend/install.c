/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * backend_install(): masqrule's tables replaced in one batch.  The batch
 * is built against the generation read just before; if another writer
 * commits in between, the kernel refuses it (ERESTART) and it is built
 * again, a bounded number of times.
 */
#include <errno.h>
#include <string.h>
#include "backend.h"
#include "lin.h"
#include "nl.h"

#define INSTALL_TRIES 8

static const uint8_t families[] = { MR_FAM_IP, MR_FAM_IP6 };

static const struct mr_table *table_of(const struct mr_ruleset *rs,
				       uint8_t family)
{
	const struct mr_table *t;

	for (t = rs->tables; t; t = t->next)
		if (t->family == family)
			return t;
	return NULL;
}

/* Linearization errors are the input's: they do not change on a retry. */
static int build(struct nl_batch *b, const struct mr_ruleset *rs,
		 unsigned flags, const struct backend_tagger *tag,
		 struct erec_list *errs)
{
	struct lin_ctx c = { .batch = b, .errs = errs, .tag = tag,
			     .consume = flags & BACKEND_F_CONSUME };
	const struct mr_table *t;
	size_t i;

	for (i = 0; i < sizeof(families); i++) {
		lin_table_reset(b, families[i]);
		t = table_of(rs, families[i]);
		if (t)
			lin_table(&c, rs, t);
	}
	return c.nerr ? -1 : 0;
}

static enum nl_result attempt(struct nl_sock *s, const struct mr_ruleset *rs,
			      unsigned flags, const struct backend_tagger *tag,
			      uint32_t genid, struct erec_list *errs)
{
	struct nl_batch b;
	enum nl_result res;

	nl_batch_init(&b, s->seq, genid);
	if (build(&b, rs, flags, tag, errs) < 0) {
		nl_batch_free(&b);
		return NL_FAIL;
	}
	nl_batch_end(&b, !(flags & BACKEND_F_TEST));
	s->seq = b.next_seq;
	res = nl_batch_send(s, &b, errs);
	nl_batch_free(&b);
	return res;
}

static int read_genid(struct nl_sock *s, uint32_t *genid,
		      struct erec_list *errs)
{
	int err = nl_genid(s, genid);

	if (err < 0)
		erec_add(errs, EREC_ERROR, MR_EXIT_RESOURCE, NULL,
			 "cannot read the ruleset generation: %s",
			 strerror(-err));
	return err;
}

int backend_install(const struct mr_ruleset *lowered, unsigned flags,
		    struct erec_list *errs)
{
	return backend_install_tagged(lowered, flags, NULL, errs);
}

/* The state replaced is whatever the kernel has: a change meanwhile only
 * means building the same batch again. */
int backend_install_tagged(const struct mr_ruleset *lowered, unsigned flags,
			   const struct backend_tagger *tag,
			   struct erec_list *errs)
{
	enum nl_result res = NL_RETRY;
	struct nl_sock s;
	uint32_t genid;
	int tries;

	if (nl_open(&s, errs) < 0)
		return -1;
	/* the same batch may be built again */
	flags &= ~(unsigned)BACKEND_F_CONSUME;
	for (tries = 0; tries < INSTALL_TRIES && res == NL_RETRY; tries++)
		res = read_genid(&s, &genid, errs) < 0 ? NL_FAIL :
		      attempt(&s, lowered, flags, tag, genid, errs);
	nl_close(&s);
	if (res == NL_RETRY)
		erec_add(errs, EREC_ERROR, MR_EXIT_RESOURCE, NULL,
			 "the ruleset kept changing under masqrule (%d attempts): nothing installed",
			 INSTALL_TRIES);
	return res == NL_OK ? 0 : -1;
}

int backend_install_gen(const struct mr_ruleset *lowered, unsigned flags,
			const struct backend_tagger *tag, uint32_t genid,
			struct erec_list *errs)
{
	enum nl_result res;
	struct nl_sock s;

	if (nl_open(&s, errs) < 0)
		return -1;
	res = attempt(&s, lowered, flags, tag, genid, errs);
	nl_close(&s);
	if (res == NL_RETRY)
		return BACKEND_RETRY;
	return res == NL_OK ? 0 : -1;
}
