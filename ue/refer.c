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
#include "ue.h"
#include "ueint.h"


static void refer_done(struct ue *ue, int err, uint16_t scode)
{
	ue_done_h *h = ue->rdoneh;

	ue->rdoneh = NULL;
	if (h)
		h(err, scode, ue->rarg);
}


static void refer_resp(int err, const struct sip_msg *msg, void *arg)
{
	struct ue *ue = arg;
	char contact[256];

	if (!err && msg && msg->scode < 200)
		return;

	ue->rreq = NULL;

	if (err || !msg) {
		refer_done(ue, err ? err : ETIMEDOUT, 0);
		return;
	}

	(void)re_snprintf(ue->rstatus, sizeof(ue->rstatus), "SIP/2.0 %u %r",
			  msg->scode, &msg->reason);

	/* RFC 3515 2.4.4: a 2xx creates the implicit subscription's
	 * dialog (unless its first NOTIFY did already). */
	if (msg->scode < 300 && !ue->rdlg) {
		(void)ue_contact(contact, sizeof(contact), ue);
		(void)dlg_uac(&ue->rdlg, ue->node, msg, false, 1, contact);
	}

	refer_done(ue, 0, msg->scode);
}


int ue_refer(struct ue *ue, const char *target, const char *refer_to,
	     const char *hdrs, ue_done_h *doneh, void *arg)
{
	char route[96], contact[256];
	struct uri rt;
	int err;

	if (!ue || !target || !refer_to)
		return EINVAL;

	if (ue_state(ue) != UE_REGISTERED) {
		elog(LOG_WARN, node_name(ue->node), "fsm",
		     "ue(%s){%s}: refer needs a registration", ue->impu,
		     ue_state_name(ue_state(ue)));
		return EALREADY;
	}

	ue_refer_close(ue);
	ue->rdoneh = doneh;
	ue->rarg = arg;
	ue->rnotifies = 0;
	ue->rstatus[0] = '\0';

	err = re_sdprintf(&ue->rcallid, "%016llx@%s", emul_rand_u64(),
			  node_name(ue->node));
	if (err)
		return err;
	(void)re_snprintf(ue->rtag, sizeof(ue->rtag), "%016llx",
			  emul_rand_u64());

	err = ue_pcscf_route(&rt, route, sizeof(route), ue);
	if (err)
		return err;
	(void)ue_contact(contact, sizeof(contact), ue);

	netguard_bind_hint(node_addr(ue->node));
	err = sip_requestf(&ue->rreq, node_sip(ue->node), true, "REFER",
			   target, &rt, NULL, NULL, refer_resp, ue,
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
			   ue->impu, ue->rtag, target, ue->rcallid, contact,
			   refer_to, ue->impu, hdrs ? hdrs : "");
	netguard_bind_hint(NULL);

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


static void notify(struct ue *ue, const struct sip_msg *msg)
{
	const struct sip_hdr *ss = sip_msg_hdr(msg,
					       SIP_HDR_SUBSCRIPTION_STATE);
	char contact[256];
	struct pl body;

	if (!ue->rdlg) {
		if (!ue->rcallid || pl_strcmp(&msg->callid, ue->rcallid) ||
		    pl_strcmp(&msg->to.tag, ue->rtag)) {
			(void)sip_treply(NULL, node_sip(ue->node), msg, 481,
					 "Subscription Does Not Exist");
			return;
		}
		(void)ue_contact(contact, sizeof(contact), ue);
		if (dlg_uac(&ue->rdlg, ue->node, msg, true, 1, contact)) {
			(void)sip_treply(NULL, node_sip(ue->node), msg, 500,
					 "Server Internal Error");
			return;
		}
	}
	else if (!dlg_match(ue->rdlg, msg) || !dlg_rseq_ok(ue->rdlg, msg)) {
		(void)sip_treply(NULL, node_sip(ue->node), msg, 481,
				 "Subscription Does Not Exist");
		return;
	}

	body.p = (const char *)mbuf_buf(msg->mb);
	body.l = mbuf_get_left(msg->mb);
	if (!msg_ctype_cmp(&msg->ctyp, "message", "sipfrag") ||
	    sipfrag_status(ue->rstatus, sizeof(ue->rstatus), &body)) {
		(void)sip_treply(NULL, node_sip(ue->node), msg, 400,
				 "Bad Request");
		return;
	}
	++ue->rnotifies;

	(void)sip_treply(NULL, node_sip(ue->node), msg, 200, "OK");

	if (ss && ss->val.l >= 10 && !strncasecmp(ss->val.p, "terminated",
						  10))
		ue->rdlg = mem_deref(ue->rdlg);
}


bool ue_refer_request(struct ue *ue, const struct sip_msg *msg)
{
	const struct sip_hdr *ev = sip_msg_hdr(msg, SIP_HDR_EVENT);

	/* Event: refer, perhaps with an id parameter (RFC 3515 2.4.6). */
	if (pl_strcmp(&msg->met, "NOTIFY") || !ev || ev->val.l < 5 ||
	    strncasecmp(ev->val.p, "refer", 5))
		return false;

	notify(ue, msg);

	return true;
}


void ue_refer_close(struct ue *ue)
{
	ue->rreq = mem_deref(ue->rreq);
	ue->rdlg = mem_deref(ue->rdlg);
	ue->rcallid = mem_deref(ue->rcallid);
}


int ue_refer_query(struct re_printf *pf, const struct ue *ue,
		   const char *what, const char *arg)
{
	(void)arg;

	if (!str_casecmp(what, "refer"))
		return re_hprintf(pf, "%s", ue->rstatus[0] ? ue->rstatus :
				  "none");
	if (!str_casecmp(what, "refer_notifies"))
		return re_hprintf(pf, "%u", ue->rnotifies);

	return ENOTSUP;
}
