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
 * libFuzzer target for what dnstlsctl and the metrics listener make of
 * statistics: the bytes of the input become the structs a peer process
 * would send (stats_frontend, stats_upstream records, a ctl_result),
 * are checked as the receivers check them, and rendered as text, JSON
 * and Prometheus exposition. The JSON must parse (a small validator
 * below), the text must hold nothing but printable ASCII and newlines,
 * and every exposition line must be a comment or a dnstlsd_ sample.
 * The input is also tried as dnstlsctl's command words, and as bytes
 * read from the control socket, cut into frames by ctl_frame() and
 * checked with each side's rules.
 *
 * Build: clang -std=c11 -D_GNU_SOURCE -g -O1 -Iinclude \
 *	-fsanitize=fuzzer,address,undefined fuzz/fuzz_ctl.c src/control.c \
 *	src/ctlfmt.c src/sbuf.c src/stats.c src/histogram.c src/pin.c \
 *	src/metrics.c src/imsg.c
 * Run:   ./fuzz_ctl -max_total_time=60 fuzz/corpus/ctl
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "control.h"
#include "ctlfmt.h"
#include "metrics.h"
#include "sbuf.h"
#include "stats.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define MAX_UP		8
#define MAX_WORDS	6
#define JSON_DEPTH	32

/* --- a strict JSON validator (RFC 8259), enough to judge our output --- */

struct cursor {
	const char	*p, *end;
};

static int	json_value(struct cursor *, int);

static void
ws(struct cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\n' ||
	    *c->p == '\r' || *c->p == '\t'))
		c->p++;
}

static int
lit(struct cursor *c, const char *s)
{
	size_t	 n = strlen(s);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, s, n) != 0)
		return -1;
	c->p += n;
	return 0;
}

static int
hexdigit(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
	    (ch >= 'A' && ch <= 'F');
}

static int
json_string(struct cursor *c)
{
	int	 i;

	if (lit(c, "\"") == -1)
		return -1;
	while (c->p < c->end && *c->p != '"') {
		if ((unsigned char)*c->p < 0x20 || (unsigned char)*c->p >= 0x7f)
			return -1;	/* we only ever write ASCII */
		if (*c->p++ != '\\')
			continue;
		if (c->p >= c->end)
			return -1;
		if (*c->p == 'u') {
			c->p++;
			for (i = 0; i < 4; i++)
				if (c->p >= c->end || !hexdigit(*c->p++))
					return -1;
		} else if (strchr("\"\\/bfnrt", *c->p) != NULL && *c->p != '\0')
			c->p++;
		else
			return -1;
	}
	return lit(c, "\"");
}

static int
json_number(struct cursor *c)
{
	const char	*start;

	if (c->p < c->end && *c->p == '-')
		c->p++;
	start = c->p;
	while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
		c->p++;
	if (c->p == start || (*start == '0' && c->p - start > 1))
		return -1;
	return 0;
}

static int
json_members(struct cursor *c, int depth, char close, int keys)
{
	ws(c);
	if (lit(c, (char[]){ close, '\0' }) == 0)
		return 0;
	for (;;) {
		ws(c);
		if (keys) {
			if (json_string(c) == -1)
				return -1;
			ws(c);
			if (lit(c, ":") == -1)
				return -1;
		}
		if (json_value(c, depth + 1) == -1)
			return -1;
		ws(c);
		if (lit(c, ",") == 0)
			continue;
		return lit(c, (char[]){ close, '\0' });
	}
}

static int
json_value(struct cursor *c, int depth)
{
	if (depth > JSON_DEPTH)
		return -1;
	ws(c);
	if (c->p >= c->end)
		return -1;
	switch (*c->p) {
	case '{':
		c->p++;
		return json_members(c, depth, '}', 1);
	case '[':
		c->p++;
		return json_members(c, depth, ']', 0);
	case '"':
		return json_string(c);
	case 't':
		return lit(c, "true");
	case 'f':
		return lit(c, "false");
	case 'n':
		return lit(c, "null");
	default:
		return json_number(c);
	}
}

static void
check_json(const struct sbuf *sb)
{
	struct cursor	 c = { sb->buf, sb->buf + sb->len };

	if (!sbuf_ok(sb) || json_value(&c, 0) == -1)
		abort();
	ws(&c);
	if (c.p != c.end)
		abort();
}

static void
check_text(const struct sbuf *sb)
{
	size_t	 i;

	if (!sbuf_ok(sb))
		abort();
	for (i = 0; i < sb->len; i++)
		if (sb->buf[i] != '\n' && (sb->buf[i] < 0x20 ||
		    sb->buf[i] >= 0x7f))
			abort();
}

static void
check_metrics(const struct sbuf *sb)
{
	const char	*p = sbuf_str(sb), *nl;

	if (!sbuf_ok(sb))
		abort();
	check_text(sb);
	for (; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			abort();
		if (strncmp(p, "# HELP dnstlsd_", 15) != 0 &&
		    strncmp(p, "# TYPE dnstlsd_", 15) != 0 &&
		    strncmp(p, "dnstlsd_", 8) != 0)
			abort();
	}
}

/* --- the structs --- */

