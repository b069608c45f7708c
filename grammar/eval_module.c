/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Module lines of firewall scripts (modprobe, insmod, rmmod, depmod,
 * lsmod): option table and evaluation.  A helper module becomes
 * MR_OP_HELPER (helpers.h says which helper), a module scripts load for
 * the firewall itself MR_OP_NOP, anything else MR_OP_NOP with a warning.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "eval.h"
#include "helpers.h"
#include "legacy_util.h"

enum mo_id {
	MO_ALL = 1, MO_REMOVE, MO_QUIET, MO_VERBOSE, MO_AUTOCLEAN, MO_FORCE,
	MO_SYSLOG, MO_DRYRUN, MO_NAME, MO_TYPE, MO_LIST, MO_SHOWCONFIG,
	MO_UNRESOLVED, MO_WAIT, MO_SYSMAP, MO_BASEDIR, MO_CONFIG, MO_VERSION,
	MO_PROBE, MO_MAP, MO_EXPORT, MO_NOEXPORT, MO_DEBUG, MO_IGNINSTALL,
	MO_HELP, MO_LOCK, MO_FIRSTTIME,
};

/* The options of modutils' and kmod's modprobe, insmod, rmmod, depmod. */
const struct mr_optdef opts_module[] = {
	{ "all", 'a', MR_A0, 0, MO_ALL },
	{ "remove", 'r', MR_A0, 0, MO_REMOVE },
	{ "quiet", 'q', MR_A0, 0, MO_QUIET },
	{ "verbose", 'v', MR_A0, 0, MO_VERBOSE },
	{ "autoclean", 'k', MR_A0, 0, MO_AUTOCLEAN },
	{ "force", 'f', MR_A0, 0, MO_FORCE },
	{ "syslog", 's', MR_A0, 0, MO_SYSLOG },
	{ "dry-run", 'n', MR_A0, 0, MO_DRYRUN },
	{ "show", 0, MR_A0, 0, MO_DRYRUN },
	{ "name", 'o', MR_A1, 0, MO_NAME },
	{ "type", 't', MR_A1, 0, MO_TYPE },
	{ "list", 'l', MR_A0, 0, MO_LIST },
	{ "showconfig", 'c', MR_A0, 0, MO_SHOWCONFIG },
	{ NULL, 'e', MR_A0, 0, MO_UNRESOLVED },
	{ "wait", 'w', MR_A0, 0, MO_WAIT },
	{ "filesyms", 'F', MR_A1, 0, MO_SYSMAP },
	{ "basedir", 'b', MR_A1, 0, MO_BASEDIR },
	{ "config", 'C', MR_A1, 0, MO_CONFIG },
	{ "version", 'V', MR_A0, 0, MO_VERSION },
	{ "probe", 'p', MR_A0, 0, MO_PROBE },
	{ "map", 'm', MR_A0, 0, MO_MAP },
	{ "export", 'x', MR_A0, 0, MO_EXPORT },
	{ "noexport", 'X', MR_A0, 0, MO_NOEXPORT },
	{ "debug", 'd', MR_A0, 0, MO_DEBUG },
	{ "ignore-install", 'i', MR_A0, 0, MO_IGNINSTALL },
	{ "help", 'h', MR_A0, 0, MO_HELP },
	{ "lock", 'L', MR_A0, 0, MO_LOCK },
	{ "first-time", 0, MR_A0, 0, MO_FIRSTTIME },
	{ NULL, 0, 0, 0, 0 },
};

/* Modules firewall scripts load that need nothing from masqrule. */
static const char *const nop_modules[] = {
	"ip_tables", "ip6_tables", "x_tables", "iptable_filter",
	"iptable_nat", "iptable_mangle", "iptable_raw", "ip6table_filter",
	"ip6table_mangle", "ip_conntrack", "nf_conntrack", "nf_conntrack_ipv4",
	"nf_conntrack_ipv6", "nf_defrag_ipv4", "nf_defrag_ipv6", "nf_nat",
	"nf_nat_ipv4", "nf_nat_ipv6", "iptable_security", "ip_nat",
	"ip_conntrack_proto_gre", "nf_conntrack_proto_gre", "ip_nat_proto_gre",
	"nf_nat_proto_gre", "ip_queue", "nfnetlink", "nfnetlink_queue",
	"nfnetlink_log", "nf_tables", "nf_tables_ipv4", "nf_tables_inet",
	"nft_nat", "nft_masq", "nft_chain_nat", "nft_ct", "nft_reject",
	"ipchains", "ipfwadm", "ip_masq_autofw", "ip_masq_portfw",
	"ip_masq_mfw", "ip_masq_user", "ip_masq_ipsec", "ip_masq_pptp",
	"ip_always_defrag", NULL,
};

