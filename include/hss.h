/* SPDX-License-Identifier: BSD-3-Clause */
/* hss: the subscriber store (SQLite), the Cx operations as C calls carrying
 * the data of TS 29.229, and the iFC model and evaluator of TS 29.228. */

#ifndef IMSBED_HSS_H
#define IMSBED_HSS_H

#include <re.h>
#include "aka.h"

struct yml;
struct yaml_node_s;
struct hss;
struct ifc;
struct ifc_profile;
struct node;
struct ifc_sets;

/* ---- ifc.c: the iFC model and its evaluator (TS 29.228 Annex B, C) ---- */

/* SessionCase values as TS 29.228 encodes them. */
enum ifc_case {
	IFC_ORIG        = 0,
	IFC_TERM_REG    = 1,
	IFC_TERM_UNREG  = 2,
	IFC_ORIG_UNREG  = 3,
	IFC_ORIG_CDIV   = 4,    /* for the diverting user (TS 29.228
				 * Rel-8 on, TS 24.604 4.5.2.6.2) */
};

enum ifc_dh {
	IFC_DH_CONTINUE  = 0,   /* SESSION_CONTINUED */
	IFC_DH_TERMINATE = 1,   /* SESSION_TERMINATED */
};

/* The kind of REGISTER a request is, for an SPT's RegistrationType (TS
 * 29.228 B.2.2).  NONE, for any other request or a REGISTER of unknown
 * kind, matches every RegistrationType, as REGISTERs did before. */
enum ifc_reg {
	IFC_REG_NONE = 0,
	IFC_REG_INITIAL,        /* INITIAL_REGISTRATION (0 in the XML) */
	IFC_REG_RE,             /* RE-REGISTRATION (1) */
	IFC_REG_DE,             /* DE-REGISTRATION (2) */
};

struct ifc_hdr {
	const char *name;       /* full header name, e.g. "Event" */
	const char *value;
};

/* What the evaluator sees of a request: small and pure, so that a test
 * builds one from a table without a SIP stack. */
struct ifc_req {
	const char *method;
	const char *ruri;
	const struct ifc_hdr *hdrv;
	size_t hdrc;
	const char *sdp;        /* SDP body or NULL */
	enum ifc_case scase;
	enum ifc_reg reg;
};

/* Besides the trigger point, an iFC with a ProfilePartIndicator applies
 * only in its part: REGISTERED for the session cases of a registered
 * user (originating, terminating_registered, originating_cdiv),
 * UNREGISTERED for terminating_ and originating_unregistered. */
bool ifc_match(const struct ifc *ifc, const struct ifc_req *req);
const char *ifc_as(const struct ifc *ifc);
enum ifc_dh ifc_default_handling(const struct ifc *ifc);
const char *ifc_service_info(const struct ifc *ifc);
int32_t ifc_priority(const struct ifc *ifc);
const char *ifc_case_name(enum ifc_case c);
/* "initial", "re-registration", "de-registration" ("?" for NONE) */
const char *ifc_reg_name(enum ifc_reg r);

/* The profile's iFCs in priority order.  Returns the first iFC at position
 * >= *idx that matches, and sets *idx past it; NULL when none is left. */
const struct ifc *ifc_profile_next(const struct ifc_profile *p,
				   const struct ifc_req *req, size_t *idx);
size_t ifc_profile_count(const struct ifc_profile *p);
const char *ifc_profile_name(const struct ifc_profile *p);
/* The SharedIFCSetIDs the profile names, in their order: their count,
 * and the ids in *idv */
size_t ifc_profile_sets(const struct ifc_profile *p, const uint32_t **idv);
/* The same service profile: its own iFCs field by field in priority
 * order, and the same SharedIFCSetIDs (the sets' iFCs are the sets'). */
bool ifc_profile_equal(const struct ifc_profile *a,
		       const struct ifc_profile *b);

/* ---- ifc_load.c: a service profile from YAML (regexes compiled here) ---- */
int ifc_profile_load(struct ifc_profile **pp, const char *name,
		     const struct yml *y, const struct yaml_node_s *n,
		     char *err, size_t sz);

/* ---- xml_write.c, xml_doc.c: the IMSSubscription document of TS 29.228
 * (Annex B, the XSD of Annex E), which the User-Data AVP of a SAA or a
 * PPR carries ---- */

