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
 * The special-use zones the frontend answers without an upstream.  Pure
 * data and a zone table (zone.c) built from it; dns_local_answer() in
 * dns.c writes the answers.
 *
 * The list, and what was left out:
 * - localhost: RFC 6761 6.3 asks caching servers to answer address
 *   queries with the loopback address and every other type negatively.
 * - invalid (RFC 6761 6.4), onion (RFC 7686 section 2: MUST NXDOMAIN),
 *   local (RFC 6762 section 22.1, mDNS names that leaked into unicast
 *   DNS): immediate negative answers.
 * - home.arpa (RFC 8375, in the IANA Locally-Served DNS Zones registry):
 *   a homenet's names mean nothing upstream; a homenet resolver takes
 *   them with "forward zone".
 * - RFC 6303 section 4.1 and RFC 7793: the reverse zones of 0/8 "this
 *   network", 10/8, 172.16/12, 192.168/16 (RFC 1918), 100.64/10 shared
 *   (RFC 6598, one zone per /16), 127/8 loopback, 169.254/16 link-local,
 *   the TEST-NETs 192.0.2/24, 198.51.100/24, 203.0.113/24 (RFC 5737) and
 *   the broadcast address.
 * - RFC 6303 sections 4.2 to 4.5: the reverse zones of :: and ::1,
 *   fd00::/8 (RFC 4193 ULA), fe80::/10 link-local (four nibble zones)
 *   and 2001:db8::/32 documentation (RFC 3849); and fc00::/8, the other
 *   half of the ULA block fc00::/7 that the access list trusts too:
 *   nobody may delegate it, so its reverse names have no answer outside.
 * - empty.as112.arpa (RFC 7535), in the same IANA registry.
 * - Not "test" (RFC 6761 6.2 says SHOULD): test setups, ours in regress/
 *   included, serve real zones under it through ordinary upstreams, and
 *   the public root answers it with NXDOMAIN anyway.  Not "example" (RFC
 *   6761 6.5: not special to caching servers), not ipv4only.arpa (RFC
 *   8880: its real answers are what NAT64 discovery needs), not
 *   resolver.arpa (RFC 9462: for the resolver's own DDR records).
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "localzone.h"
#include "zone.h"

#define LOCALZONE_MAX	128
#define ZERO_NIBBLES	"0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0"

/*
 * One zone, or with last > 0 a run of them: "N.name" for N from first
 * to last.
 */
struct builtin {
	const char		*name;
	unsigned int		 first, last;
	enum dns_local_kind	 kind;
};

static const struct builtin builtins[] = {
	{ "localhost", 0, 0, DNS_LOCAL_LOCALHOST },
	{ "invalid", 0, 0, DNS_LOCAL_EMPTY },
	{ "onion", 0, 0, DNS_LOCAL_EMPTY },
	{ "local", 0, 0, DNS_LOCAL_EMPTY },
	{ "home.arpa", 0, 0, DNS_LOCAL_EMPTY },
	{ "empty.as112.arpa", 0, 0, DNS_LOCAL_EMPTY },
	{ "0.in-addr.arpa", 0, 0, DNS_LOCAL_EMPTY },
	{ "10.in-addr.arpa", 0, 0, DNS_LOCAL_EMPTY },
	{ "100.in-addr.arpa", 64, 127, DNS_LOCAL_EMPTY },
	{ "127.in-addr.arpa", 0, 0, DNS_LOCAL_EMPTY },
	{ "254.169.in-addr.arpa", 0, 0, DNS_LOCAL_EMPTY },
	{ "172.in-addr.arpa", 16, 31, DNS_LOCAL_EMPTY },
	{ "2.0.192.in-addr.arpa", 0, 0, DNS_LOCAL_EMPTY },
	{ "168.192.in-addr.arpa", 0, 0, DNS_LOCAL_EMPTY },
	{ "100.51.198.in-addr.arpa", 0, 0, DNS_LOCAL_EMPTY },
	{ "113.0.203.in-addr.arpa", 0, 0, DNS_LOCAL_EMPTY },
	{ "255.255.255.255.in-addr.arpa", 0, 0, DNS_LOCAL_EMPTY },
	{ ZERO_NIBBLES ".0.ip6.arpa", 0, 0, DNS_LOCAL_EMPTY },	/* :: */
	{ "1." ZERO_NIBBLES ".ip6.arpa", 0, 0, DNS_LOCAL_EMPTY },	/* ::1 */
	{ "c.f.ip6.arpa", 0, 0, DNS_LOCAL_EMPTY },
	{ "d.f.ip6.arpa", 0, 0, DNS_LOCAL_EMPTY },
	{ "8.e.f.ip6.arpa", 0, 0, DNS_LOCAL_EMPTY },
	{ "9.e.f.ip6.arpa", 0, 0, DNS_LOCAL_EMPTY },
	{ "a.e.f.ip6.arpa", 0, 0, DNS_LOCAL_EMPTY },
	{ "b.e.f.ip6.arpa", 0, 0, DNS_LOCAL_EMPTY },
	{ "8.b.d.0.1.0.0.2.ip6.arpa", 0, 0, DNS_LOCAL_EMPTY },
};

struct localzones {
	struct zonetab		*tab;
	enum dns_local_kind	 kind[LOCALZONE_MAX];
};

static int
add_zone(struct localzones *lz, const char *name, enum dns_local_kind kind)
{
	uint8_t		 wire[DNS_MAXNAME];
	char		 err[ZONE_ERRLEN];
	size_t		 len;
	int		 idx;

	if (zone_name_parse(name, wire, &len, err, sizeof(err)) == -1 ||
	    (idx = zonetab_add(lz->tab, wire, len)) == -1)
		return -1;
	/* every name in the table is new: the table has no duplicates */
	if ((size_t)idx + 1 != zonetab_count(lz->tab))
		return -1;
	lz->kind[idx] = kind;
	return 0;
}

static int
add_builtin(struct localzones *lz, const struct builtin *b)
{
	char		 name[DNS_MAXNAME];
	unsigned int	 n;

	if (b->last == 0)
		return add_zone(lz, b->name, b->kind);
	for (n = b->first; n <= b->last; n++) {
		(void)snprintf(name, sizeof(name), "%u.%s", n, b->name);
		if (add_zone(lz, name, b->kind) == -1)
			return -1;
	}
	return 0;
}

struct localzones *
localzone_new(void)
{
	struct localzones	*lz;
	size_t			 i;

	if ((lz = calloc(1, sizeof(*lz))) == NULL)
		return NULL;
	if ((lz->tab = zonetab_new(LOCALZONE_MAX)) == NULL)
		goto fail;
	for (i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (add_builtin(lz, &builtins[i]) == -1)
			goto fail;
	return lz;

 fail:
	localzone_free(lz);
	errno = ENOMEM;
	return NULL;
}

void
localzone_free(struct localzones *lz)
{
	if (lz == NULL)
		return;
	zonetab_free(lz->tab);
	free(lz);
}

int
localzone_at(const struct localzones *lz, size_t i, struct localzone *out)
{
	memset(out, 0, sizeof(*out));
	if (i >= zonetab_count(lz->tab))
		return 0;
	out->index = (int)i;
	out->apex = zonetab_name(lz->tab, out->index, &out->apexlen);
	out->kind = lz->kind[i];
	return 1;
}

int
localzone_match(const struct localzones *lz, const uint8_t *name, size_t len,
    struct localzone *out)
{
	size_t	 zonelen;
	int	 idx;

	memset(out, 0, sizeof(*out));
	if ((idx = zonetab_lookup(lz->tab, name, len, &zonelen)) == -1)
		return 0;
	return localzone_at(lz, (size_t)idx, out);
}

int
localzone_forwarded(const struct localzone *lz, size_t forwardlen)
{
	return forwardlen >= lz->apexlen;
}

size_t
localzone_count(const struct localzones *lz)
{
	return zonetab_count(lz->tab);
}
