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
 * Unit tests of the zone tables: zone names as configured, longest
 * match on label boundaries in any letter case, malformed names, a
 * comparison with a plain scan on random tables, and the lookup cost.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "zone.h"
#include "test.h"

struct name {
	uint8_t	 b[DNS_MAXNAME + 8];
	size_t	 len;
};

/* "a.b.c" into wire form the way a client would send it; "" the root */
static struct name
wire(const char *text)
{
	struct name	 n;
	const char	*dot;
	size_t		 l;

	memset(&n, 0, sizeof(n));
	while (*text != '\0') {
		dot = strchr(text, '.');
		l = dot != NULL ? (size_t)(dot - text) : strlen(text);
		if (l > 63 || n.len + 1 + l >= sizeof(n.b))
			break;
		n.b[n.len++] = (uint8_t)l;
		memcpy(n.b + n.len, text, l);
		n.len += l;
		text += l;
		if (*text == '.')
			text++;
	}
	n.b[n.len++] = 0;
	return n;
}

static int
parsed(const char *text, const char *want)
{
	struct name	 w = wire(want);
	uint8_t		 out[DNS_MAXNAME];
	char		 err[ZONE_ERRLEN];
	size_t		 len;

	if (zone_name_parse(text, out, &len, err, sizeof(err)) == -1) {
		fprintf(stderr, "%s: %s\n", text, err);
		return 0;
	}
	return len == w.len && memcmp(out, w.b, len) == 0;
}

static int
refused(const char *text, const char *want)
{
	uint8_t		 out[DNS_MAXNAME];
	char		 err[ZONE_ERRLEN] = "";
	size_t		 len = 99;

	if (zone_name_parse(text, out, &len, err, sizeof(err)) == 0)
		return 0;
	if (strstr(err, want) == NULL) {
		fprintf(stderr, "%s: \"%s\" lacks \"%s\"\n", text, err, want);
		return 0;
	}
	return len == 0;
}

static void
test_zone_name(void)
{
	char	 name[400];
	int	 i;

	CHECK(parsed("corp.example", "corp.example"));
	CHECK(parsed("corp.example.", "corp.example"));
	CHECK(parsed("Corp.EXAMPLE", "corp.example"));
	CHECK(parsed("lan", "lan"));
	CHECK(parsed("168.192.in-addr.arpa", "168.192.in-addr.arpa"));
	CHECK(parsed("D.F.ip6.arpa", "d.f.ip6.arpa"));
	CHECK(parsed("_msdcs.corp.example", "_msdcs.corp.example"));
	CHECK(parsed("x-1.corp.example", "x-1.corp.example"));
	CHECK(refused("", "root"));
	CHECK(refused(".", "root"));
	CHECK(refused(".corp", "invalid label"));
	CHECK(refused("corp..example", "invalid label"));
	CHECK(refused("corp.example..", "invalid label"));
	CHECK(refused("-corp.example", "invalid label"));
	CHECK(refused("corp-.example", "invalid label"));
	CHECK(refused("co rp.example", "invalid character"));
	CHECK(refused("corp\\.example", "invalid character"));
	CHECK(refused("corp.example/24", "invalid character"));
	CHECK(refused("caf\xc3\xa9.example", "invalid character"));
	memset(name, 'a', 64);
	name[64] = '\0';
	CHECK(refused(name, "invalid label"));
	name[63] = '\0';
	CHECK(parsed(name, name));
	/* 127 one-letter labels: 253 characters, 255 bytes of wire */
	for (i = 0; i < 127; i++) {
		name[2 * i] = 'a';
		name[2 * i + 1] = '.';
	}
	name[253] = '\0';
	CHECK(parsed(name, name));
	name[253] = '.';
	name[254] = '\0';
	CHECK(parsed(name, name));
	strcpy(name + 253, "b");
	CHECK(refused(name, "longer than 255"));
}

static int
lookup(const struct zonetab *t, const char *qname, size_t *zonelen)
{
	struct name	 n = wire(qname);

	return zonetab_lookup(t, n.b, n.len, zonelen);
}

static int
add(struct zonetab *t, const char *zone)
{
	struct name	 n = wire(zone);

	return zonetab_add(t, n.b, n.len);
}

