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
 * Query IDs in flight on one upstream connection (see idtab.h). The IDs
 * are random, so the low bits of an ID are its home slot; an answer's ID
 * comes from the upstream, but it only looks up, and a lookup ends at the
 * first empty slot of a table at most half full of our own random IDs.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "idtab.h"

static int
alloc_slots(struct idtab *t, uint32_t nslots)
{
	t->ids = calloc(nslots, sizeof(*t->ids));
	t->vals = calloc(nslots, sizeof(*t->vals));
	if (t->ids == NULL || t->vals == NULL) {
		free(t->ids);
		free(t->vals);
		t->ids = NULL;
		t->vals = NULL;
		return -1;
	}
	t->mask = nslots - 1;
	return 0;
}

int
idtab_init(struct idtab *t)
{
	t->count = 0;
	return alloc_slots(t, IDTAB_MIN_SLOTS);
}

void
idtab_free(struct idtab *t)
{
	free(t->ids);
	free(t->vals);
	t->ids = NULL;
	t->vals = NULL;
	t->count = 0;
	t->mask = 0;
}

/* the slot holding id, or the empty slot where it would go */
static uint32_t
find_slot(const struct idtab *t, uint16_t id)
{
	uint32_t	 i = id & t->mask;

	while (t->vals[i] != NULL && t->ids[i] != id)
		i = (i + 1) & t->mask;
	return i;
}

void *
idtab_get(const struct idtab *t, uint16_t id)
{
	return t->vals[find_slot(t, id)];
}

static void
put(struct idtab *t, uint16_t id, void *val)
{
	uint32_t	 i = find_slot(t, id);

	t->ids[i] = id;
	t->vals[i] = val;
}

/* twice the slots, everything rehashed: amortized O(1) per insertion */
static int
grow(struct idtab *t)
{
	struct idtab	 old = *t;
	uint32_t	 i;

	if (alloc_slots(t, (old.mask + 1) * 2) == -1) {
		*t = old;
		return -1;
	}
	for (i = 0; i <= old.mask; i++)
		if (old.vals[i] != NULL)
			put(t, old.ids[i], old.vals[i]);
	free(old.ids);
	free(old.vals);
	return 0;
}

int
idtab_add(struct idtab *t, void *val, uint16_t (*rnd)(void *), void *arg,
    uint16_t *idp)
{
	uint32_t	 i;
	int		 tries;
	uint16_t	 id;

	if (t->count >= IDTAB_MAX) {
		errno = ENOSPC;
		return -1;
	}
	if ((t->count + 1) * 2 > t->mask + 1 && grow(t) == -1) {
		errno = ENOMEM;
		return -1;
	}
	for (tries = 0; tries < IDTAB_TRIES; tries++) {
		id = rnd(arg);
		i = find_slot(t, id);
		if (t->vals[i] != NULL)
			continue;
		t->ids[i] = id;
		t->vals[i] = val;
		t->count++;
		*idp = id;
		return 0;
	}
	errno = EAGAIN;
	return -1;
}

/* i lies cyclically in (from, to] */
static int
cyclic_between(uint32_t from, uint32_t i, uint32_t to)
{
	if (from <= to)
		return from < i && i <= to;
	return from < i || i <= to;
}

void *
idtab_del(struct idtab *t, uint16_t id)
{
	uint32_t	 hole, j, home;
	void		*val;

	hole = find_slot(t, id);
	if ((val = t->vals[hole]) == NULL)
		return NULL;
	/*
	 * Backward shift: an entry after the hole moves into it unless its
	 * home slot lies between the hole and itself, where a lookup starting
	 * from home would still reach it.
	 */
	for (j = (hole + 1) & t->mask; t->vals[j] != NULL;
	    j = (j + 1) & t->mask) {
		home = t->ids[j] & t->mask;
		if (cyclic_between(hole, home, j))
			continue;
		t->ids[hole] = t->ids[j];
		t->vals[hole] = t->vals[j];
		hole = j;
	}
	t->vals[hole] = NULL;
	t->count--;
	return val;
}

uint32_t
idtab_count(const struct idtab *t)
{
	return t->count;
}
