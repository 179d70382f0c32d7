/* SPDX-License-Identifier: BSD-3-Clause */
/* appdb: the "cloud" database every AS shares, in SQLite: the enterprise
 * directory and, per user, the address book, presence and messages, and
 * the JSON documents the modules serve from it (loading: appdb_load.c,
 * the address book itself: book.c). */

#include <stdarg.h>
#include <string.h>
#include <sqlite3.h>
#include <openssl/crypto.h>
#include <re.h>
#include "appdb.h"
#include "appdbint.h"

enum {
	SCHEMA_VERSION = 2,     /* the PRAGMA user_version schema[] sets */
};

static const char *const sqlv[ST_MAX] = {
	"INSERT INTO users (impu, name, phone, src_line, src_col)"
	" VALUES (?, ?, ?, ?, ?)",
	"SELECT src_line, src_col FROM users WHERE impu = ?",
	"INSERT INTO presence (impu, status, note) VALUES (?, ?, ?)",
	"INSERT INTO contact (id, owner, version, sealed) VALUES (?, ?, ?, ?)",
	"INSERT INTO directory (name, department) VALUES (?, ?)",
	"INSERT INTO directory_number (entry, pos, number) VALUES (?, ?, ?)",
	"INSERT INTO message (owner, sender, time, text) VALUES (?, ?, ?, ?)",
	"SELECT impu, name, book_version FROM users WHERE impu = ?",
	"SELECT id, version, deleted, sealed FROM contact"
	" WHERE owner = ? AND version > ? AND deleted <= ? ORDER BY id",
	"SELECT id, name, department FROM directory ORDER BY id",
	"SELECT number FROM directory_number WHERE entry = ? ORDER BY pos",
	"SELECT status, note FROM presence WHERE impu = ?",
	"SELECT sender, time, text FROM message WHERE owner = ?"
	" ORDER BY id",
	"SELECT phone FROM users WHERE impu = ?",
	"SELECT impu FROM users WHERE phone = ?",
	"SELECT n.number FROM directory AS d"
	" JOIN directory_number AS n ON n.entry = d.id"
	" WHERE d.name = ? COLLATE NOCASE AND n.pos = 0 ORDER BY d.id",
	"SELECT COALESCE(MAX(id), 0) + 1 FROM contact",
	"SELECT 1 FROM contact WHERE id = ? AND owner = ? AND deleted = 0",
	"UPDATE contact SET version = ?, deleted = ?, sealed = ? WHERE id = ?",
	"UPDATE users SET book_version = ? WHERE impu = ?",
	"SELECT v FROM meta WHERE k = ?",
	"INSERT OR REPLACE INTO meta (k, v) VALUES (?, ?)",
};

/* IMPUs compare without case, as the AS host's registration table does.
 * A contact row of the personal address book has a stable id, its own
 * version and a tombstone (deleted), the user row the book's version
 * (book.c); all that is personal of an entry, its groups included, is
 * the row's one sealed record (book_seal.c), so nothing of it can be
 * indexed: the owner's rows are found by (owner, id) or (owner,
 * version) and opened.  src_line/src_col let a duplicate name both
 * places.  An INTEGER PRIMARY KEY grows with each insert: ORDER BY id is
 * the order of the topology. */
static const char schema[] =
	"CREATE TABLE IF NOT EXISTS users ("
	" impu TEXT PRIMARY KEY COLLATE NOCASE, name TEXT NOT NULL,"
	" phone TEXT,"
	" book_version INTEGER NOT NULL DEFAULT 1,"
	" src_line INTEGER, src_col INTEGER) WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS users_by_phone ON users (phone);"
	"CREATE TABLE IF NOT EXISTS presence ("
	" impu TEXT PRIMARY KEY COLLATE NOCASE, status TEXT NOT NULL,"
	" note TEXT) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS contact ("
	" id INTEGER PRIMARY KEY,"
	" owner TEXT NOT NULL COLLATE NOCASE REFERENCES users (impu),"
	" version INTEGER NOT NULL,"
	" deleted INTEGER NOT NULL DEFAULT 0,"
	" sealed BLOB);"
	"CREATE INDEX IF NOT EXISTS contact_by_owner ON contact (owner, id);"
	"CREATE INDEX IF NOT EXISTS contact_by_version"
	" ON contact (owner, version);"
	"CREATE TABLE IF NOT EXISTS directory ("
	" id INTEGER PRIMARY KEY, name TEXT NOT NULL, department TEXT);"
	"CREATE TABLE IF NOT EXISTS directory_number ("
	" entry INTEGER NOT NULL REFERENCES directory (id),"
	" pos INTEGER NOT NULL, number TEXT NOT NULL,"
	" PRIMARY KEY (entry, pos)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS message ("
	" id INTEGER PRIMARY KEY, owner TEXT NOT NULL COLLATE NOCASE,"
	" sender TEXT NOT NULL, time TEXT NOT NULL, text TEXT NOT NULL);"
	"CREATE INDEX IF NOT EXISTS message_by_owner ON message (owner, id);"
	"CREATE INDEX IF NOT EXISTS directory_by_name"
	" ON directory (name COLLATE NOCASE);"
	"CREATE TABLE IF NOT EXISTS meta ("
	" k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID;"
	"PRAGMA user_version = 2;";

/* A file of another layout holds an older topology, which the load
 * replaces anyway: its tables go, and the schema is made anew */
