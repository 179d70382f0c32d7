/* SPDX-License-Identifier: BSD-3-Clause */
/* Server transactions (RFC 3261 17.2, RFC 6026): every request that
 * matches none makes one before the node sees it, so a retransmission
 * is absorbed, or answered with the last response, from the first
 * moment.  Matching is by the top Via's branch, sent-by and method
 * (17.2.3), with the RFC 2543 rule for a branch without the magic
 * cookie.  A CANCEL is answered here (9.2) and its INVITE's TU told; a
 * UAS's own 2xx is resent until its ACK (13.3.1.4), which is matched by
 * Call-ID and CSeq since it is a transaction of its own. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "tsx.h"
#include "tsxint.h"

enum { T100_MS = 200, KEY_MAX = 512 };


static int server_key(char *buf, size_t sz, const struct sip_msg *msg,
		      const struct pl *met)
{
	const struct pl *b = &msg->via.branch;
	struct tsx_keyb k;

	if (b->l > 7 && !memcmp(b->p, "z9hG4bK", 7)) {
		tsx_key_init(&k, buf, sz, "s");
		tsx_key_pl(&k, b);
		tsx_key_pl(&k, &msg->via.sentby);
		tsx_key_pl(&k, met);
		return tsx_key_end(&k);
	}

	/* RFC 3261 17.2.3: a request without the magic cookie */
	tsx_key_init(&k, buf, sz, "s2543");
	tsx_key_pl(&k, &msg->ruri);
	tsx_key_pl(&k, &msg->from.tag);
	tsx_key_pl(&k, &msg->callid);
	tsx_key_u32(&k, msg->cseq.num);
	tsx_key_pl(&k, met);
	tsx_key_pl(&k, &msg->via.sentby);

	return tsx_key_end(&k);
}


static int dialog_key(char *buf, size_t sz, const struct sip_msg *msg)
{
	struct tsx_keyb k;

	tsx_key_init(&k, buf, sz, "");
	tsx_key_pl(&k, &msg->callid);
	tsx_key_u32(&k, msg->cseq.num);

	return tsx_key_end(&k);
}


/* The top Via of a response: where the request really came from (RFC
 * 3581), rport moved to the end with the port it came from. */
static int via_print(struct mbuf *mb, const struct sip_msg *msg,
		     const struct sip_hdr *h, bool *rport)
{
	const char *end = h->val.p + h->val.l;
	struct pl rp;
	int err;

	*rport = !msg_param_exists(&msg->via.params, "rport", &rp);

	err = mbuf_printf(mb, "%r: ", &h->name);
	if (*rport)
		err |= mbuf_printf(mb, "%b%b;rport=%u", h->val.p,
				   (size_t)(rp.p - h->val.p), rp.p + rp.l,
				   (size_t)(end - rp.p - rp.l),
				   sa_port(&msg->src));
	else
		err |= mbuf_write_pl(mb, &h->val);

	if (*rport || !sa_cmp(&msg->src, &msg->via.addr, SA_ADDR))
		err |= mbuf_printf(mb, ";received=%j", &msg->src);

	return err | mbuf_write_str(mb, "\r\n");
}


/* 8.2.6.2: the request's Vias, From, To with our tag, Call-ID, CSeq,
 * and its Record-Route where the answer makes a dialog. */
static int resp_print(struct mbuf *mb, const struct sip_msg *msg,
		      bool rec_route, uint16_t scode, const char *reason,
		      bool *rport)
{
	uint32_t vias = 0;
	struct le *le;
	int err;

	err = mbuf_printf(mb, "SIP/2.0 %u %s\r\n", scode, reason);
	for (le = msg->hdrl.head; le && !err; le = le->next) {
		const struct sip_hdr *h = le->data;

		switch (h->id) {

		case SIP_HDR_VIA:
			if (vias++)
				err = mbuf_printf(mb, "%r: %r\r\n", &h->name,
						  &h->val);
			else
				err = via_print(mb, msg, h, rport);
			break;

		case SIP_HDR_TO:
			err = mbuf_printf(mb, "%r: %r", &h->name, &h->val);
			if (!pl_isset(&msg->to.tag) && scode > 100)
				err |= mbuf_printf(mb, ";tag=%016llx",
						   msg->tag);
			err |= mbuf_write_str(mb, "\r\n");
			break;

		case SIP_HDR_RECORD_ROUTE:
			if (!rec_route)
				break;
			/* fall through */
		case SIP_HDR_FROM:
		case SIP_HDR_CALL_ID:
		case SIP_HDR_CSEQ:
			err = mbuf_printf(mb, "%r: %r\r\n", &h->name,
					  &h->val);
			break;

		default:
			break;
		}
	}

	return err ? ENOMEM : mbuf_write_str(mb, "Server: imsbed\r\n");
}


