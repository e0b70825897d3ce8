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
 * dnstlsctl's output formats (ctlfmt.h): aligned text for people, JSON
 * for scripts. Pure.
 */

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "control.h"
#include "ctlfmt.h"
#include "histogram.h"
#include "pin.h"
#include "sbuf.h"
#include "stats.h"

#define LABEL_WIDTH	26	/* show stats: label column */
#define VALUE_WIDTH	14	/* show stats: numbers, right-aligned */
#define UP_LABEL_WIDTH	14	/* show upstreams: label column */
#define JSON_DEPTH	8
#define ALWAYS_RCODES	6	/* NOERROR..REFUSED: shown even when 0 */
#define DAY		86400

/* --- JSON --- */

struct json {
	struct sbuf	*sb;
	int		 depth;
	int		 count[JSON_DEPTH];	/* members so far, per level */
};

void
ctlfmt_json_string(struct sbuf *sb, const char *s)
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 c;

	sbuf_putc(sb, '"');
	for (; (c = (unsigned char)*s) != '\0'; s++) {
		switch (c) {
		case '"':
			sbuf_puts(sb, "\\\"");
			break;
		case '\\':
			sbuf_puts(sb, "\\\\");
			break;
		case '\n':
			sbuf_puts(sb, "\\n");
			break;
		case '\r':
			sbuf_puts(sb, "\\r");
			break;
		case '\t':
			sbuf_puts(sb, "\\t");
			break;
		default:
			if (c >= 0x20 && c < 0x7f) {
				sbuf_putc(sb, (char)c);
				break;
			}
			sbuf_puts(sb, "\\u00");
			sbuf_putc(sb, hex[c >> 4]);
			sbuf_putc(sb, hex[c & 0xf]);
		}
	}
	sbuf_putc(sb, '"');
}

static void
json_indent(struct json *j)
{
	int	 i;

	sbuf_putc(j->sb, '\n');
	for (i = 0; i < j->depth; i++)
		sbuf_puts(j->sb, "  ");
}

/* before a member: the comma, the indent, the key (NULL in arrays) */
static void
json_member(struct json *j, const char *key)
{
	if (j->count[j->depth]++ > 0)
		sbuf_putc(j->sb, ',');
	json_indent(j);
	if (key != NULL) {
		ctlfmt_json_string(j->sb, key);
		sbuf_puts(j->sb, ": ");
	}
}

static void
json_begin(struct json *j, struct sbuf *sb)
{
	memset(j, 0, sizeof(*j));
	j->sb = sb;
	sbuf_putc(sb, '{');
	j->depth = 1;
}

static void
json_end(struct json *j)
{
	j->depth = 0;
	sbuf_puts(j->sb, "\n}\n");
}

static void
json_open(struct json *j, const char *key, char c)
{
	json_member(j, key);
	sbuf_putc(j->sb, c);
	if (j->depth + 1 >= JSON_DEPTH) {
		j->sb->error = 1;	/* a bug here, not the daemon's */
		return;
	}
	j->count[++j->depth] = 0;
}

static void
json_close(struct json *j, char c)
{
	int	 had = j->count[j->depth];

	j->depth--;
	if (had > 0)
		json_indent(j);
	sbuf_putc(j->sb, c);
}

static void
json_u64(struct json *j, const char *key, uint64_t v)
{
	json_member(j, key);
	sbuf_printf(j->sb, "%" PRIu64, v);
}

static void
json_i64(struct json *j, const char *key, int64_t v)
{
	json_member(j, key);
	sbuf_printf(j->sb, "%" PRId64, v);
}

static void
json_str(struct json *j, const char *key, const char *s)
{
	json_member(j, key);
	ctlfmt_json_string(j->sb, s);
}

static void
json_bool(struct json *j, const char *key, int v)
{
	json_member(j, key);
	sbuf_puts(j->sb, v ? "true" : "false");
}

static void
json_null(struct json *j, const char *key)
{
	json_member(j, key);
	sbuf_puts(j->sb, "null");
}

/* --- text --- */

/* a string from the daemon, with what could drive a terminal replaced */
static void
put_safe(struct sbuf *sb, const char *s)
{
	unsigned char	 c;

	for (; (c = (unsigned char)*s) != '\0'; s++)
		sbuf_putc(sb, c >= 0x20 && c < 0x7f ? (char)c : '?');
}

