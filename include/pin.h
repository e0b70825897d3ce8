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
 * SPKI pins (RFC 7469 form: base64 of the sha256 of the DER
 * SubjectPublicKeyInfo), computed with libcrypto from a PEM chain such as
 * tls_peer_cert_chain_pem() returns. Pure: no files, no sockets.
 */

#ifndef PIN_H
#define PIN_H

#include <stddef.h>
#include <stdint.h>

#define PIN_LEN		32
#define PIN_B64LEN	44	/* base64 of 32 bytes, with padding */

/*
 * Hash the SPKI of every certificate in a PEM chain into pins (at most
 * max). Returns the number of certificates hashed, -1 on a parse error.
 */
int	 pin_chain_spki(const uint8_t *, size_t, uint8_t (*)[PIN_LEN], int max);

/* 1 when one of the chain's SPKI hashes is one of the wanted pins */
int	 pin_match(const uint8_t (*)[PIN_LEN], int, const uint8_t (*)[PIN_LEN],
	    int);

/* base64 text <-> 32 raw bytes; decode: 0 ok, -1 not a sha256 pin */
int	 pin_decode(const char *, uint8_t [PIN_LEN]);
void	 pin_encode(const uint8_t [PIN_LEN], char [PIN_B64LEN + 1]);

#endif /* PIN_H */
