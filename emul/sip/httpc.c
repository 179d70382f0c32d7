/* SPDX-License-Identifier: BSD-3-Clause */
/* httpc: a small HTTP/1.1 client on libre TCP.  Unlike libre's http_cli it
 * connects from the sending node's own address and traces the request it
 * writes, so HTTP shows in the ladder and trace like SIP does. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"

enum {
	TIMEOUT_MS = 5000,      /* whole exchange: connect, request, answer */
	RESP_MAX   = 1 << 20,   /* a larger answer is refused */
};

/* Owned by itself until resph has run, as libre's http_req is: the
 * caller's *reqp is a weak pointer, cleared before resph. */
struct httpc {
	struct httpc **reqp;
	struct tcp_conn *tc;
	struct wtmr tmr;                /* 0 ms deferral, then the timeout */
	struct mbuf *req;
	struct mbuf *rx;
	const struct node *from;
	struct sa dst;
	int err;                /* reported by the deferral */
	httpc_resp_h *resph;
	void *arg;
};


static void destructor(void *arg)
{
	struct httpc *h = arg;

	wtmr_cancel(&h->tmr);
	mem_deref(h->tc);
	mem_deref(h->req);
	mem_deref(h->rx);
}


/* The one exit.  *reqp is cleared first, so that resph may start the
 * next request into the same pointer; then the request frees itself.
 * The callers touch nothing of h after this. */
static void complete(struct httpc *h, int err, const struct http_msg *msg)
{
	wtmr_cancel(&h->tmr);
	h->tc = mem_deref(h->tc);

	if (h->reqp) {
		*h->reqp = NULL;
		h->reqp = NULL;
	}

	h->resph(err, msg, h->arg);
	mem_deref(h);
}


static void timeout_handler(void *arg)
{
	struct httpc *h = arg;

	elog(LOG_INFO, node_name(h->from), "http", "no answer from %J",
	     &h->dst);
	complete(h, ETIMEDOUT, NULL);
}


static void deferred_handler(void *arg)
{
	struct httpc *h = arg;

	complete(h, h->err, NULL);
}


static void trace(const struct httpc *h)
{
	struct msgrec rec;
	struct sa laddr;

	if (tcp_conn_local_get(h->tc, &laddr))
		laddr = *node_addr(h->from);

	memset(&rec, 0, sizeof(rec));
	rec.t = emul_time();
	rec.proto = "http";
	rec.tp = SIP_TRANSP_TCP;
	rec.src = node_name(h->from);
	rec.dst = emul_peer_name(&h->dst);
	rec.src_addr = laddr;
	rec.dst_addr = h->dst;
	rec.raw = h->req->buf;
	rec.len = h->req->end;

	msgrec_emit(&rec);
}


static void estab_handler(void *arg)
{
	struct httpc *h = arg;
	int err;

	h->req->pos = 0;
	err = tcp_send(h->tc, h->req);
	if (err) {
		complete(h, err, NULL);
		return;
	}

	trace(h);
}


/* Decodes the answer in h->rx; with 'closed' the peer has finished.
 * ENODATA while more is to come. */
static int decode(struct httpc *h, bool closed, struct http_msg **msgp)
{
	struct http_msg *msg;
	size_t left;
	int err;

	h->rx->pos = 0;
	err = http_msg_decode(&msg, h->rx, false);
	if (err == ENODATA)
		return closed ? EBADMSG : ENODATA;
	if (err)
		return EBADMSG;

	/* no chunked decoder here: the modules always send a length */
	if (http_msg_hdr_has_value(msg, HTTP_HDR_TRANSFER_ENCODING,
				   "chunked")) {
		err = EBADMSG;
		goto out;
	}

	left = mbuf_get_left(h->rx);
	if (http_msg_hdr(msg, HTTP_HDR_CONTENT_LENGTH)) {
		if (left < msg->clen) {
			err = closed ? EBADMSG : ENODATA;
			goto out;
		}
		left = msg->clen;
	}
	else if (!closed) {
		/* RFC 9112 6.3: without a length, the body ends at close */
		err = ENODATA;
		goto out;
	}

	/* msg->mb holds exactly the body */
	err = mbuf_write_mem(msg->mb, mbuf_buf(h->rx), left);
	if (err)
		goto out;
	msg->mb->pos = 0;
	msg->clen = (uint32_t)left;

 out:
	if (err)
		mem_deref(msg);
	else
		*msgp = msg;

	return err;
}


static void finish(struct httpc *h, bool closed)
{
	struct http_msg *msg = NULL;
	int err;

	err = decode(h, closed, &msg);
	if (err == ENODATA)
		return;

	if (err)
		elog(LOG_INFO, node_name(h->from), "http", "bad answer from "
		     "%J", &h->dst);

	complete(h, err, msg);
	mem_deref(msg);
}


