/* SPDX-License-Identifier: BSD-3-Clause */
/* load_impu: a subscriber's public identities from the topology, one
 * implicit registration set ('impu') or several ('sets'), each IMPU a
 * URI or a map with its own options (barred, profile). */

#include <string.h>
#include <strings.h>
#include <regex.h>
#include <re.h>
#include "yml.h"
#include "hss.h"
#include "hssint.h"

#include "loadint.h"

/* Where one 'impu' list stands and what its IMPUs inherit */
struct setdef {
	const yml_node *impu_n;
	const char *base;       /* "subscribers[0]" or "...sets[1]" */
	const char *profile;    /* the set's or the subscriber's, or NULL */
	uint32_t iset;
};


static size_t set_count(const yml_node *impu_n)
{
	return yml_is_seq(impu_n) ? yml_count(impu_n) : 1;
}


static int item_profile(const char **pp, const struct hss_profiles *ps,
			const struct yml *y, const yml_node *pn,
			const char *what, char *err, size_t sz)
{
	char path[PATH_LEN];
	int e;

	if (!pn)
		return 0;

	(void)re_snprintf(path, sizeof(path), "%s.profile", what);
	e = yml_scalar(y, pn, path, pp, err, sz);
	if (e)
		return e;

	if (!hss_profiles_find(ps, *pp))
		return yml_err(y, pn, err, sz, "%s: no profile '%s' in "
			       "profiles", path, *pp);

	return 0;
}


/* An IMPU: a URI, or {uri, barred, profile} (TS 29.228 B.2.1: barring
 * and the service profile are the public identity's own) */
static int item_load(struct impudef *u, const struct setdef *sd,
		     const struct hss_profiles *ps, uint32_t count,
		     const struct yml *y, const yml_node *n, char *err,
		     size_t sz)
{
	static const char *const keys[] = {"uri", "barred", "profile", NULL};
	char path[PATH_LEN];
	int e;

	u->n = n;
	u->profile = sd->profile;
	u->iset = sd->iset;

	if (yml_is_map(n)) {
		e = yml_check_keys(y, n, keys, u->path, err, sz);
		if (e)
			return e;

		u->n = yml_get(y, n, "uri");
		if (!u->n)
			return yml_err(y, n, err, sz, "%s: missing 'uri'",
				       u->path);

		(void)re_snprintf(path, sizeof(path), "%s.barred", u->path);
		if (yml_get(y, n, "barred")) {
			e = yml_bool(y, yml_get(y, n, "barred"), path,
				     &u->barred, err, sz);
			if (e)
				return e;
		}

		e = item_profile(&u->profile, ps, y, yml_get(y, n, "profile"),
				 u->path, err, sz);
		if (e)
			return e;
	}

	return tmpl_parse(&u->t, y, u->n, u->path, count, true, err, sz);
}


static int set_load(struct subdef *d, const struct setdef *sd,
		    const struct hss_profiles *ps, const struct yml *y,
		    char *err, size_t sz)
{
	size_t i, n = set_count(sd->impu_n);
	int e;

	if (!n)
		return yml_err(y, sd->impu_n, err, sz, "%s.impu must list at "
			       "least one URI", sd->base);

	for (i = 0; i < n; i++) {
		struct impudef *u = &d->impuv[d->impuc];
		const yml_node *in = sd->impu_n;

		if (yml_is_seq(sd->impu_n)) {
			in = yml_item(y, sd->impu_n, i);
			(void)re_snprintf(u->path, sizeof(u->path),
					  "%s.impu[%zu]", sd->base, i);
		}
		else {
			(void)re_snprintf(u->path, sizeof(u->path), "%s.impu",
					  sd->base);
		}

		e = item_load(u, sd, ps, d->count, y, in, err, sz);
		if (e)
			return e;
		++d->impuc;
	}

	return 0;
}


/* How many IMPUs the entry lists, its sets checked for shape */
static int sets_count(size_t *np, const struct subdef *d,
		      const struct yml *y, char *err, size_t sz)
{
	static const char *const keys[] = {"impu", "profile", NULL};
	char path[PATH_LEN];
	size_t i;
	int e;

	*np = 0;
	if (!yml_is_seq(d->sets_n) || !yml_count(d->sets_n))
		return yml_err(y, d->sets_n, err, sz, "%s.sets must list at "
			       "least one set", d->what);

	for (i = 0; i < yml_count(d->sets_n); i++) {
		const yml_node *sn = yml_item(y, d->sets_n, i);

		(void)re_snprintf(path, sizeof(path), "%s.sets[%zu]", d->what,
				  i);
		if (!yml_is_map(sn))
			return yml_err(y, sn, err, sz, "%s must be a mapping "
				       "with impu and profile", path);
		e = yml_check_keys(y, sn, keys, path, err, sz);
		if (e)
			return e;
		if (!yml_get(y, sn, "impu"))
			return yml_err(y, sn, err, sz, "%s: missing 'impu'",
				       path);

		*np += set_count(yml_get(y, sn, "impu"));
	}

	return 0;
}