/* tIdentityType, as TS 29.228 numbers it */
enum hss_id_type {
	HSS_ID_IMPU         = 0,        /* a distinct IMPU */
	HSS_ID_NON_DISTINCT = 3,        /* an IMPU a wildcard matched: the
					 * wildcard is its WildcardedIMPU */
	HSS_ID_WILDCARDED   = 4,        /* the wildcarded IMPU itself */
};

struct hss_xml_impu {
	const char *uri;                /* Identity */
	bool barred;                    /* BarringIndication */
	enum hss_id_type type;          /* IdentityType */
	const char *wildcard;           /* WildcardedIMPU, or NULL */
	const char *display_name;       /* DisplayName, or NULL */
};

/* A ServiceProfile: the public identities that share it, its iFCs and
 * the shared iFC sets it names (an iFC of a set is written as the set's
 * SharedIFCSetID, never itself). */
struct hss_xml_sp {
	const struct hss_xml_impu *impuv;
	size_t impuc;                   /* at least one */
	const struct ifc_profile *profile;      /* NULL: no iFC */
	/* The profile's name in imsbed's own element, in another namespace
	 * where the XSD allows one, so that a topology can load it again
	 * by name; NULL leaves it out (User-Data for an S-CSCF). */
	const char *name;
};

struct hss_xml_sub {
	const char *impi;               /* PrivateID */
	const struct hss_xml_sp *spv;
	size_t spc;                     /* at least one */
};

/* The whole document, <?xml ...?> and <IMSSubscription>, every element
 * in the order of Annex E's sequences; EINVAL for what the XSD would
 * refuse (no IMPI, no ServiceProfile, one without PublicIdentity). */
int hss_subscription_xml(struct mbuf *mb, const struct hss_xml_sub *s);

/* An IMSSubscription document read into the model, regexes compiled and
 * every part checked as the YAML loader checks it.  name is the
 * document's in errors: "name:LINE: <Element>: what" (EBADMSG), also
 * for XML that is not well-formed; no DTD, no entity, nothing from the
 * network.  With sets, each SharedIFCSetID brings that set's iFCs in
 * (an unknown one is an error); without, the ids are kept alone. */
struct hss_xml_doc;
int hss_subscription_decode(struct hss_xml_doc **dp, const char *xml,
			    size_t len, const char *name,
			    const struct ifc_sets *sets, char *err,
			    size_t sz);
/* The document as the writer takes it; a profile without a name in the
 * document is named "" */
const struct hss_xml_sub *hss_xml_doc_sub(const struct hss_xml_doc *d);
/* The line of the i-th ServiceProfile, for errors */
unsigned hss_xml_doc_line(const struct hss_xml_doc *d, size_t i);
/* load_xml.c: the same from a file (a regular one), named by its path */
int hss_subscription_load(struct hss_xml_doc **dp, const char *path,
			  const struct ifc_sets *sets, char *err, size_t sz);

/* ---- ifc_yaml.c ---- */
/* %H with a const struct ifc_profile *: the profile in the topology's
 * YAML, as the value of its name two spaces in ('  NAME:%H'): " {}" or
 * the lines under the name; the loader reads it back the same.  A
 * shared set's iFCs stand as the set's id. */
int ifc_profile_yaml(struct re_printf *pf, void *arg);

/* ---- store.c: the HSS and its SQLite database ---- */
int  hss_alloc(struct hss **hssp, const char *name, const char *dbpath,
	       const char *realm, char *err, size_t sz);
const char *hss_name(const struct hss *hss);
uint32_t hss_subscriber_count(const struct hss *hss);

/* ---- store_impu.c, identity.c: public identities (TS 23.228 4.3.3) ----
 * Every lookup by IMPU takes it in its normal form (a global number's
 * tel URI and its sip:...;user=phone twin are one identity), tries the
 * IMPUs stored as such first and the wildcarded ones (TS 23.003 13.4)
 * after, in topology order. */
enum hss_match {
	HSS_MATCH_NONE = 0,
	HSS_MATCH_EXACT,
	HSS_MATCH_WILDCARD,
};

