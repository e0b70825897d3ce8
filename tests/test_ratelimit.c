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
 * Unit tests of the per-client rate limit.  Time is whatever the test
 * says it is: ratelimit.c reads no clock.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ratelimit.h"
#include "test.h"

#define DAY_MS		(24ULL * 60 * 60 * 1000)

/* One query from a textual IPv4 or IPv6 address; -1 if it does not parse. */
static int
query_port(struct ratelimit *rl, const char *addr, uint16_t port,
    uint64_t now_ms)
{
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;

	memset(&sin, 0, sizeof(sin));
	memset(&sin6, 0, sizeof(sin6));
	if (inet_pton(AF_INET, addr, &sin.sin_addr) == 1) {
		sin.sin_family = AF_INET;
		sin.sin_port = htons(port);
		return ratelimit_allow(rl, (struct sockaddr *)&sin,
		    sizeof(sin), now_ms);
	}
	if (inet_pton(AF_INET6, addr, &sin6.sin6_addr) == 1) {
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons(port);
		return ratelimit_allow(rl, (struct sockaddr *)&sin6,
		    sizeof(sin6), now_ms);
	}
	return -1;
}

static int
query(struct ratelimit *rl, const char *addr, uint64_t now_ms)
{
	return query_port(rl, addr, 53000, now_ms);
}

/* How many of n queries at the same instant are let through. */
static uint32_t
allowed_of(struct ratelimit *rl, const char *addr, uint32_t n,
    uint64_t now_ms)
{
	uint32_t	 i, ok = 0;

	for (i = 0; i < n; i++)
		if (query(rl, addr, now_ms) == 1)
			ok++;
	return ok;
}

static int
query_v4(struct ratelimit *rl, uint32_t addr, uint64_t now_ms)
{
	struct sockaddr_in	 sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(addr);
	return ratelimit_allow(rl, (struct sockaddr *)&sin, sizeof(sin),
	    now_ms);
}

static void
t_new_bounds(void)
{
	struct ratelimit	*rl;

	errno = 0;
	CHECK(ratelimit_new(10, 0) == NULL && errno == EINVAL);
	errno = 0;
	CHECK(ratelimit_new(10, RATELIMIT_CLIENTS_MAX + 1) == NULL &&
	    errno == EINVAL);
	rl = ratelimit_new(10, 1);
	CHECK(rl != NULL);
	if (rl != NULL)
		CHECK(ratelimit_clients(rl) == 0);
	ratelimit_free(rl);
	ratelimit_free(NULL);
}

static void
t_disabled(void)
{
	struct ratelimit	*rl = ratelimit_new(0, 16);

	CHECK(rl != NULL);
	if (rl == NULL)
		return;
	CHECK(allowed_of(rl, "192.0.2.1", 10000, 0) == 10000);
	CHECK(allowed_of(rl, "2001:db8::1", 10000, 0) == 10000);
	CHECK(ratelimit_clients(rl) == 0);
	ratelimit_free(rl);
}

static void
t_burst(void)
{
	struct ratelimit	*rl = ratelimit_new(5, 16);

	CHECK(rl != NULL);
	if (rl == NULL)
		return;
	CHECK(allowed_of(rl, "192.0.2.1", 5, 1000) == 5);
	CHECK(query(rl, "192.0.2.1", 1000) == 0);
	CHECK(query(rl, "192.0.2.1", 1000) == 0);
	CHECK(ratelimit_clients(rl) == 1);
	ratelimit_free(rl);
}

static void
t_refill_full(void)
{
	struct ratelimit	*rl = ratelimit_new(5, 16);

	CHECK(rl != NULL);
	if (rl == NULL)
		return;
	CHECK(allowed_of(rl, "192.0.2.1", 6, 1000) == 5);
	CHECK(allowed_of(rl, "192.0.2.1", 10, 2000) == 5);
	/* never above the burst, however long the wait */
	CHECK(allowed_of(rl, "192.0.2.1", 10, 60000) == 5);
	ratelimit_free(rl);
}

