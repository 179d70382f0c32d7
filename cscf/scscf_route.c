/* SPDX-License-Identifier: BSD-3-Clause */
/* The S-CSCF's routing of requests other than REGISTER (TS 24.229 5.4.3):
 * an initial request of a served user runs through the user's iFCs, each
 * matching AS in turn, with an original-dialog identifier (ODI) in the
 * S-CSCF's own Route entry so that a request the AS sends on comes back
 * to the right place in the evaluation; then it goes on: towards the
 * callee's home (originating) or to the registered contact along the
 * stored Path (terminating), forked to every device of the user.
 * Requests inside a dialog follow their route set. */

#include <string.h>
#include <re.h>
#include "hss.h"
#include "host.h"
#include "sipkit.h"
#include "proxy.h"
#include "cscf.h"
#include "scscf.h"

/* Where a request is in its iFC evaluation. */
struct odi {
	struct le he;
	struct wheel_ent went;
	struct scscf *s;
	char token[17];
	char impu[256];
	size_t idx;             /* next iFC to look at */
	enum ifc_case scase;
	enum ifc_dh dh;         /* of the AS it was sent to */
	bool first_pass;        /* the request still needs our RR */
};

static int isc_route(struct scscf *s, const struct sip_msg *msg,
		     struct ptx *t, const char *impu, enum ifc_case sc,
		     size_t idx, bool first_pass);


static void odi_destructor(void *arg)
{
	struct odi *o = arg;

	hash_unlink(&o->he);
	wheel_cancel(&o->went);
}


static bool odi_cmp(struct le *le, void *arg)
{
	const struct odi *o = le->data;

	return 0 == pl_strcmp(arg, o->token);
}


static void odi_expired(void *arg)
{
	struct odi *o = arg;

	/* Its list holds the reference; dropping it from the hash ends
	 * it.  64*T1 covers the life of the transaction it served. */
	hash_unlink(&o->he);
	mem_deref(o);
}


static struct odi *odi_find(struct scscf *s, const struct pl *token)
{
	return list_ledata(hash_lookup(s->odis, hash_joaat_pl(token),
				       odi_cmp, (void *)token));
}


static int send_fwd(struct scscf *s, const struct sip_msg *msg,
		    struct ptx *t, const struct proxy_fwd *fwd,
		    proxy_resp_h *resph, void *arg)
{
	if (t)
		return proxy_reforward(t, fwd, 1, resph, arg);

	return proxy_forward(s->px, msg, fwd, resph, arg);
}


/* TS 24.229 5.4.3.2/5.4.3.3: an AS that did not answer; with
 * SESSION_CONTINUED the evaluation goes on past it. */
static bool as_resp(int err, const struct sip_msg *msg, struct ptx *t,
		    void *arg)
{
	struct odi *o = arg;

	if (!err || msg)
		return false;

	elog(LOG_WARN, node_name(o->s->node), "isc",
	     "AS for %s did not answer (%m): default handling %s", o->impu,
	     err, o->dh == IFC_DH_CONTINUE ? "continue" : "terminate");

	if (o->dh != IFC_DH_CONTINUE)
		return false;

	return 0 == isc_route(o->s, proxy_ptx_msg(t), t, o->impu, o->scase,
			      o->idx, o->first_pass);
}


/* TS 23.228 4.3.3.4: a member of a wildcarded identity that no binding
 * names is served as the registered set that holds the wildcard (the
 * HSS's SAR without assignment tells the set); impu becomes the IMPU
 * that registered it. */
static void wildcard_member(const struct scscf *s, char *impu, size_t sz)
{
	struct hss *hss;
	struct cx_saa saa;
	struct pl rest, u;
	char one[256];

	if (scscf_binding(s, impu))
		return;

	hss = slf_locate(impu);
	if (!hss || hss_impu_match(hss, impu) != HSS_MATCH_WILDCARD)
		return;

	memset(&saa, 0, sizeof(saa));
	if (cx_sar(s->node, hss, NULL, impu, s->uri, CX_SAR_NO_ASSIGNMENT,
		   &saa) ||
	    saa.result != CX_SUCCESS)
		goto out;

	pl_set_str(&rest, saa.assoc ? saa.assoc : "");
	while (sipx_list_next(&rest, &u)) {
		const struct binding *b;

		(void)pl_strcpy(&u, one, sizeof(one));
		b = scscf_binding(s, one);
		if (b) {
			str_ncpy(impu, b->impu, sz);
			break;
		}
	}

 out:
	mem_deref(saa.profile);
	mem_deref(saa.assoc);
}


