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
 * A channel: one end of an imsg socketpair between two dnstlsd
 * processes, on the process's libevent loop. It reads what the peer
 * sends, checks every message against the rules of the current phase
 * and hands it to the rule's handler: a message no rule names, of the
 * wrong size, with a descriptor it should not carry (or without one it
 * should), or a second one of a once-only type, is a protocol violation
 * by the peer and fatal. What is composed is written once per pass of
 * the event loop, all of it in one write, without the caller asking.
 *
 * Used by every process: the parent's channel to each child, a child's
 * channel to the parent (fd 3) and to its siblings. Knows nothing of
 * DNS, the sandbox or the configuration.
 */

#ifndef CHANNEL_H
#define CHANNEL_H

#include <stddef.h>
#include <stdint.h>

#include "imsg.h"

struct channel;
struct event;
struct event_base;

/* a message that passed its rule; the handler owns imsg->fd */
typedef void	(*channel_fn)(struct channel *, struct imsg *, void *arg);

#define RULE_ONCE	0x1	/* a second one in the phase is a violation */
#define RULE_NEEDED	0x2	/* leaving the phase without one is too */

/* what a receiver accepts: one rule per message type and phase */
struct channel_rule {
	struct imsg_rule	 msg;		/* type, payload bounds, fd */
	int			 flags;		/* RULE_* */
	channel_fn		 handler;
};

#define CHANNEL_MAX_RULES	64	/* in one phase */

struct channel {
	struct imsgbuf		 ibuf;
	const char		*peer;		/* "resolver", for messages */
	struct event		*rev, *wev;
	const struct channel_rule *rules;	/* the current phase's */
	size_t			 nrules;
	uint64_t		 seen;		/* rules[i] passed in the phase */
	void			*arg;		/* the handlers' */
	/* the peer closed its end: nothing more is read or written */
	void			(*closed)(struct channel *, void *arg);
	int			 flushing;	/* a write is on its way */
	int			 gone;		/* the peer closed */
};

/*
 * A channel on fd (made non-blocking), with no rules yet and not
 * reading: channel_set_rules(), then channel_start(). closed may be
 * NULL; channel_closed_fatal and channel_closed_exit are the usual.
 */
void	 channel_init(struct channel *, int fd, const char *peer,
	    struct event_base *, void *arg,
	    void (*closed)(struct channel *, void *));

/*
 * Switch phase: from now on messages are checked against these rules.
 * Every RULE_NEEDED rule of the phase left must have passed.
 */
void	 channel_set_rules(struct channel *, const struct channel_rule *,
	    size_t);
void	 channel_start(struct channel *);	/* read from now on */
void	 channel_stop(struct channel *);	/* read no more */

/* whether a message of this type passed since the phase began */
int	 channel_seen(const struct channel *, uint32_t type);

/*
 * Queue a message (fd, or -1, is closed once sent); it leaves with
 * everything else queued in this pass of the loop. 0, or -1 when it
 * cannot be queued (out of memory, too much already unsent, or the
 * peer gone).
 */
int	 channel_compose(struct channel *, uint32_t type, uint32_t peerid,
	    int fd, const void *, size_t);
/* the same with the payload in two parts (a struct and a DNS message) */
int	 channel_compose2(struct channel *, uint32_t type, uint32_t peerid,
	    const void *, size_t, const void *, size_t);

/*
 * Write everything queued now, waiting for room: only where the process
 * has nothing better to do (the parent's start-up). 0, or -1 and errno.
 */
int	 channel_flush_sync(struct channel *);

/*
 * Read what the peer sent and dispatch every whole message now, outside
 * the loop's read event (the parent draining a dying child's last log
 * lines): 1 something was read, 0 nothing waits, -1 the peer closed.
 */
int	 channel_drain(struct channel *);

/* for a channel the process cannot live without: fatal */
void	 channel_closed_fatal(struct channel *, void *);
/* for a sibling: it died or the daemon stops, the parent says which */
void	 channel_closed_exit(struct channel *, void *);

#endif /* CHANNEL_H */
