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
 * Unit tests of SPKI pins. Throwaway EC and RSA certificates are made
 * with the openssl command in a temporary directory, and the expected
 * pins come from the openssl command line too, so pin.c is checked
 * against an independent implementation rather than against itself.
 * A small PKI made the same way (root -> intermediate -> leaf, another
 * CA, a mis-issued leaf, impostors) gives every verdict of
 * pin_chain_check() a case, the attacks of issue 8 first.
 */

#include <sys/types.h>

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/x509.h>

#include "pin.h"
#include "test.h"

#define PEM_MAX		(64 * 1024)
#define CERT_MAX	(8 * 1024)

/* the certificates every case shares, made once in test_pin() */
static struct {
	char	 dir[64];
	char	 ec[PEM_MAX], rsa[PEM_MAX];
	size_t	 eclen, rsalen;
	char	 ecpin[PIN_B64LEN + 1], rsapin[PIN_B64LEN + 1];
} fx;

static int
make_cert(const char *name, const char *keyopts)
{
	char	 cmd[1024];
	int	 n;

	n = snprintf(cmd, sizeof(cmd), "openssl req -x509 %s -nodes "
	    "-subj /CN=t -days 1 -keyout %s.key -out %s.pem >/dev/null 2>&1",
	    keyopts, name, name);
	if (n < 0 || (size_t)n >= sizeof(cmd))
		return -1;
	return system(cmd) == 0 ? 0 : -1;
}

static int
read_file(const char *path, char *buf, size_t size, size_t *len)
{
	FILE	*f;

	if ((f = fopen(path, "r")) == NULL)
		return -1;
	*len = fread(buf, 1, size - 1, f);
	buf[*len] = '\0';
	fclose(f);
	return *len > 0 && *len < size - 1 ? 0 : -1;
}

/* The pin as openssl's own tools compute it. */
static int
openssl_pin(const char *pem, char out[PIN_B64LEN + 1])
{
	char	 cmd[1024];
	FILE	*p;
	size_t	 n;

	snprintf(cmd, sizeof(cmd), "openssl x509 -in %s -pubkey -noout | "
	    "openssl pkey -pubin -outform der | "
	    "openssl dgst -sha256 -binary | openssl enc -base64", pem);
	if ((p = popen(cmd, "r")) == NULL)
		return -1;
	n = fread(out, 1, PIN_B64LEN + 1, p);
	pclose(p);
	if (n != PIN_B64LEN + 1 || out[PIN_B64LEN] != '\n')
		return -1;
	out[PIN_B64LEN] = '\0';
	return 0;
}

