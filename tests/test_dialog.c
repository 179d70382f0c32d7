/* SPDX-License-Identifier: BSD-3-Clause */
/* The dialog layer (emul/sip/dialog.c) over loopback: one node holds the
 * dialog, two raw UDP agents stand for the proxy on its route and the
 * remote target.  What a dialog keeps (Call-ID, tags, remote target, the
 * route set in RFC 3261 12.1.1/12.1.2 order, the CSeq) is read off the
 * requests it sends; its refusals are asked for directly. */

#include <stdarg.h>
#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "tests.h"

/* What an agent saw of the last request it got. */
struct agent {
	struct udp_sock *us;
	struct sa addr;
	uint32_t nreq;
	char met[16];
	char ruri[96];
	char routes[256];       /* each Route value, joined by ", " */
	char ftag[40];
	char ttag[40];
	char furi[64];
	char turi[64];
	char callid[64];
	char contact[96];
	uint32_t cseq;
	char cseq_met[16];
};

static struct agent proxy, peer;
static struct node *node;
static uint32_t nresp;
static uint16_t last_scode;


static bool route_join(const struct sip_hdr *h, const struct sip_msg *msg,
		       void *arg)
{
	struct agent *a = arg;
	size_t n = strlen(a->routes);
	(void)msg;

	(void)re_snprintf(a->routes + n, sizeof(a->routes) - n, "%s%r",
			  n ? ", " : "", &h->val);

	return false;
}


static void agent_recv(const struct sa *src, struct mbuf *mb, void *arg)
{
	struct agent *a = arg;
	const struct sip_hdr *h;
	struct sip_msg *msg = NULL;

	if (sip_msg_decode(&msg, mb) || !msg->req)
		goto out;
	msg->src = *src;

	++a->nreq;
	a->routes[0] = a->contact[0] = '\0';
	(void)pl_strcpy(&msg->met, a->met, sizeof(a->met));
	(void)pl_strcpy(&msg->ruri, a->ruri, sizeof(a->ruri));
	(void)pl_strcpy(&msg->from.tag, a->ftag, sizeof(a->ftag));
	(void)pl_strcpy(&msg->to.tag, a->ttag, sizeof(a->ttag));
	(void)pl_strcpy(&msg->from.auri, a->furi, sizeof(a->furi));
	(void)pl_strcpy(&msg->to.auri, a->turi, sizeof(a->turi));
	(void)pl_strcpy(&msg->callid, a->callid, sizeof(a->callid));
	(void)pl_strcpy(&msg->cseq.met, a->cseq_met, sizeof(a->cseq_met));
	a->cseq = msg->cseq.num;
	(void)sip_msg_hdr_apply(msg, true, SIP_HDR_ROUTE, route_join, a);
	h = sip_msg_hdr(msg, SIP_HDR_CONTACT);
	if (h)
		(void)pl_strcpy(&h->val, a->contact, sizeof(a->contact));

	if (pl_strcmp(&msg->met, "ACK"))
		(void)test_sip_reply(a->us, msg, 200, "OK", "peer");

 out:
	mem_deref(msg);
}


static void resp_handler(int err, const struct sip_msg *msg, void *arg)
{
	(void)arg;

	++nresp;
	last_scode = err || !msg ? 0 : msg->scode;
}


/* A message as the dialog's node would have received it. */
static struct sip_msg *msg_make(const char *fmt, ...)
{
	struct sip_msg *msg = NULL;
	struct mbuf *mb = mbuf_alloc(1024);
	va_list ap;
	int err;

	if (!mb)
		return NULL;

	va_start(ap, fmt);
	err = mbuf_vprintf(mb, fmt, ap);
	va_end(ap);
	mb->pos = 0;
	if (err || sip_msg_decode(&msg, mb))
		msg = NULL;
	mem_deref(mb);

	return msg;
}


static int setup(void)
{
	struct sa a;
	int err;

	memset(&proxy, 0, sizeof(proxy));
	memset(&peer, 0, sizeof(peer));
	err = sa_set_str(&a, "127.0.13.1", 5060);
	err = err ? err : node_alloc(&node, "dlgue", ROLE_UE, &a, "ims.test",
				     0);
	err = err ? err : test_udp_open(&proxy.us, &proxy.addr, agent_recv,
					&proxy);
	err = err ? err : test_udp_open(&peer.us, &peer.addr, agent_recv,
					&peer);

	return err;
}


