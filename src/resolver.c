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
 * The resolver process: forwards the frontend's queries to the upstream
 * DNS-over-TLS servers over persistent, pipelined libtls connections,
 * authenticating each server by CA and name, by address, or by SPKI pin,
 * and fails over between upstreams. It never sees a client address: a
 * query is an opaque id and a DNS message. Sandboxed: socket() only for
 * TCP over AF_INET/AF_INET6, connect() only to the upstreams' ports
 * (Landlock), no open(); the CA bundle came in memory, and what is
 * parsed of it is parsed before the sandbox.
 */

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <event2/event.h>
#include <event2/event_struct.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <tls.h>
#include <unistd.h>

#include "addr.h"
#include "channel.h"
#include "child.h"
#include "dns.h"
#include "dnstlsd.h"
#include "idtab.h"
#include "log.h"
#include "control.h"
#include "pin.h"
#include "stats.h"
#include "zone.h"

/* the upstreams a query tried are bits of a uint32_t */
_Static_assert(CONF_MAX_UPSTREAMS <= 32, "rquery.tried is too narrow");

/* the "upstream" lines; forward zone n is group n + 1 */
#define GROUP_DEFAULT		0

#define MAX_CONNS		4	/* per upstream */
#define CONN_INFLIGHT		128	/* on one, before opening another */
#define CONN_MAX_INFLIGHT	(IDTAB_MAX - 1)	/* and the probe: a full idtab */
/*
 * Queries held at once, past which a query is answered SERVFAIL at once.
 * The frontend holds at most 16384 and gives each up after 5 s; we give
 * each up after 4.5 s, so an honest frontend never has us hold more than
 * its 16384. A quarter more leaves room for our deadlines running late
 * under load (the frontend may then reuse a query's place before we let
 * go of it); a compromised frontend gets no more than this, about 12 MB.
 */
#define MAX_QUERIES		20480
#define FULL_LOG_MS		60000	/* "too many queries": once a minute */
#define CONN_IDLE_MS		8000	/* below Cloudflare's 10 s */
#define KEEPALIVE_MIN_MS	100
#define ATTEMPT_MIN_MS		250
#define ATTEMPT_MAX_MS		1000
#define ATTEMPT_UNKNOWN_MS	800	/* no RTT measured yet */
#define HANDSHAKE_MS		2000	/* connect + TLS handshake */
#define SILENT_MS		1000	/* answers owed, nothing heard: probe */
#define BACKOFF_MIN_MS		1000
#define BACKOFF_MAX_MS		60000
#define WIRE_MAX		(2 + DNS_MAXMSG)
#define CONN_INBUF		16384	/* TLS bytes read ahead, per connection */

struct resolver;
struct upstream;

enum conn_state {
	CONN_CONNECTING,
	CONN_HANDSHAKE,
	CONN_READY
};

struct conn {
	struct upstream		*up;
	int			 fd;
	struct tls		*tls;
	enum conn_state		 state;
	struct event		 rev, wev, idle;
	uint8_t			*wbuf;
	size_t			 wlen, wsize;
	uint8_t			*rbuf;
	size_t			 rlen;
	uint8_t			*inbuf;		/* read ahead, for OpenSSL */
	size_t			 inoff, inlen;	/* unread: inbuf[inoff..+inlen] */
	int			 in_dry;	/* a short read emptied the socket */
	int			 in_fed;	/* OpenSSL took some, this call */
	uint64_t		 answers;	/* answered on this connection */
	uint32_t		 idle_ms;	/* ours, or shorter: the server's */
	uint64_t		 opened_ms;
	int			 waiting;	/* answers owed: silence counts */
	int			 hedged;	/* queries asked elsewhere */
	int			 probing;	/* probe sent, nothing heard since */
	int			 probe_out;	/* the probe's ID is in ids */
	uint16_t		 probe_id;
	uint64_t		 heard_ms;	/* last message of any kind */
	uint64_t		 probe_ms;	/* last probe sent */
	uint64_t		 answered_ms;	/* last answer to a query, or
						   when answers became owed */
	struct event		 silence;
	TAILQ_HEAD(, rquery)	 inflight;
	int			 ninflight;
	struct pin_session	 resume;	/* the session store, at connect */
	struct idtab		 ids;		/* upstream ID: rquery or probe */
	TAILQ_ENTRY(conn)	 entry;
};

enum up_state {
	UP_UNKNOWN,
	UP_UP,
	UP_DOWN
};

struct upstream {
	struct resolver		*r;
	int			 idx;
	int			 group;		/* GROUP_DEFAULT or a zone's */
	struct conf_upstream	 conf;
	char			 addr[64];	/* for logs: ADDR@PORT */
	char			 servername[CONF_NAMELEN];
	struct tls_config	*tlscfg;
	int			 session_fd;	/* libtls's session store */
	struct pin_session	 session;	/* what the store holds */
	TAILQ_HEAD(, conn)	 conns;
	int			 nconns;
	enum up_state		 state;
	int			 failures;
	uint64_t		 next_connect_ms;	/* backoff after failures */
	struct event		 probe;
	uint32_t		 srtt_ms;
	/* what struct stats_upstream (stats.h) reports of it */
	uint64_t		 queries, answers, handshakes;
	uint64_t		 resumed;	/* handshakes resuming a session */
	uint64_t		 failed[STATS_NFAILURES];	/* by reason */
	uint8_t			 pin[PIN_LEN];	/* the leaf's SPKI, last seen */
	int64_t			 notafter;	/* the leaf's, last seen */
	uint32_t		 seen;		/* STATS_UPF_PIN, _CERT */
	int			 logged_down;	/* the last state logged */
};

struct rquery {
	struct resolver		*r;
	uint32_t		 fid;		/* the frontend's id */
	struct dns_query	 q;
	struct conn		*conn;
	uint16_t		 upid;		/* id on the upstream connection */
	uint32_t		 tried;		/* bitmask of upstreams */
	int			 group;		/* only its upstreams may serve */
	uint64_t		 sent_ms;
	struct event		 deadline, attempt;
	TAILQ_ENTRY(rquery)	 entry;
};

/* a configuration being received, swapped in at its end */
struct resolver_conf_pending {
	struct conf_upstream	 up[CONF_MAX_UPSTREAMS];
	int			 nup;
	uint8_t			*ca;
	size_t			 calen;
};

struct resolver {
	struct event_base	*base;
	struct conf_main	 conf;
	struct resolver_conf_pending pending;
	struct channel		*frontend;
	struct upstream		*up[CONF_MAX_UPSTREAMS];	/* in order */
	int			 nup;
	struct zonetab		*zones;		/* forward zones; NULL: none */
	int			 rr_next;	/* round-robin position */
	uint8_t			*ca;
	size_t			 calen;
	struct x509_store_st	*castore;	/* for a name and pins */
	uint8_t			 buf[WIRE_MAX];
	uint16_t		 ids[1024];	/* random query IDs, unused */
	size_t			 nids;
	struct dns_query	 probe_q;	/* ". IN NS" */
	int			 nqueries;	/* held, at most MAX_QUERIES */
	uint64_t		 full_refused;	/* SERVFAIL for lack of room */
	uint64_t		 full_logged_ms;
	uint32_t		 usable_told;	/* to the frontend, + 1 */
	uint32_t		 logged_all_down;	/* by group */
	int			 sessions[CONF_MAX_UPSTREAMS];	/* spare */
	int			 nsessions;
	int			 serving;
};

static void	 query_dispatch(struct rquery *);
static int	 usable(const struct upstream *, const struct rquery *);
static void	 conn_fail(struct conn *, const char *, int,
		    enum stats_failure);
static void	 conn_flush(struct conn *);
static void	 conn_suspect(struct conn *, const struct rquery *);
static void	 conn_ready(struct conn *);
static ssize_t	 conn_tls_read(struct tls *, void *, size_t, void *);
static ssize_t	 conn_tls_write(struct tls *, const void *, size_t, void *);

static uint64_t
elapsed_ms(uint64_t since)
{
	uint64_t	 now = monotonic_ms();

	return now > since ? now - since : 0;
}

static void
ms_to_tv(uint32_t ms, struct timeval *tv)
{
	tv->tv_sec = (time_t)(ms / 1000);
	tv->tv_usec = (suseconds_t)(ms % 1000) * 1000;
}

/* --- queries --- */

static void
query_detach(struct rquery *rq)
{
	struct conn	*c = rq->conn;

	if (c == NULL)
		return;
	if (idtab_del(&c->ids, rq->upid) != rq)
		fatalx("%s: query %u not in flight under its id", __func__,
		    rq->fid);
	TAILQ_REMOVE(&c->inflight, rq, entry);
	c->ninflight--;
	rq->conn = NULL;
	event_del(&rq->attempt);
	if (c->ninflight == 0 && c->state == CONN_READY) {
		struct timeval	 tv;

		ms_to_tv(c->idle_ms, &tv);
		evtimer_add(&c->idle, &tv);
	}
}

static void
query_free(struct rquery *rq)
{
	query_detach(rq);
	event_del(&rq->deadline);
	event_del(&rq->attempt);
	rq->r->nqueries--;
	free(rq);
}

static void
query_reply(struct rquery *rq, uint32_t type, const uint8_t *msg, size_t len)
{
	struct resolver	*r = rq->r;

	if (channel_compose(r->frontend, type, rq->fid, -1, msg, len) == -1)
		fatal("%s: imsg_compose", __func__);
	query_free(rq);
}

