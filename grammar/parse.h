/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The front end: scanner.l (words) + lexer.c (words -> option tokens by the
 * dialect's tables) + parser.y (lines).  Each completed line is handed to a
 * callback and freed afterwards, so memory does not grow with the input.
 */
#ifndef MR_PARSE_H
#define MR_PARSE_H

#include <stdbool.h>
#include "erec.h"
#include "opt.h"
#include "src.h"

/* Return 0 to go on, non-zero to stop parsing. */
typedef int (*parse_line_fn)(void *data, struct mr_pcmd *p);

struct parse_opts {
	uint8_t dialect;	/* of lines without a tool word */
	uint8_t family;		/* MR_FAM_IP unless ip6tables / -6 */
	bool file;		/* a file: tool words, save blocks, comments */
};

/*
 * Parse src; call fn for every line.  Syntax errors are queued in errs
 * (one per bad line; parsing resumes at the next line).  Returns the
 * number of errors queued by the parser itself.
 */
int parse_src(const struct mr_src *src, const struct parse_opts *po,
	      struct erec_list *errs, parse_line_fn fn, void *data);

/* The dialect a tool word selects ("/sbin/ipchains" -> MR_D_IPCHAINS),
 * -1 if it names no tool.  *family set for ip6tables. */
int parse_tool_dialect(const char *word, uint8_t *family);

#endif
