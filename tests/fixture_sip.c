/* SPDX-License-Identifier: BSD-3-Clause */
/* What the SIP suites share (test_proxy.c, test_dialog.c): a raw UDP
 * agent on an ephemeral loopback port, and the response such an agent
 * sends back, built by hand so that no SIP stack of ours is in the way. */

#include <string.h>
#include <re.h>
#include "tests.h"


int test_udp_open(struct udp_sock **usp, struct sa *addr, udp_recv_h *recvh,
		  void *arg)
{
	int err;

	err = sa_set_str(addr, "127.0.0.1", 0);
	err = err ? err : udp_listen(usp, addr, recvh, arg);
	err = err ? err : udp_local_get(*usp, addr);

	return err;
}


int test_sip_reply(struct udp_sock *us, const struct sip_msg *msg,
		   uint16_t sc, const char *reason, const char *totag)
{
	struct mbuf *mb = mbuf_alloc(512);
	struct le *le;
	int err;

	if (!mb)
		return ENOMEM;

	err = mbuf_printf(mb, "SIP/2.0 %u %s\r\n", sc, reason);
	for (le = msg->hdrl.head; le && !err; le = le->next) {
		const struct sip_hdr *h = le->data;

		if (h->id == SIP_HDR_VIA || h->id == SIP_HDR_FROM ||
		    h->id == SIP_HDR_CALL_ID || h->id == SIP_HDR_CSEQ)
			err = mbuf_printf(mb, "%r: %r\r\n", &h->name, &h->val);
		else if (h->id == SIP_HDR_TO && pl_isset(&msg->to.tag))
			err = mbuf_printf(mb, "To: %r\r\n", &h->val);
		else if (h->id == SIP_HDR_TO)
			err = mbuf_printf(mb, "To: %r;tag=%s\r\n", &h->val,
					  totag);
	}
	err = err ? err : mbuf_write_str(mb, "Content-Length: 0\r\n\r\n");
	mb->pos = 0;
	err = err ? err : udp_send(us, &msg->src, mb);
	mem_deref(mb);

	return err;
}
