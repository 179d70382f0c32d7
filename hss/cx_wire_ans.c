/* SPDX-License-Identifier: BSD-3-Clause */
/* The Cx answers (TS 29.229 6.1) from what the HSS's calls return.
 * Which results go as Experimental-Result (vendor 10415, 6.2) and
 * which as the base protocol's Result-Code is decided once, here. */

#include <string.h>
#include <re.h>
#include "diam.h"
#include "hss.h"


/* TS 29.229 6.2: success 2001 is the base DIAMETER_SUCCESS but in a
 * UAA for a registration, where it is DIAMETER_FIRST_REGISTRATION; the
 * permanent failures 5001-5011 are 3GPP's, but UNABLE_TO_COMPLY and
 * the UAA's AUTHORIZATION_REJECTED (RFC 6733 7.1.5). */
static bool experimental(uint32_t code, bool first_reg)
{
	switch (code) {

	case 2001:
		return first_reg;
	case 2002:
	case 2003:
	case 2004:
		return true;
	case CX_UNABLE_TO_COMPLY:
		return false;
	default:
		return code >= 5001 && code <= 5011;
	}
}


static int answer(struct diam **dp, const struct diam *req,
		  const struct diam_node *self, uint32_t code, bool exp)
{
	struct diam *d = NULL;
	int err;

	err = diam_answer(&d, req);
	err = err ? err : cxw_head(d, self, NULL, code, exp);
	if (err)
		mem_deref(d);
	else
		*dp = d;

	return err;
}


static int put_caps(struct diam *d, const struct cx_caps *c)
{
	struct diam_avp *g = NULL;
	size_t i;
	int err;

	if (!c->mandc && !c->optc && !c->serverc)
		return 0;

	err = diam_put_group(d, NULL, "Server-Capabilities", &g);
	for (i = 0; !err && i < c->mandc; i++)
		err = diam_put_u32(d, g, "Mandatory-Capability", c->mandv[i]);
	for (i = 0; !err && i < c->optc; i++)
		err = diam_put_u32(d, g, "Optional-Capability", c->optv[i]);
	for (i = 0; !err && i < c->serverc; i++)
		err = diam_put_str(d, g, "Server-Name", c->serverv[i]);

	return err;
}


/* Server-Name when one is assigned, else the capabilities to choose
 * one by (TS 29.228 6.1.1.1 step 3, 6.1.4.1). */
static int put_server(struct diam *d, const char *scscf,
		      const struct cx_caps *caps)
{
	if (scscf[0])
		return diam_put_str(d, NULL, "Server-Name", scscf);

	return put_caps(d, caps);
}


int cxw_uaa(struct diam **dp, const struct diam *req,
	    const struct diam_node *self, const struct cx_ask *a,
	    const struct cx_uaa *uaa)
{
	int err;

	if (!dp || !req || !self || !a || !uaa)
		return EINVAL;

	err = answer(dp, req, self, uaa->result, !uaa->rejected &&
		     experimental(uaa->result,
				  a->type == CX_UAR_REGISTRATION));
	if (!err && uaa->result < 3000)
		err = put_server(*dp, uaa->scscf, &uaa->caps);

	return err;
}


/* TS 29.229 6.3.13: one item per vector, numbered; the digest's HA1
 * in SIP-Digest-Authenticate (RFC 4740 with TS 29.229 6.3.36) */
