/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Decoding kernel rules of masqrule's tables back into lowered IR. */
#ifndef MR_BACKEND_DEC_H
#define MR_BACKEND_DEC_H

#include <stdbool.h>
#include "erec.h"
#include "ir.h"

struct nftnl_rule;

/*
 * The IR rule that nr is, or NULL if nr is not exactly what masqrule's
 * linearizer makes of some rule (written by someone else, or changed):
 * the decoded rule is linearized again and must give the same
 * expressions.  Counters are taken from the rule's counter.
 */
struct mr_rule *dec_rule(const struct nftnl_rule *nr, uint8_t family,
			 const char *chain, struct erec_list *errs);

struct nftnl_expr;

/* The kernel's own additions (NAT max registers, log level) put into one
 * of our expressions, so that it compares equal to the kernel's dump. */
void dec_kernel_form(struct nftnl_expr *e);
/* Same expression, counter values and anonymous set names aside. */
bool dec_same_expr(const struct nftnl_expr *a, const struct nftnl_expr *b);
bool dec_same_udata(const struct nftnl_rule *a, const struct nftnl_rule *b);

#endif