static void
query_deadline(evutil_socket_t fd, short events, void *arg)
{
	struct rquery	*rq = arg;

	log_debug("query %u: no answer in time, SERVFAIL", rq->fid);
	query_reply(rq, IMSG_SERVFAIL, NULL, 0);
}

static uint32_t
attempt_ms(const struct upstream *up)
{
	uint32_t	 ms;

	if (up->srtt_ms == 0)
		return ATTEMPT_UNKNOWN_MS;
	ms = up->srtt_ms * 4 + 100;
	if (ms < ATTEMPT_MIN_MS)
		ms = ATTEMPT_MIN_MS;
	return ms > ATTEMPT_MAX_MS ? ATTEMPT_MAX_MS : ms;
}

static int
another_upstream(const struct resolver *r, const struct rquery *rq,
    const struct upstream *current)
{
	int	 i;

	for (i = 0; i < r->nup; i++)
		if (r->up[i] != current && usable(r->up[i], rq))
			return 1;
	return 0;
}

/* answers are owed on this connection: start counting its silence */
static void
conn_waiting(struct conn *c)
{
	struct timeval	 tv;

	if (c->waiting)
		return;
	c->waiting = 1;
	c->answered_ms = monotonic_ms();
	ms_to_tv(SILENT_MS, &tv);
	evtimer_add(&c->silence, &tv);
}

/* something came back: the connection lives */
static void
conn_heard(struct conn *c)
{
	struct timeval	 tv;

	c->hedged = 0;
	c->probing = 0;
	c->heard_ms = monotonic_ms();
	if (c->ninflight == 0) {
		c->waiting = 0;
		evtimer_del(&c->silence);
		return;
	}
	ms_to_tv(SILENT_MS, &tv);
	evtimer_add(&c->silence, &tv);
}

/* no answer from this upstream in time: try the next one */
static void
query_attempt_timeout(evutil_socket_t fd, short events, void *arg)
{
	struct rquery	*rq = arg;
	struct conn	*c = rq->conn;
	struct resolver	*r = rq->r;

	/*
	 * Slow, maybe silent: ask another upstream when there is one. A
	 * probe, or the connection's silence timer, decides whether this
	 * one is dead; with no other upstream the query waits for that or
	 * its deadline.
	 */
	if (c != NULL)
		conn_suspect(c, rq);
	if (c != NULL && another_upstream(r, rq, c->up)) {
		rq->tried |= 1U << c->up->idx;
		c->hedged++;
		query_detach(rq);
		query_dispatch(rq);
	}
}

static int
conn_append(struct conn *c, const uint8_t *data, size_t len)
{
	uint8_t	*p;
	size_t	 size;

	if (len > SIZE_MAX / 2 - c->wlen)
		return -1;
	if (c->wlen + len > c->wsize) {
		size = c->wsize == 0 ? 4096 : c->wsize;
		while (size < c->wlen + len)
			size *= 2;
		if ((p = realloc(c->wbuf, size)) == NULL)
			return -1;
		c->wbuf = p;
		c->wsize = size;
	}
	memcpy(c->wbuf + c->wlen, data, len);
	c->wlen += len;
	return 0;
}

/*
 * glibc's arc4random makes one getrandom(2) call per use: a query ID per
 * call cost the resolver a system call per query.  Take them 1024 at a
 * time instead.
 */
static uint16_t
random_id(struct resolver *r)
{
	if (r->nids == 0) {
		arc4random_buf(r->ids, sizeof(r->ids));
		r->nids = nitems(r->ids);
	}
	return r->ids[--r->nids];
}

static uint16_t
conn_random_id(void *arg)
{
	return random_id(arg);
}

/*
 * A fresh upstream ID on c for val (a query, or c itself for the probe).
 * With at most IDTAB_MAX in flight every try failing cannot happen.
 */
static int
conn_new_id(struct conn *c, void *val, uint16_t *idp)
{
	if (idtab_add(&c->ids, val, conn_random_id, c->up->r, idp) == 0)
		return 0;
	if (errno == ENOMEM) {
		log_warn("upstream %s: query id table", c->up->addr);
		return -1;
	}
	fatalx("%s: no free query id with %u in flight", __func__,
	    idtab_count(&c->ids));
}

/*
 * Ask what any resolver answers from memory (". IN NS") under an ID of
 * its own: an answer to anything proves the connection alive, however
 * slow the names it owes; silence again proves it dead. Its ID stays in
 * the table until its answer or the next probe, so a late answer is
 * still known for what it is.
 */
static int
conn_probe(struct conn *c)
{
	struct resolver	*r = c->up->r;
	size_t		 len;
	uint16_t	 id;

	if (c->probe_out) {
		if (idtab_del(&c->ids, c->probe_id) != c)
			fatalx("%s: probe not in flight under its id",
			    __func__);
		c->probe_out = 0;
	}
	if (conn_new_id(c, c, &id) == -1)
		return -1;
	c->probe_id = id;
	c->probe_out = 1;
	len = dns_build_upstream_query(&r->probe_q, id, r->buf + 2,
	    sizeof(r->buf) - 2);
	if (len == 0)
		fatalx("%s: cannot build the probe", __func__);
	r->buf[0] = (uint8_t)(len >> 8);
	r->buf[1] = (uint8_t)len;
	if (conn_append(c, r->buf, len + 2) == -1)
		return -1;
	c->probing = 1;
	event_active(&c->wev, EV_WRITE, 1);
	log_debug("upstream %s: silent with answers owed, probing",
	    c->up->addr);
	return 0;
}

/*
 * Probe c, unless it is being probed or its upstream is on probation
 * (failed, not answered since: one silence is enough there); the answer
 * is due within one attempt timeout. 0 when a probe is on its way.
 */
static int
conn_probe_start(struct conn *c)
{
	struct timeval	 tv;

	if (c->probing || c->up->failures > 0 || c->state != CONN_READY)
		return -1;
	if (conn_probe(c) == -1)
		return -1;
	c->probe_ms = monotonic_ms();
	ms_to_tv(attempt_ms(c->up), &tv);
	evtimer_add(&c->silence, &tv);
	return 0;
}

/*
 * rq's attempt timed out and nothing at all came back on its connection
 * since rq was sent: the first sign of a dead connection, or of a slow
 * name. Tell them apart now rather than after SILENT_MS; but under a
 * stream of slow names, no more than one probe per SILENT_MS.
 */
static void
conn_suspect(struct conn *c, const struct rquery *rq)
{
	if (c->heard_ms < rq->sent_ms && (c->probe_ms == 0 ||
	    elapsed_ms(c->probe_ms) >= SILENT_MS))
		(void)conn_probe_start(c);
}

/*
 * Answers were owed and nothing at all came back for SILENT_MS (or for
 * a probe's attempt timeout): slow names, or a dead connection (or
 * upstream) that TCP knows nothing of. A probe tells them apart; its
 * silence is the verdict. Before the handshake its own timer decides.
 */
static void
conn_silence(evutil_socket_t fd, short events, void *arg)
{
	struct conn	*c = arg;
	struct timeval	 tv;

	if (!c->waiting || (c->ninflight == 0 && c->hedged == 0)) {
		c->waiting = 0;
		c->probing = 0;
		return;
	}
	if (c->state != CONN_READY) {
		ms_to_tv(SILENT_MS, &tv);
		evtimer_add(&c->silence, &tv);
		return;
	}
	if (!c->probing && conn_probe_start(c) == 0)
		return;
	conn_fail(c, c->probing ? "no answer, not even to a probe" :
	    "no answer, connection silent", 1, STATS_FAIL_SILENT);
}

static int
query_send(struct rquery *rq, struct conn *c)
{
	struct resolver	*r = rq->r;
	struct timeval	 tv;
	size_t		 len;
	uint16_t	 id;

	if (conn_new_id(c, rq, &id) == -1)
		return -1;
	len = dns_build_upstream_query(&rq->q, id, r->buf + 2,
	    sizeof(r->buf) - 2);
	if (len == 0)
		goto fail;
	r->buf[0] = (uint8_t)(len >> 8);
	r->buf[1] = (uint8_t)len;
	if (conn_append(c, r->buf, len + 2) == -1)
		goto fail;
	rq->upid = id;
	rq->conn = c;
	TAILQ_INSERT_TAIL(&c->inflight, rq, entry);
	c->ninflight++;
	if (c->state == CONN_READY)
		evtimer_del(&c->idle);	/* busy now; not the handshake timer */
	rq->sent_ms = monotonic_ms();
	c->up->queries++;
	conn_waiting(c);
	ms_to_tv(attempt_ms(c->up), &tv);
	evtimer_assign(&rq->attempt, r->base, query_attempt_timeout, rq);
	evtimer_add(&rq->attempt, &tv);
	/*
	 * Write once the current batch of queries is queued: all of them
	 * leave in one TLS record instead of one record each.
	 */
	if (c->state == CONN_READY)
		event_active(&c->wev, EV_WRITE, 1);
	return 0;
fail:
	(void)idtab_del(&c->ids, id);
	return -1;
}

/* --- upstream health --- */

/*
 * When every upstream is down, the likeliest cause is our own network:
 * treat them all as unknown again so queries try them (the probes keep
 * their backoff) instead of waiting out a minute of backoff.
 */
