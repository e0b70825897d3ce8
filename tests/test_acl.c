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
 * Unit tests of the access list: prefix text in and out, the built-in
 * ranges, longest match and ties, IPv4-mapped sources, a comparison with
 * a plain longest-match scan on random rules, and the cost of a lookup.
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
#include "test.h"

#define NRULES_MAX	400

struct addr {
	struct sockaddr_storage	 ss;
	socklen_t		 len;
};

static struct acl_rule	 rules[NRULES_MAX];
static size_t		 nrules;

static int
to_addr(const char *text, struct addr *a)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)&a->ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&a->ss;

	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, text, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(5353);
		a->len = sizeof(*sin);
		return 0;
	}
	if (inet_pton(AF_INET6, text, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(5353);
		a->len = sizeof(*sin6);
		return 0;
	}
	return -1;
}

/* ACL_ALLOW or ACL_DENY for a client address in text; -1 unparsable */
static int
check(const struct acl *acl, const char *text)
{
	struct addr	 a;

	if (to_addr(text, &a) == -1)
		return -1;
	return (int)acl_check(acl, (struct sockaddr *)&a.ss, a.len);
}

static void
rules_reset(void)
{
	nrules = 0;
}

static int
rule(enum acl_action action, const char *text)
{
	char	 err[ACL_ERRLEN];

	if (nrules == NRULES_MAX ||
	    acl_prefix_parse(text, &rules[nrules].prefix, err,
	    sizeof(err)) == -1)
		return -1;
	rules[nrules++].action = (uint8_t)action;
	return 0;
}

static struct acl *
build(void)
{
	return acl_new(rules, nrules);
}

/* text parses, prints as want and parses back to the same bytes */
static int
round_trip(const char *text, const char *want)
{
	struct acl_prefix	 p, again;
	char			 err[ACL_ERRLEN], buf[ACL_PREFIX_STRLEN];

	if (acl_prefix_parse(text, &p, err, sizeof(err)) == -1) {
		fprintf(stderr, "%s: %s\n", text, err);
		return 0;
	}
	acl_prefix_str(&p, buf, sizeof(buf));
	if (strcmp(buf, want) != 0) {
		fprintf(stderr, "%s printed as %s\n", text, buf);
		return 0;
	}
	return acl_prefix_parse(buf, &again, err, sizeof(err)) == 0 &&
	    memcmp(&p, &again, sizeof(p)) == 0;
}

/* text is refused with a message containing want */
static int
refused(const char *text, const char *want)
{
	struct acl_prefix	 p;
	char			 err[ACL_ERRLEN] = "";
	static const struct acl_prefix zero;

	if (acl_prefix_parse(text, &p, err, sizeof(err)) == 0)
		return 0;
	if (strstr(err, want) == NULL) {
		fprintf(stderr, "%s: message \"%s\" lacks \"%s\"\n", text,
		    err, want);
		return 0;
	}
	return memcmp(&p, &zero, sizeof(p)) == 0;
}

