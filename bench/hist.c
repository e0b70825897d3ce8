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
 * histbench: what histogram_add() costs on the per-answer path, and
 * what the clock reads that time an answer cost beside it.
 *
 * Latencies are drawn beforehand (a log-uniform spread from 10 us to
 * 2 s, the shape a cache and a few upstreams give) into an array that
 * fits in L1, so the loop measures the add and not the generator. The
 * histogram is the daemon's own (histogram.h, inline add). Each figure
 * is the best of ROUNDS runs of N operations, in ns per operation.
 * Prints one JSON object on stdout.
 */

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "histogram.h"

#define N	(1 << 26)
#define ROUNDS	5
#define NVALUES	4096		/* 32 KB of samples */

static uint64_t	 values[NVALUES];

static uint64_t
now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

static double
bench_add(struct histogram *h)
{
	uint64_t	 t0, best = UINT64_MAX;
	int		 r;
	size_t		 i;

	for (r = 0; r < ROUNDS; r++) {
		t0 = now_ns();
		for (i = 0; i < N; i++)
			histogram_add(h, values[i & (NVALUES - 1)]);
		t0 = now_ns() - t0;
		if (t0 < best)
			best = t0;
	}
	return (double)best / N;
}

/* the same loop without the add: what the loop itself costs */
static double
bench_loop(volatile uint64_t *sink)
{
	uint64_t	 t0, best = UINT64_MAX, s = 0;
	int		 r;
	size_t		 i;

	for (r = 0; r < ROUNDS; r++) {
		t0 = now_ns();
		for (i = 0; i < N; i++) {
			s += values[i & (NVALUES - 1)];
			__asm__ volatile("" : "+r" (s));
		}
		t0 = now_ns() - t0;
		if (t0 < best)
			best = t0;
	}
	*sink = s;
	return (double)best / N;
}

static double
bench_clock(clockid_t id)
{
	struct timespec	 ts;
	uint64_t	 t0, best = UINT64_MAX;
	int		 r, i, n = 1 << 22;

	for (r = 0; r < ROUNDS; r++) {
		t0 = now_ns();
		for (i = 0; i < n; i++)
			clock_gettime(id, &ts);
		t0 = now_ns() - t0;
		if (t0 < best)
			best = t0;
	}
	return (double)best / n;
}

int
main(void)
{
	struct histogram	 h;
	volatile uint64_t	 sink;
	size_t			 i;
	double			 add, loop;

	srandom(1);
	for (i = 0; i < NVALUES; i++)
		values[i] = (uint64_t)(10.0 * pow(2e5, (double)random() /
		    RAND_MAX));
	histogram_init(&h);
	add = bench_add(&h);
	loop = bench_loop(&sink);
	printf("{\"histogram_add_ns\": %.2f, \"loop_ns\": %.2f, "
	    "\"add_minus_loop_ns\": %.2f, \"clock_monotonic_ns\": %.2f, "
	    "\"clock_monotonic_coarse_ns\": %.2f, \"p50_us\": %" PRIu64
	    ", \"p99_us\": %" PRIu64 "}\n", add, loop, add - loop,
	    bench_clock(CLOCK_MONOTONIC), bench_clock(CLOCK_MONOTONIC_COARSE),
	    histogram_percentile(&h, 500), histogram_percentile(&h, 990));
	return 0;
}
