/* SPDX-License-Identifier: BSD-3-Clause */
/* book_seal: the personal address book at rest.  A contact row's
 * personal fields are one AES-256-GCM record under a key of its owner,
 * bound to the row's slot; the master key never reaches the database.
 *
 * - Key: K_owner = HKDF-SHA256 (RFC 5869) of the 256-bit master key,
 *   salt "imsbed-appdb-contact-v1", info the owner's IMPU in lower case
 *   (IMPUs compare without case everywhere in appdb).  One key per user:
 *   a row sealed for one user does not open for another, and no key
 *   serves so many writes that random IVs could repeat (SP 800-38D 8.3
 *   allows 2^32 per key).
 * - IV: 96 bits from RAND_bytes, fresh for every write; tag 128 bits.
 * - AAD: the row id and version (8 bytes each, big-endian), then the
 *   owner: a record copied to another row, another version of its row
 *   or another user's book fails its tag.
 * - Record: format 1; name, number, uri each as a 16-bit length (0xffff:
 *   none) and bytes; the count of groups and their indexes; zero bytes
 *   up to a multiple of 32, so that the length tells little of a name.
 *   The group membership is inside: nothing in the clear says who is
 *   blacklisted.
 * - Blob: IV | ciphertext | tag.
 * - Master key: appdata.key, else RAND_bytes per database.  The database
 *   keeps only a key check (HKDF under another salt), so that a wrong
 *   master key is told apart from a tampered row (book.c). */

#include <string.h>
#include <sqlite3.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
#include <re.h>
#include "appdb.h"
#include "appdbint.h"

enum {
	IV_LEN     = 12,
	TAG_LEN    = 16,
	AAD_IDS    = 16,        /* id, version */
	PAD        = 32,
	REC_FORMAT = 1,
	FIELD_NONE = 0xffff,
};

static const char salt_contact[] = "imsbed-appdb-contact-v1";
static const char salt_check[]   = "imsbed-appdb-key-check-v1";


static int hkdf(uint8_t *out, const uint8_t *ikm, const char *salt,
		const char *info)
{
	EVP_PKEY_CTX *pctx;
	size_t olen = APPDB_KEY_LEN;
	int err = EIO;

	pctx = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, NULL);
	if (!pctx)
		return ENOMEM;

	if (EVP_PKEY_derive_init(pctx) > 0 &&
	    EVP_PKEY_CTX_set_hkdf_md(pctx, EVP_sha256()) > 0 &&
	    EVP_PKEY_CTX_set1_hkdf_salt(pctx, (const uint8_t *)salt,
					(int)strlen(salt)) > 0 &&
	    EVP_PKEY_CTX_set1_hkdf_key(pctx, ikm, APPDB_KEY_LEN) > 0 &&
	    EVP_PKEY_CTX_add1_hkdf_info(pctx, (const uint8_t *)info,
					(int)strlen(info)) > 0 &&
	    EVP_PKEY_derive(pctx, out, &olen) > 0 && olen == APPDB_KEY_LEN)
		err = 0;

	EVP_PKEY_CTX_free(pctx);

	return err;
}


/* The owner as the key and the AAD see it: in lower case */
static int canon(char **cp, const char *owner)
{
	char *c;
	int err;

	err = str_dup(&c, owner);
	if (err)
		return err;

	for (*cp = c; *c; c++) {
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	}

	return 0;
}


/* NULL: a random key, the database's own */
int book_master_set(struct appdb *db, const uint8_t *key)
{
	if (!db)
		return EINVAL;

	if (key) {
		memcpy(db->master, key, APPDB_KEY_LEN);
		return 0;
	}

	return RAND_bytes(db->master, APPDB_KEY_LEN) == 1 ? 0 : EIO;
}


int book_key_check(uint8_t *kc, const struct appdb *db)
{
	return hkdf(kc, db->master, salt_check, "key check");
}


int book_user_key(uint8_t *key, const struct appdb *db, const char *owner)
{
	char *c;
	int err;

	err = canon(&c, owner);
	if (err)
		return err;

	err = hkdf(key, db->master, salt_contact, c);
	mem_deref(c);

	return err;
}


static int aad_print(struct mbuf *mb, const char *owner, int64_t id,
		     int64_t version)
{
	const uint64_t v[2] = {(uint64_t)id, (uint64_t)version};
	char *c;
	int i, err = 0;

	for (i = 0; i < AAD_IDS && !err; i++)
		err = mbuf_write_u8(mb, (uint8_t)(v[i / 8] >>
						  (56 - 8 * (i % 8))));
	if (err)
		return err;

	err = canon(&c, owner);
	if (!err)
		err = mbuf_write_str(mb, c);
	mem_deref(c);

	return err;
}


static int put_field(struct mbuf *mb, const char *s)
{
	size_t n = s ? strlen(s) : FIELD_NONE;
	int err;

	if (s && n >= FIELD_NONE)
		return EOVERFLOW;

	err = mbuf_write_u8(mb, (uint8_t)(n >> 8));
	if (!err)
		err = mbuf_write_u8(mb, (uint8_t)n);
	if (!err && s)
		err = mbuf_write_mem(mb, (const uint8_t *)s, n);

	return err;
}


static int rec_encode(struct mbuf *mb, const struct book_entry *e)
{
	size_t i;
	int err;

	err = mbuf_write_u8(mb, REC_FORMAT);
	if (!err)
		err = put_field(mb, e->name);
	if (!err)
		err = put_field(mb, e->number);
	if (!err)
		err = put_field(mb, e->uri);
	if (!err)
		err = mbuf_write_u8(mb, (uint8_t)e->grpc);
	for (i = 0; i < e->grpc && !err; i++)
		err = mbuf_write_u8(mb, e->grpv[i]);
	while (!err && mb->end % PAD)
		err = mbuf_write_u8(mb, 0);

	return err;
}


