/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ipchains (1.3.9, Linux 2.2): option table and evaluation into the IR,
 * with the tool's checks and messages (exit 2 for parameter problems).
 *
 * IR conventions of the legacy model (shared with eval_ipfwadm.c):
 * - table MR_T_LEGACY, family MR_FAM_IP; built-in chains "input",
 *   "forward", "output", and "accounting" for ipfwadm -A (acct_dir
 *   MR_ACCT_IN/OUT, MR_HAS_ACCT_DIR).
 * - ipchains -i / ipfwadm -W go in r->iif whatever the chain: in the legacy
 *   table iif is "the interface the 2.0/2.2 check was given" (incoming on
 *   input, outgoing on forward and output); the lowering resolves it per
 *   hook.  ipfwadm -V goes in r->viaaddr.
 * - -p: r->proto (0/all: not set), '!' -> MR_INV_PROTO.  -s/-d: r->src /
 *   r->dst, a zero mask is not set (unless negated: never matches).
 * - tcp/udp ports: one MR_M_TCP/MR_M_UDP match (one range per side);
 *   ipfwadm lists of several entries on a side: MR_M_MULTIPORT per side.
 * - ICMP: MR_M_ICMP (type, code range); what it cannot say (type ranges,
 *   negated codes, ipfwadm type lists) MR_M_LEGACY_PORTS (xt_legacy.c).
 * - ipchains -y: tcp flags SYN,RST,ACK / SYN; ipfwadm -y: SYN,ACK / SYN;
 *   ipfwadm -k: ACK / ACK.
 * - -f: MR_HAS_FRAG.  ipchains -l / ipfwadm -o: MR_HAS_LOGFLAG.  ipchains
 *   -o [size]: MR_HAS_COPY.  -m [+-]N: MR_HAS_FWMARK.  -t and xor:
 *   MR_HAS_TOS.
 * - verdicts: ACCEPT, DENY -> DROP, REJECT (MR_RJ_DEFAULT), MASQ (zeroed
 *   mr_t_nat), REDIRECT [port] (MR_NAT_PORTS when port != 0), RETURN, user
 *   chain -> JUMP, no -j -> MR_V_NONE.
 * - -b: two rules, the second with sides swapped (ICMP fields kept).
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "eval.h"
#include "legacy_util.h"
#include "services.h"

enum ch_id {
	CH_APPEND = 1, CH_DELETE, CH_INSERT, CH_REPLACE, CH_LIST, CH_FLUSH,
	CH_ZERO, CH_CHECK, CH_NEWCHAIN, CH_DELCHAIN, CH_POLICY, CH_MASQ,
	CH_SET, CH_VERSION, CH_HELP,
	CH_BIDIR, CH_SOURCE, CH_DEST, CH_SPORT, CH_DPORT, CH_ICMPTYPE,
	CH_PROTO, CH_IFACE, CH_JUMP, CH_TOS, CH_MARK, CH_NUMERIC, CH_LOG,
	CH_OUTPUT, CH_VERBOSE, CH_EXACT, CH_FRAG, CH_SYN, CH_LINENUM,
	CH_NOWARN,
};

#define CMD MR_OF_CMD
#define INV MR_OF_INV

/* getopt_long table of ipchains 1.3.9 (unique prefixes accepted) */
const struct mr_optdef opts_ipchains[] = {
	{ "append", 'A', MR_A1, CMD, CH_APPEND },
	{ "delete", 'D', MR_A1Q, CMD, CH_DELETE },
	{ "insert", 'I', MR_A1Q, CMD, CH_INSERT },
	{ "replace", 'R', MR_A1Q, CMD, CH_REPLACE },
	{ "list", 'L', MR_AQ, CMD, CH_LIST },
	{ "flush", 'F', MR_AQ, CMD, CH_FLUSH },
	{ "zero", 'Z', MR_AQ, CMD, CH_ZERO },
	{ "check", 'C', MR_A1, CMD, CH_CHECK },
	{ "new-chain", 'N', MR_A1, CMD, CH_NEWCHAIN },
	{ "delete-chain", 'X', MR_AQ, CMD, CH_DELCHAIN },
	{ "policy", 'P', MR_A1Q, CMD, CH_POLICY },
	{ "masquerading", 'M', MR_A0, CMD, CH_MASQ },
	{ "set", 'S', MR_AV, CMD, CH_SET },
	{ "version", 'V', MR_A0, CMD, CH_VERSION },
	{ "help", 'h', MR_AQ, CMD, CH_HELP },
	{ "bidirectional", 'b', MR_A0, 0, CH_BIDIR },
	{ "source", 's', MR_A1Q, INV, CH_SOURCE },
	{ "src", 's', MR_A1Q, INV, CH_SOURCE },
	{ "destination", 'd', MR_A1Q, INV, CH_DEST },
	{ "dst", 'd', MR_A1Q, INV, CH_DEST },
	{ "source-port", 0, MR_A1, INV, CH_SPORT },
	{ "sport", 0, MR_A1, INV, CH_SPORT },
	{ "destination-port", 0, MR_A1, INV, CH_DPORT },
	{ "dport", 0, MR_A1, INV, CH_DPORT },
	{ "icmp-type", 0, MR_A1, INV, CH_ICMPTYPE },
	{ "protocol", 'p', MR_A1, INV, CH_PROTO },
	{ "interface", 'i', MR_A1, INV, CH_IFACE },
	{ "jump", 'j', MR_A1Q, 0, CH_JUMP },
	{ "TOS", 't', MR_A1Q, 0, CH_TOS },
	{ "mark", 'm', MR_A1, 0, CH_MARK },
	{ "numeric", 'n', MR_A0, 0, CH_NUMERIC },
	{ "log", 'l', MR_A0, 0, CH_LOG },
	{ "output", 'o', MR_AQ, 0, CH_OUTPUT },
	{ "verbose", 'v', MR_A0, 0, CH_VERBOSE },
	{ "exact", 'x', MR_A0, 0, CH_EXACT },
	{ "fragments", 'f', MR_A0, INV, CH_FRAG },
	{ "syn", 'y', MR_A0, INV, CH_SYN },
	{ "line-numbers", 0, MR_A0, 0, CH_LINENUM },
	{ "no-warnings", 0, MR_A0, 0, CH_NOWARN },
	{ NULL, 0, 0, 0, 0 },
};

#undef CMD
#undef INV

/* The tool's command bits, in the order of its legality table. */
enum {
	C_INSERT = 1 << 0, C_DELETE = 1 << 1, C_DELETE_NUM = 1 << 2,
	C_REPLACE = 1 << 3, C_APPEND = 1 << 4, C_LIST = 1 << 5,
	C_FLUSH = 1 << 6, C_ZERO = 1 << 7, C_NEW_CHAIN = 1 << 8,
	C_DEL_CHAIN = 1 << 9, C_POLICY = 1 << 10, C_MASQ = 1 << 11,
	C_SET_MASQ = 1 << 12, C_CHECK = 1 << 13,
};
#define NCMD 14
static const char cmdflags[NCMD] = "IDDRALFZNXPMSC";

