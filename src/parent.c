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
 * The parent process. Starts as root: reads the CA bundle, binds the
 * listening sockets, starts the frontend and the resolver with fork+exec
 * and hands them their sockets and configuration; then drops to the
 * run-as user keeping only CAP_NET_BIND_SERVICE, writes the children's
 * log lines (under their role, escaped, rate-limited: a child is not
 * trusted with the log), and shuts everything down when a child dies or
 * on SIGTERM.
 * It never parses DNS and never talks to clients or upstreams.
 */

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <netinet/in.h>

#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "dnstlsd.h"
#include "log.h"
#include "logline.h"
#include "sandbox.h"

#define LISTEN_BACKLOG	512
#define NOFILE_WANTED	8192
#define UDP_RCVBUF	(4 * 1024 * 1024)	/* ~20000 queries */
#define SHUTDOWN_WAIT_MS 1500
#define CHILD_LOG_RATE	50	/* lines a second from each child */
#define CHILD_LOG_BURST	200
#define CHILD_LOG_REPORT_MS 1000 /* how often drops are reported */

struct child {
	enum proc_role		 role;
	pid_t			 pid;
	struct imsgbuf		 ibuf;
	struct event		*ev;
	struct logline_limit	 log_limit;
	struct event		*log_dropped_ev;
};

struct parent {
	struct event_base	*base;
	struct child		 child[2];	/* frontend, resolver */
	int			 shutting_down;
	int			 netwatch_fd;
	struct event		*netwatch_ev, *netwatch_settle;
};

#define NETWORK_SETTLE_MS	1000	/* changes come in bursts */
#define PASSWD_FILE		"/etc/passwd"

static const struct imsg_rule parent_rules[] = {
	{ IMSG_LOG, sizeof(struct log_msg) + 1,
	    sizeof(struct log_msg) + LOG_MSG_MAX, 0 },
};

/*
 * A static glibc program must not call getpwnam(): it would load the
 * host's shared NSS modules into a process without a shared libc, and
 * crash.  It reads /etc/passwd itself, which names every system user; the
 * shared build asks NSS, which reads the same file among its sources.
 */
static struct passwd *
passwd_lookup(const char *user, uid_t uid)
{
#ifdef DNSTLSD_STATIC
	struct passwd	*pw;
	FILE		*fp;

	if ((fp = fopen(PASSWD_FILE, "re")) == NULL)
		return NULL;
	while ((pw = fgetpwent(fp)) != NULL)
		if (user != NULL ? strcmp(pw->pw_name, user) == 0 :
		    pw->pw_uid == uid)
			break;
	fclose(fp);
	return pw;
#else
	return user != NULL ? getpwnam(user) : getpwuid(uid);
#endif
}

static void
resolve_user(const char *user, uid_t *uid, gid_t *gid)
{
	struct passwd	*pw;
	const char	*errstr = NULL;
	char		*end;
	unsigned long	 n;

	if ((pw = passwd_lookup(user, 0)) != NULL) {
		*uid = pw->pw_uid;
		*gid = pw->pw_gid;
		return;
	}
	errno = 0;
	n = strtoul(user, &end, 10);
	if (user[0] >= '0' && user[0] <= '9' && *end == '\0' && errno == 0 &&
	    n > 0 && n < 0x7fffffffUL) {
		*uid = (uid_t)n;
		pw = passwd_lookup(NULL, *uid);
		*gid = pw != NULL ? pw->pw_gid : (gid_t)n;
		return;
	}
	if (user[0] >= '0' && user[0] <= '9')
		errstr = "numeric uid must be between 1 and 2147483646";
	if (errstr != NULL)
		fatalx("user \"%s\": %s", user, errstr);
	fatalx("user \"%s\" does not exist; create it with \"useradd --system "
	    "--no-create-home --home-dir /nonexistent --shell "
	    "/usr/sbin/nologin %s\" or choose another with -u", user, user);
}

/* the CA is needed unless every upstream is authenticated by pins only */
static int
ca_needed(const struct dnstlsd_conf *conf)
{
	int	 i;

	for (i = 0; i < conf->nupstream; i++)
		if (conf->upstream[i].name[0] != '\0' ||
		    conf->upstream[i].npins == 0)
			return 1;
	return 0;
}