static void
render_all(const struct stats_frontend *st, const struct stats_upstream *up,
    size_t nup, int64_t now)
{
	struct sbuf	 sb;

	sbuf_init(&sb, CTLFMT_MAX);
	ctlfmt_stats(&sb, st, 1, now);
	check_json(&sb);
	sbuf_reset(&sb);
	ctlfmt_stats(&sb, st, 0, now);
	check_text(&sb);
	sbuf_reset(&sb);
	ctlfmt_upstreams(&sb, up, nup, 1, now);
	check_json(&sb);
	sbuf_reset(&sb);
	ctlfmt_upstreams(&sb, up, nup, 0, now);
	check_text(&sb);
	sbuf_reset(&sb);
	if (metrics_render(&sb, st, up, nup, "0.1.0") == -1)
		abort();
	check_metrics(&sb);
	sbuf_free(&sb);
}

static void
fuzz_structs(const uint8_t *data, size_t size)
{
	struct stats_frontend	 st;
	struct stats_upstream	 up[MAX_UP], one;
	struct ctl_result	 r;
	struct sbuf		 sb;
	int64_t			 now = 0;
	size_t			 n, nup = 0;

	memset(&st, 0, sizeof(st));
	n = size < sizeof(st) ? size : sizeof(st);
	memcpy(&st, data, n);
	data += n;
	size -= n;
	if (size >= sizeof(now)) {
		memcpy(&now, data, sizeof(now));
		data += sizeof(now);
		size -= sizeof(now);
	}
	memset(&r, 0, sizeof(r));
	n = size < sizeof(r) ? size : sizeof(r);
	memcpy(&r, data, n);
	data += n;
	size -= n;
	while (size > 0 && nup < MAX_UP) {
		memset(&one, 0, sizeof(one));
		n = size < sizeof(one) ? size : sizeof(one);
		memcpy(&one, data, n);
		data += n;
		size -= n;
		/* as dnstlsctl and the frontend do: checked, else refused */
		if (stats_upstream_check(&one) == 0)
			up[nup++] = one;
	}
	render_all(&st, up, nup, now);
	if (ctl_check_result(&r) == 0) {
		sbuf_init(&sb, CTLFMT_MAX);
		ctlfmt_result(&sb, &r, 1);
		check_json(&sb);
		sbuf_reset(&sb);
		ctlfmt_result(&sb, &r, 0);
		check_text(&sb);
		sbuf_free(&sb);
	}
}

/* the input as NUL-separated command words */
static void
fuzz_words(const uint8_t *data, size_t size)
{
	struct ctl_request	 req;
	char			 buf[1024], *argv[MAX_WORDS + 1], err[256];
	struct ctl_flush	 f;
	size_t			 i;
	int			 argc = 0;

	if (size >= sizeof(buf))
		size = sizeof(buf) - 1;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[argc++] = buf;
	for (i = 0; i < size && argc < MAX_WORDS; i++)
		if (buf[i] == '\0')
			argv[argc++] = buf + i + 1;
	argv[argc] = NULL;
	if (ctl_parse_command(argc, argv, &req, err, sizeof(err)) == -1) {
		if (memchr(err, '\0', sizeof(err)) == NULL || err[0] == '\0')
			abort();
		return;
	}
	if (req.len > sizeof(req.payload))
		abort();
	if (req.type == CTL_FLUSH_CACHE) {
		memcpy(&f, &req.payload.flush, sizeof(f));
		if (ctl_check_flush(&f) == -1)
			abort();	/* we would send what we refuse */
	}
	if (req.type == CTL_LOG && ctl_check_log(&req.payload.log) == -1)
		abort();
}

/* the input as what a peer wrote on the control socket */
static void
fuzz_frames(const uint8_t *data, size_t size, size_t max)
{
	const struct imsg_rule	*rules = max == CTL_REQUEST_MAX ?
				    ctl_request_rules : ctl_reply_rules;
	size_t			 nrules = max == CTL_REQUEST_MAX ?
				    ctl_nrequest_rules : ctl_nreply_rules;
	struct stats_upstream	 up;
	struct imsg		 imsg;
	size_t			 off = 0, len;
	int			 r;

	while ((r = ctl_frame(data + off, size - off, max, &imsg, &len)) == 1) {
		if (len < IMSG_HDRLEN || len > max || len > size - off ||
		    imsg.fd != -1 || imsg.datalen != len - IMSG_HDRLEN ||
		    imsg.data != data + off + IMSG_HDRLEN)
			abort();
		if (imsg_check(&imsg, rules, nrules) == 0 &&
		    imsg.hdr.type == CTL_UPSTREAM) {
			memcpy(&up, imsg.data, sizeof(up));
			if (stats_upstream_check(&up) == 0)
				render_all(&(struct stats_frontend){ 0 }, &up, 1,
				    0);
		}
		off += len;
	}
	if (r == 0 && size - off >= IMSG_HDRLEN + max)
		abort();	/* a whole frame's worth, and still no frame */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] % 4) {
	case 0:
		fuzz_structs(data + 1, size - 1);
		break;
	case 1:
		fuzz_words(data + 1, size - 1);
		break;
	case 2:
		fuzz_frames(data + 1, size - 1, CTL_REQUEST_MAX);
		break;
	default:
		fuzz_frames(data + 1, size - 1, CTL_FRAME_MAX);
		break;
	}
	return 0;
}