/* The tool's option bits, in the order of its legality table. */
enum {
	O_NUMERIC, O_SOURCE, O_DEST, O_PROTO, O_JUMP, O_SYN, O_BIDIR,
	O_VERBOSE, O_LOG, O_EXACT, O_TOS, O_IFACE, O_FRAG, O_MARK, O_SPORT,
	O_DPORT, O_OUTPUT, O_LINENUM, NOPT,
};
static const char optflags[NOPT] = "nsdpjybvlxtifmsdo3";

/* Legal options per command: '+' required, 'x' illegal, ' ' optional. */
static const char cmd_opts[NCMD][NOPT + 1] = {
	/*            nsdpjybvlxtifmsdo3 */
	/* INSERT */ "x        x       x",
	/* DELETE */ "x        x       x",
	/* DEL_NUM */"xxxxxxx xxxxxxxxxx",
	/* REPLACE */"x     x  x       x",
	/* APPEND */ "x        x       x",
	/* LIST */   " xxxxxx x xxxxxxx ",
	/* FLUSH */  "xxxxxxx xxxxxxxxxx",
	/* ZERO */   "xxxxxxx xxxxxxxxxx",
	/* NEW */    "xxxxxxx xxxxxxxxxx",
	/* DELCH */  "xxxxxxx xxxxxxxxxx",
	/* POLICY */ "xxxxxxx xxxxxxxxxx",
	/* MASQ */   "xxxxxxxxxxxxxxxxxx",
	/* SETMASQ */"xxxxxxx xxxxxxxxxx",
	/* CHECK */  "x+++x   xxx+ x  xx",
};

#define CH_LABEL_MAX 8	/* IP_FW_MAX_LABEL_LENGTH */

/* ICMP names of ipchains -h icmp: type and code range. */
struct ch_icmp {
	const char *name;
	uint8_t type;
	uint8_t code_lo;
	uint16_t code_hi;
	bool exact;		/* use code_lo when checking a packet */
};

static const struct ch_icmp ch_icmp_names[] = {
	{ "echo-reply", 0, 0, 0xFFFF, true },
	{ "pong", 0, 0, 0xFFFF, true },
	{ "destination-unreachable", 3, 0, 0xFFFF, false },
	{ "network-unreachable", 3, 0, 0, true },
	{ "host-unreachable", 3, 1, 1, true },
	{ "protocol-unreachable", 3, 2, 2, true },
	{ "port-unreachable", 3, 3, 3, true },
	{ "fragmentation-needed", 3, 4, 4, true },
	{ "source-route-failed", 3, 5, 5, true },
	{ "network-unknown", 3, 6, 6, true },
	{ "host-unknown", 3, 7, 7, true },
	{ "network-prohibited", 3, 9, 9, true },
	{ "host-prohibited", 3, 10, 10, true },
	{ "TOS-network-unreachable", 3, 11, 11, true },
	{ "TOS-host-unreachable", 3, 12, 12, true },
	{ "communication-prohibited", 3, 13, 13, true },
	{ "host-precedence-violation", 3, 14, 14, true },
	{ "precedence-cutoff", 3, 15, 15, true },
	{ "source-quench", 4, 0, 0xFFFF, true },
	{ "redirect", 5, 0, 0xFFFF, false },
	{ "network-redirect", 5, 0, 0, true },
	{ "host-redirect", 5, 1, 1, true },
	{ "TOS-network-redirect", 5, 2, 2, true },
	{ "TOS-host-redirect", 5, 3, 3, true },
	{ "echo-request", 8, 0, 0xFFFF, true },
	{ "ping", 8, 0, 0xFFFF, true },
	{ "router-advertisement", 9, 0, 0xFFFF, true },
	{ "router-solicitation", 10, 0, 0xFFFF, true },
	{ "time-exceeded", 11, 0, 0xFFFF, false },
	{ "ttl-exceeded", 11, 0, 0xFFFF, false },
	{ "ttl-zero-during-transit", 11, 0, 0, true },
	{ "ttl-zero-during-reassembly", 11, 1, 1, true },
	{ "parameter-problem", 12, 0, 0xFFFF, false },
	{ "ip-header-bad", 12, 0, 0, true },
	{ "required-option-missing", 12, 1, 1, true },
	{ "timestamp-request", 13, 0, 0xFFFF, true },
	{ "timestamp-reply", 14, 0, 0xFFFF, true },
	{ "address-mask-request", 17, 0, 0xFFFF, true },
	{ "address-mask-reply", 18, 0, 0xFFFF, true },
};

/* Targets with a meaning of their own; anything else jumps to a chain. */
static const struct {
	const char *name;
	uint16_t kind;
} ch_targets[] = {
	{ "ACCEPT", MR_V_ACCEPT },
	{ "DENY", MR_V_DROP },
	{ "REJECT", MR_V_REJECT },
	{ "MASQ", MR_V_MASQ },
	{ "REDIRECT", MR_V_REDIRECT },
	{ "RETURN", MR_V_RETURN },
};

/* TOS values the tool warns about (RFC 1349 names). */
static const struct {
	uint8_t tos;
	const char *name;
} ch_tos_values[] = {
	{ 0x10, "Minimize Delay" },
	{ 0x08, "Minimize Throughput" },
	{ 0x04, "Maximize Reliability" },
	{ 0x02, "Minimize Cost" },
	{ 0x00, "Normal Service" },
};

/* A port specification: one range, maybe negated. */
struct ch_ports {
	const struct mr_word *w;
	bool given, inv;
	struct mr_range16 r;
};

/* Everything one command line says, collected before it is checked. */
struct ch {
	struct erec_list *errs;
	const struct mr_pcmd *p;
	unsigned cmd;
	const struct mr_popt *cmd_opt[NCMD];
	unsigned opts;
	const struct mr_popt *opt[NOPT];
	const struct mr_word *chain, *saddr, *daddr, *iface, *target, *rport;
	const struct mr_popt *set;
	bool inv_src, inv_dst, inv_proto, inv_iface, inv_syn, inv_frag;
	bool warnings;
	int rulenum;
	uint16_t policy;
	uint8_t proto;
	uint8_t tos_and, tos_xor;
	uint8_t fwmark_op;
	uint32_t fwmark;
	uint32_t outsize;
	struct ch_ports sp, dp;		/* ports, or ICMP type / code */
	struct mr_prefix src, dst;
	const struct ch_icmp *icmp;	/* an ICMP name was given */
};

static int ch_err(struct ch *c, const struct mr_loc *loc, const char *fmt,
		  const char *arg)
{
	return erec_param(c->errs, loc, fmt, arg);
}

