/* SPDX-License-Identifier: BSD-3-Clause */
/* The reginfo model (RFC 3680, RFC 5628): mem objects in libre lists,
 * each parent owning its children, so that a NOTIFY's document and a
 * subscriber's view are freed by one mem_deref; their copies, and the
 * look-ups a subscriber needs. */

#include <re.h>
#include "reginfo.h"
#include "reginfoint.h"

static void reginfo_destructor(void *arg)
{
	struct reginfo *ri = arg;

	list_flush(&ri->regl);
}


static void reg_destructor(void *arg)
{
	struct reginfo_reg *reg = arg;

	list_unlink(&reg->le);
	list_flush(&reg->ctl);
	mem_deref(reg->aor);
	mem_deref(reg->id);
}


static void contact_destructor(void *arg)
{
	struct reginfo_contact *ct = arg;

	list_unlink(&ct->le);
	list_flush(&ct->paraml);
	mem_deref(ct->id);
	mem_deref(ct->uri);
	mem_deref(ct->display_name);
	mem_deref(ct->callid);
	mem_deref(ct->pub_gruu);
	mem_deref(ct->temp_gruu);
}


static void param_destructor(void *arg)
{
	struct reginfo_param *p = arg;

	list_unlink(&p->le);
	mem_deref(p->name);
	mem_deref(p->value);
}


/* str_dup that takes an absent optional for what it is. */
static int sdup(char **dst, const char *src)
{
	return src ? str_dup(dst, src) : 0;
}


int reginfo_alloc(struct reginfo **rip, uint32_t version,
		  enum reginfo_doc_state state)
{
	struct reginfo *ri;

	if (!rip)
		return EINVAL;

	ri = mem_zalloc(sizeof(*ri), reginfo_destructor);
	if (!ri)
		return ENOMEM;

	ri->version = version;
	ri->state = state;
	*rip = ri;

	return 0;
}


static int reg_alloc(struct reginfo_reg **regp, const char *aor,
		     const char *id, enum reginfo_reg_state state)
{
	struct reginfo_reg *reg;
	int err;

	if (!regp || !aor || !id)
		return EINVAL;

	reg = mem_zalloc(sizeof(*reg), reg_destructor);
	if (!reg)
		return ENOMEM;

	reg->state = state;
	err = str_dup(&reg->aor, aor);
	if (!err)
		err = str_dup(&reg->id, id);

	if (err)
		mem_deref(reg);
	else
		*regp = reg;

	return err;
}


int reginfo_reg_add(struct reginfo_reg **regp, struct reginfo *ri,
		    const char *aor, const char *id,
		    enum reginfo_reg_state state)
{
	struct reginfo_reg *reg;
	int err;

	if (!ri)
		return EINVAL;

	err = reg_alloc(&reg, aor, id, state);
	if (err)
		return err;

	list_append(&ri->regl, &reg->le, reg);
	if (regp)
		*regp = reg;

	return 0;
}


static int contact_alloc(struct reginfo_contact **ctp, const char *id,
			 const char *uri, enum reginfo_ct_state state,
			 enum reginfo_event event)
{
	struct reginfo_contact *ct;
	int err;

	if (!ctp || !id || !uri)
		return EINVAL;

	ct = mem_zalloc(sizeof(*ct), contact_destructor);
	if (!ct)
		return ENOMEM;

	ct->state = state;
	ct->event = event;
	err = str_dup(&ct->id, id);
	if (!err)
		err = str_dup(&ct->uri, uri);

	if (err)
		mem_deref(ct);
	else
		*ctp = ct;

	return err;
}


int reginfo_contact_add(struct reginfo_contact **ctp,
			struct reginfo_reg *reg, const char *id,
			const char *uri, enum reginfo_ct_state state,
			enum reginfo_event event)
{
	struct reginfo_contact *ct;
	int err;

	if (!reg)
		return EINVAL;

	err = contact_alloc(&ct, id, uri, state, event);
	if (err)
		return err;

	list_append(&reg->ctl, &ct->le, ct);
	if (ctp)
		*ctp = ct;

	return 0;
}


int reginfo_param_add(struct reginfo_contact *ct, const char *name,
		      const char *value)
{
	struct reginfo_param *p;
	int err;

	if (!ct || !name)
		return EINVAL;

	p = mem_zalloc(sizeof(*p), param_destructor);
	if (!p)
		return ENOMEM;

	err = str_dup(&p->name, name);
	if (!err)
		err = sdup(&p->value, value);
	if (err) {
		mem_deref(p);
		return err;
	}

	list_append(&ct->paraml, &p->le, p);

	return 0;
}


int reginfo_contact_gruu(struct reginfo_contact *ct, const char *pub,
			 const char *temp, uint32_t first_cseq)
{
	char *p = NULL, *t = NULL;
	int err;

	if (!ct)
		return EINVAL;

	err = sdup(&p, pub);
	if (!err)
		err = sdup(&t, temp);
	if (err) {
		mem_deref(p);
		return err;
	}

	if (p) {
		mem_deref(ct->pub_gruu);
		ct->pub_gruu = p;
	}
	if (t) {
		mem_deref(ct->temp_gruu);
		ct->temp_gruu = t;
		ct->temp_first_cseq = first_cseq;
	}

	return 0;
}


