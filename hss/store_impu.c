/* SPDX-License-Identifier: BSD-3-Clause */
/* store_impu: every lookup by public identity goes through one door
 * (hss_impu_resolve: normal form, exact row, then wildcards), and the
 * implicit registration set of a row as the lists a SAA carries. */

#include <string.h>
#include <sqlite3.h>
#include <re.h>
#include "hss.h"
#include "hssint.h"
#include "storeint.h"


static bool key_exists(const struct hss *hss, const char *key)
{
	sqlite3_stmt *st = hss->stv[ST_KEY];
	bool found;

	(void)st_bind_text(st, 1, key);
	found = sqlite3_step(st) == SQLITE_ROW;
	st_done(st);

	return found;
}


/* TS 29.228 6.1 and TS 23.003 13.4: an IMPU that is stored as such wins
 * over a wildcarded identity that matches it; key is what the rows are
 * found by, wild the wildcarded identity that matched ("" for none).
 * Both are HSS_ID_MAX buffers. */
int hss_impu_resolve(const struct hss *hss, const char *impu, char *key,
		     char *wild)
{
	const char *w;

	if (!hss || !impu || !key || !wild)
		return EINVAL;

	wild[0] = '\0';
	if (hss_impu_normalise(key, HSS_ID_MAX, impu))
		return ENOENT;

	if (key_exists(hss, key))
		return 0;

	w = hss_wilds_match(hss->wilds, key);
	if (!w)
		return ENOENT;

	str_ncpy(wild, w, HSS_ID_MAX);
	str_ncpy(key, w, HSS_ID_MAX);

	return 0;
}


enum hss_match hss_impu_match(const struct hss *hss, const char *impu)
{
	char key[HSS_ID_MAX], wild[HSS_ID_MAX];

	if (hss_impu_resolve(hss, impu, key, wild))
		return HSS_MATCH_NONE;

	return wild[0] ? HSS_MATCH_WILDCARD : HSS_MATCH_EXACT;
}


bool hss_has_impu(const struct hss *hss, const char *impu)
{
	return hss_impu_match(hss, impu) != HSS_MATCH_NONE;
}


/* Matched through a wildcard, the identity in use is the one asked for */
static void sub_wild(struct hss_sub *sub, const char *impu, const char *wild)
{
	str_ncpy(sub->wildcard, wild, sizeof(sub->wildcard));
	if (wild[0])
		str_ncpy(sub->uri, impu, sizeof(sub->uri));
}


int hss_sub_by_impu(struct hss *hss, const char *impu, struct hss_sub *sub)
{
	char key[HSS_ID_MAX], wild[HSS_ID_MAX];
	sqlite3_stmt *st;
	int e;

	if (!hss || !impu || !sub)
		return EINVAL;

	e = hss_impu_resolve(hss, impu, key, wild);
	if (e)
		return e;

	st = hss->stv[ST_SUB_KEY];
	(void)st_bind_text(st, 1, key);
	e = st_sub_read(st, sub);
	if (!e)
		sub_wild(sub, impu, wild);

	return e;
}


int hss_sub_by_pair(struct hss *hss, const char *impi, const char *impu,
		    struct hss_sub *sub)
{
	char key[HSS_ID_MAX], wild[HSS_ID_MAX];
	sqlite3_stmt *st;
	int e;

	if (!hss || !impi || !impu || !sub)
		return EINVAL;

	e = hss_impu_resolve(hss, impu, key, wild);
	if (e)
		return e;

	st = hss->stv[ST_SUB_PAIR];
	(void)st_bind_text(st, 1, impi);
	(void)st_bind_text(st, 2, key);
	e = st_sub_read(st, sub);
	if (!e)
		sub_wild(sub, impu, wild);

	return e;
}


/* TS 29.228 6.1.1.1 step 3: whether the set holds an IMPU that is not
 * barred (a wildcard counts not: it is never registered itself). */
bool hss_set_usable(struct hss *hss, const struct hss_sub *sub)
{
	sqlite3_stmt *st = hss->stv[ST_USABLE];
	bool found;

	(void)st_bind_text(st, 1, sub->impi);
	(void)sqlite3_bind_int64(st, 2, sub->iset);
	found = sqlite3_step(st) == SQLITE_ROW;
	st_done(st);

	return found;
}


static int list_add(struct mbuf *mb, const char *uri)
{
	return mbuf_printf(mb, "%s%s", mb->end ? ", " : "", uri);
}


/* The three lists as one string: each ends with its NUL */
struct set_lists {
	struct mbuf *assoc, *barred, *aliases;
	const struct hss_sub *sub;
};


static int set_row(const char *uri, bool barred, const char *profile,
		   void *arg)
{
	struct set_lists *l = arg;
	int e;

	/* TS 24.229 5.4.1.2.2: P-Associated-URI lists no barred IMPU */
	e = list_add(barred ? l->barred : l->assoc, uri);
	if (!e && !strcmp(profile, l->sub->profile))
		e = list_add(l->aliases, uri);

	return e;
}


