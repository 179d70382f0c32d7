/* SPDX-License-Identifier: BSD-3-Clause */
/* The proxy core alone, in libre's test/sipevent.c shape: one node with
 * a policy that forwards to the Request-URI, two raw UDP agents on
 * ephemeral loopback ports around it, a run-loop timeout, and counters.
 * Max-Forwards 0 gets 483, Proxy-Require 420, an ACK goes through without
 * an answer, CANCEL follows its INVITE and the INVITE ends 487, a stray
 * 2xx is relayed to the next Via when that is a node and dropped else,
 * a request nobody answers ends 408 and one that cannot be sent 503; a
 * request forked to two agents gets the best answer of RFC 3261 16.7 and
 * the branch still ringing is CANCELled; and the timer wheel fires in
 * order. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "proxy.h"
#include "tests.h"

struct agent {
	struct udp_sock *us;
	struct sa addr;
	uint32_t req[8];        /* INVITE, ACK, CANCEL, other */
	uint16_t last;          /* the last final status received */
	uint32_t ack_answers;   /* responses to an ACK: there must be none */
	char reason[64];
	struct mbuf *invite;    /* the INVITE the callee got */
	bool silent;            /* answers nothing */
	uint16_t final;         /* answers an INVITE so after its 180 */
	const char *tag;        /* its To tag */
	uint32_t finals;        /* final responses received */
	uint32_t n181;          /* 181 Call Is Being Forwarded received */
	/* a final response with this Call-ID is kept in waited and stops
	 * the loop (the 487 of an earlier INVITE, never ACKed, may come
	 * again meanwhile) */
	const char *wait_callid;
	uint16_t waited;
};

enum { R_INVITE = 0, R_ACK, R_CANCEL, R_OTHER };

static struct agent caller, callee, callee2;
static struct proxy *px;
static struct node *pxnode, *uac;
static struct sa pxaddr;

/* What the node behind the caller got of stray responses */
static struct {
	uint32_t n;
	uint16_t scode;
	uint32_t vias;
	char branch[32];
} relayed;


static struct ptx *retry_t;     /* the ptx the retry policy serves */


/* Busy, or CANCELled by the policy itself: the request on to callee2,
 * with a 181 upstream first (an AS's call diversion). */
static bool retry_resp(int err, const struct sip_msg *msg, struct ptx *t,
		       void *arg)
{
	struct proxy_fwd fwd;
	char uri[64];
	(void)arg;

	retry_t = t;
	if (err || !msg || (msg->scode != 486 && msg->scode != 487))
		return false;

	proxy_fwd_init(&fwd, px, proxy_ptx_msg(t));
	(void)re_snprintf(uri, sizeof(uri), "sip:%s@%J", callee2.tag,
			  &callee2.addr);
	fwd.ruri = uri;
	(void)proxy_ptx_provisional(t, 181, NULL);

	return 0 == proxy_reforward(t, &fwd, 1, NULL, NULL);
}


static void policy_request(void *arg, const struct sip_msg *msg)
{
	struct proxy_fwd fwd[2];
	char uri[2][64];
	struct agent *to[2] = {&callee, &callee2};
	size_t i;
	(void)arg;

	if (!pl_strcmp(&msg->uri.user, "retry")) {
		proxy_fwd_init(&fwd[0], px, msg);
		(void)re_snprintf(uri[0], sizeof(uri[0]), "sip:%s@%J",
				  callee.tag, &callee.addr);
		fwd[0].ruri = uri[0];
		(void)proxy_forward(px, msg, &fwd[0], retry_resp, NULL);
		return;
	}

	if (pl_strcmp(&msg->uri.user, "fork")) {
		proxy_fwd_init(&fwd[0], px, msg);
		(void)proxy_forward(px, msg, &fwd[0], NULL, NULL);
		return;
	}

	for (i = 0; i < 2; i++) {
		proxy_fwd_init(&fwd[i], px, msg);
		(void)re_snprintf(uri[i], sizeof(uri[i]), "sip:%s@%J",
				  to[i]->tag, &to[i]->addr);
		fwd[i].ruri = uri[i];
	}
	(void)proxy_fork(px, msg, fwd, 2, NULL, NULL);
}


