/* SPDX-License-Identifier: BSD-3-Clause */
/* The scenario engine: loads a scenario and its topology, runs its steps
 * one after the other on the event loop (an action, then the network
 * settles), records every message, and checks the expected ladders and
 * node states.  The first failing step ends the run with its reason. */

#include <stdio.h>
#include <string.h>
#include <libgen.h>
#include <re.h>
#include "yml.h"
#include "host.h"
#include "sipkit.h"
#include "tsx.h"
#include "report.h"
#include "hss.h"
#include "scen.h"
#include "ue.h"
#include "engine.h"

static void finish(struct engine *e, enum scen_result res)
{
	if (e->finished)
		return;

	e->finished = true;
	e->result = res;
	wtmr_cancel(&e->tmr_settle);
	wtmr_cancel(&e->tmr_step);
	wtmr_cancel(&e->tmr_timeout);
	re_cancel();
}


void engine_fail(struct engine *e, const char *fmt, ...)
{
	const yml_node *st = yml_item(e->y, e->steps, e->step);
	char msg[1200];
	va_list ap;

	va_start(ap, fmt);
	(void)re_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	(void)re_snprintf(e->fail, sizeof(e->fail), "%s:%u: step %zu: %s",
			  yml_file(e->y), yml_line(st), e->step + 1, msg);
	finish(e, SCEN_FAIL);
}


static void next_step(void *arg);


void engine_settle(struct engine *e)
{
	e->settling = true;
	wtmr_start(&e->tmr_settle, (uint64_t)(e->settle * 1000),
		   engine_settled, e);
}


int engine_mb_print(const char *p, size_t size, void *arg)
{
	return mbuf_write_mem(arg, (const uint8_t *)p, size);
}


/* {node: UE, aka_doctor: "", contains: ...}: the doctor's sentence on
 * the UE's last AKA challenge, checked as any node's answer. */
static int doctor_query(struct re_printf *pf, struct node *n)
{
	char why[256];

	if (node_role(n) != ROLE_UE ||
	    aka_doctor(why, sizeof(why), node_impl(n)))
		return ENOTSUP;

	return re_hprintf(pf, "%s", why);
}


static int run_check(struct engine *e, const yml_node *c)
{
	static const char *const fixed[] = {
		"node", "equals", "contains", "regex", "absent", "at_least",
		"capture", NULL
	};
	const struct yml *y = e->y;
	const char *nname = yml_str(yml_get(y, c, "node"));
	struct node *n = emul_node(nname);
	struct mbuf *mb;
	struct re_printf pf;
	char why[1024], *val = NULL;
	size_t i, j;
	int err;

	for (i = 0; i < yml_count(c); i++) {
		const char *what = yml_str(yml_key(y, c, i));
		const char *arg = yml_str(yml_val(y, c, i));
		bool is_fixed = false;

		for (j = 0; fixed[j]; j++)
			is_fixed |= !strcmp(what, fixed[j]);
		if (is_fixed)
			continue;

		if (node_external(n)) {
			engine_fail(e, "check: node %s is external: imsbed "
				    "holds none of its state ('%s')", nname,
				    what);
			return ENOTSUP;
		}

		mb = mbuf_alloc(128);
		if (!mb)
			return ENOMEM;
		pf.vph = engine_mb_print;
		pf.arg = mb;
		err = strcmp(what, "aka_doctor") ?
			node_query(&pf, n, what, arg) : doctor_query(&pf, n);
		if (!err) {
			mb->pos = 0;
			err = mbuf_strdup(mb, &val, mb->end);
		}
		mem_deref(mb);
		if (err) {
			engine_fail(e, "check: node %s cannot answer"
				    " '%s' (%m)", nname, what, err);
			return err;
		}

		err = check_value(e, c, val, why, sizeof(why));
		if (err)
			engine_fail(e, "check %s %s %s: %s", nname, what,
				    arg, why);
		mem_deref(val);
		return err;
	}

	return 0;
}


