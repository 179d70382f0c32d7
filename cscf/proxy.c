/* SPDX-License-Identifier: BSD-3-Clause */
/* The proxy core: one server transaction paired with one client
 * transaction per forwarded request (RFC 3261 16 and 17), on imsbed's
 * transaction layer, so that retransmissions are absorbed, INVITE gets
 * its 100 Trying, CANCEL follows its INVITE and timeouts become 408.  The
 * CSCF policies say where a request goes and what it carries; this file
 * does the forwarding, written once for all three. */

#include <stdarg.h>
#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "tsx.h"
#include "proxy.h"

struct proxy {
	struct node *node;
	struct list ptxl;
	const struct proxy_policy *pol;
	void *impl;
	char *rr;               /* our Record-Route line */
};

/* A proxied transaction. */
struct ptx {
	struct le le;
	struct proxy *px;
	struct tsxh *st;
	struct tsxh *req;
	struct sip_msg *msg;
	proxy_resp_h *resph;
	void *arg;
	/* the response's headers to replace by these lines, one relay */
	enum sip_hdrid rep_idv[PROXY_REPLACE];
	char *rep_linev[PROXY_REPLACE];
	size_t repc;
};


static void replace_flush(struct ptx *t)
{
	while (t->repc) {
		--t->repc;
		t->rep_linev[t->repc] = mem_deref(t->rep_linev[t->repc]);
	}
}


static void ptx_destructor(void *arg)
{
	struct ptx *t = arg;

	list_unlink(&t->le);
	replace_flush(t);
	mem_deref(t->req);
	mem_deref(t->st);
	mem_deref(t->msg);
	mem_deref(t->arg);
}


static void proxy_destructor(void *arg)
{
	struct proxy *px = arg;

	list_flush(&px->ptxl);
	mem_deref(px->rr);
}


static bool request_handler(const struct sip_msg *msg, void *arg)
{
	struct proxy *px = arg;
	bool ack = !pl_strcmp(&msg->met, "ACK");

	/* RFC 3261 16.3: an ACK is never answered, so it is not checked. */
	if (!ack && proxy_validate(px, msg))
		return true;

	if (px->pol->admit && px->pol->admit(px->impl, msg))
		return true;

	if (ack) {
		struct proxy_fwd fwd;

		proxy_fwd_init(&fwd, px, msg);
		(void)proxy_forward_ack(px, msg, &fwd);
		return true;
	}

	px->pol->request(px->impl, msg);

	return true;
}


static bool stray_handler(const struct sip_msg *msg, void *arg)
{
	return proxy_relay_stray(arg, msg);
}


static int query_handler(struct re_printf *pf, void *arg, const char *what,
			 const char *qarg)
{
	struct proxy *px = arg;

	return px->pol->query ? px->pol->query(pf, px->impl, what, qarg) :
		ENOTSUP;
}


static const struct node_ops ops = {
	.reqh  = request_handler,
	.resph = stray_handler,
	.query = query_handler,
};


int proxy_alloc(struct proxy **pxp, struct node *node,
		const struct proxy_policy *pol, void *impl)
{
	struct proxy *px;

	if (!pxp || !node || !pol || !pol->request)
		return EINVAL;

	px = mem_zalloc(sizeof(*px), proxy_destructor);
	if (!px)
		return ENOMEM;

	px->node = node;
	px->pol = pol;
	px->impl = impl;
	if (re_sdprintf(&px->rr, "Record-Route: <sip:%s;lr>\r\n",
			node_host(node))) {
		mem_deref(px);
		return ENOMEM;
	}

	/* The node's transaction layer, there before the first message. */
	if (!tsx_of(node)) {
		mem_deref(px);
		return ENOMEM;
	}

	node_set_impl(node, px, &ops);
	*pxp = px;

	return 0;
}


void proxy_fwd_init(struct proxy_fwd *fwd, const struct proxy *px,
		    const struct sip_msg *msg)
{
	memset(fwd, 0, sizeof(*fwd));
	fwd->pop_route = proxy_route_is_mine(px, msg, NULL);
}


