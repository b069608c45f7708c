/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The protocol helpers masqrule knows: the 2.0/2.2 ip_masq_* modules, the
 * 2.4 ip_conntrack_* / ip_nat_* modules and the modern nf_conntrack_* /
 * nf_nat_* ones, mapped to one canonical helper each, with its protocol,
 * default ports, the kernel's conntrack helper (if the kernel has one) and
 * whether masqrule's engine implements it.  No dialect parsing here: the
 * front end (eval_module.c), the backend and the engine all read it.
 */
#ifndef MR_HELPERS_H
#define MR_HELPERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "erec.h"
#include "ir.h"

#define HELPER_MAX_DEFAULTS 2

struct helper_def {
	const char *name;		/* canonical: "ftp", "irc", ... */
	uint8_t proto;			/* IPPROTO_TCP / IPPROTO_UDP */
	uint8_t ndefaults;
	uint16_t defaults[HELPER_MAX_DEFAULTS];	/* default ports */
	uint8_t max_ports;		/* most ports= values any module takes */
	/* nf_conntrack helper type ("ftp", "Q.931"); NULL: none in Linux */
	const char *kernel;
	/* a second kernel helper on another protocol (h323 RAS, sip tcp) */
	const char *kernel2;
	uint8_t proto2;
	uint16_t port2;
	bool engine;			/* masqrule's engine implements it */
	const char *const *modules;	/* NULL-terminated module names */
};

/* All helpers, for iteration. */
extern const struct helper_def helper_table[];
extern const size_t helper_count;

/* By canonical name; NULL if unknown. */
const struct helper_def *helper_by_name(const char *name);

/*
 * By module name as a script writes it ("/lib/modules/.../ip_masq_ftp.o",
 * "nf-conntrack-ftp"): path, .o/.ko suffixes and '-' vs '_' do not matter.
 * NULL if the module is no helper.
 */
const struct helper_def *helper_by_module(const char *module);

/* The canonical module name (basename, no suffix, '_' for '-'). */
void helper_module_normalize(const char *module, char *out, size_t len);

/* How many ports= values that module takes (ip_masq_* 12, others 8). */
unsigned helper_module_max_ports(const char *module);

/* Whether the module takes in_ports= (2.2 ip_masq_ftp only). */
bool helper_module_in_ports(const char *module);

/* "21,2121" into ports[0..*n): 1 to max ports 1-65535; 0 or -1. */
int helper_parse_ports(const char *list, uint16_t *ports, uint8_t *n,
		       unsigned max);

/* The module name a helper given by its name is saved as. */
const char *helper_module_for(const struct helper_def *d, unsigned nports);

/*
 * For the kernel backend: an error at c's location, naming the backend
 * that serves it, when c loads a helper Linux has no conntrack helper for
 * (translate only warns: its output may be meant for the engine).  0 when
 * c is anything else.
 */
int helper_kernel_refuse(const struct mr_cmd *c, struct erec_list *errs);

#endif
