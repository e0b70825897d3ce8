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
 * Client access control for the frontend, on the path of every query:
 * the rules are compiled once per configuration into sorted disjoint
 * ranges of addresses, each with the verdict of the longest prefix that
 * covers it, so a lookup is one binary search.  Pure: no sockets are
 * read, the address comes in a struct sockaddr the caller received.
 *
 * Why ranges: prefixes either nest or are disjoint, so the innermost
 * prefix around a point only changes where some prefix begins or just
 * after one ends.  Those points, sorted, cut each address space into at
 * most 2n + 1 pieces with a single verdict each; neighbours with the
 * same verdict merge.  A lookup is then log2 of that (about 10 steps for
 * 300 prefixes), against up to 128 steps for a binary trie walk.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acl.h"

#define V4_BITS		32
#define V6_BITS		128
#define MAPPED_BITS	96	/* ::ffff:0:0/96 */
#define DEPTH_MAX	(V6_BITS + 1)	/* nested prefixes, one per length */

/* An address as a number: IPv4 in lo, IPv6 as hi:lo. */
struct u128 {
	uint64_t	 hi;
	uint64_t	 lo;
};

/* One prefix of one family as the interval [start, end]. */
struct span {
	struct u128	 start;
	struct u128	 end;
	uint8_t		 len;
	uint8_t		 action;
};

enum prefix_check {
	PREFIX_OK,
	PREFIX_BAD,		/* family, length or stray bytes */
	PREFIX_HOST_BITS,	/* bits set past the length */
	PREFIX_MAPPED		/* inside ::ffff:0:0/96: never matches */
};

/*
 * One family's ranges: range i runs from start[i] to start[i + 1] - 1.
 * IPv4 keeps its starts as 32-bit numbers (start32): a quarter of the
 * memory and one comparison per step.
 */
struct acl_table {
	struct u128	*start;
	uint32_t	*start32;
	uint8_t		*action;
	size_t		 n;
};

struct acl {
	struct acl_table v4;
	struct acl_table v6;
};

/* The ranges served when the configuration says nothing (SPEC 2). */
static const struct acl_rule default_rules[] = {
	{ { AF_INET, 8, { 10 } }, ACL_ALLOW },
	{ { AF_INET, 12, { 172, 16 } }, ACL_ALLOW },
	{ { AF_INET, 16, { 192, 168 } }, ACL_ALLOW },
	{ { AF_INET, 10, { 100, 64 } }, ACL_ALLOW },	/* shared, RFC 6598 */
	{ { AF_INET, 16, { 169, 254 } }, ACL_ALLOW },
	{ { AF_INET, 8, { 127 } }, ACL_ALLOW },
	{ { AF_INET6, 128, { [15] = 1 } }, ACL_ALLOW },
	{ { AF_INET6, 7, { 0xfc } }, ACL_ALLOW },
	{ { AF_INET6, 10, { 0xfe, 0x80 } }, ACL_ALLOW },
};
#define NDEFAULT	(sizeof(default_rules) / sizeof(default_rules[0]))

static const uint8_t	 mapped_prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

static unsigned int
family_bits(unsigned int family)
{
	if (family == AF_INET)
		return V4_BITS;
	if (family == AF_INET6)
		return V6_BITS;
	return 0;
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static uint64_t
be64(const uint8_t *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static struct u128
addr_key(const struct acl_prefix *p)
{
	struct u128	 k;

	if (p->family == AF_INET) {
		k.hi = 0;
		k.lo = be32(p->addr);
	} else {
		k.hi = be64(p->addr);
		k.lo = be64(p->addr + 8);
	}
	return k;
}

/* The bits of a bits-wide address below a len-bit prefix, as a mask. */
static struct u128
host_mask(unsigned int bits, unsigned int len)
{
	struct u128	 m = { 0, 0 };
	unsigned int	 host = bits - len;

	if (host >= 128) {
		m.hi = m.lo = UINT64_MAX;
	} else if (host >= 64) {
		m.hi = host == 64 ? 0 : UINT64_MAX >> (128 - host);
		m.lo = UINT64_MAX;
	} else if (host > 0)
		m.lo = UINT64_MAX >> (64 - host);
	return m;
}

static int
u128_lt(struct u128 a, struct u128 b)
{
	return a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo);
}

static int
u128_eq(struct u128 a, struct u128 b)
{
	return a.hi == b.hi && a.lo == b.lo;
}

/* a + 1, or 0 with *wrapped set past the top of the space */
static struct u128
u128_next(struct u128 a, struct u128 max, int *wrapped)
{
	*wrapped = u128_eq(a, max);
	if (++a.lo == 0)
		a.hi++;
	return a;
}

/*
 * Whether a prefix can be used: the one check for parsed text and for
 * the rules acl_new() is handed.
 */
static enum prefix_check
prefix_check(const struct acl_prefix *p)
{
	struct u128	 k, m;
	unsigned int	 bits;
	size_t		 used;

	if ((bits = family_bits(p->family)) == 0 || p->len > bits)
		return PREFIX_BAD;
	used = bits / 8;
	while (used < sizeof(p->addr))
		if (p->addr[used++] != 0)
			return PREFIX_BAD;
	k = addr_key(p);
	m = host_mask(bits, p->len);
	if ((k.hi & m.hi) != 0 || (k.lo & m.lo) != 0)
		return PREFIX_HOST_BITS;
	if (p->family == AF_INET6 && p->len >= MAPPED_BITS &&
	    memcmp(p->addr, mapped_prefix, sizeof(mapped_prefix)) == 0)
		return PREFIX_MAPPED;
	return PREFIX_OK;
}

/* "LEN": decimal, no sign or leading zero, at most bits */
static int
parse_len(const char *s, unsigned int bits, unsigned int *len)
{
	unsigned int	 v = 0;
	size_t		 i;

	if (s[0] == '\0' || (s[0] == '0' && s[1] != '\0'))
		return -1;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9' || i >= 3)
			return -1;
		v = v * 10 + (unsigned int)(s[i] - '0');
	}
	if (v > bits)
		return -1;
	*len = v;
	return 0;
}

