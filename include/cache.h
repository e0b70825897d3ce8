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
 * The frontend's answer cache (README, "Cache"): upstream answers kept
 * for their TTL and served with their TTLs counted down, negative answers
 * for the SOA minimum (RFC 2308), stale answers on request (RFC 8767).
 * Pure: no clock reads (callers pass seconds from a monotonic clock), no
 * logging, no global state. It keeps only what dns_answer_parse() walked
 * whole and found to answer the question of the key it is kept under,
 * and takes what that walk found (the layout, the lifetime) instead of
 * walking again.
 *
 * Key: what dns_query_key() makes of the query (the question name
 * lower-cased, its type and class, and DO, CD, RD, AD as asked), built
 * once per query by the caller; the cache ignores the AD bit. Entries
 * differing in the rest never serve each other: an RD=0 query is
 * forwarded with RD=0, so its answer (perhaps a referral, or empty) is
 * kept apart from RD=1 answers, and the other way round. The AD bit of
 * the query is left out (it only says the client understands AD).
 *
 * Memory: each entry is accounted as its answer's length, plus its key
 * (the name's wire length + 5), plus CACHE_ENTRY_OVERHEAD for the entry
 * record and the allocator's header. Entries are evicted least recently
 * used first so that neither max_entries nor max_bytes is ever exceeded.
 * Everything the cache allocates is at most max_bytes plus the bucket
 * array (a pointer per bucket, a power of two no larger than twice
 * max_entries and at most CACHE_BUCKETS_MAX) plus struct cache itself.
 */

#ifndef CACHE_H
#define CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "dns.h"

#define CACHE_MAX_TTL		86400	/* longest an answer is kept fresh */
#define CACHE_STALE_MAX		86400	/* how long past expiry it may serve */
#define CACHE_STALE_TTL		30	/* TTL of stale answers, RFC 8767 */
#define CACHE_MAX_ANSWER	16384	/* larger answers are not kept */
#define CACHE_ENTRY_OVERHEAD	128	/* accounted bytes beyond the data */
#define CACHE_BUCKETS_MAX	(1U << 20)

struct cache;

struct cache_stats {
	uint64_t	 hits;		/* fresh answers served */
	uint64_t	 misses;
	uint64_t	 stale_hits;	/* expired answers served stale */
	uint64_t	 stores;
	uint64_t	 evictions;	/* entries dropped to stay in bounds */
	uint32_t	 entries;
	size_t		 bytes;		/* as accounted above */
};

/*
 * NULL when out of memory. max_entries 0 makes a disabled cache that
 * stores nothing, as does a max_bytes too small for any entry.
 */
struct cache	*cache_new(uint32_t max_entries, size_t max_bytes);
void		 cache_free(struct cache *);

/* New bounds, least recently used entries evicted to meet them. */
void		 cache_resize(struct cache *, uint32_t max_entries,
		    size_t max_bytes);

/*
 * Copy the answer cached under key (dns_query_key() of the query, keylen
 * bytes) into out, its TTLs cut to the entry's lifetime and counted down
 * by the time it has been kept, and return its length, with its layout
 * in *a. An expired answer is a miss unless allow_stale is set and it
 * expired less than CACHE_STALE_MAX seconds ago: then it is served with
 * every TTL set to CACHE_STALE_TTL. 0 on a miss, or when out is too
 * small. A hit makes the entry the most recently used. The copy still
 * carries the upstream's ID and question case: rewrite it for the
 * client with dns_answer_client(out, len, a, ...).
 */
size_t		 cache_lookup(struct cache *, const uint8_t *key,
		    size_t keylen, uint64_t now_sec, int allow_stale,
		    uint8_t *, size_t, struct dns_answer *a);

/*
 * Keep a copy of an upstream answer under key, replacing what was kept
 * for the same key, when dns_answer_parse() accepted it (for the query
 * the key was made of) into *a, it is no larger than CACHE_MAX_ANSWER
 * and a->ttl is above 0; the entry lives a->ttl seconds, at most
 * CACHE_MAX_TTL. Anything else is ignored.
 */
void		 cache_store(struct cache *, const uint8_t *key, size_t keylen,
		    const uint8_t *, size_t, const struct dns_answer *a,
		    uint64_t now_sec);

void		 cache_get_stats(const struct cache *, struct cache_stats *);

#endif /* CACHE_H */
