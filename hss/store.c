/* SPDX-License-Identifier: BSD-3-Clause */
/* store: the HSS node's SQLite database (subscribers, IMPUs and the service
 * profiles as rows) plus the compiled profiles, hashed by name in memory. */

#include <string.h>
#include <sqlite3.h>
#include <re.h>
#include "hss.h"
#include "hssint.h"
#include "storeint.h"

static const char *const sqlv[ST_MAX] = {
	"INSERT INTO profile (name) VALUES (?)",
	"INSERT INTO ifc VALUES (?, ?, ?, ?, ?, ?, ?)",
	"INSERT INTO spt VALUES (?, ?, ?, ?, ?, ?, ?)",
	"INSERT OR IGNORE INTO spt_group VALUES (?, ?, ?, ?)",
	"INSERT INTO subscriber (impi, password, profile, src_line, src_col,"
	" src_n, auth, k, opc, amf, sqn)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	"INSERT INTO impu VALUES (?, ?, ?, ?, ?, ?)",
	"SELECT src_line, src_col, src_n FROM subscriber WHERE impi = ?",
	"SELECT src_line, src_col, src_n FROM impu WHERE uri = ?",
	"SELECT impi, password, profile, scscf, state, auth, k, opc, amf, sqn"
	" FROM subscriber WHERE impi = ?",
	"SELECT s.impi, s.password, s.profile, s.scscf, s.state, s.auth,"
	" s.k, s.opc, s.amf, s.sqn"
	" FROM impu AS i JOIN subscriber AS s ON s.impi = i.impi"
	" WHERE i.uri = ?",
	"UPDATE subscriber SET scscf = ?, state = ? WHERE impi = ?",
	"SELECT uri FROM impu WHERE impi = ? ORDER BY pos",
	"SELECT 1 FROM impu WHERE uri = ?",
	"SELECT COUNT(*) FROM subscriber",
	"UPDATE subscriber SET sqn = ? WHERE impi = ?",
};

/* src_line/src_col/src_n say where a row came from in the topology (n is
 * the template index, 0 without count), so that a duplicate names both
 * places.  ifc.pos is the position after sorting by priority. */
static const char schema[] =
	"CREATE TABLE IF NOT EXISTS profile ("
	" name TEXT PRIMARY KEY) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS ifc ("
	" profile TEXT NOT NULL REFERENCES profile (name),"
	" pos INTEGER NOT NULL, priority INTEGER NOT NULL,"
	" server_name TEXT NOT NULL, default_handling INTEGER NOT NULL,"
	" service_info TEXT, cnf INTEGER,"
	" PRIMARY KEY (profile, pos)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS spt ("
	" profile TEXT NOT NULL, ifc INTEGER NOT NULL, pos INTEGER NOT NULL,"
	" negated INTEGER NOT NULL, type TEXT NOT NULL, value TEXT NOT NULL,"
	" content TEXT,"
	" PRIMARY KEY (profile, ifc, pos)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS spt_group ("
	" profile TEXT NOT NULL, ifc INTEGER NOT NULL, spt INTEGER NOT NULL,"
	" grp INTEGER NOT NULL,"
	" PRIMARY KEY (profile, ifc, spt, grp)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS subscriber ("
	" impi TEXT PRIMARY KEY, password TEXT NOT NULL,"
	" profile TEXT NOT NULL DEFAULT '', scscf TEXT NOT NULL DEFAULT '',"
	" state INTEGER NOT NULL DEFAULT 0,"
	" src_line INTEGER, src_col INTEGER, src_n INTEGER,"
	" auth TEXT NOT NULL DEFAULT 'digest', k BLOB, opc BLOB, amf BLOB,"
	" sqn INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS impu ("
	" uri TEXT PRIMARY KEY,"
	" impi TEXT NOT NULL REFERENCES subscriber (impi),"
	" pos INTEGER NOT NULL,"
	" src_line INTEGER, src_col INTEGER, src_n INTEGER) WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS impu_by_impi ON impu (impi, pos);";

/* A database file made before AKA lacks these columns: each is added
 * where missing (SQLite refuses the others, which is the point). */
static const char *const aka_columns[] = {
	("ALTER TABLE subscriber ADD COLUMN auth TEXT NOT NULL"
	 " DEFAULT 'digest'"),
	"ALTER TABLE subscriber ADD COLUMN k BLOB",
	"ALTER TABLE subscriber ADD COLUMN opc BLOB",
	"ALTER TABLE subscriber ADD COLUMN amf BLOB",
	("ALTER TABLE subscriber ADD COLUMN sqn INTEGER NOT NULL DEFAULT"
	 " 0"),
};