void
ctlfmt_duration(struct sbuf *sb, uint64_t us)
{
	if (us < 1000)
		sbuf_printf(sb, "%" PRIu64 " us", us);
	else if (us < 1000000)
		sbuf_printf(sb, "%" PRIu64 ".%02" PRIu64 " ms", us / 1000,
		    us % 1000 / 10);
	else
		sbuf_printf(sb, "%" PRIu64 ".%03" PRIu64 " s", us / 1000000,
		    us % 1000000 / 1000);
}

void
ctlfmt_age(struct sbuf *sb, int64_t s)
{
	if (s < 0)
		s = 0;
	if (s >= DAY)
		sbuf_printf(sb, "%" PRId64 "d %" PRId64 "h %" PRId64 "m",
		    s / DAY, s % DAY / 3600, s % 3600 / 60);
	else if (s >= 3600)
		sbuf_printf(sb, "%" PRId64 "h %" PRId64 "m", s / 3600,
		    s % 3600 / 60);
	else if (s >= 60)
		sbuf_printf(sb, "%" PRId64 "m %" PRId64 "s", s / 60, s % 60);
	else
		sbuf_printf(sb, "%" PRId64 "s", s);
}

/* a - b, saturated: the times come from another process */
static int64_t
seconds_between(int64_t a, int64_t b)
{
	int64_t	 d;

	if (__builtin_sub_overflow(a, b, &d))
		return b < 0 ? INT64_MAX : INT64_MIN;
	return d;
}

static void
put_time(struct sbuf *sb, int64_t t)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;
	char		 buf[64];

	if ((int64_t)tt != t || gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S UTC", &tm) == 0) {
		sbuf_printf(sb, "@%" PRId64, t);
		return;
	}
	sbuf_puts(sb, buf);
}

static void
row_u64(struct sbuf *sb, const char *label, uint64_t v)
{
	sbuf_printf(sb, "%-*s%*" PRIu64 "\n", LABEL_WIDTH, label, VALUE_WIDTH,
	    v);
}

static void
row_text(struct sbuf *sb, const char *label, const char *text)
{
	sbuf_printf(sb, "%-*s%*s\n", LABEL_WIDTH, label, VALUE_WIDTH, text);
}

static void
row_duration(struct sbuf *sb, const char *label, uint64_t us)
{
	struct sbuf	 v;

	sbuf_init(&v, 64);
	ctlfmt_duration(&v, us);
	row_text(sb, label, sbuf_ok(&v) ? sbuf_str(&v) : "?");
	sbuf_free(&v);
}

static uint64_t
sum(const uint64_t *v, size_t n)
{
	uint64_t	 s = 0;
	size_t		 i;

	for (i = 0; i < n; i++)
		s += v[i];
	return s;
}

static void
stats_text(struct sbuf *sb, const struct stats_frontend *st, int64_t now)
{
	const struct histogram	*h = &st->latency;
	char			 label[64];
	unsigned int		 i;

	row_u64(sb, "queries", sum(st->queries, STATS_NTRANSPORTS));
	for (i = 0; i < STATS_NTRANSPORTS; i++) {
		snprintf(label, sizeof(label), "  %s", stats_transport_name(i));
		row_u64(sb, label, st->queries[i]);
	}
	row_u64(sb, "answers", sum(st->answers, STATS_RCODES));
	for (i = 0; i < STATS_RCODES; i++) {
		if (i >= ALWAYS_RCODES && st->answers[i] == 0)
			continue;
		snprintf(label, sizeof(label), "  %s", stats_rcode_name(i));
		row_u64(sb, label, st->answers[i]);
	}
	row_u64(sb, "cache hits", st->cache_hits);
	row_u64(sb, "cache stale hits", st->cache_stale);
	row_u64(sb, "cache misses", st->cache_misses);
	row_u64(sb, "cache entries", st->cache_entries);
	row_u64(sb, "refused (access control)", st->acl_refused);
	row_u64(sb, "rate-limited", st->ratelimited);
	row_u64(sb, "malformed, answered", st->malformed_answered);
	row_u64(sb, "malformed, dropped", st->malformed_dropped);
	row_u64(sb, "answered locally", st->local);
	row_u64(sb, "forwarded in plain", st->plain);
	row_u64(sb, "SERVFAIL, overloaded", st->overload);
	row_u64(sb, "SERVFAIL, timed out", st->timeouts);
	row_u64(sb, "in flight", st->inflight);
	row_u64(sb, "TCP clients", st->tcp_clients);
	row_u64(sb, "TCP clients refused", st->tcp_refused);
	if (histogram_count(h) == 0)
		row_text(sb, "latency", "-");
	else {
		row_duration(sb, "latency p50", histogram_percentile(h, 500));
		row_duration(sb, "latency p90", histogram_percentile(h, 900));
		row_duration(sb, "latency p99", histogram_percentile(h, 990));
	}
	sbuf_printf(sb, "%-*s", LABEL_WIDTH, "up since");
	put_time(sb, st->start_time);
	sbuf_puts(sb, " (");
	ctlfmt_age(sb, seconds_between(now, st->start_time));
	sbuf_puts(sb, ")\n");
}

