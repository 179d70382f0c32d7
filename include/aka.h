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

#endif
