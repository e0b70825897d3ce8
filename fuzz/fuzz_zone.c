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
 * libFuzzer target for the zone tables (src/zone.c), the local zones
 * (src/localzone.c) and their answers (dns_local_answer() in src/dns.c).
 * The input is zone names, one a line, then a NUL byte and a DNS query.
 * Zone names that parse must print and parse back the same; the longest
 * zone and the local zone a name falls in must be those a plain scan of
 * every zone finds, for the query's name and for the bytes after the NUL
 * taken as a raw name; and every local answer must pass our own checks
 * of an upstream answer unchanged, fit 512 bytes and be cacheable.
 *
 *	clang -std=c11 -D_GNU_SOURCE -g -O1 -Iinclude \
 *	    -fsanitize=fuzzer,address,undefined fuzz/fuzz_zone.c \
 *	    src/zone.c src/localzone.c src/dns.c -o build/fuzz_zone
 *	build/fuzz_zone fuzz/corpus/zone
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "localzone.h"
#include "zone.h"

#define MAX_ZONES	32
#define LINE_MAX_LEN	300

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct zname {
	uint8_t	 b[DNS_MAXNAME];
	size_t	 len;
};

static struct localzones *lzs;
static struct zname	 zones[MAX_ZONES];
static size_t		 nzones;
static uint8_t		 out[DNS_MAXMSG], again[DNS_MAXMSG];

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* a wire name of exactly len bytes, uncompressed */
static int
name_ok(const uint8_t *name, size_t len)
{
	size_t	 at;

	if (len == 0 || len > DNS_MAXNAME)
		return 0;
	for (at = 0; at < len; at += (size_t)name[at] + 1) {
		if (name[at] > 63)
			return 0;
		if (name[at] == 0)
			return at + 1 == len;
	}
	return 0;
}

/* whether a valid name is at or under zone z, by a scan of its labels */
static int
under(const uint8_t *name, size_t len, const uint8_t *z, size_t zlen)
{
	size_t	 at, i;

	for (at = 0; at < len; at += (size_t)name[at] + 1) {
		if (len - at != zlen)
			continue;
		for (i = 0; i < zlen; i++)
			if (lower(name[at + i]) != lower(z[i]))
				return 0;
		return 1;
	}
	return 0;
}

static void
add_zone(struct zonetab *t, const char *line)
{
	struct zname	 z, z2;
	char		 err[ZONE_ERRLEN], text[DNS_MAXNAME * 4 + 1];
	size_t		 i;
	int		 idx, want = -1;

	err[0] = '\0';
	if (zone_name_parse(line, z.b, &z.len, err, sizeof(err)) == -1) {
		if (err[0] == '\0' || z.len != 0)
			abort();
		return;
	}
	if (!name_ok(z.b, z.len))
		abort();
	dns_name_str(z.b, z.len, text, sizeof(text));
	if (zone_name_parse(text, z2.b, &z2.len, err, sizeof(err)) == -1 ||
	    z2.len != z.len || memcmp(z.b, z2.b, z.len) != 0) {
		fprintf(stderr, "zone \"%s\" printed as \"%s\"\n", line, text);
		abort();
	}
	for (i = 0; i < nzones; i++)
		if (z.len == zones[i].len && under(z.b, z.len, zones[i].b,
		    zones[i].len))
			want = (int)i;
	if (want == -1 && nzones == MAX_ZONES)
		return;
	idx = zonetab_add(t, z.b, z.len);
	if (want == -1) {
		want = (int)nzones;
		zones[nzones++] = z;
	}
	if (idx != want)
		abort();
}

/* zonetab_lookup() against a scan; the match length */
static size_t
check_lookup(const struct zonetab *t, const uint8_t *name, size_t len)
{
	size_t	 i, zl, bestlen = 0;
	int	 best = -1;

	if (name_ok(name, len))
		for (i = 0; i < nzones; i++)
			if (zones[i].len > bestlen &&
			    under(name, len, zones[i].b, zones[i].len)) {
				best = (int)i;
				bestlen = zones[i].len;
			}
	if (zonetab_lookup(t, name, len, &zl) != best || zl != bestlen)
		abort();
	return zl;
}

