/* SPDX-License-Identifier: BSD-3-Clause */
/* The reginfo document a NOTIFY brought, read with libxml2's parser into
 * the model of reginfo.c.  A body from the wire may carry anything, so
 * the parser never opens the network, never loads a DTD and never
 * expands an entity, and a DOCTYPE is refused where it stands; libxml2's
 * messages go into the caller's err, never to stderr.  Elements of other
 * namespaces are skipped (RFC 3680: the schema is extensible), one
 * unknown in reginfo's own is an error. */

#include <limits.h>
#include <stdarg.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <re.h>
#include "sipkit.h"
#include "reginfo.h"
#include "reginfoint.h"

/* The first fault found, in the caller's buffer. */
struct parse {
	char *err;
	size_t sz;
	bool failed;
};


static void vfault(struct parse *ps, long line, const char *fmt, va_list ap)
{
	int n;

	if (ps->failed)
		return;
	ps->failed = true;
	if (!ps->err || !ps->sz)
		return;

	n = re_snprintf(ps->err, ps->sz, "line %d: ", (int)line);
	if (n >= 0 && (size_t)n < ps->sz)
		(void)re_vsnprintf(ps->err + n, ps->sz - n, fmt, ap);
}


static int fault(struct parse *ps, const xmlNode *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfault(ps, n ? xmlGetLineNo(n) : 0, fmt, ap);
	va_end(ap);

	return EBADMSG;
}


static void fault_line(struct parse *ps, long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfault(ps, line, fmt, ap);
	va_end(ap);
}


static bool is_elem(const xmlNode *n, const char *ns, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
		!strcmp((const char *)n->ns->href, ns) &&
		!strcmp((const char *)n->name, name);
}


static bool in_ns(const xmlNode *n, const char *ns)
{
	return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
		!strcmp((const char *)n->ns->href, ns);
}


/* The unqualified attribute name of n as a mem string, NULL when absent
 * (a fault when need says it must be there). */
static int attr_get(char **vp, struct parse *ps, const xmlNode *n,
		    const char *name, bool need)
{
	xmlChar *v = xmlGetNoNsProp(n, BAD_CAST name);
	int err;

	*vp = NULL;
	if (!v)
		return need ? fault(ps, n, "<%s> without '%s'", n->name, name)
			: 0;

	err = str_dup(vp, (const char *)v);
	xmlFree(v);

	return err;
}


static int u32_parse(uint32_t *v, const char *s)
{
	unsigned long long x = 0;

	if (!s || !*s)
		return EINVAL;

	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return EINVAL;
		x = x * 10 + (unsigned)(*s - '0');
		if (x > UINT32_MAX)
			return ERANGE;
	}

	*v = (uint32_t)x;

	return 0;
}


/* RFC 3261 25.1: qvalue = "0" [ "." 0*3DIGIT ] / "1" [ "." 0*3("0") ] */
static int q_parse(uint16_t *q, const char *s)
{
	unsigned v, scale = 100;

	if (!s || (s[0] != '0' && s[0] != '1'))
		return EINVAL;

	v = (unsigned)(s[0] - '0') * 1000;
	s++;
	if (*s == '.') {
		for (++s; *s && scale; s++, scale /= 10) {
			if (*s < '0' || *s > '9')
				return EINVAL;
			v += (unsigned)(*s - '0') * scale;
		}
	}

	if (*s || v > 1000)
		return EINVAL;

	*q = (uint16_t)v;

	return 0;
}


/* An optional number attribute; *has says whether it was there. */
static int attr_u32(uint32_t *v, bool *has, struct parse *ps,
		    const xmlNode *n, const char *name)
{
	char *s;
	int err;

	err = attr_get(&s, ps, n, name, false);
	if (err || !s)
		return err;

	if (u32_parse(v, s))
		err = fault(ps, n, "<%s> %s '%s' is no number", n->name,
			    name, s);
	else
		*has = true;

	mem_deref(s);

	return err;
}


/* The text of n, without the white space around it when trim says. */
static int text_get(char **sp, const xmlNode *n, bool trim)
{
	xmlChar *t = xmlNodeGetContent(n);
	struct pl pl;
	int err;

	*sp = NULL;
	if (!t)
		return 0;

	pl_set_str(&pl, (const char *)t);
	while (trim && pl.l && strchr(" \t\r\n", pl.p[0])) {
		++pl.p;
		--pl.l;
	}
	while (trim && pl.l && strchr(" \t\r\n", pl.p[pl.l - 1]))
		--pl.l;

	err = pl.l ? pl_strdup(sp, &pl) : 0;
	xmlFree(t);

	return err;
}


