/* SPDX-License-Identifier: BSD-3-Clause */
/* book_json: an address book entry from a client's JSON body.  libre's
 * decoder is lenient (it stops at the first closing brace and takes bare
 * words), so the body is first checked against RFC 8259 here; then the
 * entry passes the checks of the YAML loader, with the same words. */

#include <string.h>
#include <sqlite3.h>
#include <re.h>
#include "appdb.h"
#include "appdbint.h"

enum {
	DEPTH_MAX = 4,          /* an entry is an object holding a list */
	ODICT_BUCKETS = 8,
};

/* A JSON text being checked */
struct jtext {
	const char *p;
	const char *end;
	unsigned depth;
};

static const char *const keyv[] = {"name", "number", "uri", "groups"};
#define KEYS (sizeof(keyv) / sizeof(keyv[0]))

static bool value(struct jtext *j);


static void skip_ws(struct jtext *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' ||
				 *j->p == '\n' || *j->p == '\r'))
		++j->p;
}


static bool literal(struct jtext *j, const char *s)
{
	size_t n = strlen(s);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, s, n))
		return false;

	j->p += n;

	return true;
}


static bool digits(struct jtext *j)
{
	const char *p = j->p;

	while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
		++j->p;

	return j->p > p;
}


/* RFC 8259 6 */
static bool number(struct jtext *j)
{
	if (j->p < j->end && *j->p == '-')
		++j->p;

	if (j->p < j->end && *j->p == '0')
		++j->p;
	else if (!digits(j))
		return false;

	if (j->p < j->end && *j->p == '.') {
		++j->p;
		if (!digits(j))
			return false;
	}

	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		++j->p;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			++j->p;
		if (!digits(j))
			return false;
	}

	return true;
}


static int hex4(struct jtext *j)
{
	int i, v = 0;

	if (j->end - j->p < 4)
		return -1;

	for (i = 0; i < 4; i++) {
		char c = *j->p++;

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}

	return v;
}


/* \uXXXX after the 'u': a pair for a surrogate, never U+0000 (a C
 * string ends there) */
static bool uescape(struct jtext *j)
{
	int u = hex4(j);

	if (u <= 0 || (u >= 0xdc00 && u <= 0xdfff))
		return false;
	if (u < 0xd800 || u > 0xdbff)
		return true;

	if (!literal(j, "\\u"))
		return false;
	u = hex4(j);

	return u >= 0xdc00 && u <= 0xdfff;
}


/* RFC 3629 3: one UTF-8 sequence, its first byte c already read */
static bool utf8(struct jtext *j, unsigned char c)
{
	uint32_t cp, min;
	size_t i, n;

	if (c >= 0xc2 && c <= 0xdf) {
		n = 1;
		cp = c & 0x1f;
		min = 0x80;
	}
	else if (c >= 0xe0 && c <= 0xef) {
		n = 2;
		cp = c & 0x0f;
		min = 0x800;
	}
	else if (c >= 0xf0 && c <= 0xf4) {
		n = 3;
		cp = c & 0x07;
		min = 0x10000;
	}
	else {
		return false;
	}

	if ((size_t)(j->end - j->p) < n)
		return false;

	for (i = 0; i < n; i++) {
		unsigned char b = (unsigned char)*j->p++;

		if ((b & 0xc0) != 0x80)
			return false;
		cp = cp << 6 | (b & 0x3f);
	}

	return cp >= min && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff);
}


/* RFC 8259 7; a bad character or escape is where j stops */
static bool string(struct jtext *j)
{
	const char *at;
	bool ok;

	if (!literal(j, "\""))
		return false;

	while (j->p < j->end) {
		unsigned char c = (unsigned char)*j->p;

		at = j->p++;
		if (c == '"')
			return true;

		if (c < 0x20)
			ok = false;
		else if (c >= 0x80)
			ok = utf8(j, c);
		else if (c != '\\')
			ok = true;
		else if (j->p == j->end)
			ok = false;
		else if ((c = (unsigned char)*j->p++) == 'u')
			ok = uescape(j);
		else
			ok = c && strchr("\"\\/bfnrt", c);

		if (!ok) {
			j->p = at;
			return false;
		}
	}

	return false;
}


/* RFC 8259 4 and 5: an object when obj, else an array */
static bool container(struct jtext *j, bool obj)
{
	const char close = obj ? '}' : ']';

	if (++j->depth > DEPTH_MAX)
		return false;

	++j->p;
	skip_ws(j);
	if (j->p < j->end && *j->p == close) {
		++j->p;
		--j->depth;
		return true;
	}

	for (;;) {
		if (obj) {
			skip_ws(j);
			if (!string(j))
				return false;
			skip_ws(j);
			if (!literal(j, ":"))
				return false;
		}

		if (!value(j))
			return false;

		skip_ws(j);
		if (j->p == j->end)
			return false;

		if (*j->p == close) {
			++j->p;
			--j->depth;
			return true;
		}

		if (*j->p != ',')
			return false;
		++j->p;
	}
}


