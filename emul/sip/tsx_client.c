/* SPDX-License-Identifier: BSD-3-Clause */
/* Client transactions (RFC 3261 17.1, RFC 6026): a request goes out with
 * a Via of ours and a fresh branch, is retransmitted over UDP by the
 * tables' timers, and its responses are matched by branch and CSeq
 * method (17.1.3).  The layer ACKs a non-2xx final itself (17.1.1.3);
 * the TU ACKs a 2xx, and the layer keeps that ACK and sends it again for
 * each retransmission of the 2xx, so that the TU sees the 2xx once.  A
 * 2xx nobody waits for any more (a proxy's, once relayed) goes back to
 * the node as a stray response, which a proxy forwards (16.7).  The
 * next hop is an address, never a name: imsbed resolves no DNS. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "tsx.h"
#include "tsxint.h"

enum { KEY_MAX = 512 };


static int client_key(char *buf, size_t sz, const struct pl *branch,
		      const struct pl *met)
{
	struct tsx_keyb k;

	tsx_key_init(&k, buf, sz, "c");
	tsx_key_pl(&k, branch);
	tsx_key_pl(&k, met);

	return tsx_key_end(&k);
}


static int ack_key(char *buf, size_t sz, const struct sip_msg *msg)
{
	struct tsx_keyb k;

	tsx_key_init(&k, buf, sz, "a");
	tsx_key_pl(&k, &msg->callid);
	tsx_key_u32(&k, msg->cseq.num);

	return tsx_key_end(&k);
}


static int next_hop(struct sa *dst, enum sip_transp *tp, const char *uri,
		    const struct uri *route)
{
	struct uri u;
	struct pl pl, v;

	if (route) {
		u = *route;
	}
	else {
		pl_set_str(&pl, uri);
		if (uri_decode(&u, &pl))
			return EINVAL;
	}

	/* A node's name or a loopback address, never DNS (node.c). */
	if (emul_resolve(dst, NULL, &u))
		return ENOENT;

	*tp = SIP_TRANSP_UDP;
	if (!msg_param_decode(&u.params, "transport", &v) &&
	    !pl_strcasecmp(&v, "tcp"))
		*tp = SIP_TRANSP_TCP;

	return 0;
}


/* The first line and our Via, then what the TU wrote. */
static int request_print(struct mbuf **mbp, struct tsxl *l, const char *met,
			 const char *uri, enum sip_transp tp,
			 const struct sa *dst, const char *branch,
			 struct mbuf *body)
{
	struct mbuf *mb = mbuf_alloc(1024);
	struct sa laddr;
	int err;

	if (!mb)
		return ENOMEM;

	err = sip_transp_laddr(l->sip, &laddr, tp, dst);
	if (!err)
		err = mbuf_printf(mb, "%s %s SIP/2.0\r\n"
				  "Via: SIP/2.0/%s %J;branch=%s;rport\r\n",
				  met, uri, sip_transp_name(tp), &laddr,
				  branch);
	if (!err)
		err = mbuf_write_mem(mb, mbuf_buf(body), mbuf_get_left(body));
	if (err) {
		mem_deref(mb);
		return err;
	}

	mb->pos = 0;
	*mbp = mb;

	return 0;
}


/* The TU's ACK of a 2xx: the INVITE transaction keeps it, to answer the
 * retransmissions of that 2xx with it. */
static void ack_sent(struct tsxl *l, struct mbuf *mb, const struct sa *dst,
		     enum sip_transp tp)
{
	struct sip_msg *msg = NULL;
	char key[KEY_MAX];
	struct le *le;

	mb->pos = 0;
	if (sip_msg_decode(&msg, mb))
		return;
	mb->pos = 0;

	if (!ack_key(key, sizeof(key), msg)) {
		le = list_head(hash_list(l->acks, hash_joaat_str(key)));
		for (; le; le = le->next) {
			struct tsx *t = le->data;

			if (!t->dkey || strcmp(t->dkey, key))
				continue;
			mem_deref(t->ack);
			t->ack = mem_ref(mb);
			t->dst = *dst;
			t->tp = tp;
			break;
		}
	}

	mem_deref(msg);
}


static int stateless(struct tsxl *l, const char *met, struct mbuf *mb,
		     const struct sa *dst, enum sip_transp tp)
{
	struct sa laddr;
	int err;

	if (!sip_transp_laddr(l->sip, &laddr, tp, dst))
		netguard_bind_hint(&laddr);
	err = tsxl_send(l, NULL, tp, dst, mb);
	netguard_bind_hint(NULL);

	if (!err && !strcmp(met, "ACK"))
		ack_sent(l, mb, dst, tp);

	return err;
}


int tsx_request(struct tsxh **hp, struct tsxl *l, bool stateful,
		const char *met, const char *uri, const struct uri *route,
		struct mbuf *mb, tsx_resp_h *resph, void *arg)
{
	char branch[24], key[KEY_MAX];
	struct mbuf *out = NULL;
	enum sip_transp tp;
	struct tsx *t;
	struct pl b, m;
	struct sa dst;
	int err;

	if (!l || !met || !uri || !mb)
		return EINVAL;

