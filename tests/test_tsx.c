/* SPDX-License-Identifier: BSD-3-Clause */
/* The transaction state machines against RFC 3261's figures 5 to 8 and
 * RFC 6026's figures 3 and 5.  Each path below is a walk along the
 * arrows of one figure, written from the RFC and not from the tables:
 * "event>STATE[actions;timers]" says that the event moves the machine
 * to STATE doing those actions, +X starting and -X stopping timer X;
 * "event>!" says the state does not permit the event. */

#include <stdio.h>
#include <string.h>
#include <re.h>
#include "host.h"
#include "tsx.h"
#include "tests.h"

static const struct {
	enum tsx_kind kind;
	const char *path;
} paths[] = {
	/* Figure 5: Timer A backs off until Timer B gives up. */
	{TSX_ICT, "start>CALLING[send;+A+B] A>CALLING[resend;+A] "
	 "A>CALLING[resend;+A] B>TERMINATED[timeout;]"},
	{TSX_ICT, "start>CALLING[send;+A+B] tperr>TERMINATED[failed;]"},
	{TSX_ICT, "start>CALLING[send;+A+B] 1xx>PROCEEDING[pass;-A-B] "
	 "A>! B>! 1xx>PROCEEDING[pass;] "
	 "final>COMPLETED[ack,pass;+D] final>COMPLETED[ack;] "
	 "1xx>! D>TERMINATED[;]"},
	{TSX_ICT, "start>CALLING[send;+A+B] final>COMPLETED[ack,pass;+D-A-B] "
	 "tperr>TERMINATED[failed;]"},
	{TSX_ICT, "start>CALLING[send;+A+B] 1xx>PROCEEDING[pass;-A-B] "
	 "tperr>TERMINATED[failed;]"},
	/* RFC 6026 figure 3: 2xx responses are passed up until M. */
	{TSX_ICT, "start>CALLING[send;+A+B] 2xx>ACCEPTED[pass;+M-A-B] "
	 "2xx>ACCEPTED[pass;] final>! 1xx>! M>TERMINATED[;]"},
	{TSX_ICT, "start>CALLING[send;+A+B] 1xx>PROCEEDING[pass;-A-B] "
	 "2xx>ACCEPTED[pass;+M]"},
	{TSX_ICT, "request>! ACK>! 1xx>!"},

	/* Figure 6. */
	{TSX_NICT, "start>TRYING[send;+E+F] E>TRYING[resend;+E] "
	 "E>TRYING[resend;+E] F>TERMINATED[timeout;]"},
	{TSX_NICT, "start>TRYING[send;+E+F] tperr>TERMINATED[failed;]"},
	{TSX_NICT, "start>TRYING[send;+E+F] 1xx>PROCEEDING[pass;] "
	 "E>PROCEEDING[resend;+E] 1xx>PROCEEDING[pass;] "
	 "2xx>COMPLETED[pass;+K-E-F] 2xx>COMPLETED[;] final>COMPLETED[;] "
	 "1xx>COMPLETED[;] E>! F>! K>TERMINATED[;]"},
	{TSX_NICT, "start>TRYING[send;+E+F] final>COMPLETED[pass;+K-E-F]"},
	{TSX_NICT, "start>TRYING[send;+E+F] 2xx>COMPLETED[pass;+K-E-F]"},
	{TSX_NICT, "start>TRYING[send;+E+F] 1xx>PROCEEDING[pass;] "
	 "final>COMPLETED[pass;+K-E-F]"},
	{TSX_NICT, "start>TRYING[send;+E+F] 1xx>PROCEEDING[pass;] "
	 "F>TERMINATED[timeout;]"},
	{TSX_NICT, "start>TRYING[send;+E+F] 1xx>PROCEEDING[pass;] "
	 "tperr>TERMINATED[failed;]"},

	/* Figure 7: a non-2xx final is retransmitted until the ACK. */
	{TSX_IST, "start>PROCEEDING[pass,100;] request>PROCEEDING[resend;] "
	 "1xx>PROCEEDING[send;] final>COMPLETED[send;+G+H] "
	 "request>COMPLETED[resend;] G>COMPLETED[resend;+G] "
	 "ACK>CONFIRMED[;+I-G-H] ACK>CONFIRMED[;] request>CONFIRMED[;] "
	 "G>! I>TERMINATED[;]"},
	{TSX_IST, "start>PROCEEDING[pass,100;] final>COMPLETED[send;+G+H] "
	 "H>TERMINATED[timeout;]"},
	{TSX_IST, "start>PROCEEDING[pass,100;] tperr>TERMINATED[failed;]"},
	{TSX_IST, "start>PROCEEDING[pass,100;] final>COMPLETED[send;+G+H] "
	 "tperr>TERMINATED[failed;]"},
	{TSX_IST, "start>PROCEEDING[pass,100;] ACK>!"},
	/* RFC 6026 figure 5: the TU's 2xx retransmissions go out, the ACK
	 * goes up, retransmitted INVITEs are absorbed until L. */
	{TSX_IST, "start>PROCEEDING[pass,100;] 2xx>ACCEPTED[send;+L] "
	 "request>ACCEPTED[;] 2xx>ACCEPTED[send;] ACK>ACCEPTED[pass;] "
	 "tperr>ACCEPTED[failed;] final>! L>TERMINATED[;]"},

	/* Figure 8. */
	{TSX_NIST, "start>TRYING[pass;] request>TRYING[;] tperr>! "
	 "1xx>PROCEEDING[send;] request>PROCEEDING[resend;] "
	 "1xx>PROCEEDING[send;] final>COMPLETED[send;+J] "
	 "request>COMPLETED[resend;] 2xx>COMPLETED[;] final>COMPLETED[;] "
	 "1xx>! J>TERMINATED[;]"},
	{TSX_NIST, "start>TRYING[pass;] 2xx>COMPLETED[send;+J] "
	 "tperr>TERMINATED[failed;]"},
	{TSX_NIST, "start>TRYING[pass;] final>COMPLETED[send;+J]"},
	{TSX_NIST, "start>TRYING[pass;] 1xx>PROCEEDING[send;] "
	 "2xx>COMPLETED[send;+J]"},
	{TSX_NIST, "start>TRYING[pass;] 1xx>PROCEEDING[send;] "
	 "tperr>TERMINATED[failed;]"},
};

