// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The client end of the control socket: connect, send a request whole,
 * read the reply whole.  Timeouts on both ways, so that an engine that
 * stops answering does not hang a script.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include "ctl_client.h"

#define CTL_TIMEOUT_S 10

static int client_fail(struct ctl_client *k, struct erec_list *errs,
		       const char *what)
{
	erec_add(errs, EREC_ERROR, MR_EXIT_OTHER, NULL, "%s: %s: %s", k->path,
		 what, errno ? strerror(errno) : "unexpected reply");
	return -1;
}

int ctl_client_open(struct ctl_client *k, const char *path,
		    struct erec_list *errs)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = CTL_TIMEOUT_S };

	k->path = path;
	k->data = NULL;
	k->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return client_fail(k, errs, "connect");
	}
	strcpy(sa.sun_path, path);
	/* an engine that stops answering must not hang a script */
	setsockopt(k->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(k->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (k->fd < 0 || connect(k->fd, (struct sockaddr *)&sa, sizeof(sa)))
		return client_fail(k, errs, "connect (is the engine running?)");
	return 0;
}

void ctl_client_close(struct ctl_client *k)
{
	if (k->fd >= 0)
		close(k->fd);
	free(k->data);
}

static int send_all(int fd, const void *p, size_t len)
{
	const char *s = p;
	ssize_t n;

	while (len) {
		n = send(fd, s, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

static int recv_all(int fd, void *p, size_t len)
{
	char *s = p;
	ssize_t n;

	while (len) {
		n = recv(fd, s, len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (!n)
				errno = 0;
			return -1;
		}
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

int ctl_call(struct ctl_client *k, uint16_t op, uint16_t flags, uint64_t gen,
	     const char *data, size_t len, struct erec_list *errs)
{
	struct ctl_hdr h = { .magic = CTL_MAGIC, .op = op, .flags = flags,
			     .gen = gen, .len = (uint32_t)len };

	if (len > CTL_MAX_MSG) {
		errno = EMSGSIZE;
		return client_fail(k, errs, "request");
	}
	if (send_all(k->fd, &h, sizeof(h)) || (len && send_all(k->fd, data, len)))
		return client_fail(k, errs, "send");
	errno = 0;
	if (recv_all(k->fd, &k->h, sizeof(k->h)) || k->h.magic != CTL_MAGIC ||
	    k->h.len > CTL_MAX_MSG)
		return client_fail(k, errs, "reply");
	free(k->data);
	k->data = malloc((size_t)k->h.len + 1);	/* text: NUL-terminated */
	k->len = k->h.len;
	if (!k->data)
		return client_fail(k, errs, "reply");
	k->data[k->len] = '\0';
	if (k->len && recv_all(k->fd, k->data, k->len))
		return client_fail(k, errs, "reply");
	if (k->h.op == CTL_BAD) {
		errno = EPROTO;
		return client_fail(k, errs, "refused the request");
	}
	return 0;
}
