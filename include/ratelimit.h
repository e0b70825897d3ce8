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
 * Per-client limits for the frontend (README, "Floods"), all keyed alike:
 * a query rate limit (one token bucket per client key, in a table of
 * fixed size) and counts of what each client holds now (TCP connections,
 * queries in flight).  Pure: no sockets, no clock reads (the caller
 * passes a monotonic time in milliseconds), no logging, no global state.
 *
 * Keys (client_key()): an IPv4 address (/32); an IPv6 address by its
 * /64, since one host owns a whole /64 and picks new addresses in it at
 * will; an IPv4-mapped IPv6 address (::ffff:a.b.c.d) as the IPv4
 * address.  Other families, and truncated addresses, have no key: the
 * rate limit lets them through, the counts lump them together.
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

enum client_kind {
	CLIENT_NONE,			/* no IPv4 or IPv6 address */
	CLIENT_INET,
	CLIENT_INET6
};

struct client_key {
	uint64_t	 addr;		/* IPv4 address, or IPv6 /64 */
	enum client_kind kind;
};

/* The key every per-client limit counts sa by. */
struct client_key	 client_key(const struct sockaddr *sa, socklen_t);

struct ratelimit;

/*
 * qps 0 disables limiting.  max_clients must be 1 to RATELIMIT_CLIENTS_MAX
 * (else NULL, errno EINVAL); NULL with errno ENOMEM when out of memory.
 */
struct ratelimit	*ratelimit_new(uint32_t qps, uint32_t max_clients);
void			 ratelimit_free(struct ratelimit *);

/* a new rate; 0 disables; buckets above the new burst are cut down to it */
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

/*
 * Counts of what each client holds now, for limits on connections and
 * queries in flight per client.  A client has an entry only while it
 * holds something, so a table made for max_held things in all never
 * fills up while its caller holds no more than that: the caller bounds
 * the total, the table bounds each client.  Memory is allocated once:
 * CLIENT_COUNT_BYTES x max_held, plus a bucket array (4 bytes per
 * bucket, the next power of two at or above max_held) and a header.
 * Taking is one keyed hash and a chain walk; putting back is O(1).
 */
#define CLIENT_COUNT_BYTES	24
#define CLIENT_COUNT_MAX	(1U << 24)
#define CLIENT_COUNT_NONE	UINT32_MAX

struct client_count;

/* max_held 1 to CLIENT_COUNT_MAX (else NULL, errno EINVAL); NULL on ENOMEM */
struct client_count	*client_count_new(uint32_t max_held);
void			 client_count_free(struct client_count *);

/*
 * One more for key, if it holds fewer than limit: returns a handle for
 * client_count_put(), or CLIENT_COUNT_NONE when the client is at its
 * limit (or the table is full, which its caller's bound prevents).
 */
uint32_t		 client_count_take(struct client_count *,
			    const struct client_key *, uint32_t limit);
/* Give back one taken with handle; the handle is void once 0 are held. */
void			 client_count_put(struct client_count *, uint32_t);
/* What the client of a handle holds now. */
uint32_t		 client_count_held(const struct client_count *,
			    uint32_t);
/* Clients holding anything. */
uint32_t		 client_count_clients(const struct client_count *);

#endif /* RATELIMIT_H */
