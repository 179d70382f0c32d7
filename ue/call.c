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
#include "tsx.h"
#include "ue.h"
#include "ueint.h"
#include "media.h"
#include "call.h"

static const char *const call_states[] = {
	"idle", "ringing", "answered", "established", "ended", "calling",
};


const char *ue_call_state_name(enum ue_call_state st)
{
	return (size_t)st < ARRAY_SIZE(call_states) ? call_states[st] : "?";
}


void ue_call_set_state(struct ue_call *c, enum ue_call_state st,
		       const char *event)
{
	elog(LOG_DEBUG, node_name(c->ue->node), "fsm",
	     "call(%s){%s}: %s -> %s", c->ue->impu,
	     ue_call_state_name(c->state), event, ue_call_state_name(st));
	c->state = st;
}


void ue_call_clear(struct ue_call *c)
{
	wtmr_cancel(&c->tmr);
	media_stop(c->media);
	c->st = mem_deref(c->st);
	c->inv = mem_deref(c->inv);
	c->req = mem_deref(c->req);
	c->inv_req = mem_deref(c->inv_req);
	c->re_req = mem_deref(c->re_req);
	c->re_st = mem_deref(c->re_st);
	wtmr_cancel(&c->tmr_rel);
	c->rel_pending = false;
	c->peer_rseq = 0;
	c->prack_req = mem_deref(c->prack_req);
	wtmr_cancel(&c->tmr_se);
	c->to = mem_deref(c->to);
	c->hdrs = mem_deref(c->hdrs);
	c->callid = mem_deref(c->callid);
	c->se = 0;
	c->se_watch = false;
	c->early_sdp = mem_deref(c->early_sdp);
	c->early_rel = false;
	c->early_answered = false;
	c->rel_183 = false;
	c->rseq = 0;
	c->precond = false;
	c->qos_sent = false;
	c->qos_met = false;
	c->dir = NULL;
	c->held = false;
	c->dlg = mem_deref(c->dlg);
}


static void destructor(void *arg)
{
	struct ue_call *c = arg;

	ue_call_clear(c);
	mem_deref(c->media);
}


/* Our SDP: an answer to the peer's offer, or the offer of a 200 to an
 * INVITE without one (RFC 3725 flow I). */
int ue_call_sdp(struct ue_call *c, char *buf, size_t sz)
{
	int err;

	if (!c->media) {
		err = media_alloc(&c->media, c->ue->node);
		if (err)
			return err;
	}

	return sdp_print(buf, sz, media_laddr(c->media),
			 media_key(c->media), emul_rand_u64() >> 1, c->dir);
}


/* The final answer of an INVITE being answered, and its end. */
static void refuse_invite(struct ue_call *c, uint16_t scode,
			  const char *reason)
{
	(void)tsx_reply(&c->st, tsx_of(c->ue->node), c->inv, scode,
			 reason);
	ue_call_clear(c);
}