static void
t_refill_partial(void)
{
	struct ratelimit	*rl = ratelimit_new(10, 16);

	CHECK(rl != NULL);
	if (rl == NULL)
		return;
	CHECK(allowed_of(rl, "192.0.2.1", 20, 5000) == 10);
	CHECK(allowed_of(rl, "192.0.2.1", 20, 5500) == 5);
	CHECK(allowed_of(rl, "192.0.2.1", 20, 5600) == 1);
	CHECK(query(rl, "192.0.2.1", 5699) == 0);
	CHECK(query(rl, "192.0.2.1", 5700) == 1);
	ratelimit_free(rl);
}

/* Milli-tokens keep fractions: 3 qps earns a token in 333.3 ms. */
static void
t_refill_fraction(void)
{
	struct ratelimit	*rl = ratelimit_new(3, 16);

	CHECK(rl != NULL);
	if (rl == NULL)
		return;
	CHECK(allowed_of(rl, "192.0.2.1", 4, 0) == 3);
	CHECK(query(rl, "192.0.2.1", 333) == 0);
	CHECK(query(rl, "192.0.2.1", 334) == 1);
	CHECK(query(rl, "192.0.2.1", 334) == 0);

	ratelimit_set_rate(rl, 1);
	CHECK(allowed_of(rl, "192.0.2.9", 2, 0) == 1);
	CHECK(query(rl, "192.0.2.9", 999) == 0);
	CHECK(query(rl, "192.0.2.9", 1000) == 1);
	ratelimit_free(rl);
}

static void
t_two_clients(void)
{
	struct ratelimit	*rl = ratelimit_new(2, 16);

	CHECK(rl != NULL);
	if (rl == NULL)
		return;
	CHECK(allowed_of(rl, "192.0.2.1", 5, 0) == 2);
	CHECK(allowed_of(rl, "192.0.2.2", 5, 0) == 2);
	CHECK(allowed_of(rl, "2001:db8::1", 5, 0) == 2);
	/* the source port does not make a new client */
	CHECK(query_port(rl, "192.0.2.1", 1, 0) == 0);
	CHECK(query_port(rl, "192.0.2.1", 65535, 0) == 0);
	CHECK(ratelimit_clients(rl) == 3);
	ratelimit_free(rl);
}

static void
t_ipv6_prefix(void)
{
	struct ratelimit	*rl = ratelimit_new(2, 16);

	CHECK(rl != NULL);
	if (rl == NULL)
		return;
	CHECK(query(rl, "2001:db8:1:2::1", 0) == 1);
	CHECK(query(rl, "2001:db8:1:2:ffff:ffff:ffff:fffe", 0) == 1);
	CHECK(query(rl, "2001:db8:1:2:1234::99", 0) == 0);
	CHECK(allowed_of(rl, "2001:db8:1:3::1", 3, 0) == 2);
	CHECK(allowed_of(rl, "2001:db9:1:2::1", 3, 0) == 2);
	CHECK(ratelimit_clients(rl) == 3);
	ratelimit_free(rl);
}

static void
t_ipv4_mapped(void)
{
	struct ratelimit	*rl = ratelimit_new(2, 16);

	CHECK(rl != NULL);
	if (rl == NULL)
		return;
	CHECK(query(rl, "192.0.2.7", 0) == 1);
	CHECK(query(rl, "::ffff:192.0.2.7", 0) == 1);
	CHECK(query(rl, "192.0.2.7", 0) == 0);
	CHECK(query(rl, "::ffff:192.0.2.7", 0) == 0);
	/* all mapped addresses share the ::/64 prefix, not one bucket */
	CHECK(query(rl, "::ffff:192.0.2.8", 0) == 1);
	CHECK(ratelimit_clients(rl) == 2);
	ratelimit_free(rl);
}

