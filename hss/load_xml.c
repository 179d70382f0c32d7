/* SPDX-License-Identifier: BSD-3-Clause */
/* load_xml: service profiles from the TS 29.228 XML files a topology
 * names, relative to the topology's own file.  'profiles: {xml: PATH}'
 * (a file, a folder of *.xml, or a list of them) takes every
 * ServiceProfile that carries imsbed's name for it, as 'imsbed hss
 * export' writes them; 'profiles: {NAME: {xml: FILE}}' takes the one so
 * named, or the file's only one, under NAME.  A profile that several
 * files carry (one per subscriber) must be the same in each. */

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <re.h>
#include "yml.h"
#include "hss.h"
#include "hssint.h"

#include "loadint.h"

/* One more than hss_subscription_decode takes, so that it says so */
enum { READ_MAX = 4 * 1024 * 1024 + 1, PATH_SZ = 1024 };


static int file_read(char **bufp, size_t *lenp, const char *path,
		     char *err, size_t sz)
{
	struct stat st;
	size_t len = 0, n;
	char *buf;
	FILE *f;
	int e;

	f = fopen(path, "rb");
	if (!f) {
		e = errno;
		(void)re_snprintf(err, sz, "%s: cannot open: %m", path, e);
		return e;
	}

	/* a FIFO or a device would be read without end */
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
		(void)re_snprintf(err, sz, "%s: not a regular file", path);
		fclose(f);
		return EINVAL;
	}

	buf = mem_alloc(READ_MAX, NULL);
	if (!buf) {
		fclose(f);
		return ENOMEM;
	}

	while (len < READ_MAX &&
	       (n = fread(buf + len, 1, READ_MAX - len, f)) > 0)
		len += n;
	e = ferror(f) ? EIO : 0;
	fclose(f);

	if (e) {
		(void)re_snprintf(err, sz, "%s: cannot read: %m", path, e);
		mem_deref(buf);
		return e;
	}

	*bufp = buf;
	*lenp = len;

	return 0;
}


int hss_subscription_load(struct hss_xml_doc **dp, const char *path,
			  const struct ifc_sets *sets, char *err, size_t sz)
{
	char *buf = NULL;
	size_t len = 0;
	int e;

	if (!dp || !path)
		return EINVAL;

	e = file_read(&buf, &len, path, err, sz);
	if (!e)
		e = hss_subscription_decode(dp, buf, len, path, sets, err, sz);

	mem_deref(buf);

	return e;
}


/* rel beside the topology's file, unless it is absolute */
static void path_of(char *buf, size_t sz, const struct yml *y,
		    const char *rel)
{
	const char *top = yml_file(y);
	const char *slash = top ? strrchr(top, '/') : NULL;

	if (rel[0] == '/' || !slash)
		str_ncpy(buf, rel, sz);
	else
		(void)re_snprintf(buf, sz, "%b/%s", top,
				  (size_t)(slash - top), rel);
}


/* p into the HSS under its name; one already there must be the same */
static int profile_put(struct hss *hss, struct hss_profiles *ps,
		       struct ifc_profile *p, const char *path, unsigned line,
		       char *err, size_t sz)
{
	const struct ifc_profile *old = hss_profiles_find(ps, p->name);
	int e;

	if (old && ifc_profile_equal(old, p))
		return 0;
	if (old) {
		(void)re_snprintf(err, sz, "%s:%u: profile '%s' differs from "
				  "the one loaded before under that name",
				  path, line, p->name);
		return EINVAL;
	}

	e = hss_profiles_add(ps, p);
	if (!e && hss_db_profile(hss, p)) {
		(void)re_snprintf(err, sz, "%s:%u: hss %s: database: %s",
				  path, line, hss_name(hss),
				  hss_db_errmsg(hss));
		e = EIO;
	}

	return e;
}


/* Every named ServiceProfile of one file */
static int file_load(struct hss *hss, struct hss_profiles *ps,
		     const struct ifc_sets *sets, const char *path,
		     char *err, size_t sz)
{
	const struct hss_xml_sub *s;
	struct hss_xml_doc *d = NULL;
	size_t i;
	int e;

	e = hss_subscription_load(&d, path, sets, err, sz);
	if (e)
		return e == EBADMSG ? EINVAL : e;

	s = hss_xml_doc_sub(d);
	for (i = 0; i < s->spc && !e; i++) {
		const struct hss_xml_sp *sp = &s->spv[i];

		/* identities without a service profile: nothing to name */
		if (!sp->name && !ifc_profile_count(sp->profile) &&
		    !sp->profile->setc)
			continue;

		if (!sp->name) {
			(void)re_snprintf(err, sz, "%s:%u: <ServiceProfile> "
					  "has no imsbed name: give it one "
					  "with profiles: {NAME: {xml: %s}}",
					  path, hss_xml_doc_line(d, i), path);
			e = EINVAL;
			break;
		}

		e = profile_put(hss, ps, (struct ifc_profile *)sp->profile,
				path, hss_xml_doc_line(d, i), err, sz);
	}

	mem_deref(d);

	return e;
}


static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}