static const struct {
	const char *name;
	enum tsx_event ev;
} event_words[] = {
	{"start", TSX_EV_START}, {"1xx", TSX_EV_1XX}, {"2xx", TSX_EV_2XX},
	{"final", TSX_EV_FINAL}, {"request", TSX_EV_REQ},
	{"ACK", TSX_EV_ACK}, {"tperr", TSX_EV_TPERR},
};

static const struct {
	const char *name;
	unsigned bit;
} action_words[] = {
	{"send", TSX_DO_SEND}, {"resend", TSX_DO_RESEND},
	{"ack", TSX_DO_ACK}, {"pass", TSX_DO_PASS}, {"100", TSX_DO_100},
	{"timeout", TSX_DO_TIMEOUT}, {"failed", TSX_DO_FAILED},
};

static const char timer_letters[TSX_TIMERS + 1] = "ABDEFGHIJKLM";


static int event_of(const struct pl *w, enum tsx_event *ev)
{
	const char *t;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(event_words); i++) {
		if (!pl_strcmp(w, event_words[i].name)) {
			*ev = event_words[i].ev;
			return 0;
		}
	}

	t = w->l == 1 ? strchr(timer_letters, w->p[0]) : NULL;
	if (!t)
		return EINVAL;

	*ev = TSX_EV_OF(t - timer_letters);

	return 0;
}


static int state_of(const struct pl *w, enum tsx_state *st)
{
	int s;

	for (s = 0; s < TSX_STATES; s++) {
		if (!pl_strcmp(w, tsx_state_name((enum tsx_state)s))) {
			*st = (enum tsx_state)s;
			return 0;
		}
	}

	return EINVAL;
}


static unsigned actions_of(const struct pl *w)
{
	struct pl rest = *w, a;
	unsigned bits = 0;
	size_t i;

	while (!re_regex(rest.p, rest.l, "[^,]+", &a)) {
		for (i = 0; i < ARRAY_SIZE(action_words); i++) {
			if (!pl_strcmp(&a, action_words[i].name))
				bits |= action_words[i].bit;
		}
		pl_advance(&rest, a.p + a.l - rest.p);
		if (rest.l)
			pl_advance(&rest, 1);
	}

	return bits;
}