static void step_end(struct engine *e)
{
	const struct yml *y = e->y;
	const yml_node *st = yml_item(y, e->steps, e->step);
	const yml_node *exp = yml_get(y, st, "expect");
	const yml_node *chk = yml_get(y, st, "check");
	bool strict = true;
	char fail[1200];
	size_t i;

	engine_media_print(e);

	if (exp) {
		if (yml_get(y, st, "strict"))
			(void)yml_bool(y, yml_get(y, st, "strict"), "strict",
				       &strict, NULL, 0);

		if (expect_check(e, exp, strict, fail, sizeof(fail))) {
			engine_fail(e, "%s", fail);
			return;
		}

		engine_present_checked(e);

		/* The next window starts after what this one saw. */
		e->window = NULL;
	}

	if (yml_is_map(chk) && run_check(e, chk))
		return;

	for (i = 0; yml_is_seq(chk) && i < yml_count(chk); i++) {
		if (run_check(e, yml_item(y, chk, i)))
			return;
	}

	fault_step_end(e);
	e->step++;
	wtmr_start(&e->tmr_step, 0, next_step, e);
}


void engine_settled(void *arg)
{
	struct engine *e = arg;

	/* A request not yet answered, or a final not yet ACKed, is still
	 * being resent: the network has not settled. */
	if (tsx_resending()) {
		engine_settle(e);
		return;
	}

	e->settling = false;
	step_end(e);
}


static void next_step(void *arg)
{
	struct engine *e = arg;
	const yml_node *st;
	const char *note;

	if (e->finished)
		return;

	if (e->step >= yml_count(e->steps)) {
		finish(e, SCEN_PASS);
		return;
	}

	st = yml_item(e->y, e->steps, e->step);
	note = yml_str(yml_get(e->y, st, "note"));
	if (e->nmarks < MAX_MARKS) {
		e->marks[e->nmarks].first = list_count(&e->recs);
		e->marks[e->nmarks].note = note;
		++e->nmarks;
	}
	if (!e->quiet)
		(void)re_printf("--- step %zu%s%s\n", e->step + 1,
				note ? ": " : "", note ? note : "");
	engine_present_step(e, note);

	/* An action's own expect covers what that action causes; a bare
	 * expect step covers all since the last expect. */
	if (yml_get(e->y, st, "expect") && action_of(e->y, st, NULL))
		e->window = NULL;

	if (fault_arm(e, yml_get(e->y, st, "faults"), true)) {
		engine_fail(e, "out of memory");
		return;
	}

	if (action_start(e, st))
		return;

	step_end(e);
}


static void timeout_handler(void *arg)
{
	struct engine *e = arg;

	engine_fail(e, "scenario timed out");
}


/* A wait asks for its time: the run's guard against a hung scenario
 * makes room for it. */
void engine_extend_timeout(struct engine *e, uint64_t ms)
{
	wtmr_start(&e->tmr_timeout, wtmr_left(&e->tmr_timeout) + ms,
		   timeout_handler, e);
}


static const struct run_view *engine_view(struct run_view *v,
					  const struct engine *e)
{
	v->recs = &e->recs;
	v->marks = e->marks;
	v->nmarks = e->nmarks;
	v->no_cx = e->no_cx;

	return v;
}


static void engine_destructor(void *arg)
{
	struct engine *e = arg;

	msgrec_unlisten(&e->lsnr);
	fault_stop(e);
	wtmr_cancel(&e->tmr_settle);
	wtmr_cancel(&e->tmr_step);
	wtmr_cancel(&e->tmr_timeout);
	wtmr_cancel(&e->tmr_await);
	list_flush(&e->recs);
	list_flush(&e->caps);
	mem_deref(e->diagram);
	mem_deref(e->topo);
	mem_deref(e->ty);
	mem_deref(e->y);
}


