/* SPDX-License-Identifier: BSD-3-Clause */
/* The transaction layer over loopback, on the virtual clock, between two
 * libre SIP stacks that each run it: retransmissions come at T1, 2T1
 * ... exactly, what the network loses is recovered, what it repeats is
 * absorbed, and the TU sees each request and each final response once.
 * A drop filter in front of each layer plays the lossy network. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "tsx.h"
#include "tests.h"

struct peer {
	struct sip *sip;
	struct tsxl *l;
	struct sip_lsnr *drop_req, *drop_resp, *tap_req, *tap_resp, *tu;
	struct sip_lsnr *sink;          /* responses no transaction took */
	struct sa addr;
	uint32_t drop_req_n;            /* requests still to lose */
	uint32_t drop_resp_n;           /* responses still to lose */
	uint32_t rx_req, rx_resp;       /* what reached the wire */
	uint32_t tu_req;                /* what reached the TU */
	uint64_t rx_at[16];             /* when requests arrived */
	uint16_t answer;                /* the TU's final answer */
	bool ring;                      /* 180 first, answer on CANCEL */
	struct tsxh *h;
	const struct sip_msg *last;
};

static struct {
	struct peer a, b;
	struct tsxh *req;
	uint32_t resps, finals;
	uint16_t last;
	int err;
	uint32_t cancels;
	uint64_t callid;
	char totag[64];
	struct tmr guard;
} w;


static bool drop_req(const struct sip_msg *msg, void *arg)
{
	struct peer *p = arg;

	if (p->rx_req < ARRAY_SIZE(p->rx_at))
		p->rx_at[p->rx_req] = clk_now();
	++p->rx_req;
	if (p->drop_req_n) {
		--p->drop_req_n;
		return true;
	}
	(void)msg;
	return false;
}


static bool drop_resp(const struct sip_msg *msg, void *arg)
{
	struct peer *p = arg;

	++p->rx_resp;
	if (p->drop_resp_n) {
		--p->drop_resp_n;
		return true;
	}
	(void)msg;
	return false;
}


static bool tap(const struct sip_msg *msg, void *arg)
{
	struct peer *p = arg;

	return tsxl_recv(p->l, msg);
}


static void cancel_h(void *arg)
{
	struct peer *p = arg;

	++w.cancels;
	(void)tsx_reply(&p->h, p->l, p->last, 487, "Request Terminated");
	p->last = mem_deref((void *)p->last);
}


static bool tu(const struct sip_msg *msg, void *arg)
{
	struct peer *p = arg;

	++p->tu_req;
	if (!pl_strcmp(&msg->met, "ACK"))
		return true;

	if (p->ring) {
		p->last = mem_ref((void *)msg);
		(void)tsx_watch(&p->h, p->l, msg, cancel_h, p);
		(void)tsx_reply(&p->h, p->l, msg, 180, "Ringing");
		return true;
	}

	(void)tsx_replyf(NULL, p->l, msg, false, p->answer, "Answer",
			 "Contact: <sip:b@%J>\r\nContent-Length: 0\r\n\r\n",
			 &p->addr);
	return true;
}


static bool sink(const struct sip_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;

	return true;
}


static int peer_init(struct peer *p, uint16_t port)
{
	int err;

	memset(p, 0, sizeof(*p));
	p->answer = 200;
	(void)sa_set_str(&p->addr, "127.0.0.1", port);
	err  = sip_alloc(&p->sip, NULL, 32, 32, 32, "imsbed", NULL, NULL);
	err |= sip_transp_add(p->sip, SIP_TRANSP_UDP, &p->addr);
	err |= tsxl_alloc(&p->l, p->sip, "peer");
	err |= sip_listen(&p->drop_req, p->sip, true, drop_req, p);
	err |= sip_listen(&p->drop_resp, p->sip, false, drop_resp, p);
	err |= sip_listen(&p->tap_req, p->sip, true, tap, p);
	err |= sip_listen(&p->tap_resp, p->sip, false, tap, p);
	err |= sip_listen(&p->tu, p->sip, true, tu, p);
	err |= sip_listen(&p->sink, p->sip, false, sink, p);

	return err;
}


