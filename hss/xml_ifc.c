/* SPDX-License-Identifier: BSD-3-Clause */
/* xml_ifc: one InitialFilterCriteria of TS 29.228's XML into the model,
 * checked as strictly as the YAML loader checks its iFCs (the same
 * ifc_check.c), with every element in the place Annex E's XSD gives it.
 * An Extension whose type is tExtension (anything) is passed over; the
 * ApplicationServer's IncludeRegisterRequest/Response are accepted and
 * not kept: imsbed's third-party REGISTER carries neither. */

#include <string.h>
#include <re.h>
#include "hss.h"
#include "hssint.h"
#include "xmlint.h"

/* TS 29.228 E: tPriority, tGroupID are xs:int from 0 */
#define INT_MAXU ((uint32_t)INT32_MAX)


static int str_elem(char **sp, struct xparse *xp, const xmlNode *n,
		    const char *name, bool collapse)
{
	const xmlNode *c = xs_child(n, name);

	return c ? xs_text(sp, xp, c, collapse, true) : 0;
}


static int regex_elem(struct spt *spt, struct xparse *xp, const xmlNode *c,
		      char **dst)
{
	char why[256];
	int err;

	err = xs_text(dst, xp, c, false, true);
	if (err)
		return err;

	if (spt_regex_set(spt, *dst, why, sizeof(why)))
		return xp_fault(xp, c, "<%s>: %s", c->name, why);

	return 0;
}


/* tHeader (Header, Content) and tSessionDescription (Line, Content) */
static int pair_parse(struct spt *spt, struct xparse *xp, const xmlNode *n)
{
	static const struct xs_el hseq[] = {
		{"Header", 1, 1}, {"Content", 0, 1}, {"Extension", 0, 1},
	};
	static const struct xs_el sseq[] = {
		{"Line", 1, 1}, {"Content", 0, 1}, {"Extension", 0, 1},
	};
	bool sdp = spt->type == SPT_SDP;
	const xmlNode *c;
	char why[128];
	int err;

	err = xs_check(xp, n, sdp ? sseq : hseq, ARRAY_SIZE(hseq), true);
	if (!err)
		err = str_elem(&spt->str, xp, n, sdp ? "Line" : "Header",
			       false);
	if (err)
		return err;

	c = xs_child(n, "Line");
	if (sdp && spt_line_check(spt->str, why, sizeof(why)))
		return xp_fault(xp, c, "<Line>: %s", why);

	c = xs_child(n, "Content");

	return c ? regex_elem(spt, xp, c, &spt->content) : 0;
}


static int cond_parse(struct spt *spt, struct xparse *xp, const xmlNode *c)
{
	char why[160];
	uint32_t v;
	int err;

	if (xs_is(c, "Method")) {
		spt->type = SPT_METHOD;
		err = xs_text(&spt->str, xp, c, false, true);
		if (!err && ifc_method_check(spt->str, why, sizeof(why)))
			err = xp_fault(xp, c, "<Method>: %s", why);
		return err;
	}

	if (xs_is(c, "RequestURI")) {
		spt->type = SPT_REQUEST_URI;
		return regex_elem(spt, xp, c, &spt->str);
	}

	if (xs_is(c, "SessionCase")) {
		spt->type = SPT_SESSION_CASE;
		err = xs_uint(&v, xp, c, IFC_ORIG_CDIV);
		if (!err)
			spt->scase = (enum ifc_case)v;
		return err;
	}

	spt->type = xs_is(c, "SIPHeader") ? SPT_HEADER : SPT_SDP;

	return pair_parse(spt, xp, c);
}


/* tSePoTriExtension: RegistrationType, 0 INITIAL_REGISTRATION to 2
 * DE-REGISTRATION.  The XSD allows two; three are taken, being what
 * none means. */
static int regtypes_parse(struct spt *spt, struct xparse *xp,
			  const xmlNode *n)
{
	static const struct xs_el seq[] = {
		{"RegistrationType", 0, 3}, {"Extension", 0, 1},
	};
	const xmlNode *c;
	uint32_t v;
	int err;

	err = xs_check(xp, n, seq, ARRAY_SIZE(seq), false);
	if (err)
		return err;

	for (c = xs_child(n, "RegistrationType"); c;
	     c = xs_next(c, "RegistrationType")) {
		unsigned bit;

		err = xs_uint(&v, xp, c, IFC_REG_DE - IFC_REG_INITIAL);
		if (err)
			return err;

		bit = 1u << (v + IFC_REG_INITIAL);
		if (spt->regtypes & bit)
			return xp_fault(xp, c, "<RegistrationType>: %u twice",
					v);

		/* B.2.2: "relevant only to the SIP Method SPT with value
		 * REGISTER": elsewhere nothing would test it */
		if (spt->type != SPT_METHOD || strcmp(spt->str, "REGISTER"))
			return xp_fault(xp, c, "<RegistrationType> goes with "
					"<Method>REGISTER</Method> only "
					"(TS 29.228 B.2.2)");
		spt->regtypes |= bit;
	}

	if (spt->regtypes == SPT_REG_ALL)
		spt->regtypes = 0;

	return 0;
}


static bool is_cond(const xmlNode *c)
{
	return xs_is(c, "RequestURI") || xs_is(c, "Method") ||
		xs_is(c, "SIPHeader") || xs_is(c, "SessionCase") ||
		xs_is(c, "SessionDescription");
}


