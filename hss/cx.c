/* SPDX-License-Identifier: BSD-3-Clause */
/* cx: the HSS side of UAR, MAR, SAR and LIR (TS 29.228 6.1, 6.3; codes of
 * TS 29.229 6.2) as C calls; the only place that applies these rules. */

#include <string.h>
#include <strings.h>
#include <re.h>
#include "hss.h"
#include "hssint.h"


/* TS 29.228 6.1.1.1 steps 1-2 (and alike for MAR, SAR): the identities
 * must be known, then belong to one user.  impi may be absent only where
 * the caller allows it (SAR for a terminating unregistered user). */
int cx_lookup(struct hss *hss, const char *impi, const char *impu,
	      struct hss_sub *sub, enum cx_result *rp)
{
	struct hss_sub other;
	int e;

	*rp = CX_SUCCESS;

	e = hss_sub_by_impu(hss, impu, sub);
	if (e == ENOENT) {
		*rp = CX_ERROR_USER_UNKNOWN;
		return 0;
	}
	if (e)
		return e;

	if (!impi || !strcmp(sub->impi, impi))
		return 0;

	e = hss_sub_by_impi(hss, impi, &other);
	if (e == ENOENT)
		*rp = CX_ERROR_USER_UNKNOWN;
	else if (!e)
		*rp = CX_ERROR_IDENTITIES_DONT_MATCH;
	else
		return e;

	return 0;
}


int hss_uar(struct hss *hss, const char *impi, const char *impu,
	    enum cx_uar_type type, struct cx_uaa *uaa)
{
	struct hss_sub sub;
	int e;

	if (!hss || !impi || !impu || !uaa)
		return EINVAL;

	memset(uaa, 0, sizeof(*uaa));

	e = cx_lookup(hss, impi, impu, &sub, &uaa->result);
	if (e || uaa->result != CX_SUCCESS)
		return e;

	switch (type) {

	case CX_UAR_REGISTRATION:
		/* 6.1.1.1 step 3: an S-CSCF already assigned (registered,
		 * unregistered, or by a MAR still pending) keeps the user */
		if (sub.scscf[0]) {
			uaa->result = CX_SUBSEQUENT_REGISTRATION;
			str_ncpy(uaa->scscf, sub.scscf, sizeof(uaa->scscf));
		}
		else {
			uaa->result = CX_FIRST_REGISTRATION;
		}
		break;

	case CX_UAR_DE_REGISTRATION:
		if (sub.state == HSS_NOT_REGISTERED) {
			uaa->result = CX_ERROR_IDENTITY_NOT_REGISTERED;
		}
		else {
			uaa->result = CX_SUCCESS;
			str_ncpy(uaa->scscf, sub.scscf, sizeof(uaa->scscf));
		}
		break;

	case CX_UAR_REGISTRATION_AND_CAPABILITIES:
		/* the I-CSCF asks to choose again (its S-CSCF did not
		 * answer): no Server-Name, only DIAMETER_SUCCESS; imsbed's
		 * I-CSCF holds the capabilities itself */
		uaa->result = CX_SUCCESS;
		break;

	default:
		return EINVAL;
	}

	return 0;
}


static int sar_download(struct hss *hss, const struct hss_sub *sub,
			struct cx_saa *saa)
{
	int e;

	if (sub->profile[0]) {
		saa->profile = mem_ref(hss_profile_find(hss, sub->profile));
		if (!saa->profile) {
			/* a reopened file database that was not reloaded has
			 * rows but no compiled profiles */
			saa->result = CX_UNABLE_TO_COMPLY;
			return 0;
		}
	}

	e = hss_sub_assoc(hss, sub->impi, &saa->assoc);
	if (e)
		saa->profile = mem_deref(saa->profile);

	return e;
}


