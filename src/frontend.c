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
 * The frontend process: serves DNS clients on the UDP and TCP sockets the
 * parent bound. It validates every query, answers what must not be
 * forwarded itself (FORMERR, NOTIMPL, REFUSED), hands the rest to the
 * resolver as canonical queries tagged with an opaque id, and fits each
 * answer to its client (ID, question case, EDNS size, truncation).
 * Sandboxed: no socket(), connect() or open(); it trusts nothing it reads
 * from clients and checks every message from the resolver.
 */

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <stddef.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/event_struct.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "dns.h"
#include "dnstlsd.h"
#include "log.h"
#include "ratelimit.h"

#define MAX_INFLIGHT		16384	/* queries waiting for the resolver */
#define MAX_TCP_CLIENTS		1024
#define TCP_CLIENT_INFLIGHT	64	/* pipelined queries per connection */
#define QUERY_MAX		4096	/* a larger message is no query */
#define TCP_IDLE_SEC		10
/* per client: one message being read, and answers it does not read */
#define TCP_INPUT_MAX		(2 * (2 + QUERY_MAX))
#define TCP_OUTPUT_MAX		(64 * 1024)
#define UDP_BATCH		32	/* datagrams read per recvmmsg() */
#define UDP_ROUNDS		4	/* recvmmsg() calls per wakeup */
#define ACCEPT_BATCH		16
#define ACCEPT_PAUSE_MS		500
#define RATELIMIT_CLIENTS	65536	/* 3 MB of buckets, allocated once */
#define CACHE_BYTES_PER_ENTRY	1024	/* memory bound: cache size x 1 KB */
#define TROUBLE_LOG_SEC		60	/* one summary line per interval */

struct frontend;
struct tcp_client;

enum transport { TRANSPORT_UDP, TRANSPORT_TCP };

struct fquery {
	uint32_t		 id;
	struct frontend		*fe;
	enum transport		 transport;
	int			 udp_fd;
	struct sockaddr_storage	 from;
	socklen_t		 fromlen;
	struct tcp_client	*tc;
	TAILQ_ENTRY(fquery)	 tc_entry;
	struct dns_query	 q;
	struct event		 timeout;
};

struct tcp_client {
	struct frontend		*fe;
	struct sockaddr_storage	 peer;
	socklen_t		 peerlen;
	struct bufferevent	*bev;
	TAILQ_HEAD(, fquery)	 queries;
	int			 nqueries;
	int			 eof;		/* client finished sending */
};

struct listener {
	struct frontend		*fe;
	int			 fd;
	struct event		*ev;
	struct event		*resume;	/* accept paused on EMFILE */
};

struct frontend_stats {
	uint64_t	 queries_udp, queries_tcp;
	uint64_t	 rejected, dropped, overload;
	uint64_t	 servfail, bad_answers, timeouts;
	uint64_t	 rcode[16];
	uint64_t	 tcp_refused;
	uint64_t	 ratelimited;
};

/* one recvmmsg() worth of datagrams */
struct udp_batch {
	struct mmsghdr		 msg[UDP_BATCH];
	struct iovec		 iov[UDP_BATCH];
	struct sockaddr_storage	 from[UDP_BATCH];
	uint8_t			 buf[UDP_BATCH][QUERY_MAX];
};

/* answers for one UDP socket, sent with one sendmmsg() */
struct udp_out {
	int			 fd;
	unsigned int		 n;
	struct mmsghdr		 msg[UDP_BATCH];
	struct iovec		 iov[UDP_BATCH];
	struct sockaddr_storage	 to[UDP_BATCH];
	uint8_t			 buf[UDP_BATCH][DNS_EDNS_UDP];
};