/* The served user a Request-URI names: its AOR, or for a GRUU the user
 * it was given to (ESRCH: a temporary GRUU nobody holds). */
static int ruri_impu(const struct scscf *s, const struct sip_msg *msg,
		     char *impu, size_t sz)
{
	const struct bcontact *c;
	int err = scscf_gruu_lookup(s, &msg->ruri, impu, sz, &c);
	char uri[256];

	if (err != ENOENT)
		return err;

	/* TS 24.229 5.4.3.3: sip:+number@...;user=phone is the user's
	 * tel URI (TS 23.228 4.3.3.1), whichever form registered. */
	if (!pl_strcpy(&msg->ruri, uri, sizeof(uri)) &&
	    !hss_impu_normalise(impu, sz, uri) && !strncmp(impu, "tel:", 4))
		return 0;

	err = sipx_uri_aor(impu, sz, &msg->ruri);
	if (!err)
		wildcard_member(s, impu, sz);

	return err;
}


static bool served_here(struct scscf *s, const struct sip_msg *msg,
			char *aor, size_t sz)
{
	struct cx_lia lia;
	struct hss *hss;

	if (ruri_impu(s, msg, aor, sz))
		return false;

	if (scscf_binding(s, aor))
		return true;

	hss = slf_locate(aor);
	if (!hss || cx_lir(s->node, hss, aor, &lia) ||
	    lia.result == CX_ERROR_USER_UNKNOWN)
		return false;

	return !lia.scscf[0] || !str_casecmp(lia.scscf, s->uri);
}


/* TS 24.229 5.4.3.2: the originating S-CSCF names its network in the
 * P-Charging-Vector (orig-ioi) of the request it first sends on; ""
 * when there is nothing to add.  *skip says the old one goes. */
static const char *orig_ioi(char *buf, size_t sz, const struct sip_msg *msg,
			    enum ifc_case sc, bool first_pass, bool *skip)
{
	const struct sip_hdr *h = sip_msg_hdr(msg, SIP_HDR_P_CHARGING_VECTOR);

	*skip = false;
	buf[0] = '\0';
	if (!first_pass || (sc != IFC_ORIG && sc != IFC_ORIG_UNREG) || !h ||
	    !re_regex(h->val.p, h->val.l, "orig-ioi="))
		return buf;

	if (re_snprintf(buf, sz, "P-Charging-Vector: %r;orig-ioi=%s\r\n",
			&h->val, emul_domain()) < 0)
		buf[0] = '\0';
	else
		*skip = true;

	return buf;
}


/* After the last AS: on to the callee's home network (originating) or
 * to the served user's contact (terminating). */
static int route_onward(struct scscf *s, const struct sip_msg *msg,
			struct ptx *t, const char *impu, enum ifc_case sc,
			bool first_pass)
{
	/* RFC 5502 6: what the last AS was told stays with it (the array
	 * outlives us in a fork's base) */
	static const enum sip_hdrid skip[] = {
		SIPX_HDR_P_SERVED_USER, SIP_HDR_P_CHARGING_VECTOR
	};
	struct proxy_fwd fwd;
	char target[256], pcv[256];
	bool ioi;

	proxy_fwd_init(&fwd, s->px, msg);
	fwd.record_route = first_pass;
	fwd.addhdrs = orig_ioi(pcv, sizeof(pcv), msg, sc, first_pass, &ioi);
	fwd.skipv = skip;
	fwd.skipc = ioi ? 2 : 1;

	if (sc == IFC_ORIG || sc == IFC_ORIG_UNREG || sc == IFC_ORIG_CDIV) {
		struct uri u;
		struct pl pl = msg->ruri;

		/* The callee's home: our own domain (or a tel URI, which the
		 * I-CSCF resolves) goes to the I-CSCF; imsbed has no BGCF,
		 * so a foreign domain ends here. */
		if (uri_decode(&u, &pl) ||
		    (pl_strcasecmp(&u.scheme, "tel") &&
		     pl_strcasecmp(&u.host, emul_domain()))) {
			netguard_note_drop();
			elog(LOG_WARN, node_name(s->node), "route",
			     "%r: destination outside the home network",
			     &msg->ruri);
			return t ? EHOSTUNREACH :
				proxy_reply(s->px, msg, 404, NULL);
		}

		/* A callee this S-CSCF serves is handled here, without the
		 * spiral through the I-CSCF (libre's server transactions
		 * would take the returning request for a merged one, RFC
		 * 3261 8.2.2.2, and answer 482). */
		if (served_here(s, msg, target, sizeof(target)))
			return isc_route(s, msg, t, target,
					 scscf_binding(s, target) ?
					 IFC_TERM_REG : IFC_TERM_UNREG, 0,
					 first_pass);

		(void)re_snprintf(target, sizeof(target), "sip:%s",
				  emul_domain());
		fwd.target = target;

		return send_fwd(s, msg, t, &fwd, NULL, NULL);
	}

	return scscf_fork(s, msg, t, impu, &fwd);
}


