/* SPDX-License-Identifier: BSD-3-Clause */
/* xml_write: the IMSSubscription document of TS 29.228 (Annex B; the
 * XSD of Annex E fixes each element's place) from the iFC model, with
 * libxml2's text writer, which escapes every text.  Numbers stand where
 * the XSD has enumerations (SessionCase, DefaultHandling, ...) and 0/1
 * where it has tBool, as S-CSCFs such as Kamailio's read them. */

#include <libxml/xmlwriter.h>
#include <re.h>
#include "sipkit.h"
#include "hss.h"
#include "hssint.h"
#include "xmlint.h"

/* The writer fails only when it cannot grow its buffer. */
static int xerr(int rc)
{
	return rc < 0 ? ENOMEM : 0;
}


static int start(xmlTextWriterPtr w, const char *name)
{
	return xerr(xmlTextWriterStartElement(w, BAD_CAST name));
}


static int end(xmlTextWriterPtr w)
{
	return xerr(xmlTextWriterEndElement(w));
}


static int text(xmlTextWriterPtr w, const char *name, const char *s)
{
	return xerr(xmlTextWriterWriteElement(w, BAD_CAST name,
					      BAD_CAST s));
}


static int num(xmlTextWriterPtr w, const char *name, uint32_t v)
{
	char buf[16];

	(void)re_snprintf(buf, sizeof(buf), "%u", v);

	return text(w, name, buf);
}


/* tHeader and tSessionDescription: the name or line, then Content */
static int pair_write(xmlTextWriterPtr w, const struct spt *spt)
{
	bool sdp = spt->type == SPT_SDP;
	int err;

	err = start(w, sdp ? "SessionDescription" : "SIPHeader");
	if (!err)
		err = text(w, sdp ? "Line" : "Header", spt->str);
	if (!err && spt->content)
		err = text(w, "Content", spt->content);
	if (!err)
		err = end(w);

	return err;
}


static int cond_write(xmlTextWriterPtr w, const struct spt *spt)
{
	switch (spt->type) {

	case SPT_METHOD:       return text(w, "Method", spt->str);
	case SPT_REQUEST_URI:  return text(w, "RequestURI", spt->str);
	case SPT_SESSION_CASE: return num(w, "SessionCase", spt->scase);
	default:               return pair_write(w, spt);
	}
}


/* tSePoTriExtension: each RegistrationType, 0 INITIAL_REGISTRATION,
 * 1 RE-REGISTRATION, 2 DE-REGISTRATION; none means all. */
static int regtypes_write(xmlTextWriterPtr w, unsigned regtypes)
{
	int r, err;

	err = start(w, "Extension");
	for (r = IFC_REG_INITIAL; r <= IFC_REG_DE && !err; r++) {
		if (regtypes & (1u << r))
			err = num(w, "RegistrationType",
				  (uint32_t)(r - IFC_REG_INITIAL));
	}
	if (!err)
		err = end(w);

	return err;
}


/* tSePoTri: ConditionNegated, a Group per group, the condition */
static int spt_write(xmlTextWriterPtr w, const struct spt *spt)
{
	size_t i;
	int err;

	err = start(w, "SPT");
	if (!err)
		err = num(w, "ConditionNegated", spt->negated);
	for (i = 0; i < spt->groupc && !err; i++)
		err = num(w, "Group", spt->groupv[i]);
	if (!err)
		err = cond_write(w, spt);
	if (!err && spt->regtypes)
		err = regtypes_write(w, spt->regtypes);
	if (!err)
		err = end(w);

	return err;
}


static int trigger_write(xmlTextWriterPtr w, const struct ifc *ifc)
{
	size_t i;
	int err;

	err = start(w, "TriggerPoint");
	if (!err)
		err = num(w, "ConditionTypeCNF", ifc->cnf);
	for (i = 0; i < ifc->sptc && !err; i++)
		err = spt_write(w, &ifc->sptv[i]);
	if (!err)
		err = end(w);

	return err;
}


/* tApplicationServer: DefaultHandling written always, so that no S-CSCF
 * has to guess (Kamailio's takes none as "no default handling") */
static int as_write(xmlTextWriterPtr w, const struct ifc *ifc)
{
	int err;

	err = start(w, "ApplicationServer");
	if (!err)
		err = text(w, "ServerName", ifc->as);
	if (!err)
		err = num(w, "DefaultHandling", ifc->dh);
	if (!err && ifc->service_info)
		err = text(w, "ServiceInfo", ifc->service_info);
	if (!err)
		err = end(w);

	return err;
}


/* tInitialFilterCriteria: Priority, TriggerPoint (none: always applies),
 * ApplicationServer, ProfilePartIndicator (0 REGISTERED, 1
 * UNREGISTERED) */
