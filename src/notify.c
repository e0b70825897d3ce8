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
 * The service manager's readiness protocol (sd_notify(3)), without
 * libsystemd: one datagram of "KEY=value" lines to the unix socket
 * named by $NOTIFY_SOCKET, a path or an abstract name ("@name"). The
 * socket is connected once, before the sandbox; the variable is then
 * removed, so that no child inherits it. Without the variable every
 * call here does nothing. A datagram that cannot be sent is logged and
 * the daemon goes on: readiness is the manager's business, serving is
 * ours.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "notify.h"

static int	 notify_fd = -1;

void
notify_init(void)
{
	struct sockaddr_un	 sun;
	const char		*name;
	socklen_t		 len;
	size_t			 n;

	if ((name = getenv("NOTIFY_SOCKET")) == NULL)
		return;
	n = strlen(name);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if ((name[0] != '/' && name[0] != '@') || n < 2 ||
	    n >= sizeof(sun.sun_path)) {
		log_warnx("NOTIFY_SOCKET \"%s\": not an absolute path or an "
		    "abstract name, readiness not reported", name);
		goto done;
	}
	memcpy(sun.sun_path, name, n);
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	if (name[0] == '@')
		sun.sun_path[0] = '\0';		/* abstract: no NUL after it */
	else
		len++;
	if ((notify_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		fatal("%s: socket", __func__);
	if (connect(notify_fd, (struct sockaddr *)&sun, len) == -1) {
		log_warn("NOTIFY_SOCKET %s: readiness not reported", name);
		close(notify_fd);
		notify_fd = -1;
	}
 done:
	unsetenv("NOTIFY_SOCKET");
}

static void
notify_send(const char *msg, size_t len)
{
	if (notify_fd == -1)
		return;
	if (send(notify_fd, msg, len, MSG_NOSIGNAL) == -1)
		log_warn("notify socket");
}

void
notify_ready(void)
{
	char	 msg[64];
	int	 n;

	/* MAINPID: after daemon(3) it is not the pid the manager started */
	n = snprintf(msg, sizeof(msg), "READY=1\nSTATUS=serving\nMAINPID=%ld",
	    (long)getpid());
	if (n > 0 && (size_t)n < sizeof(msg))
		notify_send(msg, (size_t)n);
}

/* systemd's Type=notify-reload wants the time the reload began */
void
notify_reloading(void)
{
	struct timespec	 ts;
	char		 msg[96];
	int		 n;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		fatal("%s: clock_gettime", __func__);
	n = snprintf(msg, sizeof(msg), "RELOADING=1\nSTATUS=reloading\n"
	    "MONOTONIC_USEC=%llu", (unsigned long long)ts.tv_sec * 1000000ULL +
	    (unsigned long long)ts.tv_nsec / 1000);
	if (n > 0 && (size_t)n < sizeof(msg))
		notify_send(msg, (size_t)n);
}

void
notify_stopping(void)
{
	static const char	 msg[] = "STOPPING=1\nSTATUS=stopping";

	notify_send(msg, sizeof(msg) - 1);
}