static void
test_parse(void)
{
	CHECK(round_trip("10.0.0.0/8", "10.0.0.0/8"));
	CHECK(round_trip("192.0.2.1", "192.0.2.1"));
	CHECK(round_trip("192.0.2.1/32", "192.0.2.1"));
	CHECK(round_trip("0.0.0.0/0", "0.0.0.0/0"));
	CHECK(round_trip("255.255.255.255", "255.255.255.255"));
	CHECK(round_trip("2001:db8::/32", "2001:db8::/32"));
	CHECK(round_trip("2001:DB8:0::/32", "2001:db8::/32"));
	CHECK(round_trip("::1", "::1"));
	CHECK(round_trip("::1/128", "::1"));
	CHECK(round_trip("::/0", "::/0"));
	CHECK(round_trip("fe80::/10", "fe80::/10"));
	/* the embedded-IPv4 notations of inet_ntop() must parse back */
	CHECK(round_trip("::100:0/104", "::1.0.0.0/104"));
	CHECK(refused("::ffff:0:0/95", "host bits"));
	CHECK(round_trip("::fffe:0:0/95", "::fffe:0:0/95"));
	CHECK(round_trip("::/96", "::/96"));

	CHECK(refused("10.0.0.1/8", "host bits set in \"10.0.0.1/8\": the "
	    "network is 10.0.0.0/8"));
	CHECK(refused("192.168.1.10/24", "192.168.1.0/24"));
	CHECK(refused("2001:db8::1/32", "2001:db8::/32"));
	CHECK(refused("::ffff:10.0.0.0/104", "write 10.0.0.0/8"));
	CHECK(refused("::ffff:192.0.2.1", "write 192.0.2.1"));
	CHECK(refused("::ffff:0:0/96", "write 0.0.0.0/0"));
	CHECK(refused("::ffff:10.1.2.3/104", "host bits"));
	CHECK(refused("10.0.0.0/33", "invalid prefix length"));
	CHECK(refused("::/129", "0 to 128"));
	CHECK(refused("10.0.0.0/", "invalid prefix length"));
	CHECK(refused("10.0.0.0/08", "invalid prefix length"));
	CHECK(refused("10.0.0.0/+8", "invalid prefix length"));
	CHECK(refused("10.0.0.0/-8", "invalid prefix length"));
	CHECK(refused("10.0.0.0/8/8", "invalid prefix length"));
	CHECK(refused("10.0.0.0/0008", "invalid prefix length"));
	CHECK(refused("10.0.0.0/ 8", "invalid prefix length"));
	CHECK(refused("", "invalid address"));
	CHECK(refused("/8", "invalid address"));
	CHECK(refused("10.0.0", "invalid address"));
	CHECK(refused("10.0.0.0.0", "invalid address"));
	CHECK(refused("010.0.0.0", "invalid address"));
	CHECK(refused("10.0.0.0 ", "invalid address"));
	CHECK(refused(" 10.0.0.0", "invalid address"));
	CHECK(refused("localhost", "invalid address"));
	CHECK(refused("[::1]", "invalid address"));
	CHECK(refused("fe80::1%lo", "invalid address"));
	CHECK(refused("1111:2222:3333:4444:5555:6666:7777:8888:9999/8",
	    "invalid address"));
	CHECK(refused("1111:2222:3333:4444:5555:6666:7777:8888:9999:aaaa:"
	    "bbbb:cccc:dddd:eeee:ffff:0000:1111/8", "invalid address"));
	CHECK(strcmp(acl_action_name(ACL_ALLOW), "allow") == 0);
	CHECK(strcmp(acl_action_name(ACL_DENY), "deny") == 0);
}

