// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The masquerade table read from conntrack: one IPCTNL_MSG_CT_GET dump
 * over ctnetlink, each entry's tuples, timeout, mark, status, TCP state
 * and NAT sequence adjustment parsed into a struct masq_entry.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include "ct.h"
#include "lower_int.h"
#include "nl.h"

/*
 * Which entries are masqrule's masquerading: the ones that carry the
 * conntrack mark bit the lowered forward chain sets on MASQ
 * (LW_MASQ_CTMARK, docs/lowering.md 3.3) AND have the SRC_NAT status --
 * or, for the connections a helper opened back to a masqueraded client
 * (active FTP data), which inherit the mark, the EXPECTED and DST_NAT
 * status: 2.2's ip_masq_ftp put those in the masquerade table too.
 * The bit alone is not enough (a connection marked whose NAT failed, or
 * an iptables CONNMARK rule that happens to set it, was not masqueraded);
 * the status alone is too much (the iptables nat table's SNAT, or another
 * program's NAT in the same namespace, never showed in the 2.x masquerade
 * table; iptables users read those with conntrack -L).
 */
#define CT_MASQ_MARK LW_MASQ_CTMARK

struct ct_tuple {
	uint32_t src, dst;
	uint16_t sport, dport;		/* host order; ICMP: id in sport */
	uint8_t proto;
};

struct ct_dump {
	struct masq_entry *v;
	size_t n, cap;
};

/* Nested attributes of one level into tb[0..max]. */
struct ct_tb {
	const struct nlattr **tb;
	unsigned max;
};

static int tb_cb(const struct nlattr *a, void *data)
{
	struct ct_tb *t = data;
	unsigned type = mnl_attr_get_type(a);

	if (type <= t->max)
		t->tb[type] = a;
	return MNL_CB_OK;
}

static void nest_parse(const struct nlattr *nest, const struct nlattr **tb,
		       unsigned max)
{
	struct ct_tb t = { tb, max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (nest)
		mnl_attr_parse_nested(nest, tb_cb, &t);
}

static uint32_t attr_be32(const struct nlattr *a)
{
	return a && mnl_attr_get_payload_len(a) >= 4 ?
	       ntohl(mnl_attr_get_u32(a)) : 0;
}

static uint16_t attr_be16(const struct nlattr *a)
{
	return a && mnl_attr_get_payload_len(a) >= 2 ?
	       ntohs(mnl_attr_get_u16(a)) : 0;
}

/* Addresses stay in network byte order, as masq_entry keeps them. */
static uint32_t attr_addr(const struct nlattr *a)
{
	return a && mnl_attr_get_payload_len(a) >= 4 ? mnl_attr_get_u32(a) : 0;
}

static void tuple_parse(const struct nlattr *nest, struct ct_tuple *t)
{
	const struct nlattr *tb[CTA_TUPLE_MAX + 1];
	const struct nlattr *ip[CTA_IP_MAX + 1];
	const struct nlattr *pr[CTA_PROTO_MAX + 1];

	memset(t, 0, sizeof(*t));
	nest_parse(nest, tb, CTA_TUPLE_MAX);
	nest_parse(tb[CTA_TUPLE_IP], ip, CTA_IP_MAX);
	nest_parse(tb[CTA_TUPLE_PROTO], pr, CTA_PROTO_MAX);
	t->src = attr_addr(ip[CTA_IP_V4_SRC]);
	t->dst = attr_addr(ip[CTA_IP_V4_DST]);
	if (pr[CTA_PROTO_NUM])
		t->proto = mnl_attr_get_u8(pr[CTA_PROTO_NUM]);
	if (t->proto == IPPROTO_ICMP) {
		t->sport = attr_be16(pr[CTA_PROTO_ICMP_ID]);
		return;
	}
	t->sport = attr_be16(pr[CTA_PROTO_SRC_PORT]);
	t->dport = attr_be16(pr[CTA_PROTO_DST_PORT]);
}

/* conntrack's TCP states are numbered as MASQ_TCP_* (list_masq.h). */
static uint8_t tcp_state(const struct nlattr *protoinfo)
{
	const struct nlattr *pi[CTA_PROTOINFO_MAX + 1];
	const struct nlattr *tcp[CTA_PROTOINFO_TCP_MAX + 1];
	uint8_t s;

	nest_parse(protoinfo, pi, CTA_PROTOINFO_MAX);
	nest_parse(pi[CTA_PROTOINFO_TCP], tcp, CTA_PROTOINFO_TCP_MAX);
	if (!tcp[CTA_PROTOINFO_TCP_STATE])
		return MASQ_TCP_NONE;
	s = mnl_attr_get_u8(tcp[CTA_PROTOINFO_TCP_STATE]);
	return s < MASQ_TCP_COUNT ? s : MASQ_TCP_NONE;
}

/*
 * The sequence fixups of a helper that changed lengths (FTP PORT/227
 * rewritten) in the original direction: 2.2's init_seq / delta /
 * previous delta are nf_nat's correction position / offset after /
 * offset before.
 */
static void seq_adj(const struct nlattr *nest, struct masq_entry *e)
{
	const struct nlattr *tb[CTA_NAT_SEQ_MAX + 1];

	nest_parse(nest, tb, CTA_NAT_SEQ_MAX);
	e->init_seq = attr_be32(tb[CTA_NAT_SEQ_CORRECTION_POS]);
	e->delta = (int32_t)attr_be32(tb[CTA_NAT_SEQ_OFFSET_AFTER]);
	e->prev_delta = (int32_t)attr_be32(tb[CTA_NAT_SEQ_OFFSET_BEFORE]);
}

enum ct_kind { CT_OTHER, CT_MASQ_OUT, CT_MASQ_IN };

static enum ct_kind ct_kind(const struct nlattr **tb)
{
	uint32_t status = attr_be32(tb[CTA_STATUS]);

	if ((attr_be32(tb[CTA_MARK]) & CT_MASQ_MARK) != CT_MASQ_MARK)
		return CT_OTHER;
	if (status & IPS_SRC_NAT)
		return CT_MASQ_OUT;
	if ((status & (IPS_DST_NAT | IPS_EXPECTED)) ==
	    (IPS_DST_NAT | IPS_EXPECTED))
		return CT_MASQ_IN;
	return CT_OTHER;
}

/*
 * Outgoing: original tuple inside host -> destination, reply tuple
 * destination -> masquerade address and port (what the remote side sees).
 * Incoming (helper-expected): original remote -> masquerade address and
 * port, reply inside host -> remote.
 */
static void entry_fill(struct masq_entry *e, const struct ct_tuple *o,
		       const struct ct_tuple *r, enum ct_kind k)
{
	if (k == CT_MASQ_IN) {
		e->in_addr = r->src;
		e->in_port = r->sport;
		e->dst_addr = o->src;
		e->dst_port = o->sport;
		e->masq_addr = o->dst;
		e->masq_port = o->dport;
		return;
	}
	e->in_addr = o->src;
	e->in_port = o->sport;
	e->dst_addr = o->dst;
	e->dst_port = o->dport;
	e->masq_addr = r->dst;
	e->masq_port = o->proto == IPPROTO_ICMP ? r->sport : r->dport;
}

static void push(struct ct_dump *d, const struct masq_entry *e)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 64;
		d->v = realloc(d->v, d->cap * sizeof(*d->v));
		if (!d->v)
			abort();
	}
	d->v[d->n++] = *e;
}

