/* SPDX-License-Identifier: BSD-3-Clause */
/* S-CSCF selection (TS 29.228 6.1.1.1, TS 29.229 6.3.4): the I-CSCF's
 * pick from a table of cases, and the HSS's Server-Capabilities from the
 * topology into UAA and LIA, with the loader's errors. */

#include <stdio.h>
#include <string.h>
#include <re.h>
#include "yml.h"
#include "hss.h"
#include "cscf.h"
#include "tests.h"

/* scscf1 has 1; scscf2 1, 2, 3; scscf3 2, 3; scscf4 nothing */
static const struct cscf_scscf table[] = {
	{"scscf1", {1}, 1},
	{"scscf2", {1, 2, 3}, 3},
	{"scscf3", {2, 3}, 2},
	{"scscf4", {0}, 0},
};

static const struct {
	const char *mand;
	const char *opt;
	const char *servers;
	int err;
	size_t idx;
} cases[] = {
	/* nothing asked: the first of the table */
	{"", "", "", 0, 0},
	/* every one has 1 but scscf3 and scscf4: the first of those */
	{"1", "", "", 0, 0},
	/* the most optional ones win, whatever the order */
	{"1", "2,3", "", 0, 1},
	{"", "3", "", 0, 1},
	{"2", "", "", 0, 1},
	/* a tie of one optional each: the earlier in the table */
	{"3", "1", "", 0, 1},
	{"", "9", "", 0, 0},
	/* no S-CSCF has every mandatory one */
	{"1,9", "", "", ENOENT, 0},
	{"4", "1,2,3", "", ENOENT, 0},
	/* the HSS's candidates narrow the table, names in any case */
	{"", "", "scscf3", 0, 2},
	{"", "", "SCSCF4,scscf3", 0, 2},
	{"", "2", "scscf1,scscf4", 0, 0},
	{"2", "", "scscf1,scscf4", ENOENT, 0},
	{"", "", "nowhere", ENOENT, 0},
};


static void test_select(void)
{
	struct cx_caps caps;
	size_t i, idx;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int err;

		CU_ASSERT_EQUAL(cx_caps_decode(&caps, cases[i].mand,
					       cases[i].opt,
					       cases[i].servers), 0);

		idx = 99;
		err = icscf_select(&idx, &caps, table, ARRAY_SIZE(table));
		if (err != cases[i].err ||
		    (!err && idx != cases[i].idx))
			fprintf(stderr, "\nselect case %zu: %d %zu\n", i, err,
				idx);
		CU_ASSERT_EQUAL(err, cases[i].err);
		if (!cases[i].err)
			CU_ASSERT_EQUAL(idx, cases[i].idx);
	}

	/* no table, no S-CSCF; no capabilities, the first */
	CU_ASSERT_EQUAL(icscf_select(&idx, &caps, NULL, 0), ENOENT);
	CU_ASSERT_EQUAL(icscf_select(&idx, NULL, table, 2), 0);
	CU_ASSERT_EQUAL(idx, 0);
	CU_ASSERT_EQUAL(icscf_select(NULL, NULL, table, 2), EINVAL);
	CU_ASSERT_EQUAL(icscf_select(&idx, NULL, NULL, 2), EINVAL);
}


static void test_decode(void)
{
	struct cx_caps caps;

	CU_ASSERT_EQUAL(cx_caps_decode(&caps, "1,20,4294967295", "7",
				       "a,b"), 0);
	CU_ASSERT_EQUAL(caps.mandc, 3);
	CU_ASSERT_EQUAL(caps.mandv[2], 4294967295u);
	CU_ASSERT_EQUAL(caps.optc, 1);
	CU_ASSERT_EQUAL(caps.serverc, 2);
	ASSERT_STR(caps.serverv[1], "b");

	CU_ASSERT_EQUAL(cx_caps_decode(&caps, NULL, NULL, NULL), 0);
	CU_ASSERT_EQUAL(caps.mandc + caps.optc + caps.serverc, 0);

	CU_ASSERT_EQUAL(cx_caps_decode(&caps, "1,", "", ""), EINVAL);
	CU_ASSERT_EQUAL(cx_caps_decode(&caps, "x", "", ""), EINVAL);
	CU_ASSERT_EQUAL(cx_caps_decode(&caps, "", "4294967296", ""), EINVAL);
	CU_ASSERT_EQUAL(cx_caps_decode(&caps, "", "", ",a"), EINVAL);
	CU_ASSERT_EQUAL(cx_caps_decode(&caps, "1,2,3,4,5,6,7,8,9", "", ""),
			EOVERFLOW);
	CU_ASSERT_EQUAL(caps.mandc, 0);
	CU_ASSERT_EQUAL(cx_caps_decode(&caps, "", "", "a,b,c,d,e"),
			EOVERFLOW);
	CU_ASSERT_EQUAL(cx_caps_decode(NULL, "", "", ""), EINVAL);
}


static const char topo[] =
	"subscribers:\n"
	"  - {impi: alice@ims.test, impu: [sip:alice@ims.test],\n"
	"     password: a, capabilities: {mandatory: [1], optional: [2, 3],"
	"\n       servers: [scscf2]}}\n"
	"  - {impi: bob@ims.test, impu: [sip:bob@ims.test], password: b}\n";


