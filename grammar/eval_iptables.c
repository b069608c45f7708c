// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Evaluation of iptables, ip6tables and the native masqrule dialect.
 *
 * The native dialect is iptables syntax that also takes the 2.2 chain
 * names and targets: "-A forward -s 192.168.1.0/24 -j MASQUERADE" goes to
 * the legacy model's forward chain and means what ipchains' MASQ meant.
 * It also reads back what masqrule prints for legacy-only fields
 * (--via-addr, --fwmark, --mangle-tos, --copy-netlink, --log-packet,
 * --acct-dir) and carries masqrule's own commands (--masq-timeouts,
 * --masq-helper, --masq-helper-remove, -M -L).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "addr.h"
#include "eval.h"
#include "helpers.h"
#include "services.h"
#include "xt.h"

enum {
	O_APPEND = 1, O_CHECK, O_DELETE, O_INSERT, O_REPLACE, O_LIST,
	O_LIST_RULES, O_FLUSH, O_ZERO, O_NEWCHAIN, O_DELCHAIN, O_POLICY,
	O_RENAME, O_HELP, O_VERSION,
	O_PROTO, O_SRC, O_DST, O_IIF, O_OIF, O_FRAG, O_JUMP, O_GOTO, O_MATCH,
	O_COUNTERS, O_TABLE, O_VERBOSE, O_NUMERIC, O_EXACT, O_LINENUM,
	O_WAIT, O_WAITINT, O_MODPROBE, O_IPV4, O_IPV6,
	/* native only */
	O_NATIVE_FIRST,
	O_VIAADDR = O_NATIVE_FIRST, O_FWMARK, O_MANGLETOS, O_COPY, O_LOGFLAG,
	O_ACCTDIR, O_MASQ, O_MASQTIMEOUTS, O_HELPER, O_HELPER_DEL,
};

#define CMD (MR_OF_CMD)
#define INV (MR_OF_INV)

const struct mr_optdef opts_iptables[] = {
	{ "append", 'A', MR_A1, CMD, O_APPEND },
	{ "check", 'C', MR_A1, CMD, O_CHECK },
	{ "delete", 'D', MR_A1Q, CMD, O_DELETE },
	{ "insert", 'I', MR_A1Q, CMD, O_INSERT },
	{ "replace", 'R', MR_A2, CMD, O_REPLACE },
	{ "list", 'L', MR_AQQ, CMD, O_LIST },
	{ "list-rules", 'S', MR_AQQ, CMD, O_LIST_RULES },
	{ "flush", 'F', MR_AQ, CMD, O_FLUSH },
	{ "zero", 'Z', MR_AQQ, CMD, O_ZERO },
	{ "new-chain", 'N', MR_A1, CMD, O_NEWCHAIN },
	{ "delete-chain", 'X', MR_AQ, CMD, O_DELCHAIN },
	{ "policy", 'P', MR_A2, CMD, O_POLICY },
	{ "rename-chain", 'E', MR_A2, CMD, O_RENAME },
	{ "help", 'h', MR_A0, CMD, O_HELP },
	{ "version", 'V', MR_A0, CMD, O_VERSION },
	{ "protocol", 'p', MR_A1, INV | MR_OF_PROTO, O_PROTO },
	{ "source", 's', MR_A1, INV, O_SRC },
	{ "src", 0, MR_A1, INV, O_SRC },
	{ "destination", 'd', MR_A1, INV, O_DST },
	{ "dst", 0, MR_A1, INV, O_DST },
	{ "in-interface", 'i', MR_A1, INV, O_IIF },
	{ "out-interface", 'o', MR_A1, INV, O_OIF },
	{ "fragment", 'f', MR_A0, INV, O_FRAG },
	{ "fragments", 0, MR_A0, INV, O_FRAG },
	{ "jump", 'j', MR_A1, MR_OF_LOADTARGET, O_JUMP },
	{ "goto", 'g', MR_A1, 0, O_GOTO },
	{ "match", 'm', MR_A1, MR_OF_LOADMATCH, O_MATCH },
	{ "set-counters", 'c', MR_A2, 0, O_COUNTERS },
	{ "table", 't', MR_A1, 0, O_TABLE },
	{ "verbose", 'v', MR_A0, 0, O_VERBOSE },
	{ "numeric", 'n', MR_A0, 0, O_NUMERIC },
	{ "exact", 'x', MR_A0, 0, O_EXACT },
	{ "line-numbers", 0, MR_A0, 0, O_LINENUM },
	{ "wait", 'w', MR_AQ, 0, O_WAIT },
	{ "wait-interval", 'W', MR_A1, 0, O_WAITINT },
	{ "modprobe", 0, MR_A1, 0, O_MODPROBE },
	{ "ipv4", '4', MR_A0, MR_OF_FAMILY, 4 },
	{ "ipv6", '6', MR_A0, MR_OF_FAMILY, 6 },
	{ "via-addr", 0, MR_A1, MR_OF_NOABBREV, O_VIAADDR },
	{ "fwmark", 0, MR_A1, MR_OF_NOABBREV, O_FWMARK },
	{ "mangle-tos", 0, MR_A2, MR_OF_NOABBREV, O_MANGLETOS },
	{ "copy-netlink", 0, MR_A1, MR_OF_NOABBREV, O_COPY },
	{ "log-packet", 0, MR_A0, MR_OF_NOABBREV, O_LOGFLAG },
	{ "acct-dir", 0, MR_A1, MR_OF_NOABBREV, O_ACCTDIR },
	{ "masquerading", 'M', MR_A0, MR_OF_NOABBREV, O_MASQ },
	{ "masq-timeouts", 0, MR_A3, CMD | MR_OF_NOABBREV, O_MASQTIMEOUTS },
	{ "masq-helper", 0, MR_A1, CMD | MR_OF_NOABBREV, O_HELPER },
	{ "masq-helper-remove", 0, MR_A1, CMD | MR_OF_NOABBREV, O_HELPER_DEL },
	{ NULL, 0, 0, 0, 0 },
};

