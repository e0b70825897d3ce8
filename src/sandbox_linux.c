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
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <linux/capability.h>
#include <linux/landlock.h>

#include <cap-ng.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <paths.h>
#include <seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "compat.h"
#include "log.h"
#include "sandbox.h"

/*
 * The syscall allowlists: one table, one row per rule, each row naming
 * the processes it is for. load_filter() builds a process's filter from
 * its rows and sandbox_print_allowlist() prints the same rows, so what
 * the audit shows is what the kernel enforces.
 */

#define FE	(1U << SANDBOX_FRONTEND)
#define RS	(1U << SANDBOX_RESOLVER)
#define PA	(1U << SANDBOX_PARENT)
#define CHILDREN (FE | RS)
#define ALL	(FE | RS | PA)

/* argument conditions */
#define EQ(i, v)	 { (i), SCMP_CMP_EQ, (scmp_datum_t)(v), 0 }
#define MASKED(i, m, v)	 { (i), SCMP_CMP_MASKED_EQ, (scmp_datum_t)(m), \
			    (scmp_datum_t)(v) }
/* a socket type, with or without SOCK_NONBLOCK and SOCK_CLOEXEC */
#define TYPE(t)		 MASKED(1, 0xffffffffU & \
			    ~(scmp_datum_t)(SOCK_NONBLOCK | SOCK_CLOEXEC), (t))

