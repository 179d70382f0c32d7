/* SPDX-License-Identifier: BSD-3-Clause */
/* The HSS's database handle and prepared statements, shared by store.c
 * (the Cx reads and writes) and store_load.c (a topology's load). */

#include <sqlite3.h>

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
	ST_SUB_KEY,
	ST_SUB_PAIR,
	ST_ASSIGN,
	ST_SET_STATE,
	ST_FREE_SCSCF,
	ST_SET,
	ST_USABLE,
	ST_KEY,
	ST_BARRED,
	ST_WILDS,
	ST_COUNT,
	ST_SQN,
	ST_EXP_SUBS,
	ST_EXP_IMPUS,
	ST_MAX
};

struct hss {
	char *name;
	char *realm;
	sqlite3 *db;
	sqlite3_stmt *stv[ST_MAX];
	struct hss_profiles *profiles;
	struct hss_wilds *wilds;        /* the wildcarded IMPUs, compiled */
	/* as a Diameter node (cx_trace.c, cx_serve.c) */
	char *dhost;                    /* Origin-Host: "hss.ims.test" */
	struct sa daddr;                /* where it listens, or would */
	uint32_t dseq;                  /* Session-Ids and identifiers */
	struct list dpeers;             /* nodes it exchanged CER with */
	struct cx_server *dsrv;         /* listening, when asked to */
};

/* store_schema.c: the tables, made or migrated */
int  hss_db_schema(sqlite3 *db);

/* bind, step once, always reset */
int  st_bind_text(sqlite3_stmt *st, int i, const char *s);
void st_done(sqlite3_stmt *st);
/* Steps an INSERT or UPDATE; EEXIST on a UNIQUE/PRIMARY KEY conflict */
int  st_exec(sqlite3_stmt *st);
/* A text column into an HSS_ID_MAX buffer ("" for NULL) */
void st_col_copy(char *dst, sqlite3_stmt *st, int col);
/* Steps a SUB_COLS query once into sub: 0, ENOENT or EIO */
int  st_sub_read(sqlite3_stmt *st, struct hss_sub *sub);
