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
 * The metrics listener (metrics listen on, off by default): a minimal
 * HTTP/1.1 server in the frontend on the TCP socket the parent bound.
 * GET and HEAD of /metrics (the Prometheus text format, metrics.c),
 * /health (200 while the frontend serves) and /ready (200 while the
 * resolver has a usable upstream, else 503); anything else 404. Every
 * connection is bounded: HTTP_MAX_CONNS at once (more are closed at
 * once), a request head of HTTP_HEAD_MAX bytes that must be whole
 * within HTTP_HEAD_SEC, HTTP_IDLE_SEC idle between requests, and
 * HTTP_DRAIN_SEC to read a response; one request at a time, input
 * paused while a response is written. At a full table a newcomer takes
 * the place of the connection idle longest (owed nothing): idle or
 * dripping connections cannot keep a scrape out. Never a log line per
 * request.
 *
 * One per process: its state is one static struct, as child.c's.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <event2/event.h>
#include <event2/event_struct.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "channel.h"
#include "control.h"
#include "dnstlsd.h"
#include "frontend.h"
#include "http.h"
#include "log.h"
#include "metrics.h"
#include "sbuf.h"

#define HTTP_MAX_CONNS		8
#define HTTP_HEAD_SEC		5	/* for a request head to be whole */
#define HTTP_IDLE_SEC		60	/* between requests */
#define HTTP_DRAIN_SEC		10	/* for a response to be read */
#define HTTP_SCRAPE_MS		1000	/* for the resolver's upstreams */
#define HTTP_READ		1024

struct http_conn {
	int			 fd;		/* -1: the slot is free */
	struct http_parser	 p;
	uint8_t			 in[HTTP_READ];
	size_t			 inlen;		/* read, not yet parsed */
	int			 waiting;	/* for the scrape's upstreams */
	int			 close_after;
	uint64_t		 heard;		/* order of last activity */
	char			*out;
	size_t			 outlen, outoff;
	struct event		 rev, wev, timer;
};

static struct {
	struct event_base	*base;
	int			 fd;
	struct event		 ev;
	struct channel		*resolver;
	struct http_conn	 conn[HTTP_MAX_CONNS];
	int			 asking;	/* upstreams asked, not all here */
	uint32_t		 seq;
	uint64_t		 clock;		/* for heard */
	struct event		 late;
	struct stats_upstream	 last[CTL_MAX_UPSTREAMS];
	size_t			 nlast;
} http = { .fd = -1 };

static void	 http_input(struct http_conn *);

static void
conn_timer_set(struct http_conn *c, int sec)
{
	struct timeval	 tv = { sec, 0 };

	evtimer_add(&c->timer, &tv);
}

static void
conn_close(struct http_conn *c)
{
	event_del(&c->rev);
	event_del(&c->wev);
	evtimer_del(&c->timer);
	free(c->out);
	c->out = NULL;
	close(c->fd);
	c->fd = -1;
}

/* the response leaves; input waits until it is written */
static void
conn_respond(struct http_conn *c, char *out, size_t len, int close_after)
{
	c->out = out;
	c->outlen = len;
	c->outoff = 0;
	c->close_after = close_after;
	event_del(&c->rev);
	event_add(&c->wev, NULL);
	conn_timer_set(c, HTTP_DRAIN_SEC);
}

static void
conn_error(struct http_conn *c, int status)
{
	char	*out;
	size_t	 len;

	if ((out = malloc(HTTP_RESPONSE_HEAD_MAX + 128)) == NULL ||
	    (len = http_error_response(out, HTTP_RESPONSE_HEAD_MAX + 128,
	    status, time(NULL))) == 0) {
		free(out);
		conn_close(c);
		return;
	}
	conn_respond(c, out, len, 1);
}

