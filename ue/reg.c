/* SPDX-License-Identifier: BSD-3-Clause */
/* The UE's registration (TS 24.229 5.1.1): REGISTER with an empty
 * Authorization naming its IMPI, the digest answer to the 401,
 * Service-Route and P-Associated-URI kept from the 200 OK, refresh at
 * half the granted time, and de-registration.  A state table refuses
 * events that do not belong to a state.  The registration is the UE's
 * core rather than a part: every part's request needs it. */

#include <string.h>
#include <strings.h>
#include <re.h>
#include "digest.h"
#include "host.h"
#include "sipkit.h"
#include "tsx.h"
#include "ue.h"
#include "ueint.h"



/* TS 24.229 5.1.1: the UE's registration, as a table. */
enum reg_event {
	EV_REGISTER = 0, EV_REFRESH, EV_401, EV_200, EV_FAILURE, EV_TIMEOUT,
	EV_DEREGISTER, EV_SEND_ERROR, EV_LOST,
};

static const char *const reg_events[] = {
	[EV_REGISTER] = "register", [EV_REFRESH] = "refresh",
	[EV_401] = "401", [EV_200] = "200", [EV_FAILURE] = "failure",
	[EV_TIMEOUT] = "timeout", [EV_DEREGISTER] = "deregister",
	[EV_SEND_ERROR] = "send-error", [EV_LOST] = "network-dereg",
};

#define ANSWERS (FSM_BIT(EV_401) | FSM_BIT(EV_200) | FSM_BIT(EV_FAILURE) | \
		 FSM_BIT(EV_TIMEOUT) | FSM_BIT(EV_SEND_ERROR))

static const struct fsm_state reg_states[] = {
	[UE_IDLE] = {"IDLE", FSM_BIT(EV_REGISTER),
		     FSM_BIT(UE_REGISTERING)},
	[UE_REGISTERING] = {"REGISTERING", ANSWERS,
			    FSM_BIT(UE_AUTHENTICATING) |
			    FSM_BIT(UE_REGISTERED) | FSM_BIT(UE_FAILED)},
	[UE_AUTHENTICATING] = {"AUTHENTICATING", ANSWERS,
			       FSM_BIT(UE_AUTHENTICATING) |
			       FSM_BIT(UE_REGISTERED) | FSM_BIT(UE_FAILED)},
	[UE_REGISTERED] = {"REGISTERED", FSM_BIT(EV_REGISTER) |
			   FSM_BIT(EV_REFRESH) | FSM_BIT(EV_DEREGISTER) |
			   FSM_BIT(EV_LOST),
			   FSM_BIT(UE_REGISTERING) |
			   FSM_BIT(UE_DEREGISTERING) | FSM_BIT(UE_IDLE)},
	[UE_DEREGISTERING] = {"DEREGISTERING", ANSWERS,
			      FSM_BIT(UE_DEREGISTERING) | FSM_BIT(UE_IDLE) |
			      FSM_BIT(UE_FAILED)},
	[UE_FAILED] = {"FAILED", FSM_BIT(EV_REGISTER),
		       FSM_BIT(UE_REGISTERING)},
};

static const struct fsm_def reg_fsm = {
	"ue-reg", reg_states, ARRAY_SIZE(reg_states), reg_events,
	ARRAY_SIZE(reg_events),
};


const char *ue_state_name(enum ue_state st)
{
	return (size_t)st < ARRAY_SIZE(reg_states) ?
		reg_states[st].name : "?";
}


static void set_state(struct ue *ue, enum ue_state st, enum reg_event ev)
{
	(void)fsm_event(&ue->reg, ev, st);
}


static void done(struct ue *ue, int err, uint16_t scode)
{
	ue_done(&ue->doneh, ue->arg, err, scode);
}


static int send_register(struct ue *ue, uint32_t expires);


static void refresh_handler(void *arg)
{
	struct ue *ue = arg;

	if (!fsm_permits(&ue->reg, EV_REFRESH))
		return;

	ue->auth_tries = 0;
	ue->resynced = false;
	set_state(ue, UE_REGISTERING, EV_REFRESH);
	(void)send_register(ue, ue->expires);
}