static void peer_close(struct peer *p)
{
	p->h = mem_deref(p->h);
	p->last = mem_deref((void *)p->last);
	p->l = mem_deref(p->l);
	p->tu = mem_deref(p->tu);
	p->sink = mem_deref(p->sink);
	p->tap_req = mem_deref(p->tap_req);
	p->tap_resp = mem_deref(p->tap_resp);
	p->drop_req = mem_deref(p->drop_req);
	p->drop_resp = mem_deref(p->drop_resp);
	if (p->sip)
		sip_close(p->sip, true);
	p->sip = mem_deref(p->sip);
}


static void guard_h(void *arg)
{
	(void)arg;
	re_cancel();
}


static void resp_h(int err, const struct sip_msg *msg, void *arg)
{
	(void)arg;

	w.err = err;
	if (!msg) {
		++w.finals;
		re_cancel();
		return;
	}

	++w.resps;
	w.last = msg->scode;
	(void)pl_strcpy(&msg->to.tag, w.totag, sizeof(w.totag));
	if (msg->scode >= 200)
		++w.finals;
}


static int setup(void)
{
	memset(&w, 0, sizeof(w));
	clk_set_mode(CLK_VIRTUAL);

	return peer_init(&w.a, 15071) || peer_init(&w.b, 15072);
}


static void teardown(void)
{
	w.req = mem_deref(w.req);
	peer_close(&w.a);
	peer_close(&w.b);
}


/* Runs the loop until the run ends (re_cancel) or ms of clock pass. */
static void run(uint64_t ms)
{
	tmr_start(&w.guard, ms, guard_h, NULL);
	(void)re_main(NULL);
	tmr_cancel(&w.guard);
}


static int send_req(const char *met, bool stateful)
{
	char uri[64];

	(void)re_snprintf(uri, sizeof(uri), "sip:b@%J", &w.b.addr);
	w.callid = emul_rand_u64();

	return tsx_requestf(&w.req, w.a.l, stateful, met, uri, NULL, resp_h,
			    NULL, "To: <sip:b@x>\r\nFrom: <sip:a@x>;tag=1\r\n"
			    "Call-ID: %llx@test\r\nCSeq: 1 %s\r\n"
			    "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
			    w.callid, met);
}


/* The TU's ACK of the 2xx, a request of its own (13.2.2.4). */
static int send_ack(void)
{
	char uri[64];

	(void)re_snprintf(uri, sizeof(uri), "sip:b@%J", &w.b.addr);

	return tsx_requestf(NULL, w.a.l, false, "ACK", uri, NULL, NULL, NULL,
			    "To: <sip:b@x>;tag=%s\r\n"
			    "From: <sip:a@x>;tag=1\r\n"
			    "Call-ID: %llx@test\r\nCSeq: 1 ACK\r\n"
			    "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
			    w.totag, w.callid);
}


/* Figure 6 over a lossy network: the first two OPTIONS are lost, the
 * third gets through at T1 + 2T1; the 200 reaches the TU once. */
static void test_nict_loss(void)
{
	uint64_t t0;

	CU_ASSERT_FATAL(!setup());
	w.b.drop_req_n = 2;
	t0 = clk_now();
	CU_ASSERT_EQUAL_FATAL(send_req("OPTIONS", true), 0);
	run(60000);

	CU_ASSERT_EQUAL(w.b.rx_req, 3);
	CU_ASSERT_EQUAL(w.b.rx_at[0] - t0, 0);
	CU_ASSERT_EQUAL(w.b.rx_at[1] - t0, 500);
	CU_ASSERT_EQUAL(w.b.rx_at[2] - t0, 1500);
	CU_ASSERT_EQUAL(w.b.tu_req, 1);
	CU_ASSERT_EQUAL(w.finals, 1);
	CU_ASSERT_EQUAL(w.last, 200);
	CU_ASSERT_EQUAL(tsxl_stats(w.a.l)->retransmitted, 2);
	teardown();
}


