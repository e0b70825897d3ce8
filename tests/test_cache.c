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
 * Unit tests of the answer cache: what is kept, for how long, under which
 * key, how TTLs are served, and that memory stays within its bounds.
 * Answers are built by hand (dnsbuild.h); time is whatever the test says.
 */

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "dns.h"
#include "dnsbuild.h"
#include "test.h"

#define TYPE_A		1
#define TYPE_NS		2
#define TYPE_AAAA	28
#define CLASS_CH	3
#define OPT_DO		0x8000
#define BIG		((size_t)1 << 30)

/* An upstream answer and where its TTL fields are. */
struct answer {
	struct pkt	 p;
	size_t		 at[8];
	size_t		 nttl;
	size_t		 optttl;	/* 0 when there is no OPT */
};

static void
query(struct dns_query *q, const char *name, unsigned int type,
    unsigned int class, int dnssec_ok, int checking_disabled)
{
	struct pkt	 p;

	memset(q, 0, sizeof(*q));
	p.len = 0;
	putname(&p, name);
	memcpy(q->q.qname, p.b, p.len);
	q->q.qname_len = p.len;
	q->q.qtype = (uint16_t)type;
	q->q.qclass = (uint16_t)class;
	q->has_question = 1;
	q->id = 0x4242;
	q->flags = DNS_FLAG_RD;
	if (checking_disabled)
		q->flags |= DNS_FLAG_CD;
	q->edns = 1;
	q->edns_udp = 1232;
	q->edns_do = dnssec_ok;
}

static void
plain(struct dns_query *q, const char *name)
{
	query(q, name, TYPE_A, DNS_CLASS_IN, 0, 0);
}

/*
 * A NOERROR answer with every TTL the same: two address records, an NS
 * in the authority section, glue and an OPT in the additional one.
 */
static void
positive(struct answer *a, const char *name, unsigned int type,
    unsigned int class, uint32_t ttl, uint8_t tag)
{
	const uint8_t	 addr[4] = { 192, 0, 2, tag };

	header(&a->p, 0x1111, DNS_FLAG_QR | DNS_FLAG_RD | DNS_FLAG_RA, 1, 2,
	    1, 2);
	question(&a->p, name, type, class);
	a->at[0] = put_rr(&a->p, TYPE_A, ttl, addr, sizeof(addr));
	a->at[1] = put_rr(&a->p, TYPE_A, ttl, addr, sizeof(addr));
	a->at[2] = put_rr(&a->p, TYPE_NS, ttl, "\2ns\xc0\x0c", 5);
	a->at[3] = put_rr(&a->p, TYPE_A, ttl, addr, sizeof(addr));
	a->nttl = 4;
	a->optttl = a->p.len + 5;
	opt(&a->p, 1232, OPT_DO, NULL, 0);
}

static void
positive_a(struct answer *a, const char *name, uint32_t ttl)
{
	positive(a, name, TYPE_A, DNS_CLASS_IN, ttl, 1);
}

/* NXDOMAIN or NODATA with one SOA in the authority section */
static void
negative(struct answer *a, const char *name, int rcode, uint32_t ttl,
    uint32_t minimum)
{
	header(&a->p, 0x2222, DNS_FLAG_QR | DNS_FLAG_RA |
	    (unsigned int)rcode, 1, 0, 1, 0);
	question(&a->p, name, TYPE_A, DNS_CLASS_IN);
	a->at[0] = put_soa(&a->p, ttl, minimum);
	a->nttl = 1;
	a->optttl = 0;
}

/* Every TTL of a served copy of a is want, the OPT's flags untouched. */
static int
ttls_are(const struct answer *a, const uint8_t *out, size_t len,
    uint32_t want)
{
	size_t	 i;

	if (len != a->p.len)
		return 0;
	for (i = 0; i < a->nttl; i++)
		if (get32(out, a->at[i]) != want)
			return 0;
	return a->optttl == 0 || get32(out, a->optttl) == OPT_DO;
}

/*
 * The frontend's way: the key made once per query, the answer parsed
 * once; what dns_answer_parse() refuses (another question, bad bytes)
 * never reaches the cache.
 */
static void
store(struct cache *c, const struct dns_query *q, const uint8_t *ans,
    size_t len, uint64_t now)
{
	struct dns_answer	 a;
	uint8_t			 key[DNS_KEY_MAX];
	size_t			 keylen;

	keylen = dns_query_key(q, DNS_KEY_UPSTREAM, key);
	if (keylen == 0 || dns_answer_parse(ans, len, q, &a) == -1)
		return;
	cache_store(c, key, keylen, ans, len, &a, now);
}

/* a hit comes with the layout of what it copied */
static size_t
fetch(struct cache *c, const struct dns_query *q, uint64_t now, int stale,
    uint8_t *buf, size_t buflen)
{
	struct dns_answer	 a;
	uint8_t			 key[DNS_KEY_MAX];
	size_t			 keylen, len;

	keylen = dns_query_key(q, DNS_KEY_UPSTREAM, key);
	len = cache_lookup(c, key, keylen, now, stale, buf, buflen, &a);
	CHECK(len == 0 || a.len == len);
	return len;
}

static size_t
lookup(struct cache *c, const struct dns_query *q, uint64_t now,
    uint8_t *buf)
{
	return fetch(c, q, now, 0, buf, DNS_MAXMSG);
}

static struct cache_stats
stats(const struct cache *c)
{
	struct cache_stats	 st;

	cache_get_stats(c, &st);
	return st;
}

/* What one entry for q holding a costs, as cache.h accounts it. */
static size_t
cost(const struct dns_query *q, const struct answer *a)
{
	return a->p.len + q->q.qname_len + 5 + CACHE_ENTRY_OVERHEAD;
}