static uint8_t *
load_ca(const char *path, size_t *lenp)
{
	struct stat	 st;
	uint8_t		*buf;
	size_t		 off = 0;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    st.st_size > CA_MAXSIZE) {
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	if ((buf = malloc((size_t)st.st_size)) == NULL)
		fatal("%s", __func__);
	while (off < (size_t)st.st_size) {
		n = read(fd, buf + off, (size_t)st.st_size - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			fatal("%s: read %s", __func__, path);
		off += (size_t)n;
	}
	close(fd);
	*lenp = off;
	return buf;
}

static void
make_chroot_dir(const char *dir)
{
	struct stat	 st;

	if (mkdir(dir, 0755) == -1 && errno != EEXIST)
		fatal("cannot create the sandbox directory %s", dir);
	if (stat(dir, &st) == -1)
		fatal("stat %s", dir);
	if (!S_ISDIR(st.st_mode) || st.st_uid != 0 ||
	    (st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
		fatalx("sandbox directory %s must be a directory owned by root "
		    "and writable by root only", dir);
}

/*
 * A listening port that another program holds.  On Ubuntu and many
 * Debian hosts that is systemd-resolved's stub listener on 127.0.0.53
 * port 53, which a bind of 0.0.0.0 (the default) collides with: name it
 * and say how to get out of it, rather than leave the user with errno.
 */
static __attribute__((__noreturn__)) void
bind_failed(const struct conf_listen *l, const char *addr, int type)
{
	int				 saved = errno, resolved = 0;
	const struct sockaddr_in	*sin = (const void *)&l->ss;
	const struct sockaddr_in6	*sin6 = (const void *)&l->ss;
	const char			*proto;
	uint16_t			 port;
	uint32_t			 a;

	proto = type == SOCK_STREAM ? "tcp" : "udp";
	port = conf_addr_port(&l->ss);
	if (saved != EADDRINUSE || port != DEFAULT_PORT) {
		errno = saved;
		fatal("cannot bind %s port %u (%s)", addr, port, proto);
	}
	if (l->ss.ss_family == AF_INET) {
		a = ntohl(sin->sin_addr.s_addr);
		/* the stub (127.0.0.53) and the proxy stub (127.0.0.54) */
		resolved = a == INADDR_ANY || a == 0x7f000035 || a == 0x7f000036;
	} else
		resolved = IN6_IS_ADDR_UNSPECIFIED(&sin6->sin6_addr);
	log_warnx("cannot bind %s port %u (%s): %s", addr, port, proto,
	    strerror(saved));
	if (!resolved)
		fatalx("another program holds %s port %u (\"ss -lnp 'sport = "
		    ":%u'\" names it): stop it, or listen on another address",
		    addr, port, port);
	log_warnx("another DNS server holds port %u, most likely "
	    "systemd-resolved's stub listener on 127.0.0.53 (\"ss -lnp "
	    "'sport = :%u'\" names it); two ways out:", port, port);
	log_warnx("either listen on 127.0.0.1 and ::1 only (-a 127.0.0.1 -a "
	    "::1) and make systemd-resolved forward to dnstlsd: DNS=127.0.0.1 "
	    "and Domains=~. in /etc/systemd/resolved.conf;");
	fatalx("or turn its stub listener off: DNSStubListener=no in "
	    "/etc/systemd/resolved.conf; then restart systemd-resolved");
}

static int
bind_socket(const struct conf_listen *l, int type)
{
	char	 addr[INET6_ADDRSTRLEN];
	int	 fd, on = 1, rcvbuf = UDP_RCVBUF;

	fd = socket(l->ss.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		fatal("%s: socket", __func__);
	/*
	 * TCP only: there it merely allows binding over connections in
	 * TIME_WAIT after a restart. On a UDP socket it would let any local
	 * user bind the same port on a more specific address (with the
	 * option set too) and take our clients' queries.
	 */
	if (type == SOCK_STREAM && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR,
	    &on, sizeof(on)) == -1)
		fatal("%s: SO_REUSEADDR", __func__);
	if (l->ss.ss_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &on, sizeof(on)) == -1)
		fatal("%s: IPV6_V6ONLY", __func__);
	/* a burst (or a flood) must not overflow the queue for everyone */
	if (type == SOCK_DGRAM && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE,
	    &rcvbuf, sizeof(rcvbuf)) == -1)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
		    sizeof(rcvbuf));
	conf_addr_str(&l->ss, addr, sizeof(addr));
	if (bind(fd, (const struct sockaddr *)&l->ss, l->sslen) == -1)
		bind_failed(l, addr, type);
	if (type == SOCK_STREAM && listen(fd, LISTEN_BACKLOG) == -1)
		fatal("%s: listen", __func__);
	log_info("listening on %s port %u %s", addr, conf_addr_port(&l->ss),
	    type == SOCK_STREAM ? "tcp" : "udp");
	return fd;
}

