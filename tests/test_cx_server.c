/* SPDX-License-Identifier: BSD-3-Clause */
/* The HSS's Diameter server over loopback TCP, as a peer outside the
 * process meets it: CER first (anything else closes the connection; no
 * Cx offered gets 5010 and a close), then Cx requests answered with the
 * codes RFC 6733 and TS 29.229 name (5001 unknown user, 5005 with
 * Failed-AVP, 3007 another application with the E bit, 3001 a command
 * the HSS does not serve), a message split across segments, DWR/DWA,
 * DPR/DPA and the close; the peer stays up through every failure. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "diam.h"
#include "hss.h"
#include "tests.h"

enum { PORT = 13868, WAIT_MS = 200 };

struct peer {
	struct tcp_conn *tc;
	struct mbuf *rx;
	struct diam *last;              /* the last message received */
	unsigned got;
	bool closed;
};

static struct hss *hss;
static struct sa laddr;
static const struct diam_node me = {"icscf.peer.test", "ims.test", NULL};


static int init(void)
{
	char err[256];
	int e;

	e = diam_init();
	e = e ? e : hssfx_from(&hss, "hss", NULL, hssfx_topo, err,
			       sizeof(err));
	e = e ? e : sa_set_str(&laddr, "127.0.0.1", PORT);
	e = e ? e : hss_set_diameter(hss, NULL, &laddr);
	e = e ? e : hss_diameter_listen(hss);

	return e;
}


static int fini(void)
{
	hss = mem_deref(hss);
	diam_close();
	return 0;
}


static void recv_handler(struct mbuf *mb, void *arg)
{
	struct peer *p = arg;
	size_t len;

	(void)mbuf_write_mem(p->rx, mbuf_buf(mb), mbuf_get_left(mb));
	while (!diam_frame(p->rx->buf, p->rx->end, &len, NULL, 0) && len) {
		p->last = mem_deref(p->last);
		(void)diam_decode(&p->last, p->rx->buf, len, NULL, 0);
		++p->got;
		memmove(p->rx->buf, p->rx->buf + len, p->rx->end - len);
		p->rx->end -= len;
		p->rx->pos = p->rx->end;
	}
}


static void close_handler(int err, void *arg)
{
	struct peer *p = arg;
	(void)err;

	p->closed = true;
}


static void peer_open(struct peer *p)
{
	memset(p, 0, sizeof(*p));
	p->rx = mbuf_alloc(1024);
	CU_ASSERT_EQUAL_FATAL(tcp_connect(&p->tc, &laddr, NULL, recv_handler,
					  close_handler, p), 0);
	test_run_for(20);
}


static void peer_close(struct peer *p)
{
	mem_deref(p->tc);
	mem_deref(p->rx);
	mem_deref(p->last);
	test_run_for(20);
}


static void send_bytes(struct peer *p, const uint8_t *b, size_t n)
{
	struct mbuf *mb = mbuf_alloc(n);

	(void)mbuf_write_mem(mb, b, n);
	mb->pos = 0;
	CU_ASSERT_EQUAL(tcp_send(p->tc, mb), 0);
	mem_deref(mb);
}


/* d to the HSS, then the answer it gave (NULL when none came) */
static const struct diam *ask(struct peer *p, const struct diam *d)
{
	struct mbuf *mb = NULL;
	unsigned before = p->got;

	CU_ASSERT_EQUAL_FATAL(diam_encode(d, &mb), 0);
	send_bytes(p, mbuf_buf(mb), mbuf_get_left(mb));
	mem_deref(mb);
	test_run_for(WAIT_MS);

	return p->got > before ? p->last : NULL;
}


static uint32_t result(const struct diam *d, bool *x)
{
	uint32_t code = 0;

	if (d)
		(void)diam_result(d, &code, x);

	return code;
}


