/* SPDX-License-Identifier: BSD-3-Clause */
/* load: the topology's 'profiles' and 'subscribers' into one HSS, in one
 * transaction, with 'count' templates expanded as rows are written. */

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <re.h>
#include "yml.h"
#include "hss.h"
#include "hssint.h"

#include "loadint.h"

enum { COUNT_MAX = 1000000 };


static int load_profiles(struct hss *hss, struct hss_profiles *ps,
			 const struct ifc_sets *sets, const struct yml *y,
			 const yml_node *n, char *err, size_t sz)
{
	size_t i;
	int e;

	if (!n)
		return 0;

	if (!yml_is_map(n))
		return yml_err(y, n, err, sz, "profiles must be a mapping of "
			       "name to profile");

	for (i = 0; i < yml_count(n); i++) {
		const yml_node *kn = yml_key(y, n, i), *vn = yml_val(y, n, i);
		const char *name = yml_str(kn);
		struct ifc_profile *p;

		/* 'xml: PATH' names the files of profiles; a profile of that
		 * name is a mapping */
		if (name && !strcmp(name, "xml") && !yml_is_map(vn)) {
			e = load_xml_all(hss, ps, sets, y, vn, err, sz);
			if (e)
				return e;
			continue;
		}

		if (!str_isset(name) || strlen(name) >= HSS_ID_MAX)
			return yml_err(y, kn, err, sz, "profiles: a profile "
				       "name must be 1 to %d characters",
				       HSS_ID_MAX - 1);

		/* libyaml accepts a key twice; the second would hide the
		 * first without a word */
		if (hss_profiles_find(ps, name))
			return yml_err(y, kn, err, sz, "profiles: duplicate "
				       "profile '%s'", name);

		if (yml_get(y, vn, "xml")) {
			e = load_xml_named(hss, ps, sets, y, name, vn, err,
					   sz);
			if (e)
				return e;
			continue;
		}

		e = ifc_profile_load_sets(&p, name, y, vn, sets, err, sz);
		if (e)
			return e;

		e = hss_profiles_add(ps, p);
		if (!e && hss_db_profile(hss, p))
			e = yml_err(y, kn, err, sz, "hss %s: database: %s",
				    hss_name(hss), hss_db_errmsg(hss));
		mem_deref(p);
		if (e)
			return e;
	}

	return 0;
}


/* With count, a field may hold one integer conversion; a field without
 * one is the same for every user (one password for a whole load test).
 * An identity is unique, so with count above 1 it must vary. */
int tmpl_parse(struct tmpl *t, const struct yml *y,
		      const yml_node *n, const char *what, uint32_t count,
		      bool identity, char *err, size_t sz)
{
	const char *p;
	char *out;
	size_t o = 0;

	memset(t, 0, sizeof(*t));
	if (yml_scalar(y, n, what, &t->src, err, sz))
		return EINVAL;
	if (!*t->src)
		return yml_err(y, n, err, sz, "%s must not be empty", what);
	if (!count)
		return 0;

	out = t->pre;
	for (p = t->src; *p; p++) {
		if (*p == '%' && p[1] == '%') {
			++p;
		}
		else if (*p == '%') {
			++p;
			if (*p == '0' || *p == '-')
				t->flag = *p++;
			while (*p >= '0' && *p <= '9' && t->width < 100)
				t->width = t->width * 10 +
					(unsigned)(*p++ - '0');

			if (t->width > 20 || (*p != 'd' && *p != 'i' &&
					      *p != 'u'))
				return yml_err(y, n, err, sz, "%s: bad '%%' "
					       "in '%s' (use one of %%d, "
					       "%%04d ... and %%%% for a %%)",
					       what, t->src);
			if (t->conv)
				return yml_err(y, n, err, sz, "%s: '%s' has "
					       "more than one integer "
					       "conversion", what, t->src);
			t->conv = true;
			out = t->post;
			o = 0;
			continue;
		}

		if (o + 1 >= HSS_ID_MAX)
			return yml_err(y, n, err, sz, "%s: '%s' is longer than"
				       " %d characters", what, t->src,
				       HSS_ID_MAX - 1);
		out[o++] = *p;
		out[o] = '\0';
	}

	if (!t->conv && identity && count > 1)
		return yml_err(y, n, err, sz, "%s: '%s' would be the same for "
			       "all %u subscribers of count: an identity "
			       "needs one integer conversion such as %%d or "
			       "%%04d", what, t->src, count);

	return 0;
}


