/* SPDX-License-Identifier: BSD-3-Clause */
/* AVPs as a tree: added under a message or a grouped AVP, by name, with
 * values as text, numbers or raw octets; found again by name, repeated
 * ones one after the other (Mandatory-Capability, SIP-Auth-Data-Item).
 * A struct diam_avp is freeDiameter's struct avp: the message owns it. */

#include <stdlib.h>
#include <string.h>
#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdproto.h>
#include <re.h>
#include "diam.h"
#include "diamint.h"


static msg_or_avp *parent_of(const struct diam *d,
			     const struct diam_avp *parent)
{
	return parent ? (msg_or_avp *)parent : (d ? d->m : NULL);
}


static int model(const char *name, struct dict_object **mp,
		 struct dict_avp_data *data)
{
	if (fd_dict_search(diam_dict(), DICT_AVP, AVP_BY_NAME_ALL_VENDORS,
			   name, mp, ENOENT))
		return ENOENT;

	return fd_dict_getval(*mp, data) ? EINVAL : 0;
}


bool diam_avp_known(const char *name)
{
	struct dict_object *m;
	struct dict_avp_data data;

	return name && diam_dict() && !model(name, &m, &data);
}


/* The AVP made and set, then added; on failure nothing is added. */
static int put(struct diam *d, struct diam_avp *parent, const char *name,
	       enum dict_avp_basetype want, const union avp_value *v,
	       struct avp **ap)
{
	msg_or_avp *p = parent_of(d, parent);
	struct dict_object *m;
	struct dict_avp_data data;
	struct avp *a = NULL;
	int err;

	if (!p || !name)
		return EINVAL;

	err = model(name, &m, &data);
	if (err)
		return err;
	if (data.avp_basetype != want)
		return EINVAL;

	if (fd_msg_avp_new(m, 0, &a))
		return ENOMEM;
	if (v && fd_msg_avp_setvalue(a, (union avp_value *)v)) {
		(void)fd_msg_free(a);
		return EINVAL;
	}
	if (fd_msg_avp_add(p, MSG_BRW_LAST_CHILD, a)) {
		(void)fd_msg_free(a);
		return ENOMEM;
	}

	if (ap)
		*ap = a;

	return 0;
}


int diam_put_os(struct diam *d, struct diam_avp *parent, const char *name,
		const uint8_t *p, size_t n)
{
	union avp_value v;

	if (!p && n)
		return EINVAL;

	memset(&v, 0, sizeof(v));
	v.os.data = (uint8_t *)(p ? p : (const uint8_t *)"");
	v.os.len = n;

	return put(d, parent, name, AVP_TYPE_OCTETSTRING, &v, NULL);
}


int diam_put_str(struct diam *d, struct diam_avp *parent, const char *name,
		 const char *s)
{
	if (!s)
		return EINVAL;

	return diam_put_os(d, parent, name, (const uint8_t *)s, strlen(s));
}


int diam_put_u32(struct diam *d, struct diam_avp *parent, const char *name,
		 uint32_t u)
{
	struct dict_object *m;
	struct dict_avp_data data;
	union avp_value v;

	if (model(name, &m, &data))
		return ENOENT;

	/* Enumerated is Integer32 on the wire (RFC 6733 4.3.1) */
	memset(&v, 0, sizeof(v));
	if (data.avp_basetype == AVP_TYPE_INTEGER32) {
		if (u > INT32_MAX)
			return ERANGE;
		v.i32 = (int32_t)u;
	}
	else {
		v.u32 = u;
	}

	return put(d, parent, name, data.avp_basetype == AVP_TYPE_INTEGER32 ?
		   AVP_TYPE_INTEGER32 : AVP_TYPE_UNSIGNED32, &v, NULL);
}


int diam_put_group(struct diam *d, struct diam_avp *parent,
		   const char *name, struct diam_avp **gp)
{
	struct avp *a = NULL;
	int err;

	err = put(d, parent, name, AVP_TYPE_GROUPED, NULL, &a);
	if (!err && gp)
		*gp = (struct diam_avp *)a;

	return err;
}


static bool is(struct avp *a, const struct dict_avp_data *want)
{
	struct avp_hdr *h = NULL;
	uint32_t vendor;

	if (fd_msg_avp_hdr(a, &h))
		return false;

	vendor = (h->avp_flags & AVP_FLAG_VENDOR) ? h->avp_vendor : 0;

	return h->avp_code == want->avp_code && vendor == want->avp_vendor;
}


