/* SPDX-License-Identifier: BSD-3-Clause */
/* The UE as a phone: it takes an INVITE and rings, answers, refuses as
 * busy, declines or lets it ring, as the scenario says; it answers an
 * offer or makes one in its 200 (RFC 3264, both forms of RFC 3725's
 * 3PCC), starts SRTP media once the ACK completes the exchange, and ends
 * the call with BYE or on one.  One call at a time. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "ue.h"
#include "ueint.h"
#include "media.h"

static const char *const call_states[] = {
	"idle", "ringing", "answered", "established", "ended",
};


const char *ue_call_state_name(enum ue_call_state st)
{
	return (size_t)st < ARRAY_SIZE(call_states) ? call_states[st] : "?";
}


static void call_state(struct ue *ue, enum ue_call_state st,
		       const char *event)
{
	elog(LOG_DEBUG, node_name(ue->node), "fsm", "call(%s){%s}: %s -> %s",
	     ue->impu, ue_call_state_name(ue->call.state), event,
	     ue_call_state_name(st));
	ue->call.state = st;
}


static void call_clear(struct ue *ue)
{
	struct call *c = &ue->call;

	tmr_cancel(&c->tmr);
	media_stop(c->media);
	c->st = mem_deref(c->st);
	c->inv = mem_deref(c->inv);
	c->req = mem_deref(c->req);
	c->dlg = mem_deref(c->dlg);
}


/* Our SDP: an answer to the peer's offer, or the offer of a 200 to an
 * INVITE without one (RFC 3725 flow I). */
static int sdp_ours(struct ue *ue, char *buf, size_t sz)
{
	struct call *c = &ue->call;
	int err;

	if (!c->media) {
		err = media_alloc(&c->media, ue->node);
		if (err)
			return err;
	}

	return sdp_print(buf, sz, media_laddr(c->media),
			 media_key(c->media), emul_rand_u64() >> 1);
}


static void answer(void *arg)
{
	struct ue *ue = arg;
	struct call *c = &ue->call;
	char sdp[512], contact[256];
	struct pl body;

	if (c->state != UE_CALL_RINGING || !c->inv)
		return;

	if (sdp_ours(ue, sdp, sizeof(sdp))) {
		(void)sip_treply(&c->st, node_sip(ue->node), c->inv, 500,
				 "Server Internal Error");
		call_clear(ue);
		call_state(ue, UE_CALL_ENDED, "error");
		return;
	}

	/* An offer in the INVITE is answered here; the media starts with
	 * the ACK either way. */
	body.p = (const char *)mbuf_buf(c->inv->mb);
	body.l = mbuf_get_left(c->inv->mb);
	c->offer_in_invite = body.l > 0;
	if (c->offer_in_invite &&
	    sdp_parse(&body, &c->peer, c->peer_key, sizeof(c->peer_key))) {
		(void)sip_treply(&c->st, node_sip(ue->node), c->inv, 488,
				 "Not Acceptable Here");
		call_clear(ue);
		call_state(ue, UE_CALL_ENDED, "488");
		return;
	}

	(void)ue_contact(contact, sizeof(contact), ue);
	(void)sip_treplyf(&c->st, NULL, node_sip(ue->node), c->inv, true,
			  200, "OK", "Contact: <%s>\r\n"
			  "Content-Type: application/sdp\r\n"
			  "Content-Length: %zu\r\n\r\n%s", contact,
			  strlen(sdp), sdp);
	call_state(ue, UE_CALL_ANSWERED, "answer");
}


static void cancel_handler(void *arg)
{
	struct ue *ue = arg;
	struct call *c = &ue->call;

	/* RFC 3261 9.2: the INVITE ends with 487. */
	(void)sip_treply(&c->st, node_sip(ue->node), c->inv, 487,
			 "Request Terminated");
	call_clear(ue);
	call_state(ue, UE_CALL_ENDED, "CANCEL");
}


static void invite(struct ue *ue, const struct sip_msg *msg)
{
	struct call *c = &ue->call;
	struct sip *sip = node_sip(ue->node);
	char contact[256];

	if (c->state == UE_CALL_RINGING || c->state == UE_CALL_ANSWERED ||
	    c->state == UE_CALL_ESTABLISHED || ue->answer == UE_BUSY) {
		(void)sip_treply(NULL, sip, msg, 486, "Busy Here");
		return;
	}

	if (ue->answer == UE_DECLINE) {
		(void)sip_treply(NULL, sip, msg, 603, "Decline");
		return;
	}

	call_clear(ue);
	(void)ue_contact(contact, sizeof(contact), ue);
	if (sip_strans_alloc(&c->st, sip, msg, cancel_handler, ue) ||
	    dlg_uas(&c->dlg, ue->node, msg, contact)) {
		call_clear(ue);
		(void)sip_treply(NULL, sip, msg, 500, "Server Internal Error");
		return;
	}

	c->inv = mem_ref((void *)msg);
	++c->calls;
	(void)sip_treplyf(&c->st, NULL, sip, msg, true, 180, "Ringing",
			  "Contact: <%s>\r\nContent-Length: 0\r\n\r\n",
			  contact);
	call_state(ue, UE_CALL_RINGING, "INVITE");

	if (ue->answer == UE_ANSWER)
		tmr_start(&c->tmr, ue->answer_delay, answer, ue);
}


