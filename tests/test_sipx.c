/* SPDX-License-Identifier: BSD-3-Clause */
/* The SIP helpers every node shares: digest parameters, AORs, expiry,
 * header copies for forwarding. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "report.h"
#include "scen.h"
#include "tests.h"


static struct sip_msg *decode(const char *text)
{
	struct mbuf *mb = mbuf_alloc(strlen(text));
	struct sip_msg *msg = NULL;

	(void)mbuf_write_str(mb, text);
	mb->pos = 0;
	CU_ASSERT_EQUAL_FATAL(sip_msg_decode(&msg, mb), 0);
	mem_deref(mb);

	return msg;
}


static const char reg[] =
	"REGISTER sip:ims.test SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 127.0.1.7:5060;branch=z9hG4bK1, "
	"SIP/2.0/UDP 127.0.1.8:5060;branch=z9hG4bK2\r\n"
	"Route: <sip:pcscf.ims.test;lr>\r\n"
	"Route: <sip:other.ims.test;lr>\r\n"
	"From: <sip:user1@ims.test>;tag=1\r\n"
	"To: <sip:user1@ims.test>\r\n"
	"Call-ID: c1\r\n"
	"CSeq: 1 REGISTER\r\n"
	"Contact: <sip:ue1@127.0.1.7:5060>;expires=300\r\n"
	"Expires: 600\r\n"
	"Authorization: Digest username=\"user1@ims.test\", "
	"realm=\"ims.test\", nonce=\"ab,c\", uri=\"sip:ims.test\", "
	"response=\"\", qop=auth, nc=00000001\r\n"
	"Content-Length: 0\r\n\r\n";


static void test_auth_param(void)
{
	struct sip_msg *msg = decode(reg);
	const struct sip_hdr *h = sip_msg_hdr(msg, SIP_HDR_AUTHORIZATION);
	char buf[64];

	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_EQUAL(sipx_auth_param(&h->val, "username", buf,
					sizeof(buf)), 0);
	CU_ASSERT_STRING_EQUAL(buf, "user1@ims.test");
	/* A comma inside quotes is part of the value. */
	CU_ASSERT_EQUAL(sipx_auth_param(&h->val, "nonce", buf, sizeof(buf)),
			0);
	CU_ASSERT_STRING_EQUAL(buf, "ab,c");
	CU_ASSERT_EQUAL(sipx_auth_param(&h->val, "response", buf,
					sizeof(buf)), 0);
	CU_ASSERT_STRING_EQUAL(buf, "");
	CU_ASSERT_EQUAL(sipx_auth_param(&h->val, "qop", buf, sizeof(buf)),
			0);
	CU_ASSERT_STRING_EQUAL(buf, "auth");
	CU_ASSERT_EQUAL(sipx_auth_param(&h->val, "nc", buf, sizeof(buf)), 0);
	CU_ASSERT_STRING_EQUAL(buf, "00000001");
	CU_ASSERT_EQUAL(sipx_auth_param(&h->val, "cnonce", buf, sizeof(buf)),
			ENOENT);
	/* "uri" must not match inside another name. */
	CU_ASSERT_EQUAL(sipx_auth_param(&h->val, "ri", buf, sizeof(buf)),
			ENOENT);

	mem_deref(msg);
}


/* The P-CSCF's copy of an AKA challenge: ik and ck out, the rest as it
 * was, a comma inside a quoted value kept. */
static void test_auth_strip(void)
{
	static const char *const keys[] = {"ik", "ck", NULL};
	struct mbuf *mb = mbuf_alloc(128);
	struct pl v;

	CU_ASSERT_FATAL(mb != NULL);
	pl_set_str(&v, "Digest realm=\"a,b\", ik=\"00ff\", nonce=\"n=\","
		   " ck=\"11\", algorithm=AKAv1-MD5, ikx=1");
	CU_ASSERT_EQUAL(sipx_auth_strip(mb, &v, keys), 0);
	CU_ASSERT_EQUAL(mb->end, strlen("Digest realm=\"a,b\", nonce=\"n=\","
					" algorithm=AKAv1-MD5, ikx=1"));
	CU_ASSERT(!memcmp(mb->buf, "Digest realm=\"a,b\", nonce=\"n=\","
			  " algorithm=AKAv1-MD5, ikx=1", mb->end));
	mem_deref(mb);
}


