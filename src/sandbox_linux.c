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
 * user with libcap-ng, PR_SET_NO_NEW_PRIVS, a Landlock domain (no file
 * access at all; TCP connect only to the upstreams' ports, no TCP bind),
 * then a libseccomp allowlist per role whose default action kills the
 * whole process (SIGSYS).
 * Runs in each child after its configuration was received: as root
 * (the root start), or as the non-root user the daemon was started as,
 * which can neither chroot nor change user, and drops its capabilities
 * (the ambient ones a service manager gave included) instead.
 */

#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <linux/capability.h>
#include <linux/landlock.h>

#include <cap-ng.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
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

/* one (level, option name) pair of setsockopt() or getsockopt() */
static void
allow_sockopt(scmp_filter_ctx ctx, int nr, const char *name, int level,
    int optname)
{
	struct scmp_arg_cmp	 args[2];

	args[0] = arg_eq(1, (scmp_datum_t)level);
	args[1] = arg_eq(2, (scmp_datum_t)optname);
	allow(ctx, nr, name, 2, args);
}

/* what every sandboxed child needs: I/O on descriptors it holds, memory */
static void
allow_common(scmp_filter_ctx ctx)
{
	ALLOW(ctx, read);
	ALLOW(ctx, write);
	ALLOW(ctx, readv);
	ALLOW(ctx, writev);
	/* the channels: imsg passes descriptors with these */
	ALLOW(ctx, recvmsg);
	ALLOW(ctx, sendmsg);
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
	/*
	 * glibc's fstat() is newfstatat(fd, "", st, AT_EMPTY_PATH). The path
	 * behind the pointer cannot be checked; with the flag fixed a path
	 * is looked up in the empty chroot at most, and Landlock has no
	 * right for reading metadata to take away.
	 */
	allow1(ctx, SCMP_SYS(newfstatat), "newfstatat",
	    arg_eq(3, AT_EMPTY_PATH));
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
	/* a connect's outcome (the resolver); libevent may ask it too */
	allow_sockopt(ctx, SCMP_SYS(getsockopt), "getsockopt", SOL_SOCKET,
	    SO_ERROR);
}

/*
 * The frontend serves the client sockets it was given: no socket(),
 * connect(), bind() or open(). UDP answers go to any address: sendto()
 * and sendmmsg() cannot be narrowed, see SECURITY.md.
 */
static void
allow_frontend(scmp_filter_ctx ctx)
{
	ALLOW(ctx, accept);
	ALLOW(ctx, accept4);
	ALLOW(ctx, recvmmsg);
	ALLOW(ctx, sendmmsg);
	ALLOW(ctx, sendto);
	/* libevent asks how much a TCP client sent before reading it */
	allow1(ctx, SCMP_SYS(ioctl), "ioctl", arg_eq(1, FIONREAD));
	allow_sockopt(ctx, SCMP_SYS(setsockopt), "setsockopt", IPPROTO_TCP,
	    TCP_NODELAY);
	/* a client that does not read its answers holds no kernel memory */
	allow_sockopt(ctx, SCMP_SYS(setsockopt), "setsockopt", IPPROTO_TCP,
	    TCP_NOTSENT_LOWAT);
}

/*
 * The resolver opens TCP connections to upstreams, nothing else: the
 * protocol too is fixed, or socket() would reach SCTP or MPTCP code. The
 * destination cannot be read by a filter (it is behind a pointer);
 * Landlock limits it to the upstreams' ports.
 */
static void
allow_resolver(scmp_filter_ctx ctx)
{
	static const int families[] = { AF_INET, AF_INET6 };
	static const int protocols[] = { 0, IPPROTO_TCP };
	struct scmp_arg_cmp	 args[3];
	size_t			 i, j;

	for (i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		for (j = 0; j < sizeof(protocols) / sizeof(protocols[0]);
		    j++) {
			args[0] = arg_eq(0, (scmp_datum_t)families[i]);
			/* the type may carry SOCK_NONBLOCK and SOCK_CLOEXEC */
			args[1] = arg_masked(1, 0xffffffffU &
			    ~(scmp_datum_t)(SOCK_NONBLOCK | SOCK_CLOEXEC),
			    SOCK_STREAM);
			args[2] = arg_eq(2, (scmp_datum_t)protocols[j]);
			allow(ctx, SCMP_SYS(socket), "socket", 3, args);
		}
	}
	ALLOW(ctx, connect);
	/* libtls keeps TLS sessions in a memory file it holds open */
	ALLOW(ctx, pread64);
	ALLOW(ctx, pwrite64);
	ALLOW(ctx, ftruncate);
	allow_sockopt(ctx, SCMP_SYS(setsockopt), "setsockopt", IPPROTO_TCP,
	    TCP_NODELAY);
	allow_sockopt(ctx, SCMP_SYS(setsockopt), "setsockopt", IPPROTO_TCP,
	    TCP_QUICKACK);
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

/* --- Landlock --- */

/*
 * What <linux/landlock.h> of an older system may not name yet: the
 * rights and structures of ABI 3 to 6, with the kernel's values.
 */
#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER		(1ULL << 13)
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE		(1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV		(1ULL << 15)
#endif
#ifndef LANDLOCK_ACCESS_NET_BIND_TCP
#define LANDLOCK_ACCESS_NET_BIND_TCP		(1ULL << 0)
#define LANDLOCK_ACCESS_NET_CONNECT_TCP		(1ULL << 1)
#endif
#ifndef LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET	(1ULL << 0)
#define LANDLOCK_SCOPE_SIGNAL			(1ULL << 1)
#endif
#define LL_RULE_NET_PORT			2

/* struct landlock_ruleset_attr as of ABI 6; older ABIs take a prefix */
struct ll_ruleset_attr {
	uint64_t	 handled_access_fs;
	uint64_t	 handled_access_net;	/* ABI 4 */
	uint64_t	 scoped;		/* ABI 6 */
};

/* struct landlock_net_port_attr */
struct ll_net_port_attr {
	uint64_t	 allowed_access;
	uint64_t	 port;
} __attribute__((__packed__));

/* every file system right the kernel knows: all handled, none granted */
static uint64_t
landlock_fs_rights(int abi)
{
	uint64_t	 rights = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1;

	if (abi >= 2)
		rights |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		rights |= LANDLOCK_ACCESS_FS_TRUNCATE;
	if (abi >= 5)
		rights |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
	return rights;
}

static void
landlock_allow_connect(int fd, uint16_t port)
{
	struct ll_net_port_attr	 pa;

	pa.allowed_access = LANDLOCK_ACCESS_NET_CONNECT_TCP;
	pa.port = port;
	if (syscall(SYS_landlock_add_rule, fd, LL_RULE_NET_PORT, &pa, 0) == -1)
		fatal("%s: landlock_add_rule port %u", __func__, port);
}

/* "ports 853, 8853" for the log line */
static void
ports_str(const uint16_t *ports, size_t nports, char *buf, size_t len)
{
	size_t	 i, off = 0;
	int	 n;

	buf[0] = '\0';
	for (i = 0; i < nports && off < len; i++) {
		n = snprintf(buf + off, len - off, "%s%u", i == 0 ? "" : ", ",
		    ports[i]);
		if (n < 0)
			break;
		off += (size_t)n;
	}
}

/*
 * No file may be opened, created, executed or changed, whatever the
 * chroot holds; no TCP port bound; TCP connects only to connect_ports.
 * A kernel without Landlock, or one whose Landlock has no network rules
 * (ABI < 4), is logged once and the rest of the sandbox stands.
 */
static void
landlock_restrict(const uint16_t *connect_ports, size_t nconnect)
{
	struct ll_ruleset_attr	 attr;
	size_t			 attrlen, i;
	char			 ports[128];
	int			 abi, fd;

	abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 1) {
		log_warnx("sandbox: pid %d: landlock unavailable (%s): no "
		    "file or tcp port restriction beyond chroot and seccomp",
		    (int)getpid(), strerror(errno));
		return;
	}
	memset(&attr, 0, sizeof(attr));
	attr.handled_access_fs = landlock_fs_rights(abi);
	attrlen = offsetof(struct ll_ruleset_attr, handled_access_net);
	if (abi >= 4) {
		attr.handled_access_net = LANDLOCK_ACCESS_NET_BIND_TCP |
		    LANDLOCK_ACCESS_NET_CONNECT_TCP;
		attrlen = offsetof(struct ll_ruleset_attr, scoped);
	}
	if (abi >= 6) {
		/* nothing outside the domain to signal or reach by name */
		attr.scoped = LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET |
		    LANDLOCK_SCOPE_SIGNAL;
		attrlen = sizeof(attr);
	}
	fd = (int)syscall(SYS_landlock_create_ruleset, &attr, attrlen, 0);
	if (fd == -1)
		fatal("%s: landlock_create_ruleset", __func__);
	if (abi >= 4)
		for (i = 0; i < nconnect; i++)
			landlock_allow_connect(fd, connect_ports[i]);
	if (syscall(SYS_landlock_restrict_self, fd, 0) == -1)
		fatal("%s: landlock_restrict_self", __func__);
	close(fd);

	if (abi < 4) {
		log_warnx("sandbox: pid %d: landlock abi %d: no file access; "
		    "tcp ports not restricted (landlock abi 4 needed)",
		    (int)getpid(), abi);
		return;
	}
	ports_str(connect_ports, nconnect, ports, sizeof(ports));
	if (nconnect == 0)
		log_info("sandbox: pid %d: landlock abi %d: no file access, "
		    "no tcp bind or connect", (int)getpid(), abi);
	else
		log_info("sandbox: pid %d: landlock abi %d: no file access, "
		    "no tcp bind, tcp connect to port%s %s only", (int)getpid(),
		    abi, nconnect > 1 ? "s" : "", ports);
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

/*
 * The bounding set, where CAP_SETPCAP allows (a root start in a
 * container that gave it); without it the set stays, and neither
 * NoNewPrivs nor an empty permitted set lets the process gain from it.
 * The kernel may know capabilities our headers do not: up to EINVAL.
 */
static void
drop_bounding(void)
{
	int	 c;

	capng_get_caps_process();
	if (!capng_have_capability(CAPNG_EFFECTIVE, CAP_SETPCAP))
		return;
	for (c = 0; c < 64; c++)
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) == -1) {
			if (errno == EINVAL)
				break;
			fatal("%s: PR_CAPBSET_DROP %d", __func__, c);
		}
}

/* the effective and permitted sets, from the kernel */
static void
caps_held(uint64_t *eff, uint64_t *prm)
{
	struct __user_cap_header_struct	 h;
	struct __user_cap_data_struct	 d[2];

	memset(&h, 0, sizeof(h));
	h.version = _LINUX_CAPABILITY_VERSION_3;
	if (syscall(SYS_capget, &h, d) == -1)
		fatal("%s: capget", __func__);
	*eff = (uint64_t)d[1].effective << 32 | d[0].effective;
	*prm = (uint64_t)d[1].permitted << 32 | d[0].permitted;
}

/*
 * The non-root start: the uid stays what the service manager gave; every
 * capability goes but CAP_NET_BIND_SERVICE where keep_bind asks for it
 * and it is held. The ambient set goes first (prctl). A service
 * manager's filter may refuse capset (systemd's ~@privileged): then what
 * is left must be the inheritable set alone, which grants nothing
 * without an exec of a program with file capabilities, and NoNewPrivs
 * and the seccomp filter forbid both.
 */
static void
drop_capabilities(int keep_bind)
{
	uint64_t	 eff, prm, want;
	int		 bind;

	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == -1 &&
	    errno != EINVAL)
		fatal("%s: PR_CAP_AMBIENT_CLEAR_ALL", __func__);
	drop_bounding();
	capng_get_caps_process();
	bind = keep_bind &&
	    capng_have_capability(CAPNG_PERMITTED, CAP_NET_BIND_SERVICE);
	want = bind ? 1ULL << CAP_NET_BIND_SERVICE : 0;
	/* CAPNG_SELECT_CAPS: the bounding set is drop_bounding()'s */
	capng_clear(CAPNG_SELECT_CAPS);
	if (bind && capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
	    CAP_NET_BIND_SERVICE) != 0)
		fatalx("%s: capng_update failed", __func__);
	if (capng_apply(CAPNG_SELECT_CAPS) == 0)
		return;
	caps_held(&eff, &prm);
	if ((eff & ~want) != 0 || (prm & ~want) != 0)
		fatalx("%s: cannot drop capabilities (effective %#llx, "
		    "permitted %#llx)", __func__, (unsigned long long)eff,
		    (unsigned long long)prm);
	log_debug("sandbox: capset refused; only the inheritable set is "
	    "left, which grants nothing here");
}

