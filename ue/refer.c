/* SPDX-License-Identifier: BSD-3-Clause */
/* The click-to-dial client (CN102916966A step 1, RFC 3515): a REFER to
 * the click-to-dial service whose Refer-To names the callee, and the
 * NOTIFYs of its implicit subscription, whose message/sipfrag bodies
 * (RFC 3420) say how the call is going; the last status line is kept. */

#include <string.h>
#include <strings.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "tsx.h"
#include "ue.h"
#include "ueint.h"


struct ue_refer {
	struct ue *ue;                  /* first: ue.c sets it */
	struct tsxh *req;
	struct dlg *dlg;                /* the implicit subscription's */
	char *callid;
	char tag[17];
	char status[64];                /* last sipfrag status line */
	uint32_t notifies;
	bool ended;                     /* a NOTIFY said terminated */
	ue_done_h *doneh;
	void *arg;
};


static void refer_done(struct ue_refer *r, int err, uint16_t scode)
{
	ue_done(&r->doneh, r->arg, err, scode);
}


static void refer_clear(struct ue_refer *r)
{
	r->req = mem_deref(r->req);
	r->dlg = mem_deref(r->dlg);
	r->callid = mem_deref(r->callid);
	r->ended = false;
}


static void destructor(void *arg)
{
	refer_clear(arg);
}


static void refer_resp(int err, const struct sip_msg *msg, void *arg)
{
	struct ue_refer *r = arg;
	struct ue *ue = r->ue;
	char contact[256];

	if (!err && msg && msg->scode < 200)
		return;

	r->req = NULL;

	if (err || !msg) {
		refer_done(r, err ? err : ETIMEDOUT, 0);
		return;
	}

	/* The REFER's own answer says how the call goes only until a
	 * NOTIFY has said more (a 202 resent late must not undo it). */
	if (!r->notifies)
		(void)re_snprintf(r->status, sizeof(r->status),
				  "SIP/2.0 %u %r", msg->scode, &msg->reason);

	/* RFC 3515 2.4.4: a 2xx creates the implicit subscription's
	 * dialog (unless its first NOTIFY did already). */
	if (msg->scode < 300 && !r->dlg) {
		(void)ue_contact(contact, sizeof(contact), ue);
		(void)dlg_uac(&r->dlg, ue->node, msg, false, 1, contact);
	}

	refer_done(r, 0, msg->scode);
}


int ue_refer(struct ue *ue, const char *target, const char *refer_to,
	     const char *hdrs, ue_done_h *doneh, void *arg)
{
	struct ue_refer *r = ue_part(ue, UE_PART_REFER);
	char route[96], contact[256];
	struct uri rt;
	int err;

	if (!r || !target || !refer_to)
		return EINVAL;

	if (!ue_registered_for(ue, "refer"))
		return EALREADY;

	refer_clear(r);
	r->doneh = doneh;
	r->arg = arg;
	r->notifies = 0;
	r->status[0] = '\0';

	err = re_sdprintf(&r->callid, "%016llx@%s", emul_rand_u64(),
			  node_name(ue->node));
	if (err)
		return err;
	(void)re_snprintf(r->tag, sizeof(r->tag), "%016llx",
			  emul_rand_u64());

	err = ue_pcscf_route(&rt, route, sizeof(route), ue);
	if (err)
		return err;
	(void)ue_contact(contact, sizeof(contact), ue);

	netguard_bind_hint(node_addr(ue->node));
	err = tsx_requestf(&r->req, tsx_of(ue->node), true, "REFER",
			   target, &rt, refer_resp, r,
			   "Route: <sip:%s;lr>\r\n"
			   "%s"
			   "From: <%s>;tag=%s\r\n"
			   "To: <%s>\r\n"
			   "Call-ID: %s\r\n"
			   "CSeq: 1 REFER\r\n"
			   "Contact: <%s>\r\n"
			   "Refer-To: <%s>\r\n"
			   "Referred-By: <%s>\r\n"
			   "%s"
			   "Content-Length: 0\r\n"
			   "\r\n",
			   node_host(ue->pcscf), ue->routes ? ue->routes : "",
			   ue->impu, r->tag, target, r->callid, contact,
			   refer_to, ue->impu, hdrs ? hdrs : "");

	return err;
}


