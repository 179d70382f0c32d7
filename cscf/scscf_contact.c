/* SPDX-License-Identifier: BSD-3-Clause */
/* A registered user's devices (RFC 3261 10.3, TS 24.229 5.4.1.2): each
 * Contact with its own expiry, q-value and Path.  A device is its
 * +sip.instance when it gives one, else its Contact URI; with RFC 5626
 * outbound an instance may keep one flow per reg-id, and a request goes
 * to its newest flow only (RFC 5626 5.3).  A request to the user forks
 * to every device, the highest q first. */

#include <string.h>
#include <re.h>
#include "hss.h"
#include "host.h"
#include "sipkit.h"
#include "proxy.h"
#include "cscf.h"
#include "scscf.h"
#include "gruu.h"


static void bcontact_destructor(void *arg)
{
	struct bcontact *c = arg;

	list_unlink(&c->le);
	hash_unlink(&c->he_tgruu);
	wheel_cancel(&c->went);
	mem_deref(c->uri);
	mem_deref(c->instance);
	mem_deref(c->paths);
	mem_deref(c->callid);
}


/* A device's registration ran out; the user's, with its last one. */
static void expiry_handler(void *arg)
{
	struct bcontact *c = arg;
	struct binding *b = c->b;

	elog(LOG_INFO, node_name(b->s->node), "reg", "%s: contact %s "
	     "expired", b->impu, c->uri);
	if (list_count(&b->contacts) > 1)
		scscf_regevent_contact(b, c, SCSCF_REGEV_EXPIRED);
	else
		scscf_regevent_end(b, SCSCF_REGEV_EXPIRED, "noresource");
	mem_deref(c);
	if (list_isempty(&b->contacts))
		scscf_binding_remove(b, CX_SAR_TIMEOUT_DEREGISTRATION);
}


/* RFC 3261 25.1 qvalue: "0" ["." 0*3DIGIT] / "1" ["." 0*3"0"], in
 * thousandths; -1 when it is none. */
int scscf_contact_q(const struct pl *v)
{
	int q = 0, scale = 100;
	size_t i;

	if (!v || !v->l || (v->p[0] != '0' && v->p[0] != '1') ||
	    (v->l > 1 && v->p[1] != '.') || v->l > 5)
		return -1;

	for (i = 2; i < v->l; i++, scale /= 10) {
		if (v->p[i] < '0' || v->p[i] > '9')
			return -1;
		q += (v->p[i] - '0') * scale;
	}

	if (v->p[0] == '1')
		return q ? -1 : 1000;

	return q;
}


/* The first Path URI has the "ob" parameter (RFC 5626 5.1). */
static bool path_ob(const struct pl *path)
{
	struct sip_addr addr;
	struct pl v;

	return !sip_addr_decode(&addr, path) &&
		!msg_param_exists(&addr.uri.params, "ob", &v);
}


/* RFC 5626 6: the reg-id counts with an instance, over a first hop that
 * does outbound (its Path URI says ";ob"), or with no Path at all. */
static uint32_t reg_id(const struct sip_msg *msg, const struct sip_addr *ct)
{
	const struct sip_hdr *path = sip_msg_hdr(msg, SIP_HDR_PATH);
	struct pl v, inst;

	if (msg_param_decode(&ct->params, "reg-id", &v) ||
	    msg_param_decode(&ct->params, "+sip.instance", &inst))
		return 0;

	if (path && !path_ob(&path->val))
		return 0;

	return pl_u32(&v);
}


static bool same_device(const struct bcontact *c, const struct pl *uri,
			const struct pl *inst, uint32_t regid)
{
	if (c->instance || pl_isset(inst))
		return c->instance && pl_isset(inst) &&
			!pl_strcmp(inst, c->instance) && c->regid == regid;

	return !pl_strcmp(uri, c->uri);
}


