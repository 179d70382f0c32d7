/* SPDX-License-Identifier: BSD-3-Clause */
/* The four transaction state machines of RFC 3261 17 as tables, with the
 * RFC 6026 changes: a 2xx to an INVITE takes both the client and the
 * server transaction to Accepted, where retransmitted 2xx responses are
 * passed up (client) or sent (server) and the ACK goes to the TU, until
 * Timer M or L ends it.  Each rule is one arrow of the RFC's figures;
 * an event with no rule in a state is not permitted there.  The fsm
 * definitions the engine logs with are derived from the rules, so the
 * names and the permitted events cannot drift from them. */

#include <re.h>
#include "host.h"
#include "tsx.h"

#define T TSX_T
#define EV(t) TSX_EV_OF(TSX_##t)

/* Figure 5, with Figure 3 of RFC 6026. */
static const struct tsx_rule ict[] = {
	{TSX_INIT, TSX_EV_START, TSX_CALLING, TSX_DO_SEND, T(TSX_A) | T(TSX_B),
	 0},
	{TSX_CALLING, EV(A), TSX_CALLING, TSX_DO_RESEND, T(TSX_A), 0},
	{TSX_CALLING, EV(B), TSX_TERMINATED, TSX_DO_TIMEOUT, 0, 0},
	{TSX_CALLING, TSX_EV_TPERR, TSX_TERMINATED, TSX_DO_FAILED, 0, 0},
	{TSX_CALLING, TSX_EV_1XX, TSX_PROCEEDING, TSX_DO_PASS, 0,
	 T(TSX_A) | T(TSX_B)},
	{TSX_CALLING, TSX_EV_2XX, TSX_ACCEPTED, TSX_DO_PASS, T(TSX_M),
	 T(TSX_A) | T(TSX_B)},
	{TSX_CALLING, TSX_EV_FINAL, TSX_COMPLETED, TSX_DO_ACK | TSX_DO_PASS,
	 T(TSX_D), T(TSX_A) | T(TSX_B)},
	{TSX_PROCEEDING, TSX_EV_1XX, TSX_PROCEEDING, TSX_DO_PASS, 0, 0},
	{TSX_PROCEEDING, TSX_EV_2XX, TSX_ACCEPTED, TSX_DO_PASS, T(TSX_M), 0},
	{TSX_PROCEEDING, TSX_EV_FINAL, TSX_COMPLETED, TSX_DO_ACK | TSX_DO_PASS,
	 T(TSX_D), 0},
	{TSX_PROCEEDING, TSX_EV_TPERR, TSX_TERMINATED, TSX_DO_FAILED, 0, 0},
	{TSX_COMPLETED, TSX_EV_FINAL, TSX_COMPLETED, TSX_DO_ACK, 0, 0},
	{TSX_COMPLETED, TSX_EV_TPERR, TSX_TERMINATED, TSX_DO_FAILED, 0, 0},
	{TSX_COMPLETED, EV(D), TSX_TERMINATED, 0, 0, 0},
	{TSX_ACCEPTED, TSX_EV_2XX, TSX_ACCEPTED, TSX_DO_PASS, 0, 0},
	{TSX_ACCEPTED, EV(M), TSX_TERMINATED, 0, 0, 0},
};

/* Figure 6. */
static const struct tsx_rule nict[] = {
	{TSX_INIT, TSX_EV_START, TSX_TRYING, TSX_DO_SEND, T(TSX_E) | T(TSX_F),
	 0},
	{TSX_TRYING, EV(E), TSX_TRYING, TSX_DO_RESEND, T(TSX_E), 0},
	{TSX_TRYING, EV(F), TSX_TERMINATED, TSX_DO_TIMEOUT, 0, 0},
	{TSX_TRYING, TSX_EV_TPERR, TSX_TERMINATED, TSX_DO_FAILED, 0, 0},
	{TSX_TRYING, TSX_EV_1XX, TSX_PROCEEDING, TSX_DO_PASS, 0, 0},
	{TSX_TRYING, TSX_EV_2XX, TSX_COMPLETED, TSX_DO_PASS, T(TSX_K),
	 T(TSX_E) | T(TSX_F)},
	{TSX_TRYING, TSX_EV_FINAL, TSX_COMPLETED, TSX_DO_PASS, T(TSX_K),
	 T(TSX_E) | T(TSX_F)},
	{TSX_PROCEEDING, EV(E), TSX_PROCEEDING, TSX_DO_RESEND, T(TSX_E), 0},
	{TSX_PROCEEDING, EV(F), TSX_TERMINATED, TSX_DO_TIMEOUT, 0, 0},
	{TSX_PROCEEDING, TSX_EV_TPERR, TSX_TERMINATED, TSX_DO_FAILED, 0, 0},
	{TSX_PROCEEDING, TSX_EV_1XX, TSX_PROCEEDING, TSX_DO_PASS, 0, 0},
	{TSX_PROCEEDING, TSX_EV_2XX, TSX_COMPLETED, TSX_DO_PASS, T(TSX_K),
	 T(TSX_E) | T(TSX_F)},
	{TSX_PROCEEDING, TSX_EV_FINAL, TSX_COMPLETED, TSX_DO_PASS, T(TSX_K),
	 T(TSX_E) | T(TSX_F)},
	/* Responses retransmitted into Completed are absorbed. */
	{TSX_COMPLETED, TSX_EV_1XX, TSX_COMPLETED, 0, 0, 0},
	{TSX_COMPLETED, TSX_EV_2XX, TSX_COMPLETED, 0, 0, 0},
	{TSX_COMPLETED, TSX_EV_FINAL, TSX_COMPLETED, 0, 0, 0},
	{TSX_COMPLETED, EV(K), TSX_TERMINATED, 0, 0, 0},
};

