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
 * Unit tests of the DNS wire code: the cursor, the query checks, and the
 * rewrites, on packets built by hand (dnsbuild.h) so every byte is known.
 */

#include <stdint.h>
#include <string.h>

#include "dns.h"
#include "dnsbuild.h"
#include "test.h"

#define RCODE_BADVERS	16
#define TYPE_A		1
#define TYPE_TXT	16
#define TYPE_TSIG	250
#define CLASS_CH	3
#define OPT_DO		0x8000
#define OPT_EDE		15

/* an A record whose owner is a pointer to the question name */
static void
rr_a(struct pkt *p, uint32_t addr)
{
	const uint8_t	 rdata[4] = {
		(uint8_t)(addr >> 24), (uint8_t)(addr >> 16),
		(uint8_t)(addr >> 8), (uint8_t)addr,
	};

	(void)put_rr(p, TYPE_A, 300, rdata, sizeof(rdata));
}

static void
plain_query(struct pkt *p, unsigned int id, const char *name,
    unsigned int type)
{
	header(p, id, DNS_FLAG_RD, 1, 0, 0, 0);
	question(p, name, type, DNS_CLASS_IN);
}

static void
edns_query(struct pkt *p, unsigned int id, const char *name, unsigned int udp,
    uint32_t ttl)
{
	header(p, id, DNS_FLAG_RD, 1, 0, 0, 1);
	question(p, name, TYPE_A, DNS_CLASS_IN);
	opt(p, udp, ttl, NULL, 0);
}

static enum dns_verdict
parse(const struct pkt *p, struct dns_query *q, int *rcode)
{
	return dns_query_parse(p->b, p->len, q, rcode);
}

/* a query that must be answered with the given rcode */
static int
rejected(const struct pkt *p, int want)
{
	struct dns_query	 q;
	int			 rcode;

	return parse(p, &q, &rcode) == DNS_REJECT && rcode == want;
}

static void
accepted_query(const char *name, struct dns_query *q)
{
	struct pkt	 p;
	int		 rcode;

	plain_query(&p, 0x1234, name, TYPE_A);
	CHECK(parse(&p, q, &rcode) == DNS_ACCEPT);
}

/* upstream answer to name/A: header, question, n A records */
static void
answer_a(struct pkt *p, unsigned int id, const char *name, unsigned int n,
    unsigned int ar)
{
	unsigned int	 i;

	header(p, id, DNS_FLAG_QR | DNS_FLAG_RD | DNS_FLAG_RA, 1, n, 0, ar);
	question(p, name, TYPE_A, DNS_CLASS_IN);
	for (i = 0; i < n; i++)
		rr_a(p, 0xc0000200 + i);
}

/*
 * The cursor.
 */

static void
t_wire_sticky(void)
{
	const uint8_t	 b[] = { 1, 2, 3 };
	struct wire	 w;

	wire_init(&w, b, sizeof(b));
	CHECK(wire_u16(&w) == 0x0102);
	CHECK(wire_ok(&w) && wire_left(&w) == 1);
	CHECK(wire_u16(&w) == 0);
	CHECK(!wire_ok(&w));
	/* one byte is still there, but the error sticks */
	CHECK(wire_u8(&w) == 0);
	CHECK(wire_u32(&w) == 0);
	CHECK(wire_left(&w) == 0);
	wire_skip(&w, 0);
	CHECK(!wire_ok(&w));
}

static void
t_wire_bytes_zero_on_error(void)
{
	const uint8_t	 b[] = { 0xaa, 0xbb, 0xcc, 0xdd, 0xee };
	uint8_t		 out[4];
	struct wire	 w;

	wire_init(&w, b, sizeof(b));
	wire_bytes(&w, out, 4);
	CHECK(wire_ok(&w) && out[0] == 0xaa && out[3] == 0xdd);
	memset(out, 0x55, sizeof(out));
	wire_bytes(&w, out, 4);
	CHECK(!wire_ok(&w));
	CHECK(out[0] == 0 && out[1] == 0 && out[2] == 0 && out[3] == 0);
	CHECK(wire_u32(&(struct wire){ b, 4, 0, 0 }) == 0xaabbccdd);
}

static void
t_wire_skip_name(void)
{
	struct pkt	 p;
	struct wire	 w;
	size_t		 at;

	header(&p, 1, 0, 0, 0, 0, 0);
	putname(&p, "a.example");
	at = p.len;
	put8(&p, 3);
	putbytes(&p, "www", 3);
	put16(&p, PTR_QNAME);

	wire_init(&w, p.b, p.len);
	wire_skip(&w, at);
	wire_skip_name(&w);
	CHECK(wire_ok(&w) && wire_left(&w) == 0);

	/* a pointer into the header */
	p.b[p.len - 1] = 0x05;
	wire_init(&w, p.b, p.len);
	wire_skip(&w, at);
	wire_skip_name(&w);
	CHECK(!wire_ok(&w));

	/* a pointer to the name itself loops */
	p.b[p.len - 1] = (uint8_t)at;
	wire_init(&w, p.b, p.len);
	wire_skip(&w, at);
	wire_skip_name(&w);
	CHECK(!wire_ok(&w));

	/* reserved label types 0x40 and 0x80 */
	p.b[at] = 0x41;
	wire_init(&w, p.b, p.len);
	wire_skip(&w, at);
	wire_skip_name(&w);
	CHECK(!wire_ok(&w));
}

static void
t_wire_name(void)
{
	uint8_t		 name[DNS_MAXNAME], b[300];
	struct wire	 w;
	size_t		 len, i;

	wire_init(&w, (const uint8_t *)"\3foo\3bar\0", 9);
	wire_name(&w, name, &len);
	CHECK(wire_ok(&w) && len == 9 && memcmp(name, "\3foo\3bar", 9) == 0);

	wire_init(&w, (const uint8_t *)"\3foo\xc0\x0c", 6);
	wire_name(&w, name, &len);
	CHECK(!wire_ok(&w) && len == 0);

	/* 4 labels of 63 make a 257-byte name: one too many */
	for (i = 0; i < 256; i += 64) {
		b[i] = 63;
		memset(b + i + 1, 'x', 63);
	}
	b[256] = 0;
	wire_init(&w, b, 257);
	wire_name(&w, name, &len);
	CHECK(!wire_ok(&w));
	/* 3 labels of 63 and one of 61: exactly 255 */
	b[192] = 61;
	b[254] = 0;
	wire_init(&w, b, 255);
	wire_name(&w, name, &len);
	CHECK(wire_ok(&w) && len == 255);
}

/*
 * Query validation.
 */

static void
t_query_plain(void)
{
	struct pkt		 p;
	struct dns_query	 q;
	int			 rcode;

	plain_query(&p, 0xbeef, "Example.COM", TYPE_A);
	CHECK(parse(&p, &q, &rcode) == DNS_ACCEPT);
	CHECK(q.id == 0xbeef && q.flags == DNS_FLAG_RD);
	CHECK(q.has_question && !q.edns);
	CHECK(q.q.qname_len == 13 && memcmp(q.q.qname, "\7Example\3COM", 13) == 0);
	CHECK(q.q.qtype == TYPE_A && q.q.qclass == DNS_CLASS_IN);
}

static void
t_query_drop(void)
{
	struct pkt		 p;
	struct dns_query	 q;
	int			 rcode;

	plain_query(&p, 7, "example.com", TYPE_A);
	CHECK(dns_query_parse(p.b, 11, &q, &rcode) == DNS_DROP);
	CHECK(dns_query_parse(p.b, 0, &q, &rcode) == DNS_DROP);
	/* an answer is never answered */
	p.b[2] |= 0x80;
	CHECK(parse(&p, &q, &rcode) == DNS_DROP);
	/* a bare header is answerable */
	plain_query(&p, 7, "example.com", TYPE_A);
	CHECK(dns_query_parse(p.b, 12, &q, &rcode) == DNS_REJECT);
	CHECK(rcode == DNS_RCODE_FORMERR && q.id == 7 && !q.has_question);
}

static void
t_query_opcode(void)
{
	struct pkt		 p;
	struct dns_query	 q;
	int			 rcode;

	header(&p, 0x4242, 5 << 11 | DNS_FLAG_RD, 1, 0, 0, 0);	/* UPDATE */
	question(&p, "example.com", DNS_TYPE_SOA, DNS_CLASS_IN);
	CHECK(parse(&p, &q, &rcode) == DNS_REJECT);
	CHECK(rcode == DNS_RCODE_NOTIMPL);
	CHECK(q.id == 0x4242 && DNS_OPCODE(q.flags) == 5);
}