static void answer(void *arg)
{
	struct ue_call *c = arg;
	char sdp[512], contact[256], se[96];
	struct pl body;

	if (c->state != UE_CALL_RINGING || !c->inv)
		return;

	/* After a reliable 183 the exchange is over: a 200 without SDP;
	 * after an unreliable one, the same answer again. */
	if (c->early_sdp) {
		(void)ue_contact(contact, sizeof(contact), c->ue);
		ue_stimer_invited(c, c->inv);
		(void)ue_stimer_hdrs(c, se, sizeof(se), true);
		(void)tsx_replyf(&c->st, tsx_of(c->ue->node), c->inv, true,
				  200, "OK", "Contact: <%s>\r\n%s"
				  "%s"
				  "Content-Length: %zu\r\n\r\n%s", contact, se,
				  c->early_rel ? "" :
				  "Content-Type: application/sdp\r\n",
				  c->early_rel ? (size_t)0 :
				  strlen(c->early_sdp),
				  c->early_rel ? "" : c->early_sdp);
		c->early_sdp = mem_deref(c->early_sdp);
		ue_call_set_state(c, UE_CALL_ANSWERED, "answer");
		return;
	}

	if (ue_call_sdp(c, sdp, sizeof(sdp))) {
		refuse_invite(c, 500, "Server Internal Error");
		ue_call_set_state(c, UE_CALL_ENDED, "error");
		return;
	}

	/* An offer in the INVITE is answered here; the media starts with
	 * the ACK either way. */
	body.p = (const char *)mbuf_buf(c->inv->mb);
	body.l = mbuf_get_left(c->inv->mb);
	c->offer_in_invite = body.l > 0;
	if (c->offer_in_invite &&
	    sdp_parse(&body, &c->peer, c->peer_key, sizeof(c->peer_key))) {
		refuse_invite(c, 488, "Not Acceptable Here");
		ue_call_set_state(c, UE_CALL_ENDED, "488");
		return;
	}

	(void)ue_contact(contact, sizeof(contact), c->ue);
	ue_stimer_invited(c, c->inv);
	(void)ue_stimer_hdrs(c, se, sizeof(se), true);
	(void)tsx_replyf(&c->st, tsx_of(c->ue->node), c->inv, true,
			  200, "OK", "Contact: <%s>\r\n%s"
			  "Content-Type: application/sdp\r\n"
			  "Content-Length: %zu\r\n\r\n%s", contact, se,
			  strlen(sdp), sdp);
	ue_call_set_state(c, UE_CALL_ANSWERED, "answer");
}


/* The callee's own no-answer timer: 480 (RFC 3261 21.4.18). */
static void no_answer(void *arg)
{
	struct ue_call *c = arg;

	if (c->state != UE_CALL_RINGING || !c->inv)
		return;

	refuse_invite(c, 480, "Temporarily Unavailable");
	ue_call_set_state(c, UE_CALL_ENDED, "no answer");
}


static void cancel_handler(void *arg)
{
	struct ue_call *c = arg;

	/* RFC 3261 9.2: the INVITE ends with 487. */
	refuse_invite(c, 487, "Request Terminated");
	ue_call_set_state(c, UE_CALL_ENDED, "CANCEL");
}


static void invite(struct ue_call *c, const struct sip_msg *msg)
{
	struct tsxl *l = tsx_of(c->ue->node);
	char contact[256];

	if (c->state == UE_CALL_RINGING || c->state == UE_CALL_ANSWERED ||
	    c->state == UE_CALL_ESTABLISHED || c->answer == UE_BUSY) {
		(void)tsx_reply(NULL, l, msg, 486, "Busy Here");
		return;
	}

	if (c->answer == UE_DECLINE || c->answer == UE_REJECT) {
		uint16_t sc = c->answer == UE_REJECT ? c->reject_code : 603;

		(void)tsx_reply(NULL, l, msg, sc, sipx_reason(sc));
		return;
	}

	if (ue_stimer_refuse(c, msg))
		return;

	ue_call_clear(c);
	(void)ue_contact(contact, sizeof(contact), c->ue);
	if (tsx_watch(&c->st, l, msg, cancel_handler, c) ||
	    dlg_uas(&c->dlg, c->ue->node, msg, contact)) {
		ue_call_clear(c);
		(void)tsx_reply(NULL, l, msg, 500, "Server Internal Error");
		return;
	}

	c->inv = mem_ref((void *)msg);
	++c->calls;
	if (ue_precond_invite(c, msg))
		return;

	/* RFC 3262: reliably, when the caller can PRACK it */
	if (ue_early_answer(c, msg) && !c->early_rel)
		(void)ue_early_183(c, contact);
	else if (ue_prack_offered(msg))
		(void)ue_prack_ring(c);
	else
		(void)tsx_replyf(&c->st, l, msg, true, 180, "Ringing",
				 "Contact: <%s>\r\n"
				 "Content-Length: 0\r\n\r\n", contact);
	ue_call_set_state(c, UE_CALL_RINGING, "INVITE");
	ue_call_ring(c);
}