struct frontend {
	struct event_base	*base;
	struct child_startup	 cs;
	struct conf_main	 conf;
	struct imsgbuf		 resolver;
	struct event		*resolver_rev, *resolver_wev, *parent_ev;
	struct listener		 udp[CONF_MAX_LISTEN], tcp[CONF_MAX_LISTEN];
	int			 nudp, ntcp;
	struct fquery		*slot[MAX_INFLIGHT];
	uint32_t		 free_slot[MAX_INFLIGHT];
	uint32_t		 nfree;
	uint32_t		 seq;
	int			 nclients;
	struct frontend_stats	 stats;
	struct frontend_stats	 logged;	/* as of the last summary */
	struct event		*trouble_ev;
	struct ratelimit	*ratelimit;	/* NULL: no limit */
	struct cache		*cache;		/* NULL: no cache */
	struct udp_batch	 udp_in;
	struct udp_out		 udp_out;
	uint8_t			 cached[DNS_MAXMSG];
	uint8_t			 out[DNS_MAXMSG + 2];
};

static const struct imsg_rule startup_rules[] = {
	{ IMSG_STARTUP, sizeof(struct proc_startup),
	    sizeof(struct proc_startup), 0 },
	{ IMSG_LISTEN_UDP, 0, 0, 1 },
	{ IMSG_LISTEN_TCP, 0, 0, 1 },
	{ IMSG_PEER_SOCKET, 0, 0, 1 },
	{ IMSG_CONF_MAIN, sizeof(struct conf_main), sizeof(struct conf_main),
	    0 },
	{ IMSG_CONF_END, 0, 0, 0 },
};

static const struct imsg_rule resolver_rules[] = {
	{ IMSG_ANSWER, DNS_HDRLEN, DNS_MAXMSG, 0 },
	{ IMSG_SERVFAIL, 0, 0, 0 },
};

static void	 tcp_client_free(struct tcp_client *);
static void	 tcp_client_resume(struct tcp_client *);

#define NELEMS(a)	(sizeof(a) / sizeof((a)[0]))

/* --- the query table: ids are slot numbers plus a sequence number --- */

static struct fquery *
fquery_new(struct frontend *fe)
{
	struct fquery	*fq;
	uint32_t	 slot;

	if (fe->nfree == 0)
		return NULL;
	if ((fq = calloc(1, sizeof(*fq))) == NULL)
		return NULL;
	slot = fe->free_slot[--fe->nfree];
	fe->seq++;
	fq->id = (fe->seq << 16) | slot;
	fq->fe = fe;
	fq->udp_fd = -1;
	fe->slot[slot] = fq;
	return fq;
}

static struct fquery *
fquery_find(struct frontend *fe, uint32_t id)
{
	uint32_t	 slot = id & 0xffff;
	struct fquery	*fq;

	if (slot >= MAX_INFLIGHT)
		return NULL;
	fq = fe->slot[slot];
	if (fq == NULL || fq->id != id)
		return NULL;
	return fq;
}

static void
fquery_free(struct fquery *fq)
{
	struct frontend		*fe = fq->fe;
	struct tcp_client	*tc = fq->tc;
	uint32_t		 slot = fq->id & 0xffff;

	event_del(&fq->timeout);
	fe->slot[slot] = NULL;
	fe->free_slot[fe->nfree++] = slot;
	if (tc != NULL) {
		TAILQ_REMOVE(&tc->queries, fq, tc_entry);
		tc->nqueries--;
	}
	free(fq);
	if (tc != NULL)
		tcp_client_resume(tc);
}

/* the coarse clock is enough for TTLs and token buckets, and cheaper */
static uint64_t
now_ms(void)
{
	struct timespec	 now;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
	return (uint64_t)now.tv_sec * 1000 + (uint64_t)now.tv_nsec / 1000000;
}

/* --- sending answers --- */

static size_t
udp_limit(const struct dns_query *q)
{
	if (!q->edns)
		return DNS_MINUDP;
	return q->edns_udp < DNS_EDNS_UDP ? q->edns_udp : DNS_EDNS_UDP;
}

static size_t
answer_limit(const struct dns_query *q, enum transport transport)
{
	return transport == TRANSPORT_UDP ? udp_limit(q) : DNS_MAXMSG;
}

/*
 * An answer from the cache, fitted to this client like any other; 0 on
 * a miss. Stale entries are served only when every upstream failed.
 */
static size_t
cache_answer(struct frontend *fe, const struct dns_query *q,
    enum transport transport, int stale, uint8_t *out)
{
	size_t	 n;

