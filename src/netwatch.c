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
 * Watching the host's network for changes (addresses, links, routes), so
 * the resolver can forget what it learnt about upstreams after sleep, a
 * Wi-Fi or a VPN change. Runs in the parent, which may open sockets.
 * Linux: rtnetlink multicast groups; OpenBSD: the routing socket.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#ifdef __linux__
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#else
#include <net/route.h>
#endif

#include "dnstlsd.h"
#include "log.h"

int
netwatch_open(void)
{
	int			 fd;
#ifdef __linux__
	struct sockaddr_nl	 sa;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    NETLINK_ROUTE);
	if (fd == -1) {
		log_warn("%s: netlink socket", __func__);
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	sa.nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR |
	    RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
		log_warn("%s: netlink bind", __func__);
		close(fd);
		return -1;
	}
#else
	fd = socket(AF_ROUTE, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		log_warn("%s: route socket", __func__);
		return -1;
	}
#endif
	return fd;
}

/*
 * Read everything pending. Returns 1 when something changed, 0 when
 * nothing did, -1 when the socket failed. Any message counts: the groups
 * subscribed to carry only changes.
 */
int
netwatch_drain(int fd)
{
	char	 buf[8192];
	ssize_t	 n;
	int	 changed = 0;

	for (;;) {
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n > 0) {
			changed = 1;
			continue;
		}
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return changed;
		if (n == -1 && errno == ENOBUFS)
			return 1;	/* overrun: many changes */
		return -1;
	}
}
