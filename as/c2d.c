/* SPDX-License-Identifier: BSD-3-Clause */
/* Click-to-dial (CN102916966A) as third-party call control.  A REFER
 * from the caller's client names the callee; the AS answers 202 and
 * reports through NOTIFYs of message/sipfrag (RFC 3515), calls the
 * caller's own phone without an offer, takes the offer from its 200,
 * offers it to the callee it found in the cloud address book, and gives
 * the caller's phone the callee's answer in the ACK: RFC 3725 flow I,
 * chosen because it needs no re-INVITE and no media-less dialog, and
 * it is the patent's step order (caller first, then callee); a BYE from
 * either phone ends the other leg, a forked leg's second 2xx itself. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "tsx.h"
#include "as.h"
#include "asint.h"

/* CN102916966A with RFC 3725 flow I, as a table: the name is looked up,
 * the caller's phone called, then the callee; connected, or done with
 * an outcome at any point. */
enum c2d_state {
	C2D_LOOKUP = 0,         /* the REFER taken, the name looked up */
	C2D_CALLING_A,          /* INVITE to the caller's phone */
	C2D_CALLING_B,          /* INVITE to the callee */
	C2D_CONNECTED,
	C2D_DONE,
};

enum c2d_event { EV_CALL_A = 0, EV_A_ANSWERED, EV_B_ANSWERED, EV_END };

static const char *const c2d_events[] = {
	[EV_CALL_A] = "call-caller", [EV_A_ANSWERED] = "caller-answered",
	[EV_B_ANSWERED] = "callee-answered", [EV_END] = "end",
};

static const struct fsm_state c2d_states[] = {
	[C2D_LOOKUP] = {"LOOKUP", FSM_BIT(EV_CALL_A) | FSM_BIT(EV_END),
			FSM_BIT(C2D_CALLING_A) | FSM_BIT(C2D_DONE)},
	[C2D_CALLING_A] = {"CALLING_A", FSM_BIT(EV_A_ANSWERED) |
			   FSM_BIT(EV_END),
			   FSM_BIT(C2D_CALLING_B) | FSM_BIT(C2D_DONE)},
	[C2D_CALLING_B] = {"CALLING_B", FSM_BIT(EV_B_ANSWERED) |
			   FSM_BIT(EV_END),
			   FSM_BIT(C2D_CONNECTED) | FSM_BIT(C2D_DONE)},
	[C2D_CONNECTED] = {"CONNECTED", FSM_BIT(EV_END), FSM_BIT(C2D_DONE)},
	[C2D_DONE] = {"DONE", FSM_BIT(EV_END), FSM_BIT(C2D_DONE)},
};

static const struct fsm_def c2d_fsm = {
	"as-c2d", c2d_states, ARRAY_SIZE(c2d_states), c2d_events,
	ARRAY_SIZE(c2d_events),
};

struct c2d_svc {
	struct as *as;
	struct list calls;
};

struct c2d {
	struct le le;
	struct as *as;
	struct fsm fsm;                 /* enum c2d_state */
	struct dlg *rdlg;               /* the REFER's subscription */
	struct tsxh *nreq;
	struct {                        /* the state to tell next */
		bool set;
		uint16_t scode;
		char reason[48];
		bool final;
	} next;
	struct tsxh *req_a;
	struct tsxh *req_b;
	struct dlg *dlg_a;
	struct dlg *dlg_b;
	char scscf[128];                /* S-CSCF host the REFER came by */
	char caller[256];               /* the asserted identity */
	char phone_a[32];
	char phone_b[32];
	char name[64];
	char *offer;                    /* from the caller's phone's 200 */
	char callid_a[40];
	char callid_b[40];
	struct wtmr tmr;                /* how long a phone may ring */
	bool timed_out;
};

static void c2d_end(struct c2d *c);


static void c2d_destructor(void *arg)
{
	struct c2d *c = arg;

	list_unlink(&c->le);
	wtmr_cancel(&c->tmr);
	mem_deref(c->nreq);
	mem_deref(c->req_a);
	mem_deref(c->req_b);
	mem_deref(c->rdlg);
	mem_deref(c->dlg_a);
	mem_deref(c->dlg_b);
	mem_deref(c->offer);
}


