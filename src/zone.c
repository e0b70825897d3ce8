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
 * Zone tables for split DNS and the local zones, consulted for every
 * query in the frontend and the resolver.  The names come from the
 * configuration (trusted text, still checked); the names looked up come
 * from clients, already through dns_query_parse() but walked again here
 * with every bound checked, so that this module trusts no caller.
 *
 * The table is a hash set of nodes: every zone, and every suffix of a
 * zone on a label boundary (its ancestors: "example" for "corp.example"),
 * the root left out.  A lookup walks the query name from the root up and
 * stops at the first suffix that is no node, since no zone can be under
 * it: "www.example.com" costs one probe for "com" against a table of
 * local zones, and nothing at all when no node has that length.  The
 * longest suffix that is a zone, not just an ancestor, is the answer.
 *
 * Nodes are keyed by a 64-bit FNV-1a hash of the name's bytes taken from
 * the last to the first, so one backward pass over a query name yields
 * the hash of each suffix as it reaches that suffix's first byte.  Open
 * addressing over a power-of-two array at most half full.  The hash is
 * not keyed: clients choose the names looked up but not those in the
 * table, so the longest probe sequence they can cause is one the
 * configuration already holds, and a lookup probes at most once per
 * label of the name.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zone.h"

#define MAXLABEL	63
#define MAXLABELS	128	/* 127 one-byte labels and the root */
#define FNV_OFFSET	0xcbf29ce484222325ULL
#define FNV_PRIME	0x100000001b3ULL
#define NONE		UINT32_MAX
#define NAME_IN_ERR	100	/* characters of a bad name in a message */

/* A zone or an ancestor of one: a suffix of a zone name in the pool. */
struct node {
	uint64_t	 hash;
	uint32_t	 off;		/* in pool */
	uint32_t	 zone;		/* index, NONE for an ancestor only */
	uint8_t		 len;
};

struct zonetab {
	uint32_t	*slot;		/* node index, NONE when unused */
	size_t		 mask;		/* slots - 1 */
	struct node	*node;
	size_t		 nnode, nodecap;
	uint8_t		*pool;		/* zone names back to back */
	size_t		 poollen, poolcap;
	uint32_t	*zone;		/* node of zone i */
	size_t		 n, max;
	uint64_t	 lengths[4];	/* bit l: some node is l bytes long */
};

static uint8_t
lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c - 'A' + 'a') : c;
}

static uint64_t
hash_byte(uint64_t h, uint8_t c)
{
	return (h ^ lower(c)) * FNV_PRIME;
}

/* FNV's low bits are its weakest: fold the high ones in for the index */
static size_t
hash_slot(size_t mask, uint64_t h)
{
	return (size_t)(h ^ (h >> 32) ^ (h >> 17)) & mask;
}

static int
has_length(const struct zonetab *t, size_t len)
{
	return (int)((t->lengths[len / 64] >> (len % 64)) & 1);
}

/*
 * Where the labels of a wire name of exactly len bytes start, root
 * included, into at[]; their number, or 0 when it is no such name.
 */
static size_t
name_labels(const uint8_t *name, size_t len, uint8_t at[MAXLABELS])
{
	size_t	 pos = 0, n = 0;

	if (name == NULL || len == 0 || len > DNS_MAXNAME)
		return 0;
	for (;;) {
		if (pos >= len || name[pos] > MAXLABEL || n == MAXLABELS)
			return 0;
		at[n++] = (uint8_t)pos;
		if (name[pos] == 0)
			break;
		pos += (size_t)name[pos] + 1;
	}
	return pos + 1 == len ? n : 0;
}

/* bytes equal, a's letters in any case, b's in lower case */
static int
same_name(const uint8_t *a, const uint8_t *b, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if (lower(a[i]) != b[i])
			return 0;
	return 1;
}

/* the node of this suffix, or NONE */
static uint32_t
probe(const struct zonetab *t, uint64_t h, const uint8_t *name, size_t len)
{
	const struct node	*nd;
	size_t			 i;

	for (i = hash_slot(t->mask, h);; i = (i + 1) & t->mask) {
		if (t->slot[i] == NONE)
			return NONE;
		nd = &t->node[t->slot[i]];
		if (nd->hash == h && nd->len == len &&
		    same_name(name, t->pool + nd->off, len))
			return t->slot[i];
	}
}