static void recv_handler(struct mbuf *mb, void *arg)
{
	struct httpc *h = arg;
	int err;

	if (!h->rx) {
		h->rx = mbuf_alloc(1024);
		if (!h->rx) {
			complete(h, ENOMEM, NULL);
			return;
		}
	}

	if (h->rx->end + mbuf_get_left(mb) > RESP_MAX) {
		complete(h, EOVERFLOW, NULL);
		return;
	}

	h->rx->pos = h->rx->end;
	err = mbuf_write_mem(h->rx, mbuf_buf(mb), mbuf_get_left(mb));
	if (err) {
		complete(h, err, NULL);
		return;
	}

	finish(h, false);
}


static void close_handler(int err, void *arg)
{
	struct httpc *h = arg;

	/* a refused connect comes here with ECONNREFUSED */
	if (err) {
		complete(h, err, NULL);
		return;
	}

	if (!h->rx) {
		complete(h, ECONNRESET, NULL);
		return;
	}

	finish(h, true);
}


/* RFC 9110 9.3: POST and PUT give their content a meaning, so they say
 * its length even when it is empty */
static int print_request(struct mbuf *mb, const char *host,
			 const char *method, const char *path,
			 const char *auth, const char *ctype, const char *body)
{
	bool content = body || !strcmp(method, "POST") ||
		!strcmp(method, "PUT");
	size_t blen = body ? strlen(body) : 0;
	int err;

	err = mbuf_printf(mb, "%s %s HTTP/1.1\r\n"
			  "Host: %s\r\n", method, path, host);
	if (!err && auth)
		err = mbuf_printf(mb, "Authorization: %s\r\n", auth);
	if (!err)
		err = mbuf_write_str(mb, "Accept: application/json\r\n"
				     "User-Agent: imsbed\r\n"
				     "Connection: close\r\n");
	if (!err && content && ctype)
		err = mbuf_printf(mb, "Content-Type: %s\r\n", ctype);
	if (!err && content)
		err = mbuf_printf(mb, "Content-Length: %zu\r\n", blen);
	if (!err)
		err = mbuf_write_str(mb, "\r\n");
	if (!err && blen)
		err = mbuf_write_mem(mb, (const uint8_t *)body, blen);

	return err;
}


int httpc_request(struct httpc **reqp, struct node *from,
		  const struct sa *dst, const char *host, const char *method,
		  const char *path, const char *auth, const char *ctype,
		  const char *body, httpc_resp_h *resph, void *arg)
{
	struct httpc *h;
	struct sa laddr;
	int err;

	if (!from || !dst || !host || !method || !path || !resph)
		return EINVAL;

	h = mem_zalloc(sizeof(*h), destructor);
	if (!h)
		return ENOMEM;

	h->from = from;
	h->dst = *dst;
	h->resph = resph;
	h->arg = arg;

	h->req = mbuf_alloc(256);
	if (!h->req) {
		err = ENOMEM;
		goto out;
	}

	err = print_request(h->req, host, method, path, auth, ctype, body);
	if (err)
		goto out;

	/* every failure from here on goes through resph, never from
	 * inside this call: the caller's *reqp is set first */
	if (!netguard_allowed(dst)) {
		h->err = EACCES;
		goto defer;
	}

	/* bound to the node's own address, port 0: the flow shows who
	 * is talking, as the node's SIP does */
	laddr = *node_addr(from);
	sa_set_port(&laddr, netguard_port());

	h->err = tcp_conn_alloc(&h->tc, dst, estab_handler, recv_handler,
				close_handler, h);
	while (!h->err && (h->err = tcp_conn_bind(h->tc, &laddr)) ==
	       EADDRINUSE && sa_port(&laddr))
		sa_set_port(&laddr, netguard_port());
	if (!h->err)
		h->err = tcp_conn_connect(h->tc, dst);
	if (h->err)
		goto defer;

	wtmr_start(&h->tmr, TIMEOUT_MS, timeout_handler, h);
	goto out;

 defer:
	h->tc = mem_deref(h->tc);
	wtmr_start(&h->tmr, 0, deferred_handler, h);

 out:
	if (err) {
		mem_deref(h);
	}
	else if (reqp) {
		h->reqp = reqp;
		*reqp = h;
	}

	return err;
}


int httpc_get(struct httpc **reqp, struct node *from, const struct sa *dst,
	      const char *host, const char *path, const char *auth,
	      httpc_resp_h *resph, void *arg)
{
	return httpc_request(reqp, from, dst, host, "GET", path, auth, NULL,
			     NULL, resph, arg);
}
