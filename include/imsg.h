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
 * imsg: typed, length-prefixed messages over a stream socketpair, with
 * file descriptors passed as SCM_RIGHTS. Used by every process; pure
 * framing plus the socket calls, no event loop knowledge.
 *
 * A message is a fixed header followed by its payload. A message that
 * carries a descriptor is written with its own sendmsg() so that the
 * descriptor arrives with the message's first byte; the reader queues
 * descriptors and attaches one to each message flagged IMSGF_HASFD.
 */

#ifndef IMSG_H
#define IMSG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define IMSG_HDRLEN	sizeof(struct imsg_hdr)
#define IMSG_MAXDATA	(65535 + 512)	/* largest payload: a DNS message + meta */
#define IMSG_MAXFDS	16		/* descriptors queued but not yet claimed */

#define IMSGF_HASFD	0x1

struct imsg_hdr {
	uint32_t	 type;
	uint32_t	 len;		/* header + payload */
	uint32_t	 flags;
	uint32_t	 peerid;	/* free for the caller: query id, ... */
};

struct imsg {
	struct imsg_hdr	 hdr;
	int		 fd;		/* -1 unless IMSGF_HASFD; now the caller's */
	const uint8_t	*data;		/* valid until the next imsg_read() */
	size_t		 datalen;
};

struct imsgbuf {
	int		 fd;
	/* read side */
	uint8_t		*rbuf;
	size_t		 rsize, rlen, rpos;
	int		 rfds[IMSG_MAXFDS];
	size_t		 nrfds;
	/* write side: bytes not yet written, and where descriptors attach */
	uint8_t		*wbuf;
	size_t		 wsize, wlen;
	struct imsg_wfd {
		size_t	 off;		/* offset of the message in wbuf */
		int	 fd;
	}		 wfds[IMSG_MAXFDS];
	size_t		 nwfds;
};

/* what a receiver accepts: one rule per message type */
struct imsg_rule {
	uint32_t	 type;
	size_t		 minlen;	/* payload bounds, inclusive */
	size_t		 maxlen;
	int		 wantfd;	/* 1: must carry a descriptor, 0: must not */
};

int	 imsgbuf_init(struct imsgbuf *, int);
void	 imsgbuf_clear(struct imsgbuf *);	/* frees, closes queued fds */

/* queue a message; fd (or -1) is closed once sent. 0 ok, -1 error */
int	 imsg_compose(struct imsgbuf *, uint32_t type, uint32_t peerid, int fd,
	    const void *, size_t);
/* same with the payload in two parts (a struct and a DNS message) */
int	 imsg_compose2(struct imsgbuf *, uint32_t type, uint32_t peerid,
	    const void *, size_t, const void *, size_t);

/* non-blocking I/O: >0 progress, 0 EOF (read only), -1 error/errno */
ssize_t	 imsg_read(struct imsgbuf *);
int	 imsg_write(struct imsgbuf *);		/* 1 done, 0 more left, -1 */
int	 imsg_flush(struct imsgbuf *);		/* write all, waiting: 0/-1 */
size_t	 imsg_pending(const struct imsgbuf *);	/* bytes not yet written */

/*
 * Next complete message: 1 got one, 0 need more bytes, -1 protocol
 * violation (oversized frame, descriptor missing).
 */
int	 imsg_get(struct imsgbuf *, struct imsg *);

/*
 * Check a message against a receiver's rules: known type, payload size
 * within bounds, descriptor present exactly when expected. 0 ok, -1 not.
 */
int	 imsg_check(const struct imsg *, const struct imsg_rule *, size_t);

#endif /* IMSG_H */
