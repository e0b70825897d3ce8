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
 * dnstlsd.conf(5): the parser of the configuration file and of the
 * command-line forms, and the defaults (the printer behind -n -v is
 * printconf.c, address literals are addr.c). Runs in the parent.
 * Trusts nothing in the text it is given: every line, word, number,
 * address and name is checked before it lands in the configuration,
 * and a file that fails leaves the configuration untouched.
 * Touches the file system only to read the file it is given and, in
 * conf_finalize, to see whether the default CA bundle exists.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "config.h"
#include "dns.h"
#include "file.h"

/* bytes, not counting the newline */
#define CONF_MAX_LINE		1024
#define CONF_MAX_FILE		(1024 * 1024)
/* a word takes at least one byte and a separator */
#define CONF_MAX_WORDS		(CONF_MAX_LINE / 2 + 1)
#define CONF_MAX_CACHE		10000000
#define CONF_MAX_RATELIMIT	1000000
/* a host name in text: the wire form less its first length and the root */
#define HOSTNAME_MAX		(DNS_MAXNAME - 2)

#define DEFAULT_UPSTREAM_NAME	"cloudflare-dns.com"

/* one line being parsed: its words and where the next one is */
struct parser {
	const char		*file;
	size_t			 lineno;
	struct dnstlsd_conf	*conf;
	char			*word[CONF_MAX_WORDS];
	int			 nword;
	int			 pos;
	char			*err;
	size_t			 errlen;
};

struct statement {
	const char	*keyword;
	int		(*parse)(struct parser *);
};

static void	 set_error(char *, size_t, const char *, ...)
		    __attribute__((__format__(__printf__, 3, 4)));
static int	 parse_error(struct parser *, const char *, ...)
		    __attribute__((__format__(__printf__, 2, 3)));
static int	 copy_span(char *, size_t, const char *, size_t);
static int	 is_blank(char);
static int	 is_control(char);
static int	 is_ldh(char);
static int	 parse_uint(const char *, uint32_t, uint32_t *);
static int	 valid_hostname(const char *);
static int	 valid_user(const char *);
static char	*read_quoted(struct parser *, char *);
static char	*read_bare(struct parser *, char *);
static int	 split_words(struct parser *, char *);
static int	 read_line(struct parser *, const char *, size_t, char *);
static const char *next_word(struct parser *);
static const char *need_arg(struct parser *, const char *);
static int	 expect_end(struct parser *);
static int	 option_port(struct parser *, struct sockaddr_storage *);
static int	 option_name(struct parser *, struct conf_upstream *);
static int	 option_pin(struct parser *, struct conf_upstream *);
static int	 add_listen(struct parser *, const struct conf_listen *);
static int	 add_upstream(struct parser *, const struct conf_upstream *);
static int	 parse_listen(struct parser *);
static int	 parse_upstream(struct parser *);
static int	 parse_ca(struct parser *);
static int	 parse_user(struct parser *);
static int	 parse_cache(struct parser *);
static int	 parse_ratelimit(struct parser *);
static int	 parse_policy(struct parser *);
static int	 parse_line(struct parser *, char *);
static void	 add_default_listen(struct dnstlsd_conf *, const char *);
static void	 add_default_upstream(struct dnstlsd_conf *, const char *);
static void	 resolve_listen_ports(struct dnstlsd_conf *, uint16_t);
static void	 drop_duplicate_listens(struct dnstlsd_conf *);

static const struct statement statements[] = {
	{ "ca",		parse_ca },
	{ "cache",	parse_cache },
	{ "listen",	parse_listen },
	{ "policy",	parse_policy },
	{ "ratelimit",	parse_ratelimit },
	{ "upstream",	parse_upstream },
	{ "user",	parse_user },
};

static void
set_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	 ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* "file:line: message"; returns -1 so that callers can return it */
static int
parse_error(struct parser *p, const char *fmt, ...)
{
	char	 msg[CONF_ERRLEN];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	set_error(p->err, p->errlen, "%s:%zu: %s", p->file, p->lineno, msg);
	return -1;
}

/*
 * len bytes of src as a string into dst, -1 when it does not fit. The
 * rest of dst is zeroed: a shorter value set over a longer one leaves no
 * stale bytes, so equal configurations compare equal with memcmp.
 */
