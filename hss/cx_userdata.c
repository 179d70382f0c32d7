/* SPDX-License-Identifier: BSD-3-Clause */
/* An SAA's User-Data (TS 29.228 6.1.2, 6.3.x; TS 29.229 6.3.6): the
 * IMSSubscription of the user the S-CSCF now serves, from what hss_sar
 * returned: the IMPI, the implicit set (the default identity first,
 * barred ones with BarringIndication) and the IMPU's service profile.
 * One ServiceProfile holds the whole set: imsbed's SAR hands over the
 * asked IMPU's profile only, and an S-CSCF must learn every identity
 * the registration makes registered. */

#include <string.h>
#include <re.h>
#include "hss.h"

enum { MAX_IDS = 32 };

struct ids {
	struct hss_xml_impu v[MAX_IDS];
	char *buf[MAX_IDS];
	size_t n;
};


/* a ", "-joined list of URIs into v, each copied; impu stands for the
 * wildcard when one matched it */
static int split(struct ids *ids, const char *list, bool barred,
		 const char *impu, const char *wildcard)
{
	struct pl rest, uri;

	if (!list || !*list)
		return 0;

	pl_set_str(&rest, list);
	while (rest.l) {
		const char *comma = pl_strchr(&rest, ',');

		uri.p = rest.p;
		uri.l = comma ? (size_t)(comma - rest.p) : rest.l;
		pl_advance(&rest, uri.l + (comma ? 1 : 0));
		while (rest.l && rest.p[0] == ' ')
			pl_advance(&rest, 1);
		if (!uri.l)
			continue;
		if (ids->n == MAX_IDS)
			return EOVERFLOW;
		if (pl_strdup(&ids->buf[ids->n], &uri))
			return ENOMEM;

		ids->v[ids->n].uri = ids->buf[ids->n];
		ids->v[ids->n].barred = barred;
		/* TS 29.228 B.2.1: an identity a wildcard stands for */
		if (wildcard && *wildcard && impu &&
		    !pl_strcmp(&uri, impu)) {
			ids->v[ids->n].type = HSS_ID_NON_DISTINCT;
			ids->v[ids->n].wildcard = wildcard;
		}
		++ids->n;
	}

	return 0;
}


int cx_user_data(struct mbuf **mbp, const char *impu,
		 const struct cx_saa *saa)
{
	struct hss_xml_sp sp;
	struct hss_xml_sub sub;
	struct ids ids;
	struct mbuf *mb = NULL;
	size_t i;
	int err;

	if (!mbp || !saa || !saa->impi[0])
		return EINVAL;

	memset(&ids, 0, sizeof(ids));
	err = split(&ids, saa->assoc, false, impu, saa->wildcard);
	err = err ? err : split(&ids, saa->barred, true, impu,
				saa->wildcard);
	if (!err && !ids.n)
		err = ENOENT;
	if (err)
		goto out;

	memset(&sp, 0, sizeof(sp));
	sp.impuv = ids.v;
	sp.impuc = ids.n;
	sp.profile = saa->profile;
	memset(&sub, 0, sizeof(sub));
	sub.impi = saa->impi;
	sub.spv = &sp;
	sub.spc = 1;

	mb = mbuf_alloc(1024);
	err = mb ? hss_subscription_xml(mb, &sub) : ENOMEM;
	if (!err) {
		mb->pos = 0;
		*mbp = mb;
		mb = NULL;
	}

 out:
	mem_deref(mb);
	for (i = 0; i < ids.n; i++)
		mem_deref(ids.buf[i]);

	return err;
}