static void
all_down_reset(struct resolver *r, int group)
{
	int	 i;

	for (i = 0; i < r->nup; i++)
		if (r->up[i]->group == group && r->up[i]->state != UP_DOWN)
			return;
	/* once, until one of the group is up again: not once per probe */
	if (!(r->logged_all_down & (1U << group))) {
		if (group == GROUP_DEFAULT)
			log_warnx("all upstreams down");
		else
			log_warnx("all upstreams of a forward zone down");
	}
	r->logged_all_down |= 1U << group;
	for (i = 0; i < r->nup; i++)
		if (r->up[i]->group == group)
			r->up[i]->state = UP_UNKNOWN;
}

/*
 * Usable: answering, or not known to fail. The frontend's /ready says
 * what this counts; it is told only when the count changes.
 */
static void
usable_tell(struct resolver *r)
{
	uint32_t	 n = 0;
	int		 i;

	for (i = 0; i < r->nup; i++)
		if (r->up[i]->state == UP_UP || (r->up[i]->state ==
		    UP_UNKNOWN && r->up[i]->failures == 0))
			n++;
	if (r->frontend == NULL || r->usable_told == n + 1)
		return;
	if (channel_compose(r->frontend, IMSG_UPSTREAMS_USABLE, 0, -1, &n,
	    sizeof(n)) == 0)
		r->usable_told = n + 1;
}

static void
upstream_failed(struct upstream *up, const char *why,
    enum stats_failure reason)
{
	struct timeval	 tv;
	uint32_t	 ms;
	int		 shift;

	up->failures++;
	up->failed[reason]++;
	shift = up->failures > 7 ? 6 : up->failures - 1;
	ms = (uint32_t)BACKOFF_MIN_MS << shift;
	if (ms > BACKOFF_MAX_MS)
		ms = BACKOFF_MAX_MS;
	ms += arc4random_uniform(ms / 4 + 1);	/* jitter */
	/*
	 * One line per change of state, with its reason: repeated failures
	 * while down (every probe) are debug detail.
	 */
	if (!up->logged_down)
		log_warnx("upstream %s down: %s", up->addr, why);
	else
		log_debug("upstream %s still down: %s", up->addr, why);
	up->logged_down = 1;
	up->state = UP_DOWN;
	/* no new connection before the probe: never a reconnect loop */
	up->next_connect_ms = monotonic_ms() + ms;
	ms_to_tv(ms, &tv);
	evtimer_add(&up->probe, &tv);
	all_down_reset(up->r, up->group);
	usable_tell(up->r);
}

static void
upstream_ok(struct upstream *up)
{
	if (up->logged_down)
		log_info("upstream %s up", up->addr);
	up->logged_down = 0;
	up->r->logged_all_down &= ~(1U << up->group);
	up->state = UP_UP;
	up->failures = 0;
	up->next_connect_ms = 0;
	evtimer_del(&up->probe);
	usable_tell(up->r);
}

/*
 * A handshake completed: worth trying again, but only an answer proves
 * health (a server may shake hands and never answer), so the failure
 * count and its backoff stay until then.
 */
static void
upstream_reachable(struct upstream *up)
{
	if (up->state == UP_DOWN)
		up->state = UP_UNKNOWN;
}

/* --- connections --- */

static void
conn_free(struct conn *c)
{
	struct upstream	*up = c->up;

	event_del(&c->rev);
	event_del(&c->wev);
	evtimer_del(&c->idle);
	evtimer_del(&c->silence);
	if (c->tls != NULL) {
		(void)tls_close(c->tls);
		tls_free(c->tls);
	}
	if (c->fd != -1)
		close(c->fd);
	TAILQ_REMOVE(&up->conns, c, entry);
	up->nconns--;
	idtab_free(&c->ids);
	free(c->wbuf);
	free(c->rbuf);
	free(c->inbuf);		/* after tls_close(): it may still call us */
	free(c);
}

TAILQ_HEAD(rquery_list, rquery);

/*
 * Take the queries off a connection that is going away and free it. When
 * the upstream failed they go to the next upstream; when the server
 * merely closed a connection that had been answering (idle timeout,
 * "close after N queries") they are resent to the same upstream on a new
 * connection: it made progress, and each query's deadline bounds this.
 */
static void
conn_orphan(struct conn *c, struct rquery_list *orphans, int upstream_fault)
{
	struct upstream	*up = c->up;
	struct rquery	*rq;

	while ((rq = TAILQ_FIRST(&c->inflight)) != NULL) {
		query_detach(rq);
		if (upstream_fault)
			rq->tried |= 1U << up->idx;
		TAILQ_INSERT_TAIL(orphans, rq, entry);
	}
	conn_free(c);
}

static void
dispatch_orphans(struct rquery_list *orphans)
{
	struct rquery	*rq;

	while ((rq = TAILQ_FIRST(orphans)) != NULL) {
		TAILQ_REMOVE(orphans, rq, entry);
		query_dispatch(rq);
	}
}

/* the connection is unusable: its queries go elsewhere */
static void
conn_fail(struct conn *c, const char *why, int upstream_fault,
    enum stats_failure reason)
{
	struct rquery_list	 orphans;

	if (upstream_fault)
		upstream_failed(c->up, why, reason);
	else
		log_debug("upstream %s: connection closed: %s", c->up->addr,
		    why);
	TAILQ_INIT(&orphans);
	conn_orphan(c, &orphans, upstream_fault);
	dispatch_orphans(&orphans);
}

/* idle when ready; before that, the handshake took too long */
static void
conn_timer(evutil_socket_t fd, short events, void *arg)
{
	struct conn	*c = arg;

	if (c->state != CONN_READY) {
		conn_fail(c, "connection or TLS handshake timed out", 1,
		    c->state == CONN_CONNECTING ? STATS_FAIL_CONNECT :
		    STATS_FAIL_HANDSHAKE);
		return;
	}
	if (c->ninflight == 0 && c->wlen == 0)
		conn_free(c);
}

static void
conn_want_write(struct conn *c)
{
	if (!event_pending(&c->wev, EV_WRITE, NULL))
		event_add(&c->wev, NULL);
}

/* before each libtls call that may read */
static void
conn_tls_begin(struct conn *c)
{
	c->in_fed = 0;
}

/*
 * After a libtls call returned TLS_WANT_POLLIN: whether to call it again
 * at once. OpenSSL may stop on a record with nothing for us (a TLS 1.3
 * session ticket; libtls turns SSL_MODE_AUTO_RETRY off) with bytes we
 * read ahead still unread, and those make no read event. Only when it
 * took bytes in this call: each time again is progress, never a spin.
 */
static int
conn_tls_again(const struct conn *c)
{
	return c->in_fed && c->inlen > 0;
}

/*
 * A plain upstream (a forward zone's "plain") is DNS over TCP: the same
 * connection engine with the socket where the TLS layer would be, and
 * the same read-ahead buffer. These return what tls_read()/tls_write()
 * would, errors included.
 */
static ssize_t
conn_io_read(struct conn *c, void *buf, size_t len)
{
	if (c->tls == NULL)
		return conn_tls_read(NULL, buf, len, c);
	return tls_read(c->tls, buf, len);
}

static ssize_t
conn_io_write(struct conn *c, const void *buf, size_t len)
{
	if (c->tls == NULL)
		return conn_tls_write(NULL, buf, len, c);
	return tls_write(c->tls, buf, len);
}

static const char *
conn_io_error(struct conn *c)
{
	if (c->tls == NULL)
		return errno != 0 ? strerror(errno) : "i/o error";
	return tls_error(c->tls);
}

static void
conn_flush(struct conn *c)
{
	ssize_t	 n;

	while (c->wlen > 0) {
		conn_tls_begin(c);
		errno = 0;
		n = conn_io_write(c, c->wbuf, c->wlen);
		if (n == TLS_WANT_POLLOUT) {
			conn_want_write(c);
			return;
		}
		if (n == TLS_WANT_POLLIN) {
			/* the read event calls us again: make one */
			if (conn_tls_again(c))
				event_active(&c->rev, EV_READ, 1);
			return;
		}
		if (n < 0) {
			conn_fail(c, conn_io_error(c), 1, STATS_FAIL_CLOSED);
			return;
		}
		memmove(c->wbuf, c->wbuf + n, c->wlen - (size_t)n);
		c->wlen -= (size_t)n;
	}
}

/*
 * Close idle connections before the server does (RFC 7828): a close
 * racing a query costs a resend, an RST costs more.
 */
static void
keepalive(struct conn *c, const uint8_t *msg, size_t len)
{
	uint32_t	 ms;

	if (dns_answer_keepalive(msg, len, &ms) != 1)
		return;
	ms = ms > 2000 ? ms - 1000 : ms / 2;
	if (ms < KEEPALIVE_MIN_MS)
		ms = KEEPALIVE_MIN_MS;
	c->idle_ms = ms < CONN_IDLE_MS ? ms : CONN_IDLE_MS;
}

/*
 * The probe's answer: the connection lives (conn_heard() follows). But a
 * server that answers probes and no query for as long as a query may
 * wait is failing, not slow. -1: c is gone.
 */
static int
probe_answered(struct conn *c)
{
	if (idtab_del(&c->ids, c->probe_id) != c)
		fatalx("%s: probe not in flight under its id", __func__);
	c->probe_out = 0;
	log_debug("upstream %s: probe answered", c->up->addr);
	if (c->waiting && c->ninflight > 0 &&
	    elapsed_ms(c->answered_ms) >= RESOLVE_TIMEOUT_MS) {
		conn_fail(c, "answers probes, no query", 1,
		    STATS_FAIL_SILENT);
		return -1;
	}
	return 0;
}

