/* SPDX-License-Identifier: BSD-3-Clause */
/* xml_doc: an IMSSubscription document (TS 29.228 Annex B, E) read with
 * libxml2 into the model: the IMPI, each ServiceProfile's identities and
 * its iFCs.  A document may come from a file anyone wrote, so the parser
 * never opens the network, never loads a DTD and never expands an
 * entity; a DOCTYPE is refused where it stands, libxml2's own depth
 * limit holds, and its messages go into the caller's err, never to
 * stderr. */

#include <limits.h>
#include <string.h>
#include <libxml/parser.h>
#include <re.h>
#include "sipkit.h"
#include "hss.h"
#include "hssint.h"
#include "xmlint.h"

/* An IMSSubscription is a few KiB; this is room for thousands of iFCs */
enum { XML_MAX = 4 * 1024 * 1024 };

struct hss_xml_doc {
	struct hss_xml_sub sub;
	struct hss_xml_sp *spv;         /* sub.spv, owned */
	unsigned *linev;                /* each ServiceProfile's line */
};


static void doc_destructor(void *arg)
{
	struct hss_xml_doc *d = arg;
	size_t i, j;

	/* the view's pointers are const for readers; the strings are the
	 * document's own */
	for (i = 0; i < d->sub.spc; i++) {
		struct hss_xml_sp *sp = &d->spv[i];

		for (j = 0; j < sp->impuc; j++) {
			const struct hss_xml_impu *u = &sp->impuv[j];

			mem_deref((void *)u->uri);
			mem_deref((void *)u->wildcard);
			mem_deref((void *)u->display_name);
		}
		mem_deref((void *)sp->impuv);
		mem_deref((void *)sp->profile);
		mem_deref((void *)sp->name);
	}

	mem_deref(d->spv);
	mem_deref(d->linev);
	mem_deref((void *)d->sub.impi);
}


const struct hss_xml_sub *hss_xml_doc_sub(const struct hss_xml_doc *d)
{
	return d ? &d->sub : NULL;
}


unsigned hss_xml_doc_line(const struct hss_xml_doc *d, size_t i)
{
	return d && i < d->sub.spc ? d->linev[i] : 0;
}


/* tPublicIdentityExtension3 (WildcardedIMPU first) and 2 (DisplayName);
 * the rest of them says nothing imsbed keeps. */
static int ext3_parse(struct hss_xml_impu *u, struct xparse *xp,
		      const xmlNode *n)
{
	static const struct xs_el seq[] = {
		{"WildcardedIMPU", 0, 1}, {"ServiceLevelTraceInfo", 0, 1},
		{"ServicePriorityLevel", 0, 1}, {"Extension", 0, 1},
	};
	const xmlNode *c;
	char *s = NULL;
	int err;

	err = xs_check(xp, n, seq, ARRAY_SIZE(seq), false);
	c = xs_child(n, "WildcardedIMPU");
	if (!err && c)
		err = xs_text(&s, xp, c, true, true);
	u->wildcard = s;

	return err;
}


static int ext2_parse(struct hss_xml_impu *u, struct xparse *xp,
		      const xmlNode *n)
{
	static const struct xs_el seq[] = {
		{"DisplayName", 0, 1}, {"AliasIdentityGroupID", 0, 1},
		{"Extension", 0, 1},
	};
	const xmlNode *c;
	char *s = NULL;
	int err;

	err = xs_check(xp, n, seq, ARRAY_SIZE(seq), false);
	c = xs_child(n, "DisplayName");
	if (!err && c) {
		err = xs_text(&s, xp, c, false, false);
		if (!err && !s)
			err = str_dup(&s, "");
	}
	u->display_name = s;
	if (err)
		return err;

	c = xs_child(n, "Extension");

	return c ? ext3_parse(u, xp, c) : 0;
}


/* tPublicIdentityExtension: IdentityType, WildcardedPSI, Extension */
static int ext_parse(struct hss_xml_impu *u, struct xparse *xp,
		     const xmlNode *n)
{
	static const struct xs_el seq[] = {
		{"IdentityType", 0, 1}, {"WildcardedPSI", 0, 1},
		{"Extension", 0, 1},
	};
	const xmlNode *c;
	uint32_t t;
	int err;

	err = xs_check(xp, n, seq, ARRAY_SIZE(seq), false);
	if (err)
		return err;

	c = xs_child(n, "IdentityType");
	if (c) {
		err = xs_uint(&t, xp, c, HSS_ID_WILDCARDED);
		if (err)
			return err;
		if (t != HSS_ID_IMPU && t != HSS_ID_NON_DISTINCT &&
		    t != HSS_ID_WILDCARDED)
			return xp_fault(xp, c, "<IdentityType>: %u is a PSI's;"
					" imsbed's HSS holds user identities "
					"(0, 3 or 4)", t);
		u->type = (enum hss_id_type)t;
	}

	c = xs_child(n, "WildcardedPSI");
	if (c)
		return xp_fault(xp, c, "<WildcardedPSI>: imsbed's HSS holds "
				"no PSIs");

	c = xs_child(n, "Extension");

	return c ? ext2_parse(u, xp, c) : 0;
}