	if (fe->cache == NULL)
		return 0;
	n = cache_lookup(fe->cache, q, now_ms() / 1000, stale, fe->cached,
	    sizeof(fe->cached));
	if (n == 0)
		return 0;
	return dns_client_answer(fe->cached, n, q, answer_limit(q, transport),
	    out, DNS_MAXMSG);
}

static void
count_rcode(struct frontend *fe, const uint8_t *msg, size_t len)
{
	if (len >= 4)
		fe->stats.rcode[msg[3] & 0xf]++;
}

/* a full socket buffer drops answers, as the network would */
static void
udp_flush(struct frontend *fe)
{
	struct udp_out	*o = &fe->udp_out;

	if (o->n > 0)
		(void)sendmmsg(o->fd, o->msg, o->n, MSG_DONTWAIT);
	o->n = 0;
}

/* queue an answer; udp_flush() sends the batch once a wakeup is done */
static void
udp_send(struct frontend *fe, int fd, const struct sockaddr_storage *to,
    socklen_t tolen, const uint8_t *msg, size_t len)
{
	struct udp_out	*o = &fe->udp_out;
	struct msghdr	*h;

	if (len > sizeof(o->buf[0])) {
		/* never larger than the client's limit: no batching needed */
		(void)sendto(fd, msg, len, MSG_DONTWAIT,
		    (const struct sockaddr *)to, tolen);
		return;
	}
	if (o->n == UDP_BATCH || (o->n > 0 && o->fd != fd))
		udp_flush(fe);
	o->fd = fd;
	memcpy(o->buf[o->n], msg, len);
	memcpy(&o->to[o->n], to, tolen);
	o->iov[o->n].iov_base = o->buf[o->n];
	o->iov[o->n].iov_len = len;
	h = &o->msg[o->n].msg_hdr;
	memset(h, 0, sizeof(*h));
	h->msg_name = &o->to[o->n];
	h->msg_namelen = tolen;
	h->msg_iov = &o->iov[o->n];
	h->msg_iovlen = 1;
	o->n++;
}

static void
tcp_send(struct tcp_client *tc, const uint8_t *msg, size_t len)
{
	struct evbuffer	*out = bufferevent_get_output(tc->bev);
	uint8_t		 prefix[2];

	/* a client that does not read its answers holds no more memory */
	if (evbuffer_get_length(out) > TCP_OUTPUT_MAX) {
		tc->fe->stats.tcp_refused++;
		tc->eof = 1;
		bufferevent_disable(tc->bev, EV_READ);
		return;
	}

	prefix[0] = (uint8_t)(len >> 8);
	prefix[1] = (uint8_t)len;
	if (evbuffer_add(out, prefix, 2) == -1 ||
	    evbuffer_add(out, msg, len) == -1)
		log_warnx("%s: out of memory", __func__);
}

/* deliver an answer already fitted to the query's transport */
static void
fquery_reply(struct fquery *fq, const uint8_t *msg, size_t len)
{
	count_rcode(fq->fe, msg, len);
	if (fq->transport == TRANSPORT_UDP)
		udp_send(fq->fe, fq->udp_fd, &fq->from, fq->fromlen, msg,
		    len);
	else if (fq->tc != NULL)
		tcp_send(fq->tc, msg, len);
	fquery_free(fq);
}

static void
fquery_servfail(struct fquery *fq)
{
	struct frontend	*fe = fq->fe;
	size_t		 len;

	if (fe->conf.serve_stale && (len = cache_answer(fe, &fq->q,
	    fq->transport, 1, fe->out)) > 0) {
		fquery_reply(fq, fe->out, len);
		return;
	}
	fe->stats.servfail++;
	len = dns_error_answer(&fq->q, DNS_RCODE_SERVFAIL, fe->out,
	    sizeof(fe->out));
	if (len == 0) {
		fquery_free(fq);
		return;
	}
	fquery_reply(fq, fe->out, len);
}

