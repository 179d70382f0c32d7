/* SPDX-License-Identifier: BSD-3-Clause */
/* The actions a scenario step may take, as one table: each row names the
 * action, the keys its map form allows, the check run when the scenario
 * is loaded and the start run when its step comes.  What every action
 * shares lives here too: how its outcome is judged (the final status it
 * expects, or the error it expects instead) and the checks of a UE's
 * common keys.  The actions themselves are in act_*.c. */

#include <string.h>
#include <re.h>
#include "yml.h"
#include "host.h"
#include "report.h"
#include "scen.h"
#include "ue.h"
#include "engine.h"

static const char *const kreg[] = {
	"ue", "expires", "refresh", "password", "status", "error", NULL
};
static const char *const kplain[] = {
	"ue", "status", "error", NULL
};
static const char *const ksub[] = {
	"ue", "event", "expires", "refresh", "status", "error", "headers",
	NULL
};
static const char *const kfetch[] = {
	"ue", "what", "user", "auth", "status", "error", NULL
};
static const char *const kconf[] = {
	"node", "module", "addr", "down", "corrupt_notify", "ring_timeout",
	NULL
};
static const char *const krefer[] = {
	"ue", "name", "service", "status", "error", "headers", NULL
};
static const char *const khold[] = {
	"ue", "inactive", "status", "error", NULL
};
static const char *const kreject[] = {
	"ue", "code", "status", "error", NULL
};
static const char *const kphone[] = {
	"ue", "mode", "delay_ms", "min_se", "early_media", "code", NULL
};
static const char *const kusim[] = {
	"ue", "k", "op", "opc", "amf", "sqn", NULL
};
static const char *const kmsg[] = {
	"ue", "to", "text", "status", NULL
};
static const char *const kdereg[] = {
	"user", "by", "reason", "node", NULL
};
static const char *const kcall[] = {
	"ue", "to", "media", "until", "prack", "precondition",
	"session_expires", "refresher", "headers", "status", "error", NULL
};
static const char *const kppr[] = {
	"user", "profile", NULL
};
static const char *const kpeers[] = {
	"hss", "count", "within", NULL
};
static const char *const kbook[] = {
	"ue", "op", "id", "since", "entry", "status", "error", NULL
};

static int check_wait(struct engine *e, const struct action *a,
		      const yml_node *v, char *err, size_t sz);
static int start_wait(struct engine *e, const yml_node *v);

/* In the order a step's action is looked for (action_of). */
static const struct action actionv[] = {
	{"register",    "ue",   kreg,   act_check_ue,        act_register},
	{"deregister",  "ue",   kplain, act_check_ue,        act_deregister},
	{"subscribe",   "ue",   ksub,   act_check_ue,        act_subscribe},
	{"unsubscribe", "ue",   kplain, act_check_ue,        act_unsubscribe},
	{"fetch",       "ue",   kfetch, act_check_fetch,     act_fetch},
	{"configure",   "node", kconf,  act_check_configure, act_configure},
	{"refer",       "ue",   krefer, act_check_refer,     act_refer},
	{"hangup",      "ue",   kplain, act_check_ue,        act_hangup},
	{"call",        "ue",   kcall,  act_check_call,      act_call},
	{"cancel",      "ue",   kplain, act_check_ue,        act_cancel},
	{"hold",        "ue",   khold,  act_check_ue,        act_hold},
	{"resume",      "ue",   kplain, act_check_ue,        act_resume},
	{"update",      "ue",   kplain, act_check_ue,        act_update},
	{"phone",       "ue",   kphone, act_check_phone,     act_phone},
	{"answer",      "ue",   kplain, act_check_ue,        act_answer},
	{"reject",      "ue",   kreject, act_check_reject,   act_reject},
	{"usim",        "ue",   kusim,  act_check_usim,      act_usim},
	{"book",        "ue",   kbook,  act_check_book,      act_book},
	{"message",     "ue",   kmsg,   act_check_message,   act_message},
	{"deregister_network", "user", kdereg, act_check_dereg, act_dereg},
	{"push_profile", "user", kppr,  act_check_ppr,       act_ppr},
	{"diameter_peers", NULL, kpeers, act_check_peers,    act_peers},
	{"wait",        NULL,   NULL,   check_wait,          start_wait},
};


