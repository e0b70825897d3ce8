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
 * DNS wire code: the read cursor, query validation and the rewrites
 * between client and upstream, for the frontend (client queries,
 * answers fitted to clients, the cache's TTLs) and the resolver (the
 * query it sends upstream, the answer matched to it). Trusts no byte it
 * reads:
 * client queries and upstream answers are equally hostile here, so every
 * read goes through the bounds-checked cursor and every copy is sized
 * from offsets that cursor has already proved.
 */

#include <stdio.h>
#include <string.h>

#include "dns.h"

#define DNS_RCODE_BADVERS	16
#define DNS_PTR_BITS		0xc0
#define DNS_QFIXED		4	/* qtype, qclass */
#define DNS_OPT_FIXED		11	/* root owner, type, class, ttl, rdlen */
#define DNS_OPT_DO		0x8000
#define DNS_OPTION_HDRLEN	4
#define DNS_OPCODE_BITS		0x7800
#define DNS_MAXHOPS		(DNS_MAXNAME / 2)	/* pointers per name */

/* The writing twin of struct wire: a bounded output with a sticky error. */
struct wbuf {
	uint8_t		*buf;
	size_t		 cap;
	size_t		 len;
	int		 err;
};

/* What the TTLs of an answer's records allow it to be cached for. */
struct ttl_acc {
	uint32_t	 records;	/* the smallest TTL seen */
	uint32_t	 soa;		/* the smallest SOA MINIMUM */
	int		 bad_soa;	/* an SOA whose RDATA does not parse */
};

/* The record sections after the question, in wire order. */
enum section {
	SECTION_ANSWER,
	SECTION_AUTHORITY,
	SECTION_ADDITIONAL,
	SECTION_END
};

/* What RDATA holds, for whoever moves it. */
enum rdata_kind {
	RDATA_NAMES,		/* names clients may decompress */
	RDATA_NAMELESS,		/* no domain name at all */
	RDATA_OPAQUE		/* anything else: not known to us */
};

/* One resource record, as offsets into the message that holds it. */
struct rr {
	size_t		 start;		/* owner name */
	uint16_t	 type;
	uint16_t	 class;
	size_t		 ttl_at;
	uint32_t	 ttl;
	size_t		 rdata;
	uint16_t	 rdlen;
	enum section	 section;
};

/*
 * A message read one record at a time after its header and its single
 * question: the one walker for every function that looks at records.
 */
struct msg_walk {
	struct wire	 w;
	uint16_t	 flags;
	uint16_t	 count[SECTION_END];
	size_t		 records;	/* first byte after the question */
	enum section	 section;
	uint16_t	 done;		/* records read in this section */
};

/* Text output for logs: all-or-nothing appends, always NUL-terminated. */
struct text {
	char		*buf;
	size_t		 size;
	size_t		 len;
	int		 full;
};

static int	 wire_need(struct wire *, size_t);
static const uint8_t *wire_rdata(struct wire *, uint16_t);
static void	 wbuf_init(struct wbuf *, uint8_t *, size_t);
static int	 wbuf_room(struct wbuf *, size_t);
static void	 wbuf_u8(struct wbuf *, uint8_t);
static void	 wbuf_u16(struct wbuf *, uint16_t);
static void	 wbuf_u32(struct wbuf *, uint32_t);
static void	 wbuf_bytes(struct wbuf *, const void *, size_t);
static void	 wbuf_zero(struct wbuf *, size_t);
static void	 wbuf_patch_len(struct wbuf *, size_t);
static void	 put_header(struct wbuf *, uint16_t, uint16_t, uint16_t,
		    uint16_t, uint16_t, uint16_t);
static void	 put_question(struct wbuf *, const struct dns_question *);
static size_t	 put_opt_head(struct wbuf *, uint32_t);
static int	 option_is_hop_by_hop(uint16_t);
static int	 opt_options(const uint8_t *, size_t, struct wbuf *);
static int	 read_question(struct wire *, struct dns_question *);
static int	 query_opt(struct wire *, struct dns_query *);
static enum dns_verdict reject(int *, int);
static int	 ascii_lower(int);
static int	 name_backward(const uint8_t *, size_t, size_t, size_t,
		    size_t, size_t *);
static enum rdata_kind rdata_names(const uint8_t *, const struct rr *,
		    size_t *, int *);
static int	 rr_names_backward(const uint8_t *, size_t, const struct rr *,
		    size_t);
static int	 rr_read(struct wire *, struct rr *);
static int	 msg_walk_init(struct msg_walk *, const uint8_t *, size_t,
		    struct dns_question *);
static int	 msg_walk_next(struct msg_walk *, struct rr *);
static uint32_t	 ttl_value(uint32_t);
static uint32_t	 ttl_min(uint32_t, uint32_t);
static int	 soa_minimum(const uint8_t *, const struct rr *, uint32_t *);
static void	 ttl_acc_init(struct ttl_acc *);
static void	 ttl_acc_add(struct ttl_acc *, const uint8_t *,
		    const struct rr *);
static uint32_t	 ttl_acc_lifetime(const struct ttl_acc *, uint16_t, uint16_t);
static int	 answer_rr(const uint8_t *, size_t, const struct rr *,
		    struct dns_answer *);
static int	 layout_fits(const struct dns_answer *, size_t);
static uint16_t	 client_flags(const struct dns_query *, uint16_t);
static void	 put_client_opt(struct wbuf *, const struct dns_query *,
		    const uint8_t *, const struct dns_answer *, int);
static void	 answer_full(struct wbuf *, const uint8_t *, size_t,
		    const struct dns_query *, const struct dns_answer *,
		    int);
static void	 answer_truncated(struct wbuf *, const struct dns_query *,
		    const struct dns_answer *);
static void	 text_add(struct text *, const char *);
static void	 text_label_byte(struct text *, uint8_t);

/*
 * Read cursor.
 */

void
wire_init(struct wire *w, const uint8_t *buf, size_t len)
{
	w->buf = buf;
	w->len = len;
	w->pos = 0;
	w->err = 0;
}

int
wire_ok(const struct wire *w)
{
	return w->err == 0;
}

size_t
wire_left(const struct wire *w)
{
	if (w->err || w->pos > w->len)
		return 0;
	return w->len - w->pos;
}

/* Whether n more bytes are there; sets the sticky error when not. */
static int
wire_need(struct wire *w, size_t n)
{
	if (w->err || w->pos > w->len || w->len - w->pos < n) {
		w->err = 1;
		return 0;
	}
	return 1;
}

