/* SPDX-License-Identifier: BSD-3-Clause */
/* ifc_cmp: two service profiles compared field by field, which is what a
 * round trip through TS 29.228 XML or YAML must keep, and what lets two
 * files that carry one profile under one name agree. */

#include <string.h>
#include <re.h>
#include "hss.h"
#include "hssint.h"


static bool str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;

	return !strcmp(a, b);
}


static bool spt_equal(const struct spt *a, const struct spt *b)
{
	if (a->type != b->type || a->negated != b->negated ||
	    a->groupc != b->groupc || a->regtypes != b->regtypes)
		return false;

	if (a->groupc && memcmp(a->groupv, b->groupv,
				a->groupc * sizeof(*a->groupv)))
		return false;

	if (a->type == SPT_SESSION_CASE)
		return a->scase == b->scase;

	return str_eq(a->str, b->str) && str_eq(a->content, b->content);
}


static bool ifc_equal(const struct ifc *a, const struct ifc *b)
{
	size_t i;

	if (a->priority != b->priority || a->sptc != b->sptc ||
	    a->dh != b->dh || a->part != b->part ||
	    a->shared != b->shared || a->set_id != b->set_id)
		return false;

	/* ConditionTypeCNF means nothing without a trigger point */
	if (a->sptc && a->cnf != b->cnf)
		return false;

	if (!str_eq(a->as, b->as) ||
	    !str_eq(a->service_info, b->service_info))
		return false;

	for (i = 0; i < a->sptc; i++) {
		if (!spt_equal(&a->sptv[i], &b->sptv[i]))
			return false;
	}

	return true;
}


/* The next iFC of p's own at or after *i, or NULL */
static const struct ifc *own_next(const struct ifc_profile *p, size_t *i)
{
	while (*i < p->ifcc && p->ifcv[*i]->shared)
		++*i;

	return *i < p->ifcc ? p->ifcv[(*i)++] : NULL;
}


bool ifc_profile_equal(const struct ifc_profile *a,
		       const struct ifc_profile *b)
{
	const struct ifc *fa, *fb;
	size_t ia = 0, ib = 0;

	if (!a || !b)
		return a == b;

	if (a->setc != b->setc || (a->setc &&
				   memcmp(a->setv, b->setv,
					  a->setc * sizeof(*a->setv))))
		return false;

	/* both sorted by priority, stably: the own iFCs keep their order
	 * whether a set's were mixed in or not */
	for (;;) {
		fa = own_next(a, &ia);
		fb = own_next(b, &ib);

		if (!fa || !fb)
			return fa == fb;

		if (!ifc_equal(fa, fb))
			return false;
	}
}
