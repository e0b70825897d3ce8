/*
 * Copyright (c) 2026 the dnstlsd authors
 *
 * Permission to use, copy, modify, and distribute this software for any
 * purpose with or without fee is hereby granted, provided that the above
 * copyright notice and this permission notice appear in all copies.
 *
 * THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
 * WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
 * MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
 * ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
 * WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
 * ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
 * OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
 */

/*
 * OpenBSD sandbox: chroot, drop to the unprivileged user, unveil(2) to
 * hide every path, then pledge(2).
 * Built instead of sandbox_linux.c on OpenBSD; on Linux only checked to
 * compile (make check runs clang with an OpenBSD target).
 */

#include <sys/types.h>

#include <grp.h>
#include <stdio.h>
#include <unistd.h>

#include "log.h"
#include "sandbox.h"

/* declared here too so the syntax check passes with foreign headers */
int	 pledge(const char *, const char *);
int	 unveil(const char *, const char *);
int	 setresuid(uid_t, uid_t, uid_t);
int	 setresgid(gid_t, gid_t, gid_t);

/* no path is visible any more, and that cannot be undone */
static void
hide_filesystem(void)
{
	if (unveil("/", "") == -1 || unveil(NULL, NULL) == -1)
		fatal("%s: unveil", __func__);
}

static void
drop_to(uid_t uid, gid_t gid)
{
	if (setgroups(1, &gid) == -1 ||
	    setresgid(gid, gid, gid) == -1 ||
	    setresuid(uid, uid, uid) == -1)
		fatal("%s: cannot drop privileges", __func__);
}

/* the parent: reload reads the configuration and the CA bundle again */
static const char *const parent_promises =
    "stdio rpath inet route sendfd proc";
static const char *const frontend_promises = "stdio recvfd";
static const char *const resolver_promises = "stdio inet";

/* pledge's "inet" cannot name ports: connect_ports are not enforced */
void
sandbox_child(enum sandbox_role role, const char *dir, uid_t uid, gid_t gid,
    const uint16_t *connect_ports, size_t nconnect, int no_filter)
{
	const char	*promises;

	(void)connect_ports;
	(void)nconnect;
	/* the non-root start (dir ""): unveil alone hides the files */
	if (dir[0] != '\0') {
		if (chroot(dir) == -1)
			fatal("%s: chroot %s", __func__, dir);
		if (chdir("/") == -1)
			fatal("%s: chdir /", __func__);
		drop_to(uid, gid);
	}
	if (no_filter) {
		log_warnx("*** PLEDGE DISABLED (debug option) ***");
		return;
	}
	hide_filesystem();
	/* the frontend keeps recvfd: sockets may be sent to it serving */
	promises = role == SANDBOX_FRONTEND ? frontend_promises :
	    resolver_promises;
	if (pledge(promises, NULL) == -1)
		fatal("%s: pledge", __func__);
}

/* nothing passes through an exec on OpenBSD that the child must lose */
void
sandbox_exec_child(void)
{
}

void
sandbox_parent(const struct sandbox_parent_conf *sp)
{
	size_t	 i;

	if (getuid() != sp->uid || geteuid() != sp->uid)
		drop_to(sp->uid, sp->gid);
	if (sp->no_filter) {
		log_warnx("*** PLEDGE DISABLED in the parent (debug "
		    "option) ***");
		return;
	}
	for (i = 0; i < sp->nread; i++)
		if (unveil(sp->read_paths[i], "r") == -1)
			log_warn("unveil %s", sp->read_paths[i]);
	if (unveil(NULL, NULL) == -1)
		fatal("%s: unveil", __func__);
	/* route: the routing socket that reports network changes */
	if (pledge(parent_promises, NULL) == -1)
		fatal("%s: pledge", __func__);
}

void
sandbox_print_allowlist(FILE *fp, enum sandbox_role role)
{
	const char	*p;

	switch (role) {
	case SANDBOX_PARENT:
		p = parent_promises;
		break;
	case SANDBOX_FRONTEND:
		p = frontend_promises;
		break;
	default:
		p = resolver_promises;
		break;
	}
	fprintf(fp, "pledge \"%s\"\n", p);
}
