/* SPDX-License-Identifier: BSD-3-Clause */
/* AKA around Milenage: the HE's authentication vector, the USIM's check
 * of it with its sequence number memory (TS 33.102 6.3.3 and Annex C:
 * SQN = SEQ || IND, IND of 5 bits, a SEQ per IND, a SEQ more than 2^28
 * ahead of the highest refused), the HE's resynchronisation from AUTS
 * (6.3.5), and the AKAv2 password (RFC 4169).  The age limit L of C.2.2
 * is not applied: an emulated USIM has no older vectors to fear. */

#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <re.h>
#include "aka.h"

/* 6.3.3: MAC-S is computed over a dummy AMF of zeros. */
static const uint8_t amf_resync[AKA_AMF];


uint64_t aka_sqn_get(const uint8_t sqn[AKA_SQN])
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < AKA_SQN; i++)
		v = v << 8 | sqn[i];

	return v;
}


void aka_sqn_put(uint8_t sqn[AKA_SQN], uint64_t v)
{
	size_t i;

	for (i = AKA_SQN; i-- > 0; v >>= 8)
		sqn[i] = (uint8_t)v;
}


uint64_t aka_sqn_next(uint64_t sqn_he)
{
	uint64_t seq = (sqn_he >> AKA_IND_BITS) + 1;
	uint64_t ind = ((sqn_he & (AKA_INDS - 1)) + 1) % AKA_INDS;

	return ((seq << AKA_IND_BITS) | ind) & AKA_SQN_MAX;
}


int aka_vector(struct aka_vec *v, const struct aka_key *key, uint64_t sqn,
	       const uint8_t rand[AKA_KEY])
{
	uint8_t s[AKA_SQN], ak[AKA_AK];
	size_t i;
	int err;

	if (!v || !key || !rand)
		return EINVAL;

	memcpy(v->rand, rand, AKA_KEY);
	aka_sqn_put(s, sqn);

	err = milenage_f2345(v->xres, v->ck, v->ik, ak, NULL, key->k,
			     key->opc, rand);
	if (err)
		return err;

	err = milenage_f1(v->autn + AKA_SQN + AKA_AMF, NULL, key->k,
			  key->opc, rand, s, key->amf);
	if (err)
		return err;

	for (i = 0; i < AKA_SQN; i++)
		v->autn[i] = s[i] ^ ak[i];
	memcpy(v->autn + AKA_SQN, key->amf, AKA_AMF);

	return 0;
}


static bool sqn_acceptable(const struct aka_usim *u, uint64_t sqn)
{
	uint64_t seq = sqn >> AKA_IND_BITS;
	uint64_t seq_ms = u->sqn_ms >> AKA_IND_BITS;

	if (seq <= u->seqv[sqn & (AKA_INDS - 1)])
		return false;

	return seq <= seq_ms || seq - seq_ms <= AKA_DELTA;
}


static int auts_make(uint8_t auts[AKA_AUTS], const struct aka_usim *u,
		     const struct aka_key *key, const uint8_t rand[AKA_KEY])
{
	uint8_t s[AKA_SQN], ak_s[AKA_AK];
	size_t i;
	int err;

	aka_sqn_put(s, u->sqn_ms);

	err = milenage_f2345(NULL, NULL, NULL, NULL, ak_s, key->k, key->opc,
			     rand);
	if (!err)
		err = milenage_f1(NULL, auts + AKA_SQN, key->k, key->opc,
				  rand, s, amf_resync);
	if (err)
		return err;

	for (i = 0; i < AKA_SQN; i++)
		auts[i] = s[i] ^ ak_s[i];

	return 0;
}


int aka_usim_check(enum aka_verdict *verdict, struct aka_usim *u,
		   const struct aka_key *key, const uint8_t rand[AKA_KEY],
		   const uint8_t autn[AKA_AUTN], uint8_t res[AKA_RES],
		   uint8_t ck[AKA_KEY], uint8_t ik[AKA_KEY],
		   uint8_t auts[AKA_AUTS])
{
	uint8_t ak[AKA_AK], s[AKA_SQN], xmac[AKA_MAC], r[AKA_RES];
	uint64_t sqn;
	size_t i;
	int err;

	if (!verdict || !u || !key || !rand || !autn)
		return EINVAL;

	err = milenage_f2345(r, ck, ik, ak, NULL, key->k, key->opc, rand);
	if (err)
		return err;

	for (i = 0; i < AKA_SQN; i++)
		s[i] = autn[i] ^ ak[i];

	err = milenage_f1(xmac, NULL, key->k, key->opc, rand, s,
			  autn + AKA_SQN);
	if (err)
		return err;

	if (memcmp(xmac, autn + AKA_SQN + AKA_AMF, AKA_MAC)) {
		*verdict = AKA_MAC_FAILURE;
		return 0;
	}

	sqn = aka_sqn_get(s);
	if (!sqn_acceptable(u, sqn)) {
		*verdict = AKA_SYNC_FAILURE;
		return auts ? auts_make(auts, u, key, rand) : 0;
	}

	u->seqv[sqn & (AKA_INDS - 1)] = sqn >> AKA_IND_BITS;
	if (sqn > u->sqn_ms)
		u->sqn_ms = sqn;
	if (res)
		memcpy(res, r, AKA_RES);
	*verdict = AKA_OK;

	return 0;
}


