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
 * Tests of the configuration parser, src/config.c: golden files (input,
 * expected -n -v output or expected error) in $TEST_CONFIG_DIR, default
 * tests/config; round trips through conf_print; the command-line forms;
 * limits, numbers, names and the defaults of conf_finalize.
 */

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "config.h"
#include "file.h"
#include "test.h"

#define PIN_A	"ypeBEsobvcr6wjGzmiPcTaeG7/gUfE5yuYB3ha/uSLs="
#define PIN_B	"PiPoFgA5WUoziU9lZOGxNIu9egCI1CxKy3PurtWcAJ0="
#define PIN_C	"Ln0sA6lQeuJl7PW1NWiFpTOTogKdJBOUmXJloaJa78Y="
#define PIN_D	"GKw+c0PwFokMUQ6T+TUmEWnZ4/VlQ2Qpgw+vCTT0+OQ="
#define PIN_E	"P3m7e0NbBTIWUdrv03TNxoHcBvqmXjdOODN7iMoEbeo="

/* the .out files say @DEFAULT_CA@ where the host decides the path */
#define CA_PLACEHOLDER	"@DEFAULT_CA@"

static char	*print_conf(const struct dnstlsd_conf *);
static int	 parse_text(const char *, struct dnstlsd_conf *, char *);
static int	 parses(const char *);
static int	 rejects(const char *);
static int	 fails_with(const char *, const char *);
static int	 round_trips(const struct dnstlsd_conf *);
static char	*read_text(const char *);
static char	*limits_text(int, int);
static char	*replace(const char *, const char *, const char *);
static char	*text_printf(const char *, ...)
		    __attribute__((__format__(__printf__, 1, 2)));
static const char *config_dir(void);
static const char *default_ca(void);
static int	 has_suffix(const char *, const char *);
static int	 check_golden_valid(const char *, const char *);
static int	 check_golden_bad(const char *, const char *);

static char *
print_conf(const struct dnstlsd_conf *conf)
{
	FILE	*fp;
	char	*buf = NULL;
	size_t	 len = 0;

	if ((fp = open_memstream(&buf, &len)) == NULL)
		return NULL;
	conf_print(fp, conf);
	if (fclose(fp) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int
parse_text(const char *text, struct dnstlsd_conf *conf, char *err)
{
	conf_init(conf);
	err[0] = '\0';
	return conf_parse_buffer("t.conf", text, strlen(text), conf, err,
	    CONF_ERRLEN);
}

static int
parses(const char *text)
{
	struct dnstlsd_conf	 conf;
	char			 err[CONF_ERRLEN];

	if (parse_text(text, &conf, err) == 0)
		return 1;
	fprintf(stderr, "unexpected error: %s\n", err);
	return 0;
}

static int
rejects(const char *text)
{
	struct dnstlsd_conf	 conf;
	char			 err[CONF_ERRLEN];

	if (parse_text(text, &conf, err) == -1)
		return 1;
	fprintf(stderr, "parsed: %s", text);
	return 0;
}

static int
fails_with(const char *text, const char *expected)
{
	struct dnstlsd_conf	 conf;
	char			 err[CONF_ERRLEN];

	if (parse_text(text, &conf, err) == 0) {
		fprintf(stderr, "parsed, expected: %s\n", expected);
		return 0;
	}
	if (strcmp(err, expected) != 0) {
		fprintf(stderr, "error: %s\nexpected: %s\n", err, expected);
		return 0;
	}
	return 1;
}

/* print, parse the output, print again: same text, same structure */
static int
round_trips(const struct dnstlsd_conf *conf)
{
	struct dnstlsd_conf	 again;
	char			 err[CONF_ERRLEN];
	char			*first, *second = NULL;
	int			 ok = 0;

	if ((first = print_conf(conf)) == NULL)
		return 0;
	if (parse_text(first, &again, err) == -1)
		fprintf(stderr, "round trip: %s\n%s", err, first);
	else if ((second = print_conf(&again)) != NULL)
		ok = strcmp(first, second) == 0 &&
		    memcmp(conf, &again, sizeof(again)) == 0;
	free(first);
	free(second);
	return ok;
}

static char *
read_text(const char *path)
{
	FILE	*fp;
	char	*buf;
	long	 size;

	if ((fp = fopen(path, "r")) == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == -1 || (size = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) == -1 ||
	    (buf = malloc((size_t)size + 1)) == NULL) {
		fclose(fp);
		return NULL;
	}
	if (fread(buf, 1, (size_t)size, fp) != (size_t)size) {
		free(buf);
		fclose(fp);
		return NULL;
	}
	buf[size] = '\0';
	fclose(fp);
	return buf;
}

/* text with the first "from" replaced by "to" */
static char *
replace(const char *text, const char *from, const char *to)
{
	const char	*at;

	if ((at = strstr(text, from)) == NULL)
		return strdup(text);
	return text_printf("%.*s%s%s", (int)(at - text), text, to,
	    at + strlen(from));
}

static char *
text_printf(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		s = NULL;
	va_end(ap);
	return s;
}

static const char *
config_dir(void)
{
	const char	*dir = getenv("TEST_CONFIG_DIR");

	return dir != NULL && *dir != '\0' ? dir : "tests/config";
}

static const char *
default_ca(void)
{
	return access(DEFAULT_CA, R_OK) == 0 ? DEFAULT_CA : DEFAULT_CA_SYSTEM;
}

static int
has_suffix(const char *s, const char *suffix)
{
	size_t	 len = strlen(s), slen = strlen(suffix);

	return len >= slen && strcmp(s + len - slen, suffix) == 0;
}

/* NAME.conf, parsed and finalized for port 53, prints NAME.out */
static int
check_golden_valid(const char *dir, const char *conffile)
{
	struct dnstlsd_conf	 conf;
	char			 err[CONF_ERRLEN];
	char			*path, *outpath = NULL, *raw = NULL;
	char			*expected = NULL, *got = NULL;
	int			 ok = 0;

	path = text_printf("%s/%s", dir, conffile);
	outpath = replace(path, ".conf", ".out");
	if (path == NULL || outpath == NULL)
		goto done;
	if ((raw = read_text(outpath)) == NULL) {
		fprintf(stderr, "%s: %s\n", outpath, strerror(errno));
		goto done;
	}
	expected = replace(raw, CA_PLACEHOLDER, default_ca());
	conf_init(&conf);
	if (conf_parse_file(path, &conf, err, sizeof(err)) == -1) {
		fprintf(stderr, "%s\n", err);
		goto done;
	}
	conf_finalize(&conf, DEFAULT_PORT);
	got = print_conf(&conf);
	if (expected == NULL || got == NULL)
		goto done;
	if (strcmp(expected, got) != 0) {
		fprintf(stderr, "%s: got\n%sexpected\n%s", path, got, expected);
		goto done;
	}
	if (!round_trips(&conf)) {
		fprintf(stderr, "%s: no round trip\n", path);
		goto done;
	}
	ok = 1;
 done:
	free(path);
	free(outpath);
	free(raw);
	free(expected);
	free(got);
	return ok;
}

/* bad-NAME.conf fails with the message in bad-NAME.err */
static int
check_golden_bad(const char *dir, const char *conffile)
{
	struct dnstlsd_conf	 conf;
	char			 err[CONF_ERRLEN];
	char			*path, *errpath = NULL, *raw = NULL;
	char			*expected = NULL;
	size_t			 len;
	int			 ok = 0;

	path = text_printf("%s/%s", dir, conffile);
	errpath = replace(path, ".conf", ".err");
	if (path == NULL || errpath == NULL)
		goto done;
	if ((raw = read_text(errpath)) == NULL) {
		fprintf(stderr, "%s: %s\n", errpath, strerror(errno));
		goto done;
	}
	len = strlen(raw);
	if (len > 0 && raw[len - 1] == '\n')
		raw[len - 1] = '\0';
	/* the message names the path as it was given */
	if ((expected = text_printf("%s/%s", dir, raw)) == NULL)
		goto done;
	conf_init(&conf);
	if (conf_parse_file(path, &conf, err, sizeof(err)) == 0) {
		fprintf(stderr, "%s: parsed\n", path);
		goto done;
	}
	if (strcmp(err, expected) != 0) {
		fprintf(stderr, "error: %s\nexpected: %s\n", err, expected);
		goto done;
	}
	ok = 1;
 done:
	free(path);
	free(errpath);
	free(raw);
	free(expected);
	return ok;
}

static void
t_golden_files(void)
{
	const char	*dir = config_dir();
	DIR		*d;
	struct dirent	*de;
	int		 nvalid = 0, nbad = 0;

	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "%s: %s\n", dir, strerror(errno));
		CHECK(d != NULL);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (!has_suffix(de->d_name, ".conf"))
			continue;
		if (strncmp(de->d_name, "bad-", 4) == 0) {
			CHECK(check_golden_bad(dir, de->d_name));
			nbad++;
		} else {
			CHECK(check_golden_valid(dir, de->d_name));
			nvalid++;
		}
	}
	closedir(d);
	/* a missing or emptied directory must not pass quietly */
	CHECK(nvalid >= 5);
	CHECK(nbad >= 15);
}