static void timers_of(const struct pl *w, uint16_t *start, uint16_t *stop)
{
	const char *t;
	size_t i;

	*start = *stop = 0;
	for (i = 0; i + 1 < w->l; i += 2) {
		t = strchr(timer_letters, w->p[i + 1]);
		CU_ASSERT_FATAL(t != NULL);
		if (w->p[i] == '+')
			*start |= TSX_T(t - timer_letters);
		else
			*stop |= TSX_T(t - timer_letters);
	}
}


/* One step of a path: the rule for (st, the step's event) does what the
 * step says.  Returns the state it leads to. */
static enum tsx_state step(enum tsx_kind k, enum tsx_state st,
			   const struct pl *tok, const char *path)
{
	struct pl evw, nw, acts, tims;
	const struct tsx_rule *r;
	enum tsx_event ev = TSX_EV_START;
	enum tsx_state next = TSX_INIT;
	uint16_t start, stop;

	if (!re_regex(tok->p, tok->l, "[^>]+>!", &evw)) {
		CU_ASSERT_FATAL(!event_of(&evw, &ev));
		if (tsx_rule(k, st, ev))
			(void)re_printf("\n  %s: %s permits %r\n", path,
			       tsx_state_name(st), &evw);
		CU_ASSERT_PTR_NULL(tsx_rule(k, st, ev));
		return st;
	}

	CU_ASSERT_FATAL(!re_regex(tok->p, tok->l,
				  "[^>]+>[A-Z]+\\[[^;]*;[^\\]]*\\]",
				  &evw, &nw, &acts, &tims));
	CU_ASSERT_FATAL(!event_of(&evw, &ev));
	CU_ASSERT_FATAL(!state_of(&nw, &next));
	timers_of(&tims, &start, &stop);

	r = tsx_rule(k, st, ev);
	if (!r || r->next != next || r->act != actions_of(&acts) ||
	    r->start != start || r->stop != stop)
		(void)re_printf("\n  %s: in %s, %r is not %r\n",
				tsx_kind_name(k),
		       tsx_state_name(st), &evw, tok);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(r->next, next);
	CU_ASSERT_EQUAL(r->act, actions_of(&acts));
	CU_ASSERT_EQUAL(r->start, start);
	CU_ASSERT_EQUAL(r->stop, stop);

	return next;
}


static void test_figures(void)
{
	struct pl rest, tok;
	enum tsx_state st;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(paths); i++) {
		st = TSX_INIT;
		pl_set_str(&rest, paths[i].path);
		while (!re_regex(rest.p, rest.l, "[^ ]+", &tok)) {
			st = step(paths[i].kind, st, &tok, paths[i].path);
			pl_advance(&rest, tok.p + tok.l - rest.p);
		}
	}
}


/* Every arrow of the tables is walked by some path above: a rule no
 * figure has is a rule nobody checked. */
static void test_every_rule_walked(void)
{
	uint32_t seen[TSX_KINDS][TSX_STATES];
	const struct fsm_def *d;
	struct pl rest, tok, evw, nw;
	enum tsx_state st, next;
	enum tsx_event ev;
	size_t i;
	int k, s;

	memset(seen, 0, sizeof(seen));
	for (i = 0; i < ARRAY_SIZE(paths); i++) {
		st = TSX_INIT;
		pl_set_str(&rest, paths[i].path);
		while (!re_regex(rest.p, rest.l, "[^ ]+", &tok)) {
			pl_advance(&rest, tok.p + tok.l - rest.p);
			if (re_regex(tok.p, tok.l, "[^>]+>[A-Z]+", &evw,
				     &nw) || event_of(&evw, &ev) ||
			    state_of(&nw, &next))
				continue;
			seen[paths[i].kind][st] |= FSM_BIT(ev);
			st = next;
		}
	}

	for (k = 0; k < TSX_KINDS; k++) {
		d = tsx_fsm((enum tsx_kind)k);
		CU_ASSERT_PTR_NOT_NULL_FATAL(d);
		for (s = 0; s < TSX_STATES; s++) {
			if (d->states[s].in_events != seen[k][s])
				printf("\n  %s{%s}: permits %08x, walked "
				       "%08x\n",
				       tsx_kind_name((enum tsx_kind)k),
				       tsx_state_name((enum tsx_state)s),
				       d->states[s].in_events, seen[k][s]);
			CU_ASSERT_EQUAL(d->states[s].in_events, seen[k][s]);
		}
		CU_ASSERT_EQUAL(d->states[TSX_TERMINATED].in_events, 0);
	}
}


