/* SPDX-License-Identifier: BSD-3-Clause */
/* reginfo: the reg event package's document (RFC 3680, TS 24.229
 * 5.4.2.1.2) with the GRUUs of RFC 5628, as the S-CSCF writes it and the
 * UE and the P-CSCF read it, and a subscriber's view kept up to date from
 * full and partial NOTIFYs (RFC 3680).  XML through libxml2. */

#ifndef IMSBED_REGINFO_H
#define IMSBED_REGINFO_H

#include <re.h>

#define REGINFO_NS "urn:ietf:params:xml:ns:reginfo"
#define REGINFO_GRUU_NS "urn:ietf:params:xml:ns:gruuinfo"
#define REGINFO_CTYPE "application/reginfo+xml"

enum reginfo_doc_state {
	REGINFO_FULL = 0,
	REGINFO_PARTIAL,
};

enum reginfo_reg_state {
	REGINFO_REG_INIT = 0,
	REGINFO_REG_ACTIVE,
	REGINFO_REG_TERMINATED,
};

enum reginfo_ct_state {
	REGINFO_CT_ACTIVE = 0,
	REGINFO_CT_TERMINATED,
};

/* What last changed a contact's state: the event attribute of RFC 3680. */
enum reginfo_event {
	REGINFO_EV_REGISTERED = 0,
	REGINFO_EV_CREATED,
	REGINFO_EV_REFRESHED,
	REGINFO_EV_SHORTENED,
	REGINFO_EV_EXPIRED,
	REGINFO_EV_DEACTIVATED,
	REGINFO_EV_PROBATION,
	REGINFO_EV_UNREGISTERED,
	REGINFO_EV_REJECTED,
};

/* The model is mem objects in libre lists, in document order: a
 * struct reginfo holds struct reginfo_reg in regl, each holds struct
 * reginfo_contact in ctl, each holds struct reginfo_param in paraml.
 * A parent owns its children: mem_deref of the document frees them all,
 * and mem_deref of one child unlinks it.  Strings are owned (str_dup);
 * NULL is an absent optional.  An optional number counts only when its
 * has_ flag is set, since 0 is a value (expires=0 on a deregistration).
 * The _add functions below fill it from an S-CSCF binding. */
struct reginfo {
	uint32_t version;
	enum reginfo_doc_state state;
	struct list regl;
};

struct reginfo_reg {
	struct le le;
	char *aor;
	char *id;
	enum reginfo_reg_state state;
	struct list ctl;
};

/* An <unknown-param>: a Contact header parameter the registrar kept,
 * +sip.instance above all; value NULL when it had none. */
struct reginfo_param {
	struct le le;
	char *name;
	char *value;
};

struct reginfo_contact {
	struct le le;
	char *id;
	enum reginfo_ct_state state;
	enum reginfo_event event;
	char *uri;
	char *display_name;
	bool has_expires;
	uint32_t expires;               /* seconds */
	bool has_q;
	uint16_t q;                     /* milli-units, 0..1000 */
	bool has_retry_after;
	uint32_t retry_after;           /* seconds */
	bool has_duration;
	uint32_t duration;              /* duration-registered, seconds */
	char *callid;                   /* of the REGISTER behind it */
	bool has_cseq;
	uint32_t cseq;                  /* its CSeq */
	char *pub_gruu;                 /* RFC 5628 <gr:pub-gruu uri> */
	char *temp_gruu;                /* <gr:temp-gruu uri> */
	uint32_t temp_first_cseq;       /* its first-cseq */
	struct list paraml;
};

/* ---- reginfo.c: the model and its look-ups ---- */
int reginfo_alloc(struct reginfo **rip, uint32_t version,
		  enum reginfo_doc_state state);
/* A registration appended to ri; regp may be NULL. */
int reginfo_reg_add(struct reginfo_reg **regp, struct reginfo *ri,
		    const char *aor, const char *id,
		    enum reginfo_reg_state state);
/* A contact appended to reg; ctp may be NULL. */
int reginfo_contact_add(struct reginfo_contact **ctp,
			struct reginfo_reg *reg, const char *id,
			const char *uri, enum reginfo_ct_state state,
			enum reginfo_event event);
/* An <unknown-param>; value may be NULL. */
int reginfo_param_add(struct reginfo_contact *ct, const char *name,
		      const char *value);
/* RFC 5628: either GRUU may be NULL (then left as it was). */
int reginfo_contact_gruu(struct reginfo_contact *ct, const char *pub,
			 const char *temp, uint32_t first_cseq);
int reginfo_dup(struct reginfo **rip, const struct reginfo *ri);

struct reginfo_reg *reginfo_reg_find(const struct reginfo *ri,
				     const char *aor);
struct reginfo_reg *reginfo_reg_find_id(const struct reginfo *ri,
					const char *id);
