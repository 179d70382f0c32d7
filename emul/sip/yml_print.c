/* SPDX-License-Identifier: BSD-3-Clause */
/* yml_print: a string written as a YAML scalar that yml.c reads back as
 * it was, in flow and block context alike: plain when it cannot be taken
 * for anything else, single-quoted when it is printable, double-quoted
 * with escapes otherwise. */

#include <string.h>
#include <re.h>
#include "yml.h"


/* Plain only for what no YAML reader takes for a number, a boolean, a
 * null, a comment, an indicator or a flow separator. */
static bool plain_ok(const char *s)
{
	static const char *const words[] = {
		"true", "false", "yes", "no", "on", "off", "null", "~",
		"True", "False", "Yes", "No", "On", "Off", "Null", "NULL",
		"TRUE", "FALSE", "YES", "NO", "ON", "OFF",
	};
	const char *p;
	size_t i;

	if (!*s || !strchr("abcdefghijklmnopqrstuvwxyz"
			   "ABCDEFGHIJKLMNOPQRSTUVWXYZ_/", *s))
		return false;

	for (i = 0; i < ARRAY_SIZE(words); i++) {
		if (!strcmp(s, words[i]))
			return false;
	}

	for (p = s; *p; p++) {
		if (strchr("abcdefghijklmnopqrstuvwxyz"
			   "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			   "0123456789._/@+-=;%", *p))
			continue;
		/* a colon before a space or the end would start a map */
		if (*p == ':' && p[1] && p[1] != ' ' && p[1] != ',')
			continue;
		return false;
	}

	return true;
}


static bool printable(const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	}

	return true;
}


int yml_str_print(struct re_printf *pf, void *arg)
{
	const char *s = arg ? arg : "";
	const char *p;
	int err = 0;

	if (plain_ok(s))
		return re_hprintf(pf, "%s", s);

	if (printable(s)) {
		err = re_hprintf(pf, "'");
		for (p = s; *p && !err; p++)
			err = re_hprintf(pf, *p == '\'' ? "''" : "%c", *p);
		return err ? err : re_hprintf(pf, "'");
	}

	err = re_hprintf(pf, "\"");
	for (p = s; *p && !err; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '"' || c == '\\')
			err = re_hprintf(pf, "\\%c", c);
		else if (c == '\n')
			err = re_hprintf(pf, "\\n");
		else if (c == '\t')
			err = re_hprintf(pf, "\\t");
		else if (c < 0x20 || c == 0x7f)
			err = re_hprintf(pf, "\\x%02x", c);
		else
			err = re_hprintf(pf, "%c", c);
	}

	return err ? err : re_hprintf(pf, "\"");
}