/* tSePoTri: ConditionNegated, Group+, one condition, Extension */
static int spt_parse(struct spt *spt, struct xparse *xp, const xmlNode *n)
{
	static const struct xs_el seq[] = {
		{"ConditionNegated", 0, 1},
		{"Group", 1, XS_MANY},
		{"RequestURI|Method|SIPHeader|SessionCase|SessionDescription",
		 1, 1},
		{"Extension", 0, 1},
	};
	const xmlNode *c;
	size_t i = 0;
	int err;

	err = xs_check(xp, n, seq, ARRAY_SIZE(seq), true);
	if (err)
		return err;

	c = xs_child(n, "ConditionNegated");
	err = c ? xs_bool(&spt->negated, xp, c) : 0;
	if (err)
		return err;

	spt->groupc = xs_count(n, "Group");
	spt->groupv = mem_zalloc(spt->groupc * sizeof(*spt->groupv), NULL);
	if (!spt->groupv)
		return ENOMEM;

	for (c = xs_child(n, "Group"); c; c = xs_next(c, "Group")) {
		err = xs_uint(&spt->groupv[i++], xp, c, INT_MAXU);
		if (err)
			return err;
	}

	c = n->children;
	while (c && !is_cond(c))
		c = c->next;

	err = cond_parse(spt, xp, c);
	if (err)
		return err;

	c = xs_child(n, "Extension");

	return c ? regtypes_parse(spt, xp, c) : 0;
}


/* tTrigger: ConditionTypeCNF, SPT+, Extension */
static int trigger_parse(struct ifc **ifcp, struct xparse *xp,
			 const xmlNode *n)
{
	static const struct xs_el seq[] = {
		{"ConditionTypeCNF", 1, 1}, {"SPT", 1, XS_MANY},
		{"Extension", 0, 1},
	};
	const xmlNode *c;
	size_t i = 0;
	int err;

	err = xs_check(xp, n, seq, ARRAY_SIZE(seq), true);
	if (!err)
		err = ifc_alloc(ifcp, xs_count(n, "SPT"));
	if (err)
		return err;

	err = xs_bool(&(*ifcp)->cnf, xp, xs_child(n, "ConditionTypeCNF"));

	for (c = xs_child(n, "SPT"); c && !err; c = xs_next(c, "SPT"))
		err = spt_parse(&(*ifcp)->sptv[i++], xp, c);

	return err ? err : ifc_index_groups(*ifcp);
}


/* tApplicationServer: ServerName, DefaultHandling, ServiceInfo, and the
 * extension with IncludeRegisterRequest/Response */
static int as_parse(struct ifc *ifc, struct xparse *xp, const xmlNode *n)
{
	static const struct xs_el seq[] = {
		{"ServerName", 1, 1}, {"DefaultHandling", 0, 1},
		{"ServiceInfo", 0, 1}, {"Extension", 0, 1},
	};
	static const struct xs_el ext[] = {
		{"IncludeRegisterRequest", 0, 1},
		{"IncludeRegisterResponse", 0, 1}, {"Extension", 0, 1},
	};
	const xmlNode *c;
	char why[256];
	uint32_t dh;
	int err;

	err = xs_check(xp, n, seq, ARRAY_SIZE(seq), true);
	if (!err)
		err = str_elem(&ifc->as, xp, n, "ServerName", true);
	if (err)
		return err;

	if (ifc_as_check(ifc->as, why, sizeof(why)))
		return xp_fault(xp, xs_child(n, "ServerName"),
				"<ServerName>: %s", why);

	c = xs_child(n, "DefaultHandling");
	if (c) {
		err = xs_uint(&dh, xp, c, IFC_DH_TERMINATE);
		if (err)
			return err;
		ifc->dh = (enum ifc_dh)dh;
	}

	c = xs_child(n, "ServiceInfo");
	if (c) {
		err = xs_text(&ifc->service_info, xp, c, false, false);
		if (!err && !ifc->service_info)
			err = str_dup(&ifc->service_info, "");
		if (err)
			return err;
	}

	c = xs_child(n, "Extension");

	return c ? xs_check(xp, c, ext, ARRAY_SIZE(ext), true) : 0;
}


/* tInitialFilterCriteria: Priority, TriggerPoint, ApplicationServer,
 * ProfilePartIndicator, Extension */
int xml_ifc_parse(struct ifc **ifcp, struct xparse *xp, const xmlNode *n)
{
	static const struct xs_el seq[] = {
		{"Priority", 1, 1}, {"TriggerPoint", 0, 1},
		{"ApplicationServer", 1, 1}, {"ProfilePartIndicator", 0, 1},
		{"Extension", 0, 1},
	};
	struct ifc *ifc = NULL;
	const xmlNode *c;
	uint32_t v;
	int err;

	if (!ifcp || !xp || !n)
		return EINVAL;

	err = xs_check(xp, n, seq, ARRAY_SIZE(seq), true);
	if (!err)
		err = xs_uint(&v, xp, xs_child(n, "Priority"), INT_MAXU);
	if (err)
		return err;

	c = xs_child(n, "TriggerPoint");
	err = c ? trigger_parse(&ifc, xp, c) : ifc_alloc(&ifc, 0);
	if (err)
		goto out;

	ifc->priority = (int32_t)v;

	err = as_parse(ifc, xp, xs_child(n, "ApplicationServer"));
	if (err)
		goto out;

	/* B.2.2: 0 REGISTERED, 1 UNREGISTERED */
	c = xs_child(n, "ProfilePartIndicator");
	if (c) {
		err = xs_uint(&v, xp, c, 1);
		if (!err)
			ifc->part = v ? IFC_PART_UNREG : IFC_PART_REG;
	}

 out:
	if (err)
		mem_deref(ifc);
	else
		*ifcp = ifc;

	return err;
}
