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
 * The control protocol's pure parts (control.h): dnstlsctl's command
 * grammar, the imsg rules of each side and the checks of each payload.
 * Used by dnstlsctl and by the frontend, which serves the socket.
 */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "compat.h"
#include "control.h"
#include "imsg.h"
#include "stats.h"

const struct imsg_rule ctl_request_rules[] = {
	{ CTL_SHOW_STATS, 0, 0, 0 },
	{ CTL_SHOW_UPSTREAMS, 0, 0, 0 },
	{ CTL_RELOAD, 0, 0, 0 },
	{ CTL_LOG, sizeof(struct ctl_log), sizeof(struct ctl_log), 0 },
	{ CTL_FLUSH_CACHE, sizeof(struct ctl_flush), sizeof(struct ctl_flush),
	    0 },
};
const size_t ctl_nrequest_rules = nitems(ctl_request_rules);

const struct imsg_rule ctl_reply_rules[] = {
	{ CTL_STATS, sizeof(struct stats_frontend),
	    sizeof(struct stats_frontend), 0 },
	{ CTL_UPSTREAM, sizeof(struct stats_upstream),
	    sizeof(struct stats_upstream), 0 },
	{ CTL_END, 0, 0, 0 },
	{ CTL_RESULT, sizeof(struct ctl_result), sizeof(struct ctl_result),
	    0 },
};
const size_t ctl_nreply_rules = nitems(ctl_reply_rules);

_Static_assert(sizeof(struct ctl_result) == 4 + CTL_MSGLEN,
    "ctl_result has padding");
_Static_assert(CTL_REPLY_MAX < 256 * 1024, "control replies grew");
_Static_assert(IMSG_HDRLEN + sizeof(struct stats_upstream) <= CTL_FRAME_MAX &&
    IMSG_HDRLEN + sizeof(struct ctl_result) <= CTL_FRAME_MAX &&
    CTL_REQUEST_MAX <= CTL_FRAME_MAX, "CTL_FRAME_MAX is not the largest");

struct command {
	const char	*words[2];	/* NULL: fewer words */
	uint32_t	 type;
};

static const struct command commands[] = {
	{ { "show", "stats" }, CTL_SHOW_STATS },
	{ { "show", "upstreams" }, CTL_SHOW_UPSTREAMS },
	{ { "reload", NULL }, CTL_RELOAD },
	{ { "log", "verbose" }, CTL_LOG },
	{ { "log", "brief" }, CTL_LOG },
	{ { "flush", "cache" }, CTL_FLUSH_CACHE },
};

static const struct {
	uint32_t	 type;
	const char	*name;
} request_names[] = {
	{ CTL_SHOW_STATS, "show stats" },
	{ CTL_SHOW_UPSTREAMS, "show upstreams" },
	{ CTL_RELOAD, "reload" },
	{ CTL_LOG, "log" },
	{ CTL_FLUSH_CACHE, "flush cache" },
};

const char *
ctl_request_name(uint32_t type)
{
	size_t	 i;

	for (i = 0; i < nitems(request_names); i++)
		if (request_names[i].type == type)
			return request_names[i].name;
	return "unknown";
}

static size_t
nwords(const struct command *c)
{
	return c->words[1] == NULL ? 1 : 2;
}

static const struct command *
find_command(int argc, char *const argv[])
{
	const struct command	*c;
	size_t			 i, j, n;

	for (i = 0; i < nitems(commands); i++) {
		c = &commands[i];
		n = nwords(c);
		if ((size_t)argc < n)
			continue;
		for (j = 0; j < n; j++)
			if (strcmp(argv[j], c->words[j]) != 0)
				break;
		if (j == n)
			return c;
	}
	return NULL;
}

