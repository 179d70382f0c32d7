/* SPDX-License-Identifier: BSD-3-Clause */
/* The CUnit suites; each test_*.c adds its suite through one function. */

#include <CUnit/CUnit.h>

/* ---- main.c: what every suite may use ---- */
#define ASSERT_STR(a, b) CU_ASSERT_STRING_EQUAL(test_nn(a), b)

/* Runs libre's loop for ms milliseconds. */
void test_run_for(uint32_t ms);
/* s, or "(null)": CU_ASSERT_STRING_EQUAL on NULL would crash the run
 * instead of failing. */
const char *test_nn(const char *s);
/* A suite from a table of tests ending in CU_TEST_INFO_NULL; 0 or
 * CUnit's error.  init and cleanup run around the suite, setup and
 * teardown (the _each form) around each of its tests. */
int  test_suite_add(const char *name, CU_InitializeFunc init,
		    CU_CleanupFunc cleanup, const CU_TestInfo *tv);
int  test_suite_add_each(const char *name, CU_SetUpFunc setup,
			 CU_TearDownFunc teardown, const CU_TestInfo *tv);

/* ---- fixture_hss.c: what the HSS suites share, where hss.h is in ---- */
#ifdef IMSBED_HSS_H
#define SCSCF "sip:scscf.ims.test:6060"
#define ALICE "alice@ims.test", "sip:alice@ims.test"
#define BOB   "bob@ims.test", "sip:bob@ims.test"
#define EVE   "eve@ims.test", "sip:eve@ims.test"
#define REG   CX_UAR_REGISTRATION
#define DEREG CX_UAR_DE_REGISTRATION
#define SIP_DIGEST "SIP Digest"

/* alice has two IMPUs and services; carol belongs to hss2; nobody has no
 * profile; user0001..user1000 come from one template */
extern const char hssfx_topo[];

/* Loads text into a new HSS named name; *hssp is NULL on failure */
int hssfx_from(struct hss **hssp, const char *name, const char *dbpath,
	       const char *text, char *err, size_t sz);

/* Each returns the answer's result code, or -errno when the call failed */
int hssfx_uar(struct hss *hss, const char *impi, const char *impu,
	      enum cx_uar_type type, struct cx_uaa *uaa);
int hssfx_mar(struct hss *hss, const char *impi, const char *impu,
	      const char *scheme, const char *server, struct cx_maa *maa);
int hssfx_sar(struct hss *hss, const char *impi, const char *impu,
	      const char *server, enum cx_sar_type type, struct cx_saa *saa);
int hssfx_lir(struct hss *hss, const char *impu, struct cx_lia *lia);
/* Profile "p" from YAML text (no shared sets); the error to stderr */
int hssfx_profile(struct ifc_profile **pp, const char *text);
#endif

/* ---- fixture_sip.c: what the SIP suites share ---- */
/* A UDP socket on 127.0.0.1 and an ephemeral port, said in addr. */
int  test_udp_open(struct udp_sock **usp, struct sa *addr,
		   udp_recv_h *recvh, void *arg);
/* A response to msg (sent back to msg->src) with its Via, From, To,
 * Call-ID and CSeq; To gets totag when the request's has none. */
int  test_sip_reply(struct udp_sock *us, const struct sip_msg *msg,
		    uint16_t sc, const char *reason, const char *totag);

/* ---- fixture_http.c: what the HTTP suites share ---- */
struct http_msg;

/* asN at NET.1 and ueN at NET.2, and an appdb from YAML text whose top
 * key is appdata (dbpath NULL: in memory). */
struct http_bed {
	struct node *as;
	struct node *ue;
	struct appdb *db;
};

int  http_bed_open(struct http_bed *b, const char *net, unsigned id,
		   const char *dbpath, const char *appdata);
void http_bed_close(struct http_bed *b);

enum { HTTP_BODY_MAX = 4096 };

/* The last answer, as http_answer_h copied it; calls counts them. */
struct http_answer {
	bool done;
	int err;
	uint16_t scode;
	uint32_t calls;
	char body[HTTP_BODY_MAX];
	char www[128];
	char ctype[64];
	char server[32];
	char location[128];
	char allow[64];         /* each Allow value, joined by ", " */
};

/* Clears all but calls; err is -1 until an answer comes. */
void http_answer_reset(struct http_answer *a);
/* An httpc_resp_h with a struct http_answer as arg; stops the loop. */
void http_answer_h(int err, const struct http_msg *msg, void *arg);

/* A bearer token and the IMPU it stands for; a table of them ends with
 * a NULL token and is http_token_impu's arg (an asmod_auth_h). */
struct http_token {
	const char *token;
	const char *impu;
};

const char *http_token_impu(const char *token, void *arg);

int test_yml_suite(void);
int test_digest_suite(void);
int test_ifc_suite(void);
int test_ifc_sets_suite(void);
int test_ifc_xml_suite(void);
int test_ifc_xml_parse_suite(void);
int test_ifc_xml_load_suite(void);
int test_hss_suite(void);
int test_cx_suite(void);
int test_topo_suite(void);
int test_scen_suite(void);
int test_sipx_suite(void);
int test_torture_suite(void);
int test_trust_suite(void);
int test_media_suite(void);
int test_fsm_suite(void);
int test_proxy_suite(void);
int test_diam_suite(void);
int test_cx_wire_suite(void);
int test_cx_server_suite(void);
int test_dialog_suite(void);
int test_appdb_suite(void);
int test_http_suite(void);
int test_book_suite(void);
int test_book_http_suite(void);
int test_tsx_suite(void);
int test_clock_suite(void);
int test_regex_suite(void);
int test_milenage_suite(void);
int test_aka_suite(void);
int test_cx_aka_suite(void);
int test_tsx_wire_suite(void);
int test_reginfo_suite(void);
int test_select_suite(void);
