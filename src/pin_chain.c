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
 * Authentication of a TLS peer's certificate chain by SPKI pins (sha256
 * of each certificate's DER SubjectPublicKeyInfo).  Runs in the resolver,
 * after the seccomp sandbox, on the chain a peer presented: the PEM is
 * untrusted, libcrypto parses it from memory, any malformed block fails
 * the whole chain, and nothing here may touch a file (the trust stores
 * hold certificates in memory and no lookup method).  Kept apart from
 * pin.c so that the programs without libcrypto can still read pins.
 *
 * What a pin means: a certificate the server merely sent proves nothing,
 * anyone can append a public certificate to their own.  Only the leaf's
 * key is proven (by the handshake), and a certificate counts only when
 * it is on a path that the leaf verifies up to.
 */

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

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

/* the whole certificate's, as tls_peer_cert_hash() computes it */
static int
cert_hash(X509 *cert, uint8_t hash[PIN_LEN])
{
	unsigned int	 mdlen = 0;

	if (X509_digest(cert, EVP_sha256(), hash, &mdlen) != 1)
		return -1;
	return mdlen == PIN_LEN ? 0 : -1;
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

/*
 * The first max certificates of a PEM chain, in order; those past max are
 * not looked at.  NULL when there is none or a block does not parse.
 */
static STACK_OF(X509) *
read_chain(const uint8_t *pem, size_t len, int max)
{
	STACK_OF(X509)	*chain;
	BIO		*bio;
	X509		*cert;
	int		 ok = 1;

	if (pem == NULL || max <= 0 || len == 0 || len > INT_MAX)
		return NULL;
	if ((chain = sk_X509_new_null()) == NULL)
		return NULL;
	if ((bio = BIO_new_mem_buf(pem, (int)len)) == NULL) {
		sk_X509_free(chain);
		return NULL;
	}
	ERR_clear_error();
	while (sk_X509_num(chain) < max) {
		cert = PEM_read_bio_X509(bio, NULL, no_passphrase, NULL);
		if (cert == NULL) {
			ok = sk_X509_num(chain) > 0 && pem_at_end();
			break;
		}
		if (sk_X509_push(chain, cert) <= 0) {
			X509_free(cert);
			ok = 0;
			break;
		}
	}
	BIO_free(bio);
	ERR_clear_error();
	if (!ok) {
		sk_X509_pop_free(chain, X509_free);
		return NULL;
	}
	return chain;
}

int
pin_chain_spki(const uint8_t *pem, size_t len, uint8_t (*pins)[PIN_LEN],
    int max)
{
	STACK_OF(X509)	*chain;
	int		 i, n;

	if (pins == NULL || (chain = read_chain(pem, len, max)) == NULL)
		return -1;
	n = sk_X509_num(chain);
	for (i = 0; i < n; i++)
		if (spki_hash(sk_X509_value(chain, i), pins[i]) == -1) {
			n = -1;
			break;
		}
	sk_X509_pop_free(chain, X509_free);
	return n;
}

/* A certificate's name for a log line: RFC 2253, printable ASCII only. */
static void
name_text(const X509_NAME *name, char out[PIN_NAMELEN])
{
	BIO	*bio;
	char	*p;
	long	 n;
	size_t	 i, len;

	out[0] = '\0';
	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		return;
	if (X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253) >= 0 &&
	    (n = BIO_get_mem_data(bio, &p)) > 0) {
		len = (size_t)n < PIN_NAMELEN - 1 ? (size_t)n : PIN_NAMELEN - 1;
		for (i = 0; i < len; i++)
			out[i] = (unsigned char)p[i] >= 0x20 &&
			    (unsigned char)p[i] < 0x7f ? p[i] : '?';
		out[len] = '\0';
	}
	BIO_free(bio);
	ERR_clear_error();
}

static int
describe_leaf(X509 *leaf, struct pin_seen *seen)
{
	if (spki_hash(leaf, seen->leaf_pin) == -1 ||
	    cert_hash(leaf, seen->leaf_hash) == -1)
		return -1;
	name_text(X509_get_subject_name(leaf), seen->subject);
	name_text(X509_get_issuer_name(leaf), seen->issuer);
	seen->have_leaf = 1;
	return 0;
}

static void
seen_init(struct pin_seen *seen)
{
	memset(seen, 0, sizeof(*seen));
	seen->depth = -1;
}

/* the first certificate on path whose key is pinned: its depth, or -1 */
static int
pinned_depth(STACK_OF(X509) *path, const uint8_t (*pins)[PIN_LEN],
    int npins)
{
	uint8_t	 pin[1][PIN_LEN];
	int	 i;

	for (i = 0; i < sk_X509_num(path); i++) {
		if (spki_hash(sk_X509_value(path, i), pin[0]) == -1)
			return -1;
		if (pin_match((const uint8_t (*)[PIN_LEN])pin, 1, pins, npins))
			return i;
	}
	return -1;
}

