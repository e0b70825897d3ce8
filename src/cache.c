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
 * The answer cache of the frontend: a hash table with chaining for
 * lookups and a doubly-linked list in least-recently-used order for
 * eviction. Pure code. It trusts neither clients nor upstreams: keys are
 * hashed with a secret so that nobody can choose names that pile up in
 * one chain, and an answer is kept only after dns_answer_parse() has
 * walked every byte of it and found it to answer the question it is
 * kept under. What it trusts is its caller: the clock, the key, and that
 * the layout is the one dns_answer_parse() gave for these bytes (which
 * dns_answer_client() checks again before it uses it).
 */

#include <sys/queue.h>

#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "dns.h"
#include "siphash.h"

/* what keeps apart answers that may differ: DNS_KEY_UPSTREAM but AD */
#define CACHE_KEY_BITS	(DNS_KEY_DO | DNS_KEY_CD | DNS_KEY_RD)

struct cache_key {
	uint8_t		 b[DNS_KEY_MAX];
	uint16_t	 len;
	uint64_t	 hash;
};

struct cache_entry {
	struct cache_entry		*chain;	/* next in the same bucket */
	TAILQ_ENTRY(cache_entry)	 lru;
	uint64_t			 hash;
	uint64_t			 stored;	/* when it was kept */
	uint64_t			 expires;
	struct dns_answer		 layout;	/* of the answer */
	uint16_t			 keylen;
	uint16_t			 anslen;
	uint8_t				 data[];	/* key, then answer */
};

TAILQ_HEAD(cache_lru, cache_entry);

struct cache {
	struct cache_entry	**buckets;	/* NULL when disabled */
	uint32_t		 nbuckets;	/* a power of two */
	uint32_t		 max_entries;
	size_t			 max_bytes;
	struct cache_lru	 lru;		/* most recently used first */
	struct cache_stats	 stats;
	uint8_t			 secret[SIPHASH_KEYLEN];
};

/* the accounting in cache.h must cover what is really allocated */
_Static_assert(sizeof(struct cache_entry) + 2 * sizeof(void *) <=
    CACHE_ENTRY_OVERHEAD, "CACHE_ENTRY_OVERHEAD too small");
_Static_assert(CACHE_MAX_ANSWER <= UINT16_MAX, "anslen is 16 bits");

static int	 key_make(const struct cache *, const uint8_t *, size_t,
		    struct cache_key *);
static struct cache_entry **bucket(const struct cache *, uint64_t);
static struct cache_entry *entry_find(const struct cache *,
		    const struct cache_key *);
static size_t	 entry_cost(size_t, size_t);
static void	 entry_remove(struct cache *, struct cache_entry *);
static void	 evict_to(struct cache *, uint32_t, size_t);
static uint32_t	 bucket_count(uint32_t, size_t);
static void	 rehash(struct cache *, uint32_t);
static size_t	 entry_serve(const struct cache_entry *, uint32_t, uint32_t,
		    uint8_t *, size_t);
static uint32_t	 entry_age(const struct cache_entry *, uint64_t);

/*
 * Keys and the table.
 */

/*
 * The caller's key with only the bits the cache keeps apart. The AD bit
 * of a query only asks whether the client understands AD in the answer
 * (RFC 6840 section 5.7); it is left out so that it does not split the
 * cache. RD is in: an RD=0 query is forwarded with RD=0, and its answer
 * (a referral, or nothing) must never serve RD=1 clients, nor an RD=1
 * answer an RD=0 client.
 */
static int
key_make(const struct cache *c, const uint8_t *key, size_t keylen,
    struct cache_key *k)
{
	if (keylen == 0 || keylen > sizeof(k->b))
		return -1;
	memcpy(k->b, key, keylen);
	k->b[keylen - 1] &= CACHE_KEY_BITS;
	k->len = (uint16_t)keylen;
	k->hash = siphash24(c->secret, k->b, k->len);
	return 0;
}

static struct cache_entry **
bucket(const struct cache *c, uint64_t hash)
{
	return &c->buckets[hash & (c->nbuckets - 1)];
}

