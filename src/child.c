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
 * The child skeleton (see child.h). Runs in the frontend and in the
 * resolver, from exec to the event loop. Trusts the parent for what it
 * sends (the parent is the trusted process) but not for the shape of
 * it: every message is checked against the rules of the phase, and a
 * start-up that leaves something out is refused.
 *
 * State: one child skeleton per process, so one static struct here, as
 * log.c keeps the log's.
 */

#include <sys/types.h>

#include <event2/event.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "channel.h"
#include "child.h"
#include "dnstlsd.h"
#include "log.h"
#include "sandbox.h"

static struct {
	const struct child_def	*def;
	void			*arg;
	struct event_base	*base;
	struct proc_startup	 startup;
	struct conf_main	 conf_main;	/* of the configuration sent */
	struct channel		 parent;
	struct channel		 sibling[PROC_NROLES];	/* by def->siblings */
	int			 connected[PROC_NROLES];
	uint16_t		 connect_ports[CONF_MAX_UPSTREAMS];
	size_t			 nconnect;
	int			 serving;
	/*
	 * A phase's rules, the shared ones then the child's; two tables, so
	 * that the phase being left is checked whole before it is replaced.
	 */
	struct channel_rule	 rules[2][CHANNEL_MAX_RULES];
	int			 phase;
} child;

static void	 child_msg_startup(struct channel *, struct imsg *, void *);
static void	 child_msg_peer(struct channel *, struct imsg *, void *);
static void	 child_msg_conf_begin(struct channel *, struct imsg *, void *);
static void	 child_msg_conf_main(struct channel *, struct imsg *, void *);
static void	 child_msg_conf_end(struct channel *, struct imsg *, void *);

/* what every child accepts from the parent, by phase */
static const struct channel_rule shared_startup_rules[] = {
	{ { IMSG_STARTUP, sizeof(struct proc_startup),
	    sizeof(struct proc_startup), 0 }, RULE_ONCE | RULE_NEEDED,
	    child_msg_startup },
	{ { IMSG_PEER_SOCKET, sizeof(struct proc_peer),
	    sizeof(struct proc_peer), 1 }, 0, child_msg_peer },
	{ { IMSG_CONF_BEGIN, 0, 0, 0 }, RULE_ONCE, child_msg_conf_begin },
};

static const struct channel_rule shared_conf_rules[] = {
	{ { IMSG_CONF_MAIN, sizeof(struct conf_main),
	    sizeof(struct conf_main), 0 }, RULE_ONCE | RULE_NEEDED,
	    child_msg_conf_main },
	{ { IMSG_CONF_END, 0, 0, 0 }, RULE_ONCE, child_msg_conf_end },
};

/* a reload: the same sequence again, swapped in without a new sandbox */
static const struct channel_rule shared_running_rules[] = {
	{ { IMSG_CONF_BEGIN, 0, 0, 0 }, RULE_ONCE, child_msg_conf_begin },
};