/* What one line is being turned into. */
struct ipt {
	struct eval_ctx *ctx;
	struct erec_list *errs;
	const struct mr_pcmd *p;
	const struct mr_popt *cmd;
	uint8_t dialect, family, table;
	bool table_given;
	uint16_t lflags;
	const struct mr_popt *src, *dst;	/* for address lists */
};


static const char *const legacy_builtins[] = {
	"input", "forward", "output", "accounting",
};

static bool legacy_builtin(const char *chain)
{
	size_t i;

	for (i = 0; i < sizeof(legacy_builtins) / sizeof(*legacy_builtins); i++)
		if (!strcmp(chain, legacy_builtins[i]))
			return true;
	return false;
}

static bool rule_option(unsigned id)
{
	switch (id) {
	case O_PROTO: case O_SRC: case O_DST: case O_IIF: case O_OIF:
	case O_FRAG: case O_JUMP: case O_GOTO: case O_MATCH: case O_COUNTERS:
	case O_VIAADDR: case O_FWMARK: case O_MANGLETOS: case O_COPY:
	case O_LOGFLAG: case O_ACCTDIR:
		return true;
	}
	return false;
}

static bool takes_rule(unsigned cmd)
{
	return cmd == O_APPEND || cmd == O_CHECK || cmd == O_DELETE ||
	       cmd == O_INSERT || cmd == O_REPLACE;
}

/* Is option o allowed with command cmd?  (iptables' legality table.) */
static bool option_allowed(const struct mr_popt *o, unsigned cmd)
{
	unsigned id = o->def->id;

	if (o->xt || rule_option(id))
		return takes_rule(cmd);
	switch (id) {
	case O_NUMERIC: case O_EXACT: case O_LINENUM:
		return cmd == O_LIST || cmd == O_MASQ;
	case O_MASQ:
		return cmd == O_LIST;
	}
	return true;
}

static bool list_zero(const struct mr_popt *a, const struct mr_popt *b)
{
	return (a->def->id == O_LIST && b->def->id == O_ZERO) ||
	       (a->def->id == O_ZERO && b->def->id == O_LIST);
}

static int find_command(struct ipt *it)
{
	const struct mr_popt *o, *zero = NULL;
	char b1[32], b2[32];

	for (o = it->p->opts; o; o = o->next) {
		if (!o->def)
			return erec_param(it->errs, &o->loc,
					  "Bad argument `%s'", o->args[0].text);
		if (!(o->def->flags & MR_OF_CMD))
			continue;
		if (!it->cmd) {
			it->cmd = o;
			continue;
		}
		if (!list_zero(it->cmd, o))
			return erec_param(it->errs, &o->loc,
					  "Can't use %s with %s",
					  opt_display(o, b1, sizeof(b1)),
					  opt_display(it->cmd, b2, sizeof(b2)));
		zero = o->def->id == O_ZERO ? o : it->cmd;
		if (o->def->id == O_LIST)
			it->cmd = o;
	}
	if (zero) {
		if (zero->nargs)
			return erec_param(it->errs, &zero->args[0].loc,
					  "-Z with -L takes no chain");
		it->lflags |= MR_LF_ZERO;
	}
	if (it->cmd)
		return 0;
	return erec_param(it->errs, &it->p->loc, "no command specified");
}

/* -t, -v, -n, -x, --line-numbers, and options not allowed here. */
static int global_options(struct ipt *it)
{
	const struct mr_popt *o;
	unsigned cmd = it->cmd->def->id;
	char b[32];
	int t;

	for (o = it->p->opts; o; o = o->next) {
		if (!o->xt && o->def->id >= O_NATIVE_FIRST &&
		    it->dialect != MR_D_NATIVE)
			return erec_param(it->errs, &o->loc,
					  "unknown option \"%s\"",
					  opt_display(o, b, sizeof(b)));
		if (o->def->flags & MR_OF_CMD)
			continue;
		if (!option_allowed(o, cmd))
			return erec_param(it->errs, &o->loc,
					  "Illegal option `%s' with this command",
					  opt_display(o, b, sizeof(b)));
		if (o->neg && !(o->def->flags & MR_OF_INV))
			return erec_param(it->errs, &o->neg_loc,
					  "cannot have ! before %s",
					  opt_display(o, b, sizeof(b)));
		switch (o->xt ? 0 : o->def->id) {
		case O_TABLE:
			if (it->ctx->in_block)
				return erec_param(it->errs, &o->loc,
					"The -t option cannot be used in a table block");
			t = ir_table_lookup(o->args[0].text);
			if (t < 0 || (t == MR_T_LEGACY &&
				      it->dialect != MR_D_NATIVE))
				return erec_param(it->errs, &o->args[0].loc,
					"table '%s' does not exist",
					o->args[0].text);
			it->table = (uint8_t)t;
			it->table_given = true;
			break;
		case O_VERBOSE: it->lflags |= MR_LF_VERBOSE; break;
		case O_NUMERIC: it->lflags |= MR_LF_NUMERIC; break;
		case O_EXACT: it->lflags |= MR_LF_EXACT; break;
		case O_LINENUM: it->lflags |= MR_LF_LINENUM; break;
		case 4: case 6:
			if (o->def->flags & MR_OF_FAMILY)
				it->family = o->def->id == 6 ? MR_FAM_IP6 :
							       MR_FAM_IP;
			break;
		}
	}
	return 0;
}

