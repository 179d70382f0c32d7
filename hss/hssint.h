/* SPDX-License-Identifier: BSD-3-Clause */
/* hss internals: the iFC structs that the loader fills, the evaluator reads
 * and the store writes to SQLite; the subscriber rows the Cx code reads. */

#include <regex.h>
#include "aka.h"

/* ---- ifc.c: the model ---- */

/* The five kinds of Service Point Trigger of TS 29.228 Annex B.2.2 */
enum spt_type {
	SPT_METHOD = 0,
	SPT_REQUEST_URI,
	SPT_HEADER,
	SPT_SESSION_CASE,
	SPT_SDP,
};

/* TS 29.228 B.2.2 ProfilePartIndicator: which part of the profile an iFC
 * belongs to; without one it applies whatever the registration state. */
enum ifc_part {
	IFC_PART_ANY = 0,
	IFC_PART_REG,           /* REGISTERED (0 in the XML) */
	IFC_PART_UNREG,         /* UNREGISTERED (1 in the XML) */
};

/* Every RegistrationType of a REGISTER SPT: the bits (1 << enum ifc_reg)
 * of IFC_REG_INITIAL..IFC_REG_DE; all three are stored as none, which
 * means the same (B.2.2: absent matches every REGISTER). */
#define SPT_REG_ALL ((1u << IFC_REG_INITIAL) | (1u << IFC_REG_RE) | \
		     (1u << IFC_REG_DE))

struct spt {
	enum spt_type type;
	bool negated;
	uint32_t *groupv;       /* Group numbers, at least one */
	size_t groupc;
	/* Method, Request-URI regex source, header name or SDP line type */
	char *str;
	char *content;          /* header/SDP Content regex source, or NULL */
	regex_t re;             /* compiled str (R-URI) or content */
	bool re_ok;             /* re holds a compiled regex to regfree */
	enum ifc_case scase;
	unsigned regtypes;      /* Method REGISTER only; 0: every kind */
};

struct ifc {
	int32_t priority;
	bool cnf;               /* ConditionTypeCNF */
	struct spt *sptv;       /* no trigger point when sptc == 0 */
	size_t sptc;
	uint32_t *groupv;       /* distinct Group numbers, ascending */
	size_t groupc;
	char *as;               /* ApplicationServer/ServerName */
	enum ifc_dh dh;
	char *service_info;     /* NULL when absent */
	enum ifc_part part;
	/* An iFC of a shared set (TS 29.229 SharedIFCSetID) is one object
	 * that every profile naming the set references: the XML names the
	 * set instead of writing it out. */
	bool shared;
	uint32_t set_id;
};

struct ifc_profile {
	char *name;
	struct ifc **ifcv;      /* sorted by priority once loaded */
	size_t ifcc;            /* filled entries of ifcv */
	size_t ifcn;            /* room in ifcv */
	uint32_t *setv;         /* SharedIFCSetIDs, in the order given */
	size_t setc;
};

int  ifc_alloc(struct ifc **ifcp, size_t sptc);
int  ifc_index_groups(struct ifc *ifc);
int  ifc_profile_alloc(struct ifc_profile **pp, const char *name,
		       size_t cap);
/* Takes a reference to ifc, growing ifcv as needed */
int  ifc_profile_append(struct ifc_profile *p, struct ifc *ifc);
void ifc_profile_sort(struct ifc_profile *p);
const char *spt_type_name(enum spt_type t);
const char *ifc_part_name(enum ifc_part part);

/* ---- ifc_check.c: what an iFC must be, whichever format it came in ----
 * Each returns EINVAL with the reason in why, without its place. */
int ifc_method_check(const char *met, char *why, size_t sz);
/* Compiles src into spt->re (REG_NOSUB) */
int spt_regex_set(struct spt *spt, const char *src, char *why, size_t sz);
int spt_line_check(const char *line, char *why, size_t sz);
int ifc_as_check(const char *as, char *why, size_t sz);

/* ---- ifc_sets.c: the shared iFC sets (TS 29.229 SharedIFCSetID) ---- */
struct yml;
/* The topology's 'shared_ifc_sets' (n may be NULL: none) */
int  ifc_sets_load(struct ifc_sets **setsp, const struct yml *y,
		   const struct yaml_node_s *n, char *err, size_t sz);
const struct ifc_profile *ifc_sets_find(const struct ifc_sets *sets,
					uint32_t id);
