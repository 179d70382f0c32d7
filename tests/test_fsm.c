/* SPDX-License-Identifier: BSD-3-Clause */
/* Protocol state as tables: a machine refuses an event its state does not
 * permit and a move its state may not make, and logs both, and every
 * transition, as node{STATE}: ...  The log of a run of illegal events
 * (a table of our own, then the UE's registration driven by its API) is
 * compared with tests/golden/fsm.log. */

#include <stdio.h>
#include <string.h>
#include <re.h>
#include "yml.h"
#include "host.h"
#include "sipkit.h"
#include "report.h"
#include "scen.h"
#include "ue.h"
#include "tests.h"

enum { S_A = 0, S_B, S_C };
enum { E_GO = 0, E_BACK, E_JUMP };

static const char *const events[] = {"go", "back", "jump"};
static const struct fsm_state states[] = {
	[S_A] = {"A", FSM_BIT(E_GO) | FSM_BIT(E_JUMP), FSM_BIT(S_B)},
	[S_B] = {"B", FSM_BIT(E_BACK), FSM_BIT(S_A)},
	[S_C] = {"C", 0, 0},
};
static const struct fsm_def def = {
	"test", states, ARRAY_SIZE(states), events, ARRAY_SIZE(events),
};


static void done_handler(int err, uint16_t scode, void *arg)
{
	(void)err;
	(void)scode;
	(void)arg;
}


static void test_fsm_log(void)
{
	struct mbuf *mb = mbuf_alloc(1024);
	struct yml *y = NULL;
	struct topo *t = NULL;
	enum log_level lvl = log_level();
	char err[512], *got = NULL, want[2048];
	struct fsm f;
	size_t n;
	FILE *g;

	CU_ASSERT_FATAL(mb != NULL);
	log_set_level(LOG_INFO);
	log_capture(mb);

	fsm_init(&f, &def, "node1", S_A);
	CU_ASSERT_EQUAL(fsm_event(&f, E_BACK, S_A), EPERM);
	CU_ASSERT_EQUAL(fsm_event(&f, E_JUMP, S_C), EPERM);
	CU_ASSERT_EQUAL(fsm_event(&f, E_GO, S_B), 0);
	CU_ASSERT_STRING_EQUAL(fsm_state_name(&f), "B");
	CU_ASSERT_EQUAL(fsm_event(&f, E_GO, S_A), EPERM);
	CU_ASSERT_EQUAL(fsm_event(&f, E_BACK, S_A), 0);

	/* The UE's registration: de-register before registering, register
	 * twice at once. */
	log_capture(NULL);
	CU_ASSERT_EQUAL_FATAL(yml_load_file(&y, "scenarios/topology.yaml",
					    err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(topo_load(&t, y, yml_root(y), err,
					sizeof(err)), 0);
	log_capture(mb);
	CU_ASSERT_EQUAL(ue_deregister(topo_ue(t, "ue1"), done_handler, NULL),
			EALREADY);
	CU_ASSERT_EQUAL(ue_register(topo_ue(t, "ue1"), 600, false, NULL,
				    done_handler, NULL), 0);
	CU_ASSERT_EQUAL(ue_register(topo_ue(t, "ue1"), 600, false, NULL,
				    done_handler, NULL), EALREADY);
	log_capture(NULL);
	log_set_level(lvl);

	mem_deref(t);
	mem_deref(y);

	mb->pos = 0;
	CU_ASSERT_EQUAL(mbuf_strdup(mb, &got, mb->end), 0);
	g = fopen("tests/golden/fsm.log", "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	n = fread(want, 1, sizeof(want) - 1, g);
	want[n] = '\0';
	fclose(g);
	if (strcmp(got, want))
		(void)re_printf("\n  fsm log:\n%s  want:\n%s", got, want);
	CU_ASSERT_STRING_EQUAL(got, want);

	mem_deref(got);
	mem_deref(mb);
}


int test_fsm_suite(void)
{
	CU_pSuite s = CU_add_suite("fsm", NULL, NULL);

	if (!s)
		return 1;

	return !CU_add_test(s, "illegal events, logged", test_fsm_log);
}