static uint8_t	 out[DNS_MAXMSG];

/*
 * Hits and TTLs.
 */

static void
t_cache_miss_then_hit(void)
{
	struct cache		*c;
	struct dns_query	 q;
	struct answer		 a;
	struct cache_stats	 st;

	c = cache_new(100, BIG);
	CHECK(c != NULL);
	plain(&q, "www.example.com");
	positive_a(&a, "www.example.com", 300);
	CHECK(lookup(c, &q, 100, out) == 0);
	store(c, &q, a.p.b, a.p.len, 100);
	CHECK(lookup(c, &q, 100, out) == a.p.len);
	CHECK(memcmp(out, a.p.b, a.p.len) == 0);
	st = stats(c);
	CHECK(st.hits == 1 && st.misses == 1 && st.stores == 1);
	CHECK(st.stale_hits == 0 && st.evictions == 0);
	CHECK(st.entries == 1 && st.bytes == cost(&q, &a));
	cache_free(c);
}

static void
t_cache_ttl_countdown(void)
{
	struct cache		*c;
	struct dns_query	 q;
	struct answer		 a;
	size_t			 len;

	c = cache_new(100, BIG);
	plain(&q, "www.example.com");
	positive_a(&a, "www.example.com", 300);
	store(c, &q, a.p.b, a.p.len, 100);
	len = lookup(c, &q, 160, out);
	CHECK(ttls_are(&a, out, len, 240));
	/* nothing but the TTLs changed */
	CHECK(memcmp(out, a.p.b, a.at[0]) == 0);
	/* and the kept copy did not count down with what was served */
	len = lookup(c, &q, 100, out);
	CHECK(ttls_are(&a, out, len, 300));
	cache_free(c);
}

static void
t_cache_expiry(void)
{
	struct cache		*c;
	struct dns_query	 q;
	struct answer		 a;
	size_t			 len;

	c = cache_new(100, BIG);
	plain(&q, "www.example.com");
	positive_a(&a, "www.example.com", 300);
	store(c, &q, a.p.b, a.p.len, 100);
	len = lookup(c, &q, 399, out);
	CHECK(ttls_are(&a, out, len, 1));
	CHECK(lookup(c, &q, 400, out) == 0);
	CHECK(lookup(c, &q, 100000, out) == 0);
	CHECK(stats(c).hits == 1 && stats(c).misses == 2);
	cache_free(c);
}

static void
t_cache_ttl_cap(void)
{
	struct cache		*c;
	struct dns_query	 q;
	struct answer		 a;
	size_t			 len;

	c = cache_new(100, BIG);
	plain(&q, "www.example.com");
	positive_a(&a, "www.example.com", 1000000);
	store(c, &q, a.p.b, a.p.len, 0);
	len = lookup(c, &q, 0, out);
	CHECK(ttls_are(&a, out, len, CACHE_MAX_TTL));
	len = lookup(c, &q, CACHE_MAX_TTL - 1, out);
	CHECK(ttls_are(&a, out, len, 1));
	CHECK(lookup(c, &q, CACHE_MAX_TTL, out) == 0);
	cache_free(c);
}

static void
t_cache_mixed_ttls(void)
{
	struct cache		*c;
	struct dns_query	 q;
	struct answer		 a;
	size_t			 len;

	/* an NS of 100 beside addresses of 300: all of it goes at 100 */
	c = cache_new(100, BIG);
	plain(&q, "www.example.com");
	positive_a(&a, "www.example.com", 300);
	a.p.b[a.at[2] + 2] = 0;
	a.p.b[a.at[2] + 3] = 100;
	a.p.b[a.at[3] + 2] = 0;
	a.p.b[a.at[3] + 3] = 10;	/* glue does not count */
	store(c, &q, a.p.b, a.p.len, 1000);
	len = lookup(c, &q, 1040, out);
	CHECK(len == a.p.len);
	CHECK(get32(out, a.at[0]) == 60 && get32(out, a.at[1]) == 60);
	CHECK(get32(out, a.at[2]) == 60 && get32(out, a.at[3]) == 0);
	CHECK(lookup(c, &q, 1100, out) == 0);
	cache_free(c);
}

static void
t_cache_clock_back(void)
{
	struct cache		*c;
	struct dns_query	 q;
	struct answer		 a;
	size_t			 len;

	c = cache_new(100, BIG);
	plain(&q, "www.example.com");
	positive_a(&a, "www.example.com", 300);
	store(c, &q, a.p.b, a.p.len, 1000);
	len = lookup(c, &q, 10, out);
	CHECK(ttls_are(&a, out, len, 300));
	cache_free(c);
}

static void
t_cache_negative(void)
{
	struct cache		*c;
	struct dns_query	 q;
	struct answer		 a;
	size_t			 len;

	c = cache_new(100, BIG);
	plain(&q, "nx.example.com");
	negative(&a, "nx.example.com", DNS_RCODE_NXDOMAIN, 3600, 60);
	store(c, &q, a.p.b, a.p.len, 1000);
	/* the SOA's TTL is cut to the negative TTL and counts down */
	len = lookup(c, &q, 1059, out);
	CHECK(ttls_are(&a, out, len, 1));
	CHECK(DNS_RCODE(get16(out, 2)) == DNS_RCODE_NXDOMAIN);
	CHECK(get32(out, len - 4) == 60);
	CHECK(lookup(c, &q, 1060, out) == 0);

	/* NODATA, where the SOA's own TTL is the smaller */
	plain(&q, "v4only.example.com");
	negative(&a, "v4only.example.com", DNS_RCODE_NOERROR, 30, 900);
	store(c, &q, a.p.b, a.p.len, 1000);
	CHECK(lookup(c, &q, 1029, out) == a.p.len);
	CHECK(lookup(c, &q, 1030, out) == 0);

	/* no SOA: nothing to bound it by, so not kept */
	plain(&q, "nosoa.example.com");
	header(&a.p, 1, DNS_FLAG_QR | DNS_RCODE_NXDOMAIN, 1, 0, 0, 0);
	question(&a.p, "nosoa.example.com", TYPE_A, DNS_CLASS_IN);
	store(c, &q, a.p.b, a.p.len, 1000);
	CHECK(lookup(c, &q, 1000, out) == 0);
	CHECK(stats(c).stores == 2);
	cache_free(c);
}

