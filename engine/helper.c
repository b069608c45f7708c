/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The helper table, which entries get a helper, and the TCP sequence
 * deltas that a payload length change leaves behind.
 */
#include <stdlib.h>
#include <string.h>
#include "helper.h"

const struct helper_ops helper_ops_table[] = {
	{ "ftp", PKT_P_TCP, 1, { 21 }, helper_ftp_out, helper_ftp_in },
};
const unsigned helper_ops_count =
	sizeof(helper_ops_table) / sizeof(helper_ops_table[0]);

const struct helper_ops *helper_find(const char *name)
{
	unsigned i;

	for (i = 0; i < helper_ops_count; i++)
		if (!strcmp(helper_ops_table[i].name, name))
			return &helper_ops_table[i];
	return NULL;
}

static void fill(struct helper_cfg *h, const struct helper_ops *ops,
		 const struct mr_helper_cfg *c)
{
	unsigned i;

	memset(h, 0, sizeof(*h));
	h->ops = ops;
	if (c->nports) {
		h->nports = c->nports > HELPER_PORTS ? HELPER_PORTS : c->nports;
		memcpy(h->ports, c->ports, h->nports * sizeof(uint16_t));
	} else {
		h->nports = ops->ndefaults;
		for (i = 0; i < ops->ndefaults; i++)
			h->ports[i] = ops->defaults[i];
	}
	h->nin_ports = c->nin_ports > HELPER_PORTS ? HELPER_PORTS :
						     c->nin_ports;
	memcpy(h->in_ports, c->in_ports, h->nin_ports * sizeof(uint16_t));
}

int helper_setup(const struct mr_ruleset *rs, struct helper_cfg *cfg,
		 unsigned max, unsigned *n, struct erec_list *errs)
{
	const struct mr_helper_list *l;
	const struct helper_ops *ops;
	int rc = 0;

	*n = 0;
	for (l = rs->helpers; l; l = l->next) {
		ops = helper_find(l->cfg.name);
		if (!ops || *n == max) {
			erec_add(errs, EREC_ERROR, MR_EXIT_OTHER, NULL,
				 "the userspace engine has no %s helper "
				 "(module %s) yet", l->cfg.name,
				 l->cfg.module ? l->cfg.module : l->cfg.name);
			rc = -1;
			continue;
		}
		fill(&cfg[(*n)++], ops, &l->cfg);
	}
	return rc;
}

static bool has_port(const uint16_t *ports, unsigned n, uint16_t port)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (ports[i] == port)
			return true;
	return false;
}

uint8_t helper_for(const struct eng *e, const struct conn *c)
{
	const struct helper_cfg *h;
	unsigned i;

	for (i = 0; i < e->nhelpers; i++) {
		h = &e->helpers[i];
		if (h->ops->proto != c->proto)
			continue;
		/* client inside: the server's port; server inside: in_ports */
		if ((!(c->flags & CONN_F_INBOUND) &&
		     has_port(h->ports, h->nports, c->rport)) ||
		    ((c->flags & CONN_F_INBOUND) &&
		     has_port(h->in_ports, h->nin_ports, c->iport)))
			return (uint8_t)(i + 1);
	}
	return 0;
}

int helper_run(struct eng *e, struct conn *c, struct pkt *p, bool out)
{
	const struct helper_ops *ops;

	if (!c->helper || c->helper > e->nhelpers || p->nonfirst)
		return 0;
	ops = e->helpers[c->helper - 1].ops;
	if (out)
		return ops->out ? ops->out(e, c, p) : 0;
	return ops->in ? ops->in(e, c, p) : 0;
}

void helper_record(struct eng *e, struct conn *c, const struct pkt *p,
		   bool out, int32_t delta, uint16_t port)
{
	struct conn_ext *x = masq_ext(&e->masq, c, true);

	conn_seqadj_add(&x->dir[out ? 0 : 1], pkt_tcp_seq(p), delta, port);
}

uint16_t helper_rewritten(struct eng *e, struct conn *c, const struct pkt *p,
			  bool out)
{
	struct conn_ext *x = masq_ext(&e->masq, c, false);
	const struct conn_seqrec *r;

	r = x ? conn_seqadj_find(&x->dir[out ? 0 : 1], pkt_tcp_seq(p)) : NULL;
	return r ? r->port : 0;
}

void helper_seq_adjust(struct eng *e, struct conn *c, struct pkt *p, bool out)
{
	struct conn_ext *x = masq_ext(&e->masq, c, false);
	const struct conn_seqadj *mine, *theirs;
	int32_t d;

	if (!x || p->proto != PKT_P_TCP || p->nonfirst)
		return;
	mine = &x->dir[out ? 0 : 1];
	theirs = &x->dir[out ? 1 : 0];
	d = conn_seqadj_seq(mine, pkt_tcp_seq(p));
	if (d)
		pkt_tcp_set_seq(p, pkt_tcp_seq(p) + (uint32_t)d);
	if (p->tcp_flags & 0x10) {
		d = conn_seqadj_ack(theirs, pkt_tcp_ack(p));
		if (d)
			pkt_tcp_set_ack(p, pkt_tcp_ack(p) - (uint32_t)d);
	}
}
