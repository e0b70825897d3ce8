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
 * Unit tests of imsg framing over real AF_UNIX socketpairs: round trips,
 * partial reads, descriptor passing and ordering, forged frames that a
 * compromised peer could send, and the receiver's rule checks.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imsg.h"
#include "test.h"

enum { T_HELLO = 1, T_QUERY, T_SOCKET, T_EMPTY };

static const struct imsg_rule rules[] = {
	{ T_HELLO,	4,	4,		0 },
	{ T_QUERY,	12,	IMSG_MAXDATA,	0 },
	{ T_SOCKET,	0,	0,		1 },
	{ T_EMPTY,	0,	0,		0 },
};
#define NRULES	(sizeof(rules) / sizeof(rules[0]))

static int
pair(int sv[2], int nonblock)
{
	int	 type = SOCK_STREAM | (nonblock ? SOCK_NONBLOCK : 0);

	return socketpair(AF_UNIX, type, 0, sv);
}

static void
close_pair(int sv[2])
{
	close(sv[0]);
	close(sv[1]);
}

static int
fd_is_open(int fd)
{
	return fcntl(fd, F_GETFD) != -1;
}

/* a spare descriptor to pass around; stdin may be closed under CI */
static int
spare_fd(void)
{
	return open("/dev/null", O_RDONLY | O_CLOEXEC);
}

/* Next message from a blocking socket: 1, 0 on EOF, -1 on error. */
static int
recv_one(struct imsgbuf *ib, struct imsg *imsg)
{
	ssize_t	 n;
	int	 r;

	for (;;) {
		if ((r = imsg_get(ib, imsg)) != 0)
			return r;
		if ((n = imsg_read(ib)) <= 0)
			return (int)n;
	}
}

/* Write a frame header the way a broken or hostile peer might. */
static int
forge(int fd, uint32_t type, uint32_t len, uint32_t flags, size_t datalen)
{
	struct imsg_hdr	 hdr;
	uint8_t		 buf[IMSG_HDRLEN + 64];
	size_t		 total = IMSG_HDRLEN + datalen;

	if (datalen > sizeof(buf) - IMSG_HDRLEN)
		return -1;
	memset(&hdr, 0, sizeof(hdr));
	hdr.type = type;
	hdr.len = len;
	hdr.flags = flags;
	memcpy(buf, &hdr, sizeof(hdr));
	memset(buf + IMSG_HDRLEN, 'x', datalen);
	return write(fd, buf, total) == (ssize_t)total ? 0 : -1;
}

/* Send a forged frame and report what imsg_get() makes of it. */
static int
get_forged(uint32_t len, uint32_t flags, size_t datalen, int *err)
{
	struct imsgbuf	 ib;
	struct imsg	 imsg;
	int		 sv[2], r;

	if (pair(sv, 0) == -1)
		return -2;
	imsgbuf_init(&ib, sv[0]);
	r = forge(sv[1], T_QUERY, len, flags, datalen);
	if (r == 0 && imsg_read(&ib) <= 0)
		r = -2;
	if (r == 0) {
		errno = 0;
		r = imsg_get(&ib, &imsg);
		*err = errno;
	}
	if (r == 1 && imsg.fd != -1)
		close(imsg.fd);
	imsgbuf_clear(&ib);
	close_pair(sv);
	return r;
}

/* A message with only a payload and no descriptor, for rule checks. */
static struct imsg
fake(uint32_t type, size_t datalen, int fd)
{
	static const uint8_t	 zero[IMSG_MAXDATA + 1];
	struct imsg		 imsg;

	memset(&imsg, 0, sizeof(imsg));
	imsg.hdr.type = type;
	imsg.hdr.len = (uint32_t)(IMSG_HDRLEN + datalen);
	imsg.fd = fd;
	imsg.data = zero;
	imsg.datalen = datalen;
	return imsg;
}

