/* SPDX-License-Identifier: BSD-3-Clause */
/* The proxy core alone, in libre's test/sipevent.c shape: one node with
 * a policy that forwards to the Request-URI, two raw UDP agents on
 * ephemeral loopback ports around it, a run-loop timeout, and counters.
 * Max-Forwards 0 gets 483, Proxy-Require 420, an ACK goes through without
 * an answer, CANCEL follows its INVITE and the INVITE ends 487, a stray
 * 2xx is relayed to the next Via; and the timer wheel fires in order. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "../cscf/proxy.h"
#include "tests.h"

struct agent {
	struct udp_sock *us;
	struct sa addr;
	uint32_t req[8];        /* INVITE, ACK, CANCEL, other */
	uint16_t last;          /* the last final status received */
	uint32_t ack_answers;   /* responses to an ACK: there must be none */
	char reason[64];
	struct mbuf *invite;    /* the INVITE the callee got */
};

enum { R_INVITE = 0, R_ACK, R_CANCEL, R_OTHER };

static struct agent caller, callee;
static struct proxy *px;


static void policy_request(void *arg, const struct sip_msg *msg)
{
	struct proxy_fwd fwd;
	(void)arg;

	proxy_fwd_init(&fwd, px, msg);
	(void)proxy_forward(px, msg, &fwd, NULL, NULL);
}


static const struct proxy_policy policy = {
	.request = policy_request,
};


static void reply(struct agent *a, const struct sip_msg *msg, uint16_t sc,
		  const char *reason)
{
	(void)test_sip_reply(a->us, msg, sc, reason, "callee");
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
		if (msg->scode >= 200) {
			a->last = msg->scode;
			(void)pl_strcpy(&msg->reason, a->reason,
					sizeof(a->reason));
		}
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


static void agent_open(struct agent *a)
{
	memset(a, 0, sizeof(*a));
	CU_ASSERT_EQUAL_FATAL(test_udp_open(&a->us, &a->addr, agent_recv, a),
			      0);
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


static void test_proxy_core(void)
{
	struct node *n = NULL;
	struct sa addr;

	(void)sa_set_str(&addr, "127.0.4.1", 5060);
	CU_ASSERT_EQUAL_FATAL(node_alloc(&n, "px", ROLE_PCSCF, &addr,
					 "ims.test", 0), 0);
	CU_ASSERT_EQUAL_FATAL(proxy_alloc(&px, n, &policy, NULL), 0);
	agent_open(&caller);
	agent_open(&callee);

	/* RFC 3261 16.3: Max-Forwards 0 ends at the proxy. */
	send_req("OPTIONS", "OPTIONS", 0, "mf0", NULL, &addr);
	test_run_for(300);
	CU_ASSERT_EQUAL(caller.last, 483);
	CU_ASSERT_EQUAL(callee.req[R_OTHER], 0);

	/* Proxy-Require names what this proxy does not do. */
	send_req("OPTIONS", "OPTIONS", 70, "preq", "Proxy-Require: foo\r\n",
		 &addr);
	test_run_for(300);
	CU_ASSERT_EQUAL(caller.last, 420);
	CU_ASSERT_EQUAL(callee.req[R_OTHER], 0);

	/* A request the core takes goes through and its answer back. */
	send_req("OPTIONS", "OPTIONS", 70, "opt", NULL, &addr);
	test_run_for(300);
	CU_ASSERT_EQUAL(callee.req[R_OTHER], 1);
	CU_ASSERT_EQUAL(caller.last, 200);

	/* INVITE, 180, CANCEL: the CANCEL follows it, the INVITE ends 487,
	 * and the caller's ACK for the 487 is the proxy's own business. */
	send_req("INVITE", "INVITE", 70, "inv", NULL, &addr);
	test_run_for(300);
	CU_ASSERT_EQUAL(callee.req[R_INVITE], 1);
	send_req("CANCEL", "CANCEL", 70, "inv", NULL, &addr);
	test_run_for(400);
	CU_ASSERT_EQUAL(callee.req[R_CANCEL], 1);
	CU_ASSERT_EQUAL(caller.last, 487);
	/* RFC 3261 17.1.1.3: the proxy's client transaction ACKs the 487
	 * itself, hop by hop. */
	CU_ASSERT_EQUAL(callee.req[R_ACK], 1);

	/* An ACK (of a 2xx, in a dialog) is forwarded, never answered
	 * (the 487 may come again meanwhile: the caller never ACKed it). */
	send_req("ACK", "ACK", 70, "ack2xx", NULL, &addr);
	test_run_for(300);
	CU_ASSERT_EQUAL(callee.req[R_ACK], 2);
	CU_ASSERT_EQUAL(caller.ack_answers, 0);

	px = mem_deref(px);
	caller.us = mem_deref(caller.us);
	callee.us = mem_deref(callee.us);
	caller.invite = mem_deref(caller.invite);
	callee.invite = mem_deref(callee.invite);
	mem_deref(n);
	CU_ASSERT_PTR_NULL(emul_nodes()->head);
}


static uint32_t fired[3], nfired;


static void wheel_handler(void *arg)
{
	fired[nfired++ % 3] = (uint32_t)(uintptr_t)arg;
}


static void test_wheel(void)
{
	struct wheel *w = NULL;
	struct wheel_ent a, b, c;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	memset(&c, 0, sizeof(c));
	nfired = 0;
	CU_ASSERT_EQUAL_FATAL(wheel_alloc(&w, 16), 0);

	wheel_start(w, &a, 300, wheel_handler, (void *)1);
	wheel_start(w, &b, 100, wheel_handler, (void *)2);
	wheel_start(w, &c, 200, wheel_handler, (void *)3);
	/* in slots of 100 ms */
	CU_ASSERT(wheel_left(&a) >= 200 && wheel_left(&a) <= 400);
	wheel_cancel(&c);

	test_run_for(500);
	CU_ASSERT_EQUAL(nfired, 2);
	CU_ASSERT_EQUAL(fired[0], 2);
	CU_ASSERT_EQUAL(fired[1], 1);
	CU_ASSERT_EQUAL(wheel_left(&a), 0);

	mem_deref(w);
}


int test_proxy_suite(void)
{
	CU_pSuite s = CU_add_suite("proxy core", NULL, NULL);

	if (!s)
		return 1;

	return !CU_add_test(s, "483, 420, forward, CANCEL, ACK",
			    test_proxy_core) ||
		!CU_add_test(s, "timer wheel", test_wheel);
}
