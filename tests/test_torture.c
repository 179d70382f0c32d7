/* SPDX-License-Identifier: BSD-3-Clause */
/* Robustness: every RFC 4475 torture message is sent as a UDP datagram to
 * the P-CSCF and to the S-CSCF of a running core.  Nothing may crash,
 * hang or leak, nothing may leave loopback, and a UE registers normally
 * afterwards.  make test runs this inside a private network namespace. */

#include <dirent.h>
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

#define TORTURE_DIR "../shared/testdata/rfc4475"

struct peer {
	struct udp_sock *us;
	uint32_t rx;            /* datagrams the core sent back to us */
};




static void recv_handler(const struct sa *src, struct mbuf *mb, void *arg)
{
	struct peer *p = arg;
	(void)mb;

	(void)src;
	++p->rx;
}


static int send_file(struct peer *p, const char *path,
		     const struct sa *dst)
{
	struct mbuf *mb;
	uint8_t buf[65536];
	size_t n;
	FILE *f;
	int err;

	f = fopen(path, "rb");
	if (!f)
		return errno;
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);

	mb = mbuf_alloc(n);
	if (!mb)
		return ENOMEM;
	(void)mbuf_write_mem(mb, buf, n);
	mb->pos = 0;
	err = udp_send(p->us, dst, mb);
	mem_deref(mb);

	return err;
}


static void done_handler(int err, uint16_t scode, void *arg)
{
	int *res = arg;

	*res = err ? -err : scode;
	re_cancel();
}


