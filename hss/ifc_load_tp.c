/* SPDX-License-Identifier: BSD-3-Clause */
/* ifc_load_tp: an iFC's trigger point from the topology's YAML (TS 29.228
 * B.2.2: CNF or DNF, SPTs in groups, each one condition).  Every regex
 * is compiled here, once, and every error names the node path and
 * line:col. */

#include <string.h>
#include <re.h>
#include "yml.h"
#include "hss.h"
#include "hssint.h"

enum { PATH_MAX_LEN = 256 };

static const char *const cond_keys[] = {
	"method", "request_uri", "header", "session_case", "sdp", NULL
};


static int load_regex(struct spt *spt, const char *src, const struct yml *y,
		      const yml_node *n, const char *what, char *err,
		      size_t sz)
{
	char why[256];

	if (spt_regex_set(spt, src, why, sizeof(why)))
		return yml_err(y, n, err, sz, "%s: %s", what, why);

	return 0;
}


int ifc_string_load(char **dst, const struct yml *y, const yml_node *n,
		    const char *what, char *err, size_t sz)
{
	const char *s;

	if (yml_scalar(y, n, what, &s, err, sz))
		return EINVAL;

	if (!*s)
		return yml_err(y, n, err, sz, "%s must not be empty", what);

	return str_dup(dst, s);
}


/* A Group number or a list of them; without the key, group 0 alone */
static int load_groups(struct spt *spt, const struct yml *y,
		       const yml_node *n, const char *what, char *err,
		       size_t sz)
{
	size_t i, c = yml_is_seq(n) ? yml_count(n) : 1;
	int e;

	if (!c)
		return yml_err(y, n, err, sz, "%s must list at least one "
			       "group", what);

	spt->groupv = mem_zalloc(c * sizeof(*spt->groupv), NULL);
	if (!spt->groupv)
		return ENOMEM;
	spt->groupc = c;

	if (!n)
		return 0;

	if (!yml_is_seq(n))
		return yml_uint(y, n, what, &spt->groupv[0], err, sz);

	for (i = 0; i < c; i++) {
		e = yml_uint(y, yml_item(y, n, i), what, &spt->groupv[i],
			     err, sz);
		if (e)
			return e;
	}

	return 0;
}


static int load_session_case(struct spt *spt, const struct yml *y,
			     const yml_node *n, const char *what,
			     char *err, size_t sz)
{
	const char *s;
	int c;

	if (yml_scalar(y, n, what, &s, err, sz))
		return EINVAL;

	for (c = IFC_ORIG; c <= IFC_ORIG_CDIV; c++) {
		if (!strcmp(s, ifc_case_name(c)) ||
		    (s[0] == '0' + c && !s[1])) {
			spt->scase = c;
			return 0;
		}
	}

	return yml_err(y, n, err, sz, "%s: '%s' is not originating, "
		       "terminating_registered, terminating_unregistered, "
		       "originating_unregistered, originating_cdiv or 0-4",
		       what, s);
}


/* header: {name, content} and sdp: {line, content}; content is optional
 * and without it the SPT tests that the header or line is present. */
static int load_pair(struct spt *spt, const struct yml *y, const yml_node *n,
		     const char *what, char *err, size_t sz)
{
	static const char *const hkeys[] = {"name", "content", NULL};
	static const char *const skeys[] = {"line", "content", NULL};
	bool sdp = spt->type == SPT_SDP;
	const char *kname = sdp ? "line" : "name";
	const yml_node *kn, *cn;
	char path[PATH_MAX_LEN], why[128];
	int e;

	e = yml_check_keys(y, n, sdp ? skeys : hkeys, what, err, sz);
	if (e)
		return e;

	kn = yml_get(y, n, kname);
	if (!kn)
		return yml_err(y, n, err, sz, "%s: missing '%s'", what, kname);

	(void)re_snprintf(path, sizeof(path), "%s.%s", what, kname);
	e = ifc_string_load(&spt->str, y, kn, path, err, sz);
	if (e)
		return e;

	if (sdp && spt_line_check(spt->str, why, sizeof(why)))
		return yml_err(y, kn, err, sz, "%s: %s", path, why);

	cn = yml_get(y, n, "content");
	if (!cn)
		return 0;

	(void)re_snprintf(path, sizeof(path), "%s.content", what);
	e = ifc_string_load(&spt->content, y, cn, path, err, sz);
	if (e)
		return e;

	return load_regex(spt, spt->content, y, cn, path, err, sz);
}


/* B.2.2 RegistrationType: a list of initial, re-registration and
 * de-registration; all three mean what none does. */
static int load_regtypes(struct spt *spt, const struct yml *y,
			 const yml_node *n, const char *what, char *err,
			 size_t sz)
{
	size_t i, c = yml_is_seq(n) ? yml_count(n) : 1;
	int r;

	if (!c)
		return yml_err(y, n, err, sz, "%s must list at least one of "
			       "initial, re-registration, de-registration",
			       what);

	for (i = 0; i < c; i++) {
		const yml_node *in = yml_is_seq(n) ? yml_item(y, n, i) : n;
		const char *s;

		if (yml_scalar(y, in, what, &s, err, sz))
			return EINVAL;

		for (r = IFC_REG_INITIAL; r <= IFC_REG_DE; r++) {
			if (!strcmp(s, ifc_reg_name(r)))
				break;
		}
		if (r > IFC_REG_DE)
			return yml_err(y, in, err, sz, "%s: '%s' is not "
				       "initial, re-registration or "
				       "de-registration", what, s);
		if (spt->regtypes & (1u << r))
			return yml_err(y, in, err, sz, "%s: '%s' twice",
				       what, s);

		spt->regtypes |= 1u << r;
	}

	if (spt->regtypes == SPT_REG_ALL)
		spt->regtypes = 0;

	return 0;
}


