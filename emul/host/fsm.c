/* SPDX-License-Identifier: BSD-3-Clause */
/* Protocol state as tables, in the shape of libosmocore's osmo_fsm: a
 * machine is a table of states, each with the events it permits and the
 * states it may go to, and names for both.  An event a state does not
 * permit, or a move it may not make, is refused and logged as
 * "node{STATE}: event X not permitted"; every transition is logged the
 * same way at info level (-v), so that a run shows why an object is
 * where it is. */

#include <re.h>
#include "host.h"


static const char *state_name(const struct fsm *f, unsigned st)
{
	return st < f->def->nstates ? f->def->states[st].name : "?";
}


static const char *event_name(const struct fsm *f, unsigned ev)
{
	return ev < f->def->nevents ? f->def->events[ev] : "?";
}


void fsm_init(struct fsm *f, const struct fsm_def *def, const char *id,
	      unsigned state)
{
	if (!f || !def)
		return;

	f->def = def;
	f->id = id;
	f->state = state;
}


bool fsm_permits(const struct fsm *f, unsigned ev)
{
	if (!f || !f->def || f->state >= f->def->nstates || ev >= 32)
		return false;

	return (f->def->states[f->state].in_events >> ev) & 1;
}


int fsm_refuse(const struct fsm *f, unsigned ev)
{
	elog(LOG_WARN, f->id, f->def->name, "%s{%s}: event %s not permitted",
	     f->id, state_name(f, f->state), event_name(f, ev));

	return EPERM;
}


int fsm_event(struct fsm *f, unsigned ev, unsigned to)
{
	if (!f || !f->def || to >= f->def->nstates)
		return EINVAL;

	if (!fsm_permits(f, ev))
		return fsm_refuse(f, ev);

	if (!((f->def->states[f->state].out_states >> to) & 1)) {
		elog(LOG_WARN, f->id, f->def->name, "%s{%s}: event %s may "
		     "not lead to %s", f->id, state_name(f, f->state),
		     event_name(f, ev), state_name(f, to));
		return EPERM;
	}

	elog(LOG_INFO, f->id, f->def->name, "%s{%s}: event %s -> %s", f->id,
	     state_name(f, f->state), event_name(f, ev), state_name(f, to));
	f->state = to;

	return 0;
}


const char *fsm_state_name(const struct fsm *f)
{
	return f && f->def ? state_name(f, f->state) : "?";
}
