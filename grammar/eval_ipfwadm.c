/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ipfwadm (2.3.0, Linux 2.0): option table and evaluation into the legacy
 * model (conventions at the top of eval_ipchains.c), with the tool's checks
 * and messages (exit 2 for bad parameters).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "addr.h"
#include "eval.h"
#include "legacy_util.h"

enum fw_id {
	FW_ACCT = 1, FW_FWD, FW_IN, FW_MASQCAT, FW_OUT,
	FW_APPEND, FW_DELETE, FW_INSERT, FW_LIST, FW_ZERO, FW_FLUSH,
	FW_TIMEOUT, FW_POLICY, FW_CHECK, FW_HELP,
	FW_PROTO, FW_SRC, FW_DST, FW_VIAADDR, FW_VIANAME, FW_BIDIR, FW_EXT,
	FW_ACK, FW_MASQ, FW_NUMERIC, FW_PRINTK, FW_REDIR, FW_TOS,
	FW_VERBOSE, FW_EXPAND, FW_SYN,
};

#define CMD MR_OF_CMD

/*
 * getopt "AFIMOadilzfs:p:chP:S:D:V:W:bekmnort:vxy"; -A, -a, -i, -d and -r
 * take the next word themselves when it does not start with '-', -S and
 * -D every such word (ports), -s and -t a fixed number of them.
 */
const struct mr_optdef opts_ipfwadm[] = {
	{ NULL, 'A', MR_AQ, CMD, FW_ACCT },
	{ NULL, 'F', MR_A0, CMD, FW_FWD },
	{ NULL, 'I', MR_A0, CMD, FW_IN },
	{ NULL, 'M', MR_A0, CMD, FW_MASQCAT },
	{ NULL, 'O', MR_A0, CMD, FW_OUT },
	{ NULL, 'a', MR_AQ, CMD, FW_APPEND },
	{ NULL, 'd', MR_AQ, CMD, FW_DELETE },
	{ NULL, 'i', MR_AQ, CMD, FW_INSERT },
	{ NULL, 'l', MR_A0, CMD, FW_LIST },
	{ NULL, 'z', MR_A0, CMD, FW_ZERO },
	{ NULL, 'f', MR_A0, CMD, FW_FLUSH },
	{ NULL, 's', MR_AV, CMD, FW_TIMEOUT },
	{ NULL, 'p', MR_A1, CMD, FW_POLICY },
	{ NULL, 'c', MR_A0, CMD, FW_CHECK },
	{ NULL, 'h', MR_A0, CMD, FW_HELP },
	{ NULL, 'P', MR_A1, 0, FW_PROTO },
	{ NULL, 'S', MR_AV, 0, FW_SRC },
	{ NULL, 'D', MR_AV, 0, FW_DST },
	{ NULL, 'V', MR_A1, 0, FW_VIAADDR },
	{ NULL, 'W', MR_A1, 0, FW_VIANAME },
	{ NULL, 'b', MR_A0, 0, FW_BIDIR },
	{ NULL, 'e', MR_A0, 0, FW_EXT },
	{ NULL, 'k', MR_A0, 0, FW_ACK },
	{ NULL, 'm', MR_A0, 0, FW_MASQ },
	{ NULL, 'n', MR_A0, 0, FW_NUMERIC },
	{ NULL, 'o', MR_A0, 0, FW_PRINTK },
	{ NULL, 'r', MR_AQ, 0, FW_REDIR },
	{ NULL, 't', MR_A1Q, 0, FW_TOS },
	{ NULL, 'v', MR_A0, 0, FW_VERBOSE },
	{ NULL, 'x', MR_A0, 0, FW_EXPAND },
	{ NULL, 'y', MR_A0, 0, FW_SYN },
	{ NULL, 0, 0, 0, 0 },
};

#undef CMD

enum { CHN_NONE = -1, CHN_FWD, CHN_IN, CHN_OUT, CHN_ACCT, CHN_MASQ };

static const char *const fw_chains[] = {
	[CHN_FWD] = "forward", [CHN_IN] = "input", [CHN_OUT] = "output",
	[CHN_ACCT] = "accounting",
};

enum {
	CMD_LIST = 1 << 0, CMD_APPEND = 1 << 1, CMD_DELETE = 1 << 2,
	CMD_FLUSH = 1 << 3, CMD_RESET = 1 << 4, CMD_POLICY = 1 << 5,
	CMD_CHECK = 1 << 6, CMD_INSERT = 1 << 8, CMD_TIMEOUT = 1 << 9,
};
#define CMD_RULE (CMD_INSERT | CMD_APPEND | CMD_DELETE)
#define CMD_NORULE (CMD_LIST | CMD_FLUSH | CMD_RESET | CMD_POLICY)

