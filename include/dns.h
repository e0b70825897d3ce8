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
 * DNS wire format: a bounds-checked cursor with a sticky error, query
 * validation, and the rewrites the proxy performs on queries and answers.
 * Pure code: no process, socket or allocation knowledge; every byte it
 * reads may come from a hostile client or upstream.
 */

#ifndef DNS_H
#define DNS_H

#include <stddef.h>
#include <stdint.h>

#define DNS_HDRLEN		12
#define DNS_MAXMSG		65535
#define DNS_MAXNAME		255	/* wire form, length bytes included */
#define DNS_MAXLABEL		63
#define DNS_MINUDP		512
#define DNS_EDNS_UDP		1232	/* our advertised EDNS buffer size */
#define DNS_PAD_BLOCK		128	/* RFC 8467 recommended query block */

#define DNS_RCODE_NOERROR	0
#define DNS_RCODE_FORMERR	1
#define DNS_RCODE_SERVFAIL	2
#define DNS_RCODE_NXDOMAIN	3
#define DNS_RCODE_NOTIMPL	4
#define DNS_RCODE_REFUSED	5

#define DNS_TYPE_SOA		6
#define DNS_TYPE_OPT		41
#define DNS_TYPE_AXFR		252
#define DNS_TYPE_IXFR		251
#define DNS_CLASS_IN		1

#define DNS_OPT_COOKIE		10
#define DNS_OPT_KEEPALIVE	11
#define DNS_OPT_PADDING		12

/* header flag bits, in the 16-bit flags word */
#define DNS_FLAG_QR		0x8000
#define DNS_FLAG_AA		0x0400
#define DNS_FLAG_TC		0x0200
#define DNS_FLAG_RD		0x0100
#define DNS_FLAG_RA		0x0080
#define DNS_FLAG_AD		0x0020
#define DNS_FLAG_CD		0x0010
#define DNS_OPCODE(f)		(((f) >> 11) & 0xf)
#define DNS_RCODE(f)		((f) & 0xf)

/*
 * Read cursor. Every accessor checks bounds; after the first failure
 * every later read fails too and returns zeroes, so a parser can read a
 * whole structure and check wire_ok() once.
 */
struct wire {
	const uint8_t	*buf;
	size_t		 len;
	size_t		 pos;
	int		 err;
};

void		 wire_init(struct wire *, const uint8_t *, size_t);
int		 wire_ok(const struct wire *);
size_t		 wire_left(const struct wire *);
uint8_t		 wire_u8(struct wire *);
uint16_t	 wire_u16(struct wire *);
uint32_t	 wire_u32(struct wire *);
void		 wire_skip(struct wire *, size_t);
void		 wire_bytes(struct wire *, void *, size_t);
/* skip a possibly compressed name, following no pointers */
void		 wire_skip_name(struct wire *);
/*
 * Copy an uncompressed name in wire form into out (DNS_MAXNAME bytes),
 * setting *outlen; compression pointers are an error here (questions).
 */
void		 wire_name(struct wire *, uint8_t *, size_t *);

struct dns_question {
	uint8_t		 qname[DNS_MAXNAME];	/* wire form, case as sent */
	size_t		 qname_len;
	uint16_t	 qtype;
	uint16_t	 qclass;
};

struct dns_query {
	uint16_t	 id;
	uint16_t	 flags;
	int		 has_question;	/* question parsed (usable in errors) */
	struct dns_question q;
	int		 edns;		/* client sent an OPT record */
	uint16_t	 edns_udp;	/* client's buffer size, at least 512 */
	uint8_t		 edns_version;
	int		 edns_do;	/* DNSSEC OK bit */
};

enum dns_verdict {
	DNS_ACCEPT,	/* a query to forward */
	DNS_REJECT,	/* answer with the rcode given, never forward */
	DNS_DROP	/* not even a header to answer: drop silently */
};

/*
 * Validate a client query. On DNS_REJECT *rcode is FORMERR, NOTIMPL or
 * REFUSED and q holds what could be parsed for dns_error_answer().
 */
enum dns_verdict dns_query_parse(const uint8_t *, size_t, struct dns_query *,
		    int *rcode);

/* Case-insensitive equality of two questions (name, type, class). */
int		 dns_question_equal(const struct dns_question *,
		    const struct dns_question *);

