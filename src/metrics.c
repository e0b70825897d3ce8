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
 * The Prometheus text exposition of the statistics (metrics.h). Pure.
 *
 * Every family gets # HELP and # TYPE, even with no sample (no upstream
 * yet), so that a scrape always shows the same families. Label values
 * come from the configuration (addresses, names, zones), never from a
 * client; they are escaped all the same, and any byte that is not
 * printable ASCII becomes '?', so the output is always valid UTF-8.
 */

#include <inttypes.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "compat.h"
#include "histogram.h"
#include "metrics.h"
#include "pin.h"
#include "sbuf.h"
#include "stats.h"

#define US_PER_SEC	UINT64_C(1000000)
#define ALWAYS_RCODES	6	/* NOERROR..REFUSED: shown even when 0 */

struct metric {
	const char	*name;
	const char	*type;
	const char	*help;
	size_t		 off;		/* of the field in its struct */
	size_t		 size;		/* 4 or 8: an unsigned counter */
	int		 tls;		/* upstreams: TLS ones only */
};

#define FE(f)	offsetof(struct stats_frontend, f), \
		sizeof(((struct stats_frontend *)0)->f), 0
#define UP(f)	offsetof(struct stats_upstream, f), \
		sizeof(((struct stats_upstream *)0)->f), 0
#define UP_TLS(f) offsetof(struct stats_upstream, f), \
		sizeof(((struct stats_upstream *)0)->f), 1

/* the frontend's unlabelled families, after queries and responses */
static const struct metric frontend_metrics[] = {
	{ "dnstlsd_cache_hits_total", "counter",
	    "Answers served fresh from the cache.", FE(cache_hits) },
	{ "dnstlsd_cache_served_stale_total", "counter",
	    "Expired answers served because no upstream answered (RFC 8767).",
	    FE(cache_stale) },
	{ "dnstlsd_cache_misses_total", "counter",
	    "Queries the cache could not answer.", FE(cache_misses) },
	{ "dnstlsd_cache_entries", "gauge",
	    "Answers held in the cache.", FE(cache_entries) },
	{ "dnstlsd_acl_refused_total", "counter",
	    "Queries from clients that access control does not allow.",
	    FE(acl_refused) },
	{ "dnstlsd_ratelimited_total", "counter",
	    "Queries over the per-client rate limit.", FE(ratelimited) },
	{ "dnstlsd_local_answers_total", "counter",
	    "Queries for special-use names answered without an upstream.",
	    FE(local) },
	{ "dnstlsd_plain_forwarded_total", "counter",
	    "Queries forwarded without TLS to a zone configured plain.",
	    FE(plain) },
	{ "dnstlsd_overload_total", "counter",
	    "Queries answered SERVFAIL because too many were in flight.",
	    FE(overload) },
	{ "dnstlsd_timeouts_total", "counter",
	    "Queries answered SERVFAIL for want of an answer in time.",
	    FE(timeouts) },
	{ "dnstlsd_tcp_refused_total", "counter",
	    "TCP client connections closed at the connection cap.",
	    FE(tcp_refused) },
	{ "dnstlsd_tcp_connections", "gauge",
	    "Open TCP client connections.", FE(tcp_clients) },
	{ "dnstlsd_queries_in_flight", "gauge",
	    "Queries waiting for an upstream's answer.", FE(inflight) },
};

/* per-upstream families with a plain number, labelled upstream and zone */
static const struct metric upstream_metrics[] = {
	{ "dnstlsd_forward_requests_total", "counter",
	    "Queries sent to the upstream.", UP(queries) },
	{ "dnstlsd_forward_responses_total", "counter",
	    "Answers received from the upstream.", UP(answers) },
	{ "dnstlsd_tls_handshakes_total", "counter",
	    "TLS handshakes completed with the upstream.", UP_TLS(handshakes) },
	{ "dnstlsd_tls_resumptions_total", "counter",
	    "TLS handshakes with the upstream that resumed a session.",
	    UP_TLS(resumptions) },
	{ "dnstlsd_upstream_connections", "gauge",
	    "Open connections to the upstream.", UP(conns) },
	{ "dnstlsd_upstream_queries_in_flight", "gauge",
	    "Queries sent to the upstream and not answered yet.",
	    UP(inflight) },
};

static uint64_t
field(const void *base, const struct metric *m)
{
	const unsigned char	*p = (const unsigned char *)base + m->off;
	uint64_t		 v64;
	uint32_t		 v32;

	if (m->size == sizeof(v32)) {
		memcpy(&v32, p, sizeof(v32));
		return v32;
	}
	memcpy(&v64, p, sizeof(v64));
	return v64;
}

