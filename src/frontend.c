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

#include "acl.h"
#include "addr.h"
#include "cache.h"
#include "channel.h"
#include "control.h"
#include "child.h"
#include "dns.h"
#include "dnstlsd.h"
#include "frontend.h"
#include "localzone.h"
#include "log.h"
#include "ratelimit.h"
#include "siphash.h"
#include "zone.h"

#define MAX_INFLIGHT		16384	/* client queries waiting for answers */
/* no client address may hold more, and none more than half of what is free */
#define INFLIGHT_SHARE_MAX	(MAX_INFLIGHT / 16)
#define COALESCE_BUCKETS	MAX_INFLIGHT	/* a power of two */
#define MAX_TCP_CLIENTS		1024
#define TCP_CLIENT_CONNS	(MAX_TCP_CLIENTS / 16)	/* per client address */
#define TCP_CLIENT_INFLIGHT	64	/* pipelined queries per connection */
#define QUERY_MAX		4096	/* a larger message is no query */
#define TCP_IDLE_SEC		10
#define TCP_MESSAGE_SEC		3	/* for a message begun to be whole */
/* per client: one message being read, and answers it does not read */
#define TCP_INPUT_MAX		(2 * (2 + QUERY_MAX))
#define TCP_OUTPUT_PAUSE	16384	/* no query is read past this */
#define TCP_OUTPUT_MAX		(TCP_OUTPUT_PAUSE + 2 + DNS_MAXMSG)
/* unsent bytes the kernel takes per client, past what is in flight */
#define TCP_KERNEL_UNSENT	16384
#define UDP_BATCH		32	/* datagrams read per recvmmsg() */
#define UDP_ROUNDS		4	/* recvmmsg() calls per wakeup */
#define ACCEPT_BATCH		16
#define ACCEPT_PAUSE_MS		500
#define RATELIMIT_CLIENTS	65536	/* 3 MB of buckets, allocated once */
#define CACHE_BYTES_PER_ENTRY	1024	/* memory bound: cache size x 1 KB */
#define TROUBLE_LOG_SEC		60	/* one summary line per interval */
/*
 * REFUSED to a denied UDP client: at most this many a second per client
 * key, whatever "ratelimit" says, dropped beyond (SECURITY.md).
 */
#define ACL_REFUSED_QPS		10
#define ACL_REFUSED_CLIENTS	16384	/* 768 KB of buckets */

struct frontend;
struct tcp_client;
struct fquery;

enum transport { TRANSPORT_UDP, TRANSPORT_TCP };

/*
 * One question asked of the resolver on behalf of every client query
 * that waits for it: identical questions in flight are asked once.
 */
struct upquery {
	uint32_t		 id;		/* sequence << 16 | slot */
	uint32_t		 bucket;	/* in the coalescing table */
	struct upquery		*chain;
	TAILQ_HEAD(, fquery)	 waiters;
	struct dns_query	*refresh;	/* a prefetch's: nobody waits */
	uint16_t		 keylen;
	uint8_t			 key[DNS_KEY_MAX];
};

/* One client's query, waiting for its upquery's answer. */
struct fquery {
	struct frontend		*fe;
	struct upquery		*up;		/* NULL once being answered */
	TAILQ_ENTRY(fquery)	 up_entry;
	uint32_t		 share;		/* its client's in flight */
	enum transport		 transport;
	int			 udp_fd;
	struct sockaddr_storage	 from;
	socklen_t		 fromlen;
	struct tcp_client	*tc;
	TAILQ_ENTRY(fquery)	 tc_entry;
	struct dns_query	 q;
	uint64_t		 arrival_us;	/* for the latency histogram */
	uint32_t		 upid;		/* its question's id, for logs */
	struct event		 timeout;
};

TAILQ_HEAD(fquery_list, fquery);

struct tcp_client {
	struct frontend		*fe;
	struct sockaddr_storage	 peer;
	socklen_t		 peerlen;
	uint32_t		 share;		/* its address's connections */
	struct bufferevent	*bev;
	TAILQ_HEAD(, fquery)	 queries;
	int			 nqueries;
	int			 closing;	/* answer, then close */
	int			 peer_done;	/* the client sent its last */
	int			 quiet;		/* on fe->quiet */
	int			 refused;	/* denied: all REFUSED */
	TAILQ_ENTRY(tcp_client)	 quiet_entry;
	struct event		 deadline;	/* for the message begun */
	struct event		 wake;		/* read what is buffered */
};

/* a listening socket; id is the parent's, for reloads that remove it */
struct listener {
	struct frontend		*fe;
	int			 fd;		/* -1: the slot is free */
	int			 tcp;
	uint32_t		 id;
	int			 keep;		/* in the configuration */
	struct event		*ev;
	struct event		*resume;	/* accept paused on EMFILE */
};

/* during a reload, those added are there before those removed go */
#define MAX_LISTENERS		(2 * 2 * CONF_MAX_LISTEN)

/*
 * The counters: those of the minute's summary line (troubles[]), and
 * queries by transport and answers by rcode, which are what struct
 * stats_frontend (stats.h) reports for the statistics.
 */
struct frontend_stats {
	uint64_t	 queries_udp, queries_tcp;
	uint64_t	 rejected, dropped, overload, overload_client;
	uint64_t	 bad_answers, timeouts;
	uint64_t	 rcode[16];
	uint64_t	 tcp_refused, tcp_over_share, tcp_displaced;
	uint64_t	 tcp_slow, tcp_unread;
	uint64_t	 ratelimited;
	uint64_t	 acl_refused;	/* queries of clients not allowed */
	uint64_t	 acl_dropped;	/* of which not even told (UDP) */
	uint64_t	 local;		/* answered from a local zone */
	struct histogram latency;	/* arrival to answer, us */
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
	int			 armed;		/* a flush is on its way */
	struct event		*flush;
	struct mmsghdr		 msg[UDP_BATCH];
	struct iovec		 iov[UDP_BATCH];
	struct sockaddr_storage	 to[UDP_BATCH];
	uint8_t			 buf[UDP_BATCH][DNS_EDNS_UDP];
};

/* a configuration being received, swapped in at its end */
struct frontend_conf_pending {
	struct acl_rule		 acl[CONF_MAX_ACL];
	size_t			 nacl;
	uint8_t			 zone[CONF_MAX_UPSTREAMS][DNS_MAXNAME];
	size_t			 zonelen[CONF_MAX_UPSTREAMS];
	size_t			 nzone;
};