/*
 * A query's identity for tables that must never mix queries whose
 * answers may differ (the cache, queries in flight): the name
 * lower-cased (ASCII only), its type and class, then one byte holding
 * those of the DO, CD, RD and AD bits that bits selects and the query
 * has. Into out (DNS_KEY_MAX bytes); returns the length, 0 when q holds
 * no valid name.
 */
#define DNS_KEY_MAX		(DNS_MAXNAME + 5)
#define DNS_KEY_DO		0x01
#define DNS_KEY_CD		0x02
#define DNS_KEY_RD		0x04
#define DNS_KEY_AD		0x08
/* what dns_build_query() carries upstream: queries differing in none */
#define DNS_KEY_UPSTREAM	(DNS_KEY_DO | DNS_KEY_CD | DNS_KEY_RD | \
				    DNS_KEY_AD)
size_t		 dns_query_key(const struct dns_query *, unsigned int bits,
		    uint8_t *);

/*
 * Build an answer with the given rcode for a (possibly partial) query:
 * the client's ID and RD, its question when parsed, an OPT record when
 * the client sent one. Returns the length, 0 if out is too small.
 */
size_t		 dns_error_answer(const struct dns_query *, int rcode,
		    uint8_t *, size_t);

/*
 * Build the canonical query sent upstream: header with the given ID and
 * the client's RD/CD/AD bits, the question, and one OPT record
 * (DNS_EDNS_UDP, client's DO bit) padded to a multiple of pad_block
 * bytes when pad_block is not 0. Client EDNS options are not forwarded.
 * Returns the length, 0 if out is too small.
 */
size_t		 dns_build_query(const struct dns_query *, uint16_t id,
		    size_t pad_block, uint8_t *, size_t);

/*
 * The query as sent upstream: dns_build_query() padded to DNS_PAD_BLOCK,
 * with an empty edns-tcp-keepalive option asking the server for its idle
 * timeout (RFC 7828).
 */
size_t		 dns_build_upstream_query(const struct dns_query *, uint16_t id,
		    uint8_t *, size_t);

/*
 * The server's edns-tcp-keepalive timeout in an answer, in ms:
 * 1 found, 0 absent, -1 the message does not parse.
 */
int		 dns_answer_keepalive(const uint8_t *, size_t, uint32_t *);

/*
 * Minimal check of an upstream answer: header, QR set, one question.
 * Fills *id and *q for matching it to the query it answers. 0 ok, -1 bad.
 */
int		 dns_answer_peek(const uint8_t *, size_t, uint16_t *,
		    struct dns_question *);

/*
 * What the one walk of an upstream answer found (dns_answer_parse()):
 * where its records and its OPT record are, and how long it may be
 * cached. Written and read by dns.c only; callers keep it beside the
 * answer it describes (the cache stores it with its copy) and hand both
 * back to dns_answer_client().
 */
struct dns_answer {
	uint16_t	 len;		/* of the message it describes */
	uint16_t	 flags;
	uint16_t	 ancount, nscount, arcount;
	uint16_t	 records;	/* first byte after the question */
	uint16_t	 opt_start, opt_end;	/* the upstream's OPT record */
	uint16_t	 opt_rdata, opt_rdlen;
	uint32_t	 opt_ttl;
	uint8_t		 has_opt;
	uint32_t	 ttl;		/* seconds it may be cached, 0: not */
};

/*
 * Walk and check every byte of an upstream answer to q's question (QR
 * set, opcode QUERY, the question equal but for letter case), once,
 * into *a: the rules of dns_answer_client() for what may move, and the
 * lifetime of dns_answer_ttl() in a->ttl. 0, or -1 when it is invalid
 * or answers another question.
 */
int		 dns_answer_parse(const uint8_t *, size_t,
		    const struct dns_query *, struct dns_answer *);

/*
 * The answer dns_answer_parse() described in *a, rewritten for the
 * client who asked q (q's question must be the one it answers, in any
 * case); no byte of it is walked again. What dns_client_answer() makes.
 */
size_t		 dns_answer_client(const uint8_t *, size_t,
		    const struct dns_answer *, const struct dns_query *,
		    size_t maxlen, uint8_t *, size_t);

