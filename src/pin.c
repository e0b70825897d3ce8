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
 * SPKI pins: matching a chain's pins against the wanted ones, the base64
 * form users write in the configuration, which must be exactly one
 * canonical base64 sha256 value, and which leaf a stored TLS session may
 * be resumed with.  No libcrypto here (see pin_chain.c).
 */

#include <stdint.h>
#include <string.h>

#include "pin.h"

static const char b64chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int
pin_match(const uint8_t (*chain)[PIN_LEN], int nchain,
    const uint8_t (*wanted)[PIN_LEN], int nwanted)
{
	int	 i, j;

	for (i = 0; i < nchain; i++)
		for (j = 0; j < nwanted; j++)
			if (memcmp(chain[i], wanted[j], PIN_LEN) == 0)
				return 1;
	return 0;
}

static int
b64value(char c)
{
	const char	*p;

	if (c == '\0' || (p = strchr(b64chars, c)) == NULL)
		return -1;
	return (int)(p - b64chars);
}

/*
 * 32 bytes are 43 symbols and one '='. The last symbol carries two bits
 * beyond the 256: they must be zero, so each pin has one spelling.
 */
int
pin_decode(const char *text, uint8_t pin[PIN_LEN])
{
	uint8_t		 out[PIN_LEN];
	uint32_t	 acc = 0;
	size_t		 i, o = 0;
	int		 bits = 0, v;

	if (text == NULL || strnlen(text, PIN_B64LEN + 1) != PIN_B64LEN ||
	    text[PIN_B64LEN - 1] != '=')
		return -1;
	for (i = 0; i < PIN_B64LEN - 1; i++) {
		if ((v = b64value(text[i])) == -1)
			return -1;
		acc = (acc << 6 | (uint32_t)v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o == PIN_LEN)
				return -1;
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	if (o != PIN_LEN || (acc & ((1u << bits) - 1)) != 0)
		return -1;
	memcpy(pin, out, PIN_LEN);
	return 0;
}

void
pin_encode(const uint8_t pin[PIN_LEN], char text[PIN_B64LEN + 1])
{
	uint32_t	 acc = 0;
	size_t		 i, o = 0;
	int		 bits = 0;

	for (i = 0; i < PIN_LEN; i++) {
		acc = (acc << 8 | pin[i]) & 0xffffff;
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			text[o++] = b64chars[(acc >> bits) & 0x3f];
		}
	}
	/* 256 bits leave 4 over: one more symbol, then one pad */
	text[o++] = b64chars[(acc << (6 - bits)) & 0x3f];
	text[o++] = '=';
	text[o] = '\0';
}

static const char hexdigits[] = "0123456789abcdef";

static int
hexvalue(char c)
{
	const char	*p;

	if (c == '\0' || (p = strchr(hexdigits, c)) == NULL)
		return -1;
	return (int)(p - hexdigits);
}

/* exactly what libtls writes: "SHA256:" and 64 lower-case hex digits */
int
pin_certhash_decode(const char *text, uint8_t hash[PIN_LEN])
{
	static const char	 prefix[] = "SHA256:";
	uint8_t			 out[PIN_LEN];
	size_t			 i;
	int			 hi, lo;

	if (text == NULL ||
	    strnlen(text, PIN_CERTHASH_TEXTLEN + 1) != PIN_CERTHASH_TEXTLEN ||
	    strncmp(text, prefix, sizeof(prefix) - 1) != 0)
		return -1;
	text += sizeof(prefix) - 1;
	for (i = 0; i < PIN_LEN; i++) {
		if ((hi = hexvalue(text[2 * i])) == -1 ||
		    (lo = hexvalue(text[2 * i + 1])) == -1)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	memcpy(hash, out, PIN_LEN);
	return 0;
}

void
pin_certhash_encode(const uint8_t hash[PIN_LEN],
    char text[PIN_CERTHASH_TEXTLEN + 1])
{
	size_t	 i, o;

	memcpy(text, "SHA256:", 7);
	for (i = 0, o = 7; i < PIN_LEN; i++) {
		text[o++] = hexdigits[hash[i] >> 4];
		text[o++] = hexdigits[hash[i] & 0xf];
	}
	text[o] = '\0';
}

void
pin_session_keep(struct pin_session *s, const uint8_t leaf[PIN_LEN])
{
	memcpy(s->leaf, leaf, PIN_LEN);
	s->valid = 1;
}

void
pin_session_drop(struct pin_session *s)
{
	memset(s, 0, sizeof(*s));
}

int
pin_session_resume_ok(const struct pin_session *s,
    const uint8_t leaf[PIN_LEN])
{
	return s->valid && memcmp(s->leaf, leaf, PIN_LEN) == 0;
}
