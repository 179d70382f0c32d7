/* SPDX-License-Identifier: BSD-3-Clause */
/* yml: libyaml's document model with typed accessors.  Every loader error
 * goes through yml_err so that the user reads file:line:column first. */

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <re.h>
#include "yml.h"

struct yml {
	yaml_document_t doc;
	bool loaded;
	char *file;
};


static void destructor(void *arg)
{
	struct yml *y = arg;

	if (y->loaded)
		yaml_document_delete(&y->doc);
	mem_deref(y->file);
}


enum {
	DEPTH_MAX = 64,                 /* no topology nests half as deep */
	FILE_MAX  = 16 * 1024 * 1024,
};


/* libyaml's document loader takes time quadratic in the nesting depth
 * (a 200 KB file of brackets ran for 45 s), so a first pass over the
 * events refuses anything deeper than DEPTH_MAX before it is built. */
static int depth_check(const char *name, const char *text, size_t len,
		       char *err, size_t sz)
{
	yaml_parser_t p;
	yaml_event_t ev;
	unsigned depth = 0;
	int e = 0;

	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);

	for (;;) {
		if (!yaml_parser_parse(&p, &ev))
			break;   /* the loader reports the syntax error */

		if (ev.type == YAML_SEQUENCE_START_EVENT ||
		    ev.type == YAML_MAPPING_START_EVENT) {
			if (++depth > DEPTH_MAX) {
				(void)re_snprintf(err, sz, "%s:%zu:%zu: "
						  "nested deeper than %d "
						  "levels", name,
						  ev.start_mark.line + 1,
						  ev.start_mark.column + 1,
						  DEPTH_MAX);
				e = EINVAL;
			}
		}
		else if (ev.type == YAML_SEQUENCE_END_EVENT ||
			 ev.type == YAML_MAPPING_END_EVENT) {
			--depth;
		}

		if (ev.type == YAML_STREAM_END_EVENT || e) {
			yaml_event_delete(&ev);
			break;
		}
		yaml_event_delete(&ev);
	}

	yaml_parser_delete(&p);

	return e;
}


static int syntax_err(const char *name, const yaml_parser_t *p, char *err,
		      size_t sz)
{
	(void)re_snprintf(err, sz, "%s:%zu:%zu: YAML syntax: %s", name,
			  p->problem_mark.line + 1, p->problem_mark.column + 1,
			  p->problem ? p->problem : "error");

	return EINVAL;
}


static int load(struct yml **yp, const char *name, yaml_parser_t *p,
		char *err, size_t sz)
{
	yaml_document_t extra;
	struct yml *y;
	int e;

	y = mem_zalloc(sizeof(*y), destructor);
	if (!y)
		return ENOMEM;

	e = str_dup(&y->file, name);
	if (e)
		goto out;

	if (!yaml_parser_load(p, &y->doc)) {
		e = syntax_err(name, p, err, sz);
		goto out;
	}
	y->loaded = true;

	if (!yaml_document_get_root_node(&y->doc)) {
		(void)re_snprintf(err, sz, "%s:1:1: empty document", name);
		e = EINVAL;
		goto out;
	}

	/* A file is one document; a second after '---' would be ignored
	 * without a word, steps and all. */
	if (!yaml_parser_load(p, &extra)) {
		e = syntax_err(name, p, err, sz);
		goto out;
	}
	if (yaml_document_get_root_node(&extra)) {
		(void)re_snprintf(err, sz, "%s:%zu:%zu: a second YAML "
				  "document: imsbed reads one per file",
				  name, extra.start_mark.line + 1,
				  extra.start_mark.column + 1);
		e = EINVAL;
	}
	yaml_document_delete(&extra);

 out:
	if (e)
		mem_deref(y);
	else
		*yp = y;

	return e;
}


static int load_text(struct yml **yp, const char *name, const char *text,
		     size_t len, char *err, size_t sz)
{
	yaml_parser_t p;
	int e;

	e = depth_check(name, text, len, err, sz);
	if (e)
		return e;

	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	e = load(yp, name, &p, err, sz);
	yaml_parser_delete(&p);

	return e;
}


