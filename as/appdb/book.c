/* SPDX-License-Identifier: BSD-3-Clause */
/* book: a user's personal address book: its rows read and opened in id
 * order, written one version at a time, each write one transaction, and
 * the documents of the whole book and of what changed since a version.
 *
 * Versions: users.book_version is the book's; a write makes it one more
 * and gives the written row that number, so 'what changed after V' is
 * the rows of version > V.  A deleted row stays as a tombstone (deleted
 * = 1, its personal fields gone) for clients that sync.  A load from the
 * topology is version 1 of every book. */

#include <string.h>
#include <sqlite3.h>
#include <openssl/crypto.h>
#include <re.h>
#include "appdb.h"
#include "appdbint.h"

enum write_op {
	OP_ADD = 0,
	OP_PUT,
	OP_DEL,
};


static void row_destructor(void *arg)
{
	struct book_row *row = arg;

	mem_deref(row->name);
	mem_deref(row->number);
	mem_deref(row->uri);
}


/* ENOKEY when the database's rows were sealed under another master key
 * than this run's (no tag can verify then, and saying so beats calling
 * every row tampered); ENOENT when the database has no key check yet. */
int book_key_verify(struct appdb *db)
{
	sqlite3_stmt *st = db->stv[ST_META_GET];
	uint8_t kc[APPDB_KEY_LEN];
	int rc, err;

	err = book_key_check(kc, db);
	if (!err)
		err = appdb_st_bind(st, "s", "key_check");
	if (err)
		return err;

	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		err = sqlite3_column_bytes(st, 0) == APPDB_KEY_LEN &&
			!CRYPTO_memcmp(sqlite3_column_blob(st, 0), kc,
				       APPDB_KEY_LEN) ? 0 : ENOKEY;
	else
		err = rc == SQLITE_DONE ? ENOENT : EIO;

	appdb_st_done(st);

	return err;
}


/* The key check of this run's master key: never the key itself */
int book_key_store(struct appdb *db)
{
	uint8_t kc[APPDB_KEY_LEN];
	int err;

	err = book_key_check(kc, db);
	if (err)
		return err;

	return appdb_st_insert(db->stv[ST_META_SET], "sb", "key_check", kc,
			       sizeof(kc));
}


int book_load(struct list *rows, struct appdb *db, const char *owner,
	      int64_t since, bool tombstones)
{
	sqlite3_stmt *st = db->stv[ST_BOOK];
	uint8_t key[APPDB_KEY_LEN];
	struct book_row *row;
	int rc = SQLITE_DONE, err;

	err = book_user_key(key, db, owner);
	if (!err)
		err = appdb_st_bind(st, "sii", owner, (sqlite3_int64)since,
				    (sqlite3_int64)tombstones);
	if (err)
		goto out;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row = mem_zalloc(sizeof(*row), row_destructor);
		if (!row) {
			err = ENOMEM;
			break;
		}

		row->id = sqlite3_column_int64(st, 0);
		row->version = sqlite3_column_int64(st, 1);
		row->deleted = sqlite3_column_int(st, 2) != 0;
		list_append(rows, &row->le, row);

		if (row->deleted)
			continue;

		err = book_open(row, key, owner, sqlite3_column_blob(st, 3),
				(size_t)sqlite3_column_bytes(st, 3));
		if (err)
			break;
	}

	if (!err && rc != SQLITE_DONE)
		err = EIO;

	appdb_st_done(st);

	/* a row that does not open is never shown, not even in part */
	if (err == EBADMSG)
		err = book_key_verify(db) == ENOKEY ? ENOKEY : EIO;

 out:
	OPENSSL_cleanse(key, sizeof(key));
	if (err)
		list_flush(rows);

	return err;
}


bool book_has(const struct book_row *row, enum book_group grp)
{
	size_t i;

	for (i = 0; i < row->grpc; i++) {
		if (row->grpv[i] == grp)
			return true;
	}

	return false;
}


