/* SPDX-License-Identifier: BSD-3-Clause */
/* HSS: loading a topology (templates, filters, errors, rollback), the Cx
 * answers of TS 29.228/29.229 for known, unknown and mismatched users. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <re.h>
#include "yml.h"
#include "hss.h"
#include "tests.h"

#define SCSCF "sip:scscf.ims.test:6060"

/* alice has two IMPUs and services; carol belongs to hss2; nobody has no
 * profile; user0001..user1000 come from one template */
static const char topo[] =
	"profiles:\n"
	"  as1-services:\n"
	"    ifc:\n"
	"      - priority: 0\n"
	"        trigger:\n"
	"          spt:\n"
	"            - {method: REGISTER}\n"
	"        as: sip:as1.ims.test:5060\n"
	"  plain: {}\n"
	"subscribers:\n"
	"  - impi: alice@ims.test\n"
	"    impu: [sip:alice@ims.test, tel:+16328300100]\n"
	"    password: secret\n"
	"    profile: as1-services\n"
	"  - {impi: bob@ims.test, impu: sip:bob@ims.test, password: bobpw,\n"
	"     profile: plain}\n"
	"  - {impi: carol@ims.test, impu: sip:carol@ims.test, password: x,\n"
	"     hss: hss2}\n"
	"  - {impi: user%04d@ims.test, impu: sip:user%04d@ims.test,\n"
	"     password: pw%d, count: 1000, profile: plain}\n"
	"  - {impi: nobody@ims.test, impu: sip:nobody@ims.test,\n"
	"     password: x}\n";


/* Loads text into a new HSS named name; *hssp is NULL on failure */
static int hss_from(struct hss **hssp, const char *name, const char *dbpath,
		    const char *text, char *err, size_t sz)
{
	struct yml *y = NULL;
	struct hss *hss = NULL;
	int e;

	*hssp = NULL;

	e = hss_alloc(&hss, name, dbpath, "ims.test", err, sz);
	if (e)
		return e;

	e = yml_load_str(&y, "t.yaml", text, err, sz);
	if (!e)
		e = hss_load(hss, y, yml_root(y), err, sz);

	mem_deref(y);
	if (e)
		mem_deref(hss);
	else
		*hssp = hss;

	return e;
}


static void test_load(void)
{
	struct hss *hss, *hss2;
	char err[256] = "";

	CU_ASSERT_EQUAL_FATAL(hss_from(&hss, "hss1", NULL, topo, err,
				       sizeof(err)), 0);
	ASSERT_STR(hss_name(hss), "hss1");

	/* alice, bob, nobody and user0001..user1000; carol is hss2's */
	CU_ASSERT_EQUAL(hss_subscriber_count(hss), 1003);
	CU_ASSERT_TRUE(hss_has_impu(hss, "sip:alice@ims.test"));
	CU_ASSERT_TRUE(hss_has_impu(hss, "tel:+16328300100"));
	CU_ASSERT_FALSE(hss_has_impu(hss, "sip:carol@ims.test"));
	CU_ASSERT_TRUE(hss_has_impu(hss, "sip:user0001@ims.test"));
	CU_ASSERT_TRUE(hss_has_impu(hss, "sip:user0500@ims.test"));
	CU_ASSERT_TRUE(hss_has_impu(hss, "sip:user1000@ims.test"));
	CU_ASSERT_FALSE(hss_has_impu(hss, "sip:user0000@ims.test"));
	CU_ASSERT_FALSE(hss_has_impu(hss, "sip:user1001@ims.test"));
	CU_ASSERT_FALSE(hss_has_impu(hss, "sip:user500@ims.test"));

	CU_ASSERT_EQUAL_FATAL(hss_from(&hss2, "hss2", NULL, topo, err,
				       sizeof(err)), 0);
	CU_ASSERT_EQUAL(hss_subscriber_count(hss2), 1004);
	CU_ASSERT_TRUE(hss_has_impu(hss2, "sip:carol@ims.test"));

	mem_deref(hss2);
	mem_deref(hss);
}


/* The Cx tests start each from the topology freshly loaded */
static struct hss *cx;


static void cx_setup(void)
{
	char err[256] = "";

	if (hss_from(&cx, "hss1", NULL, topo, err, sizeof(err)))
		fprintf(stderr, "\nhss: %s\n", err);
}


static void cx_teardown(void)
{
	cx = mem_deref(cx);
}


