/* SPDX-License-Identifier: BSD-3-Clause */
/* MAR/MAA with AKA: the HSS's vector (checked by a USIM with the same
 * K), SQN stored and advanced per vector, the scheme asked for or the
 * subscriber's first, resynchronisation from AUTS and a forged AUTS
 * refused; and the loader's errors for AKA key material, each naming
 * its line. */

#include <stdio.h>
#include <string.h>
#include <re.h>
#include "yml.h"
#include "aka.h"
#include "hss.h"
#include "tests.h"

/* TS 35.208 test set 1's K and OP for ann; a K per user for the
 * template; dan offers digest first, then AKAv2. */
static const char topo[] =
	"subscribers:\n"
	"  - {impi: ann@ims.test, impu: sip:ann@ims.test, auth: aka,\n"
	"     k: 465b5ce8b199b49faa5f0a2ee238a6bc,\n"
	"     op: cdc202d5123e20f62b6d676ac72cb318, amf: b9b9, sqn: 64}\n"
	"  - {impi: u%02d@ims.test, impu: sip:u%02d@ims.test, count: 3,\n"
	"     k: 000102030405060708090a0b0c0d%04d,\n"
	"     opc: cd63cb71954a9f4e48a5994e37a02baf}\n"
	"  - {impi: dan@ims.test, impu: sip:dan@ims.test, password: pw,\n"
	"     auth: [digest, aka-v2], k: 465b5ce8b199b49faa5f0a2ee238a6bc,\n"
	"     opc: cd63cb71954a9f4e48a5994e37a02baf}\n";

#define ANN "ann@ims.test", "sip:ann@ims.test"
#define AKAV1 "Digest-AKAv1-MD5"


static struct hss *load(void)
{
	struct hss *hss = NULL;
	char err[256] = "";

	if (hssfx_from(&hss, "hss", NULL, topo, err, sizeof(err)))
		fprintf(stderr, "\nhss: %s\n", err);
	CU_ASSERT_PTR_NOT_NULL(hss);

	return hss;
}


static void usim_of(struct aka_key *key, const char *k)
{
	char why[128];

	CU_ASSERT_FATAL(!aka_key_parse(key, k,
				       "cdc202d5123e20f62b6d676ac72cb318",
				       NULL, "b9b9", why, sizeof(why)));
}


static void test_vectors(void)
{
	struct hss *hss = load();
	struct aka_usim u = {0};
	struct aka_key key;
	struct cx_maa maa, maa2;
	enum aka_verdict vd;
	uint8_t res[AKA_RES];

	if (!hss)
		return;
	usim_of(&key, "465b5ce8b199b49faa5f0a2ee238a6bc");

	CU_ASSERT_EQUAL(hssfx_mar(hss, ANN, "Unknown", NULL, &maa),
			CX_SUCCESS);
	CU_ASSERT_EQUAL(maa.scheme, CX_SCHEME_AKAV1);
	CU_ASSERT_EQUAL(aka_usim_check(&vd, &u, &key, maa.vec.rand,
				       maa.vec.autn, res, NULL, NULL, NULL),
			0);
	CU_ASSERT_EQUAL(vd, AKA_OK);
	CU_ASSERT(!memcmp(res, maa.vec.xres, AKA_RES));
	/* sqn 64 is SEQ 2, IND 0: the first vector is SEQ 3, IND 1 */
	CU_ASSERT_EQUAL(u.sqn_ms, (3 << AKA_IND_BITS) | 1);

	/* The next MAR: the next SQN, a fresh RAND. */
	CU_ASSERT_EQUAL(hssfx_mar(hss, ANN, AKAV1, NULL, &maa2), CX_SUCCESS);
	CU_ASSERT(memcmp(maa.vec.rand, maa2.vec.rand, AKA_KEY));
	CU_ASSERT_EQUAL(aka_usim_check(&vd, &u, &key, maa2.vec.rand,
				       maa2.vec.autn, NULL, NULL, NULL, NULL),
			0);
	CU_ASSERT_EQUAL(vd, AKA_OK);
	CU_ASSERT_EQUAL(u.sqn_ms, (4 << AKA_IND_BITS) | 2);

	/* Schemes: ann has no digest, dan both with digest first. */
	CU_ASSERT_EQUAL(hssfx_mar(hss, ANN, "SIP Digest", NULL, &maa),
			CX_ERROR_AUTH_SCHEME_NOT_SUPPORTED);
	CU_ASSERT_EQUAL(hssfx_mar(hss, "dan@ims.test", "sip:dan@ims.test",
				  "Unknown", NULL, &maa), CX_SUCCESS);
	CU_ASSERT_EQUAL(maa.scheme, CX_SCHEME_DIGEST);
	CU_ASSERT_EQUAL(hssfx_mar(hss, "dan@ims.test", "sip:dan@ims.test",
				  "Digest-AKAv2-MD5", NULL, &maa),
			CX_SUCCESS);
	CU_ASSERT_EQUAL(maa.scheme, CX_SCHEME_AKAV2);
	CU_ASSERT_EQUAL(hssfx_mar(hss, "dan@ims.test", "sip:dan@ims.test",
				  AKAV1, NULL, &maa),
			CX_ERROR_AUTH_SCHEME_NOT_SUPPORTED);

	mem_deref(hss);
}


