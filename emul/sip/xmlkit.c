/* SPDX-License-Identifier: BSD-3-Clause */
/* What every XML document imsbed reads or writes (the reg event's
 * reginfo, TS 29.228's IMSSubscription) needs of libxml2, once: a parse
 * that fetches nothing, expands no entity and refuses any DTD, its first
 * error with its line; and a document written to memory and copied into
 * an mbuf. */

#include <string.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlwriter.h>
#include <re.h>
#include "sipkit.h"

struct kit {
	const char *kind;               /* "a reginfo document" */
	xmlkit_fault_h *fh;
	void *arg;
	bool failed;
};


static void fault(struct kit *k, long line, const char *msg)
{
	if (k->failed)
		return;
	k->failed = true;
	k->fh(line, msg, k->arg);
}


/* libxml2's structured error handler: the first error, without its
 * closing newline; warnings say nothing. */
static void xml_error(void *arg, xmlErrorPtr e)
{
	xmlParserCtxtPtr ctxt = arg;
	char msg[256];
	size_t n;

	if (!ctxt || !e || e->level < XML_ERR_ERROR)
		return;

	str_ncpy(msg, e->message ? e->message : "malformed XML",
		 sizeof(msg));
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	fault(ctxt->_private, e->line, msg);
}


/* A DTD could declare entities that expand without bound, or fetch a
 * file; none of imsbed's documents has one, so the parser stops there. */
static void doctype_refuse(void *arg, const xmlChar *name,
			   const xmlChar *ext_id, const xmlChar *sys_id)
{
	xmlParserCtxtPtr ctxt = arg;
	struct kit *k = ctxt->_private;
	char msg[128];
	(void)name;
	(void)ext_id;
	(void)sys_id;

	(void)re_snprintf(msg, sizeof(msg), "DOCTYPE refused: %s has no DTD",
			  k->kind);
	fault(k, xmlSAX2GetLineNumber(ctxt), msg);
	xmlStopParser(ctxt);
}


int xmlkit_parse(const char *xml, size_t len, size_t max, const char *kind,
		 xmlkit_fault_h *fh, xmlkit_root_h *rh, void *arg)
{
	struct kit k = {kind ? kind : "the document", fh, arg, false};
	xmlParserCtxtPtr ctxt;
	char msg[64];
	int err;

	if (!xml || !fh || !rh)
		return EINVAL;

	if (!len || len > max || len > INT_MAX) {
		(void)re_snprintf(msg, sizeof(msg), len ? "document larger "
				  "than %zu bytes" : "empty document", max);
		fault(&k, 1, msg);
		return EBADMSG;
	}

	ctxt = xmlCreateMemoryParserCtxt(xml, (int)len);
	if (!ctxt)
		return ENOMEM;

	/* No XML_PARSE_NOENT, DTDLOAD, XINCLUDE or HUGE: nothing is
	 * fetched or expanded, and the nesting stays within libxml2's
	 * limit. */
	(void)xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_BIG_LINES);
	ctxt->_private = &k;
	ctxt->sax->serror = xml_error;
	ctxt->sax->internalSubset = doctype_refuse;

	(void)xmlParseDocument(ctxt);
	if (!k.failed && (!ctxt->wellFormed || !ctxt->myDoc))
		fault(&k, 1, "not well-formed XML");

	err = k.failed ? EBADMSG :
		rh(xmlDocGetRootElement(ctxt->myDoc), arg);

	xmlFreeDoc(ctxt->myDoc);
	ctxt->myDoc = NULL;
	xmlFreeParserCtxt(ctxt);

	return err;
}


int xmlkit_write(struct mbuf *mb, xmlkit_write_h *wh, const void *arg)
{
	xmlTextWriterPtr w;
	xmlBufferPtr buf;
	int err;

	if (!mb || !wh)
		return EINVAL;

	buf = xmlBufferCreate();
	if (!buf)
		return ENOMEM;

	w = xmlNewTextWriterMemory(buf, 0);
	if (!w) {
		err = ENOMEM;
		goto out;
	}

	err = wh(w, arg);

	/* Freeing the writer flushes what it holds into buf. */
	xmlFreeTextWriter(w);
	if (err)
		goto out;

	err = mbuf_write_mem(mb, xmlBufferContent(buf),
			     (size_t)xmlBufferLength(buf));

 out:
	xmlBufferFree(buf);

	return err;
}
