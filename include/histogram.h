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
 * A fixed latency histogram in microseconds for the per-answer path:
 * log-linear buckets (four per power of two) from 64 us to 8.4 s, one
 * bucket below and one above. Adding is an index computed with a count
 * of leading zeros and one increment: no loop, no floating point. Pure,
 * and a plain struct of counters, so that it can be copied between
 * processes as it is.
 *
 * Bucket 0 holds [0, 64 us); bucket 1 + 4 * (k - 6) + s, for k = 6..22
 * and s = 0..3, holds [(4 + s) << (k - 2), (5 + s) << (k - 2)); the last
 * bucket holds 8.388608 s and above. The relative width of a bucket is at
 * most 25 %, so a percentile read from it is within about 12 %.
 */

#ifndef HISTOGRAM_H
#define HISTOGRAM_H

#include <stddef.h>
#include <stdint.h>

#define HIST_SUBBITS	2			/* 4 buckets per octave */
#define HIST_MINBIT	6			/* 64 us */
#define HIST_MAXBIT	23			/* 8.388608 s */
#define HIST_MIN_US	(UINT64_C(1) << HIST_MINBIT)
#define HIST_MAX_US	(UINT64_C(1) << HIST_MAXBIT)
#define HIST_NBUCKETS	(2 + ((HIST_MAXBIT - HIST_MINBIT) << HIST_SUBBITS))

/*
 * The cumulative view for Prometheus keeps every other boundary (two per
 * octave, 36 with +Inf): half the series, and each count still exact.
 */
#define HIST_CUM_STRIDE	2
#define HIST_NCUM	(1 + (HIST_NBUCKETS - 2) / HIST_CUM_STRIDE + 1)
#define HIST_INF	UINT64_MAX		/* le of the last row: +Inf */

struct histogram {
	uint64_t	 bucket[HIST_NBUCKETS];
	uint64_t	 sum_us;
};

/* one row of the cumulative view: count of values below le_us */
struct hist_row {
	uint64_t	 le_us;			/* HIST_INF for the last row */
	uint64_t	 count;
};

static inline unsigned int
histogram_index(uint64_t us)
{
	unsigned int	 msb;

	if (us < HIST_MIN_US)
		return 0;
	if (us > HIST_MAX_US)
		us = HIST_MAX_US;
	msb = 63U - (unsigned int)__builtin_clzll(us);
	return 1U + ((msb - HIST_MINBIT) << HIST_SUBBITS) +
	    (unsigned int)((us >> (msb - HIST_SUBBITS)) &
	    ((1U << HIST_SUBBITS) - 1));
}

/* the per-answer path: inline, a few instructions */
static inline void
histogram_add(struct histogram *h, uint64_t us)
{
	h->bucket[histogram_index(us)]++;
	h->sum_us += us;
}

void	 histogram_init(struct histogram *);
void	 histogram_merge(struct histogram *, const struct histogram *);
uint64_t histogram_count(const struct histogram *);

/* bounds of bucket i in us: [lower, upper); upper is HIST_INF for the last */
uint64_t histogram_lower(unsigned int);
uint64_t histogram_upper(unsigned int);

/*
 * The value below which permille/1000 of the values lie, interpolated
 * linearly inside its bucket; 0 for an empty histogram, the lower bound
 * (8.4 s) when it falls in the last bucket. permille is capped at 1000.
 */
uint64_t histogram_percentile(const struct histogram *, unsigned int permille);

/* the cumulative rows Prometheus wants (le, count); returns HIST_NCUM */
size_t	 histogram_cumulative(const struct histogram *,
	    struct hist_row [HIST_NCUM]);

#endif /* HISTOGRAM_H */
