/* SPDX-License-Identifier: BSD-3-Clause */
/* The Cx commands' ABNF (TS 29.229 6.1): Session-Id first, and the
 * AVPs in curly braces that each must carry, as dictionary rules, so
 * that a message missing one is named by its Result-Code (RFC 6733 7.1.5:
 * 5005 DIAMETER_MISSING_AVP).  Optional AVPs need no rule. */

#include <string.h>
#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdproto.h>
#include <re.h>
#include "diam.h"
#include "diamint.h"

#define BASE_REQ "Vendor-Specific-Application-Id", "Auth-Session-State", \
	"Origin-Host", "Origin-Realm"

static const struct cx_rules {
	const char *cmd;
	const char *required[12];
} cx_rules[] = {
	{"User-Authorization-Request", {BASE_REQ, "Destination-Realm",
	 "User-Name", "Public-Identity", "Visited-Network-Identifier"}},
	{"User-Authorization-Answer", {BASE_REQ}},
	{"Server-Assignment-Request", {BASE_REQ, "Destination-Realm",
	 "Server-Name", "Server-Assignment-Type",
	 "User-Data-Already-Available"}},
	{"Server-Assignment-Answer", {BASE_REQ}},
	{"Location-Info-Request", {BASE_REQ, "Destination-Realm",
	 "Public-Identity"}},
	{"Location-Info-Answer", {BASE_REQ}},
	{"Multimedia-Auth-Request", {BASE_REQ, "Destination-Realm",
	 "User-Name", "Public-Identity", "SIP-Auth-Data-Item",
	 "SIP-Number-Auth-Items", "Server-Name"}},
	{"Multimedia-Auth-Answer", {BASE_REQ}},
	{"Registration-Termination-Request", {BASE_REQ, "Destination-Host",
	 "Destination-Realm", "User-Name", "Deregistration-Reason"}},
	{"Registration-Termination-Answer", {BASE_REQ}},
	{"Push-Profile-Request", {BASE_REQ, "Destination-Host",
	 "Destination-Realm", "User-Name"}},
	{"Push-Profile-Answer", {BASE_REQ}},
};


static int rule(struct dict_object *cmd, const char *avp,
		enum rule_position pos, unsigned order)
{
	struct dict_rule_data r;

	memset(&r, 0, sizeof(r));
	if (fd_dict_search(diam_dict(), DICT_AVP, AVP_BY_NAME_ALL_VENDORS, avp,
			   &r.rule_avp, ENOENT))
		return ENOENT;

	r.rule_position = pos;
	r.rule_order = order;
	r.rule_min = 1;
	r.rule_max = 1;

	return fd_dict_new(diam_dict(), DICT_RULE, &r, cmd, NULL);
}


int diam_rules_add(void)
{
	size_t i, j;
	int err = 0;

	for (i = 0; !err && i < ARRAY_SIZE(cx_rules); i++) {
		struct dict_object *cmd = NULL;

		if (fd_dict_search(diam_dict(), DICT_COMMAND, CMD_BY_NAME,
				   cx_rules[i].cmd, &cmd, ENOENT))
			return ENOENT;

		err = rule(cmd, "Session-Id", RULE_FIXED_HEAD, 1);
		for (j = 0; !err && j < ARRAY_SIZE(cx_rules[i].required) &&
			     cx_rules[i].required[j]; j++)
			err = rule(cmd, cx_rules[i].required[j], RULE_REQUIRED,
				   0);
	}

	return err;
}


int diam_check(const struct diam *d, uint32_t *codep, const char **avpp,
	       char *why, size_t sz)
{
	struct dict_object *model = NULL;
	struct dict_avp_data ad;
	struct fd_pei pei;

	if (!d)
		return EINVAL;

	memset(&pei, 0, sizeof(pei));
	if (!fd_msg_parse_rules(d->m, diam_dict(), &pei))
		return 0;

	/* RFC 6733 7.1.5 names the codes freeDiameter reports */
	if (codep)
		*codep = pei.pei_errcode &&
			!strcmp(pei.pei_errcode, "DIAMETER_MISSING_AVP") ?
			5005 : 5004;
	if (avpp)
		*avpp = NULL;
	if (pei.pei_avp && !fd_msg_model(pei.pei_avp, &model) && model &&
	    !fd_dict_getval(model, &ad)) {
		/* the dictionary's name, which outlives the message */
		if (avpp)
			*avpp = ad.avp_name;
		if (why)
			(void)re_snprintf(why, sz, "%s: %s", pei.pei_errcode ?
					  pei.pei_errcode : "bad message",
					  ad.avp_name);
	}
	else if (why)
		(void)re_snprintf(why, sz, "%s", pei.pei_errcode ?
				  pei.pei_errcode : "bad message");
	if (pei.pei_avp_free)
		(void)fd_msg_free(pei.pei_avp);

	return EPROTO;
}
