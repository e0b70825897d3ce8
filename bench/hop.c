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
 * hop: the frontend <-> resolver channel in isolation.
 *
 * Two processes over an AF_UNIX stream socketpair, made as the parent
 * makes the daemon's: this one plays the frontend, its child the
 * resolver. Each has its own libevent loop and its own channel, the
 * daemon's own code: imsg.c for the framing, channel.c for the reads
 * (checked against the receiver's rules and dispatched to a handler)
 * and the writes (one per pass of the loop, a write event waiting only
 * when the socket is full). The frontend composes IMSG_QUERY with a DNS
 * query and its slot id as peerid; the resolver answers each at once
 * with an IMSG_ANSWER of a realistic size, so what is measured is the
 * hop and nothing behind it.
 *
 * 1. Latency: round trips paced open loop at a low rate, each timed with
 *    CLOCK_MONOTONIC from just before its compose to the answer's get.
 * 2. Saturation: a window of queries kept in flight; each answer read
 *    is replaced by a new query composed in the same wakeup, and all of
 *    them leave together at the end of the pass, as in a busy frontend.
 *    Round trips/s, and CPU per round trip of both processes together.
 *
 * Prints one JSON object on stdout. Every phase is bounded in time, and
 * an alarm bounds the whole run.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <event2/event.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "channel.h"
#include "dns.h"
#include "dnstlsd.h"
#include "log.h"

#define NSEC		1000000000ULL
#define MAX_ROUNDTRIPS	2000000	/* latency phase: timestamps kept */
#define DRAIN_NS	(2 * NSEC)	/* answers still due after a phase */

static void	 resolver_query(struct channel *, struct imsg *, void *);
static void	 frontend_answer(struct channel *, struct imsg *, void *);

/* the channel's messages, as the daemon's frontend and resolver check them */
static const struct channel_rule resolver_rules_frontend[] = {
	{ { IMSG_QUERY, DNS_HDRLEN, DNS_MAXMSG, 0 }, 0, resolver_query },
};

static const struct channel_rule frontend_rules_resolver[] = {
	{ { IMSG_ANSWER, DNS_HDRLEN, DNS_MAXMSG, 0 }, 0, frontend_answer },
	{ { IMSG_SERVFAIL, 0, 0, 0 }, 0, frontend_answer },
};

/*
 * A canonical query as the frontend builds it: RD, one question
 * (www.hop-benchmark.example.net A IN) and an EDNS0 OPT record.
 */
static const uint8_t query[] = {
	0x00, 0x00, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x01,
	3, 'w', 'w', 'w',
	13, 'h', 'o', 'p', '-', 'b', 'e', 'n', 'c', 'h', 'm', 'a', 'r', 'k',
	7, 'e', 'x', 'a', 'm', 'p', 'l', 'e',
	3, 'n', 'e', 't', 0,
	0x00, 0x01, 0x00, 0x01,
	0x00, 0x00, 0x29, 0x04, 0xd0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

struct params {
	long		 rate;		/* latency: round trips/s */
	long		 lat_s;		/* latency: seconds */
	long		 sat_s;		/* saturation: seconds */
	long		 window;	/* saturation: in flight */
	long		 answer;	/* answer bytes */
};

enum phase {
	PHASE_LATENCY,
	PHASE_SATURATION
};

struct frontend {
	const struct params	*p;
	struct event_base	*base;
	struct channel		 ch;		/* to the resolver side */
	struct event		*tick;
	pid_t			 child;
	enum phase		 phase;
	uint64_t		 t0;		/* phase start, ns */
	uint64_t		 deadline;	/* give up after this */
	/* latency */
	uint64_t		*sent;		/* per query: compose time */
	uint64_t		*rtt;		/* per query: round trip, 0 none */
	size_t			 total, nsent, nrecv;
	/* saturation */
	int			 stopping;
	uint64_t		 inflight, sat_recv, sat_count;
	uint64_t		 sat_ns, cpu_fe_ns, cpu_rs_ns;
	clockid_t		 child_clock;
};

struct resolver {
	struct event_base	*base;
	struct channel		 ch;		/* to the frontend side */
	uint8_t			*answer;
	size_t			 answerlen;
};

static __attribute__((__noreturn__)) void
usage(void)
{
	fprintf(stderr, "usage: hop [-a answer-bytes] [-r rate] [-s seconds] "
	    "[-t seconds] [-w window]\n");
	exit(2);
}

static long
number(const char *s, long min, long max, const char *what)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < min || v > max)
		errx(2, "%s: %s: not a number from %ld to %ld", what, s, min,
		    max);
	return v;
}

