/* SPDX-License-Identifier: BSD-3-Clause */
/* What a policy may do with a proxied transaction from its response
 * handler: send it on to other targets, CANCEL what is pending, answer
 * upstream with a provisional of its own, and change the next response
 * relayed. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "tsx.h"
#include "proxy.h"
#include "proxyint.h"


/* The same request to a new target, on the same server transaction:
 * how an S-CSCF goes past an AS that did not answer (DefaultHandling
 * SESSION_CONTINUED). */
int proxy_reforward(struct ptx *t, const struct proxy_fwd *fwdv, size_t n,
		    proxy_resp_h *resph, void *arg)
{
	if (!t || !fwdv || !n)
		return EINVAL;
	if (t->cancelled)
		return ECANCELED;

	t->resph = resph;
	if (arg != t->arg) {
		mem_deref(t->arg);
		t->arg = mem_ref(arg);
	}

	return proxy_branches_send(t, fwdv, n);
}


void proxy_ptx_replace(struct ptx *t, enum sip_hdrid id, char *line)
{
	if (!t || t->repc == PROXY_REPLACE) {
		mem_deref(line);
		return;
	}

	t->rep_idv[t->repc] = id;
	t->rep_linev[t->repc++] = line;
}


const struct sip_msg *proxy_ptx_msg(const struct ptx *t)
{
	return t ? t->msg : NULL;
}


/* A policy's own timer ran out (an AS's no-answer diversion): the
 * branches still pending are CANCELled, and their 487s reach the
 * response handler, which may send the request on from there. */
void proxy_ptx_cancel(struct ptx *t)
{
	if (t)
		proxy_cancel_pending(t);
}


/* A provisional response of the proxy's own upstream (RFC 3261 16.7
 * allows one: 181 Call Is Being Forwarded, RFC 3261 21.1.3); hdrs, when
 * set, are "Name: value\r\n" lines. */
int proxy_ptx_provisional(struct ptx *t, uint16_t scode, const char *hdrs)
{
	if (!t || scode < 101 || scode > 199)
		return EINVAL;
	if (t->answered || !t->st)
		return EALREADY;

	return tsx_replyf(&t->st, tsx_of(t->px->node), t->msg, false, scode,
			  sipx_reason(scode), "%sContent-Length: 0\r\n\r\n",
			  hdrs ? hdrs : "");
}
