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

/* Unit tests of the latency histogram. */

#include <stdint.h>
#include <string.h>

#include "histogram.h"
#include "test.h"

static void
t_index_edges(void)
{
	CHECK(histogram_index(0) == 0);
	CHECK(histogram_index(63) == 0);
	CHECK(histogram_index(64) == 1);
	CHECK(histogram_index(79) == 1);
	CHECK(histogram_index(80) == 2);
	CHECK(histogram_index(127) == 4);
	CHECK(histogram_index(128) == 5);
	CHECK(histogram_index(HIST_MAX_US - 1) == HIST_NBUCKETS - 2);
	CHECK(histogram_index(HIST_MAX_US) == HIST_NBUCKETS - 1);
	CHECK(histogram_index(UINT64_MAX) == HIST_NBUCKETS - 1);
}

/* every bucket holds exactly [lower, upper) and they tile the line */
static void
t_bounds_tile(void)
{
	unsigned int	 i;

	CHECK(histogram_lower(0) == 0);
	for (i = 0; i < HIST_NBUCKETS; i++) {
		CHECK(histogram_index(histogram_lower(i)) == i);
		if (i + 1 < HIST_NBUCKETS) {
			CHECK(histogram_upper(i) == histogram_lower(i + 1));
			CHECK(histogram_index(histogram_upper(i) - 1) == i);
			CHECK(histogram_upper(i) > histogram_lower(i));
		}
	}
	CHECK(histogram_upper(HIST_NBUCKETS - 1) == HIST_INF);
	CHECK(histogram_lower(HIST_NBUCKETS - 1) == HIST_MAX_US);
	/* the advertised range: about 50 us to over 5 s */
	CHECK(histogram_upper(0) == 64);
	CHECK(histogram_upper(HIST_NBUCKETS - 2) > 5000000);
	CHECK(histogram_lower(histogram_index(5000000)) < 5000000);
	CHECK(histogram_upper(histogram_index(5000000)) <= 6291456);
}

/* relative width at most 25 %: what the percentile error rests on */
static void
t_bucket_width(void)
{
	unsigned int	 i;
	uint64_t	 lo, hi;

	for (i = 1; i < HIST_NBUCKETS - 1; i++) {
		lo = histogram_lower(i);
		hi = histogram_upper(i);
		CHECK((hi - lo) * 4 <= lo);
	}
}

static void
t_index_monotonic(void)
{
	uint64_t	 us;
	unsigned int	 prev = 0, i;

	for (us = 0; us < 3 * HIST_MAX_US; us += 1 + us / 64) {
		i = histogram_index(us);
		CHECK(i >= prev);
		CHECK(us >= histogram_lower(i));
		CHECK(i == HIST_NBUCKETS - 1 || us < histogram_upper(i));
		prev = i;
	}
}

static void
t_add_sum_count(void)
{
	struct histogram	 h;

	histogram_init(&h);
	CHECK(histogram_count(&h) == 0);
	histogram_add(&h, 10);
	histogram_add(&h, 1000);
	histogram_add(&h, 20000000);
	CHECK(histogram_count(&h) == 3);
	CHECK(h.sum_us == 20001010);
	CHECK(h.bucket[0] == 1);
	CHECK(h.bucket[HIST_NBUCKETS - 1] == 1);
}

static int
near(uint64_t got, uint64_t want, unsigned int pct)
{
	uint64_t	 d = got > want ? got - want : want - got;

	return d * 100 <= want * pct;
}

static void
t_percentile_uniform(void)
{
	struct histogram	 h;
	uint64_t		 us;

	histogram_init(&h);
	for (us = 1; us <= 100000; us++)
		histogram_add(&h, us);
	CHECK(near(histogram_percentile(&h, 500), 50000, 12));
	CHECK(near(histogram_percentile(&h, 900), 90000, 12));
	CHECK(near(histogram_percentile(&h, 990), 99000, 12));
	CHECK(histogram_percentile(&h, 1000) <= 131072);
	CHECK(histogram_percentile(&h, 0) < 64);
	CHECK(histogram_percentile(&h, 5000) ==
	    histogram_percentile(&h, 1000));
}