/* tPublicIdentity: BarringIndication, Identity, Extension */
static int impu_parse(struct hss_xml_impu *u, struct xparse *xp,
		      const xmlNode *n)
{
	static const struct xs_el seq[] = {
		{"BarringIndication", 0, 1}, {"Identity", 1, 1},
		{"Extension", 0, 1},
	};
	const xmlNode *c;
	char *s = NULL;
	int err;

	err = xs_check(xp, n, seq, ARRAY_SIZE(seq), true);
	if (err)
		return err;

	c = xs_child(n, "BarringIndication");
	err = c ? xs_bool(&u->barred, xp, c) : 0;
	if (err)
		return err;

	err = xs_text(&s, xp, xs_child(n, "Identity"), true, true);
	u->uri = s;
	if (err)
		return err;

	c = xs_child(n, "Extension");
	err = c ? ext_parse(u, xp, c) : 0;
	if (err)
		return err;

	/* TS 29.228 B.2.1: a non-distinct IMPU is known by its wildcard;
	 * TS 23.003 13.4: a wildcarded one has its range between '!' */
	if (u->type == HSS_ID_NON_DISTINCT && !u->wildcard)
		return xp_fault(xp, n, "<PublicIdentity>: IdentityType 3 "
				"(NON_DISTINCT_IMPU) without "
				"<WildcardedIMPU>");
	if (u->type == HSS_ID_WILDCARDED && !hss_impu_is_wild(u->uri))
		return xp_fault(xp, xs_child(n, "Identity"), "<Identity>: "
				"'%s' is no wildcarded IMPU (TS 23.003 13.4:"
				" a range between '!')", u->uri);

	return 0;
}


static int set_add(struct ifc_profile *p, struct xparse *xp,
		   const xmlNode *c)
{
	uint32_t id;
	size_t i;
	int err;

	err = xs_uint(&id, xp, c, INT32_MAX);
	if (err)
		return err;

	for (i = 0; i < p->setc; i++) {
		if (p->setv[i] == id)
			return xp_fault(xp, c, "<SharedIFCSetID>: %u twice",
					id);
	}

	err = ifc_profile_share(p, xp->sets, id);
	if (err == ENOENT)
		return xp_fault(xp, c, "<SharedIFCSetID>: no shared iFC set "
				"%u in shared_ifc_sets", id);

	return err;
}


/* SharedIFCSetID stands in the ServiceProfile's extension in Annex E;
 * older HSSs (and Kamailio's S-CSCF) have it in the ServiceProfile
 * itself, after the iFCs: both are read. */
static int sets_parse(struct ifc_profile *p, struct xparse *xp,
		      const xmlNode *n)
{
	static const struct xs_el seq[] = {
		{"SharedIFCSetID", 0, XS_MANY}, {"Extension", 0, 1},
	};
	const xmlNode *c, *ext = xs_child(n, "Extension");
	int err = 0;

	for (c = xs_child(n, "SharedIFCSetID"); c && !err;
	     c = xs_next(c, "SharedIFCSetID"))
		err = set_add(p, xp, c);

	if (err || !ext)
		return err;

	err = xs_check(xp, ext, seq, ARRAY_SIZE(seq), false);

	for (c = xs_child(ext, "SharedIFCSetID"); c && !err;
	     c = xs_next(c, "SharedIFCSetID"))
		err = set_add(p, xp, c);

	return err;
}


/* imsbed's name of the profile, where the XSD takes other namespaces */
static int name_parse(char **namep, struct xparse *xp, const xmlNode *n)
{
	const xmlNode *c;

	*namep = NULL;
	for (c = n->children; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE && c->ns && c->ns->href &&
		    !strcmp((const char *)c->ns->href, XML_IMSBED_NS) &&
		    !strcmp((const char *)c->name, XML_IMSBED_NAME))
			return xs_text(namep, xp, c, true, true);
	}

	return 0;
}


static int ifcs_parse(struct ifc_profile *p, struct xparse *xp,
		      const xmlNode *n)
{
	const xmlNode *c;
	struct ifc *ifc;
	int err = 0;

	for (c = xs_child(n, "InitialFilterCriteria"); c && !err;
	     c = xs_next(c, "InitialFilterCriteria")) {
		err = xml_ifc_parse(&ifc, xp, c);
		if (err)
			break;

		err = ifc_profile_append(p, ifc);
		mem_deref(ifc);
	}

	return err;
}


