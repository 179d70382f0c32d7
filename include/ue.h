/* SPDX-License-Identifier: BSD-3-Clause */
/* ue: the emulated IMS UE.  It registers through its P-CSCF with SIP
 * Digest or IMS AKA as TS 24.229 5.1.1 describes, refreshes and
 * de-registers. */

#ifndef IMSBED_UE_H
#define IMSBED_UE_H

#include <re.h>
#include "aka.h"

struct node;
struct ue;

enum ue_state {
	UE_IDLE = 0,
	UE_REGISTERING,
	UE_AUTHENTICATING,
	UE_REGISTERED,
	UE_DEREGISTERING,
	UE_FAILED,
};

/* An action's end: err 0 and the final status, or err (ETIMEDOUT). */
typedef void (ue_done_h)(int err, uint16_t scode, void *arg);

int  ue_alloc(struct ue **up, struct node *node, struct node *pcscf,
	      const char *impu, const char *impi, const char *password);
/* The USIM's key material and the SQN it last accepted (IMS AKA), as if
 * taken with every IND: no older SEQ passes. */
int  ue_set_usim(struct ue *ue, const struct aka_key *key, uint64_t sqn);
/* A UE that answers every AKA challenge with one algorithm's password
 * ("AKAv1-MD5" or "AKAv2-MD5"), whatever the challenge says: how a
 * client with that bug behaves.  NULL: the challenge's. */
int  ue_set_aka_answer(struct ue *ue, const char *alg);
/* The UE offers the security agreement of TS 33.203 7.2 (RFC 3329). */
int  ue_set_sec_agree(struct ue *ue, bool on);
/* After each registration the UE subscribes to its registration state,
 * unless it still watches it (TS 24.229 5.1.1.3). */
int  ue_set_reg_event(struct ue *ue, bool on);
/* What its REGISTER's Contact says of the device: instance (a URN, or
 * "auto" for one made from the node's name), reg-id (RFC 5626, 0: none),
 * q (thousandths, -1: none), and whether it asks for GRUUs (RFC 5627);
 * reg-id and gruu need an instance. */
struct ue_contact_cfg {
	const char *instance;
	uint32_t reg_id;
	int q;
	bool gruu;
};
int  ue_set_contact(struct ue *ue, const struct ue_contact_cfg *cfg);
/* What the USIM made of the last challenge, for the AKA doctor. */
struct ue_aka {
	bool challenged;        /* the last challenge was AKA */
	bool v2;                /* AKAv2-MD5 */
	bool has_usim;
	struct aka_key key;
	enum aka_verdict verdict;
	uint64_t sqn_ms;        /* the highest SQN the USIM took */
	uint64_t sqn_net;       /* the SQN in the last AUTN */
};
int  ue_aka_state(const struct ue *ue, struct ue_aka *st);
const char *ue_impi(const struct ue *ue);
int  ue_register(struct ue *ue, uint32_t expires, bool refresh,
		 const char *password, ue_done_h *doneh, void *arg);
int  ue_deregister(struct ue *ue, ue_done_h *doneh, void *arg);
/* hdrs: extra header lines the UE adds ("Name: value\r\n"...), as a
 * UE may (P-Preferred-Identity) or a forger would (P-Asserted-Identity). */
int  ue_subscribe(struct ue *ue, const char *event, uint32_t expires,
		  bool refresh, const char *hdrs, ue_done_h *doneh,
		  void *arg);
/* RFC 3680: the UE watches its own registration (Event: reg). */
int  ue_subscribe_reg(struct ue *ue, uint32_t expires, ue_done_h *doneh,
		      void *arg);
int  ue_unsubscribe(struct ue *ue, ue_done_h *doneh, void *arg);
/* mask: bit i for resource i of ue_fetch_names (profile, addressbook,
 * directory, presence, messages); user NULL for our own; auth NULL for
 * the sysinfo token, "" for none, else the Authorization value. */
int  ue_fetch(struct ue *ue, uint32_t mask, const char *user,
	      const char *auth, ue_done_h *doneh, void *arg);
