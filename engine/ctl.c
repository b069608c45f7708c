// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The control socket: listening, connections and message framing (the
 * requests themselves are ctl_req.c).  Everything is non-blocking and
 * runs in the engine's own loop, so a request is served between two
 * packets and a ruleset swap is atomic for the packet path.  A slow or
 * silent client costs a connection slot, never a stall.
 *
 * Reading and checking a SET's ruleset takes long (a second or more for
 * 50,000 rules), so it runs on a worker thread: one at a time, further
 * SETs wait in arrival order.  The worker hands the ready ruleset back
 * through an eventfd in the same epoll set, and the loop does only the
 * generation check and the swap.  GET and MASQ stay in the loop.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include "ctl.h"

#define CTL_CONNS 8
#define CTL_LTAG ((uint32_t)-1)
#define CTL_ETAG ((uint32_t)-2)

struct ctl_conn {
	int fd;				/* -1: slot free */
	uint8_t *in;
	size_t inlen, incap;
	struct mr_buf out;		/* the reply being written */
	size_t outoff;
	bool waiting;			/* a SET queued or in the worker */
	uint64_t ticket;		/* its place in the queue */
};

struct ctl {
	int lfd, ep;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct ctl_state st;
	struct ctl_conn conn[CTL_CONNS];
	uint64_t served, refused;
	/* the SET worker: its request, its result, who waits for it */
	int efd;
	bool busy;
	pthread_t th;
	uint8_t *jin;			/* header and text, the worker's own */
	struct ctl_set *job;
	int jconn;			/* -1: the client went away */
	uint64_t next_ticket;
};

static void conn_close(struct ctl *c, struct ctl_conn *k)
{
	if (k->fd < 0)
		return;
	if (c->busy && c->jconn == (int)(k - c->conn))
		c->jconn = -1;
	k->waiting = false;
	close(k->fd);		/* leaves the epoll set with it */
	k->fd = -1;
	free(k->in);
	k->in = NULL;
	k->inlen = k->incap = 0;
	buf_free(&k->out);
	k->outoff = 0;
}

static void conn_watch(struct ctl *c, struct ctl_conn *k, uint32_t ev)
{
	struct epoll_event e = { .events = ev,
				 .data.u32 = (uint32_t)(k - c->conn) };

	epoll_ctl(c->ep, EPOLL_CTL_MOD, k->fd, &e);
}

/* Write what is pending; 0 when done or waiting, -1 if the peer is gone. */
static int conn_flush(struct ctl *c, struct ctl_conn *k)
{
	ssize_t n;

	while (k->outoff < k->out.len) {
		n = send(k->fd, k->out.s + k->outoff, k->out.len - k->outoff,
			 MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			conn_watch(c, k, EPOLLOUT);
			return 0;
		}
		if (n <= 0)
			return -1;
		k->outoff += (size_t)n;
	}
	buf_reset(&k->out);
	k->outoff = 0;
	conn_watch(c, k, EPOLLIN);
	return 0;
}

/* Room for need bytes of input. */
static int conn_room(struct ctl_conn *k, size_t need)
{
	uint8_t *p;

	if (k->incap >= need)
		return 0;
	p = realloc(k->in, need);
	if (!p)
		return -1;
	k->in = p;
	k->incap = need;
	return 0;
}

/* Count the reply in out; -1 if it says the request was malformed. */
static int count_reply(struct ctl *c, const struct mr_buf *out)
{
	struct ctl_hdr h;

	if (out->len < sizeof(h))
		return 0;
	memcpy(&h, out->s, sizeof(h));
	if (h.op == CTL_OK)
		c->served++;
	else
		c->refused++;
	return h.op == CTL_BAD ? -1 : 0;
}

static void *set_worker(void *arg)
{
	struct ctl *c = arg;
	struct ctl_hdr h;
	uint64_t one = 1;

	memcpy(&h, c->jin, sizeof(h));
	c->job = ctl_set_prepare(&c->st, &h, c->jin + sizeof(h));
	while (write(c->efd, &one, sizeof(one)) < 0 && errno == EINTR)
		;
	return NULL;
}

