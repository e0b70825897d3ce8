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
 * SPKI pins of a certificate chain: sha256 of each certificate's DER
 * SubjectPublicKeyInfo.  Runs in the resolver on the chain a TLS peer
 * presented, so the PEM is untrusted: libcrypto parses it from memory and
 * any malformed block fails the whole chain.  Kept apart from pin.c so
 * that the programs without libcrypto can still read pins.
 */

#include <limits.h>
#include <stdint.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "pin.h"

/* Never prompt on a terminal for a passphrase: certificates have none. */
static int
no_passphrase(char *buf, int size, int rwflag, void *arg)
{
	return -1;
}

static int
spki_hash(X509 *cert, uint8_t pin[PIN_LEN])
{
	unsigned char	*der = NULL;
	unsigned int	 mdlen = 0;
	int		 derlen, ok;

	derlen = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
	if (derlen <= 0)
		return -1;
	ok = EVP_Digest(der, (size_t)derlen, pin, &mdlen, EVP_sha256(), NULL);
	OPENSSL_free(der);
	return ok == 1 && mdlen == PIN_LEN ? 0 : -1;
}

/*
 * PEM_read_bio_X509 skips text between blocks; running out of blocks
 * shows up as "no start line", anything else is a broken block.
 */
static int
pem_at_end(void)
{
	unsigned long	 err = ERR_peek_last_error();

	return ERR_GET_LIB(err) == ERR_LIB_PEM &&
	    ERR_GET_REASON(err) == PEM_R_NO_START_LINE;
}

/* Certificates past max are not looked at: they cannot be matched. */
int
pin_chain_spki(const uint8_t *pem, size_t len, uint8_t (*pins)[PIN_LEN],
    int max)
{
	BIO	*bio;
	X509	*cert;
	int	 n = 0;

	if (pem == NULL || pins == NULL || max <= 0 || len == 0 ||
	    len > INT_MAX)
		return -1;
	if ((bio = BIO_new_mem_buf(pem, (int)len)) == NULL)
		return -1;
	ERR_clear_error();
	while (n < max) {
		cert = PEM_read_bio_X509(bio, NULL, no_passphrase, NULL);
		if (cert == NULL) {
			if (n == 0 || !pem_at_end())
				n = -1;
			break;
		}
		if (spki_hash(cert, pins[n]) == -1)
			n = -1;
		X509_free(cert);
		if (n == -1)
			break;
		n++;
	}
	BIO_free(bio);
	ERR_clear_error();
	return n;
}