/* tServiceProfile: PublicIdentity+, CoreNetworkServicesAuthorization
 * (nothing imsbed keeps), InitialFilterCriteria*, Extension */
static int sp_parse(struct hss_xml_sp *sp, struct xparse *xp,
		    const xmlNode *n)
{
	static const struct xs_el seq[] = {
		{"PublicIdentity", 1, XS_MANY},
		{"CoreNetworkServicesAuthorization", 0, 1},
		{"InitialFilterCriteria", 0, XS_MANY},
		{"SharedIFCSetID", 0, XS_MANY},
		{"Extension", 0, 1},
	};
	struct hss_xml_impu *impuv;
	struct ifc_profile *p = NULL;
	char *name = NULL;
	const xmlNode *c;
	size_t i = 0;
	int err;

	err = xs_check(xp, n, seq, ARRAY_SIZE(seq), true);
	if (err)
		return err;

	sp->impuc = xs_count(n, "PublicIdentity");
	impuv = mem_zalloc(sp->impuc * sizeof(*impuv), NULL);
	sp->impuv = impuv;
	if (!impuv)
		return ENOMEM;

	for (c = xs_child(n, "PublicIdentity"); c && !err;
	     c = xs_next(c, "PublicIdentity"))
		err = impu_parse(&impuv[i++], xp, c);

	if (!err)
		err = name_parse(&name, xp, n);
	sp->name = name;
	if (!err)
		err = ifc_profile_alloc(&p, name ? name : "",
					xs_count(n, "InitialFilterCriteria"));
	sp->profile = p;
	if (!err)
		err = ifcs_parse(p, xp, n);
	if (!err)
		err = sets_parse(p, xp, n);
	if (!err)
		ifc_profile_sort(p);

	return err;
}


/* tIMSSubscription: PrivateID, ServiceProfile+, Extension */
static int doc_parse(struct hss_xml_doc *d, struct xparse *xp,
		     const xmlNode *root)
{
	static const struct xs_el seq[] = {
		{"PrivateID", 1, 1}, {"ServiceProfile", 1, XS_MANY},
		{"Extension", 0, 1},
	};
	const xmlNode *c;
	char *impi = NULL;
	size_t i = 0;
	int err;

	if (!root)
		return xp_fault(xp, NULL, "no root element");
	if (!xs_is(root, "IMSSubscription"))
		return xp_fault(xp, root, "root <%s>%s, not <IMSSubscription>"
				" (TS 29.228 Annex E, of no namespace)",
				root->name, root->ns ? " of a namespace" : "");

	err = xs_check(xp, root, seq, ARRAY_SIZE(seq), true);
	if (!err)
		err = xs_text(&impi, xp, xs_child(root, "PrivateID"), true,
			      true);
	d->sub.impi = impi;
	if (err)
		return err;

	d->sub.spc = xs_count(root, "ServiceProfile");
	d->spv = mem_zalloc(d->sub.spc * sizeof(*d->spv), NULL);
	d->linev = mem_zalloc(d->sub.spc * sizeof(*d->linev), NULL);
	if (!d->spv || !d->linev) {
		d->sub.spc = 0;
		return ENOMEM;
	}
	d->sub.spv = d->spv;

	for (c = xs_child(root, "ServiceProfile"); c && !err;
	     c = xs_next(c, "ServiceProfile")) {
		d->linev[i] = (unsigned)xmlGetLineNo(c);
		err = sp_parse(&d->spv[i++], xp, c);
	}

	return err;
}


struct parse_arg {
	struct hss_xml_doc *d;
	struct xparse *xp;
};


/* the kit's fault, in the caller's err */
static void kit_fault(long line, const char *msg, void *arg)
{
	struct parse_arg *pa = arg;

	xp_fault_line(pa->xp, line, "%s", msg);
}


static int root_h(struct _xmlNode *root, void *arg)
{
	struct parse_arg *pa = arg;

	return doc_parse(pa->d, pa->xp, root);
}


int hss_subscription_decode(struct hss_xml_doc **dp, const char *xml,
			    size_t len, const char *name,
			    const struct ifc_sets *sets, char *err,
			    size_t sz)
{
	struct xparse xp = {name ? name : "xml", err, sz, false, sets};
	struct hss_xml_doc *d;
	struct parse_arg pa;
	int e;

	if (!dp || !xml)
		return EINVAL;
	if (err && sz)
		err[0] = '\0';

	d = mem_zalloc(sizeof(*d), doc_destructor);
	if (!d)
		return ENOMEM;

	pa.d = d;
	pa.xp = &xp;
	e = xmlkit_parse(xml, len, XML_MAX, "an IMSSubscription",
			 kit_fault, root_h, &pa);
	if (e)
		mem_deref(d);
	else
		*dp = d;

	return e;
}
