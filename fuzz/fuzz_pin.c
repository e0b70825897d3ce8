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
 * libFuzzer target for the chain checks (src/pin_chain.c): the input is
 * a PEM chain as a TLS peer presents it.  Its first byte picks which of
 * its own certificates is pinned, so that the verification paths are
 * reached; the same bytes are also loaded as a CA bundle and checked
 * against it.  Whatever the input, the verdict must be consistent with
 * what was seen, the log strings printable, and a pin of a certificate
 * that was not sent must never authenticate a chain by itself.
 *
 *	clang -std=c11 -D_GNU_SOURCE -g -O1 -Iinclude \
 *	    -fsanitize=fuzzer,address,undefined fuzz/fuzz_pin.c \
 *	    src/pin_chain.c src/pin.c -lcrypto -o build/fuzz_pin
 *	build/fuzz_pin -max_total_time=60 fuzz/corpus/pin
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pin.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_text(const char *s, size_t size)
{
	size_t	 i;

	for (i = 0; i < size && s[i] != '\0'; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
			abort();
	if (i == size)
		abort();		/* not terminated */
}

static void
check_seen(enum pin_verdict v, const struct pin_seen *seen,
    const uint8_t (*presented)[PIN_LEN], int npresented)
{
	if (v != PIN_OK && v != PIN_BADCHAIN && v != PIN_UNVERIFIED &&
	    v != PIN_NOTPINNED)
		abort();
	check_text(seen->subject, sizeof(seen->subject));
	check_text(seen->issuer, sizeof(seen->issuer));
	if (memchr(seen->detail, '\0', sizeof(seen->detail)) == NULL)
		abort();
	if (v == PIN_BADCHAIN)
		return;
	/* the leaf described is the first certificate presented */
	if (!seen->have_leaf || (npresented > 0 &&
	    memcmp(seen->leaf_pin, presented[0], PIN_LEN) != 0))
		abort();
	if (seen->ncerts < 1 || seen->ncerts > PIN_CHAIN_MAX)
		abort();
	if (v == PIN_OK && (seen->depth < 0 || seen->depth >= seen->npath))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t	 absent[1][PIN_LEN] = {{ 0x5a, 0xa5 }};
	uint8_t			 presented[PIN_CHAIN_MAX][PIN_LEN];
	uint8_t			 wanted[1][PIN_LEN];
	struct x509_store_st	*store;
	struct pin_seen		 seen;
	enum pin_verdict	 v;
	int			 n, i;

	if (size == 0)
		return 0;
	n = pin_chain_spki(data, size, presented, PIN_CHAIN_MAX);

	/* pinned: a certificate that was not sent */
	v = pin_chain_check(data, size, absent, 1, NULL, &seen);
	check_seen(v, &seen, (const uint8_t (*)[PIN_LEN])presented, n);
	if (v == PIN_OK)
		abort();
	if (n <= 0)
		return 0;

	/* pinned: one of the certificates that were sent */
	i = data[0] % n;
	memcpy(wanted[0], presented[i], PIN_LEN);
	v = pin_chain_check(data, size, (const uint8_t (*)[PIN_LEN])wanted, 1,
	    NULL, &seen);
	check_seen(v, &seen, (const uint8_t (*)[PIN_LEN])presented, n);
	if (v == PIN_UNVERIFIED)
		abort();	/* no store: nothing to verify against */
	if (i == 0 && v != PIN_OK && v != PIN_BADCHAIN)
		abort();	/* the leaf's key is proven: it suffices */

	/* the same bytes as the CA bundle */
	if ((store = pin_ca_store(data, size)) != NULL) {
		v = pin_chain_check(data, size,
		    (const uint8_t (*)[PIN_LEN])wanted, 1, store, &seen);
		check_seen(v, &seen, (const uint8_t (*)[PIN_LEN])presented,
		    n);
		v = pin_chain_check(data, size, absent, 1, store, &seen);
		check_seen(v, &seen, (const uint8_t (*)[PIN_LEN])presented,
		    n);
		if (v == PIN_OK)
			abort();
		pin_ca_store_free(store);
	}
	if (pin_chain_leaf(data, size, &seen) != 0 ||
	    memcmp(seen.leaf_pin, presented[0], PIN_LEN) != 0)
		abort();
	return 0;
}
