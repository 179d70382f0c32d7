/* SPDX-License-Identifier: BSD-3-Clause */
/* The S-CSCF's spare AKA vectors (TS 29.228 6.3: a MAR may ask for
 * several, SIP-Number-Auth-Items; TS 33.102 6.3.2: the serving network
 * uses them in order): with 'vectors: N' a MAR asks for N and the next
 * N-1 challenges of that IMPI take one each without a MAR.  A
 * resynchronisation throws them away: their SQNs are of the old line. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "hss.h"
#include "sipkit.h"
#include "proxy.h"
#include "cscf.h"
#include "scscf.h"

struct avset {
	struct le he;
	char impi[128];
	enum cx_scheme scheme;
	char realm[128];
	struct aka_vec vecv[CX_VECTORS - 1];
	unsigned n, next;
};


static void avset_destructor(void *arg)
{
	struct avset *a = arg;

	hash_unlink(&a->he);
}


static bool impi_cmp(struct le *le, void *arg)
{
	const struct avset *a = le->data;

	return 0 == strcmp(a->impi, arg);
}


static struct avset *avset_of(const struct scscf *s, const char *impi)
{
	return list_ledata(hash_lookup(s->avsets, hash_joaat_str(impi),
				       impi_cmp, (void *)impi));
}


void scscf_av_flush(struct scscf *s, const char *impi)
{
	mem_deref(avset_of(s, impi));
}


/* A spare vector of the scheme asked for ("Unknown": any), as the MAA
 * that brought it would have given it alone. */
bool scscf_av_take(struct scscf *s, const char *impi, const char *scheme,
		   struct cx_maa *maa)
{
	struct avset *a = avset_of(s, impi);

	if (!a || a->next >= a->n ||
	    (strcmp(scheme, "Unknown") &&
	     strcmp(scheme, cx_scheme_name(a->scheme))))
		return false;

	memset(maa, 0, sizeof(*maa));
	maa->result = CX_SUCCESS;
	maa->scheme = a->scheme;
	str_ncpy(maa->realm, a->realm, sizeof(maa->realm));
	maa->vec = a->vecv[a->next++];
	if (a->next == a->n)
		mem_deref(a);

	return true;
}


void scscf_av_keep(struct scscf *s, const char *impi,
		   const struct cx_maa *maa)
{
	struct avset *a;

	scscf_av_flush(s, impi);
	if (!maa->nspare || maa->result != CX_SUCCESS)
		return;

	a = mem_zalloc(sizeof(*a), avset_destructor);
	if (!a)
		return;

	str_ncpy(a->impi, impi, sizeof(a->impi));
	a->scheme = maa->scheme;
	str_ncpy(a->realm, maa->realm, sizeof(a->realm));
	a->n = MIN(maa->nspare, (unsigned)ARRAY_SIZE(a->vecv));
	memcpy(a->vecv, maa->spare, a->n * sizeof(a->vecv[0]));
	hash_append(s->avsets, hash_joaat_str(a->impi), &a->he, a);
}


uint32_t scscf_av_count(const struct scscf *s, const char *impi)
{
	const struct avset *a = avset_of(s, impi);

	return a ? a->n - a->next : 0;
}