/* Prefixes of match and target modules (ipt_state, xt_conntrack...). */
static const char *const nop_prefixes[] = {
	"ipt_", "ip6t_", "xt_", "nft_", "arpt_", "ebt_", NULL,
};

/* Parameters of helper modules that change nothing masqrule models. */
static const char *const quiet_params[] = {
	"noport", "mark", "in_mark", "debug", "insecure", "loose",
	"max_dcc_channels", "dcc_timeout", "master_timeout", "ts_algo",
	"sip_timeout", "sip_direct_signalling", "sip_direct_media",
	"sip_external_media", "default_rrq_expect_timeout", "timeout",
	"callforward_filter", "gkrouted_only", NULL,
};

enum mo_tool { T_MODPROBE, T_INSMOD, T_RMMOD, T_DEPMOD, T_LSMOD };

static const struct {
	const char *name;
	enum mo_tool tool;
} mo_tools[] = {
	{ "modprobe", T_MODPROBE }, { "insmod", T_INSMOD },
	{ "rmmod", T_RMMOD }, { "depmod", T_DEPMOD }, { "lsmod", T_LSMOD },
};

struct mo {
	struct eval_ctx *ctx;
	const struct mr_pcmd *p;
	enum mo_tool tool;
	bool remove, all, info;
	const struct mr_word *words[64];	/* plain words, in order */
	unsigned nwords;
};

static bool in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (!strcmp(*list, s))
			return true;
	return false;
}

static bool nop_module(const char *word)
{
	char name[64];
	const char *const *pre;

	helper_module_normalize(word, name, sizeof(name));
	if (in_list(nop_modules, name))
		return true;
	for (pre = nop_prefixes; *pre; pre++)
		if (!strncmp(name, *pre, strlen(*pre)))
			return true;
	return false;
}

static enum mo_tool mo_tool_of(const struct mr_pcmd *p)
{
	const char *base = p->tool.text ? lg_basename(p->tool.text) : NULL;
	size_t i;

	for (i = 0; base && i < sizeof(mo_tools) / sizeof(mo_tools[0]); i++)
		if (!strcmp(base, mo_tools[i].name))
			return mo_tools[i].tool;
	return T_MODPROBE;
}

static int mo_err(struct mo *m, const struct mr_loc *loc, const char *fmt,
		  const char *a, const char *b)
{
	erec_add(m->ctx->errs, EREC_ERROR, MR_EXIT_OTHER, loc, fmt, a, b);
	return -1;
}

static void mo_warn(struct mo *m, const struct mr_loc *loc, const char *fmt,
		    const char *a, const char *b)
{
	erec_add(m->ctx->errs, EREC_WARNING, 0, loc, fmt, a, b);
}

/* "21,2121": at most max ports 1-65535. */
static int mo_port_list(struct mo *m, const struct mr_word *w,
			const char *list, const char *module, uint16_t *ports,
			uint8_t *n)
{
	unsigned max = helper_module_max_ports(module);
	char buf[256], *tok, *save = NULL, lim[16];
	long v;

	*n = 0;
	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!lg_number(tok, 1, 65535, &v))
			return mo_err(m, &w->loc, "%s: invalid port `%s'",
				      module, tok);
		if (*n >= max) {
			snprintf(lim, sizeof(lim), "%u", max);
			return mo_err(m, &w->loc,
				      "%s: ports: can only take %s arguments",
				      module, lim);
		}
		ports[(*n)++] = (uint16_t)v;
	}
	if (!*n)
		return mo_err(m, &w->loc, "%s: no value for parameter `%s'",
			      module, w->text);
	return 0;
}

/* A bare word after a module: 2.2's quake took no port list at all. */
static void mo_bare_word(struct mo *m, const struct mr_word *w,
			 const char *module, const struct helper_def *h)
{
	if (!strcmp(h->name, "quake"))
		mo_warn(m, &w->loc, "%s takes no port list: `%s' ignored, "
			"default ports 26000,27000 used", module, w->text);
	else
		mo_warn(m, &w->loc, "%s: `%s' is no parameter (name=value): "
			"ignored", module, w->text);
}

