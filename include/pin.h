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
 * SubjectPublicKeyInfo) and the authentication of an upstream by them.
 * pin.c (no libcrypto; every program links it): the base64 form, matching,
 * and what a stored TLS session may be resumed with.  pin_chain.c
 * (libcrypto; the resolver and the tests only): the pins of a PEM chain
 * such as tls_peer_cert_chain_pem() returns, and the verdict on it.
 * Pure: no files, no sockets, no process state.
 */

#ifndef PIN_H
#define PIN_H

#include <stddef.h>
#include <stdint.h>

#define PIN_LEN		32
#define PIN_B64LEN	44	/* base64 of 32 bytes, with padding */
#define PIN_CHAIN_MAX	16	/* certificates of a presented chain looked at */
#define PIN_NAMELEN	256	/* a certificate's subject or issuer, for logs */
#define PIN_DETAILLEN	256
/* "SHA256:" and 64 hex digits, as tls_peer_cert_hash() writes a hash */
#define PIN_CERTHASH_TEXTLEN	71

/* OpenSSL's X509_STORE, kept opaque: dnstlsd itself has no libcrypto */
struct x509_store_st;

/* --- pin.c --- */

/* 1 when one of the chain's SPKI hashes is one of the wanted pins */
int	 pin_match(const uint8_t (*)[PIN_LEN], int, const uint8_t (*)[PIN_LEN],
	    int);

/* base64 text <-> 32 raw bytes; decode: 0 ok, -1 not a sha256 pin */
int	 pin_decode(const char *, uint8_t [PIN_LEN]);
void	 pin_encode(const uint8_t [PIN_LEN], char [PIN_B64LEN + 1]);

/* the sha256 of a certificate <-> tls_peer_cert_hash() text; 0 or -1 */
int	 pin_certhash_decode(const char *, uint8_t [PIN_LEN]);
void	 pin_certhash_encode(const uint8_t [PIN_LEN],
	    char [PIN_CERTHASH_TEXTLEN + 1]);

/*
 * Which leaf certificate (sha256 of its DER) the session in an upstream's
 * TLS session store was made with.  libtls rewrites the store at the end
 * of every handshake it completes, before dnstlsd authenticates it; so
 * after each handshake the store is either kept and described by that
 * handshake's leaf (authenticated) or emptied (not).
 */
struct pin_session {
	int	 valid;			/* 0: the store is empty */
	uint8_t	 leaf[PIN_LEN];
};

void	 pin_session_keep(struct pin_session *, const uint8_t [PIN_LEN]);
void	 pin_session_drop(struct pin_session *);

/*
 * A resumed handshake proves only that the server holds the session: it
 * is accepted when it shows the leaf that the session was authenticated
 * with (the store as it was when the connection read it), never else.
 */
int	 pin_session_resume_ok(const struct pin_session *,
	    const uint8_t [PIN_LEN]);

/* --- pin_chain.c --- */

/*
 * Hash the SPKI of every certificate in a PEM chain into pins (at most
 * max). Returns the number of certificates hashed, -1 on a parse error.
 */
int	 pin_chain_spki(const uint8_t *, size_t, uint8_t (*)[PIN_LEN], int max);

enum pin_verdict {
	PIN_OK,			/* a pinned certificate is on the verified path */
	PIN_BADCHAIN,		/* no certificate, or one that does not parse */
	PIN_UNVERIFIED,		/* the chain does not verify against the store */
	PIN_NOTPINNED		/* no pinned certificate on the verified path */
};

/* What a check saw, for the log and for the session store. */
struct pin_seen {
	int	 ncerts;		/* certificates presented (looked at) */
	int	 npath;			/* on the verified path; 0: none */
	int	 depth;			/* where a pin matched (0: leaf), or -1 */
	int	 have_leaf;		/* the fields below are set */
	uint8_t	 leaf_pin[PIN_LEN];	/* the leaf's SPKI pin */
	uint8_t	 leaf_hash[PIN_LEN];	/* sha256 of the leaf's DER */
	char	 subject[PIN_NAMELEN];	/* the leaf's, printable ASCII only */
	char	 issuer[PIN_NAMELEN];
	char	 detail[PIN_DETAILLEN];	/* what it was checked against */
};

/*
 * Authenticate a presented chain (PEM, the leaf first: the certificate
 * whose key the handshake proved) by pins.  Without a store (pins only):
 * a pin must match the leaf, or a presented certificate that the leaf
 * verifies up to, that certificate alone being the trust anchor.  With a
 * store (a name and pins; the CA bundle): the chain must verify against
 * the store and a pin must match a certificate on the verified path, the
 * anchor from the store included.  A certificate merely presented never
 * counts.  seen is filled as far as the check got, verdict or not.
 */
enum pin_verdict pin_chain_check(const uint8_t *, size_t,
	    const uint8_t (*)[PIN_LEN], int, struct x509_store_st *,
	    struct pin_seen *);

/* The leaf of a PEM chain alone, for a log line; -1 when none parses. */
int	 pin_chain_leaf(const uint8_t *, size_t, struct pin_seen *);

/*
 * A trust store of the certificates in a PEM bundle, in memory only: no
 * default paths, nothing is ever looked up in a file. NULL when the
 * bundle holds no certificate or a broken block.
 */
struct x509_store_st *pin_ca_store(const uint8_t *, size_t);
void	 pin_ca_store_free(struct x509_store_st *);

#endif /* PIN_H */
