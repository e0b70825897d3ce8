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
 * The latency histogram: everything but the add, which is inline in
 * histogram.h. Pure: no clock, no I/O.
 */

#include <stdint.h>
#include <string.h>

#include "histogram.h"

_Static_assert(HIST_NBUCKETS == 70, "bucket layout changed: update docs");
_Static_assert((HIST_NBUCKETS - 2) % HIST_CUM_STRIDE == 0,
    "the cumulative view must end on the last finite boundary");

void
histogram_init(struct histogram *h)
{
	memset(h, 0, sizeof(*h));
}

void
histogram_merge(struct histogram *to, const struct histogram *from)
{
	size_t	 i;

	for (i = 0; i < HIST_NBUCKETS; i++)
		to->bucket[i] += from->bucket[i];
	to->sum_us += from->sum_us;
}

uint64_t
histogram_count(const struct histogram *h)
{
	uint64_t	 n = 0;
	size_t		 i;

	for (i = 0; i < HIST_NBUCKETS; i++)
		n += h->bucket[i];
	return n;
}

uint64_t
histogram_lower(unsigned int i)
{
	unsigned int	 octave, sub;

	if (i == 0)
		return 0;
	if (i >= HIST_NBUCKETS - 1)
		return HIST_MAX_US;
	octave = HIST_MINBIT + ((i - 1) >> HIST_SUBBITS);
	sub = (i - 1) & ((1U << HIST_SUBBITS) - 1);
	return (uint64_t)((1U << HIST_SUBBITS) + sub) <<
	    (octave - HIST_SUBBITS);
}

uint64_t
histogram_upper(unsigned int i)
{
	if (i >= HIST_NBUCKETS - 1)
		return HIST_INF;
	return histogram_lower(i + 1);
}

/* ceil(n * permille / 1000) without overflow, at least 1 */
static uint64_t
rank_of(uint64_t n, unsigned int permille)
{
	uint64_t	 r;

	r = n / 1000 * permille;
	r += (n % 1000 * permille + 999) / 1000;
	return r > 0 ? r : 1;
}

uint64_t
histogram_percentile(const struct histogram *h, unsigned int permille)
{
	uint64_t	 n, rank, below = 0, lo, hi;
	double		 frac;
	unsigned int	 i;

	if (permille > 1000)
		permille = 1000;
	if ((n = histogram_count(h)) == 0)
		return 0;
	rank = rank_of(n, permille);
	for (i = 0; i < HIST_NBUCKETS; i++) {
		if (h->bucket[i] > 0 && rank <= below + h->bucket[i])
			break;
		below += h->bucket[i];
	}
	lo = histogram_lower(i);
	if (i >= HIST_NBUCKETS - 1)
		return lo;	/* no upper bound to interpolate towards */
	hi = histogram_upper(i);
	frac = (double)(rank - below) / (double)h->bucket[i];
	if (frac > 1.0)
		frac = 1.0;	/* counts that wrapped: another process's */
	return lo + (uint64_t)((double)(hi - lo) * frac);
}

size_t
histogram_cumulative(const struct histogram *h, struct hist_row rows[HIST_NCUM])
{
	uint64_t	 cum = 0;
	size_t		 n = 0;
	unsigned int	 i;

	for (i = 0; i < HIST_NBUCKETS; i++) {
		cum += h->bucket[i];
		if (i == 0 || i == HIST_NBUCKETS - 1 ||
		    i % HIST_CUM_STRIDE == 0) {
			rows[n].le_us = histogram_upper(i);
			rows[n].count = cum;
			n++;
		}
	}
	return n;
}
