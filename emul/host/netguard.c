/* SPDX-License-Identifier: BSD-3-Clause */
/* The last line of containment: imsbed interposes sendto(2), sendmsg(2)
 * and connect(2) for the whole process (libre's calls resolve to these),
 * so no datagram or connection ever leaves for an address outside
 * 127.0.0.0/8, whatever a message asked for.  The policy layers above
 * (emul_resolve, the proxy core) refuse first and log; this counts what
 * would have slipped past them.
 *
 * The same interposition remembers every TCP connection the process
 * opens, by its two endpoints, until it is closed: a node's TCP peer
 * writes from an ephemeral port of its address, and only a connection
 * one of imsbed's own nodes opened proves it is that node (anyone may
 * bind a node's IP on another port). */

#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <re.h>
#include "host.h"

/* A TCP connection this process opened. */
struct owned {
	struct le he;
	int fd;
	struct sa local;
	struct sa remote;
};

static uint32_t refused;
static struct hash *owned_ht;
static struct owned **owned_fd;         /* by descriptor */
static size_t owned_fdn;
static uint32_t next_port;
static uint32_t dropped;
static struct sa bind_hint;


static bool sockaddr_ok(const struct sockaddr *to)
{
	if (!to)
		return true;   /* connected socket: its peer passed connect */

	switch (to->sa_family) {

	case AF_INET: {
		const struct sockaddr_in *in = (const void *)to;

		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}

	case AF_INET6: {
		const struct sockaddr_in6 *in6 = (const void *)to;

		return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr) ||
		       (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) &&
			in6->sin6_addr.s6_addr[12] == 127);
	}

	case AF_UNIX:
	case AF_UNSPEC:
		return true;

	default:
		return false;
	}
}


bool netguard_allowed(const struct sa *dst)
{
	return dst && sockaddr_ok(&dst->u.sa);
}


uint32_t netguard_refused(void)
{
	return refused;
}


/* The policy layers count what they refused to route outside. */
void netguard_note_drop(void)
{
	++dropped;
}


uint32_t netguard_dropped(void)
{
	return dropped;
}


static int refuse(const char *what)
{
	++refused;
	elog(LOG_WARN, "host", "netguard",
	     "refused %s to an address outside 127.0.0.0/8", what);
	errno = ENETUNREACH;

	return -1;
}


ssize_t sendto(int fd, const void *buf, size_t len, int flags,
	       const struct sockaddr *to, socklen_t tolen)
{
	static ssize_t (*real)(int, const void *, size_t, int,
			       const struct sockaddr *, socklen_t);

	if (!sockaddr_ok(to))
		return refuse("a datagram");

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "sendto");

	return fault_sendto(real, fd, buf, len, flags, to, tolen);
}


ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	static ssize_t (*real)(int, const struct msghdr *, int);

	if (msg && !sockaddr_ok(msg->msg_name))
		return refuse("a datagram");

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "sendmsg");

	return real(fd, msg, flags);
}


/* libre's SIP transport opens TCP connections without binding them, so
 * the kernel would give every node the source address 127.0.0.1.  The
 * node that is sending says which address it is (netguard_bind_hint)
 * for the duration of the call, and the connection is bound to it: a
 * TCP flow then shows its node's address, as a UDP one does. */
void netguard_bind_hint(const struct sa *laddr)
{
	if (laddr)
		bind_hint = *laddr;
	else
		sa_init(&bind_hint, AF_UNSPEC);
}


static void bind_to_hint(int fd, const struct sockaddr *to)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct sa local;

	if (!to || to->sa_family != AF_INET ||
	    sa_af(&bind_hint) != AF_INET)
		return;

	if (getsockname(fd, (struct sockaddr *)&ss, &len) ||
	    ((struct sockaddr_in *)&ss)->sin_port != 0)
		return;

	local = bind_hint;
	sa_set_port(&local, netguard_port());
	while (bind(fd, &local.u.sa, local.len) && errno == EADDRINUSE &&
	       sa_port(&local))
		sa_set_port(&local, netguard_port());
}


/* A seeded run (--seed) takes its TCP source ports in order, so that
 * the trace repeats; otherwise the kernel picks (0). */
uint16_t netguard_port(void)
{
	if (!emul_seeded())
		return 0;

	return (uint16_t)(40000 + (next_port++ % 20000));
}