/* scenarios/topology.yaml running, and our socket to send from. */
static void core_up(struct yml **yp, struct topo **tp, struct peer *p)
{
	struct sa laddr;
	char err[512];

	memset(p, 0, sizeof(*p));
	CU_ASSERT_EQUAL_FATAL(yml_load_file(yp, "scenarios/topology.yaml",
					    err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(topo_load(tp, *yp, yml_root(*yp), err,
					sizeof(err)), 0);
	(void)sa_set_str(&laddr, "127.0.0.1", 0);
	CU_ASSERT_EQUAL_FATAL(udp_listen(&p->us, &laddr, recv_handler, p),
			      0);
}


static void test_torture(void)
{
	struct yml *y = NULL;
	struct topo *t = NULL;
	struct peer p;
	struct dirent *d;
	char path[512];
	uint32_t files = 0, refused0 = netguard_refused(), rx0;
	uint32_t dropped0 = netguard_dropped();
	int res = 0;
	DIR *dir;

	core_up(&y, &t, &p);

	dir = opendir(TORTURE_DIR);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);

	while ((d = readdir(dir)) != NULL) {
		size_t l = strlen(d->d_name);

		if (l < 4 || strcmp(d->d_name + l - 4, ".dat"))
			continue;

		(void)re_snprintf(path, sizeof(path), "%s/%s", TORTURE_DIR,
				  d->d_name);
		CU_ASSERT_EQUAL(send_file(&p, path,
					  node_addr(emul_node("pcscf"))), 0);
		CU_ASSERT_EQUAL(send_file(&p, path,
					  node_addr(emul_node("scscf"))), 0);
		++files;
		test_run_for(20);
	}
	closedir(dir);

	CU_ASSERT(files >= 49);

	/* Torture messages name example.com and 192.0.2.x: those next hops
	 * were refused by the routing policy, never looked up. */
	CU_ASSERT(netguard_dropped() > dropped0);

	/* A Via with maddr asks for the response at a foreign address:
	 * libre obeys, and the guard under it refuses the datagram. */
	{
		struct mbuf *mb = mbuf_alloc(512);

		(void)mbuf_printf(mb, "OPTIONS sip:user9@ims.test SIP/2.0\r\n"
				  "Via: SIP/2.0/UDP 192.0.2.1:5060;"
				  "maddr=192.0.2.1;branch=z9hG4bKmaddr1\r\n"
				  "Max-Forwards: 70\r\n"
				  "From: <sip:a@ims.test>;tag=1\r\n"
				  "To: <sip:user9@ims.test>\r\n"
				  "Call-ID: maddr1\r\nCSeq: 1 OPTIONS\r\n"
				  "Content-Length: 0\r\n\r\n");
		mb->pos = 0;
		CU_ASSERT_EQUAL(udp_send(p.us, node_addr(emul_node("scscf")),
					 mb), 0);
		mem_deref(mb);
		rx0 = p.rx;
		test_run_for(50);
		CU_ASSERT(netguard_refused() > refused0);
		CU_ASSERT_EQUAL(p.rx, rx0);
	}

	/* The valid ones were answered (or forwarded and answered). */
	CU_ASSERT(p.rx > 0);

	/* And the core still works: a UE registers end to end. */
	CU_ASSERT_EQUAL(ue_register(topo_ue(t, "ue1"), 600, false, NULL,
				    done_handler, &res), 0);
	test_run_for(2000);
	CU_ASSERT_EQUAL(res, 200);
	CU_ASSERT_EQUAL(ue_state(topo_ue(t, "ue1")), UE_REGISTERED);

	mem_deref(p.us);
	mem_deref(t);
	mem_deref(y);
	CU_ASSERT_PTR_NULL(emul_nodes()->head);
}


/* What RFC 4475 and RFC 3261 16.3 name for a message an element must
 * not take: each file to a fresh core (libre's transactions match on the
 * branch alone, and several files share one), from a sender that never
 * registered, so that a 400 or 505 must come before the P-CSCF's 403. */
static const struct {
	const char *file;
	uint16_t scode;
	const char *reason;
} answers[] = {
	{"3.1.2.1-badinv01",   400, "Malformed Via Header"},
	{"3.1.2.2-clerr",      400, "Content-Length Larger Than Message"},
	{"3.1.2.3-ncl",        400, "Malformed Content-Length"},
	{"3.1.2.4-scalar02",   400, "CSeq Number Out of Range"},
	{"3.1.2.8-lwsruri",    400, "Malformed Request-Line"},
	{"3.1.2.9-lwsstart",   400, "Malformed Request-Line"},
	{"3.1.2.10-trws",      400, "Malformed Request-Line"},
	{"3.1.2.15-baddn",     400, NULL},
	{"3.1.2.16-badvers",   505, "Version Not Supported"},
	{"3.1.2.17-mismatch01", 400, "CSeq Method Does Not Match"},
	{"3.1.2.18-mismatch02", 400, "CSeq Method Does Not Match"},
	{"3.3.1-insuf",        400, "Missing To Header"},
	{"3.3.2-unkscm",       416, NULL},
	{"3.3.4-unksm2",       400, "Malformed From Header"},
	{"3.3.5-bext01",       420, NULL},
	{"3.3.8-multi01",      400, "Multiple To Headers"},
	{"3.3.9-mcl01",        400, "Multiple Content-Length Headers"},
	{"3.3.11-zeromf",      483, NULL},
};

static uint16_t last_scode;
static char last_reason[64];


/* What the node sent, wherever it went (the torture files name
 * 192.0.2.x and example.com: the answer may be refused on its way). */
static void answer_handler(const struct msgrec *rec, void *arg)
{
	struct pl code, reason;
	uint32_t sc;

	/* The status line alone: an answer copies the Via and From it got,
	 * however malformed (RFC 3261 8.2.6.2), so the rest may not parse. */
	if (strcmp(rec->src, arg) || strcmp(rec->proto, "sip") ||
	    re_regex((const char *)rec->raw, rec->len,
		     "SIP/2.0 [0-9]+ [^\r\n]*", &code, &reason) ||
	    code.p != (const char *)rec->raw + 8)
		return;

	sc = pl_u32(&code);
	if (sc >= 200 && !last_scode) {
		last_scode = (uint16_t)sc;
		(void)pl_strcpy(&reason, last_reason, sizeof(last_reason));
	}
}


static void answer_one(const char *file, const char *node, uint16_t want,
		       const char *reason)
{
	struct yml *y = NULL;
	struct topo *t = NULL;
	struct peer p;
	struct le lsnr = LE_INIT;
	char path[512];

	core_up(&y, &t, &p);
	CU_ASSERT_EQUAL_FATAL(msgrec_listen(&lsnr, answer_handler,
					    (void *)node), 0);

	last_scode = 0;
	last_reason[0] = '\0';
	(void)re_snprintf(path, sizeof(path), "%s/%s.dat", TORTURE_DIR, file);
	CU_ASSERT_EQUAL(send_file(&p, path, node_addr(emul_node(node))), 0);
	test_run_for(60);

	if (last_scode != want ||
	    (reason && strcmp(last_reason, reason))) {
		(void)re_printf("\n  %s to %s: got %u %s, want %u %s\n", file,
				node, last_scode, last_reason, want,
				reason ? reason : "");
	}
	CU_ASSERT_EQUAL(last_scode, want);
	if (reason)
		CU_ASSERT_STRING_EQUAL(last_reason, reason);

	msgrec_unlisten(&lsnr);
	mem_deref(p.us);
	mem_deref(t);
	mem_deref(y);
}


static void test_answers(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(answers); i++)
		answer_one(answers[i].file, "pcscf", answers[i].scode,
			   answers[i].reason);

	/* The S-CSCF checks the message before it asks who sent it. */
	answer_one("3.1.2.16-badvers", "scscf", 505, "Version Not Supported");
	answer_one("3.3.1-insuf", "scscf", 400, "Missing To Header");
	answer_one("3.1.1.1-wsinv", "scscf", 403, "Outside the Trust Domain");
}


int test_torture_suite(void)
{
	CU_pSuite s;
	DIR *dir;

	/* The messages lie beside the project, not in it: a clone with
	 * nothing beside it has no torture test, and counts none. */
	dir = opendir(TORTURE_DIR);
	if (!dir) {
		(void)re_printf("torture: %s not found, not checked\n",
				TORTURE_DIR);
		return 0;
	}
	closedir(dir);

	s = CU_add_suite("torture", NULL, NULL);
	if (!s)
		return 1;

	return !CU_add_test(s, "RFC 4475 messages to P- and S-CSCF",
			    test_torture) ||
		!CU_add_test(s, "RFC 4475: 400, 505 and their reasons",
			     test_answers);
}