static void notify(struct c2d *c, uint16_t scode, const char *reason,
		   bool final);


static void notify_resp(int err, const struct sip_msg *msg, void *arg)
{
	struct c2d *c = arg;

	if (!err && msg && msg->scode < 200)
		return;

	c->nreq = NULL;

	/* What happened meanwhile goes now, in order. */
	if (c->next.set) {
		c->next.set = false;
		notify(c, c->next.scode, c->next.reason, c->next.final);
		if (c->nreq)
			return;
	}

	/* The final NOTIFY answered: a finished call can go now. */
	if (c->fsm.state == C2D_DONE)
		c2d_end(c);
}


/* RFC 3515 2.4.5: the state of the referred call, as a status line. */
static void notify(struct c2d *c, uint16_t scode, const char *reason,
		   bool final)
{
	char hdrs[128], frag[128];
	struct pl body;

	if (!c->rdlg)
		return;

	/* RFC 6665 4.2.2: one NOTIFY at a time, so that a resent one
	 * never overtakes a newer state; the newest waits its turn. */
	if (c->nreq) {
		c->next.set = true;
		c->next.scode = scode;
		str_ncpy(c->next.reason, reason, sizeof(c->next.reason));
		c->next.final = final;
		return;
	}

	(void)re_snprintf(frag, sizeof(frag), "SIP/2.0 %u %s\r\n", scode,
			  reason);
	(void)re_snprintf(hdrs, sizeof(hdrs), "Event: refer\r\n"
			  "Subscription-State: %s\r\n",
			  final ? "terminated;reason=noresource" :
			  "active;expires=60");
	pl_set_str(&body, frag);

	(void)dlg_request(&c->nreq, c->rdlg, "NOTIFY", hdrs,
			  "message/sipfrag;version=2.0", &body, notify_resp,
			  c);
}


/* The call's outcome, told to the client in the final NOTIFY. */
static void finish(struct c2d *c, uint16_t scode, const char *reason)
{
	notify(c, scode, reason, true);
	c2d_end(c);
}


static int invite(struct c2d *c, struct tsxh **reqp,
		  const char *phone, const char *sdp, sip_resp_h *resph,
		  char *callid, size_t csz)
{
	struct node *s = NULL;
	struct uri route;
	struct pl pl;
	struct sa dst;
	char rbuf[96], ruri[48], next[160];
	int err;

	/* TS 24.229 5.7.5: an AS calling on the user's behalf sends to
	 * the S-CSCF's originating entry, with the user's identity. */
	(void)re_snprintf(next, sizeof(next), "sip:%s", c->scscf);
	pl_set_str(&pl, next);
	if (uri_decode(&route, &pl) || emul_resolve(&dst, &s, &route))
		return ENOENT;
	(void)re_snprintf(rbuf, sizeof(rbuf), "sip:%J%s", &dst,
			  node_tcp(s) ? ";transport=tcp" : "");
	pl_set_str(&pl, rbuf);
	err = uri_decode(&route, &pl);
	if (err)
		return err;

	(void)re_snprintf(ruri, sizeof(ruri), "tel:%s", phone);
	(void)re_snprintf(callid, csz, "%016llx@%s", emul_rand_u64(),
			  node_host(c->as->node));

	err = tsx_requestf(reqp, tsx_of(c->as->node), true, "INVITE",
			   ruri, &route, resph, c,
			   "Route: <sip:orig@%s;lr>\r\n"
			   "From: \"Click-to-dial\" <%s>;tag=%016llx\r\n"
			   "To: <%s>\r\n"
			   "Call-ID: %s\r\n"
			   "CSeq: 1 INVITE\r\n"
			   "Contact: <sip:c2d@%s>\r\n"
			   "P-Asserted-Identity: <%s>\r\n"
			   "%s"
			   "Content-Length: %zu\r\n"
			   "\r\n%s",
			   c->scscf, c->caller, emul_rand_u64(), ruri, callid,
			   node_host(c->as->node), c->caller,
			   sdp ? "Content-Type: application/sdp\r\n" : "",
			   sdp ? strlen(sdp) : (size_t)0, sdp ? sdp : "");

	return err;
}


