/* SPDX-License-Identifier: BSD-3-Clause */
/* store: the HSS node's SQLite database (subscribers, IMPUs and the service
 * profiles as rows) plus the compiled profiles, hashed by name in memory. */

#include <string.h>
#include <sqlite3.h>
#include <re.h>
#include "hss.h"
#include "hssint.h"

/* Every statement that runs per Cx request or per loaded row is prepared
 * once in hss_alloc; each lookup goes through a PRIMARY KEY or index. */
enum stmt {
	ST_INS_PROFILE = 0,
	ST_INS_IFC,
	ST_INS_SPT,
	ST_INS_GROUP,
	ST_INS_SUB,
	ST_INS_IMPU,
	ST_SRC_SUB,
	ST_SRC_IMPU,
	ST_SUB_IMPI,
	ST_SUB_IMPU,
	ST_ASSIGN,
	ST_IMPUS,
	ST_HAS_IMPU,
	ST_COUNT,
	ST_MAX
};

static const char *const sqlv[ST_MAX] = {
	"INSERT INTO profile (name) VALUES (?)",
	"INSERT INTO ifc VALUES (?, ?, ?, ?, ?, ?, ?)",
	"INSERT INTO spt VALUES (?, ?, ?, ?, ?, ?, ?)",
	"INSERT OR IGNORE INTO spt_group VALUES (?, ?, ?, ?)",
	"INSERT INTO subscriber (impi, password, profile, src_line, src_col,"
	" src_n) VALUES (?, ?, ?, ?, ?, ?)",
	"INSERT INTO impu VALUES (?, ?, ?, ?, ?, ?)",
	"SELECT src_line, src_col, src_n FROM subscriber WHERE impi = ?",
	"SELECT src_line, src_col, src_n FROM impu WHERE uri = ?",
	"SELECT impi, password, profile, scscf, state FROM subscriber"
	" WHERE impi = ?",
	"SELECT s.impi, s.password, s.profile, s.scscf, s.state"
	" FROM impu AS i JOIN subscriber AS s ON s.impi = i.impi"
	" WHERE i.uri = ?",
	"UPDATE subscriber SET scscf = ?, state = ? WHERE impi = ?",
	"SELECT uri FROM impu WHERE impi = ? ORDER BY pos",
	"SELECT 1 FROM impu WHERE uri = ?",
	"SELECT COUNT(*) FROM subscriber",
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
	" src_line INTEGER, src_col INTEGER, src_n INTEGER) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS impu ("
	" uri TEXT PRIMARY KEY,"
	" impi TEXT NOT NULL REFERENCES subscriber (impi),"
	" pos INTEGER NOT NULL,"
	" src_line INTEGER, src_col INTEGER, src_n INTEGER) WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS impu_by_impi ON impu (impi, pos);";

/* The topology is the source of truth: a load replaces what was there */
static const char clear[] =
	"DELETE FROM spt_group; DELETE FROM spt; DELETE FROM ifc;"
	"DELETE FROM profile; DELETE FROM impu; DELETE FROM subscriber;";

struct hss {
	char *name;
	char *realm;
	sqlite3 *db;
	sqlite3_stmt *stv[ST_MAX];
	struct hss_profiles *profiles;
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
	    sqlite3_exec(hss->db, schema, NULL, NULL, NULL) != SQLITE_OK) {
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

static int bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (!s)
		return sqlite3_bind_null(st, i);

	return sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}


static void done(sqlite3_stmt *st)
{
	(void)sqlite3_reset(st);
	(void)sqlite3_clear_bindings(st);
}


/* Steps an INSERT or UPDATE; EEXIST on a UNIQUE/PRIMARY KEY conflict */
static int exec_stmt(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	done(st);

	if (rc == SQLITE_DONE)
		return 0;

	return rc == SQLITE_CONSTRAINT ? EEXIST : EIO;
}


static void col_copy(char *dst, sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	str_ncpy(dst, s ? (const char *)s : "", HSS_ID_MAX);
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
	}
	else {
		e = rc == SQLITE_DONE ? ENOENT : EIO;
	}

	done(st);

	return e;
}


