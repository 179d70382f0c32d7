/* SPDX-License-Identifier: BSD-3-Clause */
/* The UE's sysinfo subscription (CN101409688A steps 307-314, RFC 6665):
 * SUBSCRIBE to its own IMPU along the Service-Route, NOTIFYs whose body
 * tells where its AS's GM, IM and PS modules are, refresh before the
 * subscription runs out, and Expires: 0 to end it.  A body it cannot
 * use is refused with 400 and the reason kept for the scenario. */

#include <string.h>
#include <strings.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "tsx.h"
#include "ue.h"
#include "ueint.h"

static const char ctype[] = "application/vnd.imsbed.sysinfo+json";
static const char *const modnames[3] = {"gm", "im", "ps"};

struct ue_sub {
	struct ue *ue;                  /* first: ue.c sets it */
	struct tsxh *req;
	struct dlg *dlg;
	struct wtmr tmr;                /* refresh */
	char *callid;
	char tag[17];
	uint32_t cseq;
	uint32_t expires;
	bool refresh;
	struct fsm fsm;
	uint16_t status;
	struct sysinfo *si;             /* from the first subscription on */
	bool ended;                     /* a NOTIFY said terminated */
	ue_done_h *doneh;
	void *arg;
};


static void sub_done(struct ue_sub *s, int err, uint16_t scode)
{
	ue_done(&s->doneh, s->arg, err, scode);
}


static void refresh_handler(void *arg);

/* RFC 6665 from the subscriber's side, as a table; the state names are
 * what a scenario's check reads. */
enum sub_state { SUB_NONE = 0, SUB_PENDING, SUB_ACTIVE, SUB_TERMINATED,
		 SUB_FAILED };
enum sub_event { EV_SUBSCRIBE = 0, EV_OK, EV_FAILED, EV_NOTIFY_ACTIVE,
		 EV_NOTIFY_TERMINATED };

static const char *const sub_events[] = {
	[EV_SUBSCRIBE] = "subscribe", [EV_OK] = "2xx",
	[EV_FAILED] = "failure", [EV_NOTIFY_ACTIVE] = "notify-active",
	[EV_NOTIFY_TERMINATED] = "notify-terminated",
};

#define LIVE (FSM_BIT(EV_OK) | FSM_BIT(EV_FAILED) | \
	      FSM_BIT(EV_NOTIFY_ACTIVE) | FSM_BIT(EV_NOTIFY_TERMINATED))
#define AFTER_LIVE (FSM_BIT(SUB_PENDING) | FSM_BIT(SUB_ACTIVE) | \
		    FSM_BIT(SUB_TERMINATED) | FSM_BIT(SUB_FAILED))

static const struct fsm_state sub_states[] = {
	[SUB_NONE] = {"none", FSM_BIT(EV_SUBSCRIBE), FSM_BIT(SUB_PENDING)},
	[SUB_PENDING] = {"pending", LIVE, AFTER_LIVE},
	[SUB_ACTIVE] = {"active", LIVE | FSM_BIT(EV_SUBSCRIBE), AFTER_LIVE},
	[SUB_TERMINATED] = {"terminated", FSM_BIT(EV_SUBSCRIBE),
			    FSM_BIT(SUB_PENDING)},
	[SUB_FAILED] = {"failed", FSM_BIT(EV_SUBSCRIBE),
			FSM_BIT(SUB_PENDING)},
};

static const struct fsm_def sub_fsm = {
	"ue-sub", sub_states, ARRAY_SIZE(sub_states), sub_events,
	ARRAY_SIZE(sub_events),
};


static void destructor(void *arg)
{
	struct ue_sub *s = arg;

	wtmr_cancel(&s->tmr);
	mem_deref(s->req);
	mem_deref(s->dlg);
	mem_deref(s->callid);
	mem_deref(s->si);
}


static void sub_init(void *part)
{
	struct ue_sub *s = part;

	fsm_init(&s->fsm, &sub_fsm, node_name(s->ue->node), SUB_NONE);
}


/* An answer or a NOTIFY moves the subscription; a 2xx keeps where it
 * is (a NOTIFY may have come before it). */
static void sub_to(struct ue_sub *s, enum sub_event ev, enum sub_state to)
{
	(void)fsm_event(&s->fsm, ev, to);
}