/* Every *.xml of a folder, in the order of their names */
static int dir_load(struct hss *hss, struct hss_profiles *ps,
		    const struct ifc_sets *sets, const char *dir,
		    char *err, size_t sz)
{
	char **namev = NULL, path[PATH_SZ];
	size_t namec = 0, namen = 0, i;
	struct dirent *de;
	DIR *dp;
	int e = 0;

	dp = opendir(dir);
	if (!dp) {
		e = errno;
		(void)re_snprintf(err, sz, "%s: cannot open: %m", dir, e);
		return e;
	}

	while (!e && (de = readdir(dp))) {
		size_t l = strlen(de->d_name);

		if (l < 5 || strcmp(de->d_name + l - 4, ".xml"))
			continue;

		if (namec == namen) {
			size_t n = namen ? 2 * namen : 16;
			char **v = namev ?
				mem_realloc(namev, n * sizeof(*v)) :
				mem_zalloc(n * sizeof(*v), NULL);

			if (!v) {
				e = ENOMEM;
				break;
			}
			namev = v;
			namen = n;
		}
		e = str_dup(&namev[namec], de->d_name);
		if (!e)
			++namec;
	}
	(void)closedir(dp);

	if (namec)
		qsort(namev, namec, sizeof(*namev), name_cmp);

	for (i = 0; i < namec && !e; i++) {
		(void)re_snprintf(path, sizeof(path), "%s/%s", dir,
				  namev[i]);
		e = file_load(hss, ps, sets, path, err, sz);
	}

	for (i = 0; i < namec; i++)
		mem_deref(namev[i]);
	mem_deref(namev);

	return e;
}


static int path_load(struct hss *hss, struct hss_profiles *ps,
		     const struct ifc_sets *sets, const struct yml *y,
		     const yml_node *n, char *err, size_t sz)
{
	char path[PATH_SZ];
	const char *rel;
	struct stat st;

	if (yml_scalar(y, n, "profiles.xml", &rel, err, sz))
		return EINVAL;
	if (!*rel)
		return yml_err(y, n, err, sz, "profiles.xml must not be "
			       "empty");

	path_of(path, sizeof(path), y, rel);
	if (!stat(path, &st) && S_ISDIR(st.st_mode))
		return dir_load(hss, ps, sets, path, err, sz);

	return file_load(hss, ps, sets, path, err, sz);
}


int load_xml_all(struct hss *hss, struct hss_profiles *ps,
		 const struct ifc_sets *sets, const struct yml *y,
		 const yml_node *n, char *err, size_t sz)
{
	size_t i;
	int e;

	if (!yml_is_seq(n))
		return path_load(hss, ps, sets, y, n, err, sz);

	for (i = 0; i < yml_count(n); i++) {
		e = path_load(hss, ps, sets, y, yml_item(y, n, i), err, sz);
		if (e)
			return e;
	}

	return 0;
}


/* The ServiceProfile named name, or the document's only one */
static const struct hss_xml_sp *sp_pick(const struct hss_xml_sub *s,
					const char *name)
{
	size_t i;

	for (i = 0; i < s->spc; i++) {
		if (s->spv[i].name && !strcmp(s->spv[i].name, name))
			return &s->spv[i];
	}

	return s->spc == 1 ? &s->spv[0] : NULL;
}


int load_xml_named(struct hss *hss, struct hss_profiles *ps,
		   const struct ifc_sets *sets, const struct yml *y,
		   const char *name, const yml_node *n, char *err, size_t sz)
{
	static const char *const keys[] = {"xml", NULL};
	const struct hss_xml_sp *sp;
	struct hss_xml_doc *d = NULL;
	struct ifc_profile *p;
	char what[PATH_LEN + HSS_ID_MAX], path[PATH_SZ];
	const yml_node *xn;
	const char *rel;
	int e;

	(void)re_snprintf(what, sizeof(what), "profiles.%s", name);
	if (yml_check_keys(y, n, keys, what, err, sz))
		return EINVAL;

	xn = yml_get(y, n, "xml");
	(void)re_snprintf(what, sizeof(what), "profiles.%s.xml", name);
	if (yml_scalar(y, xn, what, &rel, err, sz))
		return EINVAL;

	path_of(path, sizeof(path), y, rel);
	e = hss_subscription_load(&d, path, sets, err, sz);
	if (e)
		return e == EBADMSG ? EINVAL : e;

	sp = sp_pick(hss_xml_doc_sub(d), name);
	if (!sp) {
		e = yml_err(y, xn, err, sz, "%s: %s holds %zu service "
			    "profiles and none named '%s'", what, path,
			    hss_xml_doc_sub(d)->spc, name);
		goto out;
	}

	/* the topology's name is the profile's: the document is gone
	 * after this, nobody else holds it */
	p = (struct ifc_profile *)sp->profile;
	p->name = mem_deref(p->name);
	e = str_dup(&p->name, name);
	if (!e)
		e = profile_put(hss, ps, p, path,
				hss_xml_doc_line(d, (size_t)(sp -
					hss_xml_doc_sub(d)->spv)), err, sz);

 out:
	mem_deref(d);

	return e;
}