static void
test_defaults(void)
{
	struct acl	*acl;

	rules_reset();
	if ((acl = build()) == NULL) {
		CHECK(acl != NULL);
		return;
	}
	CHECK(check(acl, "127.0.0.1") == ACL_ALLOW);
	CHECK(check(acl, "127.255.255.255") == ACL_ALLOW);
	CHECK(check(acl, "128.0.0.0") == ACL_DENY);
	CHECK(check(acl, "126.255.255.255") == ACL_DENY);
	CHECK(check(acl, "10.0.0.0") == ACL_ALLOW);
	CHECK(check(acl, "10.255.255.255") == ACL_ALLOW);
	CHECK(check(acl, "11.0.0.0") == ACL_DENY);
	CHECK(check(acl, "9.255.255.255") == ACL_DENY);
	CHECK(check(acl, "172.15.255.255") == ACL_DENY);
	CHECK(check(acl, "172.16.0.0") == ACL_ALLOW);
	CHECK(check(acl, "172.31.255.255") == ACL_ALLOW);
	CHECK(check(acl, "172.32.0.0") == ACL_DENY);
	CHECK(check(acl, "192.167.255.255") == ACL_DENY);
	CHECK(check(acl, "192.168.1.1") == ACL_ALLOW);
	CHECK(check(acl, "192.169.0.0") == ACL_DENY);
	CHECK(check(acl, "100.63.255.255") == ACL_DENY);
	CHECK(check(acl, "100.64.0.0") == ACL_ALLOW);
	CHECK(check(acl, "100.127.255.255") == ACL_ALLOW);
	CHECK(check(acl, "100.128.0.0") == ACL_DENY);
	CHECK(check(acl, "169.254.0.1") == ACL_ALLOW);
	CHECK(check(acl, "169.255.0.1") == ACL_DENY);
	CHECK(check(acl, "0.0.0.0") == ACL_DENY);
	CHECK(check(acl, "255.255.255.255") == ACL_DENY);
	CHECK(check(acl, "8.8.8.8") == ACL_DENY);
	CHECK(check(acl, "1.1.1.1") == ACL_DENY);

	CHECK(check(acl, "::1") == ACL_ALLOW);
	CHECK(check(acl, "::") == ACL_DENY);
	CHECK(check(acl, "::2") == ACL_DENY);
	CHECK(check(acl, "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff") ==
	    ACL_DENY);
	CHECK(check(acl, "fc00::") == ACL_ALLOW);
	CHECK(check(acl, "fd12:3456::1") == ACL_ALLOW);
	CHECK(check(acl, "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff") ==
	    ACL_ALLOW);
	CHECK(check(acl, "fe00::") == ACL_DENY);
	CHECK(check(acl, "fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff") ==
	    ACL_DENY);
	CHECK(check(acl, "fe80::1") == ACL_ALLOW);
	CHECK(check(acl, "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff") ==
	    ACL_ALLOW);
	CHECK(check(acl, "fec0::") == ACL_DENY);
	CHECK(check(acl, "2001:db8::1") == ACL_DENY);
	CHECK(check(acl, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff") ==
	    ACL_DENY);

	/* IPv4-mapped sources are their IPv4 address */
	CHECK(check(acl, "::ffff:127.0.0.1") == ACL_ALLOW);
	CHECK(check(acl, "::ffff:10.1.2.3") == ACL_ALLOW);
	CHECK(check(acl, "::ffff:8.8.8.8") == ACL_DENY);
	/* but IPv4-compatible and NAT64 forms are plain IPv6 */
	CHECK(check(acl, "::10.1.2.3") == ACL_DENY);
	CHECK(check(acl, "64:ff9b::10.1.2.3") == ACL_DENY);
	/* IPv4: ten ranges and the gaps; IPv6: seven */
	CHECK(acl_ranges(acl) == 13 + 7);
	acl_free(acl);
}

static void
test_public(void)
{
	struct acl	*acl;

	rules_reset();
	CHECK(rule(ACL_ALLOW, "0.0.0.0/0") == 0);
	if ((acl = build()) == NULL) {
		CHECK(acl != NULL);
		return;
	}
	CHECK(check(acl, "8.8.8.8") == ACL_ALLOW);
	CHECK(check(acl, "0.0.0.0") == ACL_ALLOW);
	CHECK(check(acl, "255.255.255.255") == ACL_ALLOW);
	CHECK(check(acl, "::ffff:8.8.8.8") == ACL_ALLOW);
	CHECK(check(acl, "2001:db8::1") == ACL_DENY);
	CHECK(acl_ranges(acl) == 1 + 7);
	acl_free(acl);

	rules_reset();
	CHECK(rule(ACL_ALLOW, "::/0") == 0);
	if ((acl = build()) == NULL) {
		CHECK(acl != NULL);
		return;
	}
	CHECK(check(acl, "2001:db8::1") == ACL_ALLOW);
	CHECK(check(acl, "::") == ACL_ALLOW);
	CHECK(check(acl, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff") ==
	    ACL_ALLOW);
	/* ::/0 holds ::ffff:0:0/96, yet IPv4 clients stay IPv4 */
	CHECK(check(acl, "::ffff:8.8.8.8") == ACL_DENY);
	CHECK(check(acl, "8.8.8.8") == ACL_DENY);
	CHECK(check(acl, "::ffff:10.0.0.1") == ACL_ALLOW);
	acl_free(acl);
}

static void
test_override(void)
{
	struct acl	*acl;

	rules_reset();
	CHECK(rule(ACL_DENY, "10.0.0.0/8") == 0);	/* ties a default */
	CHECK(rule(ACL_DENY, "172.20.0.0/16") == 0);
	CHECK(rule(ACL_ALLOW, "172.20.1.0/24") == 0);
	CHECK(rule(ACL_DENY, "172.20.1.7") == 0);
	CHECK(rule(ACL_ALLOW, "198.51.100.0/24") == 0);
	CHECK(rule(ACL_DENY, "198.51.100.0/24") == 0);	/* tie: deny */
	CHECK(rule(ACL_DENY, "203.0.113.0/24") == 0);
	CHECK(rule(ACL_ALLOW, "203.0.113.0/24") == 0);	/* either order */
	CHECK(rule(ACL_DENY, "0.0.0.0/0") == 0);	/* shorter: no effect */
	CHECK(rule(ACL_ALLOW, "192.0.2.255") == 0);
	CHECK(rule(ACL_DENY, "fe80::/10") == 0);
	CHECK(rule(ACL_ALLOW, "2001:db8::/32") == 0);
	CHECK(rule(ACL_DENY, "2001:db8:1::/48") == 0);
	CHECK(rule(ACL_ALLOW, "2001:db8:1::53") == 0);
	CHECK(rule(ACL_ALLOW, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")
	    == 0);
	if ((acl = build()) == NULL) {
		CHECK(acl != NULL);
		return;
	}
	CHECK(check(acl, "10.1.2.3") == ACL_DENY);
	CHECK(check(acl, "::ffff:10.1.2.3") == ACL_DENY);
	CHECK(check(acl, "192.168.1.1") == ACL_ALLOW);
	CHECK(check(acl, "172.19.255.255") == ACL_ALLOW);
	CHECK(check(acl, "172.20.0.1") == ACL_DENY);
	CHECK(check(acl, "172.20.1.6") == ACL_ALLOW);
	CHECK(check(acl, "172.20.1.7") == ACL_DENY);
	CHECK(check(acl, "172.20.1.8") == ACL_ALLOW);
	CHECK(check(acl, "172.20.2.0") == ACL_DENY);
	CHECK(check(acl, "172.21.0.0") == ACL_ALLOW);
	CHECK(check(acl, "198.51.100.1") == ACL_DENY);
	CHECK(check(acl, "203.0.113.1") == ACL_DENY);
	CHECK(check(acl, "192.0.2.254") == ACL_DENY);
	CHECK(check(acl, "192.0.2.255") == ACL_ALLOW);
	CHECK(check(acl, "192.0.3.0") == ACL_DENY);
	CHECK(check(acl, "127.0.0.1") == ACL_ALLOW);
	CHECK(check(acl, "fe80::1") == ACL_DENY);
	CHECK(check(acl, "fd00::1") == ACL_ALLOW);
	CHECK(check(acl, "2001:db8::1") == ACL_ALLOW);
	CHECK(check(acl, "2001:db8:1::1") == ACL_DENY);
	CHECK(check(acl, "2001:db8:1::53") == ACL_ALLOW);
	CHECK(check(acl, "2001:db8:2::") == ACL_ALLOW);
	CHECK(check(acl, "2001:db9::") == ACL_DENY);
	CHECK(check(acl, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff") ==
	    ACL_ALLOW);
	CHECK(check(acl, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe") ==
	    ACL_DENY);
	acl_free(acl);
}

static void
test_bad_input(void)
{
	struct acl		*acl;
	struct acl_rule		 r;
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;
	struct sockaddr_storage	 ss;
	char			 err[ACL_ERRLEN];

	rules_reset();
	if ((acl = build()) == NULL) {
		CHECK(acl != NULL);
		return;
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(0x7f000001);
	CHECK(acl_check(acl, (struct sockaddr *)&sin, sizeof(sin)) ==
	    ACL_ALLOW);
	CHECK(acl_check(acl, (struct sockaddr *)&sin, sizeof(sin) - 1) ==
	    ACL_DENY);
	CHECK(acl_check(acl, NULL, sizeof(sin)) == ACL_DENY);
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_addr.s6_addr[15] = 1;
	CHECK(acl_check(acl, (struct sockaddr *)&sin6, sizeof(sin6)) ==
	    ACL_ALLOW);
	CHECK(acl_check(acl, (struct sockaddr *)&sin6, sizeof(sin)) ==
	    ACL_DENY);
	memset(&ss, 0, sizeof(ss));
	ss.ss_family = AF_UNIX;
	CHECK(acl_check(acl, (struct sockaddr *)&ss, sizeof(ss)) ==
	    ACL_DENY);
	acl_free(acl);

	/* rules that did not come from the parser are refused whole */
	CHECK(acl_prefix_parse("10.0.0.0/8", &r.prefix, err,
	    sizeof(err)) == 0);
	r.action = ACL_ALLOW;
	r.prefix.addr[3] = 1;
	errno = 0;
	CHECK(acl_new(&r, 1) == NULL && errno == EINVAL);
	r.prefix.addr[3] = 0;
	r.prefix.len = 33;
	CHECK(acl_new(&r, 1) == NULL && errno == EINVAL);
	r.prefix.len = 8;
	r.prefix.addr[4] = 1;
	CHECK(acl_new(&r, 1) == NULL && errno == EINVAL);
	r.prefix.addr[4] = 0;
	r.prefix.family = AF_UNIX;
	CHECK(acl_new(&r, 1) == NULL && errno == EINVAL);
	r.prefix.family = AF_INET;
	r.action = 2;
	CHECK(acl_new(&r, 1) == NULL && errno == EINVAL);
	r.action = ACL_DENY;
	if ((acl = acl_new(&r, 1)) != NULL) {
		CHECK(check(acl, "10.0.0.1") == ACL_DENY);
		acl_free(acl);
	} else
		CHECK(acl != NULL);
	acl_free(NULL);
}

/*
 * Random rules, checked against the definition: the longest prefix
 * holding the address, deny at a tie, deny without one.
 */

static uint64_t	 rng = 0x9e3779b97f4a7c15ULL;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static int
covers(const struct acl_prefix *p, const uint8_t *addr, int family)
{
	unsigned int	 i, bits;

	if (p->family != family)
		return 0;
	for (i = 0; i < p->len; i++) {
		bits = 0x80U >> (i % 8);
		if ((p->addr[i / 8] & bits) != (addr[i / 8] & bits))
			return 0;
	}
	return 1;
}

static int
reference(const uint8_t *addr, int family)
{
	const struct acl_rule	*defaults, *r;
	size_t			 i, ndefault;
	int			 best = -1, verdict = ACL_DENY;

	ndefault = acl_default_rules(&defaults);
	for (i = 0; i < ndefault + nrules; i++) {
		r = i < ndefault ? &defaults[i] : &rules[i - ndefault];
		if (!covers(&r->prefix, addr, family))
			continue;
		if (r->prefix.len > best) {
			best = r->prefix.len;
			verdict = r->action;
		} else if (r->prefix.len == best && r->action == ACL_DENY)
			verdict = ACL_DENY;
	}
	return verdict;
}

/* a random prefix, its bytes often shared with earlier ones */
static void
random_rule(struct acl_rule *r)
{
	unsigned int	 bits, i, keep;

	memset(r, 0, sizeof(*r));
	if (nrules > 0 && rnd() % 2 == 0)
		r->prefix = rules[rnd() % nrules].prefix;
	else
		r->prefix.family = rnd() % 2 ? AF_INET : AF_INET6;
	bits = r->prefix.family == AF_INET ? 32 : 128;
	for (i = 0; i < bits / 8; i++)
		if (rnd() % 3 == 0)
			r->prefix.addr[i] = (uint8_t)rnd();
	if (r->prefix.family == AF_INET6 && rnd() % 4 == 0)
		r->prefix.addr[0] = 0xfe;
	r->prefix.len = (uint8_t)(rnd() % (bits + 1));
	for (i = 0; i < bits / 8; i++) {
		keep = r->prefix.len > i * 8 ? r->prefix.len - i * 8 : 0;
		if (keep < 8)
			r->prefix.addr[i] &= (uint8_t)(0xff00U >> keep);
	}
	/* the part of IPv6 no rule may name */
	if (r->prefix.family == AF_INET6 && r->prefix.len >= 96 &&
	    memcmp(r->prefix.addr, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0)
		r->prefix.addr[0] = 0x20;
	r->action = rnd() % 2 ? ACL_ALLOW : ACL_DENY;
}

/* an address at, just inside or just outside a rule's edges */
static void
probe_addr(uint8_t *addr, int *family)
{
	const struct acl_prefix	*p;
	unsigned int		 bits, i, k;
	int			 up;

	p = &rules[rnd() % nrules].prefix;
	*family = p->family;
	bits = p->family == AF_INET ? 32 : 128;
	memcpy(addr, p->addr, 16);
	up = rnd() % 2;
	for (i = p->len; i < bits; i++)
		if (up)
			addr[i / 8] |= (uint8_t)(0x80U >> (i % 8));
	if (rnd() % 2 == 0)
		return;
	/* step one address down or up, carrying */
	for (k = bits / 8; k-- > 0;) {
		if (up ? ++addr[k] != 0 : addr[k]-- != 0)
			break;
	}
}

static int
acl_verdict(const struct acl *acl, const uint8_t *addr, int family,
    int mapped)
{
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;

	if (family == AF_INET && !mapped) {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		memcpy(&sin.sin_addr, addr, 4);
		return (int)acl_check(acl, (struct sockaddr *)&sin,
		    sizeof(sin));
	}
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	if (family == AF_INET) {
		sin6.sin6_addr.s6_addr[10] = 0xff;
		sin6.sin6_addr.s6_addr[11] = 0xff;
		memcpy(&sin6.sin6_addr.s6_addr[12], addr, 4);
	} else
		memcpy(&sin6.sin6_addr, addr, 16);
	return (int)acl_check(acl, (struct sockaddr *)&sin6, sizeof(sin6));
}

static void
test_random(void)
{
	struct acl	*acl;
	uint8_t		 addr[16];
	int		 round, i, family, bad = 0;

	for (round = 0; round < 200; round++) {
		rules_reset();
		while (nrules < (size_t)(1 + round % 60)) {
			random_rule(&rules[nrules]);
			nrules++;
		}
		if ((acl = build()) == NULL) {
			CHECK(acl != NULL);
			return;
		}
		if (acl_ranges(acl) > 2 * (nrules + 9) + 2)
			bad++;
		for (i = 0; i < 400; i++) {
			probe_addr(addr, &family);
			if (acl_verdict(acl, addr, family, i % 2) !=
			    reference(addr, family))
				bad++;
		}
		acl_free(acl);
	}
	CHECK(bad == 0);
}

/*
 * Not a test: what a lookup costs with 300 rules, printed for the
 * record.  Nothing is asserted about time.
 */
static void
bench_lookup(void)
{
	enum { NADDR = 4096, LOOKUPS = 2000000 };
	static struct addr	 addrs[NADDR];
	struct sockaddr_in	*sin;
	struct sockaddr_in6	*sin6;
	struct acl		*acl;
	uint8_t			 a[16];
	uint64_t		 t0, t1, t2;
	unsigned int		 allowed = 0;
	int			 i, k, family, v6;

	rules_reset();
	while (nrules < 300) {
		random_rule(&rules[nrules]);
		nrules++;
	}
	if ((acl = build()) == NULL) {
		CHECK(acl != NULL);
		return;
	}
	for (v6 = 0; v6 <= 1; v6++) {
		for (i = 0; i < NADDR; i++) {
			do
				probe_addr(a, &family);
			while (family != (v6 ? AF_INET6 : AF_INET));
			memset(&addrs[i], 0, sizeof(addrs[i]));
			if (v6) {
				sin6 = (struct sockaddr_in6 *)&addrs[i].ss;
				sin6->sin6_family = AF_INET6;
				memcpy(&sin6->sin6_addr, a, 16);
				addrs[i].len = sizeof(*sin6);
			} else {
				sin = (struct sockaddr_in *)&addrs[i].ss;
				sin->sin_family = AF_INET;
				memcpy(&sin->sin_addr, a, 4);
				addrs[i].len = sizeof(*sin);
			}
		}
		t0 = test_now_ns();
		for (i = 0; i < LOOKUPS; i++)
			allowed += acl_check(acl,
			    (struct sockaddr *)&addrs[i % NADDR].ss,
			    addrs[i % NADDR].len) == ACL_ALLOW;
		t1 = test_now_ns();
		/* each address picked by the verdict before: no overlap */
		for (i = 0, k = 0; i < LOOKUPS; i++)
			k = (k + 1 + acl_check(acl,
			    (struct sockaddr *)&addrs[k].ss,
			    addrs[k].len)) % NADDR;
		t2 = test_now_ns();
		printf("bench: acl_check %s, 300 rules, %zu ranges: %.1f ns "
		    "per lookup, %.1f ns one after another (%u, %d)\n",
		    v6 ? "IPv6" : "IPv4", acl_ranges(acl),
		    (double)(t1 - t0) / LOOKUPS, (double)(t2 - t1) / LOOKUPS,
		    allowed, k);
	}
	acl_free(acl);
}

void
test_acl(void)
{
	RUN(test_parse);
	RUN(test_defaults);
	RUN(test_public);
	RUN(test_override);
	RUN(test_bad_input);
	RUN(test_random);
	bench_lookup();
}
