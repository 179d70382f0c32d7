/* SPDX-License-Identifier: BSD-3-Clause */
/* appdb_value: what a value of an entry may be (an E.164 number, a public
 * identity, a group, a presence status, an RFC 3339 time), checked alike
 * for the 'appdata' loader and for a client's address book entry. */

#include <string.h>
#include <strings.h>
#include <sqlite3.h>
#include <re.h>
#include "appdb.h"
#include "appdbint.h"

enum {
	E164_MIN = 2,           /* digits after the '+' */
	E164_MAX = 15,          /* ITU-T E.164 6.2.1 */
};

static const char *const statusv[] = {
	"online", "away", "busy", "offline", NULL
};


/* ITU-T E.164 in its international form: '+', then 2 to 15 digits */
bool appdb_is_e164(const char *s)
{
	size_t n = 0;

	if (*s++ != '+')
		return false;

	for (; *s; s++, n++) {
		if (*s < '0' || *s > '9')
			return false;
	}

	return n >= E164_MIN && n <= E164_MAX;
}


/* TS 23.228 4.3.3.2: a public identity is a SIP URI or a tel URI */
bool appdb_is_uri(const char *s)
{
	struct uri u;
	struct pl pl;

	if (!strncasecmp(s, "tel:", 4))
		return s[4] != '\0';

	pl_set_str(&pl, s);

	return !strncasecmp(s, "sip:", 4) && !uri_decode(&u, &pl) &&
		pl_isset(&u.host);
}


static bool digits(const char *s, size_t n)
{
	for (; n; n--, s++) {
		if (*s < '0' || *s > '9')
			return false;
	}

	return true;
}


/* RFC 3339 5.6 date-time: 2026-11-25T09:00:00[.frac](Z|+hh:mm|-hh:mm) */
bool appdb_is_time(const char *s)
{
	if (strlen(s) < 20 || !digits(s, 4) || s[4] != '-' ||
	    !digits(s + 5, 2) || s[7] != '-' || !digits(s + 8, 2) ||
	    (s[10] != 'T' && s[10] != 't') || !digits(s + 11, 2) ||
	    s[13] != ':' || !digits(s + 14, 2) || s[16] != ':' ||
	    !digits(s + 17, 2))
		return false;

	s += 19;
	if (*s == '.') {
		if (!digits(++s, 1))
			return false;
		while (digits(s, 1))
			++s;
	}

	if (*s == 'Z' || *s == 'z')
		return s[1] == '\0';

	return (*s == '+' || *s == '-') && digits(s + 1, 2) &&
		s[3] == ':' && digits(s + 4, 2) && s[6] == '\0';
}


/* The index of s in v, or -1 */
static int in_list(const char *s, const char *const *v)
{
	int i;

	for (i = 0; v[i]; i++) {
		if (!strcmp(s, v[i]))
			return i;
	}

	return -1;
}


int appdb_group(const char *s)
{
	return in_list(s, appdb_groupv);
}


bool appdb_is_status(const char *s)
{
	return in_list(s, statusv) >= 0;
}
