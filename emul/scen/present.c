/* SPDX-License-Identifier: BSD-3-Clause */
/* --step and --slow: the live run, paused at each message as it is sent,
 * for a class: each step's note, the message itself, and once a step's
 * arrows are checked, the notes they carry. */

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <re.h>
#include "yml.h"
#include "host.h"
#include "sipkit.h"
#include "report.h"
#include "scen.h"
#include "engine.h"


/* The run pauses where it stands, inside the send of a message: one
 * thread, so nothing else happens meanwhile, and on the virtual clock
 * (scen_run sees to it) no time passes, so no timer of SIP fires. */
static bool presenting(const struct engine *e)
{
	return (e->on_enter || e->slow > 0) && !e->unpaused;
}


void engine_present_begin(const struct engine *e)
{
	char s[32];

	if (e->on_enter) {
		(void)re_printf("The scenario runs, paused at each message as"
				" it is sent (the clock stands still): Enter"
				" for the next, q to let the run finish"
				" unpaused.\n");
	}
	else if (e->slow > 0) {
		/* libre's printf has no %g: 0.5, not 0.500000 */
		(void)snprintf(s, sizeof(s), "%g", e->slow);
		(void)re_printf("The scenario runs, one message every %s s"
				" (the clock stands still meanwhile).\n", s);
	}
}


void engine_present_step(const struct engine *e, const char *note)
{
	if (!presenting(e))
		return;

	(void)re_printf("\n--- step %zu%s%s\n", e->step + 1, note ? ": " : "",
			note ? note : "");
}


/* The message itself, indented under its line. */
static void raw_print(const char *p)
{
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p) : strlen(p);

		if (l && p[l - 1] == '\r')
			--l;
		(void)re_printf("      %b\n", p, l);
		if (!nl)
			break;
		p = nl + 1;
	}
}


static void wall_sleep(double s)
{
	struct timespec ts;

	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	(void)nanosleep(&ts, NULL);
}


/* r was just sent: show it, then wait for the trainer, or for the wall
 * clock under --slow.  End of input counts as q. */
void engine_present_msg(struct engine *e, const struct lrec *r)
{
	char buf[64];

	if (!presenting(e) || (r->dmsg && e->no_cx))
		return;

	(void)re_printf("\n#%zu %s\n", r->idx, r->line);
	raw_print(r->raw);

	if (!e->on_enter) {
		(void)fflush(stdout);
		wall_sleep(e->slow);
		return;
	}

	(void)re_printf("[Enter/q] ");
	(void)fflush(stdout);
	if (fgets(buf, sizeof(buf), stdin) && buf[0] != 'q' && buf[0] != 'Q')
		return;

	e->unpaused = true;
	(void)re_printf("\nstopped by the trainer at message %zu: the run goes"
			" on to its end unpaused\n", r->idx);
}


/* The step's arrows matched its messages: their notes, each under the
 * line of the message it took.  The notes come here, not with each
 * message as it is sent, because only the whole step's check says which
 * message an arrow takes. */
void engine_present_checked(const struct engine *e)
{
	const struct le *le;
	bool notes = false;

	if (!presenting(e))
		return;

	for (le = e->window; le && !notes; le = le->next)
		notes = ((const struct lrec *)le->data)->note != NULL;

	(void)re_printf("\n--- step %zu checked, as expected%s\n", e->step + 1,
			notes ? "; the notes of its arrows:" : "");

	for (le = e->window; le; le = le->next) {
		const struct lrec *r = le->data;

		if (r->note)
			(void)re_printf("#%zu %s\n  >>> %s\n", r->idx, r->line,
					r->note);
	}
}


void engine_present_end(const struct engine *e, enum scen_result res,
			const char *fail)
{
	if (!e->on_enter && e->slow <= 0)
		return;

	(void)re_printf("\nThe scenario ran (%s): %zu messages.\n",
			res == SCEN_PASS ? "PASS" : "FAIL",
			list_count(&e->recs));
	if (res != SCEN_PASS)
		(void)re_printf("\n%s\n", fail);
}
