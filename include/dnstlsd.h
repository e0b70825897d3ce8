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
 * What the three processes share: the messages they exchange, the
 * start-up handshake, and the entry point of each process. Prototypes are
 * grouped by the file that defines them.
 */

#ifndef DNSTLSD_H
#define DNSTLSD_H

#include <sys/types.h>
#include <limits.h>
#include <stdint.h>

#include "compat.h"
#include "config.h"
#include "imsg.h"

#define DNSTLSD_VERSION		"0.1.0"
#define DEFAULT_SOCKET		"/var/run/dnstlsd.sock"

#define IMSG_FD			3	/* the child's channel to the parent */
#define CA_CHUNK		16384	/* the CA bundle is sent in pieces */
#define CA_MAXSIZE		(8 * 1024 * 1024)

#define QUERY_TIMEOUT_MS	5000	/* frontend: SERVFAIL after this */
#define RESOLVE_TIMEOUT_MS	4500	/* resolver: gives up before that */

enum proc_role {
	PROC_PARENT,
	PROC_FRONTEND,
	PROC_RESOLVER
};

enum imsg_type {
	IMSG_NONE,
	/* parent -> child, in this order at start-up */
	IMSG_STARTUP,		/* struct proc_startup */
	IMSG_LISTEN_UDP,	/* fd: a bound UDP socket (frontend) */
	IMSG_LISTEN_TCP,	/* fd: a listening TCP socket (frontend) */
	IMSG_PEER_SOCKET,	/* fd: the frontend <-> resolver channel */
	IMSG_CA_CHUNK,		/* a piece of the CA bundle (resolver) */
	IMSG_CONF_MAIN,		/* struct conf_main */
	IMSG_CONF_UPSTREAM,	/* struct conf_upstream (resolver) */
	IMSG_CONF_END,		/* configuration complete: enter the sandbox */
	/* parent -> resolver, at run time */
	IMSG_NETWORK_CHANGED,	/* forget upstream health, reconnect */
	/* child -> parent */
	IMSG_LOG,		/* int priority, then the line */
	/* frontend <-> resolver, peerid is the frontend's query id */
	IMSG_QUERY,		/* canonical query (dns_build_query, id 0) */
	IMSG_ANSWER,		/* the upstream's answer, unmodified */
	IMSG_SERVFAIL		/* no answer could be had */
};

struct proc_startup {
	uid_t		 uid;
	gid_t		 gid;
	int		 verbose;
	int		 no_seccomp;	/* debug only: logged loudly */
	char		 chroot[PATH_MAX];
};

struct conf_main {
	uint32_t	 cache_size;
	uint32_t	 ratelimit;
	int32_t		 serve_stale;
	int32_t		 policy;	/* enum conf_policy */
};

/*
 * A child's log line: the parent adds the child's role, escapes what is
 * not printable and limits how many lines a second each child gets.
 */
struct log_msg {
	int		 priority;
	/* followed by the text, NUL-terminated, without any prefix */
};
#define LOG_MSG_MAX	1024

/* proc.c */
const char	*proc_name(enum proc_role);

/*
 * The resolver is a program of its own, installed beside dnstlsd: only
 * the process that talks TLS maps libtls, libssl and libcrypto.
 */
#define RESOLVER_PROGRAM	"dnstlsd-resolver"

/* parent.c: the programs it execs for the frontend and the resolver */
struct child_programs {
	const char	*frontend;
	const char	*resolver;
};
__attribute__((__noreturn__)) void parent_main(struct dnstlsd_conf *,
		    int foreground, int verbose, const struct child_programs *);

/* netwatch.c */
int		 netwatch_open(void);
int		 netwatch_drain(int);

/* frontend.c */
__attribute__((__noreturn__)) void frontend_main(void);

/* resolver.c */
__attribute__((__noreturn__)) void resolver_main(void);

/* proc.c: start-up of a child process, common to both children */
struct event_base;
struct child_startup {
	struct proc_startup	 info;
	struct imsgbuf		 parent;	/* channel to the parent */
	uint16_t		 connect_ports[CONF_MAX_UPSTREAMS];
	size_t			 nconnect;	/* TCP ports it may connect to */
};
void		 child_init(enum proc_role, struct child_startup *);
void		 child_allow_connect(struct child_startup *, uint16_t);
int		 child_get_startup(struct child_startup *, struct imsg *);
void		 child_enter_sandbox(enum proc_role, struct child_startup *);
void		 imsg_fatal_check(const struct imsg *, const struct imsg_rule *,
		    size_t, const char *);
void		 set_nonblock(int);
struct event;
int		 channel_read(struct imsgbuf *, const char *);
int		 sibling_read(struct imsgbuf *, const char *);
int		 channel_get(struct imsgbuf *, struct imsg *,
		    const struct imsg_rule *, size_t, const char *);
void		 channel_flush(struct imsgbuf *, struct event *, const char *);

#endif /* DNSTLSD_H */