/* The callee refused or vanished: the caller's phone, answered with an
 * offer nobody takes, gets an answer declining the stream (port 0, RFC
 * 3264 6) in its ACK and then a BYE. */
static void release_a(struct c2d *c)
{
	struct pl body;

	if (!c->dlg_a)
		return;

	pl_set_str(&body, sipx_sdp_decline);
	(void)dlg_request(NULL, c->dlg_a, "ACK", NULL, "application/sdp",
			  &body, NULL, NULL);
	(void)dlg_request(NULL, c->dlg_a, "BYE", NULL, NULL, NULL, NULL,
			  NULL);
	c->dlg_a = mem_deref(c->dlg_a);
}


/* A phone rang too long: CANCEL it (RFC 3261 9.1); its 487 then tells
 * the client 480, what a callee who does not answer means. */
static void ring_timeout(void *arg)
{
	struct c2d *c = arg;

	c->timed_out = true;
	if (c->fsm.state == C2D_CALLING_A)
		tsx_cancel(c->req_a);
	else if (c->fsm.state == C2D_CALLING_B)
		tsx_cancel(c->req_b);
}


static uint16_t outcome(const struct c2d *c, int err,
			const struct sip_msg *msg)
{
	if (c->timed_out || err == ETIMEDOUT)
		return 480;

	return err ? 503 : msg->scode;
}


static void resp_b(int err, const struct sip_msg *msg, void *arg)
{
	struct c2d *c = arg;
	char contact[128];
	struct pl body;

	if (!err && msg && msg->scode < 200)
		return;

	c->req_b = NULL;
	wtmr_cancel(&c->tmr);

	if (err || msg->scode >= 300) {
		uint16_t sc = outcome(c, err, msg);

		elog(LOG_INFO, node_name(c->as->node), "c2d",
		     "%s (+%s) did not take the call: %u", c->name,
		     c->phone_b, sc);
		release_a(c);
		finish(c, sc, sipx_reason(sc));
		return;
	}

	(void)re_snprintf(contact, sizeof(contact), "sip:c2d@%s",
			  node_host(c->as->node));
	if (dlg_uac(&c->dlg_b, c->as->node, msg, false, 1, contact)) {
		release_a(c);
		finish(c, 500, "Server Internal Error");
		return;
	}

	/* Both legs answer: ACK the callee, and give the caller's phone
	 * the callee's answer in its ACK. */
	body.p = (const char *)mbuf_buf(msg->mb);
	body.l = mbuf_get_left(msg->mb);
	(void)dlg_request(NULL, c->dlg_b, "ACK", NULL, NULL, NULL, NULL,
			  NULL);
	(void)dlg_request(NULL, c->dlg_a, "ACK", NULL, "application/sdp",
			  &body, NULL, NULL);

	(void)fsm_event(&c->fsm, EV_B_ANSWERED, C2D_CONNECTED);
	elog(LOG_INFO, node_name(c->as->node), "c2d", "%s connected to %s",
	     c->caller, c->name);
	notify(c, 200, "OK", true);
}


static void resp_a(int err, const struct sip_msg *msg, void *arg)
{
	struct c2d *c = arg;
	char contact[128];

	if (!err && msg && msg->scode < 200)
		return;

	c->req_a = NULL;
	wtmr_cancel(&c->tmr);

	/* The caller's own phone did not answer: the callee is never
	 * called. */
	if (err || msg->scode >= 300) {
		uint16_t sc = outcome(c, err, msg);

		finish(c, sc, sipx_reason(sc));
		return;
	}

	(void)re_snprintf(contact, sizeof(contact), "sip:c2d@%s",
			  node_host(c->as->node));
	if (dlg_uac(&c->dlg_a, c->as->node, msg, false, 1, contact) ||
	    re_sdprintf(&c->offer, "%b", mbuf_buf(msg->mb),
			mbuf_get_left(msg->mb))) {
		finish(c, 500, "Server Internal Error");
		return;
	}

	(void)fsm_event(&c->fsm, EV_A_ANSWERED, C2D_CALLING_B);
	c->timed_out = false;
	wtmr_start(&c->tmr, c->as->ring_ms, ring_timeout, c);
	if (invite(c, &c->req_b, c->phone_b, c->offer, resp_b, c->callid_b,
		   sizeof(c->callid_b))) {
		release_a(c);
		finish(c, 500, "Server Internal Error");
	}
}