/* a phase's table: the shared rules and the child's, in one */
static void
set_phase(const struct channel_rule *shared, size_t nshared,
    const struct channel_rule *own, size_t nown)
{
	struct channel_rule	*rules;
	size_t			 i, j;

	if (nshared + nown > CHANNEL_MAX_RULES)
		fatalx("%s: too many rules", __func__);
	for (i = 0; i < nown; i++)
		for (j = 0; j < nshared; j++)
			if (own[i].msg.type == shared[j].msg.type)
				fatalx("%s: message type %u has two rules",
				    __func__, own[i].msg.type);
	child.phase = !child.phase;
	rules = child.rules[child.phase];
	if (nshared > 0)
		memcpy(rules, shared, nshared * sizeof(*shared));
	if (nown > 0)
		memcpy(rules + nshared, own, nown * sizeof(*own));
	channel_set_rules(&child.parent, rules, nshared + nown);
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
	/*
	 * Log lines are rare: waiting for them to leave keeps fatal()
	 * honest. When it fails there is nowhere left to log to.
	 */
	if (imsg_compose(&child.parent.ibuf, IMSG_LOG, 0, -1, buf,
	    sizeof(lm) + len + 1) == 0)
		(void)imsg_flush(&child.parent.ibuf);
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

static void
enter_sandbox(void)
{
	const struct proc_startup	*ps = &child.startup;

	if (ps->uid == 0)
		fatalx("%s: refusing to run as root", __func__);
	detach_stdio();
	sandbox_child(child.def->sandbox, ps->chroot, ps->uid, ps->gid,
	    child.connect_ports, child.nconnect, ps->no_seccomp);
}

static void
child_msg_startup(struct channel *ch, struct imsg *imsg, void *arg)
{
	memcpy(&child.startup, imsg->data, sizeof(child.startup));
	if (memchr(child.startup.chroot, '\0',
	    sizeof(child.startup.chroot)) == NULL)
		fatalx("protocol violation by the parent: sandbox directory "
		    "not terminated");
	log_setverbose(child.startup.verbose);
}

static void
child_msg_peer(struct channel *ch, struct imsg *imsg, void *arg)
{
	const struct child_def	*def = child.def;
	struct proc_peer	 peer;
	size_t			 i;

	memcpy(&peer, imsg->data, sizeof(peer));
	for (i = 0; i < def->nsiblings; i++)
		if ((int32_t)def->siblings[i].role == peer.role)
			break;
	if (i == def->nsiblings || child.connected[i]) {
		close(imsg->fd);
		fatalx("protocol violation by the parent: channel to role %d",
		    (int)peer.role);
	}
	channel_init(&child.sibling[i], imsg->fd,
	    proc_name(def->siblings[i].role), child.base, child.arg,
	    channel_closed_exit);
	channel_set_rules(&child.sibling[i], def->siblings[i].rules,
	    def->siblings[i].nrules);
	child.connected[i] = 1;
}

static void
child_msg_conf_begin(struct channel *ch, struct imsg *imsg, void *arg)
{
	const struct child_def	*def = child.def;
	size_t			 i;

	for (i = 0; i < def->nsiblings; i++)
		if (!child.connected[i])
			fatalx("protocol violation by the parent: no channel "
			    "to the %s", proc_name(def->siblings[i].role));
	memset(&child.conf_main, 0, sizeof(child.conf_main));
	if (def->conf_begin != NULL)
		def->conf_begin(child.arg);
	set_phase(shared_conf_rules, nitems(shared_conf_rules),
	    def->conf_rules, def->nconf_rules);
}

static void
child_msg_conf_main(struct channel *ch, struct imsg *imsg, void *arg)
{
	memcpy(&child.conf_main, imsg->data, sizeof(child.conf_main));
}

static void
child_msg_conf_end(struct channel *ch, struct imsg *imsg, void *arg)
{
	const struct child_def	*def = child.def;
	size_t			 i;

	set_phase(shared_running_rules, nitems(shared_running_rules),
	    def->running_rules, def->nrunning_rules);
	def->configure(child.arg, &child.conf_main);
	if (child.serving)
		return;
	enter_sandbox();
	for (i = 0; i < def->nsiblings; i++)
		channel_start(&child.sibling[i]);
	child.serving = 1;
	def->start(child.arg);
	/* the parent tells the service manager once every child says so */
	if (channel_compose(&child.parent, IMSG_READY, 0, -1, NULL, 0) == -1)
		fatal("%s: to the parent", __func__);
}

/*
 * The parent died before the child served: it has said why (a port in
 * use, most often), and a line from here would only bury that.
 */
static void
child_parent_closed(struct channel *ch, void *arg)
{
	if (!child.serving)
		_exit(1);
	channel_closed_fatal(ch, arg);
}

void
child_main(const struct child_def *def)
{
	child.def = def;
	log_init(1, 0, proc_name(def->role));
	if (fcntl(IMSG_FD, F_GETFD) == -1)
		fatalx("no channel to the parent on fd %d: not to be run by "
		    "hand", IMSG_FD);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	if ((child.base = event_base_new()) == NULL)
		fatalx("event_base_new");
	channel_init(&child.parent, IMSG_FD, proc_name(PROC_PARENT),
	    child.base, NULL, child_parent_closed);
	log_setsink(log_to_parent);
	child.arg = def->init();
	child.parent.arg = child.arg;
	set_phase(shared_startup_rules, nitems(shared_startup_rules),
	    def->startup_rules, def->nstartup_rules);
	channel_start(&child.parent);
	event_base_dispatch(child.base);
	fatalx("event loop ended");
}

struct event_base *
child_base(void)
{
	return child.base;
}

const struct proc_startup *
child_startup(void)
{
	return &child.startup;
}

struct channel *
child_channel(enum proc_role role)
{
	size_t	 i;

	if (role == PROC_PARENT)
		return &child.parent;
	for (i = 0; i < child.def->nsiblings; i++)
		if (child.def->siblings[i].role == role && child.connected[i])
			return &child.sibling[i];
	return NULL;
}

void
child_allow_connect(uint16_t port)
{
	size_t	 i;

	for (i = 0; i < child.nconnect; i++)
		if (child.connect_ports[i] == port)
			return;
	if (child.nconnect == nitems(child.connect_ports))
		fatalx("%s: too many ports", __func__);
	child.connect_ports[child.nconnect++] = port;
}