/* A message without arguments. */
static int ch_msg(struct ch *c, const struct mr_loc *loc, const char *msg)
{
	return erec_param(c->errs, loc, "%s", msg);
}

static int cmd_index(unsigned bit)
{
	int i = 0;

	while (bit > 1) {
		bit >>= 1;
		i++;
	}
	return i;
}

static char cmd2char(unsigned bits)
{
	return cmdflags[cmd_index(bits)];
}

/* "-s" for messages, "--line-numbers" for the option without a letter */
static const char *opt_name(int o, char *buf)
{
	if (o == O_LINENUM)
		return "--line-numbers";
	buf[0] = '-';
	buf[1] = optflags[o];
	buf[2] = '\0';
	return buf;
}

/* The '!' of an option: before it or before its first argument. */
static int ch_neg(struct ch *c, const struct mr_popt *o, bool *neg)
{
	*neg = o->neg;
	if (o->nargs && o->args[0].neg) {
		if (o->neg)
			return ch_msg(c, &o->args[0].neg_loc,
				      "Multiple `!' flags not allowed");
		*neg = true;
	}
	return 0;
}

static const struct mr_loc *neg_loc(const struct mr_popt *o)
{
	return o->neg ? &o->neg_loc : &o->args[0].neg_loc;
}

/* set_option(): once only; '!' only where the kernel has an inverse. */
static int ch_set_option(struct ch *c, const struct mr_popt *o, int opt,
			 bool neg, bool *inv)
{
	char buf[4];

	if (c->opts & (1u << opt)) {
		char m[48];

		snprintf(m, sizeof(m), "multiple %s flags not allowed",
			 opt_name(opt, buf));
		return ch_err(c, &o->loc, "%s", m);
	}
	c->opts |= 1u << opt;
	c->opt[opt] = o;
	if (!neg)
		return 0;
	if (!inv) {
		char m[48];

		snprintf(m, sizeof(m), "cannot have ! before %s",
			 opt_name(opt, buf));
		return ch_err(c, neg_loc(o), "%s", m);
	}
	*inv = true;
	return 0;
}

/* add_command(): which commands combine (-L -Z, -M -L, -M -S). */
static int ch_add_command(struct ch *c, const struct mr_popt *o,
			  unsigned cmd, unsigned others)
{
	char m[64];

	if (popt_neg(o))
		return ch_msg(c, neg_loc(o), "unexpected ! flag");
	if (c->cmd & ~others) {
		snprintf(m, sizeof(m), "Can't use -%c with -%c", cmd2char(cmd),
			 cmd2char(c->cmd & ~others));
		return ch_err(c, &o->loc, "%s", m);
	}
	c->cmd |= cmd;
	c->cmd_opt[cmd_index(cmd)] = o;
	return 0;
}

static const struct mr_word *arg(const struct mr_popt *o, unsigned i)
{
	return i < o->nargs ? &o->args[i] : NULL;
}

static int ch_rulenum(struct ch *c, const struct mr_word *w)
{
	long v;

	if (!lg_number(w->text, 1, INT_MAX, &v))
		return ch_err(c, &w->loc, "Invalid rule number `%s'", w->text);
	c->rulenum = (int)v;
	return 0;
}

/* An optional chain word after -L, -F, -Z, -X. */
static void ch_opt_chain(struct ch *c, const struct mr_popt *o)
{
	if (o->nargs)
		c->chain = &o->args[0];
}

static bool ch_builtin(const char *chain)
{
	return !strcmp(chain, "input") || !strcmp(chain, "output") ||
	       !strcmp(chain, "forward");
}

/* parse_policy(): MASQ for forward only, built-in chains only. */
static int ch_policy(struct ch *c, const struct mr_word *chain,
		     const struct mr_word *w)
{
	char m[96];

	if (!strcmp(w->text, "MASQ")) {
		if (strcmp(chain->text, "forward"))
			return ch_msg(c, &w->loc,
			      "`-P MASQ' only valid for `forward' chain.");
		c->policy = MR_V_MASQ;
		return 0;
	}
	if (!ch_builtin(chain->text))
		return ch_msg(c, &chain->loc,
			      "Can only set policy in built-in chains.");
	if (!strcmp(w->text, "ACCEPT"))
		c->policy = MR_V_ACCEPT;
	else if (!strcmp(w->text, "DENY"))
		c->policy = MR_V_DROP;
	else if (!strcmp(w->text, "REJECT"))
		c->policy = MR_V_REJECT;
	else {
		snprintf(m, sizeof(m), "Invalid policy `%.40s' for -P", w->text);
		return ch_err(c, &w->loc, "%s", m);
	}
	return 0;
}

static int ch_timeouts(struct ch *c, const struct mr_popt *o)
{
	long v;
	unsigned i;

	if (o->nargs < 3)
		return ch_msg(c, &o->loc, "-S requires 3 timeout values");
	if (o->nargs > 3)
		return ch_msg(c, &o->args[3].loc,
			      "unknown arguments found on commandline");
	for (i = 0; i < 3; i++)
		if (!lg_number(o->args[i].text, 0, INT_MAX, &v))
			return ch_err(c, &o->args[i].loc,
				      "invalid timeout value `%s' specified",
				      o->args[i].text);
	c->set = o;
	return 0;
}

static int ch_command(struct ch *c, const struct mr_popt *o)
{
	const struct mr_word *a1 = arg(o, 1);

	switch (o->def->id) {
	case CH_APPEND:
		c->chain = arg(o, 0);
		return ch_add_command(c, o, C_APPEND, 0);
	case CH_DELETE:
		if (ch_add_command(c, o, C_DELETE, 0))
			return -1;
		c->chain = arg(o, 0);
		if (!a1)
			return 0;
		c->cmd = C_DELETE_NUM;
		c->cmd_opt[cmd_index(C_DELETE_NUM)] = o;
		return ch_rulenum(c, a1);
	case CH_CHECK:
		c->chain = arg(o, 0);
		return ch_add_command(c, o, C_CHECK, 0);
	case CH_REPLACE:
		if (ch_add_command(c, o, C_REPLACE, 0))
			return -1;
		c->chain = arg(o, 0);
		if (!a1)
			return ch_msg(c, &o->loc, "-R requires a rule number");
		return ch_rulenum(c, a1);
	case CH_INSERT:
		if (ch_add_command(c, o, C_INSERT, 0))
			return -1;
		c->chain = arg(o, 0);
		c->rulenum = 1;
		return a1 ? ch_rulenum(c, a1) : 0;
	case CH_LIST:
		if (ch_add_command(c, o, C_LIST, C_ZERO | C_MASQ))
			return -1;
		ch_opt_chain(c, o);
		if ((c->cmd & C_ZERO) && c->chain)
			return ch_msg(c, &c->chain->loc,
			      "-L with -Z does not allow chain to be specified");
		return 0;
	case CH_FLUSH:
		if (ch_add_command(c, o, C_FLUSH, 0))
			return -1;
		ch_opt_chain(c, o);
		return 0;
	case CH_ZERO:
		if (ch_add_command(c, o, C_ZERO, C_LIST))
			return -1;
		ch_opt_chain(c, o);
		if ((c->cmd & C_LIST) && c->chain)
			return ch_msg(c, &c->chain->loc,
			      "-L with -Z does not allow chain to be specified");
		return 0;
	case CH_NEWCHAIN:
		c->chain = arg(o, 0);
		return ch_add_command(c, o, C_NEW_CHAIN, 0);
	case CH_DELCHAIN:
		if (ch_add_command(c, o, C_DEL_CHAIN, 0))
			return -1;
		ch_opt_chain(c, o);
		return 0;
	case CH_POLICY:
		if (ch_add_command(c, o, C_POLICY, 0))
			return -1;
		c->chain = arg(o, 0);
		if (!a1)
			return ch_msg(c, &o->loc,
			      "-P requires a chain and a policy");
		return ch_policy(c, c->chain, a1);
	case CH_MASQ:
		return ch_add_command(c, o, C_MASQ, C_LIST | C_SET_MASQ);
	case CH_SET:
		if (ch_add_command(c, o, C_SET_MASQ, C_MASQ))
			return -1;
		return ch_timeouts(c, o);
	}
	return 0;
}

