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
 * The sandbox: one interface, one implementation per platform
 * (sandbox_linux.c: chroot, libcap-ng, Landlock, seccomp;
 * sandbox_openbsd.c: chroot, setresuid, unveil, pledge).
 */

#ifndef SANDBOX_H
#define SANDBOX_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include <stdio.h>

enum sandbox_role {
	SANDBOX_FRONTEND,
	SANDBOX_RESOLVER,
	SANDBOX_PARENT
};

#define SANDBOX_MAX_READ	4
#define SANDBOX_MAX_BIND	20	/* the listen ports and the metrics port */
#define SANDBOX_MAX_CHILDREN	4

/* what the parent keeps after start-up: what reload reads and binds */
struct sandbox_parent_conf {
	uid_t		 uid;
	gid_t		 gid;
	const char	*read_paths[SANDBOX_MAX_READ];	/* read-only beneath */
	size_t		 nread;
	uint16_t	 bind_ports[SANDBOX_MAX_BIND];	/* TCP */
	size_t		 nbind;
	pid_t		 children[SANDBOX_MAX_CHILDREN]; /* to signal */
	size_t		 nchildren;
	int		 foreground;	/* a violation is told on stderr */
	int		 no_filter;	/* debug: no syscall filter */
};

/*
 * Child: chroot to dir, become uid/gid with no capabilities and no way
 * back (NoNewPrivs), lose all file access and every TCP bind and connect
 * but to connect_ports (Landlock, where the kernel has it; OpenBSD's
 * pledge cannot tell ports apart), then the role's syscall allowlist; a
 * syscall outside it kills the process. Fatal on any failure. no_filter
 * skips only the syscall filter (debugging under valgrind).
 * dir "" is the non-root start: no chroot, no change of user (the
 * process must run as uid/gid already), every capability dropped, the
 * ambient ones included, and the bounding set where CAP_SETPCAP allows.
 */
void	 sandbox_child(enum sandbox_role, const char *dir, uid_t, gid_t,
	    const uint16_t *connect_ports, size_t nconnect, int no_filter);

/* In a forked child before its exec: what it must not inherit. */
void	 sandbox_exec_child(void);

/*
 * Parent: become uid/gid keeping only the right to bind low ports (when
 * it runs as uid already, the non-root start, only drop the other
 * capabilities and the ambient set); NoNewPrivs; read-only access
 * beneath read_paths and TCP bind to bind_ports only (Landlock, unveil);
 * its syscall allowlist, whose violation is logged and kills it (SIGSYS).
 */
void	 sandbox_parent(const struct sandbox_parent_conf *);

/* a role's syscall allowlist, one rule a line, from the filter's table */
void	 sandbox_print_allowlist(FILE *, enum sandbox_role);

#endif /* SANDBOX_H */
