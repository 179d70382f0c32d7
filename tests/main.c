/* SPDX-License-Identifier: BSD-3-Clause */
/* Runs every CUnit suite and prints CUnit's summary followed by the
 * one line 'unit: N passed, N failed' that tools/test.sh adds up. */

#include <stdio.h>
#include <string.h>
#include <CUnit/Basic.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "report.h"
#include "scen.h"
#include "tests.h"

static int (*const suites[])(void) = {
	test_yml_suite,
	test_digest_suite,
	test_ifc_suite,
	test_hss_suite,
	test_topo_suite,
	test_scen_suite,
	test_sipx_suite,
	test_torture_suite,
	test_trust_suite,
	test_media_suite,
	test_fsm_suite,
	test_proxy_suite,
	test_appdb_suite,
	test_http_suite,
	test_book_suite,
	test_book_http_suite,
	test_tsx_suite,
	test_clock_suite,
	test_tsx_wire_suite,
};


static void stop(void *arg)
{
	(void)arg;
	re_cancel();
}


void test_run_for(uint32_t ms)
{
	struct tmr t;

	tmr_init(&t);
	tmr_start(&t, ms, stop, NULL);
	(void)re_main(NULL);
	tmr_cancel(&t);
}


int main(int argc, char *argv[])
{
	unsigned run, failed;
	size_t i;

	/* Some suites open sockets: they need libre's main context. */
	if (libre_init())
		return 2;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;

	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		if (suites[i]()) {
			fprintf(stderr, "cannot register suite %zu\n", i);
			CU_cleanup_registry();
			return 2;
		}
	}

	CU_basic_set_mode(argc > 1 && !strcmp(argv[1], "-v") ?
			  CU_BRM_VERBOSE : CU_BRM_NORMAL);
	CU_basic_run_tests();

	run = CU_get_number_of_tests_run();
	failed = CU_get_number_of_tests_failed();
	printf("\nunit: %u passed, %u failed\n", run - failed, failed);

	CU_cleanup_registry();
	libre_close();
	netguard_flush();

	return failed ? 1 : 0;
}
