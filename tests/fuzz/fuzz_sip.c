/* SPDX-License-Identifier: BSD-3-Clause */
/* A node's SIP message path, from the socket on: the input as one UDP
 * datagram to the node its first byte picks (P-, I-, S-CSCF, AS, UE),
 * through libre's parser, wire.c's answer to what it refuses, the
 * request checks and the node's policy. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "report.h"
#include "scen.h"
#include "fuzz.h"

static struct udp_sock *us;


static void recv_handler(const struct sa *src, struct mbuf *mb, void *arg)
{
	(void)src;
	(void)mb;
	(void)arg;
}


int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct sa laddr;
	(void)argc;
	(void)argv;

	if (fuzz_core())
		return 1;

	(void)sa_set_str(&laddr, "127.0.0.1", 0);

	return udp_listen(&us, &laddr, recv_handler, NULL) ? 1 : 0;
}


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const nodes[] = {
		"pcscf", "icscf", "scscf", "as1", "ue1",
	};
	struct mbuf *mb;
	struct node *n;

	if (size < 2 || size > 65000)
		return 0;

	n = emul_node(nodes[data[0] % ARRAY_SIZE(nodes)]);
	mb = mbuf_alloc(size);
	if (!n || !mb) {
		mem_deref(mb);
		return 0;
	}

	(void)mbuf_write_mem(mb, data + 1, size - 1);
	mb->pos = 0;
	(void)udp_send(us, node_addr(n), mb);
	mem_deref(mb);

	fuzz_run(2);

	return 0;
}