static void
t_query_counts(void)
{
	struct pkt	 p;

	header(&p, 1, 0, 0, 0, 0, 0);
	CHECK(rejected(&p, DNS_RCODE_FORMERR));
	header(&p, 1, 0, 2, 0, 0, 0);
	question(&p, "a.example", TYPE_A, DNS_CLASS_IN);
	question(&p, "b.example", TYPE_A, DNS_CLASS_IN);
	CHECK(rejected(&p, DNS_RCODE_FORMERR));
	header(&p, 1, 0, 1, 1, 0, 0);
	question(&p, "a.example", TYPE_A, DNS_CLASS_IN);
	rr_a(&p, 1);
	CHECK(rejected(&p, DNS_RCODE_FORMERR));
	p.b[7] = 0;
	p.b[9] = 1;	/* the same record as authority */
	CHECK(rejected(&p, DNS_RCODE_FORMERR));
}

static void
t_query_compressed_name(void)
{
	struct pkt		 p;
	struct dns_query	 q;
	int			 rcode;

	header(&p, 1, 0, 1, 0, 0, 0);
	put8(&p, 1);
	put8(&p, 'a');
	put16(&p, PTR_QNAME);
	put16(&p, TYPE_A);
	put16(&p, DNS_CLASS_IN);
	CHECK(parse(&p, &q, &rcode) == DNS_REJECT);
	CHECK(rcode == DNS_RCODE_FORMERR && !q.has_question);
}

static void
t_query_bad_names(void)
{
	struct pkt	 p;
	char		 label[65], name[300];
	int		 i;

	/* a label of 64 */
	memset(label, 'x', 64);
	label[64] = '\0';
	plain_query(&p, 1, label, TYPE_A);
	CHECK(rejected(&p, DNS_RCODE_FORMERR));
	/* 5 labels of 50: 256 bytes in wire form */
	memset(name, 'y', 254);
	for (i = 1; i < 5; i++)
		name[i * 51 - 1] = '.';
	name[254] = '\0';
	plain_query(&p, 1, name, TYPE_A);
	CHECK(rejected(&p, DNS_RCODE_FORMERR));
	/* one less byte fits */
	name[strlen(name) - 1] = '\0';
	plain_query(&p, 1, name, TYPE_A);
	CHECK(!rejected(&p, DNS_RCODE_FORMERR));
}

static void
t_query_truncated(void)
{
	struct pkt		 p;
	struct dns_query	 q;
	int			 rcode;
	size_t			 len;

	plain_query(&p, 1, "example.com", TYPE_A);
	for (len = 13; len < p.len; len++) {
		CHECK(dns_query_parse(p.b, len, &q, &rcode) == DNS_REJECT);
		CHECK(rcode == DNS_RCODE_FORMERR && !q.has_question);
	}
}

static void
t_query_refused(void)
{
	struct pkt		 p;
	struct dns_query	 q;
	int			 rcode;

	header(&p, 1, 0, 1, 0, 0, 0);
	question(&p, "version.bind", TYPE_TXT, CLASS_CH);
	CHECK(parse(&p, &q, &rcode) == DNS_REJECT);
	CHECK(rcode == DNS_RCODE_REFUSED && q.has_question);
	CHECK(q.q.qclass == CLASS_CH);
	plain_query(&p, 1, "example.com", DNS_TYPE_AXFR);
	CHECK(rejected(&p, DNS_RCODE_REFUSED));
	plain_query(&p, 1, "example.com", DNS_TYPE_IXFR);
	CHECK(rejected(&p, DNS_RCODE_REFUSED));
}

static void
t_query_qtype_opt(void)
{
	struct pkt	 p;

	plain_query(&p, 1, "example.com", DNS_TYPE_OPT);
	CHECK(rejected(&p, DNS_RCODE_FORMERR));
}

static void
t_query_trailing(void)
{
	struct pkt	 p;

	plain_query(&p, 1, "example.com", TYPE_A);
	put8(&p, 0);
	CHECK(rejected(&p, DNS_RCODE_FORMERR));
	edns_query(&p, 1, "example.com", 1232, 0);
	put16(&p, 0);
	CHECK(rejected(&p, DNS_RCODE_FORMERR));
}

static void
t_query_additional(void)
{
	struct pkt		 p;
	struct dns_query	 q;
	int			 rcode;

	/* two OPT records */
	header(&p, 1, 0, 1, 0, 0, 2);
	question(&p, "example.com", TYPE_A, DNS_CLASS_IN);
	opt(&p, 1232, 0, NULL, 0);
	opt(&p, 1232, 0, NULL, 0);
	CHECK(rejected(&p, DNS_RCODE_FORMERR));
	/* OPT owned by a name other than the root */
	header(&p, 1, 0, 1, 0, 0, 1);
	question(&p, "example.com", TYPE_A, DNS_CLASS_IN);
	put16(&p, PTR_QNAME);
	put16(&p, DNS_TYPE_OPT);
	put16(&p, 1232);
	put32(&p, 0);
	put16(&p, 0);
	CHECK(rejected(&p, DNS_RCODE_FORMERR));
	/* a TSIG: we hold no keys */
	header(&p, 1, 0, 1, 0, 0, 1);
	question(&p, "example.com", TYPE_A, DNS_CLASS_IN);
	putname(&p, "key");
	put16(&p, TYPE_TSIG);
	put16(&p, 255);
	put32(&p, 0);
	put16(&p, 0);
	CHECK(rejected(&p, DNS_RCODE_FORMERR));
	/* ARCOUNT promising a record that is not there */
	plain_query(&p, 1, "example.com", TYPE_A);
	p.b[11] = 1;
	CHECK(parse(&p, &q, &rcode) == DNS_REJECT);
	CHECK(rcode == DNS_RCODE_FORMERR && q.has_question);
	/* an option overrunning the OPT RDATA */
	header(&p, 1, 0, 1, 0, 0, 1);
	question(&p, "example.com", TYPE_A, DNS_CLASS_IN);
	opt(&p, 1232, 0, "\0\x0c\0\x09\0\0\0\0", 8);
	CHECK(rejected(&p, DNS_RCODE_FORMERR));
}

static void
t_query_edns(void)
{
	struct pkt		 p;
	struct dns_query	 q;
	int			 rcode;

	edns_query(&p, 9, "example.com", 4096, OPT_DO);
	CHECK(parse(&p, &q, &rcode) == DNS_ACCEPT);
	CHECK(q.edns && q.edns_udp == 4096 && q.edns_do && q.edns_version == 0);
	edns_query(&p, 9, "example.com", 100, 0);
	CHECK(parse(&p, &q, &rcode) == DNS_ACCEPT);
	CHECK(q.edns && q.edns_udp == DNS_MINUDP && !q.edns_do);
	/* options are allowed, and not kept */
	header(&p, 1, 0, 1, 0, 0, 1);
	question(&p, "example.com", TYPE_A, DNS_CLASS_IN);
	opt(&p, 1232, 0, "\0\x0a\0\x08" "abcdefgh", 12);
	CHECK(parse(&p, &q, &rcode) == DNS_ACCEPT && q.edns);
}

static void
t_query_badvers(void)
{
	struct pkt		 p;
	struct dns_query	 q;
	int			 rcode;

	edns_query(&p, 9, "example.com", 1232, 1 << 16 | OPT_DO);
	CHECK(parse(&p, &q, &rcode) == DNS_REJECT);
	CHECK(rcode == RCODE_BADVERS && q.edns && q.edns_version == 1);
	CHECK(q.has_question && q.edns_do);
}

/*
 * Error answers.
 */

static void
t_error_formerr_bytes(void)
{
	const uint8_t		 want[] = {
		0xab, 0xcd, 0x81, 0x91, 0, 1, 0, 0, 0, 0, 0, 0,
		1, 'a', 2, 'b', 'C', 0, 0, 16, 0, 3,
	};
	struct pkt		 p;
	struct dns_query	 q;
	uint8_t			 out[512];
	int			 rcode;

	header(&p, 0xabcd, DNS_FLAG_RD | DNS_FLAG_CD | DNS_FLAG_AD, 1, 0, 0,
	    0);
	question(&p, "a.bC", TYPE_TXT, CLASS_CH);
	put8(&p, 0xff);
	CHECK(parse(&p, &q, &rcode) == DNS_REJECT);
	CHECK(rcode == DNS_RCODE_FORMERR);
	CHECK(dns_error_answer(&q, rcode, out, sizeof(out)) == sizeof(want));
	CHECK(memcmp(out, want, sizeof(want)) == 0);
	/* one byte short */
	CHECK(dns_error_answer(&q, rcode, out, sizeof(want) - 1) == 0);
}