/* An address option: [!] addr [[!] port]. */
static int ch_addr(struct ch *c, const struct mr_popt *o, bool neg, bool dst)
{
	struct ch_ports *pp = dst ? &c->dp : &c->sp;
	const struct mr_word *pw = arg(o, 1);

	if (ch_set_option(c, o, dst ? O_DEST : O_SOURCE, neg,
			  dst ? &c->inv_dst : &c->inv_src))
		return -1;
	if (dst)
		c->daddr = arg(o, 0);
	else
		c->saddr = arg(o, 0);
	if (!pw)
		return 0;
	if (ch_set_option(c, o, dst ? O_DPORT : O_SPORT, pw->neg, &pp->inv))
		return -1;
	pp->w = pw;
	pp->given = true;
	return 0;
}

static int ch_port_opt(struct ch *c, const struct mr_popt *o, bool neg,
		       bool dst)
{
	struct ch_ports *pp = dst ? &c->dp : &c->sp;

	if (ch_set_option(c, o, dst ? O_DPORT : O_SPORT, neg, &pp->inv))
		return -1;
	pp->w = arg(o, 0);
	pp->given = true;
	return 0;
}

static int ch_proto(struct ch *c, const struct mr_popt *o, bool neg)
{
	const struct mr_word *w = arg(o, 0);
	long v;
	int n;

	if (ch_set_option(c, o, O_PROTO, neg, &c->inv_proto))
		return -1;
	if (lg_number(w->text, 0, 255, &v))
		n = (int)v;
	else if ((n = proto_number(w->text)) < 0 || n > 255)
		return ch_err(c, &w->loc, "unknown protocol `%s' specified",
			      w->text);
	c->proto = (uint8_t)n;
	if (!n && c->inv_proto)
		return ch_msg(c, &w->loc,
			      "rule would never match protocol");
	return 0;
}

static int ch_iface(struct ch *c, const struct mr_popt *o, bool neg)
{
	const struct mr_word *w = arg(o, 0);
	char m[128];

	if (ch_set_option(c, o, O_IFACE, neg, &c->inv_iface))
		return -1;
	if (strlen(w->text) >= MR_IFNAMSIZ) {
		snprintf(m, sizeof(m), "interface name `%.40s' must be shorter "
			 "than IFNAMSIZ (%d)", w->text, MR_IFNAMSIZ);
		return ch_err(c, &w->loc, "%s", m);
	}
	c->iface = w;
	return 0;
}

/* parse_target(): a label of at most 8 characters, no white space. */
static int ch_target(struct ch *c, const struct mr_popt *o, bool neg)
{
	const struct mr_word *w = arg(o, 0);
	const char *s;

	if (ch_set_option(c, o, O_JUMP, neg, NULL))
		return -1;
	if (!*w->text)
		return ch_msg(c, &w->loc,
			      "Invalid target name (too short)");
	if (strlen(w->text) > CH_LABEL_MAX)
		return ch_err(c, &w->loc,
			      "Invalid target name `%s' (8 chars max)", w->text);
	for (s = w->text; *s; s++)
		if (isspace((unsigned char)*s))
			return ch_err(c, &w->loc, "Invalid target name `%s'",
				      w->text);
	c->target = w;
	if (o->nargs < 2)
		return 0;
	/* only REDIRECT takes a second word: anything else is stray */
	if (strcmp(w->text, "REDIRECT") || o->args[1].neg)
		return ch_msg(c, &o->args[1].loc,
			      "unknown arguments found on commandline");
	c->rport = &o->args[1];
	return 0;
}

static int ch_hexbyte(struct ch *c, const struct mr_word *w, uint8_t *out)
{
	char *end;
	long v = strtol(w->text, &end, 16);

	if (end == w->text || *end || v < 0 || v > 255)
		return ch_err(c, &w->loc, "invalid hexbyte `%s' specified",
			      w->text);
	*out = (uint8_t)v;
	return 0;
}

static int ch_tos(struct ch *c, const struct mr_popt *o, bool neg)
{
	if (ch_set_option(c, o, O_TOS, neg, NULL))
		return -1;
	if (o->nargs < 2)
		return ch_msg(c, &o->loc, "-t requires 2 hexbyte arguments");
	if (ch_hexbyte(c, &o->args[0], &c->tos_and) ||
	    ch_hexbyte(c, &o->args[1], &c->tos_xor))
		return -1;
	return 0;
}

/* -m [+|-]value: set, add or subtract (strtoul base 0). */
static int ch_mark(struct ch *c, const struct mr_popt *o, bool neg)
{
	const struct mr_word *w = arg(o, 0);
	const char *s = w->text;
	unsigned long v;
	char *end;

	if (ch_set_option(c, o, O_MARK, neg, NULL))
		return -1;
	c->fwmark_op = MR_FWM_SET;
	if (*s == '+' || *s == '-') {
		c->fwmark_op = *s == '+' ? MR_FWM_ADD : MR_FWM_SUB;
		s++;
	}
	v = strtoul(s, &end, 0);
	if (end == s || *end || *s == '-' || *s == '+' || v > UINT32_MAX)
		return ch_err(c, &w->loc, "Bad value `%s' for -m.", w->text);
	c->fwmark = (uint32_t)v;
	return 0;
}

static int ch_output(struct ch *c, const struct mr_popt *o, bool neg)
{
	const struct mr_word *w = arg(o, 0);
	long v = 65535;

	if (ch_set_option(c, o, O_OUTPUT, neg, NULL))
		return -1;
	if (w && !lg_number(w->text, 0, 65535, &v))
		return ch_err(c, &w->loc,
			      "-o argument must be 0-65535, not `%s'", w->text);
	c->outsize = (uint32_t)v;
	return 0;
}

