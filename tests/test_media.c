/* SPDX-License-Identifier: BSD-3-Clause */
/* SRTP between two phones' media streams, through a relay that sends
 * every packet twice (a network that duplicates) and then one with a
 * flipped payload bit (a forger): the duplicates are replays, the
 * forgery an authentication failure, and the two are counted apart. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "report.h"
#include "scen.h"
#include "../ue/media.h"
#include "tests.h"

struct relay {
	struct udp_sock *us;
	struct sa to;
	uint32_t packets;
	bool corrupt;
};


static void relay_recv(const struct sa *src, struct mbuf *mb, void *arg)
{
	struct relay *r = arg;
	size_t pos = mb->pos;
	(void)src;

	++r->packets;
	(void)udp_send(r->us, &r->to, mb);
	mb->pos = pos;
	(void)udp_send(r->us, &r->to, mb);

	/* One more, the same packet with a payload bit flipped: a fresh
	 * sequence number is needed for the tag to be what fails, so it
	 * goes before the original ever arrives on a later packet. */
	if (r->corrupt && r->packets == 3) {
		mb->pos = pos;
		mb->buf[mb->pos + 20] ^= 0x01;
		mb->buf[mb->pos + 3] ^= 0x40;   /* another seq */
		(void)udp_send(r->us, &r->to, mb);
	}
}


static void test_replays(void)
{
	struct node *na = NULL, *nb = NULL;
	struct media *a = NULL, *b = NULL;
	struct relay r;
	struct sa addr, nowhere;
	uint32_t sent, rcvd, fail;

	memset(&r, 0, sizeof(r));
	r.corrupt = true;
	(void)sa_set_str(&addr, "127.0.3.1", 5060);
	CU_ASSERT_EQUAL_FATAL(node_alloc(&na, "pa", ROLE_UE, &addr,
					 "ims.test", NODE_LEAN), 0);
	(void)sa_set_str(&addr, "127.0.3.2", 5060);
	CU_ASSERT_EQUAL_FATAL(node_alloc(&nb, "pb", ROLE_UE, &addr,
					 "ims.test", NODE_LEAN), 0);
	CU_ASSERT_EQUAL_FATAL(media_alloc(&a, na), 0);
	CU_ASSERT_EQUAL_FATAL(media_alloc(&b, nb), 0);

	(void)sa_set_str(&addr, "127.0.3.3", 0);
	CU_ASSERT_EQUAL_FATAL(udp_listen(&r.us, &addr, relay_recv, &r), 0);
	CU_ASSERT_EQUAL_FATAL(udp_local_get(r.us, &addr), 0);
	r.to = *media_laddr(b);
	(void)sa_set_str(&nowhere, "127.0.3.4", 9);

	/* a sends to the relay with its own key; b listens with a's. */
	CU_ASSERT_EQUAL(media_start(a, &addr, media_key(b)), 0);
	CU_ASSERT_EQUAL(media_start(b, &nowhere, media_key(a)), 0);
	test_run_for(200);

	/* a stops sending; what is in flight arrives before the counts. */
	media_stop(a);
	test_run_for(100);

	media_counts(b, &sent, &rcvd, &fail);
	CU_ASSERT(r.packets >= 5);
	CU_ASSERT_EQUAL(rcvd, r.packets);
	CU_ASSERT_EQUAL(media_replays(b), r.packets);
	CU_ASSERT_EQUAL(fail, 1);

	media_stop(b);
	mem_deref(r.us);
	mem_deref(a);
	mem_deref(b);
	mem_deref(na);
	mem_deref(nb);
	CU_ASSERT_PTR_NULL(emul_nodes()->head);
}


int test_media_suite(void)
{
	CU_pSuite s = CU_add_suite("media", NULL, NULL);

	if (!s)
		return 1;

	return !CU_add_test(s, "SRTP replays apart from forgeries",
			    test_replays);
}
