/* SPDX-License-Identifier: BSD-3-Clause */
/* The telephony service (an MMTel AS, TS 24.173, in a small form): a
 * request the iFCs bring to the AS URI sip:tas@<as> is proxied (the AS
 * acting as a SIP proxy, TS 24.229 5.7.4) back to the S-CSCF it came
 * from, so that both parties' iFCs can run a call through it; and on the
 * terminating side it diverts a call as the served user's rules say
 * (TS 24.604 CDIV): unconditionally, when the user is busy, when nobody
 * answers within the rule's time, or when the user cannot be reached.
 * The diverted INVITE goes back to the S-CSCF with the new Request-URI
 * and History-Info (RFC 7044), where the diverting user's
 * originating-CDIV iFCs and the new target's terminating ones apply. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "tsx.h"
#include "proxy.h"
#include "as.h"
#include "asint.h"

/* TS 24.604 4.5.2.6.1: how many times a call may be diverted; more is a
 * loop of rules, and the call ends as it would without the rule. */
enum { CDIV_MAX = 5 };

struct tas_rule {
	enum as_cdiv when;
	char *target;           /* NULL: no rule for this condition */
	uint32_t after_ms;      /* AS_CDIV_NO_ANSWER */
};

/* A served user's rules, one per condition, found once per INVITE. */
struct tas_user {
	struct le he;
	char *impu;             /* as the S-CSCF names it */
	struct tas_rule rulev[AS_CDIV_NOT_REACHABLE + 1];
};

struct tas_svc {
	struct as *as;
	struct proxy *px;
	struct hash *users;     /* struct tas_user, by IMPU */
	uint32_t proxied;
	uint32_t diverted;
	char last[320];         /* "busy sip:a -> sip:b" */
};

/* A call on its way through the AS, while the proxy holds it. */
struct tas_call {
	struct tas_svc *sv;
	struct ptx *t;
	const struct tas_user *user;    /* the served user's rules */
	char served[256];
	bool term;              /* the served user is the callee */
	char *hi;               /* CFU's History-Info, for its 181 */
	struct wtmr tmr;        /* no answer */
	bool timed_out;         /* the 487 that comes is ours */
	bool ringing;
	bool diverted;          /* once: the rest is the new target's */
};

static bool divert_resp(int err, const struct sip_msg *msg, struct ptx *t,
			void *arg);


static void user_destructor(void *arg)
{
	struct tas_user *u = arg;
	size_t i;

	hash_unlink(&u->he);
	mem_deref(u->impu);
	for (i = 0; i < ARRAY_SIZE(u->rulev); i++)
		mem_deref(u->rulev[i].target);
}


static void call_destructor(void *arg)
{
	struct tas_call *c = arg;

	wtmr_cancel(&c->tmr);
	mem_deref(c->hi);
}


static void svc_destructor(void *arg)
{
	struct tas_svc *sv = arg;

	/* the proxy's transactions first: they hold the calls */
	mem_deref(sv->px);
	hash_flush(sv->users);
	mem_deref(sv->users);
}


const char *as_cdiv_name(enum as_cdiv c)
{
	switch (c) {

	case AS_CDIV_UNCONDITIONAL: return "unconditional";
	case AS_CDIV_BUSY:          return "busy";
	case AS_CDIV_NO_ANSWER:     return "no_answer";
	case AS_CDIV_NOT_REACHABLE: return "not_reachable";
	default:                    return "?";
	}
}


/* TS 24.604 4.5.2.6.2, the cause the diverted-to entry carries (RFC
 * 4458): 302 for CFU, 486 CFB, 408 CFNR, 503 CFNRc. */
static uint16_t cdiv_cause(enum as_cdiv c)
{
	static const uint16_t causev[] = {302, 486, 408, 503};

	return (size_t)c < ARRAY_SIZE(causev) ? causev[c] : 480;
}


static bool user_cmp(struct le *le, void *arg)
{
	const struct tas_user *u = le->data;

	return 0 == str_casecmp(u->impu, arg);
}


static struct tas_user *user_find(const struct tas_svc *sv,
				  const char *impu)
{
	return list_ledata(hash_lookup(sv->users,
				       hash_joaat_ci(impu, strlen(impu)),
				       user_cmp, (void *)impu));
}


static const struct tas_rule *rule_of(const struct tas_user *u,
				      enum as_cdiv when)
{
	return u && u->rulev[when].target ? &u->rulev[when] : NULL;
}