/* The 200 lists every device of the user: ours is the one with our
 * Contact (TS 24.229 5.1.1.2.2). */
struct own {
	char contact[160];
	const struct sip_msg *msg;
	uint32_t *granted;
	struct ue *ue;
};


static bool own_contact(const struct sip_hdr *h, const struct sip_msg *msg,
			void *arg)
{
	struct own *o = arg;
	struct sip_addr ct;

	if (sip_addr_decode(&ct, &h->val) || pl_strcmp(&ct.auri, o->contact))
		return false;

	*o->granted = sipx_expires(msg, &ct.params, *o->granted);
	ue_contact_gruus(o->ue, &ct);
	return true;
}


static void registered(struct ue *ue, const struct sip_msg *msg)
{
	struct own o = {.msg = msg, .granted = &ue->granted, .ue = ue};

	ue->granted = ue->expires;
	if (!ue_contact(o.contact, sizeof(o.contact), ue))
		(void)sip_msg_hdr_apply(msg, true, SIP_HDR_CONTACT,
					own_contact, &o);

	ue->assoc = mem_deref(ue->assoc);
	(void)sipx_hdr_str(&ue->assoc, msg, SIP_HDR_P_ASSOCIATED_URI);
	ue->routes = mem_deref(ue->routes);
	(void)sipx_hdr_lines(&ue->routes, msg, SIP_HDR_SERVICE_ROUTE,
			     "Route");

	set_state(ue, UE_REGISTERED, EV_200);
	if (ue->reg_event)
		ue_regsub_auto(ue);

	/* TS 24.229 5.1.1.4: refresh before the registration runs out. */
	if (ue->refresh && ue->granted)
		wtmr_start(&ue->tmr_refresh, ue->granted * 500ULL,
			  refresh_handler, ue);
}


static int parse_challenge(struct ue *ue, const struct sip_msg *msg)
{
	const struct sip_hdr *h = sip_msg_hdr(msg, SIP_HDR_WWW_AUTHENTICATE);
	char qop[32] = "", alg[16] = "MD5";

	if (!h || h->val.l < 6 || strncasecmp(h->val.p, "Digest", 6))
		return EPROTO;

	if (sipx_auth_param(&h->val, "realm", ue->realm, sizeof(ue->realm)) ||
	    sipx_auth_param(&h->val, "nonce", ue->nonce, sizeof(ue->nonce)))
		return EPROTO;

	/* imsbed's UE speaks qop=auth only, as the S-CSCF offers. */
	(void)sipx_auth_param(&h->val, "qop", qop, sizeof(qop));
	if (qop[0] && !strstr(qop, "auth"))
		return EPROTO;

	ue->nc = 0;
	ue->challenged = true;
	ue->auts[0] = '\0';

	(void)sipx_auth_param(&h->val, "algorithm", alg, sizeof(alg));

	return ue_usim_answer(ue, alg);
}


static bool stale_true(const struct sip_msg *msg)
{
	const struct sip_hdr *h = sip_msg_hdr(msg, SIP_HDR_WWW_AUTHENTICATE);
	char stale[8] = "";

	if (h)
		(void)sipx_auth_param(&h->val, "stale", stale, sizeof(stale));

	return 0 == str_casecmp(stale, "true");
}


