// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The port forwarding table: `ipmasqadm portfw -l [-n]' (ipmasqadm 0.4,
 * dialects.md 4.1) and `ipportfw -L', which printed the kernel's
 * /proc/net/ip_portfw text as it was (each line then followed by an
 * empty one: the tool puts() lines that keep their newline).
 *
 * The 2.2 kernel kept one list per protocol, UDP's first, each newest
 * first, and a scheduling credit (pcnt) that starts at the preference;
 * the model keeps no credit, so pcnt shows the preference.
 */
#include <stdio.h>
#include <stdlib.h>
#include "addr.h"
#include "list.h"
#include "list_int.h"

/* UDP entries, then TCP, newest first in each. */
static void pf_walk(const struct mr_portfw_list *l, uint8_t proto,
		    void (*fn)(struct mr_buf *, const struct mr_portfw *,
			       unsigned),
		    struct mr_buf *b, unsigned lf)
{
	const struct mr_portfw_list *p;
	size_t n = 0, i;
	const struct mr_portfw **v;

	for (p = l; p; p = p->next)
		n += p->pf.proto == proto;
	if (!n)
		return;
	v = ir_alloc(n * sizeof(*v));
	i = n;
	for (p = l; p; p = p->next)
		if (p->pf.proto == proto)
			v[--i] = &p->pf;
	for (i = 0; i < n; i++)
		fn(b, v[i], lf);
	free((void *)v);
}

static uint32_t pf_host(const uint8_t a[4])
{
	return (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 |
	       (uint32_t)a[2] << 8 | a[3];
}

/* /proc/net/ip_portfw: 63 columns and a newline per line */
static void pf_proc_line(struct mr_buf *b, const struct mr_portfw *pf,
			 unsigned lf)
{
	char s[80];

	snprintf(s, sizeof(s), "%s  %08X %5u > %08X %5u %5d %5d",
		 pf->proto == 6 ? "TCP" : "UDP", pf_host(pf->laddr),
		 pf->lport, pf_host(pf->raddr), pf->rport, pf->pref,
		 pf->pref);
	buf_printf(b, "%-63s\n\n", s);
	(void)lf;
}

static void pf_table_line(struct mr_buf *b, const struct mr_portfw *pf,
			  unsigned lf)
{
	bool n = lf & MR_LF_NUMERIC;
	struct mr_buf l, r, lp, rp;

	buf_init(&l);
	buf_init(&r);
	buf_init(&lp);
	buf_init(&rp);
	addr_format(&l, MR_FAM_IP, pf->laddr);
	addr_format(&r, MR_FAM_IP, pf->raddr);
	list_port(&lp, pf->lport, pf->proto, n, true);
	list_port(&rp, pf->rport, pf->proto, n, true);
	buf_printf(b, "%-4s %-20s %-20s %8s %8s %5d %5d\n",
		   pf->proto == 6 ? "TCP" : "UDP", l.s, r.s, lp.s, rp.s,
		   pf->pref, pf->pref);
	buf_free(&l);
	buf_free(&r);
	buf_free(&lp);
	buf_free(&rp);
}

void list_portfw(struct mr_buf *b, const struct mr_portfw_list *l,
		 uint8_t dialect, unsigned lflags)
{
	void (*fn)(struct mr_buf *, const struct mr_portfw *, unsigned);
	char s[80];

	if (dialect == MR_D_IPPORTFW) {
		snprintf(s, sizeof(s), "%s",
			 "Prot LAddr    LPort > RAddr    RPort PrCnt  Pref");
		buf_printf(b, "%-63s\n\n", s);
		fn = pf_proc_line;
	} else {
		buf_printf(b, "%-4s %-20s %-20s %8s %8s %5s %5s\n", "prot",
			   "localaddr", "rediraddr", "lport", "rport", "pcnt",
			   "pref");
		fn = pf_table_line;
	}
	pf_walk(l, 17, fn, b, lflags);
	pf_walk(l, 6, fn, b, lflags);
}
