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


struct ue_book {
	struct ue *ue;                  /* first: ue.c sets it */
	struct httpc *req;
	uint16_t status;
	char *body;
	ue_done_h *doneh;
	void *arg;
};


static void destructor(void *arg)
{
	struct ue_book *b = arg;

	mem_deref(b->req);
	mem_deref(b->body);
}


static void resp_handler(int err, const struct http_msg *msg, void *arg)
{
	struct ue_book *b = arg;

	b->req = NULL;
	b->status = msg ? msg->scode : 0;
	b->body = mem_deref(b->body);
	if (msg && msg->mb)
		(void)re_sdprintf(&b->body, "%b", mbuf_buf(msg->mb),
				  mbuf_get_left(msg->mb));

	ue_done(&b->doneh, b->arg, err, b->status);
}


int ue_book(struct ue *ue, const char *method, const char *suffix,
	    const char *body, ue_done_h *doneh, void *arg)
{
	struct ue_book *b = ue_part(ue, UE_PART_BOOK);
	const struct sysinfo *si = ue_sysinfo(ue);
	char path[384], host[160], auth[128];

	if (!b || !method)
		return EINVAL;

	if (!si) {
		elog(LOG_WARN, node_name(ue->node), "http",
		     "ue(%s): no GM module known yet: subscribe first",
		     ue->impu);
		return ENOENT;
	}

	(void)re_snprintf(path, sizeof(path),
			  "/gm/v1/users/%s/addressbook%s", ue->impu,
			  suffix ? suffix : "");
	(void)re_snprintf(host, sizeof(host), "%s:%u", si->domain[0],
			  sa_port(&si->addr[0]));
	(void)re_snprintf(auth, sizeof(auth), "Bearer %s", si->token);

	b->req = mem_deref(b->req);
	b->doneh = doneh;
	b->arg = arg;

	return httpc_request(&b->req, ue->node, &si->addr[0], host,
			     method, path, auth,
			     body ? "application/json" : NULL, body,
			     resp_handler, b);
}


static int book_query(struct re_printf *pf, const void *part,
		      const char *what, const char *arg)
{
	const struct ue_book *b = part;
	(void)arg;

	if (!str_casecmp(what, "book"))
		return re_hprintf(pf, "%u %s", b->status,
				  b->body ? b->body : "");

	return ENOTSUP;
}


const struct ue_part ue_part_book = {
	"book", sizeof(struct ue_book), destructor, NULL, NULL, book_query,
};