enum { POL_DENY, POL_ACCEPT, POL_REJECT };

#define FW_MAX_PORTS 10		/* IP_FW_MAX_PORTS */

/* -S or -D: the address word, then ports (a range counts twice). */
struct fw_side {
	const struct mr_popt *o;
	unsigned nports;		/* the tool's count */
	bool range;
	unsigned n;
	struct mr_range16 r[FW_MAX_PORTS];
	struct mr_prefix pfx;
};

struct fw {
	struct erec_list *errs;
	const struct mr_pcmd *p;
	int chain;
	const struct mr_popt *chain_opt;
	unsigned command;
	const struct mr_popt *cmd_opt;
	uint64_t options;		/* 1 << (option letter - 'A') */
	const struct mr_popt *opt[64];
	const struct mr_loc *stray;	/* first word nobody took */
	bool has_policy, masq;
	int policy;
	uint8_t acct_dir;
	uint8_t kind;			/* 0 all, else tcp/udp/icmp */
	struct fw_side src, dst;
	uint8_t via[4];
	const struct mr_word *vianame, *rport;
	uint8_t tos_and, tos_xor;
	const struct mr_popt *timeouts;
};

static int fw_err(struct fw *f, const struct mr_loc *loc, const char *fmt,
		  const char *arg)
{
	return erec_param(f->errs, loc, fmt, arg);
}

/* A message without arguments. */
static int fw_msg(struct fw *f, const struct mr_loc *loc, const char *msg)
{
	return erec_param(f->errs, loc, "%s", msg);
}

static unsigned opt_bit(char c)
{
	return (unsigned)(c - 'A');
}

static bool fw_has(const struct fw *f, char c)
{
	return f->options & (1ull << opt_bit(c));
}

static const struct mr_loc *fw_oloc(const struct fw *f, char c)
{
	return &f->opt[opt_bit(c)]->loc;
}

/* check_option(): every option at most once. */
static int fw_check_option(struct fw *f, const struct mr_popt *o, char c)
{
	char m[40];

	if (fw_has(f, c)) {
		snprintf(m, sizeof(m), "multiple -%c flags not allowed", c);
		return fw_err(f, &o->loc, "%s", m);
	}
	f->options |= 1ull << opt_bit(c);
	f->opt[opt_bit(c)] = o;
	return 0;
}

/* The old tools matched keywords by any prefix, "" included. */
static bool prefix_of(const char *word, const char *s)
{
	return !strncmp(word, s, strlen(s));
}

static int fw_category(struct fw *f, const struct mr_popt *o, int chain)
{
	if (f->chain != CHN_NONE)
		return fw_msg(f, &o->loc, "multiple categories specified");
	f->chain = chain;
	f->chain_opt = o;
	return 0;
}

static int fw_direction(struct fw *f, const struct mr_word *w)
{
	if (prefix_of("in", w->text))
		f->acct_dir = MR_ACCT_IN;
	else if (prefix_of("out", w->text))
		f->acct_dir = MR_ACCT_OUT;
	else if (prefix_of("both", w->text))
		f->acct_dir = MR_ACCT_IN | MR_ACCT_OUT;
	else
		return fw_err(f, &w->loc, "invalid direction \"%s\" specified",
			      w->text);
	return 0;
}

/* parse_policy(): "masquerade" is the old spelling of "accept -m". */
static int fw_policy(struct fw *f, const struct mr_popt *o,
		     const struct mr_word *w)
{
	if (prefix_of("accept", w->text)) {
		f->policy = POL_ACCEPT;
	} else if (prefix_of("deny", w->text)) {
		f->policy = POL_DENY;
	} else if (prefix_of("reject", w->text)) {
		f->policy = POL_REJECT;
	} else if (prefix_of("masquerade", w->text)) {
		if (fw_check_option(f, o, 'm'))
			return -1;
		f->masq = true;
		f->policy = POL_ACCEPT;
	} else {
		return fw_err(f, &w->loc, "invalid policy \"%s\" specified",
			      w->text);
	}
	return 0;
}

static int fw_set_command(struct fw *f, const struct mr_popt *o,
			  unsigned cmd)
{
	if (f->command != 0)
		return fw_msg(f, &o->loc, "multiple commands specified");
	f->command = cmd;
	f->cmd_opt = o;
	return 0;
}

/* -a, -i, -d [policy] */
static int fw_rule_command(struct fw *f, const struct mr_popt *o,
			   unsigned cmd)
{
	if (fw_set_command(f, o, cmd))
		return -1;
	if (!o->nargs)
		return 0;
	f->has_policy = true;
	return fw_policy(f, o, &o->args[0]);
}