static void
t_error_no_question(void)
{
	const uint8_t		 want[] = {
		0x11, 0x22, 0xa0, 0x84, 0, 0, 0, 0, 0, 0, 0, 0,
	};
	struct pkt		 p;
	struct dns_query	 q;
	uint8_t			 out[512];
	int			 rcode;

	header(&p, 0x1122, 4 << 11, 1, 0, 0, 0);	/* NOTIFY */
	question(&p, "example.com", DNS_TYPE_SOA, DNS_CLASS_IN);
	CHECK(parse(&p, &q, &rcode) == DNS_REJECT);
	CHECK(dns_error_answer(&q, rcode, out, sizeof(out)) == sizeof(want));
	CHECK(memcmp(out, want, sizeof(want)) == 0);
}

static void
t_error_badvers_bytes(void)
{
	const uint8_t		 want[] = {
		0, 9, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 1,
		1, 'x', 0, 0, 1, 0, 1,
		0, 0, 41, 0x04, 0xd0, 1, 0, 0x80, 0, 0, 0,
	};
	struct pkt		 p;
	struct dns_query	 q;
	uint8_t			 out[512];
	int			 rcode;

	edns_query(&p, 9, "x", 4096, 2 << 16 | OPT_DO);
	CHECK(parse(&p, &q, &rcode) == DNS_REJECT);
	CHECK(rcode == RCODE_BADVERS);
	CHECK(dns_error_answer(&q, rcode, out, sizeof(out)) == sizeof(want));
	CHECK(memcmp(out, want, sizeof(want)) == 0);
}

/*
 * Upstream queries.
 */

static void
t_build_query_bytes(void)
{
	const uint8_t		 want[] = {
		0x77, 0x88, 0x01, 0x30, 0, 1, 0, 0, 0, 0, 0, 1,
		1, 'A', 0, 0, 1, 0, 1,
		0, 0, 41, 0x04, 0xd0, 0, 0, 0x80, 0, 0, 0,
	};
	struct pkt		 p;
	struct dns_query	 q;
	uint8_t			 out[512];
	int			 rcode;

	/* AA, TC and the Z bit are the client's business, not upstream's */
	header(&p, 1, DNS_FLAG_RD | DNS_FLAG_CD | DNS_FLAG_AD | DNS_FLAG_AA |
	    DNS_FLAG_TC | 0x40, 1, 0, 0, 1);
	question(&p, "A", TYPE_A, DNS_CLASS_IN);
	opt(&p, 4096, OPT_DO, "\0\x0a\0\x08" "abcdefgh", 12);
	CHECK(parse(&p, &q, &rcode) == DNS_ACCEPT);
	CHECK(dns_build_query(&q, 0x7788, 0, out, sizeof(out)) == sizeof(want));
	CHECK(memcmp(out, want, sizeof(want)) == 0);
	CHECK(dns_build_query(&q, 0x7788, 0, out, sizeof(want) - 1) == 0);
}

static void
t_build_query_padding(void)
{
	const char		*names[] = {
		"a", "example.com", "www.example.com",
		"a-rather-long-label-for-a-test.with.several.labels.example.org",
		"012345678901234567890123456789012345678901234567890123456789"
		".012345678901234567890123456789012345678901234567890123456789"
		".x",
	};
	struct dns_query	 q;
	uint8_t			 out[1024];
	size_t			 i, len, optat;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		accepted_query(names[i], &q);
		len = dns_build_query(&q, 1, DNS_PAD_BLOCK, out, sizeof(out));
		CHECK(len > 0 && len % DNS_PAD_BLOCK == 0);
		optat = DNS_HDRLEN + q.q.qname_len + 4;
		CHECK(get16(out, optat + 1) == DNS_TYPE_OPT);
		CHECK(get16(out, optat + 9) == len - optat - 11);
		CHECK(get16(out, optat + 11) == DNS_OPT_PADDING);
		CHECK(get16(out, optat + 13) == len - optat - 15);
		CHECK(out[len - 1] == 0);
		/* the upstream query must itself pass our own checks */
		{
			struct dns_query	 back;
			int			 rcode;

			CHECK(dns_query_parse(out, len, &back, &rcode) ==
			    DNS_ACCEPT && back.edns);
		}
	}
	/* a 468-byte block, as RFC 8467 suggests for responses */
	accepted_query("example.com", &q);
	len = dns_build_query(&q, 1, 468, out, sizeof(out));
	CHECK(len == 468);
	CHECK(dns_build_query(&q, 1, 468, out, 467) == 0);
}

static void
t_build_upstream_query(void)
{
	struct dns_query	 q, back;
	uint8_t			 out[1024];
	size_t			 len, optat;
	int			 rcode;

	accepted_query("example.com", &q);
	len = dns_build_upstream_query(&q, 7, out, sizeof(out));
	CHECK(len > 0 && len % DNS_PAD_BLOCK == 0);
	optat = DNS_HDRLEN + q.q.qname_len + 4;
	/* an empty keepalive option first, then the padding */
	CHECK(get16(out, optat + 11) == DNS_OPT_KEEPALIVE);
	CHECK(get16(out, optat + 13) == 0);
	CHECK(get16(out, optat + 15) == DNS_OPT_PADDING);
	CHECK(get16(out, optat + 17) == len - optat - 19);
	CHECK(dns_query_parse(out, len, &back, &rcode) == DNS_ACCEPT);
}

static void
t_answer_keepalive(void)
{
	struct pkt	 p;
	uint32_t	 ms = 0;

	header(&p, 1, DNS_FLAG_QR, 1, 1, 0, 1);
	question(&p, "a", TYPE_A, DNS_CLASS_IN);
	put_rr(&p, TYPE_A, 60, "\xc0\0\2\1", 4);
	opt(&p, 1232, 0, "\0\x0c\0\x02\0\0" "\0\x0b\0\x02\0\x64", 12);
	CHECK(dns_answer_keepalive(p.b, p.len, &ms) == 1 && ms == 10000);

	header(&p, 1, DNS_FLAG_QR, 1, 1, 0, 1);
	question(&p, "a", TYPE_A, DNS_CLASS_IN);
	put_rr(&p, TYPE_A, 60, "\xc0\0\2\1", 4);
	opt(&p, 1232, 0, "\0\x0b\0\x00", 4);	/* empty: no value */
	CHECK(dns_answer_keepalive(p.b, p.len, &ms) == 0);

	/* an option running past its record */
	header(&p, 1, DNS_FLAG_QR, 1, 0, 0, 1);
	question(&p, "a", TYPE_A, DNS_CLASS_IN);
	opt(&p, 1232, 0, "\0\x0b\0\x09\0", 5);
	CHECK(dns_answer_keepalive(p.b, p.len, &ms) == -1);
	CHECK(dns_answer_keepalive(p.b, 5, &ms) == -1);
}

static void
t_question_equal(void)
{
	struct dns_query	 a, b;

	accepted_query("wWw.ExAmPlE.cOm", &a);
	accepted_query("WWW.example.COM", &b);
	CHECK(dns_question_equal(&a.q, &b.q));
	b.q.qtype = DNS_TYPE_SOA;
	CHECK(!dns_question_equal(&a.q, &b.q));
	accepted_query("www.example.co", &b);
	CHECK(!dns_question_equal(&a.q, &b.q));
	accepted_query("www.examplf.com", &b);
	CHECK(!dns_question_equal(&a.q, &b.q));
	/* same bytes but for label lengths in other places */
	accepted_query("ww.wexample.com", &b);
	CHECK(!dns_question_equal(&a.q, &b.q));
	accepted_query("www.example.com", &b);
	b.q.qclass = CLASS_CH;
	CHECK(!dns_question_equal(&a.q, &b.q));
}

