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

/* Canned statistics (fixtures.h). */

#include <stdint.h>
#include <string.h>

#include "fixtures.h"
#include "histogram.h"
#include "pin.h"
#include "stats.h"

void
fixture_stats(struct stats_frontend *st)
{
	uint32_t	 x = 1;
	int		 i;

	memset(st, 0, sizeof(*st));
	st->queries[STATS_UDP] = 1200;
	st->queries[STATS_TCP] = 34;
	st->answers[0] = 1100;		/* NOERROR */
	st->answers[2] = 10;		/* SERVFAIL */
	st->answers[3] = 120;		/* NXDOMAIN */
	st->answers[9] = 1;		/* NOTAUTH: shown because not 0 */
	st->cache_hits = 800;
	st->cache_stale = 3;
	st->cache_misses = 430;
	st->cache_entries = 400;
	st->acl_refused = 7;
	st->ratelimited = 5;
	st->malformed_answered = 2;
	st->malformed_dropped = 1;
	st->local = 9;
	st->plain = 4;
	st->overload = 0;
	st->timeouts = 6;
	st->tcp_refused = 0;
	st->tcp_clients = 2;
	st->inflight = 3;
	st->start_time = FIXTURE_START;
	histogram_init(&st->latency);
	/* a fixed pseudo-random spread from 10 us to about 1 s */
	for (i = 0; i < FIXTURE_LATENCIES; i++) {
		x = x * 1103515245U + 12345U;
		histogram_add(&st->latency, 10 + (x >> 8) % ((i % 100 == 0) ?
		    1000000 : 20000));
	}
}

static void
set(char *dst, size_t size, const char *src)
{
	strncpy(dst, src, size - 1);
	dst[size - 1] = '\0';
}

void
fixture_upstreams(struct stats_upstream up[FIXTURE_NUPSTREAMS])
{
	memset(up, 0, FIXTURE_NUPSTREAMS * sizeof(*up));

	set(up[0].addr, sizeof(up[0].addr), "1.1.1.1@853");
	set(up[0].name, sizeof(up[0].name), "cloudflare-dns.com");
	up[0].state = STATS_STATE_UP;
	up[0].flags = STATS_UPF_RTT | STATS_UPF_PIN | STATS_UPF_CERT;
	up[0].srtt_us = 12345;
	up[0].conns = 1;
	up[0].inflight = 2;
	up[0].queries = 430;
	up[0].answers = 428;
	up[0].failures[STATS_FAIL_SILENT] = 2;
	up[0].handshakes = 3;
	up[0].resumptions = 1;
	up[0].cert_notafter = FIXTURE_NOW + 100 * 86400 + 3600;
	if (pin_decode(FIXTURE_PIN, up[0].pin) == -1)
		memset(up[0].pin, 0xab, sizeof(up[0].pin));

	set(up[1].addr, sizeof(up[1].addr), "2606:4700:4700::1111@853");
	set(up[1].name, sizeof(up[1].name), "cloudflare-dns.com");
	up[1].state = STATS_STATE_DOWN;
	up[1].queries = 12;
	up[1].failures[STATS_FAIL_CONNECT] = 5;
	up[1].failures[STATS_FAIL_AUTH] = 1;
	up[1].cert_notafter = FIXTURE_NOW - 2 * 86400;
	up[1].flags = STATS_UPF_CERT;

	/* a forward zone whose name needs escaping everywhere */
	set(up[2].addr, sizeof(up[2].addr), "192.0.2.53@853");
	set(up[2].zone, sizeof(up[2].zone), "we\"ird\\zone\nx.");
	up[2].state = STATS_STATE_UNKNOWN;

	set(up[3].addr, sizeof(up[3].addr), "192.168.1.1@53");
	set(up[3].zone, sizeof(up[3].zone), "corp.example.");
	up[3].state = STATS_STATE_UP;
	up[3].flags = STATS_UPF_PLAIN | STATS_UPF_RTT;
	up[3].srtt_us = 800;
	up[3].conns = 1;
	up[3].queries = 4;
	up[3].answers = 4;
}
