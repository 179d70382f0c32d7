/* SPDX-License-Identifier: BSD-3-Clause */
/* tsx: imsbed's own SIP transaction layer (RFC 3261 17, with the RFC
 * 6026 changes).  Its four state machines are tables of rules, (state,
 * event) -> (state, actions, timers), read by the transaction engine and
 * checked by the unit tests against the RFC's figures 5 to 8. */

#ifndef IMSBED_TSX_H
#define IMSBED_TSX_H

#include <re.h>
#include "host.h"

struct node;

enum tsx_kind {
	TSX_ICT = 0,            /* INVITE client, figure 5 + 6026 fig. 3 */
	TSX_NICT,               /* non-INVITE client, figure 6 */
	TSX_IST,                /* INVITE server, figure 7 + 6026 fig. 5 */
	TSX_NIST,               /* non-INVITE server, figure 8 */
	TSX_KINDS,
};

enum tsx_state {
	TSX_INIT = 0,           /* made, nothing sent or passed yet */
	TSX_CALLING,
	TSX_TRYING,
	TSX_PROCEEDING,
	TSX_COMPLETED,
	TSX_CONFIRMED,
	TSX_ACCEPTED,           /* RFC 6026 */
	TSX_TERMINATED,
	TSX_STATES,
};

/* Responses are received ones for a client, the TU's for a server. */
enum tsx_event {
	TSX_EV_START = 0,       /* the TU's request, or a new request */
	TSX_EV_1XX,
	TSX_EV_2XX,
	TSX_EV_FINAL,           /* 300-699 */
	TSX_EV_REQ,             /* the request retransmitted (server) */
	TSX_EV_ACK,             /* an ACK matching the INVITE (server) */
	TSX_EV_TPERR,           /* the transport failed (8.1.3.1) */
	TSX_EV_TIMER,           /* + enum tsx_timer: that timer fired */
	TSX_EVENTS = TSX_EV_TIMER + 12,
};

enum tsx_timer {
	TSX_A = 0, TSX_B, TSX_D, TSX_E, TSX_F, TSX_G, TSX_H, TSX_I, TSX_J,
	TSX_K, TSX_L, TSX_M, TSX_TIMERS,
};

#define TSX_EV_OF(t) ((enum tsx_event)(TSX_EV_TIMER + (t)))
#define TSX_T(t) (1u << (t))

/* What a rule tells the engine to do, in this order. */
enum tsx_action {
	TSX_DO_SEND    = 1u << 0, /* the request, or the TU's response */
	TSX_DO_RESEND  = 1u << 1, /* the last message sent, once more */
	TSX_DO_ACK     = 1u << 2, /* client INVITE: ACK the non-2xx */
	TSX_DO_PASS    = 1u << 3, /* to the TU: response, request, ACK */
	TSX_DO_100     = 1u << 4, /* server INVITE: 100 Trying */
	TSX_DO_TIMEOUT = 1u << 5, /* tell the TU: no answer (B, F, H) */
	TSX_DO_FAILED  = 1u << 6, /* tell the TU: transport error */
};

struct tsx_rule {
	uint8_t state;          /* enum tsx_state */
	uint8_t event;          /* enum tsx_event */
	uint8_t next;           /* enum tsx_state */
	uint8_t act;            /* enum tsx_action bits */
	uint16_t start;         /* TSX_T() of timers to (re)start */
	uint16_t stop;          /* TSX_T() of timers to stop */
};

/* RFC 3261 17.1.1.1 and table 4; per node. */
struct tsx_cfg {
	uint32_t t1, t2, t4;    /* ms: 500, 4000, 5000 */
};

/* ---- tsx_fsm.c: the four machines as tables ---- */
const struct tsx_rule *tsx_rule(enum tsx_kind k, enum tsx_state s,
				enum tsx_event ev);
