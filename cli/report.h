/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Printing errors and warnings (the only place they are printed). */
#ifndef MR_CLI_REPORT_H
#define MR_CLI_REPORT_H

#include "erec.h"

/* Print all records to stderr; returns the exit code they imply. */
int report(const struct erec_list *errs);

#endif
