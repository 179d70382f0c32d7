/* SPDX-License-Identifier: BSD-3-Clause */
/* Scenario validation: the whole file is checked against the topology
 * before anything is sent, so that a typo is a file:line:column error
 * (exit 2) and never a half-run scenario. */

#include <regex.h>
#include <string.h>
#include <re.h>
#include "yml.h"
#include "host.h"
#include "diam.h"
#include "hss.h"
#include "sipkit.h"
#include "report.h"
#include "scen.h"
#include "engine.h"


/* A regex that does not compile is a typo in the file: said at load with
 * its place, not at run time as a failed step.  One with ${capture} in it
 * is whole only once the capture is known. */
static int check_regex(const struct yml *y, const yml_node *n, char *err,
		       size_t sz)
{
	const char *s = yml_str(n);
	char why[128];
	regex_t re;
	int rc;

	if (!n)
		return 0;
	if (!s)
		return yml_err(y, n, err, sz, "regex must be a string");
	if (strstr(s, "${"))
		return 0;

	rc = emul_regcomp(&re, s, 0, why, sizeof(why));
	if (rc)
		return yml_err(y, n, err, sz, "bad regex '%s': %s", s, why);
	regfree(&re);

	return 0;
}


static int check_matcher(const struct yml *y, const yml_node *m,
			 const char *what, char *err, size_t sz)
{
	static const char *const keys[] = {
		"equals", "contains", "regex", "capture", "absent", NULL
	};

	if (yml_is_scalar(m))
		return 0;

	if (yml_check_keys(y, m, keys, what, err, sz))
		return EINVAL;

	if (!yml_get(y, m, "equals") && !yml_get(y, m, "contains") &&
	    !yml_get(y, m, "regex") && !yml_get(y, m, "absent"))
		return yml_err(y, m, err, sz, "%s needs equals, contains,"
			       " regex or absent", what);

	if (yml_get(y, m, "capture") && !yml_get(y, m, "regex"))
		return yml_err(y, yml_get(y, m, "capture"), err, sz,
			       "capture needs a regex");

	return check_regex(y, yml_get(y, m, "regex"), err, sz);
}


static int check_node(const struct yml *y, const yml_node *n,
		      const char *what, char *err, size_t sz)
{
	const char *name = yml_str(n);

	if (!name)
		return yml_err(y, n, err, sz, "%s must name a node", what);

	if (!emul_node(name) && !slf_by_name(name))
		return yml_err(y, n, err, sz, "unknown node '%s'", name);

	return 0;
}


/* after: N (or a list): the arrow's message comes after the message of
 * the step's earlier arrow N, whatever call either belongs to. */
static int check_after(const struct yml *y, const yml_node *n, size_t idx,
		       char *err, size_t sz)
{
	size_t i, cnt = yml_is_seq(n) ? yml_count(n) : 1;

	if (yml_is_seq(n) && !cnt)
		return yml_err(y, n, err, sz, "after must name at least one "
			       "earlier arrow");

	for (i = 0; i < cnt; i++) {
		const yml_node *v = yml_is_seq(n) ? yml_item(y, n, i) : n;
		uint32_t k;

		if (yml_uint(y, v, "after", &k, err, sz))
			return EINVAL;
		if (idx == 1)
			return yml_err(y, v, err, sz, "after: %u: the step's "
				       "first arrow has no earlier arrow to "
				       "follow", k);
		if (k < 1 || k >= idx)
			return yml_err(y, v, err, sz, "after: %u must name an "
				       "earlier arrow of this step (1 to %zu)",
				       k, idx - 1);
	}

	return 0;
}


/* A Cx arrow: its command and the AVPs it checks, nothing of SIP's. */
static int check_cx_arrow(const struct yml *y, const yml_node *a,
			  char *err, size_t sz)
{
	static const char *const sip_only[] = {
		"method", "status", "cseq", "headers", "body", "path", "uri",
		"transport", NULL
	};
	const yml_node *avp = yml_get(y, a, "avp");
	const char *cmd = yml_str(yml_get(y, a, "command"));
	uint32_t code;
	size_t i;
	bool req;

	if (!cmd || diam_command_lookup(cmd, &code, &req))
		return yml_err(y, yml_get(y, a, "command"), err, sz,
			       "command '%s' is no Diameter command (UAR, UAA,"
			       " MAR, SAR, LIR, RTR, PPR, CER, DWR, ... or "
			       "a full name)", cmd ? cmd : "");

	for (i = 0; sip_only[i]; i++) {
		if (yml_get(y, a, sip_only[i]))
			return yml_err(y, yml_get(y, a, sip_only[i]), err, sz,
				       "%s is not for a Diameter arrow",
				       sip_only[i]);
	}

	if (avp && !yml_is_map(avp))
		return yml_err(y, avp, err, sz, "avp must map AVP names to "
			       "matchers");

	for (i = 0; i < yml_count(avp); i++) {
		const char *name = yml_str(yml_key(y, avp, i));

		/* an unknown name would never match: say so now */
		if (!diam_avp_known(name))
			return yml_err(y, yml_key(y, avp, i), err, sz,
				       "no AVP is called '%s'", name);
		if (check_matcher(y, yml_val(y, avp, i), "AVP matcher", err,
				  sz))
			return EINVAL;
	}

	return 0;
}


