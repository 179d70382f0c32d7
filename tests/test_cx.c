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


/* dana: three sets (TS 23.228 4.3.3.3), one with a barred IMPU, one with
 * its own profile and a wildcard, one barred through and through; erin
 * and finn share sip:family (TS 23.228 4.3.3.4) */
static const char ident_topo[] =
	"profiles: {home: {}, work: {}, spare: {}}\n"
	"subscribers:\n"
	"  - impi: dana@ims.test\n"
	"    password: pw\n"
	"    profile: home\n"
	"    sets:\n"
	"      - impu:\n"
	"          - sip:dana@ims.test\n"
	"          - 'tel:+1-632-830-0200'\n"
	"          - {uri: sip:dana-old@ims.test, barred: true}\n"
	"          - {uri: sip:dana-fax@ims.test, profile: spare}\n"
	"      - impu: [sip:dana-work@ims.test, 'sip:dana-!.*!@ims.test']\n"
	"        profile: work\n"
	"      - impu: [{uri: sip:dana-hidden@ims.test, barred: true}]\n"
	"  - {impi: erin@ims.test, password: pw, profile: home,\n"
	"     impu: [sip:erin@ims.test, sip:family@ims.test]}\n"
	"  - {impi: finn@ims.test, password: pw, profile: work,\n"
	"     impu: [sip:finn@ims.test, sip:family@ims.test]}\n";

#define DANA "dana@ims.test"
#define SCSCF2 "sip:scscf2.ims.test:6060"


static struct hss *ident_load(void)
{
	struct hss *hss;
	char err[256] = "";

	if (hssfx_from(&hss, "hss1", NULL, ident_topo, err, sizeof(err)))
		fprintf(stderr, "\nhss: %s\n", err);

	return hss;
}


static void saa_drop(struct cx_saa *saa)
{
	saa->profile = mem_deref(saa->profile);
	saa->assoc = mem_deref(saa->assoc);
}


/* Registering an IMPU registers its set only; the SAA gives the set,
 * its barred IMPUs and the IMPU's alias group */
static void test_sets(void)
{
	struct hss *hss = ident_load();
	struct cx_saa saa;
	struct cx_uaa uaa;
	struct cx_lia lia;

	CU_ASSERT_PTR_NOT_NULL_FATAL(hss);

	CU_ASSERT_EQUAL(hssfx_sar(hss, DANA, "sip:dana@ims.test", SCSCF,
				  CX_SAR_REGISTRATION, &saa), CX_SUCCESS);
	ASSERT_STR(saa.assoc, "sip:dana@ims.test, tel:+1-632-830-0200, "
		   "sip:dana-fax@ims.test");
	ASSERT_STR(saa.barred, "sip:dana-old@ims.test");
	ASSERT_STR(saa.aliases, "sip:dana@ims.test, tel:+1-632-830-0200, "
		   "sip:dana-old@ims.test");
	ASSERT_STR(ifc_profile_name(saa.profile), "home");
	ASSERT_STR(saa.wildcard, "");
	saa_drop(&saa);

	/* an IMPU's own profile, and its alias group of one */
	CU_ASSERT_EQUAL(hssfx_sar(hss, DANA, "sip:dana-fax@ims.test", SCSCF,
				  CX_SAR_NO_ASSIGNMENT, &saa), CX_SUCCESS);
	ASSERT_STR(ifc_profile_name(saa.profile), "spare");
	ASSERT_STR(saa.aliases, "sip:dana-fax@ims.test");
	saa_drop(&saa);

	/* the work set is not registered, the first set is */
	CU_ASSERT_EQUAL(hssfx_uar(hss, DANA, "sip:dana-fax@ims.test", DEREG,
				  &uaa), CX_SUCCESS);
	CU_ASSERT_EQUAL(hssfx_uar(hss, DANA, "sip:dana-work@ims.test", DEREG,
				  &uaa), CX_ERROR_IDENTITY_NOT_REGISTERED);

	CU_ASSERT_EQUAL(hssfx_sar(hss, DANA, "sip:dana-work@ims.test", SCSCF,
				  CX_SAR_REGISTRATION, &saa), CX_SUCCESS);
	ASSERT_STR(saa.assoc, "sip:dana-work@ims.test");
	ASSERT_STR(saa.barred, "");
	ASSERT_STR(ifc_profile_name(saa.profile), "work");
	saa_drop(&saa);

	/* the first set goes; the S-CSCF stays with the second */
	CU_ASSERT_EQUAL(hssfx_sar(hss, DANA, "tel:+16328300200", SCSCF,
				  CX_SAR_USER_DEREGISTRATION, &saa),
			CX_SUCCESS);
	CU_ASSERT_EQUAL(hssfx_uar(hss, DANA, "sip:dana@ims.test", DEREG,
				  &uaa), CX_ERROR_IDENTITY_NOT_REGISTERED);
	CU_ASSERT_EQUAL(hssfx_uar(hss, DANA, "sip:dana-work@ims.test", DEREG,
				  &uaa), CX_SUCCESS);
	ASSERT_STR(uaa.scscf, SCSCF);

	/* ... and is released with the last */
	CU_ASSERT_EQUAL(hssfx_sar(hss, DANA, "sip:dana-work@ims.test", SCSCF,
				  CX_SAR_TIMEOUT_DEREGISTRATION, &saa),
			CX_SUCCESS);
	CU_ASSERT_EQUAL(hssfx_lir(hss, "sip:dana@ims.test", &lia),
			CX_UNREGISTERED_SERVICE);
	CU_ASSERT_EQUAL(hssfx_uar(hss, DANA, "sip:dana@ims.test", REG, &uaa),
			CX_FIRST_REGISTRATION);

	mem_deref(hss);
}


