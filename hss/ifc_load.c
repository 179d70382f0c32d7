/* SPDX-License-Identifier: BSD-3-Clause */
/* ifc_load: one service profile from the topology's YAML: its iFCs (the
 * trigger point is ifc_load_tp.c's) and the shared sets it names.  Every
 * error names the node path and line:col. */

#include <string.h>
#include <re.h>
#include "yml.h"
#include "hss.h"
#include "hssint.h"

enum { PATH_MAX_LEN = 256 };


static int load_dh(struct ifc *ifc, const struct yml *y, const yml_node *n,
		   const char *what, char *err, size_t sz)
{
	const char *s;

	if (!n)
		return 0;

	if (yml_scalar(y, n, what, &s, err, sz))
		return EINVAL;

	if (!strcmp(s, "continue"))
		ifc->dh = IFC_DH_CONTINUE;
	else if (!strcmp(s, "terminate"))
		ifc->dh = IFC_DH_TERMINATE;
	else
		return yml_err(y, n, err, sz, "%s: '%s' is not continue or "
			       "terminate", what, s);

	return 0;
}


static int load_as(struct ifc *ifc, const struct yml *y, const yml_node *n,
		   const char *what, char *err, size_t sz)
{
	char why[256];
	int e;

	e = ifc_string_load(&ifc->as, y, n, what, err, sz);
	if (e)
		return e;

	if (ifc_as_check(ifc->as, why, sizeof(why)))
		return yml_err(y, n, err, sz, "%s: %s", what, why);

	return 0;
}


/* B.2.2 ProfilePartIndicator; absent, the iFC applies in both parts */
static int load_part(struct ifc *ifc, const struct yml *y, const yml_node *n,
		     const char *what, char *err, size_t sz)
{
	const char *s;

	if (!n)
		return 0;

	if (yml_scalar(y, n, what, &s, err, sz))
		return EINVAL;

	if (!strcmp(s, ifc_part_name(IFC_PART_REG)))
		ifc->part = IFC_PART_REG;
	else if (!strcmp(s, ifc_part_name(IFC_PART_UNREG)))
		ifc->part = IFC_PART_UNREG;
	else
		return yml_err(y, n, err, sz, "%s: '%s' is not registered or "
			       "unregistered", what, s);

	return 0;
}


static int load_ifc(struct ifc **ifcp, const struct yml *y,
		    const yml_node *n, const char *what, char *err, size_t sz)
{
	static const char *const keys[] = {
		"priority", "trigger", "as", "default_handling",
		"service_info", "profile_part", NULL
	};
	char path[PATH_MAX_LEN];
	const yml_node *pn, *an, *tn, *sn;
	struct ifc *ifc = NULL;
	uint32_t prio;
	int e;

	e = yml_check_keys(y, n, keys, what, err, sz);
	if (e)
		return e;

	/* B.2.2: Priority and ApplicationServer are mandatory */
	pn = yml_get(y, n, "priority");
	if (!pn)
		return yml_err(y, n, err, sz, "%s: missing 'priority'", what);
	an = yml_get(y, n, "as");
	if (!an)
		return yml_err(y, n, err, sz, "%s: missing 'as'", what);

	(void)re_snprintf(path, sizeof(path), "%s.priority", what);
	e = yml_uint(y, pn, path, &prio, err, sz);
	if (e)
		return e;
	if (prio > INT32_MAX)
		return yml_err(y, pn, err, sz, "%s: %u is too large", path,
			       prio);

	tn = yml_get(y, n, "trigger");
	if (tn) {
		(void)re_snprintf(path, sizeof(path), "%s.trigger", what);
		e = ifc_trigger_load(&ifc, y, tn, path, err, sz);
	}
	else {
		e = ifc_alloc(&ifc, 0);
	}
	if (e)
		goto out;

	ifc->priority = (int32_t)prio;

	(void)re_snprintf(path, sizeof(path), "%s.as", what);
	e = load_as(ifc, y, an, path, err, sz);
	if (e)
		goto out;

	(void)re_snprintf(path, sizeof(path), "%s.default_handling", what);
	e = load_dh(ifc, y, yml_get(y, n, "default_handling"), path, err, sz);
	if (e)
		goto out;

	(void)re_snprintf(path, sizeof(path), "%s.profile_part", what);
	e = load_part(ifc, y, yml_get(y, n, "profile_part"), path, err, sz);
	if (e)
		goto out;

	sn = yml_get(y, n, "service_info");
	if (sn) {
		const char *s;

		(void)re_snprintf(path, sizeof(path), "%s.service_info",
				  what);
		e = yml_scalar(y, sn, path, &s, err, sz);
		if (!e)
			e = str_dup(&ifc->service_info, s);
		if (e)
			goto out;
	}

 out:
	if (e)
		mem_deref(ifc);
	else
		*ifcp = ifc;

	return e;
}