static void
t_init_defaults(void)
{
	struct dnstlsd_conf	 conf;

	memset(&conf, 0xa5, sizeof(conf));
	conf_init(&conf);
	CHECK(conf.nlisten == 0);
	CHECK(conf.nupstream == 0);
	CHECK(conf.ca[0] == '\0');
	CHECK(conf.user[0] == '\0');
	CHECK(conf.cache_size == DEFAULT_CACHE_SIZE);
	CHECK(conf.ratelimit == DEFAULT_RATELIMIT);
}

static void
t_listen(void)
{
	struct dnstlsd_conf	 conf;
	char			 err[CONF_ERRLEN], addr[INET6_ADDRSTRLEN];

	CHECK(parse_text("listen on 127.0.0.1 port 5353\nlisten on ::1\n",
	    &conf, err) == 0);
	CHECK(conf.nlisten == 2);
	CHECK(conf.listen[0].ss.ss_family == AF_INET);
	CHECK(conf.listen[0].sslen == sizeof(struct sockaddr_in));
	CHECK(conf.listen[0].port_set == 1);
	CHECK(addr_port(&conf.listen[0].ss) == 5353);
	addr_str(&conf.listen[0].ss, addr, sizeof(addr));
	CHECK(strcmp(addr, "127.0.0.1") == 0);
	CHECK(conf.listen[1].ss.ss_family == AF_INET6);
	CHECK(conf.listen[1].sslen == sizeof(struct sockaddr_in6));
	CHECK(conf.listen[1].port_set == 0);
	CHECK(addr_port(&conf.listen[1].ss) == 0);
	addr_str(&conf.listen[1].ss, addr, sizeof(addr));
	CHECK(strcmp(addr, "::1") == 0);
}

static void
t_upstream(void)
{
	struct dnstlsd_conf	 conf;
	char			 err[CONF_ERRLEN];
	uint8_t			 pin[PIN_LEN];

	CHECK(parse_text("upstream 9.9.9.9\n"
	    "upstream 2606:4700:4700::1111 pin-sha256 \"" PIN_A "\" "
	    "port 8853 name cloudflare-dns.com pin-sha256 " PIN_B "\n",
	    &conf, err) == 0);
	CHECK(conf.nupstream == 2);
	CHECK(addr_port(&conf.upstream[0].ss) == DEFAULT_DOT_PORT);
	CHECK(conf.upstream[0].name[0] == '\0');
	CHECK(conf.upstream[0].npins == 0);
	CHECK(conf.upstream[1].ss.ss_family == AF_INET6);
	CHECK(addr_port(&conf.upstream[1].ss) == 8853);
	CHECK(strcmp(conf.upstream[1].name, "cloudflare-dns.com") == 0);
	CHECK(conf.upstream[1].npins == 2);
	CHECK(pin_decode(PIN_A, pin) == 0);
	CHECK(memcmp(conf.upstream[1].pins[0], pin, PIN_LEN) == 0);
	CHECK(pin_decode(PIN_B, pin) == 0);
	CHECK(memcmp(conf.upstream[1].pins[1], pin, PIN_LEN) == 0);
}

