/* SPDX-License-Identifier: BSD-3-Clause */
/* AKA around Milenage, on TS 35.208 test set 1: the vector's AUTN, the
 * USIM's three verdicts (accepted; MAC failure for another K or a
 * tampered AUTN; synchronisation failure for a replay or a SQN too far
 * ahead), AUTS read back by the HE, a forged AUTS refused, the HE's SQN
 * steps (SEQ and IND of TS 33.102 Annex C) and the AKAv2 password. */

#include <string.h>
#include <re.h>
#include "aka.h"
#include "tests.h"

/* TS 35.208 4.3.1 */
#define K    "465b5ce8b199b49faa5f0a2ee238a6bc"
#define RAND "23553cbe9637a89d218ae64dae47bf35"
#define OPC  "cd63cb71954a9f4e48a5994e37a02baf"
#define SQN  0xff9bb4d0b607ULL
/* A USIM that has taken vectors up to five SEQs before test set 1's:
 * one that never did would refuse SQN as more than 2^28 ahead. */
#define SQN_SEEN (SQN - (5 << AKA_IND_BITS))


static void key_of(struct aka_key *key, const char *k)
{
	memset(key, 0, sizeof(*key));
	CU_ASSERT_FATAL(!str_hex(key->k, sizeof(key->k), k));
	CU_ASSERT_FATAL(!str_hex(key->opc, sizeof(key->opc), OPC));
	key->amf[0] = key->amf[1] = 0xb9;
}


static void rand_of(uint8_t rand[AKA_KEY])
{
	CU_ASSERT_FATAL(!str_hex(rand, AKA_KEY, RAND));
}


static void test_vector(void)
{
	uint8_t rand[AKA_KEY], want[AKA_AUTN], res[AKA_RES], ck[AKA_KEY];
	uint8_t ik[AKA_KEY];
	struct aka_usim u = {.sqn_ms = SQN_SEEN};
	enum aka_verdict vd;
	struct aka_key key;
	struct aka_vec v;

	key_of(&key, K);
	rand_of(rand);
	CU_ASSERT_EQUAL_FATAL(aka_vector(&v, &key, SQN, rand), 0);

	/* SQN xor AK (f5 aa689c648370) || AMF || MAC-A (f1) */
	CU_ASSERT_FATAL(!str_hex(want, sizeof(want),
				 "55f328b43577b9b94a9ffac354dfafb3"));
	CU_ASSERT(!memcmp(v.autn, want, sizeof(want)));
	CU_ASSERT_FATAL(!str_hex(want, AKA_RES, "a54211d5e3ba50bf"));
	CU_ASSERT(!memcmp(v.xres, want, AKA_RES));

	CU_ASSERT_EQUAL(aka_usim_check(&vd, &u, &key, rand, v.autn, res, ck,
				       ik, NULL), 0);
	CU_ASSERT_EQUAL(vd, AKA_OK);
	CU_ASSERT(!memcmp(res, v.xres, AKA_RES));
	CU_ASSERT(!memcmp(ck, v.ck, AKA_KEY));
	CU_ASSERT(!memcmp(ik, v.ik, AKA_KEY));
	CU_ASSERT_EQUAL(u.sqn_ms, SQN);

	/* A new USIM takes the HE's first SQN after 0. */
	memset(&u, 0, sizeof(u));
	CU_ASSERT_EQUAL_FATAL(aka_vector(&v, &key, aka_sqn_next(0), rand),
			      0);
	CU_ASSERT_EQUAL(aka_usim_check(&vd, &u, &key, rand, v.autn, res, ck,
				       ik, NULL), 0);
	CU_ASSERT_EQUAL(vd, AKA_OK);
}


static void test_mac_failure(void)
{
	uint8_t rand[AKA_KEY], auts[AKA_AUTS];
	struct aka_usim u = {0};
	struct aka_key key, other;
	enum aka_verdict vd;
	struct aka_vec v;

	key_of(&key, K);
	key_of(&other, "000102030405060708090a0b0c0d0e0f");
	rand_of(rand);
	CU_ASSERT_EQUAL_FATAL(aka_vector(&v, &key, SQN, rand), 0);

	CU_ASSERT_EQUAL(aka_usim_check(&vd, &u, &other, rand, v.autn, NULL,
				       NULL, NULL, auts), 0);
	CU_ASSERT_EQUAL(vd, AKA_MAC_FAILURE);

	v.autn[AKA_AUTN - 1] ^= 1;
	CU_ASSERT_EQUAL(aka_usim_check(&vd, &u, &key, rand, v.autn, NULL,
				       NULL, NULL, auts), 0);
	CU_ASSERT_EQUAL(vd, AKA_MAC_FAILURE);
	CU_ASSERT_EQUAL(u.sqn_ms, 0);
}