int ifc_list_load(struct ifc_profile *p, const struct yml *y,
		  const yaml_node_t *n, const char *what, char *err, size_t sz)
{
	char path[PATH_MAX_LEN];
	struct ifc *ifc = NULL;
	size_t i;
	int e;

	if (!p || !y)
		return EINVAL;

	if (n && !yml_is_seq(n))
		return yml_err(y, n, err, sz, "%s.ifc must be a list", what);

	for (i = 0; i < yml_count(n); i++) {
		(void)re_snprintf(path, sizeof(path), "%s.ifc[%zu]", what, i);
		e = load_ifc(&ifc, y, yml_item(y, n, i), path, err, sz);
		if (e)
			return e;

		e = ifc_profile_append(p, ifc);
		mem_deref(ifc);
		if (e)
			return e;
	}

	return 0;
}


/* shared_ifc_sets: [id, ...]: each set's iFCs join the profile's own */
static int load_shared(struct ifc_profile *p, const struct yml *y,
		       const yml_node *n, const struct ifc_sets *sets,
		       const char *what, char *err, size_t sz)
{
	char path[PATH_MAX_LEN];
	size_t i, c;
	uint32_t id;
	int e;

	if (!n)
		return 0;

	(void)re_snprintf(path, sizeof(path), "%s.shared_ifc_sets", what);
	if (!yml_is_seq(n))
		return yml_err(y, n, err, sz, "%s must be a list of set ids",
			       path);

	c = yml_count(n);
	for (i = 0; i < c; i++) {
		const yml_node *in = yml_item(y, n, i);
		size_t j;

		(void)re_snprintf(path, sizeof(path),
				  "%s.shared_ifc_sets[%zu]", what, i);
		e = yml_uint(y, in, path, &id, err, sz);
		if (e)
			return e;

		for (j = 0; j < p->setc; j++) {
			if (p->setv[j] == id)
				return yml_err(y, in, err, sz, "%s: set %u "
					       "twice", path, id);
		}

		if (!ifc_sets_find(sets, id))
			return yml_err(y, in, err, sz, "%s: no shared iFC set "
				       "%u in shared_ifc_sets", path, id);

		e = ifc_profile_share(p, sets, id);
		if (e)
			return e;
	}

	return 0;
}


int ifc_profile_load_sets(struct ifc_profile **pp, const char *name,
			  const struct yml *y, const yaml_node_t *n,
			  const struct ifc_sets *sets, char *err, size_t sz)
{
	static const char *const keys[] = {"ifc", "shared_ifc_sets", NULL};
	char what[PATH_MAX_LEN];
	struct ifc_profile *p = NULL;
	const yml_node *in;
	int e;

	if (!pp || !name || !y)
		return EINVAL;

	(void)re_snprintf(what, sizeof(what), "profiles.%s", name);

	e = yml_check_keys(y, n, keys, what, err, sz);
	if (e)
		return e;

	in = yml_get(y, n, "ifc");
	if (in && !yml_is_seq(in))
		return yml_err(y, in, err, sz, "%s.ifc must be a list", what);

	e = ifc_profile_alloc(&p, name, yml_count(in));
	if (e)
		return e;

	e = ifc_list_load(p, y, in, what, err, sz);
	if (!e)
		e = load_shared(p, y, yml_get(y, n, "shared_ifc_sets"), sets,
				what, err, sz);
	if (e)
		goto out;

	ifc_profile_sort(p);

 out:
	if (e)
		mem_deref(p);
	else
		*pp = p;

	return e;
}


int ifc_profile_load(struct ifc_profile **pp, const char *name,
		     const struct yml *y, const yaml_node_t *n,
		     char *err, size_t sz)
{
	return ifc_profile_load_sets(pp, name, y, n, NULL, err, sz);
}