static void
t_cache_uncacheable(void)
{
	struct cache		*c;
	struct dns_query	 q;
	struct answer		 a;
	size_t			 len;

	c = cache_new(100, BIG);
	plain(&q, "www.example.com");
	positive_a(&a, "www.example.com", 300);
	a.p.b[3] |= DNS_RCODE_SERVFAIL;
	store(c, &q, a.p.b, a.p.len, 100);
	positive_a(&a, "www.example.com", 300);
	a.p.b[3] |= DNS_RCODE_REFUSED;
	store(c, &q, a.p.b, a.p.len, 100);
	positive_a(&a, "www.example.com", 300);
	a.p.b[2] |= DNS_FLAG_TC >> 8;
	store(c, &q, a.p.b, a.p.len, 100);
	/* TTL 0, and a TTL with its top bit set */
	positive_a(&a, "www.example.com", 0);
	store(c, &q, a.p.b, a.p.len, 100);
	positive_a(&a, "www.example.com", 0x80000000U);
	store(c, &q, a.p.b, a.p.len, 100);
	/* cut short, or with trailing bytes */
	positive_a(&a, "www.example.com", 300);
	for (len = 0; len < a.p.len; len++)
		store(c, &q, a.p.b, len, 100);
	put8(&a.p, 0);
	store(c, &q, a.p.b, a.p.len, 100);
	/* not an answer, or not a standard query */
	positive_a(&a, "www.example.com", 300);
	a.p.b[2] &= 0x7f;
	store(c, &q, a.p.b, a.p.len, 100);
	positive_a(&a, "www.example.com", 300);
	a.p.b[2] |= 0x10;	/* opcode 2, STATUS */
	store(c, &q, a.p.b, a.p.len, 100);

	CHECK(lookup(c, &q, 100, out) == 0);
	CHECK(stats(c).stores == 0 && stats(c).entries == 0);
	CHECK(stats(c).bytes == 0);
	cache_free(c);
}

static void
t_cache_other_question(void)
{
	struct cache		*c;
	struct dns_query	 q, other;
	struct answer		 a;

	c = cache_new(100, BIG);
	plain(&q, "www.example.com");
	positive_a(&a, "www.example.org", 300);
	store(c, &q, a.p.b, a.p.len, 100);
	positive(&a, "www.example.com", TYPE_AAAA, DNS_CLASS_IN, 300, 1);
	store(c, &q, a.p.b, a.p.len, 100);
	positive(&a, "www.example.com", TYPE_A, CLASS_CH, 300, 1);
	store(c, &q, a.p.b, a.p.len, 100);
	/* a name one label longer */
	positive_a(&a, "www.www.example.com", 300);
	store(c, &q, a.p.b, a.p.len, 100);
	CHECK(lookup(c, &q, 100, out) == 0);
	plain(&other, "www.example.org");
	CHECK(lookup(c, &other, 100, out) == 0);
	plain(&other, "www.www.example.com");
	CHECK(lookup(c, &other, 100, out) == 0);
	CHECK(stats(c).entries == 0);
	/* no question at all */
	header(&a.p, 1, DNS_FLAG_QR, 0, 0, 0, 0);
	store(c, &q, a.p.b, a.p.len, 100);
	CHECK(stats(c).stores == 0);
	cache_free(c);
}

/* big.example.com with n A records: 33 + 16 n bytes */
static void
big_answer(struct answer *a, unsigned int n)
{
	const uint8_t	 addr[4] = { 192, 0, 2, 9 };
	unsigned int	 i;

	header(&a->p, 1, DNS_FLAG_QR, 1, n, 0, 0);
	question(&a->p, "big.example.com", TYPE_A, DNS_CLASS_IN);
	for (i = 0; i < n; i++)
		(void)put_rr(&a->p, TYPE_A, 300, addr, sizeof(addr));
	a->nttl = 0;
	a->optttl = 0;
}

static void
t_cache_too_big(void)
{
	struct cache		*c;
	struct dns_query	 q;
	struct answer		 a;

	c = cache_new(100, BIG);
	plain(&q, "big.example.com");
	big_answer(&a, 1022);
	CHECK(a.p.len == CACHE_MAX_ANSWER + 1);
	store(c, &q, a.p.b, a.p.len, 100);
	CHECK(stats(c).entries == 0);
	big_answer(&a, 1021);
	CHECK(a.p.len < CACHE_MAX_ANSWER);
	store(c, &q, a.p.b, a.p.len, 100);
	CHECK(stats(c).entries == 1);
	/* a caller buffer too small for it is a miss, not a cut answer */
	CHECK(fetch(c, &q, 100, 0, out, a.p.len - 1) == 0);
	CHECK(fetch(c, &q, 100, 0, out, a.p.len) == a.p.len);
	CHECK(stats(c).misses == 1 && stats(c).hits == 1);
	cache_free(c);
}

