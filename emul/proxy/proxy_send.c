/* SPDX-License-Identifier: BSD-3-Clause */
/* A request on its way on (RFC 3261 16.6): the copy with our Via on top
 * (the transaction layer writes it), Max-Forwards less one, our
 * Record-Route when the request makes a dialog, the policy's headers,
 * and its next hop: the policy's target, the next Route, else the
 * Request-URI, always an address of the topology. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "tsx.h"
#include "proxy.h"


static bool print_via(const struct sip_hdr *hdr, const struct sip_msg *msg,
		      void *arg)
{
	struct mbuf *mb = arg;
	(void)msg;

	return 0 != (mbuf_write_str(mb, "Via: ") |
		     mbuf_write_pl(mb, &hdr->val) |
		     mbuf_write_str(mb, "\r\n"));
}


static int build(struct mbuf *mb, const struct proxy *px,
		 const struct sip_msg *msg, const struct proxy_fwd *fwd)
{
	enum sip_hdrid skip[16];
	size_t skipc = 0, i;
	uint32_t mf;
	int err = 0;

	/* Our Via goes on top (the transaction layer adds it); the earlier
	 * ones keep their order right below it. */
	if (sip_msg_hdr_apply(msg, true, SIP_HDR_VIA, print_via, mb))
		return ENOMEM;

	mf = pl_isset(&msg->maxfwd) ? pl_u32(&msg->maxfwd) : 71;
	err |= mbuf_printf(mb, "Max-Forwards: %u\r\n", mf ? mf - 1 : 0);
	/* RFC 3261 16.6 step 4, decided here once: a request that creates
	 * a dialog, not one inside it; and a NOTIFY, which makes the
	 * subscription's dialog when it overtakes the 200 to SUBSCRIBE
	 * (RFC 6665 4.1.2.4: a proxy on the path Record-Routes it). */
	if (fwd->record_route && ((!pl_isset(&msg->to.tag) &&
				   sipx_creates_dialog(msg)) ||
				  !pl_strcmp(&msg->met, "NOTIFY")))
		err |= mbuf_write_str(mb, proxy_rr(px));
	if (fwd->addhdrs)
		err |= mbuf_write_str(mb, fwd->addhdrs);
	if (err)
		return err;

	skip[skipc++] = SIP_HDR_VIA;
	skip[skipc++] = SIP_HDR_MAX_FORWARDS;
	for (i = 0; i < fwd->skipc && skipc < ARRAY_SIZE(skip); i++)
		skip[skipc++] = fwd->skipv[i];

	err = sipx_print_hdrs(mb, msg, skip, skipc, false, fwd->pop_route);
	if (err)
		return err;

	err = mbuf_write_str(mb, "\r\n");
	err |= mbuf_write_mem(mb, mbuf_buf(msg->mb), mbuf_get_left(msg->mb));
	mb->pos = 0;

	return err;
}


int proxy_send(struct proxy *px, const struct sip_msg *msg,
	       const struct proxy_fwd *fwd, struct tsxh **reqp,
	       tsx_resp_h *resph, void *arg)
{
	struct mbuf *mb = NULL;
	char routebuf[128], *ruri = NULL;
	struct pl route, target;
	struct uri ruri_u;
	char next[256], met[32];
	const char *to;
	int err;

	if (pl_strcpy(&msg->met, met, sizeof(met)))
		return EBADMSG;

	mb = mbuf_alloc(1024 + mbuf_get_left(msg->mb));
	if (!mb)
		return ENOMEM;

	err = build(mb, px, msg, fwd);
	if (err)
		goto out;

	if (fwd->ruri)
		err = str_dup(&ruri, fwd->ruri);
	else
		err = pl_strdup(&ruri, &msg->ruri);
	if (err)
		goto out;

	if (fwd->target)
		to = fwd->target;
	else if (proxy_route_next(msg, fwd->pop_route, next, sizeof(next)))
		to = next;
	else
		to = ruri;

	err = proxy_nexthop(px, &target, routebuf, sizeof(routebuf), to,
			    mb->end);
	/* Our own name as the Request-URI: nothing here to forward to. */
	if (err == ELOOP && to == ruri)
		err = EADDRNOTAVAIL;
	if (err)
		goto out;

	route = target;
	err = uri_decode(&ruri_u, &route);
	if (err)
		goto out;

	err = tsx_request(reqp, tsx_of(proxy_node(px)), resph != NULL, met,
			  ruri, &ruri_u, mb, resph, arg);
	if (!err && reqp && !strcmp(met, "INVITE"))
		tsx_pass_2xx(*reqp);

 out:
	mem_deref(ruri);
	mem_deref(mb);
	return err;
}


int proxy_forward_ack(struct proxy *px, const struct sip_msg *msg,
		      const struct proxy_fwd *fwd)
{
	if (!px || !msg || !fwd)
		return EINVAL;

	return proxy_send(px, msg, fwd, NULL, NULL, NULL);
}
