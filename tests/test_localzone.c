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
 * Unit tests of the local zones: which names fall in which zone, when a
 * forward zone takes them, and the answers dns_local_answer() writes,
 * checked here through our own answer walkers and, when /usr/bin/python3
 * has dnspython, by tests/check_local_answers.py reading them as files.
 */

#include <sys/wait.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dns.h"
#include "dnsbuild.h"
#include "localzone.h"
#include "zone.h"
#include "test.h"

#define TYPE_MX		15
#define TYPE_PTR	12
#define TYPE_DS		43
#define OPT_DO		0x8000
#define ZEROS31		"0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0." \
			"0.0.0.0"
#define IP6_LOOPBACK	"1." ZEROS31 ".ip6.arpa"
#define SOA_REST	"300 IN SOA %s nobody.invalid. 1 3600 1200 604800 300"

static struct localzones	*lzs;

/* the local zone a text name falls in, as text; "" when none */
static const char *
zone_of(const char *name)
{
	static char		 buf[DNS_MAXNAME * 4];
	struct pkt		 p;
	struct localzone	 lz;

	p.len = 0;
	putname(&p, name);
	if (!localzone_match(lzs, p.b, p.len, &lz))
		return "";
	dns_name_str(lz.apex, lz.apexlen, buf, sizeof(buf));
	return buf;
}

