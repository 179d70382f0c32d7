/* SPDX-License-Identifier: BSD-3-Clause */
/* The P-CSCF policy (TS 24.229 5.2): first hop of every UE.  REGISTER
 * is pcscf_reg.c's; every other request from a UE gets the identity the
 * registration allows asserted (never one the UE wrote) and goes along
 * the stored Service-Route; the core's requests go on to the UE. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "proxy.h"
#include "pcscf_sec.h"
#include "pcscf_watch.h"
#include "cscf.h"
#include "pcscf.h"


static void pcscf_destructor(void *arg)
{
	struct pcscf *p = arg;

	mem_deref(p->watch);
	hash_flush(p->by_impu);
	mem_deref(p->by_impu);
	mem_deref(p->by_flow);
	mem_deref(p->px);
	mem_deref(p->vnet);
	mem_deref(p->wheel);
	mem_deref(p->sec);
}


static bool in_set(const char *assoc, const struct pl *uri)
{
	struct pl rest, u;

	if (!assoc)
		return false;

	pl_set_str(&rest, assoc);
	while (sipx_uri_next(&rest, &u)) {
		if (!pl_casecmp(&u, uri))
			return true;
	}

	return false;
}


/* TS 24.229 5.2.6.4 (and 5.2.7): the charging headers stay in the
 * core, neither the request to the UE nor a response to it has them. */
static const enum sip_hdrid charging[] = {
	SIP_HDR_P_CHARGING_VECTOR, SIP_HDR_P_CHARGING_FUNCTION_ADDRESSES,
};


static bool to_ue_resp(int err, const struct sip_msg *msg, struct ptx *t,
		       void *arg)
{
	size_t i;
	(void)arg;

	for (i = 0; !err && msg && i < ARRAY_SIZE(charging); i++) {
		if (sip_msg_hdr(msg, charging[i]))
			proxy_ptx_replace(t, charging[i], NULL);
	}

	return false;
}


/* TS 24.229 5.2.6.3: a request from a registered UE.  Its identity is
 * asserted here whatever the UE wrote; an initial request goes along the
 * stored Service-Route (RFC 3608) in place of any Route the UE gave, a
 * request inside a dialog follows its route set. */
static void handle_originating(struct pcscf *p, const struct sip_msg *msg)
{
	static const enum sip_hdrid skip_dialog[] = {
		SIP_HDR_P_ASSERTED_IDENTITY, SIP_HDR_P_PREFERRED_IDENTITY,
		SIP_HDR_P_CHARGING_VECTOR,
	};
	static const enum sip_hdrid skip_initial[] = {
		SIP_HDR_P_ASSERTED_IDENTITY, SIP_HDR_P_PREFERRED_IDENTITY,
		SIP_HDR_P_CHARGING_VECTOR, SIP_HDR_ROUTE,
	};
	const struct sip_hdr *ppi;
	struct proxy_fwd fwd;
	struct preg *r;
	struct pl id, rest, first, pref;
	char *hdrs = NULL, icid[160], target[256];
	bool dialog = pl_isset(&msg->to.tag);

	r = pcscf_reg_by_flow(p, &msg->src);
	if (!r) {
		elog(LOG_INFO, node_name(p->node), "route",
		     "%r from unregistered flow %J: 403", &msg->met,
		     &msg->src);
		(void)proxy_reply(p->px, msg, 403, NULL);
		return;
	}

	/* The first URI of the implicit set is the default identity. */
	pl_set_str(&rest, r->assoc ? r->assoc : "");
	if (!sipx_uri_next(&rest, &id)) {
		(void)proxy_reply(p->px, msg, 403, NULL);
		return;
	}

	/* RFC 3325 / TS 24.229 5.2.6.3.1: P-Preferred-Identity is honoured
	 * only when it names an identity of the registered set. */
	ppi = sip_msg_xhdr(msg, "P-Preferred-Identity");
	if (ppi) {
		/* libre's URI parser takes no tel: URI, so the name-addr
		 * is read as the text in angle brackets. */
		rest = ppi->val;
		if (sipx_uri_next(&rest, &pref) && in_set(r->assoc, &pref))
			id = pref;
	}

	if (pcscf_charging_vector(icid, sizeof(icid), p))
		return;

	proxy_fwd_init(&fwd, p->px, msg);

	if (dialog) {
		fwd.skipv = skip_dialog;
		fwd.skipc = ARRAY_SIZE(skip_dialog);
		if (re_sdprintf(&hdrs, "%s", icid) < 0)
			return;
	}
	else {
		pl_set_str(&rest, r->routes ? r->routes : "");
		if (!sipx_uri_next(&rest, &first)) {
			(void)proxy_reply(p->px, msg, 403, NULL);
			return;
		}
		(void)pl_strcpy(&first, target, sizeof(target));
		fwd.pop_route = false;  /* every Route goes: skip_initial */
		fwd.target = target;
		fwd.record_route = true;
		fwd.skipv = skip_initial;
		fwd.skipc = ARRAY_SIZE(skip_initial);
		if (re_sdprintf(&hdrs, "%sP-Asserted-Identity: <%r>\r\n%s",
				r->routes, &id, icid) < 0)
			return;
	}

	fwd.addhdrs = hdrs;
	(void)proxy_forward(p->px, msg, &fwd, to_ue_resp, NULL);
	mem_deref(hdrs);
}


