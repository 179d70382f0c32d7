/* SPDX-License-Identifier: BSD-3-Clause */
/* Cx as Diameter: AVPs as a tree (grouped in grouped, repeated, raw
 * octets), the base protocol's CER/CEA, and the Cx requests and answers
 * the HSS's calls stand for, checked after a trip through the bytes:
 * which result goes as Experimental-Result, the AKA vectors' items,
 * Server-Capabilities, and a peer's request read back into a cx_ask. */

#include <string.h>
#include <re.h>
#include "diam.h"
#include "hss.h"
#include "tests.h"

static struct sa cscf_addr, hss_addr;
static const struct diam_node cscf = {"scscf.ims.test", "ims.test",
				      &cscf_addr};
static const struct diam_node hssn = {"hss.ims.test", "ims.test",
				      &hss_addr};


static int init(void)
{
	(void)sa_set_str(&cscf_addr, "127.0.1.3", 3868);
	(void)sa_set_str(&hss_addr, "127.0.2.1", 3868);
	return diam_init();
}


static int fini(void)
{
	diam_close();
	return 0;
}


/* d encoded and decoded again: what a peer would read */
static struct diam *wire(const struct diam *d)
{
	struct diam *r = NULL;
	struct mbuf *mb = NULL;
	char why[128] = "";

	CU_ASSERT_EQUAL_FATAL(diam_encode(d, &mb), 0);
	CU_ASSERT_EQUAL(diam_decode(&r, mbuf_buf(mb), mbuf_get_left(mb), why,
				    sizeof(why)), 0);
	if (why[0])
		CU_FAIL(why);
	mem_deref(mb);

	return r;
}


static void test_tree(void)
{
	static const uint8_t raw[] = {0, 1, 2, 0xff, 0};
	struct diam *d = NULL, *r;
	struct diam_avp *item = NULL, *dig = NULL;
	const struct diam_avp *a;
	const uint8_t *p;
	struct mbuf *mb = mbuf_alloc(64);
	char v[64];
	uint32_t u;
	size_t n;

	CU_ASSERT_EQUAL_FATAL(diam_request(&d, "Multimedia-Auth-Request"), 0);
	CU_ASSERT_EQUAL(diam_put_u32(d, NULL, "SIP-Number-Auth-Items", 2), 0);
	CU_ASSERT_EQUAL(diam_put_group(d, NULL, "SIP-Auth-Data-Item", &item),
			0);
	CU_ASSERT_EQUAL(diam_put_os(d, item, "SIP-Authenticate", raw,
				    sizeof(raw)), 0);
	CU_ASSERT_EQUAL(diam_put_group(d, item, "SIP-Digest-Authenticate",
				       &dig), 0);
	CU_ASSERT_EQUAL(diam_put_str(d, dig, "Digest-HA1", "abc"), 0);
	CU_ASSERT_EQUAL(diam_put_group(d, NULL, "SIP-Auth-Data-Item", &item),
			0);
	CU_ASSERT_EQUAL(diam_put_u32(d, item, "SIP-Item-Number", 2), 0);
	/* a name the dictionary lacks, a type that is not the AVP's */
	CU_ASSERT_EQUAL(diam_put_str(d, NULL, "No-Such-AVP", "x"), ENOENT);
	CU_ASSERT_EQUAL(diam_put_str(d, NULL, "SIP-Item-Number", "x"),
			EINVAL);
	CU_ASSERT(diam_avp_known("Digest-HA1"));
	CU_ASSERT(!diam_avp_known("No-Such-AVP"));

	r = wire(d);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(diam_find_u32(r, NULL, "SIP-Number-Auth-Items", &u),
			0);
	CU_ASSERT_EQUAL(u, 2);

	/* the first item holds raw bytes, NUL and all, and a group */
	a = diam_find(r, NULL, "SIP-Auth-Data-Item");
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_EQUAL(diam_avp_os(diam_find(r, a, "SIP-Authenticate"), &p,
				    &n), 0);
	CU_ASSERT_EQUAL(n, sizeof(raw));
	CU_ASSERT(!memcmp(p, raw, sizeof(raw)));
	CU_ASSERT_EQUAL(diam_find_str(r, diam_find(r, a,
						   "SIP-Digest-Authenticate"),
				      "Digest-HA1", v, sizeof(v)), 0);
	CU_ASSERT_STRING_EQUAL(v, "abc");
	CU_ASSERT_EQUAL(diam_find_str(r, a, "Digest-HA1", v, sizeof(v)),
			ENOENT);

	/* the second, found after the first */
	a = diam_find_next(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_EQUAL(diam_find_u32(r, a, "SIP-Item-Number", &u), 0);
	CU_ASSERT_EQUAL(u, 2);
	CU_ASSERT_PTR_NULL(diam_find_next(a));

	/* every value of a name, wherever it is */
	CU_ASSERT_EQUAL(diam_values(r, "Digest-HA1", mb), 0);
	CU_ASSERT_EQUAL(diam_values(r, "SIP-Item-Number", mb), 0);
	CU_ASSERT_EQUAL(mb->end, strlen("abc, 2"));
	CU_ASSERT(!memcmp(mb->buf, "abc, 2", mb->end));
	CU_ASSERT_EQUAL(diam_values(r, "Server-Name", mb), ENOENT);

	mem_deref(mb);
	mem_deref(r);
	mem_deref(d);
}


static void test_cer(void)
{
	struct diam *cer = NULL, *cea = NULL, *r, *ra;
	const struct diam_avp *a;
	const uint8_t *p;
	char v[64];
	uint32_t code;
	size_t n;
	bool x;

	CU_ASSERT_EQUAL_FATAL(diam_cer(&cer, &cscf), 0);
	r = wire(cer);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_STRING_EQUAL(diam_abbrev(r), "CER");
	CU_ASSERT_EQUAL(diam_command(r), 257);
	CU_ASSERT(diam_offers_cx(r));
	CU_ASSERT_EQUAL(diam_find_str(r, NULL, "Origin-Host", v, sizeof(v)),
			0);
	CU_ASSERT_STRING_EQUAL(v, "scscf.ims.test");
	/* RFC 6733 4.3.1: family 1 (IPv4), then the address */
	a = diam_find(r, NULL, "Host-IP-Address");
	CU_ASSERT_EQUAL_FATAL(diam_avp_os(a, &p, &n), 0);
	CU_ASSERT_EQUAL(n, 6);
	CU_ASSERT(!memcmp(p, "\x00\x01\x7f\x00\x01\x03", 6));

	CU_ASSERT_EQUAL_FATAL(diam_cea(&cea, r, &hssn, 2001), 0);
	ra = wire(cea);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ra);
	CU_ASSERT_STRING_EQUAL(diam_abbrev(ra), "CEA");
	CU_ASSERT_EQUAL(diam_result(ra, &code, &x), 0);
	CU_ASSERT_EQUAL(code, 2001);
	CU_ASSERT(!x);
	CU_ASSERT_STRING_EQUAL(diam_result_name(code, x), "DIAMETER_SUCCESS");

	mem_deref(ra);
	mem_deref(cea);
	mem_deref(r);
	mem_deref(cer);
}