struct reginfo_contact *reginfo_contact_find(const struct reginfo_reg *reg,
					     const char *uri);
struct reginfo_contact *reginfo_contact_find_id(
	const struct reginfo_reg *reg, const char *id);
/* By +sip.instance, compared without the quotes and angle brackets the
 * parameter carries ("<urn:uuid:...>" matches urn:uuid:...). */
struct reginfo_contact *reginfo_contact_find_instance(
	const struct reginfo_reg *reg, const char *instance);
/* The value of the <unknown-param> name, NULL when absent or empty. */
const char *reginfo_contact_param(const struct reginfo_contact *ct,
				  const char *name);

/* ---- reginfo_print.c: names, and a line per contact ---- */
/* Names as the XML writes them; parse gives EINVAL for a NULL string,
 * ENOENT for one not in the table. */
const char *reginfo_doc_state_name(enum reginfo_doc_state st);
const char *reginfo_reg_state_name(enum reginfo_reg_state st);
const char *reginfo_ct_state_name(enum reginfo_ct_state st);
const char *reginfo_event_name(enum reginfo_event ev);
int reginfo_doc_state_parse(enum reginfo_doc_state *st, const char *s);
int reginfo_reg_state_parse(enum reginfo_reg_state *st, const char *s);
int reginfo_ct_state_parse(enum reginfo_ct_state *st, const char *s);
int reginfo_event_parse(enum reginfo_event *ev, const char *s);

/* One line per contact, 'AOR REGSTATE: URI CTSTATE EVENT' and the
 * options set (expires=, q=, retry-after=, duration=, instance=,
 * pub-gruu=, temp-gruu=); a registration without contacts is
 * 'AOR REGSTATE: no contact'. */
int reginfo_print(struct re_printf *pf, const struct reginfo *ri);

/* ---- reginfo_apply.c: a subscriber's view (RFC 3680) ---- */
/* The view is a document the subscriber allocates as REGINFO_PARTIAL
 * with version 0: it holds nothing known yet.  A full notify replaces
 * the view, whatever its version; a partial one merges registrations by
 * id and contacts by id (a terminated contact stays, with its state and
 * event, so the last change remains visible) and needs version exactly
 * last + 1 over a view that has had full state.  EPROTO for a gap (or a
 * partial first): the caller SUBSCRIBEs again for full state; EALREADY
 * for a partial at or below the view's version (a stale NOTIFY), left
 * out.  err says which in one line.  On any error the view is as it
 * was; after a success it is REGINFO_FULL at the notify's version. */
int reginfo_apply(struct reginfo *view, const struct reginfo *notify,
		  char *err, size_t sz);

/* ---- reginfo_build.c: the XML a NOTIFY carries ---- */
/* A whole document into mb, '<?xml version="1.0"?>' first; EINVAL for a
 * registration or contact without its required strings. */
int reginfo_encode(struct mbuf *mb, const struct reginfo *ri);

/* ---- reginfo_parse.c: the XML a NOTIFY brought ---- */
/* len bytes of xml into a new document.  No network, no DTD, no
 * entities: a DOCTYPE is refused.  EBADMSG when the XML is malformed or
 * not a reginfo document, err saying where and what in one line
 * ('line 4: <contact> without 'event''); elements of other namespaces
 * are skipped (RFC 3680 extensibility). */
int reginfo_decode(struct reginfo **rip, const char *xml, size_t len,
		   char *err, size_t sz);

/* ---- regwatch.c: one SUBSCRIBE Event: reg and its NOTIFYs ---- */
struct regwatch;
struct node;

/* After each NOTIFY taken, with the view it made. */
typedef void (regwatch_h)(struct regwatch *w, const struct reginfo *view,
			  void *arg);
/* The SUBSCRIBE's final answer (err: none came). */
typedef void (regwatch_resp_h)(int err, uint16_t scode, void *arg);

struct regwatch_req {
	const char *aor;                /* Request-URI and To */
	const char *from;               /* the watcher */
	const char *contact;
	const struct uri *route;        /* the first hop */
	const char *hdrs;               /* "Route: ...\r\n"..., or NULL */
	uint32_t expires;
};

int  regwatch_subscribe(struct regwatch **wp, struct node *node,
			const struct regwatch_req *rq, regwatch_h *h,
			regwatch_resp_h *resph, void *arg);
/* A NOTIFY of ours taken and answered (true), else false. */
bool regwatch_notify(struct regwatch *w, const struct sip_msg *msg);
bool regwatch_is_reg_notify(const struct sip_msg *msg);
const struct reginfo *regwatch_view(const struct regwatch *w);
const char *regwatch_callid(const struct regwatch *w);
bool regwatch_ended(const struct regwatch *w);
/* reginfo, reg_notifies, reg_subscription, reginfo_version */
int  regwatch_query(struct re_printf *pf, const struct regwatch *w,
		    const char *what);

#endif
