/* SPDX-License-Identifier: BSD-3-Clause */
/* An SAA's User-Data (TS 29.228 6.1.2, TS 29.229 6.3.6): the
 * IMSSubscription of the user the S-CSCF now serves: the IMPI and the
 * whole implicit set the SAR registered, one ServiceProfile for each
 * service profile its identities use (TS 29.228 B.2: identities that
 * share one share its ServiceProfile), the default identity first,
 * barred ones with BarringIndication, a wildcard as the identity that
 * matched it. */

#include <string.h>
#include <re.h>
#include "hss.h"
#include "hssint.h"

enum { MAX_IDS = 32, MAX_SPS = 8 };

struct row {
	char uri[HSS_ID_MAX];
	char profile[HSS_ID_MAX];
	bool barred;
};

struct rows {
	struct row v[MAX_IDS];
	size_t n;
};


static int row_add(const char *uri, bool barred, const char *profile,
		   void *arg)
{
	struct rows *r = arg;

	if (r->n == MAX_IDS)
		return EOVERFLOW;

	str_ncpy(r->v[r->n].uri, uri, sizeof(r->v[r->n].uri));
	str_ncpy(r->v[r->n].profile, profile, sizeof(r->v[r->n].profile));
	r->v[r->n].barred = barred;
	++r->n;

	return 0;
}


/* The rows grouped by profile, in the order each profile first comes:
 * spv[i] takes its identities from ids, contiguous. */
static int group(struct hss *hss, const struct rows *r,
		 const struct hss_sub *sub, struct hss_xml_impu *ids,
		 struct hss_xml_sp *spv, size_t *spc)
{
	const char *names[MAX_SPS];
	size_t i, j, k = 0, n = 0;

	for (i = 0; i < r->n; i++) {
		for (j = 0; j < n && strcmp(names[j], r->v[i].profile); j++)
			;
		if (j < n)
			continue;
		if (n == MAX_SPS)
			return EOVERFLOW;
		names[n++] = r->v[i].profile;
	}

	for (j = 0; j < n; j++) {
		memset(&spv[j], 0, sizeof(spv[j]));
		spv[j].impuv = &ids[k];
		spv[j].profile = names[j][0] ?
			hss_profile_find(hss, names[j]) : NULL;

		for (i = 0; i < r->n; i++) {
			struct hss_xml_impu *id = &ids[k];

			if (strcmp(r->v[i].profile, names[j]))
				continue;
			memset(id, 0, sizeof(*id));
			id->uri = r->v[i].uri;
			id->barred = r->v[i].barred;
			/* TS 29.228 B.2.1: the identity a wildcard stood
			 * for */
			if (sub->wildcard[0] && !strcmp(id->uri, sub->uri)) {
				id->type = HSS_ID_NON_DISTINCT;
				id->wildcard = sub->wildcard;
			}
			++spv[j].impuc;
			++k;
		}
	}

	*spc = n;

	return 0;
}


int cx_user_data(struct mbuf **mbp, struct hss *hss, const char *impu,
		 const struct cx_saa *saa)
{
	struct hss_xml_impu ids[MAX_IDS];
	struct hss_xml_sp spv[MAX_SPS];
	struct hss_xml_sub doc;
	struct hss_sub sub;
	struct rows *r;
	struct mbuf *mb = NULL;
	int err;

	if (!mbp || !hss || !impu || !saa || !saa->impi[0])
		return EINVAL;
	if (saa->result != CX_SUCCESS || !saa->assoc)
		return ENOENT;

	r = mem_zalloc(sizeof(*r), NULL);
	if (!r)
		return ENOMEM;

	memset(&doc, 0, sizeof(doc));
	doc.impi = saa->impi;
	doc.spv = spv;

	err = hss_sub_by_pair(hss, saa->impi, impu, &sub);
	err = err ? err : hss_set_walk(hss, &sub, row_add, r);
	if (!err && !r->n)
		err = ENOENT;
	err = err ? err : group(hss, r, &sub, ids, spv, &doc.spc);
	if (err)
		goto out;

	mb = mbuf_alloc(1024);
	err = mb ? hss_subscription_xml(mb, &doc) : ENOMEM;
	if (!err) {
		mb->pos = 0;
		*mbp = mb;
		mb = NULL;
	}

 out:
	mem_deref(mb);
	mem_deref(r);

	return err;
}