static void response_handler(int err, const struct sip_msg *msg, void *arg)
{
	struct ue *ue = arg;
	bool dereg = ue_state(ue) == UE_DEREGISTERING;

	if (!err && msg && msg->scode < 200)
		return;

	ue->req = NULL;

	if (err || !msg) {
		elog(LOG_WARN, node_name(ue->node), "reg",
		     "REGISTER of %s: no answer (%m)", ue->impu, err);
		set_state(ue, UE_FAILED, EV_TIMEOUT);
		done(ue, err ? err : ETIMEDOUT, 0);
		return;
	}

	ue->last_status = msg->scode;

	switch (msg->scode) {

	case 200:
		if (dereg) {
			set_state(ue, UE_IDLE, EV_200);
			wtmr_cancel(&ue->tmr_refresh);
		}
		else {
			registered(ue, msg);
		}
		done(ue, 0, 200);
		return;

	case 401:
		/* RFC 2617 3.2.1: a 401 to our answer without stale=true
		 * means the credentials are wrong; stop there.  After an
		 * AUTS the fresh vector's 401 is the one to answer. */
		if (ue->auth_tries++ && !stale_true(msg)) {
			if (!ue->auts[0] || ue->resynced)
				break;
			ue->resynced = true;
		}

		if (parse_challenge(ue, msg))
			break;
		if (ue->sec_agree) {
			ue->sec_server = mem_deref(ue->sec_server);
			(void)sipx_hdr_str(&ue->sec_server, msg,
					   SIP_HDR_SECURITY_SERVER);
		}

		if (!dereg)
			set_state(ue, UE_AUTHENTICATING, EV_401);
		if (!send_register(ue, dereg ? 0 : ue->expires))
			return;
		break;

	default:
		break;
	}

	elog(LOG_INFO, node_name(ue->node), "reg", "REGISTER of %s: %u %r",
	     ue->impu, msg->scode, &msg->reason);
	set_state(ue, UE_FAILED, EV_FAILURE);
	wtmr_cancel(&ue->tmr_refresh);
	done(ue, 0, msg->scode);
}


/* The digest response to the challenge: with the configured password,
 * or AKA's (RFC 3310 3.4: empty after a synchronisation failure). */
static int response_of(struct ue *ue, char resp[DIGEST_HEX],
		       const char *nc, const char *cnonce, const char *uri)
{
	char ha1[DIGEST_HEX];
	int err;

	if (!ue->aka_challenged)
		err = digest_ha1(ha1, ue->impi, ue->realm, ue->pw_used);
	else if (ue->aka == AKA_OK)
		err = digest_ha1_bin(ha1, ue->impi, ue->realm, ue->aka_pw,
				     ue->aka_pwlen);
	else
		err = digest_ha1_bin(ha1, ue->impi, ue->realm, NULL, 0);

	return err ? err : digest_response(resp, ha1, ue->nonce, nc, cnonce,
					   "auth", "REGISTER", uri);
}


static int auth_header(struct ue *ue, char *buf, size_t sz, const char *uri)
{
	char resp[DIGEST_HEX], nc[9], cnonce[17], extra[64] = "";
	const char *alg = "MD5";
	uint8_t rnd[8];
	size_t i;

	/* TS 24.229 5.1.1.2.1: the first REGISTER already names the IMPI
	 * in an Authorization header with empty nonce and response. */
	if (!ue->challenged)
		return re_snprintf(buf, sz,
				   "Authorization: Digest username=\"%s\","
				   " realm=\"%s\", nonce=\"\", uri=\"%s\","
				   " response=\"\"\r\n", ue->impi,
				   emul_domain(), uri) < 0 ? ENOMEM : 0;

	if (ue->aka_challenged)
		alg = ue->aka_v2 ? "AKAv2-MD5" : "AKAv1-MD5";

	/* TS 24.229 5.1.1.5.3: AUTN failed, so no response at all. */
	if (ue->aka_challenged && ue->aka == AKA_MAC_FAILURE)
		return re_snprintf(buf, sz,
				   "Authorization: Digest username=\"%s\","
				   " realm=\"%s\", nonce=\"%s\", uri=\"%s\","
				   " response=\"\", algorithm=%s\r\n",
				   ue->impi, ue->realm, ue->nonce, uri,
				   alg) < 0 ? ENOMEM : 0;

	emul_random(rnd, sizeof(rnd));
	for (i = 0; i < sizeof(rnd); i++)
		(void)re_snprintf(&cnonce[2 * i], 3, "%02x", rnd[i]);

	(void)re_snprintf(nc, sizeof(nc), "%08x", ++ue->nc);

	if (response_of(ue, resp, nc, cnonce, uri))
		return EINVAL;

	if (ue->aka_challenged && ue->aka == AKA_SYNC_FAILURE)
		(void)re_snprintf(extra, sizeof(extra), ", auts=\"%s\"",
				  ue->auts);

	return re_snprintf(buf, sz,
			   "Authorization: Digest username=\"%s\","
			   " realm=\"%s\", nonce=\"%s\", uri=\"%s\","
			   " response=\"%s\", algorithm=%s, cnonce=\"%s\","
			   " qop=auth, nc=%s%s\r\n", ue->impi, ue->realm,
			   ue->nonce, uri, resp, alg, cnonce, nc, extra) < 0 ?
		ENOMEM : 0;
}


