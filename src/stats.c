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
 * Names of the statistics' enumerations, shared by the Prometheus
 * renderer and dnstlsctl, and the check of an upstream record received
 * from another process. Pure.
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "compat.h"
#include "stats.h"

/* the same layout on every target: see stats.h */
_Static_assert(offsetof(struct stats_frontend, latency) % 8 == 0,
    "stats_frontend: histogram misaligned");
_Static_assert(sizeof(struct stats_frontend) % 8 == 0,
    "stats_frontend: size not a multiple of 8");
_Static_assert(offsetof(struct stats_upstream, queries) % 8 == 0,
    "stats_upstream: counters misaligned");
_Static_assert(sizeof(struct stats_upstream) % 8 == 0,
    "stats_upstream: size not a multiple of 8");

static const char *const rcode_names[STATS_RCODES] = {
	"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
	"YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE", "RCODE11",
	"RCODE12", "RCODE13", "RCODE14", "RCODE15"
};

static const char *const transport_names[STATS_NTRANSPORTS] = {
	"udp", "tcp"
};

static const char *const state_names[STATS_NSTATES] = {
	"unknown", "up", "down"
};

static const char *const failure_names[STATS_NFAILURES] = {
	"connect", "handshake", "auth", "silent", "closed", "bad_answer"
};

const char *
stats_rcode_name(unsigned int rcode)
{
	return rcode < nitems(rcode_names) ? rcode_names[rcode] : "invalid";
}

const char *
stats_transport_name(unsigned int t)
{
	return t < nitems(transport_names) ? transport_names[t] : "invalid";
}

const char *
stats_state_name(uint32_t state)
{
	return state < nitems(state_names) ? state_names[state] : "invalid";
}

const char *
stats_failure_name(unsigned int why)
{
	return why < nitems(failure_names) ? failure_names[why] : "invalid";
}

static int
terminated(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

int
stats_upstream_check(const struct stats_upstream *up)
{
	if (!terminated(up->addr, sizeof(up->addr)) ||
	    !terminated(up->name, sizeof(up->name)) ||
	    !terminated(up->zone, sizeof(up->zone)))
		return -1;
	if (up->state >= STATS_NSTATES || (up->flags & ~STATS_UPF_ALL) != 0)
		return -1;
	return 0;
}
