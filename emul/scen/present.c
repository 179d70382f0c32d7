/* SPDX-License-Identifier: BSD-3-Clause */
/* --step and --slow: a recorded run walked through for a class, message
 * by message with each step's note, on Enter or at a pace. */

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <re.h>
#include "yml.h"
#include "host.h"
#include "sipkit.h"
#include "report.h"
#include "scen.h"
#include "engine.h"


/* --step / --slow: the recorded run, message by message, with each
 * step's note.  libre's timers run on the wall clock, so pausing the
 * live run would fire retransmissions and timeouts; replaying what was
 * recorded shows exactly what went over the wire instead. */
void engine_present(struct engine *e, const struct scen_opts *o,
		    enum scen_result res, const char *fail)
{
	char buf[64];
	struct le *le;
	size_t k = 0, m = 0, n = list_count(&e->recs);

	(void)re_printf("The scenario ran (%s); its %zu messages follow%s.\n",
			res == SCEN_PASS ? "PASS" : "FAIL", n,
			o->step ? " one at a time: Enter for the next,"
			" q to stop" : "");

	for (le = e->recs.head; le; le = le->next, ++k) {
		const struct lrec *r = le->data;

		while (m < e->nmarks && e->marks[m].first <= k) {
			const char *note = e->marks[m].note;

			(void)re_printf("\n--- step %zu%s%s\n", m + 1,
					note ? ": " : "", note ? note : "");
			++m;
		}

		(void)re_printf("\n#%zu %s\n", r->idx, r->line);
		if (r->note)
			(void)re_printf("  >>> %s\n", r->note);
		if (r->raw) {
			const char *p = r->raw;

			/* The message itself, indented under its line. */
			while (*p) {
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

		if (o->step) {
			(void)re_printf("[Enter/q] ");
			if (!fgets(buf, sizeof(buf), stdin) ||
			    buf[0] == 'q' || buf[0] == 'Q') {
				(void)re_printf("\nstopped by the trainer at"
						" message %zu of %zu\n",
						r->idx, n);
				return;
			}
		}
		else {
			(void)usleep((useconds_t)(o->slow * 1e6));
		}
	}

	if (res != SCEN_PASS)
		(void)re_printf("\n%s\n", fail);
}
