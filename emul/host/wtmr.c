/* SPDX-License-Identifier: BSD-3-Clause */
/* Every timer of imsbed on one hierarchical timing wheel (Varghese and
 * Lauck): five levels of 256 slots, level L a slot per 256^L ms, so a
 * timer up to 34 years ahead is one list append to start and one unlink
 * to cancel, whatever the number of timers.  A timer moves down a level
 * when the slot it waits in comes due (a cascade).  Occupied slots are
 * kept as bitmaps, so the next moment anything happens is found in a
 * few word operations; the wheel holds one libre timer, set to that
 * moment, and runs nothing while it is empty.  libre's own timer list is
 * sorted by insertion: a timer per user or per transaction there costs a
 * walk past all the others. */

#include <string.h>
#include <re.h>
#include "host.h"

enum { LEVELS = 5, SLOTS = 256, BITS = 8, ROUNDS = 64 };

static struct {
	struct list slot[LEVELS][SLOTS];
	uint64_t used[LEVELS][SLOTS / 64];      /* a bit per busy slot */
	uint64_t cur;           /* the first ms not yet run */
	uint32_t count;
	struct tmr tmr;
	uint64_t armed;         /* when tmr fires, UINT64_MAX for never */
	bool running;           /* inside tick(): it re-arms at the end */
} w = {.armed = UINT64_MAX};


static void mark(unsigned lvl, unsigned i, bool on)
{
	if (on)
		w.used[lvl][i / 64] |= 1ULL << (i % 64);
	else
		w.used[lvl][i / 64] &= ~(1ULL << (i % 64));
}


/* The first busy slot of a level at or after index from, going round;
 * -1 for none. */
static int next_used(unsigned lvl, unsigned from)
{
	unsigned n = 0, i;
	uint64_t m;

	while (n < SLOTS) {
		i = (from + n) % SLOTS;
		m = w.used[lvl][i / 64] >> (i % 64);
		if (m)
			return (int)((i + (unsigned)__builtin_ctzll(m)) %
				     SLOTS);
		n += 64 - i % 64;
	}

	return -1;
}


/* When something next happens at a level: a level-0 slot runs at its
 * ms, a higher slot cascades when its span begins.  Once its span has
 * begun (the wheel is past its first ms), a higher level's current slot
 * can only hold the next round. */
static uint64_t level_next(unsigned lvl)
{
	uint64_t c = w.cur >> (BITS * lvl), k;
	bool begun = lvl && (w.cur & ((1ULL << (BITS * lvl)) - 1));
	int j = next_used(lvl, (unsigned)((c + begun) % SLOTS));

	if (j < 0)
		return UINT64_MAX;

	k = ((uint64_t)j - c) % SLOTS;
	if (begun && !k)
		k = SLOTS;

	return lvl ? (c + k) << (BITS * lvl) : w.cur + k;
}


static uint64_t next_tick(void)
{
	uint64_t t, best = UINT64_MAX;
	unsigned lvl;

	for (lvl = 0; lvl < LEVELS; lvl++) {
		t = level_next(lvl);
		if (t < best)
			best = t;
	}

	return best;
}


static void place(struct wtmr *t)
{
	uint64_t delta;
	unsigned lvl = 0, i;

	if (t->at < w.cur)
		t->at = w.cur;

	delta = t->at - w.cur;
	while (lvl < LEVELS - 1 && delta >= 1ULL << (BITS * (lvl + 1)))
		++lvl;

	i = (unsigned)(t->at >> (BITS * lvl)) % SLOTS;
	list_append(&w.slot[lvl][i], &t->le, t);
	t->lvl = (uint8_t)lvl;
	t->idx = (uint8_t)i;
	mark(lvl, i, true);
}


static void unplace(struct wtmr *t)
{
	struct list *l = &w.slot[t->lvl][t->idx];

	list_unlink(&t->le);
	if (!l->head)
		mark(t->lvl, t->idx, false);
}