static void
family(struct sbuf *sb, const char *name, const char *type, const char *help)
{
	sbuf_printf(sb, "# HELP %s %s\n# TYPE %s %s\n", name, help, name,
	    type);
}

void
metrics_label_value(struct sbuf *sb, const char *s)
{
	unsigned char	 c;

	for (; (c = (unsigned char)*s) != '\0'; s++) {
		if (c == '\\' || c == '"') {
			sbuf_putc(sb, '\\');
			sbuf_putc(sb, (char)c);
		} else if (c == '\n')
			sbuf_puts(sb, "\\n");
		else if (c < 0x20 || c > 0x7e)
			sbuf_putc(sb, '?');
		else
			sbuf_putc(sb, (char)c);
	}
}

void
metrics_seconds(struct sbuf *sb, uint64_t us)
{
	char		 frac[8];
	uint64_t	 f = us % US_PER_SEC;
	size_t		 n;

	sbuf_printf(sb, "%" PRIu64, us / US_PER_SEC);
	if (f == 0)
		return;
	snprintf(frac, sizeof(frac), ".%06" PRIu64, f);
	for (n = strlen(frac); frac[n - 1] == '0'; n--)
		;
	sbuf_add(sb, frac, n);
}

static void
upstream_labels(struct sbuf *sb, const struct stats_upstream *up)
{
	sbuf_puts(sb, "upstream=\"");
	metrics_label_value(sb, up->addr);
	sbuf_puts(sb, "\",zone=\"");
	metrics_label_value(sb, up->zone);
	sbuf_putc(sb, '"');
}

static void
render_build(struct sbuf *sb, const char *version)
{
	family(sb, "dnstlsd_build_info", "gauge",
	    "Always 1, labelled with the version of dnstlsd.");
	sbuf_puts(sb, "dnstlsd_build_info{version=\"");
	metrics_label_value(sb, version);
	sbuf_puts(sb, "\"} 1\n");
}

static void
render_queries(struct sbuf *sb, const struct stats_frontend *st)
{
	unsigned int	 i;

	family(sb, "dnstlsd_start_time_seconds", "gauge",
	    "When the frontend started, in seconds since the epoch.");
	sbuf_printf(sb, "dnstlsd_start_time_seconds %" PRId64 "\n",
	    st->start_time);

	family(sb, "dnstlsd_queries_total", "counter",
	    "Queries received from clients, by transport.");
	for (i = 0; i < STATS_NTRANSPORTS; i++)
		sbuf_printf(sb, "dnstlsd_queries_total{transport=\"%s\"} %"
		    PRIu64 "\n", stats_transport_name(i), st->queries[i]);

	family(sb, "dnstlsd_responses_total", "counter",
	    "Answers sent to clients, by RCODE.");
	for (i = 0; i < STATS_RCODES; i++)
		if (i < ALWAYS_RCODES || st->answers[i] > 0)
			sbuf_printf(sb, "dnstlsd_responses_total{rcode=\"%s\"} "
			    "%" PRIu64 "\n", stats_rcode_name(i),
			    st->answers[i]);

	family(sb, "dnstlsd_malformed_queries_total", "counter",
	    "Messages that are not valid queries: answered with an error, "
	    "or dropped.");
	sbuf_printf(sb, "dnstlsd_malformed_queries_total{action=\"answered\"} "
	    "%" PRIu64 "\n", st->malformed_answered);
	sbuf_printf(sb, "dnstlsd_malformed_queries_total{action=\"dropped\"} "
	    "%" PRIu64 "\n", st->malformed_dropped);
}

static void
render_latency(struct sbuf *sb, const struct histogram *h)
{
	struct hist_row	 rows[HIST_NCUM];
	size_t		 i, n;

	family(sb, "dnstlsd_request_duration_seconds", "histogram",
	    "Time from a query's arrival to its answer.");
	n = histogram_cumulative(h, rows);
	for (i = 0; i < n; i++) {
		sbuf_puts(sb, "dnstlsd_request_duration_seconds_bucket{le=\"");
		if (rows[i].le_us == HIST_INF)
			sbuf_puts(sb, "+Inf");
		else
			metrics_seconds(sb, rows[i].le_us);
		sbuf_printf(sb, "\"} %" PRIu64 "\n", rows[i].count);
	}
	sbuf_puts(sb, "dnstlsd_request_duration_seconds_sum ");
	metrics_seconds(sb, h->sum_us);
	sbuf_printf(sb, "\ndnstlsd_request_duration_seconds_count %" PRIu64
	    "\n", n > 0 ? rows[n - 1].count : 0);
}

