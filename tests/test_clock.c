/* SPDX-License-Identifier: BSD-3-Clause */
/* The clock and the timer wheel: on the virtual clock every timer fires
 * at exactly its millisecond, in order, however far ahead (a 600,000 s
 * registration included), with timers started and cancelled from
 * handlers; the clock jumps instead of sleeping and never runs back when
 * switched off again. */

#include <stdio.h>
#include <string.h>
#include <re.h>
#include "host.h"
#include "tests.h"

enum { N = 3000 };

struct probe {
	struct wtmr t;
	uint64_t want;
	uint64_t fired;
	bool cancelled;
};

static struct {
	struct probe p[N];
	uint32_t fired;
	uint32_t out_of_order;
	uint32_t late;
	uint64_t last;
	struct tmr guard;
} s;


static void stop_when_done(void)
{
	if (!wtmr_count())
		re_cancel();
}


static void probe_h(void *arg)
{
	struct probe *p = arg;
	uint64_t now = clk_now();
	size_t i = (size_t)(p - s.p);

	p->fired = now;
	++s.fired;
	if (now != p->want) {
		if (s.late++ < 5)
			printf("\n  probe %zu: want %llu got %llu (%lld)\n", i,
			       (unsigned long long)p->want,
			       (unsigned long long)now,
			       (long long)(now - p->want));
	}
	if (now < s.last)
		++s.out_of_order;
	s.last = now;

	/* Handlers move the wheel too: every 7th cancels a later probe,
	 * every 11th starts its neighbour again, the same ms or later. */
	if (i % 7 == 0 && i + 1 < N && wtmr_isrunning(&s.p[i + 1].t)) {
		wtmr_cancel(&s.p[i + 1].t);
		s.p[i + 1].cancelled = true;
	}
	if (i % 11 == 0 && i + 2 < N && !wtmr_isrunning(&s.p[i + 2].t) &&
	    !s.p[i + 2].cancelled && s.p[i + 2].fired) {
		s.p[i + 2].want = now + (i % 3) * 300;
		s.p[i + 2].fired = 0;
		--s.fired;
		wtmr_start(&s.p[i + 2].t, (i % 3) * 300, probe_h, &s.p[i + 2]);
	}

	stop_when_done();
}


static void guard_h(void *arg)
{
	(void)arg;
	re_cancel();
}


static uint64_t delay_of(size_t i, uint64_t r)
{
	/* Every level of the wheel: ms, seconds, hours, weeks, and the
	 * 600,000 s registration of the issue. */
	switch (i % 6) {
	case 0:  return r % 256;
	case 1:  return r % 65536;
	case 2:  return r % 16777216;
	case 3:  return r % 4294967296ULL;
	case 4:  return 600000000ULL + r % 1000;
	default: return i % 5;
	}
}


static void test_virtual_order(void)
{
	uint64_t start, r = 0x9e3779b97f4a7c15ULL;
	uint32_t expect = 0;
	size_t i;

	memset(&s, 0, sizeof(s));
	CU_ASSERT_EQUAL_FATAL(wtmr_count(), 0);
	clk_set_mode(CLK_VIRTUAL);
	start = clk_now();

	for (i = 0; i < N; i++) {
		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		s.p[i].want = start + delay_of(i, r);
		wtmr_start(&s.p[i].t, delay_of(i, r), probe_h, &s.p[i]);
	}
	/* Cancelled before they run: none of them may fire. */
	for (i = 3; i < N; i += 97) {
		wtmr_cancel(&s.p[i].t);
		s.p[i].cancelled = true;
	}
	CU_ASSERT(wtmr_isrunning(&s.p[1].t));
	CU_ASSERT(!wtmr_isrunning(&s.p[3].t));

	tmr_start(&s.guard, 10000000000ULL, guard_h, NULL);
	(void)re_main(NULL);
	tmr_cancel(&s.guard);

	for (i = 0; i < N; i++) {
		if (!s.p[i].cancelled) {
			++expect;
			continue;
		}
		CU_ASSERT_EQUAL(s.p[i].fired, 0);
	}
	CU_ASSERT_EQUAL(s.fired, expect);
	CU_ASSERT_EQUAL(s.late, 0);
	CU_ASSERT_EQUAL(s.out_of_order, 0);
	CU_ASSERT_EQUAL(wtmr_count(), 0);
	CU_ASSERT(clk_now() >= start + 600000000ULL);
	CU_ASSERT(clk_jumped() >= 600000000ULL);

	/* Back on the real clock, time goes on from where it stood. */
	start = clk_now();
	clk_set_mode(CLK_REAL);
	CU_ASSERT(clk_now() >= start);
}


static void one_h(void *arg)
{
	uint64_t *at = arg;

	*at = clk_now();
	re_cancel();
}


static void test_real_clock(void)
{
	struct wtmr t;
	uint64_t fired = 0, start;

	memset(&t, 0, sizeof(t));
	clk_set_mode(CLK_REAL);
	start = clk_now();
	wtmr_start(&t, 30, one_h, &fired);
	CU_ASSERT(wtmr_left(&t) > 0 && wtmr_left(&t) <= 30);
	tmr_start(&s.guard, 5000, guard_h, NULL);
	(void)re_main(NULL);
	tmr_cancel(&s.guard);

	CU_ASSERT(fired >= start + 30);
	CU_ASSERT(!wtmr_isrunning(&t));
	CU_ASSERT_EQUAL(wtmr_count(), 0);
}


/* The timer wheel: slots of 100 ms, in order, a cancelled entry
 * never fires. */
static uint32_t wfired[3], nfired;


static void wheel_handler(void *arg)
{
	wfired[nfired++ % 3] = (uint32_t)(uintptr_t)arg;
}


static void test_wheel(void)
{
	struct wheel *w = NULL;
	struct wheel_ent a, b, c;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	memset(&c, 0, sizeof(c));
	nfired = 0;
	CU_ASSERT_EQUAL_FATAL(wheel_alloc(&w, 16), 0);

	wheel_start(w, &a, 300, wheel_handler, (void *)1);
	wheel_start(w, &b, 100, wheel_handler, (void *)2);
	wheel_start(w, &c, 200, wheel_handler, (void *)3);
	/* in slots of 100 ms */
	CU_ASSERT(wheel_left(&a) >= 200 && wheel_left(&a) <= 400);
	wheel_cancel(&c);

	test_run_for(500);
	CU_ASSERT_EQUAL(nfired, 2);
	CU_ASSERT_EQUAL(wfired[0], 2);
	CU_ASSERT_EQUAL(wfired[1], 1);
	CU_ASSERT_EQUAL(wheel_left(&a), 0);

	mem_deref(w);
}


int test_clock_suite(void)
{
	CU_pSuite su = CU_add_suite("clock", NULL, NULL);

	if (!su)
		return 1;

	return !CU_add_test(su, "virtual clock, wheel order",
			    test_virtual_order) ||
		!CU_add_test(su, "real clock", test_real_clock) ||
		!CU_add_test(su, "timer wheel", test_wheel);
}
