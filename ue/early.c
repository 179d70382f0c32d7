/* SPDX-License-Identifier: BSD-3-Clause */
/* Early media: the answer to the INVITE's offer in a 183 Session
 * Progress (RFC 3264 with RFC 3262, RFC 3960's gateway model), media
 * flowing both ways before the call is answered.  A phone set for it
 * answers the offer at once, in a reliable 183 when the caller supports
 * 100rel (then the 200 carries no SDP: the exchange is over, RFC 6337
 * 3.1) or an unreliable one (then the 200 repeats the same answer, the
 * only one that counts, RFC 3261 13.2.1); the caller takes the first
 * 18x with SDP as the answer and starts its media on it. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "tsx.h"
#include "ue.h"
#include "ueint.h"
#include "media.h"
#include "call.h"


static void body_of(struct pl *body, const struct sip_msg *msg)
{
	body->p = (const char *)mbuf_buf(msg->mb);
	body->l = mbuf_get_left(msg->mb);
}


static void media_on(struct ue_call *c, const char *why)
{
	int err;

	if (media_is_sending(c->media))
		return;

	err = media_start(c->media, &c->peer, c->peer_key);
	if (err)
		elog(LOG_WARN, node_name(c->ue->node), "media",
		     "early media cannot start: %m", err);
	else
		elog(LOG_INFO, node_name(c->ue->node), "call",
		     "early media on the %s", why);
}


/* The phone: an INVITE with an offer is answered in the 183 (its SDP
 * kept for the reliable 183's retransmissions); false to ring as usual. */
bool ue_early_answer(struct ue_call *c, const struct sip_msg *inv)
{
	char sdp[512];
	struct pl body;

	c->early_sdp = mem_deref(c->early_sdp);
	c->early_rel = false;
	if (!c->early_media)
		return false;

	body_of(&body, inv);
	if (!body.l || sdp_parse(&body, &c->peer, c->peer_key,
				  sizeof(c->peer_key)) ||
	    !sa_port(&c->peer) || ue_call_sdp(c, sdp, sizeof(sdp)) ||
	    str_dup(&c->early_sdp, sdp))
		return false;

	c->offer_in_invite = true;
	c->early_rel = ue_prack_offered(inv);
	c->rel_183 = c->early_rel;
	media_on(c, "183");

	return true;
}


/* The unreliable 183 (the reliable one is prack.c's, sent again until
 * its PRACK). */
int ue_early_183(struct ue_call *c, const char *contact)
{
	return tsx_replyf(&c->st, tsx_of(c->ue->node), c->inv, true, 183,
			  "Session Progress", "Contact: <%s>\r\n"
			  "Content-Type: application/sdp\r\n"
			  "Content-Length: %zu\r\n\r\n%s", contact,
			  strlen(c->early_sdp), c->early_sdp);
}


/* The caller: the first 18x with SDP answers our offer. */
void ue_early_provisional(struct ue_call *c, const struct sip_msg *msg)
{
	struct pl body;

	body_of(&body, msg);
	if (c->early_answered || !c->offer_in_invite || !body.l)
		return;

	if (sdp_parse(&body, &c->peer, c->peer_key, sizeof(c->peer_key)) ||
	    !sa_port(&c->peer))
		return;

	c->early_answered = true;
	/* with preconditions, the media waits for the 200 */
	if (!c->precond)
		media_on(c, "18x");
}


/* The caller's 200 after an early answer: its SDP, if any, is the same
 * answer again (RFC 3261 13.2.1), so the media the 183 started goes on,
 * or starts now with preconditions (true). */
bool ue_early_established(struct ue_call *c)
{
	if (!c->early_answered)
		return false;

	media_on(c, "200");
	ue_call_set_state(c, UE_CALL_ESTABLISHED, "200 (early media)");

	return true;
}
