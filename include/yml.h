/* SPDX-License-Identifier: BSD-3-Clause */
/* yml: a YAML document loaded with libyaml, read as a tree, every error
 * naming file:line:column.  Used by the topology, scenario and HSS loaders. */

#ifndef IMSBED_YML_H
#define IMSBED_YML_H

#include <re.h>
#include <yaml.h>


struct yml;

/* A node of the document; NULL means absent. */
typedef yaml_node_t yml_node;

int  yml_load_file(struct yml **yp, const char *path, char *err, size_t sz);
int  yml_load_str(struct yml **yp, const char *name, const char *text,
		  char *err, size_t sz);
yml_node *yml_root(const struct yml *y);
const char *yml_file(const struct yml *y);

bool yml_is_map(const yml_node *n);
bool yml_is_seq(const yml_node *n);
bool yml_is_scalar(const yml_node *n);
yml_node *yml_get(const struct yml *y, const yml_node *map, const char *key);
size_t yml_count(const yml_node *n);
yml_node *yml_item(const struct yml *y, const yml_node *seq, size_t i);
yml_node *yml_key(const struct yml *y, const yml_node *map, size_t i);
yml_node *yml_val(const struct yml *y, const yml_node *map, size_t i);
const char *yml_str(const yml_node *n);
unsigned yml_line(const yml_node *n);
unsigned yml_col(const yml_node *n);

/* Typed reads: 0, or EINVAL with "file:line:col: what" in err. */
int yml_scalar(const struct yml *y, const yml_node *n, const char *what,
	       const char **vp, char *err, size_t sz);
int yml_uint(const struct yml *y, const yml_node *n, const char *what,
	     uint32_t *vp, char *err, size_t sz);
/* A list of at most max distinct whole numbers into v, their count *np */
int yml_uints(const struct yml *y, const yml_node *n, const char *what,
	      uint32_t *v, size_t max, size_t *np, char *err, size_t sz);
/* A number of seconds, 0 to 1e9 (finite, and fit for a timer). */
int yml_double(const struct yml *y, const yml_node *n, const char *what,
	       double *vp, char *err, size_t sz);
int yml_bool(const struct yml *y, const yml_node *n, const char *what,
	     bool *vp, char *err, size_t sz);
/* Refuses keys of map that are not in the NULL-terminated list allowed. */
int yml_check_keys(const struct yml *y, const yml_node *map,
		   const char *const *allowed, const char *what,
		   char *err, size_t sz);
/* The longest ring timeout: milliseconds in 32 bits, and then some. */
#define RING_MAX_S 86400u

int yml_err(const struct yml *y, const yml_node *n, char *err, size_t sz,
	    const char *fmt, ...);

/* yml_print.c: %H with a const char *: the string as a YAML scalar that
 * reads back as it was (plain, 'quoted' or "escaped") */
int yml_str_print(struct re_printf *pf, void *arg);

#endif
