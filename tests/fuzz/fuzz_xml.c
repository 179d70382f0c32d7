/* SPDX-License-Identifier: BSD-3-Clause */
/* The TS 29.228 IMSSubscription parser (hss/xml_doc.c), which reads
 * files anyone wrote and, later, the User-Data of a Diameter answer.
 * What it takes must write and read again as the same document: a
 * difference is a finding, as a crash is. */

#include <stdlib.h>
#include <string.h>
#include <re.h>
#include "hss.h"
#include "fuzz.h"


int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;

	return 0;
}


static bool same(const struct hss_xml_sub *a, const struct hss_xml_sub *b)
{
	size_t i, j;

	if (strcmp(a->impi, b->impi) || a->spc != b->spc)
		return false;

	for (i = 0; i < a->spc; i++) {
		const struct hss_xml_sp *x = &a->spv[i], *y = &b->spv[i];

		if (x->impuc != y->impuc ||
		    !ifc_profile_equal(x->profile, y->profile))
			return false;

		for (j = 0; j < x->impuc; j++) {
			if (strcmp(x->impuv[j].uri, y->impuv[j].uri) ||
			    x->impuv[j].barred != y->impuv[j].barred ||
			    x->impuv[j].type != y->impuv[j].type)
				return false;
		}
	}

	return true;
}


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hss_xml_doc *d = NULL, *d2 = NULL;
	struct mbuf *mb = NULL;
	char err[256];

	if (hss_subscription_decode(&d, (const char *)data, size, "fuzz",
				    NULL, err, sizeof(err)))
		return 0;

	mb = mbuf_alloc(1024);
	if (mb && !hss_subscription_xml(mb, hss_xml_doc_sub(d))) {
		if (hss_subscription_decode(&d2, (const char *)mb->buf,
					    mb->end, "again", NULL, err,
					    sizeof(err)) ||
		    !same(hss_xml_doc_sub(d), hss_xml_doc_sub(d2)))
			abort();
	}

	mem_deref(d2);
	mem_deref(mb);
	mem_deref(d);

	return 0;
}
