/* SPDX-License-Identifier: BSD-3-Clause */
/* The client's side of the cloud address book (CN102916966A): create,
 * change, delete and sync personal entries at the GM module the last
 * sysinfo NOTIFY named, with the token that came with it.  The last
 * answer is kept for the scenario. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "ue.h"
#include "ueint.h"


static void resp_handler(int err, const struct http_msg *msg, void *arg)
{
	struct ue *ue = arg;
	ue_done_h *h = ue->bdoneh;

	ue->breq = NULL;
	ue->bstatus = msg ? msg->scode : 0;
	ue->bbody = mem_deref(ue->bbody);
	if (msg && msg->mb)
		(void)re_sdprintf(&ue->bbody, "%b", mbuf_buf(msg->mb),
				  mbuf_get_left(msg->mb));

	ue->bdoneh = NULL;
	if (h)
		h(err, ue->bstatus, ue->barg);
}


int ue_book(struct ue *ue, const char *method, const char *suffix,
	    const char *body, ue_done_h *doneh, void *arg)
{
	char path[384], host[160], auth[128];

	if (!ue || !method)
		return EINVAL;

	if (!ue->si || !ue->si->valid) {
		elog(LOG_WARN, node_name(ue->node), "http",
		     "ue(%s): no GM module known yet: subscribe first",
		     ue->impu);
		return ENOENT;
	}

	(void)re_snprintf(path, sizeof(path),
			  "/gm/v1/users/%s/addressbook%s", ue->impu,
			  suffix ? suffix : "");
	(void)re_snprintf(host, sizeof(host), "%s:%u", ue->si->domain[0],
			  sa_port(&ue->si->addr[0]));
	(void)re_snprintf(auth, sizeof(auth), "Bearer %s", ue->si->token);

	ue->breq = mem_deref(ue->breq);
	ue->bdoneh = doneh;
	ue->barg = arg;

	return httpc_request(&ue->breq, ue->node, &ue->si->addr[0], host,
			     method, path, auth,
			     body ? "application/json" : NULL, body,
			     resp_handler, ue);
}


void ue_book_close(struct ue *ue)
{
	ue->breq = mem_deref(ue->breq);
	ue->bbody = mem_deref(ue->bbody);
}


int ue_book_query(struct re_printf *pf, const struct ue *ue,
		  const char *what, const char *arg)
{
	(void)arg;

	if (!str_casecmp(what, "book"))
		return re_hprintf(pf, "%u %s", ue->bstatus,
				  ue->bbody ? ue->bbody : "");

	return ENOTSUP;
}