#define ALICE "alice@ims.test", "sip:alice@ims.test"
#define BOB   "bob@ims.test", "sip:bob@ims.test"
#define EVE   "eve@ims.test", "sip:eve@ims.test"
#define REG   CX_UAR_REGISTRATION
#define DEREG CX_UAR_DE_REGISTRATION
#define SIP_DIGEST "SIP Digest"

/* Each returns the answer's result code, or -errno when the call failed */

static int uar(struct hss *hss, const char *impi, const char *impu,
	       enum cx_uar_type type, struct cx_uaa *uaa)
{
	int e = hss_uar(hss, impi, impu, type, uaa);

	return e ? -e : (int)uaa->result;
}


static int mar(struct hss *hss, const char *impi, const char *impu,
	       const char *scheme, const char *server, struct cx_maa *maa)
{
	int e = hss_mar(hss, impi, impu, scheme, server, maa);

	return e ? -e : (int)maa->result;
}


static int sar(struct hss *hss, const char *impi, const char *impu,
	       const char *server, enum cx_sar_type type, struct cx_saa *saa)
{
	int e = hss_sar(hss, impi, impu, server, type, saa);

	return e ? -e : (int)saa->result;
}


static int lir(struct hss *hss, const char *impu, struct cx_lia *lia)
{
	int e = hss_lir(hss, impu, lia);

	return e ? -e : (int)lia->result;
}


static void test_uar(void)
{
	struct cx_uaa uaa;

	CU_ASSERT_EQUAL(uar(cx, ALICE, REG, &uaa), CX_FIRST_REGISTRATION);
	ASSERT_STR(uaa.scscf, "");

	CU_ASSERT_EQUAL(uar(cx, "eve@ims.test", "sip:alice@ims.test", REG,
			    &uaa), CX_ERROR_USER_UNKNOWN);
	CU_ASSERT_EQUAL(uar(cx, "alice@ims.test", "sip:eve@ims.test", REG,
			    &uaa), CX_ERROR_USER_UNKNOWN);
	CU_ASSERT_EQUAL(uar(cx, "alice@ims.test", "sip:bob@ims.test", REG,
			    &uaa), CX_ERROR_IDENTITIES_DONT_MATCH);
	CU_ASSERT_EQUAL(uar(cx, ALICE, DEREG, &uaa),
			CX_ERROR_IDENTITY_NOT_REGISTERED);
	CU_ASSERT_EQUAL(uar(cx, ALICE, CX_UAR_REGISTRATION_AND_CAPABILITIES,
			    &uaa), CX_SUCCESS);
	ASSERT_STR(uaa.scscf, "");

	CU_ASSERT_EQUAL(uar(cx, NULL, "sip:alice@ims.test", REG, &uaa),
			-EINVAL);
	CU_ASSERT_EQUAL(uar(cx, ALICE, (enum cx_uar_type)9, &uaa), -EINVAL);
}


static void test_mar(void)
{
	struct cx_maa maa;
	struct cx_uaa uaa;

	CU_ASSERT_EQUAL(mar(cx, "alice@ims.test", "tel:+16328300100",
			    SIP_DIGEST, NULL, &maa), CX_SUCCESS);
	ASSERT_STR(maa.realm, "ims.test");
	/* MD5("alice@ims.test:ims.test:secret") */
	ASSERT_STR(maa.ha1, "303caad20d1a07dd0a9f409479078797");

	CU_ASSERT_EQUAL(mar(cx, "user0500@ims.test", "sip:user0500@ims.test",
			    SIP_DIGEST, NULL, &maa), CX_SUCCESS);
	/* MD5("user0500@ims.test:ims.test:pw500") */
	ASSERT_STR(maa.ha1, "d274fafb285d502e06370d7da085f26c");

	CU_ASSERT_EQUAL(mar(cx, ALICE, "Digest-AKAv1-MD5", NULL, &maa),
			CX_ERROR_AUTH_SCHEME_NOT_SUPPORTED);
	ASSERT_STR(maa.ha1, "");
	CU_ASSERT_EQUAL(mar(cx, EVE, SIP_DIGEST, NULL, &maa),
			CX_ERROR_USER_UNKNOWN);
	CU_ASSERT_EQUAL(mar(cx, "bob@ims.test", "sip:alice@ims.test",
			    SIP_DIGEST, NULL, &maa),
			CX_ERROR_IDENTITIES_DONT_MATCH);

	/* the challenging S-CSCF is kept, so the next UAR routes the
	 * answer to the challenge back to it (TS 29.228 6.3.1) */
	CU_ASSERT_EQUAL(mar(cx, BOB, SIP_DIGEST, SCSCF, &maa), CX_SUCCESS);
	CU_ASSERT_EQUAL(uar(cx, BOB, REG, &uaa), CX_SUBSEQUENT_REGISTRATION);
	ASSERT_STR(uaa.scscf, SCSCF);
	/* ... but bob is not registered yet */
	CU_ASSERT_EQUAL(uar(cx, BOB, DEREG, &uaa),
			CX_ERROR_IDENTITY_NOT_REGISTERED);
}