/* A node's own T1 (the topology's timers:): 100 ms, so the lost
 * requests are resent at 100 and 300 ms. */
static void test_own_t1(void)
{
	static const struct tsx_cfg fast = {100, 4000, 5000};
	uint64_t t0;

	CU_ASSERT_FATAL(!setup());
	tsxl_set_cfg(w.a.l, &fast);
	w.b.drop_req_n = 2;
	t0 = clk_now();
	CU_ASSERT_EQUAL_FATAL(send_req("OPTIONS", true), 0);
	run(60000);

	CU_ASSERT_EQUAL(w.b.rx_req, 3);
	CU_ASSERT_EQUAL(w.b.rx_at[1] - t0, 100);
	CU_ASSERT_EQUAL(w.b.rx_at[2] - t0, 300);
	CU_ASSERT_EQUAL(w.finals, 1);
	teardown();
}


/* The 200 is lost twice: the client resends, the server answers each
 * retransmission with its 200 and its TU sees one request. */
static void test_nist_absorbs(void)
{
	CU_ASSERT_FATAL(!setup());
	w.a.drop_resp_n = 2;
	CU_ASSERT_EQUAL_FATAL(send_req("OPTIONS", true), 0);
	run(60000);

	CU_ASSERT_EQUAL(w.b.rx_req, 3);
	CU_ASSERT_EQUAL(w.b.tu_req, 1);
	CU_ASSERT_EQUAL(w.a.rx_resp, 3);
	CU_ASSERT_EQUAL(w.finals, 1);
	CU_ASSERT_EQUAL(tsxl_stats(w.b.l)->absorbed, 2);
	teardown();
}


/* Figure 5 and 7 with a non-2xx: the layer ACKs the 486 itself; the
 * lost first 486 is resent by Timer G and the retransmitted INVITE. */
static void test_invite_486(void)
{
	CU_ASSERT_FATAL(!setup());
	w.b.answer = 486;
	w.a.drop_resp_n = 1;
	CU_ASSERT_EQUAL_FATAL(send_req("INVITE", true), 0);
	run(3000);

	CU_ASSERT_EQUAL(w.finals, 1);
	CU_ASSERT_EQUAL(w.last, 486);
	CU_ASSERT_EQUAL(w.b.tu_req, 1);
	/* The ACK reached the server and ended its retransmissions. */
	CU_ASSERT(w.b.rx_req >= 2);
	run(64000);
	CU_ASSERT_EQUAL(tsxl_count(w.a.l), 0);
	CU_ASSERT_EQUAL(tsxl_count(w.b.l), 0);
	teardown();
}


/* RFC 6026: the UAS resends its 2xx until the ACK (at 0, T1, 2T1...);
 * the client's TU sees the 2xx once; the ACK ends the resends. */
static void test_invite_2xx(void)
{
	uint32_t before;

	CU_ASSERT_FATAL(!setup());
	CU_ASSERT_EQUAL_FATAL(send_req("INVITE", true), 0);
	run(1600);

	CU_ASSERT_EQUAL(w.last, 200);
	CU_ASSERT_EQUAL(w.resps, 1);
	CU_ASSERT_EQUAL(w.a.rx_resp, 3);        /* 0, 0.5 and 1.5 s */

	CU_ASSERT_EQUAL(send_ack(), 0);
	before = w.a.rx_resp;
	run(64000);
	CU_ASSERT_EQUAL(w.a.rx_resp, before);
	CU_ASSERT_EQUAL(w.b.tu_req, 2);         /* INVITE, ACK */
	CU_ASSERT_EQUAL(w.resps, 1);
	CU_ASSERT_EQUAL(tsxl_count(w.a.l), 0);
	CU_ASSERT_EQUAL(tsxl_count(w.b.l), 0);
	teardown();
}