/* The same 64 key bits from different families are different clients. */
static void
t_families_apart(void)
{
	struct ratelimit	*rl = ratelimit_new(1, 16);

	CHECK(rl != NULL);
	if (rl == NULL)
		return;
	CHECK(allowed_of(rl, "1.2.3.4", 2, 0) == 1);
	CHECK(allowed_of(rl, "0:0:102:304::1", 2, 0) == 1);
	CHECK(ratelimit_clients(rl) == 2);
	ratelimit_free(rl);
}

static void
t_evict_lru(void)
{
	struct ratelimit	*rl = ratelimit_new(1, 4);

	CHECK(rl != NULL);
	if (rl == NULL)
		return;
	/* all at one instant: nobody refills, a known client is denied */
	CHECK(query(rl, "10.0.0.1", 0) == 1);		/* A */
	CHECK(query(rl, "10.0.0.2", 0) == 1);		/* B */
	CHECK(query(rl, "10.0.0.3", 0) == 1);		/* C */
	CHECK(query(rl, "10.0.0.4", 0) == 1);		/* D */
	CHECK(query(rl, "10.0.0.1", 0) == 0);		/* A: newest again */
	CHECK(query(rl, "10.0.0.5", 0) == 1);		/* E evicts B */
	CHECK(ratelimit_clients(rl) == 4);
	CHECK(query(rl, "10.0.0.1", 0) == 0);		/* A still known */
	CHECK(query(rl, "10.0.0.3", 0) == 0);		/* C still known */
	CHECK(query(rl, "10.0.0.2", 0) == 1);		/* B forgotten; evicts D */
	CHECK(query(rl, "10.0.0.4", 0) == 1);		/* D forgotten; evicts E */
	CHECK(query(rl, "10.0.0.1", 0) == 0);
	CHECK(query(rl, "10.0.0.2", 0) == 0);
	CHECK(query(rl, "10.0.0.3", 0) == 0);
	CHECK(query(rl, "10.0.0.4", 0) == 0);
	CHECK(query(rl, "10.0.0.5", 0) == 1);		/* E forgotten */
	CHECK(ratelimit_clients(rl) == 4);
	ratelimit_free(rl);
}

/* A single-entry table still works: every new client replaces the last. */
static void
t_evict_one_slot(void)
{
	struct ratelimit	*rl = ratelimit_new(1, 1);

	CHECK(rl != NULL);
	if (rl == NULL)
		return;
	CHECK(query(rl, "10.0.0.1", 0) == 1);
	CHECK(query(rl, "10.0.0.1", 0) == 0);
	CHECK(query(rl, "2001:db8::1", 0) == 1);
	CHECK(query(rl, "2001:db8::1", 0) == 0);
	CHECK(query(rl, "10.0.0.1", 0) == 1);
	CHECK(ratelimit_clients(rl) == 1);
	ratelimit_free(rl);
}

static void
t_memory_constant(void)
{
	struct ratelimit	*rl = ratelimit_new(1, 1024);
	size_t			 before;
	uint32_t		 i, fresh = 0;

	CHECK(rl != NULL);
	if (rl == NULL)
		return;
	before = ratelimit_memory(rl);
	CHECK(before <= (size_t)RATELIMIT_BYTES_PER_CLIENT * 1024 + 128);
	for (i = 0; i < 1000000; i++)
		if (query_v4(rl, 0x0a000000U + i, 0) == 1)
			fresh++;
	CHECK(fresh == 1000000);
	CHECK(ratelimit_memory(rl) == before);
	CHECK(ratelimit_clients(rl) == 1024);
	/* the last 1024 are remembered, the ones before are not */
	CHECK(query_v4(rl, 0x0a000000U + 999999, 0) == 0);
	CHECK(query_v4(rl, 0x0a000000U + 1000000 - 1024, 0) == 0);
	CHECK(query_v4(rl, 0x0a000000U + 1000000 - 1025, 0) == 1);
	CHECK(ratelimit_memory(rl) == before);
	ratelimit_free(rl);
}