static const struct proxy_policy policy = {
	.request = policy_request,
};


static void reply(struct agent *a, const struct sip_msg *msg, uint16_t sc,
		  const char *reason)
{
	(void)test_sip_reply(a->us, msg, sc, reason, a->tag);
}


/* RFC 3261 17.1.1.3: the caller ACKs a non-2xx final of the forking
 * tests, so that the proxy stops sending it again. */
static void ack_final(struct agent *a, const struct sip_msg *msg)
{
	struct mbuf *mb = mbuf_alloc(512);

	(void)mbuf_printf(mb, "ACK sip:fork@%J SIP/2.0\r\n"
			  "Via: %r\r\nMax-Forwards: 70\r\n"
			  "From: %r\r\nTo: %r\r\nCall-ID: %r\r\n"
			  "CSeq: %u ACK\r\nContent-Length: 0\r\n\r\n",
			  &pxaddr, &msg->via.val, &msg->from.val,
			  &msg->to.val, &msg->callid, msg->cseq.num);
	mb->pos = 0;
	(void)udp_send(a->us, &pxaddr, mb);
	mem_deref(mb);
}


static void agent_recv(const struct sa *src, struct mbuf *mb, void *arg)
{
	struct agent *a = arg;
	struct sip_msg *msg = NULL;
	size_t pos = mb->pos;

	if (sip_msg_decode(&msg, mb))
		return;
	msg->src = *src;

	if (!msg->req) {
		if (!pl_strcmp(&msg->cseq.met, "ACK"))
			++a->ack_answers;
		if (msg->scode >= 300 && !pl_strcmp(&msg->cseq.met, "INVITE")
		    && !re_regex(msg->callid.p, msg->callid.l, "proxytest-f"))
			ack_final(a, msg);
		if (msg->scode == 181)
			++a->n181;
		if (msg->scode >= 200) {
			++a->finals;
			a->last = msg->scode;
			(void)pl_strcpy(&msg->reason, a->reason,
					sizeof(a->reason));
			if (a->wait_callid &&
			    !pl_strcmp(&msg->callid, a->wait_callid)) {
				a->waited = msg->scode;
				re_cancel();
			}
		}
		mem_deref(msg);
		return;
	}

	if (a->silent) {
		++a->req[R_OTHER];
		mem_deref(msg);
		return;
	}

	if (!pl_strcmp(&msg->met, "INVITE")) {
		++a->req[R_INVITE];
		mb->pos = pos;
		a->invite = mem_deref(a->invite);
		a->invite = mbuf_alloc(mbuf_get_left(mb));
		(void)mbuf_write_mem(a->invite, mbuf_buf(mb),
				     mbuf_get_left(mb));
		reply(a, msg, 180, "Ringing");
		if (a->final)
			reply(a, msg, a->final, "Final");
	}
	else if (!pl_strcmp(&msg->met, "ACK")) {
		++a->req[R_ACK];
	}
	else if (!pl_strcmp(&msg->met, "CANCEL")) {
		++a->req[R_CANCEL];
		reply(a, msg, 200, "OK");
		/* RFC 3261 9.2: the INVITE it cancels ends 487. */
		if (a->invite) {
			struct sip_msg *inv = NULL;

			a->invite->pos = 0;
			if (!sip_msg_decode(&inv, a->invite)) {
				inv->src = *src;
				reply(a, inv, 487, "Request Terminated");
			}
			mem_deref(inv);
		}
	}
	else {
		++a->req[R_OTHER];
		reply(a, msg, 200, "OK");
	}
	mem_deref(msg);
}


/* A request from the caller through the proxy to the callee; extra are
 * header lines, branch makes the transaction. */
