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
 * dnstlsctl's output: the replies of the control protocol formatted for
 * people (aligned columns) or, with -j, as JSON for scripts. Pure:
 * structs in, text out, the current time passed in.
 *
 * Strings from the daemon (names, zones, messages) are printed with any
 * byte that is not printable ASCII replaced by '?', so a reply cannot
 * drive the terminal; in JSON they are escaped, and such bytes written
 * as \u00XX, so the output is always valid JSON. Records must have
 * passed stats_upstream_check() or ctl_check_result() first: their
 * strings are then NUL-terminated.
 */

#ifndef CTLFMT_H
#define CTLFMT_H

#include <stddef.h>
#include <stdint.h>

#include "control.h"
#include "sbuf.h"
#include "stats.h"

#define CTLFMT_MAX	(1024 * 1024)	/* a cap for sbuf_init() */

void	 ctlfmt_stats(struct sbuf *, const struct stats_frontend *, int json,
	    int64_t now);
void	 ctlfmt_upstreams(struct sbuf *, const struct stats_upstream *,
	    size_t, int json, int64_t now);
void	 ctlfmt_result(struct sbuf *, const struct ctl_result *, int json);

/* the pieces, for tests */
void	 ctlfmt_json_string(struct sbuf *, const char *);
void	 ctlfmt_duration(struct sbuf *, uint64_t us);	/* "1.25 ms" */
void	 ctlfmt_age(struct sbuf *, int64_t seconds);	/* "3d 4h 5m" */

#endif /* CTLFMT_H */
