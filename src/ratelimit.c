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
 * Per-client limits for the frontend: token buckets for the query rate,
 * and counts of what each client holds (TCP connections, queries in
 * flight), both keyed by client_key() and hashed alike.  Pure: the
 * caller passes the client address (untrusted only in the sense that a
 * spoofer picks it) and a monotonic time; nothing here reads a clock or
 * a socket.
 *
 * The table is an array of entries allocated once, chained from a
 * power-of-two array of bucket heads by index, with a doubly linked LRU
 * list through the same entries.  Bucket choice is SipHash-2-4 keyed with
 * a secret drawn at creation, so a client picking its source addresses
 * cannot pile them into one chain.
 *
 * Eviction, and why it cannot unlimit a flooder: a full table forgets its
 * least recently seen client.  Every query, allowed or denied, moves its
 * client to the front, so a flooder (seen at least qps times a second) is
 * forgotten only if max_clients other keys arrive between two of its
 * queries.  Each of those keys is new, so its first query passes anyway:
 * the spoofer gets far more through than the one burst the flooder
 * regains per eviction.  Per-source limits cannot stop a flood of
 * spoofed sources at all; the global cap on queries in flight does.
 * A client unseen for a second has a full bucket, the same as a fresh
 * one, so evicting it loses nothing: eviction costs accuracy only when
 * more than max_clients keys are seen within one second.  Refusing new
 * clients when full was rejected: a spoofed flood would lock out every
 * new legitimate client.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ratelimit.h"
#include "siphash.h"

#define NONE		UINT32_MAX	/* end of a chain or list */
#define COST		1000		/* one query, in milli-tokens */
#define REFILL_MS	1000		/* burst is one second of rate */

struct entry {
	uint64_t	 addr;
	uint64_t	 last_ms;	/* when tokens was brought up to date */
	uint64_t	 tokens;	/* milli-tokens, at most qps * 1000 */
	uint32_t	 chain;		/* next entry in the same hash bucket */
	uint32_t	 newer, older;	/* LRU list */
	uint8_t		 kind;
};

struct ratelimit {
	uint8_t		 secret[SIPHASH_KEYLEN];
	struct entry	*entries;
	uint32_t	*heads;		/* first entry of each hash bucket */
	uint32_t	 nentries, used;
	uint32_t	 mask;		/* number of hash buckets - 1 */
	uint32_t	 qps;
	uint32_t	 newest, oldest;
};

_Static_assert(sizeof(struct entry) + 2 * sizeof(uint32_t) <=
    RATELIMIT_BYTES_PER_CLIENT, "entry larger than the documented bound");
_Static_assert(sizeof(struct ratelimit) <= 128,
    "header larger than the documented bound");

static uint64_t
bytes_be64(const uint8_t *p, size_t n)
{
	uint64_t	 v = 0;
	size_t		 i;

	for (i = 0; i < n; i++)
		v = (v << 8) | p[i];
	return v;
}

/* A truncated address cannot be keyed and is treated as unknown. */
struct client_key
client_key(const struct sockaddr *sa, socklen_t salen)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;
	struct client_key	 key = { 0, CLIENT_NONE };
	size_t			 len;

	if (sa == NULL)
		return key;
	len = (size_t)salen < sizeof(ss) ? (size_t)salen : sizeof(ss);
	memset(&ss, 0, sizeof(ss));
	memcpy(&ss, sa, len);

	if (ss.ss_family == AF_INET && len >= sizeof(sin)) {
		memcpy(&sin, &ss, sizeof(sin));
		key.addr = bytes_be64((const uint8_t *)&sin.sin_addr, 4);
		key.kind = CLIENT_INET;
	} else if (ss.ss_family == AF_INET6 && len >= sizeof(sin6)) {
		memcpy(&sin6, &ss, sizeof(sin6));
		if (IN6_IS_ADDR_V4MAPPED(&sin6.sin6_addr)) {
			key.addr = bytes_be64(sin6.sin6_addr.s6_addr + 12, 4);
			key.kind = CLIENT_INET;
		} else {
			key.addr = bytes_be64(sin6.sin6_addr.s6_addr, 8);
			key.kind = CLIENT_INET6;
		}
	}
	return key;
}

