/* SPDX-License-Identifier: BSD-3-Clause */
/* The S-CSCF as notifier of the reg event package (RFC 3680, TS 24.229
 * 5.4.2.1): the user's UE (any identity of the implicit set) and the
 * P-CSCF on its Path subscribe to a registered IMPU; the first NOTIFY
 * has the full state, each change a partial one with the contact that
 * changed and the next version; the end of the registration a last
 * NOTIFY with every contact terminated and Subscription-State
 * terminated.  A NOTIFY waits for the one before it (RFC 6665 4.2.2);
 * what changed meanwhile goes as full state, which needs no version
 * order at the subscriber. */

#include <string.h>
#include <re.h>
#include "hss.h"
#include "host.h"
#include "sipkit.h"
#include "tsx.h"
#include "reginfo.h"
#include "proxy.h"
#include "cscf.h"
#include "scscf.h"
#include "gruu.h"

enum {
	REGSUB_DEFAULT_EXPIRES = 600000,        /* RFC 3680 6.4: 3761 */
	REGSUB_MAX_EXPIRES = 3761,
};

struct regsub {
	struct le he;           /* in s->regsubs, by Call-ID */
	struct le le;           /* in its binding's subs */
	struct scscf *s;
	struct binding *b;      /* NULL once the registration ended */
	struct dlg *dlg;
	struct tsxh *req;
	struct wheel_ent went;
	char watcher[256];
	uint32_t version;       /* of the last document made */
	struct mbuf *queued;    /* the next NOTIFY's body */
	char queued_state[64];
	bool ended;
};


static void regsub_destructor(void *arg)
{
	struct regsub *r = arg;

	hash_unlink(&r->he);
	list_unlink(&r->le);
	wheel_cancel(&r->went);
	mem_deref(r->req);
	mem_deref(r->dlg);
	mem_deref(r->queued);
}


static enum reginfo_event ev_of(enum scscf_regev ev)
{
	static const enum reginfo_event v[] = {
		[SCSCF_REGEV_CREATED]     = REGINFO_EV_CREATED,
		[SCSCF_REGEV_REFRESHED]   = REGINFO_EV_REFRESHED,
		[SCSCF_REGEV_SHORTENED]   = REGINFO_EV_SHORTENED,
		[SCSCF_REGEV_EXPIRED]     = REGINFO_EV_EXPIRED,
		[SCSCF_REGEV_DEACTIVATED] = REGINFO_EV_DEACTIVATED,
		[SCSCF_REGEV_UNREGISTERED] = REGINFO_EV_UNREGISTERED,
		[SCSCF_REGEV_REJECTED]    = REGINFO_EV_REJECTED,
	};

	return (size_t)ev < ARRAY_SIZE(v) ? v[ev] : REGINFO_EV_REGISTERED;
}


static bool ev_ends(enum scscf_regev ev)
{
	return ev >= SCSCF_REGEV_EXPIRED;
}


static int contact_add(struct reginfo_reg *reg, const struct bcontact *c,
		       enum reginfo_event ev, bool ended)
{
	struct reginfo_contact *ct;
	uint64_t now = tmr_jiffies();
	char id[16];
	int err;

	(void)re_snprintf(id, sizeof(id), "c%u", c->id);
	err = reginfo_contact_add(&ct, reg, id, c->uri, ended ?
				  REGINFO_CT_TERMINATED : REGINFO_CT_ACTIVE,
				  ev);
	if (err)
		return err;

	ct->has_expires = true;
	ct->expires = ended || c->expires_at <= now ? 0 :
		(uint32_t)((c->expires_at - now + 999) / 1000);
	if (c->q >= 0) {
		ct->has_q = true;
		ct->q = (uint16_t)c->q;
	}
	/* RFC 3680 5.2: which REGISTER the state is of, so that a watcher
	 * can tell a late NOTIFY from news of the registration it has */
	ct->has_cseq = true;
	ct->cseq = c->cseq;
	if (c->callid)
		err = str_dup(&ct->callid, c->callid);
	if (!err && c->instance)
		err = reginfo_param_add(ct, "+sip.instance", c->instance);

	return err;
}


/* The document: every IMPU of the implicit set as a registration
 * (TS 24.229 5.4.2.1.2), with one contact (partial) or all of them. */
