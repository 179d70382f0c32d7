/* SPDX-License-Identifier: BSD-3-Clause */
/* Cx: the answers of TS 29.228/29.229 (UAR, MAR, SAR, LIR) for known,
 * unknown and mismatched users, each test from the topology freshly
 * loaded. */

#include <stdio.h>
#include <string.h>
#include <re.h>
#include "yml.h"
#include "hss.h"
#include "tests.h"

/* The Cx tests start each from the topology freshly loaded */
static struct hss *cx;


static void cx_setup(void)
{
	char err[256] = "";

	if (hssfx_from(&cx, "hss1", NULL, hssfx_topo, err, sizeof(err)))
		fprintf(stderr, "\nhss: %s\n", err);
}


static void cx_teardown(void)
{
	cx = mem_deref(cx);
}


static void test_uar(void)
{
	struct cx_uaa uaa;

	CU_ASSERT_EQUAL(hssfx_uar(cx, ALICE, REG, &uaa),
			CX_FIRST_REGISTRATION);
	ASSERT_STR(uaa.scscf, "");

	CU_ASSERT_EQUAL(hssfx_uar(cx, "eve@ims.test", "sip:alice@ims.test",
				  REG, &uaa), CX_ERROR_USER_UNKNOWN);
	CU_ASSERT_EQUAL(hssfx_uar(cx, "alice@ims.test", "sip:eve@ims.test",
				  REG, &uaa), CX_ERROR_USER_UNKNOWN);
	CU_ASSERT_EQUAL(hssfx_uar(cx, "alice@ims.test", "sip:bob@ims.test",
				  REG, &uaa), CX_ERROR_IDENTITIES_DONT_MATCH);
	CU_ASSERT_EQUAL(hssfx_uar(cx, ALICE, DEREG, &uaa),
			CX_ERROR_IDENTITY_NOT_REGISTERED);
	CU_ASSERT_EQUAL(hssfx_uar(cx, ALICE,
				  CX_UAR_REGISTRATION_AND_CAPABILITIES, &uaa),
			CX_SUCCESS);
	ASSERT_STR(uaa.scscf, "");

	CU_ASSERT_EQUAL(hssfx_uar(cx, NULL, "sip:alice@ims.test", REG, &uaa),
			-EINVAL);
	CU_ASSERT_EQUAL(hssfx_uar(cx, ALICE, (enum cx_uar_type)9, &uaa),
			-EINVAL);
}


static void test_mar(void)
{
	struct cx_maa maa;
	struct cx_uaa uaa;

	CU_ASSERT_EQUAL(hssfx_mar(cx, "alice@ims.test", "tel:+16328300100",
				  SIP_DIGEST, NULL, &maa), CX_SUCCESS);
	ASSERT_STR(maa.realm, "ims.test");
	/* MD5("alice@ims.test:ims.test:secret") */
	ASSERT_STR(maa.ha1, "303caad20d1a07dd0a9f409479078797");

	CU_ASSERT_EQUAL(hssfx_mar(cx, "user0500@ims.test",
				  "sip:user0500@ims.test", SIP_DIGEST, NULL,
				  &maa), CX_SUCCESS);
	/* MD5("user0500@ims.test:ims.test:pw500") */
	ASSERT_STR(maa.ha1, "d274fafb285d502e06370d7da085f26c");

	CU_ASSERT_EQUAL(hssfx_mar(cx, ALICE, "Digest-AKAv1-MD5", NULL, &maa),
			CX_ERROR_AUTH_SCHEME_NOT_SUPPORTED);
	ASSERT_STR(maa.ha1, "");
	CU_ASSERT_EQUAL(hssfx_mar(cx, EVE, SIP_DIGEST, NULL, &maa),
			CX_ERROR_USER_UNKNOWN);
	CU_ASSERT_EQUAL(hssfx_mar(cx, "bob@ims.test", "sip:alice@ims.test",
				  SIP_DIGEST, NULL, &maa),
			CX_ERROR_IDENTITIES_DONT_MATCH);

	/* the challenging S-CSCF is kept, so the next UAR routes the
	 * answer to the challenge back to it (TS 29.228 6.3.1) */
	CU_ASSERT_EQUAL(hssfx_mar(cx, BOB, SIP_DIGEST, SCSCF, &maa),
			CX_SUCCESS);
	CU_ASSERT_EQUAL(hssfx_uar(cx, BOB, REG, &uaa),
			CX_SUBSEQUENT_REGISTRATION);
	ASSERT_STR(uaa.scscf, SCSCF);
	/* ... but bob is not registered yet */
	CU_ASSERT_EQUAL(hssfx_uar(cx, BOB, DEREG, &uaa),
			CX_ERROR_IDENTITY_NOT_REGISTERED);
}


