/* SPDX-License-Identifier: BSD-3-Clause */
/* What a proxy checks of a request before it forwards it (RFC 3261
 * 16.3), answered here so that no policy sees a request it could not
 * forward. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "proxy.h"

/* RFC 3261 16.3: the checks a proxy makes before it forwards. */
static bool unsupported(const struct sip_hdr *hdr, const struct sip_msg *msg,
			void *arg)
{
	const char *supported = arg;
	(void)msg;

	return !supported || pl_strcasecmp(&hdr->val, supported);
}


int proxy_validate(struct proxy *px, const struct sip_msg *msg)
{
	const struct sip_hdr *h;
	const char *why = NULL;
	uint16_t sc;

	/* Step 1, reasonable syntax, before anything else is asked. */
	sc = sipx_bad_request(msg, false, &why);
	if (sc) {
		elog(LOG_INFO, node_name(proxy_node(px)), "sip",
		     "%r from %J: %u %s", &msg->met, &msg->src, sc, why);
		(void)proxy_reply_reason(px, msg, sc, why);
		return EBADMSG;
	}

	if (pl_strcasecmp(&msg->uri.scheme, "sip") &&
	    pl_strcasecmp(&msg->uri.scheme, "sips") &&
	    pl_strcasecmp(&msg->uri.scheme, "tel")) {
		(void)proxy_reply(px, msg, 416, NULL);
		return EPROTO;
	}

	if (pl_isset(&msg->maxfwd) && pl_u32(&msg->maxfwd) == 0 &&
	    pl_strcmp(&msg->met, "ACK")) {
		(void)proxy_reply(px, msg, 483, NULL);
		return ELOOP;
	}

	/* RFC 3261 16.3 step 5: every Proxy-Require tag must be ours. */
	h = sip_msg_hdr_apply(msg, true, SIP_HDR_PROXY_REQUIRE, unsupported,
			      (void *)proxy_supported(px));
	if (h) {
		(void)proxy_reply(px, msg, 420, "Unsupported: %r\r\n",
				  &h->val);
		return ENOTSUP;
	}

	return 0;
}