	err = next_hop(&dst, &tp, uri, route);
	if (err) {
		netguard_note_drop();
		elog(LOG_WARN, l->id, "route", "%s %s: the next hop is "
		     "outside the topology", met, uri);
		return err;
	}

	/* RFC 3261 16.11: sent without a transaction (a proxy's ACK of a
	 * 2xx), the same request gets the same branch, so that a copy the
	 * network made stays a copy on the next hop too. */
	if (!stateful || !strcmp(met, "ACK"))
		(void)re_snprintf(branch, sizeof(branch), "z9hG4bK%08x%08x",
				  hash_joaat_str(met) ^ hash_joaat_str(uri),
				  hash_joaat(mbuf_buf(mb),
					     mbuf_get_left(mb)));
	else
		(void)re_snprintf(branch, sizeof(branch), "z9hG4bK%016llx",
				  emul_rand_u64());
	err = request_print(&out, l, met, uri, tp, &dst, branch, mb);
	if (err)
		return err;

	if (!stateful || !strcmp(met, "ACK")) {
		err = stateless(l, met, out, &dst, tp);
		goto out;
	}

	pl_set_str(&b, branch);
	pl_set_str(&m, met);
	err = client_key(key, sizeof(key), &b, &m);
	if (!err)
		err = tsx_alloc(&t, l, strcmp(met, "INVITE") ? TSX_NICT :
				TSX_ICT, key);
	if (err)
		goto out;

	t->out = mem_ref(out);
	t->dst = dst;
	t->tp = tp;
	t->reliable = sip_transp_reliable(tp);
	t->resph = resph;
	t->arg = arg;
	++l->stats.client;

	err = tsx_hold(hp, t);
	if (err) {
		tsx_end(t);
		goto out;
	}

	mem_ref(t);
	tsx_event(t, TSX_EV_START, NULL);
	if (!t->l) {
		err = ENOTCONN;
		if (hp)
			*hp = mem_deref(*hp);
	}
	mem_deref(t);

 out:
	mem_deref(out);
	return err;
}


int tsx_requestf(struct tsxh **hp, struct tsxl *l, bool stateful,
		 const char *met, const char *uri, const struct uri *route,
		 tsx_resp_h *resph, void *arg, const char *fmt, ...)
{
	struct mbuf *mb = mbuf_alloc(1024);
	va_list ap;
	int err;

	if (!mb)
		return ENOMEM;

	va_start(ap, fmt);
	err = mbuf_vprintf(mb, fmt, ap);
	va_end(ap);

	mb->pos = 0;
	if (!err)
		err = tsx_request(hp, l, stateful, met, uri, route, mb, resph,
				  arg);

	mem_deref(mb);
	return err;
}


/* What an ACK (17.1.1.3) or a CANCEL (9.1) of our INVITE carries from
 * it: the Request-URI, the top Via with its branch, Route, From,
 * Call-ID and the CSeq number; To comes from the response for the ACK
 * and from the INVITE for the CANCEL. */
static int derive(struct mbuf **mbp, struct mbuf *inv_mb, const char *met,
		  const struct sip_msg *resp)
{
	struct sip_msg *inv = NULL;
	const struct sip_hdr *to;
	struct mbuf *mb = NULL;
	struct le *le;
	int err;

	inv_mb->pos = 0;
	err = sip_msg_decode(&inv, inv_mb);
	inv_mb->pos = 0;
	if (err)
		return err;

	to = sip_msg_hdr(resp ? resp : inv, SIP_HDR_TO);
	mb = mbuf_alloc(512);
	if (!mb || !to) {
		err = ENOMEM;
		goto out;
	}

	err = mbuf_printf(mb, "%s %r SIP/2.0\r\nVia: %r\r\n", met, &inv->ruri,
			  &inv->via.val);
	for (le = inv->hdrl.head; le && !err; le = le->next) {
		const struct sip_hdr *h = le->data;

		if (h->id == SIP_HDR_ROUTE)
			err = mbuf_printf(mb, "Route: %r\r\n", &h->val);
	}
	err |= mbuf_printf(mb, "Max-Forwards: 70\r\nTo: %r\r\nFrom: %r\r\n"
			   "Call-ID: %r\r\nCSeq: %u %s\r\n"
			   "Content-Length: 0\r\n\r\n", &to->val,
			   &inv->from.val, &inv->callid, inv->cseq.num, met);
	mb->pos = 0;

 out:
	mem_deref(inv);
	if (err)
		mem_deref(mb);
	else
		*mbp = mb;

	return err ? ENOMEM : 0;
}


static void send_cancel(struct tsx *t)
{
	struct mbuf *mb = NULL;
	char key[KEY_MAX];
	struct sip_msg *inv = NULL;
	struct tsx *c;

	if (derive(&mb, t->out, "CANCEL", NULL))
		return;

	t->out->pos = 0;
	if (sip_msg_decode(&inv, t->out))
		goto out;
	t->out->pos = 0;

	if (client_key(key, sizeof(key), &inv->via.branch, &(struct pl)
		       PL("CANCEL")) || tsx_alloc(&c, t->l, TSX_NICT, key))
		goto out;

	c->out = mem_ref(mb);
	c->dst = t->dst;
	c->tp = t->tp;
	c->reliable = t->reliable;
	++t->l->stats.client;
	tsx_event(c, TSX_EV_START, NULL);

 out:
	mem_deref(inv);
	mem_deref(mb);
}


