/* SPDX-License-Identifier: BSD-3-Clause */
/* Answers to what could not be served (RFC 6733 7), made from the
 * request's header alone since its AVPs may be what was wrong or its
 * command one nobody here knows: a protocol error (3xxx) with the E bit
 * (7.2), a permanent failure (5xxx) without; Failed-AVP names the AVP at
 * fault (7.5), for a missing one an example with the right code and
 * flags and an empty value. */

#include <string.h>
#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdproto.h>
#include <re.h>
#include "diam.h"
#include "diamint.h"


int diam_answer_error(struct diam **dp, const struct diam_hdr *req,
		      const struct diam_node *self, uint32_t code,
		      const char *text)
{
	struct msg_hdr *h = NULL;
	struct msg *m = NULL;
	struct diam *d = NULL;
	int err;

	if (!dp || !req || !self || !diam_dict())
		return EINVAL;

	if (fd_msg_new(NULL, 0, &m) || fd_msg_hdr(m, &h)) {
		if (m)
			(void)fd_msg_free(m);
		return ENOMEM;
	}

	h->msg_code = req->code;
	h->msg_appl = req->app;
	h->msg_hbhid = req->hbh;
	h->msg_eteid = req->e2e;
	h->msg_flags = (uint8_t)((req->flags & CMD_FLAG_PROXIABLE) |
				 (code >= 3000 && code < 4000 ?
				  CMD_FLAG_ERROR : 0));

	err = diam_wrap(&d, m);
	if (err)
		return err;

	err = diam_put_str(d, NULL, "Origin-Host", self->host);
	err = err ? err : diam_put_str(d, NULL, "Origin-Realm", self->realm);
	err = err ? err : diam_put_u32(d, NULL, "Result-Code", code);
	if (!err && text)
		err = diam_put_str(d, NULL, "Error-Message", text);

	if (err)
		mem_deref(d);
	else
		*dp = d;

	return err;
}


int diam_put_failed(struct diam *d, const char *avp)
{
	struct dict_object *model = NULL;
	struct dict_avp_data data;
	struct diam_avp *f = NULL;
	int err;

	if (!d || !avp)
		return EINVAL;

	if (fd_dict_search(diam_dict(), DICT_AVP, AVP_BY_NAME_ALL_VENDORS, avp,
			   &model, ENOENT) || fd_dict_getval(model, &data))
		return ENOENT;

	err = diam_put_group(d, NULL, "Failed-AVP", &f);
	if (err)
		return err;

	switch (data.avp_basetype) {

	case AVP_TYPE_GROUPED:
		return diam_put_group(d, f, avp, NULL);
	case AVP_TYPE_OCTETSTRING:
		return diam_put_os(d, f, avp, NULL, 0);
	case AVP_TYPE_INTEGER32:
	case AVP_TYPE_UNSIGNED32:
		return diam_put_u32(d, f, avp, 0);
	default:
		return ENOTSUP;
	}
}
