/* SPDX-License-Identifier: BSD-3-Clause */
/* The UE as caller (TS 24.229 5.1.3, RFC 3261 13.2): an INVITE with an
 * SRTP offer through its P-CSCF and Service-Route, the answer from the
 * 200 and the ACK, the media started on it; a CANCEL while it rings
 * (RFC 3261 9.1), whose 487 ends the call, or, when the 200 crossed it,
 * a BYE.  The call is the one the
 * phone side (call.c) keeps: the same dialog, media and hangup. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "tsx.h"
#include "ue.h"
#include "ueint.h"
#include "media.h"
#include "call.h"


/* RFC 3261 13.2.2.4: the ACK carries the INVITE's CSeq; after a PRACK
 * the early dialog has gone past it, so the ACK goes from a dialog made
 * of the 2xx alone and the early one carries on. */
static int ack_2xx(struct ue_call *c, const struct sip_msg *msg,
		   const char *contact, const char *sdp)
{
	const char *ctype = sdp ? "application/sdp" : NULL;
	struct dlg *d = NULL;
	struct pl body;
	int err;

	if (sdp)
		pl_set_str(&body, sdp);

	if (!c->dlg) {
		err = dlg_uac(&c->dlg, c->ue->node, msg, false, c->cseq,
			      contact);
		return err ? err : dlg_request(NULL, c->dlg, "ACK", NULL,
					       ctype, sdp ? &body : NULL,
					       NULL, NULL);
	}

	err = dlg_uac(&d, c->ue->node, msg, false, c->cseq, contact);
	if (!err)
		err = dlg_request(NULL, d, "ACK", NULL, ctype,
				  sdp ? &body : NULL, NULL, NULL);
	mem_deref(d);

	return err;
}


/* RFC 3264 (RFC 3261 13.2.1): an INVITE without an offer gets one in
 * the 200, and our answer goes in the ACK: a real one with media: late,
 * else the stream declined (port 0, RFC 3264 6).  NULL: no offer came
 * (nothing to answer), or ours was in the INVITE. */
static const char *ack_answer(struct ue_call *c, const struct sip_msg *msg,
			      char *buf, size_t sz)
{
	struct pl body;

	body.p = (const char *)mbuf_buf(msg->mb);
	body.l = mbuf_get_left(msg->mb);
	if (c->offer_in_invite || !body.l)
		return NULL;

	if (c->late_offer &&
	    !sdp_parse(&body, &c->peer, c->peer_key, sizeof(c->peer_key)) &&
	    sa_port(&c->peer) && !ue_call_sdp(c, buf, sz)) {
		c->answer_in_ack = true;
		return buf;
	}

	return sipx_sdp_decline;
}


static void answered(struct ue_call *c, const struct sip_msg *msg)
{
	const char *node = node_name(c->ue->node);
	char contact[256], sdp[512];
	struct pl body;
	int err;

	(void)ue_contact(contact, sizeof(contact), c->ue);
	c->answer_in_ack = false;
	err = ack_2xx(c, msg, contact, ack_answer(c, msg, sdp, sizeof(sdp)));
	if (err) {
		elog(LOG_WARN, node, "call", "200 to INVITE: no ACK (%m)",
		     err);
		ue_call_set_state(c, UE_CALL_ENDED, "200 (no dialog)");
		return;
	}

	if (ue_early_established(c)) {
		ue_stimer_answered(c, msg);
		return;
	}

	body.p = (const char *)mbuf_buf(msg->mb);
	body.l = mbuf_get_left(msg->mb);
	if (c->answer_in_ack) {
		err = media_start(c->media, &c->peer, c->peer_key);
		if (err)
			elog(LOG_WARN, node, "media", "cannot start: %m",
			     err);
		ue_call_set_state(c, UE_CALL_ESTABLISHED,
				  "200 (offer), ACK (answer)");
		ue_stimer_answered(c, msg);
		return;
	}
	if (!c->offer_in_invite || sdp_parse(&body, &c->peer, c->peer_key,
					     sizeof(c->peer_key)) ||
	    !sa_port(&c->peer)) {
		ue_call_set_state(c, UE_CALL_ESTABLISHED, "200 (no media)");
		return;
	}

	err = media_start(c->media, &c->peer, c->peer_key);
	if (err)
		elog(LOG_WARN, node, "media", "cannot start: %m", err);
	ue_call_set_state(c, UE_CALL_ESTABLISHED, "200");
	ue_stimer_answered(c, msg);
}


static int send_invite(struct ue_call *c);


/* "N\r\n" for the Min-SE line of a retry */
static const char *min_se_line(struct ue_call *c)
{
	(void)re_snprintf(c->min_se_buf, sizeof(c->min_se_buf), "%u\r\n",
			  c->se);
	return c->min_se_buf;
}


static void invite_resp(int err, const struct sip_msg *msg, void *arg)
{
	struct ue_call *c = arg;

	if (!err && msg && msg->scode < 200) {
		if (msg->scode > 100) {
			ue_prack_provisional(c, msg);
			ue_early_provisional(c, msg);
		}
		if (msg->scode > 100 && c->state == UE_CALL_CALLING) {
			ue_call_set_state(c, UE_CALL_RINGING, "18x");
			if (c->until_ringing)
				ue_done(&c->doneh, c->arg, 0, msg->scode);
		}
		return;
	}

	c->inv_req = NULL;
	if (!err && msg && ue_stimer_retry(c, msg)) {
		++c->cseq;
		if (!send_invite(c))
			return;
	}
	if (!err && msg && msg->scode < 300) {
		answered(c, msg);
		/* RFC 3261 15 (and 9.1): our CANCEL came too late; the call
		 * we no longer want is ACKed, then ended. */
		if (c->cancelled && c->state == UE_CALL_ESTABLISHED) {
			ue_done_h *h = c->doneh;
			void *a = c->arg;

			(void)ue_hangup(c->ue, NULL, NULL);
			c->doneh = h;
			c->arg = a;
		}
	}
	else {
		ue_call_clear(c);
		ue_call_set_state(c, UE_CALL_ENDED, msg ? "final" : "timeout");
	}

	ue_done(&c->doneh, c->arg, err ? err : msg ? 0 : ETIMEDOUT,
		msg ? msg->scode : 0);
}


