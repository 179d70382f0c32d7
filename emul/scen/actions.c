/* SPDX-License-Identifier: BSD-3-Clause */
/* The actions a scenario step may take: what each one checks when the
 * scenario is loaded, how it starts, and how its outcome is judged (the
 * final status it expects, or the error it expects instead). */

#include <string.h>
#include <re.h>
#include "yml.h"
#include "host.h"
#include "sipkit.h"
#include "report.h"
#include "scen.h"
#include "ue.h"
#include "as.h"
#include "engine.h"

static const char *const actions[] = {
	"register", "deregister", "subscribe", "unsubscribe", "fetch",
	"configure", "refer", "hangup", "phone", "book", "wait", NULL
};


const yml_node *action_of(const struct yml *y, const yml_node *st,
			  const char **namep)
{
	size_t i;

	for (i = 0; actions[i]; i++) {
		const yml_node *v = yml_get(y, st, actions[i]);

		if (v) {
			if (namep)
				*namep = actions[i];
			return v;
		}
	}

	return NULL;
}


static const char *ue_of(const struct yml *y, const yml_node *v)
{
	return yml_is_scalar(v) ? yml_str(v) : yml_str(yml_get(y, v, "ue"));
}


static uint32_t opt_uint(const struct yml *y, const yml_node *v,
			const char *key, uint32_t dflt)
{
	uint32_t u = dflt;

	if (yml_is_map(v) && yml_get(y, v, key))
		(void)yml_uint(y, yml_get(y, v, key), key, &u, NULL, 0);

	return u;
}


static void done_handler(int err, uint16_t scode, void *arg)
{
	struct engine *e = arg;
	const yml_node *st = yml_item(e->y, e->steps, e->step);
	const char *name = "";
	const yml_node *v = action_of(e->y, st, &name);
	const char *want_err = yml_is_map(v) ?
		yml_str(yml_get(e->y, v, "error")) : NULL;
	uint32_t want = opt_uint(e->y, v, "status", 200);
	char es[128];

	(void)re_snprintf(es, sizeof(es), "%m", err);

	if (want_err) {
		if (!err || !strstr(es, want_err)) {
			engine_fail(e, "%s %s: expected error '%s', got %s",
				    name, ue_of(e->y, v), want_err,
				    err ? es : "success");
			return;
		}
		engine_settle(e);
		return;
	}

	if (err) {
		engine_fail(e, "%s %s: no final response (%s)", name,
			    ue_of(e->y, v), es);
		return;
	}

	if (scode != want) {
		engine_fail(e, "%s %s: expected final status %u, got %u",
			    name, ue_of(e->y, v), want, scode);
		return;
	}

	engine_settle(e);
}


/* headers: {Name: value, ...} on an action: lines the UE adds. */
static int extra_headers(char **hp, const struct yml *y, const yml_node *v)
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


