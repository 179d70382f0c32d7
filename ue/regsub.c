/* SPDX-License-Identifier: BSD-3-Clause */
/* The UE's subscription to its own registration state (TS 24.229
 * 5.1.1.3, RFC 3680): SUBSCRIBE Event: reg to its IMPU after it has
 * registered, each NOTIFY's reginfo applied to a view of the state
 * (full, then partial by version; a gap asks for full state again),
 * and what the network said of this device: deactivated means register
 * again, rejected or unregistered that the registration is over
 * (TS 24.229 5.1.1.7). */

#include <string.h>
#include <strings.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "tsx.h"
#include "reginfo.h"
#include "ue.h"
#include "ueint.h"

struct ue_regsub {
	struct ue *ue;                  /* first: ue.c sets it */
	struct tsxh *req;
	struct dlg *dlg;
	struct reginfo *view;
	char *callid;
	char tag[17];
	uint32_t notifies;
	bool ended;
	char last_state[64];            /* Subscription-State */
	char error[160];                /* the last NOTIFY refused, why */
	ue_done_h *doneh;
	void *arg;
};


static void clear(struct ue_regsub *r)
{
	r->req = mem_deref(r->req);
	r->dlg = mem_deref(r->dlg);
	r->callid = mem_deref(r->callid);
}


static void destructor(void *arg)
{
	struct ue_regsub *r = arg;

	clear(r);
	mem_deref(r->view);
}


static void sub_resp(int err, const struct sip_msg *msg, void *arg)
{
	struct ue_regsub *r = arg;
	char contact[256];

	if (!err && msg && msg->scode < 200)
		return;

	r->req = NULL;
	if (!err && msg && msg->scode < 300 && !r->dlg) {
		(void)ue_contact(contact, sizeof(contact), r->ue);
		(void)dlg_uac(&r->dlg, r->ue->node, msg, false, 1, contact);
	}

	ue_done(&r->doneh, r->arg, err ? err : msg ? 0 : ETIMEDOUT,
		msg ? msg->scode : 0);
}


int ue_subscribe_reg(struct ue *ue, uint32_t expires, ue_done_h *doneh,
		     void *arg)
{
	struct ue_regsub *r = ue_part(ue, UE_PART_REGSUB);
	char route[96], contact[256];
	struct uri rt;
	int err;

	if (!r)
		return EINVAL;
	if (!ue_registered_for(ue, "subscribe reg"))
		return EALREADY;

	clear(r);
	r->ended = false;
	r->doneh = doneh;
	r->arg = arg;
	r->view = mem_deref(r->view);
	err = reginfo_alloc(&r->view, 0, REGINFO_PARTIAL);
	err |= re_sdprintf(&r->callid, "%016llx@%s", emul_rand_u64(),
			   node_name(ue->node));
	err |= ue_pcscf_route(&rt, route, sizeof(route), ue);
	if (err)
		return err;
	(void)re_snprintf(r->tag, sizeof(r->tag), "%016llx",
			  emul_rand_u64());
	(void)ue_contact(contact, sizeof(contact), ue);

	netguard_bind_hint(node_addr(ue->node));
	return tsx_requestf(&r->req, tsx_of(ue->node), true, "SUBSCRIBE",
			    ue->impu, &rt, sub_resp, r,
			    "Route: <sip:%s;lr>\r\n"
			    "%s"
			    "From: <%s>;tag=%s\r\n"
			    "To: <%s>\r\n"
			    "Call-ID: %s\r\n"
			    "CSeq: 1 SUBSCRIBE\r\n"
			    "Contact: <%s>\r\n"
			    "Event: reg\r\n"
			    "Accept: " REGINFO_CTYPE "\r\n"
			    "Expires: %u\r\n"
			    "Content-Length: 0\r\n"
			    "\r\n",
			    node_host(ue->pcscf), ue->routes ? ue->routes : "",
			    ue->impu, r->tag, ue->impu, r->callid, contact,
			    expires);
}