/* The address under a prefix with host bits cleared, for messages. */
static void
network_str(const struct acl_prefix *p, char *buf, size_t size)
{
	struct acl_prefix	 n = *p;
	unsigned int		 bits, i, keep;

	bits = family_bits(p->family);
	for (i = 0; i < bits / 8; i++) {
		keep = p->len > i * 8 ? p->len - i * 8 : 0;
		if (keep < 8)
			n.addr[i] &= (uint8_t)(0xff00U >> keep);
	}
	acl_prefix_str(&n, buf, size);
}

/* "ADDRESS[/LEN]" into *p, unchecked beyond its syntax. 0 ok, -1 bad. */
static int
prefix_read(const char *text, struct acl_prefix *p, char *err, size_t errlen)
{
	char		 addr[ACL_PREFIX_STRLEN];
	const char	*slash;
	unsigned int	 bits, len;
	size_t		 alen;

	slash = strchr(text, '/');
	alen = slash != NULL ? (size_t)(slash - text) : strlen(text);
	if (alen > 0 && alen < sizeof(addr)) {
		memcpy(addr, text, alen);
		addr[alen] = '\0';
		if (inet_pton(AF_INET, addr, p->addr) == 1)
			p->family = AF_INET;
		else if (inet_pton(AF_INET6, addr, p->addr) == 1)
			p->family = AF_INET6;
	}
	if ((bits = family_bits(p->family)) == 0) {
		(void)snprintf(err, errlen, "invalid address in \"%.*s\"",
		    ACL_PREFIX_STRLEN, text);
		return -1;
	}
	len = bits;
	if (slash != NULL && parse_len(slash + 1, bits, &len) == -1) {
		(void)snprintf(err, errlen, "invalid prefix length in "
		    "\"%.*s\" (0 to %u)", ACL_PREFIX_STRLEN, text, bits);
		return -1;
	}
	p->len = (uint8_t)len;
	return 0;
}

int
acl_prefix_parse(const char *text, struct acl_prefix *p, char *err,
    size_t errlen)
{
	struct acl_prefix	 v4;
	char			 net[ACL_PREFIX_STRLEN];

	memset(p, 0, sizeof(*p));
	if (prefix_read(text, p, err, errlen) == -1)
		goto fail;
	switch (prefix_check(p)) {
	case PREFIX_OK:
		return 0;
	case PREFIX_MAPPED:
		memset(&v4, 0, sizeof(v4));
		v4.family = AF_INET;
		v4.len = (uint8_t)(p->len - MAPPED_BITS);
		memcpy(v4.addr, p->addr + sizeof(mapped_prefix), 4);
		network_str(&v4, net, sizeof(net));
		(void)snprintf(err, errlen, "\"%s\" is IPv4-mapped and never "
		    "matches: IPv4 clients are matched as IPv4, write %s",
		    text, net);
		break;
	case PREFIX_HOST_BITS:
		network_str(p, net, sizeof(net));
		(void)snprintf(err, errlen, "host bits set in \"%s\": the "
		    "network is %s", text, net);
		break;
	case PREFIX_BAD:
		(void)snprintf(err, errlen, "invalid prefix \"%s\"", text);
		break;
	}
 fail:
	memset(p, 0, sizeof(*p));
	return -1;
}