/* head and body in one buffer; HEAD gets the head with GET's length */
static void
conn_body(struct http_conn *c, int status, const char *ctype,
    const char *body, size_t bodylen)
{
	char	*out;
	size_t	 hlen, size;
	int	 keep = c->p.req.keepalive;

	size = HTTP_RESPONSE_HEAD_MAX + bodylen;
	if ((out = malloc(size)) == NULL) {
		conn_close(c);
		return;
	}
	hlen = http_response_head(out, size, status, ctype, bodylen, keep,
	    time(NULL));
	if (hlen == 0) {
		free(out);
		conn_close(c);
		return;
	}
	if (c->p.req.method == HTTP_GET) {
		memcpy(out + hlen, body, bodylen);
		hlen += bodylen;
	}
	conn_respond(c, out, hlen, !keep);
}

static void
conn_metrics(struct http_conn *c)
{
	struct stats_frontend	 st;
	struct sbuf		 sb;
	size_t			 i;

	frontend_stats_fill(&st);
	/* plain upstreams are the resolver's to count */
	for (i = 0; i < http.nlast; i++)
		if (http.last[i].flags & STATS_UPF_PLAIN)
			st.plain += http.last[i].queries;
	sbuf_init(&sb, METRICS_MAX);
	if (metrics_render(&sb, &st, http.last, http.nlast,
	    DNSTLSD_VERSION) == -1 || !sbuf_ok(&sb))
		conn_error(c, 500);
	else
		conn_body(c, 200, METRICS_CONTENT_TYPE, sbuf_str(&sb), sb.len);
	sbuf_free(&sb);
}

/* every scrape waiting gets the upstreams as they are now */
void
http_upstreams(const struct stats_upstream *up, size_t n)
{
	size_t	 i;

	if (n > CTL_MAX_UPSTREAMS)
		n = CTL_MAX_UPSTREAMS;
	memcpy(http.last, up, n * sizeof(*up));
	http.nlast = n;
	http.asking = 0;
	evtimer_del(&http.late);
	for (i = 0; i < HTTP_MAX_CONNS; i++)
		if (http.conn[i].fd != -1 && http.conn[i].waiting) {
			http.conn[i].waiting = 0;
			conn_metrics(&http.conn[i]);
		}
}

/* the resolver is late: the last upstreams it gave will do */
static void
scrape_late(evutil_socket_t fd, short events, void *arg)
{
	size_t	 i;

	for (i = 0; i < HTTP_MAX_CONNS; i++)
		if (http.conn[i].fd != -1 && http.conn[i].waiting) {
			http.conn[i].waiting = 0;
			conn_metrics(&http.conn[i]);
		}
}

static void
scrape(struct http_conn *c)
{
	struct timeval	 tv = { HTTP_SCRAPE_MS / 1000,
			    (HTTP_SCRAPE_MS % 1000) * 1000 };

	c->waiting = 1;
	event_del(&c->rev);
	if (http.asking)
		return;
	http.seq++;
	if (http.resolver == NULL || channel_compose(http.resolver,
	    IMSG_CTL_SHOW_UPSTREAMS, OPS_PEERID_HTTP | (http.seq & 0xffffff),
	    -1, NULL, 0) == -1) {
		scrape_late(-1, 0, NULL);
		return;
	}
	http.asking = 1;
	evtimer_add(&http.late, &tv);
}

static void
conn_request(struct http_conn *c)
{
	static const char	 text[] = "text/plain; charset=utf-8";

	switch (http_route(c->p.req.path)) {
	case HTTP_ROUTE_METRICS:
		scrape(c);
		break;
	case HTTP_ROUTE_HEALTH:
		conn_body(c, 200, text, "ok\n", 3);
		break;
	case HTTP_ROUTE_READY:
		if (ctl_usable() > 0)
			conn_body(c, 200, text, "ready\n", 6);
		else
			conn_body(c, 503, text, "no usable upstream\n", 19);
		break;
	default:
		conn_body(c, 404, text, "not found\n", 10);
		break;
	}
}

/* what was read, through the parser: at most one request at a time */
static void
http_input(struct http_conn *c)
{
	size_t	 used;

	if (c->inlen == 0)
		return;
	switch (http_parse(&c->p, c->in, c->inlen, &used)) {
	case HTTP_NEED_MORE:
		c->inlen = 0;
		break;
	case HTTP_ERROR:
		c->inlen = 0;
		conn_error(c, c->p.status);
		break;
	case HTTP_REQUEST:
		memmove(c->in, c->in + used, c->inlen - used);
		c->inlen -= used;
		conn_request(c);
		break;
	}
}

