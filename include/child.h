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
 * The skeleton every child process runs (frontend, resolver): the
 * channel to the parent on fd 3, the event loop, the start-up phases,
 * the sandbox and the log sink. A child gives a struct child_def (its
 * role, the rules and handlers of what it accepts, and four functions)
 * and calls child_main(); child.c does the rest, the same way for all.
 *
 * From the parent, in phases (each a table of rules; child.c adds the
 * rules every child shares to the child's own):
 *
 *   start-up   IMSG_STARTUP (once), IMSG_PEER_SOCKET (one per sibling),
 *              the child's descriptors (startup_rules), IMSG_CONF_BEGIN
 *   conf       IMSG_CONF_MAIN (once), the child's own configuration
 *              items (conf_rules), IMSG_CONF_END
 *   running    what the parent sends once the child serves
 *              (running_rules)
 *
 * IMSG_CONF_BEGIN calls conf_begin() (if any), which clears the child's
 * pending configuration; the items' handlers fill it; IMSG_CONF_END
 * calls configure() with the IMSG_CONF_MAIN of the sequence, which
 * swaps the whole configuration in. The first IMSG_CONF_END then enters
 * the sandbox (as the user, in the directory, IMSG_STARTUP said), starts
 * reading the siblings' channels and calls start(). Every log line goes
 * to the parent, from the first moment: the parent writes it.
 */

#ifndef CHILD_H
#define CHILD_H

#include <stddef.h>
#include <stdint.h>

#include "channel.h"
#include "proc.h"
#include "sandbox.h"

struct conf_main;
struct event_base;
struct proc_startup;

/* a sibling a child talks to, and what it accepts from it */
struct child_sibling {
	enum proc_role			 role;
	const struct channel_rule	*rules;
	size_t				 nrules;
};

struct child_def {
	enum proc_role			 role;
	enum sandbox_role		 sandbox;
	/* before any message: the state every handler gets as its arg */
	void				*(*init)(void);
	const struct channel_rule	*startup_rules;	/* descriptors */
	size_t				 nstartup_rules;
	const struct channel_rule	*conf_rules;	/* configuration */
	size_t				 nconf_rules;
	const struct channel_rule	*running_rules;	/* from the parent */
	size_t				 nrunning_rules;
	const struct child_sibling	*siblings;
	size_t				 nsiblings;
	void				(*conf_begin)(void *);
	void				(*configure)(void *,
					    const struct conf_main *);
	void				(*start)(void *);
};

__attribute__((__noreturn__)) void child_main(const struct child_def *);

struct event_base	*child_base(void);
/* what IMSG_STARTUP said */
const struct proc_startup *child_startup(void);
/* the channel to the parent, or to a sibling; NULL when there is none */
struct channel		*child_channel(enum proc_role);
/* before the sandbox: a TCP port it will let this process connect to */
void			 child_allow_connect(uint16_t);

#endif /* CHILD_H */