static void
t_query_key(void)
{
	struct dns_query	 a, b;
	uint8_t			 ka[DNS_KEY_MAX], kb[DNS_KEY_MAX];
	size_t			 la, lb;

	accepted_query("wWw.ExAmPlE.cOm", &a);
	accepted_query("WWW.example.COM", &b);
	la = dns_query_key(&a, DNS_KEY_UPSTREAM, ka);
	lb = dns_query_key(&b, DNS_KEY_UPSTREAM, kb);
	CHECK(la == 17 + 5 && la == lb && memcmp(ka, kb, la) == 0);
	CHECK(memcmp(ka, "\3www\7example\3com\0\0\1\0\1", 21) == 0);
	CHECK(ka[21] == DNS_KEY_RD);
	/* each bit apart, when asked for */
	b.flags &= (uint16_t)~DNS_FLAG_RD;
	lb = dns_query_key(&b, DNS_KEY_UPSTREAM, kb);
	CHECK(lb == la && memcmp(ka, kb, la) != 0);
	lb = dns_query_key(&b, DNS_KEY_DO | DNS_KEY_CD, kb);
	la = dns_query_key(&a, DNS_KEY_DO | DNS_KEY_CD, ka);
	CHECK(lb == la && memcmp(ka, kb, la) == 0);
	b = a;
	b.flags |= DNS_FLAG_AD;
	la = dns_query_key(&a, DNS_KEY_UPSTREAM, ka);
	CHECK(dns_query_key(&b, DNS_KEY_UPSTREAM, kb) == la &&
	    kb[la - 1] == (DNS_KEY_RD | DNS_KEY_AD));
	CHECK(dns_query_key(&b, DNS_KEY_DO | DNS_KEY_CD | DNS_KEY_RD, kb) ==
	    la && memcmp(ka, kb, la) == 0);
	b = a;
	b.flags |= DNS_FLAG_CD;
	b.edns_do = 1;
	CHECK(dns_query_key(&b, DNS_KEY_UPSTREAM, kb) == la &&
	    kb[la - 1] == (DNS_KEY_RD | DNS_KEY_CD | DNS_KEY_DO));
	/* type and class are part of it */
	b = a;
	b.q.qtype = DNS_TYPE_SOA;
	CHECK(dns_query_key(&b, DNS_KEY_UPSTREAM, kb) == la &&
	    memcmp(ka, kb, la) != 0);
	/* no name, no key */
	b.q.qname_len = 0;
	CHECK(dns_query_key(&b, DNS_KEY_UPSTREAM, kb) == 0);
	b = a;
	b.q.qname[0] = 40;	/* a label running past the name */
	CHECK(dns_query_key(&b, DNS_KEY_UPSTREAM, kb) == 0);
}

static void
t_answer_peek(void)
{
	struct pkt		 p;
	struct dns_question	 q;
	uint16_t		 id;

	answer_a(&p, 0x5151, "example.com", 1, 0);
	CHECK(dns_answer_peek(p.b, p.len, &id, &q) == 0);
	CHECK(id == 0x5151 && q.qname_len == 13 && q.qtype == TYPE_A);
	CHECK(dns_answer_peek(p.b, 11, &id, &q) == -1);
	CHECK(dns_answer_peek(p.b, 20, &id, &q) == -1);
	p.b[2] &= 0x7f;
	CHECK(dns_answer_peek(p.b, p.len, &id, &q) == -1);
	answer_a(&p, 0x5151, "example.com", 1, 0);
	p.b[5] = 2;
	CHECK(dns_answer_peek(p.b, p.len, &id, &q) == -1);
}

/*
 * Answers for clients.
 */

static void
t_answer_restores_id_and_case(void)
{
	struct pkt		 p;
	struct dns_query	 q;
	uint8_t			 out[512];
	size_t			 len;

	accepted_query("wWw.ExAmPlE.cOm", &q);
	q.flags = 0;	/* a client that did not ask for recursion */
	answer_a(&p, 0x9999, "www.example.com", 2, 0);
	p.b[2] |= 0x04;		/* AA */
	p.b[3] |= 0x40 | 3;	/* Z, NXDOMAIN */
	len = dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out));
	CHECK(len == p.len);
	CHECK(get16(out, 0) == 0x1234);
	CHECK(get16(out, 2) == (DNS_FLAG_QR | DNS_FLAG_AA | DNS_FLAG_RA | 3));
	CHECK(memcmp(out + 4, p.b + 4, 8) == 0);
	CHECK(memcmp(out + 12, "\3wWw\7ExAmPlE\3cOm", 17) == 0);
	CHECK(memcmp(out + 29, p.b + 29, len - 29) == 0);
}

static void
t_answer_opt_dropped_for_plain_client(void)
{
	struct pkt		 p;
	struct dns_query	 q;
	uint8_t			 out[512];
	size_t			 len, plain;

	accepted_query("example.com", &q);
	answer_a(&p, 1, "example.com", 1, 1);
	plain = p.len;
	opt(&p, 1232, OPT_DO, "\0\x0c\0\x04\0\0\0\0", 8);
	len = dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out));
	CHECK(len == plain);
	CHECK(get16(out, 10) == 0);
	CHECK(memcmp(out + 12, p.b + 12, len - 12) == 0);
}

static void
t_answer_opt_rewritten_for_edns_client(void)
{
	const uint8_t		 options[] = {
		0, 12, 0, 3, 0, 0, 0,			/* padding */
		0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8,	/* cookie */
		0, 15, 0, 2, 0, 18,			/* extended error */
		0, 11, 0, 2, 0, 100,			/* keepalive */
	};
	const uint8_t		 want_opt[] = {
		0, 0, 41, 0x04, 0xd0, 0, 0, 0x80, 0, 0, 6, 0, 15, 0, 2, 0, 18,
	};
	struct pkt		 p;
	struct dns_query	 q;
	uint8_t			 out[1024];
	size_t			 len, plain;
	int			 rcode;

	edns_query(&p, 0x4444, "example.com", 4096, OPT_DO);
	CHECK(parse(&p, &q, &rcode) == DNS_ACCEPT);
	answer_a(&p, 1, "example.com", 1, 1);
	plain = p.len;
	opt(&p, 4096, OPT_DO | 0x1234, options, sizeof(options));
	len = dns_client_answer(p.b, p.len, &q, q.edns_udp, out, sizeof(out));
	CHECK(len == plain + sizeof(want_opt));
	CHECK(get16(out, 0) == 0x4444 && get16(out, 10) == 1);
	CHECK(memcmp(out + 12, p.b + 12, plain - 12) == 0);
	CHECK(memcmp(out + plain, want_opt, sizeof(want_opt)) == 0);
}

static void
t_answer_opt_added_for_edns_client(void)
{
	const uint8_t		 want_opt[] = {
		0, 0, 41, 0x04, 0xd0, 0, 0, 0x80, 0, 0, 0,
	};
	struct pkt		 p;
	struct dns_query	 q;
	uint8_t			 out[512];
	size_t			 len;
	int			 rcode;

	edns_query(&p, 2, "example.com", 1232, OPT_DO);
	CHECK(parse(&p, &q, &rcode) == DNS_ACCEPT);
	answer_a(&p, 1, "example.com", 1, 0);
	len = dns_client_answer(p.b, p.len, &q, 1232, out, sizeof(out));
	CHECK(len == p.len + sizeof(want_opt));
	CHECK(get16(out, 10) == 1);
	CHECK(memcmp(out + p.len, want_opt, sizeof(want_opt)) == 0);
}

static void
t_answer_extended_rcode(void)
{
	struct pkt		 p;
	struct dns_query	 q;
	uint8_t			 out[512];
	size_t			 len;
	int			 rcode;

	/* BADCOOKIE (23): rcode 7 in the header, 1 in the OPT */
	answer_a(&p, 1, "example.com", 0, 1);
	p.b[3] |= 7;
	opt(&p, 1232, 1U << 24, NULL, 0);
	accepted_query("example.com", &q);
	CHECK(dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out)) == 0);
	edns_query(&p, 1, "example.com", 1232, 0);
	CHECK(parse(&p, &q, &rcode) == DNS_ACCEPT);
	answer_a(&p, 1, "example.com", 0, 1);
	p.b[3] |= 7;
	opt(&p, 1232, 1U << 24, NULL, 0);
	len = dns_client_answer(p.b, p.len, &q, 1232, out, sizeof(out));
	CHECK(len == p.len && DNS_RCODE(get16(out, 2)) == 7);
	CHECK(get32(out, len - 6) == 1U << 24);
}

static void
t_answer_truncated_plain(void)
{
	struct pkt		 p;
	struct dns_query	 q;
	uint8_t			 out[4096];
	size_t			 len;

	accepted_query("example.com", &q);
	answer_a(&p, 1, "example.com", 40, 0);
	CHECK(p.len > 512);
	len = dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out));
	CHECK(len == DNS_HDRLEN + 13 + 4);
	CHECK(get16(out, 2) & DNS_FLAG_TC);
	CHECK(get16(out, 4) == 1 && get16(out, 6) == 0);
	CHECK(get16(out, 8) == 0 && get16(out, 10) == 0);
	/* over TCP the same answer fits */
	len = dns_client_answer(p.b, p.len, &q, DNS_MAXMSG, out, sizeof(out));
	CHECK(len == p.len && !(get16(out, 2) & DNS_FLAG_TC));
	/* a caller buffer smaller than the limit truncates too */
	len = dns_client_answer(p.b, p.len, &q, DNS_MAXMSG, out, 600);
	CHECK(len == DNS_HDRLEN + 13 + 4 && (get16(out, 2) & DNS_FLAG_TC));
	/* but not even a header fits: nothing */
	CHECK(dns_client_answer(p.b, p.len, &q, 512, out, 20) == 0);
}

