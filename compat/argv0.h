/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The names masqrule answers to, and what each one means. */
#ifndef MR_ARGV0_H
#define MR_ARGV0_H

#include <stdint.h>

enum argv0_mode {
	MR_MODE_MASQRULE,	/* masqrule [subcommand] ... */
	MR_MODE_RUN,		/* ipchains ...: apply commands */
	MR_MODE_TRANSLATE,	/* iptables-translate ... */
};

struct argv0_entry {
	const char *name;
	uint8_t dialect;
	uint8_t mode;
};

/* The entry for argv[0]'s base name; the masqrule entry if unknown. */
const struct argv0_entry *argv0_lookup(const char *argv0);
/* All names but "masqrule", NULL-terminated (for meson install). */
extern const struct argv0_entry argv0_table[];

#endif