/*
 * Keys.
 */

/* An answer kept for q1 must not serve q2, nor the other way round. */
static int
separate(const struct dns_query *q1, const struct dns_query *q2)
{
	struct cache	*c;
	struct answer	 a1, a2;
	int		 ok;

	c = cache_new(100, BIG);
	positive(&a1, "www.example.com", q1->q.qtype, q1->q.qclass, 300, 1);
	positive(&a2, "www.example.com", q2->q.qtype, q2->q.qclass, 300, 2);
	store(c, q1, a1.p.b, a1.p.len, 100);
	ok = lookup(c, q2, 100, out) == 0;
	store(c, q2, a2.p.b, a2.p.len, 100);
	ok = ok && stats(c).entries == 2;
	ok = ok && lookup(c, q1, 100, out) == a1.p.len &&
	    memcmp(out, a1.p.b, a1.p.len) == 0;
	ok = ok && lookup(c, q2, 100, out) == a2.p.len &&
	    memcmp(out, a2.p.b, a2.p.len) == 0;
	cache_free(c);
	return ok;
}

static void
t_cache_key_qtype(void)
{
	struct dns_query	 q1, q2;

	query(&q1, "www.example.com", TYPE_A, DNS_CLASS_IN, 0, 0);
	query(&q2, "www.example.com", TYPE_AAAA, DNS_CLASS_IN, 0, 0);
	CHECK(separate(&q1, &q2));
}

static void
t_cache_key_class(void)
{
	struct dns_query	 q1, q2;

	query(&q1, "www.example.com", TYPE_A, DNS_CLASS_IN, 0, 0);
	query(&q2, "www.example.com", TYPE_A, CLASS_CH, 0, 0);
	CHECK(separate(&q1, &q2));
}

static void
t_cache_key_do(void)
{
	struct dns_query	 q1, q2;

	query(&q1, "www.example.com", TYPE_A, DNS_CLASS_IN, 0, 0);
	query(&q2, "www.example.com", TYPE_A, DNS_CLASS_IN, 1, 0);
	CHECK(separate(&q1, &q2));
}

static void
t_cache_key_cd(void)
{
	struct dns_query	 q1, q2;

	query(&q1, "www.example.com", TYPE_A, DNS_CLASS_IN, 1, 0);
	query(&q2, "www.example.com", TYPE_A, DNS_CLASS_IN, 1, 1);
	CHECK(separate(&q1, &q2));
}

/*
 * An RD=0 query is forwarded with RD=0: its answer (a referral, or
 * nothing) must never serve an RD=1 client, nor the other way round.
 */
static void
t_cache_key_rd(void)
{
	struct dns_query	 q1, q2;

	query(&q1, "www.example.com", TYPE_A, DNS_CLASS_IN, 0, 0);
	query(&q2, "www.example.com", TYPE_A, DNS_CLASS_IN, 0, 0);
	q2.flags &= (uint16_t)~DNS_FLAG_RD;
	CHECK(separate(&q1, &q2));
}

/* AD in a query only asks for AD in the answer: one entry serves both */
static void
t_cache_key_ad(void)
{
	struct cache		*c;
	struct dns_query	 q;
	struct answer		 a;

	c = cache_new(100, BIG);
	plain(&q, "www.example.com");
	positive_a(&a, "www.example.com", 300);
	store(c, &q, a.p.b, a.p.len, 100);
	q.flags |= DNS_FLAG_AD;
	CHECK(lookup(c, &q, 100, out) == a.p.len);
	cache_free(c);
}

static void
t_cache_key_case(void)
{
	struct cache		*c;
	struct dns_query	 q;
	struct answer		 a;

	c = cache_new(100, BIG);
	plain(&q, "WwW.ExAmPlE.CoM");
	positive_a(&a, "www.example.com", 300);
	store(c, &q, a.p.b, a.p.len, 100);
	plain(&q, "www.EXAMPLE.com");
	CHECK(lookup(c, &q, 100, out) == a.p.len);
	/* kept as the upstream wrote it; the client's case is put back later */
	CHECK(memcmp(out + DNS_HDRLEN, "\3www\7example", 12) == 0);

	/* only ASCII folds: Latin-1 capital E acute is not its small form */
	plain(&q, "caf\xc9.example");
	positive_a(&a, "caf\xc9.example", 300);
	store(c, &q, a.p.b, a.p.len, 100);
	plain(&q, "caf\xe9.example");
	CHECK(lookup(c, &q, 100, out) == 0);
	plain(&q, "CAF\xc9.example");
	CHECK(lookup(c, &q, 100, out) == a.p.len);
	cache_free(c);
}

/*
 * Replacement, eviction, bounds.
 */

/*
 * A DoT upstream pads its answers (RFC 8467: to 468 bytes); the padding
 * is never served, so it is not kept either, and what the cache serves
 * a client is the same as what the upstream's answer would have been.
 */
