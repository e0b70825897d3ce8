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
 * Unit tests of the Prometheus renderer: escaping, number formats, the
 * whole exposition of the canned statistics against tests/golden, and
 * the rules of the format checked line by line (tests/promtool.sh adds
 * promtool's own verdict).
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"
#include "metrics.h"
#include "sbuf.h"
#include "stats.h"
#include "test.h"

static int
label_is(const char *in, const char *want)
{
	struct sbuf	 sb;
	int		 ok;

	sbuf_init(&sb, 1024);
	metrics_label_value(&sb, in);
	ok = sbuf_ok(&sb) && strcmp(sbuf_str(&sb), want) == 0;
	sbuf_free(&sb);
	return ok;
}

static int
seconds_is(uint64_t us, const char *want)
{
	struct sbuf	 sb;
	int		 ok;

	sbuf_init(&sb, 1024);
	metrics_seconds(&sb, us);
	ok = sbuf_ok(&sb) && strcmp(sbuf_str(&sb), want) == 0;
	sbuf_free(&sb);
	return ok;
}

static void
t_label_escape(void)
{
	CHECK(label_is("1.1.1.1@853", "1.1.1.1@853"));
	CHECK(label_is("", ""));
	CHECK(label_is("a\"b\\c\nd", "a\\\"b\\\\c\\nd"));
	CHECK(label_is("tab\there\x01\x7f\xc3\xa9", "tab?here????"));
}

static void
t_seconds(void)
{
	CHECK(seconds_is(0, "0"));
	CHECK(seconds_is(64, "0.000064"));
	CHECK(seconds_is(96, "0.000096"));
	CHECK(seconds_is(100000, "0.1"));
	CHECK(seconds_is(1000000, "1"));
	CHECK(seconds_is(1500000, "1.5"));
	CHECK(seconds_is(8388608, "8.388608"));
	CHECK(seconds_is(UINT64_MAX, "18446744073709.551615"));
}

static char *
render_fixture(size_t max, int *rc)
{
	struct stats_frontend	 st;
	struct stats_upstream	 up[FIXTURE_NUPSTREAMS];
	struct sbuf		 sb;

	fixture_stats(&st);
	fixture_upstreams(up);
	sbuf_init(&sb, max);
	*rc = metrics_render(&sb, &st, up, FIXTURE_NUPSTREAMS, "0.1.0");
	return sb.buf;		/* the caller frees it */
}

static void
t_golden(void)
{
	char	*text;
	int	 rc;

	text = render_fixture(METRICS_MAX, &rc);
	CHECK(rc == 0 && text != NULL);
	if (text == NULL)
		return;
	CHECK(golden_match("metrics.prom", text, strlen(text)));
	free(text);
}

static int
has_line(const char *text, const char *line)
{
	const char	*p = text;
	size_t		 n = strlen(line);

	while ((p = strstr(p, line)) != NULL) {
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return 1;
		p += n;
	}
	return 0;
}

static void
t_series(void)
{
	char	*text;
	int	 rc;

	if ((text = render_fixture(METRICS_MAX, &rc)) == NULL) {
		CHECK(0);
		return;
	}
	CHECK(has_line(text, "dnstlsd_queries_total{transport=\"udp\"} 1200"));
	CHECK(has_line(text, "dnstlsd_queries_total{transport=\"tcp\"} 34"));
	CHECK(has_line(text, "dnstlsd_responses_total{rcode=\"NOERROR\"} 1100"));
	CHECK(has_line(text, "dnstlsd_responses_total{rcode=\"REFUSED\"} 0"));
	CHECK(has_line(text, "dnstlsd_responses_total{rcode=\"NOTAUTH\"} 1"));
	CHECK(strstr(text, "rcode=\"NOTZONE\"") == NULL);
	CHECK(has_line(text, "dnstlsd_build_info{version=\"0.1.0\"} 1"));
	CHECK(has_line(text, "# TYPE dnstlsd_request_duration_seconds "
	    "histogram"));
	CHECK(has_line(text, "dnstlsd_request_duration_seconds_bucket"
	    "{le=\"+Inf\"} 10000"));
	CHECK(has_line(text, "dnstlsd_request_duration_seconds_count 10000"));
	CHECK(has_line(text, "dnstlsd_request_duration_seconds_bucket"
	    "{le=\"0.000064\"} 39"));
	CHECK(has_line(text, "dnstlsd_upstream_info{upstream=\"1.1.1.1@853\","
	    "zone=\"\",name=\"cloudflare-dns.com\",transport=\"tls\",pin=\""
	    FIXTURE_PIN "\"} 1"));
	CHECK(has_line(text, "dnstlsd_upstream_state{upstream=\"1.1.1.1@853\","
	    "zone=\"\",state=\"up\"} 1"));
	CHECK(has_line(text, "dnstlsd_upstream_state{upstream=\"1.1.1.1@853\","
	    "zone=\"\",state=\"down\"} 0"));
	CHECK(has_line(text, "dnstlsd_upstream_rtt_seconds{upstream="
	    "\"1.1.1.1@853\",zone=\"\"} 0.012345"));
	CHECK(has_line(text, "dnstlsd_forward_failures_total{upstream="
	    "\"2606:4700:4700::1111@853\",zone=\"\",reason=\"connect\"} 5"));
	CHECK(has_line(text, "dnstlsd_upstream_state{upstream=\"192.0.2.53@853\""
	    ",zone=\"we\\\"ird\\\\zone\\nx.\",state=\"unknown\"} 1"));
	CHECK(has_line(text, "dnstlsd_upstream_info{upstream=\"192.168.1.1@53\","
	    "zone=\"corp.example.\",name=\"\",transport=\"plain\",pin=\"\"} 1"));
	/* no RTT measured, no certificate seen: no sample rather than 0 */
	CHECK(strstr(text, "dnstlsd_upstream_rtt_seconds{upstream="
	    "\"192.0.2.53@853\"") == NULL);
	CHECK(strstr(text, "dnstlsd_upstream_cert_expiry_timestamp_seconds{"
	    "upstream=\"192.0.2.53@853\"") == NULL);
	free(text);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* the family a sample belongs to: its name, less a histogram's suffix */
static void
family_of(const char *line, char *out, size_t size)
{
	static const char *const suffixes[] = { "_bucket", "_sum", "_count" };
	size_t	 n = strcspn(line, "{ "), i, sl;

	if (n >= size)
		n = size - 1;
	memcpy(out, line, n);
	out[n] = '\0';
	if (strncmp(out, "dnstlsd_request_duration_seconds", 32) != 0)
		return;
	for (i = 0; i < 3; i++) {
		sl = strlen(suffixes[i]);
		if (n > sl && strcmp(out + n - sl, suffixes[i]) == 0) {
			out[n - sl] = '\0';
			return;
		}
	}
}

/*
 * The format's rules: every line ends in a newline, none is empty; each
 * family has HELP then TYPE before its samples, once; counters end in
 * _total and nothing else does; no series appears twice.
 */
static void
t_format_rules(void)
{
	char	*text, *line, *next, *lines[2048], fam[128], cur[128] = "";
	char	 type[32];
	size_t	 n = 0, i, cl;
	int	 rc, help = 0;

	if ((text = render_fixture(METRICS_MAX, &rc)) == NULL) {
		CHECK(0);
		return;
	}
	CHECK(text[strlen(text) - 1] == '\n');
	for (line = text; *line != '\0'; line = next) {
		next = strchr(line, '\n');
		CHECK(next != NULL && next != line);
		if (next == NULL)
			break;
		*next++ = '\0';
		if (strncmp(line, "# HELP ", 7) == 0) {
			family_of(line + 7, fam, sizeof(fam));
			CHECK(strcmp(fam, cur) != 0);
			snprintf(cur, sizeof(cur), "%s", fam);
			help = 1;
			continue;
		}
		if (strncmp(line, "# TYPE ", 7) == 0) {
			CHECK(help == 1);
			help = 2;
			CHECK(sscanf(line + 7 + strlen(cur), " %31s", type) == 1);
			CHECK(strcmp(type, "counter") == 0 ||
			    strcmp(type, "gauge") == 0 ||
			    strcmp(type, "histogram") == 0);
			cl = strlen(cur);
			CHECK((strcmp(type, "counter") == 0) ==
			    (cl > 6 && strcmp(cur + cl - 6, "_total") == 0));
			continue;
		}
		family_of(line, fam, sizeof(fam));
		CHECK(help == 2 && strcmp(fam, cur) == 0);
		CHECK(strncmp(line, "dnstlsd_", 8) == 0);
		if (n < sizeof(lines) / sizeof(lines[0]))
			lines[n++] = line;
	}
	/* duplicates, by series (everything before the value) */
	for (i = 0; i < n; i++)
		*strrchr(lines[i], ' ') = '\0';
	qsort(lines, n, sizeof(lines[0]), cmp_str);
	for (i = 1; i < n; i++)
		CHECK(strcmp(lines[i - 1], lines[i]) != 0);
	free(text);
}

static void
t_no_room(void)
{
	char	*text;
	int	 rc;

	text = render_fixture(4096, &rc);
	CHECK(rc == -1);
	free(text);
}

static void
t_no_upstreams(void)
{
	struct stats_frontend	 st;
	struct sbuf		 sb;

	memset(&st, 0, sizeof(st));
	sbuf_init(&sb, METRICS_MAX);
	CHECK(metrics_render(&sb, &st, NULL, 0, "0.1.0") == 0);
	CHECK(has_line(sbuf_str(&sb), "# TYPE dnstlsd_upstream_state gauge"));
	CHECK(strstr(sbuf_str(&sb), "upstream=") == NULL);
	CHECK(has_line(sbuf_str(&sb),
	    "dnstlsd_request_duration_seconds_sum 0"));
	sbuf_free(&sb);
}

static void
t_sbuf(void)
{
	struct sbuf	 sb;
	int		 i;

	sbuf_init(&sb, 10);
	CHECK(strcmp(sbuf_str(&sb), "") == 0);
	sbuf_puts(&sb, "0123456789");
	CHECK(sbuf_ok(&sb) && sb.len == 10);
	sbuf_putc(&sb, 'x');
	CHECK(!sbuf_ok(&sb) && sb.len == 10);
	sbuf_puts(&sb, "");
	CHECK(!sbuf_ok(&sb));	/* sticky */
	sbuf_reset(&sb);
	CHECK(sbuf_ok(&sb) && strcmp(sbuf_str(&sb), "") == 0);
	sbuf_printf(&sb, "%d-%s", 42, "ab");
	CHECK(strcmp(sbuf_str(&sb), "42-ab") == 0);
	sbuf_printf(&sb, "%s", "toolong");
	CHECK(!sbuf_ok(&sb) && strcmp(sbuf_str(&sb), "42-ab") == 0);
	sbuf_free(&sb);
	/* growth past the first allocation */
	sbuf_init(&sb, 100000);
	for (i = 0; i < 10000; i++)
		sbuf_printf(&sb, "%04d", i);
	CHECK(sbuf_ok(&sb) && sb.len == 40000);
	CHECK(strncmp(sb.buf + 39996, "9999", 4) == 0);
	sbuf_free(&sb);
	sbuf_init(&sb, SIZE_MAX);
	sbuf_puts(&sb, "x");
	CHECK(sbuf_ok(&sb));
	sbuf_free(&sb);
}

void
test_metrics(void)
{
	RUN(t_label_escape);
	RUN(t_seconds);
	RUN(t_golden);
	RUN(t_series);
	RUN(t_format_rules);
	RUN(t_no_room);
	RUN(t_no_upstreams);
	RUN(t_sbuf);
}
