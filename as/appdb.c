/* SPDX-License-Identifier: BSD-3-Clause */
/* appdb: the "cloud" database every AS shares, in SQLite: the enterprise
 * directory and, per user, the address book, presence and messages, and
 * the JSON documents the modules serve from it (loading: appdb_load.c). */

#include <stdarg.h>
#include <sqlite3.h>
#include <string.h>
#include <re.h>
#include "as.h"
#include "appdb.h"

static const char *const sqlv[ST_MAX] = {
	"INSERT INTO users (impu, name, phone, src_line, src_col)"
	" VALUES (?, ?, ?, ?, ?)",
	"SELECT src_line, src_col FROM users WHERE impu = ?",
	"INSERT INTO presence (impu, status, note) VALUES (?, ?, ?)",
	"INSERT INTO contact (owner, name, number, uri) VALUES (?, ?, ?, ?)",
	"INSERT INTO contact_group (owner, grp, contact, pos)"
	" VALUES (?, ?, ?, ?)",
	"INSERT INTO directory (name, department) VALUES (?, ?)",
	"INSERT INTO directory_number (entry, pos, number) VALUES (?, ?, ?)",
	"INSERT INTO message (owner, sender, time, text) VALUES (?, ?, ?, ?)",
	"SELECT impu, name FROM users WHERE impu = ?",
	"SELECT c.name, c.uri, c.number FROM contact_group AS g"
	" JOIN contact AS c ON c.id = g.contact"
	" WHERE g.owner = ? AND g.grp = ? AND c.deleted = 0"
	" ORDER BY g.contact",
	"SELECT id, name, number, uri FROM contact"
	" WHERE owner = ? AND deleted = 0 ORDER BY id",
	"SELECT grp FROM contact_group WHERE contact = ? ORDER BY pos",
	"SELECT id, name, department FROM directory ORDER BY id",
	"SELECT number FROM directory_number WHERE entry = ? ORDER BY pos",
	"SELECT c.uri, c.name, COALESCE(p.status, 'unknown'), p.note"
	" FROM contact_group AS g JOIN contact AS c ON c.id = g.contact"
	" LEFT JOIN presence AS p ON p.impu = c.uri"
	" WHERE g.owner = ? AND g.grp = 'friends' AND c.deleted = 0"
	" AND c.uri IS NOT NULL ORDER BY g.contact",
	"SELECT sender, time, text FROM message WHERE owner = ?"
	" ORDER BY id",
	"SELECT phone FROM users WHERE impu = ?",
	"SELECT number FROM contact WHERE owner = ? AND deleted = 0"
	" AND number IS NOT NULL AND name = ? COLLATE NOCASE ORDER BY id",
	"SELECT n.number FROM directory AS d"
	" JOIN directory_number AS n ON n.entry = d.id"
	" WHERE d.name = ? COLLATE NOCASE AND n.pos = 0 ORDER BY d.id",
};

/* IMPUs compare without case, as the AS host's registration table does.
 * The personal address book is built for the CRUD and sync still to
 * come: a contact row has a stable id, its own version and a tombstone
 * (deleted), the user row the book's version; everything personal of an
 * entry is in its one contact row, so that encrypting the book at rest
 * is a per-row matter.  src_line/src_col let a duplicate name both
 * places.  An INTEGER PRIMARY KEY grows with each insert: ORDER BY id is
 * the order of the topology. */
