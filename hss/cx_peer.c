/* SPDX-License-Identifier: BSD-3-Clause */
/* The HSS as a Diameter server on TCP, in the event loop: an I- or
 * S-CSCF outside the process (Kamailio's cdp, say) connects, exchanges
 * capabilities, and asks Cx.  Per connection the peer state machine of
 * RFC 6733 5.6 as a responder needs it: the CER first (anything else
 * before it closes the connection, 5.6.1), CEA 2001 when the peer
 * offers Cx and 5010 DIAMETER_NO_COMMON_APPLICATION when not; then
 * requests answered by cx_serve.c, DWR answered and sent after Tw of
 * silence with the connection closed when two go unanswered (RFC 3539
 * 3.4.1), DPR answered and the connection closed.  Every message in or
 * out is recorded (proto diameter) as the in-process Cx is. */

#include <string.h>
#include <re.h>
#include "diam.h"
#include "host.h"
#include "hss.h"
#include "hssint.h"

/* RFC 3539 3.4.1: Tw, the watchdog's interval (at least 6 s); how long
 * the HSS waits for the answer to its own request */
enum { DIAM_TW_MS = 30000, DIAM_ANSWER_MS = 4000 };

struct cx_server {
	struct hss *hss;                /* not referenced: it owns us */
	struct tcp_sock *ts;
	struct sa laddr;
	struct list conns;
};

struct dconn {
	struct le le;
	struct cx_server *srv;
	struct tcp_conn *tc;
	struct mbuf *rx;                /* bytes of a message not yet whole */
	struct sa peer;
	char name[64];                  /* the ladder's: ext, a peer's */
	char host[128];                 /* its Origin-Host, after CER */
	bool open;                      /* CER/CEA done: state I-Open */
	unsigned unanswered;            /* DWRs without DWA */
	uint32_t hbh;
	struct wtmr tw;
	struct list pending;            /* the HSS's requests, unanswered */
};

/* A request the HSS sent (RTR), waiting for its answer. */
struct dreq {
	struct le le;
	struct dconn *c;
	uint32_t hbh;
	cx_answer_h *ah;
	void *arg;
	struct wtmr tmr;
};


static void dreq_destructor(void *arg)
{
	struct dreq *r = arg;

	wtmr_cancel(&r->tmr);
	list_unlink(&r->le);
}


/* The answer, or why none comes: the request is done with. */
static void dreq_end(struct dreq *r, int err, uint32_t code)
{
	cx_answer_h *ah = r->ah;
	void *arg = r->arg;

	mem_deref(r);
	ah(err, code, arg);
}


static void conn_destructor(void *arg)
{
	struct dconn *c = arg;

	/* torn down with the HSS: whoever waits goes with it */
	list_flush(&c->pending);
	wtmr_cancel(&c->tw);
	list_unlink(&c->le);
	mem_deref(c->tc);
	mem_deref(c->rx);
}


static void record(const struct dconn *c, bool in, const uint8_t *p,
		   size_t n)
{
	const struct hss *hss = c->srv->hss;
	struct msgrec rec;

	memset(&rec, 0, sizeof(rec));
	rec.t = emul_time();
	rec.proto = "diameter";
	rec.tp = SIP_TRANSP_TCP;
	rec.src = in ? c->name : hss_name(hss);
	rec.dst = in ? hss_name(hss) : c->name;
	rec.src_addr = in ? c->peer : c->srv->laddr;
	rec.dst_addr = in ? c->srv->laddr : c->peer;
	rec.raw = p;
	rec.len = n;
	msgrec_emit(&rec);
}


static void conn_close(struct dconn *c, const char *why)
{
	elog(LOG_INFO, hss_name(c->srv->hss), "cx", "Diameter peer %s (%J):"
	     " %s", c->host[0] ? c->host : "?", &c->peer, why);
	while (c->pending.head)
		dreq_end(c->pending.head->data, ECONNRESET, 0);
	mem_deref(c);
}


static int send_msg(struct dconn *c, const struct diam *d)
{
	struct mbuf *mb = NULL;
	int err;

	err = diam_encode(d, &mb);
	if (err)
		return err;

	record(c, false, mbuf_buf(mb), mbuf_get_left(mb));
	err = tcp_send(c->tc, mb);
	mem_deref(mb);

	return err;
}


static void watchdog(void *arg);


static void tw_restart(struct dconn *c)
{
	wtmr_start(&c->tw, DIAM_TW_MS, watchdog, c);
}


static void watchdog(void *arg)
{
	struct dconn *c = arg;
	struct diam_node self;
	struct diam *dwr = NULL;

	if (c->unanswered >= 2) {
		conn_close(c, "no DWA to two watchdogs: closed");
		return;
	}

	hss_diameter_node(c->srv->hss, &self);
	if (!diam_dwr(&dwr, &self)) {
		(void)diam_set_hbh(dwr, ++c->hbh);
		(void)send_msg(c, dwr);
		++c->unanswered;
	}
	mem_deref(dwr);
	tw_restart(c);
}


