/* SPDX-License-Identifier: BSD-3-Clause */
/* The ladder's one-line form: time on the engine's clock, from -> to,
 * the first line and the headers a reader of an IMS flow looks for. */

#include <re.h>
#include "host.h"
#include "sipkit.h"
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


/* What an arrow of the diagram says: the first line, short. */
int ladder_label(char *buf, size_t sz, const struct sip_msg *msg,
		 const struct http_msg *hmsg)
{
	int n;

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
