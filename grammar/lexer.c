// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The lexer: words from the scanner become tokens for the parser, read the
 * way each tool read its argv (GNU getopt_long: clusters of short options,
 * attached arguments, abbreviated long options, "--opt=value", options and
 * words interleaved).  The arity of each option comes from the option
 * tables; for iptables-like dialects -m, -j and -p load the option tables
 * of the extensions they name, as iptables does.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "eval.h"
#include "lexer.h"
#include "parser.h"
#include "services.h"
#include "xt.h"

struct tool_name {
	const char *name;
	uint8_t dialect;
	uint8_t family;
};

static const struct tool_name tools[] = {
	{ "masqrule", MR_D_NATIVE, MR_FAM_IP },
	{ "iptables", MR_D_IPTABLES, MR_FAM_IP },
	{ "iptables-legacy", MR_D_IPTABLES, MR_FAM_IP },
	{ "iptables-nft", MR_D_IPTABLES, MR_FAM_IP },
	{ "ip6tables", MR_D_IP6TABLES, MR_FAM_IP6 },
	{ "ip6tables-legacy", MR_D_IP6TABLES, MR_FAM_IP6 },
	{ "ip6tables-nft", MR_D_IP6TABLES, MR_FAM_IP6 },
	{ "ipchains", MR_D_IPCHAINS, MR_FAM_IP },
	{ "ipfwadm", MR_D_IPFWADM, MR_FAM_IP },
	{ "ipfwadm-wrapper", MR_D_IPFWADM, MR_FAM_IP },
	{ "ipmasqadm", MR_D_IPMASQADM, MR_FAM_IP },
	{ "ipportfw", MR_D_IPPORTFW, MR_FAM_IP },
	{ "modprobe", MR_D_MODULE, MR_FAM_IP },
	{ "insmod", MR_D_MODULE, MR_FAM_IP },
	{ "rmmod", MR_D_MODULE, MR_FAM_IP },
	{ "depmod", MR_D_MODULE, MR_FAM_IP },
	{ "lsmod", MR_D_MODULE, MR_FAM_IP },
};

int parse_tool_dialect(const char *word, uint8_t *family)
{
	const char *base;
	size_t i;

	if (word[0] == '-')
		return -1;	/* the common case in save files */
	base = strrchr(word, '/');
	base = base ? base + 1 : word;
	for (i = 0; i < sizeof(tools) / sizeof(tools[0]); i++) {
		if (!strcmp(base, tools[i].name)) {
			*family = tools[i].family;
			return tools[i].dialect;
		}
	}
	return -1;
}

static void line_reset(struct lexer *lx)
{
	lx->line_start = lx->po->file;
	lx->cl_word = NULL;
	lx->dialect = lx->po->dialect;
	lx->family = lx->po->family;
	lx->opts = dialect_opts(lx->dialect);
	lx->opts_ended = false;
	lx->npositional = 0;
	lx->cur_def = NULL;
	lx->cur_xt = NULL;
	lx->need = lx->optional = 0;
	lx->variadic = false;
	lx->nmods = 0;
	lx->proto[0] = '\0';
	lx->failed = false;
}

void lexer_init(struct lexer *lx, const struct mr_src *src,
		const struct parse_opts *po, struct erec_list *errs)
{
	memset(lx, 0, sizeof(*lx));
	lx->src = src;
	lx->po = po;
	lx->errs = errs;
	arena_init(&lx->arena);
	scan_init(&lx->sc, src->text, src->len);
	scan_set_arena(&lx->sc, &lx->arena);
	line_reset(lx);
}

void lexer_destroy(struct lexer *lx)
{
	scan_destroy(&lx->sc);
	arena_free(&lx->arena);
}

/*
 * Called when the parser has handed a line to its caller.  Tokens already
 * made from the next line (none: the parser reduces a line on its NL
 * without looking further) would still need the arena: it is then kept
 * until the next line ends.
 */
