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
 * The answer cache of the frontend, laid out for memory: an entry is a
 * 32-byte slot in one array (the LRU links are slot numbers, the times
 * 32-bit seconds from a base), an 8-byte cell in an open-addressing
 * index (linear probing, at most four cells in five used), and one
 * allocation holding the answer's layout packed and the answer itself.
 * The key is not kept: the answer's question is the key's name (it is
 * kept lower-cased, as the key has it) with its type and class, so the
 * slot keeps only the key's flag bits and the name's length. Both arrays grow by doubling up to
 * what the bounds allow, and are rebuilt (in LRU order) when they grow
 * or the bounds change.
 *
 * Pure code. It trusts neither clients nor upstreams: keys are hashed
 * with a secret so that nobody can choose names that pile up in one run
 * of the index, and an answer is kept only after dns_answer_parse() has
 * walked every byte of it and found it to answer the question it is kept
 * under (which cache_store() checks again against the key). What it
 * trusts is its caller: the clock, and that the layout is the one
 * dns_answer_parse() gave for these bytes (which dns_answer_client()
 * checks again before it uses it).
 */

#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "dns.h"
#include "siphash.h"

/* what keeps apart answers that may differ: DNS_KEY_UPSTREAM but AD */
#define CACHE_KEY_BITS	(DNS_KEY_DO | DNS_KEY_CD | DNS_KEY_RD)
#define KEY_TAIL	5	/* type, class, bits after the name */
#define SLOT_REFRESHING	0x80	/* in bits: a refresh was asked for */
#define NIL		UINT32_MAX	/* no slot */
#define GROW_MIN	1024	/* slots of a new cache */
#define LAYOUT_LEN	23	/* struct dns_answer packed, len and ttl out */
/* a base this far behind the first store: the clock may go back that much */
#define BASE_SLACK	(1U << 30)
#define CACHE_ENTRIES_MAX	(1U << 30)

struct cache_key {
	uint8_t		 b[DNS_KEY_MAX];
	uint16_t	 len;
	uint32_t	 hash;
};

struct cache_slot {
	uint8_t		*data;		/* the layout packed, then the answer */
	uint32_t	 prev, next;	/* LRU order; next: the free list */
	uint32_t	 hash;
	uint32_t	 stored;	/* seconds since the cache's base */
	uint32_t	 ttl;		/* as dns_answer_parse() found it */
	uint16_t	 anslen;
	uint8_t		 namelen;	/* the key's: its length less KEY_TAIL */
	uint8_t		 bits;		/* the key's last byte, SLOT_REFRESHING */
};

struct cache_cell {
	uint32_t	 hash;
	uint32_t	 slot;		/* its number + 1, 0: an empty cell */
};

struct cache {
	struct cache_slot	*slots;		/* NULL when disabled */
	struct cache_cell	*cells;
	uint32_t		 nslots;
	uint32_t		 ncells;	/* more than nslots */
	uint32_t		 used;		/* slots handed out at least once */
	uint32_t		 free;		/* a free slot below used, or NIL */
	uint32_t		 head, tail;	/* most, least recently used */
	uint32_t		 cap;		/* entries the bounds allow */
	uint32_t		 max_entries;
	size_t			 max_bytes;
	uint64_t		 base;
	int			 based;		/* base set by a store */
	struct cache_stats	 stats;
	uint8_t			 secret[SIPHASH_KEYLEN];
};

/*
 * The accounting in cache.h must cover what an entry really takes: its
 * slot and five quarters of a cell, twice over (the arrays grow by
 * doubling), its allocation (malloc's header and rounding to 16 bytes)
 * less the shortest key, which is accounted but not kept.
 */
_Static_assert(2 * (sizeof(struct cache_slot) +
    (5 * sizeof(struct cache_cell) + 3) / 4) + LAYOUT_LEN + 8 + 15 -
    (1 + KEY_TAIL) <= CACHE_ENTRY_OVERHEAD, "CACHE_ENTRY_OVERHEAD too small");