static void
fquery_answer(struct fquery *fq, const uint8_t *ans, size_t anslen)
{
	struct frontend	*fe = fq->fe;
	size_t		 maxlen, len;

	maxlen = answer_limit(&fq->q, fq->transport);
	len = dns_client_answer(ans, anslen, &fq->q, maxlen, fe->out,
	    sizeof(fe->out));
	if (len == 0) {
		fe->stats.bad_answers++;
		log_debug("invalid answer from the resolver: SERVFAIL");
		fquery_servfail(fq);
		return;
	}
	/* only an answer that proved valid for its question is kept */
	if (fe->cache != NULL)
		cache_store(fe->cache, &fq->q, ans, anslen, now_ms() / 1000);
	fquery_reply(fq, fe->out, len);
}

static void
fquery_timeout(evutil_socket_t fd, short events, void *arg)
{
	struct fquery	*fq = arg;
	struct frontend	*fe = fq->fe;

	fe->stats.timeouts++;
	fquery_servfail(fq);
	udp_flush(fe);
}

/* --- the resolver channel --- */

static void
resolver_flush(struct frontend *fe)
{
	channel_flush(&fe->resolver, fe->resolver_wev, "resolver");
}

static void
resolver_writable(evutil_socket_t fd, short events, void *arg)
{
	resolver_flush(arg);
}

static void
resolver_dispatch(evutil_socket_t fd, short events, void *arg)
{
	struct frontend	*fe = arg;
	struct fquery	*fq;
	struct imsg	 imsg;

	if (!sibling_read(&fe->resolver, "resolver"))
		return;
	while (channel_get(&fe->resolver, &imsg, resolver_rules,
	    NELEMS(resolver_rules), "resolver")) {
		if ((fq = fquery_find(fe, imsg.hdr.peerid)) == NULL)
			continue;	/* timed out meanwhile */
		if (imsg.hdr.type == IMSG_ANSWER)
			fquery_answer(fq, imsg.data, imsg.datalen);
		else
			fquery_servfail(fq);
	}
	udp_flush(fe);
	resolver_flush(fe);
}

/* --- queries from clients --- */

static int
rate_allowed(struct frontend *fe, const struct sockaddr_storage *from,
    socklen_t fromlen)
{
	if (fe->ratelimit == NULL)
		return 1;
	if (ratelimit_allow(fe->ratelimit, (const struct sockaddr *)from,
	    fromlen, now_ms()))
		return 1;
	fe->stats.ratelimited++;
	return 0;
}

/*
 * Validate a query and either answer it here or pass it on. Returns the
 * new query when one is in flight, so the caller can attach its client.
 */
static struct fquery *
handle_query(struct frontend *fe, const uint8_t *msg, size_t len,
    enum transport transport, uint8_t *reply, size_t *replylen)
{
	struct dns_query	 q;
	struct fquery		*fq;
	struct timeval		 tv;
	size_t			 qlen;
	int			 rcode;

	*replylen = 0;
	switch (dns_query_parse(msg, len, &q, &rcode)) {
	case DNS_DROP:
		fe->stats.dropped++;
		return NULL;
	case DNS_REJECT:
		fe->stats.rejected++;
		*replylen = dns_error_answer(&q, rcode, reply, DNS_MAXMSG);
		return NULL;
	case DNS_ACCEPT:
		break;
	}
	if ((*replylen = cache_answer(fe, &q, transport, 0, reply)) > 0)
		return NULL;
	if ((fq = fquery_new(fe)) == NULL) {
		fe->stats.overload++;
		*replylen = dns_error_answer(&q, DNS_RCODE_SERVFAIL, reply,
		    DNS_MAXMSG);
		return NULL;
	}
	fq->q = q;
	fq->transport = transport;
	qlen = dns_build_query(&q, 0, 0, reply, DNS_MAXMSG);
	if (qlen == 0 || imsg_compose(&fe->resolver, IMSG_QUERY, fq->id, -1,
	    reply, qlen) == -1) {
		fquery_free(fq);
		fe->stats.overload++;
		*replylen = dns_error_answer(&q, DNS_RCODE_SERVFAIL, reply,
		    DNS_MAXMSG);
		return NULL;
	}
	evtimer_assign(&fq->timeout, fe->base, fquery_timeout, fq);
	tv.tv_sec = QUERY_TIMEOUT_MS / 1000;
	tv.tv_usec = (QUERY_TIMEOUT_MS % 1000) * 1000;
	evtimer_add(&fq->timeout, &tv);
	return fq;
}

