/* SPDX-License-Identifier: BSD-3-Clause */
/* Session timers (RFC 4028): the caller's INVITE asks for
 * Session-Expires and names the refresher (uac, itself, unless told
 * uas); the phone echoes it in the 200 with Require: timer, choosing
 * itself when the caller named nobody and does not support the timer.
 * The refresher refreshes the session by UPDATE at half the interval;
 * the other side, not hearing of it, ends the call with BYE a third of
 * the interval (32 s at most) before it expires (RFC 4028 10). */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "tsx.h"
#include "ue.h"
#include "ueint.h"
#include "media.h"
#include "call.h"


/* The number a header starts with ("90;refresher=uac"), 0 for none. */
static uint32_t leading_u32(const struct sip_hdr *h)
{
	uint32_t n = 0;
	size_t i;

	for (i = 0; h && i < h->val.l && i < 9; i++) {
		if (h->val.p[i] < '0' || h->val.p[i] > '9')
			break;
		n = n * 10 + (uint32_t)(h->val.p[i] - '0');
	}

	return n;
}


uint32_t ue_stimer_se(const struct sip_msg *msg)
{
	return leading_u32(sip_msg_hdr(msg, SIP_HDR_SESSION_EXPIRES));
}


bool ue_stimer_refuse(struct ue_call *c, const struct sip_msg *inv)
{
	uint32_t se = ue_stimer_se(inv);

	if (!c->min_se || !se || se >= c->min_se)
		return false;

	/* RFC 4028 8.1: too short an interval, with the shortest taken */
	(void)tsx_replyf(NULL, tsx_of(c->ue->node), inv, false, 422,
			 "Session Interval Too Small", "Min-SE: %u\r\n"
			 "Content-Length: 0\r\n\r\n", c->min_se);
	return true;
}


bool ue_stimer_retry(struct ue_call *c, const struct sip_msg *resp)
{
	uint32_t min = leading_u32(sip_msg_hdr(resp, SIP_HDR_MIN_SE));

	/* RFC 4028 7.4: once, with Session-Expires the Min-SE asked for */
	if (resp->scode != 422 || !c->se || c->se_retried || min <= c->se)
		return false;

	c->se = min;
	c->se_retried = true;
	return true;
}


/* RFC 4028 9: refresher=uac names the request's sender, so each side
 * writes the agreed refresher from where the message stands. */
int ue_stimer_hdrs(const struct ue_call *c, char *buf, size_t sz,
		   bool response)
{
	bool uac = response ? c->se_watch : !c->se_watch;

	buf[0] = '\0';
	if (!c->se)
		return 0;

	return re_snprintf(buf, sz, "Session-Expires: %u;refresher=%s\r\n"
			   "%s", c->se, uac ? "uac" : "uas", response ?
			   "Require: timer\r\n" : "Supported: timer\r\n") < 0 ?
		ENOMEM : 0;
}


static void expired(void *arg);


/* RFC 4028 10: the side that does not refresh ends the session a third
 * of the interval (32 s at most) before it would expire. */
static void watch(struct ue_call *c)
{
	uint32_t margin = MIN(32, c->se / 3);

	wtmr_start(&c->tmr_se, (c->se - margin) * 1000ULL, expired, c);
}


static void refresh(void *arg)
{
	struct ue_call *c = arg;

	if (c->state != UE_CALL_ESTABLISHED || !c->se)
		return;

	wtmr_start(&c->tmr_se, c->se * 500ULL, refresh, c);
	if (ue_call_offer(c->ue, UE_OFFER_UPDATE, NULL, NULL))
		elog(LOG_WARN, node_name(c->ue->node), "call", "session "
		     "refresh not sent");
}


static void expired(void *arg)
{
	struct ue_call *c = arg;

	if (c->state != UE_CALL_ESTABLISHED || !c->dlg)
		return;

	elog(LOG_INFO, node_name(c->ue->node), "call", "session not "
	     "refreshed in %u s: BYE (RFC 4028 10)", c->se);
	media_stop(c->media);
	(void)dlg_request(&c->req, c->dlg, "BYE", "Reason: SIP;cause=408;"
			  "text=\"Session timer expired\"\r\n", NULL, NULL,
			  NULL, NULL);
	c->dlg = mem_deref(c->dlg);
	ue_call_set_state(c, UE_CALL_ENDED, "session expired");
}


/* The refresher a message's Session-Expires names: true for uas. */
static bool refresher_uas(const struct sip_msg *msg)
{
	const struct sip_hdr *h = sip_msg_hdr(msg, SIP_HDR_SESSION_EXPIRES);
	struct pl v;

	return h && !msg_param_decode(&h->val, "refresher", &v) &&
		!pl_strcasecmp(&v, "uas");
}


static void roles(struct ue_call *c)
{
	if (c->se_watch)
		watch(c);
	else
		wtmr_start(&c->tmr_se, c->se * 500ULL, refresh, c);
}


/* Caller: the 200's Session-Expires is the interval, its refresher the
 * side that refreshes. */
void ue_stimer_answered(struct ue_call *c, const struct sip_msg *resp)
{
	uint32_t se = ue_stimer_se(resp);

	if (!c->se || !se)
		return;

	c->se = se;
	c->se_watch = refresher_uas(resp);
	roles(c);
}


/* Callee, answering the INVITE: the caller refreshes when it said so,
 * or said nothing and supports the timer (RFC 4028 9); else we do. */
void ue_stimer_invited(struct ue_call *c, const struct sip_msg *inv)
{
	const struct sip_hdr *h = sip_msg_hdr(inv, SIP_HDR_SESSION_EXPIRES);
	struct pl v;

	c->se = ue_stimer_se(inv);
	if (!c->se || !h)
		return;

	if (!msg_param_decode(&h->val, "refresher", &v))
		c->se_watch = pl_strcasecmp(&v, "uas") != 0;
	else
		c->se_watch = sip_msg_hdr_has_value(inv, SIP_HDR_SUPPORTED,
						    "timer");
	roles(c);
}


/* The peer refreshed: the whole interval again (RFC 4028 10). */
void ue_stimer_refreshed(struct ue_call *c, const struct sip_msg *req)
{
	uint32_t se = ue_stimer_se(req);

	if (!se || !c->se_watch)
		return;

	c->se = se;
	watch(c);
}