static const char schema[] =
	"CREATE TABLE IF NOT EXISTS users ("
	" impu TEXT PRIMARY KEY COLLATE NOCASE, name TEXT NOT NULL,"
	" phone TEXT,"
	" book_version INTEGER NOT NULL DEFAULT 0,"
	" src_line INTEGER, src_col INTEGER) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS presence ("
	" impu TEXT PRIMARY KEY COLLATE NOCASE, status TEXT NOT NULL,"
	" note TEXT) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS contact ("
	" id INTEGER PRIMARY KEY,"
	" owner TEXT NOT NULL COLLATE NOCASE REFERENCES users (impu),"
	" version INTEGER NOT NULL DEFAULT 1,"
	" deleted INTEGER NOT NULL DEFAULT 0,"
	" name TEXT NOT NULL, number TEXT, uri TEXT);"
	"CREATE INDEX IF NOT EXISTS contact_by_owner ON contact (owner, id);"
	"CREATE TABLE IF NOT EXISTS contact_group ("
	" owner TEXT NOT NULL COLLATE NOCASE, grp TEXT NOT NULL,"
	" contact INTEGER NOT NULL REFERENCES contact (id),"
	" pos INTEGER NOT NULL,"
	" PRIMARY KEY (owner, grp, contact)) WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS group_by_contact"
	" ON contact_group (contact, pos);"
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
	"CREATE INDEX IF NOT EXISTS contact_by_name"
	" ON contact (owner, name COLLATE NOCASE);"
	"CREATE INDEX IF NOT EXISTS directory_by_name"
	" ON directory (name COLLATE NOCASE);";

/* The topology is the source of truth: a load replaces what was there */
static const char clear_sql[] =
	"DELETE FROM message; DELETE FROM directory_number;"
	"DELETE FROM directory; DELETE FROM contact_group;"
	"DELETE FROM contact; DELETE FROM presence; DELETE FROM users;";

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

	if (sqlite3_open_v2(path, &db->db, SQLITE_OPEN_READWRITE |
			    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK ||
	    sqlite3_exec(db->db, schema, NULL, NULL, NULL) != SQLITE_OK)
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
 * NULL), 'i' an sqlite3_int64 */
static int bindv(sqlite3_stmt *st, const char *fmt, va_list ap)
{
	const char *s;
	int i, rc = SQLITE_OK;

	for (i = 1; *fmt && rc == SQLITE_OK; fmt++, i++) {
		if (*fmt == 'i') {
			rc = sqlite3_bind_int64(st, i,
						va_arg(ap, sqlite3_int64));
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


static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}


/* ---- JSON documents ---- */

/* A row of a list printed into mb; arg says what the caller needs */
typedef int (row_h)(struct appdb *db, struct mbuf *mb, sqlite3_stmt *st,
		    const void *arg);


/* "key":"value", or null for a NULL column; libre's utf8_encode is the
 * JSON string escape (RFC 8259 7) */
static int jmember(struct mbuf *mb, const char *sep, const char *key,
		   const char *val)
{
	if (!val)
		return mbuf_printf(mb, "%s\"%s\":null", sep, key);

	return mbuf_printf(mb, "%s\"%s\":\"%H\"", sep, key, utf8_encode,
			   val);
}


/* Prints every row of st, bound by the caller, comma separated */
static int rows(struct appdb *db, struct mbuf *mb, sqlite3_stmt *st,
		row_h *rowh, const void *arg)
{
	bool first = true;
	int rc, e = 0;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!first)
			e = mbuf_write_u8(mb, ',');
		first = false;
		if (!e)
			e = rowh(db, mb, st, arg);
		if (e)
			break;
	}

	if (!e && rc != SQLITE_DONE)
		e = EIO;

	appdb_st_done(st);

	return e;
}


/* A row as an object: column i is member keyv[i] */
static int obj_row(struct appdb *db, struct mbuf *mb, sqlite3_stmt *st,
		   const void *arg)
{
	const char *const *keyv = arg;
	int i, e = 0;
	(void)db;

	for (i = 0; keyv[i] && !e; i++)
		e = jmember(mb, i ? "," : "{", keyv[i], col(st, i));

	return e ? e : mbuf_write_u8(mb, '}');
}


static int str_row(struct appdb *db, struct mbuf *mb, sqlite3_stmt *st,
		   const void *arg)
{
	(void)db;
	(void)arg;

	return mbuf_printf(mb, "\"%H\"", utf8_encode, col(st, 0));
}


