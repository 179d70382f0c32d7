/* SPDX-License-Identifier: BSD-3-Clause */
/* A SIP dialog as RFC 3261 12 keeps it: Call-ID, tags, remote target,
 * route set and CSeq, for the UE's and the AS's dialogs alike.  It sends
 * its requests itself, resolving the next hop from the topology, because
 * libre's own dialog requests would look the route's host name up in
 * DNS, which imsbed never does. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "tsx.h"

struct dlg {
	struct node *node;
	char *callid;
	char *ltag;
	char *rtag;
	char *luri;             /* ours: From of our requests */
	char *ruri;             /* theirs: To of our requests */
	char *target;           /* remote target (their Contact) */
	char *lcontact;         /* our Contact URI */
	char *routes;           /* "Route: <...>\r\n" lines, in order */
	char *first;            /* the first route's URI, or NULL */
	uint32_t lseq;
	uint32_t rseq;
};


static void destructor(void *arg)
{
	struct dlg *d = arg;

	mem_deref(d->callid);
	mem_deref(d->ltag);
	mem_deref(d->rtag);
	mem_deref(d->luri);
	mem_deref(d->ruri);
	mem_deref(d->target);
	mem_deref(d->lcontact);
	mem_deref(d->routes);
	mem_deref(d->first);
}


enum { MAX_ROUTES = 16 };

struct rr {
	struct pl v[MAX_ROUTES];
	size_t n;
};


static bool rr_handler(const struct sip_hdr *h, const struct sip_msg *msg,
		       void *arg)
{
	struct rr *rr = arg;
	(void)msg;

	if (rr->n < MAX_ROUTES)
		rr->v[rr->n++] = h->val;

	return false;
}


/* The route set: Record-Route as received by a UAS, reversed by a UAC
 * (RFC 3261 12.1.1, 12.1.2). */
static int route_set(struct dlg *d, const struct sip_msg *msg, bool uac)
{
	struct sip_addr a;
	struct mbuf *mb;
	struct rr rr;
	size_t i;
	int err = 0;

	rr.n = 0;
	(void)sip_msg_hdr_apply(msg, true, SIP_HDR_RECORD_ROUTE, rr_handler,
				&rr);
	if (!rr.n)
		return 0;

	mb = mbuf_alloc(256);
	if (!mb)
		return ENOMEM;

	for (i = 0; i < rr.n && !err; i++)
		err = mbuf_printf(mb, "Route: %r\r\n",
				  &rr.v[uac ? rr.n - 1 - i : i]);

	if (!err && !sip_addr_decode(&a, &rr.v[uac ? rr.n - 1 : 0]))
		err = pl_strdup(&d->first, &a.auri);

	mb->pos = 0;
	if (!err)
		err = mbuf_strdup(mb, &d->routes, mb->end);
	mem_deref(mb);

	return err;
}


static int contact_uri(char **up, const struct sip_msg *msg)
{
	const struct sip_hdr *h = sip_msg_hdr(msg, SIP_HDR_CONTACT);
	struct sip_addr a;

	if (!h || sip_addr_decode(&a, &h->val))
		return EBADMSG;

	return pl_strdup(up, &a.auri);
}


static int alloc(struct dlg **dp, struct node *n, const char *lcontact)
{
	struct dlg *d;

	if (!dp || !n || !lcontact)
		return EINVAL;

	d = mem_zalloc(sizeof(*d), destructor);
	if (!d)
		return ENOMEM;

	d->node = n;
	*dp = d;

	return str_dup(&d->lcontact, lcontact);
}


int dlg_uas(struct dlg **dp, struct node *n, const struct sip_msg *req,
	    const char *lcontact)
{
	struct dlg *d = NULL;
	int err;

	if (!dp || !req)
		return EINVAL;

	/* RFC 3261 12.1.1: the From tag is half the dialog's name. */
	if (!pl_isset(&req->from.tag))
		return EBADMSG;

	err = alloc(&d, n, lcontact);
	if (err)
		goto out;

	err  = pl_strdup(&d->callid, &req->callid);
	err |= pl_strdup(&d->rtag, &req->from.tag);
	/* libre's replies tag To with the request's own random tag; the
	 * dialog's local tag must be that one. */
	err |= re_sdprintf(&d->ltag, "%016llx", req->tag);
	err |= pl_strdup(&d->luri, &req->to.auri);
	err |= pl_strdup(&d->ruri, &req->from.auri);
	if (err) {
		err = ENOMEM;
		goto out;
	}

	err = contact_uri(&d->target, req);
	if (err)
		goto out;

	d->rseq = req->cseq.num;
	err = route_set(d, req, false);

 out:
	if (err)
		mem_deref(d);
	else
		*dp = d;

	return err;
}


int dlg_uac(struct dlg **dp, struct node *n, const struct sip_msg *msg,
	    bool is_request, uint32_t lseq, const char *lcontact)
{
	const struct sip_taddr *mine, *theirs;
	struct dlg *d = NULL;
	int err;

	if (!dp || !msg)
		return EINVAL;

	/* From our side a response's To is theirs and its From ours; a
	 * request that creates the dialog for us (a NOTIFY ahead of the
	 * 200) has them the other way round. */
	mine = is_request ? &msg->to : &msg->from;
	theirs = is_request ? &msg->from : &msg->to;

	/* RFC 3261 12.1.2: without both tags there is no dialog to name
	 * (a 2xx from a UA that tags nothing). */
	if (!pl_isset(&mine->tag) || !pl_isset(&theirs->tag))
		return EBADMSG;

	err = alloc(&d, n, lcontact);
	if (err)
		goto out;

	err  = pl_strdup(&d->callid, &msg->callid);
	err |= pl_strdup(&d->ltag, &mine->tag);
	err |= pl_strdup(&d->rtag, &theirs->tag);
	err |= pl_strdup(&d->luri, &mine->auri);
	err |= pl_strdup(&d->ruri, &theirs->auri);
	if (err) {
		err = ENOMEM;
		goto out;
	}

	err = contact_uri(&d->target, msg);
	if (err)
		goto out;

	d->lseq = lseq;
	if (is_request)
		d->rseq = msg->cseq.num;

	err = route_set(d, msg, !is_request);

 out:
	if (err)
		mem_deref(d);
	else
		*dp = d;

	return err;
}