static void test_sar(void)
{
	struct cx_saa saa;
	struct cx_uaa uaa;
	struct cx_lia lia;

	CU_ASSERT_EQUAL(hssfx_sar(cx, ALICE, SCSCF, CX_SAR_REGISTRATION, &saa),
			CX_SUCCESS);
	ASSERT_STR(saa.impi, "alice@ims.test");
	ASSERT_STR(saa.assoc, "sip:alice@ims.test, tel:+16328300100");
	CU_ASSERT_PTR_NOT_NULL_FATAL(saa.profile);
	ASSERT_STR(ifc_profile_name(saa.profile), "as1-services");
	CU_ASSERT_EQUAL(ifc_profile_count(saa.profile), 1);
	saa.profile = mem_deref(saa.profile);
	saa.assoc = mem_deref(saa.assoc);

	/* the whole implicit set is registered, with the Server-Name */
	CU_ASSERT_EQUAL(hssfx_uar(cx, "alice@ims.test", "tel:+16328300100",
				  REG, &uaa), CX_SUBSEQUENT_REGISTRATION);
	ASSERT_STR(uaa.scscf, SCSCF);
	CU_ASSERT_EQUAL(hssfx_uar(cx, ALICE, DEREG, &uaa), CX_SUCCESS);
	ASSERT_STR(uaa.scscf, SCSCF);
	CU_ASSERT_EQUAL(hssfx_lir(cx, "tel:+16328300100", &lia), CX_SUCCESS);
	ASSERT_STR(lia.scscf, SCSCF);

	/* only the assigned S-CSCF may download the profile */
	CU_ASSERT_EQUAL(hssfx_sar(cx, ALICE, "sip:other.ims.test",
				  CX_SAR_NO_ASSIGNMENT, &saa),
			CX_UNABLE_TO_COMPLY);
	CU_ASSERT_PTR_NULL(saa.profile);
	CU_ASSERT_EQUAL(hssfx_sar(cx, ALICE, SCSCF, CX_SAR_NO_ASSIGNMENT,
				  &saa), CX_SUCCESS);
	CU_ASSERT_PTR_NOT_NULL(saa.profile);
	saa.profile = mem_deref(saa.profile);
	saa.assoc = mem_deref(saa.assoc);

	CU_ASSERT_EQUAL(hssfx_sar(cx, ALICE, SCSCF, CX_SAR_USER_DEREGISTRATION,
				  &saa), CX_SUCCESS);
	CU_ASSERT_PTR_NULL(saa.profile);
	CU_ASSERT_PTR_NULL(saa.assoc);
	CU_ASSERT_EQUAL(hssfx_uar(cx, ALICE, REG, &uaa),
			CX_FIRST_REGISTRATION);
	ASSERT_STR(uaa.scscf, "");
	CU_ASSERT_EQUAL(hssfx_lir(cx, "sip:alice@ims.test", &lia),
			CX_UNREGISTERED_SERVICE);
	ASSERT_STR(lia.scscf, "");

	/* terminating call to unregistered bob: no IMPI in the SAR */
	CU_ASSERT_EQUAL(hssfx_sar(cx, NULL, "sip:bob@ims.test", SCSCF,
				  CX_SAR_UNREGISTERED_USER, &saa), CX_SUCCESS);
	ASSERT_STR(saa.impi, "bob@ims.test");
	ASSERT_STR(saa.assoc, "sip:bob@ims.test");
	ASSERT_STR(ifc_profile_name(saa.profile), "plain");
	saa.profile = mem_deref(saa.profile);
	saa.assoc = mem_deref(saa.assoc);
	CU_ASSERT_EQUAL(hssfx_lir(cx, "sip:bob@ims.test", &lia), CX_SUCCESS);
	ASSERT_STR(lia.scscf, SCSCF);
	CU_ASSERT_EQUAL(hssfx_uar(cx, BOB, DEREG, &uaa), CX_SUCCESS);

	CU_ASSERT_EQUAL(hssfx_sar(cx, "alice@ims.test", "sip:bob@ims.test",
				  SCSCF, CX_SAR_REGISTRATION, &saa),
			CX_ERROR_IDENTITIES_DONT_MATCH);
	CU_ASSERT_PTR_NULL(saa.profile);
	CU_ASSERT_EQUAL(hssfx_sar(cx, EVE, SCSCF, CX_SAR_REGISTRATION, &saa),
			CX_ERROR_USER_UNKNOWN);

	/* a user without profile registers with none */
	CU_ASSERT_EQUAL(hssfx_sar(cx, "nobody@ims.test", "sip:nobody@ims.test",
				  SCSCF, CX_SAR_RE_REGISTRATION, &saa),
			CX_SUCCESS);
	CU_ASSERT_PTR_NULL(saa.profile);
	saa.assoc = mem_deref(saa.assoc);

	CU_ASSERT_EQUAL(hssfx_sar(cx, BOB, NULL, CX_SAR_REGISTRATION, &saa),
			-EINVAL);
}