static int parse_rulenum(struct ipt *it, const struct mr_word *w, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(w->text, &end, 10);
	if (*end || errno || v < 1 || v > 1000000000)
		return erec_param(it->errs, &w->loc,
				  "Invalid rule number `%s'", w->text);
	*out = (int)v;
	return 0;
}

static int check_chain_name(struct ipt *it, const struct mr_word *w)
{
	if (strlen(w->text) > 28)
		return erec_param(it->errs, &w->loc,
			"chain name `%s' too long (must be under 29 chars)",
			w->text);
	if (!w->text[0] || w->text[0] == '-' || w->text[0] == '!' ||
	    strpbrk(w->text, " \t\n"))
		return erec_param(it->errs, &w->loc,
				  "Invalid chain name `%s'", w->text);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Rule fields                                                         */

/* proto_number() of the last name asked: rule after rule says "tcp". */
static int proto_number_cached(const char *name)
{
	static char last[16];
	static int num;
	size_t n = strlen(name);

	if (n >= sizeof(last))
		return proto_number(name);
	if (last[0] && !memcmp(last, name, n + 1))
		return num;
	num = proto_number(name);
	memcpy(last, name, n + 1);
	return num;
}

static int parse_proto(struct ipt *it, struct mr_rule *r,
		       const struct mr_popt *o)
{
	const struct mr_word *w = &o->args[0];
	int num = proto_number_cached(w->text);

	if (num < 0 || num > 255)
		return erec_param(it->errs, &w->loc,
				  "unknown protocol \"%s\" specified", w->text);
	if (num == 0) {
		if (popt_neg(o))
			return erec_param(it->errs, &w->loc,
					  "rule would never match protocol");
		return 0;
	}
	if (it->family == MR_FAM_IP6 && num == 1)
		return erec_param(it->errs, &w->loc,
			"protocol \"%s\" is IPv4 ICMP: use ipv6-icmp", w->text);
	r->proto = (uint8_t)num;
	r->has |= MR_HAS_PROTO;
	if (popt_neg(o))
		r->inv |= MR_INV_PROTO;
	return 0;
}

static int parse_iface(struct ipt *it, struct mr_rule *r,
		       const struct mr_popt *o, bool out)
{
	const struct mr_word *w = &o->args[0];
	char *dst = out ? r->oif : r->iif;

	if (!w->text[0])
		return erec_param(it->errs, &w->loc,
				  "Empty interface is likely to be undesired");
	if (strlen(w->text) >= MR_IFNAMSIZ)
		return erec_param(it->errs, &w->loc,
			"interface name `%s' must be shorter than IFNAMSIZ (%d)",
			w->text, MR_IFNAMSIZ);
	/* "+" matches every interface: iptables keeps no test for it */
	if (!strcmp(w->text, "+") && !popt_neg(o))
		return 0;
	strcpy(dst, w->text);
	r->has |= out ? MR_HAS_OIF : MR_HAS_IIF;
	if (popt_neg(o))
		r->inv |= out ? MR_INV_OIF : MR_INV_IIF;
	return 0;
}

/* Up to 3 decimal digits (any number of leading zeros), at most max. */
static const char *dec_small(const char *s, unsigned max, unsigned *v)
{
	unsigned n = 0;

	if (*s < '0' || *s > '9')
		return NULL;
	for (; *s >= '0' && *s <= '9'; s++) {
		n = n * 10 + (unsigned)(*s - '0');
		if (n > max)
			return NULL;
	}
	*v = n;
	return s;
}

/*
 * "a.b.c.d" and "a.b.c.d/len", what save files are made of, read here in
 * a few dozen instructions; the result is addr_parse_prefix()'s.  Anything
 * else (other forms, errors) returns false and goes the long way.
 */
static bool fast_v4_prefix(const char *s, struct mr_prefix *out)
{
	unsigned v, len = 32, i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < 4; i++) {
		if (!(s = dec_small(s, 255, &v)))
			return false;
		out->addr[i] = (uint8_t)v;
		if (i < 3 && *s++ != '.')
			return false;
	}
	if (*s == '/' && !(s = dec_small(s + 1, 32, &len)))
		return false;
	if (*s)
		return false;
	addr_mask_from_len(out->mask, MR_FAM_IP, len);
	for (i = 0; i < 4; i++)
		out->addr[i] &= out->mask[i];
	return true;
}