bool dlg_match(const struct dlg *d, const struct sip_msg *msg)
{
	if (!d || !msg || pl_strcmp(&msg->callid, d->callid))
		return false;

	if (msg->req)
		return !pl_strcmp(&msg->to.tag, d->ltag) &&
			!pl_strcmp(&msg->from.tag, d->rtag);

	/* a response: ours From, theirs To (another To tag is another
	 * dialog, a fork's, RFC 3261 12.1.2) */
	return !pl_strcmp(&msg->from.tag, d->ltag) &&
		!pl_strcmp(&msg->to.tag, d->rtag);
}


/* RFC 3261 12.2.2: a request within the dialog must not go backwards. */
bool dlg_rseq_ok(struct dlg *d, const struct sip_msg *msg)
{
	if (!d || !msg)
		return false;

	if (d->rseq && msg->cseq.num <= d->rseq)
		return false;

	d->rseq = msg->cseq.num;
	return true;
}


const char *dlg_callid(const struct dlg *d)
{
	return d ? d->callid : "";
}


int dlg_request(struct tsxh **reqp, struct dlg *d, const char *met,
		const char *hdrs, const char *ctype, const struct pl *body,
		sip_resp_h *resph, void *arg)
{
	struct node *hop = NULL;
	struct mbuf *mb;
	struct uri u;
	struct pl pl;
	struct sa dst;
	char routebuf[96];
	bool ack;
	int err;

	if (!d || !met)
		return EINVAL;

	/* RFC 3261 13.2.2.4: the ACK of a 2xx is its own transaction with
	 * the INVITE's CSeq number, sent once, answered by nobody. */
	ack = !strcmp(met, "ACK");

	/* Loose routing: the first route is the next hop, the remote
	 * target stays the Request-URI (RFC 3261 12.2.1.1). */
	pl_set_str(&pl, d->first ? d->first : d->target);
	if (uri_decode(&u, &pl) || emul_resolve(&dst, &hop, &u)) {
		netguard_note_drop();
		elog(LOG_WARN, node_name(d->node), "dialog",
		     "%s: next hop %s is outside the topology", met,
		     d->first ? d->first : d->target);
		return ENOENT;
	}

	mb = mbuf_alloc(512 + (body ? body->l : 0));
	if (!mb)
		return ENOMEM;

	err = mbuf_printf(mb, "Max-Forwards: 70\r\n%s"
			  "From: <%s>;tag=%s\r\n"
			  "To: <%s>;tag=%s\r\n"
			  "Call-ID: %s\r\n"
			  "CSeq: %u %s\r\n"
			  "Contact: <%s>\r\n"
			  "%s",
			  d->routes ? d->routes : "", d->luri, d->ltag,
			  d->ruri, d->rtag, d->callid,
			  ack ? d->lseq : ++d->lseq, met,
			  d->lcontact, hdrs ? hdrs : "");
	if (body && body->l)
		err |= mbuf_printf(mb, "Content-Type: %s\r\n"
				   "Content-Length: %zu\r\n\r\n%r",
				   ctype, body->l, body);
	else
		err |= mbuf_write_str(mb, "Content-Length: 0\r\n\r\n");
	if (err)
		goto out;
	mb->pos = 0;

	(void)re_snprintf(routebuf, sizeof(routebuf), "sip:%J%s", &dst,
			  node_tcp(hop) || mb->end + 200 > 1300 ?
			  ";transport=tcp" : "");
	pl_set_str(&pl, routebuf);
	err = uri_decode(&u, &pl);
	if (err)
		goto out;

	err = tsx_request(ack ? NULL : reqp, tsx_of(d->node), !ack, met,
			  d->target, &u, mb, ack ? NULL : resph, arg);

 out:
	mem_deref(mb);
	return err;
}


/* RFC 3261 13.2.2.4: a 2xx to our INVITE from another branch than d's
 * (a forked INVITE answered twice) is another dialog, ours to ACK and
 * end with BYE; true when msg was one. */
bool dlg_stray_2xx(const struct dlg *d, struct node *n,
		   const struct sip_msg *msg, uint32_t cseq,
		   const char *contact)
{
	struct dlg *o = NULL;

	if (!d || msg->req || msg->scode < 200 || msg->scode >= 300 ||
	    pl_strcmp(&msg->cseq.met, "INVITE") ||
	    pl_strcmp(&msg->callid, dlg_callid(d)) || dlg_match(d, msg))
		return false;

	if (dlg_uac(&o, n, msg, false, cseq, contact))
		return true;

	elog(LOG_INFO, node_name(n), "dialog", "a second 2xx (to-tag %r): "
	     "ACK and BYE", &msg->to.tag);
	(void)dlg_request(NULL, o, "ACK", NULL, NULL, NULL, NULL, NULL);
	(void)dlg_request(NULL, o, "BYE", NULL, NULL, NULL, NULL, NULL);
	mem_deref(o);

	return true;
}
