/* SPDX-License-Identifier: BSD-3-Clause */
/* The AS's registrar for third-party REGISTERs (TS 24.229 5.7.1.1): per
 * served IMPU, whether the user is registered and for how long, which
 * scenarios check.  A registration that ends, by de-REGISTER or by
 * expiry, is told to every service: what the user held goes with it. */

#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "tsx.h"
#include "as.h"
#include "asint.h"

struct registrar {
	struct as *as;
	struct hash *regs;
};

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


static bool reg_cmp(struct le *le, void *arg)
{
	const struct asreg *r = le->data;

	return 0 == str_casecmp(r->impu, arg);
}


static struct asreg *reg_find(const struct registrar *rg, const char *impu)
{
	return list_ledata(hash_lookup(rg->regs, hash_joaat_str_ci(impu),
				       reg_cmp, (void *)impu));
}


static void reg_expired(void *arg)
{
	struct asreg *r = arg;

	r->registered = false;
	as_user_gone(r->as, r->impu);
}


static struct asreg *reg_get(struct registrar *rg, const char *impu)
{
	struct asreg *r = reg_find(rg, impu);

	if (r)
		return r;

	r = mem_zalloc(sizeof(*r), asreg_destructor);
	if (!r || str_dup(&r->impu, impu))
		return mem_deref(r);

	r->as = rg->as;
	hash_append(rg->regs, hash_joaat_str_ci(r->impu), &r->he, r);

	return r;
}


static void handle_register(struct registrar *rg, const struct sip_msg *msg)
{
	struct as *as = rg->as;
	char impu[256];
	struct asreg *r;
	uint32_t expires;

	if (sipx_uri_aor(impu, sizeof(impu), &msg->to.auri)) {
		(void)tsx_reply(NULL, tsx_of(as->node), msg, 400,
				 "Bad Request");
		return;
	}

	expires = sipx_expires(msg, NULL, 3600);

	r = reg_get(rg, impu);
	if (!r) {
		(void)tsx_reply(NULL, tsx_of(as->node), msg, 500,
				 "Server Internal Error");
		return;
	}

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

	(void)tsx_replyf(NULL, tsx_of(as->node), msg, false, 200,
			  "OK", "Contact: <sip:%s>;expires=%u\r\n"
			  "Content-Length: 0\r\n\r\n",
			  node_host(as->node), expires);

	if (!expires)
		as_user_gone(as, impu);
}


static bool registrar_request(void *svc, const struct sip_msg *msg)
{
	if (pl_strcmp(&msg->met, "REGISTER"))
		return false;

	handle_register(svc, msg);

	return true;
}


static int registrar_query(struct re_printf *pf, const void *svc,
			   const char *what, const char *arg)
{
	const struct asreg *r;

	if (str_casecmp(what, "third_party"))
		return ENOTSUP;

	r = reg_find(svc, arg);
	if (!r)
		return re_hprintf(pf, "none");

	return re_hprintf(pf, "%s expires=%u count=%u",
			  r->registered ? "registered" : "deregistered",
			  r->expires, r->count);
}


static void destructor(void *arg)
{
	struct registrar *rg = arg;

	hash_flush(rg->regs);
	mem_deref(rg->regs);
}


static int registrar_alloc(void **svcp, struct as *as)
{
	struct registrar *rg = mem_zalloc(sizeof(*rg), destructor);
	int err;

	if (!rg)
		return ENOMEM;

	rg->as = as;
	err = hash_alloc(&rg->regs, 1024);
	if (err) {
		mem_deref(rg);
		return err;
	}

	*svcp = rg;

	return 0;
}


const struct as_service as_registrar = {
	"registrar", registrar_alloc, registrar_request, registrar_query,
	NULL,
};