void ue_call_ring(struct ue_call *c)
{
	if (c->answer == UE_ANSWER)
		wtmr_start(&c->tmr, c->answer_delay, answer, c);
	else if (c->answer == UE_UNAVAILABLE)
		wtmr_start(&c->tmr, c->answer_delay, no_answer, c);
}


static void ack(struct ue_call *c, const struct sip_msg *msg)
{
	const char *node = node_name(c->ue->node);
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
			elog(LOG_INFO, node, "call",
			     "ACK declines the stream: no media");
			ue_call_set_state(c, UE_CALL_ESTABLISHED,
					  "ACK (no media)");
			return;
		}
	}

	/* early media (early.c) runs on */
	if (media_is_sending(c->media)) {
		ue_call_set_state(c, UE_CALL_ESTABLISHED, "ACK");
		return;
	}

	/* A port of 0 or no address is a stream declined or on hold. */
	if (!sa_port(&c->peer) || !sa_isset(&c->peer, SA_ADDR)) {
		ue_call_set_state(c, UE_CALL_ESTABLISHED, "ACK (no media)");
		return;
	}

	err = media_start(c->media, &c->peer, c->peer_key);
	if (err)
		elog(LOG_WARN, node, "media", "cannot start: %m", err);
	ue_call_set_state(c, UE_CALL_ESTABLISHED, "ACK");
}


static void bye(struct ue_call *c, const struct sip_msg *msg)
{
	(void)tsx_reply(NULL, tsx_of(c->ue->node), msg, 200, "OK");
	ue_call_clear(c);
	ue_call_set_state(c, UE_CALL_ENDED, "BYE");
}


static bool call_request(void *part, const struct sip_msg *msg)
{
	struct ue_call *c = part;
	struct tsxl *l = tsx_of(c->ue->node);
	bool in_dialog = c->dlg && dlg_match(c->dlg, msg);

	if (!pl_strcmp(&msg->met, "INVITE")) {
		if (in_dialog && c->state == UE_CALL_ESTABLISHED)
			ue_call_reinvite(c, msg);
		else if (pl_isset(&msg->to.tag))
			(void)tsx_reply(NULL, l, msg, 481,
					 "Call/Transaction Does Not Exist");
		else
			invite(c, msg);
		return true;
	}

	if (!pl_strcmp(&msg->met, "ACK")) {
		if (in_dialog && !ue_call_reack(c, msg))
			ack(c, msg);
		return true;
	}

	if (!pl_strcmp(&msg->met, "UPDATE")) {
		if (in_dialog && ue_precond_update(c, msg))
			return true;
		if (in_dialog && c->state == UE_CALL_ESTABLISHED)
			ue_call_reinvite(c, msg);
		else
			(void)tsx_reply(NULL, l, msg, 481,
					"Call/Transaction Does Not Exist");
		return true;
	}

	if (!pl_strcmp(&msg->met, "PRACK")) {
		if (in_dialog)
			(void)ue_prack_request(c, msg);
		else
			(void)tsx_reply(NULL, l, msg, 481,
					"Call/Transaction Does Not Exist");
		return true;
	}

	if (!pl_strcmp(&msg->met, "BYE")) {
		if (in_dialog)
			bye(c, msg);
		else
			(void)tsx_reply(NULL, l, msg, 481,
					 "Call/Transaction Does Not Exist");
		return true;
	}

	return false;
}


static void bye_resp(int err, const struct sip_msg *msg, void *arg)
{
	struct ue_call *c = arg;

	if (!err && msg && msg->scode < 200)
		return;

	c->req = NULL;
	ue_done(&c->doneh, c->arg, err, msg ? msg->scode : 0);
}