static int load_cond(struct spt *spt, const struct yml *y,
		     const yml_node *n, const char *key, const char *what,
		     char *err, size_t sz)
{
	char path[PATH_MAX_LEN], why[160];
	int e;

	(void)re_snprintf(path, sizeof(path), "%s.%s", what, key);

	if (!strcmp(key, "method")) {
		spt->type = SPT_METHOD;
		e = ifc_string_load(&spt->str, y, n, path, err, sz);
		if (e)
			return e;

		if (ifc_method_check(spt->str, why, sizeof(why)))
			return yml_err(y, n, err, sz, "%s: %s", path, why);

		return 0;
	}
	else if (!strcmp(key, "request_uri")) {
		spt->type = SPT_REQUEST_URI;
		e = ifc_string_load(&spt->str, y, n, path, err, sz);
		if (e)
			return e;

		return load_regex(spt, spt->str, y, n, path, err, sz);
	}
	else if (!strcmp(key, "session_case")) {
		spt->type = SPT_SESSION_CASE;
		return load_session_case(spt, y, n, path, err, sz);
	}

	spt->type = strcmp(key, "sdp") ? SPT_HEADER : SPT_SDP;

	return load_pair(spt, y, n, path, err, sz);
}


static int load_spt(struct spt *spt, const struct yml *y, const yml_node *n,
		    const char *what, char *err, size_t sz)
{
	static const char *const keys[] = {
		"group", "negated", "method", "request_uri", "header",
		"session_case", "sdp", "registration_type", NULL
	};
	const yml_node *cond_key = NULL, *cond_val = NULL, *rn;
	char path[PATH_MAX_LEN];
	size_t i, j;
	int e;

	e = yml_check_keys(y, n, keys, what, err, sz);
	if (e)
		return e;

	for (i = 0; i < yml_count(n); i++) {
		const yml_node *kn = yml_key(y, n, i);

		for (j = 0; cond_keys[j]; j++) {
			if (strcmp(yml_str(kn), cond_keys[j]))
				continue;

			if (cond_key)
				return yml_err(y, kn, err, sz, "%s: both '%s'"
					       " and '%s'; an SPT holds "
					       "exactly one condition", what,
					       yml_str(cond_key),
					       yml_str(kn));
			cond_key = kn;
			cond_val = yml_val(y, n, i);
		}
	}

	if (!cond_key)
		return yml_err(y, n, err, sz, "%s: no condition; give one of "
			       "method, request_uri, header, session_case, "
			       "sdp", what);

	(void)re_snprintf(path, sizeof(path), "%s.group", what);
	e = load_groups(spt, y, yml_get(y, n, "group"), path, err, sz);
	if (e)
		return e;

	if (yml_get(y, n, "negated")) {
		(void)re_snprintf(path, sizeof(path), "%s.negated", what);
		e = yml_bool(y, yml_get(y, n, "negated"), path, &spt->negated,
			     err, sz);
		if (e)
			return e;
	}

	e = load_cond(spt, y, cond_val, yml_str(cond_key), what, err, sz);
	if (e)
		return e;

	rn = yml_get(y, n, "registration_type");
	if (!rn)
		return 0;

	/* B.2.2: "relevant only to the SIP Method SPT with value
	 * REGISTER": elsewhere nothing would test it */
	(void)re_snprintf(path, sizeof(path), "%s.registration_type", what);
	if (spt->type != SPT_METHOD || strcmp(spt->str, "REGISTER"))
		return yml_err(y, rn, err, sz, "%s goes with method: REGISTER"
			       " only (TS 29.228 B.2.2)", path);

	return load_regtypes(spt, y, rn, path, err, sz);
}


int ifc_trigger_load(struct ifc **ifcp, const struct yml *y,
		     const yml_node *n, const char *what, char *err,
		     size_t sz)
{
	static const char *const keys[] = {"cnf", "spt", NULL};
	char path[PATH_MAX_LEN];
	const yml_node *sn, *cn;
	size_t i;
	int e;

	e = yml_check_keys(y, n, keys, what, err, sz);
	if (e)
		return e;

	sn = yml_get(y, n, "spt");
	if (!sn)
		return yml_err(y, n, err, sz, "%s: missing 'spt'", what);
	if (!yml_is_seq(sn) || !yml_count(sn))
		return yml_err(y, sn, err, sz, "%s.spt must be a list of at "
			       "least one SPT", what);

	e = ifc_alloc(ifcp, yml_count(sn));
	if (e)
		return e;

	cn = yml_get(y, n, "cnf");
	if (cn) {
		(void)re_snprintf(path, sizeof(path), "%s.cnf", what);
		e = yml_bool(y, cn, path, &(*ifcp)->cnf, err, sz);
		if (e)
			return e;
	}

	for (i = 0; i < yml_count(sn); i++) {
		(void)re_snprintf(path, sizeof(path), "%s.spt[%zu]", what, i);
		e = load_spt(&(*ifcp)->sptv[i], y, yml_item(y, sn, i), path,
			     err, sz);
		if (e)
			return e;
	}

	return ifc_index_groups(*ifcp);
}