/* The first SET in the queue, if the worker is free. */
static void set_start(struct ctl *c)
{
	struct ctl_conn *k = NULL;
	unsigned i;

	for (i = 0; !c->busy && i < CTL_CONNS; i++)
		if (c->conn[i].fd >= 0 && c->conn[i].waiting &&
		    (!k || c->conn[i].ticket < k->ticket))
			k = &c->conn[i];
	if (!k)
		return;
	/* the request is the worker's now: a client leaving cannot free it */
	c->jin = k->in;
	k->in = NULL;
	k->inlen = k->incap = 0;
	c->jconn = (int)(k - c->conn);
	c->busy = true;
	if (pthread_create(&c->th, NULL, set_worker, c) == 0)
		return;
	set_worker(c);		/* no thread to be had: read it here */
	c->th = pthread_self();
}

/* The worker is done: swap in the loop, answer, start the next. */
static void set_done(struct ctl *c)
{
	struct ctl_conn *k = c->jconn >= 0 ? &c->conn[c->jconn] : NULL;
	struct mr_buf lost;
	uint64_t n;

	if (read(c->efd, &n, sizeof(n)) < 0 || !c->busy)
		return;
	if (!pthread_equal(c->th, pthread_self()))
		pthread_join(c->th, NULL);
	c->busy = false;
	free(c->jin);
	c->jin = NULL;
	buf_init(&lost);
	/* a client that left still gets its change: the request was whole */
	ctl_set_finish(&c->st, c->job, k ? &k->out : &lost);
	c->job = NULL;
	count_reply(c, k ? &k->out : &lost);
	buf_free(&lost);
	if (k) {
		k->waiting = false;
		if (conn_flush(c, k))
			conn_close(c, k);
	}
	set_start(c);
}

/* A whole request in k->in: answer it.  -1: malformed, drop the peer. */
static int conn_request(struct ctl *c, struct ctl_conn *k)
{
	struct ctl_hdr h;

	memcpy(&h, k->in, sizeof(h));
	k->inlen = 0;
	if (h.op == CTL_SET) {
		/* nothing more from this client until its answer */
		k->waiting = true;
		k->ticket = c->next_ticket++;
		conn_watch(c, k, 0);
		set_start(c);
		return 0;
	}
	ctl_request(&c->st, &h, k->in + sizeof(h), &k->out);
	if (count_reply(c, &k->out))
		return -1;
	return conn_flush(c, k);
}

/* How many bytes the message in k->in will have; 0 if not known yet. */
static size_t msg_size(const struct ctl_conn *k, bool *bad)
{
	struct ctl_hdr h;

	if (k->inlen < sizeof(h))
		return 0;
	memcpy(&h, k->in, sizeof(h));
	*bad = h.magic != CTL_MAGIC || h.len > CTL_MAX_MSG;
	return sizeof(h) + h.len;
}

static int conn_read(struct ctl *c, struct ctl_conn *k)
{
	size_t want;
	bool bad = false;
	ssize_t n;

	for (;;) {
		want = msg_size(k, &bad);
		if (bad)
			return -1;
		if (want && k->inlen >= want)
			return conn_request(c, k);
		if (!want)
			want = sizeof(struct ctl_hdr);
		if (conn_room(k, want))
			return -1;
		n = recv(k->fd, k->in + k->inlen, want - k->inlen, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n <= 0)
			return -1;	/* closed (or broken) */
		k->inlen += (size_t)n;
	}
}

/* Only root and the engine's own user may talk to it. */
static bool peer_allowed(int fd)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len))
		return false;
	return cr.uid == 0 || cr.uid == geteuid();
}

