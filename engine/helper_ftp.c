/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * FTP (RFC 959, RFC 2428).  A client inside announces its data port with
 * PORT h1,h2,h3,h4,p1,p2 or EPRT |1|a.b.c.d|port|; a server inside (port
 * forwarded, or behind an iptables DNAT) answers PASV with 227
 * (...h1,h2,h3,h4,p1,p2...) and EPSV with 229 (|||port|).  Each names an
 * inside endpoint: the text is rewritten to the alias address and a fresh
 * alias port, and an expected entry lets the data connection in from the
 * other end, whatever its source port.  A flow the iptables model does
 * not translate keeps its text; only the expectation is made.
 *
 * Refused (the segment is dropped): an address other than the sender's,
 * which would let a client open a path to a third host, and data ports
 * below 1024, as 2.2's ip_masq_ftp did.  Only a command that sits whole
 * in one segment is read, as both 2.2 and libalias required.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "csum.h"
#include "helper.h"

#define FTP_LINE_MAX 256

/* What a command or reply line names, and where its text is. */
struct ftp_ref {
	uint32_t addr;		/* network order; 0 for 229 (none written) */
	uint16_t port;
	uint32_t start, end;	/* payload offsets of the text to replace */
	char kind;		/* 'P' PORT, 'E' EPRT, '7' 227, '9' 229 */
	char delim;		/* EPRT / 229 delimiter */
};

/* Up to max decimal digits at s[*i] (< n) as a number <= lim. */
static int number(const char *s, uint32_t n, uint32_t *i, uint32_t lim,
		  uint32_t *out)
{
	uint32_t v = 0, start = *i;

	while (*i < n && s[*i] >= '0' && s[*i] <= '9' && *i - start < 5)
		v = v * 10 + (uint32_t)(s[(*i)++] - '0');
	if (*i == start || v > lim)
		return -1;
	*out = v;
	return 0;
}

static uint32_t addr_of(const uint32_t b[4])
{
	uint8_t a[4] = { (uint8_t)b[0], (uint8_t)b[1], (uint8_t)b[2],
			 (uint8_t)b[3] };

	return get32n(a);
}

/* h1,h2,h3,h4,p1,p2 at s[i] */
static int six(const char *s, uint32_t n, uint32_t i, struct ftp_ref *r)
{
	uint32_t v[6], k;

	r->start = i;
	for (k = 0; k < 6; k++) {
		if (k && (i >= n || s[i++] != ','))
			return -1;
		if (number(s, n, &i, 255, &v[k]))
			return -1;
	}
	r->end = i;
	r->addr = addr_of(v);
	r->port = (uint16_t)(v[4] << 8 | v[5]);
	return 0;
}

/* |1|a.b.c.d|port| at s[i] (any delimiter) */
static int eprt(const char *s, uint32_t n, uint32_t i, struct ftp_ref *r)
{
	uint32_t v[4], port, k;
	char d;

	if (i + 3 > n)
		return -1;
	d = s[i];
	if (s[i + 1] != '1' || s[i + 2] != d)
		return -1;		/* IPv4 only */
	r->start = i;
	r->delim = d;
	i += 3;
	for (k = 0; k < 4; k++) {
		if (k && (i >= n || s[i++] != '.'))
			return -1;
		if (number(s, n, &i, 255, &v[k]))
			return -1;
	}
	if (i >= n || s[i++] != d || number(s, n, &i, 65535, &port) ||
	    i >= n || s[i++] != d)
		return -1;
	r->end = i;
	r->addr = addr_of(v);
	r->port = (uint16_t)port;
	return 0;
}