_Static_assert(CACHE_MAX_ANSWER <= UINT16_MAX, "anslen is 16 bits");
_Static_assert(DNS_MAXNAME <= UINT8_MAX, "namelen is 8 bits");
_Static_assert((CACHE_KEY_BITS & SLOT_REFRESHING) == 0, "SLOT_REFRESHING");
_Static_assert(sizeof(struct dns_answer) == 32,
    "struct dns_answer changed: see layout_pack()");

static int	 key_make(const struct cache *, const uint8_t *, size_t,
		    struct cache_key *);
static int	 question_is(const uint8_t *, size_t, const struct cache_key *,
		    int);
static uint32_t	 cell_home(const struct cache *, uint32_t);
static uint32_t	 cell_next(const struct cache *, uint32_t);
static uint32_t	 slot_find(const struct cache *, const struct cache_key *);
static void	 cell_insert(struct cache *, uint32_t);
static void	 cell_remove(struct cache *, uint32_t);
static void	 lru_unlink(struct cache *, uint32_t);
static void	 lru_push(struct cache *, uint32_t);
static size_t	 entry_cost(size_t, size_t);
static void	 entry_remove(struct cache *, uint32_t);
static void	 evict_to(struct cache *, uint32_t, size_t);
static uint32_t	 cap_of(uint32_t, size_t);
static int	 rebuild(struct cache *, uint32_t);
static uint32_t	 slot_take(struct cache *);
static void	 layout_pack(uint8_t *, const struct dns_answer *);
static void	 layout_unpack(const uint8_t *, struct dns_answer *);
static uint64_t	 slot_stored(const struct cache *, const struct cache_slot *);
static uint32_t	 slot_lifetime(const struct cache_slot *);
static size_t	 slot_serve(const struct cache_slot *, uint32_t, uint32_t,
		    uint8_t *, size_t);
static uint32_t	 slot_age(const struct cache *, const struct cache_slot *,
		    uint64_t);
static uint32_t	 rel_time(struct cache *, uint64_t);
static uint8_t	 ascii_lower(uint8_t);
static int	 slot_refresh_due(struct cache_slot *, uint32_t);

/*
 * Keys and the index.
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
	if (keylen < 1 + KEY_TAIL || keylen > sizeof(k->b))
		return -1;
	memcpy(k->b, key, keylen);
	k->b[keylen - 1] &= CACHE_KEY_BITS;
	k->len = (uint16_t)keylen;
	k->hash = (uint32_t)siphash24(c->secret, k->b, k->len);
	return 0;
}

static uint8_t
ascii_lower(uint8_t ch)
{
	return ch >= 'A' && ch <= 'Z' ? (uint8_t)(ch - 'A' + 'a') : ch;
}

/*
 * Whether the question of an answer is the key's name (in any case when
 * lower, else as it is; the key's is lower-cased, and no length byte is
 * a letter), type and class. A wire name ends with its zero byte, so
 * equal bytes are equal lengths.
 */
static int
question_is(const uint8_t *ans, size_t len, const struct cache_key *k,
    int lower)
{
	const uint8_t	*q = ans + DNS_HDRLEN;
	size_t		 i, n = k->len - KEY_TAIL;

	if (len < DNS_HDRLEN + n + 4)
		return 0;
	if (!lower)
		return memcmp(q, k->b, n + 4) == 0;
	for (i = 0; i < n; i++)
		if (ascii_lower(q[i]) != k->b[i])
			return 0;
	return memcmp(q + n, k->b + n, 4) == 0;
}

/* where a hash's run of cells begins: hash x ncells / 2^32 */
static uint32_t
cell_home(const struct cache *c, uint32_t hash)
{
	return (uint32_t)(((uint64_t)hash * c->ncells) >> 32);
}

static uint32_t
cell_next(const struct cache *c, uint32_t i)
{
	return i + 1 == c->ncells ? 0 : i + 1;
}

static uint32_t
slot_find(const struct cache *c, const struct cache_key *k)
{
	const struct cache_slot	*e;
	uint32_t		 i, s;

	for (i = cell_home(c, k->hash); c->cells[i].slot != 0;
	    i = cell_next(c, i)) {
		if (c->cells[i].hash != k->hash)
			continue;
		s = c->cells[i].slot - 1;
		e = &c->slots[s];
		if (e->namelen + KEY_TAIL == k->len &&
		    (e->bits & CACHE_KEY_BITS) == k->b[k->len - 1] &&
		    question_is(e->data + LAYOUT_LEN, e->anslen, k, 0))
			return s;
	}
	return NIL;
}