static int doc_make(struct mbuf **mbp, struct regsub *r,
		    const struct bcontact *only, enum scscf_regev ev)
{
	const struct binding *b = r->b;
	struct reginfo *ri = NULL;
	struct pl rest, u;
	bool ended = ev_ends(ev) && (!only || list_count(&b->contacts) <= 1);
	unsigned n = 0;
	int err;

	err = reginfo_alloc(&ri, r->version++, only ? REGINFO_PARTIAL :
			    REGINFO_FULL);
	pl_set_str(&rest, b->assoc);
	while (!err && sipx_uri_next(&rest, &u)) {
		struct reginfo_reg *reg;
		char aor[256], id[16];
		struct le *le;

		(void)pl_strcpy(&u, aor, sizeof(aor));
		(void)re_snprintf(id, sizeof(id), "r%u", n++);
		err = reginfo_reg_add(&reg, ri, aor, id, ended ?
				      REGINFO_REG_TERMINATED :
				      REGINFO_REG_ACTIVE);
		if (only && !err)
			err = contact_add(reg, only, ev_of(ev), ev_ends(ev));
		for (le = b->contacts.head; !only && le && !err;
		     le = le->next)
			err = contact_add(reg, le->data, ev_ends(ev) ?
					  ev_of(ev) : REGINFO_EV_REGISTERED,
					  ev_ends(ev));
	}

	if (!err) {
		*mbp = mbuf_alloc(1024);
		err = *mbp ? reginfo_encode(*mbp, ri) : ENOMEM;
	}
	mem_deref(ri);

	return err;
}


static int notify_send(struct regsub *r, struct mbuf *body,
		       const char *state);


static void notify_resp(int err, const struct sip_msg *msg, void *arg)
{
	struct regsub *r = arg;
	struct mbuf *next;

	if (!err && msg && msg->scode < 200)
		return;

	r->req = NULL;
	if (r->queued) {
		next = r->queued;
		r->queued = NULL;
		(void)notify_send(r, next, r->queued_state);
		mem_deref(next);
		return;
	}

	/* RFC 6665 4.1.3: a subscriber that does not take it is gone. */
	if (r->ended || err || !msg || msg->scode >= 300)
		mem_deref(r);
}


static int notify_send(struct regsub *r, struct mbuf *body,
		       const char *state)
{
	char hdrs[128];
	struct pl pl;

	if (r->req) {
		mem_deref(r->queued);
		r->queued = mem_ref(body);
		str_ncpy(r->queued_state, state, sizeof(r->queued_state));
		return 0;
	}

	(void)re_snprintf(hdrs, sizeof(hdrs), "Event: reg\r\n"
			  "Subscription-State: %s\r\n", state);
	pl.p = (const char *)body->buf;
	pl.l = body->end;

	return dlg_request(&r->req, r->dlg, "NOTIFY", hdrs, REGINFO_CTYPE,
			   &pl, notify_resp, r);
}


static int notify(struct regsub *r, const struct bcontact *only,
		  enum scscf_regev ev, const char *reason)
{
	struct mbuf *mb = NULL;
	char state[64];
	int err;

	/* Full state when a NOTIFY is still out (see the top). */
	err = doc_make(&mb, r, r->req ? NULL : only, ev);
	if (err)
		return err;

	if (reason)
		(void)re_snprintf(state, sizeof(state),
				  "terminated;reason=%s", reason);
	else
		(void)re_snprintf(state, sizeof(state), "active;expires=%u",
				  (uint32_t)(wheel_left(&r->went) / 1000));

	err = notify_send(r, mb, state);
	mem_deref(mb);

	return err;
}


static void expired(void *arg)
{
	struct regsub *r = arg;
	struct mbuf *mb = NULL;

	r->ended = true;
	list_unlink(&r->le);
	if (!r->b || doc_make(&mb, r, NULL, SCSCF_REGEV_REFRESHED) ||
	    notify_send(r, mb, "terminated;reason=timeout"))
		mem_deref(r);
	else
		r->b = NULL;
	mem_deref(mb);
}


static bool callid_cmp(struct le *le, void *arg)
{
	const struct regsub *r = le->data;

	return dlg_match(r->dlg, arg);
}


static uint32_t expires_of(const struct sip_msg *msg)
{
	uint32_t e = sipx_expires(msg, NULL, REGSUB_DEFAULT_EXPIRES);

	return e == REGSUB_DEFAULT_EXPIRES ? REGSUB_MAX_EXPIRES :
		MIN(e, (uint32_t)REGSUB_MAX_EXPIRES);
}


static int reply_ok(struct scscf *s, const struct sip_msg *msg,
		    uint32_t expires)
{
	return tsx_replyf(NULL, tsx_of(s->node), msg, true, 200, "OK",
			  "Contact: <sip:%s>\r\n"
			  "Expires: %u\r\n"
			  "Content-Length: 0\r\n\r\n",
			  node_host(s->node), expires);
}


/* TS 24.229 5.4.2.1.1: the user itself (an identity of the set the
 * P-CSCF asserted) or the P-CSCF on a device's Path. */