/* RFC 3515 2.4.5: the body is the status line of the referred request,
 * as message/sipfrag; its first line goes to buf. */
int sipfrag_status(char *buf, size_t sz, const struct pl *body)
{
	struct pl line;

	if (re_regex(body->p, body->l, "SIP/2.0 [0-9]+[^\r\n]*", NULL,
		     NULL) || body->l < 8 || memcmp(body->p, "SIP/2.0 ", 8))
		return EBADMSG;

	line.p = body->p;
	line.l = 0;
	while (line.l < body->l && line.p[line.l] != '\r' &&
	       line.p[line.l] != '\n')
		++line.l;

	return pl_strcpy(&line, buf, sz);
}


static void notify(struct ue_refer *r, const struct sip_msg *msg)
{
	struct ue *ue = r->ue;
	const struct sip_hdr *ss = sip_msg_hdr(msg,
					       SIP_HDR_SUBSCRIPTION_STATE);
	char contact[256];
	struct pl body;

	/* RFC 6665 4.1.3: a subscription that has ended has no NOTIFY
	 * to take, even a late copy of an earlier one. */
	if (!r->dlg) {
		if (r->ended || !r->callid ||
		    pl_strcmp(&msg->callid, r->callid) ||
		    pl_strcmp(&msg->to.tag, r->tag)) {
			(void)tsx_reply(NULL, tsx_of(ue->node), msg, 481,
					 "Subscription Does Not Exist");
			return;
		}
		(void)ue_contact(contact, sizeof(contact), ue);
		if (dlg_uac(&r->dlg, ue->node, msg, true, 1, contact)) {
			(void)tsx_reply(NULL, tsx_of(ue->node), msg, 500,
					 "Server Internal Error");
			return;
		}
	}
	else if (!dlg_match(r->dlg, msg) || !dlg_rseq_ok(r->dlg, msg)) {
		(void)tsx_reply(NULL, tsx_of(ue->node), msg, 481,
				 "Subscription Does Not Exist");
		return;
	}

	body.p = (const char *)mbuf_buf(msg->mb);
	body.l = mbuf_get_left(msg->mb);
	if (!msg_ctype_cmp(&msg->ctyp, "message", "sipfrag") ||
	    sipfrag_status(r->status, sizeof(r->status), &body)) {
		(void)tsx_reply(NULL, tsx_of(ue->node), msg, 400,
				 "Bad Request");
		return;
	}
	++r->notifies;

	(void)tsx_reply(NULL, tsx_of(ue->node), msg, 200, "OK");

	if (ss && ss->val.l >= 10 &&
	    !strncasecmp(ss->val.p, "terminated", 10)) {
		r->dlg = mem_deref(r->dlg);
		r->ended = true;
	}
}


static bool refer_request(void *part, const struct sip_msg *msg)
{
	const struct sip_hdr *ev = sip_msg_hdr(msg, SIP_HDR_EVENT);

	/* Event: refer, perhaps with an id parameter (RFC 3515 2.4.6). */
	if (pl_strcmp(&msg->met, "NOTIFY") || !ev || ev->val.l < 5 ||
	    strncasecmp(ev->val.p, "refer", 5))
		return false;

	notify(part, msg);

	return true;
}


static int refer_query(struct re_printf *pf, const void *part,
		       const char *what, const char *arg)
{
	const struct ue_refer *r = part;
	(void)arg;

	if (!str_casecmp(what, "refer"))
		return re_hprintf(pf, "%s", r->status[0] ? r->status :
				  "none");
	if (!str_casecmp(what, "refer_notifies"))
		return re_hprintf(pf, "%u", r->notifies);

	return ENOTSUP;
}


const struct ue_part ue_part_refer = {
	"refer", sizeof(struct ue_refer), destructor, NULL, refer_request,
	refer_query,
};