/* -l and -z combine (list, then reset the counters). */
static int fw_list_zero(struct fw *f, const struct mr_popt *o, unsigned cmd)
{
	unsigned other = cmd == CMD_LIST ? CMD_RESET : CMD_LIST;

	if (f->command != 0 && f->command != other)
		return fw_msg(f, &o->loc, "multiple commands specified");
	f->command |= cmd;
	if (!f->cmd_opt)
		f->cmd_opt = o;
	return 0;
}

static int fw_timeouts(struct fw *f, const struct mr_popt *o)
{
	long v;
	unsigned i;

	if (fw_set_command(f, o, CMD_TIMEOUT))
		return -1;
	if (o->nargs < 3)
		return fw_msg(f, &o->loc, "-s requires 3 timeout values");
	for (i = 0; i < 3; i++)
		if (!lg_number(o->args[i].text, 0, INT_MAX, &v))
			return fw_err(f, &o->args[i].loc,
				      "invalid timeout value \"%s\" specified",
				      o->args[i].text);
	if (o->nargs > 3 && !f->stray)
		f->stray = &o->args[3].loc;
	f->timeouts = o;
	return 0;
}

static int fw_command(struct fw *f, const struct mr_popt *o)
{
	switch (o->def->id) {
	case FW_ACCT:
		if (fw_category(f, o, CHN_ACCT))
			return -1;
		return o->nargs ? fw_direction(f, &o->args[0]) : 0;
	case FW_FWD:
		return fw_category(f, o, CHN_FWD);
	case FW_IN:
		return fw_category(f, o, CHN_IN);
	case FW_MASQCAT:
		return fw_category(f, o, CHN_MASQ);
	case FW_OUT:
		return fw_category(f, o, CHN_OUT);
	case FW_APPEND:
		return fw_rule_command(f, o, CMD_APPEND);
	case FW_DELETE:
		return fw_rule_command(f, o, CMD_DELETE);
	case FW_INSERT:
		return fw_rule_command(f, o, CMD_INSERT);
	case FW_LIST:
		return fw_list_zero(f, o, CMD_LIST);
	case FW_ZERO:
		return fw_list_zero(f, o, CMD_RESET);
	case FW_FLUSH:
		return fw_set_command(f, o, CMD_FLUSH);
	case FW_POLICY:
		if (fw_set_command(f, o, CMD_POLICY))
			return -1;
		return fw_policy(f, o, &o->args[0]);
	case FW_TIMEOUT:
		return fw_timeouts(f, o);
	case FW_CHECK:
		return fw_set_command(f, o, CMD_CHECK);
	}
	return 0;
}

static int fw_proto(struct fw *f, const struct mr_word *w)
{
	if (prefix_of("all", w->text))
		f->kind = 0;
	else if (prefix_of("tcp", w->text))
		f->kind = LG_TCP;
	else if (prefix_of("udp", w->text))
		f->kind = LG_UDP;
	else if (prefix_of("icmp", w->text))
		f->kind = LG_ICMP;
	else
		return fw_err(f, &w->loc, "invalid protocol \"%s\" specified",
			      w->text);
	return 0;
}

/* store_port(): one range per side, at most 10 ports in all. */
static int fw_store_ports(struct fw *f, struct fw_side *s)
{
	const struct mr_word *w;
	char m[64];
	unsigned i;

	for (i = 1; i < s->o->nargs; i++) {
		w = &s->o->args[i];
		if (!strchr(w->text, ':')) {
			s->nports++;
		} else if (s->range) {
			return fw_msg(f, &w->loc,
				      "multiple ranges not allowed");
		} else {
			s->nports += 2;
			s->range = true;
		}
		if (f->src.nports + f->dst.nports > FW_MAX_PORTS) {
			snprintf(m, sizeof(m), "too many ports specified "
				 "(maximum %d)", FW_MAX_PORTS);
			return fw_err(f, &w->loc, "%s", m);
		}
	}
	return 0;
}

static int fw_side(struct fw *f, const struct mr_popt *o, struct fw_side *s,
		   char c)
{
	if (fw_check_option(f, o, c))
		return -1;
	s->o = o;
	return fw_store_ports(f, s);
}

static int fw_viahost(struct fw *f, const struct mr_word *w)
{
	struct mr_prefix pfx;
	const char *mask;

	if (strchr(w->text, '/') ||
	    lg_parse_addr(w->text, &pfx, &mask) != LG_ADDR_OK)
		return fw_err(f, &w->loc, "host \"%s\" not found", w->text);
	memcpy(f->via, pfx.addr, 4);
	return 0;
}

static int fw_hexbyte(struct fw *f, const struct mr_word *w, uint8_t *out)
{
	char *end;
	long v = strtol(w->text, &end, 16);

	if (end == w->text || *end || v < 0 || v > 255)
		return fw_err(f, &w->loc, "invalid hexbyte \"%s\" specified",
			      w->text);
	*out = (uint8_t)v;
	return 0;
}

