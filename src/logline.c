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
 * A child's log line as the parent writes it (see logline.h): the role
 * in front, chosen by the parent; the message made one printable line;
 * and a rate limit per child.
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "logline.h"

#define REFILL_MAX_MS	60000	/* keeps elapsed * rate small */

/* the escape for byte c into out (at least 5 bytes); its length */
static size_t
escape(uint8_t c, char *out)
{
	static const char	 octal[] = "01234567";

	switch (c) {
	case '\\':
		out[0] = '\\';
		out[1] = '\\';
		return 2;
	case '\n':
		out[0] = '\\';
		out[1] = 'n';
		return 2;
	case '\r':
		out[0] = '\\';
		out[1] = 'r';
		return 2;
	case '\t':
		out[0] = '\\';
		out[1] = 't';
		return 2;
	}
	if (c >= 0x20 && c <= 0x7e) {
		out[0] = (char)c;
		return 1;
	}
	out[0] = '\\';
	out[1] = octal[(c >> 6) & 7];
	out[2] = octal[(c >> 3) & 7];
	out[3] = octal[c & 7];
	return 4;
}

static size_t
append(char *dst, size_t dstsize, size_t off, const uint8_t *src, size_t len)
{
	char	 e[5];
	size_t	 i, n;

	for (i = 0; i < len; i++) {
		n = escape(src[i], e);
		if (n >= dstsize - off)
			break;
		memcpy(dst + off, e, n);
		off += n;
	}
	dst[off] = '\0';
	return off;
}

size_t
logline_format(char *dst, size_t dstsize, const char *role,
    const uint8_t *msg, size_t len)
{
	size_t	 off;

	if (dstsize == 0)
		return 0;
	off = append(dst, dstsize, 0, (const uint8_t *)role, strlen(role));
	off = append(dst, dstsize, off, (const uint8_t *)": ", 2);
	return append(dst, dstsize, off, msg, len);
}

void
logline_limit_init(struct logline_limit *l, uint32_t rate, uint32_t burst,
    uint64_t now_ms)
{
	l->rate = rate;
	l->burst = burst;
	l->tokens = (uint64_t)burst * 1000;
	l->last_ms = now_ms;
	l->dropped = 0;
}

/* rate lines a second are rate thousandths of a line a millisecond */
static void
refill(struct logline_limit *l, uint64_t now_ms)
{
	uint64_t	 elapsed = 0;

	if (now_ms > l->last_ms)
		elapsed = now_ms - l->last_ms;
	if (elapsed > REFILL_MAX_MS)
		elapsed = REFILL_MAX_MS;
	l->tokens += elapsed * l->rate;
	if (l->tokens > (uint64_t)l->burst * 1000)
		l->tokens = (uint64_t)l->burst * 1000;
	l->last_ms = now_ms;
}

int
logline_admit(struct logline_limit *l, uint64_t now_ms)
{
	refill(l, now_ms);
	if (l->tokens < 1000) {
		l->dropped++;
		return 0;
	}
	l->tokens -= 1000;
	return 1;
}

uint64_t
logline_dropped(struct logline_limit *l)
{
	uint64_t	 n = l->dropped;

	l->dropped = 0;
	return n;
}