/* one message from the upstream; -1: c is gone */
static int
handle_answer(struct conn *c, const uint8_t *msg, size_t len)
{
	struct upstream		*up = c->up;
	struct dns_question	 q;
	struct rquery		*rq;
	uint64_t		 rtt;
	uint16_t		 id;
	void			*v;

	if (dns_answer_peek(msg, len, &id, &q) == -1) {
		log_debug("upstream %s: malformed answer ignored", up->addr);
		return 0;
	}
	if ((v = idtab_get(&c->ids, id)) == c)
		return probe_answered(c);
	rq = v;
	if (rq == NULL || !dns_question_equal(&rq->q.q, &q)) {
		log_debug("upstream %s: answer to no query of ours (id %u)",
		    up->addr, id);
		return 0;
	}
	keepalive(c, msg, len);
	c->answered_ms = monotonic_ms();
	rtt = c->answered_ms > rq->sent_ms ? c->answered_ms - rq->sent_ms : 0;
	if (rtt > 60000)
		rtt = 60000;
	/* smoothed like TCP's: 7/8 old, 1/8 new */
	up->srtt_ms = up->srtt_ms == 0 ? (uint32_t)rtt + 1 :
	    (uint32_t)((up->srtt_ms * 7 + rtt) / 8) + 1;
	up->answers++;
	c->answers++;
	upstream_ok(up);
	/* the frontend's line for this query names the client */
	if (log_getverbose() > 0)
		log_debug("query %u: answer from upstream %s in %llu ms",
		    rq->fid, up->addr, (unsigned long long)rtt);
	query_reply(rq, IMSG_ANSWER, msg, len);
	return 0;
}

/*
 * libtls reads through here. Left to itself OpenSSL asks the socket for
 * a record's header, then for its body, a read(2) each, and once more to
 * learn that it is dry; instead one read(2) takes all there is and the
 * records come from memory. Bytes read ahead make no read event: a caller
 * given TLS_WANT_POLLIN asks conn_tls_again() whether to call again.
 */
static ssize_t
conn_tls_read(struct tls *ctx, void *buf, size_t buflen, void *arg)
{
	struct conn	*c = arg;
	ssize_t		 n;

	if (c->inlen == 0) {
		/*
		 * A read shorter than asked emptied the socket: whatever came
		 * since makes it readable (the read event is level-triggered)
		 * and conn_readable() clears in_dry. Saves a read = EAGAIN.
		 */
		if (c->in_dry)
			return TLS_WANT_POLLIN;
		do {
			n = read(c->fd, c->inbuf, CONN_INBUF);
		} while (n == -1 && errno == EINTR);
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return TLS_WANT_POLLIN;
		if (n <= 0)
			return n;	/* EOF, or an error in errno */
		/*
		 * Acknowledge at once what we read. A server whose writes
		 * wait for our ACK (Nagle on its side) would otherwise hold
		 * every answer until our delayed ACK fires or the next query
		 * carries it: 5 ms at 200 queries/s. Linux clears the flag
		 * again by itself, hence after every read.
		 */
		tcp_quickack(c->fd);
		c->inoff = 0;
		c->inlen = (size_t)n;
		c->in_dry = c->inlen < CONN_INBUF;
	}
	if (buflen > c->inlen)
		buflen = c->inlen;
	memcpy(buf, c->inbuf + c->inoff, buflen);
	c->inoff += buflen;
	c->inlen -= buflen;
	c->in_fed = 1;
	return (ssize_t)buflen;
}

/* and writes straight to the socket */
static ssize_t
conn_tls_write(struct tls *ctx, const void *buf, size_t buflen, void *arg)
{
	struct conn	*c = arg;
	ssize_t		 n;

	do {
		n = write(c->fd, buf, buflen);
	} while (n == -1 && errno == EINTR);
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return TLS_WANT_POLLOUT;
	return n;
}

static void
conn_read(struct conn *c)
{
	ssize_t	 n;
	size_t	 mlen, off;

	for (;;) {
		conn_tls_begin(c);
		errno = 0;
		n = conn_io_read(c, c->rbuf + c->rlen, WIRE_MAX - c->rlen);
		if (n == TLS_WANT_POLLIN) {
			if (conn_tls_again(c))
				continue;
			break;
		}
		if (n == TLS_WANT_POLLOUT) {
			conn_want_write(c);	/* conn_writable() reads on */
			break;
		}
		if (n < 0) {
			conn_fail(c, conn_io_error(c), c->answers == 0,
			    STATS_FAIL_CLOSED);
			return;
		}
		if (n == 0) {
			conn_fail(c, "closed by the server", c->answers == 0 &&
			    c->ninflight > 0, STATS_FAIL_CLOSED);
			return;
		}
		c->rlen += (size_t)n;
		off = 0;
		while (c->rlen - off >= 2) {
			mlen = (size_t)c->rbuf[off] << 8 | c->rbuf[off + 1];
			if (mlen < DNS_HDRLEN) {
				conn_fail(c, "bad message length", 1,
				    STATS_FAIL_BADANSWER);
				return;
			}
			if (c->rlen - off < 2 + mlen)
				break;
			if (handle_answer(c, c->rbuf + off + 2, mlen) == -1)
				return;
			off += 2 + mlen;
		}
		if (off > 0)
			conn_heard(c);
		memmove(c->rbuf, c->rbuf + off, c->rlen - off);
		c->rlen -= off;
	}
	if (c->ninflight == 0 && c->wlen == 0 && !evtimer_pending(&c->idle,
	    NULL)) {
		struct timeval	 tv;

		ms_to_tv(c->idle_ms, &tv);
		evtimer_add(&c->idle, &tv);
	}
	conn_flush(c);
}

/* the leaf's subject, issuer and pin, and what it was checked against */
static void
log_auth_failure(const struct upstream *up, const char *what,
    const struct pin_seen *seen)
{
	char	 b64[PIN_B64LEN + 1];
	/* the detail once per state change: a down upstream's is debug */
	void	(*logf)(const char *, ...) = up->logged_down ? log_debug :
		    log_warnx;

	if (!seen->have_leaf) {
		logf("upstream %s: %s: %s", up->addr, what, seen->detail);
		return;
	}
	pin_encode(seen->leaf_pin, b64);
	logf("upstream %s: %s: %s; leaf \"%s\" issued by \"%s\", "
	    "pin-sha256 \"%s\", %d certificate%s presented", up->addr, what,
	    seen->detail, seen->subject, seen->issuer, b64, seen->ncerts,
	    seen->ncerts == 1 ? "" : "s");
}

/*
 * A full handshake with a pinned upstream (README, "Configuration").
 * libtls has
 * verified the CA and the name when the upstream has a name; the pins are
 * matched here on the verified path, never on what was merely sent: with
 * a name, the chain is verified again against the CA bundle (libtls does
 * not tell which path it built); without, the leaf must be pinned or
 * verify up to a pinned certificate it came with.
 */
static int
conn_check_pins(struct conn *c, const uint8_t leaf[PIN_LEN])
{
	struct upstream		*up = c->up;
	struct x509_store_st	*ca = NULL;
	struct pin_seen		 seen;
	enum pin_verdict	 v;
	const uint8_t		*pem;
	size_t			 len = 0;

	if (up->conf.name[0] != '\0' && (ca = up->r->castore) == NULL)
		fatalx("%s: no CA store for a name and pins", __func__);
	pem = tls_peer_cert_chain_pem(c->tls, &len);
	v = pin_chain_check(pem, len,
	    (const uint8_t (*)[PIN_LEN])up->conf.pins, up->conf.npins, ca,
	    &seen);
	switch (v) {
	case PIN_OK:
		break;
	case PIN_NOTPINNED:
		log_auth_failure(up, "pin mismatch", &seen);
		return -1;
	case PIN_UNVERIFIED:
		log_auth_failure(up, "authentication failed", &seen);
		return -1;
	default:
		log_auth_failure(up, "no certificate chain to check pins",
		    &seen);
		return -1;
	}
	/* the pins were checked on the chain of the key the handshake proved */
	if (memcmp(seen.leaf_hash, leaf, PIN_LEN) != 0) {
		snprintf(seen.detail, sizeof(seen.detail), "the chain does "
		    "not start with the certificate of the handshake");
		log_auth_failure(up, "authentication failed", &seen);
		return -1;
	}
	log_debug("upstream %s: pin ok: %s", up->addr, seen.detail);
	return 0;
}

/*
 * A resumed handshake proves that the server holds the session, not
 * anything about a chain (a resumed session carries the leaf alone): it
 * is accepted when it shows the leaf the session was authenticated with
 * (c->resume, the store as this connection read it; see pin.h).
 */
static int
conn_check_resumed(struct conn *c, const uint8_t leaf[PIN_LEN])
{
	struct upstream	*up = c->up;
	struct pin_seen	 seen;
	const uint8_t	*pem;
	size_t		 len = 0;
	char		 shown[PIN_CERTHASH_TEXTLEN + 1];
	char		 was[PIN_CERTHASH_TEXTLEN + 1];

	if (pin_session_resume_ok(&c->resume, leaf))
		return 0;
	pem = tls_peer_cert_chain_pem(c->tls, &len);
	(void)pin_chain_leaf(pem, len, &seen);	/* for the log, if it can */
	pin_certhash_encode(leaf, shown);
	if (c->resume.valid) {
		pin_certhash_encode(c->resume.leaf, was);
		snprintf(seen.detail, sizeof(seen.detail), "leaf %s is not "
		    "the one the session was authenticated with, %s", shown,
		    was);
	} else
		snprintf(seen.detail, sizeof(seen.detail), "leaf %s, and no "
		    "session was authenticated", shown);
	log_auth_failure(up, "resumed session refused", &seen);
	return -1;
}

