/* SPDX-License-Identifier: BSD-3-Clause */
/* book: the personal address book as the GM module writes and syncs it
 * (CN102916966A), what module.c may call of appdb beyond include/as.h;
 * book.c holds it, book_json.c reads a client's entry. */

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
