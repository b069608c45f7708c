/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The tcp match (-p tcp, -m tcp): ports, --tcp-flags / --syn and
 * --tcp-option, with iptables-save and iptables-translate forms.
 */
#include <string.h>
#include "xt_util.h"

enum { O_SPORT, O_DPORT, O_FLAGS, O_SYN, O_OPTION };

static const struct mr_optdef tcp_opts[] = {
	{ "source-port", 0, MR_A1, MR_OF_INV, O_SPORT },
	{ "sport", 0, MR_A1, MR_OF_INV, O_SPORT },
	{ "destination-port", 0, MR_A1, MR_OF_INV, O_DPORT },
	{ "dport", 0, MR_A1, MR_OF_INV, O_DPORT },
	{ "tcp-flags", 0, MR_A2, MR_OF_INV, O_FLAGS },
	{ "syn", 0, MR_A0, MR_OF_INV, O_SYN },
	{ "tcp-option", 0, MR_A1, MR_OF_INV, O_OPTION },
	{ NULL, 0, 0, 0, 0 },
};

/* What --tcp-flags accepts (iptables knows neither ECE nor CWR). */
static const struct xt_flagname flag_words[] = {
	{ "FIN", MR_TCPF_FIN }, { "SYN", MR_TCPF_SYN },
	{ "RST", MR_TCPF_RST }, { "PSH", MR_TCPF_PSH },
	{ "ACK", MR_TCPF_ACK }, { "URG", MR_TCPF_URG },
	{ "ALL", MR_TCPF_ALL }, { "NONE", 0 },
	{ NULL, 0 },
};

/* Printing order of iptables-save ... */
static const struct xt_flagname flag_save[] = {
	{ "FIN", MR_TCPF_FIN }, { "SYN", MR_TCPF_SYN },
	{ "RST", MR_TCPF_RST }, { "PSH", MR_TCPF_PSH },
	{ "ACK", MR_TCPF_ACK }, { "URG", MR_TCPF_URG },
	{ "ECE", MR_TCPF_ECE }, { "CWR", MR_TCPF_CWR },
	{ NULL, 0 },
};

/* ... and nft's names of the same bits. */
static const struct xt_flagname flag_nft[] = {
	{ "fin", MR_TCPF_FIN }, { "syn", MR_TCPF_SYN },
	{ "rst", MR_TCPF_RST }, { "psh", MR_TCPF_PSH },
	{ "ack", MR_TCPF_ACK }, { "urg", MR_TCPF_URG },
	{ "ecn", MR_TCPF_ECE }, { "cwr", MR_TCPF_CWR },
	{ NULL, 0 },
};

#define BIT(n) (1u << (n))

static void tcp_init(struct mr_xctx *x)
{
	struct mr_m_tcp *t = MR_MDATA(x->match, struct mr_m_tcp);

	t->sport.hi = t->dport.hi = 65535;
}

/*
 * A plain decimal port ("22"), what nearly every rule has, read without
 * strtoull(); xt_parse_port_range() reads it the same.  Ranges, names,
 * "0", octal and hex forms and errors go the long way.
 */
static bool plain_port(const char *s, struct mr_range16 *r)
{
	unsigned v = 0;

	if (*s < '1' || *s > '9')
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (unsigned)(*s - '0');
		if (v > 65535)
			return false;
	}
	r->lo = r->hi = (uint16_t)v;
	return true;
}

static int tcp_port(struct mr_xctx *x, const struct mr_popt *o,
		    struct mr_range16 *r, unsigned bit)
{
	struct mr_match *m = x->match;

	if (m->has & BIT(bit))
		return erec_param(x->errs, &o->loc, "Only one `--%s' allowed",
				  bit == MR_TCP_SPORT ? "source-port" :
				  "destination-port");
	if (!plain_port(o->args[0].text, r) &&
	    xt_parse_port_range(x, &o->args[0], XT_P_TCP, r))
		return -1;
	m->has |= BIT(bit);
	if (popt_neg(o))
		m->inv |= BIT(bit);
	return 0;
}

