/* SPDX-License-Identifier: BSD-3-Clause */
/* faults: in a scenario, what the network does to an arrow, named the
 * way expect: names arrows (from, to, method or status, cseq, and nth,
 * the occurrence, 1 by default), or a node taken down for a while:
 *
 *   faults:
 *     - {from: as1, to: scscf, status: 200, cseq: REGISTER, drop: true}
 *     - {from: pcscf, to: ue1, method: NOTIFY, duplicate: true}
 *     - {from: scscf, to: as1, method: REGISTER, delay: 0.7}
 *     - {from: ue1, to: pcscf, method: SUBSCRIBE, reorder: true}
 *     - {node: as2, down: 5}
 *
 * At the top of a scenario they hold for the whole run, in a step for
 * that step.  The host applies each verdict to its datagram (fault.c
 * there); the records carry what happened, for the ladder, the checks
 * and the page. */

#include <string.h>
#include <re.h>
#include "yml.h"
#include "host.h"
#include "sipkit.h"
#include "report.h"
#include "scen.h"
#include "engine.h"

enum { DELAY_MAX_S = 3600, DOWN_MAX_S = 86400 * 30 };

struct fault {
	struct le le;
	const yml_node *n;      /* for the messages */
	const char *from, *to, *method, *cseq;
	uint16_t status;
	uint32_t nth, seen;
	unsigned verdict;
	uint64_t delay_ms;
	bool step;              /* goes with its step */
};

static const char *const keys[] = {
	"from", "to", "method", "status", "cseq", "nth", "drop",
	"duplicate", "delay", "reorder", "node", "down", NULL
};


static int check_what(const struct yml *y, const yml_node *f, char *err,
		      size_t sz)
{
	static const char *const acts[] = {
		"drop", "duplicate", "delay", "reorder", "down"
	};
	size_t i, n = 0;
	double d;
	bool b;

	for (i = 0; i < ARRAY_SIZE(acts); i++)
		n += yml_get(y, f, acts[i]) != NULL;
	if (n != 1)
		return yml_err(y, f, err, sz, "a fault does one thing: drop,"
			       " duplicate, delay, reorder or down");

	if ((yml_get(y, f, "drop") &&
	     yml_bool(y, yml_get(y, f, "drop"), "drop", &b, err, sz)) ||
	    (yml_get(y, f, "duplicate") &&
	     yml_bool(y, yml_get(y, f, "duplicate"), "duplicate", &b, err,
		      sz)) ||
	    (yml_get(y, f, "reorder") &&
	     yml_bool(y, yml_get(y, f, "reorder"), "reorder", &b, err, sz)))
		return EINVAL;

	if (yml_get(y, f, "delay") &&
	    (yml_double(y, yml_get(y, f, "delay"), "delay", &d, err, sz) ||
	     d > DELAY_MAX_S))
		return yml_err(y, yml_get(y, f, "delay"), err, sz,
			       "delay must be 0 to %u seconds", DELAY_MAX_S);

	if (yml_get(y, f, "down") &&
	    (yml_double(y, yml_get(y, f, "down"), "down", &d, err, sz) ||
	     d > DOWN_MAX_S))
		return yml_err(y, yml_get(y, f, "down"), err, sz,
			       "down must be 0 to %u seconds", DOWN_MAX_S);

	return 0;
}


static int check_node_name(const struct yml *y, const yml_node *n,
			   const char *what, char *err, size_t sz)
{
	const char *name = yml_str(n);

	if (!name || !emul_node(name))
		return yml_err(y, n, err, sz, "%s: unknown node '%s'", what,
			       name ? name : "");

	return 0;
}


static int check_one(const struct yml *y, const yml_node *f, char *err,
		     size_t sz)
{
	uint32_t u;

	if (yml_check_keys(y, f, keys, "fault", err, sz) ||
	    check_what(y, f, err, sz))
		return EINVAL;

	if (yml_get(y, f, "down")) {
		if (!yml_get(y, f, "node"))
			return yml_err(y, f, err, sz, "down needs the node");
		return check_node_name(y, yml_get(y, f, "node"), "node", err,
				       sz);
	}

	if (yml_get(y, f, "node"))
		return yml_err(y, yml_get(y, f, "node"), err, sz,
			       "node goes with down; an arrow is from, to");

	if (!yml_get(y, f, "from") || !yml_get(y, f, "to"))
		return yml_err(y, f, err, sz, "a fault names its arrow with"
			       " from and to");
	if (check_node_name(y, yml_get(y, f, "from"), "from", err, sz) ||
	    check_node_name(y, yml_get(y, f, "to"), "to", err, sz))
		return EINVAL;
	if (!yml_get(y, f, "method") == !yml_get(y, f, "status"))
		return yml_err(y, f, err, sz, "a fault's arrow needs either"
			       " method or status");
	if (yml_get(y, f, "status") &&
	    (yml_uint(y, yml_get(y, f, "status"), "status", &u, err, sz) ||
	     u < 100 || u > 699))
		return yml_err(y, yml_get(y, f, "status"), err, sz,
			       "status must be a SIP status code 100-699");
	if (yml_get(y, f, "nth") &&
	    (yml_uint(y, yml_get(y, f, "nth"), "nth", &u, err, sz) || !u))
		return yml_err(y, yml_get(y, f, "nth"), err, sz,
			       "nth counts from 1");

	return 0;
}