struct bcontact *scscf_contact_find(const struct binding *b,
				    const struct sip_msg *msg,
				    const struct sip_addr *ct)
{
	struct pl inst = PL_INIT;
	uint32_t regid = reg_id(msg, ct);
	struct le *le;

	(void)msg_param_decode(&ct->params, "+sip.instance", &inst);
	for (le = b->contacts.head; le; le = le->next) {
		if (same_device(le->data, &ct->auri, &inst, regid))
			return le->data;
	}

	return NULL;
}


bool scscf_contact_outbound(const struct binding *b)
{
	struct le *le;

	for (le = b ? b->contacts.head : NULL; le; le = le->next) {
		const struct bcontact *c = le->data;

		if (c->regid)
			return true;
	}

	return false;
}


/* RFC 5627 4.2: an instance's "<urn:...>" less its brackets. */
static struct pl instance_id(const char *inst)
{
	struct pl pl;

	pl_set_str(&pl, inst);
	if (pl.l >= 2 && pl.p[0] == '<' && pl.p[pl.l - 1] == '>') {
		++pl.p;
		pl.l -= 2;
	}

	return pl;
}


/* RFC 5627 5.2 and TS 24.229 5.4.7A.2: the pair, public and temporary. */
static int gruus_print(struct re_printf *pf, const struct bcontact *c)
{
	struct pl id = instance_id(c->instance);

	int err;

	err  = re_hprintf(pf, ";pub-gruu=\"%s;gr=%r\";temp-gruu=\"",
			  c->b->impu, &id);
	err |= gruu_temp_print(pf, node_name(c->b->s->node), c->tgruu,
			       emul_domain());

	return err | re_hprintf(pf, "\"");
}


static bool tgruu_cmp(struct le *le, void *arg)
{
	const struct bcontact *c = le->data;

	return 0 == pl_strcmp(arg, c->tgruu);
}


int scscf_gruu_lookup(const struct scscf *s, const struct pl *ruri,
		      char *impu, size_t sz, const struct bcontact **cp)
{
	struct pl pub, scscf, token;
	const struct bcontact *c = NULL;
	const struct binding *b;
	struct le *le;

	if (gruu_decode(ruri, &pub, &scscf, &token))
		return ENOENT;

	*cp = NULL;
	if (!pl_isset(&pub)) {
		c = list_ledata(hash_lookup(s->tgruus, hash_joaat_pl(&token),
					    tgruu_cmp, &token));
		if (!c)
			return ESRCH;
		str_ncpy(impu, c->b->impu, sz);
		*cp = c;
		return 0;
	}

	if (sipx_uri_aor(impu, sz, ruri))
		return ENOENT;

	b = scscf_binding(s, impu);
	for (le = b ? b->contacts.head : NULL; le; le = le->next) {
		struct pl id;

		c = le->data;
		if (!c->instance)
			continue;
		id = instance_id(c->instance);
		if (!pl_cmp(&id, &pub)) {
			*cp = c;
			break;
		}
	}

	return 0;
}


/* Every contact of the binding with the seconds it has left (RFC 3261
 * 10.3 step 8), and what the device registered with it. */
int scscf_contacts_print(struct re_printf *pf, const struct binding *b)
{
	uint64_t now = tmr_jiffies();
	struct le *le;
	int err = 0;

	for (le = b ? b->contacts.head : NULL; le && !err; le = le->next) {
		const struct bcontact *c = le->data;
		uint64_t left = c->expires_at > now ?
			(c->expires_at - now + 999) / 1000 : 0;

		err = re_hprintf(pf, "Contact: <%s>;expires=%llu", c->uri,
				 (unsigned long long)left);
		if (c->q >= 0)
			err |= re_hprintf(pf, ";q=%d.%03d", c->q / 1000,
					  c->q % 1000);
		if (c->instance)
			err |= re_hprintf(pf, ";+sip.instance=\"%s\"",
					  c->instance);
		if (c->regid)
			err |= re_hprintf(pf, ";reg-id=%u", c->regid);
		if (c->tgruu[0])
			err |= re_hprintf(pf, "%H", gruus_print, c);
		err |= re_hprintf(pf, "\r\n");
	}

	return err;
}