uint8_t
wire_u8(struct wire *w)
{
	if (!wire_need(w, 1))
		return 0;
	return w->buf[w->pos++];
}

uint16_t
wire_u16(struct wire *w)
{
	uint16_t	 v;

	if (!wire_need(w, 2))
		return 0;
	v = (uint16_t)(w->buf[w->pos] << 8 | w->buf[w->pos + 1]);
	w->pos += 2;
	return v;
}

uint32_t
wire_u32(struct wire *w)
{
	uint32_t	 v;

	if (!wire_need(w, 4))
		return 0;
	v = (uint32_t)w->buf[w->pos] << 24 |
	    (uint32_t)w->buf[w->pos + 1] << 16 |
	    (uint32_t)w->buf[w->pos + 2] << 8 |
	    (uint32_t)w->buf[w->pos + 3];
	w->pos += 4;
	return v;
}

void
wire_skip(struct wire *w, size_t n)
{
	if (wire_need(w, n))
		w->pos += n;
}

void
wire_bytes(struct wire *w, void *out, size_t n)
{
	if (n == 0)
		return;
	if (!wire_need(w, n)) {
		memset(out, 0, n);
		return;
	}
	memcpy(out, w->buf + w->pos, n);
	w->pos += n;
}

/*
 * A pointer may only refer back to an earlier name: anything at or past
 * the start of this name could form a loop for whoever decompresses it.
 */
void
wire_skip_name(struct wire *w)
{
	size_t	 start, namelen, target;
	uint8_t	 c;

	start = w->pos;
	namelen = 0;
	for (;;) {
		c = wire_u8(w);
		if (!wire_ok(w))
			return;
		if ((c & DNS_PTR_BITS) == DNS_PTR_BITS) {
			target = (size_t)(c & ~DNS_PTR_BITS) << 8;
			target |= wire_u8(w);
			if (target < DNS_HDRLEN || target >= start)
				w->err = 1;
			return;
		}
		namelen += (size_t)c + 1;
		if (c > DNS_MAXLABEL || namelen > DNS_MAXNAME) {
			w->err = 1;
			return;
		}
		if (c == 0)
			return;
		wire_skip(w, c);
	}
}

void
wire_name(struct wire *w, uint8_t *out, size_t *outlen)
{
	size_t	 n;
	uint8_t	 c;

	*outlen = 0;
	n = 0;
	for (;;) {
		c = wire_u8(w);
		if (!wire_ok(w))
			return;
		/* pointers have the top bits set and so fail here too */
		if (c > DNS_MAXLABEL || n + 1 + c > DNS_MAXNAME) {
			w->err = 1;
			return;
		}
		out[n++] = c;
		if (c == 0)
			break;
		wire_bytes(w, out + n, c);
		if (!wire_ok(w))
			return;
		n += c;
	}
	*outlen = n;
}

/*
 * Output buffer.
 */

static void
wbuf_init(struct wbuf *b, uint8_t *buf, size_t cap)
{
	b->buf = buf;
	b->cap = cap;
	b->len = 0;
	b->err = 0;
}

static int
wbuf_room(struct wbuf *b, size_t n)
{
	if (b->err || b->cap - b->len < n) {
		b->err = 1;
		return 0;
	}
	return 1;
}

static void
wbuf_u8(struct wbuf *b, uint8_t v)
{
	if (wbuf_room(b, 1))
		b->buf[b->len++] = v;
}

static void
wbuf_u16(struct wbuf *b, uint16_t v)
{
	wbuf_u8(b, (uint8_t)(v >> 8));
	wbuf_u8(b, (uint8_t)v);
}

static void
wbuf_u32(struct wbuf *b, uint32_t v)
{
	wbuf_u16(b, (uint16_t)(v >> 16));
	wbuf_u16(b, (uint16_t)v);
}

static void
wbuf_bytes(struct wbuf *b, const void *p, size_t n)
{
	if (n == 0 || !wbuf_room(b, n))
		return;
	memcpy(b->buf + b->len, p, n);
	b->len += n;
}

static void
wbuf_zero(struct wbuf *b, size_t n)
{
	if (n == 0 || !wbuf_room(b, n))
		return;
	memset(b->buf + b->len, 0, n);
	b->len += n;
}

/* Fill in a 16-bit length written earlier as a placeholder at 'at'. */
static void
wbuf_patch_len(struct wbuf *b, size_t at)
{
	size_t	 n;

	if (b->err)
		return;
	n = b->len - at - 2;
	if (n > UINT16_MAX) {
		b->err = 1;
		return;
	}
	b->buf[at] = (uint8_t)(n >> 8);
	b->buf[at + 1] = (uint8_t)n;
}

static void
put_header(struct wbuf *b, uint16_t id, uint16_t flags, uint16_t qd,
    uint16_t an, uint16_t ns, uint16_t ar)
{
	wbuf_u16(b, id);
	wbuf_u16(b, flags);
	wbuf_u16(b, qd);
	wbuf_u16(b, an);
	wbuf_u16(b, ns);
	wbuf_u16(b, ar);
}

static void
put_question(struct wbuf *b, const struct dns_question *q)
{
	if (q->qname_len == 0 || q->qname_len > DNS_MAXNAME) {
		b->err = 1;
		return;
	}
	wbuf_bytes(b, q->qname, q->qname_len);
	wbuf_u16(b, q->qtype);
	wbuf_u16(b, q->qclass);
}

/* OPT record up to its RDLENGTH; returns where that length sits. */
static size_t
put_opt_head(struct wbuf *b, uint32_t ttl)
{
	size_t	 at;

	wbuf_u8(b, 0);
	wbuf_u16(b, DNS_TYPE_OPT);
	wbuf_u16(b, DNS_EDNS_UDP);
	wbuf_u32(b, ttl);
	at = b->len;
	wbuf_u16(b, 0);
	return at;
}

/*
 * EDNS options.
 */

/* Options that describe one hop and must not cross the proxy. */
static int
option_is_hop_by_hop(uint16_t code)
{
	return code == DNS_OPT_COOKIE || code == DNS_OPT_KEEPALIVE ||
	    code == DNS_OPT_PADDING;
}

/*
 * Check that OPT RDATA is a clean sequence of options; when out is not
 * NULL also copy those that may cross the proxy. 0 ok, -1 malformed.
 */
