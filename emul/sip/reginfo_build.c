/* SPDX-License-Identifier: BSD-3-Clause */
/* The reginfo document a NOTIFY carries (RFC 3680, with the GRUUs of
 * RFC 5628), written with libxml2's text writer: it escapes every
 * attribute and text, so a URI or a display name with '&', '<' or a
 * quote cannot break the document. */

#include <libxml/xmlwriter.h>
#include <re.h>
#include "sipkit.h"
#include "reginfo.h"
#include "reginfoint.h"

/* The writer fails only when it cannot grow its buffer. */
static int xerr(int rc)
{
	return rc < 0 ? ENOMEM : 0;
}


static int attr(xmlTextWriterPtr w, const char *name, const char *val)
{
	return xerr(xmlTextWriterWriteAttribute(w, BAD_CAST name,
						BAD_CAST val));
}


static int attr_u32(xmlTextWriterPtr w, const char *name, uint32_t v)
{
	char buf[16];

	(void)re_snprintf(buf, sizeof(buf), "%u", v);

	return attr(w, name, buf);
}


static int elem_text(xmlTextWriterPtr w, const char *name, const char *text)
{
	return xerr(xmlTextWriterWriteElement(w, BAD_CAST name,
					      BAD_CAST text));
}


static int contact_attrs(xmlTextWriterPtr w, const struct reginfo_contact *ct)
{
	char q[8];
	int err;

	err = attr(w, "id", ct->id);
	if (!err)
		err = attr(w, "state", reginfo_ct_state_name(ct->state));
	if (!err)
		err = attr(w, "event", reginfo_event_name(ct->event));
	if (!err && ct->has_expires)
		err = attr_u32(w, "expires", ct->expires);
	if (!err && ct->has_q) {
		reginfo_q_str(q, sizeof(q), ct->q);
		err = attr(w, "q", q);
	}
	if (!err && ct->has_retry_after)
		err = attr_u32(w, "retry-after", ct->retry_after);
	if (!err && ct->has_duration)
		err = attr_u32(w, "duration-registered", ct->duration);
	if (!err && ct->callid)
		err = attr(w, "callid", ct->callid);
	if (!err && ct->has_cseq)
		err = attr_u32(w, "cseq", ct->cseq);

	return err;
}


/* RFC 5628: the GRUUs follow the contact's own elements. */
static int contact_gruus(xmlTextWriterPtr w, const struct reginfo_contact *ct)
{
	int err = 0;

	if (ct->pub_gruu) {
		err = xerr(xmlTextWriterStartElement(w,
						     BAD_CAST "gr:pub-gruu"));
		if (!err)
			err = attr(w, "uri", ct->pub_gruu);
		if (!err)
			err = xerr(xmlTextWriterEndElement(w));
	}

	if (!err && ct->temp_gruu) {
		err = xerr(xmlTextWriterStartElement(w,
						     BAD_CAST "gr:temp-gruu"));
		if (!err)
			err = attr(w, "uri", ct->temp_gruu);
		if (!err)
			err = attr_u32(w, "first-cseq", ct->temp_first_cseq);
		if (!err)
			err = xerr(xmlTextWriterEndElement(w));
	}

	return err;
}


static int param_write(xmlTextWriterPtr w, const struct reginfo_param *p)
{
	int err;

	err = xerr(xmlTextWriterStartElement(w, BAD_CAST "unknown-param"));
	if (!err)
		err = attr(w, "name", p->name);
	if (!err && p->value)
		err = xerr(xmlTextWriterWriteString(w, BAD_CAST p->value));
	if (!err)
		err = xerr(xmlTextWriterEndElement(w));

	return err;
}


static int contact_write(xmlTextWriterPtr w, const struct reginfo_contact *ct)
{
	struct le *le;
	int err;

	if (!ct->id || !ct->uri)
		return EINVAL;

	err = xerr(xmlTextWriterStartElement(w, BAD_CAST "contact"));
	if (!err)
		err = contact_attrs(w, ct);
	if (!err)
		err = elem_text(w, "uri", ct->uri);
	if (!err && ct->display_name)
		err = elem_text(w, "display-name", ct->display_name);

	LIST_FOREACH(&ct->paraml, le) {
		if (err)
			break;
		err = param_write(w, le->data);
	}

	if (!err)
		err = contact_gruus(w, ct);
	if (!err)
		err = xerr(xmlTextWriterEndElement(w));

	return err;
}


static int reg_write(xmlTextWriterPtr w, const struct reginfo_reg *reg)
{
	struct le *le;
	int err;

	if (!reg->aor || !reg->id)
		return EINVAL;

	err = xerr(xmlTextWriterStartElement(w, BAD_CAST "registration"));
	if (!err)
		err = attr(w, "aor", reg->aor);
	if (!err)
		err = attr(w, "id", reg->id);
	if (!err)
		err = attr(w, "state", reginfo_reg_state_name(reg->state));

	LIST_FOREACH(&reg->ctl, le) {
		if (err)
			break;
		err = contact_write(w, le->data);
	}

	if (!err)
		err = xerr(xmlTextWriterEndElement(w));

	return err;
}


/* The gruuinfo namespace is declared only where a GRUU is written. */
static bool has_gruu(const struct reginfo *ri)
{
	struct le *le, *cle;

	LIST_FOREACH(&ri->regl, le) {
		const struct reginfo_reg *reg = le->data;

		LIST_FOREACH(&reg->ctl, cle) {
			const struct reginfo_contact *ct = cle->data;

			if (ct->pub_gruu || ct->temp_gruu)
				return true;
		}
	}

	return false;
}


static int doc_write(xmlTextWriterPtr w, const struct reginfo *ri)
{
	struct le *le;
	int err;

	err = xerr(xmlTextWriterSetIndent(w, 1));
	if (!err)
		err = xerr(xmlTextWriterSetIndentString(w, BAD_CAST "  "));
	if (!err)
		err = xerr(xmlTextWriterStartDocument(w, NULL, NULL, NULL));
	if (!err)
		err = xerr(xmlTextWriterStartElement(w, BAD_CAST "reginfo"));
	if (!err)
		err = attr(w, "xmlns", REGINFO_NS);
	if (!err && has_gruu(ri))
		err = attr(w, "xmlns:gr", REGINFO_GRUU_NS);
	if (!err)
		err = attr_u32(w, "version", ri->version);
	if (!err)
		err = attr(w, "state", reginfo_doc_state_name(ri->state));

	LIST_FOREACH(&ri->regl, le) {
		if (err)
			break;
		err = reg_write(w, le->data);
	}

	if (!err)
		err = xerr(xmlTextWriterEndDocument(w));

	return err;
}


static int write_h(xmlTextWriterPtr w, const void *arg)
{
	return doc_write(w, arg);
}


int reginfo_encode(struct mbuf *mb, const struct reginfo *ri)
{
	if (!mb || !ri)
		return EINVAL;

	return xmlkit_write(mb, write_h, ri);
}
