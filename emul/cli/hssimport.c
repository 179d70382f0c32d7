/* SPDX-License-Identifier: BSD-3-Clause */
/* imsbed hss import: TS 29.228 IMSSubscription documents as the
 * topology's YAML, profiles: then subscribers:, on stdout once every
 * document has been read (an error prints nothing but itself).  A
 * profile keeps the name imsbed's export gave it; one without is named
 * profile-N, and a profile two documents carry is written once. */

#include <stdio.h>
#include <string.h>
#include <re.h>
#include "yml.h"
#include "hss.h"
#include "cmd.h"

enum { WHERE_SZ = 1100, SETS_MAX = 64 };

#define IMPORT_PASSWORD "changeme"

struct idoc {
	struct le le;
	struct hss_xml_doc *d;
};

/* A profile of the output; p NULL for an empty one */
struct iprof {
	struct le le;
	const struct ifc_profile *p;
	char *name;
	char where[WHERE_SZ];           /* the document and line first */
};

struct iimpi {
	struct le he;
	const char *impi;               /* the document's */
	char where[WHERE_SZ];
};

struct imp {
	struct list docs;
	struct list profs;
	struct hash *impis;
	unsigned gen;
	struct mbuf *subs;              /* the subscribers: part */
	uint32_t setv[SETS_MAX];        /* SharedIFCSetIDs named */
	size_t setc;
	char err[WHERE_SZ + 256];
};


static void idoc_destructor(void *arg)
{
	struct idoc *x = arg;

	list_unlink(&x->le);
	mem_deref(x->d);
}


static void iprof_destructor(void *arg)
{
	struct iprof *x = arg;

	list_unlink(&x->le);
	mem_deref(x->name);
}


static void iimpi_destructor(void *arg)
{
	struct iimpi *x = arg;

	hash_unlink(&x->he);
}


static struct iprof *prof_named(const struct imp *m, const char *name)
{
	struct le *le;

	LIST_FOREACH(&m->profs, le) {
		struct iprof *x = le->data;

		if (!strcmp(x->name, name))
			return x;
	}

	return NULL;
}


static struct iprof *prof_equal(const struct imp *m,
				const struct ifc_profile *p)
{
	struct le *le;

	LIST_FOREACH(&m->profs, le) {
		struct iprof *x = le->data;

		if (x->p && ifc_profile_equal(x->p, p))
			return x;
	}

	return NULL;
}


static int prof_add(struct iprof **xp, struct imp *m,
		    const struct ifc_profile *p, const char *name,
		    const char *where)
{
	struct iprof *x = mem_zalloc(sizeof(*x), iprof_destructor);
	char gen[32];
	int err;

	if (!x)
		return ENOMEM;

	/* a name of our own that no document's takes */
	while (!name) {
		(void)re_snprintf(gen, sizeof(gen), "profile-%u", ++m->gen);
		name = prof_named(m, gen) ? NULL : gen;
	}

	err = str_dup(&x->name, name);
	if (err) {
		mem_deref(x);
		return err;
	}

	x->p = p;
	str_ncpy(x->where, where, sizeof(x->where));
	list_append(&m->profs, &x->le, x);
	*xp = x;

	return 0;
}


/* The shared sets a profile names are not in the XML: noted, to say so */
static void sets_note(struct imp *m, const struct ifc_profile *p)
{
	const uint32_t *idv;
	size_t i, j, n = ifc_profile_sets(p, &idv);

	for (i = 0; i < n; i++) {
		for (j = 0; j < m->setc && m->setv[j] != idv[i]; j++)
			;
		if (j == m->setc && m->setc < SETS_MAX)
			m->setv[m->setc++] = idv[i];
	}
}


static bool prof_empty(const struct ifc_profile *p)
{
	return !ifc_profile_count(p) && !ifc_profile_sets(p, NULL);
}


/* The output's name for a ServiceProfile's profile, NULL for none */
static int prof_of(const char **namep, struct imp *m,
		   const struct hss_xml_sp *sp, const char *where)
{
	struct iprof *x;
	int err;

	*namep = NULL;
	if (!sp->name && prof_empty(sp->profile))
		return 0;

	x = sp->name ? prof_named(m, sp->name) : prof_equal(m, sp->profile);
	if (x && sp->name && (!x->p || !ifc_profile_equal(x->p,
							  sp->profile))) {
		(void)re_snprintf(m->err, sizeof(m->err), "%s: profile '%s' "
				  "differs from the one %s names so", where,
				  sp->name, x->where);
		return EINVAL;
	}

	if (!x) {
		err = prof_add(&x, m, sp->profile, sp->name, where);
		if (err)
			return err;
		sets_note(m, sp->profile);
	}

	*namep = x->name;

	return 0;
}