static void cascade(unsigned lvl, unsigned i)
{
	struct list l = w.slot[lvl][i];
	struct le *le;

	if (!l.head)
		return;

	/* The list moves out whole; each entry finds its new place. */
	list_init(&w.slot[lvl][i]);
	mark(lvl, i, false);
	for (le = l.head; le; ) {
		struct wtmr *t = le->data;

		le = le->next;
		t->le.list = NULL;
		t->le.prev = t->le.next = NULL;
		place(t);
	}
}


static void arm(uint64_t t);


static void run_tick(uint64_t t)
{
	struct list due = LIST_INIT;
	struct wtmr *e;
	unsigned lvl, round, i = (unsigned)(t % SLOTS);

	w.cur = t;
	for (lvl = LEVELS - 1; lvl > 0; lvl--) {
		if (!(t & ((1ULL << (BITS * lvl)) - 1)))
			cascade(lvl, (unsigned)(t >> (BITS * lvl)) % SLOTS);
	}

	/* Out of the slot first: a handler may start or cancel any timer,
	 * this slot's too.  The wheel stands at t while they run, so that
	 * a timer they start for now runs in this round, not 1 ms late. */
	for (round = 0; w.slot[0][i].head && round < ROUNDS; round++) {
		while ((e = list_ledata(w.slot[0][i].head)) != NULL) {
			list_unlink(&e->le);
			list_append(&due, &e->le, e);
		}
		mark(0, i, false);

		while ((e = list_ledata(due.head)) != NULL) {
			list_unlink(&e->le);
			--w.count;
			e->h(e->arg);
		}
	}

	/* A timer that starts itself for now again and again would hold
	 * the loop: after ROUNDS, what is left waits for the next ms. */
	w.cur = t + 1;
	while ((e = list_ledata(w.slot[0][i].head)) != NULL) {
		list_unlink(&e->le);
		place(e);
	}
	mark(0, i, w.slot[0][i].head != NULL);
}


static void tick(void *arg)
{
	uint64_t now = tmr_jiffies(), t;
	(void)arg;

	w.running = true;
	while (w.count && (t = next_tick()) <= now)
		run_tick(t);
	w.running = false;

	w.armed = UINT64_MAX;
	arm(next_tick());
}


/* The libre timer fires at t unless it fires earlier already; firing
 * early is harmless (tick finds nothing due and sets it again). */
static void arm(uint64_t t)
{
	uint64_t now;

	if (w.running || t >= w.armed)
		return;

	if (!w.count || t == UINT64_MAX) {
		tmr_cancel(&w.tmr);
		w.armed = UINT64_MAX;
		return;
	}

	now = tmr_jiffies();
	w.armed = t;
	tmr_start(&w.tmr, t > now ? t - now : 0, tick, NULL);
}


void wtmr_start(struct wtmr *t, uint64_t delay_ms, wtmr_h *h, void *arg)
{
	uint64_t now;

	if (!t || !h)
		return;

	wtmr_cancel(t);

	now = tmr_jiffies();
	if (!w.count && !w.running)
		w.cur = now;

	t->at = now + MIN(delay_ms, WTMR_MAX_MS);
	t->h = h;
	t->arg = arg;
	place(t);
	++w.count;

	/* A higher level's slot wakes the wheel when its span begins. */
	arm(t->lvl ? (t->at >> (BITS * t->lvl)) << (BITS * t->lvl) : t->at);
}


void wtmr_cancel(struct wtmr *t)
{
	if (!t || !t->le.list)
		return;

	unplace(t);
	if (!--w.count && !w.running) {
		tmr_cancel(&w.tmr);
		w.armed = UINT64_MAX;
	}
}


bool wtmr_isrunning(const struct wtmr *t)
{
	return t && t->le.list;
}


uint64_t wtmr_left(const struct wtmr *t)
{
	uint64_t now = tmr_jiffies();

	if (!wtmr_isrunning(t))
		return 0;

	return t->at > now ? t->at - now : 0;
}


uint32_t wtmr_count(void)
{
	return w.count;
}
