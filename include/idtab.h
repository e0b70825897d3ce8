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
 * The DNS IDs in flight on one upstream connection, for the resolver:
 * choosing a fresh ID and matching an answer to its query both cost
 * O(1), however many queries are in flight. Pure: no sockets, no clock;
 * the caller supplies the random IDs.
 *
 * Open addressing with linear probing, never more than half full, with
 * deletion by backward shift (no tombstones, so lookups stay short after
 * any number of deletions). The table starts at IDTAB_MIN_SLOTS and
 * doubles up to IDTAB_MAX_SLOTS, so it holds at most IDTAB_MAX entries:
 * with that many of the 65536 IDs taken, a random ID is free with
 * probability 15/16, and IDTAB_TRIES random IDs all taken (2^-64) is an
 * impossible state, not bad luck.
 */

#ifndef IDTAB_H
#define IDTAB_H

#include <stddef.h>
#include <stdint.h>

#define IDTAB_MIN_SLOTS		256	/* 128 in flight: the common case */
#define IDTAB_MAX_SLOTS		8192
#define IDTAB_MAX		(IDTAB_MAX_SLOTS / 2)
#define IDTAB_TRIES		16

struct idtab {
	uint16_t	*ids;
	void		**vals;		/* NULL: the slot is empty */
	uint32_t	 mask;		/* slots - 1 */
	uint32_t	 count;
};

/* 0, or -1 when out of memory */
int		 idtab_init(struct idtab *);
void		 idtab_free(struct idtab *);

/* what id is in flight for, or NULL */
void		*idtab_get(const struct idtab *, uint16_t id);

/*
 * Take the first of up to IDTAB_TRIES IDs from rnd that is not in use
 * for val (not NULL) and store it in *idp. 0 done; -1 with errno ENOMEM
 * (growing failed), ENOSPC (IDTAB_MAX in use) or EAGAIN (every try was
 * in use: with at most IDTAB_MAX in use, this cannot happen).
 */
int		 idtab_add(struct idtab *, void *val, uint16_t (*rnd)(void *),
		    void *arg, uint16_t *idp);

/* remove id; returns what it was in flight for, NULL if it was not */
void		*idtab_del(struct idtab *, uint16_t id);

uint32_t	 idtab_count(const struct idtab *);

#endif /* IDTAB_H */
