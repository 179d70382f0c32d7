/* SPDX-License-Identifier: BSD-3-Clause */
/* The phones' SDP (RFC 4566, offer/answer RFC 3264): one audio stream,
 * RTP/SAVP with PCMU, the sender's SRTP key in a=crypto (RFC 4568). */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "media.h"


int sdp_print(char *buf, size_t sz, const struct sa *rtp, const char *key64,
	      uint64_t sessid, const char *dir)
{
	return re_snprintf(buf, sz,
			   "v=0\r\n"
			   "o=- %llu 1 IN IP4 %j\r\n"
			   "s=imsbed\r\n"
			   "c=IN IP4 %j\r\n"
			   "t=0 0\r\n"
			   "m=audio %u RTP/SAVP 0\r\n"
			   "a=rtpmap:0 PCMU/8000\r\n"
			   "a=ptime:20\r\n"
			   "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s\r\n"
			   "a=%s\r\n",
			   (unsigned long long)sessid, rtp, rtp, sa_port(rtp),
			   key64, dir ? dir : "sendrecv") < 0 ? ENOMEM : 0;
}


const char *sdp_answer_dir(const struct pl *body, bool *sending)
{
	static const struct {
		const char *offer, *answer;
		bool sends;
	} dirs[] = {
		{"sendonly", "recvonly", true},
		{"recvonly", "sendonly", false},
		{"inactive", "inactive", false},
	};
	char a[16];
	size_t i;

	*sending = true;
	for (i = 0; body && i < ARRAY_SIZE(dirs); i++) {
		(void)re_snprintf(a, sizeof(a), "a=%s", dirs[i].offer);
		if (!re_regex(body->p, body->l, a)) {
			*sending = dirs[i].sends;
			return dirs[i].answer;
		}
	}

	return "sendrecv";
}


int sdp_parse(const struct pl *body, struct sa *rtp, char *key64,
	      size_t ksz)
{
	struct pl ip, port, key;

	if (!body || !pl_isset(body))
		return ENOENT;

	if (re_regex(body->p, body->l, "c=IN IP4 [0-9.]+", &ip) ||
	    re_regex(body->p, body->l, "m=audio [0-9]+ RTP/SAVP", &port) ||
	    re_regex(body->p, body->l,
		     "a=crypto:[0-9]+ AES_CM_128_HMAC_SHA1_80 "
		     "inline:[^|\r\n]+",
		     NULL, &key))
		return EBADMSG;

	if (sa_set(rtp, &ip, (uint16_t)pl_u32(&port)))
		return EBADMSG;

	return pl_strcpy(&key, key64, ksz);
}