static void cer(struct peer *p)
{
	struct diam_node n = me;
	struct diam *c = NULL;
	const struct diam *a;
	struct sa self;
	char v[64];

	(void)sa_set_str(&self, "127.0.0.1", 0);
	n.addr = &self;

	CU_ASSERT_EQUAL_FATAL(diam_cer(&c, &n), 0);
	a = ask(p, c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_STRING_EQUAL(diam_abbrev(a), "CEA");
	CU_ASSERT_EQUAL(result(a, NULL), 2001);
	CU_ASSERT(diam_offers_cx(a));
	CU_ASSERT_EQUAL(diam_find_str(a, NULL, "Origin-Host", v, sizeof(v)),
			0);
	CU_ASSERT_STRING_EQUAL(v, "hss.ims.test");
	mem_deref(c);
}


static struct diam *uar(const char *impi, const char *impu)
{
	struct cx_ask a = {.cmd = CX_CMD_UAR, .type = CX_UAR_REGISTRATION};
	struct diam_node hssn = {"hss.ims.test", "ims.test", NULL};
	struct diam *d = NULL;

	str_ncpy(a.impi, impi, sizeof(a.impi));
	if (impu)
		str_ncpy(a.impu, impu, sizeof(a.impu));
	str_ncpy(a.visited, "ims.test", sizeof(a.visited));
	CU_ASSERT_EQUAL(cxw_request(&d, &me, &hssn, "icscf.peer.test;1;1",
				    &a), 0);

	return d;
}


static void test_before_cer(void)
{
	struct diam *d = uar("alice@ims.test", "sip:alice@ims.test");
	struct peer p;

	peer_open(&p);
	CU_ASSERT_PTR_NULL(ask(&p, d));
	CU_ASSERT(p.closed);
	peer_close(&p);
	mem_deref(d);
}


static void test_no_common_app(void)
{
	struct diam *c = NULL;
	const struct diam *a;
	struct peer p;

	/* a CER that offers only the base accounting application */
	CU_ASSERT_EQUAL_FATAL(diam_request(&c, "Capabilities-Exchange-"
					   "Request"), 0);
	(void)diam_put_str(c, NULL, "Origin-Host", me.host);
	(void)diam_put_str(c, NULL, "Origin-Realm", me.realm);
	(void)diam_put_u32(c, NULL, "Acct-Application-Id", 3);

	peer_open(&p);
	a = ask(&p, c);
	CU_ASSERT_EQUAL(result(a, NULL), 5010);
	CU_ASSERT(p.closed);
	peer_close(&p);
	mem_deref(c);
}


static void test_cx(void)
{
	struct diam *d;
	const struct diam *a;
	struct peer p;
	char v[128];
	bool x = false;

	peer_open(&p);
	cer(&p);

	d = uar("alice@ims.test", "sip:alice@ims.test");
	a = ask(&p, d);
	CU_ASSERT_EQUAL(result(a, &x), 2001);
	CU_ASSERT(x);
	CU_ASSERT_EQUAL(diam_find_str(a, NULL, "Session-Id", v, sizeof(v)),
			0);
	CU_ASSERT_STRING_EQUAL(v, "icscf.peer.test;1;1");
	mem_deref(d);

	d = uar("stranger@ims.test", "sip:stranger@ims.test");
	a = ask(&p, d);
	CU_ASSERT_EQUAL(result(a, &x), 5001);
	CU_ASSERT(x);
	mem_deref(d);

	/* TS 29.229 6.1.1 wants Public-Identity: 5005 names it */
	d = uar("alice@ims.test", NULL);
	a = ask(&p, d);
	CU_ASSERT_EQUAL(result(a, &x), 5005);
	CU_ASSERT(!x);
	CU_ASSERT_PTR_NOT_NULL(diam_find(a, diam_find(a, NULL, "Failed-AVP"),
					 "Public-Identity"));
	mem_deref(d);

	CU_ASSERT(!p.closed);
	peer_close(&p);
}


static void test_errors(void)
{
	/* AVP 9999, the M bit, 4 bytes of value */
	static const uint8_t unknown[] = {
		0, 0, 0x27, 0x0f, 0x40, 0, 0, 12, 1, 2, 3, 4
	};
	struct diam *d = NULL;
	size_t len;
	const struct diam *a;
	struct diam_hdr h;
	struct mbuf *mb = NULL;
	struct peer p;

	peer_open(&p);
	cer(&p);

	/* another application: 3007 with the E bit */
	d = uar("alice@ims.test", "sip:alice@ims.test");
	CU_ASSERT_EQUAL_FATAL(diam_encode(d, &mb), 0);
	mb->buf[11] = 4;                /* Application-Id 16777220 */
	send_bytes(&p, mb->buf, mb->end);
	test_run_for(WAIT_MS);
	CU_ASSERT_EQUAL(result(p.last, NULL), 3007);
	CU_ASSERT_EQUAL(diam_header(p.last, &h), 0);
	CU_ASSERT(h.flags & 0x20);

	/* the same request again, split in two segments */
	mb->buf[11] = 0;
	send_bytes(&p, mb->buf, 30);
	test_run_for(20);
	send_bytes(&p, mb->buf + 30, mb->end - 30);
	test_run_for(WAIT_MS);
	CU_ASSERT_EQUAL(result(p.last, NULL), 2001);
	mb = mem_deref(mb);
	d = mem_deref(d);

	/* an AVP nobody knows, with the M bit: 5001 without the E bit */
	d = uar("alice@ims.test", "sip:alice@ims.test");
	CU_ASSERT_EQUAL_FATAL(diam_encode(d, &mb), 0);
	len = mb->end + sizeof(unknown);
	mb->pos = mb->end;
	(void)mbuf_write_mem(mb, unknown, sizeof(unknown));
	mb->buf[1] = (uint8_t)(len >> 16);
	mb->buf[2] = (uint8_t)(len >> 8);
	mb->buf[3] = (uint8_t)len;
	send_bytes(&p, mb->buf, mb->end);
	test_run_for(WAIT_MS);
	CU_ASSERT_EQUAL(result(p.last, NULL), 5001);
	CU_ASSERT_EQUAL(diam_header(p.last, &h), 0);
	CU_ASSERT(!(h.flags & 0x20));
	CU_ASSERT(!p.closed);
	mb = mem_deref(mb);
	d = mem_deref(d);

	/* an RTR is the HSS's to send: 3001 */
	CU_ASSERT_EQUAL_FATAL(diam_request(&d,
				"Registration-Termination-Request"), 0);
	(void)cxw_head(d, &me, "x;1;2", 0, false);
	a = ask(&p, d);
	CU_ASSERT_EQUAL(result(a, NULL), 3001);
	d = mem_deref(d);

	/* the watchdog, then goodbye */
	CU_ASSERT_EQUAL_FATAL(diam_dwr(&d, &me), 0);
	a = ask(&p, d);
	CU_ASSERT_PTR_NOT_NULL(a);
	CU_ASSERT_STRING_EQUAL(a ? diam_abbrev(a) : "", "DWA");
	d = mem_deref(d);
	CU_ASSERT(!p.closed);

	CU_ASSERT_EQUAL_FATAL(diam_dpr(&d, &me, 2), 0);
	a = ask(&p, d);
	CU_ASSERT_STRING_EQUAL(a ? diam_abbrev(a) : "", "DPA");
	CU_ASSERT(p.closed);
	mem_deref(d);
	peer_close(&p);
}


/* A header that is no Diameter's: the stream cannot go on */
static void test_garbage(void)
{
	static const uint8_t junk[] = "GET / HTTP/1.1\r\n\r\n\0\0";
	struct peer p;

	peer_open(&p);
	cer(&p);
	send_bytes(&p, junk, 20);
	test_run_for(WAIT_MS);
	CU_ASSERT(p.closed);
	peer_close(&p);

	/* and the server still serves the next peer */
	peer_open(&p);
	cer(&p);
	peer_close(&p);
}


/* A peer that dials again without closing (cdp): the new connection
 * is the peer, the old one goes */
static void test_replaced(void)
{
	struct peer a, b;

	peer_open(&a);
	cer(&a);
	CU_ASSERT_EQUAL(hss_diameter_peers(hss, NULL), 1);
	peer_open(&b);
	cer(&b);
	CU_ASSERT(a.closed);
	CU_ASSERT(!b.closed);
	CU_ASSERT_EQUAL(hss_diameter_peers(hss, NULL), 1);
	peer_close(&a);
	peer_close(&b);
	CU_ASSERT_EQUAL(hss_diameter_peers(hss, NULL), 0);
}


static void rta_h(int err, uint32_t code, void *arg)
{
	int *got = arg;

	got[0] = err;
	got[1] = (int)code;
	got[2] = 1;
}


/* The HSS's own RTR goes to an S-CSCF outside the process over the
 * connection it opened; its RTA frees the assignment, and no RTA is
 * said so */
static void test_rtr(void)
{
	struct cx_ask a = {.cmd = CX_CMD_SAR, .type = CX_SAR_REGISTRATION};
	struct diam_node hssn = {"hss.ims.test", "ims.test", NULL};
	struct diam *d = NULL, *rta = NULL;
	enum cx_result code;
	struct peer p;
	int got[3] = {0, 0, 0};
	char v[128];

	peer_open(&p);
	cer(&p);

	/* the peer, as S-CSCF sip:icscf.peer.test, takes alice */
	str_ncpy(a.impi, "alice@ims.test", sizeof(a.impi));
	str_ncpy(a.impu, "sip:alice@ims.test", sizeof(a.impu));
	str_ncpy(a.server, "sip:icscf.peer.test:5060", sizeof(a.server));
	CU_ASSERT_EQUAL_FATAL(cxw_request(&d, &me, &hssn, "s;1;9", &a), 0);
	CU_ASSERT_EQUAL(result(ask(&p, d), NULL), 2001);
	d = mem_deref(d);

	CU_ASSERT_EQUAL(hss_rtr(hss, "sip:alice@ims.test",
				CX_DEREG_PERMANENT_TERMINATION, NULL, &code,
				rta_h, got), EINPROGRESS);
	test_run_for(WAIT_MS);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p.last);
	CU_ASSERT_STRING_EQUAL(diam_abbrev(p.last), "RTR");
	CU_ASSERT_EQUAL(diam_find_str(p.last, NULL, "Destination-Host", v,
				      sizeof(v)), 0);
	CU_ASSERT_STRING_EQUAL(v, "icscf.peer.test");
	CU_ASSERT_EQUAL(diam_find_str(p.last, NULL, "Public-Identity", v,
				      sizeof(v)), 0);
	CU_ASSERT_STRING_EQUAL(v, "sip:alice@ims.test");
	CU_ASSERT(!got[2]);

	CU_ASSERT_EQUAL_FATAL(diam_answer(&rta, p.last), 0);
	(void)cxw_head(rta, &me, NULL, 2001, false);
	(void)ask(&p, rta);
	CU_ASSERT(got[2]);
	CU_ASSERT_EQUAL(got[0], 0);
	CU_ASSERT_EQUAL(got[1], 2001);
	rta = mem_deref(rta);

	/* let go: a second RTR has nobody to go to */
	CU_ASSERT_EQUAL(hss_rtr(hss, "sip:alice@ims.test",
				CX_DEREG_PERMANENT_TERMINATION, NULL, &code,
				rta_h, got), ENOTCONN);

	/* registered again, and this time the peer keeps silent */
	a.type = CX_SAR_REGISTRATION;
	CU_ASSERT_EQUAL_FATAL(cxw_request(&d, &me, &hssn, "s;1;10", &a), 0);
	CU_ASSERT_EQUAL(result(ask(&p, d), NULL), 2001);
	d = mem_deref(d);
	memset(got, 0, sizeof(got));
	CU_ASSERT_EQUAL(hss_rtr(hss, "sip:alice@ims.test",
				CX_DEREG_PERMANENT_TERMINATION, NULL, &code,
				rta_h, got), EINPROGRESS);
	test_run_for(5000);
	CU_ASSERT(got[2]);
	CU_ASSERT_EQUAL(got[0], ETIMEDOUT);

	peer_close(&p);
}


static const CU_TestInfo tests[] = {
	{"a request before CER closes the connection", test_before_cer},
	{"a CER without Cx: 5010 and closed", test_no_common_app},
	{"UAR answered: 2001, 5001, 5005 naming the AVP", test_cx},
	{"3007, a split message, 5001, 3001, DWR, DPR", test_errors},
	{"garbage ends the connection, not the server", test_garbage},
	{"the same peer again: the old connection goes", test_replaced},
	{"RTR to a peer S-CSCF: RTA, and none", test_rtr},
	CU_TEST_INFO_NULL,
};


int test_cx_server_suite(void)
{
	return test_suite_add("cx-server", init, fini, tests);
}