static void ctl_accept(struct ctl *c)
{
	struct epoll_event e = { .events = EPOLLIN };
	struct ctl_conn *k;
	unsigned i;
	int fd;

	while ((fd = accept4(c->lfd, NULL, NULL,
			     SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		for (i = 0; i < CTL_CONNS && c->conn[i].fd >= 0; i++)
			;
		if (i == CTL_CONNS || !peer_allowed(fd)) {
			c->refused++;
			close(fd);
			continue;
		}
		k = &c->conn[i];
		e.data.u32 = i;
		if (epoll_ctl(c->ep, EPOLL_CTL_ADD, fd, &e)) {
			close(fd);
			continue;
		}
		k->fd = fd;
		buf_init(&k->out);
	}
}

void ctl_service(struct ctl *c)
{
	struct epoll_event ev[CTL_CONNS + 1];
	struct ctl_conn *k;
	int i, n, rc;

	n = epoll_wait(c->ep, ev, CTL_CONNS + 1, 0);
	for (i = 0; i < n; i++) {
		if (ev[i].data.u32 == CTL_LTAG) {
			ctl_accept(c);
			continue;
		}
		if (ev[i].data.u32 == CTL_ETAG) {
			set_done(c);
			continue;
		}
		k = &c->conn[ev[i].data.u32];
		if (k->fd < 0)
			continue;
		if (k->waiting)		/* only a hangup wakes us here */
			rc = -1;
		else if (k->out.len)
			rc = conn_flush(c, k);
		else
			rc = conn_read(c, k);
		if (rc)		/* gone, broken or malformed */
			conn_close(c, k);
	}
}

/* Is something answering at path?  Then another engine owns it. */
static bool path_alive(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool alive;

	if (fd < 0)
		return false;
	alive = connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0;
	close(fd);
	return alive;
}

/* The socket's directory, made private if it is ours to make. */
static void make_dir(const char *path)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *slash;

	strcpy(dir, path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return;
	*slash = '\0';
	mkdir(dir, 0700);	/* EEXIST: the admin's directory, keep it */
}

static int ctl_listen(struct ctl *c, struct erec_list *errs)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	mode_t old;
	int rc;

	strcpy(sa.sun_path, c->path);
	make_dir(c->path);
	if (path_alive(&sa)) {
		erec_add(errs, EREC_ERROR, MR_EXIT_OTHER, NULL,
			 "%s: another engine is listening there", c->path);
		return -1;
	}
	unlink(c->path);	/* a stale socket of an engine that died */
	c->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->lfd < 0)
		goto fail;
	old = umask(0177);	/* 0600 from the start, no window */
	rc = bind(c->lfd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc || listen(c->lfd, CTL_CONNS))
		goto fail;
	return 0;
fail:
	erec_add(errs, EREC_ERROR, MR_EXIT_OTHER, NULL, "%s: %s", c->path,
		 strerror(errno));
	return -1;
}

static int ctl_epoll(struct ctl *c, struct erec_list *errs)
{
	struct epoll_event e = { .events = EPOLLIN, .data.u32 = CTL_LTAG };
	struct epoll_event w = { .events = EPOLLIN, .data.u32 = CTL_ETAG };

	c->ep = epoll_create1(EPOLL_CLOEXEC);
	c->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (c->ep >= 0 && c->efd >= 0 &&
	    !epoll_ctl(c->ep, EPOLL_CTL_ADD, c->lfd, &e) &&
	    !epoll_ctl(c->ep, EPOLL_CTL_ADD, c->efd, &w))
		return 0;
	erec_add(errs, EREC_ERROR, MR_EXIT_OTHER, NULL, "epoll: %s",
		 strerror(errno));
	return -1;
}

struct ctl *ctl_open(const char *path, struct eng *e, struct mr_src *src,
		     struct erec_list *errs)
{
	struct ctl *c = calloc(1, sizeof(*c));
	unsigned i;

	if (!c) {
		erec_add(errs, EREC_ERROR, MR_EXIT_RESOURCE, NULL,
			 "out of memory");
		return NULL;
	}
	c->lfd = c->ep = c->efd = -1;
	c->jconn = -1;
	for (i = 0; i < CTL_CONNS; i++)
		c->conn[i].fd = -1;
	ctl_state_init(&c->st, e);
	if (strlen(path) >= sizeof(c->path)) {
		erec_add(errs, EREC_ERROR, MR_EXIT_PARAM, NULL,
			 "%s: socket path too long", path);
		free(c);
		return NULL;
	}
	strcpy(c->path, path);
	if (ctl_listen(c, errs) || ctl_epoll(c, errs)) {
		ctl_close(c);
		return NULL;
	}
	c->st.src = src;
	return c;
}

int ctl_fd(const struct ctl *c)
{
	return c->ep;
}

void ctl_counts(const struct ctl *c, uint64_t *served, uint64_t *refused)
{
	*served = c->served;
	*refused = c->refused;
}

void ctl_close(struct ctl *c)
{
	unsigned i;

	if (!c)
		return;
	if (c->busy && !pthread_equal(c->th, pthread_self()))
		pthread_join(c->th, NULL);	/* a SET being read: let it end */
	ctl_set_free(c->job);
	free(c->jin);
	for (i = 0; i < CTL_CONNS; i++)
		conn_close(c, &c->conn[i]);
	if (c->efd >= 0)
		close(c->efd);
	if (c->lfd >= 0) {
		close(c->lfd);
		unlink(c->path);
	}
	if (c->ep >= 0)
		close(c->ep);
	src_free(c->st.src);
	free(c);
}