static void
t_answer_truncated_edns(void)
{
	struct pkt		 p;
	struct dns_query	 q;
	uint8_t			 out[4096];
	size_t			 len;
	int			 rcode;

	edns_query(&p, 3, "example.com", 1232, OPT_DO);
	CHECK(parse(&p, &q, &rcode) == DNS_ACCEPT);
	answer_a(&p, 1, "example.com", 90, 1);
	opt(&p, 1232, OPT_DO, "\0\x0c\0\x02\0\0", 6);
	CHECK(p.len > 1232);
	len = dns_client_answer(p.b, p.len, &q, q.edns_udp, out, sizeof(out));
	CHECK(len == DNS_HDRLEN + 13 + 4 + 11);
	CHECK(get16(out, 0) == 3 && (get16(out, 2) & DNS_FLAG_TC));
	CHECK(get16(out, 6) == 0 && get16(out, 8) == 0);
	CHECK(get16(out, 10) == 1);
	CHECK(get16(out, len - 10) == DNS_TYPE_OPT && get16(out, len - 2) == 0);
	CHECK(get32(out, len - 6) == OPT_DO);
	/* a bigger client buffer takes it whole, padding removed */
	len = dns_client_answer(p.b, p.len, &q, 4096, out, sizeof(out));
	CHECK(len == p.len - 6 && !(get16(out, 2) & DNS_FLAG_TC));
}

static void
t_answer_other_question(void)
{
	struct pkt		 p;
	struct dns_query	 q;
	uint8_t			 out[512];

	accepted_query("example.com", &q);
	answer_a(&p, 1, "example.org", 1, 0);
	CHECK(dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out)) == 0);
	answer_a(&p, 1, "example.com", 1, 0);
	p.b[26] = 28;	/* AAAA */
	CHECK(dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out)) == 0);
	answer_a(&p, 1, "example.com", 1, 0);
	p.b[2] &= 0x7f;	/* a query, not an answer */
	CHECK(dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out)) == 0);
}

static void
t_answer_bad_pointers(void)
{
	struct pkt		 p;
	struct dns_query	 q;
	uint8_t			 out[512];
	size_t			 at;

	accepted_query("example.com", &q);
	answer_a(&p, 1, "example.com", 2, 0);
	CHECK(dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out)) > 0);
	at = p.len - 16;	/* the second record's owner */
	/* pointing at itself: a loop */
	p.b[at + 1] = (uint8_t)at;
	CHECK(dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out)) == 0);
	/* pointing forward */
	p.b[at + 1] = (uint8_t)(at + 4);
	CHECK(dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out)) == 0);
	/* pointing into the header */
	p.b[at + 1] = 2;
	CHECK(dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out)) == 0);
	/* pointing back at the first record: fine */
	p.b[at + 1] = (uint8_t)(at - 16);
	CHECK(dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out)) > 0);
}

static void
t_answer_truncated_rr(void)
{
	struct pkt		 p;
	struct dns_query	 q;
	uint8_t			 out[512];
	size_t			 len;

	accepted_query("example.com", &q);
	answer_a(&p, 1, "example.com", 2, 0);
	for (len = DNS_HDRLEN; len < p.len; len++)
		CHECK(dns_client_answer(p.b, len, &q, 512, out,
		    sizeof(out)) == 0);
	/* an RDLENGTH running past the end */
	p.b[p.len - 5] = 5;
	CHECK(dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out)) == 0);
	/* more records promised than sent */
	answer_a(&p, 1, "example.com", 2, 0);
	p.b[7] = 3;
	CHECK(dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out)) == 0);
}

static void
t_answer_trailing(void)
{
	struct pkt		 p;
	struct dns_query	 q;
	uint8_t			 out[512];

	accepted_query("example.com", &q);
	answer_a(&p, 1, "example.com", 1, 0);
	put8(&p, 0);
	CHECK(dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out)) == 0);
}

static void
t_answer_bad_opt(void)
{
	struct pkt		 p;
	struct dns_query	 q;
	uint8_t			 out[512];

	accepted_query("example.com", &q);
	/* two OPT records */
	answer_a(&p, 1, "example.com", 0, 2);
	opt(&p, 1232, 0, NULL, 0);
	opt(&p, 1232, 0, NULL, 0);
	CHECK(dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out)) == 0);
	/* an OPT in the answer section */
	answer_a(&p, 1, "example.com", 0, 0);
	p.b[7] = 1;
	opt(&p, 1232, 0, NULL, 0);
	CHECK(dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out)) == 0);
	/* an option overrunning the RDATA */
	answer_a(&p, 1, "example.com", 0, 1);
	opt(&p, 1232, 0, "\0\x0f\0\x05\0\0", 6);
	CHECK(dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out)) == 0);
}

static void
t_answer_opt_not_last(void)
{
	struct pkt		 p;
	struct dns_query	 q;
	uint8_t			 out[512];
	size_t			 len, optat, after;

	accepted_query("example.com", &q);
	/* OPT, then a record pointing back before it: safe to move */
	answer_a(&p, 1, "example.com", 1, 2);
	optat = p.len;
	opt(&p, 1232, 0, "\0\x0c\0\x01\0", 5);
	after = p.len;
	rr_a(&p, 7);
	len = dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out));
	CHECK(len == optat + 16);
	CHECK(get16(out, 10) == 1);
	CHECK(memcmp(out + optat, p.b + after, 16) == 0);

	/* a record naming the one after the OPT would dangle */
	answer_a(&p, 1, "example.com", 0, 3);
	opt(&p, 1232, 0, NULL, 0);
	after = p.len;
	putname(&p, "ns.example.com");
	put16(&p, TYPE_A);
	put16(&p, DNS_CLASS_IN);
	put32(&p, 300);
	put16(&p, 4);
	put32(&p, 1);
	put16(&p, 0xc000 | (unsigned int)after);
	put16(&p, 28);
	put16(&p, DNS_CLASS_IN);
	put32(&p, 300);
	put16(&p, 16);
	putbytes(&p, "0123456789abcdef", 16);
	CHECK(dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out)) == 0);
}

static void
t_answer_rdata_names_kept(void)
{
	struct pkt		 p;
	struct dns_query	 q;
	uint8_t			 out[512];
	size_t			 len;

	/* a CNAME chain with compressed RDATA comes through untouched */
	accepted_query("Www.Example.Com", &q);
	header(&p, 1, DNS_FLAG_QR | DNS_FLAG_RA, 1, 2, 0, 0);
	question(&p, "www.example.com", TYPE_A, DNS_CLASS_IN);
	put16(&p, PTR_QNAME);
	put16(&p, 5);
	put16(&p, DNS_CLASS_IN);
	put32(&p, 60);
	put16(&p, 6);
	put8(&p, 3);
	putbytes(&p, "web", 3);
	put16(&p, 0xc000 | 16);		/* example.com */
	put16(&p, 0xc000 | 41);		/* web.example.com */
	put16(&p, TYPE_A);
	put16(&p, DNS_CLASS_IN);
	put32(&p, 60);
	put16(&p, 4);
	put32(&p, 0x7f000001);
	len = dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out));
	CHECK(len == p.len);
	CHECK(memcmp(out + 29, p.b + 29, len - 29) == 0);
	CHECK(memcmp(out + 12, "\3Www\7Example\3Com", 17) == 0);
}

/*
 * A 65535-byte answer without OPT: an EDNS client over TCP gets it whole
 * without our OPT (which would not fit), not a useless TC=1.
 */