static int
opt_options(const uint8_t *rdata, size_t rdlen, struct wbuf *out)
{
	struct wire	 w;
	size_t		 start;
	uint16_t	 code, len;

	wire_init(&w, rdata, rdlen);
	while (wire_ok(&w) && wire_left(&w) > 0) {
		start = w.pos;
		code = wire_u16(&w);
		len = wire_u16(&w);
		wire_skip(&w, len);
		if (wire_ok(&w) && out != NULL && !option_is_hop_by_hop(code))
			wbuf_bytes(out, rdata + start, w.pos - start);
	}
	return wire_ok(&w) ? 0 : -1;
}

/* Claim rdlen bytes of RDATA at the cursor; NULL when they are not there. */
static const uint8_t *
wire_rdata(struct wire *w, uint16_t rdlen)
{
	const uint8_t	*p;

	if (!wire_need(w, rdlen))
		return NULL;
	p = w->buf + w->pos;
	w->pos += rdlen;
	return p;
}

/*
 * Client queries.
 */

static int
read_question(struct wire *w, struct dns_question *q)
{
	wire_name(w, q->qname, &q->qname_len);
	q->qtype = wire_u16(w);
	q->qclass = wire_u16(w);
	return wire_ok(w) ? 0 : -1;
}

/* The only additional record a query may carry is a single OPT. */
static int
query_opt(struct wire *w, struct dns_query *q)
{
	const uint8_t	*rdata;
	uint32_t	 ttl;
	uint16_t	 type, udp, rdlen;
	uint8_t		 owner;

	owner = wire_u8(w);
	type = wire_u16(w);
	udp = wire_u16(w);
	ttl = wire_u32(w);
	rdlen = wire_u16(w);
	rdata = wire_rdata(w, rdlen);
	if (rdata == NULL || owner != 0 || type != DNS_TYPE_OPT || q->edns)
		return -1;
	if (opt_options(rdata, rdlen, NULL) == -1)
		return -1;
	q->edns = 1;
	q->edns_udp = udp < DNS_MINUDP ? DNS_MINUDP : udp;
	q->edns_version = (uint8_t)(ttl >> 16);
	q->edns_do = (ttl & DNS_OPT_DO) != 0;
	return 0;
}

static enum dns_verdict
reject(int *rcode, int why)
{
	*rcode = why;
	return DNS_REJECT;
}

enum dns_verdict
dns_query_parse(const uint8_t *buf, size_t len, struct dns_query *q,
    int *rcode)
{
	struct wire	 w;
	uint16_t	 qdcount, ancount, nscount, arcount, i;

	memset(q, 0, sizeof(*q));
	*rcode = DNS_RCODE_NOERROR;
	if (len < DNS_HDRLEN)
		return DNS_DROP;
	wire_init(&w, buf, len);
	q->id = wire_u16(&w);
	q->flags = wire_u16(&w);
	qdcount = wire_u16(&w);
	ancount = wire_u16(&w);
	nscount = wire_u16(&w);
	arcount = wire_u16(&w);

	/* never answer an answer: two proxies would echo it forever */
	if (q->flags & DNS_FLAG_QR)
		return DNS_DROP;
	if (DNS_OPCODE(q->flags) != 0)
		return reject(rcode, DNS_RCODE_NOTIMPL);
	if (qdcount != 1 || ancount != 0 || nscount != 0)
		return reject(rcode, DNS_RCODE_FORMERR);
	if (read_question(&w, &q->q) == -1)
		return reject(rcode, DNS_RCODE_FORMERR);
	q->has_question = 1;
	if (q->q.qtype == DNS_TYPE_OPT)
		return reject(rcode, DNS_RCODE_FORMERR);
	for (i = 0; i < arcount; i++)
		if (query_opt(&w, q) == -1)
			return reject(rcode, DNS_RCODE_FORMERR);
	if (wire_left(&w) != 0)
		return reject(rcode, DNS_RCODE_FORMERR);

	if (q->edns && q->edns_version != 0)
		return reject(rcode, DNS_RCODE_BADVERS);
	if (q->q.qclass != DNS_CLASS_IN)
		return reject(rcode, DNS_RCODE_REFUSED);
	if (q->q.qtype == DNS_TYPE_AXFR || q->q.qtype == DNS_TYPE_IXFR)
		return reject(rcode, DNS_RCODE_REFUSED);
	return DNS_ACCEPT;
}

static int
ascii_lower(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 'a';
	return c;
}

int
dns_question_equal(const struct dns_question *a, const struct dns_question *b)
{
	size_t	 i, label, end;

	if (a->qname_len != b->qname_len || a->qtype != b->qtype ||
	    a->qclass != b->qclass || a->qname_len > DNS_MAXNAME)
		return 0;
	for (i = 0; i < a->qname_len; i = end) {
		if (a->qname[i] != b->qname[i])
			return 0;
		label = a->qname[i];
		end = i + 1 + label;
		if (end > a->qname_len)
			return 0;
		for (i++; i < end; i++)
			if (ascii_lower(a->qname[i]) != ascii_lower(b->qname[i]))
				return 0;
	}
	return 1;
}

size_t
dns_query_key(const struct dns_query *q, unsigned int bits, uint8_t *out)
{
	const struct dns_question	*qq = &q->q;
	size_t				 i, end;
	uint8_t				 have = 0;

	if (qq->qname_len == 0 || qq->qname_len > DNS_MAXNAME)
		return 0;
	/* labels lower-cased byte by byte; length bytes left alone */
	for (i = 0; i < qq->qname_len; i = end) {
		end = i + 1 + qq->qname[i];
		if (end > qq->qname_len)
			return 0;
		out[i] = qq->qname[i];
		for (i++; i < end; i++)
			out[i] = (uint8_t)ascii_lower(qq->qname[i]);
	}
	if (q->edns_do)
		have |= DNS_KEY_DO;
	if (q->flags & DNS_FLAG_CD)
		have |= DNS_KEY_CD;
	if (q->flags & DNS_FLAG_RD)
		have |= DNS_KEY_RD;
	if (q->flags & DNS_FLAG_AD)
		have |= DNS_KEY_AD;
	out[i++] = (uint8_t)(qq->qtype >> 8);
	out[i++] = (uint8_t)qq->qtype;
	out[i++] = (uint8_t)(qq->qclass >> 8);
	out[i++] = (uint8_t)qq->qclass;
	out[i++] = (uint8_t)(have & bits);
	return i;
}

