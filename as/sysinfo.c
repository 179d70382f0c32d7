/* SPDX-License-Identifier: BSD-3-Clause */
/* The sysinfo event package (CN101409688A steps 307-314) on RFC 6665:
 * a user's SUBSCRIBE reaches their own AS through their iFC, and the AS
 * answers with NOTIFYs whose body names its GM, IM and PS modules (domain
 * name, IP address, port) and a bearer token for them.  Subscriptions
 * expire, refresh, end on Expires: 0, and every subscriber is notified
 * again when the modules move. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "tsx.h"
#include "as.h"
#include "asint.h"

enum {
	SYSINFO_DEFAULT_EXPIRES = 3600,
	SYSINFO_MAX_EXPIRES = 86400,
	TOKEN_BYTES = 16,
};

static const char ctype[] = "application/vnd.imsbed.sysinfo+json";

struct sysinfo_svc {
	struct as *as;
	struct list subs;
	struct hash *tokens;            /* the same, by HTTP token */
	struct hash *by_callid;         /* the same, by dialog Call-ID */
};

struct sub {
	struct le le;
	struct le he_tok;
	struct le he_cid;
	struct as *as;
	struct dlg *dlg;
	struct tsxh *req;        /* the NOTIFY in flight */
	struct wheel_ent went;
	char user[256];
	char token[2 * TOKEN_BYTES + 1];
	uint32_t expires;
	uint32_t version;
	struct fsm fsm;                 /* the notifier's state */
	bool next;                      /* a newer state waits its turn */
	const char *next_reason;
};

/* RFC 6665 4.2 from the notifier's side: active until the subscription
 * ends (expiry, un-SUBSCRIBE, the user's de-registration), then
 * terminated, its final NOTIFY out, until that NOTIFY is answered. */
enum notifier_state { NS_ACTIVE = 0, NS_TERMINATED };
enum notifier_event { EV_REFRESH = 0, EV_EXPIRE, EV_UNSUBSCRIBE,
		      EV_USER_GONE };

static const char *const notifier_events[] = {
	[EV_REFRESH] = "refresh", [EV_EXPIRE] = "expire",
	[EV_UNSUBSCRIBE] = "unsubscribe", [EV_USER_GONE] = "user-gone",
};

static const struct fsm_state notifier_states[] = {
	[NS_ACTIVE] = {"ACTIVE", FSM_BIT(EV_REFRESH) | FSM_BIT(EV_EXPIRE) |
		       FSM_BIT(EV_UNSUBSCRIBE) | FSM_BIT(EV_USER_GONE),
		       FSM_BIT(NS_ACTIVE) | FSM_BIT(NS_TERMINATED)},
	[NS_TERMINATED] = {"TERMINATED", 0, 0},
};

static const struct fsm_def notifier_fsm = {
	"as-sysinfo", notifier_states, ARRAY_SIZE(notifier_states),
	notifier_events, ARRAY_SIZE(notifier_events),
};


static bool terminated(const struct sub *s)
{
	return s->fsm.state == NS_TERMINATED;
}


/* The subscription ends: false when its state does not permit ev. */
static bool end_sub(struct sub *s, enum notifier_event ev)
{
	return 0 == fsm_event(&s->fsm, ev, NS_TERMINATED);
}


static void sub_destructor(void *arg)
{
	struct sub *s = arg;

	list_unlink(&s->le);
	hash_unlink(&s->he_tok);
	hash_unlink(&s->he_cid);
	wheel_cancel(&s->went);
	mem_deref(s->req);
	mem_deref(s->dlg);
}


static bool tok_cmp(struct le *le, void *arg)
{
	const struct sub *s = le->data;

	return 0 == strcmp(s->token, arg);
}


