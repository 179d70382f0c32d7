/* SPDX-License-Identifier: BSD-3-Clause */
/* The S-CSCF's ISC side: third-party registration (TS 24.229 5.4.1.7).
 * Each AS whose iFC matches the REGISTER gets its own REGISTER, in
 * priority order; an AS that does not answer is handled as its iFC's
 * DefaultHandling says. */

#include <string.h>
#include <re.h>
#include "hss.h"
#include "host.h"
#include "sipkit.h"
#include "tsx.h"
#include "proxy.h"
#include "cscf.h"
#include "scscf.h"

struct tpreg {
	struct le le;
	struct scscf *s;
	struct tsxh *req;
	char *impu;
	char *as;
	enum ifc_dh dh;
	uint32_t expires;
};


static void tpreg_destructor(void *arg)
{
	struct tpreg *t = arg;

	list_unlink(&t->le);
	mem_deref(t->req);
	mem_deref(t->impu);
	mem_deref(t->as);
}


static void tpreg_resp(int err, const struct sip_msg *msg, void *arg)
{
	struct tpreg *t = arg;
	struct binding *b;

	if (!err && msg && msg->scode < 200)
		return;

	t->req = NULL;

	if (!err && msg && msg->scode < 300) {
		mem_deref(t);
		return;
	}

	if (msg)
		elog(LOG_WARN, node_name(t->s->node), "isc",
		     "third-party REGISTER of %s to %s: %u %r", t->impu,
		     t->as, msg->scode, &msg->reason);
	else
		elog(LOG_WARN, node_name(t->s->node), "isc",
		     "third-party REGISTER of %s to %s: no answer (%m)",
		     t->impu, t->as, err);

	/* TS 24.229 5.4.1.7: SESSION_TERMINATED de-registers the user
	 * (network-initiated); SESSION_CONTINUED carries on as if the AS
	 * had said yes. */
	b = scscf_binding(t->s, t->impu);
	if (t->dh == IFC_DH_TERMINATE && t->expires && b)
		scscf_binding_remove(b, CX_SAR_ADMINISTRATIVE_DEREGISTRATION);

	mem_deref(t);
}


/* RFC 3261 18.1.1: a request within 200 bytes of a 1500-byte MTU goes
 * over TCP; the request line and our Via add at most this much. */
enum { LINE_AND_VIA = 200 };


static int build(struct mbuf *mb, const struct scscf *s,
		 const struct binding *b, const char *info,
		 uint32_t expires)
{
	static const char xml_head[] =
		"<?xml version=\"1.0\"?>\r\n"
		"<ims-3gpp version=\"1\"><service-info>";
	static const char xml_tail[] = "</service-info></ims-3gpp>\r\n";
	size_t blen = info && *info ?
		strlen(xml_head) + strlen(info) + strlen(xml_tail) : 0;
	int err;

	err = mbuf_printf(mb, "Max-Forwards: 70\r\n"
			  "From: <%s>;tag=%016llx\r\n"
			  "To: <%s>\r\n"
			  "Call-ID: %016llx@%s\r\n"
			  "CSeq: 1 REGISTER\r\n"
			  "Contact: <%s>\r\n"
			  "Expires: %u\r\n"
			  "P-Charging-Vector: icid-value=\"%016llx\"\r\n",
			  s->uri, emul_rand_u64(), b->impu, emul_rand_u64(),
			  node_host(s->node), s->uri, expires,
			  emul_rand_u64());

	/* TS 24.229 5.4.1.7: the iFC's ServiceInfo travels in the body. */
	if (blen)
		err |= mbuf_printf(mb, "Content-Type: application/"
				   "3gpp-ims+xml\r\n"
				   "Content-Length: %zu\r\n\r\n%s%s%s",
				   blen, xml_head, info, xml_tail);
	else
		err |= mbuf_write_str(mb, "Content-Length: 0\r\n\r\n");

	mb->pos = 0;

	return err ? ENOMEM : 0;
}


static int send_one(struct scscf *s, struct binding *b, const struct ifc *f,
		    uint32_t expires)
{
	struct node *asn = NULL;
	struct mbuf *mb = NULL;
	struct tpreg *t;
	struct uri route;
	struct pl pl;
	struct sa dst;
	char routebuf[96];
	int err;

	pl_set_str(&pl, ifc_as(f));
	if (uri_decode(&route, &pl) || emul_resolve(&dst, &asn, &route)) {
		netguard_note_drop();
		elog(LOG_WARN, node_name(s->node), "isc",
		     "AS %s of %s is outside the topology: not contacted",
		     ifc_as(f), b->impu);
		return ENOENT;
	}

	t = mem_zalloc(sizeof(*t), tpreg_destructor);
	mb = mbuf_alloc(512);
	if (!t || !mb) {
		err = ENOMEM;
		goto out;
	}

	list_append(&s->tpregs, &t->le, t);
	t->s = s;
	t->dh = ifc_default_handling(f);
	t->expires = expires;
	err  = str_dup(&t->impu, b->impu);
	err |= str_dup(&t->as, ifc_as(f));
	err |= build(mb, s, b, ifc_service_info(f), expires);
	if (err)
		goto out;

	err = proxy_hop(&route, routebuf, sizeof(routebuf), &dst, asn,
			mb->end + LINE_AND_VIA, NULL);
	if (err)
		goto out;

	err = tsx_request(&t->req, tsx_of(s->node), true, "REGISTER",
			  ifc_as(f), &route, mb, tpreg_resp, t);

 out:
	mem_deref(mb);
	if (err)
		mem_deref(t);

	return err;
}


void scscf_isc_register(struct scscf *s, struct binding *b,
			const struct sip_msg *msg, uint32_t expires,
			enum ifc_reg reg)
{
	const struct ifc *f;
	struct isc_view *v = NULL;
	size_t idx = 0;

	if (!s || !b || !b->profile)
		return;

	/* TS 29.228 leaves the session case of REGISTER open; imsbed
	 * evaluates it as originating: the served user is the one who
	 * registers. */
	if (isc_view_alloc(&v, msg, "REGISTER", IFC_ORIG, reg, b->impu))
		return;

	while ((f = ifc_profile_next(b->profile, isc_view_req(v), &idx)))
		(void)send_one(s, b, f, expires);

	mem_deref(v);
}
