/* SPDX-License-Identifier: BSD-3-Clause */
/* The P-CSCF policy (TS 24.229 5.2): first hop of every UE.  It adds Path
 * to REGISTER, keeps the Service-Route and the implicit set from the
 * 200 OK, asserts the UE's identity on later requests (never trusting
 * one the UE wrote) and routes them along the stored Service-Route. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "proxy.h"
#include "pcscf_sec.h"
#include "pcscf_watch.h"
#include "cscf.h"

/* One registered UE flow. */
struct preg {
	struct le he_impu;
	struct le he_flow;
	struct pcscf *p;
	char *impu;             /* the registered IMPU (AOR of To) */
	char *assoc;            /* P-Associated-URI, as received */
	char *routes;           /* "Route: <...>\r\n" from Service-Route */
	char *contact;          /* the UE's registered Contact URI */
	struct sa flow;         /* where the UE's REGISTER came from */
	struct wheel_ent went;
};

struct pcscf {
	struct node *node;
	struct proxy *px;
	struct pcscf_sec *sec;
	struct pcscf_watch *watch;      /* NULL: no reg subscriptions */
	struct hash *by_impu;
	struct hash *by_flow;
	struct wheel *wheel;
	char *vnet;
};

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
}


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


static struct preg *reg_by_impu(const struct pcscf *p, const char *impu)
{
	return list_ledata(hash_lookup(p->by_impu, hash_joaat_str_ci(impu),
				       impu_cmp, (void *)impu));
}


static struct preg *reg_by_flow(const struct pcscf *p, const struct sa *sa)
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
		    !reg_by_flow(p, &c->flow)))
		pcscf_sec_forget(p->sec, &c->flow);

	if (err || !msg || msg->scode != 200)
		return false;

	(void)sip_msg_hdr_apply(msg, true, SIP_HDR_CONTACT, contact_expiry,
				&q);
	expires = q.expires;

	/* one per UE flow: a user's other devices have flows of their own */
	r = reg_by_flow(p, &c->flow);
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

	wheel_start(p->wheel, &r->went, expires * 1000ULL, reg_expired, r);
	pcscf_watch_reg(p->watch, c->impu);

	return false;
}


static int charging_vector(char *buf, size_t sz, const struct pcscf *p)
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


static void handle_register(struct pcscf *p, const struct sip_msg *msg)
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

	if (charging_vector(icid, sizeof(icid), p))
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

	r = reg_by_flow(p, &msg->src);
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

	if (charging_vector(icid, sizeof(icid), p))
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
	(void)proxy_forward(p->px, msg, &fwd, NULL, NULL);
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

	(void)proxy_forward(p->px, msg, &fwd, NULL, NULL);
}


static void request_handler(void *arg, const struct sip_msg *msg)
{
	struct pcscf *p = arg;

	/* RFC 3325, TS 24.229 4.4: the core by the endpoint it really
	 * sends from; anyone else is on the UE side. */
	if (!pl_strcmp(&msg->met, "REGISTER"))
		handle_register(p, msg);
	else if (emul_trusted(msg) && pcscf_watch_request(p->watch, msg))
		return;
	else if (emul_trusted(msg))
		handle_terminating(p, msg);
	else
		handle_originating(p, msg);
}


/* TS 24.229 5.2.3: the S-CSCF ended a device's registration (contact)
 * or all of the user's (NULL). */
static bool drop_apply(struct le *le, void *arg)
{
	struct preg *r = le->data;
	const char **v = arg;

	if (!str_casecmp(r->impu, v[0]) && (!v[1] || !str_cmp(r->contact,
							       v[1]))) {
		elog(LOG_INFO, node_name(r->p->node), "reg", "%s (%s) "
		     "de-registered by the network", r->impu,
		     r->contact ? r->contact : "?");
		mem_deref(r);
		return true;
	}

	return false;
}


static void reg_drop(const char *impu, const char *contact, void *arg)
{
	struct pcscf *p = arg;
	const char *v[2] = {impu, contact};

	while (hash_lookup(p->by_impu, hash_joaat_str_ci(impu), drop_apply,
			   v))
		;
}


static int query(struct re_printf *pf, void *impl, const char *what,
		 const char *arg)
{
	struct pcscf *p = impl;
	struct preg *r;

	if (!str_casecmp(what, "registered")) {
		r = reg_by_impu(p, arg);
		return re_hprintf(pf, "%s", r ? "yes" : "no");
	}

	if (!str_casecmp(what, "service_route")) {
		r = reg_by_impu(p, arg);
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
		err = pcscf_watch_alloc(&p->watch, node, reg_drop, p);
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