static bool value(struct jtext *j)
{
	skip_ws(j);
	if (j->p == j->end)
		return false;

	switch (*j->p) {

	case '{': return container(j, true);
	case '[': return container(j, false);
	case '"': return string(j);
	case 't': return literal(j, "true");
	case 'f': return literal(j, "false");
	case 'n': return literal(j, "null");
	default:  return number(j);
	}
}


/* A JSON text that is one object; else the offset where it goes wrong */
static bool json_object(const char *s, size_t len, size_t *offp)
{
	struct jtext j = {s, s + len, 0};
	bool ok;

	skip_ws(&j);
	ok = j.p < j.end && *j.p == '{' && value(&j);
	if (ok) {
		skip_ws(&j);
		ok = j.p == j.end;
	}

	*offp = (size_t)(j.p - s);

	return ok;
}


/* A string member, or NULL for null or none; EINVAL for another type */
static int str_member(const char **vp, const struct odict *o,
		      const char *key)
{
	const struct odict_entry *oe = odict_lookup(o, key);

	*vp = NULL;
	if (!oe || oe->type == ODICT_NULL)
		return 0;
	if (oe->type != ODICT_STRING)
		return EINVAL;

	*vp = oe->u.str;

	return 0;
}


/* As appdb_load.c says it of the same fields */
static int check_fields(struct book_entry *e, const struct odict *o,
			char **errp)
{
	if (!odict_lookup(o, "name"))
		return re_sdprintf(errp, "missing 'name'");
	if (str_member(&e->name, o, "name") || !e->name)
		return re_sdprintf(errp, "name must be a string");
	if (!*e->name)
		return re_sdprintf(errp, "name must not be empty");

	if (str_member(&e->number, o, "number"))
		return re_sdprintf(errp, "number must be a string");
	if (e->number && !appdb_is_e164(e->number))
		return re_sdprintf(errp, "number: '%s' is not an E.164 number "
				   "(+ and 2 to 15 digits)", e->number);

	if (str_member(&e->uri, o, "uri"))
		return re_sdprintf(errp, "uri must be a string");
	if (e->uri && !appdb_is_uri(e->uri))
		return re_sdprintf(errp, "uri: '%s' is not a sip: or tel: URI",
				   e->uri);

	if (!e->number && !e->uri)
		return re_sdprintf(errp, "needs a number or a uri");

	return 0;
}


static int check_groups(struct book_entry *e, const struct odict *o,
			char **errp)
{
	const struct odict_entry *oe = odict_lookup(o, "groups");
	struct le *le;
	unsigned i = 0;
	size_t k;
	int g;

	if (!oe || oe->type == ODICT_NULL)
		return 0;
	if (oe->type != ODICT_ARRAY)
		return re_sdprintf(errp, "groups must be a list");

	for (le = oe->u.odict->lst.head; le; le = le->next, i++) {
		const struct odict_entry *ge = le->data;

		if (ge->type != ODICT_STRING)
			return re_sdprintf(errp, "groups[%u] must be a string",
					   i);

		g = appdb_group(ge->u.str);
		if (g < 0)
			return re_sdprintf(errp, "groups[%u]: unknown group "
					   "'%s' (favourites, friends or "
					   "blacklist)", i, ge->u.str);

		for (k = 0; k < e->grpc; k++) {
			if (e->grpv[k] == g)
				return re_sdprintf(errp, "groups[%u]: "
						   "duplicate group '%s'", i,
						   ge->u.str);
		}

		e->grpv[e->grpc++] = (uint8_t)g;
	}

	return 0;
}


/* Every key known, none twice */
static int check_keys(const struct odict *o, char **errp)
{
	unsigned seen = 0;
	struct le *le;
	size_t i;

	for (le = o->lst.head; le; le = le->next) {
		const struct odict_entry *oe = le->data;

		for (i = 0; i < KEYS; i++) {
			if (!strcmp(oe->key, keyv[i]))
				break;
		}

		if (i == KEYS)
			return re_sdprintf(errp, "unknown key '%s'", oe->key);
		if (seen & 1u << i)
			return re_sdprintf(errp, "duplicate key '%s'",
					   oe->key);
		seen |= 1u << i;
	}

	return 0;
}


int book_entry_decode(struct book_entry *e, struct odict **op,
		      const char *body, size_t len, char **errp)
{
	struct odict *o = NULL;
	size_t off;
	int err;

	if (!e || !op || !errp || (!body && len))
		return EINVAL;

	memset(e, 0, sizeof(*e));
	*errp = NULL;

	if (!body || !json_object(body, len, &off)) {
		err = re_sdprintf(errp, "malformed JSON at byte %zu",
				  body ? off : 0);
		goto out;
	}

	err = json_decode_odict(&o, ODICT_BUCKETS, body, len, DEPTH_MAX);
	if (err == EBADMSG || err == EOVERFLOW)
		err = re_sdprintf(errp, "malformed JSON");
	if (err)
		goto out;

	err = check_keys(o, errp);
	if (!err && !*errp)
		err = check_fields(e, o, errp);
	if (!err && !*errp)
		err = check_groups(e, o, errp);

 out:
	if (!err && *errp)
		err = EINVAL;

	if (err) {
		memset(e, 0, sizeof(*e));
		mem_deref(o);
	}
	else {
		*op = o;
	}

	return err;
}
