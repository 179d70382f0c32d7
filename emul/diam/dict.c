/* SPDX-License-Identifier: BSD-3-Clause */
/* The dictionary: the Diameter base protocol's commands and AVPs as
 * freeDiameter defines them (RFC 6733), and the Cx application's (TS
 * 29.229 6.1 and 6.3, with the Digest AVPs of RFC 4740 it borrows),
 * written once here as tables. */

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdproto.h>
#include <re.h>
#include "diam.h"
#include "diamint.h"

/* libfdcore's table of the base protocol, usable without its core */
int fd_dict_base_protocol(struct dictionary *dict);

enum cx_type { T_OS, T_U32, T_ENUM, T_GROUP };

static const struct cx_avp {
	uint32_t code;
	bool vendor;            /* 3GPP's (10415), else IETF's */
	bool mandatory;
	const char *name;
	enum cx_type type;
} cx_avps[] = {
	{104, false, true,  "Digest-Realm",                T_OS},
	{110, false, true,  "Digest-QoP",                  T_OS},
	{111, false, true,  "Digest-Algorithm",            T_OS},
	{121, false, true,  "Digest-HA1",                  T_OS},
	{600, true,  true,  "Visited-Network-Identifier",  T_OS},
	{601, true,  true,  "Public-Identity",             T_OS},
	{602, true,  true,  "Server-Name",                 T_OS},
	{603, true,  true,  "Server-Capabilities",         T_GROUP},
	{604, true,  true,  "Mandatory-Capability",        T_U32},
	{605, true,  true,  "Optional-Capability",         T_U32},
	{606, true,  true,  "User-Data",                   T_OS},
	{607, true,  true,  "SIP-Number-Auth-Items",       T_U32},
	{608, true,  true,  "SIP-Authentication-Scheme",   T_OS},
	{609, true,  true,  "SIP-Authenticate",            T_OS},
	{610, true,  true,  "SIP-Authorization",           T_OS},
	{611, true,  true,  "SIP-Authentication-Context",  T_OS},
	{612, true,  true,  "SIP-Auth-Data-Item",          T_GROUP},
	{613, true,  true,  "SIP-Item-Number",             T_U32},
	{614, true,  true,  "Server-Assignment-Type",      T_ENUM},
	{615, true,  true,  "Deregistration-Reason",       T_GROUP},
	{616, true,  true,  "Reason-Code",                 T_ENUM},
	{617, true,  true,  "Reason-Info",                 T_OS},
	{618, true,  true,  "Charging-Information",        T_GROUP},
	{619, true,  true,  "Primary-Event-Charging-Function-Name", T_OS},
	{620, true,  true,  "Secondary-Event-Charging-Function-Name", T_OS},
	{621, true,  true,  "Primary-Charging-Collection-Function-Name",
	 T_OS},
	{622, true,  true,  "Secondary-Charging-Collection-Function-Name",
	 T_OS},
	{623, true,  true,  "User-Authorization-Type",     T_ENUM},
	{624, true,  true,  "User-Data-Already-Available", T_ENUM},
	{625, true,  true,  "Confidentiality-Key",         T_OS},
	{626, true,  true,  "Integrity-Key",               T_OS},
	{628, true,  false, "Supported-Features",          T_GROUP},
	{629, true,  false, "Feature-List-ID",             T_U32},
	{630, true,  false, "Feature-List",                T_U32},
	{631, true,  false, "Supported-Applications",      T_GROUP},
	{632, true,  false, "Associated-Identities",       T_GROUP},
	{633, true,  true,  "Originating-Request",         T_ENUM},
	{634, true,  false, "Wildcarded-Public-Identity",  T_OS},
	{635, true,  false, "SIP-Digest-Authenticate",     T_GROUP},
	{637, true,  false, "UAR-Flags",                   T_U32},
	{638, true,  false, "Loose-Route-Indication",      T_ENUM},
	{640, true,  false, "Path",                        T_OS},
	{641, true,  false, "Contact",                     T_OS},
	{647, true,  false, "Associated-Registered-Identities", T_GROUP},
	{648, true,  false, "Multiple-Registration-Indication", T_ENUM},
	{653, true,  false, "LIA-Flags",                   T_U32},
	{655, true,  false, "SAR-Flags",                   T_U32},
};

