/* SPDX-License-Identifier: BSD-3-Clause */
/* Digest vectors: RFC 2617 section 3.5 and HA1/no-qop values computed with
 * an independent MD5 (Python hashlib), so that a wrong join order fails. */

#include <string.h>
#include <re.h>
#include "digest.h"
#include "tests.h"

struct ha1_vec {
	const char *user, *realm, *password, *ha1;
};

struct resp_vec {
	const char *ha1, *nonce, *nc, *cnonce, *qop, *method, *uri, *resp;
};

static const struct ha1_vec ha1v[] = {
	/* RFC 2617 3.5 */
	{"Mufasa", "testrealm@host.com", "Circle Of Life",
	 "939e7578ed9e3c518a452acee763bce9"},
	/* an IMS user: the username is the IMPI */
	{"alice@ims.test", "ims.test", "secret",
	 "303caad20d1a07dd0a9f409479078797"},
	{"bob@ims.test", "ims.test", "bobpw",
	 "c3e6e57b3ae279ef244ce03ba4438f4b"},
	/* empty fields still join with ':' */
	{"", "", "", "4501c091b0366d76ea3218b6cfdd8097"},
};

static const struct resp_vec respv[] = {
	/* RFC 2617 3.5, qop=auth */
	{"939e7578ed9e3c518a452acee763bce9",
	 "dcd98b7102dd2f0e8b11d0f600bfb0c093", "00000001", "0a4f113b",
	 "auth", "GET", "/dir/index.html",
	 "6629fae49393a05397450978507c4ef1"},
	/* the same without qop (RFC 2069 form): nc and cnonce ignored */
	{"939e7578ed9e3c518a452acee763bce9",
	 "dcd98b7102dd2f0e8b11d0f600bfb0c093", NULL, NULL,
	 NULL, "GET", "/dir/index.html",
	 "670fd8c2df070c60b045671b8b24ff02"},
	{"939e7578ed9e3c518a452acee763bce9",
	 "dcd98b7102dd2f0e8b11d0f600bfb0c093", "00000001", "0a4f113b",
	 "", "GET", "/dir/index.html",
	 "670fd8c2df070c60b045671b8b24ff02"},
	/* a SIP REGISTER */
	{"c3e6e57b3ae279ef244ce03ba4438f4b", "abc123", "00000002",
	 "deadbeef", "auth", "REGISTER", "sip:ims.test",
	 "a6cacbc1ffaad90eba3d0f92680259d6"},
};


static void test_ha1(void)
{
	char ha1[DIGEST_HEX];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ha1v); i++) {
		const struct ha1_vec *v = &ha1v[i];

		memset(ha1, 'x', sizeof(ha1));
		CU_ASSERT_EQUAL(digest_ha1(ha1, v->user, v->realm,
					   v->password), 0);
		CU_ASSERT_STRING_EQUAL(ha1, v->ha1);
	}
}


static void test_response(void)
{
	char resp[DIGEST_HEX];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(respv); i++) {
		const struct resp_vec *v = &respv[i];

		memset(resp, 'x', sizeof(resp));
		CU_ASSERT_EQUAL(digest_response(resp, v->ha1, v->nonce, v->nc,
						v->cnonce, v->qop, v->method,
						v->uri), 0);
		CU_ASSERT_STRING_EQUAL(resp, v->resp);
	}
}


static void test_chain(void)
{
	char ha1[DIGEST_HEX], resp[DIGEST_HEX];

	/* what the UE computes from the password equals the RFC value */
	CU_ASSERT_EQUAL(digest_ha1(ha1, "Mufasa", "testrealm@host.com",
				   "Circle Of Life"), 0);
	CU_ASSERT_EQUAL(digest_response(resp, ha1,
					"dcd98b7102dd2f0e8b11d0f600bfb0c093",
					"00000001", "0a4f113b", "auth", "GET",
					"/dir/index.html"), 0);
	CU_ASSERT_STRING_EQUAL(resp, "6629fae49393a05397450978507c4ef1");
}


static void test_bad_args(void)
{
	char out[DIGEST_HEX];

	CU_ASSERT_EQUAL(digest_ha1(NULL, "u", "r", "p"), EINVAL);
	CU_ASSERT_EQUAL(digest_ha1(out, NULL, "r", "p"), EINVAL);
	CU_ASSERT_EQUAL(digest_ha1(out, "u", NULL, "p"), EINVAL);
	CU_ASSERT_EQUAL(digest_ha1(out, "u", "r", NULL), EINVAL);
	CU_ASSERT_EQUAL(digest_response(out, NULL, "n", "1", "c", "auth",
					"GET", "/"), EINVAL);
	CU_ASSERT_EQUAL(digest_response(out, "h", "n", "1", "c", "auth",
					NULL, "/"), EINVAL);
	/* qop=auth needs nc and cnonce */
	CU_ASSERT_EQUAL(digest_response(out, "h", "n", NULL, "c", "auth",
					"GET", "/"), EINVAL);
	CU_ASSERT_EQUAL(digest_response(out, "h", "n", "1", NULL, "auth",
					"GET", "/"), EINVAL);
}


int test_digest_suite(void)
{
	CU_pSuite s = CU_add_suite("digest", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "HA1 vectors", test_ha1) ||
	    !CU_add_test(s, "response vectors", test_response) ||
	    !CU_add_test(s, "HA1 then response", test_chain) ||
	    !CU_add_test(s, "bad arguments", test_bad_args))
		return CU_get_error();

	return 0;
}