static void
raise_nofile(void)
{
	struct rlimit	 rl;

	rlim_t		 hard;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return;
	hard = rl.rlim_max;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < NOFILE_WANTED)
		rl.rlim_max = NOFILE_WANTED;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
		return;
	/* no CAP_SYS_RESOURCE (a container): as far as the hard limit */
	rl.rlim_cur = rl.rlim_max = hard;
	if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
		log_warn("cannot raise the descriptor limit");
}

static pid_t
start_child(enum proc_role role, const char *program, int fd)
{
	char	*argv[4];
	pid_t	 pid;

	switch ((pid = fork())) {
	case -1:
		fatal("%s: fork", __func__);
	case 0:
		break;
	default:
		return pid;
	}
	/* the child's channel becomes fd 3; dup2 clears close-on-exec */
	if (fd == IMSG_FD) {
		if (fcntl(fd, F_SETFD, 0) == -1)
			fatal("%s: fcntl", __func__);
	} else if (dup2(fd, IMSG_FD) == -1)
		fatal("%s: dup2", __func__);
	close_from(IMSG_FD + 1);
	argv[0] = (char *)(role == PROC_RESOLVER ? RESOLVER_PROGRAM :
	    "dnstlsd");
	argv[1] = (char *)"-P";
	argv[2] = (char *)proc_name(role);
	argv[3] = NULL;
	execv(program, argv);
	fatal("%s: exec %s", __func__, program);
}

static void
compose(struct child *c, uint32_t type, int fd, const void *data, size_t len)
{
	if (imsg_compose(&c->ibuf, type, 0, fd, data, len) == -1)
		fatal("%s: imsg_compose", __func__);
}

/* what both children are told first: the same for each */
static void
make_startup(struct proc_startup *ps, uid_t uid, gid_t gid, int verbose)
{
	memset(ps, 0, sizeof(*ps));
	ps->uid = uid;
	ps->gid = gid;
	ps->verbose = verbose;
	ps->no_seccomp = getenv("DNSTLSD_UNSAFE_NO_SECCOMP") != NULL;
	if (ps->no_seccomp)
		log_warnx("*** DNSTLSD_UNSAFE_NO_SECCOMP set: children run "
		    "without their syscall filter ***");
	snprintf(ps->chroot, sizeof(ps->chroot), "%s", CHROOT_DIR);
}

static void
send_conf_main(struct child *c, const struct dnstlsd_conf *conf)
{
	struct conf_main	 cm;

	memset(&cm, 0, sizeof(cm));
	cm.cache_size = conf->cache_size;
	cm.ratelimit = conf->ratelimit;
	cm.serve_stale = conf->serve_stale;
	cm.policy = (int32_t)conf->policy;
	compose(c, IMSG_CONF_MAIN, -1, &cm, sizeof(cm));
}

static void
send_ca(struct child *c, const uint8_t *ca, size_t len)
{
	size_t	 off, n;

	for (off = 0; off < len; off += n) {
		n = len - off < CA_CHUNK ? len - off : CA_CHUNK;
		compose(c, IMSG_CA_CHUNK, -1, ca + off, n);
	}
}

static void
flush_child(struct child *c)
{
	if (imsg_flush(&c->ibuf) == -1)
		fatal("cannot send the configuration to the %s",
		    proc_name(c->role));
}

static const char *
signame(int sig)
{
	static char	 buf[16];

	switch (sig) {
	case SIGSYS:	return "SIGSYS";
	case SIGSEGV:	return "SIGSEGV";
	case SIGABRT:	return "SIGABRT";
	case SIGKILL:	return "SIGKILL";
	case SIGTERM:	return "SIGTERM";
	case SIGINT:	return "SIGINT";
	case SIGBUS:	return "SIGBUS";
	default:
		snprintf(buf, sizeof(buf), "signal %d", sig);
		return buf;
	}
}