/* Figure 7, with Figure 5 of RFC 6026. */
static const struct tsx_rule ist[] = {
	{TSX_INIT, TSX_EV_START, TSX_PROCEEDING, TSX_DO_PASS | TSX_DO_100, 0,
	 0},
	{TSX_PROCEEDING, TSX_EV_REQ, TSX_PROCEEDING, TSX_DO_RESEND, 0, 0},
	{TSX_PROCEEDING, TSX_EV_1XX, TSX_PROCEEDING, TSX_DO_SEND, 0, 0},
	{TSX_PROCEEDING, TSX_EV_2XX, TSX_ACCEPTED, TSX_DO_SEND, T(TSX_L), 0},
	{TSX_PROCEEDING, TSX_EV_FINAL, TSX_COMPLETED, TSX_DO_SEND,
	 T(TSX_G) | T(TSX_H), 0},
	{TSX_PROCEEDING, TSX_EV_TPERR, TSX_TERMINATED, TSX_DO_FAILED, 0, 0},
	{TSX_COMPLETED, TSX_EV_REQ, TSX_COMPLETED, TSX_DO_RESEND, 0, 0},
	{TSX_COMPLETED, EV(G), TSX_COMPLETED, TSX_DO_RESEND, T(TSX_G), 0},
	{TSX_COMPLETED, EV(H), TSX_TERMINATED, TSX_DO_TIMEOUT, 0, 0},
	{TSX_COMPLETED, TSX_EV_ACK, TSX_CONFIRMED, 0, T(TSX_I),
	 T(TSX_G) | T(TSX_H)},
	{TSX_COMPLETED, TSX_EV_TPERR, TSX_TERMINATED, TSX_DO_FAILED, 0, 0},
	/* Confirmed only absorbs what is still on its way. */
	{TSX_CONFIRMED, TSX_EV_ACK, TSX_CONFIRMED, 0, 0, 0},
	{TSX_CONFIRMED, TSX_EV_REQ, TSX_CONFIRMED, 0, 0, 0},
	{TSX_CONFIRMED, EV(I), TSX_TERMINATED, 0, 0, 0},
	/* The UAS core retransmits its 2xx (13.3.1.4) through here. */
	{TSX_ACCEPTED, TSX_EV_REQ, TSX_ACCEPTED, 0, 0, 0},
	{TSX_ACCEPTED, TSX_EV_2XX, TSX_ACCEPTED, TSX_DO_SEND, 0, 0},
	{TSX_ACCEPTED, TSX_EV_ACK, TSX_ACCEPTED, TSX_DO_PASS, 0, 0},
	{TSX_ACCEPTED, TSX_EV_TPERR, TSX_ACCEPTED, TSX_DO_FAILED, 0, 0},
	{TSX_ACCEPTED, EV(L), TSX_TERMINATED, 0, 0, 0},
};

/* Figure 8. */
static const struct tsx_rule nist[] = {
	{TSX_INIT, TSX_EV_START, TSX_TRYING, TSX_DO_PASS, 0, 0},
	{TSX_TRYING, TSX_EV_REQ, TSX_TRYING, 0, 0, 0},
	{TSX_TRYING, TSX_EV_1XX, TSX_PROCEEDING, TSX_DO_SEND, 0, 0},
	{TSX_TRYING, TSX_EV_2XX, TSX_COMPLETED, TSX_DO_SEND, T(TSX_J), 0},
	{TSX_TRYING, TSX_EV_FINAL, TSX_COMPLETED, TSX_DO_SEND, T(TSX_J), 0},
	{TSX_PROCEEDING, TSX_EV_REQ, TSX_PROCEEDING, TSX_DO_RESEND, 0, 0},
	{TSX_PROCEEDING, TSX_EV_1XX, TSX_PROCEEDING, TSX_DO_SEND, 0, 0},
	{TSX_PROCEEDING, TSX_EV_2XX, TSX_COMPLETED, TSX_DO_SEND, T(TSX_J), 0},
	{TSX_PROCEEDING, TSX_EV_FINAL, TSX_COMPLETED, TSX_DO_SEND, T(TSX_J),
	 0},
	{TSX_PROCEEDING, TSX_EV_TPERR, TSX_TERMINATED, TSX_DO_FAILED, 0, 0},
	{TSX_COMPLETED, TSX_EV_REQ, TSX_COMPLETED, TSX_DO_RESEND, 0, 0},
	/* 17.2.2: other finals from the TU are discarded. */
	{TSX_COMPLETED, TSX_EV_2XX, TSX_COMPLETED, 0, 0, 0},
	{TSX_COMPLETED, TSX_EV_FINAL, TSX_COMPLETED, 0, 0, 0},
	{TSX_COMPLETED, TSX_EV_TPERR, TSX_TERMINATED, TSX_DO_FAILED, 0, 0},
	{TSX_COMPLETED, EV(J), TSX_TERMINATED, 0, 0, 0},
};