/* Inside the caller's transaction */
int book_insert(struct appdb *db, const char *owner,
		const struct book_entry *e, int64_t version, int64_t *idp)
{
	sqlite3_stmt *st = db->stv[ST_NEXT_ID];
	uint8_t key[APPDB_KEY_LEN];
	struct mbuf *blob = NULL;
	int64_t id;
	int err;

	/* the id is in the AAD, so it is chosen before the row is sealed;
	 * the transaction keeps it free until the INSERT */
	if (sqlite3_step(st) != SQLITE_ROW) {
		appdb_st_done(st);
		return EIO;
	}
	id = sqlite3_column_int64(st, 0);
	appdb_st_done(st);

	err = book_user_key(key, db, owner);
	if (!err)
		err = book_seal(&blob, key, owner, id, version, e);
	if (!err)
		err = appdb_st_insert(db->stv[ST_INS_CONTACT], "isib",
				      (sqlite3_int64)id, owner,
				      (sqlite3_int64)version, blob->buf,
				      blob->end);

	OPENSSL_cleanse(key, sizeof(key));
	mem_deref(blob);

	if (!err && idp)
		*idp = id;

	return err;
}


/* The owner as stored, and the book's version */
static int user_get(struct appdb *db, const char *impu, char **ownerp,
		    int64_t *verp)
{
	sqlite3_stmt *st = db->stv[ST_USER];
	int rc, err;

	err = appdb_st_bind(st, "s", impu);
	if (err)
		return err;

	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*verp = sqlite3_column_int64(st, 2);
		err = str_dup(ownerp, (const char *)
			      sqlite3_column_text(st, 0));
	}
	else {
		err = rc == SQLITE_DONE ? ENOENT : EIO;
	}

	appdb_st_done(st);

	return err;
}


/* ENOENT unless row id is the owner's and not deleted */
static int live(struct appdb *db, const char *owner, int64_t id)
{
	sqlite3_stmt *st = db->stv[ST_CONTACT];
	int rc, err;

	err = appdb_st_bind(st, "is", (sqlite3_int64)id, owner);
	if (err)
		return err;

	rc = sqlite3_step(st);
	appdb_st_done(st);

	if (rc == SQLITE_ROW)
		return 0;

	return rc == SQLITE_DONE ? ENOENT : EIO;
}


/* The row's new version; e NULL leaves a tombstone */
static int set_row(struct appdb *db, const char *owner, int64_t id,
		   int64_t version, const struct book_entry *e)
{
	uint8_t key[APPDB_KEY_LEN];
	struct mbuf *blob = NULL;
	int err = 0;

	if (e) {
		err = book_user_key(key, db, owner);
		if (!err)
			err = book_seal(&blob, key, owner, id, version, e);
		OPENSSL_cleanse(key, sizeof(key));
	}

	if (!err)
		err = appdb_st_insert(db->stv[ST_SET_CONTACT], "iibi",
				      (sqlite3_int64)version,
				      (sqlite3_int64)(e == NULL),
				      blob ? blob->buf : NULL,
				      blob ? blob->end : 0,
				      (sqlite3_int64)id);

	mem_deref(blob);

	return err;
}


/* All of it or nothing: the row and the book's version are written in
 * one transaction, BEGIN IMMEDIATE so that no other writer comes
 * between the version read and the version written. */
