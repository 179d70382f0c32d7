/* SPDX-License-Identifier: BSD-3-Clause */
/* appdb_load: the topology's 'appdata' into the database, in one
 * transaction; each entry kind is a table of its keys and their checks,
 * and every error names file:line:column and the YAML path. */

#include <string.h>
#include <sqlite3.h>
#include <re.h>
#include <openssl/crypto.h>
#include "yml.h"
#include "host.h"
#include "sipkit.h"
#include "appdb.h"
#include "appdbint.h"

enum {
	PATH_LEN   = 96,
	FIELDS_MAX = 6,         /* keys of an entry */
};

/* How a loaded scalar is checked */
enum check {
	CK_TEXT = 0,            /* anything, "" too */
	CK_NAME,                /* not empty */
	CK_E164,
	CK_URI,
	CK_GROUP,
	CK_STATUS,
	CK_TIME,
	CK_CHILD,               /* a list or mapping, read by the caller */
};

/* ... and what a value that fails it is: printf of the path, the value */
static const char *const check_msg[] = {
	[CK_NAME]   = "%s must not be empty",
	[CK_E164]   = "%s: '%s' is not an E.164 number (+ and 2 to 15 "
		      "digits)",
	[CK_URI]    = "%s: '%s' is not a sip: or tel: URI",
	[CK_GROUP]  = "%s: unknown group '%s' (favourites, friends or "
		      "blacklist)",
	[CK_STATUS] = "%s: unknown status '%s' (online, away, busy or "
		      "offline)",
	[CK_TIME]   = "%s: '%s' is not an RFC 3339 time such as "
		      "2026-11-25T09:00:00Z",
};

/* A key of an entry; an entry's table is the only keys it accepts */
struct field {
	const char *key;
	enum check ck;
	bool required;
};

static const struct field dir_fields[] = {
	{"name", CK_NAME, true}, {"department", CK_NAME, false},
	{"numbers", CK_CHILD, false}, {NULL, CK_TEXT, false}
};

static const struct field user_fields[] = {
	{"impu", CK_URI, true}, {"name", CK_NAME, true},
	{"contacts", CK_CHILD, false}, {"presence", CK_CHILD, false},
	{"messages", CK_CHILD, false}, {"phone", CK_E164, false},
	{NULL, CK_TEXT, false}
};

static const struct field contact_fields[] = {
	{"name", CK_NAME, true}, {"number", CK_E164, false},
	{"uri", CK_URI, false}, {"groups", CK_CHILD, false},
	{NULL, CK_TEXT, false}
};

/* CK_TEXT: an empty note, or text of a message, is still one */
static const struct field presence_fields[] = {
	{"status", CK_STATUS, true}, {"note", CK_TEXT, false},
	{NULL, CK_TEXT, false}
};

static const struct field message_fields[] = {
	{"from", CK_URI, true}, {"time", CK_TIME, true},
	{"text", CK_TEXT, true}, {NULL, CK_TEXT, false}
};

/* What every loader function needs to write a row or name an error */
struct load {
	struct appdb *db;
	const struct yml *y;
	char *err;
	size_t sz;
};

/* The row a list item belongs to */
struct owner {
	const char *impu;
	sqlite3_int64 id;
};

typedef int (item_h)(const struct load *l, const yml_node *n,
		     const char *what, size_t i, const struct owner *o);


static int dberr(const struct load *l, const yml_node *n)
{
	return yml_err(l->y, n, l->err, l->sz, "appdata: database: %s",
		       sqlite3_errmsg(l->db->db));
}


/* The scalar n at path, checked as ck says */
static int scalar(const struct load *l, const yml_node *n, const char *path,
		  enum check ck, const char **vp)
{
	const char *v;
	bool ok;

	if (yml_scalar(l->y, n, path, &v, l->err, l->sz))
		return EINVAL;

	switch (ck) {

	case CK_NAME:   ok = *v != '\0';                break;
	case CK_E164:   ok = appdb_is_e164(v);          break;
	case CK_URI:    ok = appdb_is_uri(v);           break;
	case CK_GROUP:  ok = appdb_group(v) >= 0;       break;
	case CK_STATUS: ok = appdb_is_status(v);        break;
	case CK_TIME:   ok = appdb_is_time(v);          break;
	default:        ok = true;                      break;
	}

	if (!ok)
		return yml_err(l->y, n, l->err, l->sz, check_msg[ck], path,
			       v);

