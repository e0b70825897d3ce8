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
 * The frontend's side of the control socket (control.h): accepts
 * dnstlsctl's connections on the socket the parent bound, checks each
 * peer's uid, reads one request and answers it, asking the resolver
 * (show upstreams) or the parent (reload, log) where they know. A
 * client is untrusted: whatever it sends is answered or closed, never
 * fatal; it is read with read(2), so no descriptor it passes arrives;
 * each has CTL_CLIENT_MS from accept to the last byte of its reply, and
 * at most CTL_MAX_CLIENTS are open, so none can stall the frontend. When
 * all are taken a newcomer takes the place of the one that has been
 * silent longest: clients that connect and say nothing cannot keep
 * dnstlsctl, which sends its request at once, from an answer.
 *
 * Also relays the resolver's upstream records to the metrics listener
 * (frontend_http.c), under peerids with OPS_PEERID_HTTP set.
 *
 * One per process: its state is one static struct, as child.c's.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <event2/event.h>
#include <event2/event_struct.h>
#include <string.h>
#include <unistd.h>

#include "channel.h"
#include "control.h"
#include "dnstlsd.h"
#include "frontend.h"
#include "log.h"

#define CTL_SLOT_BITS	8		/* id: slot | generation << 8 */

struct ctl_client {
	int			 fd;		/* -1: the slot is free */
	uint32_t		 id;
	int			 privileged;
	uint32_t		 waiting;	/* request type out elsewhere */
	uint64_t		 plain;		/* show stats: the resolver's */
	int			 silent;	/* no whole request yet */
	uint64_t		 accepted;	/* order of arrival */
	size_t			 inlen;
	uint8_t			 in[CTL_REQUEST_MAX];
	struct imsgbuf		 out;
	struct event		 rev, wev, timer;
};

static struct {
	struct event_base	*base;
	int			 fd;
	struct event		 ev;
	struct channel		*parent, *resolver;
	uid_t			 ctl_uid;
	struct ctl_client	 client[CTL_MAX_CLIENTS];
	uint32_t		 generation;
	uint64_t		 accepts;
	int			 reloading;	/* one reload at a time */
	uint32_t		 usable;	/* upstreams, per the resolver */
	/* the upstream records of the metrics listener's scrape */
	struct stats_upstream	 http_up[CTL_MAX_UPSTREAMS];
	size_t			 http_nup;
} ctl = { .fd = -1 };

static void
ctl_close(struct ctl_client *c)
{
	event_del(&c->rev);
	event_del(&c->wev);
	evtimer_del(&c->timer);
	imsgbuf_clear(&c->out);
	close(c->fd);
	if (c->waiting == CTL_RELOAD)
		ctl.reloading = 0;	/* the parent's answer will be dropped */
	c->fd = -1;
	c->waiting = 0;
}

static struct ctl_client *
ctl_by_id(uint32_t id)
{
	struct ctl_client	*c;
	uint32_t		 slot = id & ((1U << CTL_SLOT_BITS) - 1);

	if ((id & OPS_PEERID_HTTP) || slot >= CTL_MAX_CLIENTS)
		return NULL;
	c = &ctl.client[slot];
	return c->fd != -1 && c->id == id ? c : NULL;
}

/* queue a reply; the write event sends it and closes after the end */
static void
ctl_send(struct ctl_client *c, uint32_t type, const void *data, size_t len)
{
	if (imsg_compose(&c->out, type, CTL_VERSION, -1, data, len) == -1) {
		ctl_close(c);
		return;
	}
	event_add(&c->wev, NULL);
}

static void
ctl_reply(struct ctl_client *c, int ok, const char *msg)
{
	struct ctl_result	 r;

	ctl_result_set(&r, ok, "%s", msg);
	c->waiting = 0;
	ctl_send(c, CTL_RESULT, &r, sizeof(r));
}

static void
ctl_writable(evutil_socket_t fd, short events, void *arg)
{
	struct ctl_client	*c = arg;

	switch (imsg_write(&c->out)) {
	case 1:
		event_del(&c->wev);
		if (c->waiting == 0)
			ctl_close(c);	/* the reply is whole */
		break;
	case -1:
		ctl_close(c);
		break;
	}
}

static void
ctl_expired(evutil_socket_t fd, short events, void *arg)
{
	ctl_close(arg);
}

/* ask another process; the answer comes back under the client's id */
static void
ctl_ask(struct ctl_client *c, struct channel *ch, uint32_t imsg_type,
    uint32_t type, const void *data, size_t len)
{
	if (ch == NULL || channel_compose(ch, imsg_type, c->id, -1, data,
	    len) == -1) {
		ctl_reply(c, 0, "daemon busy, try again");
		return;
	}
	c->waiting = type;
}

/* the queries sent in plain are counted by the resolver, per upstream */
static void
ctl_show_stats(struct ctl_client *c)
{
	struct stats_frontend	 st;

	frontend_stats_fill(&st);
	st.plain = c->plain;
	ctl_send(c, CTL_STATS, &st, sizeof(st));
}