/* The device's contact, new or refreshed, with its own expiry. */
int scscf_contact_set(struct binding *b, const struct sip_msg *msg,
		      const struct sip_addr *ct, uint32_t expires,
		      struct bcontact **cp)
{
	struct bcontact *c = scscf_contact_find(b, msg, ct);
	struct pl v;
	int err = 0;

	if (!c) {
		c = mem_zalloc(sizeof(*c), bcontact_destructor);
		if (!c)
			return ENOMEM;
		c->b = b;
		c->id = ++b->s->next_cid;
		c->last = SCSCF_REGEV_CREATED;
		c->regid = reg_id(msg, ct);
		err = pl_strdup(&c->uri, &ct->auri);
		if (!err && !msg_param_decode(&ct->params, "+sip.instance",
					      &v))
			err = pl_strdup(&c->instance, &v);
		list_append(&b->contacts, &c->le, c);
		if (err) {
			mem_deref(c);
			return err;
		}
	}
	else {
		c->last = expires < c->expires ? SCSCF_REGEV_SHORTENED :
			SCSCF_REGEV_REFRESHED;
	}

	if (pl_strcmp(&ct->auri, c->uri)) {
		/* the same device (instance) at a new address */
		c->uri = mem_deref(c->uri);
		err = pl_strdup(&c->uri, &ct->auri);
	}

	c->q = msg_param_decode(&ct->params, "q", &v) ? -1 :
		scscf_contact_q(&v);

	/* RFC 5627 5.2: a device with an instance that supports gruu gets
	 * its pair; the temporary one lasts as long as the contact. */
	c->gruu = c->instance &&
		sip_msg_hdr_has_value(msg, SIP_HDR_SUPPORTED, "gruu");
	if (c->gruu && !c->tgruu[0]) {
		(void)re_snprintf(c->tgruu, sizeof(c->tgruu), "%016llx",
				  emul_rand_u64());
		hash_append(b->s->tgruus, hash_joaat_str(c->tgruu),
			    &c->he_tgruu, c);
	}
	c->paths = mem_deref(c->paths);
	err |= sipx_hdr_lines(&c->paths, msg, SIP_HDR_PATH, "Path");
	c->callid = mem_deref(c->callid);
	err |= pl_strdup(&c->callid, &msg->callid);
	c->cseq = msg->cseq.num;
	if (err)
		return err;

	c->expires = expires;
	c->refreshed = tmr_jiffies();
	c->expires_at = c->refreshed + expires * 1000ULL;
	wheel_start(b->s->wheel, &c->went, expires * 1000ULL, expiry_handler,
		    c);
	*cp = c;

	return 0;
}


static int qval(const struct bcontact *c)
{
	return c->q >= 0 ? c->q : 1000;
}


/* Whether c goes before d: the higher q, then the newer. */
static bool before(const struct bcontact *c, const struct bcontact *d)
{
	if (qval(c) != qval(d))
		return qval(c) > qval(d);

	return c->refreshed > d->refreshed;
}


size_t scscf_contact_targets(const struct binding *b,
			     const struct bcontact **v, size_t max)
{
	struct le *le;
	size_t n = 0, i, j;

	for (le = b ? b->contacts.head : NULL; le; le = le->next) {
		const struct bcontact *c = le->data;
		bool flow = false;

		/* One flow per instance: the newest (RFC 5626 5.3). */
		for (i = 0; i < n && c->regid; i++) {
			if (!v[i]->regid || str_cmp(v[i]->instance,
						    c->instance))
				continue;
			if (c->refreshed > v[i]->refreshed)
				v[i] = c;
			flow = true;
			break;
		}
		if (flow || n == max)
			continue;

		for (i = n++; i > 0 && before(c, v[i - 1]); i--)
			v[i] = v[i - 1];
		v[i] = c;
	}

	/* A replaced flow may now stand out of order. */
	for (i = 1; i < n; i++) {
		const struct bcontact *c = v[i];

		for (j = i; j > 0 && before(c, v[j - 1]); j--)
			v[j] = v[j - 1];
		v[j] = c;
	}

	return n;
}