static void
log_child_exit(const struct child *c, int status)
{
	const char	*name = proc_name(c->role);

	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
		log_warnx("%s process %d killed by SIGSYS: sandbox violation "
		    "(a system call outside its allowlist)", name, (int)c->pid);
	else if (WIFSIGNALED(status))
		log_warnx("%s process %d killed by %s", name, (int)c->pid,
		    signame(WTERMSIG(status)));
	else if (WIFEXITED(status))
		log_warnx("%s process %d exited with status %d", name,
		    (int)c->pid, WEXITSTATUS(status));
}

static void
report_dropped(struct child *c)
{
	uint64_t	 n;

	if ((n = logline_dropped(&c->log_limit)) > 0)
		log_warnx("%s: %llu log lines dropped (more than %d a second)",
		    proc_name(c->role), (unsigned long long)n,
		    CHILD_LOG_RATE);
}

static void
log_dropped_timer(evutil_socket_t fd, short events, void *arg)
{
	report_dropped(arg);
}

/*
 * A child's line, written under the role we know it by: whatever it
 * says, it stays one line of printable text and cannot pass for another
 * process's; past its rate it is only counted, and a line a second says
 * how many were dropped.
 */
static void
child_log(struct child *c, const struct imsg *imsg)
{
	struct timeval	 tv = { CHILD_LOG_REPORT_MS / 1000,
			    (CHILD_LOG_REPORT_MS % 1000) * 1000 };
	struct log_msg	 lm;
	char		 line[LOGLINE_ESCAPED(LOG_MSG_MAX) + 16];

	memcpy(&lm, imsg->data, sizeof(lm));
	if (imsg->data[imsg->datalen - 1] != '\0')
		fatalx("protocol violation by the %s: log line not "
		    "terminated", proc_name(c->role));
	if (!logline_admit(&c->log_limit, monotonic_ms())) {
		if (c->log_dropped_ev != NULL &&
		    !evtimer_pending(c->log_dropped_ev, NULL))
			evtimer_add(c->log_dropped_ev, &tv);
		return;
	}
	/* LOG_EMERG and LOG_ALERT may page people: not a child's to send */
	if (lm.priority < LOG_CRIT)
		lm.priority = LOG_CRIT;
	if (lm.priority > LOG_DEBUG)
		lm.priority = LOG_WARNING;
	logline_format(line, sizeof(line), proc_name(c->role),
	    imsg->data + sizeof(lm), imsg->datalen - sizeof(lm) - 1);
	log_emit(lm.priority, line);
}

/* what the child sent: 1 more may come, 0 nothing yet, -1 it is gone */
static int
read_child(struct child *c)
{
	struct imsg	 imsg;
	int		 rc;

	if ((rc = channel_read(&c->ibuf, proc_name(c->role))) != 1)
		return rc;
	while (channel_get(&c->ibuf, &imsg, parent_rules, 1,
	    proc_name(c->role)))
		child_log(c, &imsg);
	return 1;
}

static void
dispatch_child(evutil_socket_t fd, short events, void *arg)
{
	struct child	*c = arg;

	/* the child is gone: SIGCHLD says why and shuts down */
	if (read_child(c) == -1)
		event_del(c->ev);
}

/*
 * Before a child's death is reported, or the daemon exits: the lines the
 * children sent last (the reason a child stopped, most often). Bounded:
 * a child that keeps writing does not hold the shutdown up.
 */
static void
drain_child_logs(struct parent *p)
{
	int	 i, n;

	for (i = 0; i < 2; i++) {
		if (p->child[i].ev == NULL)
			continue;
		for (n = 0; n < 16 && read_child(&p->child[i]) == 1; n++)
			;
		report_dropped(&p->child[i]);
	}
}

