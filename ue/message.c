/* SPDX-License-Identifier: BSD-3-Clause */
/* Page-mode instant messages (RFC 3428): the UE sends a MESSAGE with a
 * text/plain body through its P-CSCF and the S-CSCF's Service-Route,
 * and takes one with 200 OK, keeping the last text and who sent it.
 * A MESSAGE is the smallest request that shows where the core sends a
 * request to a user: to every device (forking) or to one (a GRUU). */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "tsx.h"
#include "ue.h"
#include "ueint.h"

struct ue_msg {
	struct ue *ue;                  /* first: ue.c sets it */
	struct tsxh *req;
	uint32_t received;
	char *text;                     /* the last one received */
	char *from;
	char *ruri;                     /* the Request-URI it came with */
	ue_done_h *doneh;
	void *arg;
};


static void destructor(void *arg)
{
	struct ue_msg *m = arg;

	mem_deref(m->req);
	mem_deref(m->text);
	mem_deref(m->from);
	mem_deref(m->ruri);
}


static void msg_resp(int err, const struct sip_msg *msg, void *arg)
{
	struct ue_msg *m = arg;

	if (!err && msg && msg->scode < 200)
		return;

	m->req = NULL;
	ue_done(&m->doneh, m->arg, err ? err : msg ? 0 : ETIMEDOUT,
		msg ? msg->scode : 0);
}


int ue_message(struct ue *ue, const char *to, const char *text,
	       ue_done_h *doneh, void *arg)
{
	struct ue_msg *m = ue_part(ue, UE_PART_MSG);
	char route[96];
	struct uri rt;
	int err;

	if (!m || !to || !text)
		return EINVAL;

	if (!ue_registered_for(ue, "message"))
		return EALREADY;

	err = ue_pcscf_route(&rt, route, sizeof(route), ue);
	if (err)
		return err;

	m->req = mem_deref(m->req);
	m->doneh = doneh;
	m->arg = arg;

	netguard_bind_hint(node_addr(ue->node));
	return tsx_requestf(&m->req, tsx_of(ue->node), true, "MESSAGE", to,
			    &rt, msg_resp, m,
			    "Route: <sip:%s;lr>\r\n"
			    "%s"
			    "From: <%s>;tag=%016llx\r\n"
			    "To: <%s>\r\n"
			    "Call-ID: %016llx@%s\r\n"
			    "CSeq: 1 MESSAGE\r\n"
			    "Content-Type: text/plain\r\n"
			    "Content-Length: %zu\r\n"
			    "\r\n%s",
			    node_host(ue->pcscf), ue->routes ? ue->routes : "",
			    ue->impu, emul_rand_u64(), to, emul_rand_u64(),
			    node_name(ue->node), strlen(text), text);
}


static bool msg_request(void *part, const struct sip_msg *msg)
{
	struct ue_msg *m = part;
	struct tsxl *l = tsx_of(m->ue->node);
	int err;

	if (pl_strcmp(&msg->met, "MESSAGE"))
		return false;

	/* RFC 3428 5: text/plain is what this UE reads; 415 else. */
	if (mbuf_get_left(msg->mb) && !msg_ctype_cmp(&msg->ctyp, "text",
						    "plain")) {
		(void)tsx_replyf(NULL, l, msg, false, 415,
				 "Unsupported Media Type",
				 "Accept: text/plain\r\n"
				 "Content-Length: 0\r\n\r\n");
		return true;
	}

	m->text = mem_deref(m->text);
	m->from = mem_deref(m->from);
	m->ruri = mem_deref(m->ruri);
	err  = re_sdprintf(&m->text, "%b", mbuf_buf(msg->mb),
			   mbuf_get_left(msg->mb));
	err |= pl_strdup(&m->from, &msg->from.auri);
	err |= pl_strdup(&m->ruri, &msg->ruri);
	++m->received;
	elog(LOG_INFO, node_name(m->ue->node), "msg", "MESSAGE from %r: %s",
	     &msg->from.auri, m->text ? m->text : "");

	(void)tsx_reply(NULL, l, msg, err ? 500 : 200,
			err ? "Server Internal Error" : "OK");
	return true;
}


static int msg_query(struct re_printf *pf, const void *part,
		     const char *what, const char *arg)
{
	const struct ue_msg *m = part;
	(void)arg;

	if (!str_casecmp(what, "messages"))
		return re_hprintf(pf, "%u", m->received);
	if (!str_casecmp(what, "message"))
		return re_hprintf(pf, "%s", m->text ? m->text : "");
	if (!str_casecmp(what, "message_from"))
		return re_hprintf(pf, "%s", m->from ? m->from : "");
	if (!str_casecmp(what, "message_uri"))
		return re_hprintf(pf, "%s", m->ruri ? m->ruri : "");

	return ENOTSUP;
}


const struct ue_part ue_part_msg = {
	.name  = "message",
	.size  = sizeof(struct ue_msg),
	.dtor  = destructor,
	.reqh  = msg_request,
	.query = msg_query,
};
