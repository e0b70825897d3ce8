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
 * allowlist: each process's syscall allowlist, one rule a line, printed
 * from the table sandbox_linux.c builds the filters from (pledge
 * promises on OpenBSD). Run by regress/audit.sh.
 */

#include <stdio.h>

#include "sandbox.h"

int
main(void)
{
	static const struct {
		enum sandbox_role	 role;
		const char		*name;
	} roles[] = {
		{ SANDBOX_PARENT, "parent" },
		{ SANDBOX_FRONTEND, "frontend" },
		{ SANDBOX_RESOLVER, "resolver" },
	};
	size_t	 i;

	printf("conditions: EQ(n, v) argument n is v; MASKED(n, m, v) "
	    "argument n & m is v;\nTYPE(t) the socket type t, with or "
	    "without SOCK_NONBLOCK and SOCK_CLOEXEC;\nPID_SELF its own pid, "
	    "PID_CHILD a child's (one rule for each child)\n\n");
	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		printf("%s allowlist (anything else: %s):\n", roles[i].name,
		    roles[i].role == SANDBOX_PARENT ? "logged, then SIGSYS" :
		    "SIGSYS");
		sandbox_print_allowlist(stdout, roles[i].role);
		printf("\n");
	}
	return 0;
}