static int mo_param(struct mo *m, struct mr_helper_cfg *cfg,
		    const struct helper_def *h, const struct mr_word *w)
{
	const char *eq = strchr(w->text, '=');
	char name[64];
	size_t n;

	if (!eq) {
		mo_bare_word(m, w, cfg->module, h);
		return 0;
	}
	n = (size_t)(eq - w->text);
	snprintf(name, sizeof(name), "%.*s", (int)(n < 63 ? n : 63), w->text);
	if (!strcmp(name, "ports"))
		return mo_port_list(m, w, eq + 1, cfg->module, cfg->ports,
				    &cfg->nports);
	if (!strcmp(name, "in_ports") && helper_module_in_ports(cfg->module))
		return mo_port_list(m, w, eq + 1, cfg->module, cfg->in_ports,
				    &cfg->nin_ports);
	if (!in_list(quiet_params, name))
		mo_warn(m, &w->loc, "%s: unknown parameter `%s' ignored",
			cfg->module, name);
	return 0;
}

static struct mr_cmd *mo_cmd(struct mo *m, uint8_t op,
			     const struct mr_word *w)
{
	struct mr_cmd *c = ir_cmd_new(op, MR_D_MODULE);

	c->family = m->p->family ? m->p->family : MR_FAM_IP;
	c->loc = m->p->loc;
	if (w)
		c->chain_loc = w->loc;
	return c;
}

/* One module with the parameters that follow it (params may be 0). */
static int mo_module(struct mo *m, const struct mr_word *w,
		     const struct mr_word *const *params, unsigned nparams,
		     struct mr_cmd ***tail)
{
	const struct helper_def *h = helper_by_module(w->text);
	struct mr_cmd *c;
	unsigned i;

	if (!h) {
		if (!nop_module(w->text))
			mo_warn(m, &w->loc, "module `%s' has no meaning for "
				"masqrule: ignored", w->text, NULL);
		lg_emit(tail, mo_cmd(m, MR_OP_NOP, w));
		return 0;
	}
	c = mo_cmd(m, MR_OP_HELPER, w);
	c->u.helper.name = ir_strdup(h->name);
	c->u.helper.module = ir_strdup(w->text);
	c->u.helper.proto = h->proto;
	c->u.helper.unload = m->remove;
	for (i = 0; !m->remove && i < nparams; i++) {
		if (mo_param(m, &c->u.helper, h, params[i])) {
			ir_cmd_free(c);
			return -1;
		}
	}
	lg_emit(tail, c);
	return 0;
}

static int mo_options(struct mo *m)
{
	const struct mr_popt *o;

	for (o = m->p->opts; o; o = o->next) {
		if (!o->def) {
			if (m->nwords == sizeof(m->words) / sizeof(m->words[0]))
				return mo_err(m, &o->args[0].loc,
					      "%s%s", "too many words", "");
			m->words[m->nwords++] = &o->args[0];
			continue;
		}
		switch (o->def->id) {
		case MO_REMOVE:
			m->remove = true;
			break;
		case MO_ALL:
			m->all = true;
			break;
		case MO_LIST: case MO_SHOWCONFIG: case MO_VERSION:
		case MO_HELP:
			m->info = true;
			break;
		}
	}
	return 0;
}

int eval_module(struct eval_ctx *ctx, const struct mr_pcmd *p,
		struct mr_cmd ***tail)
{
	struct mo m;
	unsigned i;

	memset(&m, 0, sizeof(m));
	m.ctx = ctx;
	m.p = p;
	m.tool = mo_tool_of(p);
	if (mo_options(&m))
		return -1;
	if (m.tool == T_RMMOD)
		m.remove = true;
	/* listings, depmod and lsmod change nothing */
	if (m.tool == T_DEPMOD || m.tool == T_LSMOD || m.info ||
	    (m.tool == T_RMMOD && !m.nwords)) {
		lg_emit(tail, mo_cmd(&m, MR_OP_NOP, NULL));
		return 0;
	}
	if (!m.nwords)
		return mo_err(&m, &p->loc, "%s: no module name given",
			      m.tool == T_INSMOD ? "insmod" : "modprobe", NULL);
	/* several modules: modprobe -a, modprobe -r, rmmod */
	if (m.remove || m.all) {
		for (i = 0; i < m.nwords; i++)
			if (mo_module(&m, m.words[i], NULL, 0, tail))
				return -1;
		return 0;
	}
	return mo_module(&m, m.words[0], m.words + 1, m.nwords - 1, tail);
}
