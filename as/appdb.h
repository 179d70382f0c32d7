/* SPDX-License-Identifier: BSD-3-Clause */
/* appdb internals, shared by the store and its JSON documents (appdb.c)
 * and the loader of 'appdata' (appdb_load.c); no other file sees them. */

/* Statements used per request or per loaded row, prepared once; each
 * per-user lookup goes through a PRIMARY KEY or an index on the owner. */
enum appdb_stmt {
	ST_INS_USER = 0,
	ST_SRC_USER,
	ST_INS_PRES,
	ST_INS_CONTACT,
	ST_INS_GROUP,
	ST_INS_DIR,
	ST_INS_DIRNUM,
	ST_INS_MSG,
	ST_USER,
	ST_GROUP,
	ST_BOOK,
	ST_CGROUPS,
	ST_DIR,
	ST_DIRNUMS,
	ST_FRIENDS,
	ST_MSGS,
	ST_PHONE,
	ST_BOOK_NAME,
	ST_DIR_NAME,
	ST_MAX
};

struct appdb {
	sqlite3 *db;
	sqlite3_stmt *stv[ST_MAX];
};

/* The address book's groups, in the order the profile lists them */
extern const char *const appdb_groupv[];

/* appdb.c: bind, step, always reset */
void appdb_st_done(sqlite3_stmt *st);
int  appdb_st_bind(sqlite3_stmt *st, const char *fmt, ...);
int  appdb_st_insert(sqlite3_stmt *st, const char *fmt, ...);
int  appdb_clear(struct appdb *db);
