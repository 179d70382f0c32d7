/* SPDX-License-Identifier: BSD-3-Clause */
/* Diameter Cx messages through libfdproto: a UAR built by name reaches
 * the wire with RFC 6733's header and 3GPP's vendor AVPs, reads back
 * the same, and gets an answer with its identifiers and Session-Id;
 * grouped AVPs both ways; bad bytes and bad values refused. */

#include <string.h>
#include <re.h>
#include "diam.h"
#include "tests.h"


static int init(void)
{
	return diam_init();
}


static int fini(void)
{
	diam_close();
	return 0;
}


static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		(uint32_t)p[2] << 8 | p[3];
}


/* A UAR (TS 29.229 6.1.1) with every AVP but skip (NULL: all of them). */
static struct diam *uar_without(const char *skip)
{
	static const char *const avps[][2] = {
		{"Auth-Session-State", "1"},
		{"Origin-Host", "icscf.ims.test"},
		{"Origin-Realm", "ims.test"},
		{"Destination-Realm", "ims.test"},
		{"User-Name", "alice@ims.test"},
		{"Public-Identity", "sip:alice@ims.test"},
		{"Visited-Network-Identifier", "ims.test"},
		{"User-Authorization-Type", "0"},
	};
	struct diam *d = NULL;
	size_t i;

	CU_ASSERT_EQUAL_FATAL(diam_request(&d,
					   "User-Authorization-Request"), 0);
	CU_ASSERT_EQUAL(diam_add(d, "Session-Id", "icscf.ims.test;1;1"), 0);
	CU_ASSERT_EQUAL(diam_add_group(d, "Vendor-Specific-Application-Id",
				       "Vendor-Id", "10415",
				       "Auth-Application-Id", "16777216",
				       NULL), 0);
	for (i = 0; i < ARRAY_SIZE(avps); i++) {
		if (!skip || strcmp(skip, avps[i][0]))
			CU_ASSERT_EQUAL(diam_add(d, avps[i][0], avps[i][1]),
					0);
	}

	return d;
}


static struct diam *uar(void)
{
	return uar_without(NULL);
}


static void test_uar_wire(void)
{
	struct diam *d = uar(), *r = NULL;
	struct mbuf *mb = NULL;
	const uint8_t *p;
	char v[128];

	CU_ASSERT_EQUAL_FATAL(diam_encode(d, &mb), 0);
	p = mbuf_buf(mb);
	/* RFC 6733 3: version 1, the length, flags R and P, code 300,
	 * the Cx application */
	CU_ASSERT_EQUAL(p[0], 1);
	CU_ASSERT_EQUAL(be32(p) & 0xffffff, mbuf_get_left(mb));
	CU_ASSERT_EQUAL(p[4], 0xc0);
	CU_ASSERT_EQUAL(be32(p + 4) & 0xffffff, 300);
	CU_ASSERT_EQUAL(be32(p + 8), DIAM_APP_CX);
	/* the first AVP is Session-Id (263), IETF's, M set */
	CU_ASSERT_EQUAL(be32(p + 20), 263);
	CU_ASSERT_EQUAL(p[24], 0x40);

	CU_ASSERT_EQUAL_FATAL(diam_decode(&r, mbuf_buf(mb),
					  mbuf_get_left(mb), NULL, 0), 0);
	CU_ASSERT_EQUAL(diam_command(r), 300);
	CU_ASSERT(diam_is_request(r));
	ASSERT_STR(diam_name(r), "User-Authorization-Request");
	CU_ASSERT_EQUAL(diam_find_str(r, NULL, "Public-Identity", v,
				      sizeof(v)), 0);
	ASSERT_STR(v, "sip:alice@ims.test");
	CU_ASSERT_EQUAL(diam_find_str(r, NULL, "User-Authorization-Type", v,
				      sizeof(v)), 0);
	ASSERT_STR(v, "0");
	CU_ASSERT_EQUAL(diam_find_str(r, diam_find(r, NULL,
				"Vendor-Specific-Application-Id"),
				"Auth-Application-Id", v, sizeof(v)), 0);
	ASSERT_STR(v, "16777216");
	CU_ASSERT_EQUAL(diam_find_str(r, NULL, "Server-Name", v, sizeof(v)),
			ENOENT);

	mem_deref(r);
	mem_deref(mb);
	mem_deref(d);
}


/* RFC 6733 6.2, 8.8: the answer keeps the identifiers and Session-Id;
 * TS 29.229 6.2: a Cx result in Experimental-Result. */