/* Members from column 1 on, then the list "key":[...] of the strings
 * stmt gives for the id in column 0, and the closing brace */
static int obj_with_list(struct appdb *db, struct mbuf *mb,
			 sqlite3_stmt *st, const char *const *keyv,
			 const char *key, enum appdb_stmt stmt)
{
	int i, e = 0;

	for (i = 0; keyv[i] && !e; i++)
		e = jmember(mb, i ? "," : "{", keyv[i], col(st, i + 1));
	if (!e)
		e = mbuf_printf(mb, ",\"%s\":[", key);
	if (!e)
		e = appdb_st_bind(db->stv[stmt], "i",
				  sqlite3_column_int64(st, 0));
	if (!e)
		e = rows(db, mb, db->stv[stmt], str_row, NULL);

	return e ? e : mbuf_write_str(mb, "]}");
}


static int book_row(struct appdb *db, struct mbuf *mb, sqlite3_stmt *st,
		    const void *arg)
{
	static const char *const keys[] = {"name", "number", "uri", NULL};
	(void)arg;

	return obj_with_list(db, mb, st, keys, "groups", ST_CGROUPS);
}


static int dir_row(struct appdb *db, struct mbuf *mb, sqlite3_stmt *st,
		   const void *arg)
{
	static const char *const keys[] = {"name", "department", NULL};
	(void)arg;

	return obj_with_list(db, mb, st, keys, "numbers", ST_DIRNUMS);
}


/* Opens the document of user impu: {"impu":"..."[,"name":"..."] */
static int doc_open(struct appdb *db, struct mbuf *mb, const char *impu,
		    bool name)
{
	sqlite3_stmt *st = db->stv[ST_USER];
	int rc, e;

	e = appdb_st_bind(st, "s", impu);
	if (e)
		return e;

	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		e = jmember(mb, "{", "impu", col(st, 0));
		if (!e && name)
			e = jmember(mb, ",", "name", col(st, 1));
	}
	else {
		e = rc == SQLITE_DONE ? ENOENT : EIO;
	}

	appdb_st_done(st);

	return e;
}


/* Closes the document and hands it over as a string */
static int doc_close(struct mbuf *mb, const char *tail, char **jsonp)
{
	int e = mbuf_write_str(mb, tail);

	if (e)
		return e;

	mb->pos = 0;

	return mbuf_strdup(mb, jsonp, mb->end);
}


/* {"impu":"...","key":[rows of stmt for the user]} */
static int user_doc(struct appdb *db, const char *impu, const char *key,
		    enum appdb_stmt stmt, row_h *rowh, const void *arg,
		    char **jsonp)
{
	struct mbuf *mb;
	int e;

	if (!db || !impu || !jsonp)
		return EINVAL;

	mb = mbuf_alloc(512);
	if (!mb)
		return ENOMEM;

	e = doc_open(db, mb, impu, false);
	if (!e)
		e = mbuf_printf(mb, ",\"%s\":[", key);
	if (!e)
		e = appdb_st_bind(db->stv[stmt], "s", impu);
	if (!e)
		e = rows(db, mb, db->stv[stmt], rowh, arg);
	if (!e)
		e = doc_close(mb, "]}", jsonp);

	mem_deref(mb);

	return e;
}


int appdb_profile(struct appdb *db, const char *impu, char **jsonp)
{
	static const char *const keys[] = {"name", "uri", "number", NULL};
	sqlite3_stmt *st;
	struct mbuf *mb;
	size_t i;
	int e;

	if (!db || !impu || !jsonp)
		return EINVAL;

	mb = mbuf_alloc(512);
	if (!mb)
		return ENOMEM;

	e = doc_open(db, mb, impu, true);
	if (!e)
		e = mbuf_write_str(mb, ",\"groups\":{");

	for (i = 0; appdb_groupv[i] && !e; i++) {
		const char *grp = appdb_groupv[i];

		st = db->stv[ST_GROUP];
		e = mbuf_printf(mb, "%s\"%s\":[", i ? "," : "", grp);
		if (!e)
			e = appdb_st_bind(st, "ss", impu, grp);
		if (!e)
			e = rows(db, mb, st, obj_row, keys);
		if (!e)
			e = mbuf_write_u8(mb, ']');
	}

	if (!e)
		e = doc_close(mb, "}}", jsonp);

	mem_deref(mb);

	return e;
}