/* Whom the S-CSCF says the AS serves here (RFC 5502); without its
 * word, the callee of the Request-URI. */
static void served_user(struct tas_call *c, const struct sip_msg *msg)
{
	struct sip_addr addr;
	struct pl v, pv;

	c->term = true;
	if (sipx_hdr_pl(&v, msg, "P-Served-User") &&
	    !sip_addr_decode(&addr, &v)) {
		(void)pl_strcpy(&addr.auri, c->served, sizeof(c->served));
		c->term = !msg_param_decode(&addr.params, "sescase", &pv) &&
			!pl_strcasecmp(&pv, "term");
		return;
	}

	(void)sipx_uri_aor(c->served, sizeof(c->served), &msg->ruri);
}


/* The request on to r's target, back through the S-CSCF (the next
 * Route, its ODI); from the response handler (t set) or at once. */
static int divert(struct tas_call *c, const struct sip_msg *msg,
		  const struct tas_rule *r)
{
	struct tas_svc *sv = c->sv;
	enum sip_hdrid skip[] = {SIP_HDR_HISTORY_INFO};
	struct proxy_fwd fwd;
	char *hi = NULL;
	uint32_t n = 0;
	int err;

	err = sipx_histinfo_divert(&hi, &n, msg, r->target,
				   cdiv_cause(r->when));
	if (err)
		return err;
	if (n >= CDIV_MAX) {
		elog(LOG_INFO, node_name(sv->as->node), "cdiv",
		     "%s: diverted %u times already, not again", c->served,
		     n);
		mem_deref(hi);
		return ELOOP;
	}

	proxy_fwd_init(&fwd, sv->px, msg);
	fwd.ruri = r->target;
	fwd.addhdrs = hi;
	fwd.skipv = skip;
	fwd.skipc = ARRAY_SIZE(skip);

	elog(LOG_INFO, node_name(sv->as->node), "cdiv", "%s %s -> %s",
	     as_cdiv_name(r->when), c->served, r->target);
	(void)re_snprintf(sv->last, sizeof(sv->last), "%s %s -> %s",
			  as_cdiv_name(r->when), c->served, r->target);

	/* RFC 3261 21.1.3, TS 24.604 4.5.2.6.2: the caller hears of it,
	 * by a 181 at once or, before the transaction exists (CFU), before
	 * the first answer from the new target.  A failure of the new
	 * target is relayed as it is: its own rules are its AS's. */
	if (c->t) {
		(void)proxy_ptx_provisional(c->t, 181, hi);
		err = proxy_reforward(c->t, &fwd, 1, NULL, c);
		mem_deref(hi);
	}
	else {
		c->hi = hi;
		err = proxy_forward(sv->px, msg, &fwd, divert_resp, c);
	}
	if (!err) {
		++sv->diverted;
		c->diverted = true;
	}

	return err;
}


static void noanswer_handler(void *arg)
{
	struct tas_call *c = arg;

	/* TS 24.604 4.5.2.6.2.4: the branch is CANCELled; its 487 brings
	 * the diversion (divert_resp). */
	c->timed_out = true;
	proxy_ptx_cancel(c->t);
}


/* What the served user's rules make of the answer: a diversion, on a
 * branch of the same transaction, or the answer relayed as it is. */
static bool divert_resp(int err, const struct sip_msg *msg, struct ptx *t,
			void *arg)
{
	struct tas_call *c = arg;
	const struct tas_rule *r = NULL, *na;
	uint16_t sc = msg ? msg->scode : 0;

	c->t = t;
	if (c->hi) {
		(void)proxy_ptx_provisional(t, 181, c->hi);
		c->hi = mem_deref(c->hi);
	}
	if (c->diverted)
		return false;
	na = rule_of(c->user, AS_CDIV_NO_ANSWER);
	if (sc == 180 && na && !c->ringing) {
		c->ringing = true;
		wtmr_start(&c->tmr, na->after_ms, noanswer_handler, c);
	}
	if (sc && sc < 300) {
		if (sc >= 200)
			wtmr_cancel(&c->tmr);
		return false;
	}

	if (c->timed_out && sc == 487)
		r = na;
	else if (sc == 486 || sc == 600)
		r = rule_of(c->user, AS_CDIV_BUSY);
	else if (err || sc == 480 || sc == 503 || sc == 408)
		r = rule_of(c->user, AS_CDIV_NOT_REACHABLE);

	return r && 0 == divert(c, proxy_ptx_msg(t), r);
}


