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
 * Platform code, Linux first (see compat.h). Every process links it;
 * nothing here keeps state. `make openbsd-check` compiles it for
 * OpenBSD too.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compat.h"

#ifdef __OpenBSD__
/* declared here too so the syntax check passes with foreign headers */
int	 shm_mkstemp(char *);
int	 pledge(const char *, const char *);
#endif

static uint64_t
clock_ms(clockid_t clock)
{
	struct timespec	 now;

	clock_gettime(clock, &now);
	return (uint64_t)now.tv_sec * 1000 + (uint64_t)now.tv_nsec / 1000000;
}

uint64_t
monotonic_ms(void)
{
	return clock_ms(CLOCK_MONOTONIC);
}

uint64_t
monotonic_coarse_ms(void)
{
#ifdef CLOCK_MONOTONIC_COARSE
	return clock_ms(CLOCK_MONOTONIC_COARSE);
#else
	return clock_ms(CLOCK_MONOTONIC);
#endif
}

void
close_from(int lowfd)
{
#ifdef __OpenBSD__
	(void)closefrom(lowfd);
#else
	(void)close_range((unsigned int)lowfd, ~0U, 0);
#endif
}

int
self_path(char *buf, size_t len)
{
#ifdef __OpenBSD__
	(void)buf;
	(void)len;
	return -1;
#else
	ssize_t	 n;

	if (len == 0)
		return -1;
	n = readlink("/proc/self/exe", buf, len - 1);
	if (n <= 0 || buf[0] != '/')
		return -1;
	buf[n] = '\0';
	return 0;
#endif
}

int
memory_file(const char *name)
{
	int	 fd;

#ifdef __OpenBSD__
	char	 path[] = "/dnstlsd.XXXXXXXXXX";

	(void)name;
	if ((fd = shm_mkstemp(path)) == -1)
		return -1;
	(void)shm_unlink(path);
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) == -1) {
		close(fd);
		return -1;
	}
#else
	if ((fd = memfd_create(name, MFD_CLOEXEC)) == -1)
		return -1;
#endif
	if (fchmod(fd, 0600) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

int
pledge_promises(const char *promises)
{
#ifdef __OpenBSD__
	return pledge(promises, NULL);
#else
	(void)promises;
	return 0;
#endif
}

void
udp_rcvbuf(int fd, int size)
{
#ifdef SO_RCVBUFFORCE
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size,
	    sizeof(size)) == 0)
		return;
#endif
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
}

void
tcp_quickack(int fd)
{
#ifdef TCP_QUICKACK
	int	 on = 1;

	(void)setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &on, sizeof(on));
#else
	(void)fd;
#endif
}

void
tcp_notsent_lowat(int fd, int bytes)
{
#ifdef TCP_NOTSENT_LOWAT
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NOTSENT_LOWAT, &bytes,
	    sizeof(bytes));
#else
	(void)fd;
	(void)bytes;
#endif
}
