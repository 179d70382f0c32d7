/* SPDX-License-Identifier: BSD-3-Clause */
/* The S-CSCF registrar (TS 24.229 5.4.1): bindings keyed by every IMPU of
 * the implicit set, each with the contacts of its devices (RFC 3261
 * 10.3: added, refreshed and removed one by one, each with its own
 * expiry; a device is its +sip.instance when it gives one, else its
 * Contact URI), SAR to the HSS on each change, the 200 OK with every
 * contact, Service-Route, P-Associated-URI and the Path received. */

#include <string.h>
#include <strings.h>
#include <re.h>
#include "hss.h"
#include "host.h"
#include "sipkit.h"
#include "proxy.h"
#include "cscf.h"
#include "scscf.h"

/* Each IMPU of the implicit set finds its binding through an alias. */
struct alias {
	struct le he;
	struct le le;
	struct binding *b;
	char impu[];
};


static void alias_destructor(void *arg)
{
	struct alias *a = arg;

	hash_unlink(&a->he);
	list_unlink(&a->le);
}


static void binding_destructor(void *arg)
{
	struct binding *b = arg;

	hash_unlink(&b->he);
	scscf_regevent_detach(b);
	list_flush(&b->contacts);
	list_flush(&b->aliasl);
	mem_deref(b->profile);
	mem_deref(b->impu);
	mem_deref(b->impi);
	mem_deref(b->assoc);
}


static bool alias_cmp(struct le *le, void *arg)
{
	const struct alias *a = le->data;

	return 0 == str_casecmp(a->impu, arg);
}


struct binding *scscf_binding(const struct scscf *s, const char *impu)
{
	struct alias *a;

	a = list_ledata(hash_lookup(s->aliases, hash_joaat_str_ci(impu),
				    alias_cmp, (void *)impu));

	return a ? a->b : NULL;
}


/* TS 23.228 4.3.3.1: an IMPU shared by several IMPIs is in the set of
 * each that registered it; a request to it reaches all their devices. */
size_t scscf_user_targets(const struct scscf *s, const char *impu,
			  const struct bcontact **v, size_t max)
{
	const struct binding *seen[8];
	size_t n = 0, ns = 0, i;
	struct le *le;

	le = list_head(hash_list(s->aliases, hash_joaat_str_ci(impu)));
	for (; le && n < max; le = le->next) {
		const struct alias *a = le->data;
		bool dup = false;

		if (str_casecmp(a->impu, impu))
			continue;
		for (i = 0; i < ns; i++)
			dup |= seen[i] == a->b;
		if (dup || ns == ARRAY_SIZE(seen))
			continue;
		seen[ns++] = a->b;
		n += scscf_contact_targets(a->b, v + n, max - n);
	}

	return n;
}


static int alias_add(struct binding *b, const char *impu)
{
	size_t n = strlen(impu);
	struct alias *a;

	a = mem_zalloc(sizeof(*a) + n + 1, alias_destructor);
	if (!a)
		return ENOMEM;
	memcpy(a->impu, impu, n + 1);
	a->b = b;
	list_append(&b->aliasl, &a->le, a);
	hash_append(b->s->aliases, hash_joaat_str_ci(a->impu), &a->he, a);

	return 0;
}


/* Every IMPU of the set finds the binding, a tel URI also in the one
 * form its writings share (TS 23.228 4.3.3.1: +1-632... is +1632...). */
static int add_aliases(struct binding *b)
{
	struct pl rest, u;
	char impu[256], norm[256];

	pl_set_str(&rest, b->assoc);
	while (sipx_uri_next(&rest, &u)) {
		if (pl_strcpy(&u, impu, sizeof(impu)) || alias_add(b, impu))
			return ENOMEM;
		if (!hss_impu_normalise(norm, sizeof(norm), impu) &&
		    strcmp(norm, impu) && alias_add(b, norm))
			return ENOMEM;
	}

	return 0;
}


void scscf_binding_remove(struct binding *b, enum cx_sar_type why)
{
	scscf_binding_drop(b, why, true);
}


void scscf_binding_drop(struct binding *b, enum cx_sar_type why, bool sar)
{
	struct cx_saa saa;

	if (!b)
		return;

	elog(LOG_INFO, node_name(b->s->node), "reg", "%s de-registered (%s)",
	     b->impu, why == CX_SAR_TIMEOUT_DEREGISTRATION ? "expired" :
	     why == CX_SAR_ADMINISTRATIVE_DEREGISTRATION ? "by the network" :
	     "by the user");

	memset(&saa, 0, sizeof(saa));
	if (sar && !cx_sar(b->s->node, b->hss, b->impi, b->impu, b->s->uri,
			  why, &saa)) {
		mem_deref(saa.profile);
		mem_deref(saa.assoc);
	}

	/* TS 24.229 5.4.1.7: the ASs hear of the de-registration too,
	 * whoever ended it (the user, an expiry, the network). */
	scscf_isc_register(b->s, b, NULL, 0, IFC_REG_DE);

	mem_deref(b);
}