const struct action *action_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(actionv); i++) {
		if (!str_cmp(actionv[i].name, name))
			return &actionv[i];
	}

	return NULL;
}


const yml_node *action_of(const struct yml *y, const yml_node *st,
			  const struct action **ap)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(actionv); i++) {
		const yml_node *v = yml_get(y, st, actionv[i].name);

		if (v) {
			if (ap)
				*ap = &actionv[i];
			return v;
		}
	}

	return NULL;
}


const struct act_opt *act_opt_find(const struct act_opt *v, const char *name)
{
	for (; v->name; v++) {
		if (!str_cmp(v->name, name))
			return v;
	}

	return NULL;
}


/* "a, b or c": an option list as an error message names it. */
int act_opt_print(struct re_printf *pf, void *arg)
{
	const struct act_opt *v = arg;
	int err = 0;
	size_t i;

	for (i = 0; v[i].name && !err; i++)
		err = re_hprintf(pf, "%s%s", !i ? "" :
				 v[i + 1].name ? ", " : " or ", v[i].name);

	return err;
}


/* What an action acts on: the scalar form's value, else its map's key
 * (the row's subject: "ue", or "node" for configure). */
static const char *subject_of(const struct yml *y, const yml_node *v,
			      const char *key)
{
	return yml_is_scalar(v) ? yml_str(v) : yml_str(yml_get(y, v, key));
}


struct ue *act_ue(struct engine *e, const yml_node *v)
{
	return topo_ue(e->topo, subject_of(e->y, v, "ue"));
}


uint32_t act_uint(const struct yml *y, const yml_node *v, const char *key,
		  uint32_t dflt)
{
	uint32_t u = dflt;

	if (yml_is_map(v) && yml_get(y, v, key))
		(void)yml_uint(y, yml_get(y, v, key), key, &u, NULL, 0);

	return u;
}


const char *act_str(const struct yml *y, const yml_node *v, const char *key)
{
	return yml_is_map(v) ? yml_str(yml_get(y, v, key)) : NULL;
}


bool act_bool(const struct yml *y, const yml_node *v, const char *key,
	      bool dflt)
{
	bool b = dflt;

	if (yml_is_map(v) && yml_get(y, v, key))
		(void)yml_bool(y, yml_get(y, v, key), key, &b, NULL, 0);

	return b;
}


/* The UE's answer to an action: the final status it expects (200 unless
 * 'status' says), or with 'error' the failure it expects instead. */
void act_done(int err, uint16_t scode, void *arg)
{
	struct engine *e = arg;
	const yml_node *st = yml_item(e->y, e->steps, e->step);
	const struct action *a = NULL;
	const yml_node *v = action_of(e->y, st, &a);
	const char *want_err = act_str(e->y, v, "error");
	const char *ue = subject_of(e->y, v, "ue");
	uint32_t want = act_uint(e->y, v, "status", 200);
	char es[128];

	(void)re_snprintf(es, sizeof(es), "%m", err);

	if (want_err) {
		if (!err || !strstr(es, want_err)) {
			engine_fail(e, "%s %s: expected error '%s', got %s",
				    a->name, ue, want_err,
				    err ? es : "success");
			return;
		}
		engine_settle(e);
		return;
	}

	if (err) {
		engine_fail(e, "%s %s: no final response (%s)", a->name, ue,
			    es);
		return;
	}

	if (scode != want) {
		char why[256] = "";
		struct ue_aka aka;

		/* A failed AKA registration says why, in one sentence. */
		if (!strcmp(a->name, "register") &&
		    !ue_aka_state(act_ue(e, v), &aka) && aka.challenged &&
		    !aka_doctor(why, sizeof(why), act_ue(e, v)))
			engine_fail(e, "%s %s: expected final status %u, got "
				    "%u; AKA doctor: %s", a->name, ue, want,
				    scode, why);
		else
			engine_fail(e, "%s %s: expected final status %u, got "
				    "%u", a->name, ue, want, scode);
		return;
	}

	engine_settle(e);
}