static struct diam_avp *walk(struct avp *a, const struct dict_avp_data *w)
{
	while (a) {
		if (is(a, w))
			return (struct diam_avp *)a;
		if (fd_msg_browse(a, MSG_BRW_NEXT, &a, NULL))
			return NULL;
	}

	return NULL;
}


struct diam_avp *diam_find(const struct diam *d,
			   const struct diam_avp *parent, const char *name)
{
	msg_or_avp *p = parent_of(d, parent);
	struct dict_object *m;
	struct dict_avp_data data;
	struct avp *a = NULL;

	if (!p || !name || model(name, &m, &data) ||
	    fd_msg_browse(p, MSG_BRW_FIRST_CHILD, &a, NULL))
		return NULL;

	return walk(a, &data);
}


struct diam_avp *diam_find_next(const struct diam_avp *prev)
{
	struct avp *a = (struct avp *)prev, *n = NULL;
	struct dict_avp_data data;
	struct avp_hdr *h = NULL;

	if (!a || fd_msg_avp_hdr(a, &h) ||
	    fd_msg_browse(a, MSG_BRW_NEXT, &n, NULL))
		return NULL;

	memset(&data, 0, sizeof(data));
	data.avp_code = h->avp_code;
	data.avp_vendor = (h->avp_flags & AVP_FLAG_VENDOR) ?
		h->avp_vendor : 0;

	return walk(n, &data);
}


/* The value and its type, or NULL for a grouped AVP or a bad one. */
static const union avp_value *value_of(const struct diam_avp *da,
				       enum dict_avp_basetype *tp)
{
	struct avp *a = (struct avp *)da;
	struct dict_object *m = NULL;
	struct dict_avp_data data;
	struct avp_hdr *h = NULL;

	if (!a || fd_msg_avp_hdr(a, &h) || !h->avp_value ||
	    fd_msg_model(a, &m) || !m || fd_dict_getval(m, &data))
		return NULL;

	*tp = data.avp_basetype;

	return h->avp_value;
}


int diam_avp_os(const struct diam_avp *a, const uint8_t **p, size_t *n)
{
	enum dict_avp_basetype tp;
	const union avp_value *v = value_of(a, &tp);

	if (!v || tp != AVP_TYPE_OCTETSTRING || !p || !n)
		return EINVAL;

	*p = v->os.data;
	*n = v->os.len;

	return 0;
}


int diam_avp_u32(const struct diam_avp *a, uint32_t *u)
{
	enum dict_avp_basetype tp;
	const union avp_value *v = value_of(a, &tp);

	if (!v || !u)
		return EINVAL;

	if (tp == AVP_TYPE_UNSIGNED32)
		*u = v->u32;
	else if (tp == AVP_TYPE_INTEGER32 && v->i32 >= 0)
		*u = (uint32_t)v->i32;
	else
		return EINVAL;

	return 0;
}


int diam_avp_text(const struct diam_avp *a, char *buf, size_t sz)
{
	enum dict_avp_basetype tp;
	const union avp_value *v = value_of(a, &tp);
	int n;

	if (!v || !buf || !sz)
		return EINVAL;

	switch (tp) {

	case AVP_TYPE_OCTETSTRING:
		n = re_snprintf(buf, sz, "%b", v->os.data, v->os.len);
		break;
	case AVP_TYPE_INTEGER32:
		n = re_snprintf(buf, sz, "%d", v->i32);
		break;
	case AVP_TYPE_UNSIGNED32:
		n = re_snprintf(buf, sz, "%u", v->u32);
		break;
	case AVP_TYPE_UNSIGNED64:
		n = re_snprintf(buf, sz, "%llu", (unsigned long long)v->u64);
		break;
	default:
		return ENOTSUP;
	}

	return n < 0 ? ENOMEM : 0;
}


/* An AVP's value copied as text: the common case of the Cx AVPs that
 * carry identities and names.  ENOENT when there is none. */
int diam_find_str(const struct diam *d, const struct diam_avp *parent,
		  const char *name, char *buf, size_t sz)
{
	const struct diam_avp *a = diam_find(d, parent, name);
	const uint8_t *p;
	size_t n;

	if (!a)
		return ENOENT;
	if (diam_avp_os(a, &p, &n))
		return diam_avp_text(a, buf, sz);
	if (n >= sz)
		return EOVERFLOW;

	memcpy(buf, p, n);
	buf[n] = '\0';

	return 0;
}


int diam_find_u32(const struct diam *d, const struct diam_avp *parent,
		  const char *name, uint32_t *u)
{
	const struct diam_avp *a = diam_find(d, parent, name);

	return a ? diam_avp_u32(a, u) : ENOENT;
}