size_t
dns_error_answer(const struct dns_query *q, int rcode, uint8_t *out,
    size_t outlen)
{
	struct wbuf	 b;
	unsigned int	 rc;
	uint32_t	 ttl;
	uint16_t	 flags;

	rc = (unsigned int)rcode;
	flags = (uint16_t)(DNS_FLAG_QR | DNS_FLAG_RA | (rc & 0xf) |
	    (q->flags & (DNS_OPCODE_BITS | DNS_FLAG_RD | DNS_FLAG_CD)));
	wbuf_init(&b, out, outlen);
	put_header(&b, q->id, flags, q->has_question ? 1 : 0, 0, 0,
	    q->edns ? 1 : 0);
	if (q->has_question)
		put_question(&b, &q->q);
	if (q->edns) {
		/* rcodes past 15 live in the OPT's extended-rcode byte */
		ttl = ((rc >> 4) & 0xff) << 24;
		if (q->edns_do)
			ttl |= DNS_OPT_DO;
		(void)put_opt_head(&b, ttl);
	}
	return b.err ? 0 : b.len;
}

/*
 * Upstream queries.
 */

static size_t
build_query(const struct dns_query *q, uint16_t id, size_t pad_block,
    int keepalive, uint8_t *out, size_t outlen)
{
	struct wbuf	 b;
	size_t		 unpadded, pad, at;
	uint16_t	 flags;

	flags = q->flags & (DNS_FLAG_RD | DNS_FLAG_CD | DNS_FLAG_AD);
	wbuf_init(&b, out, outlen);
	put_header(&b, id, flags, 1, 0, 0, 1);
	put_question(&b, &q->q);
	at = put_opt_head(&b, q->edns_do ? DNS_OPT_DO : 0);
	if (keepalive) {
		/* empty: asks the server for its idle timeout (RFC 7828) */
		wbuf_u16(&b, DNS_OPT_KEEPALIVE);
		wbuf_u16(&b, 0);
	}
	if (b.err)
		return 0;
	if (pad_block != 0) {
		/* the padding option's own header counts toward the total */
		unpadded = b.len + DNS_OPTION_HDRLEN;
		pad = (pad_block - unpadded % pad_block) % pad_block;
		if (pad > UINT16_MAX - DNS_OPTION_HDRLEN)
			return 0;
		wbuf_u16(&b, DNS_OPT_PADDING);
		wbuf_u16(&b, (uint16_t)pad);
		wbuf_zero(&b, pad);
	}
	wbuf_patch_len(&b, at);
	return b.err ? 0 : b.len;
}

size_t
dns_build_query(const struct dns_query *q, uint16_t id, size_t pad_block,
    uint8_t *out, size_t outlen)
{
	return build_query(q, id, pad_block, 0, out, outlen);
}

size_t
dns_build_upstream_query(const struct dns_query *q, uint16_t id,
    uint8_t *out, size_t outlen)
{
	return build_query(q, id, DNS_PAD_BLOCK, 1, out, outlen);
}

/*
 * Upstream answers.
 */

int
dns_answer_peek(const uint8_t *buf, size_t len, uint16_t *id,
    struct dns_question *q)
{
	struct wire	 w;
	uint16_t	 flags, qdcount;

	memset(q, 0, sizeof(*q));
	wire_init(&w, buf, len);
	*id = wire_u16(&w);
	flags = wire_u16(&w);
	qdcount = wire_u16(&w);
	wire_skip(&w, 6);
	if (!wire_ok(&w) || !(flags & DNS_FLAG_QR) || qdcount != 1)
		return -1;
	return read_question(&w, q);
}

/*
 * Whether the name at pos decodes from bytes before limit only, pointer
 * by pointer: every pointer aims at a place before the label sequence
 * it ends and before limit, and the labels found there end before both
 * too (so a chain only goes back, and cannot loop), at most DNS_MAXHOPS
 * pointers. The labels at pos must end before first_end; *after, when
 * not NULL, is where the name ends there. wire_skip_name() checks the
 * first pointer only: a chain through bytes it never looked at could
 * still lead forward, to bytes that move or change when the OPT record
 * goes or is rewritten. 0 ok, -1 not so.
 */
static int
name_backward(const uint8_t *buf, size_t len, size_t pos, size_t first_end,
    size_t limit, size_t *after)
{
	size_t	 seg, end, namelen, target;
	int	 hops;
	uint8_t	 c;

	seg = pos;
	end = first_end < len ? first_end : len;
	namelen = 0;
	for (hops = 0;;) {
		if (pos >= end)
			return -1;
		c = buf[pos];
		if ((c & DNS_PTR_BITS) == DNS_PTR_BITS) {
			if (end - pos < 2)
				return -1;
			target = (size_t)(c & ~DNS_PTR_BITS) << 8 |
			    buf[pos + 1];
			if (hops == 0 && after != NULL)
				*after = pos + 2;
			if (target < DNS_HDRLEN || target >= seg ||
			    target >= limit || ++hops > DNS_MAXHOPS)
				return -1;
			/* and what it points at ends before it, and limit */
			end = seg < limit ? seg : limit;
			seg = pos = target;
			continue;
		}
		namelen += (size_t)c + 1;
		if (c > DNS_MAXLABEL || namelen > DNS_MAXNAME)
			return -1;
		if (c == 0)
			break;
		pos += (size_t)c + 1;
	}
	if (hops == 0 && after != NULL)
		*after = pos + 1;
	return 0;
}

/*
 * Where the names sit in RDATA of the types whose names a client may
 * decompress: those of RFC 1035 and those RFC 3597 section 4 says
 * receivers should decompress. *pos is the first name, *count how many
 * follow one another from there. Types known to carry no name at all
 * are RDATA_NAMELESS; the rest, RDATA_OPAQUE, may hold names or not.
 */
