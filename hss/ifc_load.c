/* SPDX-License-Identifier: BSD-3-Clause */
/* ifc_load: one service profile from the topology's YAML.  Every regex is
 * compiled here, once, and every error names the node path and line:col. */

#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <re.h>
#include "yml.h"
#include "host.h"
#include "sipkit.h"
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
	char msg[160];
	int e;

	e = emul_regcomp(&spt->re, src, REG_NOSUB, msg, sizeof(msg));
	if (e)
		return yml_err(y, n, err, sz, "%s: bad regex '%s': %s",
			       what, src, msg);

	spt->re_ok = true;

	return 0;
}


static int load_string(char **dst, const struct yml *y, const yml_node *n,
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
	char path[PATH_MAX_LEN];
	int e;

	e = yml_check_keys(y, n, sdp ? skeys : hkeys, what, err, sz);
	if (e)
		return e;

	kn = yml_get(y, n, kname);
	if (!kn)
		return yml_err(y, n, err, sz, "%s: missing '%s'", what, kname);

	(void)re_snprintf(path, sizeof(path), "%s.%s", what, kname);
	e = load_string(&spt->str, y, kn, path, err, sz);
	if (e)
		return e;

	if (sdp && (strlen(spt->str) != 1 || spt->str[0] < 'a' ||
		    spt->str[0] > 'z'))
		return yml_err(y, kn, err, sz, "%s: '%s' is not an SDP line "
			       "type (one letter, as in 'm')", path,
			       spt->str);

	cn = yml_get(y, n, "content");
	if (!cn)
		return 0;

	(void)re_snprintf(path, sizeof(path), "%s.content", what);
	e = load_string(&spt->content, y, cn, path, err, sz);
	if (e)
		return e;

	return load_regex(spt, spt->content, y, cn, path, err, sz);
}


/* SIP methods are case-sensitive (RFC 3261 7.1, 20): 'register' would
 * load and never match.  An extension method is a token and may be
 * anything; one that is a known method but for case is a typo. */
static int check_method(const char *met, const struct yml *y,
			const yml_node *n, const char *path, char *err,
			size_t sz)
{
	static const char *const known[] = {
		"ACK", "BYE", "CANCEL", "INFO", "INVITE", "MESSAGE",
		"NOTIFY", "OPTIONS", "PRACK", "PUBLISH", "REFER",
		"REGISTER", "SUBSCRIBE", "UPDATE",
	};
	const char *p;
	size_t i;

	for (p = met; *p; p++) {
		if (!strchr("-.!%*_+`'~", *p) && !isalnum((unsigned char)*p))
			return yml_err(y, n, err, sz, "%s: '%s' is not a SIP "
				       "method (a token: letters, digits and "
				       "-.!%%*_+`'~)", path, met);
	}

	for (i = 0; i < ARRAY_SIZE(known); i++) {
		if (strcmp(met, known[i]) && !strcasecmp(met, known[i]))
			return yml_err(y, n, err, sz, "%s: '%s' would never "
				       "match: SIP methods are case-sensitive;"
				       " did you mean '%s'?", path, met,
				       known[i]);
	}

	return 0;
}


static int load_cond(struct spt *spt, const struct yml *y,
		     const yml_node *n, const char *key, const char *what,
		     char *err, size_t sz)
{
	char path[PATH_MAX_LEN];
	int e;

	(void)re_snprintf(path, sizeof(path), "%s.%s", what, key);

	if (!strcmp(key, "method")) {
		spt->type = SPT_METHOD;
		e = load_string(&spt->str, y, n, path, err, sz);
		if (e)
			return e;

		return check_method(spt->str, y, n, path, err, sz);
	}
	else if (!strcmp(key, "request_uri")) {
		spt->type = SPT_REQUEST_URI;
		e = load_string(&spt->str, y, n, path, err, sz);
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
		"session_case", "sdp", NULL
	};
	const yml_node *cond_key = NULL, *cond_val = NULL;
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

	return load_cond(spt, y, cond_val, yml_str(cond_key), what, err, sz);
}


static int load_trigger(struct ifc **ifcp, const struct yml *y,
			const yml_node *n, const char *what,
			char *err, size_t sz)
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
	struct uri uri;
	struct pl pl;
	int e;

	e = load_string(&ifc->as, y, n, what, err, sz);
	if (e)
		return e;

	pl_set_str(&pl, ifc->as);
	if (uri_decode(&uri, &pl) || (pl_strcasecmp(&uri.scheme, "sip") &&
				      pl_strcasecmp(&uri.scheme, "sips")))
		return yml_err(y, n, err, sz, "%s: '%s' is not a SIP URI",
			       what, ifc->as);

	return 0;
}


static int load_ifc(struct ifc **ifcp, const struct yml *y,
		    const yml_node *n, const char *what, char *err, size_t sz)
{
	static const char *const keys[] = {
		"priority", "trigger", "as", "default_handling",
		"service_info", NULL
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
		e = load_trigger(&ifc, y, tn, path, err, sz);
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


int ifc_profile_load(struct ifc_profile **pp, const char *name,
		     const struct yml *y, const yaml_node_t *n,
		     char *err, size_t sz)
{
	static const char *const keys[] = {"ifc", NULL};
	char what[PATH_MAX_LEN], path[PATH_MAX_LEN];
	struct ifc_profile *p = NULL;
	const yml_node *in;
	size_t i;
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

	for (i = 0; i < yml_count(in); i++) {
		(void)re_snprintf(path, sizeof(path), "%s.ifc[%zu]", what, i);
		e = load_ifc(&p->ifcv[i], y, yml_item(y, in, i), path,
			     err, sz);
		if (e)
			goto out;

		++p->ifcc;
	}

	ifc_profile_sort(p);

 out:
	if (e)
		mem_deref(p);
	else
		*pp = p;

	return e;
}
