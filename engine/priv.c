// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Dropping privileges once the live engine's sockets are open.  AF_PACKET
 * checks CAP_NET_RAW when a socket is made, never when it is used, and the
 * offloads are set at open; so the running engine needs no capability at
 * all.  Raw capset()/prctl() rather than libcap: four calls do not
 * justify a dependency.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include "live.h"

static int fail(struct erec_list *errs, const char *what)
{
	erec_add(errs, EREC_ERROR, MR_EXIT_OTHER, NULL,
		 "dropping privileges: %s: %s", what, strerror(errno));
	return -1;
}

/*
 * Empty the bounding set, so that not even an exec can bring a capability
 * back.  Without CAP_SETPCAP (started with only the capabilities the
 * sockets need) it cannot be emptied; no_new_privs already keeps exec
 * from granting anything then.
 */
static int drop_bounding(struct erec_list *errs)
{
	int cap;

	for (cap = 0; cap < 64; cap++) {
		if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) < 0)
			break;		/* past the kernel's last capability */
		if (!prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) || errno == EINVAL)
			continue;
		if (errno == EPERM)
			return 0;
		return fail(errs, "PR_CAPBSET_DROP");
	}
	return 0;
}

static int become(const char *user, struct erec_list *errs)
{
	struct passwd *pw;

	errno = 0;
	pw = getpwnam(user);
	if (!pw) {
		erec_add(errs, EREC_ERROR, MR_EXIT_PARAM, NULL,
			 "dropping privileges: no user `%s'", user);
		return -1;
	}
	if (setgroups(0, NULL))
		return fail(errs, "setgroups");
	if (setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid))
		return fail(errs, "setresgid");
	if (setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid))
		return fail(errs, "setresuid");
	return 0;
}

static int clear_caps(struct erec_list *errs)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];
	unsigned i;

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capset, &h, d))
		return fail(errs, "capset");
	/* prove it: a kernel that ignored a bit would leave it here */
	if (syscall(SYS_capget, &h, d))
		return fail(errs, "capget");
	for (i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
		if (d[i].effective || d[i].permitted || d[i].inheritable) {
			errno = EPERM;
			return fail(errs, "capabilities still set");
		}
	return 0;
}

int eng_drop_privs(const char *user, struct erec_list *errs)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return fail(errs, "PR_SET_NO_NEW_PRIVS");
	if (drop_bounding(errs))
		return -1;
	/* ambient capabilities are new (4.3); older kernels have none to drop */
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (user && become(user, errs))
		return -1;
	return clear_caps(errs);
}
