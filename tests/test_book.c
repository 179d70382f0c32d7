/* SPDX-License-Identifier: BSD-3-Clause */
/* book: the personal address book at rest (nothing personal in the file,
 * a changed byte or a moved row never read), the master key, and the
 * lookups click-to-dial makes on the sealed rows. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include <re.h>
#include "yml.h"
#include "as.h"
#include "tests.h"

#define KEY1 "00112233445566778899aabbccddeeff" \
	"00112233445566778899aabbccddeeff"
#define KEY2 "ffeeddccbbaa99887766554433221100" \
	"ffeeddccbbaa99887766554433221100"

enum {
	BLOB_MAX = 512,
};

/* alice's contacts carry words found nowhere else in the file */
#define USERS \
	"  directory:\n" \
	"    - {name: Mary, department: Cardiology, " \
	"numbers: [\"+16328300101\"]}\n" \
	"  users:\n" \
	"    - impu: sip:alice@ims.test\n" \
	"      name: Alice\n" \
	"      phone: \"+16328300001\"\n" \
	"      contacts:\n" \
	"        - {name: Quentin Quux, number: \"+16328309901\",\n" \
	"           uri: \"sip:quentin@ims.test\", " \
	"groups: [friends, favourites]}\n" \
	"        - {name: Mallory, uri: \"sip:Mallory@ims.test\", " \
	"groups: [blacklist]}\n" \
	"        - {name: Spammer, number: \"+16328309903\", " \
	"uri: \"tel:+16328309907\",\n" \
	"           groups: [blacklist]}\n" \
	"        - {name: quentin quux, number: \"+16328309904\"}\n" \
	"        - {name: Mary, number: \"+16328309905\"}\n" \
	"    - impu: sip:bob@ims.test\n" \
	"      name: Bob\n" \
	"      phone: \"+16328300002\"\n" \
	"      contacts:\n" \
	"        - {name: Evelyn, number: \"+16328309906\", " \
	"groups: [blacklist]}\n" \
	"    - {impu: sip:quentin@ims.test, name: Q,\n" \
	"       presence: {status: online}}\n"

static const char topo_key1[] = "appdata:\n  key: " KEY1 "\n" USERS;
static const char topo_key2[] = "appdata:\n  key: \"" KEY2 "\"\n" USERS;
static const char topo_nokey[] = "appdata:\n" USERS;

static const char book_alice[] =
	"{\"impu\":\"sip:alice@ims.test\",\"version\":1,\"entries\":["
	"{\"id\":1,\"name\":\"Quentin Quux\",\"number\":\"+16328309901\","
	"\"uri\":\"sip:quentin@ims.test\","
	"\"groups\":[\"friends\",\"favourites\"]},"
	"{\"id\":2,\"name\":\"Mallory\",\"number\":null,"
	"\"uri\":\"sip:Mallory@ims.test\",\"groups\":[\"blacklist\"]},"
	"{\"id\":3,\"name\":\"Spammer\",\"number\":\"+16328309903\","
	"\"uri\":\"tel:+16328309907\",\"groups\":[\"blacklist\"]},"
	"{\"id\":4,\"name\":\"quentin quux\",\"number\":\"+16328309904\","
	"\"uri\":null,\"groups\":[]},"
	"{\"id\":5,\"name\":\"Mary\",\"number\":\"+16328309905\","
	"\"uri\":null,\"groups\":[]}]}";

/* A database in a file, and a second connection that sees the bytes */
struct filedb {
	char path[64];
	struct appdb *db;
	sqlite3 *raw;
};


static int load(struct appdb *db, const char *text)
{
	struct yml *y = NULL;
	char err[256] = "";
	int e;

	e = yml_load_str(&y, "t.yaml", text, err, sizeof(err));
	if (!e)
		e = appdb_load(db, y, yml_get(y, yml_root(y), "appdata"), err,
			       sizeof(err));
	if (e)
		re_fprintf(stderr, "\nload: %s\n", err);

	mem_deref(y);

	return e;
}


