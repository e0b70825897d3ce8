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
 * imsg framing over an AF_UNIX stream socketpair, used by every process.
 *
 * Trusts nothing it reads: the peer is another dnstlsd process that may
 * have been compromised, so every frame length, flag and descriptor is
 * checked before it is handed out. Trusts the caller: buffers passed to
 * compose are as long as claimed.
 *
 * Lifetimes the caller must know about:
 * - imsg.data points into the read buffer and stays valid until the next
 *   imsg_read() or imsgbuf_clear(); the payload may be unaligned, so copy
 *   it out with memcpy() rather than casting it to a struct pointer.
 * - a descriptor handed out by imsg_get() belongs to the caller, even when
 *   imsg_check() then rejects the message.
 * - a descriptor given to imsg_compose() belongs to the imsgbuf once
 *   compose succeeded and is closed after it was sent; if compose fails
 *   it is still the caller's.
 * - imsgbuf_clear() never closes the socket itself.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imsg.h"

/* the largest frame, and a read buffer that holds two of them */
#define IMSG_MAXFRAME	(IMSG_HDRLEN + IMSG_MAXDATA)
#define IMSG_RBUFSIZE	(2 * IMSG_MAXFRAME)
/* unsent bytes a stuck peer may make us hold */
#define IMSG_MAXPENDING	((size_t)64 * 1024 * 1024)
#define IMSG_WBUFMIN	((size_t)16 * 1024)
/* descriptors accepted in one recvmsg(); we send one per sendmsg() */
#define IMSG_CMSGFDS	4

static void
close_fds(int *fds, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (fds[i] != -1)
			close(fds[i]);
}

int
imsgbuf_init(struct imsgbuf *ibuf, int fd)
{
	if (ibuf == NULL || fd < 0) {
		errno = EINVAL;
		return -1;
	}
	memset(ibuf, 0, sizeof(*ibuf));
	ibuf->fd = fd;
	return 0;
}

void
imsgbuf_clear(struct imsgbuf *ibuf)
{
	size_t	 i;

	if (ibuf == NULL)
		return;
	close_fds(ibuf->rfds, ibuf->nrfds);
	for (i = 0; i < ibuf->nwfds; i++)
		close(ibuf->wfds[i].fd);
	free(ibuf->rbuf);
	free(ibuf->wbuf);
	ibuf->rbuf = NULL;
	ibuf->wbuf = NULL;
	ibuf->rsize = ibuf->rlen = ibuf->rpos = 0;
	ibuf->wsize = ibuf->wlen = 0;
	ibuf->nrfds = ibuf->nwfds = 0;
}

size_t
imsg_pending(const struct imsgbuf *ibuf)
{
	return ibuf->wlen;
}

/* Make room for len more unsent bytes, bounded by IMSG_MAXPENDING. */
static int
wbuf_reserve(struct imsgbuf *ibuf, size_t len)
{
	uint8_t	*p;
	size_t	 need, size;

	if (len > IMSG_MAXPENDING || ibuf->wlen > IMSG_MAXPENDING - len) {
		errno = ENOBUFS;
		return -1;
	}
	need = ibuf->wlen + len;
	if (need <= ibuf->wsize)
		return 0;
	size = ibuf->wsize > IMSG_WBUFMIN ? ibuf->wsize : IMSG_WBUFMIN;
	while (size < need)
		size *= 2;	/* cannot wrap: need <= IMSG_MAXPENDING */
	if (size > IMSG_MAXPENDING)
		size = IMSG_MAXPENDING;
	if ((p = realloc(ibuf->wbuf, size)) == NULL)
		return -1;
	ibuf->wbuf = p;
	ibuf->wsize = size;
	return 0;
}

static void
wbuf_append(struct imsgbuf *ibuf, const void *data, size_t len)
{
	if (len == 0)
		return;
	memcpy(ibuf->wbuf + ibuf->wlen, data, len);
	ibuf->wlen += len;
}

/* Queue one frame whose payload comes in two parts (either may be empty). */
static int
compose_parts(struct imsgbuf *ibuf, uint32_t type, uint32_t peerid, int fd,
    const void *d1, size_t len1, const void *d2, size_t len2)
{
	struct imsg_hdr	 hdr;
	size_t		 off;

	if ((d1 == NULL && len1 > 0) || (d2 == NULL && len2 > 0) || fd < -1) {
		errno = EINVAL;
		return -1;
	}
	if (len1 > IMSG_MAXDATA || len2 > IMSG_MAXDATA - len1) {
		errno = EMSGSIZE;
		return -1;
	}
	if (fd != -1 && ibuf->nwfds >= IMSG_MAXFDS) {
		errno = ENOBUFS;
		return -1;
	}
	if (wbuf_reserve(ibuf, IMSG_HDRLEN + len1 + len2) == -1)
		return -1;

	memset(&hdr, 0, sizeof(hdr));
	hdr.type = type;
	hdr.len = (uint32_t)(IMSG_HDRLEN + len1 + len2);
	hdr.flags = fd != -1 ? IMSGF_HASFD : 0;
	hdr.peerid = peerid;

	off = ibuf->wlen;
	wbuf_append(ibuf, &hdr, sizeof(hdr));
	wbuf_append(ibuf, d1, len1);
	wbuf_append(ibuf, d2, len2);
	if (fd != -1) {
		ibuf->wfds[ibuf->nwfds].off = off;
		ibuf->wfds[ibuf->nwfds].fd = fd;
		ibuf->nwfds++;
	}
	return 0;
}

