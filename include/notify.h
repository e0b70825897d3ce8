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
 * sd_notify(3)'s readiness protocol, no libsystemd (notify.c). Called in
 * the parent only: notify_init() before the sandbox, notify_ready() when
 * the children serve (and again after a reload), notify_reloading()
 * when a reload begins, notify_stopping() on SIGTERM.
 */

#ifndef NOTIFY_H
#define NOTIFY_H

void	 notify_init(void);
void	 notify_ready(void);
void	 notify_reloading(void);
void	 notify_stopping(void);

#endif /* NOTIFY_H */
