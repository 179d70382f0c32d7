/* SPDX-License-Identifier: BSD-3-Clause */
/* A watcher of one registration (RFC 3680): the SUBSCRIBE Event: reg,
 * the dialog its 200 or first NOTIFY makes, each NOTIFY's reginfo
 * applied to a view (full, then partial in version order; a version gap
 * refused), and the end when Subscription-State says terminated.  The
 * UE watches its own registration (TS 24.229 5.1.1.3), the P-CSCF every
 * registration it carried (5.2.3); both take this one. */

#include <string.h>
#include <strings.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "tsx.h"
#include "reginfo.h"

struct regwatch {
	struct node *node;
	struct tsxh *req;
	struct dlg *dlg;
	struct reginfo *view;
	char *callid;
	char *contact;
	struct wtmr tmr;                /* the refresh, at half time */
	uint32_t expires;               /* asked for */
	char tag[17];
	uint32_t notifies;
	bool ended;
	char state[64];                 /* the last Subscription-State */
	char error[160];                /* why the last NOTIFY was refused */
	regwatch_h *h;
	regwatch_resp_h *resph;
	void *arg;
};


static void destructor(void *arg)
{
	struct regwatch *w = arg;

	wtmr_cancel(&w->tmr);
	mem_deref(w->req);
	mem_deref(w->dlg);
	mem_deref(w->view);
	mem_deref(w->callid);
	mem_deref(w->contact);
}


static void sub_resp(int err, const struct sip_msg *msg, void *arg);


/* RFC 6665 4.1.2.1: the subscription refreshed before it runs out. */
static void refresh(void *arg)
{
	struct regwatch *w = arg;
	char hdrs[128];

	if (w->ended || !w->dlg || w->req)
		return;

	(void)re_snprintf(hdrs, sizeof(hdrs), "Event: reg\r\n"
			  "Accept: " REGINFO_CTYPE "\r\nExpires: %u\r\n",
			  w->expires);
	if (dlg_request(&w->req, w->dlg, "SUBSCRIBE", hdrs, NULL, NULL,
			sub_resp, w))
		w->ended = true;
}


static void sub_resp(int err, const struct sip_msg *msg, void *arg)
{
	struct regwatch *w = arg;
	regwatch_resp_h *h = w->resph;
	uint32_t granted;

	if (!err && msg && msg->scode < 200)
		return;

	w->req = NULL;
	w->resph = NULL;
	if (!err && msg && msg->scode < 300 && !w->dlg)
		(void)dlg_uac(&w->dlg, w->node, msg, false, 1, w->contact);
	if (err || !msg || msg->scode >= 300)
		w->ended = true;

	/* the notifier's Expires says how long it lasts */
	granted = msg ? sipx_expires(msg, NULL, 0) : 0;
	if (!w->ended && granted)
		wtmr_start(&w->tmr, MAX(granted * 500ULL, 1000ULL), refresh,
			   w);

	if (h)
		h(err ? err : msg ? 0 : ETIMEDOUT, msg ? msg->scode : 0,
		  w->arg);
}


int regwatch_subscribe(struct regwatch **wp, struct node *node,
		       const struct regwatch_req *rq, regwatch_h *h,
		       regwatch_resp_h *resph, void *arg)
{
	struct regwatch *w;
	int err;

	if (!wp || !node || !rq || !rq->aor || !rq->from || !rq->contact ||
	    !rq->route)
		return EINVAL;

	w = mem_zalloc(sizeof(*w), destructor);
	if (!w)
		return ENOMEM;

	w->node = node;
	w->expires = rq->expires;
	w->h = h;
	w->resph = resph;
	w->arg = arg;
	err  = reginfo_alloc(&w->view, 0, REGINFO_PARTIAL);
	err |= str_dup(&w->contact, rq->contact);
	err |= re_sdprintf(&w->callid, "%016llx@%s", emul_rand_u64(),
			   node_name(node));
	if (err)
		goto out;
	(void)re_snprintf(w->tag, sizeof(w->tag), "%016llx",
			  emul_rand_u64());

	netguard_bind_hint(node_addr(node));
	err = tsx_requestf(&w->req, tsx_of(node), true, "SUBSCRIBE", rq->aor,
			   rq->route, sub_resp, w,
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
			   rq->hdrs ? rq->hdrs : "", rq->from, w->tag, rq->aor,
			   w->callid, w->contact, rq->expires);

 out:
	if (err)
		mem_deref(w);
	else
		*wp = w;

	return err;
}