static struct tsx *server_new(struct tsxl *l, const struct sip_msg *msg,
			      const char *key)
{
	bool inv = !pl_strcmp(&msg->met, "INVITE");
	struct tsx *t;

	if (tsx_alloc(&t, l, inv ? TSX_IST : TSX_NIST, key))
		return NULL;

	t->req = mem_ref((void *)msg);
	(void)pl_strcpy(&msg->met, t->met, sizeof(t->met));
	t->sock = mem_ref(msg->sock);
	t->tp = msg->tp;
	t->reliable = sip_transp_reliable(msg->tp);
	sip_reply_addr(&t->dst, msg, true);
	++l->stats.server;

	/* Until the TU holds it or answers, a guard: a request nobody
	 * answers does not stay for ever. */
	tsx_timer(t, TSX_TGUARD, 64ULL * l->cfg.t1);
	tsx_event(t, TSX_EV_START, msg);

	return t;
}


static struct tsx *server_find(struct tsxl *l, const struct sip_msg *msg,
			       const char *met)
{
	char key[KEY_MAX];
	struct pl m;

	if (met)
		pl_set_str(&m, met);
	else
		m = msg->met;

	if (server_key(key, sizeof(key), msg, &m))
		return NULL;

	return tsx_find(l, key);
}


static bool ack_recv(struct tsxl *l, const struct sip_msg *msg)
{
	struct tsx *t = server_find(l, msg, "INVITE");
	char dkey[KEY_MAX];
	struct le *le;

	/* The ACK of a non-2xx is the INVITE transaction's own (17.2.1). */
	if (t && t->kind == TSX_IST && t->fsm.state != TSX_ACCEPTED) {
		++l->stats.absorbed;
		tsx_event(t, TSX_EV_ACK, msg);
		return true;
	}

	/* The ACK of a 2xx is a transaction of its own, for the TU; it
	 * ends our resends of that 2xx. */
	if (dialog_key(dkey, sizeof(dkey), msg))
		return false;

	le = list_head(hash_list(l->acks, hash_joaat_str(dkey)));
	for (; le; le = le->next) {
		struct tsx *u = le->data;

		if (strcmp(u->dkey, dkey))
			continue;
		hash_unlink(&u->he_ack);
		if (u->rt_id == TSX_T2XX)
			tsx_rt_stop(u);
		tsx_event(u, TSX_EV_ACK, msg);
		break;
	}

	return false;
}


/* 9.2: the CANCEL is answered here, 200 when it matches a transaction
 * (whatever its state), 481 when none; a ringing INVITE's TU hears of
 * it and answers 487, or the layer does when nobody holds it. */
static void cancel_recv(struct tsxl *l, const struct sip_msg *msg)
{
	struct tsx *inv = server_find(l, msg, "INVITE");

	if (!inv) {
		(void)tsx_reply(NULL, l, msg, 481,
				"Call/Transaction Does Not Exist");
		return;
	}

	(void)tsx_reply(NULL, l, msg, 200, "OK");

	if (inv->fsm.state != TSX_PROCEEDING)
		return;

	if (inv->cancelh)
		inv->cancelh(inv->arg);
	else if (!inv->h)
		(void)tsx_reply(NULL, l, inv->req, 487, "Request Terminated");
}