int hss_sar(struct hss *hss, const char *impi, const char *impu,
	    const char *server, enum cx_sar_type type, struct cx_saa *saa)
{
	struct hss_sub sub;
	enum hss_state state;
	int e;

	if (!hss || !impu || !saa)
		return EINVAL;
	if (server && strlen(server) >= HSS_ID_MAX)
		return EINVAL;

	memset(saa, 0, sizeof(*saa));

	/* TS 29.228 6.1.2: a SAR for a terminating unregistered user may
	 * come without the IMPI, which the SAA then tells */
	e = cx_lookup(hss, str_isset(impi) ? impi : NULL, impu, &sub,
		   &saa->result);
	if (e || saa->result != CX_SUCCESS)
		return e;

	str_ncpy(saa->impi, sub.impi, sizeof(saa->impi));

	switch (type) {

	case CX_SAR_REGISTRATION:
	case CX_SAR_RE_REGISTRATION:
	case CX_SAR_UNREGISTERED_USER:
		if (!str_isset(server))
			return EINVAL;

		e = sar_download(hss, &sub, saa);
		if (e || saa->result != CX_SUCCESS)
			return e;

		/* a registered user stays registered when a terminating
		 * request asks for its profile */
		state = HSS_REGISTERED;
		if (type == CX_SAR_UNREGISTERED_USER &&
		    sub.state != HSS_REGISTERED)
			state = HSS_UNREGISTERED;

		e = hss_sub_assign(hss, sub.impi, server, state);
		break;

	case CX_SAR_TIMEOUT_DEREGISTRATION:
	case CX_SAR_USER_DEREGISTRATION:
	case CX_SAR_ADMINISTRATIVE_DEREGISTRATION:
		e = hss_sub_assign(hss, sub.impi, "", HSS_NOT_REGISTERED);
		break;

	case CX_SAR_NO_ASSIGNMENT:
		/* 6.1.2.1: only the assigned S-CSCF downloads the profile */
		if (!server || strcmp(server, sub.scscf)) {
			saa->result = CX_UNABLE_TO_COMPLY;
			return 0;
		}

		e = sar_download(hss, &sub, saa);
		break;

	default:
		return EINVAL;
	}

	if (e) {
		saa->profile = mem_deref(saa->profile);
		saa->assoc = mem_deref(saa->assoc);
	}

	return e;
}


int hss_lir(struct hss *hss, const char *impu, struct cx_lia *lia)
{
	struct hss_sub sub;
	int e;

	if (!hss || !impu || !lia)
		return EINVAL;

	memset(lia, 0, sizeof(*lia));

	e = hss_sub_by_impu(hss, impu, &sub);
	if (e == ENOENT) {
		lia->result = CX_ERROR_USER_UNKNOWN;
		return 0;
	}
	if (e)
		return e;

	/* TS 29.228 6.1.4.1: the assigned S-CSCF, whatever the state; with
	 * none, UNREGISTERED_SERVICE tells the I-CSCF to pick one that will
	 * run the unregistered services */
	if (sub.scscf[0]) {
		lia->result = CX_SUCCESS;
		str_ncpy(lia->scscf, sub.scscf, sizeof(lia->scscf));
	}
	else {
		lia->result = CX_UNREGISTERED_SERVICE;
	}

	return 0;
}


/* 2001 is both DIAMETER_SUCCESS (Result-Code) and DIAMETER_FIRST_
 * REGISTRATION (Experimental-Result-Code); one value has one name here,
 * the base protocol's.  A UAA printer wanting the other says so itself. */
const char *cx_result_name(enum cx_result r)
{
	switch (r) {

	case CX_SUCCESS:
		return "DIAMETER_SUCCESS";
	case CX_SUBSEQUENT_REGISTRATION:
		return "DIAMETER_SUBSEQUENT_REGISTRATION";
	case CX_UNREGISTERED_SERVICE:
		return "DIAMETER_UNREGISTERED_SERVICE";
	case CX_ERROR_USER_UNKNOWN:
		return "DIAMETER_ERROR_USER_UNKNOWN";
	case CX_ERROR_IDENTITIES_DONT_MATCH:
		return "DIAMETER_ERROR_IDENTITIES_DONT_MATCH";
	case CX_ERROR_IDENTITY_NOT_REGISTERED:
		return "DIAMETER_ERROR_IDENTITY_NOT_REGISTERED";
	case CX_ERROR_ROAMING_NOT_ALLOWED:
		return "DIAMETER_ERROR_ROAMING_NOT_ALLOWED";
	case CX_ERROR_AUTH_SCHEME_NOT_SUPPORTED:
		return "DIAMETER_ERROR_AUTH_SCHEME_NOT_SUPPORTED";
	case CX_UNABLE_TO_COMPLY:
		return "DIAMETER_UNABLE_TO_COMPLY";
	default:
		return "?";
	}
}