/* A peer that gave up on a connection may dial again without closing
 * the old one (Kamailio's cdp does): the newest connection of an
 * Origin-Host is the peer, an older one is closed (as the election of
 * RFC 6733 5.6.4 would leave one). */
static void replace_older(const struct dconn *c)
{
	struct le *le = c->srv->conns.head;

	while (le) {
		struct dconn *o = le->data;

		le = le->next;
		if (o != c && o->open && !str_casecmp(o->host, c->host))
			conn_close(o, "replaced by a new connection from the"
				   " same peer");
	}
}


/* RFC 6733 5.3: the peer's capabilities, and ours back */
static bool on_cer(struct dconn *c, const struct diam *cer,
		   const struct diam_node *self)
{
	struct diam *cea = NULL;
	bool common = diam_offers_cx(cer);

	(void)diam_find_str(cer, NULL, "Origin-Host", c->host,
			    sizeof(c->host));
	if (!diam_cea(&cea, cer, self, common ? 2001 : 5010))
		(void)send_msg(c, cea);
	mem_deref(cea);

	if (!common) {
		conn_close(c, "offers no Cx in its CER (5010): closed");
		return false;
	}

	c->open = true;
	elog(LOG_INFO, hss_name(c->srv->hss), "cx", "Diameter peer %s (%J) "
	     "open", c->host, &c->peer);
	replace_older(c);

	return true;
}


static void on_answer(struct dconn *c, const struct diam *d)
{
	struct diam_hdr h;
	uint32_t code = 0;
	struct le *le;

	if (diam_header(d, &h))
		return;

	for (le = c->pending.head; le; le = le->next) {
		struct dreq *r = le->data;

		if (r->hbh != h.hbh)
			continue;
		if (diam_result(d, &code, NULL))
			code = 0;
		dreq_end(r, 0, code);
		return;
	}
}


static void answer_timeout(void *arg)
{
	struct dreq *r = arg;

	elog(LOG_INFO, hss_name(r->c->srv->hss), "cx", "Diameter peer %s: "
	     "no answer within %u ms", r->c->host, DIAM_ANSWER_MS);
	dreq_end(r, ETIMEDOUT, 0);
}


/* The HSS's own request a (RTR) to the open peer of that Origin-Host,
 * over the connection it opened (a CSCF's cdp takes none); ah gets the
 * answer's result code, or ETIMEDOUT or ECONNRESET. */
int cx_server_request(struct cx_server *srv, const char *host,
		      const struct cx_ask *a, cx_answer_h *ah, void *arg)
{
	struct diam_node self, peer;
	struct dconn *c = NULL;
	struct diam *d = NULL;
	struct dreq *r;
	char sid[160];
	struct le *le;
	int err;

	if (!srv || !host || !a || !ah)
		return EINVAL;

	for (le = srv->conns.head; le && !c; le = le->next) {
		struct dconn *o = le->data;

		if (o->open && !str_casecmp(o->host, host))
			c = o;
	}
	if (!c)
		return ENOTCONN;

	hss_diameter_node(srv->hss, &self);
	peer.host = c->host;
	peer.realm = self.realm;
	peer.addr = &c->peer;
	(void)re_snprintf(sid, sizeof(sid), "%s;2;%u", self.host, ++c->hbh);
	err = cxw_request(&d, &self, &peer, sid, a);
	if (err)
		return err;
	(void)diam_set_hbh(d, c->hbh);
	(void)diam_set_e2e(d, c->hbh);

	r = mem_zalloc(sizeof(*r), dreq_destructor);
	if (!r) {
		mem_deref(d);
		return ENOMEM;
	}
	r->c = c;
	r->hbh = c->hbh;
	r->ah = ah;
	r->arg = arg;

	err = send_msg(c, d);
	mem_deref(d);
	if (err) {
		mem_deref(r);
		return err;
	}

	list_append(&c->pending, &r->le, r);
	wtmr_start(&r->tmr, DIAM_ANSWER_MS, answer_timeout, r);

	return 0;
}


/* One whole message from the peer; false once c is gone. */
static bool on_msg(struct dconn *c, const struct diam *d)
{
	struct diam *ans = NULL;
	struct diam_node self;
	uint32_t code = diam_command(d);
	bool req = diam_is_request(d), alive = true;

	hss_diameter_node(c->srv->hss, &self);

	if (!c->open) {
		if (code == 257 && req)
			return on_cer(c, d, &self);
		conn_close(c, "sent something before its CER: closed");
		return false;
	}

	if (!req) {
		/* DWA, an answer to the HSS's request, or to nothing: the
		 * peer is alive */
		c->unanswered = 0;
		on_answer(c, d);
		return true;
	}

	switch (code) {

	case 280:
		(void)diam_dwa(&ans, d, &self);
		break;
	case 282:
		(void)diam_dpa(&ans, d, &self);
		alive = false;
		break;
	default:
		(void)hss_cx_answer(c->srv->hss, d, &ans);
		break;
	}

	if (ans)
		(void)send_msg(c, ans);
	mem_deref(ans);

	if (!alive)
		conn_close(c, "disconnected by DPR");

	return alive;
}


