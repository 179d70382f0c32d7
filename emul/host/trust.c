/* SPDX-License-Identifier: BSD-3-Clause */
/* The trust domain (RFC 3325, TS 24.229 4.4): which sender of a request
 * is one of the core's own nodes, known by the transport endpoint it
 * really uses, never by its IP alone.  Over UDP a node sends from its
 * SIP socket, so its address and port; over TCP it writes from an
 * ephemeral port, so only a connection imsbed itself opened counts
 * (netguard keeps them).  Peers outside the topology are named in it
 * under 'peers:' to be shown by name, and trusted only when it says so. */

#include <string.h>
#include <re.h>
#include "host.h"

struct peer {
	struct le le;
	char *name;
	struct sa addr;         /* port 0: any port of the address */
	bool trusted;
};

static struct list peers;


static void peer_destructor(void *arg)
{
	struct peer *p = arg;

	list_unlink(&p->le);
	mem_deref(p->name);
}


int emul_peer_add(const char *name, const struct sa *addr, bool trusted)
{
	struct peer *p;

	if (!name || !addr)
		return EINVAL;

	p = mem_zalloc(sizeof(*p), peer_destructor);
	if (!p)
		return ENOMEM;

	p->addr = *addr;
	p->trusted = trusted;
	if (str_dup(&p->name, name)) {
		mem_deref(p);
		return ENOMEM;
	}

	list_append(&peers, &p->le, p);

	return 0;
}


void emul_peer_flush(void)
{
	list_flush(&peers);
}


size_t emul_peer_count(void)
{
	return list_count(&peers);
}


/* A TCP peer writes from an ephemeral port whatever the topology says,
 * so over TCP its address alone names it. */
static struct peer *peer_find(const struct sa *addr, bool any_port)
{
	struct le *le;

	for (le = peers.head; le; le = le->next) {
		struct peer *p = le->data;

		if (!sa_cmp(&p->addr, addr, SA_ADDR))
			continue;
		if (any_port || !sa_port(&p->addr) ||
		    sa_port(&p->addr) == sa_port(addr))
			return p;
	}

	return NULL;
}


const char *emul_peer_name(const struct sa *addr)
{
	struct node *n = emul_node_by_addr(addr);
	struct peer *p;

	if (n)
		return node_name(n);

	p = addr ? peer_find(addr, false) : NULL;

	return p ? p->name : EMUL_EXT;
}


const char *emul_outside_name(const struct sa *addr)
{
	struct peer *p = addr ? peer_find(addr, false) : NULL;

	return p ? p->name : EMUL_EXT;
}


struct node *emul_sender_at(enum sip_transp tp, const struct sa *src,
			    const struct sa *dst)
{
	struct node *n;

	if (!src || !dst)
		return NULL;

	if (tp == SIP_TRANSP_UDP) {
		n = emul_node_by_addr(src);
		return n && sa_cmp(node_addr(n), src, SA_ALL) ? n : NULL;
	}

	/* TCP and TLS: the peer's end of a connection a node opened, or
	 * the listening end of one the receiver opened to a node (which
	 * nobody else can hold while the node listens there). */
	if (netguard_owned(src, dst))
		return emul_node_by_addr(src);

	/* an external node writes from any port, as a peer does */
	n = emul_node_by_addr(src);
	if (node_external(n))
		return n;
	if (n && sa_cmp(node_addr(n), src, SA_ALL) &&
	    netguard_owned(dst, src))
		return n;

	return NULL;
}


struct node *emul_sender(const struct sip_msg *msg)
{
	return msg ? emul_sender_at(msg->tp, &msg->src, &msg->dst) : NULL;
}


bool emul_trusted(const struct sip_msg *msg)
{
	struct node *n = emul_sender(msg);
	struct peer *p;

	if (n)
		return node_role(n) != ROLE_UE;

	p = msg ? peer_find(&msg->src, msg->tp != SIP_TRANSP_UDP) : NULL;

	return p && p->trusted;
}