static void policy_request(void *impl, const struct sip_msg *msg)
{
	struct tas_svc *sv = impl;
	const struct tas_rule *r;
	struct proxy_fwd fwd;
	struct tas_call *c;
	int err;

	++sv->proxied;
	proxy_fwd_init(&fwd, sv->px, msg);
	if (pl_strcmp(&msg->met, "INVITE") || pl_isset(&msg->to.tag)) {
		(void)proxy_forward(sv->px, msg, &fwd, NULL, NULL);
		return;
	}

	c = mem_zalloc(sizeof(*c), call_destructor);
	if (!c) {
		(void)proxy_reply(sv->px, msg, 500, NULL);
		return;
	}
	c->sv = sv;
	served_user(c, msg);

	/* ELOOP: past the limit, the call goes on undiverted; any other
	 * failure the proxy has answered upstream. */
	c->user = c->term ? user_find(sv, c->served) : NULL;
	r = rule_of(c->user, AS_CDIV_UNCONDITIONAL);
	err = r ? divert(c, msg, r) : ELOOP;
	if (err == ELOOP)
		(void)proxy_forward(sv->px, msg, &fwd,
				    c->term ? divert_resp : NULL, c);

	mem_deref(c);
}


static const struct proxy_policy policy = {
	.request = policy_request,
};


static int tas_alloc(void **svcp, struct as *as)
{
	struct tas_svc *sv = mem_zalloc(sizeof(*sv), svc_destructor);
	int err;

	if (!sv)
		return ENOMEM;

	sv->as = as;
	err = hash_alloc(&sv->users, 64);
	if (!err)
		err = proxy_alloc_hosted(&sv->px, as->node, &policy, sv);
	if (err) {
		mem_deref(sv);
		return err;
	}

	*svcp = sv;
	return 0;
}


/* The AS URI's user part names the service: sip:tas@<as>. */
static bool tas_request(void *svc, const struct sip_msg *msg)
{
	struct tas_svc *sv = svc;
	struct pl user = PL_INIT;

	if (!proxy_route_top(sv->px, msg, &user, NULL) ||
	    pl_strcmp(&user, "tas"))
		return false;

	return proxy_recv(sv->px, msg);
}


static int tas_query(struct re_printf *pf, const void *svc, const char *what,
		     const char *arg)
{
	const struct tas_svc *sv = svc;
	(void)arg;

	if (!str_casecmp(what, "diverted"))
		return re_hprintf(pf, "%u", sv->diverted);
	if (!str_casecmp(what, "diversion"))
		return re_hprintf(pf, "%s", sv->last);
	if (!str_casecmp(what, "proxied"))
		return re_hprintf(pf, "%u", sv->proxied);

	return ENOTSUP;
}


int as_cdiv_add(struct as *as, const char *user, enum as_cdiv when,
		const char *target, uint32_t after_ms)
{
	struct tas_svc *sv = as_service(as, AS_SVC_TAS);
	struct tas_user *u;
	struct tas_rule *r;

	if (!sv || !user || !target || (size_t)when > AS_CDIV_NOT_REACHABLE)
		return EINVAL;

	u = user_find(sv, user);
	if (!u) {
		u = mem_zalloc(sizeof(*u), user_destructor);
		if (!u || str_dup(&u->impu, user)) {
			mem_deref(u);
			return ENOMEM;
		}
		hash_append(sv->users, hash_joaat_ci(user, strlen(user)),
			    &u->he, u);
	}

	r = &u->rulev[when];
	if (r->target)
		return EALREADY;

	r->when = when;
	r->after_ms = after_ms;

	return str_dup(&r->target, target);
}


/* Its responses are matched by the transaction layer; one that comes
 * after (a 2xx again) is relayed on as a proxy's is. */
bool as_tas_stray(struct as *as, const struct sip_msg *msg)
{
	struct tas_svc *sv = as_service(as, AS_SVC_TAS);

	/* one Via is an answer to the AS's own requests (click-to-dial) */
	if (!sv || sip_msg_hdr_count(msg, SIP_HDR_VIA) < 2)
		return false;

	return proxy_relay_stray(sv->px, msg);
}


const struct as_service as_tas = {
	.name  = "tas",
	.alloc = tas_alloc,
	.reqh  = tas_request,
	.query = tas_query,
};
