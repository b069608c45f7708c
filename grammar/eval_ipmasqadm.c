/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Port forwarding add-ons of 2.0/2.2: ipmasqadm (0.4; modules portfw,
 * autofw, mfw) and the 2.0 ipportfw.  Option tables and evaluation into
 * MR_OP_PORTFW_*, MR_OP_AUTOFW_*, MR_OP_MFW_* with the tools' checks and
 * messages (portfw, mfw, ipportfw exit 2; autofw exits 1).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "addr.h"
#include "eval.h"
#include "legacy_util.h"
#include "services.h"

#define CMD MR_OF_CMD

enum pf_id {
	PF_ADD = 1, PF_DEL, PF_FLUSH, PF_LIST, PF_NUMERIC, PF_PROTO,
	PF_REDIR, PF_LOCAL, PF_PREF, PF_HELP,
};

/* portfw: getopt "adflnP:R:L:p:h"; -L and -R take address and port. */
const struct mr_optdef opts_ipmasqadm_portfw[] = {
	{ NULL, 'a', MR_A0, CMD, PF_ADD },
	{ NULL, 'd', MR_A0, CMD, PF_DEL },
	{ NULL, 'f', MR_A0, CMD, PF_FLUSH },
	{ NULL, 'l', MR_A0, CMD, PF_LIST },
	{ NULL, 'n', MR_A0, 0, PF_NUMERIC },
	{ NULL, 'P', MR_A1, 0, PF_PROTO },
	{ NULL, 'R', MR_A2, 0, PF_REDIR },
	{ NULL, 'L', MR_A2, 0, PF_LOCAL },
	{ NULL, 'p', MR_A1, 0, PF_PREF },
	{ NULL, 'h', MR_A0, CMD, PF_HELP },
	{ NULL, 0, 0, 0, 0 },
};

enum af_id {
	AF_ADD = 1, AF_DEL, AF_FLUSH, AF_RANGE, AF_DIRECT, AF_PORT, AF_HOST,
	AF_CTL, AF_NOTIME, AF_INSECURE, AF_VERBOSE,
};

/* autofw (and 2.0 ipautofw): the command first, then options. */
const struct mr_optdef opts_ipmasqadm_autofw[] = {
	{ NULL, 'A', MR_A0, CMD, AF_ADD },
	{ NULL, 'D', MR_A0, CMD, AF_DEL },
	{ NULL, 'F', MR_A0, CMD, AF_FLUSH },
	{ NULL, 'r', MR_A3, 0, AF_RANGE },
	{ NULL, 'd', MR_A3, 0, AF_DIRECT },
	{ NULL, 'p', MR_A3, 0, AF_PORT },
	{ NULL, 'h', MR_A1, 0, AF_HOST },
	{ NULL, 'c', MR_A2, 0, AF_CTL },
	{ NULL, 'u', MR_A0, 0, AF_NOTIME },
	{ NULL, 'i', MR_A0, 0, AF_INSECURE },
	{ NULL, 'v', MR_A0, 0, AF_VERBOSE },
	{ NULL, 0, 0, 0, 0 },
};

enum mf_id {
	MF_ADD = 1, MF_INSERT, MF_EDIT, MF_DEL, MF_FLUSH, MF_SCHED, MF_LIST,
	MF_NUMERIC, MF_MARK, MF_REDIR, MF_PREF, MF_HELP,
};

/* mfw: getopt "AEDFSLnm:r:p:h" (+ -I of the man page); -r addr [port]. */
const struct mr_optdef opts_ipmasqadm_mfw[] = {
	{ NULL, 'A', MR_A0, CMD, MF_ADD },
	{ NULL, 'I', MR_A0, CMD, MF_INSERT },
	{ NULL, 'E', MR_A0, CMD, MF_EDIT },
	{ NULL, 'D', MR_A0, CMD, MF_DEL },
	{ NULL, 'F', MR_A0, CMD, MF_FLUSH },
	{ NULL, 'S', MR_A0, CMD, MF_SCHED },
	{ NULL, 'L', MR_A0, CMD, MF_LIST },
	{ NULL, 'n', MR_A0, 0, MF_NUMERIC },
	{ NULL, 'm', MR_A1, 0, MF_MARK },
	{ NULL, 'r', MR_A1Q, 0, MF_REDIR },
	{ NULL, 'p', MR_A1, 0, MF_PREF },
	{ NULL, 'h', MR_A0, CMD, MF_HELP },
	{ NULL, 0, 0, 0, 0 },
};

