/* SPDX-License-Identifier: BSD-3-Clause */
/* identity: the forms of one public identity the HSS takes as the same
 * (a tel URI and its sip:...;user=phone twin, TS 24.229 5.4.3.x) and the
 * wildcarded public identities of TS 23.003 13.4, compiled once. */

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <regex.h>
#include <re.h>
#include "hss.h"
#include "hssint.h"
#include "sipkit.h"

struct hss_wild {
	struct le le;
	char *uri;              /* as the topology wrote it: the row key */
	regex_t re;
};

struct hss_wilds {
	struct list l;          /* struct hss_wild, in topology order */
};


/* RFC 3966 5.1.1: visual separators carry no meaning */
static bool visual(char c)
{
	return c == '-' || c == '.' || c == '(' || c == ')';
}


/* "+1-632-830-0100" (n characters) as "+16328300100"; false when it is
 * no global number, which is then left as it was written. */
static bool global_number(char *out, size_t sz, const char *p, size_t n)
{
	size_t i, o = 0;

	if (n < 2 || p[0] != '+' || sz < 2)
		return false;

	out[o++] = '+';
	for (i = 1; i < n; i++) {
		if (visual(p[i]))
			continue;
		if (p[i] < '0' || p[i] > '9' || o + 1 >= sz)
			return false;
		out[o++] = p[i];
	}
	out[o] = '\0';

	return o > 1;
}


/* The telephone-subscriber part of a sip URI with user=phone, or false */
static bool sip_phone(const char *impu, struct pl *user)
{
	static const struct pl name = PL("user");
	struct pl pl, val;
	struct uri u;

	/* most lookups are of sip URIs that name no number: those need no
	 * parsing (a global number starts with '+') */
	if (strncasecmp(impu, "sip:", 4) || impu[4] != '+')
		return false;

	pl_set_str(&pl, impu);
	if (uri_decode(&u, &pl) || !pl_isset(&u.user))
		return false;
	if (uri_param_get(&u.params, &name, &val) ||
	    pl_strcasecmp(&val, "phone"))
		return false;

	*user = u.user;

	return true;
}


int hss_impu_normalise(char *buf, size_t sz, const char *impu)
{
	char num[HSS_ID_MAX];
	struct pl user, rest;
	size_t n;
	int len;

	if (!buf || !sz || !impu)
		return EINVAL;

	/* the number ends where the telephone-subscriber's parameters
	 * begin; those (ext, isub) stay, they name another identity */
	if (!strncasecmp(impu, "tel:", 4))
		pl_set_str(&user, impu + 4);
	else if (!sip_phone(impu, &user))
		user.l = 0;

	n = user.l ? strcspn(user.p, ";") : 0;
	if (n > user.l)
		n = user.l;

	if (!n || !global_number(num, sizeof(num), user.p, n)) {
		len = snprintf(buf, sz, "%s", impu);
		return len < 0 || (size_t)len >= sz ? EOVERFLOW : 0;
	}

	/* a sip URI's own parameters (user=phone, transport) go */
	rest.p = user.p + n;
	rest.l = user.l - n;
	len = snprintf(buf, sz, "tel:%s%.*s", num, (int)rest.l, rest.p);

	return len < 0 || (size_t)len >= sz ? EOVERFLOW : 0;
}


bool hss_impu_is_wild(const char *uri)
{
	return uri && strchr(uri, '!') != NULL;
}


/* TS 23.003 13.4: what lies between two '!' is a regex, the rest is
 * literal.  The regex built is anchored, so that it names whole
 * identities. */
int hss_wild_compile(regex_t *re, const char *uri, char *why, size_t wsz)
{
	struct mbuf *mb;
	const char *p;
	bool in = false;
	int e = 0;

	if (!re || !uri)
		return EINVAL;

	mb = mbuf_alloc(64);
	if (!mb)
		return ENOMEM;

	e = mbuf_write_u8(mb, '^');
	for (p = uri; *p && !e; p++) {
		if (*p == '!') {
			in = !in;
			continue;
		}
		if (!in && strchr(".[]()*+?{}|^$\\", *p))
			e = mbuf_write_u8(mb, '\\');
		if (!e)
			e = mbuf_write_u8(mb, (uint8_t)*p);
	}
	if (!e)
		e = mbuf_write_str(mb, "$");
	if (!e)
		e = mbuf_write_u8(mb, 0);
	if (e)
		goto out;

	if (in) {
		(void)re_snprintf(why, wsz, "a '!' opens a regex that no "
				  "'!' closes");
		e = EINVAL;
		goto out;
	}

	e = emul_regcomp(re, (const char *)mb->buf, REG_EXTENDED | REG_NOSUB,
			 why, wsz);

 out:
	mem_deref(mb);

	return e;
}


static void wild_destructor(void *arg)
{
	struct hss_wild *w = arg;

	list_unlink(&w->le);
	if (w->uri)
		regfree(&w->re);
	mem_deref(w->uri);
}


static void wilds_destructor(void *arg)
{
	struct hss_wilds *ws = arg;

	list_flush(&ws->l);
}


int hss_wilds_alloc(struct hss_wilds **wsp)
{
	struct hss_wilds *ws;

	if (!wsp)
		return EINVAL;

	ws = mem_zalloc(sizeof(*ws), wilds_destructor);
	if (!ws)
		return ENOMEM;

	*wsp = ws;

	return 0;
}


int hss_wilds_add(struct hss_wilds *ws, const char *uri)
{
	struct hss_wild *w;
	char why[160];
	int e;

	if (!ws || !uri)
		return EINVAL;

	w = mem_zalloc(sizeof(*w), wild_destructor);
	if (!w)
		return ENOMEM;

	/* w->uri is set once w->re holds a regex to free */
	e = hss_wild_compile(&w->re, uri, why, sizeof(why));
	if (e) {
		mem_deref(w);
		return e;
	}

	e = str_dup(&w->uri, uri);
	if (e) {
		regfree(&w->re);
		mem_deref(w);
		return e;
	}

	list_append(&ws->l, &w->le, w);

	return 0;
}


/* The first wildcarded identity that key matches, or NULL */
const char *hss_wilds_match(const struct hss_wilds *ws, const char *key)
{
	struct le *le;

	for (le = ws ? ws->l.head : NULL; le; le = le->next) {
		const struct hss_wild *w = le->data;

		if (!regexec(&w->re, key, 0, NULL, 0))
			return w->uri;
	}

	return NULL;
}
