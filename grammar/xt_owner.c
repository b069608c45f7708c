/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The owner match: uid / gid of the local socket, or that one exists. */
#include <grp.h>
#include <pwd.h>
#include <string.h>

#include "xt_ext.h"

enum { O_UID = MR_OWN_UID, O_GID = MR_OWN_GID, O_SOCKET = MR_OWN_SOCKET,
       O_SUPPL = MR_OWN_SUPPL };

static const struct mr_optdef owner_opts[] = {
	{ "uid-owner", 0, MR_A1, MR_OF_INV, O_UID },
	{ "gid-owner", 0, MR_A1, MR_OF_INV, O_GID },
	{ "socket-exists", 0, MR_A0, MR_OF_INV, O_SOCKET },
	{ "suppl-groups", 0, MR_A0, 0, O_SUPPL },
	{ 0 },
};

/* (uid_t)-1 means "no id" to the kernel, so it cannot be matched */
#define OWNER_ID_MAX 4294967294u

/* A user or group name (looked up on this machine), "n" or "n-m". */
static bool owner_ids(const char *s, bool group, uint32_t *lo, uint32_t *hi)
{
	const char *dash;
	uint64_t a, b;

	if (*s < '0' || *s > '9') {
		if (group) {
			const struct group *g = getgrnam(s);

			if (!g)
				return false;
			*lo = *hi = (uint32_t)g->gr_gid;
		} else {
			const struct passwd *p = getpwnam(s);

			if (!p)
				return false;
			*lo = *hi = (uint32_t)p->pw_uid;
		}
		return true;
	}
	dash = strchr(s, '-');
	if (!dash) {
		if (!xe_strtou(s, OWNER_ID_MAX, &a))
			return false;
		b = a;
	} else {
		char num[24];
		size_t n = (size_t)(dash - s);

		if (n >= sizeof(num))
			return false;
		memcpy(num, s, n);
		num[n] = '\0';
		if (!xe_strtou(num, OWNER_ID_MAX, &a) ||
		    !xe_strtou(dash + 1, OWNER_ID_MAX, &b))
			return false;
	}
	*lo = (uint32_t)a;
	*hi = (uint32_t)b;
	return true;
}

static int owner_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	struct mr_m_owner *d = MR_MDATA(x->match, struct mr_m_owner);
	unsigned id = o->def->id;
	char n[32];

	if (xe_begin(x, o, "owner", &x->match->has))
		return -1;
	if (id == O_SUPPL) {
		if (!(x->match->has & (1u << O_GID)))
			return erec_param(x->errs, &o->loc,
					  "owner: Bad value for \"--suppl-groups\" option: \"you need to use --gid-owner first\"");
		return 0;
	}
	if (id != O_SOCKET &&
	    !owner_ids(o->args[0].text, id == O_GID,
		       id == O_UID ? &d->uid_lo : &d->gid_lo,
		       id == O_UID ? &d->uid_hi : &d->gid_hi))
		return erec_param(x->errs, &o->args[0].loc,
				  "owner: Bad value for \"%s\" option: \"%s\"",
				  xe_optname(o, n, sizeof(n)), o->args[0].text);
	if (popt_neg(o))
		x->match->inv |= MR_MINV(id);
	return 0;
}

static int owner_check(struct mr_xctx *x)
{
	if (!(x->match->has & ((1u << O_UID) | (1u << O_GID) | (1u << O_SOCKET))))
		return xe_check_err(x, "owner: At least one of --uid-owner, --gid-owner or --socket-exists is required");
	return 0;
}

static void owner_save_ids(struct mr_buf *b, const struct mr_match *m,
			   unsigned id, uint32_t lo, uint32_t hi)
{
	xe_save_inv(b, m->inv & MR_MINV(id));
	buf_printf(b, " --%s %u", id == O_UID ? "uid-owner" : "gid-owner", lo);
	if (hi != lo)
		buf_printf(b, "-%u", hi);
}

static void owner_save(struct mr_buf *b, const struct mr_rule *r,
		       const struct mr_match *m)
{
	const struct mr_m_owner *d = MR_MDATA(m, struct mr_m_owner);

	if (m->has & (1u << O_SOCKET)) {
		xe_save_inv(b, m->inv & MR_MINV(O_SOCKET));
		buf_add(b, " --socket-exists");
	}
	if (m->has & (1u << O_UID))
		owner_save_ids(b, m, O_UID, d->uid_lo, d->uid_hi);
	if (m->has & (1u << O_GID))
		owner_save_ids(b, m, O_GID, d->gid_lo, d->gid_hi);
	if (m->has & (1u << O_SUPPL))
		buf_add(b, " --suppl-groups");
}

/* nft has skuid / skgid; iptables-translate renders one of them alone */
static bool owner_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_m_owner *d = MR_MDATA(m, struct mr_m_owner);
	bool uid = m->has == (1u << O_UID);
	uint32_t lo = uid ? d->uid_lo : d->gid_lo, hi = uid ? d->uid_hi : d->gid_hi;

	if (m->has != (1u << O_UID) && m->has != (1u << O_GID))
		return false;
	buf_printf(x->b, "%s %s%u", uid ? "skuid" : "skgid",
		   (m->inv & m->has) ? "!= " : "", lo);
	if (hi != lo)
		buf_printf(x->b, "-%u", hi);
	buf_addc(x->b, ' ');
	return true;
}

const struct mr_xt xt_owner = {
	.name = "owner",
	.kind = MR_M_OWNER,
	.size = sizeof(struct mr_m_owner),
	.opts = owner_opts,
	.parse = owner_parse,
	.check = owner_check,
	.save = owner_save,
	.xlate = owner_xlate,
};