/* reap what has exited; returns how many children are still running */
static int
reap_children(struct parent *p, int quiet)
{
	int	 i, status, alive = 0;
	pid_t	 pid;

	for (i = 0; i < 2; i++) {
		struct child	*c = &p->child[i];

		if (c->pid <= 0)
			continue;
		pid = waitpid(c->pid, &status, WNOHANG);
		if (pid == c->pid) {
			/* the cause of a shutdown is logged even when quiet */
			if (!quiet || (WIFSIGNALED(status) &&
			    WTERMSIG(status) != SIGTERM &&
			    WTERMSIG(status) != SIGKILL))
				log_child_exit(c, status);
			c->pid = 0;
		} else
			alive++;
	}
	return alive;
}

static __attribute__((__noreturn__)) void
parent_shutdown(struct parent *p, int status)
{
	struct timespec	 pause = { 0, 10 * 1000 * 1000 };
	int		 i, waited;

	p->shutting_down = 1;
	drain_child_logs(p);
	for (i = 0; i < 2; i++)
		if (p->child[i].pid > 0)
			kill(p->child[i].pid, SIGTERM);
	for (waited = 0; reap_children(p, 1) > 0; waited += 10) {
		if (waited >= SHUTDOWN_WAIT_MS) {
			for (i = 0; i < 2; i++)
				if (p->child[i].pid > 0)
					kill(p->child[i].pid, SIGKILL);
		}
		nanosleep(&pause, NULL);
	}
	log_info("terminated");
	exit(status);
}

static void
on_signal(evutil_socket_t sig, short events, void *arg)
{
	struct parent	*p = arg;

	switch (sig) {
	case SIGTERM:
	case SIGINT:
		log_info("received %s, shutting down", signame((int)sig));
		parent_shutdown(p, 0);
	case SIGCHLD:
		drain_child_logs(p);
		if (reap_children(p, 0) < 2) {
			log_warnx("a child process died, shutting down");
			parent_shutdown(p, 1);
		}
		break;
	case SIGHUP:
		log_warnx("SIGHUP: configuration reload is not supported in "
		    "this version, ignored");
		break;
	}
}

static void
network_settled(evutil_socket_t fd, short events, void *arg)
{
	struct parent	*p = arg;
	struct child	*resolver = &p->child[1];

	log_info("network changed: resetting upstream state");
	if (imsg_compose(&resolver->ibuf, IMSG_NETWORK_CHANGED, 0, -1, NULL,
	    0) == -1 || imsg_flush(&resolver->ibuf) == -1)
		log_warn("%s: cannot tell the resolver", __func__);
}

static void
network_event(evutil_socket_t fd, short events, void *arg)
{
	struct parent	*p = arg;
	struct timeval	 tv = { NETWORK_SETTLE_MS / 1000,
			    (NETWORK_SETTLE_MS % 1000) * 1000 };
	int		 rc;

	if ((rc = netwatch_drain(p->netwatch_fd)) == -1) {
		log_warn("network watch failed, no longer watching");
		event_del(p->netwatch_ev);
		return;
	}
	if (rc == 1)
		evtimer_add(p->netwatch_settle, &tv);	/* restarts the wait */
}

static void
watch_network(struct parent *p)
{
	if ((p->netwatch_fd = netwatch_open()) == -1)
		return;
	p->netwatch_ev = event_new(p->base, p->netwatch_fd,
	    EV_READ | EV_PERSIST, network_event, p);
	p->netwatch_settle = evtimer_new(p->base, network_settled, p);
	if (p->netwatch_ev == NULL || p->netwatch_settle == NULL ||
	    event_add(p->netwatch_ev, NULL) == -1)
		fatalx("%s: event setup", __func__);
}

static void
add_signal(struct parent *p, int sig)
{
	struct event	*ev;

	if ((ev = evsignal_new(p->base, sig, on_signal, p)) == NULL ||
	    event_add(ev, NULL) == -1)
		fatalx("%s: cannot handle signal %d", __func__, sig);
}

