/* SPDX-License-Identifier: BSD-3-Clause */
/* Where a forwarded request goes: whether the top Route is this proxy's,
 * the next hop by loose routing (RFC 3261 16.6 steps 6 and 7), its
 * address in the topology and the transport (18.1.1), for the proxy core
 * and the S-CSCF's ISC alike. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "proxy.h"

/* RFC 3261 18.1.1: requests this close to the path MTU go over TCP. */
enum { UDP_SIZE_LIMIT = 1300 };


bool proxy_route_is_mine(const struct proxy *px, const struct sip_msg *msg,
			 struct pl *user)
{
	return proxy_route_top(px, msg, user, NULL);
}


bool proxy_route_top(const struct proxy *px, const struct sip_msg *msg,
		     struct pl *user, struct pl *params)
{
	const struct sip_hdr *h = sip_msg_hdr(msg, SIP_HDR_ROUTE);
	struct sip_addr addr;
	struct node *n = NULL;
	struct sa sa;

	if (!h || sip_addr_decode(&addr, &h->val))
		return false;

	if (emul_resolve(&sa, &n, &addr.uri) || n != proxy_node(px))
		return false;

	if (user)
		*user = addr.uri.user;
	if (params)
		*params = addr.uri.params;

	return true;
}


int proxy_nexthop(const struct proxy *px, struct pl *route, char *buf,
		  size_t sz, const char *target, size_t msglen)
{
	struct node *n = NULL;
	struct uri uri, hop;
	struct pl pl;
	struct sa sa;
	int err;

	pl_set_str(&pl, target);
	if (uri_decode(&uri, &pl))
		return EINVAL;

	/* A Route/Request-URI in angle brackets comes from a header. */
	if (emul_resolve(&sa, &n, &uri)) {
		netguard_note_drop();
		elog(LOG_WARN, node_name(proxy_node(px)), "route",
		     "next hop '%s' is outside the topology: dropped", target);
		return ENOENT;
	}

	/* RFC 3261 16.4, 16.6: a proxy never sends a request to itself
	 * (BYE sip:pcscf... would go round until Max-Forwards ran out). */
	if (n == proxy_node(px) && sa_cmp(&sa, node_addr(n), SA_ALL)) {
		elog(LOG_INFO, node_name(proxy_node(px)), "route",
		     "next hop '%s' is this node itself: not sent", target);
		return ELOOP;
	}

	err = proxy_hop(&hop, buf, sz, &sa, n, msglen, &uri);
	if (err)
		return err;

	pl_set_str(route, buf);

	return 0;
}


int proxy_hop(struct uri *hop, char *buf, size_t sz, const struct sa *dst,
	      const struct node *n, size_t msglen, const struct uri *uri)
{
	struct pl pl;
	bool tcp;

	if (!hop || !buf || !dst)
		return EINVAL;

	tcp = msglen > UDP_SIZE_LIMIT || (n && node_tcp(n));
	if (uri && !msg_param_decode(&uri->params, "transport", &pl) &&
	    !pl_strcasecmp(&pl, "tcp"))
		tcp = true;

	if (re_snprintf(buf, sz, "sip:%J%s", dst,
			tcp ? ";transport=tcp" : "") < 0)
		return ENOMEM;

	pl_set_str(&pl, buf);

	return uri_decode(hop, &pl);
}


/* RFC 3261 16.6 step 6/7 (loose routing): the next hop is the first
 * Route left after ours is removed, or else the Request-URI. */
bool proxy_route_next(const struct sip_msg *msg, bool popped, char *buf,
		      size_t sz)
{
	struct sip_addr addr;
	struct le *le;
	unsigned skip = popped ? 1 : 0;

	for (le = msg->hdrl.head; le; le = le->next) {
		const struct sip_hdr *h = le->data;

		if (h->id != SIP_HDR_ROUTE)
			continue;
		if (skip) {
			--skip;
			continue;
		}
		if (sip_addr_decode(&addr, &h->val))
			return false;
		return 0 == pl_strcpy(&addr.auri, buf, sz);
	}

	return false;
}