static void
t_scalars(void)
{
	struct dnstlsd_conf	 conf, other;
	char			 err[CONF_ERRLEN];

	CHECK(parse_text("ca /etc/ca.pem\nuser 0\ncache size 10000000\n"
	    "ratelimit 1000000\nca \"/etc/other ca.pem\"\n", &conf, err) == 0);
	/* a later statement wins */
	CHECK(strcmp(conf.ca, "/etc/other ca.pem") == 0);
	CHECK(strcmp(conf.user, "0") == 0);
	CHECK(conf.cache_size == 10000000);
	CHECK(conf.ratelimit == 1000000);
	CHECK(parse_text("cache size 0\nratelimit 0\n", &conf, err) == 0);
	CHECK(conf.cache_size == 0 && conf.ratelimit == 0);
	CHECK(parse_text("cache size 007\n", &conf, err) == 0);
	CHECK(conf.cache_size == 7);

	/* a shorter value over a longer one leaves no stale bytes behind */
	CHECK(parse_text("ca /a/long/path\nuser longname\nca /b\nuser u\n",
	    &conf, err) == 0);
	CHECK(parse_text("ca /b\nuser u\n", &other, err) == 0);
	CHECK(memcmp(&conf, &other, sizeof(conf)) == 0);
}

static void
t_quoting(void)
{
	struct dnstlsd_conf	 conf;
	char			 err[CONF_ERRLEN];

	CHECK(parse_text("ca \"/a#b \\\"c\\\" \\\\d\"# comment\n", &conf,
	    err) == 0);
	CHECK(strcmp(conf.ca, "/a#b \"c\" \\d") == 0);
	CHECK(parse_text("ca /x#y\n", &conf, err) == 0);
	CHECK(strcmp(conf.ca, "/x") == 0);
	CHECK(fails_with("ca \"\"\n", "t.conf:1: empty ca path"));
	CHECK(fails_with("ca \"/x\\n\"\n",
	    "t.conf:1: invalid escape in string"));
	CHECK(fails_with("ca \"/x\\", "t.conf:1: invalid escape in string"));
	CHECK(fails_with("ca \"/x\"y\n",
	    "t.conf:1: missing blank after string"));
	CHECK(fails_with("ca /x\"y\"\n", "t.conf:1: unexpected quote"));
	CHECK(fails_with("ca \"/x\ty\"\n",
	    "t.conf:1: invalid character in string"));
	CHECK(fails_with("ca /x\vy\n", "t.conf:1: invalid character"));
	CHECK(fails_with("user \"a\nb\"\n", "t.conf:1: unterminated string"));
}

static void
t_line_endings(void)
{
	struct dnstlsd_conf	 conf;
	char			 err[CONF_ERRLEN];

	CHECK(parse_text("", &conf, err) == 0);
	CHECK(parse_text("\n\n\n", &conf, err) == 0);
	CHECK(parse_text("ratelimit 5", &conf, err) == 0);
	CHECK(conf.ratelimit == 5);
	CHECK(parse_text("ratelimit 6\r\nuser x\r\n", &conf, err) == 0);
	CHECK(conf.ratelimit == 6 && strcmp(conf.user, "x") == 0);
	/* only one carriage return is a line ending */
	CHECK(fails_with("ratelimit 7\r\r\n", "t.conf:1: invalid character"));
}

static void
t_line_numbers(void)
{
	CHECK(fails_with("# one\n\nuser x\n   \nbogus\n",
	    "t.conf:5: unknown keyword \"bogus\""));
	CHECK(fails_with("user x\n\tcache size\n",
	    "t.conf:2: missing argument after \"size\""));
}

static void
t_nul_byte(void)
{
	static const char	 text[] = "user x\nuser y\0z\n";
	struct dnstlsd_conf	 conf;
	char			 err[CONF_ERRLEN];

	conf_init(&conf);
	CHECK(conf_parse_buffer("t.conf", text, sizeof(text) - 1, &conf, err,
	    sizeof(err)) == -1);
	CHECK(strcmp(err, "t.conf:2: nul byte in line") == 0);
	/* even inside a comment */
	CHECK(conf_parse_buffer("t.conf", "# \0\n", 4, &conf, err,
	    sizeof(err)) == -1);
	CHECK(strcmp(err, "t.conf:1: nul byte in line") == 0);
}

static void
t_line_length(void)
{
	char	 line[1100], *text;
	size_t	 n;

	/* "ca /" plus n - 4 more bytes is n bytes long */
	for (n = 1023; n <= 1025; n++) {
		memset(line, 'a', sizeof(line));
		memcpy(line, "ca /", 4);
		line[n] = '\0';
		if ((text = text_printf("%s\n", line)) == NULL) {
			CHECK(text != NULL);
			return;
		}
		if (n <= 1024)
			CHECK(parses(text));
		else
			CHECK(fails_with(text,
			    "t.conf:1: line too long (max 1024 bytes)"));
		free(text);
	}
}

