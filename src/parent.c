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
 * The parent process. Starts as root (or as a non-root user holding at
 * most CAP_NET_BIND_SERVICE: then nothing is chrooted and no user is
 * changed): reads the CA bundle, binds the listening sockets, starts the
 * children its table names (procs[]) with fork+exec and hands them their
 * sockets and configuration; then drops to the run-as user keeping only
 * CAP_NET_BIND_SERVICE and enters a sandbox of its own (sandbox_parent():
 * what reload reads and binds, and no more), writes the children's log
 * lines (under their role, escaped, rate-limited: a child is not trusted
 * with the log), tells the service manager when it serves (notify.c),
 * and shuts everything down when a child dies or on SIGTERM.
 * It never parses DNS and never talks to clients or upstreams.
 */

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
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

#include "addr.h"
#include "channel.h"
#include "config.h"
#include "control.h"
#include "dnstlsd.h"
#include "file.h"
#include "log.h"
#include "logline.h"
#include "notify.h"
#include "sandbox.h"

#define LISTEN_BACKLOG	512
#define NOFILE_WANTED	8192
#define UDP_RCVBUF	(4 * 1024 * 1024)	/* ~20000 queries */
#define SHUTDOWN_WAIT_MS 1500
#define CHILD_LOG_RATE	50	/* lines a second from each child */
#define CHILD_LOG_BURST	200
#define CHILD_LOG_REPORT_MS 1000 /* how often drops are reported */
#define NETWORK_SETTLE_MS	1000	/* changes come in bursts */
#define PASSWD_FILE		"/etc/passwd"

struct parent;

/*
 * One row per child: who it is, which program runs it, what it is sent
 * and what it may send. The rest is its state once started.
 */
struct proc {
	enum proc_role			 role;
	const char			*program;	/* beside dnstlsd;
							   NULL: dnstlsd */
	/* descriptors and the like, before the first configuration */
	void				(*send_startup)(struct parent *,
					    struct proc *);
	/* a configuration: IMSG_CONF_BEGIN, its items, IMSG_CONF_END */
	void				(*send_config)(struct parent *,
					    struct proc *);
	const struct channel_rule	*rules;		/* what it may send */
	size_t				 nrules;
	/* at run time */
	char				 path[PATH_MAX];
	pid_t				 pid;
	int				 started;	/* ch is set up */
	int				 ready;		/* serving */
	struct channel			 ch;
	struct logline_limit		 log_limit;
	struct event			*log_dropped_ev;
};

/* a channel between two children: each is sent one end */
struct proc_link {
	enum proc_role		 a, b;
};

/* a listen address the frontend serves, by the id its sockets carry */
struct parent_listen {
	struct conf_listen	 l;
	uint32_t		 id;
	int			 fd[2];		/* UDP, TCP: -1 once sent */
};

/* descriptors a reload sends: at most this many new addresses at once */
#define RELOAD_MAX_NEW_LISTEN	((IMSG_MAXFDS - 2) / 2)

struct parent {
	struct event_base	*base;
	struct dnstlsd_conf	*conf;
	struct dnstlsd_conf	*conf_alloc;	/* conf, once a reload made it */
	struct parent_listen	 listen[CONF_MAX_LISTEN];
	int			 nlisten;
	uint32_t		 listen_id;
	/* what the sandboxes fixed at start: a reload cannot change it */
	uint16_t		 ports[CONF_MAX_UPSTREAMS];
	int			 nports;
	/* the TCP ports the parent's sandbox lets it bind: the start's */
	uint16_t		 listen_ports[CONF_MAX_LISTEN];
	int			 nlisten_ports;
	struct proc_startup	 startup;
	uint8_t			*ca;		/* for the resolver */
	size_t			 calen;
	int			 shutting_down;
	const char		*ctl_path;	/* "" or NULL: none */
	int			 ctl_fd;	/* until sent to the frontend */
	int			 netwatch_fd;
	struct event		*netwatch_ev, *netwatch_settle;
};

static void	 parent_log(struct channel *, struct imsg *, void *);
static void	 parent_ctl_reload(struct channel *, struct imsg *, void *);
static void	 parent_ctl_log(struct channel *, struct imsg *, void *);
static void	 parent_child_ready(struct channel *, struct imsg *, void *);
static void	 log_dropped_timer(evutil_socket_t, short, void *);
static void	 drain_child(struct proc *);
static void	 send_frontend_startup(struct parent *, struct proc *);
static void	 send_frontend_config(struct parent *, struct proc *);
static void	 send_resolver_config(struct parent *, struct proc *);
static int	 parent_reload(struct parent *, char *, size_t);

/* one parent per process: the control handlers reach it here */
static struct parent	 parent;

/* what the resolver may send */
static const struct channel_rule parent_rules_resolver[] = {
	{ { IMSG_LOG, sizeof(struct log_msg) + 1,
	    sizeof(struct log_msg) + LOG_MSG_MAX, 0 }, 0, parent_log },
	{ { IMSG_READY, 0, 0, 0 }, RULE_ONCE, parent_child_ready },
};

/* the frontend serves the control socket: it relays what needs us */
static const struct channel_rule parent_rules_frontend[] = {
	{ { IMSG_LOG, sizeof(struct log_msg) + 1,
	    sizeof(struct log_msg) + LOG_MSG_MAX, 0 }, 0, parent_log },
	{ { IMSG_CTL_RELOAD, 0, 0, 0 }, 0, parent_ctl_reload },
	{ { IMSG_READY, 0, 0, 0 }, RULE_ONCE, parent_child_ready },
	{ { IMSG_CTL_LOG, sizeof(struct ctl_log), sizeof(struct ctl_log), 0 },
	    0, parent_ctl_log },
};