/* One address of a -s/-d list; the list itself is expanded later. */
static int parse_addr(struct ipt *it, const struct mr_word *w,
		      const char *text, struct mr_prefix *out)
{
	const char *why = NULL;

	if (it->family == MR_FAM_IP && fast_v4_prefix(text, out))
		return 0;
	if (addr_parse_prefix(text, it->family, MR_AS_IPTABLES, out, &why))
		return erec_param(it->errs, &w->loc, "host/network `%s' %s",
				  text, why && strcmp(why, "host/network not found") ?
				  why : "not found");
	return 0;
}

static int parse_u64(struct ipt *it, const struct mr_word *w, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(w->text, &end, 10);
	if (!w->text[0] || *end || errno || w->text[0] == '-')
		return erec_param(it->errs, &w->loc,
				  "invalid counter value `%s'", w->text);
	return 0;
}

static int parse_native_field(struct ipt *it, struct mr_rule *r,
			      const struct mr_popt *o)
{
	const struct mr_word *w = o->nargs ? &o->args[0] : NULL;
	unsigned long v, v2;
	uint8_t a[16];
	char *end;

	switch (o->def->id) {
	case O_VIAADDR:
		if (addr_parse(w->text, MR_FAM_IP, a))
			return erec_param(it->errs, &w->loc,
					  "bad interface address `%s'", w->text);
		memcpy(r->viaaddr, a, 4);
		r->has |= MR_HAS_VIAADDR;
		return 0;
	case O_FWMARK:
		r->fwmark_op = w->text[0] == '+' ? MR_FWM_ADD :
			       w->text[0] == '-' ? MR_FWM_SUB : MR_FWM_SET;
		v = strtoul(w->text + (r->fwmark_op != MR_FWM_SET), &end, 0);
		if (*end || v > 0xffffffffUL)
			return erec_param(it->errs, &w->loc,
					  "bad mark value `%s'", w->text);
		r->fwmark = (uint32_t)v;
		r->has |= MR_HAS_FWMARK;
		return 0;
	case O_MANGLETOS:
		v = strtoul(w->text, &end, 16);
		if (*end || v > 0xff)
			return erec_param(it->errs, &w->loc,
					  "bad TOS mask `%s'", w->text);
		v2 = strtoul(o->args[1].text, &end, 16);
		if (*end || v2 > 0xff)
			return erec_param(it->errs, &o->args[1].loc,
					  "bad TOS mask `%s'", o->args[1].text);
		r->tos_and = (uint8_t)v;
		r->tos_xor = (uint8_t)v2;
		r->has |= MR_HAS_TOS;
		return 0;
	case O_COPY:
		v = strtoul(w->text, &end, 10);
		if (*end || !v || v > 65535)
			return erec_param(it->errs, &w->loc,
					  "bad copy size `%s'", w->text);
		r->copy_size = (uint32_t)v;
		r->has |= MR_HAS_COPY;
		return 0;
	case O_LOGFLAG:
		r->has |= MR_HAS_LOGFLAG;
		return 0;
	case O_ACCTDIR:
		if (!strcmp(w->text, "in"))
			r->acct_dir = MR_ACCT_IN;
		else if (!strcmp(w->text, "out"))
			r->acct_dir = MR_ACCT_OUT;
		else if (!strcmp(w->text, "both"))
			r->acct_dir = MR_ACCT_IN | MR_ACCT_OUT;
		else
			return erec_param(it->errs, &w->loc,
				"accounting direction `%s' (in, out or both)",
				w->text);
		r->has |= MR_HAS_ACCT_DIR;
		return 0;
	}
	return 0;
}

/* Pass 1: the fields every rule has. */
static int core_fields(struct ipt *it, struct mr_rule *r)
{
	const struct mr_popt *o;
	int rc = 0;

	for (o = it->p->opts; o && !rc; o = o->next) {
		if (o->xt || !rule_option(o->def->id))
			continue;
		switch (o->def->id) {
		case O_PROTO:
			rc = parse_proto(it, r, o);
			break;
		case O_SRC:
			it->src = o;
			break;
		case O_DST:
			it->dst = o;
			break;
		case O_IIF:
			rc = parse_iface(it, r, o, false);
			break;
		case O_OIF:
			rc = parse_iface(it, r, o, true);
			break;
		case O_FRAG:
			r->has |= MR_HAS_FRAG;
			if (o->neg)
				r->inv |= MR_INV_FRAG;
			break;
		case O_COUNTERS:
			rc = parse_u64(it, &o->args[0], &r->pkts);
			if (!rc)
				rc = parse_u64(it, &o->args[1], &r->bytes);
			r->has |= MR_HAS_COUNTERS;
			break;
		case O_JUMP: case O_GOTO: case O_MATCH:
			break;
		default:
			rc = parse_native_field(it, r, o);
			break;
		}
	}
	if (it->p->has_counters) {
		r->pkts = it->p->pkts;
		r->bytes = it->p->bytes;
		r->has |= MR_HAS_COUNTERS;
	}
	return rc;
}

/* ------------------------------------------------------------------ */
/* Matches and targets                                                 */

