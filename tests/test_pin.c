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
 */

#include <sys/types.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pin.h"
#include "test.h"

#define PEM_MAX		(64 * 1024)

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
	static const char *const files[] = {
		"ec.key", "ec.pem", "rsa.key", "rsa.pem"
	};
	char	 path[128];
	size_t	 i;

	if (fx.dir[0] == '\0')
		return;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", fx.dir, files[i]);
		unlink(path);
	}
	rmdir(fx.dir);
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
	fixture_teardown();
}