static void send_req(const char *met, const char *cseq_met, uint32_t mf,
		     const char *branch, const char *extra,
		     const struct sa *to)
{
	struct mbuf *mb = mbuf_alloc(1024);

	(void)mbuf_printf(mb, "%s sip:callee@%J SIP/2.0\r\n"
			  "Via: SIP/2.0/UDP %J;branch=z9hG4bK%s\r\n"
			  "Max-Forwards: %u\r\n"
			  "From: <sip:caller@ims.test>;tag=c\r\n"
			  "To: <sip:callee@ims.test>%s\r\n"
			  "Call-ID: proxytest-%s\r\nCSeq: 1 %s\r\n"
			  "Contact: <sip:caller@%J>\r\n%s"
			  "Content-Length: 0\r\n\r\n",
			  met, &callee.addr, &caller.addr, branch, mf,
			  strcmp(met, "ACK") ? "" : ";tag=callee",
			  strcmp(met, "INVITE") && strcmp(met, "CANCEL") ?
			  branch : "inv",
			  cseq_met, &caller.addr, extra ? extra : "");
	mb->pos = 0;
	(void)udp_send(caller.us, to, mb);
	mem_deref(mb);
}


static bool uac_stray(const struct sip_msg *msg, void *arg)
{
	(void)arg;

	++relayed.n;
	relayed.scode = msg->scode;
	relayed.vias = sip_msg_hdr_count(msg, SIP_HDR_VIA);
	(void)pl_strcpy(&msg->via.branch, relayed.branch,
			sizeof(relayed.branch));

	return true;
}


static const struct node_ops uac_ops = {
	.resph = uac_stray,
};


/* The proxy node, a node that stands for the UAC behind the caller
 * (stray responses are relayed only to nodes), and the two agents. */
static int setup(void)
{
	struct sa a;
	int err;

	memset(&relayed, 0, sizeof(relayed));
	err = sa_set_str(&pxaddr, "127.0.4.1", 5060);
	err = err ? err : node_alloc(&pxnode, "px", ROLE_PCSCF, &pxaddr,
				     "ims.test", 0);
	err = err ? err : proxy_alloc(&px, pxnode, &policy, NULL);
	err = err ? err : sa_set_str(&a, "127.0.4.2", 5060);
	err = err ? err : node_alloc(&uac, "uac", ROLE_UE, &a, "ims.test",
				     0);
	if (err)
		return err;

	node_set_impl(uac, NULL, &uac_ops);
	memset(&caller, 0, sizeof(caller));
	memset(&callee, 0, sizeof(callee));
	memset(&callee2, 0, sizeof(callee2));
	caller.tag = "caller";
	callee.tag = "callee";
	callee2.tag = "callee2";
	err = test_udp_open(&caller.us, &caller.addr, agent_recv, &caller);
	err = err ? err : test_udp_open(&callee.us, &callee.addr, agent_recv,
					&callee);
	err = err ? err : test_udp_open(&callee2.us, &callee2.addr,
					agent_recv, &callee2);

	return err;
}


static int teardown(void)
{
	px = mem_deref(px);
	caller.us = mem_deref(caller.us);
	callee.us = mem_deref(callee.us);
	callee2.us = mem_deref(callee2.us);
	caller.invite = mem_deref(caller.invite);
	callee.invite = mem_deref(callee.invite);
	callee2.invite = mem_deref(callee2.invite);
	uac = mem_deref(uac);
	pxnode = mem_deref(pxnode);

	return 0;
}


static void agents_reset(void)
{
	struct agent *v[] = {&caller, &callee, &callee2};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		memset(v[i]->req, 0, sizeof(v[i]->req));
		v[i]->last = 0;
		v[i]->reason[0] = '\0';
		v[i]->ack_answers = 0;
		v[i]->silent = false;
		v[i]->wait_callid = NULL;
		v[i]->waited = 0;
		v[i]->final = 0;
		v[i]->finals = 0;
		v[i]->n181 = 0;
	}
}