static int
fixture_setup(void)
{
	char	 path[128];

	snprintf(fx.dir, sizeof(fx.dir), "/tmp/test_pin.XXXXXX");
	if (mkdtemp(fx.dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/ec", fx.dir);
	if (make_cert(path, "-newkey ec -pkeyopt ec_paramgen_curve:P-256")
	    == -1)
		return -1;
	snprintf(path, sizeof(path), "%s/rsa", fx.dir);
	if (make_cert(path, "-newkey rsa:2048") == -1)
		return -1;
	snprintf(path, sizeof(path), "%s/ec.pem", fx.dir);
	if (read_file(path, fx.ec, sizeof(fx.ec), &fx.eclen) == -1 ||
	    openssl_pin(path, fx.ecpin) == -1)
		return -1;
	snprintf(path, sizeof(path), "%s/rsa.pem", fx.dir);
	if (read_file(path, fx.rsa, sizeof(fx.rsa), &fx.rsalen) == -1 ||
	    openssl_pin(path, fx.rsapin) == -1)
		return -1;
	return 0;
}

static void
fixture_teardown(void)
{
	char	 cmd[128];

	if (fx.dir[0] == '\0' || strncmp(fx.dir, "/tmp/test_pin.", 14) != 0)
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx.dir);
	if (system(cmd) != 0)
		fprintf(stderr, "test_pin: cannot remove %s\n", fx.dir);
}

/*
 * The PKI of the chain checks, made by the openssl command in fx.dir:
 *	root -> int -> leaf	the real server's chain (leaf: dot.test)
 *	evil -> mis		another trusted CA, a mis-issued dot.test
 *	imp			an impostor's self-signed dot.test, own key
 *	fakeint -> forged	a CA named like int with another key, and the
 *				dot.test it signed: issuer name "int", wrong key
 *	fakeint -> forged2	the same without key identifiers, so that only
 *				the signature tells it from int's
 */
static const char pki_script[] =
    "set -e\n"
    "key() { openssl ecparam -name prime256v1 -genkey -noout -out $1.key; }\n"
    "printf 'basicConstraints=critical,CA:TRUE\\n"
    "keyUsage=critical,keyCertSign,cRLSign\\n' >ca.ext\n"
    "printf 'basicConstraints=critical,CA:FALSE\\n"
    "keyUsage=critical,digitalSignature\\nextendedKeyUsage=serverAuth\\n"
    "subjectAltName=DNS:dot.test\\n' >leaf.ext\n"
    "{ cat leaf.ext; printf 'authorityKeyIdentifier=none\\n"
    "subjectKeyIdentifier=none\\n'; } >noid.ext\n"
    "selfca() { key $1; openssl req -x509 -new -key $1.key -sha256 "
    "-days 2 -subj \"$2\" -addext basicConstraints=critical,CA:TRUE "
    "-addext keyUsage=critical,keyCertSign,cRLSign -out $1.pem; }\n"
    "sign() { key $1; openssl req -new -key $1.key -subj \"$2\" "
    "-out $1.csr; openssl x509 -req -in $1.csr -CA $3.pem -CAkey $3.key "
    "-set_serial $5 -days 2 -sha256 -extfile $4.ext -out $1.pem; }\n"
    "selfca root '/CN=t root'\n"
    "sign int '/CN=t int' root ca 2\n"
    "sign leaf '/CN=dot.test' int leaf 3\n"
    "selfca evil '/CN=t evil'\n"
    "sign mis '/CN=dot.test' evil leaf 4\n"
    "key imp\n"
    "openssl req -x509 -new -key imp.key -sha256 -days 2 "
    "-subj '/CN=dot.test' -addext basicConstraints=critical,CA:FALSE "
    "-addext subjectAltName=DNS:dot.test -out imp.pem\n"
    "selfca fakeint '/CN=t int'\n"
    "sign forged '/CN=dot.test' fakeint leaf 5\n"
    "sign forged2 '/CN=dot.test' fakeint noid 6\n"
    "openssl x509 -in leaf.pem -outform der | openssl dgst -sha256 -r "
    "| cut -c1-64 >leaf.sha256\n";

enum {
	C_ROOT, C_INT, C_LEAF, C_EVIL, C_MIS, C_IMP, C_FORGED, C_FORGED2,
	C_NCERTS
};
static const char *const pki_names[C_NCERTS] = {
	"root", "int", "leaf", "evil", "mis", "imp", "forged", "forged2"
};

static struct {
	int	 ok;
	char	 pem[C_NCERTS][CERT_MAX];
	size_t	 len[C_NCERTS];
	uint8_t	 pin[C_NCERTS][PIN_LEN];
	char	 leafsha[80];
	X509_STORE *bundle;	/* root and evil, as a CA bundle */
} pk;

static int
pki_setup(void)
{
	char	 cmd[2048], path[128], b64[PIN_B64LEN + 1], bundle[2 * CERT_MAX];
	size_t	 n;
	int	 i;

	snprintf(path, sizeof(path), "%s/pki.sh", fx.dir);
	{
		FILE	*f;

		if ((f = fopen(path, "w")) == NULL)
			return -1;
		fputs(pki_script, f);
		if (fclose(f) != 0)
			return -1;
	}
	snprintf(cmd, sizeof(cmd), "cd '%s' && sh pki.sh >pki.log 2>&1",
	    fx.dir);
	if (system(cmd) != 0)
		return -1;
	for (i = 0; i < C_NCERTS; i++) {
		snprintf(path, sizeof(path), "%s/%s.pem", fx.dir, pki_names[i]);
		if (read_file(path, pk.pem[i], sizeof(pk.pem[i]), &pk.len[i])
		    == -1 || openssl_pin(path, b64) == -1 ||
		    pin_decode(b64, pk.pin[i]) == -1)
			return -1;
	}
	snprintf(path, sizeof(path), "%s/leaf.sha256", fx.dir);
	if (read_file(path, pk.leafsha, sizeof(pk.leafsha), &n) == -1 ||
	    n < 64)
		return -1;
	pk.leafsha[64] = '\0';
	memcpy(bundle, pk.pem[C_ROOT], pk.len[C_ROOT]);
	memcpy(bundle + pk.len[C_ROOT], pk.pem[C_EVIL], pk.len[C_EVIL]);
	pk.bundle = pin_ca_store((const uint8_t *)bundle,
	    pk.len[C_ROOT] + pk.len[C_EVIL]);
	return pk.bundle == NULL ? -1 : 0;
}

/* the PEM chain of certificates a, b, ... (C_NCERTS ends the list) */
static size_t
chain_of(char *out, size_t size, int first, ...)
{
	va_list	 ap;
	size_t	 len = 0;
	int	 c;

	va_start(ap, first);
	for (c = first; c != C_NCERTS; c = va_arg(ap, int)) {
		if (pk.len[c] > size - len)
			abort();
		memcpy(out + len, pk.pem[c], pk.len[c]);
		len += pk.len[c];
	}
	va_end(ap);
	return len;
}

/* the verdict on a chain against pins of the given certificates */
static enum pin_verdict
check(struct pin_seen *seen, X509_STORE *store, const char *pem, size_t len,
    int pin1, int pin2)
{
	uint8_t	 pins[2][PIN_LEN];
	int	 n = 0;

	if (pin1 != C_NCERTS)
		memcpy(pins[n++], pk.pin[pin1], PIN_LEN);
	if (pin2 != C_NCERTS)
		memcpy(pins[n++], pk.pin[pin2], PIN_LEN);
	return pin_chain_check((const uint8_t *)pem, len,
	    (const uint8_t (*)[PIN_LEN])pins, n, store, seen);
}

static int
chain_pins(const char *pem, size_t len, uint8_t (*pins)[PIN_LEN], int max)
{
	return pin_chain_spki((const uint8_t *)pem, len, pins, max);
}

static void
t_ec_pin_matches_openssl(void)
{
	uint8_t	 pins[4][PIN_LEN];
	char	 text[PIN_B64LEN + 1];

	CHECK(chain_pins(fx.ec, fx.eclen, pins, 4) == 1);
	pin_encode(pins[0], text);
	CHECK(strcmp(text, fx.ecpin) == 0);
}

static void
t_rsa_pin_matches_openssl(void)
{
	uint8_t	 pins[4][PIN_LEN];
	char	 text[PIN_B64LEN + 1];

	CHECK(chain_pins(fx.rsa, fx.rsalen, pins, 4) == 1);
	pin_encode(pins[0], text);
	CHECK(strcmp(text, fx.rsapin) == 0);
}

static void
t_chain_of_two_in_order(void)
{
	static char	 chain[2 * PEM_MAX];
	uint8_t		 pins[4][PIN_LEN];
	char		 a[PIN_B64LEN + 1], b[PIN_B64LEN + 1];

	memcpy(chain, fx.ec, fx.eclen);
	memcpy(chain + fx.eclen, fx.rsa, fx.rsalen);
	CHECK(chain_pins(chain, fx.eclen + fx.rsalen, pins, 4) == 2);
	pin_encode(pins[0], a);
	pin_encode(pins[1], b);
	CHECK(strcmp(a, fx.ecpin) == 0);
	CHECK(strcmp(b, fx.rsapin) == 0);
	/* no more than max are hashed */
	CHECK(chain_pins(chain, fx.eclen + fx.rsalen, pins, 1) == 1);
}

static void
t_garbage_pem(void)
{
	static const char	 junk[] = "this is not a certificate\n";
	static const char	 badblock[] = "-----BEGIN CERTIFICATE-----\n"
	    "bm90IGEgY2VydGlmaWNhdGUgYXQgYWxs\n-----END CERTIFICATE-----\n";
	static char		 chain[2 * PEM_MAX];
	uint8_t			 pins[4][PIN_LEN];

	CHECK(chain_pins(junk, sizeof(junk) - 1, pins, 4) == -1);
	CHECK(chain_pins(badblock, sizeof(badblock) - 1, pins, 4) == -1);
	CHECK(chain_pins("", 0, pins, 4) == -1);
	/* a good certificate followed by a broken one fails the chain */
	memcpy(chain, fx.ec, fx.eclen);
	memcpy(chain + fx.eclen, badblock, sizeof(badblock) - 1);
	CHECK(chain_pins(chain, fx.eclen + sizeof(badblock) - 1, pins, 4)
	    == -1);
	/* a truncated certificate too */
	CHECK(chain_pins(fx.ec, fx.eclen / 2, pins, 4) == -1);
}

static void
t_encode_decode_roundtrip(void)
{
	uint8_t	 pin[PIN_LEN], back[PIN_LEN];
	char	 text[PIN_B64LEN + 1];
	int	 i, k, bad = 0;

	for (k = 0; k < 256; k++) {
		for (i = 0; i < PIN_LEN; i++)
			pin[i] = (uint8_t)(k * 31 + i * 17);
		pin_encode(pin, text);
		if (strlen(text) != PIN_B64LEN || text[PIN_B64LEN - 1] != '=')
			bad++;
		if (pin_decode(text, back) != 0 ||
		    memcmp(pin, back, PIN_LEN) != 0)
			bad++;
	}
	CHECK(bad == 0);
	memset(pin, 0, sizeof(pin));
	pin_encode(pin, text);
	CHECK(strcmp(text,
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=") == 0);
}

static void
t_decode_openssl_pin(void)
{
	uint8_t	 pins[1][PIN_LEN], want[PIN_LEN];

	CHECK(pin_decode(fx.ecpin, want) == 0);
	CHECK(chain_pins(fx.ec, fx.eclen, pins, 1) == 1);
	CHECK(memcmp(pins[0], want, PIN_LEN) == 0);
}

static void
t_decode_rejects_length(void)
{
	uint8_t	 pin[PIN_LEN];
	/* base64 of 48 bytes: a sha384, not a sha256 */
	static const char sha384[] =
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

	CHECK(pin_decode("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", pin)
	    == -1);	/* 43 */
	CHECK(pin_decode("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", pin)
	    == -1);	/* 45 */
	CHECK(pin_decode("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", pin)
	    == -1);	/* 44, no padding */
	CHECK(pin_decode(sha384, pin) == -1);
	CHECK(pin_decode("", pin) == -1);
}

static void
t_decode_rejects_chars(void)
{
	uint8_t	 pin[PIN_LEN];

	CHECK(pin_decode("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA*A=", pin)
	    == -1);
	CHECK(pin_decode("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA A=", pin)
	    == -1);
	CHECK(pin_decode(" AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", pin)
	    == -1);
	CHECK(pin_decode("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", pin)
	    == -1);
	CHECK(pin_decode("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==", pin)
	    == -1);
	CHECK(pin_decode("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-_", pin)
	    == -1);	/* base64url */
	/* last symbol with bits beyond the 256th set: not canonical */
	CHECK(pin_decode("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB=", pin)
	    == -1);
	CHECK(pin_decode("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE=", pin)
	    == 0);
}

static void
t_match(void)
{
	uint8_t	 chain[3][PIN_LEN], wanted[2][PIN_LEN];

	memset(chain, 1, sizeof(chain));
	chain[2][0] = 3;
	memset(wanted, 2, sizeof(wanted));
	CHECK(pin_match((const uint8_t (*)[PIN_LEN])chain, 3,
	    (const uint8_t (*)[PIN_LEN])wanted, 2) == 0);
	memcpy(wanted[1], chain[2], PIN_LEN);
	CHECK(pin_match((const uint8_t (*)[PIN_LEN])chain, 3,
	    (const uint8_t (*)[PIN_LEN])wanted, 2) == 1);
	CHECK(pin_match((const uint8_t (*)[PIN_LEN])chain, 2,
	    (const uint8_t (*)[PIN_LEN])wanted, 2) == 0);
	CHECK(pin_match((const uint8_t (*)[PIN_LEN])chain, 0,
	    (const uint8_t (*)[PIN_LEN])wanted, 2) == 0);
}

#define END	C_NCERTS

/* pins only: the leaf's key was proven by the handshake, it suffices */
static void
t_pinonly_leaf(void)
{
	static char	 c[3 * CERT_MAX];
	struct pin_seen	 seen;
	size_t		 n;

	n = chain_of(c, sizeof(c), C_LEAF, END);
	CHECK(check(&seen, NULL, c, n, C_LEAF, END) == PIN_OK);
	CHECK(seen.depth == 0 && seen.ncerts == 1);
	n = chain_of(c, sizeof(c), C_LEAF, C_INT, END);
	CHECK(check(&seen, NULL, c, n, C_EVIL, C_LEAF) == PIN_OK);
	CHECK(seen.depth == 0 && seen.ncerts == 2);
	CHECK(memcmp(seen.leaf_pin, pk.pin[C_LEAF], PIN_LEN) == 0);
	CHECK(strcmp(seen.subject, "CN=dot.test") == 0);
	CHECK(strcmp(seen.issuer, "CN=t int") == 0);
}

/* pins only: a presented certificate the leaf verifies up to */
static void
t_pinonly_path(void)
{
	static char	 c[3 * CERT_MAX];
	struct pin_seen	 seen;
	size_t		 n;

	n = chain_of(c, sizeof(c), C_LEAF, C_INT, END);
	CHECK(check(&seen, NULL, c, n, C_INT, END) == PIN_OK);
	CHECK(seen.depth == 1 && seen.npath == 2);
	n = chain_of(c, sizeof(c), C_LEAF, C_INT, C_ROOT, END);
	CHECK(check(&seen, NULL, c, n, C_ROOT, END) == PIN_OK);
	CHECK(seen.depth == 2 && seen.npath == 3);
	/* the intermediate is the anchor: the root need not come along */
	CHECK(check(&seen, NULL, c, n, C_INT, END) == PIN_OK);
	CHECK(seen.depth == 1 && seen.npath == 2);
	/* order of the intermediates is not the server's to get right */
	n = chain_of(c, sizeof(c), C_LEAF, C_ROOT, C_INT, END);
	CHECK(check(&seen, NULL, c, n, C_ROOT, END) == PIN_OK);
}

/* pins only: what is not sent cannot anchor anything */
static void
t_pinonly_not_sent(void)
{
	static char	 c[3 * CERT_MAX];
	struct pin_seen	 seen;
	size_t		 n;

	n = chain_of(c, sizeof(c), C_LEAF, C_INT, END);
	CHECK(check(&seen, NULL, c, n, C_ROOT, END) == PIN_NOTPINNED);
	CHECK(check(&seen, NULL, c, n, C_EVIL, END) == PIN_NOTPINNED);
	CHECK(seen.depth == -1 && seen.have_leaf);
	CHECK(strstr(seen.detail, "no pinned certificate on the verified "
	    "path") != NULL);
}

/* issue 8, item 1: an impostor's own leaf with the real one appended */
static void
t_pinonly_impostor(void)
{
	static char	 c[4 * CERT_MAX];
	struct pin_seen	 seen;
	char		 b64[PIN_B64LEN + 1];
	size_t		 n;

	n = chain_of(c, sizeof(c), C_IMP, C_LEAF, END);
	CHECK(check(&seen, NULL, c, n, C_LEAF, END) == PIN_NOTPINNED);
	/* the log names the leaf that was seen, not the appended one */
	CHECK(memcmp(seen.leaf_pin, pk.pin[C_IMP], PIN_LEN) == 0);
	CHECK(strcmp(seen.subject, "CN=dot.test") == 0);
	CHECK(strcmp(seen.issuer, "CN=dot.test") == 0);
	CHECK(seen.ncerts == 2);
	pin_encode(seen.leaf_pin, b64);
	CHECK(strlen(b64) == PIN_B64LEN);
	/* the CA style: the real intermediate and root appended */
	n = chain_of(c, sizeof(c), C_IMP, C_INT, C_ROOT, END);
	CHECK(check(&seen, NULL, c, n, C_INT, END) == PIN_NOTPINNED);
	CHECK(check(&seen, NULL, c, n, C_ROOT, END) == PIN_NOTPINNED);
	/* the whole real chain appended */
	n = chain_of(c, sizeof(c), C_IMP, C_LEAF, C_INT, C_ROOT, END);
	CHECK(check(&seen, NULL, c, n, C_LEAF, C_INT) == PIN_NOTPINNED);
}

/* a leaf that names the pinned intermediate as issuer, signed elsewhere */
static void
t_pinonly_forged_issuer(void)
{
	static char	 c[3 * CERT_MAX];
	struct pin_seen	 seen;
	size_t		 n;

	n = chain_of(c, sizeof(c), C_FORGED, C_INT, END);
	CHECK(check(&seen, NULL, c, n, C_INT, END) == PIN_NOTPINNED);
	CHECK(strcmp(seen.issuer, "CN=t int") == 0);
	/* its key identifier already names another issuer than int */
	CHECK(strstr(seen.detail, "does not verify up to") != NULL);
	/* found by its name alone, int is tried: the signature fails */
	n = chain_of(c, sizeof(c), C_FORGED2, C_INT, END);
	CHECK(check(&seen, NULL, c, n, C_ROOT, C_INT) == PIN_NOTPINNED);
	CHECK(strstr(seen.detail, "signature failure") != NULL);
}

/* a name and pins: the pin on the path verified against the bundle */
static void
t_store_path(void)
{
	static char	 c[3 * CERT_MAX];
	struct pin_seen	 seen;
	size_t		 n;

	n = chain_of(c, sizeof(c), C_LEAF, C_INT, END);
	CHECK(check(&seen, pk.bundle, c, n, C_LEAF, END) == PIN_OK);
	CHECK(seen.depth == 0 && seen.npath == 3);
	CHECK(check(&seen, pk.bundle, c, n, C_INT, END) == PIN_OK);
	CHECK(seen.depth == 1);
	/* the root came from the bundle, not from the server */
	CHECK(check(&seen, pk.bundle, c, n, C_ROOT, END) == PIN_OK);
	CHECK(seen.depth == 2 && seen.npath == 3);
	CHECK(check(&seen, pk.bundle, c, n, C_EVIL, END) == PIN_NOTPINNED);
	CHECK(seen.npath == 3 && seen.depth == -1);
}

/* issue 8, item 2: a mis-issued leaf with the pinned certificate */
static void
t_store_misissued(void)
{
	static char	 c[4 * CERT_MAX];
	struct pin_seen	 seen;
	size_t		 n;

	n = chain_of(c, sizeof(c), C_MIS, C_LEAF, END);
	CHECK(check(&seen, pk.bundle, c, n, C_LEAF, END) == PIN_NOTPINNED);
	CHECK(seen.npath == 2);		/* mis -> evil */
	CHECK(strcmp(seen.issuer, "CN=t evil") == 0);
	CHECK(memcmp(seen.leaf_pin, pk.pin[C_MIS], PIN_LEN) == 0);
	n = chain_of(c, sizeof(c), C_MIS, C_INT, C_ROOT, END);
	CHECK(check(&seen, pk.bundle, c, n, C_ROOT, END) == PIN_NOTPINNED);
	CHECK(check(&seen, pk.bundle, c, n, C_INT, END) == PIN_NOTPINNED);
	/* pinning the other CA is the operator's choice, and holds */
	CHECK(check(&seen, pk.bundle, c, n, C_EVIL, END) == PIN_OK);
}

/* a name and pins: a chain the bundle does not verify */
static void
t_store_unverified(void)
{
	static char	 c[3 * CERT_MAX];
	struct pin_seen	 seen;
	X509_STORE	*rootonly;
	size_t		 n;

	rootonly = pin_ca_store((const uint8_t *)pk.pem[C_ROOT],
	    pk.len[C_ROOT]);
	CHECK(rootonly != NULL);
	if (rootonly == NULL)
		return;
	n = chain_of(c, sizeof(c), C_MIS, C_LEAF, END);
	CHECK(check(&seen, rootonly, c, n, C_LEAF, END) == PIN_UNVERIFIED);
	CHECK(strstr(seen.detail, "does not verify") != NULL);
	/* the impostor appended to itself does not verify either */
	n = chain_of(c, sizeof(c), C_IMP, C_LEAF, C_INT, END);
	CHECK(check(&seen, rootonly, c, n, C_LEAF, END) == PIN_UNVERIFIED);
	/* the leaf without its intermediate cannot be verified */
	n = chain_of(c, sizeof(c), C_LEAF, END);
	CHECK(check(&seen, rootonly, c, n, C_LEAF, END) == PIN_UNVERIFIED);
	n = chain_of(c, sizeof(c), C_FORGED, C_INT, END);
	CHECK(check(&seen, rootonly, c, n, C_ROOT, END) == PIN_UNVERIFIED);
	pin_ca_store_free(rootonly);
}

static void
t_check_bad_input(void)
{
	static const char	 badblock[] = "-----BEGIN CERTIFICATE-----\n"
	    "bm90IGEgY2VydGlmaWNhdGUgYXQgYWxs\n-----END CERTIFICATE-----\n";
	static char		 c[3 * CERT_MAX];
	struct pin_seen		 seen;
	size_t			 n;

	CHECK(check(&seen, NULL, "", 0, C_LEAF, END) == PIN_BADCHAIN);
	CHECK(!seen.have_leaf && seen.depth == -1);
	CHECK(pin_chain_check(NULL, 10, NULL, 0, NULL, &seen) ==
	    PIN_BADCHAIN);
	CHECK(check(&seen, pk.bundle, badblock, sizeof(badblock) - 1, C_LEAF,
	    END) == PIN_BADCHAIN);
	/* a good leaf and a broken block after it: the whole chain fails */
	n = chain_of(c, sizeof(c), C_LEAF, END);
	memcpy(c + n, badblock, sizeof(badblock) - 1);
	CHECK(check(&seen, NULL, c, n + sizeof(badblock) - 1, C_LEAF, END)
	    == PIN_BADCHAIN);
	/* no pins: nothing is pinned */
	CHECK(pin_chain_check((const uint8_t *)c, n, NULL, 0, NULL, &seen) ==
	    PIN_NOTPINNED);
	CHECK(seen.have_leaf);
}

/* the leaf's hash is the one tls_peer_cert_hash() reports */
static void
t_leaf_hash(void)
{
	static char	 c[3 * CERT_MAX];
	struct pin_seen	 seen;
	char		 text[PIN_CERTHASH_TEXTLEN + 1], want[80];
	size_t		 n;

	n = chain_of(c, sizeof(c), C_LEAF, C_INT, END);
	CHECK(pin_chain_leaf((const uint8_t *)c, n, &seen) == 0);
	pin_certhash_encode(seen.leaf_hash, text);
	snprintf(want, sizeof(want), "SHA256:%.64s", pk.leafsha);
	CHECK(strcmp(text, want) == 0);
	CHECK(memcmp(seen.leaf_pin, pk.pin[C_LEAF], PIN_LEN) == 0);
	CHECK(strcmp(seen.subject, "CN=dot.test") == 0);
	CHECK(check(&seen, NULL, c, n, C_INT, END) == PIN_OK);
	pin_certhash_encode(seen.leaf_hash, text);
	CHECK(strcmp(text, want) == 0);
	CHECK(pin_chain_leaf((const uint8_t *)"x", 1, &seen) == -1);
}

static void
t_ca_store(void)
{
	static const char	 junk[] = "no certificates here\n";
	X509_STORE		*st;

	CHECK(pin_ca_store((const uint8_t *)junk, sizeof(junk) - 1) == NULL);
	CHECK(pin_ca_store((const uint8_t *)"", 0) == NULL);
	CHECK(pin_ca_store(NULL, 5) == NULL);
	st = pin_ca_store((const uint8_t *)pk.pem[C_EVIL], pk.len[C_EVIL]);
	CHECK(st != NULL);
	pin_ca_store_free(st);
}

/* the names in a log line: printable ASCII whatever the certificate says */
static void
t_names_printable(void)
{
	static char	 c[2 * CERT_MAX];
	struct pin_seen	 seen;
	char		 cmd[1024], path[128];
	size_t		 n, i;
	int		 bad = 0;

	snprintf(cmd, sizeof(cmd), "cd '%s' && openssl req -x509 -new "
	    "-key imp.key -days 1 -utf8 -subj \"/CN=a$(printf '\\n\\033')"
	    "\\xc3\\xa9\\\"z\" -out odd.pem >/dev/null 2>&1", fx.dir);
	CHECK(system(cmd) == 0);
	snprintf(path, sizeof(path), "%s/odd.pem", fx.dir);
	CHECK(read_file(path, c, sizeof(c), &n) == 0);
	CHECK(pin_chain_leaf((const uint8_t *)c, n, &seen) == 0);
	for (i = 0; seen.subject[i] != '\0'; i++)
		if (seen.subject[i] < 0x20 || seen.subject[i] >= 0x7f)
			bad++;
	CHECK(bad == 0 && strncmp(seen.subject, "CN=a", 4) == 0);
}

static void
t_certhash_text(void)
{
	uint8_t	 h[PIN_LEN], back[PIN_LEN];
	char	 text[PIN_CERTHASH_TEXTLEN + 1];
	int	 i;

	for (i = 0; i < PIN_LEN; i++)
		h[i] = (uint8_t)(i * 37 + 5);
	pin_certhash_encode(h, text);
	CHECK(strlen(text) == PIN_CERTHASH_TEXTLEN);
	CHECK(pin_certhash_decode(text, back) == 0);
	CHECK(memcmp(h, back, PIN_LEN) == 0);
	CHECK(pin_certhash_decode(NULL, back) == -1);
	CHECK(pin_certhash_decode("", back) == -1);
	text[PIN_CERTHASH_TEXTLEN - 1] = '\0';
	CHECK(pin_certhash_decode(text, back) == -1);	/* short */
	pin_certhash_encode(h, text);
	text[0] = 's';
	CHECK(pin_certhash_decode(text, back) == -1);	/* prefix */
	pin_certhash_encode(h, text);
	text[10] = 'G';
	CHECK(pin_certhash_decode(text, back) == -1);	/* not hex */
}

/*
 * Issue 8, item 3: what a resumed handshake is accepted with.  The store
 * as the connection read it (snap) against the leaf the resumed session
 * shows; and what the store holds after each kind of handshake.
 */
static void
t_session_decision(void)
{
	struct pin_session	 store, snap;
	uint8_t			 a[PIN_LEN], b[PIN_LEN];

	memset(a, 0xaa, sizeof(a));
	memset(b, 0xbb, sizeof(b));
	memset(&store, 0x55, sizeof(store));
	pin_session_drop(&store);		/* at start: empty */
	snap = store;
	CHECK(!pin_session_resume_ok(&snap, a));
	/* a full handshake with leaf a authenticated: libtls stored it */
	pin_session_keep(&store, a);
	snap = store;
	CHECK(pin_session_resume_ok(&snap, a));
	CHECK(!pin_session_resume_ok(&snap, b));
	/* a later full handshake failed: the store is emptied */
	pin_session_drop(&store);
	CHECK(!store.valid);
	CHECK(!pin_session_resume_ok(&store, a));
	/* a connection that read the store before keeps what it read */
	CHECK(pin_session_resume_ok(&snap, a));
	/* a new leaf b authenticated in full: b's session replaces a's */
	pin_session_keep(&store, b);
	CHECK(pin_session_resume_ok(&store, b));
	CHECK(!pin_session_resume_ok(&store, a));
}

static void
t_pki_fixture(void)
{
	CHECK(pk.ok);
}

static void
t_fixture(void)
{
	CHECK(fx.eclen > 0 && fx.rsalen > 0);
	CHECK(strlen(fx.ecpin) == PIN_B64LEN);
	CHECK(strcmp(fx.ecpin, fx.rsapin) != 0);
}

void
test_pin(void)
{
	int	 ok;

	memset(&fx, 0, sizeof(fx));
	ok = fixture_setup() == 0;
	if (!ok)
		fprintf(stderr, "test_pin: cannot make certificates with "
		    "openssl in %s: %s\n", fx.dir, strerror(errno));
	RUN(t_fixture);
	pk.ok = ok && pki_setup() == 0;
	if (ok && !pk.ok)
		fprintf(stderr, "test_pin: cannot make the PKI in %s (see "
		    "pki.log)\n", fx.dir);
	RUN(t_pki_fixture);
	if (pk.ok) {
		RUN(t_pinonly_leaf);
		RUN(t_pinonly_path);
		RUN(t_pinonly_not_sent);
		RUN(t_pinonly_impostor);
		RUN(t_pinonly_forged_issuer);
		RUN(t_store_path);
		RUN(t_store_misissued);
		RUN(t_store_unverified);
		RUN(t_check_bad_input);
		RUN(t_leaf_hash);
		RUN(t_ca_store);
		RUN(t_names_printable);
	}
	RUN(t_certhash_text);
	RUN(t_session_decision);
	if (ok) {
		RUN(t_ec_pin_matches_openssl);
		RUN(t_rsa_pin_matches_openssl);
		RUN(t_chain_of_two_in_order);
		RUN(t_garbage_pem);
		RUN(t_decode_openssl_pin);
	}
	RUN(t_encode_decode_roundtrip);
	RUN(t_decode_rejects_length);
	RUN(t_decode_rejects_chars);
	RUN(t_match);
	pin_ca_store_free(pk.bundle);
	pk.bundle = NULL;
	fixture_teardown();
}
