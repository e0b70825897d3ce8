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
 * Unit tests of the metrics listener's HTTP parser and response writer.
 * Every request is also fed one byte at a time: the verdict, the status
 * and the bytes taken must not depend on how the input was split.
 */

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "http.h"
#include "test.h"

struct outcome {
	enum http_verdict	 v;
	size_t			 used;
	struct http_parser	 p;
};

static void
parse_whole(const char *s, size_t len, struct outcome *o)
{
	http_parser_init(&o->p);
	o->v = http_parse(&o->p, (const uint8_t *)s, len, &o->used);
}

static void
parse_bytes(const char *s, size_t len, struct outcome *o)
{
	size_t	 i, used;

	http_parser_init(&o->p);
	o->v = HTTP_NEED_MORE;
	o->used = 0;
	for (i = 0; i < len && o->v == HTTP_NEED_MORE; i++) {
		o->v = http_parse(&o->p, (const uint8_t *)s + i, 1, &used);
		o->used += used;
	}
}

/* parse s both ways; both must agree; the whole-buffer outcome in *o */
static void
parse(const char *s, struct outcome *o)
{
	struct outcome	 bytes;
	size_t		 len = strlen(s);

	parse_whole(s, len, o);
	parse_bytes(s, len, &bytes);
	CHECK(o->v == bytes.v);
	CHECK(o->used == bytes.used);
	CHECK(o->v != HTTP_ERROR || o->p.status == bytes.p.status);
	CHECK(o->v != HTTP_REQUEST ||
	    memcmp(&o->p.req, &bytes.p.req, sizeof(o->p.req)) == 0);
}

static int
status_of(const char *s)
{
	struct outcome	 o;

	parse(s, &o);
	if (o.v != HTTP_ERROR)
		return o.v == HTTP_REQUEST ? 200 : 0;
	return o.p.status;
}

static void
t_get(void)
{
	const char	*s = "GET /metrics HTTP/1.1\r\nHost: localhost:9153\r\n"
			    "User-Agent: Prometheus/2.42.0\r\nAccept: "
			    "text/plain;version=0.0.4;q=1,*/*;q=0.1\r\n\r\n";
	struct outcome	 o;

	parse(s, &o);
	CHECK(o.v == HTTP_REQUEST);
	CHECK(o.used == strlen(s));
	CHECK(o.p.req.method == HTTP_GET);
	CHECK(strcmp(o.p.req.path, "/metrics") == 0);
	CHECK(o.p.req.minor == 1);
	CHECK(o.p.req.keepalive == 1);
	CHECK(http_route(o.p.req.path) == HTTP_ROUTE_METRICS);
}

static void
t_head_and_versions(void)
{
	struct outcome	 o;

	parse("HEAD /health HTTP/1.1\r\n\r\n", &o);
	CHECK(o.v == HTTP_REQUEST && o.p.req.method == HTTP_HEAD);
	CHECK(o.p.req.keepalive == 1);
	parse("GET /ready HTTP/1.0\r\n\r\n", &o);
	CHECK(o.v == HTTP_REQUEST && o.p.req.minor == 0);
	CHECK(o.p.req.keepalive == 0);
	parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", &o);
	CHECK(o.v == HTTP_REQUEST && o.p.req.keepalive == 1);
	parse("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", &o);
	CHECK(o.v == HTTP_REQUEST && o.p.req.keepalive == 0);
	parse("GET / HTTP/1.1\r\nconnection:  Upgrade ,  CLOSE \r\n\r\n", &o);
	CHECK(o.v == HTTP_REQUEST && o.p.req.keepalive == 0);
	parse("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n", &o);
	CHECK(o.v == HTTP_REQUEST && o.p.req.keepalive == 0);
	/* Host is not required: no virtual hosts */
	parse("GET / HTTP/1.1\r\n\r\n", &o);
	CHECK(o.v == HTTP_REQUEST);
}