static void
t_missing_and_extra(void)
{
	CHECK(fails_with("listen on\n", "t.conf:1: missing argument after "
	    "\"on\""));
	CHECK(fails_with("listen\n", "t.conf:1: expected \"on\" after "
	    "\"listen\""));
	CHECK(fails_with("listen on ::1 port\n", "t.conf:1: missing argument "
	    "after \"port\""));
	CHECK(fails_with("listen on ::1 port 53 port 54\n",
	    "t.conf:1: \"port\" given twice"));
	CHECK(fails_with("listen on ::1 53\n", "t.conf:1: unexpected \"53\""));
	CHECK(fails_with("upstream\n", "t.conf:1: missing argument after "
	    "\"upstream\""));
	CHECK(fails_with("upstream 1.1.1.1 name\n", "t.conf:1: missing "
	    "argument after \"name\""));
	CHECK(fails_with("upstream 1.1.1.1 pin-sha256\n", "t.conf:1: missing "
	    "argument after \"pin-sha256\""));
	CHECK(fails_with("upstream 1.1.1.1 name a.b name c.d\n",
	    "t.conf:1: \"name\" given twice"));
	CHECK(fails_with("upstream 1.1.1.1 port 1 port 1\n",
	    "t.conf:1: \"port\" given twice"));
	CHECK(fails_with("upstream 1.1.1.1 tls\n", "t.conf:1: unexpected "
	    "\"tls\""));
	CHECK(fails_with("cache 5\n", "t.conf:1: expected \"size\" or "
	    "\"serve-stale\" after \"cache\""));
	CHECK(fails_with("cache size 5 6\n", "t.conf:1: unexpected \"6\""));
	CHECK(fails_with("user a b\n", "t.conf:1: unexpected \"b\""));
	CHECK(fails_with("ca /a /b\n", "t.conf:1: unexpected \"/b\""));
	CHECK(fails_with("ratelimit\n", "t.conf:1: missing argument after "
	    "\"ratelimit\""));
	CHECK(fails_with("\"listen\" on ::1 port 53 \"\"\n",
	    "t.conf:1: unexpected \"\""));
	CHECK(fails_with("Listen on ::1\n", "t.conf:1: unknown keyword "
	    "\"Listen\""));
}

static void
t_numbers(void)
{
	static const char	*bad[] = { "-1", "+1", "", "1x", "0x10", "1e3",
	    "10000001", "4294967296", "18446744073709551616", "1.5" };
	char			*text, *expected;
	size_t			 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		text = text_printf("cache size \"%s\"\n", bad[i]);
		expected = text_printf("t.conf:1: invalid cache size \"%s\"",
		    bad[i]);
		CHECK(text != NULL && expected != NULL &&
		    fails_with(text, expected));
		free(text);
		free(expected);
	}
	CHECK(fails_with("cache size \" 5\"\n",
	    "t.conf:1: invalid cache size \" 5\""));
	CHECK(fails_with("ratelimit 4294967295\n",
	    "t.conf:1: invalid ratelimit \"4294967295\""));
}

static void
t_parse_port(void)
{
	uint16_t	 port = 7;

	CHECK(conf_parse_port("1", &port) == 0 && port == 1);
	CHECK(conf_parse_port("53", &port) == 0 && port == 53);
	CHECK(conf_parse_port("65535", &port) == 0 && port == 65535);
	CHECK(conf_parse_port("00853", &port) == 0 && port == 853);
	port = 7;
	CHECK(conf_parse_port("0", &port) == -1);
	CHECK(conf_parse_port("65536", &port) == -1);
	CHECK(conf_parse_port("70000", &port) == -1);
	CHECK(conf_parse_port("", &port) == -1);
	CHECK(conf_parse_port("-53", &port) == -1);
	CHECK(conf_parse_port("+53", &port) == -1);
	CHECK(conf_parse_port(" 53", &port) == -1);
	CHECK(conf_parse_port("53 ", &port) == -1);
	CHECK(conf_parse_port("0x35", &port) == -1);
	CHECK(conf_parse_port("99999999999999999999999", &port) == -1);
	CHECK(port == 7);
}

static void
t_addresses(void)
{
	CHECK(parses("listen on 0.0.0.0\nlisten on ::\n"
	    "listen on ::ffff:10.0.0.1\nlisten on 2001:db8::1 port 1\n"));
	CHECK(fails_with("listen on localhost\n",
	    "t.conf:1: invalid address \"localhost\""));
	CHECK(fails_with("listen on 1.2.3\n",
	    "t.conf:1: invalid address \"1.2.3\""));
	CHECK(fails_with("listen on 1.2.3.256\n",
	    "t.conf:1: invalid address \"1.2.3.256\""));
	CHECK(fails_with("listen on 010.1.1.1\n",
	    "t.conf:1: invalid address \"010.1.1.1\""));
	CHECK(fails_with("upstream [2001:db8::1]\n",
	    "t.conf:1: invalid address \"[2001:db8::1]\""));
	CHECK(fails_with("upstream fe80::1%eth0\n",
	    "t.conf:1: invalid address \"fe80::1%eth0\""));
	CHECK(fails_with("upstream 1.1.1.1:853\n",
	    "t.conf:1: invalid address \"1.1.1.1:853\""));
}