static int check_arrow(const struct yml *y, const yml_node *a, size_t idx,
		       char *err, size_t sz)
{
	static const char *const keys[] = {
		"from", "to", "method", "status", "cseq", "headers", "body",
		"transport", "proto", "path", "uri", "note", "after", "lost",
		"retransmission", "command", "avp", NULL
	};
	const yml_node *hdrs;
	uint32_t st;
	size_t i;

	if (yml_check_keys(y, a, keys, "arrow", err, sz))
		return EINVAL;

	if (!yml_get(y, a, "from") || !yml_get(y, a, "to"))
		return yml_err(y, a, err, sz, "arrow needs from and to");

	if (check_node(y, yml_get(y, a, "from"), "from", err, sz) ||
	    check_node(y, yml_get(y, a, "to"), "to", err, sz))
		return EINVAL;

	if (yml_get(y, a, "command"))
		return check_cx_arrow(y, a, err, sz);

	if (!yml_get(y, a, "method") == !yml_get(y, a, "status"))
		return yml_err(y, a, err, sz,
			       "arrow needs either method or status");
	if (yml_get(y, a, "avp"))
		return yml_err(y, yml_get(y, a, "avp"), err, sz,
			       "avp is for a Diameter arrow (command: ...)");

	if (yml_get(y, a, "status") &&
	    (yml_uint(y, yml_get(y, a, "status"), "status", &st, err, sz) ||
	     st < 100 || st > 699))
		return yml_err(y, yml_get(y, a, "status"), err, sz,
			       "status must be a SIP status code 100-699");

	if (yml_get(y, a, "transport") &&
	    str_cmp(yml_str(yml_get(y, a, "transport")), "udp") &&
	    str_cmp(yml_str(yml_get(y, a, "transport")), "tcp"))
		return yml_err(y, yml_get(y, a, "transport"), err, sz,
			       "transport must be udp or tcp");

	if (yml_get(y, a, "after") &&
	    check_after(y, yml_get(y, a, "after"), idx, err, sz))
		return EINVAL;

	hdrs = yml_get(y, a, "headers");
	if (hdrs && !yml_is_map(hdrs))
		return yml_err(y, hdrs, err, sz,
			       "headers must map names to matchers");

	for (i = 0; i < yml_count(hdrs); i++) {
		if (check_matcher(y, yml_val(y, hdrs, i), "header matcher",
				  err, sz))
			return EINVAL;
	}

	if (yml_get(y, a, "body") &&
	    check_matcher(y, yml_get(y, a, "body"), "body matcher", err, sz))
		return EINVAL;

	return 0;
}


static int check_check(const struct yml *y, const yml_node *c, char *err,
		       size_t sz)
{
	static const char *const queries[] = {
		"binding", "bindings", "assoc", "third_party", "state",
		"registered", "service_route", "expires", "last_status",
		"subscription", "sysinfo", "notifies", "fetched",
		"subscriptions", "http_requests", "call", "calls",
		"media_sent", "media_received", "media_auth_failures",
		"media_replays",
		"refer", "refer_notifies", "book", "aka_doctor", "vectors",
		"sa", "contacts", "gruu", "temp_gruu", "instance", "messages",
		"message", "message_from", "message_uri", "reginfo",
		"reg_notifies", "reg_subscription", "reginfo_version", "scscf",
		"media_sending", "call_direction", "voicemail",
		"voicemail_for", "diverted", "diversion", "proxied",
		NULL
	};
	size_t i, j, nq = 0;

	if (!yml_is_map(c))
		return yml_err(y, c, err, sz, "check must be a mapping");

	if (check_node(y, yml_get(y, c, "node"), "check node", err, sz))
		return yml_err(y, yml_get(y, c, "node") ?
			       yml_get(y, c, "node") : c, err, sz,
			       "check needs node: a known node");

	for (i = 0; i < yml_count(c); i++) {
		const char *k = yml_str(yml_key(y, c, i));
		bool known = false;

		if (!strcmp(k, "node") || !strcmp(k, "equals") ||
		    !strcmp(k, "contains") || !strcmp(k, "regex") ||
		    !strcmp(k, "absent") || !strcmp(k, "at_least") ||
		    !strcmp(k, "capture"))
			continue;

		for (j = 0; queries[j]; j++)
			known |= !strcmp(k, queries[j]);
		if (!known)
			return yml_err(y, yml_key(y, c, i), err, sz,
				       "unknown check '%s'", k);
		++nq;
	}

	if (nq != 1)
		return yml_err(y, c, err, sz, "check needs exactly one query"
			       " (binding, third_party, state, ...)");

	if (!yml_get(y, c, "equals") && !yml_get(y, c, "contains") &&
	    !yml_get(y, c, "regex") && !yml_get(y, c, "absent") &&
	    !yml_get(y, c, "at_least"))
		return yml_err(y, c, err, sz, "check needs equals, contains,"
			       " regex, absent or at_least");

	if (yml_get(y, c, "capture") && !yml_get(y, c, "regex"))
		return yml_err(y, yml_get(y, c, "capture"), err, sz,
			       "capture needs a regex");

	return check_regex(y, yml_get(y, c, "regex"), err, sz);
}


