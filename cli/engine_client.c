// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * masqrule --backend engine [--socket PATH] COMMAND... | restore | save:
 * what apply.c, restore.c and save.c do for the kernel, done to a running
 * userspace engine over its control socket (engine/ctl.h).  The engine's
 * ruleset is read as text with its generation, the user's commands are
 * applied to that model here (so errors point at the user's words), the
 * engine's own load checks run here too, and the whole new ruleset goes
 * back in one message: the engine swaps it atomically, or refuses it if
 * another client changed the ruleset in between (then we start over).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "ctl_client.h"
#include "list.h"
#include "list_masq.h"
#include "load.h"
#include "model.h"
#include "print.h"
#include "report.h"

#define TRIES 32		/* stale generations before giving up */

/* ------------------------------------------------------------------ */
/* The engine's model                                                  */

struct sess {
	struct ctl_client k;
	uint64_t gen;			/* of the model read */
	struct mr_src *esrc;		/* the engine's text: rs points in */
	struct mr_ruleset *rs;
	struct mr_src *sent;		/* the text sent: its errors point in */
	struct mr_buf out;		/* listings, printed once all went well */
	uint16_t set_flags;		/* CTL_F_* */
	uint16_t base_flags;		/* what every round starts with */
	bool changed;
	/* the user's part: apply the input to rs */
	int (*edit)(struct sess *s, struct erec_list *errs);
	const struct cli_opts *o;
	const struct mr_src *input;
	bool noflush;
	bool pf_seen;		/* model_restore_flush() */
};

static int get_model(struct sess *s, struct erec_list *errs)
{
	if (ctl_call(&s->k, CTL_GET, 0, 0, NULL, 0, errs))
		return -1;
	s->gen = s->k.h.gen;
	s->esrc = src_from_string("<engine>", s->k.data, s->k.len);
	s->rs = model_parse(s->esrc, MR_D_NATIVE, true, errs);
	return s->rs ? 0 : -1;
}

/* A refused SET: the engine's records, located in the text we sent. */
static void take_erecs(struct sess *s, struct erec_list *errs)
{
	const char *p = s->k.data, *end = s->k.data + s->k.len;
	struct ctl_erec w;
	struct mr_loc loc;

	while ((size_t)(end - p) >= sizeof(w)) {
		memcpy(&w, p, sizeof(w));
		p += sizeof(w);
		if ((size_t)(end - p) < w.msglen)
			break;
		memset(&loc, 0, sizeof(loc));
		if (w.line) {
			loc.src = s->sent;
			loc.line = w.line;
			loc.col = w.col;
			loc.len = w.len;
		}
		erec_add(errs, (enum erec_kind)w.kind, w.exit_code,
			 w.line ? &loc : NULL, "%.*s", (int)w.msglen, p);
		p += w.msglen;
	}
	if (!errs->nerrors)
		erec_add(errs, EREC_ERROR, MR_EXIT_OTHER, NULL,
			 "the engine refused the ruleset");
}

/* Send the model: 0 taken, 1 stale (read it again), -1 refused. */
static int put_model(struct sess *s, struct erec_list *errs)
{
	struct mr_buf b;
	int rc;

	buf_init(&b);
	print_ruleset_save(&b, s->rs, MR_PF_COUNTERS);
	s->sent = src_from_string("<engine>", b.s ? b.s : "", b.len);
	rc = ctl_call(&s->k, CTL_SET, s->set_flags, s->gen, b.s, b.len, errs);
	buf_free(&b);
	if (rc)
		return -1;
	if (s->k.h.op == CTL_STALE)
		return 1;
	if (s->k.h.op == CTL_OK)
		return 0;
	take_erecs(s, errs);
	return -1;
}

static void sess_reset(struct sess *s)
{
	model_free(s->rs);
	src_free(s->esrc);
	src_free(s->sent);
	s->rs = NULL;
	s->esrc = s->sent = NULL;
	buf_reset(&s->out);
	s->set_flags = s->base_flags;
	s->changed = false;
}

/* Read, edit, check, send: 0 done, 1 stale, -1 failed. */
static int one_round(struct sess *s, struct erec_list *errs)
{
	if (get_model(s, errs) || s->edit(s, errs))
		return -1;
	if (!s->changed)
		return 0;
	/* the engine's own checks, here: refusals point at the input */
	if (eng_check(s->rs, errs))
		return -1;
	return put_model(s, errs);
}

/* Clients that lost a race spread out before reading again. */
static void backoff(int round)
{
	struct timespec ts = { .tv_nsec = (long)(rand() % 1000 + 1) * 1000 *
					  (round < 8 ? round : 8) };

	nanosleep(&ts, NULL);
}

/*
 * Rounds until one is not stale.  *errs ends with the last round's
 * records; the messages may point into s's texts, so the caller reports
 * them before sess_free().
 */
static void run_rounds(struct sess *s, struct erec_list *errs)
{
	int i, rc = 1;

	buf_init(&s->out);
	srand((unsigned)getpid() ^ (unsigned)time(NULL));
	if (ctl_client_open(&s->k, s->o->socket ? s->o->socket : CTL_PATH, errs))
		return;
	for (i = 0; i < TRIES && rc == 1; i++) {
		if (i)
			backoff(i);
		erec_free(errs);
		erec_init(errs);
		sess_reset(s);
		rc = one_round(s, errs);
	}
	if (rc == 1)
		erec_add(errs, EREC_ERROR, MR_EXIT_RESOURCE, NULL,
			 "the engine's ruleset kept changing; tried %d times",
			 TRIES);
	if (!rc && s->out.len)
		fwrite(s->out.s, 1, s->out.len, stdout);
}

static void sess_free(struct sess *s)
{
	sess_reset(s);
	buf_free(&s->out);
	ctl_client_close(&s->k);
}

/* ------------------------------------------------------------------ */
/* Commands                                                            */

/* The engine's states by name; LISTEN (an expected entry) has none. */
static uint8_t tcp_state(const char *name)
{
	static const struct { const char *name; uint8_t st; } map[] = {
		{ "SYN_SENT", MASQ_TCP_SYN_SENT },
		{ "SYN_RECV", MASQ_TCP_SYN_RECV },
		{ "ESTABLISHED", MASQ_TCP_ESTABLISHED },
		{ "FIN_WAIT", MASQ_TCP_FIN_WAIT },
		{ "CLOSE_WAIT", MASQ_TCP_CLOSE_WAIT },
		{ "LAST_ACK", MASQ_TCP_LAST_ACK },
		{ "TIME_WAIT", MASQ_TCP_TIME_WAIT },
		{ "CLOSE", MASQ_TCP_CLOSE },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(name, map[i].name))
			return map[i].st;
	return MASQ_TCP_NONE;
}

static void to_entry(struct masq_entry *m, const struct ctl_masq *w)
{
	char state[sizeof(w->state) + 1];

	memcpy(state, w->state, sizeof(w->state));
	state[sizeof(w->state)] = '\0';
	memset(m, 0, sizeof(*m));
	m->proto = w->proto;
	m->tcp_state = tcp_state(state);
	m->expires = (w->expires_ms + 999) / 1000;
	m->in_addr = w->iaddr;
	m->masq_addr = w->aaddr;
	m->dst_addr = w->raddr;
	m->in_port = w->iport;
	m->masq_port = w->aport;
	m->dst_port = w->rport;
	m->init_seq = w->init_seq;
	m->delta = w->delta;
	m->prev_delta = w->prev_delta;
}

/* -M -L: the engine's masquerade table in the tool's layout. */
static int masq_cmd(struct sess *s, const struct mr_cmd *c,
		    struct erec_list *errs)
{
	struct ctl_masq w;
	struct masq_entry *v;
	size_t n, i;

	if (ctl_call(&s->k, CTL_MASQ, 0, 0, NULL, 0, errs))
		return -1;
	n = s->k.len / sizeof(w);
	v = calloc(n + 1, sizeof(*v));
	if (!v)
		return -1;
	for (i = 0; i < n; i++) {
		memcpy(&w, s->k.data + i * sizeof(w), sizeof(w));
		to_entry(&v[i], &w);
	}
	list_masq(&s->out, v, n, c->dialect, c->lflags);
	free(v);
	return 0;
}

static bool zeroes(const struct mr_cmd *c)
{
	return c->op == MR_OP_ZERO ||
	       (c->op == MR_OP_LIST && (c->lflags & MR_LF_ZERO));
}

static int one_cmd(struct sess *s, struct mr_cmd *c, struct erec_list *errs)
{
	if (model_cmd_refused(c)) {
		erec_add(errs, EREC_ERROR, MR_EXIT_OTHER, &c->loc,
			 "the userspace engine cannot do this yet (issue 4)");
		return -1;
	}
	if (c->op == MR_OP_MASQ_LIST)
		return masq_cmd(s, c, errs);
	if ((c->op == MR_OP_LIST || c->op == MR_OP_LIST_RULES ||
	     c->op == MR_OP_PORTFW_LIST) && list_command(&s->out, s->rs, c, errs))
		return -1;
	if (zeroes(c))
		s->set_flags |= CTL_F_COUNTERS;
	if (c->op == MR_OP_LIST && (c->lflags & MR_LF_ZERO)) {
		/* -L -Z: listed above, now zeroed */
		c->op = MR_OP_ZERO;
		c->rulenum = 0;
	}
	if (model_apply(s->rs, c, errs))
		return -1;
	s->changed |= model_cmd_changes(c);
	return 0;
}

/* The command line, parsed again each round (model_apply takes rules). */
static int edit_cmdline(struct sess *s, struct erec_list *errs)
{
	struct mr_cmd *cmds, *c;
	struct load ld;
	int rc = 0;

	cmds = load_cmds(&ld, s->o->dialect, s->input);
	if (ld.errs.nerrors)
		rc = -1;
	for (c = cmds; !rc && c; c = c->next)
		rc = one_cmd(s, c, &ld.errs);
	erec_splice(errs, &ld.errs);
	ir_cmd_list_free(cmds);
	load_destroy(&ld);
	return rc;
}

int cmd_engine_apply(const struct cli_opts *o)
{
	struct mr_src *src = src_from_argv(o->argc, o->argv);
	struct sess s = { .o = o, .input = src, .edit = edit_cmdline };
	struct erec_list errs;
	int rc;

	erec_init(&errs);
	run_rounds(&s, &errs);
	rc = report_cmdline(&errs, o->dialect);
	erec_free(&errs);
	sess_free(&s);
	src_free(src);
	return rc;
}

/* ------------------------------------------------------------------ */
/* restore and save                                                    */

static int restore_cmd(struct load *ld, struct mr_cmd *c)
{
	struct sess *s = ld->data;

	if (!s->noflush)
		model_restore_flush(s->rs, c, &s->pf_seen);
	if (c->has_counters)
		s->set_flags |= CTL_F_COUNTERS;
	model_apply(s->rs, c, &ld->errs);
	s->changed |= model_cmd_changes(c);
	ir_cmd_free(c);
	return 0;
}

/* The whole file on top of the engine's model: all of it or nothing. */
static int edit_restore(struct sess *s, struct erec_list *errs)
{
	struct load ld;
	int rc;

	s->pf_seen = false;	/* each retry starts again */
	load_init(&ld, s->o->dialect, true);
	ld.on_cmd = restore_cmd;
	ld.data = s;
	load_src(&ld, s->input);
	rc = ld.errs.nerrors ? -1 : 0;
	erec_splice(errs, &ld.errs);
	load_destroy(&ld);
	s->changed = true;	/* even an empty file replaces, as restore does */
	return rc;
}

static int restore_args(const struct cli_opts *o, struct sess *s,
			const char **file, uint16_t *flags)
{
	int i;

	for (i = 0; i < o->argc; i++) {
		const char *a = o->argv[i];

		if (!strcmp(a, "--noflush") || !strcmp(a, "-n"))
			s->noflush = true;
		else if (!strcmp(a, "--test") || !strcmp(a, "-t"))
			*flags |= CTL_F_TEST;
		else if (!strcmp(a, "-f") && i + 1 < o->argc)
			*file = o->argv[++i];
		else {
			fprintf(stderr, "masqrule restore: unknown option `%s'\n", a);
			return -1;
		}
	}
	return 0;
}

int cmd_engine_restore(const struct cli_opts *o)
{
	const char *file = o->file ? o->file : "-";
	struct sess s = { .o = o, .edit = edit_restore };
	struct erec_list errs;
	struct mr_src *src;
	int rc;

	if (restore_args(o, &s, &file, &s.base_flags))
		return 2;
	src = src_from_file(file);
	if (!src) {
		perror(file);
		return 1;
	}
	s.input = src;
	erec_init(&errs);
	run_rounds(&s, &errs);
	rc = report(&errs);
	erec_free(&errs);
	sess_free(&s);
	src_free(src);
	return rc;
}

static int edit_save(struct sess *s, struct erec_list *errs)
{
	(void)errs;
	print_ruleset_save(&s->out, s->rs, s->o->flags);
	return 0;
}

int cmd_engine_save(const struct cli_opts *o)
{
	struct sess s = { .o = o, .edit = edit_save };
	struct erec_list errs;
	int rc;

	erec_init(&errs);
	run_rounds(&s, &errs);
	rc = report(&errs);
	erec_free(&errs);
	sess_free(&s);
	return rc;
}