int  ue_fetch_bit(const char *name);
int  ue_fetch_names(struct re_printf *pf, void *unused);   /* for %H */
enum ue_call_state {
	UE_CALL_IDLE = 0,
	UE_CALL_RINGING,
	UE_CALL_ANSWERED,       /* 200 sent, waiting for the ACK */
	UE_CALL_ESTABLISHED,
	UE_CALL_ENDED,
	UE_CALL_CALLING,        /* our INVITE out, no answer yet */
};

/* What the phone does with the next INVITE. */
enum ue_answer {
	UE_ANSWER = 0,          /* ring, then answer after the delay */
	UE_BUSY,                /* 486 Busy Here */
	UE_DECLINE,             /* 603 Decline */
	UE_NO_ANSWER,           /* ring until CANCEL */
	UE_UNAVAILABLE,         /* ring, then 480 after the delay */
	UE_REJECT,              /* the code ue_set_reject_code gave */
};

/* TS 24.229 5.1.3: a call to the URI to, with an SRTP offer when media
 * (else the callee offers and our ACK declines it; with late_offer too,
 * the ACK answers it and media flows), supporting 100rel
 * when prack (RFC 3262); the action ends on the final answer, or on the
 * first 18x when until_ringing. */
struct ue_call_opt {
	bool media;
	bool late_offer;                /* no offer in the INVITE */
	bool until_ringing;
	bool prack;
	uint32_t session_expires;       /* RFC 4028, s; 0: no timer */
	bool refresher_uas;             /* the callee refreshes */
	bool precondition;              /* RFC 3312 qos preconditions */
	const char *hdrs;               /* "Name: value\r\n"..., or NULL */
};
int  ue_call(struct ue *ue, const char *to, const struct ue_call_opt *opt,
	     ue_done_h *doneh, void *arg);
/* RFC 3261 9.1: CANCEL the call still ringing; done with its 487. */
int  ue_call_cancel(struct ue *ue, ue_done_h *doneh, void *arg);
int  ue_hangup(struct ue *ue, ue_done_h *doneh, void *arg);
/* RFC 3264 8.4: hold (a=sendonly) or resume (a=sendrecv) by re-INVITE */
int  ue_call_hold(struct ue *ue, bool hold, ue_done_h *doneh, void *arg);
/* A new offer in the dialog: hold (a=sendonly, or a=inactive when we
 * will not receive either, RFC 3264 8.4), resume (re-INVITE), or the
 * session as it is by UPDATE (RFC 3311) */
enum ue_offer {
	UE_OFFER_HOLD = 0,
	UE_OFFER_RESUME,
	UE_OFFER_UPDATE,
	UE_OFFER_HOLD_INACTIVE,
};
int  ue_call_offer(struct ue *ue, enum ue_offer what, ue_done_h *doneh,
		   void *arg);
void ue_set_answer(struct ue *ue, enum ue_answer mode, uint32_t delay_ms);
/* UE_REJECT's final answer, 300 to 699. */
void ue_set_reject_code(struct ue *ue, uint16_t code);
/* The ringing phone answers now, or rejects with code (EALREADY: no
 * call rings). */
int  ue_call_answer(struct ue *ue);
int  ue_call_reject(struct ue *ue, uint16_t code);
/* RFC 4028 8.1: the phone refuses a shorter session interval (422) */
void ue_set_min_se(struct ue *ue, uint32_t secs);
/* The phone answers an offer in a 183 at once (early media, RFC 3960). */
void ue_set_early_media(struct ue *ue, bool on);
const char *ue_call_state_name(enum ue_call_state st);
/* The personal address book at the GM module: method, what follows
 * .../addressbook in the path ("/12", "?since=3" or NULL), JSON body. */
int  ue_book(struct ue *ue, const char *method, const char *suffix,
	     const char *body, ue_done_h *doneh, void *arg);
/* RFC 3428: a text/plain MESSAGE to the URI to (a user, a GRUU). */
int  ue_message(struct ue *ue, const char *to, const char *text,
		ue_done_h *doneh, void *arg);
int  ue_refer(struct ue *ue, const char *target, const char *refer_to,
	      const char *hdrs, ue_done_h *doneh, void *arg);
enum ue_state ue_state(const struct ue *ue);
const char *ue_state_name(enum ue_state st);
const char *ue_impu(const struct ue *ue);

#endif
