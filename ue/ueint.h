/* SPDX-License-Identifier: BSD-3-Clause */
/* UE internals shared by its registration, subscription and HTTP
 * files. */

struct odict;

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

int sysinfo_decode(struct sysinfo *si, const char *body, size_t len,
		   const char **why, const char **what);
int sipfrag_status(char *buf, size_t sz, const struct pl *body);

/* One resource fetched from a module. */
struct fetched {
	uint16_t status;
	char *body;
	char error[128];
};

enum { FETCH_PROFILE = 0, FETCH_ADDRESSBOOK, FETCH_DIRECTORY,
       FETCH_PRESENCE, FETCH_MESSAGES, FETCH_COUNT };

struct call {
	enum ue_call_state state;
	struct dlg *dlg;
	struct sip_strans *st;          /* the INVITE being answered */
	struct sip_msg *inv;
	struct sip_request *req;        /* our BYE */
	struct media *media;
	struct tmr tmr;                 /* answer delay */
	struct sa peer;                 /* where the other side's RTP goes */
	char peer_key[64];
	bool offer_in_invite;
	uint32_t calls;
};

struct ue {
	struct node *node;
	struct node *pcscf;
	struct sip_request *req;
	struct tmr tmr_refresh;
	struct fsm reg;                 /* registration: enum ue_state */
	char *impu;
	char *impi;
	char *password;         /* as configured */
	char *pw_used;          /* this registration's, maybe overridden */
	char *callid;
	char *cuser;            /* Contact user: the IMPI's user part */
	uint32_t ftag;          /* one From tag for all our REGISTERs */
	char *routes;           /* Service-Route, as Route lines */
	char *assoc;
	uint32_t cseq;
	uint32_t expires;       /* asked for */
	uint32_t granted;
	bool refresh;
	/* digest state of the last challenge */
	char realm[128];
	char nonce[128];
	uint32_t nc;
	bool challenged;
	uint8_t auth_tries;     /* 401s answered in this action */
	uint16_t last_status;
	ue_done_h *doneh;
	void *arg;

	/* sysinfo subscription (sub.c) */
	struct sip_request *sreq;
	struct dlg *sdlg;
	struct tmr tmr_sub;
	char *scallid;
	char stag[17];
	uint32_t scseq;
	uint32_t sexpires;
	bool srefresh;
	struct fsm sub;                 /* the subscription, sub.c */
	uint16_t sub_status;
	ue_done_h *sdoneh;
	void *sarg;
	struct sysinfo *si;             /* from the first subscription on */

	/* HTTP (fetch.c) */
	struct httpc *hreq;
	struct fetched fetched[FETCH_COUNT];
	uint32_t fetch_mask;            /* what the action asked for */
	int fetch_next;
	char fetch_user[128];           /* whose data, default our own */
	char fetch_auth[96];            /* Authorization value to send */
	ue_done_h *fdoneh;
	void *farg;

	/* phone (call.c) */
	struct call call;
	enum ue_answer answer;
	uint32_t answer_delay;
	ue_done_h *cdoneh;
	void *carg;

	/* click-to-dial client (refer.c) */
	struct sip_request *rreq;
	struct dlg *rdlg;
	char *rcallid;
	char rtag[17];
	char rstatus[64];               /* last sipfrag status line */
	uint32_t rnotifies;
	ue_done_h *rdoneh;
	void *rarg;

	/* address book client (book.c) */
	struct httpc *breq;
	uint16_t bstatus;
	char *bbody;
	ue_done_h *bdoneh;
	void *barg;
};

/* ue.c */
int ue_contact(char *buf, size_t sz, const struct ue *ue);
int ue_pcscf_route(struct uri *rt, char *buf, size_t sz,
		   const struct ue *ue);

/* sub.c */
bool ue_sub_request(struct ue *ue, const struct sip_msg *msg);
void ue_sub_init(struct ue *ue);
void ue_sub_close(struct ue *ue);
int  ue_sub_query(struct re_printf *pf, const struct ue *ue,
		  const char *what, const char *arg);

/* call.c */
bool ue_call_request(struct ue *ue, const struct sip_msg *msg);
void ue_call_close(struct ue *ue);
int  ue_call_query(struct re_printf *pf, const struct ue *ue,
		   const char *what, const char *arg);

/* refer.c */
bool ue_refer_request(struct ue *ue, const struct sip_msg *msg);
void ue_refer_close(struct ue *ue);
int  ue_refer_query(struct re_printf *pf, const struct ue *ue,
		    const char *what, const char *arg);

/* book.c */
void ue_book_close(struct ue *ue);
int  ue_book_query(struct re_printf *pf, const struct ue *ue,
		   const char *what, const char *arg);

/* fetch.c */
void ue_fetch_close(struct ue *ue);
int  ue_fetch_query(struct re_printf *pf, const struct ue *ue,
		    const char *what, const char *arg);
const char *ue_fetch_name(int i);
