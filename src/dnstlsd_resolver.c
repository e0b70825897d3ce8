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
 * dnstlsd-resolver: the resolver process as a program of its own, so that
 * libtls and libcrypto are mapped into this one process only and not into
 * the parent or the frontend that faces clients.  dnstlsd execs it with
 * its channel on fd 3; it is not meant to be run by hand.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnstlsd.h"

int
main(int argc, char *argv[])
{
	if (argc == 3 && strcmp(argv[1], "-P") == 0 &&
	    strcmp(argv[2], proc_name(PROC_RESOLVER)) == 0)
		resolver_main();
	fprintf(stderr, "%s: started by dnstlsd only\n", RESOLVER_PROGRAM);
	return 1;
}