/* the children, in the order they start */
static struct proc procs[] = {
	{
		.role = PROC_FRONTEND,
		.send_startup = send_frontend_startup,
		.send_config = send_frontend_config,
		.rules = parent_rules_frontend,
		.nrules = nitems(parent_rules_frontend),
	},
	{
		.role = PROC_RESOLVER,
		.program = RESOLVER_PROGRAM,
		.send_config = send_resolver_config,
		.rules = parent_rules_resolver,
		.nrules = nitems(parent_rules_resolver),
	},
};

static const struct proc_link links[] = {
	{ PROC_FRONTEND, PROC_RESOLVER },
};

static struct proc *
proc_of(enum proc_role role)
{
	size_t	 i;

	for (i = 0; i < nitems(procs); i++)
		if (procs[i].role == role)
			return &procs[i];
	fatalx("%s: no %s in the table", __func__, proc_name(role));
}

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
	port = addr_port(&l->ss);
	if (saved == EACCES && geteuid() != 0)
		fatalx("cannot bind %s port %u (%s): %s; started as a non-root "
		    "user, dnstlsd needs CAP_NET_BIND_SERVICE for this port "
		    "(systemd: AmbientCapabilities=CAP_NET_BIND_SERVICE; "
		    "podman, docker: --cap-add NET_BIND_SERVICE), or a port "
		    "above 1023 (-p)", addr, port, proto, strerror(saved));
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

/* a listening socket, or -1 with why in err (at start-up, and reloads) */
/*
 * A listening socket, or -1 with why in err (at start-up, and reloads);
 * at start-up a port another program holds says what to do about it.
 */
static int
bind_socket_err(const struct conf_listen *l, int type, int startup,
    char *err, size_t errlen)
{
	const char	*proto = type == SOCK_STREAM ? "tcp" : "udp";
	char		 addr[INET6_ADDRSTRLEN];
	int		 fd, on = 1;

	addr_str(&l->ss, addr, sizeof(addr));
	fd = socket(l->ss.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		goto fail;
	/*
	 * TCP only: there it merely allows binding over connections in
	 * TIME_WAIT after a restart. On a UDP socket it would let any local
	 * user bind the same port on a more specific address (with the
	 * option set too) and take our clients' queries.
	 */
	if (type == SOCK_STREAM && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR,
	    &on, sizeof(on)) == -1)
		goto fail;
	if (l->ss.ss_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &on, sizeof(on)) == -1)
		goto fail;
	/* a burst (or a flood) must not overflow the queue for everyone */
	if (type == SOCK_DGRAM)
		udp_rcvbuf(fd, UDP_RCVBUF);
	if (bind(fd, (const struct sockaddr *)&l->ss, l->sslen) == -1)
		goto bind_fail;
	if (type == SOCK_STREAM && listen(fd, LISTEN_BACKLOG) == -1)
		goto fail;
	log_info("listening on %s port %u %s", addr, addr_port(&l->ss),
	    proto);
	return fd;
 bind_fail:
	if (startup)
		bind_failed(l, addr, type);
 fail:
	snprintf(err, errlen, "cannot bind %s port %u (%s): %s", addr,
	    addr_port(&l->ss), proto, strerror(errno));
	if (fd != -1)
		close(fd);
	return -1;
}

static int
bind_socket(const struct conf_listen *l, int type)
{
	char	 err[256];
	int	 fd;

	if ((fd = bind_socket_err(l, type, 1, err, sizeof(err))) == -1)
		fatalx("%s", err);
	return fd;
}

/*
 * A socket file left by a daemon that is gone is removed; one that
 * answers belongs to a daemon that runs; anything else is not ours.
 */
static void
control_stale(const char *path, const struct sockaddr_un *sun)
{
	struct stat	 st;
	int		 fd, rc, saved;

	if (lstat(path, &st) == -1) {
		if (errno == ENOENT)
			return;
		fatal("control socket %s", path);
	}
	if (!S_ISSOCK(st.st_mode))
		fatalx("control socket %s exists and is not a socket", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		fatal("%s: socket", __func__);
	rc = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	saved = errno;
	close(fd);
	if (rc == 0)
		fatalx("control socket %s is in use: is dnstlsd running?",
		    path);
	if (saved != ECONNREFUSED)
		fatalx("control socket %s: %s", path, strerror(saved));
	if (unlink(path) == -1)
		fatal("cannot remove the stale control socket %s", path);
}

/*
 * The control socket: born 0660 (no chmod window), owned by whoever
 * starts the daemon (root, or the starting user); the frontend serves
 * it and checks each peer's uid.
 */
static int
control_listen(const char *path)
{
	struct sockaddr_un	 sun;
	mode_t			 old;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path))
		fatalx("control socket path %s is too long", path);
	memcpy(sun.sun_path, path, strlen(path));
	control_stale(path, &sun);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		fatal("%s: socket", __func__);
	old = umask(0117);
	if (bind(fd, (const struct sockaddr *)&sun, sizeof(sun)) == -1) {
		/*
		 * Started as a user that cannot write /var/run, where -s
		 * did not say otherwise: serve DNS, say how to get dnstlsctl.
		 */
		if (geteuid() != 0 && strcmp(path, DEFAULT_SOCKET) == 0 &&
		    (errno == EACCES || errno == EROFS || errno == ENOENT)) {
			log_warn("no control socket: cannot bind %s (-s names "
			    "one this user may create)", path);
			umask(old);
			close(fd);
			return -1;
		}
		fatal("cannot bind the control socket %s", path);
	}
	umask(old);
	if (listen(fd, CTL_MAX_CLIENTS) == -1)
		fatal("%s: listen", __func__);
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