/* REFUSED for a query that parses, nothing for anything else */
static size_t
refuse(const uint8_t *msg, size_t len, uint8_t *reply)
{
	struct dns_query	 q;
	int			 rcode;

	if (dns_query_parse(msg, len, &q, &rcode) == DNS_DROP)
		return 0;
	return dns_error_answer(&q, DNS_RCODE_REFUSED, reply, DNS_MAXMSG);
}

static void
udp_query(struct frontend *fe, int fd, const uint8_t *msg, size_t len,
    const struct sockaddr_storage *from, socklen_t fromlen)
{
	struct fquery	*fq;
	size_t		 replylen;

	fe->stats.queries_udp++;
	/* over the limit: dropped, answering would reflect a flood */
	if (!rate_allowed(fe, from, fromlen))
		return;
	fq = handle_query(fe, msg, len, TRANSPORT_UDP, fe->out, &replylen);
	if (fq != NULL) {
		fq->udp_fd = fd;
		fq->from = *from;
		fq->fromlen = fromlen;
	} else if (replylen > 0) {
		count_rcode(fe, fe->out, replylen);
		udp_send(fe, fd, from, fromlen, fe->out, replylen);
	}
}

static void
udp_readable(evutil_socket_t fd, short events, void *arg)
{
	struct listener		*l = arg;
	struct frontend		*fe = l->fe;
	struct udp_batch	*b = &fe->udp_in;
	struct msghdr		*h;
	int			 i, n, round;

	for (round = 0; round < UDP_ROUNDS; round++) {
		for (i = 0; i < UDP_BATCH; i++) {
			h = &b->msg[i].msg_hdr;
			memset(h, 0, sizeof(*h));
			b->iov[i].iov_base = b->buf[i];
			b->iov[i].iov_len = sizeof(b->buf[i]);
			h->msg_iov = &b->iov[i];
			h->msg_iovlen = 1;
			h->msg_name = &b->from[i];
			h->msg_namelen = sizeof(b->from[i]);
		}
		n = recvmmsg(fd, b->msg, UDP_BATCH, MSG_DONTWAIT, NULL);
		if (n == -1) {
			if (errno != EAGAIN && errno != EINTR)
				log_warn("%s: recvmmsg", __func__);
			break;
		}
		for (i = 0; i < n; i++) {
			h = &b->msg[i].msg_hdr;
			if (h->msg_flags & MSG_TRUNC) {
				fe->stats.queries_udp++;
				fe->stats.dropped++;
				continue;
			}
			udp_query(fe, fd, b->buf[i], b->msg[i].msg_len,
			    &b->from[i], h->msg_namelen);
		}
		if (n < UDP_BATCH)
			break;
	}
	udp_flush(fe);
	resolver_flush(fe);
}

/* --- TCP clients --- */

static void
tcp_client_free(struct tcp_client *tc)
{
	struct fquery	*fq;

	/* answers still on their way are dropped on arrival */
	while ((fq = TAILQ_FIRST(&tc->queries)) != NULL) {
		TAILQ_REMOVE(&tc->queries, fq, tc_entry);
		fq->tc = NULL;
	}
	bufferevent_free(tc->bev);
	tc->fe->nclients--;
	free(tc);
}

/* more room for pipelined queries, or nothing left to do */
static void
tcp_client_resume(struct tcp_client *tc)
{
	if (tc->eof) {
		if (tc->nqueries == 0 &&
		    evbuffer_get_length(bufferevent_get_output(tc->bev)) == 0)
			tcp_client_free(tc);
		return;
	}
	if (tc->nqueries < TCP_CLIENT_INFLIGHT)
		bufferevent_enable(tc->bev, EV_READ);
}

