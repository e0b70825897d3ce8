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
 * What the processes do the same way: the channels between them (read,
 * checked message by message against the receiver's rules, flushed);
 * and for the children, reading their start-up messages from the parent
 * on fd 3 before any sandbox exists, forwarding every log line to the
 * parent (which prefixes, escapes and rate-limits it: a child never
 * writes to the log itself), and entering the sandbox.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "dnstlsd.h"
#include "log.h"
#include "sandbox.h"

/* the channel log lines go to; one per process, set once */
static struct imsgbuf	*log_channel;

static const char *const proc_names[] = {
	[PROC_PARENT] = "parent",
	[PROC_FRONTEND] = "frontend",
	[PROC_RESOLVER] = "resolver",
};

const char *
proc_name(enum proc_role role)
{
	return proc_names[role];
}

uint64_t
monotonic_ms(void)
{
	struct timespec	 now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)now.tv_sec * 1000 + (uint64_t)now.tv_nsec / 1000000;
}

void
close_from(int lowfd)
{
#ifdef __OpenBSD__
	closefrom(lowfd);
#else
	(void)close_range((unsigned int)lowfd, ~0U, 0);
#endif
}

void
set_nonblock(int fd)
{
	int	 flags;

	if ((flags = fcntl(fd, F_GETFL)) == -1)
		fatal("%s: fcntl F_GETFL", __func__);
	if (fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1)
		fatal("%s: fcntl F_SETFL", __func__);
}

static void
log_to_parent(int priority, const char *line)
{
	uint8_t		 buf[sizeof(struct log_msg) + LOG_MSG_MAX];
	struct log_msg	 lm;
	size_t		 len;

	len = strnlen(line, LOG_MSG_MAX - 1);
	lm.priority = priority;
	memcpy(buf, &lm, sizeof(lm));
	memcpy(buf + sizeof(lm), line, len);
	buf[sizeof(lm) + len] = '\0';
	/* log lines are rare: waiting for them to leave keeps fatal() honest */
	if (imsg_compose(log_channel, IMSG_LOG, 0, -1, buf,
	    sizeof(lm) + len + 1) == -1 || imsg_flush(log_channel) == -1) {
		/* nowhere left to log to */
		return;
	}
}

void
child_init(enum proc_role role, struct child_startup *cs)
{
	memset(cs, 0, sizeof(*cs));
	log_init(1, 0, proc_name(role));
	if (fcntl(IMSG_FD, F_GETFD) == -1)
		fatalx("no channel to the parent on fd %d: not to be run by "
		    "hand", IMSG_FD);
	if (imsgbuf_init(&cs->parent, IMSG_FD) == -1)
		fatal("%s: imsgbuf_init", __func__);
	log_channel = &cs->parent;
	log_setsink(log_to_parent);
}

/* a TCP port the sandbox will let the child connect to */
void
child_allow_connect(struct child_startup *cs, uint16_t port)
{
	size_t	 i;

	for (i = 0; i < cs->nconnect; i++)
		if (cs->connect_ports[i] == port)
			return;
	if (cs->nconnect == sizeof(cs->connect_ports) /
	    sizeof(cs->connect_ports[0]))
		fatalx("%s: too many ports", __func__);
	cs->connect_ports[cs->nconnect++] = port;
}

/*
 * Next message from the parent during start-up, waiting for it: the
 * channel is still blocking and nothing else needs serving yet.
 */
int
child_get_startup(struct child_startup *cs, struct imsg *imsg)
{
	ssize_t	 n;
	int	 rc;

	for (;;) {
		if ((rc = imsg_get(&cs->parent, imsg)) == -1)
			fatalx("%s: bad message from the parent", __func__);
		if (rc == 1)
			return 0;
		if ((n = imsg_read(&cs->parent)) == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			fatal("%s: read from the parent", __func__);
		}
		/*
		 * The parent died before it had told us everything: it has
		 * said why (a port in use, most often), and a line from us
		 * would only bury that.  Leave without a word.
		 */
		if (n == 0)
			_exit(1);
	}
}