static void
t_cache_padding(void)
{
	struct cache		*c;
	struct dns_query	 q, plain_q;
	struct dns_answer	 lay, got;
	struct pkt		 p;
	uint8_t			 rdata[4 + 6 + 4 + 400], key[DNS_KEY_MAX];
	uint8_t			 want[DNS_MAXMSG], served[DNS_MAXMSG];
	size_t			 keylen, len, n, m;
	const uint8_t		 addr[4] = { 192, 0, 2, 7 };

	/* an extended error (kept), then padding (dropped) */
	memset(rdata, 0, sizeof(rdata));
	memcpy(rdata, "\0\x0f\0\x06\0\x03", 6);
	memcpy(rdata + 10, "\0\x0c\x01\x90", 4);
	header(&p, 0x1111, DNS_FLAG_QR | DNS_FLAG_RD | DNS_FLAG_RA, 1, 1, 0,
	    1);
	question(&p, "Pad.Example.com", TYPE_A, DNS_CLASS_IN);
	(void)put_rr(&p, TYPE_A, 300, addr, sizeof(addr));
	opt(&p, 1232, 0, rdata, sizeof(rdata));
	c = cache_new(100, BIG);
	plain(&q, "pad.example.COM");
	keylen = dns_query_key(&q, DNS_KEY_UPSTREAM, key);
	CHECK(dns_answer_parse(p.b, p.len, &q, &lay) == 0);
	cache_store(c, key, keylen, p.b, p.len, &lay, 100);
	len = cache_lookup(c, key, keylen, 100, 0, out, sizeof(out), &got);
	CHECK(len == p.len - 404 && got.len == len);
	CHECK(stats(c).bytes == len + keylen + CACHE_ENTRY_OVERHEAD);
	/* the same answer for clients with EDNS and without */
	plain_q = q;
	plain_q.edns = 0;
	n = dns_answer_client(p.b, p.len, &lay, &q, DNS_MAXMSG, want,
	    sizeof(want));
	m = dns_answer_client(out, len, &got, &q, DNS_MAXMSG, served,
	    sizeof(served));
	CHECK(n > 0 && n == m && memcmp(want, served, n) == 0);
	n = dns_answer_client(p.b, p.len, &lay, &plain_q, DNS_MAXMSG, want,
	    sizeof(want));
	m = dns_answer_client(out, len, &got, &plain_q, DNS_MAXMSG, served,
	    sizeof(served));
	CHECK(n > 0 && n == m && memcmp(want, served, n) == 0);
	cache_free(c);
}

static void
t_cache_replace(void)
{
	struct cache		*c;
	struct dns_query	 q;
	struct answer		 a1, a2;
	size_t			 len;

	c = cache_new(100, BIG);
	plain(&q, "www.example.com");
	positive(&a1, "www.example.com", TYPE_A, DNS_CLASS_IN, 300, 1);
	positive(&a2, "www.example.com", TYPE_A, DNS_CLASS_IN, 600, 2);
	store(c, &q, a1.p.b, a1.p.len, 100);
	store(c, &q, a2.p.b, a2.p.len, 200);
	CHECK(stats(c).entries == 1 && stats(c).stores == 2);
	CHECK(stats(c).bytes == cost(&q, &a2));
	len = lookup(c, &q, 300, out);
	CHECK(ttls_are(&a2, out, len, 500));
	CHECK(out[a2.at[0] + 9] == 2);
	/* an answer not kept leaves the old one in place */
	a1.p.b[3] |= DNS_RCODE_SERVFAIL;
	store(c, &q, a1.p.b, a1.p.len, 300);
	CHECK(lookup(c, &q, 300, out) == a2.p.len);
	cache_free(c);
}

static void
name_of(char *buf, size_t size, unsigned int i)
{
	(void)snprintf(buf, size, "host%06u.example.com", i);
}

/* Keeps a same-sized answer for host<i>; returns what it costs. */
static size_t
store_nth(struct cache *c, unsigned int i, uint64_t now)
{
	struct dns_query	 q;
	struct answer		 a;
	char			 name[64];

	name_of(name, sizeof(name), i);
	plain(&q, name);
	positive_a(&a, name, 300);
	store(c, &q, a.p.b, a.p.len, now);
	return cost(&q, &a);
}

static int
has_nth(struct cache *c, unsigned int i, uint64_t now)
{
	struct dns_query	 q;
	char			 name[64];

	name_of(name, sizeof(name), i);
	plain(&q, name);
	return lookup(c, &q, now, out) != 0;
}

static void
t_cache_lru_entries(void)
{
	struct cache	*c;

	c = cache_new(3, BIG);
	(void)store_nth(c, 0, 100);
	(void)store_nth(c, 1, 100);
	(void)store_nth(c, 2, 100);
	/* a hit makes 0 the most recently used, so 1 goes first */
	CHECK(has_nth(c, 0, 101));
	(void)store_nth(c, 3, 102);
	CHECK(stats(c).entries == 3 && stats(c).evictions == 1);
	CHECK(!has_nth(c, 1, 103));
	CHECK(has_nth(c, 0, 103) && has_nth(c, 2, 103) && has_nth(c, 3, 103));
	cache_free(c);
}

static void
t_cache_lru_bytes(void)
{
	struct cache		*c;
	struct dns_query	 q;
	struct answer		 a;
	size_t			 one;

	c = cache_new(1, BIG);
	one = store_nth(c, 0, 100);
	cache_free(c);

	c = cache_new(100, 3 * one);
	(void)store_nth(c, 0, 100);
	(void)store_nth(c, 1, 100);
	(void)store_nth(c, 2, 100);
	CHECK(stats(c).entries == 3 && stats(c).bytes == 3 * one);
	(void)store_nth(c, 3, 100);
	CHECK(stats(c).entries == 3 && stats(c).bytes == 3 * one);
	CHECK(stats(c).evictions == 1 && !has_nth(c, 0, 100));
	/* an answer bigger than all the bytes allowed is not kept */
	plain(&q, "big.example.com");
	big_answer(&a, 64);
	CHECK(a.p.len > 3 * one);
	store(c, &q, a.p.b, a.p.len, 100);
	CHECK(stats(c).entries == 3 && stats(c).evictions == 1);
	CHECK(has_nth(c, 1, 100) && has_nth(c, 2, 100) && has_nth(c, 3, 100));
	cache_free(c);
}

