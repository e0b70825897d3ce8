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
 * The HTTP/1.1 request parser and response writer of the metrics
 * listener (http.h). Pure. A byte-at-a-time state machine: a request
 * split anywhere gets the same verdict as the request in one piece, and
 * nothing is ever buffered beyond the few bytes of the token at hand.
 */

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "compat.h"
#include "http.h"

enum state {
	S_START,		/* before the request line; empty lines skipped */
	S_START_LF,
	S_METHOD,
	S_TARGET,
	S_QUERY,		/* the request target after '?' */
	S_VERSION,
	S_LINE_LF,
	S_FIELD,		/* start of a header line, or the blank line */
	S_NAME,
	S_VALUE_OWS,		/* whitespace before a header's value */
	S_VALUE,
	S_FIELD_LF,
	S_END_LF,
	S_DONE,
	S_FAILED
};

enum field {
	F_OTHER,
	F_CONNECTION,
	F_CONTENT_LENGTH,
	F_TRANSFER_ENCODING,
	F_HOST
};

static const struct {
	const char	*name;
	enum field	 field;
} fields[] = {
	{ "connection", F_CONNECTION },
	{ "content-length", F_CONTENT_LENGTH },
	{ "transfer-encoding", F_TRANSFER_ENCODING },
	{ "host", F_HOST },
};

static const struct {
	int		 status;
	const char	*reason;
} reasons[] = {
	{ 200, "OK" },
	{ 400, "Bad Request" },
	{ 404, "Not Found" },
	{ 405, "Method Not Allowed" },
	{ 408, "Request Timeout" },
	{ 413, "Content Too Large" },
	{ 414, "URI Too Long" },
	{ 500, "Internal Server Error" },
	{ 503, "Service Unavailable" },
	{ 505, "HTTP Version Not Supported" },
};