int reginfo_contact_copy(struct reginfo_contact **ctp,
			 const struct reginfo_contact *src)
{
	struct reginfo_contact *ct;
	struct le *le;
	int err;

	if (!src)
		return EINVAL;

	err = contact_alloc(&ct, src->id, src->uri, src->state, src->event);
	if (err)
		return err;

	ct->has_expires = src->has_expires;
	ct->expires = src->expires;
	ct->has_q = src->has_q;
	ct->q = src->q;
	ct->has_retry_after = src->has_retry_after;
	ct->retry_after = src->retry_after;
	ct->has_duration = src->has_duration;
	ct->duration = src->duration;
	ct->has_cseq = src->has_cseq;
	ct->cseq = src->cseq;
	ct->temp_first_cseq = src->temp_first_cseq;

	err = sdup(&ct->display_name, src->display_name);
	if (!err)
		err = sdup(&ct->callid, src->callid);
	if (!err)
		err = sdup(&ct->pub_gruu, src->pub_gruu);
	if (!err)
		err = sdup(&ct->temp_gruu, src->temp_gruu);

	LIST_FOREACH(&src->paraml, le) {
		const struct reginfo_param *p = le->data;

		if (err)
			break;
		err = reginfo_param_add(ct, p->name, p->value);
	}

	if (err)
		mem_deref(ct);
	else
		*ctp = ct;

	return err;
}


int reginfo_reg_copy(struct reginfo_reg **regp,
		     const struct reginfo_reg *src)
{
	struct reginfo_reg *reg;
	struct le *le;
	int err;

	if (!src)
		return EINVAL;

	err = reg_alloc(&reg, src->aor, src->id, src->state);
	if (err)
		return err;

	LIST_FOREACH(&src->ctl, le) {
		struct reginfo_contact *ct;

		err = reginfo_contact_copy(&ct, le->data);
		if (err)
			break;
		list_append(&reg->ctl, &ct->le, ct);
	}

	if (err)
		mem_deref(reg);
	else
		*regp = reg;

	return err;
}


int reginfo_dup(struct reginfo **rip, const struct reginfo *ri)
{
	struct reginfo *d;
	struct le *le;
	int err;

	if (!rip || !ri)
		return EINVAL;

	err = reginfo_alloc(&d, ri->version, ri->state);
	if (err)
		return err;

	LIST_FOREACH(&ri->regl, le) {
		struct reginfo_reg *reg;

		err = reginfo_reg_copy(&reg, le->data);
		if (err)
			break;
		list_append(&d->regl, &reg->le, reg);
	}

	if (err)
		mem_deref(d);
	else
		*rip = d;

	return err;
}


struct reginfo_reg *reginfo_reg_find(const struct reginfo *ri,
				     const char *aor)
{
	struct le *le;

	LIST_FOREACH(ri ? &ri->regl : NULL, le) {
		struct reginfo_reg *reg = le->data;

		if (!str_cmp(reg->aor, aor))
			return reg;
	}

	return NULL;
}


struct reginfo_reg *reginfo_reg_find_id(const struct reginfo *ri,
					const char *id)
{
	struct le *le;

	LIST_FOREACH(ri ? &ri->regl : NULL, le) {
		struct reginfo_reg *reg = le->data;

		if (!str_cmp(reg->id, id))
			return reg;
	}

	return NULL;
}


struct reginfo_contact *reginfo_contact_find(const struct reginfo_reg *reg,
					     const char *uri)
{
	struct le *le;

	LIST_FOREACH(reg ? &reg->ctl : NULL, le) {
		struct reginfo_contact *ct = le->data;

		if (!str_cmp(ct->uri, uri))
			return ct;
	}

	return NULL;
}


struct reginfo_contact *reginfo_contact_find_id(
	const struct reginfo_reg *reg, const char *id)
{
	struct le *le;

	LIST_FOREACH(reg ? &reg->ctl : NULL, le) {
		struct reginfo_contact *ct = le->data;

		if (!str_cmp(ct->id, id))
			return ct;
	}

	return NULL;
}


const char *reginfo_contact_param(const struct reginfo_contact *ct,
				  const char *name)
{
	struct le *le;

	LIST_FOREACH(ct ? &ct->paraml : NULL, le) {
		const struct reginfo_param *p = le->data;

		if (!str_casecmp(p->name, name))
			return str_isset(p->value) ? p->value : NULL;
	}

	return NULL;
}


/* +sip.instance is a quoted string holding an angle-bracketed URN
 * (RFC 5626); the URN alone is what identifies the device. */
static void instance_bare(struct pl *pl, const char *s)
{
	pl_set_str(pl, s);
	if (pl->l >= 2 && pl->p[0] == '"' && pl->p[pl->l - 1] == '"') {
		++pl->p;
		pl->l -= 2;
	}
	if (pl->l >= 2 && pl->p[0] == '<' && pl->p[pl->l - 1] == '>') {
		++pl->p;
		pl->l -= 2;
	}
}


struct reginfo_contact *reginfo_contact_find_instance(
	const struct reginfo_reg *reg, const char *instance)
{
	struct pl want, have;
	struct le *le;

	if (!instance)
		return NULL;

	instance_bare(&want, instance);
	LIST_FOREACH(reg ? &reg->ctl : NULL, le) {
		struct reginfo_contact *ct = le->data;
		const char *v = reginfo_contact_param(ct, "+sip.instance");

		if (!v)
			continue;
		instance_bare(&have, v);
		if (!pl_cmp(&want, &have))
			return ct;
	}

	return NULL;
}