static void
put_le64(uint8_t *p, uint64_t v)
{
	size_t	 i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* The bucket of a key in a table of mask + 1 buckets, under a secret. */
static uint32_t
key_bucket(const uint8_t secret[SIPHASH_KEYLEN], const struct client_key *key,
    uint32_t mask)
{
	uint8_t	 msg[16];

	put_le64(msg, key->addr);
	put_le64(msg + 8, (uint64_t)key->kind);
	return (uint32_t)siphash24(secret, msg, sizeof(msg)) & mask;
}

static uint32_t
hash_bucket(const struct ratelimit *rl, const struct client_key *key)
{
	return key_bucket(rl->secret, key, rl->mask);
}

static uint32_t
hash_find(const struct ratelimit *rl, uint32_t bucket,
    const struct client_key *key)
{
	uint32_t	 i;

	for (i = rl->heads[bucket]; i != NONE; i = rl->entries[i].chain)
		if (rl->entries[i].addr == key->addr &&
		    rl->entries[i].kind == key->kind)
			return i;
	return NONE;
}

static void
hash_unlink(struct ratelimit *rl, uint32_t i)
{
	struct entry		*e = &rl->entries[i];
	struct client_key	 key = { e->addr, (enum client_kind)e->kind };
	uint32_t		*link;

	link = &rl->heads[hash_bucket(rl, &key)];
	while (*link != i)
		link = &rl->entries[*link].chain;
	*link = e->chain;
}

static void
lru_unlink(struct ratelimit *rl, uint32_t i)
{
	struct entry	*e = &rl->entries[i];

	if (e->newer != NONE)
		rl->entries[e->newer].older = e->older;
	else
		rl->newest = e->older;
	if (e->older != NONE)
		rl->entries[e->older].newer = e->newer;
	else
		rl->oldest = e->newer;
}

static void
lru_push_newest(struct ratelimit *rl, uint32_t i)
{
	struct entry	*e = &rl->entries[i];

	e->newer = NONE;
	e->older = rl->newest;
	if (rl->newest != NONE)
		rl->entries[rl->newest].newer = i;
	else
		rl->oldest = i;
	rl->newest = i;
}

static uint64_t
capacity(const struct ratelimit *rl)
{
	return (uint64_t)rl->qps * COST;
}

/*
 * qps tokens a second is qps milli-tokens a millisecond.  An empty bucket
 * is full again after REFILL_MS, so clamping the gap there keeps the
 * product small (under 2^42) whatever the clock did.  A clock that went
 * backwards gives no tokens and becomes the new reference.
 */
static void
refill(const struct ratelimit *rl, struct entry *e, uint64_t now_ms)
{
	uint64_t	 elapsed = 0;

	if (now_ms > e->last_ms)
		elapsed = now_ms - e->last_ms;
	if (elapsed > REFILL_MS)
		elapsed = REFILL_MS;
	e->tokens += elapsed * rl->qps;
	if (e->tokens > capacity(rl))
		e->tokens = capacity(rl);
	e->last_ms = now_ms;
}

/* A free slot while there is one, else the least recently seen client. */
static uint32_t
entry_take(struct ratelimit *rl)
{
	uint32_t	 i;

	if (rl->used < rl->nentries)
		return rl->used++;
	i = rl->oldest;
	lru_unlink(rl, i);
	hash_unlink(rl, i);
	return i;
}

static uint32_t
entry_insert(struct ratelimit *rl, uint32_t bucket,
    const struct client_key *key, uint64_t now_ms)
{
	uint32_t	 i = entry_take(rl);
	struct entry	*e = &rl->entries[i];

	e->addr = key->addr;
	e->kind = (uint8_t)key->kind;
	e->tokens = capacity(rl);
	e->last_ms = now_ms;
	e->chain = rl->heads[bucket];
	rl->heads[bucket] = i;
	lru_push_newest(rl, i);
	return i;
}

static uint32_t
round_up_pow2(uint32_t n)
{
	uint32_t	 p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

struct ratelimit *
ratelimit_new(uint32_t qps, uint32_t max_clients)
{
	struct ratelimit	*rl;
	uint32_t		 nheads, i;

	if (max_clients == 0 || max_clients > RATELIMIT_CLIENTS_MAX) {
		errno = EINVAL;
		return NULL;
	}
	if ((rl = calloc(1, sizeof(*rl))) == NULL)
		return NULL;
	nheads = round_up_pow2(max_clients);
	rl->entries = calloc(max_clients, sizeof(*rl->entries));
	rl->heads = calloc(nheads, sizeof(*rl->heads));
	if (rl->entries == NULL || rl->heads == NULL) {
		ratelimit_free(rl);
		errno = ENOMEM;
		return NULL;
	}
	for (i = 0; i < nheads; i++)
		rl->heads[i] = NONE;
	arc4random_buf(rl->secret, sizeof(rl->secret));
	rl->nentries = max_clients;
	rl->mask = nheads - 1;
	rl->qps = qps;
	rl->newest = rl->oldest = NONE;
	return rl;
}

void
ratelimit_free(struct ratelimit *rl)
{
	if (rl == NULL)
		return;
	free(rl->entries);
	free(rl->heads);
	free(rl);
}

void
ratelimit_set_rate(struct ratelimit *rl, uint32_t qps)
{
	rl->qps = qps;
}

int
ratelimit_allow(struct ratelimit *rl, const struct sockaddr *sa,
    socklen_t salen, uint64_t now_ms)
{
	struct client_key	 key;
	struct entry		*e;
	uint32_t		 bucket, i;

	if (rl->qps == 0)
		return 1;
	key = client_key(sa, salen);
	if (key.kind == CLIENT_NONE)
		return 1;

	bucket = hash_bucket(rl, &key);
	if ((i = hash_find(rl, bucket, &key)) == NONE) {
		i = entry_insert(rl, bucket, &key, now_ms);
	} else {
		lru_unlink(rl, i);
		lru_push_newest(rl, i);
	}
	e = &rl->entries[i];
	refill(rl, e, now_ms);
	if (e->tokens < COST)
		return 0;
	e->tokens -= COST;
	return 1;
}

size_t
ratelimit_memory(const struct ratelimit *rl)
{
	return sizeof(*rl) + (size_t)rl->nentries * sizeof(*rl->entries) +
	    ((size_t)rl->mask + 1) * sizeof(*rl->heads);
}

uint32_t
ratelimit_clients(const struct ratelimit *rl)
{
	return rl->used;
}

/*
 * Counts of what clients hold.  Entries come from a free list and go
 * back to it when their count drops to 0; a handle is an entry's index,
 * which keeps putting back free of any hashing.
 */

struct count_entry {
	uint64_t	 addr;
	uint32_t	 held;
	uint32_t	 chain;		/* next in the bucket, or free list */
	uint32_t	 bucket;
	uint8_t		 kind;
};

struct client_count {
	uint8_t			 secret[SIPHASH_KEYLEN];
	struct count_entry	*entries;
	uint32_t		*heads;
	uint32_t		 nentries, used;
	uint32_t		 mask;
	uint32_t		 free;		/* first free entry */
};

_Static_assert(sizeof(struct count_entry) <= CLIENT_COUNT_BYTES,
    "count entry larger than the documented bound");

struct client_count *
client_count_new(uint32_t max_held)
{
	struct client_count	*cc;
	uint32_t		 nheads, i;

	if (max_held == 0 || max_held > CLIENT_COUNT_MAX) {
		errno = EINVAL;
		return NULL;
	}
	if ((cc = calloc(1, sizeof(*cc))) == NULL)
		return NULL;
	nheads = round_up_pow2(max_held);
	cc->entries = calloc(max_held, sizeof(*cc->entries));
	cc->heads = calloc(nheads, sizeof(*cc->heads));
	if (cc->entries == NULL || cc->heads == NULL) {
		client_count_free(cc);
		errno = ENOMEM;
		return NULL;
	}
	for (i = 0; i < nheads; i++)
		cc->heads[i] = NONE;
	for (i = 0; i < max_held; i++)
		cc->entries[i].chain = i + 1 < max_held ? i + 1 : NONE;
	arc4random_buf(cc->secret, sizeof(cc->secret));
	cc->nentries = max_held;
	cc->mask = nheads - 1;
	cc->free = 0;
	return cc;
}

void
client_count_free(struct client_count *cc)
{
	if (cc == NULL)
		return;
	free(cc->entries);
	free(cc->heads);
	free(cc);
}

uint32_t
client_count_take(struct client_count *cc, const struct client_key *key,
    uint32_t limit)
{
	struct count_entry	*e;
	uint32_t		 bucket, i;

	bucket = key_bucket(cc->secret, key, cc->mask);
	for (i = cc->heads[bucket]; i != NONE; i = cc->entries[i].chain)
		if (cc->entries[i].addr == key->addr &&
		    cc->entries[i].kind == (uint8_t)key->kind)
			break;
	if (i != NONE) {
		e = &cc->entries[i];
		if (e->held >= limit)
			return CLIENT_COUNT_NONE;
		e->held++;
		return i;
	}
	if (limit == 0 || (i = cc->free) == NONE)
		return CLIENT_COUNT_NONE;
	e = &cc->entries[i];
	cc->free = e->chain;
	e->addr = key->addr;
	e->kind = (uint8_t)key->kind;
	e->held = 1;
	e->bucket = bucket;
	e->chain = cc->heads[bucket];
	cc->heads[bucket] = i;
	cc->used++;
	return i;
}

void
client_count_put(struct client_count *cc, uint32_t handle)
{
	struct count_entry	*e;
	uint32_t		*link;

	if (handle >= cc->nentries || cc->entries[handle].held == 0)
		return;
	e = &cc->entries[handle];
	if (--e->held > 0)
		return;
	link = &cc->heads[e->bucket];
	while (*link != handle)
		link = &cc->entries[*link].chain;
	*link = e->chain;
	e->chain = cc->free;
	cc->free = handle;
	cc->used--;
}

uint32_t
client_count_held(const struct client_count *cc, uint32_t handle)
{
	if (handle >= cc->nentries)
		return 0;
	return cc->entries[handle].held;
}

uint32_t
client_count_clients(const struct client_count *cc)
{
	return cc->used;
}
