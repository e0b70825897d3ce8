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
 * dnstlsctl: asks a running dnstlsd over its control socket. One
 * request, one reply, then exit: 0 done, 1 the daemon answered with an
 * error (printed), 2 a usage, connection or protocol error. The whole
 * exchange has CTL_TIMEOUT_MS: a daemon that never answers cannot hang
 * it. Trusts the daemon no more than it must: every reply is checked for
 * its exact size and its strings before it is printed.
 *
 * Linked to imsg.c (to write the request) and the pure protocol and
 * formatting code only: no libtls, no libevent.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "control.h"
#include "ctlfmt.h"
#include "dnstlsd.h"
#include "imsg.h"
#include "sbuf.h"
#include "stats.h"

#define EXIT_FAILED	1	/* the daemon said no */
#define EXIT_TROUBLE	2	/* usage, connection, protocol */
#define CONNECT_RETRY_MS 100	/* backlog full: try again */

struct reply {
	uint32_t		 request;
	int			 done;
	int			 have_stats;
	struct stats_frontend	 stats;
	struct stats_upstream	*up;
	size_t			 nup;
	int			 have_result;
	struct ctl_result	 result;
};

static const char	*sockpath = DEFAULT_SOCKET;

static __attribute__((__noreturn__)) void
usage(int status)
{
	FILE	*out = status == 0 ? stdout : stderr;

	fprintf(out,
	    "usage: dnstlsctl [-j] [-s socket] command [argument]\n"
	    "  show stats           queries, answers, cache, latency\n"
	    "  show upstreams       state, RTT, failures, TLS, pin of each "
	    "upstream\n"
	    "  reload               read the configuration again\n"
	    "  log verbose | brief  turn debug logging on or off\n"
	    "  flush cache [NAME]   drop cached answers (for NAME and below)\n"
	    "  -j, --json           print JSON\n"
	    "  -s, --socket PATH    control socket; default %s\n"
	    "  -V, --version        print the version\n"
	    "  -h, --help           print this help\n", DEFAULT_SOCKET);
	exit(status);
}

static __attribute__((__noreturn__, __format__ (printf, 2, 3))) void
die(int status, const char *fmt, ...)
{
	va_list	 ap;

	fflush(stdout);
	fputs("dnstlsctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

static int64_t
now_ms(void)
{
	return (int64_t)monotonic_ms();
}

/* milliseconds left before the deadline, or the timeout error */
static int
left_ms(int64_t deadline)
{
	int64_t	 left = deadline - now_ms();

	if (left <= 0)
		die(EXIT_TROUBLE, "no reply from dnstlsd on %s within %d s",
		    sockpath, CTL_TIMEOUT_MS / 1000);
	return (int)left;
}

static void
wait_for(int fd, short events, int64_t deadline)
{
	struct pollfd	 pfd;

	pfd.fd = fd;
	pfd.events = events;
	pfd.revents = 0;
	if (poll(&pfd, 1, left_ms(deadline)) == -1 && errno != EINTR)
		die(EXIT_TROUBLE, "poll: %s", strerror(errno));
}

static __attribute__((__noreturn__)) void
connect_failed(int error)
{
	const char	*hint = "";

	if (error == ENOENT || error == ECONNREFUSED)
		hint = " (is dnstlsd running? -s names another socket)";
	else if (error == EACCES || error == EPERM)
		hint = " (the socket is for root and its group)";
	die(EXIT_TROUBLE, "cannot connect to %s: %s%s", sockpath,
	    strerror(error), hint);
}

static int
connect_socket(int64_t deadline)
{
	struct sockaddr_un	 sun;
	socklen_t		 len = sizeof(int);
	int			 fd, error;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(sockpath) >= sizeof(sun.sun_path))
		die(EXIT_TROUBLE, "socket path too long: %s", sockpath);
	memcpy(sun.sun_path, sockpath, strlen(sockpath));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) == -1)
		die(EXIT_TROUBLE, "socket: %s", strerror(errno));
	/* a full backlog says EAGAIN on Linux: the daemon is slow, wait */
	while (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		if (errno == EAGAIN) {
			poll(NULL, 0, CONNECT_RETRY_MS);
			(void)left_ms(deadline);
			continue;
		}
		if (errno != EINPROGRESS && errno != EINTR)
			connect_failed(errno);
		wait_for(fd, POLLOUT, deadline);
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) == -1)
			connect_failed(errno);
		if (error != 0)
			connect_failed(error);
		break;
	}
	return fd;
}

