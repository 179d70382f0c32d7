/* SPDX-License-Identifier: BSD-3-Clause */
/* A group of long per-user timers (registration and subscription
 * expiry) on the process's one timer wheel (wtmr.c): start and cancel
 * are O(1) however many users there are, and the group cancels what is
 * left of its timers when it goes, so that no timer outlives the node
 * that owns it. */

#include <re.h>
#include "host.h"

struct wheel {
	struct list ents;
};


static void destructor(void *arg)
{
	struct wheel *w = arg;
	struct le *le;

	while ((le = list_head(&w->ents)) != NULL)
		wheel_cancel(le->data);
}


int wheel_alloc(struct wheel **wp, uint32_t bsize)
{
	struct wheel *w;
	(void)bsize;

	if (!wp)
		return EINVAL;

	w = mem_zalloc(sizeof(*w), destructor);
	if (!w)
		return ENOMEM;

	*wp = w;

	return 0;
}


static void fired(void *arg)
{
	struct wheel_ent *e = arg;

	list_unlink(&e->le);
	e->w = NULL;
	e->h(e->arg);
}


void wheel_start(struct wheel *w, struct wheel_ent *e, uint64_t delay_ms,
		 wheel_h *h, void *arg)
{
	if (!w || !e || !h)
		return;

	wheel_cancel(e);

	e->w = w;
	e->h = h;
	e->arg = arg;
	list_append(&w->ents, &e->le, e);
	wtmr_start(&e->t, delay_ms, fired, e);
}


void wheel_cancel(struct wheel_ent *e)
{
	if (!e || !e->w)
		return;

	wtmr_cancel(&e->t);
	list_unlink(&e->le);
	e->w = NULL;
}


uint64_t wheel_left(const struct wheel_ent *e)
{
	return e && e->w ? wtmr_left(&e->t) : 0;
}
