/* SPDX-License-Identifier: BSD-3-Clause */
/* A subscriber's view of the reg event state (RFC 3680): a
 * full NOTIFY replaces it, a partial one merges into it by registration
 * id and contact id when its version follows the view's.  The merge runs
 * on a copy that replaces the view only when complete, so a failure
 * leaves the view as it was. */

#include <stdarg.h>
#include <re.h>
#include "reginfo.h"
#include "reginfoint.h"

static void err_set(char *err, size_t sz, const char *fmt, ...)
{
	va_list ap;

	if (!err || !sz)
		return;

	va_start(ap, fmt);
	(void)re_vsnprintf(err, sz, fmt, ap);
	va_end(ap);
}


/* dst's registrations become src's; src is left empty. */
static void regs_move(struct reginfo *dst, struct reginfo *src)
{
	struct le *le;

	list_flush(&dst->regl);
	while ((le = list_head(&src->regl))) {
		list_unlink(le);
		list_append(&dst->regl, le, le->data);
	}
}


/* RFC 3680: a contact known by its id is replaced by the new
 * one; a new id is added. */
static int contacts_merge(struct reginfo_reg *reg,
			  const struct reginfo_reg *nreg)
{
	struct le *le;

	LIST_FOREACH(&nreg->ctl, le) {
		const struct reginfo_contact *nct = le->data;
		struct reginfo_contact *old, *ct;
		int err;

		err = reginfo_contact_copy(&ct, nct);
		if (err)
			return err;

		old = reginfo_contact_find_id(reg, nct->id);
		if (old) {
			list_insert_after(&reg->ctl, &old->le, &ct->le, ct);
			mem_deref(old);
		}
		else {
			list_append(&reg->ctl, &ct->le, ct);
		}
	}

	return 0;
}


static int partial_merge(struct reginfo *view, const struct reginfo *ntf)
{
	struct le *le;

	LIST_FOREACH(&ntf->regl, le) {
		const struct reginfo_reg *nreg = le->data;
		struct reginfo_reg *reg;
		char *aor;
		int err;

		reg = reginfo_reg_find_id(view, nreg->id);
		if (!reg) {
			err = reginfo_reg_copy(&reg, nreg);
			if (err)
				return err;
			list_append(&view->regl, &reg->le, reg);
			continue;
		}

		err = str_dup(&aor, nreg->aor);
		if (err)
			return err;
		mem_deref(reg->aor);
		reg->aor = aor;
		reg->state = nreg->state;

		err = contacts_merge(reg, nreg);
		if (err)
			return err;
	}

	return 0;
}


int reginfo_apply(struct reginfo *view, const struct reginfo *notify,
		  char *err, size_t sz)
{
	struct reginfo *work = NULL;
	int e;

	if (!view || !notify)
		return EINVAL;

	if (notify->state == REGINFO_FULL) {
		e = reginfo_dup(&work, notify);
		goto out;
	}

	if (view->state != REGINFO_FULL) {
		err_set(err, sz, "partial version %u before any full state",
			notify->version);
		return EPROTO;
	}

	/* A retransmitted or reordered NOTIFY: nothing new in it. */
	if (notify->version <= view->version) {
		err_set(err, sz, "version %u after %u: stale, ignored",
			notify->version, view->version);
		return EALREADY;
	}

	if (notify->version != view->version + 1) {
		err_set(err, sz, "version %u after %u: a gap, full state "
			"needed", notify->version, view->version);
		return EPROTO;
	}

	e = reginfo_dup(&work, view);
	if (!e)
		e = partial_merge(work, notify);

 out:
	if (!e) {
		regs_move(view, work);
		view->version = notify->version;
		view->state = REGINFO_FULL;
	}
	mem_deref(work);

	return e;
}