static int fw_tos(struct fw *f, const struct mr_popt *o)
{
	if (o->nargs < 2)
		return fw_msg(f, &o->loc, "-t requires 2 hexbyte arguments");
	return fw_hexbyte(f, &o->args[0], &f->tos_and) ||
	       fw_hexbyte(f, &o->args[1], &f->tos_xor) ? -1 : 0;
}

static int fw_param(struct fw *f, const struct mr_popt *o)
{
	char c = o->def->sname;

	if (c != 'S' && c != 'D' && fw_check_option(f, o, c))
		return -1;
	switch (o->def->id) {
	case FW_PROTO:
		return fw_proto(f, &o->args[0]);
	case FW_SRC:
		return fw_side(f, o, &f->src, 'S');
	case FW_DST:
		return fw_side(f, o, &f->dst, 'D');
	case FW_VIAADDR:
		return fw_viahost(f, &o->args[0]);
	case FW_VIANAME:
		/* the tool cut it to IFNAMSIZ: a name no device has */
		if (strlen(o->args[0].text) >= MR_IFNAMSIZ)
			return fw_err(f, &o->args[0].loc, "interface name \"%s\" "
				      "must be shorter than IFNAMSIZ (16)",
				      o->args[0].text);
		f->vianame = &o->args[0];
		return 0;
	case FW_MASQ:
		f->masq = true;
		return 0;
	case FW_REDIR:
		f->rport = o->nargs ? &o->args[0] : NULL;
		return 0;
	case FW_TOS:
		return fw_tos(f, o);
	}
	return 0;
}

/* A '!' is no option to ipfwadm: a stray word like any other. */
static void fw_strays(struct fw *f, const struct mr_popt *o)
{
	unsigned i;

	if (f->stray)
		return;
	if (o->neg) {
		f->stray = &o->neg_loc;
		return;
	}
	for (i = 0; i < o->nargs; i++) {
		if (o->args[i].neg) {
			f->stray = &o->args[i].neg_loc;
			return;
		}
	}
}

/* One option in argv order; 1 when -h ended the line. */
static int fw_option(struct fw *f, const struct mr_popt *o,
		     struct mr_cmd ***tail)
{
	fw_strays(f, o);
	if (!o->def) {
		if (!f->stray)
			f->stray = &o->args[0].loc;
		return 0;
	}
	if (o->def->id == FW_HELP) {
		lg_emit(tail, lg_cmd_new(MR_OP_HELP, MR_D_IPFWADM, f->p));
		return 1;
	}
	if (o->def->flags & MR_OF_CMD)
		return fw_command(f, o);
	return fw_param(f, o);
}

/* ------------------------------------------------------------------ */
/* Checks after all options, in the tool's order                       */

static const struct mr_loc *fw_cloc(const struct fw *f)
{
	return f->cmd_opt ? &f->cmd_opt->loc : &f->p->loc;
}

static bool fw_firewall(const struct fw *f)
{
	return f->chain == CHN_IN || f->chain == CHN_OUT ||
	       f->chain == CHN_FWD;
}

static int fw_check_category(struct fw *f)
{
	const struct mr_loc *l = fw_cloc(f);

	if (f->chain == CHN_NONE)
		return fw_msg(f, l, "missing -A, -F, -I, -O, or -M flag");
	if (!fw_firewall(f) && f->command == CMD_CHECK)
		return fw_msg(f, l,
			      "specify either -F, -I, or -O for checking a packet");
	if (!fw_firewall(f) && f->command == CMD_POLICY)
		return fw_msg(f, l,
			      "specify either -F, -I, or -O for changing the policy");
	if (fw_firewall(f) && !f->has_policy && (f->command & CMD_RULE))
		return fw_msg(f, l, "policy required for firewall entries");
	if (!fw_firewall(f) && f->has_policy)
		return fw_msg(f, &f->cmd_opt->args[0].loc,
			      "no policy allowed with non-firewall entries");
	if (f->chain == CHN_MASQ && !(f->command & (CMD_TIMEOUT | CMD_LIST)))
		return fw_msg(f, l,
			      "-M only allowed in combination with -s or -l command");
	if (f->chain != CHN_MASQ && (f->command & CMD_TIMEOUT))
		return fw_msg(f, l,
			      "setting masquerading timeouts requires -M flag");
	return 0;
}

