/* SPDX-License-Identifier: BSD-3-Clause */
/* S-CSCF internals shared by its registrar, authentication and ISC
 * files: the node object and the binding of a registered user. */

struct scscf {
	struct node *node;
	struct proxy *px;
	struct hash *bindings;          /* struct binding, by IMPU */
	struct hash *aliases;           /* struct alias, by every IMPU */
	struct hash *nonces;            /* struct nonce, by nonce */
	struct list noncel;             /* the same, oldest first */
	struct wtmr tmr_nonce;          /* drops the oldest when due */
	struct wheel *wheel;            /* binding expiry, ODIs */
	struct hash *odis;              /* struct odi, by token */
	struct list tpregs;             /* third-party REGISTERs pending */
	struct cscf_cfg cfg;
	char *uri;                      /* sip:scscf.<domain> */
	struct hash *avsets;            /* spare AKA vectors, by IMPI */
	struct hash *tgruus;            /* struct bcontact, by temp GRUU */
	struct hash *regsubs;           /* reg event subscriptions */
	struct cx_listener *cx;         /* the HSS's RTRs to us */
	uint32_t next_cid;              /* contacts' ids in reginfo */
	char doc_impi[128];             /* the AKA doctor's last finding */
	char doc_note[192];
};

/* A registered user: the implicit set behind one registered IMPU, and
 * the devices registered for it (RFC 3261 10.3, TS 24.229 5.4.1.2). */
struct binding {
	struct le he;
	struct list aliasl;
	struct scscf *s;
	struct hss *hss;
	struct ifc_profile *profile;
	char *impu;
	char *impi;
	char *assoc;            /* the implicit set, "<a>, <b>" */
	struct list contacts;   /* struct bcontact, oldest first */
	struct list subs;       /* reg event subscriptions to it */
};

/* What happened to a contact, as the reg event package tells it. */
enum scscf_regev {
	SCSCF_REGEV_CREATED = 0,
	SCSCF_REGEV_REFRESHED,
	SCSCF_REGEV_SHORTENED,
	SCSCF_REGEV_EXPIRED,            /* from here on: the contact ends */
	SCSCF_REGEV_DEACTIVATED,
	SCSCF_REGEV_UNREGISTERED,
	SCSCF_REGEV_REJECTED,
};

/* One device: its Contact, the Path to it, its own expiry. */
struct bcontact {
	struct le le;
	struct binding *b;
	char *uri;              /* the Contact URI as the UE sent it */
	char *instance;         /* +sip.instance (RFC 5626), or NULL */
	char *paths;            /* "Path: ...\r\n" lines as received */
	char *callid;           /* of its last REGISTER (RFC 3680 callid) */
	uint32_t cseq;          /* and that REGISTER's CSeq */
	uint32_t id;            /* its reginfo id: "c<id>" */
	enum scscf_regev last;  /* what its last REGISTER did */
	uint32_t regid;         /* RFC 5626 reg-id, 0 without outbound */
	bool gruu;              /* it asked for GRUUs (RFC 5627) */
	char tgruu[17];         /* its temporary GRUU's token, or "" */
	struct le he_tgruu;
	int q;                  /* thousandths; -1 when not given */
	uint32_t expires;
	uint64_t refreshed;     /* when last registered */
	uint64_t expires_at;
	struct wheel_ent went;
};

/* scscf_reg.c */
int  scscf_register(struct scscf *s, const struct sip_msg *msg);
struct binding *scscf_binding(const struct scscf *s, const char *impu);
void scscf_binding_remove(struct binding *b, enum cx_sar_type why);
/* The same, without the SAR when the HSS asked for it (RTR). */
void scscf_binding_drop(struct binding *b, enum cx_sar_type why, bool sar);

/* scscf_dereg.c */
enum cx_result scscf_rtr(const struct cx_rtr *rtr, void *arg);
enum cx_result scscf_ppr(const char *impi, const char *impu,
			 struct ifc_profile *profile, void *arg);

