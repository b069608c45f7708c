/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The client end of the engine's control socket (engine/ctl.h): blocking,
 * with a timeout, one request and its reply at a time.
 */
#ifndef MR_CLI_CTL_CLIENT_H
#define MR_CLI_CTL_CLIENT_H

#include <stddef.h>
#include "ctl.h"
#include "erec.h"

struct ctl_client {
	int fd;
	const char *path;
	struct ctl_hdr h;		/* of the last reply */
	char *data;			/* its payload, NUL-terminated */
	size_t len;
};

/* Connect to the engine at path; -1 with an error queued. */
int ctl_client_open(struct ctl_client *k, const char *path,
		    struct erec_list *errs);
void ctl_client_close(struct ctl_client *k);
/*
 * One request (op, flags, gen, len bytes of data), its reply in k->h and
 * k->data.  -1 with an error queued if the engine cannot be reached or
 * answers nonsense; a reply of any status is 0.
 */
int ctl_call(struct ctl_client *k, uint16_t op, uint16_t flags, uint64_t gen,
	     const char *data, size_t len, struct erec_list *errs);

#endif