static void
render_frontend(struct sbuf *sb, const struct stats_frontend *st)
{
	const struct metric	*m;
	size_t			 i;

	render_queries(sb, st);
	render_latency(sb, &st->latency);
	for (i = 0; i < nitems(frontend_metrics); i++) {
		m = &frontend_metrics[i];
		family(sb, m->name, m->type, m->help);
		sbuf_printf(sb, "%s %" PRIu64 "\n", m->name, field(st, m));
	}
}

static void
render_info(struct sbuf *sb, const struct stats_upstream *up, size_t nup)
{
	char	 pin[PIN_B64LEN + 1];
	size_t	 i;

	family(sb, "dnstlsd_upstream_info", "gauge",
	    "Always 1: the upstream's authentication name, transport and the "
	    "SPKI pin it presents now.");
	for (i = 0; i < nup; i++) {
		pin[0] = '\0';
		if (up[i].flags & STATS_UPF_PIN)
			pin_encode(up[i].pin, pin);
		sbuf_puts(sb, "dnstlsd_upstream_info{");
		upstream_labels(sb, &up[i]);
		sbuf_puts(sb, ",name=\"");
		metrics_label_value(sb, up[i].name);
		sbuf_printf(sb, "\",transport=\"%s\",pin=\"%s\"} 1\n",
		    (up[i].flags & STATS_UPF_PLAIN) ? "plain" : "tls", pin);
	}
}

static void
render_state(struct sbuf *sb, const struct stats_upstream *up, size_t nup)
{
	size_t		 i;
	uint32_t	 s;

	family(sb, "dnstlsd_upstream_state", "gauge",
	    "1 for the upstream's current state (unknown, up, down), "
	    "else 0.");
	for (i = 0; i < nup; i++)
		for (s = 0; s < STATS_NSTATES; s++) {
			sbuf_puts(sb, "dnstlsd_upstream_state{");
			upstream_labels(sb, &up[i]);
			sbuf_printf(sb, ",state=\"%s\"} %d\n",
			    stats_state_name(s), up[i].state == s);
		}

	family(sb, "dnstlsd_upstream_rtt_seconds", "gauge",
	    "Smoothed round-trip time of the upstream's answers.");
	for (i = 0; i < nup; i++) {
		if ((up[i].flags & STATS_UPF_RTT) == 0)
			continue;
		sbuf_puts(sb, "dnstlsd_upstream_rtt_seconds{");
		upstream_labels(sb, &up[i]);
		sbuf_puts(sb, "} ");
		metrics_seconds(sb, up[i].srtt_us);
		sbuf_putc(sb, '\n');
	}

	family(sb, "dnstlsd_upstream_cert_expiry_timestamp_seconds", "gauge",
	    "When the upstream's certificate expires, in seconds since the "
	    "epoch.");
	for (i = 0; i < nup; i++) {
		if ((up[i].flags & STATS_UPF_CERT) == 0)
			continue;
		sbuf_puts(sb, "dnstlsd_upstream_cert_expiry_timestamp_seconds{");
		upstream_labels(sb, &up[i]);
		sbuf_printf(sb, "} %" PRId64 "\n", up[i].cert_notafter);
	}
}

static void
render_failures(struct sbuf *sb, const struct stats_upstream *up, size_t nup)
{
	size_t		 i;
	unsigned int	 f;

	family(sb, "dnstlsd_forward_failures_total", "counter",
	    "Failed connections to the upstream, by reason.");
	for (i = 0; i < nup; i++)
		for (f = 0; f < STATS_NFAILURES; f++) {
			sbuf_puts(sb, "dnstlsd_forward_failures_total{");
			upstream_labels(sb, &up[i]);
			sbuf_printf(sb, ",reason=\"%s\"} %" PRIu64 "\n",
			    stats_failure_name(f), up[i].failures[f]);
		}
}

static void
render_upstreams(struct sbuf *sb, const struct stats_upstream *up, size_t nup)
{
	const struct metric	*m;
	size_t			 i, j;

	render_info(sb, up, nup);
	render_state(sb, up, nup);
	for (j = 0; j < nitems(upstream_metrics); j++) {
		m = &upstream_metrics[j];
		family(sb, m->name, m->type, m->help);
		for (i = 0; i < nup; i++) {
			if (m->tls && (up[i].flags & STATS_UPF_PLAIN))
				continue;
			sbuf_printf(sb, "%s{", m->name);
			upstream_labels(sb, &up[i]);
			sbuf_printf(sb, "} %" PRIu64 "\n", field(&up[i], m));
		}
	}
	render_failures(sb, up, nup);
}

int
metrics_render(struct sbuf *sb, const struct stats_frontend *st,
    const struct stats_upstream *up, size_t nup, const char *version)
{
	render_build(sb, version);
	render_frontend(sb, st);
	render_upstreams(sb, up, nup);
	return sbuf_ok(sb) ? 0 : -1;
}