void
acl_prefix_str(const struct acl_prefix *p, char *buf, size_t size)
{
	char		 addr[ACL_PREFIX_STRLEN];
	unsigned int	 bits;
	int		 af;

	if (size == 0)
		return;
	bits = family_bits(p->family);
	af = p->family == AF_INET ? AF_INET : AF_INET6;
	if (bits == 0 || inet_ntop(af, p->addr, addr, sizeof(addr)) == NULL) {
		(void)snprintf(buf, size, "?");
		return;
	}
	if (p->len == bits)
		(void)snprintf(buf, size, "%s", addr);
	else
		(void)snprintf(buf, size, "%s/%u", addr, (unsigned int)p->len);
}

const char *
acl_action_name(enum acl_action a)
{
	return a == ACL_ALLOW ? "allow" : "deny";
}

size_t
acl_default_rules(const struct acl_rule **rules)
{
	*rules = default_rules;
	return NDEFAULT;
}

/*
 * Building the ranges.
 */

static int
span_cmp(const void *a, const void *b)
{
	const struct span	*x = a, *y = b;

	if (!u128_eq(x->start, y->start))
		return u128_lt(x->start, y->start) ? -1 : 1;
	/* outer (shorter) prefix first: it opens before the inner one */
	return (int)x->len - (int)y->len;
}

static int
point_cmp(const void *a, const void *b)
{
	const struct u128	*x = a, *y = b;

	if (u128_eq(*x, *y))
		return 0;
	return u128_lt(*x, *y) ? -1 : 1;
}

/* Sort and merge the copies of one prefix: deny wins a tie. */
static size_t
spans_unique(struct span *s, size_t n)
{
	size_t	 i, out;

	if (n == 0)
		return 0;
	qsort(s, n, sizeof(*s), span_cmp);
	for (out = 0, i = 1; i < n; i++) {
		if (u128_eq(s[i].start, s[out].start) &&
		    s[i].len == s[out].len) {
			if (s[i].action == ACL_DENY)
				s[out].action = ACL_DENY;
			continue;
		}
		s[++out] = s[i];
	}
	return out + 1;
}

static void
table_emit(struct acl_table *t, struct u128 start, uint8_t action)
{
	if (t->n > 0 && t->action[t->n - 1] == action)
		return;
	t->start[t->n] = start;
	t->action[t->n] = action;
	t->n++;
}

/*
 * The cut points of a space: its bottom, every prefix start, every
 * address just past a prefix end; sorted, each once.
 */
static size_t
table_points(const struct span *s, size_t n, struct u128 max,
    struct u128 *pt)
{
	size_t	 i, np = 0, out;
	int	 wrapped;

	pt[np++] = (struct u128){ 0, 0 };
	for (i = 0; i < n; i++) {
		pt[np++] = s[i].start;
		pt[np] = u128_next(s[i].end, max, &wrapped);
		if (!wrapped)
			np++;
	}
	qsort(pt, np, sizeof(*pt), point_cmp);
	for (out = 0, i = 1; i < np; i++)
		if (!u128_eq(pt[i], pt[out]))
			pt[++out] = pt[i];
	return out + 1;
}

/*
 * Sweep the cut points in order with a stack of the prefixes around the
 * current one, innermost on top: each point takes that one's verdict,
 * or deny when none covers it.
 */
static int
table_build(struct acl_table *t, struct span *s, size_t n, unsigned int bits)
{
	struct span	*stack[DEPTH_MAX];
	struct u128	*pt, max;
	size_t		 npt, i, j, depth;

	n = spans_unique(s, n);
	max = host_mask(bits, 0);
	if ((pt = calloc(2 * n + 1, sizeof(*pt))) == NULL)
		return -1;
	npt = table_points(s, n, max, pt);
	t->start = calloc(npt, sizeof(*t->start));
	t->action = calloc(npt, sizeof(*t->action));
	if (t->start == NULL || t->action == NULL) {
		free(pt);
		return -1;
	}
	for (i = j = depth = 0; i < npt; i++) {
		while (depth > 0 && u128_lt(stack[depth - 1]->end, pt[i]))
			depth--;
		for (; j < n && u128_eq(s[j].start, pt[i]); j++) {
			if (depth == DEPTH_MAX)	/* lengths strictly grow */
				abort();
			stack[depth++] = &s[j];
		}
		table_emit(t, pt[i], depth > 0 ? stack[depth - 1]->action :
		    ACL_DENY);
	}
	free(pt);
	if (bits == V4_BITS) {
		if ((t->start32 = calloc(t->n, sizeof(*t->start32))) == NULL)
			return -1;
		for (i = 0; i < t->n; i++)
			t->start32[i] = (uint32_t)t->start[i].lo;
		free(t->start);
		t->start = NULL;
	}
	return 0;
}

