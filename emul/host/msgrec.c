/* SPDX-License-Identifier: BSD-3-Clause */
/* Message records: every message a node sends is handed to the listeners
 * (trace file, live ladder, scenario recorder) with the engine's clock. */

#include <re.h>
#include "host.h"

static struct list listeners;
static uint64_t t0;

struct lsnr {
	msgrec_h *h;
	void *arg;
};


int msgrec_listen(struct le *le, msgrec_h *h, void *arg)
{
	struct lsnr *l;

	if (!le || !h)
		return EINVAL;

	l = mem_zalloc(sizeof(*l), NULL);
	if (!l)
		return ENOMEM;

	l->h = h;
	l->arg = arg;
	list_append(&listeners, le, l);
	msgrec_refresh();

	return 0;
}


void msgrec_unlisten(struct le *le)
{
	if (!le || !le->list)
		return;

	list_unlink(le);
	mem_deref(le->data);
	le->data = NULL;
	msgrec_refresh();
}


/* The nodes trace what they send while a listener or a fault wants it. */
void msgrec_refresh(void)
{
	node_trace(!list_isempty(&listeners) || fault_armed());
}


void msgrec_emit(const struct msgrec *rec)
{
	struct le *le = listeners.head;

	while (le) {
		struct lsnr *l = le->data;

		le = le->next;
		l->h(rec, l->arg);
	}
}


double emul_time(void)
{
	return (double)(tmr_jiffies() - t0) / 1000.0;
}


void emul_time_reset(void)
{
	t0 = tmr_jiffies();
}