static void xctx_init(struct ipt *it, struct mr_xctx *x, struct mr_rule *r,
		      struct mr_match *m, const struct mr_loc *loc)
{
	memset(x, 0, sizeof(*x));
	x->rule = r;
	x->match = m;
	x->errs = it->errs;
	x->loc = loc;
	x->dialect = it->dialect;
	x->family = it->family;
	x->table = it->table;
	x->chain = it->cmd->nargs ? it->cmd->args[0].text : NULL;
}

static struct mr_match *new_match(struct ipt *it, struct mr_rule *r,
				  const struct mr_xt *xt,
				  const struct mr_loc *loc)
{
	struct mr_match *m = ir_match_add(r, xt->kind, xt->size);
	struct mr_xctx x;

	m->loc = *loc;
	if (xt->init) {
		xctx_init(it, &x, r, m, loc);
		xt->init(&x);
	}
	return m;
}

/* The latest match of an extension in the rule. */
static struct mr_match *last_match(struct mr_rule *r, uint16_t kind)
{
	struct mr_match *m, *found = NULL;

	for (m = r->matches; m; m = m->next)
		if (m->kind == kind)
			found = m;
	return found;
}

/* Standard verdicts, and the 2.2 spellings the native dialect takes. */
static int standard_target(struct ipt *it, const char *name, uint16_t *kind,
			   const char **alias)
{
	static const struct { const char *n; uint16_t k; bool native; } t[] = {
		{ "ACCEPT", MR_V_ACCEPT, false }, { "DROP", MR_V_DROP, false },
		{ "RETURN", MR_V_RETURN, false }, { "DENY", MR_V_DROP, true },
	};
	size_t i;

	*alias = NULL;
	if (it->dialect == MR_D_NATIVE && !strcmp(name, "MASQ")) {
		*alias = "MASQUERADE";
		return -1;
	}
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (strcmp(name, t[i].n))
			continue;
		if (t[i].native && it->dialect != MR_D_NATIVE)
			return -1;
		*kind = t[i].k;
		return 0;
	}
	return -1;
}

static int set_target(struct ipt *it, struct mr_rule *r,
		      const struct mr_popt *o, const struct mr_xt **txt)
{
	const struct mr_word *w = &o->args[0];
	const struct mr_xt *xt;
	const char *alias;
	struct mr_xctx x;
	uint16_t kind;

	if (r->target.kind != MR_V_NONE || r->target.chain)
		return erec_param(it->errs, &o->loc,
				  "multiple -j or -g flags not allowed");
	r->target.loc = w->loc;
	if (o->def->id == O_GOTO) {
		r->target.kind = MR_V_GOTO;
		r->target.chain = ir_strdup(w->text);
		return check_chain_name(it, w);
	}
	if (!standard_target(it, w->text, &kind, &alias)) {
		r->target.kind = kind;
		return 0;
	}
	xt = xt_find(alias ? alias : w->text, true, it->family);
	if (!xt) {
		r->target.kind = MR_V_JUMP;
		r->target.chain = ir_strdup(w->text);
		return check_chain_name(it, w);
	}
	r->target.kind = xt->kind;
	r->target.data = ir_alloc(xt->size);
	*txt = xt;
	if (xt->init) {
		xctx_init(it, &x, r, NULL, &w->loc);
		xt->init(&x);
	}
	return 0;
}

static int xt_option(struct ipt *it, struct mr_rule *r,
		     const struct mr_popt *o, const struct mr_xt *txt)
{
	struct mr_match *m = NULL;
	struct mr_xctx x;

	if (!o->xt->target) {
		m = last_match(r, o->xt->kind);
		if (!m)	/* the protocol's match, loaded implicitly */
			m = new_match(it, r, o->xt, &o->loc);
	} else if (o->xt != txt) {
		char b[32];

		return erec_param(it->errs, &o->loc,
				  "option \"%s\" belongs to target %s",
				  opt_display(o, b, sizeof(b)), o->xt->name);
	}
	xctx_init(it, &x, r, m, &o->loc);
	return o->xt->parse ? o->xt->parse(&x, o) : 0;
}

/* Pass 2: -m, -j, -g and extension options, in the order written. */
static int matches_and_target(struct ipt *it, struct mr_rule *r,
			      const struct mr_xt **txt)
{
	const struct mr_popt *o;
	const struct mr_xt *xt;
	int rc = 0;

	for (o = it->p->opts; o && !rc; o = o->next) {
		if (o->xt) {
			rc = xt_option(it, r, o, *txt);
			continue;
		}
		switch (o->def->id) {
		case O_MATCH:
			xt = xt_find(o->args[0].text, false, it->family);
			if (!xt)
				return erec_param(it->errs, &o->args[0].loc,
					"Couldn't load match `%s':No such file or directory",
					o->args[0].text);
			if (o->neg)
				return erec_param(it->errs, &o->neg_loc,
					"cannot have ! before -m");
			new_match(it, r, xt, &o->args[0].loc);
			break;
		case O_JUMP:
		case O_GOTO:
			rc = set_target(it, r, o, txt);
			break;
		}
	}
	return rc;
}