const struct fsm_def *tsx_fsm(enum tsx_kind k);
const char *tsx_kind_name(enum tsx_kind k);
const char *tsx_state_name(enum tsx_state s);
const char *tsx_event_name(enum tsx_event ev);
/* How long timer t runs when started for the n-th time (0: first) in
 * state s: 0 fires at once, UINT64_MAX means it is not started (A, E, G
 * over a reliable transport). */
uint64_t tsx_timer_ms(enum tsx_timer t, const struct tsx_cfg *cfg,
		      bool reliable, enum tsx_state s, uint32_t n);

/* ---- tsx.c: the layer, one per SIP stack ---- */
struct tsxl;
struct tsxh;    /* the TU's hold on a transaction; dropping it detaches */

typedef void (tsx_resp_h)(int err, const struct sip_msg *msg, void *arg);
typedef void (tsx_cancel_h)(void *arg);

struct tsxl_stats {
	uint32_t client, server;        /* transactions made */
	uint32_t retransmitted;         /* requests and responses resent */
	uint32_t absorbed;              /* retransmissions taken in */
	uint64_t sent, received;        /* SIP messages on the wire */
};

int  tsxl_alloc(struct tsxl **lp, struct sip *sip, const char *id);
/* The node's own layer, beneath its handlers (made on the first call). */
struct tsxl *tsx_of(struct node *n);
void tsxl_set_cfg(struct tsxl *l, const struct tsx_cfg *cfg);
/* What the stack receives, before the node's own handlers: true when
 * the layer took it (a retransmission, an ACK of a non-2xx, a response
 * of a live client transaction). */
bool tsxl_recv(struct tsxl *l, const struct sip_msg *msg);
uint32_t tsxl_count(const struct tsxl *l);
/* In the whole process: transactions resending for want of an answer
 * or an ACK (the network has not settled while any does). */
uint32_t tsx_resending(void);
const struct tsxl_stats *tsxl_stats(const struct tsxl *l);
/* A message outside any transaction (a proxy's stateless response). */
int  tsxl_send(struct tsxl *l, void *sock, enum sip_transp tp,
	       const struct sa *dst, struct mbuf *mb);

/* ---- tsx_server.c: answering a request ---- */
/* A provisional answer needs hp and sets it; a final one drops *hp.
 * Dropping the hold before a final answer abandons the request. */
int tsx_reply(struct tsxh **hp, struct tsxl *l, const struct sip_msg *msg,
	      uint16_t scode, const char *reason);
int tsx_replyf(struct tsxh **hp, struct tsxl *l, const struct sip_msg *msg,
	       bool rec_route, uint16_t scode, const char *reason,
	       const char *fmt, ...);
/* A proxy's: a response built elsewhere, sent to dst. */
int tsx_relay(struct tsxh **hp, struct tsxl *l, const struct sip_msg *msg,
	      const struct sa *dst, uint16_t scode, struct mbuf *mb);
/* Holds a request's transaction; cancelh hears of a CANCEL for it. */
int tsx_watch(struct tsxh **hp, struct tsxl *l, const struct sip_msg *msg,
	      tsx_cancel_h *cancelh, void *arg);

/* ---- tsx_client.c: sending a request ---- */
/* mb holds the request after its Via (headers, blank line, body); the
 * next hop is route, else uri, an address and never a name. */
int tsx_request(struct tsxh **hp, struct tsxl *l, bool stateful,
		const char *met, const char *uri, const struct uri *route,
		struct mbuf *mb, tsx_resp_h *resph, void *arg);
int tsx_requestf(struct tsxh **hp, struct tsxl *l, bool stateful,
		 const char *met, const char *uri, const struct uri *route,
		 tsx_resp_h *resph, void *arg, const char *fmt, ...);
/* RFC 3261 9.1: CANCEL, once a provisional response has come. */
void tsx_cancel(struct tsxh *h);
/* A proxy's INVITE (RFC 6026 7.2): in Accepted, a 2xx sent again goes
 * to the TU, to be forwarded, unless an ACK for it went through here. */
void tsx_pass_2xx(struct tsxh *h);

#endif