static int take(struct regwatch *w, const struct sip_msg *msg)
{
	struct reginfo *doc = NULL;
	int err;

	if (!msg_ctype_cmp(&msg->ctyp, "application", "reginfo+xml")) {
		str_ncpy(w->error, "not application/reginfo+xml",
			 sizeof(w->error));
		return EBADMSG;
	}

	err = reginfo_decode(&doc, (const char *)mbuf_buf(msg->mb),
			     mbuf_get_left(msg->mb), w->error,
			     sizeof(w->error));
	if (!err)
		err = reginfo_apply(w->view, doc, w->error, sizeof(w->error));
	mem_deref(doc);

	/* EALREADY: a late copy, taken and left out */
	return err == EALREADY ? 0 : err;
}


/* Whether this NOTIFY is of our subscription: its dialog, or the first
 * one, ahead of the 200 (RFC 6665 4.1.2.4). */
static bool ours(struct regwatch *w, const struct sip_msg *msg)
{
	if (w->dlg)
		return dlg_match(w->dlg, msg);

	return !w->ended && !pl_strcmp(&msg->callid, w->callid) &&
		!pl_strcmp(&msg->to.tag, w->tag);
}


bool regwatch_notify(struct regwatch *w, const struct sip_msg *msg)
{
	const struct sip_hdr *ss = sip_msg_hdr(msg,
					       SIP_HDR_SUBSCRIPTION_STATE);
	struct tsxl *l = tsx_of(w->node);
	int err;

	if (!w || !ours(w, msg))
		return false;

	if (!w->dlg) {
		if (dlg_uac(&w->dlg, w->node, msg, true, 1, w->contact)) {
			(void)tsx_reply(NULL, l, msg, 500,
					"Server Internal Error");
			return true;
		}
	}
	else if (!dlg_rseq_ok(w->dlg, msg)) {
		(void)tsx_reply(NULL, l, msg, 481,
				"Subscription Does Not Exist");
		return true;
	}

	err = take(w, msg);
	if (err) {
		elog(LOG_WARN, node_name(w->node), "reg", "reg NOTIFY "
		     "refused: %s", w->error);
		(void)tsx_reply(NULL, l, msg, 400, "Bad Request");
		return true;
	}

	++w->notifies;
	if (ss)
		(void)pl_strcpy(&ss->val, w->state, sizeof(w->state));
	(void)tsx_reply(NULL, l, msg, 200, "OK");

	if (ss && ss->val.l >= 10 &&
	    !strncasecmp(ss->val.p, "terminated", 10)) {
		w->dlg = mem_deref(w->dlg);
		w->ended = true;
	}

	if (w->h)
		w->h(w, w->view, w->arg);

	return true;
}


bool regwatch_is_reg_notify(const struct sip_msg *msg)
{
	const struct sip_hdr *ev = sip_msg_hdr(msg, SIP_HDR_EVENT);

	return !pl_strcmp(&msg->met, "NOTIFY") && ev &&
		!pl_strcmp(&ev->val, "reg");
}


const char *regwatch_callid(const struct regwatch *w)
{
	return w ? w->callid : NULL;
}


const struct reginfo *regwatch_view(const struct regwatch *w)
{
	return w ? w->view : NULL;
}


bool regwatch_ended(const struct regwatch *w)
{
	return !w || w->ended;
}


int regwatch_query(struct re_printf *pf, const struct regwatch *w,
		   const char *what)
{
	if (!str_casecmp(what, "reginfo"))
		return w && w->view ? reginfo_print(pf, w->view) : 0;
	if (!str_casecmp(what, "reg_notifies"))
		return re_hprintf(pf, "%u", w ? w->notifies : 0);
	if (!str_casecmp(what, "reg_subscription"))
		return re_hprintf(pf, "%s", w && w->state[0] ? w->state :
				  "none");
	if (!str_casecmp(what, "reginfo_version"))
		return re_hprintf(pf, "%u", w && w->view ?
				  w->view->version : 0);

	return ENOTSUP;
}
