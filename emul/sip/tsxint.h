/* SPDX-License-Identifier: BSD-3-Clause */
/* The transaction layer's internals, shared by its core (tsx.c), its
 * server side (tsx_server.c) and its client side (tsx_client.c). */

/* libre's, exported but not in its public headers. */
bool sip_transp_reliable(enum sip_transp tp);

/* Pseudo-timers the RFC's tables do not name, on the same two slots. */
enum {
	TSX_T100 = TSX_TIMERS,  /* 17.2.1: 100 Trying unless the TU is quick */
	TSX_T2XX,               /* 13.3.1.4: a UAS resends its 2xx */
	TSX_TGUARD,             /* a request nobody answers */
};

struct tsxl {
	struct sip *sip;
	struct hash *ht;                /* transactions by key */
	struct hash *acks;              /* UAS 2xx awaiting their ACK */
	struct tsx_cfg cfg;
	const char *id;                 /* the node, in the log */
	struct tsxl_stats stats;
	uint32_t count;
};

struct tsx {
	struct le he;                   /* l->ht */
	struct le he_ack;               /* l->acks */
	struct tsxl *l;                 /* NULL once it has ended */
	struct tsxh *h;                 /* the TU's hold, if any */
	enum tsx_kind kind;
	struct fsm fsm;
	char *key;
	char *dkey;                     /* Call-ID and CSeq, for the ACK */
	char *dtag;                     /* the To tag of the first 2xx */
	struct sip_msg *req;            /* server: the request, until the
					 * final answer */
	char met[16];                   /* its method, for the log */
	struct mbuf *out;               /* the last message sent */
	struct mbuf *ack;               /* client INVITE: our ACK */
	struct sa dst;
	enum sip_transp tp;
	void *sock;                     /* server: where it came in (ref) */
	struct sip_connqent *qent;
	struct wtmr rt, to;             /* A E G (and T2XX, T100), others */
	uint8_t rt_id, to_id;
	uint32_t rt_n;                  /* retransmissions so far */
	uint16_t scode;                 /* server: last response sent */
	bool reliable;
	bool uas;                       /* resends its own 2xx until ACK */
	bool pass_2xx;                  /* a proxy's: 2xx again to the TU */
	bool provisional;               /* client: a 1xx came */
	bool cancel;                    /* client: CANCEL asked for */
	tsx_resp_h *resph;
	tsx_cancel_h *cancelh;
	void *arg;
};

struct tsxh {
	struct tsx *t;
	struct tsxh **hp;               /* where the TU keeps it */
};

/* Keys ("tag|part|part..."), built for every message: plain copies
 * rather than re_printf's format machine (1 % of a registration's
 * instructions, callgrind). */
struct tsx_keyb {
	char *p;
	size_t left;
	bool full;
};
void tsx_key_init(struct tsx_keyb *k, char *buf, size_t sz,
		  const char *tag);
void tsx_key_pl(struct tsx_keyb *k, const struct pl *pl);
void tsx_key_u32(struct tsx_keyb *k, uint32_t v);
int  tsx_key_end(struct tsx_keyb *k);

/* tsx.c */
int  tsx_alloc(struct tsx **tp, struct tsxl *l, enum tsx_kind kind,
	       const char *key);
struct tsx *tsx_find(const struct tsxl *l, const char *key);
void tsx_event(struct tsx *t, enum tsx_event ev, const struct sip_msg *msg);
int  tsx_send(struct tsx *t, struct mbuf *mb);
void tsx_timer(struct tsx *t, unsigned id, uint64_t ms);
void tsx_end(struct tsx *t);
void tsx_rt_stop(struct tsx *t);
int  tsx_hold(struct tsxh **hp, struct tsx *t);
void tsx_unhold(struct tsx *t);
void tsx_release(struct tsx *t);
enum tsx_event tsx_resp_event(uint16_t scode);

/* tsx_server.c */
bool tsx_server_recv(struct tsxl *l, const struct sip_msg *msg);
void tsx_server_act(struct tsx *t, unsigned act);
void tsx_server_timer(struct tsx *t, unsigned id);

/* tsx_client.c */
bool tsx_client_recv(struct tsxl *l, const struct sip_msg *msg);
void tsx_client_act(struct tsx *t, unsigned act, const struct sip_msg *msg);
