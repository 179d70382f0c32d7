/* SPDX-License-Identifier: BSD-3-Clause */
/* ifc_check: what an iFC's parts must be before it is loaded, the same
 * for the topology's YAML and for TS 29.228 XML; each check says why in
 * words the loaders put after the place they name. */

#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <re.h>
#include "sipkit.h"
#include "hss.h"
#include "hssint.h"


/* SIP methods are case-sensitive (RFC 3261 7.1, 20): 'register' would
 * load and never match.  An extension method is a token and may be
 * anything; one that is a known method but for case is a typo. */
int ifc_method_check(const char *met, char *why, size_t sz)
{
	static const char *const known[] = {
		"ACK", "BYE", "CANCEL", "INFO", "INVITE", "MESSAGE",
		"NOTIFY", "OPTIONS", "PRACK", "PUBLISH", "REFER",
		"REGISTER", "SUBSCRIBE", "UPDATE",
	};
	const char *p;
	size_t i;

	if (!met)
		return EINVAL;

	for (p = met; *p; p++) {
		if (strchr("-.!%*_+`'~", *p) || isalnum((unsigned char)*p))
			continue;

		(void)re_snprintf(why, sz, "'%s' is not a SIP method (a "
				  "token: letters, digits and -.!%%*_+`'~)",
				  met);
		return EINVAL;
	}

	for (i = 0; i < ARRAY_SIZE(known); i++) {
		if (!strcmp(met, known[i]) || strcasecmp(met, known[i]))
			continue;

		(void)re_snprintf(why, sz, "'%s' would never match: SIP "
				  "methods are case-sensitive; did you mean "
				  "'%s'?", met, known[i]);
		return EINVAL;
	}

	return 0;
}


/* Compiled once, at load: evaluation never compiles (and a bad regex is
 * the loader's error, not a request's). */
int spt_regex_set(struct spt *spt, const char *src, char *why, size_t sz)
{
	char msg[160];

	if (!spt || !src)
		return EINVAL;

	if (emul_regcomp(&spt->re, src, REG_NOSUB, msg, sizeof(msg))) {
		(void)re_snprintf(why, sz, "bad regex '%s': %s", src, msg);
		return EINVAL;
	}

	spt->re_ok = true;

	return 0;
}


/* RFC 4566 5: an SDP line's type is one lower-case letter */
int spt_line_check(const char *line, char *why, size_t sz)
{
	if (line && strlen(line) == 1 && line[0] >= 'a' && line[0] <= 'z')
		return 0;

	(void)re_snprintf(why, sz, "'%s' is not an SDP line type (one "
			  "letter, as in 'm')", line ? line : "");
	return EINVAL;
}


/* B.2.2 ServerName: the S-CSCF sends to it, so it is a SIP URI */
int ifc_as_check(const char *as, char *why, size_t sz)
{
	struct uri uri;
	struct pl pl;

	pl_set_str(&pl, as ? as : "");
	if (as && !uri_decode(&uri, &pl) &&
	    (!pl_strcasecmp(&uri.scheme, "sip") ||
	     !pl_strcasecmp(&uri.scheme, "sips")))
		return 0;

	(void)re_snprintf(why, sz, "'%s' is not a SIP URI", as ? as : "");
	return EINVAL;
}

