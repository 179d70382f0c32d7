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

/* A Diameter node by its identity (RFC 6733 4.3.1), realm and the
 * address a CER gives as Host-IP-Address (NULL: none). */
struct diam_node {
	const char *host;               /* "icscf.ims.test" */
	const char *realm;
	const struct sa *addr;
};

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
/* A message against its command's ABNF: 0, or EPROTO with the
 * Result-Code to answer (5005 DIAMETER_MISSING_AVP, 5004), the name of
 * the AVP at fault (NULL when none is named) and why. */
int  diam_check(const struct diam *d, uint32_t *codep, const char **avpp,
		char *why, size_t sz);
uint32_t diam_command(const struct diam *d);
int  diam_set_hbh(struct diam *d, uint32_t hbh);
int  diam_set_e2e(struct diam *d, uint32_t e2e);

/* ---- avp.c: AVPs as a tree ----
 * A struct diam_avp is an AVP inside a message, which owns it.  parent
 * NULL means the message's top level.  Enumerated AVPs take numbers. */
struct diam_avp;

bool diam_avp_known(const char *name);

int  diam_put_str(struct diam *d, struct diam_avp *parent, const char *name,
		  const char *s);
int  diam_put_os(struct diam *d, struct diam_avp *parent, const char *name,
		 const uint8_t *p, size_t n);
int  diam_put_u32(struct diam *d, struct diam_avp *parent, const char *name,
		  uint32_t u);
int  diam_put_group(struct diam *d, struct diam_avp *parent,
		    const char *name, struct diam_avp **gp);
/* The first AVP of that name under parent, then the next one of it. */
struct diam_avp *diam_find(const struct diam *d,
			   const struct diam_avp *parent, const char *name);
struct diam_avp *diam_find_next(const struct diam_avp *prev);
int  diam_avp_os(const struct diam_avp *a, const uint8_t **p, size_t *n);
int  diam_avp_u32(const struct diam_avp *a, uint32_t *u);
int  diam_avp_text(const struct diam_avp *a, char *buf, size_t sz);
int  diam_find_str(const struct diam *d, const struct diam_avp *parent,
		   const char *name, char *buf, size_t sz);
int  diam_find_u32(const struct diam *d, const struct diam_avp *parent,
		   const char *name, uint32_t *u);

/* ---- base.c: the peers' own exchanges (RFC 6733 5) ---- */
int  diam_cer(struct diam **dp, const struct diam_node *self);
int  diam_cea(struct diam **dp, const struct diam *cer,
	      const struct diam_node *self, uint32_t code);
int  diam_dwr(struct diam **dp, const struct diam_node *self);
int  diam_dwa(struct diam **dp, const struct diam *dwr,
	      const struct diam_node *self);
int  diam_dpr(struct diam **dp, const struct diam_node *self,
	      uint32_t cause);
int  diam_dpa(struct diam **dp, const struct diam *dpr,
	      const struct diam_node *self);
bool diam_offers_cx(const struct diam *d);
/* Vendor-Specific-Application-Id {10415, 16777216} */
int  diam_put_cx_app(struct diam *d);

/* ---- frame.c: Diameter on a byte stream ---- */
/* What a header says before the message is parsed */
struct diam_hdr {
	uint8_t flags;
	uint32_t code;
	uint32_t app;
	uint32_t hbh;
	uint32_t e2e;
};
/* *lenp: the length of the whole message at p once n bytes hold it,
 * else 0; EBADMSG or EMSGSIZE (why says) for a header that is none. */
int  diam_frame(const uint8_t *p, size_t n, size_t *lenp, char *why,
		size_t sz);
int  diam_peek(const uint8_t *p, size_t n, struct diam_hdr *h);
int  diam_header(const struct diam *d, struct diam_hdr *h);

/* ---- err.c: answers to what could not be served ---- */
/* The answer to the request with that header, from the header alone:
 * with the E bit for a protocol error (3xxx, RFC 6733 7.2) */
int  diam_answer_error(struct diam **dp, const struct diam_hdr *req,
		       const struct diam_node *self, uint32_t code,
		       const char *text);
/* RFC 6733 7.5: Failed-AVP with an empty example of the AVP named */
int  diam_put_failed(struct diam *d, const char *avp);

/* ---- show.c: what people read of a message ---- */
/* "UAR", "CEA"; the command's name for one without a short form */
const char *diam_abbrev(const struct diam *d);
/* A command by its short form (UAR, cea) or full name */
int  diam_command_lookup(const char *s, uint32_t *code, bool *req);
/* Every value of the AVP named so anywhere in d, ", "-joined, into mb */
int  diam_values(const struct diam *d, const char *name, struct mbuf *mb);
/* Result-Code, or else Experimental-Result's code (*experimental set) */
int  diam_result(const struct diam *d, uint32_t *code, bool *experimental);
const char *diam_result_name(uint32_t code, bool experimental);
/* The base protocol's code a text starts with the name of, or 0 */
uint32_t diam_result_code(const char *name);
/* The header, then one AVP a line, grouped ones indented */
int  diam_print(struct re_printf *pf, const struct diam *d);
bool diam_is_request(const struct diam *d);
/* The command's name, "User-Authorization-Answer". */
const char *diam_name(const struct diam *d);

#endif