/* Our INVITE as it was (a retry after a 422 is the same request with a
 * longer interval and the next CSeq, RFC 4028 7.4). */
static int send_invite(struct ue_call *c)
{
	struct ue *ue = c->ue;
	char route[96], contact[256], sdp[768] = "", se[96];
	struct uri rt;
	int err;

	err = ue_pcscf_route(&rt, route, sizeof(route), ue);
	err |= ue_contact(contact, sizeof(contact), ue);
	if (!err && c->offer_in_invite)
		err = c->precond ? ue_precond_offer(c, sdp, sizeof(sdp)) :
			ue_call_sdp(c, sdp, sizeof(sdp));
	if (!err)
		err = ue_stimer_hdrs(c, se, sizeof(se), false);
	if (err)
		return err;

	netguard_bind_hint(node_addr(ue->node));
	return tsx_requestf(&c->inv_req, tsx_of(ue->node), true, "INVITE",
			    c->to, &rt, invite_resp, c,
			    "Route: <sip:%s;lr>\r\n"
			    "%s"
			    "From: <%s>;tag=%s\r\n"
			    "To: <%s>\r\n"
			    "Call-ID: %s\r\n"
			    "CSeq: %u INVITE\r\n"
			    "Contact: <%s>\r\n"
			    "%s%s%s%s%s%s%s"
			    "Content-Length: %zu\r\n"
			    "\r\n%s",
			    node_host(ue->pcscf), ue->routes ? ue->routes : "",
			    ue->impu, c->ftag, c->to, c->callid, c->cseq,
			    contact, c->prack ? "Supported: 100rel\r\n" : "",
			    c->precond ? "Require: precondition\r\n" : "",
			    se, c->se_retried ? "Min-SE: " : "",
			    c->se_retried ? min_se_line(c) : "",
			    c->hdrs ? c->hdrs : "",
			    c->offer_in_invite ?
			    "Content-Type: application/sdp\r\n" : "",
			    strlen(sdp), sdp);
}


int ue_call(struct ue *ue, const char *to, const struct ue_call_opt *opt,
	    ue_done_h *doneh, void *arg)
{
	struct ue_call *c = ue_part(ue, UE_PART_CALL);
	int err;

	if (!c || !to || !opt)
		return EINVAL;
	if (!ue_registered_for(ue, "call"))
		return EALREADY;
	if (c->state != UE_CALL_IDLE && c->state != UE_CALL_ENDED) {
		elog(LOG_WARN, node_name(ue->node), "fsm", "call(%s){%s}: a"
		     " call is under way", ue->impu,
		     ue_call_state_name(c->state));
		return EALREADY;
	}

	ue_call_clear(c);
	c->offer_in_invite = opt->media && !opt->late_offer;
	c->late_offer = opt->late_offer;
	c->until_ringing = opt->until_ringing;
	/* RFC 3312 11: preconditions need reliable provisionals */
	c->precond = opt->precondition && opt->media && !opt->late_offer;
	c->prack = opt->prack || c->precond;
	c->se = opt->session_expires;
	c->se_watch = opt->refresher_uas;
	c->se_retried = false;
	c->cancelled = false;
	c->cseq = 1;
	(void)re_snprintf(c->ftag, sizeof(c->ftag), "%016llx",
			  emul_rand_u64());
	err  = str_dup(&c->to, to);
	err |= opt->hdrs ? str_dup(&c->hdrs, opt->hdrs) : 0;
	err |= re_sdprintf(&c->callid, "%016llx@%s", emul_rand_u64(),
			   node_name(ue->node)) ? ENOMEM : 0;
	if (err)
		return ENOMEM;

	c->doneh = doneh;
	c->arg = arg;
	++c->calls;

	err = send_invite(c);
	if (!err)
		ue_call_set_state(c, UE_CALL_CALLING, "call");

	return err;
}


int ue_call_cancel(struct ue *ue, ue_done_h *doneh, void *arg)
{
	struct ue_call *c = ue_part(ue, UE_PART_CALL);

	if (!c)
		return EINVAL;

	if (!c->inv_req || (c->state != UE_CALL_CALLING &&
			    c->state != UE_CALL_RINGING)) {
		elog(LOG_WARN, node_name(ue->node), "fsm", "call(%s){%s}: "
		     "nothing to cancel", ue->impu,
		     ue_call_state_name(c->state));
		return EALREADY;
	}

	/* RFC 3261 9.1: the INVITE's final answer (487) ends the action. */
	c->doneh = doneh;
	c->arg = arg;
	c->cancelled = true;
	tsx_cancel(c->inv_req);

	return 0;
}


/* RFC 3261 13.2.2.4: a 2xx of another branch of our forked INVITE is
 * another dialog: ACKed, then ended with BYE, once. */
bool ue_call_stray(struct ue *ue, const struct sip_msg *msg)
{
	struct ue_call *c = ue_part(ue, UE_PART_CALL);
	char contact[256];

	if (!c)
		return false;

	(void)ue_contact(contact, sizeof(contact), ue);
	return dlg_stray_2xx(c->dlg, ue->node, msg, c->cseq, contact);
}