/* TS 29.228 6.1.1.1 step 3, B.2.1: a barred IMPU registers with its set,
 * is never P-Associated, and alone in its set is refused */
static void test_barred(void)
{
	struct hss *hss = ident_load();
	struct cx_saa saa;
	struct cx_uaa uaa;
	struct cx_lia lia;

	CU_ASSERT_PTR_NOT_NULL_FATAL(hss);

	CU_ASSERT_TRUE(hss_impu_barred(hss, "sip:dana-old@ims.test"));
	CU_ASSERT_TRUE(hss_impu_barred(hss, "sip:dana-hidden@ims.test"));
	CU_ASSERT_FALSE(hss_impu_barred(hss, "sip:dana@ims.test"));
	CU_ASSERT_FALSE(hss_impu_barred(hss, "sip:eve@ims.test"));

	CU_ASSERT_EQUAL(hssfx_uar(hss, DANA, "sip:dana-old@ims.test", REG,
				  &uaa), CX_FIRST_REGISTRATION);
	CU_ASSERT_FALSE(uaa.rejected);
	CU_ASSERT_EQUAL(hssfx_uar(hss, DANA, "sip:dana-hidden@ims.test", REG,
				  &uaa), CX_AUTHORIZATION_REJECTED);
	CU_ASSERT_TRUE(uaa.rejected);
	ASSERT_STR(uaa.scscf, "");
	ASSERT_STR(cx_uaa_result_name(&uaa),
		   "DIAMETER_AUTHORIZATION_REJECTED");
	CU_ASSERT_EQUAL(hssfx_uar(hss, DANA, "sip:dana-hidden@ims.test",
				  CX_UAR_REGISTRATION_AND_CAPABILITIES, &uaa),
			CX_AUTHORIZATION_REJECTED);

	/* registered through the barred one: the set, it not associated */
	CU_ASSERT_EQUAL(hssfx_sar(hss, DANA, "sip:dana-old@ims.test", SCSCF,
				  CX_SAR_REGISTRATION, &saa), CX_SUCCESS);
	ASSERT_STR(saa.assoc, "sip:dana@ims.test, tel:+1-632-830-0200, "
		   "sip:dana-fax@ims.test");
	ASSERT_STR(saa.barred, "sip:dana-old@ims.test");
	saa_drop(&saa);
	CU_ASSERT_EQUAL(hssfx_uar(hss, DANA, "sip:dana-old@ims.test", DEREG,
				  &uaa), CX_SUCCESS);
	CU_ASSERT_FALSE(uaa.rejected);
	ASSERT_STR(cx_uaa_result_name(&uaa), "DIAMETER_SUCCESS");

	/* no terminating session to a barred IMPU; the others have one */
	CU_ASSERT_EQUAL(hssfx_lir(hss, "sip:dana-old@ims.test", &lia),
			CX_ERROR_USER_UNKNOWN);
	ASSERT_STR(lia.scscf, "");
	CU_ASSERT_EQUAL(hssfx_lir(hss, "sip:dana-fax@ims.test", &lia),
			CX_SUCCESS);
	ASSERT_STR(lia.scscf, SCSCF);

	mem_deref(hss);
}


/* TS 23.003 13.4: exact first, then wildcards; the answer names the
 * wildcard that matched, the set shows the identity in its place */