/* A request whose AVPs could not be read is answered from its header
 * with the code the parser named (5001 DIAMETER_AVP_UNSUPPORTED for an
 * unknown AVP with the M bit, 5004 for a bad value, RFC 6733 7.1.5). */
static void on_unreadable(struct dconn *c, const uint8_t *p, size_t n,
			  const char *why)
{
	uint32_t code = diam_result_code(why);
	struct diam *ans = NULL;
	struct diam_node self;
	struct diam_hdr h;

	elog(LOG_INFO, hss_name(c->srv->hss), "cx", "from %J: %s", &c->peer,
	     why);
	if (diam_peek(p, n, &h) || !(h.flags & 0x80))
		return;

	hss_diameter_node(c->srv->hss, &self);
	if (!diam_answer_error(&ans, &h, &self, code ? code : 5004, why))
		(void)send_msg(c, ans);
	mem_deref(ans);
}


static void recv_handler(struct mbuf *mb, void *arg)
{
	struct dconn *c = arg;
	char why[160] = "";
	size_t len;
	int err;

	tw_restart(c);
	err = mbuf_write_mem(c->rx, mbuf_buf(mb), mbuf_get_left(mb));
	c->rx->pos = 0;

	while (!err) {
		struct diam *d = NULL;
		const uint8_t *p = mbuf_buf(c->rx);
		bool alive;

		err = diam_frame(p, mbuf_get_left(c->rx), &len, why,
				 sizeof(why));
		if (err) {
			conn_close(c, why);
			return;
		}
		if (!len)
			break;

		record(c, true, p, len);
		if (diam_decode(&d, p, len, why, sizeof(why))) {
			on_unreadable(c, p, len, why);
			alive = true;
		}
		else {
			alive = on_msg(c, d);
		}
		mem_deref(d);
		if (!alive)
			return;
		mbuf_advance(c->rx, (ssize_t)len);
	}

	/* keep only what is left of the next message */
	if (c->rx->pos) {
		size_t left = mbuf_get_left(c->rx);

		memmove(c->rx->buf, mbuf_buf(c->rx), left);
		c->rx->end = left;
	}
	c->rx->pos = c->rx->end;
}


static void close_handler(int err, void *arg)
{
	struct dconn *c = arg;

	conn_close(c, err ? "connection lost" : "connection closed");
}


/* An external node of the topology (a real core's CSCF) connects from
 * its own IP and any port: it is named as the node. */
static const char *peer_name(const struct sa *peer)
{
	const struct node *n = emul_node_by_addr(peer);

	return node_external(n) ? node_name(n) : emul_outside_name(peer);
}


static void conn_handler(const struct sa *peer, void *arg)
{
	struct cx_server *srv = arg;
	struct dconn *c;
	int err;

	c = mem_zalloc(sizeof(*c), conn_destructor);
	if (!c) {
		tcp_reject(srv->ts);
		return;
	}

	c->srv = srv;
	c->peer = *peer;
	str_ncpy(c->name, peer_name(peer), sizeof(c->name));
	c->rx = mbuf_alloc(4096);
	err = c->rx ? tcp_accept(&c->tc, srv->ts, NULL, recv_handler,
				 close_handler, c) : ENOMEM;
	if (err) {
		mem_deref(c);
		tcp_reject(srv->ts);
		return;
	}

	list_append(&srv->conns, &c->le, c);
	tw_restart(c);
}


static void server_destructor(void *arg)
{
	struct cx_server *srv = arg;

	list_flush(&srv->conns);
	mem_deref(srv->ts);
}


/* The open peers' Origin-Hosts, ", "-joined into mb; how many */
unsigned cx_server_peers(const struct cx_server *srv, struct mbuf *mb)
{
	struct le *le;
	unsigned n = 0;

	for (le = srv ? srv->conns.head : NULL; le; le = le->next) {
		const struct dconn *c = le->data;

		if (!c->open)
			continue;
		if (mb)
			(void)mbuf_printf(mb, "%s%s", n ? ", " : "", c->host);
		++n;
	}

	return n;
}


int cx_server_alloc(struct cx_server **srvp, struct hss *hss,
		    const struct sa *laddr)
{
	struct cx_server *srv;
	int err;

	if (!srvp || !hss || !laddr)
		return EINVAL;
	if (!netguard_allowed(laddr))
		return EACCES;

	srv = mem_zalloc(sizeof(*srv), server_destructor);
	if (!srv)
		return ENOMEM;

	srv->hss = hss;
	srv->laddr = *laddr;
	err = tcp_listen(&srv->ts, laddr, conn_handler, srv);
	if (err) {
		mem_deref(srv);
		return err;
	}

	elog(LOG_INFO, hss_name(hss), "cx", "Diameter server on %J", laddr);
	*srvp = srv;

	return 0;
}