static void
tcp_readable(struct bufferevent *bev, void *arg)
{
	struct tcp_client	*tc = arg;
	struct frontend		*fe = tc->fe;
	struct evbuffer		*in = bufferevent_get_input(bev);
	struct fquery		*fq;
	uint8_t			 prefix[2], *msg;
	size_t			 len, replylen;

	while (tc->nqueries < TCP_CLIENT_INFLIGHT) {
		if (evbuffer_copyout(in, prefix, 2) != 2)
			break;
		len = (size_t)prefix[0] << 8 | prefix[1];
		if (len > QUERY_MAX) {
			/* no query is that large: not DNS, stop reading */
			fe->stats.queries_tcp++;
			fe->stats.dropped++;
			tc->eof = 1;
			bufferevent_disable(bev, EV_READ);
			break;
		}
		if (evbuffer_get_length(in) < len + 2)
			break;
		if ((msg = evbuffer_pullup(in, (ssize_t)(len + 2))) == NULL)
			break;
		fe->stats.queries_tcp++;
		if (!rate_allowed(fe, &tc->peer, tc->peerlen)) {
			/* a TCP peer is no spoofer: tell it, cheaply */
			fq = NULL;
			replylen = refuse(msg + 2, len, fe->out);
		} else
			fq = handle_query(fe, msg + 2, len, TRANSPORT_TCP,
			    fe->out, &replylen);
		evbuffer_drain(in, len + 2);
		if (fq != NULL) {
			fq->tc = tc;
			TAILQ_INSERT_TAIL(&tc->queries, fq, tc_entry);
			tc->nqueries++;
		} else if (replylen > 0) {
			count_rcode(fe, fe->out, replylen);
			tcp_send(tc, fe->out, replylen);
		} else {
			/* not DNS: this stream cannot be trusted further */
			tc->eof = 1;
			bufferevent_disable(bev, EV_READ);
			break;
		}
	}
	if (tc->nqueries >= TCP_CLIENT_INFLIGHT)
		bufferevent_disable(bev, EV_READ);
	resolver_flush(fe);
	if (tc->eof)
		tcp_client_resume(tc);
}

static void
tcp_written(struct bufferevent *bev, void *arg)
{
	struct tcp_client	*tc = arg;

	if (tc->eof && tc->nqueries == 0)
		tcp_client_free(tc);
}

static void
tcp_event(struct bufferevent *bev, short what, void *arg)
{
	struct tcp_client	*tc = arg;

	if ((what & BEV_EVENT_EOF) && (what & BEV_EVENT_READING)) {
		/* half-closed: answer what was asked, then close */
		tc->eof = 1;
		bufferevent_disable(bev, EV_READ);
		tcp_client_resume(tc);
		return;
	}
	tcp_client_free(tc);
}

static void
tcp_client_new(struct frontend *fe, int fd, const struct sockaddr_storage *peer,
    socklen_t peerlen)
{
	struct tcp_client	*tc;
	struct timeval		 idle = { TCP_IDLE_SEC, 0 };
	int			 on = 1;

	if (fe->nclients >= MAX_TCP_CLIENTS ||
	    (tc = calloc(1, sizeof(*tc))) == NULL) {
		fe->stats.tcp_refused++;
		close(fd);
		return;
	}
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
	tc->fe = fe;
	tc->peer = *peer;
	tc->peerlen = peerlen;
	TAILQ_INIT(&tc->queries);
	tc->bev = bufferevent_socket_new(fe->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (tc->bev == NULL) {
		free(tc);
		close(fd);
		return;
	}
	fe->nclients++;
	bufferevent_setcb(tc->bev, tcp_readable, tcp_written, tcp_event, tc);
	bufferevent_set_timeouts(tc->bev, &idle, &idle);
	/* libevent stops reading a client whose input reaches this */
	bufferevent_setwatermark(tc->bev, EV_READ, 0, TCP_INPUT_MAX);
	bufferevent_enable(tc->bev, EV_READ | EV_WRITE);
}

static void
accept_resume(evutil_socket_t fd, short events, void *arg)
{
	struct listener	*l = arg;

	event_add(l->ev, NULL);
}

static void
tcp_acceptable(evutil_socket_t fd, short events, void *arg)
{
	struct listener		*l = arg;
	struct timeval		 pause = { 0, ACCEPT_PAUSE_MS * 1000 };
	struct sockaddr_storage	 peer;
	socklen_t		 peerlen;
	int			 i, cfd;

	for (i = 0; i < ACCEPT_BATCH; i++) {
		peerlen = sizeof(peer);
		cfd = accept4(fd, (struct sockaddr *)&peer, &peerlen,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd != -1) {
			tcp_client_new(l->fe, cfd, &peer, peerlen);
			continue;
		}
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
		    errno == ENOMEM) {
			/* out of descriptors: pause instead of spinning */
			log_warn("%s: accept paused", __func__);
			event_del(l->ev);
			evtimer_add(l->resume, &pause);
		}
		break;
	}
}

