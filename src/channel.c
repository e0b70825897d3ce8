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
 * Channels between the processes (see channel.h): imsg framing on a
 * libevent loop, messages checked against the receiver's rules and
 * dispatched to their handlers, and writes batched per pass of the loop.
 *
 * Batching: channel_compose() only queues, and arms the write event the
 * first time in a pass with event_active(), which libevent runs after
 * every callback already due in this pass: whatever those callbacks
 * queue leaves in one write. When the socket is full, the write event
 * waits for room instead.
 */

#include <sys/types.h>

#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "channel.h"
#include "imsg.h"
#include "log.h"

static void
set_nonblock(int fd)
{
	int	 flags;

	if ((flags = fcntl(fd, F_GETFL)) == -1)
		fatal("%s: fcntl F_GETFL", __func__);
	if (fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1)
		fatal("%s: fcntl F_SETFL", __func__);
}

/* the peer is gone: nothing more is read or written, closed is told */
static void
channel_gone(struct channel *ch)
{
	ch->gone = 1;
	channel_stop(ch);
	event_del(ch->wev);
	if (ch->closed != NULL)
		ch->closed(ch, ch->arg);
}

static void
channel_write(struct channel *ch)
{
	int	 rc;

	if (ch->gone || imsg_pending(&ch->ibuf) == 0)
		return;
	if ((rc = imsg_write(&ch->ibuf)) == -1) {
		if (errno == EPIPE || errno == ECONNRESET) {
			channel_gone(ch);
			return;
		}
		fatal("write to the %s", ch->peer);
	}
	if (rc == 0) {
		/* full: the write event waits for room */
		ch->flushing = 1;
		event_add(ch->wev, NULL);
	}
}

static void
channel_writable(evutil_socket_t fd, short events, void *arg)
{
	struct channel	*ch = arg;

	ch->flushing = 0;
	channel_write(ch);
}

/* Any message a peer should not have sent is a fatal protocol violation. */
static __attribute__((__noreturn__)) void
channel_violation(const struct channel *ch, const struct imsg *imsg,
    const char *why)
{
	if (imsg->fd != -1)
		close(imsg->fd);
	fatalx("protocol violation by the %s: message type %u, %zu bytes%s%s",
	    ch->peer, imsg->hdr.type, imsg->datalen,
	    imsg->fd != -1 ? ", with a descriptor" : "", why);
}

static void
channel_handle(struct channel *ch, struct imsg *imsg)
{
	const struct channel_rule	*rule;
	uint64_t			 bit;
	size_t				 i;

	for (i = 0; i < ch->nrules; i++)
		if (ch->rules[i].msg.type == imsg->hdr.type)
			break;
	if (i == ch->nrules)
		channel_violation(ch, imsg, "");
	rule = &ch->rules[i];
	if (imsg_check(imsg, &rule->msg, 1) == -1)
		channel_violation(ch, imsg, "");
	bit = (uint64_t)1 << i;
	if ((rule->flags & RULE_ONCE) && (ch->seen & bit))
		channel_violation(ch, imsg, ", once too often");
	ch->seen |= bit;
	rule->handler(ch, imsg, ch->arg);
}

/*
 * One read, then every whole message it completed: 1 read something, 0
 * nothing waits, -1 the peer closed (reading stops, closed is told). An
 * error is fatal: socketpairs do not fail by themselves.
 */
static int
channel_read(struct channel *ch)
{
	struct imsg	 imsg;
	ssize_t		 n;
	int		 rc;

	if ((n = imsg_read(&ch->ibuf)) == -1) {
		if (errno == EAGAIN || errno == EINTR)
			return 0;
		fatal("read from the %s", ch->peer);
	}
	if (n == 0) {
		if (!ch->gone)
			channel_gone(ch);
		return -1;
	}
	while ((rc = imsg_get(&ch->ibuf, &imsg)) == 1)
		channel_handle(ch, &imsg);
	if (rc == -1)
		fatalx("protocol violation by the %s: bad frame", ch->peer);
	return 1;
}

static void
channel_readable(evutil_socket_t fd, short events, void *arg)
{
	(void)channel_read(arg);
}

void
channel_init(struct channel *ch, int fd, const char *peer,
    struct event_base *base, void *arg,
    void (*closed)(struct channel *, void *))
{
	set_nonblock(fd);
	if (imsgbuf_init(&ch->ibuf, fd) == -1)
		fatal("%s: imsgbuf_init", __func__);
	ch->peer = peer;
	ch->rules = NULL;
	ch->nrules = 0;
	ch->seen = 0;
	ch->arg = arg;
	ch->closed = closed;
	ch->flushing = 0;
	ch->gone = 0;
	ch->rev = event_new(base, fd, EV_READ | EV_PERSIST, channel_readable,
	    ch);
	ch->wev = event_new(base, fd, EV_WRITE, channel_writable, ch);
	if (ch->rev == NULL || ch->wev == NULL)
		fatalx("%s: event_new", __func__);
}

void
channel_set_rules(struct channel *ch, const struct channel_rule *rules,
    size_t nrules)
{
	size_t	 i;

	if (nrules > CHANNEL_MAX_RULES)
		fatalx("%s: %zu rules", __func__, nrules);
	for (i = 0; i < ch->nrules; i++)
		if ((ch->rules[i].flags & RULE_NEEDED) &&
		    !(ch->seen & ((uint64_t)1 << i)))
			fatalx("protocol violation by the %s: no message of "
			    "type %u", ch->peer, ch->rules[i].msg.type);
	ch->rules = rules;
	ch->nrules = nrules;
	ch->seen = 0;
}

void
channel_start(struct channel *ch)
{
	if (event_add(ch->rev, NULL) == -1)
		fatalx("%s: event_add", __func__);
}

void
channel_stop(struct channel *ch)
{
	event_del(ch->rev);
}

int
channel_seen(const struct channel *ch, uint32_t type)
{
	size_t	 i;

	for (i = 0; i < ch->nrules; i++)
		if (ch->rules[i].msg.type == type)
			return (ch->seen & ((uint64_t)1 << i)) != 0;
	return 0;
}

/* the first message queued in this pass arms one write for all */
static void
channel_queued(struct channel *ch)
{
	if (ch->flushing)
		return;
	ch->flushing = 1;
	event_active(ch->wev, EV_WRITE, 1);
}

int
channel_compose(struct channel *ch, uint32_t type, uint32_t peerid, int fd,
    const void *data, size_t len)
{
	if (ch->gone) {
		errno = EPIPE;
		return -1;
	}
	if (imsg_compose(&ch->ibuf, type, peerid, fd, data, len) == -1)
		return -1;
	channel_queued(ch);
	return 0;
}

int
channel_compose2(struct channel *ch, uint32_t type, uint32_t peerid,
    const void *a, size_t alen, const void *b, size_t blen)
{
	if (ch->gone) {
		errno = EPIPE;
		return -1;
	}
	if (imsg_compose2(&ch->ibuf, type, peerid, a, alen, b, blen) == -1)
		return -1;
	channel_queued(ch);
	return 0;
}

int
channel_flush_sync(struct channel *ch)
{
	return imsg_flush(&ch->ibuf);
}

int
channel_drain(struct channel *ch)
{
	return channel_read(ch);
}

void
channel_closed_fatal(struct channel *ch, void *arg)
{
	fatalx("the %s closed its channel", ch->peer);
}

void
channel_closed_exit(struct channel *ch, void *arg)
{
	log_debug("the %s closed its channel", ch->peer);
	exit(0);
}