/*
 * Standard input, output and error become /dev/null: a compromised child
 * must not write to the daemon's log (under -F) behind the parent's back.
 * The sanitizers report on standard error, so it stays in their builds.
 */
static void
detach_stdio(void)
{
	int	 fd, i;

	if ((fd = open("/dev/null", O_RDWR | O_CLOEXEC)) == -1)
		fatal("%s: /dev/null", __func__);
	for (i = 0; i <= 2; i++) {
#ifdef DNSTLSD_SANITIZE
		if (i == STDERR_FILENO)
			continue;
#endif
		if (dup2(fd, i) == -1)
			fatal("%s: dup2", __func__);
	}
	if (fd > STDERR_FILENO)
		close(fd);
}

void
child_enter_sandbox(enum proc_role role, struct child_startup *cs)
{
	const struct proc_startup	*info = &cs->info;

	log_setverbose(info->verbose);
	if (info->uid == 0)
		fatalx("%s: refusing to run as root", __func__);
	detach_stdio();
	sandbox_child(role == PROC_FRONTEND ? SANDBOX_FRONTEND :
	    SANDBOX_RESOLVER, info->chroot, info->uid, info->gid,
	    cs->connect_ports, cs->nconnect, info->no_seccomp);
}

/* Any message a peer should not have sent is a fatal protocol violation. */
void
imsg_fatal_check(const struct imsg *imsg, const struct imsg_rule *rules,
    size_t nrules, const char *peer)
{
	if (imsg_check(imsg, rules, nrules) == 0)
		return;
	if (imsg->fd != -1)
		close(imsg->fd);
	fatalx("protocol violation by the %s: message type %u, %zu bytes%s",
	    peer, imsg->hdr.type, imsg->datalen,
	    imsg->fd != -1 ? ", with a descriptor" : "");
}

/*
 * Read what a peer sent on a non-blocking channel: 1 messages may be
 * waiting, 0 nothing yet, -1 the peer closed the channel. An error is
 * fatal: the channels are socketpairs, they do not fail by themselves.
 */
int
channel_read(struct imsgbuf *ibuf, const char *peer)
{
	ssize_t	 n;

	if ((n = imsg_read(ibuf)) == -1) {
		if (errno == EAGAIN || errno == EINTR)
			return 0;
		fatal("read from the %s", peer);
	}
	return n == 0 ? -1 : 1;
}

/*
 * A child's read from its sibling: 1 messages may be waiting, 0 nothing
 * yet.  A closed channel means the sibling died or the daemon is
 * stopping; the parent logs which and stops us, so we just leave.
 */
int
sibling_read(struct imsgbuf *ibuf, const char *peer)
{
	switch (channel_read(ibuf, peer)) {
	case -1:
		log_debug("the %s closed its channel", peer);
		exit(0);
	case 0:
		return 0;
	}
	return 1;
}

/* The next message, checked against the rules: 1 one, 0 none left. */
int
channel_get(struct imsgbuf *ibuf, struct imsg *imsg,
    const struct imsg_rule *rules, size_t nrules, const char *peer)
{
	int	 rc;

	if ((rc = imsg_get(ibuf, imsg)) == -1)
		fatalx("protocol violation by the %s: bad frame", peer);
	if (rc == 1)
		imsg_fatal_check(imsg, rules, nrules, peer);
	return rc;
}

/* Write what is pending; when the socket is full, wev waits for room. */
void
channel_flush(struct imsgbuf *ibuf, struct event *wev, const char *peer)
{
	int	 rc;

	if (imsg_pending(ibuf) == 0)
		return;
	if ((rc = imsg_write(ibuf)) == -1)
		fatal("write to the %s", peer);
	if (rc == 0 && !event_pending(wev, EV_WRITE, NULL))
		event_add(wev, NULL);
}
