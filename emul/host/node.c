/* SPDX-License-Identifier: BSD-3-Clause */
/* The node registry, the host's one global: every emulated node with its
 * own SIP stack bound to its own loopback address, found by name or by
 * address.  Names resolve through it, never through DNS. */

#include <string.h>
#include <re.h>
#include "host.h"

struct node {
	struct le le;           /* registry list */
	struct le he;           /* by-IP hash */
	struct le he_name;      /* by-name hash, by its name */
	struct le he_host;      /* ... and by name.domain */
	char *name;
	char *host;             /* name.domain */
	enum node_role role;
	unsigned flags;
	struct sa addr;
	struct sip *sip;
	struct sip_lsnr *lsnr_req;
	struct sip_lsnr *lsnr_resp;
	void *stack;            /* the layer beneath the node's handlers */
	node_tap_h *tap;
	void *impl;
	const struct node_ops *ops;
};

static struct {
	struct list nodes;
	bool tracing;           /* someone records, or a fault is armed */
	struct hash *by_ip;
	struct hash *by_name;
	char *domain;
} reg;


static void destructor(void *arg)
{
	struct node *n = arg;

	list_unlink(&n->le);
	hash_unlink(&n->he);
	hash_unlink(&n->he_name);
	hash_unlink(&n->he_host);
	n->lsnr_req = mem_deref(n->lsnr_req);
	n->lsnr_resp = mem_deref(n->lsnr_resp);
	n->stack = mem_deref(n->stack);
	if (n->sip)
		sip_close(n->sip, true);
	n->sip = mem_deref(n->sip);
	mem_deref(n->name);
	mem_deref(n->host);
}


/* Every node records what it sends; what arrives from outside the
 * topology (an external UE, SIPp) no node sent, so the receiving node
 * records that too, from 'ext', or the ladder of a served run would
 * begin at the P-CSCF's first forward. */
static void trace_handler(bool tx, enum sip_transp tp, const struct sa *src,
			  const struct sa *dst, const uint8_t *pkt,
			  size_t len, void *arg)
{
	struct node *n = arg, *from;
	struct msgrec rec;

	if (!n)
		return;
	/* an external node sends with no imsbed stack to record it */
	from = tx ? NULL : emul_sender_at(tp, src, dst);
	if (from && !node_external(from))
		return;

	memset(&rec, 0, sizeof(rec));
	rec.t = emul_time();
	rec.proto = "sip";
	rec.tp = tp;
	rec.src = tx ? n->name : from ? from->name : emul_outside_name(src);
	rec.dst = tx ? emul_peer_name(dst) : n->name;
	rec.src_addr = tx && !src ? n->addr : *src;
	rec.dst_addr = !tx && !dst ? n->addr : *dst;
	rec.raw = pkt;
	rec.len = len;

	/* What a scenario's fault does to it, before anyone records it. */
	if (tx)
		fault_decide(&rec);

	msgrec_emit(&rec);
}


static void exit_handler(void *arg)
{
	(void)arg;
}


static bool request_handler(const struct sip_msg *msg, void *arg)
{
	struct node *n = arg;

	if (n->tap && n->tap(msg, n->stack))
		return true;

	if (n->ops && n->ops->reqh && n->ops->reqh(msg, n->impl))
		return true;

	/* A node kind that takes no requests still answers them, so that a
	 * peer never waits for Timer F. */
	if (pl_strcmp(&msg->met, "ACK"))
		(void)sip_reply(n->sip, msg, 501, "Not Implemented");

	return true;
}


static bool response_handler(const struct sip_msg *msg, void *arg)
{
	struct node *n = arg;

	if (n->tap && n->tap(msg, n->stack))
		return true;

	if (n->ops && n->ops->resph && n->ops->resph(msg, n->impl))
		return true;

	elog(LOG_INFO, n->name, "sip", "stray response %u %r dropped",
	     msg->scode, &msg->cseq.met);

	return true;
}


/* The registry's hash tables, made with its first node. */
static int registry_init(void)
{
	int err;

	if (!reg.by_ip) {
		err = hash_alloc(&reg.by_ip, 64);
		if (err)
			return err;
	}

	if (!reg.by_name) {
		err = hash_alloc(&reg.by_name, 64);
		if (err)
			return err;
	}

	return 0;
}


