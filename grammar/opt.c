// SPDX-License-Identifier: GPL-2.0-or-later
/* Option table look-ups and the parser's output records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "opt.h"

static bool name_is(const char *lname, const char *name, size_t len)
{
	return lname[0] == name[0] && !strncmp(lname, name, len) &&
	       lname[len] == '\0';
}

static const struct mr_optdef *find_exact_slow(const struct mr_optdef *tab,
					       const char *name, size_t len)
{
	const struct mr_optdef *d;

	for (d = tab; d->lname || d->sname; d++)
		if (d->lname && name_is(d->lname, name, len))
			return d;
	return NULL;
}

/*
 * The lexer looks every option word up, in tables of up to fifty names,
 * a few times per word (the line's table, then each loaded extension's).
 * The tables are constant: answers, NULL ones too, are remembered in a
 * small cache keyed by table and name.
 */
#define EXACT_CACHE	64
#define EXACT_NAME	24

struct exact_entry {
	const struct mr_optdef *tab;	/* NULL: unused */
	const struct mr_optdef *d;
	uint8_t len;
	char name[EXACT_NAME];
};

static unsigned exact_hash(const struct mr_optdef *tab, const char *name,
			   size_t len)
{
	uintptr_t h = (uintptr_t)tab >> 4;

	h = h * 31 + len;
	h = h * 31 + (unsigned char)name[0];
	h = h * 31 + (unsigned char)name[len - 1];
	h ^= h >> 7;
	return (unsigned)(h % EXACT_CACHE);
}

const struct mr_optdef *opt_find_exact(const struct mr_optdef *tab,
				       const char *name, size_t len)
{
	static struct exact_entry cache[EXACT_CACHE];
	struct exact_entry *e;

	if (!tab || !len)
		return NULL;
	if (len >= EXACT_NAME)
		return find_exact_slow(tab, name, len);
	e = &cache[exact_hash(tab, name, len)];
	if (e->tab == tab && e->len == len && !memcmp(e->name, name, len))
		return e->d;
	e->d = find_exact_slow(tab, name, len);
	e->tab = tab;
	e->len = (uint8_t)len;
	memcpy(e->name, name, len);
	return e->d;
}

const struct mr_optdef *opt_find_prefix(const struct mr_optdef *tab,
					const char *name, size_t len,
					bool *ambiguous)
{
	const struct mr_optdef *d, *found = NULL;

	*ambiguous = false;
	if (!tab || !len)
		return NULL;
	for (d = tab; d->lname || d->sname; d++) {
		if (!d->lname || (d->flags & MR_OF_NOABBREV) ||
		    d->lname[0] != name[0] || strncmp(d->lname, name, len))
			continue;
		/* two names for one option are no ambiguity */
		if (found && found->id != d->id) {
			*ambiguous = true;
			return NULL;
		}
		found = d;
	}
	return found;
}

const struct mr_optdef *opt_find_long(const struct mr_optdef *tab,
				      const char *name, size_t len,
				      bool *ambiguous)
{
	const struct mr_optdef *d = opt_find_exact(tab, name, len);

	*ambiguous = false;
	return d ? d : opt_find_prefix(tab, name, len, ambiguous);
}

static const struct mr_optdef *find_short_slow(const struct mr_optdef *tab,
					       char c)
{
	const struct mr_optdef *d;

	for (d = tab; d->lname || d->sname; d++)
		if (d->sname == c)
			return d;
	return NULL;
}

/* Short letters: the same kind of cache, keyed by table and letter. */
#define SHORT_CACHE	64

struct short_entry {
	const struct mr_optdef *tab;	/* NULL: unused */
	const struct mr_optdef *d;
	char c;
};

const struct mr_optdef *opt_find_short(const struct mr_optdef *tab, char c)
{
	static struct short_entry cache[SHORT_CACHE];
	struct short_entry *e;
	uintptr_t h;

	if (!tab)
		return NULL;
	h = ((uintptr_t)tab >> 4) * 31 + (unsigned char)c;
	e = &cache[(h ^ (h >> 7)) % SHORT_CACHE];
	if (e->tab == tab && e->c == c)
		return e->d;
	e->d = find_short_slow(tab, c);
	e->tab = tab;
	e->c = c;
	return e->d;
}

const char *opt_display(const struct mr_popt *o, char *buf, size_t len)
{
	if (!o->def)
		snprintf(buf, len, "%s", o->args[0].text);
	else if (o->def->lname && !o->def->sname)
		snprintf(buf, len, "--%s", o->def->lname);
	else
		snprintf(buf, len, "-%c", o->def->sname);
	return buf;
}

void popt_free(struct mr_popt *o)
{
	unsigned i;

	for (i = 0; i < o->nargs; i++)
		free(o->args[i].text);
	if (o->args != o->args_in)
		free(o->args);
	free(o);
}

void pcmd_free(struct mr_pcmd *p)
{
	struct mr_popt *o, *next;

	if (!p)
		return;
	for (o = p->opts; o; o = next) {
		next = o->next;
		popt_free(o);
	}
	free(p->tool.text);
	free(p->name.text);
	free(p->policy.text);
	free(p);
}

void pcmd_list_free(struct mr_pcmd *p)
{
	struct mr_pcmd *next;

	for (; p; p = next) {
		next = p->next;
		pcmd_free(p);
	}
}
