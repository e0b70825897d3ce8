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
 * Unit tests of the control protocol's pure parts: dnstlsctl's command
 * grammar, names for flush, the payload checks, and a request and its
 * reply framed over a real socketpair with the rules of each side.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "control.h"
#include "fixtures.h"
#include "imsg.h"
#include "stats.h"
#include "test.h"

static int
parses(struct ctl_request *req, const char *a, const char *b, const char *c)
{
	char	*argv[4], err[256];
	int	 argc = 0;

	if (a != NULL)
		argv[argc++] = (char *)(uintptr_t)a;
	if (b != NULL)
		argv[argc++] = (char *)(uintptr_t)b;
	if (c != NULL)
		argv[argc++] = (char *)(uintptr_t)c;
	argv[argc] = NULL;
	err[0] = '\0';
	if (ctl_parse_command(argc, argv, req, err, sizeof(err)) == 0)
		return 1;
	CHECK(err[0] != '\0');
	return 0;
}

static void
t_commands(void)
{
	struct ctl_request	 r;

	CHECK(parses(&r, "show", "stats", NULL) && r.type == CTL_SHOW_STATS &&
	    r.len == 0);
	CHECK(parses(&r, "show", "upstreams", NULL) &&
	    r.type == CTL_SHOW_UPSTREAMS && r.len == 0);
	CHECK(parses(&r, "reload", NULL, NULL) && r.type == CTL_RELOAD);
	CHECK(parses(&r, "log", "verbose", NULL) && r.type == CTL_LOG &&
	    r.len == sizeof(struct ctl_log) &&
	    r.payload.log.level == CTL_LOG_VERBOSE);
	CHECK(parses(&r, "log", "brief", NULL) &&
	    r.payload.log.level == CTL_LOG_BRIEF);
	CHECK(parses(&r, "flush", "cache", NULL) && r.type == CTL_FLUSH_CACHE &&
	    r.len == sizeof(struct ctl_flush) && r.payload.flush.name[0] == 0);
	CHECK(parses(&r, "flush", "cache", "Example.COM.") &&
	    strcmp(r.payload.flush.name, "Example.COM.") == 0);
}

static void
t_bad_commands(void)
{
	struct ctl_request	 r;
	char			 err[256], *argv[] = { NULL };
	char			 longname[300];

	CHECK(ctl_parse_command(0, argv, &r, err, sizeof(err)) == -1);
	CHECK(!parses(&r, "show", NULL, NULL));
	CHECK(!parses(&r, "show", "nonsense", NULL));
	CHECK(!parses(&r, "show", "stats", "now"));
	CHECK(!parses(&r, "reload", "now", NULL));
	CHECK(!parses(&r, "log", "loud", NULL));
	CHECK(!parses(&r, "log", "verbose", "x"));
	CHECK(!parses(&r, "flush", NULL, NULL));
	CHECK(!parses(&r, "flush", "cache", "a..b"));
	CHECK(!parses(&r, "Show", "stats", NULL));
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	CHECK(!parses(&r, "flush", "cache", longname));
	/* the error names what was not understood */
	{
		char	*v[] = { (char *)(uintptr_t)"show",
			    (char *)(uintptr_t)"nonsense", NULL };

		CHECK(ctl_parse_command(2, v, &r, err, sizeof(err)) == -1);
		CHECK(strcmp(err, "unknown command: show nonsense") == 0);
	}
}

static int
wire_is(const char *text, const char *want, size_t wantlen)
{
	uint8_t	 wire[255];
	size_t	 len;

	if (ctl_name_wire(text, wire, &len) == -1)
		return 0;
	return len == wantlen && memcmp(wire, want, len) == 0;
}