/* Set id's iFCs into p, and id into p->setv; ENOENT for an unknown id
 * (p is unchanged then); sorting is the caller's, once all are in.
 * Without sets (a document read alone) the id is kept, no iFC added. */
int  ifc_profile_share(struct ifc_profile *p, const struct ifc_sets *sets,
		       uint32_t id);

/* ---- ifc_load_tp.c: a trigger point, and a non-empty string ---- */
int ifc_trigger_load(struct ifc **ifcp, const struct yml *y,
		     const struct yaml_node_s *n, const char *what,
		     char *err, size_t sz);
int ifc_string_load(char **dst, const struct yml *y,
		    const struct yaml_node_s *n, const char *what,
		    char *err, size_t sz);

/* ---- ifc_load.c ---- */
/* ifc_profile_load with the shared sets a profile may name */
int ifc_profile_load_sets(struct ifc_profile **pp, const char *name,
			  const struct yml *y, const struct yaml_node_s *n,
			  const struct ifc_sets *sets, char *err, size_t sz);
/* The iFCs of list n (an 'ifc:' list) appended to p; what is the path
 * ('profiles.x', 'shared_ifc_sets.3') for errors. */
int ifc_list_load(struct ifc_profile *p, const struct yml *y,
		  const struct yaml_node_s *n, const char *what,
		  char *err, size_t sz);

/* ---- store.c: the database, its rows and statements ---- */

/* Registration state of one implicit registration set (TS 29.228
 * 6.1.2); an IMPI may have several sets, each registered on its own. */
enum hss_state {
	HSS_NOT_REGISTERED = 0,
	HSS_REGISTERED     = 1,
	HSS_UNREGISTERED   = 2,  /* S-CSCF assigned for terminating calls */
};

enum { HSS_ID_MAX = 128 };       /* identity, password and name buffers */

/* A subscriber as a Cx lookup sees it: looked up by IMPU, the IMPU's row
 * too (its set, barring, profile); by IMPI alone, uri is "" and profile
 * the subscriber's. */
struct hss_sub {
	char impi[HSS_ID_MAX];
	char password[HSS_ID_MAX];
	char profile[HSS_ID_MAX];       /* "" when the IMPU has none */
	char scscf[HSS_ID_MAX];         /* "" when none assigned */
	enum hss_state state;           /* of the IMPU's set */
	char auth[HSS_ID_MAX];          /* "digest", "aka,digest" ... */
	bool has_key;                   /* AKA key material stored */
	struct aka_key key;
	uint64_t sqn;                   /* SQN_HE: the last one used */
	/* the IMPU as the topology wrote it, or through a wildcard the one
	 * asked for */
	char uri[HSS_ID_MAX];
	uint32_t iset;                  /* its implicit registration set */
	bool barred;                    /* TS 29.228 B.2.1 BarringIndication */
	char wildcard[HSS_ID_MAX];      /* the wildcarded IMPU that matched */
	/* Server-Capabilities as stored (cx_caps_decode's lists) */
	char cap_mand[HSS_ID_MAX];
	char cap_opt[HSS_ID_MAX];
	char cap_servers[HSS_ID_MAX];
};

/* What a topology gives a subscriber for AKA. */
struct hss_aka {
	const char *auth;               /* NULL: "digest" */
	bool has_key;
	struct aka_key key;
	uint64_t sqn;
};

/* What a topology gives a subscriber for the I-CSCF's choice of S-CSCF
 * (TS 29.228 6.1.1.1): the lists as cx_caps_decode reads them. */
struct hss_caps {
	const char *mand;
	const char *opt;
	const char *servers;
};

/* Where a row came from in the topology: n is the template index (1..count)
 * or 0, so that a duplicate can name the first place too. */
struct hss_src {
	unsigned line;
	unsigned col;
	uint32_t n;
};

struct hss_profiles;

const char *hss_realm(const struct hss *hss);

/* Cx lookups: 0, ENOENT when unknown, EIO on a database error.  By IMPU
 * alone, a shared IMPU gives the IMPI that may use it and is served. */
int hss_sub_by_impi(struct hss *hss, const char *impi, struct hss_sub *sub);
int hss_sub_by_impu(struct hss *hss, const char *impu, struct hss_sub *sub);
int hss_sub_by_pair(struct hss *hss, const char *impi, const char *impu,
		    struct hss_sub *sub);
int hss_sub_assign(struct hss *hss, const struct hss_sub *sub,
		   const char *scscf, enum hss_state state);