static void sub_resp(int err, const struct sip_msg *msg, void *arg)
{
	struct ue_sub *s = arg;
	struct ue *ue = s->ue;
	char contact[256];

	if (!err && msg && msg->scode < 200)
		return;

	s->req = NULL;

	if (err || !msg) {
		sub_to(s, EV_FAILED, SUB_FAILED);
		sub_done(s, err ? err : ETIMEDOUT, 0);
		return;
	}

	s->status = msg->scode;

	if (msg->scode >= 300) {
		elog(LOG_INFO, node_name(ue->node), "sub",
		     "SUBSCRIBE of %s: %u %r", ue->impu, msg->scode,
		     &msg->reason);
		/* RFC 6665 4.1.2.2: a refresh refused ends it. */
		if (s->dlg) {
			s->dlg = mem_deref(s->dlg);
			wtmr_cancel(&s->tmr);
		}
		sub_to(s, EV_FAILED, SUB_FAILED);
		sub_done(s, 0, msg->scode);
		return;
	}

	sub_to(s, EV_OK, (enum sub_state)s->fsm.state);

	/* The NOTIFY may have come first and made the dialog already. */
	if (!s->dlg && s->expires) {
		(void)ue_contact(contact, sizeof(contact), ue);
		(void)dlg_uac(&s->dlg, ue->node, msg, false, s->cseq,
			      contact);
	}

	/* RFC 6665 4.1.2.1: refresh before the granted time runs out. */
	if (s->expires && s->refresh) {
		uint32_t e = sipx_expires(msg, NULL, s->expires);

		wtmr_start(&s->tmr, e * 500ULL, refresh_handler, s);
	}

	sub_done(s, 0, msg->scode);
}


static int send_in_dialog(struct ue_sub *s, uint32_t expires)
{
	char hdrs[160];

	(void)re_snprintf(hdrs, sizeof(hdrs), "Event: sysinfo\r\n"
			  "Expires: %u\r\nAccept: %s\r\n", expires, ctype);

	s->req = mem_deref(s->req);

	return dlg_request(&s->req, s->dlg, "SUBSCRIBE", hdrs, NULL,
			   NULL, sub_resp, s);
}


static void refresh_handler(void *arg)
{
	struct ue_sub *s = arg;

	if (s->dlg && s->expires)
		(void)send_in_dialog(s, s->expires);
}


/* A new subscription: a new Call-ID and tag, and what sysinfo tells
 * kept apart, allocated by the first one: most UEs of a benchmark never
 * subscribe. */
static int sub_start(struct ue_sub *s)
{
	int err;

	s->callid = mem_deref(s->callid);
	s->ended = false;
	err = re_sdprintf(&s->callid, "%016llx@%s", emul_rand_u64(),
			  node_name(s->ue->node));
	if (err)
		return err;
	(void)re_snprintf(s->tag, sizeof(s->tag), "%016llx",
			  emul_rand_u64());
	if (!s->si) {
		s->si = mem_zalloc(sizeof(*s->si), NULL);
		if (!s->si)
			return ENOMEM;
	}
	memset(s->si, 0, sizeof(*s->si));
	s->cseq = 1;
	sub_to(s, EV_SUBSCRIBE, SUB_PENDING);

	return 0;
}


int ue_subscribe(struct ue *ue, const char *event, uint32_t expires,
		 bool refresh, const char *hdrs, ue_done_h *doneh, void *arg)
{
	struct ue_sub *s = ue_part(ue, UE_PART_SUB);
	char route[96], contact[256];
	struct uri rt;
	int err;

	if (!s || !event)
		return EINVAL;

	if (!ue_registered_for(ue, "subscribe"))
		return EALREADY;

	s->doneh = doneh;
	s->arg = arg;
	s->expires = expires;
	s->refresh = refresh;

	/* A live subscription is refreshed in its dialog. */
	if (s->dlg)
		return send_in_dialog(s, expires);

	if (!fsm_permits(&s->fsm, EV_SUBSCRIBE))
		return fsm_refuse(&s->fsm, EV_SUBSCRIBE);

	err = sub_start(s);
	if (err)
		return err;

	err = ue_pcscf_route(&rt, route, sizeof(route), ue);
	if (err)
		return err;

	(void)ue_contact(contact, sizeof(contact), ue);

	/* TS 24.229 5.1.2A.1.1: the P-CSCF first, then the Service-Route
	 * the registration returned; the subscription is to our own
	 * identity, and the iFCs in the HSS decide which AS takes it. */
	s->req = mem_deref(s->req);
	netguard_bind_hint(node_addr(ue->node));
	err = tsx_requestf(&s->req, tsx_of(ue->node), true, "SUBSCRIBE",
			   ue->impu, &rt, sub_resp, s,
			   "Route: <sip:%s;lr>\r\n"
			   "%s"
			   "From: <%s>;tag=%s\r\n"
			   "To: <%s>\r\n"
			   "Call-ID: %s\r\n"
			   "CSeq: %u SUBSCRIBE\r\n"
			   "Contact: <%s>\r\n"
			   "Event: %s\r\n"
			   "Expires: %u\r\n"
			   "Accept: %s\r\n"
			   "%s"
			   "Content-Length: 0\r\n"
			   "\r\n",
			   node_host(ue->pcscf), ue->routes ? ue->routes : "",
			   ue->impu, s->tag, ue->impu, s->callid,
			   s->cseq, contact, event, expires, ctype,
			   hdrs ? hdrs : "");

	return err;
}