enum ppf_id { PPF_ADD = 1, PPF_DEL, PPF_FLUSH, PPF_LIST, PPF_TCP, PPF_UDP,
	      PPF_REDIR, PPF_HELP };

/* ipportfw: getopt "ADCLt:u:R:h"; addr/port in one word. */
const struct mr_optdef opts_ipportfw[] = {
	{ NULL, 'A', MR_A0, CMD, PPF_ADD },
	{ NULL, 'D', MR_A0, CMD, PPF_DEL },
	{ NULL, 'C', MR_A0, CMD, PPF_FLUSH },
	{ NULL, 'L', MR_A0, CMD, PPF_LIST },
	{ NULL, 't', MR_A1, 0, PPF_TCP },
	{ NULL, 'u', MR_A1, 0, PPF_UDP },
	{ NULL, 'R', MR_A1, 0, PPF_REDIR },
	{ NULL, 'h', MR_A0, CMD, PPF_HELP },
	{ NULL, 0, 0, 0, 0 },
};

#undef CMD

#define PF_DEF_PREF 10		/* IP_PORTFW_DEF_PREF, IP_MARKFW_DEF_PREF */

static int perr(struct eval_ctx *ctx, const struct mr_loc *loc,
		const char *msg)
{
	return erec_param(ctx->errs, loc, "%s", msg);
}

static struct mr_cmd *pm_cmd(uint8_t op, uint8_t dialect,
			     const struct mr_pcmd *p)
{
	return lg_cmd_new(op, dialect, p);
}

/* inet_aton() forms, as ipmasqadm's parse_addressport() read them. */
static bool pm_addr(const char *s, uint8_t out[4])
{
	struct mr_prefix pfx;
	const char *why;

	if (!*s || strchr(s, '/') ||
	    addr_parse_prefix(s, MR_FAM_IP, MR_AS_LEGACY, &pfx, &why))
		return false;
	memcpy(out, pfx.addr, 4);
	return true;
}

/* A port number, or a service name (tcp, then udp). */
static bool pm_port(const char *s, uint16_t *out)
{
	long v;

	if (lg_number(s, 0, 65535, &v)) {
		*out = (uint16_t)v;
		return true;
	}
	if (isdigit((unsigned char)*s))
		return false;
	v = services_port(s, 6);
	if (v < 0)
		v = services_port(s, 17);
	if (v < 0)
		return false;
	*out = (uint16_t)v;
	return true;
}

/* atoi(): leading number, the rest ignored, 0 if none. */
static long pm_atoi(const char *s)
{
	return strtol(s, NULL, 10);
}

static bool pm_zero4(const uint8_t a[4])
{
	return !(a[0] | a[1] | a[2] | a[3]);
}

/* ------------------------------------------------------------------ */
/* ipmasqadm portfw                                                    */

struct pf {
	struct eval_ctx *ctx;
	uint8_t op;
	bool have_proto, have_local, have_redir;
	const struct mr_loc *cmd_loc;
	struct mr_portfw pf;
	uint16_t lflags;
};

static int pf_command(struct pf *s, const struct mr_popt *o, uint8_t op)
{
	if (s->op)
		return perr(s->ctx, &o->loc, "multiple commands specified");
	s->op = op;
	s->cmd_loc = &o->loc;
	return 0;
}

static int pf_proto(struct pf *s, const struct mr_popt *o)
{
	const char *t = o->args[0].text;

	if (s->have_proto)
		return perr(s->ctx, &o->loc, "multiple protocols specified");
	if (*t != 't' && *t != 'u')
		return perr(s->ctx, &o->args[0].loc,
			    "invalid protocol specified");
	s->have_proto = true;
	s->pf.proto = *t == 't' ? LG_TCP : LG_UDP;
	return 0;
}