int tmpl_expand(char *buf, const struct tmpl *t, uint32_t i,
		       const struct yml *y, const yml_node *n,
		       const char *what, char *err, size_t sz)
{
	int len;

	/* literal formats only: the user's template is never a format */
	if (!t->conv)
		len = snprintf(buf, HSS_ID_MAX, "%s", t->src);
	else if (t->flag == '0')
		len = snprintf(buf, HSS_ID_MAX, "%s%0*u%s", t->pre,
			       (int)t->width, i, t->post);
	else if (t->flag == '-')
		len = snprintf(buf, HSS_ID_MAX, "%s%-*u%s", t->pre,
			       (int)t->width, i, t->post);
	else
		len = snprintf(buf, HSS_ID_MAX, "%s%*u%s", t->pre,
			       (int)t->width, i, t->post);

	if (len < 0 || len >= HSS_ID_MAX)
		return yml_err(y, n, err, sz, "%s: '%s' is longer than %d "
			       "characters", what, t->src, HSS_ID_MAX - 1);

	return 0;
}


/* Writes user idx (1..count, or 0 without template) of d */
static int sub_store(struct hss *hss, const struct subdef *d, uint32_t idx,
		     const struct yml *y, char *err, size_t sz)
{
	char impi[HSS_ID_MAX], buf[HSS_ID_MAX], path[PATH_LEN];
	struct hss_caps caps = {d->cap_mand, d->cap_opt, d->cap_servers};
	struct hss_aka aka;
	struct hss_src src;
	int e;

	buf[0] = '\0';
	(void)re_snprintf(path, sizeof(path), "%s.password", d->what);
	e = d->pass_n ? tmpl_expand(buf, &d->pass, idx, y, d->pass_n, path,
				    err, sz) : 0;
	if (e)
		return e;

	(void)re_snprintf(path, sizeof(path), "%s.impi", d->what);
	e = tmpl_expand(impi, &d->impi, idx, y, d->impi_n, path, err, sz);
	if (e)
		return e;

	src.line = yml_line(d->impi_n);
	src.col = yml_col(d->impi_n);
	src.n = idx;

	e = aka_store(&aka, d, idx, y, err, sz);
	if (e)
		return e;

	e = hss_db_sub(hss, impi, buf, d->profile, &src, &aka, &caps);
	if (e == EEXIST)
		return load_dup_err(hss, impi, NULL, impi, idx, y, d->impi_n,
				    path, err, sz);
	if (e)
		return yml_err(y, d->impi_n, err, sz, "hss %s: database: %s",
			       hss_name(hss), hss_db_errmsg(hss));

	return impus_store(hss, d, impi, idx, y, err, sz);
}


static int subdef_load(struct subdef *d, const struct hss_profiles *ps,
		       const struct yml *y, const yml_node *n,
		       char *err, size_t sz)
{
	char path[PATH_LEN];
	const yml_node *pn, *cn;
	int e;

	d->impi_n = yml_get(y, n, "impi");
	d->pass_n = yml_get(y, n, "password");
	if (!d->impi_n)
		return yml_err(y, n, err, sz, "%s: missing 'impi'", d->what);
	if (!yml_get(y, n, "impu") && !yml_get(y, n, "sets"))
		return yml_err(y, n, err, sz, "%s: missing 'impu'", d->what);

	cn = yml_get(y, n, "count");
	if (cn) {
		(void)re_snprintf(path, sizeof(path), "%s.count", d->what);
		e = yml_uint(y, cn, path, &d->count, err, sz);
		if (e)
			return e;
		if (d->count < 1 || d->count > COUNT_MAX)
			return yml_err(y, cn, err, sz, "%s must be 1 to %u",
				       path, COUNT_MAX);
	}

	pn = yml_get(y, n, "profile");
	if (pn) {
		(void)re_snprintf(path, sizeof(path), "%s.profile", d->what);
		e = yml_scalar(y, pn, path, &d->profile, err, sz);
		if (e)
			return e;
		if (!hss_profiles_find(ps, d->profile))
			return yml_err(y, pn, err, sz, "%s: no profile '%s' "
				       "in profiles", path, d->profile);
	}

	(void)re_snprintf(path, sizeof(path), "%s.impi", d->what);
	e = tmpl_parse(&d->impi, y, d->impi_n, path, d->count, true, err,
		       sz);
	if (e)
		return e;

	e = auth_load(d, y, n, err, sz);
	if (e)
		return e;

	e = caps_load(d, y, n, err, sz);
	if (e)
		return e;

	(void)re_snprintf(path, sizeof(path), "%s.password", d->what);
	e = d->pass_n ? tmpl_parse(&d->pass, y, d->pass_n, path, d->count,
				   false, err, sz) : 0;
	if (e)
		return e;

	return impus_load(d, ps, y, n, err, sz);
}


