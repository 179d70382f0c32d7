/* SPDX-License-Identifier: BSD-3-Clause */
/* The proxy core (RFC 3261 16) the three CSCF policies stand on, and an
 * AS acting as a SIP proxy (TS 24.229 5.7.4) with them. */

#ifndef IMSBED_PROXY_H
#define IMSBED_PROXY_H

#include <re.h>
#include "host.h"

struct proxy;
struct ptx;
struct tsxh;

/* Called with each response (err 0, msg set) or the transaction's end
 * without one (err set, msg NULL) before the core relays it upstream.
 * Returning true after an error means the policy sent the request on
 * again with proxy_reforward(): nothing is relayed then; so with the
 * best final failure, once every branch has answered, when the policy
 * reforwarded it meanwhile. */
typedef bool (proxy_resp_h)(int err, const struct sip_msg *msg,
			    struct ptx *t, void *arg);

struct proxy_fwd {
	const char *ruri;               /* new Request-URI, NULL keeps it */
	const char *target;             /* next hop URI; NULL: the next
					 * Route, else the R-URI */
	bool pop_route;                 /* the top Route was ours */
	bool record_route;              /* stay on the path of a dialog the
					 * request creates (RFC 3261 16.6.4) */
	const char *addhdrs;            /* "Name: value\r\n"... on top */
	const enum sip_hdrid *skipv;    /* headers the policy removes */
	size_t skipc;
};

/* A CSCF is a policy on the proxy core, which takes the node's messages:
 * ACK is forwarded, a request is validated (RFC 3261 16.3), a stray
 * response relayed, and the policy sees what is left. */
struct proxy_policy {
	/* Optional: 0 to go on, or the request was answered (or, an ACK,
	 * dropped) and ends here; asked after validation. */
	int  (*admit)(void *impl, const struct sip_msg *msg);
	/* Every request but ACK that passed validation and admit. */
	void (*request)(void *impl, const struct sip_msg *msg);
	int  (*query)(struct re_printf *pf, void *impl, const char *what,
		      const char *arg);
	const char *supported;  /* the one Proxy-Require tag it takes */
};

enum { PROXY_REPLACE = 4 };

int  proxy_alloc(struct proxy **pxp, struct node *node,
		 const struct proxy_policy *pol, void *impl);
/* The same for a node that keeps its own handlers (an AS, whose other
 * services are UAs): the node hands the proxy a request with
 * proxy_recv() and a response no transaction took with
 * proxy_relay_stray(). */
int  proxy_alloc_hosted(struct proxy **pxp, struct node *node,
			const struct proxy_policy *pol, void *impl);
/* A request, as a node that is the proxy gets it: true when taken. */
bool proxy_recv(struct proxy *px, const struct sip_msg *msg);
/* A forwarded request's settings zeroed, our own top Route popped. */
void proxy_fwd_init(struct proxy_fwd *fwd, const struct proxy *px,
		    const struct sip_msg *msg);
/* arg, when set, is a mem object the transaction keeps a reference to
 * until it ends. */
int  proxy_forward(struct proxy *px, const struct sip_msg *msg,
		   const struct proxy_fwd *fwd, proxy_resp_h *resph,
		   void *arg);
/* RFC 3261 16.7: the request to each of fwdv[0..n) at once, one server
 * transaction and a response context: provisional and 2xx responses go
 * up as they come, the others wait for the best (16.7.6); a 2xx or a 6xx
 * to an INVITE CANCELs the branches still pending. */
int  proxy_fork(struct proxy *px, const struct sip_msg *msg,
		const struct proxy_fwd *fwdv, size_t n, proxy_resp_h *resph,
		void *arg);
int  proxy_forward_ack(struct proxy *px, const struct sip_msg *msg,
		       const struct proxy_fwd *fwd);
bool proxy_relay_stray(struct proxy *px, const struct sip_msg *msg);
int  proxy_response_build(struct mbuf **mbp, const struct sip_msg *msg);
/* The same with every header of idv[i] replaced by linev[i] ("Name:
 * v\r\n"; a header the response lacks is added; NULL removes). */
int  proxy_response_rebuild(struct mbuf **mbp, const struct sip_msg *msg,
			    const enum sip_hdrid *idv,
			    const char *const *linev, size_t n);
int  proxy_validate(struct proxy *px, const struct sip_msg *msg);
/* From a response handler, after a branch failed: the request on to
 * new targets, on the same server transaction. */
int  proxy_reforward(struct ptx *t, const struct proxy_fwd *fwdv, size_t n,
		     proxy_resp_h *resph, void *arg);
const struct sip_msg *proxy_ptx_msg(const struct ptx *t);
/* From a policy's timer: CANCEL the pending branches; their 487s reach
 * the response handler. */
void proxy_ptx_cancel(struct ptx *t);
/* A provisional of the proxy's own upstream (181, say); hdrs "Name:
 * value\r\n" lines or NULL.  EALREADY once a final answer went. */
int  proxy_ptx_provisional(struct ptx *t, uint16_t scode, const char *hdrs);
/* From a response handler: the response relayed next has line (a mem
 * string, taken; NULL: none) instead of its headers of id (up to
 * PROXY_REPLACE). */
void proxy_ptx_replace(struct ptx *t, enum sip_hdrid id, char *line);
int  proxy_reply(struct proxy *px, const struct sip_msg *msg,
		 uint16_t scode, const char *fmt, ...);
/* A final response whose reason phrase names what was wrong. */
int  proxy_reply_reason(struct proxy *px, const struct sip_msg *msg,
			uint16_t scode, const char *reason);
struct node *proxy_node(const struct proxy *px);
/* The policy's Proxy-Require tag, or NULL. */
const char *proxy_supported(const struct proxy *px);
const char *proxy_rr(const struct proxy *px);   /* "Record-Route: ..." */

/* proxy_send.c: a forwarded request built and sent (RFC 3261 16.6);
 * stateful when resph is set */
int  proxy_send(struct proxy *px, const struct sip_msg *msg,
		const struct proxy_fwd *fwd, struct tsxh **reqp,
		void (*resph)(int err, const struct sip_msg *msg, void *arg),
		void *arg);

/* proxy_route.c: where a forwarded request goes */
bool proxy_route_is_mine(const struct proxy *px, const struct sip_msg *msg,
			 struct pl *user);
bool proxy_route_top(const struct proxy *px, const struct sip_msg *msg,
		     struct pl *user, struct pl *params);
/* RFC 3261 16.6 steps 6 and 7: the first Route left after ours (popped)
 * is removed, printed into buf; false when there is none. */
bool proxy_route_next(const struct sip_msg *msg, bool popped, char *buf,
		      size_t sz);
/* target's address in the topology as a next-hop URI in buf and route:
 * ENOENT outside the topology, ELOOP when it is this proxy itself. */
int  proxy_nexthop(const struct proxy *px, struct pl *route, char *buf,
		   size_t sz, const char *target, size_t msglen);
/* RFC 3261 18.1.1 and the topology: TCP for a node that wants it, for a
 * request of msglen bytes near the path MTU, or when the URI says so;
 * the next hop's URI printed into buf. */
int  proxy_hop(struct uri *hop, char *buf, size_t sz, const struct sa *dst,
	       const struct node *n, size_t msglen, const struct uri *uri);

#endif
