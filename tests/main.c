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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "test.h"

int		 test_case_failed;
static int	 passed, failed;

void
test_run(const char *name, void (*fn)(void))
{
	test_case_failed = 0;
	fn();
	if (test_case_failed) {
		failed++;
		printf("FAIL %s\n", name);
	} else {
		passed++;
		if (getenv("TEST_VERBOSE") != NULL)
			printf("ok   %s\n", name);
	}
}

static const char *
golden_dir(void)
{
	const char	*dir = getenv("TEST_GOLDEN_DIR");

	return dir != NULL && *dir != '\0' ? dir : "tests/golden";
}

/* the first line where two texts differ, for the failure message */
static void
golden_diff(const char *path, const char *want, size_t wantlen,
    const char *got, size_t gotlen)
{
	size_t	 i, line = 1, start = 0;

	for (i = 0; i < wantlen && i < gotlen && want[i] == got[i]; i++)
		if (want[i] == '\n') {
			line++;
			start = i + 1;
		}
	fprintf(stderr, "%s:%zu: differs from the output (TEST_GOLDEN_UPDATE=1 "
	    "rewrites it); output there:\n%.*s\n", path, line,
	    (int)(gotlen - start < 200 ? gotlen - start : 200), got + start);
}

uint64_t
test_now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int
golden_match(const char *name, const char *text, size_t len)
{
	char	 path[1024], *want = NULL;
	FILE	*fp;
	long	 size;
	int	 ok = 0;

	snprintf(path, sizeof(path), "%s/%s", golden_dir(), name);
	if (getenv("TEST_GOLDEN_UPDATE") != NULL) {
		if ((fp = fopen(path, "w")) == NULL)
			return 0;
		ok = fwrite(text, 1, len, fp) == len;
		return fclose(fp) == 0 && ok;
	}
	if ((fp = fopen(path, "r")) == NULL) {
		fprintf(stderr, "%s: cannot open\n", path);
		return 0;
	}
	if (fseek(fp, 0, SEEK_END) == 0 && (size = ftell(fp)) >= 0 &&
	    fseek(fp, 0, SEEK_SET) == 0 &&
	    (want = malloc((size_t)size + 1)) != NULL &&
	    fread(want, 1, (size_t)size, fp) == (size_t)size) {
		ok = (size_t)size == len && memcmp(want, text, len) == 0;
		if (!ok)
			golden_diff(path, want, (size_t)size, text, len);
	}
	free(want);
	fclose(fp);
	return ok;
}

int
main(void)
{
	test_dns();
	test_imsg();
	test_config();
	test_pin();
	test_ratelimit();
	test_cache();
	test_acl();
	test_zone();
	test_localzone();
	test_histogram();
	test_http();
	test_metrics();
	test_control();
	test_ctlfmt();
	test_idtab();
	test_logline();
	printf("unit: %d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