static int book_write(struct appdb *db, enum write_op op, const char *impu,
		      int64_t id, const struct book_entry *e, int64_t *idp,
		      int64_t *verp)
{
	char *owner = NULL;
	int64_t ver = 0;
	int err;

	if (sqlite3_exec(db->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return EIO;

	err = user_get(db, impu, &owner, &ver);
	if (err)
		goto out;

	/* never a book sealed under two master keys */
	err = book_key_verify(db);
	if (err == ENOENT)
		err = book_key_store(db);
	if (err)
		goto out;

	++ver;

	switch (op) {

	case OP_ADD:
		err = book_insert(db, owner, e, ver, &id);
		break;

	case OP_PUT:
		err = live(db, owner, id);
		if (!err)
			err = set_row(db, owner, id, ver, e);
		break;

	case OP_DEL:
		err = live(db, owner, id);
		if (!err)
			err = set_row(db, owner, id, ver, NULL);
		break;
	}

	if (!err)
		err = appdb_st_insert(db->stv[ST_SET_VERSION], "is",
				      (sqlite3_int64)ver, owner);
	if (!err && sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL) !=
	    SQLITE_OK)
		err = EIO;

 out:
	/* a constraint the write breaks is the store failing it */
	if (err == EEXIST)
		err = EIO;

	if (err) {
		(void)sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
	}
	else {
		if (idp)
			*idp = id;
		*verp = ver;
	}

	mem_deref(owner);

	return err;
}


int book_add(struct appdb *db, const char *owner,
	     const struct book_entry *e, int64_t *idp, int64_t *verp)
{
	if (!db || !owner || !e || !e->name || !verp)
		return EINVAL;

	return book_write(db, OP_ADD, owner, 0, e, idp, verp);
}


int book_put(struct appdb *db, const char *owner, int64_t id,
	     const struct book_entry *e, int64_t *verp)
{
	if (!db || !owner || !e || !e->name || !verp)
		return EINVAL;

	return book_write(db, OP_PUT, owner, id, e, NULL, verp);
}


int book_del(struct appdb *db, const char *owner, int64_t id,
	     int64_t *verp)
{
	if (!db || !owner || !verp)
		return EINVAL;

	return book_write(db, OP_DEL, owner, id, NULL, NULL, verp);
}


/* {"id":N,"name":...,"groups":[...]}, or {"id":N,"deleted":true} */
static int row_print(struct mbuf *mb, const struct book_row *r)
{
	size_t i;
	int err;

	err = mbuf_printf(mb, "{\"id\":%lli", (long long)r->id);
	if (!err && r->deleted)
		return mbuf_write_str(mb, ",\"deleted\":true}");

	if (!err)
		err = appdb_jmember(mb, ",", "name", r->name);
	if (!err)
		err = appdb_jmember(mb, ",", "number", r->number);
	if (!err)
		err = appdb_jmember(mb, ",", "uri", r->uri);
	if (!err)
		err = mbuf_write_str(mb, ",\"groups\":[");
	for (i = 0; i < r->grpc && !err; i++)
		err = mbuf_printf(mb, "%s\"%s\"", i ? "," : "",
				  appdb_groupv[r->grpv[i]]);

	return err ? err : mbuf_write_str(mb, "]}");
}


/* {"impu":"...","version":V,"entries":[rows of version > since]} */
static int book_doc(struct appdb *db, const char *impu, int64_t since,
		    bool tombstones, char **jsonp)
{
	struct list rows = LIST_INIT;
	struct mbuf *mb;
	struct le *le;
	int64_t ver = 0;
	int err;

	mb = mbuf_alloc(512);
	if (!mb)
		return ENOMEM;

	err = appdb_doc_open(db, mb, impu, false, &ver);
	if (!err && since > ver)
		err = ERANGE;
	if (!err)
		err = mbuf_printf(mb, ",\"version\":%lli,\"entries\":[",
				  (long long)ver);
	if (!err)
		err = book_load(&rows, db, impu, since, tombstones);

	for (le = rows.head; le && !err; le = le->next) {
		if (le != rows.head)
			err = mbuf_write_u8(mb, ',');
		if (!err)
			err = row_print(mb, le->data);
	}

	if (!err)
		err = appdb_doc_close(mb, "]}", jsonp);

	list_flush(&rows);
	mem_deref(mb);

	return err;
}


int appdb_addressbook(struct appdb *db, const char *impu, char **jsonp)
{
	if (!db || !impu || !jsonp)
		return EINVAL;

	return book_doc(db, impu, 0, false, jsonp);
}


int book_since(struct appdb *db, const char *owner, int64_t since,
	       char **jsonp)
{
	if (!db || !owner || since < 0 || !jsonp)
		return EINVAL;

	return book_doc(db, owner, since, true, jsonp);
}