static void
t_answer_tcp_max_without_opt(void)
{
	static struct pkt	 p, e;
	static uint8_t		 out[DNS_MAXMSG];
	static uint8_t		 txt[1494];
	struct dns_query	 q, plainq;
	size_t			 len;
	unsigned int		 i;
	int			 rcode;

	edns_query(&e, 0x4321, "example.com", 4096, 0);
	CHECK(parse(&e, &q, &rcode) == DNS_ACCEPT);
	accepted_query("example.com", &plainq);
	header(&p, 1, DNS_FLAG_QR | DNS_FLAG_RD | DNS_FLAG_RA, 1, 4001, 0, 0);
	question(&p, "example.com", TYPE_A, DNS_CLASS_IN);
	for (i = 0; i < 4000; i++)
		rr_a(&p, 0xc0000200 + i);
	memset(txt, 'x', sizeof(txt));
	for (i = 0; i < 6; i++)
		txt[i * 249] = 248;
	(void)put_rr(&p, TYPE_TXT, 300, txt, sizeof(txt));
	CHECK(p.len == DNS_MAXMSG);

	len = dns_client_answer(p.b, p.len, &q, DNS_MAXMSG, out, sizeof(out));
	CHECK(len == DNS_MAXMSG);
	CHECK(!(get16(out, 2) & DNS_FLAG_TC));
	CHECK(get16(out, 0) == 0x4321 && get16(out, 6) == 4001);
	CHECK(get16(out, 10) == 0);
	CHECK(memcmp(out + DNS_HDRLEN, p.b + DNS_HDRLEN, len - DNS_HDRLEN) ==
	    0);
	/* over UDP TC=1 still tells the client to come back over TCP */
	len = dns_client_answer(p.b, p.len, &q, 1232, out, sizeof(out));
	CHECK(len > 0 && len <= 1232 && (get16(out, 2) & DNS_FLAG_TC));
	CHECK(get16(out, 10) == 1);
	/* a client without EDNS never needed the OPT */
	len = dns_client_answer(p.b, p.len, &plainq, DNS_MAXMSG, out,
	    sizeof(out));
	CHECK(len == DNS_MAXMSG && !(get16(out, 2) & DNS_FLAG_TC));
	/* one byte less of it fits with our OPT, as before */
	p.b[7] = 0xa0;	/* ancount 4000: the TXT goes */
	len = dns_client_answer(p.b, p.len - 12 - sizeof(txt), &q,
	    DNS_MAXMSG, out, sizeof(out));
	CHECK(len == p.len - 12 - sizeof(txt) + 11 && get16(out, 10) == 1);
}

/* an answer with the OPT, then the record given, in the additional section */
static void
answer_opt_then(struct pkt *p, unsigned int type, const void *rdata,
    size_t rdlen)
{
	answer_a(p, 1, "example.com", 1, 2);
	opt(p, 1232, 0, NULL, 0);
	(void)put_rr(p, type, 300, rdata, rdlen);
}

/* records behind the OPT move: only those whose names are known may */
static void
t_answer_moved_opaque(void)
{
	struct pkt		 p;
	struct dns_query	 q;
	uint8_t			 out[512];

	accepted_query("example.com", &q);
	answer_opt_then(&p, TYPE_A, "\1\2\3\4", 4);
	CHECK(dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out)) > 0);
	answer_opt_then(&p, TYPE_TXT, "\3abc", 4);
	CHECK(dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out)) > 0);
	/* NS, its name pointing before the OPT */
	answer_opt_then(&p, 2, "\2ns\xc0\x0c", 5);
	CHECK(dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out)) > 0);
	/* a private type, and RRSIG: what they hold is not seen, so no move */
	answer_opt_then(&p, 65280, "\xc0\x0c\0\0", 4);
	CHECK(dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out)) == 0);
	answer_opt_then(&p, 46, "\xc0\x0c\0\0", 4);
	CHECK(dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out)) == 0);
	/* before the OPT, nothing of theirs moves: fine */
	header(&p, 1, DNS_FLAG_QR | DNS_FLAG_RA, 1, 1, 0, 1);
	question(&p, "example.com", TYPE_A, DNS_CLASS_IN);
	(void)put_rr(&p, 65280, 300, "\xc0\x0c\0\0", 4);
	opt(&p, 1232, 0, NULL, 0);
	CHECK(dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out)) > 0);
}

/*
 * A name may reach moved bytes through a chain of pointers that each
 * look fine alone: the second record's owner points back into the first
 * record's RDATA, which holds a pointer forward, past the OPT, to a name
 * that moves when the OPT goes. Every pointer must aim backwards.
 */
static void
t_answer_pointer_chain(void)
{
	struct pkt		 p;
	struct dns_query	 q;
	uint8_t			 out[512];
	size_t			 rdata1, opt_at, ns_at;

	accepted_query("example.com", &q);
	header(&p, 1, DNS_FLAG_QR | DNS_FLAG_RA, 1, 2, 0, 2);
	question(&p, "example.com", TYPE_A, DNS_CLASS_IN);
	rdata1 = p.len + 12;
	(void)put_rr(&p, TYPE_A, 300, "\xc0\x00\0\0", 4);
	put16(&p, 0xc000 | (unsigned int)rdata1);
	put16(&p, TYPE_A);
	put16(&p, DNS_CLASS_IN);
	put32(&p, 300);
	put16(&p, 4);
	put32(&p, 0x7f000001);
	opt_at = p.len;
	opt(&p, 1232, 0, NULL, 0);
	ns_at = p.len;
	putbytes(&p, "\2ns\xc0\x0c", 5);
	put16(&p, TYPE_A);
	put16(&p, DNS_CLASS_IN);
	put32(&p, 300);
	put16(&p, 4);
	put32(&p, 0x7f000002);
	p.b[rdata1 + 1] = (uint8_t)ns_at;
	CHECK(opt_at < ns_at);
	CHECK(dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out)) == 0);
	/* the same chain aimed backwards, at the question: fine */
	p.b[rdata1 + 1] = 12;
	CHECK(dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out)) > 0);
}

/*
 * The labels a pointer leads to must end before the name pointing there:
 * here the owner of a record points at a length byte whose label runs on
 * through the OPT record, whose bytes change when we rewrite it.
 */
static void
t_answer_label_into_opt(void)
{
	struct pkt		 p;
	struct dns_query	 q;
	uint8_t			 out[512];
	size_t			 label;
	int			 rcode;

	edns_query(&p, 0x1234, "example.com", 1232, 0);
	CHECK(parse(&p, &q, &rcode) == DNS_ACCEPT);
	header(&p, 1, DNS_FLAG_QR | DNS_FLAG_RA, 1, 1, 0, 2);
	question(&p, "example.com", TYPE_A, DNS_CLASS_IN);
	label = p.len + 12;
	(void)put_rr(&p, TYPE_TXT, 300, "\x14", 1);
	put16(&p, 0xc000 | (unsigned int)label);
	put16(&p, TYPE_TXT);
	put16(&p, DNS_CLASS_IN);
	put32(&p, 300);
	put16(&p, 0);
	opt(&p, 4096, 0, NULL, 0);
	/* the label ends at the OPT's last TTL byte, a 0: a root label */
	CHECK(label + 1 + 0x14 == p.len - 3 && p.b[p.len - 3] == 0);
	CHECK(dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out)) == 0);
	/* pointing at a whole name before it is fine */
	p.b[label] = 0;
	CHECK(dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out)) > 0);
}

/* names in the RDATA of known types obey the same rule as owners */
static void
t_answer_rdata_pointers(void)
{
	struct pkt		 p;
	struct dns_query	 q;
	uint8_t			 out[512];
	size_t			 cname;

	accepted_query("example.com", &q);
	header(&p, 1, DNS_FLAG_QR | DNS_FLAG_RA, 1, 2, 0, 0);
	question(&p, "example.com", TYPE_A, DNS_CLASS_IN);
	cname = p.len + 12;
	(void)put_rr(&p, 5, 300, "\xc0\x0c", 2);
	rr_a(&p, 0x7f000001);
	CHECK(dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out)) > 0);
	/* forward, at the next record's owner */
	p.b[cname + 1] = (uint8_t)(cname + 2);
	CHECK(dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out)) == 0);
	/* at itself */
	p.b[cname + 1] = (uint8_t)cname;
	CHECK(dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out)) == 0);
	/* a name running past its RDATA */
	header(&p, 1, DNS_FLAG_QR | DNS_FLAG_RA, 1, 1, 0, 0);
	question(&p, "example.com", TYPE_A, DNS_CLASS_IN);
	(void)put_rr(&p, 2, 300, "\3abc", 4);
	put8(&p, 0);
	p.b[7] = 1;
	CHECK(dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out)) == 0);
	/* MX and SRV: the name after the fixed fields */
	header(&p, 1, DNS_FLAG_QR | DNS_FLAG_RA, 1, 2, 0, 0);
	question(&p, "example.com", TYPE_A, DNS_CLASS_IN);
	(void)put_rr(&p, 15, 300, "\0\12\xc0\x0c", 4);
	(void)put_rr(&p, 33, 300, "\0\1\0\2\0\65\xc0\x0c", 8);
	CHECK(dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out)) > 0);
	p.b[p.len - 1] = 0xff;	/* SRV target past the end */
	CHECK(dns_client_answer(p.b, p.len, &q, 512, out, sizeof(out)) == 0);
}

/*
 * Answer TTLs.
 */

static const uint8_t	 addr4[4] = { 192, 0, 2, 1 };

