/* SPDX-License-Identifier: BSD-3-Clause */
/* A session changed in its dialog (RFC 3264 8.4, RFC 3261 14, RFC
 * 3311): hold is a re-INVITE whose offer says a=sendonly (a=inactive
 * when the holder will not receive either), resume one that says
 * a=sendrecv again; the answer mirrors it (recvonly), and a
 * side that is not to send stops its packets while the stream stays.
 * The holder stops too: imsbed's phones play no music on hold.  UPDATE
 * carries the same offer without the three-way handshake. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "tsx.h"
#include "ue.h"
#include "ueint.h"
#include "media.h"
#include "call.h"


/* The peer's re-INVITE or UPDATE: answered 200 with the mirrored
 * direction; the re-INVITE's waits for its ACK. */
void ue_call_reinvite(struct ue_call *c, const struct sip_msg *msg)
{
	struct tsxl *l = tsx_of(c->ue->node);
	bool update = !pl_strcmp(&msg->met, "UPDATE");
	char sdp[512], contact[256], se[96];
	struct pl body;
	bool sending;

	if (c->re_st || c->re_req) {
		/* RFC 3261 14.2, RFC 3311 5.2: one offer at a time */
		(void)tsx_reply(NULL, l, msg, 491, "Request Pending");
		return;
	}

	/* RFC 4028 10: a refresh restarts the interval */
	ue_stimer_refreshed(c, msg);

	body.p = (const char *)mbuf_buf(msg->mb);
	body.l = mbuf_get_left(msg->mb);
	c->dir = sdp_answer_dir(&body, &sending);
	if (ue_call_sdp(c, sdp, sizeof(sdp))) {
		(void)tsx_reply(NULL, l, msg, 500, "Server Internal Error");
		return;
	}

	media_sending(c->media, !strcmp(c->dir, "sendrecv") ||
		      !strcmp(c->dir, "sendonly"));
	elog(LOG_INFO, node_name(c->ue->node), "call", "re-INVITE: we are"
	     " %s now", c->dir);

	/* RFC 4028 9: the 2xx of a refresh says the interval it keeps */
	(void)ue_contact(contact, sizeof(contact), c->ue);
	(void)ue_stimer_hdrs(c, se, sizeof(se), true);
	(void)tsx_replyf(update ? NULL : &c->re_st, l, msg, true, 200, "OK",
			 "Contact: <%s>\r\n%s"
			 "Content-Type: application/sdp\r\n"
			 "Content-Length: %zu\r\n\r\n%s", contact, se,
			 strlen(sdp), sdp);
}


/* The ACK of the peer's re-INVITE, if this one is it. */
bool ue_call_reack(struct ue_call *c, const struct sip_msg *msg)
{
	(void)msg;

	if (!c->re_st)
		return false;

	c->re_st = mem_deref(c->re_st);
	return true;
}


static void reinvite_resp(int err, const struct sip_msg *msg, void *arg)
{
	struct ue_call *c = arg;

	if (!err && msg && msg->scode < 200)
		return;

	c->re_req = NULL;
	/* RFC 3261 12.2.1.2 (RFC 4028 10 for a refresh): no answer, 408
	 * or 481 means the dialog is gone at the other end; so here. */
	if (err || !msg || msg->scode == 408 || msg->scode == 481) {
		elog(LOG_INFO, node_name(c->ue->node), "call", "%s in the "
		     "dialog: %s, the call ends", msg ? "answer" : "no answer",
		     msg ? "408/481" : "timeout");
		media_stop(c->media);
		(void)dlg_request(&c->req, c->dlg, "BYE", NULL, NULL, NULL,
				  NULL, NULL);
		c->dlg = mem_deref(c->dlg);
		ue_call_set_state(c, UE_CALL_ENDED, "dialog gone");
	}
	else if (msg->scode < 300) {
		if (!pl_strcmp(&msg->cseq.met, "INVITE"))
			(void)dlg_request(NULL, c->dlg, "ACK", NULL, NULL,
					  NULL, NULL, NULL);
		media_sending(c->media, !c->held);
	}
	else {
		/* RFC 3261 14.1: a failed re-INVITE leaves the session as
		 * it was */
		c->held = c->held_before;
		c->held_dir = c->held_dir_before;
		c->dir = c->held ? c->held_dir : "sendrecv";
	}

	ue_done(&c->doneh, c->arg, err ? err : msg ? 0 : ETIMEDOUT,
		msg ? msg->scode : 0);
}


int ue_call_hold(struct ue *ue, bool hold, ue_done_h *doneh, void *arg)
{
	return ue_call_offer(ue, hold ? UE_OFFER_HOLD : UE_OFFER_RESUME, doneh,
			     arg);
}


int ue_call_offer(struct ue *ue, enum ue_offer what, ue_done_h *doneh,
		  void *arg)
{
	struct ue_call *c = ue_part(ue, UE_PART_CALL);
	char sdp[512], se[96];
	struct pl body;
	bool hold;
	int err;

	if (!c)
		return EINVAL;

	/* UPDATE offers the session as it stands */
	hold = what == UE_OFFER_UPDATE ? c->held :
		what == UE_OFFER_HOLD || what == UE_OFFER_HOLD_INACTIVE;
	if (c->state != UE_CALL_ESTABLISHED || !c->dlg || c->re_req ||
	    (what != UE_OFFER_UPDATE && c->held == hold)) {
		elog(LOG_WARN, node_name(ue->node), "fsm", "call(%s){%s}: %s"
		     " refused here", ue->impu, ue_call_state_name(c->state),
		     what == UE_OFFER_UPDATE ? "update" : hold ? "hold" :
		     "resume");
		return EALREADY;
	}

	c->held_before = c->held;
	c->held_dir_before = c->held_dir;
	c->held = hold;
	if (what != UE_OFFER_UPDATE)
		c->held_dir = what == UE_OFFER_HOLD_INACTIVE ? "inactive" :
			"sendonly";
	c->dir = hold ? c->held_dir : "sendrecv";
	err = ue_call_sdp(c, sdp, sizeof(sdp));
	if (err)
		return err;

	c->doneh = doneh;
	c->arg = arg;
	pl_set_str(&body, sdp);

	(void)ue_stimer_hdrs(c, se, sizeof(se), false);

	return dlg_request(&c->re_req, c->dlg, what == UE_OFFER_UPDATE ?
			   "UPDATE" : "INVITE", se[0] ? se : NULL,
			   "application/sdp", &body, reinvite_resp, c);
}

