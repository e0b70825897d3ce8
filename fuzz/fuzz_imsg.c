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
 * libFuzzer target for imsg framing: the input arrives on a real
 * socketpair, as a hostile peer process would send it, and every
 * message is pulled out with imsg_get(), checked with imsg_check() and
 * echoed back with imsg_compose2()/imsg_write().
 *
 * Input: one control byte, then the stream. Control bit 0 attaches a
 * descriptor to every chunk written (fd queue overflow, HASFD pairing);
 * bits 1-7 choose the chunk size, so frames split at varied places.
 *
 * Build: clang -std=c11 -D_GNU_SOURCE -g -O1 -Iinclude \
 *	-fsanitize=fuzzer,address,undefined fuzz/fuzz_imsg.c src/imsg.c
 * Run:   ./fuzz_imsg -max_total_time=60 fuzz/corpus/imsg
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

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define ECHO_MAX	(1024 * 1024)	/* unsent echo bytes we allow */
#define ROUNDS_MAX	100000

static const struct imsg_rule rules[] = {
	{ 1,	4,	4,		0 },
	{ 2,	12,	IMSG_MAXDATA,	0 },
	{ 3,	0,	0,		1 },
	{ 4,	0,	IMSG_MAXDATA,	1 },
};

/* Write one chunk, with a descriptor riding along when asked. */
static ssize_t
feed(int sock, const uint8_t *buf, size_t len, int fd)
{
	union {
		struct cmsghdr	 hdr;
		char		 buf[CMSG_SPACE(sizeof(int))];
	}		 cmsgbuf;
	struct cmsghdr	*cmsg;
	struct msghdr	 msg;
	struct iovec	 iov;

	memset(&msg, 0, sizeof(msg));
	iov.iov_base = (void *)(uintptr_t)buf;
	iov.iov_len = len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (fd != -1) {
		memset(&cmsgbuf, 0, sizeof(cmsgbuf));
		msg.msg_control = cmsgbuf.buf;
		msg.msg_controllen = sizeof(cmsgbuf.buf);
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_len = CMSG_LEN(sizeof(int));
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	}
	return sendmsg(sock, &msg, MSG_NOSIGNAL);
}

/* Every complete message: check, echo, close its descriptor. */
static int
drain(struct imsgbuf *in, struct imsgbuf *out)
{
	struct imsg	 imsg;
	size_t		 half;
	int		 r;

	while ((r = imsg_get(in, &imsg)) == 1) {
		if (imsg_check(&imsg, rules, sizeof(rules) / sizeof(rules[0]))
		    == 0 && imsg_pending(out) < ECHO_MAX) {
			half = imsg.datalen / 2;
			if (imsg_compose2(out, imsg.hdr.type, imsg.hdr.peerid,
			    imsg.data, half, imsg.data + half,
			    imsg.datalen - half) == -1)
				abort();
		}
		if (imsg.fd != -1)
			close(imsg.fd);
	}
	if (imsg_pending(out) > 0 && imsg_write(out) == -1)
		abort();	/* the peer end is still open */
	return r;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct imsgbuf	 in, out;
	size_t		 chunk, off = 0, len;
	ssize_t		 n;
	int		 sv[2], nullfd = -1, rounds;

	if (size < 1)
		return 0;
	chunk = 1 + (size_t)(data[0] >> 1) * 97;
	/* descriptors that leak would make this fail within seconds */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) == -1)
		abort();
	if ((data[0] & 1) &&
	    (nullfd = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1)
		abort();
	data++;
	size--;
	if (size == 0)
		shutdown(sv[1], SHUT_WR);
	imsgbuf_init(&in, sv[0]);
	imsgbuf_init(&out, sv[0]);

	for (rounds = 0; rounds < ROUNDS_MAX; rounds++) {
		if (off < size) {
			len = size - off < chunk ? size - off : chunk;
			if ((n = feed(sv[1], data + off, len, nullfd)) > 0)
				off += (size_t)n;
			if (off == size)
				shutdown(sv[1], SHUT_WR);
		}
		n = imsg_read(&in);
		if (n == 0 || (n == -1 && errno != EAGAIN))
			break;
		if (drain(&in, &out) == -1)
			break;
	}
	drain(&in, &out);

	imsgbuf_clear(&in);
	imsgbuf_clear(&out);
	if (nullfd != -1)
		close(nullfd);
	close(sv[0]);
	close(sv[1]);
	return 0;
}