static void forget(int fd)
{
	struct owned *o;

	if (fd < 0 || (size_t)fd >= owned_fdn || !owned_fd[fd])
		return;

	o = owned_fd[fd];
	owned_fd[fd] = NULL;
	hash_unlink(&o->he);
	mem_deref(o);
}


static void remember(int fd, const struct sockaddr *to, socklen_t tolen)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int type = 0;
	socklen_t tlen = sizeof(type);
	struct owned *o;

	if (!to || (to->sa_family != AF_INET && to->sa_family != AF_INET6) ||
	    getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tlen) ||
	    type != SOCK_STREAM ||
	    getsockname(fd, (struct sockaddr *)&ss, &len))
		return;

	if (!owned_ht && hash_alloc(&owned_ht, 1024))
		return;

	if ((size_t)fd >= owned_fdn) {
		size_t n = MAX((size_t)fd + 1, 2 * owned_fdn);
		struct owned **v = owned_fd ?
			mem_realloc(owned_fd, n * sizeof(*v)) :
			mem_alloc(n * sizeof(*v), NULL);

		if (!v)
			return;
		memset(v + owned_fdn, 0, (n - owned_fdn) * sizeof(*v));
		owned_fd = v;
		owned_fdn = n;
	}

	forget(fd);
	o = mem_zalloc(sizeof(*o), NULL);
	if (!o)
		return;

	o->fd = fd;
	(void)sa_set_sa(&o->local, (struct sockaddr *)&ss);
	(void)sa_set_sa(&o->remote, to);
	(void)tolen;
	owned_fd[fd] = o;
	hash_append(owned_ht, sa_hash(&o->local, SA_ALL), &o->he, o);
}


struct owned_key {
	const struct sa *local;
	const struct sa *remote;
};


static bool owned_cmp(struct le *le, void *arg)
{
	const struct owned *o = le->data;
	const struct owned_key *k = arg;

	return sa_cmp(&o->local, k->local, SA_ALL) &&
		sa_cmp(&o->remote, k->remote, SA_ALL);
}


bool netguard_owned(const struct sa *local, const struct sa *remote)
{
	struct owned_key k = {local, remote};

	if (!owned_ht || !local || !remote)
		return false;

	return NULL != hash_lookup(owned_ht, sa_hash(local, SA_ALL),
				   owned_cmp, &k);
}


/* The virtual clock takes an empty poll for "nothing in flight", which
 * holds for a stream only if a segment leaves when send() returns:
 * Nagle's algorithm would keep a small one back until the peer ACKs the
 * last, and the peer's delayed ACK waits 40 ms of real time, an age on
 * the virtual clock (a response relayed on a connection the other side
 * opened, which had just carried one).  Accepted connections take it
 * from their listening socket. */
static void nodelay(int fd)
{
	int on = 1;

	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
}


int connect(int fd, const struct sockaddr *to, socklen_t tolen)
{
	static int (*real)(int, const struct sockaddr *, socklen_t);
	int r, e;

	if (!sockaddr_ok(to))
		return refuse("a connection");

	/* A node a scenario took down refuses, as a closed port does. */
	{
		struct sa a;

		if (!sa_set_sa(&a, to) && fault_is_down(&a)) {
			errno = ECONNREFUSED;
			return -1;
		}
	}

	bind_to_hint(fd, to);
	nodelay(fd);

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "connect");

	r = real(fd, to, tolen);
	e = errno;
	if (r == 0 || e == EINPROGRESS)
		remember(fd, to, tolen);
	errno = e;

	return r;
}


/* libre listens with a backlog of 5 (tcp_sock_listen in tcp_listen):
 * under load a burst of connections, SIP or HTTP, overflows it and the
 * kernel drops SYNs that come back only after its retransmission timer
 * (1,500 sequential HTTP connections took 132 s).  Every listening
 * socket of the process gets the kernel's own limit instead. */
int listen(int fd, int backlog)
{
	static int (*real)(int, int);

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "listen");
	nodelay(fd);

	return real(fd, backlog < SOMAXCONN ? SOMAXCONN : backlog);
}


int close(int fd)
{
	static int (*real)(int);

	forget(fd);

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "close");

	return real(fd);
}


/* At exit, for leak checkers: what is still open is the process's. */
void netguard_flush(void)
{
	size_t i;

	for (i = 0; i < owned_fdn; i++)
		forget((int)i);
	owned_fd = mem_deref(owned_fd);
	owned_fdn = 0;
	owned_ht = mem_deref(owned_ht);
}
