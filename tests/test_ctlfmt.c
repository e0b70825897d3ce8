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
 * Unit tests of dnstlsctl's output: the pieces, and the whole text and
 * JSON of the canned statistics against tests/golden (tests/ctl.sh
 * checks the same JSON with python3 -m json.tool through the real
 * program).
 */

#include <stdint.h>
#include <string.h>

#include "control.h"
#include "ctlfmt.h"
#include "fixtures.h"
#include "sbuf.h"
#include "stats.h"
#include "test.h"

#define DUR(us, want)	fmt_is(ctlfmt_duration, (us), (want))
#define AGE(s, want)	fmt_is(age_fmt, (uint64_t)(s), (want))

static void
age_fmt(struct sbuf *sb, uint64_t s)
{
	ctlfmt_age(sb, (int64_t)s);
}

static int
fmt_is(void (*fn)(struct sbuf *, uint64_t), uint64_t v, const char *want)
{
	struct sbuf	 sb;
	int		 ok;

	sbuf_init(&sb, 256);
	fn(&sb, v);
	ok = sbuf_ok(&sb) && strcmp(sbuf_str(&sb), want) == 0;
	if (!ok)
		fprintf(stderr, "got '%s', want '%s'\n", sbuf_str(&sb), want);
	sbuf_free(&sb);
	return ok;
}

static void
t_duration(void)
{
	CHECK(DUR(0, "0 us"));
	CHECK(DUR(999, "999 us"));
	CHECK(DUR(1000, "1.00 ms"));
	CHECK(DUR(12345, "12.34 ms"));
	CHECK(DUR(999999, "999.99 ms"));
	CHECK(DUR(1500000, "1.500 s"));
	CHECK(DUR(8388608, "8.388 s"));
}

static void
t_age(void)
{
	CHECK(AGE(0, "0s"));
	CHECK(AGE(59, "59s"));
	CHECK(AGE(61, "1m 1s"));
	CHECK(AGE(3600, "1h 0m"));
	CHECK(AGE(93784, "1d 2h 3m"));
	CHECK(AGE(86400 * 400, "400d 0h 0m"));
}

static int
json_is(const char *in, const char *want)
{
	struct sbuf	 sb;
	int		 ok;

	sbuf_init(&sb, 256);
	ctlfmt_json_string(&sb, in);
	ok = sbuf_ok(&sb) && strcmp(sbuf_str(&sb), want) == 0;
	sbuf_free(&sb);
	return ok;
}

static void
t_json_string(void)
{
	CHECK(json_is("", "\"\""));
	CHECK(json_is("plain text", "\"plain text\""));
	CHECK(json_is("a\"b\\c", "\"a\\\"b\\\\c\""));
	CHECK(json_is("\n\r\t", "\"\\n\\r\\t\""));
	CHECK(json_is("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\""));
	CHECK(json_is("caf\xc3\xa9", "\"caf\\u00c3\\u00a9\""));
	CHECK(json_is("</script>", "\"</script>\""));
}

static void
render(const char *golden, int what, int json)
{
	struct stats_frontend	 st;
	struct stats_upstream	 up[FIXTURE_NUPSTREAMS];
	struct ctl_result	 r;
	struct sbuf		 sb;

	sbuf_init(&sb, CTLFMT_MAX);
	switch (what) {
	case 0:
		fixture_stats(&st);
		ctlfmt_stats(&sb, &st, json, FIXTURE_NOW);
		break;
	case 1:
		fixture_upstreams(up);
		ctlfmt_upstreams(&sb, up, FIXTURE_NUPSTREAMS, json,
		    FIXTURE_NOW);
		break;
	default:
		ctl_result_set(&r, 0, "/etc/dnstlsd.conf:3: unknown keyword "
		    "\"bogus\"");
		ctlfmt_result(&sb, &r, json);
		break;
	}
	CHECK(sbuf_ok(&sb));
	CHECK(golden_match(golden, sbuf_str(&sb), sb.len));
	sbuf_free(&sb);
}

static void
t_golden(void)
{
	render("stats.txt", 0, 0);
	render("stats.json", 0, 1);
	render("upstreams.txt", 1, 0);
	render("upstreams.json", 1, 1);
	render("result.txt", 2, 0);
	render("result.json", 2, 1);
}

/* people: every figure of show stats ends in the same column */
static void
t_stats_aligned(void)
{
	struct stats_frontend	 st;
	struct sbuf		 sb;
	const char		*p, *nl;

	fixture_stats(&st);
	sbuf_init(&sb, CTLFMT_MAX);
	ctlfmt_stats(&sb, &st, 0, FIXTURE_NOW);
	for (p = sbuf_str(&sb); (nl = strchr(p, '\n')) != NULL; p = nl + 1)
		if (strncmp(p, "up since", 8) != 0)
			CHECK(nl - p == 40);
	CHECK(strstr(sbuf_str(&sb), "queries") != NULL);
	sbuf_free(&sb);
}

/* nothing from the daemon reaches the terminal unfiltered */
static void
t_text_sanitised(void)
{
	struct stats_upstream	 up[FIXTURE_NUPSTREAMS];
	struct ctl_result	 r;
	struct sbuf		 sb;

	fixture_upstreams(up);
	strcpy(up[0].name, "evil\033[2J\x9b" "1m");
	sbuf_init(&sb, CTLFMT_MAX);
	ctlfmt_upstreams(&sb, up, 1, 0, FIXTURE_NOW);
	CHECK(strchr(sbuf_str(&sb), '\033') == NULL);
	CHECK(strchr(sbuf_str(&sb), '\x9b') == NULL);
	CHECK(strstr(sbuf_str(&sb), "evil?[2J?1m") != NULL);
	sbuf_reset(&sb);
	ctl_result_set(&r, 0, "line\r\033]0;title\007");
	ctlfmt_result(&sb, &r, 0);
	CHECK(strcmp(sbuf_str(&sb), "line??]0;title?\n") == 0);
	sbuf_free(&sb);
}

static void
t_empty(void)
{
	struct stats_frontend	 st;
	struct sbuf		 sb;
	struct ctl_result	 r;

	sbuf_init(&sb, CTLFMT_MAX);
	ctlfmt_upstreams(&sb, NULL, 0, 0, FIXTURE_NOW);
	CHECK(strcmp(sbuf_str(&sb), "no upstreams\n") == 0);
	sbuf_reset(&sb);
	ctlfmt_upstreams(&sb, NULL, 0, 1, FIXTURE_NOW);
	CHECK(strcmp(sbuf_str(&sb), "{\n  \"upstreams\": []\n}\n") == 0);
	sbuf_reset(&sb);
	memset(&st, 0, sizeof(st));
	ctlfmt_stats(&sb, &st, 0, FIXTURE_NOW);
	CHECK(strstr(sbuf_str(&sb), "\nlatency                                -\n")
	    != NULL);
	sbuf_reset(&sb);
	ctl_result_set(&r, 1, "%s", "");
	ctlfmt_result(&sb, &r, 0);
	CHECK(sb.len == 0);
	sbuf_free(&sb);
}

void
test_ctlfmt(void)
{
	RUN(t_duration);
	RUN(t_age);
	RUN(t_json_string);
	RUN(t_golden);
	RUN(t_stats_aligned);
	RUN(t_text_sanitised);
	RUN(t_empty);
}