static void
t_cache_resize_down(void)
{
	struct cache	*c;
	size_t		 one;
	unsigned int	 i;

	c = cache_new(16, BIG);
	for (i = 0; i < 10; i++)
		one = store_nth(c, i, 100);
	CHECK(has_nth(c, 0, 100));	/* 0 is now the most recent */
	cache_resize(c, 4, BIG);
	CHECK(stats(c).entries == 4 && stats(c).evictions == 6);
	CHECK(has_nth(c, 0, 100) && has_nth(c, 9, 100));
	CHECK(has_nth(c, 8, 100) && has_nth(c, 7, 100));
	CHECK(!has_nth(c, 6, 100) && !has_nth(c, 1, 100));
	/* the bytes bound too; 9 was looked up before 8 and 7, so it goes */
	cache_resize(c, 4, 2 * one);
	CHECK(stats(c).entries == 2 && stats(c).bytes == 2 * one);
	CHECK(has_nth(c, 8, 100) && has_nth(c, 7, 100));
	CHECK(!has_nth(c, 9, 100) && !has_nth(c, 0, 100));
	/* 0 disables: everything goes, nothing is kept */
	cache_resize(c, 0, BIG);
	CHECK(stats(c).entries == 0 && stats(c).bytes == 0);
	(void)store_nth(c, 1, 100);
	CHECK(stats(c).entries == 0 && !has_nth(c, 1, 100));
	/* and back */
	cache_resize(c, 4, BIG);
	(void)store_nth(c, 1, 100);
	CHECK(stats(c).entries == 1 && has_nth(c, 1, 100));
	cache_free(c);
}

/* a name, the names below it, never a name that merely ends the same */
static void
t_cache_flush(void)
{
	static const uint8_t	 host3[] = "\012host000003\007EXAMPLE\003com";
	static const uint8_t	 example[] = "\007example\003COM";
	static const uint8_t	 ample[] = "\005ample\003com";
	static const uint8_t	 root[] = "";
	struct cache		*c;
	struct dns_query	 q;
	struct answer		 a;
	unsigned int		 i;

	c = cache_new(16, BIG);
	for (i = 0; i < 10; i++)
		(void)store_nth(c, i, 100);
	plain(&q, "other.org");
	positive_a(&a, "other.org", 300);
	store(c, &q, a.p.b, a.p.len, 100);
	CHECK(stats(c).entries == 11);
	CHECK(cache_flush(c, ample, sizeof(ample)) == 0);
	CHECK(cache_flush(c, host3, sizeof(host3)) == 1);
	CHECK(!has_nth(c, 3, 100) && has_nth(c, 4, 100));
	CHECK(cache_flush(c, example, sizeof(example)) == 9);
	CHECK(stats(c).entries == 1 && lookup(c, &q, 100, out) != 0);
	CHECK(cache_flush(c, root, sizeof(root)) == 1);
	CHECK(stats(c).entries == 0 && stats(c).bytes == 0);
	cache_free(c);
}

static void
t_cache_resize_up(void)
{
	struct cache	*c;
	unsigned int	 i;
	int		 all;

	/* a bigger table must still find what the smaller one held */
	c = cache_new(8, BIG);
	for (i = 0; i < 8; i++)
		(void)store_nth(c, i, 100);
	cache_resize(c, 100000, BIG);
	all = 1;
	for (i = 0; i < 8; i++)
		all = all && has_nth(c, i, 100);
	CHECK(all && stats(c).entries == 8);
	for (i = 8; i < 5000; i++)
		(void)store_nth(c, i, 100);
	CHECK(stats(c).entries == 5000 && stats(c).evictions == 0);
	/* and a smaller one too */
	cache_resize(c, 2000, BIG);
	all = 1;
	for (i = 3000; i < 5000; i++)
		all = all && has_nth(c, i, 100);
	CHECK(all && stats(c).entries == 2000);
	cache_free(c);
}

static void
t_cache_disabled(void)
{
	struct cache		*c;
	struct cache_stats	 st;

	c = cache_new(0, BIG);
	CHECK(c != NULL);
	(void)store_nth(c, 0, 100);
	CHECK(!has_nth(c, 0, 100));
	st = stats(c);
	CHECK(st.entries == 0 && st.bytes == 0 && st.stores == 0);
	cache_free(c);
	/* too few bytes for any entry is as good as disabled */
	c = cache_new(100, 64);
	(void)store_nth(c, 0, 100);
	CHECK(!has_nth(c, 0, 100) && stats(c).entries == 0);
	cache_free(c);
	cache_free(NULL);
}

static void
t_cache_bounded(void)
{
	struct cache		*c;
	struct cache_stats	 st;
	size_t			 one;
	unsigned int		 i;
	int			 all;

	c = cache_new(1000, BIG);
	one = 0;
	for (i = 0; i < 100000; i++)
		one = store_nth(c, i, 100 + i / 1000);
	st = stats(c);
	CHECK(st.entries == 1000 && st.bytes == 1000 * one);
	CHECK(st.stores == 100000 && st.evictions == 99000);
	all = 1;
	for (i = 99000; i < 100000; i++)
		all = all && has_nth(c, i, 200);
	CHECK(all && !has_nth(c, 98999, 200) && !has_nth(c, 0, 200));
	cache_free(c);

	/* the bytes bound holds as well */
	c = cache_new(100000, 65536);
	for (i = 0; i < 100000; i++)
		(void)store_nth(c, i, 100);
	st = stats(c);
	CHECK(st.bytes <= 65536 && st.bytes + one > 65536);
	CHECK(st.entries == 65536 / one);
	cache_free(c);
}