static __attribute__((__noreturn__)) void
closed_early(void)
{
	die(EXIT_TROUBLE, "dnstlsd closed the connection without a reply");
}

static void
send_request(struct imsgbuf *ibuf, const struct ctl_request *req,
    int64_t deadline)
{
	int	 r;

	if (imsg_compose(ibuf, req->type, CTL_VERSION, -1, &req->payload,
	    req->len) == -1)
		die(EXIT_TROUBLE, "imsg_compose: %s", strerror(errno));
	while ((r = imsg_write(ibuf)) == 0)
		wait_for(ibuf->fd, POLLOUT, deadline);
	if (r == -1 && (errno == EPIPE || errno == ECONNRESET))
		closed_early();
	if (r == -1)
		die(EXIT_TROUBLE, "write to %s: %s", sockpath,
		    strerror(errno));
}

static __attribute__((__noreturn__)) void
bad_reply(const struct imsg *imsg, const char *why)
{
	die(EXIT_TROUBLE, "bad reply from dnstlsd (type %u, %zu bytes): %s",
	    imsg->hdr.type, imsg->datalen, why);
}

/* one reply message: store it, and say when the reply is complete */
static void
take(struct reply *rp, const struct imsg *imsg)
{
	struct stats_upstream	*up;

	if (imsg->hdr.peerid != CTL_VERSION)
		die(EXIT_TROUBLE, "dnstlsd speaks control protocol version %u, "
		    "dnstlsctl version %u: use the dnstlsctl installed with "
		    "it", imsg->hdr.peerid, CTL_VERSION);
	if (imsg_check(imsg, ctl_reply_rules, ctl_nreply_rules) == -1)
		bad_reply(imsg, "unexpected type or size");
	switch (imsg->hdr.type) {
	case CTL_RESULT:
		memcpy(&rp->result, imsg->data, sizeof(rp->result));
		if (ctl_check_result(&rp->result) == -1)
			bad_reply(imsg, "malformed result");
		rp->have_result = rp->done = 1;
		break;
	case CTL_STATS:
		if (rp->request != CTL_SHOW_STATS)
			bad_reply(imsg, "statistics not asked for");
		memcpy(&rp->stats, imsg->data, sizeof(rp->stats));
		rp->have_stats = rp->done = 1;
		break;
	case CTL_UPSTREAM:
		if (rp->request != CTL_SHOW_UPSTREAMS)
			bad_reply(imsg, "upstream not asked for");
		if (rp->nup >= CTL_MAX_UPSTREAMS)
			bad_reply(imsg, "too many upstreams");
		if ((up = reallocarray(rp->up, rp->nup + 1, sizeof(*up))) ==
		    NULL)
			die(EXIT_TROUBLE, "out of memory");
		rp->up = up;
		memcpy(&up[rp->nup], imsg->data, sizeof(*up));
		if (stats_upstream_check(&up[rp->nup]) == -1)
			bad_reply(imsg, "malformed upstream");
		rp->nup++;
		break;
	case CTL_END:
		if (rp->request != CTL_SHOW_UPSTREAMS)
			bad_reply(imsg, "end of a list not asked for");
		rp->done = 1;
		break;
	}
}

/*
 * Read until the reply is complete. read(2), not recvmsg(): nothing
 * the daemon could attach to a message is ever accepted.
 */
