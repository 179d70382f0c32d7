/* SPDX-License-Identifier: BSD-3-Clause */
/* appdb_lookup: what the click-to-dial service asks at call time: the
 * caller's own phone, a callee's numbers by name, and whether the callee
 * has blacklisted the caller. */

#include <string.h>
#include <sqlite3.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "appdb.h"
#include "appdbint.h"


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


/* Adds s to numv unless it is there */
static size_t number_add(char (*numv)[APPDB_NUMBER], size_t n,
			 const char *s)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!strcmp(numv[i], s))
			return n;
	}

	str_ncpy(numv[n], s, APPDB_NUMBER);

	return n + 1;
}


static size_t numbers(sqlite3_stmt *st, char (*numv)[APPDB_NUMBER],
		      size_t max, size_t n)
{
	while (n < max && sqlite3_step(st) == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 0);

		if (s)
			n = number_add(numv, n, s);
	}
	appdb_st_done(st);

	return n;
}


/* A callee by name (CN102916966A step 3): the owner's personal entries
 * first, then the enterprise directory; names may repeat, so every
 * distinct number found is returned.  Names compare as SQLite's NOCASE
 * does (ASCII letters without case).
 *
 * A sealed name cannot be indexed, so the owner's rows are opened and
 * compared here: a personal book is small, and a keyed hash of each name
 * in its own indexed column, the alternative, would show in the clear
 * which entries of a book share a name.  An entry that does not open
 * fails the lookup (EIO): it is never skipped. */
int appdb_lookup_name(struct appdb *db, const char *owner, const char *name,
		      char (*numv)[APPDB_NUMBER], size_t max, size_t *np)
{
	struct list rowl = LIST_INIT;
	struct le *le;
	size_t n = 0;
	int e;

	if (!db || !name || !numv || !np)
		return EINVAL;

	if (owner) {
		e = book_load(&rowl, db, owner, 0, false);
		if (e)
			return e;

		for (le = rowl.head; le && n < max; le = le->next) {
			const struct book_row *r = le->data;

			if (r->number && !str_casecmp(r->name, name))
				n = number_add(numv, n, r->number);
		}
		list_flush(&rowl);
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


/* Whether impu's blacklist holds the caller, by URI (without case, as
 * IMPUs compare) or by number */
static int holds(bool *hitp, struct appdb *db, const char *impu,
		 const char *caller_impu, const char *caller_phone)
{
	struct list rowl = LIST_INIT;
	struct le *le;
	int e;

	e = book_load(&rowl, db, impu, 0, false);

	for (le = rowl.head; le && !e && !*hitp; le = le->next) {
		const struct book_row *r = le->data;

		if (!book_has(r, GRP_BLACKLIST))
			continue;

		*hitp = (caller_impu && r->uri &&
			 !str_casecmp(r->uri, caller_impu)) ||
			(caller_phone && r->number &&
			 !strcmp(r->number, caller_phone));
	}

	list_flush(&rowl);

	return e;
}


/* The user is found by phone through users_by_phone, then their rows by
 * (owner, id) and opened: the group is sealed with the rest of a row, so
 * nothing in the clear says who is blacklisted.  A book that does not
 * open is logged and the caller let through: whoever can damage the file
 * can as well delete the entry, and a damaged book must not bar every
 * call to its owner. */
bool appdb_blacklisted(struct appdb *db, const char *callee_phone,
		       const char *caller_impu, const char *caller_phone)
{
	sqlite3_stmt *st;
	bool hit = false;
	int e;

	if (!db || !callee_phone || (!caller_impu && !caller_phone))
		return false;

	st = db->stv[ST_BY_PHONE];
	if (appdb_st_bind(st, "s", callee_phone))
		return false;

	while (!hit && sqlite3_step(st) == SQLITE_ROW) {
		const char *impu = (const char *)sqlite3_column_text(st, 0);

		e = holds(&hit, db, impu, caller_impu, caller_phone);
		if (e)
			elog(LOG_ERR, "appdb", "book", "blacklist of %s: %m",
			     impu, e);
	}

	appdb_st_done(st);

	return hit;
}