/* SIP-Number-Auth-Items: three vectors, SQNs in the USIM's order, and
 * the HSS's next vector after the last of them. */
static void test_several(void)
{
	struct hss *hss = load();
	struct aka_usim u = {0};
	struct aka_key key;
	struct cx_maa maa, next;
	enum aka_verdict vd;
	unsigned i;

	if (!hss)
		return;
	usim_of(&key, "465b5ce8b199b49faa5f0a2ee238a6bc");

	CU_ASSERT_EQUAL(hss_mar_vectors(hss, ANN, AKAV1, NULL, 3, &maa), 0);
	CU_ASSERT_EQUAL(maa.result, CX_SUCCESS);
	CU_ASSERT_EQUAL_FATAL(maa.nspare, 2);
	for (i = 0; i < 3; i++) {
		const struct aka_vec *v = i ? &maa.spare[i - 1] : &maa.vec;

		CU_ASSERT_EQUAL(aka_usim_check(&vd, &u, &key, v->rand,
					       v->autn, NULL, NULL, NULL,
					       NULL), 0);
		CU_ASSERT_EQUAL(vd, AKA_OK);
	}
	/* sqn 64 (SEQ 2, IND 0): SEQ 3, 4, 5 with IND 1, 2, 3 */
	CU_ASSERT_EQUAL(u.sqn_ms, (5 << AKA_IND_BITS) | 3);

	CU_ASSERT_EQUAL(hssfx_mar(hss, ANN, AKAV1, NULL, &next), CX_SUCCESS);
	CU_ASSERT_EQUAL(next.nspare, 0);
	CU_ASSERT_EQUAL(aka_usim_check(&vd, &u, &key, next.vec.rand,
				       next.vec.autn, NULL, NULL, NULL, NULL),
			0);
	CU_ASSERT_EQUAL(vd, AKA_OK);
	CU_ASSERT_EQUAL(u.sqn_ms, (6 << AKA_IND_BITS) | 4);

	CU_ASSERT_EQUAL(hss_mar_vectors(hss, ANN, AKAV1, NULL, 0, &maa),
			EINVAL);
	CU_ASSERT_EQUAL(hss_mar_vectors(hss, ANN, AKAV1, NULL, CX_VECTORS + 1,
					&maa), EINVAL);

	mem_deref(hss);
}


/* Each user of a template has its own K: u02's USIM refuses a vector
 * made for u01. */
static void test_template(void)
{
	struct hss *hss = load();
	struct aka_usim u = {0};
	struct aka_key k2;
	struct cx_maa maa;
	enum aka_verdict vd;
	char why[128];

	if (!hss)
		return;
	CU_ASSERT_FATAL(!aka_key_parse(&k2, "000102030405060708090a0b0c0d0002",
				       NULL,
				       "cd63cb71954a9f4e48a5994e37a02baf",
				       NULL, why, sizeof(why)));

	CU_ASSERT_EQUAL(hssfx_mar(hss, "u01@ims.test", "sip:u01@ims.test",
				  NULL, NULL, &maa), CX_SUCCESS);
	CU_ASSERT_EQUAL(aka_usim_check(&vd, &u, &k2, maa.vec.rand,
				       maa.vec.autn, NULL, NULL, NULL, NULL),
			0);
	CU_ASSERT_EQUAL(vd, AKA_MAC_FAILURE);

	CU_ASSERT_EQUAL(hssfx_mar(hss, "u02@ims.test", "sip:u02@ims.test",
				  NULL, NULL, &maa), CX_SUCCESS);
	CU_ASSERT_EQUAL(aka_usim_check(&vd, &u, &k2, maa.vec.rand,
				       maa.vec.autn, NULL, NULL, NULL, NULL),
			0);
	CU_ASSERT_EQUAL(vd, AKA_OK);

	mem_deref(hss);
}


