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
 * The printer behind dnstlsd -n -v: a configuration in the grammar of
 * dnstlsd.conf(5), every default spelled out, so that the output parses
 * again to the very same structure (tests/test_config.c checks it).
 */

#include <sys/types.h>
#include <netinet/in.h>

#include <stdio.h>

#include "addr.h"
#include "config.h"
#include "pin.h"

/* quoted, with the two escapes the parser knows */
static void
print_string(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

static void
print_listen(FILE *fp, const struct conf_listen *l)
{
	char	 addr[INET6_ADDRSTRLEN];

	addr_str(&l->ss, addr, sizeof(addr));
	fprintf(fp, "listen on %s", addr);
	if (l->port_set)
		fprintf(fp, " port %u", addr_port(&l->ss));
	fputc('\n', fp);
}

static void
print_upstream(FILE *fp, const struct conf_upstream *up)
{
	char	 addr[INET6_ADDRSTRLEN], pin[PIN_B64LEN + 1];
	int	 i;

	addr_str(&up->ss, addr, sizeof(addr));
	fprintf(fp, "upstream %s port %u", addr, addr_port(&up->ss));
	if (up->name[0] != '\0') {
		fputs(" name ", fp);
		print_string(fp, up->name);
	}
	for (i = 0; i < up->npins; i++) {
		pin_encode(up->pins[i], pin);
		fprintf(fp, " pin-sha256 \"%s\"", pin);
	}
	fputc('\n', fp);
}

void
conf_print(FILE *fp, const struct dnstlsd_conf *conf)
{
	int	 i;

	for (i = 0; i < conf->nlisten; i++)
		print_listen(fp, &conf->listen[i]);
	for (i = 0; i < conf->nupstream; i++)
		print_upstream(fp, &conf->upstream[i]);
	if (conf->ca[0] != '\0') {
		fputs("ca ", fp);
		print_string(fp, conf->ca);
		fputc('\n', fp);
	}
	if (conf->user[0] != '\0') {
		fputs("user ", fp);
		print_string(fp, conf->user);
		fputc('\n', fp);
	}
	fprintf(fp, "policy %s\n", conf_policy_name(conf->policy));
	fprintf(fp, "cache size %u\n", conf->cache_size);
	if (conf->serve_stale)
		fprintf(fp, "cache serve-stale\n");
	fprintf(fp, "ratelimit %u\n", conf->ratelimit);
}