static void
conn_readable(evutil_socket_t fd, short events, void *arg)
{
	struct http_conn	*c = arg;
	ssize_t			 n;

	n = read(fd, c->in + c->inlen, sizeof(c->in) - c->inlen);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		conn_close(c);
		return;
	}
	c->heard = ++http.clock;
	/* the first byte of a head starts its clock */
	if (c->inlen == 0 && c->p.total == 0)
		conn_timer_set(c, HTTP_HEAD_SEC);
	c->inlen += (size_t)n;
	http_input(c);
}

static void
conn_writable(evutil_socket_t fd, short events, void *arg)
{
	struct http_conn	*c = arg;
	ssize_t			 n;

	n = send(fd, c->out + c->outoff, c->outlen - c->outoff,
	    MSG_NOSIGNAL);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		conn_close(c);
		return;
	}
	c->outoff += (size_t)n;
	if (c->outoff < c->outlen)
		return;
	event_del(&c->wev);
	free(c->out);
	c->out = NULL;
	if (c->close_after) {
		conn_close(c);
		return;
	}
	/* the next request, maybe already read (pipelined) */
	http_parser_init(&c->p);
	conn_timer_set(c, c->inlen > 0 ? HTTP_HEAD_SEC : HTTP_IDLE_SEC);
	event_add(&c->rev, NULL);
	http_input(c);
}

/* a head not whole in time gets 408; idle or undrained ones just close */
static void
conn_expired(evutil_socket_t fd, short events, void *arg)
{
	struct http_conn	*c = arg;

	if (c->out == NULL && !c->waiting && (c->inlen > 0 || c->p.total > 0))
		conn_error(c, 408);
	else
		conn_close(c);
}

static void
conn_new(int fd)
{
	struct http_conn	*c = NULL, *idle = NULL, *o;
	size_t			 i;

	for (i = 0; i < HTTP_MAX_CONNS && c == NULL; i++) {
		o = &http.conn[i];
		if (o->fd == -1)
			c = o;
		else if (o->out == NULL && !o->waiting && (idle == NULL ||
		    o->heard < idle->heard))
			idle = o;
	}
	if (c == NULL && idle != NULL) {
		conn_close(idle);
		c = idle;
	}
	if (c == NULL) {
		close(fd);
		return;
	}
	c->heard = ++http.clock;
	c->fd = fd;
	c->inlen = 0;
	c->waiting = 0;
	c->out = NULL;
	http_parser_init(&c->p);
	event_assign(&c->rev, http.base, fd, EV_READ | EV_PERSIST,
	    conn_readable, c);
	event_assign(&c->wev, http.base, fd, EV_WRITE | EV_PERSIST,
	    conn_writable, c);
	evtimer_assign(&c->timer, http.base, conn_expired, c);
	event_add(&c->rev, NULL);
	conn_timer_set(c, HTTP_HEAD_SEC);
}

static void
http_acceptable(evutil_socket_t fd, short events, void *arg)
{
	int	 cfd, i;

	for (i = 0; i < HTTP_MAX_CONNS; i++) {
		if ((cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK |
		    SOCK_CLOEXEC)) == -1)
			return;
		conn_new(cfd);
	}
}

void
http_listen(struct event_base *base, int fd)
{
	http.base = base;
	http.fd = fd;
}

void
http_start(struct channel *resolver)
{
	size_t	 i;

	for (i = 0; i < HTTP_MAX_CONNS; i++)
		http.conn[i].fd = -1;
	http.resolver = resolver;
	if (http.fd == -1)
		return;
	evtimer_assign(&http.late, http.base, scrape_late, NULL);
	event_assign(&http.ev, http.base, http.fd, EV_READ | EV_PERSIST,
	    http_acceptable, NULL);
	if (event_add(&http.ev, NULL) == -1)
		fatalx("%s: event_add", __func__);
}
