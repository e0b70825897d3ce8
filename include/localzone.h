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
 * The special-use zones that dnstlsd answers itself (SPEC 2, "Names
 * that never leave the host"): localhost (RFC 6761), invalid (RFC 6761),
 * onion (RFC 7686), local (RFC 6762), home.arpa (RFC 8375), and the
 * locally-served reverse zones of RFC 6303 section 4 and RFC 7793
 * (loopback, "this network", private, shared, link-local, ULA, the
 * documentation prefixes, broadcast); localzone.c has the list and why.
 * A "forward zone" at least as specific as the local zone takes the name
 * away from it (localzone_forwarded()).
 *
 * Pure: the table is built once (localzone_new()), then only read.
 */

#ifndef LOCALZONE_H
#define LOCALZONE_H

#include <stddef.h>
#include <stdint.h>

#include "dns.h"

struct localzones;

/* A local zone a name fell into. */
struct localzone {
	const uint8_t		*apex;		/* wire form, lower case */
	size_t			 apexlen;	/* bytes, the name's last ones */
	enum dns_local_kind	 kind;
	int			 index;		/* 0 .. localzone_count() - 1 */
};

/* the built-in table; NULL with errno ENOMEM */
struct localzones	*localzone_new(void);
void			 localzone_free(struct localzones *);

/*
 * Whether a query name (wire form, uncompressed, exactly len bytes) is
 * at or under a local zone: 1 with *lz filled in, else 0.  The zones do
 * not nest, so at most one matches.  No allocation; cost by the length
 * of the name, not the number of zones.
 */
int			 localzone_match(const struct localzones *,
			    const uint8_t *, size_t, struct localzone *);

/*
 * Whether a forward zone claims a name that fell into local zone lz:
 * forwardlen is the wire length of the longest forward zone the name is
 * under (zonetab_lookup()'s *zonelen), 0 for none.  A forward zone as
 * specific as lz or more wins: "home.arpa" or "x.home.arpa" take names
 * from home.arpa, "arpa" takes nothing from 168.192.in-addr.arpa.
 */
int			 localzone_forwarded(const struct localzone *,
			    size_t forwardlen);

/* the zones in table order, for listings and tests */
size_t			 localzone_count(const struct localzones *);
int			 localzone_at(const struct localzones *, size_t,
			    struct localzone *);

#endif /* LOCALZONE_H */