void tsx_pass_2xx(struct tsxh *h)
{
	if (h && h->t)
		h->t->pass_2xx = true;
}


void tsx_cancel(struct tsxh *h)
{
	struct tsx *t = h ? h->t : NULL;

	if (!t || !t->l || t->kind != TSX_ICT)
		return;

	if (t->fsm.state == TSX_PROCEEDING)
		send_cancel(t);
	else if (t->fsm.state == TSX_CALLING)
		t->cancel = true;
}


static void pass(struct tsx *t, const struct sip_msg *msg)
{
	tsx_resp_h *h = t->resph;
	char key[KEY_MAX];

	if (msg->scode < 200) {
		if (!t->provisional && t->cancel)
			send_cancel(t);
		t->provisional = true;
	}

	/* The TU's 2xx (once; a proxy's may come again, pass_2xx): its
	 * ACK will be matched to us by Call-ID. */
	if (t->kind == TSX_ICT && msg->scode >= 200 && msg->scode < 300 &&
	    !t->dkey) {
		if (!ack_key(key, sizeof(key), msg) && !str_dup(&t->dkey, key))
			hash_append(t->l->acks, hash_joaat_str(key),
				    &t->he_ack, t);
		(void)pl_strdup(&t->dtag, &msg->to.tag);
	}

	/* A proxy's TU hears every 2xx until Timer M (RFC 6026 7.2). */
	if (t->pass_2xx && t->kind == TSX_ICT && msg->scode >= 200 &&
	    msg->scode < 300) {
		t->out = mem_deref(t->out);
		if (h)
			h(0, msg, t->arg);
		return;
	}

	/* After the final answer the TU hears no more (a 2xx repeated into
	 * Accepted is answered with the TU's ACK, or goes to the node as a
	 * stray response, which a proxy forwards upstream), and the request
	 * is not sent again. */
	if (msg->scode >= 200) {
		t->resph = NULL;
		t->out = mem_deref(t->out);
		tsx_unhold(t);
	}

	if (h)
		h(0, msg, t->arg);

	if (msg->scode >= 200)
		tsx_release(t);
}


static void tell(struct tsx *t, int err)
{
	tsx_resp_h *h = t->resph;

	t->resph = NULL;
	tsx_unhold(t);
	if (h)
		h(err, NULL, t->arg);
	tsx_release(t);
}


void tsx_client_act(struct tsx *t, unsigned act, const struct sip_msg *msg)
{
	/* A request that cannot leave at all is the caller's error,
	 * returned by tsx_request: no handler hears of it. */
	if ((act & TSX_DO_SEND) && tsx_send(t, t->out)) {
		t->resph = NULL;
		tsx_event(t, TSX_EV_TPERR, NULL);
		return;
	}

	if (act & TSX_DO_RESEND) {
		++t->l->stats.retransmitted;
		msgrec_mark_next(MSGREC_RETRANS);
		(void)tsx_send(t, t->out);
	}

	if ((act & TSX_DO_ACK) && t->ack) {
		/* The ACK again, for the final again. */
		msgrec_mark_next(MSGREC_RETRANS);
		(void)tsxl_send(t->l, NULL, t->tp, &t->dst, t->ack);
	}
	else if ((act & TSX_DO_ACK) && msg &&
		 !derive(&t->ack, t->out, "ACK", msg)) {
		(void)tsxl_send(t->l, NULL, t->tp, &t->dst, t->ack);
	}

	if ((act & TSX_DO_PASS) && msg)
		pass(t, msg);

	if (act & TSX_DO_TIMEOUT)
		tell(t, ETIMEDOUT);

	if (act & TSX_DO_FAILED)
		tell(t, ENOTCONN);
}


bool tsx_client_recv(struct tsxl *l, const struct sip_msg *msg)
{
	char key[KEY_MAX];
	struct tsx *t;

	if (client_key(key, sizeof(key), &msg->via.branch, &msg->cseq.met))
		return false;

	t = tsx_find(l, key);
	if (!t)
		return false;

	if (t->kind == TSX_ICT && t->fsm.state == TSX_ACCEPTED &&
	    msg->scode >= 200 && msg->scode < 300) {
		/* RFC 3261 13.2.2.4: another branch's 2xx is another
		 * dialog, the TU's to ACK (and end), not a repeat */
		if (t->dtag && pl_strcmp(&msg->to.tag, t->dtag))
			return false;
		if (t->ack) {
			++l->stats.absorbed;
			msgrec_mark_next(MSGREC_RETRANS);
			(void)tsxl_send(l, NULL, t->tp, &t->dst, t->ack);
			return true;
		}
		if (!t->pass_2xx)
			return false;
	}

	tsx_event(t, tsx_resp_event(msg->scode), msg);

	return true;
}
