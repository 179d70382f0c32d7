/* SPDX-License-Identifier: BSD-3-Clause */
/* diam: Diameter messages (RFC 6733) of the Cx application (TS 29.228,
 * TS 29.229), built and parsed by freeDiameter's libfdproto on one
 * dictionary for the process: the base protocol's commands and AVPs
 * (freeDiameter's own table) and Cx's.  Values go in and out as text,
 * as scenarios and ladders write them: a number for the integer types,
 * the bytes for the octet-string ones. */

#ifndef IMSBED_DIAM_H
#define IMSBED_DIAM_H

#include <re.h>

enum {
	DIAM_APP_CX      = 16777216,
	DIAM_VENDOR_3GPP = 10415,
};

/* The dictionary, once; diam_close() when the process ends. */
int  diam_init(void);
void diam_close(void);

struct diam;

/* A request by command name ("User-Authorization-Request"), or the
 * answer to req (same Hop-by-Hop and End-to-End identifiers, RFC 6733
 * 6.2). */
int  diam_request(struct diam **dp, const char *command);
int  diam_answer(struct diam **dp, const struct diam *req);
/* An AVP by name at the top level, its value as text. */
int  diam_add(struct diam *d, const char *avp, const char *value);
/* A grouped AVP of name/value pairs, NULL-ended. */
int  diam_add_group(struct diam *d, const char *avp, ...);
int  diam_encode(const struct diam *d, struct mbuf **mbp);
/* why, when set, names what was wrong with the bytes. */
int  diam_decode(struct diam **dp, const uint8_t *buf, size_t len,
		 char *why, size_t sz);
/* The first top-level AVP of that name, as text (ENOENT: none). */
int  diam_get(const struct diam *d, const char *avp, char *buf, size_t sz);
/* The same inside the first grouped AVP group. */
int  diam_get_in(const struct diam *d, const char *group, const char *avp,
		 char *buf, size_t sz);
/* A message against its command's ABNF: 0, or EPROTO with the
 * Result-Code to answer (5005 DIAMETER_MISSING_AVP, 5004) and why. */
int  diam_check(const struct diam *d, uint32_t *codep, char *why,
		size_t sz);
uint32_t diam_command(const struct diam *d);
bool diam_is_request(const struct diam *d);
/* The command's name, "User-Authorization-Answer". */
const char *diam_name(const struct diam *d);

#endif