static void
stats_json(struct sbuf *sb, const struct stats_frontend *st)
{
	const struct histogram	*h = &st->latency;
	struct json		 j;
	unsigned int		 i;

	json_begin(&j, sb);
	json_i64(&j, "start_time", st->start_time);
	json_open(&j, "queries", '{');
	for (i = 0; i < STATS_NTRANSPORTS; i++)
		json_u64(&j, stats_transport_name(i), st->queries[i]);
	json_close(&j, '}');
	json_open(&j, "answers", '{');
	for (i = 0; i < STATS_RCODES; i++)
		if (i < ALWAYS_RCODES || st->answers[i] > 0)
			json_u64(&j, stats_rcode_name(i), st->answers[i]);
	json_close(&j, '}');
	json_open(&j, "cache", '{');
	json_u64(&j, "hits", st->cache_hits);
	json_u64(&j, "stale_hits", st->cache_stale);
	json_u64(&j, "misses", st->cache_misses);
	json_u64(&j, "entries", st->cache_entries);
	json_close(&j, '}');
	json_u64(&j, "acl_refused", st->acl_refused);
	json_u64(&j, "ratelimited", st->ratelimited);
	json_open(&j, "malformed", '{');
	json_u64(&j, "answered", st->malformed_answered);
	json_u64(&j, "dropped", st->malformed_dropped);
	json_close(&j, '}');
	json_u64(&j, "local", st->local);
	json_u64(&j, "plain", st->plain);
	json_u64(&j, "overload", st->overload);
	json_u64(&j, "timeouts", st->timeouts);
	json_u64(&j, "inflight", st->inflight);
	json_u64(&j, "tcp_clients", st->tcp_clients);
	json_u64(&j, "tcp_refused", st->tcp_refused);
	json_open(&j, "latency_us", '{');
	json_u64(&j, "count", histogram_count(h));
	json_u64(&j, "sum", h->sum_us);
	json_u64(&j, "p50", histogram_percentile(h, 500));
	json_u64(&j, "p90", histogram_percentile(h, 900));
	json_u64(&j, "p99", histogram_percentile(h, 990));
	json_close(&j, '}');
	json_end(&j);
}

void
ctlfmt_stats(struct sbuf *sb, const struct stats_frontend *st, int json,
    int64_t now)
{
	if (json)
		stats_json(sb, st);
	else
		stats_text(sb, st, now);
}

/* --- show upstreams --- */

static void
up_label(struct sbuf *sb, const char *label)
{
	sbuf_printf(sb, "  %-*s", UP_LABEL_WIDTH, label);
}

static void
up_failures(struct sbuf *sb, const struct stats_upstream *up)
{
	const char	*sep = ": ";
	unsigned int	 i;

	up_label(sb, "failures");
	sbuf_printf(sb, "%" PRIu64, sum(up->failures, STATS_NFAILURES));
	for (i = 0; i < STATS_NFAILURES; i++) {
		if (up->failures[i] == 0)
			continue;
		sbuf_printf(sb, "%s%s %" PRIu64, sep, stats_failure_name(i),
		    up->failures[i]);
		sep = ", ";
	}
	sbuf_putc(sb, '\n');
}

static void
up_cert(struct sbuf *sb, const struct stats_upstream *up, int64_t now)
{
	int64_t	 left = seconds_between(up->cert_notafter, now);

	up_label(sb, "certificate");
	if ((up->flags & STATS_UPF_CERT) == 0) {
		sbuf_puts(sb, "-\n");
		return;
	}
	sbuf_puts(sb, left >= 0 ? "expires " : "expired ");
	put_time(sb, up->cert_notafter);
	sbuf_puts(sb, left >= 0 ? " (in " : " (");
	ctlfmt_age(sb, left >= 0 ? left : seconds_between(0, left));
	sbuf_puts(sb, left >= 0 ? ")\n" : " ago)\n");
}