int yml_load_file(struct yml **yp, const char *path, char *err, size_t sz)
{
	char *text = NULL;
	size_t len = 0, n;
	FILE *f;
	int e;

	if (!yp || !path)
		return EINVAL;

	f = fopen(path, "rb");
	if (!f) {
		e = errno;
		(void)re_snprintf(err, sz, "%s: cannot open: %s", path,
				  strerror(e));
		return e;
	}

	/* Read whole, for the two passes. */
	text = mem_alloc(FILE_MAX + 1, NULL);
	if (!text) {
		fclose(f);
		return ENOMEM;
	}
	while ((n = fread(text + len, 1, FILE_MAX + 1 - len, f)) > 0)
		len += n;
	e = ferror(f) ? EIO : 0;
	fclose(f);

	if (e)
		(void)re_snprintf(err, sz, "%s: cannot read: %s", path,
				  strerror(e));
	else if (len > FILE_MAX) {
		(void)re_snprintf(err, sz, "%s:1:1: larger than %d MiB", path,
				  FILE_MAX >> 20);
		e = EFBIG;
	}
	else
		e = load_text(yp, path, text, len, err, sz);

	mem_deref(text);

	return e;
}


int yml_load_str(struct yml **yp, const char *name, const char *text,
		 char *err, size_t sz)
{
	if (!yp || !name || !text)
		return EINVAL;

	return load_text(yp, name, text, strlen(text), err, sz);
}


yml_node *yml_root(const struct yml *y)
{
	return y ? yaml_document_get_root_node((yaml_document_t *)&y->doc)
		 : NULL;
}


const char *yml_file(const struct yml *y)
{
	return y ? y->file : "";
}


bool yml_is_map(const yml_node *n)
{
	return n && n->type == YAML_MAPPING_NODE;
}


bool yml_is_seq(const yml_node *n)
{
	return n && n->type == YAML_SEQUENCE_NODE;
}


bool yml_is_scalar(const yml_node *n)
{
	return n && n->type == YAML_SCALAR_NODE;
}


static yml_node *node(const struct yml *y, int id)
{
	return yaml_document_get_node((yaml_document_t *)&y->doc, id);
}


size_t yml_count(const yml_node *n)
{
	if (yml_is_map(n))
		return n->data.mapping.pairs.top - n->data.mapping.pairs.start;
	if (yml_is_seq(n))
		return n->data.sequence.items.top -
			n->data.sequence.items.start;
	return 0;
}


yml_node *yml_item(const struct yml *y, const yml_node *seq, size_t i)
{
	if (!yml_is_seq(seq) || i >= yml_count(seq))
		return NULL;

	return node(y, seq->data.sequence.items.start[i]);
}


yml_node *yml_key(const struct yml *y, const yml_node *map, size_t i)
{
	if (!yml_is_map(map) || i >= yml_count(map))
		return NULL;

	return node(y, map->data.mapping.pairs.start[i].key);
}


yml_node *yml_val(const struct yml *y, const yml_node *map, size_t i)
{
	if (!yml_is_map(map) || i >= yml_count(map))
		return NULL;

	return node(y, map->data.mapping.pairs.start[i].value);
}


const char *yml_str(const yml_node *n)
{
	return yml_is_scalar(n) ? (const char *)n->data.scalar.value : NULL;
}


yml_node *yml_get(const struct yml *y, const yml_node *map, const char *key)
{
	size_t i;

	for (i = 0; i < yml_count(map); i++) {
		const char *k = yml_str(yml_key(y, map, i));

		if (k && !strcmp(k, key))
			return yml_val(y, map, i);
	}

	return NULL;
}


unsigned yml_line(const yml_node *n)
{
	return n ? (unsigned)n->start_mark.line + 1 : 0;
}


unsigned yml_col(const yml_node *n)
{
	return n ? (unsigned)n->start_mark.column + 1 : 0;
}


int yml_err(const struct yml *y, const yml_node *n, char *err, size_t sz,
	    const char *fmt, ...)
{
	char msg[384];
	va_list ap;

	va_start(ap, fmt);
	(void)re_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	if (err && sz)
		(void)re_snprintf(err, sz, "%s:%u:%u: %s", yml_file(y),
				  n ? yml_line(n) : 1, n ? yml_col(n) : 1,
				  msg);

	return EINVAL;
}