static int pf_local(struct pf *s, const struct mr_popt *o)
{
	if (s->have_local)
		return perr(s->ctx, &o->loc,
			    "multiple local address/port specified");
	if (!pm_addr(o->args[0].text, s->pf.laddr) ||
	    !pm_port(o->args[1].text, &s->pf.lport))
		return perr(s->ctx, &o->args[0].loc,
			    "illegal local address/port specified");
	s->have_local = true;
	s->pf.has_laddr = !pm_zero4(s->pf.laddr);
	return 0;
}

static int pf_redir(struct pf *s, const struct mr_popt *o)
{
	if (s->have_redir)
		return perr(s->ctx, &o->loc, "multiple destinations specified");
	if (!pm_addr(o->args[0].text, s->pf.raddr) ||
	    !pm_port(o->args[1].text, &s->pf.rport))
		return perr(s->ctx, &o->args[0].loc,
			    "illegal destination specified");
	s->have_redir = true;
	s->pf.has_raddr = !pm_zero4(s->pf.raddr);
	return 0;
}

static int pf_option(struct pf *s, const struct mr_popt *o)
{
	switch (o->def->id) {
	case PF_ADD:
		return pf_command(s, o, MR_OP_PORTFW_ADD);
	case PF_DEL:
		return pf_command(s, o, MR_OP_PORTFW_DEL);
	case PF_FLUSH:
		return pf_command(s, o, MR_OP_PORTFW_FLUSH);
	case PF_LIST:
		return pf_command(s, o, MR_OP_PORTFW_LIST);
	case PF_NUMERIC:
		s->lflags |= MR_LF_NUMERIC;
		return 0;
	case PF_PROTO:
		return pf_proto(s, o);
	case PF_LOCAL:
		return pf_local(s, o);
	case PF_REDIR:
		return pf_redir(s, o);
	case PF_PREF:
		if (pm_atoi(o->args[0].text) <= 0)
			return perr(s->ctx, &o->args[0].loc,
				    "illegal preference value specified");
		s->pf.pref = (uint16_t)pm_atoi(o->args[0].text);
		return 0;
	}
	return 1;		/* -h */
}

static int pf_check(struct pf *s, const struct mr_pcmd *p)
{
	const struct mr_loc *l = s->cmd_loc;
	bool needs = s->op == MR_OP_PORTFW_ADD || s->op == MR_OP_PORTFW_DEL;

	if (needs && (!s->have_proto || !s->pf.lport))
		return perr(s->ctx, l, "insufficient options specified");
	if ((s->op == MR_OP_PORTFW_FLUSH || s->op == MR_OP_PORTFW_LIST) &&
	    (s->have_proto || s->pf.lport || s->pf.rport ||
	     s->pf.has_raddr))
		return perr(s->ctx, l, "incompatible options specified");
	(void)p;
	return 0;
}

static int ipmasqadm_portfw(struct eval_ctx *ctx, const struct mr_pcmd *p,
			    const struct mr_popt *o, struct mr_cmd ***tail)
{
	struct pf s = { .ctx = ctx };
	struct mr_cmd *c;
	int rc;

	s.pf.pref = PF_DEF_PREF;
	for (; o; o = o->next) {
		if (!o->def)
			return perr(ctx, &o->args[0].loc,
				    "unknown arguments found on commandline");
		rc = pf_option(&s, o);
		if (rc < 0)
			return -1;
		if (rc > 0)
			break;
	}
	if (o || !s.op) {	/* -h, or no command: the help text */
		lg_emit(tail, pm_cmd(MR_OP_HELP, MR_D_IPMASQADM, p));
		return 0;
	}
	if (pf_check(&s, p))
		return -1;
	c = pm_cmd(s.op, MR_D_IPMASQADM, p);
	c->u.portfw = s.pf;
	c->lflags = s.lflags;
	lg_emit(tail, c);
	return 0;
}