static void hss_destructor(void *arg)
{
	struct hss *hss = arg;
	size_t i;

	mem_deref(hss->profiles);

	for (i = 0; i < ST_MAX; i++)
		(void)sqlite3_finalize(hss->stv[i]);
	(void)sqlite3_close(hss->db);

	mem_deref(hss->name);
	mem_deref(hss->realm);
}


static int add_columns(sqlite3 *db)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(aka_columns); i++)
		(void)sqlite3_exec(db, aka_columns[i], NULL, NULL, NULL);

	/* the schema is what the statements below need, or they fail */
	return 0;
}


int hss_alloc(struct hss **hssp, const char *name, const char *dbpath,
	      const char *realm, char *err, size_t sz)
{
	struct hss *hss;
	size_t i;
	int e;

	if (!hssp || !name || !realm)
		return EINVAL;

	if (!dbpath)
		dbpath = ":memory:";

	hss = mem_zalloc(sizeof(*hss), hss_destructor);
	if (!hss)
		return ENOMEM;

	e = str_dup(&hss->name, name);
	if (e)
		goto out;
	e = str_dup(&hss->realm, realm);
	if (e)
		goto out;
	e = hss_profiles_alloc(&hss->profiles);
	if (e)
		goto out;

	/* WAL with synchronous=NORMAL: no fsync per SAR on a file database;
	 * the topology, not the file, is the source of truth */
	if (sqlite3_open_v2(dbpath, &hss->db, SQLITE_OPEN_READWRITE |
			    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK ||
	    sqlite3_exec(hss->db, "PRAGMA journal_mode = WAL;"
			 "PRAGMA synchronous = NORMAL;", NULL, NULL,
			 NULL) != SQLITE_OK ||
	    sqlite3_exec(hss->db, schema, NULL, NULL, NULL) != SQLITE_OK ||
	    add_columns(hss->db)) {
		(void)re_snprintf(err, sz, "hss %s: database '%s': %s", name,
				  dbpath, sqlite3_errmsg(hss->db));
		e = EIO;
		goto out;
	}

	for (i = 0; i < ST_MAX; i++) {
		if (sqlite3_prepare_v2(hss->db, sqlv[i], -1, &hss->stv[i],
				       NULL) == SQLITE_OK)
			continue;

		(void)re_snprintf(err, sz, "hss %s: database '%s': %s", name,
				  dbpath, sqlite3_errmsg(hss->db));
		e = EIO;
		goto out;
	}

 out:
	if (e)
		mem_deref(hss);
	else
		*hssp = hss;

	return e;
}


const char *hss_name(const struct hss *hss)
{
	return hss ? hss->name : NULL;
}


const char *hss_realm(const struct hss *hss)
{
	return hss ? hss->realm : NULL;
}


/* ---- statement helpers: bind, step once, always reset ---- */

int st_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (!s)
		return sqlite3_bind_null(st, i);

	return sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}


void st_done(sqlite3_stmt *st)
{
	(void)sqlite3_reset(st);
	(void)sqlite3_clear_bindings(st);
}


/* Steps an INSERT or UPDATE; EEXIST on a UNIQUE/PRIMARY KEY conflict */
int st_exec(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	st_done(st);

	if (rc == SQLITE_DONE)
		return 0;

	return rc == SQLITE_CONSTRAINT ? EEXIST : EIO;
}


static void col_copy(char *dst, sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	str_ncpy(dst, s ? (const char *)s : "", HSS_ID_MAX);
}


static void blob_copy(uint8_t *dst, size_t n, sqlite3_stmt *st, int col,
		      bool *okp)
{
	const void *b = sqlite3_column_blob(st, col);

	if (b && (size_t)sqlite3_column_bytes(st, col) == n)
		memcpy(dst, b, n);
	else
		*okp = false;
}


