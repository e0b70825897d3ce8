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
 * The control protocol: dnstlsctl and the control socket the frontend
 * serves (a UNIX stream socket the parent binds, mode 0660, owned by
 * root). Framing is imsg (imsg.h); the structs are those of stats.h plus
 * the ones below, all of fixed size, and every message is checked for
 * its exact size on both sides.
 *
 * One request per connection: dnstlsctl sends one message, the daemon
 * answers and closes. Every message carries CTL_VERSION as its peerid;
 * the side that sees another version says so instead of misreading a
 * struct of another layout.
 *
 *	request			reply
 *	CTL_SHOW_STATS		CTL_STATS
 *	CTL_SHOW_UPSTREAMS	CTL_UPSTREAM per upstream, then CTL_END
 *	CTL_RELOAD		CTL_RESULT ("file:line: message" when not ok)
 *	CTL_LOG			CTL_RESULT
 *	CTL_FLUSH_CACHE		CTL_RESULT
 *
 * Any request may instead get CTL_RESULT with ok 0: not permitted,
 * unknown request, version mismatch, daemon busy.
 *
 * Both sides read the socket with read(2) and cut frames with
 * ctl_frame(), never with recvmsg(): no descriptor travels on it, and a
 * local client must not be able to hand one to the sandboxed frontend.
 * Writing with imsg_compose() and imsg_write() is fine.
 *
 * Pure: the command-line grammar, the rules for imsg_check() and the
 * checks of each payload; no sockets.
 */

#ifndef CONTROL_H
#define CONTROL_H

#include <stddef.h>
#include <stdint.h>

#include "imsg.h"
#include "stats.h"

#define CTL_VERSION		1	/* in every message's peerid */
#define CTL_NAMELEN		256	/* flush cache NAME, NUL included */
#define CTL_MSGLEN		512	/* a result's text, NUL included */
#define CTL_MAX_UPSTREAMS	256	/* CTL_UPSTREAM messages in one reply */
#define CTL_TIMEOUT_MS		10000	/* dnstlsctl: the whole exchange */

/* the frontend's side, per control connection */
#define CTL_MAX_CLIENTS		8	/* connections at once; more: closed */
#define CTL_CLIENT_MS		5000	/* to send the request, read the reply */
#define CTL_REQUEST_MAX		(IMSG_HDRLEN + sizeof(struct ctl_flush))
#define CTL_FRAME_MAX		(IMSG_HDRLEN + sizeof(struct stats_frontend))
#define CTL_REPLY_MAX		(CTL_MAX_UPSTREAMS * \
				    (IMSG_HDRLEN + sizeof(struct stats_upstream)) + \
				    IMSG_HDRLEN + sizeof(struct stats_frontend))

enum ctl_type {
	/* dnstlsctl -> dnstlsd */
	CTL_SHOW_STATS = 100,	/* no payload */
	CTL_SHOW_UPSTREAMS,	/* no payload */
	CTL_RELOAD,		/* no payload */
	CTL_LOG,		/* struct ctl_log */
	CTL_FLUSH_CACHE,	/* struct ctl_flush */
	/* dnstlsd -> dnstlsctl */
	CTL_STATS = 200,	/* struct stats_frontend */
	CTL_UPSTREAM,		/* struct stats_upstream */
	CTL_END,		/* no payload: the list is complete */
	CTL_RESULT		/* struct ctl_result */
};

enum ctl_log_level {
	CTL_LOG_BRIEF,		/* warnings and events only */
	CTL_LOG_VERBOSE		/* and log_debug() lines: dnstlsd -v */
};

struct ctl_log {
	int32_t		 level;		/* enum ctl_log_level */
};

struct ctl_flush {
	char		 name[CTL_NAMELEN];	/* "" everything, else NAME
						   and every name below it */
};

struct ctl_result {
	int32_t		 ok;		/* 1 done, 0 failed */
	char		 msg[CTL_MSGLEN];	/* why not, or what was done */
};

/* a parsed command line, ready for imsg_compose(type, &payload, len) */
struct ctl_request {
	uint32_t	 type;
	size_t		 len;
	union {
		struct ctl_log	 log;
		struct ctl_flush flush;
	}		 payload;
};

extern const struct imsg_rule	 ctl_request_rules[];
extern const size_t		 ctl_nrequest_rules;
extern const struct imsg_rule	 ctl_reply_rules[];
extern const size_t		 ctl_nreply_rules;

/*
 * The command words after dnstlsctl's options ("show stats", "flush cache
 * example.com", ...). 0 ok, -1 with a message in err.
 */
int	 ctl_parse_command(int, char *const [], struct ctl_request *,
	    char *, size_t);

/* "show stats", "reload", ... for a request type; "unknown" otherwise */
const char *ctl_request_name(uint32_t);

/* requests only root (or the uid that started the daemon) may make */
int	 ctl_needs_privilege(uint32_t);

/* payload checks for what arrived from the other side: 0 ok, -1 not */
int	 ctl_check_log(const struct ctl_log *);
int	 ctl_check_flush(const struct ctl_flush *);
int	 ctl_check_result(const struct ctl_result *);

/*
 * A name in text form ("example.com", "example.com.", "." or "") into
 * wire form (at most 255 bytes, "" and "." give the root). Labels are
 * 1-63 printable ASCII bytes other than '.' and '\\' (no escapes).
 * 0 ok, -1 not a name.
 */
int	 ctl_name_wire(const char *, uint8_t [255], size_t *);

/*
 * The first frame of bytes read from the socket, in imsg's framing: 1
 * with *imsg filled (imsg->data points into buf, imsg->fd is -1) and its
 * length in *framelen; 0 when more bytes are needed; -1 when the bytes
 * cannot be a frame of at most max bytes (or carry flags). Check the
 * message with imsg_check() and the rules of the receiving side.
 */
int	 ctl_frame(const uint8_t *, size_t, size_t max, struct imsg *,
	    size_t *framelen);

/* fill a result: msg formatted and truncated to fit */
void	 ctl_result_set(struct ctl_result *, int ok, const char *, ...)
	    __attribute__((__format__ (printf, 3, 4)));

#endif /* CONTROL_H */