static void
test_lookup(void)
{
	struct zonetab	*t;
	const uint8_t	*z;
	size_t		 zl;
	struct name	 n;

	if ((t = zonetab_new(8)) == NULL) {
		CHECK(t != NULL);
		return;
	}
	CHECK(lookup(t, "corp.example", &zl) == -1 && zl == 0);
	CHECK(add(t, "example") == 0);
	CHECK(add(t, "Corp.Example") == 1);
	CHECK(add(t, "a.b.corp.example") == 2);
	CHECK(add(t, "168.192.in-addr.arpa") == 3);
	CHECK(add(t, "CORP.example") == 1);	/* the same zone */
	CHECK(zonetab_count(t) == 4);
	z = zonetab_name(t, 1, &zl);
	n = wire("corp.example");
	CHECK(z != NULL && zl == n.len && memcmp(z, n.b, zl) == 0);
	CHECK(zonetab_name(t, 4, &zl) == NULL && zl == 0);
	CHECK(zonetab_name(t, -1, &zl) == NULL);

	CHECK(lookup(t, "corp.example", &zl) == 1 && zl == 14);
	CHECK(lookup(t, "www.corp.example", &zl) == 1 && zl == 14);
	CHECK(lookup(t, "WWW.CoRp.ExAmPlE", &zl) == 1 && zl == 14);
	CHECK(lookup(t, "xcorp.example", &zl) == 0 && zl == 9);
	CHECK(lookup(t, "corp.examplex", &zl) == -1);
	CHECK(lookup(t, "example", &zl) == 0 && zl == 9);
	CHECK(lookup(t, "b.corp.example", &zl) == 1);
	CHECK(lookup(t, "a.b.corp.example", &zl) == 2 && zl == 18);
	CHECK(lookup(t, "x.a.b.corp.example", &zl) == 2);
	CHECK(lookup(t, "aa.b.corp.example", &zl) == 1);
	CHECK(lookup(t, "1.0.168.192.in-addr.arpa", &zl) == 3);
	CHECK(lookup(t, "1.0.169.192.in-addr.arpa", &zl) == -1);
	CHECK(lookup(t, "in-addr.arpa", &zl) == -1);
	CHECK(lookup(t, "", &zl) == -1);
	CHECK(lookup(t, "com", &zl) == -1);
	/* the bytes of corp.example, but inside a label: not under it */
	n = wire("a-corp.example");
	n.b[2] = 4;
	CHECK(zonetab_lookup(t, n.b, n.len, &zl) == 0 && zl == 9);
	zonetab_free(t);
}

static void
test_malformed(void)
{
	struct zonetab	*t;
	struct name	 n;
	size_t		 zl;
	uint8_t		 ptr[] = { 3, 'w', 'w', 'w', 0xc0, 0x0c };
	uint8_t		 big[300];
	int		 i;

	if ((t = zonetab_new(4)) == NULL) {
		CHECK(t != NULL);
		return;
	}
	CHECK(add(t, "example") == 0);
	n = wire("www.example");
	CHECK(zonetab_lookup(t, n.b, n.len, &zl) == 0);
	CHECK(zonetab_lookup(t, n.b, n.len - 1, &zl) == -1 && zl == 0);
	CHECK(zonetab_lookup(t, n.b, n.len + 1, &zl) == -1);
	CHECK(zonetab_lookup(t, n.b, 0, &zl) == -1);
	CHECK(zonetab_lookup(t, NULL, 5, &zl) == -1);
	CHECK(zonetab_lookup(t, ptr, sizeof(ptr), &zl) == -1);
	n.b[0] = 64;
	CHECK(zonetab_lookup(t, n.b, n.len, &zl) == -1);
	n.b[0] = 50;
	CHECK(zonetab_lookup(t, n.b, n.len, &zl) == -1);
	/* 128 labels of one byte and the root: 257 bytes, one too many */
	for (i = 0; i < 128; i++) {
		big[2 * i] = 1;
		big[2 * i + 1] = 'a';
	}
	big[256] = 0;
	CHECK(zonetab_lookup(t, big + 2, 255, &zl) == -1);	/* 127 + root */
	CHECK(add(t, "a") == 1);
	CHECK(zonetab_lookup(t, big + 2, 255, &zl) == 1 && zl == 3);
	CHECK(zonetab_lookup(t, big, 257, &zl) == -1);
	errno = 0;
	CHECK(zonetab_add(t, ptr, sizeof(ptr)) == -1 && errno == EINVAL);
	CHECK(zonetab_add(t, big, 257) == -1 && errno == EINVAL);
	CHECK(add(t, "b") == 2);
	CHECK(add(t, "c") == 3);
	CHECK(add(t, "d") == -1 && errno == ENOSPC);
	CHECK(add(t, "C") == 3);		/* present: no room needed */
	zonetab_free(t);
	errno = 0;
	CHECK(zonetab_new(0) == NULL && errno == EINVAL);
	CHECK(zonetab_new(ZONE_MAX + 1) == NULL && errno == EINVAL);
	zonetab_free(NULL);
}