/* TS 24.229 5.1.1.7: what the network did to this device. */
static void own_contact(struct ue_regsub *r)
{
	struct ue *ue = r->ue;
	struct reginfo_reg *reg = reginfo_reg_find(r->view, ue->impu);
	struct reginfo_contact *ct;
	char contact[256];

	(void)ue_contact(contact, sizeof(contact), ue);
	ct = reg ? reginfo_contact_find(reg, contact) : NULL;
	if (!ct || ct->state != REGINFO_CT_TERMINATED)
		return;

	elog(LOG_INFO, node_name(ue->node), "reg", "reginfo: %s %s",
	     contact, reginfo_event_name(ct->event));
	ue_reg_lost(ue, ct->event == REGINFO_EV_DEACTIVATED);
}


static int notify_take(struct ue_regsub *r, const struct sip_msg *msg)
{
	struct reginfo *doc = NULL;
	int err;

	if (!msg_ctype_cmp(&msg->ctyp, "application", "reginfo+xml")) {
		str_ncpy(r->error, "not application/reginfo+xml",
			 sizeof(r->error));
		return EBADMSG;
	}

	err = reginfo_decode(&doc, (const char *)mbuf_buf(msg->mb),
			     mbuf_get_left(msg->mb), r->error,
			     sizeof(r->error));
	if (!err)
		err = reginfo_apply(r->view, doc, r->error, sizeof(r->error));
	mem_deref(doc);

	/* EALREADY: a late copy, taken and left out */
	return err == EALREADY ? 0 : err;
}


static void notify(struct ue_regsub *r, const struct sip_msg *msg)
{
	struct tsxl *l = tsx_of(r->ue->node);
	const struct sip_hdr *ss = sip_msg_hdr(msg,
					       SIP_HDR_SUBSCRIPTION_STATE);
	char contact[256];
	int err;

	if (!r->dlg) {
		if (r->ended || !r->callid ||
		    pl_strcmp(&msg->callid, r->callid) ||
		    pl_strcmp(&msg->to.tag, r->tag)) {
			(void)tsx_reply(NULL, l, msg, 481,
					"Subscription Does Not Exist");
			return;
		}
		(void)ue_contact(contact, sizeof(contact), r->ue);
		if (dlg_uac(&r->dlg, r->ue->node, msg, true, 1, contact)) {
			(void)tsx_reply(NULL, l, msg, 500,
					"Server Internal Error");
			return;
		}
	}
	else if (!dlg_match(r->dlg, msg) || !dlg_rseq_ok(r->dlg, msg)) {
		(void)tsx_reply(NULL, l, msg, 481,
				"Subscription Does Not Exist");
		return;
	}

	err = notify_take(r, msg);
	if (err) {
		elog(LOG_WARN, node_name(r->ue->node), "reg", "reg NOTIFY "
		     "refused: %s", r->error);
		(void)tsx_reply(NULL, l, msg, 400, "Bad Request");
		return;
	}
	++r->notifies;
	if (ss)
		(void)pl_strcpy(&ss->val, r->last_state,
				sizeof(r->last_state));
	(void)tsx_reply(NULL, l, msg, 200, "OK");

	if (ss && ss->val.l >= 10 &&
	    !strncasecmp(ss->val.p, "terminated", 10)) {
		r->dlg = mem_deref(r->dlg);
		r->ended = true;
	}

	own_contact(r);
}


static bool regsub_request(void *part, const struct sip_msg *msg)
{
	const struct sip_hdr *ev = sip_msg_hdr(msg, SIP_HDR_EVENT);

	if (pl_strcmp(&msg->met, "NOTIFY") || !ev || pl_strcmp(&ev->val,
								"reg"))
		return false;

	notify(part, msg);
	return true;
}


static int regsub_query(struct re_printf *pf, const void *part,
			const char *what, const char *arg)
{
	const struct ue_regsub *r = part;
	(void)arg;

	if (!str_casecmp(what, "reginfo"))
		return r->view ? reginfo_print(pf, r->view) : 0;
	if (!str_casecmp(what, "reg_notifies"))
		return re_hprintf(pf, "%u", r->notifies);
	if (!str_casecmp(what, "reg_subscription"))
		return re_hprintf(pf, "%s", r->last_state[0] ?
				  r->last_state : "none");
	if (!str_casecmp(what, "reginfo_version"))
		return re_hprintf(pf, "%u", r->view ? r->view->version : 0);

	return ENOTSUP;
}


const struct ue_part ue_part_regsub = {
	"regsub", sizeof(struct ue_regsub), destructor, NULL,
	regsub_request, regsub_query,
};