/* a NOERROR answer: A records with the TTLs given, NS, glue and OPT */
static void
answer_ttls(struct pkt *p, uint32_t a1, uint32_t a2, uint32_t ns,
    uint32_t glue, size_t at[4])
{
	header(p, 1, DNS_FLAG_QR | DNS_FLAG_RA, 1, 2, 1, 2);
	question(p, "example.com", TYPE_A, DNS_CLASS_IN);
	at[0] = put_rr(p, TYPE_A, a1, addr4, 4);
	at[1] = put_rr(p, TYPE_A, a2, addr4, 4);
	at[2] = put_rr(p, 2, ns, "\2ns\xc0\x0c", 5);
	at[3] = put_rr(p, TYPE_A, glue, addr4, 4);
	opt(p, 1232, OPT_DO, NULL, 0);
}

/* an NXDOMAIN or NODATA answer with an SOA, and what its TTL field is */
static void
answer_negative(struct pkt *p, int rcode, uint32_t ttl, uint32_t minimum)
{
	header(p, 1, DNS_FLAG_QR | DNS_FLAG_RA | (unsigned int)rcode, 1, 0, 1,
	    0);
	question(p, "nx.example.com", TYPE_A, DNS_CLASS_IN);
	(void)put_soa(p, ttl, minimum);
}

static void
t_answer_ttl_positive(void)
{
	struct pkt	 p;
	size_t		 at[4];
	uint32_t	 ttl;

	answer_ttls(&p, 300, 200, 900, 5, at);
	CHECK(dns_answer_ttl(p.b, p.len, &ttl) == 0 && ttl == 200);
	/* the authority counts, the additional section does not */
	answer_ttls(&p, 300, 200, 100, 5, at);
	CHECK(dns_answer_ttl(p.b, p.len, &ttl) == 0 && ttl == 100);
	/* RFC 2181: the top bit makes a TTL zero */
	answer_ttls(&p, 0x80000001U, 200, 900, 5, at);
	CHECK(dns_answer_ttl(p.b, p.len, &ttl) == 0 && ttl == 0);
	answer_ttls(&p, 0x7fffffffU, 0x7fffffffU, 0x7fffffffU, 5, at);
	CHECK(dns_answer_ttl(p.b, p.len, &ttl) == 0 && ttl == 0x7fffffffU);
	/* an SOA in a positive answer is just another authority record */
	header(&p, 1, DNS_FLAG_QR, 1, 1, 1, 0);
	question(&p, "example.com", TYPE_A, DNS_CLASS_IN);
	(void)put_rr(&p, TYPE_A, 600, addr4, 4);
	(void)put_soa(&p, 3600, 60);
	CHECK(dns_answer_ttl(p.b, p.len, &ttl) == 0 && ttl == 600);
}

static void
t_answer_ttl_negative(void)
{
	struct pkt	 p;
	uint32_t	 ttl;

	answer_negative(&p, DNS_RCODE_NXDOMAIN, 3600, 300);
	CHECK(dns_answer_ttl(p.b, p.len, &ttl) == 0 && ttl == 300);
	answer_negative(&p, DNS_RCODE_NXDOMAIN, 60, 300);
	CHECK(dns_answer_ttl(p.b, p.len, &ttl) == 0 && ttl == 60);
	answer_negative(&p, DNS_RCODE_NOERROR, 3600, 900);
	CHECK(dns_answer_ttl(p.b, p.len, &ttl) == 0 && ttl == 900);
	answer_negative(&p, DNS_RCODE_NOERROR, 3600, 0x80000000U);
	CHECK(dns_answer_ttl(p.b, p.len, &ttl) == 0 && ttl == 0);
	/* without an SOA there is nothing to bound it: not cached */
	header(&p, 1, DNS_FLAG_QR | DNS_RCODE_NXDOMAIN, 1, 0, 0, 0);
	question(&p, "nx.example.com", TYPE_A, DNS_CLASS_IN);
	CHECK(dns_answer_ttl(p.b, p.len, &ttl) == 0 && ttl == 0);
	header(&p, 1, DNS_FLAG_QR, 1, 0, 1, 0);
	question(&p, "example.com", TYPE_A, DNS_CLASS_IN);
	(void)put_rr(&p, 2, 3600, "\2ns\xc0\x0c", 5);
	CHECK(dns_answer_ttl(p.b, p.len, &ttl) == 0 && ttl == 0);
	/* an NXDOMAIN after a CNAME lives no longer than the CNAME */
	header(&p, 1, DNS_FLAG_QR | DNS_RCODE_NXDOMAIN, 1, 1, 1, 0);
	question(&p, "www.example.com", TYPE_A, DNS_CLASS_IN);
	(void)put_rr(&p, 5, 30, "\1x\xc0\x0c", 4);
	(void)put_soa(&p, 3600, 300);
	CHECK(dns_answer_ttl(p.b, p.len, &ttl) == 0 && ttl == 30);
}

static void
t_answer_ttl_uncacheable(void)
{
	struct pkt	 p;
	size_t		 at[4];
	uint32_t	 ttl;
	int		 rcode;

	for (rcode = 0; rcode < 16; rcode++) {
		answer_ttls(&p, 300, 300, 300, 300, at);
		p.b[3] = (uint8_t)(p.b[3] | rcode);
		ttl = 7;
		CHECK(dns_answer_ttl(p.b, p.len, &ttl) == 0);
		/* an NXDOMAIN without SOA has no negative TTL */
		if (rcode == DNS_RCODE_NOERROR)
			CHECK(ttl == 300);
		else
			CHECK(ttl == 0);
	}
	answer_ttls(&p, 300, 300, 300, 300, at);
	p.b[2] |= DNS_FLAG_TC >> 8;
	CHECK(dns_answer_ttl(p.b, p.len, &ttl) == 0 && ttl == 0);
}

static void
t_answer_ttl_malformed(void)
{
	struct pkt	 p;
	size_t		 at[4], len;
	uint32_t	 ttl;

	answer_ttls(&p, 300, 300, 300, 300, at);
	for (len = 0; len < p.len; len++)
		CHECK(dns_answer_ttl(p.b, len, &ttl) == -1 && ttl == 0);
	put8(&p, 0);
	CHECK(dns_answer_ttl(p.b, p.len, &ttl) == -1);
	/* the additional section must parse too */
	answer_ttls(&p, 300, 300, 300, 300, at);
	p.b[11] = 3;
	CHECK(dns_answer_ttl(p.b, p.len, &ttl) == -1);
	/* SOA RDATA one byte short, or with a byte to spare */
	answer_negative(&p, DNS_RCODE_NXDOMAIN, 3600, 300);
	CHECK(dns_answer_ttl(p.b, p.len, &ttl) == 0);
	p.b[p.len - 25] = 23;
	CHECK(dns_answer_ttl(p.b, p.len - 1, &ttl) == -1);
	p.b[p.len - 25] = 25;
	put8(&p, 0);
	CHECK(dns_answer_ttl(p.b, p.len, &ttl) == -1);
	/* an SOA whose RNAME points forward */
	answer_negative(&p, DNS_RCODE_NXDOMAIN, 3600, 300);
	p.b[p.len - 21] = (uint8_t)(p.len - 20);
	CHECK(dns_answer_ttl(p.b, p.len, &ttl) == -1);
}

static void
t_answer_set_ttl(void)
{
	struct pkt	 p;
	size_t		 at[4], i, optttl;

	answer_ttls(&p, 300, 200, 900, 100, at);
	optttl = p.len - 6;
	CHECK(dns_answer_set_ttl(p.b, p.len, 150, UINT32_MAX, 0) == 0);
	CHECK(get32(p.b, at[0]) == 150 && get32(p.b, at[1]) == 50);
	CHECK(get32(p.b, at[2]) == 750 && get32(p.b, at[3]) == 0);
	CHECK(get32(p.b, optttl) == OPT_DO);
	/* fixed wins over age */
	CHECK(dns_answer_set_ttl(p.b, p.len, 1000, UINT32_MAX, 30) == 0);
	for (i = 0; i < 4; i++)
		CHECK(get32(p.b, at[i]) == 30);
	CHECK(get32(p.b, optttl) == OPT_DO);
	/* no age: nothing changes; a top-bit TTL is zero */
	answer_ttls(&p, 0x80000000U, 200, 900, 100, at);
	CHECK(dns_answer_set_ttl(p.b, p.len, 0, UINT32_MAX, 0) == 0);
	CHECK(get32(p.b, at[0]) == 0 && get32(p.b, at[1]) == 200);
	/* negative answers count down too */
	answer_negative(&p, DNS_RCODE_NXDOMAIN, 3600, 300);
	CHECK(dns_answer_set_ttl(p.b, p.len, 60, UINT32_MAX, 0) == 0);
	CHECK(get32(p.b, DNS_HDRLEN + 16 + 4 + 6) == 3540);
	/* the SOA MINIMUM is data, not a TTL */
	CHECK(get32(p.b, p.len - 4) == 300);
}

