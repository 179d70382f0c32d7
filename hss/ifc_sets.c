/* SPDX-License-Identifier: BSD-3-Clause */
/* ifc_sets: the shared iFC sets (TS 29.228 B.2 SharedIFCSetID, TS 29.229
 * 6.3.8): iFCs the operator defines once, by number, for every profile
 * that names them.  A profile takes a reference to each iFC of the set,
 * marked with the set it came from, so that the XML names the set
 * instead of writing its iFCs out. */

#include <string.h>
#include <re.h>
#include "yml.h"
#include "hss.h"
#include "hssint.h"

enum { PATH_MAX_LEN = 64 };

struct ifc_set {
	uint32_t id;
	struct ifc_profile *p;  /* the set's iFCs, as a profile holds them */
};

/* A topology has a handful of sets: a list in file order is enough, and
 * it is read at load time only. */
struct ifc_sets {
	struct ifc_set *setv;
	size_t setc;
};


static void sets_destructor(void *arg)
{
	struct ifc_sets *sets = arg;
	size_t i;

	for (i = 0; i < sets->setc; i++)
		mem_deref(sets->setv[i].p);

	mem_deref(sets->setv);
}


const struct ifc_profile *ifc_sets_find(const struct ifc_sets *sets,
					uint32_t id)
{
	size_t i;

	for (i = 0; sets && i < sets->setc; i++) {
		if (sets->setv[i].id == id)
			return sets->setv[i].p;
	}

	return NULL;
}


static int set_load(struct ifc_set *set, const struct yml *y,
		    const yml_node *n, const char *what, char *err, size_t sz)
{
	static const char *const keys[] = {"ifc", NULL};
	const yml_node *in;
	size_t i;
	int e;

	e = yml_check_keys(y, n, keys, what, err, sz);
	if (e)
		return e;

	in = yml_get(y, n, "ifc");
	if (!in || !yml_is_seq(in) || !yml_count(in))
		return yml_err(y, in ? in : n, err, sz, "%s.ifc must be a "
			       "list of at least one iFC", what);

	e = ifc_profile_alloc(&set->p, what, yml_count(in));
	if (!e)
		e = ifc_list_load(set->p, y, in, what, err, sz);
	if (e)
		return e;

	for (i = 0; i < set->p->ifcc; i++) {
		set->p->ifcv[i]->shared = true;
		set->p->ifcv[i]->set_id = set->id;
	}

	ifc_profile_sort(set->p);

	return 0;
}


int ifc_sets_load(struct ifc_sets **setsp, const struct yml *y,
		  const yaml_node_t *n, char *err, size_t sz)
{
	char what[PATH_MAX_LEN];
	struct ifc_sets *sets;
	size_t i, c = yml_count(n);
	int e = 0;

	if (!setsp || !y)
		return EINVAL;

	if (n && !yml_is_map(n))
		return yml_err(y, n, err, sz, "shared_ifc_sets must be a "
			       "mapping of set id to {ifc: [...]}");

	sets = mem_zalloc(sizeof(*sets), sets_destructor);
	if (!sets)
		return ENOMEM;

	if (c) {
		sets->setv = mem_zalloc(c * sizeof(*sets->setv), NULL);
		if (!sets->setv) {
			e = ENOMEM;
			goto out;
		}
	}

	for (i = 0; i < c; i++) {
		const yml_node *kn = yml_key(y, n, i);
		struct ifc_set *set = &sets->setv[sets->setc];

		e = yml_uint(y, kn, "shared_ifc_sets: a set id", &set->id,
			     err, sz);
		if (e)
			goto out;

		/* TS 29.228 E tSharedIFCSetID: an xs:int from 0 */
		if (set->id > INT32_MAX) {
			e = yml_err(y, kn, err, sz, "shared_ifc_sets: set id "
				    "%u is too large", set->id);
			goto out;
		}

		/* libyaml takes a key twice; the second would hide the
		 * first */
		if (ifc_sets_find(sets, set->id)) {
			e = yml_err(y, kn, err, sz, "shared_ifc_sets: set %u "
				    "twice", set->id);
			goto out;
		}

		(void)re_snprintf(what, sizeof(what), "shared_ifc_sets.%u",
				  set->id);
		e = set_load(set, y, yml_val(y, n, i), what, err, sz);
		++sets->setc;
		if (e)
			goto out;
	}

 out:
	if (e)
		mem_deref(sets);
	else
		*setsp = sets;

	return e;
}


int ifc_profile_share(struct ifc_profile *p, const struct ifc_sets *sets,
		      uint32_t id)
{
	const struct ifc_profile *set = ifc_sets_find(sets, id);
	uint32_t *v;
	size_t i, n;
	int e;

	if (!p)
		return EINVAL;
	if (!set && sets)
		return ENOENT;

	/* libre's mem_realloc takes no NULL */
	v = p->setv ? mem_realloc(p->setv, (p->setc + 1) * sizeof(*v)) :
		mem_alloc(sizeof(*v), NULL);
	if (!v)
		return ENOMEM;
	p->setv = v;
	p->setv[p->setc++] = id;

	/* all of the set or none of it */
	n = p->ifcc;
	for (i = 0; set && i < set->ifcc; i++) {
		e = ifc_profile_append(p, set->ifcv[i]);
		if (e) {
			while (p->ifcc > n)
				mem_deref(p->ifcv[--p->ifcc]);
			--p->setc;
			return e;
		}
	}

	return 0;
}
