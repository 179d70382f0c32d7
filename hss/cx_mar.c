/* SPDX-License-Identifier: BSD-3-Clause */
/* cx_mar: MAR/MAA (TS 29.228 6.3, TS 29.229 6.3.2): the scheme the
 * S-CSCF asks for, or the subscriber's first; SIP Digest's HA1; an AKA
 * vector from the subscriber's K and OPc with the next SQN of TS 33.102
 * Annex C, the SQN kept in the database before the vector leaves; and
 * resynchronisation from RAND || AUTS. */

#include <string.h>
#include <strings.h>
#include <re.h>
#include "digest.h"
#include "host.h"
#include "hss.h"
#include "hssint.h"

static const char *const schemev[] = {
	[CX_SCHEME_DIGEST] = "SIP Digest",
	[CX_SCHEME_AKAV1] = "Digest-AKAv1-MD5",
	[CX_SCHEME_AKAV2] = "Digest-AKAv2-MD5",
};

/* The topology's names of the same schemes, as subscriber.auth lists
 * them. */
static const char *const authv[] = {
	[CX_SCHEME_DIGEST] = "digest",
	[CX_SCHEME_AKAV1] = "aka",
	[CX_SCHEME_AKAV2] = "aka-v2",
};


const char *cx_scheme_name(enum cx_scheme s)
{
	return (size_t)s < ARRAY_SIZE(schemev) ? schemev[s] : "?";
}


static bool offers(const struct hss_sub *sub, enum cx_scheme s)
{
	struct pl list, tok;

	pl_set_str(&list, sub->auth);
	while (!re_regex(list.p, list.l, "[^,]+", &tok)) {
		if (!pl_strcmp(&tok, authv[s]))
			return true;
		pl_advance(&list, (size_t)(tok.p - list.p) + tok.l);
	}

	return false;
}


/* The scheme asked for if the subscriber has it, else false; "Unknown"
 * (or none) takes the subscriber's first. */
static bool pick(enum cx_scheme *sp, const struct hss_sub *sub,
		 const char *scheme)
{
	size_t i;

	if (!scheme || !strcasecmp(scheme, "Unknown")) {
		for (i = 0; i < ARRAY_SIZE(authv); i++) {
			size_t n = strlen(authv[i]);

			if (!strncmp(sub->auth, authv[i], n) &&
			    (!sub->auth[n] || sub->auth[n] == ',')) {
				*sp = (enum cx_scheme)i;
				return true;
			}
		}
		return false;
	}

	for (i = 0; i < ARRAY_SIZE(schemev); i++) {
		if (!strcasecmp(scheme, schemev[i])) {
			*sp = (enum cx_scheme)i;
			return offers(sub, *sp);
		}
	}

	return false;
}


/* 6.3.1: the HSS keeps the name of the S-CSCF that challenges a user no
 * S-CSCF serves, so that the I-CSCF sends the answer to the challenge
 * to the same S-CSCF (UAR gives it back). */
static int keep_server(struct hss *hss, const struct hss_sub *sub,
		       const char *server)
{
	if (!str_isset(server) || sub->scscf[0])
		return 0;
	if (strlen(server) >= HSS_ID_MAX)
		return EINVAL;

	return hss_sub_assign(hss, sub, server, sub->state);
}


/* n vectors with the SQNs after sqn_he, the last of them stored first:
 * a vector never leaves with a SQN the database could hand out again. */
static int vectors(struct hss *hss, const struct hss_sub *sub,
		   uint64_t sqn_he, unsigned n, struct cx_maa *maa)
{
	uint8_t rand[AKA_KEY];
	uint64_t sqn = sqn_he;
	unsigned i;
	int e;

	for (i = 0; i < n; i++)
		sqn = aka_sqn_next(sqn);

	e = hss_sub_sqn_set(hss, sub->impi, sqn);
	for (i = 0, sqn = sqn_he; !e && i < n; i++) {
		sqn = aka_sqn_next(sqn);
		emul_random(rand, sizeof(rand));
		e = aka_vector(i ? &maa->spare[i - 1] : &maa->vec, &sub->key,
			       sqn, rand);
	}
	maa->nspare = e ? 0 : n - 1;

	return e;
}


static int answer(struct hss *hss, const struct hss_sub *sub,
		  const char *scheme, const char *server, unsigned n,
		  struct cx_maa *maa)
{
	int e;