static void test_wildcard(void)
{
	struct hss *hss = ident_load();
	struct cx_saa saa;
	struct cx_uaa uaa;
	struct cx_lia lia;

	CU_ASSERT_PTR_NOT_NULL_FATAL(hss);

	CU_ASSERT_EQUAL(hss_impu_match(hss, "sip:dana-work@ims.test"),
			HSS_MATCH_EXACT);
	CU_ASSERT_EQUAL(hss_impu_match(hss, "sip:dana-bike@ims.test"),
			HSS_MATCH_WILDCARD);
	CU_ASSERT_EQUAL(hss_impu_match(hss, "sip:danabike@ims.test"),
			HSS_MATCH_NONE);
	/* anchored: no match inside a longer identity */
	CU_ASSERT_FALSE(hss_has_impu(hss, "sip:dana-bike@ims.test.evil"));
	ASSERT_STR(ifc_profile_name(hss_impu_profile(hss, NULL,
			"sip:dana-bike@ims.test")), "work");
	ASSERT_STR(ifc_profile_name(hss_impu_profile(hss, DANA,
			"sip:dana-fax@ims.test")), "spare");

	CU_ASSERT_EQUAL(hssfx_uar(hss, DANA, "sip:dana-bike@ims.test", REG,
				  &uaa), CX_FIRST_REGISTRATION);
	CU_ASSERT_EQUAL(hssfx_uar(hss, "erin@ims.test",
				  "sip:dana-bike@ims.test", REG, &uaa),
			CX_ERROR_IDENTITIES_DONT_MATCH);

	CU_ASSERT_EQUAL(hssfx_sar(hss, DANA, "sip:dana-bike@ims.test", SCSCF,
				  CX_SAR_REGISTRATION, &saa), CX_SUCCESS);
	ASSERT_STR(saa.wildcard, "sip:dana-!.*!@ims.test");
	ASSERT_STR(saa.assoc, "sip:dana-work@ims.test, "
		   "sip:dana-bike@ims.test");
	ASSERT_STR(ifc_profile_name(saa.profile), "work");
	saa_drop(&saa);

	/* an identity stored as such is no wildcard's, though it matches */
	CU_ASSERT_EQUAL(hssfx_sar(hss, DANA, "sip:dana-work@ims.test", SCSCF,
				  CX_SAR_NO_ASSIGNMENT, &saa), CX_SUCCESS);
	ASSERT_STR(saa.wildcard, "");
	ASSERT_STR(saa.assoc, "sip:dana-work@ims.test");
	saa_drop(&saa);

	CU_ASSERT_EQUAL(hssfx_lir(hss, "sip:dana-car@ims.test", &lia),
			CX_SUCCESS);
	ASSERT_STR(lia.wildcard, "sip:dana-!.*!@ims.test");
	ASSERT_STR(lia.scscf, SCSCF);
	CU_ASSERT_EQUAL(hssfx_lir(hss, "sip:dana-work@ims.test", &lia),
			CX_SUCCESS);
	ASSERT_STR(lia.wildcard, "");

	mem_deref(hss);
}


/* TS 23.228 4.3.3.4: an IMPU of two IMPIs; each pair goes, a third
 * IMPI does not; LIR follows the IMPI that is served */