static int lists_join(struct set_lists *l, struct cx_saa *saa)
{
	size_t na = l->assoc->end, nb = l->barred->end;
	size_t nl = l->aliases->end;
	char *s;

	s = mem_alloc(na + nb + nl + 3, NULL);
	if (!s)
		return ENOMEM;

	memcpy(s, l->assoc->buf, na);
	s[na] = '\0';
	memcpy(s + na + 1, l->barred->buf, nb);
	s[na + 1 + nb] = '\0';
	memcpy(s + na + nb + 2, l->aliases->buf, nl);
	s[na + nb + 2 + nl] = '\0';

	saa->assoc = s;
	saa->barred = s + na + 1;
	saa->aliases = s + na + nb + 2;

	return 0;
}


/* The implicit registration set of sub's IMPU in the order the topology
 * lists it, so that the first URI is the default public identity (TS
 * 24.229 5.4.1.2); barred and aliases share assoc's allocation, so that
 * a caller that dereferences assoc frees them too. */
int hss_set_walk(struct hss *hss, const struct hss_sub *sub,
		 hss_set_h *h, void *arg)
{
	char uri[HSS_ID_MAX], profile[HSS_ID_MAX];
	sqlite3_stmt *st;
	int rc, e = 0;

	if (!hss || !sub || !h)
		return EINVAL;

	st = hss->stv[ST_SET];
	(void)st_bind_text(st, 1, sub->impi);
	(void)sqlite3_bind_int64(st, 2, sub->iset);

	while (!e && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		bool barred = sqlite3_column_int(st, 1) != 0;

		st_col_copy(uri, st, 0);
		st_col_copy(profile, st, 2);

		/* a wildcard is never registered itself: in its place
		 * stands the identity that matched it, when one did */
		if (sqlite3_column_int(st, 3) != 0) {
			if (strcmp(uri, sub->wildcard))
				continue;
			str_ncpy(uri, sub->uri, sizeof(uri));
		}

		e = h(uri, barred, profile, arg);
	}
	if (!e && rc != SQLITE_DONE)
		e = EIO;
	st_done(st);

	return e;
}


int hss_sub_set(struct hss *hss, const struct hss_sub *sub,
		struct cx_saa *saa)
{
	struct set_lists l;
	int e = 0;

	if (!hss || !sub || !saa)
		return EINVAL;

	l.assoc = mbuf_alloc(128);
	l.barred = mbuf_alloc(32);
	l.aliases = mbuf_alloc(128);
	if (!l.assoc || !l.barred || !l.aliases) {
		e = ENOMEM;
		goto out;
	}

	l.sub = sub;
	e = hss_set_walk(hss, sub, set_row, &l);
	if (!e)
		e = lists_join(&l, saa);

 out:
	mem_deref(l.assoc);
	mem_deref(l.barred);
	mem_deref(l.aliases);

	return e;
}


/* Barred for every IMPI that holds it: no user may originate with it */
bool hss_impu_barred(const struct hss *hss, const char *impu)
{
	char key[HSS_ID_MAX], wild[HSS_ID_MAX];
	sqlite3_stmt *st;
	bool barred = false;

	if (hss_impu_resolve(hss, impu, key, wild))
		return false;

	st = hss->stv[ST_BARRED];
	(void)st_bind_text(st, 1, key);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL)
		barred = sqlite3_column_int(st, 0) != 0;
	st_done(st);

	return barred;
}


struct ifc_profile *hss_impu_profile(struct hss *hss, const char *impi,
				     const char *impu)
{
	struct hss_sub sub;
	int e;

	if (!hss || !impu)
		return NULL;

	e = impi ? hss_sub_by_pair(hss, impi, impu, &sub) :
		hss_sub_by_impu(hss, impu, &sub);
	if (e || !sub.profile[0])
		return NULL;

	return hss_profile_find(hss, sub.profile);
}


/* The wildcarded IMPUs of the database, compiled into a new list */
int hss_wilds_load(struct hss *hss, struct hss_wilds **wsp)
{
	struct hss_wilds *ws;
	sqlite3_stmt *st;
	int rc, e;

	if (!hss || !wsp)
		return EINVAL;

	e = hss_wilds_alloc(&ws);
	if (e)
		return e;

	st = hss->stv[ST_WILDS];
	while (!e && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *u = sqlite3_column_text(st, 0);

		e = hss_wilds_add(ws, u ? (const char *)u : "");
	}
	if (!e && rc != SQLITE_DONE)
		e = EIO;
	st_done(st);

	if (e) {
		mem_deref(ws);
		return e;
	}

	mem_deref(*wsp);
	*wsp = ws;

	return 0;
}