static void
t_name_wire(void)
{
	uint8_t	 wire[255];
	char	 name[400];
	size_t	 len;
	int	 i;

	CHECK(wire_is("", "\0", 1));
	CHECK(wire_is(".", "\0", 1));
	CHECK(wire_is("example.com", "\7example\3com", 13));
	CHECK(wire_is("example.com.", "\7example\3com", 13));
	CHECK(wire_is("_dns.a-b.x", "\4_dns\3a-b\1x", 12));
	CHECK(ctl_name_wire("a..b", wire, &len) == -1);
	CHECK(ctl_name_wire(".a", wire, &len) == -1);
	CHECK(ctl_name_wire("a b", wire, &len) == -1);
	CHECK(ctl_name_wire("a\\.b", wire, &len) == -1);
	CHECK(ctl_name_wire("a\001b", wire, &len) == -1);
	CHECK(ctl_name_wire("caf\xc3\xa9", wire, &len) == -1);
	/* labels up to 63 bytes */
	memset(name, 'a', 64);
	name[63] = '\0';
	CHECK(ctl_name_wire(name, wire, &len) == 0 && len == 65);
	name[63] = 'a';
	name[64] = '\0';
	CHECK(ctl_name_wire(name, wire, &len) == -1);
	/* names up to 255 bytes of wire: 63.63.63.61 */
	memset(name, 'a', sizeof(name));
	for (i = 63; i < 63 * 3 + 3; i += 64)
		name[i] = '.';
	name[63 * 3 + 3 + 61] = '\0';
	CHECK(ctl_name_wire(name, wire, &len) == 0 && len == 255);
	name[63 * 3 + 3 + 61] = 'a';
	name[63 * 3 + 3 + 62] = '\0';
	CHECK(ctl_name_wire(name, wire, &len) == -1);
}

static void
t_checks(void)
{
	struct ctl_result	 r;
	struct ctl_log		 l;
	struct ctl_flush	 f;
	struct stats_upstream	 up[FIXTURE_NUPSTREAMS];
	int			 i;

	ctl_result_set(&r, 1, "flushed %d entries", 12);
	CHECK(r.ok == 1 && strcmp(r.msg, "flushed 12 entries") == 0);
	CHECK(ctl_check_result(&r) == 0);
	r.ok = 2;
	CHECK(ctl_check_result(&r) == -1);
	ctl_result_set(&r, 0, "%0600d", 0);	/* truncated, terminated */
	CHECK(r.ok == 0 && strlen(r.msg) == CTL_MSGLEN - 1);
	CHECK(ctl_check_result(&r) == 0);
	memset(r.msg, 'x', sizeof(r.msg));
	CHECK(ctl_check_result(&r) == -1);

	l.level = CTL_LOG_VERBOSE;
	CHECK(ctl_check_log(&l) == 0);
	l.level = 7;
	CHECK(ctl_check_log(&l) == -1);
	l.level = -1;
	CHECK(ctl_check_log(&l) == -1);

	memset(&f, 0, sizeof(f));
	CHECK(ctl_check_flush(&f) == 0);
	strcpy(f.name, "example.com");
	CHECK(ctl_check_flush(&f) == 0);
	strcpy(f.name, "bad..name");
	CHECK(ctl_check_flush(&f) == -1);
	memset(f.name, 'a', sizeof(f.name));
	CHECK(ctl_check_flush(&f) == -1);

	fixture_upstreams(up);
	for (i = 0; i < FIXTURE_NUPSTREAMS; i++)
		CHECK(stats_upstream_check(&up[i]) == 0);
	memset(up[0].addr, 'a', sizeof(up[0].addr));
	CHECK(stats_upstream_check(&up[0]) == -1);
	memset(up[1].zone, 'a', sizeof(up[1].zone));
	CHECK(stats_upstream_check(&up[1]) == -1);
	up[2].state = STATS_NSTATES;
	CHECK(stats_upstream_check(&up[2]) == -1);
	up[3].flags |= 0x100;
	CHECK(stats_upstream_check(&up[3]) == -1);
}