/* Options that only set a flag. */
static int ch_flag(struct ch *c, const struct mr_popt *o, bool neg)
{
	static const struct {
		uint16_t id;
		int opt;
	} flags[] = {
		{ CH_BIDIR, O_BIDIR }, { CH_NUMERIC, O_NUMERIC },
		{ CH_LOG, O_LOG }, { CH_VERBOSE, O_VERBOSE },
		{ CH_EXACT, O_EXACT }, { CH_FRAG, O_FRAG },
		{ CH_SYN, O_SYN }, { CH_LINENUM, O_LINENUM },
	};
	bool *inv = NULL;
	size_t i;

	if (o->def->id == CH_FRAG)
		inv = &c->inv_frag;
	else if (o->def->id == CH_SYN)
		inv = &c->inv_syn;
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (flags[i].id == o->def->id)
			return ch_set_option(c, o, flags[i].opt, neg, inv);
	return 0;
}

static int ch_param(struct ch *c, const struct mr_popt *o)
{
	bool neg;

	if (ch_neg(c, o, &neg))
		return -1;
	switch (o->def->id) {
	case CH_SOURCE:
		return ch_addr(c, o, neg, false);
	case CH_DEST:
		return ch_addr(c, o, neg, true);
	case CH_SPORT:
	case CH_ICMPTYPE:
		return ch_port_opt(c, o, neg, false);
	case CH_DPORT:
		return ch_port_opt(c, o, neg, true);
	case CH_PROTO:
		return ch_proto(c, o, neg);
	case CH_IFACE:
		return ch_iface(c, o, neg);
	case CH_JUMP:
		return ch_target(c, o, neg);
	case CH_TOS:
		return ch_tos(c, o, neg);
	case CH_MARK:
		return ch_mark(c, o, neg);
	case CH_OUTPUT:
		return ch_output(c, o, neg);
	case CH_NOWARN:
		if (neg)
			return ch_msg(c, neg_loc(o),
			      "cannot have ! before --no-warnings");
		c->warnings = false;
		return 0;
	}
	return ch_flag(c, o, neg);
}

/* -h [icmp] and -V end the tool at once, whatever follows. */
static int ch_immediate(struct ch *c, const struct mr_popt *o,
			struct mr_cmd ***tail)
{
	struct mr_cmd *cmd;

	if (o->def->id == CH_VERSION) {
		cmd = lg_cmd_new(MR_OP_VERSION, MR_D_IPCHAINS, c->p);
	} else {
		cmd = lg_cmd_new(MR_OP_HELP, MR_D_IPCHAINS, c->p);
		/* "-h icmp" lists the ICMP names: chain carries the topic */
		if (o->nargs && !strcasecmp(o->args[0].text, "icmp"))
			lg_cmd_chain(cmd, "icmp", &o->args[0].loc);
	}
	lg_emit(tail, cmd);
	return 1;
}

/* One option in argv order; 1 when -h / -V ended the line. */
static int ch_option(struct ch *c, const struct mr_popt *o,
		     struct mr_cmd ***tail)
{
	if (!o->def)
		return ch_msg(c, &o->args[0].loc,
			      "unknown arguments found on commandline");
	if (o->def->id == CH_VERSION || o->def->id == CH_HELP)
		return ch_immediate(c, o, tail);
	if (o->def->flags & MR_OF_CMD)
		return ch_command(c, o);
	return ch_param(c, o);
}

/* ------------------------------------------------------------------ */
/* After all options: addresses, ports, checks                         */

static int ch_parse_addr(struct ch *c, const struct mr_word *w,
			 struct mr_prefix *out)
{
	const char *slash = strrchr(w->text, '/');
	int n = slash ? (int)(slash - w->text) : (int)strlen(w->text);
	const char *mask;
	char m[300];

	switch (lg_parse_addr(w->text, out, &mask)) {
	case LG_ADDR_BADMASK:
		snprintf(m, sizeof(m), "invalid mask `%.200s' specified", mask);
		return ch_err(c, &w->loc, "%s", m);
	case LG_ADDR_BADHOST:
		/* the tool names the host part, without the mask */
		snprintf(m, sizeof(m), "host/network `%.*s' not found",
			 n > 200 ? 200 : n, w->text);
		return ch_err(c, &w->loc, "%s", m);
	default:
		return 0;
	}
}

/* parse_port(): a number; a service name for tcp and udp only. */
static int ch_port(struct ch *c, const struct mr_word *w, const char *s,
		   uint8_t proto, uint16_t *out)
{
	long v;

	if (proto != LG_ICMP && proto != LG_TCP && proto != LG_UDP)
		return ch_msg(c, &w->loc,
			      "can only specify ports for icmp, tcp or udp");
	if (lg_number(s, 0, 65535, &v)) {
		*out = (uint16_t)v;
		return 0;
	}
	if (proto == LG_ICMP)
		return ch_err(c, &w->loc, "invalid ICMP type `%s' specified", s);
	v = services_port(s, proto);
	if (v < 0)
		return ch_err(c, &w->loc, "invalid port/service `%s' specified",
			      s);
	*out = (uint16_t)v;
	return 0;
}

/* parse_ports(): "p", "lo:hi", "lo:" (to 65535), ":hi" (from 0). */
static int ch_range(struct ch *c, struct ch_ports *pp, uint8_t proto)
{
	const struct mr_word *w = pp->w;
	char buf[128], *colon;
	char m[64];

	pp->r = (struct mr_range16){ 0, 0xFFFF };
	if (!pp->given)
		return 0;
	snprintf(buf, sizeof(buf), "%s", w->text);
	colon = strchr(buf, ':');
	if (!colon) {
		if (ch_port(c, w, buf, proto, &pp->r.lo))
			return -1;
		pp->r.hi = pp->r.lo;
		return 0;
	}
	*colon = '\0';
	if ((buf[0] && ch_port(c, w, buf, proto, &pp->r.lo)) ||
	    (colon[1] && ch_port(c, w, colon + 1, proto, &pp->r.hi)))
		return -1;
	if (pp->r.lo > pp->r.hi) {
		/* the kernel took it and never matched: refuse instead */
		snprintf(m, sizeof(m), "invalid range of ports (%u > %u)",
			 pp->r.lo, pp->r.hi);
		return ch_err(c, &w->loc, "%s", m);
	}
	return 0;
}