static enum rdata_kind
rdata_names(const uint8_t *buf, const struct rr *rr, size_t *pos, int *count)
{
	size_t	 skip = 0;
	int	 i;

	*count = 1;
	switch (rr->type) {
	case 2:		/* NS */
	case 3:		/* MD */
	case 4:		/* MF */
	case 5:		/* CNAME */
	case 7:		/* MB */
	case 8:		/* MG */
	case 9:		/* MR */
	case 12:	/* PTR */
	case 30:	/* NXT */
	case 39:	/* DNAME */
		break;
	case DNS_TYPE_SOA:
	case 14:	/* MINFO */
	case 17:	/* RP */
		*count = 2;
		break;
	case 15:	/* MX */
	case 18:	/* AFSDB */
	case 21:	/* RT */
	case 36:	/* KX */
		skip = 2;
		break;
	case 26:	/* PX */
		skip = 2;
		*count = 2;
		break;
	case 33:	/* SRV */
		skip = 6;
		break;
	case 24:	/* SIG */
		skip = 18;
		break;
	case 35:	/* NAPTR: order, preference, three strings */
		skip = 4;
		for (i = 0; i < 3 && skip < rr->rdlen; i++)
			skip += 1 + (size_t)buf[rr->rdata + skip];
		break;
	case 1:		/* A */
	case 10:	/* NULL */
	case 11:	/* WKS */
	case 13:	/* HINFO */
	case 16:	/* TXT */
	case 19:	/* X25 */
	case 20:	/* ISDN */
	case 27:	/* GPOS */
	case 28:	/* AAAA */
	case 29:	/* LOC */
	case DNS_TYPE_OPT:
	case 43:	/* DS */
	case 44:	/* SSHFP */
	case 48:	/* DNSKEY */
	case 49:	/* DHCID */
	case 50:	/* NSEC3 */
	case 51:	/* NSEC3PARAM */
	case 52:	/* TLSA */
	case 53:	/* SMIMEA */
	case 59:	/* CDS */
	case 60:	/* CDNSKEY */
	case 61:	/* OPENPGPKEY */
	case 62:	/* CSYNC */
	case 63:	/* ZONEMD */
	case 99:	/* SPF */
	case 108:	/* EUI48 */
	case 109:	/* EUI64 */
	case 256:	/* URI */
	case 257:	/* CAA */
		return RDATA_NAMELESS;
	default:
		return RDATA_OPAQUE;
	}
	/* past the RDATA, name_backward() fails */
	*pos = rr->rdata + skip;
	return RDATA_NAMES;
}

/*
 * Whether every name of the record we can see (its owner, the RDATA
 * names of rdata_names()) decodes backwards from bytes before limit.
 */
static int
rr_names_backward(const uint8_t *buf, size_t len, const struct rr *rr,
    size_t limit)
{
	size_t	 pos, end;
	int	 count;

	/* the owner ends where TYPE and CLASS begin */
	if (name_backward(buf, len, rr->start, rr->ttl_at - 4, limit,
	    NULL) == -1)
		return -1;
	if (rdata_names(buf, rr, &pos, &count) != RDATA_NAMES)
		return 0;
	end = rr->rdata + rr->rdlen;
	while (count-- > 0)
		if (name_backward(buf, len, pos, end, limit, &pos) == -1)
			return -1;
	return 0;
}

/* Read one record's fixed fields and claim its RDATA. 0 ok, -1 bad. */
static int
rr_read(struct wire *w, struct rr *rr)
{
	rr->start = w->pos;
	wire_skip_name(w);
	rr->type = wire_u16(w);
	rr->class = wire_u16(w);
	rr->ttl_at = w->pos;
	rr->ttl = wire_u32(w);
	rr->rdlen = wire_u16(w);
	rr->rdata = w->pos;
	wire_skip(w, rr->rdlen);
	return wire_ok(w) ? 0 : -1;
}

/* Header and the one question, which goes to q. 0 ok, -1 bad. */
static int
msg_walk_init(struct msg_walk *m, const uint8_t *buf, size_t len,
    struct dns_question *q)
{
	uint16_t	 qdcount;

	memset(m, 0, sizeof(*m));
	wire_init(&m->w, buf, len);
	(void)wire_u16(&m->w);	/* id */
	m->flags = wire_u16(&m->w);
	qdcount = wire_u16(&m->w);
	m->count[SECTION_ANSWER] = wire_u16(&m->w);
	m->count[SECTION_AUTHORITY] = wire_u16(&m->w);
	m->count[SECTION_ADDITIONAL] = wire_u16(&m->w);
	if (!wire_ok(&m->w) || qdcount != 1)
		return -1;
	if (read_question(&m->w, q) == -1)
		return -1;
	m->records = m->w.pos;
	m->section = SECTION_ANSWER;
	return 0;
}

/*
 * The next record into rr: 1 when there is one, 0 at the end of a message
 * that held exactly the records its header promised, -1 when it is bad.
 */
static int
msg_walk_next(struct msg_walk *m, struct rr *rr)
{
	while (m->section < SECTION_END &&
	    m->done == m->count[m->section]) {
		m->section++;
		m->done = 0;
	}
	if (m->section == SECTION_END)
		return wire_ok(&m->w) && wire_left(&m->w) == 0 ? 0 : -1;
	if (rr_read(&m->w, rr) == -1)
		return -1;
	rr->section = m->section;
	m->done++;
	return 1;
}

/*
 * Records behind the OPT move when it goes or is rewritten: their names
 * may decode from bytes before it only, and a record whose names we
 * cannot see (RDATA_OPAQUE) may not move at all. No name anywhere may
 * lead forward, to moved bytes; names hidden in opaque RDATA are never
 * decompressed by clients (RFC 3597 section 4). The OPT is last in
 * every answer seen in practice, so refusing the rest costs nothing.
 */
static int
answer_rr(const uint8_t *buf, size_t len, const struct rr *rr,
    struct dns_answer *lay)
{
	size_t	 pos;
	int	 count;

	if (lay->has_opt && rdata_names(buf, rr, &pos, &count) ==
	    RDATA_OPAQUE)
		return -1;
	if (rr_names_backward(buf, len, rr, lay->has_opt ? lay->opt_start :
	    SIZE_MAX) == -1)
		return -1;
	if (rr->type != DNS_TYPE_OPT)
		return 0;
	if (rr->section != SECTION_ADDITIONAL || lay->has_opt ||
	    buf[rr->start] != 0)
		return -1;
	if (opt_options(buf + rr->rdata, rr->rdlen, NULL) == -1)
		return -1;
	/* offsets into a message of at most DNS_MAXMSG bytes */
	lay->has_opt = 1;
	lay->opt_start = (uint16_t)rr->start;
	lay->opt_end = (uint16_t)(rr->rdata + rr->rdlen);
	lay->opt_rdata = (uint16_t)rr->rdata;
	lay->opt_rdlen = rr->rdlen;
	lay->opt_ttl = rr->ttl;
	return 0;
}

/*
 * The one walk of an upstream answer: every byte checked, every record
 * placed, and the TTLs gathered on the way.
 */
int
dns_answer_parse(const uint8_t *ans, size_t anslen, const struct dns_query *q,
    struct dns_answer *lay)
{
	struct msg_walk		 m;
	struct dns_question	 aq;
	struct rr		 rr;
	struct ttl_acc		 acc;
	int			 more;

