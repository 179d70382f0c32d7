/* SPDX-License-Identifier: BSD-3-Clause */
/* Topology loading: nodes on their own loopback addresses, names that
 * resolve without DNS, foreign names and addresses that do not, and the
 * loader's errors. */

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

static const char topo_text[] =
	"domain: ims.test\n"
	"nodes:\n"
	"  - {name: ue1, role: ue, impi: u1@ims.test}\n"
	"  - {name: pcscf, role: pcscf}\n"
	"  - {name: icscf, role: icscf}\n"
	"  - {name: scscf, role: scscf, addr: '127.0.8.3:5070'}\n"
	"  - {name: as1, role: as}\n"
	"profiles: {p: {ifc: []}}\n"
	"subscribers:\n"
	"  - {impi: u1@ims.test, impu: [sip:u1@ims.test, tel:+1555],"
	" password: pw, profile: p}\n";


static int resolve(const char *uri, struct sa *sa, struct node **np)
{
	struct uri u;
	struct pl pl;

	pl_set_str(&pl, uri);
	if (uri_decode(&u, &pl))
		return EINVAL;

	return emul_resolve(sa, np, &u);
}


static void test_load_resolve(void)
{
	struct yml *y = NULL;
	struct topo *t = NULL;
	struct node *n = NULL;
	char err[256] = "";
	struct sa sa;

	CU_ASSERT_EQUAL_FATAL(yml_load_str(&y, "t.yaml", topo_text, err,
					   sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(topo_load(&t, y, yml_root(y), err,
					sizeof(err)), 0);

	/* File order gives 127.0.1.N unless the node names its address. */
	CU_ASSERT_EQUAL(resolve("sip:pcscf.ims.test;lr", &sa, &n), 0);
	CU_ASSERT_PTR_EQUAL(n, emul_node("pcscf"));
	CU_ASSERT_EQUAL(sa_port(&sa), 5060);
	CU_ASSERT_EQUAL(ntohl(sa.u.in.sin_addr.s_addr), 0x7f000102);

	CU_ASSERT_EQUAL(resolve("sip:scscf.ims.test", &sa, &n), 0);
	CU_ASSERT_EQUAL(sa_port(&sa), 5070);

	/* The home domain's entry point is the I-CSCF. */
	CU_ASSERT_EQUAL(resolve("sip:ims.test", &sa, &n), 0);
	CU_ASSERT_PTR_EQUAL(n, emul_node("icscf"));

	CU_ASSERT_EQUAL(resolve("sip:127.0.8.3:5070", &sa, &n), 0);
	CU_ASSERT_PTR_EQUAL(n, emul_node("scscf"));

	/* Nothing outside: no DNS, no foreign address. */
	CU_ASSERT_EQUAL(resolve("sip:bob@example.com", &sa, &n), ENOENT);
	CU_ASSERT_EQUAL(resolve("sip:192.0.2.1:5060", &sa, &n), ENOENT);
	CU_ASSERT_EQUAL(resolve("sip:atlanta.example.com;lr", &sa, &n),
			ENOENT);

	CU_ASSERT_PTR_NOT_NULL(topo_ue(t, "ue1"));
	CU_ASSERT_STRING_EQUAL(ue_impu(topo_ue(t, "ue1")), "sip:u1@ims.test");
	CU_ASSERT_EQUAL(ue_state(topo_ue(t, "ue1")), UE_IDLE);

	mem_deref(t);
	mem_deref(y);

	/* Teardown leaves the registry empty for the next topology. */
	CU_ASSERT_PTR_NULL(emul_nodes()->head);
	CU_ASSERT_PTR_NULL(emul_node("pcscf"));
}


static void test_errors(void)
{
	static const struct {
		const char *text;
		const char *err;
	} tv[] = {
		{"nodes: []\n",
		 "t.yaml:1:1: topology needs 'domain:', the home domain"},
		{"domain: d\nnodes:\n  - {name: a, role: hss}\n",
		 "t.yaml:3:21: unknown role 'hss' (pcscf, icscf, scscf, as or"
		 " ue)"},
		{"domain: d\nnodes:\n  - {name: a, role: as, adr: x}\n",
		 "t.yaml:3:25: unknown key 'adr' in node"},
		{"domain: d\nnodes:\n  - {name: a, role: as, addr: 'x:y'}\n",
		 "t.yaml:3:31: bad address 'x:y' (want ip or ip:port)"},
		{"domain: d\nnodes:\n  - {name: a, role: as}\n",
		 "t.yaml:3:3: topology needs a pcscf, an icscf and an scscf"
		 " node"},
		{"domain: d\nnodes:\n"
		 "  - {name: a, role: ue, external: 127.0.0.9}\n",
		 "t.yaml:3:35: node 'a': a UE cannot be external (a real UE"
		 " registers by itself)"},
		{"domain: d\nnodes:\n"
		 "  - {name: a, role: as, external: 10.0.0.9}\n",
		 "t.yaml:3:35: external '10.0.0.9' is not loopback"
		 " (127.0.0.0/8)"},
		{"domain: d\nnodes:\n"
		 "  - {name: a, role: as, external: 127.0.0.9, modules: x}\n",
		 "t.yaml:3:46: unknown key 'modules' in external node"},
		{"domain: d\nnodes:\n  - {name: p, role: pcscf}\n"
		 "  - {name: i, role: icscf}\n  - {name: s, role: scscf}\n"
		 "  - {name: u, role: ue, impi: ghost}\n",
		 "t.yaml:6:31: ue 'u': no subscriber with impi 'ghost' (and no"
		 " impu/password given)"},
	};
	struct yml *y = NULL;
	struct topo *t = NULL;
	char err[256];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tv); i++) {
		err[0] = '\0';
		CU_ASSERT_EQUAL_FATAL(yml_load_str(&y, "t.yaml", tv[i].text,
						   err, sizeof(err)), 0);
		CU_ASSERT_NOT_EQUAL(topo_load(&t, y, yml_root(y), err,
					      sizeof(err)), 0);
		CU_ASSERT_PTR_NULL(t);
		CU_ASSERT_STRING_EQUAL(err, tv[i].err);
		if (strcmp(err, tv[i].err))
			printf("\n  got: %s\n", err);
		CU_ASSERT_PTR_NULL(emul_nodes()->head);
		y = mem_deref(y);
	}
}


