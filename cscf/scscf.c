/* SPDX-License-Identifier: BSD-3-Clause */
/* The S-CSCF node (TS 24.229 5.4): registrar and authenticator for
 * REGISTER, and the proxy that routes the served user's other requests
 * to the registered contact along the stored Path. */

#include <string.h>
#include <re.h>
#include "hss.h"
#include "host.h"
#include "sipkit.h"
#include "proxy.h"
#include "cscf.h"
#include "scscf.h"


static void scscf_destructor(void *arg)
{
	struct scscf *s = arg;

	list_flush(&s->tpregs);
	hash_flush(s->bindings);
	mem_deref(s->bindings);
	mem_deref(s->aliases);
	wtmr_cancel(&s->tmr_nonce);
	list_flush(&s->noncel);
	mem_deref(s->nonces);
	hash_flush(s->odis);
	mem_deref(s->odis);
	hash_flush(s->avsets);
	mem_deref(s->avsets);
	mem_deref(s->tgruus);
	hash_flush(s->regsubs);
	mem_deref(s->regsubs);
	mem_deref(s->px);
	mem_deref(s->uri);
	mem_deref(s->cx);
	mem_deref(s->wheel);
}


/* TS 24.229 4.4: the S-CSCF's ports face the core only; what a sender
 * outside the trust domain asserts is worth nothing. */
static int admit(void *arg, const struct sip_msg *msg)
{
	struct scscf *s = arg;

	if (emul_trusted(msg))
		return 0;

	if (pl_strcmp(&msg->met, "ACK")) {
		elog(LOG_INFO, node_name(s->node), "trust", "%r from %J, "
		     "outside the trust domain: 403", &msg->met, &msg->src);
		(void)proxy_reply_reason(s->px, msg, 403,
					 "Outside the Trust Domain");
	}

	return EPERM;
}


/* REGISTER to the registrar; the rest to the served user's iFCs, or to
 * the registered contact along the stored Path (RFC 3327). */
static void request_handler(void *arg, const struct sip_msg *msg)
{
	struct scscf *s = arg;

	if (!pl_strcmp(&msg->met, "REGISTER"))
		(void)scscf_register(s, msg);
	else if (!scscf_regevent_request(s, msg))
		scscf_route(s, msg);
}


/* " contact=URI expires=N" for each device, oldest first. */
static int contacts_query(struct re_printf *pf, const struct binding *b)
{
	struct le *le;
	int err = 0;

	for (le = b->contacts.head; le && !err; le = le->next) {
		const struct bcontact *c = le->data;

		err = re_hprintf(pf, " contact=%s expires=%u", c->uri,
				 c->expires);
	}

	return err;
}


static int query(struct re_printf *pf, void *impl, const char *what,
		 const char *arg)
{
	struct scscf *s = impl;
	struct binding *b;

	if (!str_casecmp(what, "binding")) {
		b = scscf_binding(s, arg);
		if (!b)
			return re_hprintf(pf, "none");
		return re_hprintf(pf, "registered%H", contacts_query, b);
	}

	if (!str_casecmp(what, "contacts")) {
		b = scscf_binding(s, arg);
		return re_hprintf(pf, "%u", b ? list_count(&b->contacts) : 0);
	}

	if (!str_casecmp(what, "bindings"))
		return re_hprintf(pf, "%u", scscf_binding_count(s));

	if (!str_casecmp(what, "assoc")) {
		b = scscf_binding(s, arg);
		return re_hprintf(pf, "%s", b ? b->assoc : "");
	}

	if (!str_casecmp(what, "vectors"))
		return re_hprintf(pf, "%u", scscf_av_count(s, arg));

	/* what the doctor found in the IMPI's last wrong AKA response */
	if (!str_casecmp(what, "aka_doctor"))
		return re_hprintf(pf, "%s", !str_cmp(s->doc_impi, arg) ?
				  s->doc_note : "");

	return ENOTSUP;
}


static const struct proxy_policy policy = {
	.admit   = admit,
	.request = request_handler,
	.query   = query,
};


int scscf_alloc(struct scscf **sp, struct node *node,
		const struct cscf_cfg *cfg)
{
	struct scscf *s;
	int err;

	if (!sp || !node || !cfg)
		return EINVAL;

	s = mem_zalloc(sizeof(*s), scscf_destructor);
	if (!s)
		return ENOMEM;

	s->node = node;
	s->cfg = *cfg;
	if (!s->cfg.reg_min_expires)
		s->cfg.reg_min_expires = 1;
	if (!s->cfg.reg_max_expires)
		s->cfg.reg_max_expires = 600000;
	if (!s->cfg.nonce_lifetime)
		s->cfg.nonce_lifetime = 60;

	err  = hash_alloc(&s->bindings, 4096);
	err |= hash_alloc(&s->aliases, 8192);
	err |= hash_alloc(&s->nonces, 4096);
	err |= wheel_alloc(&s->wheel, 4096);
	err |= hash_alloc(&s->odis, 1024);
	err |= hash_alloc(&s->avsets, 256);
	err |= hash_alloc(&s->tgruus, 1024);
	err |= hash_alloc(&s->regsubs, 1024);
	if (err) {
		err = ENOMEM;
		goto out;
	}

	err = re_sdprintf(&s->uri, "sip:%s", node_host(node));
	if (!err)
		err = cx_listen(&s->cx, s->node, s->uri, scscf_rtr, scscf_ppr,
				 s);
	if (err)
		goto out;

	err = proxy_alloc(&s->px, node, &policy, s);

 out:
	if (err)
		mem_deref(s);
	else
		*sp = s;

	return err;
}


uint32_t scscf_binding_count(const struct scscf *s)
{
	return s ? sipx_hash_count(s->bindings) : 0;
}
