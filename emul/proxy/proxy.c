/* SPDX-License-Identifier: BSD-3-Clause */
/* The proxy core: one server transaction paired with one client
 * transaction per forwarded request (RFC 3261 16 and 17), on imsbed's
 * transaction layer, so that retransmissions are absorbed, INVITE gets
 * its 100 Trying, CANCEL follows its INVITE and timeouts become 408.  The
 * CSCF policies say where a request goes and what it carries; this file
 * does the forwarding, written once for all three. */

#include <stdarg.h>
#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "tsx.h"
#include "proxy.h"
#include "proxyint.h"

static void replace_flush(struct ptx *t)
{
	while (t->repc) {
		--t->repc;
		t->rep_linev[t->repc] = mem_deref(t->rep_linev[t->repc]);
	}
}


static void ptx_destructor(void *arg)
{
	struct ptx *t = arg;

	list_unlink(&t->le);
	wtmr_cancel(&t->linger);
	replace_flush(t);
	list_flush(&t->branchl);
	list_flush(&t->acceptedl);
	mem_deref(t->best);
	mem_deref(t->st);
	mem_deref(t->msg);
	mem_deref(t->arg);
}


static void branch_destructor(void *arg)
{
	struct branch *b = arg;

	list_unlink(&b->le);
	mem_deref(b->req);
}


static void proxy_destructor(void *arg)
{
	struct proxy *px = arg;

	list_flush(&px->ptxl);
	mem_deref(px->rr);
}


bool proxy_recv(struct proxy *px, const struct sip_msg *msg)
{
	bool ack = !pl_strcmp(&msg->met, "ACK");

	/* RFC 3261 16.3: an ACK is never answered, so it is not checked. */
	if (!ack && proxy_validate(px, msg))
		return true;

	if (px->pol->admit && px->pol->admit(px->impl, msg))
		return true;

	if (ack) {
		struct proxy_fwd fwd;

		proxy_fwd_init(&fwd, px, msg);
		(void)proxy_forward_ack(px, msg, &fwd);
		return true;
	}

	px->pol->request(px->impl, msg);

	return true;
}


static bool request_handler(const struct sip_msg *msg, void *arg)
{
	return proxy_recv(arg, msg);
}


static bool stray_handler(const struct sip_msg *msg, void *arg)
{
	return proxy_relay_stray(arg, msg);
}


static int query_handler(struct re_printf *pf, void *arg, const char *what,
			 const char *qarg)
{
	struct proxy *px = arg;

	return px->pol->query ? px->pol->query(pf, px->impl, what, qarg) :
		ENOTSUP;
}


static const struct node_ops ops = {
	.reqh  = request_handler,
	.resph = stray_handler,
	.query = query_handler,
};


static int alloc(struct proxy **pxp, struct node *node,
		 const struct proxy_policy *pol, void *impl, bool own)
{
	struct proxy *px;

	if (!pxp || !node || !pol || !pol->request)
		return EINVAL;

	px = mem_zalloc(sizeof(*px), proxy_destructor);
	if (!px)
		return ENOMEM;

	px->node = node;
	px->pol = pol;
	px->impl = impl;
	if (re_sdprintf(&px->rr, "Record-Route: <sip:%s;lr>\r\n",
			node_host(node))) {
		mem_deref(px);
		return ENOMEM;
	}

	/* The node's transaction layer, there before the first message. */
	if (!tsx_of(node)) {
		mem_deref(px);
		return ENOMEM;
	}

	if (own)
		node_set_impl(node, px, &ops);
	*pxp = px;

	return 0;
}


int proxy_alloc(struct proxy **pxp, struct node *node,
		const struct proxy_policy *pol, void *impl)
{
	return alloc(pxp, node, pol, impl, true);
}


int proxy_alloc_hosted(struct proxy **pxp, struct node *node,
		       const struct proxy_policy *pol, void *impl)
{
	return alloc(pxp, node, pol, impl, false);
}


void proxy_fwd_init(struct proxy_fwd *fwd, const struct proxy *px,
		    const struct sip_msg *msg)
{
	memset(fwd, 0, sizeof(*fwd));
	fwd->pop_route = proxy_route_is_mine(px, msg, NULL);
}


struct node *proxy_node(const struct proxy *px)
{
	return px ? px->node : NULL;
}


const char *proxy_rr(const struct proxy *px)
{
	return px->rr;
}


const char *proxy_supported(const struct proxy *px)
{
	return px->pol->supported;
}


