/* SPDX-License-Identifier: BSD-3-Clause */
/* xml_schema: what TS 29.228's XSD (Annex E) says of an element, checked
 * on libxml2's tree: the children of each complex type as a table of its
 * sequence, so that an element unknown, out of place, repeated or
 * missing is named with its line; and the simple contents (numbers,
 * tBool, strings).  The first fault goes into the caller's buffer. */

#include <stdarg.h>
#include <string.h>
#include <re.h>
#include "hss.h"
#include "hssint.h"
#include "xmlint.h"


static void vfault(struct xparse *xp, long line, const char *fmt,
		   va_list ap)
{
	int n;

	if (xp->failed)
		return;
	xp->failed = true;
	if (!xp->err || !xp->sz)
		return;

	n = re_snprintf(xp->err, xp->sz, "%s:%ld: ", xp->name, line);
	if (n >= 0 && (size_t)n < xp->sz)
		(void)re_vsnprintf(xp->err + n, xp->sz - n, fmt, ap);
}


int xp_fault(struct xparse *xp, const xmlNode *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfault(xp, n ? xmlGetLineNo(n) : 0, fmt, ap);
	va_end(ap);

	return EBADMSG;
}


void xp_fault_line(struct xparse *xp, long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfault(xp, line, fmt, ap);
	va_end(ap);
}


bool xs_is(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && !n->ns &&
		!strcmp((const char *)n->name, name);
}


const xmlNode *xs_find(const xmlNode *c, const char *name)
{
	for (; c; c = c->next) {
		if (xs_is(c, name))
			return c;
	}

	return NULL;
}


size_t xs_count(const xmlNode *n, const char *name)
{
	const xmlNode *c;
	size_t k = 0;

	for (c = xs_child(n, name); c; c = xs_next(c, name))
		++k;

	return k;
}


/* name is one of the alternatives of el ("A|B|C") */
static bool el_has(const struct xs_el *el, const char *name)
{
	size_t l = strlen(name);
	const char *p = el->name;

	for (;;) {
		const char *bar = strchr(p, '|');
		size_t pl = bar ? (size_t)(bar - p) : strlen(p);

		if (pl == l && !strncmp(p, name, l))
			return true;
		if (!bar)
			return false;
		p = bar + 1;
	}
}


/* "<A>", or "<A>, <B> or <C>" for a choice */
static int el_print(struct re_printf *pf, void *arg)
{
	const struct xs_el *el = arg;
	const char *p = el->name;
	int err = 0;

	while (!err) {
		const char *bar = strchr(p, '|');
		size_t pl = bar ? (size_t)(bar - p) : strlen(p);

		err = re_hprintf(pf, "<%b>", p, pl);
		if (err || !bar)
			break;
		p = bar + 1;
		err = re_hprintf(pf, strchr(p, '|') ? ", " : " or ");
	}

	return err;
}


static bool blank(const xmlChar *s)
{
	for (; s && *s; s++) {
		if (!strchr(" \t\r\n", *s))
			return false;
	}

	return true;
}


/* The slot of seq at or after from whose name is c's, or c */
static size_t slot_of(const struct xs_el *seq, size_t from, size_t c,
		      const char *name)
{
	size_t j;

	for (j = from; j < c; j++) {
		if (el_has(&seq[j], name))
			return j;
	}

	return c;
}


/* A required slot between the current and the next that is skipped:
 * missing, or standing further on (out of place). */
static int skipped(struct xparse *xp, const xmlNode *n, const xmlNode *at,
		   const struct xs_el *el)
{
	const xmlNode *c;

	for (c = at; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE && !c->ns &&
		    el_has(el, (const char *)c->name))
			return xp_fault(xp, at, "<%s> out of place in <%s>: "
					"%H goes before it", at->name,
					n->name, el_print, el);
	}

	return xp_fault(xp, at ? at : n, "<%s> without %H", n->name,
			el_print, el);
}