	*vp = v;

	return 0;
}


/* The scalar fields of entry n into valv (NULL when absent), in the
 * order of fv; a key outside fv is an error */
static int fields(const struct load *l, const yml_node *n, const char *what,
		  const struct field *fv, const char **valv)
{
	const char *keyv[FIELDS_MAX + 1];
	char path[PATH_LEN];
	size_t i;

	for (i = 0; fv[i].key; i++)
		keyv[i] = fv[i].key;
	keyv[i] = NULL;

	if (yml_check_keys(l->y, n, keyv, what, l->err, l->sz))
		return EINVAL;

	for (i = 0; fv[i].key; i++) {
		const yml_node *vn = yml_get(l->y, n, fv[i].key);

		valv[i] = NULL;
		if (!vn && fv[i].required)
			return yml_err(l->y, n, l->err, l->sz, "%s: missing "
				       "'%s'", what, fv[i].key);
		if (!vn || fv[i].ck == CK_CHILD)
			continue;

		(void)re_snprintf(path, sizeof(path), "%s.%s", what,
				  fv[i].key);
		if (scalar(l, vn, path, fv[i].ck, &valv[i]))
			return EINVAL;
	}

	return 0;
}


/* Hands each item of the list at key of entry n, if any, to itemh */
static int items(const struct load *l, const yml_node *n, const char *key,
		 const char *what, item_h *itemh, const struct owner *o)
{
	char path[PATH_LEN], item[PATH_LEN];
	const yml_node *ln;
	size_t i;
	int e = 0;

	ln = yml_get(l->y, n, key);
	(void)re_snprintf(path, sizeof(path), "%s.%s", what, key);

	if (!ln)
		return 0;
	if (!yml_is_seq(ln))
		return yml_err(l->y, ln, l->err, l->sz, "%s must be a list",
			       path);

	for (i = 0; i < yml_count(ln) && !e; i++) {
		(void)re_snprintf(item, sizeof(item), "%s[%zu]", path, i);
		e = itemh(l, yml_item(l->y, ln, i), item, i, o);
	}

	return e;
}


static int load_number(const struct load *l, const yml_node *n,
		       const char *what, size_t i, const struct owner *o)
{
	const char *num = NULL;

	if (scalar(l, n, what, CK_E164, &num))
		return EINVAL;

	if (appdb_st_insert(l->db->stv[ST_INS_DIRNUM], "iis", o->id,
			    (sqlite3_int64)i, num))
		return dberr(l, n);

	return 0;
}


static int load_dir_entry(const struct load *l, const yml_node *n,
			  const char *what, size_t i, const struct owner *o)
{
	const char *v[FIELDS_MAX];
	struct owner entry = {NULL, 0};
	(void)i;
	(void)o;

	if (fields(l, n, what, dir_fields, v))
		return EINVAL;

	if (appdb_st_insert(l->db->stv[ST_INS_DIR], "ss", v[0], v[1]))
		return dberr(l, n);

	entry.id = sqlite3_last_insert_rowid(l->db->db);

	return items(l, n, "numbers", what, load_number, &entry);
}


/* The groups of contact n into e, sealed with the rest of it */
static int load_groups(const struct load *l, const yml_node *n,
		       const char *what, struct book_entry *e)
{
	char path[PATH_LEN], item[PATH_LEN];
	const yml_node *ln, *gn;
	const char *grp;
	size_t i, j;

	e->grpc = 0;
	ln = yml_get(l->y, n, "groups");
	if (!ln)
		return 0;

	(void)re_snprintf(path, sizeof(path), "%s.groups", what);
	if (!yml_is_seq(ln))
		return yml_err(l->y, ln, l->err, l->sz, "%s must be a list",
			       path);

	for (i = 0; i < yml_count(ln); i++) {
		gn = yml_item(l->y, ln, i);
		(void)re_snprintf(item, sizeof(item), "%s[%zu]", path, i);
		if (scalar(l, gn, item, CK_GROUP, &grp))
			return EINVAL;

		for (j = 0; j < e->grpc; j++) {
			if (e->grpv[j] == appdb_group(grp))
				return yml_err(l->y, gn, l->err, l->sz, "%s: "
					       "duplicate group '%s'", item,
					       grp);
		}

		e->grpv[e->grpc++] = (uint8_t)appdb_group(grp);
	}

	return 0;
}