static void
ctl_log(struct ctl_client *c, const struct imsg *imsg)
{
	struct ctl_log	 cl;

	memcpy(&cl, imsg->data, sizeof(cl));
	log_setverbose(cl.level == CTL_LOG_VERBOSE);
	if (channel_compose(ctl.parent, IMSG_CTL_LOG, 0, -1, &cl,
	    sizeof(cl)) == -1)
		log_warnx("%s: cannot tell the parent", __func__);
	ctl_reply(c, 1, cl.level == CTL_LOG_VERBOSE ? "log verbose" :
	    "log brief");
}

static void
ctl_flush(struct ctl_client *c, const struct imsg *imsg)
{
	struct ctl_flush	 cf;
	struct ctl_result	 r;
	uint8_t			 wire[255];
	size_t			 len;
	long			 n;

	memcpy(&cf, imsg->data, sizeof(cf));
	if (ctl_name_wire(cf.name, wire, &len) == -1) {
		ctl_reply(c, 0, "not a domain name");
		return;
	}
	if ((n = frontend_cache_flush(wire, len)) == -1) {
		ctl_reply(c, 0, "no cache (cache size 0)");
		return;
	}
	ctl_result_set(&r, 1, "flushed %ld entries", n);
	ctl_send(c, CTL_RESULT, &r, sizeof(r));
}

/* a whole frame: checked as untrusted input, then done or sent on */
static void
ctl_request(struct ctl_client *c, const struct imsg *imsg)
{
	struct ctl_result	 r;
	uint32_t		 type = imsg->hdr.type;

	if (imsg->hdr.peerid != CTL_VERSION) {
		ctl_result_set(&r, 0, "control protocol version %u, "
		    "dnstlsctl has %u", CTL_VERSION, imsg->hdr.peerid);
		ctl_send(c, CTL_RESULT, &r, sizeof(r));
		return;
	}
	if (imsg_check(imsg, ctl_request_rules, ctl_nrequest_rules) == -1 ||
	    (type == CTL_LOG && ctl_check_log((const void *)imsg->data) ==
	    -1) || (type == CTL_FLUSH_CACHE &&
	    ctl_check_flush((const void *)imsg->data) == -1)) {
		ctl_reply(c, 0, "malformed request");
		return;
	}
	if (ctl_needs_privilege(type) && !c->privileged) {
		ctl_result_set(&r, 0, "%s needs root", ctl_request_name(type));
		ctl_send(c, CTL_RESULT, &r, sizeof(r));
		return;
	}
	switch (type) {
	case CTL_SHOW_STATS:
		c->plain = 0;
		ctl_ask(c, ctl.resolver, IMSG_CTL_SHOW_UPSTREAMS, type, NULL,
		    0);
		break;
	case CTL_SHOW_UPSTREAMS:
		ctl_ask(c, ctl.resolver, IMSG_CTL_SHOW_UPSTREAMS, type, NULL,
		    0);
		break;
	case CTL_RELOAD:
		if (ctl.reloading) {
			ctl_reply(c, 0, "reload in progress");
			break;
		}
		ctl_ask(c, ctl.parent, IMSG_CTL_RELOAD, type, NULL, 0);
		if (c->waiting)
			ctl.reloading = 1;
		break;
	case CTL_LOG:
		ctl_log(c, imsg);
		break;
	case CTL_FLUSH_CACHE:
		ctl_flush(c, imsg);
		break;
	}
}

static void
ctl_readable(evutil_socket_t fd, short events, void *arg)
{
	struct ctl_client	*c = arg;
	struct imsg		 imsg;
	size_t			 flen;
	ssize_t			 n;

	n = read(fd, c->in + c->inlen, sizeof(c->in) - c->inlen);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		ctl_close(c);
		return;
	}
	c->inlen += (size_t)n;
	switch (ctl_frame(c->in, c->inlen, CTL_REQUEST_MAX, &imsg, &flen)) {
	case 0:
		if (c->inlen == sizeof(c->in))
			ctl_close(c);	/* cannot happen: max is the size */
		return;
	case -1:
		ctl_close(c);
		return;
	}
	/* one request per connection: what follows it is ignored */
	event_del(&c->rev);
	c->silent = 0;
	ctl_request(c, &imsg);
}

/*
 * The kernel took the credentials at connect(): a client cannot change
 * them afterwards. Unreadable ones are unprivileged.
 */
static int
ctl_peer_privileged(int fd)
{
	uid_t	 uid;

	if (peer_uid(fd, &uid) == -1)
		return 0;
	return uid == 0 || uid == ctl.ctl_uid;
}