void lexer_line_done(struct lexer *lx)
{
	unsigned i;

	if (lx->have_peek && lx->peek_word)
		return;
	for (i = 0; i < lx->qlen; i++)
		if (lx->q[(lx->qhead + i) % LEX_RING].text)
			return;
	arena_reset(&lx->arena);
}

/* The next scanner token, with the word and its location. */
static int read_word(struct lexer *lx, char **word, struct mr_loc *loc)
{
	int t;

	if (lx->have_peek) {
		lx->have_peek = false;
		*word = lx->peek_word;
		*loc = lx->peek_loc;
		lx->peek_word = NULL;
		return lx->peek_type;
	}
	t = scan_next(&lx->sc);
	loc->src = lx->src;
	loc->line = lx->sc.tok_line;
	loc->col = (uint16_t)(lx->sc.tok_col > 65535 ? 65535 : lx->sc.tok_col);
	loc->len = 1;
	*word = NULL;
	if (t == SCAN_WORD) {
		*word = lx->sc.word;
		loc->len = (uint16_t)(lx->sc.word_srclen > 65535 ?
				      65535 : lx->sc.word_srclen);
	}
	return t;
}

/* Look at the next word without taking it; NULL if the line ends. */
static const char *peek_word(struct lexer *lx)
{
	if (!lx->have_peek) {
		lx->peek_type = read_word(lx, &lx->peek_word, &lx->peek_loc);
		lx->have_peek = true;
	}
	return lx->peek_type == SCAN_WORD ? lx->peek_word : NULL;
}

static void push(struct lexer *lx, int type, char *text,
		 const struct mr_loc *loc, const struct mr_optdef *def,
		 const struct mr_xt *xt)
{
	struct lex_tok *t = &lx->q[(lx->qhead + lx->qlen) % LEX_RING];

	t->type = type;
	t->text = text;
	t->loc = *loc;
	t->def = def;
	t->xt = xt;
	lx->qlen++;
}

static void fail(struct lexer *lx, const struct mr_loc *loc, const char *fmt,
		 const char *arg)
{
	if (!lx->failed)
		erec_param(lx->errs, loc, fmt, arg);
	lx->failed = true;
}

static bool iptables_like(const struct lexer *lx)
{
	return dialect_style(lx->dialect) == MR_STYLE_MODULES;
}

static void load_module(struct lexer *lx, const struct mr_xt *xt)
{
	unsigned i;

	for (i = 0; i < lx->nmods; i++)
		if (lx->mods[i] == xt)
			return;
	if (xt && lx->nmods < LEX_MAX_MODS)
		lx->mods[lx->nmods++] = xt;
}

/* The match iptables loads for "-p NAME" when one of its options appears. */
static const struct mr_xt *proto_lookup(const struct lexer *lx)
{
	const char *name = lx->proto;
	const char *canon;
	int num;

	if (!*name)
		return NULL;
	num = proto_number(name);
	if (num > 0 && (canon = proto_name((uint8_t)num)))
		name = canon;
	if (!strcmp(name, "ipv6-icmp") || !strcmp(name, "icmpv6"))
		name = "icmp6";
	return xt_find(name, false, lx->family);
}

/* Asked for every long option: looked up again only when the protocol or
 * the family differs from the last time's. */
static const struct mr_xt *proto_match(struct lexer *lx)
{
	if (!lx->proto_known || lx->proto_fam != lx->family ||
	    strcmp(lx->proto_key, lx->proto)) {
		lx->proto_xt = proto_lookup(lx);
		lx->proto_fam = lx->family;
		memcpy(lx->proto_key, lx->proto, sizeof(lx->proto_key));
		lx->proto_known = true;
	}
	return lx->proto_xt;
}

/* Side effects of an option's first argument: -m, -j, -p load tables. */
static void first_arg(struct lexer *lx, const char *text)
{
	const struct mr_optdef *d = lx->cur_def;

	if (!d || !iptables_like(lx))
		return;
	if (d->flags & MR_OF_LOADMATCH)
		load_module(lx, xt_find(text, false, lx->family));
	else if (d->flags & MR_OF_LOADTARGET)
		load_module(lx, xt_find(text, true, lx->family));
	else if (d->flags & MR_OF_PROTO) {
		size_t i;

		for (i = 0; text[i] && i + 1 < sizeof(lx->proto); i++)
			lx->proto[i] = (char)tolower((unsigned char)text[i]);
		lx->proto[i] = '\0';
	}
}