/* --- aggregated logging: never a line per bad packet --- */

struct trouble {
	const char	*what;
	size_t		 offset;
};

static const struct trouble troubles[] = {
	{ "malformed queries answered", offsetof(struct frontend_stats,
	    rejected) },
	{ "packets dropped", offsetof(struct frontend_stats, dropped) },
	{ "queries over the rate limit", offsetof(struct frontend_stats,
	    ratelimited) },
	{ "queries refused by the in-flight cap", offsetof(struct
	    frontend_stats, overload) },
	{ "invalid answers", offsetof(struct frontend_stats, bad_answers) },
	{ "queries timed out", offsetof(struct frontend_stats, timeouts) },
	{ "TCP connections refused", offsetof(struct frontend_stats,
	    tcp_refused) },
};

static uint64_t
stat_at(const struct frontend_stats *st, size_t offset)
{
	uint64_t	 v;

	memcpy(&v, (const uint8_t *)st + offset, sizeof(v));
	return v;
}

static void
trouble_summary(evutil_socket_t fd, short events, void *arg)
{
	struct frontend	*fe = arg;
	char		 line[512];
	size_t		 i, len = 0;
	uint64_t	 delta;
	int		 n;

	line[0] = '\0';
	for (i = 0; i < NELEMS(troubles); i++) {
		delta = stat_at(&fe->stats, troubles[i].offset) -
		    stat_at(&fe->logged, troubles[i].offset);
		if (delta == 0)
			continue;
		n = snprintf(line + len, sizeof(line) - len, "%s%llu %s",
		    len > 0 ? ", " : "", (unsigned long long)delta,
		    troubles[i].what);
		if (n < 0 || (size_t)n >= sizeof(line) - len)
			break;
		len += (size_t)n;
	}
	if (len > 0)
		log_warnx("last %d s: %s", TROUBLE_LOG_SEC, line);
	fe->logged = fe->stats;
}

static void
start_trouble_log(struct frontend *fe)
{
	struct timeval	 tv = { TROUBLE_LOG_SEC, 0 };

	fe->trouble_ev = event_new(fe->base, -1, EV_PERSIST, trouble_summary,
	    fe);
	if (fe->trouble_ev == NULL || event_add(fe->trouble_ev, &tv) == -1)
		fatalx("%s: event setup", __func__);
}

/* --- start-up --- */

static void
add_listener(struct frontend *fe, int fd, int tcp)
{
	struct listener	*l;

	if (tcp) {
		if (fe->ntcp == CONF_MAX_LISTEN)
			fatalx("%s: too many listeners", __func__);
		l = &fe->tcp[fe->ntcp++];
	} else {
		if (fe->nudp == CONF_MAX_LISTEN)
			fatalx("%s: too many listeners", __func__);
		l = &fe->udp[fe->nudp++];
	}
	l->fe = fe;
	l->fd = fd;
}

static void
start_listener(struct frontend *fe, struct listener *l, int tcp)
{
	l->ev = event_new(fe->base, l->fd, EV_READ | EV_PERSIST,
	    tcp ? tcp_acceptable : udp_readable, l);
	if (l->ev == NULL || event_add(l->ev, NULL) == -1)
		fatalx("%s: event_new", __func__);
	if (tcp && (l->resume = evtimer_new(fe->base, accept_resume, l)) ==
	    NULL)
		fatalx("%s: evtimer_new", __func__);
}