static int child_check(struct xparse *xp, const xmlNode *n,
		       const xmlNode *c, const struct xs_el *seq, size_t sc,
		       size_t *slot, unsigned *cnt, const xmlNode **first)
{
	const char *name = (const char *)c->name;
	size_t j = slot_of(seq, *slot, sc, name), k;

	if (j == sc)
		return xp_fault(xp, c, slot_of(seq, 0, *slot, name) < *slot ?
				"<%s> out of place in <%s>" :
				"<%s> unknown in <%s>", name, n->name);

	if (j == *slot && *cnt) {
		if (*cnt >= seq[j].max && strcmp(name,
					    (const char *)(*first)->name))
			return xp_fault(xp, c, "<%s> with <%s> and <%s>: one "
					"of %H only", n->name, (*first)->name,
					name, el_print, &seq[j]);
		if (*cnt >= seq[j].max)
			return xp_fault(xp, c, "<%s> with a second <%s>",
					n->name, name);
		++*cnt;
		return 0;
	}

	/* moving on: what lies between must be optional */
	for (k = *cnt ? *slot + 1 : *slot; k < j; k++) {
		if (seq[k].min)
			return skipped(xp, n, c, &seq[k]);
	}
	if (*cnt && *cnt < seq[*slot].min)
		return skipped(xp, n, c, &seq[*slot]);

	*slot = j;
	*cnt = 1;
	*first = c;

	return 0;
}


int xs_check(struct xparse *xp, const xmlNode *n, const struct xs_el *seq,
	     size_t sc, bool any)
{
	const xmlNode *c, *first = NULL;
	size_t slot = 0, k;
	unsigned cnt = 0;
	int err;

	for (c = n->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE ||
		    c->type == XML_CDATA_SECTION_NODE) {
			if (!blank(c->content))
				return xp_fault(xp, c, "<%s> holds text where "
						"only elements go", n->name);
			continue;
		}
		if (c->type != XML_ELEMENT_NODE)
			continue;

		if (c->ns) {
			if (any)
				continue;
			return xp_fault(xp, c, "<%s:%s> of namespace %s in "
					"<%s>, which takes none", c->ns->prefix
					? (const char *)c->ns->prefix : "",
					c->name, c->ns->href, n->name);
		}

		err = child_check(xp, n, c, seq, sc, &slot, &cnt, &first);
		if (err)
			return err;
	}

	for (k = cnt ? slot + 1 : slot; k < sc; k++) {
		if (seq[k].min)
			return xp_fault(xp, n, "<%s> without %H", n->name,
					el_print, &seq[k]);
	}
	if (cnt && cnt < seq[slot].min)
		return xp_fault(xp, n, "<%s> without %H", n->name, el_print,
				&seq[slot]);

	return 0;
}


int xs_text(char **sp, struct xparse *xp, const xmlNode *n, bool collapse,
	    bool need)
{
	const xmlNode *c;
	xmlChar *t;
	struct pl pl;
	int err;

	*sp = NULL;
	for (c = n->children; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE)
			return xp_fault(xp, c, "<%s> in <%s>, which holds text"
					" only", c->name, n->name);
	}

	t = xmlNodeGetContent(n);
	pl_set_str(&pl, t ? (const char *)t : "");
	while (collapse && pl.l && strchr(" \t\r\n", pl.p[0])) {
		++pl.p;
		--pl.l;
	}
	while (collapse && pl.l && strchr(" \t\r\n", pl.p[pl.l - 1]))
		--pl.l;

	if (need && !pl.l)
		err = xp_fault(xp, n, "<%s> must not be empty", n->name);
	else
		err = pl_strdup(sp, &pl);
	xmlFree(t);

	return err;
}


int xs_uint(uint32_t *vp, struct xparse *xp, const xmlNode *n, uint32_t max)
{
	unsigned long long v = 0;
	const char *p;
	char *s;
	int err;

	err = xs_text(&s, xp, n, true, true);
	if (err)
		return err;

	for (p = s; *p >= '0' && *p <= '9' && v <= UINT32_MAX; p++)
		v = v * 10 + (unsigned)(*p - '0');

	if (*p && (*p < '0' || *p > '9'))
		err = xp_fault(xp, n, "<%s>: '%s' is not a whole number",
			       n->name, s);
	else if (v > max && max > 255)
		err = xp_fault(xp, n, "<%s>: %s is too large", n->name, s);
	else if (v > max)
		err = xp_fault(xp, n, max == 1 ? "<%s>: %s is not 0 or 1" :
			       "<%s>: %s is not 0-%u", n->name, s, max);
	else
		*vp = (uint32_t)v;

	mem_deref(s);

	return err;
}


/* xs:boolean's four spellings */
int xs_bool(bool *vp, struct xparse *xp, const xmlNode *n)
{
	char *s;
	int err;

	err = xs_text(&s, xp, n, true, true);
	if (err)
		return err;

	if (!strcmp(s, "1") || !strcmp(s, "true"))
		*vp = true;
	else if (!strcmp(s, "0") || !strcmp(s, "false"))
		*vp = false;
	else
		err = xp_fault(xp, n, "<%s>: '%s' is not 0, 1, true or false",
			       n->name, s);

	mem_deref(s);

	return err;
}