#define SYS(who, name)	 { (who), SCMP_SYS(name), #name, 0, { { 0 } }, "", 0 }
#define SYS1(who, name, a) \
			 { (who), SCMP_SYS(name), #name, 1, { a }, #a, 0 }
#define SYS2(who, name, a, b) \
			 { (who), SCMP_SYS(name), #name, 2, { a, b }, \
			    #a ", " #b, 0 }
#define SYS3(who, name, a, b, c) \
			 { (who), SCMP_SYS(name), #name, 3, { a, b, c }, \
			    #a ", " #b ", " #c, 0 }
/* the first argument is a pid known when the filter loads */
#define SYS_PID(who, name, whose, b) \
			 { (who), SCMP_SYS(name), #name, 2, { EQ(0, 0), b }, \
			    "EQ(0, " #whose "), " #b, (whose) }

struct sc_rule {
	unsigned int		 who;
	int			 nr;
	const char		*name;
	unsigned int		 nargs;
	struct scmp_arg_cmp	 args[3];
	const char		*cond;		/* as written here */
	enum {
		PID_NONE,
		PID_SELF,		/* args[0] is getpid() */
		PID_CHILD		/* args[0] is a child's pid: one rule
					   for each */
	}			 pid;
};

static const struct sc_rule sc_rules[] = {
	/* I/O on descriptors each holds; the channels pass descriptors */
	SYS(ALL, read),
	SYS(ALL, write),
	SYS(CHILDREN, readv),
	SYS(CHILDREN, writev),
	SYS(ALL, recvmsg),
	SYS(ALL, sendmsg),
	SYS(ALL, close),
	SYS(CHILDREN, shutdown),
	SYS(ALL, epoll_wait),
	SYS(ALL, epoll_pwait),
	SYS(ALL, epoll_ctl),
	/* channel_flush_sync(), libevent */
	SYS(ALL, poll),
	SYS(ALL, clock_gettime),
	SYS(ALL, gettimeofday),
	SYS(ALL, getpid),
	SYS(ALL, getrandom),
	SYS(ALL, brk),
	SYS(ALL, munmap),
	SYS(ALL, mremap),
	SYS(ALL, madvise),
	SYS(ALL, futex),
	SYS(ALL, fstat),
	/*
	 * glibc's fstat() is newfstatat(fd, "", st, AT_EMPTY_PATH). The path
	 * behind the pointer cannot be checked; with the flag fixed a path
	 * is looked up in the empty chroot at most, and Landlock has no
	 * right for reading metadata to take away.
	 */
	SYS1(ALL, newfstatat, EQ(3, AT_EMPTY_PATH)),
	SYS(ALL, exit),
	SYS(ALL, exit_group),
	SYS(ALL, rt_sigreturn),
	SYS(ALL, rt_sigprocmask),
	SYS(ALL, restart_syscall),
	/* memory, but never executable memory */
	SYS1(ALL, mmap, MASKED(2, PROT_EXEC, 0)),
	SYS1(ALL, mprotect, MASKED(2, PROT_EXEC, 0)),
	/* non-blocking and close-on-exec flags only */
	SYS1(ALL, fcntl, EQ(1, F_GETFL)),
	SYS1(ALL, fcntl, EQ(1, F_SETFL)),
	SYS1(ALL, fcntl, EQ(1, F_GETFD)),
	SYS1(ALL, fcntl, EQ(1, F_SETFD)),
	/* a connect's outcome (the resolver); libevent may ask it too */
	SYS2(ALL, getsockopt, EQ(1, SOL_SOCKET), EQ(2, SO_ERROR)),

	/*
	 * The frontend serves the client sockets it was given: no socket(),
	 * connect(), bind() or open(). UDP answers go to any address:
	 * sendto() and sendmmsg() cannot be narrowed, see SECURITY.md.
	 */
	SYS(FE, accept),
	SYS(FE, accept4),
	SYS(FE, recvmmsg),
	SYS(FE, sendmmsg),
	SYS(FE, sendto),
	/* libevent asks how much a TCP client sent before reading it */
	SYS1(FE, ioctl, EQ(1, FIONREAD)),
	SYS2(FE | RS, setsockopt, EQ(1, IPPROTO_TCP), EQ(2, TCP_NODELAY)),
	/* a client that does not read its answers holds no kernel memory */
	SYS2(FE, setsockopt, EQ(1, IPPROTO_TCP), EQ(2, TCP_NOTSENT_LOWAT)),
	/* the uid of a control socket client, for its permissions */
	SYS2(FE, getsockopt, EQ(1, SOL_SOCKET), EQ(2, SO_PEERCRED)),

	/*
	 * The resolver opens TCP connections to upstreams, nothing else: the
	 * protocol too is fixed, or socket() would reach SCTP or MPTCP code.
	 * The destination cannot be read by a filter (it is behind a
	 * pointer); Landlock limits it to the upstreams' ports.
	 */
	SYS3(RS, socket, EQ(0, AF_INET), TYPE(SOCK_STREAM), EQ(2, 0)),
	SYS3(RS, socket, EQ(0, AF_INET), TYPE(SOCK_STREAM),
	    EQ(2, IPPROTO_TCP)),
	SYS3(RS, socket, EQ(0, AF_INET6), TYPE(SOCK_STREAM), EQ(2, 0)),
	SYS3(RS, socket, EQ(0, AF_INET6), TYPE(SOCK_STREAM),
	    EQ(2, IPPROTO_TCP)),
	SYS(RS, connect),
	/* libtls keeps TLS sessions in a memory file it holds open */
	SYS(RS, pread64),
	SYS(RS, pwrite64),
	SYS(RS, ftruncate),
	/*
	 * An upstream a reload adds gets a store from the pool: libtls
	 * checks that its owner is getuid(), which reveals nothing.
	 */
	SYS(RS, getuid),
	SYS2(RS, setsockopt, EQ(1, IPPROTO_TCP), EQ(2, TCP_QUICKACK)),

	/*
	 * The parent, after start-up: reads what reload reads (Landlock
	 * limits which files), binds what reload binds (Landlock limits the
	 * TCP ports), talks to its children, to syslog and to the service
	 * manager, reaps and stops its children. No exec, no fork, no
	 * ptrace, no mount, no capset, no setuid.
	 */
	SYS1(PA, openat, MASKED(2, O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND |
	    O_TMPFILE, O_RDONLY)),
	SYS(PA, lseek),
	/* network changes: the netlink socket, opened before */
	SYS(PA, recvfrom),
	/* syslog(3) and the notify socket: send(), no address */
	SYS1(PA, sendto, EQ(4, 0)),
	/* syslog(3) connects again when syslogd restarted */
	SYS2(PA, socket, EQ(0, AF_UNIX), TYPE(SOCK_DGRAM)),
	SYS(PA, connect),
	/* listeners a reload adds, as bind_socket() makes them */
	SYS3(PA, socket, EQ(0, AF_INET), TYPE(SOCK_DGRAM), EQ(2, 0)),
	SYS3(PA, socket, EQ(0, AF_INET), TYPE(SOCK_STREAM), EQ(2, 0)),
	SYS3(PA, socket, EQ(0, AF_INET6), TYPE(SOCK_DGRAM), EQ(2, 0)),
	SYS3(PA, socket, EQ(0, AF_INET6), TYPE(SOCK_STREAM), EQ(2, 0)),
	SYS2(PA, setsockopt, EQ(1, SOL_SOCKET), EQ(2, SO_REUSEADDR)),
	SYS2(PA, setsockopt, EQ(1, IPPROTO_IPV6), EQ(2, IPV6_V6ONLY)),
	SYS2(PA, setsockopt, EQ(1, SOL_SOCKET), EQ(2, SO_RCVBUF)),
	SYS2(PA, setsockopt, EQ(1, SOL_SOCKET), EQ(2, SO_RCVBUFFORCE)),
	SYS(PA, bind),
	SYS(PA, listen),
	/* its children, and no other process: reaped, stopped (SIGTERM,
	   then SIGKILL) */
	SYS(PA, wait4),
	SYS_PID(PA, kill, PID_CHILD, EQ(1, SIGTERM)),
	SYS_PID(PA, kill, PID_CHILD, EQ(1, SIGKILL)),
	/* the shutdown's pause */
	SYS(PA, clock_nanosleep),
	SYS(PA, nanosleep),
	SYS(PA, getuid),
	SYS(PA, geteuid),
	/* the sanitizer build's signal handling sets an alternate stack */
	SYS(PA, sigaltstack),
	/* the violation handler ends the parent by SIGSYS: itself only */
	SYS_PID(PA, tgkill, PID_SELF, EQ(2, SIGSYS)),
};

static void
add_rule(scmp_filter_ctx ctx, const struct sc_rule *r, pid_t pid)
{
	struct scmp_arg_cmp	 args[3];
	int			 rc;

	memcpy(args, r->args, sizeof(args));
	if (r->pid != PID_NONE)
		args[0].datum_a = (scmp_datum_t)pid;
	rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, r->nr, r->nargs,
	    args);
	if (rc < 0)
		fatalx("%s: seccomp rule for %s: error %d", __func__, r->name,
		    rc);
}

/* children: the pids PID_CHILD rules name (the parent's) */
static void
load_filter(enum sandbox_role role, const pid_t *children, size_t nchildren)
{
	const struct sc_rule	*r;
	scmp_filter_ctx		 ctx;
	uint32_t		 action;
	size_t			 i, j;
	int			 rc;

	/*
	 * A child is killed at once; the parent traps, says which call it
	 * was and then dies by the same SIGSYS (see SECURITY.md). Either
	 * way the call is not made, and the kernel logs it.
	 */
	action = role == SANDBOX_PARENT ? SCMP_ACT_TRAP : SCMP_ACT_KILL_PROCESS;
	if ((ctx = seccomp_init(action)) == NULL)
		fatalx("%s: seccomp_init failed", __func__);
	if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1) < 0)
		log_debug("%s: the kernel will not log violations", __func__);
	for (i = 0; i < nitems(sc_rules); i++) {
		r = &sc_rules[i];
		if ((r->who & (1U << role)) == 0)
			continue;
		if (r->pid != PID_CHILD)
			add_rule(ctx, r, getpid());
		else
			for (j = 0; j < nchildren; j++)
				add_rule(ctx, r, children[j]);
	}
	if ((rc = seccomp_load(ctx)) < 0)
		fatalx("%s: seccomp_load: error %d", __func__, rc);
	seccomp_release(ctx);
}

void
sandbox_print_allowlist(FILE *fp, enum sandbox_role role)
{
	const struct sc_rule	*r;
	size_t			 i;

	for (i = 0; i < nitems(sc_rules); i++) {
		r = &sc_rules[i];
		if ((r->who & (1U << role)) == 0)
			continue;
		if (r->nargs == 0)
			fprintf(fp, "%s\n", r->name);
		else
			fprintf(fp, "%-16s %s\n", r->name, r->cond);
	}
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

#define LL_RULE_PATH_BENEATH			1

/* struct landlock_path_beneath_attr */
struct ll_path_beneath_attr {
	uint64_t	 allowed_access;
	int32_t		 parent_fd;
} __attribute__((__packed__));

/* what a process may still do once its Landlock domain is entered */
struct ll_spec {
	const char *const	*read_paths;	/* read-only, beneath each */
	size_t			 nread;
	const uint16_t		*bind_ports;	/* TCP */
	size_t			 nbind;
	const uint16_t		*connect_ports;	/* TCP */
	size_t			 nconnect;
	int			 scoped;	/* no signal or abstract socket
						   outside the domain */
};

static void
landlock_allow_port(int fd, uint64_t access, uint16_t port)
{
	struct ll_net_port_attr	 pa;

	pa.allowed_access = access;
	pa.port = port;
	if (syscall(SYS_landlock_add_rule, fd, LL_RULE_NET_PORT, &pa, 0) == -1)
		fatal("%s: landlock_add_rule port %u", __func__, port);
}

/* a file may be read; a directory's files and directories too */
static int
landlock_allow_read(int fd, const char *path)
{
	struct ll_path_beneath_attr	 pb;
	struct stat			 st;
	int				 pfd;

	if ((pfd = open(path, O_PATH | O_CLOEXEC)) == -1) {
		log_warn("sandbox: %s: not readable after start-up", path);
		return -1;
	}
	if (fstat(pfd, &st) == -1)
		fatal("%s: fstat %s", __func__, path);
	pb.allowed_access = LANDLOCK_ACCESS_FS_READ_FILE;
	if (S_ISDIR(st.st_mode))
		pb.allowed_access |= LANDLOCK_ACCESS_FS_READ_DIR;
	pb.parent_fd = pfd;
	if (syscall(SYS_landlock_add_rule, fd, LL_RULE_PATH_BENEATH, &pb,
	    0) == -1)
		fatal("%s: landlock_add_rule %s", __func__, path);
	close(pfd);
	return 0;
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
 * Every file system right handled, none granted but reading beneath
 * read_paths; TCP bind and connect handled, allowed only to the ports
 * given. Returns the kernel's Landlock ABI, 0 without Landlock (logged
 * once: the rest of the sandbox stands).
 */
static int
landlock_restrict(const struct ll_spec *ll)
{
	struct ll_ruleset_attr	 attr;
	size_t			 attrlen, i;
	int			 abi, fd;

	abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 1) {
		log_warnx("sandbox: pid %d: landlock unavailable (%s): no "
		    "file or tcp port restriction beyond chroot and seccomp",
		    (int)getpid(), strerror(errno));
		return 0;
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
		if (ll->scoped)
			attr.scoped = LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET |
			    LANDLOCK_SCOPE_SIGNAL;
		attrlen = sizeof(attr);
	}
	fd = (int)syscall(SYS_landlock_create_ruleset, &attr, attrlen, 0);
	if (fd == -1)
		fatal("%s: landlock_create_ruleset", __func__);
	for (i = 0; i < ll->nread; i++)
		(void)landlock_allow_read(fd, ll->read_paths[i]);
	if (abi >= 4) {
		for (i = 0; i < ll->nbind; i++)
			landlock_allow_port(fd, LANDLOCK_ACCESS_NET_BIND_TCP,
			    ll->bind_ports[i]);
		for (i = 0; i < ll->nconnect; i++)
			landlock_allow_port(fd, LANDLOCK_ACCESS_NET_CONNECT_TCP,
			    ll->connect_ports[i]);
	}
	if (syscall(SYS_landlock_restrict_self, fd, 0) == -1)
		fatal("%s: landlock_restrict_self", __func__);
	close(fd);
	return abi;
}

/*
 * A child: no file may be opened, created, executed or changed, whatever
 * the chroot holds; no TCP port bound; TCP connects only to
 * connect_ports.
 */
static void
landlock_child(const uint16_t *connect_ports, size_t nconnect)
{
	struct ll_spec	 ll;
	char		 ports[128];
	int		 abi;

	memset(&ll, 0, sizeof(ll));
	ll.connect_ports = connect_ports;
	ll.nconnect = nconnect;
	ll.scoped = 1;
	if ((abi = landlock_restrict(&ll)) == 0)
		return;
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

/*
 * The parent: reads beneath what reload reads, binds TCP only to the
 * ports it listens on, connects nowhere over TCP. Not scoped: its
 * children were started outside its domain, and it must signal them.
 */
static void
landlock_parent(const struct sandbox_parent_conf *sp)
{
	struct ll_spec	 ll;
	char		 ports[128], paths[1024];
	size_t		 i, off = 0;
	int		 abi, n;

	memset(&ll, 0, sizeof(ll));
	ll.read_paths = sp->read_paths;
	ll.nread = sp->nread;
	ll.bind_ports = sp->bind_ports;
	ll.nbind = sp->nbind;
	if ((abi = landlock_restrict(&ll)) == 0)
		return;
	paths[0] = '\0';
	for (i = 0; i < sp->nread && off < sizeof(paths); i++) {
		n = snprintf(paths + off, sizeof(paths) - off, "%s%s",
		    i == 0 ? "" : ", ", sp->read_paths[i]);
		if (n < 0)
			break;
		off += (size_t)n;
	}
	ports_str(sp->bind_ports, sp->nbind, ports, sizeof(ports));
	if (abi < 4)
		log_info("sandbox: pid %d: landlock abi %d: read-only %s; "
		    "tcp ports not restricted (landlock abi 4 needed)",
		    (int)getpid(), abi, sp->nread > 0 ? paths : "nothing");
	else
		log_info("sandbox: pid %d: landlock abi %d: read-only %s; tcp "
		    "bind to port%s %s only, no tcp connect", (int)getpid(),
		    abi, sp->nread > 0 ? paths : "nothing",
		    sp->nbind > 1 ? "s" : "", sp->nbind > 0 ? ports : "none");
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
	landlock_child(connect_ports, nconnect);
	if (no_filter) {
		log_warnx("*** SECCOMP FILTER DISABLED (debug option) ***");
		return;
	}
	load_filter(role, NULL, 0);
}

/* --- the parent's violation handler --- */

static struct {
	pid_t	 pid;
	int	 foreground;
} violation;

/* decimal, without stdio: this runs in a signal handler */
static size_t
put_uint(char *buf, size_t off, size_t len, unsigned long v)
{
	char	 tmp[24];
	size_t	 n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0 && n < sizeof(tmp));
	while (n > 0 && off < len)
		buf[off++] = tmp[--n];
	return off;
}

static size_t
put_str(char *buf, size_t off, size_t len, const char *s)
{
	while (*s != '\0' && off < len)
		buf[off++] = *s++;
	return off;
}

/* the line, then syslog's datagram for it: socket calls it may make */
static void
violation_syslog(const char *line, size_t linelen)
{
	struct sockaddr_un	 sun;
	char			 dgram[256];
	size_t			 off = 0;
	int			 fd;

	off = put_str(dgram, off, sizeof(dgram), "<");
	off = put_uint(dgram, off, sizeof(dgram), LOG_DAEMON | LOG_CRIT);
	off = put_str(dgram, off, sizeof(dgram), ">dnstlsd[");
	off = put_uint(dgram, off, sizeof(dgram), (unsigned long)violation.pid);
	off = put_str(dgram, off, sizeof(dgram), "]: ");
	if (linelen > sizeof(dgram) - off)
		linelen = sizeof(dgram) - off;
	memcpy(dgram + off, line, linelen);
	off += linelen;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, _PATH_LOG, sizeof(_PATH_LOG));
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
		(void)send(fd, dgram, off, MSG_NOSIGNAL);
	close(fd);
}