/* TS 29.229 6.1: the six Cx commands, request and answer */
static const struct cx_cmd {
	uint32_t code;
	const char *req, *ans;
} cx_cmds[] = {
	{300, "User-Authorization-Request", "User-Authorization-Answer"},
	{301, "Server-Assignment-Request",  "Server-Assignment-Answer"},
	{302, "Location-Info-Request",      "Location-Info-Answer"},
	{303, "Multimedia-Auth-Request",    "Multimedia-Auth-Answer"},
	{304, "Registration-Termination-Request",
	 "Registration-Termination-Answer"},
	{305, "Push-Profile-Request",       "Push-Profile-Answer"},
};

static struct dictionary *dict;


struct dictionary *diam_dict(void)
{
	return dict;
}


static int add_avp(const struct cx_avp *a)
{
	static const enum dict_avp_basetype base[] = {
		[T_OS] = AVP_TYPE_OCTETSTRING, [T_U32] = AVP_TYPE_UNSIGNED32,
		[T_ENUM] = AVP_TYPE_INTEGER32, [T_GROUP] = AVP_TYPE_GROUPED,
	};
	struct dict_avp_data d;

	memset(&d, 0, sizeof(d));
	d.avp_code = a->code;
	d.avp_vendor = a->vendor ? DIAM_VENDOR_3GPP : 0;
	d.avp_name = (char *)a->name;
	d.avp_flag_mask = AVP_FLAG_VENDOR;
	d.avp_flag_val = a->vendor ? AVP_FLAG_VENDOR : 0;
	if (a->mandatory) {
		d.avp_flag_mask |= AVP_FLAG_MANDATORY;
		d.avp_flag_val |= AVP_FLAG_MANDATORY;
	}
	d.avp_basetype = base[a->type];

	return fd_dict_new(dict, DICT_AVP, &d, NULL, NULL);
}


static int add_cmds(struct dict_object *app)
{
	size_t i;
	int err = 0;

	for (i = 0; !err && i < ARRAY_SIZE(cx_cmds); i++) {
		struct dict_cmd_data r = {
			cx_cmds[i].code, (char *)cx_cmds[i].req,
			CMD_FLAG_REQUEST | CMD_FLAG_PROXIABLE,
			CMD_FLAG_REQUEST | CMD_FLAG_PROXIABLE
		};
		struct dict_cmd_data a = {
			cx_cmds[i].code, (char *)cx_cmds[i].ans,
			CMD_FLAG_REQUEST | CMD_FLAG_PROXIABLE,
			CMD_FLAG_PROXIABLE
		};

		err = fd_dict_new(dict, DICT_COMMAND, &r, app, NULL);
		if (!err)
			err = fd_dict_new(dict, DICT_COMMAND, &a, app, NULL);
	}

	return err;
}


int diam_init(void)
{
	struct dict_vendor_data v = {DIAM_VENDOR_3GPP, (char *)"3GPP"};
	struct dict_application_data ad = {DIAM_APP_CX, (char *)"Cx"};
	struct dict_object *vendor = NULL, *app = NULL;
	size_t i;
	int err;

	if (dict)
		return 0;

	/* freeDiameter's log stays quiet: its callers say what was wrong
	 * in imsbed's own words */
	fd_g_debug_lvl = FD_LOG_FATAL;
	err = fd_libproto_init();
	if (!err)
		err = fd_dict_init(&dict);
	if (!err)
		err = fd_dict_base_protocol(dict);
	if (!err)
		err = fd_dict_new(dict, DICT_VENDOR, &v, NULL, &vendor);
	if (!err)
		err = fd_dict_new(dict, DICT_APPLICATION, &ad, vendor, &app);
	for (i = 0; !err && i < ARRAY_SIZE(cx_avps); i++)
		err = add_avp(&cx_avps[i]);
	if (!err)
		err = add_cmds(app);
	if (!err)
		err = diam_rules_add();

	if (err)
		diam_close();

	return err;
}


void diam_close(void)
{
	if (!dict)
		return;

	(void)fd_dict_fini(&dict);
	dict = NULL;
	fd_libproto_fini();
}
