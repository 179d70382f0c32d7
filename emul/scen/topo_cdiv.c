/* SPDX-License-Identifier: BSD-3-Clause */
/* An AS node's call diversion rules (TS 24.604), the telephony
 * service's data: 'diversion: [{user, when, to, after}]', where when is
 * unconditional, busy, no_answer (after: seconds nobody answers, 20 by
 * default) or not_reachable.  Only an AS node has them. */

#include <string.h>
#include <re.h>
#include "yml.h"
#include "host.h"
#include "sipkit.h"
#include "report.h"
#include "scen.h"
#include "as.h"
#include "engine.h"

enum { NOANSWER_DEFAULT_S = 20 };


static int load_uri(const struct yml *y, const yml_node *r, const char *key,
		    const char *what, const char **sp, char *err, size_t sz)
{
	const yml_node *n = yml_get(y, r, key);
	struct uri u;
	struct pl pl;

	if (!n)
		return yml_err(y, r, err, sz, "%s: missing '%s'", what, key);
	if (yml_scalar(y, n, what, sp, err, sz))
		return EINVAL;

	pl_set_str(&pl, *sp);
	if (uri_decode(&u, &pl) || (pl_strcasecmp(&u.scheme, "sip") &&
				    pl_strcasecmp(&u.scheme, "tel")))
		return yml_err(y, n, err, sz, "%s.%s: '%s' is not a sip: or "
			       "tel: URI", what, key, *sp);

	return 0;
}


static int load_when(const struct yml *y, const yml_node *r,
		     const char *what, enum as_cdiv *wp, char *err, size_t sz)
{
	const yml_node *n = yml_get(y, r, "when");
	const char *s;
	int c;

	if (!n)
		return yml_err(y, r, err, sz, "%s: missing 'when'", what);
	if (yml_scalar(y, n, what, &s, err, sz))
		return EINVAL;

	for (c = AS_CDIV_UNCONDITIONAL; c <= AS_CDIV_NOT_REACHABLE; c++) {
		if (!strcmp(s, as_cdiv_name((enum as_cdiv)c))) {
			*wp = (enum as_cdiv)c;
			return 0;
		}
	}

	return yml_err(y, n, err, sz, "%s.when: '%s' is not unconditional, "
		       "busy, no_answer or not_reachable", what, s);
}


static int load_rule(struct as *as, const struct yml *y, const yml_node *r,
		     const char *what, char *err, size_t sz)
{
	static const char *const keys[] = {"user", "when", "to", "after",
					   NULL};
	const yml_node *an = yml_get(y, r, "after");
	const char *user, *to;
	enum as_cdiv when = AS_CDIV_UNCONDITIONAL;
	double secs = NOANSWER_DEFAULT_S;
	int e;

	if (!yml_is_map(r))
		return yml_err(y, r, err, sz, "%s must be a map {user, when, "
			       "to}", what);
	if (yml_check_keys(y, r, keys, what, err, sz) ||
	    load_uri(y, r, "user", what, &user, err, sz) ||
	    load_when(y, r, what, &when, err, sz) ||
	    load_uri(y, r, "to", what, &to, err, sz))
		return EINVAL;

	if (an && when != AS_CDIV_NO_ANSWER)
		return yml_err(y, an, err, sz, "%s.after: only a no_answer "
			       "rule waits", what);
	if (an && yml_double(y, an, "after", &secs, err, sz))
		return EINVAL;
	if (secs > RING_MAX_S)
		return yml_err(y, an, err, sz, "%s.after must be at most %u "
			       "seconds", what, RING_MAX_S);
	if (!str_casecmp(user, to))
		return yml_err(y, yml_get(y, r, "to"), err, sz, "%s: %s would "
			       "divert to itself", what, user);

	e = as_cdiv_add(as, user, when, to, (uint32_t)(secs * 1000));
	if (e == EALREADY)
		return yml_err(y, r, err, sz, "%s: %s has a %s rule already",
			       what, user, as_cdiv_name(when));
	if (e)
		return yml_err(y, r, err, sz, "%s: %m", what, e);

	return 0;
}


int topo_diversion(struct as *as, const struct yml *y, const yml_node *nn,
		   const char *name, char *err, size_t sz)
{
	const yml_node *dn = yml_get(y, nn, "diversion");
	char what[96];
	size_t i;

	if (!dn)
		return 0;
	if (!as)
		return yml_err(y, dn, err, sz, "node '%s': diversion: only an "
			       "as node has diversion rules", name);
	if (!yml_is_seq(dn))
		return yml_err(y, dn, err, sz, "node '%s': diversion must be a"
			       " list of {user, when, to}", name);

	for (i = 0; i < yml_count(dn); i++) {
		(void)re_snprintf(what, sizeof(what),
				  "node '%s': diversion[%zu]", name, i);
		if (load_rule(as, y, yml_item(y, dn, i), what, err, sz))
			return EINVAL;
	}

	return 0;
}