static void
receive_reply(int fd, struct reply *rp, int64_t deadline)
{
	uint8_t		 buf[2 * CTL_FRAME_MAX];
	struct imsg	 imsg;
	size_t		 have = 0, off, framelen;
	ssize_t		 n;
	int		 r = 0;

	while (!rp->done) {
		wait_for(fd, POLLIN, deadline);
		if ((n = read(fd, buf + have, sizeof(buf) - have)) == -1) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			if (errno == ECONNRESET)
				closed_early();
			die(EXIT_TROUBLE, "read from %s: %s", sockpath,
			    strerror(errno));
		}
		if (n == 0)
			closed_early();
		have += (size_t)n;
		for (off = 0; !rp->done && (r = ctl_frame(buf + off,
		    have - off, CTL_FRAME_MAX, &imsg, &framelen)) == 1;
		    off += framelen)
			take(rp, &imsg);
		if (r == -1)
			die(EXIT_TROUBLE, "bad reply from dnstlsd: not a "
			    "control message");
		memmove(buf, buf + off, have - off);
		have -= off;
	}
}

static int
print_reply(const struct reply *rp, int json)
{
	struct sbuf	 sb;
	int		 status = 0;

	sbuf_init(&sb, CTLFMT_MAX);
	if (rp->have_result) {
		ctlfmt_result(&sb, &rp->result, json);
		status = rp->result.ok ? 0 : EXIT_FAILED;
	} else if (rp->have_stats)
		ctlfmt_stats(&sb, &rp->stats, json, (int64_t)time(NULL));
	else
		ctlfmt_upstreams(&sb, rp->up, rp->nup, json,
		    (int64_t)time(NULL));
	if (!sbuf_ok(&sb))
		die(EXIT_TROUBLE, "output too large");
	if (status != 0 && !json) {
		if (sb.len > 0 && sb.buf[sb.len - 1] == '\n')
			sb.buf[--sb.len] = '\0';
		die(status, "%s: %s", ctl_request_name(rp->request),
		    sb.len > 0 ? sbuf_str(&sb) : "failed");
	}
	if (fwrite(sbuf_str(&sb), 1, sb.len, stdout) != sb.len ||
	    fflush(stdout) == EOF)
		die(EXIT_TROUBLE, "write error: %s", strerror(errno));
	sbuf_free(&sb);
	return status;
}

static const struct option longopts[] = {
	{ "json",	no_argument,		NULL,	'j' },
	{ "socket",	required_argument,	NULL,	's' },
	{ "version",	no_argument,		NULL,	'V' },
	{ "help",	no_argument,		NULL,	'h' },
	{ NULL,		0,			NULL,	0 }
};

int
main(int argc, char *argv[])
{
	struct ctl_request	 req;
	struct imsgbuf		 ibuf;
	struct reply		 rp;
	char			 err[256];
	int64_t			 deadline;
	int			 ch, fd, status, json = 0;

	while ((ch = getopt_long(argc, argv, "+hjs:V", longopts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			json = 1;
			break;
		case 's':
			sockpath = optarg;
			break;
		case 'V':
			printf("dnstlsctl %s\n", DNSTLSD_VERSION);
			return 0;
		case 'h':
			usage(0);
		default:
			usage(EXIT_TROUBLE);
		}
	}
	argc -= optind;
	argv += optind;
	if (ctl_parse_command(argc, argv, &req, err, sizeof(err)) == -1) {
		fprintf(stderr, "dnstlsctl: %s\n", err);
		usage(EXIT_TROUBLE);
	}

	if (pledge_promises("stdio unix") == -1)
		die(EXIT_TROUBLE, "pledge: %s", strerror(errno));
	deadline = now_ms() + CTL_TIMEOUT_MS;
	fd = connect_socket(deadline);
	if (pledge_promises("stdio") == -1)
		die(EXIT_TROUBLE, "pledge: %s", strerror(errno));
	if (imsgbuf_init(&ibuf, fd) == -1)
		die(EXIT_TROUBLE, "imsgbuf_init: %s", strerror(errno));
	memset(&rp, 0, sizeof(rp));
	rp.request = req.type;
	send_request(&ibuf, &req, deadline);
	receive_reply(fd, &rp, deadline);
	imsgbuf_clear(&ibuf);
	close(fd);
	status = print_reply(&rp, json);
	free(rp.up);
	return status;
}