static void
t_roundtrip_several(void)
{
	struct imsgbuf	 a, b;
	struct imsg	 imsg;
	int		 sv[2];

	CHECK(pair(sv, 0) == 0);
	CHECK(imsgbuf_init(&a, sv[0]) == 0);
	CHECK(imsgbuf_init(&b, sv[1]) == 0);
	CHECK(imsg_compose(&a, T_HELLO, 7, -1, "abcd", 4) == 0);
	CHECK(imsg_compose(&a, T_EMPTY, 8, -1, NULL, 0) == 0);
	CHECK(imsg_compose(&a, T_QUERY, 9, -1, "0123456789ab", 12) == 0);
	CHECK(imsg_pending(&a) == 3 * IMSG_HDRLEN + 16);
	CHECK(imsg_write(&a) == 1);
	CHECK(imsg_pending(&a) == 0);

	CHECK(imsg_read(&b) == (ssize_t)(3 * IMSG_HDRLEN + 16));
	CHECK(imsg_get(&b, &imsg) == 1);
	CHECK(imsg.hdr.type == T_HELLO && imsg.hdr.peerid == 7);
	CHECK(imsg.datalen == 4 && memcmp(imsg.data, "abcd", 4) == 0);
	CHECK(imsg.fd == -1);
	CHECK(imsg_get(&b, &imsg) == 1);
	CHECK(imsg.hdr.type == T_EMPTY && imsg.datalen == 0);
	CHECK(imsg.hdr.peerid == 8);
	CHECK(imsg_get(&b, &imsg) == 1);
	CHECK(imsg.hdr.type == T_QUERY && imsg.hdr.peerid == 9);
	CHECK(imsg.datalen == 12 && memcmp(imsg.data, "0123456789ab", 12) == 0);
	CHECK(imsg_get(&b, &imsg) == 0);
	imsgbuf_clear(&a);
	imsgbuf_clear(&b);
	close_pair(sv);
}

/* Pump bytes between two non-blocking ends; frames split at random. */
static void
t_many_partial_reads(void)
{
	struct imsgbuf	 a, b;
	struct imsg	 imsg;
	uint32_t	 sent = 0, got = 0, v;
	int		 sv[2], bad = 0, spins = 0;
	const uint32_t	 total = 10000;
	uint8_t		 payload[300];

	CHECK(pair(sv, 1) == 0);
	/* a small buffer forces many partial writes and reads */
	v = 4096;
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, sizeof(v));
	setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
	imsgbuf_init(&a, sv[0]);
	imsgbuf_init(&b, sv[1]);
	memset(payload, 0xa5, sizeof(payload));

	while (got < total && spins++ < 1000000) {
		while (sent < total && imsg_pending(&a) < 20000) {
			memcpy(payload, &sent, sizeof(sent));
			if (imsg_compose(&a, T_QUERY, sent, -1, payload,
			    12 + sent % 280) == -1)
				bad++;
			sent++;
		}
		if (imsg_write(&a) == -1)
			bad++;
		if (imsg_read(&b) == -1 && errno != EAGAIN)
			bad++;
		while (imsg_get(&b, &imsg) == 1) {
			memcpy(&v, imsg.data, sizeof(v));
			if (imsg.hdr.peerid != got || v != got ||
			    imsg.datalen != 12 + got % 280)
				bad++;
			got++;
		}
	}
	CHECK(bad == 0);
	CHECK(got == total);
	CHECK(imsg_pending(&a) == 0);
	imsgbuf_clear(&a);
	imsgbuf_clear(&b);
	close_pair(sv);
}

/* A frame dribbled in one byte at a time only completes at the end. */
static void
t_byte_by_byte(void)
{
	struct imsgbuf	 b;
	struct imsg	 imsg;
	struct imsg_hdr	 hdr;
	uint8_t		 buf[IMSG_HDRLEN + 5];
	size_t		 i;
	int		 sv[2], early = 0;

	CHECK(pair(sv, 0) == 0);
	imsgbuf_init(&b, sv[1]);
	memset(&hdr, 0, sizeof(hdr));
	hdr.type = T_QUERY;
	hdr.len = sizeof(buf);
	memcpy(buf, &hdr, sizeof(hdr));
	memcpy(buf + IMSG_HDRLEN, "hello", 5);
	for (i = 0; i < sizeof(buf); i++) {
		CHECK(write(sv[0], buf + i, 1) == 1);
		CHECK(imsg_read(&b) == 1);
		if (i + 1 < sizeof(buf) && imsg_get(&b, &imsg) != 0)
			early++;
	}
	CHECK(early == 0);
	CHECK(imsg_get(&b, &imsg) == 1);
	CHECK(imsg.datalen == 5 && memcmp(imsg.data, "hello", 5) == 0);
	imsgbuf_clear(&b);
	close_pair(sv);
}

