/* SPDX-License-Identifier: BSD-3-Clause */
/* The UE's subscription to its own registration state (TS 24.229
 * 5.1.1.3, RFC 3680) through its P-CSCF and Service-Route, and what the
 * network said of this device: deactivated means register again,
 * rejected or unregistered that the registration is over (TS 24.229
 * 5.1.1.7).  The subscription itself is the SIP kit's regwatch. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "tsx.h"
#include "reginfo.h"
#include "ue.h"
#include "ueint.h"

struct ue_regsub {
	struct ue *ue;                  /* first: ue.c sets it */
	struct regwatch *w;
	ue_done_h *doneh;
	void *arg;
};


static void destructor(void *arg)
{
	struct ue_regsub *r = arg;

	mem_deref(r->w);
}


static void sub_resp(int err, uint16_t scode, void *arg)
{
	struct ue_regsub *r = arg;

	ue_done(&r->doneh, r->arg, err, scode);
}


/* TS 24.229 5.1.1.7: what the network did to this device. */
static void view_handler(struct regwatch *w, const struct reginfo *view,
			 void *arg)
{
	struct ue_regsub *r = arg;
	struct ue *ue = r->ue;
	struct reginfo_reg *reg = reginfo_reg_find(view, ue->impu);
	struct reginfo_contact *ct;
	char contact[256];
	(void)w;

	(void)ue_contact(contact, sizeof(contact), ue);
	ct = reg ? reginfo_contact_find(reg, contact) : NULL;
	if (!ct || ct->state != REGINFO_CT_TERMINATED)
		return;

	elog(LOG_INFO, node_name(ue->node), "reg", "reginfo: %s %s",
	     contact, reginfo_event_name(ct->event));
	ue_reg_lost(ue, ct->event == REGINFO_EV_DEACTIVATED);
}


int ue_subscribe_reg(struct ue *ue, uint32_t expires, ue_done_h *doneh,
		     void *arg)
{
	struct ue_regsub *r = ue_part(ue, UE_PART_REGSUB);
	char route[96], contact[256], *hdrs = NULL;
	struct regwatch_req rq;
	struct uri rt;
	int err;

	if (!r)
		return EINVAL;
	if (!ue_registered_for(ue, "subscribe reg"))
		return EALREADY;

	err = ue_pcscf_route(&rt, route, sizeof(route), ue);
	err |= ue_contact(contact, sizeof(contact), ue);
	err |= re_sdprintf(&hdrs, "Route: <sip:%s;lr>\r\n%s",
			   node_host(ue->pcscf), ue->routes ? ue->routes : "");
	if (err)
		goto out;

	rq.aor = ue->impu;
	rq.from = ue->impu;
	rq.contact = contact;
	rq.route = &rt;
	rq.hdrs = hdrs;
	rq.expires = expires;

	r->w = mem_deref(r->w);
	r->doneh = doneh;
	r->arg = arg;
	err = regwatch_subscribe(&r->w, ue->node, &rq, view_handler,
				 sub_resp, r);
 out:
	mem_deref(hdrs);
	return err;
}


void ue_regsub_auto(struct ue *ue)
{
	struct ue_regsub *r = ue_part(ue, UE_PART_REGSUB);

	if (!r || (r->w && !regwatch_ended(r->w)))
		return;

	/* TS 24.229 5.1.1.3: 600000 s, as long as the notifier allows */
	if (ue_subscribe_reg(ue, 600000, NULL, NULL))
		elog(LOG_WARN, node_name(ue->node), "reg", "%s: cannot "
		     "subscribe to its registration state", ue->impu);
}


static bool regsub_request(void *part, const struct sip_msg *msg)
{
	struct ue_regsub *r = part;

	if (!regwatch_is_reg_notify(msg))
		return false;

	if (!regwatch_notify(r->w, msg))
		(void)tsx_reply(NULL, tsx_of(r->ue->node), msg, 481,
				"Subscription Does Not Exist");

	return true;
}


static int regsub_query(struct re_printf *pf, const void *part,
			const char *what, const char *arg)
{
	const struct ue_regsub *r = part;
	(void)arg;

	return regwatch_query(pf, r->w, what);
}


const struct ue_part ue_part_regsub = {
	"regsub", sizeof(struct ue_regsub), destructor, NULL,
	regsub_request, regsub_query,
};