	memset(lay, 0, sizeof(*lay));
	if (anslen > DNS_MAXMSG || msg_walk_init(&m, ans, anslen, &aq) == -1)
		return -1;
	if (!(m.flags & DNS_FLAG_QR) || DNS_OPCODE(m.flags) != 0 ||
	    !dns_question_equal(&aq, &q->q))
		return -1;
	lay->len = (uint16_t)anslen;
	lay->flags = m.flags;
	lay->ancount = m.count[SECTION_ANSWER];
	lay->nscount = m.count[SECTION_AUTHORITY];
	lay->arcount = m.count[SECTION_ADDITIONAL];
	lay->records = (uint16_t)m.records;
	ttl_acc_init(&acc);
	while ((more = msg_walk_next(&m, &rr)) == 1) {
		if (answer_rr(ans, anslen, &rr, lay) == -1)
			return -1;
		ttl_acc_add(&acc, ans, &rr);
	}
	if (more == -1)
		return -1;
	lay->ttl = ttl_acc_lifetime(&acc, m.flags, m.count[SECTION_ANSWER]);
	return 0;
}

/* whether a layout can be one dns_answer_parse() made for len bytes */
static int
layout_fits(const struct dns_answer *lay, size_t len)
{
	if (lay->len != len || lay->records < DNS_HDRLEN ||
	    lay->records > len)
		return 0;
	if (!lay->has_opt)
		return 1;
	return lay->records <= lay->opt_start &&
	    lay->opt_start < lay->opt_rdata &&
	    lay->opt_rdata + lay->opt_rdlen == lay->opt_end &&
	    lay->opt_end <= len;
}

static uint16_t
client_flags(const struct dns_query *q, uint16_t upstream)
{
	uint16_t	 keep;

	keep = DNS_FLAG_QR | DNS_FLAG_AA | DNS_FLAG_TC | DNS_FLAG_RA |
	    DNS_FLAG_AD | DNS_FLAG_CD | 0xf;
	return (uint16_t)((upstream & keep) | (q->flags & DNS_FLAG_RD));
}

/* Our OPT for the client, carrying the upstream's end-to-end parts. */
static void
put_client_opt(struct wbuf *b, const struct dns_query *q, const uint8_t *ans,
    const struct dns_answer *lay, int with_options)
{
	uint32_t	 ttl;
	size_t		 at;

	if (lay->has_opt)
		ttl = (lay->opt_ttl & 0xffff0000U) | (lay->opt_ttl & DNS_OPT_DO);
	else
		ttl = q->edns_do ? DNS_OPT_DO : 0;
	at = put_opt_head(b, ttl);
	if (with_options && lay->has_opt &&
	    opt_options(ans + lay->opt_rdata, lay->opt_rdlen, b) == -1)
		b->err = 1;
	wbuf_patch_len(b, at);
}

/* The whole answer for q, with our OPT record when with_opt is set. */
static void
answer_full(struct wbuf *b, const uint8_t *ans, size_t anslen,
    const struct dns_query *q, const struct dns_answer *lay, int with_opt)
{
	size_t	 arcount;

	arcount = lay->arcount;
	if (lay->has_opt)
		arcount--;
	if (with_opt)
		arcount++;
	if (arcount > UINT16_MAX) {
		b->err = 1;
		return;
	}
	put_header(b, q->id, client_flags(q, lay->flags), 1, lay->ancount,
	    lay->nscount, (uint16_t)arcount);
	/* same length as the upstream's question, so pointers still hold */
	put_question(b, &q->q);
	if (lay->has_opt) {
		wbuf_bytes(b, ans + lay->records, lay->opt_start - lay->records);
		wbuf_bytes(b, ans + lay->opt_end, anslen - lay->opt_end);
	} else
		wbuf_bytes(b, ans + lay->records, anslen - lay->records);
	if (with_opt)
		put_client_opt(b, q, ans, lay, 1);
}

static void
answer_truncated(struct wbuf *b, const struct dns_query *q,
    const struct dns_answer *lay)
{
	put_header(b, q->id, client_flags(q, lay->flags) | DNS_FLAG_TC, 1,
	    0, 0, q->edns ? 1 : 0);
	put_question(b, &q->q);
	if (q->edns)
		put_client_opt(b, q, NULL, lay, 0);
}

size_t
dns_client_answer(const uint8_t *ans, size_t anslen,
    const struct dns_query *q, size_t maxlen, uint8_t *out, size_t outlen)
{
	struct dns_answer	 lay;

	if (dns_answer_parse(ans, anslen, q, &lay) == -1)
		return 0;
	return dns_answer_client(ans, anslen, &lay, q, maxlen, out, outlen);
}

size_t
dns_answer_client(const uint8_t *ans, size_t anslen,
    const struct dns_answer *a, const struct dns_query *q, size_t maxlen,
    uint8_t *out, size_t outlen)
{
	struct dns_answer	 lay = *a;
	struct wbuf		 b;
	size_t			 cap;

	if (!layout_fits(&lay, anslen))
		return 0;
	/* an extended rcode cannot be told to a client without EDNS */
	if (lay.has_opt && (lay.opt_ttl >> 24) != 0 && !q->edns)
		return 0;
	cap = maxlen < outlen ? maxlen : outlen;
	if (cap > DNS_MAXMSG)
		cap = DNS_MAXMSG;
	wbuf_init(&b, out, cap);
	answer_full(&b, ans, anslen, q, &lay, q->edns);
	if (!b.err)
		return b.len;
	/*
	 * Only an answer without OPT can outgrow a TCP message when ours is
	 * added (ours is never longer than the upstream's). Nothing larger
	 * can be sent and TC=1 over TCP gets the client nowhere: the whole
	 * answer without our OPT serves it better (RFC 6891 wants one, but
	 * a client that cannot get the data at all is worse off).
	 */
	if (q->edns && !lay.has_opt && maxlen >= DNS_MAXMSG) {
		wbuf_init(&b, out, cap);
		answer_full(&b, ans, anslen, q, &lay, 0);
		if (!b.err)
			return b.len;
	}
	wbuf_init(&b, out, outlen);
	answer_truncated(&b, q, &lay);
	return b.err ? 0 : b.len;
}

/*
 * Answer TTLs, for the cache.
 */

/* RFC 2181 section 8: a TTL with the top bit set means zero. */
static uint32_t
ttl_value(uint32_t ttl)
{
	return (ttl & 0x80000000U) ? 0 : ttl;
}

