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
 * Socket addresses as dnstlsd reads, prints and compares them: IPv4 and
 * IPv6 literals with a port, never a name (resolving one needs DNS).
 * Pure code, shared by the configuration parser and every process that
 * names an address in a log line.
 */

#ifndef ADDR_H
#define ADDR_H

#include <sys/socket.h>
#include <stddef.h>
#include <stdint.h>

/* text into *ss with port: 0, or -1 (ss zeroed) when it is no literal */
int	 addr_parse(const char *, uint16_t port, struct sockaddr_storage *,
	    socklen_t *);
void	 addr_set_port(struct sockaddr_storage *, uint16_t);
uint16_t addr_port(const struct sockaddr_storage *);
/* same family, address and port */
int	 addr_equal(const struct sockaddr_storage *,
	    const struct sockaddr_storage *);
/* "1.2.3.4" or "2001:db8::1" (no port) into buf; "?" for anything else */
void	 addr_str(const struct sockaddr_storage *, char *, size_t);

#endif /* ADDR_H */