static int load_contact(const struct load *l, const yml_node *n,
			const char *what, size_t i, const struct owner *o)
{
	const char *v[FIELDS_MAX];
	struct book_entry e;
	int err;
	(void)i;

	if (fields(l, n, what, contact_fields, v))
		return EINVAL;

	if (!v[1] && !v[2])
		return yml_err(l->y, n, l->err, l->sz, "%s: needs a number "
			       "or a uri", what);

	e.name = v[0];
	e.number = v[1];
	e.uri = v[2];
	if (load_groups(l, n, what, &e))
		return EINVAL;

	/* the loaded book is version 1 of it (book.c) */
	err = book_insert(l->db, o->impu, &e, 1, NULL);
	if (err == EOVERFLOW)
		return yml_err(l->y, n, l->err, l->sz, "%s: a field longer "
			       "than 65534 bytes", what);

	return err ? dberr(l, n) : 0;
}


static int load_message(const struct load *l, const yml_node *n,
			const char *what, size_t i, const struct owner *o)
{
	const char *v[FIELDS_MAX];
	(void)i;

	if (fields(l, n, what, message_fields, v))
		return EINVAL;

	if (appdb_st_insert(l->db->stv[ST_INS_MSG], "ssss", o->impu, v[0],
			    v[1], v[2]))
		return dberr(l, n);

	return 0;
}


/* A PRIMARY KEY conflict: the first place comes from the row there */
static int dup_user(const struct load *l, const yml_node *n,
		    const char *impu, const char *what)
{
	sqlite3_stmt *st = l->db->stv[ST_SRC_USER];
	char first[64] = "";

	if (!appdb_st_bind(st, "s", impu) && sqlite3_step(st) == SQLITE_ROW)
		(void)re_snprintf(first, sizeof(first), ", first at %s:%d:%d",
				  yml_file(l->y), sqlite3_column_int(st, 0),
				  sqlite3_column_int(st, 1));
	appdb_st_done(st);

	return yml_err(l->y, n, l->err, l->sz, "%s.impu: duplicate IMPU "
		       "'%s'%s", what, impu, first);
}


static int load_user(const struct load *l, const yml_node *n,
		     const char *what, size_t i, const struct owner *o)
{
	const char *v[FIELDS_MAX], *pv[FIELDS_MAX];
	const yml_node *in, *pn;
	char path[PATH_LEN];
	struct owner user;
	int e;
	(void)i;
	(void)o;

	if (fields(l, n, what, user_fields, v))
		return EINVAL;

	in = yml_get(l->y, n, "impu");
	e = appdb_st_insert(l->db->stv[ST_INS_USER], "sssii", v[0], v[1],
			    v[5], (sqlite3_int64)yml_line(in),
			    (sqlite3_int64)yml_col(in));
	if (e == EEXIST)
		return dup_user(l, in, v[0], what);
	if (e)
		return dberr(l, in);

	user.impu = v[0];
	user.id = 0;

	e = items(l, n, "contacts", what, load_contact, &user);
	if (e)
		return e;

	pn = yml_get(l->y, n, "presence");
	(void)re_snprintf(path, sizeof(path), "%s.presence", what);
	if (pn && fields(l, pn, path, presence_fields, pv))
		return EINVAL;
	if (pn && appdb_st_insert(l->db->stv[ST_INS_PRES], "sss", v[0],
				  pv[0], pv[1]))
		return dberr(l, pn);

	return items(l, n, "messages", what, load_message, &user);
}


/* appdata.key: the master key of the address book (book_seal.c) as 64
 * hex digits.  It is a secret: no error repeats it. */
static int load_key(const struct load *l, const yml_node *appdata)
{
	uint8_t key[APPDB_KEY_LEN];
	const yml_node *kn;
	const char *v;
	size_t i;
	int hi, lo, e = 0;

	kn = yml_get(l->y, appdata, "key");
	if (!kn)
		return 0;

	if (yml_scalar(l->y, kn, "appdata.key", &v, l->err, l->sz))
		return EINVAL;

	if (strlen(v) != 2 * APPDB_KEY_LEN)
		e = EINVAL;

	for (i = 0; i < APPDB_KEY_LEN && !e; i++) {
		hi = sipx_hexval(v[2 * i]);
		lo = sipx_hexval(v[2 * i + 1]);
		if (hi < 0 || lo < 0)
			e = EINVAL;
		else
			key[i] = (uint8_t)(hi << 4 | lo);
	}

	if (!e)
		e = book_master_set(l->db, key);
	OPENSSL_cleanse(key, sizeof(key));

	if (e == EINVAL)
		return yml_err(l->y, kn, l->err, l->sz, "appdata.key must be "
			       "64 hex digits (a 256-bit key)");

	return e;
}


