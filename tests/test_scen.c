/* SPDX-License-Identifier: BSD-3-Clause */
/* The expected-ladder matcher: order where arrows share a node, freedom
 * where they do not, strict windows, header checks and captures. */

#include <string.h>
#include <re.h>
#include "yml.h"
#include "host.h"
#include "sipkit.h"
#include "report.h"
#include "scen.h"
#include "../emul/scen/engine.h"
#include "tests.h"

static const char req_fmt[] =
	"%s sip:x@ims.test SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK%zu\r\n"
	"From: <sip:a@ims.test>;tag=1\r\nTo: <sip:x@ims.test>\r\n"
	"Call-ID: c%zu\r\nCSeq: 1 %s\r\n"
	"WWW-Authenticate: Digest nonce=\"n%zu\"\r\n"
	"Content-Length: 0\r\n\r\n";


static void add_call(struct engine *e, const char *src, const char *dst,
		     const char *met, size_t cid)
{
	struct lrec *r = mem_zalloc(sizeof(*r), NULL);
	struct mbuf *mb = mbuf_alloc(512);
	size_t idx = list_count(&e->recs) + 1;

	(void)mbuf_printf(mb, req_fmt, met, idx, cid ? cid : idx, met, idx);
	mb->pos = 0;
	CU_ASSERT_EQUAL_FATAL(sip_msg_decode(&r->msg, mb), 0);
	mem_deref(mb);
	r->idx = idx;
	str_ncpy(r->src, src, sizeof(r->src));
	str_ncpy(r->dst, dst, sizeof(r->dst));
	(void)re_snprintf(r->line, sizeof(r->line), "%s -> %s %s", src, dst,
			  met);
	list_append(&e->recs, &r->le, r);
	if (!e->window)
		e->window = &r->le;
}


static void add(struct engine *e, const char *src, const char *dst,
		const char *met)
{
	add_call(e, src, dst, met, 0);
}


static void destroy(struct engine *e)
{
	struct le *le;

	while ((le = e->recs.head) != NULL) {
		struct lrec *r = le->data;

		list_unlink(le);
		mem_deref(r->msg);
		mem_deref(r);
	}
	list_flush(&e->caps);
	e->window = NULL;
	e->y = mem_deref(e->y);
}


static int check(struct engine *e, const char *yaml, bool strict,
		 char *fail, size_t sz)
{
	char err[256];

	e->y = mem_deref(e->y);
	CU_ASSERT_EQUAL_FATAL(yml_load_str(&e->y, "x.yaml", yaml, err,
					   sizeof(err)), 0);
	fail[0] = '\0';

	return expect_check(e, yml_root(e->y), strict, fail, sz);
}


/* #1 a->b REGISTER and #3 a->b NOTIFY in call 7, #2 c->d OPTIONS, #4
 * a->b INFO in call 8: the window both order tests read. */
static void four_calls(struct engine *e)
{
	memset(e, 0, sizeof(*e));
	add_call(e, "a", "b", "REGISTER", 7);
	add(e, "c", "d", "OPTIONS");
	add_call(e, "a", "b", "NOTIFY", 7);
	add_call(e, "a", "b", "INFO", 8);
}


static void test_order(void)
{
	struct engine e;
	char fail[512];

	four_calls(&e);

	/* c -> d has another sender: it may come anywhere. */
	CU_ASSERT_EQUAL(check(&e, "- {from: a, to: b, method: REGISTER}\n"
			      "- {from: a, to: b, method: NOTIFY}\n"
			      "- {from: c, to: d, method: OPTIONS}\n"
			      "- {from: a, to: b, method: INFO}\n", true,
			      fail, sizeof(fail)), 0);

	/* One sender's messages of one call keep their order... */
	CU_ASSERT_EQUAL(check(&e, "- {from: a, to: b, method: NOTIFY}\n"
			      "- {from: a, to: b, method: REGISTER}\n"
			      "- {from: c, to: d, method: OPTIONS}\n", false,
			      fail, sizeof(fail)), EPROTO);
	CU_ASSERT_STRING_EQUAL(fail, "arrow 2 (a -> b REGISTER) came before"
			       " arrow 1 (a -> b NOTIFY)");

	/* ... while another call of the same sender may come first. */
	CU_ASSERT_EQUAL(check(&e, "- {from: a, to: b, method: INFO}\n"
			      "- {from: a, to: b, method: REGISTER}\n"
			      "- {from: a, to: b, method: NOTIFY}\n"
			      "- {from: c, to: d, method: OPTIONS}\n", true,
			      fail, sizeof(fail)), 0);

	/* Strict: an unlisted message fails; not strict: it passes. */
	CU_ASSERT_EQUAL(check(&e, "- {from: a, to: b, method: REGISTER}\n",
			      true, fail, sizeof(fail)), EPROTO);
	CU_ASSERT_STRING_EQUAL(fail, "unexpected message #2 c -> d OPTIONS");
	CU_ASSERT_EQUAL(check(&e, "- {from: a, to: b, method: REGISTER}\n",
			      false, fail, sizeof(fail)), 0);

	/* A missing arrow says no such message was sent, and names the
	 * nearest: here those to the same receiver. */
	CU_ASSERT_EQUAL(check(&e, "- {from: a, to: b, method: INVITE}\n",
			      false, fail, sizeof(fail)), EPROTO);
	CU_ASSERT_STRING_EQUAL(fail, "arrow 1: expected a -> b INVITE: no "
			       "such message was sent; nearest: #1 a -> b "
			       "REGISTER, #3 a -> b NOTIFY, #4 a -> b INFO");

	/* The same sender with the same method comes first. */
	add(&e, "scscf", "as3", "REGISTER");
	CU_ASSERT_EQUAL(check(&e, "- {from: scscf, to: as2, method: "
			      "REGISTER}\n", false, fail, sizeof(fail)),
			EPROTO);
	CU_ASSERT_STRING_EQUAL(fail, "arrow 1: expected scscf -> as2 "
			       "REGISTER: no such message was sent; nearest:"
			       " #5 scscf -> as3 REGISTER");

	CU_ASSERT_EQUAL(check(&e, "- {from: x, to: y, status: 200}\n", false,
			      fail, sizeof(fail)), EPROTO);
	CU_ASSERT_STRING_EQUAL(fail, "arrow 1: expected x -> y 200: no such "
			       "message was sent, and none of the step's 5 "
			       "messages is from x with it or to y");

	destroy(&e);
}