static uint64_t
now_ns(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		err(1, "clock_gettime");
	return (uint64_t)ts.tv_sec * NSEC + (uint64_t)ts.tv_nsec;
}

static uint64_t
cpu_ns(clockid_t clock)
{
	struct timespec	 ts;

	if (clock_gettime(clock, &ts) == -1)
		err(1, "clock_gettime (CPU clock)");
	return (uint64_t)ts.tv_sec * NSEC + (uint64_t)ts.tv_nsec;
}

static void
ns_to_tv(uint64_t ns, struct timeval *tv)
{
	tv->tv_sec = (time_t)(ns / NSEC);
	tv->tv_usec = (suseconds_t)(ns % NSEC / 1000);
}

static void
on_alarm(int sig)
{
	static const char	 msg[] = "hop: timed out\n";
	ssize_t			 n;

	n = write(STDERR_FILENO, msg, sizeof(msg) - 1);
	_exit(n == -1 ? 2 : 1);
}

/* --- the resolver side: answers every query at once --- */

static void
resolver_query(struct channel *ch, struct imsg *imsg, void *arg)
{
	struct resolver	*rs = arg;

	if (channel_compose(ch, IMSG_ANSWER, imsg->hdr.peerid, -1, rs->answer,
	    rs->answerlen) == -1)
		fatal("%s: channel_compose", __func__);
}

/* the frontend is done */
static void
resolver_done(struct channel *ch, void *arg)
{
	_exit(0);
}

static __attribute__((__noreturn__)) void
resolver_side(int fd, const struct params *p)
{
	struct resolver	 rs;

	memset(&rs, 0, sizeof(rs));
	log_init(1, 0, "hop resolver");
	/* a realistic answer: the query with QR set, then record bytes */
	rs.answerlen = (size_t)p->answer;
	if ((rs.answer = calloc(1, rs.answerlen)) == NULL)
		fatal("%s", __func__);
	memcpy(rs.answer, query, rs.answerlen < sizeof(query) ?
	    rs.answerlen : sizeof(query));
	rs.answer[2] |= 0x80;
	if ((rs.base = event_base_new()) == NULL)
		fatalx("event_base_new");
	channel_init(&rs.ch, fd, "frontend", rs.base, &rs, resolver_done);
	channel_set_rules(&rs.ch, resolver_rules_frontend,
	    nitems(resolver_rules_frontend));
	channel_start(&rs.ch);
	event_base_dispatch(rs.base);
	fatalx("event loop ended");
}

/* --- the frontend side: sends, times and counts --- */

static void
compose_query(struct frontend *fe, uint32_t id)
{
	if (channel_compose(&fe->ch, IMSG_QUERY, id, -1, query,
	    sizeof(query)) == -1)
		fatal("%s: channel_compose", __func__);
}

static void
tick_at(struct frontend *fe, uint64_t when)
{
	struct timeval	 tv;
	uint64_t	 now = now_ns();

	ns_to_tv(when > now ? when - now : 0, &tv);
	evtimer_add(fe->tick, &tv);
}

/* Latency: send what is due by now, open loop, then wait for the next. */
static void
latency_tick(struct frontend *fe)
{
	uint64_t	 now = now_ns(), due;

	if (fe->nsent == fe->total) {
		if (now >= fe->deadline)
			errx(1, "latency: %zu of %zu answers missing after "
			    "%llu s", fe->total - fe->nrecv, fe->total,
			    (unsigned long long)(DRAIN_NS / NSEC));
		tick_at(fe, fe->deadline);
		return;
	}
	due = (now - fe->t0) * (uint64_t)fe->p->rate / NSEC + 1;
	if (due > fe->total)
		due = fe->total;
	while (fe->nsent < due) {
		fe->sent[fe->nsent] = now_ns();
		compose_query(fe, (uint32_t)fe->nsent);
		fe->nsent++;
	}
	if (fe->nsent < fe->total)
		tick_at(fe, fe->t0 + fe->nsent * NSEC / (uint64_t)fe->p->rate);
	else {
		fe->deadline = now_ns() + DRAIN_NS;
		tick_at(fe, fe->deadline);
	}
}

