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
 * What both children do the same way: read their start-up messages from
 * the parent on fd 3 before any sandbox exists, forward their log lines
 * to the parent once sandboxed, enter the sandbox, and check every
 * message against their rules. Runs in the frontend and the resolver.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "dnstlsd.h"
#include "log.h"
#include "sandbox.h"

/* the channel log lines go to; one per process, set once */
static struct imsgbuf	*log_channel;

void
set_nonblock(int fd)
{
	int	 flags;

	if ((flags = fcntl(fd, F_GETFL)) == -1)
		fatal("%s: fcntl F_GETFL", __func__);
	if (fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1)
		fatal("%s: fcntl F_SETFL", __func__);
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
		if (n == 0)
			fatalx("%s: the parent closed the channel", __func__);
	}
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
child_enter_sandbox(enum proc_role role, struct child_startup *cs)
{
	const struct proc_startup	*info = &cs->info;

	log_setverbose(info->verbose);
	if (info->uid == 0)
		fatalx("%s: refusing to run as root", __func__);
	sandbox_child(role == PROC_FRONTEND ? SANDBOX_FRONTEND :
	    SANDBOX_RESOLVER, info->chroot, info->uid, info->gid,
	    info->no_seccomp);
	if (!info->foreground) {
		log_channel = &cs->parent;
		log_setsink(log_to_parent);
	}
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
