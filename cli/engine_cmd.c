// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * masqrule engine: run the userspace engine on two interfaces it owns.
 *
 *   masqrule engine --inside IF=ADDR/LEN --outside IF=ADDR/LEN
 *                   [--gateway ADDR] [--rules FILE] [--dialect D]
 *                   [--socket PATH] [--user NAME]
 *
 * The rules file is read into the model as `masqrule save' reads it, the
 * engine checks it (refusals name the rule); without one the engine starts
 * as a 2.2 kernel booted: the legacy chains empty, every policy ACCEPT.
 * Then the control socket is opened (`masqrule --backend engine' talks to
 * it), every privilege dropped, and the engine runs in the foreground
 * until SIGINT or SIGTERM.
 */
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "ctl.h"
#include "live.h"
#include "load.h"
#include "model.h"
#include "report.h"

#define PFX "masqrule engine: "

/* Until cli.h declares it. */
int cmd_engine(const struct cli_opts *o);

struct engine_args {
	struct eng_live_cfg cfg;	/* ifs[0] inside, ifs[1] outside */
	bool have[2];
	uint32_t gw;
	const char *rules;
	const char *socket;		/* NULL: CTL_PATH */
	const char *user;		/* NULL: stay root, without capabilities */
	struct mr_src *src;		/* kept: the engine's errors point in */
	uint8_t dialect;
};

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

/* IF=ADDR/LEN */
static int parse_if(struct eng_live_if *li, const char *arg)
{
	const char *eq = strchr(arg, '=');
	char addr[INET_ADDRSTRLEN], *slash, *end;
	long plen;

	if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof(li->name) ||
	    strlen(eq + 1) >= sizeof(addr))
		return -1;
	memcpy(li->name, arg, (size_t)(eq - arg));
	li->name[eq - arg] = '\0';
	strcpy(addr, eq + 1);
	slash = strchr(addr, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	plen = strtol(slash + 1, &end, 10);
	if (*end || end == slash + 1 || plen < 1 || plen > 30)
		return -1;
	li->plen = (uint8_t)plen;
	return inet_pton(AF_INET, addr, &li->addr) == 1 ? 0 : -1;
}

static int bad_arg(const char *opt, const char *val)
{
	fprintf(stderr, PFX "bad %s `%s'\n", opt, val ? val : "");
	return -1;
}

static int parse_one(struct engine_args *a, const char *opt, const char *v)
{
	int d;

	if (!strcmp(opt, "--inside") || !strcmp(opt, "--outside")) {
		int i = opt[2] == 'o';

		if (parse_if(&a->cfg.ifs[i], v))
			return bad_arg(opt, v);
		a->have[i] = true;
	} else if (!strcmp(opt, "--gateway")) {
		if (inet_pton(AF_INET, v, &a->gw) != 1)
			return bad_arg(opt, v);
	} else if (!strcmp(opt, "--rules")) {
		a->rules = v;
	} else if (!strcmp(opt, "--socket")) {
		a->socket = v;
	} else if (!strcmp(opt, "--user")) {
		a->user = v;
	} else if (!strcmp(opt, "--dialect")) {
		d = ir_dialect_lookup(v);
		if (d < 0)
			return bad_arg(opt, v);
		a->dialect = (uint8_t)d;
	} else {
		fprintf(stderr, PFX "unknown option `%s'\n", opt);
		return -1;
	}
	return 0;
}

static bool same_net(const struct eng_live_if *f, uint32_t a)
{
	uint32_t m = htonl(~0u << (32 - f->plen));

	return !((a ^ f->addr) & m);
}

static int parse_args(struct engine_args *a, const struct cli_opts *o)
{
	int i;

	a->rules = o->file;
	a->dialect = o->dialect;
	a->socket = o->socket;		/* masqrule --socket PATH engine ... */
	for (i = 0; i < o->argc; i += 2) {
		if (i + 1 >= o->argc)
			return bad_arg(o->argv[i], NULL);
		if (parse_one(a, o->argv[i], o->argv[i + 1]))
			return -1;
	}
	if (!a->have[0] || !a->have[1]) {
		fputs("usage: masqrule engine --inside IF=ADDR/LEN "
		      "--outside IF=ADDR/LEN [--gateway ADDR]\n"
		      "                       [--rules FILE] [--dialect D] "
		      "[--socket PATH] [--user NAME]\n",
		      stderr);
		return -1;
	}
	if (a->gw && !same_net(&a->cfg.ifs[1], a->gw)) {
		fprintf(stderr, PFX "the gateway is not on the outside network\n");
		return -1;
	}
	a->cfg.ifs[1].gw = a->gw;
	a->cfg.nifs = 2;
	return 0;
}

/* The rules file as a model; NULL (reported) on any error. */
static struct mr_ruleset *read_rules(struct engine_args *a)
{
	struct mr_ruleset *rs;
	struct erec_list errs;