static int tcp_flags(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_m_tcp *t = MR_MDATA(x->match, struct mr_m_tcp);
	struct mr_match *m = x->match;
	uint32_t mask, cmp;

	if (m->has & BIT(MR_TCP_FLAGS))
		return erec_param(x->errs, &o->loc,
				  "Only one of `--syn' or `--tcp-flags'  allowed");
	if (o->def->id == O_SYN) {
		mask = MR_TCPF_FIN | MR_TCPF_SYN | MR_TCPF_RST | MR_TCPF_ACK;
		cmp = MR_TCPF_SYN;
	} else if (xt_parse_flaglist(x, &o->args[0], flag_words,
				     "Unknown TCP flag `%s'", &mask) ||
		   xt_parse_flaglist(x, &o->args[1], flag_words,
				     "Unknown TCP flag `%s'", &cmp)) {
		return -1;
	}
	t->flg_mask = (uint8_t)mask;
	t->flg_cmp = (uint8_t)cmp;
	m->has |= BIT(MR_TCP_FLAGS);
	if (popt_neg(o))
		m->inv |= BIT(MR_TCP_FLAGS);
	return 0;
}

static int tcp_option(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_m_tcp *t = MR_MDATA(x->match, struct mr_m_tcp);
	struct mr_match *m = x->match;
	unsigned long v;

	if (m->has & BIT(MR_TCP_OPTION))
		return erec_param(x->errs, &o->loc,
				  "Only one `--tcp-option' allowed");
	if (xt_strtoul(o->args[0].text, 255, &v) || v == 0)
		return erec_param(x->errs, &o->args[0].loc,
				  "Bad TCP option \"%s\"", o->args[0].text);
	t->option = (uint8_t)v;
	m->has |= BIT(MR_TCP_OPTION);
	if (popt_neg(o))
		m->inv |= BIT(MR_TCP_OPTION);
	return 0;
}

static int tcp_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_m_tcp *t = MR_MDATA(x->match, struct mr_m_tcp);

	switch (o->def->id) {
	case O_SPORT:
		return tcp_port(x, o, &t->sport, MR_TCP_SPORT);
	case O_DPORT:
		return tcp_port(x, o, &t->dport, MR_TCP_DPORT);
	case O_FLAGS:
	case O_SYN:
		return tcp_flags(x, o);
	case O_OPTION:
		return tcp_option(x, o);
	}
	return 0;
}

/* A full port range not negated matches anything: drop it (as iptables). */
static void drop_full(struct mr_match *m, const struct mr_range16 *r,
		      unsigned bit)
{
	if (r->lo == 0 && r->hi == 65535 && !(m->inv & BIT(bit)))
		m->has &= ~BIT(bit);
}

static int tcp_check(struct mr_xctx *x)
{
	struct mr_m_tcp *t = MR_MDATA(x->match, struct mr_m_tcp);

	if (!xt_proto_is(x->rule, XT_P_TCP))
		return erec_param(x->errs, x->loc,
				  "tcp match: only valid for protocol 6 (-p tcp)");
	drop_full(x->match, &t->sport, MR_TCP_SPORT);
	drop_full(x->match, &t->dport, MR_TCP_DPORT);
	return 0;
}

static void save_ports(struct mr_buf *b, const struct mr_match *m,
		       const char *opt, const struct mr_range16 *r,
		       unsigned bit)
{
	if (!(m->has & BIT(bit)))
		return;
	buf_printf(b, "%s --%s ", m->inv & BIT(bit) ? " !" : "", opt);
	xt_save_range(b, r);
}