static int teardown(void)
{
	proxy.us = mem_deref(proxy.us);
	peer.us = mem_deref(peer.us);
	node = mem_deref(node);

	return 0;
}


/* Sends met in d and runs the loop until it is answered. */
static void send_in(struct dlg *d, const char *met)
{
	struct tsxh *req = NULL;

	nresp = 0;
	last_scode = 0;
	CU_ASSERT_EQUAL(dlg_request(&req, d, met, NULL, NULL, NULL,
				    resp_handler, NULL), 0);
	test_run_for(200);
	mem_deref(req);
}


static void agents_reset(void)
{
	proxy.nreq = peer.nreq = 0;
	proxy.met[0] = peer.met[0] = '\0';
}


static struct sip_msg *invite_make(const char *callid, bool rr,
				   const char *contact)
{
	char rrs[128] = "";

	if (rr)
		(void)re_snprintf(rrs, sizeof(rrs),
				  "Record-Route: <sip:p1@%J;lr>\r\n"
				  "Record-Route: <sip:p2.ims.test;lr>\r\n",
				  &proxy.addr);

	return msg_make("INVITE sip:dlgue@127.0.13.1 SIP/2.0\r\n"
			"Via: SIP/2.0/UDP %J;branch=z9hG4bK%s\r\n%s"
			"From: <sip:bob@ims.test>;tag=bobtag\r\n"
			"To: <sip:alice@ims.test>\r\n"
			"Call-ID: %s\r\nCSeq: 5 INVITE\r\n%s"
			"Content-Length: 0\r\n\r\n", &peer.addr, callid, rrs,
			callid, contact ? contact : "");
}


/* An INVITE that came through two proxies: the UAS keeps the route set
 * in Record-Route order and sends to its first entry. */
static void test_uas(void)
{
	struct sip_msg *inv;
	struct dlg *d = NULL;
	char ltag[24], want[128];

	agents_reset();
	(void)re_snprintf(want, sizeof(want), "Contact: <sip:bob@%J>\r\n",
			  &peer.addr);
	inv = invite_make("dlg-uas", true, want);
	CU_ASSERT_PTR_NOT_NULL_FATAL(inv);
	CU_ASSERT_EQUAL_FATAL(dlg_uas(&d, node, inv, "sip:alice@127.0.13.1"),
			      0);
	ASSERT_STR(dlg_callid(d), "dlg-uas");
	(void)re_snprintf(ltag, sizeof(ltag), "%016llx", inv->tag);

	send_in(d, "BYE");
	CU_ASSERT_EQUAL(proxy.nreq, 1);
	CU_ASSERT_EQUAL(peer.nreq, 0);
	CU_ASSERT_EQUAL(nresp, 1);
	CU_ASSERT_EQUAL(last_scode, 200);
	ASSERT_STR(proxy.met, "BYE");
	/* the remote target stays the Request-URI (loose routing) */
	(void)re_snprintf(want, sizeof(want), "sip:bob@%J", &peer.addr);
	ASSERT_STR(proxy.ruri, want);
	(void)re_snprintf(want, sizeof(want), "<sip:p1@%J;lr>, "
			  "<sip:p2.ims.test;lr>", &proxy.addr);
	ASSERT_STR(proxy.routes, want);
	/* our tag is the one libre's reply to the INVITE put in To */
	ASSERT_STR(proxy.ftag, ltag);
	ASSERT_STR(proxy.ttag, "bobtag");
	ASSERT_STR(proxy.furi, "sip:alice@ims.test");
	ASSERT_STR(proxy.turi, "sip:bob@ims.test");
	ASSERT_STR(proxy.callid, "dlg-uas");
	ASSERT_STR(proxy.contact, "<sip:alice@127.0.13.1>");
	/* our CSeq space is our own, whatever theirs is */
	CU_ASSERT_EQUAL(proxy.cseq, 1);
	ASSERT_STR(proxy.cseq_met, "BYE");

	send_in(d, "INFO");
	CU_ASSERT_EQUAL(proxy.cseq, 2);
	CU_ASSERT_EQUAL(last_scode, 200);

	/* RFC 3261 13.2.2.4: an ACK keeps the number, nobody answers it */
	send_in(d, "ACK");
	CU_ASSERT_EQUAL(proxy.nreq, 3);
	ASSERT_STR(proxy.cseq_met, "ACK");
	CU_ASSERT_EQUAL(proxy.cseq, 2);
	CU_ASSERT_EQUAL(nresp, 0);

	mem_deref(d);
	mem_deref(inv);
}