struct node *proxy_node(const struct proxy *px)
{
	return px ? px->node : NULL;
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
		return tsx_reply(NULL, tsx_of(px->node), msg, scode,
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
	err = tsx_replyf(NULL, tsx_of(px->node), msg, false, scode,
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

	return tsx_reply(NULL, tsx_of(px->node), msg, scode, reason);
}


/* RFC 3261 16.3: the checks a proxy makes before it forwards. */
static bool unsupported(const struct sip_hdr *hdr, const struct sip_msg *msg,
			void *arg)
{
	const struct proxy_policy *pol = arg;
	(void)msg;

	return !pol->supported || pl_strcasecmp(&hdr->val, pol->supported);
}


int proxy_validate(struct proxy *px, const struct sip_msg *msg)
{
	const struct sip_hdr *h;
	const char *why = NULL;
	uint16_t sc;

	/* Step 1, reasonable syntax, before anything else is asked. */
	sc = sipx_bad_request(msg, false, &why);
	if (sc) {
		elog(LOG_INFO, node_name(px->node), "sip", "%r from %J: %u %s",
		     &msg->met, &msg->src, sc, why);
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
			      (void *)px->pol);
	if (h) {
		(void)proxy_reply(px, msg, 420, "Unsupported: %r\r\n",
				  &h->val);
		return ENOTSUP;
	}

	return 0;
}


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
	 * a dialog, not one inside it. */
	if (fwd->record_route && !pl_isset(&msg->to.tag) &&
	    sipx_creates_dialog(msg))
		err |= mbuf_write_str(mb, px->rr);
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


static int relay_response(struct ptx *t, const struct sip_msg *msg)
{
	struct mbuf *mb = NULL;
	struct sa dst;
	int err;

	err = proxy_response_rebuild(&mb, msg, t->rep_idv,
				     (const char *const *)t->rep_linev,
				     t->repc);
	replace_flush(t);
	if (err)
		return err;

	sip_reply_addr(&dst, t->msg, true);
	if (!netguard_allowed(&dst)) {
		netguard_note_drop();
		elog(LOG_WARN, node_name(t->px->node), "route",
		     "response to %J is outside the topology: dropped", &dst);
		err = EACCES;
		goto out;
	}

	err = tsx_relay(&t->st, tsx_of(t->px->node), t->msg, &dst, msg->scode,
			mb);

 out:
	mem_deref(mb);
	return err;
}


static void response_handler(int err, const struct sip_msg *msg, void *arg)
{
	struct ptx *t = arg;

	if (err || !msg) {
		err = err ? err : ETIMEDOUT;
		elog(LOG_INFO, node_name(t->px->node), "txn",
		     "%r to %r: no response (%m)", &t->msg->met,
		     &t->msg->ruri, err);
		t->req = NULL;
		if (t->resph && t->resph(err, NULL, t, t->arg) && t->req)
			return;
		/* RFC 3261 16.8: Timer B or F gives 408; a transport error
		 * counts as a 503 (8.1.3.1). */
		if (t->st)
			(void)proxy_reply(t->px, t->msg,
					  err == ETIMEDOUT ? 408 : 503, NULL);
		mem_deref(t);
		return;
	}

	if (msg->scode == 100)
		return;   /* hop by hop: ours went out already */

	if (t->resph)
		(void)t->resph(0, msg, t, t->arg);

	(void)relay_response(t, msg);

	if (msg->scode >= 200) {
		t->req = NULL;
		mem_deref(t);
	}
}


static void cancel_handler(void *arg)
{
	struct ptx *t = arg;

	/* RFC 3261 16.10: CANCEL the pending client transaction; the
	 * 487 comes back up through response_handler. */
	tsx_cancel(t->req);
}


static int send_request(struct proxy *px, const struct sip_msg *msg,
			const struct proxy_fwd *fwd, bool stateful,
			struct ptx *t)
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

	err = tsx_request(t ? &t->req : NULL, tsx_of(px->node), stateful,
			  met, ruri, &ruri_u, mb,
			  stateful ? response_handler : NULL, t);

 out:
	mem_deref(ruri);
	mem_deref(mb);
	return err;
}


int proxy_forward(struct proxy *px, const struct sip_msg *msg,
		  const struct proxy_fwd *fwd, proxy_resp_h *resph,
		  void *arg)
{
	struct tsxl *l;
	struct ptx *t;
	int err;

	if (!px || !msg || !fwd)
		return EINVAL;

	l = tsx_of(px->node);

	t = mem_zalloc(sizeof(*t), ptx_destructor);
	if (!t)
		return ENOMEM;

	list_append(&px->ptxl, &t->le, t);
	t->px = px;
	t->msg = mem_ref((void *)msg);
	t->resph = resph;
	t->arg = mem_ref(arg);

	err = tsx_watch(&t->st, l, msg, cancel_handler, t);
	if (err)
		goto out;

	/* RFC 3261 16.2: a stateful proxy answers INVITE with 100 at
	 * once, so that the upstream stops retransmitting. */
	if (!pl_strcmp(&msg->met, "INVITE")) {
		err = tsx_reply(&t->st, l, msg, 100, "Trying");
		if (err)
			goto out;
	}

	err = send_request(px, msg, fwd, true, t);

 out:
	if (err) {
		/* The strans answers what could not be forwarded. */
		if (t->st) {
			uint16_t sc = (err == ENOENT || err == EACCES) ? 0 :
				err == ELOOP ? 482 : err == EADDRNOTAVAIL ?
				404 : 503;

			if (sc)
				(void)tsx_reply(&t->st, l, msg, sc,
						sipx_reason(sc));
		}
		mem_deref(t);
	}

	return err;
}


/* The same request to a new target, on the same server transaction:
 * how an S-CSCF goes past an AS that did not answer (DefaultHandling
 * SESSION_CONTINUED). */
int proxy_reforward(struct ptx *t, const struct proxy_fwd *fwd,
		    proxy_resp_h *resph, void *arg)
{
	if (!t || !fwd)
		return EINVAL;

	t->resph = resph;
	if (arg != t->arg) {
		mem_deref(t->arg);
		t->arg = mem_ref(arg);
	}

	return send_request(t->px, t->msg, fwd, true, t);
}


void proxy_ptx_replace(struct ptx *t, enum sip_hdrid id, char *line)
{
	if (!t || t->repc == PROXY_REPLACE) {
		mem_deref(line);
		return;
	}

	t->rep_idv[t->repc] = id;
	t->rep_linev[t->repc++] = line;
}


const struct sip_msg *proxy_ptx_msg(const struct ptx *t)
{
	return t ? t->msg : NULL;
}


int proxy_forward_ack(struct proxy *px, const struct sip_msg *msg,
		      const struct proxy_fwd *fwd)
{
	if (!px || !msg || !fwd)
		return EINVAL;

	return send_request(px, msg, fwd, false, NULL);
}