	if (!a->rules) {
		/* a 2.2 kernel at boot: empty chains, policies ACCEPT */
		rs = model_new();
		model_table(rs, MR_FAM_IP, MR_T_LEGACY);
		return rs;
	}
	a->src = src_from_file(a->rules);
	if (!a->src) {
		perror(a->rules);
		return NULL;
	}
	erec_init(&errs);
	rs = model_parse(a->src, a->dialect, true, &errs);
	report(&errs);
	erec_free(&errs);
	return rs;
}

static void print_stats(struct eng_live *l, struct ctl *ctl)
{
	const struct eng_stats *s = eng_stats(eng_live_engine(l));
	const struct eng_live_stats *ls = eng_live_stats(l);
	uint64_t served = 0, refused = 0;

	if (ctl)
		ctl_counts(ctl, &served, &refused);
	fprintf(stderr, PFX "rx %llu tx %llu dropped %llu masq new %llu "
		"out %llu in %llu unsolicited %llu ping %llu arp %llu/%llu "
		"failed %llu; ring drops %llu, too big %llu, tx errors %llu; "
		"csum partial in %llu out %llu, gso in %llu out %llu cut %llu; "
		"control %llu served, %llu refused\n",
		(unsigned long long)s->rx, (unsigned long long)s->tx,
		(unsigned long long)s->dropped,
		(unsigned long long)s->masq_new,
		(unsigned long long)s->masq_out,
		(unsigned long long)s->masq_in,
		(unsigned long long)s->unsolicited,
		(unsigned long long)s->echo_replies,
		(unsigned long long)s->arp_requests,
		(unsigned long long)s->arp_replies,
		(unsigned long long)s->arp_failed,
		(unsigned long long)ls->rx_ring_drops,
		(unsigned long long)ls->rx_big,
		(unsigned long long)ls->tx_errors,
		(unsigned long long)ls->rx_csum_partial,
		(unsigned long long)ls->tx_csum_partial,
		(unsigned long long)ls->rx_gso, (unsigned long long)ls->tx_gso,
		(unsigned long long)ls->gso_cut,
		(unsigned long long)served, (unsigned long long)refused);
}

static void set_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: wake epoll_wait */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static void serve_ctl(void *ctx)
{
	ctl_service(ctx);
}

/*
 * The control socket in the loop.  The default path taken by another
 * engine is a warning (one control socket per host, and tests run engines
 * side by side); a path the user named must work.
 */
static int open_ctl(struct engine_args *a, struct eng_live *l,
		    struct ctl **out, struct erec_list *errs)
{
	const char *path = a->socket ? a->socket : CTL_PATH;
	struct erec_list e;
	struct ctl *c;

	erec_init(&e);
	c = ctl_open(path, eng_live_engine(l), a->src, &e);
	if (c)
		a->src = NULL;		/* the control socket owns it now */
	if (c && eng_live_watch(l, ctl_fd(c), serve_ctl, c, &e)) {
		ctl_close(c);
		c = NULL;
	}
	if (!c && !a->socket) {
		erec_add(errs, EREC_WARNING, 0, NULL,
			 "no control socket: %s", e.head ? e.head->msg : "?");
		erec_free(&e);
		return 0;
	}
	erec_splice(errs, &e);
	erec_free(&e);
	*out = c;
	return c ? 0 : -1;
}

/* Everything opened: the control socket, then no privilege left. */
static int start(struct engine_args *a, struct eng_live *l, struct ctl **ctl,
		 struct erec_list *errs)
{
	if (open_ctl(a, l, ctl, errs))
		return -1;
	return eng_drop_privs(a->user, errs);
}

/* Open, load, run; the exit code. */
static int run(struct engine_args *a, struct mr_ruleset *rs)
{
	struct erec_list errs;
	struct ctl *ctl = NULL;
	struct eng_live *l;
	int rc = 1;

	erec_init(&errs);
	l = eng_live_open(&a->cfg, &errs);
	if (!l || eng_load(eng_live_engine(l), rs, &errs)) {
		model_free(rs);		/* refused or never offered */
		report(&errs);
		eng_live_close(l);
		erec_free(&errs);
		return 1;
	}
	if (start(a, l, &ctl, &errs)) {
		report(&errs);
		ctl_close(ctl);
		eng_live_close(l);
		erec_free(&errs);
		return 1;
	}
	report(&errs);			/* warnings */
	erec_free(&errs);
	erec_init(&errs);
	set_signals();
	fprintf(stderr, PFX "running on %s and %s\n", a->cfg.ifs[0].name,
		a->cfg.ifs[1].name);
	if (!eng_live_run(l, &stop_flag, &errs))
		rc = 0;
	report(&errs);
	print_stats(l, ctl);
	ctl_close(ctl);
	eng_live_close(l);
	erec_free(&errs);
	return rc;
}

int cmd_engine(const struct cli_opts *o)
{
	struct engine_args a;
	struct mr_ruleset *rs;
	int rc = 1;

	memset(&a, 0, sizeof(a));
	if (parse_args(&a, o))
		return 2;
	rs = read_rules(&a);
	if (rs)
		rc = run(&a, rs);
	if (a.src)
		src_free(a.src);
	return rc;
}