/* headers: {Name: value, ...} on an action: lines the UE adds. */
int act_headers(char **hp, const struct yml *y, const yml_node *v)
{
	const yml_node *h = yml_is_map(v) ? yml_get(y, v, "headers") : NULL;
	struct mbuf *mb;
	size_t i;
	int err = 0;

	if (!h)
		return 0;

	mb = mbuf_alloc(128);
	if (!mb)
		return ENOMEM;

	for (i = 0; i < yml_count(h) && !err; i++)
		err = mbuf_printf(mb, "%s: %s\r\n",
				  yml_str(yml_key(y, h, i)),
				  yml_str(yml_val(y, h, i)));

	mb->pos = 0;
	if (!err)
		err = mbuf_strdup(mb, hp, mb->end);
	mem_deref(mb);

	return err;
}


static int check_headers(const struct yml *y, const yml_node *h,
			 char *err, size_t sz)
{
	size_t i;

	if (h && !yml_is_map(h))
		return yml_err(y, h, err, sz, "headers must map header"
			       " names to values");

	for (i = 0; i < yml_count(h); i++) {
		const char *val = yml_str(yml_val(y, h, i));

		/* One line each: no smuggled CR/LF. */
		if (!val || strpbrk(val, "\r\n"))
			return yml_err(y, yml_val(y, h, i), err, sz,
				       "header value must be one line");
	}

	return 0;
}


/* The keys every UE action may have, each checked for its type; then
 * the UE itself, which the topology must know. */
int act_check_ue(struct engine *e, const struct action *a,
		 const yml_node *v, char *err, size_t sz)
{
	static const char *const uints[] = {"expires", "status"};
	const struct yml *y = e->y;
	const char *ue = subject_of(y, v, "ue");
	size_t i;
	uint32_t u;
	bool b;

	if (yml_is_map(v)) {
		if (yml_check_keys(y, v, a->keys, a->name, err, sz))
			return EINVAL;
		if (check_headers(y, yml_get(y, v, "headers"), err, sz))
			return EINVAL;
		for (i = 0; i < ARRAY_SIZE(uints); i++) {
			const yml_node *n = yml_get(y, v, uints[i]);

			if (n && yml_uint(y, n, uints[i], &u, err, sz))
				return EINVAL;
		}
		if (yml_get(y, v, "refresh") &&
		    yml_bool(y, yml_get(y, v, "refresh"), "refresh", &b, err,
			     sz))
			return EINVAL;
	}

	if (!ue || !topo_ue(e->topo, ue))
		return yml_err(y, v, err, sz, "%s: unknown UE '%s'", a->name,
			       ue ? ue : "");

	return 0;
}


static int check_wait(struct engine *e, const struct action *a,
		      const yml_node *v, char *err, size_t sz)
{
	double d;

	return yml_double(e->y, v, a->name, &d, err, sz);
}


/* wait: SECONDS of nothing; the step then ends as any other does. */
static int start_wait(struct engine *e, const yml_node *v)
{
	double secs = 0;

	(void)yml_double(e->y, v, "wait", &secs, NULL, 0);
	e->settling = false;
	engine_extend_timeout(e, (uint64_t)(secs * 1000));
	wtmr_start(&e->tmr_settle, (uint64_t)(secs * 1000), engine_settled, e);

	return 0;
}


/* 1 when the step has an action, which then runs (and ends the step
 * when it is done), 0 when it has none. */
int action_start(struct engine *e, const yml_node *st)
{
	const struct action *a = NULL;
	const yml_node *v = action_of(e->y, st, &a);
	int err;

	if (!v)
		return 0;

	err = a->starth(e, v);
	if (err)
		engine_fail(e, "%s %s: cannot start (%m)", a->name,
			    subject_of(e->y, v, a->subject), err);

	return 1;
}


int action_validate(struct engine *e, const yml_node *st, char *err,
		    size_t sz)
{
	const struct action *a = NULL;
	const yml_node *v = action_of(e->y, st, &a);

	if (!v)
		return 0;

	return a->checkh(e, a, v, err, sz) ? EINVAL : 0;
}