/* The node's SIP stack on its own address, its sockets and listeners. */
static int node_listen(struct node *n)
{
	/* UEs see a handful of transactions; the core sees them all. */
	uint32_t hsz = n->role == ROLE_UE ? 4 : 256;
	int err;

	err = sip_alloc(&n->sip, NULL, hsz, hsz, hsz, "imsbed", exit_handler,
			n);
	if (err)
		return err;

	/* A node that is down keeps its place and address in the topology
	 * (so that routing to it is tried) but opens no socket: UDP sends
	 * to it vanish, TCP connections to it are refused. */
	if (n->flags & NODE_DOWN) {
		struct sa any;

		/* The stack still needs transports for its own requests. */
		(void)sa_set_str(&any, "127.0.0.1", 0);
		err  = sip_transp_add(n->sip, SIP_TRANSP_UDP, &any);
		err |= sip_transp_add(n->sip, SIP_TRANSP_TCP, &any);
		return err;
	}

	/* wire.c sees what libre's parser refuses on this socket. */
	wire_listen_hint(n);
	err = sip_transp_add(n->sip, SIP_TRANSP_UDP, &n->addr);
	wire_listen_hint(NULL);
	if (err)
		return err;

	/* Every node listens on TCP too: RFC 3261 18.1.1 sends large
	 * requests over TCP whatever the node prefers.  The benchmark's
	 * thousands of UEs would run out of descriptors, and never get a
	 * large request. */
	if (!(n->flags & NODE_LEAN)) {
		err = sip_transp_add(n->sip, SIP_TRANSP_TCP, &n->addr);
		if (err)
			return err;
	}

	err = sip_listen(&n->lsnr_req, n->sip, true, request_handler, n);
	if (err)
		return err;

	err = sip_listen(&n->lsnr_resp, n->sip, false, response_handler, n);
	if (err)
		return err;

	if (reg.tracing)
		sip_set_trace_handler(n->sip, trace_handler);

	return 0;
}


bool node_external(const struct node *n)
{
	return n && (n->flags & NODE_EXTERNAL);
}


bool emul_has_external(void)
{
	struct le *le;

	for (le = reg.nodes.head; le; le = le->next) {
		if (node_external(le->data))
			return true;
	}

	return false;
}


bool node_tracing(void)
{
	return reg.tracing;
}


/* libre's trace hook costs a getsockname() for every UDP datagram sent,
 * so the nodes carry it only while a record is wanted. */
void node_trace(bool on)
{
	struct le *le;

	reg.tracing = on;
	for (le = reg.nodes.head; le; le = le->next) {
		struct node *n = le->data;

		if (n->sip)
			sip_set_trace_handler(n->sip, on ? trace_handler :
					      NULL);
	}
}


int node_alloc(struct node **np, const char *name, enum node_role role,
	       const struct sa *addr, const char *domain, unsigned flags)
{
	struct node *n;
	int err;

	if (!np || !name || !addr || !domain)
		return EINVAL;

	err = registry_init();
	if (err)
		return err;

	n = mem_zalloc(sizeof(*n), destructor);
	if (!n)
		return ENOMEM;

	n->role = role;
	n->flags = flags;
	n->addr = *addr;
	list_append(&reg.nodes, &n->le, n);
	hash_append(reg.by_ip, sa_hash(addr, SA_ADDR), &n->he, n);

	err = str_dup(&n->name, name);
	err |= re_sdprintf(&n->host, "%s.%s", name, domain) ? ENOMEM : 0;
	if (err)
		goto out;

	/* Resolving a next hop is per message: by hash, not by a walk. */
	hash_append(reg.by_name, hash_joaat_str_ci(n->name), &n->he_name, n);
	hash_append(reg.by_name, hash_joaat_str_ci(n->host), &n->he_host, n);

	if (!(flags & NODE_EXTERNAL))
		err = node_listen(n);

 out:
	if (err)
		mem_deref(n);
	else
		*np = n;

	return err;
}


/* The layer between the node's SIP stack and its handlers (the
 * transaction layer): it sees every message first and keeps what it
 * takes; the node owns it and frees it before the stack. */
void node_set_stack(struct node *n, void *stack, node_tap_h *tap)
{
	if (!n)
		return;

	mem_deref(n->stack);
	n->stack = stack;
	n->tap = tap;
}


void *node_stack(const struct node *n)
{
	return n ? n->stack : NULL;
}


void node_set_impl(struct node *n, void *impl, const struct node_ops *ops)
{
	if (!n)
		return;

	n->impl = impl;
	n->ops = ops;
}


const char *node_name(const struct node *n)
{
	return n ? n->name : "";
}


const char *node_host(const struct node *n)
{
	return n ? n->host : "";
}


enum node_role node_role(const struct node *n)
{
	return n ? n->role : ROLE_UE;
}


bool node_tcp(const struct node *n)
{
	return n && (n->flags & NODE_TCP);
}


const struct sa *node_addr(const struct node *n)
{
	return n ? &n->addr : NULL;
}


struct sip *node_sip(const struct node *n)
{
	return n ? n->sip : NULL;
}


void *node_impl(const struct node *n)
{
	return n ? n->impl : NULL;
}


