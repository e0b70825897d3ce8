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
 * Linux sandbox: chroot to an empty directory, drop to an unprivileged
 * user with libcap-ng, PR_SET_NO_NEW_PRIVS, then a libseccomp allowlist
 * per role whose default action kills the whole process (SIGSYS).
 * Runs in each child, as root, after its configuration was received.
 */

#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <cap-ng.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <seccomp.h>
#include <stddef.h>
#include <unistd.h>

#include "log.h"
#include "sandbox.h"

#define ALLOW(ctx, name)	allow((ctx), SCMP_SYS(name), #name, 0, NULL)

static void
allow(scmp_filter_ctx ctx, int nr, const char *name, unsigned int nargs,
    const struct scmp_arg_cmp *args)
{
	int	 rc;

	rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, nargs, args);
	if (rc < 0)
		fatalx("%s: seccomp rule for %s: error %d", __func__, name, rc);
}

/* argument conditions, spelled out: the SCMP_A* macros leave fields unset */
static struct scmp_arg_cmp
arg_eq(unsigned int arg, scmp_datum_t value)
{
	struct scmp_arg_cmp	 c = { arg, SCMP_CMP_EQ, value, 0 };

	return c;
}

static struct scmp_arg_cmp
arg_masked(unsigned int arg, scmp_datum_t mask, scmp_datum_t value)
{
	struct scmp_arg_cmp	 c = { arg, SCMP_CMP_MASKED_EQ, mask, value };

	return c;
}

static void
allow1(scmp_filter_ctx ctx, int nr, const char *name, struct scmp_arg_cmp a)
{
	allow(ctx, nr, name, 1, &a);
}

/* what every sandboxed child needs: I/O on descriptors it holds, memory */
static void
allow_common(scmp_filter_ctx ctx)
{
	ALLOW(ctx, read);
	ALLOW(ctx, write);
	ALLOW(ctx, readv);
	ALLOW(ctx, writev);
	ALLOW(ctx, recvmsg);
	ALLOW(ctx, sendmsg);
	ALLOW(ctx, recvfrom);
	ALLOW(ctx, sendto);
	ALLOW(ctx, recvmmsg);
	ALLOW(ctx, sendmmsg);
	ALLOW(ctx, close);
	ALLOW(ctx, shutdown);
	ALLOW(ctx, epoll_wait);
	ALLOW(ctx, epoll_pwait);
	ALLOW(ctx, epoll_ctl);
	ALLOW(ctx, poll);
	ALLOW(ctx, clock_gettime);
	ALLOW(ctx, gettimeofday);
	ALLOW(ctx, getpid);
	ALLOW(ctx, getrandom);
	ALLOW(ctx, brk);
	ALLOW(ctx, munmap);
	ALLOW(ctx, mremap);
	ALLOW(ctx, madvise);
	ALLOW(ctx, futex);
	ALLOW(ctx, fstat);
	ALLOW(ctx, newfstatat);
	ALLOW(ctx, exit);
	ALLOW(ctx, exit_group);
	ALLOW(ctx, rt_sigreturn);
	ALLOW(ctx, rt_sigprocmask);
	ALLOW(ctx, restart_syscall);
	/* memory, but never executable memory */
	allow1(ctx, SCMP_SYS(mmap), "mmap",
	    arg_masked(2, PROT_EXEC, 0));
	allow1(ctx, SCMP_SYS(mprotect), "mprotect",
	    arg_masked(2, PROT_EXEC, 0));
	/* non-blocking flags only */
	allow1(ctx, SCMP_SYS(fcntl), "fcntl", arg_eq(1, F_GETFL));
	allow1(ctx, SCMP_SYS(fcntl), "fcntl", arg_eq(1, F_SETFL));
	allow1(ctx, SCMP_SYS(fcntl), "fcntl", arg_eq(1, F_GETFD));
	allow1(ctx, SCMP_SYS(fcntl), "fcntl", arg_eq(1, F_SETFD));
}