static void test_aor(void)
{
	static const struct {
		const char *in;
		const char *out;
	} tv[] = {
		{"sip:user1@ims.test", "sip:user1@ims.test"},
		{"sip:user1@ims.test:5060;transport=udp",
		 "sip:user1@ims.test"},
		{"tel:+16328300100", "tel:+16328300100"},
		{"sip:ims.test", "sip:ims.test"},
	};
	char buf[128];
	struct pl pl;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tv); i++) {
		pl_set_str(&pl, tv[i].in);
		CU_ASSERT_EQUAL(sipx_uri_aor(buf, sizeof(buf), &pl), 0);
		CU_ASSERT_STRING_EQUAL(buf, tv[i].out);
	}

	pl_set_str(&pl, "not a uri");
	CU_ASSERT_NOT_EQUAL(sipx_uri_aor(buf, sizeof(buf), &pl), 0);
}


/* The HSS's bare lists ("sip:a, tel:b") and the name-addr ones. */
static void test_lists(void)
{
	struct pl rest, u;

	pl_set_str(&rest, "sip:a@ims.test, tel:+1632,sip:c@ims.test");
	CU_ASSERT(sipx_list_next(&rest, &u));
	CU_ASSERT_EQUAL(pl_strcmp(&u, "sip:a@ims.test"), 0);
	CU_ASSERT(sipx_list_next(&rest, &u));
	CU_ASSERT_EQUAL(pl_strcmp(&u, "tel:+1632"), 0);
	CU_ASSERT(sipx_list_next(&rest, &u));
	CU_ASSERT_EQUAL(pl_strcmp(&u, "sip:c@ims.test"), 0);
	CU_ASSERT(!sipx_list_next(&rest, &u));

	pl_set_str(&rest, "<sip:a@ims.test>, <tel:+1632>");
	CU_ASSERT(sipx_uri_next(&rest, &u));
	CU_ASSERT_EQUAL(pl_strcmp(&u, "sip:a@ims.test"), 0);
	CU_ASSERT(sipx_uri_next(&rest, &u));
	CU_ASSERT_EQUAL(pl_strcmp(&u, "tel:+1632"), 0);
	CU_ASSERT(!sipx_uri_next(&rest, &u));

	pl_set_str(&rest, "");
	CU_ASSERT(!sipx_list_next(&rest, &u));
}


static void test_expires(void)
{
	struct sip_msg *msg = decode(reg);
	struct sip_addr ct;
	const struct sip_hdr *h = sip_msg_hdr(msg, SIP_HDR_CONTACT);

	CU_ASSERT_EQUAL_FATAL(sip_addr_decode(&ct, &h->val), 0);
	/* RFC 3261 10.2.1.1: the Contact parameter wins. */
	CU_ASSERT_EQUAL(sipx_expires(msg, &ct.params, 9), 300);
	CU_ASSERT_EQUAL(sipx_expires(msg, NULL, 9), 600);
	CU_ASSERT_EQUAL(sipx_expires(NULL, NULL, 9), 9);

	mem_deref(msg);
}


static void test_print_hdrs(void)
{
	static const enum sip_hdrid skip[] = {SIP_HDR_AUTHORIZATION};
	struct sip_msg *msg = decode(reg);
	struct mbuf *mb = mbuf_alloc(512);
	char *s = NULL;

	CU_ASSERT_EQUAL(sipx_print_hdrs(mb, msg, skip, 1, true, true), 0);
	mb->pos = 0;
	CU_ASSERT_EQUAL(mbuf_strdup(mb, &s, mb->end), 0);

	/* The top Via and top Route go, the rest keeps its order. */
	CU_ASSERT_PTR_NULL(strstr(s, "z9hG4bK1"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "Via: SIP/2.0/UDP 127.0.1.8:5060"));
	CU_ASSERT_PTR_NULL(strstr(s, "pcscf.ims.test"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "Route: <sip:other.ims.test;lr>"));
	CU_ASSERT_PTR_NULL(strstr(s, "Authorization"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "Call-ID: c1\r\n"));

	mem_deref(s);
	mem_deref(mb);
	mem_deref(msg);
}


static void test_reason(void)
{
	CU_ASSERT_STRING_EQUAL(sipx_reason(401), "Unauthorized");
	CU_ASSERT_STRING_EQUAL(sipx_reason(489), "Bad Event");
	CU_ASSERT_STRING_EQUAL(sipx_reason(420), "Bad Extension");
}


static void test_netguard(void)
{
	struct sa sa;

	(void)sa_set_str(&sa, "127.0.1.1", 5060);
	CU_ASSERT_TRUE(netguard_allowed(&sa));
	(void)sa_set_str(&sa, "192.0.2.1", 5060);
	CU_ASSERT_FALSE(netguard_allowed(&sa));
	(void)sa_set_str(&sa, "::1", 5060);
	CU_ASSERT_TRUE(netguard_allowed(&sa));
	(void)sa_set_str(&sa, "2001:db8::1", 5060);
	CU_ASSERT_FALSE(netguard_allowed(&sa));
}


