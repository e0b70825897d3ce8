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
 * The Prometheus text exposition format (version 0.0.4) of the daemon's
 * statistics, served by the frontend's metrics listener at /metrics.
 * Pure: renders structs into a bounded text buffer.
 *
 * Names are dnstlsd_*, counters end in _total, durations are in seconds,
 * the latency is a histogram; CoreDNS's names are followed where one
 * fits. Per-upstream series carry upstream="ADDR@PORT" and zone="ZONE"
 * ("" for the default upstreams); the pair must be unique. No query name
 * ever appears.
 */

#ifndef METRICS_H
#define METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "sbuf.h"
#include "stats.h"

#define METRICS_CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"
/* a cap for sbuf_init(): the frontend part is 8 KB, an upstream 3 KB */
#define METRICS_MAX		(1024 * 1024)

/*
 * Append the exposition of st and the nup upstreams to sb. 0 ok, -1 when
 * sb ran out of room (its text is then incomplete: do not serve it).
 */
int	 metrics_render(struct sbuf *, const struct stats_frontend *,
	    const struct stats_upstream *, size_t nup, const char *version);

/* a label value escaped as the format wants (\\, \", \n) */
void	 metrics_label_value(struct sbuf *, const char *);
/* microseconds as decimal seconds: 64 -> "0.000064", 2000000 -> "2" */
void	 metrics_seconds(struct sbuf *, uint64_t us);

#endif /* METRICS_H */