int
imsg_compose(struct imsgbuf *ibuf, uint32_t type, uint32_t peerid, int fd,
    const void *data, size_t len)
{
	return compose_parts(ibuf, type, peerid, fd, data, len, NULL, 0);
}

int
imsg_compose2(struct imsgbuf *ibuf, uint32_t type, uint32_t peerid,
    const void *d1, size_t len1, const void *d2, size_t len2)
{
	return compose_parts(ibuf, type, peerid, -1, d1, len1, d2, len2);
}

/*
 * Send wbuf[off..off+len), with fd (or -1) as SCM_RIGHTS. Returns the
 * bytes sent or -1; retries interrupted calls.
 */
static ssize_t
send_chunk(int sock, const uint8_t *buf, size_t len, int fd)
{
	union {
		struct cmsghdr	 hdr;
		char		 buf[CMSG_SPACE(sizeof(int))];
	}		 cmsgbuf;
	struct cmsghdr	*cmsg;
	struct msghdr	 msg;
	struct iovec	 iov;
	ssize_t		 n;

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
	do {
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	} while (n == -1 && errno == EINTR);
	return n;
}

/* Drop the first done bytes of wbuf and rebase descriptor offsets. */
static void
wbuf_consume(struct imsgbuf *ibuf, size_t done)
{
	size_t	 i;

	if (done == 0)
		return;
	memmove(ibuf->wbuf, ibuf->wbuf + done, ibuf->wlen - done);
	ibuf->wlen -= done;
	for (i = 0; i < ibuf->nwfds; i++)
		ibuf->wfds[i].off -= done;
}

/* The descriptor has left with its message's first byte: forget it. */
static void
wfds_pop(struct imsgbuf *ibuf)
{
	close(ibuf->wfds[0].fd);
	ibuf->nwfds--;
	memmove(&ibuf->wfds[0], &ibuf->wfds[1],
	    ibuf->nwfds * sizeof(ibuf->wfds[0]));
}

/*
 * Write as much as the socket takes. A message carrying a descriptor
 * starts its own sendmsg(), which also stops before the next such
 * message, so each descriptor travels with its own message's first byte.
 */
int
imsg_write(struct imsgbuf *ibuf)
{
	size_t	 done = 0, end;
	ssize_t	 n;
	int	 fd, ret = 1;

	while (done < ibuf->wlen) {
		fd = -1;
		end = ibuf->wlen;
		if (ibuf->nwfds > 0 && ibuf->wfds[0].off == done) {
			fd = ibuf->wfds[0].fd;
			if (ibuf->nwfds > 1)
				end = ibuf->wfds[1].off;
		} else if (ibuf->nwfds > 0)
			end = ibuf->wfds[0].off;

		n = send_chunk(ibuf->fd, ibuf->wbuf + done, end - done, fd);
		if (n == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				ret = 0;
			else
				ret = -1;
			break;
		}
		if (n == 0) {		/* no progress: try again later */
			ret = 0;
			break;
		}
		if (fd != -1)
			wfds_pop(ibuf);
		done += (size_t)n;
	}
	wbuf_consume(ibuf, done);
	return ret;
}

int
imsg_flush(struct imsgbuf *ibuf)
{
	struct pollfd	 pfd;
	int		 r;

	for (;;) {
		if ((r = imsg_write(ibuf)) != 0)
			return r == 1 ? 0 : -1;
		pfd.fd = ibuf->fd;
		pfd.events = POLLOUT;
		pfd.revents = 0;
		if (poll(&pfd, 1, -1) == -1 && errno != EINTR)
			return -1;
	}
}

/* Move unread bytes to the front so the buffer can take more. */
static int
rbuf_prepare(struct imsgbuf *ibuf)
{
	if (ibuf->rbuf == NULL) {
		if ((ibuf->rbuf = malloc(IMSG_RBUFSIZE)) == NULL)
			return -1;
		ibuf->rsize = IMSG_RBUFSIZE;
		ibuf->rlen = ibuf->rpos = 0;
	}
	if (ibuf->rpos > 0) {
		memmove(ibuf->rbuf, ibuf->rbuf + ibuf->rpos,
		    ibuf->rlen - ibuf->rpos);
		ibuf->rlen -= ibuf->rpos;
		ibuf->rpos = 0;
	}
	if (ibuf->rlen >= ibuf->rsize) {
		/* two whole frames buffered: the caller is not calling get */
		errno = ENOBUFS;
		return -1;
	}
	return 0;
}