static void c2d_end(struct c2d *c)
{
	(void)fsm_event(&c->fsm, EV_END, C2D_DONE);
	if (!c->dlg_a && !c->dlg_b && !c->nreq)
		mem_deref(c);
}


/* RFC 3515: the REFER of CN102916966A step 1, taken: the caller is
 * who the core asserted (the client has no say), the callee the user
 * part of Refer-To; 202 and the first NOTIFY.  NULL when it was
 * answered otherwise. */
static struct c2d *refer_accept(struct c2d_svc *sv, const struct sip_msg *msg)
{
	const struct sip_hdr *rt = sip_msg_hdr(msg, SIP_HDR_REFER_TO);
	struct as *as = sv->as;
	struct node *from = emul_node_by_addr(&msg->src);
	struct tsxl *l = tsx_of(as->node);
	char contact[128];
	struct sip_addr to;
	struct c2d *c;

	if (!rt || sip_addr_decode(&to, &rt->val) ||
	    !pl_isset(&to.uri.user)) {
		(void)tsx_reply(NULL, l, msg, 400, "Bad Request");
		return NULL;
	}

	c = mem_zalloc(sizeof(*c), c2d_destructor);
	if (!c)
		return NULL;
	c->as = as;
	fsm_init(&c->fsm, &c2d_fsm, node_name(as->node), C2D_LOOKUP);
	list_append(&sv->calls, &c->le, c);

	if (sipx_asserted_id(c->caller, sizeof(c->caller), msg) ||
	    appdb_user_phone(as->db, c->caller, c->phone_a,
			     sizeof(c->phone_a))) {
		(void)tsx_reply(NULL, l, msg, 403, "Forbidden");
		return mem_deref(c);
	}

	(void)pl_strcpy(&to.uri.user, c->name, sizeof(c->name));
	str_ncpy(c->scscf, from ? node_host(from) : "", sizeof(c->scscf));

	(void)re_snprintf(contact, sizeof(contact), "sip:%s",
			  node_host(as->node));
	if (dlg_uas(&c->rdlg, as->node, msg, contact)) {
		(void)tsx_reply(NULL, l, msg, 500,
				 "Server Internal Error");
		return mem_deref(c);
	}

	(void)tsx_replyf(NULL, l, msg, true, 202, "Accepted",
			  "Contact: <%s>\r\nContent-Length: 0\r\n\r\n",
			  contact);
	notify(c, 100, "Trying", false);

	return c;
}


/* CN102916966A step 3, done first so that a name nobody has does not
 * ring the caller's phone for nothing: the callee's one number, or the
 * call finished with why not. */
static int lookup(struct c2d *c)
{
	const char *node = node_name(c->as->node);
	char numv[4][APPDB_NUMBER];
	size_t n = 0, i;

	if (appdb_lookup_name(c->as->db, c->caller, c->name, numv,
			      ARRAY_SIZE(numv), &n)) {
		finish(c, 404, "Not Found");
		return ENOENT;
	}

	/* RFC 3261 21.3.1: several candidates, none chosen. */
	if (n > 1) {
		for (i = 0; i < n; i++)
			elog(LOG_INFO, node, "c2d", "%s: candidate %s",
			     c->name, numv[i]);
		finish(c, 300, "Multiple Choices");
		return EEXIST;
	}
	str_ncpy(c->phone_b, numv[0], sizeof(c->phone_b));

	/* The callee's own book may bar the caller: nobody rings. */
	if (appdb_blacklisted(c->as->db, c->phone_b, c->caller,
			      c->phone_a)) {
		elog(LOG_INFO, node, "c2d", "%s has blacklisted %s",
		     c->name, c->caller);
		finish(c, 403, "Forbidden");
		return EPERM;
	}

	return 0;
}


