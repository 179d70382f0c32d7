/* SPDX-License-Identifier: BSD-3-Clause */
/* Reliable provisional responses (RFC 3262), both sides of a call.  The
 * phone answers an INVITE that supports 100rel with a 180 that requires
 * it, numbered by RSeq and sent again at T1, 2T1, ... until its PRACK
 * comes (64*T1 without one ends the INVITE with 504); the caller PRACKs
 * each new RSeq in the early dialog the 180 makes, with RAck. */

#include <string.h>
#include <strings.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "tsx.h"
#include "ue.h"
#include "ueint.h"
#include "media.h"
#include "call.h"


static bool has_tag(const struct sip_msg *msg, enum sip_hdrid id,
		    const char *tag)
{
	return sip_msg_hdr_has_value(msg, id, tag);
}


bool ue_prack_offered(const struct sip_msg *inv)
{
	return has_tag(inv, SIP_HDR_SUPPORTED, "100rel") ||
		has_tag(inv, SIP_HDR_REQUIRE, "100rel");
}


/* The reliable 180, or the 183 with the early answer (early.c). */
static int send_180(struct ue_call *c)
{
	const char *sdp = c->rel_183 ? c->early_sdp : NULL;
	char contact[256];

	(void)ue_contact(contact, sizeof(contact), c->ue);

	return tsx_replyf(&c->st, tsx_of(c->ue->node), c->inv, true,
			  sdp ? 183 : 180, sdp ? "Session Progress" :
			  "Ringing", "Contact: <%s>\r\n"
			  "Require: 100rel\r\n"
			  "RSeq: %u\r\n"
			  "%s"
			  "Content-Length: %zu\r\n\r\n%s", contact, c->rseq,
			  sdp ? "Content-Type: application/sdp\r\n" : "",
			  sdp ? strlen(sdp) : (size_t)0, sdp ? sdp : "");
}


static void rel_timeout(void *arg)
{
	struct ue_call *c = arg;

	if (!c->rel_pending || !c->inv)
		return;

	/* RFC 3262 3: sent again at T1, doubling, for 64*T1 at most */
	c->rel_wait *= 2;
	if (c->rel_wait > 64 * SIP_T1) {
		elog(LOG_INFO, node_name(c->ue->node), "call", "no PRACK for "
		     "the 180: 504");
		(void)tsx_reply(&c->st, tsx_of(c->ue->node), c->inv, 504,
				"Server Time-out");
		ue_call_clear(c);
		ue_call_set_state(c, UE_CALL_ENDED, "no PRACK");
		return;
	}

	(void)send_180(c);
	wtmr_start(&c->tmr_rel, c->rel_wait, rel_timeout, c);
}


int ue_prack_ring(struct ue_call *c)
{
	/* RFC 3262 3: the next reliable 1xx of the call has the next RSeq */
	c->rseq = c->rseq ? c->rseq + 1 :
		1 + (uint32_t)(emul_rand_u64() % 0x7fffff);
	c->rel_pending = true;
	c->rel_wait = SIP_T1;
	wtmr_start(&c->tmr_rel, c->rel_wait, rel_timeout, c);

	return send_180(c);
}


/* The PRACK of our 180: 200, and the retransmissions stop; a RAck that
 * is not ours gets 481 (RFC 3262 3). */
bool ue_prack_request(struct ue_call *c, const struct sip_msg *msg)
{
	struct tsxl *l = tsx_of(c->ue->node);
	struct pl rack, rseq;

	if (pl_strcmp(&msg->met, "PRACK"))
		return false;

	if (!sipx_hdr_pl(&rack, msg, "RAck") ||
	    re_regex(rack.p, rack.l, "[0-9]+", &rseq) ||
	    !c->rel_pending || pl_u32(&rseq) != c->rseq) {
		(void)tsx_reply(NULL, l, msg, 481,
				"Call/Transaction Does Not Exist");
		return true;
	}

	c->rel_pending = false;
	wtmr_cancel(&c->tmr_rel);
	(void)tsx_reply(NULL, l, msg, 200, "OK");

	return true;
}


static void prack_resp(int err, const struct sip_msg *msg, void *arg)
{
	struct ue_call *c = arg;

	if (!err && msg && msg->scode < 200)
		return;

	c->prack_req = NULL;
	if (!err && msg && msg->scode < 300)
		ue_precond_reserved(c);
}


/* A reliable 1xx to our INVITE: the early dialog, and its PRACK, once
 * per RSeq (a retransmission is answered by the PRACK under way). */
void ue_prack_provisional(struct ue_call *c, const struct sip_msg *msg)
{
	char contact[256], rack[64];
	struct pl v;
	uint32_t rseq;

	if (!has_tag(msg, SIP_HDR_REQUIRE, "100rel") ||
	    !sipx_hdr_pl(&v, msg, "RSeq"))
		return;

	rseq = pl_u32(&v);
	if (c->peer_rseq && rseq <= c->peer_rseq)
		return;

	(void)ue_contact(contact, sizeof(contact), c->ue);
	if (!c->dlg && dlg_uac(&c->dlg, c->ue->node, msg, false, c->cseq,
				 contact))
		return;

	c->peer_rseq = rseq;
	(void)re_snprintf(rack, sizeof(rack), "RAck: %u %u INVITE\r\n",
			  rseq, msg->cseq.num);
	c->prack_req = mem_deref(c->prack_req);
	(void)dlg_request(&c->prack_req, c->dlg, "PRACK", rack, NULL, NULL,
			  prack_resp, c);
}
