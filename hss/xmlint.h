/* SPDX-License-Identifier: BSD-3-Clause */
/* The TS 29.228 XML's parts: xml_write.c (the writer), xml_schema.c (the
 * XSD's sequences checked, element texts read, faults), xml_doc.c (the
 * document, its profiles and identities) and xml_ifc.c (an iFC). */

#include <libxml/tree.h>

/* imsbed's own element, in the places where Annex E takes one of another
 * namespace (xs:any namespace="##other"): a ServiceProfile's name. */
#define XML_IMSBED_NS     "urn:x-imsbed:hss:1"
#define XML_IMSBED_PREFIX "imsbed"
#define XML_IMSBED_NAME   "name"

/* The parse, and its first fault in the caller's buffer */
struct xparse {
	const char *name;               /* the document's, in errors */
	char *err;
	size_t sz;
	bool failed;
	const struct ifc_sets *sets;    /* NULL: SharedIFCSetIDs kept only */
};

/* "name:LINE: what"; xp_fault returns EBADMSG */
int  xp_fault(struct xparse *xp, const xmlNode *n, const char *fmt, ...);
void xp_fault_line(struct xparse *xp, long line, const char *fmt, ...);

/* One element of an XSD sequence: its name ('|' between the alternatives
 * of a choice) and how often it may stand there. */
struct xs_el {
	const char *name;
	unsigned min, max;
};

enum { XS_MANY = 0xffff };

/* n's children against the sequence seq[c]: each element known, in its
 * place, as often as it may be, nothing missing, no text between them.
 * Elements of another namespace pass where any says (##other). */
int  xs_check(struct xparse *xp, const xmlNode *n, const struct xs_el *seq,
	      size_t c, bool any);
/* n is an element of no namespace named so */
bool xs_is(const xmlNode *n, const char *name);
/* The first child element of that name at or after c (c itself too) */
const xmlNode *xs_find(const xmlNode *c, const char *name);
#define xs_child(n, name) xs_find((n)->children, name)
#define xs_next(n, name) xs_find((n)->next, name)
size_t xs_count(const xmlNode *n, const char *name);

/* An element's text: as it stands (xs:string), or trimmed (collapse, for
 * numbers and URIs); need refuses an empty one.  *sp is a mem string. */
int  xs_text(char **sp, struct xparse *xp, const xmlNode *n, bool collapse,
	     bool need);
/* A whole number from 0 to max ("n is not 0-max") */
int  xs_uint(uint32_t *vp, struct xparse *xp, const xmlNode *n,
	     uint32_t max);
/* tBool: 0, 1, false, true */
int  xs_bool(bool *vp, struct xparse *xp, const xmlNode *n);

/* xml_ifc.c: one InitialFilterCriteria */
int  xml_ifc_parse(struct ifc **ifcp, struct xparse *xp, const xmlNode *n);
