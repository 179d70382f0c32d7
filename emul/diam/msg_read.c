/* SPDX-License-Identifier: BSD-3-Clause */
/* Diameter messages from the wire (RFC 6733 3, 4) and what a reader
 * asks of them: the command and header, the answer that goes with a
 * request (6.2: the same identifiers and Session-Id).  AVPs are read
 * with avp.c's tree functions. */

#include <stdlib.h>
#include <string.h>
#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdproto.h>
#include <re.h>
#include "diam.h"
#include "diamint.h"


int diam_decode(struct diam **dp, const uint8_t *buf, size_t len,
		char *why, size_t sz)
{
	struct fd_pei pei;
	struct msg *m = NULL;
	struct diam *d;
	uint8_t *copy;
	int err;

	if (!dp || !buf || !diam_dict())
		return EINVAL;

	/* RFC 6733 3: a header of 20 bytes, then AVPs of 8 at least */
	if (len < 20) {
		if (why)
			(void)re_snprintf(why, sz, "%zu bytes: shorter than a "
					  "Diameter header", len);
		return EBADMSG;
	}

	/* the parser keeps the buffer, and frees it with the message */
	copy = malloc(len ? len : 1);
	if (!copy)
		return ENOMEM;
	memcpy(copy, buf, len);

	if (fd_msg_parse_buffer(&copy, len, &m)) {
		free(copy);
		if (why)
			(void)re_snprintf(why, sz, "not a Diameter message "
					  "(%zu bytes)", len);
		return EBADMSG;
	}

	err = diam_wrap(&d, m);
	if (err)
		return err;

	memset(&pei, 0, sizeof(pei));
	if (fd_msg_parse_dict(d->m, diam_dict(), &pei)) {
		if (why)
			(void)re_snprintf(why, sz, "%s%s%s", pei.pei_errcode ?
					  pei.pei_errcode : "bad AVP",
					  pei.pei_message ? ": " : "",
					  pei.pei_message ? pei.pei_message :
					  "");
		if (pei.pei_avp_free)
			(void)fd_msg_free(pei.pei_avp);
		mem_deref(d);
		return EPROTO;
	}

	*dp = d;
	return 0;
}


static const struct msg_hdr *hdr_of(const struct diam *d)
{
	struct msg_hdr *h = NULL;

	return d && !fd_msg_hdr(d->m, &h) ? h : NULL;
}


uint32_t diam_command(const struct diam *d)
{
	const struct msg_hdr *h = hdr_of(d);

	return h ? h->msg_code : 0;
}


int diam_header(const struct diam *d, struct diam_hdr *dh)
{
	const struct msg_hdr *h = hdr_of(d);

	if (!h || !dh)
		return EINVAL;

	dh->flags = h->msg_flags;
	dh->code = h->msg_code;
	dh->app = h->msg_appl;
	dh->hbh = h->msg_hbhid;
	dh->e2e = h->msg_eteid;

	return 0;
}


bool diam_is_request(const struct diam *d)
{
	const struct msg_hdr *h = hdr_of(d);

	return h && (h->msg_flags & CMD_FLAG_REQUEST);
}


const char *diam_name(const struct diam *d)
{
	struct dict_object *model = NULL;
	struct dict_cmd_data data;

	if (!d || fd_msg_model(d->m, &model) || !model ||
	    fd_dict_getval(model, &data))
		return "?";

	return data.cmd_name;
}


int diam_answer(struct diam **dp, const struct diam *req)
{
	struct dict_object *rmodel = NULL, *amodel = NULL;
	const struct msg_hdr *rh = hdr_of(req);
	struct msg_hdr *ah = NULL;
	struct msg *m = NULL;
	char sid[256];
	int err;

	if (!dp || !rh || !(rh->msg_flags & CMD_FLAG_REQUEST))
		return EINVAL;

	if (fd_msg_model(req->m, &rmodel) || !rmodel ||
	    fd_dict_search(diam_dict(), DICT_COMMAND, CMD_ANSWER, rmodel,
			   &amodel, ENOENT))
		return ENOENT;

	if (fd_msg_new(amodel, 0, &m) || fd_msg_hdr(m, &ah)) {
		if (m)
			(void)fd_msg_free(m);
		return ENOMEM;
	}

	ah->msg_appl = rh->msg_appl;
	ah->msg_hbhid = rh->msg_hbhid;
	ah->msg_eteid = rh->msg_eteid;
	ah->msg_flags = (uint8_t)(rh->msg_flags & CMD_FLAG_PROXIABLE);

	err = diam_wrap(dp, m);
	if (err)
		return err;

	/* RFC 6733 8.8: the answer carries the request's Session-Id */
	if (!diam_find_str(req, NULL, "Session-Id", sid, sizeof(sid)))
		err = diam_put_str(*dp, NULL, "Session-Id", sid);

	return err;
}