void
parent_main(struct dnstlsd_conf *conf, int foreground, int verbose,
    const struct child_programs *progs)
{
	struct parent		 p;
	struct proc_startup	 startup;
	uid_t			 uid;
	gid_t			 gid;
	uint8_t			*ca = NULL;
	size_t			 calen = 0;
	int			 pair[3][2], i, fd;

	memset(&p, 0, sizeof(p));
	log_init(foreground, verbose, proc_name(PROC_PARENT));
	if (geteuid() != 0)
		fatalx("need root privileges (to bind port %u and to sandbox "
		    "the children)", conf->nlisten > 0 ?
		    conf_addr_port(&conf->listen[0].ss) : DEFAULT_PORT);
	resolve_user(conf->user, &uid, &gid);
	if (uid == 0)
		fatalx("refusing to run as root: choose another user with -u");
	if (ca_needed(conf) &&
	    (ca = load_ca(conf->ca, &calen)) == NULL)
		fatal("cannot read the CA bundle %s", conf->ca);
	make_chroot_dir(CHROOT_DIR);
	raise_nofile();
	signal(SIGPIPE, SIG_IGN);

	if (!foreground && daemon(0, 0) == -1)
		fatal("daemon");

	/* parent<->frontend, parent<->resolver, frontend<->resolver */
	for (i = 0; i < 3; i++)
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
		    pair[i]) == -1)
			fatal("socketpair");
	make_startup(&startup, uid, gid, verbose);
	for (i = 0; i < 2; i++) {
		struct child	*c = &p.child[i];

		c->role = i == 0 ? PROC_FRONTEND : PROC_RESOLVER;
		c->pid = start_child(c->role, c->role == PROC_RESOLVER ?
		    progs->resolver : progs->frontend, pair[i][1]);
		close(pair[i][1]);
		if (imsgbuf_init(&c->ibuf, pair[i][0]) == -1)
			fatal("imsgbuf_init");
		compose(c, IMSG_STARTUP, -1, &startup, sizeof(startup));
	}

	/* the frontend: its sockets and its end of the resolver channel */
	for (i = 0; i < conf->nlisten; i++) {
		fd = bind_socket(&conf->listen[i], SOCK_DGRAM);
		compose(&p.child[0], IMSG_LISTEN_UDP, fd, NULL, 0);
		fd = bind_socket(&conf->listen[i], SOCK_STREAM);
		compose(&p.child[0], IMSG_LISTEN_TCP, fd, NULL, 0);
		/* fds leave with each message: keep the queue short */
		flush_child(&p.child[0]);
	}
	compose(&p.child[0], IMSG_PEER_SOCKET, pair[2][0], NULL, 0);
	send_conf_main(&p.child[0], conf);
	compose(&p.child[0], IMSG_CONF_END, -1, NULL, 0);

	/* the resolver: its channel end, the CA and the upstreams */
	compose(&p.child[1], IMSG_PEER_SOCKET, pair[2][1], NULL, 0);
	send_ca(&p.child[1], ca, calen);
	for (i = 0; i < conf->nupstream; i++)
		compose(&p.child[1], IMSG_CONF_UPSTREAM, -1,
		    &conf->upstream[i], sizeof(conf->upstream[i]));
	send_conf_main(&p.child[1], conf);
	compose(&p.child[1], IMSG_CONF_END, -1, NULL, 0);
	for (i = 0; i < 2; i++)
		flush_child(&p.child[i]);
	free(ca);

	sandbox_parent(uid, gid);
	log_info("started: frontend pid %d, resolver pid %d, running as "
	    "uid %u", (int)p.child[0].pid, (int)p.child[1].pid, (unsigned)uid);

	if ((p.base = event_base_new()) == NULL)
		fatalx("event_base_new");
	add_signal(&p, SIGTERM);
	add_signal(&p, SIGINT);
	add_signal(&p, SIGHUP);
	add_signal(&p, SIGCHLD);
	watch_network(&p);
	for (i = 0; i < 2; i++) {
		struct child	*c = &p.child[i];

		set_nonblock(c->ibuf.fd);
		logline_limit_init(&c->log_limit, CHILD_LOG_RATE,
		    CHILD_LOG_BURST, monotonic_ms());
		c->log_dropped_ev = evtimer_new(p.base, log_dropped_timer, c);
		c->ev = event_new(p.base, c->ibuf.fd, EV_READ | EV_PERSIST,
		    dispatch_child, c);
		if (c->ev == NULL || c->log_dropped_ev == NULL ||
		    event_add(c->ev, NULL) == -1)
			fatalx("event_new");
	}
	/* a child may have died before SIGCHLD was watched */
	if (reap_children(&p, 0) < 2)
		parent_shutdown(&p, 1);
	event_base_dispatch(p.base);
	parent_shutdown(&p, 1);
}
