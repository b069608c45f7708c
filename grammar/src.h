/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Named input texts: a file, a string, or a command line quoted back to text. */
#ifndef MR_SRC_H
#define MR_SRC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mr_src {
	char *name;		/* "<cmdline>", "<stdin>" or the path */
	char *text;		/* NUL-terminated, owned */
	size_t len;
	bool cmdline;		/* built from argv: '#' is no comment */
};

/* NULL with errno set if the file cannot be read. */
struct mr_src *src_from_file(const char *path);
struct mr_src *src_from_string(const char *name, const char *text, size_t len);
/*
 * argv words joined into one line; words that need it are double-quoted so
 * that scanning the line gives the same words back, and error columns point
 * into the line the user is shown.
 */
struct mr_src *src_from_argv(int argc, char *const argv[]);
void src_free(struct mr_src *s);

/* Start and length of line `line` (1-based); NULL if out of range. */
const char *src_line(const struct mr_src *s, uint32_t line, size_t *len);

#endif