static void start_args(struct lexer *lx, const struct mr_optdef *d,
		       const struct mr_xt *xt, const struct mr_loc *loc)
{
	static const uint8_t need[] = {
		[MR_A0] = 0, [MR_A1] = 1, [MR_A2] = 2, [MR_A3] = 3,
		[MR_AQ] = 0, [MR_A1Q] = 1, [MR_AQQ] = 0, [MR_AV] = 1,
	};
	static const uint8_t optional[] = {
		[MR_AQ] = 1, [MR_A1Q] = 1, [MR_AQQ] = 2,
	};

	lx->cur_def = d;
	lx->cur_xt = xt;
	lx->cur_loc = *loc;
	lx->argi = 0;
	lx->need = need[d->arity];
	lx->optional = d->arity < sizeof(optional) ? optional[d->arity] : 0;
	lx->variadic = d->arity == MR_AV;
	if (d->flags & MR_OF_FAMILY)
		lx->family = d->id == 6 ? MR_FAM_IP6 : MR_FAM_IP;
}

/* An argument word of the current option (in the line's arena). */
static void take_arg(struct lexer *lx, char *word, const struct mr_loc *loc)
{
	if (lx->need)
		lx->need--;
	else if (lx->optional)
		lx->optional--;
	if (lx->argi++ == 0)
		first_arg(lx, word);
	push(lx, ARG, word, loc, NULL, NULL);
}

/* The tables a long option is looked up in, in order (iptables: the
 * line's own, then the loaded extensions, latest first). */
static unsigned long_tables(struct lexer *lx, const struct mr_optdef **tabs,
			    const struct mr_xt **xts)
{
	unsigned n = 0;
	int i;

	tabs[n] = lx->opts;
	xts[n++] = NULL;
	if (!iptables_like(lx))
		return n;
	for (i = (int)lx->nmods - 1; i >= 0; i--) {
		tabs[n] = lx->mods[i]->opts;
		xts[n++] = lx->mods[i];
	}
	return n;
}

/* Find a long option: exact names first in every table, then unique
 * abbreviations; the protocol's match loads when one of its options
 * appears (-p tcp --dport 22). */
static const struct mr_optdef *find_long(struct lexer *lx, const char *name,
					 size_t len, const struct mr_xt **xt,
					 bool *ambiguous)
{
	const struct mr_optdef *tabs[LEX_MAX_MODS + 2], *d;
	const struct mr_xt *xts[LEX_MAX_MODS + 2], *pm;
	unsigned n = long_tables(lx, tabs, xts), i;

	*ambiguous = false;
	pm = iptables_like(lx) ? proto_match(lx) : NULL;
	if (pm) {
		for (i = 1; i < n && xts[i] != pm; i++)
			;
		if (i == n) {
			tabs[n] = pm->opts;
			xts[n++] = pm;
		}
	}
	for (i = 0; i < n; i++) {
		if ((d = opt_find_exact(tabs[i], name, len)))
			goto found;
	}
	for (i = 0; i < n; i++) {
		d = opt_find_prefix(tabs[i], name, len, ambiguous);
		if (*ambiguous)
			return NULL;
		if (d)
			goto found;
	}
	return NULL;
found:
	*xt = xts[i];
	if (xts[i] == pm && pm)
		load_module(lx, pm);
	return d;
}