static bool authorised(const struct binding *b, const struct sip_msg *msg,
		       char *who, size_t sz)
{
	struct le *le;
	const char *host;
	char at[160];

	if (sipx_asserted_id(who, sz, msg))
		return false;
	if (scscf_binding(b->s, who) == b)
		return true;

	/* sip:pcscf.<domain> asserted, and "@pcscf.<domain>" on a Path */
	host = strchr(who, '@') ? strchr(who, '@') + 1 :
		!strncmp(who, "sip:", 4) ? who + 4 : NULL;
	if (!host)
		return false;
	(void)re_snprintf(at, sizeof(at), "@%s;", host);
	for (le = b->contacts.head; le; le = le->next) {
		const struct bcontact *c = le->data;

		if (c->paths && strstr(c->paths, at))
			return true;
	}

	return false;
}


static void subscribe_initial(struct scscf *s, const struct sip_msg *msg,
			      struct binding *b)
{
	char contact[160];
	uint32_t expires = expires_of(msg);
	struct regsub *r;
	int err;

	r = mem_zalloc(sizeof(*r), regsub_destructor);
	if (!r)
		goto fail;

	if (!authorised(b, msg, r->watcher, sizeof(r->watcher))) {
		elog(LOG_INFO, node_name(s->node), "regevent", "%s may not"
		     " watch %s: 403", r->watcher, b->impu);
		mem_deref(r);
		(void)proxy_reply(s->px, msg, 403, NULL);
		return;
	}

	r->s = s;
	r->b = b;
	(void)re_snprintf(contact, sizeof(contact), "sip:%s",
			  node_host(s->node));
	err = dlg_uas(&r->dlg, s->node, msg, contact);
	if (err)
		goto fail;

	list_append(&b->subs, &r->le, r);
	hash_append(s->regsubs, hash_joaat_str(dlg_callid(r->dlg)), &r->he,
		    r);
	elog(LOG_INFO, node_name(s->node), "regevent", "%s watches %s for"
	     " %us", r->watcher, b->impu, expires);

	(void)reply_ok(s, msg, expires);
	wheel_start(s->wheel, &r->went, expires * 1000ULL, expired, r);
	if (!expires) {
		expired(r);
		return;
	}
	if (notify(r, NULL, SCSCF_REGEV_REFRESHED, NULL))
		mem_deref(r);
	return;

 fail:
	mem_deref(r);
	(void)proxy_reply(s->px, msg, 500, NULL);
}


static void subscribe_in_dialog(struct scscf *s, const struct sip_msg *msg,
				struct regsub *r)
{
	uint32_t expires = expires_of(msg);

	if (r->ended || !r->b || !dlg_rseq_ok(r->dlg, msg)) {
		(void)proxy_reply(s->px, msg, 481, NULL);
		return;
	}

	(void)reply_ok(s, msg, expires);
	wheel_start(s->wheel, &r->went, expires * 1000ULL, expired, r);
	if (!expires)
		expired(r);
	else if (notify(r, NULL, SCSCF_REGEV_REFRESHED, NULL))
		mem_deref(r);
}


bool scscf_regevent_request(struct scscf *s, const struct sip_msg *msg)
{
	const struct sip_hdr *ev = sip_msg_hdr(msg, SIP_HDR_EVENT);
	struct binding *b;
	struct regsub *r;
	char aor[256];

	if (pl_strcmp(&msg->met, "SUBSCRIBE") || !ev ||
	    pl_strcmp(&ev->val, "reg"))
		return false;

	if (pl_isset(&msg->to.tag)) {
		r = list_ledata(hash_lookup(s->regsubs,
					    hash_joaat_pl(&msg->callid),
					    callid_cmp, (void *)msg));
		if (!r)
			return false;   /* someone else's: routed on */
		subscribe_in_dialog(s, msg, r);
		return true;
	}

	if (sipx_uri_aor(aor, sizeof(aor), &msg->ruri))
		return false;
	b = scscf_binding(s, aor);
	if (!b)
		return false;

	subscribe_initial(s, msg, b);
	return true;
}


void scscf_regevent_contact(struct binding *b, const struct bcontact *c,
			    enum scscf_regev ev)
{
	struct le *le = b->subs.head;

	while (le) {
		struct regsub *r = le->data;

		le = le->next;
		if (notify(r, c, ev, NULL))
			mem_deref(r);
	}
}


/* The registration ended: the last NOTIFY of each subscription, with
 * why (RFC 6665 4.2.2: deactivated asks for a new subscription later,
 * noresource that there is nothing left to watch). */
void scscf_regevent_end(struct binding *b, enum scscf_regev ev,
			const char *reason)
{
	struct le *le = b->subs.head;

	while (le) {
		struct regsub *r = le->data;

		le = le->next;
		r->ended = true;
		list_unlink(&r->le);
		if (notify(r, NULL, ev, reason))
			mem_deref(r);
		else
			r->b = NULL;
	}
}


void scscf_regevent_detach(struct binding *b)
{
	struct le *le = b->subs.head;

	while (le) {
		struct regsub *r = le->data;

		le = le->next;
		list_unlink(&r->le);
		r->b = NULL;
	}
}