static int load_all(const struct load *l, const yml_node *appdata)
{
	static const char *const keys[] = {
		"db", "key", "reset", "directory", "users", NULL
	};
	const yml_node *bn;
	const char *path;
	int e;

	if (appdb_clear(l->db))
		return dberr(l, appdata);

	if (appdata &&
	    yml_check_keys(l->y, appdata, keys, "appdata", l->err, l->sz))
		return EINVAL;

	if (appdata && load_key(l, appdata))
		return EINVAL;

	/* what this run seals, a later run with another key cannot open:
	 * the key check lets it say so */
	if (book_key_store(l->db))
		return dberr(l, appdata);

	if (!appdata)
		return 0;

	/* the caller gave the path to appdb_alloc; here it is only read */
	bn = yml_get(l->y, appdata, "db");
	if (bn && yml_scalar(l->y, bn, "appdata.db", &path, l->err, l->sz))
		return EINVAL;

	e = items(l, appdata, "directory", "appdata", load_dir_entry, NULL);
	if (!e)
		e = items(l, appdata, "users", "appdata", load_user, NULL);

	return e;
}


/* A file database that holds data already outlives the run: what was
 * written to it (address-book entries, their versions) is kept, and the
 * topology's appdata only seeds a new one, or one it says to 'reset'.
 * The seed is still checked, in a database of its own, so that an error
 * in it shows now and not on the day the file is new.  A kept book needs
 * the key that sealed it: appdata.key, since a random one is never
 * stored. */
static int keep_existing(const struct load *l, const yml_node *appdata,
			 bool *keptp)
{
	const yml_node *bn = yml_get(l->y, appdata, "db");
	const yml_node *rn = yml_get(l->y, appdata, "reset");
	struct appdb *scratch = NULL;
	struct load sl = *l;
	bool reset = false;
	int e;

	*keptp = false;
	if (!bn || !str_cmp(yml_str(bn), ":memory:"))
		return 0;
	if (rn && yml_bool(l->y, rn, "appdata.reset", &reset, l->err, l->sz))
		return EINVAL;
	if (reset || book_key_verify(l->db) == ENOENT)
		return 0;

	e = appdb_alloc(&scratch, NULL, l->err, l->sz);
	if (e)
		return e;
	sl.db = scratch;
	e = load_all(&sl, appdata);
	mem_deref(scratch);
	if (e)
		return e;

	if (load_key(l, appdata))
		return EINVAL;

	e = book_key_verify(l->db);
	if (e == ENOKEY)
		return yml_err(l->y, yml_get(l->y, appdata, "key") ?
			       yml_get(l->y, appdata, "key") : bn, l->err,
			       l->sz, "appdata.db '%s' was sealed under "
			       "another key: give the appdata.key it was "
			       "made with, or reset: true to start afresh",
			       yml_str(bn));
	if (e)
		return dberr(l, bn);

	*keptp = true;
	return 0;
}


int appdb_load(struct appdb *db, const struct yml *y,
	       const struct yaml_node_s *appdata, char *err, size_t sz)
{
	uint8_t master[APPDB_KEY_LEN];
	struct load l;
	bool kept;
	int e;

	if (!db || !y)
		return EINVAL;

	l.db = db;
	l.y = y;
	l.err = err;
	l.sz = sz;

	memcpy(master, db->master, sizeof(master));
	e = keep_existing(&l, appdata, &kept);
	if (e || kept) {
		if (e)
			memcpy(db->master, master, sizeof(master));
		OPENSSL_cleanse(master, sizeof(master));
		return e;
	}

	/* all or nothing: a failed load leaves the database as it was,
	 * and the key that sealed it */
	if (sqlite3_exec(db->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return dberr(&l, appdata);

	memcpy(master, db->master, sizeof(master));

	e = load_all(&l, appdata);
	if (!e && sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL) !=
	    SQLITE_OK)
		e = dberr(&l, appdata);

	if (e) {
		(void)sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
		memcpy(db->master, master, sizeof(master));
	}

	OPENSSL_cleanse(master, sizeof(master));

	return e;
}
