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
#include "emul.h"
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


static void test_torture(void)
{
	struct yml *y = NULL;
	struct topo *t = NULL;
	struct peer p;
	struct sa laddr;
	struct dirent *d;
	char err[512], path[512];
	uint32_t files = 0, refused0 = netguard_refused(), rx0;
	uint32_t dropped0 = netguard_dropped();
	int res = 0;
	DIR *dir;

	memset(&p, 0, sizeof(p));

	CU_ASSERT_EQUAL_FATAL(yml_load_file(&y, "scenarios/topology.yaml",
					    err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(topo_load(&t, y, yml_root(y), err,
					sizeof(err)), 0);

	(void)sa_set_str(&laddr, "127.0.0.1", 0);
	CU_ASSERT_EQUAL_FATAL(udp_listen(&p.us, &laddr, recv_handler, &p),
			      0);

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
			    test_torture);
}