	if (!pick(&maa->scheme, sub, scheme) ||
	    (maa->scheme != CX_SCHEME_DIGEST && !sub->has_key)) {
		maa->result = CX_ERROR_AUTH_SCHEME_NOT_SUPPORTED;
		return 0;
	}

	e = keep_server(hss, sub, server);
	if (e)
		return e;

	str_ncpy(maa->realm, hss_realm(hss), sizeof(maa->realm));
	if (maa->scheme != CX_SCHEME_DIGEST)
		return vectors(hss, sub, sub->sqn, n, maa);

	/* TS 24.229 5.4.1.2.1: the digest username is the IMPI */
	return digest_ha1(maa->ha1, sub->impi, maa->realm, sub->password);
}


int hss_mar_vectors(struct hss *hss, const char *impi, const char *impu,
		    const char *scheme, const char *server, unsigned n,
		    struct cx_maa *maa)
{
	struct hss_sub sub;
	int e;

	if (!hss || !impi || !impu || !maa || !n || n > CX_VECTORS)
		return EINVAL;

	memset(maa, 0, sizeof(*maa));

	e = cx_lookup(hss, impi, impu, &sub, &maa->result);
	if (e || maa->result != CX_SUCCESS)
		return e;

	return answer(hss, &sub, scheme, server, n, maa);
}


int hss_mar(struct hss *hss, const char *impi, const char *impu,
	    const char *scheme, const char *server, struct cx_maa *maa)
{
	return hss_mar_vectors(hss, impi, impu, scheme, server, 1, maa);
}


int hss_mar_resync(struct hss *hss, const char *impi, const char *impu,
		   const char *scheme, const char *server,
		   const uint8_t rand[16], const uint8_t auts[14],
		   struct cx_maa *maa)
{
	uint8_t r[AKA_KEY], a[AKA_AUTS];
	struct hss_sub sub;
	uint64_t sqn_ms;
	int e;

	if (!hss || !impi || !impu || !rand || !auts || !maa)
		return EINVAL;

	/* rand may be the old answer's own vector */
	memcpy(r, rand, sizeof(r));
	memcpy(a, auts, sizeof(a));
	memset(maa, 0, sizeof(*maa));

	e = cx_lookup(hss, impi, impu, &sub, &maa->result);
	if (e || maa->result != CX_SUCCESS)
		return e;

	if (!sub.has_key) {
		maa->result = CX_ERROR_AUTH_SCHEME_NOT_SUPPORTED;
		return 0;
	}

	/* 6.3.5: an AUTS whose MAC-S fails proves nothing about SQN_MS. */
	e = aka_resync(&sqn_ms, &sub.key, r, a);
	if (e == EAUTH) {
		elog(LOG_INFO, hss_name(hss), "cx", "MAR %s: AUTS does not "
		     "verify (MAC-S): no resynchronisation", impi);
		maa->result = CX_UNABLE_TO_COMPLY;
		return 0;
	}
	if (e)
		return e;

	elog(LOG_INFO, hss_name(hss), "cx", "MAR %s: resynchronised, SQN_HE"
	     " %llu -> SQN_MS %llu", impi, (unsigned long long)sub.sqn,
	     (unsigned long long)sqn_ms);

	/* SQN_HE is reset to SQN_MS unless the USIM would take the next
	 * SQN after SQN_HE: not behind it, not 2^28 SEQs ahead. */
	{
		uint64_t seq_he = sub.sqn >> AKA_IND_BITS;
		uint64_t seq_ms = sqn_ms >> AKA_IND_BITS;

		if (seq_he < seq_ms || seq_he + 1 - seq_ms > AKA_DELTA)
			sub.sqn = sqn_ms;
	}

	return answer(hss, &sub, scheme, server, 1, maa);
}


int hss_aka_key(struct hss *hss, const char *impi, struct aka_key *key,
		uint64_t *sqn)
{
	struct hss_sub sub;
	int e;

	if (!hss || !impi || !key || !sqn)
		return EINVAL;

	e = hss_sub_by_impi(hss, impi, &sub);
	if (e)
		return e;
	if (!sub.has_key)
		return ENOTSUP;

	*key = sub.key;
	*sqn = sub.sqn;

	return 0;
}