static int load_topology(struct engine *e, const char *path, char *err,
			 size_t sz)
{
	const yml_node *root = yml_root(e->y);
	const yml_node *t = yml_get(e->y, root, "topology");
	char file[512], dir[512];

	if (yml_is_map(t))
		return topo_load(&e->topo, e->y, t, err, sz);

	if (!yml_is_scalar(t))
		return yml_err(e->y, t ? t : root, err, sz,
			       "scenario needs 'topology:', a file name or"
			       " an inline topology");

	/* A relative topology file is found beside the scenario. */
	str_ncpy(dir, path, sizeof(dir));
	if (yml_str(t)[0] == '/')
		str_ncpy(file, yml_str(t), sizeof(file));
	else
		(void)re_snprintf(file, sizeof(file), "%s/%s", dirname(dir),
				  yml_str(t));

	if (yml_load_file(&e->ty, file, err, sz))
		return EINVAL;

	return topo_load(&e->topo, e->ty, yml_root(e->ty), err, sz);
}


static void diagram_col(const char *name, void *arg)
{
	(void)diagram_column(arg, name);
}


static void node_columns(struct engine *e)
{
	report_columns(diagram_col, e->diagram, e->no_cx);
}


/* The scenario file, its topology and its steps, loaded and checked:
 * everything before the first message. */
static int scen_load(struct engine *e, const char *path,
		     const struct scen_opts *o, char *msg, size_t sz)
{
	const yml_node *root;

	if (yml_load_file(&e->y, path, msg, sz))
		return EINVAL;

	root = yml_root(e->y);
	if (yml_get(e->y, root, "settle") &&
	    yml_double(e->y, yml_get(e->y, root, "settle"), "settle",
		       &e->settle, msg, sz))
		return EINVAL;

	/* Under valgrind every step takes longer: let the user wait more. */
	if (o && o->settle > e->settle)
		e->settle = o->settle;

	if (load_topology(e, path, msg, sz))
		return EINVAL;

	if (o && o->diagram && !e->quiet) {
		if (diagram_alloc(&e->diagram, o->colour))
			return ENOMEM;
		node_columns(e);
	}

	e->steps = yml_get(e->y, root, "steps");
	if (scen_validate(e, msg, sz))
		return EINVAL;

	return engine_listen(e);
}


/* A node outside the process (a declared peer) lives on the real
 * clock, and so must the run.  A pause for --step or --slow needs the
 * virtual clock: on the real one, SIP's timers would fire while the
 * trainer reads, and a peer's timers run whatever the run does. */
static int run_clock(struct engine *e, const struct scen_opts *o,
		     const char *path, char *msg, size_t sz)
{
	bool pause = e->on_enter || e->slow > 0;

	bool outside = emul_peer_count() || emul_has_external();

	if (pause && outside) {
		(void)re_snprintf(msg, sz, "%s: --step and --slow pause the"
				  " run on the virtual clock, and its"
				  " topology has nodes outside the process,"
				  " whose timers no pause stops", path);
		return EINVAL;
	}

	if (pause && o && !o->virtual_clock)
		(void)re_fprintf(stderr, "imsbed: --step and --slow keep the"
				 " run on the virtual clock, where no timer"
				 " fires while it pauses\n");

	clk_set_mode(pause || (o && o->virtual_clock && !outside) ?
		     CLK_VIRTUAL : CLK_REAL);

	return 0;
}