bool hss_has_impu(const struct hss *hss, const char *impu);
enum hss_match hss_impu_match(const struct hss *hss, const char *impu);
/* True when every IMPI that holds impu has it barred (TS 29.228 B.2.1):
 * registered with its set, never an originating identity. */
bool hss_impu_barred(const struct hss *hss, const char *impu);
/* The service profile of impu (of impi's row, or with impi NULL of the
 * IMPI hss_sub_by_impu picks), or NULL; not referenced: mem_ref it to
 * keep it past the next load. */
struct ifc_profile *hss_impu_profile(struct hss *hss, const char *impi,
				     const char *impu);
/* The key an IMPU is looked up by: "tel:+16328300100" for tel:+1-632-
 * 830-0100 and sip:+16328300100@any.host;user=phone (RFC 3966 visual
 * separators dropped, a sip URI's own parameters too), any other URI as
 * it is.  0, EINVAL, or EOVERFLOW when sz is too small. */
int hss_impu_normalise(char *buf, size_t sz, const char *impu);

/* ---- load.c: the topology's users and profiles into one HSS ---- */
/* Loads the topology's 'shared_ifc_sets', 'profiles' (with those of the
 * TS 29.228 XML files it names, load_xml.c) and 'subscribers' (those
 * whose 'hss' key names this HSS, or all of them when absent).
 * Transactional: it replaces what the HSS held, or on error leaves it as
 * it was. */
int  hss_load(struct hss *hss, const struct yml *y,
	      const struct yaml_node_s *root, char *err, size_t sz);

/* ---- export.c: every subscriber as an IMSSubscription ---- */
/* A subscriber's document as the writer takes it; an error stops the
 * export with it. */
typedef int (hss_export_h)(const struct hss_xml_sub *s, void *arg);
/* Every subscriber of the HSS in topology order (a template's every
 * user), its IMPUs in a ServiceProfile per service profile, each profile
 * named, so that 'profiles: {xml: ...}' loads them again. */
int hss_export(struct hss *hss, hss_export_h *h, void *arg);

/* ---- slf.c: the Subscription Locator Function (TS 23.228 5.8.1) ---- */
/* With several HSSs, which one holds an IMPU: the CSCFs ask before Cx. */
int  slf_add(struct hss *hss);
struct hss *slf_locate(const char *impu);
struct hss *slf_nth(size_t i);
struct hss *slf_by_name(const char *name);
void slf_flush(void);

/* ---- cx.c: UAR/UAA, MAR/MAA, SAR/SAA, LIR/LIA (TS 29.229) ---- */
enum cx_result {
	CX_SUCCESS                      = 2001,
	CX_FIRST_REGISTRATION           = 2001,
	CX_SUBSEQUENT_REGISTRATION      = 2002,
	CX_UNREGISTERED_SERVICE         = 2003,
	CX_SUCCESS_SERVER_NAME_NOT_STORED = 2004,
	CX_ERROR_USER_UNKNOWN           = 5001,
	CX_ERROR_IDENTITIES_DONT_MATCH  = 5002,
	CX_ERROR_IDENTITY_NOT_REGISTERED = 5003,
	/* the base protocol's Result-Code 5003: see cx_uaa.rejected */
	CX_AUTHORIZATION_REJECTED       = 5003,
	CX_ERROR_ROAMING_NOT_ALLOWED    = 5004,
	CX_ERROR_AUTH_SCHEME_NOT_SUPPORTED = 5006,
	CX_UNABLE_TO_COMPLY             = 5012,
};

enum cx_uar_type {
	CX_UAR_REGISTRATION = 0,
	CX_UAR_DE_REGISTRATION = 1,
	CX_UAR_REGISTRATION_AND_CAPABILITIES = 2,
};

enum cx_sar_type {
	CX_SAR_NO_ASSIGNMENT = 0,
	CX_SAR_REGISTRATION = 1,
	CX_SAR_RE_REGISTRATION = 2,
	CX_SAR_UNREGISTERED_USER = 3,
	CX_SAR_TIMEOUT_DEREGISTRATION = 4,
	CX_SAR_USER_DEREGISTRATION = 5,
	CX_SAR_TIMEOUT_DEREGISTRATION_STORE = 6,
	CX_SAR_USER_DEREGISTRATION_STORE = 7,
	CX_SAR_ADMINISTRATIVE_DEREGISTRATION = 8,
	CX_SAR_AUTHENTICATION_FAILURE = 9,
	CX_SAR_AUTHENTICATION_TIMEOUT = 10,
	CX_SAR_DEREGISTRATION_TOO_MUCH_DATA = 11,
};