static void long_option(struct lexer *lx, char *word, const struct mr_loc *loc)
{
	const char *name = word + 2, *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	const struct mr_optdef *d;
	const struct mr_xt *xt;
	struct mr_loc aloc;
	bool amb;

	d = find_long(lx, name, len, &xt, &amb);
	if (!d) {
		fail(lx, loc, amb ? "option \"%s\" is ambiguous" :
			  "unknown option \"%s\"", word);
		return;
	}
	push(lx, OPT, NULL, loc, d, xt);
	start_args(lx, d, xt, loc);
	if (eq) {
		if (d->arity == MR_A0) {
			fail(lx, loc, "option \"%s\" takes no argument", word);
		} else {
			aloc = *loc;
			aloc.col = (uint16_t)(aloc.col + (eq + 1 - word));
			aloc.len = (uint16_t)strlen(eq + 1);
			/* the word's tail: it lives as long as the word */
			take_arg(lx, (char *)eq + 1, &aloc);
		}
	}
}

/*
 * Letters of a short-option cluster (-nvL), a few tokens at a time: a
 * long cluster goes on at the next call (cl_word) so the token ring never
 * overflows.  The word lives in the line's arena until the line ends.
 */
static void cluster_step(struct lexer *lx)
{
	const char *word = lx->cl_word;
	size_t i = lx->cl_pos, n = strlen(word);
	const struct mr_optdef *d;
	struct mr_loc l = lx->cl_loc;
	char bad[2] = "";

	lx->cl_word = NULL;
	for (; i < n; i++) {
		l.col = (uint16_t)(lx->cl_loc.col + i);
		l.len = 1;
		d = opt_find_short(lx->opts, word[i]);
		if (!d) {
			bad[0] = word[i];
			fail(lx, &l, "invalid option -- '%s'", bad);
			return;
		}
		push(lx, OPT, NULL, &l, d, NULL);
		start_args(lx, d, NULL, &l);
		if (d->arity != MR_A0 && i + 1 < n) {
			/* the rest of the word is the argument (-tnat) */
			l.col++;
			l.len = (uint16_t)(n - i - 1);
			take_arg(lx, (char *)word + i + 1, &l);
			return;
		}
		if (lx->qlen >= LEX_BURST - 1 && i + 1 < n) {
			lx->cl_word = word;
			lx->cl_pos = i + 1;
			return;
		}
	}
}

static void short_cluster(struct lexer *lx, char *word,
			  const struct mr_loc *loc)
{
	lx->cl_word = word;
	lx->cl_pos = 1;
	lx->cl_loc = *loc;
	cluster_step(lx);
}

static void positional(struct lexer *lx, char *word, const struct mr_loc *loc)
{
	const struct mr_optdef *sub;

	if (lx->npositional++ == 0 &&
	    (sub = dialect_sub_opts(lx->dialect, word)))
		lx->opts = sub;
	push(lx, WORD, word, loc, NULL, NULL);
}

static bool is_counters(const char *w)
{
	size_t n = strlen(w);

	return n >= 5 && w[0] == '[' && w[n - 1] == ']' && strchr(w, ':');
}

/* The first word of a line of a file: structure or tool name. */
static bool line_word(struct lexer *lx, char *word, const struct mr_loc *loc)
{
	uint8_t fam;
	int d;

	lx->line_start = false;
	if (word[0] == '*' && word[1]) {
		push(lx, TABLEHDR, word, loc, NULL, NULL);
	} else if (word[0] == ':' && word[1]) {
		push(lx, CHAINDECL, word, loc, NULL, NULL);
	} else if (!strcmp(word, "COMMIT")) {
		push(lx, COMMIT, word, loc, NULL, NULL);
	} else if (is_counters(word)) {
		lx->line_start = true;	/* a rule follows */
		push(lx, COUNTERS, word, loc, NULL, NULL);
	} else if ((d = parse_tool_dialect(word, &fam)) >= 0) {
		lx->dialect = (uint8_t)d;
		lx->family = fam;
		lx->opts = dialect_opts(lx->dialect);
		push(lx, TOOL, word, loc, NULL, NULL);
	} else {
		return false;
	}
	if (lx->q[(lx->qhead + lx->qlen - 1) % LEX_RING].type != TOOL &&
	    lx->q[(lx->qhead + lx->qlen - 1) % LEX_RING].type != COUNTERS)
		lx->opts_ended = true;	/* header lines: plain words */
	return true;
}

