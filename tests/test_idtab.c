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

/* Unit tests of the per-connection query ID table. */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "idtab.h"
#include "test.h"

/* IDs from a list, for tests that need to know them */
struct idlist {
	const uint16_t	*ids;
	size_t		 n, next;
};

static uint16_t
from_list(void *arg)
{
	struct idlist	*l = arg;

	return l->ids[l->next++ % l->n];
}

/* a small deterministic generator: xorshift32 */
static uint16_t
xorshift(void *arg)
{
	uint32_t	*s = arg;

	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return (uint16_t)(*s >> 8);
}

static int
add_id(struct idtab *t, void *val, uint16_t id)
{
	struct idlist	 l = { &id, 1, 0 };
	uint16_t	 got;

	if (idtab_add(t, val, from_list, &l, &got) == -1)
		return -1;
	return got == id ? 0 : -1;
}

static void
t_basic(void)
{
	struct idtab	 t;
	int		 a, b;

	CHECK(idtab_init(&t) == 0);
	CHECK(idtab_get(&t, 7) == NULL);
	CHECK(add_id(&t, &a, 7) == 0);
	CHECK(add_id(&t, &b, 7 + IDTAB_MIN_SLOTS) == 0);	/* same home */
	CHECK(idtab_count(&t) == 2);
	CHECK(idtab_get(&t, 7) == &a);
	CHECK(idtab_get(&t, 7 + IDTAB_MIN_SLOTS) == &b);
	CHECK(idtab_get(&t, 8) == NULL);
	CHECK(idtab_del(&t, 7) == &a);
	CHECK(idtab_del(&t, 7) == NULL);
	CHECK(idtab_get(&t, 7 + IDTAB_MIN_SLOTS) == &b);
	CHECK(idtab_count(&t) == 1);
	idtab_free(&t);
}

/* an ID in use is never handed out again; all tries taken is EAGAIN */
static void
t_no_reuse(void)
{
	static const uint16_t	 ids[] = { 42, 42, 42, 43 };
	struct idlist		 l = { ids, 4, 0 };
	struct idtab		 t;
	uint16_t		 id;
	int			 a;

	CHECK(idtab_init(&t) == 0);
	CHECK(idtab_add(&t, &a, from_list, &l, &id) == 0 && id == 42);
	l.next = 0;
	CHECK(idtab_add(&t, &a, from_list, &l, &id) == 0 && id == 43);
	l.n = 1;
	l.next = 0;
	errno = 0;
	CHECK(idtab_add(&t, &a, from_list, &l, &id) == -1 && errno == EAGAIN);
	CHECK(l.next == IDTAB_TRIES);
	CHECK(idtab_count(&t) == 2);
	idtab_free(&t);
}

/* entries that wrapped around the end of the table survive deletions */
static void
t_wrap(void)
{
	struct idtab	 t;
	int		 v[4];
	uint16_t	 top = IDTAB_MIN_SLOTS - 1;

	CHECK(idtab_init(&t) == 0);
	CHECK(add_id(&t, &v[0], top) == 0);
	CHECK(add_id(&t, &v[1], (uint16_t)(top + IDTAB_MIN_SLOTS)) == 0);
	CHECK(add_id(&t, &v[2], 0) == 0);
	CHECK(add_id(&t, &v[3], (uint16_t)(top + 2 * IDTAB_MIN_SLOTS)) == 0);
	CHECK(idtab_del(&t, top) == &v[0]);
	CHECK(idtab_get(&t, (uint16_t)(top + IDTAB_MIN_SLOTS)) == &v[1]);
	CHECK(idtab_get(&t, 0) == &v[2]);
	CHECK(idtab_get(&t, (uint16_t)(top + 2 * IDTAB_MIN_SLOTS)) == &v[3]);
	CHECK(idtab_del(&t, 0) == &v[2]);
	CHECK(idtab_get(&t, (uint16_t)(top + 2 * IDTAB_MIN_SLOTS)) == &v[3]);
	CHECK(idtab_get(&t, (uint16_t)(top + IDTAB_MIN_SLOTS)) == &v[1]);
	CHECK(idtab_count(&t) == 2);
	idtab_free(&t);
}

/* it grows past 128 and stops at IDTAB_MAX with ENOSPC */
static void
t_grow_to_max(void)
{
	struct idtab	 t;
	uint32_t	 seed = 1, i;
	uint16_t	 id, first = 0;
	int		 v;

	CHECK(idtab_init(&t) == 0);
	for (i = 0; i < IDTAB_MAX; i++) {
		if (idtab_add(&t, &v, xorshift, &seed, &id) == -1)
			break;
		if (i == 0)
			first = id;
	}
	CHECK(i == IDTAB_MAX);
	CHECK(idtab_count(&t) == IDTAB_MAX);
	CHECK(t.mask + 1 == IDTAB_MAX_SLOTS);
	CHECK(idtab_get(&t, first) == &v);
	errno = 0;
	CHECK(idtab_add(&t, &v, xorshift, &seed, &id) == -1 && errno == ENOSPC);
	idtab_free(&t);
}

/* random additions and deletions against a plain map of all 65536 IDs */
static void
t_against_map(void)
{
	static void	*map[65536];
	static uint16_t	 live[IDTAB_MAX];
	struct idtab	 t;
	uint32_t	 seed = 12345, nlive = 0, op, k;
	uint16_t	 id;
	int		 vals[IDTAB_MAX], bad = 0;

	memset(map, 0, sizeof(map));
	CHECK(idtab_init(&t) == 0);
	for (op = 0; op < 200000; op++) {
		xorshift(&seed);
		/* mostly fill up, then hover near the top */
		if (nlive < IDTAB_MAX && (nlive < 64 || seed % 100 < 52)) {
			if (idtab_add(&t, &vals[nlive], xorshift, &seed,
			    &id) == -1) {
				bad++;
				break;
			}
			if (map[id] != NULL)
				bad++;
			map[id] = &vals[nlive];
			live[nlive++] = id;
		} else if (nlive > 0) {
			k = seed % nlive;
			id = live[k];
			if (idtab_del(&t, id) != map[id])
				bad++;
			map[id] = NULL;
			live[k] = live[--nlive];
		}
		if (idtab_count(&t) != nlive)
			bad++;
		/* a few lookups of random IDs, present or not */
		for (k = 0; k < 4; k++) {
			id = xorshift(&seed);
			if (idtab_get(&t, id) != map[id])
				bad++;
		}
	}
	for (k = 0; k < nlive; k++)
		if (idtab_get(&t, live[k]) != map[live[k]])
			bad++;
	CHECK(bad == 0);
	idtab_free(&t);
}

void
test_idtab(void)
{
	RUN(t_basic);
	RUN(t_no_reuse);
	RUN(t_wrap);
	RUN(t_grow_to_max);
	RUN(t_against_map);
}