enum scen_result scen_run(const char *path, const struct scen_opts *o,
			  char *msg, size_t sz)
{
	struct engine *e;
	enum scen_result res = SCEN_BADINPUT;
	struct run_view v;
	double timeout = o && o->timeout > 0 ? o->timeout : 120;

	e = mem_zalloc(sizeof(*e), engine_destructor);
	if (!e) {
		(void)re_snprintf(msg, sz, "%s: out of memory", path);
		return SCEN_BADINPUT;
	}

	e->quiet = o && o->quiet;
	e->no_cx = o && o->no_cx;
	e->ladder = o ? o->ladder : NULL;
	e->on_enter = o && o->step;
	e->slow = o ? o->slow : 0;
	e->keep_raw = o && (o->html || e->on_enter || e->slow > 0);

	/* For a class each message is shown whole as it is sent
	 * (present.c), in place of the live ladder. */
	if (e->on_enter || e->slow > 0)
		e->quiet = true;
	e->settle = 0.1;

	if (scen_load(e, path, o, msg, sz))
		goto out;

	if (run_clock(e, o, path, msg, sz))
		goto out;
	emul_time_reset();
	fault_start(e);
	if (fault_arm(e, yml_get(e->y, yml_root(e->y), "faults"), false) ||
	    (o && o->inject && fault_inject(e, o->inject)))
		goto out;
	e->rech = o ? o->rech : NULL;
	e->loose = o && o->loose;
	e->rech_arg = o ? o->rech_arg : NULL;
	engine_present_begin(e);
	wtmr_start(&e->tmr_timeout, (uint64_t)(timeout * 1000),
		   timeout_handler, e);
	wtmr_start(&e->tmr_step, 0, next_step, e);

	(void)re_main(NULL);
	clk_set_mode(CLK_REAL);

	res = e->result;
	if (res == SCEN_FAIL)
		str_ncpy(msg, e->fail, sz);
	else
		msg[0] = '\0';

	engine_present_end(e, res, msg);

	if (o && o->html && html_write(o->html, path, engine_view(&v, e),
					 res, msg))
		(void)re_fprintf(stderr, "imsbed: %s: cannot write the page\n",
				 o->html);

 out:
	clk_set_mode(CLK_REAL);
	mem_deref(e);
	return res;
}


/* serve: no scenario, only the record of what crosses the wire, for the
 * live ladder and, kept when o->html is set, the page when serve ends. */
int engine_recorder(struct engine **ep, const struct scen_opts *o)
{
	struct engine *e;
	int err;

	if (!ep || !o)
		return EINVAL;

	e = mem_zalloc(sizeof(*e), engine_destructor);
	if (!e)
		return ENOMEM;

	e->quiet = o->quiet;
	e->no_cx = o->no_cx;
	e->keep_raw = o->html != NULL;
	e->forget = o->html == NULL;
	if (o->diagram && !e->quiet) {
		err = diagram_alloc(&e->diagram, o->colour);
		if (err)
			goto out;
		/* The external UEs first: they start every flow. */
		(void)diagram_column(e->diagram, EMUL_EXT);
		node_columns(e);
	}

	/* Quiet with no page: nothing to show or keep, and a listener
	 * would have every node trace what it sends. */
	err = e->quiet && !e->keep_raw ? 0 : engine_listen(e);
 out:
	if (err)
		mem_deref(e);
	else
		*ep = e;

	return err;
}


int engine_page(const struct engine *e, const char *path, const char *title)
{
	struct run_view v;

	return html_write(path, title, engine_view(&v, e), SCEN_PASS, "");
}


/* A scenario with its inline topology, checked as scen_run checks it
 * before anything is sent, and nothing run (the YAML fuzz target). */
int scen_check(struct yml *y, char *err, size_t sz)
{
	struct engine *e;
	const yml_node *t;
	int r;

	if (!y)
		return EINVAL;

	t = yml_get(y, yml_root(y), "topology");
	if (!yml_is_map(t))
		return yml_err(y, t ? t : yml_root(y), err, sz,
			       "scen_check takes an inline topology");

	e = mem_zalloc(sizeof(*e), engine_destructor);
	if (!e)
		return ENOMEM;

	e->y = mem_ref(y);
	e->settle = 0.1;
	r = topo_load(&e->topo, y, t, err, sz);
	if (!r) {
		e->steps = yml_get(y, yml_root(y), "steps");
		r = scen_validate(e, err, sz);
	}
	mem_deref(e);

	return r;
}
