/* SPDX-License-Identifier: BSD-3-Clause */
/* The AS host: a SIP UAS on the ISC interface.  It accepts third-party
 * REGISTERs (TS 24.229 5.7.1.1) and keeps, per served IMPU, whether the
 * user is registered and for how long, which scenarios check. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "as.h"
#include "asint.h"

struct asreg {
	struct le he;
	struct as *as;
	char *impu;
	uint32_t expires;
	uint32_t count;         /* third-party REGISTERs received */
	bool registered;
	struct wheel_ent went;
};

static void asreg_destructor(void *arg)
{
	struct asreg *r = arg;

	hash_unlink(&r->he);
	wheel_cancel(&r->went);
	mem_deref(r->impu);
}


static void as_destructor(void *arg)
{
	struct as *as = arg;

	size_t i;

	c2d_flush(as);
	sysinfo_flush(as);
	for (i = 0; i < ASMOD_COUNT; i++)
		mem_deref(as->mods[i]);
	mem_deref(as->tokens);
	mem_deref(as->by_callid);
	hash_flush(as->regs);
	mem_deref(as->regs);
	mem_deref(as->wheel);
}


static bool reg_cmp(struct le *le, void *arg)
{
	const struct asreg *r = le->data;

	return 0 == str_casecmp(r->impu, arg);
}


static struct asreg *reg_find(const struct as *as, const char *impu)
{
	return list_ledata(hash_lookup(as->regs, hash_joaat_str_ci(impu),
				       reg_cmp, (void *)impu));
}


static void reg_expired(void *arg)
{
	struct asreg *r = arg;

	r->registered = false;
	sysinfo_user_gone(r->as, r->impu);
}


static void handle_register(struct as *as, const struct sip_msg *msg)
{
	char impu[256];
	struct asreg *r;
	uint32_t expires;

	if (sipx_uri_aor(impu, sizeof(impu), &msg->to.auri)) {
		(void)sip_treply(NULL, node_sip(as->node), msg, 400,
				 "Bad Request");
		return;
	}

	expires = sipx_expires(msg, NULL, 3600);

	r = reg_find(as, impu);
	if (!r) {
		r = mem_zalloc(sizeof(*r), asreg_destructor);
		if (!r || str_dup(&r->impu, impu)) {
			mem_deref(r);
			(void)sip_treply(NULL, node_sip(as->node), msg, 500,
					 "Server Internal Error");
			return;
		}
		hash_append(as->regs, hash_joaat_str_ci(r->impu), &r->he, r);
	}

	r->as = as;
	r->count++;
	r->expires = expires;
	r->registered = expires > 0;
	if (expires)
		wheel_start(as->wheel, &r->went, expires * 1000ULL,
			    reg_expired, r);
	else
		wheel_cancel(&r->went);

	elog(LOG_INFO, node_name(as->node), "isc", "%s %s (%us)", impu,
	     expires ? "registered" : "de-registered", expires);

	(void)sip_treplyf(NULL, NULL, node_sip(as->node), msg, false, 200,
			  "OK", "Contact: <sip:%s>;expires=%u\r\n"
			  "Content-Length: 0\r\n\r\n",
			  node_host(as->node), expires);

	/* What the user held by being registered goes with it. */
	if (!expires)
		sysinfo_user_gone(as, impu);
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

	if (pl_strcmp(&msg->met, "ACK") && sipx_bad_request(msg, true, &why)) {
		(void)sip_treply(NULL, node_sip(as->node), msg, 400, why);
		return true;
	}

	if (!from_scscf(msg)) {
		if (pl_strcmp(&msg->met, "ACK")) {
			elog(LOG_INFO, node_name(as->node), "trust",
			     "%r from %J, not the S-CSCF: 403", &msg->met,
			     &msg->src);
			(void)sip_treply(NULL, node_sip(as->node), msg, 403,
					 "Not from the S-CSCF");
		}
		return true;
	}

	if (!pl_strcmp(&msg->met, "REGISTER")) {
		handle_register(as, msg);
		return true;
	}

	if (sysinfo_request(as, msg) || c2d_request(as, msg))
		return true;

	if (!pl_strcmp(&msg->met, "ACK"))
		return true;

	(void)sip_treplyf(NULL, NULL, node_sip(as->node), msg, false, 405,
			  "Method Not Allowed",
			  "Allow: REGISTER, SUBSCRIBE, REFER, BYE\r\n"
			  "Content-Length: 0\r\n\r\n");
	return true;
}


static int query(struct re_printf *pf, void *impl, const char *what,
		 const char *arg)
{
	struct as *as = impl;
	struct asreg *r;

	if (!str_casecmp(what, "subscriptions"))
		return re_hprintf(pf, "%u", sysinfo_count(as));

	if (!str_casecmp(what, "calls"))
		return re_hprintf(pf, "%u", c2d_count(as));

	if (!str_casecmp(what, "http_requests")) {
		uint32_t n = 0;
		size_t i;

		for (i = 0; i < ASMOD_COUNT; i++)
			n += asmod_requests(as->mods[i]);
		return re_hprintf(pf, "%u", n);
	}

	if (!str_casecmp(what, "third_party")) {
		r = reg_find(as, arg);
		if (!r)
			return re_hprintf(pf, "none");
		return re_hprintf(pf, "%s expires=%u count=%u",
				  r->registered ? "registered" :
				  "deregistered", r->expires, r->count);
	}

	return ENOTSUP;
}


static const struct node_ops ops = {
	.reqh  = request_handler,
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
	err  = hash_alloc(&as->regs, 1024);
	err |= hash_alloc(&as->tokens, 64);
	err |= hash_alloc(&as->by_callid, 256);
	err |= wheel_alloc(&as->wheel, 4096);
	if (err) {
		err = ENOMEM;
		goto out;
	}

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