bool tsx_server_recv(struct tsxl *l, const struct sip_msg *msg)
{
	char key[KEY_MAX];
	struct tsx *t;

	if (!pl_strcmp(&msg->met, "ACK"))
		return ack_recv(l, msg);

	if (server_key(key, sizeof(key), msg, &msg->met))
		return false;

	t = tsx_find(l, key);
	if (t) {
		++l->stats.absorbed;
		tsx_event(t, TSX_EV_REQ, msg);
		return true;
	}

	t = server_new(l, msg, key);
	if (!t)
		return false;

	if (!pl_strcmp(&msg->met, "CANCEL")) {
		cancel_recv(l, msg);
		return true;
	}

	return false;
}


static int send_trying(struct tsx *t)
{
	struct mbuf *mb;
	bool rport;
	int err;

	if (!t->req)
		return 0;

	mb = mbuf_alloc(512);
	if (!mb)
		return ENOMEM;

	err  = resp_print(mb, t->req, false, 100, "Trying", &rport);
	err |= mbuf_write_str(mb, "Content-Length: 0\r\n\r\n");
	if (!err) {
		mem_deref(t->out);
		t->out = mb;
		return tsx_send(t, mb);
	}

	mem_deref(mb);
	return err;
}


/* A UAS's 2xx goes out again at T1, 2T1 ... T2 until its ACK comes or
 * Timer L ends the transaction (13.3.1.4 with RFC 6026), over TCP too:
 * the ACK is end to end, and a hop beyond the first may be UDP and lose
 * the 2xx or the ACK, which only the UAS's retransmission brings back. */
static void uas_2xx(struct tsx *t)
{
	char dkey[KEY_MAX];

	if (dialog_key(dkey, sizeof(dkey), t->req) || str_dup(&t->dkey, dkey))
		return;

	hash_append(t->l->acks, hash_joaat_str(dkey), &t->he_ack, t);
	tsx_timer(t, TSX_T2XX, t->l->cfg.t1);
}


void tsx_server_act(struct tsx *t, unsigned act)
{
	struct tsxl *l = t->l;

	if (act & TSX_DO_SEND) {
		if (tsx_send(t, t->out))
			tsx_event(t, TSX_EV_TPERR, NULL);
		else if (t->uas && t->fsm.state == TSX_ACCEPTED &&
			 !t->dkey)
			uas_2xx(t);

		/* Answered: what stays until the end is the answer, for
		 * the retransmissions, not the request (under load a UDP
		 * transaction lingers 32 s). */
		if (t->scode >= 200)
			t->req = mem_deref(t->req);
	}

	if (t->l && (act & TSX_DO_RESEND)) {
		++l->stats.retransmitted;
		msgrec_mark_next(MSGREC_RETRANS);
		if (t->out)
			(void)tsx_send(t, t->out);
		else if (t->kind == TSX_IST)
			(void)send_trying(t);
	}

	if (t->l && (act & TSX_DO_100))
		tsx_timer(t, TSX_T100, T100_MS);

	if (act & TSX_DO_TIMEOUT)
		elog(LOG_INFO, l->id, "tsx", "%s: no ACK for %u (Timer H)",
		     t->met, t->scode);

	if (act & TSX_DO_FAILED)
		elog(LOG_INFO, l->id, "tsx", "%s: response %u not sent: "
		     "transport error", t->met, t->scode);
}


void tsx_server_timer(struct tsx *t, unsigned id)
{
	uint64_t back;

	switch (id) {

	case TSX_T100:
		if (t->fsm.state == TSX_PROCEEDING && !t->out)
			(void)send_trying(t);
		break;

	case TSX_T2XX:
		if (t->fsm.state != TSX_ACCEPTED || !t->out)
			break;
		++t->l->stats.retransmitted;
		msgrec_mark_next(MSGREC_RETRANS);
		(void)tsx_send(t, t->out);
		back = (uint64_t)t->l->cfg.t1 << MIN(t->rt_n, 16u);
		tsx_timer(t, TSX_T2XX, MIN(back, t->l->cfg.t2));
		break;

	case TSX_TGUARD:
		elog(LOG_INFO, t->l->id, "tsx", "%s: nobody answered",
		     t->met);
		tsx_end(t);
		break;

	default:
		break;
	}
}


