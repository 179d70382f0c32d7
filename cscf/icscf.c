/* SPDX-License-Identifier: BSD-3-Clause */
/* The I-CSCF policy (TS 24.229 5.3): the home network's entry point.  For
 * REGISTER it asks the HSS which S-CSCF serves the user (UAR) and picks
 * one by the user's Server-Capabilities when none is assigned; for other
 * requests it asks where the user is (LIR).  It keeps no state of its
 * own, only the operator's table of S-CSCFs. */

#include <string.h>
#include <strings.h>
#include <re.h>
#include "hss.h"
#include "host.h"
#include "sipkit.h"
#include "proxy.h"
#include "gruu.h"
#include "cscf.h"

struct icscf {
	struct node *node;
	struct proxy *px;
	struct cscf_scscf *scscfv;      /* the S-CSCFs, in topology order */
	size_t scscfc;
};


static void icscf_destructor(void *arg)
{
	struct icscf *i = arg;

	mem_deref(i->px);
	mem_deref(i->scscfv);
}


/* TS 29.228 6.1.1.1, 6.1.4.1: an answer without Server-Name leaves the
 * choice to the I-CSCF, by the Server-Capabilities it carries.  ENOENT
 * when no S-CSCF has them. */
static int select_scscf(const struct icscf *i, const char *impu,
			const struct cx_caps *caps, char *buf, size_t sz)
{
	struct node *n;
	size_t idx;
	int err;

	err = icscf_select(&idx, caps, i->scscfv, i->scscfc);
	if (err) {
		elog(LOG_INFO, node_name(i->node), "cx", "no S-CSCF has the"
		     " capabilities %s asks for", impu);
		return err;
	}

	n = emul_node(i->scscfv[idx].name);
	if (!n || node_role(n) != ROLE_SCSCF)
		return ENOENT;

	elog(LOG_DEBUG, node_name(i->node), "cx", "%s: S-CSCF %s selected",
	     impu, node_name(n));

	return re_snprintf(buf, sz, "sip:%s", node_host(n)) < 0 ? ENOMEM : 0;
}


/* RFC 3325 5: the home network's entry point takes requests from other
 * networks too, but an identity asserted outside the trust domain is
 * removed before the request goes in. */
static void untrusted_skip(struct proxy_fwd *fwd, const struct sip_msg *msg)
{
	static const enum sip_hdrid skip[] = {SIP_HDR_P_ASSERTED_IDENTITY};

	if (emul_trusted(msg))
		return;

	fwd->skipv = skip;
	fwd->skipc = ARRAY_SIZE(skip);
}


static void handle_register(struct icscf *i, const struct sip_msg *msg)
{
	struct proxy_fwd fwd;
	struct cx_uaa uaa;
	struct hss *hss;
	char impu[256], impi[256], target[160];
	uint32_t exp = sipx_expires(msg, NULL, 1);
	int err;

	if (sipx_uri_aor(impu, sizeof(impu), &msg->to.auri) ||
	    sipx_impi(impi, sizeof(impi), msg, impu)) {
		(void)proxy_reply(i->px, msg, 400, NULL);
		return;
	}

	hss = slf_locate(impu);
	if (!hss) {
		elog(LOG_INFO, node_name(i->node), "cx",
		     "no HSS holds %s: 403", impu);
		(void)proxy_reply(i->px, msg, 403, NULL);
		return;
	}

	err = cx_uar(i->node, hss, impi, impu, exp ? CX_UAR_REGISTRATION :
		     CX_UAR_DE_REGISTRATION, &uaa);
	if (err) {
		(void)proxy_reply(i->px, msg, 500, NULL);
		return;
	}

	elog(LOG_INFO, node_name(i->node), "cx", "UAR %s/%s: %s %s", impi,
	     impu, cx_result_name(uaa.result), uaa.scscf);

	/* TS 24.229 5.3.1.2: an unknown user, identities that do not match,
	 * roaming not allowed or the de-registration of a user who is not
	 * registered all end here with 403 Forbidden. */
	switch (uaa.result) {

	case CX_FIRST_REGISTRATION:
	case CX_SUBSEQUENT_REGISTRATION:
		break;

	default:
		(void)proxy_reply(i->px, msg, 403, NULL);
		return;
	}

	if (uaa.scscf[0]) {
		str_ncpy(target, uaa.scscf, sizeof(target));
	}
	else {
		err = select_scscf(i, impu, &uaa.caps, target,
				   sizeof(target));
		/* TS 24.229 5.3.1.2 names no response for a user no
		 * S-CSCF can serve: refused, saying why */
		if (err == ENOENT) {
			(void)proxy_reply_reason(i->px, msg, 403,
						 "No S-CSCF Has The "
						 "Capabilities");
			return;
		}
		if (err) {
			(void)proxy_reply(i->px, msg, 500, NULL);
			return;
		}
	}

	proxy_fwd_init(&fwd, i->px, msg);
	fwd.target = target;
	untrusted_skip(&fwd, msg);

	(void)proxy_forward(i->px, msg, &fwd, NULL, NULL);
}