static void test_resync(void)
{
	uint8_t rand[AKA_KEY], auts[AKA_AUTS];
	struct aka_usim u = {.sqn_ms = SQN_SEEN};
	enum aka_verdict vd;
	struct aka_key key;
	struct aka_vec v;
	uint64_t sqn_ms = 0, far;

	key_of(&key, K);
	rand_of(rand);
	CU_ASSERT_EQUAL_FATAL(aka_vector(&v, &key, SQN, rand), 0);
	CU_ASSERT_EQUAL(aka_usim_check(&vd, &u, &key, rand, v.autn, NULL,
				       NULL, NULL, auts), 0);
	CU_ASSERT_EQUAL_FATAL(vd, AKA_OK);

	/* The same vector again: a replay. */
	CU_ASSERT_EQUAL(aka_usim_check(&vd, &u, &key, rand, v.autn, NULL,
				       NULL, NULL, auts), 0);
	CU_ASSERT_EQUAL(vd, AKA_SYNC_FAILURE);
	CU_ASSERT_EQUAL(aka_resync(&sqn_ms, &key, rand, auts), 0);
	CU_ASSERT_EQUAL(sqn_ms, SQN);

	/* The HE goes on from SQN_MS: accepted. */
	CU_ASSERT_EQUAL_FATAL(aka_vector(&v, &key, aka_sqn_next(sqn_ms),
					 rand), 0);
	CU_ASSERT_EQUAL(aka_usim_check(&vd, &u, &key, rand, v.autn, NULL,
				       NULL, NULL, auts), 0);
	CU_ASSERT_EQUAL(vd, AKA_OK);

	/* More than 2^28 SEQs ahead. */
	far = ((u.sqn_ms >> AKA_IND_BITS) + AKA_DELTA + 1) << AKA_IND_BITS;
	CU_ASSERT_EQUAL_FATAL(aka_vector(&v, &key, far & AKA_SQN_MAX, rand),
			      0);
	CU_ASSERT_EQUAL(aka_usim_check(&vd, &u, &key, rand, v.autn, NULL,
				       NULL, NULL, auts), 0);
	CU_ASSERT_EQUAL(vd, AKA_SYNC_FAILURE);

	/* A forged AUTS. */
	auts[AKA_AUTS - 1] ^= 0x80;
	CU_ASSERT_EQUAL(aka_resync(&sqn_ms, &key, rand, auts), EAUTH);
}


static void test_sqn(void)
{
	uint8_t b[AKA_SQN];

	/* SEQ + 1 and IND + 1 (mod 32) for each vector. */
	CU_ASSERT_EQUAL(aka_sqn_next(0), (1 << AKA_IND_BITS) | 1);
	CU_ASSERT_EQUAL(aka_sqn_next((7 << AKA_IND_BITS) | 31),
			8 << AKA_IND_BITS);
	CU_ASSERT_EQUAL(aka_sqn_next(AKA_SQN_MAX), 0);

	aka_sqn_put(b, SQN);
	CU_ASSERT_EQUAL(b[0], 0xff);
	CU_ASSERT_EQUAL(b[5], 0x07);
	CU_ASSERT_EQUAL(aka_sqn_get(b), SQN);
}


/* RFC 4169: base64(HMAC-MD5(RES || IK || CK, "http-digest-akav2-
 * password")), here of test set 1's RES, IK and CK (the expected text
 * made with Python's hmac and base64). */
static void test_v2_password(void)
{
	uint8_t res[AKA_RES], ik[AKA_KEY], ck[AKA_KEY];
	char pw[32];

	CU_ASSERT_FATAL(!str_hex(res, sizeof(res), "a54211d5e3ba50bf"));
	CU_ASSERT_FATAL(!str_hex(ik, sizeof(ik),
				 "f769bcd751044604127672711c6d3441"));
	CU_ASSERT_FATAL(!str_hex(ck, sizeof(ck),
				 "b40ba9a3c58b2a05bbf0d987b21bf8cb"));

	CU_ASSERT_EQUAL(aka_v2_password(pw, sizeof(pw), res, ik, ck), 0);
	CU_ASSERT_STRING_EQUAL(pw, "shzt3q8CWaZnCAWqs3WmEQ==");
	CU_ASSERT_EQUAL(aka_v2_password(pw, 8, res, ik, ck), EOVERFLOW);
}


int test_aka_suite(void)
{
	CU_pSuite su = CU_add_suite("aka", NULL, NULL);

	if (!su)
		return 1;

	return !CU_add_test(su, "vector and USIM check", test_vector) ||
		!CU_add_test(su, "MAC failure", test_mac_failure) ||
		!CU_add_test(su, "resynchronisation", test_resync) ||
		!CU_add_test(su, "SQN: SEQ and IND", test_sqn) ||
		!CU_add_test(su, "AKAv2 password", test_v2_password);
}