/* RFC 7044 as TS 24.604 4.5.2.6.2 uses it: a first diversion writes
 * the entry the call came for (with the Reason it left it) and the
 * diverted-to one (cause, index 1.1, mp); a second builds on those,
 * commas in quoted display names and URIs kept. */
static void test_histinfo(void)
{
	static const char first[] =
		"INVITE sip:bob@ims.test SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1\r\n"
		"From: <sip:alice@ims.test>;tag=1\r\n"
		"To: <sip:bob@ims.test>\r\n"
		"Call-ID: h1\r\nCSeq: 1 INVITE\r\n"
		"Content-Length: 0\r\n\r\n";
	static const char second[] =
		"INVITE sip:carol@ims.test;cause=486 SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1\r\n"
		"History-Info: \"Bob, B\" <sip:bob@ims.test?Reason=SIP%3Bcause"
		"%3D486>;index=1\r\n"
		"History-Info: <sip:carol@ims.test;cause=486>;index=1.1;"
		"mp=1\r\n"
		"From: <sip:alice@ims.test>;tag=1\r\n"
		"To: <sip:bob@ims.test>\r\n"
		"Call-ID: h1\r\nCSeq: 1 INVITE\r\n"
		"Content-Length: 0\r\n\r\n";
	struct sip_msg *msg = decode(first);
	char *line = NULL;
	uint32_t n = 9;

	CU_ASSERT_EQUAL(sipx_histinfo_divert(&line, &n, msg,
					     "sip:carol@ims.test", 486), 0);
	ASSERT_STR(line, "History-Info: <sip:bob@ims.test?Reason=SIP%3Bcause"
		   "%3D486%3Btext%3D%22Busy%20Here%22>;index=1, "
		   "<sip:carol@ims.test;cause=486>;index=1.1;mp=1\r\n");
	CU_ASSERT_EQUAL(n, 0);
	line = mem_deref(line);
	mem_deref(msg);

	msg = decode(second);
	CU_ASSERT_EQUAL(sipx_histinfo_divert(&line, &n, msg,
					     "tel:+15550100", 408), 0);
	ASSERT_STR(line, "History-Info: \"Bob, B\" <sip:bob@ims.test?Reason="
		   "SIP%3Bcause%3D486>;index=1, <sip:carol@ims.test;cause=486"
		   "?Reason=SIP%3Bcause%3D408%3Btext%3D%22Request%20Timeout"
		   "%22>;index=1.1;mp=1, <tel:+15550100;cause=408>;"
		   "index=1.1.1;mp=1.1\r\n");
	CU_ASSERT_EQUAL(n, 1);
	mem_deref(line);
	mem_deref(msg);
}


/* The id libre's decoder gives a header it has no name for. */
static void test_hdrid(void)
{
	struct sip_msg *msg = decode("OPTIONS sip:a@b SIP/2.0\r\n"
		     "Via: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1\r\n"
		     "P-Served-User: <sip:a@b>;sescase=term\r\n"
		     "From: <sip:c@b>;tag=1\r\nTo: <sip:a@b>\r\n"
		     "Call-ID: h2\r\nCSeq: 1 OPTIONS\r\n"
		     "Content-Length: 0\r\n\r\n");
	CU_ASSERT_PTR_NOT_NULL(sip_msg_hdr(msg, SIPX_HDR_P_SERVED_USER));
	mem_deref(msg);
}


int test_sipx_suite(void)
{
	CU_pSuite s = CU_add_suite("sipx", NULL, NULL);

	if (!s)
		return 1;

	return !CU_add_test(s, "digest parameters", test_auth_param) ||
		!CU_add_test(s, "challenge without ik and ck",
			     test_auth_strip) ||
		!CU_add_test(s, "address of record", test_aor) ||
		!CU_add_test(s, "URI lists", test_lists) ||
		!CU_add_test(s, "expiry", test_expires) ||
		!CU_add_test(s, "header copy", test_print_hdrs) ||
		!CU_add_test(s, "reason phrases", test_reason) ||
		!CU_add_test(s, "History-Info of a diversion",
			     test_histinfo) ||
		!CU_add_test(s, "P-Served-User's header id", test_hdrid) ||
		!CU_add_test(s, "loopback guard", test_netguard);
}
