/* SPDX-License-Identifier: BSD-3-Clause */
/* imsbed serve: a topology's core and ASs for external UEs (SIPp,
 * baresip, curl) until Ctrl-C, with the live ladder of everything that
 * crosses the wire, what the external peers send included, and the run
 * as an HTML page when it stops (--html). */

#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <re.h>
#include "yml.h"
#include "host.h"
#include "sipkit.h"
#include "report.h"
#include "scen.h"
#include "cmd.h"


static void signal_handler(int sig)
{
	(void)sig;
	re_cancel();
}


int cmd_serve(int argc, char *argv[], const struct cli_opts *o)
{
	struct scen_opts so = {.quiet = o->quiet, .html = o->html,
			       .no_cx = o->no_cx};
	struct engine *rec = NULL;
	struct topo *topo = NULL;
	struct yml *y = NULL;
	char err[1024];
	struct le *le;
	int rc = 0;

	if (argc != 1) {
		(void)re_fprintf(stderr, "imsbed serve: one topology file\n");
		return EXIT_USAGE;
	}

	so.colour = isatty(STDOUT_FILENO);
	so.diagram = o->ladder ? !strcmp(o->ladder, "columns") : so.colour;

	if (yml_load_file(&y, argv[0], err, sizeof(err)) ||
	    topo_load(&topo, y, yml_root(y), err, sizeof(err))) {
		(void)re_fprintf(stderr, "imsbed: %s\n", err);
		mem_deref(y);
		return EXIT_USAGE;
	}

	for (le = emul_nodes()->head; le; le = le->next) {
		(void)re_printf("%-8s %-6s %J\n", node_name(le->data),
				node_role_name(node_role(le->data)),
				node_addr(le->data));
	}
	(void)re_printf("serving; register through the P-CSCF above."
			" Ctrl-C stops.\n");

	emul_time_reset();
	if (engine_recorder(&rec, &so)) {
		(void)re_fprintf(stderr, "imsbed serve: out of memory\n");
		rc = 2;
		goto out;
	}

	(void)re_main(signal_handler);

	(void)re_printf("\nstopped after %.1f s\n", emul_time());

	if (o->html && engine_page(rec, o->html, argv[0])) {
		(void)re_fprintf(stderr, "imsbed serve: %s: cannot write the"
				 " page\n", o->html);
		rc = 2;
	}
 out:
	mem_deref(rec);
	mem_deref(topo);
	mem_deref(y);

	return rc;
}