/* --- sending to a child --- */

static void
proc_compose(struct proc *pr, uint32_t type, int fd, const void *data,
    size_t len)
{
	if (channel_compose(&pr->ch, type, 0, fd, data, len) == -1)
		fatal("%s: to the %s", __func__, proc_name(pr->role));
}

/* at start-up the parent has nothing else to do: wait until it is sent */
static void
proc_flush(struct proc *pr)
{
	if (channel_flush_sync(&pr->ch) == 0)
		return;
	/* a child that died first said why: that line goes first */
	drain_child(pr);
	fatal("cannot send the configuration to the %s",
	    proc_name(pr->role));
}

/* the sockets of a listen address not sent yet, under its id */
static void
send_listen_fds(struct proc *pr, struct parent_listen *pl)
{
	static const uint32_t	 types[2] = { IMSG_LISTEN_UDP,
				    IMSG_LISTEN_TCP };
	int			 i;

	for (i = 0; i < 2; i++) {
		if (pl->fd[i] == -1)
			continue;
		if (channel_compose(&pr->ch, types[i], pl->id, pl->fd[i],
		    NULL, 0) == -1)
			fatal("%s: to the %s", __func__, proc_name(pr->role));
		pl->fd[i] = -1;
	}
}

/* the frontend: its sockets */
static void
send_frontend_startup(struct parent *p, struct proc *pr)
{
	const struct dnstlsd_conf	*conf = p->conf;
	struct parent_listen		*pl;
	int				 i;

	for (i = 0; i < conf->nlisten; i++) {
		pl = &p->listen[p->nlisten++];
		pl->l = conf->listen[i];
		pl->id = ++p->listen_id;
		pl->fd[0] = bind_socket(&conf->listen[i], SOCK_DGRAM);
		pl->fd[1] = bind_socket(&conf->listen[i], SOCK_STREAM);
		send_listen_fds(pr, pl);
		/* fds leave with each message: keep the queue short */
		proc_flush(pr);
	}
	if (p->ctl_fd != -1) {
		proc_compose(pr, IMSG_LISTEN_CONTROL, p->ctl_fd, NULL, 0);
		p->ctl_fd = -1;
	}
	if (conf->metrics)
		proc_compose(pr, IMSG_LISTEN_METRICS,
		    bind_socket(&conf->metrics_listen, SOCK_STREAM), NULL, 0);
}

static void
send_conf_main(struct parent *p, struct proc *pr)
{
	struct conf_main	 cm;

	memset(&cm, 0, sizeof(cm));
	cm.cache_size = p->conf->cache_size;
	cm.ratelimit = p->conf->ratelimit;
	cm.serve_stale = p->conf->serve_stale;
	cm.prefetch = p->conf->prefetch;
	cm.policy = (int32_t)p->conf->policy;
	proc_compose(pr, IMSG_CONF_MAIN, -1, &cm, sizeof(cm));
}

/* whether upstream i is the first of its forward zone */
static int
zone_first(const struct dnstlsd_conf *conf, int i)
{
	const struct conf_upstream	*up = &conf->upstream[i];
	int				 j;

	if (up->zonelen == 0)
		return 0;
	for (j = 0; j < i; j++)
		if (conf->upstream[j].zonelen == up->zonelen &&
		    memcmp(conf->upstream[j].zone, up->zone, up->zonelen) == 0)
			return 0;
	return 1;
}

/*
 * The frontend's configuration: the access list, the names of the
 * forward zones (they take names from the local zones; which upstream
 * serves them is the resolver's business), the scalars, the listeners
 * it keeps (by id) and, in a reload, the sockets of addresses it adds;
 * those it does not name it closes.
 */
static void
send_frontend_config(struct parent *p, struct proc *pr)
{
	const struct dnstlsd_conf	*conf = p->conf;
	int				 i;

	proc_compose(pr, IMSG_CONF_BEGIN, -1, NULL, 0);
	for (i = 0; i < conf->nacl; i++)
		proc_compose(pr, IMSG_CONF_ACL, -1, &conf->acl[i],
		    sizeof(conf->acl[i]));
	for (i = 0; i < conf->nupstream; i++)
		if (zone_first(conf, i))
			proc_compose(pr, IMSG_CONF_ZONE, -1,
			    conf->upstream[i].zone, conf->upstream[i].zonelen);
	send_conf_main(p, pr);
	for (i = 0; i < p->nlisten; i++) {
		send_listen_fds(pr, &p->listen[i]);
		proc_compose(pr, IMSG_CONF_LISTEN, -1, &p->listen[i].id,
		    sizeof(p->listen[i].id));
	}
	proc_compose(pr, IMSG_CONF_END, -1, NULL, 0);
}