static void test_sar(void)
{
	struct cx_saa saa;
	struct cx_uaa uaa;
	struct cx_lia lia;

	CU_ASSERT_EQUAL(sar(cx, ALICE, SCSCF, CX_SAR_REGISTRATION, &saa),
			CX_SUCCESS);
	ASSERT_STR(saa.impi, "alice@ims.test");
	ASSERT_STR(saa.assoc, "sip:alice@ims.test, tel:+16328300100");
	CU_ASSERT_PTR_NOT_NULL_FATAL(saa.profile);
	ASSERT_STR(ifc_profile_name(saa.profile), "as1-services");
	CU_ASSERT_EQUAL(ifc_profile_count(saa.profile), 1);
	saa.profile = mem_deref(saa.profile);
	saa.assoc = mem_deref(saa.assoc);

	/* the whole implicit set is registered, with the Server-Name */
	CU_ASSERT_EQUAL(uar(cx, "alice@ims.test", "tel:+16328300100", REG,
			    &uaa), CX_SUBSEQUENT_REGISTRATION);
	ASSERT_STR(uaa.scscf, SCSCF);
	CU_ASSERT_EQUAL(uar(cx, ALICE, DEREG, &uaa), CX_SUCCESS);
	ASSERT_STR(uaa.scscf, SCSCF);
	CU_ASSERT_EQUAL(lir(cx, "tel:+16328300100", &lia), CX_SUCCESS);
	ASSERT_STR(lia.scscf, SCSCF);

	/* only the assigned S-CSCF may download the profile */
	CU_ASSERT_EQUAL(sar(cx, ALICE, "sip:other.ims.test",
			    CX_SAR_NO_ASSIGNMENT, &saa), CX_UNABLE_TO_COMPLY);
	CU_ASSERT_PTR_NULL(saa.profile);
	CU_ASSERT_EQUAL(sar(cx, ALICE, SCSCF, CX_SAR_NO_ASSIGNMENT, &saa),
			CX_SUCCESS);
	CU_ASSERT_PTR_NOT_NULL(saa.profile);
	saa.profile = mem_deref(saa.profile);
	saa.assoc = mem_deref(saa.assoc);

	CU_ASSERT_EQUAL(sar(cx, ALICE, SCSCF, CX_SAR_USER_DEREGISTRATION,
			    &saa), CX_SUCCESS);
	CU_ASSERT_PTR_NULL(saa.profile);
	CU_ASSERT_PTR_NULL(saa.assoc);
	CU_ASSERT_EQUAL(uar(cx, ALICE, REG, &uaa), CX_FIRST_REGISTRATION);
	ASSERT_STR(uaa.scscf, "");
	CU_ASSERT_EQUAL(lir(cx, "sip:alice@ims.test", &lia),
			CX_UNREGISTERED_SERVICE);
	ASSERT_STR(lia.scscf, "");

	/* terminating call to unregistered bob: no IMPI in the SAR */
	CU_ASSERT_EQUAL(sar(cx, NULL, "sip:bob@ims.test", SCSCF,
			    CX_SAR_UNREGISTERED_USER, &saa), CX_SUCCESS);
	ASSERT_STR(saa.impi, "bob@ims.test");
	ASSERT_STR(saa.assoc, "sip:bob@ims.test");
	ASSERT_STR(ifc_profile_name(saa.profile), "plain");
	saa.profile = mem_deref(saa.profile);
	saa.assoc = mem_deref(saa.assoc);
	CU_ASSERT_EQUAL(lir(cx, "sip:bob@ims.test", &lia), CX_SUCCESS);
	ASSERT_STR(lia.scscf, SCSCF);
	CU_ASSERT_EQUAL(uar(cx, BOB, DEREG, &uaa), CX_SUCCESS);

	CU_ASSERT_EQUAL(sar(cx, "alice@ims.test", "sip:bob@ims.test", SCSCF,
			    CX_SAR_REGISTRATION, &saa),
			CX_ERROR_IDENTITIES_DONT_MATCH);
	CU_ASSERT_PTR_NULL(saa.profile);
	CU_ASSERT_EQUAL(sar(cx, EVE, SCSCF, CX_SAR_REGISTRATION, &saa),
			CX_ERROR_USER_UNKNOWN);

	/* a user without profile registers with none */
	CU_ASSERT_EQUAL(sar(cx, "nobody@ims.test", "sip:nobody@ims.test",
			    SCSCF, CX_SAR_RE_REGISTRATION, &saa), CX_SUCCESS);
	CU_ASSERT_PTR_NULL(saa.profile);
	saa.assoc = mem_deref(saa.assoc);

	CU_ASSERT_EQUAL(sar(cx, BOB, NULL, CX_SAR_REGISTRATION, &saa),
			-EINVAL);
}