static int gruu_parse(struct reginfo_contact *ct, struct parse *ps,
		      const xmlNode *n)
{
	char *uri, *cseq = NULL;
	uint32_t v = 0;
	int err;

	err = attr_get(&uri, ps, n, "uri", true);
	if (err)
		return err;

	if (!strcmp((const char *)n->name, "pub-gruu")) {
		err = reginfo_contact_gruu(ct, uri, NULL, 0);
		goto out;
	}

	err = attr_get(&cseq, ps, n, "first-cseq", true);
	if (err)
		goto out;
	if (u32_parse(&v, cseq)) {
		err = fault(ps, n, "<%s> first-cseq '%s' is no number",
			    n->name, cseq);
		goto out;
	}

	err = reginfo_contact_gruu(ct, NULL, uri, v);

 out:
	mem_deref(uri);
	mem_deref(cseq);

	return err;
}


static int param_parse(struct reginfo_contact *ct, struct parse *ps,
		       const xmlNode *n)
{
	char *name, *value = NULL;
	int err;

	err = attr_get(&name, ps, n, "name", true);
	if (!err)
		err = text_get(&value, n, false);
	if (!err)
		err = reginfo_param_add(ct, name, value);

	mem_deref(name);
	mem_deref(value);

	return err;
}


/* A child of <contact> other than <uri>. */
static int contact_child(struct reginfo_contact *ct, struct parse *ps,
			 const xmlNode *c)
{
	if (is_elem(c, REGINFO_NS, "display-name")) {
		if (ct->display_name)
			return fault(ps, c, "<contact> with a second "
				     "<display-name>");
		return text_get(&ct->display_name, c, false);
	}

	if (is_elem(c, REGINFO_NS, "unknown-param"))
		return param_parse(ct, ps, c);

	if (is_elem(c, REGINFO_GRUU_NS, "pub-gruu") ||
	    is_elem(c, REGINFO_GRUU_NS, "temp-gruu"))
		return gruu_parse(ct, ps, c);

	if (in_ns(c, REGINFO_NS))
		return fault(ps, c, "<%s> unknown in <contact>", c->name);

	return 0;
}


/* The contact's one <uri>, which its constructor needs first. */
static int contact_uri(char **urip, struct parse *ps, const xmlNode *n)
{
	const xmlNode *c, *found = NULL;

	*urip = NULL;
	for (c = n->children; c; c = c->next) {
		if (!is_elem(c, REGINFO_NS, "uri"))
			continue;
		if (found)
			return fault(ps, c, "<contact> with a second <uri>");
		found = c;
	}

	if (!found)
		return fault(ps, n, "<contact> without <uri>");

	if (text_get(urip, found, true))
		return ENOMEM;

	return *urip ? 0 : fault(ps, found, "<uri> empty");
}


static int contact_opts(struct reginfo_contact *ct, struct parse *ps,
			const xmlNode *n)
{
	char *q;
	int err;

	err = attr_u32(&ct->expires, &ct->has_expires, ps, n, "expires");
	if (!err)
		err = attr_u32(&ct->retry_after, &ct->has_retry_after, ps, n,
			       "retry-after");
	if (!err)
		err = attr_u32(&ct->duration, &ct->has_duration, ps, n,
			       "duration-registered");
	if (!err)
		err = attr_u32(&ct->cseq, &ct->has_cseq, ps, n, "cseq");
	if (!err)
		err = attr_get(&ct->callid, ps, n, "callid", false);
	if (!err)
		err = attr_get(&q, ps, n, "q", false);
	if (err || !q)
		return err;

	if (q_parse(&ct->q, q))
		err = fault(ps, n, "<contact> q '%s' is no qvalue", q);
	else
		ct->has_q = true;

	mem_deref(q);

	return err;
}


