/* SPDX-License-Identifier: BSD-3-Clause */
/* The CUnit suites; each test_*.c adds its suite through one function. */

#include <CUnit/CUnit.h>

/* main.c: runs libre's loop for ms milliseconds. */
void test_run_for(uint32_t ms);

int test_yml_suite(void);
int test_digest_suite(void);
int test_ifc_suite(void);
int test_hss_suite(void);
int test_topo_suite(void);
int test_scen_suite(void);
int test_sipx_suite(void);
int test_torture_suite(void);
int test_trust_suite(void);
int test_media_suite(void);
int test_fsm_suite(void);
int test_proxy_suite(void);
int test_appdb_suite(void);
int test_http_suite(void);
int test_book_suite(void);
int test_book_http_suite(void);
int test_tsx_suite(void);
int test_clock_suite(void);
int test_tsx_wire_suite(void);
