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
 * Client access control (SPEC 2, "Who may ask"): allow and deny rules on
 * address prefixes, longest matching prefix wins, deny at a tie, and
 * whatever no rule covers is denied.  The built-in allow rules (loopback,
 * private, shared, link-local and ULA ranges) are always in the set, so
 * an allow adds to them and an equal or longer deny overrides them.
 *
 * IPv4 and IPv6 are two separate spaces: an IPv4-mapped IPv6 source
 * (::ffff:a.b.c.d) is matched as the IPv4 address against the IPv4
 * rules only, so "allow ::/0" opens IPv6 and "allow 0.0.0.0/0" IPv4.
 * A prefix inside ::ffff:0:0/96 would never match and is an error.
 *
 * Pure: acl_new() turns the rules into sorted disjoint address ranges
 * with their verdicts, once per configuration; acl_check() is a binary
 * search over them, with no allocation and no scan of the rules.
 */

#ifndef ACL_H
#define ACL_H

#include <sys/types.h>
#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>

#define ACL_PREFIX_STRLEN	(46 + 4)	/* INET6_ADDRSTRLEN + "/128" */
#define ACL_ERRLEN		160

enum acl_action {
	ACL_DENY,
	ACL_ALLOW
};

/*
 * A prefix as configured.  Only plain bytes, all of them set by
 * acl_prefix_parse() (the rest zeroed), so that configurations holding
 * them compare with memcmp() and travel in an imsg as they are.
 */
struct acl_prefix {
	uint8_t		 family;	/* AF_INET or AF_INET6 */
	uint8_t		 len;		/* prefix length in bits */
	uint8_t		 addr[16];	/* network order; IPv4 in the first 4 */
};

struct acl_rule {
	struct acl_prefix	 prefix;
	uint8_t			 action;	/* enum acl_action */
};

struct acl;

/*
 * "ADDRESS" (a host: /32 or /128) or "ADDRESS/LEN", IPv4 or IPv6, into
 * *p.  Host bits set beyond LEN are an error, not silently cleared: a
 * mistyped "192.168.1.10/24" meant for one host must not open 256.
 * 0 ok; -1 with a message (naming the text) in err.
 */
int		 acl_prefix_parse(const char *, struct acl_prefix *, char *,
		    size_t);

/*
 * The prefix as acl_prefix_parse() reads it back: "10.0.0.0/8",
 * "2001:db8::/32", a host without "/LEN".  buf holds ACL_PREFIX_STRLEN.
 */
void		 acl_prefix_str(const struct acl_prefix *, char *, size_t);

/* "allow", "deny": the configuration keywords */
const char	*acl_action_name(enum acl_action);

/*
 * The access list of these rules plus the built-in ones; rules must
 * have come from acl_prefix_parse() (else NULL, errno EINVAL).  NULL
 * with errno ENOMEM when out of memory.
 */
struct acl	*acl_new(const struct acl_rule *, size_t);
void		 acl_free(struct acl *);

/*
 * The verdict for a client address: AF_INET, AF_INET6 (IPv4-mapped as
 * IPv4).  Any other family, or an address shorter than its family's
 * sockaddr, is denied.  O(log ranges); no allocation.
 */
enum acl_action	 acl_check(const struct acl *, const struct sockaddr *,
		    socklen_t);

/* the ranges acl_check() searches, IPv4 and IPv6 together (for tests) */
size_t		 acl_ranges(const struct acl *);

/* the built-in rules, in the order they are added (for -n -v and tests) */
size_t		 acl_default_rules(const struct acl_rule **);

#endif /* ACL_H */
