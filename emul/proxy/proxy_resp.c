/* SPDX-License-Identifier: BSD-3-Clause */
/* A response on its way back: the response as received less our Via
 * (16.7 step 9), and a response no transaction knows, forwarded without
 * one to the next Via when that is a node (16.7, 16.11). */

#include <stdarg.h>
#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "tsx.h"
#include "proxy.h"


/* RFC 3261 16.7 step 9: the response as received, less our Via. */
int proxy_response_rebuild(struct mbuf **mbp, const struct sip_msg *msg,
			   const enum sip_hdrid *idv,
			   const char *const *linev, size_t n)
{
	struct mbuf *mb;
	size_t i;
	int err;

	mb = mbuf_alloc(512 + mbuf_get_left(msg->mb));
	if (!mb)
		return ENOMEM;

	err = mbuf_printf(mb, "SIP/2.0 %u %r\r\n", msg->scode, &msg->reason);
	err |= sipx_print_hdrs(mb, msg, idv, n, true, false);
	for (i = 0; i < n; i++)
		err |= linev[i] ? mbuf_write_str(mb, linev[i]) : 0;
	err |= mbuf_write_str(mb, "\r\n");
	err |= mbuf_write_mem(mb, mbuf_buf(msg->mb), mbuf_get_left(msg->mb));
	mb->pos = 0;

	if (err)
		mem_deref(mb);
	else
		*mbp = mb;

	return err ? ENOMEM : 0;
}


int proxy_response_build(struct mbuf **mbp, const struct sip_msg *msg)
{
	return proxy_response_rebuild(mbp, msg, NULL, NULL, 0);
}


/* RFC 3261 16.7 / 16.11: a response no transaction knows (a 2xx
 * retransmission, say) is forwarded statelessly to the next Via. */
bool proxy_relay_stray(struct proxy *px, const struct sip_msg *msg)
{
	const struct sip_hdr *via2 = NULL;
	struct sip_via via;
	struct mbuf *mb = NULL;
	struct le *le;
	struct sa dst;
	bool first = true;

	if (!sip_transp_isladdr(node_sip(proxy_node(px)), SIP_TRANSP_NONE,
				&msg->via.addr))
		goto drop;

	for (le = msg->hdrl.head; le; le = le->next) {
		const struct sip_hdr *h = le->data;

		if (h->id != SIP_HDR_VIA)
			continue;
		if (first) {
			first = false;
			continue;
		}
		via2 = h;
		break;
	}

	if (!via2 || sip_via_decode(&via, &via2->val))
		goto drop;

	dst = via.addr;
	{
		struct pl v;

		if (!msg_param_decode(&via.params, "received", &v))
			(void)sa_set(&dst, &v, sa_port(&via.addr));
		if (!msg_param_decode(&via.params, "rport", &v) &&
		    pl_isset(&v))
			sa_set_port(&dst, pl_u32(&v));
	}
	if (!sa_port(&dst))
		sa_set_port(&dst, SIP_PORT);

	if (!emul_node_by_addr(&dst) || !netguard_allowed(&dst))
		goto drop;

	if (!proxy_response_build(&mb, msg)) {
		(void)tsxl_send(tsx_of(proxy_node(px)), NULL, via.tp, &dst,
				mb);
		mem_deref(mb);
	}

	return true;

 drop:
	netguard_note_drop();
	elog(LOG_INFO, node_name(proxy_node(px)), "route",
	     "stray response %u %r from %J dropped", msg->scode,
	     &msg->cseq.met, &msg->src);
	return true;
}


int proxy_reply(struct proxy *px, const struct sip_msg *msg,
		uint16_t scode, const char *fmt, ...)
{
	struct mbuf *mb = NULL;
	va_list ap;
	int err;

	if (!px || !msg)
		return EINVAL;

	if (!fmt)
		return tsx_reply(NULL, tsx_of(proxy_node(px)), msg, scode,
				 sipx_reason(scode));

	mb = mbuf_alloc(256);
	if (!mb)
		return ENOMEM;

	va_start(ap, fmt);
	err = mbuf_vprintf(mb, fmt, ap);
	va_end(ap);
	if (err)
		goto out;

	/* The caller's headers end the header block; the empty line that
	 * closes it is ours. */
	err = tsx_replyf(NULL, tsx_of(proxy_node(px)), msg, false, scode,
			 sipx_reason(scode), "%b\r\n", mb->buf, mb->end);
 out:
	mem_deref(mb);
	return err;
}


int proxy_reply_reason(struct proxy *px, const struct sip_msg *msg,
		       uint16_t scode, const char *reason)
{
	if (!px || !msg || !reason)
		return EINVAL;

	return tsx_reply(NULL, tsx_of(proxy_node(px)), msg, scode, reason);
}
