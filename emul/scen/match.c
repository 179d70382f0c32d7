/* SPDX-License-Identifier: BSD-3-Clause */
/* Matching one value (a header, a body, a node's answer to a check):
 * a scalar means equals; a map holds equals, contains, regex (with
 * capture: NAME for its first group), absent or at_least.  Captures are
 * kept per run and put into later values as ${NAME}. */

#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <re.h>
#include "yml.h"
#include "host.h"
#include "sipkit.h"
#include "report.h"
#include "scen.h"
#include "engine.h"

struct cap {
	struct le le;
	char *name;
	char *value;
};

/* One kind of matcher: true when val passes, else why it does not. */
typedef bool (match_h)(struct engine *e, const yml_node *m,
		       const yml_node *n, const char *val, char *why,
		       size_t wsz);

static match_h match_at_least, match_equals, match_contains, match_regex;

/* In the order they are tried; each one present must pass. */
static const struct matcher {
	const char *key;
	match_h *h;
} matchv[] = {
	{"at_least", match_at_least},
	{"equals",   match_equals},
	{"contains", match_contains},
	{"regex",    match_regex},
};


static void cap_destructor(void *arg)
{
	struct cap *c = arg;

	list_unlink(&c->le);
	mem_deref(c->name);
	mem_deref(c->value);
}


const char *engine_capture(struct engine *e, const char *name)
{
	struct le *le;

	for (le = e->caps.head; le; le = le->next) {
		struct cap *c = le->data;

		if (!strcmp(c->name, name))
			return c->value;
	}

	return NULL;
}


int engine_capture_set(struct engine *e, const char *name,
		       const struct pl *v)
{
	struct cap *c;
	struct le *le;
	int err;

	for (le = e->caps.head; le; le = le->next) {
		c = le->data;
		if (!strcmp(c->name, name)) {
			c->value = mem_deref(c->value);
			return pl_strdup(&c->value, v);
		}
	}

	c = mem_zalloc(sizeof(*c), cap_destructor);
	if (!c)
		return ENOMEM;

	err  = str_dup(&c->name, name);
	err |= pl_strdup(&c->value, v);
	if (err) {
		mem_deref(c);
		return ENOMEM;
	}

	list_append(&e->caps, &c->le, c);
	return 0;
}


/* in with each ${NAME} of a known capture replaced by its value; in a
 * regex the value stands for itself, its metacharacters escaped (a
 * base64 nonce has '+' and '/'). */
static const char *subst(struct engine *e, const char *in, char *buf,
			 size_t sz, bool re)
{
	static const char meta[] = ".[]{}()\\*+?^$|";
	size_t o = 0;

	while (*in && o + 1 < sz) {
		const char *end;

		if (in[0] == '$' && in[1] == '{' &&
		    (end = strchr(in, '}')) != NULL) {
			char name[64];
			const char *v;

			str_ncpy(name, in + 2, MIN((size_t)(end - in - 1),
						   sizeof(name)));
			v = engine_capture(e, name);
			if (v) {
				for (; *v && o + 2 < sz; v++) {
					if (re && strchr(meta, *v))
						buf[o++] = '\\';
					buf[o++] = *v;
				}
				if (*v)
					break;
				in = end + 1;
				continue;
			}
		}
		buf[o++] = *in++;
	}
	buf[o] = '\0';

	return buf;
}


const char *engine_subst(struct engine *e, const char *in, char *buf,
			 size_t sz)
{
	return subst(e, in, buf, sz, false);
}


/* A number of at least this much: media counters, say. */
static bool match_at_least(struct engine *e, const yml_node *m,
			   const yml_node *n, const char *val, char *why,
			   size_t wsz)
{
	long want = atol(yml_str(n) ? yml_str(n) : "0");

	if (atol(val) >= want)
		return true;

	(void)re_snprintf(why, wsz, "expected at least %ld, got '%s'", want,
			  val);
	return false;
}


static bool match_equals(struct engine *e, const yml_node *m,
			 const yml_node *n, const char *val, char *why,
			 size_t wsz)
{
	char buf[1024];
	const char *s = engine_subst(e, yml_str(n), buf, sizeof(buf));

	if (!strcmp(val, s))
		return true;

	(void)re_snprintf(why, wsz, "expected '%s', got '%s'", s, val);
	return false;
}


static bool match_contains(struct engine *e, const yml_node *m,
			   const yml_node *n, const char *val, char *why,
			   size_t wsz)
{
	char buf[1024];
	const char *s = engine_subst(e, yml_str(n), buf, sizeof(buf));

	if (strstr(val, s))
		return true;

	(void)re_snprintf(why, wsz, "expected to contain '%s', got '%s'", s,
			  val);
	return false;
}


static bool match_regex(struct engine *e, const yml_node *m,
			const yml_node *n, const char *val, char *why,
			size_t wsz)
{
	yml_node *cap = yml_get(e->y, m, "capture");
	char buf[1024], buf2[128];
	regmatch_t mt[2];
	regex_t re;
	const char *s = subst(e, yml_str(n), buf, sizeof(buf), true);

	if (emul_regcomp(&re, s, 0, buf2, sizeof(buf2))) {
		(void)re_snprintf(why, wsz, "bad regex '%s': %s", s, buf2);
		return false;
	}
	if (regexec(&re, val, 2, mt, 0)) {
		regfree(&re);
		(void)re_snprintf(why, wsz, "'%s' does not match /%s/", val,
				  s);
		return false;
	}
	regfree(&re);

	if (cap) {
		regmatch_t *g = mt[1].rm_so >= 0 ? &mt[1] : &mt[0];
		struct pl v;

		v.p = val + g->rm_so;
		v.l = (size_t)(g->rm_eo - g->rm_so);
		(void)engine_capture_set(e, yml_str(cap), &v);
	}

	return true;
}


/* val NULL: the value is absent. */
bool match_value(struct engine *e, const yml_node *m, const char *val,
		 char *why, size_t wsz)
{
	const struct yml *y = e->y;
	const yml_node *n;
	char buf[1024];
	size_t i;

	if (yml_is_scalar(m)) {
		const char *s = engine_subst(e, yml_str(m), buf, sizeof(buf));

		if (val && !strcmp(val, s))
			return true;
		(void)re_snprintf(why, wsz, "expected '%s', got '%s'", s,
				  val ? val : "(absent)");
		return false;
	}

	if (yml_get(y, m, "absent")) {
		if (!val)
			return true;
		(void)re_snprintf(why, wsz, "expected absent, got '%s'", val);
		return false;
	}

	if (!val) {
		(void)re_snprintf(why, wsz, "missing");
		return false;
	}

	for (i = 0; i < ARRAY_SIZE(matchv); i++) {
		n = yml_get(y, m, matchv[i].key);
		if (n && !matchv[i].h(e, m, n, val, why, wsz))
			return false;
	}

	return true;
}


int check_value(struct engine *e, const yml_node *m, const char *val,
		char *why, size_t wsz)
{
	return match_value(e, m, val, why, wsz) ? 0 : EPROTO;
}