static void
test_match(void)
{
	struct localzone	 lz;
	struct pkt		 p;
	size_t			 i;

	CHECK(localzone_count(lzs) == 104);
	for (i = 0; i < localzone_count(lzs); i++)
		CHECK(localzone_at(lzs, i, &lz) == 1 && lz.index == (int)i &&
		    lz.apexlen > 1);
	CHECK(localzone_at(lzs, i, &lz) == 0);

	CHECK(strcmp(zone_of("localhost"), "localhost.") == 0);
	CHECK(strcmp(zone_of("a.b.LocalHost"), "localhost.") == 0);
	CHECK(strcmp(zone_of("localhost.example"), "") == 0);
	CHECK(strcmp(zone_of("xlocalhost"), "") == 0);
	CHECK(strcmp(zone_of("invalid"), "invalid.") == 0);
	CHECK(strcmp(zone_of("3g2upl4pq6kufc4m.onion"), "onion.") == 0);
	CHECK(strcmp(zone_of("printer._ipp._tcp.local"), "local.") == 0);
	CHECK(strcmp(zone_of("nas.HOME.arpa"), "home.arpa.") == 0);
	CHECK(strcmp(zone_of("arpa"), "") == 0);
	CHECK(strcmp(zone_of("in-addr.arpa"), "") == 0);
	CHECK(strcmp(zone_of("ip6.arpa"), "") == 0);
	CHECK(strcmp(zone_of("test"), "") == 0);
	CHECK(strcmp(zone_of("dot.test"), "") == 0);
	CHECK(strcmp(zone_of("example"), "") == 0);
	CHECK(strcmp(zone_of(""), "") == 0);

	CHECK(strcmp(zone_of("1.0.0.10.in-addr.arpa"),
	    "10.in-addr.arpa.") == 0);
	CHECK(strcmp(zone_of("1.0.0.11.in-addr.arpa"), "") == 0);
	CHECK(strcmp(zone_of("1.0.0.127.in-addr.arpa"),
	    "127.in-addr.arpa.") == 0);
	CHECK(strcmp(zone_of("15.172.in-addr.arpa"), "") == 0);
	CHECK(strcmp(zone_of("1.16.172.in-addr.arpa"),
	    "16.172.in-addr.arpa.") == 0);
	CHECK(strcmp(zone_of("31.172.in-addr.arpa"),
	    "31.172.in-addr.arpa.") == 0);
	CHECK(strcmp(zone_of("32.172.in-addr.arpa"), "") == 0);
	CHECK(strcmp(zone_of("172.in-addr.arpa"), "") == 0);
	CHECK(strcmp(zone_of("63.100.in-addr.arpa"), "") == 0);
	CHECK(strcmp(zone_of("64.100.in-addr.arpa"),
	    "64.100.in-addr.arpa.") == 0);
	CHECK(strcmp(zone_of("9.9.127.100.in-addr.arpa"),
	    "127.100.in-addr.arpa.") == 0);
	CHECK(strcmp(zone_of("128.100.in-addr.arpa"), "") == 0);
	CHECK(strcmp(zone_of("5.4.168.192.in-addr.arpa"),
	    "168.192.in-addr.arpa.") == 0);
	CHECK(strcmp(zone_of("5.4.169.192.in-addr.arpa"), "") == 0);
	CHECK(strcmp(zone_of("1.1.254.169.in-addr.arpa"),
	    "254.169.in-addr.arpa.") == 0);
	CHECK(strcmp(zone_of("1.2.3.0.in-addr.arpa"),
	    "0.in-addr.arpa.") == 0);
	CHECK(strcmp(zone_of("255.255.255.255.in-addr.arpa"),
	    "255.255.255.255.in-addr.arpa.") == 0);
	CHECK(strcmp(zone_of("254.255.255.255.in-addr.arpa"), "") == 0);
	CHECK(strcmp(zone_of("7.2.0.192.in-addr.arpa"),
	    "2.0.192.in-addr.arpa.") == 0);
	CHECK(strcmp(zone_of("1.1.1.1.in-addr.arpa"), "") == 0);
	CHECK(strcmp(zone_of(IP6_LOOPBACK), IP6_LOOPBACK ".") == 0);
	CHECK(strcmp(zone_of("2." ZEROS31 ".ip6.arpa"), "") == 0);
	CHECK(strcmp(zone_of(ZEROS31 ".ip6.arpa"), "") == 0);
	CHECK(strcmp(zone_of("1." ZEROS31 ".0.ip6.arpa"), "0." ZEROS31
	    ".ip6.arpa.") == 0);
	CHECK(strcmp(zone_of("0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0."
	    "0.0.0.0.0.0.0.0.0.0.ip6.arpa"), "0.0.0.0.0.0.0.0.0.0.0.0.0.0.0."
	    "0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa.") == 0);
	CHECK(strcmp(zone_of("0.0.0.0.0.0.0.0.ip6.arpa"), "") == 0);
	CHECK(strcmp(zone_of("1.2.3.4.d.f.ip6.arpa"), "d.f.ip6.arpa.") == 0);
	CHECK(strcmp(zone_of("C.F.ip6.arpa"), "c.f.ip6.arpa.") == 0);
	CHECK(strcmp(zone_of("e.f.ip6.arpa"), "") == 0);
	CHECK(strcmp(zone_of("7.e.f.ip6.arpa"), "") == 0);
	CHECK(strcmp(zone_of("0.8.e.f.ip6.arpa"), "8.e.f.ip6.arpa.") == 0);
	CHECK(strcmp(zone_of("b.e.f.ip6.arpa"), "b.e.f.ip6.arpa.") == 0);
	CHECK(strcmp(zone_of("c.e.f.ip6.arpa"), "") == 0);	/* site-local */
	CHECK(strcmp(zone_of("1.8.b.d.0.1.0.0.2.ip6.arpa"),
	    "8.b.d.0.1.0.0.2.ip6.arpa.") == 0);
	CHECK(strcmp(zone_of("empty.as112.arpa"), "empty.as112.arpa.") == 0);

	/* malformed names fall in no zone */
	p.len = 0;
	putname(&p, "x.localhost");
	CHECK(localzone_match(lzs, p.b, p.len - 1, &lz) == 0);
	CHECK(localzone_match(lzs, p.b, p.len + 1, &lz) == 0);
	CHECK(lz.apex == NULL && lz.apexlen == 0);
}

/*
 * The precedence rule through a forward zone table, as the frontend
 * will apply it: 1 forwarded, 0 answered here, -1 not a local name.
 */
static int
forwarded(const struct zonetab *fwd, const char *name)
{
	struct pkt		 p;
	struct localzone	 lz;
	size_t			 zl;

	p.len = 0;
	putname(&p, name);
	if (!localzone_match(lzs, p.b, p.len, &lz))
		return -1;
	(void)zonetab_lookup(fwd, p.b, p.len, &zl);
	return localzone_forwarded(&lz, zl);
}

