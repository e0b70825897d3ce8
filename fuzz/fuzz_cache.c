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
 * libFuzzer target for the answer cache. The input is an upstream answer,
 * parsed once for the question it carries (as the frontend does) and
 * stored under that question's key with key bits taken from its ID, then
 * looked up fresh, aged and stale. Whatever the cache serves must parse
 * again with the same header and the layout it was stored with, and
 * nothing in it may live longer than the entry has left; the cache must
 * stay within its bounds.
 *
 * clang -fsanitize=fuzzer,address,undefined -Iinclude src/dns.c \
 *     src/cache.c fuzz/fuzz_cache.c -o fuzz_cache && \
 *     ./fuzz_cache fuzz/corpus/dns
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "dns.h"

#define FUZZ_ENTRIES	4
#define FUZZ_BYTES	8192
#define FUZZ_NOW	1000

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static uint8_t	out[DNS_MAXMSG];

static int
same_layout(const struct dns_answer *a, const struct dns_answer *b)
{
	return a->len == b->len && a->flags == b->flags &&
	    a->ancount == b->ancount && a->nscount == b->nscount &&
	    a->arcount == b->arcount && a->records == b->records &&
	    a->opt_start == b->opt_start && a->opt_end == b->opt_end &&
	    a->opt_rdata == b->opt_rdata && a->opt_rdlen == b->opt_rdlen &&
	    a->opt_ttl == b->opt_ttl && a->has_opt == b->has_opt &&
	    a->ttl == b->ttl;
}

/* What was served must still be a well-formed answer of the same shape. */
static void
check_served(const uint8_t *data, size_t size, size_t len,
    const struct dns_answer *stored, const struct dns_answer *served,
    uint32_t limit)
{
	uint32_t	 ttl;

	if (len == 0)
		return;
	if (len != size || memcmp(out, data, DNS_HDRLEN) != 0 ||
	    !same_layout(stored, served))
		abort();
	if (dns_answer_ttl(out, len, &ttl) == -1 || ttl > limit)
		abort();
}

static void
check_bounds(const struct cache *c)
{
	struct cache_stats	 st;

	cache_get_stats(c, &st);
	if (st.entries > FUZZ_ENTRIES || st.bytes > FUZZ_BYTES)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cache		*c;
	struct dns_query	 q;
	struct dns_answer	 a, served;
	uint8_t			 key[DNS_KEY_MAX];
	size_t			 len, keylen;
	uint32_t		 ttl, age;
	uint16_t		 id;
	int			 valid;

	memset(&q, 0, sizeof(q));
	if (dns_answer_peek(data, size, &id, &q.q) == -1)
		return 0;
	q.has_question = 1;
	q.flags = id & (DNS_FLAG_CD | DNS_FLAG_AD);
	q.edns_do = id & 1;
	if ((keylen = dns_query_key(&q, DNS_KEY_UPSTREAM, key)) == 0)
		return 0;
	valid = dns_answer_parse(data, size, &q, &a) == 0;
	/* the one walk finds the lifetime dns_answer_ttl() finds alone */
	if (dns_answer_ttl(data, size, &ttl) == -1)
		ttl = 0;
	if (valid && a.ttl != ttl)
		abort();
	if (!valid)
		ttl = 0;
	if (ttl > CACHE_MAX_TTL)
		ttl = CACHE_MAX_TTL;
	if ((c = cache_new(FUZZ_ENTRIES, FUZZ_BYTES)) == NULL)
		abort();
	if (valid)
		cache_store(c, key, keylen, data, size, &a, FUZZ_NOW);
	check_bounds(c);

	len = cache_lookup(c, key, keylen, FUZZ_NOW, 0, out, sizeof(out),
	    &served);
	check_served(data, size, len, &a, &served, ttl);
	age = id >> 4;
	len = cache_lookup(c, key, keylen, FUZZ_NOW + age, 0, out,
	    sizeof(out), &served);
	if (len != 0 && age >= ttl)
		abort();
	check_served(data, size, len, &a, &served, ttl > age ? ttl - age : 0);
	age *= 4;
	len = cache_lookup(c, key, keylen, FUZZ_NOW + age, 1, out,
	    sizeof(out), &served);
	check_served(data, size, len, &a, &served, age < ttl ? ttl - age :
	    CACHE_STALE_TTL);

	/* the other DO bit must never see it; the AD bit does not count */
	q.edns_do = !q.edns_do;
	keylen = dns_query_key(&q, DNS_KEY_UPSTREAM, key);
	if (cache_lookup(c, key, keylen, FUZZ_NOW, 1, out, sizeof(out),
	    &served) != 0)
		abort();
	q.edns_do = !q.edns_do;
	q.flags ^= DNS_FLAG_AD;
	keylen = dns_query_key(&q, DNS_KEY_UPSTREAM, key);
	len = cache_lookup(c, key, keylen, FUZZ_NOW, 0, out, sizeof(out),
	    &served);
	check_served(data, size, len, &a, &served, ttl);
	if (valid && ttl > 0 && size <= CACHE_MAX_ANSWER &&
	    size + keylen + CACHE_ENTRY_OVERHEAD <= FUZZ_BYTES && len == 0)
		abort();
	if (valid)
		cache_store(c, key, keylen, data, size, &a, FUZZ_NOW);
	check_bounds(c);
	cache_resize(c, 1, FUZZ_BYTES / 2);
	check_bounds(c);
	cache_free(c);
	return 0;
}
