/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Printing errors and warnings (the only place they are printed). */
#ifndef MR_CLI_REPORT_H
#define MR_CLI_REPORT_H

#include <stdint.h>
#include "erec.h"

/* Print all records to stderr; returns the exit code they imply. */
int report(const struct erec_list *errs);
/* The same, then the tool's "Try ... -h" line after a parameter problem. */
int report_cmdline(const struct erec_list *errs, uint8_t dialect);

#endif
