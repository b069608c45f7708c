// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Port forwarding of the legacy model (ipmasqadm portfw, 2.0's
 * ipportfw): a connection to one of the engine's addresses and a
 * forwarded port opens a masquerade entry shaped as 2.2 made it: the
 * inside server is the entry's inside end, the forwarded address and
 * port its alias, the client its remote.  The server's replies are then
 * masqueraded back by the forward chain's MASQ like any inside host's.
 * Several entries for one port share it by their -p pref weights: an
 * entry serves pref new connections in a row, then goes to the end of
 * the list (2.2's ip_portfw scheduling).
 */
#include <stdlib.h>
#include <string.h>
#include "helper.h"

int portfw_setup(struct eng *e, const struct mr_ruleset *rs)
{
	const struct mr_portfw_list *l;
	struct eng_portfw *pf;
	unsigned n = 0;

	for (l = rs->portfws; l; l = l->next)
		n++;
	free(e->portfw);
	e->portfw = NULL;
	e->nportfw = 0;
	if (!n)
		return 0;
	e->portfw = calloc(n, sizeof(*e->portfw));
	if (!e->portfw)
		abort();
	for (l = rs->portfws; l; l = l->next) {
		pf = &e->portfw[e->nportfw++];
		pf->proto = l->pf.proto;
		pf->any_laddr = !l->pf.has_laddr;
		memcpy(&pf->laddr, l->pf.laddr, 4);
		memcpy(&pf->raddr, l->pf.raddr, 4);
		pf->lport = l->pf.lport;
		pf->rport = l->pf.rport;
		pf->pref = l->pf.pref ? l->pf.pref : 1;
		pf->left = pf->pref;
	}
	return 0;
}

/* The entry serving (proto, daddr, dport) now; its turn is counted. */
static struct eng_portfw pick(struct eng *e, unsigned i)
{
	struct eng_portfw chosen = e->portfw[i];

	if (--e->portfw[i].left)
		return chosen;
	/* its share is used: to the end of the list, fresh */
	chosen.left = chosen.pref;
	memmove(&e->portfw[i], &e->portfw[i + 1],
		(e->nportfw - i - 1) * sizeof(*e->portfw));
	e->portfw[e->nportfw - 1] = chosen;
	return chosen;
}

static int find(const struct eng *e, const struct pkt *p)
{
	const struct eng_portfw *pf;
	unsigned i;

	for (i = 0; i < e->nportfw; i++) {
		pf = &e->portfw[i];
		if (pf->proto == p->proto && pf->lport == p->dport &&
		    (pf->any_laddr || pf->laddr == p->daddr))
			return (int)i;
	}
	return -1;
}

int portfw_in(struct eng *e, const struct pkt *p)
{
	struct eng_portfw pf;
	enum masq_err err;
	struct conn *c;
	int i;

	if (p->frag || (p->proto != PKT_P_TCP && p->proto != PKT_P_UDP))
		return -1;
	i = find(e, p);
	if (i < 0)
		return -1;
	pf = pick(e, (unsigned)i);
	c = masq_new(&e->masq, p->proto, pf.raddr, pf.rport, p->daddr,
		     p->dport, p->saddr, p->sport, true, &err);
	if (!c) {
		if (err == MASQ_E_FULL)
			e->st.masq_full++;
		else if (err == MASQ_E_HOST)
			e->st.masq_host_full++;
		else
			e->st.masq_no_port++;
		return -1;
	}
	c->flags |= CONN_F_INBOUND;
	c->helper = helper_for(e, c);
	e->st.portfw_new++;
	e->st.masq_new++;
	return 0;
}
