/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The sctp match: ports and chunk types (with chunk flag tests). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xt_ext.h"

enum { O_SPORT = MR_SCTP_SPORT, O_DPORT = MR_SCTP_DPORT, O_CHUNKS = MR_SCTP_CHUNKS };

static const struct mr_optdef sctp_opts[] = {
	{ "source-port", 0, MR_A1, MR_OF_INV, O_SPORT },
	{ "sport", 0, MR_A1, MR_OF_INV, O_SPORT },
	{ "destination-port", 0, MR_A1, MR_OF_INV, O_DPORT },
	{ "dport", 0, MR_A1, MR_OF_INV, O_DPORT },
	{ "chunk-types", 0, MR_A2, MR_OF_INV, O_CHUNKS },
	{ 0 },
};

struct sctp_chunk {
	const char *name;	/* iptables */
	const char *nft;
	uint8_t type;
	const char *flags;	/* flag letters, highest bit first */
};

/* iptables' table order, which nft output follows */
static const struct sctp_chunk sctp_chunks[] = {
	{ "DATA", "data", 0, "IUBE" },
	{ "INIT", "init", 1, NULL },
	{ "INIT_ACK", "init-ack", 2, NULL },
	{ "SACK", "sack", 3, NULL },
	{ "HEARTBEAT", "heartbeat", 4, NULL },
	{ "HEARTBEAT_ACK", "heartbeat-ack", 5, NULL },
	{ "ABORT", "abort", 6, "T" },
	{ "SHUTDOWN", "shutdown", 7, NULL },
	{ "SHUTDOWN_ACK", "shutdown-ack", 8, NULL },
	{ "ERROR", "error", 9, NULL },
	{ "COOKIE_ECHO", "cookie-echo", 10, NULL },
	{ "COOKIE_ACK", "cookie-ack", 11, NULL },
	{ "ECN_ECNE", "ecne", 12, NULL },
	{ "ECN_CWR", "cwr", 13, NULL },
	{ "SHUTDOWN_COMPLETE", "shutdown-complete", 14, "T" },
	{ "I_DATA", "i-data", 64, NULL },
	{ "RE_CONFIG", "re-config", 130, NULL },
	{ "PAD", "pad", 132, NULL },
	{ "ASCONF", "asconf", 193, NULL },
	{ "ASCONF_ACK", "asconf-ack", 128, NULL },
	{ "FORWARD_TSN", "forward-tsn", 192, NULL },
	{ "I_FORWARD_TSN", "i-forward-tsn", 194, NULL },
	{ NULL, NULL, 0, NULL },
};

static const char *const sctp_match_names[] = { "any", "all", "only", NULL };

static const struct sctp_chunk *sctp_chunk_by_type(unsigned type)
{
	for (const struct sctp_chunk *c = sctp_chunks; c->name; c++)
		if (c->type == type)
			return c;
	return NULL;
}

static bool sctp_has(const struct mr_m_sctp *d, unsigned type)
{
	return d->chunks[type / 32] & (1u << (type % 32));
}

static struct mr_sctp_flag *sctp_flag_of(struct mr_m_sctp *d, uint8_t type,
					 bool add)
{
	for (unsigned i = 0; i < d->nflags; i++)
		if (d->flags[i].type == type)
			return &d->flags[i];
	if (!add || d->nflags >= MR_SCTP_MAX_FLAGS)
		return NULL;
	d->flags[d->nflags].type = type;
	return &d->flags[d->nflags++];
}

/* ":iUbE": upper case = flag set, lower case = flag clear */
static int sctp_flags(struct mr_xctx *x, const struct mr_word *w,
		      struct mr_m_sctp *d, const struct sctp_chunk *c,
		      const char *letters)
{
	struct mr_sctp_flag *f;

	if (!c->flags)
		return erec_param(x->errs, &w->loc, "Invalid flags for chunk type %u",
				  c->type);
	f = sctp_flag_of(d, c->type, true);
	if (!f)
		return erec_param(x->errs, &w->loc,
				  "Number of chunk types with flags exceeds currently allowed limit");
	for (const char *l = letters; *l; l++) {
		const char *p = strchr(c->flags, *l & ~0x20);
		uint8_t bit;

		if (!p || (*l & ~0x20) < 'A' || (*l & ~0x20) > 'Z')
			return erec_param(x->errs, &w->loc, "Invalid flags for chunk type %u",
					  c->type);
		bit = (uint8_t)(1u << (strlen(c->flags) - 1 - (size_t)(p - c->flags)));
		/* a repeated chunk adds tests; lower case never clears a set bit */
		f->mask |= bit;
		if (*l >= 'A' && *l <= 'Z')
			f->value |= bit;
	}
	return 0;
}

