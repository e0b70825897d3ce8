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
 * libFuzzer target for the DNS wire code. The input is tried both as a
 * client query and as an upstream answer; what we produce from it is fed
 * back through our own checks, so a rewrite that emits something we would
 * reject ourselves is a crash too. A rewritten answer must also tell the
 * client the very records the upstream sent: every owner name, and every
 * name in RDATA of the common types, decompressed here without help from
 * dns.c, must read the same before and after records moved (the OPT
 * record dropped or put last).
 *
 * clang -fsanitize=fuzzer,address,undefined -Iinclude src/dns.c \
 *     fuzz/fuzz_dns.c -o fuzz_dns && ./fuzz_dns fuzz/corpus/dns
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static uint8_t	out[DNS_MAXMSG + 64];
static uint8_t	again[DNS_MAXMSG + 64];

#define MAX_HOPS	128
#define TYPE_OPT	41

/* A name decompressed to lower-case-free text bytes; -1 if it cannot be. */
static int
name_decode(const uint8_t *m, size_t len, size_t pos, uint8_t *name,
    size_t *namelen, size_t *after)
{
	size_t	 n = 0;
	int	 hops = 0;
	uint8_t	 c;

	*after = 0;
	for (;;) {
		if (pos >= len)
			return -1;
		c = m[pos];
		if ((c & 0xc0) == 0xc0) {
			if (pos + 1 >= len || ++hops > MAX_HOPS)
				return -1;
			if (*after == 0)
				*after = pos + 2;
			pos = (size_t)(c & 0x3f) << 8 | m[pos + 1];
			continue;
		}
		if (c > 63 || n + 1 + c > DNS_MAXNAME || pos + 1 + c > len)
			return -1;
		memcpy(name + n, m + pos, (size_t)c + 1);
		n += (size_t)c + 1;
		if (c == 0)
			break;
		pos += (size_t)c + 1;
	}
	if (*after == 0)
		*after = pos + 1;
	*namelen = n;
	return 0;
}

/* Where the first name in RDATA of a common type begins, or -1. */
static long
rdata_name_at(uint16_t type)
{
	switch (type) {
	case 2: case 5: case 12: case 6:	/* NS CNAME PTR SOA */
		return 0;
	case 15:				/* MX */
		return 2;
	case 33:				/* SRV */
		return 6;
	default:
		return -1;
	}
}

/* One record: its decoded names and its fixed fields, for comparing. */
struct rrview {
	uint8_t		 owner[DNS_MAXNAME], rname[DNS_MAXNAME];
	size_t		 ownerlen, rnamelen;
	uint16_t	 type;
	const uint8_t	*fixed;		/* class, TTL, RDLENGTH, RDATA */
	size_t		 fixedlen;
	size_t		 next;
};

static int
rr_view(const uint8_t *m, size_t len, size_t pos, struct rrview *v)
{
	size_t	 at, rdlen, rd;
	long	 off;

	if (name_decode(m, len, pos, v->owner, &v->ownerlen, &at) == -1 ||
	    at + 10 > len)
		return -1;
	v->type = (uint16_t)(m[at] << 8 | m[at + 1]);
	rdlen = (size_t)m[at + 8] << 8 | m[at + 9];
	rd = at + 10;
	if (rd + rdlen > len)
		return -1;
	v->fixed = m + at + 2;
	v->fixedlen = 8 + rdlen;
	v->next = rd + rdlen;
	v->rnamelen = 0;
	if ((off = rdata_name_at(v->type)) >= 0 && rdlen > (size_t)off &&
	    name_decode(m, len, rd + (size_t)off, v->rname, &v->rnamelen,
	    &at) == -1)
		return -1;
	return 0;
}

/* The i-th record that is not an OPT, from the first record on. */
static int
nth_record(const uint8_t *m, size_t len, size_t records, unsigned int count,
    unsigned int i, struct rrview *v)
{
	size_t		 pos = records;
	unsigned int	 k, seen = 0;

	for (k = 0; k < count; k++) {
		if (rr_view(m, len, pos, v) == -1)
			return -1;
		pos = v->next;
		if (v->type == TYPE_OPT)
			continue;
		if (seen++ == i)
			return 0;
	}
	return -1;
}

