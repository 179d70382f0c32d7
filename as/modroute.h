/* SPDX-License-Identifier: BSD-3-Clause */
/* module internals: what an HTTP request to a module is for, decided
 * from its path and query by modroute.c, used by module.c. */

/* A per-user document of appdb */
typedef int (userdoc_h)(struct appdb *db, const char *impu, char **jsonp);

struct route {
	enum asmod_kind kind;
	const char *name;       /* last path segment */
	userdoc_h *doch;
};

/* What a request came to, once routed */
enum resource {
	RES_DOC = 0,            /* a user's document */
	RES_DIR,                /* the directory */
	RES_BOOK,               /* the address book: read, sync, add */
	RES_ENTRY,              /* an entry of it: replace, delete */
};

struct target {
	enum resource res;
	const struct route *route;      /* RES_DOC, RES_BOOK */
	char *impu;                     /* decoded {impu} */
	int64_t id;                     /* RES_ENTRY */
};

enum {
	ID_DIGITS = 18,         /* an id or a version fits an int64_t */
};

extern const char *const modroute_kind_names[ASMOD_COUNT];

int modroute_target(struct target *t, enum asmod_kind kind,
		    const struct pl *path);
int modroute_since(int64_t *sincep, const struct pl *prm);
