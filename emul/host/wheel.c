/* SPDX-License-Identifier: BSD-3-Clause */
/* A timer wheel for the long timers a core keeps per user (registration
 * expiry).  libre keeps its timers in one sorted list, and a transaction
 * timer of a few seconds is inserted by walking back past every longer
 * one: with a libre timer per registered user each new transaction costs
 * a walk over all users.  Here an expiry costs a hash append, and the
 * wheel holds one libre timer, ticking only while it has entries. */

#include <re.h>
#include "host.h"

enum { WHEEL_RES_MS = 100 };

struct wheel {
	struct hash *slots;
	struct tmr tmr;
	uint64_t next;          /* first slot not yet run */
	uint32_t count;
};


static void destructor(void *arg)
{
	struct wheel *w = arg;

	tmr_cancel(&w->tmr);
	mem_deref(w->slots);
}


int wheel_alloc(struct wheel **wp, uint32_t bsize)
{
	struct wheel *w;
	int err;

	if (!wp)
		return EINVAL;

	w = mem_zalloc(sizeof(*w), destructor);
	if (!w)
		return ENOMEM;

	err = hash_alloc(&w->slots, bsize);
	if (err)
		mem_deref(w);
	else
		*wp = w;

	return err;
}


static void tick(void *arg)
{
	struct wheel *w = arg;
	uint64_t now = tmr_jiffies() / WHEEL_RES_MS;

	for (; w->next <= now && w->count; w->next++) {
		struct le *le = list_head(hash_list(w->slots,
						    (uint32_t)w->next));
		struct list due = LIST_INIT;
		struct wheel_ent *e;

		/* A bucket also holds later rounds: take out this slot's
		 * entries first, since a handler may cancel any entry. */
		while (le) {
			e = le->data;
			le = le->next;
			if (e->slot != w->next)
				continue;
			list_unlink(&e->le);
			list_append(&due, &e->le, e);
		}

		while ((e = list_ledata(due.head)) != NULL) {
			wheel_cancel(e);
			e->h(e->arg);
		}
	}

	if (w->count)
		tmr_start(&w->tmr, WHEEL_RES_MS, tick, w);
}


void wheel_start(struct wheel *w, struct wheel_ent *e, uint64_t delay_ms,
		 wheel_h *h, void *arg)
{
	if (!w || !e || !h)
		return;

	wheel_cancel(e);

	if (!w->count)
		w->next = tmr_jiffies() / WHEEL_RES_MS;

	/* Never early: round up to the next slot. */
	e->slot = (tmr_jiffies() + delay_ms + WHEEL_RES_MS - 1) /
		WHEEL_RES_MS;
	e->w = w;
	e->h = h;
	e->arg = arg;
	hash_append(w->slots, (uint32_t)e->slot, &e->le, e);

	if (!w->count++)
		tmr_start(&w->tmr, WHEEL_RES_MS, tick, w);
}


void wheel_cancel(struct wheel_ent *e)
{
	if (!e || !e->w || !e->le.list)
		return;

	hash_unlink(&e->le);
	--e->w->count;
	e->w = NULL;
}


uint64_t wheel_left(const struct wheel_ent *e)
{
	uint64_t at, now = tmr_jiffies();

	if (!e || !e->w)
		return 0;

	at = e->slot * WHEEL_RES_MS;

	return at > now ? at - now : 0;
}
