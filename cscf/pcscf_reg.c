/* SPDX-License-Identifier: BSD-3-Clause */
/* The P-CSCF's side of registration (TS 24.229 5.2.2): the REGISTER on
 * to the home network's I-CSCF with Path and the security agreement, and
 * from its 200 OK a registration per UE flow with the Service-Route and
 * the implicit set the policy asserts identities from; one the S-CSCF's
 * reg NOTIFY ends goes (5.2.3). */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "proxy.h"
#include "pcscf_sec.h"
#include "pcscf_watch.h"
#include "cscf.h"
#include "pcscf.h"

/* What the REGISTER's response handler needs to know. */
struct regctx {
	struct pcscf *p;
	struct sa flow;
	char impu[256];
	char contact[256];      /* the REGISTER's Contact URI */
	char *secline;          /* Security-Server for the 401, or NULL */
};


static void regctx_destructor(void *arg)
{
	struct regctx *c = arg;

	mem_deref(c->secline);
}


static void preg_destructor(void *arg)
{
	struct preg *r = arg;

	hash_unlink(&r->he_impu);
	hash_unlink(&r->he_flow);
	wheel_cancel(&r->went);
	pcscf_sec_forget(r->p->sec, &r->flow);
	mem_deref(r->impu);
	mem_deref(r->assoc);
	mem_deref(r->routes);
	mem_deref(r->contact);
	mem_deref(r->callid);
}


static bool impu_cmp(struct le *le, void *arg)
{
	const struct preg *r = le->data;

	return 0 == str_casecmp(r->impu, arg);
}


static bool flow_cmp(struct le *le, void *arg)
{
	const struct preg *r = le->data;

	return sa_cmp(&r->flow, arg, SA_ALL);
}


struct preg *pcscf_reg_by_impu(const struct pcscf *p, const char *impu)
{
	return list_ledata(hash_lookup(p->by_impu, hash_joaat_str_ci(impu),
				       impu_cmp, (void *)impu));
}


struct preg *pcscf_reg_by_flow(const struct pcscf *p, const struct sa *sa)
{
	return list_ledata(hash_lookup(p->by_flow, sa_hash(sa, SA_ALL),
				       flow_cmp, (void *)sa));
}


static void reg_expired(void *arg)
{
	struct preg *r = arg;

	elog(LOG_INFO, node_name(r->p->node), "reg", "%s expired", r->impu);
	mem_deref(r);
}


/* The expiry the 200 gives this UE's own contact: the 200 lists every
 * device of the user (TS 24.229 5.4.1.2.2). */
struct expq {
	const char *contact;
	uint32_t expires;
};


static bool contact_expiry(const struct sip_hdr *h, const struct sip_msg *msg,
			   void *arg)
{
	struct sip_addr addr;
	struct expq *q = arg;

	if (sip_addr_decode(&addr, &h->val) ||
	    pl_strcmp(&addr.auri, q->contact))
		return false;

	q->expires = sipx_expires(msg, &addr.params, 0);
	return true;
}


/* TS 24.229 5.2.2.1: the 200 OK to REGISTER gives the P-CSCF the
 * Service-Route and the implicit set it asserts identities from. */
static bool register_resp(int err, const struct sip_msg *msg,
			  struct ptx *t, void *arg)
{
	struct regctx *c = arg;
	struct pcscf *p = c->p;
	struct expq q = {c->contact, 0};
	struct preg *r;
	uint32_t expires;

	if (!err && msg && msg->scode == 401) {
		char *line = NULL;

		pcscf_sec_strip_keys(p->sec, msg, t, &c->flow, c->impu,
				     node_name(p->node));
		if (c->secline && !str_dup(&line, c->secline))
			proxy_ptx_replace(t, SIP_HDR_SECURITY_SERVER, line);
	}

	/* a registration that failed leaves no agreement behind */
	if (err || (msg && msg->scode >= 300 && msg->scode != 401 &&
		    !pcscf_reg_by_flow(p, &c->flow)))
		pcscf_sec_forget(p->sec, &c->flow);

	if (err || !msg || msg->scode != 200)
		return false;

	(void)sip_msg_hdr_apply(msg, true, SIP_HDR_CONTACT, contact_expiry,
				&q);
	expires = q.expires;

	/* one per UE flow: a user's other devices have flows of their own */
	r = pcscf_reg_by_flow(p, &c->flow);
	if (r && str_casecmp(r->impu, c->impu)) {
		mem_deref(r);
		r = NULL;
	}
	if (!expires) {
		mem_deref(r);
		return false;
	}

	if (!r) {
		r = mem_zalloc(sizeof(*r), preg_destructor);
		if (!r)
			return false;
		r->p = p;
		if (str_dup(&r->impu, c->impu)) {
			mem_deref(r);
			return false;
		}
		hash_append(p->by_impu, hash_joaat_str_ci(r->impu),
			    &r->he_impu, r);
	}
	else {
		hash_unlink(&r->he_flow);
	}

	r->flow = c->flow;
	hash_append(p->by_flow, sa_hash(&r->flow, SA_ALL), &r->he_flow, r);

	r->assoc = mem_deref(r->assoc);
	(void)sipx_hdr_str(&r->assoc, msg, SIP_HDR_P_ASSOCIATED_URI);
	r->routes = mem_deref(r->routes);
	(void)sipx_hdr_lines(&r->routes, msg, SIP_HDR_SERVICE_ROUTE, "Route");
	r->contact = mem_deref(r->contact);
	(void)str_dup(&r->contact, c->contact);
	r->callid = mem_deref(r->callid);
	(void)pl_strdup(&r->callid, &msg->callid);
	r->cseq = msg->cseq.num;