static void
t_percentile_point(void)
{
	struct histogram	 h;
	uint64_t		 p;
	int			 i;

	histogram_init(&h);
	for (i = 0; i < 1000; i++)
		histogram_add(&h, 1000);
	p = histogram_percentile(&h, 500);
	CHECK(p >= histogram_lower(histogram_index(1000)));
	CHECK(p <= histogram_upper(histogram_index(1000)));
	/* a tail of slow answers moves p99, not p50 */
	for (i = 0; i < 20; i++)
		histogram_add(&h, 300000);
	CHECK(near(histogram_percentile(&h, 500), p, 1));
	CHECK(near(histogram_percentile(&h, 990), 300000, 15));
}

static void
t_percentile_edges(void)
{
	struct histogram	 h;

	histogram_init(&h);
	CHECK(histogram_percentile(&h, 500) == 0);
	histogram_add(&h, 30000000);
	CHECK(histogram_percentile(&h, 500) == HIST_MAX_US);
	CHECK(histogram_percentile(&h, 990) == HIST_MAX_US);
	/* counts near the top of uint64_t: no overflow in the rank */
	histogram_init(&h);
	h.bucket[1] = UINT64_MAX / 2;
	h.bucket[10] = UINT64_MAX / 2;
	CHECK(histogram_percentile(&h, 250) >= histogram_lower(1));
	CHECK(histogram_percentile(&h, 250) <= histogram_upper(1));
	CHECK(histogram_percentile(&h, 990) >= histogram_lower(10));
	CHECK(histogram_percentile(&h, 990) <= histogram_upper(10));
}

static void
t_merge(void)
{
	struct histogram	 a, b, both;
	uint64_t		 us;

	histogram_init(&a);
	histogram_init(&b);
	histogram_init(&both);
	for (us = 1; us < 50000; us += 7) {
		histogram_add(us % 2 ? &a : &b, us);
		histogram_add(&both, us);
	}
	histogram_merge(&a, &b);
	CHECK(memcmp(&a, &both, sizeof(a)) == 0);
}

static void
t_cumulative(void)
{
	struct histogram	 h;
	struct hist_row		 rows[HIST_NCUM];
	size_t			 n, i;
	uint64_t		 us;

	histogram_init(&h);
	for (us = 0; us < 2 * HIST_MAX_US; us += 997)
		histogram_add(&h, us);
	n = histogram_cumulative(&h, rows);
	CHECK(n == HIST_NCUM);
	CHECK(n == 36);
	CHECK(rows[0].le_us == 64 && rows[0].count == 1);
	CHECK(rows[1].le_us == 96);
	CHECK(rows[2].le_us == 128);
	CHECK(rows[3].le_us == 192);
	CHECK(rows[n - 2].le_us == HIST_MAX_US);
	CHECK(rows[n - 1].le_us == HIST_INF);
	CHECK(rows[n - 1].count == histogram_count(&h));
	for (i = 1; i < n; i++) {
		CHECK(rows[i].le_us > rows[i - 1].le_us);
		CHECK(rows[i].count >= rows[i - 1].count);
	}
	/* each row is exact: every value below le counted, none above */
	for (i = 0; i + 1 < n; i++)
		CHECK(rows[i].count == (rows[i].le_us + 996) / 997);
}

void
test_histogram(void)
{
	RUN(t_index_edges);
	RUN(t_bounds_tile);
	RUN(t_bucket_width);
	RUN(t_index_monotonic);
	RUN(t_add_sum_count);
	RUN(t_percentile_uniform);
	RUN(t_percentile_point);
	RUN(t_percentile_edges);
	RUN(t_merge);
	RUN(t_cumulative);
}