static struct span
rule_span(const struct acl_rule *r)
{
	struct span	 s;
	struct u128	 m;

	s.start = addr_key(&r->prefix);
	m = host_mask(family_bits(r->prefix.family), r->prefix.len);
	s.end.hi = s.start.hi | m.hi;
	s.end.lo = s.start.lo | m.lo;
	s.len = r->prefix.len;
	s.action = r->action;
	return s;
}

struct acl *
acl_new(const struct acl_rule *rules, size_t n)
{
	struct acl		*acl;
	struct span		*s4 = NULL, *s6 = NULL;
	const struct acl_rule	*r;
	size_t			 i, total, n4 = 0, n6 = 0;

	for (i = 0; i < n; i++)
		if (prefix_check(&rules[i].prefix) != PREFIX_OK ||
		    rules[i].action > ACL_ALLOW) {
			errno = EINVAL;
			return NULL;
		}
	if (n > SIZE_MAX / 4 / sizeof(struct span) - NDEFAULT) {
		errno = ENOMEM;
		return NULL;
	}
	total = n + NDEFAULT;
	if ((acl = calloc(1, sizeof(*acl))) == NULL ||
	    (s4 = calloc(total, sizeof(*s4))) == NULL ||
	    (s6 = calloc(total, sizeof(*s6))) == NULL)
		goto fail;
	for (i = 0; i < total; i++) {
		r = i < NDEFAULT ? &default_rules[i] : &rules[i - NDEFAULT];
		if (r->prefix.family == AF_INET)
			s4[n4++] = rule_span(r);
		else
			s6[n6++] = rule_span(r);
	}
	if (table_build(&acl->v4, s4, n4, V4_BITS) == -1 ||
	    table_build(&acl->v6, s6, n6, V6_BITS) == -1)
		goto fail;
	free(s4);
	free(s6);
	return acl;

 fail:
	free(s4);
	free(s6);
	acl_free(acl);
	errno = ENOMEM;
	return NULL;
}

void
acl_free(struct acl *acl)
{
	if (acl == NULL)
		return;
	free(acl->v4.start);
	free(acl->v4.start32);
	free(acl->v4.action);
	free(acl->v6.start);
	free(acl->v6.action);
	free(acl);
}

size_t
acl_ranges(const struct acl *acl)
{
	return acl->v4.n + acl->v6.n;
}

/*
 * Lookups.
 */

/*
 * The last range starting at or below k.  Range 0 starts at 0, so there
 * always is one.  The halving is written so that the compiler can make
 * each step a conditional move: with client addresses at random, a
 * branch there would be mispredicted every other step.
 */
static enum acl_action
lookup_v4(const struct acl_table *t, uint32_t k)
{
	const uint32_t	*base = t->start32;
	size_t		 n = t->n, half;

	while (n > 1) {
		half = n / 2;
		base += base[half] <= k ? half : 0;
		n -= half;
	}
	return (enum acl_action)t->action[base - t->start32];
}

static enum acl_action
lookup_v6(const struct acl_table *t, struct u128 k)
{
	const struct u128	*base = t->start;
	size_t			 n = t->n, half;
	size_t			 le;

	while (n > 1) {
		half = n / 2;
		le = (size_t)(base[half].hi < k.hi) |
		    ((size_t)(base[half].hi == k.hi) &
		    (size_t)(base[half].lo <= k.lo));
		/* a mask, not a branch: compilers keep this one arithmetic */
		base += half & (0 - le);
		n -= half;
	}
	return (enum acl_action)t->action[base - t->start];
}

enum acl_action
acl_check(const struct acl *acl, const struct sockaddr *sa, socklen_t salen)
{
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;
	const uint8_t		*a;
	struct u128		 k;

	/* no family has a shorter sockaddr: sa_family is there to read */
	if (sa == NULL || (size_t)salen < sizeof(sin))
		return ACL_DENY;
	if (sa->sa_family == AF_INET) {
		memcpy(&sin, sa, sizeof(sin));
		return lookup_v4(&acl->v4,
		    be32((const uint8_t *)&sin.sin_addr));
	}
	if (sa->sa_family == AF_INET6 && (size_t)salen >= sizeof(sin6)) {
		memcpy(&sin6, sa, sizeof(sin6));
		a = sin6.sin6_addr.s6_addr;
		if (memcmp(a, mapped_prefix, sizeof(mapped_prefix)) == 0)
			return lookup_v4(&acl->v4,
			    be32(a + sizeof(mapped_prefix)));
		k.hi = be64(a);
		k.lo = be64(a + 8);
		return lookup_v6(&acl->v6, k);
	}
	return ACL_DENY;
}
