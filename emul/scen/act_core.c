/* SPDX-License-Identifier: BSD-3-Clause */
/* What the core does on its own in a scenario: a network-initiated
 * de-registration (TS 24.229 5.4.1.5), decided by the S-CSCF or asked
 * by the HSS with an RTR (TS 29.228 6.1.3), where reason says whether
 * the UE is to register again (reregister: contacts deactivated, RTR
 * SERVER_CHANGE) or not (permanent: rejected, PERMANENT_TERMINATION);
 * and a changed service profile the HSS pushes (PPR, 6.2.2). */

#include <string.h>
#include <re.h>
#include "yml.h"
#include "hss.h"
#include "diam.h"
#include "host.h"
#include "report.h"
#include "scen.h"
#include "cscf.h"
#include "engine.h"


/* The steps' common part: a map of their keys, user an IMPU. */
static int check_user(struct engine *e, const struct action *a,
		      const yml_node *v, const char *form, char *err,
		      size_t sz)
{
	const struct yml *y = e->y;
	const char *user = yml_str(yml_get(y, v, "user"));

	if (!yml_is_map(v))
		return yml_err(y, v, err, sz, "%s is %s", a->name, form);
	if (yml_check_keys(y, v, a->keys, a->name, err, sz))
		return EINVAL;
	if (!user || (strncmp(user, "sip:", 4) && strncmp(user, "tel:", 4)))
		return yml_err(y, v, err, sz, "%s: user must be a sip: or"
			       " tel: IMPU", a->name);

	return 0;
}


int act_check_dereg(struct engine *e, const struct action *a,
		    const yml_node *v, char *err, size_t sz)
{
	const struct yml *y = e->y;
	const char *by = yml_str(yml_get(y, v, "by"));
	const char *reason = yml_str(yml_get(y, v, "reason"));
	const char *node = yml_str(yml_get(y, v, "node"));

	if (check_user(e, a, v, "{user, by, reason}", err, sz))
		return EINVAL;
	if (by && strcmp(by, "scscf") && strcmp(by, "hss"))
		return yml_err(y, yml_get(y, v, "by"), err, sz, "%s: by is"
			       " scscf or hss", a->name);
	if (reason && strcmp(reason, "reregister") &&
	    strcmp(reason, "permanent"))
		return yml_err(y, yml_get(y, v, "reason"), err, sz, "%s:"
			       " reason is reregister or permanent", a->name);
	if (node && (!emul_node(node) ||
		     node_role(emul_node(node)) != ROLE_SCSCF))
		return yml_err(y, yml_get(y, v, "node"), err, sz, "%s: '%s'"
			       " is no S-CSCF", a->name, node);

	return 0;
}


/* The RTA of an S-CSCF outside the process, over Diameter */
static void rta_handler(int err, uint32_t code, void *arg)
{
	struct engine *e = arg;

	if (err)
		engine_fail(e, "deregister_network: RTR for %s over Diameter:"
			    " %s", e->rtr_user, err == ETIMEDOUT ?
			    "no RTA came" : "the S-CSCF's connection went");
	else if (code != CX_SUCCESS)
		engine_fail(e, "deregister_network: the S-CSCF answered the"
			    " RTR for %s with %u %s", e->rtr_user, code,
			    diam_result_name(code, false));
	else
		engine_settle(e);
}


static int by_hss(struct engine *e, const char *user, bool again)
{
	struct hss *hss = slf_locate(user);
	enum cx_result rta = CX_UNABLE_TO_COMPLY;
	int err;

	if (!hss) {
		engine_fail(e, "deregister_network: no HSS holds %s", user);
		return 0;
	}

	err = hss_rtr(hss, user, again ? CX_DEREG_SERVER_CHANGE :
		      CX_DEREG_PERMANENT_TERMINATION, "scenario", &rta,
		      rta_handler, e);
	if (err == EINPROGRESS)
		str_ncpy(e->rtr_user, user, sizeof(e->rtr_user));
	else if (err == ENOTCONN)
		engine_fail(e, "deregister_network: %s is not registered at"
			    " any S-CSCF (HSS %s)", user, hss_name(hss));
	else if (err)
		engine_fail(e, "deregister_network: RTR for %s failed (%m)",
			    user, err);
	else if (rta != CX_SUCCESS)
		engine_fail(e, "deregister_network: the S-CSCF answered the"
			    " RTR for %s with %s", user, cx_result_name(rta));
	else
		engine_settle(e);

	return 0;
}


int act_dereg(struct engine *e, const yml_node *v)
{
	const struct yml *y = e->y;
	const char *user = yml_str(yml_get(y, v, "user"));
	const char *by = yml_str(yml_get(y, v, "by"));
	const char *reason = yml_str(yml_get(y, v, "reason"));
	const char *name = yml_str(yml_get(y, v, "node"));
	bool again = !reason || !strcmp(reason, "reregister");
	struct scscf *s;

	if (by && !strcmp(by, "hss"))
		return by_hss(e, user, again);

	s = topo_scscf(e->topo, name, user);
	if (!s || scscf_deregister(s, user, again)) {
		engine_fail(e, "deregister_network: %s is not registered at"
			    " %s", user, name ? name : "any S-CSCF");
		return 0;
	}

	engine_settle(e);
	return 0;
}


int act_check_ppr(struct engine *e, const struct action *a,
		  const yml_node *v, char *err, size_t sz)
{
	const struct yml *y = e->y;

	if (check_user(e, a, v, "{user, profile}", err, sz))
		return EINVAL;
	if (!yml_str(yml_get(y, v, "profile")))
		return yml_err(y, v, err, sz, "%s: needs profile: a profile"
			       " of the topology", a->name);

	return 0;
}


int act_ppr(struct engine *e, const yml_node *v)
{
	const struct yml *y = e->y;
	const char *user = yml_str(yml_get(y, v, "user"));
	const char *profile = yml_str(yml_get(y, v, "profile"));
	struct hss *hss = slf_locate(user);
	enum cx_result ppa = CX_UNABLE_TO_COMPLY;
	int err;

	err = hss ? hss_ppr(hss, user, profile, &ppa) : ENOENT;
	if (err == ENOENT)
		engine_fail(e, "push_profile: no subscriber %s or no profile"
			    " '%s' in its HSS", user, profile);
	else if (err)
		engine_fail(e, "push_profile: PPR for %s failed (%m)", user,
			    err);
	else if (ppa != CX_SUCCESS)
		engine_fail(e, "push_profile: the S-CSCF answered the PPR for"
			    " %s with %s", user, cx_result_name(ppa));
	else
		engine_settle(e);

	return 0;
}