static void
upstream_text(struct sbuf *sb, const struct stats_upstream *up, int64_t now)
{
	char	 pin[PIN_B64LEN + 1];
	int	 tls = (up->flags & STATS_UPF_PLAIN) == 0;

	put_safe(sb, up->addr);
	sbuf_printf(sb, "  %s\n", stats_state_name(up->state));
	up_label(sb, "name");
	put_safe(sb, up->name[0] != '\0' ? up->name : "-");
	sbuf_putc(sb, '\n');
	up_label(sb, "zone");
	put_safe(sb, up->zone[0] != '\0' ? up->zone : "default");
	sbuf_putc(sb, '\n');
	up_label(sb, "transport");
	sbuf_puts(sb, tls ? "TLS\n" : "plain (no TLS)\n");
	up_label(sb, "rtt");
	if (up->flags & STATS_UPF_RTT)
		ctlfmt_duration(sb, up->srtt_us);
	else
		sbuf_putc(sb, '-');
	sbuf_putc(sb, '\n');
	up_label(sb, "connections");
	sbuf_printf(sb, "%" PRIu32 " (%" PRIu32 " queries in flight)\n",
	    up->conns, up->inflight);
	up_label(sb, "queries");
	sbuf_printf(sb, "%" PRIu64 "\n", up->queries);
	up_label(sb, "answers");
	sbuf_printf(sb, "%" PRIu64 "\n", up->answers);
	up_failures(sb, up);
	if (!tls)
		return;
	up_label(sb, "handshakes");
	sbuf_printf(sb, "%" PRIu64 " (%" PRIu64 " resumed)\n", up->handshakes,
	    up->resumptions);
	up_label(sb, "pin");
	if (up->flags & STATS_UPF_PIN) {
		pin_encode(up->pin, pin);
		sbuf_printf(sb, "%s\n", pin);
	} else
		sbuf_puts(sb, "-\n");
	up_cert(sb, up, now);
}

static void
upstream_json(struct json *j, const struct stats_upstream *up)
{
	char		 pin[PIN_B64LEN + 1];
	unsigned int	 i;

	json_open(j, NULL, '{');
	json_str(j, "address", up->addr);
	json_str(j, "name", up->name);
	json_str(j, "zone", up->zone);
	json_str(j, "state", stats_state_name(up->state));
	json_str(j, "transport", (up->flags & STATS_UPF_PLAIN) ? "plain" :
	    "tls");
	if (up->flags & STATS_UPF_RTT)
		json_u64(j, "rtt_us", up->srtt_us);
	else
		json_null(j, "rtt_us");
	json_u64(j, "connections", up->conns);
	json_u64(j, "inflight", up->inflight);
	json_u64(j, "queries", up->queries);
	json_u64(j, "answers", up->answers);
	json_open(j, "failures", '{');
	for (i = 0; i < STATS_NFAILURES; i++)
		json_u64(j, stats_failure_name(i), up->failures[i]);
	json_close(j, '}');
	json_u64(j, "handshakes", up->handshakes);
	json_u64(j, "resumptions", up->resumptions);
	if (up->flags & STATS_UPF_PIN) {
		pin_encode(up->pin, pin);
		json_str(j, "pin_sha256", pin);
	} else
		json_null(j, "pin_sha256");
	if (up->flags & STATS_UPF_CERT)
		json_i64(j, "cert_not_after", up->cert_notafter);
	else
		json_null(j, "cert_not_after");
	json_close(j, '}');
}

void
ctlfmt_upstreams(struct sbuf *sb, const struct stats_upstream *up,
    size_t n, int json, int64_t now)
{
	struct json	 j;
	size_t		 i;

	if (json) {
		json_begin(&j, sb);
		json_open(&j, "upstreams", '[');
		for (i = 0; i < n; i++)
			upstream_json(&j, &up[i]);
		json_close(&j, ']');
		json_end(&j);
		return;
	}
	if (n == 0)
		sbuf_puts(sb, "no upstreams\n");
	for (i = 0; i < n; i++) {
		if (i > 0)
			sbuf_putc(sb, '\n');
		upstream_text(sb, &up[i], now);
	}
}

void
ctlfmt_result(struct sbuf *sb, const struct ctl_result *r, int json)
{
	struct json	 j;

	if (json) {
		json_begin(&j, sb);
		json_bool(&j, "ok", r->ok);
		json_str(&j, "message", r->msg);
		json_end(&j);
		return;
	}
	if (r->msg[0] == '\0')
		return;
	put_safe(sb, r->msg);
	sbuf_putc(sb, '\n');
}
