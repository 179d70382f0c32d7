/* SPDX-License-Identifier: BSD-3-Clause */
/* The regexes a topology or scenario gives (iFC conditions, matchers),
 * compiled one way for all: POSIX ERE, after a check that keeps a file
 * from stalling the loader.  glibc's regcomp takes time exponential in
 * stacked repetitions ("p++++..." ran a fuzzer's input past 10 s), and
 * POSIX leaves a repetition of a repetition undefined anyway (9.4.6). */

#include <regex.h>
#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"

enum { REGEX_MAX = 1024 };


static bool is_dup(char c)
{
	return c == '*' || c == '+' || c == '?' || c == '{';
}


static const char *stacked(const char *s)
{
	bool in_bracket = false, after_dup = false;

	for (; *s; s++) {
		if (in_bracket) {
			if (*s == ']')
				in_bracket = false;
			continue;
		}
		if (*s == '\\' && s[1]) {
			++s;
			after_dup = false;
			continue;
		}
		if (*s == '[') {
			in_bracket = true;
			/* a ']' first in the list is a member, not its end */
			if (s[1] == '^')
				++s;
			if (s[1] == ']')
				++s;
			after_dup = false;
			continue;
		}
		if (is_dup(*s)) {
			if (after_dup)
				return s;
			if (*s == '{') {
				const char *e = strchr(s, '}');

				if (e)
					s = e;
			}
			after_dup = true;
			continue;
		}
		after_dup = false;
	}

	return NULL;
}


int emul_regcomp(regex_t *re, const char *pattern, int flags, char *why,
		 size_t wsz)
{
	int rc;

	if (!re || !pattern)
		return EINVAL;

	if (strlen(pattern) > REGEX_MAX) {
		(void)re_snprintf(why, wsz, "longer than %d characters",
				  REGEX_MAX);
		return EINVAL;
	}

	if (stacked(pattern)) {
		(void)re_snprintf(why, wsz, "a repetition of a repetition at "
				  "'%s'", stacked(pattern));
		return EINVAL;
	}

	rc = regcomp(re, pattern, REG_EXTENDED | flags);
	if (rc) {
		/* a failed regcomp leaves nothing to regfree */
		(void)regerror(rc, re, why, wsz);
		return EINVAL;
	}

	return 0;
}