static void
t_fd_passing(void)
{
	struct imsgbuf	 a, b;
	struct imsg	 imsg;
	char		 out[8] = "";
	int		 sv[2], p[2], sentfd;

	CHECK(pair(sv, 0) == 0);
	CHECK(pipe(p) == 0);
	imsgbuf_init(&a, sv[0]);
	imsgbuf_init(&b, sv[1]);
	sentfd = p[1];
	CHECK(imsg_compose(&a, T_SOCKET, 1, sentfd, NULL, 0) == 0);
	CHECK(imsg_flush(&a) == 0);
	CHECK(!fd_is_open(sentfd));	/* closed once sent */

	CHECK(recv_one(&b, &imsg) == 1);
	CHECK(imsg.hdr.type == T_SOCKET);
	CHECK(imsg.hdr.flags == IMSGF_HASFD);
	CHECK(imsg.fd >= 0);
	CHECK((fcntl(imsg.fd, F_GETFD) & FD_CLOEXEC) != 0);
	CHECK(write(imsg.fd, "pipe", 4) == 4);
	CHECK(read(p[0], out, sizeof(out)) == 4);
	CHECK(memcmp(out, "pipe", 4) == 0);
	close(imsg.fd);
	close(p[0]);
	imsgbuf_clear(&a);
	imsgbuf_clear(&b);
	close_pair(sv);
}

/* Each descriptor stays with its own message, in order. */
static void
t_fd_order(void)
{
	struct imsgbuf	 a, b;
	struct imsg	 imsg;
	char		 c;
	int		 sv[2], p1[2], p2[2], fd1 = -1, fd2 = -1;

	CHECK(pair(sv, 0) == 0);
	CHECK(pipe(p1) == 0 && pipe(p2) == 0);
	imsgbuf_init(&a, sv[0]);
	imsgbuf_init(&b, sv[1]);
	CHECK(imsg_compose(&a, T_HELLO, 0, -1, "xxxx", 4) == 0);
	CHECK(imsg_compose(&a, T_SOCKET, 1, p1[1], NULL, 0) == 0);
	CHECK(imsg_compose(&a, T_SOCKET, 2, p2[1], NULL, 0) == 0);
	CHECK(imsg_compose(&a, T_HELLO, 3, -1, "yyyy", 4) == 0);
	CHECK(imsg_flush(&a) == 0);

	CHECK(recv_one(&b, &imsg) == 1 && imsg.fd == -1);
	CHECK(recv_one(&b, &imsg) == 1 && imsg.hdr.peerid == 1);
	fd1 = imsg.fd;
	CHECK(recv_one(&b, &imsg) == 1 && imsg.hdr.peerid == 2);
	fd2 = imsg.fd;
	CHECK(recv_one(&b, &imsg) == 1 && imsg.fd == -1);
	CHECK(imsg.hdr.peerid == 3);
	CHECK(fd1 >= 0 && fd2 >= 0 && fd1 != fd2);
	CHECK(write(fd1, "1", 1) == 1 && write(fd2, "2", 1) == 1);
	CHECK(read(p1[0], &c, 1) == 1 && c == '1');
	CHECK(read(p2[0], &c, 1) == 1 && c == '2');
	close(fd1);
	close(fd2);
	close(p1[0]);
	close(p2[0]);
	imsgbuf_clear(&a);
	imsgbuf_clear(&b);
	close_pair(sv);
}

static void
t_len_below_header(void)
{
	int	 err = 0;

	CHECK(get_forged(IMSG_HDRLEN - 1, 0, 0, &err) == -1);
	CHECK(err == EBADMSG);
	CHECK(get_forged(0, 0, 0, &err) == -1);
}

static void
t_oversized_frame(void)
{
	int	 err = 0;

	/* rejected from the header alone, before the payload arrives */
	CHECK(get_forged(IMSG_HDRLEN + IMSG_MAXDATA + 1, 0, 0, &err) == -1);
	CHECK(err == EBADMSG);
	CHECK(get_forged(UINT32_MAX, 0, 0, &err) == -1);
}