/* TS 29.229 6.3.4 Server-Capabilities: what an S-CSCF must have
 * (Mandatory-Capability), what counts for it (Optional-Capability), and
 * S-CSCFs the HSS names as candidates (Server-Name: node names here). */
enum { CX_CAPS_MAX = 8, CX_SERVERS_MAX = 4 };

struct cx_caps {
	uint32_t mandv[CX_CAPS_MAX];
	size_t mandc;
	uint32_t optv[CX_CAPS_MAX];
	size_t optc;
	char serverv[CX_SERVERS_MAX][64];
	size_t serverc;
};

struct cx_uaa {
	enum cx_result result;
	char scscf[128];        /* Server-Name when one is assigned, or "" */
	/* without a Server-Name: what the I-CSCF selects one by (TS 29.228
	 * 6.1.1.1), empty when the subscriber asks for nothing */
	struct cx_caps caps;
	/* 5003 is DIAMETER_AUTHORIZATION_REJECTED: the IMPU and every IMPU
	 * of its set are barred (TS 29.228 6.1.1.1 step 3) */
	bool rejected;
};

/* TS 29.229 6.3.2 SIP-Authentication-Scheme, as the MAA gives it */
enum cx_scheme {
	CX_SCHEME_DIGEST = 0,   /* "SIP Digest" */
	CX_SCHEME_AKAV1,        /* "Digest-AKAv1-MD5" */
	CX_SCHEME_AKAV2,        /* "Digest-AKAv2-MD5" */
};

/* TS 29.229 6.3.7 SIP-Number-Auth-Items: at most this many vectors. */
enum { CX_VECTORS = 5 };

struct cx_maa {
	enum cx_result result;
	enum cx_scheme scheme;
	char realm[128];
	char ha1[33];           /* SIP-Digest-Authenticate: Digest-HA1 */
	struct aka_vec vec;     /* the AKA schemes' vector */
	struct aka_vec spare[CX_VECTORS - 1];   /* more, when asked for */
	unsigned nspare;
};

struct cx_saa {
	enum cx_result result;
	struct ifc_profile *profile;    /* the IMPU's; caller mem_deref's */
	/* the implicit set without its barred IMPUs, "sip:a, tel:b", the
	 * default identity first; caller derefs */
	char *assoc;
	/* in assoc's allocation, freed with it: the set's barred IMPUs,
	 * and its alias group (TS 29.228 Alias Identity Group: the IMPUs
	 * sharing the IMPU's service profile, barred ones too) */
	const char *barred;
	const char *aliases;
	char impi[128];
	char wildcard[128];     /* Wildcarded-Public-Identity matched, "" */
};

struct cx_lia {
	enum cx_result result;
	char scscf[128];
	struct cx_caps caps;    /* with UNREGISTERED_SERVICE (6.1.4.1) */
	char wildcard[128];     /* Wildcarded-Public-Identity matched, "" */
};

int hss_uar(struct hss *hss, const char *impi, const char *impu,
	    enum cx_uar_type type, struct cx_uaa *uaa);
/* scheme: a SIP-Authentication-Scheme, or NULL / "Unknown" for the one
 * the subscriber's profile puts first. */
int hss_mar(struct hss *hss, const char *impi, const char *impu,
	    const char *scheme, const char *server, struct cx_maa *maa);
/* The same asking for n AKA vectors (1 to CX_VECTORS): vec, then spare,
 * with SQNs in the order the USIM should take them. */
int hss_mar_vectors(struct hss *hss, const char *impi, const char *impu,
		    const char *scheme, const char *server, unsigned n,
		    struct cx_maa *maa);
/* A MAR with SIP-Authorization RAND || AUTS (TS 29.228 6.3.1, TS 33.102
 * 6.3.5): the HSS takes the USIM's SQN and answers a fresh vector. */
