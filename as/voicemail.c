/* SPDX-License-Identifier: BSD-3-Clause */
/* Voicemail, in the smallest form that shows a terminating iFC at work
 * (TS 24.229 5.7.2, the AS as a terminating UA): an INVITE an iFC brings
 * here (typically the callee's terminating-unregistered one) is answered
 * 200 for the callee with its stream declined (port 0: imsbed records no
 * message), the caller's ACK closes the exchange and a BYE ends it. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "tsx.h"
#include "as.h"
#include "asint.h"

struct vm_svc {
	struct as *as;
	struct list calls;
	uint32_t taken;
	char last[256];                 /* whom the last call was for */
};

struct vm_call {
	struct le le;
	struct dlg *dlg;
};


static void call_destructor(void *arg)
{
	struct vm_call *vc = arg;

	list_unlink(&vc->le);
	mem_deref(vc->dlg);
}


static void svc_destructor(void *arg)
{
	struct vm_svc *sv = arg;

	list_flush(&sv->calls);
}


static int vm_alloc(void **svcp, struct as *as)
{
	struct vm_svc *sv = mem_zalloc(sizeof(*sv), svc_destructor);

	if (!sv)
		return ENOMEM;

	sv->as = as;
	*svcp = sv;

	return 0;
}


static struct vm_call *call_find(const struct vm_svc *sv,
				 const struct sip_msg *msg)
{
	struct le *le;

	for (le = sv->calls.head; le; le = le->next) {
		struct vm_call *vc = le->data;

		if (dlg_match(vc->dlg, msg))
			return vc;
	}

	return NULL;
}


static void invite(struct vm_svc *sv, const struct sip_msg *msg)
{
	struct tsxl *l = tsx_of(sv->as->node);
	char contact[160], sdp[256];
	struct vm_call *vc;

	vc = mem_zalloc(sizeof(*vc), call_destructor);
	if (!vc)
		goto fail;

	(void)re_snprintf(contact, sizeof(contact), "sip:vm@%s",
			  node_host(sv->as->node));
	if (dlg_uas(&vc->dlg, sv->as->node, msg, contact))
		goto fail;

	list_append(&sv->calls, &vc->le, vc);
	++sv->taken;
	(void)pl_strcpy(&msg->ruri, sv->last, sizeof(sv->last));
	elog(LOG_INFO, node_name(sv->as->node), "voicemail", "takes the call"
	     " for %r from %r", &msg->ruri, &msg->from.auri);

	/* RFC 3264 6: an answer that declines the offered stream */
	(void)re_snprintf(sdp, sizeof(sdp), "v=0\r\n"
			  "o=- 1 1 IN IP4 %j\r\n"
			  "s=voicemail\r\n"
			  "c=IN IP4 %j\r\n"
			  "t=0 0\r\n"
			  "m=audio 0 RTP/SAVP 0\r\n",
			  node_addr(sv->as->node), node_addr(sv->as->node));
	(void)tsx_replyf(NULL, l, msg, true, 200, "OK",
			 "Contact: <%s>\r\n"
			 "Content-Type: application/sdp\r\n"
			 "Content-Length: %zu\r\n\r\n%s", contact, strlen(sdp),
			 sdp);
	return;

 fail:
	mem_deref(vc);
	(void)tsx_reply(NULL, l, msg, 500, "Server Internal Error");
}


static bool vm_request(void *svc, const struct sip_msg *msg)
{
	struct vm_svc *sv = svc;
	struct vm_call *vc;

	if (!pl_strcmp(&msg->met, "INVITE") && !pl_isset(&msg->to.tag)) {
		invite(sv, msg);
		return true;
	}

	vc = call_find(sv, msg);
	if (!vc)
		return false;

	if (!pl_strcmp(&msg->met, "BYE")) {
		(void)tsx_reply(NULL, tsx_of(sv->as->node), msg, 200, "OK");
		mem_deref(vc);
	}

	/* ACK (the 2xx's, hop-less) and anything else of the call */
	return true;
}


static int vm_query(struct re_printf *pf, const void *svc, const char *what,
		    const char *arg)
{
	const struct vm_svc *sv = svc;
	(void)arg;

	if (!str_casecmp(what, "voicemail"))
		return re_hprintf(pf, "%u", sv->taken);
	if (!str_casecmp(what, "voicemail_for"))
		return re_hprintf(pf, "%s", sv->last);

	return ENOTSUP;
}


const struct as_service as_voicemail = {
	.name  = "voicemail",
	.alloc = vm_alloc,
	.reqh  = vm_request,
	.query = vm_query,
};