static void
t_hasfd_without_fd(void)
{
	int	 err = 0;

	CHECK(get_forged(IMSG_HDRLEN + 4, IMSGF_HASFD, 4, &err) == -1);
	CHECK(err == EBADMSG);
}

static void
t_unknown_flags(void)
{
	int	 err = 0;

	CHECK(get_forged(IMSG_HDRLEN + 4, 0x2, 4, &err) == -1);
	CHECK(get_forged(IMSG_HDRLEN + 4, 0x80000000u, 4, &err) == -1);
	CHECK(get_forged(IMSG_HDRLEN + 4, 0, 4, &err) == 1);
}

static void
t_check_accepts(void)
{
	struct imsg	 m;

	m = fake(T_HELLO, 4, -1);
	CHECK(imsg_check(&m, rules, NRULES) == 0);
	m = fake(T_QUERY, IMSG_MAXDATA, -1);
	CHECK(imsg_check(&m, rules, NRULES) == 0);
	m = fake(T_SOCKET, 0, 0);
	CHECK(imsg_check(&m, rules, NRULES) == 0);
}

static void
t_check_unknown_type(void)
{
	struct imsg	 m;

	m = fake(99, 4, -1);
	CHECK(imsg_check(&m, rules, NRULES) == -1);
	m = fake(T_HELLO, 4, -1);
	CHECK(imsg_check(&m, rules, 0) == -1);
}

static void
t_check_short(void)
{
	struct imsg	 m;

	m = fake(T_HELLO, 3, -1);
	CHECK(imsg_check(&m, rules, NRULES) == -1);
	m = fake(T_QUERY, 11, -1);
	CHECK(imsg_check(&m, rules, NRULES) == -1);
}

static void
t_check_long(void)
{
	struct imsg	 m;

	m = fake(T_HELLO, 5, -1);
	CHECK(imsg_check(&m, rules, NRULES) == -1);
	m = fake(T_EMPTY, 1, -1);
	CHECK(imsg_check(&m, rules, NRULES) == -1);
}

static void
t_check_unexpected_fd(void)
{
	struct imsg	 m;
	int		 fd;

	CHECK((fd = spare_fd()) >= 0);
	m = fake(T_HELLO, 4, fd);
	CHECK(imsg_check(&m, rules, NRULES) == -1);
	CHECK(fd_is_open(fd));		/* check leaves it to the caller */
	close(fd);
}

static void
t_check_missing_fd(void)
{
	struct imsg	 m;

	m = fake(T_SOCKET, 0, -1);
	CHECK(imsg_check(&m, rules, NRULES) == -1);
}

static void
t_eof(void)
{
	struct imsgbuf	 b;
	struct imsg	 imsg;
	int		 sv[2];

	CHECK(pair(sv, 0) == 0);
	imsgbuf_init(&b, sv[1]);
	CHECK(write(sv[0], "abc", 3) == 3);
	close(sv[0]);
	CHECK(imsg_read(&b) == 3);
	CHECK(imsg_get(&b, &imsg) == 0);	/* a truncated header */
	CHECK(imsg_read(&b) == 0);
	imsgbuf_clear(&b);
	close(sv[1]);
}

static void
t_eagain(void)
{
	struct imsgbuf	 b;
	int		 sv[2];

	CHECK(pair(sv, 1) == 0);
	imsgbuf_init(&b, sv[1]);
	errno = 0;
	CHECK(imsg_read(&b) == -1);
	CHECK(errno == EAGAIN || errno == EWOULDBLOCK);
	imsgbuf_clear(&b);
	close_pair(sv);
}

