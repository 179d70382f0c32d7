/* SPDX-License-Identifier: BSD-3-Clause */
/* cscf internals: the proxy core the three CSCF policies stand on. */

struct proxy;
struct ptx;

/* Called with each response (err 0, msg set) or the transaction's end
 * without one (err set, msg NULL) before the core relays it upstream.
 * Returning true after an error means the policy sent the request on
 * again with proxy_reforward(): nothing is relayed then. */
typedef bool (proxy_resp_h)(int err, const struct sip_msg *msg,
			    struct ptx *t, void *arg);

struct proxy_fwd {
	const char *ruri;               /* new Request-URI, NULL keeps it */
	const char *target;             /* next hop URI; NULL: the next
					 * Route, else the R-URI */
	bool pop_route;                 /* the top Route was ours */
	const char *addhdrs;            /* "Name: value\r\n"... on top */
	const enum sip_hdrid *skipv;    /* headers the policy removes */
	size_t skipc;
};

int  proxy_alloc(struct proxy **pxp, struct node *node);
/* arg, when set, is a mem object the transaction keeps a reference to
 * until it ends. */
int  proxy_forward(struct proxy *px, const struct sip_msg *msg,
		   const struct proxy_fwd *fwd, proxy_resp_h *resph,
		   void *arg);
int  proxy_forward_ack(struct proxy *px, const struct sip_msg *msg,
		       const struct proxy_fwd *fwd);
bool proxy_relay_stray(struct proxy *px, const struct sip_msg *msg);
int  proxy_validate(struct proxy *px, const struct sip_msg *msg);
bool proxy_route_is_mine(const struct proxy *px, const struct sip_msg *msg,
			 struct pl *user);
bool proxy_route_top(const struct proxy *px, const struct sip_msg *msg,
		     struct pl *user, struct pl *params);
int  proxy_reforward(struct ptx *t, const struct proxy_fwd *fwd,
		     proxy_resp_h *resph, void *arg);
const struct sip_msg *proxy_ptx_msg(const struct ptx *t);
int  proxy_reply(struct proxy *px, const struct sip_msg *msg,
		 uint16_t scode, const char *fmt, ...);
/* A final response whose reason phrase names what was wrong. */
int  proxy_reply_reason(struct proxy *px, const struct sip_msg *msg,
			uint16_t scode, const char *reason);
struct node *proxy_node(const struct proxy *px);