/* the frontend accepts clients: no socket(), connect() or open() */
static void
allow_frontend(scmp_filter_ctx ctx)
{
	ALLOW(ctx, accept);
	ALLOW(ctx, accept4);
	/* libevent asks how much a TCP client sent before reading it */
	allow1(ctx, SCMP_SYS(ioctl), "ioctl", arg_eq(1, FIONREAD));
	allow1(ctx, SCMP_SYS(setsockopt), "setsockopt",
	    arg_eq(1, IPPROTO_TCP));
	allow1(ctx, SCMP_SYS(getsockopt), "getsockopt",
	    arg_eq(1, SOL_SOCKET));
}

/* the resolver opens TCP connections to upstreams, nothing else */
static void
allow_resolver(scmp_filter_ctx ctx)
{
	static const int families[] = { AF_INET, AF_INET6 };
	struct scmp_arg_cmp	 args[2];
	size_t			 i;

	for (i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		args[0] = arg_eq(0, (scmp_datum_t)families[i]);
		/* the type may carry SOCK_NONBLOCK and SOCK_CLOEXEC */
		args[1] = arg_masked(1, 0xf, SOCK_STREAM);
		allow(ctx, SCMP_SYS(socket), "socket", 2, args);
	}
	ALLOW(ctx, connect);
	/* libtls keeps TLS sessions in a memory file it holds open */
	ALLOW(ctx, pread64);
	ALLOW(ctx, pwrite64);
	ALLOW(ctx, ftruncate);
	ALLOW(ctx, getsockname);
	ALLOW(ctx, getpeername);
	allow1(ctx, SCMP_SYS(setsockopt), "setsockopt",
	    arg_eq(1, IPPROTO_TCP));
	allow1(ctx, SCMP_SYS(setsockopt), "setsockopt",
	    arg_eq(1, SOL_SOCKET));
	allow1(ctx, SCMP_SYS(getsockopt), "getsockopt",
	    arg_eq(1, SOL_SOCKET));
}

static void
load_filter(enum sandbox_role role)
{
	scmp_filter_ctx	 ctx;
	int		 rc;

	if ((ctx = seccomp_init(SCMP_ACT_KILL_PROCESS)) == NULL)
		fatalx("%s: seccomp_init failed", __func__);
	allow_common(ctx);
	if (role == SANDBOX_FRONTEND)
		allow_frontend(ctx);
	else
		allow_resolver(ctx);
	if ((rc = seccomp_load(ctx)) < 0)
		fatalx("%s: seccomp_load: error %d", __func__, rc);
	seccomp_release(ctx);
}

static void
drop_to(uid_t uid, gid_t gid)
{
	capng_clear(CAPNG_SELECT_BOTH);
	if (capng_change_id((int)uid, (int)gid,
	    CAPNG_DROP_SUPP_GRP | CAPNG_CLEAR_BOUNDING) != 0)
		fatalx("%s: cannot change to uid %u gid %u", __func__,
		    (unsigned)uid, (unsigned)gid);
	if (getuid() != uid || geteuid() != uid || getgid() != gid)
		fatalx("%s: privileges not dropped", __func__);
}

void
sandbox_child(enum sandbox_role role, const char *dir, uid_t uid, gid_t gid,
    int no_filter)
{
	if (chroot(dir) == -1)
		fatal("%s: chroot %s", __func__, dir);
	if (chdir("/") == -1)
		fatal("%s: chdir /", __func__);
	drop_to(uid, gid);
	if (capng_have_capabilities(CAPNG_SELECT_BOTH) != CAPNG_NONE)
		fatalx("%s: capabilities left after dropping them", __func__);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		fatal("%s: PR_SET_NO_NEW_PRIVS", __func__);
	if (no_filter) {
		log_warnx("*** SECCOMP FILTER DISABLED (debug option) ***");
		return;
	}
	load_filter(role);
}

void
sandbox_parent(uid_t uid, gid_t gid)
{
	capng_clear(CAPNG_SELECT_BOTH);
	if (capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
	    CAP_NET_BIND_SERVICE) != 0)
		fatalx("%s: capng_update failed", __func__);
	if (capng_change_id((int)uid, (int)gid,
	    CAPNG_DROP_SUPP_GRP | CAPNG_CLEAR_BOUNDING) != 0)
		fatalx("%s: cannot change to uid %u gid %u", __func__,
		    (unsigned)uid, (unsigned)gid);
	if (getuid() != uid || geteuid() != uid)
		fatalx("%s: privileges not dropped", __func__);
}