int impus_load(struct subdef *d, const struct hss_profiles *ps,
	       const struct yml *y, const yml_node *n, char *err, size_t sz)
{
	struct setdef sd;
	char base[PATH_LEN];
	size_t i, total;
	int e;

	d->impu_n = yml_get(y, n, "impu");
	d->sets_n = yml_get(y, n, "sets");
	if (d->impu_n && d->sets_n)
		return yml_err(y, d->sets_n, err, sz, "%s: impu or sets, not "
			       "both", d->what);
	if (!d->impu_n && !d->sets_n)
		return yml_err(y, n, err, sz, "%s: missing 'impu'", d->what);

	if (d->sets_n) {
		e = sets_count(&total, d, y, err, sz);
		if (e)
			return e;
	}
	else {
		total = set_count(d->impu_n);
	}

	d->impuv = mem_zalloc((total ? total : 1) * sizeof(*d->impuv), NULL);
	if (!d->impuv)
		return ENOMEM;

	/* the old form: one set, the subscriber's profile */
	if (!d->sets_n) {
		sd.impu_n = d->impu_n;
		sd.base = d->what;
		sd.profile = d->profile;
		sd.iset = 0;
		return set_load(d, &sd, ps, y, err, sz);
	}

	for (i = 0; i < yml_count(d->sets_n); i++) {
		const yml_node *sn = yml_item(y, d->sets_n, i);

		(void)re_snprintf(base, sizeof(base), "%s.sets[%zu]", d->what,
				  i);
		sd.impu_n = yml_get(y, sn, "impu");
		sd.base = base;
		sd.profile = d->profile;
		sd.iset = (uint32_t)i;

		e = item_profile(&sd.profile, ps, y, yml_get(y, sn, "profile"),
				 base, err, sz);
		if (!e)
			e = set_load(d, &sd, ps, y, err, sz);
		if (e)
			return e;
	}

	return 0;
}


/* TS 23.228 4.3.3.2: an IMPU is a SIP URI or a tel URI; a wildcarded one
 * (TS 23.003 13.4) holds a regex, which only its own compiler judges */
static int check_impu(const char *uri, const struct yml *y,
		      const yml_node *n, const char *what,
		      char *err, size_t sz)
{
	char why[160];
	struct uri u;
	struct pl pl;
	regex_t re;

	if (hss_impu_is_wild(uri)) {
		if (strncasecmp(uri, "sip:", 4) && strncasecmp(uri, "tel:", 4))
			goto bad;
		if (hss_wild_compile(&re, uri, why, sizeof(why)))
			return yml_err(y, n, err, sz, "%s: bad wildcard '%s': "
				       "%s", what, uri, why);
		regfree(&re);
		return 0;
	}

	if (!strncasecmp(uri, "tel:", 4) && uri[4])
		return 0;

	pl_set_str(&pl, uri);
	if (!strncasecmp(uri, "sip:", 4) && !uri_decode(&u, &pl) &&
	    pl_isset(&u.host))
		return 0;

 bad:
	return yml_err(y, n, err, sz, "%s: '%s' is not a sip: or tel: URI",
		       what, uri);
}


/* A PRIMARY KEY conflict: the second place is n, the first comes from the
 * src columns of the row already there.  key NULL: an IMPI. */
int load_dup_err(struct hss *hss, const char *impi, const char *key,
		 const char *val, uint32_t idx, const struct yml *y,
		 const yml_node *n, const char *what, char *err, size_t sz)
{
	char first[96] = "", second[32] = "", as[HSS_ID_MAX + 8] = "";
	struct hss_src src;

	if (idx)
		(void)re_snprintf(second, sizeof(second), " (n=%u)", idx);
	if (key && strcmp(key, val))
		(void)re_snprintf(as, sizeof(as), " (as '%s')", key);

	if (!hss_db_src(hss, impi, key, &src)) {
		(void)re_snprintf(first, sizeof(first), ", first at %s:%u:%u",
				  yml_file(y), src.line, src.col);
		if (src.n)
			(void)re_snprintf(first + strlen(first),
					  sizeof(first) - strlen(first),
					  " (n=%u)", src.n);
	}

	return yml_err(y, n, err, sz, "%s: duplicate %s '%s'%s%s%s", what,
		       key ? "IMPU" : "IMPI", val, as, second, first);
}


/* The IMPU rows of user idx of d; an IMPU twice in one IMPI is an error,
 * in two IMPIs a shared identity (TS 23.228 4.3.3.4) */
int impus_store(struct hss *hss, const struct subdef *d, const char *impi,
		uint32_t idx, const struct yml *y, char *err, size_t sz)
{
	char uri[HSS_ID_MAX], key[HSS_ID_MAX];
	struct hss_impu_row row;
	struct hss_src src;
	size_t i;
	int e;

	for (i = 0; i < d->impuc; i++) {
		const struct impudef *u = &d->impuv[i];

		e = tmpl_expand(uri, &u->t, idx, y, u->n, u->path, err, sz);
		if (!e)
			e = check_impu(uri, y, u->n, u->path, err, sz);
		if (e)
			return e;

		/* a wildcard is its own key: it is matched, not looked up */
		row.wild = hss_impu_is_wild(uri);
		if (row.wild)
			str_ncpy(key, uri, sizeof(key));
		else if (hss_impu_normalise(key, sizeof(key), uri))
			return yml_err(y, u->n, err, sz, "%s: '%s' is too "
				       "long", u->path, uri);

		row.uri = uri;
		row.key = key;
		row.impi = impi;
		row.pos = i;
		row.iset = u->iset;
		row.barred = u->barred;
		row.profile = u->profile;

		src.line = yml_line(u->n);
		src.col = yml_col(u->n);
		src.n = idx;

		e = hss_db_impu(hss, &row, &src);
		if (e == EEXIST)
			return load_dup_err(hss, impi, key, uri, idx, y, u->n,
					    u->path, err, sz);
		if (e)
			return yml_err(y, u->n, err, sz, "hss %s: database: "
				       "%s", hss_name(hss),
				       hss_db_errmsg(hss));
	}

	return 0;
}