/* RFC 9110 5.6.2 */
static int
tchar(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' &&
	    strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static int
vchar(uint8_t c)
{
	return c > 0x20 && c < 0x7f;
}

/* a header value's bytes: visible, obs-text, space and tab */
static int
field_byte(uint8_t c)
{
	return vchar(c) || c >= 0x80 || c == ' ' || c == '\t';
}

void
http_parser_init(struct http_parser *p)
{
	memset(p, 0, sizeof(*p));
	p->state = S_START;
}

static enum http_verdict
fail(struct http_parser *p, int status)
{
	p->state = S_FAILED;
	p->status = status;
	return HTTP_ERROR;
}

/* keep a byte of the current token, noting when it does not fit */
static void
keep(struct http_parser *p, uint8_t c, size_t max)
{
	if (p->len < max && p->len < sizeof(p->tok) - 1)
		p->tok[p->len++] = (char)c;
	else
		p->overlong = 1;
	p->tok[p->len] = '\0';
}

static void
tok_reset(struct http_parser *p)
{
	p->len = 0;
	p->overlong = 0;
	p->tok[0] = '\0';
}

static enum http_verdict
end_method(struct http_parser *p)
{
	if (!p->overlong && strcmp(p->tok, "GET") == 0)
		p->req.method = HTTP_GET;
	else if (!p->overlong && strcmp(p->tok, "HEAD") == 0)
		p->req.method = HTTP_HEAD;
	else
		return fail(p, 405);
	tok_reset(p);
	p->state = S_TARGET;
	return HTTP_NEED_MORE;
}

static enum http_verdict
end_version(struct http_parser *p)
{
	const char	*v = p->tok;

	if (!p->overlong && strcmp(v, "HTTP/1.1") == 0)
		p->req.minor = 1;
	else if (!p->overlong && strcmp(v, "HTTP/1.0") == 0)
		p->req.minor = 0;
	else if (!p->overlong && p->len == 8 && strncmp(v, "HTTP/", 5) == 0 &&
	    isdigit((unsigned char)v[5]) && v[6] == '.' &&
	    isdigit((unsigned char)v[7]))
		return fail(p, 505);
	else
		return fail(p, 400);
	tok_reset(p);
	p->state = S_LINE_LF;
	return HTTP_NEED_MORE;
}

static enum field
field_of(const struct http_parser *p)
{
	size_t	 i;

	if (p->overlong)
		return F_OTHER;
	for (i = 0; i < nitems(fields); i++)
		if (strcasecmp(p->tok, fields[i].name) == 0)
			return fields[i].field;
	return F_OTHER;
}

/* the comma-separated options of Connection: close, keep-alive */
static void
connection_options(struct http_parser *p)
{
	char	*opt, *next, *end;

	for (opt = p->tok; opt != NULL; opt = next) {
		if ((next = strchr(opt, ',')) != NULL)
			*next++ = '\0';
		while (*opt == ' ' || *opt == '\t')
			opt++;
		end = opt + strlen(opt);
		while (end > opt && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (strcasecmp(opt, "close") == 0)
			p->conn_close = 1;
		else if (strcasecmp(opt, "keep-alive") == 0)
			p->conn_keepalive = 1;
	}
}

static enum http_verdict
content_length(struct http_parser *p)
{
	size_t	 i;
	int	 nonzero = 0;

	if (p->seen_length++ || p->len == 0)
		return fail(p, 400);
	for (i = 0; i < p->len; i++) {
		if (!isdigit((unsigned char)p->tok[i]))
			return fail(p, 400);
		if (p->tok[i] != '0')
			nonzero = 1;
	}
	return nonzero ? fail(p, 413) : HTTP_NEED_MORE;
}

/* a header line is complete (its CR seen): act on what matters */
static enum http_verdict
end_field(struct http_parser *p)
{
	while (p->len > 0 && (p->tok[p->len - 1] == ' ' ||
	    p->tok[p->len - 1] == '\t'))
		p->tok[--p->len] = '\0';
	p->state = S_FIELD_LF;
	switch (p->field) {
	case F_CONNECTION:
		if (p->overlong)
			return fail(p, 400);
		connection_options(p);
		break;
	case F_CONTENT_LENGTH:
		if (p->overlong)
			return fail(p, 400);
		return content_length(p);
	case F_TRANSFER_ENCODING:
		return fail(p, 400);	/* a body, which GET may not have */
	case F_HOST:
		if (p->seen_host++)
			return fail(p, 400);
		break;
	default:
		break;
	}
	return HTTP_NEED_MORE;
}

static enum http_verdict
end_head(struct http_parser *p)
{
	if (p->req.minor == 1)
		p->req.keepalive = !p->conn_close;
	else
		p->req.keepalive = p->conn_keepalive && !p->conn_close;
	p->state = S_DONE;
	return HTTP_REQUEST;
}

/* whether a field's value is kept: only those end_field() reads */
static int
kept_field(int field)
{
	return field == F_CONNECTION || field == F_CONTENT_LENGTH;
}

static enum http_verdict
target_byte(struct http_parser *p, uint8_t c)
{
	if (c == ' ') {
		if (p->target == 0)
			return fail(p, 400);
		p->state = S_VERSION;
		return HTTP_NEED_MORE;
	}
	if (!vchar(c) || c == '#')
		return fail(p, 400);
	if (p->target == 0 && c != '/')
		return fail(p, 400);	/* origin form only */
	if (++p->target > HTTP_TARGET_MAX)
		return fail(p, 414);
	if (c == '?')
		p->state = S_QUERY;
	else if (p->state == S_TARGET)
		p->req.path[p->target - 1] = (char)c;
	return HTTP_NEED_MORE;
}

static enum http_verdict
step(struct http_parser *p, uint8_t c)
{
	switch (p->state) {
	case S_START:
		if (c == '\r') {
			p->state = S_START_LF;
			return HTTP_NEED_MORE;
		}
		if (!tchar(c))
			return fail(p, 400);
		p->state = S_METHOD;
		keep(p, c, HTTP_TOKEN_MAX);
		return HTTP_NEED_MORE;
	case S_START_LF:
		if (c != '\n')
			return fail(p, 400);
		p->state = S_START;
		return HTTP_NEED_MORE;
	case S_METHOD:
		if (c == ' ')
			return end_method(p);
		if (!tchar(c))
			return fail(p, 400);
		keep(p, c, HTTP_TOKEN_MAX);
		return HTTP_NEED_MORE;
	case S_TARGET:
	case S_QUERY:
		return target_byte(p, c);
	case S_VERSION:
		if (c == '\r')
			return end_version(p);
		if (!vchar(c))
			return fail(p, 400);
		keep(p, c, HTTP_TOKEN_MAX);
		return HTTP_NEED_MORE;
	case S_LINE_LF:
	case S_FIELD_LF:
		if (c != '\n')
			return fail(p, 400);
		p->state = S_FIELD;
		return HTTP_NEED_MORE;
	case S_FIELD:
		if (c == '\r') {
			p->state = S_END_LF;
			return HTTP_NEED_MORE;
		}
		if (!tchar(c))
			return fail(p, 400);	/* folding, empty name, ... */
		if (++p->nfields > HTTP_HEADERS_MAX)
			return fail(p, 413);
		tok_reset(p);
		keep(p, c, HTTP_TOKEN_MAX);
		p->state = S_NAME;
		return HTTP_NEED_MORE;
	case S_NAME:
		if (c == ':') {
			p->field = (int)field_of(p);
			tok_reset(p);
			p->state = S_VALUE_OWS;
			return HTTP_NEED_MORE;
		}
		if (!tchar(c))
			return fail(p, 400);
		keep(p, c, HTTP_TOKEN_MAX);
		return HTTP_NEED_MORE;
	case S_VALUE_OWS:
		if (c == ' ' || c == '\t')
			return HTTP_NEED_MORE;
		p->state = S_VALUE;
		/* FALLTHROUGH */
	case S_VALUE:
		if (c == '\r')
			return end_field(p);
		if (!field_byte(c))
			return fail(p, 400);
		if (kept_field(p->field))
			keep(p, c, HTTP_VALUE_MAX);
		return HTTP_NEED_MORE;
	case S_END_LF:
		if (c != '\n')
			return fail(p, 400);
		return end_head(p);
	default:
		return fail(p, 400);
	}
}

enum http_verdict
http_parse(struct http_parser *p, const uint8_t *data, size_t len,
    size_t *used)
{
	enum http_verdict	 v;
	size_t			 i;

	*used = 0;
	if (p->state == S_DONE)
		return HTTP_REQUEST;
	if (p->state == S_FAILED)
		return HTTP_ERROR;
	for (i = 0; i < len; i++) {
		if (p->total >= HTTP_HEAD_MAX) {
			*used = i;
			return fail(p, 413);
		}
		p->total++;
		if ((v = step(p, data[i])) != HTTP_NEED_MORE) {
			*used = i + 1;
			return v;
		}
	}
	*used = len;
	return HTTP_NEED_MORE;
}

enum http_route
http_route(const char *path)
{
	if (strcmp(path, "/metrics") == 0)
		return HTTP_ROUTE_METRICS;
	if (strcmp(path, "/health") == 0)
		return HTTP_ROUTE_HEALTH;
	if (strcmp(path, "/ready") == 0)
		return HTTP_ROUTE_READY;
	return HTTP_ROUTE_NONE;
}

const char *
http_reason(int status)
{
	size_t	 i;

	for (i = 0; i < nitems(reasons); i++)
		if (reasons[i].status == status)
			return reasons[i].reason;
	return "Error";
}

size_t
http_response_head(char *buf, size_t size, int status, const char *ctype,
    size_t length, int keepalive, time_t now)
{
	struct tm	 tm;
	char		 date[64] = "";
	int		 n;

	if (now != 0 && gmtime_r(&now, &tm) != NULL &&
	    strftime(date, sizeof(date), "Date: %a, %d %b %Y %H:%M:%S GMT\r\n",
	    &tm) == 0)
		date[0] = '\0';
	n = snprintf(buf, size, "HTTP/1.1 %d %s\r\n%sContent-Type: %s\r\n"
	    "Content-Length: %zu\r\n%sConnection: %s\r\n\r\n", status,
	    http_reason(status), date, ctype, length,
	    status == 405 ? "Allow: GET, HEAD\r\n" : "",
	    keepalive ? "keep-alive" : "close");
	if (n < 0 || (size_t)n >= size)
		return 0;
	return (size_t)n;
}

size_t
http_error_response(char *buf, size_t size, int status, time_t now)
{
	char	 body[64];
	size_t	 head, blen;
	int	 n;

	n = snprintf(body, sizeof(body), "%s\n", http_reason(status));
	if (n < 0 || (size_t)n >= sizeof(body))
		return 0;
	blen = (size_t)n;
	head = http_response_head(buf, size, status,
	    "text/plain; charset=utf-8", blen, 0, now);
	if (head == 0 || size - head <= blen)
		return 0;
	memcpy(buf + head, body, blen + 1);
	return head + blen;
}
