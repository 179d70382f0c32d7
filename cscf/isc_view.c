/* SPDX-License-Identifier: BSD-3-Clause */
/* The view of a request the iFC evaluator takes (hss/ifc.c): method,
 * Request-URI, headers, SDP, session case and a REGISTER's kind, copied
 * out of the SIP message once per evaluation so that the evaluator stays
 * pure. */

#include <string.h>
#include <re.h>
#include "hss.h"
#include "host.h"
#include "sipkit.h"
#include "proxy.h"
#include "cscf.h"
#include "scscf.h"

enum { VIEW_HDRS = 64, VIEW_BUF = 8192 };

struct isc_view {
	struct ifc_req req;
	struct ifc_hdr hdrv[VIEW_HDRS];
	char method[32];
	char buf[VIEW_BUF];
};


static const char *copy(struct isc_view *v, size_t *off, const struct pl *pl)
{
	char *p = &v->buf[*off];

	if (*off + pl->l + 1 > sizeof(v->buf))
		return NULL;

	(void)pl_strcpy(pl, p, pl->l + 1);
	*off += pl->l + 1;

	return p;
}


int isc_view_alloc(struct isc_view **vp, const struct sip_msg *msg,
		   const char *method, enum ifc_case sc, enum ifc_reg reg,
		   const char *impu)
{
	struct isc_view *v;
	struct le *le;
	size_t off = 0;

	if (!vp || !method)
		return EINVAL;

	v = mem_zalloc(sizeof(*v), NULL);
	if (!v)
		return ENOMEM;

	str_ncpy(v->method, method, sizeof(v->method));
	v->req.method = v->method;
	v->req.scase = sc;
	v->req.reg = reg;
	v->req.hdrv = v->hdrv;

	/* No message (an expiry): the request the S-CSCF would send. */
	if (!msg) {
		v->req.ruri = emul_domain();
		(void)re_snprintf(v->buf, sizeof(v->buf), "<%s>", impu);
		v->hdrv[0].name = "To";
		v->hdrv[0].value = v->buf;
		v->req.hdrc = 1;
		*vp = v;
		return 0;
	}

	for (le = msg->hdrl.head; le; le = le->next) {
		const struct sip_hdr *h = le->data;
		struct ifc_hdr *x = &v->hdrv[v->req.hdrc];

		if (v->req.hdrc >= VIEW_HDRS)
			break;

		x->name = copy(v, &off, &h->name);
		x->value = copy(v, &off, &h->val);
		if (!x->name || !x->value)
			break;
		v->req.hdrc++;
	}

	v->req.ruri = copy(v, &off, &msg->ruri);
	if (!v->req.ruri)
		v->req.ruri = "";

	if (msg_ctype_cmp(&msg->ctyp, "application", "sdp")) {
		struct pl body;

		body.p = (const char *)mbuf_buf(msg->mb);
		body.l = mbuf_get_left(msg->mb);
		v->req.sdp = copy(v, &off, &body);
	}

	*vp = v;

	return 0;
}


const struct ifc_req *isc_view_req(const struct isc_view *v)
{
	return v ? &v->req : NULL;
}