/*
 * The handshake completed: authenticate it.  libtls has just written this
 * handshake's session to the upstream's store; it stays there only when
 * this returns 0 (the caller empties the store otherwise).
 */
static int
conn_authenticate(struct conn *c)
{
	struct upstream	*up = c->up;
	uint8_t		 leaf[PIN_LEN];

	if (pin_certhash_decode(tls_peer_cert_hash(c->tls), leaf) == -1) {
		log_warnx("upstream %s: authentication failed: no server "
		    "certificate", up->addr);
		return -1;
	}
	if (tls_conn_session_resumed(c->tls)) {
		if (conn_check_resumed(c, leaf) == -1)
			return -1;
	} else if (up->conf.npins > 0 && conn_check_pins(c, leaf) == -1)
		return -1;
	pin_session_keep(&up->session, leaf);
	return 0;
}

/*
 * Empty the store after a handshake that failed: a session of a server
 * that did not authenticate must never be offered, let alone resumed.
 * libtls treats an empty store as "no session" and writes it again only
 * at the end of a handshake it completes, which is checked again then.
 * After a failure of libtls itself too: a write it left half done would
 * fail every tls_connect_cbs() that reads it.
 */
static void
session_forget(struct upstream *up)
{
	struct stat	 sb;

	pin_session_drop(&up->session);
	if (up->session_fd == -1)
		return;
	if (fstat(up->session_fd, &sb) == -1)
		fatal("%s: fstat", __func__);
	if (sb.st_size == 0)
		return;
	if (ftruncate(up->session_fd, 0) == -1)
		fatal("%s: ftruncate", __func__);
	log_debug("upstream %s: stored TLS session dropped", up->addr);
}

/* what show upstreams and the metrics say the server presents now */
static void
conn_note_leaf(struct conn *c)
{
	struct upstream	*up = c->up;
	const uint8_t	*pem;
	uint8_t		 spki[1][PIN_LEN];
	size_t		 len;
	time_t		 t;

	if ((pem = tls_peer_cert_chain_pem(c->tls, &len)) != NULL &&
	    pin_chain_spki(pem, len, spki, 1) >= 1) {
		memcpy(up->pin, spki[0], PIN_LEN);
		up->seen |= STATS_UPF_PIN;
	}
	if ((t = tls_peer_cert_notafter(c->tls)) != -1) {
		up->notafter = (int64_t)t;
		up->seen |= STATS_UPF_CERT;
	}
}

static void
conn_handshake(struct conn *c)
{
	char	 why[256];
	int	 rc;

	do {
		conn_tls_begin(c);
		rc = tls_handshake(c->tls);
	} while (rc == TLS_WANT_POLLIN && conn_tls_again(c));
	if (rc == TLS_WANT_POLLOUT) {
		conn_want_write(c);
		return;
	}
	if (rc == TLS_WANT_POLLIN)
		return;
	if (rc == -1) {
		snprintf(why, sizeof(why), "TLS handshake failed: %s",
		    tls_error(c->tls));
		session_forget(c->up);
		conn_fail(c, why, 1, STATS_FAIL_HANDSHAKE);
		return;
	}
	if (conn_authenticate(c) == -1) {
		/* before conn_fail(): no other connection may read it first */
		session_forget(c->up);
		conn_fail(c, "authentication failed", 1, STATS_FAIL_AUTH);
		return;
	}
	conn_note_leaf(c);
	c->up->handshakes++;
	if (tls_conn_session_resumed(c->tls))
		c->up->resumed++;
	/* TCP and TLS 1.3 take about two round trips: a first RTT guess */
	if (c->up->srtt_ms == 0)
		c->up->srtt_ms = (uint32_t)(elapsed_ms(c->opened_ms) / 2) + 1;
	log_debug("upstream %s: connected, %s %s%s", c->up->addr,
	    tls_conn_version(c->tls), tls_conn_cipher(c->tls),
	    tls_conn_session_resumed(c->tls) ? ", session resumed" : "");
	conn_ready(c);
}

/* connected (and authenticated, over TLS): queries may go */
static void
conn_ready(struct conn *c)
{
	c->state = CONN_READY;
	upstream_reachable(c->up);
	evtimer_del(&c->idle);
	if (c->ninflight == 0) {
		struct timeval	 tv;

		ms_to_tv(c->idle_ms, &tv);
		evtimer_add(&c->idle, &tv);
	}
	/* records that came with the last flight are read ahead already */
	if (c->inlen > 0)
		conn_read(c);
	else
		conn_flush(c);
}

static void
conn_connected(struct conn *c)
{
	struct upstream	*up = c->up;
	socklen_t	 len = sizeof(int);
	char		 why[256];
	int		 err = 0;

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	if (err != 0) {
		snprintf(why, sizeof(why), "connect failed: %s", strerror(err));
		conn_fail(c, why, 1, STATS_FAIL_CONNECT);
		return;
	}
	if (up->conf.plain) {
		/* TCP's handshake is one round trip: a first RTT guess */
		if (up->srtt_ms == 0)
			up->srtt_ms = (uint32_t)elapsed_ms(c->opened_ms) + 1;
		log_debug("upstream %s: connected, plain DNS over TCP",
		    up->addr);
		event_add(&c->rev, NULL);
		conn_ready(c);
		return;
	}
	if ((c->tls = tls_client()) == NULL)
		fatal("%s: tls_client", __func__);
	if (tls_configure(c->tls, up->tlscfg) == -1 ||
	    tls_connect_cbs(c->tls, conn_tls_read, conn_tls_write, c,
	    up->servername) == -1) {
		snprintf(why, sizeof(why), "TLS setup failed: %s",
		    tls_error(c->tls));
		session_forget(up);	/* it may be what libtls could not read */
		conn_fail(c, why, 1, STATS_FAIL_HANDSHAKE);
		return;
	}
	/* libtls read the store just now: what it holds is what may resume */
	c->resume = up->session;
	c->state = CONN_HANDSHAKE;
	event_add(&c->rev, NULL);
	conn_handshake(c);
}

static void
conn_readable(evutil_socket_t fd, short events, void *arg)
{
	struct conn	*c = arg;

	c->in_dry = 0;		/* something came: worth a read(2) again */
	if (c->state == CONN_HANDSHAKE)
		conn_handshake(c);
	else if (c->state == CONN_READY)
		conn_read(c);
}

static void
conn_writable(evutil_socket_t fd, short events, void *arg)
{
	struct conn	*c = arg;

	switch (c->state) {
	case CONN_CONNECTING:
		conn_connected(c);
		break;
	case CONN_HANDSHAKE:
		conn_handshake(c);
		break;
	case CONN_READY:
		/* a read stopped on TLS_WANT_POLLOUT: bytes may wait here */
		if (c->inlen > 0)
			conn_read(c);
		else
			conn_flush(c);
		break;
	}
}

static struct conn *
conn_open(struct upstream *up)
{
	struct resolver	*r = up->r;
	struct conn	*c;
	struct timeval	 tv;
	char		 why[256];
	int		 on = 1;

	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->rbuf = malloc(WIRE_MAX)) == NULL ||
	    (c->inbuf = malloc(CONN_INBUF)) == NULL ||
	    idtab_init(&c->ids) == -1) {
		if (c != NULL) {
			free(c->rbuf);
			free(c->inbuf);
		}
		free(c);
		log_warn("%s", __func__);
		return NULL;
	}
	c->up = up;
	c->idle_ms = CONN_IDLE_MS;
	TAILQ_INIT(&c->inflight);
	c->fd = socket(up->conf.ss.ss_family,
	    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd == -1) {
		log_warn("upstream %s: socket", up->addr);
		idtab_free(&c->ids);
		free(c->rbuf);
		free(c->inbuf);
		free(c);
		return NULL;
	}
	/* no Nagle: a query must leave at once, not wait for an ACK */
	(void)setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
	event_assign(&c->rev, r->base, c->fd, EV_READ | EV_PERSIST,
	    conn_readable, c);
	event_assign(&c->wev, r->base, c->fd, EV_WRITE, conn_writable, c);
	evtimer_assign(&c->idle, r->base, conn_timer, c);
	evtimer_assign(&c->silence, r->base, conn_silence, c);
	TAILQ_INSERT_TAIL(&up->conns, c, entry);
	up->nconns++;
	c->state = CONN_CONNECTING;
	c->opened_ms = monotonic_ms();
	ms_to_tv(HANDSHAKE_MS, &tv);
	evtimer_add(&c->idle, &tv);
	if (connect(c->fd, (struct sockaddr *)&up->conf.ss, up->conf.sslen)
	    == -1 && errno != EINPROGRESS) {
		snprintf(why, sizeof(why), "connect failed: %s",
		    strerror(errno));
		conn_free(c);
		upstream_failed(up, why, STATS_FAIL_CONNECT);
		return NULL;
	}
	conn_want_write(c);
	return c;
}

/*
 * A connection with room, or a new one; when there are MAX_CONNS, the
 * least loaded, up to CONN_MAX_INFLIGHT; NULL when all are full.
 */
