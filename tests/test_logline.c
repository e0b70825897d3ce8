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

/* Unit tests of the parent's handling of a child's log line. */

#include <stdint.h>
#include <string.h>

#include "logline.h"
#include "test.h"

static int
formats_to(const char *role, const char *msg, size_t len, const char *want)
{
	char	 out[LOGLINE_ESCAPED(64) + 32];
	size_t	 n;

	n = logline_format(out, sizeof(out), role, (const uint8_t *)msg, len);
	if (n != strlen(out) || strcmp(out, want) != 0) {
		fprintf(stderr, "got \"%s\", want \"%s\"\n", out, want);
		return 0;
	}
	return 1;
}

#define FMT(role, msg, want)	formats_to(role, msg, sizeof(msg) - 1, want)

/* a forged second line stays on the first, under the child's role */
static void
t_forged_line(void)
{
	CHECK(FMT("frontend", "hello\nparent: started: forged",
	    "frontend: hello\\nparent: started: forged"));
	CHECK(FMT("resolver", "x\r\nparent: y", "resolver: x\\r\\nparent: y"));
	CHECK(FMT("frontend", "plain text, 100% (ok)",
	    "frontend: plain text, 100% (ok)"));
}

static void
t_escapes(void)
{
	CHECK(FMT("r", "a\tb", "r: a\\tb"));
	CHECK(FMT("r", "back\\slash", "r: back\\\\slash"));
	CHECK(FMT("r", "\033[2J", "r: \\033[2J"));
	CHECK(FMT("r", "\x7f\xff\x80", "r: \\177\\377\\200"));
	CHECK(FMT("r", "nul\0after", "r: nul\\000after"));
	CHECK(FMT("r", "", "r: "));
}

/* a line too long is cut between escapes, never inside one */
static void
t_cut(void)
{
	char	 out[12];
	size_t	 n;

	n = logline_format(out, sizeof(out), "r", (const uint8_t *)"abcd\n",
	    5);
	CHECK(n == 9 && strcmp(out, "r: abcd\\n") == 0);
	n = logline_format(out, 10, "r", (const uint8_t *)"abcd\n", 5);
	CHECK(n == 9 && strcmp(out, "r: abcd\\n") == 0);
	n = logline_format(out, 9, "r", (const uint8_t *)"abcd\n", 5);
	CHECK(n == 7 && strcmp(out, "r: abcd") == 0);
	n = logline_format(out, 10, "r", (const uint8_t *)"abc\377", 4);
	CHECK(n == 6 && strcmp(out, "r: abc") == 0);
	n = logline_format(out, 1, "r", (const uint8_t *)"abc", 3);
	CHECK(n == 0 && out[0] == '\0');
	CHECK(logline_format(out, 0, "r", (const uint8_t *)"abc", 3) == 0);
}

/* every byte value comes out printable, within the documented bound */
static void
t_all_bytes(void)
{
	uint8_t	 in[256];
	char	 out[LOGLINE_ESCAPED(256) + 8];
	size_t	 i, n;
	int	 bad = 0;

	for (i = 0; i < 256; i++)
		in[i] = (uint8_t)i;
	n = logline_format(out, sizeof(out), "r", in, sizeof(in));
	for (i = 0; i < n; i++)
		if (out[i] < 0x20 || out[i] > 0x7e)
			bad++;
	CHECK(bad == 0);
	CHECK(n == strlen(out));
	CHECK(n > 256 + 3 && n < sizeof(out));
}

static void
t_limit_burst(void)
{
	struct logline_limit	 l;
	int			 i, passed = 0;

	logline_limit_init(&l, 50, 200, 1000);
	for (i = 0; i < 1000; i++)
		passed += logline_admit(&l, 1000);
	CHECK(passed == 200);
	CHECK(logline_dropped(&l) == 800);
	CHECK(logline_dropped(&l) == 0);
	/* 50 a second after that: one every 20 ms */
	CHECK(logline_admit(&l, 1019) == 0);
	CHECK(logline_admit(&l, 1020) == 1);
	CHECK(logline_admit(&l, 1020) == 0);
	passed = 0;
	for (i = 0; i < 1000; i++)
		passed += logline_admit(&l, 1020 + (uint64_t)i);
	CHECK(passed == 49 || passed == 50);
	CHECK(logline_dropped(&l) > 900);
}

/* a flood of 10 s gets about 200 + 10 * 50 lines through, no more */
static void
t_limit_flood(void)
{
	struct logline_limit	 l;
	uint64_t		 t;
	int			 passed = 0;

	logline_limit_init(&l, 50, 200, 0);
	for (t = 0; t < 10000; t++)
		passed += logline_admit(&l, t) + logline_admit(&l, t);
	CHECK(passed >= 690 && passed <= 701);
	CHECK(logline_dropped(&l) == 20000 - (uint64_t)passed);
}

/* idle time refills to the burst, not beyond; the clock may go back */
static void
t_limit_refill(void)
{
	struct logline_limit	 l;
	int			 i, passed = 0;

	logline_limit_init(&l, 50, 200, 0);
	for (i = 0; i < 200; i++)
		passed += logline_admit(&l, 0);
	CHECK(passed == 200 && logline_admit(&l, 0) == 0);
	passed = 0;
	for (i = 0; i < 300; i++)
		passed += logline_admit(&l, 3600000);
	CHECK(passed == 200);
	CHECK(logline_admit(&l, 5) == 0);
	CHECK(logline_admit(&l, 25) == 1);
}

void
test_logline(void)
{
	RUN(t_forged_line);
	RUN(t_escapes);
	RUN(t_cut);
	RUN(t_all_bytes);
	RUN(t_limit_burst);
	RUN(t_limit_flood);
	RUN(t_limit_refill);
}