/* -b, -o, -r, -t only change rules. */
static int fw_check_rule_only(struct fw *f)
{
	static const struct {
		char c;
		const char *msg;
	} only[] = {
		{ 'b', "bidirectional flag (-b) only allowed with insert/append/delete" },
		{ 'o', "kernel print flag (-o) only allowed with insert/append/delete" },
		{ 'r', "port redirection (-r) only allowed with insert/append/delete" },
		{ 't', "tos values (-t) only allowed with insert/append/delete" },
	};
	size_t i;

	for (i = 0; i < sizeof(only) / sizeof(only[0]); i++)
		if (fw_has(f, only[i].c) && !(f->command & CMD_RULE))
			return fw_err(f, fw_oloc(f, only[i].c), "%s",
				      only[i].msg);
	return 0;
}

/* -P, -V, -W: not with l/f/z/p, required with -c. */
static int fw_check_needed(struct fw *f, char c, const char *what)
{
	char m[96];

	if (fw_has(f, c) && (f->command & CMD_NORULE)) {
		snprintf(m, sizeof(m), "no %s (-%c) allowed with this command",
			 what, c);
		return fw_err(f, fw_oloc(f, c), "%s", m);
	}
	if (!fw_has(f, c) && f->command == CMD_CHECK) {
		snprintf(m, sizeof(m), "%s (-%c) required for this command",
			 what, c);
		return fw_err(f, fw_cloc(f), "%s", m);
	}
	return 0;
}

static int fw_check_params(struct fw *f)
{
	if (fw_check_needed(f, 'P', "protocol"))
		return -1;
	if (f->command == CMD_CHECK && !f->kind)
		return fw_msg(f, fw_oloc(f, 'P'),
			      "specific protocol required for check command");
	if (fw_check_needed(f, 'V', "interface address") ||
	    fw_check_needed(f, 'W', "interface name"))
		return -1;
	return 0;
}

static const struct mr_loc *fw_ports_loc(const struct fw *f,
					 const struct fw_side *s)
{
	(void)f;
	return s->o && s->o->nargs > 1 ? &s->o->args[1].loc : &s->o->loc;
}

static int fw_check_ports(struct fw *f)
{
	unsigned nsp = f->src.nports, ndp = f->dst.nports;

	if (f->kind == LG_ICMP && ndp)
		return fw_msg(f, fw_ports_loc(f, &f->dst),
			      "ICMP types only allowed with -S, not with -D");
	if (!f->kind && (nsp || ndp))
		return fw_msg(f, fw_ports_loc(f, nsp ? &f->src : &f->dst),
			      "no ports allowed without specific protocol");
	if (f->command == CMD_CHECK && f->kind != LG_ICMP &&
	    (nsp != 1 || ndp != 1))
		return fw_msg(f, fw_cloc(f),
			      "one port required with source/destination address");
	if (f->command == CMD_CHECK && f->kind == LG_ICMP &&
	    (nsp != 1 || ndp != 0))
		return fw_msg(f, fw_cloc(f),
			      "ICMP type required after source address");
	return 0;
}

static int fw_check_actions(struct fw *f)
{
	/* SYN without ACK and ACK: no TCP packet; not representable */
	if (fw_has(f, 'y') && fw_has(f, 'k'))
		return fw_msg(f, fw_oloc(f, 'k'),
			      "-k with -y never matches a TCP packet (not supported)");
	if (fw_has(f, 'r') && f->chain != CHN_IN)
		return fw_msg(f, fw_oloc(f, 'r'),
			      "redirecting only allowed in combination with -I");
	if (f->kind == LG_ICMP && fw_has(f, 'r'))
		return fw_msg(f, fw_oloc(f, 'r'),
			      "redirecting not allowed with protocol ICMP");
	if (f->masq && f->chain != CHN_FWD)
		return fw_msg(f, fw_oloc(f, 'm'),
			      "masquerading only allowed in combination with -F");
	if (f->kind == LG_ICMP && f->masq)
		return fw_msg(f, fw_oloc(f, 'm'),
			      "masquerading not allowed with protocol ICMP");
	if (f->masq && f->policy != POL_ACCEPT)
		return fw_msg(f, fw_oloc(f, 'm'),
			      "masquerading only allowed with policy accept");
	return 0;
}

static int fw_check_addr_opt(struct fw *f, char c, const char *what)
{
	char m[96];

	if (fw_has(f, c) && (f->command & CMD_NORULE)) {
		snprintf(m, sizeof(m), "no %s (-%c) allowed with this command",
			 what, c);
		return fw_err(f, fw_oloc(f, c), "%s", m);
	}
	if (!fw_has(f, c) && (f->command & CMD_CHECK)) {
		snprintf(m, sizeof(m), "%s (-%c) required for this command",
			 what, c);
		return fw_err(f, fw_cloc(f), "%s", m);
	}
	return 0;
}