static int load_subscriber(struct hss *hss, const struct hss_profiles *ps,
			   const struct yml *y, const yml_node *n, size_t idx,
			   char *err, size_t sz)
{
	static const char *const keys[] = {
		"impi", "impu", "sets", "password", "profile", "hss", "count",
		"auth", "k", "op", "opc", "amf", "sqn", "capabilities", NULL
	};
	char what[PATH_LEN], path[PATH_LEN];
	struct subdef d;
	const yml_node *hn;
	const char *hname;
	uint32_t i;
	int e;

	memset(&d, 0, sizeof(d));
	(void)re_snprintf(what, sizeof(what), "subscribers[%zu]", idx);
	d.what = what;

	e = yml_check_keys(y, n, keys, what, err, sz);
	if (e)
		return e;

	/* several HSSs share one topology; each takes its own users */
	hn = yml_get(y, n, "hss");
	if (hn) {
		(void)re_snprintf(path, sizeof(path), "%s.hss", what);
		e = yml_scalar(y, hn, path, &hname, err, sz);
		if (e)
			return e;
		if (strcmp(hname, hss_name(hss)))
			return 0;
	}

	e = subdef_load(&d, ps, y, n, err, sz);
	if (e)
		goto out;

	if (!d.count) {
		e = sub_store(hss, &d, 0, y, err, sz);
		goto out;
	}

	for (i = 1; i <= d.count && !e; i++)
		e = sub_store(hss, &d, i, y, err, sz);

 out:
	mem_deref(d.impuv);

	return e;
}


int hss_load(struct hss *hss, const struct yml *y, const yaml_node_t *root,
	     char *err, size_t sz)
{
	struct hss_profiles *ps = NULL;
	struct ifc_sets *sets = NULL;
	struct hss_wilds *ws = NULL;
	const yml_node *sn;
	bool tx = false;
	size_t i;
	int e;

	if (!hss || !y)
		return EINVAL;

	if (!yml_is_map(root))
		return yml_err(y, root, err, sz, "the topology must be a "
			       "mapping");

	sn = yml_get(y, root, "subscribers");
	if (sn && !yml_is_seq(sn))
		return yml_err(y, sn, err, sz, "subscribers must be a list");

	e = hss_profiles_alloc(&ps);
	if (e)
		return e;

	/* all or nothing: a failed load leaves the HSS as it was */
	e = hss_db_begin(hss);
	if (e) {
		e = yml_err(y, root, err, sz, "hss %s: database: %s",
			    hss_name(hss), hss_db_errmsg(hss));
		goto out;
	}
	tx = true;

	e = ifc_sets_load(&sets, y, yml_get(y, root, "shared_ifc_sets"), err,
			  sz);
	if (e)
		goto out;

	e = load_profiles(hss, ps, sets, y, yml_get(y, root, "profiles"), err,
			  sz);
	if (e)
		goto out;

	for (i = 0; i < yml_count(sn); i++) {
		e = load_subscriber(hss, ps, y, yml_item(y, sn, i), i,
				    err, sz);
		if (e)
			goto out;
	}

	/* compiled before COMMIT, so that a failure still rolls back */
	e = hss_wilds_load(hss, &ws);
	if (e)
		goto out;

	e = hss_db_end(hss, true);
	if (e) {
		e = yml_err(y, root, err, sz, "hss %s: database: %s",
			    hss_name(hss), hss_db_errmsg(hss));
		goto out;
	}
	tx = false;

	hss_profiles_set(hss, ps);
	hss_wilds_set(hss, ws);
	ws = NULL;

 out:
	if (tx)
		(void)hss_db_end(hss, false);
	mem_deref(ps);
	mem_deref(sets);
	mem_deref(ws);

	return e;
}