/* The ACK is lost: the next 2xx brings the layer's copy of it. */
static void test_ack_lost(void)
{
	uint32_t acks;

	CU_ASSERT_FATAL(!setup());
	CU_ASSERT_EQUAL_FATAL(send_req("INVITE", true), 0);
	run(100);
	CU_ASSERT_EQUAL(w.resps, 1);

	w.b.drop_req_n = 1;
	acks = w.b.rx_req;
	CU_ASSERT_EQUAL(send_ack(), 0);
	run(64000);
	CU_ASSERT_EQUAL(w.b.rx_req, acks + 2);  /* lost, then resent */
	CU_ASSERT_EQUAL(w.b.tu_req, 2);
	CU_ASSERT_EQUAL(w.resps, 1);
	CU_ASSERT_EQUAL(w.a.rx_resp, 2);
	teardown();
}


/* 9.1 and 9.2: CANCEL after the 180, the TU's 487, the layer's ACK. */
static void test_cancel(void)
{
	CU_ASSERT_FATAL(!setup());
	w.b.ring = true;
	CU_ASSERT_EQUAL_FATAL(send_req("INVITE", true), 0);
	run(100);
	CU_ASSERT_EQUAL(w.last, 180);

	tsx_cancel(w.req);
	run(2000);
	CU_ASSERT_EQUAL(w.cancels, 1);
	CU_ASSERT_EQUAL(w.last, 487);
	CU_ASSERT_EQUAL(w.finals, 1);
	run(64000);
	CU_ASSERT_EQUAL(tsxl_count(w.a.l), 0);
	CU_ASSERT_EQUAL(tsxl_count(w.b.l), 0);
	teardown();
}


/* RFC 2543 peers: a branch without the magic cookie; the server
 * matches by Request-URI, tags, Call-ID, CSeq and Via (17.2.3), so the
 * repeat is absorbed and answered, not passed to the TU again. */
static void test_rfc2543(void)
{
	struct mbuf *mb = mbuf_alloc(512);
	int i;

	CU_ASSERT_FATAL(!setup());
	CU_ASSERT_PTR_NOT_NULL_FATAL(mb);
	(void)mbuf_printf(mb, "OPTIONS sip:b@%J SIP/2.0\r\n"
			  "Via: SIP/2.0/UDP %J;branch=old2543\r\n"
			  "To: <sip:b@x>\r\nFrom: <sip:a@x>;tag=9\r\n"
			  "Call-ID: 2543@test\r\nCSeq: 5 OPTIONS\r\n"
			  "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
			  &w.b.addr, &w.a.addr);
	for (i = 0; i < 2; i++) {
		mb->pos = 0;
		CU_ASSERT_EQUAL(sip_send(w.a.sip, NULL, SIP_TRANSP_UDP,
					 &w.b.addr, mb), 0);
		run(100);
	}

	CU_ASSERT_EQUAL(w.b.rx_req, 2);
	CU_ASSERT_EQUAL(w.b.tu_req, 1);
	CU_ASSERT_EQUAL(w.a.rx_resp, 2);
	CU_ASSERT_EQUAL(tsxl_stats(w.b.l)->absorbed, 1);
	mem_deref(mb);
	teardown();
}


static int send_raw(unsigned i)
{
	struct mbuf *mb = mbuf_alloc(512);
	int err;

	if (!mb)
		return ENOMEM;

	(void)mbuf_printf(mb, "OPTIONS sip:b@%J SIP/2.0\r\n"
			  "Via: SIP/2.0/UDP %J;branch=z9hG4bKgrow%u\r\n"
			  "To: <sip:b@x>\r\nFrom: <sip:a@x>;tag=%u\r\n"
			  "Call-ID: grow%u@test\r\nCSeq: 1 OPTIONS\r\n"
			  "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
			  &w.b.addr, &w.a.addr, i, i, i);
	mb->pos = 0;
	err = sip_send(w.a.sip, NULL, SIP_TRANSP_UDP, &w.b.addr, mb);
	mem_deref(mb);

	return err;
}


