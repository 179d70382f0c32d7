/* SPDX-License-Identifier: BSD-3-Clause */
/* sipkit: what the nodes share above the host: SIP helpers, the request
 * checks, dialogs, the traced HTTP client, and the files' regexes. */

#ifndef IMSBED_SIPKIT_H
#define IMSBED_SIPKIT_H

#include <regex.h>
#include <re.h>
#include "host.h"

/* ---- sipx.c: SIP helpers shared by every node ---- */
int  sipx_hdr_str(char **sp, const struct sip_msg *msg, enum sip_hdrid id);
bool sipx_hdr_pl(struct pl *pl, const struct sip_msg *msg, const char *name);
uint32_t sipx_expires(const struct sip_msg *msg, const struct pl *ctparams,
		      uint32_t dflt);
int  sipx_print_hdrs(struct mbuf *mb, const struct sip_msg *msg,
		     const enum sip_hdrid *skipv, size_t skipc,
		     bool skip_first_via, bool skip_first_route);
/* A WWW-Authenticate value without the parameters in names (NULL-ended). */
int  sipx_auth_strip(struct mbuf *mb, const struct pl *hval,
		     const char *const *names);
int  sipx_auth_param(const struct pl *hval, const char *name, char *buf,
		     size_t sz);
int  sipx_hdr_lines(char **sp, const struct sip_msg *msg,
		    enum sip_hdrid id, const char *as);
bool sipx_uri_next(struct pl *rest, struct pl *uri);
/* The next item of a bare list, "sip:a, tel:b" (the HSS's sets). */
bool sipx_list_next(struct pl *rest, struct pl *item);
uint32_t sipx_hash_count(const struct hash *h);
bool sipx_creates_dialog(const struct sip_msg *msg);
int  sipx_asserted_id(char *buf, size_t sz, const struct sip_msg *msg);
int  sipx_hexval(char c);
int  sipx_uri_aor(char *buf, size_t sz, const struct pl *uri);
const char *sipx_reason(uint16_t scode);
/* RFC 3264 6: an answer that declines the one audio stream offered
 * (port 0), for an ACK that must answer an offer nobody takes. */
extern const char sipx_sdp_decline[];
/* libre names a header it does not know by the hash of its name
 * (sip/msg.c: hash_joaat_ci & 0xfff), so that one can be skipped like
 * any other; test_sipx checks the value against libre's decoder. */
#define SIPX_HDR_P_SERVED_USER ((enum sip_hdrid)1588)

/* ---- histinfo.c: History-Info (RFC 7044) of a diverted request ---- */
/* The "History-Info: ...\r\n" line (a mem string) a diverting AS sends
 * the request on with: its entries (or one for its Request-URI), the
 * last with the Reason for cause, and target with the RFC 4458 cause;
 * *countp the entries with a cause before, the diversions so far
 * (TS 24.604 4.5.2.6.1: a limit on them stops loops). */
int  sipx_histinfo_divert(char **linep, uint32_t *countp,
			  const struct sip_msg *msg, const char *target,
			  uint16_t cause);
/* The IMPI a REGISTER speaks for: its Authorization username, else the
 * IMPU without its scheme (TS 23.003 13.3). */
int  sipx_impi(char *buf, size_t sz, const struct sip_msg *msg,
	       const char *impu);

/* ---- sipcheck.c: a malformed request, before any policy ---- */
/* 400 with *reason naming the fault, or 0; ua adds what a user agent
 * needs of a dialog-creating request (From tag, Contact). */
uint16_t sipx_bad_request(const struct sip_msg *msg, bool ua,
			  const char **reason);

/* ---- xmlkit.c: libxml2 as every XML document here needs it ---- */
struct _xmlNode;
struct _xmlTextWriter;
/* the first fault of a parse: its line and what */
typedef void (xmlkit_fault_h)(long line, const char *msg, void *arg);
typedef int (xmlkit_root_h)(struct _xmlNode *root, void *arg);
typedef int (xmlkit_write_h)(struct _xmlTextWriter *w, const void *arg);
/* xml parsed with nothing fetched or expanded and any DTD refused
 * ('DOCTYPE refused: KIND has no DTD'); rh reads the tree while it
 * lives.  EBADMSG once fh has the fault. */
int xmlkit_parse(const char *xml, size_t len, size_t max, const char *kind,
		 xmlkit_fault_h *fh, xmlkit_root_h *rh, void *arg);
/* What wh writes, into mb */
int xmlkit_write(struct mbuf *mb, xmlkit_write_h *wh, const void *arg);

/* ---- regex.c: the files' regexes, compiled one way ---- */
/* POSIX ERE with flags, refused (why says so) when too long or with a
 * repetition of a repetition, which glibc takes exponential time on. */
int emul_regcomp(regex_t *re, const char *pattern, int flags, char *why,
		 size_t wsz);

/* ---- dialog.c: a dialog's state and its requests (RFC 3261 12) ---- */
struct dlg;

int  dlg_uas(struct dlg **dp, struct node *n, const struct sip_msg *req,
	     const char *lcontact);
int  dlg_uac(struct dlg **dp, struct node *n, const struct sip_msg *msg,
	     bool is_request, uint32_t lseq, const char *lcontact);
bool dlg_match(const struct dlg *d, const struct sip_msg *msg);
bool dlg_rseq_ok(struct dlg *d, const struct sip_msg *msg);
const char *dlg_callid(const struct dlg *d);
/* A second 2xx of a forked INVITE (another to-tag than d's): ACKed and
 * ended with BYE (RFC 3261 13.2.2.4); true when msg was one. */
bool dlg_stray_2xx(const struct dlg *d, struct node *n,
		   const struct sip_msg *msg, uint32_t cseq,
		   const char *contact);
struct tsxh;
int  dlg_request(struct tsxh **reqp, struct dlg *d, const char *met,
		 const char *hdrs, const char *ctype, const struct pl *body,
		 sip_resp_h *resph, void *arg);

/* ---- httpc.c: a small HTTP/1.1 client whose requests are traced ---- */
struct http_msg;
struct httpc;
typedef void (httpc_resp_h)(int err, const struct http_msg *msg,
			    void *arg);

/* GET path from node 'from' to dst; auth is the Authorization value or
 * NULL.  resph is called once; mem_deref(*reqp) cancels. */
int httpc_get(struct httpc **reqp, struct node *from, const struct sa *dst,
	      const char *host, const char *path, const char *auth,
	      httpc_resp_h *resph, void *arg);
/* Any method, with a body of Content-Type ctype when body is set. */
int httpc_request(struct httpc **reqp, struct node *from,
		  const struct sa *dst, const char *host, const char *method,
		  const char *path, const char *auth, const char *ctype,
		  const char *body, httpc_resp_h *resph, void *arg);

#endif
