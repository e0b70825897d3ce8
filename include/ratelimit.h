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
 * Per-client query rate limit for the frontend (SPEC 3, "Flood"): one
 * token bucket per client key, in a table of fixed size.  Pure: no
 * sockets, no clock reads (the caller passes a monotonic time in
 * milliseconds), no logging, no global state.
 *
 * Keys: an IPv4 address (/32); an IPv6 address by its /64, since one host
 * owns a whole /64 and picks new addresses in it at will; an IPv4-mapped
 * IPv6 address (::ffff:a.b.c.d) as the IPv4 address.  Other families are
 * not limited.
 *
 * Rate qps tokens per second, burst qps tokens; a query costs one token.
 *
 * Memory is allocated once by ratelimit_new() and never grows: at most
 * RATELIMIT_BYTES_PER_CLIENT (48) bytes x max_clients, plus a header under
 * 128 bytes.  When the table is full the least recently seen client is
 * forgotten (see ratelimit.c for why that cannot unlimit a flooder).
 */

#ifndef RATELIMIT_H
#define RATELIMIT_H

#include <sys/types.h>
#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>

#define RATELIMIT_BYTES_PER_CLIENT	48
#define RATELIMIT_CLIENTS_MAX		(1U << 24)

struct ratelimit;

/*
 * qps 0 disables limiting.  max_clients must be 1 to RATELIMIT_CLIENTS_MAX
 * (else NULL, errno EINVAL); NULL with errno ENOMEM when out of memory.
 */
struct ratelimit	*ratelimit_new(uint32_t qps, uint32_t max_clients);
void			 ratelimit_free(struct ratelimit *);

/* on reload; 0 disables; buckets above the new burst are cut down to it */
void			 ratelimit_set_rate(struct ratelimit *, uint32_t qps);

/*
 * 1: the query may go on; 0: the client is over its rate.  now_ms is a
 * monotonic clock in milliseconds.  A denied query still counts as the
 * client being seen, so a flooder stays in the table.
 */
int			 ratelimit_allow(struct ratelimit *,
			    const struct sockaddr *, socklen_t, uint64_t now_ms);

/* bytes held (constant for the life of the table), entries in use */
size_t			 ratelimit_memory(const struct ratelimit *);
uint32_t		 ratelimit_clients(const struct ratelimit *);

#endif /* RATELIMIT_H */