struct frontend {
	struct event_base	*base;
	struct conf_main	 conf;
	struct channel		*resolver;
	struct listener		 listener[MAX_LISTENERS];
	int			 serving;
	struct upquery		*slot[MAX_INFLIGHT];
	uint32_t		 free_slot[MAX_INFLIGHT];
	uint32_t		 nfree;
	uint32_t		 seq;
	struct upquery		*coalesce[COALESCE_BUCKETS];
	uint8_t			 secret[SIPHASH_KEYLEN];
	uint32_t		 nwaiting;	/* client queries in flight */
	struct client_count	*inflight;	/* the same, per client */
	struct client_count	*conns;		/* TCP clients per address */
	TAILQ_HEAD(, tcp_client) quiet;		/* quiet longest first */
	int			 nclients;
	struct frontend_stats	 stats;
	struct frontend_stats	 logged;	/* as of the last summary */
	int64_t			 start_time;	/* UNIX time */
	struct event		*trouble_ev;
	struct ratelimit	*ratelimit;	/* NULL: no limit */
	struct cache		*cache;		/* NULL: no cache */
	struct acl		*acl;		/* who may ask */
	struct ratelimit	*acl_limit;	/* REFUSED to the others */
	struct localzones	*local;		/* names answered here */
	struct zonetab		*fwd;		/* forward zones; NULL: none */
	struct frontend_conf_pending pending;
	struct udp_batch	 udp_in;
	struct udp_out		 udp_out;
	uint8_t			 cached[DNS_MAXMSG];
	uint8_t			 out[DNS_MAXMSG + 2];
};

static struct frontend	*the_frontend;	/* for frontend_ctl.c's requests */

static void	 fquery_timeout(evutil_socket_t, short, void *);
static void	 tcp_client_free(struct tcp_client *);
static void	 tcp_client_resume(struct tcp_client *);
static int	 tcp_send(struct tcp_client *, const uint8_t *, size_t);
static struct upquery *upquery_ask(struct frontend *,
		    const struct dns_query *, const uint8_t *, size_t, uint32_t,
		    uint8_t *);
static void	 prefetch(struct frontend *, const struct dns_query *,
		    const uint8_t *, size_t, uint8_t *);

/*
 * --- questions in flight: ids are slot numbers plus a sequence number,
 * and a keyed hash of dns_query_key() finds a question already asked ---
 */

static uint32_t
coalesce_bucket(const struct frontend *fe, const uint8_t *key, size_t keylen)
{
	return (uint32_t)siphash24(fe->secret, key, keylen) &
	    (COALESCE_BUCKETS - 1);
}

static struct upquery *
upquery_find(struct frontend *fe, const uint8_t *key, size_t keylen,
    uint32_t bucket)
{
	struct upquery	*u;

	for (u = fe->coalesce[bucket]; u != NULL; u = u->chain)
		if (u->keylen == keylen && memcmp(u->key, key, keylen) == 0)
			return u;
	return NULL;
}

static struct upquery *
upquery_new(struct frontend *fe, const uint8_t *key, size_t keylen,
    uint32_t bucket)
{
	struct upquery	*u;
	uint32_t	 slot;

	if (fe->nfree == 0 || keylen > sizeof(u->key))
		return NULL;
	if ((u = calloc(1, sizeof(*u))) == NULL)
		return NULL;
	slot = fe->free_slot[--fe->nfree];
	fe->seq++;
	u->id = (fe->seq << 16) | slot;
	TAILQ_INIT(&u->waiters);
	u->keylen = (uint16_t)keylen;
	memcpy(u->key, key, keylen);
	u->bucket = bucket;
	u->chain = fe->coalesce[bucket];
	fe->coalesce[bucket] = u;
	fe->slot[slot] = u;
	return u;
}

static struct upquery *
upquery_by_id(struct frontend *fe, uint32_t id)
{
	uint32_t	 slot = id & 0xffff;
	struct upquery	*u;

	if (slot >= MAX_INFLIGHT)
		return NULL;
	u = fe->slot[slot];
	if (u == NULL || u->id != id)
		return NULL;
	return u;
}

/* an answer still on its way for it is dropped on arrival */
static void
upquery_free(struct frontend *fe, struct upquery *u)
{
	struct upquery	**link;
	uint32_t	 slot = u->id & 0xffff;

	for (link = &fe->coalesce[u->bucket]; *link != u;
	    link = &(*link)->chain)
		continue;
	*link = u->chain;
	fe->slot[slot] = NULL;
	fe->free_slot[fe->nfree++] = slot;
	free(u->refresh);
	free(u);
}

/*
 * The time for the latency histogram: libevent's, read once per pass of
 * the loop (after each wait), never a system call per query.
 */
static uint64_t
now_us(const struct frontend *fe)
{
	struct timeval	 tv;

	if (event_base_gettimeofday_cached(fe->base, &tv) == -1)
		return 0;
	return (uint64_t)tv.tv_sec * 1000000 + (uint64_t)tv.tv_usec;
}

/* --- client queries in flight, and each client's share of them --- */

/*
 * Each client address may hold at most INFLIGHT_SHARE_MAX queries in
 * flight, and never more than half the room still free: one client
 * alone stops at a sixteenth of the table, k of them together at
 * k / (k + 2) of it, and the rest always stays open to others.
 */
static struct fquery *
fquery_new(struct frontend *fe, const struct dns_query *q,
    enum transport transport, const struct sockaddr_storage *from,
    socklen_t fromlen)
{
	struct client_key	 key;
	struct fquery		*fq;
	uint32_t		 room, limit, share;

	if (fe->nwaiting >= MAX_INFLIGHT) {
		fe->stats.overload++;
		return NULL;
	}
	room = MAX_INFLIGHT - fe->nwaiting;
	limit = (room + 1) / 2;
	if (limit > INFLIGHT_SHARE_MAX)
		limit = INFLIGHT_SHARE_MAX;
	key = client_key((const struct sockaddr *)from, fromlen);
	share = client_count_take(fe->inflight, &key, limit);
	if (share == CLIENT_COUNT_NONE) {
		fe->stats.overload_client++;
		return NULL;
	}
	if ((fq = calloc(1, sizeof(*fq))) == NULL) {
		client_count_put(fe->inflight, share);
		fe->stats.overload++;
		return NULL;
	}
	fe->nwaiting++;
	fq->fe = fe;
	fq->share = share;
	fq->transport = transport;
	fq->udp_fd = -1;
	fq->from = *from;
	fq->fromlen = fromlen;
	fq->q = *q;
	fq->arrival_us = now_us(fe);
	evtimer_assign(&fq->timeout, fe->base, fquery_timeout, fq);
	return fq;
}

/* a timed-out waiter leaves the others waiting */
static void
fquery_free(struct fquery *fq)
{
	struct frontend		*fe = fq->fe;
	struct tcp_client	*tc = fq->tc;
	struct upquery		*u = fq->up;

	event_del(&fq->timeout);
	if (u != NULL) {
		TAILQ_REMOVE(&u->waiters, fq, up_entry);
		if (TAILQ_EMPTY(&u->waiters))
			upquery_free(fe, u);
	}
	client_count_put(fe->inflight, fq->share);
	fe->nwaiting--;
	if (tc != NULL) {
		TAILQ_REMOVE(&tc->queries, fq, tc_entry);
		tc->nqueries--;
	}
	free(fq);
	if (tc != NULL)
		tcp_client_resume(tc);
}

/*
 * Join the question already asked, or ask it: the one upstream query
 * carries the first client's letter case, which dns_answer_client()
 * puts right for every other. key is dns_query_key() of the query with
 * DNS_KEY_UPSTREAM; buf is scratch for the query. 0, or -1 when the
 * resolver cannot be told.
 */
