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

const struct mr_optdef *opt_find_exact(const struct mr_optdef *tab,
				       const char *name, size_t len)
{
	const struct mr_optdef *d;

	if (!tab || !len)
		return NULL;
	for (d = tab; d->lname || d->sname; d++)
		if (d->lname && name_is(d->lname, name, len))
			return d;
	return NULL;
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

const struct mr_optdef *opt_find_short(const struct mr_optdef *tab, char c)
{
	const struct mr_optdef *d;

	if (!tab)
		return NULL;
	for (d = tab; d->lname || d->sname; d++)
		if (d->sname == c)
			return d;
	return NULL;
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