int aka_resync(uint64_t *sqn_ms, const struct aka_key *key,
	       const uint8_t rand[AKA_KEY], const uint8_t auts[AKA_AUTS])
{
	uint8_t ak_s[AKA_AK], s[AKA_SQN], xmac_s[AKA_MAC];
	size_t i;
	int err;

	if (!sqn_ms || !key || !rand || !auts)
		return EINVAL;

	err = milenage_f2345(NULL, NULL, NULL, NULL, ak_s, key->k, key->opc,
			     rand);
	if (err)
		return err;

	for (i = 0; i < AKA_SQN; i++)
		s[i] = auts[i] ^ ak_s[i];

	err = milenage_f1(NULL, xmac_s, key->k, key->opc, rand, s,
			  amf_resync);
	if (err)
		return err;

	if (memcmp(xmac_s, auts + AKA_SQN, AKA_MAC))
		return EAUTH;

	*sqn_ms = aka_sqn_get(s);

	return 0;
}


int aka_v2_password(char *pw, size_t sz, const uint8_t res[AKA_RES],
		    const uint8_t ik[AKA_KEY], const uint8_t ck[AKA_KEY])
{
	static const char label[] = "http-digest-akav2-password";
	uint8_t key[AKA_RES + 2 * AKA_KEY], md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	size_t olen = sz ? sz - 1 : 0;
	int err;

	if (!pw || !sz || !res || !ik || !ck)
		return EINVAL;

	memcpy(key, res, AKA_RES);
	memcpy(key + AKA_RES, ik, AKA_KEY);
	memcpy(key + AKA_RES + AKA_KEY, ck, AKA_KEY);

	if (!HMAC(EVP_md5(), key, (int)sizeof(key), (const uint8_t *)label,
		  sizeof(label) - 1, md, &mdlen))
		return EPROTO;

	err = base64_encode(md, mdlen, pw, &olen);
	if (err)
		return err;
	pw[olen] = '\0';

	return 0;
}


int aka_hex(uint8_t *out, size_t n, const char *s)
{
	size_t i;

	for (i = 0; s && s[i]; i++) {
		if (!strchr("0123456789abcdefABCDEF", s[i]))
			return EINVAL;
	}

	return s && i == 2 * n ? str_hex(out, n, s) : EINVAL;
}


static int hex_field(uint8_t *out, size_t n, const char *s, const char *name,
		     char *why, size_t sz)
{
	if (aka_hex(out, n, s)) {
		(void)re_snprintf(why, sz, "%s must be %zu hex digits, not"
				  " '%s'", name, 2 * n, s);
		return EINVAL;
	}

	return 0;
}


int aka_key_parse(struct aka_key *key, const char *k, const char *op,
		  const char *opc, const char *amf, char *why, size_t sz)
{
	uint8_t opv[AKA_KEY];
	int err;

	if (!key || !why)
		return EINVAL;

	if (!k) {
		(void)re_snprintf(why, sz, "AKA needs k");
		return EINVAL;
	}
	if (!op == !opc) {
		(void)re_snprintf(why, sz, "AKA needs exactly one of op and"
				  " opc (%s)", op ? "both given" :
				  "neither given");
		return EINVAL;
	}

	err = hex_field(key->k, AKA_KEY, k, "k", why, sz);
	if (!err && op)
		err = hex_field(opv, AKA_KEY, op, "op", why, sz);
	if (!err && opc)
		err = hex_field(key->opc, AKA_KEY, opc, "opc", why, sz);
	if (!err)
		err = hex_field(key->amf, AKA_AMF, amf ? amf : "8000", "amf",
				why, sz);
	if (err)
		return err;

	return op ? milenage_opc(key->opc, key->k, opv) : 0;
}


int aka_sqn_parse(uint64_t *sqn, const char *s)
{
	unsigned long long v;
	char *end = NULL;

	if (!sqn || !s || !*s || *s == '-')
		return EINVAL;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		v = s[2] ? strtoull(s + 2, &end, 16) : 0;
	else
		v = strtoull(s, &end, 10);
	if (!end)
		return EINVAL;
	if (*end || v > AKA_SQN_MAX)
		return EINVAL;

	*sqn = v;
	return 0;
}
