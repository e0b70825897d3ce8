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
 * libFuzzer target for the configuration parser (src/config.c). The
 * input is a configuration file; whatever parses must print and parse
 * back to the same structure, before and after conf_finalize, and every
 * error must name the file. The same bytes also go through the
 * command-line forms.
 *
 *	clang -std=c11 -D_GNU_SOURCE -g -O1 -Iinclude \
 *	    -fsanitize=fuzzer,address,undefined fuzz/fuzz_config.c \
 *	    src/config.c src/pin.c -lcrypto -o build/fuzz_config
 *	build/fuzz_config -max_total_time=60 fuzz/corpus/config
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#define ARG_MAX_LEN	600

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	 check_round_trip(const struct dnstlsd_conf *);
static void	 fuzz_args(const uint8_t *, size_t);

static void
check_round_trip(const struct dnstlsd_conf *conf)
{
	struct dnstlsd_conf	 again;
	char			 err[CONF_ERRLEN], *text = NULL;
	size_t			 len = 0;
	FILE			*fp;

	if ((fp = open_memstream(&text, &len)) == NULL)
		abort();
	conf_print(fp, conf);
	if (fclose(fp) != 0)
		abort();
	conf_init(&again);
	if (conf_parse_buffer("printed", text, len, &again, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "printed config fails: %s\n%s", err, text);
		abort();
	}
	if (memcmp(conf, &again, sizeof(again)) != 0) {
		fprintf(stderr, "printed config differs:\n%s", text);
		abort();
	}
	free(text);
}

static void
fuzz_args(const uint8_t *data, size_t size)
{
	struct dnstlsd_conf	 conf;
	struct conf_listen	 l;
	char			 arg[ARG_MAX_LEN], err[CONF_ERRLEN];
	uint16_t		 port;

	if (size >= sizeof(arg))
		size = sizeof(arg) - 1;
	memcpy(arg, data, size);
	arg[size] = '\0';
	(void)conf_parse_port(arg, &port);
	(void)conf_parse_listen_arg(arg, &l, err, sizeof(err));
	conf_init(&conf);
	if (conf_parse_upstream_arg(arg, &conf.upstream[0], err,
	    sizeof(err)) == 0) {
		conf.nupstream = 1;
		check_round_trip(&conf);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dnstlsd_conf	 conf;
	char			 err[CONF_ERRLEN];

	fuzz_args(data, size);
	conf_init(&conf);
	if (conf_parse_buffer("fuzz.conf", (const char *)data, size, &conf,
	    err, sizeof(err)) == -1) {
		if (strncmp(err, "fuzz.conf:", 10) != 0)
			abort();
		return 0;
	}
	check_round_trip(&conf);
	conf_finalize(&conf, DEFAULT_PORT);
	check_round_trip(&conf);
	return 0;
}