static int contact_of(const struct sip_msg *msg, struct sip_addr *ct,
		      bool *star)
{
	const struct sip_hdr *h = sip_msg_hdr(msg, SIP_HDR_CONTACT);

	*star = false;
	if (!h)
		return ENOENT;

	if (!pl_strcmp(&h->val, "*")) {
		*star = true;
		return 0;
	}

	return sip_addr_decode(ct, &h->val);
}


/* TS 24.229 5.4.1.2.2: every contact of the user, the Path of the
 * device that registered, Service-Route and the implicit set. */
static int reply_ok(struct scscf *s, const struct sip_msg *msg,
		    const struct binding *b, const struct bcontact *c)
{
	/* RFC 5626 6: a flow registered with reg-id says so. */
	return proxy_reply(s->px, msg, 200,
			   "%H"
			   "%s"
			   "%s"
			   "Service-Route: <sip:orig@%s;lr>\r\n"
			   "P-Associated-URI: %s\r\n"
			   "Content-Length: 0\r\n",
			   scscf_contacts_print, b,
			   c->regid ? "Require: outbound\r\n" : "",
			   c->paths ? c->paths : "",
			   node_host(s->node), b->assoc);
}


/* RFC 3455 4.1: P-Associated-URI holds name-addrs: "<a>, <b>". */
static int bracket_list(char **dst, const char *uris)
{
	struct mbuf *mb = mbuf_alloc(128);
	struct pl rest, u;
	int err = 0;

	if (!mb)
		return ENOMEM;

	pl_set_str(&rest, uris ? uris : "");
	while (!err && sipx_list_next(&rest, &u))
		err = mbuf_printf(mb, "%s<%r>", mb->end ? ", " : "", &u);

	mb->pos = 0;
	if (!err)
		err = mbuf_strdup(mb, dst, mb->end);
	mem_deref(mb);

	return err;
}


static int do_register(struct scscf *s, const struct sip_msg *msg,
		       struct hss *hss, const char *impi, const char *impu,
		       const struct sip_addr *ct, uint32_t expires)
{
	struct binding *b = scscf_binding(s, impu);
	struct bcontact *c = NULL;
	struct cx_saa saa;
	bool fresh = !b;
	int err;

	memset(&saa, 0, sizeof(saa));
	err = cx_sar(s->node, hss, impi, impu, s->uri, fresh ?
		     CX_SAR_REGISTRATION : CX_SAR_RE_REGISTRATION, &saa);
	if (err || saa.result != CX_SUCCESS) {
		elog(LOG_INFO, node_name(s->node), "cx", "SAR %s: %s", impu,
		     err ? "error" : cx_result_name(saa.result));
		mem_deref(saa.profile);
		mem_deref(saa.assoc);
		return proxy_reply(s->px, msg, err ? 500 : 403, NULL);
	}

	if (fresh) {
		b = mem_zalloc(sizeof(*b), binding_destructor);
		if (!b) {
			err = ENOMEM;
			goto out;
		}
		b->s = s;
		b->hss = hss;
		err  = str_dup(&b->impu, impu);
		err |= str_dup(&b->impi, impi);
		if (err)
			goto out;
		hash_append(s->bindings, hash_joaat_str_ci(b->impu), &b->he,
			    b);
	}

	/* The profile and the set may have changed in the HSS. */
	mem_deref(b->profile);
	b->profile = saa.profile;
	saa.profile = NULL;
	list_flush(&b->aliasl);
	b->assoc = mem_deref(b->assoc);
	err = bracket_list(&b->assoc, saa.assoc);
	if (err)
		goto out;

	err = add_aliases(b);
	if (!err)
		err = scscf_contact_set(b, msg, ct, expires, &c);
	if (err)
		goto out;

	elog(LOG_INFO, node_name(s->node), "reg", "%s %s (%s), %us", impu,
	     fresh ? "registered" : "re-registered", c->uri, expires);

	err = reply_ok(s, msg, b, c);
	if (err)
		goto out;

	/* TS 24.229 5.4.2.1.2: the watchers hear of it. */
	scscf_regevent_contact(b, c, c->last);

	/* TS 24.229 5.4.1.7: after the 200 OK, a third-party REGISTER to
	 * each AS whose iFC matches; a user the S-CSCF had no binding for
	 * made an initial registration (TS 24.229 3.1), any other one a
	 * re-registration, another device's included. */
	scscf_isc_register(s, b, msg, expires, fresh ? IFC_REG_INITIAL :
			   IFC_REG_RE);

 out:
	mem_deref(saa.profile);
	mem_deref(saa.assoc);
	if (err && fresh)
		mem_deref(b);

	return err;
}


