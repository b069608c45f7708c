// SPDX-License-Identifier: GPL-2.0-or-later
/* Error records: queued with their location, formatted with a caret line. */
#include <stdlib.h>
#include <string.h>
#include "erec.h"
#include "src.h"

void erec_init(struct erec_list *l)
{
	memset(l, 0, sizeof(*l));
	l->tail = &l->head;
}

void erec_free(struct erec_list *l)
{
	struct erec *e, *next;

	for (e = l->head; e; e = next) {
		next = e->next;
		free(e->msg);
		free(e);
	}
	erec_init(l);
}

static struct erec *erec_vadd(struct erec_list *l, enum erec_kind kind,
			      int exit_code, const struct mr_loc *loc,
			      const char *fmt, va_list ap)
{
	struct erec *e = ir_alloc(sizeof(*e));
	struct mr_buf b;

	buf_init(&b);
	buf_vprintf(&b, fmt, ap);
	e->msg = b.s;
	e->kind = kind;
	e->exit_code = exit_code;
	if (loc)
		e->loc = *loc;
	*l->tail = e;
	l->tail = &e->next;
	if (kind == EREC_ERROR) {
		if (!l->nerrors++)
			l->exit_code = exit_code;
	} else if (kind == EREC_WARNING) {
		l->nwarnings++;
	}
	return e;
}

struct erec *erec_add(struct erec_list *l, enum erec_kind kind, int exit_code,
		      const struct mr_loc *loc, const char *fmt, ...)
{
	struct erec *e;
	va_list ap;

	va_start(ap, fmt);
	e = erec_vadd(l, kind, exit_code, loc, fmt, ap);
	va_end(ap);
	return e;
}

int erec_param(struct erec_list *l, const struct mr_loc *loc,
	       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	erec_vadd(l, EREC_ERROR, MR_EXIT_PARAM, loc, fmt, ap);
	va_end(ap);
	return -1;
}

void erec_splice(struct erec_list *dst, struct erec_list *src)
{
	if (!src->head)
		return;
	if (!dst->nerrors && src->nerrors)
		dst->exit_code = src->exit_code;
	dst->nerrors += src->nerrors;
	dst->nwarnings += src->nwarnings;
	*dst->tail = src->head;
	dst->tail = src->tail;
	erec_init(src);
}

static const char *const kind_names[] = {
	[EREC_ERROR] = "error",
	[EREC_WARNING] = "warning",
	[EREC_NOTE] = "note",
};

void erec_format(struct mr_buf *b, const struct erec *e)
{
	const struct mr_loc *loc = &e->loc;
	const char *line;
	size_t len, i;

	if (!loc->src) {
		buf_printf(b, "%s: %s\n", kind_names[e->kind], e->msg);
		return;
	}
	buf_printf(b, "%s:%u:%u: %s: %s\n", loc->src->name, loc->line,
		   loc->col, kind_names[e->kind], e->msg);
	line = src_line(loc->src, loc->line, &len);
	if (!line)
		return;
	buf_addn(b, line, len);
	buf_addc(b, '\n');
	/* keep tabs so the caret lines up under the word */
	for (i = 0; i + 1 < loc->col && i < len; i++)
		buf_addc(b, line[i] == '\t' ? '\t' : ' ');
	buf_addc(b, '^');
	for (i = 1; i < loc->len; i++)
		buf_addc(b, '~');
	buf_addc(b, '\n');
}