static uint32_t
ttl_min(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/* The MINIMUM field closing SOA RDATA, which must hold nothing else. */
static int
soa_minimum(const uint8_t *msg, const struct rr *rr, uint32_t *minimum)
{
	struct wire	 w;

	wire_init(&w, msg, rr->rdata + rr->rdlen);
	wire_skip(&w, rr->rdata);
	wire_skip_name(&w);	/* MNAME */
	wire_skip_name(&w);	/* RNAME */
	wire_skip(&w, 16);	/* SERIAL, REFRESH, RETRY, EXPIRE */
	*minimum = ttl_value(wire_u32(&w));
	return wire_ok(&w) && wire_left(&w) == 0 ? 0 : -1;
}

static void
ttl_acc_init(struct ttl_acc *acc)
{
	acc->records = acc->soa = UINT32_MAX;
	acc->bad_soa = 0;
}

/* the answer and authority records count, the OPT and additional do not */
static void
ttl_acc_add(struct ttl_acc *acc, const uint8_t *msg, const struct rr *rr)
{
	uint32_t	 minimum;

	if (rr->type == DNS_TYPE_OPT || rr->section == SECTION_ADDITIONAL)
		return;
	acc->records = ttl_min(acc->records, ttl_value(rr->ttl));
	if (rr->section != SECTION_AUTHORITY || rr->type != DNS_TYPE_SOA)
		return;
	if (soa_minimum(msg, rr, &minimum) == -1)
		acc->bad_soa = 1;
	else
		acc->soa = ttl_min(acc->soa, minimum);
}

/*
 * A negative answer lives as long as its SOA's TTL and MINIMUM allow
 * (RFC 2308 section 5). Every other answer and authority record caps
 * it too, so a CNAME in an NXDOMAIN answer or an NSEC beside the SOA is
 * never served after its own TTL has run out. 0: not to be kept.
 */
static uint32_t
ttl_acc_lifetime(const struct ttl_acc *acc, uint16_t flags, uint16_t ancount)
{
	uint32_t	 records = acc->records;
	int		 rcode, negative;

	rcode = DNS_RCODE(flags);
	if (acc->bad_soa || (flags & DNS_FLAG_TC) ||
	    (rcode != DNS_RCODE_NOERROR && rcode != DNS_RCODE_NXDOMAIN))
		return 0;
	negative = rcode == DNS_RCODE_NXDOMAIN || ancount == 0;
	if (negative && acc->soa == UINT32_MAX)
		return 0;
	if (negative)
		records = ttl_min(records, acc->soa);
	/* only OPT records where answers should be: nothing to keep */
	return records != UINT32_MAX ? records : 0;
}

int
dns_answer_ttl(const uint8_t *msg, size_t len, uint32_t *ttl)
{
	struct msg_walk		 m;
	struct dns_question	 q;
	struct rr		 rr;
	struct ttl_acc		 acc;
	int			 more;

	*ttl = 0;
	if (msg_walk_init(&m, msg, len, &q) == -1)
		return -1;
	ttl_acc_init(&acc);
	while ((more = msg_walk_next(&m, &rr)) == 1)
		ttl_acc_add(&acc, msg, &rr);
	if (more == -1 || acc.bad_soa)
		return -1;
	*ttl = ttl_acc_lifetime(&acc, m.flags, m.count[SECTION_ANSWER]);
	return 0;
}

/*
 * Every TTL but the OPT's: fixed when that is not 0, else at most cap,
 * less age. One walk, no check beyond the cursor's: the message was
 * checked whole when it was parsed.
 */
int
dns_answer_set_ttl(uint8_t *msg, size_t len, uint32_t age, uint32_t cap,
    uint32_t fixed)
{
	struct msg_walk		 m;
	struct dns_question	 q;
	struct rr		 rr;
	uint32_t		 ttl;
	int			 more;

	if (msg_walk_init(&m, msg, len, &q) == -1)
		return -1;
	while ((more = msg_walk_next(&m, &rr)) == 1) {
		/* the OPT's TTL field holds EDNS flags, not a lifetime */
		if (rr.type == DNS_TYPE_OPT)
			continue;
		ttl = ttl_min(ttl_value(rr.ttl), cap);
		ttl = ttl > age ? ttl - age : 0;
		if (fixed != 0)
			ttl = fixed;
		msg[rr.ttl_at] = (uint8_t)(ttl >> 24);
		msg[rr.ttl_at + 1] = (uint8_t)(ttl >> 16);
		msg[rr.ttl_at + 2] = (uint8_t)(ttl >> 8);
		msg[rr.ttl_at + 3] = (uint8_t)ttl;
	}
	return more;
}

/*
 * Names as text, for logs.
 */

static void
text_add(struct text *t, const char *s)
{
	size_t	 n;

	n = strlen(s);
	/* all or nothing, so an escape is never cut in half */
	if (t->full || t->size - t->len <= n) {
		t->full = 1;
		return;
	}
	memcpy(t->buf + t->len, s, n + 1);
	t->len += n;
}

static void
text_label_byte(struct text *t, uint8_t c)
{
	char	 s[5];

	if (c == '.' || c == '\\')
		(void)snprintf(s, sizeof(s), "\\%c", c);
	else if (c > 0x20 && c < 0x7f)
		(void)snprintf(s, sizeof(s), "%c", c);
	else
		(void)snprintf(s, sizeof(s), "\\%03u", (unsigned int)c);
	text_add(t, s);
}

void
dns_name_str(const uint8_t *name, size_t len, char *buf, size_t size)
{
	struct text	 t;
	struct wire	 w;
	uint8_t		 c, label;

	if (size == 0)
		return;
	buf[0] = '\0';
	t.buf = buf;
	t.size = size;
	t.len = 0;
	t.full = 0;
	wire_init(&w, name, len);
	for (;;) {
		label = wire_u8(&w);
		if (!wire_ok(&w) || label > DNS_MAXLABEL) {
			text_add(&t, "?");
			return;
		}
		if (label == 0)
			break;
		while (label-- > 0) {
			c = wire_u8(&w);
			if (!wire_ok(&w)) {
				text_add(&t, "?");
				return;
			}
			text_label_byte(&t, c);
		}
		text_add(&t, ".");
	}
	if (t.len == 0)
		text_add(&t, ".");
}

/*
 * The server's idle timeout from an edns-tcp-keepalive option in the
 * answer's OPT record (RFC 7828, units of 100 ms). 1 found, 0 none, -1
 * the message does not parse.
 */
int
dns_answer_keepalive(const uint8_t *buf, size_t len, uint32_t *ms)
{
	struct msg_walk		 m;
	struct dns_question	 q;
	struct rr		 rr;
	struct wire		 opt;
	uint16_t		 code, optlen;
	int			 more, found = 0;

	if (msg_walk_init(&m, buf, len, &q) == -1)
		return -1;
	while ((more = msg_walk_next(&m, &rr)) == 1) {
		if (rr.type != DNS_TYPE_OPT)
			continue;
		wire_init(&opt, buf + rr.rdata, rr.rdlen);
		while (wire_left(&opt) > 0) {
			code = wire_u16(&opt);
			optlen = wire_u16(&opt);
			if (code == DNS_OPT_KEEPALIVE && optlen == 2) {
				*ms = (uint32_t)wire_u16(&opt) * 100;
				found = wire_ok(&opt);
			} else
				wire_skip(&opt, optlen);
			if (!wire_ok(&opt))
				return -1;
		}
	}
	return more == -1 ? -1 : found;
}

/*
 * Answers from the local zones.
 */

#define LOCAL_A		0x1	/* the records a local name can have */
#define LOCAL_AAAA	0x2
#define LOCAL_SOA	0x4
#define LOCAL_NS	0x8
#define DNS_PTR(at)	((uint16_t)(0xc000 | (at)))

/* "nobody.invalid.", the RNAME of RFC 6303 section 3 */
static const uint8_t	 local_rname[] = {
	6, 'n', 'o', 'b', 'o', 'd', 'y', 7, 'i', 'n', 'v', 'a', 'l', 'i', 'd', 0
};

/* Whether the last apexlen bytes of a question name are apex, by labels. */
static int
name_has_suffix(const struct dns_question *q, const uint8_t *apex,
    size_t apexlen)
{
	size_t	 at, i;

	for (at = 0; at < q->qname_len; at += (size_t)q->qname[at] + 1) {
		if (q->qname_len - at < apexlen)
			return 0;
		if (q->qname_len - at > apexlen)
			continue;
		for (i = 0; i < apexlen; i++)
			if (ascii_lower(q->qname[at + i]) !=
			    ascii_lower(apex[i]))
				return 0;
		return 1;
	}
	return 0;
}

static unsigned int
local_records(enum dns_local_kind kind, int at_apex)
{
	unsigned int	 have = 0;

	if (kind == DNS_LOCAL_LOCALHOST)
		have |= LOCAL_A | LOCAL_AAAA;
	if (at_apex)
		have |= LOCAL_SOA | LOCAL_NS;
	return have;
}

static unsigned int
local_wanted(uint16_t qtype)
{
	switch (qtype) {
	case DNS_TYPE_A:
		return LOCAL_A;
	case DNS_TYPE_AAAA:
		return LOCAL_AAAA;
	case DNS_TYPE_SOA:
		return LOCAL_SOA;
	case DNS_TYPE_NS:
		return LOCAL_NS;
	case DNS_TYPE_ANY:
		return LOCAL_A | LOCAL_AAAA | LOCAL_SOA | LOCAL_NS;
	default:
		return 0;
	}
}

static uint16_t
local_count(unsigned int records)
{
	uint16_t	 n = 0;

	for (; records != 0; records &= records - 1)
		n++;
	return n;
}

/* A record's owner (a pointer), type, class IN, TTL and RDLENGTH. */
static void
put_local_rr(struct wbuf *b, uint16_t owner, uint16_t type, uint16_t rdlen)
{
	wbuf_u16(b, DNS_PTR(owner));
	wbuf_u16(b, type);
	wbuf_u16(b, DNS_CLASS_IN);
	wbuf_u32(b, DNS_LOCAL_TTL);
	wbuf_u16(b, rdlen);
}

static void
put_local_soa(struct wbuf *b, uint16_t apex)
{
	put_local_rr(b, apex, DNS_TYPE_SOA,
	    (uint16_t)(2 + sizeof(local_rname) + 5 * 4));
	wbuf_u16(b, DNS_PTR(apex));		/* MNAME: the apex */
	wbuf_bytes(b, local_rname, sizeof(local_rname));
	wbuf_u32(b, 1);				/* SERIAL */
	wbuf_u32(b, 3600);			/* REFRESH */
	wbuf_u32(b, 1200);			/* RETRY */
	wbuf_u32(b, 604800);			/* EXPIRE */
	wbuf_u32(b, DNS_LOCAL_TTL);		/* MINIMUM */
}

static void
put_local_records(struct wbuf *b, unsigned int records, uint16_t apex)
{
	static const uint8_t	 v4[4] = { 127, 0, 0, 1 };
	static const uint8_t	 v6[16] = { [15] = 1 };

	if (records & LOCAL_A) {
		put_local_rr(b, DNS_HDRLEN, DNS_TYPE_A, sizeof(v4));
		wbuf_bytes(b, v4, sizeof(v4));
	}
	if (records & LOCAL_AAAA) {
		put_local_rr(b, DNS_HDRLEN, DNS_TYPE_AAAA, sizeof(v6));
		wbuf_bytes(b, v6, sizeof(v6));
	}
	if (records & LOCAL_SOA)
		put_local_soa(b, apex);
	if (records & LOCAL_NS) {
		put_local_rr(b, apex, DNS_TYPE_NS, 2);
		wbuf_u16(b, DNS_PTR(apex));
	}
}

size_t
dns_local_answer(const struct dns_query *q, const uint8_t *apex,
    size_t apexlen, enum dns_local_kind kind, uint8_t *out, size_t outlen)
{
	struct wbuf	 b;
	unsigned int	 have, answer;
	uint16_t	 flags, apex_at;

	if (!q->has_question || q->q.qname_len > DNS_MAXNAME ||
	    apexlen == 0 || !name_has_suffix(&q->q, apex, apexlen))
		return 0;
	/* the apex as the question spells it: every name points there */
	apex_at = (uint16_t)(DNS_HDRLEN + q->q.qname_len - apexlen);
	have = local_records(kind, apexlen == q->q.qname_len);
	answer = have & local_wanted(q->q.qtype);
	flags = (uint16_t)(DNS_FLAG_QR | DNS_FLAG_AA | DNS_FLAG_RA |
	    (q->flags & (DNS_FLAG_RD | DNS_FLAG_CD)));
	if (have == 0)
		flags |= DNS_RCODE_NXDOMAIN;
	wbuf_init(&b, out, outlen);
	put_header(&b, q->id, flags, 1, local_count(answer),
	    answer == 0 ? 1 : 0, q->edns ? 1 : 0);
	put_question(&b, &q->q);
	if (answer != 0)
		put_local_records(&b, answer, apex_at);
	else
		put_local_soa(&b, apex_at);
	if (q->edns)
		(void)put_opt_head(&b, q->edns_do ? DNS_OPT_DO : 0);
	return b.err ? 0 : b.len;
}
