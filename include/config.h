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
 * Configuration: the structures every process shares (they travel
 * between processes as they are), the parser of dnstlsd.conf(5) and of
 * the command-line forms (config.c), and the printer used by -n -v
 * (printconf.c). Pure code: reads the file it is given, nothing else.
 */

#ifndef CONFIG_H
#define CONFIG_H

#include <sys/socket.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>

#include "acl.h"
#include "dns.h"
#include "pin.h"

#define CONF_MAX_LISTEN		16
/*
 * Upstreams of all groups together (the default one and one per forward
 * zone): the resolver marks those a query tried in a 32-bit mask. Each
 * group has at most CONF_MAX_GROUP_UPSTREAMS, and the forward zones
 * together leave room for a full default group.
 */
#define CONF_MAX_UPSTREAMS	32
#define CONF_MAX_GROUP_UPSTREAMS 8
#define CONF_MAX_ZONE_UPSTREAMS	(CONF_MAX_UPSTREAMS - CONF_MAX_GROUP_UPSTREAMS)
#define CONF_MAX_ACL		1024	/* allow and deny lines */
#define CONF_MAX_PINS		4
#define CONF_NAMELEN		256
#define CONF_USERLEN		64
#define CONF_ERRLEN		512

#define DEFAULT_PORT		53
#define DEFAULT_DOT_PORT	853
#define DEFAULT_PLAIN_PORT	53
#define DEFAULT_USER		"_dnstls"
#define DEFAULT_CA		"/etc/ssl/cert.pem"
#define DEFAULT_CA_SYSTEM	"/etc/ssl/certs/ca-certificates.crt"
#define DEFAULT_CACHE_SIZE	10000
#define DEFAULT_RATELIMIT	0
#define DEFAULT_METRICS_PORT	9153	/* CoreDNS's */

struct conf_listen {
	struct sockaddr_storage	 ss;	/* port 0 until resolved */
	socklen_t		 sslen;
	int			 port_set;	/* "port" given explicitly */
};

/*
 * Every property of an upstream is here, in fixed-size fields with no
 * padding (the struct is zeroed before it is filled): two upstreams are
 * the same upstream when their structs are byte-identical, so the same
 * address in two zones is two upstreams.
 */
struct conf_upstream {
	struct sockaddr_storage	 ss;	/* address and port (853 default) */
	socklen_t		 sslen;
	char			 name[CONF_NAMELEN];	/* "" when not set */
	int			 npins;
	uint8_t			 pins[CONF_MAX_PINS][PIN_LEN];
	/* forward zone, wire form, lower case; zonelen 0: the default group */
	uint8_t			 zone[DNS_MAXNAME + 1];
	uint32_t		 zonelen;
	uint32_t		 plain;	/* plain DNS over TCP, no TLS */
};

/* how queries are spread over the healthy upstreams */
enum conf_policy {
	POLICY_FASTEST,		/* lowest smoothed RTT first (default) */
	POLICY_ORDERED,		/* in configuration order */
	POLICY_ROUND_ROBIN	/* each query to the next one */
};

struct dnstlsd_conf {
	struct conf_listen	 listen[CONF_MAX_LISTEN];
	int			 nlisten;
	/* "upstream" and "forward zone" lines, in file order */
	struct conf_upstream	 upstream[CONF_MAX_UPSTREAMS];
	int			 nupstream;
	struct acl_rule		 acl[CONF_MAX_ACL];	/* in file order */
	int			 nacl;
	char			 ca[PATH_MAX];	/* "" means the default */
	char			 user[CONF_USERLEN];
	uint32_t		 cache_size;
	uint32_t		 ratelimit;
	int			 serve_stale;	/* RFC 8767 */
	int			 prefetch;	/* refresh popular entries */
	enum conf_policy	 policy;
	int			 metrics;	/* metrics listen on ... */
	struct conf_listen	 metrics_listen;
};

/* config.c */

/* zeroed config with the scalar defaults (cache size, ratelimit) */
void	 conf_init(struct dnstlsd_conf *);

/*
 * Parse a configuration file or buffer into conf (adding to what is
 * there). On error returns -1 with "file:line: message" in err.
 */
int	 conf_parse_file(const char *, struct dnstlsd_conf *, char *, size_t);
int	 conf_parse_buffer(const char *, const char *, size_t,
	    struct dnstlsd_conf *, char *, size_t);

/* command-line forms: "ADDR[@PORT][#NAME]" and a listen address */
int	 conf_parse_upstream_arg(const char *, struct conf_upstream *,
	    char *, size_t);
int	 conf_parse_listen_arg(const char *, struct conf_listen *,
	    char *, size_t);
/* port number 1-65535 from text: 0 ok, -1 bad */
int	 conf_parse_port(const char *, uint16_t *);

/*
 * The default upstreams become these (the command line's -d), the
 * forward zones' stay: 0, or -1 when they do not fit.
 */
int	 conf_set_default_upstreams(struct dnstlsd_conf *,
	    const struct conf_upstream *, int);
/* the upstreams of the default group (zonelen 0) */
int	 conf_default_upstreams(const struct dnstlsd_conf *);

/*
 * Fill what is still unset: listen 0.0.0.0 and :: on port; listen
 * addresses without an explicit port get port; the Cloudflare upstreams;
 * the CA path (DEFAULT_CA, else DEFAULT_CA_SYSTEM when it is missing);
 * the user.
 */
void	 conf_finalize(struct dnstlsd_conf *, uint16_t port);

/* "fastest", "ordered", "round-robin" */
const char *conf_policy_name(enum conf_policy);

/* printconf.c: in the grammar of dnstlsd.conf(5); the output parses again */
void	 conf_print(FILE *, const struct dnstlsd_conf *);

#endif /* CONFIG_H */