int hss_mar_resync(struct hss *hss, const char *impi, const char *impu,
		   const char *scheme, const char *server,
		   const uint8_t rand[16], const uint8_t auts[14],
		   struct cx_maa *maa);
const char *cx_scheme_name(enum cx_scheme s);
/* The subscriber's AKA key material and SQN_HE (for the AKA doctor):
 * ENOENT for an unknown IMPI, ENOTSUP for one without AKA keys. */
int hss_aka_key(struct hss *hss, const char *impi, struct aka_key *key,
		uint64_t *sqn);
int hss_sar(struct hss *hss, const char *impi, const char *impu,
	    const char *server, enum cx_sar_type type, struct cx_saa *saa);
int hss_lir(struct hss *hss, const char *impu, struct cx_lia *lia);
const char *cx_result_name(enum cx_result r);
/* The Server-Capabilities as the database keeps them: lists such as
 * "1,2" (capabilities) and "scscf1,scscf2" (servers), "" for none.
 * EINVAL for a list that is not one, EOVERFLOW past CX_*_MAX. */
int cx_caps_decode(struct cx_caps *caps, const char *mand, const char *opt,
		   const char *servers);
/* The same, for a UAA: 5003 named as the UAA meant it */
const char *cx_uaa_result_name(const struct cx_uaa *uaa);

/* ---- cx_push.c: the HSS's requests to an S-CSCF: RTR, PPR ---- */
/* TS 29.229 6.3.17 Reason-Code */
enum cx_dereg_reason {
	CX_DEREG_PERMANENT_TERMINATION = 0,
	CX_DEREG_NEW_SERVER_ASSIGNED = 1,
	CX_DEREG_SERVER_CHANGE = 2,
	CX_DEREG_REMOVE_SCSCF = 3,
};

struct cx_rtr {
	const char *impi;
	const char *impu;
	enum cx_dereg_reason reason;
	const char *info;               /* Reason-Info, or NULL */
};

struct cx_listener;
/* The S-CSCF's RTA: CX_SUCCESS once it de-registered the user. */
typedef enum cx_result (cx_rtr_h)(const struct cx_rtr *rtr, void *arg);
/* The S-CSCF's PPA: the user's new service profile (referenced by the
 * HSS; mem_ref it to keep it). */
typedef enum cx_result (cx_ppr_h)(const char *impi, const char *impu,
				  struct ifc_profile *profile, void *arg);

/* An S-CSCF hears the HSS's requests for its Server-Name. */
int  cx_listen(struct cx_listener **lp, const struct node *node,
	       const char *server, cx_rtr_h *rtrh, cx_ppr_h *pprh,
	       void *arg);
/* The answer to a request the HSS sent a Diameter peer: its result
 * code, or err ETIMEDOUT (none came) or ECONNRESET (the peer went). */
typedef void (cx_answer_h)(int err, uint32_t code, void *arg);

/* RTR for the user of impu to the S-CSCF assigned to it: ENOTCONN when
 * none is, else *rta is the S-CSCF's answer.  An S-CSCF outside the
 * process that is a Diameter peer of the HSS gets the RTR over its
 * connection: EINPROGRESS, and ah (when given) has the RTA. */
int  hss_rtr(struct hss *hss, const char *impu, enum cx_dereg_reason reason,
	     const char *info, enum cx_result *rta, cx_answer_h *ah,
	     void *arg);
const char *cx_dereg_reason_name(enum cx_dereg_reason r);
/* The implicit set of impu gets the service profile named so, stored,
 * and pushed to the S-CSCF serving it (PPR); ENOENT for an unknown
 * profile or IMPU. */
int  hss_ppr(struct hss *hss, const char *impu, const char *profile,
	     enum cx_result *ppa);

/* ---- cx_wire.c, cx_wire_ans.c: Cx as TS 29.229's Diameter ---- */
struct diam;
struct diam_node;

enum cx_cmd {
	CX_CMD_UAR = 300,
	CX_CMD_SAR = 301,
	CX_CMD_LIR = 302,
	CX_CMD_MAR = 303,
	CX_CMD_RTR = 304,
	CX_CMD_PPR = 305,
};

/* What a Cx request carries, for every command: built from an
 * in-process call or read from a peer's message. */