static void
slot_put(uint32_t *slot, size_t mask, uint64_t h, uint32_t node)
{
	size_t	 i;

	for (i = hash_slot(mask, h); slot[i] != NONE; i = (i + 1) & mask)
		continue;
	slot[i] = node;
}

struct zonetab *
zonetab_new(size_t max)
{
	struct zonetab	*t;

	if (max == 0 || max > ZONE_MAX) {
		errno = EINVAL;
		return NULL;
	}
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->max = max;
	t->mask = 15;
	t->slot = calloc(t->mask + 1, sizeof(*t->slot));
	t->zone = calloc(max, sizeof(*t->zone));
	if (t->slot == NULL || t->zone == NULL) {
		zonetab_free(t);
		errno = ENOMEM;
		return NULL;
	}
	memset(t->slot, 0xff, (t->mask + 1) * sizeof(*t->slot));
	return t;
}

void
zonetab_free(struct zonetab *t)
{
	if (t == NULL)
		return;
	free(t->slot);
	free(t->node);
	free(t->pool);
	free(t->zone);
	free(t);
}

/*
 * Room for a name of len bytes and its up to MAXLABELS nodes, the slot
 * array kept at most half full.  0 ok, -1 out of memory (nothing lost).
 */
static int
reserve(struct zonetab *t, size_t len)
{
	struct node	*nd;
	uint8_t		*p;
	uint32_t	*slot;
	size_t		 cap, mask, i;

	if (t->poolcap - t->poollen < len) {
		cap = t->poolcap == 0 ? 16 * DNS_MAXNAME : 2 * t->poolcap;
		if ((p = realloc(t->pool, cap)) == NULL)
			return -1;
		t->pool = p;
		t->poolcap = cap;
	}
	if (t->nodecap - t->nnode < MAXLABELS) {
		cap = 2 * t->nodecap + MAXLABELS;
		if ((nd = reallocarray(t->node, cap, sizeof(*nd))) == NULL)
			return -1;
		t->node = nd;
		t->nodecap = cap;
	}
	if (2 * (t->nnode + MAXLABELS) <= t->mask + 1)
		return 0;
	for (mask = t->mask; 2 * (t->nnode + MAXLABELS) > mask + 1;)
		mask = 2 * mask + 1;
	if ((slot = reallocarray(NULL, mask + 1, sizeof(*slot))) == NULL)
		return -1;
	memset(slot, 0xff, (mask + 1) * sizeof(*slot));
	for (i = 0; i < t->nnode; i++)
		slot_put(slot, mask, t->node[i].hash, (uint32_t)i);
	free(t->slot);
	t->slot = slot;
	t->mask = mask;
	return 0;
}

/* A node for the suffix of the newest pool name at off, len bytes. */
static uint32_t
node_add(struct zonetab *t, uint64_t h, size_t off, size_t len)
{
	struct node	*nd = &t->node[t->nnode];

	nd->hash = h;
	nd->off = (uint32_t)off;
	nd->len = (uint8_t)len;
	nd->zone = NONE;
	slot_put(t->slot, t->mask, h, (uint32_t)t->nnode);
	t->lengths[len / 64] |= 1ULL << (len % 64);
	return (uint32_t)t->nnode++;
}

