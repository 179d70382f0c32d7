/* SPDX-License-Identifier: BSD-3-Clause */
/* The P-CSCF as a watcher of the reg event package (TS 24.229 5.2.3):
 * after a user's first registration through it, a SUBSCRIBE Event: reg
 * to the IMPU, sent to the home network's I-CSCF as a terminating
 * request so that the serving S-CSCF answers; a contact the NOTIFYs say
 * terminated (expired, deactivated, rejected, unregistered) is dropped
 * from the P-CSCF's registrations, and a terminated registration takes
 * every device of the user with it.  One subscription per IMPU: each
 * NOTIFY lists all of the user's devices. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "tsx.h"
#include "reginfo.h"
#include "pcscf_watch.h"

struct pcscf_watch {
	struct node *node;
	struct hash *watches;           /* struct watch, by IMPU */
	struct hash *by_callid;         /* the same, by its Call-ID */
	pcscf_drop_h *droph;
	void *arg;
};

struct watch {
	struct le he;
	struct le he_cid;
	struct pcscf_watch *pw;
	struct regwatch *w;
	char impu[];
};


static void watch_destructor(void *arg)
{
	struct watch *wt = arg;

	hash_unlink(&wt->he);
	hash_unlink(&wt->he_cid);
	mem_deref(wt->w);
}


static void pw_destructor(void *arg)
{
	struct pcscf_watch *pw = arg;

	hash_flush(pw->watches);
	mem_deref(pw->watches);
	mem_deref(pw->by_callid);
}


int pcscf_watch_alloc(struct pcscf_watch **pwp, struct node *node,
		      pcscf_drop_h *droph, void *arg)
{
	struct pcscf_watch *pw;

	if (!pwp || !node || !droph)
		return EINVAL;

	pw = mem_zalloc(sizeof(*pw), pw_destructor);
	if (!pw)
		return ENOMEM;

	pw->node = node;
	pw->droph = droph;
	pw->arg = arg;
	if (hash_alloc(&pw->watches, 256) || hash_alloc(&pw->by_callid, 256)) {
		mem_deref(pw);
		return ENOMEM;
	}

	*pwp = pw;
	return 0;
}


static bool impu_cmp(struct le *le, void *arg)
{
	const struct watch *wt = le->data;

	return 0 == str_casecmp(wt->impu, arg);
}


static struct watch *watch_find(const struct pcscf_watch *pw,
				const char *impu)
{
	return list_ledata(hash_lookup(pw->watches, hash_joaat_str_ci(impu),
				       impu_cmp, (void *)impu));
}


/* Each terminated contact goes; a terminated registration, all. */
static void view_handler(struct regwatch *w, const struct reginfo *view,
			 void *arg)
{
	struct watch *wt = arg;
	struct pcscf_watch *pw = wt->pw;
	struct le *le, *cle;
	(void)w;

	for (le = view->regl.head; le; le = le->next) {
		const struct reginfo_reg *reg = le->data;

		if (str_casecmp(reg->aor, wt->impu))
			continue;
		for (cle = reg->ctl.head; cle; cle = cle->next) {
			const struct reginfo_contact *ct = cle->data;

			if (ct->state == REGINFO_CT_TERMINATED ||
			    reg->state == REGINFO_REG_TERMINATED)
				pw->droph(wt->impu, ct->uri, ct->callid,
					  ct->has_cseq ? ct->cseq : 0,
					  pw->arg);
		}
		if (reg->state == REGINFO_REG_TERMINATED &&
		    list_isempty(&reg->ctl))
			pw->droph(wt->impu, NULL, NULL, 0, pw->arg);
	}
}


static void sub_resp(int err, uint16_t scode, void *arg)
{
	struct watch *wt = arg;

	if (err || scode >= 300) {
		elog(LOG_INFO, node_name(wt->pw->node), "regevent",
		     "reg subscription for %s: %u (%m)", wt->impu, scode, err);
		mem_deref(wt);
	}
}


void pcscf_watch_reg(struct pcscf_watch *pw, const char *impu)
{
	struct node *ic = emul_node_by_role(ROLE_ICSCF);
	struct regwatch_req rq;
	struct watch *wt;
	char me[128], route[96], pai[160];
	struct uri rt;
	struct pl pl;
	size_t n;

	if (!pw || !impu || !ic)
		return;

	wt = watch_find(pw, impu);
	if (wt && !regwatch_ended(wt->w))
		return;
	mem_deref(wt);

	n = strlen(impu);
	wt = mem_zalloc(sizeof(*wt) + n + 1, watch_destructor);
	if (!wt)
		return;
	memcpy(wt->impu, impu, n + 1);
	wt->pw = pw;
	hash_append(pw->watches, hash_joaat_str_ci(wt->impu), &wt->he, wt);

	/* TS 24.229 5.2.3: the P-CSCF asserts itself as the watcher. */
	(void)re_snprintf(me, sizeof(me), "sip:%s", node_host(pw->node));
	(void)re_snprintf(pai, sizeof(pai), "P-Asserted-Identity: <%s>\r\n",
			  me);
	(void)re_snprintf(route, sizeof(route), "sip:%J", node_addr(ic));
	pl_set_str(&pl, route);
	if (uri_decode(&rt, &pl)) {
		mem_deref(wt);
		return;
	}

	rq.aor = wt->impu;
	rq.from = me;
	rq.contact = me;
	rq.route = &rt;
	rq.hdrs = pai;
	rq.expires = 600000;

	if (regwatch_subscribe(&wt->w, pw->node, &rq, view_handler, sub_resp,
			       wt)) {
		mem_deref(wt);
		return;
	}

	hash_append(pw->by_callid, hash_joaat_str(regwatch_callid(wt->w)),
		    &wt->he_cid, wt);
}


static bool notify_apply(struct le *le, void *arg)
{
	struct watch *wt = le->data;

	return regwatch_notify(wt->w, arg);
}


bool pcscf_watch_request(struct pcscf_watch *pw, const struct sip_msg *msg,
			 char *ended, size_t sz)
{
	struct le *le;
	struct watch *wt;

	ended[0] = '\0';
	if (!pw || !regwatch_is_reg_notify(msg))
		return false;

	/* a NOTIFY names its subscription by Call-ID */
	le = hash_lookup(pw->by_callid, hash_joaat_pl(&msg->callid),
			 notify_apply, (void *)msg);
	if (!le)
		return false;

	wt = le->data;
	if (regwatch_ended(wt->w)) {
		str_ncpy(ended, wt->impu, sz);
		mem_deref(wt);
	}

	return true;
}


int pcscf_watch_query(struct re_printf *pf, const struct pcscf_watch *pw,
		      const char *what, const char *impu)
{
	const struct watch *wt = pw && impu ? watch_find(pw, impu) : NULL;

	return regwatch_query(pf, wt ? wt->w : NULL, what);
}
