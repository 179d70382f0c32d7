/* SPDX-License-Identifier: BSD-3-Clause */
/* UE internals: the UE's core (its identity, P-CSCF and registration)
 * and the parts it is made of.  A part is a feature with an object of
 * its own (subscription, call, REFER, fetch, address book), made and
 * freed with the UE; ue.c names them in one table.  Adding a feature
 * is one file and one row there. */

#include "aka.h"

struct odict;
struct ue;

/* A part's description: its object (size and destructor; its first
 * member is the struct ue * it belongs to, set by ue.c, and init does
 * the rest), what it takes of the requests that reach the UE (true:
 * answered), and what it tells a scenario's check (ENOTSUP: not mine). */
struct ue_part {
	const char *name;
	size_t size;
	mem_destroy_h *dtor;
	void (*init)(void *part);
	bool (*reqh)(void *part, const struct sip_msg *msg);
	int  (*query)(struct re_printf *pf, const void *part,
		      const char *what, const char *arg);
};

/* In the order a request is offered to them: a NOTIFY with Event: refer
 * is the REFER's before the subscription sees it. */
enum ue_part_id {
	UE_PART_CALL = 0, UE_PART_REFER, UE_PART_REGSUB, UE_PART_SUB,
	UE_PART_FETCH,
	UE_PART_BOOK, UE_PART_MSG, UE_PART_COUNT
};

extern const struct ue_part ue_part_call, ue_part_refer, ue_part_sub,
	ue_part_fetch, ue_part_book, ue_part_msg, ue_part_regsub;

struct ue {
	struct node *node;
	struct node *pcscf;
	char *impu;
	char *impi;
	char *cuser;            /* Contact user: the IMPI's user part */
	char *routes;           /* Service-Route, as Route lines */
	char *assoc;            /* P-Associated-URI */
	void *partv[UE_PART_COUNT];
	bool parts;                     /* made (on first use) */

	/* registration (reg.c) */
	struct tsxh *req;
	struct wtmr tmr_refresh;
	struct fsm reg;                 /* enum ue_state */
	char *password;         /* as configured */
	char *pw_used;          /* this registration's, maybe overridden */
	char *callid;
	uint32_t ftag;          /* one From tag for all our REGISTERs */
	uint32_t cseq;
	uint32_t expires;       /* asked for */
	uint32_t granted;
	bool refresh;
	char realm[128];        /* digest state of the last challenge */
	char nonce[128];
	uint32_t nc;
	bool challenged;
	uint8_t auth_tries;     /* 401s answered in this action */
	uint16_t last_status;

	/* the USIM (usim.c): IMS AKA's side of the UE */
	bool has_usim;
	struct aka_key usim_key;
	struct aka_usim usim;
	enum aka_verdict aka;   /* of the last AKA challenge */
	bool aka_challenged;    /* the last challenge was AKA */
	bool aka_v2;
	bool resynced;          /* AUTS sent in this action */
	uint8_t aka_pw[32];     /* the digest password: RES, or AKAv2's */
	size_t aka_pwlen;
	char auts[32];          /* base64 of AUTS, on a sync failure */
	uint64_t aka_sqn_net;   /* the SQN the last AUTN carried */
	uint8_t aka_answer;     /* 0: as challenged, 1: AKAv1, 2: AKAv2 */

	/* security agreement (RFC 3329, TS 33.203 7.2), reg.c */
	bool sec_agree;
	uint32_t spi_c, spi_s;
	char *sec_server;       /* the P-CSCF's Security-Server, to verify */

	/* the Contact's device and flow, and its GRUUs (contact.c) */
	char *instance;         /* "<urn:...>", or NULL */
	uint32_t reg_id;
	int q;                  /* thousandths, -1: none */
	bool gruu;
	char *pub_gruu, *temp_gruu;
	bool reg_event;         /* watches its registration by itself */
	ue_done_h *doneh;
	void *arg;
};

/* ue.c */
void *ue_part(const struct ue *ue, enum ue_part_id id);
int ue_contact(char *buf, size_t sz, const struct ue *ue);
int ue_pcscf_route(struct uri *rt, char *buf, size_t sz,
		   const struct ue *ue);
bool ue_registered_for(const struct ue *ue, const char *what);
void ue_done(ue_done_h **hp, void *arg, int err, uint16_t scode);

/* contact.c */
int  ue_contact_params(struct re_printf *pf, const struct ue *ue);
const char *ue_contact_supported(const struct ue *ue);
void ue_contact_gruus(struct ue *ue, const struct sip_addr *ct);
void ue_contact_close(struct ue *ue);
int  ue_contact_query(struct re_printf *pf, const struct ue *ue,
		      const char *what);

/* usim.c: a challenge's algorithm and nonce through the USIM */
int  ue_usim_answer(struct ue *ue, const char *alg);

/* reg.c */
void ue_reg_init(struct ue *ue);
void ue_reg_close(struct ue *ue);
void ue_reg_lost(struct ue *ue, bool reregister);

/* dial.c: a 2xx of another branch of our INVITE (true: taken) */
bool ue_call_stray(struct ue *ue, const struct sip_msg *msg);

/* regsub.c: TS 24.229 5.1.1.3, the subscription after registering */
void ue_regsub_auto(struct ue *ue);
int  ue_reg_query(struct re_printf *pf, const struct ue *ue,
		  const char *what);

/* What the last sysinfo NOTIFY said (CN101409688A step 314). */
struct sysinfo {
	bool valid;
	char as[128];
	char domain[3][128];            /* GM, IM, PS */
	struct sa addr[3];
	char token[80];
	char error[256];                /* why the last body was refused */
	uint32_t notifies;
};

/* sub.c: what the subscription learnt, NULL before a valid NOTIFY */
const struct sysinfo *ue_sysinfo(const struct ue *ue);
int sysinfo_decode(struct sysinfo *si, const char *body, size_t len,
		   const char **why, const char **what);

/* refer.c */
int sipfrag_status(char *buf, size_t sz, const struct pl *body);