int fault_check(const struct yml *y, const yml_node *list, char *err,
		size_t sz)
{
	size_t i;

	if (!list)
		return 0;

	if (!yml_is_seq(list))
		return yml_err(y, list, err, sz, "faults must be a list");

	for (i = 0; i < yml_count(list); i++) {
		if (check_one(y, yml_item(y, list, i), err, sz))
			return EINVAL;
	}

	return 0;
}


static void fault_destructor(void *arg)
{
	struct fault *f = arg;

	list_unlink(&f->le);
}


static void take_down(const struct yml *y, const yml_node *n)
{
	struct node *node = emul_node(yml_str(yml_get(y, n, "node")));
	double secs = 0;

	(void)yml_double(y, yml_get(y, n, "down"), "down", &secs, NULL, 0);
	if (node)
		(void)fault_down(node_addr(node), (uint64_t)(secs * 1000));
}


/* The faults of a list, armed: step says whether they end with it. */
int fault_arm(struct engine *e, const yml_node *list, bool step)
{
	const struct yml *y = e->y;
	size_t i;

	for (i = 0; list && i < yml_count(list); i++) {
		const yml_node *n = yml_item(y, list, i);
		struct fault *f;
		double d = 0;

		if (yml_get(y, n, "down")) {
			take_down(y, n);
			continue;
		}

		f = mem_zalloc(sizeof(*f), fault_destructor);
		if (!f)
			return ENOMEM;

		f->n = n;
		f->step = step;
		f->from = yml_str(yml_get(y, n, "from"));
		f->to = yml_str(yml_get(y, n, "to"));
		f->method = yml_str(yml_get(y, n, "method"));
		f->cseq = yml_str(yml_get(y, n, "cseq"));
		f->status = (uint16_t)act_uint(y, n, "status", 0);
		f->nth = act_uint(y, n, "nth", 1);
		if (act_bool(y, n, "drop", false))
			f->verdict = MSGREC_LOST;
		else if (act_bool(y, n, "duplicate", false))
			f->verdict = MSGREC_DUP;
		else if (act_bool(y, n, "reorder", false))
			f->verdict = MSGREC_HELD;
		else if (yml_get(y, n, "delay")) {
			(void)yml_double(y, yml_get(y, n, "delay"), "delay",
					 &d, NULL, 0);
			f->verdict = MSGREC_DELAYED;
			f->delay_ms = (uint64_t)(d * 1000);
		}
		list_append(&e->faults, &f->le, f);
	}

	return 0;
}


/* One fault from outside the scenario, for the whole run. */
int fault_inject(struct engine *e, const struct scen_fault *sf)
{
	struct fault *f = mem_zalloc(sizeof(*f), fault_destructor);

	if (!f)
		return ENOMEM;

	f->from = sf->from;
	f->to = sf->to;
	f->method = sf->method[0] ? sf->method : NULL;
	f->status = sf->status;
	f->cseq = sf->cseq[0] ? sf->cseq : NULL;
	f->nth = sf->nth ? sf->nth : 1;
	f->verdict = sf->verdict;
	list_append(&e->faults, &f->le, f);

	return 0;
}


/* A step's faults end with it; the run's stay. */
void fault_step_end(struct engine *e)
{
	struct le *le = e->faults.head;

	while (le) {
		struct fault *f = le->data;

		le = le->next;
		if (f->step)
			mem_deref(f);
	}
}


static bool arrow_of(const struct fault *f, const struct sip_msg *m)
{
	if (f->method && (!m->req || pl_strcmp(&m->met, f->method)))
		return false;
	if (f->status && (m->req || m->scode != f->status))
		return false;
	if (f->cseq && pl_strcmp(&m->cseq.met, f->cseq))
		return false;

	return true;
}


/* The host asks for each SIP message a node sends. */
static unsigned verdict(const struct msgrec *rec, uint64_t *delay_ms,
			void *arg)
{
	struct engine *e = arg;
	struct sip_msg *m = NULL;
	struct mbuf *mb;
	struct le *le;
	unsigned v = 0;
	int err;

	if (!e->faults.head || str_cmp(rec->proto, "sip"))
		return 0;

	mb = mbuf_alloc(rec->len);
	if (!mb)
		return 0;
	err = mbuf_write_mem(mb, rec->raw, rec->len);
	mb->pos = 0;
	if (!err)
		err = sip_msg_decode(&m, mb);
	mem_deref(mb);
	if (err)
		return 0;

	for (le = e->faults.head; le && !v; le = le->next) {
		struct fault *f = le->data;

		if (str_cmp(f->from, rec->src) || str_cmp(f->to, rec->dst) ||
		    !arrow_of(f, m) || ++f->seen != f->nth)
			continue;

		v = f->verdict;
		*delay_ms = f->delay_ms;
	}

	mem_deref(m);
	return v;
}


void fault_start(struct engine *e)
{
	fault_set_handler(verdict, e);
}


void fault_stop(struct engine *e)
{
	list_flush(&e->faults);
	fault_flush();
}