static const char drop_sql[] =
	"DROP TABLE IF EXISTS contact_group; DROP TABLE IF EXISTS contact;"
	"DROP TABLE IF EXISTS message; DROP TABLE IF EXISTS directory_number;"
	"DROP TABLE IF EXISTS directory; DROP TABLE IF EXISTS presence;"
	"DROP TABLE IF EXISTS users; DROP TABLE IF EXISTS meta;";

/* The topology is the source of truth: a load replaces what was there */
static const char clear_sql[] =
	"DELETE FROM message; DELETE FROM directory_number;"
	"DELETE FROM directory; DELETE FROM contact; DELETE FROM presence;"
	"DELETE FROM users; DELETE FROM meta;";

const char *const appdb_groupv[] = {
	"favourites", "friends", "blacklist", NULL
};


static void destructor(void *arg)
{
	struct appdb *db = arg;
	size_t i;

	for (i = 0; i < ST_MAX; i++)
		(void)sqlite3_finalize(db->stv[i]);
	(void)sqlite3_close(db->db);
	OPENSSL_cleanse(db->master, sizeof(db->master));
}


static int schema_make(sqlite3 *db)
{
	sqlite3_stmt *st;
	int ver = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) !=
	    SQLITE_OK)
		return EIO;
	if (sqlite3_step(st) == SQLITE_ROW)
		ver = sqlite3_column_int(st, 0);
	(void)sqlite3_finalize(st);

	if (ver != SCHEMA_VERSION &&
	    sqlite3_exec(db, drop_sql, NULL, NULL, NULL) != SQLITE_OK)
		return EIO;

	return sqlite3_exec(db, schema, NULL, NULL, NULL) == SQLITE_OK ? 0 :
		EIO;
}


int appdb_alloc(struct appdb **dbp, const char *path, char *err, size_t sz)
{
	struct appdb *db;
	size_t i;
	int e = 0;

	if (!dbp)
		return EINVAL;

	if (!path)
		path = ":memory:";

	db = mem_zalloc(sizeof(*db), destructor);
	if (!db)
		return ENOMEM;

	/* appdata.key, when the load finds one, replaces it */
	if (book_master_set(db, NULL)) {
		(void)re_snprintf(err, sz, "appdata: no random master key");
		mem_deref(db);
		return EIO;
	}

	if (sqlite3_open_v2(path, &db->db, SQLITE_OPEN_READWRITE |
			    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK ||
	    schema_make(db->db))
		e = EIO;

	for (i = 0; i < ST_MAX && !e; i++) {
		if (sqlite3_prepare_v2(db->db, sqlv[i], -1, &db->stv[i],
				       NULL) != SQLITE_OK)
			e = EIO;
	}

	if (e) {
		(void)re_snprintf(err, sz, "appdata: database '%s': %s", path,
				  db->db ? sqlite3_errmsg(db->db) :
				  "out of memory");
		mem_deref(db);
	}
	else {
		*dbp = db;
	}

	return e;
}


/* ---- statements: bind, step, always reset ---- */

void appdb_st_done(sqlite3_stmt *st)
{
	(void)sqlite3_reset(st);
	(void)sqlite3_clear_bindings(st);
}


/* Binds the arguments in order as fmt says: 's' a string (NULL binds
 * NULL), 'i' an sqlite3_int64, 'b' a blob as pointer and size_t (a NULL
 * pointer binds NULL) */
static int bindv(sqlite3_stmt *st, const char *fmt, va_list ap)
{
	const void *b;
	const char *s;
	size_t n;
	int i, rc = SQLITE_OK;

	for (i = 1; *fmt && rc == SQLITE_OK; fmt++, i++) {
		if (*fmt == 'i') {
			rc = sqlite3_bind_int64(st, i,
						va_arg(ap, sqlite3_int64));
			continue;
		}

		if (*fmt == 'b') {
			b = va_arg(ap, const void *);
			n = va_arg(ap, size_t);
			rc = b ? sqlite3_bind_blob(st, i, b, (int)n,
						   SQLITE_TRANSIENT)
			       : sqlite3_bind_null(st, i);
			continue;
		}

		s = va_arg(ap, const char *);
		rc = s ? sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT)
		       : sqlite3_bind_null(st, i);
	}

	return rc == SQLITE_OK ? 0 : ENOMEM;
}


int appdb_st_bind(sqlite3_stmt *st, const char *fmt, ...)
{
	va_list ap;
	int e;

	va_start(ap, fmt);
	e = bindv(st, fmt, ap);
	va_end(ap);

	if (e)
		appdb_st_done(st);

	return e;
}


/* Binds and steps an INSERT; EEXIST on a PRIMARY KEY conflict */
int appdb_st_insert(sqlite3_stmt *st, const char *fmt, ...)
{
	va_list ap;
	int rc, e;

	va_start(ap, fmt);
	e = bindv(st, fmt, ap);
	va_end(ap);

	rc = e ? SQLITE_OK : sqlite3_step(st);
	appdb_st_done(st);

	if (e || rc == SQLITE_DONE)
		return e;

	return rc == SQLITE_CONSTRAINT ? EEXIST : EIO;
}


/* Empties every table, inside the loader's transaction */
int appdb_clear(struct appdb *db)
{
	return sqlite3_exec(db->db, clear_sql, NULL, NULL, NULL) ==
		SQLITE_OK ? 0 : EIO;
}