static void
test_forwarded(void)
{
	static const char *const zones[] = {
		"arpa", "Home.Arpa", "sub.local", "168.192.in-addr.arpa",
		"in-addr.arpa", "a.localhost",
	};
	struct zonetab	*fwd;
	uint8_t		 w[DNS_MAXNAME];
	char		 err[ZONE_ERRLEN];
	size_t		 i, len;

	if ((fwd = zonetab_new(16)) == NULL) {
		CHECK(fwd != NULL);
		return;
	}
	CHECK(forwarded(fwd, "x.home.arpa") == 0);
	for (i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		CHECK(zone_name_parse(zones[i], w, &len, err,
		    sizeof(err)) == 0 && zonetab_add(fwd, w, len) == (int)i);
	CHECK(forwarded(fwd, "home.arpa") == 1);
	CHECK(forwarded(fwd, "nas.home.arpa") == 1);
	CHECK(forwarded(fwd, "local") == 0);
	CHECK(forwarded(fwd, "x.local") == 0);
	CHECK(forwarded(fwd, "sub.local") == 1);
	CHECK(forwarded(fwd, "x.sub.local") == 1);
	CHECK(forwarded(fwd, "xsub.local") == 0);
	CHECK(forwarded(fwd, "1.1.168.192.in-addr.arpa") == 1);
	CHECK(forwarded(fwd, "1.1.10.in-addr.arpa") == 0);	/* "arpa" */
	CHECK(forwarded(fwd, "10.in-addr.arpa") == 0);
	CHECK(forwarded(fwd, IP6_LOOPBACK) == 0);
	CHECK(forwarded(fwd, "localhost") == 0);
	CHECK(forwarded(fwd, "b.a.localhost") == 1);
	CHECK(forwarded(fwd, "example.arpa") == -1);
	zonetab_free(fwd);
}

/*
 * Synthesised answers.
 */

struct local_case {
	const char	*file;		/* for the dnspython check */
	const char	*qname;
	uint16_t	 qtype;
	uint16_t	 qflags;
	int		 edns;		/* 0 none, 1 EDNS, 2 EDNS with DO */
	int		 rcode;
	uint16_t	 ancount;
	const char	*flags;		/* as dnspython prints them */
	const char	*answer;	/* records, ";" between them */
	const char	*authority;
};

#define SOA_LOCALHOST	"localhost. 300 IN SOA localhost. nobody.invalid. " \
			"1 3600 1200 604800 300"
#define SOA_HOME	"home.arpa. 300 IN SOA home.arpa. nobody.invalid. " \
			"1 3600 1200 604800 300"

static const struct local_case local_cases[] = {
	{ "a-localhost", "localhost", DNS_TYPE_A, DNS_FLAG_RD, 0,
	    DNS_RCODE_NOERROR, 1, "QR AA RD RA",
	    "localhost. 300 IN A 127.0.0.1", "" },
	{ "aaaa-below-localhost", "Foo.LocalHost", DNS_TYPE_AAAA,
	    DNS_FLAG_RD, 2, DNS_RCODE_NOERROR, 1, "QR AA RD RA",
	    "Foo.LocalHost. 300 IN AAAA ::1", "" },
	{ "mx-localhost", "localhost", TYPE_MX, DNS_FLAG_RD, 1,
	    DNS_RCODE_NOERROR, 0, "QR AA RD RA", "", SOA_LOCALHOST },
	{ "soa-localhost", "localhost", DNS_TYPE_SOA, DNS_FLAG_RD, 0,
	    DNS_RCODE_NOERROR, 1, "QR AA RD RA", SOA_LOCALHOST, "" },
	{ "ns-localhost", "localhost", DNS_TYPE_NS, 0, 0,
	    DNS_RCODE_NOERROR, 1, "QR AA RA",
	    "localhost. 300 IN NS localhost.", "" },
	{ "any-localhost", "localhost", DNS_TYPE_ANY, DNS_FLAG_RD, 1,
	    DNS_RCODE_NOERROR, 4, "QR AA RD RA",
	    "localhost. 300 IN A 127.0.0.1;localhost. 300 IN AAAA ::1;"
	    SOA_LOCALHOST ";localhost. 300 IN NS localhost.", "" },
	{ "soa-below-localhost", "a.b.localhost", DNS_TYPE_SOA, DNS_FLAG_RD,
	    0, DNS_RCODE_NOERROR, 0, "QR AA RD RA", "", SOA_LOCALHOST },
	{ "a-below-home-arpa", "printer.home.arpa", DNS_TYPE_A, 0, 0,
	    DNS_RCODE_NXDOMAIN, 0, "QR AA RA", "", SOA_HOME },
	{ "soa-home-arpa", "HOME.arpa", DNS_TYPE_SOA, DNS_FLAG_RD, 2,
	    DNS_RCODE_NOERROR, 1, "QR AA RD RA",
	    "HOME.arpa. 300 IN SOA HOME.arpa. nobody.invalid. 1 3600 1200 "
	    "604800 300", "" },
	{ "a-home-arpa", "home.arpa", DNS_TYPE_A, DNS_FLAG_RD, 0,
	    DNS_RCODE_NOERROR, 0, "QR AA RD RA", "", SOA_HOME },
	{ "ptr-rfc1918", "1.0.168.192.in-addr.arpa", TYPE_PTR, DNS_FLAG_RD,
	    1, DNS_RCODE_NXDOMAIN, 0, "QR AA RD RA", "",
	    "168.192.in-addr.arpa. 300 IN SOA 168.192.in-addr.arpa. "
	    "nobody.invalid. 1 3600 1200 604800 300" },
	{ "ptr-ip6-loopback", IP6_LOOPBACK, TYPE_PTR, DNS_FLAG_RD, 0,
	    DNS_RCODE_NOERROR, 0, "QR AA RD RA", "",
	    IP6_LOOPBACK ". 300 IN SOA " IP6_LOOPBACK ". nobody.invalid. "
	    "1 3600 1200 604800 300" },
	{ "a-onion-cd", "xyz.onion", DNS_TYPE_A, DNS_FLAG_RD | DNS_FLAG_CD,
	    2, DNS_RCODE_NXDOMAIN, 0, "QR AA RD RA CD", "",
	    "onion. 300 IN SOA onion. nobody.invalid. 1 3600 1200 604800 300" },
	{ "ds-local", "local", TYPE_DS, DNS_FLAG_RD, 0, DNS_RCODE_NOERROR, 0,
	    "QR AA RD RA", "",
	    "local. 300 IN SOA local. nobody.invalid. 1 3600 1200 604800 300" },
};
#define NCASES	(sizeof(local_cases) / sizeof(local_cases[0]))

static void
make_query(struct pkt *p, unsigned int id, const char *name,
    unsigned int type, unsigned int flags, int edns)
{
	header(p, id, flags, 1, 0, 0, edns ? 1 : 0);
	question(p, name, type, DNS_CLASS_IN);
	if (edns)
		opt(p, 4096, edns == 2 ? OPT_DO : 0, NULL, 0);
}

/*
 * The answer of the local zone to a query, after our own checks: the
 * ones the frontend makes of an upstream's answer and the cache's.
 */
static size_t
local_answer(const struct pkt *p, struct dns_query *q, uint8_t *out,
    size_t outlen)
{
	static uint8_t		 again[DNS_MAXMSG];
	struct localzone	 lz;
	struct dns_question	 aq;
	uint32_t		 ttl;
	uint16_t		 id;
	size_t			 len, n;
	int			 rcode;

	if (dns_query_parse(p->b, p->len, q, &rcode) != DNS_ACCEPT ||
	    !localzone_match(lzs, q->q.qname, q->q.qname_len, &lz))
		return 0;
	len = dns_local_answer(q, lz.apex, lz.apexlen, lz.kind, out, outlen);
	if (len == 0)
		return 0;
	CHECK(len <= DNS_MINUDP);
	CHECK(dns_answer_peek(out, len, &id, &aq) == 0 && id == q->id &&
	    dns_question_equal(&aq, &q->q) &&
	    memcmp(aq.qname, q->q.qname, aq.qname_len) == 0);
	CHECK(dns_client_answer(out, len, q, DNS_MINUDP, again,
	    sizeof(again)) == len && memcmp(again, out, len) == 0);
	CHECK(dns_answer_ttl(out, len, &ttl) == 0 && ttl == DNS_LOCAL_TTL);
	/* never a partial answer */
	for (n = 0; n < len; n++)
		CHECK(dns_local_answer(q, lz.apex, lz.apexlen, lz.kind, again,
		    n) == 0);
	return len;
}

static void
test_answers(void)
{
	const struct local_case	*c;
	struct dns_query	 q;
	struct pkt		 p;
	uint8_t			 out[DNS_MAXMSG];
	size_t			 i, len;

	for (i = 0; i < NCASES; i++) {
		c = &local_cases[i];
		make_query(&p, 0x1000 + (unsigned int)i, c->qname, c->qtype,
		    c->qflags, c->edns);
		len = local_answer(&p, &q, out, sizeof(out));
		if (len < DNS_HDRLEN) {
			fprintf(stderr, "%s: no answer\n", c->file);
			CHECK(len >= DNS_HDRLEN);
			continue;
		}
		CHECK(get16(out, 0) == 0x1000 + i);
		CHECK((get16(out, 2) & 0xf) == (unsigned int)c->rcode);
		CHECK(get16(out, 2) & DNS_FLAG_AA);
		CHECK((get16(out, 2) & DNS_FLAG_AD) == 0);
		CHECK(get16(out, 4) == 1);
		CHECK(get16(out, 6) == c->ancount);
		CHECK(get16(out, 8) == (c->ancount == 0 ? 1 : 0));
		CHECK(get16(out, 10) == (c->edns ? 1 : 0));
	}
}

static void
test_answer_edges(void)
{
	struct dns_query	 q;
	struct localzone	 lz;
	struct pkt		 p;
	uint8_t			 out[DNS_MAXMSG];
	char			 name[300];
	size_t			 i, len;

	/* the longest name there can be, under the longest zones */
	for (i = 0; i < 122; i++) {
		name[2 * i] = 'x';
		name[2 * i + 1] = '.';
	}
	strcpy(name + 244, "localhost");	/* 253 characters */
	make_query(&p, 1, name, DNS_TYPE_ANY, DNS_FLAG_RD, 2);
	len = local_answer(&p, &q, out, sizeof(out));
	CHECK(len > 0 && q.q.qname_len == DNS_MAXNAME && get16(out, 6) == 2);
	memset(name, 0, sizeof(name));
	for (i = 0; i < 90; i++) {
		name[2 * i] = 'x';
		name[2 * i + 1] = '.';
	}
	strcpy(name + 180, IP6_LOOPBACK);
	make_query(&p, 1, name, TYPE_PTR, DNS_FLAG_RD, 2);
	len = local_answer(&p, &q, out, sizeof(out));
	CHECK(len > 0 && q.q.qname_len == 180 + 74 &&
	    (get16(out, 2) & 0xf) == DNS_RCODE_NXDOMAIN);

	/* an apex that is not the end of the name, or not on a label */
	make_query(&p, 1, "www.localhost", DNS_TYPE_A, 0, 0);
	CHECK(local_answer(&p, &q, out, sizeof(out)) > 0);
	CHECK(localzone_match(lzs, q.q.qname, q.q.qname_len, &lz));
	CHECK(dns_local_answer(&q, (const uint8_t *)"\011localhost", 10,
	    lz.kind, out, sizeof(out)) == 0);
	CHECK(dns_local_answer(&q, (const uint8_t *)"\010ocalhost", 10,
	    lz.kind, out, sizeof(out)) == 0);
	CHECK(dns_local_answer(&q, (const uint8_t *)"\011LOCALHOST", 11,
	    lz.kind, out, sizeof(out)) > 0);
	CHECK(dns_local_answer(&q, q.q.qname, q.q.qname_len, lz.kind, out,
	    sizeof(out)) > 0);
	CHECK(dns_local_answer(&q, (const uint8_t *)"", 1, lz.kind, out,
	    sizeof(out)) > 0);
	CHECK(dns_local_answer(&q, lz.apex, 0, lz.kind, out,
	    sizeof(out)) == 0);
	CHECK(dns_local_answer(&q, lz.apex, DNS_MAXNAME + 1, lz.kind, out,
	    sizeof(out)) == 0);
	q.has_question = 0;
	CHECK(dns_local_answer(&q, lz.apex, lz.apexlen, lz.kind, out,
	    sizeof(out)) == 0);
}

/*
 * dnspython's reading of the answers: each case to a file, a manifest
 * of what each must say, and the script to compare.  Skipped (with a
 * note) where the script or dnspython is missing.
 */
static void
test_dnspython(void)
{
	const struct local_case	*c;
	struct dns_query	 q;
	struct pkt		 p;
	uint8_t			 out[DNS_MAXMSG];
	char			 dir[] = "/tmp/dnstlsd-localzone.XXXXXX";
	char			 path[128], cmd[256];
	FILE			*fp, *manifest;
	size_t			 i, len;
	int			 status;

	if (access("/usr/bin/python3", X_OK) == -1 ||
	    access("tests/check_local_answers.py", R_OK) == -1) {
		printf("skip: dnspython check (no /usr/bin/python3 or not run "
		    "from the top of the tree)\n");
		return;
	}
	if (mkdtemp(dir) == NULL) {
		CHECK(!"mkdtemp");
		return;
	}
	(void)snprintf(path, sizeof(path), "%s/manifest", dir);
	if ((manifest = fopen(path, "w")) == NULL) {
		CHECK(manifest != NULL);
		return;
	}
	for (i = 0; i < NCASES; i++) {
		c = &local_cases[i];
		make_query(&p, 0x2000 + (unsigned int)i, c->qname, c->qtype,
		    c->qflags, c->edns);
		if ((len = local_answer(&p, &q, out, sizeof(out))) == 0)
			continue;
		(void)snprintf(path, sizeof(path), "%s/%s.bin", dir, c->file);
		if ((fp = fopen(path, "wb")) == NULL ||
		    fwrite(out, 1, len, fp) != len || fclose(fp) != 0) {
			CHECK(!"write answer");
			continue;
		}
		fprintf(manifest, "%s.bin\t%u\t%s\t%u\t%d\t%s\t%s\t%s\t%d\n",
		    c->file, 0x2000 + (unsigned int)i, c->qname,
		    (unsigned int)c->qtype, c->rcode, c->flags, c->answer,
		    c->authority, c->edns);
	}
	CHECK(fclose(manifest) == 0);
	(void)snprintf(cmd, sizeof(cmd),
	    "/usr/bin/python3 tests/check_local_answers.py %s", dir);
	status = system(cmd);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 77)
		printf("skip: dnspython check (no dnspython)\n");
	else
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	(void)snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		CHECK(!"rm");
}