/*
 * Queue the descriptors that came with a recvmsg(). All of them are
 * taken out of the control message even on failure, so none leaks.
 */
static int
rfds_take(struct imsgbuf *ibuf, struct msghdr *msg)
{
	struct cmsghdr	*cmsg;
	size_t		 i, nfds;
	int		 fd, ok = 1;

	for (cmsg = CMSG_FIRSTHDR(msg); cmsg != NULL;
	    cmsg = CMSG_NXTHDR(msg, cmsg)) {
		if (cmsg->cmsg_level != SOL_SOCKET ||
		    cmsg->cmsg_type != SCM_RIGHTS ||
		    cmsg->cmsg_len < CMSG_LEN(0))
			continue;
		nfds = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < nfds; i++) {
			memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof(int),
			    sizeof(int));
			if (ok && (msg->msg_flags & MSG_CTRUNC) == 0 &&
			    ibuf->nrfds < IMSG_MAXFDS)
				ibuf->rfds[ibuf->nrfds++] = fd;
			else {
				close(fd);
				ok = 0;
			}
		}
	}
	if (msg->msg_flags & MSG_CTRUNC)
		ok = 0;
	return ok ? 0 : -1;
}

ssize_t
imsg_read(struct imsgbuf *ibuf)
{
	union {
		struct cmsghdr	 hdr;
		char		 buf[CMSG_SPACE(sizeof(int) * IMSG_CMSGFDS)];
	}		 cmsgbuf;
	struct msghdr	 msg;
	struct iovec	 iov;
	ssize_t		 n;

	if (rbuf_prepare(ibuf) == -1)
		return -1;

	memset(&msg, 0, sizeof(msg));
	memset(&cmsgbuf, 0, sizeof(cmsgbuf));
	iov.iov_base = ibuf->rbuf + ibuf->rlen;
	iov.iov_len = ibuf->rsize - ibuf->rlen;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cmsgbuf.buf;
	msg.msg_controllen = sizeof(cmsgbuf.buf);

	do {
		n = recvmsg(ibuf->fd, &msg, MSG_CMSG_CLOEXEC);
	} while (n == -1 && errno == EINTR);
	if (n == -1)
		return -1;
	if (rfds_take(ibuf, &msg) == -1) {
		/* more descriptors than announced: the peer misbehaves */
		errno = EBADMSG;
		return -1;
	}
	ibuf->rlen += (size_t)n;
	return n;
}

int
imsg_get(struct imsgbuf *ibuf, struct imsg *imsg)
{
	struct imsg_hdr	 hdr;
	size_t		 avail;

	if (ibuf->rbuf == NULL)
		return 0;
	avail = ibuf->rlen - ibuf->rpos;
	if (avail < IMSG_HDRLEN)
		return 0;
	memcpy(&hdr, ibuf->rbuf + ibuf->rpos, sizeof(hdr));
	if (hdr.len < IMSG_HDRLEN || hdr.len - IMSG_HDRLEN > IMSG_MAXDATA ||
	    (hdr.flags & ~(uint32_t)IMSGF_HASFD) != 0) {
		errno = EBADMSG;
		return -1;
	}
	if (avail < hdr.len)
		return 0;

	imsg->fd = -1;
	if (hdr.flags & IMSGF_HASFD) {
		if (ibuf->nrfds == 0) {
			errno = EBADMSG;
			return -1;
		}
		imsg->fd = ibuf->rfds[0];
		ibuf->nrfds--;
		memmove(&ibuf->rfds[0], &ibuf->rfds[1],
		    ibuf->nrfds * sizeof(ibuf->rfds[0]));
	}
	imsg->hdr = hdr;
	imsg->data = ibuf->rbuf + ibuf->rpos + IMSG_HDRLEN;
	imsg->datalen = hdr.len - IMSG_HDRLEN;
	ibuf->rpos += hdr.len;
	return 1;
}

/*
 * The descriptor, if any, is left open: the caller owns it whatever the
 * verdict and closes it (or tears the channel down) on rejection.
 */
int
imsg_check(const struct imsg *imsg, const struct imsg_rule *rules,
    size_t nrules)
{
	const struct imsg_rule	*rule = NULL;
	size_t			 i;

	for (i = 0; i < nrules; i++) {
		if (rules[i].type == imsg->hdr.type) {
			rule = &rules[i];
			break;
		}
	}
	if (rule == NULL ||
	    imsg->datalen < rule->minlen || imsg->datalen > rule->maxlen ||
	    (imsg->fd != -1) != (rule->wantfd != 0)) {
		errno = EBADMSG;
		return -1;
	}
	return 0;
}
