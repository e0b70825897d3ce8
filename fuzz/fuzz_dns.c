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
 * reject ourselves is a crash too.
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
	size_t			 len, len2, maxlen;
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
	if (len == 0)
		return;
	if (len > maxlen || len < DNS_HDRLEN)
		abort();
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
