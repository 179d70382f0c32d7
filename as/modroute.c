/* SPDX-License-Identifier: BSD-3-Clause */
/* Routing of a module's HTTP requests: which document, book or entry a
 * path names, with {impu} percent-decoded and ids and versions read as
 * whole numbers that cannot overflow. */

#include <string.h>
#include <strings.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "as.h"
#include "modroute.h"

/* /<kind>/v1/users/{impu}/<name>; the directory stands apart */
static const struct route routes[] = {
	{ASMOD_GM, "profile",     appdb_profile},
	{ASMOD_GM, "addressbook", appdb_addressbook},
	{ASMOD_IM, "messages",    appdb_messages},
	{ASMOD_PS, "friends",     appdb_presence},
};

const char *const modroute_kind_names[ASMOD_COUNT] = {
	[ASMOD_GM] = "gm",
	[ASMOD_IM] = "im",
	[ASMOD_PS] = "ps",
};


/* RFC 3986 2.1: %XX is the byte XX; EBADMSG on a bad or NUL escape */
static int pct_decode(char **sp, const char *p, size_t n)
{
	char *s;
	size_t i, o = 0;

	s = mem_alloc(n + 1, NULL);
	if (!s)
		return ENOMEM;

	for (i = 0; i < n; i++) {
		int hi, lo;

		if (p[i] != '%') {
			s[o++] = p[i];
			continue;
		}

		if (i + 2 >= n) {
			mem_deref(s);
			return EBADMSG;
		}

		hi = sipx_hexval(p[i + 1]);
		lo = sipx_hexval(p[i + 2]);
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
			mem_deref(s);
			return EBADMSG;
		}

		s[o++] = (char)(hi << 4 | lo);
		i += 2;
	}

	s[o] = '\0';
	*sp = s;

	return 0;
}


/* A decimal of 1 to ID_DIGITS digits, or -1 */
static int64_t decimal(const struct pl *pl)
{
	size_t i;

	if (!pl->l || pl->l > ID_DIGITS)
		return -1;

	for (i = 0; i < pl->l; i++) {
		if (pl->p[i] < '0' || pl->p[i] > '9')
			return -1;
	}

	return (int64_t)pl_u64(pl);
}


/* 'rest' ends in /addressbook/{id}: an entry, its owner's part left */
static bool entry_path(struct target *t, struct pl *rest)
{
	static const char book[] = "/addressbook/";
	const size_t blen = sizeof(book) - 1;
	struct pl id;
	size_t i;

	for (i = rest->l; i > 0 && rest->p[i - 1] != '/'; i--)
		;
	if (i < blen + 1 || memcmp(rest->p + i - blen, book, blen))
		return false;

	id.p = rest->p + i;
	id.l = rest->l - i;
	t->id = decimal(&id);
	if (t->id < 0)
		return false;

	rest->l = i - blen;
	t->res = RES_ENTRY;

	return true;
}


/* Routes path to t: ENOENT for a path this module does not serve,
 * EBADMSG for a malformed {impu} */
int modroute_target(struct target *t, enum asmod_kind kind,
		    const struct pl *path)
{
	char prefix[16];
	struct pl rest, seg, name;
	const char *slash;
	size_t i, plen;

	memset(t, 0, sizeof(*t));

	plen = re_snprintf(prefix, sizeof(prefix), "/%s/v1/",
			   modroute_kind_names[kind]);
	if (path->l <= plen || memcmp(path->p, prefix, plen))
		return ENOENT;

	rest.p = path->p + plen;
	rest.l = path->l - plen;

	if (kind == ASMOD_GM && !pl_strcmp(&rest, "directory")) {
		t->res = RES_DIR;
		return 0;
	}

	if (rest.l <= 6 || memcmp(rest.p, "users/", 6))
		return ENOENT;
	rest.p += 6;
	rest.l -= 6;

	if (kind == ASMOD_GM && entry_path(t, &rest))
		return pct_decode(&t->impu, rest.p, rest.l);

	/* {impu} is everything up to the last '/' */
	slash = NULL;
	for (i = rest.l; i > 0; i--) {
		if (rest.p[i - 1] == '/') {
			slash = rest.p + i - 1;
			break;
		}
	}
	if (!slash || slash == rest.p)
		return ENOENT;

	seg.p = rest.p;
	seg.l = slash - rest.p;
	name.p = slash + 1;
	name.l = rest.l - seg.l - 1;

	for (i = 0; i < ARRAY_SIZE(routes); i++) {
		if (routes[i].kind == kind &&
		    !pl_strcmp(&name, routes[i].name)) {
			t->route = &routes[i];
			break;
		}
	}
	if (!t->route)
		return ENOENT;

	t->res = t->route->doch == appdb_addressbook ? RES_BOOK : RES_DOC;

	return pct_decode(&t->impu, seg.p, seg.l);
}


/* ?since=V of a sync; -1 without it, EINVAL for a bad V */
int modroute_since(int64_t *sincep, const struct pl *prm)
{
	struct pl rest = *prm, p;
	const char *amp;

	*sincep = -1;
	if (rest.l && rest.p[0] == '?') {
		++rest.p;
		--rest.l;
	}

	while (rest.l) {
		amp = pl_strchr(&rest, '&');
		p.p = rest.p;
		p.l = amp ? (size_t)(amp - rest.p) : rest.l;
		rest.p += p.l;
		rest.l -= p.l;
		if (amp) {
			++rest.p;
			--rest.l;
		}

		if (p.l < 6 || memcmp(p.p, "since=", 6))
			continue;

		p.p += 6;
		p.l -= 6;
		*sincep = decimal(&p);
		if (*sincep < 0)
			return EINVAL;
	}

	return 0;
}
