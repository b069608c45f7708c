/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The LOG target: --log-level, --log-prefix and the --log-* flags.
 * Non-terminating; nft's "log" statement.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "xt_util.h"

enum {
	O_LEVEL, O_PREFIX, O_TCPSEQ, O_TCPOPT, O_IPOPT, O_UID, O_MACDECODE,
};

static const struct mr_optdef log_opts[] = {
	{ "log-level", 0, MR_A1, 0, O_LEVEL },
	{ "log-prefix", 0, MR_A1, 0, O_PREFIX },
	{ "log-tcp-sequence", 0, MR_A0, 0, O_TCPSEQ },
	{ "log-tcp-options", 0, MR_A0, 0, O_TCPOPT },
	{ "log-ip-options", 0, MR_A0, 0, O_IPOPT },
	{ "log-uid", 0, MR_A0, 0, O_UID },
	{ "log-macdecode", 0, MR_A0, 0, O_MACDECODE },
	{ NULL, 0, 0, 0, 0 },
};

#define LOG_DEFAULT_LEVEL 4
#define LOG_PREFIX_MAX 29	/* the kernel's buffer holds 29 + NUL */

struct level_name {
	const char *name;
	uint8_t level;
};

/* syslog names iptables accepts, plus nft's spellings */
static const struct level_name levels[] = {
	{ "emerg", 0 }, { "panic", 0 }, { "alert", 1 }, { "crit", 2 },
	{ "error", 3 }, { "err", 3 }, { "warning", 4 }, { "warn", 4 },
	{ "notice", 5 }, { "info", 6 }, { "debug", 7 },
	{ NULL, 0 },
};

static const char *const nft_levels[] = {
	"emerg", "alert", "crit", "err", "warn", "notice", "info", "debug",
};

static void log_init(struct mr_xctx *x)
{
	struct mr_t_log *l = x->rule->target.data;

	l->level = LOG_DEFAULT_LEVEL;
}

static int parse_level(struct mr_xctx *x, const struct mr_word *w,
		       struct mr_t_log *l)
{
	const struct level_name *n;
	unsigned long v;

	if (!xt_strtoul(w->text, 7, &v)) {
		l->level = (uint8_t)v;
		l->level_set = true;
		return 0;
	}
	for (n = levels; n->name; n++) {
		if (!strcasecmp(n->name, w->text)) {
			l->level = n->level;
			l->level_set = true;
			return 0;
		}
	}
	return erec_param(x->errs, &w->loc, "log level \"%s\" unknown",
			  w->text);
}

static int parse_prefix(struct mr_xctx *x, const struct mr_word *w,
			struct mr_t_log *l)
{
	size_t len = strlen(w->text);

	if (!len)
		return erec_param(x->errs, &w->loc,
				  "No prefix specified for --log-prefix");
	if (strchr(w->text, '\n'))
		return erec_param(x->errs, &w->loc,
				  "Newlines not allowed in --log-prefix");
	if (len > LOG_PREFIX_MAX) {
		/* legacy iptables cut it silently; say so */
		erec_add(x->errs, EREC_WARNING, 0, &w->loc,
			 "--log-prefix is longer than %d characters, truncated",
			 LOG_PREFIX_MAX);
		len = LOG_PREFIX_MAX;
	}
	free(l->prefix);
	l->prefix = ir_alloc(len + 1);
	memcpy(l->prefix, w->text, len);
	return 0;
}

static int log_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	static const uint8_t flag[] = {
		[O_TCPSEQ] = MR_LOG_TCPSEQ, [O_TCPOPT] = MR_LOG_TCPOPT,
		[O_IPOPT] = MR_LOG_IPOPT, [O_UID] = MR_LOG_UID,
		[O_MACDECODE] = MR_LOG_MACDECODE,
	};
	struct mr_t_log *l = x->rule->target.data;
	unsigned id = o->def->id;

	if (xt_no_inv(x, o, "LOG"))
		return -1;
	switch (id) {
	case O_LEVEL:
		if (xt_once(x, o, "LOG", l->level_set))
			return -1;
		return parse_level(x, &o->args[0], l);
	case O_PREFIX:
		if (xt_once(x, o, "LOG", l->prefix != NULL))
			return -1;
		return parse_prefix(x, &o->args[0], l);
	default:
		l->flags |= flag[id];
		return 0;
	}
}

static void log_save(struct mr_buf *b, const struct mr_rule *r,
		     const struct mr_match *m)
{
	const struct mr_t_log *l = r->target.data;

	(void)m;
	if (!l)
		return;
	if (l->prefix && *l->prefix) {
		buf_add(b, " --log-prefix ");
		xt_save_string(b, l->prefix);
	}
	if (l->level != LOG_DEFAULT_LEVEL)
		buf_printf(b, " --log-level %u", l->level);
	if (l->flags & MR_LOG_TCPSEQ)
		buf_add(b, " --log-tcp-sequence");
	if (l->flags & MR_LOG_TCPOPT)
		buf_add(b, " --log-tcp-options");
	if (l->flags & MR_LOG_IPOPT)
		buf_add(b, " --log-ip-options");
	if (l->flags & MR_LOG_UID)
		buf_add(b, " --log-uid");
	if (l->flags & MR_LOG_MACDECODE)
		buf_add(b, " --log-macdecode");
}

static void xlate_flags(struct mr_buf *b, uint8_t f)
{
	uint8_t tcp = f & (MR_LOG_TCPSEQ | MR_LOG_TCPOPT);

	if (tcp == (MR_LOG_TCPSEQ | MR_LOG_TCPOPT))
		buf_add(b, "flags tcp sequence,options ");
	else if (tcp == MR_LOG_TCPSEQ)
		buf_add(b, "flags tcp sequence ");
	else if (tcp)
		buf_add(b, "flags tcp options ");
	if (f & MR_LOG_IPOPT)
		buf_add(b, "flags ip options ");
	if (f & MR_LOG_UID)
		buf_add(b, "flags skuid ");
	if (f & MR_LOG_MACDECODE)
		buf_add(b, "flags ether ");
}

static bool log_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_t_log *l = x->rule->target.data;
	struct mr_buf *b = x->b;

	(void)m;
	buf_add(b, "log ");
	if (!l)
		return true;
	if (l->prefix && *l->prefix) {
		/* nft strings have no escape for a double quote */
		if (strchr(l->prefix, '"'))
			return false;
		buf_printf(b, "prefix \"%s\" ", l->prefix);
	}
	if (l->level != LOG_DEFAULT_LEVEL && l->level < 8)
		buf_printf(b, "level %s ", nft_levels[l->level]);
	xlate_flags(b, l->flags);
	return true;
}

const struct mr_xt xt_log = {
	.name = "LOG",
	.kind = MR_V_LOG,
	.target = true,
	.size = sizeof(struct mr_t_log),
	.opts = log_opts,
	.init = log_init,
	.parse = log_parse,
	.save = log_save,
	.xlate = log_xlate,
};