void
sandbox_exec_child(void)
{
	/*
	 * A non-root start's ambient capabilities would pass through the
	 * exec to each child; it starts with none instead.
	 */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == -1 &&
	    errno != EINVAL)
		fatal("%s: PR_CAP_AMBIENT_CLEAR_ALL", __func__);
}

void
sandbox_child(enum sandbox_role role, const char *dir, uid_t uid, gid_t gid,
    const uint16_t *connect_ports, size_t nconnect, int no_filter)
{
	uint64_t	 eff, prm;

	if (dir[0] != '\0') {
		if (chroot(dir) == -1)
			fatal("%s: chroot %s", __func__, dir);
		if (chdir("/") == -1)
			fatal("%s: chdir /", __func__);
		drop_to(uid, gid);
	} else {
		/* the non-root start: Landlock alone keeps the files away */
		drop_capabilities(0);
		if (getuid() != uid || geteuid() != uid || getgid() != gid)
			fatalx("%s: started as uid %u gid %u, not as the "
			    "parent said", __func__, (unsigned)getuid(),
			    (unsigned)getgid());
	}
	caps_held(&eff, &prm);
	if (eff != 0 || prm != 0 || prctl(PR_CAP_AMBIENT,
	    PR_CAP_AMBIENT_IS_SET, CAP_NET_BIND_SERVICE, 0, 0) == 1)
		fatalx("%s: capabilities left after dropping them", __func__);
	/* the root start empties the bounding set too */
	capng_get_caps_process();
	if (dir[0] != '\0' && capng_have_capabilities(CAPNG_SELECT_BOUNDS) !=
	    CAPNG_NONE)
		fatalx("%s: bounding set left after dropping it", __func__);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		fatal("%s: PR_SET_NO_NEW_PRIVS", __func__);
	/* before the filter, which does not allow the landlock calls */
	landlock_restrict(connect_ports, nconnect);
	if (no_filter) {
		log_warnx("*** SECCOMP FILTER DISABLED (debug option) ***");
		return;
	}
	load_filter(role);
}

void
sandbox_parent(uid_t uid, gid_t gid)
{
	if (getuid() == uid && geteuid() == uid) {
		/* the non-root start: nothing to change but capabilities */
		drop_capabilities(1);
		return;
	}
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