/* sub's set into saa->assoc, ->barred and ->aliases (one allocation) */
int hss_sub_set(struct hss *hss, const struct hss_sub *sub,
		struct cx_saa *saa);
bool hss_set_usable(struct hss *hss, const struct hss_sub *sub);
/* Each IMPU of sub's set in topology order (a wildcard as the identity
 * that matched it): its URI, barring and profile name ("" for none) */
typedef int (hss_set_h)(const char *uri, bool barred, const char *profile,
			void *arg);
int hss_set_walk(struct hss *hss, const struct hss_sub *sub,
		 hss_set_h *h, void *arg);
int hss_sub_sqn_set(struct hss *hss, const char *impi, uint64_t sqn);
/* key and wild are HSS_ID_MAX buffers; ENOENT when nothing matches */
int hss_impu_resolve(const struct hss *hss, const char *impu, char *key,
		     char *wild);

/* cx.c: TS 29.228 6.1.1.1 steps 1-2, for every Cx request */
int cx_lookup(struct hss *hss, const char *impi, const char *impu,
	      struct hss_sub *sub, enum cx_result *rp);
struct ifc_profile *hss_profile_find(const struct hss *hss,
				     const char *name);

/* Loading: hss_db_begin opens the load's transaction and empties every
 * table; inserts return EEXIST when the key is there already. */
int  hss_db_begin(struct hss *hss);
int  hss_db_end(struct hss *hss, bool commit);
const char *hss_db_errmsg(const struct hss *hss);
int  hss_db_profile(struct hss *hss, const struct ifc_profile *p);
int  hss_db_sub(struct hss *hss, const char *impi, const char *password,
		const char *profile, const struct hss_src *src,
		const struct hss_aka *aka, const struct hss_caps *caps);
/* One IMPU row of an IMPI (see store_schema.c) */
struct hss_impu_row {
	const char *uri;
	const char *key;                /* hss_impu_normalise(uri) */
	const char *impi;
	size_t pos;                     /* in the IMPI, across its sets */
	uint32_t iset;
	bool barred;
	bool wild;
	const char *profile;            /* "" for none */
};

int  hss_db_impu(struct hss *hss, const struct hss_impu_row *r,
		 const struct hss_src *src);
/* Where a row came from: the IMPU key of impi, or with key NULL impi */
int  hss_db_src(struct hss *hss, const char *impi, const char *key,
		struct hss_src *src);

/* hss_load builds a new set of profiles and swaps it in on COMMIT */
void hss_profiles_set(struct hss *hss, struct hss_profiles *ps);
/* The database's wildcarded IMPUs compiled, replacing *wsp */
struct hss_wilds;
int  hss_wilds_load(struct hss *hss, struct hss_wilds **wsp);
void hss_wilds_set(struct hss *hss, struct hss_wilds *ws);

/* ---- identity.c: identity forms and wildcards ---- */
/* TS 23.003 13.4: an IMPU with a '!' is a wildcarded one */
bool hss_impu_is_wild(const char *uri);
/* uri's anchored regex; EINVAL with why filled for a bad one */
int  hss_wild_compile(regex_t *re, const char *uri, char *why, size_t wsz);
int  hss_wilds_alloc(struct hss_wilds **wsp);
int  hss_wilds_add(struct hss_wilds *ws, const char *uri);
const char *hss_wilds_match(const struct hss_wilds *ws, const char *key);

/* ---- profiles.c: the compiled profiles by name ---- */
int  hss_profiles_alloc(struct hss_profiles **psp);
int  hss_profiles_add(struct hss_profiles *ps, struct ifc_profile *p);
struct ifc_profile *hss_profiles_find(const struct hss_profiles *ps,
				      const char *name);

/* cx_trace.c: an RTR or PPR the HSS sent to the S-CSCF n, and the
 * code of its answer, recorded as Diameter */
struct cx_ask;
void cx_trace_push(struct hss *hss, const struct node *n,
		   const struct cx_ask *a, enum cx_result code);

/* cx_peer.c: the Diameter server on TCP; cx_serve.c: its answers */
struct cx_server;
int cx_server_alloc(struct cx_server **srvp, struct hss *hss,
		    const struct sa *laddr);
unsigned cx_server_peers(const struct cx_server *srv, struct mbuf *mb);
int cx_server_request(struct cx_server *srv, const char *host,
		      const struct cx_ask *a, cx_answer_h *ah, void *arg);