/* The table grows with the load (fourfold at four times its buckets):
 * 3000 answered transactions linger (Timer J), and the first is still
 * found among them, so its retransmission is absorbed. */
static void test_table_grows(void)
{
	unsigned i;

	CU_ASSERT_FATAL(!setup());
	for (i = 0; i < 3000; i++) {
		CU_ASSERT_EQUAL(send_raw(i), 0);
		if (i % 100 == 99)
			run(10);
	}
	run(10);

	CU_ASSERT_EQUAL(w.b.tu_req, 3000);
	CU_ASSERT_EQUAL(tsxl_count(w.b.l), 3000);
	CU_ASSERT_EQUAL(send_raw(0), 0);
	run(10);
	CU_ASSERT_EQUAL(w.b.tu_req, 3000);
	CU_ASSERT_EQUAL(tsxl_stats(w.b.l)->absorbed, 1);
	run(64000);
	CU_ASSERT_EQUAL(tsxl_count(w.b.l), 0);
	teardown();
}


/* A next hop outside the topology, an address off loopback or a name
 * no node has, is refused before anything is sent: no DNS, ever. */
static void test_outside(void)
{
	static const char *const uris[] = {
		"sip:x@192.0.2.1", "sip:x@example.com",
	};
	uint32_t dropped;
	size_t i;

	CU_ASSERT_FATAL(!setup());
	for (i = 0; i < ARRAY_SIZE(uris); i++) {
		dropped = netguard_dropped();
		CU_ASSERT_EQUAL(tsx_requestf(&w.req, w.a.l, true, "OPTIONS",
					     uris[i], NULL, resp_h, NULL,
					     "Content-Length: 0\r\n\r\n"),
				ENOENT);
		CU_ASSERT_PTR_NULL(w.req);
		CU_ASSERT_EQUAL(netguard_dropped(), dropped + 1);
	}
	CU_ASSERT_EQUAL(tsxl_count(w.a.l), 0);
	teardown();
}


/* Timer B: nobody answers; the TU hears ETIMEDOUT at 64*T1. */
static void test_timer_b(void)
{
	uint64_t t0;

	CU_ASSERT_FATAL(!setup());
	w.b.drop_req_n = 100;
	t0 = clk_now();
	CU_ASSERT_EQUAL_FATAL(send_req("INVITE", true), 0);
	run(100000);
	CU_ASSERT_EQUAL(w.err, ETIMEDOUT);
	CU_ASSERT_EQUAL(w.finals, 1);
	CU_ASSERT_EQUAL(clk_now() - t0, 32000);
	/* A at 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s: seven in all. */
	CU_ASSERT_EQUAL(w.b.rx_req, 7);
	CU_ASSERT_EQUAL(w.b.rx_at[3] - t0, 3500);
	CU_ASSERT_EQUAL(w.b.rx_at[4] - t0, 7500);
	CU_ASSERT_EQUAL(w.b.rx_at[6] - t0, 31500);
	teardown();
}


int test_tsx_wire_suite(void)
{
	CU_pSuite s = CU_add_suite("tsx over loopback", NULL, NULL);

	if (!s)
		return 1;

	return !CU_add_test(s, "non-INVITE, requests lost",
			    test_nict_loss) ||
		!CU_add_test(s, "a node's own T1", test_own_t1) ||
		!CU_add_test(s, "non-INVITE, responses lost",
			     test_nist_absorbs) ||
		!CU_add_test(s, "INVITE, 486 lost, ACK", test_invite_486) ||
		!CU_add_test(s, "INVITE, 2xx resent until ACK",
			     test_invite_2xx) ||
		!CU_add_test(s, "INVITE, ACK lost", test_ack_lost) ||
		!CU_add_test(s, "CANCEL", test_cancel) ||
		!CU_add_test(s, "RFC 2543 matching", test_rfc2543) ||
		!CU_add_test(s, "the table grows", test_table_grows) ||
		!CU_add_test(s, "next hop outside the topology",
			     test_outside) ||
		!CU_add_test(s, "Timer B", test_timer_b);
}
