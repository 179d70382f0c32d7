/* SPDX-License-Identifier: BSD-3-Clause */
/* store_schema: the HSS database's tables, and the migrations that bring
 * a file made by an older imsbed up to them (AKA columns; IMPUs keyed by
 * IMPI and identity, each in a registration set). */

#include <string.h>
#include <sqlite3.h>
#include <re.h>
#include "hss.h"
#include "hssint.h"
#include "storeint.h"

/* An IMPU row is one public identity of one IMPI (TS 23.228 4.3.3.4: an
 * IMPU may be shared by several IMPIs), so the key is the pair.  ikey is
 * the identity's normal form (hss_impu_normalise), uri what the topology
 * wrote; iset numbers the IMPI's implicit registration sets; profile is
 * the IMPU's own service profile, resolved at load; wild marks a
 * wildcarded identity (TS 23.003 13.4), whose ikey is its uri. */
#define IMPU_TABLE \
	"CREATE TABLE IF NOT EXISTS impu (" \
	" uri TEXT NOT NULL," \
	" impi TEXT NOT NULL REFERENCES subscriber (impi)," \
	" pos INTEGER NOT NULL," \
	" src_line INTEGER, src_col INTEGER, src_n INTEGER," \
	" ikey TEXT NOT NULL, iset INTEGER NOT NULL DEFAULT 0," \
	" barred INTEGER NOT NULL DEFAULT 0," \
	" profile TEXT NOT NULL DEFAULT ''," \
	" wild INTEGER NOT NULL DEFAULT 0," \
	" PRIMARY KEY (impi, ikey)) WITHOUT ROWID;"

/* src_line/src_col/src_n say where a row came from in the topology (n is
 * the template index, 0 without count), so that a duplicate names both
 * places.  ifc.pos is the position after sorting by priority;
 * profile_part is TS 29.228's ProfilePartIndicator (0 REGISTERED, 1
 * UNREGISTERED, NULL for both), shared_set the SharedIFCSetID an iFC came
 * with (NULL: the profile's own), spt.reg_types a REGISTER SPT's
 * RegistrationTypes by name (NULL: all).  The
 * registration state is per set (regset, TS 29.228 6.1.2); subscriber's
 * state column is what files made before sets kept, read only by the
 * migration. */
static const char tables[] =
	"CREATE TABLE IF NOT EXISTS profile ("
	" name TEXT PRIMARY KEY) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS ifc ("
	" profile TEXT NOT NULL REFERENCES profile (name),"
	" pos INTEGER NOT NULL, priority INTEGER NOT NULL,"
	" server_name TEXT NOT NULL, default_handling INTEGER NOT NULL,"
	" service_info TEXT, cnf INTEGER,"
	" profile_part INTEGER, shared_set INTEGER,"
	" PRIMARY KEY (profile, pos)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS spt ("
	" profile TEXT NOT NULL, ifc INTEGER NOT NULL, pos INTEGER NOT NULL,"
	" negated INTEGER NOT NULL, type TEXT NOT NULL, value TEXT NOT NULL,"
	" content TEXT, reg_types TEXT,"
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
	" sqn INTEGER NOT NULL DEFAULT 0,"
	" cap_mand TEXT NOT NULL DEFAULT '', cap_opt TEXT NOT NULL"
	" DEFAULT '', cap_servers TEXT NOT NULL DEFAULT '') WITHOUT ROWID;"
	IMPU_TABLE
	"CREATE TABLE IF NOT EXISTS regset ("
	" impi TEXT NOT NULL, iset INTEGER NOT NULL,"
	" state INTEGER NOT NULL DEFAULT 0,"
	" PRIMARY KEY (impi, iset)) WITHOUT ROWID;";

/* After the migrations: an index made on the old impu table would
 * follow it through its rename and go with it. */
static const char indexes[] =
	"CREATE INDEX IF NOT EXISTS impu_by_impi ON impu (impi, pos);"
	"CREATE INDEX IF NOT EXISTS impu_by_key ON impu (ikey);";

/* A database file made before AKA, before the Server-Capabilities or
 * before the TS 29.228 XML's iFC parts lacks these columns: each is added
 * where missing (SQLite refuses the others, which is the point). */