/* 229 ... (|||port|) */
static int epsv(const char *s, uint32_t n, struct ftp_ref *r)
{
	const char *o = memchr(s, '(', n);
	uint32_t i, port;
	char d;

	if (!o)
		return -1;
	i = (uint32_t)(o - s) + 1;
	if (i + 4 > n)
		return -1;
	d = s[i];
	if (s[i + 1] != d || s[i + 2] != d)
		return -1;
	r->start = i + 3;
	i += 3;
	if (number(s, n, &i, 65535, &port) || i >= n || s[i] != d)
		return -1;
	r->end = i;
	r->addr = 0;
	r->port = (uint16_t)port;
	return 0;
}

/* 227 ... h1,h2,h3,h4,p1,p2 (the numbers may stand anywhere after) */
static int pasv(const char *s, uint32_t n, struct ftp_ref *r)
{
	uint32_t i;

	for (i = 4; i < n; i++)
		if (s[i] >= '0' && s[i] <= '9' && !six(s, n, i, r))
			return 0;
	return -1;
}

/*
 * Find the line's reference.  s[0..n) is the whole payload, which must be
 * one line ending in CRLF.  Returns 1 if found, 0 if none, -1 malformed.
 */
static int ftp_parse(const char *s, uint32_t n, bool server, struct ftp_ref *r)
{
	if (n < 6 || n > FTP_LINE_MAX || s[n - 2] != '\r' || s[n - 1] != '\n')
		return 0;
	n -= 2;
	if (!server && !strncasecmp(s, "PORT ", 5)) {
		r->kind = 'P';
		return six(s, n, 5, r) || r->end != n ? -1 : 1;
	}
	if (!server && !strncasecmp(s, "EPRT ", 5)) {
		r->kind = 'E';
		return eprt(s, n, 5, r) || r->end != n ? -1 : 1;
	}
	if (server && !strncmp(s, "227 ", 4)) {
		r->kind = '7';
		return pasv(s, n, r) ? -1 : 1;
	}
	if (server && !strncmp(s, "229 ", 4)) {
		r->kind = '9';
		return epsv(s, n, r) ? -1 : 1;
	}
	return 0;
}

static int format(const struct ftp_ref *r, uint32_t addr, uint16_t port,
		  char *out, size_t len)
{
	const uint8_t *a = (const uint8_t *)&addr;

	switch (r->kind) {
	case 'P': case '7':
		return snprintf(out, len, "%u,%u,%u,%u,%u,%u", a[0], a[1], a[2],
				a[3], port >> 8, port & 255);
	case 'E':
		return snprintf(out, len, "%c1%c%u.%u.%u.%u%c%u%c", r->delim,
				r->delim, a[0], a[1], a[2], a[3], r->delim,
				port, r->delim);
	}
	return snprintf(out, len, "%u", port);
}

/*
 * The alias port for this segment: the one an earlier copy of it got if
 * it is a retransmission, else a new expected entry's.
 */
static uint16_t data_port(struct eng *e, struct conn *c, const struct pkt *p,
			  uint16_t iport, bool *fresh)
{
	uint16_t port = helper_rewritten(e, c, p, true);
	enum masq_err err;
	struct conn *d;

	*fresh = !port;
	if (port)
		return port;
	/* a flow the iptables model does not translate keeps the port */
	d = masq_new(&e->masq, PKT_P_TCP, c->iaddr, iport, c->aaddr,
		     conn_translated(c) ? 0 : iport, c->raddr, 0, false, &err);
	if (!d)		/* untranslated: a retransmission expects again */
		return !conn_translated(c) && err == MASQ_E_EXISTS ? iport : 0;
	/* the data connection of a DNAT'd server leaves from its old address */
	d->oaddr = c->oaddr;
	d->ctl = c->self;
	d->flags |= c->flags & CONN_F_INBOUND;
	masq_touch(&e->masq, d, CS_LISTEN, e->now);
	e->st.helper_expect++;
	return d->aport;
}