static int
copy_span(char *dst, size_t dstlen, const char *src, size_t len)
{
	if (len >= dstlen)
		return -1;
	memcpy(dst, src, len);
	memset(dst + len, 0, dstlen - len);
	return 0;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int
is_control(char c)
{
	unsigned char	 u = (unsigned char)c;

	return u < 0x20 || u == 0x7f;
}

/* letter, digit or hyphen, in ASCII whatever the locale */
static int
is_ldh(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-';
}

/*
 * Decimal digits only, at most max. Unlike strtol: no sign, no leading
 * blanks, no base prefix, no silent clamping on overflow.
 */
static int
parse_uint(const char *s, uint32_t max, uint32_t *out)
{
	uint32_t	 v = 0, digit;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		digit = (uint32_t)(*s - '0');
		if (digit > max || v > (max - digit) / 10)
			return -1;
		v = v * 10 + digit;
	}
	*out = v;
	return 0;
}

/*
 * A host name as TLS checks it against the certificate: labels of 1-63
 * letters, digits and inner hyphens, 253 bytes at most, no final dot.
 */
static int
valid_hostname(const char *name)
{
	size_t	 total = 0, label = 0;
	char	 prev = '.';

	for (; *name != '\0'; name++) {
		if (++total > HOSTNAME_MAX)
			return 0;
		if (*name == '.') {
			if (label == 0 || prev == '-')
				return 0;
			label = 0;
		} else {
			if (!is_ldh(*name) || (*name == '-' && label == 0))
				return 0;
			if (++label > DNS_MAXLABEL)
				return 0;
		}
		prev = *name;
	}
	return label > 0 && prev != '-';
}

/*
 * A portable user name ([A-Za-z0-9._-], not starting with '-', so it
 * cannot pass for an option) or a numeric uid other than (uid_t)-1.
 */
static int
valid_user(const char *user)
{
	const char	*s;
	uint32_t	 uid;
	int		 numeric = 1;

	if (*user == '\0' || *user == '-')
		return 0;
	for (s = user; *s != '\0'; s++) {
		if (!is_ldh(*s) && *s != '_' && *s != '.')
			return 0;
		if (*s < '0' || *s > '9')
			numeric = 0;
	}
	if (numeric && parse_uint(user, UINT32_MAX - 1, &uid) == -1)
		return 0;
	return 1;
}

