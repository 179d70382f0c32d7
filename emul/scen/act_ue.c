/* SPDX-License-Identifier: BSD-3-Clause */
/* The scenario actions a UE takes: register and deregister, subscribe
 * and unsubscribe, fetch from the AS's modules, REFER for click-to-dial,
 * hang up, and how its phone answers.  Each finishes through act_done;
 * their keys and rows are in actions.c's table. */

#include <string.h>
#include <re.h>
#include "yml.h"
#include "host.h"
#include "report.h"
#include "scen.h"
#include "ue.h"
#include "engine.h"

/* phone: mode: what the phone does with the next INVITE. */
static const struct act_opt modes[] = {
	{"answer",    UE_ANSWER,    NULL},
	{"busy",      UE_BUSY,      NULL},
	{"decline",   UE_DECLINE,   NULL},
	{"no-answer", UE_NO_ANSWER, NULL},
	{NULL,        0,            NULL},
};


int act_register(struct engine *e, const yml_node *v)
{
	const struct yml *y = e->y;

	return ue_register(act_ue(e, v), act_uint(y, v, "expires", 600),
			   act_bool(y, v, "refresh", true),
			   act_str(y, v, "password"), act_done, e);
}


int act_deregister(struct engine *e, const yml_node *v)
{
	return ue_deregister(act_ue(e, v), act_done, e);
}


int act_subscribe(struct engine *e, const yml_node *v)
{
	const struct yml *y = e->y;
	const char *ev = act_str(y, v, "event");
	char *hdrs = NULL;
	int err;

	err = act_headers(&hdrs, y, v);
	if (!err)
		err = ue_subscribe(act_ue(e, v), ev ? ev : "sysinfo",
				   act_uint(y, v, "expires", 600),
				   act_bool(y, v, "refresh", true), hdrs,
				   act_done, e);
	mem_deref(hdrs);

	return err;
}


int act_unsubscribe(struct engine *e, const yml_node *v)
{
	return ue_unsubscribe(act_ue(e, v), act_done, e);
}


/* what: one resource or a list of them, named as ue_fetch_bit knows
 * them. */
int act_check_fetch(struct engine *e, const struct action *a,
		    const yml_node *v, char *err, size_t sz)
{
	const struct yml *y = e->y;
	const yml_node *w = yml_is_map(v) ? yml_get(y, v, "what") : NULL;
	size_t i, n = yml_is_seq(w) ? yml_count(w) : (w ? 1 : 0);

	if (act_check_ue(e, a, v, err, sz))
		return EINVAL;

	for (i = 0; i < n; i++) {
		const yml_node *x = yml_is_seq(w) ? yml_item(y, w, i) : w;

		if (ue_fetch_bit(yml_str(x)) < 0)
			return yml_err(y, x, err, sz, "fetch: unknown resource"
				       " '%s' (%H)", yml_str(x) ?
				       yml_str(x) : "", ue_fetch_names, NULL);
	}

	return 0;
}


static uint32_t fetch_mask(const struct yml *y, const yml_node *v)
{
	const yml_node *w = yml_is_map(v) ? yml_get(y, v, "what") : NULL;
	uint32_t mask = 0;
	size_t i;

	/* Default: what the patent's client reads after the NOTIFY. */
	if (!w)
		return 0x1f;

	if (yml_is_scalar(w))
		return 1u << ue_fetch_bit(yml_str(w));

	for (i = 0; i < yml_count(w); i++)
		mask |= 1u << ue_fetch_bit(yml_str(yml_item(y, w, i)));

	return mask;
}


int act_fetch(struct engine *e, const yml_node *v)
{
	const struct yml *y = e->y;

	return ue_fetch(act_ue(e, v), fetch_mask(y, v), act_str(y, v, "user"),
			act_str(y, v, "auth"), act_done, e);
}


int act_check_refer(struct engine *e, const struct action *a,
		    const yml_node *v, char *err, size_t sz)
{
	const struct yml *y = e->y;
	const char *n = yml_str(yml_get(y, v, "name"));

	if (act_check_ue(e, a, v, err, sz))
		return EINVAL;

	if (!n || !*n || strpbrk(n, "@:;<> \r\n"))
		return yml_err(y, v, err, sz, "refer: name must be a"
			       " plain name such as Mary");

	return 0;
}


int act_refer(struct engine *e, const yml_node *v)
{
	const struct yml *y = e->y;
	const char *to = yml_str(yml_get(y, v, "name"));
	const char *svc = yml_str(yml_get(y, v, "service"));
	char target[128], refer_to[160];
	char *hdrs = NULL;
	int err;

	/* The callee travels as a name: the user part of a URI in
	 * names.<domain> (README: click-to-dial). */
	if (svc)
		(void)re_snprintf(target, sizeof(target), "%s", svc);
	else
		(void)re_snprintf(target, sizeof(target), "sip:c2d@%s",
				  emul_domain());
	(void)re_snprintf(refer_to, sizeof(refer_to), "sip:%s@names.%s", to,
			  emul_domain());

	err = act_headers(&hdrs, y, v);
	if (!err)
		err = ue_refer(act_ue(e, v), target, refer_to, hdrs, act_done,
			       e);
	mem_deref(hdrs);

	return err;
}


int act_hangup(struct engine *e, const yml_node *v)
{
	return ue_hangup(act_ue(e, v), act_done, e);
}


int act_check_phone(struct engine *e, const struct action *a,
		    const yml_node *v, char *err, size_t sz)
{
	const struct yml *y = e->y;

	if (act_check_ue(e, a, v, err, sz))
		return EINVAL;

	if (!act_opt_find(modes, yml_str(yml_get(y, v, "mode"))))
		return yml_err(y, v, err, sz, "phone: mode must be %H",
			       act_opt_print, modes);

	return 0;
}


/* No message goes out: the step ends at once, the phone set for what
 * comes later. */
int act_phone(struct engine *e, const yml_node *v)
{
	const struct yml *y = e->y;
	const struct act_opt *m = act_opt_find(modes,
					       yml_str(yml_get(y, v, "mode")));

	ue_set_answer(act_ue(e, v), (enum ue_answer)(m ? m->val : 0),
		      act_uint(y, v, "delay_ms", 20));
	wtmr_start(&e->tmr_settle, 0, engine_settled, e);

	return 0;
}
