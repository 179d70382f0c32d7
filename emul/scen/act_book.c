/* SPDX-License-Identifier: BSD-3-Clause */
/* The book action: the UE's personal address book at the AS's GM
 * module, over HTTP.  An operation is a method on .../addressbook, with
 * an entry as the JSON body where it adds or updates one. */

#include <string.h>
#include <re.h>
#include "yml.h"
#include "host.h"
#include "report.h"
#include "scen.h"
#include "ue.h"
#include "engine.h"

/* op: the operation, and the method that carries it. */
static const struct act_opt ops[] = {
	{"add",    0, "POST"},
	{"update", 0, "PUT"},
	{"delete", 0, "DELETE"},
	{"sync",   0, "GET"},
	{"list",   0, "GET"},
	{NULL,     0, NULL},
};

/* An entry's fields; "groups" is a list, the others are strings. */
static const char *const fields[] = {"name", "number", "uri"};


int act_check_book(struct engine *e, const struct action *a,
		   const yml_node *v, char *err, size_t sz)
{
	static const char *const ekeys[] = {
		"name", "number", "uri", "groups", NULL
	};
	const struct yml *y = e->y;
	const yml_node *en = yml_get(y, v, "entry");

	if (act_check_ue(e, a, v, err, sz))
		return EINVAL;

	if (!act_opt_find(ops, yml_str(yml_get(y, v, "op"))))
		return yml_err(y, v, err, sz, "book: op must be %H",
			       act_opt_print, ops);

	if (en && yml_check_keys(y, en, ekeys, "book entry", err, sz))
		return EINVAL;

	return 0;
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


/* entry: {name, number, uri, groups: [...]} as one JSON object. */
static int entry_json(char **bodyp, const struct yml *y,
		      const yml_node *en)
{
	const yml_node *g = yml_get(y, en, "groups");
	struct mbuf *mb = mbuf_alloc(256);
	bool first = true;
	size_t i;
	int err;

	if (!mb)
		return ENOMEM;

	err = mbuf_write_u8(mb, '{');
	for (i = 0; i < ARRAY_SIZE(fields) && !err; i++) {
		const char *s = yml_str(yml_get(y, en, fields[i]));

		if (!s)
			continue;
		err |= mbuf_printf(mb, "%s\"%s\":", first ? "" : ",",
				   fields[i]);
		err |= json_str(mb, s);
		first = false;
	}
	if (g) {
		err |= mbuf_printf(mb, "%s\"groups\":[", first ? "" : ",");
		for (i = 0; i < yml_count(g) && !err; i++) {
			if (i)
				err |= mbuf_write_u8(mb, ',');
			err |= json_str(mb, yml_str(yml_item(y, g, i)));
		}
		err |= mbuf_write_u8(mb, ']');
	}
	err |= mbuf_write_u8(mb, '}');
	mb->pos = 0;
	if (!err)
		err = mbuf_strdup(mb, bodyp, mb->end);
	mem_deref(mb);

	return err;
}


/* book: {ue, op: add|update|delete|sync|list, id, since, entry} */
int act_book(struct engine *e, const yml_node *v)
{
	const struct yml *y = e->y;
	const struct act_opt *op = act_opt_find(ops,
						yml_str(yml_get(y, v, "op")));
	const yml_node *en = yml_get(y, v, "entry");
	char id[64] = "", since[64] = "", suffix[96] = "";
	char *body = NULL;
	int err;

	if (yml_get(y, v, "id"))
		(void)engine_subst(e, yml_str(yml_get(y, v, "id")), id,
				   sizeof(id));
	if (yml_get(y, v, "since"))
		(void)engine_subst(e, yml_str(yml_get(y, v, "since")), since,
				   sizeof(since));

	if (id[0])
		(void)re_snprintf(suffix, sizeof(suffix), "/%s", id);
	else if (since[0])
		(void)re_snprintf(suffix, sizeof(suffix), "?since=%s", since);

	if (en) {
		err = entry_json(&body, y, en);
		if (err)
			return err;
	}

	err = ue_book(act_ue(e, v), op ? op->str : "GET",
		      suffix[0] ? suffix : NULL, body, act_done, e);
	mem_deref(body);

	return err;
}