int
conf_parse_port(const char *text, uint16_t *port)
{
	uint32_t	 v;

	if (parse_uint(text, UINT16_MAX, &v) == -1 || v == 0)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

/*
 * The word starting at the opening quote s, unquoted in place (the text
 * only shrinks). Returns where scanning goes on, NULL on an error.
 */
static char *
read_quoted(struct parser *p, char *s)
{
	char	*dst = s, *src = s + 1;

	while (*src != '"') {
		if (*src == '\0') {
			parse_error(p, "unterminated string");
			return NULL;
		}
		if (*src == '\\') {
			src++;
			if (*src != '"' && *src != '\\') {
				parse_error(p, "invalid escape in string");
				return NULL;
			}
		}
		if (is_control(*src)) {
			parse_error(p, "invalid character in string");
			return NULL;
		}
		*dst++ = *src++;
	}
	src++;
	if (*src != '\0' && *src != '#' && !is_blank(*src)) {
		parse_error(p, "missing blank after string");
		return NULL;
	}
	*dst = '\0';
	return src;
}

/* a bare word: ends at a blank, a comment or the end of the line */
static char *
read_bare(struct parser *p, char *s)
{
	for (; *s != '\0' && *s != '#' && !is_blank(*s); s++) {
		if (*s == '"') {
			parse_error(p, "unexpected quote");
			return NULL;
		}
		if (is_control(*s)) {
			parse_error(p, "invalid character");
			return NULL;
		}
	}
	if (*s == '\0')
		return s;
	if (*s == '#') {
		*s = '\0';
		return s;
	}
	*s = '\0';
	return s + 1;
}

/* split the line into words in place, dropping the comment */
static int
split_words(struct parser *p, char *s)
{
	p->nword = 0;
	p->pos = 0;
	for (;;) {
		while (is_blank(*s))
			s++;
		if (*s == '\0' || *s == '#')
			return 0;
		if (p->nword == CONF_MAX_WORDS)
			return parse_error(p, "too many words");
		p->word[p->nword++] = s;
		if (*s == '"')
			s = read_quoted(p, s);
		else
			s = read_bare(p, s);
		if (s == NULL)
			return -1;
	}
}

/* copy one raw line (without its newline) into line, a C string */
static int
read_line(struct parser *p, const char *src, size_t len, char *line)
{
	if (len > CONF_MAX_LINE)
		return parse_error(p, "line too long (max %d bytes)",
		    CONF_MAX_LINE);
	if (memchr(src, '\0', len) != NULL)
		return parse_error(p, "nul byte in line");
	/* files edited on Windows */
	if (len > 0 && src[len - 1] == '\r')
		len--;
	memcpy(line, src, len);
	line[len] = '\0';
	return 0;
}

static const char *
next_word(struct parser *p)
{
	if (p->pos >= p->nword)
		return NULL;
	return p->word[p->pos++];
}

static const char *
need_arg(struct parser *p, const char *keyword)
{
	const char	*w;

	if ((w = next_word(p)) == NULL)
		parse_error(p, "missing argument after \"%s\"", keyword);
	return w;
}

static int
expect_end(struct parser *p)
{
	if (p->pos < p->nword)
		return parse_error(p, "unexpected \"%s\"", p->word[p->pos]);
	return 0;
}

static int
option_port(struct parser *p, struct sockaddr_storage *ss)
{
	const char	*w;
	uint16_t	 port;

	if ((w = need_arg(p, "port")) == NULL)
		return -1;
	if (conf_parse_port(w, &port) == -1)
		return parse_error(p, "invalid port \"%s\"", w);
	addr_set_port(ss, port);
	return 0;
}

static int
option_name(struct parser *p, struct conf_upstream *up)
{
	const char	*w;

	if (up->name[0] != '\0')
		return parse_error(p, "\"name\" given twice");
	if ((w = need_arg(p, "name")) == NULL)
		return -1;
	if (!valid_hostname(w) ||
	    copy_span(up->name, sizeof(up->name), w, strlen(w)) == -1)
		return parse_error(p, "invalid name \"%s\"", w);
	return 0;
}

static int
option_pin(struct parser *p, struct conf_upstream *up)
{
	const char	*w;
	uint8_t		 pin[PIN_LEN];
	int		 i;

	if ((w = need_arg(p, "pin-sha256")) == NULL)
		return -1;
	if (up->npins >= CONF_MAX_PINS)
		return parse_error(p, "too many pins (max %d)", CONF_MAX_PINS);
	if (pin_decode(w, pin) == -1)
		return parse_error(p, "invalid pin-sha256 \"%s\"", w);
	for (i = 0; i < up->npins; i++)
		if (memcmp(up->pins[i], pin, PIN_LEN) == 0)
			return parse_error(p, "duplicate pin-sha256 \"%s\"", w);
	memcpy(up->pins[up->npins++], pin, PIN_LEN);
	return 0;
}

static int
add_listen(struct parser *p, const struct conf_listen *l)
{
	struct dnstlsd_conf	*conf = p->conf;
	char			 addr[INET6_ADDRSTRLEN];
	int			 i;

	for (i = 0; i < conf->nlisten; i++) {
		if (conf->listen[i].port_set != l->port_set ||
		    !addr_equal(&conf->listen[i].ss, &l->ss))
			continue;
		addr_str(&l->ss, addr, sizeof(addr));
		if (l->port_set)
			return parse_error(p, "duplicate listen address %s "
			    "port %u", addr, addr_port(&l->ss));
		return parse_error(p, "duplicate listen address %s", addr);
	}
	if (conf->nlisten >= CONF_MAX_LISTEN)
		return parse_error(p, "too many listen addresses (max %d)",
		    CONF_MAX_LISTEN);
	conf->listen[conf->nlisten++] = *l;
	return 0;
}

static int
add_upstream(struct parser *p, const struct conf_upstream *up)
{
	struct dnstlsd_conf	*conf = p->conf;
	char			 addr[INET6_ADDRSTRLEN];
	int			 i;

	for (i = 0; i < conf->nupstream; i++) {
		if (!addr_equal(&conf->upstream[i].ss, &up->ss))
			continue;
		addr_str(&up->ss, addr, sizeof(addr));
		return parse_error(p, "duplicate upstream %s port %u", addr,
		    addr_port(&up->ss));
	}
	if (conf->nupstream >= CONF_MAX_UPSTREAMS)
		return parse_error(p, "too many upstreams (max %d)",
		    CONF_MAX_UPSTREAMS);
	conf->upstream[conf->nupstream++] = *up;
	return 0;
}

/* listen on ADDRESS [port PORT] */
static int
parse_listen(struct parser *p)
{
	struct conf_listen	 l;
	const char		*w;

	memset(&l, 0, sizeof(l));
	if ((w = next_word(p)) == NULL || strcmp(w, "on") != 0)
		return parse_error(p, "expected \"on\" after \"listen\"");
	if ((w = need_arg(p, "on")) == NULL)
		return -1;
	if (addr_parse(w, 0, &l.ss, &l.sslen) == -1)
		return parse_error(p, "invalid address \"%s\"", w);
	while ((w = next_word(p)) != NULL) {
		if (strcmp(w, "port") != 0)
			return parse_error(p, "unexpected \"%s\"", w);
		if (l.port_set)
			return parse_error(p, "\"port\" given twice");
		if (option_port(p, &l.ss) == -1)
			return -1;
		l.port_set = 1;
	}
	return add_listen(p, &l);
}

/* upstream ADDRESS [port PORT] [name "AUTHNAME"] [pin-sha256 "B64"]... */
static int
parse_upstream(struct parser *p)
{
	struct conf_upstream	 up;
	const char		*w;
	int			 port_set = 0;

	memset(&up, 0, sizeof(up));
	if ((w = need_arg(p, "upstream")) == NULL)
		return -1;
	if (addr_parse(w, DEFAULT_DOT_PORT, &up.ss, &up.sslen) == -1)
		return parse_error(p, "invalid address \"%s\"", w);
	while ((w = next_word(p)) != NULL) {
		if (strcmp(w, "port") == 0) {
			if (port_set++)
				return parse_error(p, "\"port\" given twice");
			if (option_port(p, &up.ss) == -1)
				return -1;
		} else if (strcmp(w, "name") == 0) {
			if (option_name(p, &up) == -1)
				return -1;
		} else if (strcmp(w, "pin-sha256") == 0) {
			if (option_pin(p, &up) == -1)
				return -1;
		} else
			return parse_error(p, "unexpected \"%s\"", w);
	}
	return add_upstream(p, &up);
}

/* ca "FILE" */
static int
parse_ca(struct parser *p)
{
	const char	*w;

	if ((w = need_arg(p, "ca")) == NULL)
		return -1;
	if (*w == '\0')
		return parse_error(p, "empty ca path");
	if (copy_span(p->conf->ca, sizeof(p->conf->ca), w, strlen(w)) == -1)
		return parse_error(p, "ca path too long (max %zu bytes)",
		    sizeof(p->conf->ca) - 1);
	return expect_end(p);
}

/* user "NAME" */
static int
parse_user(struct parser *p)
{
	const char	*w;

	if ((w = need_arg(p, "user")) == NULL)
		return -1;
	if (!valid_user(w))
		return parse_error(p, "invalid user \"%s\"", w);
	if (copy_span(p->conf->user, sizeof(p->conf->user), w,
	    strlen(w)) == -1)
		return parse_error(p, "user name too long (max %zu bytes)",
		    sizeof(p->conf->user) - 1);
	return expect_end(p);
}

/* cache size N | cache serve-stale */
static int
parse_cache(struct parser *p)
{
	const char	*w;

	if ((w = next_word(p)) != NULL && strcmp(w, "serve-stale") == 0) {
		p->conf->serve_stale = 1;
		return expect_end(p);
	}
	if (w == NULL || strcmp(w, "size") != 0)
		return parse_error(p, "expected \"size\" or \"serve-stale\" "
		    "after \"cache\"");
	if ((w = need_arg(p, "size")) == NULL)
		return -1;
	if (parse_uint(w, CONF_MAX_CACHE, &p->conf->cache_size) == -1)
		return parse_error(p, "invalid cache size \"%s\"", w);
	return expect_end(p);
}

/* ratelimit N */
static int
parse_ratelimit(struct parser *p)
{
	const char	*w;

	if ((w = need_arg(p, "ratelimit")) == NULL)
		return -1;
	if (parse_uint(w, CONF_MAX_RATELIMIT, &p->conf->ratelimit) == -1)
		return parse_error(p, "invalid ratelimit \"%s\"", w);
	return expect_end(p);
}

static const char *const policy_names[] = {
	[POLICY_FASTEST] = "fastest",
	[POLICY_ORDERED] = "ordered",
	[POLICY_ROUND_ROBIN] = "round-robin",
};

const char *
conf_policy_name(enum conf_policy policy)
{
	return policy_names[policy];
}

/* policy fastest | ordered | round-robin */
static int
parse_policy(struct parser *p)
{
	const char	*w;
	size_t		 i;

	if ((w = need_arg(p, "policy")) == NULL)
		return -1;
	for (i = 0; i < sizeof(policy_names) / sizeof(policy_names[0]); i++)
		if (strcmp(w, policy_names[i]) == 0) {
			p->conf->policy = (enum conf_policy)i;
			return expect_end(p);
		}
	return parse_error(p, "invalid policy \"%s\" (fastest, ordered or "
	    "round-robin)", w);
}

static int
parse_line(struct parser *p, char *line)
{
	const char	*keyword;
	size_t		 i;

	if (split_words(p, line) == -1)
		return -1;
	if ((keyword = next_word(p)) == NULL)
		return 0;
	for (i = 0; i < sizeof(statements) / sizeof(statements[0]); i++)
		if (strcmp(keyword, statements[i].keyword) == 0)
			return statements[i].parse(p);
	return parse_error(p, "unknown keyword \"%s\"", keyword);
}

void
conf_init(struct dnstlsd_conf *conf)
{
	memset(conf, 0, sizeof(*conf));
	conf->cache_size = DEFAULT_CACHE_SIZE;
	conf->ratelimit = DEFAULT_RATELIMIT;
}

int
conf_parse_buffer(const char *file, const char *buf, size_t len,
    struct dnstlsd_conf *conf, char *err, size_t errlen)
{
	struct dnstlsd_conf	 work;
	struct parser		 p;
	char			 line[CONF_MAX_LINE + 1];
	const char		*start, *nl;
	size_t			 off = 0, linelen;

	/* work on a copy so that a bad file changes nothing */
	work = *conf;
	memset(&p, 0, sizeof(p));
	p.file = file;
	p.conf = &work;
	p.err = err;
	p.errlen = errlen;
	while (off < len) {
		p.lineno++;
		start = buf + off;
		nl = memchr(start, '\n', len - off);
		linelen = nl != NULL ? (size_t)(nl - start) : len - off;
		if (read_line(&p, start, linelen, line) == -1 ||
		    parse_line(&p, line) == -1)
			return -1;
		off += linelen;
		if (nl != NULL)
			off++;
	}
	*conf = work;
	return 0;
}

int
conf_parse_file(const char *path, struct dnstlsd_conf *conf, char *err,
    size_t errlen)
{
	uint8_t	*buf;
	size_t	 len;
	int	 rv;

	if (file_read(path, CONF_MAX_FILE, &buf, &len) == -1) {
		if (errno == EFBIG)
			set_error(err, errlen, "%s: file too large (max %d "
			    "bytes)", path, CONF_MAX_FILE);
		else
			set_error(err, errlen, "%s: %s", path,
			    strerror(errno));
		return -1;
	}
	rv = conf_parse_buffer(path, (const char *)buf, len, conf, err,
	    errlen);
	free(buf);
	return rv;
}

int
conf_parse_upstream_arg(const char *arg, struct conf_upstream *up,
    char *err, size_t errlen)
{
	char		 addr[INET6_ADDRSTRLEN], port[sizeof("65535")];
	const char	*hash, *at, *end;
	uint16_t	 portnum;

	memset(up, 0, sizeof(*up));
	hash = strchr(arg, '#');
	end = hash != NULL ? hash : arg + strlen(arg);
	at = memchr(arg, '@', (size_t)(end - arg));
	if (copy_span(addr, sizeof(addr), arg,
	    (size_t)((at != NULL ? at : end) - arg)) == -1 ||
	    addr_parse(addr, DEFAULT_DOT_PORT, &up->ss, &up->sslen) == -1)
		goto bad_address;
	if (at != NULL) {
		if (copy_span(port, sizeof(port), at + 1,
		    (size_t)(end - (at + 1))) == -1 ||
		    conf_parse_port(port, &portnum) == -1) {
			set_error(err, errlen,
			    "invalid upstream \"%s\": bad port", arg);
			goto fail;
		}
		addr_set_port(&up->ss, portnum);
	}
	if (hash != NULL) {
		if (!valid_hostname(hash + 1) || copy_span(up->name,
		    sizeof(up->name), hash + 1, strlen(hash + 1)) == -1) {
			set_error(err, errlen,
			    "invalid upstream \"%s\": bad name", arg);
			goto fail;
		}
	}
	return 0;

 bad_address:
	set_error(err, errlen, "invalid upstream \"%s\": bad address", arg);
 fail:
	memset(up, 0, sizeof(*up));
	return -1;
}

int
conf_parse_listen_arg(const char *arg, struct conf_listen *l, char *err,
    size_t errlen)
{
	memset(l, 0, sizeof(*l));
	if (addr_parse(arg, 0, &l->ss, &l->sslen) == -1) {
		set_error(err, errlen, "invalid listen address \"%s\"", arg);
		return -1;
	}
	return 0;
}

static void
add_default_listen(struct dnstlsd_conf *conf, const char *addr)
{
	struct conf_listen	*l = &conf->listen[conf->nlisten++];

	memset(l, 0, sizeof(*l));
	(void)addr_parse(addr, 0, &l->ss, &l->sslen);
}

static void
add_default_upstream(struct dnstlsd_conf *conf, const char *addr)
{
	struct conf_upstream	*up = &conf->upstream[conf->nupstream++];

	memset(up, 0, sizeof(*up));
	(void)addr_parse(addr, DEFAULT_DOT_PORT, &up->ss, &up->sslen);
	(void)copy_span(up->name, sizeof(up->name), DEFAULT_UPSTREAM_NAME,
	    strlen(DEFAULT_UPSTREAM_NAME));
}

/*
 * Every listen address ends up with a port, so the printed configuration
 * always says "port N" and parses back to the same structure.
 */
static void
resolve_listen_ports(struct dnstlsd_conf *conf, uint16_t port)
{
	int	 i;

	for (i = 0; i < conf->nlisten; i++) {
		if (conf->listen[i].port_set)
			continue;
		addr_set_port(&conf->listen[i].ss, port);
		conf->listen[i].port_set = 1;
	}
}

/*
 * "listen on X" and "listen on X port 53" (or -a X twice) become the
 * same socket once the port is known: keep the first, bind once.
 */
static void
drop_duplicate_listens(struct dnstlsd_conf *conf)
{
	int	 i, j, kept = 0;

	for (i = 0; i < conf->nlisten; i++) {
		for (j = 0; j < kept; j++)
			if (addr_equal(&conf->listen[j].ss,
			    &conf->listen[i].ss))
				break;
		if (j < kept)
			continue;
		if (kept != i)
			conf->listen[kept] = conf->listen[i];
		kept++;
	}
	for (i = kept; i < conf->nlisten; i++)
		memset(&conf->listen[i], 0, sizeof(conf->listen[i]));
	conf->nlisten = kept;
}

void
conf_finalize(struct dnstlsd_conf *conf, uint16_t port)
{
	const char	*ca;

	/* port 0 would bind a random port and print a config that fails */
	if (port == 0)
		port = DEFAULT_PORT;
	if (conf->nlisten == 0) {
		add_default_listen(conf, "0.0.0.0");
		add_default_listen(conf, "::");
	}
	resolve_listen_ports(conf, port);
	drop_duplicate_listens(conf);
	if (conf->nupstream == 0) {
		add_default_upstream(conf, "1.1.1.1");
		add_default_upstream(conf, "1.0.0.1");
	}
	if (conf->ca[0] == '\0') {
		ca = access(DEFAULT_CA, R_OK) == 0 ? DEFAULT_CA :
		    DEFAULT_CA_SYSTEM;
		(void)copy_span(conf->ca, sizeof(conf->ca), ca, strlen(ca));
	}
	if (conf->user[0] == '\0')
		(void)copy_span(conf->user, sizeof(conf->user), DEFAULT_USER,
		    strlen(DEFAULT_USER));
}