/* A node someone else runs: in the registry to route to and to name,
 * trusted as the core, but no socket of imsbed's and no state to ask */
static void test_external(void)
{
	static const char text[] =
		"domain: ims.test\n"
		"nodes:\n"
		"  - {name: pcscf, role: pcscf, external: '127.0.0.71'}\n"
		"  - {name: icscf, role: icscf, external: '127.0.0.72:5062'}\n"
		"  - {name: scscf, role: scscf, external: '127.0.0.73'}\n"
		"  - {name: ue1, role: ue, impi: u1@ims.test}\n"
		"subscribers:\n"
		"  - {impi: u1@ims.test, impu: sip:u1@ims.test,"
		" password: x}\n";
	struct yml *y = NULL;
	struct topo *t = NULL;
	struct node *n = NULL;
	char err[256] = "";
	struct sa sa, from, to;

	CU_ASSERT_EQUAL_FATAL(yml_load_str(&y, "t.yaml", text, err,
					   sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(topo_load(&t, y, yml_root(y), err,
					sizeof(err)), 0);

	CU_ASSERT(node_external(emul_node("icscf")));
	CU_ASSERT(!node_external(emul_node("ue1")));
	CU_ASSERT(emul_has_external());
	CU_ASSERT_PTR_NULL(node_sip(emul_node("pcscf")));

	/* the home domain's entry point is the external I-CSCF */
	CU_ASSERT_EQUAL(resolve("sip:ims.test", &sa, &n), 0);
	CU_ASSERT_PTR_EQUAL(n, emul_node("icscf"));
	CU_ASSERT_EQUAL(sa_port(&sa), 5062);

	/* over TCP it writes from any port of its address, and is itself */
	(void)sa_set_str(&from, "127.0.0.73", 40123);
	(void)sa_set_str(&to, "127.0.1.1", 5060);
	CU_ASSERT_PTR_EQUAL(emul_sender_at(SIP_TRANSP_TCP, &from, &to),
			    emul_node("scscf"));
	/* over UDP only from its own port */
	CU_ASSERT_PTR_NULL(emul_sender_at(SIP_TRANSP_UDP, &from, &to));

	mem_deref(t);
	mem_deref(y);
	CU_ASSERT_PTR_NULL(emul_nodes()->head);
	CU_ASSERT(!emul_has_external());
}


int test_topo_suite(void)
{
	CU_pSuite s = CU_add_suite("topo", NULL, NULL);

	if (!s)
		return 1;

	return !CU_add_test(s, "load and resolve", test_load_resolve) ||
		!CU_add_test(s, "errors", test_errors) ||
		!CU_add_test(s, "external nodes", test_external);
}