static int ifc_write(xmlTextWriterPtr w, const struct ifc *ifc)
{
	int err;

	if (!ifc->as)
		return EINVAL;

	err = start(w, "InitialFilterCriteria");
	if (!err)
		err = num(w, "Priority", (uint32_t)ifc->priority);
	if (!err && ifc->sptc)
		err = trigger_write(w, ifc);
	if (!err)
		err = as_write(w, ifc);
	if (!err && ifc->part != IFC_PART_ANY)
		err = num(w, "ProfilePartIndicator",
			  ifc->part == IFC_PART_UNREG);
	if (!err)
		err = end(w);

	return err;
}


/* tPublicIdentityExtension2 and 3, as deep as they are needed:
 * DisplayName in the second, WildcardedIMPU in the third. */
static int impu_ext_write(xmlTextWriterPtr w, const struct hss_xml_impu *u)
{
	int err;

	err = start(w, "Extension");
	if (!err && u->display_name)
		err = text(w, "DisplayName", u->display_name);
	if (!err && u->wildcard) {
		err = start(w, "Extension");
		if (!err)
			err = text(w, "WildcardedIMPU", u->wildcard);
		if (!err)
			err = end(w);
	}
	if (!err)
		err = end(w);

	return err;
}


/* tPublicIdentity: BarringIndication only when barred (its default is
 * 0), Identity, then IdentityType in the extension. */
static int impu_write(xmlTextWriterPtr w, const struct hss_xml_impu *u)
{
	int err;

	if (!u->uri)
		return EINVAL;

	err = start(w, "PublicIdentity");
	if (!err && u->barred)
		err = num(w, "BarringIndication", 1);
	if (!err)
		err = text(w, "Identity", u->uri);
	if (!err)
		err = start(w, "Extension");
	if (!err)
		err = num(w, "IdentityType", u->type);
	if (!err && (u->display_name || u->wildcard))
		err = impu_ext_write(w, u);
	if (!err)
		err = end(w);
	if (!err)
		err = end(w);

	return err;
}


/* tServiceProfile: PublicIdentity, InitialFilterCriteria (the profile's
 * own; a set's are its SharedIFCSetID in the extension), then ours. */
static int sp_write(xmlTextWriterPtr w, const struct hss_xml_sp *sp)
{
	const struct ifc_profile *p = sp->profile;
	size_t i;
	int err;

	if (!sp->impuv || !sp->impuc)
		return EINVAL;

	err = start(w, "ServiceProfile");
	for (i = 0; i < sp->impuc && !err; i++)
		err = impu_write(w, &sp->impuv[i]);

	for (i = 0; p && i < p->ifcc && !err; i++) {
		if (!p->ifcv[i]->shared)
			err = ifc_write(w, p->ifcv[i]);
	}

	if (!err && p && p->setc) {
		err = start(w, "Extension");
		for (i = 0; i < p->setc && !err; i++)
			err = num(w, "SharedIFCSetID", p->setv[i]);
		if (!err)
			err = end(w);
	}

	if (!err && sp->name)
		err = text(w, XML_IMSBED_PREFIX ":" XML_IMSBED_NAME,
			   sp->name);
	if (!err)
		err = end(w);

	return err;
}


static bool has_names(const struct hss_xml_sub *s)
{
	size_t i;

	for (i = 0; i < s->spc; i++) {
		if (s->spv[i].name)
			return true;
	}

	return false;
}


static int doc_write(xmlTextWriterPtr w, const struct hss_xml_sub *s)
{
	size_t i;
	int err;

	err = xerr(xmlTextWriterSetIndent(w, 1));
	if (!err)
		err = xerr(xmlTextWriterSetIndentString(w, BAD_CAST "  "));
	if (!err)
		err = xerr(xmlTextWriterStartDocument(w, "1.0", "UTF-8",
						      NULL));
	if (!err)
		err = start(w, "IMSSubscription");
	if (!err && has_names(s))
		err = xerr(xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns:"
			   XML_IMSBED_PREFIX, BAD_CAST XML_IMSBED_NS));
	if (!err)
		err = text(w, "PrivateID", s->impi);
	for (i = 0; i < s->spc && !err; i++)
		err = sp_write(w, &s->spv[i]);
	if (!err)
		err = xerr(xmlTextWriterEndDocument(w));

	return err;
}


static int write_h(xmlTextWriterPtr w, const void *arg)
{
	return doc_write(w, arg);
}


int hss_subscription_xml(struct mbuf *mb, const struct hss_xml_sub *s)
{
	if (!mb || !s || !s->impi || !s->spv || !s->spc)
		return EINVAL;

	return xmlkit_write(mb, write_h, s);
}
