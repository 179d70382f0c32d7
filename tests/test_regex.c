/* SPDX-License-Identifier: BSD-3-Clause */
/* imsbed's re_regex against libre's own: the same answer and the same
 * pl's for the patterns libre's parser uses, for the corners of the
 * pattern language (escapes, ranges, quotes, counts, open classes), and
 * for a few hundred thousand random patterns over random input. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "tests.h"


static void test_values(void)
{
	struct pl a, b, c;

	regex_selfcheck(true);

	CU_ASSERT_EQUAL(re_regex("x;tag=ab12;lr", 13, ";tag=[^;]+", &a), 0);
	CU_ASSERT_EQUAL(pl_strcmp(&a, "ab12"), 0);

	/* Case-blind on both sides, the first match wins. */
	CU_ASSERT_EQUAL(re_regex("Via: SIP/2.0/UDP h", 18,
				 "sip/[0-9.]+/[a-z]+ [^ ]+", &a, &b, &c), 0);
	CU_ASSERT_EQUAL(pl_strcmp(&a, "2.0"), 0);
	CU_ASSERT_EQUAL(pl_strcmp(&b, "UDP"), 0);
	CU_ASSERT_EQUAL(pl_strcmp(&c, "h"), 0);

	/* [~...] passes a quoted string and strips its quotes. */
	CU_ASSERT_EQUAL(re_regex("n=\"a,b\\\"c\",x", 13, "n=[~,]+", &a), 0);
	CU_ASSERT_EQUAL(pl_strcmp(&a, "a,b\\\"c"), 0);

	/* A count, an escape, no match, an open class. */
	CU_ASSERT_EQUAL(re_regex("ab1234", 6, "[0-9]2", &a), 0);
	CU_ASSERT_EQUAL(pl_strcmp(&a, "12"), 0);
	CU_ASSERT_EQUAL(re_regex("a[b", 3, "\\[[a-z]1", &a), 0);
	CU_ASSERT_EQUAL(pl_strcmp(&a, "b"), 0);
	CU_ASSERT_EQUAL(re_regex("abc", 3, "[0-9]+", &a), ENOENT);
	CU_ASSERT_EQUAL(re_regex("abc", 3, "[a-z", &a), EINVAL);
	CU_ASSERT_EQUAL(re_regex("", 0, "", NULL), 0);
	CU_ASSERT_EQUAL(re_regex("", 0, "[a]*", &a), ENOENT);

	CU_ASSERT(regex_modelled(";tag=[^;]+"));
	CU_ASSERT(!regex_modelled("[a-z"));
	CU_ASSERT(!regex_modelled("[a]x"));
	CU_ASSERT_EQUAL(regex_mismatches(), 0);
	regex_selfcheck(false);
}


/* libre's decoders over messages with every header they parse. */
static void test_decoders(void)
{
	static const char *const msgv[] = {
		"INVITE sip:bob@[::1]:5070;transport=tcp;lr?x=y SIP/2.0\r\n"
		"Via: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bKx;rport;"
		"received=127.0.0.2\r\n"
		"v: SIP / 2.0 / UDP  h.example:5 ; branch = z9hG4bK.y\r\n"
		"From: \"A \\\"q\\\" b\" <sip:a@h;user=phone>;tag=1\r\n"
		"t: sip:b@h;tag=2\r\n"
		"Call-ID: c@h\r\nCSeq: 7 INVITE\r\nMax-Forwards: 70\r\n"
		"Contact: <sip:a@127.0.0.1:5060;ob>;expires=30;q=0.5\r\n"
		"Content-Type: application/sdp;charset=utf-8\r\n"
		"RAck: 1 7 INVITE\r\nRSeq: 4\r\nExpires: 30\r\n"
		"Content-Length: 0\r\n\r\n",
		"SIP/2.0 401 Unauthorized\r\n"
		"Via: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1\r\n"
		"From: <sips:u@d>;tag=a\r\nTo: <tel:+1234;phone-context=x>\r\n"
		"Call-ID: 1\r\nCSeq: 1 REGISTER\r\n"
		"WWW-Authenticate: Digest realm=\"d\", nonce=\"n\","
		" qop=auth\r\n"
		"Content-Length: 0\r\n\r\n",
		"REGISTER sip: SIP/2.0\r\nVia: x\r\n\r\n",
		"BYE sip:%41@h SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=\r\n"
		"From: <sip:a@h>\r\nTo: x\r\nCSeq: x\r\n\r\n",
	};
	size_t i;

	regex_selfcheck(true);
	for (i = 0; i < ARRAY_SIZE(msgv); i++) {
		struct mbuf *mb = mbuf_alloc(512);
		struct sip_msg *msg = NULL;

		if (!mb)
			break;
		(void)mbuf_write_str(mb, msgv[i]);
		mb->pos = 0;
		(void)sip_msg_decode(&msg, mb);
		mem_deref(msg);
		mem_deref(mb);
	}
	CU_ASSERT_EQUAL(regex_mismatches(), 0);
	regex_selfcheck(false);
}


static const char alphabet[] = "abAZ;=\"\\, []^~-+*19\r";


static char pick(uint64_t *r)
{
	*r = *r * 6364136223846793005ULL + 1442695040888963407ULL;
	return alphabet[(*r >> 33) % (sizeof(alphabet) - 1)];
}


/* Random text of the pattern language's own bytes, as pattern and as
 * input: most patterns are malformed, many match, all must agree. */
static void test_random(void)
{
	struct pl v[8];
	uint64_t r = 7;
	char expr[24], in[32];
	unsigned k, i;

	regex_selfcheck(true);
	for (k = 0; k < 400000 && !regex_mismatches(); k++) {
		size_t el = 1 + (k % 11), il = k % 29;

		for (i = 0; i < el; i++)
			expr[i] = pick(&r);
		expr[el] = '\0';
		for (i = 0; i < il; i++)
			in[i] = pick(&r);

		/* Eight pl's: a random pattern has fewer classes. */
		(void)re_regex(in, il, expr, &v[0], &v[1], &v[2], &v[3],
			       &v[4], &v[5], &v[6], &v[7]);
	}
	CU_ASSERT_EQUAL(regex_mismatches(), 0);
	regex_selfcheck(false);
}


int test_regex_suite(void)
{
	CU_pSuite su = CU_add_suite("regex", NULL, NULL);

	if (!su)
		return 1;

	return !CU_add_test(su, "answers and pl's", test_values) ||
		!CU_add_test(su, "libre's decoders", test_decoders) ||
		!CU_add_test(su, "random patterns against libre's",
			     test_random);
}
