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
 * The processes of dnstlsd by role, and their names as the log and the
 * command line ("dnstlsd -P frontend") spell them. The parent's table
 * of the children it runs is in parent.c.
 */

#ifndef PROC_H
#define PROC_H

enum proc_role {
	PROC_PARENT,
	PROC_FRONTEND,
	PROC_RESOLVER,
	PROC_NROLES
};

static inline const char *
proc_name(enum proc_role role)
{
	static const char *const names[PROC_NROLES] = {
		[PROC_PARENT] = "parent",
		[PROC_FRONTEND] = "frontend",
		[PROC_RESOLVER] = "resolver",
	};

	return (unsigned int)role < PROC_NROLES ? names[role] : "unknown";
}

#endif /* PROC_H */
