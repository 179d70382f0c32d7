/* SPDX-License-Identifier: BSD-3-Clause */
/* Preconditions (RFC 3312, the IMS call of TS 24.229 with resource
 * reservation): the caller's INVITE requires them and says in its offer
 * that neither side has its resources yet (a=curr:qos ... none) and
 * that both must (a=des:qos mandatory); the phone answers in a reliable
 * 183, asking to be told when the caller's are there (a=conf:qos), and
 * does not alert yet.  The caller, its resources "reserved" at once, says
 * so in an UPDATE after the PRACK; the phone answers with both sides
 * reserved, and only then rings (a reliable 180) and answers.  Status
 * type segmented, strength mandatory; the media starts with the 200. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "tsx.h"
#include "ue.h"
#include "ueint.h"
#include "media.h"
#include "call.h"

enum qos_step { QOS_OFFER = 0, QOS_ANSWER, QOS_UPDATE, QOS_UPDATE_ANSWER };

static const char *const qos_lines[] = {
	[QOS_OFFER] =
	"a=curr:qos local none\r\na=curr:qos remote none\r\n"
	"a=des:qos mandatory local sendrecv\r\n"
	"a=des:qos none remote sendrecv\r\n",
	[QOS_ANSWER] =
	"a=curr:qos local none\r\na=curr:qos remote none\r\n"
	"a=des:qos mandatory local sendrecv\r\n"
	"a=des:qos mandatory remote sendrecv\r\n"
	"a=conf:qos remote sendrecv\r\n",
	[QOS_UPDATE] =
	"a=curr:qos local sendrecv\r\na=curr:qos remote none\r\n"
	"a=des:qos mandatory local sendrecv\r\n"
	"a=des:qos mandatory remote sendrecv\r\n",
	[QOS_UPDATE_ANSWER] =
	"a=curr:qos local sendrecv\r\na=curr:qos remote sendrecv\r\n"
	"a=des:qos mandatory local sendrecv\r\n"
	"a=des:qos mandatory remote sendrecv\r\n",
};


/* Our SDP with the qos lines of this step (media-level: one m line). */
static int qos_sdp(struct ue_call *c, enum qos_step step, char *buf,
		   size_t sz)
{
	size_t n;
	int err = ue_call_sdp(c, buf, sz);

	if (err)
		return err;

	n = strlen(buf);
	if (n + strlen(qos_lines[step]) >= sz)
		return ENOMEM;
	memcpy(buf + n, qos_lines[step], strlen(qos_lines[step]) + 1);

	return 0;
}


int ue_precond_offer(struct ue_call *c, char *buf, size_t sz)
{
	return qos_sdp(c, QOS_OFFER, buf, sz);
}


static bool asked(const struct sip_msg *inv)
{
	struct pl body;

	body.p = (const char *)mbuf_buf(inv->mb);
	body.l = mbuf_get_left(inv->mb);

	return (sip_msg_hdr_has_value(inv, SIP_HDR_REQUIRE, "precondition")
		|| sip_msg_hdr_has_value(inv, SIP_HDR_SUPPORTED,
					 "precondition")) &&
		!re_regex(body.p, body.l, "a=des:qos");
}


/* The phone: an INVITE with preconditions gets the answer in a reliable
 * 183 and no alerting yet.  False: none asked, ring as usual. */
bool ue_precond_invite(struct ue_call *c, const struct sip_msg *inv)
{
	struct tsxl *l = tsx_of(c->ue->node);
	char sdp[768];
	struct pl body;

	c->precond = false;
	c->qos_met = false;
	if (!asked(inv))
		return false;

	/* RFC 3312 11: the answer needs a reliable provisional */
	if (!ue_prack_offered(inv)) {
		(void)tsx_replyf(&c->st, l, inv, false, 421,
				 "Extension Required", "Require: 100rel\r\n"
				 "Content-Length: 0\r\n\r\n");
		ue_call_clear(c);
		ue_call_set_state(c, UE_CALL_ENDED, "421");
		return true;
	}

	body.p = (const char *)mbuf_buf(inv->mb);
	body.l = mbuf_get_left(inv->mb);
	if (sdp_parse(&body, &c->peer, c->peer_key, sizeof(c->peer_key)) ||
	    qos_sdp(c, QOS_ANSWER, sdp, sizeof(sdp)) ||
	    str_dup(&c->early_sdp, sdp)) {
		(void)tsx_reply(&c->st, l, inv, 488, "Not Acceptable Here");
		ue_call_clear(c);
		ue_call_set_state(c, UE_CALL_ENDED, "488");
		return true;
	}

	c->precond = true;
	c->offer_in_invite = true;
	c->early_rel = true;
	c->rel_183 = true;
	(void)ue_prack_ring(c);
	ue_call_set_state(c, UE_CALL_RINGING, "INVITE (preconditions)");

	return true;
}


/* The phone: the caller's UPDATE says its resources are there; ours
 * are too, so both are met: answered, and now the phone alerts. */
bool ue_precond_update(struct ue_call *c, const struct sip_msg *msg)
{
	struct tsxl *l = tsx_of(c->ue->node);
	char sdp[768], contact[256];

	if (!c->precond || c->qos_met || c->state != UE_CALL_RINGING)
		return false;

	if (qos_sdp(c, QOS_UPDATE_ANSWER, sdp, sizeof(sdp))) {
		(void)tsx_reply(NULL, l, msg, 500, "Server Internal Error");
		return true;
	}

	(void)ue_contact(contact, sizeof(contact), c->ue);
	(void)tsx_replyf(NULL, l, msg, true, 200, "OK", "Contact: <%s>\r\n"
			 "Content-Type: application/sdp\r\n"
			 "Content-Length: %zu\r\n\r\n%s", contact,
			 strlen(sdp), sdp);
	elog(LOG_INFO, node_name(c->ue->node), "call", "preconditions met:"
	     " alerting");
	c->qos_met = true;
	c->rel_183 = false;
	(void)ue_prack_ring(c);
	ue_call_ring(c);

	return true;
}


static void update_resp(int err, const struct sip_msg *msg, void *arg)
{
	struct ue_call *c = arg;

	if (!err && msg && msg->scode < 200)
		return;

	c->re_req = NULL;
	c->qos_met = !err && msg && msg->scode < 300;
	elog(LOG_INFO, node_name(c->ue->node), "call", "preconditions %s",
	     c->qos_met ? "met" : "not met");
}


/* The caller, its 183 PRACKed: our resources are reserved (the
 * emulator has them at once), and the UPDATE says so. */
void ue_precond_reserved(struct ue_call *c)
{
	char sdp[768];
	struct pl body;

	if (!c->precond || c->qos_sent || !c->dlg || c->re_req)
		return;

	if (qos_sdp(c, QOS_UPDATE, sdp, sizeof(sdp)))
		return;

	c->qos_sent = true;
	pl_set_str(&body, sdp);
	(void)dlg_request(&c->re_req, c->dlg, "UPDATE", NULL,
			  "application/sdp", &body, update_resp, c);
}