int
zonetab_add(struct zonetab *t, const uint8_t *name, size_t len)
{
	uint8_t		 at[MAXLABELS];
	uint64_t	 h = FNV_OFFSET;
	size_t		 nlabels, pos, i, start;
	uint32_t	 nd = NONE;
	int		 added = 0;

	if ((nlabels = name_labels(name, len, at)) < 2) {
		errno = EINVAL;		/* not a name, or the root */
		return -1;
	}
	if (t->n == t->max) {
		/* a zone already there needs no room */
		for (h = FNV_OFFSET, pos = len; pos > 0;)
			h = hash_byte(h, name[--pos]);
		if ((nd = probe(t, h, name, len)) != NONE &&
		    t->node[nd].zone != NONE)
			return (int)t->node[nd].zone;
		errno = ENOSPC;
		return -1;
	}
	if (reserve(t, len) == -1) {
		errno = ENOMEM;
		return -1;
	}
	/* the name goes to the pool first; dropped again when not new */
	start = t->poollen;
	for (i = 0; i < len; i++)
		t->pool[start + i] = lower(name[i]);
	h = hash_byte(h, 0);
	for (pos = len - 1, i = nlabels - 1; i-- > 0;) {
		while (pos > at[i])
			h = hash_byte(h, name[--pos]);
		if ((nd = probe(t, h, name + pos, len - pos)) == NONE) {
			nd = node_add(t, h, start + pos, len - pos);
			added = 1;
		}
	}
	if (added)
		t->poollen += len;	/* new nodes point into it */
	if (t->node[nd].zone != NONE)
		return (int)t->node[nd].zone;
	t->node[nd].zone = (uint32_t)t->n;
	t->zone[t->n] = nd;
	return (int)t->n++;
}

int
zonetab_lookup(const struct zonetab *t, const uint8_t *name, size_t len,
    size_t *zonelen)
{
	uint8_t		 at[MAXLABELS];
	uint64_t	 h = FNV_OFFSET;
	size_t		 nlabels, pos, suffix;
	uint32_t	 nd, best = NONE;

	*zonelen = 0;
	if (t->n == 0 || (nlabels = name_labels(name, len, at)) < 2)
		return -1;
	h = hash_byte(h, 0);
	/* from the root up: the last zone met is the longest */
	for (pos = len - 1, nlabels--; nlabels-- > 0;) {
		while (pos > at[nlabels])
			h = hash_byte(h, name[--pos]);
		suffix = len - pos;
		if (!has_length(t, suffix) ||
		    (nd = probe(t, h, name + pos, suffix)) == NONE)
			break;
		if (t->node[nd].zone != NONE) {
			best = t->node[nd].zone;
			*zonelen = suffix;
		}
	}
	return best == NONE ? -1 : (int)best;
}

size_t
zonetab_count(const struct zonetab *t)
{
	return t->n;
}

const uint8_t *
zonetab_name(const struct zonetab *t, int idx, size_t *len)
{
	const struct node	*nd;

	if (idx < 0 || (size_t)idx >= t->n) {
		*len = 0;
		return NULL;
	}
	nd = &t->node[t->zone[idx]];
	*len = nd->len;
	return t->pool + nd->off;
}

/*
 * Zone names as configured.
 */

static int
zone_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_';
}

int
zone_name_parse(const char *text, uint8_t *wire, size_t *wirelen, char *err,
    size_t errlen)
{
	const char	*s = text, *label;
	size_t		 n = 0, llen;

	*wirelen = 0;
	if (text[0] == '\0' || strcmp(text, ".") == 0) {
		(void)snprintf(err, errlen, "the root is not a forward zone: "
		    "the upstream lines serve it");
		return -1;
	}
	while (*s != '\0') {
		for (label = s; zone_char(*s); s++)
			continue;
		llen = (size_t)(s - label);
		if (*s != '\0' && *s != '.') {
			(void)snprintf(err, errlen, "invalid character in zone "
			    "\"%.*s\"", NAME_IN_ERR, text);
			return -1;
		}
		if (llen == 0 || llen > MAXLABEL || label[0] == '-' ||
		    label[llen - 1] == '-') {
			(void)snprintf(err, errlen, "invalid label in zone "
			    "\"%.*s\"", NAME_IN_ERR, text);
			return -1;
		}
		if (n + 1 + llen + 1 > DNS_MAXNAME) {
			(void)snprintf(err, errlen, "zone longer than %d "
			    "bytes: \"%.*s\"", DNS_MAXNAME, NAME_IN_ERR, text);
			return -1;
		}
		wire[n++] = (uint8_t)llen;
		while (label < s)
			wire[n++] = lower((uint8_t)*label++);
		if (*s == '.')
			s++;
	}
	wire[n++] = 0;
	*wirelen = n;
	return 0;
}