static void ack(struct ue *ue, const struct sip_msg *msg)
{
	struct call *c = &ue->call;
	struct pl body;
	int err;

	if (c->state != UE_CALL_ANSWERED)
		return;

	c->st = mem_deref(c->st);
	c->inv = mem_deref(c->inv);

	/* Flow I: the answer to our offer comes in the ACK. */
	if (!c->offer_in_invite) {
		body.p = (const char *)mbuf_buf(msg->mb);
		body.l = mbuf_get_left(msg->mb);
		if (sdp_parse(&body, &c->peer, c->peer_key,
			      sizeof(c->peer_key))) {
			elog(LOG_INFO, node_name(ue->node), "call",
			     "ACK declines the stream: no media");
			call_state(ue, UE_CALL_ESTABLISHED, "ACK (no media)");
			return;
		}
	}

	/* A port of 0 or no address is a stream declined or on hold. */
	if (!sa_port(&c->peer) || !sa_isset(&c->peer, SA_ADDR)) {
		call_state(ue, UE_CALL_ESTABLISHED, "ACK (no media)");
		return;
	}

	err = media_start(c->media, &c->peer, c->peer_key);
	if (err)
		elog(LOG_WARN, node_name(ue->node), "media",
		     "cannot start: %m", err);
	call_state(ue, UE_CALL_ESTABLISHED, "ACK");
}


static void bye(struct ue *ue, const struct sip_msg *msg)
{
	(void)sip_treply(NULL, node_sip(ue->node), msg, 200, "OK");
	call_clear(ue);
	call_state(ue, UE_CALL_ENDED, "BYE");
}


bool ue_call_request(struct ue *ue, const struct sip_msg *msg)
{
	struct call *c = &ue->call;
	bool in_dialog = c->dlg && dlg_match(c->dlg, msg);

	if (!pl_strcmp(&msg->met, "INVITE")) {
		if (pl_isset(&msg->to.tag)) {
			(void)sip_treply(NULL, node_sip(ue->node), msg, 488,
					 "Not Acceptable Here");
			return true;
		}
		invite(ue, msg);
		return true;
	}

	if (!pl_strcmp(&msg->met, "ACK")) {
		if (in_dialog)
			ack(ue, msg);
		return true;
	}

	if (!pl_strcmp(&msg->met, "BYE")) {
		if (in_dialog)
			bye(ue, msg);
		else
			(void)sip_treply(NULL, node_sip(ue->node), msg, 481,
					 "Call/Transaction Does Not Exist");
		return true;
	}

	return false;
}


static void bye_resp(int err, const struct sip_msg *msg, void *arg)
{
	struct ue *ue = arg;
	ue_done_h *h = ue->cdoneh;

	if (!err && msg && msg->scode < 200)
		return;

	ue->call.req = NULL;
	ue->cdoneh = NULL;
	if (h)
		h(err, msg ? msg->scode : 0, ue->carg);
}


int ue_hangup(struct ue *ue, ue_done_h *doneh, void *arg)
{
	struct call *c;
	int err;

	if (!ue)
		return EINVAL;

	c = &ue->call;
	if (c->state != UE_CALL_ESTABLISHED || !c->dlg) {
		elog(LOG_WARN, node_name(ue->node), "fsm",
		     "call(%s){%s}: hangup refused in this state", ue->impu,
		     ue_call_state_name(c->state));
		return EALREADY;
	}

	media_stop(c->media);
	ue->cdoneh = doneh;
	ue->carg = arg;

	err = dlg_request(&c->req, c->dlg, "BYE", NULL, NULL, NULL,
			  bye_resp, ue);
	if (err)
		return err;

	c->dlg = mem_deref(c->dlg);
	call_state(ue, UE_CALL_ENDED, "hangup");

	return 0;
}


void ue_set_answer(struct ue *ue, enum ue_answer mode, uint32_t delay_ms)
{
	if (!ue)
		return;

	ue->answer = mode;
	ue->answer_delay = delay_ms;
}


void ue_call_close(struct ue *ue)
{
	call_clear(ue);
	ue->call.media = mem_deref(ue->call.media);
}


int ue_call_query(struct re_printf *pf, const struct ue *ue,
		  const char *what, const char *arg)
{
	uint32_t sent, rcvd, fail;
	(void)arg;

	media_counts(ue->call.media, &sent, &rcvd, &fail);

	if (!str_casecmp(what, "call"))
		return re_hprintf(pf, "%s",
				  ue_call_state_name(ue->call.state));
	if (!str_casecmp(what, "calls"))
		return re_hprintf(pf, "%u", ue->call.calls);
	if (!str_casecmp(what, "media_sent"))
		return re_hprintf(pf, "%u", sent);
	if (!str_casecmp(what, "media_received"))
		return re_hprintf(pf, "%u", rcvd);
	if (!str_casecmp(what, "media_auth_failures"))
		return re_hprintf(pf, "%u", fail);
	if (!str_casecmp(what, "media_replays"))
		return re_hprintf(pf, "%u", media_replays(ue->call.media));

	return ENOTSUP;
}