int hss_sub_by_impi(struct hss *hss, const char *impi, struct hss_sub *sub)
{
	sqlite3_stmt *st;

	if (!hss || !impi || !sub)
		return EINVAL;

	st = hss->stv[ST_SUB_IMPI];
	(void)bind_text(st, 1, impi);

	return sub_read(st, sub);
}


int hss_sub_by_impu(struct hss *hss, const char *impu, struct hss_sub *sub)
{
	sqlite3_stmt *st;

	if (!hss || !impu || !sub)
		return EINVAL;

	st = hss->stv[ST_SUB_IMPU];
	(void)bind_text(st, 1, impu);

	return sub_read(st, sub);
}


int hss_sub_assign(struct hss *hss, const char *impi, const char *scscf,
		   enum hss_state state)
{
	sqlite3_stmt *st;

	if (!hss || !impi || !scscf)
		return EINVAL;

	st = hss->stv[ST_ASSIGN];
	(void)bind_text(st, 1, scscf);
	(void)sqlite3_bind_int(st, 2, state);
	(void)bind_text(st, 3, impi);

	return exec_stmt(st);
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
	(void)bind_text(st, 1, impi);

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *u = sqlite3_column_text(st, 0);

		e = mbuf_printf(mb, "%s%s", mb->end ? ", " : "",
				u ? (const char *)u : "");
		if (e)
			break;
	}
	if (!e && rc != SQLITE_DONE)
		e = EIO;
	done(st);

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
	done(st);

	return n;
}


bool hss_has_impu(const struct hss *hss, const char *impu)
{
	sqlite3_stmt *st;
	bool found;

	if (!hss || !impu)
		return false;

	st = hss->stv[ST_HAS_IMPU];
	(void)bind_text(st, 1, impu);
	found = sqlite3_step(st) == SQLITE_ROW;
	done(st);

	return found;
}


/* ---- loading ---- */

