/* SPDX-License-Identifier: BSD-3-Clause */
/* digest: HTTP Digest (RFC 2617) as SIP uses it, MD5 with qop=auth. */

#ifndef IMSBED_DIGEST_H
#define IMSBED_DIGEST_H

#include <re.h>

enum { DIGEST_HEX = 33 };

/* HA1 = MD5(user ":" realm ":" password), lower-case hex. */
int digest_ha1(char ha1[DIGEST_HEX], const char *user, const char *realm,
	       const char *password);
/* The same with a password of bytes (AKAv1-MD5's is RES, RFC 3310). */
int digest_ha1_bin(char ha1[DIGEST_HEX], const char *user,
		   const char *realm, const uint8_t *pw, size_t len);
/* response = MD5(HA1 ":" nonce ":" nc ":" cnonce ":" qop ":" HA2), HA2 =
 * MD5(method ":" uri); without qop, MD5(HA1 ":" nonce ":" HA2). */
int digest_response(char resp[DIGEST_HEX], const char *ha1,
		    const char *nonce, const char *nc, const char *cnonce,
		    const char *qop, const char *method, const char *uri);

#endif