static void test_lir(void)
{
	struct cx_lia lia;

	CU_ASSERT_EQUAL(lir(cx, "sip:user0500@ims.test", &lia),
			CX_UNREGISTERED_SERVICE);
	ASSERT_STR(lia.scscf, "");
	CU_ASSERT_EQUAL(lir(cx, "sip:eve@ims.test", &lia),
			CX_ERROR_USER_UNKNOWN);
	CU_ASSERT_EQUAL(lir(cx, "sip:carol@ims.test", &lia),
			CX_ERROR_USER_UNKNOWN);
	CU_ASSERT_EQUAL(lir(cx, NULL, &lia), -EINVAL);
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


static void test_bulk(void)
{
	static const char bulk[] =
		"profiles: {plain: {}}\n"
		"subscribers:\n"
		"  - impi: u%05d@ims.test\n"
		"    impu: [sip:u%05d@ims.test, 'tel:+1555%05d']\n"
		"    password: p%d\n"
		"    profile: plain\n"
		"    count: 10000\n";
	struct cx_uaa uaa;
	struct hss *hss;
	char err[256] = "";

	/* How fast this loads is a benchmark's business (make bench). */
	CU_ASSERT_EQUAL_FATAL(hss_from(&hss, "hss1", NULL, bulk, err,
				       sizeof(err)), 0);

	CU_ASSERT_EQUAL(hss_subscriber_count(hss), 10000);
	CU_ASSERT_TRUE(hss_has_impu(hss, "tel:+155509999"));
	CU_ASSERT_EQUAL(uar(hss, "u10000@ims.test", "tel:+155510000", REG,
			    &uaa), CX_FIRST_REGISTRATION);

	mem_deref(hss);
}


static void test_template(void)
{
	static const char text[] =
		"subscribers:\n"
		"  - {impi: 'q%d@ims.test', impu: 'sip:q%d@ims.test',\n"
		"     password: 'p%%%d', count: 2}\n"
		"  - {impi: 'z%03u@ims.test', impu: 'sip:z%03u@ims.test',\n"
		"     password: 'p%-d', count: 12}\n";
	struct cx_maa maa;
	struct hss *hss;
	char err[256] = "";

	CU_ASSERT_EQUAL_FATAL(hss_from(&hss, "hss1", NULL, text, err,
				       sizeof(err)), 0);
	CU_ASSERT_EQUAL(hss_subscriber_count(hss), 14);
	CU_ASSERT_TRUE(hss_has_impu(hss, "sip:q2@ims.test"));
	CU_ASSERT_TRUE(hss_has_impu(hss, "sip:z012@ims.test"));
	CU_ASSERT_FALSE(hss_has_impu(hss, "sip:z12@ims.test"));

	/* '%%' is a literal '%': the password of q1 is "p%1" */
	CU_ASSERT_EQUAL(mar(hss, "q1@ims.test", "sip:q1@ims.test", SIP_DIGEST,
			    NULL, &maa), CX_SUCCESS);
	ASSERT_STR(maa.ha1, "12ae39764e5035393abccc4d95b77482");

	mem_deref(hss);
}


/* A field without a conversion is the same for every user: one password
 * for all the users of a load test. */
static void test_template_literal(void)
{
	static const char text[] =
		"subscribers:\n"
		"  - {impi: 'w%d@ims.test', impu: 'sip:w%d@ims.test',\n"
		"     password: imsbench, count: 3}\n"
		"  - {impi: 'one@ims.test', impu: 'sip:one@ims.test',\n"
		"     password: solo, count: 1}\n";
	struct cx_maa maa;
	struct hss *hss;
	char err[256] = "";

	CU_ASSERT_EQUAL_FATAL(hss_from(&hss, "hss1", NULL, text, err,
				       sizeof(err)), 0);
	CU_ASSERT_EQUAL(hss_subscriber_count(hss), 4);

	/* HA1 = MD5("w2@ims.test:ims.test:imsbench") */
	CU_ASSERT_EQUAL(mar(hss, "w2@ims.test", "sip:w2@ims.test", SIP_DIGEST,
			    NULL, &maa), CX_SUCCESS);
	ASSERT_STR(maa.ha1, "d824ff6788923c095462ed31a2cc07a8");
	CU_ASSERT_TRUE(hss_has_impu(hss, "sip:one@ims.test"));

	mem_deref(hss);
}


struct load_err {
	const char *yaml;
	const char *err;
};

#define SUB "subscribers:\n  - impi: a@ims.test\n"

static const struct load_err errv[] = {
	{"subscribers:\n"
	 "  - impi: a@ims.test\n"
	 "    impu: sip:dup@ims.test\n"
	 "    password: x\n"
	 "  - impi: b@ims.test\n"
	 "    impu: [sip:b@ims.test, sip:dup@ims.test]\n"
	 "    password: x\n",
	 "t.yaml:6:28: subscribers[1].impu[1]: duplicate IMPU "
	 "'sip:dup@ims.test', first at t.yaml:3:11"},
	{"subscribers:\n"
	 "  - impi: u%d@ims.test\n"
	 "    impu: sip:u%d@ims.test\n"
	 "    password: x%d\n"
	 "    count: 3\n"
	 "  - impi: u2@ims.test\n"
	 "    impu: sip:other@ims.test\n"
	 "    password: x\n",
	 "t.yaml:6:11: subscribers[1].impi: duplicate IMPI 'u2@ims.test', "
	 "first at t.yaml:2:11 (n=2)"},
	{"subscribers:\n"
	 "  - impi: u%d@ims.test\n"
	 "    impu: [sip:u%d@ims.test, sip:u%d@ims.test]\n"
	 "    password: x%d\n"
	 "    count: 3\n",
	 "t.yaml:3:30: subscribers[0].impu[1]: duplicate IMPU "
	 "'sip:u1@ims.test' (n=1), first at t.yaml:3:12 (n=1)"},
	{"profiles: {plain: {}}\n"
	 SUB "    impu: sip:a@ims.test\n    password: x\n"
	 "    profile: nope\n",
	 "t.yaml:6:14: subscribers[0].profile: no profile 'nope' in "
	 "profiles"},
	{SUB "    impu: mailto:a@ims.test\n    password: x\n",
	 "t.yaml:3:11: subscribers[0].impu: 'mailto:a@ims.test' is not a "
	 "sip: or tel: URI"},
	{SUB "    impu: [sip:a@ims.test, 'sip:']\n    password: x\n",
	 "t.yaml:3:28: subscribers[0].impu[1]: 'sip:' is not a sip: or tel: "
	 "URI"},
	{SUB "    impu: sip:a%d@ims.test\n    password: x%d\n    count: 2\n",
	 "t.yaml:2:11: subscribers[0].impi: 'a@ims.test' would be the same "
	 "for all 2 subscribers of count: an identity needs one integer "
	 "conversion such as %d or %04d"},
	{"subscribers:\n  - impi: a%d@ims.test\n    impu: sip:a@ims.test\n"
	 "    password: x\n    count: 2\n",
	 "t.yaml:3:11: subscribers[0].impu: 'sip:a@ims.test' would be the "
	 "same for all 2 subscribers of count: an identity needs one "
	 "integer conversion such as %d or %04d"},
	{"subscribers:\n  - impi: a%d%d@ims.test\n    impu: sip:a%d@ims.test\n"
	 "    password: x%d\n    count: 2\n",
	 "t.yaml:2:11: subscribers[0].impi: 'a%d%d@ims.test' has more than "
	 "one integer conversion"},
	{"subscribers:\n  - impi: a%s@ims.test\n    impu: sip:a%d@ims.test\n"
	 "    password: x%d\n    count: 2\n",
	 "t.yaml:2:11: subscribers[0].impi: bad '%' in 'a%s@ims.test' (use "
	 "one of %d, %04d ... and %% for a %)"},
	{"subscribers:\n  - impi: a%d@ims.test\n    impu: sip:a%d@ims.test\n"
	 "    password: x%d\n    count: 0\n",
	 "t.yaml:5:12: subscribers[0].count must be 1 to 1000000"},
	{"subscribers:\n  - impu: sip:a@ims.test\n    password: x\n",
	 "t.yaml:2:5: subscribers[0]: missing 'impi'"},
	{SUB "    impu: []\n    password: x\n",
	 "t.yaml:3:11: subscribers[0].impu must list at least one URI"},
	{SUB "    impu: sip:a@ims.test\n    password: x\n    imsi: 1\n",
	 "t.yaml:5:5: unknown key 'imsi' in subscribers[0]"},
	{"subscribers: {}\n", "t.yaml:1:14: subscribers must be a list"},
	{"profiles: []\n",
	 "t.yaml:1:11: profiles must be a mapping of name to profile"},
	{"profiles:\n  a: {}\n  a: {}\n",
	 "t.yaml:3:3: profiles: duplicate profile 'a'"},
	{"profiles:\n  as1:\n    ifc:\n      - priority: 0\n"
	 "        as: sip:as1.ims.test\n"
	 "        trigger: {spt: [{request_uri: '*x'}]}\n",
	 "t.yaml:6:39: profiles.as1.ifc[0].trigger.spt[0].request_uri: bad "
	 "regex '*x': Invalid preceding regular expression"},
	{"- 1\n", "t.yaml:1:1: the topology must be a mapping"},
};


static void test_errors(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(errv); i++) {
		struct hss *hss;
		char err[512] = "";

		CU_ASSERT_EQUAL(hss_from(&hss, "hss1", NULL, errv[i].yaml, err,
					 sizeof(err)), EINVAL);
		CU_ASSERT_PTR_NULL(hss);
		if (strcmp(err, errv[i].err))
			fprintf(stderr, "\nerror case %zu:\n  got  %s\n"
				"  want %s\n", i, err, errv[i].err);
		ASSERT_STR(err, errv[i].err);
	}
}