/* TS 29.228 6.1.2, TS 24.229 5.4.3.3: a user who is not registered
 * still has a profile for terminating requests; the SAR that downloads
 * it assigns this S-CSCF with the unregistered state. */
static struct ifc_profile *unreg_profile(struct scscf *s, const char *impu)
{
	struct hss *hss = slf_locate(impu);
	struct cx_saa saa;

	memset(&saa, 0, sizeof(saa));
	if (!hss || cx_sar(s->node, hss, NULL, impu, s->uri,
			   CX_SAR_UNREGISTERED_USER, &saa) ||
	    saa.result != CX_SUCCESS) {
		mem_deref(saa.profile);
		mem_deref(saa.assoc);
		return NULL;
	}

	mem_deref(saa.assoc);
	return saa.profile;
}


/* RFC 5502 and RFC 8498 (TS 24.229 5.4.3.2, 5.4.3.3): the AS is told
 * whom it serves and in which session case. */
static const char *served_case(enum ifc_case sc, bool reg)
{
	switch (sc) {

	case IFC_ORIG:       return ";sescase=orig;regstate=reg";
	case IFC_ORIG_UNREG: return ";sescase=orig;regstate=unreg";
	case IFC_ORIG_CDIV:  return ";orig-cdiv";
	default:             return reg ? ";sescase=term;regstate=reg" :
			";sescase=term;regstate=unreg";
	}
}


static int isc_route(struct scscf *s, const struct sip_msg *msg,
		     struct ptx *t, const char *impu, enum ifc_case sc,
		     size_t idx, bool first_pass)
{
	static const enum sip_hdrid skip[] = {
		SIPX_HDR_P_SERVED_USER, SIP_HDR_P_CHARGING_VECTOR
	};
	struct isc_view *v = NULL;
	struct proxy_fwd fwd;
	char pcv[256];
	bool ioi;
	const struct ifc *f;
	struct binding *b = scscf_binding(s, impu);
	struct ifc_profile *unreg = NULL;
	char met[32], *hdrs = NULL;
	struct odi *o;
	int err;

	(void)pl_strcpy(&msg->met, met, sizeof(met));
	err = isc_view_alloc(&v, msg, met, sc, IFC_REG_NONE, impu);
	if (err)
		return err;

	if (!b && (sc == IFC_TERM_UNREG || sc == IFC_ORIG_CDIV))
		unreg = unreg_profile(s, impu);
	f = b || unreg ? ifc_profile_next(b ? b->profile : unreg,
					  isc_view_req(v), &idx) : NULL;
	mem_deref(v);

	if (!f) {
		mem_deref(unreg);
		return route_onward(s, msg, t, impu, sc, first_pass);
	}

	o = mem_zalloc(sizeof(*o), odi_destructor);
	if (!o) {
		mem_deref(unreg);
		return ENOMEM;
	}

	o->s = s;
	o->idx = idx;
	o->scase = sc;
	o->dh = ifc_default_handling(f);
	o->first_pass = first_pass;
	str_ncpy(o->impu, impu, sizeof(o->impu));
	(void)re_snprintf(o->token, sizeof(o->token), "%016llx",
			  emul_rand_u64());
	hash_append(s->odis, hash_joaat_str(o->token), &o->he, o);
	wheel_start(s->wheel, &o->went, 64 * SIP_T1, odi_expired, o);

	elog(LOG_INFO, node_name(s->node), "isc", "%r of %s (%s) to %s",
	     &msg->met, impu, ifc_case_name(sc), ifc_as(f));

	/* TS 24.229 5.4.3.2 step 4: the AS first, then ourselves with the
	 * ODI, so that what the AS sends on returns to this point. */
	err = re_sdprintf(&hdrs, "Route: <%s;lr>\r\n"
			  "Route: <sip:%s;lr;odi=%s>\r\n"
			  "P-Served-User: <%s>%s\r\n%s",
			  ifc_as(f), node_host(s->node), o->token, impu,
			  served_case(sc, b != NULL),
			  orig_ioi(pcv, sizeof(pcv), msg, sc, first_pass,
				   &ioi));
	if (err)
		goto out;

	proxy_fwd_init(&fwd, s->px, msg);
	fwd.record_route = first_pass;
	fwd.target = ifc_as(f);
	fwd.addhdrs = hdrs;
	fwd.skipv = skip;
	fwd.skipc = ioi ? 2 : 1;

	err = send_fwd(s, msg, t, &fwd, as_resp, o);

 out:
	mem_deref(unreg);
	mem_deref(hdrs);
	/* The hash keeps it alive until it expires. */
	if (err)
		mem_deref(o);

	return err;
}


