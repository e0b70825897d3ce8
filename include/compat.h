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
 * What differs between the platforms dnstlsd runs on, behind one small
 * interface (OpenSSH portable's model): process code calls these and
 * never tests for a platform itself. Linux is the reference; OpenBSD
 * gets the nearest equivalent, or nothing where there is none (a
 * socket option that only tunes). The sandbox stays per platform of its
 * own (sandbox_linux.c, sandbox_openbsd.c).
 */

#ifndef COMPAT_H
#define COMPAT_H

#include <stddef.h>
#include <stdint.h>

#ifndef nitems
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* the empty directory children are chrooted to */
#ifndef CHROOT_DIR
#ifdef __OpenBSD__
#define CHROOT_DIR		"/var/empty"
#else
#define CHROOT_DIR		"/var/lib/dnstlsd"
#endif
#endif

/*
 * The two clocks, in milliseconds since some fixed point: precise for
 * RTTs and timers; coarse (a tick, a few ms, but no system call and
 * cheaper) for TTLs and token buckets, where a tick does not matter.
 */
uint64_t	 monotonic_ms(void);
uint64_t	 monotonic_coarse_ms(void);

/* close every descriptor from lowfd up */
void		 close_from(int lowfd);

/*
 * This program's own file, as an absolute path, into buf: 0, or -1
 * where the platform cannot tell (the caller then needs argv[0]).
 */
int		 self_path(char *buf, size_t len);

/*
 * An anonymous, private file in memory (close-on-exec, mode 0600), for
 * state a sandboxed process keeps in a descriptor: the resolver's TLS
 * session stores. -1 with errno on failure.
 */
int		 memory_file(const char *name);

/*
 * pledge(2) where there is one (OpenBSD), nothing elsewhere: for the
 * programs that have no sandbox of their own (dnstlsctl). 0, or -1 and
 * errno.
 */
int		 pledge_promises(const char *promises);

/*
 * Socket tuning that some platforms lack; each does nothing there.
 * udp_rcvbuf: a receive buffer of size bytes, past the system's maximum
 * where privileges allow. tcp_quickack: acknowledge what was just read
 * at once. tcp_notsent_lowat: the kernel keeps at most bytes unsent.
 */
void		 udp_rcvbuf(int fd, int size);
void		 tcp_quickack(int fd);
void		 tcp_notsent_lowat(int fd, int bytes);

#endif /* COMPAT_H */