/* An empty profile, for identities that have none beside a subscriber
 * profile they would otherwise take */
static int prof_none(const char **namep, struct imp *m)
{
	struct le *le;
	struct iprof *x;
	int err;

	LIST_FOREACH(&m->profs, le) {
		x = le->data;
		if (!x->p) {
			*namep = x->name;
			return 0;
		}
	}

	err = prof_add(&x, m, NULL, NULL, "");
	if (!err)
		*namep = x->name;

	return err;
}


static bool impi_cmp(struct le *le, void *arg)
{
	const struct iimpi *x = le->data;

	return !strcmp(x->impi, arg);
}


static int impi_take(struct imp *m, const char *impi, const char *where)
{
	struct iimpi *x;
	struct le *le;

	le = hash_lookup(m->impis, hash_joaat_str(impi), impi_cmp,
			 (void *)impi);
	if (le) {
		(void)re_snprintf(m->err, sizeof(m->err), "%s: IMPI '%s' "
				  "again (first in %s)", where, impi,
				  ((struct iimpi *)le->data)->where);
		return EEXIST;
	}

	x = mem_zalloc(sizeof(*x), iimpi_destructor);
	if (!x)
		return ENOMEM;

	x->impi = impi;
	str_ncpy(x->where, where, sizeof(x->where));
	hash_append(m->impis, hash_joaat_str(impi), &x->he, x);

	return 0;
}


/* The URI the topology stores: a non-distinct IMPU is its wildcard's */
static const char *impu_uri(const struct hss_xml_impu *u)
{
	return u->type == HSS_ID_NON_DISTINCT ? u->wildcard : u->uri;
}


/* The identity as the topology has it: a URI, or a map with what
 * differs from the subscriber's own. */
static int impu_print(struct mbuf *mb, const struct hss_xml_impu *u,
		      const char *prof, const char *subprof, bool flow)
{
	bool own = prof && (!subprof || strcmp(prof, subprof));
	int err;

	if (!u->barred && !own)
		return mbuf_printf(mb, "%s%H", flow ? "" : "      - ",
				   yml_str_print, impu_uri(u));

	err = mbuf_printf(mb, "      - {uri: %H", yml_str_print, impu_uri(u));
	if (!err && u->barred)
		err = mbuf_printf(mb, ", barred: true");
	if (!err && own)
		err = mbuf_printf(mb, ", profile: %H", yml_str_print, prof);

	return err ? err : mbuf_printf(mb, "}");
}


/* An identity a document lists twice (the non-distinct IMPUs of one
 * wildcard) is one of the topology's */
static bool impu_seen(const struct hss_xml_sub *s, size_t si, size_t ui)
{
	const char *uri = impu_uri(&s->spv[si].impuv[ui]);
	size_t i, j;

	for (i = 0; i <= si; i++) {
		for (j = 0; j < (i < si ? s->spv[i].impuc : ui); j++) {
			if (!strcmp(impu_uri(&s->spv[i].impuv[j]), uri))
				return true;
		}
	}

	return false;
}


static int impus_print(struct mbuf *mb, const struct hss_xml_sub *s,
		       const char **namev, const char *subprof)
{
	bool flow = true;
	size_t i, j, n = 0;
	int err = 0;

	for (i = 0; i < s->spc; i++) {
		for (j = 0; j < s->spv[i].impuc; j++)
			flow = flow && !s->spv[i].impuv[j].barred &&
				namev[i] == subprof;
	}

	err = mbuf_printf(mb, flow ? "    impu: [" : "    impu:\n");
	for (i = 0; i < s->spc && !err; i++) {
		for (j = 0; j < s->spv[i].impuc && !err; j++) {
			if (impu_seen(s, i, j))
				continue;
			if (n++)
				err = mbuf_printf(mb, flow ? ", " : "\n");
			if (!err)
				err = impu_print(mb, &s->spv[i].impuv[j],
						 namev[i], subprof, flow);
		}
	}

	return err ? err : mbuf_printf(mb, flow ? "]\n" : "\n");
}