static struct cache_entry *
entry_find(const struct cache *c, const struct cache_key *k)
{
	struct cache_entry	*e;

	for (e = *bucket(c, k->hash); e != NULL; e = e->chain)
		if (e->hash == k->hash && e->keylen == k->len &&
		    memcmp(e->data, k->b, k->len) == 0)
			return e;
	return NULL;
}

static size_t
entry_cost(size_t keylen, size_t anslen)
{
	return CACHE_ENTRY_OVERHEAD + keylen + anslen;
}

static void
entry_remove(struct cache *c, struct cache_entry *e)
{
	struct cache_entry	**link;

	for (link = bucket(c, e->hash); *link != e; link = &(*link)->chain)
		continue;
	*link = e->chain;
	TAILQ_REMOVE(&c->lru, e, lru);
	c->stats.entries--;
	c->stats.bytes -= entry_cost(e->keylen, e->anslen);
	free(e);
}

/* Drop least recently used entries until both counts are within bounds. */
static void
evict_to(struct cache *c, uint32_t entries, size_t bytes)
{
	struct cache_entry	*e;

	while (c->stats.entries > entries || c->stats.bytes > bytes) {
		e = TAILQ_LAST(&c->lru, cache_lru);
		entry_remove(c, e);
		c->stats.evictions++;
	}
}

/*
 * One bucket per entry the bounds allow, rounded up to a power of two:
 * chains stay about one entry long. The bytes bound counts too, so a big
 * entry count with few bytes does not buy a big array.
 */
static uint32_t
bucket_count(uint32_t max_entries, size_t max_bytes)
{
	size_t		 want;
	uint32_t	 n;

	want = max_bytes / CACHE_ENTRY_OVERHEAD;
	if (want > max_entries)
		want = max_entries;
	for (n = 1; n < want && n < CACHE_BUCKETS_MAX; n <<= 1)
		continue;
	return n;
}

/* Move every entry to a new array; out of memory, keep the old one. */
static void
rehash(struct cache *c, uint32_t nbuckets)
{
	struct cache_entry	**old, *e;

	old = c->buckets;
	c->buckets = calloc(nbuckets, sizeof(*c->buckets));
	if (c->buckets == NULL) {
		c->buckets = old;
		return;
	}
	c->nbuckets = nbuckets;
	TAILQ_FOREACH(e, &c->lru, lru) {
		e->chain = *bucket(c, e->hash);
		*bucket(c, e->hash) = e;
	}
	free(old);
}

/*
 * The cache.
 */

struct cache *
cache_new(uint32_t max_entries, size_t max_bytes)
{
	struct cache	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	TAILQ_INIT(&c->lru);
	arc4random_buf(c->secret, sizeof(c->secret));
	c->max_entries = max_entries;
	c->max_bytes = max_bytes;
	if (max_entries == 0)
		return c;
	c->nbuckets = bucket_count(max_entries, max_bytes);
	c->buckets = calloc(c->nbuckets, sizeof(*c->buckets));
	if (c->buckets == NULL) {
		free(c);
		return NULL;
	}
	return c;
}

void
cache_free(struct cache *c)
{
	struct cache_entry	*e;

	if (c == NULL)
		return;
	while ((e = TAILQ_FIRST(&c->lru)) != NULL) {
		TAILQ_REMOVE(&c->lru, e, lru);
		free(e);
	}
	free(c->buckets);
	free(c);
}

void
cache_resize(struct cache *c, uint32_t max_entries, size_t max_bytes)
{
	uint32_t	 n;

	c->max_entries = max_entries;
	c->max_bytes = max_bytes;
	if (c->buckets != NULL)
		evict_to(c, max_entries, max_bytes);
	if (max_entries == 0) {
		free(c->buckets);
		c->buckets = NULL;
		c->nbuckets = 0;
		return;
	}
	n = bucket_count(max_entries, max_bytes);
	if (n != c->nbuckets)
		rehash(c, n);
}