/* There is always an empty cell: there are more cells than slots. */
static void
cell_insert(struct cache *c, uint32_t s)
{
	uint32_t	 i;

	for (i = cell_home(c, c->slots[s].hash); c->cells[i].slot != 0;
	    i = cell_next(c, i))
		continue;
	c->cells[i].hash = c->slots[s].hash;
	c->cells[i].slot = s + 1;
}

/*
 * Empty the cell of slot s and move later cells of the run back into
 * the hole where their home allows it, so that no lookup ever stops
 * early at an empty cell (no tombstones).
 */
static void
cell_remove(struct cache *c, uint32_t s)
{
	uint32_t	 i, j, home;

	for (i = cell_home(c, c->slots[s].hash); c->cells[i].slot != s + 1;
	    i = cell_next(c, i))
		continue;
	for (j = cell_next(c, i); c->cells[j].slot != 0;
	    j = cell_next(c, j)) {
		home = cell_home(c, c->cells[j].hash);
		/* stays when its home is cyclically in (i, j] */
		if (i <= j ? home > i && home <= j : home > i || home <= j)
			continue;
		c->cells[i] = c->cells[j];
		i = j;
	}
	c->cells[i].slot = 0;
}

/*
 * Slots.
 */

static void
lru_unlink(struct cache *c, uint32_t s)
{
	struct cache_slot	*e = &c->slots[s];

	if (e->prev == NIL)
		c->head = e->next;
	else
		c->slots[e->prev].next = e->next;
	if (e->next == NIL)
		c->tail = e->prev;
	else
		c->slots[e->next].prev = e->prev;
}

static void
lru_push(struct cache *c, uint32_t s)
{
	struct cache_slot	*e = &c->slots[s];

	e->prev = NIL;
	e->next = c->head;
	if (c->head == NIL)
		c->tail = s;
	else
		c->slots[c->head].prev = s;
	c->head = s;
}

static size_t
entry_cost(size_t keylen, size_t anslen)
{
	return CACHE_ENTRY_OVERHEAD + keylen + anslen;
}

static void
entry_remove(struct cache *c, uint32_t s)
{
	struct cache_slot	*e = &c->slots[s];

	cell_remove(c, s);
	lru_unlink(c, s);
	c->stats.entries--;
	c->stats.bytes -= entry_cost(e->namelen + KEY_TAIL, e->anslen);
	free(e->data);
	e->data = NULL;
	e->next = c->free;
	c->free = s;
}

/* Drop least recently used entries until both counts are within bounds. */
static void
evict_to(struct cache *c, uint32_t entries, size_t bytes)
{
	while (c->stats.entries > entries || c->stats.bytes > bytes) {
		entry_remove(c, c->tail);
		c->stats.evictions++;
	}
}

/* The most entries both bounds allow: no entry costs less than this. */
static uint32_t
cap_of(uint32_t max_entries, size_t max_bytes)
{
	size_t	 n;

	n = max_bytes / CACHE_ENTRY_OVERHEAD;
	if (n > max_entries)
		n = max_entries;
	/* the cell count must not overflow */
	return n < CACHE_ENTRIES_MAX ? (uint32_t)n : CACHE_ENTRIES_MAX;
}

/*
 * New arrays for nslots (at least the entries there are), the entries
 * moved into them in LRU order; out of memory, keep the old ones.
 */
static int
rebuild(struct cache *c, uint32_t nslots)
{
	struct cache_slot	*slots, *old = c->slots;
	struct cache_cell	*cells;
	uint32_t		 s, n = 0;

	slots = calloc(nslots, sizeof(*slots));
	cells = calloc((size_t)nslots + nslots / 4 + 1, sizeof(*cells));
	if (slots == NULL || cells == NULL) {
		free(slots);
		free(cells);
		return -1;
	}
	for (s = c->head; s != NIL; s = old[s].next)
		slots[n++] = old[s];
	free(c->slots);
	free(c->cells);
	c->slots = slots;
	c->cells = cells;
	c->nslots = nslots;
	c->ncells = nslots + nslots / 4 + 1;
	c->used = n;
	c->free = NIL;
	c->head = c->tail = NIL;
	/* from the least recently used, so that the order stays */
	while (n-- > 0) {
		lru_push(c, n);
		cell_insert(c, n);
	}
	return 0;
}