static void
parent_dispatch(evutil_socket_t fd, short events, void *arg)
{
	struct frontend	*fe = arg;
	struct imsg	 imsg;

	if (channel_read(&fe->cs.parent, "parent") == -1)
		fatalx("the parent is gone");
	/* nothing is expected from the parent once running */
	if (channel_get(&fe->cs.parent, &imsg, NULL, 0, "parent"))
		fatalx("protocol violation by the parent");
}

static void
receive_startup(struct frontend *fe)
{
	struct imsg	 imsg;
	int		 have_peer = 0;

	for (;;) {
		child_get_startup(&fe->cs, &imsg);
		imsg_fatal_check(&imsg, startup_rules, NELEMS(startup_rules),
		    "parent");
		switch (imsg.hdr.type) {
		case IMSG_STARTUP:
			memcpy(&fe->cs.info, imsg.data, sizeof(fe->cs.info));
			break;
		case IMSG_LISTEN_UDP:
			add_listener(fe, imsg.fd, 0);
			break;
		case IMSG_LISTEN_TCP:
			add_listener(fe, imsg.fd, 1);
			break;
		case IMSG_PEER_SOCKET:
			if (have_peer++)
				fatalx("protocol violation by the parent");
			if (imsgbuf_init(&fe->resolver, imsg.fd) == -1)
				fatal("%s: imsgbuf_init", __func__);
			break;
		case IMSG_CONF_MAIN:
			memcpy(&fe->conf, imsg.data, sizeof(fe->conf));
			break;
		case IMSG_CONF_END:
			if (!have_peer || fe->cs.info.uid == 0)
				fatalx("incomplete start-up from the parent");
			return;
		}
	}
}

void
frontend_main(void)
{
	struct frontend	*fe;
	uint32_t	 i;
	int		 n;

	if ((fe = calloc(1, sizeof(*fe))) == NULL)
		fatal("%s", __func__);
	child_init(PROC_FRONTEND, &fe->cs);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	for (i = 0; i < MAX_INFLIGHT; i++)
		fe->free_slot[i] = MAX_INFLIGHT - 1 - i;
	fe->nfree = MAX_INFLIGHT;

	receive_startup(fe);
	if (fe->conf.cache_size > 0 && (fe->cache = cache_new(
	    fe->conf.cache_size, (size_t)fe->conf.cache_size *
	    CACHE_BYTES_PER_ENTRY)) == NULL)
		fatal("%s: cache_new", __func__);
	if (fe->conf.ratelimit > 0 && (fe->ratelimit =
	    ratelimit_new(fe->conf.ratelimit, RATELIMIT_CLIENTS)) == NULL)
		fatal("%s: ratelimit_new", __func__);
	if ((fe->base = event_base_new()) == NULL)
		fatalx("event_base_new");
	child_enter_sandbox(PROC_FRONTEND, &fe->cs);

	set_nonblock(fe->cs.parent.fd);
	set_nonblock(fe->resolver.fd);
	fe->parent_ev = event_new(fe->base, fe->cs.parent.fd,
	    EV_READ | EV_PERSIST, parent_dispatch, fe);
	fe->resolver_rev = event_new(fe->base, fe->resolver.fd,
	    EV_READ | EV_PERSIST, resolver_dispatch, fe);
	fe->resolver_wev = event_new(fe->base, fe->resolver.fd, EV_WRITE,
	    resolver_writable, fe);
	if (fe->parent_ev == NULL || fe->resolver_rev == NULL ||
	    fe->resolver_wev == NULL || event_add(fe->parent_ev, NULL) == -1 ||
	    event_add(fe->resolver_rev, NULL) == -1)
		fatalx("%s: event setup", __func__);
	for (n = 0; n < fe->nudp; n++)
		start_listener(fe, &fe->udp[n], 0);
	for (n = 0; n < fe->ntcp; n++)
		start_listener(fe, &fe->tcp[n], 1);
	start_trouble_log(fe);
	log_debug("serving %d udp and %d tcp sockets", fe->nudp, fe->ntcp);
	event_base_dispatch(fe->base);
	fatalx("event loop ended");
}