static uint32_t
entry_age(const struct cache_entry *e, uint64_t now)
{
	/* a clock that went back makes the entry new, not negative */
	if (now <= e->stored)
		return 0;
	if (now - e->stored > UINT32_MAX)
		return UINT32_MAX;
	return (uint32_t)(now - e->stored);
}

/*
 * The kept answer into out with its TTLs rewritten, none longer than
 * the entry lives; 0 if it does not fit.
 */
static size_t
entry_serve(const struct cache_entry *e, uint32_t age, uint32_t fixed,
    uint8_t *out, size_t outlen)
{
	uint32_t	 lifetime;

	if (e->anslen > outlen)
		return 0;
	memcpy(out, e->data + e->keylen, e->anslen);
	/* at most CACHE_MAX_TTL, set by cache_store() */
	lifetime = (uint32_t)(e->expires - e->stored);
	/* walked whole when it was stored, so this cannot fail */
	if (dns_answer_set_ttl(out, e->anslen, age, lifetime, fixed) == -1)
		return 0;
	return e->anslen;
}

size_t
cache_lookup(struct cache *c, const uint8_t *key, size_t keylen,
    uint64_t now_sec, int allow_stale, uint8_t *out, size_t outlen,
    struct dns_answer *a)
{
	struct cache_key	 k;
	struct cache_entry	*e;
	size_t			 len;
	int			 stale;

	if (c->buckets == NULL)
		return 0;
	if (key_make(c, key, keylen, &k) == -1 ||
	    (e = entry_find(c, &k)) == NULL) {
		c->stats.misses++;
		return 0;
	}
	stale = now_sec >= e->expires;
	if (stale && now_sec - e->expires >= CACHE_STALE_MAX) {
		/* of no use to anyone any more */
		entry_remove(c, e);
		c->stats.misses++;
		return 0;
	}
	if (stale && !allow_stale) {
		c->stats.misses++;
		return 0;
	}
	if (stale)
		len = entry_serve(e, 0, CACHE_STALE_TTL, out, outlen);
	else
		len = entry_serve(e, entry_age(e, now_sec), 0, out, outlen);
	if (len == 0) {
		c->stats.misses++;
		return 0;
	}
	if (stale)
		c->stats.stale_hits++;
	else
		c->stats.hits++;
	TAILQ_REMOVE(&c->lru, e, lru);
	TAILQ_INSERT_HEAD(&c->lru, e, lru);
	*a = e->layout;
	return len;
}

void
cache_store(struct cache *c, const uint8_t *key, size_t keylen,
    const uint8_t *ans, size_t len, const struct dns_answer *a,
    uint64_t now_sec)
{
	struct cache_key	 k;
	struct cache_entry	*e, **head;
	size_t			 cost;
	uint32_t		 ttl;

	if (c->buckets == NULL || len > CACHE_MAX_ANSWER || a->len != len ||
	    a->ttl == 0)
		return;
	ttl = a->ttl < CACHE_MAX_TTL ? a->ttl : CACHE_MAX_TTL;
	if (now_sec > UINT64_MAX - ttl ||
	    key_make(c, key, keylen, &k) == -1)
		return;
	cost = entry_cost(k.len, len);
	if (cost > c->max_bytes)
		return;

	if ((e = entry_find(c, &k)) != NULL)
		entry_remove(c, e);
	/* make room first, so the bounds hold even while allocating */
	evict_to(c, c->max_entries - 1, c->max_bytes - cost);
	if ((e = malloc(sizeof(*e) + k.len + len)) == NULL)
		return;
	e->hash = k.hash;
	e->stored = now_sec;
	e->expires = now_sec + ttl;
	e->layout = *a;
	e->keylen = k.len;
	e->anslen = (uint16_t)len;
	memcpy(e->data, k.b, k.len);
	memcpy(e->data + k.len, ans, len);
	head = bucket(c, e->hash);
	e->chain = *head;
	*head = e;
	TAILQ_INSERT_HEAD(&c->lru, e, lru);
	c->stats.entries++;
	c->stats.bytes += cost;
	c->stats.stores++;
}

void
cache_get_stats(const struct cache *c, struct cache_stats *st)
{
	*st = c->stats;
}