/* parse_hostnetworkmask() */
static int fw_address(struct fw *f, struct fw_side *s)
{
	const struct mr_word *w;
	const char *mask, *slash;
	char m[300];
	int n;

	if (!s->o)
		return 0;	/* 0.0.0.0/0: the zeroed prefix */
	w = &s->o->args[0];
	switch (lg_parse_addr(w->text, &s->pfx, &mask)) {
	case LG_ADDR_BADMASK:
		snprintf(m, sizeof(m), "invalid mask \"%.200s\" specified", mask);
		return fw_err(f, &w->loc, "%s", m);
	case LG_ADDR_BADHOST:
		slash = strrchr(w->text, '/');
		n = slash ? (int)(slash - w->text) : (int)strlen(w->text);
		snprintf(m, sizeof(m), "host/network \"%.*s\" not found",
			 n > 200 ? 200 : n, w->text);
		return fw_err(f, &w->loc, "%s", m);
	default:
		return 0;
	}
}

/* parse_port(): a number, a service name for tcp/udp; ICMP numeric. */
static int fw_port(struct fw *f, const struct mr_word *w, const char *s,
		   uint16_t *out)
{
	long v;

	if (lg_number(s, 0, 65535, &v)) {
		*out = (uint16_t)v;
		return 0;
	}
	if (f->kind == LG_ICMP)
		return fw_err(f, &w->loc, "invalid ICMP type \"%s\" specified", s);
	v = lg_port(s, f->kind);
	if (v < 0)
		return fw_err(f, &w->loc, "invalid port/service \"%s\" specified",
			      s);
	*out = (uint16_t)v;
	return 0;
}

/* parse_all_ports() */
static int fw_ports(struct fw *f, struct fw_side *s)
{
	const struct mr_word *w;
	struct mr_range16 *r;
	char buf[128], *colon, m[64];
	unsigned i;

	for (i = 1; s->o && i < s->o->nargs; i++) {
		w = &s->o->args[i];
		r = &s->r[s->n++];
		snprintf(buf, sizeof(buf), "%s", w->text);
		colon = strchr(buf, ':');
		if (colon)
			*colon = '\0';
		if (fw_port(f, w, buf, &r->lo))
			return -1;
		r->hi = r->lo;
		if (colon && fw_port(f, w, colon + 1, &r->hi))
			return -1;
		if (r->lo > r->hi) {
			snprintf(m, sizeof(m), "invalid range of ports (%u > %u)",
				 r->lo, r->hi);
			return fw_err(f, &w->loc, "%s", m);
		}
	}
	return 0;
}

static int fw_redirect_port(struct fw *f)
{
	char m[80];

	if (!fw_has(f, 'r'))
		return 0;
	if (f->src.nports + f->dst.nports >= FW_MAX_PORTS) {
		snprintf(m, sizeof(m), "too many ports specified (maximum %d "
			 "when using -r option)", FW_MAX_PORTS - 1);
		return fw_err(f, fw_oloc(f, 'r'), "%s", m);
	}
	return 0;
}

static int fw_check(struct fw *f)
{
	if (f->stray)
		return fw_msg(f, f->stray,
			      "unknown arguments found on commandline");
	if (!f->command)
		return fw_msg(f, &f->p->loc, "no command specified");
	if (fw_check_category(f) || fw_check_rule_only(f) ||
	    fw_check_params(f) || fw_check_ports(f) || fw_check_actions(f))
		return -1;
	if (fw_check_addr_opt(f, 'S', "source address") ||
	    fw_address(f, &f->src) || fw_ports(f, &f->src))
		return -1;
	if (fw_check_addr_opt(f, 'D', "destination address") ||
	    fw_address(f, &f->dst) || fw_ports(f, &f->dst))
		return -1;
	return fw_redirect_port(f);
}

/* ------------------------------------------------------------------ */
/* Building the IR                                                     */

static void fw_icmp(struct fw *f, struct mr_rule *r)
{
	struct fw_side *s = &f->src;
	struct mr_m_legacy_ports *lp;
	struct mr_match *m;
	unsigned i;

	if (!s->n)
		return;
	if (s->n == 1 && s->r[0].lo == s->r[0].hi && s->r[0].lo <= 255) {
		m = ir_match_add(r, MR_M_ICMP, sizeof(struct mr_m_icmp));
		MR_MDATA(m, struct mr_m_icmp)->type = (uint8_t)s->r[0].lo;
		m->has = LG_BIT(MR_ICMP_TYPE);
	} else {
		/* a list of types (range first, as the kernel kept them) */
		m = lg_legacy_ports(r, NULL);
		lp = MR_MDATA(m, struct mr_m_legacy_ports);
		for (i = 0; i < s->n; i++)
			lp->sport.r[lp->sport.n++] = s->r[i];
		m->has = LG_BIT(0);
	}
	m->loc = s->o->args[1].loc;
}

