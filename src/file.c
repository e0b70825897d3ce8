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
 * Whole-file reads (see file.h). Allocates what the file needs, never
 * more than max + 1 bytes plus the terminating NUL: one byte more than
 * allowed is how a file of exactly max bytes is told from a longer one.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "file.h"

#define FILE_CHUNK	(64 * 1024)	/* first buffer, the size unknown */

/* how much to read into first: the file's size when it says, and one more */
static size_t
first_size(int fd, size_t max)
{
	struct stat	 st;

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0 &&
	    (uintmax_t)st.st_size < max)
		return (size_t)st.st_size + 1;
	return FILE_CHUNK < max ? FILE_CHUNK : max + 1;
}

static int
read_fail(int fd, uint8_t *buf, int error)
{
	close(fd);
	free(buf);
	errno = error;
	return -1;
}

int
file_read(const char *path, size_t max, uint8_t **bufp, size_t *lenp)
{
	uint8_t	*buf, *p;
	size_t	 len = 0, size;
	ssize_t	 n;
	int	 fd;

	if (max == SIZE_MAX) {
		errno = EINVAL;
		return -1;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	size = first_size(fd, max);
	if ((buf = malloc(size + 1)) == NULL)
		return read_fail(fd, NULL, ENOMEM);
	for (;;) {
		if (len > max)
			return read_fail(fd, buf, EFBIG);
		if (len == size) {
			size = size > (max + 1) / 2 ? max + 1 : size * 2;
			if ((p = realloc(buf, size + 1)) == NULL)
				return read_fail(fd, buf, ENOMEM);
			buf = p;
		}
		n = read(fd, buf + len, size - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return read_fail(fd, buf, errno);
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return 0;
}