int appdb_addressbook(struct appdb *db, const char *impu, char **jsonp)
{
	return user_doc(db, impu, "entries", ST_BOOK, book_row, NULL, jsonp);
}


int appdb_directory(struct appdb *db, char **jsonp)
{
	struct mbuf *mb;
	int e;

	if (!db || !jsonp)
		return EINVAL;

	mb = mbuf_alloc(512);
	if (!mb)
		return ENOMEM;

	/* the directory is one document: reading it all is the request */
	e = mbuf_write_str(mb, "{\"entries\":[");
	if (!e)
		e = rows(db, mb, db->stv[ST_DIR], dir_row, NULL);
	if (!e)
		e = doc_close(mb, "]}", jsonp);

	mem_deref(mb);

	return e;
}


int appdb_presence(struct appdb *db, const char *impu, char **jsonp)
{
	static const char *const keys[] = {
		"uri", "name", "status", "note", NULL
	};

	return user_doc(db, impu, "friends", ST_FRIENDS, obj_row, keys,
			jsonp);
}


int appdb_messages(struct appdb *db, const char *impu, char **jsonp)
{
	static const char *const keys[] = {"from", "time", "text", NULL};

	return user_doc(db, impu, "messages", ST_MSGS, obj_row, keys,
			jsonp);
}


/* The user's own phone, as the click-to-dial client is configured with
 * it (CN102916966A: the nurse's phone is known to the HIS client). */
int appdb_user_phone(struct appdb *db, const char *impu, char *buf,
		     size_t sz)
{
	sqlite3_stmt *st;
	const unsigned char *s;
	int e;

	if (!db || !impu || !buf)
		return EINVAL;

	st = db->stv[ST_PHONE];
	e = appdb_st_bind(st, "s", impu);
	if (e)
		return e;

	if (sqlite3_step(st) != SQLITE_ROW ||
	    !(s = sqlite3_column_text(st, 0))) {
		appdb_st_done(st);
		return ENOENT;
	}

	str_ncpy(buf, (const char *)s, sz);
	appdb_st_done(st);

	return 0;
}


static size_t numbers(sqlite3_stmt *st, char (*numv)[APPDB_NUMBER],
		      size_t max, size_t n)
{
	while (n < max && sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *s = sqlite3_column_text(st, 0);
		size_t i;
		bool dup = false;

		for (i = 0; s && i < n; i++)
			dup |= !strcmp(numv[i], (const char *)s);
		if (s && !dup)
			str_ncpy(numv[n++], (const char *)s, APPDB_NUMBER);
	}
	appdb_st_done(st);

	return n;
}


/* A callee by name (CN102916966A step 3): the owner's personal entries
 * first, then the enterprise directory; names may repeat, so every
 * distinct number found is returned. */
int appdb_lookup_name(struct appdb *db, const char *owner, const char *name,
		      char (*numv)[APPDB_NUMBER], size_t max, size_t *np)
{
	size_t n = 0;
	int e;

	if (!db || !name || !numv || !np)
		return EINVAL;

	if (owner) {
		e = appdb_st_bind(db->stv[ST_BOOK_NAME], "ss", owner, name);
		if (e)
			return e;
		n = numbers(db->stv[ST_BOOK_NAME], numv, max, 0);
	}

	if (!n) {
		e = appdb_st_bind(db->stv[ST_DIR_NAME], "s", name);
		if (e)
			return e;
		n = numbers(db->stv[ST_DIR_NAME], numv, max, 0);
	}

	*np = n;

	return n ? 0 : ENOENT;
}
