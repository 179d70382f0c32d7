/* SPDX-License-Identifier: BSD-3-Clause */
/* store: the HSS node's SQLite database (subscribers, IMPUs and the service
 * profiles as rows) plus the compiled profiles, hashed by name in memory. */

#include <string.h>
#include <sqlite3.h>
#include <re.h>
#include "hss.h"
#include "hssint.h"
#include "storeint.h"

/* What a Cx lookup by IMPU reads: the subscriber, the IMPU's row and
 * the state of its set (none yet: not registered). */
#define SUB_COLS \
	"SELECT s.impi, s.password, s.profile, s.scscf," \
	" COALESCE(r.state, 0), s.auth, s.k, s.opc, s.amf, s.sqn," \
	" i.uri, i.iset, i.barred, i.profile," \
	" s.cap_mand, s.cap_opt, s.cap_servers" \
	" FROM impu AS i JOIN subscriber AS s ON s.impi = i.impi" \
	" LEFT JOIN regset AS r ON r.impi = i.impi AND r.iset = i.iset"

static const char *const sqlv[ST_MAX] = {
	"INSERT INTO profile (name) VALUES (?)",
	"INSERT INTO ifc (profile, pos, priority, server_name,"
	" default_handling, service_info, cnf, profile_part, shared_set)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	"INSERT INTO spt (profile, ifc, pos, negated, type, value, content,"
	" reg_types) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	"INSERT OR IGNORE INTO spt_group VALUES (?, ?, ?, ?)",
	"INSERT INTO subscriber (impi, password, profile, src_line, src_col,"
	" src_n, auth, k, opc, amf, sqn, cap_mand, cap_opt, cap_servers)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	"INSERT INTO impu (uri, impi, pos, src_line, src_col, src_n, ikey,"
	" iset, barred, profile, wild)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	"SELECT src_line, src_col, src_n FROM subscriber WHERE impi = ?",
	"SELECT src_line, src_col, src_n FROM impu WHERE impi = ?"
	" AND ikey = ?",
	"SELECT impi, password, profile, scscf, 0, auth, k, opc, amf, sqn,"
	" '', 0, 0, profile, cap_mand, cap_opt, cap_servers FROM subscriber"
	" WHERE impi = ?",
	/* a shared IMPU (TS 23.228 4.3.3.4) without IMPI: the user who may
	 * use it and is served first, then the first by IMPI */
	SUB_COLS " WHERE i.ikey = ? ORDER BY i.barred,"
	" COALESCE(r.state, 0) = 0, COALESCE(r.state, 0) != 1,"
	" s.scscf = '', s.impi LIMIT 1",
	SUB_COLS " WHERE i.impi = ? AND i.ikey = ?",
	"UPDATE subscriber SET scscf = ? WHERE impi = ?",
	"INSERT OR REPLACE INTO regset (impi, iset, state) VALUES (?, ?, ?)",
	"UPDATE subscriber SET scscf = '' WHERE impi = ? AND NOT EXISTS"
	" (SELECT 1 FROM regset AS r WHERE r.impi = subscriber.impi"
	" AND r.state != 0)",
	"SELECT uri, barred, profile, wild FROM impu WHERE impi = ?"
	" AND iset = ? ORDER BY pos",
	"SELECT 1 FROM impu WHERE impi = ? AND iset = ? AND barred = 0"
	" AND wild = 0 LIMIT 1",
	"SELECT 1 FROM impu WHERE ikey = ? AND wild = 0 LIMIT 1",
	"SELECT MIN(barred) FROM impu WHERE ikey = ?",
	"SELECT ikey FROM impu WHERE wild = 1 GROUP BY ikey"
	" ORDER BY MIN(src_line), MIN(src_col)",
	"SELECT COUNT(*) FROM subscriber",
	"UPDATE subscriber SET sqn = ? WHERE impi = ?",
	/* the export: subscribers in topology order, a template's users
	 * by their index */
	"SELECT impi FROM subscriber ORDER BY src_line, src_col, src_n, impi",
	"SELECT uri, barred, profile, wild FROM impu WHERE impi = ?"
	" ORDER BY pos",
};


static void hss_destructor(void *arg)
{
	struct hss *hss = arg;
	size_t i;

	mem_deref(hss->profiles);
	mem_deref(hss->wilds);

	for (i = 0; i < ST_MAX; i++)
		(void)sqlite3_finalize(hss->stv[i]);
	(void)sqlite3_close(hss->db);

	mem_deref(hss->dsrv);
	list_flush(&hss->dpeers);
	mem_deref(hss->dhost);
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
	if (!e)
		e = re_sdprintf(&hss->dhost, "%s.%s", name, realm);
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
	    hss_db_schema(hss->db)) {
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

	/* a reopened file answers for its wildcarded IMPUs at once */
	e = hss_wilds_load(hss, &hss->wilds);

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


void st_col_copy(char *dst, sqlite3_stmt *st, int col)
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


int st_sub_read(sqlite3_stmt *st, struct hss_sub *sub)
{
	int rc = sqlite3_step(st);
	int e = 0;

	if (rc == SQLITE_ROW) {
		memset(sub, 0, sizeof(*sub));
		st_col_copy(sub->impi, st, 0);
		st_col_copy(sub->password, st, 1);
		st_col_copy(sub->scscf, st, 3);
		sub->state = sqlite3_column_int(st, 4);
		st_col_copy(sub->auth, st, 5);
		sub->has_key = true;
		blob_copy(sub->key.k, AKA_KEY, st, 6, &sub->has_key);
		blob_copy(sub->key.opc, AKA_KEY, st, 7, &sub->has_key);
		blob_copy(sub->key.amf, AKA_AMF, st, 8, &sub->has_key);
		sub->sqn = (uint64_t)sqlite3_column_int64(st, 9);
		st_col_copy(sub->uri, st, 10);
		sub->iset = (uint32_t)sqlite3_column_int64(st, 11);
		sub->barred = sqlite3_column_int(st, 12) != 0;
		/* the IMPU's own profile (TS 29.228 B.2: each public
		 * identity points to one), resolved at load */
		st_col_copy(sub->profile, st, 13);
		st_col_copy(sub->cap_mand, st, 14);
		st_col_copy(sub->cap_opt, st, 15);
		st_col_copy(sub->cap_servers, st, 16);
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

	return st_sub_read(st, sub);
}


/* The S-CSCF is the subscriber's (TS 23.228 5.4.1: one serves all of a
 * user's registered identities); the state is the set's.  With the last
 * set de-registered the S-CSCF is released. */
int hss_sub_assign(struct hss *hss, const struct hss_sub *sub,
		   const char *scscf, enum hss_state state)
{
	sqlite3_stmt *st;
	int e;

	if (!hss || !sub || !scscf)
		return EINVAL;

	st = hss->stv[ST_SET_STATE];
	(void)st_bind_text(st, 1, sub->impi);
	(void)sqlite3_bind_int64(st, 2, sub->iset);
	(void)sqlite3_bind_int(st, 3, state);
	e = st_exec(st);
	if (e)
		return e;

	if (state == HSS_NOT_REGISTERED && !*scscf) {
		st = hss->stv[ST_FREE_SCSCF];
		(void)st_bind_text(st, 1, sub->impi);
		return st_exec(st);
	}

	st = hss->stv[ST_ASSIGN];
	(void)st_bind_text(st, 1, scscf);
	(void)st_bind_text(st, 2, sub->impi);

	return st_exec(st);
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


/* ---- the compiled profiles ---- */

/* Takes ws, the wildcards of a load just committed */
void hss_wilds_set(struct hss *hss, struct hss_wilds *ws)
{
	if (!hss || !ws)
		return;

	mem_deref(hss->wilds);
	hss->wilds = ws;
}


/* Swaps in the set a load built; S-CSCFs keep references to the old
 * profiles they were given, which live on until they drop them. */
void hss_profiles_set(struct hss *hss, struct hss_profiles *ps)
{
	if (!hss || !ps)
		return;

	mem_deref(hss->profiles);
	hss->profiles = mem_ref(ps);
}
