/* SPDX-License-Identifier: BSD-3-Clause */
/* digest: the RFC 2617 MD5 computations that the HSS (HA1), the S-CSCF
 * (expected response) and the UE (response) share, written once. */

#include <re.h>
#include "digest.h"


static int hex(char out[DIGEST_HEX], const uint8_t md[MD5_SIZE])
{
	/* %w prints a byte buffer as lower-case hex */
	return re_snprintf(out, DIGEST_HEX, "%w", md, (size_t)MD5_SIZE) ==
		DIGEST_HEX - 1 ? 0 : EINVAL;
}


int digest_ha1(char ha1[DIGEST_HEX], const char *user, const char *realm,
	       const char *password)
{
	uint8_t md[MD5_SIZE];
	int err;

	if (!ha1 || !user || !realm || !password)
		return EINVAL;

	err = md5_printf(md, "%s:%s:%s", user, realm, password);
	if (err)
		return err;

	return hex(ha1, md);
}


int digest_ha1_bin(char ha1[DIGEST_HEX], const char *user,
		   const char *realm, const uint8_t *pw, size_t len)
{
	uint8_t md[MD5_SIZE];
	int err;

	if (!ha1 || !user || !realm || (!pw && len))
		return EINVAL;

	err = md5_printf(md, "%s:%s:%b", user, realm, pw, len);
	if (err)
		return err;

	return hex(ha1, md);
}


int digest_response(char resp[DIGEST_HEX], const char *ha1,
		    const char *nonce, const char *nc, const char *cnonce,
		    const char *qop, const char *method, const char *uri)
{
	char ha2[DIGEST_HEX];
	uint8_t md[MD5_SIZE];
	int err;

	if (!resp || !ha1 || !nonce || !method || !uri)
		return EINVAL;

	err = md5_printf(md, "%s:%s", method, uri);
	if (err)
		return err;

	err = hex(ha2, md);
	if (err)
		return err;

	/* RFC 2617 3.2.2.1: with qop the client's nc and cnonce enter the
	 * hash; without it (RFC 2069 compatibility) they do not */
	if (str_isset(qop)) {
		if (!nc || !cnonce)
			return EINVAL;

		err = md5_printf(md, "%s:%s:%s:%s:%s:%s", ha1, nonce, nc,
				 cnonce, qop, ha2);
	}
	else {
		err = md5_printf(md, "%s:%s:%s", ha1, nonce, ha2);
	}
	if (err)
		return err;

	return hex(resp, md);
}