static int sub_print(struct imp *m, const struct hss_xml_doc *d,
		     const char *path)
{
	const struct hss_xml_sub *s = hss_xml_doc_sub(d);
	const char **namev, *subprof = NULL;
	char where[WHERE_SZ];
	size_t i;
	int err;

	namev = mem_zalloc(s->spc * sizeof(*namev), NULL);
	if (!namev)
		return ENOMEM;

	(void)re_snprintf(where, sizeof(where), "%s", path);
	err = impi_take(m, s->impi, where);
	for (i = 0; i < s->spc && !err; i++) {
		(void)re_snprintf(where, sizeof(where), "%s:%u", path,
				  hss_xml_doc_line(d, i));
		err = prof_of(&namev[i], m, &s->spv[i], where);
		if (!subprof)
			subprof = namev[i];
	}

	/* none would be the subscriber's profile: an empty one says so */
	for (i = 0; i < s->spc && !err && subprof; i++) {
		if (!namev[i])
			err = prof_none(&namev[i], m);
	}

	/* SIP Digest needs a password the XML has not */
	if (!err)
		err = mbuf_printf(m->subs, "  - impi: %H\n"
				  "    password: " IMPORT_PASSWORD "\n",
				  yml_str_print, s->impi);
	if (!err)
		err = impus_print(m->subs, s, namev, subprof);
	if (!err && subprof)
		err = mbuf_printf(m->subs, "    profile: %H\n", yml_str_print,
				  subprof);

	mem_deref(namev);

	return err;
}


static int file_import(struct imp *m, const char *path)
{
	struct idoc *x = mem_zalloc(sizeof(*x), idoc_destructor);
	int err;

	if (!x)
		return ENOMEM;

	list_append(&m->docs, &x->le, x);
	err = hss_subscription_load(&x->d, path, NULL, m->err,
				    sizeof(m->err));

	return err ? err : sub_print(m, x->d, path);
}


static int yaml_print(struct re_printf *pf, void *arg)
{
	const struct imp *m = arg;
	struct le *le;
	size_t i;
	int err;

	err = re_hprintf(pf, "# imsbed hss import: %u IMSSubscription "
			 "documents (TS 29.228)\n# They carry no passwords "
			 "(each subscriber has '" IMPORT_PASSWORD "'), no "
			 "AKA\n# keys and no implicit registration sets (a "
			 "subscriber's identities\n# are one set here).\n",
			 list_count(&m->docs));
	for (i = 0; i < m->setc && !err; i++)
		err = re_hprintf(pf, "%s%u", i ? ", " : "# Shared iFC sets "
				 "named but not carried: ", m->setv[i]);
	if (!err && m->setc)
		err = re_hprintf(pf, "; define them\n# under shared_ifc_sets"
				 " before loading.\n");

	if (!err)
		err = re_hprintf(pf, "profiles:%s\n",
				 list_isempty(&m->profs) ? " {}" : "");
	LIST_FOREACH(&m->profs, le) {
		const struct iprof *x = le->data;

		if (err)
			break;
		err = re_hprintf(pf, "  %H:", yml_str_print, x->name);
		if (!err && x->p)
			err = re_hprintf(pf, "%H", ifc_profile_yaml, x->p);
		else if (!err)
			err = re_hprintf(pf, " {}\n");
	}

	if (!err)
		err = re_hprintf(pf, "subscribers:\n%b", m->subs->buf,
				 m->subs->end);

	return err;
}


int hss_import(int argc, char *argv[])
{
	struct imp m;
	int i, err = 0;

	memset(&m, 0, sizeof(m));
	m.subs = mbuf_alloc(4096);
	if (!m.subs || hash_alloc(&m.impis, 256)) {
		err = ENOMEM;
		goto out;
	}

	for (i = 0; i < argc && !err; i++)
		err = file_import(&m, argv[i]);

	if (!err)
		err = re_printf("%H", yaml_print, &m) < 0 ? EIO : 0;

 out:
	if (err)
		(void)re_fprintf(stderr, "imsbed hss import: %s\n",
				 m.err[0] ? m.err : strerror(err));

	hash_flush(m.impis);
	mem_deref(m.impis);
	list_flush(&m.profs);
	list_flush(&m.docs);
	mem_deref(m.subs);

	return err ? EXIT_USAGE : EXIT_PASS;
}