static int contact_parse(struct reginfo_reg *reg, struct parse *ps,
			 const xmlNode *n)
{
	char *id = NULL, *state = NULL, *event = NULL, *uri = NULL;
	struct reginfo_contact *ct = NULL;
	enum reginfo_ct_state st;
	enum reginfo_event ev;
	const xmlNode *c;
	int err;

	err = attr_get(&id, ps, n, "id", true);
	if (!err)
		err = attr_get(&state, ps, n, "state", true);
	if (!err)
		err = attr_get(&event, ps, n, "event", true);
	if (err)
		goto out;

	if (reginfo_ct_state_parse(&st, state)) {
		err = fault(ps, n, "<contact> state '%s' unknown", state);
		goto out;
	}
	if (reginfo_event_parse(&ev, event)) {
		err = fault(ps, n, "<contact> event '%s' unknown", event);
		goto out;
	}

	err = contact_uri(&uri, ps, n);
	if (!err)
		err = reginfo_contact_add(&ct, reg, id, uri, st, ev);
	if (!err)
		err = contact_opts(ct, ps, n);

	for (c = n->children; c && !err; c = c->next) {
		if (!is_elem(c, REGINFO_NS, "uri"))
			err = contact_child(ct, ps, c);
	}

 out:
	mem_deref(id);
	mem_deref(state);
	mem_deref(event);
	mem_deref(uri);

	return err;
}


static int reg_parse(struct reginfo *ri, struct parse *ps, const xmlNode *n)
{
	char *aor = NULL, *id = NULL, *state = NULL;
	struct reginfo_reg *reg = NULL;
	enum reginfo_reg_state st;
	const xmlNode *c;
	int err;

	err = attr_get(&aor, ps, n, "aor", true);
	if (!err)
		err = attr_get(&id, ps, n, "id", true);
	if (!err)
		err = attr_get(&state, ps, n, "state", true);
	if (err)
		goto out;

	if (reginfo_reg_state_parse(&st, state)) {
		err = fault(ps, n, "<registration> state '%s' unknown",
			    state);
		goto out;
	}

	err = reginfo_reg_add(&reg, ri, aor, id, st);

	for (c = n->children; c && !err; c = c->next) {
		if (is_elem(c, REGINFO_NS, "contact"))
			err = contact_parse(reg, ps, c);
		else if (in_ns(c, REGINFO_NS))
			err = fault(ps, c, "<%s> unknown in <registration>",
				    c->name);
	}

 out:
	mem_deref(aor);
	mem_deref(id);
	mem_deref(state);

	return err;
}


static int doc_parse(struct reginfo **rip, struct parse *ps,
		     const xmlNode *root)
{
	char *version = NULL, *state = NULL;
	enum reginfo_doc_state st;
	struct reginfo *ri = NULL;
	const xmlNode *c;
	uint32_t v;
	int err;

	if (!root)
		return fault(ps, NULL, "no root element");
	if (strcmp((const char *)root->name, "reginfo"))
		return fault(ps, root, "root <%s>, not <reginfo>",
			     root->name);
	if (!in_ns(root, REGINFO_NS))
		return fault(ps, root, "<reginfo> not in namespace "
			     REGINFO_NS);

	err = attr_get(&version, ps, root, "version", true);
	if (!err)
		err = attr_get(&state, ps, root, "state", true);
	if (err)
		goto out;

	if (u32_parse(&v, version)) {
		err = fault(ps, root, "<reginfo> version '%s' is no number",
			    version);
		goto out;
	}
	if (reginfo_doc_state_parse(&st, state)) {
		err = fault(ps, root, "<reginfo> state '%s' unknown", state);
		goto out;
	}

	err = reginfo_alloc(&ri, v, st);

	for (c = root->children; c && !err; c = c->next) {
		if (is_elem(c, REGINFO_NS, "registration"))
			err = reg_parse(ri, ps, c);
		else if (in_ns(c, REGINFO_NS))
			err = fault(ps, c, "<%s> unknown in <reginfo>",
				    c->name);
	}

 out:
	mem_deref(version);
	mem_deref(state);
	if (err)
		mem_deref(ri);
	else
		*rip = ri;

	return err;
}


struct parse_arg {
	struct reginfo **rip;
	struct parse *ps;
};


/* the kit's fault, in the caller's err */
static void kit_fault(long line, const char *msg, void *arg)
{
	struct parse_arg *pa = arg;

	fault_line(pa->ps, line, "%s", msg);
}


static int root_h(struct _xmlNode *root, void *arg)
{
	struct parse_arg *pa = arg;

	return doc_parse(pa->rip, pa->ps, root);
}


int reginfo_decode(struct reginfo **rip, const char *xml, size_t len,
		   char *err, size_t sz)
{
	struct parse ps = {err, sz, false};
	struct parse_arg pa = {rip, &ps};

	if (!rip || !xml)
		return EINVAL;
	if (err && sz)
		err[0] = '\0';

	return xmlkit_parse(xml, len, INT_MAX, "a reginfo document",
			    kit_fault, root_h, &pa);
}