static int relay_response(struct ptx *t, const struct sip_msg *msg)
{
	struct mbuf *mb = NULL;
	struct sa dst;
	int err;

	err = proxy_response_rebuild(&mb, msg, t->rep_idv,
				     (const char *const *)t->rep_linev,
				     t->repc);
	replace_flush(t);
	if (err)
		return err;

	sip_reply_addr(&dst, t->msg, true);
	if (!netguard_allowed(&dst)) {
		netguard_note_drop();
		elog(LOG_WARN, node_name(t->px->node), "route",
		     "response to %J is outside the topology: dropped", &dst);
		err = EACCES;
		goto out;
	}

	err = tsx_relay(&t->st, tsx_of(t->px->node), t->msg, &dst, msg->scode,
			mb);

 out:
	mem_deref(mb);
	return err;
}


/* RFC 3261 16.7.6: a 6xx beats everything, else the lowest class; in
 * a class the first one, unless a later one asks the caller for
 * something it can give (credentials, a body, an extension, digits). */
static bool better(uint16_t sc, uint16_t best)
{
	static const uint16_t informative[] = {401, 407, 415, 420, 484};
	size_t i;

	if (!best)
		return true;
	if ((sc >= 600) != (best >= 600))
		return sc >= 600;
	if (sc / 100 != best / 100)
		return sc / 100 < best / 100;

	for (i = 0; i < ARRAY_SIZE(informative); i++) {
		if (best == informative[i])
			return false;
	}
	for (i = 0; i < ARRAY_SIZE(informative); i++) {
		if (sc == informative[i])
			return true;
	}

	return false;
}


void proxy_cancel_pending(struct ptx *t)
{
	struct le *le;

	for (le = t->branchl.head; le; le = le->next) {
		struct branch *b = le->data;

		tsx_cancel(b->req);
	}
}


static void linger_end(void *arg)
{
	mem_deref(arg);
}


/* A branch has its final answer: when it was the last, the best one
 * goes upstream (unless a 2xx did already) and the ptx ends, or, with
 * branches a 2xx accepted, when their Timer M has run. */
static void settle(struct ptx *t)
{
	if (t->sending || !list_isempty(&t->branchl))
		return;

	if (!t->answered && t->best) {
		/* The policy sees the best failure first, and may send the
		 * request on to other targets instead (sequential forking,
		 * RFC 3261 16.6 and RFC 3841). */
		if (t->resph && !t->cancelled)
			(void)t->resph(0, t->best, t, t->arg);
		if (!list_isempty(&t->branchl)) {
			t->best = mem_deref(t->best);
			t->best_sc = 0;
			return;
		}
		(void)relay_response(t, t->best);
	}
	else if (!t->answered && t->st) {
		/* RFC 3261 16.8: Timer B or F gives 408; a transport error
		 * counts as a 503 (8.1.3.1). */
		(void)proxy_reply(t->px, t->msg, t->best_sc, NULL);
	}

	if (!list_isempty(&t->acceptedl)) {
		if (!wtmr_isrunning(&t->linger))
			wtmr_start(&t->linger, 64 * SIP_T1, linger_end, t);
		return;
	}

	mem_deref(t);
}


static void keep(struct ptx *t, const struct sip_msg *msg, uint16_t sc)
{
	if (!better(sc, t->best_sc))
		return;

	mem_deref(t->best);
	t->best = msg ? mem_ref((void *)msg) : NULL;
	t->best_sc = sc;
}


static void branch_failed(struct branch *b, int err)
{
	struct ptx *t = b->t;

	err = err ? err : ETIMEDOUT;
	elog(LOG_INFO, node_name(t->px->node), "txn",
	     "%r to %r: no response (%m)", &t->msg->met, &t->msg->ruri,
	     err);
	b->req = NULL;
	mem_deref(b);

	/* The policy may send the request on elsewhere (a new branch). */
	if (t->resph && !t->cancelled && t->resph(err, NULL, t, t->arg) &&
	    !list_isempty(&t->branchl))
		return;

	keep(t, NULL, err == ETIMEDOUT ? 408 : 503);
	settle(t);
}


