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
 * Builders for DNS messages in unit tests, shared by the test files that
 * need packets whose every byte is known. Functions are static inline so
 * that each test file takes what it uses and no object file is needed.
 * Writes past the end of a packet are dropped; tests check lengths.
 */

#ifndef DNSBUILD_H
#define DNSBUILD_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dns.h"

#define PTR_QNAME	0xc00c	/* compression pointer to the question name */

struct pkt {
	uint8_t	 b[DNS_MAXMSG];
	size_t	 len;
};

static inline void
put8(struct pkt *p, unsigned int v)
{
	if (p->len < sizeof(p->b))
		p->b[p->len++] = (uint8_t)v;
}

static inline void
put16(struct pkt *p, unsigned int v)
{
	put8(p, (v >> 8) & 0xff);
	put8(p, v & 0xff);
}

static inline void
put32(struct pkt *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p, v & 0xffff);
}

static inline void
putbytes(struct pkt *p, const void *v, size_t n)
{
	const uint8_t	*s = v;
	size_t		 i;

	for (i = 0; i < n; i++)
		put8(p, s[i]);
}

/* "www.example.com" in wire form; "" is the root */
static inline void
putname(struct pkt *p, const char *name)
{
	const char	*dot;
	size_t		 n;

	while (*name != '\0') {
		dot = strchr(name, '.');
		n = dot != NULL ? (size_t)(dot - name) : strlen(name);
		put8(p, (unsigned int)n);
		putbytes(p, name, n);
		name += n;
		if (*name == '.')
			name++;
	}
	put8(p, 0);
}

/* starts the packet over */
static inline void
header(struct pkt *p, unsigned int id, unsigned int flags, unsigned int qd,
    unsigned int an, unsigned int ns, unsigned int ar)
{
	p->len = 0;
	put16(p, id);
	put16(p, flags);
	put16(p, qd);
	put16(p, an);
	put16(p, ns);
	put16(p, ar);
}

static inline void
question(struct pkt *p, const char *name, unsigned int type,
    unsigned int class)
{
	putname(p, name);
	put16(p, type);
	put16(p, class);
}

static inline void
opt(struct pkt *p, unsigned int udp, uint32_t ttl, const void *rdata,
    size_t rdlen)
{
	put8(p, 0);
	put16(p, DNS_TYPE_OPT);
	put16(p, udp);
	put32(p, ttl);
	put16(p, (unsigned int)rdlen);
	putbytes(p, rdata, rdlen);
}

/* A record of class IN owned by the question name; where its TTL sits. */
static inline size_t
put_rr(struct pkt *p, unsigned int type, uint32_t ttl, const void *rdata,
    size_t rdlen)
{
	size_t	 at;

	put16(p, PTR_QNAME);
	put16(p, type);
	put16(p, DNS_CLASS_IN);
	at = p->len;
	put32(p, ttl);
	put16(p, (unsigned int)rdlen);
	putbytes(p, rdata, rdlen);
	return at;
}

/* An SOA owned by the question name, both its names pointing there. */
static inline size_t
put_soa(struct pkt *p, uint32_t ttl, uint32_t minimum)
{
	size_t	 at;

	put16(p, PTR_QNAME);
	put16(p, DNS_TYPE_SOA);
	put16(p, DNS_CLASS_IN);
	at = p->len;
	put32(p, ttl);
	put16(p, 2 + 2 + 5 * 4);
	put16(p, PTR_QNAME);		/* MNAME */
	put16(p, PTR_QNAME);		/* RNAME */
	put32(p, 2026010101);		/* SERIAL */
	put32(p, 7200);			/* REFRESH */
	put32(p, 3600);			/* RETRY */
	put32(p, 1209600);		/* EXPIRE */
	put32(p, minimum);
	return at;
}

static inline unsigned int
get16(const uint8_t *b, size_t off)
{
	return (unsigned int)b[off] << 8 | b[off + 1];
}

static inline uint32_t
get32(const uint8_t *b, size_t off)
{
	return (uint32_t)get16(b, off) << 16 | get16(b, off + 2);
}

#endif /* DNSBUILD_H */
