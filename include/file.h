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
 * Reading a whole file, bounded: the one reader for the configuration
 * file and the CA bundle, both read by the parent before any sandbox.
 */

#ifndef FILE_H
#define FILE_H

#include <stddef.h>
#include <stdint.h>

/*
 * The whole file at path into a new buffer, NUL-terminated (the NUL not
 * counted in *len), refusing one larger than max bytes. Reads pipes and
 * other files without a size too. 0, or -1 with errno: that of open()
 * or read(), EFBIG when the file is larger than max, ENOMEM.
 */
int	 file_read(const char *path, size_t max, uint8_t **buf, size_t *len);

#endif /* FILE_H */