int ue_unsubscribe(struct ue *ue, ue_done_h *doneh, void *arg)
{
	struct ue_sub *s = ue_part(ue, UE_PART_SUB);

	if (!s)
		return EINVAL;

	if (!s->dlg) {
		elog(LOG_WARN, node_name(ue->node), "fsm",
		     "ue(%s): no subscription to end", ue->impu);
		return ENOENT;
	}

	wtmr_cancel(&s->tmr);
	s->doneh = doneh;
	s->arg = arg;
	s->expires = 0;

	return send_in_dialog(s, 0);
}


const struct sysinfo *ue_sysinfo(const struct ue *ue)
{
	const struct ue_sub *s = ue_part(ue, UE_PART_SUB);

	return s && s->si && s->si->valid ? s->si : NULL;
}


static int body_error(struct ue_sub *s, const char *fmt, const char *what)
{
	(void)re_snprintf(s->si->error, sizeof(s->si->error), fmt, what);
	s->si->valid = false;
	elog(LOG_WARN, node_name(s->ue->node), "sysinfo", "%s",
	     s->si->error);

	return EBADMSG;
}


/* The body of CN101409688A step 310, as README.md documents it, into si;
 * on EBADMSG *why is the fault (a format for re_snprintf) and *what its
 * argument.  Pure, for the fuzzer as much as for the UE. */
int sysinfo_decode(struct sysinfo *si, const char *body, size_t len,
		   const char **why, const char **what)
{
	const struct odict_entry *mods, *auth, *m;
	struct odict *od = NULL;
	const char *s;
	uint64_t port;
	int i, err = EBADMSG;

	memset(si, 0, sizeof(*si));
	*why = "sysinfo body: %s";
	*what = "not valid JSON";
	if (json_decode_odict(&od, 16, body, len, 8))
		goto out;

	s = odict_string(od, "as");
	str_ncpy(si->as, s ? s : "", sizeof(si->as));

	mods = odict_get_type(od, ODICT_OBJECT, "modules");
	auth = odict_get_type(od, ODICT_OBJECT, "auth");
	if (!mods || !auth) {
		*why = "sysinfo body: no %s object";
		*what = mods ? "auth" : "modules";
		goto out;
	}

	for (i = 0; i < 3; i++) {
		m = odict_get_type(mods->u.odict, ODICT_OBJECT, modnames[i]);
		if (!m || !odict_string(m->u.odict, "ip") ||
		    !odict_string(m->u.odict, "domain") ||
		    !odict_get_number(m->u.odict, &port, "port") ||
		    !port || port > 65535 ||
		    sa_set_str(&si->addr[i], odict_string(m->u.odict, "ip"),
			       (uint16_t)port)) {
			*why = "sysinfo body: module %s needs domain, ip and"
				" port";
			*what = modnames[i];
			goto out;
		}
		str_ncpy(si->domain[i], odict_string(m->u.odict, "domain"),
			 sizeof(si->domain[i]));
	}

	s = odict_string(auth->u.odict, "token");
	if (!s) {
		*what = "auth has no token";
		goto out;
	}
	str_ncpy(si->token, s, sizeof(si->token));

	si->valid = true;
	err = 0;
 out:
	mem_deref(od);
	return err;
}


static int parse_body(struct ue_sub *s, const struct sip_msg *msg)
{
	const char *why, *what;
	struct sysinfo si;

	if (!msg_ctype_cmp(&msg->ctyp, "application",
			   "vnd.imsbed.sysinfo+json"))
		return body_error(s, "sysinfo body: Content-Type is not %s",
				  ctype);

	if (sysinfo_decode(&si, (const char *)mbuf_buf(msg->mb),
			   mbuf_get_left(msg->mb), &why, &what))
		return body_error(s, why, what);

	si.notifies = s->si->notifies;
	*s->si = si;

	return 0;
}