static int put_item(struct diam *d, uint32_t num, const struct cx_maa *m,
		    const struct aka_vec *v)
{
	struct diam_avp *g = NULL, *dg = NULL;
	uint8_t sa[AKA_KEY + AKA_AUTN];
	int err;

	err = diam_put_group(d, NULL, "SIP-Auth-Data-Item", &g);
	err = err ? err : diam_put_u32(d, g, "SIP-Item-Number", num);
	err = err ? err : diam_put_str(d, g, "SIP-Authentication-Scheme",
				       cx_scheme_name(m->scheme));
	if (err)
		return err;

	if (m->scheme == CX_SCHEME_DIGEST) {
		err = diam_put_group(d, g, "SIP-Digest-Authenticate", &dg);
		err = err ? err : diam_put_str(d, dg, "Digest-Realm",
					       m->realm);
		err = err ? err : diam_put_str(d, dg, "Digest-Algorithm",
					       "MD5");
		err = err ? err : diam_put_str(d, dg, "Digest-QoP", "auth");
		err = err ? err : diam_put_str(d, dg, "Digest-HA1", m->ha1);
		return err;
	}

	/* TS 29.229 6.3.9-6.3.11: RAND || AUTN, XRES, CK, IK */
	memcpy(sa, v->rand, AKA_KEY);
	memcpy(sa + AKA_KEY, v->autn, AKA_AUTN);
	err = diam_put_os(d, g, "SIP-Authenticate", sa, sizeof(sa));
	err = err ? err : diam_put_os(d, g, "SIP-Authorization", v->xres,
				      AKA_RES);
	err = err ? err : diam_put_os(d, g, "Confidentiality-Key", v->ck,
				      AKA_KEY);
	err = err ? err : diam_put_os(d, g, "Integrity-Key", v->ik, AKA_KEY);

	return err;
}


int cxw_maa(struct diam **dp, const struct diam *req,
	    const struct diam_node *self, const struct cx_ask *a,
	    const struct cx_maa *maa)
{
	uint32_t i, n;
	int err;

	if (!dp || !req || !self || !a || !maa)
		return EINVAL;

	err = answer(dp, req, self, maa->result,
		     experimental(maa->result, false));
	if (err || maa->result != CX_SUCCESS)
		return err;

	n = maa->scheme == CX_SCHEME_DIGEST ? 1 : 1 + maa->nspare;
	err = diam_put_str(*dp, NULL, "User-Name", a->impi);
	err = err ? err : diam_put_str(*dp, NULL, "Public-Identity", a->impu);
	err = err ? err : diam_put_u32(*dp, NULL, "SIP-Number-Auth-Items", n);
	for (i = 0; !err && i < n; i++)
		err = put_item(*dp, i + 1, maa,
			       i ? &maa->spare[i - 1] : &maa->vec);

	return err;
}


int cxw_saa(struct diam **dp, const struct diam *req,
	    const struct diam_node *self, const struct cx_ask *a,
	    const struct cx_saa *saa, const struct mbuf *user_data)
{
	int err;

	if (!dp || !req || !self || !a || !saa)
		return EINVAL;

	err = answer(dp, req, self, saa->result,
		     experimental(saa->result, false));
	if (err || saa->result != CX_SUCCESS)
		return err;

	if (saa->impi[0])
		err = diam_put_str(*dp, NULL, "User-Name", saa->impi);
	if (!err && user_data)
		err = diam_put_os(*dp, NULL, "User-Data",
				  mbuf_buf(user_data),
				  mbuf_get_left(user_data));
	if (!err && saa->wildcard[0])
		err = diam_put_str(*dp, NULL, "Wildcarded-Public-Identity",
				   saa->wildcard);

	return err;
}


int cxw_lia(struct diam **dp, const struct diam *req,
	    const struct diam_node *self, const struct cx_lia *lia)
{
	int err;

	if (!dp || !req || !self || !lia)
		return EINVAL;

	err = answer(dp, req, self, lia->result,
		     experimental(lia->result, false));
	if (!err && lia->result < 3000)
		err = put_server(*dp, lia->scscf, &lia->caps);
	if (!err && lia->result < 3000 && lia->wildcard[0])
		err = diam_put_str(*dp, NULL, "Wildcarded-Public-Identity",
				   lia->wildcard);

	return err;
}


/* RTA, PPA, and any answer that is a result alone */
int cxw_result(struct diam **dp, const struct diam *req,
	       const struct diam_node *self, uint32_t code)
{
	if (!dp || !req || !self)
		return EINVAL;

	return answer(dp, req, self, code, experimental(code, false));
}
