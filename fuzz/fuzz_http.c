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
 * libFuzzer target for the metrics listener's HTTP parser. The input is
 * a stream of request heads, parsed twice: in one piece and in chunks
 * whose size the first byte chooses. Both must give the same verdicts,
 * statuses, requests and bytes taken; every request must be what the
 * parser promises (a path in origin form within its bound, a known
 * method and version); every error a status we send; and the response
 * written for it must fit.
 *
 * Build: clang -std=c11 -D_GNU_SOURCE -g -O1 -Iinclude \
 *	-fsanitize=fuzzer,address,undefined fuzz/fuzz_http.c src/http.c
 * Run:   ./fuzz_http -max_total_time=60 fuzz/corpus/http
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define MAX_REQUESTS	16

struct result {
	enum http_verdict	 v;
	size_t			 used;
	int			 status;
	struct http_request	 req;
};

/* parse one head from data, chunk bytes at a time (0: all at once) */
static struct result
parse_one(const uint8_t *data, size_t size, size_t chunk)
{
	struct http_parser	 p;
	struct result		 r;
	size_t			 off = 0, n, used;

	memset(&r, 0, sizeof(r));
	http_parser_init(&p);
	r.v = HTTP_NEED_MORE;
	do {
		n = chunk == 0 || size - off < chunk ? size - off : chunk;
		r.v = http_parse(&p, data + off, n, &used);
		if (used > n)
			abort();
		off += used;
		if (r.v == HTTP_NEED_MORE && used != n)
			abort();
	} while (r.v == HTTP_NEED_MORE && off < size);
	r.used = off;
	r.status = p.status;
	if (r.v == HTTP_REQUEST)
		r.req = p.req;
	/* a verdict sticks */
	if (r.v != HTTP_NEED_MORE &&
	    (http_parse(&p, (const uint8_t *)"GET", 3, &used) != r.v ||
	    used != 0))
		abort();
	if (p.total > HTTP_HEAD_MAX)
		abort();
	return r;
}

static void
check_request(const struct http_request *req)
{
	size_t	 i, len = strlen(req->path);
	char	 buf[HTTP_RESPONSE_HEAD_MAX];

	if (len == 0 || len > HTTP_TARGET_MAX || req->path[0] != '/')
		abort();
	for (i = 0; i < len; i++)
		if (req->path[i] <= ' ' || req->path[i] >= 0x7f ||
		    req->path[i] == '?' || req->path[i] == '#')
			abort();
	if ((req->method != HTTP_GET && req->method != HTTP_HEAD) ||
	    (req->minor != 0 && req->minor != 1) ||
	    (req->keepalive != 0 && req->keepalive != 1))
		abort();
	(void)http_route(req->path);
	if (http_response_head(buf, sizeof(buf), 200,
	    "text/plain; version=0.0.4; charset=utf-8", SIZE_MAX,
	    req->keepalive, 1767268800) == 0)
		abort();
}

static void
check_error(int status)
{
	char	 buf[HTTP_RESPONSE_HEAD_MAX];

	switch (status) {
	case 400: case 405: case 413: case 414: case 505:
		break;
	default:
		abort();
	}
	if (http_error_response(buf, sizeof(buf), status, 1767268800) == 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct result	 whole, split;
	size_t		 chunk, off = 0;
	int		 i;

	if (size < 1)
		return 0;
	chunk = 1 + data[0] % 17;
	data++;
	size--;
	for (i = 0; i < MAX_REQUESTS && off < size; i++) {
		whole = parse_one(data + off, size - off, 0);
		split = parse_one(data + off, size - off, chunk);
		if (whole.v != split.v || whole.used != split.used ||
		    whole.status != split.status ||
		    memcmp(&whole.req, &split.req, sizeof(whole.req)) != 0)
			abort();
		if (whole.v == HTTP_ERROR)
			check_error(whole.status);
		if (whole.v != HTTP_REQUEST)
			break;
		check_request(&whole.req);
		off += whole.used;	/* keep-alive: the next request */
	}
	return 0;
}