/* A step's keys: at most one action of actions.c's table, and these. */
static int check_step_keys(const struct yml *y, const yml_node *st,
			   size_t *actsp, char *err, size_t sz)
{
	static const char *const keys[] = {
		"expect", "check", "note", "strict", "faults"
	};
	size_t i, j, acts = 0;

	if (!yml_is_map(st))
		return yml_err(y, st, err, sz, "step must be a mapping");

	for (i = 0; i < yml_count(st); i++) {
		const yml_node *kn = yml_key(y, st, i);
		const char *k = yml_str(kn);
		bool known = action_find(k) != NULL;

		acts += known;
		for (j = 0; j < ARRAY_SIZE(keys) && !known; j++)
			known = !str_cmp(k, keys[j]);

		/* as yml_check_keys says it */
		if (!known)
			return yml_err(y, kn, err, sz,
				       "unknown key '%s' in step",
				       k ? k : "?");
	}

	*actsp = acts;
	return 0;
}


static int check_step(struct engine *e, const yml_node *st, char *err,
		      size_t sz)
{
	const struct yml *y = e->y;
	const yml_node *v;
	size_t j, acts = 0;
	bool b;

	if (check_step_keys(y, st, &acts, err, sz))
		return EINVAL;

	if (acts > 1)
		return yml_err(y, st, err, sz, "a step holds one action");
	if (!acts && !yml_get(y, st, "expect") && !yml_get(y, st, "check"))
		return yml_err(y, st, err, sz, "step does nothing:"
			       " give an action, expect or check");

	if (action_validate(e, st, err, sz) ||
	    fault_check(y, yml_get(y, st, "faults"), err, sz))
		return EINVAL;
	if ((v = yml_get(y, st, "strict")) &&
	    yml_bool(y, v, "strict", &b, err, sz))
		return EINVAL;

	if ((v = yml_get(y, st, "expect")) != NULL) {
		if (!yml_is_seq(v))
			return yml_err(y, v, err, sz,
				       "expect must be a list of arrows");
		for (j = 0; j < yml_count(v); j++) {
			if (check_arrow(y, yml_item(y, v, j), j + 1, err, sz))
				return EINVAL;
		}
	}

	v = yml_get(y, st, "check");
	if (yml_is_seq(v)) {
		for (j = 0; j < yml_count(v); j++) {
			if (check_check(y, yml_item(y, v, j), err, sz))
				return EINVAL;
		}
	}
	else if (v && check_check(y, v, err, sz)) {
		return EINVAL;
	}

	return 0;
}


int scen_validate(struct engine *e, char *err, size_t sz)
{
	static const char *const rkeys[] = {
		"name", "description", "topology", "settle", "steps",
		"faults", NULL
	};
	const struct yml *y = e->y;
	size_t i;

	if (yml_check_keys(y, yml_root(y), rkeys, "scenario", err, sz))
		return EINVAL;

	if (fault_check(y, yml_get(y, yml_root(y), "faults"), err, sz))
		return EINVAL;

	if (!yml_is_seq(e->steps) || !yml_count(e->steps))
		return yml_err(y, e->steps ? e->steps : yml_root(y), err, sz,
			       "scenario needs 'steps:', a list of steps");

	for (i = 0; i < yml_count(e->steps); i++) {
		if (check_step(e, yml_item(y, e->steps, i), err, sz))
			return EINVAL;
	}

	return 0;
}
