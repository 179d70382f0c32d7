/* SPDX-License-Identifier: BSD-3-Clause */
/* The UE's call, one at a time: taken as a phone (call.c) or made
 * (dial.c); the same dialog, media and end either way. */

struct ue_call {
	struct ue *ue;                  /* first: ue.c sets it */
	enum ue_call_state state;
	struct dlg *dlg;
	struct tsxh *st;          /* the INVITE being answered */
	struct sip_msg *inv;
	struct tsxh *req;        /* our BYE */
	struct tsxh *inv_req;    /* our INVITE (dial.c) */
	bool until_ringing;      /* the call action ends at the 18x */
	bool cancelled;          /* we CANCELled our INVITE */
	bool late_offer;         /* our INVITE has no offer: the 200 will */
	bool answer_in_ack;      /* and our ACK answered it */
	/* early.c: the answer in a 183 (RFC 3262, RFC 3960) */
	bool early_media;        /* as the phone: answer the offer in 183 */
	char *early_sdp;         /* that answer, while the call rings */
	bool early_rel;          /* in a reliable 183 */
	bool early_answered;     /* as the caller: an 18x answered us */
	bool rel_183;            /* the reliable 1xx is the 183 with SDP */
	/* precond.c: RFC 3312 */
	bool precond;            /* this call has preconditions */
	bool qos_sent;           /* as the caller: our UPDATE went */
	bool qos_met;
	/* hold.c: a re-INVITE in the dialog, ours or the peer's */
	struct tsxh *re_req;     /* ours */
	struct tsxh *re_st;      /* theirs, answered, waiting for its ACK */
	const char *dir;         /* what our SDP says: "sendrecv"... */
	bool held;               /* we put the peer on hold */
	const char *held_dir;    /* saying so: "sendonly" or "inactive" */
	bool held_before;        /* as it was before our offer */
	const char *held_dir_before;
	/* prack.c: RFC 3262 */
	bool prack;              /* our INVITE supports 100rel */
	uint32_t rseq;           /* of our reliable 180 */
	bool rel_pending;        /* it waits for its PRACK */
	uint32_t rel_wait;
	struct wtmr tmr_rel;
	uint32_t peer_rseq;      /* the last reliable 1xx we PRACKed */
	struct tsxh *prack_req;
	/* stimer.c: RFC 4028 */
	uint32_t se;             /* Session-Expires, 0: no timer */
	uint32_t min_se;         /* as the phone: refuse below it (422) */
	bool se_retried;         /* as the caller: once after a 422 */
	/* dial.c: what our INVITE was, to send it again after a 422 */
	char *to, *hdrs, *callid;
	char ftag[17];
	uint32_t cseq;
	char min_se_buf[16];
	bool se_watch;           /* the peer refreshes, we watch */
	struct wtmr tmr_se;
	struct media *media;
	struct wtmr tmr;                /* answer delay */
	struct sa peer;                 /* where the other side's RTP goes */
	char peer_key[64];
	bool offer_in_invite;
	uint32_t calls;
	enum ue_answer answer;          /* what to do with the next INVITE */
	uint16_t reject_code;           /* UE_REJECT's */
	uint32_t answer_delay;
	ue_done_h *doneh;
	void *arg;
};


/* call.c */
void ue_call_set_state(struct ue_call *c, enum ue_call_state st,
		       const char *event);
void ue_call_clear(struct ue_call *c);
/* Our SDP: an offer, or the answer to c->peer's (SRTP, SDES) */
int  ue_call_sdp(struct ue_call *c, char *buf, size_t sz);

/* precond.c */
int  ue_precond_offer(struct ue_call *c, char *buf, size_t sz);
bool ue_precond_invite(struct ue_call *c, const struct sip_msg *inv);
bool ue_precond_update(struct ue_call *c, const struct sip_msg *msg);
void ue_precond_reserved(struct ue_call *c);

/* call.c: the phone starts to ring (its answer timer, as set) */
void ue_call_ring(struct ue_call *c);

/* early.c */
bool ue_early_answer(struct ue_call *c, const struct sip_msg *inv);
int  ue_early_183(struct ue_call *c, const char *contact);
void ue_early_provisional(struct ue_call *c, const struct sip_msg *msg);
bool ue_early_established(struct ue_call *c);

/* prack.c */
bool ue_prack_offered(const struct sip_msg *inv);
int  ue_prack_ring(struct ue_call *c);
bool ue_prack_request(struct ue_call *c, const struct sip_msg *msg);
void ue_prack_provisional(struct ue_call *c, const struct sip_msg *msg);

/* stimer.c */
int  ue_stimer_hdrs(const struct ue_call *c, char *buf, size_t sz,
		    bool response);
uint32_t ue_stimer_se(const struct sip_msg *msg);
/* The phone: 422 to an INVITE whose interval is below its Min-SE. */
bool ue_stimer_refuse(struct ue_call *c, const struct sip_msg *inv);
/* The caller: a 422's Min-SE taken, the INVITE to be sent again. */
bool ue_stimer_retry(struct ue_call *c, const struct sip_msg *resp);
void ue_stimer_answered(struct ue_call *c, const struct sip_msg *resp);
void ue_stimer_invited(struct ue_call *c, const struct sip_msg *inv);
void ue_stimer_refreshed(struct ue_call *c, const struct sip_msg *req);

/* hold.c */
void ue_call_reinvite(struct ue_call *c, const struct sip_msg *msg);
bool ue_call_reack(struct ue_call *c, const struct sip_msg *msg);