static struct conn *
conn_for(struct upstream *up)
{
	struct conn	*c, *best = NULL;

	TAILQ_FOREACH(c, &up->conns, entry) {
		if (c->ninflight < CONN_INFLIGHT)
			return c;
		if (c->ninflight < CONN_MAX_INFLIGHT &&
		    (best == NULL || c->ninflight < best->ninflight))
			best = c;
	}
	if (up->nconns < MAX_CONNS && monotonic_ms() >= up->next_connect_ms &&
	    (c = conn_open(up)) != NULL)
		return c;
	return best;
}

/* --- choosing an upstream --- */

/* answers owed by the upstream, counting those asked elsewhere since */
static int
upstream_owes(const struct upstream *up)
{
	const struct conn	*c;

	TAILQ_FOREACH(c, &up->conns, entry)
		if (c->waiting)
			return 1;
	return 0;
}

/* a connection of up waits for a probe's answer: it may be dead */
static int
upstream_suspect(const struct upstream *up)
{
	const struct conn	*c;

	TAILQ_FOREACH(c, &up->conns, entry)
		if (c->probing)
			return 1;
	return 0;
}

/*
 * An upstream that failed and has not answered since is on probation:
 * one query at a time until it answers, so a server that shakes hands
 * but never answers costs one query per backoff step, not a burst. One
 * being probed gets no new query until the probe is answered.
 */
static int
usable(const struct upstream *up, const struct rquery *rq)
{
	/* never another group's: a zone's names stay with its servers */
	if (up->group != rq->group || rq->tried & (1U << up->idx) ||
	    up->state == UP_DOWN || upstream_suspect(up))
		return 0;
	return up->failures == 0 || !upstream_owes(up);
}

/* among the healthy upstreams not yet tried, the one the policy picks */
static struct upstream *
choose_healthy(struct resolver *r, struct rquery *rq)
{
	struct upstream	*best = NULL;
	int		 i, n;

	switch (r->conf.policy) {
	case POLICY_ROUND_ROBIN:
		for (n = 0; n < r->nup; n++) {
			i = (r->rr_next + n) % r->nup;
			if (usable(r->up[i], rq)) {
				r->rr_next = (i + 1) % r->nup;
				return r->up[i];
			}
		}
		return NULL;
	case POLICY_FASTEST:
		/* measured ones first; handshakes measure them all early */
		for (i = 0; i < r->nup; i++)
			if (usable(r->up[i], rq) && r->up[i]->srtt_ms > 0 &&
			    (best == NULL || r->up[i]->srtt_ms < best->srtt_ms))
				best = r->up[i];
		if (best != NULL)
			return best;
		for (i = 0; i < r->nup; i++)
			if (usable(r->up[i], rq))
				return r->up[i];
		return NULL;
	default:
		for (i = 0; i < r->nup; i++)
			if (usable(r->up[i], rq))
				return r->up[i];
		return NULL;
	}
}

static struct upstream *
choose_upstream(struct resolver *r, struct rquery *rq)
{
	struct upstream	*up;
	int		 i;

	if ((up = choose_healthy(r, rq)) != NULL)
		return up;
	/* all down: keep trying them in order rather than give up */
	for (i = 0; i < r->nup; i++)
		if (r->up[i]->group == rq->group && !(rq->tried & (1U << i)))
			return r->up[i];
	return NULL;
}

static void
query_dispatch(struct rquery *rq)
{
	struct resolver	*r = rq->r;
	struct upstream	*up;
	struct conn	*c;
	int		 n;

	/* each upstream once per query: a dead set fails fast, not in a loop */
	for (n = 0; n < r->nup; n++) {
		if ((up = choose_upstream(r, rq)) == NULL)
			break;
		if ((c = conn_for(up)) != NULL && query_send(rq, c) == 0)
			return;
		rq->tried |= 1U << up->idx;
	}
	log_debug("query %u: every upstream failed, SERVFAIL", rq->fid);
	query_reply(rq, IMSG_SERVFAIL, NULL, 0);
}

/* no room for the query: SERVFAIL now, and a line a minute at most */
static void
refuse_query(struct resolver *r, uint32_t fid)
{
	if (channel_compose(r->frontend, IMSG_SERVFAIL, fid, -1, NULL, 0) ==
	    -1)
		fatal("%s: imsg_compose", __func__);
	r->full_refused++;
	if (r->full_logged_ms != 0 &&
	    elapsed_ms(r->full_logged_ms) < FULL_LOG_MS)
		return;
	log_warnx("no room for more queries (%d held): %llu answered "
	    "SERVFAIL at once", r->nqueries,
	    (unsigned long long)r->full_refused);
	r->full_refused = 0;
	r->full_logged_ms = monotonic_ms();
}

/*
 * The longest forward zone the name is at or under, else the default
 * upstreams. Decided here, never by the frontend: a compromised one must
 * not be able to send a public name in clear to a plain upstream.
 */
static int
query_group(const struct resolver *r, const struct dns_query *q)
{
	size_t	 len;
	int	 zone;

	if (r->zones == NULL ||
	    (zone = zonetab_lookup(r->zones, q->q.qname, q->q.qname_len,
	    &len)) < 0)
		return GROUP_DEFAULT;
	return zone + 1;
}

/* a query from the frontend, under its id */
static void
resolver_query(struct channel *ch, struct imsg *imsg, void *arg)
{
	struct resolver	*r = arg;
	struct rquery	*rq;
	struct timeval	 tv;
	uint32_t	 fid = imsg->hdr.peerid;
	int		 rcode;

	if (r->nqueries >= MAX_QUERIES || (rq = calloc(1, sizeof(*rq))) ==
	    NULL) {
		refuse_query(r, fid);
		return;
	}
	r->nqueries++;
	/* the frontend built this query: anything else is a violation */
	if (dns_query_parse(imsg->data, imsg->datalen, &rq->q, &rcode) !=
	    DNS_ACCEPT)
		fatalx("protocol violation by the frontend: invalid query");
	rq->r = r;
	rq->fid = fid;
	rq->group = query_group(r, &rq->q);
	evtimer_assign(&rq->deadline, r->base, query_deadline, rq);
	evtimer_assign(&rq->attempt, r->base, query_attempt_timeout, rq);
	ms_to_tv(RESOLVE_TIMEOUT_MS, &tv);
	evtimer_add(&rq->deadline, &tv);
	query_dispatch(rq);
}

static void
upstream_probe(evutil_socket_t fd, short events, void *arg)
{
	struct upstream	*up = arg;

	/* a fresh connection: its handshake tells whether it is back */
	if (up->nconns == 0)
		(void)conn_open(up);
}

/* --- start-up --- */

static struct tls_config *
make_tls_config(struct resolver *r, int verify)
{
	struct tls_config	*cfg;
	uint32_t		 protocols;

	if ((cfg = tls_config_new()) == NULL)
		fatal("%s: tls_config_new", __func__);
	if (tls_config_parse_protocols(&protocols, "tlsv1.2,tlsv1.3") == -1 ||
	    tls_config_set_protocols(cfg, protocols) == -1)
		fatalx("%s: %s", __func__, tls_config_error(cfg));
	if (verify) {
		if (r->calen == 0)
			fatalx("no CA bundle to verify upstreams with");
		if (tls_config_set_ca_mem(cfg, r->ca, r->calen) == -1)
			fatalx("CA bundle: %s", tls_config_error(cfg));
	} else {
		/*
		 * Out-of-band key pinned profile (RFC 7858 4.2): the pins
		 * decide, in conn_check_pins(), on the leaf or the path it
		 * verifies up to, never on the CA bundle.
		 */
		tls_config_insecure_noverifycert(cfg);
		tls_config_insecure_noverifyname(cfg);
	}
	return cfg;
}

/*
 * Where libtls keeps an upstream's TLS session between connections: a
 * memory-backed file, made before the sandbox (which allows no open()).
 * libtls wants it owned by us and private; it resumes TLS 1.2 sessions
 * (with OpenSSL 3 it does not resume TLS 1.3 ones).  libtls reads it in
 * tls_connect_cbs() (empty: no session) and rewrites it at the end of
 * every handshake it completes; dnstlsd empties it with ftruncate() after
 * any handshake that failed or did not authenticate.
 *
 * Pinned upstreams resume too: a reconnect then costs one round trip and
 * no signature, and a resumption is authenticated soundly (see
 * conn_check_resumed()): the store only ever holds sessions of
 * handshakes that authenticated in full, and a resumed one must show the
 * very leaf that did.  Not resuming them would be simpler, and no safer.
 */
/* libtls wants a store owned by us: root now, the run-as user soon */
static void
session_pool_chown(struct resolver *r, uid_t uid, gid_t gid)
{
	int	 i;

	for (i = 0; i < r->nsessions; i++)
		if (fchown(r->sessions[i], uid, gid) == -1)
			log_warn("%s: fchown", __func__);
	for (i = 0; i < r->nup; i++)
		if (r->up[i]->session_fd != -1 &&
		    fchown(r->up[i]->session_fd, uid, gid) == -1)
			log_warn("%s: fchown", __func__);
}

static void
session_pool_fill(struct resolver *r)
{
	int	 fd;

	while (r->nsessions < CONF_MAX_UPSTREAMS) {
		if ((fd = memory_file("dnstlsd-session")) == -1) {
			log_warn("%s: no TLS session store", __func__);
			return;
		}
		r->sessions[r->nsessions++] = fd;
	}
}

/*
 * The stores are made before the sandbox, one per upstream there can be:
 * an upstream a reload replaces gives its store back, emptied (what
 * authenticated its sessions may have changed), for the next one.
 */