/* the cap comes first, then the age: nothing outlives the entry */
static void
t_answer_cap_ttl(void)
{
	struct pkt	 p;
	size_t		 at[4];

	answer_ttls(&p, 300, 0x80000005U, 50, 100, at);
	CHECK(dns_answer_set_ttl(p.b, p.len, 0, 100, 0) == 0);
	CHECK(get32(p.b, at[0]) == 100 && get32(p.b, at[1]) == 0);
	CHECK(get32(p.b, at[2]) == 50 && get32(p.b, at[3]) == 100);
	CHECK(get32(p.b, p.len - 6) == OPT_DO);
	answer_ttls(&p, 300, 200, 900, 40, at);
	CHECK(dns_answer_set_ttl(p.b, p.len, 10, 50, 0) == 0);
	CHECK(get32(p.b, at[0]) == 40 && get32(p.b, at[1]) == 40);
	CHECK(get32(p.b, at[2]) == 40 && get32(p.b, at[3]) == 30);
	/* a negative answer's SOA is cut to its MINIMUM's worth, not more */
	answer_negative(&p, DNS_RCODE_NXDOMAIN, 3600, 300);
	CHECK(dns_answer_set_ttl(p.b, p.len, 0, 300, 0) == 0);
	CHECK(get32(p.b, DNS_HDRLEN + 16 + 4 + 6) == 300);
	CHECK(get32(p.b, p.len - 4) == 300);
}

static void
t_answer_set_ttl_malformed(void)
{
	struct pkt	 p;
	size_t		 at[4];

	/* a record missing at the end, a byte to spare, no header */
	answer_ttls(&p, 300, 200, 900, 100, at);
	p.b[11] = 3;
	CHECK(dns_answer_set_ttl(p.b, p.len, 10, UINT32_MAX, 0) == -1);
	CHECK(dns_answer_set_ttl(p.b, 11, 10, UINT32_MAX, 0) == -1);
	answer_ttls(&p, 300, 200, 900, 100, at);
	put8(&p, 0);
	CHECK(dns_answer_set_ttl(p.b, p.len, 10, UINT32_MAX, 30) == -1);
}

/*
 * One walk gives the layout and the lifetime: the answer it describes is
 * what dns_client_answer() makes, its TTL is dns_answer_ttl()'s, and a
 * layout for other bytes is refused.
 */
static void
t_answer_parse(void)
{
	struct dns_query	 q;
	struct dns_answer	 a;
	struct pkt		 p;
	size_t			 at[4], len1, len2;
	uint32_t		 ttl;
	uint8_t			 out1[512], out2[512];

	answer_ttls(&p, 300, 200, 900, 100, at);
	memset(&q, 0, sizeof(q));
	CHECK(dns_answer_peek(p.b, p.len, &q.id, &q.q) == 0);
	q.has_question = 1;
	q.edns = 1;
	q.edns_udp = 1232;
	CHECK(dns_answer_parse(p.b, p.len, &q, &a) == 0);
	CHECK(dns_answer_ttl(p.b, p.len, &ttl) == 0 && a.ttl == ttl);
	CHECK(a.ttl == 200 && a.len == p.len && a.has_opt);
	len1 = dns_answer_client(p.b, p.len, &a, &q, 512, out1, sizeof(out1));
	len2 = dns_client_answer(p.b, p.len, &q, 512, out2, sizeof(out2));
	CHECK(len1 > 0 && len1 == len2 && memcmp(out1, out2, len1) == 0);
	/* the layout of other bytes, or of a message cut short */
	CHECK(dns_answer_client(p.b, p.len - 1, &a, &q, 512, out1,
	    sizeof(out1)) == 0);
	a.records = (uint16_t)(p.len + 1);
	CHECK(dns_answer_client(p.b, p.len, &a, &q, 512, out1,
	    sizeof(out1)) == 0);
	/* another question, or no answer at all */
	q.q.qtype = 28;
	CHECK(dns_answer_parse(p.b, p.len, &q, &a) == -1);
	q.q.qtype = 1;
	p.b[2] &= 0x7f;
	CHECK(dns_answer_parse(p.b, p.len, &q, &a) == -1);
	/* an SOA that does not parse: valid, but not to be kept */
	answer_negative(&p, DNS_RCODE_NXDOMAIN, 3600, 300);
	p.b[p.len - 25] = 25;
	put8(&p, 0);
	memset(&q, 0, sizeof(q));
	CHECK(dns_answer_peek(p.b, p.len, &q.id, &q.q) == 0);
	q.has_question = 1;
	CHECK(dns_answer_parse(p.b, p.len, &q, &a) == 0 && a.ttl == 0);
}

static void
t_name_str(void)
{
	char	 buf[64];

	dns_name_str((const uint8_t *)"\7example\3com", 13, buf, sizeof(buf));
	CHECK(strcmp(buf, "example.com.") == 0);
	dns_name_str((const uint8_t *)"", 1, buf, sizeof(buf));
	CHECK(strcmp(buf, ".") == 0);
	dns_name_str((const uint8_t *)"\4a.b\\\2\001 ", 9, buf, sizeof(buf));
	CHECK(strcmp(buf, "a\\.b\\\\.\\001\\032.") == 0);
	/* never past the buffer, never half an escape */
	memset(buf, 'Z', sizeof(buf));
	dns_name_str((const uint8_t *)"\7example\3com", 13, buf, 8);
	CHECK(strcmp(buf, "example") == 0);
	dns_name_str((const uint8_t *)"\3a\001b", 5, buf, 5);
	CHECK(strcmp(buf, "a") == 0);
	dns_name_str((const uint8_t *)"\7example\3com", 13, buf, 1);
	CHECK(buf[0] == '\0');
	/* a name running out of bytes is marked */
	dns_name_str((const uint8_t *)"\7exam", 5, buf, sizeof(buf));
	CHECK(strcmp(buf, "exam?") == 0);
	dns_name_str((const uint8_t *)"\xc0\x0c", 2, buf, sizeof(buf));
	CHECK(strcmp(buf, "?") == 0);
}

void
test_dns(void)
{
	RUN(t_wire_sticky);
	RUN(t_wire_bytes_zero_on_error);
	RUN(t_wire_skip_name);
	RUN(t_wire_name);
	RUN(t_query_plain);
	RUN(t_query_drop);
	RUN(t_query_opcode);
	RUN(t_query_counts);
	RUN(t_query_compressed_name);
	RUN(t_query_bad_names);
	RUN(t_query_truncated);
	RUN(t_query_refused);
	RUN(t_query_qtype_opt);
	RUN(t_query_trailing);
	RUN(t_query_additional);
	RUN(t_query_edns);
	RUN(t_query_badvers);
	RUN(t_error_formerr_bytes);
	RUN(t_error_no_question);
	RUN(t_error_badvers_bytes);
	RUN(t_build_query_bytes);
	RUN(t_build_query_padding);
	RUN(t_build_upstream_query);
	RUN(t_answer_keepalive);
	RUN(t_question_equal);
	RUN(t_query_key);
	RUN(t_answer_peek);
	RUN(t_answer_restores_id_and_case);
	RUN(t_answer_opt_dropped_for_plain_client);
	RUN(t_answer_opt_rewritten_for_edns_client);
	RUN(t_answer_opt_added_for_edns_client);
	RUN(t_answer_extended_rcode);
	RUN(t_answer_truncated_plain);
	RUN(t_answer_truncated_edns);
	RUN(t_answer_other_question);
	RUN(t_answer_bad_pointers);
	RUN(t_answer_truncated_rr);
	RUN(t_answer_trailing);
	RUN(t_answer_bad_opt);
	RUN(t_answer_opt_not_last);
	RUN(t_answer_rdata_names_kept);
	RUN(t_answer_tcp_max_without_opt);
	RUN(t_answer_moved_opaque);
	RUN(t_answer_pointer_chain);
	RUN(t_answer_label_into_opt);
	RUN(t_answer_rdata_pointers);
	RUN(t_answer_ttl_positive);
	RUN(t_answer_ttl_negative);
	RUN(t_answer_ttl_uncacheable);
	RUN(t_answer_ttl_malformed);
	RUN(t_answer_set_ttl);
	RUN(t_answer_set_ttl_malformed);
	RUN(t_answer_parse);
	RUN(t_answer_cap_ttl);
	RUN(t_name_str);
}
