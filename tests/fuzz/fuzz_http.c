/* SPDX-License-Identifier: BSD-3-Clause */
/* The HTTP API of an AS's GM module: the input written on a connection
 * to it, through libre's HTTP server, the module's routing, the bearer
 * check and the address book's JSON. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "report.h"
#include "scen.h"
#include "fuzz.h"

struct conn {
	struct tcp_conn *tc;
	const uint8_t *data;
	size_t size;
	bool done;
};


static void estab_handler(void *arg)
{
	struct conn *c = arg;
	struct mbuf *mb = mbuf_alloc(c->size);

	if (!mb)
		return;
	(void)mbuf_write_mem(mb, c->data, c->size);
	mb->pos = 0;
	(void)tcp_send(c->tc, mb);
	mem_deref(mb);
}


static void recv_handler(struct mbuf *mb, void *arg)
{
	(void)mb;
	(void)arg;
}


static void close_handler(int err, void *arg)
{
	struct conn *c = arg;
	(void)err;

	c->done = true;
	re_cancel();
}


int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;

	return fuzz_core() ? 1 : 0;
}


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conn c;
	struct sa dst;

	if (!size || size > 65536)
		return 0;

	memset(&c, 0, sizeof(c));
	c.data = data;
	c.size = size;
	(void)sa_set_str(&dst, "127.0.1.4", 8081);
	if (tcp_connect(&c.tc, &dst, estab_handler, recv_handler,
			close_handler, &c))
		return 0;

	fuzz_run(5);
	c.tc = mem_deref(c.tc);

	return 0;
}
