/* SPDX-License-Identifier: BSD-3-Clause */
/* The UE's USIM for IMS AKA (TS 33.102 6.3.3, RFC 3310, RFC 4169): the
 * challenge's nonce is base64(RAND || AUTN [|| server data]); the USIM
 * checks AUTN's MAC and its SQN, and gives the digest password (RES, or
 * AKAv2's from RES, IK and CK), or says why it cannot: a MAC failure
 * (the network is not authentic; TS 24.229 5.1.1.5.3 answers with an
 * empty response), or a synchronisation failure (AUTS goes back). */

#include <string.h>
#include <strings.h>
#include <re.h>
#include "aka.h"
#include "host.h"
#include "ue.h"
#include "ueint.h"


int ue_set_usim(struct ue *ue, const struct aka_key *key, uint64_t sqn)
{
	if (!ue || !key)
		return EINVAL;

	size_t i;

	ue->usim_key = *key;
	memset(&ue->usim, 0, sizeof(ue->usim));
	ue->usim.sqn_ms = sqn & AKA_SQN_MAX;
	/* as if it had taken that SEQ with every IND: nothing older
	 * passes, whichever IND the HSS uses next */
	for (i = 0; i < AKA_INDS; i++)
		ue->usim.seqv[i] = (sqn & AKA_SQN_MAX) >> AKA_IND_BITS;
	ue->has_usim = true;

	return 0;
}


static int nonce_split(const char *nonce, uint8_t rand[AKA_KEY],
		       uint8_t autn[AKA_AUTN])
{
	uint8_t buf[96];
	size_t len = sizeof(buf);

	if (base64_decode(nonce, strlen(nonce), buf, &len) ||
	    len < AKA_KEY + AKA_AUTN)
		return EPROTO;

	memcpy(rand, buf, AKA_KEY);
	memcpy(autn, buf + AKA_KEY, AKA_AUTN);

	return 0;
}


/* The SQN in AUTN (SQN xor AK, AK from RAND): the doctor's measure of
 * how far the network is from the USIM. */
static void sqn_of(struct ue *ue, const uint8_t rand[AKA_KEY],
		   const uint8_t autn[AKA_AUTN])
{
	uint8_t ak[AKA_AK], s[AKA_SQN];
	size_t i;

	if (milenage_f2345(NULL, NULL, NULL, ak, NULL, ue->usim_key.k,
			   ue->usim_key.opc, rand))
		return;

	for (i = 0; i < AKA_SQN; i++)
		s[i] = autn[i] ^ ak[i];
	ue->aka_sqn_net = aka_sqn_get(s);
}


int ue_set_aka_answer(struct ue *ue, const char *alg)
{
	if (!ue)
		return EINVAL;

	if (!alg)
		ue->aka_answer = 0;
	else if (!strcasecmp(alg, "AKAv1-MD5"))
		ue->aka_answer = 1;
	else if (!strcasecmp(alg, "AKAv2-MD5"))
		ue->aka_answer = 2;
	else
		return EINVAL;

	return 0;
}


int ue_aka_state(const struct ue *ue, struct ue_aka *st)
{
	if (!ue || !st)
		return EINVAL;

	memset(st, 0, sizeof(*st));
	st->challenged = ue->aka_challenged;
	st->v2 = ue->aka_v2;
	st->has_usim = ue->has_usim;
	st->key = ue->usim_key;
	st->verdict = ue->aka;
	st->sqn_ms = ue->usim.sqn_ms;
	st->sqn_net = ue->aka_sqn_net;

	return 0;
}


/* What the UE answers a challenge with: ue->aka says which of the three
 * answers, ue->aka_pw or ue->auts carries it. */
int ue_usim_answer(struct ue *ue, const char *alg)
{
	uint8_t rand[AKA_KEY], autn[AKA_AUTN], res[AKA_RES], ck[AKA_KEY];
	uint8_t ik[AKA_KEY], auts[AKA_AUTS];
	size_t len = sizeof(ue->auts) - 1;
	int err;

	ue->aka_challenged = !strcasecmp(alg, "AKAv1-MD5") ||
		!strcasecmp(alg, "AKAv2-MD5");
	ue->aka_v2 = !strcasecmp(alg, "AKAv2-MD5");
	if (!ue->aka_challenged)
		return 0;

	if (!ue->has_usim) {
		elog(LOG_WARN, node_name(ue->node), "reg", "%s challenge for"
		     " %s, but the UE has no USIM key material", alg,
		     ue->impi);
		return ENOTSUP;
	}

	if (nonce_split(ue->nonce, rand, autn)) {
		elog(LOG_WARN, node_name(ue->node), "reg", "%s challenge: the"
		     " nonce is not base64 of RAND and AUTN", alg);
		return EPROTO;
	}

	err = aka_usim_check(&ue->aka, &ue->usim, &ue->usim_key, rand, autn,
			     res, ck, ik, auts);
	if (err)
		return err;
	sqn_of(ue, rand, autn);

	switch (ue->aka) {

	case AKA_OK:
		if (ue->aka_answer ? ue->aka_answer == 1 : !ue->aka_v2) {
			memcpy(ue->aka_pw, res, AKA_RES);
			ue->aka_pwlen = AKA_RES;
			return 0;
		}
		err = aka_v2_password((char *)ue->aka_pw, sizeof(ue->aka_pw),
				      res, ik, ck);
		ue->aka_pwlen = err ? 0 : strlen((char *)ue->aka_pw);
		return err;

	case AKA_MAC_FAILURE:
		elog(LOG_INFO, node_name(ue->node), "reg", "AUTN fails the"
		     " USIM's MAC check: the network is not authentic");
		return 0;

	case AKA_SYNC_FAILURE:
		elog(LOG_INFO, node_name(ue->node), "reg", "AUTN's SQN is out"
		     " of the USIM's range: AUTS goes back");
		err = base64_encode(auts, sizeof(auts), ue->auts, &len);
		ue->auts[err ? 0 : len] = '\0';
		return err;
	}

	return EPROTO;
}
