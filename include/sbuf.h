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
 * A growing text buffer with a hard cap and a sticky error, for the
 * renderers (Prometheus text, dnstlsctl's output): append freely, check
 * once at the end. Once an append fails (cap reached, out of memory)
 * every later one is ignored and sbuf_ok() says so. Pure.
 */

#ifndef SBUF_H
#define SBUF_H

#include <stddef.h>

struct sbuf {
	char	*buf;		/* NUL-terminated once anything was added */
	size_t	 len;		/* bytes of text, without the NUL */
	size_t	 size;		/* allocated */
	size_t	 max;		/* text never longer than this */
	int	 error;
};

void	 sbuf_init(struct sbuf *, size_t max);
void	 sbuf_free(struct sbuf *);
void	 sbuf_reset(struct sbuf *);		/* empty, keep the memory */
int	 sbuf_ok(const struct sbuf *);		/* 1: every append fitted */
void	 sbuf_add(struct sbuf *, const void *, size_t);
void	 sbuf_puts(struct sbuf *, const char *);
void	 sbuf_putc(struct sbuf *, char);
void	 sbuf_printf(struct sbuf *, const char *, ...)
	    __attribute__((__format__ (printf, 2, 3)));
/* "" when nothing was added; never NULL */
const char *sbuf_str(const struct sbuf *);

#endif /* SBUF_H */