/* Expires 0: that device goes (Contact: *, every one); the user is
 * de-registered with the last (TS 24.229 5.4.1.4). */
static int do_deregister(struct scscf *s, const struct sip_msg *msg,
			 const char *impu, const struct sip_addr *ct,
			 bool star)
{
	struct binding *b = scscf_binding(s, impu);
	struct bcontact *c = b && !star && ct ?
		scscf_contact_find(b, msg, ct) : NULL;
	char contact[256];
	int err;

	if (star || !ct)
		str_ncpy(contact, "*", sizeof(contact));
	else
		(void)pl_strcpy(&ct->auri, contact, sizeof(contact));

	/* TS 24.229 5.4.2.1.2: the watchers hear of it first; with the
	 * last contact their subscriptions end. */
	if (b && (star || !ct || list_count(&b->contacts) <= 1))
		scscf_regevent_end(b, SCSCF_REGEV_UNREGISTERED, "noresource");
	else if (c)
		scscf_regevent_contact(b, c, SCSCF_REGEV_UNREGISTERED);

	if (b && (star || !ct))
		list_flush(&b->contacts);
	else
		mem_deref(c);

	err = proxy_reply(s->px, msg, 200,
			  "Contact: <%s>;expires=0\r\n"
			  "%H"
			  "Content-Length: 0\r\n",
			  contact[0] == '*' ? "*" : contact,
			  scscf_contacts_print, b);

	if (b && list_isempty(&b->contacts))
		scscf_binding_remove(b, CX_SAR_USER_DEREGISTRATION);

	return err;
}


/* The Contact parameters a registrar must understand. */
static bool contact_bad(const struct sip_addr *ct, const char **why)
{
	struct pl v;

	if (!msg_param_decode(&ct->params, "q", &v) &&
	    scscf_contact_q(&v) < 0) {
		*why = "Bad q-value in Contact";
		return true;
	}

	/* RFC 5626 6: a reg-id (1 and up) only goes with an instance. */
	if (msg_param_decode(&ct->params, "reg-id", &v))
		return false;
	if (!pl_u32(&v)) {
		*why = "Bad reg-id in Contact";
		return true;
	}
	if (msg_param_exists(&ct->params, "+sip.instance", &v)) {
		*why = "reg-id without +sip.instance";
		return true;
	}

	return false;
}


int scscf_register(struct scscf *s, const struct sip_msg *msg)
{
	const char *why = NULL;
	char impu[256], impi[256];
	struct sip_addr ct;
	struct hss *hss;
	uint32_t expires;
	bool star = false;
	enum auth_verdict v;

	if (sipx_uri_aor(impu, sizeof(impu), &msg->to.auri))
		return proxy_reply(s->px, msg, 400, NULL);

	memset(&ct, 0, sizeof(ct));
	if (contact_of(msg, &ct, &star) == EINVAL)
		return proxy_reply(s->px, msg, 400, NULL);

	expires = sipx_expires(msg, star ? NULL : &ct.params, 600000);
	if (expires == 600000)
		expires = s->cfg.reg_max_expires;

	/* RFC 3261 10.3 step 6: Contact "*" only with Expires: 0. */
	if (star && expires)
		return proxy_reply(s->px, msg, 400, NULL);

	/* A query for bindings (no Contact) is not offered by IMS. */
	if (!star && !pl_isset(&ct.auri))
		return proxy_reply(s->px, msg, 400, NULL);

	if (!star && contact_bad(&ct, &why))
		return proxy_reply_reason(s->px, msg, 400, why);

	if (expires && expires < s->cfg.reg_min_expires)
		return proxy_reply(s->px, msg, 423, "Min-Expires: %u\r\n"
				   "Content-Length: 0\r\n",
				   s->cfg.reg_min_expires);
	if (expires > s->cfg.reg_max_expires)
		expires = s->cfg.reg_max_expires;

	(void)sipx_impi(impi, sizeof(impi), msg, impu);

	hss = slf_locate(impu);
	if (!hss)
		return proxy_reply(s->px, msg, 403, NULL);

	v = scscf_auth_verify(s, msg, impi, impu);
	switch (v) {

	case AUTH_CHALLENGE:
		return scscf_auth_challenge(s, msg, hss, impi, impu, false);

	case AUTH_STALE:
		return scscf_auth_challenge(s, msg, hss, impi, impu, true);

	case AUTH_FORBIDDEN:
		return proxy_reply(s->px, msg, 403, NULL);

	case AUTH_RESYNC:
		return scscf_auth_resync(s, msg, hss, impi, impu);

	case AUTH_OK:
		break;
	}

	if (!expires)
		return do_deregister(s, msg, impu, star ? NULL : &ct, star);

	return do_register(s, msg, hss, impi, impu, &ct, expires);
}