static void
t_privilege(void)
{
	CHECK(ctl_needs_privilege(CTL_SHOW_STATS) == 0);
	CHECK(ctl_needs_privilege(CTL_SHOW_UPSTREAMS) == 0);
	CHECK(ctl_needs_privilege(CTL_RELOAD) == 1);
	CHECK(ctl_needs_privilege(CTL_LOG) == 1);
	CHECK(ctl_needs_privilege(CTL_FLUSH_CACHE) == 1);
	CHECK(ctl_needs_privilege(12345) == 1);
	CHECK(strcmp(ctl_request_name(CTL_FLUSH_CACHE), "flush cache") == 0);
	CHECK(strcmp(ctl_request_name(CTL_STATS), "unknown") == 0);
}

static void
t_names(void)
{
	CHECK(strcmp(stats_rcode_name(0), "NOERROR") == 0);
	CHECK(strcmp(stats_rcode_name(3), "NXDOMAIN") == 0);
	CHECK(strcmp(stats_rcode_name(15), "RCODE15") == 0);
	CHECK(strcmp(stats_rcode_name(16), "invalid") == 0);
	CHECK(strcmp(stats_transport_name(STATS_TCP), "tcp") == 0);
	CHECK(strcmp(stats_state_name(STATS_STATE_DOWN), "down") == 0);
	CHECK(strcmp(stats_state_name(99), "invalid") == 0);
	CHECK(strcmp(stats_failure_name(STATS_FAIL_BADANSWER),
	    "bad_answer") == 0);
	CHECK(strcmp(stats_failure_name(STATS_NFAILURES), "invalid") == 0);
}

/* read until a message is there: the socketpair is blocking */
static int
get_one(struct imsgbuf *ib, struct imsg *imsg)
{
	int	 r;

	while ((r = imsg_get(ib, imsg)) == 0)
		if (imsg_read(ib) <= 0)
			return -1;
	return r;
}

static void
t_framing(void)
{
	struct imsgbuf		 cli, srv;
	struct imsg		 imsg;
	struct ctl_request	 req;
	struct stats_upstream	 up[FIXTURE_NUPSTREAMS], got;
	struct ctl_flush	 f;
	int			 sv[2], i;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1) {
		CHECK(0);
		return;
	}
	imsgbuf_init(&cli, sv[0]);
	imsgbuf_init(&srv, sv[1]);
	CHECK(parses(&req, "flush", "cache", "example.com"));
	CHECK(imsg_compose(&cli, req.type, CTL_VERSION, -1, &req.payload,
	    req.len) == 0);
	CHECK(imsg_flush(&cli) == 0);
	CHECK(get_one(&srv, &imsg) == 1);
	CHECK(imsg.hdr.peerid == CTL_VERSION);
	CHECK(imsg_check(&imsg, ctl_request_rules, ctl_nrequest_rules) == 0);
	memcpy(&f, imsg.data, sizeof(f));
	CHECK(ctl_check_flush(&f) == 0 && strcmp(f.name, "example.com") == 0);
	/* a reply type is not a request, and a short payload is refused */
	CHECK(imsg_compose(&cli, CTL_STATS, CTL_VERSION, -1, NULL, 0) == 0);
	CHECK(imsg_compose(&cli, CTL_LOG, CTL_VERSION, -1, "ab", 2) == 0);
	CHECK(imsg_flush(&cli) == 0);
	CHECK(get_one(&srv, &imsg) == 1);
	CHECK(imsg_check(&imsg, ctl_request_rules, ctl_nrequest_rules) == -1);
	CHECK(get_one(&srv, &imsg) == 1);
	CHECK(imsg_check(&imsg, ctl_request_rules, ctl_nrequest_rules) == -1);

	fixture_upstreams(up);
	for (i = 0; i < FIXTURE_NUPSTREAMS; i++)
		CHECK(imsg_compose(&srv, CTL_UPSTREAM, CTL_VERSION, -1, &up[i],
		    sizeof(up[i])) == 0);
	CHECK(imsg_compose(&srv, CTL_END, CTL_VERSION, -1, NULL, 0) == 0);
	CHECK(imsg_flush(&srv) == 0);
	for (i = 0; i < FIXTURE_NUPSTREAMS; i++) {
		CHECK(get_one(&cli, &imsg) == 1);
		CHECK(imsg_check(&imsg, ctl_reply_rules, ctl_nreply_rules) ==
		    0);
		CHECK(imsg.hdr.type == CTL_UPSTREAM);
		memcpy(&got, imsg.data, sizeof(got));
		CHECK(memcmp(&got, &up[i], sizeof(got)) == 0);
	}
	CHECK(get_one(&cli, &imsg) == 1 && imsg.hdr.type == CTL_END);
	CHECK(imsg_check(&imsg, ctl_reply_rules, ctl_nreply_rules) == 0);
	imsgbuf_clear(&cli);
	imsgbuf_clear(&srv);
	close(sv[0]);
	close(sv[1]);
}