/* One side of tcp/udp ports: one entry in the tcp/udp match, more in a
 * multiport match (in the range or equal to one of the ports). */
static void fw_l4_side(struct fw *f, struct mr_rule *r, struct fw_side *s,
		       int side)
{
	struct mr_m_multiport *mp;
	struct mr_match *m;
	unsigned i;

	(void)f;
	if (s->n == 1) {
		m = lg_l4_match(r, &s->o->args[1].loc);
		lg_l4_set(m, side, s->r[0], false);
		return;
	}
	if (s->n == 0)
		return;
	m = ir_match_add(r, MR_M_MULTIPORT, sizeof(*mp));
	m->loc = s->o->args[1].loc;
	mp = MR_MDATA(m, struct mr_m_multiport);
	mp->dir = side ? MR_MP_DST : MR_MP_SRC;
	for (i = 0; i < s->n; i++)
		mp->ports.r[mp->ports.n++] = s->r[i];
}

/* -y: SYN set, ACK clear; -k: ACK set.  Only TCP packets are tested. */
static void fw_tcp_flags(struct fw *f, struct mr_rule *r)
{
	struct mr_m_tcp *t;
	struct mr_match *m;

	if (r->proto != LG_TCP || (r->inv & MR_INV_PROTO) ||
	    (!fw_has(f, 'y') && !fw_has(f, 'k')))
		return;
	m = lg_l4_match(r, fw_oloc(f, fw_has(f, 'y') ? 'y' : 'k'));
	t = MR_MDATA(m, struct mr_m_tcp);
	if (fw_has(f, 'y')) {
		t->flg_mask = MR_TCPF_SYN | MR_TCPF_ACK;
		t->flg_cmp = MR_TCPF_SYN;
	} else {
		t->flg_mask = MR_TCPF_ACK;
		t->flg_cmp = MR_TCPF_ACK;
	}
	m->has |= LG_BIT(MR_TCP_FLAGS);
}

static void fw_match(struct fw *f, struct mr_rule *r)
{
	if (f->kind) {
		r->proto = f->kind;
		r->has |= MR_HAS_PROTO;
	}
	r->src = f->src.pfx;
	r->dst = f->dst.pfx;
	if (!addr_is_zero(f->src.pfx.mask, MR_FAM_IP))
		r->has |= MR_HAS_SRC;
	if (!addr_is_zero(f->dst.pfx.mask, MR_FAM_IP))
		r->has |= MR_HAS_DST;
	if (f->vianame && f->vianame->text[0]) {
		snprintf(r->iif, sizeof(r->iif), "%s", f->vianame->text);
		r->has |= MR_HAS_IIF;
	}
	if (!addr_is_zero(f->via, MR_FAM_IP)) {
		memcpy(r->viaaddr, f->via, 4);
		r->has |= MR_HAS_VIAADDR;
	}
	if (f->kind == LG_ICMP) {
		fw_icmp(f, r);
	} else if (f->kind) {
		fw_l4_side(f, r, &f->src, 0);
		fw_l4_side(f, r, &f->dst, 1);
	}
}

static void fw_actions(struct fw *f, struct mr_rule *r)
{
	if (fw_has(f, 'o'))
		r->has |= MR_HAS_LOGFLAG;
	if (fw_has(f, 't')) {
		r->has |= MR_HAS_TOS;
		r->tos_and = f->tos_and;
		r->tos_xor = f->tos_xor;
	}
	if (f->chain == CHN_ACCT) {
		r->has |= MR_HAS_ACCT_DIR;
		r->acct_dir = f->acct_dir;
	}
}

static uint16_t fw_verdict_kind(const struct fw *f)
{
	if (f->policy == POL_DENY)
		return MR_V_DROP;
	if (f->policy == POL_REJECT)
		return MR_V_REJECT;
	if (f->masq)
		return MR_V_MASQ;
	/* the kernel redirected accepted packets only */
	return fw_has(f, 'r') ? MR_V_REDIRECT : MR_V_ACCEPT;
}

static int fw_verdict(struct fw *f, struct mr_rule *r)
{
	const struct mr_loc *loc = &f->cmd_opt->loc;
	struct mr_t_nat *nat;
	uint16_t port = 0;
	uint16_t kind;

	if (f->chain == CHN_ACCT)
		return 0;
	if (f->cmd_opt->nargs)
		loc = &f->cmd_opt->args[0].loc;
	kind = fw_verdict_kind(f);
	if (kind == MR_V_REDIRECT && f->rport &&
	    fw_port(f, f->rport, f->rport->text, &port))
		return -1;
	nat = lg_target(r, kind, loc);
	if (kind == MR_V_REDIRECT && port) {
		nat->flags = MR_NAT_PORTS;
		nat->min_port = nat->max_port = port;
	}
	return 0;
}