static void
session_store(struct upstream *up)
{
	struct resolver	*r = up->r;
	int		 fd;

	up->session_fd = -1;
	pin_session_drop(&up->session);
	if (r->nsessions == 0)
		return;
	fd = r->sessions[--r->nsessions];
	if (tls_config_set_session_fd(up->tlscfg, fd) == -1) {
		log_warnx("%s: %s", __func__, tls_config_error(up->tlscfg));
		r->sessions[r->nsessions++] = fd;
		return;
	}
	up->session_fd = fd;
}

static void
session_release(struct upstream *up)
{
	struct resolver	*r = up->r;

	if (up->session_fd == -1)
		return;
	if (ftruncate(up->session_fd, 0) == -1)
		fatal("%s: ftruncate", __func__);
	r->sessions[r->nsessions++] = up->session_fd;
	up->session_fd = -1;
}

/*
 * The CA bundle as a trust store of our own, for upstreams with a name
 * and pins: their chain is verified again to learn the path the pins must
 * be on.  Parsed once, here, before the sandbox; a store with no lookup
 * method never reads a file at handshake time.
 */
static void
make_ca_store(struct resolver *r)
{
	int	 i;

	for (i = 0; i < r->nup; i++)
		if (r->up[i]->conf.npins > 0 && r->up[i]->conf.name[0] != '\0')
			break;
	if (i == r->nup)
		return;
	if (r->calen == 0)
		fatalx("no CA bundle to verify upstreams with");
	if ((r->castore = pin_ca_store(r->ca, r->calen)) == NULL)
		fatalx("CA bundle: no certificate, or one that does not parse");
}

/* whether the CA bundle is among what authenticates it */
static int
upstream_verifies(const struct conf_upstream *cu)
{
	return cu->npins == 0 || cu->name[0] != '\0';
}

/* made of its configuration: TLS settings, a session store */
static void
upstream_setup(struct upstream *up)
{
	evtimer_assign(&up->probe, up->r->base, upstream_probe, up);
	/* the only ports the sandbox lets us connect to */
	if (!up->r->serving)
		child_allow_connect(addr_port(&up->conf.ss));
	if (up->conf.plain)
		return;
	/* one config each: a session belongs to one server */
	up->tlscfg = make_tls_config(up->r, upstream_verifies(&up->conf));
	session_store(up);
}

/* the probe: ". IN NS", what any resolver answers from memory */
static void
make_probe(struct resolver *r)
{
	static const uint8_t	 msg[] = {
		0, 0, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, /* RD, 1 question */
		0,					/* the root */
		0, 2, 0, 1				/* NS, IN */
	};
	int			 rcode;

	if (dns_query_parse(msg, sizeof(msg), &r->probe_q, &rcode) !=
	    DNS_ACCEPT)
		fatalx("%s: the probe does not parse", __func__);
}

/*
 * The host's network changed: what we knew about the upstreams (down,
 * backoff, RTT, the connections themselves) may be wrong now. Start over;
 * queries in flight are resent on the new connections.
 */
static void
resolver_network_changed(struct channel *ch, struct imsg *imsg, void *arg)
{
	struct resolver		*r = arg;
	struct rquery_list	 orphans;
	struct upstream		*up;
	struct conn		*c;
	int			 i;

	TAILQ_INIT(&orphans);
	for (i = 0; i < r->nup; i++) {
		up = r->up[i];
		while ((c = TAILQ_FIRST(&up->conns)) != NULL)
			conn_orphan(c, &orphans, 0);
		evtimer_del(&up->probe);
		up->state = UP_UNKNOWN;
		up->failures = 0;
		up->next_connect_ms = 0;
		up->srtt_ms = 0;
	}
	for (i = 0; i < r->nup; i++)
		(void)conn_open(r->up[i]);
	dispatch_orphans(&orphans);
	usable_tell(r);
}

/* dnstlsctl log verbose|brief, relayed by the parent */
static void
resolver_ctl_log(struct channel *ch, struct imsg *imsg, void *arg)
{
	struct ctl_log	 cl;

	memcpy(&cl, imsg->data, sizeof(cl));
	if (ctl_check_log(&cl) == -1)
		fatalx("protocol violation by the parent: bad log level");
	log_setverbose(cl.level == CTL_LOG_VERBOSE);
}

/* --- what show upstreams and the metrics report --- */

static void
upstream_stats(const struct upstream *up, struct stats_upstream *su)
{
	static const uint32_t	 states[] = {
		[UP_UNKNOWN] = STATS_STATE_UNKNOWN,
		[UP_UP] = STATS_STATE_UP,
		[UP_DOWN] = STATS_STATE_DOWN,
	};
	const struct conn	*c;

	memset(su, 0, sizeof(*su));
	snprintf(su->addr, sizeof(su->addr), "%s", up->addr);
	snprintf(su->name, sizeof(su->name), "%s", up->conf.name);
	if (up->conf.zonelen > 0)
		dns_name_str(up->conf.zone, up->conf.zonelen, su->zone,
		    sizeof(su->zone));
	su->state = states[up->state];
	su->flags = up->seen;
	if (up->conf.plain)
		su->flags |= STATS_UPF_PLAIN;
	if (up->srtt_ms > 0) {
		su->flags |= STATS_UPF_RTT;
		su->srtt_us = up->srtt_ms * 1000;
	}
	su->conns = (uint32_t)up->nconns;
	TAILQ_FOREACH(c, &up->conns, entry)
		su->inflight += (uint32_t)c->ninflight;
	su->queries = up->queries;
	su->answers = up->answers;
	memcpy(su->failures, up->failed, sizeof(su->failures));
	su->handshakes = up->handshakes;
	su->resumptions = up->resumed;
	su->cert_notafter = up->notafter;
	memcpy(su->pin, up->pin, sizeof(su->pin));
}

static void
resolver_show_upstreams(struct channel *ch, struct imsg *imsg, void *arg)
{
	struct resolver		*r = arg;
	struct stats_upstream	 su;
	int			 i;

	for (i = 0; i < r->nup; i++) {
		upstream_stats(r->up[i], &su);
		if (channel_compose(ch, IMSG_CTL_UPSTREAM, imsg->hdr.peerid,
		    -1, &su, sizeof(su)) == -1)
			log_warnx("%s: cannot answer", __func__);
	}
	if (channel_compose(ch, IMSG_CTL_END, imsg->hdr.peerid, -1, NULL,
	    0) == -1)
		log_warnx("%s: cannot answer", __func__);
}

/* --- the configuration: child.c calls these, by phase --- */

static void
resolver_conf_begin(void *arg)
{
	struct resolver	*r = arg;

	free(r->pending.ca);
	memset(&r->pending, 0, sizeof(r->pending));
}

static void
resolver_conf_ca(struct channel *ch, struct imsg *imsg, void *arg)
{
	struct resolver			*r = arg;
	struct resolver_conf_pending	*pc = &r->pending;
	uint8_t				*p;

	if (imsg->datalen > CA_MAXSIZE - pc->calen)
		fatalx("protocol violation by the parent: CA too large");
	if ((p = realloc(pc->ca, pc->calen + imsg->datalen)) == NULL)
		fatal("%s", __func__);
	memcpy(p + pc->calen, imsg->data, imsg->datalen);
	pc->ca = p;
	pc->calen += imsg->datalen;
}

static void
resolver_conf_upstream(struct channel *ch, struct imsg *imsg, void *arg)
{
	struct resolver			*r = arg;
	struct resolver_conf_pending	*pc = &r->pending;
	struct conf_upstream		*cu;

	if (pc->nup == CONF_MAX_UPSTREAMS)
		fatalx("protocol violation by the parent: too many upstreams");
	cu = &pc->up[pc->nup];
	memcpy(cu, imsg->data, sizeof(*cu));
	if ((cu->ss.ss_family != AF_INET && cu->ss.ss_family != AF_INET6) ||
	    cu->sslen > sizeof(cu->ss) || cu->npins < 0 ||
	    cu->npins > CONF_MAX_PINS ||
	    memchr(cu->name, '\0', sizeof(cu->name)) == NULL ||
	    cu->zonelen > DNS_MAXNAME || cu->plain > 1 ||
	    (cu->plain && cu->zonelen == 0))
		fatalx("protocol violation by the parent: bad upstream");
	pc->nup++;
}

static struct upstream *
upstream_new(struct resolver *r, const struct conf_upstream *cu)
{
	struct upstream	*up;
	char		 addr[INET6_ADDRSTRLEN];

	if ((up = calloc(1, sizeof(*up))) == NULL)
		fatal("%s", __func__);
	up->r = r;
	up->session_fd = -1;
	up->conf = *cu;
	TAILQ_INIT(&up->conns);
	addr_str(&cu->ss, addr, sizeof(addr));
	snprintf(up->addr, sizeof(up->addr), "%s@%u", addr,
	    addr_port(&cu->ss));
	/* a name is verified against the chain; else the address (IP SAN) */
	snprintf(up->servername, sizeof(up->servername), "%s",
	    cu->name[0] != '\0' ? cu->name : addr);
	return up;
}

/* replaced by a reload: its queries go to the upstreams that stay */
static void
upstream_free(struct upstream *up, struct rquery_list *orphans)
{
	struct conn	*c;

	while ((c = TAILQ_FIRST(&up->conns)) != NULL)
		conn_orphan(c, orphans, 0);
	evtimer_del(&up->probe);
	session_release(up);
	tls_config_free(up->tlscfg);
	log_debug("upstream %s removed", up->addr);
	free(up);
}