struct cx_ask {
	uint32_t cmd;                   /* enum cx_cmd */
	char impi[128];                 /* User-Name */
	char impu[256];                 /* Public-Identity */
	char server[128];               /* Server-Name */
	char visited[128];              /* Visited-Network-Identifier */
	/* User-Authorization-Type, Server-Assignment-Type, Reason-Code */
	uint32_t type;
	char scheme[64];                /* SIP-Authentication-Scheme */
	uint32_t nitems;                /* SIP-Number-Auth-Items */
	uint8_t authz[64];              /* SIP-Authorization: RAND || AUTS */
	size_t authzlen;
	char info[128];                 /* Reason-Info */
	const struct mbuf *user_data;   /* PPR's User-Data, or NULL */
};

int cxw_head(struct diam *d, const struct diam_node *self, const char *sid,
	     uint32_t code, bool experimental);
int cxw_request(struct diam **dp, const struct diam_node *self,
		const struct diam_node *peer, const char *sid,
		const struct cx_ask *a);
int cxw_request_read(const struct diam *d, struct cx_ask *a, char *why,
		     size_t sz);
int cxw_uaa(struct diam **dp, const struct diam *req,
	    const struct diam_node *self, const struct cx_ask *a,
	    const struct cx_uaa *uaa);
int cxw_maa(struct diam **dp, const struct diam *req,
	    const struct diam_node *self, const struct cx_ask *a,
	    const struct cx_maa *maa);
int cxw_saa(struct diam **dp, const struct diam *req,
	    const struct diam_node *self, const struct cx_ask *a,
	    const struct cx_saa *saa, const struct mbuf *user_data);
/* cx_userdata.c: the SAA's User-Data, the IMSSubscription of the set
 * hss_sar registered for impu (a ServiceProfile per profile its
 * identities use); ENOENT when it downloaded nothing */
int cx_user_data(struct mbuf **mbp, struct hss *hss, const char *impu,
		 const struct cx_saa *saa);
int cxw_lia(struct diam **dp, const struct diam *req,
	    const struct diam_node *self, const struct cx_lia *lia);
int cxw_result(struct diam **dp, const struct diam *req,
	       const struct diam_node *self, uint32_t code);

/* ---- cx_trace.c: the CSCFs' Cx calls, recorded as Diameter ---- */

/* The HSS as a Diameter node: its Origin-Host (NULL keeps
 * "name.realm") and the address it listens on, or would. */
int  hss_set_diameter(struct hss *hss, const char *host,
		      const struct sa *addr);
void hss_diameter_node(const struct hss *hss, struct diam_node *dn);

/* The HSS listens as a Diameter server on its address (TCP), for
 * I- and S-CSCFs outside the process. */
int  hss_diameter_listen(struct hss *hss);
bool hss_diameter_listening(const struct hss *hss);
/* The peers past their CER, their Origin-Hosts into mb (may be NULL) */
unsigned hss_diameter_peers(const struct hss *hss, struct mbuf *mb);
/* The answer to a Cx request from a peer: always one, the failures as
 * RFC 6733 and TS 29.229 code them. */
int  hss_cx_answer(struct hss *hss, const struct diam *req,
		   struct diam **ap);

/* What hss_uar, hss_mar_vectors, hss_mar_resync, hss_sar and hss_lir
 * do, asked by the node from; while someone records, the exchange is
 * recorded as the Diameter request and answer it stands for. */
int cx_uar(const struct node *from, struct hss *hss, const char *impi,
	   const char *impu, enum cx_uar_type type, struct cx_uaa *uaa);
int cx_mar(const struct node *from, struct hss *hss, const char *impi,
	   const char *impu, const char *scheme, const char *server,
	   unsigned n, struct cx_maa *maa);
int cx_mar_resync(const struct node *from, struct hss *hss,
		  const char *impi, const char *impu, const char *scheme,
		  const char *server, const uint8_t rand[16],
		  const uint8_t auts[14], struct cx_maa *maa);
int cx_sar(const struct node *from, struct hss *hss, const char *impi,
	   const char *impu, const char *server, enum cx_sar_type type,
	   struct cx_saa *saa);
int cx_lir(const struct node *from, struct hss *hss, const char *impu,
	   struct cx_lia *lia);

#endif