/* An ICMP name as source "port" or --icmp-type: unique prefix. */
static int ch_icmp_name(struct ch *c, bool checking)
{
	const struct ch_icmp *match = NULL, *e;
	const char *s = c->sp.w->text;
	size_t i, n = strlen(s);
	char m[160];

	for (i = 0; i < sizeof(ch_icmp_names) / sizeof(ch_icmp_names[0]); i++) {
		e = &ch_icmp_names[i];
		if (strncasecmp(e->name, s, n))
			continue;
		if (match) {
			snprintf(m, sizeof(m), "Ambiguous ICMP `%.40s' : `%s' "
				 "or `%s'?", s, match->name, e->name);
			return ch_err(c, &c->sp.w->loc, "%s", m);
		}
		match = e;
	}
	if (!match)
		return 0;
	if (c->dp.given)
		return ch_msg(c, &c->dp.w->loc,
			      "Can't use ICMP name and destination port together");
	c->opts |= 1u << O_DPORT;
	c->icmp = match;
	c->sp.r = (struct mr_range16){ match->type, match->type };
	c->dp.r = (struct mr_range16){ match->code_lo, match->code_hi };
	if (checking) {
		if (match->exact)
			c->dp.r.hi = c->dp.r.lo;
		else if (c->dp.r.lo != c->dp.r.hi)
			return ch_msg(c, &c->sp.w->loc,
			      "Must specify exact ICMP type for testing");
	}
	if (c->sp.inv || c->dp.inv)
		return ch_msg(c, &c->sp.w->loc,
			      "Can't invert named ICMP types");
	return 0;
}

static int ch_ports_all(struct ch *c)
{
	if (c->proto == LG_ICMP) {
		if (c->sp.given && !isdigit((unsigned char)c->sp.w->text[0]) &&
		    c->sp.w->text[0] != ':') {
			if (ch_icmp_name(c, c->cmd == C_CHECK))
				return -1;
			if (c->icmp)
				return 0;
		}
	}
	return ch_range(c, &c->sp, c->proto) || ch_range(c, &c->dp, c->proto)
		? -1 : 0;
}

/* Unset addresses stay zero: the tool's default 0.0.0.0/0 (any). */
static int ch_addresses(struct ch *c)
{
	if (c->saddr && ch_parse_addr(c, c->saddr, &c->src))
		return -1;
	if (c->daddr && ch_parse_addr(c, c->daddr, &c->dst))
		return -1;
	return ch_ports_all(c);
}

static bool ch_has(const struct ch *c, int opt)
{
	return c->opts & (1u << opt);
}

static const struct mr_loc *ch_oloc(const struct ch *c, int opt)
{
	return &c->opt[opt]->loc;
}

static const struct mr_loc *ch_port_loc(const struct ch *c)
{
	if (c->sp.given)
		return &c->sp.w->loc;
	return c->dp.given ? &c->dp.w->loc : &c->p->loc;
}

/* The protocol checks of the tool, in its order. */
static int ch_check_proto(struct ch *c)
{
	bool ports = ch_has(c, O_SPORT) || ch_has(c, O_DPORT);
	bool frag = ch_has(c, O_FRAG) && !c->inv_frag;

	if ((!c->proto || c->inv_proto) && ports)
		return ch_msg(c, ch_port_loc(c),
			      "no ports allowed without specific protocol");
	if ((c->proto != LG_TCP || c->inv_proto) && ch_has(c, O_SYN))
		return ch_msg(c, ch_oloc(c, O_SYN),
			      "-y only allowed with TCP protocol");
	if (frag && ports)
		return ch_msg(c, ch_port_loc(c),
			      "no ports allowed with -f");
	if (frag && ch_has(c, O_SYN))
		return ch_msg(c, ch_oloc(c, O_SYN),
			      "-y not allowed with -f");
	return 0;
}

static bool ch_any_inv(const struct ch *c)
{
	return c->inv_src || c->inv_dst || c->inv_proto || c->inv_iface ||
	       c->inv_syn || c->inv_frag || c->sp.inv || c->dp.inv;
}

/* Where the first '!' of the line is. */
static const struct mr_loc *ch_first_bang(const struct ch *c)
{
	const struct mr_popt *o;
	unsigned i;

	for (o = c->p->opts; o; o = o->next) {
		if (o->neg)
			return &o->neg_loc;
		for (i = 0; i < o->nargs; i++)
			if (o->args[i].neg)
				return &o->args[i].neg_loc;
	}
	return &c->p->loc;
}

static int ch_check_packet(struct ch *c)
{
	bool l4 = c->proto == LG_TCP || c->proto == LG_UDP ||
		  c->proto == LG_ICMP;

	if (c->cmd != C_CHECK)
		return 0;
	if (l4 && !ch_has(c, O_FRAG) &&
	    (!ch_has(c, O_SPORT) || c->sp.r.lo != c->sp.r.hi ||
	     !ch_has(c, O_DPORT) || c->dp.r.lo != c->dp.r.hi))
		return ch_msg(c, ch_port_loc(c),
			      "one port required with source/destination address for -C");
	if (ch_any_inv(c))
		return ch_msg(c, ch_first_bang(c),
			      "! not allowed with -C");
	return 0;
}

static int ch_check_target(struct ch *c)
{
	const char *t = c->target ? c->target->text : NULL;
	const char *chain = c->chain ? c->chain->text : NULL;

	if (!t)
		return 0;
	if (!strcmp(t, "REDIRECT") && ((c->proto != LG_TCP &&
	     c->proto != LG_UDP) || c->inv_proto))
		return ch_msg(c, &c->target->loc,
			      "redirecting only allowed with TCP or UDP");
	if (!strcmp(t, "MASQ") && chain &&
	    (!strcmp(chain, "input") || !strcmp(chain, "output")))
		return ch_msg(c, &c->target->loc,
			      "masquerading not allowed for input and output chains");
	if (!strcmp(t, "REDIRECT") && chain &&
	    (!strcmp(chain, "output") || !strcmp(chain, "forward")))
		return ch_msg(c, &c->target->loc,
			      "redirect not allowed for output and forward chains");
	return 0;
}

/* generic_opt_check(): the legality table. */
static int ch_check_table(struct ch *c)
{
	const struct mr_loc *cloc = NULL;
	char buf[4], m[80];
	int i, j, legal;

	for (i = 0; i < NOPT; i++) {
		legal = 0;
		for (j = 0; j < NCMD; j++) {
			if (!(c->cmd & (1u << j)))
				continue;
			if (c->cmd_opt[j])
				cloc = &c->cmd_opt[j]->loc;
			if (!ch_has(c, i)) {
				if (cmd_opts[j][i] != '+')
					continue;
				snprintf(m, sizeof(m), "You need to supply the "
					 "`%s' option for this command",
					 opt_name(i, buf));
				return ch_err(c, cloc ? cloc : &c->p->loc,
					      "%s", m);
			}
			if (cmd_opts[j][i] != 'x')
				legal = 1;
			else if (!legal)
				legal = -1;
		}
		if (legal == -1) {
			snprintf(m, sizeof(m), "Illegal option `%s' with this "
				 "command", opt_name(i, buf));
			return ch_err(c, ch_oloc(c, i), "%s", m);
		}
	}
	return 0;
}