static void
t_frame(void)
{
	struct imsg_hdr	 hdr = { CTL_LOG, IMSG_HDRLEN + 4, 0, CTL_VERSION };
	uint8_t		 buf[64];
	struct imsg	 imsg;
	size_t		 len, i;

	memcpy(buf, &hdr, sizeof(hdr));
	memcpy(buf + sizeof(hdr), "\1\0\0\0", 4);
	memcpy(buf + sizeof(hdr) + 4, &hdr, sizeof(hdr));
	for (i = 0; i < IMSG_HDRLEN + 4; i++)
		CHECK(ctl_frame(buf, i, CTL_REQUEST_MAX, &imsg, &len) == 0);
	CHECK(ctl_frame(buf, sizeof(buf), CTL_REQUEST_MAX, &imsg, &len) == 1);
	CHECK(len == IMSG_HDRLEN + 4 && imsg.datalen == 4 && imsg.fd == -1);
	CHECK(imsg.data == buf + IMSG_HDRLEN && imsg.hdr.type == CTL_LOG);
	CHECK(imsg.hdr.peerid == CTL_VERSION);
	CHECK(imsg_check(&imsg, ctl_request_rules, ctl_nrequest_rules) == 0);
	/* the next frame follows: its header alone is not enough */
	CHECK(ctl_frame(buf + len, IMSG_HDRLEN, CTL_REQUEST_MAX, &imsg,
	    &len) == 0);
	/* longer than the side accepts, shorter than a header, flags set */
	hdr.len = CTL_REQUEST_MAX + 1;
	memcpy(buf, &hdr, sizeof(hdr));
	CHECK(ctl_frame(buf, sizeof(buf), CTL_REQUEST_MAX, &imsg, &len) == -1);
	CHECK(ctl_frame(buf, sizeof(buf), CTL_FRAME_MAX, &imsg, &len) == 0);
	hdr.len = IMSG_HDRLEN - 1;
	memcpy(buf, &hdr, sizeof(hdr));
	CHECK(ctl_frame(buf, sizeof(buf), CTL_FRAME_MAX, &imsg, &len) == -1);
	hdr.len = IMSG_HDRLEN;
	hdr.flags = IMSGF_HASFD;
	memcpy(buf, &hdr, sizeof(hdr));
	CHECK(ctl_frame(buf, sizeof(buf), CTL_FRAME_MAX, &imsg, &len) == -1);
}

static void
t_limits(void)
{
	/* what the frontend buffers per client stays small */
	CHECK(CTL_REQUEST_MAX == IMSG_HDRLEN + CTL_NAMELEN);
	CHECK(CTL_REPLY_MAX < 256 * 1024);
	CHECK(sizeof(struct stats_frontend) < IMSG_MAXDATA);
	CHECK(sizeof(struct stats_upstream) == 720);
	CHECK(sizeof(struct ctl_result) == 4 + CTL_MSGLEN);
}

void
test_control(void)
{
	RUN(t_commands);
	RUN(t_bad_commands);
	RUN(t_name_wire);
	RUN(t_checks);
	RUN(t_privilege);
	RUN(t_names);
	RUN(t_framing);
	RUN(t_frame);
	RUN(t_limits);
}