static void test_lir(void)
{
	struct cx_lia lia;

	CU_ASSERT_EQUAL(hssfx_lir(cx, "sip:user0500@ims.test", &lia),
			CX_UNREGISTERED_SERVICE);
	ASSERT_STR(lia.scscf, "");
	CU_ASSERT_EQUAL(hssfx_lir(cx, "sip:eve@ims.test", &lia),
			CX_ERROR_USER_UNKNOWN);
	CU_ASSERT_EQUAL(hssfx_lir(cx, "sip:carol@ims.test", &lia),
			CX_ERROR_USER_UNKNOWN);
	CU_ASSERT_EQUAL(hssfx_lir(cx, NULL, &lia), -EINVAL);
}


static void test_result_names(void)
{
	/* 2001 is both DIAMETER_SUCCESS and DIAMETER_FIRST_REGISTRATION */
	ASSERT_STR(cx_result_name(CX_FIRST_REGISTRATION), "DIAMETER_SUCCESS");
	ASSERT_STR(cx_result_name(CX_SUBSEQUENT_REGISTRATION),
		   "DIAMETER_SUBSEQUENT_REGISTRATION");
	ASSERT_STR(cx_result_name(CX_UNREGISTERED_SERVICE),
		   "DIAMETER_UNREGISTERED_SERVICE");
	ASSERT_STR(cx_result_name(CX_ERROR_IDENTITIES_DONT_MATCH),
		   "DIAMETER_ERROR_IDENTITIES_DONT_MATCH");
	ASSERT_STR(cx_result_name(CX_UNABLE_TO_COMPLY),
		   "DIAMETER_UNABLE_TO_COMPLY");
	ASSERT_STR(cx_result_name((enum cx_result)1), "?");
}


static const CU_TestInfo tests[] = {
	{"UAR", test_uar},
	{"MAR", test_mar},
	{"SAR", test_sar},
	{"LIR", test_lir},
	{"result names", test_result_names},
	CU_TEST_INFO_NULL,
};


int test_cx_suite(void)
{
	return test_suite_add_each("cx", cx_setup, cx_teardown, tests);
}
