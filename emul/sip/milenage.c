/* SPDX-License-Identifier: BSD-3-Clause */
/* Milenage (TS 35.206 section 4), the functions f1-f5* every IMS AKA
 * registration runs in the HSS and in the USIM, with the constants of
 * its section 4.1 (r1..r5 = 64, 0, 32, 64, 96 bits; c1..c5 with the
 * last bit set 0, 127, 126, 125, 124).  The block cipher is AES-128
 * from OpenSSL: a test-bed should not carry an AES of its own. */

#include <string.h>
#include <openssl/evp.h>
#include <re.h>
#include "aka.h"

enum { BLK = AKA_KEY };

/* One cipher for one K: each function encrypts several blocks. */
struct cipher {
	EVP_CIPHER_CTX *ctx;
};


static int cipher_init(struct cipher *c, const uint8_t k[BLK])
{
	c->ctx = EVP_CIPHER_CTX_new();
	if (!c->ctx)
		return ENOMEM;

	if (EVP_EncryptInit_ex(c->ctx, EVP_aes_128_ecb(), NULL, k,
			       NULL) != 1 ||
	    EVP_CIPHER_CTX_set_padding(c->ctx, 0) != 1) {
		EVP_CIPHER_CTX_free(c->ctx);
		c->ctx = NULL;
		return EPROTO;
	}

	return 0;
}


static void cipher_close(struct cipher *c)
{
	EVP_CIPHER_CTX_free(c->ctx);
	c->ctx = NULL;
}


static int encrypt(struct cipher *c, uint8_t out[BLK], const uint8_t in[BLK])
{
	int len = 0;

	if (EVP_EncryptUpdate(c->ctx, out, &len, in, BLK) != 1 || len != BLK)
		return EPROTO;

	return 0;
}


static void xor(uint8_t *dst, const uint8_t *a, const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		dst[i] = a[i] ^ b[i];
}


/* rot(x, r): x cyclically rotated r bits towards the most significant
 * end; every r of Milenage is a whole number of bytes. */
static void rot(uint8_t out[BLK], const uint8_t in[BLK], unsigned r)
{
	unsigned i, s = r / 8;

	for (i = 0; i < BLK; i++)
		out[i] = in[(i + s) % BLK];
}


int milenage_opc(uint8_t opc[AKA_KEY], const uint8_t k[AKA_KEY],
		 const uint8_t op[AKA_KEY])
{
	struct cipher c;
	int err;

	if (!opc || !k || !op)
		return EINVAL;

	err = cipher_init(&c, k);
	if (err)
		return err;

	err = encrypt(&c, opc, op);
	cipher_close(&c);
	if (!err)
		xor(opc, opc, op, BLK);

	return err;
}


/* The cipher for K, and TEMP = E_K(RAND xor OPc), which f1 and f2-f5
 * both start from; the cipher is closed again on error. */
static int begin(struct cipher *c, uint8_t temp[BLK], const uint8_t k[BLK],
		 const uint8_t opc[BLK], const uint8_t rand[BLK])
{
	uint8_t x[BLK];
	int err;

	err = cipher_init(c, k);
	if (err)
		return err;

	xor(x, rand, opc, BLK);
	err = encrypt(c, temp, x);
	if (err)
		cipher_close(c);

	return err;
}


int milenage_f1(uint8_t mac_a[AKA_MAC], uint8_t mac_s[AKA_MAC],
		const uint8_t k[AKA_KEY], const uint8_t opc[AKA_KEY],
		const uint8_t rand[AKA_KEY], const uint8_t sqn[AKA_SQN],
		const uint8_t amf[AKA_AMF])
{
	uint8_t temp[BLK], in1[BLK], x[BLK], y[BLK], out1[BLK];
	struct cipher c;
	int err;

	if (!k || !opc || !rand || !sqn || !amf)
		return EINVAL;

	err = begin(&c, temp, k, opc, rand);
	if (err)
		return err;

	/* IN1 = SQN || AMF || SQN || AMF */
	memcpy(in1, sqn, AKA_SQN);
	memcpy(in1 + AKA_SQN, amf, AKA_AMF);
	memcpy(in1 + AKA_SQN + AKA_AMF, in1, AKA_SQN + AKA_AMF);

	/* OUT1 = E_K(TEMP xor rot(IN1 xor OPc, r1) xor c1) xor OPc */
	xor(x, in1, opc, BLK);
	rot(y, x, 64);
	xor(y, y, temp, BLK);
	err = encrypt(&c, out1, y);
	if (err)
		goto out;
	xor(out1, out1, opc, BLK);

	if (mac_a)
		memcpy(mac_a, out1, AKA_MAC);
	if (mac_s)
		memcpy(mac_s, out1 + AKA_MAC, AKA_MAC);

 out:
	cipher_close(&c);
	return err;
}


/* OUTn = E_K(rot(TEMP xor OPc, rn) xor cn) xor OPc */
static int out_n(struct cipher *c, uint8_t out[BLK], const uint8_t temp[BLK],
		 const uint8_t opc[BLK], unsigned r, uint8_t cbit)
{
	uint8_t x[BLK], y[BLK];
	int err;

	xor(x, temp, opc, BLK);
	rot(y, x, r);
	y[BLK - 1] ^= cbit;

	err = encrypt(c, out, y);
	if (!err)
		xor(out, out, opc, BLK);

	return err;
}


int milenage_f2345(uint8_t res[AKA_RES], uint8_t ck[AKA_KEY],
		   uint8_t ik[AKA_KEY], uint8_t ak[AKA_AK],
		   uint8_t ak_s[AKA_AK], const uint8_t k[AKA_KEY],
		   const uint8_t opc[AKA_KEY], const uint8_t rand[AKA_KEY])
{
	uint8_t temp[BLK], out[BLK];
	struct cipher c;
	int err;

	if (!k || !opc || !rand)
		return EINVAL;

	err = begin(&c, temp, k, opc, rand);
	if (err)
		return err;

	/* OUT2: AK is its first 48 bits, RES its last 64 (f5, f2). */
	err = out_n(&c, out, temp, opc, 0, 1);
	if (err)
		goto out;
	if (ak)
		memcpy(ak, out, AKA_AK);
	if (res)
		memcpy(res, out + AKA_KEY - AKA_RES, AKA_RES);

	if (ck && (err = out_n(&c, ck, temp, opc, 32, 2)))
		goto out;
	if (ik && (err = out_n(&c, ik, temp, opc, 64, 4)))
		goto out;
	if (ak_s) {
		err = out_n(&c, out, temp, opc, 96, 8);
		if (!err)
			memcpy(ak_s, out, AKA_AK);
	}

 out:
	cipher_close(&c);
	return err;
}