int ue_set_reg_event(struct ue *ue, bool on)
{
	if (!ue)
		return EINVAL;

	ue->reg_event = on;
	return 0;
}


int ue_set_sec_agree(struct ue *ue, bool on)
{
	if (!ue)
		return EINVAL;

	ue->sec_agree = on;
	ue->spi_c = (uint32_t)emul_rand_u64();
	ue->spi_s = (uint32_t)emul_rand_u64();

	return 0;
}


/* TS 24.229 5.1.1.2.1, 5.1.1.5.1: Security-Client on every REGISTER,
 * Security-Verify once the P-CSCF's Security-Server is known, and
 * sec-agree required of the P-CSCF.  Its ports are the UE's own plus 2
 * and 4 (not used: no ESP, see cscf/pcscf_sec.c). */
static int sec_lines(struct ue *ue, char *buf, size_t sz)
{
	uint16_t port = sa_port(node_addr(ue->node));

	buf[0] = '\0';
	if (!ue->sec_agree)
		return 0;

	return re_snprintf(buf, sz, "Security-Client: ipsec-3gpp;"
			   "alg=hmac-sha-1-96;ealg=null;spi-c=%u;spi-s=%u;"
			   "port-c=%u;port-s=%u\r\n%s%s%s"
			   "Require: sec-agree\r\n"
			   "Proxy-Require: sec-agree\r\n",
			   ue->spi_c, ue->spi_s, port + 2, port + 4,
			   ue->sec_server ? "Security-Verify: " : "",
			   ue->sec_server ? ue->sec_server : "",
			   ue->sec_server ? "\r\n" : "") < 0 ? ENOMEM : 0;
}


static int send_register(struct ue *ue, uint32_t expires)
{
	char ruri[160], auth[768], route[96], sec[384];
	struct uri rt;
	int err;

	(void)re_snprintf(ruri, sizeof(ruri), "sip:%s", emul_domain());
	err = ue_pcscf_route(&rt, route, sizeof(route), ue);
	if (err)
		return err;

	err = auth_header(ue, auth, sizeof(auth), ruri);
	if (!err)
		err = sec_lines(ue, sec, sizeof(sec));
	if (err)
		return err;

	ue->req = mem_deref(ue->req);

	netguard_bind_hint(node_addr(ue->node));
	err = tsx_requestf(&ue->req, tsx_of(ue->node), true, "REGISTER",
			   ruri, &rt, response_handler, ue,
			    "Route: <sip:%s;lr>\r\n"
			    "From: <%s>;tag=%08x\r\n"
			    "To: <%s>\r\n"
			    "Call-ID: %s\r\n"
			    "CSeq: %u REGISTER\r\n"
			    "Contact: <sip:%s@%J%s>;expires=%u%H\r\n"
			    "Expires: %u\r\n"
			    "%s%s"
			    "Supported: %s\r\n"
			    "Content-Length: 0\r\n"
			    "\r\n",
			    node_host(ue->pcscf), ue->impu, ue->ftag,
			    ue->impu, ue->callid, ++ue->cseq,
			    ue->cuser, node_addr(ue->node),
			    node_tcp(ue->node) ? ";transport=tcp" : "",
			    expires, ue_contact_params, ue,
			    expires, auth, sec, ue_contact_supported(ue));

	return err;
}