static void test_answer(void)
{
	struct diam *d = uar(), *a = NULL, *r = NULL;
	struct mbuf *mq = NULL, *ma = NULL;
	char v[128];

	CU_ASSERT_EQUAL_FATAL(diam_encode(d, &mq), 0);
	CU_ASSERT_EQUAL_FATAL(diam_answer(&a, d), 0);
	CU_ASSERT_FALSE(diam_is_request(a));
	ASSERT_STR(diam_name(a), "User-Authorization-Answer");
	CU_ASSERT_EQUAL(diam_add_group(a, "Experimental-Result",
				       "Vendor-Id", "10415",
				       "Experimental-Result-Code", "2001",
				       NULL), 0);
	CU_ASSERT_EQUAL(diam_add(a, "Server-Name", "sip:scscf.ims.test"),
			0);
	CU_ASSERT_EQUAL_FATAL(diam_encode(a, &ma), 0);
	/* flags P only; Hop-by-Hop and End-to-End as the request's */
	CU_ASSERT_EQUAL(mbuf_buf(ma)[4], 0x40);
	CU_ASSERT_EQUAL(memcmp(mbuf_buf(ma) + 12, mbuf_buf(mq) + 12, 8), 0);

	CU_ASSERT_EQUAL_FATAL(diam_decode(&r, mbuf_buf(ma),
					  mbuf_get_left(ma), NULL, 0), 0);
	CU_ASSERT_EQUAL(diam_find_str(r, NULL, "Session-Id", v, sizeof(v)), 0);
	ASSERT_STR(v, "icscf.ims.test;1;1");
	CU_ASSERT_EQUAL(diam_find_str(r, diam_find(r, NULL,
				"Experimental-Result"),
				"Experimental-Result-Code", v, sizeof(v)), 0);
	ASSERT_STR(v, "2001");

	mem_deref(r);
	mem_deref(ma);
	mem_deref(mq);
	mem_deref(a);
	mem_deref(d);
}


/* TS 29.229 6.1.1: a UAR must carry Public-Identity; RFC 6733 7.1.5
 * answers one without it 5005, naming the AVP. */
static void test_rules(void)
{
	struct diam *d = uar(), *m = NULL;
	const char *avp = "x";
	char why[128] = "";
	uint32_t code = 0;

	CU_ASSERT_EQUAL(diam_check(d, &code, &avp, why, sizeof(why)), 0);
	mem_deref(d);

	m = uar_without("Public-Identity");
	CU_ASSERT_EQUAL(diam_check(m, &code, &avp, why, sizeof(why)),
			EPROTO);
	CU_ASSERT_EQUAL(code, 5005);
	ASSERT_STR(why, "DIAMETER_MISSING_AVP: Public-Identity");
	ASSERT_STR(avp, "Public-Identity");
	mem_deref(m);
}


static void test_bad(void)
{
	static const uint8_t junk[] = {1, 0, 0, 8, 0x80, 0, 1, 0x2c};
	/* a header that claims 100 bytes, in 20 */
	static const uint8_t cut[20] = {1, 0, 0, 100, 0x80, 0, 1, 0x2c};
	struct diam *d = NULL;
	char why[128] = "";

	CU_ASSERT_EQUAL(diam_request(&d, "User-Authorisation-Request"),
			ENOENT);
	CU_ASSERT_EQUAL(diam_decode(&d, junk, sizeof(junk), why,
				    sizeof(why)), EBADMSG);
	ASSERT_STR(why, "8 bytes: shorter than a Diameter header");
	CU_ASSERT_EQUAL(diam_decode(&d, cut, sizeof(cut), why, sizeof(why)),
			EBADMSG);
	ASSERT_STR(why, "not a Diameter message (20 bytes)");

	CU_ASSERT_EQUAL_FATAL(diam_request(&d, "Location-Info-Request"), 0);
	CU_ASSERT_EQUAL(diam_add(d, "User-Authorization-Type", "x"), EINVAL);
	CU_ASSERT_EQUAL(diam_add(d, "No-Such-AVP", "1"), ENOENT);
	CU_ASSERT_EQUAL(diam_command(d), 302);
	mem_deref(d);
}


static const CU_TestInfo tests[] = {
	{"UAR on the wire and back", test_uar_wire},
	{"answer: identifiers, Session-Id, Experimental-Result",
	 test_answer},
	{"required AVPs: 5005 names the missing one", test_rules},
	{"bad bytes, names and values", test_bad},
	CU_TEST_INFO_NULL,
};


int test_diam_suite(void)
{
	return test_suite_add("diameter", init, fini, tests);
}