static void
t_path(void)
{
	struct outcome	 o;

	parse("GET /metrics?name[]=x&y=%20 HTTP/1.1\r\n\r\n", &o);
	CHECK(o.v == HTTP_REQUEST);
	CHECK(strcmp(o.p.req.path, "/metrics") == 0);
	parse("GET /a/b/../c%2F HTTP/1.1\r\n\r\n", &o);
	CHECK(o.v == HTTP_REQUEST);
	CHECK(strcmp(o.p.req.path, "/a/b/../c%2F") == 0);
	CHECK(http_route(o.p.req.path) == HTTP_ROUTE_NONE);
	CHECK(http_route("/health") == HTTP_ROUTE_HEALTH);
	CHECK(http_route("/ready") == HTTP_ROUTE_READY);
	CHECK(http_route("/metrics/") == HTTP_ROUTE_NONE);
	CHECK(http_route("/METRICS") == HTTP_ROUTE_NONE);
}

static void
t_leading_empty_lines(void)
{
	struct outcome	 o;

	parse("\r\n\r\nGET / HTTP/1.1\r\n\r\n", &o);
	CHECK(o.v == HTTP_REQUEST);
	CHECK(status_of("\n\nGET / HTTP/1.1\r\n\r\n") == 400);
}

static void
t_need_more(void)
{
	const char	*s = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n";
	struct outcome	 o;
	size_t		 n;

	for (n = 0; n < strlen(s); n++) {
		parse_whole(s, n, &o);
		CHECK(o.v == HTTP_NEED_MORE);
		CHECK(o.used == n);
	}
}

/* keep-alive: the next request starts where the head ended */
static void
t_pipelined(void)
{
	const char		*s = "GET /health HTTP/1.1\r\n\r\n"
				    "GET /metrics HTTP/1.1\r\n\r\n";
	struct http_parser	 p;
	size_t			 used, used2;

	http_parser_init(&p);
	CHECK(http_parse(&p, (const uint8_t *)s, strlen(s), &used) ==
	    HTTP_REQUEST);
	CHECK(used == 24);
	CHECK(strcmp(p.req.path, "/health") == 0);
	/* the verdict stays until the parser is initialised again */
	CHECK(http_parse(&p, (const uint8_t *)s + used, strlen(s) - used,
	    &used2) == HTTP_REQUEST);
	CHECK(used2 == 0);
	http_parser_init(&p);
	CHECK(http_parse(&p, (const uint8_t *)s + used, strlen(s) - used,
	    &used2) == HTTP_REQUEST);
	CHECK(used2 == strlen(s) - used);
	CHECK(strcmp(p.req.path, "/metrics") == 0);
}

static void
t_methods(void)
{
	CHECK(status_of("POST /metrics HTTP/1.1\r\n\r\n") == 405);
	CHECK(status_of("get / HTTP/1.1\r\n\r\n") == 405);
	CHECK(status_of("GETT / HTTP/1.1\r\n\r\n") == 405);
	CHECK(status_of("OPTIONS * HTTP/1.1\r\n\r\n") == 405);
	CHECK(status_of("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") == 405);
	CHECK(status_of("G(T / HTTP/1.1\r\n\r\n") == 400);
	CHECK(status_of(" GET / HTTP/1.1\r\n\r\n") == 400);
}

static void
t_request_line(void)
{
	CHECK(status_of("GET metrics HTTP/1.1\r\n\r\n") == 400);
	CHECK(status_of("GET * HTTP/1.1\r\n\r\n") == 400);
	CHECK(status_of("GET http://x/metrics HTTP/1.1\r\n\r\n") == 400);
	CHECK(status_of("GET  / HTTP/1.1\r\n\r\n") == 400);
	CHECK(status_of("GET /\r\n\r\n") == 400);		/* HTTP/0.9 */
	CHECK(status_of("GET / HTTP/1.1 \r\n\r\n") == 400);
	CHECK(status_of("GET / http/1.1\r\n\r\n") == 400);
	CHECK(status_of("GET / HTTP/1.10\r\n\r\n") == 400);
	CHECK(status_of("GET / HTTP/2.0\r\n\r\n") == 505);
	CHECK(status_of("GET / HTTP/1.2\r\n\r\n") == 505);
	CHECK(status_of("GET / HTTP/0.9\r\n\r\n") == 505);
	CHECK(status_of("GET /a#frag HTTP/1.1\r\n\r\n") == 400);
	CHECK(status_of("GET /a\tb HTTP/1.1\r\n\r\n") == 400);
	CHECK(status_of("GET /a\x7f HTTP/1.1\r\n\r\n") == 400);
	CHECK(status_of("GET /\xc3\xa9 HTTP/1.1\r\n\r\n") == 400);
}

