/* SPDX-License-Identifier: BSD-3-Clause */
/* ifc_yaml: a service profile written in the topology's YAML, as
 * ifc_load.c reads it back (the same profile, ifc_profile_equal says):
 * every key written out, defaults too, so that the text shows what the
 * profile does.  A shared set's iFCs are the set's: the profile names
 * the set. */

#include <string.h>
#include <re.h>
#include "yml.h"
#include "hss.h"
#include "hssint.h"


static int groups_print(struct re_printf *pf, const struct spt *spt)
{
	size_t i;
	int err;

	if (spt->groupc == 1)
		return re_hprintf(pf, "group: %u", spt->groupv[0]);

	err = re_hprintf(pf, "group: [");
	for (i = 0; i < spt->groupc && !err; i++)
		err = re_hprintf(pf, "%s%u", i ? ", " : "", spt->groupv[i]);

	return err ? err : re_hprintf(pf, "]");
}


static int cond_print(struct re_printf *pf, const struct spt *spt)
{
	bool sdp = spt->type == SPT_SDP;
	int err;

	switch (spt->type) {

	case SPT_METHOD:
		return re_hprintf(pf, "method: %H", yml_str_print, spt->str);

	case SPT_REQUEST_URI:
		return re_hprintf(pf, "request_uri: %H", yml_str_print,
				  spt->str);

	case SPT_SESSION_CASE:
		return re_hprintf(pf, "session_case: %s",
				  ifc_case_name(spt->scase));

	default:
		break;
	}

	err = re_hprintf(pf, "%s: {%s: %H", sdp ? "sdp" : "header",
			 sdp ? "line" : "name", yml_str_print, spt->str);
	if (!err && spt->content)
		err = re_hprintf(pf, ", content: %H", yml_str_print,
				 spt->content);

	return err ? err : re_hprintf(pf, "}");
}


static int regtypes_print(struct re_printf *pf, unsigned regtypes)
{
	int r, err, n = 0;

	err = re_hprintf(pf, ", registration_type: [");
	for (r = IFC_REG_INITIAL; r <= IFC_REG_DE && !err; r++) {
		if (regtypes & (1u << r))
			err = re_hprintf(pf, "%s%s", n++ ? ", " : "",
					 ifc_reg_name(r));
	}

	return err ? err : re_hprintf(pf, "]");
}


/* An SPT on one line: {group: ..., negated: true, condition} */
static int spt_print(struct re_printf *pf, const struct spt *spt)
{
	int err;

	err = re_hprintf(pf, "            - {");
	if (!err)
		err = groups_print(pf, spt);
	if (!err && spt->negated)
		err = re_hprintf(pf, ", negated: true");
	if (!err)
		err = re_hprintf(pf, ", ");
	if (!err)
		err = cond_print(pf, spt);
	if (!err && spt->regtypes)
		err = regtypes_print(pf, spt->regtypes);

	return err ? err : re_hprintf(pf, "}\n");
}


static int ifc_print(struct re_printf *pf, const struct ifc *ifc)
{
	size_t i;
	int err;

	err = re_hprintf(pf, "      - priority: %d\n", ifc->priority);
	if (!err && ifc->sptc) {
		err = re_hprintf(pf, "        trigger:\n"
				 "          cnf: %s\n"
				 "          spt:\n",
				 ifc->cnf ? "true" : "false");
		for (i = 0; i < ifc->sptc && !err; i++)
			err = spt_print(pf, &ifc->sptv[i]);
	}
	if (!err)
		err = re_hprintf(pf, "        as: %H\n"
				 "        default_handling: %s\n",
				 yml_str_print, ifc->as,
				 ifc->dh == IFC_DH_TERMINATE ? "terminate" :
				 "continue");
	if (!err && ifc->service_info)
		err = re_hprintf(pf, "        service_info: %H\n",
				 yml_str_print, ifc->service_info);
	if (!err && ifc->part != IFC_PART_ANY)
		err = re_hprintf(pf, "        profile_part: %s\n",
				 ifc_part_name(ifc->part));

	return err;
}


int ifc_profile_yaml(struct re_printf *pf, void *arg)
{
	const struct ifc_profile *p = arg;
	size_t i, own = 0;
	int err = 0;

	if (!p)
		return EINVAL;

	for (i = 0; i < p->ifcc; i++)
		own += !p->ifcv[i]->shared;

	if (!own && !p->setc)
		return re_hprintf(pf, " {}\n");

	err = re_hprintf(pf, "\n");
	if (!err && own)
		err = re_hprintf(pf, "    ifc:\n");
	for (i = 0; i < p->ifcc && !err; i++) {
		if (!p->ifcv[i]->shared)
			err = ifc_print(pf, p->ifcv[i]);
	}

	if (!err && p->setc) {
		err = re_hprintf(pf, "    shared_ifc_sets: [");
		for (i = 0; i < p->setc && !err; i++)
			err = re_hprintf(pf, "%s%u", i ? ", " : "",
					 p->setv[i]);
		if (!err)
			err = re_hprintf(pf, "]\n");
	}

	return err;
}