static int ch_bits(uint8_t v)
{
	int n = 0;

	for (v &= 0x0E; v; v >>= 1)
		n += v & 1;
	return n;
}

/* check_tos(): RFC 1349 leaves bit 0 alone and sets one TOS bit. */
static int ch_check_tos(struct ch *c)
{
	const struct mr_loc *loc;
	size_t i;

	if (!ch_has(c, O_TOS))
		return 0;
	loc = ch_oloc(c, O_TOS);
	if (!(c->tos_and & 1) || (c->tos_xor & 1))
		return ch_msg(c, loc,
			      "TOS manipulation cannot alter bit 0 (RFC1349)");
	if (ch_bits((uint8_t)(~c->tos_and & c->tos_xor)) > 1)
		return ch_msg(c, loc,
			      "TOS manipulation cannot set multiple TOS bits (RFC1349)");
	for (i = 0; c->warnings &&
	     i < sizeof(ch_tos_values) / sizeof(ch_tos_values[0]); i++)
		if (ch_bits((uint8_t)((ch_tos_values[i].tos & c->tos_and) ^
				      c->tos_xor)) > 1)
			erec_add(c->errs, EREC_WARNING, 0, loc,
				 "TOS manipulation may set multiple TOS bits "
				 "for %s TOS (0x%02x)", ch_tos_values[i].name,
				 ch_tos_values[i].tos);
	return 0;
}

static int ch_check(struct ch *c)
{
	char m[96];

	if (ch_addresses(c) || ch_check_proto(c) || ch_check_packet(c) ||
	    ch_check_target(c))
		return -1;
	if (c->cmd & C_SET_MASQ)
		c->cmd |= C_MASQ;	/* lazy -S without -M */
	if (ch_check_table(c))
		return -1;
	if (c->chain && strlen(c->chain->text) > CH_LABEL_MAX) {
		snprintf(m, sizeof(m), "chain name `%.40s' too long (must be "
			 "under %d chars)", c->chain->text, CH_LABEL_MAX);
		return ch_err(c, &c->chain->loc, "%s", m);
	}
	if (ch_check_tos(c))
		return -1;
	if (c->cmd == C_MASQ)
		return ch_msg(c, &c->cmd_opt[cmd_index(C_MASQ)]->loc,
			      "-M/--masquerading requires -L/--list or -S/--set");
	return 0;
}

/* ------------------------------------------------------------------ */
/* Building the IR                                                     */

static bool ch_full(struct mr_range16 r)
{
	return r.lo == 0 && r.hi >= 0xFFFF;
}

/*
 * ICMP type (source "port") and code (destination "port").  mr_m_icmp
 * says one type, maybe a code range, maybe the type negated; the rest
 * (type ranges, negated codes) needs the legacy ports match.
 */
static void ch_icmp_match(struct ch *c, struct mr_rule *r)
{
	struct ch_ports t = c->sp, k = c->dp;
	struct mr_m_legacy_ports *lp;
	struct mr_m_icmp *ic;
	struct mr_match *m;

	/* ICMP fields are 8 bits wide: 13:65535 is 13:255 */
	if (t.r.lo <= 255 && t.r.hi > 255)
		t.r.hi = 255;
	if (k.r.lo <= 255 && k.r.hi > 255)
		k.r.hi = 255;
	t.given = (t.r.lo != 0 || t.r.hi != 255) || t.inv;
	k.given = k.r.lo != 0 || k.r.hi != 255 || k.inv;
	if (!t.given && !k.given)
		return;
	if (t.given && t.r.lo == t.r.hi && t.r.lo <= 255 &&
	    (!k.given || (!k.inv && !t.inv && k.r.lo <= 255))) {
		m = ir_match_add(r, MR_M_ICMP, sizeof(*ic));
		m->loc = c->sp.w ? c->sp.w->loc : c->p->loc;
		ic = MR_MDATA(m, struct mr_m_icmp);
		ic->type = (uint8_t)t.r.lo;
		m->has = LG_BIT(MR_ICMP_TYPE);
		if (t.inv)
			m->inv = LG_BIT(MR_ICMP_TYPE);
		if (k.given) {
			ic->code_lo = (uint8_t)k.r.lo;
			ic->code_hi = (uint8_t)k.r.hi;
			m->has |= LG_BIT(MR_ICMP_CODE);
		}
		return;
	}
	m = lg_legacy_ports(r, t.w ? &t.w->loc : k.w ? &k.w->loc : &c->p->loc);
	lp = MR_MDATA(m, struct mr_m_legacy_ports);
	if (t.given) {
		lp->sport.n = 1;
		lp->sport.r[0] = t.r;
		m->has |= LG_BIT(0);
		m->inv |= t.inv ? LG_BIT(0) : 0;
	}
	if (k.given) {
		lp->dport.n = 1;
		lp->dport.r[0] = k.r;
		m->has |= LG_BIT(1);
		m->inv |= k.inv ? LG_BIT(1) : 0;
	}
}

static void ch_l4(struct ch *c, struct mr_rule *r)
{
	struct mr_match *m = NULL;

	if (c->proto == LG_ICMP) {
		ch_icmp_match(c, r);
		return;
	}
	if (c->proto != LG_TCP && c->proto != LG_UDP)
		return;
	/* 0:65535 is what the kernel stored for "no port" */
	if (c->sp.given && (c->sp.inv || !ch_full(c->sp.r))) {
		m = lg_l4_match(r, &c->sp.w->loc);
		lg_l4_set(m, 0, c->sp.r, c->sp.inv);
	}
	if (c->dp.given && (c->dp.inv || !ch_full(c->dp.r))) {
		m = lg_l4_match(r, &c->dp.w->loc);
		lg_l4_set(m, 1, c->dp.r, c->dp.inv);
	}
	if (ch_has(c, O_SYN)) {
		struct mr_m_tcp *t;

		m = lg_l4_match(r, ch_oloc(c, O_SYN));
		t = MR_MDATA(m, struct mr_m_tcp);
		t->flg_mask = MR_TCPF_SYN | MR_TCPF_RST | MR_TCPF_ACK;
		t->flg_cmp = MR_TCPF_SYN;
		m->has |= LG_BIT(MR_TCP_FLAGS);
		if (c->inv_syn)
			m->inv |= LG_BIT(MR_TCP_FLAGS);
	}
}

