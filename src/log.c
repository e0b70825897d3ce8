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
 * Logging, shared by all processes. Each process holds its own copy of
 * this state (set once at start): the only globals of this file. A line
 * is "process: message"; with a sink (a child, whose lines the parent
 * writes) the message goes without the prefix, which the parent adds.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "log.h"

#define LOG_LINE	1024

static int		 log_foreground = 1;
static int		 log_verbose;
static const char	*log_procname = "dnstlsd";
static log_sink_fn	 log_sink;
static int		 log_stamp;	/* a date before each line */

void
log_init(int foreground, int verbose, const char *procname)
{
	log_foreground = foreground;
	log_verbose = verbose;
	log_procname = procname;
	log_sink = NULL;
	/*
	 * People read -F's lines in terminals and docker logs: they get a
	 * date, unless a journal (systemd says so) adds its own.
	 */
	log_stamp = foreground && getenv("JOURNAL_STREAM") == NULL;
	if (!foreground)
		openlog("dnstlsd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	tzset();
}

void
log_setverbose(int verbose)
{
	log_verbose = verbose;
}

int
log_getverbose(void)
{
	return log_verbose;
}

void
log_setsink(log_sink_fn fn)
{
	log_sink = fn;
}

/* local time, ISO 8601 with milliseconds and the offset */
static void
log_date(char *buf, size_t size)
{
	struct timespec	 ts;
	struct tm	 tm;
	char		 zone[8];
	size_t		 n;

	buf[0] = '\0';
	if (clock_gettime(CLOCK_REALTIME, &ts) == -1 ||
	    localtime_r(&ts.tv_sec, &tm) == NULL)
		return;
	n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
	if (n == 0 || strftime(zone, sizeof(zone), "%z", &tm) == 0)
		return;
	snprintf(buf + n, size - n, ".%03ld%s", ts.tv_nsec / 1000000, zone);
}

void
log_emit(int pri, const char *line)
{
	char	 date[48];

	if (!log_foreground) {
		syslog(pri, "%s", line);
		return;
	}
	if (!log_stamp) {
		fprintf(stderr, "%s\n", line);
		return;
	}
	log_date(date, sizeof(date));
	fprintf(stderr, "%s %s\n", date, line);
}

static void	 vlog(int, const char *, va_list, int)
		    __attribute__((__format__ (printf, 2, 0)));

static void
vlog(int pri, const char *fmt, va_list ap, int with_errno)
{
	char	 msg[LOG_LINE], line[LOG_LINE + 64];
	size_t	 len;
	int	 saved = errno;

	if (pri == LOG_DEBUG && log_verbose < 1)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (with_errno) {
		len = strlen(msg);
		snprintf(msg + len, sizeof(msg) - len, ": %s",
		    strerror(saved));
	}
	if (log_sink != NULL)
		log_sink(pri, msg);
	else {
		snprintf(line, sizeof(line), "%s: %s", log_procname, msg);
		log_emit(pri, line);
	}
	errno = saved;
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap, 1);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap, 0);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap, 0);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_DEBUG, fmt, ap, 0);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap, 1);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap, 0);
	va_end(ap);
	exit(1);
}
