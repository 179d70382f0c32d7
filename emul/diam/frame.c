/* SPDX-License-Identifier: BSD-3-Clause */
/* Diameter on a byte stream (RFC 6733 3): each message says its own
 * length in the header's second to fourth bytes, so a reader waits for
 * that many and takes the message whole.  A header that cannot be one
 * (another version, shorter than a header, longer than imsbed takes)
 * ends the connection: nothing after it can be found again. */

#include <re.h>
#include "diam.h"

enum { DIAM_HDR = 20, DIAM_MAX = 1 << 20 };


int diam_frame(const uint8_t *p, size_t n, size_t *lenp, char *why,
	       size_t sz)
{
	uint32_t len;

	if (!p || !lenp)
		return EINVAL;

	*lenp = 0;
	if (n < 4)
		return 0;

	len = (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	if (p[0] != 1) {
		(void)re_snprintf(why, sz, "Diameter version %u, not 1",
				  p[0]);
		return EBADMSG;
	}
	if (len < DIAM_HDR || len % 4) {
		(void)re_snprintf(why, sz, "message length %u (at least 20, "
				  "a multiple of 4)", len);
		return EBADMSG;
	}
	if (len > DIAM_MAX) {
		(void)re_snprintf(why, sz, "message length %u, more than %u",
				  len, DIAM_MAX);
		return EMSGSIZE;
	}

	if (n >= len)
		*lenp = len;

	return 0;
}


static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		(uint32_t)p[2] << 8 | p[3];
}


int diam_peek(const uint8_t *p, size_t n, struct diam_hdr *h)
{
	if (!p || !h || n < DIAM_HDR)
		return EINVAL;

	h->flags = p[4];
	h->code = be32(p + 4) & 0xffffff;
	h->app = be32(p + 8);
	h->hbh = be32(p + 12);
	h->e2e = be32(p + 16);

	return 0;
}