/* A free slot, the arrays grown when all are taken; NIL if none. */
static uint32_t
slot_take(struct cache *c)
{
	uint32_t	 s, n;

	if ((s = c->free) != NIL) {
		c->free = c->slots[s].next;
		return s;
	}
	if (c->used == c->nslots) {
		n = c->nslots < c->cap / 2 ? c->nslots * 2 : c->cap;
		if (n <= c->nslots || rebuild(c, n) == -1)
			return NIL;
	}
	return c->used++;
}

/*
 * struct dns_answer without len (the slot's anslen) and ttl (the
 * slot's), in the host's byte order.
 */
static void
layout_pack(uint8_t *p, const struct dns_answer *a)
{
	const uint16_t	 w[9] = { a->flags, a->ancount, a->nscount,
	    a->arcount, a->records, a->opt_start, a->opt_end, a->opt_rdata,
	    a->opt_rdlen };

	memcpy(p, w, sizeof(w));
	memcpy(p + sizeof(w), &a->opt_ttl, sizeof(a->opt_ttl));
	p[sizeof(w) + sizeof(a->opt_ttl)] = a->has_opt;
}

static void
layout_unpack(const uint8_t *p, struct dns_answer *a)
{
	uint16_t	 w[9];

	memcpy(w, p, sizeof(w));
	a->flags = w[0];
	a->ancount = w[1];
	a->nscount = w[2];
	a->arcount = w[3];
	a->records = w[4];
	a->opt_start = w[5];
	a->opt_end = w[6];
	a->opt_rdata = w[7];
	a->opt_rdlen = w[8];
	memcpy(&a->opt_ttl, p + sizeof(w), sizeof(a->opt_ttl));
	a->has_opt = p[sizeof(w) + sizeof(a->opt_ttl)];
}
_Static_assert(9 * 2 + 4 + 1 == LAYOUT_LEN, "LAYOUT_LEN");

/*
 * The cache.
 */

struct cache *
cache_new(uint32_t max_entries, size_t max_bytes)
{
	struct cache	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	arc4random_buf(c->secret, sizeof(c->secret));
	c->head = c->tail = c->free = NIL;
	c->max_entries = max_entries;
	c->max_bytes = max_bytes;
	c->cap = cap_of(max_entries, max_bytes);
	if (c->cap == 0)
		return c;
	if (rebuild(c, c->cap < GROW_MIN ? c->cap : GROW_MIN) == -1) {
		free(c);
		return NULL;
	}
	return c;
}

void
cache_free(struct cache *c)
{
	uint32_t	 s;

	if (c == NULL)
		return;
	for (s = c->head; s != NIL; s = c->slots[s].next)
		free(c->slots[s].data);
	free(c->slots);
	free(c->cells);
	free(c);
}

void
cache_resize(struct cache *c, uint32_t max_entries, size_t max_bytes)
{
	uint32_t	 cap, n;

	cap = cap_of(max_entries, max_bytes);
	c->max_entries = max_entries;
	c->max_bytes = max_bytes;
	if (c->slots != NULL)
		evict_to(c, cap, max_bytes);
	c->cap = cap;
	if (cap == 0) {
		free(c->slots);
		free(c->cells);
		c->slots = NULL;
		c->cells = NULL;
		c->nslots = c->ncells = c->used = 0;
		c->head = c->tail = c->free = NIL;
		return;
	}
	/* room for what is kept, and a new cache's room */
	n = c->stats.entries > GROW_MIN ? c->stats.entries : GROW_MIN;
	if (n > cap)
		n = cap;
	/* out of memory: an old array serves on, a disabled cache stays so */
	if (rebuild(c, n) == -1 && c->slots == NULL)
		c->cap = 0;
}

