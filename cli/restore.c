// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * masqrule restore [--noflush] [--test] [-f FILE]: an iptables-save file,
 * masqrule save output or a command file (stdin without -f) applied on
 * top of the kernel's model -- a table block replaces its table unless
 * --noflush, as iptables-restore does -- then installed in one batch.  An
 * error anywhere in the input changes nothing.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "backend.h"
#include "cli.h"
#include "helpers.h"
#include "kmodel.h"
#include "load.h"
#include "model.h"
#include "report.h"

struct rst {
	struct mr_ruleset *rs;
	bool noflush;
	bool pf_seen;			/* model_restore_flush() */
	uint8_t dialect;
	const struct mr_src *src;
	size_t map_len;			/* src->text is mapped; 0: heap */
	struct backend_skip skip;	/* the tables the input replaces */
};

/* ------------------------------------------------------------------ */
/* The input                                                           */

/*
 * A regular file is mapped, not copied: after each parse its pages are
 * given back (the page cache has them; an error message reads its line
 * again), so at 10,000 rules the batch is not built next to a private
 * copy of the 800 KB input.  Only from offset 0 (stdin may be a file
 * read partly), and not when the file ends on a page boundary (the NUL
 * after the text would be past the mapping).  Otherwise the text is read
 * and trimmed to its size.  As with a read, a file rewritten meanwhile
 * gives what it has then (one truncated under masqrule: SIGBUS).
 */
static struct mr_src *input_map(const char *file, size_t *map_len)
{
	bool is_stdin = !strcmp(file, "-");
	int fd = is_stdin ? 0 : open(file, O_RDONLY | O_CLOEXEC);
	long page = sysconf(_SC_PAGESIZE);
	struct mr_src *src = NULL;
	struct stat st;
	void *p;

	*map_len = 0;
	if (fd < 0)
		return NULL;
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    page > 0 && st.st_size % page && lseek(fd, 0, SEEK_CUR) == 0) {
		p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p != MAP_FAILED) {
			src = ir_alloc(sizeof(*src));
			src->name = ir_strdup(is_stdin ? "<stdin>" : file);
			src->text = p;
			src->len = (size_t)st.st_size;
			*map_len = src->len;
		}
	}
	if (!is_stdin)
		close(fd);
	return src;
}

static struct mr_src *input_open(const char *file, size_t *map_len)
{
	struct mr_src *src = input_map(file, map_len);
	char *t;

	if (src)
		return src;
	src = src_from_file(file);
	/* the read doubled its buffer: give back what is past the text */
	if (src && (t = realloc(src->text, src->len + 1)))
		src->text = t;
	return src;
}

/* The text was parsed: its pages go back until a message needs them. */
static void input_release(const struct rst *r)
{
	if (r->map_len)
		madvise(r->src->text, r->map_len, MADV_DONTNEED);
}

static void input_close(struct mr_src *src, size_t map_len)
{
	if (!map_len) {
		src_free(src);
		return;
	}
	munmap(src->text, map_len);
	free(src->name);
	free(src);
}

/* ------------------------------------------------------------------ */

static void restore_apply(struct rst *r, struct mr_cmd *c,
			  struct erec_list *errs)
{
	if (!r->noflush)
		model_restore_flush(r->rs, c, &r->pf_seen);
	if (!helper_kernel_refuse(c, errs))
		model_apply(r->rs, c, errs);
	ir_cmd_free(c);
}

static int restore_cmd(struct load *ld, struct mr_cmd *c)
{
	restore_apply(ld->data, c, &ld->errs);
	return 0;
}

/* Only the errors: the warnings of the input were given by the first
 * parse. */
static void splice_errors(struct erec_list *to, const struct erec_list *from)
{
	const struct erec *e;

	for (e = from->head; e; e = e->next)
		if (e->kind == EREC_ERROR)
			erec_add(to, e->kind, e->exit_code,
				 e->loc.src ? &e->loc : NULL, "%s", e->msg);
}

/*
 * kmodel_update()'s change: the input parsed again (parsing is cheap; the
 * commands kept from the first parse cost more memory than that) and
 * applied to the model just read (again, if another writer committed
 * meanwhile).
 */
static int restore_change(struct kmodel *km, void *arg,
			  struct erec_list *errs)
{
	struct rst *r = arg;
	unsigned nerr = errs->nerrors;
	struct load ld;

	r->rs = km->rs;
	r->pf_seen = false;
	load_init(&ld, r->dialect, true);
	ld.on_cmd = restore_cmd;
	ld.data = r;
	load_src(&ld, r->src);
	input_release(r);
	splice_errors(errs, &ld.errs);
	load_destroy(&ld);
	return errs->nerrors == nerr ? 1 : -1;
}

/* First parse: which tables the input replaces. */
static int scan_cmd(struct load *ld, struct mr_cmd *c)
{
	struct rst *r = ld->data;

	if (c->op == MR_OP_TABLE_BEGIN && c->table < MR_T_COUNT &&
	    !r->noflush)
		r->skip.table[c->family == MR_FAM_IP6][c->table] = true;
	ir_cmd_free(c);
	return 0;
}

/*
 * The input parsed before the kernel is read: its errors stop here, and
 * the tables it replaces need not be read back (at 50,000 rules the read
 * cost more than the restore).  0, or -1 with the errors in errs.
 */
static int scan_input(struct rst *r, struct erec_list *errs)
{
	struct load ld;
	int rc;

	load_init(&ld, r->dialect, true);
	ld.on_cmd = scan_cmd;
	ld.data = r;
	load_src(&ld, r->src);
	input_release(r);
	rc = ld.errs.nerrors ? -1 : 0;
	erec_splice(errs, &ld.errs);
	load_destroy(&ld);
	return rc;
}

static int restore_args(const struct cli_opts *o, struct rst *r,
			unsigned *flags, const char **file)
{
	int i;

	for (i = 0; i < o->argc; i++) {
		const char *a = o->argv[i];

		if (!strcmp(a, "--noflush") || !strcmp(a, "-n")) {
			r->noflush = true;
		} else if (!strcmp(a, "--test") || !strcmp(a, "-t")) {
			*flags |= BACKEND_F_TEST;
		} else if (!strcmp(a, "-f") && i + 1 < o->argc) {
			*file = o->argv[++i];
		} else {
			fprintf(stderr, "masqrule restore: unknown option `%s'\n", a);
			return -1;
		}
	}
	return 0;
}

int cmd_restore(const struct cli_opts *o)
{
	const char *file = o->file ? o->file : "-";
	struct rst r = { .dialect = o->dialect };
	struct erec_list errs;
	unsigned flags = 0;
	struct mr_src *src;
	struct kmodel km;
	int rc;

	if (restore_args(o, &r, &flags, &file))
		return 2;
	src = input_open(file, &r.map_len);
	if (!src) {
		perror(file);
		return 1;
	}
	r.src = src;
	erec_init(&errs);
	memset(&km, 0, sizeof(km));
	if (!scan_input(&r, &errs))
		kmodel_update(&km, &r.skip, restore_change, &r, flags, &errs);
	/* before kmodel_free: messages may point into the kernel's text */
	rc = report(&errs);
	kmodel_free(&km);
	erec_free(&errs);
	input_close(src, r.map_len);
	return rc;
}