/* The request's transaction, made now if the request came before the
 * layer did (or its transaction has gone). */
static struct tsx *server_get(struct tsxl *l, const struct sip_msg *msg)
{
	char key[KEY_MAX];
	struct tsx *t;

	if (server_key(key, sizeof(key), msg, &msg->met))
		return NULL;

	t = tsx_find(l, key);

	return t ? t : server_new(l, msg, key);
}


/* The response goes out through the request's transaction. */
static int respond(struct tsxh **hp, struct tsxl *l,
		   const struct sip_msg *msg, const struct sa *dst,
		   uint16_t scode, struct mbuf *mb, bool uas)
{
	enum tsx_event ev = tsx_resp_event(scode);
	const struct tsx_rule *r;
	struct tsx *t;
	int err = 0;

	if (!l || !msg || !mb)
		return EINVAL;

	t = server_get(l, msg);
	if (!t)
		return ENOMEM;

	/* Answered, or held: the guard is done. */
	if (t->to_id == TSX_TGUARD)
		wtmr_cancel(&t->to);
	if (t->rt_id == TSX_T100)
		tsx_rt_stop(t);

	r = tsx_rule(t->kind, (enum tsx_state)t->fsm.state, ev);
	if (r && (r->act & TSX_DO_SEND)) {
		/* Kept for the retransmissions: no more room than it needs. */
		if (scode >= 200)
			(void)mbuf_resize(mb, mb->end);
		mem_deref(t->out);
		t->out = mem_ref(mb);
		if (dst)
			t->dst = *dst;
		t->scode = scode;
		t->uas = uas;
	}

	mem_ref(t);
	tsx_event(t, ev, NULL);
	if (!t->l && scode < 200)
		err = ENOTCONN;
	else if (scode < 200)
		err = tsx_hold(hp, t);
	else if (hp)
		*hp = mem_deref(*hp);
	mem_deref(t);

	return err;
}


static int vreplyf(struct tsxh **hp, struct tsxl *l,
		   const struct sip_msg *msg, bool rec_route, uint16_t scode,
		   const char *reason, const char *fmt, va_list ap)
{
	struct mbuf *mb;
	bool rport = false;
	int err;

	if (!l || !msg || !reason)
		return EINVAL;

	if (!pl_strcmp(&msg->met, "ACK"))
		return 0;

	mb = mbuf_alloc(1024);
	if (!mb)
		return ENOMEM;

	err = resp_print(mb, msg, rec_route, scode, reason, &rport);
	if (!err && fmt)
		err = mbuf_vprintf(mb, fmt, ap);
	else if (!err)
		err = mbuf_write_str(mb, "Content-Length: 0\r\n\r\n");

	if (!err)
		err = respond(hp, l, msg, NULL, scode, mb, true);

	mem_deref(mb);
	return err;
}


int tsx_replyf(struct tsxh **hp, struct tsxl *l, const struct sip_msg *msg,
	       bool rec_route, uint16_t scode, const char *reason,
	       const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = vreplyf(hp, l, msg, rec_route, scode, reason, fmt, ap);
	va_end(ap);

	return err;
}


int tsx_reply(struct tsxh **hp, struct tsxl *l, const struct sip_msg *msg,
	      uint16_t scode, const char *reason)
{
	return tsx_replyf(hp, l, msg, false, scode, reason, NULL);
}


int tsx_relay(struct tsxh **hp, struct tsxl *l, const struct sip_msg *msg,
	      const struct sa *dst, uint16_t scode, struct mbuf *mb)
{
	return respond(hp, l, msg, dst, scode, mb, false);
}


int tsx_watch(struct tsxh **hp, struct tsxl *l, const struct sip_msg *msg,
	      tsx_cancel_h *cancelh, void *arg)
{
	struct tsx *t;
	int err;

	if (!hp || !l || !msg)
		return EINVAL;

	t = server_get(l, msg);
	if (!t)
		return ENOMEM;

	err = tsx_hold(hp, t);
	if (err)
		return err;

	if (t->to_id == TSX_TGUARD)
		wtmr_cancel(&t->to);
	t->cancelh = cancelh;
	t->arg = arg;

	return 0;
}