static void
t_hostnames(void)
{
	static const char	*good[] = { "a", "cloudflare-dns.com",
	    "dns.quad9.net", "1.1.1.1", "A-1.b2.C3", "xn--bcher-kva.example" };
	static const char	*bad[] = { "-a.com", "a-.com", "a..com",
	    ".a.com", "a.com.", "a_b.com", "a b", "a/b", "caf\xc3\xa9.fr",
	    "a.-b" };
	char			 label64[70], longname[300], *text;
	size_t			 i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		text = text_printf("upstream 1.1.1.1 name \"%s\"\n", good[i]);
		CHECK(text != NULL && parses(text));
		free(text);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		text = text_printf("upstream 1.1.1.1 name \"%s\"\n", bad[i]);
		CHECK(text != NULL && rejects(text));
		free(text);
	}
	CHECK(fails_with("upstream 1.1.1.1 name \"\"\n",
	    "t.conf:1: invalid name \"\""));

	/* labels of 63 bytes pass, 64 do not */
	memset(label64, 'a', 64);
	label64[63] = '\0';
	text = text_printf("upstream 1.1.1.1 name %s.com\n", label64);
	CHECK(text != NULL && parses(text));
	free(text);
	label64[63] = 'a';
	label64[64] = '\0';
	text = text_printf("upstream 1.1.1.1 name %s.com\n", label64);
	CHECK(text != NULL && rejects(text));
	free(text);

	/* 253 bytes pass, 254 do not: "aaaaaaaaa." repeated */
	for (i = 0; i < 260; i++)
		longname[i] = i % 10 == 9 ? '.' : 'a';
	longname[253] = '\0';
	text = text_printf("upstream 1.1.1.1 name %s\n", longname);
	CHECK(text != NULL && parses(text));
	free(text);
	longname[253] = 'a';
	longname[254] = '\0';
	text = text_printf("upstream 1.1.1.1 name %s\n", longname);
	CHECK(text != NULL && rejects(text));
	free(text);
}

static void
t_users(void)
{
	char	 name[CONF_USERLEN + 1], *text;

	CHECK(parses("user _dnstls\n"));
	CHECK(parses("user \"www-data\"\n"));
	CHECK(parses("user nobody.x\n"));
	CHECK(parses("user 4294967294\n"));
	CHECK(fails_with("user 4294967295\n",
	    "t.conf:1: invalid user \"4294967295\""));
	CHECK(fails_with("user \"\"\n", "t.conf:1: invalid user \"\""));
	CHECK(fails_with("user -n\n", "t.conf:1: invalid user \"-n\""));
	CHECK(fails_with("user \"a:b\"\n", "t.conf:1: invalid user \"a:b\""));
	CHECK(fails_with("user ../x\n", "t.conf:1: invalid user \"../x\""));

	memset(name, 'u', sizeof(name));
	name[CONF_USERLEN - 1] = '\0';
	text = text_printf("user %s\n", name);
	CHECK(text != NULL && parses(text));
	free(text);
	name[CONF_USERLEN - 1] = 'u';
	name[CONF_USERLEN] = '\0';
	text = text_printf("user %s\n", name);
	CHECK(text != NULL && fails_with(text,
	    "t.conf:1: user name too long (max 63 bytes)"));
	free(text);
}