static const struct {
	const char *name;
	const struct tsx_rule *rules;
	size_t n;
} machines[TSX_KINDS] = {
	[TSX_ICT]  = {"tsx-ict",  ict,  ARRAY_SIZE(ict)},
	[TSX_NICT] = {"tsx-nict", nict, ARRAY_SIZE(nict)},
	[TSX_IST]  = {"tsx-ist",  ist,  ARRAY_SIZE(ist)},
	[TSX_NIST] = {"tsx-nist", nist, ARRAY_SIZE(nist)},
};

static const char *const state_names[TSX_STATES] = {
	"INIT", "CALLING", "TRYING", "PROCEEDING", "COMPLETED", "CONFIRMED",
	"ACCEPTED", "TERMINATED",
};

static const char *const event_names[TSX_EVENTS] = {
	"start", "1xx", "2xx", "300-699", "request", "ACK", "transport-error",
	"timer-A", "timer-B", "timer-D", "timer-E", "timer-F", "timer-G",
	"timer-H", "timer-I", "timer-J", "timer-K", "timer-L", "timer-M",
};

/* Derived from the rules on first use: one table, no second copy. */
static struct fsm_state fsm_states[TSX_KINDS][TSX_STATES];
static struct fsm_def fsm_defs[TSX_KINDS];


const struct tsx_rule *tsx_rule(enum tsx_kind k, enum tsx_state s,
				enum tsx_event ev)
{
	size_t i;

	if ((unsigned)k >= TSX_KINDS)
		return NULL;

	for (i = 0; i < machines[k].n; i++) {
		const struct tsx_rule *r = &machines[k].rules[i];

		if (r->state == s && r->event == ev)
			return r;
	}

	return NULL;
}


const struct fsm_def *tsx_fsm(enum tsx_kind k)
{
	struct fsm_def *d;
	size_t i;

	if ((unsigned)k >= TSX_KINDS)
		return NULL;

	d = &fsm_defs[k];
	if (d->states)
		return d;

	for (i = 0; i < TSX_STATES; i++)
		fsm_states[k][i].name = state_names[i];

	for (i = 0; i < machines[k].n; i++) {
		const struct tsx_rule *r = &machines[k].rules[i];

		fsm_states[k][r->state].in_events |= FSM_BIT(r->event);
		fsm_states[k][r->state].out_states |= FSM_BIT(r->next);
	}

	d->name = machines[k].name;
	d->events = event_names;
	d->nevents = TSX_EVENTS;
	d->nstates = TSX_STATES;
	d->states = fsm_states[k];

	return d;
}


const char *tsx_kind_name(enum tsx_kind k)
{
	return (unsigned)k < TSX_KINDS ? machines[k].name : "?";
}


const char *tsx_state_name(enum tsx_state s)
{
	return (unsigned)s < TSX_STATES ? state_names[s] : "?";
}


const char *tsx_event_name(enum tsx_event ev)
{
	return (unsigned)ev < TSX_EVENTS ? event_names[ev] : "?";
}


/* Table 4 of RFC 3261: retransmission timers (A, E, G) run over
 * unreliable transports only and back off from T1, doubling; E and G
 * are capped at T2, and E is T2 at once in Proceeding (17.1.2.2).  The
 * wait timers for stray retransmissions (D, I, J, K) are zero over a
 * reliable transport, where nothing is retransmitted. */
uint64_t tsx_timer_ms(enum tsx_timer t, const struct tsx_cfg *cfg,
		      bool reliable, enum tsx_state s, uint32_t n)
{
	uint64_t t1 = cfg->t1, back = t1 << MIN(n, 16u);

	switch (t) {

	case TSX_A:
		return reliable ? UINT64_MAX : back;

	case TSX_E:
		if (reliable)
			return UINT64_MAX;
		return s == TSX_PROCEEDING ? cfg->t2 : MIN(back, cfg->t2);

	case TSX_G:
		return reliable ? UINT64_MAX : MIN(back, cfg->t2);

	case TSX_D:
		return reliable ? 0 : MAX(32000, 64 * t1);

	case TSX_I:
	case TSX_K:
		return reliable ? 0 : cfg->t4;

	case TSX_J:
		return reliable ? 0 : 64 * t1;

	case TSX_B:
	case TSX_F:
	case TSX_H:
	case TSX_L:
	case TSX_M:
		return 64 * t1;

	default:
		return UINT64_MAX;
	}
}