/*
 * SECCOMP_RET_TRAP: the call was not made. Say which it was where the
 * log goes (stderr under -F, else syslog), then die by the SIGSYS the
 * handler was reset to (SA_RESETHAND), as a child dies.
 */
static void
parent_violation(int sig, siginfo_t *si, void *ctx)
{
	char	 line[160];
	size_t	 off = 0;

	off = put_str(line, off, sizeof(line), "parent: sandbox violation: "
	    "system call ");
	off = put_uint(line, off, sizeof(line), (unsigned long)si->si_syscall);
	off = put_str(line, off, sizeof(line), " (ausyscall ");
	off = put_uint(line, off, sizeof(line), (unsigned long)si->si_syscall);
	off = put_str(line, off, sizeof(line), " names it) is outside the "
	    "parent's allowlist: killed by SIGSYS");
	if (violation.foreground) {
		if (off < sizeof(line))
			line[off++] = '\n';
		/* nothing to do if it fails: the exit status says it */
		if (write(STDERR_FILENO, line, off) == -1)
			violation.foreground = 0;
	} else
		violation_syslog(line, off);
	(void)syscall(SYS_tgkill, violation.pid, violation.pid, SIGSYS);
}

static void
trap_violations(int foreground)
{
	struct sigaction	 sa;

	violation.pid = getpid();
	violation.foreground = foreground;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = parent_violation;
	sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL) == -1)
		fatal("%s: sigaction", __func__);
}

static void
parent_change_id(uid_t uid, gid_t gid)
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

void
sandbox_parent(const struct sandbox_parent_conf *sp)
{
	parent_change_id(sp->uid, sp->gid);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		fatal("%s: PR_SET_NO_NEW_PRIVS", __func__);
	landlock_parent(sp);
	if (sp->no_filter) {
		log_warnx("*** SECCOMP FILTER DISABLED in the parent (debug "
		    "option) ***");
		return;
	}
	trap_violations(sp->foreground);
	load_filter(SANDBOX_PARENT, sp->children, sp->nchildren);
}