static void
t_time_jumps(void)
{
	struct ratelimit	*rl = ratelimit_new(3, 16);

	CHECK(rl != NULL);
	if (rl == NULL)
		return;
	CHECK(allowed_of(rl, "192.0.2.1", 5, 0) == 3);
	CHECK(allowed_of(rl, "192.0.2.1", 5, 30 * DAY_MS) == 3);
	CHECK(allowed_of(rl, "192.0.2.1", 5, UINT64_MAX - 1) == 3);
	CHECK(allowed_of(rl, "192.0.2.1", 5, UINT64_MAX) == 0);
	/* backwards: no tokens, and time counts again from there */
	CHECK(allowed_of(rl, "192.0.2.1", 5, 1000) == 0);
	CHECK(allowed_of(rl, "192.0.2.1", 5, 2000) == 3);
	/* a client first seen at a huge time */
	CHECK(allowed_of(rl, "192.0.2.2", 5, UINT64_MAX) == 3);
	ratelimit_free(rl);
}

static void
t_high_rate(void)
{
	struct ratelimit	*rl = ratelimit_new(1000000, 16);

	CHECK(rl != NULL);
	if (rl == NULL)
		return;
	CHECK(allowed_of(rl, "192.0.2.1", 1000001, 0) == 1000000);
	CHECK(allowed_of(rl, "192.0.2.1", 1001, 1) == 1000);
	CHECK(allowed_of(rl, "192.0.2.1", 1000001, 365 * DAY_MS) == 1000000);

	/* the largest rate neither overflows nor runs dry */
	ratelimit_set_rate(rl, UINT32_MAX);
	CHECK(allowed_of(rl, "192.0.2.2", 1000, 0) == 1000);
	CHECK(allowed_of(rl, "192.0.2.2", 1000, 1000 * DAY_MS) == 1000);
	CHECK(allowed_of(rl, "192.0.2.2", 1000, UINT64_MAX) == 1000);
	ratelimit_free(rl);
}

static void
t_set_rate(void)
{
	struct ratelimit	*rl = ratelimit_new(10, 16);
	size_t			 mem;

	CHECK(rl != NULL);
	if (rl == NULL)
		return;
	mem = ratelimit_memory(rl);
	CHECK(query(rl, "192.0.2.1", 0) == 1);
	/* lower: the 9 tokens left are cut to the new burst */
	ratelimit_set_rate(rl, 2);
	CHECK(allowed_of(rl, "192.0.2.1", 5, 0) == 2);
	CHECK(allowed_of(rl, "192.0.2.1", 5, 1000) == 2);
	/* off: everything passes, nothing is added */
	ratelimit_set_rate(rl, 0);
	CHECK(allowed_of(rl, "192.0.2.1", 100, 1000) == 100);
	CHECK(allowed_of(rl, "192.0.2.200", 100, 1000) == 100);
	CHECK(ratelimit_clients(rl) == 1);
	/* higher: buckets refill up to the new burst */
	ratelimit_set_rate(rl, 20);
	CHECK(allowed_of(rl, "192.0.2.1", 30, 2000) == 20);
	CHECK(allowed_of(rl, "192.0.2.1", 30, 2500) == 10);
	CHECK(ratelimit_memory(rl) == mem);
	ratelimit_free(rl);
}