/*
 * The 2.0 kernel tested -y / -k on TCP packets only: with protocol "all"
 * each rule becomes a TCP rule with the flag test plus one for the rest.
 */
static void fw_split_all(struct fw *f, struct mr_rule *head)
{
	struct mr_rule *x, *rest;

	if (f->kind || (!fw_has(f, 'y') && !fw_has(f, 'k')))
		return;
	for (x = head; x; x = rest->next) {
		rest = ir_rule_clone(x);
		rest->proto = LG_TCP;
		rest->has |= MR_HAS_PROTO;
		rest->inv |= MR_INV_PROTO;
		x->proto = LG_TCP;
		x->has |= MR_HAS_PROTO;
		fw_tcp_flags(f, x);
		rest->next = x->next;
		x->next = rest;
	}
}

static struct mr_rule *fw_rule(struct fw *f)
{
	struct mr_rule *r = lg_rule_new(f->p);

	fw_match(f, r);
	fw_tcp_flags(f, r);
	fw_actions(f, r);
	/* a packet to check has no verdict */
	if ((f->command & CMD_RULE) && fw_verdict(f, r)) {
		ir_rule_free(r);
		return NULL;
	}
	if (fw_has(f, 'b'))
		lg_add_reverse(r);
	fw_split_all(f, r);
	return r;
}

static uint16_t fw_lflags(const struct fw *f)
{
	uint16_t l = 0;

	l |= fw_has(f, 'n') ? MR_LF_NUMERIC : 0;
	l |= fw_has(f, 'e') ? MR_LF_EXTENDED : 0;
	l |= fw_has(f, 'x') ? MR_LF_EXACT : 0;
	l |= fw_has(f, 'v') ? MR_LF_VERBOSE : 0;
	l |= (f->command & CMD_RESET) && (f->command & CMD_LIST) ?
		MR_LF_ZERO : 0;
	return l;
}

static uint8_t fw_op(const struct fw *f)
{
	if (f->command & CMD_LIST)
		return f->chain == CHN_MASQ ? MR_OP_MASQ_LIST : MR_OP_LIST;
	switch (f->command) {
	case CMD_APPEND: return MR_OP_APPEND;
	case CMD_INSERT: return MR_OP_INSERT;
	case CMD_DELETE: return MR_OP_DELETE;
	case CMD_FLUSH: return MR_OP_FLUSH;
	case CMD_RESET: return MR_OP_ZERO;
	case CMD_POLICY: return MR_OP_POLICY;
	case CMD_TIMEOUT: return MR_OP_MASQ_TIMEOUTS;
	}
	return MR_OP_PACKET_CHECK;
}

static void fw_timeout_values(struct fw *f, struct mr_cmd *c)
{
	const struct mr_word *a = f->timeouts->args;

	c->u.timeouts.tcp = (uint32_t)strtoul(a[0].text, NULL, 10);
	c->u.timeouts.tcpfin = (uint32_t)strtoul(a[1].text, NULL, 10);
	c->u.timeouts.udp = (uint32_t)strtoul(a[2].text, NULL, 10);
}

static struct mr_cmd *fw_build(struct fw *f)
{
	uint8_t op = fw_op(f);
	struct mr_cmd *c = lg_cmd_new(op, MR_D_IPFWADM, f->p);

	if (f->chain != CHN_MASQ)
		lg_cmd_chain(c, fw_chains[f->chain], &f->chain_opt->loc);
	c->lflags = fw_lflags(f);
	if (op == MR_OP_INSERT)
		c->rulenum = 1;
	if (op == MR_OP_POLICY)
		c->policy = fw_verdict_kind(f);
	if (op == MR_OP_MASQ_TIMEOUTS)
		fw_timeout_values(f, c);
	if ((f->command & (CMD_RULE | CMD_CHECK)) && !(c->rules = fw_rule(f))) {
		ir_cmd_free(c);
		return NULL;
	}
	return c;
}

int eval_ipfwadm(struct eval_ctx *ctx, const struct mr_pcmd *p,
		 struct mr_cmd ***tail)
{
	struct fw f;
	const struct mr_popt *o;
	struct mr_cmd *c;
	int rc;

	memset(&f, 0, sizeof(f));
	f.errs = ctx->errs;
	f.p = p;
	f.chain = CHN_NONE;
	f.acct_dir = MR_ACCT_IN | MR_ACCT_OUT;
	for (o = p->opts; o; o = o->next) {
		rc = fw_option(&f, o, tail);
		if (rc)
			return rc > 0 ? 0 : -1;
	}
	if (fw_check(&f))
		return -1;
	c = fw_build(&f);
	if (!c)
		return -1;
	lg_emit(tail, c);
	return 0;
}