/* The modules ask whose a bearer token is; arg is the AS. */
const char *sysinfo_token_user(const char *token, void *arg)
{
	struct sysinfo_svc *sv = as_service(arg, AS_SVC_SYSINFO);
	struct sub *s;

	if (!token || !sv)
		return NULL;

	s = list_ledata(hash_lookup(sv->tokens, hash_joaat_str(token),
				    tok_cmp, (void *)token));

	return s && !terminated(s) ? s->user : NULL;
}


static int body_print(struct mbuf *mb, const struct sub *s)
{
	const struct as *as = s->as;
	int err, i;

	/* The test knob: what a broken AS would send. */
	if (as->corrupt)
		return mbuf_printf(mb, "{\"as\": \"%s\", "
				   "\"modules\": {\"gm\":",
				   node_host(as->node));

	err = mbuf_printf(mb, "{\"version\":%u,\"as\":\"%s\",\"user\":\"%s\","
			  "\"modules\":{", s->version, node_host(as->node),
			  s->user);
	for (i = 0; i < ASMOD_COUNT; i++) {
		err |= mbuf_printf(mb, "%s\"%s\":{\"domain\":\"%s.%s\","
				   "\"ip\":\"%j\",\"port\":%u}",
				   i ? "," : "", asmod_name(i), asmod_name(i),
				   node_host(as->node), &as->modaddr[i],
				   sa_port(&as->modaddr[i]));
	}
	err |= mbuf_printf(mb, "},\"auth\":{\"scheme\":\"Bearer\","
			   "\"token\":\"%s\",\"expires\":%u}}",
			   s->token, s->expires);

	return err;
}


static int notify(struct sub *s, const char *reason);


static void notify_resp(int err, const struct sip_msg *msg, void *arg)
{
	struct sub *s = arg;

	if (!err && msg && msg->scode < 200)
		return;

	s->req = NULL;

	/* The newest state, which waited for this answer. */
	if (!err && msg->scode != 481 && msg->scode != 408 && s->next) {
		s->next = false;
		if (!notify(s, s->next_reason))
			return;
	}

	/* RFC 6665 4.2.2: a 481 (or no answer) ends the subscription. */
	if (err || msg->scode == 481 || msg->scode == 408 || terminated(s)) {
		if (err || msg->scode >= 300)
			elog(LOG_INFO, node_name(s->as->node), "sysinfo",
			     "subscription of %s ends: %s", s->user,
			     err ? "no answer" : "481/408");
		mem_deref(s);
	}
}


static int notify(struct sub *s, const char *reason)
{
	struct mbuf *mb;
	char hdrs[160];
	struct pl body;
	int err;

	/* RFC 6665 4.2.2: one NOTIFY at a time, so that a resent one never
	 * overtakes a newer state; the newest waits for its answer. */
	if (s->req) {
		s->next = true;
		s->next_reason = reason;
		return 0;
	}

	mb = mbuf_alloc(512);
	if (!mb)
		return ENOMEM;

	++s->version;
	err = body_print(mb, s);
	if (err)
		goto out;

	if (reason)
		(void)re_snprintf(hdrs, sizeof(hdrs),
				  "Event: sysinfo\r\n"
				  "Subscription-State: terminated;"
				  "reason=%s\r\n",
				  reason);
	else
		(void)re_snprintf(hdrs, sizeof(hdrs),
				  "Event: sysinfo\r\n"
				  "Subscription-State: active;expires=%u\r\n",
				  (uint32_t)(wheel_left(&s->went) / 1000));

	body.p = (const char *)mb->buf;
	body.l = mb->end;

	err = dlg_request(&s->req, s->dlg, "NOTIFY", hdrs, ctype, &body,
			  notify_resp, s);
 out:
	mem_deref(mb);
	return err;
}


static void expired(void *arg)
{
	struct sub *s = arg;

	/* RFC 6665 4.2.2: the final NOTIFY says why it ended. */
	if (!end_sub(s, EV_EXPIRE))
		return;
	if (notify(s, "timeout"))
		mem_deref(s);
}


static bool dlg_cmp(struct le *le, void *arg)
{
	const struct sub *s = le->data;

	return dlg_match(s->dlg, arg);
}


