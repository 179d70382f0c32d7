/* SPDX-License-Identifier: BSD-3-Clause */
/* The HSS's side of Cx for a peer that speaks Diameter: a request in,
 * always an answer out.  What cannot be served is said in the codes RFC
 * 6733 and TS 29.229 give it (another application 3007, a command the
 * HSS does not serve 3001, another realm 3003, a missing AVP 5005 with
 * Failed-AVP, an unknown user 5001 from the calls themselves), so that
 * the peer learns why and the connection stays up. */

#include <string.h>
#include <re.h>
#include "diam.h"
#include "host.h"
#include "hss.h"
#include "hssint.h"


/* A Cx answer that carries only a permanent failure and what failed. */
static int failure(struct diam **ap, const struct diam *req,
		   const struct diam_node *self, uint32_t code,
		   const char *avp)
{
	struct diam *d = NULL;
	int err;

	err = diam_answer(&d, req);
	err = err ? err : cxw_head(d, self, NULL, code, false);
	if (!err && avp)
		err = diam_put_failed(d, avp);
	if (err)
		mem_deref(d);
	else
		*ap = d;

	return err;
}


static int serve_mar(struct hss *hss, const struct diam *req,
		     const struct diam_node *self, const struct cx_ask *a,
		     struct diam **ap)
{
	const char *scheme = a->scheme[0] ? a->scheme : NULL;
	struct cx_maa maa;
	int e;

	/* TS 29.229 6.3.10: a resynchronisation is RAND || AUTS */
	if (a->authzlen == 30)
		e = hss_mar_resync(hss, a->impi, a->impu, scheme, a->server,
				   a->authz, a->authz + 16, &maa);
	else
		e = hss_mar_vectors(hss, a->impi, a->impu, scheme, a->server,
				    MIN(MAX(a->nitems, 1u), CX_VECTORS),
				    &maa);

	return e ? cxw_result(ap, req, self, CX_UNABLE_TO_COMPLY) :
		cxw_maa(ap, req, self, a, &maa);
}


/* TS 29.228 6.1.2: the profile goes in User-Data whenever the SAR
 * downloaded it */
static int saa_user_data(struct diam **ap, struct hss *hss,
			 const struct diam *req, const struct diam_node *self,
			 const struct cx_ask *a, const struct cx_saa *saa)
{
	struct mbuf *ud = NULL;
	int e;

	if (saa->result == CX_SUCCESS && saa->assoc &&
	    cx_user_data(&ud, hss, a->impu, saa))
		return cxw_result(ap, req, self, CX_UNABLE_TO_COMPLY);

	e = cxw_saa(ap, req, self, a, saa, ud);
	mem_deref(ud);

	return e;
}


static int serve_sar(struct hss *hss, const struct diam *req,
		     const struct diam_node *self, const struct cx_ask *a,
		     struct diam **ap)
{
	struct cx_saa saa;
	int e;

	e = hss_sar(hss, a->impi[0] ? a->impi : NULL, a->impu, a->server,
		    (enum cx_sar_type)a->type, &saa);
	if (e == EINVAL)
		e = cxw_result(ap, req, self, 5007);
	else if (e)
		e = cxw_result(ap, req, self, CX_UNABLE_TO_COMPLY);
	else
		e = saa_user_data(ap, hss, req, self, a, &saa);

	mem_deref(saa.profile);
	mem_deref(saa.assoc);

	return e;
}


static int serve(struct hss *hss, const struct diam *req,
		 const struct diam_node *self, const struct cx_ask *a,
		 struct diam **ap)
{
	struct cx_uaa uaa;
	struct cx_lia lia;
	int e;

	switch (a->cmd) {

	case CX_CMD_UAR:
		e = hss_uar(hss, a->impi, a->impu,
			    (enum cx_uar_type)a->type, &uaa);
		return e ? cxw_result(ap, req, self, CX_UNABLE_TO_COMPLY) :
			cxw_uaa(ap, req, self, a, &uaa);

	case CX_CMD_MAR:
		return serve_mar(hss, req, self, a, ap);

	case CX_CMD_SAR:
		return serve_sar(hss, req, self, a, ap);

	case CX_CMD_LIR:
		e = hss_lir(hss, a->impu, &lia);
		return e ? cxw_result(ap, req, self, CX_UNABLE_TO_COMPLY) :
			cxw_lia(ap, req, self, &lia);

	default:
		return ENOTSUP;
	}
}


int hss_cx_answer(struct hss *hss, const struct diam *req,
		  struct diam **ap)
{
	struct diam_node self;
	struct diam_hdr h;
	struct cx_ask a;
	const char *avp = NULL;
	char why[160], realm[128];
	uint32_t code;

	if (!hss || !req || !ap || diam_header(req, &h))
		return EINVAL;

	hss_diameter_node(hss, &self);

	if (h.app != DIAM_APP_CX)
		return diam_answer_error(ap, &h, &self, 3007, "the HSS "
					 "serves Cx (16777216) only");
	if (h.code != CX_CMD_UAR && h.code != CX_CMD_MAR &&
	    h.code != CX_CMD_SAR && h.code != CX_CMD_LIR)
		return diam_answer_error(ap, &h, &self, 3001, "the HSS "
					 "serves UAR, MAR, SAR and LIR");

	if (diam_check(req, &code, &avp, why, sizeof(why))) {
		elog(LOG_INFO, hss_name(hss), "cx", "%s: %s",
		     diam_abbrev(req), why);
		return failure(ap, req, &self, code, avp);
	}

	/* RFC 6733 6.1.4: a realm this HSS is not */
	if (diam_find_str(req, NULL, "Destination-Realm", realm,
			  sizeof(realm)) || str_casecmp(realm, self.realm))
		return diam_answer_error(ap, &h, &self, 3003,
					 "realm not served");

	if (cxw_request_read(req, &a, why, sizeof(why))) {
		elog(LOG_INFO, hss_name(hss), "cx", "%s: %s",
		     diam_abbrev(req), why);
		return failure(ap, req, &self, 5004, NULL);
	}

	return serve(hss, req, &self, &a, ap);
}