/*
 * Random stores and lookups against a model of LRU order: every name
 * the model holds is found, no other is, through evictions, the index's
 * runs closing up behind removed entries and the arrays growing.
 */
static int
model_run(uint32_t cap, uint32_t names, uint32_t ops)
{
	struct cache	*c;
	uint32_t	*order, n = 0, i, j, op, at;
	uint64_t	 rnd = 0x2545f4914f6cdd1dULL;
	int		 ok = 1;

	if ((order = calloc(cap, sizeof(*order))) == NULL)
		return 0;
	c = cache_new(cap, BIG);
	for (op = 0; op < ops && ok; op++) {
		rnd ^= rnd << 13;
		rnd ^= rnd >> 7;
		rnd ^= rnd << 17;
		i = (uint32_t)(rnd >> 8) % names;
		for (at = 0; at < n && order[at] != i; at++)
			continue;
		if (rnd % 3 != 0) {
			ok = has_nth(c, i, 100) == (at < n);
			if (at == n)
				continue;
		} else {
			(void)store_nth(c, i, 100);
			/* a new name takes the least recently used's place */
			if (at == n)
				at = n < cap ? n++ : cap - 1;
		}
		for (j = at; j > 0; j--)
			order[j] = order[j - 1];
		order[0] = i;
	}
	ok = ok && stats(c).entries == n;
	for (j = 0; j < n && ok; j++)
		ok = has_nth(c, order[j], 100);
	cache_free(c);
	free(order);
	return ok;
}

static void
t_cache_model(void)
{
	CHECK(model_run(50, 200, 20000));
	CHECK(model_run(2500, 5000, 40000));
}

/*
 * Prefetch: a hit in the last tenth of an entry's lifetime asks for a
 * refresh, once; a new answer stored may ask again.
 */
static int
refresh_due(struct cache *c, const struct dns_query *q, uint64_t now,
    int stale)
{
	struct dns_answer	 a;
	uint8_t			 key[DNS_KEY_MAX];
	size_t			 keylen;
	int			 refresh = -1;

	keylen = dns_query_key(q, DNS_KEY_UPSTREAM, key);
	if (cache_lookup_refresh(c, key, keylen, now, stale, out, sizeof(out),
	    &a, &refresh) == 0)
		return refresh == 0 ? -1 : -2;
	return refresh;
}

static void
t_cache_refresh(void)
{
	struct cache		*c;
	struct dns_query	 q, q5;
	struct answer		 a, a5;

	c = cache_new(100, BIG);
	plain(&q, "www.example.com");
	positive_a(&a, "www.example.com", 300);
	store(c, &q, a.p.b, a.p.len, 100);
	CHECK(refresh_due(c, &q, 100, 0) == 0);
	CHECK(refresh_due(c, &q, 369, 0) == 0);
	/* cache_lookup() alone never asks, nor uses up the asking */
	CHECK(lookup(c, &q, 370, out) == a.p.len);
	CHECK(refresh_due(c, &q, 370, 0) == 1);
	CHECK(refresh_due(c, &q, 371, 0) == 0);
	CHECK(refresh_due(c, &q, 399, 0) == 0);
	/* stale answers do not ask; a miss says no */
	CHECK(refresh_due(c, &q, 400, 1) == 0);
	CHECK(refresh_due(c, &q, 400, 0) == -1);
	/* the refreshed entry asks again near its own end */
	store(c, &q, a.p.b, a.p.len, 380);
	CHECK(refresh_due(c, &q, 380, 0) == 0);
	CHECK(refresh_due(c, &q, 650, 0) == 1);
	CHECK(refresh_due(c, &q, 651, 0) == 0);
	/* lives too short for a tenth of them to be a whole second */
	plain(&q5, "short.example.com");
	positive_a(&a5, "short.example.com", 5);
	store(c, &q5, a5.p.b, a5.p.len, 100);
	CHECK(refresh_due(c, &q5, 104, 0) == 0);
	cache_free(c);
}

/*
 * Serve-stale.
 */

static void
t_cache_stale(void)
{
	struct cache		*c;
	struct dns_query	 q;
	struct answer		 a;
	size_t			 len;
	uint64_t		 expired;

	c = cache_new(100, BIG);
	plain(&q, "www.example.com");
	positive_a(&a, "www.example.com", 300);
	store(c, &q, a.p.b, a.p.len, 100);
	expired = 400;
	/* fresh answers come with their own TTL even when stale is allowed */
	len = fetch(c, &q, expired - 1, 1, out, sizeof(out));
	CHECK(ttls_are(&a, out, len, 1));
	CHECK(fetch(c, &q, expired, 0, out, sizeof(out)) == 0);
	len = fetch(c, &q, expired, 1, out, sizeof(out));
	CHECK(ttls_are(&a, out, len, CACHE_STALE_TTL));
	len = fetch(c, &q, expired + CACHE_STALE_MAX - 1, 1, out,
	    sizeof(out));
	CHECK(ttls_are(&a, out, len, CACHE_STALE_TTL));
	CHECK(stats(c).stale_hits == 2 && stats(c).hits == 1);
	/* past the window it is gone for good */
	CHECK(fetch(c, &q, expired + CACHE_STALE_MAX, 1, out,
	    sizeof(out)) == 0);
	CHECK(stats(c).entries == 0 && stats(c).bytes == 0);
	/* a new answer replaces a stale one */
	store(c, &q, a.p.b, a.p.len, 1000);
	store(c, &q, a.p.b, a.p.len, 2000);
	len = fetch(c, &q, 2010, 1, out, sizeof(out));
	CHECK(ttls_are(&a, out, len, 290));
	cache_free(c);
}


