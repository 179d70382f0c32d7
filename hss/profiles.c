/* SPDX-License-Identifier: BSD-3-Clause */
/* profiles: an HSS's compiled service profiles, hashed by name.  SAR hands
 * a reference to one to the S-CSCF, so a profile outlives a reload. */

#include <string.h>
#include <re.h>
#include "hss.h"
#include "hssint.h"

struct hss_profiles {
	struct hash *h;         /* struct pentry */
};

struct pentry {
	struct le he;
	struct ifc_profile *p;
};


static void pentry_destructor(void *arg)
{
	struct pentry *pe = arg;

	hash_unlink(&pe->he);
	mem_deref(pe->p);
}


static void profiles_destructor(void *arg)
{
	struct hss_profiles *ps = arg;

	hash_flush(ps->h);
	mem_deref(ps->h);
}


int hss_profiles_alloc(struct hss_profiles **psp)
{
	struct hss_profiles *ps;
	int e;

	if (!psp)
		return EINVAL;

	ps = mem_zalloc(sizeof(*ps), profiles_destructor);
	if (!ps)
		return ENOMEM;

	e = hash_alloc(&ps->h, 16);
	if (e)
		mem_deref(ps);
	else
		*psp = ps;

	return e;
}


/* Takes a reference to p */
int hss_profiles_add(struct hss_profiles *ps, struct ifc_profile *p)
{
	struct pentry *pe;

	if (!ps || !p)
		return EINVAL;

	pe = mem_zalloc(sizeof(*pe), pentry_destructor);
	if (!pe)
		return ENOMEM;

	pe->p = mem_ref(p);
	hash_append(ps->h, hash_joaat_str(p->name), &pe->he, pe);

	return 0;
}


static bool pentry_cmp(struct le *le, void *arg)
{
	const struct pentry *pe = le->data;

	return !strcmp(pe->p->name, arg);
}


struct ifc_profile *hss_profiles_find(const struct hss_profiles *ps,
				      const char *name)
{
	struct le *le;

	if (!ps || !name)
		return NULL;

	le = hash_lookup(ps->h, hash_joaat_str(name), pentry_cmp,
			 (void *)name);

	return le ? ((struct pentry *)le->data)->p : NULL;
}
