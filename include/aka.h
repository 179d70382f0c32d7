/* SPDX-License-Identifier: BSD-3-Clause */
/* aka: 3GPP AKA as the HSS (its AuC) and the UE (its USIM) compute it:
 * Milenage (TS 35.205/35.206), the authentication vector and its checks
 * (TS 33.102 6.3), and the digest passwords of AKAv1 and AKAv2 (RFC 3310,
 * RFC 4169).  Byte strings are big-endian, as the specifications write
 * them. */

#ifndef IMSBED_AKA_H
#define IMSBED_AKA_H

#include <re.h>

enum {
	AKA_KEY = 16,           /* K, OP, OPc, RAND, CK, IK */
	AKA_SQN = 6,
	AKA_AMF = 2,
	AKA_MAC = 8,
	AKA_RES = 8,
	AKA_AK = 6,
	AKA_AUTN = AKA_SQN + AKA_AMF + AKA_MAC,
	AKA_AUTS = AKA_SQN + AKA_MAC,
};

/* ---- milenage.c: the algorithm set, on OpenSSL's AES-128 ---- */
int milenage_opc(uint8_t opc[AKA_KEY], const uint8_t k[AKA_KEY],
		 const uint8_t op[AKA_KEY]);
/* f1 (MAC-A) and f1* (MAC-S); either output may be NULL. */
int milenage_f1(uint8_t mac_a[AKA_MAC], uint8_t mac_s[AKA_MAC],
		const uint8_t k[AKA_KEY], const uint8_t opc[AKA_KEY],
		const uint8_t rand[AKA_KEY], const uint8_t sqn[AKA_SQN],
		const uint8_t amf[AKA_AMF]);
/* f2 (RES), f3 (CK), f4 (IK), f5 (AK) and f5* (AK for resynchronisation);
 * any output may be NULL. */
int milenage_f2345(uint8_t res[AKA_RES], uint8_t ck[AKA_KEY],
		   uint8_t ik[AKA_KEY], uint8_t ak[AKA_AK],
		   uint8_t ak_s[AKA_AK], const uint8_t k[AKA_KEY],
		   const uint8_t opc[AKA_KEY], const uint8_t rand[AKA_KEY]);

/* ---- aka.c: vectors and their checks (TS 33.102 6.3, Annex C) ---- */
/* What the HSS and the USIM share for a subscriber. */
struct aka_key {
	uint8_t k[AKA_KEY];
	uint8_t opc[AKA_KEY];
	uint8_t amf[AKA_AMF];
};

/* One authentication vector; AUTN = SQN xor AK || AMF || MAC-A. */
struct aka_vec {
	uint8_t rand[AKA_KEY];
	uint8_t xres[AKA_RES];
	uint8_t ck[AKA_KEY];
	uint8_t ik[AKA_KEY];
	uint8_t autn[AKA_AUTN];
};

/* Annex C: SQN = SEQ || IND, IND the low AKA_IND_BITS bits. */
enum { AKA_IND_BITS = 5, AKA_INDS = 1 << AKA_IND_BITS };
#define AKA_SQN_MAX ((1ULL << (8 * AKA_SQN)) - 1)
/* C.2.1: a SEQ further ahead of the highest accepted is refused. */
#define AKA_DELTA (1ULL << 28)

/* The USIM's memory of what it accepted: the highest SQN, and the SEQ
 * last accepted with each IND. */
struct aka_usim {
	uint64_t sqn_ms;
	uint64_t seqv[AKA_INDS];
};

enum aka_verdict {
	AKA_OK = 0,
	AKA_MAC_FAILURE,        /* AUTN is not the network's */
	AKA_SYNC_FAILURE,       /* a genuine AUTN with a SQN refused */
};

uint64_t aka_sqn_get(const uint8_t sqn[AKA_SQN]);
void aka_sqn_put(uint8_t sqn[AKA_SQN], uint64_t v);
/* The HE's next SQN after sqn_he (C.1.1, C.1.2): SEQ + 1, IND + 1. */
uint64_t aka_sqn_next(uint64_t sqn_he);
int aka_vector(struct aka_vec *v, const struct aka_key *key, uint64_t sqn,
	       const uint8_t rand[AKA_KEY]);
/* The USIM's side (6.3.3): on AKA_OK res, ck and ik (any may be NULL)
 * and the SQN is remembered; on AKA_SYNC_FAILURE auts is set. */
int aka_usim_check(enum aka_verdict *verdict, struct aka_usim *u,
		   const struct aka_key *key, const uint8_t rand[AKA_KEY],
		   const uint8_t autn[AKA_AUTN], uint8_t res[AKA_RES],
		   uint8_t ck[AKA_KEY], uint8_t ik[AKA_KEY],
		   uint8_t auts[AKA_AUTS]);
/* The HE's side of a resynchronisation (6.3.5): SQN_MS from AUTS, or
 * EAUTH when its MAC-S is wrong. */
int aka_resync(uint64_t *sqn_ms, const struct aka_key *key,
	       const uint8_t rand[AKA_KEY], const uint8_t auts[AKA_AUTS]);
/* Key material as a topology writes it: k, exactly one of op and opc,
 * 32 hex digits each, amf 4 (NULL: 8000).  EINVAL with the reason in
 * why; op becomes OPc here. */
int aka_key_parse(struct aka_key *key, const char *k, const char *op,
		  const char *opc, const char *amf, char *why, size_t sz);
/* Exactly 2n hex digits into n bytes, else EINVAL. */
int aka_hex(uint8_t *out, size_t n, const char *s);
/* A 48-bit SQN: decimal, or hex after 0x. */
int aka_sqn_parse(uint64_t *sqn, const char *s);
/* The digest password of AKAv2-MD5 (RFC 4169 section 3), base64 text;
 * AKAv1's is RES itself (RFC 3310 3.4). */
int aka_v2_password(char *pw, size_t sz, const uint8_t res[AKA_RES],
		    const uint8_t ik[AKA_KEY], const uint8_t ck[AKA_KEY]);

#endif