static int json_str(struct mbuf *mb, const char *s)
{
	int err = mbuf_write_u8(mb, '"');

	for (; s && *s && !err; s++) {
		if (*s == '"' || *s == '\\')
			err = mbuf_printf(mb, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			err = mbuf_printf(mb, "\\u%04x", *s);
		else
			err = mbuf_write_u8(mb, (uint8_t)*s);
	}

	return err | mbuf_write_u8(mb, '"');
}


/* book: {ue, op: add|update|delete|sync|list, id, since, entry} */
static int book(struct engine *e, struct ue *ue, const yml_node *v)
{
	const struct yml *y = e->y;
	const char *op = yml_str(yml_get(y, v, "op"));
	const yml_node *en = yml_get(y, v, "entry");
	char id[64] = "", since[64] = "", suffix[96] = "";
	const char *method = "GET";
	struct mbuf *mb = NULL;
	char *body = NULL;
	size_t i;
	int err = 0;

	if (yml_get(y, v, "id"))
		(void)engine_subst(e, yml_str(yml_get(y, v, "id")), id,
				   sizeof(id));
	if (yml_get(y, v, "since"))
		(void)engine_subst(e, yml_str(yml_get(y, v, "since")), since,
				   sizeof(since));

	if (!str_cmp(op, "add"))
		method = "POST";
	else if (!str_cmp(op, "update"))
		method = "PUT";
	else if (!str_cmp(op, "delete"))
		method = "DELETE";

	if (id[0])
		(void)re_snprintf(suffix, sizeof(suffix), "/%s", id);
	else if (since[0])
		(void)re_snprintf(suffix, sizeof(suffix), "?since=%s", since);

	if (en) {
		const yml_node *g = yml_get(y, en, "groups");
		static const char *const keys[] = {"name", "number", "uri"};
		bool first = true;

		mb = mbuf_alloc(256);
		if (!mb)
			return ENOMEM;
		err = mbuf_write_u8(mb, '{');
		for (i = 0; i < ARRAY_SIZE(keys) && !err; i++) {
			const char *s = yml_str(yml_get(y, en, keys[i]));

			if (!s)
				continue;
			err |= mbuf_printf(mb, "%s\"%s\":", first ? "" : ",",
					   keys[i]);
			err |= json_str(mb, s);
			first = false;
		}
		if (g) {
			err |= mbuf_printf(mb, "%s\"groups\":[",
					   first ? "" : ",");
			for (i = 0; i < yml_count(g) && !err; i++) {
				if (i)
					err |= mbuf_write_u8(mb, ',');
				err |= json_str(mb, yml_str(yml_item(y, g,
								     i)));
			}
			err |= mbuf_write_u8(mb, ']');
		}
		err |= mbuf_write_u8(mb, '}');
		mb->pos = 0;
		if (!err)
			err = mbuf_strdup(mb, &body, mb->end);
		mem_deref(mb);
		if (err)
			return err;
	}

	err = ue_book(ue, method, suffix[0] ? suffix : NULL, body,
		      done_handler, e);
	mem_deref(body);

	return err;
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


static int configure(struct engine *e, const yml_node *v)
{
	static const char *const mods[] = {"gm", "im", "ps", NULL};
	const struct yml *y = e->y;
	struct as *as = topo_as(e->topo, yml_str(yml_get(y, v, "node")));
	const char *mod = yml_str(yml_get(y, v, "module"));
	const char *addr = yml_str(yml_get(y, v, "addr"));
	bool down = false, corrupt;
	struct sa sa;
	int i;

	if (yml_get(y, v, "ring_timeout")) {
		double secs = 0;

		(void)yml_double(y, yml_get(y, v, "ring_timeout"), "", &secs,
				 NULL, 0);
		as_ring_timeout(as, (uint32_t)(secs * 1000));
	}

	if (yml_get(y, v, "corrupt_notify")) {
		(void)yml_bool(y, yml_get(y, v, "corrupt_notify"), "",
			       &corrupt, NULL, 0);
		as_corrupt_notify(as, corrupt);
	}

	if (!mod)
		return 0;

	if (yml_get(y, v, "down"))
		(void)yml_bool(y, yml_get(y, v, "down"), "", &down, NULL, 0);

	for (i = 0; mods[i] && strcmp(mods[i], mod); i++)
		;
	if (sa_decode(&sa, addr, strlen(addr)))
		return EINVAL;

	return as_module_set(as, i, &sa, down);
}


int action_start(struct engine *e, const yml_node *st)
{
	const struct yml *y = e->y;
	const char *name = NULL;
	const yml_node *v = action_of(y, st, &name);
	struct ue *ue;
	int err = 0;

	if (!v)
		return 0;

	ue = topo_ue(e->topo, ue_of(y, v));

	if (!strcmp(name, "register")) {
		bool refresh = true;

		if (yml_is_map(v) && yml_get(y, v, "refresh"))
			(void)yml_bool(y, yml_get(y, v, "refresh"), "refresh",
				       &refresh, NULL, 0);
		err = ue_register(ue, opt_uint(y, v, "expires", 600), refresh,
				  yml_is_map(v) ?
				  yml_str(yml_get(y, v, "password")) : NULL,
				  done_handler, e);
	}
	else if (!strcmp(name, "deregister")) {
		err = ue_deregister(ue, done_handler, e);
	}
	else if (!strcmp(name, "subscribe")) {
		const char *ev = yml_is_map(v) ?
			yml_str(yml_get(y, v, "event")) : NULL;
		bool refresh = true;

		if (yml_is_map(v) && yml_get(y, v, "refresh"))
			(void)yml_bool(y, yml_get(y, v, "refresh"), "refresh",
				       &refresh, NULL, 0);
		char *hdrs = NULL;

		err = extra_headers(&hdrs, y, v);
		if (!err)
			err = ue_subscribe(ue, ev ? ev : "sysinfo",
					   opt_uint(y, v, "expires", 600),
					   refresh, hdrs, done_handler, e);
		mem_deref(hdrs);
	}
	else if (!strcmp(name, "unsubscribe")) {
		err = ue_unsubscribe(ue, done_handler, e);
	}
	else if (!strcmp(name, "fetch")) {
		err = ue_fetch(ue, fetch_mask(y, v), yml_is_map(v) ?
			       yml_str(yml_get(y, v, "user")) : NULL,
			       yml_is_map(v) ?
			       yml_str(yml_get(y, v, "auth")) : NULL,
			       done_handler, e);
	}
	else if (!strcmp(name, "refer")) {
		const char *to = yml_str(yml_get(y, v, "name"));
		const char *svc = yml_str(yml_get(y, v, "service"));
		char target[128], refer_to[160];

		/* The callee travels as a name: the user part of a URI in
		 * names.<domain> (README: click-to-dial). */
		(void)re_snprintf(target, sizeof(target), "%s",
				  svc ? svc : "");
		if (!svc)
			(void)re_snprintf(target, sizeof(target),
					  "sip:c2d@%s", emul_domain());
		char *hdrs = NULL;

		(void)re_snprintf(refer_to, sizeof(refer_to),
				  "sip:%s@names.%s", to, emul_domain());
		err = extra_headers(&hdrs, y, v);
		if (!err)
			err = ue_refer(ue, target, refer_to, hdrs,
				       done_handler, e);
		mem_deref(hdrs);
	}
	else if (!strcmp(name, "book")) {
		err = book(e, ue, v);
	}
	else if (!strcmp(name, "hangup")) {
		err = ue_hangup(ue, done_handler, e);
	}
	else if (!strcmp(name, "phone")) {
		static const char *const modes[] = {
			"answer", "busy", "decline", "no-answer", NULL
		};
		const char *m = yml_str(yml_get(y, v, "mode"));
		int i;

		for (i = 0; modes[i] && str_cmp(modes[i], m); i++)
			;
		ue_set_answer(ue, (enum ue_answer)i,
			      opt_uint(y, v, "delay_ms", 20));
		tmr_start(&e->tmr_settle, 0, engine_settled, e);
	}
	else if (!strcmp(name, "configure")) {
		err = configure(e, v);
		if (!err)
			engine_settle(e);
	}
	else if (!strcmp(name, "wait")) {
		double secs = 0;

		(void)yml_double(y, v, "wait", &secs, NULL, 0);
		e->settling = false;
		tmr_start(&e->tmr_settle, (uint64_t)(secs * 1000),
			  engine_settled, e);
	}

	if (err)
		engine_fail(e, "%s %s: cannot start (%m)", name,
			    !strcmp(name, "configure") ?
			    yml_str(yml_get(y, v, "node")) : ue_of(y, v),
			    err);

	return 1;
}


static int check_ue_action(struct engine *e, const yml_node *v,
			   const char *what, const char *const *keys,
			   char *err, size_t sz)
{
	const struct yml *y = e->y;
	const char *ue = ue_of(y, v);
	uint32_t u;
	bool b;

	if (yml_is_map(v)) {
		const yml_node *h = yml_get(y, v, "headers");
		size_t i;

		if (yml_check_keys(y, v, keys, what, err, sz))
			return EINVAL;
		if (h && !yml_is_map(h))
			return yml_err(y, h, err, sz, "headers must map header"
				       " names to values");
		for (i = 0; i < yml_count(h); i++) {
			const char *val = yml_str(yml_val(y, h, i));

			/* One line each: no smuggled CR/LF. */
			if (!val || strpbrk(val, "\r\n"))
				return yml_err(y, yml_val(y, h, i), err, sz,
					       "header value must be one"
					       " line");
		}
		if (yml_get(y, v, "expires") &&
		    yml_uint(y, yml_get(y, v, "expires"), "expires", &u, err,
			     sz))
			return EINVAL;
		if (yml_get(y, v, "status") &&
		    yml_uint(y, yml_get(y, v, "status"), "status", &u, err,
			     sz))
			return EINVAL;
		if (yml_get(y, v, "refresh") &&
		    yml_bool(y, yml_get(y, v, "refresh"), "refresh", &b, err,
			     sz))
			return EINVAL;
	}

	if (!ue || !topo_ue(e->topo, ue))
		return yml_err(y, v, err, sz, "%s: unknown UE '%s'", what,
			       ue ? ue : "");

	return 0;
}


static int check_fetch(struct engine *e, const yml_node *v, char *err,
		       size_t sz)
{
	const struct yml *y = e->y;
	const yml_node *w = yml_is_map(v) ? yml_get(y, v, "what") : NULL;
	size_t i, n = yml_is_seq(w) ? yml_count(w) : (w ? 1 : 0);

	for (i = 0; i < n; i++) {
		const yml_node *x = yml_is_seq(w) ? yml_item(y, w, i) : w;

		if (ue_fetch_bit(yml_str(x)) < 0)
			return yml_err(y, x, err, sz, "fetch: unknown resource"
				       " '%s' (profile, addressbook, "
				       "directory, presence or messages)",
				       yml_str(x) ? yml_str(x) : "");
	}

	return 0;
}


static int check_configure(struct engine *e, const yml_node *v, char *err,
			   size_t sz)
{
	static const char *const keys[] = {
		"node", "module", "addr", "down", "corrupt_notify",
		"ring_timeout", NULL
	};
	const struct yml *y = e->y;
	const char *node = yml_str(yml_get(y, v, "node"));
	const char *mod = yml_str(yml_get(y, v, "module"));
	const char *addr = yml_str(yml_get(y, v, "addr"));
	struct sa sa;
	bool b;

	if (yml_check_keys(y, v, keys, "configure", err, sz))
		return EINVAL;

	if (!node || !topo_as(e->topo, node))
		return yml_err(y, v, err, sz, "configure: node must name an"
			       " AS of the topology");

	if (yml_get(y, v, "down") &&
	    yml_bool(y, yml_get(y, v, "down"), "down", &b, err, sz))
		return EINVAL;
	if (yml_get(y, v, "corrupt_notify") &&
	    yml_bool(y, yml_get(y, v, "corrupt_notify"), "corrupt_notify",
		     &b, err, sz))
		return EINVAL;
	if (yml_get(y, v, "ring_timeout")) {
		double d;

		if (yml_double(y, yml_get(y, v, "ring_timeout"),
			       "ring_timeout", &d, err, sz))
			return EINVAL;
		if (d > RING_MAX_S)
			return yml_err(y, yml_get(y, v, "ring_timeout"), err,
				       sz, "ring_timeout must be at most %u "
				       "seconds", RING_MAX_S);
	}

	if (!mod)
		return 0;

	if (strcmp(mod, "gm") && strcmp(mod, "im") && strcmp(mod, "ps"))
		return yml_err(y, yml_get(y, v, "module"), err, sz,
			       "configure: module must be gm, im or ps");

	if (!addr || sa_decode(&sa, addr, strlen(addr)) ||
	    !netguard_allowed(&sa))
		return yml_err(y, v, err, sz, "configure: addr must be a"
			       " loopback ip:port");

	return 0;
}


int action_validate(struct engine *e, const yml_node *st, char *err,
		    size_t sz)
{
	static const char *const kreg[] = {
		"ue", "expires", "refresh", "password", "status", "error",
		NULL
	};
	static const char *const kdereg[] = {
		"ue", "status", "error", NULL
	};
	static const char *const ksub[] = {
		"ue", "event", "expires", "refresh", "status", "error",
		"headers", NULL
	};
	static const char *const kfetch[] = {
		"ue", "what", "user", "auth", "status", "error", NULL
	};
	static const char *const krefer[] = {
		"ue", "name", "service", "status", "error", "headers", NULL
	};
	static const char *const kphone[] = {
		"ue", "mode", "delay_ms", NULL
	};
	static const char *const kbook[] = {
		"ue", "op", "id", "since", "entry", "status", "error", NULL
	};
	const struct yml *y = e->y;
	const char *name = NULL;
	const yml_node *v = action_of(y, st, &name);
	double d;

	if (!v)
		return 0;

	if (!strcmp(name, "register"))
		return check_ue_action(e, v, name, kreg, err, sz);
	if (!strcmp(name, "deregister") || !strcmp(name, "unsubscribe"))
		return check_ue_action(e, v, name, kdereg, err, sz);
	if (!strcmp(name, "subscribe"))
		return check_ue_action(e, v, name, ksub, err, sz);
	if (!strcmp(name, "fetch"))
		return check_ue_action(e, v, name, kfetch, err, sz) ||
			check_fetch(e, v, err, sz) ? EINVAL : 0;
	if (!strcmp(name, "configure"))
		return check_configure(e, v, err, sz);
	if (!strcmp(name, "hangup"))
		return check_ue_action(e, v, name, kdereg, err, sz);
	if (!strcmp(name, "book")) {
		static const char *const ekeys[] = {
			"name", "number", "uri", "groups", NULL
		};
		const char *op = yml_str(yml_get(y, v, "op"));
		const yml_node *en = yml_get(y, v, "entry");

		if (check_ue_action(e, v, name, kbook, err, sz))
			return EINVAL;
		if (!op || (strcmp(op, "add") && strcmp(op, "update") &&
			    strcmp(op, "delete") && strcmp(op, "sync") &&
			    strcmp(op, "list")))
			return yml_err(y, v, err, sz, "book: op must be add,"
				       " update, delete, sync or list");
		if (en && yml_check_keys(y, en, ekeys, "book entry", err,
					 sz))
			return EINVAL;
		return 0;
	}
	if (!strcmp(name, "refer")) {
		const char *n = yml_str(yml_get(y, v, "name"));

		if (check_ue_action(e, v, name, krefer, err, sz))
			return EINVAL;
		if (!n || !*n || strpbrk(n, "@:;<> \r\n"))
			return yml_err(y, v, err, sz, "refer: name must be a"
				       " plain name such as Mary");
		return 0;
	}
	if (!strcmp(name, "phone")) {
		const char *m = yml_str(yml_get(y, v, "mode"));

		if (check_ue_action(e, v, name, kphone, err, sz))
			return EINVAL;
		if (!m || (strcmp(m, "answer") && strcmp(m, "busy") &&
			   strcmp(m, "decline") && strcmp(m, "no-answer")))
			return yml_err(y, v, err, sz, "phone: mode must be"
				       " answer, busy, decline or no-answer");
		return 0;
	}
	if (!strcmp(name, "wait"))
		return yml_double(y, v, "wait", &d, err, sz);

	return 0;
}