int ue_register(struct ue *ue, uint32_t expires, bool refresh,
		const char *password, ue_done_h *doneh, void *arg)
{
	int err;

	if (!ue)
		return EINVAL;

	if (!fsm_permits(&ue->reg, EV_REGISTER)) {
		(void)fsm_refuse(&ue->reg, EV_REGISTER);
		return EALREADY;
	}

	ue->pw_used = mem_deref(ue->pw_used);
	err = str_dup(&ue->pw_used, password ? password : ue->password);
	if (err)
		return err;

	/* A new password is a new start: forget the old challenge. */
	if (password)
		ue->challenged = false;

	ue->expires = expires;
	ue->refresh = refresh;
	ue->auth_tries = 0;
	ue->resynced = false;
	ue->doneh = doneh;
	ue->arg = arg;
	wtmr_cancel(&ue->tmr_refresh);
	set_state(ue, UE_REGISTERING, EV_REGISTER);

	err = send_register(ue, expires);
	if (err)
		set_state(ue, UE_FAILED, EV_SEND_ERROR);

	return err;
}


int ue_deregister(struct ue *ue, ue_done_h *doneh, void *arg)
{
	int err;

	if (!ue)
		return EINVAL;

	if (!fsm_permits(&ue->reg, EV_DEREGISTER)) {
		(void)fsm_refuse(&ue->reg, EV_DEREGISTER);
		return EALREADY;
	}

	ue->doneh = doneh;
	ue->arg = arg;
	ue->auth_tries = 0;
	wtmr_cancel(&ue->tmr_refresh);
	set_state(ue, UE_DEREGISTERING, EV_DEREGISTER);

	err = send_register(ue, 0);
	if (err)
		set_state(ue, UE_FAILED, EV_SEND_ERROR);

	return err;
}


enum ue_state ue_state(const struct ue *ue)
{
	return ue ? (enum ue_state)ue->reg.state : UE_IDLE;
}


void ue_reg_init(struct ue *ue)
{
	fsm_init(&ue->reg, &reg_fsm, node_name(ue->node), UE_IDLE);
	ue->q = -1;
}


/* TS 24.229 5.1.1.7: the network ended this device's registration;
 * deactivated asks for a new initial registration at once. */
void ue_reg_lost(struct ue *ue, bool reregister)
{
	if (!fsm_permits(&ue->reg, EV_LOST))
		return;

	set_state(ue, UE_IDLE, EV_LOST);
	wtmr_cancel(&ue->tmr_refresh);
	ue->challenged = false;
	ue->nonce[0] = '\0';
	if (!reregister)
		return;

	ue->auth_tries = 0;
	ue->resynced = false;
	set_state(ue, UE_REGISTERING, EV_REGISTER);
	if (send_register(ue, ue->expires))
		set_state(ue, UE_FAILED, EV_SEND_ERROR);
}


void ue_reg_close(struct ue *ue)
{
	wtmr_cancel(&ue->tmr_refresh);
	ue->req = mem_deref(ue->req);
	mem_deref(ue->password);
	mem_deref(ue->sec_server);
	ue_contact_close(ue);
	mem_deref(ue->pw_used);
	mem_deref(ue->callid);
}


int ue_reg_query(struct re_printf *pf, const struct ue *ue, const char *what)
{
	if (!str_casecmp(what, "state"))
		return re_hprintf(pf, "%s", ue_state_name(ue_state(ue)));
	if (!str_casecmp(what, "service_route"))
		return re_hprintf(pf, "%s", ue->routes ? ue->routes : "");
	if (!str_casecmp(what, "assoc"))
		return re_hprintf(pf, "%s", ue->assoc ? ue->assoc : "");
	if (!str_casecmp(what, "expires"))
		return re_hprintf(pf, "%u", ue->granted);
	if (!str_casecmp(what, "last_status"))
		return re_hprintf(pf, "%u", ue->last_status);

	return ue_contact_query(pf, ue, what);
}
