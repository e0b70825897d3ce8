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
 * What the processes share: the messages they exchange and what each
 * carries, and the entry point of each process. Prototypes are grouped
 * by the file that defines them. A new message type is a line here, a
 * rule with a handler in the table of the process that receives it, and
 * a channel_compose() where it is sent (doc/HACKING.md).
 */

#ifndef DNSTLSD_H
#define DNSTLSD_H

#include <sys/types.h>
#include <limits.h>
#include <stdint.h>

#include "compat.h"
#include "config.h"
#include "imsg.h"
#include "proc.h"

#define DNSTLSD_VERSION		"0.1.0"
#define DEFAULT_SOCKET		"/var/run/dnstlsd.sock"

#define IMSG_FD			3	/* the child's channel to the parent */
#define CA_CHUNK		16384	/* the CA bundle is sent in pieces */
#define CA_MAXSIZE		(8 * 1024 * 1024)

#define QUERY_TIMEOUT_MS	5000	/* frontend: SERVFAIL after this */
#define RESOLVE_TIMEOUT_MS	4500	/* resolver: gives up before that */

enum imsg_type {
	IMSG_NONE,
	/* parent -> child, start-up (child.c) */
	IMSG_STARTUP,		/* struct proc_startup, first */
	IMSG_PEER_SOCKET,	/* fd, struct proc_peer: a sibling's channel */
	IMSG_LISTEN_UDP,	/* fd: a bound UDP socket (frontend) */
	IMSG_LISTEN_TCP,	/* fd: a listening TCP socket (frontend) */
	/* parent -> child, a configuration: BEGIN, the items, END */
	IMSG_CONF_BEGIN,
	IMSG_CONF_MAIN,		/* struct conf_main, once */
	IMSG_CA_CHUNK,		/* a piece of the CA bundle (resolver) */
	IMSG_CONF_UPSTREAM,	/* struct conf_upstream (resolver) */
	IMSG_CONF_ACL,		/* struct acl_rule (frontend) */
	IMSG_CONF_ZONE,		/* a forward zone's wire name (frontend) */
	IMSG_CONF_END,		/* swap it in; the first: sandbox, serve */
	/* parent -> resolver, at run time */
	IMSG_NETWORK_CHANGED,	/* forget upstream health, reconnect */
	/* child -> parent */
	IMSG_LOG,		/* struct log_msg, then the line */
	IMSG_READY,		/* sandboxed and serving; once */
	/* frontend <-> resolver, peerid is the frontend's query id */
	IMSG_QUERY,		/* canonical query (dns_build_query, id 0) */
	IMSG_ANSWER,		/* the upstream's answer, unmodified */
	IMSG_SERVFAIL,		/* no answer could be had */
	/*
	 * Operations (issue 11): the control socket and the metrics
	 * listener are the frontend's; peerid is its client's id
	 * (frontend_ctl.c). Payloads are the structs of control.h, stats.h.
	 */
	IMSG_LISTEN_CONTROL,	/* fd: the control socket (frontend) */
	IMSG_LISTEN_METRICS,	/* fd: the metrics listener (frontend) */
	IMSG_CTL_SHOW_UPSTREAMS, /* frontend -> resolver, no payload */
	IMSG_CTL_UPSTREAM,	/* resolver -> frontend, struct stats_upstream */
	IMSG_CTL_END,		/* resolver -> frontend: that was all */
	IMSG_UPSTREAMS_USABLE,	/* resolver -> frontend, uint32_t count */
	IMSG_CTL_RELOAD,	/* frontend -> parent, no payload */
	IMSG_CTL_RESULT,	/* parent -> frontend, struct ctl_result */
	IMSG_CTL_LOG,		/* frontend -> parent -> resolver, ctl_log */
	/*
	 * In the frontend's configuration: uint32_t, a listener (the
	 * peerid of its IMSG_LISTEN_UDP/TCP) the configuration keeps; the
	 * others are closed at IMSG_CONF_END. New ones come in the sequence.
	 */
	IMSG_CONF_LISTEN,
};

/* what every child is told first */
struct proc_startup {
	uid_t		 uid;
	gid_t		 gid;
	int		 verbose;
	int		 no_seccomp;	/* debug only: logged loudly */
	uid_t		 ctl_uid;	/* started the daemon: may reload */
	char		 chroot[PATH_MAX];	/* "": the non-root start */
};

/* whom the channel of an IMSG_PEER_SOCKET leads to */
struct proc_peer {
	int32_t		 role;		/* enum proc_role */
};

struct conf_main {
	uint32_t	 cache_size;
	uint32_t	 ratelimit;
	int32_t		 serve_stale;
	int32_t		 policy;	/* enum conf_policy */
	int32_t		 prefetch;
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

/*
 * The resolver is a program of its own, installed beside dnstlsd: only
 * the process that talks TLS maps libtls, libssl and libcrypto.
 */
#define RESOLVER_PROGRAM	"dnstlsd-resolver"

/* dnstlsd.c: the file, the command line over it, the defaults */
int		 dnstlsd_conf_load(struct dnstlsd_conf *, char *, size_t);

/* parent.c */
int		 parent_find_programs(const char *self, char *, size_t);
void		 parent_reads(const char *config);
__attribute__((__noreturn__)) void parent_main(struct dnstlsd_conf *,
		    const char *ctl_path, int foreground, int verbose);

/* netwatch.c */
int		 netwatch_open(void);
int		 netwatch_drain(int);

/* frontend.c */
__attribute__((__noreturn__)) void frontend_main(void);

/* resolver.c */
__attribute__((__noreturn__)) void resolver_main(void);

#endif /* DNSTLSD_H */