/* the resolver's: the CA bundle, the upstreams, the scalars */
static void
send_resolver_config(struct parent *p, struct proc *pr)
{
	const struct dnstlsd_conf	*conf = p->conf;
	size_t				 off, n;
	int				 i;

	proc_compose(pr, IMSG_CONF_BEGIN, -1, NULL, 0);
	for (off = 0; off < p->calen; off += n) {
		n = p->calen - off < CA_CHUNK ? p->calen - off : CA_CHUNK;
		proc_compose(pr, IMSG_CA_CHUNK, -1, p->ca + off, n);
	}
	for (i = 0; i < conf->nupstream; i++)
		proc_compose(pr, IMSG_CONF_UPSTREAM, -1, &conf->upstream[i],
		    sizeof(conf->upstream[i]));
	send_conf_main(p, pr);
	proc_compose(pr, IMSG_CONF_END, -1, NULL, 0);
}

/* --- starting the children --- */

int
parent_find_programs(const char *self, char *err, size_t errlen)
{
	struct proc	*pr;
	const char	*slash;
	size_t		 i;
	int		 n;

	slash = strrchr(self, '/');
	for (i = 0; i < nitems(procs); i++) {
		pr = &procs[i];
		if (pr->program == NULL)
			n = snprintf(pr->path, sizeof(pr->path), "%s", self);
		else
			n = snprintf(pr->path, sizeof(pr->path), "%.*s/%s",
			    (int)(slash - self), self, pr->program);
		if (n < 0 || (size_t)n >= sizeof(pr->path)) {
			snprintf(err, errlen, "the path of dnstlsd is too "
			    "long");
			return -1;
		}
		if (access(pr->path, X_OK) == -1) {
			snprintf(err, errlen, "%s: %s (it belongs beside "
			    "dnstlsd)", pr->path, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* what every child is told first: the same for each */
static void
make_startup(struct proc_startup *ps, uid_t uid, gid_t gid, int verbose,
    const char *chroot_dir)
{
	memset(ps, 0, sizeof(*ps));
	ps->uid = uid;
	ps->gid = gid;
	ps->verbose = verbose;
	ps->no_seccomp = getenv("DNSTLSD_UNSAFE_NO_SECCOMP") != NULL;
	if (ps->no_seccomp)
		log_warnx("*** DNSTLSD_UNSAFE_NO_SECCOMP set: children run "
		    "without their syscall filter ***");
	snprintf(ps->chroot, sizeof(ps->chroot), "%s", chroot_dir);
	ps->ctl_uid = getuid();
}

/* fork+exec with its channel on fd 3, then IMSG_STARTUP */
static void
proc_start(struct parent *p, struct proc *pr)
{
	char	*argv[4];
	int	 pair[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) == -1)
		fatal("socketpair");
	switch ((pr->pid = fork())) {
	case -1:
		fatal("%s: fork", __func__);
	case 0:
		/* its channel becomes fd 3; dup2 clears close-on-exec */
		if (pair[1] == IMSG_FD) {
			if (fcntl(pair[1], F_SETFD, 0) == -1)
				fatal("%s: fcntl", __func__);
		} else if (dup2(pair[1], IMSG_FD) == -1)
			fatal("%s: dup2", __func__);
		close_from(IMSG_FD + 1);
		sandbox_exec_child();
		argv[0] = (char *)(pr->program != NULL ? pr->program :
		    "dnstlsd");
		argv[1] = (char *)"-P";
		argv[2] = (char *)proc_name(pr->role);
		argv[3] = NULL;
		execv(pr->path, argv);
		fatal("%s: exec %s", __func__, pr->path);
	}
	close(pair[1]);
	channel_init(&pr->ch, pair[0], proc_name(pr->role), p->base, pr,
	    NULL);
	channel_set_rules(&pr->ch, pr->rules, pr->nrules);
	logline_limit_init(&pr->log_limit, CHILD_LOG_RATE, CHILD_LOG_BURST,
	    monotonic_ms());
	if ((pr->log_dropped_ev = evtimer_new(p->base, log_dropped_timer,
	    pr)) == NULL)
		fatalx("%s: evtimer_new", __func__);
	pr->started = 1;
	channel_start(&pr->ch);
	proc_compose(pr, IMSG_STARTUP, -1, &p->startup, sizeof(p->startup));
}

/* a channel between two children: each gets one end and whose it is */
static void
proc_link(const struct proc_link *l)
{
	struct proc_peer	 peer;
	int			 pair[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) == -1)
		fatal("socketpair");
	peer.role = (int32_t)l->b;
	proc_compose(proc_of(l->a), IMSG_PEER_SOCKET, pair[0], &peer,
	    sizeof(peer));
	peer.role = (int32_t)l->a;
	proc_compose(proc_of(l->b), IMSG_PEER_SOCKET, pair[1], &peer,
	    sizeof(peer));
}

/*
 * One start-up path for every child of the table: started, linked to
 * its siblings, sent its descriptors and its configuration; returns
 * once all of it has left.
 */
static void
proc_run(struct parent *p)
{
	size_t	 i;

	for (i = 0; i < nitems(procs); i++)
		proc_start(p, &procs[i]);
	for (i = 0; i < nitems(links); i++)
		proc_link(&links[i]);
	for (i = 0; i < nitems(procs); i++)
		if (procs[i].send_startup != NULL)
			procs[i].send_startup(p, &procs[i]);
	for (i = 0; i < nitems(procs); i++)
		procs[i].send_config(p, &procs[i]);
	for (i = 0; i < nitems(procs); i++)
		proc_flush(&procs[i]);
}

/* --- the children's log lines, and their deaths --- */

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
log_child_exit(const struct proc *pr, int status)
{
	const char	*name = proc_name(pr->role);

	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
		log_warnx("%s process %d killed by SIGSYS: sandbox violation "
		    "(a system call outside its allowlist)", name,
		    (int)pr->pid);
	else if (WIFSIGNALED(status))
		log_warnx("%s process %d killed by %s", name, (int)pr->pid,
		    signame(WTERMSIG(status)));
	else if (WIFEXITED(status))
		log_warnx("%s process %d exited with status %d", name,
		    (int)pr->pid, WEXITSTATUS(status));
}

static void
report_dropped(struct proc *pr)
{
	uint64_t	 n;

	if ((n = logline_dropped(&pr->log_limit)) > 0)
		log_warnx("%s: %llu log lines dropped (more than %d a second)",
		    proc_name(pr->role), (unsigned long long)n,
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
parent_log(struct channel *ch, struct imsg *imsg, void *arg)
{
	struct proc	*pr = arg;
	struct timeval	 tv = { CHILD_LOG_REPORT_MS / 1000,
			    (CHILD_LOG_REPORT_MS % 1000) * 1000 };
	struct log_msg	 lm;
	char		 line[LOGLINE_ESCAPED(LOG_MSG_MAX) + 16];

	memcpy(&lm, imsg->data, sizeof(lm));
	if (imsg->data[imsg->datalen - 1] != '\0')
		fatalx("protocol violation by the %s: log line not "
		    "terminated", proc_name(pr->role));
	if (!logline_admit(&pr->log_limit, monotonic_ms())) {
		if (!evtimer_pending(pr->log_dropped_ev, NULL))
			evtimer_add(pr->log_dropped_ev, &tv);
		return;
	}
	/* LOG_EMERG and LOG_ALERT may page people: not a child's to send */
	if (lm.priority < LOG_CRIT)
		lm.priority = LOG_CRIT;
	if (lm.priority > LOG_DEBUG)
		lm.priority = LOG_WARNING;
	logline_format(line, sizeof(line), proc_name(pr->role),
	    imsg->data + sizeof(lm), imsg->datalen - sizeof(lm) - 1);
	log_emit(lm.priority, line);
}

/* every child serves: the service manager may send clients now */
static void
parent_child_ready(struct channel *ch, struct imsg *imsg, void *arg)
{
	struct proc	*pr = arg;
	size_t		 i;

	pr->ready = 1;
	for (i = 0; i < nitems(procs); i++)
		if (!procs[i].ready)
			return;
	log_debug("serving");
	notify_ready();
}

/*
 * The lines a child sent last (the reason it stopped, most often),
 * before its death is reported or the daemon exits. Bounded: a child
 * that keeps writing does not hold the shutdown up.
 */
static void
drain_child(struct proc *pr)
{
	int	 n;

	if (!pr->started)
		return;
	for (n = 0; n < 16 && channel_drain(&pr->ch) == 1; n++)
		;
	report_dropped(pr);
}

static void
drain_children(void)
{
	size_t	 i;

	for (i = 0; i < nitems(procs); i++)
		drain_child(&procs[i]);
}

/*
 * What no shutdown of ours explains: an exit with a status other than
 * 0, a signal other than SIGTERM or SIGKILL.
 */
static int
exit_unexpected(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status) != 0;
	return WIFSIGNALED(status) && WTERMSIG(status) != SIGTERM &&
	    WTERMSIG(status) != SIGKILL;
}

/*
 * Reap what has exited; returns how many children are still running.
 * Quiet (shutting down), only what a shutdown does not explain is
 * logged: the death that caused it may be reaped only now.
 */
static size_t
reap_children(int quiet)
{
	struct proc	*pr;
	size_t		 i, alive = 0;
	pid_t		 pid;
	int		 status;

	for (i = 0; i < nitems(procs); i++) {
		pr = &procs[i];
		if (pr->pid <= 0)
			continue;
		pid = waitpid(pr->pid, &status, WNOHANG);
		if (pid == pr->pid) {
			if (!quiet || exit_unexpected(status))
				log_child_exit(pr, status);
			pr->pid = 0;
		} else
			alive++;
	}
	return alive;
}

static void
signal_children(int sig)
{
	size_t	 i;

	for (i = 0; i < nitems(procs); i++)
		if (procs[i].pid > 0)
			kill(procs[i].pid, sig);
}

static __attribute__((__noreturn__)) void
parent_shutdown(struct parent *p, int status)
{
	struct timespec	 pause = { 0, 10 * 1000 * 1000 };
	int		 waited;

	p->shutting_down = 1;
	notify_stopping();
	drain_children();
	signal_children(SIGTERM);
	for (waited = 0; reap_children(1) > 0; waited += 10) {
		if (waited >= SHUTDOWN_WAIT_MS)
			signal_children(SIGKILL);
		nanosleep(&pause, NULL);
	}
	log_info("terminated");
	exit(status);
}

/* a child died: what it said last, then how it died, then stop */
static void
check_children(struct parent *p)
{
	drain_children();
	if (reap_children(0) < nitems(procs)) {
		log_warnx("a child process died, shutting down");
		parent_shutdown(p, 1);
	}
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
		check_children(p);
		break;
	case SIGHUP: {
		char	 err[CONF_ERRLEN];

		(void)parent_reload(p, err, sizeof(err));
		break;
	}
	}
}

/* --- reload --- */

/* what Landlock let the resolver connect to: the ports of the start */
static void
record_ports(struct parent *p)
{
	uint16_t	 port;
	int		 i, j;

	for (i = 0; i < p->conf->nupstream; i++) {
		port = addr_port(&p->conf->upstream[i].ss);
		for (j = 0; j < p->nports && p->ports[j] != port; j++)
			;
		if (j == p->nports && p->nports < CONF_MAX_UPSTREAMS)
			p->ports[p->nports++] = port;
	}
	for (i = 0; i < p->conf->nlisten; i++) {
		port = addr_port(&p->conf->listen[i].ss);
		for (j = 0; j < p->nlisten_ports &&
		    p->listen_ports[j] != port; j++)
			;
		if (j == p->nlisten_ports && p->nlisten_ports < CONF_MAX_LISTEN)
			p->listen_ports[p->nlisten_ports++] = port;
	}
}

/*
 * What the running daemon cannot take without a restart: the user it
 * runs as, an upstream or listen port its sandbox does not allow, a
 * change of the metrics listener. 0, or -1 with the reason in err.
 */
static int
reload_refused(const struct parent *p, const struct dnstlsd_conf *new,
    char *err, size_t errlen)
{
	const struct dnstlsd_conf	*old = p->conf;
	uint16_t			 port;
	int				 i, j;

	if (strcmp(old->user, new->user) != 0) {
		snprintf(err, errlen, "changing the user from \"%s\" to "
		    "\"%s\" needs a restart", old->user, new->user);
		return -1;
	}
	for (i = 0; i < new->nupstream; i++) {
		port = addr_port(&new->upstream[i].ss);
		for (j = 0; j < p->nports && p->ports[j] != port; j++)
			;
		if (j == p->nports) {
			snprintf(err, errlen, "new upstream port %u needs a "
			    "restart (the sandbox allows only the ports of "
			    "the start)", port);
			return -1;
		}
	}
	for (i = 0; i < new->nlisten; i++) {
		port = addr_port(&new->listen[i].ss);
		for (j = 0; j < p->nlisten_ports &&
		    p->listen_ports[j] != port; j++)
			;
		if (j == p->nlisten_ports) {
			snprintf(err, errlen, "new listen port %u needs a "
			    "restart (the sandbox lets the parent bind only "
			    "the ports of the start)", port);
			return -1;
		}
	}
	if (old->metrics != new->metrics || (new->metrics &&
	    !addr_equal(&old->metrics_listen.ss, &new->metrics_listen.ss))) {
		snprintf(err, errlen, "changing \"metrics listen\" needs a "
		    "restart");
		return -1;
	}
	return 0;
}

static struct parent_listen *
listen_find(struct parent_listen *pl, int n, const struct conf_listen *l)
{
	int	 i;

	for (i = 0; i < n; i++)
		if (addr_equal(&pl[i].l.ss, &l->ss))
			return &pl[i];
	return NULL;
}

static void
listen_close(struct parent_listen *pl, int n)
{
	int	 i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < 2; j++)
			if (pl[i].fd[j] != -1) {
				close(pl[i].fd[j]);
				pl[i].fd[j] = -1;
			}
}

/*
 * The listen addresses of the new configuration, those kept by their id
 * and the new ones bound now (the parent kept CAP_NET_BIND_SERVICE for
 * this); a bind that fails undoes the others. 0, or -1 and err.
 */
static int
reload_listens(struct parent *p, const struct dnstlsd_conf *new,
    struct parent_listen *out, char *err, size_t errlen)
{
	struct parent_listen	*old;
	int			 i, nnew = 0;

	for (i = 0; i < new->nlisten; i++) {
		if ((old = listen_find(p->listen, p->nlisten,
		    &new->listen[i])) != NULL) {
			out[i] = *old;
			continue;
		}
		if (++nnew > RELOAD_MAX_NEW_LISTEN) {
			listen_close(out, i);
			snprintf(err, errlen, "at most %d new listen addresses "
			    "in one reload", RELOAD_MAX_NEW_LISTEN);
			return -1;
		}
		out[i].l = new->listen[i];
		out[i].id = p->listen_id + (uint32_t)nnew;
		out[i].fd[0] = bind_socket_err(&new->listen[i], SOCK_DGRAM,
		    0, err, errlen);
		out[i].fd[1] = out[i].fd[0] == -1 ? -1 :
		    bind_socket_err(&new->listen[i], SOCK_STREAM, 0, err,
		    errlen);
		if (out[i].fd[1] == -1) {
			listen_close(out, i + 1);
			return -1;
		}
	}
	p->listen_id += (uint32_t)nnew;
	return 0;
}

/* the bundle, as the run-as user reads it now */
#define PEM_CERT_BEGIN	"-----BEGIN CERTIFICATE-----"

static int
reload_ca(const struct dnstlsd_conf *new, uint8_t **ca, size_t *calen,
    char *err, size_t errlen)
{
	*ca = NULL;
	*calen = 0;
	if (!ca_needed(new))
		return 0;
	if (file_read(new->ca, CA_MAXSIZE, ca, calen) == -1) {
		snprintf(err, errlen, "cannot read the CA bundle %.300s: %s (it "
		    "must be readable by the user dnstlsd runs as)", new->ca,
		    strerror(errno));
		return -1;
	}
	if (*calen == 0) {
		free(*ca);
		*ca = NULL;
		snprintf(err, errlen, "the CA bundle %.300s is empty", new->ca);
		return -1;
	}
	/* the resolver parses it; what is no PEM bundle at all stops here */
	if (memmem(*ca, *calen, PEM_CERT_BEGIN, strlen(PEM_CERT_BEGIN)) ==
	    NULL) {
		free(*ca);
		*ca = NULL;
		snprintf(err, errlen, "the CA bundle %.300s holds no PEM "
		    "certificate", new->ca);
		return -1;
	}
	return 0;
}

/*
 * SIGHUP and dnstlsctl reload: the file read again (the command line
 * still wins over it, as at start), what cannot change refused whole,
 * listeners bound, the CA bundle read, then every child sent the whole
 * configuration again, which each swaps in at its end. Nothing is sent
 * unless all of it could be had: a broken file leaves the running
 * configuration serving. 0, or -1 with "file:line: message" (or another
 * reason) in err.
 *
 * sd_notify: RELOADING=1 at the start, READY=1 at the end, whatever
 * the outcome (the old configuration serves on).
 */
static int
parent_reload(struct parent *p, char *err, size_t errlen)
{
	struct dnstlsd_conf	*new;
	struct parent_listen	 listen[CONF_MAX_LISTEN];
	size_t			 i;

	log_info("reloading the configuration");
	notify_reloading();
	if ((new = malloc(sizeof(*new))) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (dnstlsd_conf_load(new, err, errlen) == -1 ||
	    reload_refused(p, new, err, errlen) == -1 ||
	    reload_ca(new, &p->ca, &p->calen, err, errlen) == -1)
		goto fail;
	if (reload_listens(p, new, listen, err, errlen) == -1) {
		free(p->ca);
		p->ca = NULL;
		goto fail;
	}
	memcpy(p->listen, listen, (size_t)new->nlisten * sizeof(listen[0]));
	p->nlisten = new->nlisten;
	free(p->conf_alloc);
	p->conf = p->conf_alloc = new;
	for (i = 0; i < nitems(procs); i++)
		procs[i].send_config(p, &procs[i]);
	free(p->ca);
	p->ca = NULL;
	log_info("configuration reloaded");
	notify_ready();
	return 0;
 fail:
	free(new);
	log_warnx("reload failed, the running configuration stays: %s", err);
	notify_ready();
	return -1;
}

/* --- the control socket's requests, relayed by the frontend --- */

/* dnstlsctl log verbose|brief: every process, the parent first */
static void
parent_ctl_log(struct channel *ch, struct imsg *imsg, void *arg)
{
	struct ctl_log	 cl;

	memcpy(&cl, imsg->data, sizeof(cl));
	if (ctl_check_log(&cl) == -1)
		fatalx("protocol violation by the frontend: bad log level");
	log_setverbose(cl.level == CTL_LOG_VERBOSE);
	log_info("log level %s", cl.level == CTL_LOG_VERBOSE ? "verbose" :
	    "brief");
	if (channel_compose(&proc_of(PROC_RESOLVER)->ch, IMSG_CTL_LOG, 0, -1,
	    &cl, sizeof(cl)) == -1)
		log_warn("%s: cannot tell the resolver", __func__);
}

/* dnstlsctl reload: as SIGHUP, and the outcome goes back to it */
static void
parent_ctl_reload(struct channel *ch, struct imsg *imsg, void *arg)
{
	struct ctl_result	 r;
	char			 err[CTL_MSGLEN];

	if (parent_reload(&parent, err, sizeof(err)) == 0)
		ctl_result_set(&r, 1, "configuration reloaded");
	else
		ctl_result_set(&r, 0, "%s", err);
	if (channel_compose(ch, IMSG_CTL_RESULT, imsg->hdr.peerid, -1, &r,
	    sizeof(r)) == -1)
		log_warn("%s: cannot answer the frontend", __func__);
}

/* --- the network --- */

static void
network_settled(evutil_socket_t fd, short events, void *arg)
{
	log_info("network changed: resetting upstream state");
	if (channel_compose(&proc_of(PROC_RESOLVER)->ch, IMSG_NETWORK_CHANGED,
	    0, -1, NULL, 0) == -1)
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

/*
 * What the parent may still touch after start-up (sandbox_parent()):
 * reading the directories of the configuration file and of the CA
 * bundle, as reload does (directories: editors and update-ca-certificates
 * replace a file by another, which a rule on the file would not cover);
 * binding TCP to the ports it listens on now. A reload that adds another
 * TCP port cannot bind it (Landlock), as the resolver's connect ports
 * cannot grow.
 */
static char	 config_dir[PATH_MAX];
static char	 ca_dir[PATH_MAX];

/* the directory of the file path names, links resolved; -1 if none */
static int
dir_of(const char *path, char *dir, size_t size)
{
	char	 real[PATH_MAX], *slash;

	if (realpath(path, real) == NULL ||
	    (slash = strrchr(real, '/')) == NULL)
		return -1;
	*(slash == real ? slash + 1 : slash) = '\0';
	if ((size_t)snprintf(dir, size, "%s", real) >= size)
		return -1;
	return 0;
}

void
parent_reads(const char *config)
{
	if (dir_of(config, config_dir, sizeof(config_dir)) == -1)
		fatal("%s", config);
}

static void
bind_port_add(struct sandbox_parent_conf *sp, uint16_t port)
{
	size_t	 i;

	for (i = 0; i < sp->nbind; i++)
		if (sp->bind_ports[i] == port)
			return;
	if (sp->nbind == nitems(sp->bind_ports))
		fatalx("%s: too many ports", __func__);
	sp->bind_ports[sp->nbind++] = port;
}

static void
make_sandbox_conf(struct sandbox_parent_conf *sp, const struct parent *p,
    uid_t uid, gid_t gid, int foreground)
{
	const struct dnstlsd_conf	*conf = p->conf;
	size_t				 j;
	int				 i;

	memset(sp, 0, sizeof(*sp));
	sp->uid = uid;
	sp->gid = gid;
	sp->foreground = foreground;
	sp->no_filter = p->startup.no_seccomp;
	if (config_dir[0] != '\0')
		sp->read_paths[sp->nread++] = config_dir;
	/* a bundle at the root (a container's mount): that file only */
	if (access(conf->ca, R_OK) == 0) {
		if (dir_of(conf->ca, ca_dir, sizeof(ca_dir)) == -1 ||
		    strcmp(ca_dir, "/") == 0)
			snprintf(ca_dir, sizeof(ca_dir), "%s", conf->ca);
		sp->read_paths[sp->nread++] = ca_dir;
	}
	for (i = 0; i < conf->nlisten; i++)
		bind_port_add(sp, addr_port(&conf->listen[i].ss));
	if (conf->metrics)
		bind_port_add(sp, addr_port(&conf->metrics_listen.ss));
	for (j = 0; j < nitems(procs); j++)
		if (procs[j].pid > 0 && sp->nchildren < nitems(sp->children))
			sp->children[sp->nchildren++] = procs[j].pid;
}

/* "frontend pid 12, resolver pid 13" */
static void
log_started(uid_t uid, int nonroot)
{
	char	 buf[256];
	size_t	 i, len = 0;
	int	 n;

	buf[0] = '\0';
	for (i = 0; i < nitems(procs); i++) {
		n = snprintf(buf + len, sizeof(buf) - len, "%s%s pid %d",
		    i > 0 ? ", " : "", proc_name(procs[i].role),
		    (int)procs[i].pid);
		if (n < 0 || (size_t)n >= sizeof(buf) - len)
			break;
		len += (size_t)n;
	}
	log_info("started: %s, running as uid %u%s", buf, (unsigned)uid,
	    nonroot ? " (non-root start: no chroot)" : "");
}

/*
 * Started as root: the run-as user from the configuration. Started as
 * anyone else (a service manager's User=, a container's --user, with at
 * most CAP_NET_BIND_SERVICE): that user, which needs no passwd entry;
 * it can neither chroot nor change user, and does not try.
 */
static int
choose_user(const struct dnstlsd_conf *conf, uid_t *uid, gid_t *gid)
{
	if (geteuid() == 0) {
		resolve_user(conf->user, uid, gid);
		if (*uid == 0)
			fatalx("refusing to run as root: choose another user "
			    "with -u");
		return 0;
	}
	if (getuid() != geteuid() || getgid() != getegid())
		fatalx("started with real uid %u and effective uid %u: run "
		    "dnstlsd as root or as one user", (unsigned)getuid(),
		    (unsigned)geteuid());
	*uid = getuid();
	*gid = getgid();
	log_info("started as uid %u gid %u, not root: the children run as "
	    "it too, without chroot (user \"%s\" not used)", (unsigned)*uid,
	    (unsigned)*gid, conf->user);
	return 1;
}

void
parent_main(struct dnstlsd_conf *conf, const char *ctl_path, int foreground,
    int verbose)
{
	struct parent	*p = &parent;
	struct sandbox_parent_conf sp;
	uid_t		 uid;
	gid_t		 gid;
	int		 nonroot;

	memset(p, 0, sizeof(*p));
	p->conf = conf;
	p->ctl_path = ctl_path;
	p->ctl_fd = -1;
	record_ports(p);
	log_init(foreground, verbose, proc_name(PROC_PARENT));
	/* before the children: they must not inherit $NOTIFY_SOCKET */
	notify_init();
	nonroot = choose_user(conf, &uid, &gid);
	if (ca_needed(conf)) {
		if (file_read(conf->ca, CA_MAXSIZE, &p->ca, &p->calen) == -1)
			fatal("cannot read the CA bundle %s", conf->ca);
		if (p->calen == 0)
			fatalx("the CA bundle %s is empty", conf->ca);
	}
	if (!nonroot)
		make_chroot_dir(CHROOT_DIR);
	if (ctl_path != NULL && ctl_path[0] != '\0')
		p->ctl_fd = control_listen(ctl_path);
	raise_nofile();
	signal(SIGPIPE, SIG_IGN);

	if (!foreground && daemon(0, 0) == -1)
		fatal("daemon");
	if ((p->base = event_base_new()) == NULL)
		fatalx("event_base_new");
	make_startup(&p->startup, uid, gid, verbose, nonroot ? "" : CHROOT_DIR);
	proc_run(p);
	free(p->ca);
	p->ca = NULL;

	/* what installs a signal handler or opens a socket, then the sandbox */
	add_signal(p, SIGTERM);
	add_signal(p, SIGINT);
	add_signal(p, SIGHUP);
	add_signal(p, SIGCHLD);
	watch_network(p);
	make_sandbox_conf(&sp, p, uid, gid, foreground);
	sandbox_parent(&sp);
	log_started(uid, nonroot);
	/* a child may have died before SIGCHLD was watched */
	check_children(p);
	event_base_dispatch(p->base);
	parent_shutdown(p, 1);
}