/* ------------------------------------------------------------------ */
/* ipmasqadm autofw (ipautofw)                                         */

struct af {
	struct eval_ctx *ctx;
	uint8_t op;
	struct mr_autofw a;
	const struct mr_loc *ctl_loc;
};

static int aerr(struct af *s, const struct mr_loc *loc, const char *fmt,
		const char *arg)
{
	erec_add(s->ctx->errs, EREC_ERROR, MR_EXIT_OTHER, loc, fmt, arg);
	return -1;
}

/* sscanf("%hu"): a leading number, 0 if none. */
static uint16_t af_num(const char *s)
{
	unsigned long v = strtoul(s, NULL, 10);

	return isdigit((unsigned char)*s) || *s == '+' ? (uint16_t)v : 0;
}

static int af_proto(struct af *s, const struct mr_word *w, uint8_t *proto,
		    const char *what)
{
	if (*w->text != 't' && *w->text != 'u')
		return aerr(s, &w->loc, "%sprotocol must be either tcp or udp",
			    what);
	*proto = *w->text == 't' ? LG_TCP : LG_UDP;
	return 0;
}

/* -r / -d proto low high, -p proto visible host:hidden */
static int af_type(struct af *s, const struct mr_popt *o, uint8_t type)
{
	static const char *const clash[] = {
		['r'] = "-r cannot be used in conjunction with -p or -d",
		['d'] = "-d cannot be used in conjunction with -p or -r",
		['p'] = "-p cannot be used in conjunction with -r or -d",
	};
	const char *hp;

	if (af_proto(s, &o->args[0], &s->a.proto, ""))
		return -1;
	s->a.low = af_num(o->args[1].text);
	if (type == 'p') {
		hp = strchr(o->args[2].text, ':');
		s->a.high = hp ? af_num(hp + 1) : 0;
		s->a.has_host = hp && pm_addr(o->args[2].text, s->a.host);
		if (hp) {
			char host[64];

			snprintf(host, sizeof(host), "%.*s",
				 (int)(hp - o->args[2].text), o->args[2].text);
			s->a.has_host = pm_addr(host, s->a.host);
		}
	} else {
		s->a.high = af_num(o->args[2].text);
	}
	if (!s->a.low || !s->a.high || (type != 'p' && s->a.high < s->a.low))
		return aerr(s, &o->args[1].loc, "%s", "Illegal port numbers");
	if (s->a.type)
		return aerr(s, &o->loc, "%s", clash[type]);
	s->a.type = type;
	return 0;
}

static int af_option(struct af *s, const struct mr_popt *o)
{
	switch (o->def->id) {
	case AF_RANGE:
		return af_type(s, o, 'r');
	case AF_DIRECT:
		return af_type(s, o, 'd');
	case AF_PORT:
		return af_type(s, o, 'p');
	case AF_HOST:
		if (!lg_dotted(o->args[0].text, s->a.host))
			return aerr(s, &o->args[0].loc, "Invalid IP address: %s",
				    o->args[0].text);
		s->a.has_host = true;
		s->a.flags &= (uint16_t)~MR_AFW_SECURE;
		return 0;
	case AF_CTL:
		if (af_proto(s, &o->args[0], &s->a.ctl_proto, "Control "))
			return -1;
		s->a.ctl_port = af_num(o->args[1].text);
		s->ctl_loc = &o->loc;
		return 0;
	case AF_NOTIME:
		s->a.flags &= (uint16_t)~MR_AFW_USETIME;
		return 0;
	case AF_INSECURE:
		s->a.flags &= (uint16_t)~MR_AFW_SECURE;
		return 0;
	case AF_VERBOSE:
		return 0;
	}
	/* a second command is no option of the loop */
	return aerr(s, &o->loc, "Invalid option: -%s",
		    (char[]){ o->def->sname, '\0' });
}

static uint8_t af_op(uint16_t id)
{
	return id == AF_ADD ? MR_OP_AUTOFW_ADD :
	       id == AF_DEL ? MR_OP_AUTOFW_DEL : MR_OP_AUTOFW_FLUSH;
}