static int sctp_chunk_item(struct mr_xctx *x, const struct mr_word *w,
			   struct mr_m_sctp *d, char *item)
{
	char *colon = strchr(item, ':');
	const struct sctp_chunk *c;

	if (colon)
		*colon = '\0';
	if (!strcasecmp(item, "ALL") || !strcasecmp(item, "NONE")) {
		memset(d->chunks, !strcasecmp(item, "ALL") ? 0xff : 0, sizeof(d->chunks));
		return 0;
	}
	for (c = sctp_chunks; c->name && strcasecmp(c->name, item); c++)
		;
	if (!c->name)
		return erec_param(x->errs, &w->loc, "Unknown sctp chunk `%s'", item);
	d->chunks[c->type / 32] |= 1u << (c->type % 32);
	return colon ? sctp_flags(x, w, d, c, colon + 1) : 0;
}

static int sctp_chunk_types(struct mr_xctx *x, const struct mr_popt *o,
			    struct mr_m_sctp *d)
{
	int how = xe_lookup(sctp_match_names, o->args[0].text);
	char *list, *save = NULL;
	int rc = 0;

	if (how < 0)
		return erec_param(x->errs, &o->args[0].loc,
				  "Match type has to be one of \"ALL\", \"ANY\" or \"ONLY\"");
	d->chunk_match = (uint8_t)how;
	list = ir_strdup(o->args[1].text);
	for (char *t = strtok_r(list, ",", &save); t && !rc; t = strtok_r(NULL, ",", &save))
		rc = sctp_chunk_item(x, &o->args[1], d, t);
	free(list);
	return rc;
}

static int sctp_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_m_sctp *d = MR_MDATA(x->match, struct mr_m_sctp);
	unsigned id = o->def->id;

	if (id == O_CHUNKS && (x->match->has & (1u << O_CHUNKS)))
		return erec_param(x->errs, &o->loc, "Only one `--chunk-types' allowed");
	if (xe_begin(x, o, "sctp", &x->match->has))
		return -1;
	if (id == O_CHUNKS) {
		if (sctp_chunk_types(x, o, d))
			return -1;
	} else if (xt_parse_port_range(x, &o->args[0], 132,
				       id == O_SPORT ? &d->sport : &d->dport)) {
		return -1;
	}
	if (popt_neg(o))
		x->match->inv |= MR_MINV(id);
	return 0;
}

static void sctp_save_port(struct mr_buf *b, const struct mr_match *m,
			   unsigned id, const struct mr_range16 *r)
{
	if (!(m->has & (1u << id)))
		return;
	xe_save_inv(b, m->inv & MR_MINV(id));
	buf_add(b, id == O_SPORT ? " --sport " : " --dport ");
	xt_save_range(b, r);
}

static void sctp_save_flags(struct mr_buf *b, const struct mr_m_sctp *d,
			    const struct sctp_chunk *c)
{
	const struct mr_sctp_flag *f = sctp_flag_of((struct mr_m_sctp *)d, c->type, false);
	size_t n;

	if (!f || !c->flags || !f->mask)
		return;
	n = strlen(c->flags);
	buf_addc(b, ':');
	for (size_t i = 0; i < n; i++) {
		uint8_t bit = (uint8_t)(1u << (n - 1 - i));

		if (f->mask & bit)
			buf_addc(b, (f->value & bit) ? c->flags[i] : (char)(c->flags[i] | 0x20));
	}
}

