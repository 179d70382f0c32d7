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
#include "aka.h"
#include "ue.h"
#include "engine.h"

/* phone: mode: what the phone does with the next INVITE. */
static const struct act_opt modes[] = {
	{"answer",    UE_ANSWER,    NULL},
	{"busy",      UE_BUSY,      NULL},
	{"decline",   UE_DECLINE,   NULL},
	{"no-answer", UE_NO_ANSWER, NULL},
	{"unavailable", UE_UNAVAILABLE, NULL},
	{"reject",    UE_REJECT,    NULL},
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

	if (ev && !strcmp(ev, "reg"))
		return ue_subscribe_reg(act_ue(e, v),
					act_uint(y, v, "expires", 600),
					act_done, e);

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


/* message: {ue, to, text}: to is a URI (a user, a GRUU, ${capture}). */
int act_check_message(struct engine *e, const struct action *a,
		      const yml_node *v, char *err, size_t sz)
{
	const struct yml *y = e->y;
	const char *to = yml_str(yml_get(y, v, "to"));

	if (act_check_ue(e, a, v, err, sz))
		return EINVAL;

	if (!to || (strncmp(to, "sip:", 4) && strncmp(to, "tel:", 4) &&
		    strncmp(to, "${", 2)))
		return yml_err(y, v, err, sz, "message: to must be a sip: or"
			       " tel: URI");
	if (!yml_str(yml_get(y, v, "text")))
		return yml_err(y, v, err, sz, "message: needs text");

	return 0;
}


int act_message(struct engine *e, const yml_node *v)
{
	const struct yml *y = e->y;
	char to[256];
	const char *uri = engine_subst(e, yml_str(yml_get(y, v, "to")), to,
				       sizeof(to));

	return ue_message(act_ue(e, v), uri, yml_str(yml_get(y, v, "text")),
			  act_done, e);
}


/* call: {ue, to, media: audio|none, until: answer|ringing}: to is a
 * URI (a user, a tel number, a GRUU, ${capture}). */
int act_check_call(struct engine *e, const struct action *a,
		   const yml_node *v, char *err, size_t sz)
{
	const struct yml *y = e->y;
	const char *to = yml_str(yml_get(y, v, "to"));
	const char *media = yml_str(yml_get(y, v, "media"));
	const char *until = yml_str(yml_get(y, v, "until"));
	uint32_t se = 0;
	bool b;

	if (act_check_ue(e, a, v, err, sz))
		return EINVAL;

	if (!to || (strncmp(to, "sip:", 4) && strncmp(to, "tel:", 4) &&
		    strncmp(to, "${", 2)))
		return yml_err(y, v, err, sz, "call: to must be a sip: or"
			       " tel: URI");
	if (media && strcmp(media, "audio") && strcmp(media, "none") &&
	    strcmp(media, "late"))
		return yml_err(y, yml_get(y, v, "media"), err, sz, "call:"
			       " media is audio, late or none");
	if (yml_get(y, v, "refresher") &&
	    str_casecmp(yml_str(yml_get(y, v, "refresher")), "uac") &&
	    str_casecmp(yml_str(yml_get(y, v, "refresher")), "uas"))
		return yml_err(y, yml_get(y, v, "refresher"), err, sz, "call:"
			       " refresher is uac or uas (RFC 4028 9)");
	if (until && strcmp(until, "answer") && strcmp(until, "ringing"))
		return yml_err(y, yml_get(y, v, "until"), err, sz, "call:"
			       " until is answer or ringing");
	if (yml_get(y, v, "prack") &&
	    yml_bool(y, yml_get(y, v, "prack"), "prack", &b, err, sz))
		return EINVAL;
	if (yml_get(y, v, "precondition") &&
	    yml_bool(y, yml_get(y, v, "precondition"), "precondition", &b,
		     err, sz))
		return EINVAL;
	if (yml_get(y, v, "session_expires") &&
	    (yml_uint(y, yml_get(y, v, "session_expires"), "session_expires",
		      &se, err, sz) || se < 90))
		return yml_err(y, yml_get(y, v, "session_expires"), err, sz,
			       "call: session_expires is 90 s or more (RFC"
			       " 4028 4: the smallest Min-SE)");

	return 0;
}


int act_call(struct engine *e, const yml_node *v)
{
	const struct yml *y = e->y;
	const char *media = yml_str(yml_get(y, v, "media"));
	const char *until = yml_str(yml_get(y, v, "until"));
	char to[256];
	const char *uri = engine_subst(e, yml_str(yml_get(y, v, "to")), to,
				       sizeof(to));
	struct ue_call_opt opt;
	char *hdrs = NULL;
	int err;

	opt.media = !media || strcmp(media, "none");
	opt.late_offer = media && !strcmp(media, "late");
	opt.until_ringing = until && !strcmp(until, "ringing");
	opt.prack = act_bool(y, v, "prack", false);
	opt.precondition = act_bool(y, v, "precondition", false);
	opt.session_expires = act_uint(y, v, "session_expires", 0);
	opt.refresher_uas = !str_casecmp(yml_str(yml_get(y, v, "refresher")),
					 "uas");
	err = act_headers(&hdrs, y, v);
	opt.hdrs = hdrs;
	if (!err)
		err = ue_call(act_ue(e, v), uri, &opt, act_done, e);
	mem_deref(hdrs);

	return err;
}


int act_cancel(struct engine *e, const yml_node *v)
{
	return ue_call_cancel(act_ue(e, v), act_done, e);
}


int act_hold(struct engine *e, const yml_node *v)
{
	return ue_call_offer(act_ue(e, v),
			     act_bool(e->y, v, "inactive", false) ?
			     UE_OFFER_HOLD_INACTIVE : UE_OFFER_HOLD,
			     act_done, e);
}


int act_resume(struct engine *e, const yml_node *v)
{
	return ue_call_hold(act_ue(e, v), false, act_done, e);
}


int act_update(struct engine *e, const yml_node *v)
{
	return ue_call_offer(act_ue(e, v), UE_OFFER_UPDATE, act_done, e);
}


int act_hangup(struct engine *e, const yml_node *v)
{
	return ue_hangup(act_ue(e, v), act_done, e);
}


int act_check_phone(struct engine *e, const struct action *a,
		    const yml_node *v, char *err, size_t sz)
{
	const struct yml *y = e->y;
	uint32_t code;
	bool b;

	if (act_check_ue(e, a, v, err, sz))
		return EINVAL;

	if (!act_opt_find(modes, yml_str(yml_get(y, v, "mode"))))
		return yml_err(y, v, err, sz, "phone: mode must be %H",
			       act_opt_print, modes);
	code = act_uint(y, v, "code", 0);
	if (yml_get(y, v, "code") &&
	    (str_casecmp(yml_str(yml_get(y, v, "mode")), "reject") ||
	     code < 300 || code > 699))
		return yml_err(y, yml_get(y, v, "code"), err, sz, "phone: "
			       "code is a final failure, 300 to 699, for "
			       "mode reject");
	if (!str_casecmp(yml_str(yml_get(y, v, "mode")), "reject") &&
	    !yml_get(y, v, "code"))
		return yml_err(y, v, err, sz, "phone: mode reject needs a "
			       "code");
	if (yml_get(y, v, "early_media") &&
	    yml_bool(y, yml_get(y, v, "early_media"), "early_media", &b,
		     err, sz))
		return EINVAL;

	return 0;
}


/* answer: UE, reject: {ue, code}: the ringing phone answers or refuses
 * now; the step ends when what that sends has settled. */
int act_answer(struct engine *e, const yml_node *v)
{
	int err = ue_call_answer(act_ue(e, v));

	if (!err)
		wtmr_start(&e->tmr_settle, 0, engine_settled, e);

	return err;
}


int act_check_reject(struct engine *e, const struct action *a,
		     const yml_node *v, char *err, size_t sz)
{
	const struct yml *y = e->y;
	uint32_t code;

	if (act_check_ue(e, a, v, err, sz))
		return EINVAL;
	if (!yml_get(y, v, "code"))
		return yml_err(y, v, err, sz, "reject: needs a code");
	if (yml_uint(y, yml_get(y, v, "code"), "reject: code", &code, err,
		     sz))
		return EINVAL;
	if (code < 300 || code > 699)
		return yml_err(y, yml_get(y, v, "code"), err, sz, "reject: "
			       "code is a final failure, 300 to 699");

	return 0;
}


int act_reject(struct engine *e, const yml_node *v)
{
	int err = ue_call_reject(act_ue(e, v),
				 (uint16_t)act_uint(e->y, v, "code", 486));

	if (!err)
		wtmr_start(&e->tmr_settle, 0, engine_settled, e);

	return err;
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
	ue_set_min_se(act_ue(e, v), act_uint(y, v, "min_se", 0));
	ue_set_reject_code(act_ue(e, v),
			   (uint16_t)act_uint(y, v, "code", 486));
	ue_set_early_media(act_ue(e, v),
			   act_bool(y, v, "early_media", false));
	wtmr_start(&e->tmr_settle, 0, engine_settled, e);

	return 0;
}


/* usim: {ue, k, op | opc, amf, sqn}: the USIM changed under the UE, to
 * disagree with its HSS from here on (TS 33.102's failures on demand). */
int act_check_usim(struct engine *e, const struct action *a,
		   const yml_node *v, char *err, size_t sz)
{
	static const struct {
		const char *key;
		size_t n;
	} hexv[] = {{"k", AKA_KEY}, {"op", AKA_KEY}, {"opc", AKA_KEY},
		    {"amf", AKA_AMF}};
	const struct yml *y = e->y;
	uint8_t buf[AKA_KEY];
	uint64_t sqn;
	size_t i;

	if (act_check_ue(e, a, v, err, sz))
		return EINVAL;

	if (yml_get(y, v, "op") && yml_get(y, v, "opc"))
		return yml_err(y, v, err, sz, "usim: op or opc, not both");

	for (i = 0; i < ARRAY_SIZE(hexv); i++) {
		const yml_node *n = yml_get(y, v, hexv[i].key);

		if (n && (!yml_str(n) ||
			  aka_hex(buf, hexv[i].n, yml_str(n))))
			return yml_err(y, n, err, sz, "usim: %s must be %zu"
				       " hex digits", hexv[i].key,
				       2 * hexv[i].n);
	}

	if (yml_get(y, v, "sqn") &&
	    aka_sqn_parse(&sqn, yml_str(yml_get(y, v, "sqn"))))
		return yml_err(y, yml_get(y, v, "sqn"), err, sz, "usim: sqn"
			       " is a 48-bit number (decimal, or hex after"
			       " 0x)");

	return 0;
}


int act_usim(struct engine *e, const yml_node *v)
{
	const struct yml *y = e->y;
	struct ue *ue = act_ue(e, v);
	const char *k = yml_str(yml_get(y, v, "k"));
	const char *op = yml_str(yml_get(y, v, "op"));
	const char *opc = yml_str(yml_get(y, v, "opc"));
	const char *amf = yml_str(yml_get(y, v, "amf"));
	const char *sqns = yml_str(yml_get(y, v, "sqn"));
	uint8_t opv[AKA_KEY];
	struct ue_aka st;
	uint64_t sqn;
	int err;

	err = ue_aka_state(ue, &st);
	if (err)
		return err;

	sqn = st.sqn_ms;
	err |= k ? aka_hex(st.key.k, AKA_KEY, k) : 0;
	err |= opc ? aka_hex(st.key.opc, AKA_KEY, opc) : 0;
	err |= amf ? aka_hex(st.key.amf, AKA_AMF, amf) : 0;
	err |= sqns ? aka_sqn_parse(&sqn, sqns) : 0;
	if (!err && op)
		err = aka_hex(opv, AKA_KEY, op) ||
			milenage_opc(st.key.opc, st.key.k, opv);
	if (!err)
		err = ue_set_usim(ue, &st.key, sqn);
	if (err)
		return err;

	wtmr_start(&e->tmr_settle, 0, engine_settled, e);

	return 0;
}