/* scscf_contact.c */
enum { SCSCF_FORK_MAX = 16 };
int  scscf_contact_q(const struct pl *v);
struct bcontact *scscf_contact_find(const struct binding *b,
				    const struct sip_msg *msg,
				    const struct sip_addr *ct);
int  scscf_contact_set(struct binding *b, const struct sip_msg *msg,
		       const struct sip_addr *ct, uint32_t expires,
		       struct bcontact **cp);
int  scscf_contacts_print(struct re_printf *pf, const struct binding *b);
/* Whether a device registered with outbound (RFC 5626 reg-id). */
bool scscf_contact_outbound(const struct binding *b);
/* The devices a request to the user forks to, into v: one per device
 * (its newest flow), the highest q first, then the newest. */
size_t scscf_contact_targets(const struct binding *b,
			     const struct bcontact **v, size_t max);
/* scscf_reg.c: the same over every binding that has impu in its set (a
 * shared IMPU has one per IMPI that registered it) */
size_t scscf_user_targets(const struct scscf *s, const char *impu,
			  const struct bcontact **v, size_t max);
/* A Request-URI that is a GRUU of ours (RFC 5627 8.4): the user in
 * impu, and the device in *cp, NULL when it is not registered (480).
 * ENOENT: no GRUU; ESRCH: a temporary GRUU nobody holds (404). */
int  scscf_gruu_lookup(const struct scscf *s, const struct pl *ruri,
		       char *impu, size_t sz, const struct bcontact **cp);

/* scscf_regevent.c: the reg event package's notifier */
bool scscf_regevent_request(struct scscf *s, const struct sip_msg *msg);
void scscf_regevent_contact(struct binding *b, const struct bcontact *c,
			    enum scscf_regev ev);
void scscf_regevent_end(struct binding *b, enum scscf_regev ev,
			const char *reason);
/* The binding goes without a word (the S-CSCF closes). */
void scscf_regevent_detach(struct binding *b);

/* scscf_auth.c */
enum auth_verdict {
	AUTH_OK = 0,
	AUTH_CHALLENGE,         /* no or unknown credentials: 401 */
	AUTH_STALE,             /* nonce known but expired: 401 stale */
	AUTH_FORBIDDEN,         /* wrong response or identity: 403 */
	AUTH_RESYNC,            /* AKA: the UE sent AUTS */
};

int  scscf_auth_challenge(struct scscf *s, const struct sip_msg *msg,
			  struct hss *hss, const char *impi,
			  const char *impu, bool stale);
int  scscf_auth_resync(struct scscf *s, const struct sip_msg *msg,
		       struct hss *hss, const char *impi, const char *impu);
enum auth_verdict scscf_auth_verify(struct scscf *s,
				    const struct sip_msg *msg,
				    const char *impi, const char *impu);

/* scscf_av.c */
void scscf_av_flush(struct scscf *s, const char *impi);
bool scscf_av_take(struct scscf *s, const char *impi, const char *scheme,
		   struct cx_maa *maa);
void scscf_av_keep(struct scscf *s, const char *impi,
		   const struct cx_maa *maa);
uint32_t scscf_av_count(const struct scscf *s, const char *impi);

/* scscf_route.c */
void scscf_route(struct scscf *s, const struct sip_msg *msg);

/* scscf_fork.c: a terminating request on to the user's devices */
int  scscf_fork(struct scscf *s, const struct sip_msg *msg, struct ptx *t,
		const char *impu, const struct proxy_fwd *base);

/* isc_view.c */
struct isc_view;
/* reg: the REGISTER's kind, IFC_REG_NONE for any other request */
int  isc_view_alloc(struct isc_view **vp, const struct sip_msg *msg,
		    const char *method, enum ifc_case sc, enum ifc_reg reg,
		    const char *impu);
const struct ifc_req *isc_view_req(const struct isc_view *v);

/* scscf_isc.c */
/* reg says which RegistrationType the third-party REGISTERs answer to:
 * initial, re-registration, or de-registration (with expires 0) */
void scscf_isc_register(struct scscf *s, struct binding *b,
			const struct sip_msg *msg, uint32_t expires,
			enum ifc_reg reg);
