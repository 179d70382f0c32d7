/* SPDX-License-Identifier: BSD-3-Clause */
/* History-Info (RFC 7044) as a diverting AS writes it (TS 24.604
 * 4.5.2.6.2): the entries the request carries, or one for the target
 * it came for; the last one marked with why the request left it (a
 * Reason, RFC 3326, escaped into its URI); and an entry for the new
 * target with its RFC 4458 cause, indexed as a child of the last. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"

enum { HI_MAX = 32 };           /* entries kept; more is a loop */

struct hi_list {
	struct pl entv[HI_MAX];
	size_t n;
	uint32_t causes;                /* entries that name a cause */
};


static void pl_span(struct pl *pl, const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		++p;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		--end;
	pl->p = p;
	pl->l = (size_t)(end - p);
}


static bool has_cause(const struct pl *e)
{
	const char *gt = pl_strchr(e, '>');
	struct pl uri, v;

	/* RFC 4458: a URI parameter, inside the angle brackets */
	if (!gt || e->l < 2 || e->p[0] != '<')
		return false;
	uri.p = e->p + 1;
	uri.l = (size_t)(gt - uri.p);

	return 0 == msg_param_decode(&uri, "cause", &v);
}


/* One History-Info value split on the commas between its entries (a
 * comma inside <> or quotes is the URI's). */
static bool split(const struct sip_hdr *hdr, const struct sip_msg *msg,
		  void *arg)
{
	struct hi_list *l = arg;
	const char *p = hdr->val.p, *end = p + hdr->val.l, *start = p;
	bool angle = false, quote = false;
	(void)msg;

	for (;; ++p) {
		if (p == end || (*p == ',' && !angle && !quote)) {
			struct pl e;

			pl_span(&e, start, p);
			if (e.l && l->n == HI_MAX)
				return true;
			if (e.l) {
				if (has_cause(&e))
					++l->causes;
				l->entv[l->n++] = e;
			}
			if (p == end)
				return false;
			start = p + 1;
			continue;
		}
		if (*p == '"' && !angle)
			quote = !quote;
		else if (*p == '<' && !quote)
			angle = true;
		else if (*p == '>' && !quote)
			angle = false;
	}
}


/* The entry's index (hi-index, "1.1.2"), or "1" when it has none. */
static void entry_index(const struct pl *e, struct pl *idx)
{
	const char *gt = pl_strchr(e, '>');
	struct pl params;

	if (gt) {
		pl_span(&params, gt + 1, e->p + e->l);
		if (!msg_param_decode(&params, "index", idx) && idx->l)
			return;
	}

	pl_set_str(idx, "1");
}


/* RFC 3326 in a URI header (RFC 3261 19.1.1): its separators and the
 * reason phrase's spaces escaped. */
static int print_reason(struct mbuf *mb, uint16_t cause)
{
	const char *r = sipx_reason(cause);
	int err;

	err = mbuf_printf(mb, "?Reason=SIP%%3Bcause%%3D%u%%3Btext%%3D%%22",
			  cause);
	for (; *r && !err; ++r)
		err = *r == ' ' ? mbuf_write_str(mb, "%20") :
			mbuf_write_u8(mb, (uint8_t)*r);

	return err | mbuf_write_str(mb, "%22");
}


static int print_last(struct mbuf *mb, const struct pl *e, uint16_t cause)
{
	const char *gt = pl_strchr(e, '>');
	struct pl uri;

	/* one that has its Reason (or other headers) already stays so */
	if (!gt) {
		return mbuf_write_pl(mb, e);
	}
	pl_span(&uri, e->p, gt);
	if (pl_strchr(&uri, '?'))
		return mbuf_write_pl(mb, e);

	return mbuf_write_pl(mb, &uri) | print_reason(mb, cause) |
		mbuf_write_mem(mb, (const uint8_t *)gt,
			       (size_t)(e->p + e->l - gt));
}


int sipx_histinfo_divert(char **linep, uint32_t *countp,
			 const struct sip_msg *msg, const char *target,
			 uint16_t cause)
{
	struct hi_list l;
	struct mbuf *mb;
	struct pl first, idx;
	char buf[300];
	size_t i;
	int err = 0;

	if (!linep || !msg || !target)
		return EINVAL;

	memset(&l, 0, sizeof(l));
	if (sip_msg_hdr_apply(msg, true, SIP_HDR_HISTORY_INFO, split, &l))
		return EOVERFLOW;
	if (countp)
		*countp = l.causes;

	/* RFC 7044 9.1: the first entry is the target the request came
	 * for, when nobody before wrote one. */
	if (!l.n) {
		if (re_snprintf(buf, sizeof(buf), "<%r>;index=1",
				&msg->ruri) < 0)
			return ENOMEM;
		pl_set_str(&first, buf);
		l.entv[l.n++] = first;
	}
	entry_index(&l.entv[l.n - 1], &idx);

	mb = mbuf_alloc(512);
	if (!mb)
		return ENOMEM;

	err = mbuf_write_str(mb, "History-Info: ");
	for (i = 0; i + 1 < l.n; i++)
		err |= mbuf_printf(mb, "%r, ", &l.entv[i]);
	err |= print_last(mb, &l.entv[l.n - 1], cause);
	err |= mbuf_printf(mb, ", <%s;cause=%u>;index=%r.1;mp=%r\r\n",
			   target, cause, &idx, &idx);
	if (!err) {
		mb->pos = 0;
		err = mbuf_strdup(mb, linep, mb->end);
	}

	mem_deref(mb);
	return err;
}