/* TS 24.229 5.2.6.4: a request from the core towards a UE; one that
 * creates a dialog is record-routed, so the UE's requests in it come
 * back through us. */
static void handle_terminating(struct pcscf *p, const struct sip_msg *msg)
{
	struct proxy_fwd fwd;

	proxy_fwd_init(&fwd, p->px, msg);
	fwd.record_route = true;
	fwd.skipv = charging;
	fwd.skipc = ARRAY_SIZE(charging);

	(void)proxy_forward(p->px, msg, &fwd, NULL, NULL);
}


/* A subscription that ended while the user is still registered here
 * (the UE registered again before a late NOTIFY said the old one was
 * over): the new registration is watched afresh. */
static bool watch_notify(struct pcscf *p, const struct sip_msg *msg)
{
	char ended[256];

	if (!pcscf_watch_request(p->watch, msg, ended, sizeof(ended)))
		return false;

	if (ended[0] && pcscf_reg_by_impu(p, ended))
		pcscf_watch_reg(p->watch, ended);

	return true;
}


static void request_handler(void *arg, const struct sip_msg *msg)
{
	struct pcscf *p = arg;

	/* RFC 3325, TS 24.229 4.4: the core by the endpoint it really
	 * sends from; anyone else is on the UE side. */
	if (!pl_strcmp(&msg->met, "REGISTER"))
		pcscf_register(p, msg);
	else if (emul_trusted(msg) && watch_notify(p, msg))
		return;
	else if (emul_trusted(msg))
		handle_terminating(p, msg);
	else
		handle_originating(p, msg);
}


static int query(struct re_printf *pf, void *impl, const char *what,
		 const char *arg)
{
	struct pcscf *p = impl;
	struct preg *r;

	if (!str_casecmp(what, "registered")) {
		r = pcscf_reg_by_impu(p, arg);
		return re_hprintf(pf, "%s", r ? "yes" : "no");
	}

	if (!str_casecmp(what, "service_route")) {
		r = pcscf_reg_by_impu(p, arg);
		return re_hprintf(pf, "%s", r && r->routes ? r->routes : "");
	}

	/* the security agreement of the UE registering arg (sec-agree) */
	if (!str_casecmp(what, "sa"))
		return pcscf_sec_query(pf, p->sec, arg);

	return p->watch ? pcscf_watch_query(pf, p->watch, what, arg) :
		ENOTSUP;
}


static const struct proxy_policy policy = {
	.request   = request_handler,
	.query     = query,
	.supported = "sec-agree",       /* RFC 3329 */
};


int pcscf_alloc(struct pcscf **pp, struct node *node,
		const struct cscf_cfg *cfg)
{
	struct pcscf *p;
	int err;

	if (!pp || !node || !cfg)
		return EINVAL;

	p = mem_zalloc(sizeof(*p), pcscf_destructor);
	if (!p)
		return ENOMEM;

	p->node = node;
	err  = hash_alloc(&p->by_impu, 256);
	err |= hash_alloc(&p->by_flow, 256);
	err |= wheel_alloc(&p->wheel, 4096);
	err |= pcscf_sec_alloc(&p->sec, node_addr(node));
	if (err) {
		err = ENOMEM;
		goto out;
	}

	err = str_dup(&p->vnet, cfg->visited_network ? cfg->visited_network :
		      emul_domain());
	if (!err && cfg->reg_event)
		err = pcscf_watch_alloc(&p->watch, node, pcscf_reg_drop, p);
	if (err)
		goto out;

	err = proxy_alloc(&p->px, node, &policy, p);

 out:
	if (err)
		mem_deref(p);
	else
		*pp = p;

	return err;
}