static const char *const added_columns[] = {
	("ALTER TABLE subscriber ADD COLUMN auth TEXT NOT NULL"
	 " DEFAULT 'digest'"),
	"ALTER TABLE subscriber ADD COLUMN k BLOB",
	"ALTER TABLE subscriber ADD COLUMN opc BLOB",
	"ALTER TABLE subscriber ADD COLUMN amf BLOB",
	("ALTER TABLE subscriber ADD COLUMN sqn INTEGER NOT NULL DEFAULT"
	 " 0"),
	"ALTER TABLE subscriber ADD COLUMN cap_mand TEXT NOT NULL DEFAULT ''",
	"ALTER TABLE subscriber ADD COLUMN cap_opt TEXT NOT NULL DEFAULT ''",
	("ALTER TABLE subscriber ADD COLUMN cap_servers TEXT NOT NULL"
	 " DEFAULT ''"),
	"ALTER TABLE ifc ADD COLUMN profile_part INTEGER",
	"ALTER TABLE ifc ADD COLUMN shared_set INTEGER",
	"ALTER TABLE spt ADD COLUMN reg_types TEXT",
};

/* A file made before sets had impu (uri PRIMARY KEY, impi, pos, src_*):
 * one IMPI per IMPU, one set per IMPI, the subscriber's profile and its
 * registration state.  SQLite changes no PRIMARY KEY in place, so the
 * table is copied into the new shape. */
static const char impu_migration[] =
	"ALTER TABLE impu RENAME TO impu_v1;"
	"DROP INDEX IF EXISTS impu_by_impi;"
	IMPU_TABLE
	"INSERT OR IGNORE INTO impu (uri, impi, pos, src_line, src_col,"
	" src_n, ikey, iset, barred, profile, wild)"
	" SELECT i.uri, i.impi, i.pos, i.src_line, i.src_col, i.src_n,"
	" imsbed_impu_key(i.uri), 0, 0, COALESCE(s.profile, ''), 0"
	" FROM impu_v1 AS i LEFT JOIN subscriber AS s ON s.impi = i.impi;"
	"INSERT OR REPLACE INTO regset (impi, iset, state)"
	" SELECT impi, 0, state FROM subscriber WHERE state != 0;"
	"DROP TABLE impu_v1;";


/* imsbed_impu_key(uri): hss_impu_normalise for the migration's SQL */
static void sql_impu_key(sqlite3_context *ctx, int argc, sqlite3_value **v)
{
	const unsigned char *uri = sqlite3_value_text(v[0]);
	char key[HSS_ID_MAX];

	(void)argc;

	if (!uri || hss_impu_normalise(key, sizeof(key), (const char *)uri))
		sqlite3_result_value(ctx, v[0]);
	else
		sqlite3_result_text(ctx, key, -1, SQLITE_TRANSIENT);
}


static bool has_column(sqlite3 *db, const char *table, const char *col)
{
	sqlite3_stmt *st;
	bool found = false;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info(?)"
			       " WHERE name = ?", -1, &st, NULL) != SQLITE_OK)
		return false;

	(void)st_bind_text(st, 1, table);
	(void)st_bind_text(st, 2, col);
	found = sqlite3_step(st) == SQLITE_ROW;
	(void)sqlite3_finalize(st);

	return found;
}


static int migrate_impu(sqlite3 *db)
{
	if (has_column(db, "impu", "ikey"))
		return 0;

	if (sqlite3_create_function(db, "imsbed_impu_key", 1, SQLITE_UTF8 |
				    SQLITE_DETERMINISTIC, NULL, sql_impu_key,
				    NULL, NULL) != SQLITE_OK)
		return EIO;

	/* all or nothing: a failure leaves the old file as it was */
	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return EIO;

	if (sqlite3_exec(db, impu_migration, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		(void)sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return EIO;
	}

	return 0;
}


/* The tables, brought up to date; EIO with the reason in
 * sqlite3_errmsg(db). */
int hss_db_schema(sqlite3 *db)
{
	size_t i;
	int e;

	if (sqlite3_exec(db, tables, NULL, NULL, NULL) != SQLITE_OK)
		return EIO;

	for (i = 0; i < ARRAY_SIZE(added_columns); i++)
		(void)sqlite3_exec(db, added_columns[i], NULL, NULL, NULL);

	e = migrate_impu(db);
	if (e)
		return e;

	return sqlite3_exec(db, indexes, NULL, NULL, NULL) == SQLITE_OK ? 0 :
		EIO;
}