/* TS 24.229 5.4.3.3 step 3: a terminating AS sent the request back to
 * someone else (call diversion, TS 24.604): the served user's
 * terminating iFCs end there, and the request goes on as the diverting
 * user's, session case originating-CDIV, towards the new target. */
static bool retargeted(const struct scscf *s, const struct sip_msg *msg,
		       const struct odi *o)
{
	char impu[256];

	if (o->scase != IFC_TERM_REG && o->scase != IFC_TERM_UNREG)
		return false;

	return ruri_impu(s, msg, impu, sizeof(impu)) ||
		str_casecmp(impu, o->impu);
}


/* Back from an AS: carry on where the evaluation left off. */
static void odi_return(struct scscf *s, const struct sip_msg *msg,
		       const struct pl *token)
{
	struct odi *o = odi_find(s, token);
	enum ifc_case sc;
	size_t idx;

	if (!o) {
		(void)proxy_reply(s->px, msg, 404, NULL);
		return;
	}

	sc = o->scase;
	idx = o->idx;
	if (retargeted(s, msg, o)) {
		elog(LOG_INFO, node_name(s->node), "isc",
		     "%r of %s diverted to %r: originating_cdiv", &msg->met,
		     o->impu, &msg->ruri);
		sc = IFC_ORIG_CDIV;
		idx = 0;
	}

	if (isc_route(s, msg, NULL, o->impu, sc, idx, false))
		(void)proxy_reply(s->px, msg, 500, NULL);
}


void scscf_route(struct scscf *s, const struct sip_msg *msg)
{
	struct pl user = PL_INIT, params = PL_INIT, odiv;
	char impu[256];
	struct proxy_fwd fwd;
	bool mine;
	int err;

	mine = proxy_route_top(s->px, msg, &user, &params);

	if (mine && !msg_param_decode(&params, "odi", &odiv)) {
		odi_return(s, msg, &odiv);
		return;
	}

	/* Inside a dialog: along its route set (RFC 3261 16.12). */
	if (pl_isset(&msg->to.tag)) {
		proxy_fwd_init(&fwd, s->px, msg);
		(void)proxy_forward(s->px, msg, &fwd, NULL, NULL);
		return;
	}

	/* Through the Service-Route: the served user's own request. */
	if (mine && !pl_strcmp(&user, "orig")) {
		if (sipx_asserted_id(impu, sizeof(impu), msg) ||
		    !scscf_binding(s, impu)) {
			elog(LOG_INFO, node_name(s->node), "route",
			     "%r from an unregistered identity: 403",
			     &msg->met);
			(void)proxy_reply(s->px, msg, 403, NULL);
			return;
		}
		err = isc_route(s, msg, NULL, impu, IFC_ORIG, 0, true);
		if (err)
			(void)proxy_reply(s->px, msg, 500, NULL);
		return;
	}

	/* Otherwise for a user we serve, from the I-CSCF. */
	if (ruri_impu(s, msg, impu, sizeof(impu))) {
		(void)proxy_reply(s->px, msg, 404, NULL);
		return;
	}

	err = isc_route(s, msg, NULL, impu, scscf_binding(s, impu) ?
			IFC_TERM_REG : IFC_TERM_UNREG, 0, true);
	if (err)
		(void)proxy_reply(s->px, msg, 500, NULL);
}