static bool tgruu_scscf(char *buf, size_t sz, const struct sip_msg *msg)
{
	struct pl pub, scscf, token;
	struct node *n;
	char name[64];

	if (gruu_decode(&msg->ruri, &pub, &scscf, &token) ||
	    pl_isset(&pub) || pl_strcpy(&scscf, name, sizeof(name)))
		return false;

	n = emul_node(name);
	if (!n || node_role(n) != ROLE_SCSCF)
		return false;

	return re_snprintf(buf, sz, "sip:%s", node_host(n)) > 0;
}


/* TS 24.229 5.3.2.1: a terminating request goes to the S-CSCF the LIA
 * names; an unknown user gets 404. */
static void handle_other(struct icscf *i, const struct sip_msg *msg)
{
	struct proxy_fwd fwd;
	struct cx_lia lia;
	struct hss *hss;
	char impu[256], target[160];

	if (sipx_uri_aor(impu, sizeof(impu), &msg->ruri)) {
		(void)proxy_reply(i->px, msg, 404, NULL);
		return;
	}

	/* A temporary GRUU names its S-CSCF; the HSS never knows it. */
	if (tgruu_scscf(target, sizeof(target), msg)) {
		proxy_fwd_init(&fwd, i->px, msg);
		fwd.target = target;
		untrusted_skip(&fwd, msg);
		(void)proxy_forward(i->px, msg, &fwd, NULL, NULL);
		return;
	}

	hss = slf_locate(impu);
	if (!hss || cx_lir(i->node, hss, impu, &lia) ||
	    lia.result == CX_ERROR_USER_UNKNOWN) {
		(void)proxy_reply(i->px, msg, 404, NULL);
		return;
	}

	/* TS 29.228 6.1.4.1: UNREGISTERED_SERVICE leaves the choice to
	 * the I-CSCF, by the capabilities; with none that fits, the user
	 * cannot be reached now */
	if (lia.scscf[0])
		str_ncpy(target, lia.scscf, sizeof(target));
	else if (select_scscf(i, impu, &lia.caps, target, sizeof(target))) {
		(void)proxy_reply(i->px, msg, 480, NULL);
		return;
	}

	proxy_fwd_init(&fwd, i->px, msg);
	fwd.target = target;
	untrusted_skip(&fwd, msg);

	(void)proxy_forward(i->px, msg, &fwd, NULL, NULL);
}


static void request_handler(void *arg, const struct sip_msg *msg)
{
	struct icscf *i = arg;

	if (!pl_strcmp(&msg->met, "REGISTER"))
		handle_register(i, msg);
	else
		handle_other(i, msg);
}


/* {node: icscf, scscf: IMPU}: the S-CSCF node the HSS has for the user,
 * as the I-CSCF would route to it (LIR), or "" when none is assigned. */
static int query(struct re_printf *pf, void *impl, const char *what,
		 const char *arg)
{
	struct node *n = NULL;
	struct cx_lia lia;
	struct hss *hss;
	struct uri uri;
	struct pl pl;
	struct sa sa;

	(void)impl;

	if (str_casecmp(what, "scscf"))
		return ENOTSUP;

	hss = slf_locate(arg);
	if (!hss || hss_lir(hss, arg, &lia) || !lia.scscf[0])
		return re_hprintf(pf, "");

	pl_set_str(&pl, lia.scscf);
	if (uri_decode(&uri, &pl) || emul_resolve(&sa, &n, &uri) || !n)
		return re_hprintf(pf, "%s", lia.scscf);

	return re_hprintf(pf, "%s", node_name(n));
}


static const struct proxy_policy policy = {
	.request = request_handler,
	.query   = query,
};


int icscf_alloc(struct icscf **ip, struct node *node,
		const struct cscf_cfg *cfg)
{
	struct icscf *i;
	int err;

	if (!ip || !node || !cfg)
		return EINVAL;

	i = mem_zalloc(sizeof(*i), icscf_destructor);
	if (!i)
		return ENOMEM;

	i->node = node;
	i->scscfv = mem_ref(cfg->scscfv);
	i->scscfc = cfg->scscfc;
	err = proxy_alloc(&i->px, node, &policy, i);
	if (err) {
		mem_deref(i);
		return err;
	}

	*ip = i;

	return 0;
}
