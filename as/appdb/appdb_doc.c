/* SPDX-License-Identifier: BSD-3-Clause */
/* appdb_doc: the JSON documents the modules serve from appdb: a user's
 * profile, presence of friends and messages, and the directory (the
 * address book's own documents: book.c). */

#include <string.h>
#include <sqlite3.h>
#include <re.h>
#include "appdb.h"
#include "appdbint.h"


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
int appdb_jmember(struct mbuf *mb, const char *sep, const char *key,
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
		e = appdb_jmember(mb, i ? "," : "{", keyv[i], col(st, i));

	return e ? e : mbuf_write_u8(mb, '}');
}


static int str_row(struct appdb *db, struct mbuf *mb, sqlite3_stmt *st,
		   const void *arg)
{
	(void)db;
	(void)arg;

	return mbuf_printf(mb, "\"%H\"", utf8_encode, col(st, 0));
}


/* Members from column 1 on, then the list "numbers":[...] of the
 * entry whose id is in column 0, and the closing brace */
static int dir_row(struct appdb *db, struct mbuf *mb, sqlite3_stmt *st,
		   const void *arg)
{
	static const char *const keyv[] = {"name", "department", NULL};
	int i, e = 0;
	(void)arg;

	for (i = 0; keyv[i] && !e; i++)
		e = appdb_jmember(mb, i ? "," : "{", keyv[i], col(st, i + 1));
	if (!e)
		e = mbuf_write_str(mb, ",\"numbers\":[");
	if (!e)
		e = appdb_st_bind(db->stv[ST_DIRNUMS], "i",
				  sqlite3_column_int64(st, 0));
	if (!e)
		e = rows(db, mb, db->stv[ST_DIRNUMS], str_row, NULL);

	return e ? e : mbuf_write_str(mb, "]}");
}


/* Opens the document of user impu: {"impu":"..."[,"name":"..."]; *verp
 * is the version of the user's address book */
int appdb_doc_open(struct appdb *db, struct mbuf *mb, const char *impu,
		   bool name, int64_t *verp)
{
	sqlite3_stmt *st = db->stv[ST_USER];
	int rc, e;

	e = appdb_st_bind(st, "s", impu);
	if (e)
		return e;

	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		e = appdb_jmember(mb, "{", "impu", col(st, 0));
		if (!e && name)
			e = appdb_jmember(mb, ",", "name", col(st, 1));
		if (verp)
			*verp = sqlite3_column_int64(st, 2);
	}
	else {
		e = rc == SQLITE_DONE ? ENOENT : EIO;
	}

	appdb_st_done(st);

	return e;
}


/* Closes the document and hands it over as a string */
int appdb_doc_close(struct mbuf *mb, const char *tail, char **jsonp)
{
	int e = mbuf_write_str(mb, tail);

	if (e)
		return e;

	mb->pos = 0;

	return mbuf_strdup(mb, jsonp, mb->end);
}


/* A document of the user's own book: the user's head, then what viewh
 * prints of the opened rows, then tail */
typedef int (view_h)(struct appdb *db, struct mbuf *mb,
		     const struct list *rows);

static int book_view(struct appdb *db, const char *impu, bool name,
		     view_h *viewh, const char *tail, char **jsonp)
{
	struct list rowl = LIST_INIT;
	struct mbuf *mb;
	int e;

	if (!db || !impu || !jsonp)
		return EINVAL;

	mb = mbuf_alloc(512);
	if (!mb)
		return ENOMEM;

	e = appdb_doc_open(db, mb, impu, name, NULL);
	if (!e)
		e = book_load(&rowl, db, impu, 0, false);
	if (!e)
		e = viewh(db, mb, &rowl);
	if (!e)
		e = appdb_doc_close(mb, tail, jsonp);

	list_flush(&rowl);
	mem_deref(mb);

	return e;
}


/* "groups":{"favourites":[...],...}, each in the order of the book */
static int groups_print(struct appdb *db, struct mbuf *mb,
			const struct list *rowl)
{
	struct le *le;
	bool first;
	int i, e;
	(void)db;

	e = mbuf_write_str(mb, ",\"groups\":{");

	for (i = 0; appdb_groupv[i] && !e; i++) {
		e = mbuf_printf(mb, "%s\"%s\":[", i ? "," : "",
				appdb_groupv[i]);
		first = true;

		for (le = rowl->head; le && !e; le = le->next) {
			const struct book_row *r = le->data;

			if (!book_has(r, i))
				continue;

			e = appdb_jmember(mb, first ? "{" : ",{", "name",
					  r->name);
			if (!e)
				e = appdb_jmember(mb, ",", "uri", r->uri);
			if (!e)
				e = appdb_jmember(mb, ",", "number",
						  r->number);
			if (!e)
				e = mbuf_write_u8(mb, '}');
			first = false;
		}

		if (!e)
			e = mbuf_write_u8(mb, ']');
	}

	return e;
}


/* "friends":[...]: the friends with a URI, and that URI's presence */
static int friends_print(struct appdb *db, struct mbuf *mb,
			 const struct list *rowl)
{
	sqlite3_stmt *st = db->stv[ST_PRES];
	struct le *le;
	bool first = true;
	int rc, e;

	e = mbuf_write_str(mb, ",\"friends\":[");

	for (le = rowl->head; le && !e; le = le->next) {
		const struct book_row *r = le->data;

		if (!r->uri || !book_has(r, GRP_FRIENDS))
			continue;

		e = appdb_jmember(mb, first ? "{" : ",{", "uri", r->uri);
		if (!e)
			e = appdb_jmember(mb, ",", "name", r->name);
		if (!e)
			e = appdb_st_bind(st, "s", r->uri);
		if (e)
			break;

		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			e = appdb_jmember(mb, ",", "status", col(st, 0));
			if (!e)
				e = appdb_jmember(mb, ",", "note", col(st, 1));
		}
		else if (rc == SQLITE_DONE) {
			e = mbuf_write_str(mb, ",\"status\":\"unknown\","
					   "\"note\":null");
		}
		else {
			e = EIO;
		}
		appdb_st_done(st);

		if (!e)
			e = mbuf_write_u8(mb, '}');
		first = false;
	}

	return e;
}


int appdb_profile(struct appdb *db, const char *impu, char **jsonp)
{
	return book_view(db, impu, true, groups_print, "}}", jsonp);
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
		e = appdb_doc_close(mb, "]}", jsonp);

	mem_deref(mb);

	return e;
}


int appdb_presence(struct appdb *db, const char *impu, char **jsonp)
{
	return book_view(db, impu, false, friends_print, "]}", jsonp);
}


int appdb_messages(struct appdb *db, const char *impu, char **jsonp)
{
	static const char *const keys[] = {"from", "time", "text", NULL};
	sqlite3_stmt *st;
	struct mbuf *mb;
	int e;

	if (!db || !impu || !jsonp)
		return EINVAL;

	mb = mbuf_alloc(512);
	if (!mb)
		return ENOMEM;

	st = db->stv[ST_MSGS];
	e = appdb_doc_open(db, mb, impu, false, NULL);
	if (!e)
		e = mbuf_write_str(mb, ",\"messages\":[");
	if (!e)
		e = appdb_st_bind(st, "s", impu);
	if (!e)
		e = rows(db, mb, st, obj_row, keys);
	if (!e)
		e = appdb_doc_close(mb, "]}", jsonp);

	mem_deref(mb);

	return e;
}