static void ch_core(struct ch *c, struct mr_rule *r)
{
	if (c->proto) {
		r->proto = c->proto;
		r->has |= MR_HAS_PROTO;
		r->inv |= c->inv_proto ? MR_INV_PROTO : 0;
	}
	r->src = c->src;
	r->dst = c->dst;
	if (c->inv_src || c->src.mask[0] || c->src.mask[1] ||
	    c->src.mask[2] || c->src.mask[3])
		r->has |= MR_HAS_SRC;
	if (c->inv_dst || c->dst.mask[0] || c->dst.mask[1] ||
	    c->dst.mask[2] || c->dst.mask[3])
		r->has |= MR_HAS_DST;
	r->inv |= (c->inv_src ? MR_INV_SRC : 0) | (c->inv_dst ? MR_INV_DST : 0);
	/* an empty name is the wildcard "any interface" */
	if (c->iface && c->iface->text[0]) {
		snprintf(r->iif, sizeof(r->iif), "%s", c->iface->text);
		r->has |= MR_HAS_IIF;
		r->inv |= c->inv_iface ? MR_INV_IIF : 0;
	}
	if (ch_has(c, O_FRAG)) {
		r->has |= MR_HAS_FRAG;
		r->inv |= c->inv_frag ? MR_INV_FRAG : 0;
	}
}

static void ch_side_actions(struct ch *c, struct mr_rule *r)
{
	if (ch_has(c, O_LOG))
		r->has |= MR_HAS_LOGFLAG;
	if (ch_has(c, O_OUTPUT)) {
		r->has |= MR_HAS_COPY;
		r->copy_size = c->outsize;
	}
	if (ch_has(c, O_MARK)) {
		r->has |= MR_HAS_FWMARK;
		r->fwmark_op = c->fwmark_op;
		r->fwmark = c->fwmark;
	}
	if (ch_has(c, O_TOS)) {
		r->has |= MR_HAS_TOS;
		r->tos_and = c->tos_and;
		r->tos_xor = c->tos_xor;
	}
}

static int ch_verdict(struct ch *c, struct mr_rule *r)
{
	const struct mr_word *w = c->target;
	struct mr_t_nat *nat;
	long port;
	size_t i;

	if (!w)
		return 0;
	for (i = 0; i < sizeof(ch_targets) / sizeof(ch_targets[0]); i++)
		if (!strcmp(w->text, ch_targets[i].name))
			break;
	if (i == sizeof(ch_targets) / sizeof(ch_targets[0])) {
		lg_target(r, MR_V_JUMP, &w->loc);
		r->target.chain = ir_strdup(w->text);
		return 0;
	}
	nat = lg_target(r, ch_targets[i].kind, &w->loc);
	if (ch_targets[i].kind != MR_V_REDIRECT || !c->rport)
		return 0;
	port = lg_port(c->rport->text, c->proto);
	if (port < 0)
		return ch_err(c, &c->rport->loc,
			      "invalid port/service `%s' specified",
			      c->rport->text);
	if (port) {
		nat->flags = MR_NAT_PORTS;
		nat->min_port = nat->max_port = (uint16_t)port;
	}
	return 0;
}

static struct mr_rule *ch_rule(struct ch *c)
{
	struct mr_rule *r = lg_rule_new(c->p);

	ch_core(c, r);
	ch_l4(c, r);
	ch_side_actions(c, r);
	if (ch_verdict(c, r)) {
		ir_rule_free(r);
		return NULL;
	}
	if (ch_has(c, O_BIDIR))
		lg_add_reverse(r);
	return r;
}

static uint16_t ch_lflags(const struct ch *c)
{
	uint16_t f = 0;

	f |= ch_has(c, O_NUMERIC) ? MR_LF_NUMERIC : 0;
	f |= ch_has(c, O_VERBOSE) ? MR_LF_VERBOSE : 0;
	f |= ch_has(c, O_EXACT) ? MR_LF_EXACT : 0;
	f |= ch_has(c, O_LINENUM) ? MR_LF_LINENUM : 0;
	f |= (c->cmd & C_ZERO) && (c->cmd & C_LIST) ? MR_LF_ZERO : 0;
	return f;
}

static uint8_t ch_op(unsigned cmd)
{
	if (cmd & C_SET_MASQ)
		return MR_OP_MASQ_TIMEOUTS;
	if ((cmd & C_MASQ) && (cmd & C_LIST))
		return MR_OP_MASQ_LIST;
	if (cmd & C_LIST)
		return MR_OP_LIST;
	switch (cmd) {
	case C_INSERT: return MR_OP_INSERT;
	case C_DELETE: return MR_OP_DELETE;
	case C_DELETE_NUM: return MR_OP_DELETE_NUM;
	case C_REPLACE: return MR_OP_REPLACE;
	case C_APPEND: return MR_OP_APPEND;
	case C_FLUSH: return MR_OP_FLUSH;
	case C_ZERO: return MR_OP_ZERO;
	case C_NEW_CHAIN: return MR_OP_NEW_CHAIN;
	case C_DEL_CHAIN: return MR_OP_DEL_CHAIN;
	case C_POLICY: return MR_OP_POLICY;
	}
	return MR_OP_PACKET_CHECK;
}

static bool ch_rule_op(uint8_t op)
{
	return op == MR_OP_APPEND || op == MR_OP_INSERT ||
	       op == MR_OP_DELETE || op == MR_OP_REPLACE ||
	       op == MR_OP_PACKET_CHECK;
}

static struct mr_cmd *ch_build(struct ch *c)
{
	uint8_t op = ch_op(c->cmd);
	struct mr_cmd *cmd = lg_cmd_new(op, MR_D_IPCHAINS, c->p);

	if (c->chain && op != MR_OP_MASQ_LIST)
		lg_cmd_chain(cmd, c->chain->text, &c->chain->loc);
	cmd->rulenum = c->rulenum;
	cmd->lflags = ch_lflags(c);
	if (op == MR_OP_POLICY)
		cmd->policy = c->policy;
	if (op == MR_OP_MASQ_TIMEOUTS) {
		const struct mr_word *a = c->set->args;

		cmd->u.timeouts.tcp = (uint32_t)strtoul(a[0].text, NULL, 10);
		cmd->u.timeouts.tcpfin = (uint32_t)strtoul(a[1].text, NULL, 10);
		cmd->u.timeouts.udp = (uint32_t)strtoul(a[2].text, NULL, 10);
	}
	if (ch_rule_op(op) && !(cmd->rules = ch_rule(c))) {
		ir_cmd_free(cmd);
		return NULL;
	}
	return cmd;
}

int eval_ipchains(struct eval_ctx *ctx, const struct mr_pcmd *p,
		  struct mr_cmd ***tail)
{
	struct ch c;
	const struct mr_popt *o;
	struct mr_cmd *cmd;
	int rc;

	memset(&c, 0, sizeof(c));
	c.errs = ctx->errs;
	c.p = p;
	c.warnings = true;
	for (o = p->opts; o; o = o->next) {
		rc = ch_option(&c, o, tail);
		if (rc)
			return rc > 0 ? 0 : -1;
	}
	if (!c.cmd)
		return ch_msg(&c, &p->loc, "no command specified");
	if (ch_check(&c))
		return -1;
	cmd = ch_build(&c);
	if (!cmd)
		return -1;
	lg_emit(tail, cmd);
	return 0;
}