static int
fquery_ask(struct frontend *fe, struct fquery *fq, const uint8_t *key,
    size_t keylen, uint8_t *buf)
{
	struct upquery	*u;
	uint32_t	 bucket;

	bucket = coalesce_bucket(fe, key, keylen);
	if ((u = upquery_find(fe, key, keylen, bucket)) == NULL &&
	    (u = upquery_ask(fe, &fq->q, key, keylen, bucket, buf)) == NULL)
		return -1;
	fq->up = u;
	fq->upid = u->id;
	TAILQ_INSERT_TAIL(&u->waiters, fq, up_entry);
	return 0;
}

/* A new question for the resolver; NULL when it cannot be told. */
static struct upquery *
upquery_ask(struct frontend *fe, const struct dns_query *q,
    const uint8_t *key, size_t keylen, uint32_t bucket, uint8_t *buf)
{
	struct upquery	*u;
	size_t		 qlen;

	if ((u = upquery_new(fe, key, keylen, bucket)) == NULL)
		return NULL;
	qlen = dns_build_query(q, 0, 0, buf, DNS_MAXMSG);
	if (qlen == 0 || channel_compose(fe->resolver, IMSG_QUERY, u->id, -1,
	    buf, qlen) == -1) {
		upquery_free(fe, u);
		return NULL;
	}
	return u;
}

/*
 * "cache prefetch": ask again, with nobody waiting, for an entry asked
 * for in the last tenth of its lifetime; the answer replaces it (see
 * upquery_done()), so a name in use never expires into a miss. Not when
 * the question is in flight already, nor with half the table taken:
 * clients come first. buf is scratch for the query.
 */