static int entry_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTA_MAX + 1];
	struct ct_tb t = { tb, CTA_MAX };
	struct ct_tuple o, r;
	struct masq_entry e;
	enum ct_kind k;

	memset(tb, 0, sizeof(tb));
	mnl_attr_parse(nlh, sizeof(struct nfgenmsg), tb_cb, &t);
	k = ct_kind(tb);
	if (k == CT_OTHER)
		return MNL_CB_OK;
	tuple_parse(tb[CTA_TUPLE_ORIG], &o);
	tuple_parse(tb[CTA_TUPLE_REPLY], &r);
	if (o.proto != IPPROTO_TCP && o.proto != IPPROTO_UDP &&
	    o.proto != IPPROTO_ICMP)
		return MNL_CB_OK;
	memset(&e, 0, sizeof(e));
	e.proto = o.proto;
	e.expires = attr_be32(tb[CTA_TIMEOUT]);
	entry_fill(&e, &o, &r, k);
	if (o.proto == IPPROTO_TCP)
		e.tcp_state = tcp_state(tb[CTA_PROTOINFO]);
	/* the direction from the inside host, where a helper rewrites */
	seq_adj(tb[k == CT_MASQ_IN ? CTA_NAT_SEQ_ADJ_REPLY :
		   CTA_NAT_SEQ_ADJ_ORIG], &e);
	push(data, &e);
	return MNL_CB_OK;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct masq_entry *x = a, *y = b;

	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	if (x->in_addr != y->in_addr)
		return ntohl(x->in_addr) < ntohl(y->in_addr) ? -1 : 1;
	if (x->in_port != y->in_port)
		return x->in_port < y->in_port ? -1 : 1;
	if (x->dst_addr != y->dst_addr)
		return ntohl(x->dst_addr) < ntohl(y->dst_addr) ? -1 : 1;
	return (int)x->dst_port - (int)y->dst_port;
}

/* IPv4 entries carrying the mark bit: the kernel filters the dump. */
static struct nlmsghdr *dump_request(char *buf)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *g;

	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->nfgen_family = AF_INET;
	g->version = NFNETLINK_V0;
	g->res_id = 0;
	mnl_attr_put_u32(nlh, CTA_MARK, htonl(CT_MASQ_MARK));
	mnl_attr_put_u32(nlh, CTA_MARK_MASK, htonl(CT_MASQ_MARK));
	return nlh;
}

int ct_masq_dump(struct masq_entry **v, size_t *n, struct erec_list *errs)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct ct_dump d = { 0 };
	struct nl_sock s;
	int rc;

	*v = NULL;
	*n = 0;
	if (nl_open(&s, errs))
		return -1;
	rc = nl_dump(&s, dump_request(buf), entry_cb, &d);
	nl_close(&s);
	if (rc < 0) {
		erec_add(errs, EREC_ERROR, MR_EXIT_RESOURCE, NULL,
			 "cannot read the conntrack table: %s%s", strerror(-rc),
			 rc == -ENOENT || rc == -EOPNOTSUPP ?
			 " (is nf_conntrack_netlink loaded?)" : "");
		free(d.v);
		return -1;
	}
	if (d.n)
		qsort(d.v, d.n, sizeof(*d.v), entry_cmp);
	*v = d.v;
	*n = d.n;
	return 0;
}