/*
 * Verify the leaf against store as a TLS client verifies a server
 * ("ssl_server": purpose, trust, validity periods), the rest of the
 * presented chain as untrusted intermediates.  On success the verified
 * path (leaf first, the anchor last) is searched for a pin; else why
 * says why it did not verify.  1 verified, 0 not.
 */
#define VERIFY_WHYLEN	80

static int
verify_path(X509_STORE *store, unsigned long flags, STACK_OF(X509) *chain,
    const uint8_t (*pins)[PIN_LEN], int npins, struct pin_seen *seen,
    char why[VERIFY_WHYLEN])
{
	X509_STORE_CTX	*ctx;
	STACK_OF(X509)	*untrusted, *path;
	int		 ok = 0, err;

	snprintf(why, VERIFY_WHYLEN, "cannot set up the verification");
	if ((ctx = X509_STORE_CTX_new()) == NULL)
		return 0;
	untrusted = sk_X509_dup(chain);
	if (untrusted == NULL || sk_X509_shift(untrusted) == NULL ||
	    X509_STORE_CTX_init(ctx, store, sk_X509_value(chain, 0),
	    untrusted) != 1 || X509_STORE_CTX_set_default(ctx,
	    "ssl_server") != 1)
		goto done;
	if (flags != 0)
		X509_STORE_CTX_set_flags(ctx, flags);
	if (X509_verify_cert(ctx) != 1) {
		err = X509_STORE_CTX_get_error(ctx);
		snprintf(why, VERIFY_WHYLEN, "%.60s at depth %d",
		    X509_verify_cert_error_string(err),
		    X509_STORE_CTX_get_error_depth(ctx));
		goto done;
	}
	ok = 1;
	path = X509_STORE_CTX_get0_chain(ctx);
	seen->npath = sk_X509_num(path);
	seen->depth = pinned_depth(path, pins, npins);
 done:
	X509_STORE_CTX_free(ctx);
	sk_X509_free(untrusted);	/* the certificates are chain's */
	ERR_clear_error();
	return ok;
}

/*
 * Pins only: the presented certificates that are pinned, each a trust
 * anchor by itself (partial chains: the anchor need not be a root), and
 * nothing else trusted.  The leaf must verify up to one of them: whoever
 * holds a pinned key signed it.  0 when none of them is pinned.
 */
static int
pinned_store(STACK_OF(X509) *chain, const uint8_t (*pins)[PIN_LEN],
    int npins, X509_STORE **storep)
{
	X509_STORE	*store = NULL;
	X509		*cert;
	uint8_t		 pin[1][PIN_LEN];
	int		 i, n = 0;

	*storep = NULL;
	for (i = 1; i < sk_X509_num(chain); i++) {
		cert = sk_X509_value(chain, i);
		if (spki_hash(cert, pin[0]) == -1)
			goto fail;
		if (!pin_match((const uint8_t (*)[PIN_LEN])pin, 1, pins,
		    npins))
			continue;
		if (store == NULL && (store = X509_STORE_new()) == NULL)
			goto fail;
		if (X509_STORE_add_cert(store, cert) != 1)
			goto fail;
		n++;
	}
	*storep = store;
	return n;
 fail:
	X509_STORE_free(store);
	return -1;
}

static enum pin_verdict
check_pinned_only(STACK_OF(X509) *chain, const uint8_t (*pins)[PIN_LEN],
    int npins, struct pin_seen *seen)
{
	X509_STORE	*store;
	char		 why[VERIFY_WHYLEN];
	int		 n;

	/* the handshake proved the leaf's key: nothing to verify */
	if (pin_match((const uint8_t (*)[PIN_LEN])&seen->leaf_pin, 1, pins,
	    npins)) {
		seen->npath = 1;
		seen->depth = 0;
		snprintf(seen->detail, sizeof(seen->detail), "the leaf is "
		    "pinned");
		return PIN_OK;
	}
	if ((n = pinned_store(chain, pins, npins, &store)) == -1) {
		snprintf(seen->detail, sizeof(seen->detail),
		    "cannot set up the verification");
		return PIN_NOTPINNED;
	}
	if (n == 0) {
		snprintf(seen->detail, sizeof(seen->detail), "no pinned "
		    "certificate on the verified path: none presented is "
		    "pinned, the leaf included");
		return PIN_NOTPINNED;
	}
	n = verify_path(store, X509_V_FLAG_PARTIAL_CHAIN, chain, pins, npins,
	    seen, why);
	X509_STORE_free(store);
	if (n && seen->depth > 0) {
		snprintf(seen->detail, sizeof(seen->detail), "the leaf "
		    "verifies up to the pinned certificate at depth %d",
		    seen->depth);
		return PIN_OK;
	}
	if (n)	/* cannot be: only pinned certificates are trusted */
		snprintf(why, sizeof(why), "its anchor is not pinned");
	snprintf(seen->detail, sizeof(seen->detail), "no pinned certificate "
	    "on the verified path: the leaf does not verify up to a pinned "
	    "certificate presented (%s)", why);
	return PIN_NOTPINNED;
}

