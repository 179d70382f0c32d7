/* SPDX-License-Identifier: BSD-3-Clause */
/* appdb internals, shared by the store (appdb.c), its JSON documents
 * (appdb_doc.c), the loader of 'appdata' (appdb_load.c), the lookups at
 * call time (appdb_lookup.c) and the personal address book (book*.c);
 * no other file sees them.  Include appdb.h first. */

enum {
	APPDB_KEY_LEN = 32,     /* AES-256, HKDF-SHA256 output */
};

/* Statements used per request or per loaded row, prepared once; each
 * per-user lookup goes through a PRIMARY KEY or an index. */
enum appdb_stmt {
	ST_INS_USER = 0,
	ST_SRC_USER,
	ST_INS_PRES,
	ST_INS_CONTACT,
	ST_INS_DIR,
	ST_INS_DIRNUM,
	ST_INS_MSG,
	ST_USER,
	ST_BOOK,
	ST_DIR,
	ST_DIRNUMS,
	ST_PRES,
	ST_MSGS,
	ST_PHONE,
	ST_BY_PHONE,
	ST_DIR_NAME,
	ST_NEXT_ID,
	ST_CONTACT,
	ST_SET_CONTACT,
	ST_SET_VERSION,
	ST_META_GET,
	ST_META_SET,
	ST_MAX
};

struct appdb {
	sqlite3 *db;
	sqlite3_stmt *stv[ST_MAX];
	/* never written to the database: see book_seal.c */
	uint8_t master[APPDB_KEY_LEN];
};

/* The address book's groups, in the order the profile lists them */
extern const char *const appdb_groupv[];

/* appdb.c: bind, step, always reset */
void appdb_st_done(sqlite3_stmt *st);
int  appdb_st_bind(sqlite3_stmt *st, const char *fmt, ...);
int  appdb_st_insert(sqlite3_stmt *st, const char *fmt, ...);
int  appdb_clear(struct appdb *db);
/* appdb_doc.c: the pieces of a JSON document */
int  appdb_jmember(struct mbuf *mb, const char *sep, const char *key,
		   const char *val);
int  appdb_doc_open(struct appdb *db, struct mbuf *mb, const char *impu,
		    bool name, int64_t *verp);
int  appdb_doc_close(struct mbuf *mb, const char *tail, char **jsonp);

/* appdb_value.c: the checks a loaded or a client's entry passes */
bool appdb_is_e164(const char *s);
bool appdb_is_uri(const char *s);
bool appdb_is_time(const char *s);
bool appdb_is_status(const char *s);
/* The index of a group in appdb_groupv, or -1 */
int  appdb_group(const char *s);

/* A decrypted row of an owner's book */
struct book_row {
	struct le le;
	int64_t id;
	int64_t version;
	bool deleted;                   /* a tombstone: nothing else */
	char *name;
	char *number;
	char *uri;
	uint8_t grpv[BOOK_GROUPS];
	size_t grpc;
};

/* book_seal.c: AES-256-GCM of a row under the owner's key */
int  book_master_set(struct appdb *db, const uint8_t *key);
int  book_key_check(uint8_t *kc, const struct appdb *db);
int  book_user_key(uint8_t *key, const struct appdb *db, const char *owner);
int  book_seal(struct mbuf **blobp, const uint8_t *key, const char *owner,
	       int64_t id, int64_t version, const struct book_entry *e);
int  book_open(struct book_row *row, const uint8_t *key, const char *owner,
	       const uint8_t *blob, size_t len);

/* book.c: an owner's rows, decrypted, in id order */
int  book_load(struct list *rows, struct appdb *db, const char *owner,
	       int64_t since, bool tombstones);
bool book_has(const struct book_row *row, enum book_group grp);
int  book_insert(struct appdb *db, const char *owner,
		 const struct book_entry *e, int64_t version, int64_t *idp);
int  book_key_store(struct appdb *db);
/* 0: this run's master key opens the database; ENOKEY: it was sealed
 * under another; ENOENT: it has no key check, so nothing sealed yet */
int  book_key_verify(struct appdb *db);