static struct sub *sub_find(const struct sysinfo_svc *sv,
			    const struct sip_msg *msg)
{
	return list_ledata(hash_lookup(sv->by_callid,
				       hash_joaat_pl(&msg->callid), dlg_cmp,
				       (void *)msg));
}


static uint32_t expires_of(const struct sip_msg *msg)
{
	uint32_t e = sipx_expires(msg, NULL, SYSINFO_DEFAULT_EXPIRES);

	return MIN(e, (uint32_t)SYSINFO_MAX_EXPIRES);
}


static int reply_ok(struct as *as, const struct sip_msg *msg,
		    uint32_t expires)
{
	return tsx_replyf(NULL, tsx_of(as->node), msg, true, 200,
			   "OK", "Contact: <sip:%s>\r\n"
			   "Expires: %u\r\n"
			   "Content-Length: 0\r\n\r\n",
			   node_host(as->node), expires);
}


static void subscribe_initial(struct sysinfo_svc *sv,
			      const struct sip_msg *msg)
{
	struct as *as = sv->as;
	uint8_t rnd[TOKEN_BYTES];
	char contact[160];
	struct sub *s;
	uint32_t expires = expires_of(msg);
	size_t i;
	int err;

	s = mem_zalloc(sizeof(*s), sub_destructor);
	if (!s)
		goto fail;

	s->as = as;
	fsm_init(&s->fsm, &notifier_fsm, node_name(as->node), NS_ACTIVE);
	if (sipx_asserted_id(s->user, sizeof(s->user), msg)) {
		mem_deref(s);
		(void)tsx_reply(NULL, tsx_of(as->node), msg, 403,
				 "Forbidden");
		return;
	}

	emul_random(rnd, sizeof(rnd));
	for (i = 0; i < sizeof(rnd); i++)
		(void)re_snprintf(&s->token[2 * i], 3, "%02x", rnd[i]);

	(void)re_snprintf(contact, sizeof(contact), "sip:%s",
			  node_host(as->node));
	err = dlg_uas(&s->dlg, as->node, msg, contact);
	if (err)
		goto fail;

	s->expires = expires;
	list_append(&sv->subs, &s->le, s);
	hash_append(sv->tokens, hash_joaat_str(s->token), &s->he_tok, s);
	hash_append(sv->by_callid, hash_joaat_str(dlg_callid(s->dlg)),
		    &s->he_cid, s);

	elog(LOG_INFO, node_name(as->node), "sysinfo",
	     "%s subscribes for %us", s->user, expires);

	(void)reply_ok(as, msg, expires);

	/* RFC 6665 4.2.1: the NOTIFY follows the 200 at once; Expires: 0
	 * asks for one NOTIFY and no subscription. */
	if (expires) {
		wheel_start(as->wheel, &s->went, expires * 1000ULL, expired,
			    s);
		(void)notify(s, NULL);
	}
	else {
		(void)end_sub(s, EV_UNSUBSCRIBE);
		if (notify(s, "timeout"))
			mem_deref(s);
	}
	return;

 fail:
	mem_deref(s);
	(void)tsx_reply(NULL, tsx_of(as->node), msg, 500,
			 "Server Internal Error");
}


static void subscribe_in_dialog(struct sysinfo_svc *sv,
				const struct sip_msg *msg)
{
	struct as *as = sv->as;
	struct sub *s = sub_find(sv, msg);
	uint32_t expires = expires_of(msg);

	if (!s || terminated(s)) {
		(void)tsx_reply(NULL, tsx_of(as->node), msg, 481,
				 "Call/Transaction Does Not Exist");
		return;
	}

	if (!dlg_rseq_ok(s->dlg, msg)) {
		(void)tsx_reply(NULL, tsx_of(as->node), msg, 500,
				 "Server Internal Error");
		return;
	}

	(void)reply_ok(as, msg, expires);

	if (!expires) {
		/* RFC 6665 4.1.2.3: un-subscribing gets a last NOTIFY. */
		wheel_cancel(&s->went);
		(void)end_sub(s, EV_UNSUBSCRIBE);
		if (notify(s, "timeout"))
			mem_deref(s);
		return;
	}

	(void)fsm_event(&s->fsm, EV_REFRESH, NS_ACTIVE);
	s->expires = expires;
	wheel_start(as->wheel, &s->went, expires * 1000ULL, expired, s);
	(void)notify(s, NULL);
}


