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
 * A minimal HTTP/1.1 server side for the metrics listener: an
 * incremental request parser and the response head writer. Pure: bytes
 * in, a verdict out; no sockets, no clock (the caller passes the time).
 *
 * The parser takes the bytes of one request head as they arrive and
 * gives a verdict: need more, a request (GET or HEAD, its path without
 * the query, HTTP/1.0 or 1.1, keep-alive or close), or an error with the
 * status to send before closing. It is strict: CR LF line ends only, no
 * control bytes, no whitespace before a header's colon, no obsolete line
 * folding, the request target in origin form ("/path"), no body (a
 * nonzero Content-Length is 413, any Transfer-Encoding 400). Only
 * Connection, Content-Length, Transfer-Encoding and Host are looked at;
 * Host is not required (there are no virtual hosts) but at most one.
 * Everything is bounded: the head (HTTP_HEAD_MAX), the target, the
 * number of header lines, the values kept.
 */

#ifndef HTTP_H
#define HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define HTTP_HEAD_MAX		4096	/* request line + headers: else 413 */
#define HTTP_TARGET_MAX		256	/* request target: else 414 */
#define HTTP_HEADERS_MAX	64	/* header lines: else 413 */
#define HTTP_VALUE_MAX		128	/* Connection, Content-Length: else 400 */
#define HTTP_TOKEN_MAX		32	/* method, version, names kept */
#define HTTP_RESPONSE_HEAD_MAX	512	/* what http_response_head() writes */

enum http_method {
	HTTP_GET,
	HTTP_HEAD
};

enum http_verdict {
	HTTP_NEED_MORE,
	HTTP_REQUEST,		/* parser.req is complete */
	HTTP_ERROR		/* send parser.status, then close */
};

struct http_request {
	enum http_method	 method;
	int			 minor;		/* HTTP/1.0 or HTTP/1.1 */
	int			 keepalive;	/* 0: close after the answer */
	char			 path[HTTP_TARGET_MAX + 1];	/* no query */
};

struct http_parser {
	int			 state;
	int			 status;	/* of an error */
	size_t			 total;		/* head bytes taken */
	size_t			 target;	/* request target bytes */
	size_t			 len;		/* bytes in tok */
	int			 overlong;	/* tok did not hold it all */
	char			 tok[HTTP_VALUE_MAX + 1];
	int			 field;		/* the header being read */
	int			 nfields;
	int			 conn_close, conn_keepalive;
	int			 seen_length, seen_host;
	struct http_request	 req;
};

enum http_route {
	HTTP_ROUTE_NONE,	/* 404 */
	HTTP_ROUTE_METRICS,	/* /metrics */
	HTTP_ROUTE_HEALTH,	/* /health: 200 while serving */
	HTTP_ROUTE_READY	/* /ready: 200 with a usable upstream, else 503 */
};

void	 http_parser_init(struct http_parser *);

/*
 * Take bytes of a request head. *used is how many were taken: on
 * HTTP_REQUEST the head ends there and what follows is the next request
 * (feed it after http_parser_init()); on HTTP_NEED_MORE all were taken.
 * Once a verdict other than need-more is given, it is given again, with
 * *used 0, until the parser is initialised again.
 */
enum http_verdict http_parse(struct http_parser *, const uint8_t *, size_t,
	    size_t *used);

enum http_route http_route(const char *path);

/* "OK", "Not Found", ...; "Error" for a status we never send */
const char *http_reason(int status);

/*
 * The status line and headers of a response: Date (unless now is 0),
 * Content-Type, Content-Length, Allow on a 405, Connection. The length
 * written, NUL excluded, or 0 when size is too small.
 */
size_t	 http_response_head(char *, size_t, int status, const char *ctype,
	    size_t length, int keepalive, time_t now);

/* a whole error response: a one-line text body, then Connection: close */
size_t	 http_error_response(char *, size_t, int status, time_t now);

#endif /* HTTP_H */