static int file_open(struct filedb *f, const char *text)
{
	char err[256] = "";
	int fd, e;

	memset(f, 0, sizeof(*f));
	str_ncpy(f->path, "/tmp/imsbed-book-XXXXXX", sizeof(f->path));
	fd = mkstemp(f->path);
	if (fd < 0)
		return errno;
	(void)close(fd);

	e = appdb_alloc(&f->db, f->path, err, sizeof(err));
	if (!e && text)
		e = load(f->db, text);
	if (!e && sqlite3_open(f->path, &f->raw) != SQLITE_OK)
		e = EIO;

	return e;
}


static void file_close(struct filedb *f)
{
	char journal[80];

	f->db = mem_deref(f->db);
	(void)sqlite3_close(f->raw);
	f->raw = NULL;
	(void)re_snprintf(journal, sizeof(journal), "%s-journal", f->path);
	(void)unlink(journal);
	(void)unlink(f->path);
}


static int raw_exec(struct filedb *f, const char *sql)
{
	return sqlite3_exec(f->raw, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 :
		EIO;
}


static size_t blob_get(struct filedb *f, int id, uint8_t *buf)
{
	sqlite3_stmt *st = NULL;
	size_t n = 0;

	if (sqlite3_prepare_v2(f->raw, "SELECT sealed FROM contact "
			       "WHERE id = ?", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_bind_int(st, 1, id) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		n = (size_t)sqlite3_column_bytes(st, 0);
		if (n > BLOB_MAX)
			n = 0;
		else if (n)
			memcpy(buf, sqlite3_column_blob(st, 0), n);
	}
	(void)sqlite3_finalize(st);

	return n;
}


static int blob_set(struct filedb *f, int id, const uint8_t *buf,
		    size_t n)
{
	sqlite3_stmt *st = NULL;
	int e = EIO;

	if (sqlite3_prepare_v2(f->raw, "UPDATE contact SET sealed = ? "
			       "WHERE id = ?", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_bind_blob(st, 1, buf, (int)n, SQLITE_TRANSIENT) ==
	    SQLITE_OK &&
	    sqlite3_bind_int(st, 2, id) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_DONE)
		e = 0;
	(void)sqlite3_finalize(st);

	return e;
}


static bool contains(const uint8_t *buf, size_t n, const char *s)
{
	return memmem(buf, n, s, strlen(s)) != NULL;
}


/* The database file holds none of the personal fields, groups
 * included, and each record is IV, a multiple of 32 bytes, tag */
static void test_at_rest(void)
{
	static const char *const secretv[] = {
		"Quentin", "quentin quux", "+16328309901", "Mallory",
		"+16328309903", "tel:+16328309907", "Evelyn",
		"+16328309906", "blacklist", "favourites", "friends",
	};
	uint8_t blob[BLOB_MAX];
	struct filedb f;
	uint8_t *file = NULL;
	long size;
	size_t i, n;
	FILE *fp;
	int id;

	CU_ASSERT_EQUAL_FATAL(file_open(&f, topo_key1), 0);

	fp = fopen(f.path, "rb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	CU_ASSERT_EQUAL(fseek(fp, 0, SEEK_END), 0);
	size = ftell(fp);
	rewind(fp);
	CU_ASSERT(size > 0);
	file = mem_alloc((size_t)size, NULL);
	CU_ASSERT_EQUAL(fread(file, 1, (size_t)size, fp), (size_t)size);
	(void)fclose(fp);

	/* what is in the clear is: the directory, users, presence */
	CU_ASSERT(contains(file, (size_t)size, "Cardiology"));
	CU_ASSERT(contains(file, (size_t)size, "sip:alice@ims.test"));
	for (i = 0; i < sizeof(secretv) / sizeof(secretv[0]); i++) {
		CU_ASSERT(!contains(file, (size_t)size, secretv[i]));
		if (contains(file, (size_t)size, secretv[i]))
			re_fprintf(stderr, "\n'%s' in the file\n",
				   secretv[i]);
	}
	mem_deref(file);

	for (id = 1; id <= 6; id++) {
		n = blob_get(&f, id, blob);
		CU_ASSERT(n >= 12 + 32 + 16);
		CU_ASSERT_EQUAL((n - 12 - 16) % 32, 0);
		for (i = 0; i < sizeof(secretv) / sizeof(secretv[0]); i++)
			CU_ASSERT(!contains(blob, n, secretv[i]));
	}

	/* short fields pad to the same length: it tells nothing */
	CU_ASSERT_EQUAL(blob_get(&f, 4, blob), 12 + 32 + 16);
	CU_ASSERT_EQUAL(blob_get(&f, 5, blob), 12 + 32 + 16);

	file_close(&f);
}


/* One byte changed anywhere in a record, or a record in another slot:
 * every reader fails with EIO, none shows the rest of the book */
/* Every reader of a book with a tampered row says EIO and gives
 * nothing; moved: the row went to Bob's book, so it is his that fails,
 * while Alice's, a row short, reads well. */
static void tampered_refused(struct filedb *f, bool moved)
{
	const char *owner = moved ? "sip:bob@ims.test" : "sip:alice@ims.test";
	char numv[4][APPDB_NUMBER];
	char *json = NULL;
	size_t np = 9;

	CU_ASSERT_EQUAL(appdb_addressbook(f->db, owner, &json), EIO);
	CU_ASSERT_EQUAL(appdb_profile(f->db, owner, &json), EIO);
	CU_ASSERT_EQUAL(appdb_presence(f->db, owner, &json), EIO);
	CU_ASSERT_PTR_NULL(json);
	CU_ASSERT_EQUAL(appdb_lookup_name(f->db, owner, "Mary", numv, 4,
					  &np), EIO);
	CU_ASSERT_EQUAL(np, 9);
	if (!moved)
		CU_ASSERT(!appdb_blacklisted(f->db, "+16328300001",
					     "sip:mallory@ims.test", NULL));
	if (moved)
		CU_ASSERT_EQUAL(appdb_addressbook(f->db, "sip:alice@ims.test",
						  &json), 0);
	mem_deref(json);
}


static void test_tamper(void)
{
	static const struct {
		const char *sql;        /* NULL: flip a byte of row 1 */
		const char *undo;
		size_t at;              /* the byte: IV, ciphertext, tag */
	} casev[] = {
		{NULL, NULL, 0},
		{NULL, NULL, 12},
		{NULL, NULL, 40},
		{NULL, NULL, (size_t)-1},
		/* row 1 moved to Bob's book: Alice's reads well then */
		{"UPDATE contact SET owner = 'sip:bob@ims.test' WHERE id = 1",
		 "UPDATE contact SET owner = 'sip:alice@ims.test' "
		 "WHERE id = 1", 0},
		{"UPDATE contact SET version = 2 WHERE id = 1",
		 "UPDATE contact SET version = 1 WHERE id = 1", 0},
		{"UPDATE contact SET id = 9 WHERE id = 1",
		 "UPDATE contact SET id = 1 WHERE id = 9", 0},
		{"UPDATE contact SET sealed = NULL WHERE id = 1", NULL, 0},
		{"UPDATE contact SET sealed = x'00' WHERE id = 1", NULL, 0},
	};
	uint8_t orig[BLOB_MAX], blob[BLOB_MAX];
	char *json = NULL;
	struct filedb f;
	size_t i, n;

	CU_ASSERT_EQUAL_FATAL(file_open(&f, topo_key1), 0);
	n = blob_get(&f, 1, orig);
	CU_ASSERT_FATAL(n > 0);

	for (i = 0; i < sizeof(casev) / sizeof(casev[0]); i++) {
		if (casev[i].sql) {
			CU_ASSERT_EQUAL(raw_exec(&f, casev[i].sql), 0);
		}
		else {
			size_t at = casev[i].at < n ? casev[i].at : n - 1;

			memcpy(blob, orig, n);
			blob[at] ^= 0x01;
			CU_ASSERT_EQUAL(blob_set(&f, 1, blob, n), 0);
		}

		tampered_refused(&f, i == 4);

		if (casev[i].undo)
			CU_ASSERT_EQUAL(raw_exec(&f, casev[i].undo), 0);
		CU_ASSERT_EQUAL(blob_set(&f, 1, orig, n), 0);

		/* and as it was, it reads again */
		CU_ASSERT_EQUAL(appdb_addressbook(f.db, "sip:alice@ims.test",
						  &json), 0);
		ASSERT_STR(json, book_alice);
		json = mem_deref(json);
	}

	/* two records of one book swapped */
	n = blob_get(&f, 2, blob);
	CU_ASSERT_EQUAL(blob_set(&f, 2, orig, blob_get(&f, 1, orig)), 0);
	CU_ASSERT_EQUAL(blob_set(&f, 1, blob, n), 0);
	CU_ASSERT_EQUAL(appdb_addressbook(f.db, "sip:alice@ims.test", &json),
			EIO);
	CU_ASSERT_PTR_NULL(json);

	file_close(&f);
}


/* The topology's key is the key: a record sealed in one database opens
 * in another loaded with the same key, and not with another key */
static void test_master_key(void)
{
	uint8_t b1[BLOB_MAX], b2[BLOB_MAX];
	struct filedb f1, f2, f3;
	char err[256] = "";
	char *json = NULL;
	size_t n1, n2;

	CU_ASSERT_EQUAL_FATAL(file_open(&f1, topo_key1), 0);
	CU_ASSERT_EQUAL_FATAL(file_open(&f2, topo_key1), 0);
	CU_ASSERT_EQUAL_FATAL(file_open(&f3, topo_key2), 0);

	/* a fresh IV each time: the same row, other bytes */
	n1 = blob_get(&f1, 1, b1);
	n2 = blob_get(&f2, 1, b2);
	CU_ASSERT_EQUAL(n1, n2);
	CU_ASSERT(memcmp(b1, b2, 12) != 0);
	CU_ASSERT(memcmp(b1, b2, n1) != 0);

	CU_ASSERT_EQUAL(blob_set(&f2, 1, b1, n1), 0);
	CU_ASSERT_EQUAL(appdb_addressbook(f2.db, "sip:alice@ims.test", &json),
			0);
	ASSERT_STR(json, book_alice);
	json = mem_deref(json);

	CU_ASSERT_EQUAL(blob_set(&f3, 1, b1, n1), 0);
	CU_ASSERT_EQUAL(appdb_addressbook(f3.db, "sip:alice@ims.test", &json),
			EIO);

	file_close(&f3);
	file_close(&f2);

	/* a later run without the key: an error that says so, no data */
	f1.db = mem_deref(f1.db);
	CU_ASSERT_EQUAL_FATAL(appdb_alloc(&f1.db, f1.path, err, sizeof(err)),
			      0);
	CU_ASSERT_EQUAL(appdb_addressbook(f1.db, "sip:alice@ims.test", &json),
			ENOKEY);
	CU_ASSERT_EQUAL(appdb_profile(f1.db, "sip:alice@ims.test", &json),
			ENOKEY);
	CU_ASSERT_PTR_NULL(json);

	/* its load replaces the book, sealed under its own key */
	CU_ASSERT_EQUAL(load(f1.db, topo_nokey), 0);
	CU_ASSERT_EQUAL(appdb_addressbook(f1.db, "sip:alice@ims.test", &json),
			0);
	ASSERT_STR(json, book_alice);
	json = mem_deref(json);

	file_close(&f1);
}


/* A load that fails keeps the book and the key that sealed it */
static void test_failed_load(void)
{
	static const char bad[] =
		"appdata:\n  key: " KEY2 "\n"
		"  users:\n"
		"    - {impu: sip:x@ims.test, name: X}\n"
		"    - {impu: sip:x@ims.test, name: X}\n";
	struct appdb *db = NULL;
	char err[256] = "";
	char *json = NULL;

	CU_ASSERT_EQUAL_FATAL(appdb_alloc(&db, NULL, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(load(db, topo_key1), 0);
	CU_ASSERT_EQUAL(load(db, bad), EINVAL);

	CU_ASSERT_EQUAL(appdb_addressbook(db, "sip:alice@ims.test", &json),
			0);
	ASSERT_STR(json, book_alice);
	mem_deref(json);
	mem_deref(db);
}


/* A file of the layout before encryption is made anew */
static void test_old_layout(void)
{
	struct filedb f;
	char err[256] = "";
	char *json = NULL;

	CU_ASSERT_EQUAL_FATAL(file_open(&f, NULL), 0);
	f.db = mem_deref(f.db);
	CU_ASSERT_EQUAL(raw_exec(&f, "DROP TABLE contact;"
				 "CREATE TABLE contact (id INTEGER"
				 " PRIMARY KEY, owner TEXT, name TEXT);"
				 "INSERT INTO contact VALUES (1, 'a', 'b');"
				 "PRAGMA user_version = 0;"), 0);
	CU_ASSERT_EQUAL_FATAL(appdb_alloc(&f.db, f.path, err, sizeof(err)),
			      0);
	CU_ASSERT_EQUAL(load(f.db, topo_nokey), 0);
	CU_ASSERT_EQUAL(appdb_addressbook(f.db, "sip:alice@ims.test", &json),
			0);
	ASSERT_STR(json, book_alice);
	mem_deref(json);

	file_close(&f);
}


static void test_documents(void)
{
	struct appdb *db = NULL;
	char err[256] = "";
	char *json = NULL;

	CU_ASSERT_EQUAL_FATAL(appdb_alloc(&db, NULL, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(load(db, topo_nokey), 0);

	CU_ASSERT_EQUAL(appdb_addressbook(db, "SIP:ALICE@ims.test", &json),
			0);
	ASSERT_STR(json, book_alice);
	json = mem_deref(json);

	CU_ASSERT_EQUAL(appdb_profile(db, "sip:alice@ims.test", &json), 0);
	ASSERT_STR(json, "{\"impu\":\"sip:alice@ims.test\",\"name\":\"Alice\","
		   "\"groups\":{\"favourites\":[{\"name\":\"Quentin Quux\","
		   "\"uri\":\"sip:quentin@ims.test\","
		   "\"number\":\"+16328309901\"}],"
		   "\"friends\":[{\"name\":\"Quentin Quux\","
		   "\"uri\":\"sip:quentin@ims.test\","
		   "\"number\":\"+16328309901\"}],"
		   "\"blacklist\":[{\"name\":\"Mallory\","
		   "\"uri\":\"sip:Mallory@ims.test\",\"number\":null},"
		   "{\"name\":\"Spammer\",\"uri\":\"tel:+16328309907\","
		   "\"number\":\"+16328309903\"}]}}");
	json = mem_deref(json);

	CU_ASSERT_EQUAL(appdb_presence(db, "sip:alice@ims.test", &json), 0);
	ASSERT_STR(json, "{\"impu\":\"sip:alice@ims.test\",\"friends\":["
		   "{\"uri\":\"sip:quentin@ims.test\","
		   "\"name\":\"Quentin Quux\","
		   "\"status\":\"online\",\"note\":null}]}");
	json = mem_deref(json);

	mem_deref(db);
}


static void test_lookup_name(void)
{
	char numv[4][APPDB_NUMBER];
	struct appdb *db = NULL;
	char err[256] = "";
	size_t n = 0;

	CU_ASSERT_EQUAL_FATAL(appdb_alloc(&db, NULL, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(load(db, topo_key2), 0);

	/* names compare without case; each number once */
	CU_ASSERT_EQUAL(appdb_lookup_name(db, "sip:alice@ims.test",
					  "QUENTIN quux", numv, 4, &n), 0);
	CU_ASSERT_EQUAL(n, 2);
	ASSERT_STR(numv[0], "+16328309901");
	ASSERT_STR(numv[1], "+16328309904");

	CU_ASSERT_EQUAL(appdb_lookup_name(db, "sip:alice@ims.test",
					  "Quentin Quux", numv, 1, &n), 0);
	CU_ASSERT_EQUAL(n, 1);
	ASSERT_STR(numv[0], "+16328309901");

	/* the owner's own Mary comes first, Bob's is the directory's */
	CU_ASSERT_EQUAL(appdb_lookup_name(db, "sip:alice@ims.test", "mary",
					  numv, 4, &n), 0);
	CU_ASSERT_EQUAL(n, 1);
	ASSERT_STR(numv[0], "+16328309905");
	CU_ASSERT_EQUAL(appdb_lookup_name(db, "sip:bob@ims.test", "Mary",
					  numv, 4, &n), 0);
	CU_ASSERT_EQUAL(n, 1);
	ASSERT_STR(numv[0], "+16328300101");
	CU_ASSERT_EQUAL(appdb_lookup_name(db, NULL, "Mary", numv, 4, &n), 0);
	ASSERT_STR(numv[0], "+16328300101");

	/* Mallory has no number: then the directory, which has none */
	n = 7;
	CU_ASSERT_EQUAL(appdb_lookup_name(db, "sip:alice@ims.test",
					  "Mallory", numv, 4, &n), ENOENT);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_EQUAL(appdb_lookup_name(db, "sip:alice@ims.test", "Quentin",
					  numv, 4, &n), ENOENT);

	mem_deref(db);
}


static void test_blacklisted(void)
{
	static const struct {
		const char *callee;
		const char *impu;
		const char *phone;
		bool hit;
	} casev[] = {
		/* by URI, without case */
		{"+16328300001", "sip:mallory@ims.test", NULL, true},
		{"+16328300001", "SIP:MALLORY@IMS.TEST", "+16328300555",
		 true},
		/* by number, or by the tel: URI of the entry */
		{"+16328300001", "sip:x@ims.test", "+16328309903", true},
		{"+16328300001", "tel:+16328309907", NULL, true},
		{"+16328300002", NULL, "+16328309906", true},
		/* a friend, a number that is only alike, another's list */
		{"+16328300001", "sip:quentin@ims.test", "+16328309901",
		 false},
		{"+16328300001", NULL, "+1632830990", false},
		{"+16328300001", NULL, "+163283099033", false},
		{"+16328300002", "sip:mallory@ims.test", "+16328309903",
		 false},
		/* nobody has that phone; no caller at all */
		{"+16328300009", "sip:mallory@ims.test", "+16328309903",
		 false},
		{NULL, "sip:mallory@ims.test", NULL, false},
		{"+16328300001", NULL, NULL, false},
	};
	struct appdb *db = NULL;
	char err[256] = "";
	size_t i;

	CU_ASSERT_EQUAL_FATAL(appdb_alloc(&db, NULL, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(load(db, topo_key1), 0);

	for (i = 0; i < sizeof(casev) / sizeof(casev[0]); i++) {
		bool hit = appdb_blacklisted(db, casev[i].callee,
					     casev[i].impu, casev[i].phone);

		CU_ASSERT_EQUAL(hit, casev[i].hit);
		if (hit != casev[i].hit)
			re_fprintf(stderr, "\nblacklist case %zu\n", i);
	}

	CU_ASSERT(!appdb_blacklisted(NULL, "+16328300001",
				     "sip:mallory@ims.test", NULL));

	mem_deref(db);
}


int test_book_suite(void)
{
	CU_pSuite s = CU_add_suite("book", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "nothing personal at rest", test_at_rest) ||
	    !CU_add_test(s, "tampered rows never read", test_tamper) ||
	    !CU_add_test(s, "master key", test_master_key) ||
	    !CU_add_test(s, "failed load keeps the key", test_failed_load) ||
	    !CU_add_test(s, "older file layout", test_old_layout) ||
	    !CU_add_test(s, "documents of sealed rows", test_documents) ||
	    !CU_add_test(s, "lookup by name", test_lookup_name) ||
	    !CU_add_test(s, "blacklisted", test_blacklisted))
		return CU_get_error();

	return 0;
}
