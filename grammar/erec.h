/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Error records: queued with a location, formatted by whoever prints
 * (cli/).  Exit codes follow iptables: 1 other problem, 2 parameter
 * problem, 4 resource problem; legacy front ends keep their own.
 */
#ifndef MR_EREC_H
#define MR_EREC_H

#include "buf.h"
#include "ir.h"

enum erec_kind { EREC_ERROR, EREC_WARNING, EREC_NOTE };

enum {
	MR_EXIT_OK = 0,
	MR_EXIT_OTHER = 1,
	MR_EXIT_PARAM = 2,
	MR_EXIT_VERSION = 3,	/* ipchains */
	MR_EXIT_RESOURCE = 4,
};

struct erec {
	struct erec *next;
	enum erec_kind kind;
	int exit_code;
	struct mr_loc loc;	/* loc.src NULL: no location */
	char *msg;
};

struct erec_list {
	struct erec *head, **tail;
	unsigned nerrors, nwarnings;
	int exit_code;		/* of the first error */
};

void erec_init(struct erec_list *l);
void erec_free(struct erec_list *l);
__attribute__((format(printf, 5, 6)))
struct erec *erec_add(struct erec_list *l, enum erec_kind kind, int exit_code,
		      const struct mr_loc *loc, const char *fmt, ...);
/* Shorthand for a parameter problem (exit 2) at loc; returns -1. */
__attribute__((format(printf, 3, 4)))
int erec_param(struct erec_list *l, const struct mr_loc *loc, const char *fmt, ...);
/* Move all records of src to the end of dst. */
void erec_splice(struct erec_list *dst, struct erec_list *src);

/*
 * "file:line:col: error: msg", then the source line and a caret line
 * under the located word (nothing but the message without a location).
 */
void erec_format(struct mr_buf *b, const struct erec *e);

#endif