static void response_handler(int err, const struct sip_msg *msg, void *arg)
{
	struct branch *b = arg;
	struct ptx *t = b->t;
	bool invite;

	if (err || !msg) {
		if (b->accepted)
			b->req = NULL;  /* its Timer M */
		else
			branch_failed(b, err);
		return;
	}

	if (msg->scode == 100)
		return;   /* hop by hop: ours went out already */

	invite = !pl_strcmp(&t->msg->met, "INVITE");

	/* 16.7 step 5: provisional and 2xx responses go up at once (every
	 * 2xx of an INVITE); after a final one nothing else does. */
	if (msg->scode < 300 && (!t->answered ||
				 (invite && msg->scode >= 200))) {
		if (t->resph)
			(void)t->resph(0, msg, t, t->arg);
		(void)relay_response(t, msg);
	}
	if (msg->scode < 200 || b->accepted)
		return;

	/* RFC 6026 7.3: the branch stays while its client transaction is
	 * Accepted, so that a 2xx the UAS sends again goes up through here
	 * and the policy, not past them as a stray. */
	if (invite && msg->scode < 300) {
		list_unlink(&b->le);
		list_append(&t->acceptedl, &b->le, b);
		b->accepted = true;
	}
	else {
		b->req = NULL;
		mem_deref(b);
	}

	/* 16.7 step 10: the 2xx (or 6xx) decides; the others are
	 * CANCELled, and their 487s end them. */
	if (msg->scode < 300)
		t->answered = true;
	else
		keep(t, msg, msg->scode);
	if (invite && (msg->scode < 300 || msg->scode >= 600))
		proxy_cancel_pending(t);

	settle(t);
}


static void cancel_handler(void *arg)
{
	struct ptx *t = arg;

	/* RFC 3261 16.10: CANCEL every pending branch; the 487s come back
	 * up through response_handler, and no new branch starts. */
	t->cancelled = true;
	proxy_cancel_pending(t);
}


static int branch_send(struct ptx *t, const struct proxy_fwd *fwd)
{
	struct branch *b;
	int err;

	b = mem_zalloc(sizeof(*b), branch_destructor);
	if (!b)
		return ENOMEM;

	b->t = t;
	list_append(&t->branchl, &b->le, b);
	err = proxy_send(t->px, t->msg, fwd, &b->req, response_handler, b);
	if (err)
		mem_deref(b);

	return err;
}


/* A target that cannot be reached is left out; the others go.  0 when
 * one went, else the last error.  A branch that fails at once does not
 * settle the ptx: the caller does, when no branch is left. */
int proxy_branches_send(struct ptx *t, const struct proxy_fwd *fwdv,
			 size_t n)
{
	size_t i, sent = 0;
	int err = 0;

	t->sending = true;
	for (i = 0; i < n; i++) {
		int e = branch_send(t, &fwdv[i]);

		if (e)
			err = e;
		else
			++sent;
	}
	t->sending = false;

	return sent ? 0 : err;
}


static int ptx_alloc(struct ptx **tp, struct proxy *px,
		     const struct sip_msg *msg)
{
	struct tsxl *l = tsx_of(px->node);
	struct ptx *t;
	int err;

	t = mem_zalloc(sizeof(*t), ptx_destructor);
	if (!t)
		return ENOMEM;

	list_append(&px->ptxl, &t->le, t);
	t->px = px;
	t->msg = mem_ref((void *)msg);

	err = tsx_watch(&t->st, l, msg, cancel_handler, t);

	/* RFC 3261 16.2: a stateful proxy answers INVITE with 100 at
	 * once, so that the upstream stops retransmitting. */
	if (!err && !pl_strcmp(&msg->met, "INVITE"))
		err = tsx_reply(&t->st, l, msg, 100, "Trying");

	if (err)
		mem_deref(t);
	else
		*tp = t;

	return err;
}


int proxy_fork(struct proxy *px, const struct sip_msg *msg,
	       const struct proxy_fwd *fwdv, size_t n, proxy_resp_h *resph,
	       void *arg)
{
	struct ptx *t;
	int err;

	if (!px || !msg || !fwdv || !n)
		return EINVAL;

	err = ptx_alloc(&t, px, msg);
	if (err)
		return err;

	t->resph = resph;
	t->arg = mem_ref(arg);

	err = proxy_branches_send(t, fwdv, n);
	if (!err) {
		settle(t);
		return 0;
	}

	/* The strans answers what could not be forwarded. */
	if (t->st) {
		struct tsxl *l = tsx_of(px->node);
		uint16_t sc = (err == ENOENT || err == EACCES) ? 0 :
			err == ELOOP ? 482 : err == EADDRNOTAVAIL ? 404 : 503;

		if (sc)
			(void)tsx_reply(&t->st, l, msg, sc, sipx_reason(sc));
	}
	mem_deref(t);

	return err;
}


int proxy_forward(struct proxy *px, const struct sip_msg *msg,
		  const struct proxy_fwd *fwd, proxy_resp_h *resph,
		  void *arg)
{
	return proxy_fork(px, msg, fwd, 1, resph, arg);
}