static void
t_line_ends(void)
{
	CHECK(status_of("GET / HTTP/1.1\n\n") == 400);
	CHECK(status_of("GET / HTTP/1.1\r\nHost: x\n\r\n") == 400);
	CHECK(status_of("GET / HTTP/1.1\r\nHost: x\r\n\n") == 400);
	CHECK(status_of("GET / HTTP/1.1\r\nHost: x\rX\r\n\r\n") == 400);
	CHECK(status_of("GET / HTTP/1.1\r\r\n\r\n") == 400);
}

static void
t_headers(void)
{
	static const char	 nul[] = "GET / HTTP/1.1\r\nA: b\0c\r\n\r\n";
	struct outcome		 o;

	CHECK(status_of("GET / HTTP/1.1\r\nHost : x\r\n\r\n") == 400);
	CHECK(status_of("GET / HTTP/1.1\r\n Host: x\r\n\r\n") == 400);
	CHECK(status_of("GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n") == 400);
	CHECK(status_of("GET / HTTP/1.1\r\n: x\r\n\r\n") == 400);
	CHECK(status_of("GET / HTTP/1.1\r\nNoColon\r\n\r\n") == 400);
	CHECK(status_of("GET / HTTP/1.1\r\nA(b: x\r\n\r\n") == 400);
	CHECK(status_of("GET / HTTP/1.1\r\nA: b\x01\r\n\r\n") == 400);
	CHECK(status_of("GET / HTTP/1.1\r\nA: b\x7f\r\n\r\n") == 400);
	/* a NUL in a value: the string functions would stop at it */
	parse_whole(nul, sizeof(nul) - 1, &o);
	CHECK(o.v == HTTP_ERROR && o.p.status == 400);
	/* obs-text, tabs and empty values are fine */
	CHECK(status_of("GET / HTTP/1.1\r\nA: caf\xc3\xa9\t x\r\n\r\n") == 200);
	CHECK(status_of("GET / HTTP/1.1\r\nA:\r\nB: \t \r\n\r\n") == 200);
	CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") == 400);
}

static void
t_body(void)
{
	CHECK(status_of("GET / HTTP/1.1\r\nContent-Length: 0\r\n\r\n") == 200);
	CHECK(status_of("GET / HTTP/1.1\r\nContent-Length: 000\r\n\r\n") ==
	    200);
	CHECK(status_of("GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello") ==
	    413);
	CHECK(status_of("GET / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n") ==
	    400);
	CHECK(status_of("GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") ==
	    400);
	CHECK(status_of("GET / HTTP/1.1\r\nContent-Length:\r\n\r\n") == 400);
	CHECK(status_of("GET / HTTP/1.1\r\nContent-Length: 0\r\n"
	    "Content-Length: 0\r\n\r\n") == 400);
	CHECK(status_of("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n"
	    "\r\n0\r\n\r\n") == 400);
}

static void
t_limits(void)
{
	char	 buf[HTTP_HEAD_MAX * 2];
	size_t	 n;
	int	 i;

	/* the longest target passes, one more byte is 414 */
	n = (size_t)snprintf(buf, sizeof(buf), "GET /%0*d HTTP/1.1\r\n\r\n",
	    HTTP_TARGET_MAX - 1, 0);
	CHECK(n < sizeof(buf) && status_of(buf) == 200);
	snprintf(buf, sizeof(buf), "GET /%0*d HTTP/1.1\r\n\r\n",
	    HTTP_TARGET_MAX, 0);
	CHECK(status_of(buf) == 414);
	snprintf(buf, sizeof(buf), "GET /?%0*d HTTP/1.1\r\n\r\n",
	    HTTP_TARGET_MAX, 0);
	CHECK(status_of(buf) == 414);

	/* a head of exactly HTTP_HEAD_MAX passes, one byte more is 413 */
	for (i = 0; i <= 1; i++) {
		n = (size_t)snprintf(buf, sizeof(buf),
		    "GET / HTTP/1.1\r\nX: %0*d\r\n\r\n",
		    HTTP_HEAD_MAX - 23 + i, 0);
		CHECK(n == HTTP_HEAD_MAX + (size_t)i);
		CHECK(status_of(buf) == (i == 0 ? 200 : 413));
	}

	/* header lines are counted */
	n = (size_t)snprintf(buf, sizeof(buf), "GET / HTTP/1.1\r\n");
	for (i = 0; i < HTTP_HEADERS_MAX; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "A: b\r\n");
	snprintf(buf + n, sizeof(buf) - n, "\r\n");
	CHECK(status_of(buf) == 200);
	snprintf(buf + n, sizeof(buf) - n, "A: b\r\n\r\n");
	CHECK(status_of(buf) == 413);

	/* a Connection value too long to read is refused, others are not */
	snprintf(buf, sizeof(buf), "GET / HTTP/1.1\r\nConnection: %0*d\r\n\r\n",
	    HTTP_VALUE_MAX + 1, 0);
	CHECK(status_of(buf) == 400);
	snprintf(buf, sizeof(buf), "GET / HTTP/1.1\r\nCookie: %0*d\r\n\r\n",
	    HTTP_VALUE_MAX * 4, 0);
	CHECK(status_of(buf) == 200);
	/* a header name longer than kept is just another header */
	snprintf(buf, sizeof(buf), "GET / HTTP/1.1\r\nConnection%0*d: close"
	    "\r\n\r\n", HTTP_TOKEN_MAX, 0);
	CHECK(status_of(buf) == 200);
}