static int af_finish(struct af *s, const struct mr_loc *cmd_loc)
{
	if (!(s->a.ctl_port && s->a.ctl_proto))
		s->a.flags &= (uint16_t)~MR_AFW_SECURE;
	if (s->a.ctl_port && s->a.ctl_proto && !(s->a.flags & MR_AFW_SECURE))
		erec_add(s->ctx->errs, EREC_WARNING, 0, s->ctl_loc,
			 "-i cannot be specified with a control port");
	if (!s->a.type && s->op != MR_OP_AUTOFW_FLUSH)
		return aerr(s, cmd_loc, "%s", "You must select a type of "
			    "forwarding (direct, port, or range)");
	return 0;
}

static int ipmasqadm_autofw(struct eval_ctx *ctx, const struct mr_pcmd *p,
			    const struct mr_popt *o, struct mr_cmd ***tail)
{
	struct af s = { .ctx = ctx };
	const struct mr_popt *cmd = o;
	struct mr_cmd *c;

	s.a.flags = MR_AFW_USETIME | MR_AFW_SECURE;
	if (!cmd || !cmd->def || !(cmd->def->flags & MR_OF_CMD))
		return aerr(&s, cmd ? &cmd->loc : &p->loc,
			    "%s", "Command must be either -A, -D, or -F");
	s.op = af_op(cmd->def->id);
	if (s.op == MR_OP_AUTOFW_FLUSH && cmd->next)
		return aerr(&s, &cmd->next->loc,
			    "%s", "The flush command does not take options");
	for (o = cmd->next; o; o = o->next) {
		/* the tool said so about stray words and went on */
		if (!o->def)
			erec_add(ctx->errs, EREC_WARNING, 0, &o->args[0].loc,
				 "Invalid option: %s", o->args[0].text);
		else if (af_option(&s, o))
			return -1;
	}
	if (af_finish(&s, &cmd->loc))
		return -1;
	c = pm_cmd(s.op, MR_D_IPMASQADM, p);
	c->u.autofw = s.a;
	lg_emit(tail, c);
	return 0;
}

/* ------------------------------------------------------------------ */
/* ipmasqadm mfw                                                       */

struct mf {
	struct eval_ctx *ctx;
	uint16_t cmd;
	const struct mr_loc *cmd_loc;
	bool have_redir;
	struct mr_mfw m;
	uint16_t lflags;
};

static int mf_redir(struct mf *s, const struct mr_popt *o)
{
	if (s->have_redir)
		return perr(s->ctx, &o->loc, "multiple destinations specified");
	if (!pm_addr(o->args[0].text, s->m.raddr))
		return perr(s->ctx, &o->args[0].loc,
			    "illegal destination specified");
	/* a word that is no port stays on the command line: stray */
	if (o->nargs > 1 && !pm_port(o->args[1].text, &s->m.rport))
		return perr(s->ctx, &o->args[1].loc,
			    "unknown arguments found on commandline");
	s->have_redir = true;
	s->m.has_raddr = !pm_zero4(s->m.raddr);
	return 0;
}

static int mf_option(struct mf *s, const struct mr_popt *o)
{
	switch (o->def->id) {
	case MF_NUMERIC:
		s->lflags |= MR_LF_NUMERIC;
		return 0;
	case MF_MARK:
		s->m.mark = (uint32_t)pm_atoi(o->args[0].text);
		return 0;
	case MF_REDIR:
		return mf_redir(s, o);
	case MF_PREF:
		if (pm_atoi(o->args[0].text) < 0)
			return perr(s->ctx, &o->args[0].loc,
				    "illegal preference value specified");
		s->m.pref = (uint16_t)pm_atoi(o->args[0].text);
		return 0;
	case MF_HELP:
		return 1;
	}
	if (s->cmd)
		return perr(s->ctx, &o->loc, "multiple commands specified");
	s->cmd = o->def->id;
	s->cmd_loc = &o->loc;
	return 0;
}