static void
prefetch(struct frontend *fe, const struct dns_query *q, const uint8_t *key,
    size_t keylen, uint8_t *buf)
{
	struct dns_query	*copy;
	struct upquery		*u;
	uint32_t		 bucket;

	if (fe->nfree < MAX_INFLIGHT / 2)
		return;
	bucket = coalesce_bucket(fe, key, keylen);
	if (upquery_find(fe, key, keylen, bucket) != NULL ||
	    (copy = malloc(sizeof(*copy))) == NULL)
		return;
	*copy = *q;
	if ((u = upquery_ask(fe, q, key, keylen, bucket, buf)) == NULL) {
		free(copy);
		return;
	}
	u->refresh = copy;
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
 * An answer from the cache (key: dns_query_key() of q), fitted to this
 * client like any other; 0 on a miss. Stale entries are served only
 * when every upstream failed.
 */
static size_t
cache_answer(struct frontend *fe, const struct dns_query *q,
    const uint8_t *key, size_t keylen, enum transport transport, int stale,
    uint8_t *out)
{
	struct dns_answer	 a;
	size_t			 n;
	int			 refresh = 0;

	if (fe->cache == NULL)
		return 0;
	n = cache_lookup_refresh(fe->cache, key, keylen,
	    monotonic_coarse_ms() / 1000, stale, fe->cached, sizeof(fe->cached),
	    &a, fe->conf.prefetch && !stale ? &refresh : NULL);
	if (n == 0)
		return 0;
	n = dns_answer_client(fe->cached, n, &a, q,
	    answer_limit(q, transport), out, DNS_MAXMSG);
	/* fe->cached is free again: the query is built there */
	if (n > 0 && fe->conf.prefetch && refresh)
		prefetch(fe, q, key, keylen, fe->cached);
	return n;
}

/* every answer sent: its rcode, and how long since its query came */
static void
count_answer(struct frontend *fe, const uint8_t *msg, size_t len,
    uint64_t arrival_us)
{
	uint64_t	 now = now_us(fe);

	if (len >= 4)
		fe->stats.rcode[msg[3] & 0xf]++;
	histogram_add(&fe->stats.latency, now > arrival_us ? now -
	    arrival_us : 0);
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

static void
udp_flush_due(evutil_socket_t fd, short events, void *arg)
{
	struct frontend	*fe = arg;

	fe->udp_out.armed = 0;
	udp_flush(fe);
}

/*
 * Queue an answer. The first of a pass of the event loop arms one flush,
 * which libevent runs after every callback due in this pass: all their
 * answers leave with one sendmmsg() per socket.
 */
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
	if (!o->armed) {
		o->armed = 1;
		event_active(o->flush, EV_TIMEOUT, 1);
	}
}

/*
 * Verbose only (dnstlsctl log verbose, -v): one line per answer, with
 * the client, the question, the rcode, where the answer came from and
 * how long it took. Off, it costs the one test of the caller. source
 * NULL: from an upstream, and the resolver's line for the same query id
 * says which.
 */
static void
log_query(struct frontend *fe, const struct sockaddr_storage *from,
    const struct dns_query *q, const uint8_t *msg, size_t len,
    const char *source, uint64_t arrival_us, uint32_t upid)
{
	char		 addr[INET6_ADDRSTRLEN], name[DNS_MAXNAME * 4 + 2];
	char		 type[16], up[48];
	uint64_t	 now = now_us(fe);
	uint64_t	 us = now > arrival_us ? now - arrival_us : 0;

	if (!q->has_question || len < 4)
		return;
	addr_str(from, addr, sizeof(addr));
	if (source == NULL) {
		/* the resolver's line for this id names the upstream */
		snprintf(up, sizeof(up), "upstream (query %u)", upid);
		source = up;
	}
	dns_name_text(q->q.qname, q->q.qname_len, name, sizeof(name));
	log_debug("query %s %s %s %s %s %llu.%03llu ms", addr, name,
	    dns_type_name(q->q.qtype, type, sizeof(type)),
	    stats_rcode_name(msg[3] & 0xfU), source,
	    (unsigned long long)(us / 1000), (unsigned long long)(us % 1000));
}

/* deliver an answer already fitted to the query's transport */
static void
fquery_reply(struct fquery *fq, const uint8_t *msg, size_t len,
    const char *source)
{
	count_answer(fq->fe, msg, len, fq->arrival_us);
	if (log_getverbose() > 0)
		log_query(fq->fe, &fq->from, &fq->q, msg, len, source,
		    fq->arrival_us, fq->upid);
	if (fq->transport == TRANSPORT_UDP)
		udp_send(fq->fe, fq->udp_fd, &fq->from, fq->fromlen, msg,
		    len);
	else if (fq->tc != NULL)
		(void)tcp_send(fq->tc, msg, len);
	fquery_free(fq);
}

static void
fquery_servfail(struct fquery *fq)
{
	struct frontend	*fe = fq->fe;
	uint8_t		 key[DNS_KEY_MAX];
	size_t		 keylen, len;

	if (fe->conf.serve_stale && fe->cache != NULL &&
	    (keylen = dns_query_key(&fq->q, DNS_KEY_UPSTREAM, key)) > 0 &&
	    (len = cache_answer(fe, &fq->q, key, keylen, fq->transport, 1,
	    fe->out)) > 0) {
		fquery_reply(fq, fe->out, len, "stale");
		return;
	}
	len = dns_error_answer(&fq->q, DNS_RCODE_SERVFAIL, fe->out,
	    sizeof(fe->out));
	if (len == 0) {
		fquery_free(fq);
		return;
	}
	fquery_reply(fq, fe->out, len, "servfail");
}

/* the upstream's answer, parsed once into *a, fitted to one waiter */
static void
fquery_answer(struct fquery *fq, const uint8_t *ans, size_t anslen,
    const struct dns_answer *a)
{
	struct frontend	*fe = fq->fe;
	size_t		 len = 0;

	if (a != NULL)
		len = dns_answer_client(ans, anslen, a, &fq->q,
		    answer_limit(&fq->q, fq->transport), fe->out,
		    sizeof(fe->out));
	if (len == 0) {
		fe->stats.bad_answers++;
		log_debug("invalid answer from the resolver: SERVFAIL");
		fquery_servfail(fq);
		return;
	}
	fquery_reply(fq, fe->out, len, NULL);
}

/*
 * The resolver's answer (or SERVFAIL when ans is NULL) for every client
 * waiting, walked once for all of them: every waiter asked the same
 * question (the key says so), and only an answer that proved valid for
 * it is cached. The upquery goes first, so that answering, which may
 * free TCP clients and so other waiters' links, never walks a freed
 * list, and no query joins a question already answered.
 */
static void
upquery_done(struct frontend *fe, struct upquery *u, const uint8_t *ans,
    size_t anslen)
{
	struct fquery_list	 waiters;
	struct fquery		*fq;
	struct dns_answer	 a, *valid = NULL;
	const struct dns_query	*q;

	/* a prefetch's question when no client joined it */
	fq = TAILQ_FIRST(&u->waiters);
	q = fq != NULL ? &fq->q : u->refresh;
	if (ans != NULL && q != NULL &&
	    dns_answer_parse(ans, anslen, q, &a) == 0) {
		valid = &a;
		if (fe->cache != NULL)
			cache_store(fe->cache, u->key, u->keylen, ans, anslen,
			    &a, monotonic_coarse_ms() / 1000);
	}
	TAILQ_INIT(&waiters);
	TAILQ_CONCAT(&waiters, &u->waiters, up_entry);
	TAILQ_FOREACH(fq, &waiters, up_entry)
		fq->up = NULL;
	upquery_free(fe, u);
	while ((fq = TAILQ_FIRST(&waiters)) != NULL) {
		TAILQ_REMOVE(&waiters, fq, up_entry);
		if (ans == NULL)
			fquery_servfail(fq);
		else
			fquery_answer(fq, ans, anslen, valid);
	}
}

static void
fquery_timeout(evutil_socket_t fd, short events, void *arg)
{
	struct fquery	*fq = arg;
	struct frontend	*fe = fq->fe;

	fe->stats.timeouts++;
	fquery_servfail(fq);
}

/* --- from the resolver --- */

static void
frontend_answer(struct channel *ch, struct imsg *imsg, void *arg)
{
	struct frontend	*fe = arg;
	struct upquery	*u;

	/* NULL: every waiter timed out meanwhile */
	if ((u = upquery_by_id(fe, imsg->hdr.peerid)) != NULL)
		upquery_done(fe, u, imsg->data, imsg->datalen);
}

static void
frontend_servfail(struct channel *ch, struct imsg *imsg, void *arg)
{
	struct frontend	*fe = arg;
	struct upquery	*u;

	if ((u = upquery_by_id(fe, imsg->hdr.peerid)) != NULL)
		upquery_done(fe, u, NULL, 0);
}

/* --- queries from clients --- */

static int
rate_allowed(struct frontend *fe, const struct sockaddr_storage *from,
    socklen_t fromlen)
{
	if (fe->ratelimit == NULL)
		return 1;
	if (ratelimit_allow(fe->ratelimit, (const struct sockaddr *)from,
	    fromlen, monotonic_coarse_ms()))
		return 1;
	fe->stats.ratelimited++;
	return 0;
}

static int
acl_allowed(struct frontend *fe, const struct sockaddr_storage *from,
    socklen_t fromlen)
{
	return acl_check(fe->acl, (const struct sockaddr *)from, fromlen) ==
	    ACL_ALLOW;
}

/*
 * A name in a local zone that no forward zone claims: its answer in
 * reply, and 1. Local answers are never cached (they cost less than a
 * cache lookup).
 */
static int
local_answer(struct frontend *fe, const struct dns_query *q, uint8_t *reply,
    size_t *replylen)
{
	struct localzone	 lz;
	size_t			 fwdlen = 0;

	if (!localzone_match(fe->local, q->q.qname, q->q.qname_len, &lz))
		return 0;
	if (fe->fwd != NULL)
		(void)zonetab_lookup(fe->fwd, q->q.qname, q->q.qname_len,
		    &fwdlen);
	if (localzone_forwarded(&lz, fwdlen))
		return 0;
	fe->stats.local++;
	*replylen = dns_local_answer(q, lz.apex, lz.apexlen, lz.kind, reply,
	    DNS_MAXMSG);
	if (*replylen == 0)
		*replylen = dns_error_answer(q, DNS_RCODE_SERVFAIL, reply,
		    DNS_MAXMSG);
	return 1;
}

/*
 * Validate a query and either answer it here or pass it on. Returns the
 * new query when one is in flight, so the caller can attach its client.
 */
static struct fquery *
frontend_query(struct frontend *fe, const uint8_t *msg, size_t len,
    enum transport transport, const struct sockaddr_storage *from,
    socklen_t fromlen, uint8_t *reply, size_t *replylen)
{
	struct dns_query	 q;
	struct fquery		*fq;
	struct timeval		 tv;
	uint8_t			 key[DNS_KEY_MAX];
	size_t			 keylen;
	int			 rcode;

	*replylen = 0;
	switch (dns_query_parse(msg, len, &q, &rcode)) {
	case DNS_DROP:
		fe->stats.dropped++;
		return NULL;
	case DNS_REJECT:
		fe->stats.rejected++;
		*replylen = dns_error_answer(&q, rcode, reply, DNS_MAXMSG);
		if (log_getverbose() > 0 && *replylen > 0)
			log_query(fe, from, &q, reply, *replylen, "local",
			    now_us(fe), 0);
		return NULL;
	case DNS_ACCEPT:
		break;
	}
	if (local_answer(fe, &q, reply, replylen))
		return NULL;
	/* one key for the cache and the questions in flight */
	keylen = dns_query_key(&q, DNS_KEY_UPSTREAM, key);
	if (keylen > 0 && (*replylen = cache_answer(fe, &q, key, keylen,
	    transport, 0, reply)) > 0) {
		if (log_getverbose() > 0)
			log_query(fe, from, &q, reply, *replylen, "cache",
			    now_us(fe), 0);
		return NULL;
	}
	/* over the table or the client's share: counted by fquery_new() */
	if ((fq = fquery_new(fe, &q, transport, from, fromlen)) == NULL) {
		*replylen = dns_error_answer(&q, DNS_RCODE_SERVFAIL, reply,
		    DNS_MAXMSG);
		return NULL;
	}
	if (keylen == 0 || fquery_ask(fe, fq, key, keylen, reply) == -1) {
		fquery_free(fq);
		fe->stats.overload++;
		*replylen = dns_error_answer(&q, DNS_RCODE_SERVFAIL, reply,
		    DNS_MAXMSG);
		return NULL;
	}
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
	if (!acl_allowed(fe, from, fromlen)) {
		/* no larger than the query, and a few a second at most */
		fe->stats.acl_refused++;
		if (!ratelimit_allow(fe->acl_limit,
		    (const struct sockaddr *)from, fromlen,
		    monotonic_coarse_ms())) {
			fe->stats.acl_dropped++;
			return;
		}
		if ((replylen = refuse(msg, len, fe->out)) > 0) {
			count_answer(fe, fe->out, replylen, now_us(fe));
			udp_send(fe, fd, from, fromlen, fe->out, replylen);
		}
		return;
	}
	fq = frontend_query(fe, msg, len, TRANSPORT_UDP, from, fromlen, fe->out,
	    &replylen);
	if (fq != NULL)
		fq->udp_fd = fd;
	else if (replylen > 0) {
		count_answer(fe, fe->out, replylen, now_us(fe));
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
}

/*
 * --- TCP clients ---
 *
 * A connection is "quiet" while it owes nothing either way: no query in
 * flight, no answer unsent. Quiet connections are kept in the order they
 * were last heard from, so that when the table is full a newcomer takes
 * the place of the one quiet longest: whoever holds connections open
 * without using them cannot keep others out, and no query or answer is
 * ever lost to make room. A message begun must be whole within
 * TCP_MESSAGE_SEC, however slowly its bytes trickle in, and each address
 * may hold TCP_CLIENT_CONNS connections.
 */

static int
tcp_has_output(const struct tcp_client *tc)
{
	return evbuffer_get_length(bufferevent_get_output(tc->bev)) > 0;
}

static void
tcp_quiet_update(struct tcp_client *tc, int heard)
{
	struct frontend	*fe = tc->fe;
	int		 quiet;

	quiet = !tc->closing && !tc->peer_done && tc->nqueries == 0 &&
	    !tcp_has_output(tc);
	if (tc->quiet && (!quiet || heard)) {
		TAILQ_REMOVE(&fe->quiet, tc, quiet_entry);
		tc->quiet = 0;
	}
	if (quiet && !tc->quiet) {
		TAILQ_INSERT_TAIL(&fe->quiet, tc, quiet_entry);
		tc->quiet = 1;
	}
}

static void
tcp_client_free(struct tcp_client *tc)
{
	struct frontend	*fe = tc->fe;
	struct fquery	*fq;

	/* answers still on their way are dropped on arrival */
	while ((fq = TAILQ_FIRST(&tc->queries)) != NULL) {
		TAILQ_REMOVE(&tc->queries, fq, tc_entry);
		fq->tc = NULL;
	}
	if (tc->quiet)
		TAILQ_REMOVE(&fe->quiet, tc, quiet_entry);
	evtimer_del(&tc->deadline);
	event_del(&tc->wake);
	client_count_put(fe->conns, tc->share);
	bufferevent_free(tc->bev);
	fe->nclients--;
	free(tc);
}

/* take no more queries: answer those in flight, then close; may free tc */
static void
tcp_client_stop(struct tcp_client *tc)
{
	struct evbuffer	*in = bufferevent_get_input(tc->bev);

	tc->closing = 1;
	bufferevent_disable(tc->bev, EV_READ);
	evtimer_del(&tc->deadline);
	event_del(&tc->wake);
	evbuffer_drain(in, evbuffer_get_length(in));
	tcp_quiet_update(tc, 0);
	tcp_client_resume(tc);
}

/*
 * Room again for queries or answers, or nothing left to do. Queries
 * already buffered are read in a callback of their own: this runs while
 * answers are handed out, where starting new queries is no place to be.
 */
static void
tcp_client_resume(struct tcp_client *tc)
{
	size_t	 outlen;

	outlen = evbuffer_get_length(bufferevent_get_output(tc->bev));
	if (tc->closing) {
		if (tc->nqueries == 0 && outlen == 0)
			tcp_client_free(tc);
		return;
	}
	tcp_quiet_update(tc, 0);
	if (tc->nqueries >= TCP_CLIENT_INFLIGHT || outlen >= TCP_OUTPUT_PAUSE)
		return;
	if (!tc->peer_done)
		bufferevent_enable(tc->bev, EV_READ);
	if (evbuffer_get_length(bufferevent_get_input(tc->bev)) > 0 ||
	    tc->peer_done)
		event_active(&tc->wake, EV_TIMEOUT, 1);
}

/*
 * An answer for the client; one that would take its unread answers past
 * TCP_OUTPUT_MAX closes it instead. 0, or -1 when tc is gone.
 */
static int
tcp_send(struct tcp_client *tc, const uint8_t *msg, size_t len)
{
	struct evbuffer	*out = bufferevent_get_output(tc->bev);
	uint8_t		 prefix[2];

	if (len > TCP_OUTPUT_MAX - 2 ||
	    evbuffer_get_length(out) > TCP_OUTPUT_MAX - 2 - len) {
		tc->fe->stats.tcp_unread++;
		tcp_client_free(tc);
		return -1;
	}
	prefix[0] = (uint8_t)(len >> 8);
	prefix[1] = (uint8_t)len;
	if (evbuffer_add(out, prefix, 2) == -1 ||
	    evbuffer_add(out, msg, len) == -1)
		log_warnx("%s: out of memory", __func__);
	tcp_quiet_update(tc, 0);
	return 0;
}

/* one whole query off the input: answered, in flight, or the end */
static int
tcp_query(struct tcp_client *tc, uint8_t *msg, size_t len)
{
	struct frontend	*fe = tc->fe;
	struct fquery	*fq;
	size_t		 replylen;

	fe->stats.queries_tcp++;
	if (tc->refused) {
		/* not allowed: a TCP peer is no spoofer, tell it */
		fe->stats.acl_refused++;
		fq = NULL;
		replylen = refuse(msg, len, fe->out);
	} else if (!rate_allowed(fe, &tc->peer, tc->peerlen)) {
		/* a TCP peer is no spoofer: tell it, cheaply */
		fq = NULL;
		replylen = refuse(msg, len, fe->out);
	} else
		fq = frontend_query(fe, msg, len, TRANSPORT_TCP, &tc->peer,
		    tc->peerlen, fe->out, &replylen);
	evbuffer_drain(bufferevent_get_input(tc->bev), len + 2);
	if (fq != NULL) {
		fq->tc = tc;
		TAILQ_INSERT_TAIL(&tc->queries, fq, tc_entry);
		tc->nqueries++;
		tcp_quiet_update(tc, 0);
		return 0;
	}
	if (replylen > 0) {
		count_answer(fe, fe->out, replylen, now_us(fe));
		return tcp_send(tc, fe->out, replylen);
	}
	/* not DNS: this stream cannot be trusted further */
	tcp_client_stop(tc);
	return -1;
}

/*
 * Every whole query buffered, while there is room for it (RFC 7766: each
 * one written is answered); may free tc. The deadline runs while a
 * message is incomplete, never while we are the ones behind.
 */
static void
tcp_process(struct tcp_client *tc)
{
	struct frontend	*fe = tc->fe;
	struct evbuffer	*in = bufferevent_get_input(tc->bev);
	struct evbuffer	*out = bufferevent_get_output(tc->bev);
	struct timeval	 tv = { TCP_MESSAGE_SEC, 0 };
	uint8_t		 prefix[2], *msg;
	size_t		 len;

	while (!tc->closing) {
		if (tc->nqueries >= TCP_CLIENT_INFLIGHT ||
		    evbuffer_get_length(out) >= TCP_OUTPUT_PAUSE) {
			evtimer_del(&tc->deadline);
			bufferevent_disable(tc->bev, EV_READ);
			return;
		}
		if (evbuffer_copyout(in, prefix, 2) != 2)
			break;
		len = (size_t)prefix[0] << 8 | prefix[1];
		if (len > QUERY_MAX) {
			/* no query is that large: not DNS, stop reading */
			fe->stats.queries_tcp++;
			fe->stats.dropped++;
			tcp_client_stop(tc);
			return;
		}
		if (evbuffer_get_length(in) < len + 2)
			break;
		if ((msg = evbuffer_pullup(in, (ssize_t)(len + 2))) == NULL)
			break;
		evtimer_del(&tc->deadline);
		if (tcp_query(tc, msg + 2, len) == -1)
			return;
	}
	if (tc->closing)
		return;
	/* what is left is part of a message, which may never complete */
	if (tc->peer_done) {
		tcp_client_stop(tc);
		return;
	}
	if (evbuffer_get_length(in) > 0 &&
	    !evtimer_pending(&tc->deadline, NULL))
		evtimer_add(&tc->deadline, &tv);
}

static void
tcp_readable(struct bufferevent *bev, void *arg)
{
	struct tcp_client	*tc = arg;

	tcp_quiet_update(tc, 1);
	tcp_process(tc);
}

static void
tcp_wake(evutil_socket_t fd, short events, void *arg)
{
	tcp_process(arg);
}

static void
tcp_deadline(evutil_socket_t fd, short events, void *arg)
{
	struct tcp_client	*tc = arg;

	tc->fe->stats.tcp_slow++;
	tcp_client_stop(tc);
}

static void
tcp_written(struct bufferevent *bev, void *arg)
{
	tcp_client_resume(arg);
}

static void
tcp_event(struct bufferevent *bev, short what, void *arg)
{
	struct tcp_client	*tc = arg;

	if ((what & BEV_EVENT_EOF) && (what & BEV_EVENT_READING)) {
		/* half-closed: answer every whole query asked, then close */
		tc->peer_done = 1;
		bufferevent_disable(bev, EV_READ);
		evtimer_del(&tc->deadline);
		tcp_quiet_update(tc, 0);
		tcp_process(tc);
		return;
	}
	tcp_client_free(tc);
}

/* the address's share, and a place in the table: maybe a quiet one's */
static int
tcp_admit(struct frontend *fe, const struct sockaddr_storage *peer,
    socklen_t peerlen, uint32_t *share)
{
	struct client_key	 key;
	struct tcp_client	*quiet;

	key = client_key((const struct sockaddr *)peer, peerlen);
	*share = client_count_take(fe->conns, &key, TCP_CLIENT_CONNS);
	if (*share == CLIENT_COUNT_NONE) {
		fe->stats.tcp_over_share++;
		return -1;
	}
	if (fe->nclients < MAX_TCP_CLIENTS)
		return 0;
	if ((quiet = TAILQ_FIRST(&fe->quiet)) == NULL) {
		client_count_put(fe->conns, *share);
		fe->stats.tcp_refused++;
		return -1;
	}
	fe->stats.tcp_displaced++;
	tcp_client_free(quiet);
	return 0;
}

static void
tcp_client_new(struct frontend *fe, int fd, const struct sockaddr_storage *peer,
    socklen_t peerlen)
{
	struct tcp_client	*tc;
	struct timeval		 idle = { TCP_IDLE_SEC, 0 };
	uint32_t		 share;
	int			 on = 1;

	if (tcp_admit(fe, peer, peerlen, &share) == -1) {
		close(fd);
		return;
	}
	if ((tc = calloc(1, sizeof(*tc))) == NULL) {
		client_count_put(fe->conns, share);
		fe->stats.tcp_refused++;
		close(fd);
		return;
	}
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
	/*
	 * Without this the kernel grows the send buffer of a client that
	 * does not read up to net.ipv4.tcp_wmem's maximum (4 MB), for every
	 * connection; with it what is unsent stays here, where it is bounded.
	 */
	tcp_notsent_lowat(fd, TCP_KERNEL_UNSENT);
	tc->fe = fe;
	tc->peer = *peer;
	tc->peerlen = peerlen;
	/* the peer's address never changes: checked once */
	tc->refused = !acl_allowed(fe, peer, peerlen);
	tc->share = share;
	TAILQ_INIT(&tc->queries);
	tc->bev = bufferevent_socket_new(fe->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (tc->bev == NULL) {
		client_count_put(fe->conns, share);
		free(tc);
		close(fd);
		return;
	}
	fe->nclients++;
	evtimer_assign(&tc->deadline, fe->base, tcp_deadline, tc);
	event_assign(&tc->wake, fe->base, -1, 0, tcp_wake, tc);
	bufferevent_setcb(tc->bev, tcp_readable, tcp_written, tcp_event, tc);
	bufferevent_set_timeouts(tc->bev, &idle, &idle);
	/* input stops at two maximal queries, whatever a read would bring */
	bufferevent_setwatermark(tc->bev, EV_READ, 0, TCP_INPUT_MAX);
	(void)bufferevent_set_max_single_read(tc->bev, TCP_INPUT_MAX);
	bufferevent_enable(tc->bev, EV_READ | EV_WRITE);
	tcp_quiet_update(tc, 0);
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
	{ "queries refused by the access list", offsetof(struct
	    frontend_stats, acl_refused) },
	{ "of them dropped (UDP, over the REFUSED rate)", offsetof(
	    struct frontend_stats, acl_dropped) },
	{ "queries refused by the in-flight cap", offsetof(struct
	    frontend_stats, overload) },
	{ "queries over a client's in-flight share", offsetof(struct
	    frontend_stats, overload_client) },
	{ "invalid answers", offsetof(struct frontend_stats, bad_answers) },
	{ "queries timed out", offsetof(struct frontend_stats, timeouts) },
	{ "TCP connections refused", offsetof(struct frontend_stats,
	    tcp_refused) },
	{ "TCP connections over the per-address limit", offsetof(struct
	    frontend_stats, tcp_over_share) },
	{ "quiet TCP connections closed for new ones", offsetof(struct
	    frontend_stats, tcp_displaced) },
	{ "TCP messages not whole in time", offsetof(struct frontend_stats,
	    tcp_slow) },
	{ "TCP clients closed with unread answers", offsetof(struct
	    frontend_stats, tcp_unread) },
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
	char		 line[900];	/* under log.c's 1024 with the prefix */
	size_t		 i, len = 0;
	uint64_t	 delta;
	int		 n;

	line[0] = '\0';
	for (i = 0; i < nitems(troubles); i++) {
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

/* --- what the control socket and the metrics listener report --- */

void
frontend_stats_fill(struct stats_frontend *st)
{
	const struct frontend	*fe = the_frontend;
	const struct frontend_stats *s = &fe->stats;
	struct cache_stats	 cs;

	memset(st, 0, sizeof(*st));
	st->queries[STATS_UDP] = s->queries_udp;
	st->queries[STATS_TCP] = s->queries_tcp;
	memcpy(st->answers, s->rcode, sizeof(st->answers));
	if (fe->cache != NULL) {
		cache_get_stats(fe->cache, &cs);
		st->cache_hits = cs.hits;
		st->cache_stale = cs.stale_hits;
		st->cache_misses = cs.misses;
		st->cache_entries = cs.entries;
	}
	st->ratelimited = s->ratelimited;
	st->malformed_answered = s->rejected;
	st->malformed_dropped = s->dropped;
	st->overload = s->overload + s->overload_client;
	st->timeouts = s->timeouts;
	st->tcp_refused = s->tcp_refused + s->tcp_over_share;
	st->tcp_clients = (uint64_t)fe->nclients;
	st->inflight = fe->nwaiting;
	st->start_time = fe->start_time;
	st->latency = s->latency;
}

long
frontend_cache_flush(const uint8_t *wire, size_t len)
{
	if (the_frontend->cache == NULL)
		return -1;
	return (long)cache_flush(the_frontend->cache, wire, len);
}

/* --- start-up: child.c calls these, by phase --- */

static void
start_listener(struct frontend *fe, struct listener *l)
{
	l->ev = event_new(fe->base, l->fd, EV_READ | EV_PERSIST,
	    l->tcp ? tcp_acceptable : udp_readable, l);
	if (l->ev == NULL || event_add(l->ev, NULL) == -1)
		fatalx("%s: event_new", __func__);
	if (l->tcp && (l->resume = evtimer_new(fe->base, accept_resume,
	    l)) == NULL)
		fatalx("%s: evtimer_new", __func__);
}

/* a reload removed its address: clients it accepted stay */
static void
stop_listener(struct frontend *fe, struct listener *l)
{
	if (!l->tcp && fe->udp_out.n > 0 && fe->udp_out.fd == l->fd)
		udp_flush(fe);
	if (l->ev != NULL)
		event_free(l->ev);
	if (l->resume != NULL)
		event_free(l->resume);
	close(l->fd);
	memset(l, 0, sizeof(*l));
	l->fd = -1;
}

/* at start-up and in a reload's sequence: a socket the parent bound */
static void
add_listener(struct frontend *fe, int fd, int tcp, uint32_t id)
{
	struct listener	*l = NULL;
	size_t		 i;

	for (i = 0; i < MAX_LISTENERS && l == NULL; i++)
		if (fe->listener[i].fd == -1)
			l = &fe->listener[i];
	if (l == NULL)
		fatalx("protocol violation by the parent: too many listeners");
	l->fe = fe;
	l->fd = fd;
	l->tcp = tcp;
	l->id = id;
	l->keep = 1;
	if (fe->serving)
		start_listener(fe, l);
}

static void
frontend_listen_udp(struct channel *ch, struct imsg *imsg, void *arg)
{
	add_listener(arg, imsg->fd, 0, imsg->hdr.peerid);
}

static void
frontend_listen_tcp(struct channel *ch, struct imsg *imsg, void *arg)
{
	add_listener(arg, imsg->fd, 1, imsg->hdr.peerid);
}

/* a configuration names the listeners it keeps, by the parent's id */
static void
frontend_conf_listen(struct channel *ch, struct imsg *imsg, void *arg)
{
	struct frontend	*fe = arg;
	uint32_t	 id;
	size_t		 i;

	memcpy(&id, imsg->data, sizeof(id));
	for (i = 0; i < MAX_LISTENERS; i++)
		if (fe->listener[i].fd != -1 && fe->listener[i].id == id)
			fe->listener[i].keep = 1;
}

/* a configuration's sequence begins: its items are gathered anew */
static void
frontend_conf_begin(void *arg)
{
	struct frontend	*fe = arg;
	size_t		 i;

	for (i = 0; i < MAX_LISTENERS; i++)
		fe->listener[i].keep = 0;
	memset(&fe->pending, 0, sizeof(fe->pending));
}

static void
frontend_listen_control(struct channel *ch, struct imsg *imsg, void *arg)
{
	struct frontend	*fe = arg;

	ctl_listen(fe->base, imsg->fd);
}

static void
frontend_listen_metrics(struct channel *ch, struct imsg *imsg, void *arg)
{
	struct frontend	*fe = arg;

	http_listen(fe->base, imsg->fd);
}

static void
frontend_conf_acl(struct channel *ch, struct imsg *imsg, void *arg)
{
	struct frontend			*fe = arg;
	struct frontend_conf_pending	*pc = &fe->pending;

	if (pc->nacl == CONF_MAX_ACL)
		fatalx("protocol violation by the parent: too many acl rules");
	memcpy(&pc->acl[pc->nacl++], imsg->data, sizeof(pc->acl[0]));
}

static void
frontend_conf_zone(struct channel *ch, struct imsg *imsg, void *arg)
{
	struct frontend			*fe = arg;
	struct frontend_conf_pending	*pc = &fe->pending;

	if (pc->nzone == CONF_MAX_UPSTREAMS)
		fatalx("protocol violation by the parent: too many zones");
	memcpy(pc->zone[pc->nzone], imsg->data, imsg->datalen);
	pc->zonelen[pc->nzone++] = imsg->datalen;
}

/*
 * A zone a reload adds or removes sends its names elsewhere from now on:
 * what the cache holds of the zones of from that to lacks came from the
 * other servers.
 */
static void
flush_moved_zones(struct frontend *fe, const struct zonetab *from,
    const struct zonetab *to)
{
	const uint8_t	*zone;
	size_t		 i, len, matched;

	if (fe->cache == NULL || from == NULL)
		return;
	for (i = 0; i < zonetab_count(from); i++) {
		zone = zonetab_name(from, (int)i, &len);
		if (to == NULL || zonetab_lookup(to, zone, len, &matched) ==
		    -1 || matched != len)
			(void)cache_flush(fe->cache, zone, len);
	}
}

/*
 * The access list and the forward zones of a configuration, made anew
 * and swapped in whole (a reload sends the sequence again).
 */
static void
configure_policy(struct frontend *fe)
{
	struct frontend_conf_pending	*pc = &fe->pending;
	struct acl			*acl;
	struct zonetab			*fwd = NULL;
	size_t				 i;

	if ((acl = acl_new(pc->acl, pc->nacl)) == NULL) {
		if (errno == EINVAL)
			fatalx("protocol violation by the parent: bad "
			    "acl rule");
		fatal("%s: acl_new", __func__);
	}
	if (pc->nzone > 0 && (fwd = zonetab_new(pc->nzone)) == NULL)
		fatal("%s: zonetab_new", __func__);
	for (i = 0; i < pc->nzone; i++)
		if (zonetab_add(fwd, pc->zone[i], pc->zonelen[i]) == -1) {
			if (errno == EINVAL)
				fatalx("protocol violation by the parent: "
				    "bad zone");
			fatal("%s: zonetab_add", __func__);
		}
	flush_moved_zones(fe, fe->fwd, fwd);
	flush_moved_zones(fe, fwd, fe->fwd);
	acl_free(fe->acl);
	zonetab_free(fe->fwd);
	fe->acl = acl;
	fe->fwd = fwd;
	log_debug("%zu allow and deny rules, %zu forward zones", pc->nacl,
	    pc->nzone);
}

/*
 * The cache is kept across a reload: a smaller size evicts the least
 * recently used entries, size 0 empties it.
 */
static void
configure_cache(struct frontend *fe, uint32_t size)
{
	size_t	 bytes = (size_t)size * CACHE_BYTES_PER_ENTRY;

	if (size == 0) {
		cache_free(fe->cache);
		fe->cache = NULL;
	} else if (fe->cache != NULL)
		cache_resize(fe->cache, size, bytes);
	else if ((fe->cache = cache_new(size, bytes)) == NULL)
		fatal("%s: cache_new", __func__);
}

static void
configure_ratelimit(struct frontend *fe, uint32_t old, uint32_t rate)
{
	if (fe->ratelimit != NULL && rate == old)
		return;
	ratelimit_free(fe->ratelimit);
	fe->ratelimit = NULL;
	if (rate > 0 && (fe->ratelimit = ratelimit_new(rate,
	    RATELIMIT_CLIENTS)) == NULL)
		fatal("%s: ratelimit_new", __func__);
}

/*
 * The configuration received is the one served from now on, at start-up
 * and at every reload: the cache and the rate limit resized or made, the
 * listeners it no longer names closed (those it adds came with it).
 */
static void
frontend_configure(void *arg, const struct conf_main *cm)
{
	struct frontend	*fe = arg;
	uint32_t	 old_rate = fe->conf.ratelimit;
	size_t		 i;

	fe->conf = *cm;
	configure_policy(fe);
	configure_cache(fe, cm->cache_size);
	configure_ratelimit(fe, old_rate, cm->ratelimit);
	for (i = 0; i < MAX_LISTENERS; i++)
		if (fe->listener[i].fd != -1 && !fe->listener[i].keep)
			stop_listener(fe, &fe->listener[i]);
}

/* sandboxed now: serve */
static void
frontend_start(void *arg)
{
	struct frontend	*fe = arg;
	size_t		 i;
	int		 n = 0;

	fe->resolver = child_channel(PROC_RESOLVER);
	fe->serving = 1;
	for (i = 0; i < MAX_LISTENERS; i++)
		if (fe->listener[i].fd != -1) {
			start_listener(fe, &fe->listener[i]);
			n++;
		}
	start_trouble_log(fe);
	fe->start_time = (int64_t)time(NULL);
	ctl_start(child_channel(PROC_PARENT), fe->resolver,
	    child_startup()->ctl_uid);
	http_start(fe->resolver);
	log_debug("serving %d sockets", n);
}

static void *
frontend_init(void)
{
	struct frontend	*fe;
	uint32_t	 i;

	if ((fe = calloc(1, sizeof(*fe))) == NULL)
		fatal("%s", __func__);
	fe->base = child_base();
	for (i = 0; i < MAX_INFLIGHT; i++)
		fe->free_slot[i] = MAX_INFLIGHT - 1 - i;
	fe->nfree = MAX_INFLIGHT;
	TAILQ_INIT(&fe->quiet);
	for (i = 0; i < MAX_LISTENERS; i++)
		fe->listener[i].fd = -1;
	histogram_init(&fe->stats.latency);
	the_frontend = fe;
	arc4random_buf(fe->secret, sizeof(fe->secret));
	/* one more than the table: a newcomer is counted before it displaces */
	if ((fe->inflight = client_count_new(MAX_INFLIGHT)) == NULL ||
	    (fe->conns = client_count_new(MAX_TCP_CLIENTS + 1)) == NULL)
		fatal("%s: client_count_new", __func__);
	if ((fe->udp_out.flush = event_new(fe->base, -1, 0, udp_flush_due,
	    fe)) == NULL)
		fatalx("%s: event_new", __func__);
	if ((fe->acl_limit = ratelimit_new(ACL_REFUSED_QPS,
	    ACL_REFUSED_CLIENTS)) == NULL)
		fatal("%s: ratelimit_new", __func__);
	if ((fe->local = localzone_new()) == NULL)
		fatal("%s: localzone_new", __func__);
	return fe;
}

/* from the parent: the sockets, before the first configuration */
static const struct channel_rule frontend_rules_startup[] = {
	{ { IMSG_LISTEN_UDP, 0, 0, 1 }, 0, frontend_listen_udp },
	{ { IMSG_LISTEN_TCP, 0, 0, 1 }, 0, frontend_listen_tcp },
	{ { IMSG_LISTEN_CONTROL, 0, 0, 1 }, RULE_ONCE,
	    frontend_listen_control },
	{ { IMSG_LISTEN_METRICS, 0, 0, 1 }, RULE_ONCE,
	    frontend_listen_metrics },
};

/* from the parent: a configuration's items */
static const struct channel_rule frontend_rules_conf[] = {
	{ { IMSG_CONF_LISTEN, sizeof(uint32_t), sizeof(uint32_t), 0 }, 0,
	    frontend_conf_listen },
	{ { IMSG_LISTEN_UDP, 0, 0, 1 }, 0, frontend_listen_udp },
	{ { IMSG_LISTEN_TCP, 0, 0, 1 }, 0, frontend_listen_tcp },
	{ { IMSG_CONF_ACL, sizeof(struct acl_rule), sizeof(struct acl_rule),
	    0 }, 0, frontend_conf_acl },
	{ { IMSG_CONF_ZONE, 1, DNS_MAXNAME, 0 }, 0, frontend_conf_zone },
};

/* from the parent, once serving */
static const struct channel_rule frontend_rules_parent[] = {
	{ { IMSG_CTL_RESULT, sizeof(struct ctl_result),
	    sizeof(struct ctl_result), 0 }, 0, frontend_ctl_result },
};

/* from the resolver */
static const struct channel_rule frontend_rules_resolver[] = {
	{ { IMSG_ANSWER, DNS_HDRLEN, DNS_MAXMSG, 0 }, 0, frontend_answer },
	{ { IMSG_SERVFAIL, 0, 0, 0 }, 0, frontend_servfail },
	{ { IMSG_CTL_UPSTREAM, sizeof(struct stats_upstream),
	    sizeof(struct stats_upstream), 0 }, 0, frontend_ctl_upstream },
	{ { IMSG_CTL_END, 0, 0, 0 }, 0, frontend_ctl_end },
	{ { IMSG_UPSTREAMS_USABLE, sizeof(uint32_t), sizeof(uint32_t), 0 },
	    0, frontend_upstreams_usable },
};

static const struct child_sibling frontend_siblings[] = {
	{ PROC_RESOLVER, frontend_rules_resolver,
	    nitems(frontend_rules_resolver) },
};

static const struct child_def frontend_def = {
	.role = PROC_FRONTEND,
	.sandbox = SANDBOX_FRONTEND,
	.init = frontend_init,
	.startup_rules = frontend_rules_startup,
	.nstartup_rules = nitems(frontend_rules_startup),
	.conf_rules = frontend_rules_conf,
	.nconf_rules = nitems(frontend_rules_conf),
	.running_rules = frontend_rules_parent,
	.nrunning_rules = nitems(frontend_rules_parent),
	.siblings = frontend_siblings,
	.nsiblings = nitems(frontend_siblings),
	.conf_begin = frontend_conf_begin,
	.configure = frontend_configure,
	.start = frontend_start,
};

void
frontend_main(void)
{
	child_main(&frontend_def);
}