static int
check_local(const uint8_t *name, size_t len, struct localzone *lz)
{
	struct localzone	 z;
	size_t			 i;
	int			 found = 0, got;

	got = localzone_match(lzs, name, len, lz);
	if (name_ok(name, len))
		for (i = 0; localzone_at(lzs, i, &z); i++)
			if (under(name, len, z.apex, z.apexlen)) {
				if (found || z.index != lz->index)
					abort();
				found = 1;
			}
	if (got != found)
		abort();
	return got;
}

/* an answer we write must pass the checks we make of upstreams' */
static void
check_answer(const struct dns_query *q, const uint8_t *apex, size_t apexlen,
    enum dns_local_kind kind, int must)
{
	struct dns_question	 aq;
	uint32_t		 ttl;
	uint16_t		 id;
	size_t			 len;

	len = dns_local_answer(q, apex, apexlen, kind, out, sizeof(out));
	if (len == 0) {
		if (must)
			abort();
		return;
	}
	if (len < DNS_HDRLEN || len > DNS_MINUDP)
		abort();
	if (dns_answer_peek(out, len, &id, &aq) == -1 || id != q->id ||
	    !dns_question_equal(&aq, &q->q))
		abort();
	if (dns_client_answer(out, len, q, DNS_MINUDP, again,
	    sizeof(again)) != len || memcmp(out, again, len) != 0)
		abort();
	if (dns_answer_ttl(out, len, &ttl) == -1 || ttl != DNS_LOCAL_TTL)
		abort();
	if (dns_local_answer(q, apex, apexlen, kind, again, len - 1) != 0)
		abort();
}

static void
fuzz_query(const struct zonetab *t, const uint8_t *msg, size_t len)
{
	struct dns_query	 q;
	struct localzone	 lz;
	size_t			 zl;
	int			 rcode;

	if (dns_query_parse(msg, len, &q, &rcode) != DNS_ACCEPT)
		return;
	zl = check_lookup(t, q.q.qname, q.q.qname_len);
	if (check_local(q.q.qname, q.q.qname_len, &lz)) {
		if (localzone_forwarded(&lz, zl) != (zl >= lz.apexlen))
			abort();
		check_answer(&q, lz.apex, lz.apexlen, lz.kind, 1);
	}
	/* any zone the name is under makes a valid apex, of either kind */
	if (zl > 0)
		check_answer(&q, q.q.qname + q.q.qname_len - zl, zl,
		    (q.id & 1) ? DNS_LOCAL_LOCALHOST : DNS_LOCAL_EMPTY, 1);
	check_answer(&q, q.q.qname, q.q.qname_len, DNS_LOCAL_EMPTY, 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zonetab		*t;
	struct localzone	 lz;
	const uint8_t		*nul;
	char			 line[LINE_MAX_LEN];
	size_t			 i, n, text, rest;

	if (lzs == NULL && (lzs = localzone_new()) == NULL)
		abort();
	if ((t = zonetab_new(MAX_ZONES)) == NULL)
		abort();
	nzones = 0;
	nul = memchr(data, '\0', size);
	text = nul != NULL ? (size_t)(nul - data) : size;
	for (i = 0; i < text; i += n + 1) {
		for (n = 0; i + n < text && data[i + n] != '\n'; n++)
			continue;
		if (n >= sizeof(line))
			continue;
		memcpy(line, data + i, n);
		line[n] = '\0';
		add_zone(t, line);
	}
	if (zonetab_count(t) != nzones)
		abort();
	rest = nul != NULL ? size - text - 1 : size;
	fuzz_query(t, data + size - rest, rest);
	(void)check_lookup(t, data + size - rest, rest);
	(void)check_local(data + size - rest, rest, &lz);
	zonetab_free(t);
	return 0;
}