static const char *const role_names[] = {
	[ROLE_PCSCF] = "pcscf",
	[ROLE_ICSCF] = "icscf",
	[ROLE_SCSCF] = "scscf",
	[ROLE_AS]    = "as",
	[ROLE_UE]    = "ue",
	[ROLE_HSS]   = "hss",
};


const char *node_role_name(enum node_role r)
{
	return (size_t)r < ARRAY_SIZE(role_names) ? role_names[r] : "?";
}


int node_role_decode(enum node_role *rp, const char *s)
{
	size_t i;

	for (i = 0; s && i < ARRAY_SIZE(role_names); i++) {
		if (!strcmp(s, role_names[i])) {
			*rp = (enum node_role)i;
			return 0;
		}
	}

	return EINVAL;
}


int node_query(struct re_printf *pf, const struct node *n, const char *what,
	       const char *arg)
{
	if (!n || !n->ops || !n->ops->query)
		return ENOTSUP;

	return n->ops->query(pf, n->impl, what, arg);
}


static bool name_cmp(struct le *le, void *arg)
{
	const struct node *n = le->data;
	const struct pl *name = arg;

	return !pl_strcasecmp(name, n->name) || !pl_strcasecmp(name, n->host);
}


/* A node by its name or name.domain, without case. */
static struct node *by_name(const struct pl *name)
{
	if (!reg.by_name || !name)
		return NULL;

	return list_ledata(hash_lookup(reg.by_name, hash_joaat_pl_ci(name),
				       name_cmp, (void *)name));
}


struct node *emul_node(const char *name)
{
	struct node *n;
	struct pl pl;

	if (!name)
		return NULL;

	pl_set_str(&pl, name);
	n = by_name(&pl);

	/* SIP hosts ignore case, so node names do too: "Alice" and
	 * "alice" would be one next hop and are one node. */
	return n && !str_casecmp(n->name, name) ? n : NULL;
}


struct node *emul_node_by_addr(const struct sa *addr)
{
	struct node *ipmatch = NULL;
	struct le *le;

	if (!addr || !reg.by_ip)
		return NULL;

	le = list_head(hash_list(reg.by_ip, sa_hash(addr, SA_ADDR)));
	for (; le; le = le->next) {
		struct node *n = le->data;

		if (!sa_cmp(&n->addr, addr, SA_ADDR))
			continue;

		if (sa_port(&n->addr) == sa_port(addr))
			return n;

		/* A TCP peer writes from an ephemeral port. */
		if (!ipmatch)
			ipmatch = n;
	}

	return ipmatch;
}


struct node *emul_node_by_role(enum node_role r)
{
	struct le *le;

	for (le = reg.nodes.head; le; le = le->next) {
		struct node *n = le->data;

		if (n->role == r)
			return n;
	}

	return NULL;
}


struct list *emul_nodes(void)
{
	return &reg.nodes;
}


/* Nodes in the registry: a test suite that leaves one behind leaks it,
 * with its SIP stack and sockets. */
size_t node_count(void)
{
	return list_count(&reg.nodes);
}


void emul_flush(void)
{
	list_flush(&reg.nodes);
	reg.by_ip = mem_deref(reg.by_ip);
	reg.by_name = mem_deref(reg.by_name);
	reg.domain = mem_deref(reg.domain);
}


void emul_set_domain(const char *domain)
{
	reg.domain = mem_deref(reg.domain);
	(void)str_dup(&reg.domain, domain);
}


const char *emul_domain(void)
{
	return reg.domain ? reg.domain : "";
}


int emul_resolve(struct sa *addr, struct node **np, const struct uri *uri)
{
	struct node *n = NULL;
	struct sa sa;
	size_t dl;

	if (!addr || !uri)
		return EINVAL;

	if (!sa_set(&sa, &uri->host, uri->port ? uri->port : SIP_PORT)) {
		/* A literal address is fine when it is loopback: a node,
		 * or an external UE that registered through the P-CSCF. */
		if (!netguard_allowed(&sa))
			return ENOENT;
		n = emul_node_by_addr(&sa);
		if (n && !sa_cmp(node_addr(n), &sa, SA_ADDR))
			n = NULL;
		*addr = sa;
		goto out;
	}

	dl = str_len(reg.domain);
	if (dl && !pl_strcasecmp(&uri->host, reg.domain)) {
		/* The home domain's entry point is the I-CSCF (the role
		 * DNS NAPTR/SRV would give it in a real network). */
		n = emul_node_by_role(ROLE_ICSCF);
	}
	else {
		n = by_name(&uri->host);
	}

	if (!n)
		return ENOENT;

	*addr = n->addr;
	if (uri->port)
		sa_set_port(addr, uri->port);

 out:
	if (np)
		*np = n;

	return 0;
}
