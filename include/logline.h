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
 * The parent's side of a child's log line, for the parent: the child is
 * not trusted to say who it is, to keep its message on one line, or to
 * log at a bounded rate. Pure: no clock, no logging; the caller passes a
 * monotonic time in milliseconds.
 */

#ifndef LOGLINE_H
#define LOGLINE_H

#include <stddef.h>
#include <stdint.h>

/* room for the escaped form of n bytes: at most 4 each, and the NUL */
#define LOGLINE_ESCAPED(n)	(4 * (n) + 1)

/*
 * "role: message" into dst, the message escaped in the style of vis(3):
 * printable ASCII as is but for the backslash ("\\"); newline, carriage
 * return and tab as "\n", "\r", "\t"; every other byte as "\ooo" (octal).
 * The result is one line of printable ASCII, cut (never inside an
 * escape) when dst is too small. Returns its length; dstsize must be > 0.
 */
size_t		 logline_format(char *dst, size_t dstsize, const char *role,
		    const uint8_t *msg, size_t len);

/*
 * A token bucket per child: rate lines a second, bursts of burst lines;
 * a line over it is dropped and counted.
 */
struct logline_limit {
	uint64_t	 last_ms;
	uint64_t	 tokens;	/* thousandths of a line */
	uint64_t	 dropped;	/* since logline_dropped() last asked */
	uint32_t	 rate, burst;
};

void		 logline_limit_init(struct logline_limit *, uint32_t rate,
		    uint32_t burst, uint64_t now_ms);
/* 1: write this line; 0: dropped */
int		 logline_admit(struct logline_limit *, uint64_t now_ms);
/* lines dropped since the last call */
uint64_t	 logline_dropped(struct logline_limit *);

#endif /* LOGLINE_H */
