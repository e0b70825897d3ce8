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
 * A test helper, never installed:
 *
 *	teststub metrics		the canned statistics as Prometheus text
 *	teststub serve PATH MODE	a fake control socket at PATH that
 *					serves one dnstlsctl and exits
 *
 * MODE says how the fake daemon answers the one request it reads:
 *	ok		as dnstlsd would, with the canned statistics
 *	fail		CTL_RESULT with ok 0 and a "file:line: message"
 *	silent		never (dnstlsctl must give up by itself)
 *	close		closes the connection without a word
 *	garbage		a CTL_STATS of the wrong size
 *	huge		a frame longer than any control message
 *	version		a reply of another protocol version
 *	split		the reply one byte per write, with pauses
 *	many		more upstreams than CTL_MAX_UPSTREAMS
 *	unterminated	an upstream whose address has no NUL
 * It prints the request it got on stdout ("request show stats", "flush
 * NAME", ...) and exits after at most STUB_LIFETIME seconds whatever
 * happens.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "control.h"
#include "fixtures.h"
#include "imsg.h"
#include "metrics.h"
#include "sbuf.h"
#include "stats.h"

#define STUB_LIFETIME	30
#define SILENT_SECONDS	15

static __attribute__((__noreturn__)) void
die(const char *what)
{
	fprintf(stderr, "teststub: %s: %s\n", what, strerror(errno));
	exit(2);
}

static int
print_metrics(void)
{
	struct stats_frontend	 st;
	struct stats_upstream	 up[FIXTURE_NUPSTREAMS];
	struct sbuf		 sb;

	fixture_stats(&st);
	fixture_upstreams(up);
	sbuf_init(&sb, METRICS_MAX);
	if (metrics_render(&sb, &st, up, FIXTURE_NUPSTREAMS, "0.1.0") == -1) {
		fprintf(stderr, "teststub: metrics too large\n");
		return 1;
	}
	fwrite(sbuf_str(&sb), 1, sb.len, stdout);
	sbuf_free(&sb);
	return fflush(stdout) == 0 ? 0 : 1;
}

static int
listen_on(const char *path)
{
	struct sockaddr_un	 sun;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		die(path);
	}
	memcpy(sun.sun_path, path, strlen(path));
	unlink(path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
		die("socket");
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		die("bind");
	if (listen(fd, 4) == -1)
		die("listen");
	return fd;
}

/* one request, blocking, checked as the frontend would */
static int
read_request(struct imsgbuf *ibuf, struct imsg *imsg)
{
	ssize_t	 n;
	int	 r;

	for (;;) {
		if ((r = imsg_get(ibuf, imsg)) == 1)
			break;
		if (r == -1)
			return -1;
		if ((n = imsg_read(ibuf)) == -1 && errno != EINTR)
			return -1;
		if (n == 0)
			return -1;
	}
	if (imsg->hdr.peerid != CTL_VERSION ||
	    imsg_check(imsg, ctl_request_rules, ctl_nrequest_rules) == -1)
		return -1;
	return 0;
}

static void
describe(const struct imsg *imsg)
{
	struct ctl_log		 l;
	struct ctl_flush	 f;

	printf("request %s", ctl_request_name(imsg->hdr.type));
	if (imsg->hdr.type == CTL_LOG) {
		memcpy(&l, imsg->data, sizeof(l));
		printf(" %s", ctl_check_log(&l) == -1 ? "invalid" :
		    l.level == CTL_LOG_VERBOSE ? "verbose" : "brief");
	} else if (imsg->hdr.type == CTL_FLUSH_CACHE) {
		memcpy(&f, imsg->data, sizeof(f));
		printf(" '%s'", ctl_check_flush(&f) == -1 ? "invalid" : f.name);
	}
	printf("\n");
	fflush(stdout);
}

static void
compose(struct imsgbuf *ibuf, uint32_t type, uint32_t version,
    const void *data, size_t len)
{
	if (imsg_compose(ibuf, type, version, -1, data, len) == -1)
		die("imsg_compose");
}

static void
result(struct imsgbuf *ibuf, int ok, const char *msg)
{
	struct ctl_result	 r;

	ctl_result_set(&r, ok, "%s", msg);
	compose(ibuf, CTL_RESULT, CTL_VERSION, &r, sizeof(r));
}

static void
upstreams(struct imsgbuf *ibuf, size_t count, int unterminated)
{
	struct stats_upstream	 up[FIXTURE_NUPSTREAMS];
	int64_t			 now = (int64_t)time(NULL);
	size_t			 i;

	fixture_upstreams(up);
	for (i = 0; i < FIXTURE_NUPSTREAMS; i++)
		if (up[i].flags & STATS_UPF_CERT)
			up[i].cert_notafter += now - FIXTURE_NOW;
	if (unterminated)
		memset(up[0].addr, 'A', sizeof(up[0].addr));
	for (i = 0; i < count; i++)
		compose(ibuf, CTL_UPSTREAM, CTL_VERSION,
		    &up[i % FIXTURE_NUPSTREAMS], sizeof(up[0]));
	compose(ibuf, CTL_END, CTL_VERSION, NULL, 0);
}

static void
answer_ok(struct imsgbuf *ibuf, const struct imsg *imsg)
{
	struct stats_frontend	 st;
	struct ctl_log		 l;
	struct ctl_flush	 f;
	struct ctl_result	 r;

	switch (imsg->hdr.type) {
	case CTL_SHOW_STATS:
		fixture_stats(&st);
		st.start_time = (int64_t)time(NULL) - (FIXTURE_NOW -
		    FIXTURE_START);
		compose(ibuf, CTL_STATS, CTL_VERSION, &st, sizeof(st));
		break;
	case CTL_SHOW_UPSTREAMS:
		upstreams(ibuf, FIXTURE_NUPSTREAMS, 0);
		break;
	case CTL_RELOAD:
		result(ibuf, 1, "configuration reloaded");
		break;
	case CTL_LOG:
		memcpy(&l, imsg->data, sizeof(l));
		result(ibuf, 1, l.level == CTL_LOG_VERBOSE ? "log verbose" :
		    "log brief");
		break;
	case CTL_FLUSH_CACHE:
		memcpy(&f, imsg->data, sizeof(f));
		ctl_result_set(&r, 1, "flushed 12 entries%s%s",
		    f.name[0] != '\0' ? " at and below " : "", f.name);
		compose(ibuf, CTL_RESULT, CTL_VERSION, &r, sizeof(r));
		break;
	}
}

/* the queued reply, one byte per write, 1 ms apart */
static void
write_split(struct imsgbuf *ibuf)
{
	size_t	 i;

	for (i = 0; i < ibuf->wlen; i++) {
		if (write(ibuf->fd, ibuf->wbuf + i, 1) != 1)
			die("write");
		if (i % 64 == 0)
			poll(NULL, 0, 1);
	}
	ibuf->wlen = 0;
}

static int
serve(const char *path, const char *mode)
{
	struct imsgbuf	 ibuf;
	struct imsg	 imsg;
	uint8_t		 junk[10] = { 0 };
	int		 lfd, fd;

	lfd = listen_on(path);
	if ((fd = accept(lfd, NULL, NULL)) == -1)
		die("accept");
	if (strcmp(mode, "close") == 0) {
		close(fd);
		return 0;
	}
	imsgbuf_init(&ibuf, fd);
	if (read_request(&ibuf, &imsg) == -1) {
		printf("bad request\n");
		return 1;
	}
	describe(&imsg);
	if (strcmp(mode, "ok") == 0 || strcmp(mode, "split") == 0)
		answer_ok(&ibuf, &imsg);
	else if (strcmp(mode, "fail") == 0)
		result(&ibuf, 0, "/etc/dnstlsd.conf:3: unknown keyword \"bogus\"");
	else if (strcmp(mode, "silent") == 0) {
		sleep(SILENT_SECONDS);
		return 0;
	} else if (strcmp(mode, "garbage") == 0)
		compose(&ibuf, CTL_STATS, CTL_VERSION, junk, sizeof(junk));
	else if (strcmp(mode, "huge") == 0) {
		struct imsg_hdr	 hdr = { CTL_STATS, 100000, 0, CTL_VERSION };

		if (write(fd, &hdr, sizeof(hdr)) != sizeof(hdr))
			die("write");
	} else if (strcmp(mode, "version") == 0)
		compose(&ibuf, CTL_RESULT, CTL_VERSION + 1, junk, sizeof(junk));
	else if (strcmp(mode, "many") == 0)
		upstreams(&ibuf, CTL_MAX_UPSTREAMS + 1, 0);
	else if (strcmp(mode, "unterminated") == 0)
		upstreams(&ibuf, 1, 1);
	else {
		fprintf(stderr, "teststub: unknown mode %s\n", mode);
		return 2;
	}
	if (strcmp(mode, "split") == 0)
		write_split(&ibuf);
	else if (imsg_flush(&ibuf) == -1 && errno != EPIPE)
		die("imsg_flush");
	imsgbuf_clear(&ibuf);
	close(fd);
	close(lfd);
	unlink(path);
	return 0;
}

int
main(int argc, char *argv[])
{
	alarm(STUB_LIFETIME);
	if (argc == 2 && strcmp(argv[1], "metrics") == 0)
		return print_metrics();
	if (argc == 4 && strcmp(argv[1], "serve") == 0)
		return serve(argv[2], argv[3]);
	fprintf(stderr, "usage: teststub metrics | serve PATH MODE\n");
	return 2;
}