static void
t_max_payload(void)
{
	struct imsgbuf	 a, b;
	struct imsg	 imsg;
	uint8_t		*big;
	size_t		 i;
	int		 sv[2];

	CHECK((big = malloc(IMSG_MAXDATA + 1)) != NULL);
	if (big == NULL)
		return;
	for (i = 0; i <= IMSG_MAXDATA; i++)
		big[i] = (uint8_t)(i * 7);
	CHECK(pair(sv, 0) == 0);
	/* the writer must not block while the reader is not reading */
	CHECK(fcntl(sv[0], F_SETFL, O_NONBLOCK) == 0);
	imsgbuf_init(&a, sv[0]);
	imsgbuf_init(&b, sv[1]);
	errno = 0;
	CHECK(imsg_compose(&a, T_QUERY, 0, -1, big, IMSG_MAXDATA + 1) == -1);
	CHECK(errno == EMSGSIZE);
	CHECK(imsg_pending(&a) == 0);
	CHECK(imsg_compose(&a, T_QUERY, 5, -1, big, IMSG_MAXDATA) == 0);
	CHECK(imsg_compose(&a, T_QUERY, 6, -1, big, IMSG_MAXDATA) == 0);

	/* the socket buffer may be smaller than two frames: interleave */
	while (imsg_write(&a) == 0)
		if (imsg_read(&b) <= 0)
			break;
	CHECK(imsg_pending(&a) == 0);
	CHECK(recv_one(&b, &imsg) == 1);
	CHECK(imsg.hdr.peerid == 5 && imsg.datalen == IMSG_MAXDATA);
	CHECK(memcmp(imsg.data, big, IMSG_MAXDATA) == 0);
	CHECK(recv_one(&b, &imsg) == 1);
	CHECK(imsg.hdr.peerid == 6 && imsg.datalen == IMSG_MAXDATA);
	CHECK(memcmp(imsg.data, big, IMSG_MAXDATA) == 0);
	free(big);
	imsgbuf_clear(&a);
	imsgbuf_clear(&b);
	close_pair(sv);
}

static void
t_compose2(void)
{
	struct imsgbuf	 a, b;
	struct imsg	 imsg;
	int		 sv[2];

	CHECK(pair(sv, 0) == 0);
	imsgbuf_init(&a, sv[0]);
	imsgbuf_init(&b, sv[1]);
	CHECK(imsg_compose2(&a, T_QUERY, 4, "head", 4, "tail", 4) == 0);
	CHECK(imsg_compose2(&a, T_QUERY, 5, NULL, 0, "only", 4) == 0);
	CHECK(imsg_compose2(&a, T_QUERY, 6, "x", IMSG_MAXDATA, "y",
	    SIZE_MAX) == -1);
	CHECK(imsg_compose2(&a, T_QUERY, 6, "x", 1, "y",
	    IMSG_MAXDATA) == -1);
	CHECK(imsg_flush(&a) == 0);
	CHECK(recv_one(&b, &imsg) == 1 && imsg.hdr.peerid == 4);
	CHECK(imsg.datalen == 8 && memcmp(imsg.data, "headtail", 8) == 0);
	CHECK(recv_one(&b, &imsg) == 1 && imsg.hdr.peerid == 5);
	CHECK(imsg.datalen == 4 && memcmp(imsg.data, "only", 4) == 0);
	imsgbuf_clear(&a);
	imsgbuf_clear(&b);
	close_pair(sv);
}

/* Unsent descriptors are bounded, and a failed compose keeps the fd. */
static void
t_wfds_full(void)
{
	struct imsgbuf	 a;
	int		 sv[2], fds[IMSG_MAXFDS + 1], i, open_after = 0;

	CHECK(pair(sv, 0) == 0);
	imsgbuf_init(&a, sv[0]);
	for (i = 0; i <= IMSG_MAXFDS; i++)
		fds[i] = dup(sv[1]);
	for (i = 0; i < IMSG_MAXFDS; i++)
		CHECK(imsg_compose(&a, T_SOCKET, 0, fds[i], NULL, 0) == 0);
	errno = 0;
	CHECK(imsg_compose(&a, T_SOCKET, 0, fds[IMSG_MAXFDS], NULL, 0) == -1);
	CHECK(errno == ENOBUFS);
	CHECK(fd_is_open(fds[IMSG_MAXFDS]));
	imsgbuf_clear(&a);		/* closes the queued ones */
	for (i = 0; i < IMSG_MAXFDS; i++)
		if (fd_is_open(fds[i]))
			open_after++;
	CHECK(open_after == 0);
	close(fds[IMSG_MAXFDS]);
	close_pair(sv);
}

