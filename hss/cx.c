/* SPDX-License-Identifier: BSD-3-Clause */
/* cx: the HSS side of UAR, MAR, SAR and LIR (TS 29.228 6.1, 6.3; codes of
 * TS 29.229 6.2) as C calls; the only place that applies these rules. */

#include <string.h>
#include <strings.h>
#include <re.h>
#include "hss.h"
#include "hssint.h"


/* TS 29.228 6.1.1.1 steps 1-2 (and alike for MAR, SAR): the identities
 * must be known, then belong to one user: an IMPU shared by several IMPIs
 * (TS 23.228 4.3.3.4) belongs to each of them.  impi may be absent only
 * where the caller allows it (SAR for a terminating unregistered user). */
int cx_lookup(struct hss *hss, const char *impi, const char *impu,
	      struct hss_sub *sub, enum cx_result *rp)
{
	struct hss_sub other;
	int e;

	*rp = CX_SUCCESS;

	e = impi ? hss_sub_by_pair(hss, impi, impu, sub) :
		hss_sub_by_impu(hss, impu, sub);
	if (e != ENOENT)
		return e;

	/* not the pair: the IMPU is unknown, or the IMPI, or neither */
	*rp = CX_ERROR_USER_UNKNOWN;
	if (!impi)
		return 0;

	e = hss_sub_by_impu(hss, impu, &other);
	if (e == ENOENT)
		return 0;
	if (!e)
		e = hss_sub_by_impi(hss, impi, &other);
	if (e == ENOENT)
		return 0;
	if (!e)
		*rp = CX_ERROR_IDENTITIES_DONT_MATCH;

	return e;
}


/* TS 29.228 6.1.1.1 step 3, 6.1.4.1: without a Server-Name the answer
 * holds the subscriber's Server-Capabilities; a row that does not read
 * as lists is a database fault. */
static int caps_get(struct cx_caps *caps, const struct hss_sub *sub)
{
	return cx_caps_decode(caps, sub->cap_mand, sub->cap_opt,
			      sub->cap_servers) ? EIO : 0;
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

	/* 6.1.1.1 step 3: a barred IMPU goes on only when its set holds one
	 * that is not (it is registered with that one) */
	if (sub.barred && !hss_set_usable(hss, &sub)) {
		uaa->result = CX_AUTHORIZATION_REJECTED;
		uaa->rejected = true;
		return 0;
	}

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
			e = caps_get(&uaa->caps, &sub);
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
		 * answer): no Server-Name, the capabilities to choose by */
		uaa->result = CX_SUCCESS;
		e = caps_get(&uaa->caps, &sub);
		break;

	default:
		return EINVAL;
	}

	return e;
}


/* The IMPU's own service profile (TS 29.228 B.2) and its set: assoc,
 * barred and aliases in one allocation. */
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

	str_ncpy(saa->wildcard, sub->wildcard, sizeof(saa->wildcard));
	e = hss_sub_set(hss, sub, saa);
	if (e)
		saa->profile = mem_deref(saa->profile);

	return e;
}


/* TS 29.228 6.1.2.1: the S-CSCF lets the user go */
static int sar_release(struct hss *hss, const struct hss_sub *sub,
		       enum cx_sar_type type, struct cx_saa *saa)
{
	switch (type) {

	/* the HSS may forget the S-CSCF, and says it did */
	case CX_SAR_TIMEOUT_DEREGISTRATION_STORE:
	case CX_SAR_USER_DEREGISTRATION_STORE:
		saa->result = CX_SUCCESS_SERVER_NAME_NOT_STORED;
		break;

	/* the S-CSCF a MAR assigned goes, unless the user is registered */
	case CX_SAR_AUTHENTICATION_FAILURE:
	case CX_SAR_AUTHENTICATION_TIMEOUT:
		if (sub->state != HSS_NOT_REGISTERED)
			return 0;
		break;

	default:
		break;
	}

	return hss_sub_assign(hss, sub, "", HSS_NOT_REGISTERED);
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

		/* the set of the IMPU only (TS 23.228 4.3.3.3) */
		e = hss_sub_assign(hss, &sub, server, state);
		break;

	case CX_SAR_TIMEOUT_DEREGISTRATION:
	case CX_SAR_USER_DEREGISTRATION:
	case CX_SAR_ADMINISTRATIVE_DEREGISTRATION:
	case CX_SAR_DEREGISTRATION_TOO_MUCH_DATA:
	case CX_SAR_TIMEOUT_DEREGISTRATION_STORE:
	case CX_SAR_USER_DEREGISTRATION_STORE:
	case CX_SAR_AUTHENTICATION_FAILURE:
	case CX_SAR_AUTHENTICATION_TIMEOUT:
		e = sar_release(hss, &sub, type, saa);
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
		saa->barred = saa->aliases = NULL;
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

	/* A barred IMPU takes no terminating session (TS 29.228 B.2.1); a
	 * shared one is looked up in an IMPI that has it unbarred first, so
	 * this one is barred for all.  Unknown here is the 404 TS 24.229
	 * 5.4.3.3 asks the S-CSCF for, answered one hop earlier. */
	if (sub.barred) {
		lia->result = CX_ERROR_USER_UNKNOWN;
		return 0;
	}

	str_ncpy(lia->wildcard, sub.wildcard, sizeof(lia->wildcard));

	/* TS 29.228 6.1.4.1: the assigned S-CSCF, whatever the state; with
	 * none, UNREGISTERED_SERVICE tells the I-CSCF to pick one that will
	 * run the unregistered services */
	if (sub.scscf[0]) {
		lia->result = CX_SUCCESS;
		str_ncpy(lia->scscf, sub.scscf, sizeof(lia->scscf));
	}
	else {
		lia->result = CX_UNREGISTERED_SERVICE;
		e = caps_get(&lia->caps, &sub);
	}

	return e;
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
	case CX_SUCCESS_SERVER_NAME_NOT_STORED:
		return "DIAMETER_SUCCESS_SERVER_NAME_NOT_STORED";
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


const char *cx_uaa_result_name(const struct cx_uaa *uaa)
{
	if (!uaa)
		return "?";

	if (uaa->rejected && uaa->result == CX_AUTHORIZATION_REJECTED)
		return "DIAMETER_AUTHORIZATION_REJECTED";

	return cx_result_name(uaa->result);
}
