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

/* The bounded text buffer of sbuf.h. Pure. */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"

#define SBUF_MIN	1024

void
sbuf_init(struct sbuf *sb, size_t max)
{
	memset(sb, 0, sizeof(*sb));
	/* doubling in reserve() stays far from SIZE_MAX */
	sb->max = max < SIZE_MAX / 4 ? max : SIZE_MAX / 4;
}

void
sbuf_free(struct sbuf *sb)
{
	free(sb->buf);
	memset(sb, 0, sizeof(*sb));
}

void
sbuf_reset(struct sbuf *sb)
{
	sb->len = 0;
	sb->error = 0;
	if (sb->buf != NULL)
		sb->buf[0] = '\0';
}

int
sbuf_ok(const struct sbuf *sb)
{
	return !sb->error;
}

const char *
sbuf_str(const struct sbuf *sb)
{
	return sb->buf != NULL ? sb->buf : "";
}

/* Room for len more bytes and the NUL, within max; 0 ok, -1 error set. */
static int
reserve(struct sbuf *sb, size_t len)
{
	size_t	 need, size;
	char	*p;

	if (sb->error)
		return -1;
	if (len > sb->max || sb->len > sb->max - len) {
		sb->error = 1;
		return -1;
	}
	need = sb->len + len + 1;	/* cannot wrap: both below max */
	if (need <= sb->size)
		return 0;
	size = sb->size > SBUF_MIN ? sb->size : SBUF_MIN;
	while (size < need)
		size = size > (sb->max + 1) / 2 ? sb->max + 1 : size * 2;
	if ((p = realloc(sb->buf, size)) == NULL) {
		sb->error = 1;
		return -1;
	}
	sb->buf = p;
	sb->size = size;
	return 0;
}

void
sbuf_add(struct sbuf *sb, const void *data, size_t len)
{
	if (reserve(sb, len) == -1)
		return;
	if (len > 0)
		memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void
sbuf_puts(struct sbuf *sb, const char *s)
{
	sbuf_add(sb, s, strlen(s));
}

void
sbuf_putc(struct sbuf *sb, char c)
{
	sbuf_add(sb, &c, 1);
}

void
sbuf_printf(struct sbuf *sb, const char *fmt, ...)
{
	va_list	 ap;
	size_t	 room;
	int	 n;

	if (sb->error)
		return;
	/* try in the room there is; format again only when it is short */
	room = sb->buf != NULL ? sb->size - sb->len : 0;
	va_start(ap, fmt);
	n = vsnprintf(room > 0 ? sb->buf + sb->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n < 0) {
		sb->error = 1;
		return;
	}
	if ((size_t)n >= room) {
		if (reserve(sb, (size_t)n) == -1) {
			if (sb->buf != NULL)
				sb->buf[sb->len] = '\0';
			return;
		}
		va_start(ap, fmt);
		vsnprintf(sb->buf + sb->len, sb->size - sb->len, fmt, ap);
		va_end(ap);
	} else if (reserve(sb, (size_t)n) == -1) {
		sb->buf[sb->len] = '\0';	/* fitted the memory, not max */
		return;
	}
	sb->len += (size_t)n;
}