static void
ctl_client_new(int fd)
{
	struct timeval		 tv = { CTL_CLIENT_MS / 1000,
				    (CTL_CLIENT_MS % 1000) * 1000 };
	struct ctl_client	*c = NULL, *quiet = NULL;
	size_t			 i;

	for (i = 0; i < CTL_MAX_CLIENTS && c == NULL; i++) {
		if (ctl.client[i].fd == -1)
			c = &ctl.client[i];
		else if (ctl.client[i].silent && (quiet == NULL ||
		    ctl.client[i].accepted < quiet->accepted))
			quiet = &ctl.client[i];
	}
	if (c == NULL && quiet != NULL) {
		ctl_close(quiet);
		c = quiet;
	}
	if (c == NULL) {
		close(fd);
		return;
	}
	i = (size_t)(c - ctl.client);
	ctl.generation++;
	c->id = (uint32_t)i | ((ctl.generation << CTL_SLOT_BITS) &
	    ~OPS_PEERID_HTTP);
	c->fd = fd;
	c->inlen = 0;
	c->waiting = 0;
	c->silent = 1;
	c->accepted = ++ctl.accepts;
	c->privileged = ctl_peer_privileged(fd);
	(void)imsgbuf_init(&c->out, fd);
	event_assign(&c->rev, ctl.base, fd, EV_READ | EV_PERSIST,
	    ctl_readable, c);
	event_assign(&c->wev, ctl.base, fd, EV_WRITE | EV_PERSIST,
	    ctl_writable, c);
	evtimer_assign(&c->timer, ctl.base, ctl_expired, c);
	event_add(&c->rev, NULL);
	evtimer_add(&c->timer, &tv);
}

static void
ctl_acceptable(evutil_socket_t fd, short events, void *arg)
{
	int	 cfd, i;

	for (i = 0; i < CTL_MAX_CLIENTS; i++) {
		if ((cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK |
		    SOCK_CLOEXEC)) == -1)
			return;
		ctl_client_new(cfd);
	}
}

void
ctl_listen(struct event_base *base, int fd)
{
	ctl.base = base;
	ctl.fd = fd;
}

void
ctl_start(struct channel *parent, struct channel *resolver, uid_t ctl_uid)
{
	size_t	 i;

	for (i = 0; i < CTL_MAX_CLIENTS; i++)
		ctl.client[i].fd = -1;
	ctl.parent = parent;
	ctl.resolver = resolver;
	ctl.ctl_uid = ctl_uid;
	if (ctl.fd == -1)
		return;
	event_assign(&ctl.ev, ctl.base, ctl.fd, EV_READ | EV_PERSIST,
	    ctl_acceptable, NULL);
	if (event_add(&ctl.ev, NULL) == -1)
		fatalx("%s: event_add", __func__);
}

/* --- from the resolver and the parent, under a client's id --- */

static void
http_collect(const struct stats_upstream *u)
{
	if (ctl.http_nup < CTL_MAX_UPSTREAMS)
		ctl.http_up[ctl.http_nup++] = *u;
}

void
frontend_ctl_upstream(struct channel *ch, struct imsg *imsg, void *arg)
{
	struct stats_upstream	 u;
	struct ctl_client	*c;

	memcpy(&u, imsg->data, sizeof(u));
	if (stats_upstream_check(&u) == -1)
		fatalx("protocol violation by the resolver: bad upstream "
		    "record");
	if (imsg->hdr.peerid & OPS_PEERID_HTTP) {
		http_collect(&u);
		return;
	}
	if ((c = ctl_by_id(imsg->hdr.peerid)) == NULL)
		return;
	if (c->waiting == CTL_SHOW_UPSTREAMS)
		ctl_send(c, CTL_UPSTREAM, &u, sizeof(u));
	else if (c->waiting == CTL_SHOW_STATS &&
	    (u.flags & STATS_UPF_PLAIN))
		c->plain += u.queries;
}

void
frontend_ctl_end(struct channel *ch, struct imsg *imsg, void *arg)
{
	struct ctl_client	*c;

	if (imsg->hdr.peerid & OPS_PEERID_HTTP) {
		http_upstreams(ctl.http_up, ctl.http_nup);
		ctl.http_nup = 0;
		return;
	}
	if ((c = ctl_by_id(imsg->hdr.peerid)) == NULL)
		return;
	if (c->waiting == CTL_SHOW_UPSTREAMS) {
		c->waiting = 0;
		ctl_send(c, CTL_END, NULL, 0);
	} else if (c->waiting == CTL_SHOW_STATS) {
		c->waiting = 0;
		ctl_show_stats(c);
	}
}

void
frontend_ctl_result(struct channel *ch, struct imsg *imsg, void *arg)
{
	struct ctl_result	 r;
	struct ctl_client	*c;

	memcpy(&r, imsg->data, sizeof(r));
	if (ctl_check_result(&r) == -1)
		fatalx("protocol violation by the parent: bad result");
	ctl.reloading = 0;
	if ((c = ctl_by_id(imsg->hdr.peerid)) != NULL &&
	    c->waiting == CTL_RELOAD) {
		c->waiting = 0;
		ctl_send(c, CTL_RESULT, &r, sizeof(r));
	}
}

void
frontend_upstreams_usable(struct channel *ch, struct imsg *imsg, void *arg)
{
	memcpy(&ctl.usable, imsg->data, sizeof(ctl.usable));
}

uint32_t
ctl_usable(void)
{
	return ctl.usable;
}