/*
 * Random zones over a small alphabet, so names share many suffixes,
 * checked against a scan of every zone.
 */

static uint64_t	 rng = 0x2545f4914f6cdd1dULL;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static void
random_name(char *buf, size_t labels)
{
	static const char	 alpha[] = "aAbB-";
	size_t			 i, j, n, len = 0;

	for (i = 0; i < labels; i++) {
		n = 1 + rnd() % 2;
		for (j = 0; j < n; j++)
			buf[len++] = alpha[rnd() % (sizeof(alpha) - 1)];
		buf[len++] = '.';
	}
	buf[len > 0 ? len - 1 : 0] = '\0';
}

static int
under(const struct name *q, const struct name *z)
{
	size_t	 at, i;

	for (at = 0; at < q->len; at += (size_t)q->b[at] + 1) {
		if (q->len - at != z->len)
			continue;
		for (i = 0; i < z->len; i++)
			if ((q->b[at + i] | 0x20) != (z->b[i] | 0x20))
				return 0;
		return 1;
	}
	return 0;
}

static void
test_random(void)
{
	struct zonetab	*t;
	struct name	 zones[64], q;
	char		 text[64];
	size_t		 nz, i, zl, bestlen;
	int		 round, k, best, got, bad = 0;

	for (round = 0; round < 300; round++) {
		if ((t = zonetab_new(64)) == NULL) {
			CHECK(t != NULL);
			return;
		}
		nz = 0;
		for (k = 0; k < 1 + round % 40; k++) {
			random_name(text, 1 + rnd() % 4);
			q = wire(text);
			got = zonetab_add(t, q.b, q.len);
			if (got < 0)
				bad++;
			else if ((size_t)got == nz)
				zones[nz++] = q;
		}
		if (zonetab_count(t) != nz)
			bad++;
		for (k = 0; k < 300; k++) {
			random_name(text, rnd() % 6);
			q = wire(text);
			best = -1;
			bestlen = 0;
			for (i = 0; i < nz; i++)
				if (under(&q, &zones[i]) &&
				    zones[i].len > bestlen) {
					best = (int)i;
					bestlen = zones[i].len;
				}
			got = zonetab_lookup(t, q.b, q.len, &zl);
			if (got != best || zl != bestlen)
				bad++;
		}
		zonetab_free(t);
	}
	CHECK(bad == 0);
}

/* Not a test: the cost of a lookup among 300 zones, printed. */
static void
bench_lookup(void)
{
	enum { LOOKUPS = 2000000 };
	static const char *const queries[] = {
		"www.example.com", "mail.google.com", "a.b.c.d.e.example.net",
		"host7.corp.example", "x.host299.corp.example",
		"other.corp.example",
	};
	struct name	 q[6];
	struct zonetab	*t;
	char		 text[64];
	uint64_t	 t0, t1;
	size_t		 zl, i;
	long		 hits = 0;

	if ((t = zonetab_new(300)) == NULL) {
		CHECK(t != NULL);
		return;
	}
	for (i = 0; i < 300; i++) {
		(void)snprintf(text, sizeof(text), "host%zu.corp.example", i);
		(void)add(t, text);
	}
	for (i = 0; i < 6; i++)
		q[i] = wire(queries[i]);
	t0 = test_now_ns();
	for (i = 0; i < LOOKUPS; i++)
		hits += zonetab_lookup(t, q[i % 6].b, q[i % 6].len, &zl) >= 0;
	t1 = test_now_ns();
	printf("bench: zonetab_lookup, 300 zones under corp.example, names of "
	    "2-7 labels, half under them: %.1f ns per lookup (%ld)\n",
	    (double)(t1 - t0) / LOOKUPS, hits);
	zonetab_free(t);
}

void
test_zone(void)
{
	RUN(test_zone_name);
	RUN(test_lookup);
	RUN(test_malformed);
	RUN(test_random);
	bench_lookup();
}