static double
bench_names(const char *const *names, size_t n, long *hits)
{
	enum { LOOKUPS = 1000000 };
	struct pkt		 p[8];
	struct localzone	 lz;
	uint64_t		 t0;
	size_t			 i;

	for (i = 0; i < n && i < 8; i++) {
		p[i].len = 0;
		putname(&p[i], names[i]);
	}
	t0 = test_now_ns();
	for (i = 0; i < LOOKUPS; i++)
		*hits += localzone_match(lzs, p[i % n].b, p[i % n].len, &lz);
	return (double)(test_now_ns() - t0) / LOOKUPS;
}

/* Not a test: the cost of the check every query will pay, printed. */
static void
bench_match(void)
{
	static const char *const miss[] = {
		"www.example.com", "mail.google.com", "a.b.c.d.example.net",
		"e3.a.b.c.d.e.f.g.h.example.org", "x.y", "www.wikipedia.org",
		"1.2.0.10.example.arpa", "8.8.8.8.in-addr.arpa",
	};
	static const char *const hit[] = {
		"printer.home.arpa", "1.0.168.192.in-addr.arpa", "localhost",
		"4.3.2.1." ZEROS31 ".d.f.ip6.arpa", "foo.local",
	};
	long		 hits = 0;
	double		 m, h;

	m = bench_names(miss, 8, &hits);
	h = bench_names(hit, 5, &hits);
	printf("bench: localzone_match, %zu zones: %.1f ns per name outside "
	    "them, %.1f ns per name inside (%ld)\n", localzone_count(lzs),
	    m, h, hits);
}

static void
test_new(void)
{
	CHECK(lzs != NULL);
}

void
test_localzone(void)
{
	lzs = localzone_new();
	RUN(test_new);
	if (lzs == NULL)
		return;
	RUN(test_match);
	RUN(test_forwarded);
	RUN(test_answers);
	RUN(test_answer_edges);
	RUN(test_dnspython);
	bench_match();
	localzone_free(lzs);
	lzs = NULL;
}