static void tcp_save(struct mr_buf *b, const struct mr_rule *r,
		     const struct mr_match *m)
{
	const struct mr_m_tcp *t = MR_MDATA(m, const struct mr_m_tcp);

	(void)r;
	save_ports(b, m, "sport", &t->sport, MR_TCP_SPORT);
	save_ports(b, m, "dport", &t->dport, MR_TCP_DPORT);
	if (m->has & BIT(MR_TCP_OPTION))
		buf_printf(b, "%s --tcp-option %u",
			   m->inv & BIT(MR_TCP_OPTION) ? " !" : "", t->option);
	if (m->has & BIT(MR_TCP_FLAGS)) {
		buf_printf(b, "%s --tcp-flags ",
			   m->inv & BIT(MR_TCP_FLAGS) ? " !" : "");
		if (t->flg_mask)
			xt_print_flaglist(b, flag_save, t->flg_mask);
		else
			buf_add(b, "NONE");
		buf_addc(b, ' ');
		if (t->flg_cmp)
			xt_print_flaglist(b, flag_save, t->flg_cmp);
		else
			buf_add(b, "NONE");
	}
}

static void nft_flags(struct mr_buf *b, uint8_t flags)
{
	if (flags)
		xt_print_flaglist(b, flag_nft, flags);
	else
		buf_add(b, "0x0");
}

/* A decimal number into p (room for 5 digits); returns the end. */
static char *put_u16(char *p, unsigned v)
{
	char tmp[5], *q = tmp + sizeof(tmp);

	do {
		*--q = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (q < tmp + sizeof(tmp))
		*p++ = *q++;
	return p;
}

/*
 * "tcp dport != 22 ", as xt_nft_range() would print it after the words,
 * in one append: nearly every rule of a big ruleset has one.
 */
static void nft_ports(struct mr_buf *b, const char *what,
		      const struct mr_range16 *r, bool inv)
{
	char s[40], *p = s;
	size_t n = strlen(what);

	memcpy(p, what, n);
	p += n;
	if (inv) {
		memcpy(p, "!= ", 3);
		p += 3;
	}
	p = put_u16(p, r->lo);
	if (r->lo != r->hi) {
		*p++ = '-';
		p = put_u16(p, r->hi);
	}
	*p++ = ' ';
	buf_addn(b, s, (size_t)(p - s));
}

static bool tcp_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_m_tcp *t = MR_MDATA(m, const struct mr_m_tcp);
	struct mr_buf *b = x->b;
	size_t start = b->len;

	if (m->has & BIT(MR_TCP_SPORT))
		nft_ports(b, "tcp sport ", &t->sport,
			  m->inv & BIT(MR_TCP_SPORT));
	if (m->has & BIT(MR_TCP_DPORT))
		nft_ports(b, "tcp dport ", &t->dport,
			  m->inv & BIT(MR_TCP_DPORT));
	if (m->has & BIT(MR_TCP_OPTION))
		buf_printf(b, "tcp option %u %s ", t->option,
			   m->inv & BIT(MR_TCP_OPTION) ? "missing" : "exists");
	if ((m->has & BIT(MR_TCP_FLAGS)) && t->flg_mask &&
	    !(t->flg_mask & (t->flg_mask - 1))) {
		/* nft 1.0 cannot read "ack / ack": one flag needs "&" */
		buf_add(b, "tcp flags & ");
		nft_flags(b, t->flg_mask);
		buf_add(b, m->inv & BIT(MR_TCP_FLAGS) ? " != " : " == ");
		nft_flags(b, t->flg_cmp);
		buf_addc(b, ' ');
	} else if (m->has & BIT(MR_TCP_FLAGS)) {
		buf_printf(b, "tcp flags %s",
			   m->inv & BIT(MR_TCP_FLAGS) ? "!= " : "");
		nft_flags(b, t->flg_cmp);
		buf_add(b, " / ");
		nft_flags(b, t->flg_mask);
		buf_addc(b, ' ');
	}
	/* a bare -m tcp still requires tcp (print_nft left -p tcp to us) */
	if (b->len == start)
		buf_add(b, "meta l4proto tcp ");
	return true;
}

const struct mr_xt xt_tcp = {
	.name = "tcp",
	.kind = MR_M_TCP,
	.size = sizeof(struct mr_m_tcp),
	.opts = tcp_opts,
	.init = tcp_init,
	.parse = tcp_parse,
	.check = tcp_check,
	.save = tcp_save,
	.xlate = tcp_xlate,
};