static struct diam *request(const struct cx_ask *a)
{
	struct diam *d = NULL, *r;

	CU_ASSERT_EQUAL_FATAL(cxw_request(&d, &cscf, &hssn, "scscf;1;1", a),
			      0);
	r = wire(d);
	mem_deref(d);

	return r;
}


static void result_is(const struct diam *d, uint32_t code, bool exp)
{
	uint32_t c = 0;
	bool x = !exp;

	CU_ASSERT_EQUAL(diam_result(d, &c, &x), 0);
	CU_ASSERT_EQUAL(c, code);
	CU_ASSERT_EQUAL(x, exp);
}


/* TS 29.229 6.2: which code is 3GPP's and which the base protocol's */
static void test_results(void)
{
	struct cx_ask a = {.cmd = CX_CMD_UAR, .type = CX_UAR_REGISTRATION};
	struct cx_uaa uaa;
	struct diam *req, *ans = NULL, *r;
	char v[64];

	str_ncpy(a.impi, "alice@ims.test", sizeof(a.impi));
	str_ncpy(a.impu, "sip:alice@ims.test", sizeof(a.impu));
	str_ncpy(a.visited, "ims.test", sizeof(a.visited));
	req = request(&a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(req);

	memset(&uaa, 0, sizeof(uaa));
	uaa.result = CX_FIRST_REGISTRATION;
	uaa.caps.mandv[0] = 7;
	uaa.caps.mandc = 1;
	CU_ASSERT_EQUAL_FATAL(cxw_uaa(&ans, req, &hssn, &a, &uaa), 0);
	r = wire(ans);
	result_is(r, 2001, true);
	CU_ASSERT_EQUAL(diam_find_str(r, NULL, "Session-Id", v, sizeof(v)),
			0);
	CU_ASSERT_STRING_EQUAL(v, "scscf;1;1");
	CU_ASSERT_PTR_NOT_NULL(diam_find(r, diam_find(r, NULL,
						      "Server-Capabilities"),
					 "Mandatory-Capability"));
	ans = mem_deref(ans);
	r = mem_deref(r);

	/* barred everywhere: the base protocol's 5003 */
	uaa.result = CX_AUTHORIZATION_REJECTED;
	uaa.rejected = true;
	CU_ASSERT_EQUAL_FATAL(cxw_uaa(&ans, req, &hssn, &a, &uaa), 0);
	r = wire(ans);
	result_is(r, 5003, false);
	CU_ASSERT_PTR_NULL(diam_find(r, NULL, "Server-Capabilities"));
	ans = mem_deref(ans);
	r = mem_deref(r);

	/* not registered, for a de-registration: 3GPP's 5003 */
	uaa.rejected = false;
	CU_ASSERT_EQUAL_FATAL(cxw_uaa(&ans, req, &hssn, &a, &uaa), 0);
	r = wire(ans);
	result_is(r, 5003, true);
	CU_ASSERT_STRING_EQUAL(diam_result_name(5003, true),
			       "DIAMETER_ERROR_IDENTITY_NOT_REGISTERED");
	ans = mem_deref(ans);
	r = mem_deref(r);

	/* success of a de-registration is plain DIAMETER_SUCCESS */
	a.type = CX_UAR_DE_REGISTRATION;
	uaa.result = CX_SUCCESS;
	str_ncpy(uaa.scscf, "sip:scscf.ims.test", sizeof(uaa.scscf));
	CU_ASSERT_EQUAL_FATAL(cxw_uaa(&ans, req, &hssn, &a, &uaa), 0);
	r = wire(ans);
	result_is(r, 2001, false);
	CU_ASSERT_EQUAL(diam_find_str(r, NULL, "Server-Name", v, sizeof(v)),
			0);
	CU_ASSERT_STRING_EQUAL(v, "sip:scscf.ims.test");

	mem_deref(ans);
	mem_deref(r);
	mem_deref(req);
}


/* An AKA MAA: one numbered item per vector, RAND || AUTN and the keys */
static void test_maa(void)
{
	struct cx_ask a = {.cmd = CX_CMD_MAR, .nitems = 2}, back;
	struct diam *req, *ans = NULL, *r;
	const struct diam_avp *it;
	struct cx_maa maa;
	const uint8_t *p;
	char why[64];
	uint32_t u;
	size_t n;

	str_ncpy(a.impi, "alice@ims.test", sizeof(a.impi));
	str_ncpy(a.impu, "sip:alice@ims.test", sizeof(a.impu));
	str_ncpy(a.server, "sip:scscf.ims.test", sizeof(a.server));
	str_ncpy(a.scheme, "Digest-AKAv1-MD5", sizeof(a.scheme));
	memset(a.authz, 0xab, 30);
	a.authzlen = 30;
	req = request(&a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(req);

	/* the request reads back as it was asked */
	CU_ASSERT_EQUAL(cxw_request_read(req, &back, why, sizeof(why)), 0);
	CU_ASSERT_EQUAL(back.cmd, CX_CMD_MAR);
	CU_ASSERT_STRING_EQUAL(back.impi, a.impi);
	CU_ASSERT_STRING_EQUAL(back.scheme, a.scheme);
	CU_ASSERT_STRING_EQUAL(back.server, a.server);
	CU_ASSERT_EQUAL(back.nitems, 2);
	CU_ASSERT_EQUAL(back.authzlen, 30);
	CU_ASSERT(!memcmp(back.authz, a.authz, 30));

	memset(&maa, 0, sizeof(maa));
	maa.result = CX_SUCCESS;
	maa.scheme = CX_SCHEME_AKAV1;
	memset(maa.vec.rand, 1, sizeof(maa.vec.rand));
	memset(maa.vec.autn, 2, sizeof(maa.vec.autn));
	memset(maa.spare[0].rand, 3, sizeof(maa.spare[0].rand));
	maa.nspare = 1;
	CU_ASSERT_EQUAL_FATAL(cxw_maa(&ans, req, &hssn, &a, &maa), 0);
	r = wire(ans);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	result_is(r, 2001, false);
	CU_ASSERT_EQUAL(diam_find_u32(r, NULL, "SIP-Number-Auth-Items", &u),
			0);
	CU_ASSERT_EQUAL(u, 2);

	it = diam_find(r, NULL, "SIP-Auth-Data-Item");
	CU_ASSERT_EQUAL(diam_find_u32(r, it, "SIP-Item-Number", &u), 0);
	CU_ASSERT_EQUAL(u, 1);
	CU_ASSERT_EQUAL_FATAL(diam_avp_os(diam_find(r, it, "SIP-Authenticate"),
					  &p, &n), 0);
	CU_ASSERT_EQUAL(n, 32);
	CU_ASSERT(p[0] == 1 && p[15] == 1 && p[16] == 2 && p[31] == 2);
	CU_ASSERT_PTR_NOT_NULL(diam_find(r, it, "Integrity-Key"));
	it = diam_find_next(it);
	CU_ASSERT_EQUAL(diam_find_u32(r, it, "SIP-Item-Number", &u), 0);
	CU_ASSERT_EQUAL(u, 2);
	CU_ASSERT_EQUAL_FATAL(diam_avp_os(diam_find(r, it, "SIP-Authenticate"),
					  &p, &n), 0);
	CU_ASSERT_EQUAL(p[0], 3);

	mem_deref(ans);
	mem_deref(r);
	mem_deref(req);
}


/* The SAA's User-Data reads back as the IMSSubscription it is: the set
 * the SAR registered, a ServiceProfile per profile its identities use,
 * the default identity first, the barred one marked (TS 29.228 B.2) */
static void test_user_data(void)
{
	static const char topo[] =
		"profiles:\n"
		"  voice: {ifc: [{priority: 0, as: sip:as1.ims.test,\n"
		"    trigger: {spt: [{method: INVITE}]}}]}\n"
		"  plain: {}\n"
		"subscribers:\n"
		"  - impi: alice@ims.test\n"
		"    password: x\n"
		"    profile: voice\n"
		"    impu: [sip:alice@ims.test, {uri: 'tel:+16328300100',\n"
		"           profile: plain}, {uri: sip:hidden@ims.test,\n"
		"           barred: true}]\n";
	const struct hss_xml_sub *sub;
	struct hss_xml_doc *doc = NULL;
	struct hss *hss = NULL;
	struct mbuf *mb = NULL;
	struct cx_saa saa;
	char err[256] = "";

	CU_ASSERT_EQUAL_FATAL(hssfx_from(&hss, "hss", NULL, topo, err,
					 sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(hss_sar(hss, "alice@ims.test",
				      "sip:alice@ims.test",
				      "sip:scscf.ims.test",
				      CX_SAR_REGISTRATION, &saa), 0);
	CU_ASSERT_EQUAL_FATAL(cx_user_data(&mb, hss, "sip:alice@ims.test",
					   &saa), 0);

	CU_ASSERT_EQUAL_FATAL(hss_subscription_decode(&doc,
				(const char *)mbuf_buf(mb), mbuf_get_left(mb),
				"saa.xml", NULL, err, sizeof(err)), 0);
	sub = hss_xml_doc_sub(doc);
	CU_ASSERT_STRING_EQUAL(sub->impi, "alice@ims.test");
	CU_ASSERT_EQUAL_FATAL(sub->spc, 2);

	/* voice: the default identity and the barred one, with the iFC */
	CU_ASSERT_EQUAL_FATAL(sub->spv[0].impuc, 2);
	CU_ASSERT_STRING_EQUAL(sub->spv[0].impuv[0].uri, "sip:alice@ims.test");
	CU_ASSERT(!sub->spv[0].impuv[0].barred);
	CU_ASSERT_STRING_EQUAL(sub->spv[0].impuv[1].uri,
			       "sip:hidden@ims.test");
	CU_ASSERT(sub->spv[0].impuv[1].barred);
	CU_ASSERT_EQUAL(ifc_profile_count(sub->spv[0].profile), 1);

	/* plain: the tel URI, no iFC */
	CU_ASSERT_EQUAL_FATAL(sub->spv[1].impuc, 1);
	CU_ASSERT_STRING_EQUAL(sub->spv[1].impuv[0].uri, "tel:+16328300100");
	CU_ASSERT_EQUAL(ifc_profile_count(sub->spv[1].profile), 0);

	/* nothing downloaded, nothing to say */
	mem_deref(saa.profile);
	mem_deref(saa.assoc);
	saa.assoc = NULL;
	CU_ASSERT_EQUAL(cx_user_data(&mb, hss, "sip:alice@ims.test", &saa),
			ENOENT);

	mem_deref(doc);
	mem_deref(mb);
	mem_deref(hss);
}


static const CU_TestInfo tests[] = {
	{"AVPs as a tree: groups, repeats, raw octets", test_tree},
	{"CER and CEA: identity, address, Cx offered", test_cer},
	{"Cx results: 3GPP's or the base protocol's", test_results},
	{"MAR read back, MAA with two AKA vectors", test_maa},
	{"SAA User-Data: the set as an IMSSubscription", test_user_data},
	CU_TEST_INFO_NULL,
};


int test_cx_wire_suite(void)
{
	return test_suite_add("cx-wire", init, fini, tests);
}