int yml_scalar(const struct yml *y, const yml_node *n, const char *what,
	       const char **vp, char *err, size_t sz)
{
	if (!yml_is_scalar(n))
		return yml_err(y, n, err, sz, "%s must be a scalar", what);

	*vp = yml_str(n);
	return 0;
}


int yml_uint(const struct yml *y, const yml_node *n, const char *what,
	     uint32_t *vp, char *err, size_t sz)
{
	const char *s = NULL;
	char *end;
	unsigned long v;

	if (yml_scalar(y, n, what, &s, err, sz))
		return EINVAL;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (!*s || *end || errno || v > UINT32_MAX || *s == '-')
		return yml_err(y, n, err, sz,
			       "%s must be a whole number, not '%s'", what, s);

	*vp = (uint32_t)v;
	return 0;
}


/* A list of distinct whole numbers, such as a node's capabilities: each
 * element's error names the element. */
int yml_uints(const struct yml *y, const yml_node *n, const char *what,
	      uint32_t *v, size_t max, size_t *np, char *err, size_t sz)
{
	char path[96];
	size_t i, j;

	if (!yml_is_seq(n))
		return yml_err(y, n, err, sz, "%s must be a list of whole "
			       "numbers", what);
	if (yml_count(n) > max)
		return yml_err(y, n, err, sz, "%s: at most %zu", what, max);

	for (i = 0; i < yml_count(n); i++) {
		const yml_node *x = yml_item(y, n, i);

		(void)re_snprintf(path, sizeof(path), "%s[%zu]", what, i);
		if (yml_uint(y, x, path, &v[i], err, sz))
			return EINVAL;

		for (j = 0; j < i; j++) {
			if (v[j] == v[i])
				return yml_err(y, x, err, sz, "%s: %u twice",
					       what, v[i]);
		}
	}

	*np = yml_count(n);
	return 0;
}


int yml_double(const struct yml *y, const yml_node *n, const char *what,
	       double *vp, char *err, size_t sz)
{
	const char *s = NULL;
	char *end;
	double v;

	if (yml_scalar(y, n, what, &s, err, sz))
		return EINVAL;

	/* Seconds become a timer's milliseconds: inf, nan or 1e308 would
	 * be undefined behaviour there, so a billion seconds (31 years) is
	 * as long as a duration gets. */
	errno = 0;
	v = strtod(s, &end);
	if (!*s || *end || errno || !isfinite(v) || v < 0 || v > 1e9)
		return yml_err(y, n, err, sz,
			       "%s must be a number of seconds from 0 to 1e9,"
			       " not '%s'", what, s);

	*vp = v;
	return 0;
}


int yml_bool(const struct yml *y, const yml_node *n, const char *what,
	     bool *vp, char *err, size_t sz)
{
	const char *s = NULL;

	if (yml_scalar(y, n, what, &s, err, sz))
		return EINVAL;

	if (!strcasecmp(s, "true") || !strcasecmp(s, "yes"))
		*vp = true;
	else if (!strcasecmp(s, "false") || !strcasecmp(s, "no"))
		*vp = false;
	else
		return yml_err(y, n, err, sz,
			       "%s must be true or false, not '%s'", what, s);

	return 0;
}


int yml_check_keys(const struct yml *y, const yml_node *map,
		   const char *const *allowed, const char *what,
		   char *err, size_t sz)
{
	size_t i, j;

	if (!yml_is_map(map))
		return yml_err(y, map, err, sz, "%s must be a mapping", what);

	for (i = 0; i < yml_count(map); i++) {
		yml_node *kn = yml_key(y, map, i);
		const char *k = yml_str(kn);
		bool ok = false;

		for (j = 0; k && allowed[j]; j++) {
			if (!strcmp(k, allowed[j])) {
				ok = true;
				break;
			}
		}

		if (!ok)
			return yml_err(y, kn, err, sz,
				       "unknown key '%s' in %s", k ? k : "?",
				       what);
	}

	return 0;
}
