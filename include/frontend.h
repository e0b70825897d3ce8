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
 * Inside the frontend process: what the DNS side (frontend.c) offers the
 * operator's side (frontend_ctl.c: the control socket; frontend_http.c:
 * the metrics listener), and back. One process, one event loop: nothing
 * here crosses a process boundary.
 */

#ifndef FRONTEND_H
#define FRONTEND_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "stats.h"

struct channel;
struct event_base;
struct imsg;

/* peerids of requests to other processes: a client's slot and generation */
#define OPS_PEERID_HTTP		0x80000000U	/* for the metrics listener */

/* frontend.c */
void	 frontend_stats_fill(struct stats_frontend *);
/* entries dropped at or below the wire name; -1 without a cache */
long	 frontend_cache_flush(const uint8_t *, size_t);

/* frontend_ctl.c */
void	 ctl_listen(struct event_base *, int fd);
void	 ctl_start(struct channel *parent, struct channel *resolver,
	    uid_t ctl_uid);
void	 frontend_ctl_upstream(struct channel *, struct imsg *, void *);
void	 frontend_ctl_end(struct channel *, struct imsg *, void *);
void	 frontend_ctl_result(struct channel *, struct imsg *, void *);
void	 frontend_upstreams_usable(struct channel *, struct imsg *, void *);
/* upstreams the resolver can use now, as it last said */
uint32_t ctl_usable(void);

/* frontend_http.c */
void	 http_listen(struct event_base *, int fd);
void	 http_start(struct channel *resolver);
/* the upstream array of a scrape is complete (or late: the last one) */
void	 http_upstreams(const struct stats_upstream *, size_t);

#endif /* FRONTEND_H */