static uint64_t
slot_stored(const struct cache *c, const struct cache_slot *e)
{
	return c->base + e->stored;
}

/* at most CACHE_MAX_TTL */
static uint32_t
slot_lifetime(const struct cache_slot *e)
{
	return e->ttl < CACHE_MAX_TTL ? e->ttl : CACHE_MAX_TTL;
}

static uint32_t
slot_age(const struct cache *c, const struct cache_slot *e, uint64_t now)
{
	uint64_t	 stored = slot_stored(c, e);

	/* a clock that went back makes the entry new, not negative */
	if (now <= stored)
		return 0;
	if (now - stored > UINT32_MAX)
		return UINT32_MAX;
	return (uint32_t)(now - stored);
}

/*
 * The kept answer into out with its TTLs rewritten, none longer than
 * the entry lives; 0 if it does not fit.
 */
static size_t
slot_serve(const struct cache_slot *e, uint32_t age, uint32_t fixed,
    uint8_t *out, size_t outlen)
{
	if (e->anslen > outlen)
		return 0;
	memcpy(out, e->data + LAYOUT_LEN, e->anslen);
	/* walked whole when it was stored, so this cannot fail */
	if (dns_answer_set_ttl(out, e->anslen, age, slot_lifetime(e),
	    fixed) == -1)
		return 0;
	return e->anslen;
}

size_t
cache_lookup(struct cache *c, const uint8_t *key, size_t keylen,
    uint64_t now_sec, int allow_stale, uint8_t *out, size_t outlen,
    struct dns_answer *a)
{
	return cache_lookup_refresh(c, key, keylen, now_sec, allow_stale, out,
	    outlen, a, NULL);
}

/*
 * Whether a fresh entry is in the last 1/CACHE_REFRESH_SHARE of its
 * lifetime (never for lifetimes that short, in whole seconds) and no
 * refresh was asked for yet; if so, it is asked now.
 */
static int
slot_refresh_due(struct cache_slot *e, uint32_t age)
{
	uint32_t	 lifetime = slot_lifetime(e);

	if ((e->bits & SLOT_REFRESHING) || age >= lifetime ||
	    (uint64_t)(lifetime - age) * CACHE_REFRESH_SHARE > lifetime)
		return 0;
	e->bits |= SLOT_REFRESHING;
	return 1;
}

size_t
cache_lookup_refresh(struct cache *c, const uint8_t *key, size_t keylen,
    uint64_t now_sec, int allow_stale, uint8_t *out, size_t outlen,
    struct dns_answer *a, int *refresh)
{
	struct cache_key	 k;
	struct cache_slot	*e;
	uint64_t		 expires;
	size_t			 len;
	uint32_t		 s, age = 0;
	int			 stale;

	if (refresh != NULL)
		*refresh = 0;
	if (c->slots == NULL)
		return 0;
	if (key_make(c, key, keylen, &k) == -1 ||
	    (s = slot_find(c, &k)) == NIL) {
		c->stats.misses++;
		return 0;
	}
	e = &c->slots[s];
	expires = slot_stored(c, e) + slot_lifetime(e);
	stale = now_sec >= expires;
	if (stale && now_sec - expires >= CACHE_STALE_MAX) {
		/* of no use to anyone any more */
		entry_remove(c, s);
		c->stats.misses++;
		return 0;
	}
	if (stale && !allow_stale) {
		c->stats.misses++;
		return 0;
	}
	if (stale)
		len = slot_serve(e, 0, CACHE_STALE_TTL, out, outlen);
	else
		len = slot_serve(e, age = slot_age(c, e, now_sec), 0, out,
		    outlen);
	if (len == 0) {
		c->stats.misses++;
		return 0;
	}
	if (stale)
		c->stats.stale_hits++;
	else
		c->stats.hits++;
	if (!stale && refresh != NULL)
		*refresh = slot_refresh_due(e, age);
	if (c->head != s) {
		lru_unlink(c, s);
		lru_push(c, s);
	}
	layout_unpack(e->data, a);
	a->len = e->anslen;
	a->ttl = e->ttl;
	return len;
}