static void test_proxy_core(void)
{
	agents_reset();

	/* RFC 3261 16.3: Max-Forwards 0 ends at the proxy. */
	send_req("OPTIONS", "OPTIONS", 0, "mf0", NULL, &pxaddr);
	test_run_for(300);
	CU_ASSERT_EQUAL(caller.last, 483);
	CU_ASSERT_EQUAL(callee.req[R_OTHER], 0);

	/* Proxy-Require names what this proxy does not do. */
	send_req("OPTIONS", "OPTIONS", 70, "preq", "Proxy-Require: foo\r\n",
		 &pxaddr);
	test_run_for(300);
	CU_ASSERT_EQUAL(caller.last, 420);
	CU_ASSERT_EQUAL(callee.req[R_OTHER], 0);

	/* A request the core takes goes through and its answer back. */
	send_req("OPTIONS", "OPTIONS", 70, "opt", NULL, &pxaddr);
	test_run_for(300);
	CU_ASSERT_EQUAL(callee.req[R_OTHER], 1);
	CU_ASSERT_EQUAL(caller.last, 200);

	/* INVITE, 180, CANCEL: the CANCEL follows it, the INVITE ends 487,
	 * and the caller's ACK for the 487 is the proxy's own business. */
	send_req("INVITE", "INVITE", 70, "inv", NULL, &pxaddr);
	test_run_for(300);
	CU_ASSERT_EQUAL(callee.req[R_INVITE], 1);
	send_req("CANCEL", "CANCEL", 70, "inv", NULL, &pxaddr);
	test_run_for(400);
	CU_ASSERT_EQUAL(callee.req[R_CANCEL], 1);
	CU_ASSERT_EQUAL(caller.last, 487);
	/* RFC 3261 17.1.1.3: the proxy's client transaction ACKs the 487
	 * itself, hop by hop. */
	CU_ASSERT_EQUAL(callee.req[R_ACK], 1);

	/* An ACK (of a 2xx, in a dialog) is forwarded, never answered
	 * (the 487 may come again meanwhile: the caller never ACKed it). */
	send_req("ACK", "ACK", 70, "ack2xx", NULL, &pxaddr);
	test_run_for(300);
	CU_ASSERT_EQUAL(callee.req[R_ACK], 2);
	CU_ASSERT_EQUAL(caller.ack_answers, 0);
}


/* A response from the callee's side that no transaction of the proxy's
 * knows; via2 is the Via below the proxy's (NULL: none), via1 the top. */
static void send_stray(const char *via1, const char *via2)
{
	struct mbuf *mb = mbuf_alloc(1024);
	char v2[96] = "";

	if (via2)
		(void)re_snprintf(v2, sizeof(v2), "Via: SIP/2.0/UDP %s"
				  ";branch=z9hG4bKorig\r\n", via2);
	(void)mbuf_printf(mb, "SIP/2.0 200 OK\r\n"
			  "Via: SIP/2.0/UDP %s;branch=z9hG4bKstray\r\n%s"
			  "From: <sip:caller@ims.test>;tag=c\r\n"
			  "To: <sip:callee@ims.test>;tag=callee\r\n"
			  "Call-ID: proxytest-stray\r\nCSeq: 1 INVITE\r\n"
			  "Contact: <sip:callee@%J>\r\n"
			  "Content-Length: 0\r\n\r\n", via1, v2,
			  &callee.addr);
	mb->pos = 0;
	(void)udp_send(callee.us, &pxaddr, mb);
	mem_deref(mb);
	test_run_for(300);
}


/* RFC 3261 16.7 step 3 and 16.11: a stray 2xx (a retransmission of the
 * INVITE's 2xx after the transaction ended) is forwarded statelessly,
 * less the proxy's Via, to the next Via; imsbed sends it only to a
 * node of the topology, and drops the rest, counted. */
static void test_stray(void)
{
	char caller_via[32];
	uint32_t dropped = netguard_dropped();

	agents_reset();
	(void)re_snprintf(caller_via, sizeof(caller_via), "%J", &caller.addr);

	send_stray("127.0.4.1:5060", "127.0.4.2:5060");
	CU_ASSERT_EQUAL(relayed.n, 1);
	CU_ASSERT_EQUAL(relayed.scode, 200);
	CU_ASSERT_EQUAL(relayed.vias, 1);
	ASSERT_STR(relayed.branch, "z9hG4bKorig");
	CU_ASSERT_EQUAL(netguard_dropped(), dropped);

	/* the next Via is no node: dropped, and the agent gets nothing */
	send_stray("127.0.4.1:5060", caller_via);
	CU_ASSERT_EQUAL(caller.last, 0);
	CU_ASSERT_EQUAL(netguard_dropped(), dropped + 1);

	/* the top Via is not the proxy's, or there is no next Via */
	send_stray("127.0.4.9:5060", "127.0.4.2:5060");
	send_stray("127.0.4.1:5060", NULL);
	CU_ASSERT_EQUAL(relayed.n, 1);
	CU_ASSERT_EQUAL(netguard_dropped(), dropped + 3);
}


