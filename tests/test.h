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

/* A minimal unit test harness: cases counted as passed or failed. */

#ifndef TEST_H
#define TEST_H

#include <stdint.h>
#include <stdio.h>

extern int	 test_case_failed;
void		 test_run(const char *, void (*)(void));

#define CHECK(c) do {							\
	if (!(c)) {							\
		test_case_failed = 1;					\
		fprintf(stderr, "%s:%d: check failed: %s\n",		\
		    __FILE__, __LINE__, #c);				\
	}								\
} while (0)

#define RUN(fn)		test_run(#fn, fn)

/* the monotonic clock in ns, for the costs some tests print */
uint64_t	 test_now_ns(void);

/* one entry point per test file, called by tests/main.c */
void	 test_dns(void);
void	 test_imsg(void);
void	 test_config(void);
void	 test_pin(void);
void	 test_ratelimit(void);
void	 test_cache(void);
void	 test_acl(void);
void	 test_zone(void);
void	 test_localzone(void);
void	 test_histogram(void);
void	 test_http(void);
void	 test_metrics(void);
void	 test_control(void);
void	 test_ctlfmt(void);

/*
 * Compare text with the golden file tests/golden/NAME (TEST_GOLDEN_DIR
 * overrides the directory); TEST_GOLDEN_UPDATE=1 rewrites the file
 * instead. 1 when equal (or rewritten).
 */
int	 golden_match(const char *, const char *, size_t);
void	 test_idtab(void);
void	 test_logline(void);

#endif /* TEST_H */