static int mf_check(struct mf *s)
{
	bool needs = s->cmd == MF_ADD || s->cmd == MF_INSERT ||
		     s->cmd == MF_DEL;

	if (needs && !s->m.mark)
		return perr(s->ctx, s->cmd_loc,
			    "insufficient options specified");
	if ((s->cmd == MF_FLUSH || s->cmd == MF_LIST) &&
	    (s->m.mark || s->m.rport || s->m.has_raddr))
		return perr(s->ctx, s->cmd_loc,
			    "incompatible options specified");
	return 0;
}

static uint8_t mf_op(uint16_t cmd)
{
	switch (cmd) {
	case MF_ADD: case MF_INSERT: return MR_OP_MFW_ADD;
	case MF_DEL: return MR_OP_MFW_DEL;
	case MF_FLUSH: return MR_OP_MFW_FLUSH;
	case MF_LIST: return MR_OP_MFW_LIST;
	}
	return MR_OP_NOP;	/* -E edit, -S reschedule */
}

static int ipmasqadm_mfw(struct eval_ctx *ctx, const struct mr_pcmd *p,
			 const struct mr_popt *o, struct mr_cmd ***tail)
{
	struct mf s = { .ctx = ctx };
	struct mr_cmd *c;
	int rc = 0;

	s.m.pref = PF_DEF_PREF;
	for (; o; o = o->next) {
		if (!o->def)
			return perr(ctx, &o->args[0].loc,
				    "unknown arguments found on commandline");
		rc = mf_option(&s, o);
		if (rc)
			break;
	}
	if (rc < 0)
		return -1;
	if (rc > 0 || !s.cmd) {
		lg_emit(tail, pm_cmd(MR_OP_HELP, MR_D_IPMASQADM, p));
		return 0;
	}
	if (mf_check(&s))
		return -1;
	if (s.cmd == MF_EDIT)
		erec_add(ctx->errs, EREC_WARNING, 0, s.cmd_loc, "mfw -E "
			 "(change the preference of entries) is not modelled: "
			 "ignored");
	c = pm_cmd(mf_op(s.cmd), MR_D_IPMASQADM, p);
	if (c->op != MR_OP_NOP)
		c->u.mfw = s.m;
	c->rulenum = s.cmd == MF_INSERT ? 1 : 0;	/* -I: at the head */
	c->lflags = s.lflags;
	lg_emit(tail, c);
	return 0;
}

/* ------------------------------------------------------------------ */

static const struct {
	const char *name;
	int (*eval)(struct eval_ctx *, const struct mr_pcmd *,
		    const struct mr_popt *, struct mr_cmd ***);
} pm_modules[] = {
	{ "portfw", ipmasqadm_portfw },
	{ "autofw", ipmasqadm_autofw },
	{ "mfw", ipmasqadm_mfw },
};

int eval_ipmasqadm(struct eval_ctx *ctx, const struct mr_pcmd *p,
		   struct mr_cmd ***tail)
{
	const struct mr_popt *o = p->opts;
	size_t i;

	if (!o || o->def) {
		erec_add(ctx->errs, EREC_ERROR, MR_EXIT_OTHER,
			 o ? &o->loc : &p->loc, "usage: ipmasqadm MODULE [opts]");
		return -1;
	}
	for (i = 0; i < sizeof(pm_modules) / sizeof(pm_modules[0]); i++)
		if (!strcmp(o->args[0].text, pm_modules[i].name))
			return pm_modules[i].eval(ctx, p, o->next, tail);
	erec_add(ctx->errs, EREC_ERROR, MR_EXIT_OTHER, &o->args[0].loc,
		 "unknown module `%s' (autofw, portfw or mfw)",
		 o->args[0].text);
	return -1;
}

/* ------------------------------------------------------------------ */
/* ipportfw (2.0)                                                      */

/* "a.b.c.d/port", port 1-60999 (below the masquerade ports). */
static bool ppf_addrport(const char *s, uint8_t addr[4], uint16_t *port)
{
	const char *slash = strchr(s, '/');
	char host[32];
	long v;

	if (!slash || (size_t)(slash - s) >= sizeof(host) ||
	    !lg_number(slash + 1, 1, 60999, &v))
		return false;
	memcpy(host, s, (size_t)(slash - s));
	host[slash - s] = '\0';
	if (!lg_dotted(host, addr))
		return false;
	*port = (uint16_t)v;
	return true;
}