static void
t_unknown_family(void)
{
	struct ratelimit	*rl = ratelimit_new(1, 16);
	struct sockaddr_un	 sun;
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;
	int			 i, ok = 0;

	CHECK(rl != NULL);
	if (rl == NULL)
		return;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	for (i = 0; i < 10; i++) {
		ok += ratelimit_allow(rl, (struct sockaddr *)&sun,
		    sizeof(sun), 0);
		/* truncated addresses cannot be keyed */
		ok += ratelimit_allow(rl, (struct sockaddr *)&sin,
		    sizeof(sin) - 1, 0);
		ok += ratelimit_allow(rl, (struct sockaddr *)&sin6,
		    sizeof(sin6) - 1, 0);
		ok += ratelimit_allow(rl, (struct sockaddr *)&sin, 0, 0);
		ok += ratelimit_allow(rl, NULL, 0, 0);
	}
	CHECK(ok == 50);
	CHECK(ratelimit_clients(rl) == 0);
	ratelimit_free(rl);
}

/* The key of a textual address with a port; kind CLIENT_NONE if bad. */
static struct client_key
key_of(const char *addr, uint16_t port)
{
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;
	struct client_key	 none = { 0, CLIENT_NONE };

	memset(&sin, 0, sizeof(sin));
	memset(&sin6, 0, sizeof(sin6));
	if (inet_pton(AF_INET, addr, &sin.sin_addr) == 1) {
		sin.sin_family = AF_INET;
		sin.sin_port = htons(port);
		return client_key((struct sockaddr *)&sin, sizeof(sin));
	}
	if (inet_pton(AF_INET6, addr, &sin6.sin6_addr) == 1) {
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons(port);
		return client_key((struct sockaddr *)&sin6, sizeof(sin6));
	}
	return none;
}

static int
same_key(struct client_key a, struct client_key b)
{
	return a.kind == b.kind && a.addr == b.addr;
}

static void
t_client_key(void)
{
	struct sockaddr_in	 sin;

	CHECK(key_of("192.0.2.1", 1).kind == CLIENT_INET);
	CHECK(key_of("192.0.2.1", 1).addr == 0xc0000201);
	CHECK(same_key(key_of("192.0.2.1", 1), key_of("192.0.2.1", 2)));
	CHECK(!same_key(key_of("192.0.2.1", 1), key_of("192.0.2.2", 1)));
	/* IPv6 by its /64 */
	CHECK(key_of("2001:db8:1:2::1", 1).kind == CLIENT_INET6);
	CHECK(same_key(key_of("2001:db8:1:2::1", 1),
	    key_of("2001:db8:1:2:ffff::9", 7)));
	CHECK(!same_key(key_of("2001:db8:1:2::1", 1),
	    key_of("2001:db8:1:3::1", 1)));
	/* IPv4-mapped IPv6 is the IPv4 address */
	CHECK(same_key(key_of("::ffff:192.0.2.1", 1), key_of("192.0.2.1", 1)));
	/* an IPv6 /64 that happens to hold those bits is not */
	CHECK(!same_key(key_of("::c000:201", 1), key_of("192.0.2.1", 1)));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	CHECK(client_key((struct sockaddr *)&sin, sizeof(sin) - 1).kind ==
	    CLIENT_NONE);
	CHECK(client_key(NULL, 0).kind == CLIENT_NONE);
}

static void
t_count_limit(void)
{
	struct client_count	*cc = client_count_new(16);
	struct client_key	 a = key_of("192.0.2.1", 1);
	struct client_key	 a6 = key_of("::ffff:192.0.2.1", 2);
	struct client_key	 b = key_of("2001:db8::1", 1);
	uint32_t		 h[4], hb;
	int			 i;

	CHECK(cc != NULL);
	if (cc == NULL)
		return;
	for (i = 0; i < 3; i++)
		h[i] = client_count_take(cc, i == 1 ? &a6 : &a, 3);
	CHECK(h[0] != CLIENT_COUNT_NONE && h[0] == h[1] && h[1] == h[2]);
	CHECK(client_count_held(cc, h[0]) == 3);
	/* at its limit; another client is not */
	CHECK(client_count_take(cc, &a, 3) == CLIENT_COUNT_NONE);
	hb = client_count_take(cc, &b, 3);
	CHECK(hb != CLIENT_COUNT_NONE && hb != h[0]);
	CHECK(client_count_clients(cc) == 2);
	/* a lower limit than what is held refuses, a higher one takes */
	CHECK(client_count_take(cc, &a, 2) == CLIENT_COUNT_NONE);
	h[3] = client_count_take(cc, &a, 4);
	CHECK(h[3] == h[0] && client_count_held(cc, h[0]) == 4);
	client_count_put(cc, h[3]);
	client_count_put(cc, h[2]);
	CHECK(client_count_held(cc, h[0]) == 2);
	CHECK(client_count_take(cc, &a, 3) == h[0]);
	CHECK(client_count_take(cc, &a, 0) == CLIENT_COUNT_NONE);
	CHECK(client_count_take(cc, &b, 0) == CLIENT_COUNT_NONE);
	client_count_free(cc);
	client_count_free(NULL);
}