/* The third subscriber is bad: nothing of the first two may remain, and a
 * loaded HSS keeps what it had. */
static const char bad_third[] =
	"profiles: {as1-services: {ifc: []}}\n"
	"subscribers:\n"
	"  - {impi: new1@ims.test, impu: sip:new1@ims.test, password: x}\n"
	"  - {impi: new2@ims.test, impu: sip:new2@ims.test, password: x,\n"
	"     profile: as1-services}\n"
	"  - {impi: new3@ims.test, impu: 'sip:new1@ims.test', password: x}\n";


static void test_rollback(void)
{
	struct cx_saa saa;
	struct yml *y = NULL;
	struct hss *hss = NULL;
	char err[256] = "";

	CU_ASSERT_EQUAL_FATAL(hss_alloc(&hss, "hss1", NULL, "ims.test", err,
					sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(yml_load_str(&y, "t.yaml", bad_third, err,
					   sizeof(err)), 0);
	CU_ASSERT_EQUAL(hss_load(hss, y, yml_root(y), err, sizeof(err)),
			EINVAL);
	ASSERT_STR(err, "t.yaml:6:33: subscribers[2].impu: "
		   "duplicate IMPU 'sip:new1@ims.test', first at "
		   "t.yaml:3:33");
	CU_ASSERT_EQUAL(hss_subscriber_count(hss), 0);
	CU_ASSERT_FALSE(hss_has_impu(hss, "sip:new1@ims.test"));
	mem_deref(hss);

	/* over a loaded HSS: the old users and profiles stay */
	CU_ASSERT_EQUAL_FATAL(hss_from(&hss, "hss1", NULL, topo, err,
				       sizeof(err)), 0);
	CU_ASSERT_EQUAL(hss_load(hss, y, yml_root(y), err, sizeof(err)),
			EINVAL);
	CU_ASSERT_EQUAL(hss_subscriber_count(hss), 1003);
	CU_ASSERT_FALSE(hss_has_impu(hss, "sip:new1@ims.test"));
	CU_ASSERT_EQUAL(sar(hss, ALICE, SCSCF, CX_SAR_REGISTRATION, &saa),
			CX_SUCCESS);
	CU_ASSERT_EQUAL(ifc_profile_count(saa.profile), 1);
	mem_deref(y);

	/* a good load replaces everything; the old profile lives on in the
	 * hands of whoever holds it */
	CU_ASSERT_EQUAL_FATAL(yml_load_str(&y, "t2.yaml", "subscribers:\n"
					   "  - {impi: n@ims.test, impu: "
					   "sip:n@ims.test, password: x}\n",
					   err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(hss_load(hss, y, yml_root(y), err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(hss_subscriber_count(hss), 1);
	CU_ASSERT_FALSE(hss_has_impu(hss, "sip:alice@ims.test"));
	ASSERT_STR(ifc_profile_name(saa.profile), "as1-services");

	mem_deref(saa.profile);
	mem_deref(saa.assoc);
	mem_deref(y);
	mem_deref(hss);
}


static void test_file_db(void)
{
	struct cx_saa saa;
	struct cx_lia lia;
	struct cx_maa maa;
	struct hss *hss;
	char path[64], err[256] = "";

	(void)re_snprintf(path, sizeof(path), "/tmp/imsbed-hss-%d.db",
			  (int)getpid());
	(void)unlink(path);

	CU_ASSERT_EQUAL_FATAL(hss_from(&hss, "hss1", path, topo, err,
				       sizeof(err)), 0);
	CU_ASSERT_EQUAL(sar(hss, ALICE, SCSCF, CX_SAR_REGISTRATION, &saa),
			CX_SUCCESS);
	mem_deref(saa.profile);
	mem_deref(saa.assoc);
	mem_deref(hss);

	/* reopened without a load: rows and registrations are there */
	CU_ASSERT_EQUAL_FATAL(hss_alloc(&hss, "hss1", path, "ims.test", err,
					sizeof(err)), 0);
	CU_ASSERT_EQUAL(hss_subscriber_count(hss), 1003);
	CU_ASSERT_TRUE(hss_has_impu(hss, "sip:user0500@ims.test"));
	CU_ASSERT_EQUAL(lir(hss, "tel:+16328300100", &lia), CX_SUCCESS);
	ASSERT_STR(lia.scscf, SCSCF);
	CU_ASSERT_EQUAL(mar(hss, ALICE, SIP_DIGEST, NULL, &maa), CX_SUCCESS);
	ASSERT_STR(maa.ha1, "303caad20d1a07dd0a9f409479078797");

	/* ... but profiles are compiled by a load only */
	CU_ASSERT_EQUAL(sar(hss, ALICE, SCSCF, CX_SAR_RE_REGISTRATION, &saa),
			CX_UNABLE_TO_COMPLY);
	CU_ASSERT_PTR_NULL(saa.profile);
	mem_deref(hss);

	CU_ASSERT_EQUAL(unlink(path), 0);

	CU_ASSERT_EQUAL(hss_alloc(&hss, "hss1", "/nonexistent/dir/x.db",
				  "ims.test", err, sizeof(err)), EIO);
	ASSERT_STR(err, "hss hss1: database "
		   "'/nonexistent/dir/x.db': unable to open "
		   "database file");
	CU_ASSERT_EQUAL(hss_alloc(&hss, NULL, NULL, "ims.test", err,
				  sizeof(err)), EINVAL);
}


int test_hss_suite(void)
{
	CU_pSuite s = CU_add_suite("hss", NULL, NULL);
	CU_pSuite c = CU_add_suite_with_setup_and_teardown("cx", NULL, NULL,
							   cx_setup,
							   cx_teardown);

	if (!s || !c ||
	    !CU_add_test(s, "load and HSS filter", test_load) ||
	    !CU_add_test(s, "10000 templated users", test_bulk) ||
	    !CU_add_test(s, "template forms", test_template) ||
	    !CU_add_test(s, "template field the same for all",
			 test_template_literal) ||
	    !CU_add_test(s, "load errors", test_errors) ||
	    !CU_add_test(s, "rollback", test_rollback) ||
	    !CU_add_test(s, "file database", test_file_db) ||
	    !CU_add_test(c, "UAR", test_uar) ||
	    !CU_add_test(c, "MAR", test_mar) ||
	    !CU_add_test(c, "SAR", test_sar) ||
	    !CU_add_test(c, "LIR", test_lir) ||
	    !CU_add_test(c, "result names", test_result_names))
		return CU_get_error();

	return 0;
}