/* A stuck peer cannot make the writer hold unbounded memory. */
static void
t_pending_cap(void)
{
	struct imsgbuf	 a;
	uint8_t		*big;
	int		 sv[2], i, ok = 0;

	CHECK((big = calloc(1, IMSG_MAXDATA)) != NULL);
	if (big == NULL)
		return;
	CHECK(pair(sv, 1) == 0);
	imsgbuf_init(&a, sv[0]);
	errno = 0;
	for (i = 0; i < 2000; i++) {
		if (imsg_compose(&a, T_QUERY, 0, -1, big, IMSG_MAXDATA) == -1)
			break;
		ok++;
	}
	CHECK(i < 2000 && errno == ENOBUFS);
	CHECK(ok > 100);
	CHECK(imsg_pending(&a) <= (size_t)64 * 1024 * 1024);
	free(big);
	imsgbuf_clear(&a);
	close_pair(sv);
}

/* More descriptors than announced frames: the reader refuses them. */
static void
t_fd_flood(void)
{
	union {
		struct cmsghdr	 hdr;
		char		 buf[CMSG_SPACE(sizeof(int) * 8)];
	}		 cmsgbuf;
	struct imsgbuf	 b;
	struct msghdr	 msg;
	struct cmsghdr	*cmsg;
	struct iovec	 iov;
	int		 sv[2], fds[8], i;

	CHECK(pair(sv, 0) == 0);
	imsgbuf_init(&b, sv[1]);
	for (i = 0; i < 8; i++)
		fds[i] = spare_fd();
	memset(&msg, 0, sizeof(msg));
	memset(&cmsgbuf, 0, sizeof(cmsgbuf));
	iov.iov_base = (void *)"z";
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cmsgbuf.buf;
	msg.msg_controllen = sizeof(cmsgbuf.buf);
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_len = CMSG_LEN(sizeof(fds));
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	memcpy(CMSG_DATA(cmsg), fds, sizeof(fds));
	CHECK(sendmsg(sv[0], &msg, 0) == 1);
	for (i = 0; i < 8; i++)
		close(fds[i]);

	errno = 0;
	CHECK(imsg_read(&b) == -1);	/* 8 fds do not fit: MSG_CTRUNC */
	CHECK(errno == EBADMSG);
	CHECK(b.nrfds == 0);
	imsgbuf_clear(&b);
	close_pair(sv);
}

/* Received but unclaimed descriptors are closed by imsgbuf_clear(). */
static void
t_clear_closes_received(void)
{
	struct imsgbuf	 a, b;
	int		 sv[2], got = -1;

	CHECK(pair(sv, 0) == 0);
	imsgbuf_init(&a, sv[0]);
	imsgbuf_init(&b, sv[1]);
	CHECK(imsg_compose(&a, T_SOCKET, 0, spare_fd(), NULL, 0) == 0);
	CHECK(imsg_flush(&a) == 0);
	CHECK(imsg_read(&b) > 0);
	CHECK(b.nrfds == 1);
	if (b.nrfds == 1)
		got = b.rfds[0];
	CHECK(got >= 0 && fd_is_open(got));
	imsgbuf_clear(&b);
	CHECK(!fd_is_open(got));
	imsgbuf_clear(&a);
	close_pair(sv);
}

void
test_imsg(void)
{
	RUN(t_roundtrip_several);
	RUN(t_many_partial_reads);
	RUN(t_byte_by_byte);
	RUN(t_fd_passing);
	RUN(t_fd_order);
	RUN(t_len_below_header);
	RUN(t_oversized_frame);
	RUN(t_hasfd_without_fd);
	RUN(t_unknown_flags);
	RUN(t_check_accepts);
	RUN(t_check_unknown_type);
	RUN(t_check_short);
	RUN(t_check_long);
	RUN(t_check_unexpected_fd);
	RUN(t_check_missing_fd);
	RUN(t_eof);
	RUN(t_eagain);
	RUN(t_max_payload);
	RUN(t_compose2);
	RUN(t_wfds_full);
	RUN(t_pending_cap);
	RUN(t_fd_flood);
	RUN(t_clear_closes_received);
}