/* entries go back when nothing is held: the table never fills up */
static void
t_count_reuse(void)
{
	struct client_count	*cc = client_count_new(4);
	struct client_key	 k;
	uint32_t		 h[4], i, round;
	char			 addr[32];

	CHECK(cc != NULL);
	if (cc == NULL)
		return;
	for (round = 0; round < 1000; round++) {
		for (i = 0; i < 4; i++) {
			snprintf(addr, sizeof(addr), "10.%u.%u.%u",
			    round >> 8, round & 0xff, i);
			k = key_of(addr, 53);
			h[i] = client_count_take(cc, &k, 1);
			CHECK(h[i] != CLIENT_COUNT_NONE);
		}
		CHECK(client_count_clients(cc) == 4);
		/* full: a fifth client gets nothing */
		k = key_of("192.0.2.99", 53);
		CHECK(client_count_take(cc, &k, 100) == CLIENT_COUNT_NONE);
		for (i = 0; i < 4; i++)
			client_count_put(cc, h[i]);
		CHECK(client_count_clients(cc) == 0);
	}
	/* putting back what is not held changes nothing */
	client_count_put(cc, h[0]);
	client_count_put(cc, 1000);
	CHECK(client_count_clients(cc) == 0);
	client_count_free(cc);
}

static void
t_count_bounds(void)
{
	errno = 0;
	CHECK(client_count_new(0) == NULL && errno == EINVAL);
	errno = 0;
	CHECK(client_count_new(CLIENT_COUNT_MAX + 1) == NULL &&
	    errno == EINVAL);
}

/* unkeyed clients are counted together, apart from any address */
static void
t_count_unkeyed(void)
{
	struct client_count	*cc = client_count_new(8);
	struct client_key	 none = client_key(NULL, 0);
	struct client_key	 zero = key_of("0.0.0.0", 0);

	CHECK(cc != NULL);
	if (cc == NULL)
		return;
	CHECK(client_count_take(cc, &none, 1) != CLIENT_COUNT_NONE);
	CHECK(client_count_take(cc, &none, 1) == CLIENT_COUNT_NONE);
	CHECK(client_count_take(cc, &zero, 1) != CLIENT_COUNT_NONE);
	client_count_free(cc);
}

void
test_ratelimit(void)
{
	RUN(t_new_bounds);
	RUN(t_disabled);
	RUN(t_burst);
	RUN(t_refill_full);
	RUN(t_refill_partial);
	RUN(t_refill_fraction);
	RUN(t_two_clients);
	RUN(t_ipv6_prefix);
	RUN(t_ipv4_mapped);
	RUN(t_families_apart);
	RUN(t_evict_lru);
	RUN(t_evict_one_slot);
	RUN(t_memory_constant);
	RUN(t_time_jumps);
	RUN(t_high_rate);
	RUN(t_set_rate);
	RUN(t_unknown_family);
	RUN(t_client_key);
	RUN(t_count_limit);
	RUN(t_count_reuse);
	RUN(t_count_bounds);
	RUN(t_count_unkeyed);
}
