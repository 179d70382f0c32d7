/* SPDX-License-Identifier: BSD-3-Clause */
/* Faults on the wire, for scenarios that lose, repeat, delay and
 * reorder messages or take a node down.  The scenario's matcher decides
 * for each SIP message a node sends, as it is recorded (node.c's trace
 * hook, which libre calls just before it writes the datagram); the
 * verdict then applies to that one datagram in the interposed sendto():
 * dropped, written twice, written later, or held until the next one on
 * its path has gone.  A node that is down swallows what it would send
 * and what is sent to it, and refuses TCP connections.  Only UDP loses:
 * TCP is reliable, and a lost or repeated segment is not what SIP over
 * TCP ever sees. */

#include <string.h>
#include <sys/socket.h>
#include <re.h>
#include "host.h"

enum { HOLD_MAX_MS = 1000 };

/* A datagram written later: delayed, or held for a reorder. */
struct later {
	struct le le;
	struct wtmr tmr;
	int fd;
	struct sockaddr_storage to;
	socklen_t tolen;
	struct sa path;                 /* to, as an address: the path */
	size_t len;
	bool held;
	uint8_t buf[];
};

struct down {
	struct le le;
	struct sa addr;
	uint64_t until;
};

static struct {
	fault_h *h;
	void *arg;
	unsigned next;          /* the verdict for the next datagram */
	uint64_t next_delay;
	unsigned pending_mark;  /* msgrec flags for the next record */
	struct list later;
	struct list downs;
	fault_sendto_f *real;
} f;


void fault_set_handler(fault_h *h, void *arg)
{
	f.h = h;
	f.arg = arg;
	msgrec_refresh();
}


bool fault_armed(void)
{
	return f.h != NULL;
}


void msgrec_mark_next(unsigned flags)
{
	f.pending_mark |= flags;
}


/* From the trace hook: the record gets the marks the sender set and the
 * verdict of the scenario's matcher, which the next datagram obeys. */
void fault_decide(struct msgrec *rec)
{
	uint64_t delay = 0;
	unsigned v = 0;

	rec->flags |= f.pending_mark;
	f.pending_mark = 0;

	if (f.h)
		v = f.h(rec, &delay, f.arg);

	if (rec->tp != SIP_TRANSP_UDP)
		v = 0;

	rec->flags |= v;
	rec->delay_ms = delay;
	f.next = v;
	f.next_delay = delay;
}


static void later_destructor(void *arg)
{
	struct later *l = arg;

	list_unlink(&l->le);
	wtmr_cancel(&l->tmr);
}


static void later_send(void *arg)
{
	struct later *l = arg;

	if (f.real)
		(void)f.real(l->fd, l->buf, l->len, 0,
			     (struct sockaddr *)&l->to, l->tolen);
	mem_deref(l);
}


static int later_add(int fd, const void *buf, size_t len,
		     const struct sockaddr *to, socklen_t tolen,
		     uint64_t ms, bool held)
{
	struct later *l;

	if (tolen > sizeof(l->to))
		return EINVAL;

	l = mem_zalloc(sizeof(*l) + len, later_destructor);
	if (!l)
		return ENOMEM;

	l->fd = fd;
	memcpy(&l->to, to, tolen);
	l->tolen = tolen;
	(void)sa_set_sa(&l->path, to);
	l->len = len;
	l->held = held;
	memcpy(l->buf, buf, len);
	list_append(&f.later, &l->le, l);
	wtmr_start(&l->tmr, ms, later_send, l);

	return 0;
}


/* A reorder: what was held on this path goes right after this one.
 * (Addresses compare as addresses: a sockaddr's padding is anything.) */
static void release_held(int fd, const struct sockaddr *to)
{
	struct le *le = f.later.head;
	struct sa path;

	if (sa_set_sa(&path, to))
		return;

	while (le) {
		struct later *l = le->data;

		le = le->next;
		if (l->held && l->fd == fd && sa_cmp(&l->path, &path, SA_ALL))
			later_send(l);
	}
}


bool fault_is_down(const struct sa *addr)
{
	struct le *le;
	uint64_t now = clk_now();

	for (le = f.downs.head; le; ) {
		struct down *d = le->data;

		le = le->next;
		if (d->until <= now) {
			list_unlink(&d->le);
			mem_deref(d);
			continue;
		}
		if (sa_cmp(&d->addr, addr, SA_ADDR))
			return true;
	}

	return false;
}


int fault_down(const struct sa *addr, uint64_t ms)
{
	struct down *d = mem_zalloc(sizeof(*d), NULL);

	if (!d)
		return ENOMEM;

	d->addr = *addr;
	d->until = clk_now() + ms;
	list_append(&f.downs, &d->le, d);

	return 0;
}


static bool src_down(int fd)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	struct sa a;

	if (getsockname(fd, (struct sockaddr *)&ss, &sl) ||
	    sa_set_sa(&a, (struct sockaddr *)&ss))
		return false;

	return fault_is_down(&a);
}


static bool dst_down(const struct sockaddr *to)
{
	struct sa a;

	return to && !sa_set_sa(&a, to) && fault_is_down(&a);
}


/* netguard's sendto() hands every datagram here. */
ssize_t fault_sendto(fault_sendto_f *real, int fd, const void *buf,
		     size_t len, int flags, const struct sockaddr *to,
		     socklen_t tolen)
{
	unsigned v = f.next;
	ssize_t n;

	f.real = real;
	f.next = 0;

	if (f.downs.head && (src_down(fd) || dst_down(to)))
		return (ssize_t)len;

	if (v & MSGREC_LOST)
		return (ssize_t)len;

	if ((v & (MSGREC_DELAYED | MSGREC_HELD)) && to &&
	    !later_add(fd, buf, len, to, tolen, v & MSGREC_HELD ?
		       HOLD_MAX_MS : f.next_delay, v & MSGREC_HELD))
		return (ssize_t)len;

	n = real(fd, buf, len, flags, to, tolen);
	if (v & MSGREC_DUP)
		(void)real(fd, buf, len, flags, to, tolen);
	if (to && f.later.head)
		release_held(fd, to);

	return n;
}


/* A scenario's end: nothing it armed outlives it. */
void fault_flush(void)
{
	f.h = NULL;
	f.arg = NULL;
	f.next = 0;
	f.pending_mark = 0;
	list_flush(&f.later);
	list_flush(&f.downs);
	msgrec_refresh();
}