static void handle_notify(struct ue_sub *s, const struct sip_msg *msg)
{
	struct ue *ue = s->ue;
	const struct sip_hdr *ss = sip_msg_hdr(msg,
					       SIP_HDR_SUBSCRIPTION_STATE);
	const struct sip_hdr *ev = sip_msg_hdr(msg, SIP_HDR_EVENT);
	char contact[256];
	bool terminated;

	if (!ev || pl_strcmp(&ev->val, "sysinfo") || !ss) {
		(void)tsx_reply(NULL, tsx_of(ue->node), msg, 489,
				 "Bad Event");
		return;
	}

	/* RFC 6665 4.1.2.4: a NOTIFY may arrive before the 200 to the
	 * SUBSCRIBE; it then creates the dialog. */
	/* RFC 6665 4.1.3: an ended subscription takes no NOTIFY, not even
	 * a late copy of an earlier one. */
	if (!s->dlg) {
		if (s->ended || !s->callid ||
		    pl_strcmp(&msg->callid, s->callid) ||
		    pl_strcmp(&msg->to.tag, s->tag)) {
			(void)tsx_reply(NULL, tsx_of(ue->node), msg, 481,
					 "Subscription Does Not Exist");
			return;
		}
		(void)ue_contact(contact, sizeof(contact), ue);
		if (dlg_uac(&s->dlg, ue->node, msg, true, s->cseq,
			    contact)) {
			(void)tsx_reply(NULL, tsx_of(ue->node), msg, 500,
					 "Server Internal Error");
			return;
		}
	}
	else if (!dlg_match(s->dlg, msg) || !dlg_rseq_ok(s->dlg, msg)) {
		(void)tsx_reply(NULL, tsx_of(ue->node), msg, 481,
				 "Subscription Does Not Exist");
		return;
	}

	++s->si->notifies;
	terminated = ss->val.l >= 10 &&
		!strncasecmp(ss->val.p, "terminated", 10);
	sub_to(s, terminated ? EV_NOTIFY_TERMINATED : EV_NOTIFY_ACTIVE,
	       terminated ? SUB_TERMINATED : SUB_ACTIVE);

	if (parse_body(s, msg)) {
		(void)tsx_reply(NULL, tsx_of(ue->node), msg, 400,
				 "Bad Request");
	}
	else {
		s->si->error[0] = '\0';
		(void)tsx_reply(NULL, tsx_of(ue->node), msg, 200, "OK");
	}

	if (terminated) {
		s->dlg = mem_deref(s->dlg);
		s->ended = true;
		wtmr_cancel(&s->tmr);
	}
}


static bool sub_request(void *part, const struct sip_msg *msg)
{
	struct ue_sub *s = part;

	if (!pl_strcmp(&msg->met, "NOTIFY")) {
		handle_notify(s, msg);
		return true;
	}

	/* A UE is no notifier: a SUBSCRIBE routed to it (a user without a
	 * sysinfo trigger subscribing to itself) is a Bad Event. */
	if (!pl_strcmp(&msg->met, "SUBSCRIBE")) {
		(void)tsx_reply(NULL, tsx_of(s->ue->node), msg, 489,
				 "Bad Event");
		return true;
	}

	return false;
}


static int sub_query(struct re_printf *pf, const void *part,
		     const char *what, const char *arg)
{
	const struct ue_sub *s = part;
	const struct sysinfo *si = s->si;
	int i, err = 0;
	(void)arg;

	if (!str_casecmp(what, "subscription"))
		return re_hprintf(pf, "%s", fsm_state_name(&s->fsm));

	if (!str_casecmp(what, "sysinfo")) {
		if (!si)
			return re_hprintf(pf, "none");
		if (si->error[0])
			return re_hprintf(pf, "error: %s", si->error);
		if (!si->valid)
			return re_hprintf(pf, "none");
		err = re_hprintf(pf, "as=%s", si->as);
		for (i = 0; i < 3; i++)
			err |= re_hprintf(pf, " %s=%s@%J", modnames[i],
					  si->domain[i], &si->addr[i]);
		return err;
	}

	if (!str_casecmp(what, "notifies"))
		return re_hprintf(pf, "%u", si ? si->notifies : 0);

	return ENOTSUP;
}


const struct ue_part ue_part_sub = {
	"subscription", sizeof(struct ue_sub), destructor, sub_init,
	sub_request, sub_query,
};