static int sub_read(sqlite3_stmt *st, struct hss_sub *sub)
{
	int rc = sqlite3_step(st);
	int e = 0;

	if (rc == SQLITE_ROW) {
		col_copy(sub->impi, st, 0);
		col_copy(sub->password, st, 1);
		col_copy(sub->profile, st, 2);
		col_copy(sub->scscf, st, 3);
		sub->state = sqlite3_column_int(st, 4);
		col_copy(sub->auth, st, 5);
		sub->has_key = true;
		blob_copy(sub->key.k, AKA_KEY, st, 6, &sub->has_key);
		blob_copy(sub->key.opc, AKA_KEY, st, 7, &sub->has_key);
		blob_copy(sub->key.amf, AKA_AMF, st, 8, &sub->has_key);
		sub->sqn = (uint64_t)sqlite3_column_int64(st, 9);
	}
	else {
		e = rc == SQLITE_DONE ? ENOENT : EIO;
	}

	st_done(st);

	return e;
}


int hss_sub_sqn_set(struct hss *hss, const char *impi, uint64_t sqn)
{
	sqlite3_stmt *st;

	if (!hss || !impi)
		return EINVAL;

	st = hss->stv[ST_SQN];
	(void)sqlite3_bind_int64(st, 1, (sqlite3_int64)sqn);
	(void)st_bind_text(st, 2, impi);

	return st_exec(st);
}


int hss_sub_by_impi(struct hss *hss, const char *impi, struct hss_sub *sub)
{
	sqlite3_stmt *st;

	if (!hss || !impi || !sub)
		return EINVAL;

	st = hss->stv[ST_SUB_IMPI];
	(void)st_bind_text(st, 1, impi);

	return sub_read(st, sub);
}


int hss_sub_by_impu(struct hss *hss, const char *impu, struct hss_sub *sub)
{
	sqlite3_stmt *st;

	if (!hss || !impu || !sub)
		return EINVAL;

	st = hss->stv[ST_SUB_IMPU];
	(void)st_bind_text(st, 1, impu);

	return sub_read(st, sub);
}


int hss_sub_assign(struct hss *hss, const char *impi, const char *scscf,
		   enum hss_state state)
{
	sqlite3_stmt *st;

	if (!hss || !impi || !scscf)
		return EINVAL;

	st = hss->stv[ST_ASSIGN];
	(void)st_bind_text(st, 1, scscf);
	(void)sqlite3_bind_int(st, 2, state);
	(void)st_bind_text(st, 3, impi);

	return st_exec(st);
}


/* The implicit registration set in the order the topology lists it, so
 * that the first URI is the default public identity (TS 24.229 5.4.1.2) */
int hss_sub_assoc(struct hss *hss, const char *impi, char **assocp)
{
	struct mbuf *mb;
	sqlite3_stmt *st;
	int rc, e = 0;

	if (!hss || !impi || !assocp)
		return EINVAL;

	mb = mbuf_alloc(128);
	if (!mb)
		return ENOMEM;

	st = hss->stv[ST_IMPUS];
	(void)st_bind_text(st, 1, impi);

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *u = sqlite3_column_text(st, 0);

		e = mbuf_printf(mb, "%s%s", mb->end ? ", " : "",
				u ? (const char *)u : "");
		if (e)
			break;
	}
	if (!e && rc != SQLITE_DONE)
		e = EIO;
	st_done(st);

	if (!e) {
		mb->pos = 0;
		e = mbuf_strdup(mb, assocp, mb->end);
	}

	mem_deref(mb);

	return e;
}


struct ifc_profile *hss_profile_find(const struct hss *hss,
				     const char *name)
{
	return hss ? hss_profiles_find(hss->profiles, name) : NULL;
}


uint32_t hss_subscriber_count(const struct hss *hss)
{
	sqlite3_stmt *st;
	uint32_t n = 0;

	if (!hss)
		return 0;

	st = hss->stv[ST_COUNT];
	if (sqlite3_step(st) == SQLITE_ROW)
		n = (uint32_t)sqlite3_column_int64(st, 0);
	st_done(st);

	return n;
}


bool hss_has_impu(const struct hss *hss, const char *impu)
{
	sqlite3_stmt *st;
	bool found;

	if (!hss || !impu)
		return false;

	st = hss->stv[ST_HAS_IMPU];
	(void)st_bind_text(st, 1, impu);
	found = sqlite3_step(st) == SQLITE_ROW;
	st_done(st);

	return found;
}


/* ---- the compiled profiles ---- */

/* Swaps in the set a load built; S-CSCFs keep references to the old
 * profiles they were given, which live on until they drop them. */
void hss_profiles_set(struct hss *hss, struct hss_profiles *ps)
{
	if (!hss || !ps)
		return;

	mem_deref(hss->profiles);
	hss->profiles = mem_ref(ps);
}