static void test_shared(void)
{
	struct hss *hss = ident_load();
	struct cx_saa saa;
	struct cx_uaa uaa;
	struct cx_maa maa;
	struct cx_lia lia;

	CU_ASSERT_PTR_NOT_NULL_FATAL(hss);

	CU_ASSERT_EQUAL(hssfx_uar(hss, "erin@ims.test", "sip:family@ims.test",
				  REG, &uaa), CX_FIRST_REGISTRATION);
	CU_ASSERT_EQUAL(hssfx_mar(hss, "finn@ims.test", "sip:family@ims.test",
				  SIP_DIGEST, NULL, &maa), CX_SUCCESS);
	CU_ASSERT_EQUAL(hssfx_uar(hss, DANA, "sip:family@ims.test", REG,
				  &uaa), CX_ERROR_IDENTITIES_DONT_MATCH);
	CU_ASSERT_EQUAL(hssfx_mar(hss, DANA, "sip:family@ims.test",
				  SIP_DIGEST, NULL, &maa),
			CX_ERROR_IDENTITIES_DONT_MATCH);
	CU_ASSERT_EQUAL(hssfx_sar(hss, DANA, "sip:family@ims.test", SCSCF,
				  CX_SAR_REGISTRATION, &saa),
			CX_ERROR_IDENTITIES_DONT_MATCH);
	CU_ASSERT_EQUAL(hssfx_uar(hss, "eve@ims.test", "sip:family@ims.test",
				  REG, &uaa), CX_ERROR_USER_UNKNOWN);

	/* each IMPI's own profile for it */
	ASSERT_STR(ifc_profile_name(hss_impu_profile(hss, "finn@ims.test",
			"sip:family@ims.test")), "work");
	ASSERT_STR(ifc_profile_name(hss_impu_profile(hss, "erin@ims.test",
			"sip:family@ims.test")), "home");

	CU_ASSERT_EQUAL(hssfx_lir(hss, "sip:family@ims.test", &lia),
			CX_UNREGISTERED_SERVICE);

	CU_ASSERT_EQUAL(hssfx_sar(hss, "finn@ims.test", "sip:family@ims.test",
				  SCSCF2, CX_SAR_REGISTRATION, &saa),
			CX_SUCCESS);
	ASSERT_STR(saa.assoc, "sip:finn@ims.test, sip:family@ims.test");
	ASSERT_STR(ifc_profile_name(saa.profile), "work");
	saa_drop(&saa);
	CU_ASSERT_EQUAL(hssfx_lir(hss, "sip:family@ims.test", &lia),
			CX_SUCCESS);
	ASSERT_STR(lia.scscf, SCSCF2);

	/* erin's set is her own: finn's registration is not hers */
	CU_ASSERT_EQUAL(hssfx_uar(hss, "erin@ims.test", "sip:family@ims.test",
				  DEREG, &uaa),
			CX_ERROR_IDENTITY_NOT_REGISTERED);

	/* without IMPI the SAA tells the one that is served */
	CU_ASSERT_EQUAL(hssfx_sar(hss, NULL, "sip:family@ims.test", SCSCF2,
				  CX_SAR_UNREGISTERED_USER, &saa), CX_SUCCESS);
	ASSERT_STR(saa.impi, "finn@ims.test");
	saa_drop(&saa);

	mem_deref(hss);
}


/* TS 24.229 5.4.3.x: tel:+N and sip:+N@host;user=phone are one identity
 * to every lookup; the answers keep the topology's spelling */
static void test_tel_sip(void)
{
	struct hss *hss = ident_load();
	struct cx_saa saa;
	struct cx_uaa uaa;
	struct cx_lia lia;

	CU_ASSERT_PTR_NOT_NULL_FATAL(hss);

	CU_ASSERT_TRUE(hss_has_impu(hss, "tel:+16328300200"));
	CU_ASSERT_EQUAL(hss_impu_match(hss, "sip:+16328300200@ims.test;"
				       "user=phone"), HSS_MATCH_EXACT);
	CU_ASSERT_FALSE(hss_has_impu(hss, "sip:+16328300200@ims.test"));

	CU_ASSERT_EQUAL(hssfx_uar(hss, DANA, "sip:+16328300200@ims.test;"
				  "user=phone", REG, &uaa),
			CX_FIRST_REGISTRATION);
	CU_ASSERT_EQUAL(hssfx_uar(hss, DANA, "sip:+16328300200@ims.test",
				  REG, &uaa), CX_ERROR_USER_UNKNOWN);

	CU_ASSERT_EQUAL(hssfx_sar(hss, DANA, "tel:+1(632)830-0200", SCSCF,
				  CX_SAR_REGISTRATION, &saa), CX_SUCCESS);
	ASSERT_STR(saa.assoc, "sip:dana@ims.test, tel:+1-632-830-0200, "
		   "sip:dana-fax@ims.test");
	saa_drop(&saa);

	CU_ASSERT_EQUAL(hssfx_lir(hss, "sip:+16328300200@gw.example;"
				  "user=phone", &lia), CX_SUCCESS);
	ASSERT_STR(lia.scscf, SCSCF);
	CU_ASSERT_EQUAL(hssfx_uar(hss, DANA, "tel:+16328300200", DEREG,
				  &uaa), CX_SUCCESS);

	mem_deref(hss);
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
	ASSERT_STR(cx_result_name(CX_ERROR_IDENTITY_NOT_REGISTERED),
		   "DIAMETER_ERROR_IDENTITY_NOT_REGISTERED");
}


static const CU_TestInfo tests[] = {
	{"UAR", test_uar},
	{"MAR", test_mar},
	{"SAR", test_sar},
	{"LIR", test_lir},
	{"implicit registration sets", test_sets},
	{"barred IMPUs", test_barred},
	{"wildcarded IMPUs", test_wildcard},
	{"shared IMPU", test_shared},
	{"tel and sip forms", test_tel_sip},
	{"result names", test_result_names},
	CU_TEST_INFO_NULL,
};


int test_cx_suite(void)
{
	return test_suite_add_each("cx", cx_setup, cx_teardown, tests);
}