/* '!' while arguments may follow: negates the argument or the next option. */
static void bang(struct lexer *lx, char *word, const struct mr_loc *loc)
{
	const char *next;

	if (lx->need) {
		push(lx, ARGBANG, word, loc, NULL, NULL);
		return;
	}
	if (lx->optional || lx->variadic) {
		next = peek_word(lx);
		if (next && next[0] != '-') {
			push(lx, ARGBANG, word, loc, NULL, NULL);
			return;
		}
		lx->optional = 0;
		lx->variadic = false;
	}
	push(lx, BANG, word, loc, NULL, NULL);
}

static void classify(struct lexer *lx, char *word, const struct mr_loc *loc)
{
	if (lx->line_start && line_word(lx, word, loc))
		return;
	lx->line_start = false;
	if (lx->opts_ended && !lx->need) {
		push(lx, WORD, word, loc, NULL, NULL);
		return;
	}
	if (!strcmp(word, "!")) {
		bang(lx, word, loc);
		return;
	}
	if (lx->need) {
		take_arg(lx, word, loc);
		return;
	}
	if ((lx->optional || lx->variadic) && word[0] != '-') {
		take_arg(lx, word, loc);
		return;
	}
	lx->optional = 0;
	lx->variadic = false;
	if (!strcmp(word, "--")) {
		lx->opts_ended = true;
	} else if (word[0] == '-' && word[1] == '-') {
		long_option(lx, word, loc);
	} else if (word[0] == '-' && word[1]) {
		short_cluster(lx, word, loc);
	} else {
		positional(lx, word, loc);
	}
}

/* End of a line: a missing argument is an error. */
static void line_end(struct lexer *lx)
{
	char buf[64];
	struct mr_popt o;

	if (lx->need && lx->cur_def) {
		o.def = lx->cur_def;
		fail(lx, &lx->cur_loc, "option \"%s\" requires an argument",
		     opt_display(&o, buf, sizeof(buf)));
	}
}

/* One scanner token's worth of work: a word's tokens or a line's end. */
static void lex_step(struct lexer *lx)
{
	struct mr_loc loc;
	char *word;
	int t;

	if (lx->cl_word) {
		cluster_step(lx);
		return;
	}
	t = read_word(lx, &word, &loc);
	if (t == SCAN_WORD && lx->failed)
		return;		/* rest of a bad line */
	switch (t) {
	case SCAN_WORD:
		classify(lx, word, &loc);
		break;
	case SCAN_BADQUOTE:
		fail(lx, &loc, "unterminated quote%s", "");
		break;
	case SCAN_NL:
	case SCAN_EOF:
		line_end(lx);
		push(lx, lx->failed ? BADNL : NL, NULL, &loc, NULL, NULL);
		lx->q[(lx->qhead + lx->qlen - 1) % LEX_RING].dialect =
			lx->dialect;
		lx->q[(lx->qhead + lx->qlen - 1) % LEX_RING].family =
			lx->family;
		line_reset(lx);
		if (t == SCAN_EOF)
			push(lx, END, NULL, &loc, NULL, NULL);
		break;
	}
}

static struct lex_tok *pop(struct lexer *lx)
{
	struct lex_tok *tok = &lx->q[lx->qhead];

	lx->qhead = (lx->qhead + 1) % LEX_RING;
	lx->qlen--;
	return tok;
}

struct lex_tok *lexer_next(struct lexer *lx)
{
	struct lex_tok *tok, *next;

	while (!lx->qlen)
		lex_step(lx);
	tok = pop(lx);
	if (tok->type != OPT)
		return tok;
	/*
	 * An option goes to the parser with its first argument as one token
	 * (OPTARG): one parser step less per option.  That argument's word is
	 * read now instead of at the next call.  The parser never stops at an
	 * option (a bad line stops at a '!', a tool word or a line's end), so
	 * errors are queued in the same order as without the merge.
	 */
	if (!lx->qlen && lx->need && !lx->failed)
		lex_step(lx);
	if (lx->qlen && (next = &lx->q[lx->qhead])->type == ARG) {
		pop(lx);
		tok->type = OPTARG;
		tok->arg = next;
	}
	return tok;
}