/*
 * Not a test: what an entry costs and what a lookup takes, printed for
 * the record (nothing about time is asserted). An entry is a typical
 * answer: one A record and an OPT, 65 bytes, for a 22-byte name. The
 * bytes are what malloc handed out for the whole cache (its headers and
 * rounding, the table and the entries), as mallinfo2() counts them.
 */

#define BENCH_LOOKUPS	(1U << 20)
#define BENCH_PICKS	(1U << 16)

struct bench_key {
	uint8_t		 b[32];
	size_t		 len;
};

static size_t
malloc_in_use(void)
{
	struct mallinfo2	 mi;

	mi = mallinfo2();
	return mi.uordblks + mi.hblkhd;
}

static void
bench_name(char *buf, size_t size, uint32_t i)
{
	(void)snprintf(buf, size, "h%07u.example.com", i);
}

/* padded: as a DoT upstream sends it, padded to 468 bytes (RFC 8467) */
static void
bench_answer(struct answer *a, const char *name, int padded)
{
	const uint8_t	 addr[4] = { 192, 0, 2, 1 };
	uint8_t		 pad[4 + 468] = { 0, DNS_OPT_PADDING };
	size_t		 padlen;

	header(&a->p, 0x1111, DNS_FLAG_QR | DNS_FLAG_RD | DNS_FLAG_RA, 1, 1,
	    0, 1);
	question(&a->p, name, TYPE_A, DNS_CLASS_IN);
	(void)put_rr(&a->p, TYPE_A, 3600, addr, sizeof(addr));
	padlen = 468 - (a->p.len + 11 + 4);
	pad[2] = (uint8_t)(padlen >> 8);
	pad[3] = (uint8_t)padlen;
	opt(&a->p, 1232, 0, pad, padded ? 4 + padlen : 0);
}

static void
bench_size(uint32_t n, int padded)
{
	struct cache		*c;
	struct dns_query	 q;
	struct answer		 a;
	struct dns_answer	 layout;
	struct bench_key	*keys;
	char			 name[64];
	uint64_t		 t0, t1, fill, spread, rnd = 0x9e3779b97f4a7c15ULL;
	size_t			 before, after, hits = 0, anslen = 0;
	uint32_t		 i, k;

	if ((keys = calloc(BENCH_PICKS, sizeof(*keys))) == NULL)
		return;
	before = malloc_in_use();
	c = cache_new(n, (size_t)n * 1024);
	t0 = test_now_ns();
	for (i = 0; i < n; i++) {
		bench_name(name, sizeof(name), i);
		plain(&q, name);
		bench_answer(&a, name, padded);
		store(c, &q, a.p.b, a.p.len, 100);
		anslen = a.p.len;
	}
	t1 = test_now_ns();
	after = malloc_in_use();
	for (k = 0; k < BENCH_PICKS; k++) {
		rnd ^= rnd << 13;
		rnd ^= rnd >> 7;
		rnd ^= rnd << 17;
		bench_name(name, sizeof(name), (uint32_t)(rnd % n));
		plain(&q, name);
		keys[k].len = dns_query_key(&q, DNS_KEY_UPSTREAM, keys[k].b);
	}
	fill = t1 - t0;
	t0 = test_now_ns();
	for (i = 0; i < BENCH_LOOKUPS; i++) {
		k = (i * 40503U) % BENCH_PICKS;
		hits += cache_lookup(c, keys[k].b, keys[k].len, 200, 0, out,
		    sizeof(out), &layout) != 0;
	}
	spread = test_now_ns() - t0;
	t0 = test_now_ns();
	for (i = 0; i < BENCH_LOOKUPS; i++)
		hits += cache_lookup(c, keys[0].b, keys[0].len, 200, 0, out,
		    sizeof(out), &layout) != 0;
	printf("bench: cache, %u entries of a %zu-byte answer%s: %.0f bytes "
	    "per entry; ns per lookup %.1f (random names), %.1f (one name); "
	    "%.0f ns per store (%zu hits)\n", n, anslen,
	    padded ? " (padded)" : "",
	    (double)(after - before) / n, (double)spread / BENCH_LOOKUPS,
	    (double)(test_now_ns() - t0) / BENCH_LOOKUPS, (double)fill / n, hits);
	cache_free(c);
	free(keys);
}

void
test_cache(void)
{
	RUN(t_cache_miss_then_hit);
	RUN(t_cache_ttl_countdown);
	RUN(t_cache_expiry);
	RUN(t_cache_ttl_cap);
	RUN(t_cache_mixed_ttls);
	RUN(t_cache_clock_back);
	RUN(t_cache_negative);
	RUN(t_cache_uncacheable);
	RUN(t_cache_other_question);
	RUN(t_cache_too_big);
	RUN(t_cache_key_qtype);
	RUN(t_cache_key_class);
	RUN(t_cache_key_do);
	RUN(t_cache_key_cd);
	RUN(t_cache_key_rd);
	RUN(t_cache_key_ad);
	RUN(t_cache_key_case);
	RUN(t_cache_replace);
	RUN(t_cache_padding);
	RUN(t_cache_lru_entries);
	RUN(t_cache_lru_bytes);
	RUN(t_cache_resize_down);
	RUN(t_cache_resize_up);
	RUN(t_cache_flush);
	RUN(t_cache_disabled);
	RUN(t_cache_bounded);
	RUN(t_cache_model);
	RUN(t_cache_stale);
	RUN(t_cache_refresh);
	bench_size(100000, 0);
	bench_size(1000000, 0);
	bench_size(100000, 1);
}