struct ppf {
	struct eval_ctx *ctx;
	uint8_t op;
	const struct mr_loc *cmd_loc;
	bool have_proto, have_redir;
	struct mr_portfw pf;
};

static int ppf_option(struct ppf *s, const struct mr_popt *o)
{
	static const uint8_t ops[] = {
		[PPF_ADD] = MR_OP_PORTFW_ADD, [PPF_DEL] = MR_OP_PORTFW_DEL,
		[PPF_FLUSH] = MR_OP_PORTFW_FLUSH, [PPF_LIST] = MR_OP_PORTFW_LIST,
	};
	uint16_t id = o->def->id;

	if (id == PPF_HELP)
		return 1;
	if (id == PPF_TCP || id == PPF_UDP) {
		if (s->have_proto)
			return perr(s->ctx, &o->loc,
				    "multiple protocols specified");
		s->have_proto = true;
		s->pf.proto = id == PPF_TCP ? LG_TCP : LG_UDP;
		if (!ppf_addrport(o->args[0].text, s->pf.laddr, &s->pf.lport))
			return perr(s->ctx, &o->args[0].loc,
				    "illegal local address/port specified");
		s->pf.has_laddr = !pm_zero4(s->pf.laddr);
		return 0;
	}
	if (id == PPF_REDIR) {
		if (s->have_redir)
			return perr(s->ctx, &o->loc,
				    "multiple destinations specified");
		if (!ppf_addrport(o->args[0].text, s->pf.raddr, &s->pf.rport))
			return perr(s->ctx, &o->args[0].loc,
				    "illegal destination specified");
		s->have_redir = true;
		s->pf.has_raddr = !pm_zero4(s->pf.raddr);
		return 0;
	}
	if (s->op)
		return perr(s->ctx, &o->loc, "multiple commands specified");
	s->op = ops[id];
	s->cmd_loc = &o->loc;
	return 0;
}

static int ppf_check(struct ppf *s)
{
	const struct mr_loc *l = s->cmd_loc;

	if (s->op == MR_OP_PORTFW_ADD && (!s->have_proto || !s->pf.lport ||
	    !s->pf.rport || !s->pf.has_raddr))
		return perr(s->ctx, l, "insufficient options specified");
	if (s->op == MR_OP_PORTFW_DEL && (!s->have_proto || !s->pf.lport))
		return perr(s->ctx, l, "insufficient options specified");
	if (s->op == MR_OP_PORTFW_DEL && s->have_redir)
		return perr(s->ctx, l, "incompatible options specified");
	if ((s->op == MR_OP_PORTFW_FLUSH || s->op == MR_OP_PORTFW_LIST) &&
	    (s->have_proto || s->have_redir))
		return perr(s->ctx, l, "incompatible options specified");
	return 0;
}

int eval_ipportfw(struct eval_ctx *ctx, const struct mr_pcmd *p,
		  struct mr_cmd ***tail)
{
	struct ppf s = { .ctx = ctx };
	const struct mr_popt *o;
	struct mr_cmd *c;
	int rc = 0;

	s.pf.pref = PF_DEF_PREF;
	for (o = p->opts; o; o = o->next) {
		if (!o->def)
			return perr(ctx, &o->args[0].loc,
				    "unknown arguments found on commandline");
		rc = ppf_option(&s, o);
		if (rc)
			break;
	}
	if (rc < 0)
		return -1;
	if (rc > 0 || !s.op) {
		lg_emit(tail, pm_cmd(MR_OP_HELP, MR_D_IPPORTFW, p));
		return 0;
	}
	if (ppf_check(&s))
		return -1;
	c = pm_cmd(s.op, MR_D_IPPORTFW, p);
	c->u.portfw = s.pf;
	lg_emit(tail, c);
	return 0;
}
