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
 * The statistics of the daemon as plain structs of fixed-size fields:
 * the frontend's counters and the resolver's view of each upstream. They
 * cross process boundaries as they are (imsg payloads between the
 * processes, and the control socket to dnstlsctl), so every field has a
 * fixed size, every 64-bit field sits at an offset that is a multiple of
 * 8 (the same layout on 32- and 64-bit targets), and nothing holds a
 * pointer. Strings are NUL-terminated inside their arrays;
 * stats_upstream_check() says whether a received one is.
 *
 * No query name is ever kept here: these figures are exported.
 */

#ifndef STATS_H
#define STATS_H

#include <stddef.h>
#include <stdint.h>

#include "histogram.h"
#include "pin.h"

#define STATS_RCODES		16	/* the header's 4-bit RCODE */
#define STATS_ADDRLEN		64	/* "ADDR@PORT", NUL included */
#define STATS_NAMELEN		256	/* a name in text form, NUL included */

enum stats_transport {
	STATS_UDP,
	STATS_TCP,
	STATS_NTRANSPORTS
};

struct stats_frontend {
	uint64_t	 queries[STATS_NTRANSPORTS];	/* received, by transport */
	uint64_t	 answers[STATS_RCODES];	/* sent, by RCODE */
	uint64_t	 cache_hits;		/* fresh answers from the cache */
	uint64_t	 cache_stale;		/* expired answers served stale */
	uint64_t	 cache_misses;
	uint64_t	 cache_entries;		/* gauge */
	uint64_t	 acl_refused;		/* client not allowed: REFUSED/drop */
	uint64_t	 ratelimited;		/* over the per-client rate */
	uint64_t	 malformed_answered;	/* FORMERR, NOTIMP, ... sent */
	uint64_t	 malformed_dropped;	/* not even a header to answer */
	uint64_t	 local;			/* answered here (localhost, ...) */
	uint64_t	 plain;			/* forwarded without TLS */
	uint64_t	 overload;		/* in-flight cap reached: SERVFAIL */
	uint64_t	 timeouts;		/* no answer in time: SERVFAIL */
	uint64_t	 tcp_refused;		/* connections closed at the cap */
	uint64_t	 tcp_clients;		/* gauge: open client connections */
	uint64_t	 inflight;		/* gauge: queries at the resolver */
	int64_t		 start_time;		/* UNIX time the frontend started */
	struct histogram latency;		/* query in to answer out, us */
};

enum stats_state {
	STATS_STATE_UNKNOWN,			/* not tried yet */
	STATS_STATE_UP,
	STATS_STATE_DOWN,
	STATS_NSTATES
};

/* why a connection to an upstream failed: each counted once */
enum stats_failure {
	STATS_FAIL_CONNECT,	/* TCP connect refused, unreachable, timed out */
	STATS_FAIL_HANDSHAKE,	/* TLS handshake failed or timed out */
	STATS_FAIL_AUTH,	/* certificate, name or pin not accepted */
	STATS_FAIL_SILENT,	/* answers owed and nothing heard in time */
	STATS_FAIL_CLOSED,	/* closed or reset by the server, answers owed */
	STATS_FAIL_BADANSWER,	/* bad framing, or an answer that fails checks */
	STATS_NFAILURES
};

/* stats_upstream.flags */
#define STATS_UPF_PLAIN		0x01U	/* plain DNS over TCP, no TLS */
#define STATS_UPF_RTT		0x02U	/* srtt_us is a measurement */
#define STATS_UPF_PIN		0x04U	/* pin: the SPKI presented now */
#define STATS_UPF_CERT		0x08U	/* cert_notafter: the leaf's notAfter */
#define STATS_UPF_ALL		0x0fU

struct stats_upstream {
	char		 addr[STATS_ADDRLEN];	/* "1.1.1.1@853" */
	char		 name[STATS_NAMELEN];	/* authentication name or "" */
	char		 zone[STATS_NAMELEN];	/* forward zone, "" default */
	uint32_t	 state;			/* enum stats_state */
	uint32_t	 flags;			/* STATS_UPF_* */
	uint32_t	 srtt_us;		/* smoothed RTT */
	uint32_t	 conns;			/* open connections */
	uint32_t	 inflight;		/* queries owed answers */
	uint32_t	 pad;			/* zero */
	uint64_t	 queries;		/* sent to this upstream */
	uint64_t	 answers;		/* received from it */
	uint64_t	 failures[STATS_NFAILURES];
	uint64_t	 handshakes;		/* completed TLS handshakes */
	uint64_t	 resumptions;		/* of which resumed a session */
	int64_t		 cert_notafter;		/* UNIX time */
	uint8_t		 pin[PIN_LEN];		/* sha256 of the leaf's SPKI */
};

/* "NOERROR", "SERVFAIL", ..., "RCODE11" for unassigned ones */
const char	*stats_rcode_name(unsigned int);
/* "udp", "tcp" */
const char	*stats_transport_name(unsigned int);
/* "unknown", "up", "down"; "invalid" out of range */
const char	*stats_state_name(uint32_t);
/* "connect", "handshake", "auth", "silent", "closed", "bad_answer" */
const char	*stats_failure_name(unsigned int);

/*
 * Whether an upstream record received from another process is well
 * formed: strings NUL-terminated, state and flags known. 0 ok, -1 not.
 */
int		 stats_upstream_check(const struct stats_upstream *);

#endif /* STATS_H */