static void sctp_save_chunks(struct mr_buf *b, const struct mr_match *m)
{
	const struct mr_m_sctp *d = MR_MDATA(m, struct mr_m_sctp);
	bool all = true, none = true;
	char sep = ' ';

	for (unsigned i = 0; i < 8; i++) {
		all = all && d->chunks[i] == 0xffffffffu;
		none = none && d->chunks[i] == 0;
	}
	xe_save_inv(b, m->inv & MR_MINV(O_CHUNKS));
	buf_printf(b, " --chunk-types %s", sctp_match_names[d->chunk_match]);
	if (all || none) {
		buf_add(b, all ? " ALL" : " NONE");
		return;
	}
	/* by chunk number, as iptables-save walks the bitmap */
	for (unsigned t = 0; t < 256; t++) {
		const struct sctp_chunk *c = sctp_chunk_by_type(t);

		if (!sctp_has(d, t) || !c)
			continue;
		buf_printf(b, "%c%s", sep, c->name);
		sctp_save_flags(b, d, c);
		sep = ',';
	}
}

static void sctp_save(struct mr_buf *b, const struct mr_rule *r,
		      const struct mr_match *m)
{
	const struct mr_m_sctp *d = MR_MDATA(m, struct mr_m_sctp);

	sctp_save_port(b, m, O_SPORT, &d->sport);
	sctp_save_port(b, m, O_DPORT, &d->dport);
	if (m->has & (1u << O_CHUNKS))
		sctp_save_chunks(b, m);
}

static void sctp_xlate_port(struct mr_buf *b, const struct mr_match *m,
			    unsigned id, const struct mr_range16 *r)
{
	if (!(m->has & (1u << id)))
		return;
	buf_printf(b, "sctp %s %s", id == O_SPORT ? "sport" : "dport",
		   (m->inv & MR_MINV(id)) ? "!= " : "");
	xt_nft_range(b, r);
	buf_addc(b, ' ');
}

/* one chunk test; present says whether the chunk must be there */
static void sctp_xlate_chunk(struct mr_buf *b, const struct mr_m_sctp *d,
			     const struct sctp_chunk *c, bool present, bool inv)
{
	const struct mr_sctp_flag *f = sctp_flag_of((struct mr_m_sctp *)d, c->type, false);

	if (present && f && f->mask)
		buf_printf(b, "sctp chunk %s flags & 0x%x %s 0x%x ", c->nft, f->mask,
			   inv ? "!=" : "==", f->value);
	else
		buf_printf(b, "sctp chunk %s %s ", c->nft, present != inv ? "exists" : "missing");
}

/* "all" tests the listed chunks; "only" every known one; "any" has no nft form */
static bool sctp_xlate_chunks(struct mr_buf *b, const struct mr_match *m)
{
	const struct mr_m_sctp *d = MR_MDATA(m, struct mr_m_sctp);
	bool inv = m->inv & MR_MINV(O_CHUNKS);

	if (d->chunk_match == MR_SCTP_ANY)
		return false;
	for (const struct sctp_chunk *c = sctp_chunks; c->name; c++) {
		bool set = sctp_has(d, c->type);

		if (set || d->chunk_match == MR_SCTP_ONLY)
			sctp_xlate_chunk(b, d, c, set, inv);
	}
	return true;
}

/*
 * With nothing to test the match still needs SCTP (the rule's "-p sctp"
 * is left out when this match follows it): "meta l4proto sctp".
 */
static bool sctp_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_m_sctp *d = MR_MDATA(m, struct mr_m_sctp);
	size_t start = x->b->len;

	sctp_xlate_port(x->b, m, O_SPORT, &d->sport);
	sctp_xlate_port(x->b, m, O_DPORT, &d->dport);
	if ((m->has & (1u << O_CHUNKS)) && !sctp_xlate_chunks(x->b, m))
		return false;
	if (x->b->len == start)
		buf_add(x->b, "meta l4proto sctp ");
	return true;
}

const struct mr_xt xt_sctp = {
	.name = "sctp",
	.kind = MR_M_SCTP,
	.size = sizeof(struct mr_m_sctp),
	.opts = sctp_opts,
	.parse = sctp_parse,
	.save = sctp_save,
	.xlate = sctp_xlate,
};