static void
saturation_stop(struct frontend *fe)
{
	uint64_t	 now = now_ns();

	if (!fe->stopping) {
		/* the figures: from the first query to here */
		fe->cpu_fe_ns = cpu_ns(CLOCK_PROCESS_CPUTIME_ID) - fe->cpu_fe_ns;
		fe->cpu_rs_ns = cpu_ns(fe->child_clock) - fe->cpu_rs_ns;
		fe->sat_ns = now - fe->t0;
		fe->sat_count = fe->sat_recv;
		fe->stopping = 1;
		fe->deadline = now + DRAIN_NS;
	} else if (now >= fe->deadline)
		errx(1, "saturation: %llu answers missing after %llu s",
		    (unsigned long long)fe->inflight,
		    (unsigned long long)(DRAIN_NS / NSEC));
	if (fe->inflight == 0) {
		event_base_loopbreak(fe->base);
		return;
	}
	tick_at(fe, fe->deadline);
}

static void
frontend_tick(evutil_socket_t fd, short events, void *arg)
{
	struct frontend	*fe = arg;

	if (fe->phase == PHASE_LATENCY)
		latency_tick(fe);
	else
		saturation_stop(fe);
}

static void
frontend_answer(struct channel *ch, struct imsg *imsg, void *arg)
{
	struct frontend	*fe = arg;
	uint64_t	 now = now_ns();
	uint32_t	 id = imsg->hdr.peerid;

	if (imsg->hdr.type != IMSG_ANSWER)
		errx(1, "query %u: SERVFAIL from the resolver side", id);
	if (fe->phase == PHASE_LATENCY) {
		if (id >= fe->nsent || fe->rtt[id] != 0)
			errx(1, "latency: unexpected answer %u", id);
		fe->rtt[id] = now - fe->sent[id] > 0 ? now - fe->sent[id] : 1;
		if (++fe->nrecv == fe->total)
			event_base_loopbreak(fe->base);
		return;
	}
	if (fe->inflight == 0)
		errx(1, "saturation: unexpected answer %u", id);
	fe->inflight--;
	fe->sat_recv++;
	if (!fe->stopping) {
		compose_query(fe, id);
		fe->inflight++;
	} else if (fe->inflight == 0)
		event_base_loopbreak(fe->base);
}

static void
frontend_closed(struct channel *ch, void *arg)
{
	struct frontend	*fe = arg;
	int		 status;

	if (waitpid(fe->child, &status, WNOHANG) == fe->child)
		errx(1, "the resolver side exited (status 0x%x)", status);
	errx(1, "the resolver side closed the channel");
}

static void
run_latency(struct frontend *fe)
{
	fe->phase = PHASE_LATENCY;
	fe->total = (size_t)(fe->p->rate * fe->p->lat_s);
	if ((fe->sent = calloc(fe->total, sizeof(*fe->sent))) == NULL ||
	    (fe->rtt = calloc(fe->total, sizeof(*fe->rtt))) == NULL)
		err(1, "calloc");
	fe->t0 = now_ns();
	latency_tick(fe);
	if (event_base_dispatch(fe->base) == -1)
		errx(1, "event_base_dispatch");
	if (fe->nrecv != fe->total)
		errx(1, "latency: the loop ended with %zu of %zu answers",
		    fe->nrecv, fe->total);
	evtimer_del(fe->tick);
}