static void
t_pins(void)
{
	CHECK(parses("upstream 1.1.1.1 pin-sha256 " PIN_A " pin-sha256 "
	    PIN_B " pin-sha256 " PIN_C " pin-sha256 " PIN_D "\n"));
	CHECK(fails_with("upstream 1.1.1.1 pin-sha256 " PIN_A " pin-sha256 "
	    PIN_B " pin-sha256 " PIN_C " pin-sha256 " PIN_D " pin-sha256 "
	    PIN_E "\n", "t.conf:1: too many pins (max 4)"));
	CHECK(fails_with("upstream 1.1.1.1 pin-sha256 " PIN_A " pin-sha256 "
	    PIN_A "\n", "t.conf:1: duplicate pin-sha256 \"" PIN_A "\""));
	/* 33 bytes, 31 bytes, not base64, empty */
	CHECK(rejects("upstream 1.1.1.1 pin-sha256 "
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n"));
	CHECK(rejects("upstream 1.1.1.1 pin-sha256 "
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n"));
	CHECK(fails_with("upstream 1.1.1.1 pin-sha256 \"not base64!\"\n",
	    "t.conf:1: invalid pin-sha256 \"not base64!\""));
	CHECK(fails_with("upstream 1.1.1.1 pin-sha256 \"\"\n",
	    "t.conf:1: invalid pin-sha256 \"\""));
}

/* nlisten listen lines, then nupstream upstreams with all their pins */
static char *
limits_text(int nlisten, int nupstream)
{
	char	*text = NULL;
	size_t	 len = 0;
	FILE	*fp;
	int	 i;

	if ((fp = open_memstream(&text, &len)) == NULL)
		return NULL;
	for (i = 0; i < nlisten; i++)
		fprintf(fp, "listen on 127.0.0.%d\n", i + 1);
	for (i = 0; i < nupstream; i++)
		fprintf(fp, "upstream 192.0.2.%d pin-sha256 " PIN_A
		    " pin-sha256 " PIN_B " pin-sha256 " PIN_C " pin-sha256 "
		    PIN_D "\n", i + 1);
	if (fclose(fp) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

static void
t_limits(void)
{
	char	*text;

	text = limits_text(CONF_MAX_LISTEN, CONF_MAX_UPSTREAMS);
	CHECK(text != NULL && parses(text));
	free(text);
	text = limits_text(CONF_MAX_LISTEN + 1, 0);
	CHECK(text != NULL && fails_with(text,
	    "t.conf:17: too many listen addresses (max 16)"));
	free(text);
	text = limits_text(0, CONF_MAX_UPSTREAMS + 1);
	CHECK(text != NULL && fails_with(text,
	    "t.conf:9: too many upstreams (max 8)"));
	free(text);
}

static void
t_duplicates(void)
{
	CHECK(parses("listen on ::1\nlisten on ::1 port 53\n"
	    "listen on ::1 port 54\nlisten on 127.0.0.1\n"));
	CHECK(fails_with("listen on ::1\nlisten on 0::1\n",
	    "t.conf:2: duplicate listen address ::1"));
	CHECK(fails_with("listen on 10.0.0.1 port 53\n"
	    "listen on 10.0.0.1 port 053\n",
	    "t.conf:2: duplicate listen address 10.0.0.1 port 53"));
	CHECK(parses("upstream 1.1.1.1\nupstream 1.1.1.1 port 8853\n"
	    "upstream ::ffff:1.1.1.1\n"));
	CHECK(fails_with("upstream 1.1.1.1 name a.b\n"
	    "upstream 1.1.1.1 port 853 name c.d\n",
	    "t.conf:2: duplicate upstream 1.1.1.1 port 853"));
	CHECK(fails_with("upstream 2001:db8::1 port 5\n"
	    "upstream 2001:DB8:0::1 port 5\n",
	    "t.conf:2: duplicate upstream 2001:db8::1 port 5"));
}

static void
t_error_keeps_conf(void)
{
	struct dnstlsd_conf	 conf, before;
	char			 err[CONF_ERRLEN];
	static const char	 bad[] = "listen on ::1\nupstream 1.1.1.1\n"
	    "ca /x\ncache size 1\nbogus\n";

	CHECK(parse_text("user a\nupstream 9.9.9.9\n", &conf, err) == 0);
	before = conf;
	CHECK(conf_parse_buffer("t.conf", bad, sizeof(bad) - 1, &conf, err,
	    sizeof(err)) == -1);
	CHECK(memcmp(&conf, &before, sizeof(conf)) == 0);
	/* and a tiny error buffer truncates, never overflows */
	err[0] = 'X';
	CHECK(conf_parse_buffer("t.conf", bad, sizeof(bad) - 1, &conf, err,
	    5) == -1);
	CHECK(strcmp(err, "t.co") == 0);
	CHECK(conf_parse_buffer("t.conf", bad, sizeof(bad) - 1, &conf, NULL,
	    0) == -1);
}

static void
t_parse_adds(void)
{
	struct dnstlsd_conf	 conf;
	char			 err[CONF_ERRLEN];
	static const char	 more[] = "upstream 1.0.0.1\nlisten on ::1\n";
	static const char	 dup[] = "upstream 9.9.9.9\n";

	CHECK(parse_text("upstream 9.9.9.9\nratelimit 3\n", &conf, err) == 0);
	CHECK(conf_parse_buffer("u.conf", more, sizeof(more) - 1, &conf, err,
	    sizeof(err)) == 0);
	CHECK(conf.nupstream == 2 && conf.nlisten == 1 && conf.ratelimit == 3);
	CHECK(conf_parse_buffer("u.conf", dup, sizeof(dup) - 1, &conf, err,
	    sizeof(err)) == -1);
	CHECK(strcmp(err, "u.conf:1: duplicate upstream 9.9.9.9 port 853") ==
	    0);
}

static void
t_upstream_arg(void)
{
	struct conf_upstream	 up;
	char			 err[CONF_ERRLEN], addr[INET6_ADDRSTRLEN];

	CHECK(conf_parse_upstream_arg("1.1.1.1@853#cloudflare-dns.com", &up,
	    err, sizeof(err)) == 0);
	addr_str(&up.ss, addr, sizeof(addr));
	CHECK(strcmp(addr, "1.1.1.1") == 0);
	CHECK(addr_port(&up.ss) == 853);
	CHECK(strcmp(up.name, "cloudflare-dns.com") == 0);
	CHECK(up.npins == 0 && up.sslen == sizeof(struct sockaddr_in));

	CHECK(conf_parse_upstream_arg("2606:4700:4700::1111@853"
	    "#cloudflare-dns.com", &up, err, sizeof(err)) == 0);
	addr_str(&up.ss, addr, sizeof(addr));
	CHECK(strcmp(addr, "2606:4700:4700::1111") == 0);
	CHECK(up.ss.ss_family == AF_INET6 &&
	    up.sslen == sizeof(struct sockaddr_in6));
	CHECK(addr_port(&up.ss) == 853);
	CHECK(strcmp(up.name, "cloudflare-dns.com") == 0);

	CHECK(conf_parse_upstream_arg("9.9.9.9#dns.quad9.net", &up, err,
	    sizeof(err)) == 0);
	CHECK(addr_port(&up.ss) == DEFAULT_DOT_PORT);
	CHECK(strcmp(up.name, "dns.quad9.net") == 0);

	CHECK(conf_parse_upstream_arg("127.0.0.1@8853", &up, err,
	    sizeof(err)) == 0);
	CHECK(addr_port(&up.ss) == 8853);
	CHECK(up.name[0] == '\0');

	CHECK(conf_parse_upstream_arg("::1", &up, err, sizeof(err)) == 0);
	CHECK(addr_port(&up.ss) == DEFAULT_DOT_PORT);
}

static void
t_upstream_arg_errors(void)
{
	static const struct {
		const char	*arg;
		const char	*err;
	} cases[] = {
		{ "x", "invalid upstream \"x\": bad address" },
		{ "", "invalid upstream \"\": bad address" },
		{ "dns.google#dns.google",
		    "invalid upstream \"dns.google#dns.google\": bad address" },
		{ "[::1]@853", "invalid upstream \"[::1]@853\": bad address" },
		{ "@853", "invalid upstream \"@853\": bad address" },
		{ "1.1.1.1@", "invalid upstream \"1.1.1.1@\": bad port" },
		{ "1.1.1.1@0", "invalid upstream \"1.1.1.1@0\": bad port" },
		{ "1.1.1.1@70000", "invalid upstream \"1.1.1.1@70000\": "
		    "bad port" },
		{ "1.1.1.1@853@853", "invalid upstream \"1.1.1.1@853@853\": "
		    "bad port" },
		{ "1.1.1.1@-1#a", "invalid upstream \"1.1.1.1@-1#a\": "
		    "bad port" },
		{ "1.1.1.1#", "invalid upstream \"1.1.1.1#\": bad name" },
		{ "1.1.1.1#a@b", "invalid upstream \"1.1.1.1#a@b\": bad name" },
		{ "1.1.1.1#a#b", "invalid upstream \"1.1.1.1#a#b\": bad name" },
		{ "1.1.1.1#a b", "invalid upstream \"1.1.1.1#a b\": bad name" },
	};
	struct conf_upstream	 up;
	char			 err[CONF_ERRLEN];
	size_t			 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		CHECK(conf_parse_upstream_arg(cases[i].arg, &up, err,
		    sizeof(err)) == -1);
		if (strcmp(err, cases[i].err) != 0) {
			fprintf(stderr, "error: %s\nexpected: %s\n", err,
			    cases[i].err);
			CHECK(strcmp(err, cases[i].err) == 0);
		}
	}
}

static void
t_listen_arg(void)
{
	struct conf_listen	 l;
	char			 err[CONF_ERRLEN], addr[INET6_ADDRSTRLEN];

	CHECK(conf_parse_listen_arg("192.0.2.1", &l, err, sizeof(err)) == 0);
	addr_str(&l.ss, addr, sizeof(addr));
	CHECK(strcmp(addr, "192.0.2.1") == 0);
	CHECK(l.port_set == 0 && addr_port(&l.ss) == 0);
	CHECK(conf_parse_listen_arg("::", &l, err, sizeof(err)) == 0);
	CHECK(l.ss.ss_family == AF_INET6);
	CHECK(conf_parse_listen_arg("127.0.0.1@53", &l, err,
	    sizeof(err)) == -1);
	CHECK(strcmp(err, "invalid listen address \"127.0.0.1@53\"") == 0);
	CHECK(conf_parse_listen_arg("localhost", &l, err, sizeof(err)) == -1);
	CHECK(strcmp(err, "invalid listen address \"localhost\"") == 0);
}

static void
t_finalize_defaults(void)
{
	struct dnstlsd_conf	 conf;
	char			*text, *expected;

	conf_init(&conf);
	conf_finalize(&conf, 5353);
	expected = text_printf("listen on 0.0.0.0 port 5353\n"
	    "listen on :: port 5353\n"
	    "upstream 1.1.1.1 port 853 name \"cloudflare-dns.com\"\n"
	    "upstream 1.0.0.1 port 853 name \"cloudflare-dns.com\"\n"
	    "ca \"%s\"\nuser \"_dnstls\"\npolicy fastest\ncache size 10000\n"
	    "ratelimit 0\n",
	    default_ca());
	text = print_conf(&conf);
	CHECK(text != NULL && expected != NULL && strcmp(text, expected) == 0);
	CHECK(round_trips(&conf));
	free(text);
	free(expected);

	/* port 0 is a caller bug: it would print a config that fails */
	conf_init(&conf);
	conf_finalize(&conf, 0);
	CHECK(addr_port(&conf.listen[0].ss) == DEFAULT_PORT);
}

static void
t_finalize_keeps(void)
{
	struct dnstlsd_conf	 conf;
	char			 err[CONF_ERRLEN];

	CHECK(parse_text("listen on ::1\nlisten on 127.0.0.1 port 5300\n"
	    "upstream 9.9.9.9\nca /my/ca.pem\nuser 1000\ncache size 0\n",
	    &conf, err) == 0);
	conf_finalize(&conf, 54);
	CHECK(conf.nlisten == 2 && conf.nupstream == 1);
	CHECK(addr_port(&conf.listen[0].ss) == 54);
	CHECK(conf.listen[0].port_set == 1);
	CHECK(addr_port(&conf.listen[1].ss) == 5300);
	CHECK(conf.upstream[0].name[0] == '\0');
	CHECK(strcmp(conf.ca, "/my/ca.pem") == 0);
	CHECK(strcmp(conf.user, "1000") == 0);
	CHECK(conf.cache_size == 0);
	/* finalizing twice changes nothing */
	{
		struct dnstlsd_conf	 once = conf;

		conf_finalize(&conf, 99);
		CHECK(memcmp(&once, &conf, sizeof(conf)) == 0);
	}
}

static void
t_finalize_merges_listens(void)
{
	struct dnstlsd_conf	 conf;
	char			 err[CONF_ERRLEN];
	char			 addr[INET6_ADDRSTRLEN];
	struct conf_listen	 zero;

	CHECK(parse_text("listen on 10.0.0.1\nlisten on ::1 port 53\n"
	    "listen on 10.0.0.1 port 53\nlisten on ::1\n"
	    "listen on 10.0.0.1 port 54\n", &conf, err) == 0);
	CHECK(conf.nlisten == 5);
	conf_finalize(&conf, 53);
	CHECK(conf.nlisten == 3);
	addr_str(&conf.listen[0].ss, addr, sizeof(addr));
	CHECK(strcmp(addr, "10.0.0.1") == 0);
	addr_str(&conf.listen[1].ss, addr, sizeof(addr));
	CHECK(strcmp(addr, "::1") == 0);
	CHECK(addr_port(&conf.listen[2].ss) == 54);
	memset(&zero, 0, sizeof(zero));
	CHECK(memcmp(&conf.listen[3], &zero, sizeof(zero)) == 0);
	CHECK(round_trips(&conf));
}

static void
t_print_format(void)
{
	struct dnstlsd_conf	 conf;
	char			 err[CONF_ERRLEN], *text;

	CHECK(parse_text("ratelimit 9\nuser u\nca \"/c\\\"a\"\n"
	    "upstream ::1 pin-sha256 " PIN_B " name n.example\n"
	    "listen on ::1\nlisten on 10.1.1.1 port 1\n", &conf, err) == 0);
	/* before conf_finalize: no port for listen, no defaults */
	text = print_conf(&conf);
	CHECK(text != NULL && strcmp(text,
	    "listen on ::1\n"
	    "listen on 10.1.1.1 port 1\n"
	    "upstream ::1 port 853 name \"n.example\" pin-sha256 \"" PIN_B
	    "\"\n"
	    "ca \"/c\\\"a\"\n"
	    "user \"u\"\n"
	    "policy fastest\n"
	    "cache size 10000\n"
	    "ratelimit 9\n") == 0);
	CHECK(round_trips(&conf));
	free(text);

	conf_init(&conf);
	text = print_conf(&conf);
	CHECK(text != NULL && strcmp(text,
	    "policy fastest\ncache size 10000\nratelimit 0\n") == 0);
	free(text);
}

static void
t_round_trip_full(void)
{
	struct dnstlsd_conf	 conf;
	char			*text = NULL, err[CONF_ERRLEN];
	size_t			 len = 0;
	FILE			*fp;
	int			 i;

	/* every field at its limit */
	if ((fp = open_memstream(&text, &len)) == NULL) {
		CHECK(fp != NULL);
		return;
	}
	for (i = 0; i < CONF_MAX_LISTEN; i++)
		fprintf(fp, "listen on 2001:db8::%x port %d\n", i, 1000 + i);
	for (i = 0; i < CONF_MAX_UPSTREAMS; i++)
		fprintf(fp, "upstream 192.0.2.%d port %d name n%d.example "
		    "pin-sha256 " PIN_A " pin-sha256 " PIN_B " pin-sha256 "
		    PIN_C " pin-sha256 " PIN_D "\n", i, 65535 - i, i);
	fprintf(fp, "ca \"/odd \\\"path\\\" \\\\ #x\"\nuser 4294967294\n"
	    "cache size 10000000\nratelimit 1000000\n");
	fclose(fp);
	CHECK(parse_text(text, &conf, err) == 0);
	CHECK(round_trips(&conf));
	conf_finalize(&conf, 53);
	CHECK(round_trips(&conf));
	free(text);
}

static void
t_addr_helpers(void)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	char			 buf[INET6_ADDRSTRLEN];

	memset(&ss, 0, sizeof(ss));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(853);
	sin->sin_addr.s_addr = htonl(0xc0000201);
	addr_str(&ss, buf, sizeof(buf));
	CHECK(strcmp(buf, "192.0.2.1") == 0);
	CHECK(addr_port(&ss) == 853);
	/* too small a buffer and an unknown family give a marker */
	addr_str(&ss, buf, 4);
	CHECK(strcmp(buf, "?") == 0);
	ss.ss_family = AF_UNIX;
	addr_str(&ss, buf, sizeof(buf));
	CHECK(strcmp(buf, "?") == 0);
	CHECK(addr_port(&ss) == 0);
}

static void
t_file_errors(void)
{
	struct dnstlsd_conf	 conf;
	char			 err[CONF_ERRLEN];

	conf_init(&conf);
	CHECK(conf_parse_file("/nonexistent/dnstlsd.conf", &conf, err,
	    sizeof(err)) == -1);
	CHECK(strcmp(err, "/nonexistent/dnstlsd.conf: No such file or "
	    "directory") == 0);
	CHECK(conf_parse_file("/", &conf, err, sizeof(err)) == -1);
	CHECK(strcmp(err, "/: Is a directory") == 0);
}

static void
t_file_size(void)
{
	struct dnstlsd_conf	 conf;
	char			 err[CONF_ERRLEN];
	char			 path[] = "/tmp/conftestXXXXXX";
	char			*blank, *expected;
	size_t			 max = 1024 * 1024;
	int			 fd;

	if ((fd = mkstemp(path)) == -1) {
		CHECK(fd != -1);
		return;
	}
	if ((blank = malloc(max + 1)) == NULL) {
		CHECK(blank != NULL);
		close(fd);
		unlink(path);
		return;
	}
	memset(blank, '\n', max + 1);
	/* exactly 1 MiB of blank lines is fine, one byte more is not */
	CHECK(write(fd, blank, max) == (ssize_t)max);
	conf_init(&conf);
	CHECK(conf_parse_file(path, &conf, err, sizeof(err)) == 0);
	CHECK(write(fd, blank, 1) == 1);
	CHECK(conf_parse_file(path, &conf, err, sizeof(err)) == -1);
	expected = text_printf("%s: file too large (max 1048576 bytes)",
	    path);
	CHECK(expected != NULL && strcmp(err, expected) == 0);
	free(expected);
	free(blank);
	close(fd);
	unlink(path);
}

/* a file that does not say its size (st_size 0) is read all the same */
static void
t_file_read_unsized(void)
{
	uint8_t	*buf = NULL;
	size_t	 len = 0;

	CHECK(file_read("/proc/self/status", 1024 * 1024, &buf, &len) == 0);
	CHECK(len > 16 && buf != NULL && buf[len] == '\0' &&
	    memcmp(buf, "Name:", 5) == 0);
	free(buf);
	errno = 0;
	CHECK(file_read("/proc/self/status", 16, &buf, &len) == -1 &&
	    errno == EFBIG);
}

void
test_config(void)
{
	RUN(t_golden_files);
	RUN(t_init_defaults);
	RUN(t_listen);
	RUN(t_upstream);
	RUN(t_scalars);
	RUN(t_quoting);
	RUN(t_line_endings);
	RUN(t_line_numbers);
	RUN(t_nul_byte);
	RUN(t_line_length);
	RUN(t_missing_and_extra);
	RUN(t_numbers);
	RUN(t_parse_port);
	RUN(t_addresses);
	RUN(t_hostnames);
	RUN(t_users);
	RUN(t_pins);
	RUN(t_limits);
	RUN(t_duplicates);
	RUN(t_error_keeps_conf);
	RUN(t_parse_adds);
	RUN(t_upstream_arg);
	RUN(t_upstream_arg_errors);
	RUN(t_listen_arg);
	RUN(t_finalize_defaults);
	RUN(t_finalize_keeps);
	RUN(t_finalize_merges_listens);
	RUN(t_print_format);
	RUN(t_round_trip_full);
	RUN(t_addr_helpers);
	RUN(t_file_errors);
	RUN(t_file_size);
	RUN(t_file_read_unsized);
}