static bool sysinfo_request(void *svc, const struct sip_msg *msg)
{
	struct sysinfo_svc *sv = svc;
	const struct sip_hdr *ev;

	if (pl_strcmp(&msg->met, "SUBSCRIBE"))
		return false;

	/* RFC 6665 8.2.2: only the packages we know. */
	ev = sip_msg_hdr(msg, SIP_HDR_EVENT);
	if (!ev || pl_strcmp(&ev->val, "sysinfo")) {
		(void)tsx_replyf(NULL, tsx_of(sv->as->node), msg,
				  false, 489, "Bad Event",
				  "Allow-Events: sysinfo\r\n"
				  "Content-Length: 0\r\n\r\n");
		return true;
	}

	if (pl_isset(&msg->to.tag))
		subscribe_in_dialog(sv, msg);
	else
		subscribe_initial(sv, msg);

	return true;
}


/* The modules moved: every subscriber hears of it (RFC 6665 4.2.2). */
void sysinfo_notify_all(struct as *as)
{
	struct sysinfo_svc *sv = as_service(as, AS_SVC_SYSINFO);
	struct le *le = sv ? sv->subs.head : NULL;

	while (le) {
		struct sub *s = le->data;

		le = le->next;
		if (!terminated(s))
			(void)notify(s, NULL);
	}
}


/* The user's registration ended (a third-party de-REGISTER, or its
 * expiry at the AS): their tokens die with it, not only with the
 * subscription, and the subscription ends with a final NOTIFY (RFC 6665
 * 4.2.2, reason=noresource: what it watched is gone). */
static void sysinfo_user_gone(void *svc, const char *impu)
{
	struct sysinfo_svc *sv = svc;
	struct le *le = sv->subs.head;

	while (le) {
		struct sub *s = le->data;

		le = le->next;
		if (terminated(s) || str_casecmp(s->user, impu))
			continue;

		elog(LOG_INFO, node_name(sv->as->node), "sysinfo", "%s is no "
		     "longer registered: token revoked", s->user);
		wheel_cancel(&s->went);
		(void)end_sub(s, EV_USER_GONE);
		if (notify(s, "noresource"))
			mem_deref(s);
	}
}


static int sysinfo_query(struct re_printf *pf, const void *svc,
			 const char *what, const char *arg)
{
	const struct sysinfo_svc *sv = svc;
	(void)arg;

	if (str_casecmp(what, "subscriptions"))
		return ENOTSUP;

	return re_hprintf(pf, "%u", list_count(&sv->subs));
}


static void svc_destructor(void *arg)
{
	struct sysinfo_svc *sv = arg;

	list_flush(&sv->subs);
	mem_deref(sv->tokens);
	mem_deref(sv->by_callid);
}


static int sysinfo_alloc(void **svcp, struct as *as)
{
	struct sysinfo_svc *sv = mem_zalloc(sizeof(*sv), svc_destructor);
	int err;

	if (!sv)
		return ENOMEM;

	sv->as = as;
	err  = hash_alloc(&sv->tokens, 64);
	err |= hash_alloc(&sv->by_callid, 256);
	if (err) {
		mem_deref(sv);
		return ENOMEM;
	}

	*svcp = sv;

	return 0;
}


const struct as_service as_sysinfo = {
	"sysinfo", sysinfo_alloc, sysinfo_request, sysinfo_query,
	sysinfo_user_gone,
};