static void test_cx_caps(void)
{
	struct cx_uaa uaa;
	struct cx_saa saa;
	struct cx_lia lia;
	struct hss *hss;
	char err[256] = "";

	CU_ASSERT_EQUAL(hssfx_from(&hss, "hss1", NULL, topo, err,
				   sizeof(err)), 0);
	ASSERT_STR(err, "");
	if (!hss)
		return;

	/* first registration: the capabilities, no Server-Name */
	CU_ASSERT_EQUAL(hssfx_uar(hss, ALICE, REG, &uaa),
			CX_FIRST_REGISTRATION);
	ASSERT_STR(uaa.scscf, "");
	CU_ASSERT_EQUAL(uaa.caps.mandc, 1);
	CU_ASSERT_EQUAL(uaa.caps.mandv[0], 1);
	CU_ASSERT_EQUAL(uaa.caps.optc, 2);
	CU_ASSERT_EQUAL(uaa.caps.optv[1], 3);
	CU_ASSERT_EQUAL(uaa.caps.serverc, 1);
	ASSERT_STR(uaa.caps.serverv[0], "scscf2");

	/* an unregistered user's LIA leaves the choice, with them */
	CU_ASSERT_EQUAL(hssfx_lir(hss, "sip:alice@ims.test", &lia),
			CX_UNREGISTERED_SERVICE);
	CU_ASSERT_EQUAL(lia.caps.optc, 2);

	/* a user without capabilities: an empty set, any S-CSCF */
	CU_ASSERT_EQUAL(hssfx_uar(hss, BOB, REG, &uaa),
			CX_FIRST_REGISTRATION);
	CU_ASSERT_EQUAL(uaa.caps.mandc + uaa.caps.optc + uaa.caps.serverc,
			0);

	/* once the S-CSCF has registered her, the UAA names it alone */
	CU_ASSERT_EQUAL(hssfx_sar(hss, ALICE, "sip:scscf2.ims.test",
				  CX_SAR_REGISTRATION, &saa), CX_SUCCESS);
	mem_deref(saa.profile);
	mem_deref(saa.assoc);
	CU_ASSERT_EQUAL(hssfx_uar(hss, ALICE, REG, &uaa),
			CX_SUBSEQUENT_REGISTRATION);
	ASSERT_STR(uaa.scscf, "sip:scscf2.ims.test");
	CU_ASSERT_EQUAL(uaa.caps.mandc + uaa.caps.optc, 0);
	CU_ASSERT_EQUAL(hssfx_lir(hss, "sip:alice@ims.test", &lia),
			CX_SUCCESS);
	ASSERT_STR(lia.scscf, "sip:scscf2.ims.test");

	/* asked to choose again, the capabilities once more */
	CU_ASSERT_EQUAL(hssfx_uar(hss, ALICE,
				  CX_UAR_REGISTRATION_AND_CAPABILITIES, &uaa),
			CX_SUCCESS);
	ASSERT_STR(uaa.scscf, "");
	CU_ASSERT_EQUAL(uaa.caps.mandc, 1);

	mem_deref(hss);
}


#define SUB "subscribers:\n  - {impi: a@ims.test, impu: [sip:a@ims.test]," \
	" password: x,\n     capabilities: "

static const struct {
	const char *yaml;
	const char *err;
} errv[] = {
	{SUB "[1]}\n", "t.yaml:3:20: subscribers[0].capabilities is "
	 "{mandatory, optional, servers}"},
	{SUB "{mandatory: [1], must: [2]}}\n",
	 "t.yaml:3:37: unknown key 'must' in subscribers[0].capabilities"},
	{SUB "{mandatory: 1}}\n", "t.yaml:3:32: subscribers[0]."
	 "capabilities.mandatory must be a list of whole numbers"},
	{SUB "{mandatory: [1, -2]}}\n", "t.yaml:3:36: subscribers[0]."
	 "capabilities.mandatory[1] must be a whole number, not '-2'"},
	{SUB "{optional: [3, 3]}}\n", "t.yaml:3:35: subscribers[0]."
	 "capabilities.optional: 3 twice"},
	{SUB "{mandatory: [1, 2], optional: [3, 2]}}\n",
	 "t.yaml:3:54: subscribers[0].capabilities.optional: 2 is mandatory"
	 " already"},
	{SUB "{optional: [1, 2, 3, 4, 5, 6, 7, 8, 9]}}\n",
	 "t.yaml:3:31: subscribers[0].capabilities.optional: at most 8"},
	{SUB "{servers: scscf1}}\n", "t.yaml:3:30: subscribers[0]."
	 "capabilities.servers must be a list of at most 4 S-CSCF node "
	 "names"},
	{SUB "{servers: [scscf1, '']}}\n", "t.yaml:3:39: subscribers[0]."
	 "capabilities.servers[1] must be an S-CSCF node's name"},
	{SUB "{servers: ['a,b']}}\n", "t.yaml:3:31: subscribers[0]."
	 "capabilities.servers[0] must be an S-CSCF node's name"},
};


static void test_errors(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(errv); i++) {
		struct hss *hss;
		char err[512] = "";

		CU_ASSERT_EQUAL(hssfx_from(&hss, "hss1", NULL, errv[i].yaml,
					   err, sizeof(err)), EINVAL);
		CU_ASSERT_PTR_NULL(hss);
		if (strcmp(err, errv[i].err))
			fprintf(stderr, "\ncaps error case %zu:\n  got  %s\n"
				"  want %s\n", i, err, errv[i].err);
		ASSERT_STR(err, errv[i].err);
	}
}


static const CU_TestInfo tests[] = {
	{"I-CSCF selection", test_select},
	{"capability lists", test_decode},
	{"UAA and LIA capabilities", test_cx_caps},
	{"capability errors", test_errors},
	CU_TEST_INFO_NULL,
};


int test_select_suite(void)
{
	return test_suite_add("select", NULL, NULL, tests);
}