int ue_hangup(struct ue *ue, ue_done_h *doneh, void *arg)
{
	struct ue_call *c = ue_part(ue, UE_PART_CALL);
	int err;

	if (!c)
		return EINVAL;

	if (c->state != UE_CALL_ESTABLISHED || !c->dlg) {
		elog(LOG_WARN, node_name(ue->node), "fsm",
		     "call(%s){%s}: hangup refused in this state", ue->impu,
		     ue_call_state_name(c->state));
		return EALREADY;
	}

	media_stop(c->media);
	c->doneh = doneh;
	c->arg = arg;

	err = dlg_request(&c->req, c->dlg, "BYE", NULL, NULL, NULL,
			  bye_resp, c);
	if (err)
		return err;

	c->dlg = mem_deref(c->dlg);
	ue_call_set_state(c, UE_CALL_ENDED, "hangup");

	return 0;
}


void ue_set_reject_code(struct ue *ue, uint16_t code)
{
	struct ue_call *c = ue_part(ue, UE_PART_CALL);

	if (c)
		c->reject_code = code;
}


static struct ue_call *ringing(struct ue *ue)
{
	struct ue_call *c = ue_part(ue, UE_PART_CALL);

	if (!c || c->state != UE_CALL_RINGING || !c->inv) {
		elog(LOG_WARN, node_name(ue->node), "fsm", "call(%s){%s}: "
		     "no call rings here", ue->impu,
		     c ? ue_call_state_name(c->state) : "none");
		return NULL;
	}

	return c;
}


int ue_call_answer(struct ue *ue)
{
	struct ue_call *c = ringing(ue);

	if (!c)
		return EALREADY;

	wtmr_cancel(&c->tmr);
	answer(c);

	return 0;
}


int ue_call_reject(struct ue *ue, uint16_t code)
{
	struct ue_call *c = ringing(ue);

	if (!c)
		return EALREADY;

	refuse_invite(c, code, sipx_reason(code));
	ue_call_set_state(c, UE_CALL_ENDED, "rejected");

	return 0;
}


void ue_set_early_media(struct ue *ue, bool on)
{
	struct ue_call *c = ue_part(ue, UE_PART_CALL);

	if (c)
		c->early_media = on;
}


void ue_set_min_se(struct ue *ue, uint32_t secs)
{
	struct ue_call *c = ue_part(ue, UE_PART_CALL);

	if (c)
		c->min_se = secs;
}


void ue_set_answer(struct ue *ue, enum ue_answer mode, uint32_t delay_ms)
{
	struct ue_call *c = ue_part(ue, UE_PART_CALL);

	if (!c)
		return;

	c->answer = mode;
	c->answer_delay = delay_ms;
}


static int call_query(struct re_printf *pf, const void *part,
		      const char *what, const char *arg)
{
	const struct ue_call *c = part;
	uint32_t sent, rcvd, fail;
	(void)arg;

	media_counts(c->media, &sent, &rcvd, &fail);

	if (!str_casecmp(what, "call"))
		return re_hprintf(pf, "%s", ue_call_state_name(c->state));
	if (!str_casecmp(what, "calls"))
		return re_hprintf(pf, "%u", c->calls);
	if (!str_casecmp(what, "media_sent"))
		return re_hprintf(pf, "%u", sent);
	if (!str_casecmp(what, "media_received"))
		return re_hprintf(pf, "%u", rcvd);
	if (!str_casecmp(what, "media_auth_failures"))
		return re_hprintf(pf, "%u", fail);
	if (!str_casecmp(what, "media_replays"))
		return re_hprintf(pf, "%u", media_replays(c->media));
	if (!str_casecmp(what, "media_sending"))
		return re_hprintf(pf, "%s", media_is_sending(c->media) ?
				  "yes" : "no");
	if (!str_casecmp(what, "call_direction"))
		return re_hprintf(pf, "%s", c->dir ? c->dir : "sendrecv");

	return ENOTSUP;
}


const struct ue_part ue_part_call = {
	"call", sizeof(struct ue_call), destructor, NULL, call_request,
	call_query,
};
