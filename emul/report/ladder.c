/* SPDX-License-Identifier: BSD-3-Clause */
/* The ladder's one-line form: time on the engine's clock, from -> to,
 * the first line and the headers a reader of an IMS flow looks for. */

#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "diam.h"
#include "report.h"


/* libre's %f cuts where printf rounds: 4.1 s, 4.0999999... in binary,
 * would show as 4.099.  Half a microsecond more shows it as it is. */
static double shown(double t)
{
	return t + 5e-7;
}


int ladder_line(char *buf, size_t sz, double t, const char *src,
		const char *dst, const struct sip_msg *msg)
{
	int n;

	t = shown(t);

	if (msg->req)
		n = re_snprintf(buf, sz,
				"%8.3f  %-11s -> %-11s %r %r  (CSeq %u %r)",
				t, src, dst[0] ? dst : "?", &msg->met,
				&msg->ruri, msg->cseq.num, &msg->cseq.met);
	else
		n = re_snprintf(buf, sz,
				"%8.3f  %-11s -> %-11s %u %r  (CSeq %u %r)",
				t, src, dst[0] ? dst : "?", msg->scode,
				&msg->reason, msg->cseq.num, &msg->cseq.met);

	return n < 0 ? ENOMEM : 0;
}


int ladder_http_line(char *buf, size_t sz, double t, const char *src,
		     const char *dst, const struct http_msg *msg)
{
	int n;

	t = shown(t);

	if (pl_isset(&msg->met))
		n = re_snprintf(buf, sz, "%8.3f  %-11s -> %-11s HTTP %r %r",
				t, src, dst[0] ? dst : "?", &msg->met,
				&msg->path);
	else
		n = re_snprintf(buf, sz, "%8.3f  %-11s -> %-11s HTTP %u %r",
				t, src, dst[0] ? dst : "?", msg->scode,
				&msg->reason);

	return n < 0 ? ENOMEM : 0;
}


/* A Diameter request by the identity it is about (the node's own for
 * the base protocol's), an answer by its result. */
static int diam_text(char *buf, size_t sz, const struct diam *d, bool full)
{
	char who[256];
	uint32_t code;
	bool x;

	if (diam_is_request(d)) {
		if (diam_find_str(d, NULL, "Public-Identity", who,
				  sizeof(who)) &&
		    diam_find_str(d, NULL, "User-Name", who, sizeof(who)) &&
		    diam_find_str(d, NULL, "Origin-Host", who, sizeof(who)))
			who[0] = '\0';
		if (!full)
			who[0] = '\0';
		return re_snprintf(buf, sz, "%s%s%s", diam_abbrev(d),
				   who[0] ? " " : "", who) < 0 ? ENOMEM : 0;
	}

	if (diam_result(d, &code, &x))
		return re_snprintf(buf, sz, "%s", diam_abbrev(d)) < 0 ?
			ENOMEM : 0;

	return re_snprintf(buf, sz, "%s %u%s%s", diam_abbrev(d), code,
			   full ? " " : "",
			   full ? diam_result_name(code, x) : "") < 0 ?
		ENOMEM : 0;
}


int ladder_diam_line(char *buf, size_t sz, double t, const char *src,
		     const char *dst, const struct diam *d)
{
	char text[320];
	int err;

	err = diam_text(text, sizeof(text), d, true);
	if (err)
		return err;

	return re_snprintf(buf, sz, "%8.3f  %-11s -> %-11s Diameter %s",
			   shown(t), src, dst[0] ? dst : "?", text) < 0 ?
		ENOMEM : 0;
}


/* What an arrow of the diagram says: the first line, short. */
int ladder_label(char *buf, size_t sz, const struct sip_msg *msg,
		 const struct http_msg *hmsg, const struct diam *dmsg)
{
	int n;

	if (dmsg)
		return diam_text(buf, sz, dmsg, false);

	if (hmsg && pl_isset(&hmsg->met))
		n = re_snprintf(buf, sz, "HTTP %r %r", &hmsg->met,
				&hmsg->path);
	else if (hmsg)
		n = re_snprintf(buf, sz, "HTTP %u %r", hmsg->scode,
				&hmsg->reason);
	else if (msg && msg->req)
		n = re_snprintf(buf, sz, "%r", &msg->met);
	else if (msg)
		n = re_snprintf(buf, sz, "%u %r (%r)", msg->scode,
				&msg->reason, &msg->cseq.met);
	else
		n = re_snprintf(buf, sz, "?");

	return n < 0 ? ENOMEM : 0;
}