/* old upstream indexes in a tried mask to the new ones */
static uint32_t
tried_remap(uint32_t tried, const int *newidx)
{
	uint32_t	 out = 0;
	int		 i;

	for (i = 0; i < CONF_MAX_UPSTREAMS; i++)
		if ((tried & (1U << i)) && newidx[i] != -1)
			out |= 1U << newidx[i];
	return out;
}

static void
remap_queries(struct resolver *r, struct rquery_list *orphans,
    const int *newidx)
{
	struct rquery	*rq;
	struct conn	*c;
	int		 i;

	TAILQ_FOREACH(rq, orphans, entry) {
		rq->tried = tried_remap(rq->tried, newidx);
		rq->group = query_group(r, &rq->q);
	}
	for (i = 0; i < r->nup; i++)
		TAILQ_FOREACH(c, &r->up[i]->conns, entry)
			TAILQ_FOREACH(rq, &c->inflight, entry) {
				rq->tried = tried_remap(rq->tried, newidx);
				rq->group = query_group(r, &rq->q);
			}
}

/*
 * The upstreams' groups: zone n of the table is group n + 1, in the
 * order the zones first appear (zonetab_add()'s index).  Made anew by
 * every configuration: a kept upstream may change group, never zone.
 */
static void
configure_groups(struct resolver *r, const int *fresh)
{
	struct upstream	*up;
	char		 zone[4 * DNS_MAXNAME + 1];
	int		 i, idx, ndefault = 0;

	zonetab_free(r->zones);
	r->zones = NULL;
	for (i = 0; i < r->nup; i++) {
		up = r->up[i];
		up->group = GROUP_DEFAULT;
		if (up->conf.zonelen == 0) {
			ndefault++;
			continue;
		}
		if (r->zones == NULL && (r->zones =
		    zonetab_new(CONF_MAX_UPSTREAMS)) == NULL)
			fatal("%s: zonetab_new", __func__);
		if ((idx = zonetab_add(r->zones, up->conf.zone,
		    up->conf.zonelen)) == -1) {
			if (errno == EINVAL)
				fatalx("protocol violation by the parent: "
				    "bad zone");
			fatal("%s: zonetab_add", __func__);
		}
		up->group = idx + 1;
		if (up->conf.plain && fresh[i]) {
			dns_name_str(up->conf.zone, up->conf.zonelen, zone,
			    sizeof(zone));
			log_warnx("zone %s is forwarded in plain text to %s",
			    zone, up->addr);
		}
	}
	if (ndefault == 0)
		fatalx("protocol violation by the parent: no default upstream");
}

/*
 * The new CA bundle; the trust store for names with pins is made again
 * only when it changed.
 */
static int
ca_swap(struct resolver *r, struct resolver_conf_pending *pc)
{
	struct x509_store_st	*st;
	int			 same;

	same = r->ca != NULL && pc->calen == r->calen &&
	    memcmp(pc->ca, r->ca, r->calen) == 0;
	/* a reload must not end the daemon: a bundle that does not parse */
	if (r->serving && !same && pc->calen > 0) {
		if ((st = pin_ca_store(pc->ca, pc->calen)) == NULL) {
			log_warnx("the new CA bundle holds no certificate that "
			    "parses: the running one stays");
			free(pc->ca);
			pc->ca = NULL;
			return 1;
		}
		pin_ca_store_free(st);
	}
	free(r->ca);
	r->ca = pc->ca;
	r->calen = pc->calen;
	pc->ca = NULL;
	return same;
}

/*
 * The configuration received is the one served from now on, at start-up
 * and at every reload. An upstream whose configuration is byte for byte
 * the same (and, when the CA bundle authenticates it, the bundle too) is
 * kept with its connections, its TLS session store and its figures;
 * every other is made anew, and one no longer configured is closed, its
 * queries in flight sent again to the upstreams that stay. Before the
 * sandbox everything is made here; after it, nothing here opens a file
 * (the session stores come from the pool made before) and the parent has
 * refused a port the sandbox would not let us connect to.
 */
static void
resolver_configure(void *arg, const struct conf_main *cm)
{
	struct resolver			*r = arg;
	struct resolver_conf_pending	*pc = &r->pending;
	const struct proc_startup	*ps = child_startup();
	struct upstream			*old[CONF_MAX_UPSTREAMS];
	struct upstream			*up[CONF_MAX_UPSTREAMS];
	struct rquery_list		 orphans;
	int				 newidx[CONF_MAX_UPSTREAMS];
	int				 i, j, nold, ca_same, fresh[CONF_MAX_UPSTREAMS];

	if (pc->nup == 0)
		fatalx("protocol violation by the parent: no upstream");
	if (!r->serving)
		session_pool_fill(r);
	r->conf = *cm;
	ca_same = ca_swap(r, pc);
	nold = r->nup;
	memcpy(old, r->up, sizeof(old));
	for (i = 0; i < CONF_MAX_UPSTREAMS; i++)
		newidx[i] = -1;
	for (i = 0; i < pc->nup; i++) {
		up[i] = NULL;
		for (j = 0; j < nold && up[i] == NULL; j++)
			if (old[j] != NULL && memcmp(&old[j]->conf, &pc->up[i],
			    sizeof(pc->up[i])) == 0 && (ca_same ||
			    !upstream_verifies(&pc->up[i]))) {
				up[i] = old[j];
				old[j] = NULL;
				newidx[j] = i;
			}
		fresh[i] = up[i] == NULL;
		if (fresh[i])
			up[i] = upstream_new(r, &pc->up[i]);
		up[i]->idx = i;
	}
	TAILQ_INIT(&orphans);
	for (j = 0; j < nold; j++)
		if (old[j] != NULL)
			upstream_free(old[j], &orphans);
	memcpy(r->up, up, (size_t)pc->nup * sizeof(up[0]));
	r->nup = pc->nup;
	if (r->rr_next >= r->nup)
		r->rr_next = 0;
	configure_groups(r, fresh);
	remap_queries(r, &orphans, newidx);
	if (!ca_same) {
		pin_ca_store_free(r->castore);
		r->castore = NULL;
		make_ca_store(r);
	}
	for (i = 0; i < r->nup; i++)
		if (fresh[i]) {
			upstream_setup(r->up[i]);
			if (r->serving)
				(void)conn_open(r->up[i]);
		}
	if (!r->serving) {
		/* still ours once we are the run-as user */
		session_pool_chown(r, ps->uid, ps->gid);
		return;
	}
	for (i = 0, j = 0; i < r->nup; i++)
		j += !fresh[i];
	log_info("configuration reloaded: %d upstreams, %d kept with their "
	    "connections", r->nup, j);
	dispatch_orphans(&orphans);
	usable_tell(r);
}

/* sandboxed now: a warm connection to every upstream */
static void
resolver_start(void *arg)
{
	struct resolver	*r = arg;
	int		 i;

	r->frontend = child_channel(PROC_FRONTEND);
	r->serving = 1;
	/* the first client query should not pay a handshake */
	for (i = 0; i < r->nup; i++)
		(void)conn_open(r->up[i]);
	usable_tell(r);
	log_debug("forwarding to %d upstreams", r->nup);
}

static void *
resolver_init(void)
{
	struct resolver	*r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		fatal("%s", __func__);
	r->base = child_base();
	/* before the sandbox: OpenSSL reads its configuration here */
	if (tls_init() == -1)
		fatalx("tls_init");
	make_probe(r);
	return r;
}

/* from the parent: the items of a configuration */
static const struct channel_rule resolver_rules_conf[] = {
	{ { IMSG_CA_CHUNK, 1, CA_CHUNK, 0 }, 0, resolver_conf_ca },
	{ { IMSG_CONF_UPSTREAM, sizeof(struct conf_upstream),
	    sizeof(struct conf_upstream), 0 }, 0, resolver_conf_upstream },
};

/* from the parent, once serving */
static const struct channel_rule resolver_rules_parent[] = {
	{ { IMSG_NETWORK_CHANGED, 0, 0, 0 }, 0, resolver_network_changed },
	{ { IMSG_CTL_LOG, sizeof(struct ctl_log), sizeof(struct ctl_log), 0 },
	    0, resolver_ctl_log },
};

/* from the frontend */
static const struct channel_rule resolver_rules_frontend[] = {
	{ { IMSG_QUERY, DNS_HDRLEN, DNS_MAXMSG, 0 }, 0, resolver_query },
	{ { IMSG_CTL_SHOW_UPSTREAMS, 0, 0, 0 }, 0, resolver_show_upstreams },
};

static const struct child_sibling resolver_siblings[] = {
	{ PROC_FRONTEND, resolver_rules_frontend,
	    nitems(resolver_rules_frontend) },
};

static const struct child_def resolver_def = {
	.role = PROC_RESOLVER,
	.sandbox = SANDBOX_RESOLVER,
	.init = resolver_init,
	.conf_rules = resolver_rules_conf,
	.nconf_rules = nitems(resolver_rules_conf),
	.running_rules = resolver_rules_parent,
	.nrunning_rules = nitems(resolver_rules_parent),
	.siblings = resolver_siblings,
	.nsiblings = nitems(resolver_siblings),
	.conf_begin = resolver_conf_begin,
	.configure = resolver_configure,
	.start = resolver_start,
};

void
resolver_main(void)
{
	child_main(&resolver_def);
}
