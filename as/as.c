/* SPDX-License-Identifier: BSD-3-Clause */
/* The AS host: a SIP UAS on the ISC interface that takes requests from
 * the S-CSCF only and offers them to its services in the order of the
 * table below (third-party registration, sysinfo, the telephony
 * service, voicemail, click-to-dial), and
 * the GM, IM and PS modules those services point users to. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "tsx.h"
#include "as.h"
#include "asint.h"

static const struct as_service *const svcv[AS_SVC_COUNT] = {
	[AS_SVC_REGISTRAR] = &as_registrar,
	[AS_SVC_SYSINFO]   = &as_sysinfo,
	[AS_SVC_TAS]       = &as_tas,
	[AS_SVC_VOICEMAIL] = &as_voicemail,
	[AS_SVC_C2D]       = &as_c2d,
};


static void as_destructor(void *arg)
{
	struct as *as = arg;
	size_t i;

	/* Services before the wheel their timers are on. */
	for (i = 0; i < ARRAY_SIZE(svcv); i++)
		as->svcv[i] = mem_deref(as->svcv[i]);
	for (i = 0; i < ASMOD_COUNT; i++)
		mem_deref(as->mods[i]);
	mem_deref(as->wheel);
}


void *as_service(const struct as *as, enum as_svc_id id)
{
	return as && (size_t)id < ARRAY_SIZE(svcv) ? as->svcv[id] : NULL;
}


/* A served user's registration ended: every service lets go of what
 * the user held by being registered. */
void as_user_gone(struct as *as, const char *impu)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(svcv); i++) {
		if (svcv[i]->user_gone)
			svcv[i]->user_gone(as->svcv[i], impu);
	}
}


/* TS 24.229 5.7.1: the ISC interface; an AS takes requests from the
 * S-CSCF (or a peer the topology trusts), never from a UE or a stranger
 * writing P-Asserted-Identity itself. */
static bool from_scscf(const struct sip_msg *msg)
{
	struct node *n = emul_sender(msg);

	if (n)
		return node_role(n) == ROLE_SCSCF;

	return emul_trusted(msg);
}


static bool request_handler(const struct sip_msg *msg, void *arg)
{
	struct as *as = arg;
	const char *why = NULL;
	size_t i;

	if (pl_strcmp(&msg->met, "ACK") && sipx_bad_request(msg, true, &why)) {
		(void)tsx_reply(NULL, tsx_of(as->node), msg, 400, why);
		return true;
	}

	if (!from_scscf(msg)) {
		if (pl_strcmp(&msg->met, "ACK")) {
			elog(LOG_INFO, node_name(as->node), "trust",
			     "%r from %J, not the S-CSCF: 403", &msg->met,
			     &msg->src);
			(void)tsx_reply(NULL, tsx_of(as->node), msg, 403,
					 "Not from the S-CSCF");
		}
		return true;
	}

	for (i = 0; i < ARRAY_SIZE(svcv); i++) {
		if (svcv[i]->reqh(as->svcv[i], msg))
			return true;
	}

	if (!pl_strcmp(&msg->met, "ACK"))
		return true;

	(void)tsx_replyf(NULL, tsx_of(as->node), msg, false, 405,
			  "Method Not Allowed",
			  "Allow: REGISTER, SUBSCRIBE, REFER, INVITE, BYE\r\n"
			  "Content-Length: 0\r\n\r\n");
	return true;
}


static int query(struct re_printf *pf, void *impl, const char *what,
		 const char *arg)
{
	struct as *as = impl;
	uint32_t n = 0;
	size_t i;
	int err = ENOTSUP;

	for (i = 0; err == ENOTSUP && i < ARRAY_SIZE(svcv); i++)
		err = svcv[i]->query(pf, as->svcv[i], what, arg);

	if (err != ENOTSUP || str_casecmp(what, "http_requests"))
		return err;

	for (i = 0; i < ASMOD_COUNT; i++)
		n += asmod_requests(as->mods[i]);

	return re_hprintf(pf, "%u", n);
}


static bool stray_handler(const struct sip_msg *msg, void *arg)
{
	return as_c2d_stray(arg, msg) || as_tas_stray(arg, msg);
}


static const struct node_ops ops = {
	.reqh  = request_handler,
	.resph = stray_handler,
	.query = query,
};


static int module_start(struct as *as, enum asmod_kind k, bool listen)
{
	as->mods[k] = mem_deref(as->mods[k]);
	if (!listen)
		return 0;

	return asmod_alloc(&as->mods[k], k, as->node, &as->modaddr[k],
			   as->db, sysinfo_token_user, as);
}


int as_alloc(struct as **ap, struct node *node, const struct as_cfg *cfg)
{
	struct as *as;
	size_t i;
	int err;

	if (!ap || !node || !cfg)
		return EINVAL;

	as = mem_zalloc(sizeof(*as), as_destructor);
	if (!as)
		return ENOMEM;

	as->node = node;
	as->db = cfg->db;
	as->ring_ms = cfg->ring_ms ? cfg->ring_ms : 30000;
	err = wheel_alloc(&as->wheel, 4096);
	/* The node's transaction layer, there before the first message. */
	if (!err && !tsx_of(node))
		err = ENOMEM;
	for (i = 0; !err && i < ARRAY_SIZE(svcv); i++)
		err = svcv[i]->alloc(&as->svcv[i], as);
	if (err)
		goto out;

	node_set_impl(node, as, &ops);

	/* No database, no modules: an AS of the benchmark, say. */
	for (i = 0; as->db && i < ASMOD_COUNT; i++) {
		as->modaddr[i] = cfg->mods[i];
		err = module_start(as, (enum asmod_kind)i, !cfg->mod_down[i]);
		if (err)
			goto out;
	}

 out:
	if (err)
		mem_deref(as);
	else
		*ap = as;

	return err;
}


/* Moves a module (or takes it down) while running, and tells every
 * subscriber where it is now. */
int as_module_set(struct as *as, int kind, const struct sa *addr,
		  bool down)
{
	enum asmod_kind k = (enum asmod_kind)kind;
	int err;

	if (!as || kind < 0 || kind >= ASMOD_COUNT || !addr)
		return EINVAL;

	as->modaddr[k] = *addr;
	err = module_start(as, k, !down);
	if (err)
		return err;

	sysinfo_notify_all(as);

	return 0;
}


void as_ring_timeout(struct as *as, uint32_t ms)
{
	if (as && ms)
		as->ring_ms = ms;
}


void as_corrupt_notify(struct as *as, bool on)
{
	if (as)
		as->corrupt = on;
}