/* The 2xx of our INVITE: the UAC reverses the Record-Route it carries,
 * and its CSeq goes on from the INVITE's. */
static void test_uac_response(void)
{
	struct sip_msg *ok, *resp;
	struct dlg *d = NULL;
	char want[128];

	agents_reset();
	ok = msg_make("SIP/2.0 200 OK\r\n"
		      "Via: SIP/2.0/UDP 127.0.13.1;branch=z9hG4bKc1\r\n"
		      "Record-Route: <sip:p2.ims.test;lr>\r\n"
		      "Record-Route: <sip:p1@%J;lr>\r\n"
		      "From: <sip:alice@ims.test>;tag=alicetag\r\n"
		      "To: <sip:bob@ims.test>;tag=bobtag\r\n"
		      "Call-ID: dlg-uac\r\nCSeq: 7 INVITE\r\n"
		      "Contact: <sip:bob@%J>\r\n"
		      "Content-Length: 0\r\n\r\n", &proxy.addr, &peer.addr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ok);
	CU_ASSERT_EQUAL_FATAL(dlg_uac(&d, node, ok, false, 7,
				      "sip:alice@127.0.13.1"), 0);

	send_in(d, "ACK");
	CU_ASSERT_EQUAL(proxy.nreq, 1);
	CU_ASSERT_EQUAL(proxy.cseq, 7);
	ASSERT_STR(proxy.cseq_met, "ACK");
	(void)re_snprintf(want, sizeof(want), "<sip:p1@%J;lr>, "
			  "<sip:p2.ims.test;lr>", &proxy.addr);
	ASSERT_STR(proxy.routes, want);
	(void)re_snprintf(want, sizeof(want), "sip:bob@%J", &peer.addr);
	ASSERT_STR(proxy.ruri, want);
	ASSERT_STR(proxy.ftag, "alicetag");
	ASSERT_STR(proxy.ttag, "bobtag");
	ASSERT_STR(proxy.furi, "sip:alice@ims.test");
	ASSERT_STR(proxy.turi, "sip:bob@ims.test");

	send_in(d, "BYE");
	CU_ASSERT_EQUAL(proxy.nreq, 2);
	CU_ASSERT_EQUAL(proxy.cseq, 8);
	CU_ASSERT_EQUAL(last_scode, 200);
	CU_ASSERT_EQUAL(peer.nreq, 0);

	/* a response is ours when its From tag is */
	CU_ASSERT(dlg_match(d, ok));
	resp = msg_make("SIP/2.0 200 OK\r\n"
			"Via: SIP/2.0/UDP 127.0.13.1;branch=z9hG4bKc2\r\n"
			"From: <sip:alice@ims.test>;tag=other\r\n"
			"To: <sip:bob@ims.test>;tag=bobtag\r\n"
			"Call-ID: dlg-uac\r\nCSeq: 8 BYE\r\n"
			"Content-Length: 0\r\n\r\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(resp);
	CU_ASSERT(!dlg_match(d, resp));

	mem_deref(resp);
	mem_deref(d);
	mem_deref(ok);
}


static struct sip_msg *notify_make(uint32_t cseq, const char *ftag,
				   const char *ttag)
{
	return msg_make("NOTIFY sip:alice@127.0.13.1 SIP/2.0\r\n"
			"Via: SIP/2.0/UDP %J;branch=z9hG4bKn%u\r\n"
			"Record-Route: <sip:p1@%J;lr>\r\n"
			"Record-Route: <sip:p2.ims.test;lr>\r\n"
			"From: <sip:bob@ims.test>;tag=%s\r\n"
			"To: <sip:alice@ims.test>;tag=%s\r\n"
			"Call-ID: dlg-ntf\r\nCSeq: %u NOTIFY\r\n"
			"Contact: <sip:bob@%J>\r\n"
			"Content-Length: 0\r\n\r\n", &peer.addr, cseq,
			&proxy.addr, ftag, ttag, cseq, &peer.addr);
}


/* A NOTIFY ahead of the SUBSCRIBE's 2xx makes the dialog (RFC 6665
 * 4.1.2.4): To is ours there, the route set as it came, and their CSeq
 * is the one to count from. */
static void test_uac_request(void)
{
	struct sip_msg *ntf, *m;
	struct dlg *d = NULL;
	char want[128];

	agents_reset();
	ntf = notify_make(40, "notifier", "subtag");
	CU_ASSERT_PTR_NOT_NULL_FATAL(ntf);
	CU_ASSERT_EQUAL_FATAL(dlg_uac(&d, node, ntf, true, 3,
				      "sip:alice@127.0.13.1"), 0);

	send_in(d, "SUBSCRIBE");
	CU_ASSERT_EQUAL(proxy.nreq, 1);
	CU_ASSERT_EQUAL(proxy.cseq, 4);
	ASSERT_STR(proxy.ftag, "subtag");
	ASSERT_STR(proxy.ttag, "notifier");
	ASSERT_STR(proxy.furi, "sip:alice@ims.test");
	ASSERT_STR(proxy.turi, "sip:bob@ims.test");
	(void)re_snprintf(want, sizeof(want), "<sip:p1@%J;lr>, "
			  "<sip:p2.ims.test;lr>", &proxy.addr);
	ASSERT_STR(proxy.routes, want);

	/* RFC 3261 12.2.2: their CSeq only goes up */
	CU_ASSERT(!dlg_rseq_ok(d, ntf));
	m = notify_make(39, "notifier", "subtag");
	CU_ASSERT(dlg_match(d, m));
	CU_ASSERT(!dlg_rseq_ok(d, m));
	mem_deref(m);
	m = notify_make(41, "notifier", "subtag");
	CU_ASSERT(dlg_rseq_ok(d, m));
	CU_ASSERT(!dlg_rseq_ok(d, m));
	mem_deref(m);

	/* a request is ours when both tags are, each on its side */
	m = notify_make(42, "subtag", "notifier");
	CU_ASSERT(!dlg_match(d, m));
	mem_deref(m);
	m = notify_make(42, "notifier", "else");
	CU_ASSERT(!dlg_match(d, m));
	mem_deref(m);

	mem_deref(d);
	mem_deref(ntf);
}


/* Without Record-Route the request goes to the remote target itself. */
static void test_no_route(void)
{
	struct sip_msg *inv, *bye;
	struct dlg *d = NULL;
	char contact[64];

	agents_reset();
	(void)re_snprintf(contact, sizeof(contact),
			  "Contact: <sip:bob@%J>\r\n", &peer.addr);
	inv = invite_make("dlg-direct", false, contact);
	CU_ASSERT_PTR_NOT_NULL_FATAL(inv);
	CU_ASSERT_EQUAL_FATAL(dlg_uas(&d, node, inv, "sip:alice@127.0.13.1"),
			      0);

	send_in(d, "BYE");
	CU_ASSERT_EQUAL(proxy.nreq, 0);
	CU_ASSERT_EQUAL(peer.nreq, 1);
	ASSERT_STR(peer.met, "BYE");
	ASSERT_STR(peer.routes, "");
	CU_ASSERT_EQUAL(last_scode, 200);

	/* a request of another call is not this dialog's */
	bye = msg_make("BYE sip:alice@127.0.13.1 SIP/2.0\r\n"
		       "Via: SIP/2.0/UDP %J;branch=z9hG4bKb\r\n"
		       "From: <sip:bob@ims.test>;tag=bobtag\r\n"
		       "To: <sip:alice@ims.test>;tag=%016llx\r\n"
		       "Call-ID: %s\r\nCSeq: 6 BYE\r\n"
		       "Content-Length: 0\r\n\r\n", &peer.addr, inv->tag,
		       "dlg-direct");
	CU_ASSERT_PTR_NOT_NULL_FATAL(bye);
	CU_ASSERT(dlg_match(d, bye));
	CU_ASSERT(dlg_rseq_ok(d, bye));
	mem_deref(bye);
	bye = msg_make("BYE sip:alice@127.0.13.1 SIP/2.0\r\n"
		       "Via: SIP/2.0/UDP %J;branch=z9hG4bKb\r\n"
		       "From: <sip:bob@ims.test>;tag=bobtag\r\n"
		       "To: <sip:alice@ims.test>;tag=%016llx\r\n"
		       "Call-ID: %s\r\nCSeq: 7 BYE\r\n"
		       "Content-Length: 0\r\n\r\n", &peer.addr, inv->tag,
		       "dlg-other");
	CU_ASSERT_PTR_NOT_NULL_FATAL(bye);
	CU_ASSERT(!dlg_match(d, bye));
	mem_deref(bye);

	mem_deref(d);
	mem_deref(inv);
}


/* What the layer refuses: missing arguments, a request without Contact,
 * a remote target outside the topology (dropped and counted, nothing
 * sent). */
static void test_refusals(void)
{
	struct tsxh *req = NULL;
	struct sip_msg *inv;
	struct dlg *d = NULL;
	uint32_t dropped;

	agents_reset();
	inv = invite_make("dlg-bad", false, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(inv);
	CU_ASSERT_EQUAL(dlg_uas(&d, node, inv, "sip:a@127.0.13.1"), EBADMSG);
	/* a request that makes a UAC's dialog has both tags */
	CU_ASSERT_EQUAL(dlg_uac(&d, node, inv, true, 1, "sip:a@127.0.13.1"),
			EBADMSG);
	CU_ASSERT_EQUAL(dlg_uas(&d, NULL, inv, "sip:a@127.0.13.1"), EINVAL);
	CU_ASSERT_EQUAL(dlg_uas(&d, node, inv, NULL), EINVAL);
	CU_ASSERT_EQUAL(dlg_uac(NULL, node, inv, false, 1, "sip:a@x"),
			EINVAL);
	CU_ASSERT_EQUAL(dlg_uas(NULL, node, inv, "sip:a@x"), EINVAL);
	CU_ASSERT_PTR_NULL(d);
	mem_deref(inv);

	/* a From without a tag names no dialog (RFC 3261 12.1.1) */
	inv = msg_make("INVITE sip:dlgue@127.0.13.1 SIP/2.0\r\n"
		       "Via: SIP/2.0/UDP %J;branch=z9hG4bKnt\r\n"
		       "From: <sip:bob@ims.test>\r\n"
		       "To: <sip:alice@ims.test>\r\n"
		       "Call-ID: dlg-notag\r\nCSeq: 1 INVITE\r\n"
		       "Contact: <sip:bob@%J>\r\n"
		       "Content-Length: 0\r\n\r\n", &peer.addr, &peer.addr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(inv);
	CU_ASSERT_EQUAL(dlg_uas(&d, node, inv, "sip:a@127.0.13.1"), EBADMSG);
	CU_ASSERT_PTR_NULL(d);
	mem_deref(inv);

	CU_ASSERT_EQUAL(dlg_request(&req, NULL, "BYE", NULL, NULL, NULL,
				    resp_handler, NULL), EINVAL);
	CU_ASSERT(!dlg_match(NULL, NULL));
	CU_ASSERT(!dlg_rseq_ok(NULL, NULL));
	ASSERT_STR(dlg_callid(NULL), "");

	inv = invite_make("dlg-out", false,
			  "Contact: <sip:bob@192.0.2.1>\r\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(inv);
	CU_ASSERT_EQUAL_FATAL(dlg_uas(&d, node, inv, "sip:a@127.0.13.1"), 0);
	CU_ASSERT_EQUAL(dlg_request(&req, d, NULL, NULL, NULL, NULL,
				    resp_handler, NULL), EINVAL);
	CU_ASSERT(!dlg_match(d, NULL));
	dropped = netguard_dropped();
	CU_ASSERT_EQUAL(dlg_request(&req, d, "BYE", NULL, NULL, NULL,
				    resp_handler, NULL), ENOENT);
	CU_ASSERT_EQUAL(netguard_dropped(), dropped + 1);
	CU_ASSERT_PTR_NULL(req);
	test_run_for(100);
	CU_ASSERT_EQUAL(proxy.nreq + peer.nreq, 0);

	mem_deref(d);
	mem_deref(inv);
}


static const CU_TestInfo tests[] = {
	{"UAS: route set, tags, CSeq", test_uas},
	{"UAC from a 2xx: the route set reversed", test_uac_response},
	{"UAC from a NOTIFY: tags and CSeq", test_uac_request},
	{"no route set: to the remote target", test_no_route},
	{"refusals", test_refusals},
	CU_TEST_INFO_NULL,
};


int test_dialog_suite(void)
{
	return test_suite_add("dialog", setup, teardown, tests);
}