static void
run_saturation(struct frontend *fe)
{
	struct timeval	 tv;
	long		 i;

	fe->phase = PHASE_SATURATION;
	fe->cpu_fe_ns = cpu_ns(CLOCK_PROCESS_CPUTIME_ID);
	fe->cpu_rs_ns = cpu_ns(fe->child_clock);
	fe->t0 = now_ns();
	for (i = 0; i < fe->p->window; i++) {
		compose_query(fe, (uint32_t)i);
		fe->inflight++;
	}
	ns_to_tv((uint64_t)fe->p->sat_s * NSEC, &tv);
	evtimer_add(fe->tick, &tv);
	if (event_base_dispatch(fe->base) == -1)
		errx(1, "event_base_dispatch");
	if (!fe->stopping || fe->inflight != 0)
		errx(1, "saturation: the loop ended early");
	evtimer_del(fe->tick);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* nearest rank, in microseconds */
static double
pct_us(const uint64_t *sorted, size_t n, unsigned int pct)
{
	size_t	 rank = (n * pct + 99) / 100;

	if (rank == 0)
		rank = 1;
	return (double)sorted[rank - 1] / 1e3;
}

static void
report(struct frontend *fe)
{
	const struct params	*p = fe->p;
	size_t			 n = fe->total;
	double			 secs, cpu;

	qsort(fe->rtt, n, sizeof(*fe->rtt), cmp_u64);
	secs = (double)fe->sat_ns / 1e9;
	cpu = (double)(fe->cpu_fe_ns + fe->cpu_rs_ns) / 1e3;
	printf("{\"rate_rtt_per_s\": %ld, \"rtt_seconds\": %ld, "
	    "\"sat_seconds\": %ld, \"window\": %ld, \"query_bytes\": %zu, "
	    "\"answer_bytes\": %ld, \"cpus\": %ld, "
	    "\"rtt_count\": %zu, \"rtt_p50_us\": %.1f, \"rtt_p90_us\": %.1f, "
	    "\"rtt_p99_us\": %.1f, \"rtt_max_us\": %.1f, "
	    "\"sat_rt\": %llu, \"sat_rt_per_s\": %.0f, "
	    "\"sat_cpu_us_per_rt\": %.3f, \"sat_cpu_frontend_us_per_rt\": %.3f, "
	    "\"sat_cpu_resolver_us_per_rt\": %.3f}\n",
	    p->rate, p->lat_s, p->sat_s, p->window, sizeof(query), p->answer,
	    sysconf(_SC_NPROCESSORS_ONLN), n,
	    pct_us(fe->rtt, n, 50), pct_us(fe->rtt, n, 90),
	    pct_us(fe->rtt, n, 99), (double)fe->rtt[n - 1] / 1e3,
	    (unsigned long long)fe->sat_count,
	    (double)fe->sat_count / secs,
	    cpu / (double)fe->sat_count,
	    (double)fe->cpu_fe_ns / 1e3 / (double)fe->sat_count,
	    (double)fe->cpu_rs_ns / 1e3 / (double)fe->sat_count);
	if (fflush(stdout) == EOF || ferror(stdout))
		err(1, "stdout");
}

int
main(int argc, char *argv[])
{
	struct params	 p = { 200, 10, 5, 256, 120 };
	struct frontend	 fe;
	int		 ch, pair[2], status;
	pid_t		 pid;

	while ((ch = getopt(argc, argv, "a:r:s:t:w:")) != -1) {
		switch (ch) {
		case 'a':
			p.answer = number(optarg, DNS_HDRLEN, DNS_MAXMSG,
			    "answer bytes");
			break;
		case 'r':
			p.rate = number(optarg, 1, 100000, "rate");
			break;
		case 's':
			p.sat_s = number(optarg, 1, 600, "saturation seconds");
			break;
		case 't':
			p.lat_s = number(optarg, 1, 600, "latency seconds");
			break;
		case 'w':
			p.window = number(optarg, 1, 65536, "window");
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (p.rate * p.lat_s > MAX_ROUNDTRIPS)
		errx(2, "rate x seconds: at most %d round trips", MAX_ROUNDTRIPS);

	/* the daemon's channel: see parent_main() */
	signal(SIGPIPE, SIG_IGN);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) == -1)
		err(1, "socketpair");
	fflush(NULL);
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		close(pair[0]);
		/* the default action: the frontend side sees it as EOF */
		alarm((unsigned int)(p.lat_s + p.sat_s + 60));
		resolver_side(pair[1], &p);
	}
	close(pair[1]);
	signal(SIGALRM, on_alarm);
	alarm((unsigned int)(p.lat_s + p.sat_s + 30));

	memset(&fe, 0, sizeof(fe));
	fe.p = &p;
	fe.child = pid;
	log_init(1, 0, "hop frontend");
	if (clock_getcpuclockid(pid, &fe.child_clock) != 0)
		errx(1, "no CPU clock for the resolver side");
	if ((fe.base = event_base_new()) == NULL)
		errx(1, "event_base_new");
	channel_init(&fe.ch, pair[0], "resolver", fe.base, &fe,
	    frontend_closed);
	channel_set_rules(&fe.ch, frontend_rules_resolver,
	    nitems(frontend_rules_resolver));
	channel_start(&fe.ch);
	if ((fe.tick = evtimer_new(fe.base, frontend_tick, &fe)) == NULL)
		errx(1, "event setup");

	run_latency(&fe);
	run_saturation(&fe);

	/* EOF tells the resolver side to go */
	channel_stop(&fe.ch);
	imsgbuf_clear(&fe.ch.ibuf);
	close(pair[0]);
	if (waitpid(pid, &status, 0) == -1)
		err(1, "waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		errx(1, "the resolver side failed (status 0x%x)", status);
	alarm(0);
	if (fe.sat_count == 0)
		errx(1, "saturation: no round trip completed");
	report(&fe);
	event_free(fe.tick);
	event_free(fe.ch.wev);
	event_free(fe.ch.rev);
	event_base_free(fe.base);
	free(fe.sent);
	free(fe.rtt);
	return 0;
}