int
ctl_parse_command(int argc, char *const argv[], struct ctl_request *req,
    char *err, size_t errlen)
{
	const struct command	*c;
	uint8_t			 wire[255];
	size_t			 n, wirelen;
	int			 extra;

	memset(req, 0, sizeof(*req));
	if (argc < 1) {
		snprintf(err, errlen, "no command");
		return -1;
	}
	if ((c = find_command(argc, argv)) == NULL) {
		snprintf(err, errlen, "unknown command: %s%s%s", argv[0],
		    argc > 1 ? " " : "", argc > 1 ? argv[1] : "");
		return -1;
	}
	n = nwords(c);
	extra = argc - (int)n;
	req->type = c->type;
	switch (c->type) {
	case CTL_LOG:
		req->len = sizeof(req->payload.log);
		req->payload.log.level = strcmp(argv[1], "verbose") == 0 ?
		    CTL_LOG_VERBOSE : CTL_LOG_BRIEF;
		break;
	case CTL_FLUSH_CACHE:
		req->len = sizeof(req->payload.flush);
		if (extra == 0)
			return 0;
		if (extra > 1)
			break;
		if (strlen(argv[n]) >= sizeof(req->payload.flush.name) ||
		    ctl_name_wire(argv[n], wire, &wirelen) == -1) {
			snprintf(err, errlen, "not a domain name: %s", argv[n]);
			return -1;
		}
		memcpy(req->payload.flush.name, argv[n], strlen(argv[n]) + 1);
		return 0;
	default:
		break;
	}
	if (extra > 0) {
		snprintf(err, errlen, "too many arguments for %s",
		    ctl_request_name(c->type));
		return -1;
	}
	return 0;
}

int
ctl_needs_privilege(uint32_t type)
{
	switch (type) {
	case CTL_SHOW_STATS:
	case CTL_SHOW_UPSTREAMS:
		return 0;
	default:
		return 1;	/* reload, log, flush, and anything unknown */
	}
}

static int
terminated(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

int
ctl_check_log(const struct ctl_log *l)
{
	return l->level == CTL_LOG_BRIEF || l->level == CTL_LOG_VERBOSE ?
	    0 : -1;
}

int
ctl_check_flush(const struct ctl_flush *f)
{
	uint8_t	 wire[255];
	size_t	 len;

	if (!terminated(f->name, sizeof(f->name)))
		return -1;
	return ctl_name_wire(f->name, wire, &len);
}

int
ctl_check_result(const struct ctl_result *r)
{
	if (r->ok != 0 && r->ok != 1)
		return -1;
	return terminated(r->msg, sizeof(r->msg)) ? 0 : -1;
}

static int
label_byte(char c)
{
	return c > ' ' && c <= '~' && c != '.' && c != '\\';
}

int
ctl_name_wire(const char *text, uint8_t wire[255], size_t *lenp)
{
	size_t	 len = 0, label;
	const char *p = text;

	*lenp = 0;
	if (strcmp(text, "") == 0 || strcmp(text, ".") == 0) {
		wire[0] = 0;
		*lenp = 1;
		return 0;
	}
	while (*p != '\0') {
		for (label = 0; label_byte(p[label]); label++)
			;
		if (label == 0 || label > 63 || (p[label] != '.' &&
		    p[label] != '\0'))
			return -1;
		if (len + 1 + label + 1 > 255)	/* this label and the root */
			return -1;
		wire[len++] = (uint8_t)label;
		memcpy(wire + len, p, label);
		len += label;
		p += label;
		if (*p == '.')
			p++;
	}
	wire[len++] = 0;
	*lenp = len;
	return 0;
}

int
ctl_frame(const uint8_t *buf, size_t len, size_t max, struct imsg *imsg,
    size_t *framelen)
{
	struct imsg_hdr	 hdr;

	*framelen = 0;
	if (len < IMSG_HDRLEN)
		return 0;
	memcpy(&hdr, buf, sizeof(hdr));
	if (hdr.len < IMSG_HDRLEN || hdr.len > max || hdr.flags != 0)
		return -1;
	if (len < hdr.len)
		return 0;
	imsg->hdr = hdr;
	imsg->fd = -1;
	imsg->data = buf + IMSG_HDRLEN;
	imsg->datalen = hdr.len - IMSG_HDRLEN;
	*framelen = hdr.len;
	return 1;
}

void
ctl_result_set(struct ctl_result *r, int ok, const char *fmt, ...)
{
	va_list	 ap;

	memset(r, 0, sizeof(*r));
	r->ok = ok ? 1 : 0;
	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
	va_end(ap);
}