static int get_field(char **sp, struct mbuf *mb)
{
	size_t n;

	if (mbuf_get_left(mb) < 2)
		return EBADMSG;

	n = (size_t)mbuf_read_u8(mb) << 8;
	n |= mbuf_read_u8(mb);
	if (n == FIELD_NONE)
		return 0;
	if (mbuf_get_left(mb) < n)
		return EBADMSG;

	return mbuf_strdup(mb, sp, n);
}


/* A record whose tag verified can still be of a format not known here */
static int rec_decode(struct book_row *row, struct mbuf *mb)
{
	size_t i;
	int err;

	if (mbuf_get_left(mb) < 1 || mbuf_read_u8(mb) != REC_FORMAT)
		return EBADMSG;

	err = get_field(&row->name, mb);
	if (!err)
		err = get_field(&row->number, mb);
	if (!err)
		err = get_field(&row->uri, mb);
	if (err)
		return err;

	if (!row->name || mbuf_get_left(mb) < 1)
		return EBADMSG;

	row->grpc = mbuf_read_u8(mb);
	if (row->grpc > BOOK_GROUPS || mbuf_get_left(mb) < row->grpc)
		return EBADMSG;

	for (i = 0; i < row->grpc; i++) {
		row->grpv[i] = mbuf_read_u8(mb);
		if (row->grpv[i] >= BOOK_GROUPS)
			return EBADMSG;
	}

	while (mbuf_get_left(mb)) {
		if (mbuf_read_u8(mb))
			return EBADMSG;
	}

	return 0;
}


/* One AES-256-GCM pass; enc: seal, else open (out has room for len).
 * Opening, EBADMSG when the tag does not verify. */
static int gcm(bool enc, const uint8_t *key, const uint8_t *iv,
	       const struct mbuf *aad, const uint8_t *in, size_t len,
	       uint8_t *out, uint8_t *tag)
{
	EVP_CIPHER_CTX *ctx;
	int n, err = EIO;

	ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return ENOMEM;

	if (EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL,
			      enc) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, IV_LEN,
				NULL) != 1 ||
	    EVP_CipherInit_ex(ctx, NULL, NULL, key, iv, enc) != 1 ||
	    EVP_CipherUpdate(ctx, NULL, &n, aad->buf, (int)aad->end) != 1 ||
	    EVP_CipherUpdate(ctx, out, &n, in, (int)len) != 1)
		goto out;

	if (!enc && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, TAG_LEN,
					tag) != 1)
		goto out;

	/* opening, Final is where the tag is checked */
	if (EVP_CipherFinal_ex(ctx, out + n, &n) != 1) {
		err = enc ? EIO : EBADMSG;
		goto out;
	}

	if (enc && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TAG_LEN,
				       tag) != 1)
		goto out;

	err = 0;

 out:
	EVP_CIPHER_CTX_free(ctx);

	return err;
}


int book_seal(struct mbuf **blobp, const uint8_t *key, const char *owner,
	      int64_t id, int64_t version, const struct book_entry *e)
{
	struct mbuf *rec, *aad, *blob = NULL;
	int err;

	if (!blobp || !key || !owner || !e || !e->name)
		return EINVAL;

	rec = mbuf_alloc(128);
	aad = mbuf_alloc(64);
	if (!rec || !aad) {
		err = ENOMEM;
		goto out;
	}

	err = rec_encode(rec, e);
	if (!err)
		err = aad_print(aad, owner, id, version);
	if (err)
		goto out;

	blob = mbuf_alloc(IV_LEN + rec->end + TAG_LEN);
	if (!blob) {
		err = ENOMEM;
		goto out;
	}

	if (RAND_bytes(blob->buf, IV_LEN) != 1) {
		err = EIO;
		goto out;
	}

	err = gcm(true, key, blob->buf, aad, rec->buf, rec->end,
		  blob->buf + IV_LEN, blob->buf + IV_LEN + rec->end);
	if (err)
		goto out;

	blob->end = IV_LEN + rec->end + TAG_LEN;

 out:
	if (rec)
		OPENSSL_cleanse(rec->buf, rec->size);
	mem_deref(rec);
	mem_deref(aad);
	if (err)
		mem_deref(blob);
	else
		*blobp = blob;

	return err;
}


/* row->id and row->version are the row's own: they are in the AAD.
 * EBADMSG when the tag does not verify. */
int book_open(struct book_row *row, const uint8_t *key, const char *owner,
	      const uint8_t *blob, size_t len)
{
	struct mbuf *aad, *rec = NULL;
	uint8_t tag[TAG_LEN];
	size_t clen;
	int err;

	if (!row || !key || !owner)
		return EINVAL;

	if (!blob || len < IV_LEN + PAD + TAG_LEN)
		return EBADMSG;

	clen = len - IV_LEN - TAG_LEN;

	aad = mbuf_alloc(64);
	if (!aad)
		return ENOMEM;

	err = aad_print(aad, owner, row->id, row->version);
	if (err)
		goto out;

	rec = mbuf_alloc(clen);
	if (!rec) {
		err = ENOMEM;
		goto out;
	}

	/* a copy of the tag: OpenSSL's ctrl takes it writable */
	memcpy(tag, blob + IV_LEN + clen, TAG_LEN);
	err = gcm(false, key, blob, aad, blob + IV_LEN, clen, rec->buf,
		  tag);
	if (err)
		goto out;

	rec->end = clen;
	err = rec_decode(row, rec);

 out:
	if (rec)
		OPENSSL_cleanse(rec->buf, rec->size);
	mem_deref(rec);
	mem_deref(aad);

	return err;
}