/* Pass 3: each extension's own checks. */
static int extension_checks(struct ipt *it, struct mr_rule *r,
			    const struct mr_xt *txt)
{
	const struct mr_xt *xt;
	struct mr_match *m;
	struct mr_xctx x;

	for (m = r->matches; m; m = m->next) {
		xt = xt_by_kind(m->kind, false);
		if (!xt || !xt->check)
			continue;
		xctx_init(it, &x, r, m, &m->loc);
		if (xt->check(&x))
			return -1;
	}
	if (txt && txt->check) {
		xctx_init(it, &x, r, NULL, &r->target.loc);
		if (txt->check(&x))
			return -1;
	}
	return 0;
}

/* Where NAT targets may stand (built-in chains only; user chains are
 * checked when they are jumped to). */
static int target_placement(struct ipt *it, const struct mr_rule *r,
			    const char *chain)
{
	const char *v = ir_verdict_name(r->target.kind);
	bool ok = true;

	if (it->table == MR_T_LEGACY) {
		if (r->target.kind == MR_V_MASQ)
			ok = strcmp(chain, "input") && strcmp(chain, "output");
		else if (r->target.kind == MR_V_REDIRECT)
			ok = strcmp(chain, "forward") && strcmp(chain, "output");
		else if (r->target.kind == MR_V_SNAT ||
			 r->target.kind == MR_V_DNAT ||
			 r->target.kind == MR_V_NETMAP)
			ok = false;
		if (!ok)
			return erec_param(it->errs, &r->target.loc,
				"target %s is not allowed in the %s chain",
				v, chain);
		if (!strcmp(chain, "accounting") &&
		    r->target.kind != MR_V_NONE)
			return erec_param(it->errs, &r->target.loc,
				"accounting rules only count: no target allowed");
		return 0;
	}
	switch (r->target.kind) {
	case MR_V_MASQ:
	case MR_V_SNAT:
	case MR_V_DNAT:
	case MR_V_REDIRECT:
	case MR_V_NETMAP:
		if (it->table != MR_T_NAT)
			return erec_param(it->errs, &r->target.loc,
				"target %s is only valid in the nat table", v);
		break;
	}
	return 0;
}

/* Split a -s/-d list; a missing option gives one NULL entry. */
static char **split_list(const struct mr_popt *o, unsigned *n)
{
	char **v = ir_alloc(sizeof(*v) * (MR_MAX_PORTS + 1));
	char *copy, *tok, *sp;

	*n = 0;
	if (!o) {
		*n = 1;
		return v;
	}
	if (!strchr(o->args[0].text, ',')) {
		v[(*n)++] = ir_strdup(o->args[0].text);
		return v;
	}
	copy = ir_strdup(o->args[0].text);
	for (tok = strtok_r(copy, ",", &sp); tok && *n < MR_MAX_PORTS;
	     tok = strtok_r(NULL, ",", &sp))
		v[(*n)++] = ir_strdup(tok);
	free(copy);
	if (!*n)
		v[(*n)++] = ir_strdup("");
	return v;
}

