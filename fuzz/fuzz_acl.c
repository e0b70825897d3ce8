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
 * libFuzzer target for the access list (src/acl.c).  The input is lines
 * of rules: "+PREFIX" allows, "-PREFIX" denies, any other line is tried
 * as a prefix to allow.  Every prefix that parses must print and parse
 * back to the same bytes, every refusal must say something, and the list
 * compiled from the rules that parsed must give, for addresses at and
 * around each rule's edges and addresses cut from the input, the verdict
 * of a plain longest-match scan (deny at a tie, deny when nothing holds).
 *
 *	clang -std=c11 -D_GNU_SOURCE -g -O1 -Iinclude \
 *	    -fsanitize=fuzzer,address,undefined fuzz/fuzz_acl.c src/acl.c \
 *	    -o build/fuzz_acl && build/fuzz_acl fuzz/corpus/acl
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acl.h"

#define MAX_RULES	64
#define LINE_MAX_LEN	128

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct acl_rule	 rules[MAX_RULES];
static size_t		 nrules;

static void
parse_line(const char *line)
{
	struct acl_prefix	 p, again;
	char			 err[ACL_ERRLEN], text[ACL_PREFIX_STRLEN];
	uint8_t			 action = ACL_ALLOW;

	if (line[0] == '+' || line[0] == '-') {
		action = line[0] == '-' ? ACL_DENY : ACL_ALLOW;
		line++;
	}
	err[0] = '\0';
	if (acl_prefix_parse(line, &p, err, sizeof(err)) == -1) {
		if (err[0] == '\0')
			abort();
		return;
	}
	acl_prefix_str(&p, text, sizeof(text));
	if (acl_prefix_parse(text, &again, err, sizeof(err)) == -1 ||
	    memcmp(&p, &again, sizeof(p)) != 0) {
		fprintf(stderr, "\"%s\" printed as \"%s\"\n", line, text);
		abort();
	}
	if (nrules < MAX_RULES) {
		rules[nrules].prefix = p;
		rules[nrules].action = action;
		nrules++;
	}
}

static int
covers(const struct acl_prefix *p, const uint8_t *addr, int family)
{
	unsigned int	 i, bit;

	if (p->family != family)
		return 0;
	for (i = 0; i < p->len; i++) {
		bit = 0x80U >> (i % 8);
		if ((p->addr[i / 8] & bit) != (addr[i / 8] & bit))
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

/* the verdict for addr, asked as IPv4, and also as IPv4-mapped IPv6 */
static void
check_addr(const struct acl *acl, const uint8_t *addr, int family)
{
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;
	int			 want, mapped;

	want = reference(addr, family);
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	if (family == AF_INET6) {
		memcpy(&sin6.sin6_addr, addr, 16);
		mapped = addr[10] == 0xff && addr[11] == 0xff &&
		    memcmp(addr, "\0\0\0\0\0\0\0\0\0\0", 10) == 0;
		/* a mapped source is judged as the IPv4 address in it */
		if (mapped)
			want = reference(addr + 12, AF_INET);
	} else {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		memcpy(&sin.sin_addr, addr, 4);
		if ((int)acl_check(acl, (struct sockaddr *)&sin,
		    sizeof(sin)) != want)
			abort();
		sin6.sin6_addr.s6_addr[10] = 0xff;
		sin6.sin6_addr.s6_addr[11] = 0xff;
		memcpy(&sin6.sin6_addr.s6_addr[12], addr, 4);
	}
	if ((int)acl_check(acl, (struct sockaddr *)&sin6, sizeof(sin6)) !=
	    want)
		abort();
}

/* a rule's first and last address, and one past either side */
static void
check_edges(const struct acl *acl, const struct acl_prefix *p)
{
	uint8_t		 lo[16], hi[16];
	unsigned int	 bits, i;
	int		 k;

	bits = p->family == AF_INET ? 32 : 128;
	memcpy(lo, p->addr, 16);
	memcpy(hi, p->addr, 16);
	for (i = p->len; i < bits; i++)
		hi[i / 8] |= (uint8_t)(0x80U >> (i % 8));
	check_addr(acl, lo, p->family);
	check_addr(acl, hi, p->family);
	for (k = (int)bits / 8 - 1; k >= 0 && lo[k]-- == 0; k--)
		continue;
	for (k = (int)bits / 8 - 1; k >= 0 && ++hi[k] == 0; k--)
		continue;
	check_addr(acl, lo, p->family);
	check_addr(acl, hi, p->family);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct acl_rule	*defaults;
	struct acl		*acl;
	char			 line[LINE_MAX_LEN];
	size_t			 i, n, ndefault;

	nrules = 0;
	for (i = 0; i < size; i += n + 1) {
		for (n = 0; i + n < size && data[i + n] != '\n'; n++)
			continue;
		if (n >= sizeof(line))
			continue;
		memcpy(line, data + i, n);
		line[n] = '\0';
		parse_line(line);
	}
	if ((acl = acl_new(rules, nrules)) == NULL)
		abort();
	ndefault = acl_default_rules(&defaults);
	for (i = 0; i < nrules; i++)
		check_edges(acl, &rules[i].prefix);
	for (i = 0; i < ndefault; i++)
		check_edges(acl, &defaults[i].prefix);
	for (i = 0; i + 16 <= size && i < 16 * 32; i += 16) {
		check_addr(acl, data + i, AF_INET6);
		check_addr(acl, data + i, AF_INET);
	}
	if (acl_ranges(acl) > 2 * (nrules + ndefault) + 2)
		abort();
	acl_free(acl);
	return 0;
}