/* RFC 3261 16.8: Timer F ends a request nobody answers, and the proxy
 * answers 408, having retransmitted it meanwhile (Timer E).  Timer F
 * is 64*T1, 32 s: on the unit suites' virtual clock, no wait. */
static void test_timeout(void)
{
	agents_reset();
	callee.silent = true;
	caller.wait_callid = "proxytest-silent";
	send_req("OPTIONS", "OPTIONS", 70, "silent", NULL, &pxaddr);
	test_run_for(64 * SIP_T1 + 4000);
	CU_ASSERT_EQUAL(caller.waited, 408);
	ASSERT_STR(caller.reason, "Request Timeout");
	CU_ASSERT(callee.req[R_OTHER] > 1);
}


/* A request that cannot be sent on (RFC 3261 8.1.3.1: a transport
 * error counts as a 503), here to a TCP port where nobody listens. */
static void test_transport_error(void)
{
	struct tcp_sock *ts = NULL;
	struct sa closed;
	char extra[96];

	(void)sa_set_str(&closed, "127.0.0.1", 0);
	CU_ASSERT_EQUAL_FATAL(tcp_listen(&ts, &closed, NULL, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(tcp_local_get(ts, &closed), 0);
	ts = mem_deref(ts);

	agents_reset();
	caller.wait_callid = "proxytest-tcpdown";
	(void)re_snprintf(extra, sizeof(extra), "Route: <sip:%J;lr;"
			  "transport=tcp>\r\n", &closed);
	send_req("OPTIONS", "OPTIONS", 70, "tcpdown", extra, &pxaddr);
	test_run_for(5000);
	CU_ASSERT_EQUAL(caller.waited, 503);
	CU_ASSERT_EQUAL(callee.req[R_OTHER], 0);
}


/* An INVITE (or its CANCEL) to sip:user@: fork is forked to both
 * callees, retry retargeted; the Call-ID and branch are id. */
static void send_to(const char *user, const char *met, const char *id)
{
	struct mbuf *mb = mbuf_alloc(1024);

	(void)mbuf_printf(mb, "%s sip:%s@%J SIP/2.0\r\n"
			  "Via: SIP/2.0/UDP %J;branch=z9hG4bK%s\r\n"
			  "Max-Forwards: 70\r\n"
			  "From: <sip:caller@ims.test>;tag=c\r\n"
			  "To: <sip:fork@ims.test>\r\n"
			  "Call-ID: proxytest-%s\r\nCSeq: 1 %s\r\n"
			  "Contact: <sip:caller@%J>\r\n"
			  "Content-Length: 0\r\n\r\n",
			  met, user, &pxaddr, &caller.addr, id, id, met,
			  &caller.addr);
	mb->pos = 0;
	(void)udp_send(caller.us, &pxaddr, mb);
	mem_deref(mb);
}


/* Two callees answer a and b (0: ring on); what the caller gets of an
 * INVITE to user. */
static uint16_t call_case(const char *user, const char *id, uint16_t a,
			  uint16_t b)
{
	agents_reset();
	callee.final = a;
	callee2.final = b;
	send_to(user, "INVITE", id);
	test_run_for(500);

	return caller.last;
}



/* RFC 3261 16.7: provisional and 2xx answers go up at once, the 2xx
 * CANCELs the branch still ringing, whose 487 stays at the proxy; a 6xx
 * does the same; otherwise the best of all once all have answered
 * (16.7.6: the lowest class, 401 and its kind before the rest). */
static void test_fork(void)
{
	CU_ASSERT_EQUAL(call_case("fork", "f200", 200, 0), 200);
	CU_ASSERT_EQUAL(caller.finals, 1);
	CU_ASSERT_EQUAL(callee2.req[R_INVITE], 1);
	CU_ASSERT_EQUAL(callee2.req[R_CANCEL], 1);
	CU_ASSERT_EQUAL(callee.req[R_CANCEL], 0);
	/* the 487 is ACKed hop by hop, and never reaches the caller */
	CU_ASSERT_EQUAL(callee2.req[R_ACK], 1);

	CU_ASSERT_EQUAL(call_case("fork", "f603", 0, 603), 603);
	CU_ASSERT_EQUAL(caller.finals, 1);
	CU_ASSERT_EQUAL(callee.req[R_CANCEL], 1);

	CU_ASSERT_EQUAL(call_case("fork", "f486", 486, 401), 401);
	CU_ASSERT_EQUAL(caller.finals, 1);
	CU_ASSERT_EQUAL(call_case("fork", "f302", 500, 302), 302);
	CU_ASSERT_EQUAL(call_case("fork", "f404", 404, 503), 404);
	CU_ASSERT_EQUAL(caller.finals, 1);

	/* the caller's CANCEL ends both branches; one 487 goes up */
	CU_ASSERT_EQUAL(call_case("fork", "fcan", 0, 0), 0);
	send_to("fork", "CANCEL", "fcan");
	test_run_for(500);
	CU_ASSERT_EQUAL(callee.req[R_CANCEL], 1);
	CU_ASSERT_EQUAL(callee2.req[R_CANCEL], 1);
	CU_ASSERT_EQUAL(caller.last, 487);
	CU_ASSERT_EQUAL(caller.finals, 2);      /* CANCEL's 200, the 487 */
}


/* A policy that sends a failed request on (proxy_reforward from its
 * response handler) after a 486, or after CANCELling the branch itself
 * (proxy_ptx_cancel: a no-answer timer); never after the caller's own
 * CANCEL (RFC 3261 16.10). */
static void test_retarget(void)
{
	CU_ASSERT_EQUAL(call_case("retry", "fr486", 486, 200), 200);
	CU_ASSERT_EQUAL(callee2.req[R_INVITE], 1);
	CU_ASSERT_EQUAL(caller.n181, 1);
	CU_ASSERT_EQUAL(caller.finals, 1);

	retry_t = NULL;
	CU_ASSERT_EQUAL(call_case("retry", "frnoa", 0, 200), 0);
	CU_ASSERT_EQUAL(callee2.req[R_INVITE], 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(retry_t);
	proxy_ptx_cancel(retry_t);
	test_run_for(500);
	CU_ASSERT_EQUAL(callee.req[R_CANCEL], 1);
	CU_ASSERT_EQUAL(callee2.req[R_INVITE], 1);
	CU_ASSERT_EQUAL(caller.last, 200);
	CU_ASSERT_EQUAL(caller.finals, 1);

	CU_ASSERT_EQUAL(call_case("retry", "frcan", 0, 200), 0);
	send_to("retry", "CANCEL", "frcan");
	test_run_for(500);
	CU_ASSERT_EQUAL(callee.req[R_CANCEL], 1);
	CU_ASSERT_EQUAL(callee2.req[R_INVITE], 0);
	CU_ASSERT_EQUAL(caller.last, 487);
	CU_ASSERT_EQUAL(caller.n181, 0);
}


static const CU_TestInfo tests[] = {
	{"483, 420, forward, CANCEL, ACK", test_proxy_core},
	{"stray 2xx relayed to a node, else dropped", test_stray},
	{"503 on a transport error", test_transport_error},
	{"408 after Timer F", test_timeout},
	{"forking: best response, CANCEL", test_fork},
	{"retarget after 486, own CANCEL; not after CANCEL", test_retarget},
	CU_TEST_INFO_NULL,
};


int test_proxy_suite(void)
{
	return test_suite_add("proxy core", setup, teardown, tests);
}