/* Every record of ans (but the OPT) reads the same in the rewrite cl. */
static void
same_records(const uint8_t *ans, size_t anslen, const uint8_t *cl,
    size_t cllen, size_t records)
{
	struct rrview	 a, b;
	unsigned int	 acount, ccount, i;

	acount = (unsigned int)(ans[6] << 8 | ans[7]) +
	    (unsigned int)(ans[8] << 8 | ans[9]) +
	    (unsigned int)(ans[10] << 8 | ans[11]);
	ccount = (unsigned int)(cl[6] << 8 | cl[7]) +
	    (unsigned int)(cl[8] << 8 | cl[9]) +
	    (unsigned int)(cl[10] << 8 | cl[11]);
	for (i = 0; nth_record(ans, anslen, records, acount, i, &a) == 0;
	    i++) {
		if (nth_record(cl, cllen, records, ccount, i, &b) == -1 ||
		    a.type != b.type || a.ownerlen != b.ownerlen ||
		    memcmp(a.owner, b.owner, a.ownerlen) != 0 ||
		    a.fixedlen != b.fixedlen ||
		    memcmp(a.fixed, b.fixed, a.fixedlen) != 0 ||
		    a.rnamelen != b.rnamelen ||
		    memcmp(a.rname, b.rname, a.rnamelen) != 0)
			abort();
	}
}

static void
fuzz_query(const uint8_t *data, size_t size)
{
	struct dns_query	 q, back;
	enum dns_verdict	 v;
	size_t			 len;
	int			 rcode, rc2;

	v = dns_query_parse(data, size, &q, &rcode);
	if (v == DNS_DROP)
		return;
	len = dns_error_answer(&q, v == DNS_REJECT ? rcode :
	    DNS_RCODE_SERVFAIL, out, sizeof(out));
	if (len < DNS_HDRLEN)
		abort();
	if (q.has_question && dns_answer_peek(out, len, &(uint16_t){ 0 },
	    &back.q) == -1)
		abort();
	if (v != DNS_ACCEPT)
		return;
	len = dns_build_query(&q, 0x5a5a, DNS_PAD_BLOCK, out, sizeof(out));
	if (len == 0 || len % DNS_PAD_BLOCK != 0)
		abort();
	if (dns_query_parse(out, len, &back, &rc2) != DNS_ACCEPT ||
	    !dns_question_equal(&q.q, &back.q) || back.edns_do != q.edns_do)
		abort();
	(void)dns_build_query(&q, 1, 0, out, size % 64);
}

static void
fuzz_answer(const uint8_t *data, size_t size)
{
	struct dns_query	 q;
	struct dns_question	 aq;
	struct dns_answer	 a;
	struct rrview		 first;
	size_t			 len, len2, maxlen, records;
	uint32_t		 ttl;
	uint16_t		 id;

	if (dns_answer_peek(data, size, &id, &aq) == -1)
		return;
	/* let the answer's own ID pick the kind of client */
	memset(&q, 0, sizeof(q));
	q.id = (uint16_t)~id;
	q.flags = id & DNS_FLAG_RD;
	q.has_question = 1;
	q.q = aq;
	q.edns = id & 1;
	q.edns_do = (id & 2) != 0;
	q.edns_udp = q.edns ? 1232 : DNS_MINUDP;
	maxlen = (id & 4) ? DNS_MAXMSG : q.edns_udp;

	len = dns_client_answer(data, size, &q, maxlen, out, sizeof(out));
	/* the one walk and dns_answer_ttl() agree on how long it may live */
	if (dns_answer_parse(data, size, &q, &a) == 0 &&
	    (dns_answer_ttl(data, size, &ttl) == -1 ? 0 : ttl) != a.ttl)
		abort();
	if (len == 0)
		return;
	if (len > maxlen || len < DNS_HDRLEN)
		abort();
	/* a whole answer (not cut to TC=1 here) keeps every record as sent */
	records = DNS_HDRLEN + aq.qname_len + 4;
	if (!(out[2] & 0x02) || nth_record(out, len, records,
	    (unsigned int)(out[10] << 8 | out[11]), 0, &first) == 0)
		same_records(data, size, out, len, records);
	/* what we send a client must pass our own walk unchanged in size */
	len2 = dns_client_answer(out, len, &q, DNS_MAXMSG, again,
	    sizeof(again));
	if (len2 != len || memcmp(out, again, DNS_HDRLEN) != 0)
		abort();
	(void)dns_client_answer(data, size, &q, maxlen, out, size % 128);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	 name[64];
	size_t	 off;

	fuzz_query(data, size);
	fuzz_answer(data, size);
	off = size > DNS_HDRLEN ? DNS_HDRLEN : 0;
	dns_name_str(data + off, size - off, name, sizeof(name));
	if (strlen(name) >= sizeof(name))
		abort();
	return 0;
}