static enum pin_verdict
check_with_store(X509_STORE *ca, STACK_OF(X509) *chain,
    const uint8_t (*pins)[PIN_LEN], int npins, struct pin_seen *seen)
{
	char	 why[VERIFY_WHYLEN];

	if (!verify_path(ca, 0, chain, pins, npins, seen, why)) {
		snprintf(seen->detail, sizeof(seen->detail), "the chain does "
		    "not verify against the CA bundle (%s)", why);
		return PIN_UNVERIFIED;
	}
	if (seen->depth >= 0) {
		snprintf(seen->detail, sizeof(seen->detail), "pinned "
		    "certificate at depth %d of the %d on the verified path",
		    seen->depth, seen->npath);
		return PIN_OK;
	}
	snprintf(seen->detail, sizeof(seen->detail), "no pinned certificate "
	    "on the verified path (%d certificates up to the CA bundle)",
	    seen->npath);
	return PIN_NOTPINNED;
}

enum pin_verdict
pin_chain_check(const uint8_t *pem, size_t len,
    const uint8_t (*pins)[PIN_LEN], int npins, X509_STORE *ca,
    struct pin_seen *seen)
{
	STACK_OF(X509)		*chain;
	enum pin_verdict	 v;

	seen_init(seen);
	if ((chain = read_chain(pem, len, PIN_CHAIN_MAX)) == NULL) {
		snprintf(seen->detail, sizeof(seen->detail), "no certificate "
		    "chain, or a certificate that does not parse");
		return PIN_BADCHAIN;
	}
	seen->ncerts = sk_X509_num(chain);
	if (describe_leaf(sk_X509_value(chain, 0), seen) == -1) {
		snprintf(seen->detail, sizeof(seen->detail), "the leaf has "
		    "no usable public key");
		v = PIN_BADCHAIN;
	} else if (pins == NULL || npins <= 0) {
		snprintf(seen->detail, sizeof(seen->detail), "no pins");
		v = PIN_NOTPINNED;
	} else if (ca == NULL)
		v = check_pinned_only(chain, pins, npins, seen);
	else
		v = check_with_store(ca, chain, pins, npins, seen);
	sk_X509_pop_free(chain, X509_free);
	ERR_clear_error();
	return v;
}

int
pin_chain_leaf(const uint8_t *pem, size_t len, struct pin_seen *seen)
{
	STACK_OF(X509)	*chain;
	int		 rv;

	seen_init(seen);
	if ((chain = read_chain(pem, len, 1)) == NULL)
		return -1;
	seen->ncerts = 1;
	rv = describe_leaf(sk_X509_value(chain, 0), seen);
	sk_X509_pop_free(chain, X509_free);
	ERR_clear_error();
	return rv;
}

/*
 * As libtls loads a CA bundle from memory: every certificate of every
 * PEM block; a broken block fails the bundle.
 */
X509_STORE *
pin_ca_store(const uint8_t *pem, size_t len)
{
	STACK_OF(X509_INFO)	*infos;
	X509_INFO		*info;
	X509_STORE		*store;
	BIO			*bio;
	int			 i, n = 0, ok = 1;

	if (pem == NULL || len == 0 || len > INT_MAX)
		return NULL;
	if ((bio = BIO_new_mem_buf(pem, (int)len)) == NULL)
		return NULL;
	infos = PEM_X509_INFO_read_bio(bio, NULL, no_passphrase, NULL);
	BIO_free(bio);
	if (infos == NULL || (store = X509_STORE_new()) == NULL) {
		sk_X509_INFO_pop_free(infos, X509_INFO_free);
		ERR_clear_error();
		return NULL;
	}
	for (i = 0; ok && i < sk_X509_INFO_num(infos); i++) {
		info = sk_X509_INFO_value(infos, i);
		if (info->x509 == NULL)
			continue;
		if (X509_STORE_add_cert(store, info->x509) != 1)
			ok = 0;
		n++;
	}
	sk_X509_INFO_pop_free(infos, X509_INFO_free);
	ERR_clear_error();
	if (!ok || n == 0) {
		X509_STORE_free(store);
		return NULL;
	}
	return store;
}

void
pin_ca_store_free(X509_STORE *store)
{
	X509_STORE_free(store);
}
