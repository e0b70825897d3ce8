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
 * Canned statistics for the tests of the renderers and of dnstlsctl:
 * the same figures in the unit tests, the golden files of tests/golden,
 * and what tests/teststub serves.
 */

#ifndef FIXTURES_H
#define FIXTURES_H

#include <stddef.h>
#include <stdint.h>

#include "stats.h"

#define FIXTURE_NOW		INT64_C(1767268800)	/* 2026-01-01 12:00 */
#define FIXTURE_START		(FIXTURE_NOW - 93784)	/* 1d 2h 3m 4s */
#define FIXTURE_NUPSTREAMS	4
#define FIXTURE_LATENCIES	10000
#define FIXTURE_PIN		"YLh1dUR9y6Kja30RrAn7JKnbQG/uEtLMkBgFF2Fuihg="

void	 fixture_stats(struct stats_frontend *);
/* FIXTURE_NUPSTREAMS upstreams: up TLS, down TLS, unknown, plain */
void	 fixture_upstreams(struct stats_upstream [FIXTURE_NUPSTREAMS]);

#endif /* FIXTURES_H */