static void
t_error_sticks(void)
{
	struct http_parser	 p;
	size_t			 used;

	http_parser_init(&p);
	CHECK(http_parse(&p, (const uint8_t *)"PUT", 3, &used) ==
	    HTTP_NEED_MORE);
	CHECK(http_parse(&p, (const uint8_t *)" / HTTP/1.1\r\n", 13, &used) ==
	    HTTP_ERROR);
	CHECK(used == 1 && p.status == 405);
	CHECK(http_parse(&p, (const uint8_t *)"GET", 3, &used) == HTTP_ERROR);
	CHECK(used == 0 && p.status == 405);
}

static void
t_response_head(void)
{
	char	 buf[HTTP_RESPONSE_HEAD_MAX];
	size_t	 n;
	const char *want = "HTTP/1.1 200 OK\r\n"
	    "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
	    "Content-Length: 1234\r\nConnection: keep-alive\r\n\r\n";

	n = http_response_head(buf, sizeof(buf), 200,
	    "text/plain; version=0.0.4; charset=utf-8", 1234, 1, 0);
	CHECK(n == strlen(want) && strcmp(buf, want) == 0);
	/* RFC 9110's example date */
	n = http_response_head(buf, sizeof(buf), 503,
	    "text/plain; charset=utf-8", 0, 0, 784111777);
	CHECK(strcmp(buf, "HTTP/1.1 503 Service Unavailable\r\n"
	    "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Length: 0\r\nConnection: close\r\n\r\n") == 0);
	CHECK(n == strlen(buf));
	n = http_response_head(buf, sizeof(buf), 405, "text/plain", 0, 0, 0);
	CHECK(n > 0 && strstr(buf, "\r\nAllow: GET, HEAD\r\n") != NULL);
	CHECK(http_response_head(buf, 20, 200, "text/plain", 0, 1, 0) == 0);
	CHECK(strcmp(http_reason(404), "Not Found") == 0);
	CHECK(strcmp(http_reason(299), "Error") == 0);
}

static void
t_error_response(void)
{
	char	 buf[HTTP_RESPONSE_HEAD_MAX];
	size_t	 n;
	int	 statuses[] = { 400, 404, 405, 408, 413, 414, 503, 505 };
	size_t	 i;

	n = http_error_response(buf, sizeof(buf), 404, 0);
	CHECK(n == strlen(buf));
	CHECK(strcmp(buf, "HTTP/1.1 404 Not Found\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Length: 10\r\nConnection: close\r\n\r\nNot Found\n") == 0);
	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		CHECK(http_error_response(buf, sizeof(buf), statuses[i],
		    784111777) > 0);
	CHECK(http_error_response(buf, 100, 404, 0) == 0);
}

void
test_http(void)
{
	RUN(t_get);
	RUN(t_head_and_versions);
	RUN(t_path);
	RUN(t_leading_empty_lines);
	RUN(t_need_more);
	RUN(t_pipelined);
	RUN(t_methods);
	RUN(t_request_line);
	RUN(t_line_ends);
	RUN(t_headers);
	RUN(t_body);
	RUN(t_limits);
	RUN(t_error_sticks);
	RUN(t_response_head);
	RUN(t_error_response);
}
