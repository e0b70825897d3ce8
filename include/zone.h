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
 * Zone tables: a set of domain names, looked up with a query name for
 * the longest one the name is at or under (case-insensitive, on label
 * boundaries: "xcorp.example" is not under "corp.example").  Used for
 * the forward zones of split DNS (the resolver picks a zone's upstreams,
 * the frontend checks them against the local zones) and for the local
 * zones themselves (localzone.c).
 *
 * A lookup hashes the suffixes of the name that start a label, from the
 * root up, and stops at the first one no zone ends in: its cost depends
 * on the name (usually one probe, for its last label), not on how many
 * zones there are.  Pure: no process knowledge; the table only grows.
 */

#ifndef ZONE_H
#define ZONE_H

#include <stddef.h>
#include <stdint.h>

#include "dns.h"

#define ZONE_ERRLEN		160
#define ZONE_MAX		1024	/* zones in one table */

struct zonetab;

/*
 * A zone name from text into wire form, lower-cased: labels of letters,
 * digits, '-' (not first or last) and '_' (for service zones such as
 * _msdcs), 1 to 63 bytes each, at most DNS_MAXNAME in all; one trailing
 * dot allowed.  Covers reverse zones ("168.192.in-addr.arpa",
 * "d.f.ip6.arpa").  The root is refused: the default upstreams serve it.
 * wire holds DNS_MAXNAME bytes.  0 ok; -1 with a message in err.
 */
int		 zone_name_parse(const char *, uint8_t *, size_t *, char *,
		    size_t);

/* a table for up to max zones (1 to ZONE_MAX); NULL with errno set */
struct zonetab	*zonetab_new(size_t max);
void		 zonetab_free(struct zonetab *);

/*
 * Add a zone in wire form (any case; stored lower-cased), not the root.
 * Returns its
 * index: 0, 1, 2 ... in order of first addition, and the index it already
 * has when the name is there (in any case), so that repeated "forward
 * zone" lines for one zone share one index.  -1: not a valid wire name
 * (errno EINVAL), the table is full (ENOSPC), out of memory (ENOMEM).
 */
int		 zonetab_add(struct zonetab *, const uint8_t *, size_t);

/*
 * The longest zone that the wire name (uncompressed, as in a parsed
 * question) is at or under: its index, with its length in wire bytes in
 * *zonelen (the zone is the last *zonelen bytes of the name).  -1 when
 * none, or when the name is not a valid wire name of exactly len bytes;
 * *zonelen is then 0.  No allocation.
 */
int		 zonetab_lookup(const struct zonetab *, const uint8_t *,
		    size_t, size_t *zonelen);

size_t		 zonetab_count(const struct zonetab *);

/* zone idx in wire form, lower case; valid until the next zonetab_add() */
const uint8_t	*zonetab_name(const struct zonetab *, int idx, size_t *len);

#endif /* ZONE_H */