static int ftp_rewrite(struct eng *e, struct conn *c, struct pkt *p,
		       bool server)
{
	const char *s = (const char *)p->buf + p->payload;
	uint32_t n = p->len - p->payload;
	struct ftp_ref r;
	char text[64];
	uint16_t aport;
	bool fresh;
	int k, len;

	k = ftp_parse(s, n, server, &r);
	if (k <= 0)
		return k;
	/* the named host must be the sender; no privileged data ports */
	if ((r.addr && r.addr != p->saddr) || r.port < 1024)
		return -1;
	aport = data_port(e, c, p, r.port, &fresh);
	if (!aport)
		return -1;
	if (aport == r.port && c->aaddr == p->saddr)
		return 0;		/* nothing to rewrite: an expectation only */
	len = format(&r, c->aaddr, aport, text, sizeof(text));
	if (pkt_splice(p, p->payload + r.start, r.end - r.start,
		       (const uint8_t *)text, (uint32_t)len,
		       e->cfg.ifs[p->ifidx].mtu) < 0)
		return -1;
	if (fresh)
		helper_record(e, c, p, true, len - (int)(r.end - r.start),
			      aport);
	e->st.helper_rewrites++;
	return 0;
}

/* From the inside: a client's PORT/EPRT or an inside server's 227/229. */
int helper_ftp_out(struct eng *e, struct conn *c, struct pkt *p)
{
	if (p->len <= p->payload)
		return 0;
	return ftp_rewrite(e, c, p, (c->flags & CONN_F_INBOUND) != 0);
}

/*
 * The entry a DNAT'd server's passive port gets: shaped as port
 * forwarding (the server inside, the address the client used as alias,
 * the client the remote with its port unknown), the port kept if free.
 */
static uint16_t passive_port(struct eng *e, struct conn *c, uint16_t port)
{
	enum masq_err err;
	struct conn *d;

	d = masq_new(&e->masq, PKT_P_TCP, c->raddr, port, c->oaddr, port,
		     c->iaddr, 0, false, &err);
	if (!d && err == MASQ_E_EXISTS)
		d = masq_new(&e->masq, PKT_P_TCP, c->raddr, port, c->oaddr, 0,
			     c->iaddr, 0, false, &err);
	if (!d)
		return 0;
	d->flags |= CONN_F_INBOUND;
	d->ctl = c->self;
	masq_touch(&e->masq, d, CS_LISTEN, e->now);
	e->st.helper_expect++;
	return d->aport;
}

/*
 * iptables model, a server behind DNAT: its 227/229 arrive before the
 * reply's source is translated and name the server itself; the client
 * must be sent to the address it connected to.
 */
static int ftp_dnat_server(struct eng *e, struct conn *c, struct pkt *p)
{
	const char *s = (const char *)p->buf + p->payload;
	uint32_t n = p->len - p->payload;
	uint16_t port = helper_rewritten(e, c, p, false);
	bool fresh = !port;
	struct ftp_ref r;
	char text[64];
	int k, len;

	k = ftp_parse(s, n, true, &r);
	if (k <= 0)
		return k;
	if ((r.addr && r.addr != p->saddr) || r.port < 1024)
		return -1;
	if (!port)
		port = passive_port(e, c, r.port);
	if (!port)
		return -1;
	len = format(&r, c->oaddr, port, text, sizeof(text));
	if (pkt_splice(p, p->payload + r.start, r.end - r.start,
		       (const uint8_t *)text, (uint32_t)len,
		       e->cfg.ifs[p->ifidx].mtu) < 0)
		return -1;
	if (fresh)
		helper_record(e, c, p, false, len - (int)(r.end - r.start),
			      port);
	e->st.helper_rewrites++;
	return 0;
}

/*
 * From the outside: a server behind DNAT answers (its reply direction);
 * otherwise nothing needs rewriting: an outside server's 227 names its
 * own address, which the client inside reaches through a new
 * masqueraded connection.
 */
int helper_ftp_in(struct eng *e, struct conn *c, struct pkt *p)
{
	if (!(c->flags & CONN_F_CT) || !conn_dnat(c) || p->len <= p->payload)
		return 0;
	return ftp_dnat_server(e, c, p);
}