/* after: N orders arrows of different calls and senders. */
static void test_after(void)
{
	struct engine e;
	char fail[512];

	four_calls(&e);

	CU_ASSERT_EQUAL(check(&e, "- {from: c, to: d, method: OPTIONS}\n"
			      "- {from: a, to: b, method: INFO, after: 1}\n",
			      false, fail, sizeof(fail)), 0);
	CU_ASSERT_EQUAL(check(&e, "- {from: a, to: b, method: REGISTER}\n"
			      "- {from: a, to: b, method: NOTIFY}\n"
			      "- {from: a, to: b, method: INFO,"
			      " after: [1, 2]}\n",
			      false, fail, sizeof(fail)), 0);

	/* Without 'after' OPTIONS may come first; with it, it may not. */
	CU_ASSERT_EQUAL(check(&e, "- {from: a, to: b, method: NOTIFY}\n"
			      "- {from: c, to: d, method: OPTIONS}\n",
			      false, fail, sizeof(fail)), 0);
	CU_ASSERT_EQUAL(check(&e, "- {from: a, to: b, method: NOTIFY}\n"
			      "- {from: c, to: d, method: OPTIONS,"
			      " after: 1}\n", false, fail, sizeof(fail)),
			EPROTO);
	CU_ASSERT_STRING_EQUAL(fail, "arrow 2 (c -> d OPTIONS): message #2 "
			       "came before #3 of arrow 1 (a -> b NOTIFY), "
			       "which it must follow (after: 1)");

	/* The latest of several names the bound. */
	CU_ASSERT_EQUAL(check(&e, "- {from: a, to: b, method: INFO}\n"
			      "- {from: a, to: b, method: REGISTER}\n"
			      "- {from: c, to: d, method: OPTIONS,"
			      " after: [2, 1]}\n", false, fail,
			      sizeof(fail)), EPROTO);
	CU_ASSERT_STRING_EQUAL(fail, "arrow 3 (c -> d OPTIONS): message #2 "
			       "came before #4 of arrow 1 (a -> b INFO), "
			       "which it must follow (after: 1)");

	destroy(&e);
}


static void test_headers(void)
{
	struct engine e;
	char fail[512];

	memset(&e, 0, sizeof(e));
	add(&e, "a", "b", "REGISTER");
	add(&e, "b", "a", "NOTIFY");

	CU_ASSERT_EQUAL(check(&e, "- {from: a, to: b, method: REGISTER,\n"
			      "   headers: {WWW-Authenticate: {regex:"
			      " 'nonce=\"(n[0-9])\"', capture: n}}}\n"
			      "- {from: b, to: a, method: NOTIFY,\n"
			      "   headers: {Call-ID: c2,"
			      " To: {contains: x@}}}\n",
			      true, fail, sizeof(fail)), 0);
	CU_ASSERT_STRING_EQUAL(engine_capture(&e, "n"), "n1");

	/* A capture is usable in later checks. */
	CU_ASSERT_EQUAL(check(&e, "- {from: a, to: b, method: REGISTER,\n"
			      "   headers: {WWW-Authenticate: {contains:"
			      " '\"${n}\"'}}}\n", false, fail,
			      sizeof(fail)), 0);

	CU_ASSERT_EQUAL(check(&e, "- {from: b, to: a, method: NOTIFY,\n"
			      "   headers: {Call-ID: c1}}\n", false, fail,
			      sizeof(fail)), EPROTO);
	CU_ASSERT_STRING_EQUAL(fail, "arrow 1 (b -> a NOTIFY): message #2"
			       " header Call-ID: expected 'c1', got 'c2'");

	CU_ASSERT_EQUAL(check(&e, "- {from: b, to: a, method: NOTIFY,\n"
			      "   headers: {Event: {absent: true}}}\n", false,
			      fail, sizeof(fail)), 0);
	CU_ASSERT_EQUAL(check(&e, "- {from: b, to: a, method: NOTIFY,\n"
			      "   headers: {Event: {contains: x}}}\n", false,
			      fail, sizeof(fail)), EPROTO);
	CU_ASSERT_STRING_EQUAL(fail, "arrow 1 (b -> a NOTIFY): message #2"
			       " header Event: missing");

	destroy(&e);
}


int test_scen_suite(void)
{
	CU_pSuite s = CU_add_suite("expect", NULL, NULL);

	if (!s)
		return 1;

	return !CU_add_test(s, "order and strictness", test_order) ||
		!CU_add_test(s, "headers and captures", test_headers) ||
		!CU_add_test(s, "after: order across calls", test_after);
}