static void free_list(char **v, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int set_prefix(struct ipt *it, struct mr_rule *r,
		      const struct mr_popt *o, const char *text, bool dst)
{
	struct mr_prefix *p = dst ? &r->dst : &r->src;

	if (!o)
		return 0;
	if (parse_addr(it, &o->args[0], text, p))
		return -1;
	/* iptables drops "-s 0/0" but keeps "! -s 0/0" (never matches) */
	if (!addr_is_zero(p->mask, it->family) || popt_neg(o))
		r->has |= dst ? MR_HAS_DST : MR_HAS_SRC;
	if (popt_neg(o))
		r->inv |= dst ? MR_INV_DST : MR_INV_SRC;
	return 0;
}

/* Where option id was written (the line if it was not). */
static const struct mr_loc *opt_loc(const struct ipt *it, unsigned id)
{
	const struct mr_popt *o;

	for (o = it->p->opts; o; o = o->next)
		if (o->def && !o->xt && o->def->id == id)
			return &o->loc;
	return &it->p->loc;
}

/* iptables refuses interfaces a built-in chain never sees. */
static int iface_placement(struct ipt *it, const struct mr_rule *r,
			   const char *chain)
{
	bool in_only = !strcmp(chain, "INPUT") || !strcmp(chain, "PREROUTING");
	bool out_only = !strcmp(chain, "OUTPUT") ||
			!strcmp(chain, "POSTROUTING");

	if (it->table == MR_T_LEGACY)
		return 0;
	if (in_only && (r->has & MR_HAS_OIF))
		return erec_param(it->errs, opt_loc(it, O_OIF),
				  "Can't use -o with %s", chain);
	if (out_only && (r->has & MR_HAS_IIF))
		return erec_param(it->errs, opt_loc(it, O_IIF),
				  "Can't use -i with %s", chain);
	return 0;
}

/* -s a,b -d c,d: one rule per pair, as iptables does.  Takes r. */
static int expand_addresses(struct ipt *it, struct mr_rule *r,
			    struct mr_rule **out)
{
	unsigned ns, nd, i, j;
	char **sv, **dv;
	struct mr_rule **tail = out, *c;
	bool last;
	int rc = 0;

	if ((!it->src || !strchr(it->src->args[0].text, ',')) &&
	    (!it->dst || !strchr(it->dst->args[0].text, ','))) {
		/* one address each: the rule as it is */
		*out = r;
		rc = it->src ? set_prefix(it, r, it->src,
					  it->src->args[0].text, false) : 0;
		if (!rc && it->dst)
			rc = set_prefix(it, r, it->dst, it->dst->args[0].text,
					true);
		return rc;
	}
	sv = split_list(it->src, &ns);
	dv = split_list(it->dst, &nd);

	if ((ns > 1 && popt_neg(it->src)) || (nd > 1 && popt_neg(it->dst)))
		rc = erec_param(it->errs, ns > 1 ? &it->src->loc : &it->dst->loc,
			"! not allowed with multiple source or destination IP addresses");
	for (i = 0; i < ns && !rc; i++) {
		for (j = 0; j < nd && !rc; j++) {
			last = i == ns - 1 && j == nd - 1;
			c = last ? r : ir_rule_clone(r);
			if (last)
				r = NULL;
			*tail = c;
			tail = &c->next;
			rc = set_prefix(it, c, it->src, sv[i], false);
			if (!rc)
				rc = set_prefix(it, c, it->dst, dv[j], true);
		}
	}
	ir_rule_free(r);
	free_list(sv, ns);
	free_list(dv, nd);
	return rc;
}

static int build_rules(struct ipt *it, struct mr_cmd *c)
{
	struct mr_rule *r = ir_rule_new(it->family);
	const struct mr_xt *txt = NULL;
	int rc;

	r->loc = it->p->loc;
	rc = core_fields(it, r);
	if (!rc)
		rc = matches_and_target(it, r, &txt);
	if (!rc)
		rc = extension_checks(it, r, txt);
	if (!rc)
		rc = target_placement(it, r, c->chain);
	if (!rc)
		rc = iface_placement(it, r, c->chain);
	if (rc) {
		ir_rule_free(r);
		return rc;
	}
	return expand_addresses(it, r, &c->rules);
}

/* ------------------------------------------------------------------ */
/* Commands                                                            */

static const uint8_t cmd_ops[] = {
	[O_APPEND] = MR_OP_APPEND, [O_CHECK] = MR_OP_CHECK,
	[O_DELETE] = MR_OP_DELETE, [O_INSERT] = MR_OP_INSERT,
	[O_REPLACE] = MR_OP_REPLACE, [O_LIST] = MR_OP_LIST,
	[O_LIST_RULES] = MR_OP_LIST_RULES, [O_FLUSH] = MR_OP_FLUSH,
	[O_ZERO] = MR_OP_ZERO, [O_NEWCHAIN] = MR_OP_NEW_CHAIN,
	[O_DELCHAIN] = MR_OP_DEL_CHAIN, [O_POLICY] = MR_OP_POLICY,
	[O_RENAME] = MR_OP_RENAME_CHAIN, [O_HELP] = MR_OP_HELP,
	[O_VERSION] = MR_OP_VERSION, [O_MASQTIMEOUTS] = MR_OP_MASQ_TIMEOUTS,
	[O_HELPER] = MR_OP_HELPER, [O_HELPER_DEL] = MR_OP_HELPER,
};

static bool has_option(const struct ipt *it, unsigned id)
{
	const struct mr_popt *o;

	for (o = it->p->opts; o; o = o->next)
		if (o->def && !o->xt && o->def->id == id)
			return true;
	return false;
}

/* masqrule's own commands: their arguments name no chain. */
static bool own_command(unsigned id)
{
	return id == O_MASQTIMEOUTS || id == O_HELPER || id == O_HELPER_DEL;
}

/* The table and chain the command works on. */
static int pick_table(struct ipt *it, struct mr_cmd *c)
{
	const struct mr_popt *cmd = it->cmd;

	if (it->ctx->in_block) {
		it->table = it->ctx->block_table;
		it->family = it->ctx->block_family;
	}
	if (cmd->nargs && !own_command(cmd->def->id)) {
		c->chain = ir_strdup(cmd->args[0].text);
		c->chain_loc = cmd->args[0].loc;
		/* native: the 2.2 chain names select the legacy model */
		if (it->dialect == MR_D_NATIVE && !it->table_given &&
		    !it->ctx->in_block && legacy_builtin(c->chain))
			it->table = MR_T_LEGACY;
	}
	c->table = it->table;
	c->family = it->family;
	return 0;
}

static int eval_policy(struct ipt *it, struct mr_cmd *c)
{
	const struct mr_word *w = &it->cmd->args[1];
	uint16_t pol;

	if (eval_policy_word(w->text, it->table, &pol) || pol == MR_V_NONE)
		return erec_param(it->errs, &w->loc, "Bad policy name `%s'",
				  w->text);
	if (it->table == MR_T_NAT && pol != MR_V_ACCEPT)
		return erec_param(it->errs, &w->loc,
			"The \"nat\" table is not intended for filtering, the use of %s is therefore inhibited",
			w->text);
	if (pol == MR_V_MASQ && strcmp(c->chain, "forward"))
		return erec_param(it->errs, &w->loc,
				  "policy MASQ is only allowed on forward");
	c->policy = pol;
	return 0;
}

static int parse_timeouts(struct ipt *it, struct mr_cmd *c)
{
	uint32_t *v[3] = { &c->u.timeouts.tcp, &c->u.timeouts.tcpfin,
			   &c->u.timeouts.udp };
	unsigned long n;
	char *end;
	int i;

	for (i = 0; i < 3; i++) {
		const struct mr_word *w = &it->cmd->args[i];

		errno = 0;
		n = strtoul(w->text, &end, 10);
		if (!w->text[0] || *end || errno || n > 0x7fffffffUL)
			return erec_param(it->errs, &w->loc,
					  "invalid timeout value `%s'", w->text);
		*v[i] = (uint32_t)n;
	}
	return 0;
}

/*
 * --masq-helper NAME[,ports=P[,P...]] / --masq-helper-remove NAME: what a modprobe
 * line of the helper's module says, with the module save prints it as
 * (helpers.h).  NAME is the canonical name (ftp, irc, h323...) or a
 * module name.
 */
static int parse_helper(struct ipt *it, struct mr_cmd *c, bool remove)
{
	const struct mr_word *w = &it->cmd->args[0];
	struct mr_helper_cfg *h = &c->u.helper;
	char name[64], *ports;
	const struct helper_def *d;

	snprintf(name, sizeof(name), "%s", w->text);
	ports = strchr(name, ',');
	if (ports)
		*ports++ = 0;
	d = helper_by_name(name);
	if (!d)
		d = helper_by_module(name);
	if (!d)
		return erec_param(it->errs, &w->loc, "unknown helper `%s'", name);
	if (ports && (remove || strncmp(ports, "ports=", 6)))
		return erec_param(it->errs, &w->loc, "%s: expected `%s,ports=P[,P...]'",
				  w->text, d->name);
	h->name = ir_strdup(d->name);
	h->proto = d->proto;
	h->unload = remove;
	if (ports && helper_parse_ports(ports + 6, h->ports, &h->nports,
					d->max_ports))
		return erec_param(it->errs, &w->loc,
				  "%s: ports= takes 1 to %u ports 1-65535",
				  d->name, d->max_ports);
	h->module = ir_strdup(helper_module_for(d, h->nports));
	return 0;
}

/*
 * -L CHAIN RULENUM lists that rule alone (iptables 1.8.9, measured).  The
 * legacy table lists as ipchains -L, which has no such form, and the
 * masquerade table has no rules to number.
 */
static int list_rulenum(struct ipt *it, struct mr_cmd *c)
{
	const struct mr_word *w = &it->cmd->args[1];

	if (c->op == MR_OP_MASQ_LIST)
		return erec_param(it->errs, &w->loc, "Bad argument `%s'",
				  w->text);
	if (it->table == MR_T_LEGACY)
		return erec_param(it->errs, &w->loc,
			"the legacy table lists as ipchains -L: no rule number");
	return parse_rulenum(it, w, &c->rulenum);
}

static int command_args(struct ipt *it, struct mr_cmd *c)
{
	const struct mr_popt *cmd = it->cmd;
	unsigned id = cmd->def->id;

	switch (id) {
	case O_DELETE:
		if (cmd->nargs == 2) {
			c->op = MR_OP_DELETE_NUM;
			return parse_rulenum(it, &cmd->args[1], &c->rulenum);
		}
		return build_rules(it, c);
	case O_INSERT:
		c->rulenum = 1;
		if (cmd->nargs == 2 &&
		    parse_rulenum(it, &cmd->args[1], &c->rulenum))
			return -1;
		return build_rules(it, c);
	case O_REPLACE:
		if (parse_rulenum(it, &cmd->args[1], &c->rulenum))
			return -1;
		return build_rules(it, c);
	case O_APPEND:
	case O_CHECK:
		return build_rules(it, c);
	case O_LIST_RULES:
	case O_ZERO:
		if (cmd->nargs == 2)
			return parse_rulenum(it, &cmd->args[1], &c->rulenum);
		return 0;
	case O_NEWCHAIN:
		return check_chain_name(it, &cmd->args[0]);
	case O_RENAME:
		c->newname = ir_strdup(cmd->args[1].text);
		return check_chain_name(it, &cmd->args[1]);
	case O_POLICY:
		return eval_policy(it, c);
	case O_MASQTIMEOUTS:
		return parse_timeouts(it, c);
	case O_HELPER:
	case O_HELPER_DEL:
		return parse_helper(it, c, id == O_HELPER_DEL);
	case O_LIST:
		if (has_option(it, O_MASQ))
			c->op = MR_OP_MASQ_LIST;
		if (cmd->nargs == 2)
			return list_rulenum(it, c);
		return 0;
	}
	return 0;
}

int eval_iptables(struct eval_ctx *ctx, const struct mr_pcmd *p,
		  struct mr_cmd ***tail)
{
	struct ipt it = {
		.ctx = ctx, .errs = ctx->errs, .p = p,
		.dialect = p->dialect, .family = p->family,
		.table = MR_T_FILTER,
	};
	struct mr_cmd *c;

	if (p->dialect == MR_D_IP6TABLES)
		it.family = MR_FAM_IP6;
	if (find_command(&it) || global_options(&it))
		return -1;
	c = ir_cmd_new(cmd_ops[it.cmd->def->id], p->dialect);
	c->loc = p->loc;
	c->lflags = it.lflags;
	if (pick_table(&it, c) || command_args(&it, c)) {
		ir_cmd_free(c);
		return -1;
	}
	c->family = it.family;
	c->table = it.table;
	**tail = c;
	*tail = &c->next;
	return 0;
}