	wheel_start(p->wheel, &r->went, expires * 1000ULL, reg_expired, r);
	pcscf_watch_reg(p->watch, c->impu);

	return false;
}


int pcscf_charging_vector(char *buf, size_t sz, const struct pcscf *p)
{
	return re_snprintf(buf, sz,
			   "P-Charging-Vector: icid-value=\"%016llx\""
			   ";icid-generated-at=%j\r\n",
			   emul_rand_u64(), node_addr(p->node)) < 0 ?
		ENOMEM : 0;
}


/* A REGISTER's Request-URI names the registrar's domain (RFC 3261
 * 10.2): here it must resolve to an I-CSCF, the home network's entry. */
static bool home_registrar(const struct sip_msg *msg, char *buf, size_t sz)
{
	struct node *n = NULL;
	struct sa sa;

	if (emul_resolve(&sa, &n, &msg->uri) || !n ||
	    node_role(n) != ROLE_ICSCF)
		return false;

	return 0 == pl_strcpy(&msg->ruri, buf, sz);
}


static void regctx_contact(struct regctx *c, const struct sip_msg *msg)
{
	const struct sip_hdr *h = sip_msg_hdr(msg, SIP_HDR_CONTACT);
	struct sip_addr ca;

	if (h && !sip_addr_decode(&ca, &h->val))
		(void)pl_strcpy(&ca.auri, c->contact, sizeof(c->contact));
}


/* RFC 5626 5.1: a UE that registers a flow (Contact with reg-id). */
static bool outbound(const struct sip_msg *msg)
{
	const struct sip_hdr *h = sip_msg_hdr(msg, SIP_HDR_CONTACT);
	struct sip_addr ct;
	struct pl v;

	return h && !sip_addr_decode(&ct, &h->val) &&
		!msg_param_decode(&ct.params, "reg-id", &v);
}


void pcscf_register(struct pcscf *p, const struct sip_msg *msg)
{
	enum sip_hdrid skip[12] = {
		SIP_HDR_P_ASSERTED_IDENTITY, SIP_HDR_P_CHARGING_VECTOR,
		SIP_HDR_P_VISITED_NETWORK_ID, SIP_HDR_PATH, SIP_HDR_ROUTE,
	};
	size_t skipc = 5;
	struct proxy_fwd fwd;
	struct regctx *c;
	char hdrs[512], icid[160], target[256];

	c = mem_zalloc(sizeof(*c), regctx_destructor);
	if (!c)
		return;

	c->p = p;
	c->flow = msg->src;
	regctx_contact(c, msg);
	if (sipx_uri_aor(c->impu, sizeof(c->impu), &msg->to.auri)) {
		(void)proxy_reply(p->px, msg, 400, NULL);
		goto out;
	}

	if (pcscf_charging_vector(icid, sizeof(icid), p))
		goto out;

	/* RFC 3329, TS 24.229 5.2.2.1: the security agreement is ours */
	if (pcscf_sec_register(p->sec, p->px, msg, &c->secline))
		goto out;
	skipc += pcscf_sec_skip(msg, skip + skipc, ARRAY_SIZE(skip) - skipc);

	/* RFC 3327: the Path URI is how the S-CSCF reaches the UE back
	 * through us; "term" marks the terminating direction, and "ob"
	 * that we keep the UE's flow (RFC 5626 5.1, TS 24.229 5.2.2.2). */
	(void)re_snprintf(hdrs, sizeof(hdrs),
			  "Path: <sip:term@%s;lr%s>\r\n"
			  "P-Visited-Network-ID: \"%s\"\r\n%s",
			  node_host(p->node), outbound(msg) ? ";ob" : "",
			  p->vnet, icid);

	/* TS 24.229 5.2.2.1: to the I-CSCF of the home network the
	 * Request-URI names, whatever Route the UE wrote (one naming the
	 * S-CSCF would skip the I-CSCF and its checks). */
	if (!home_registrar(msg, target, sizeof(target))) {
		elog(LOG_INFO, node_name(p->node), "reg", "REGISTER %r is not"
		     " for the home domain: 403", &msg->ruri);
		(void)proxy_reply_reason(p->px, msg, 403,
					 "Not the Home Domain");
		goto out;
	}

	proxy_fwd_init(&fwd, p->px, msg);
	fwd.pop_route = false;          /* every Route goes: skip[] */
	fwd.target = target;
	fwd.addhdrs = hdrs;
	fwd.skipv = skip;
	fwd.skipc = skipc;

	(void)proxy_forward(p->px, msg, &fwd, register_resp, c);

 out:
	mem_deref(c);
}


struct drop {
	const char *impu, *contact, *callid;
	uint32_t cseq;
};


/* A registration the NOTIFY's REGISTER predates (the UE registered
 * again since: RFC 3261 10.3 orders a Call-ID's CSeqs) stays. */
static bool drop_apply(struct le *le, void *arg)
{
	struct preg *r = le->data;
	const struct drop *d = arg;

	if (d->callid && d->cseq && !str_cmp(r->callid, d->callid) &&
	    r->cseq > d->cseq)
		return false;

	if (!str_casecmp(r->impu, d->impu) &&
	    (!d->contact || !str_cmp(r->contact, d->contact))) {
		elog(LOG_INFO, node_name(r->p->node), "reg", "%s (%s) "
		     "de-registered by the network", r->impu,
		     r->contact ? r->contact : "?");
		mem_deref(r);
		return true;
	}

	return false;
}


void pcscf_reg_drop(const char *impu, const char *contact,
		     const char *callid, uint32_t cseq, void *arg)
{
	struct pcscf *p = arg;
	struct drop d = {impu, contact, callid, cseq};

	while (hash_lookup(p->by_impu, hash_joaat_str_ci(impu), drop_apply,
			   &d))
		;
}
