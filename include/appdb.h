/* SPDX-License-Identifier: BSD-3-Clause */
/* appdb: the cloud database every AS shares (as/appdb/, SQLite): the
 * data the GM, IM and PS modules serve, the lookups click-to-dial makes,
 * and the personal address book (CN102916966A) as the GM module writes
 * and syncs it; its internals are as/appdb/appdbint.h. */

#ifndef IMSBED_APPDB_H
#define IMSBED_APPDB_H

#include <re.h>

/* ---- appdb.c, appdb_doc.c, appdb_lookup.c, appdb_load.c ---- */
struct yml;
struct yaml_node_s;
struct appdb;

int  appdb_alloc(struct appdb **dbp, const char *path, char *err,
		 size_t sz);
int  appdb_load(struct appdb *db, const struct yml *y,
		const struct yaml_node_s *appdata, char *err, size_t sz);
/* JSON documents the modules serve, mem-allocated into *jsonp; ENOENT
 * when the user has no entry. */
int  appdb_profile(struct appdb *db, const char *impu, char **jsonp);
int  appdb_addressbook(struct appdb *db, const char *impu, char **jsonp);
int  appdb_directory(struct appdb *db, char **jsonp);
int  appdb_presence(struct appdb *db, const char *impu, char **jsonp);
int  appdb_messages(struct appdb *db, const char *impu, char **jsonp);

enum { APPDB_NUMBER = 24 };
int  appdb_user_phone(struct appdb *db, const char *impu, char *buf,
		      size_t sz);
int  appdb_lookup_name(struct appdb *db, const char *owner,
		       const char *name, char (*numv)[APPDB_NUMBER],
		       size_t max, size_t *np);
/* true when the user whose phone is callee_phone has the caller (by
 * IMPU or by phone number) in their blacklist group. */
bool appdb_blacklisted(struct appdb *db, const char *callee_phone,
		       const char *caller_impu, const char *caller_phone);

/* ---- book.c, book_json.c: the personal address book ---- */
/* The groups, as appdb_groupv names them */
enum book_group {
	GRP_FAVOURITES = 0,
	GRP_FRIENDS,
	GRP_BLACKLIST,
	BOOK_GROUPS
};

enum {
	BOOK_BODY_MAX = 16384,  /* bytes of a request body, at most */
};

/* An entry as a client or the topology writes it; strings borrowed */
struct book_entry {
	const char *name;
	const char *number;             /* E.164, or NULL */
	const char *uri;                /* sip: or tel:, or NULL */
	uint8_t grpv[BOOK_GROUPS];      /* indexes of appdb_groupv */
	size_t grpc;
};

struct odict;

/* book_json.c: the entry in a JSON body, its strings kept in *op; on
 * EINVAL *errp says what is wrong, naming the field. */
int book_entry_decode(struct book_entry *e, struct odict **op,
		      const char *body, size_t len, char **errp);

/* book.c: each write is one transaction and one new version of the
 * owner's book; ENOENT for an unknown user, or for an entry that is
 * not the owner's or is deleted. */
int book_add(struct appdb *db, const char *owner,
	     const struct book_entry *e, int64_t *idp, int64_t *verp);
int book_put(struct appdb *db, const char *owner, int64_t id,
	     const struct book_entry *e, int64_t *verp);
int book_del(struct appdb *db, const char *owner, int64_t id,
	     int64_t *verp);
/* What changed after version 'since', tombstones included; ERANGE when
 * since is ahead of the book. */
int book_since(struct appdb *db, const char *owner, int64_t since,
	       char **jsonp);

#endif