int hss_db_begin(struct hss *hss)
{
	if (!hss)
		return EINVAL;

	if (sqlite3_exec(hss->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return EIO;

	if (sqlite3_exec(hss->db, clear, NULL, NULL, NULL) != SQLITE_OK) {
		(void)sqlite3_exec(hss->db, "ROLLBACK", NULL, NULL, NULL);
		return EIO;
	}

	return 0;
}


int hss_db_end(struct hss *hss, bool commit)
{
	if (!hss)
		return EINVAL;

	return sqlite3_exec(hss->db, commit ? "COMMIT" : "ROLLBACK", NULL,
			    NULL, NULL) == SQLITE_OK ? 0 : EIO;
}


const char *hss_db_errmsg(const struct hss *hss)
{
	return hss ? sqlite3_errmsg(hss->db) : "";
}


static int spt_store(struct hss *hss, const char *pname, size_t ifcpos,
		     size_t pos, const struct spt *spt)
{
	sqlite3_stmt *st = hss->stv[ST_INS_SPT];
	char scase[4];
	size_t i;
	int e;

	(void)re_snprintf(scase, sizeof(scase), "%d", spt->scase);

	(void)bind_text(st, 1, pname);
	(void)sqlite3_bind_int64(st, 2, (sqlite3_int64)ifcpos);
	(void)sqlite3_bind_int64(st, 3, (sqlite3_int64)pos);
	(void)sqlite3_bind_int(st, 4, spt->negated);
	(void)bind_text(st, 5, spt_type_name(spt->type));
	(void)bind_text(st, 6, spt->type == SPT_SESSION_CASE ? scase :
			spt->str);
	(void)bind_text(st, 7, spt->content);

	e = exec_stmt(st);
	if (e)
		return e;

	st = hss->stv[ST_INS_GROUP];
	for (i = 0; i < spt->groupc; i++) {
		(void)bind_text(st, 1, pname);
		(void)sqlite3_bind_int64(st, 2, (sqlite3_int64)ifcpos);
		(void)sqlite3_bind_int64(st, 3, (sqlite3_int64)pos);
		(void)sqlite3_bind_int64(st, 4, spt->groupv[i]);

		e = exec_stmt(st);
		if (e)
			return e;
	}

	return 0;
}


/* The profile as rows, so that the database alone shows each user's
 * services: ifc, then spt and spt_group (TS 29.228 B.2.2 shape). */
int hss_db_profile(struct hss *hss, const struct ifc_profile *p)
{
	sqlite3_stmt *st;
	size_t i, j;
	int e;

	if (!hss || !p)
		return EINVAL;

	st = hss->stv[ST_INS_PROFILE];
	(void)bind_text(st, 1, p->name);
	e = exec_stmt(st);
	if (e)
		return e;

	for (i = 0; i < p->ifcc; i++) {
		const struct ifc *ifc = p->ifcv[i];

		st = hss->stv[ST_INS_IFC];
		(void)bind_text(st, 1, p->name);
		(void)sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		(void)sqlite3_bind_int(st, 3, ifc->priority);
		(void)bind_text(st, 4, ifc->as);
		(void)sqlite3_bind_int(st, 5, ifc->dh);
		(void)bind_text(st, 6, ifc->service_info);
		if (ifc->sptc)
			(void)sqlite3_bind_int(st, 7, ifc->cnf);
		else
			(void)sqlite3_bind_null(st, 7);

		e = exec_stmt(st);
		if (e)
			return e;

		for (j = 0; j < ifc->sptc; j++) {
			e = spt_store(hss, p->name, i, j, &ifc->sptv[j]);
			if (e)
				return e;
		}
	}

	return 0;
}


static void bind_src(sqlite3_stmt *st, int i, const struct hss_src *src)
{
	(void)sqlite3_bind_int64(st, i, src ? src->line : 0);
	(void)sqlite3_bind_int64(st, i + 1, src ? src->col : 0);
	(void)sqlite3_bind_int64(st, i + 2, src ? src->n : 0);
}


int hss_db_sub(struct hss *hss, const char *impi, const char *password,
	       const char *profile, const struct hss_src *src)
{
	sqlite3_stmt *st;

	if (!hss || !impi || !password)
		return EINVAL;

	st = hss->stv[ST_INS_SUB];
	(void)bind_text(st, 1, impi);
	(void)bind_text(st, 2, password);
	(void)bind_text(st, 3, profile ? profile : "");
	bind_src(st, 4, src);

	return exec_stmt(st);
}


int hss_db_impu(struct hss *hss, const char *uri, const char *impi,
		size_t pos, const struct hss_src *src)
{
	sqlite3_stmt *st;

	if (!hss || !uri || !impi)
		return EINVAL;

	st = hss->stv[ST_INS_IMPU];
	(void)bind_text(st, 1, uri);
	(void)bind_text(st, 2, impi);
	(void)sqlite3_bind_int64(st, 3, (sqlite3_int64)pos);
	bind_src(st, 4, src);

	return exec_stmt(st);
}


int hss_db_src(struct hss *hss, bool impu, const char *key,
	       struct hss_src *src)
{
	sqlite3_stmt *st;
	int rc;

	if (!hss || !key || !src)
		return EINVAL;

	st = hss->stv[impu ? ST_SRC_IMPU : ST_SRC_SUB];
	(void)bind_text(st, 1, key);

	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		src->line = (unsigned)sqlite3_column_int64(st, 0);
		src->col = (unsigned)sqlite3_column_int64(st, 1);
		src->n = (uint32_t)sqlite3_column_int64(st, 2);
	}
	done(st);

	return rc == SQLITE_ROW ? 0 : ENOENT;
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