/* Table 4 of RFC 3261 with its defaults T1 500 ms, T2 4 s, T4 5 s. */
static void test_timer_values(void)
{
	static const struct tsx_cfg cfg = {500, 4000, 5000};
	static const struct {
		enum tsx_timer t;
		bool reliable;
		enum tsx_state s;
		uint32_t n;
		uint64_t ms;
	} v[] = {
		{TSX_A, false, TSX_CALLING, 0, 500},
		{TSX_A, false, TSX_CALLING, 1, 1000},
		{TSX_A, false, TSX_CALLING, 5, 16000},
		{TSX_A, true, TSX_CALLING, 0, UINT64_MAX},
		{TSX_B, false, TSX_CALLING, 0, 32000},
		{TSX_B, true, TSX_CALLING, 0, 32000},
		{TSX_D, false, TSX_COMPLETED, 0, 32000},
		{TSX_D, true, TSX_COMPLETED, 0, 0},
		{TSX_E, false, TSX_TRYING, 0, 500},
		{TSX_E, false, TSX_TRYING, 2, 2000},
		{TSX_E, false, TSX_TRYING, 3, 4000},
		{TSX_E, false, TSX_TRYING, 9, 4000},
		{TSX_E, false, TSX_PROCEEDING, 0, 4000},
		{TSX_E, true, TSX_TRYING, 0, UINT64_MAX},
		{TSX_F, true, TSX_TRYING, 0, 32000},
		{TSX_G, false, TSX_COMPLETED, 0, 500},
		{TSX_G, false, TSX_COMPLETED, 4, 4000},
		{TSX_G, true, TSX_COMPLETED, 0, UINT64_MAX},
		{TSX_H, true, TSX_COMPLETED, 0, 32000},
		{TSX_I, false, TSX_CONFIRMED, 0, 5000},
		{TSX_I, true, TSX_CONFIRMED, 0, 0},
		{TSX_J, false, TSX_COMPLETED, 0, 32000},
		{TSX_J, true, TSX_COMPLETED, 0, 0},
		{TSX_K, false, TSX_COMPLETED, 0, 5000},
		{TSX_K, true, TSX_COMPLETED, 0, 0},
		{TSX_L, false, TSX_ACCEPTED, 0, 32000},
		{TSX_M, true, TSX_ACCEPTED, 0, 32000},
	};
	static const struct tsx_cfg fast = {50, 400, 500};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		uint64_t ms = tsx_timer_ms(v[i].t, &cfg, v[i].reliable,
					   v[i].s, v[i].n);

		if (ms != v[i].ms)
			printf("\n  timer %c #%u: %llu, want %llu\n",
			       timer_letters[v[i].t], v[i].n,
			       (unsigned long long)ms,
			       (unsigned long long)v[i].ms);
		CU_ASSERT_EQUAL(ms, v[i].ms);
	}

	/* A node's own T1 scales them; D stays at least 32 s (17.1.1.2). */
	CU_ASSERT_EQUAL(tsx_timer_ms(TSX_B, &fast, false, TSX_CALLING, 0),
			3200);
	CU_ASSERT_EQUAL(tsx_timer_ms(TSX_D, &fast, false, TSX_COMPLETED, 0),
			32000);
	CU_ASSERT_EQUAL(tsx_timer_ms(TSX_G, &fast, false, TSX_COMPLETED, 5),
			400);
}


int test_tsx_suite(void)
{
	CU_pSuite s = CU_add_suite("tsx", NULL, NULL);

	if (!s)
		return 1;

	return !CU_add_test(s, "RFC 3261 figures 5-8, RFC 6026",
			    test_figures) ||
		!CU_add_test(s, "every rule walked", test_every_rule_walked) ||
		!CU_add_test(s, "table 4 timer values", test_timer_values);
}
