/* SPDX-License-Identifier: BSD-3-Clause */
/* What the network targets share: libre, and scenarios/topology.yaml
 * loaded once (run from the project's top folder), so that each input
 * meets a running core as a stranger on loopback would. */

#include <re.h>
#include "yml.h"
#include "host.h"
#include "sipkit.h"
#include "report.h"
#include "scen.h"
#include "fuzz.h"

static struct yml *y;
static struct topo *topo;
static struct tmr tmr;


static void stop(void *arg)
{
	(void)arg;
	re_cancel();
}


void fuzz_run(uint32_t ms)
{
	tmr_start(&tmr, ms, stop, NULL);
	(void)re_main(NULL);
	tmr_cancel(&tmr);
}


int fuzz_core(void)
{
	char err[512];

	if (topo)
		return 0;

	if (libre_init())
		return ENOMEM;
	log_set_level(LOG_ERR);

	if (yml_load_file(&y, "scenarios/topology.yaml", err, sizeof(err)) ||
	    topo_load(&topo, y, yml_root(y), err, sizeof(err))) {
		(void)re_fprintf(stderr, "fuzz: %s\n", err);
		return EINVAL;
	}

	return 0;
}