static void refer(struct c2d_svc *sv, const struct sip_msg *msg)
{
	struct c2d *c = refer_accept(sv, msg);

	if (!c || lookup(c))
		return;

	(void)fsm_event(&c->fsm, EV_CALL_A, C2D_CALLING_A);
	wtmr_start(&c->tmr, c->as->ring_ms, ring_timeout, c);
	if (invite(c, &c->req_a, c->phone_a, NULL, resp_a, c->callid_a,
		   sizeof(c->callid_a)))
		finish(c, 500, "Server Internal Error");
}


static struct c2d *find(struct c2d_svc *sv, const struct sip_msg *msg,
			bool *is_a)
{
	struct le *le;

	for (le = sv->calls.head; le; le = le->next) {
		struct c2d *c = le->data;

		if (c->dlg_a && dlg_match(c->dlg_a, msg)) {
			*is_a = true;
			return c;
		}
		if (c->dlg_b && dlg_match(c->dlg_b, msg)) {
			*is_a = false;
			return c;
		}
		if (c->rdlg && dlg_match(c->rdlg, msg))
			return c;
	}

	return NULL;
}


/* RFC 3725 section 7: a BYE on one leg ends the other. */
static void bye(struct c2d_svc *sv, const struct sip_msg *msg)
{
	struct tsxl *l = tsx_of(sv->as->node);
	struct dlg **mine, **other;
	bool is_a = false;
	struct c2d *c;

	c = find(sv, msg, &is_a);
	if (!c || (!c->dlg_a && !c->dlg_b)) {
		(void)tsx_reply(NULL, l, msg, 481,
				 "Call/Transaction Does Not Exist");
		return;
	}

	(void)tsx_reply(NULL, l, msg, 200, "OK");

	mine = is_a ? &c->dlg_a : &c->dlg_b;
	other = is_a ? &c->dlg_b : &c->dlg_a;
	*mine = mem_deref(*mine);
	if (*other)
		(void)dlg_request(NULL, *other, "BYE", NULL, NULL, NULL,
				  NULL, NULL);
	*other = mem_deref(*other);

	c2d_end(c);
}


static bool c2d_request(void *svc, const struct sip_msg *msg)
{
	if (!pl_strcmp(&msg->met, "REFER") && !pl_isset(&msg->to.tag)) {
		refer(svc, msg);
		return true;
	}

	if (pl_strcmp(&msg->met, "BYE"))
		return false;

	bye(svc, msg);

	return true;
}


static int c2d_query(struct re_printf *pf, const void *svc,
		     const char *what, const char *arg)
{
	const struct c2d_svc *sv = svc;
	(void)arg;

	if (str_casecmp(what, "calls"))
		return ENOTSUP;

	return re_hprintf(pf, "%u", list_count(&sv->calls));
}


static void svc_destructor(void *arg)
{
	struct c2d_svc *sv = arg;

	list_flush(&sv->calls);
}


static int c2d_alloc(void **svcp, struct as *as)
{
	struct c2d_svc *sv = mem_zalloc(sizeof(*sv), svc_destructor);

	if (!sv)
		return ENOMEM;

	sv->as = as;
	*svcp = sv;

	return 0;
}


bool as_c2d_stray(struct as *as, const struct sip_msg *msg)
{
	struct c2d_svc *sv = as_service(as, AS_SVC_C2D);
	char contact[128];
	struct le *le;

	(void)re_snprintf(contact, sizeof(contact), "sip:c2d@%s",
			  node_host(as->node));
	for (le = sv ? sv->calls.head : NULL; le; le = le->next) {
		struct c2d *c = le->data;

		if (dlg_stray_2xx(c->dlg_a, as->node, msg, 1, contact) ||
		    dlg_stray_2xx(c->dlg_b, as->node, msg, 1, contact))
			return true;
	}

	return false;
}


const struct as_service as_c2d = {
	"click-to-dial", c2d_alloc, c2d_request, c2d_query, NULL,
};
