/* SPDX-License-Identifier: BSD-3-Clause */
/* Runs every CUnit suite (or the one named: run_tests [-v] [SUITE]) and
 * prints CUnit's summary followed by the one line 'unit: N passed, N
 * failed' that tools/test.sh adds up.  After
 * each suite's own cleanup the node registry, the peer table and the
 * timer wheel must be empty: a suite that leaks a node or leaves a timer
 * running fails there, by name.  The suites run on the virtual clock,
 * so a test that waits for a timer costs no wall time. */

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
	test_ifc_sets_suite,
	test_ifc_xml_suite,
	test_ifc_xml_parse_suite,
	test_ifc_xml_load_suite,
	test_hss_suite,
	test_cx_suite,
	test_topo_suite,
	test_scen_suite,
	test_sipx_suite,
	test_torture_suite,
	test_trust_suite,
	test_media_suite,
	test_fsm_suite,
	test_proxy_suite,
	test_diam_suite,
	test_cx_wire_suite,
	test_cx_server_suite,
	test_dialog_suite,
	test_appdb_suite,
	test_http_suite,
	test_book_suite,
	test_book_http_suite,
	test_tsx_suite,
	test_clock_suite,
	test_regex_suite,
	test_milenage_suite,
	test_aka_suite,
	test_cx_aka_suite,
	test_tsx_wire_suite,
	test_reginfo_suite,
	test_select_suite,
};


/* The suites' own cleanups, by suite, and the suites that leaked */
static struct {
	CU_pSuite suite;
	CU_CleanupFunc cleanup;
} cleanups[ARRAY_SIZE(suites) * 2];
static size_t ncleanups;
static unsigned leaks;


/* Every suite's cleanup: its own first, then the check that it left no
 * node and no peer behind.  CUnit records a failing cleanup; the count
 * here makes it a failure in the closing line as well. */
static int cleanup_check(void)
{
	CU_pSuite s = CU_get_current_suite();
	size_t i, nodes, peers;
	uint32_t timers;
	int err = 0;

	for (i = 0; i < ncleanups; i++) {
		if (cleanups[i].suite == s && cleanups[i].cleanup)
			err = cleanups[i].cleanup();
	}

	/* The next suite starts on the virtual clock too, whatever this
	 * one left. */
	clk_set_mode(CLK_VIRTUAL);

	nodes = node_count();
	peers = emul_peer_count();
	timers = wtmr_count();
	if (!nodes && !peers && !timers)
		return err;

	fprintf(stderr, "\nsuite '%s' left %zu nodes, %zu peers and %u "
		"timers behind\n", s ? s->pName : "?", nodes, peers, timers);
	++leaks;

	return 1;
}


/* Puts cleanup_check in front of each registered suite's cleanup. */
static int cleanups_wrap(void)
{
	CU_pSuite s;

	for (s = CU_get_registry()->pSuite; s; s = s->pNext) {
		if (ncleanups >= ARRAY_SIZE(cleanups))
			return ENOMEM;

		cleanups[ncleanups].suite = s;
		cleanups[ncleanups].cleanup = s->pCleanupFunc;
		++ncleanups;
		if (CU_set_suite_cleanupfunc(s, cleanup_check) != CUE_SUCCESS)
			return EINVAL;
	}

	return 0;
}


static void stop(void *arg)
{
	(void)arg;
	re_cancel();
}


const char *test_nn(const char *s)
{
	return s ? s : "(null)";
}


static int suite_add(CU_pSuite s, const CU_TestInfo *tv)
{
	if (!s)
		return CU_get_error();

	for (; tv && tv->pName; tv++) {
		if (!CU_add_test(s, tv->pName, tv->pTestFunc))
			return CU_get_error();
	}

	return 0;
}


int test_suite_add(const char *name, CU_InitializeFunc init,
		   CU_CleanupFunc cleanup, const CU_TestInfo *tv)
{
	return suite_add(CU_add_suite(name, init, cleanup), tv);
}


int test_suite_add_each(const char *name, CU_SetUpFunc setup,
			CU_TearDownFunc teardown, const CU_TestInfo *tv)
{
	return suite_add(CU_add_suite_with_setup_and_teardown(name, NULL,
							      NULL, setup,
							      teardown), tv);
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
	bool verbose;
	size_t i;

	/* Some suites open sockets: they need libre's main context. */
	if (libre_init())
		return 2;
	/* Every suite on the virtual clock: a wait costs no time. */
	clk_set_mode(CLK_VIRTUAL);

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;

	for (i = 0; i < ARRAY_SIZE(suites); i++) {
		if (suites[i]()) {
			fprintf(stderr, "cannot register suite %zu\n", i);
			CU_cleanup_registry();
			return 2;
		}
	}

	if (cleanups_wrap()) {
		fprintf(stderr, "cannot wrap the suites' cleanups\n");
		CU_cleanup_registry();
		return 2;
	}

	verbose = argc > 1 && !strcmp(argv[1], "-v");
	CU_basic_set_mode(verbose ? CU_BRM_VERBOSE : CU_BRM_NORMAL);

	/* run_tests [-v] [SUITE]: one suite alone, for valgrind or a
	 * debugger. */
	if (argc > 1 + verbose) {
		CU_pSuite s = CU_get_suite(argv[1 + verbose]);

		if (!s) {
			fprintf(stderr, "no suite '%s'\n", argv[1 + verbose]);
			CU_cleanup_registry();
			return 2;
		}
		CU_basic_run_suite(s);
	}
	else {
		CU_basic_run_tests();
	}

	run = CU_get_number_of_tests_run();
	failed = CU_get_number_of_tests_failed();
	printf("\nunit: %zu suites checked for leftover nodes and timers, %u "
	       "leaked\n",
	       ncleanups, leaks);
	printf("\nunit: %u passed, %u failed\n", run - failed,
	       failed + leaks);

	CU_cleanup_registry();
	libre_close();
	netguard_flush();

	return failed || leaks ? 1 : 0;
}