/*
 * dns_answer_parse() and dns_answer_client() in one. Rewrite an upstream
 * answer for the client who asked q: the client's ID and question bytes
 * (letter case kept); every record walked and bounds-checked; the OPT
 * record removed for clients without EDNS,
 * otherwise re-emitted last with our buffer size and without the
 * hop-by-hop options (padding, keepalive, cookie). Records behind the
 * upstream's OPT move: the answer is refused when one of them is of a
 * type whose names the walker cannot see, or when any name of any
 * record could decode from moved bytes (every compression pointer must
 * aim backwards, and behind the OPT before it). When the result exceeds
 * maxlen (the client's UDP size) a truncated answer with TC=1 and no
 * records is produced instead; but with maxlen DNS_MAXMSG (TCP), an
 * answer that fits only without our OPT record is sent whole without
 * it. Returns the length, or 0 when the answer is invalid or does not
 * answer q (the caller then sends SERVFAIL).
 */
size_t		 dns_client_answer(const uint8_t *, size_t,
		    const struct dns_query *, size_t maxlen, uint8_t *, size_t);

/*
 * How long an upstream answer (one question, every record walked and
 * bounds-checked) may be cached, in seconds, into *ttl. 0 means not at
 * all: TC set, an rcode other than NOERROR and NXDOMAIN, or a negative
 * answer (NXDOMAIN, or NODATA: NOERROR without answer records) that has
 * no SOA in its authority section. Otherwise the smallest TTL of the
 * answer and authority records, OPT left out; a negative answer is
 * further capped by its SOA's MINIMUM (RFC 2308). The additional section
 * only has to parse. TTLs with the top bit set count as 0 (RFC 2181).
 * An SOA whose RDATA does not parse makes it -1 too. Returns 0, or -1
 * when the message does not parse.
 */
int		 dns_answer_ttl(const uint8_t *, size_t, uint32_t *);

/*
 * Rewrite in place the TTL of every record in all three sections, OPT
 * left out: to fixed when it is not 0, else to the TTL cut to cap, less
 * age, at least 0 (a TTL with the top bit set counts as 0). Counts a
 * cached answer down without letting any of it outlive the entry, a
 * negative answer's SOA included (RFC 2308 section 5), or serves it
 * stale (RFC 8767). For a message dns_answer_parse() accepted: it is
 * walked once and not checked again. 0, or -1 when it does not parse
 * (and then some TTLs may have been rewritten).
 */
int		 dns_answer_set_ttl(uint8_t *, size_t, uint32_t age,
		    uint32_t cap, uint32_t fixed);

/* Render a wire name as text into buf ("." for the root), for logs. */
void		 dns_name_str(const uint8_t *, size_t, char *, size_t);

/*
 * Answers for the special-use zones served on the host itself
 * (localzone.h): no upstream is ever asked about these names.
 */

#define DNS_TYPE_A		1
#define DNS_TYPE_NS		2
#define DNS_TYPE_AAAA		28
#define DNS_TYPE_ANY		255

/*
 * TTL of every local record and MINIMUM of the local SOA, so the time
 * for which stubs cache a local NXDOMAIN (RFC 2308): short, because a
 * later "forward zone" for such a name should reach clients in minutes.
 */
#define DNS_LOCAL_TTL		300

enum dns_local_kind {
	/*
	 * An empty zone (RFC 6303 section 3): the apex holds only its SOA
	 * and NS, names below it do not exist (NXDOMAIN).
	 */
	DNS_LOCAL_EMPTY,
	/*
	 * localhost (RFC 6761 section 6.3): every name at or below the apex
	 * has A 127.0.0.1 and AAAA ::1, the apex also its SOA and NS.
	 */
	DNS_LOCAL_LOCALHOST
};

/*
 * The authoritative answer (AA set) of a local zone for a query at or
 * under its apex (wire form, any case, apexlen bytes): the client's ID,
 * RD and CD, RA set, its question as asked; the records the name has of
 * the type asked (ANY: all of them), else NODATA or, for a name that
 * does not exist, NXDOMAIN, with the zone's SOA in the authority section
 * for negative caching; an OPT record when the client sent one.  The
 * SOA is "APEX SOA APEX nobody.invalid. 1 3600 1200 604800 300", the NS
 * "APEX NS APEX", both owned by the apex as the client spelled it.
 * Never longer than DNS_MINUDP. Returns the length, 0 when out is too
 * small or the name is not at or under the apex.
 */
size_t		 dns_local_answer(const struct dns_query *, const uint8_t *apex,
		    size_t apexlen, enum dns_local_kind, uint8_t *, size_t);

#endif /* DNS_H */