/*
 * Seconds since the base, which the first store sets BASE_SLACK behind
 * its clock: 34 years back or 100 forward before anything is clamped.
 */
static uint32_t
rel_time(struct cache *c, uint64_t now)
{
	if (!c->based) {
		c->base = now > BASE_SLACK ? now - BASE_SLACK : 0;
		c->based = 1;
	}
	if (now <= c->base)
		return 0;
	if (now - c->base > UINT32_MAX)
		return UINT32_MAX;
	return (uint32_t)(now - c->base);
}

void
cache_store(struct cache *c, const uint8_t *key, size_t keylen,
    const uint8_t *ans, size_t len, const struct dns_answer *a,
    uint64_t now_sec)
{
	struct cache_key	 k;
	struct cache_slot	*e;
	struct dns_answer	 lay = *a;
	uint8_t			*data, buf[CACHE_MAX_ANSWER];
	size_t			 cost;
	uint32_t		 s;

	if (c->slots == NULL || len > CACHE_MAX_ANSWER || a->len != len ||
	    a->ttl == 0 || key_make(c, key, keylen, &k) == -1 ||
	    !question_is(ans, len, &k, 1))
		return;
	/* what is never served is not kept: the upstream's padding */
	if ((len = dns_answer_compact(ans, len, &lay, buf, sizeof(buf))) == 0)
		return;
	cost = entry_cost(k.len, len);
	if (cost > c->max_bytes)
		return;

	if ((s = slot_find(c, &k)) != NIL)
		entry_remove(c, s);
	/* make room first, so the bounds hold even while allocating */
	evict_to(c, c->cap - 1, c->max_bytes - cost);
	if ((data = malloc(LAYOUT_LEN + len)) == NULL)
		return;
	if ((s = slot_take(c)) == NIL) {
		free(data);
		return;
	}
	layout_pack(data, &lay);
	memcpy(data + LAYOUT_LEN, buf, len);
	/* lookups compare bytes; dns_answer_client() puts the client's in */
	memcpy(data + LAYOUT_LEN + DNS_HDRLEN, k.b, k.len - KEY_TAIL);
	e = &c->slots[s];
	e->data = data;
	e->hash = k.hash;
	e->stored = rel_time(c, now_sec);
	e->ttl = lay.ttl;
	e->anslen = (uint16_t)len;
	e->namelen = (uint8_t)(k.len - KEY_TAIL);
	e->bits = k.b[k.len - 1];
	lru_push(c, s);
	cell_insert(c, s);
	c->stats.entries++;
	c->stats.bytes += cost;
	c->stats.stores++;
}

static int
lower_equal(const uint8_t *a, const uint8_t *b, size_t len)
{
	size_t	 i;
	uint8_t	 x, y;

	for (i = 0; i < len; i++) {
		x = a[i] >= 'A' && a[i] <= 'Z' ? (uint8_t)(a[i] + 32) : a[i];
		y = b[i] >= 'A' && b[i] <= 'Z' ? (uint8_t)(b[i] + 32) : b[i];
		if (x != y)
			return 0;
	}
	return 1;
}

/* whether a name (wire form, lower case) is the given one or below it */
static int
name_below(const uint8_t *n, size_t len, const uint8_t *name,
    size_t namelen)
{
	size_t	 off = 0;

	while (off < len) {
		if (len - off == namelen && lower_equal(n + off, name, namelen))
			return 1;
		if (n[off] == 0)
			break;
		off += (size_t)n[off] + 1;
	}
	return 0;
}

size_t
cache_flush(struct cache *c, const uint8_t *name, size_t namelen)
{
	struct cache_slot	*e;
	uint32_t		 s, next;
	size_t			 n = 0;

	if (c->slots == NULL)
		return 0;
	for (s = c->head; s != NIL; s = next) {
		e = &c->slots[s];
		next = e->next;
		/* the stored question is the key's name */
		if (name_below(e->data + LAYOUT_LEN + DNS_HDRLEN, e->namelen,
		    name, namelen)) {
			entry_remove(c, s);
			n++;
		}
	}
	return n;
}

void
cache_get_stats(const struct cache *c, struct cache_stats *st)
{
	*st = c->stats;
}