static void test_resync(void)
{
	struct hss *hss = load();
	struct aka_usim u = {.sqn_ms = 1000 << AKA_IND_BITS};
	uint8_t auts[AKA_AUTS];
	struct aka_key key;
	struct cx_maa maa;
	enum aka_verdict vd;

	if (!hss)
		return;
	usim_of(&key, "465b5ce8b199b49faa5f0a2ee238a6bc");
	u.seqv[1] = 1000;

	/* The USIM has seen SEQ 1000: the HSS's SEQ 3 is old to it. */
	CU_ASSERT_EQUAL(hssfx_mar(hss, ANN, AKAV1, NULL, &maa), CX_SUCCESS);
	CU_ASSERT_EQUAL(aka_usim_check(&vd, &u, &key, maa.vec.rand,
				       maa.vec.autn, NULL, NULL, NULL, auts),
			0);
	CU_ASSERT_EQUAL_FATAL(vd, AKA_SYNC_FAILURE);

	CU_ASSERT_EQUAL(hss_mar_resync(hss, ANN, AKAV1, NULL, maa.vec.rand,
				       auts, &maa), 0);
	CU_ASSERT_EQUAL(maa.result, CX_SUCCESS);
	CU_ASSERT_EQUAL(aka_usim_check(&vd, &u, &key, maa.vec.rand,
				       maa.vec.autn, NULL, NULL, NULL, auts),
			0);
	CU_ASSERT_EQUAL(vd, AKA_OK);
	CU_ASSERT_EQUAL(u.sqn_ms >> AKA_IND_BITS, 1001);

	/* A forged AUTS moves nothing. */
	auts[0] ^= 1;
	auts[AKA_AUTS - 1] ^= 1;
	CU_ASSERT_EQUAL(hss_mar_resync(hss, ANN, AKAV1, NULL, maa.vec.rand,
				       auts, &maa), 0);
	CU_ASSERT_EQUAL(maa.result, CX_UNABLE_TO_COMPLY);

	mem_deref(hss);
}


static void test_load_errors(void)
{
	static const struct {
		const char *text, *want;
	} tv[] = {
		{"subscribers:\n  - {impi: a@x, impu: sip:a@x, auth: aka,\n"
		 "     k: 465b5ce8b199b49faa5f0a2ee238a6bc}\n",
		 "t.yaml:3:9: subscribers[0]: auth aka needs k and exactly"
		 " one of op and opc"},
		{"subscribers:\n  - {impi: a@x, impu: sip:a@x,\n"
		 "     k: 465b5ce8b199b49faa5f0a2ee238a6bc,\n"
		 "     op: cdc202d5123e20f62b6d676ac72cb318,\n"
		 "     opc: cd63cb71954a9f4e48a5994e37a02baf}\n",
		 "t.yaml:4:10: subscribers[0]: auth aka needs k and exactly"
		 " one of op and opc"},
		{"subscribers:\n  - {impi: a@x, impu: sip:a@x,\n"
		 "     k: 465b5ce8b199b49faa5f0a2ee238a6b,\n"
		 "     opc: cd63cb71954a9f4e48a5994e37a02baf}\n",
		 "t.yaml:3:9: subscribers[0]: k must be 32 hex digits, not"
		 " '465b5ce8b199b49faa5f0a2ee238a6b'"},
		{"subscribers:\n  - {impi: a@x, impu: sip:a@x,"
		 " auth: [aka, sim],\n"
		 "     k: 465b5ce8b199b49faa5f0a2ee238a6bc,\n"
		 "     opc: cd63cb71954a9f4e48a5994e37a02baf}\n",
		 "t.yaml:2:44: subscribers[0].auth: 'sim' is none of digest,"
		 " aka, aka-v2"},
		{"subscribers:\n  - {impi: a@x, impu: sip:a@x,"
		 " auth: [aka, digest],\n"
		 "     k: 465b5ce8b199b49faa5f0a2ee238a6bc,\n"
		 "     opc: cd63cb71954a9f4e48a5994e37a02baf}\n",
		 "t.yaml:2:5: subscribers[0]: missing 'password' (auth"
		 " aka,digest)"},
		{"subscribers:\n  - {impi: a@x, impu: sip:a@x, password: p,\n"
		 "     opc: cd63cb71954a9f4e48a5994e37a02baf}\n",
		 "t.yaml:3:11: subscribers[0]: AKA keys for auth digest"},
		{"subscribers:\n  - {impi: a@x, impu: sip:a@x, sqn: -1,\n"
		 "     k: 465b5ce8b199b49faa5f0a2ee238a6bc,\n"
		 "     opc: cd63cb71954a9f4e48a5994e37a02baf}\n",
		 "t.yaml:2:37: subscribers[0].sqn: '-1' is not a 48-bit number"
		 " (decimal, or hex after 0x)"},
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tv); i++) {
		struct hss *hss = NULL;
		char err[256] = "";

		CU_ASSERT_NOT_EQUAL(hssfx_from(&hss, "hss", NULL, tv[i].text,
					       err, sizeof(err)), 0);
		CU_ASSERT_PTR_NULL(hss);
		if (strcmp(err, tv[i].want))
			fprintf(stderr, "\ncase %zu: got '%s'\n", i, err);
		ASSERT_STR(err, tv[i].want);
	}
}


int test_cx_aka_suite(void)
{
	CU_pSuite su = CU_add_suite("cx-aka", NULL, NULL);

	if (!su)
		return 1;

	return !CU_add_test(su, "MAR: vectors, SQN, schemes",
			    test_vectors) ||
		!CU_add_test(su, "MAR: several vectors", test_several) ||
		!CU_add_test(su, "MAR: a K per templated user",
			     test_template) ||
		!CU_add_test(su, "MAR: resynchronisation", test_resync) ||
		!CU_add_test(su, "load errors", test_load_errors);
}
